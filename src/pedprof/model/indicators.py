"""Indicators (показатели) as declarations the engine evaluates.

Four kinds cover every indicator of the source orders:

``share``
    «доля … от общего числа»: among the rows of the *population* (the denominator), the
    share that also satisfy the *numerator* condition, in percent. Rows are counted as
    distinct ``distinct`` values (``person_id`` for persons, ``org_id`` for shares of
    organisations), so a person who appears in two organisations is counted once at every
    level above the organisation. The numerator may look back over a window (cumulative
    «начиная с 2021 года» or rolling «за трехлетний период»): a person of the current
    population counts if the numerator held for them in any period of the window.
``count``
    «количество»: distinct ``distinct`` values among the rows that satisfy ``population``.
``presence``
    «наличие»: a count whose presence (count > 0) is what is asked; the count is kept.
``per_organization_minimum``
    «не менее двух … в каждой ОО»: per organisation the count; above, the share of
    organisations that reach ``minimum`` (the non-compliant ones are listed by the
    organisation rows).

``split_by`` adds breakdown rows (by staff category, by event level, by project type)
next to the total.
"""

from __future__ import annotations

import textwrap
from collections.abc import Iterable
from enum import StrEnum

import attrs

from pedprof.model.conditions import Condition, always
from pedprof.model.periods import Reporting, Window

__all__ = ["Indicator", "IndicatorKind", "Level"]


class IndicatorKind(StrEnum):
    """The formula family of an indicator."""

    SHARE = "share"
    COUNT = "count"
    PRESENCE = "presence"
    PER_ORGANIZATION_MINIMUM = "per_organization_minimum"


class Level(StrEnum):
    """The levels of the hierarchy results are computed at."""

    ORGANIZATION = "organization"
    MUNICIPALITY = "municipality"
    REGION = "region"


_KIND_LABELS = {
    IndicatorKind.SHARE: "доля, %",
    IndicatorKind.COUNT: "количество",
    IndicatorKind.PRESENCE: "наличие (количество)",
    IndicatorKind.PER_ORGANIZATION_MINIMUM: "количество в каждой ОО",
}


def _strs(v: Iterable[str]) -> tuple[str, ...]:
    return tuple(v)


def _indicator_levels(value: Iterable[str] | str | None) -> tuple[str, ...] | None:
    if value is None:
        return None
    out = (str(value),) if isinstance(value, str) else tuple(str(v) for v in value)
    known = tuple(level.value for level in Level)
    unknown = sorted(set(out) - set(known))
    if unknown or not out:
        raise ValueError(f"unknown indicator level(s) {unknown}; expected some of {known}")
    # kept in the hierarchy's order, whatever order they were written in
    return tuple(level for level in known if level in out)


@attrs.frozen(kw_only=True)
class Indicator:
    """One indicator.

    :param id: stable id within its profile (``k01``); readings of the same indicator use
        ``<id>.<reading>`` (``k01.annual``).
    :param name: the name exactly as the approving order words it.
    :param kind: the formula family.
    :param table: the source table the formula reads.
    :param population: which rows form the denominator (share) or are counted (count).
    :param numerator: which rows of the population count in the numerator (share only).
    :param distinct: the column whose distinct values are counted (as text in one form
        when its source field normalises: :attr:`pedprof.model.sources.Field.normalize`).
    :param window: the numerator's look-back window (share) or the periods whose rows
        are counted (count).
    :param minimum: the per-organisation minimum (``per_organization_minimum``).
    :param split_by: a column to break the indicator down by.
    :param criterion: the criterion (критерий результативности) id.
    :param numerator_text: the numerator in words — the decision taken, in Russian.
    :param denominator_text: the denominator in words, in Russian.
    :param collection_method: «Методы сбора информации», verbatim.
    :param processing_method: «Методы обработки информации», verbatim.
    :param source_text: «Источник данных», verbatim.
    :param direction: +1 when higher is better, −1 when lower is better.
    :param reading_of: for an alternative reading, the id of the indicator it reads.
    :param decisions: the decisions taken where the order is ambiguous, in Russian.
    :param levels: the levels the indicator applies at (``"organization"``,
        ``"municipality"``, ``"region"``); the engine computes, and the target judges, only
        these levels, so that an indicator defined for the municipality as a whole («доля
        учителей школ среди всех педагогов») never gives a kindergarten a value, a target
        status or a problem zone. None (the default): every level.
    :param document: the document that approves this indicator when it is not the
        profile's approving order (a profile that gathers several orders), e.g. «Приказ
        Минобрнауки Челябинской области № 01/1234 от 01.02.2021, приложение 2»; the report
        cites it. None: the profile's approving order.

    **Organisation attributes in conditions.** Every table with ``org_id`` also has the
    column ``org_kind``: the organisation's kind from the register (``school``,
    ``kindergarten``, ``additional``…, see :data:`pedprof.model.data.ORGANIZATION_KIND_LABELS`).
    A condition may use it like any column of the table, e.g. only general-education
    schools::

        Indicator(
            id="m1",
            name="Доля учителей, прошедших повышение квалификации",
            kind=IndicatorKind.SHARE,
            table="staff",
            population=col("org_kind").eq("school") & col("category").eq("teacher"),
            numerator=col("pk_date").within(),
        )

    Any other column of the register of organisations (an attribute a platform or profile
    adds to it, such as ``rural``) is joined the same way when a condition reads it and
    the table has no column of that name: ``col("rural").true()``.
    """

    id: str
    name: str
    kind: IndicatorKind
    table: str
    population: Condition = attrs.field(factory=always)
    numerator: Condition | None = None
    distinct: str = "person_id"
    window: Window = attrs.field(factory=Reporting)
    minimum: float | None = None
    split_by: str | None = None
    criterion: str | None = None
    numerator_text: str = ""
    denominator_text: str = ""
    collection_method: str | None = None
    processing_method: str | None = None
    source_text: str | None = None
    direction: int = 1
    reading_of: str | None = None
    short_name: str | None = None
    decisions: tuple[str, ...] = attrs.field(default=(), converter=_strs)
    notes: tuple[str, ...] = attrs.field(default=(), converter=_strs)
    levels: tuple[str, ...] | None = attrs.field(default=None, converter=_indicator_levels)
    document: str | None = None

    def __repr__(self) -> str:
        name = textwrap.shorten(self.short_name or self.name, 90, placeholder="…")
        return f"<Indicator {self.id} ({self.kind.value} of {self.table}) «{name}»>"

    @property
    def is_share(self) -> bool:
        """Whether the value is a percentage with a numerator and a denominator."""
        return self.kind in (IndicatorKind.SHARE, IndicatorKind.PER_ORGANIZATION_MINIMUM)

    @property
    def kind_label(self) -> str:
        """The kind in Russian."""
        return _KIND_LABELS[self.kind]

    def applies_at(self, level: str) -> bool:
        """Whether the indicator is computed at ``level``."""
        return self.levels is None or level in self.levels

    def columns(self) -> frozenset[str]:
        """Every column of :attr:`table` the formula reads."""
        cols = set(self.population.columns()) | {self.distinct}
        if self.numerator is not None:
            cols |= self.numerator.columns()
        if self.split_by:
            cols.add(self.split_by)
        return frozenset(cols)
