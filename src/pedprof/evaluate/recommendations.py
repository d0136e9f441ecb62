"""Targeted recommendations (адресные рекомендации): rules on the analysis → texts.

A profile declares its rules through the hook ``pedprof_register_recommendation_rules``.
Each rule is a condition on an :class:`pedprof.evaluate.analysis.Analysis` and a Russian text
addressed to a role (the municipal methodical service, heads of organisations, leaders
of professional associations, mentors …). Applying the rules to an analysis gives
:class:`Recommendation` objects that name the organisations concerned and the evidence:
values, targets and periods.

Rule kinds:

:class:`BelowTarget`
    the target is due and not met;
:class:`NegativeDynamics`
    the value declined against the previous period;
:class:`NonCompliant`
    an organisation has fewer than the per-organisation minimum («не менее двух … в
    каждой ОО»);
:class:`MissingSubmission`
    an organisation submitted late or not at all;
:class:`NoData`
    an indicator has no data;
:class:`EffectNotObserved`
    a planned effect (Раздел IV) is not observed;
:class:`Standing`
    a recommendation the document gives every cycle, unconditionally.

The text may use the placeholders ``{indicator}`` (code), ``{name}`` (the indicator's
name), ``{period}``, ``{units}`` (the organisations' names), ``{count}`` and
``{effect}``; an unknown placeholder is left as written.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from typing import TYPE_CHECKING, Any, ClassVar

import attrs
import pandas as pd

from pedprof.errors import ArgumentTypeError
from pedprof.formatting import format_number
from pedprof.model.rules import (
    Recommendation,
    RecommendationRule,
    _fill,
    _strs,
)

if TYPE_CHECKING:
    from pedprof.evaluate.analysis import Analysis

__all__ = [
    "BelowTarget",
    "EffectNotObserved",
    "MissingSubmission",
    "NegativeDynamics",
    "NoData",
    "NonCompliant",
    "Recommendation",
    "RecommendationRule",
    "Standing",
    "recommend",
    "recommendations_frame",
]

RECOMMENDATION_HEADERS: Mapping[str, str] = {
    "addressee": "Кому",
    "rule": "Правило",
    "indicator": "Показатель",
    "units": "Организации",
    "evidence": "Основание (данные мониторинга)",
    "text": "Рекомендация",
    "basis": "Основание (документ)",
}


@attrs.frozen(kw_only=True)
class BelowTarget(RecommendationRule):
    """The target is due and not met (целевое значение не достигнуто)."""

    kind: ClassVar[str] = "below_target"

    def matches(self, analysis: Analysis) -> pd.DataFrame:
        """Rows whose target status is ``not_met``."""
        rows = self._rows(analysis)
        return rows[(rows["target_status"] == "not_met").to_numpy()]


@attrs.frozen(kw_only=True)
class NegativeDynamics(RecommendationRule):
    """The value declined against the previous period (отрицательная динамика).

    :param min_decline: only declines of at least this much (percentage points for
        shares, units for counts); 0 — any decline beyond the analysis tolerance.
    :param only_below_target: only rows whose target is not met (or which have none).
    """

    min_decline: float = 0.0
    only_below_target: bool = False
    kind: ClassVar[str] = "negative_dynamics"

    def matches(self, analysis: Analysis) -> pd.DataFrame:
        """Rows whose dynamics is ``decline`` by at least :attr:`min_decline`."""
        rows = self._rows(analysis)
        direction = rows.get("direction", 1.0)
        fall = -(rows["change_abs"] * direction)
        sel = (rows["dynamics"] == "decline").to_numpy() & (fall >= self.min_decline).to_numpy()
        if self.only_below_target:
            sel &= (rows["target_status"] != "met").to_numpy()
        return rows[sel]


@attrs.frozen(kw_only=True)
class NonCompliant(RecommendationRule):
    """An organisation below the per-organisation minimum of an indicator of kind
    ``per_organization_minimum`` («не менее двух программ … в каждой ОО»).

    Judged on the indicator's own minimum, whether or not the target is due.
    """

    kind: ClassVar[str] = "non_compliant"

    def matches(self, analysis: Analysis) -> pd.DataFrame:
        """Organisation rows with a value below the indicator's minimum."""
        minimums = {
            i.id: float(i.minimum)
            for i in analysis.profile.indicators
            if i.kind == "per_organization_minimum" and i.minimum is not None
        }
        ind = analysis.indicators
        sel = (
            (ind["period"].astype(str) == analysis.period)
            & (ind["level"].astype(str) == "organization")
            & (ind["state"].astype(str) == "value")
        )
        wanted = [i for i in (self.indicators or tuple(minimums)) if i in minimums]
        sel &= ind["indicator"].astype(str).isin(wanted)
        rows = ind[sel]
        need = rows["indicator"].astype(str).map(minimums)
        return rows[(rows["value"] < need).to_numpy()]

    def describe_row(
        self, row: Mapping[str, Any], analysis: Analysis, suppress_below: float | None
    ) -> str:
        """«1 при требовании не менее 2»."""
        ind = analysis.profile.indicator(str(row["indicator"]))
        return (
            f"{format_number(float(row['value']))} при требовании не менее "
            f"{format_number(float(ind.minimum or 0))} в каждой организации"
        )


def _one(
    rule: RecommendationRule,
    analysis: Analysis,
    *,
    units: Sequence[str] = (),
    evidence: Sequence[str] = (),
    indicator: str | None = None,
    indicator_name: str | None = None,
    extra: Mapping[str, str] | None = None,
) -> Recommendation:
    names = tuple(analysis.unit_name(u) for u in units)
    values = {
        "indicator": indicator or "",
        "name": indicator_name or "",
        "period": analysis.period,
        "units": ", ".join(names),
        "count": str(len(units) or len(evidence)),
        **(extra or {}),
    }
    return Recommendation(
        rule=rule.id,
        kind=rule.kind,
        addressee=rule.addressee,
        text=_fill(rule.text, values),
        period=analysis.period,
        indicator=indicator,
        indicator_name=indicator_name,
        units=tuple(units),
        unit_names=names,
        evidence=tuple(evidence),
        basis=rule.basis,
    )


@attrs.frozen(kw_only=True)
class MissingSubmission(RecommendationRule):
    """An organisation submitted its data late or not at all (against the campaign's
    submission deadline).

    :param late: include late submissions.
    :param missing: include missing submissions.
    """

    late: bool = True
    missing: bool = True
    kind: ClassVar[str] = "missing_submission"

    def matches(self, analysis: Analysis) -> pd.DataFrame:
        """Rows of ``analysis.submissions`` of the reporting period that are late/missing."""
        sub = analysis.submissions
        statuses = [s for s, on in (("late", self.late), ("missing", self.missing)) if on]
        sel = (sub["period"].astype(str) == analysis.period) & sub["status"].isin(statuses)
        return sub[sel]

    def apply(
        self, analysis: Analysis, *, suppress_below: float | None = None
    ) -> list[Recommendation]:
        """One recommendation listing every late or missing organisation (or one per
        organisation when :attr:`group` is ``unit``)."""
        rows = self.matches(analysis)
        if rows.empty:
            return []
        lines = []
        for _, r in rows.iterrows():
            name = analysis.unit_name(str(r["unit"]))
            if r["status"] == "late":
                lines.append(
                    f"{name}: сведения представлены {r['submitted_at']:%d.%m.%Y} "
                    f"(срок — {r['deadline']:%d.%m.%Y}, опоздание {int(r['days_late'])} дн.)"
                )
            else:
                when = f" (срок — {r['deadline']:%d.%m.%Y})" if pd.notna(r["deadline"]) else ""
                lines.append(f"{name}: сведения не представлены{when}")
        units = list(rows["unit"].astype(str))
        if self.group == "unit":
            return [
                _one(self, analysis, units=[u], evidence=[line])
                for u, line in zip(units, lines, strict=True)
            ]
        return [_one(self, analysis, units=units, evidence=lines)]


@attrs.frozen(kw_only=True)
class NoData(RecommendationRule):
    """An indicator has no data for the reporting period (at the top level, or for some
    organisations)."""

    kind: ClassVar[str] = "no_data"
    about_units: ClassVar[bool] = False

    def matches(self, analysis: Analysis) -> pd.DataFrame:
        """Rows of ``analysis.missing_indicators`` for the rule's indicators."""
        missing = analysis.missing_indicators
        if self.indicators:
            missing = missing[missing["indicator"].isin(self.indicators)]
        return missing

    def apply(
        self, analysis: Analysis, *, suppress_below: float | None = None
    ) -> list[Recommendation]:
        """One recommendation per indicator without data."""
        out = []
        for _, r in self.matches(analysis).iterrows():
            if bool(r["no_rows"]) or r["units_without_data"]:
                fact = "нет данных на уровне муниципалитета"
            else:
                fact = (
                    f"нет данных по {int(r['lower_units_without_data'])} из "
                    f"{int(r['lower_units'])} организаций"
                )
            out.append(
                _one(
                    self,
                    analysis,
                    evidence=[f"{r['indicator']}: {fact} за {analysis.period}"],
                    indicator=str(r["indicator"]),
                    indicator_name=str(r["name"]),
                )
            )
        return out


@attrs.frozen(kw_only=True)
class EffectNotObserved(RecommendationRule):
    """A planned effect (Раздел IV) is not observed: a linked indicator declined.

    :param effects: the effect ids (empty: every effect).
    :param when: the effect results that trigger the rule (default: not observed).
    """

    effects: tuple[str, ...] = attrs.field(default=(), converter=_strs)
    when: tuple[str, ...] = attrs.field(default=("not_observed",), converter=_strs)
    kind: ClassVar[str] = "effect_not_observed"
    about_units: ClassVar[bool] = False

    def matches(self, analysis: Analysis) -> pd.DataFrame:
        """Rows of ``analysis.effects`` whose result is in :attr:`when`."""
        eff = analysis.effects
        sel = eff["result"].isin(self.when)
        if self.effects:
            sel &= eff["id"].isin(self.effects)
        return eff[sel]

    def apply(
        self, analysis: Analysis, *, suppress_below: float | None = None
    ) -> list[Recommendation]:
        """One recommendation per effect (and unit) that is not observed, or one for all
        of them when :attr:`group` is ``rule``."""
        items = []
        for _, r in self.matches(analysis).iterrows():
            label = f"№ {r['number']}" if r.get("number") is not None else str(r["id"])
            lines = []
            if r["decline"]:
                lines.append("снижение: " + ", ".join(r["decline"]))
            if r["not_judged"]:
                lines.append("нет данных для сравнения: " + ", ".join(r["not_judged"]))
            line = f"Эффект {label}: {r['result_label']}" + "".join(f"; {x}" for x in lines)
            items.append((label, str(r["unit"]), line))
        if not items:
            return []
        if self.group == "rule":
            labels = ", ".join(dict.fromkeys(i[0] for i in items))
            units = list(dict.fromkeys(i[1] for i in items))
            return [
                _one(
                    self,
                    analysis,
                    units=units,
                    evidence=[i[2] for i in items],
                    extra={"effect": labels},
                )
            ]
        return [
            _one(self, analysis, units=[unit], evidence=[line], extra={"effect": label})
            for label, unit, line in items
        ]


@attrs.frozen(kw_only=True)
class Standing(RecommendationRule):
    """A recommendation the document gives every cycle, whatever the data
    (Magnitogorsk: «выявить и проанализировать профессиональные дефициты педагогов —
    участников ГПО …»)."""

    kind: ClassVar[str] = "standing"
    about_units: ClassVar[bool] = False

    def matches(self, analysis: Analysis) -> pd.DataFrame:
        """Always one (empty) match."""
        return pd.DataFrame({"unit": [analysis.period]})

    def apply(
        self, analysis: Analysis, *, suppress_below: float | None = None
    ) -> list[Recommendation]:
        """The standing recommendation."""
        return [_one(self, analysis)]


def recommend(
    analysis: Analysis,
    rules: Sequence[RecommendationRule] | None = None,
    *,
    suppress_below: float | None = None,
) -> list[Recommendation]:
    """Apply recommendation rules to an analysis.

    :param analysis: the analysis (:func:`pedprof.evaluate.analysis.analyze`).
    :param rules: the rules; by default the profile's registered rules.
    :param suppress_below: hide values whose denominator is below this in the evidence.
    :returns: the recommendations, in rule order.
    :raises pedprof.errors.ArgumentTypeError: ``analysis`` is not an :class:`Analysis`
        (``recommend(profile, data)`` instead of ``recommend(analyze(profile, data))``).
    """
    from pedprof.evaluate.analysis import Analysis

    if not isinstance(analysis, Analysis):
        raise ArgumentTypeError(
            "Рекомендации строятся по результату анализа: recommend(pedprof.analyze(профиль, "
            f"данные)), а передан объект типа {type(analysis).__name__}",
            argument="analysis",
            what=f"передан {type(analysis).__name__}",
            expected="pedprof.Analysis",
        )
    chosen = analysis.profile.recommendation_rules if rules is None else rules
    out: list[Recommendation] = []
    for rule in chosen:
        out.extend(rule.apply(analysis, suppress_below=suppress_below))
    return out


def recommendations_frame(recommendations: Iterable[Recommendation]) -> pd.DataFrame:
    """Recommendations as a frame with Russian headers (for the workbook)."""
    rows = [
        {
            "addressee": r.addressee,
            "rule": r.rule,
            "indicator": r.indicator or "",
            "units": ", ".join(r.unit_names),
            "evidence": "\n".join(r.evidence),
            "text": r.text,
            "basis": r.basis,
        }
        for r in recommendations
    ]
    frame = pd.DataFrame(rows, columns=list(RECOMMENDATION_HEADERS))
    return frame.rename(columns=dict(RECOMMENDATION_HEADERS))
