"""The report's content, independent of the file format.

:func:`build_report` gathers everything the ИАС states (analysis, recommendations,
effectiveness of measures, optionally a rating) into a :class:`Report`; :func:`narrative`
turns it into a list of blocks — headings, paragraphs, tables, charts — that the .docx and
.html writers render the same way. The .xlsx writer reads the frames of the report
directly, for further work.

Every number a methodologist reads is formatted here, the Russian way, and small counts
are suppressed here, so the three files agree.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Callable, Iterable, Mapping, Sequence
from pathlib import Path
from typing import Any, Final, cast

import attrs
import numpy as np
import pandas as pd

from pedprof.cycle.documents import (
    CHAIN_LINKS,
    Completeness,
    DocumentRegistry,
    RegisteredDocument,
    assess_completeness,
    chain_verdict,
    cycle_chains,
    document_registry,
)
from pedprof.cycle.measures import MeasureRegister, effectiveness, measure_summary
from pedprof.cycle.roadmaps import (
    ExecutionSummary,
    StatusRegister,
    reference_date,
    roadmap_execution_summary,
)
from pedprof.evaluate.analysis import (
    CRITERION_DYNAMICS_LABELS,
    EFFECT_RESULT_LABELS,
    NO_COMPARISON,
    REASON_COLUMNS,
    STATUS_LABELS,
    Analysis,
    analyze,
    change_reasons,
    target_phrase,
)
from pedprof.evaluate.recommendations import Recommendation, recommend
from pedprof.formatting import format_number, format_value
from pedprof.model.data import Dataset
from pedprof.model.indicators import Indicator
from pedprof.model.mechanism import CycleComponent, Document
from pedprof.model.periods import PeriodKind, parse_period
from pedprof.model.profile import Profile

__all__ = [
    "Block",
    "Bullets",
    "Cell",
    "Chart",
    "Diagram",
    "Heading",
    "Orientation",
    "Paragraph",
    "Report",
    "Table",
    "build_report",
    "chain_matrix",
    "display_name",
    "narrative",
    "period_words",
    "reason_rows",
]

SUPPRESSED: Final = "*"
#: Tone of a status, for cell shading.
STATUS_TONES: Final[Mapping[str, str]] = {
    "target_met": "good",
    "positive_dynamics": "good",
    "stable": "neutral",
    "negative_dynamics": "bad",
    "target_not_met": "bad",
    "target_not_due": "muted",
    "no_comparison": "muted",
    "no_data": "muted",
    "not_applicable": "muted",
}
VERDICT_TONES: Final[Mapping[str, str]] = {
    "improved": "good",
    "partly": "neutral",
    "not_improved": "bad",
    "too_early": "muted",
    "no_data": "muted",
    "not_judged": "muted",
}
EFFECT_TONES: Final[Mapping[str, str]] = {
    "positive_dynamics": "good",
    "strong_state": "good",
    "not_observed": "bad",
    "not_judged": "muted",
}
EVIDENCE_TONES: Final[Mapping[str, str]] = {
    "approved": "good",
    "named": "neutral",
    "planned": "bad",
    "missing": "bad",
}
LINK_TONES: Final[Mapping[str, str]] = {
    "specific": "good",
    "general": "neutral",
    "declared": "bad",
    "missing": "bad",
}
#: Short Russian labels of chain link states, for the criterion × link matrix.
LINK_SHORT: Final[Mapping[str, str]] = {
    "specific": "есть, по критерию",
    "general": "есть, общий",
    "declared": "предусмотрено, нет документа",
    "missing": "нет",
}
ROADMAP_TONES: Final[Mapping[str, str]] = {
    "done": "good",
    "done_late": "neutral",
    "not_required": "muted",
    "in_progress": "neutral",
    "overdue": "bad",
    "pending": "muted",
    "as_needed": "muted",
    "unparsed": "muted",
}
_QUARTERS: Final = ("I", "II", "III", "IV")
#: Russian words for the units of a level: (plural genitive, plural dative, plural
#: prepositional, singular nominative, plural nominative).
_WORDS: Final[Mapping[str, tuple[str, str, str, str, str]]] = {
    "organization": (
        "образовательных организаций",
        "организациям",
        "организациях",
        "Организация",
        "образовательные организации",
    ),
    "municipality": (
        "муниципалитетов",
        "муниципалитетам",
        "муниципалитетах",
        "Муниципалитет",
        "муниципалитеты",
    ),
    "region": ("регионов", "регионам", "регионах", "Регион", "регионы"),
}
_TOP_WORDS: Final[Mapping[str, str]] = {
    "municipality": "муниципалитету",
    "region": "региону",
    "organization": "организации",
}


def _w(level: str, k: int) -> str:
    return _WORDS.get(level, _WORDS["organization"])[k]


# --------------------------------------------------------------------------- blocks


def _strs(value: Iterable[str]) -> tuple[str, ...]:
    return tuple(value)


def _floats(value: Iterable[float]) -> tuple[float, ...]:
    return tuple(float(v) for v in value)


def _rows(value: Iterable[Iterable[Cell]]) -> tuple[tuple[Cell, ...], ...]:
    return tuple(tuple(row) for row in value)


Panel = tuple[str, tuple[float, ...], float, bool]


def _panels(value: Iterable[Panel]) -> tuple[Panel, ...]:
    return tuple(value)


def _series(
    value: Iterable[tuple[str, tuple[float, ...]]],
) -> tuple[tuple[str, tuple[float, ...]], ...]:
    return tuple((name, tuple(float(v) for v in values)) for name, values in value)


def _recs(value: Iterable[Recommendation]) -> tuple[Recommendation, ...]:
    return tuple(value)


@attrs.frozen
class Cell:
    """A table cell: the text shown, the raw value (for spreadsheets) and a tone."""

    text: str
    value: object = None
    tone: str | None = None
    bold: bool = False
    align: str = "left"


@attrs.frozen
class Heading:
    """A heading; ``level`` 0 is the title."""

    text: str
    level: int = 1
    anchor: str | None = None


@attrs.frozen
class Paragraph:
    """A paragraph; ``style``: ``normal``, ``note``, ``lead``, ``right`` or ``center``."""

    text: str
    style: str = "normal"
    bold_prefix: str = ""


@attrs.frozen
class Bullets:
    """A bulleted list."""

    items: tuple[str, ...] = attrs.field(converter=_strs)


@attrs.frozen
class Table:
    """A table with a header row.

    :param widths: relative column widths.
    :param caption: shown above the table.
    :param note: shown below it (e.g. what «*» means).
    """

    columns: tuple[str, ...] = attrs.field(converter=_strs)
    rows: tuple[tuple[Cell, ...], ...] = attrs.field(converter=_rows)
    widths: tuple[float, ...] = attrs.field(default=(), converter=_floats)
    caption: str = ""
    note: str = ""
    font_size: float = 9.0


@attrs.frozen
class Chart:
    """A chart: small multiples of bars by period, or horizontal bars by category.

    :param kind: ``periods`` (one panel per series: bars per period, a dashed target) or
        ``hbar`` (one bar per category, stacked by series).
    :param panels: ``periods``: one ``(title, values per period, target, percent)`` per
        indicator; ``hbar``: unused.
    :param categories: ``periods``: the period labels; ``hbar``: the bar labels.
    :param series: ``hbar``: series name → values per category.
    :param hidden: ``periods``: the panels whose last value is suppressed (labelled «*»,
        not «нет данных»).
    """

    title: str
    kind: str
    categories: tuple[str, ...] = attrs.field(converter=_strs)
    panels: tuple[Panel, ...] = attrs.field(default=(), converter=_panels)
    series: tuple[tuple[str, tuple[float, ...]], ...] = attrs.field(default=(), converter=_series)
    key: str = ""
    hidden: tuple[str, ...] = attrs.field(default=(), converter=_strs)


@attrs.frozen(eq=False)
class Diagram:
    """The chains of the management cycle as a diagram (:func:`pedprof.cycle.documents.chain_svg`):
    one row of boxes per criterion, missing links dashed.

    :param title: the caption.
    :param chains: the frame of :func:`pedprof.cycle.documents.cycle_chains`.
    """

    title: str
    chains: pd.DataFrame
    key: str = "chains"


@attrs.frozen
class Orientation:
    """Switch the page orientation (docx) from here on: ``portrait`` or ``landscape``."""

    orientation: str


Block = Heading | Paragraph | Bullets | Table | Chart | Diagram | Orientation


# --------------------------------------------------------------------------- the report


@attrs.frozen(kw_only=True)
class Report:
    """Everything one ИАС states, gathered once.

    :param analysis: the analysis of the reporting period.
    :param data: the dataset.
    :param recommendations: the targeted recommendations.
    :param measures: the register of measures (may be empty).
    :param effectiveness: one row per measure × indicator (see
        :func:`pedprof.cycle.measures.effectiveness`).
    :param rating: the ranking frame of a rating (``unit``, ``score``, ``rank`` …), if any.
    :param rating_note: how the rating was made, in Russian (or why there is none).
    :param suppress_below: values of shares whose denominator is below this are hidden.
    :param note: a remark printed under the title (e.g. «демонстрационные данные»).
    :param created: the date of the report.
    :param reasons: the reasons for changes recorded in the data
        (:func:`pedprof.evaluate.analysis.change_reasons`, at the analysis level).
    :param cycle: the completeness of the management cycle, if assessed.
    :param chains: the chain of each criterion (:func:`pedprof.cycle.documents.cycle_chains`).
    :param roadmap: the roadmap execution summary, when the profile has a roadmap.
    :param roadmap_statuses: whether execution statuses were given (without them every
        row whose deadline has passed counts as overdue).
    :param roadmap_today: the reference date of the roadmap summary.
    :param roadmap_today_reason: why that date, in Russian («конец анализируемого
        периода», «задана явно» …).
    :param full: the full справка (every section and appendix) rather than the concise one.
    :param preface: the methodologist's own words, inserted verbatim after the title.
    """

    analysis: Analysis
    data: Dataset
    recommendations: tuple[Recommendation, ...] = attrs.field(converter=_recs)
    measures: MeasureRegister = attrs.field(factory=MeasureRegister)
    effectiveness: pd.DataFrame
    rating: pd.DataFrame | None = None
    rating_note: str = ""
    suppress_below: float | None = None
    note: str = ""
    created: dt.date = attrs.field(factory=dt.date.today)
    reasons: pd.DataFrame = attrs.field(factory=lambda: pd.DataFrame(columns=list(REASON_COLUMNS)))
    cycle: Completeness | None = None
    chains: pd.DataFrame | None = None
    roadmap: ExecutionSummary | None = None
    roadmap_statuses: bool = False
    roadmap_today: dt.date | None = None
    roadmap_today_reason: str = ""
    full: bool = False
    preface: str = ""

    @property
    def today_text(self) -> str:
        """«Дата, на которую оценено исполнение: 31.08.2024 (конец анализируемого
        периода).» — or '' without a roadmap."""
        if self.roadmap is None or self.roadmap_today is None:
            return ""
        why = f" ({self.roadmap_today_reason})" if self.roadmap_today_reason else ""
        return f"Дата, на которую оценено исполнение: {self.roadmap_today:%d.%m.%Y}{why}."

    @property
    def profile(self) -> Profile:
        """The profile."""
        return self.analysis.profile

    @property
    def title(self) -> str:
        """The report title."""
        return "Информационно-аналитическая справка"

    @property
    def subtitle(self) -> str:
        """What the report is about, for which territory and period."""
        p = self.profile
        return (
            f"по результатам мониторинга по направлению «{p.title}» — {p.info.territory}, "
            f"{period_words(self.analysis.period, p.info.period_kind)}"
        )

    def suppressed(self, row: Mapping[str, Any]) -> bool:
        """Whether a result row's value must be hidden (a share over fewer than N persons)."""
        if self.suppress_below is None or not bool(row.get("percent", False)):
            return False
        if not _over_persons(self.profile, str(row.get("indicator", ""))):
            return False  # a share of organisations, associations … is not about persons
        den = row.get("denominator")
        if den is None or pd.isna(den):
            return False
        return 0 < float(den) < self.suppress_below

    def value_text(self, row: Mapping[str, Any]) -> str:
        """A result row's value as text («66,6 %», «5», «нет данных», «*»)."""
        if self.suppressed(row):
            return SUPPRESSED
        return format_value(
            float(row["value"]), str(row["state"]), percent=bool(row.get("percent", False))
        )

    def number(self, indicator_id: str) -> str:
        """The indicator's number in the order («1», «1 (годовое чтение)»)."""
        return indicator_numbers(self.profile).get(indicator_id, indicator_id)

    def row_number(self, indicator_id: str) -> str:
        """The number in a table row next to :func:`display_name` (which already says which
        reading): «1» for an indicator and for each of its readings."""
        return self.number(indicator_id).split(" (", 1)[0]

    def indicator_word(self, indicator_id: str) -> str:
        """«показатель 1» — how the signed text names an indicator."""
        return f"показатель {self.number(indicator_id)}"

    def official(self, text: str) -> str:
        """``text`` with indicator codes replaced by their numbers in the order and rule
        codes dropped (see :func:`official_text`)."""
        return official_text(self.profile, text)

    def suppression_note(self) -> str:
        """What «*» means, when suppression is on."""
        if self.suppress_below is None:
            return ""
        return (
            f"{SUPPRESSED} — значение не приводится: знаменатель менее "
            f"{format_number(self.suppress_below, 0)} человек (защита от идентификации)."
        )


def _over_persons(profile: Profile, indicator_id: str) -> bool:
    """Whether the indicator's denominator counts persons (small-count suppression applies)."""
    try:
        ind = profile.indicator(indicator_id)
    except (KeyError, LookupError):
        return True
    return ind.distinct == "person_id"


_NUMBERS: dict[tuple[str, tuple[str, ...]], dict[str, str]] = {}
_PATTERNS: dict[tuple[str, tuple[str, ...]], re.Pattern[str]] = {}


def indicator_numbers(profile: Profile) -> dict[str, str]:
    """Indicator id → its number in the order's table: the base indicators numbered in the
    profile's order («1» … «24»), an alternative reading after its indicator's number
    («1 (годовое чтение)»)."""
    key = (profile.id, tuple(i.id for i in profile.indicators))
    if key in _NUMBERS:
        return _NUMBERS[key]
    base = [i for i in profile.indicators if i.reading_of is None]
    pos = {i.id: str(n) for n, i in enumerate(base, start=1)}
    out: dict[str, str] = {}
    for ind in profile.indicators:
        if ind.reading_of is None:
            out[ind.id] = pos[ind.id]
            continue
        qual = "другое чтение"
        if ind.short_name and "," in ind.short_name:
            qual = ind.short_name.split(",", 1)[1].strip()
        out[ind.id] = f"{pos.get(ind.reading_of, ind.reading_of)} ({qual})"
    _NUMBERS[key] = out
    return out


def short_label(profile: Profile, indicator_id: str, width: int = 48) -> str:
    """The label of an indicator on a chart axis: its number and its short name (or the
    beginning of its name, cut at a word boundary)."""
    ind = profile.indicator(indicator_id)
    number = indicator_numbers(profile).get(indicator_id, indicator_id)
    ids = {i.id for i in profile.indicators}
    name = ind.short_name or ""
    if name.split(",", 1)[0].strip() in ids:
        name = ""  # «k20, за трёхлетний период» says which reading, not what is measured
    if not name:
        src = profile.indicator(ind.reading_of) if ind.reading_of else ind
        name = src.name
        if len(name) > width:
            cut = name[:width].rsplit(" ", 1)[0].rstrip(",;:(«")
            name = f"{cut}…"
    return f"{number}. {name}"


def criterion_number(profile: Profile, criterion: object) -> str:
    """The criterion's number in the mechanism («1» for the first), or its name."""
    mech = profile.info.mechanism
    if mech is not None:
        for n, (cid, _) in enumerate(mech.criteria, start=1):
            if cid == criterion:
                return str(n)
    return str(criterion)


_RULE = re.compile(r"правило «[^»]*»:\s*")


def official_text(profile: Profile, text: str) -> str:
    """The text a head signs: indicator codes («k01», «k20.three_years») become
    «показатель 1», «показатели 20 (за трёхлетний период), 21»; recommendation rule codes
    («правило «deficits»: ») are dropped. Other text is returned unchanged."""
    if not text:
        return text
    key = (profile.id, tuple(i.id for i in profile.indicators))
    pattern = _PATTERNS.get(key)
    numbers = indicator_numbers(profile)
    if pattern is None:
        ids = sorted(numbers, key=len, reverse=True)
        one = "(?:" + "|".join(re.escape(i) for i in ids) + ")"
        pattern = re.compile(rf"(?<![\w.]){one}(?!\w)(?:(?:, | и ){one}(?!\w))*")
        _PATTERNS[key] = pattern

    def repl(m: re.Match[str]) -> str:
        found = re.split(r", | и ", m[0])
        nums = ", ".join(numbers.get(x, x) for x in found)
        before = text[: m.start()]
        if re.search(r"показател\w*\s*(№\s*)?$", before, flags=re.IGNORECASE):
            return nums
        word = "показатель" if len(found) == 1 else "показатели"
        if not before.strip() or (
            before.rstrip().endswith(("\n", ".", ":")) and not before.endswith(": ")
        ):
            word = word.capitalize()
        return f"{word} {nums}"

    out = pattern.sub(repl, text)
    if _RULE.search(out):
        out = _RULE.sub("", out)
        seen: set[str] = set()
        kept = []
        for part in out.split("; "):
            tail = part.rsplit(": ", 1)[-1]
            if tail not in seen:
                seen.add(tail)
                kept.append(part)
        out = "; ".join(kept)
    return out


def period_words(label: str, kind: PeriodKind) -> str:
    """«2023-2024 учебный год», «2024 год», «II квартал 2024 года»."""
    p = parse_period(label, kind)
    if kind is PeriodKind.SCHOOL_YEAR:
        return f"{p.label} учебный год"
    if kind is PeriodKind.YEAR:
        return f"{p.label} год"
    year, q = divmod(p.ordinal, 4)
    return f"{_QUARTERS[q]} квартал {year} года"


def citation(doc: Document) -> str:
    """How the report cites a document: the title in «», whatever the profile stored."""
    title = doc.title.strip()
    if title and not title.startswith("«"):
        doc = attrs.evolve(doc, title=f"«{title}»")
    return doc.citation()


def display_name(ind: Indicator) -> str:
    """The verbatim name; an alternative reading says which («… (годовое чтение)»)."""
    if ind.reading_of and ind.short_name and "," in ind.short_name:
        return f"{ind.name} ({ind.short_name.split(',', 1)[1].strip()})"
    return ind.name


def _default_rating(analysis: Analysis) -> tuple[pd.DataFrame | None, str]:
    """Rate the organisations of the reporting period with the rating module, if present."""
    from pedprof.rating import METHOD_NAMES, rate

    profile = analysis.profile
    base = [i for i in profile.indicators if i.reading_of is None]
    level = analysis.problem_level
    level_rows = analysis.indicators[
        (analysis.indicators["level"].astype(str) == level)
        & (analysis.indicators["period"].astype(str) == analysis.period)
    ]
    present = set(level_rows["indicator"].astype(str))
    ids = [i.id for i in base if i.id in present]
    if not ids or level_rows["unit"].nunique() < 2:
        return None, ""
    try:
        # the profile's own rating declaration (criteria, directions, points scale), as
        # pedprof.rate and pedprof rate apply it, restricted to the indicators computed
        # at this level
        rating = rate(
            analysis.indicators,
            profile=profile,
            level=cast(Any, level),
            period=analysis.period,
            indicators=ids,
            sensitivity=False,
        )
    except Exception as exc:  # the report must not fail because of the rating
        return None, f"Рейтинг не составлен: {exc}"
    scale = rating.points_scale
    if rating.method == "points":
        how = (
            f"методом баллов: целевое значение достигнуто — {format_number(scale.target_met)}, "
            f"положительная динамика — {format_number(scale.positive_dynamics)}, иначе — "
            f"{format_number(scale.other)}; балл — доля от максимально возможного (0–100)"
        )
    else:
        how = f"методом «{METHOD_NAMES.get(rating.method, rating.method)}»; балл от 0 до 100"
    within = (
        f", места — внутри {'муниципалитета' if level == 'organization' else 'региона'}"
        if rating.within == "parent"
        else ""
    )
    note = (
        f"Рейтинг составлен по показателям, рассчитываемым для {_w(level, 0)} "
        f"({len(ids)} показателей; альтернативные чтения не учитываются), {how}{within}. "
        "Показатели без данных или неприменимые не учитываются."
    )
    return rating.ranking, note


def build_report(
    profile: Profile | str,
    data: Dataset,
    results: pd.DataFrame | None = None,
    *,
    analysis: Analysis | None = None,
    period: str | None = None,
    measures: MeasureRegister | None = None,
    suppress_below: float | None = None,
    rating: pd.DataFrame | bool | None = True,
    note: str = "",
    created: dt.date | None = None,
    tolerance_points: float = 0.0,
    tolerance_count: float = 0.0,
    documents: DocumentRegistry | Sequence[Any] | None = None,
    roadmap_status: StatusRegister | pd.DataFrame | None = None,
    today: dt.date | None = None,
    cycle: bool = True,
    full: bool = False,
    preface: str | Path | None = None,
) -> Report:
    """Gather the content of the ИАС.

    :param profile: the profile (or its id).
    :param data: the dataset.
    :param results: the frame of :func:`pedprof.compute` (computed when omitted).
    :param analysis: a ready analysis (then ``results``, ``period`` and the tolerances
        are not used).
    :param period: the reporting period (default: the latest).
    :param measures: the register of measures for the effectiveness section.
    :param suppress_below: hide shares whose denominator is below this.
    :param rating: ``True`` to rate organisations with :func:`pedprof.rating.rate`,
        ``False`` for no rating, or a ready ranking frame.
    :param note: a remark under the title.
    :param created: the date the report is written (default: today); it is not the date
        execution is judged on.
    :param documents: the mechanism's documents beyond the profile's own: a registry or
        sources for :func:`pedprof.cycle.documents.document_registry` (files, frames); the measures
        of ``measures`` count as evidence too.
    :param roadmap_status: execution statuses of the roadmap
        (:func:`pedprof.cycle.roadmaps.load_statuses`).
    :param today: the date roadmap execution is judged on. By default the last day of
        the reporting period — a past year is never judged from the day the report is
        written — or the current date while that period is not over
        (:func:`pedprof.cycle.roadmaps.reference_date`); the report states which date it used.
    :param cycle: include the management cycle and the roadmap sections.
    :param full: write the full справка (results by criterion with charts, effects, data
        quality, rating, cycle, roadmap, appendices) instead of the concise one (goal and
        basis, summary table, conclusions per criterion, problem zones, recommendations,
        measures and decisions).
    :param preface: the methodologist's own words, inserted verbatim after the title: the
        text, or a :class:`~pathlib.Path` to a UTF-8 text file holding it.
    :returns: the :class:`Report`.
    """
    preface_text = ""
    if isinstance(preface, Path):
        preface_text = preface.read_text("utf-8").strip()
    elif preface:
        preface_text = preface.strip()
    if analysis is None:
        analysis = analyze(
            profile,
            data,
            results,
            period=period,
            tolerance_points=tolerance_points,
            tolerance_count=tolerance_count,
        )
    register = measures if measures is not None else MeasureRegister()
    recs = recommend(analysis, suppress_below=suppress_below)
    eff = effectiveness(analysis, register)
    if rating is True:
        ranking, rating_note = _default_rating(analysis)
    elif rating is False or rating is None:
        ranking, rating_note = None, ""
    else:
        ranking, rating_note = rating, ""
    created = created or dt.date.today()
    period_end = parse_period(analysis.period, analysis.profile.info.period_kind).end
    on, on_reason = reference_date(period_end, today)
    reasons = change_reasons(analysis.profile, data, level=analysis.level)
    completeness: Completeness | None = None
    chains: pd.DataFrame | None = None
    summary: ExecutionSummary | None = None
    if cycle:
        prof = analysis.profile
        sources: Sequence[Any]
        if documents is None:
            sources = ()
        elif isinstance(documents, DocumentRegistry):
            sources = (documents,)
        else:
            sources = tuple(documents)
        registry = document_registry(prof, *sources, measures=register if len(register) else None)
        registry = registry.merged(_this_report(analysis, created))
        completeness = assess_completeness(prof, registry)
        chains = cycle_chains(prof, registry)
        if prof.roadmaps:
            summary = roadmap_execution_summary(
                prof,
                roadmap_status,
                today=on,
                documents=registry,
                years=_roadmap_years(analysis),
            )
    return Report(
        analysis=analysis,
        data=data,
        recommendations=recs,
        measures=register,
        effectiveness=eff,
        rating=ranking,
        rating_note=rating_note,
        suppress_below=suppress_below,
        note=note,
        created=created,
        reasons=reasons,
        cycle=completeness,
        chains=chains,
        roadmap=summary,
        roadmap_statuses=roadmap_status is not None,
        roadmap_today=on,
        roadmap_today_reason=on_reason,
        full=full,
        preface=preface_text,
    )


def _this_report(analysis: Analysis, created: dt.date) -> DocumentRegistry:
    """The справка being written is the analysis link of the cycle: it is not reported
    as a missing document of itself."""
    p = analysis.profile
    doc = Document(
        type="информационно-аналитическая справка",
        title=(
            "настоящая справка по результатам мониторинга за "
            f"{period_words(analysis.period, p.info.period_kind)}"
        ),
        date=created,
        components=(CycleComponent.ANALYSIS,),
    )
    return DocumentRegistry(
        (RegisteredDocument(id="ИАС", document=doc, origin="настоящая справка"),)
    )


def _roadmap_years(analysis: Analysis) -> list[int] | None:
    """The roadmap years up to the calendar year the reporting period ends in."""
    end = parse_period(analysis.period, analysis.profile.info.period_kind).end_year
    from pedprof.cycle.roadmaps import roadmap_horizon

    years: set[int] = set()
    for roadmap in analysis.profile.roadmaps:
        horizon = roadmap_horizon(roadmap)
        if horizon is None:
            return None
        years.update(range(horizon[0], horizon[1] + 1))
    return sorted(y for y in years if y <= end) or None


# --------------------------------------------------------------------------- helpers


def _records(frame: pd.DataFrame) -> list[dict[str, Any]]:
    return [dict(r) for r in frame.to_dict("records")]


def _num(value: Any, percent: bool, digits: int = 1) -> str:
    if value is None or pd.isna(value):
        return "—"
    return format_value(float(value), "value", percent=percent, digits=digits)


def _change_text(row: Mapping[str, Any]) -> str:
    """«+18,2 п.п.»; «нет данных для сравнения» for a value without a previous one (the
    first period); «—» without a value."""
    change = row.get("change_abs")
    if change is None or pd.isna(change):
        return NO_COMPARISON if row.get("state") == "value" else "—"
    sign = "+" if change > 0 else "−" if change < 0 else "±"
    unit = " п.п." if row.get("percent") else ""
    return f"{sign}{format_number(abs(float(change)))}{unit}"


def _target_text(report: Report, row: Mapping[str, Any]) -> str:
    target = report.profile.targets.get(str(row["indicator"]))
    if target is None:
        return "не установлено"
    threshold = row.get("target")
    number = np.nan if threshold is None or pd.isna(threshold) else float(threshold)
    phrase = target_phrase(target, number, percent=bool(row.get("percent")))
    return phrase.removeprefix("целевое значение: ") or target.text


def _criteria(profile: Profile) -> list[tuple[str | None, str, list[Indicator]]]:
    groups: list[tuple[str | None, str, list[Indicator]]] = []
    mech = profile.info.mechanism
    if mech is not None:
        for cid, cname in mech.criteria:
            members = [i for i in profile.indicators if i.criterion == cid]
            if members:
                groups.append((cid, cname, members))
    rest = [i for i in profile.indicators if not any(i in g[2] for g in groups)]
    if rest:
        groups.append((None, "Прочие показатели", rest))
    return groups


def _periods(report: Report) -> list[str]:
    a = report.analysis
    top = a.indicators[a.indicators["level"].astype(str) == a.level]
    used = set(top["period"].astype(str))
    return [str(p) for p in a.indicators["period"].cat.categories if str(p) in used]


def _top_rows(report: Report) -> dict[tuple[str, str], dict[str, Any]]:
    """(indicator, period) → the top-level total row (first unit when several)."""
    a = report.analysis
    top = a.indicators[
        (a.indicators["level"].astype(str) == a.level) & a.indicators["breakdown"].isna()
    ]
    out: dict[tuple[str, str], dict[str, Any]] = {}
    for r in _records(top):
        out.setdefault((str(r["indicator"]), str(r["period"])), r)
    return out


# --------------------------------------------------------------------------- sections


def _title(report: Report) -> list[Block]:
    p = report.profile
    issuer = ""
    if p.info.approved_by is not None and p.info.approved_by.issuer:
        issuer = f" {p.info.approved_by.issuer}"
    blocks: list[Block] = [
        Paragraph(
            f"Приложение к приказу{issuer}\nот «___» ____________ 20___ г. № _____",
            style="right",
        ),
        Heading(report.title, level=0),
        Paragraph(
            f"по результатам мониторинга по направлению «{p.title}»\n{p.info.territory}, "
            f"{period_words(report.analysis.period, p.info.period_kind)}",
            style="center",
        ),
    ]
    if report.note:
        blocks.append(Paragraph(report.note, style="lead"))
    return blocks


def _purpose(report: Report) -> list[Block]:
    p = report.profile
    blocks: list[Block] = [Heading("1. Цель и основания", anchor="purpose")]
    campaign = p.info.campaign
    if campaign is not None and campaign.goal:
        blocks.append(Paragraph(f"Цель мониторинга — {_lower_first(campaign.goal).rstrip('.')}."))
    mech = p.info.mechanism
    if mech is not None and mech.goal:
        blocks.append(Paragraph(f"{mech.title}: цель — {_lower_first(mech.goal).rstrip('.')}."))
    docs = []
    if p.info.approved_by is not None:
        docs.append(citation(p.info.approved_by))
    if mech is not None:
        docs.extend(citation(d) for d in mech.justification)
    if docs:
        blocks.append(Paragraph("Основания проведения мониторинга и анализа:"))
        blocks.append(Bullets(docs))
    if campaign is not None and campaign.stages:
        stages = "; ".join(f"{s.number}) {s.label}" for s in campaign.stages)
        blocks.append(
            Paragraph(
                f"Мониторинг проводится {_frequency(campaign.frequency)} в {len(campaign.stages)} "
                f"этапа: {stages}. Справка подготовлена на заключительном этапе."
            )
        )
    return blocks


def _lower_first(text: str) -> str:
    """«Совершенствовать …» → «совершенствовать …» (an abbreviation such as «МСОКО» stays)."""
    text = text.strip()
    if len(text) > 1 and text[0].isupper() and text[1].islower():
        return text[0].lower() + text[1:]
    return text


def _frequency(freq: str) -> str:
    return {
        "annual": "ежегодно",
        "quarterly": "ежеквартально",
        "semiannual": "раз в полугодие",
    }.get(freq, freq)


def _data_section(report: Report) -> list[Block]:
    a = report.analysis
    p = report.profile
    blocks: list[Block] = [Heading("2. Данные мониторинга", anchor="data")]
    sub = a.submissions[a.submissions["period"] == a.period]
    counts = sub["status"].value_counts()
    expected = len(sub)
    on_time = int(counts.get("on_time", 0))
    late = int(counts.get("late", 0))
    missing = int(counts.get("missing", 0))
    other = expected - on_time - late - missing
    text = (
        f"В мониторинге за {period_words(a.period, p.info.period_kind)} должны были участвовать "
        f"{expected} {_w(a.problem_level, 0)}."
    )
    if a.deadline is not None:
        text += (
            f" Сведения представили (срок — {a.deadline:%d.%m.%Y}): в срок — {on_time}, с "
            f"опозданием — {late}; не представили — {missing}."
        )
        if other:
            text += f" Без отметки о дате представления — {other}."
    else:
        text += (
            f" Сведения представили {expected - missing}, не представили — {missing}; срок "
            "представления профилем не установлен, своевременность не проверялась."
        )
    blocks.append(Paragraph(text))
    rows = []
    kind = p.info.period_kind
    for source in p.sources:
        frame = report.data.tables.get(source.name)
        if frame is None or "period" not in frame.columns:
            continue
        labels = frame["period"].astype(str)
        n = 0
        for lab in pd.unique(labels):
            try:
                if parse_period(lab, kind).label == a.period:
                    n += int((labels == lab).sum())
            except ValueError:
                continue
        rows.append(
            (Cell(source.title), Cell(_who(source.submitted_by)), Cell(format_number(n), n))
        )
    if rows:
        blocks.append(
            Table(
                ("Источник данных", "Кто представляет", "Записей за период"),
                rows,
                widths=(6, 3, 2),
                caption="Таблица 1. Источники данных за отчётный период",
            )
        )
    blocks.append(
        Paragraph(
            "В отчёте нет персональных данных: работники представлены обезличенными кодами, "
            "приводятся только сводные значения.",
            style="note",
        )
    )
    return blocks


def _who(submitted_by: object) -> str:
    value = str(getattr(submitted_by, "value", submitted_by))
    return {
        "organization": "образовательные организации",
        "municipality": "муниципальная методическая служба",
        "region": "региональный уровень",
    }.get(value, value)


def _state_rules() -> list[Block]:
    return [
        Paragraph(
            "Состояние каждого показателя определяется по правилам (по порядку): нет данных — "
            "сведения не представлены; не применимо — знаменатель равен нулю; целевое значение "
            "достигнуто; иначе по сравнению с предыдущим периодом — положительная динамика "
            "(рост), стабильно («сильное состояние»: без изменений) или отрицательная динамика "
            "(снижение). Если сравнивать не с чем (первый период), состояние определяет цель: "
            "целевое значение не достигнуто (срок наступил) или срок достижения цели не "
            "наступил; в графе «Изменение» тогда указано «нет данных для сравнения». Для долей "
            "изменение "
            "приводится в процентных пунктах (п.п.). Доли муниципалитета рассчитываются как "
            "отношение суммы числителей к сумме знаменателей по организациям, а не как среднее "
            "процентов.",
            style="note",
        )
    ]


def _results(report: Report, charts: bool) -> list[Block]:
    a = report.analysis
    p = report.profile
    periods = _periods(report)
    rows_by = _top_rows(report)
    blocks: list[Block] = [
        Orientation("landscape"),
        Heading("3. Результаты мониторинга по критериям", anchor="results"),
        *_state_rules(),
    ]
    crit = a.criteria.set_index("id") if len(a.criteria) else None
    table_no = 2
    for n, (cid, cname, members) in enumerate(_criteria(p), start=1):
        blocks.append(Heading(f"3.{n}. {cname}", level=2))
        rows = []
        panels = []
        hidden: list[str] = []
        for ind in members:
            series = []
            last: dict[str, Any] | None = None
            cells = [Cell(report.row_number(ind.id), bold=True), Cell(display_name(ind))]
            for per in periods:
                r = rows_by.get((ind.id, per))
                if r is None:
                    cells.append(Cell("—", align="right"))
                    series.append(np.nan)
                    continue
                text = report.value_text(r)
                value = None if text == SUPPRESSED or r["state"] != "value" else float(r["value"])
                cells.append(Cell(text, value, align="right"))
                series.append(np.nan if value is None else value)
                if per == a.period:
                    last = r
            if last is None:
                cells += [Cell("—"), Cell("—"), Cell("нет данных", tone="muted")]
            elif report.suppressed(last):
                hidden.append(short_label(p, ind.id))
                cells += [Cell(SUPPRESSED), Cell(_target_text(report, last)), _HIDDEN_CELL]
            else:
                status = str(last["status"])
                cells += [
                    Cell(_change_text(last), last.get("change_abs"), align="right"),
                    Cell(_target_text(report, last)),
                    Cell(STATUS_LABELS[status], status, tone=STATUS_TONES[status]),
                ]
            rows.append(cells)
            target = last.get("target") if last is not None else np.nan
            panels.append(
                (
                    short_label(p, ind.id),
                    tuple(series),
                    float(target) if target is not None and not pd.isna(target) else np.nan,
                    ind.is_share,
                )
            )
        widths = (1.6, 8.0, *([1.6] * len(periods)), 2.3, 3.4, 2.8)
        blocks.append(
            _without_targets(
                report,
                Table(
                    ("№", "Показатель", *periods, "Изменение", "Цель", "Состояние"),
                    rows,
                    widths=widths,
                    caption=(
                        f"Таблица. {cname}: значения показателей по "
                        f"{_TOP_WORDS.get(a.level, a.level)}"
                    ),
                    note=_note_if_suppressed(report, rows),
                ),
            )
        )
        table_no += 1
        if crit is not None and cid in crit.index:
            row = crit.loc[cid]
            if isinstance(row, pd.DataFrame):
                row = row.iloc[0]
            blocks.append(Paragraph(report.official(_group_sentence(row)), style="normal"))
        blocks.extend(_reason_blocks(report, [i.id for i in members], periods))
        if charts and panels:
            blocks.append(
                Chart(
                    title=f"Рисунок. {cname}: значения показателей по периодам и цель (красная черта)",
                    kind="periods",
                    categories=periods,
                    panels=panels,
                    hidden=hidden,
                    key=f"criterion-{n}",
                )
            )
    return blocks


def reason_rows(report: Report) -> list[dict[str, Any]]:
    """The recorded reasons at the analysis level joined with the change they explain:
    ``indicator, unit, unit_name, period, previous_period, previous, value, change, percent,
    reasons`` (one per indicator, unit and period, in the profile's and periods' order)."""
    a = report.analysis
    reasons = report.reasons
    if reasons is None or reasons.empty:
        return []
    states = a.indicators[
        (a.indicators["level"].astype(str) == a.level) & a.indicators["breakdown"].isna()
    ]
    by = {(str(r["indicator"]), str(r["unit"]), str(r["period"])): r for r in _records(states)}
    order = {i.id: n for n, i in enumerate(report.profile.indicators)}
    periods = [str(c) for c in a.indicators["period"].cat.categories]
    out: list[tuple[tuple[int, int], dict[str, Any]]] = []
    for r in _records(reasons):
        key = (str(r["indicator"]), str(r["unit"]), str(r["period"]))
        s = by.get(key)
        if s is None:
            continue
        k = periods.index(key[2]) if key[2] in periods else -1
        out.append(
            (
                (order.get(key[0], len(order)), k),
                {
                    "indicator": key[0],
                    "unit": key[1],
                    "unit_name": a.unit_name(key[1]),
                    "period": key[2],
                    "previous_period": periods[k - 1] if k > 0 else None,
                    "previous": s.get("previous_value"),
                    "value": s["value"] if s["state"] == "value" else np.nan,
                    "change": s.get("change_abs"),
                    "percent": bool(s.get("percent")),
                    "reasons": tuple(r["reasons"]),
                },
            )
        )
    out.sort(key=lambda x: x[0])
    return [x[1] for x in out]


def _reason_blocks(report: Report, ids: Sequence[str], periods: Sequence[str]) -> list[Block]:
    rows = [r for r in reason_rows(report) if r["indicator"] in ids and r["period"] in periods]
    if not rows:
        return []
    several = len({r["unit"] for r in rows}) > 1
    items = []
    for r in rows:
        where = f"{r['unit_name']}, " if several else ""
        change = _change_text({"change_abs": r["change"], "percent": r["percent"]})
        versus = (
            f" (изменение к {r['previous_period']}: {change})"
            if r["previous_period"] and change != "—"
            else ""
        )
        items.append(
            f"Показатель {report.number(r['indicator'])}, {where}{r['period']}{versus}: "
            f"{' '.join(r['reasons'])}"
        )
    return [
        Paragraph("Причины изменений, указанные в представленных сведениях:", style="note"),
        Bullets(items),
    ]


def _without_targets(report: Report, table: Table) -> Table:
    """Drop the «Цель» column when the profile sets no targets at all (Petrovsk)."""
    if report.profile.targets or "Цель" not in table.columns:
        return table
    k = table.columns.index("Цель")

    def drop(items: Sequence[Any]) -> list[Any]:
        return [x for n, x in enumerate(items) if n != k]

    return attrs.evolve(
        table,
        columns=drop(table.columns),
        rows=[drop(r) for r in table.rows],
        widths=drop(table.widths) if table.widths else (),
    )


_HIDDEN_CELL: Final = Cell("значение не приводится", "suppressed", tone="muted")


def _numbers(report: Report, ids: Iterable[str]) -> str:
    """«1, 1 (годовое чтение), 3» — indicators by their numbers in the order."""
    return ", ".join(report.number(str(i)) for i in ids)


def _hidden_zones_note(report: Report, n: int) -> str:
    return (
        f"Не приводятся проблемные зоны по значениям, скрытым для защиты от идентификации "
        f"(знаменатель менее {format_number(report.suppress_below or 0, 0)} человек): {n}."
    )


def _note_if_suppressed(report: Report, rows: Sequence[Sequence[Cell]]) -> str:
    if any(c.text == SUPPRESSED for row in rows for c in row):
        return report.suppression_note()
    return ""


#: The criterion's dynamics (kept for callers; the conclusion is
#: :func:`pedprof.evaluate.analysis.criterion_conclusion`).
CRITERION_RESULT_LABELS: Final[Mapping[str, str]] = CRITERION_DYNAMICS_LABELS


def _group_sentence(row: Mapping[str, Any]) -> str:
    """The criterion's conclusion, made once by the analysis (targets, dynamics, problem
    zones), so the report, the workbook and the problem-zone section agree."""
    return str(row["conclusion"])


def _effects(report: Report) -> list[Block]:
    a = report.analysis
    if a.effects.empty:
        return []
    blocks: list[Block] = [
        Orientation("portrait"),
        Heading("4. Планируемые управленческие эффекты", anchor="effects"),
        Paragraph(
            "Эффект наблюдается как положительная динамика, если все сравнимые показатели "
            "группы выросли; как сильное состояние (стабильность), если ни один не снизился; "
            "не наблюдается, если хотя бы один показатель группы снизился по сравнению с "
            f"{a.previous_period or 'предыдущим периодом'}.",
            style="note",
        ),
    ]
    rows = []
    for r in _records(a.effects):
        result = str(r["result"])
        text = (
            r["positive_dynamics_text"] if result == "positive_dynamics" else r["strong_state_text"]
        )
        detail = []
        for key, label in (
            ("growth", "рост"),
            ("stable", "без изменений"),
            ("decline", "снижение"),
        ):
            if r[key]:
                detail.append(f"{label}: {_numbers(report, r[key])}")
        if r["not_judged"]:
            detail.append(f"нет сравнения: {_numbers(report, r['not_judged'])}")
        number = r.get("number")
        rows.append(
            (
                Cell(str(number) if number is not None and not pd.isna(number) else str(r["id"])),
                Cell(str(text or "")),
                Cell(_numbers(report, r["indicators"])),
                Cell(
                    EFFECT_RESULT_LABELS[result] + ("; " + "; ".join(detail) if detail else ""),
                    result,
                    tone=EFFECT_TONES[result],
                ),
            )
        )
    blocks.append(
        Table(
            ("№", "Планируемый эффект (раздел IV)", "Показатели (№)", "Вывод"),
            rows,
            widths=(0.8, 9, 2.5, 5),
            caption="Таблица. Наблюдаются ли планируемые управленческие эффекты",
        )
    )
    return blocks


def _problems(report: Report, charts: bool) -> list[Block]:
    a = report.analysis
    p = a.problems
    blocks: list[Block] = [
        Heading("5. Проблемные зоны", anchor="problems"),
        Paragraph(
            f"Проблемная зона — {_w(a.problem_level, 3).lower()}, у которой значение показателя ниже целевого при "
            "наступившем сроке и (или) снизилось по сравнению с предыдущим периодом. В пределах "
            "показателя организации упорядочены от наиболее острой ситуации: сначала ниже цели "
            "и со снижением, затем ниже цели, затем снижение; внутри — по отставанию от цели и "
            "величине снижения.",
            style="note",
        ),
    ]
    if p.empty:
        blocks.append(Paragraph("Проблемные зоны не выявлены."))
        return blocks
    rows = []
    hidden_zones = 0
    for r in _records(p):
        label = report.official(a.indicator_label(str(r["indicator"]), r["breakdown"]))
        label = label.removeprefix("Показатель ")
        prev = r.get("previous_value")
        hidden = report.suppressed(r)
        if hidden:
            hidden_zones += 1  # listing it would tell the suppressed value's status
            continue
        rows.append(
            (
                Cell(label, bold=True),
                Cell(str(r["unit_name"])),
                Cell(report.value_text(r), None if hidden else r["value"], align="right"),
                Cell(
                    SUPPRESSED if hidden else _num(prev, bool(r["percent"])),
                    None if hidden else prev,
                    align="right",
                ),
                Cell(_target_text(report, r)),
                Cell(str(r["problem_label"]), str(r["problem"]), tone="bad"),
            )
        )
    blocks.append(
        _without_targets(
            report,
            Table(
                (
                    "Показатель (№)",
                    _w(a.problem_level, 3),
                    a.period,
                    a.previous_period or "Предыдущий",
                    "Цель",
                    "Проблема",
                ),
                rows,
                widths=(2.2, 5, 1.8, 1.8, 3.4, 3),
                caption="Таблица. Проблемные зоны по показателям",
                note=_note_if_suppressed(report, rows),
            ),
        )
    )
    if hidden_zones:
        blocks.append(Paragraph(_hidden_zones_note(report, hidden_zones), style="note"))
    if charts:
        shown = p[[not report.suppressed(r) for r in _records(p)]]
        counts = shown.pivot_table(
            index="unit_name", columns="problem", values="indicator", aggfunc="size", fill_value=0
        )
        for col in ("below_target_and_decline", "below_target", "decline"):
            if col not in counts.columns:
                counts[col] = 0
        counts = counts.loc[counts.sum(axis=1).sort_values(ascending=True).index]
        blocks.append(
            Chart(
                title=f"Рисунок. Число проблемных показателей по {_w(a.problem_level, 1)}",
                kind="hbar",
                categories=tuple(counts.index.astype(str)),
                series=(
                    (
                        "ниже цели и снижение",
                        tuple(counts["below_target_and_decline"].astype(float)),
                    ),
                    ("ниже цели", tuple(counts["below_target"].astype(float))),
                    ("снижение", tuple(counts["decline"].astype(float))),
                ),
                key="problems",
            )
        )
    return blocks


def _quality(report: Report) -> list[Block]:
    a = report.analysis
    blocks: list[Block] = [
        Heading("6. Полнота и своевременность представления сведений", anchor="quality")
    ]
    sub = a.submissions
    rows = []
    for period, g in sub.groupby("period", sort=False):
        c = g["status"].value_counts()
        rows.append(
            (
                Cell(str(period)),
                Cell(str(len(g)), len(g)),
                Cell(str(int(c.get("on_time", 0))), int(c.get("on_time", 0))),
                Cell(str(int(c.get("late", 0))), int(c.get("late", 0))),
                Cell(str(int(c.get("missing", 0))), int(c.get("missing", 0))),
                Cell(
                    str(int(len(g) - c.get("on_time", 0) - c.get("late", 0) - c.get("missing", 0)))
                ),
            )
        )
    blocks.append(
        Table(
            ("Период", "Ожидалось", "В срок", "С опозданием", "Не представили", "Без даты"),
            rows,
            widths=(3, 2.5, 2, 2.5, 2.5, 2),
            caption="Таблица. Представление сведений по периодам",
        )
    )
    bad = sub[
        (sub["period"] == a.period) & sub["status"].isin(["late", "missing", "no_register_entry"])
    ]
    if bad.empty:
        blocks.append(
            Paragraph(f"За {a.period} все {_w(a.problem_level, 4)} представили сведения в срок.")
        )
    else:
        items = []
        for r in _records(bad):
            if r["status"] == "late":
                items.append(
                    f"{r['unit_name']} — представлено {r['submitted_at']:%d.%m.%Y}, опоздание "
                    f"{int(r['days_late'])} дн."
                )
            else:
                items.append(f"{r['unit_name']} — {r['status_label']}")
        blocks.append(Paragraph(f"Нарушения сроков за {a.period}:"))
        blocks.append(Bullets(items))
    missing = a.missing_indicators
    if missing.empty:
        blocks.append(Paragraph("Данные есть по всем показателям."))
    else:
        items = []
        for r in _records(missing):
            if r["no_rows"] or (r["units_without_data"] and r["units_without_data"] > 0):
                items.append(
                    f"{report.indicator_word(r['indicator']).capitalize()} — нет данных на "
                    "уровне муниципалитета"
                )
            else:
                items.append(
                    f"{report.indicator_word(r['indicator']).capitalize()} — нет данных по "
                    f"{int(r['lower_units_without_data'])} из "
                    f"{int(r['lower_units'])} {_w(a.problem_level, 0)}"
                )
        blocks.append(Paragraph("Показатели без данных:"))
        blocks.append(Bullets(items))
    return blocks


def _conclusions(report: Report) -> list[Block]:
    a = report.analysis
    cur = a.current()
    due = cur[cur["target_status"].isin(["met", "not_met"])]
    met = due[due["target_status"] == "met"]["indicator"].astype(str).tolist()
    not_met = due[due["target_status"] == "not_met"]["indicator"].astype(str).tolist()
    if len(due):
        items = [
            f"Целевые значения с наступившим сроком достигнуты по {len(met)} из {len(due)} "
            f"показателей" + (f"; не достигнуты: {', '.join(not_met)}." if not_met else ".")
        ]
    elif report.profile.targets:
        items = ["Сроки достижения целевых значений в отчётном периоде не наступили."]
    else:
        items = [
            "Целевые значения показателей профилем не установлены; выводы сделаны по динамике."
        ]
    dyn = cur["dynamics"].astype(str)
    growth = cur.loc[dyn == "growth", "indicator"].astype(str).tolist()
    decline = cur.loc[dyn == "decline", "indicator"].astype(str).tolist()
    if a.previous_period:
        items.append(
            f"По сравнению с {a.previous_period} рост — по {len(growth)} показателям, снижение — "
            f"по {len(decline)}" + (f" ({', '.join(decline)})." if decline else ".")
        )
    eff = a.effects
    if not eff.empty:
        parts = []
        for result in ("positive_dynamics", "strong_state", "not_observed", "not_judged"):
            nums = [
                f"№ {n}" if n is not None and not pd.isna(n) else str(i)
                for n, i in zip(eff["number"], eff["id"], strict=True)
            ]
            chosen = [x for x, r in zip(nums, eff["result"], strict=True) if r == result]
            if chosen:
                parts.append(f"{EFFECT_RESULT_LABELS[result]} — {', '.join(chosen)}")
        items.append("Планируемые управленческие эффекты: " + "; ".join(parts) + ".")
    p = a.problems
    if not p.empty:
        per_org = p.groupby("unit_name").size().sort_values(ascending=False)
        worst = per_org.iloc[:3]
        items.append(
            f"Проблемные зоны выявлены в {len(per_org)} {_w(a.problem_level, 2)}; больше всего "
            "проблемных "
            "показателей: " + ", ".join(f"{u} ({n})" for u, n in worst.items()) + "."
        )
    sub = a.submissions[a.submissions["period"] == a.period]
    if a.deadline is not None:
        ok = int((sub["status"] == "on_time").sum())
        items.append(f"Сведения в срок представили {ok} из {len(sub)} {_w(a.problem_level, 0)}.")
    else:
        ok = int((sub["status"] != "missing").sum())
        items.append(f"Сведения представили {ok} из {len(sub)} {_w(a.problem_level, 0)}.")
    summary = measure_summary(report.effectiveness) if len(report.effectiveness) else None
    if summary is not None and len(summary):
        c = summary["verdict"].value_counts()
        items.append(
            f"Из {len(summary)} принятых мер: улучшение — {int(c.get('improved', 0))}, частичное "
            f"улучшение — {int(c.get('partly', 0))}, нет улучшения — "
            f"{int(c.get('not_improved', 0))}, рано оценивать — {int(c.get('too_early', 0))}."
        )
    if report.cycle is not None:
        c = report.cycle
        present = int(c.frame["state"].isin(["approved", "named"]).sum())
        items.append(
            f"Управленческий цикл {'полный' if c.full else 'неполный'}: документы есть по "
            f"{present} из {len(c.frame)} компонентам, оценка — {format_number(c.score)} из "
            f"{format_number(c.max_score)}."
        )
    if report.roadmap is not None and not report.roadmap.execution.empty:
        ex = report.roadmap.execution
        today = report.roadmap_today or report.created
        due = ex[ex["due"].notna() & (ex["due"] < today)]
        done = int(due["state"].isin(["done", "done_late"]).sum())
        if report.roadmap_statuses:
            items.append(
                f"Дорожная карта: на {today:%d.%m.%Y} выполнено {done} из {len(due)} позиций с "
                f"истёкшим сроком, просрочено — {int((ex['state'] == 'overdue').sum())}."
            )
        else:
            items.append(
                "Дорожная карта: сведения об исполнении не представлены — исполнение "
                f"{len(due)} позиций со сроком, истёкшим на {today:%d.%m.%Y}, не подтверждено."
            )
    return [
        Heading("7. Выводы", anchor="conclusions"),
        Bullets([report.official(x) for x in items]),
    ]


def _recommendations(report: Report, *, brief: bool = False) -> list[Block]:
    blocks: list[Block] = [Heading("8. Адресные рекомендации", anchor="recommendations")]
    if not report.recommendations:
        blocks.append(Paragraph("Оснований для адресных рекомендаций по данным мониторинга нет."))
        return blocks
    by_addressee: dict[str, list[Recommendation]] = {}
    for r in report.recommendations:
        by_addressee.setdefault(r.addressee, []).append(r)
    n = 0
    for addressee, recs in by_addressee.items():
        blocks.append(Heading(addressee + ":", level=2))
        for r in recs:
            n += 1
            blocks.append(Paragraph(f"{n}. {report.official(r.text)}", bold_prefix=""))
            if r.unit_names and not (
                len(r.unit_names) == 1 and r.unit_names[0] == report.profile.info.territory
            ):
                blocks.append(
                    Paragraph("Организации: " + ", ".join(r.unit_names) + ".", style="note")
                )
            if r.evidence and not brief:
                blocks.append(Paragraph("Данные мониторинга:", style="note"))
                blocks.append(Bullets([report.official(e) for e in r.evidence]))
            if r.basis:
                blocks.append(Paragraph(f"Основание: {report.official(r.basis)}.", style="note"))
    return blocks


def _effectiveness(report: Report) -> list[Block]:
    eff = report.effectiveness
    blocks: list[Block] = [
        # a landscape page only for the table: without a register it would hold one sentence
        *([] if eff.empty else [Orientation("landscape")]),
        Heading("9. Анализ эффективности принятых мер", anchor="measures"),
    ]
    if eff.empty:
        blocks.append(
            Paragraph(
                "Реестр мер и управленческих решений не представлен — анализ эффективности не "
                "проводился."
            )
        )
        return blocks
    blocks.append(
        Paragraph(
            "Для каждой меры сравниваются значения показателей, на которые она направлена, до "
            "меры (период, предшествующий первому периоду, в данных которого мера могла "
            "проявиться) и в отчётном периоде — в организациях, на которые направлена мера, и в "
            "остальных. Улучшение — изменение в лучшую сторону; мера, принятая менее чем за "
            "90 дней до срока сбора сведений, оценивается со следующего периода.",
            style="note",
        )
    )
    rows = []
    for r in _records(eff):
        pct = bool(r["percent"])
        verdict = str(r["verdict"])
        doc = (
            f"{r['title']} ({r['date']:%d.%m.%Y}; {r['document']})"
            if r["document"]
            else f"{r['title']} ({r['date']:%d.%m.%Y})"
        )
        units = r["units"] or ()
        scope = (
            ", ".join(report.analysis.unit_name(u) for u in units)
            if r.get("scope") == "organizations"
            else "муниципалитет в целом"
        )
        if verdict in ("too_early", "not_judged"):
            before = after = others = "—"
        else:
            before = f"{r['before_period']}: {_num(r['before'], pct)}"
            after = f"{r['after_period']}: {_num(r['after'], pct)}"
            others = (
                f"{_num(r['others_before'], pct)} → {_num(r['others_after'], pct)}"
                if not pd.isna(r.get("others_before"))
                else "—"
            )
        rows.append(
            (
                Cell(str(r["measure"]), bold=True),
                Cell(doc),
                Cell(report.number(str(r["indicator"])) if r["indicator"] else "—"),
                Cell(scope),
                Cell(before),
                Cell(after),
                Cell(others),
                Cell(str(r["verdict_label"]), verdict, tone=VERDICT_TONES.get(verdict)),
            )
        )
    blocks.append(
        Table(
            (
                "№",
                "Мера (дата; документ)",
                "Показатель (№)",
                "На кого направлена",
                "До",
                "После",
                "Остальные организации",
                "Вывод",
            ),
            rows,
            widths=(1.6, 7.5, 1.8, 3.5, 2.7, 2.7, 2.6, 2.4),
            caption="Таблица. Эффективность принятых мер",
        )
    )
    blocks.append(Bullets([report.official(str(s)) for s in eff["summary"]]))
    return blocks


def _rating(report: Report) -> list[Block]:
    level = report.analysis.problem_level
    heading = f"10. Рейтинг: {_w(level, 4)}"
    if report.rating is None:
        if report.rating_note:
            return [Heading(heading, anchor="rating"), Paragraph(report.rating_note)]
        return []
    ranking = report.rating
    with_reasons = any(
        not bool(r.get("ranked", True)) and r.get("reason") for r in _records(ranking)
    )
    rows = []
    for r in _records(ranking):
        rank = r.get("rank")
        ranked = bool(r.get("ranked", not pd.isna(rank)))
        score = r.get("score")
        coverage = r.get("coverage")
        rows.append(
            (
                Cell(
                    str(int(rank)) if ranked and rank is not None and not pd.isna(rank) else "—",
                    rank,
                ),
                Cell(report.analysis.unit_name(str(r["unit"]))),
                Cell(_num(score, False) if ranked else "—", score),
                Cell(
                    _num(100 * coverage, True, 0)
                    if coverage is not None and not pd.isna(coverage)
                    else "—",
                    coverage,
                ),
                *([Cell(str(r.get("reason") or "") if not ranked else "")] if with_reasons else []),
            )
        )
    return [
        Orientation("portrait"),
        Heading(heading, anchor="rating"),
        Paragraph(report.rating_note, style="note"),
        Table(
            ("Место", _w(level, 3), "Балл (0–100)", "Полнота данных")
            + (("Почему не в рейтинге",) if with_reasons else ()),
            rows,
            widths=(1.5, 8, 2.5, 2.5) + ((6,) if with_reasons else ()),
            caption=f"Таблица. Рейтинг за {report.analysis.period}: {_w(level, 4)}",
        ),
    ]


def chain_matrix(chains: pd.DataFrame) -> list[tuple[str, str, str, list[tuple[str, str]]]]:
    """The chains as a matrix: per criterion ``(criterion, name, indicators, [(state,
    short label) per link in the order of CHAIN_LINKS])``."""
    out = []
    for crit, rows in chains.groupby("criterion", sort=False):
        by = {str(r["link"]): str(r["state"]) for r in _records(rows)}
        first = rows.iloc[0]
        states = [by.get(link, "missing") for link, _, _ in CHAIN_LINKS]
        out.append(
            (
                str(crit),
                str(first["criterion_name"]),
                str(first["indicators"]),
                [(st, LINK_SHORT[st]) for st in states],
            )
        )
    return out


def _cycle_section(report: Report, number: int, charts: bool) -> list[Block]:
    c = report.cycle
    if c is None:
        return []
    blocks: list[Block] = [
        Orientation("landscape"),
        Heading(f"{number}. Полнота управленческого цикла", anchor="cycle"),
        Paragraph(
            "Для каждого из девяти компонентов управленческого цикла проверяется наличие "
            "утверждённого документа: документ с реквизитами (номер, дата или ссылка), документ "
            "указан без реквизитов, только проект или планируемый документ, нет документа. "
            "Учитываются документы профиля, реестр документов и реестр мер.",
            style="note",
        ),
    ]
    head, *_ = c.text().split("\n")
    blocks.append(Paragraph(head))
    rows = []
    for r in _records(c.frame):
        state = str(r["state"])
        rows.append(
            (
                Cell(str(r["label"]), bold=True),
                Cell(str(r["group"])),
                Cell(str(r["state_label"]), state, tone=EVIDENCE_TONES.get(state)),
                Cell(str(r["titles"]) or "—"),
                Cell(format_number(float(r["points"])), float(r["points"]), align="right"),
            )
        )
    blocks.append(
        Table(
            ("Компонент", "Группа документов", "Состояние", "Документы", "Баллы"),
            rows,
            widths=(4, 3.5, 3.5, 12, 1.5),
            caption=(
                f"Таблица. Полнота управленческого цикла: {format_number(c.score)} из "
                f"{format_number(c.max_score)} баллов"
            ),
            font_size=8,
        )
    )
    if c.gaps:
        blocks.append(Paragraph("Недостающие и неподтверждённые звенья цикла:"))
        blocks.append(Bullets(c.gaps))
    chains = report.chains
    if chains is None or chains.empty:
        return blocks
    blocks.append(Heading(f"{number}.1. Цепочки по критериям", level=2))
    blocks.append(
        Paragraph(
            "Цепочка критерия: показатель → мониторинговое мероприятие → аналитическая справка → "
            "адресные рекомендации → меры → управленческое решение → анализ эффективности. "
            "Звено подтверждено документом по показателям критерия, общим документом механизма, "
            "только предусмотрено механизмом (документа нет) или отсутствует.",
            style="note",
        )
    )
    matrix = []
    for crit, name, inds, states in chain_matrix(chains):
        matrix.append(
            (
                Cell(criterion_number(report.profile, crit), bold=True),
                Cell(report.official(f"{name} ({inds})")),
                *(Cell(label, st, tone=LINK_TONES[st]) for st, label in states),
            )
        )
    blocks.append(
        Table(
            ("№", "Критерий (показатели)", *(label for _, label, _ in CHAIN_LINKS)),
            matrix,
            widths=(1.3, 6, *([2.4] * len(CHAIN_LINKS))),
            caption="Таблица. Звенья управленческого цикла по критериям",
            font_size=8,
        )
    )
    if charts:
        blocks.append(
            Diagram(
                title="Рисунок. Цепочки управленческого цикла по критериям (пунктир — звено "
                "без документа)",
                chains=_official_chains(report, chains),
            )
        )
    for crit, rows in chains.groupby("criterion", sort=False):
        first = rows.iloc[0]
        detail = []
        for r in _records(rows):
            state = str(r["state"])
            text = report.official(
                str(r["documents"]) or (f"предусмотрено: {r['declared']}" if r["declared"] else "—")
            )
            detail.append(
                (
                    Cell(str(r["step"]), align="right"),
                    Cell(str(r["link_label"]), bold=True),
                    Cell(str(r["state_label"]), state, tone=LINK_TONES[state]),
                    Cell(text),
                )
            )
        blocks.append(
            Table(
                ("№", "Звено", "Состояние", "Документы / предусмотрено механизмом"),
                detail,
                widths=(0.8, 4, 4, 15),
                caption=(
                    f"Таблица. Цепочка по критерию {criterion_number(report.profile, crit)}: "
                    f"{first['criterion_name']}"
                ),
                font_size=8,
            )
        )
        blocks.append(Paragraph(report.official(chain_verdict(rows)), style="note"))
    return blocks


def _official_chains(report: Report, chains: pd.DataFrame) -> pd.DataFrame:
    """The chains as the diagram shows them: criteria by number, indicators by their
    numbers in the order, no rule codes."""
    out = chains.copy()
    out["criterion"] = [f"Критерий {criterion_number(report.profile, c)}" for c in out["criterion"]]
    for column in ("documents", "declared", "indicators"):
        if column in out.columns:
            out[column] = [
                report.official(str(v)) if isinstance(v, str) else v for v in out[column]
            ]
    return out


def _roadmap_section(report: Report, number: int) -> list[Block]:
    s = report.roadmap
    if s is None:
        return []
    today = report.roadmap_today or report.created
    blocks: list[Block] = [
        Orientation("landscape"),
        Heading(f"{number}. Исполнение дорожной карты", anchor="roadmap"),
        Paragraph(report.today_text, style="note"),
    ]
    if not report.roadmap_statuses:
        blocks.append(
            Paragraph(
                "Сведения об исполнении мероприятий дорожной карты не представлены: мероприятия "
                "с истёкшим сроком показаны как просроченные до представления сведений об "
                "исполнении по установленной форме.",
                style="lead",
            )
        )
    for part in s.text.split("\n\n"):
        blocks.append(Paragraph(part))
    table = s.table
    several = len(set(table["Дорожная карта"])) > 1
    columns = [c for c in table.columns if c != "Дорожная карта"]
    for title, group in table.groupby("Дорожная карта", sort=False):
        rows = []
        for r in _records(group):
            cells = []
            for col in columns:
                v = r[col]
                tone = None
                if col == "Просрочено" and int(v) > 0:
                    tone = "bad"
                elif col == "Выполнено" and int(v) > 0:
                    tone = "good"
                cells.append(
                    Cell(str(int(v)), int(v), tone=tone, align="right" if col != "Год" else "left")
                )
            rows.append(cells)
        blocks.append(
            Table(
                columns,
                rows,
                widths=(1.2, *([1.6] * (len(columns) - 1))),
                caption=(
                    f"Таблица. Исполнение дорожной карты на {today:%d.%m.%Y}"
                    + (f": «{title}»" if several else "")
                ),
                font_size=8,
            )
        )
    if report.roadmap_statuses and len(s.overdue):
        late: list[tuple[Cell, ...]] = []
        for r in _records(s.overdue):
            due = r["due"]
            late.append(
                (
                    Cell(str(r["number"]), bold=True),
                    Cell(str(r["event"])),
                    Cell(str(int(r["year"]))),
                    Cell(f"{due:%d.%m.%Y}" if isinstance(due, dt.date) else "—"),
                    Cell(str(r["responsible"]) or "—"),
                )
            )
        blocks.append(
            Table(
                ("№ п/п", "Мероприятие", "Год", "Срок", "Ответственный"),
                late,
                widths=(1.2, 12, 1.2, 2, 5),
                caption="Таблица. Просроченные мероприятия дорожной карты",
                font_size=8,
            )
        )
    return blocks


def _method_appendix(report: Report) -> list[Block]:
    p = report.profile
    rows = []
    for ind in p.indicators:
        how = [ind.kind_label.capitalize()]
        if ind.numerator_text:
            how.append(f"числитель: {ind.numerator_text}")
        if ind.denominator_text:
            how.append(f"знаменатель: {ind.denominator_text}")
        window = ind.window.describe()
        if window != "за отчётный период":
            how.append(window)
        if ind.minimum is not None:
            how.append(f"минимум в каждой организации: {format_number(ind.minimum)}")
        target = p.targets.get(ind.id)
        target_text = "не установлено"
        if target is not None:
            target_text = (
                f"«{target.text}». " if target.text else ""
            ) + f"Проверка: {target.describe()}"
        source = ind.source_text or (
            p.source(ind.table).title if any(s.name == ind.table for s in p.sources) else ind.table
        )
        rows.append(
            (
                Cell(report.row_number(ind.id), bold=True),
                # an indicator approved by its own document (a profile gathering several
                # orders) cites it next to its name
                Cell(display_name(ind) + (f" ({ind.document})" if ind.document else "")),
                Cell(report.official("; ".join(how) + ".")),
                Cell(source or ""),
                Cell(target_text),
            )
        )
    return [
        Orientation("landscape"),
        Heading("Приложение 1. Методика расчёта показателей", anchor="method"),
        Paragraph(
            "Показатели пронумерованы в порядке, установленном приказом об утверждении "
            "показателей.",
            style="note",
        ),
        Table(
            ("№", "Показатель", "Как рассчитывается", "Источник данных", "Целевое значение"),
            rows,
            widths=(1.5, 6.5, 8, 4, 5.5),
            caption="Таблица. Методика расчёта показателей",
            font_size=8,
        ),
    ]


def _org_appendix(report: Report) -> list[Block]:
    a = report.analysis
    level = a.problem_level
    cur = a.indicators[
        (a.indicators["period"].astype(str) == a.period)
        & (a.indicators["level"].astype(str) == level)
        & a.indicators["breakdown"].isna()
    ]
    if cur.empty:
        return []
    by = {(str(r["unit"]), str(r["indicator"])): r for r in _records(cur)}
    units = list(dict.fromkeys(cur["unit"].astype(str)))
    blocks: list[Block] = [
        Heading(f"Приложение 2. Значения показателей по {_w(level, 1)}", anchor="organizations"),
        Paragraph(
            f"Значения за {a.period}; цветом отмечено состояние показателя (зелёный — цель "
            "достигнута или рост, красный — снижение или цель не достигнута, серый — нет "
            "данных или сравнения).",
            style="note",
        ),
    ]
    present = set(cur["indicator"].astype(str))
    for _cid, cname, members in _criteria(a.profile):
        ids = [i.id for i in members if i.id in present]
        if not ids:
            continue
        rows = []
        for u in units:
            cells = [Cell(a.unit_name(u))]
            for i in ids:
                r = by.get((u, i))
                if r is None:
                    cells.append(Cell("—"))
                    continue
                text = report.value_text(r)
                status = str(r["status"])
                value = None if text == SUPPRESSED or r["state"] != "value" else r["value"]
                tone = "muted" if text == SUPPRESSED else STATUS_TONES[status]
                cells.append(Cell(text, value, tone=tone, align="right"))
            rows.append(cells)
        blocks.append(
            Table(
                (_w(level, 3), *(f"Пок. {report.number(i)}" for i in ids)),
                rows,
                widths=(7, *([2.2] * len(ids))),
                caption=f"Таблица. Значения показателей по {_w(level, 1)}: {cname}",
                note=_note_if_suppressed(report, rows),
            )
        )
    return blocks


def narrative(report: Report, *, charts: bool = True, full: bool | None = None) -> list[Block]:
    """The blocks of the справка, in order (for .docx and .html), with every table and
    figure numbered.

    :param report: the report.
    :param charts: include charts.
    :param full: the full справка; default: ``report.full``.
    :returns: the blocks.
    """
    full = report.full if full is None else full
    blocks = _full(report, charts) if full else _concise(report)
    return _numbered(blocks)


def _preface(report: Report) -> list[Block]:
    if not report.preface:
        return []
    return [Paragraph(part.strip()) for part in report.preface.split("\n\n") if part.strip()]


def _full(report: Report, charts: bool) -> list[Block]:
    rating = _rating(report)
    after_rating = 11 if rating else 10
    cycle = _cycle_section(report, after_rating, charts)
    roadmap = _roadmap_section(report, after_rating + (1 if cycle else 0))
    sections: Sequence[Callable[[], list[Block]]] = (
        lambda: _title(report),
        lambda: _preface(report),
        lambda: _purpose(report),
        lambda: _data_section(report),
        lambda: _results(report, charts),
        lambda: _effects(report),
        lambda: _problems(report, charts),
        lambda: _quality(report),
        lambda: _conclusions(report),
        lambda: _recommendations(report),
        lambda: _effectiveness(report),
        lambda: rating,
        lambda: cycle,
        lambda: roadmap,
        lambda: _method_appendix(report),
        lambda: _org_appendix(report),
    )
    blocks: list[Block] = []
    for make in sections:
        blocks.extend(make())
    return blocks


_CAPTION = re.compile(r"^(Таблица|Рисунок)(\s+\d+)?\.\s*")


def _sentence(text: str) -> str:
    text = text.strip()
    return text if text.endswith((".", "!", "?", "…")) else f"{text}."


def _numbered(blocks: Sequence[Block]) -> list[Block]:
    """Number every table and figure in order, each caption a sentence: «Таблица 3.
    Проблемные зоны по показателям.»"""
    out: list[Block] = []
    tables = figures = 0
    for b in blocks:
        if isinstance(b, Table):
            tables += 1
            rest = _CAPTION.sub("", b.caption) or "Продолжение"
            b = attrs.evolve(b, caption=_sentence(f"Таблица {tables}. {rest}"))
        elif isinstance(b, Chart | Diagram):
            figures += 1
            rest = _CAPTION.sub("", b.title)
            b = attrs.evolve(b, title=_sentence(f"Рисунок {figures}. {rest}"))
        out.append(b)
    return out


# --------------------------------------------------------------------------- concise


def _concise(report: Report) -> list[Block]:
    a = report.analysis
    blocks: list[Block] = [*_title(report), *_preface(report)]
    purpose = _purpose(report)
    blocks.extend(purpose)
    blocks.extend(b for b in _data_section(report)[1:2])  # who submitted, in one paragraph
    blocks.extend(_summary_table(report))
    blocks.append(Heading("3. Выводы по критериям", anchor="conclusions"))
    crit = a.criteria.set_index("id") if len(a.criteria) else None
    for cid, cname, _members in _criteria(report.profile):
        if crit is None or cid not in crit.index:
            continue
        row = crit.loc[cid]
        if isinstance(row, pd.DataFrame):
            row = row.iloc[0]
        number = criterion_number(report.profile, cid)
        blocks.append(Paragraph(f"Критерий {number}. {cname}.", style="lead"))
        blocks.append(Paragraph(report.official(_group_sentence(row))))
    general = _conclusions(report)[1:]
    if general:
        blocks.append(Paragraph("Общие выводы:", style="lead"))
        blocks.extend(general)
    blocks.extend(_problem_summary(report))
    recs = _recommendations(report, brief=True)
    recs[0] = Heading("5. Адресные рекомендации", anchor="recommendations")
    blocks.extend(recs)
    blocks.extend(_measures_and_decisions(report))
    blocks.append(
        Paragraph(
            "Результаты по критериям по периодам, значения показателей по организациям, "
            "полнота и своевременность представления сведений, методика расчёта показателей "
            "приводятся в полной редакции справки и в приложении к ней (рабочая книга).",
            style="note",
        )
    )
    return blocks


def _summary_table(report: Report) -> list[Block]:
    a = report.analysis
    p = report.profile
    rows_by = _top_rows(report)
    prev = a.previous_period
    rows: list[tuple[Cell, ...]] = []
    for _cid, cname, members in _criteria(p):
        rows.append(
            (Cell(""), Cell(cname, bold=True), *(Cell("") for _ in range(5 if prev else 4)))
        )
        for ind in members:
            cur = rows_by.get((ind.id, a.period))
            before = rows_by.get((ind.id, prev)) if prev else None
            cells = [Cell(report.row_number(ind.id), bold=True), Cell(display_name(ind))]
            if prev:
                cells.append(Cell(report.value_text(before) if before else "—", align="right"))
            if cur is None:
                cells += [Cell("—"), Cell("—"), Cell("—"), Cell("нет данных", tone="muted")]
            elif report.suppressed(cur):
                cells += [
                    Cell(SUPPRESSED, align="right"),
                    Cell(SUPPRESSED, align="right"),
                    Cell(_target_text(report, cur)),
                    _HIDDEN_CELL,
                ]
            else:
                status = str(cur["status"])
                cells += [
                    Cell(report.value_text(cur), align="right"),
                    Cell(_change_text(cur), align="right"),
                    Cell(_target_text(report, cur)),
                    Cell(STATUS_LABELS[status], status, tone=STATUS_TONES[status]),
                ]
            rows.append(tuple(cells))
    columns = (
        "№",
        "Показатель",
        *((prev,) if prev else ()),
        a.period,
        "Изменение",
        "Цель",
        "Состояние",
    )
    widths = (0.8, 9.5, *((1.5,) if prev else ()), 1.5, 1.9, 2.3, 2.5)
    table = _without_targets(
        report,
        Table(
            columns,
            rows,
            widths=widths,
            caption=(
                f"Таблица. Значения показателей по {_TOP_WORDS.get(a.level, a.level)}, целевые "
                "значения и состояние"
            ),
            note=_note_if_suppressed(report, rows),
            font_size=9,
        ),
    )
    return [
        Orientation("portrait"),
        Heading("2. Сводные результаты мониторинга", anchor="results"),
        Paragraph(
            "Показатели пронумерованы так, как в приказе об утверждении показателей. Для долей "
            "изменение приводится в процентных пунктах (п.п.); если сравнивать не с чем (первый "
            "период), в графе «Изменение» указано «нет данных для сравнения», а состояние "
            "определяется по целевому значению.",
            style="note",
        ),
        table,
    ]


def _problem_summary(report: Report) -> list[Block]:
    a = report.analysis
    p = a.problems
    blocks: list[Block] = [Heading("4. Проблемные зоны", anchor="problems")]
    if p.empty:
        blocks.append(Paragraph("Проблемные зоны не выявлены."))
        return blocks
    blocks.append(
        Paragraph(
            f"Проблемная зона — {_w(a.problem_level, 3).lower()}, у которой значение показателя "
            "ниже целевого при наступившем сроке и (или) снизилось по сравнению с предыдущим "
            "периодом.",
            style="note",
        )
    )
    groups: dict[tuple[str, str], list[str]] = {}
    hidden = 0
    for r in _records(p):
        if report.suppressed(r):
            hidden += 1
            continue
        label = report.official(a.indicator_label(str(r["indicator"]), r["breakdown"]))
        groups.setdefault((label.removeprefix("Показатель "), str(r["problem_label"])), []).append(
            str(r["unit_name"])
        )
    rows = [
        (Cell(label, bold=True), Cell(problem, tone="bad"), Cell(", ".join(units)))
        for (label, problem), units in groups.items()
    ]
    if rows:
        blocks.append(
            Table(
                ("Показатель (№)", "Проблема", _w(a.problem_level, 4).capitalize()),
                rows,
                widths=(2.2, 3.6, 11),
                caption="Таблица. Проблемные зоны по показателям",
            )
        )
    if hidden:
        blocks.append(Paragraph(_hidden_zones_note(report, hidden), style="note"))
    return blocks


def _measures_and_decisions(report: Report) -> list[Block]:
    blocks: list[Block] = [
        Heading("6. Меры и управленческие решения", anchor="measures"),
    ]
    eff = report.effectiveness
    if eff.empty:
        blocks.append(
            Paragraph(
                "Реестр мер и управленческих решений не представлен — анализ эффективности не "
                "проводился."
            )
        )
    else:
        rows = []
        for r in _records(eff):
            verdict = str(r["verdict"])
            doc = (
                f"{r['title']} ({r['date']:%d.%m.%Y}; {r['document']})"
                if r["document"]
                else f"{r['title']} ({r['date']:%d.%m.%Y})"
            )
            rows.append(
                (
                    Cell(str(r["measure"]), bold=True),
                    Cell(doc),
                    Cell(report.number(str(r["indicator"])) if r["indicator"] else "—"),
                    Cell(str(r["verdict_label"]), verdict, tone=VERDICT_TONES.get(verdict)),
                )
            )
        blocks.append(
            Table(
                (
                    "№ в реестре",
                    "Мера, управленческое решение (дата; документ)",
                    "Показатель (№)",
                    "Результат",
                ),
                rows,
                widths=(2.2, 10, 2.2, 3.6),
                caption="Таблица. Принятые меры и их эффективность",
            )
        )
        blocks.append(Bullets([report.official(str(s)) for s in eff["summary"]]))
    if report.cycle is not None:
        head, *_ = report.cycle.text().split("\n")
        blocks.append(Paragraph(report.official(head)))
    if report.roadmap is not None:
        if report.today_text:
            blocks.append(Paragraph(report.today_text, style="note"))
        for part in report.roadmap.text.split("\n\n"):
            blocks.append(Paragraph(report.official(part)))
        if not report.roadmap_statuses:
            blocks.append(
                Paragraph(
                    "Сведения об исполнении мероприятий дорожной карты не представлены: "
                    "мероприятия с истёкшим сроком считаются просроченными до представления "
                    "сведений об исполнении по установленной форме.",
                    style="note",
                )
            )
    return blocks
