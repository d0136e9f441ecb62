"""The mechanism (механизм управления качеством) and its monitoring.

Plain value objects: the goal, tasks and justification documents of Раздел I, the
criteria that group indicators, the planned effects of Раздел IV, monitoring activities
(Раздел III), the yearly monitoring campaign with its stages and deadlines, roadmaps and
the documents of the management cycle.
"""

from __future__ import annotations

import datetime as dt
import textwrap
from collections.abc import Iterable
from enum import StrEnum

import attrs

__all__ = [
    "ActivityType",
    "CycleComponent",
    "Deadline",
    "Document",
    "Mechanism",
    "MonitoringActivity",
    "MonitoringCampaign",
    "PlannedEffect",
    "Roadmap",
    "RoadmapRow",
    "RoadmapSection",
    "Stage",
]


def _strs(v: Iterable[str]) -> tuple[str, ...]:
    return tuple(v)


def _ints(v: Iterable[int]) -> tuple[int, ...]:
    return tuple(v)


def _pairs(v: Iterable[tuple[str, str]]) -> tuple[tuple[str, str], ...]:
    return tuple((a, b) for a, b in v)


def _components(v: Iterable[CycleComponent | str]) -> tuple[CycleComponent, ...]:
    return tuple(CycleComponent(x) for x in v)


def _documents(v: Iterable[Document]) -> tuple[Document, ...]:
    return tuple(v)


def _stages(v: Iterable[Stage]) -> tuple[Stage, ...]:
    return tuple(v)


def _deadlines(v: Iterable[Deadline]) -> tuple[Deadline, ...]:
    return tuple(v)


def _rows(v: Iterable[RoadmapRow]) -> tuple[RoadmapRow, ...]:
    return tuple(v)


def _sections(v: Iterable[RoadmapSection]) -> tuple[RoadmapSection, ...]:
    return tuple(v)


class CycleComponent(StrEnum):
    """The nine components of the management cycle (управленческий цикл)."""

    GOALS = "goals"
    INDICATORS = "indicators"
    METHODS = "methods"
    MONITORING = "monitoring"
    ANALYSIS = "analysis"
    TARGETED_RECOMMENDATIONS = "targeted_recommendations"
    MEASURES = "measures"
    MANAGEMENT_DECISIONS = "management_decisions"
    EFFECTIVENESS_ANALYSIS = "effectiveness_analysis"

    @property
    def label(self) -> str:
        """The Russian name of the component."""
        return _CYCLE_LABELS[self]


_CYCLE_LABELS = {
    CycleComponent.GOALS: "Цели",
    CycleComponent.INDICATORS: "Показатели",
    CycleComponent.METHODS: "Методы сбора и обработки информации",
    CycleComponent.MONITORING: "Мониторинг показателей",
    CycleComponent.ANALYSIS: "Анализ результатов мониторинга",
    CycleComponent.TARGETED_RECOMMENDATIONS: "Адресные рекомендации",
    CycleComponent.MEASURES: "Меры, мероприятия",
    CycleComponent.MANAGEMENT_DECISIONS: "Управленческие решения",
    CycleComponent.EFFECTIVENESS_ANALYSIS: "Анализ эффективности принятых мер",
}


@attrs.frozen
class Document:
    """A document of the mechanism: an order, a regulation, an ИАС, a letter …

    :param type: «приказ», «положение», «ИАС», «письмо», «протокол» …
    :param components: the management-cycle components the document serves.
    :param id: a stable id within the profile (optional).
    :param indicators: the indicators the document concerns (for the chain per criterion).
    :param criteria: the criteria the document concerns.
    :param status: «approved», «named» or «planned» when known (see :mod:`pedprof.cycle.documents`).
    """

    type: str
    title: str
    number: str | None = None
    date: dt.date | None = None
    issuer: str | None = None
    components: tuple[CycleComponent, ...] = attrs.field(default=(), converter=_components)
    reference: str | None = None
    id: str | None = None
    indicators: tuple[str, ...] = attrs.field(default=(), converter=_strs)
    criteria: tuple[str, ...] = attrs.field(default=(), converter=_strs)
    status: str | None = None

    def citation(self) -> str:
        """«Приказ … от 19.08.2021 № 213 «…»» — how reports cite it."""
        parts = [self.type[:1].upper() + self.type[1:]]
        if self.issuer:
            parts.append(self.issuer)
        if self.date:
            parts.append(f"от {self.date:%d.%m.%Y}")
        if self.number:
            parts.append(f"№ {self.number}")
        return " ".join(parts) + (f" {self.title}" if self.title else "")


@attrs.frozen
class Mechanism:
    """Раздел I of a mechanism: goal, tasks, justification; and its criteria.

    :param criteria: criterion id → Russian name (критерии результативности), in order.
    """

    title: str
    goal: str
    tasks: tuple[str, ...] = attrs.field(converter=_strs)
    justification: tuple[Document, ...] = attrs.field(default=(), converter=_documents)
    criteria: tuple[tuple[str, str], ...] = attrs.field(default=(), converter=_pairs)
    approved_by: Document | None = None

    def __repr__(self) -> str:
        title = textwrap.shorten(self.title, 120, placeholder="…")
        return (
            f"<Mechanism «{title}»: {len(self.tasks)} tasks, {len(self.criteria)} criteria,"
            f" {len(self.justification)} justifying documents>"
        )

    def criterion_name(self, criterion_id: str) -> str:
        """The Russian name of a criterion."""
        return dict(self.criteria)[criterion_id]


@attrs.frozen
class PlannedEffect:
    """A planned management effect (планируемый управленческий эффект, Раздел IV).

    Two states are named per group: «сильное состояние» (the result holds: no decrease) and
    «положительная динамика» (the result grows).

    :param indicators: the indicators whose dynamics show whether the effect is observed.
    """

    id: str
    indicators: tuple[str, ...] = attrs.field(converter=_strs)
    strong_state: str = ""
    positive_dynamics: str = ""
    criterion: str | None = None
    number: int | None = None


class ActivityType(StrEnum):
    """Invariant or variative monitoring activity."""

    INVARIANT = "invariant"
    VARIATIVE = "variative"


@attrs.frozen
class MonitoringActivity:
    """A monitoring or analytical activity (мониторинговое мероприятие).

    :param months: calendar months in which it takes place (1–12), when the order says.
    :param frequency: «annual», «quarterly», «semiannual» …
    :param period_text: the period exactly as the document words it («август сентябрь»).
    """

    id: str
    name: str
    type: ActivityType = ActivityType.INVARIANT
    number: int | None = None
    period_text: str = ""
    months: tuple[int, ...] = attrs.field(default=(), converter=_ints)
    frequency: str = "annual"
    responsible: str = ""
    output_document: str = ""
    indicators: tuple[str, ...] = attrs.field(default=(), converter=_strs)
    notes: tuple[str, ...] = attrs.field(default=(), converter=_strs)


@attrs.frozen
class Stage:
    """A stage of the yearly monitoring campaign."""

    number: int
    label: str
    content: str


@attrs.frozen
class Deadline:
    """A yearly deadline (day and month) of the campaign, e.g. submissions by 5 August.

    :param offset_years: in which calendar year relative to the period's end year the
        deadline falls (0: the same year).
    :param recipient: to whom the submission goes (shown on the forms).
    """

    id: str
    what: str
    month: int | None
    day: int | None
    text: str = ""
    responsible: str = ""
    offset_years: int = 0
    recipient: str = ""

    def date_for(self, end_year: int) -> dt.date | None:
        """The concrete date of the deadline for a period ending in ``end_year``."""
        if self.month is None or self.day is None:
            return None
        return dt.date(end_year + self.offset_years, self.month, self.day)


@attrs.frozen
class MonitoringCampaign:
    """The yearly monitoring: frequency, stages and deadlines."""

    title: str
    frequency: str = "annual"
    stages: tuple[Stage, ...] = attrs.field(default=(), converter=_stages)
    deadlines: tuple[Deadline, ...] = attrs.field(default=(), converter=_deadlines)
    goal: str = ""
    description: str = ""

    def deadline(self, deadline_id: str) -> Deadline:
        """The deadline with ``deadline_id``."""
        for d in self.deadlines:
            if d.id == deadline_id:
                return d
        raise KeyError(deadline_id)


@attrs.frozen
class RoadmapRow:
    """A row of a roadmap (дорожная карта), its deadline as the order words it."""

    number: str
    event: str
    deadline_text: str = ""
    responsible: str = ""
    co_executors: str = ""
    expected_result: str = ""
    notes: str = ""


@attrs.frozen
class RoadmapSection:
    """A numbered section of a roadmap."""

    number: str
    title: str | None
    rows: tuple[RoadmapRow, ...] = attrs.field(converter=_rows)


@attrs.frozen
class Roadmap:
    """A roadmap: its title and sections."""

    title: str
    sections: tuple[RoadmapSection, ...] = attrs.field(converter=_sections)

    def __repr__(self) -> str:
        title = textwrap.shorten(self.title, 120, placeholder="…")
        return f"<Roadmap «{title}»: {len(self.sections)} sections, {len(self.rows)} rows>"

    @property
    def rows(self) -> tuple[RoadmapRow, ...]:
        """Every row, in order."""
        return tuple(r for s in self.sections for r in s.rows)
