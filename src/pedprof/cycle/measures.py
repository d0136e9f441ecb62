"""Measures, management decisions and the analysis of their effectiveness.

The register of measures (меры, мероприятия) and management decisions (управленческие
решения) says what was done, when, by which document, who is responsible, and which
indicators and organisations it targets. It is read from a workbook, a CSV file or a
frame with :func:`load_measures`; every row is accepted or refused with a reason in
Russian.

:func:`effectiveness` answers, for each measure and each indicator it targets, whether the
indicator improved after the measure — for the organisations targeted and, for
comparison, for the others (анализ эффективности принятых мер). The rules, with their
boundaries, are in ``docs/guides/analysis.md``:

* the measure shows in the first period whose data are collected at least
  ``min_lead_days`` after its date (the collection date is the campaign's submission
  deadline, or the end of the period); the period before that one is **before**, the
  reporting period of the analysis is **after**;
* **too early** (рано оценивать) when the reporting period comes before the first period
  the measure can show in;
* **improved** (улучшение) when the targeted group's value moved in the indicator's good
  direction by more than the analysis tolerance; **not improved** otherwise;
* a group's value is Σ numerator / Σ denominator over its organisations for shares, the
  sum for counts, and the share of organisations reaching the minimum for
  per-organisation minimums. A measure without organisations targets the whole
  municipality.
"""

from __future__ import annotations

import datetime as dt
import re
import textwrap
from collections.abc import Iterable, Mapping, Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any, Final

import attrs
import numpy as np
import pandas as pd
import pydantic

from pedprof.formatting import format_value
from pedprof.model.indicators import IndicatorKind
from pedprof.model.mechanism import CycleComponent
from pedprof.model.periods import Period, parse_period

if TYPE_CHECKING:
    from pedprof.evaluate.analysis import Analysis
    from pedprof.model.profile import Profile

__all__ = [
    "MEASURE_HEADERS",
    "VERDICT_LABELS",
    "Measure",
    "MeasureRegister",
    "effectiveness",
    "load_measures",
    "measure_summary",
]

#: Column → Russian header of the register workbook.
MEASURE_HEADERS: Final[Mapping[str, str]] = {
    "measure_id": "Код",
    "title": "Мера, мероприятие, управленческое решение",
    "kind": "Вид",
    "date": "Дата",
    "document": "Документ",
    "responsible": "Ответственный",
    "indicators": "Показатели",
    "organizations": "Организации",
    "recommendation": "Адресная рекомендация",
    "notes": "Примечание",
}
KIND_LABELS: Final[Mapping[str, str]] = {
    "measure": "мера (мероприятие)",
    "decision": "управленческое решение",
}
_KIND_WORDS: Final = {
    "measure": "measure",
    "мера": "measure",
    "мероприятие": "measure",
    "мера (мероприятие)": "measure",
    "decision": "decision",
    "решение": "decision",
    "управленческое решение": "decision",
}
VERDICT_LABELS: Final[Mapping[str, str]] = {
    "improved": "улучшение",
    "not_improved": "нет улучшения",
    "too_early": "рано оценивать",
    "no_data": "нет данных для оценки",
    "partly": "частичное улучшение",
    "not_judged": "не указаны показатели",
}
_PERSON_NAME = re.compile(
    r"[А-ЯЁ][а-яё]+\s+[А-ЯЁ]\.\s*[А-ЯЁ]\.|[А-ЯЁ]\.\s*[А-ЯЁ]\.\s*[А-ЯЁ][а-яё]+"
)
_SPLIT = re.compile(r"[,;\n]+")


def _strs(value: Iterable[str]) -> tuple[str, ...]:
    return tuple(value)


def _measures(value: Iterable[Measure]) -> tuple[Measure, ...]:
    return tuple(value)


@attrs.frozen(kw_only=True)
class Measure:
    """One measure or management decision.

    :param id: the code in the register.
    :param title: what is done, in Russian.
    :param date: when it was taken (the document's date).
    :param kind: ``measure`` or ``decision``.
    :param document: the document (order, protocol) that takes it.
    :param responsible: who is responsible — a position or body, never a person's name.
    :param indicators: the indicators it targets.
    :param organizations: the organisations it targets (empty: the whole municipality).
    :param recommendation: the recommendation rule it answers, if any.
    """

    id: str
    title: str
    date: dt.date
    kind: str = "measure"
    document: str = ""
    responsible: str = ""
    indicators: tuple[str, ...] = attrs.field(default=(), converter=_strs)
    organizations: tuple[str, ...] = attrs.field(default=(), converter=_strs)
    recommendation: str = ""
    notes: str = ""

    def __repr__(self) -> str:
        title = textwrap.shorten(self.title, 100, placeholder="…")
        return f"<Measure {self.id} {self.date.isoformat()} ({self.kind}) «{title}»>"

    @property
    def component(self) -> CycleComponent:
        """The management-cycle component the measure belongs to."""
        if self.kind == "decision":
            return CycleComponent.MANAGEMENT_DECISIONS
        return CycleComponent.MEASURES

    @property
    def kind_label(self) -> str:
        """The kind in Russian."""
        return KIND_LABELS.get(self.kind, self.kind)


@attrs.frozen
class MeasureRegister:
    """The measures accepted from a register and the rows refused, with reasons.

    :param measures: the accepted measures, in the register's order.
    :param problems: one Russian message per refused row or corrected cell.
    """

    measures: tuple[Measure, ...] = attrs.field(default=(), converter=_measures)
    problems: tuple[str, ...] = attrs.field(default=(), converter=_strs)

    def __len__(self) -> int:
        return len(self.measures)

    def __repr__(self) -> str:
        return f"<MeasureRegister: {len(self.measures)} measures, {len(self.problems)} problems>"

    def frame(self) -> pd.DataFrame:
        """The register as a frame with Russian headers."""
        rows = [
            {
                "measure_id": m.id,
                "title": m.title,
                "kind": m.kind_label,
                "date": m.date,
                "document": m.document,
                "responsible": m.responsible,
                "indicators": ", ".join(m.indicators),
                "organizations": ", ".join(m.organizations),
                "recommendation": m.recommendation,
                "notes": m.notes,
            }
            for m in self.measures
        ]
        return pd.DataFrame(rows, columns=list(MEASURE_HEADERS)).rename(
            columns=dict(MEASURE_HEADERS)
        )


# --------------------------------------------------------------------------- reading


def _text(value: object) -> str:
    if value is None or (not isinstance(value, str) and pd.isna(value)):
        return ""
    return str(value).strip()


def _codes(value: object) -> list[str]:
    return [c.strip() for c in _SPLIT.split(_text(value)) if c.strip()]


class _Row(pydantic.BaseModel):
    """One register row at the boundary; messages in Russian."""

    model_config = pydantic.ConfigDict(str_strip_whitespace=True)

    measure_id: str
    title: str
    date: dt.date
    kind: str = "measure"
    document: str = ""
    responsible: str = ""
    indicators: list[str] = []
    organizations: list[str] = []
    recommendation: str = ""
    notes: str = ""

    @pydantic.field_validator("measure_id", "title", mode="before")
    @classmethod
    def _required(cls, value: object, info: pydantic.ValidationInfo) -> str:
        text = _text(value)
        if not text:
            raise ValueError(f"не заполнено поле «{MEASURE_HEADERS[str(info.field_name)]}»")
        return text

    @pydantic.field_validator("date", mode="before")
    @classmethod
    def _date(cls, value: object) -> dt.date:
        if isinstance(value, dt.datetime):
            return value.date()
        if isinstance(value, dt.date):
            return value
        text = _text(value)
        if not text:
            raise ValueError("не указана дата")
        for fmt in ("%d.%m.%Y", "%Y-%m-%d", "%d.%m.%y"):
            try:
                return dt.datetime.strptime(text.split(" ")[0], fmt).date()
            except ValueError:
                continue
        raise ValueError(f"«{text}» не является датой (ожидается ДД.ММ.ГГГГ)")

    @pydantic.field_validator("kind", mode="before")
    @classmethod
    def _kind(cls, value: object) -> str:
        text = _text(value).lower()
        if not text:
            return "measure"
        if text not in _KIND_WORDS:
            raise ValueError(
                f"вид «{text}» не распознан: укажите «мера» или «управленческое решение»"
            )
        return _KIND_WORDS[text]

    @pydantic.field_validator("indicators", "organizations", mode="before")
    @classmethod
    def _list(cls, value: object) -> list[str]:
        return _codes(value)

    @pydantic.field_validator("document", "responsible", "recommendation", "notes", mode="before")
    @classmethod
    def _optional(cls, value: object) -> str:
        return _text(value)


def _read(source: str | Path | pd.DataFrame) -> tuple[pd.DataFrame, int]:
    """The register's rows under its header, and the row number of its first row.

    A file is read the way submitted forms are (:func:`pedprof.io.readers.read_path`):
    by its content, not its extension, with the same safety limits; a text file's
    encoding (UTF-8, UTF-16, Windows-1251) and separator (``;``, ``,``, tab) are
    recognised. The header is the first row naming two of the register's columns (a
    title above it is allowed), else the first filled row.

    :raises ValueError: the file cannot be read (the reason in Russian).
    """
    if isinstance(source, pd.DataFrame):
        return source, 2
    from pedprof.io._safety import Refused
    from pedprof.io.readers import read_path

    path = Path(source)
    try:
        raw = read_path(path)
    except Refused as exc:
        reason = exc.message[:1].lower() + exc.message[1:]
        raise ValueError(f"реестр мер «{_shown_name(path)}» не прочитан: {reason}") from None
    grids = raw.grids
    grid = next(
        (g for g in grids if (g.sheet or "").strip().lower() in ("меры", "measures")),
        grids[0] if grids else None,
    )
    rows = [] if grid is None else grid.rows
    filled = [i for i, r in enumerate(rows) if any(_text(v) for v in r)]
    named = (i for i in filled[:30] if sum(_column_key(v) is not None for v in rows[i]) >= 2)
    start = next(named, filled[0] if filled else None)
    if grid is None or start is None:
        raise ValueError(f"реестр мер «{_shown_name(path)}» пуст: в нём нет строки заголовков")
    header = [_text(v) or f"столбец {j + 1}" for j, v in enumerate(rows[start])]
    width = len(header)
    body = [list(r[:width]) + [""] * (width - len(r)) for r in rows[start + 1 :]]
    frame = pd.DataFrame(body, columns=header, dtype=object)
    return frame, start + 1 + grid.row_base


def _shown_name(path: Path) -> str:
    """A file's name as it can be shown (bytes that are not UTF-8 as ``\\xff``)."""
    from pedprof.io._safety import printable_name

    return printable_name(path.name)


_BY_WORD: Final[Mapping[str, str]] = {
    **{k.lower(): k for k in MEASURE_HEADERS},
    **{v.lower(): k for k, v in MEASURE_HEADERS.items()},
    "id": "measure_id",
    "код меры": "measure_id",
    "мера": "title",
}


def _column_key(header: object) -> str | None:
    """The register field a column header names (``None``: not one of them)."""
    return _BY_WORD.get(str(header).strip().lower())


def _columns(frame: pd.DataFrame) -> dict[str, str]:
    """Frame column → register field, from English names or Russian headers."""
    out: dict[str, str] = {}
    for column in frame.columns:
        key = _column_key(column)
        if key is not None and key not in out.values():
            out[str(column)] = key
    return out


def load_measures(
    source: str | Path | pd.DataFrame,
    *,
    profile: Profile | None = None,
    organizations: Iterable[str] | None = None,
) -> MeasureRegister:
    """Read a register of measures and management decisions.

    :param source: a workbook (the sheet «Меры», or the first), a text file (UTF-8,
        UTF-16 or Windows-1251; ``;``, ``,`` or tab between columns — recognised as in
        submitted forms) or a frame; a title above the header row is allowed. Columns are
        the English field names or the Russian headers of :data:`MEASURE_HEADERS`; lists
        (indicators, organisations) are separated by commas or semicolons.
    :param profile: when given, indicators must be the profile's.
    :param organizations: when given, organisations must be among these ids.
    :returns: the accepted measures and a message for every refused row (row numbers as
        in the spreadsheet). A responsible that looks like a person's name is replaced by
        «(ФИО скрыто)» and reported.
    :raises ValueError: the file cannot be read, or required columns are missing.
    """
    frame, first_row = _read(source)
    mapping = _columns(frame)
    missing = [
        MEASURE_HEADERS[k] for k in ("measure_id", "title", "date") if k not in mapping.values()
    ]
    if missing:
        raise ValueError("в реестре мер нет столбцов: " + ", ".join(f"«{m}»" for m in missing))
    known_ind = None if profile is None else {i.id for i in profile.indicators}
    known_org = None if organizations is None else {str(o) for o in organizations}
    measures: list[Measure] = []
    problems: list[str] = []
    seen: set[str] = set()
    records = frame.rename(columns=mapping)[list(mapping.values())].to_dict("records")
    for n, raw in enumerate(records, start=first_row):
        if all(not _text(v) for v in raw.values()):
            continue
        try:
            row = _Row.model_validate(raw)
        except pydantic.ValidationError as exc:
            reasons = "; ".join(str(e["msg"]).removeprefix("Value error, ") for e in exc.errors())
            problems.append(f"строка {n}: {reasons}; строка не принята")
            continue
        refusals: list[str] = []
        if row.measure_id in seen:
            refusals.append(f"код «{row.measure_id}» уже встречался")
        if known_ind is not None:
            bad = [i for i in row.indicators if i not in known_ind]
            if bad:
                refusals.append("неизвестные показатели: " + ", ".join(bad))
        if known_org is not None:
            bad = [o for o in row.organizations if o not in known_org]
            if bad:
                refusals.append("неизвестные организации: " + ", ".join(bad))
        if refusals:
            problems.append(f"строка {n}: " + "; ".join(refusals) + "; строка не принята")
            continue
        seen.add(row.measure_id)
        responsible = row.responsible
        if _PERSON_NAME.search(responsible):
            problems.append(
                f"строка {n}: в поле «Ответственный» похоже указано ФИО — укажите должность или "
                "орган; в отчётах ФИО скрыто"
            )
            responsible = "(ФИО скрыто)"
        measures.append(
            Measure(
                id=row.measure_id,
                title=row.title,
                date=row.date,
                kind=row.kind,
                document=row.document,
                responsible=responsible,
                indicators=row.indicators,
                organizations=row.organizations,
                recommendation=row.recommendation,
                notes=row.notes,
            )
        )
    return MeasureRegister(measures, problems)


# --------------------------------------------------------------------------- effectiveness


def _collection_date(profile: Profile, period: Period, deadline_id: str) -> dt.date:
    campaign = profile.info.campaign
    if campaign is not None:
        try:
            when = campaign.deadline(deadline_id).date_for(period.end_year)
        except KeyError:
            when = None
        if when is not None:
            return when
    return period.end


def _first_period_after(
    profile: Profile, day: dt.date, min_lead_days: int, deadline_id: str, kind_period: Period
) -> Period:
    """The first period whose data are collected at least ``min_lead_days`` after ``day``."""
    earliest = day + dt.timedelta(days=min_lead_days)
    p = Period(kind_period.kind, kind_period.ordinal)
    # go back far enough, then forward to the first period collected late enough
    while _collection_date(profile, p, deadline_id) >= earliest:
        p = p - 1
    while _collection_date(profile, p, deadline_id) < earliest:
        p = p + 1
    return p


def _group_value(
    rows: pd.DataFrame, kind: str, minimum: float | None, *, organizations: bool
) -> tuple[float, int]:
    """The value of a group of rows of one period, and how many units reported.

    Organisation rows of a per-organisation minimum hold counts (the group's value is the
    share of organisations reaching the minimum); above, they hold shares with their
    numerator and denominator, summed like any share.
    """
    rows = rows[rows["state"].astype(str) != "no_data"]
    n = len(rows)
    if n == 0:
        return float("nan"), 0
    if kind == IndicatorKind.SHARE or (
        kind == IndicatorKind.PER_ORGANIZATION_MINIMUM and not organizations
    ):
        den = float(rows["denominator"].sum())
        num = float(rows["numerator"].sum())
        return (100.0 * num / den if den > 0 else float("nan")), n
    if kind == IndicatorKind.PER_ORGANIZATION_MINIMUM:
        return 100.0 * float((rows["value"] >= (minimum or 0)).sum()) / n, n
    return float(rows["value"].sum()), n


def _verdict(change: float, direction: float, tolerance: float) -> str:
    if np.isnan(change):
        return "no_data"
    return "improved" if direction * change > tolerance else "not_improved"


def effectiveness(
    analysis: Analysis,
    measures: MeasureRegister | Sequence[Measure],
    *,
    min_lead_days: int = 90,
    deadline_id: str = "submission",
) -> pd.DataFrame:
    """The effectiveness of each measure on each indicator it targets.

    :param analysis: the analysis of the reporting period (:func:`pedprof.evaluate.analysis.analyze`).
    :param measures: the register (or a sequence of measures).
    :param min_lead_days: how long before a collection date a measure must be taken to be
        seen in that period's data.
    :param deadline_id: the campaign deadline that is the collection date.
    :returns: one row per measure × indicator: ``measure``, ``title``, ``date``, ``kind``,
        ``document``, ``responsible``, ``indicator``, ``name``, ``percent``, ``scope``
        (``organizations`` or the top level), ``units``, ``before_period``,
        ``after_period``, ``before``, ``after``, ``change``, ``others_before``,
        ``others_after``, ``others_change``, ``verdict`` (``improved``, ``not_improved``,
        ``too_early``, ``no_data``, ``not_judged``), ``verdict_label``, ``compared``
        (``better``, ``worse``, ``same`` or empty: against the other organisations) and
        ``summary`` (one Russian sentence).
    """
    items = measures.measures if isinstance(measures, MeasureRegister) else tuple(measures)
    profile = analysis.profile
    kind = profile.info.period_kind
    labels = [str(c) for c in analysis.indicators["period"].cat.categories]
    by_label = {lab: n for n, lab in enumerate(labels)}
    reporting = parse_period(analysis.period, kind)
    ind = analysis.indicators[analysis.indicators["breakdown"].isna()]
    key_level = ind["level"].astype(str)
    org_rows = ind[key_level == "organization"]
    top_rows = ind[key_level == analysis.level]
    out: list[dict[str, Any]] = []
    for m in items:
        base = {
            "measure": m.id,
            "title": m.title,
            "date": m.date,
            "kind": m.kind_label,
            "document": m.document,
            "responsible": m.responsible,
        }
        if not m.indicators:
            out.append({**base, "indicator": "", "verdict": "not_judged"})
            continue
        first = _first_period_after(profile, m.date, min_lead_days, deadline_id, reporting)
        before = first - 1
        for ind_id in m.indicators:
            try:
                indicator = profile.indicator(ind_id)
            except KeyError:
                out.append({**base, "indicator": ind_id, "verdict": "no_data"})
                continue
            percent = indicator.is_share
            row: dict[str, Any] = {
                **base,
                "indicator": ind_id,
                "name": indicator.name,
                "percent": percent,
                "before_period": before.label,
                "after_period": reporting.label,
                "first_period": first.label,
            }
            tolerance = analysis.tolerance_points if percent else analysis.tolerance_count
            if reporting < first:
                row.update(
                    verdict="too_early",
                    units=m.organizations,
                    scope="organizations" if m.organizations else analysis.level,
                )
                out.append(row)
                continue
            org_here = org_rows[org_rows["indicator"] == ind_id]
            targeted_orgs = m.organizations and len(org_here) > 0
            if targeted_orgs:
                chosen = org_here["unit"].astype(str).isin(m.organizations)
                groups = {"": org_here[chosen], "others_": org_here[~chosen]}
                scope = "organizations"
            else:
                groups = {"": top_rows[top_rows["indicator"] == ind_id]}
                scope = analysis.level
            for prefix, rows in groups.items():
                period = rows["period"].astype(str)
                values = []
                for p in (before, reporting):
                    if p.label not in by_label:
                        values.append(float("nan"))
                        continue
                    v, _ = _group_value(
                        rows[period == p.label],
                        indicator.kind,
                        indicator.minimum,
                        organizations=bool(targeted_orgs),
                    )
                    values.append(v)
                row[f"{prefix}before"], row[f"{prefix}after"] = values
                row[f"{prefix}change"] = values[1] - values[0]
            row["scope"] = scope
            row["units"] = (
                m.organizations
                if targeted_orgs
                else tuple(pd.unique(groups[""]["unit"].astype(str)))
            )
            row["verdict"] = _verdict(row["change"], float(indicator.direction), tolerance)
            others = row.get("others_change", float("nan"))
            if targeted_orgs and not np.isnan(others) and not np.isnan(row["change"]):
                diff = float(indicator.direction) * (row["change"] - others)
                row["compared"] = "better" if diff > 0 else "worse" if diff < 0 else "same"
            out.append(row)
    columns = [
        "measure",
        "title",
        "date",
        "kind",
        "document",
        "responsible",
        "indicator",
        "name",
        "percent",
        "scope",
        "units",
        "before_period",
        "after_period",
        "first_period",
        "before",
        "after",
        "change",
        "others_before",
        "others_after",
        "others_change",
        "verdict",
        "verdict_label",
        "compared",
        "summary",
    ]
    frame = pd.DataFrame(out, columns=columns)
    frame["verdict_label"] = frame["verdict"].map(VERDICT_LABELS)
    frame["percent"] = [v is True for v in frame["percent"].astype(object)]
    frame["units"] = frame["units"].map(lambda u: tuple(u) if isinstance(u, tuple | list) else ())
    frame["compared"] = [v if isinstance(v, str) else "" for v in frame["compared"].astype(object)]
    frame["summary"] = [_summary(r, analysis) for r in frame.to_dict("records")]
    return frame


def _fmt(value: float, percent: bool) -> str:
    if value is None or np.isnan(value):
        return "нет данных"
    return format_value(value, "value", percent=percent)


def _summary(row: Mapping[str, Any], analysis: Analysis) -> str:
    verdict = row["verdict"]
    if verdict == "not_judged":
        return "Показатели, на которые направлена мера, не указаны — эффективность не оценивается."
    if verdict == "too_early":
        return (
            f"Рано оценивать: мера принята {row['date']:%d.%m.%Y}, её результат будет виден "
            f"в данных за {row['first_period']}."
        )
    pct = bool(row["percent"])
    who = (
        "в организациях, на которые направлена мера"
        if row["scope"] == "organizations"
        else "в муниципалитете"
    )
    text = (
        f"{row['indicator']} {who}: {row['before_period']} — {_fmt(row['before'], pct)}, "
        f"{row['after_period']} — {_fmt(row['after'], pct)}: {VERDICT_LABELS[verdict]}"
    )
    if row["scope"] == "organizations" and not pd.isna(row.get("others_before")):
        text += (
            f"; в остальных организациях: {_fmt(row['others_before'], pct)} → "
            f"{_fmt(row['others_after'], pct)}"
        )
        compared = {"better": "лучше", "worse": "хуже", "same": "так же, как"}.get(
            row.get("compared", "")
        )
        if compared:
            text += f" (динамика {compared} остальных)"
    return text + "."


def measure_summary(frame: pd.DataFrame) -> pd.DataFrame:
    """One row per measure: the verdict over all its indicators.

    ``improved`` when every judged indicator improved, ``not_improved`` when none did,
    ``partly`` otherwise; ``too_early`` when nothing can be judged yet.

    :param frame: the frame of :func:`effectiveness`.
    :returns: columns ``measure``, ``title``, ``date``, ``indicators``, ``verdict``,
        ``verdict_label``.
    """
    rows = []
    for measure, g in frame.groupby("measure", sort=False):
        verdicts = list(g["verdict"])
        judged = [v for v in verdicts if v in ("improved", "not_improved")]
        if judged:
            if all(v == "improved" for v in judged):
                verdict = "improved"
            elif not any(v == "improved" for v in judged):
                verdict = "not_improved"
            else:
                verdict = "partly"
        elif "too_early" in verdicts:
            verdict = "too_early"
        elif "not_judged" in verdicts:
            verdict = "not_judged"
        else:
            verdict = "no_data"
        rows.append(
            {
                "measure": measure,
                "title": g["title"].iloc[0],
                "date": g["date"].iloc[0],
                "indicators": ", ".join(i for i in g["indicator"] if i),
                "verdict": verdict,
                "verdict_label": VERDICT_LABELS[verdict],
            }
        )
    return pd.DataFrame(
        rows, columns=["measure", "title", "date", "indicators", "verdict", "verdict_label"]
    )
