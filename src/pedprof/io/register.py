"""The submission register (реестр представления сведений): who submitted, when, on time.

For every period and every unit expected to report (organisations active in the period
that fill organisation tables; municipalities when the profile has municipal tables),
the register says which files it sent, when (the first and the last), how many rows were
accepted and rejected, and its status against the profile's deadline: on time, late,
missing, or not yet due. It is usable by the analysis as a data-quality indicator, and
:func:`dataset_submissions` turns it into the ``submissions`` table of a
:class:`pedprof.Dataset`.

**When a file was submitted** is when it was *received*, taken from, in this order:

1. the **register of receipts** (:data:`RECEIPTS`, table ``submissions``: unit, period,
   date received and optionally the file) given among the inputs, or the ``submissions``
   of the ``reference`` dataset (its ``submitted_at``);
2. the date given for the file by the caller (``submitted_at=`` of
   :func:`pedprof.io.read_submissions`), else the date given for the whole run
   (``received=``, ``pedprof check --received ДД.ММ.ГГГГ``);
3. the file's modification time on disk — only when it is not later than the date the
   register is drawn up at (see below): a file copied or unpacked long after the campaign
   has its copy time as modification time, which is not when it was received; such a file
   gets an unknown date instead (``date_source`` ``file_mtime_late``).

It is **never** the «last saved» date recorded inside a workbook: re-saving a file does
not re-submit it. The register says which source each date came from (``date_source``).

**The date statuses are judged at** (``status_as_of``) is the ``today`` given, else — so
that processing a past year never measures anything from the day it is run — the earlier
of today and the end of the period's context: the later of the period's end and its
deadline.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Mapping, Sequence

import attrs
import pandas as pd

from pedprof.io._tables import covers_organizations, period_label_word, unit_column
from pedprof.io.forms import submission_deadline
from pedprof.model.mechanism import Deadline
from pedprof.model.periods import Period, PeriodKind, parse_period
from pedprof.model.profile import Profile
from pedprof.model.sources import Field, FieldType, Source, SubmittedBy

__all__ = [
    "DATE_SOURCE_LABELS",
    "RECEIPTS",
    "REGISTER_COLUMNS",
    "STATUS_LABELS",
    "Receipt",
    "dataset_submissions",
    "receipts_source",
    "status_as_of",
    "submission_register",
]

RECEIPTS = "submissions"
"""The name of the register-of-receipts table (same columns as ``Dataset.submissions``)."""


def receipts_source(kind: PeriodKind) -> Source:
    """The register of receipts: when each unit's data for a period were received.

    Kept by the methodical service (or exported by the platform that received the files);
    read among the inputs like any table — a sheet, ``submissions.csv``, a DataFrame
    named ``submissions``. ``file`` is needed only when a unit sent several files for a
    period and they were received on different days.
    """
    return Source(
        name=RECEIPTS,
        title="Реестр поступления сведений",
        short_title="Поступление сведений",
        submitted_by=SubmittedBy.MUNICIPALITY,
        key=("unit_id", "period", "file"),
        description=(
            "Одна строка — сведения организации (муниципалитета) за период, поступившие в "
            "методическую службу: дата поступления по журналу входящих документов."
        ),
        fields=(
            Field(
                "unit_id",
                "Код организации (муниципалитета)",
                FieldType.IDENTIFIER,
                "Код по реестру организаций",
            ),
            Field("period", period_label_word(kind), FieldType.PERIOD),
            Field(
                "submitted_at",
                "Дата поступления",
                FieldType.DATE,
                "Когда сведения поступили в методическую службу, ДД.ММ.ГГГГ",
            ),
            Field(
                "file",
                "Файл",
                FieldType.STRING,
                "Имя файла, если за период поступило несколько файлов в разные дни; иначе пусто",
                required=False,
            ),
        ),
    )


DATE_SOURCE_LABELS = {
    "register": "по реестру поступления",
    "given": "указана при проверке для файла",
    "received": "указана при проверке (--received)",
    "file_mtime": "по дате изменения файла",
    "file_mtime_late": (
        "неизвестна: дата изменения файла позже даты, на которую составлен реестр (файл, "
        "вероятно, скопирован позже)"
    ),
    "": "неизвестна",
}
"""Where a submission date came from (column ``date_source`` of the register)."""


@attrs.frozen
class Receipt:
    """When a file (for one unit and period) was received, and how that is known.

    :param when: the date and time, or ``None`` when unknown.
    :param source: a key of :data:`DATE_SOURCE_LABELS` (for an unknown date, why: ``""``
        or ``file_mtime_late``).
    """

    when: dt.datetime | None
    source: str = ""


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
    "date_source",
    "status_as_of",
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


def _deadline_for(profile: Profile, level: str) -> Deadline | None:
    return submission_deadline(profile) if level == "organization" else _municipal_deadline(profile)


def status_as_of(
    profile: Profile, period: Period, level: str = "organization", today: dt.date | None = None
) -> tuple[dt.date, str]:
    """The date the register's statuses for ``period`` are judged at, and why.

    :param today: the date given by the caller: then that date (reason ``given``).
    :returns: ``(date, reason)``; without ``today``, the earlier of the real today
        (``today``) and the end of the period's context — the later of the period's end
        and its deadline (``deadline`` or ``period_end``).
    """
    if today is not None:
        return today, "given"
    real = dt.date.today()
    deadline = _deadline_for(profile, level)
    due = deadline.date_for(period.end_year) if deadline is not None else None
    if due is not None and due > period.end:
        context, reason = due, "deadline"
    else:
        context, reason = period.end, "period_end"
    if real <= context:
        return real, "today"
    return context, reason


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
    receipts: Mapping[tuple[str, str, str], Receipt] | None = None,
) -> pd.DataFrame:
    """Build the register.

    :param file_units: file label → the ``(unit_id, period, level)`` it submitted data
        for (an empty form counts: its details name the unit and period).
    :param file_times: file label → when it was received (as given by the caller).
    :param receipts: ``(file label, unit_id, period)`` → when that file was received for
        that unit and period and how that is known; overrides ``file_times``.
    :param organizations: the register of organisations (``None`` if unknown).
    :param municipalities: the municipalities.
    :param rows: :attr:`pedprof.io.CheckResult.rows`.
    :param periods: the periods to cover (default: every period submitted).
    :param today: the date "missing" and "not yet due" are judged against (default: see
        :func:`status_as_of`; the column ``status_as_of`` says which date was used).
    :returns: one row per unit and period, columns :data:`REGISTER_COLUMNS`.
    """
    receipts = receipts or {}
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
        known: list[Receipt] = []
        unknown = ""
        for f in files:
            receipt = receipts.get((f, unit, label))
            if receipt is None:
                given = file_times.get(f)
                receipt = Receipt(given, "given" if given is not None else "")
            if receipt.when is not None:
                known.append(receipt)
            else:
                unknown = unknown or receipt.source
        first_receipt = min(known, key=lambda r: r.when or dt.datetime.min) if known else None
        first = first_receipt.when if first_receipt is not None else None
        last = max(r.when for r in known if r.when is not None) if known else None
        this = parse_period(label, kind)
        deadline = org_deadline if level == "organization" else muni_deadline
        due = deadline.date_for(this.end_year) if deadline else None
        as_of, _ = status_as_of(profile, this, level, today)
        status, days_late = _status(first, bool(files), due, as_of)
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
                "date_source": first_receipt.source if first_receipt is not None else unknown,
                "status_as_of": as_of,
            }
        )
    frame = pd.DataFrame.from_records(records, columns=list(REGISTER_COLUMNS))
    frame["days_late"] = pd.array(frame["days_late"].tolist(), dtype="Int64")
    for c in ("first_submitted_at", "last_submitted_at"):
        frame[c] = pd.to_datetime(frame[c])
    frame["deadline"] = pd.to_datetime(frame["deadline"])
    frame["status_as_of"] = pd.to_datetime(frame["status_as_of"])
    frame["date_source"] = frame["date_source"].astype(object)
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
