"""The submission register (реестр представления сведений): who submitted, when, on time.

For every period and every unit expected to report (organisations active in the period
that fill organisation tables; municipalities when the profile has municipal tables),
the register says which files it sent, when (the first and the last), how many rows were
accepted and rejected, and its status against the profile's deadline: on time, late,
missing, or not yet due. It is usable by the analysis as a data-quality indicator, and
:func:`dataset_submissions` turns it into the ``submissions`` table of a
:class:`pedprof.Dataset`.

The submission time of a workbook is the «last saved» date recorded inside it (the
``modified`` document property), else the file's modification time.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Mapping, Sequence

import pandas as pd

from pedprof.io._tables import covers_organizations, unit_column
from pedprof.io.forms import submission_deadline
from pedprof.mechanism import Deadline
from pedprof.periods import PeriodKind, parse_period
from pedprof.profile import Profile
from pedprof.sources import SubmittedBy

__all__ = ["REGISTER_COLUMNS", "STATUS_LABELS", "dataset_submissions", "submission_register"]

REGISTER_COLUMNS = (
    "unit_id",
    "unit_name",
    "level",
    "period",
    "expected",
    "files",
    "first_submitted_at",
    "last_submitted_at",
    "deadline",
    "status",
    "status_label",
    "days_late",
    "rows_accepted",
    "rows_rejected",
)

STATUS_LABELS = {
    "on_time": "представлено в срок",
    "late": "представлено с опозданием",
    "missing": "не представлено",
    "pending": "не представлено, срок не наступил",
    "submitted": "представлено (срок не установлен)",
    "unknown_time": "представлено (дата представления неизвестна)",
}


def _municipal_deadline(profile: Profile) -> Deadline | None:
    campaign = profile.info.campaign
    if campaign is None:
        return None
    try:
        return campaign.deadline("submission_municipality")
    except KeyError:
        return None


def _status(
    first: dt.datetime | None, submitted: bool, due: dt.date | None, today: dt.date
) -> tuple[str, int | None]:
    if not submitted:
        if due is not None and today <= due:
            return "pending", None
        return "missing", None
    if due is None:
        return "submitted", None
    if first is None:
        return "unknown_time", None
    late = (first.date() - due).days
    return ("late", late) if late > 0 else ("on_time", None)


def submission_register(
    profile: Profile,
    file_units: Mapping[str, set[tuple[str, str, str]]],
    file_times: Mapping[str, dt.datetime | None],
    organizations: pd.DataFrame | None,
    municipalities: pd.DataFrame | None,
    rows: pd.DataFrame,
    *,
    periods: Sequence[str] | None = None,
    today: dt.date | None = None,
) -> pd.DataFrame:
    """Build the register.

    :param file_units: file label → the ``(unit_id, period, level)`` it submitted data
        for (an empty form counts: its details name the unit and period).
    :param file_times: file label → when it was submitted.
    :param organizations: the register of organisations (``None`` if unknown).
    :param municipalities: the municipalities.
    :param rows: :attr:`pedprof.io.CheckResult.rows`.
    :param periods: the periods to cover (default: every period submitted).
    :param today: the date "missing" and "not yet due" are judged against.
    :returns: one row per unit and period, columns :data:`REGISTER_COLUMNS`.
    """
    today = today or dt.date.today()
    kind = profile.info.period_kind
    submitted: dict[tuple[str, str, str], list[str]] = defaultdict(list)
    for label, units in file_units.items():
        for unit, period, level in units:
            submitted[(unit, period, level)].append(label)
    chosen = list(periods) if periods is not None else sorted({p for _, p, _ in submitted})
    chosen = [parse_period(p, kind).label for p in chosen]
    has_org_tables = any(
        s.submitted_by is SubmittedBy.ORGANIZATION and unit_column(s) == "org_id"
        for s in profile.sources
    )
    has_muni_tables = any(
        (s.submitted_by is SubmittedBy.MUNICIPALITY and unit_column(s) == "municipality_id")
        or covers_organizations(s)
        for s in profile.sources
    )
    names: dict[str, str] = {}
    expected: set[tuple[str, str, str]] = set()
    for label in chosen:
        current = parse_period(label, kind)
        if organizations is not None and has_org_tables:
            for rec in organizations.to_dict("records"):
                names[str(rec["org_id"])] = str(rec.get("name") or rec["org_id"])
                start, end = rec.get("valid_from"), rec.get("valid_to")
                if (
                    start is not None
                    and not pd.isna(start)
                    and pd.Timestamp(start).date() > current.end
                ):
                    continue
                if (
                    end is not None
                    and not pd.isna(end)
                    and pd.Timestamp(end).date() < current.start
                ):
                    continue
                expected.add((str(rec["org_id"]), label, "organization"))
        if municipalities is not None and has_muni_tables:
            for rec in municipalities.to_dict("records"):
                names[str(rec["municipality_id"])] = str(rec.get("name") or rec["municipality_id"])
                expected.add((str(rec["municipality_id"]), label, "municipality"))
    counts: dict[tuple[str, str], tuple[int, int]] = {}
    if len(rows):
        keyed = rows.dropna(subset=["unit_id", "period"])
        grouped = keyed.groupby(["unit_id", "period"])["status"]
        for (unit, period), statuses in grouped:
            acc = int((statuses == "accepted").sum())
            counts[(str(unit), str(period))] = (acc, len(statuses) - acc)
    org_deadline = submission_deadline(profile)
    muni_deadline = _municipal_deadline(profile)
    records = []
    keys = sorted(
        expected | {k for k in submitted if k[1] in chosen},
        key=lambda k: (k[1], k[2] != "organization", k[0]),
    )
    for unit, label, level in keys:
        files = submitted.get((unit, label, level), [])
        times = [t for t in (file_times.get(f) for f in files) if t is not None]
        first = min(times) if times else None
        last = max(times) if times else None
        deadline = org_deadline if level == "organization" else muni_deadline
        due = deadline.date_for(parse_period(label, kind).end_year) if deadline else None
        status, days_late = _status(first, bool(files), due, today)
        acc, rej = counts.get((unit, label), (0, 0))
        records.append(
            {
                "unit_id": unit,
                "unit_name": names.get(unit, unit),
                "level": level,
                "period": label,
                "expected": (unit, label, level) in expected,
                "files": "; ".join(sorted(files)),
                "first_submitted_at": first,
                "last_submitted_at": last,
                "deadline": due,
                "status": status,
                "status_label": STATUS_LABELS[status],
                "days_late": days_late,
                "rows_accepted": acc,
                "rows_rejected": rej,
            }
        )
    frame = pd.DataFrame.from_records(records, columns=list(REGISTER_COLUMNS))
    frame["days_late"] = pd.array(frame["days_late"].tolist(), dtype="Int64")
    for c in ("first_submitted_at", "last_submitted_at"):
        frame[c] = pd.to_datetime(frame[c])
    frame["deadline"] = pd.to_datetime(frame["deadline"])
    frame["expected"] = frame["expected"].astype(bool)
    for c in ("rows_accepted", "rows_rejected"):
        frame[c] = frame[c].astype("int64")
    return frame


def _active(rec: Mapping[str, object], start: dt.date, end: dt.date) -> bool:
    first, last = rec.get("valid_from"), rec.get("valid_to")
    if first is not None and not pd.isna(first) and pd.Timestamp(first).date() > end:
        return False
    return not (last is not None and not pd.isna(last) and pd.Timestamp(last).date() < start)


def dataset_submissions(
    register: pd.DataFrame,
    organizations: pd.DataFrame | None = None,
    *,
    period_kind: PeriodKind | None = None,
) -> pd.DataFrame:
    """The ``submissions`` table of a :class:`pedprof.Dataset` from the register.

    A unit counts as having reported for a period when it has accepted rows, or when it
    submitted a form with no rows and nothing rejected (a real «nothing to report»). A
    unit whose every row was rejected has not reported: its indicators stay *no data*
    rather than turning into zeros.

    :param organizations: with ``period_kind``, a municipality that reported also reports
        for each of its organisations active in the period — for profiles whose municipal
        tables list organisations' rows (an organisation without rows has none to
        report).
    """
    submitted = register["files"] != ""
    ok = (register["rows_accepted"] > 0) | (register["rows_rejected"] == 0)
    chosen = register[submitted & ok]
    out = pd.DataFrame(
        {
            "unit_id": chosen["unit_id"].astype(str).to_numpy(),
            "period": chosen["period"].astype(str).to_numpy(),
            "submitted_at": chosen["first_submitted_at"].to_numpy(),
        }
    )
    if organizations is None or period_kind is None:
        return out
    have = set(zip(out["unit_id"], out["period"], strict=True))
    records = organizations.to_dict("records")
    extra = []
    munis = chosen[chosen["level"] == "municipality"]
    for muni, label, when in zip(
        munis["unit_id"], munis["period"], munis["first_submitted_at"], strict=True
    ):
        period = parse_period(label, period_kind)
        for rec in records:
            org = str(rec["org_id"])
            if str(rec["municipality_id"]) != muni or (org, label) in have:
                continue
            if _active(rec, period.start, period.end):
                extra.append({"unit_id": org, "period": label, "submitted_at": when})
                have.add((org, label))
    if not extra:
        return out
    return pd.concat([out, pd.DataFrame(extra)], ignore_index=True)
