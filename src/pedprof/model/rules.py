"""Recommendation rules as declarations: the base class a profile's rules derive from, and
the recommendation they produce (адресные рекомендации).

The concrete rules (:class:`~pedprof.evaluate.recommendations.BelowTarget` …) live in the
evaluation stage; this base sits with the declarations so that a profile, the plugin
system and the hooks can name it without depending on the evaluation stage.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import TYPE_CHECKING, Any, ClassVar

import attrs
import pandas as pd

from pedprof.formatting import format_number, format_value
from pedprof.model.targets import target_phrase

if TYPE_CHECKING:
    from pedprof.evaluate.analysis import Analysis

__all__ = ["Recommendation", "RecommendationRule", "evidence_text"]


def _strs(value: Iterable[str]) -> tuple[str, ...]:
    if isinstance(value, str):
        return (value,)
    return tuple(value)


def _non_empty(_instance: object, attribute: attrs.Attribute[str], value: str) -> None:
    if not isinstance(value, str) or not value.strip():
        raise ValueError(f"{attribute.name} must be a non-empty string")


@attrs.frozen(kw_only=True)
class Recommendation:
    """One targeted recommendation, ready for the report.

    :param rule: the id of the rule that produced it.
    :param kind: the rule kind (``below_target`` …).
    :param addressee: to whom, in Russian.
    :param text: what to do, in Russian, placeholders filled in.
    :param period: the reporting period.
    :param indicator: the indicator concerned (``None`` for rules not about one).
    :param indicator_name: its name, verbatim.
    :param units: the ids of the organisations (or other units) concerned.
    :param unit_names: their names, in the same order.
    :param evidence: one Russian line per unit (or fact): value, previous value, target.
    :param basis: the document the rule rests on.
    """

    rule: str
    kind: str
    addressee: str
    text: str
    period: str
    indicator: str | None = None
    indicator_name: str | None = None
    units: tuple[str, ...] = attrs.field(default=(), converter=_strs)
    unit_names: tuple[str, ...] = attrs.field(default=(), converter=_strs)
    evidence: tuple[str, ...] = attrs.field(default=(), converter=_strs)
    basis: str = ""


class _Placeholders(dict[str, str]):
    def __missing__(self, key: str) -> str:
        return "{" + key + "}"


def _fill(text: str, values: Mapping[str, str]) -> str:
    try:
        return text.format_map(_Placeholders(values))
    except (ValueError, IndexError, AttributeError):
        return text


@attrs.frozen(kw_only=True)
class RecommendationRule:
    """Base class of recommendation rules.

    :param id: unique within the profile.
    :param addressee: the role addressed, in Russian («Руководителям образовательных
        организаций»).
    :param text: the recommendation, in Russian (placeholders: see the module).
    :param indicators: the indicators the rule looks at (empty: every indicator).
    :param level: the level of the units looked at; ``None``: the analysis's problem
        level for rules about organisations, its top level for the others.
    :param basis: the document (item) the rule rests on.
    :param group: how matches are grouped into recommendations: ``rule`` (one for the
        whole rule, its evidence listing every indicator and unit — the default),
        ``indicator`` (one per indicator and breakdown; per effect for
        :class:`EffectNotObserved`) or ``unit`` (one per unit, e.g. a letter to each
        school).
    """

    id: str = attrs.field(validator=_non_empty)
    addressee: str = attrs.field(validator=_non_empty)
    text: str = attrs.field(validator=_non_empty)
    indicators: tuple[str, ...] = attrs.field(default=(), converter=_strs)
    level: str | None = None
    basis: str = ""
    group: str = attrs.field(
        default="rule", validator=attrs.validators.in_(("indicator", "unit", "rule"))
    )

    kind: ClassVar[str] = "rule"
    #: Whether the rule is about units of the analysis's problem level by default.
    about_units: ClassVar[bool] = True

    def matches(self, analysis: Analysis) -> pd.DataFrame:
        """The rows of ``analysis.indicators`` (reporting period) that trigger the rule."""
        raise NotImplementedError

    def _level(self, analysis: Analysis) -> str:
        if self.level is not None:
            return self.level
        return analysis.problem_level if self.about_units else analysis.level

    def _rows(self, analysis: Analysis) -> pd.DataFrame:
        ind = analysis.indicators
        sel = (ind["period"].astype(str) == analysis.period) & (
            ind["level"].astype(str) == self._level(analysis)
        )
        if self.indicators:
            sel &= ind["indicator"].astype(str).isin(self.indicators)
        return ind[sel]

    def apply(
        self, analysis: Analysis, *, suppress_below: float | None = None
    ) -> list[Recommendation]:
        """Recommendations this rule gives on ``analysis``.

        :param analysis: the analysis.
        :param suppress_below: hide values whose denominator is below this.
        :returns: the recommendations, grouped as :attr:`group` says.
        """
        rows = self.matches(analysis)
        if rows.empty:
            return []
        order = {i.id: n for n, i in enumerate(analysis.profile.indicators)}
        rows = rows.assign(_o=rows["indicator"].astype(str).map(order).fillna(len(order)))
        rows = rows.sort_values(["_o"], kind="stable")
        keys: list[str] = {
            "indicator": ["indicator", "breakdown"],
            "unit": ["unit", "indicator", "breakdown"],
            "rule": [],
        }[self.group]
        groups = (
            [((), rows)]
            if not keys
            else list(rows.groupby(keys, sort=False, dropna=False, observed=True))
        )
        out: list[Recommendation] = []
        for _key, group in groups:
            labels = [
                analysis.indicator_label(str(i), b)
                for i, b in zip(group["indicator"], group["breakdown"], strict=True)
            ]
            distinct_labels = list(dict.fromkeys(labels))
            units = tuple(dict.fromkeys(group["unit"].astype(str)))
            names = tuple(analysis.unit_name(u) for u in units)
            evidence = []
            for label, (_, r) in zip(labels, group.iterrows(), strict=True):
                parts = []
                if len(distinct_labels) > 1:
                    parts.append(label)
                if len(units) > 1 or len(distinct_labels) == 1:
                    parts.append(analysis.unit_name(str(r["unit"])))
                parts.append(self.describe_row(r, analysis, suppress_below))
                evidence.append(": ".join(parts))
            one = len(distinct_labels) == 1
            name = str(group["name"].iloc[0]) if one else ""
            values = {
                "indicator": ", ".join(distinct_labels),
                "name": name,
                "period": analysis.period,
                "units": ", ".join(names),
                "count": str(len(units)),
            }
            out.append(
                Recommendation(
                    rule=self.id,
                    kind=self.kind,
                    addressee=self.addressee,
                    text=_fill(self.text, values),
                    period=analysis.period,
                    indicator=", ".join(distinct_labels),
                    indicator_name=name or None,
                    units=units,
                    unit_names=names,
                    evidence=tuple(evidence),
                    basis=self.basis,
                )
            )
        return out

    def describe_row(
        self, row: Mapping[str, Any], analysis: Analysis, suppress_below: float | None
    ) -> str:
        """The evidence for one row: «21,0 % (2022-2023: 26,5 %; целевое значение: 25 %)»."""
        return evidence_text(row, analysis, suppress_below=suppress_below)


def _suppressed(row: Mapping[str, Any], suppress_below: float | None) -> bool:
    if suppress_below is None or not bool(row.get("percent", False)):
        return False
    den = row.get("denominator")
    try:
        den_f = float(den)  # type: ignore[arg-type]
    except (TypeError, ValueError):
        return False
    return not pd.isna(den_f) and 0 < den_f < suppress_below


def _counts_persons(analysis: Analysis, row: Mapping[str, Any]) -> bool:
    """Whether the row's denominator counts persons: a share of organisations or
    associations is not hidden as «менее N чел.»."""
    try:
        return analysis.profile.indicator(str(row.get("indicator", ""))).distinct == "person_id"
    except LookupError:
        return True


def evidence_text(
    row: Mapping[str, Any], analysis: Analysis, *, suppress_below: float | None = None
) -> str:
    """A result row in words: value, the previous period's value, the target.

    :param row: a row of ``analysis.indicators``.
    :param analysis: the analysis (for the previous period's label).
    :param suppress_below: hide the values when the denominator is below this.
    :returns: e.g. «21,0 % (2022-2023: 26,5 %; целевое значение: 25 %)».
    """
    percent = bool(row.get("percent", False))
    if _suppressed(row, suppress_below) and _counts_persons(analysis, row):
        assert suppress_below is not None
        return f"значение скрыто (менее {format_number(suppress_below, 0)} чел.)"
    value = format_value(float(row["value"]), str(row["state"]), percent=percent)
    parts = []
    prev = row.get("previous_value")
    if analysis.previous_period and prev is not None and not pd.isna(prev):
        parts.append(
            f"{analysis.previous_period}: {format_value(float(prev), 'value', percent=percent)}"
        )
    target = row.get("target")
    phrase = target_phrase(
        analysis.profile.targets.get(str(row["indicator"])),
        float(target) if target is not None else float("nan"),
        percent=percent,
    )
    if phrase:
        parts.append(phrase)
    return value + (f" ({'; '.join(parts)})" if parts else "")
