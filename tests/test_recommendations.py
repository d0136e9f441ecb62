"""Targeted recommendations: the rule kinds, the hook, and the Karabash rules."""

from __future__ import annotations

import attrs
import pandas as pd
import pytest

import pedprof
from pedprof import PluginWarning, hookimpl
from pedprof.evaluate.analysis import analyze
from pedprof.evaluate.recommendations import (
    BelowTarget,
    EffectNotObserved,
    MissingSubmission,
    NegativeDynamics,
    NoData,
    NonCompliant,
    RecommendationRule,
    Standing,
    recommend,
    recommendations_frame,
)
from pedprof.plugins import build_registry, get_plugin_manager

KARABASH = pedprof.get_profile("karabash")
DATA = pedprof.load_sample(KARABASH)
RESULTS = pedprof.compute(KARABASH, DATA)
ANALYSIS = analyze(KARABASH, DATA, RESULTS)
CURRENT = "2023-2024"
NAMES = dict(zip(DATA.organizations["org_id"], DATA.organizations["name"], strict=True))


def _org_rows(indicator: str) -> pd.DataFrame:
    r = RESULTS
    return r[
        (r["indicator"] == indicator)
        & (r["level"] == "organization")
        & (r["period"] == CURRENT)
        & r["breakdown"].isna()
    ]


# --------------------------------------------------------------------------- the hook


def test_hook_pedprof_register_recommendation_rules() -> None:
    ids = [r.id for r in KARABASH.recommendation_rules]
    assert ids == [
        "submission",
        "deficits",
        "experts",
        "contests",
        "young_teachers",
        "mentoring_programmes",
        "further_training",
        "qualification_assessment",
        "municipal_targets",
        "municipal_decline",
        "effects",
        "no_data",
    ]
    assert KARABASH.provenance[("recommendation_rule", "deficits")] == "pedprof-karabash"
    for rule in KARABASH.recommendation_rules:
        assert rule.basis.startswith("Приказ № 213")


class _Rules:
    def __init__(self, *rules: object) -> None:
        self.rules = rules

    @hookimpl
    def pedprof_register_recommendation_rules(self, register):  # type: ignore[no-untyped-def]
        for rule in self.rules:
            register("karabash", rule)


def _problems_with(*rules: object) -> list[str]:
    pm = get_plugin_manager()
    pm.register(_Rules(*rules), name="pedprof-test-rules")
    with pytest.warns(PluginWarning):
        registry = build_registry(pm)
    return [str(p) for p in registry.problems]


def test_a_rule_naming_an_unknown_indicator_is_refused() -> None:
    rule = BelowTarget(id="x", addressee="Кому-то", text="Сделать", indicators=("k99",))
    problems = _problems_with(rule)
    assert any("recommendation_rule karabash/x" in p and "k99" in p for p in problems)


def test_a_duplicate_rule_id_and_a_non_rule_are_refused() -> None:
    dup = Standing(id="deficits", addressee="Кому-то", text="Сделать")
    problems = _problems_with(dup, "не правило")
    assert any("duplicate" in p and "deficits" in p for p in problems)
    assert any("RecommendationRule" in p for p in problems)


def test_rules_need_an_addressee_and_a_text() -> None:
    with pytest.raises(ValueError, match="addressee"):
        Standing(id="x", addressee=" ", text="Сделать")
    with pytest.raises(ValueError):
        BelowTarget(id="x", addressee="Кому", text="Сделать", group="school")


# --------------------------------------------------------------------------- rule kinds


def test_below_target_names_exactly_the_organisations_below_target() -> None:
    rows = _org_rows("k08")
    below = rows[(rows["target_met"] == False) & rows["target_due"]]  # noqa: E712
    rule = BelowTarget(
        id="t", addressee="Руководителям ОО", text="{indicator}: {units}", indicators=("k08",)
    )
    (rec,) = rule.apply(ANALYSIS)
    assert set(rec.units) == set(below["unit"].astype(str))
    assert rec.indicator == "k08"
    assert rec.text == "k08: " + ", ".join(rec.unit_names)
    # evidence by hand: ООШ № 4 had 20,0 % and now 0,0 % against 25 %
    assert "МОУ ООШ № 4: 0,0 % (2022-2023: 20,0 %; целевое значение: 25,0 %)" in rec.evidence


def test_negative_dynamics_with_a_minimum_decline() -> None:
    rows = _org_rows("k08")
    fall = rows["previous_value"] - rows["value"]
    rule = NegativeDynamics(
        id="d", addressee="Кому", text="x", indicators=("k08",), min_decline=10.0
    )
    (rec,) = rule.apply(ANALYSIS)
    assert set(rec.units) == set(rows.loc[fall >= 10.0, "unit"].astype(str))


def test_non_compliant_lists_organisations_under_the_minimum() -> None:
    rows = _org_rows("k11")
    expected = rows.loc[rows["value"] < 2, "unit"].astype(str)
    (rec,) = NonCompliant(id="n", addressee="Кому", text="x").apply(ANALYSIS)
    assert list(rec.units) == list(expected) == ["kgo_s4"]
    assert rec.evidence == ("МОУ ООШ № 4: 1 при требовании не менее 2 в каждой организации",)


def test_missing_and_late_submissions() -> None:
    sub = DATA.submissions
    assert sub is not None
    sub = sub[~((sub["unit_id"] == "kgo_u1") & (sub["period"] == CURRENT))].copy()
    sub.loc[(sub["unit_id"] == "kgo_d2") & (sub["period"] == CURRENT), "submitted_at"] = (
        "2024-08-12"
    )
    tables = {
        n: f[~((f["org_id"] == "kgo_u1") & (f["period"] == CURRENT))] if "org_id" in f else f
        for n, f in DATA.tables.items()
    }
    a = analyze(KARABASH, attrs.evolve(DATA, tables=tables, submissions=sub))
    rule = MissingSubmission(id="s", addressee="Кому", text="Представить ({count})")
    (rec,) = rule.apply(a)
    assert rec.text == "Представить (2)"
    assert rec.evidence == (
        "МДОУ детский сад № 2: сведения представлены 12.08.2024 (срок — 05.08.2024, "
        "опоздание 7 дн.)",
        "МУ ДО «Дом детского творчества»: сведения не представлены (срок — 05.08.2024)",
    )
    per_unit = attrs.evolve(rule, group="unit").apply(a)
    assert [r.units for r in per_unit] == [("kgo_d2",), ("kgo_u1",)]
    assert MissingSubmission(id="s", addressee="К", text="x", late=False).apply(a)[0].units == (
        "kgo_u1",
    )
    (nodata,) = NoData(id="n", addressee="К", text="{indicator}", indicators=("k01",)).apply(a)
    assert nodata.evidence == ("k01: нет данных по 1 из 9 организаций за 2023-2024",)


def test_effect_not_observed_and_standing_rules() -> None:
    recs = EffectNotObserved(
        id="e", addressee="К", text="Эффект {effect}", group="indicator"
    ).apply(ANALYSIS)
    not_observed = ANALYSIS.effects[ANALYSIS.effects["result"] == "not_observed"]
    assert [r.text for r in recs] == [f"Эффект № {n}" for n in not_observed["number"]]
    (one,) = Standing(id="s", addressee="Руководителям ГПО", text="Всегда {period} {x}").apply(
        ANALYSIS
    )
    assert one.text == "Всегда 2023-2024 {x}"  # an unknown placeholder is left as written


def test_grouping_by_rule_gives_one_recommendation() -> None:
    rule = BelowTarget(
        id="m", addressee="К", text="{indicator}", level="municipality", group="rule"
    )
    (rec,) = rule.apply(ANALYSIS)
    r = RESULTS
    muni = r[(r["level"] == "municipality") & (r["period"] == CURRENT)]
    not_met = muni[(muni["target_met"] == False) & muni["target_due"]]  # noqa: E712
    assert len(rec.evidence) == len(not_met)
    assert rec.units == ("karabash",)


def test_small_counts_are_suppressed_in_the_evidence() -> None:
    rows = _org_rows("k23")
    small = rows[(rows["denominator"] < 5) & (rows["target_met"] == False)]  # noqa: E712
    assert len(small)
    rule = BelowTarget(id="t", addressee="К", text="x", indicators=("k23",))
    (rec,) = rule.apply(ANALYSIS, suppress_below=5)
    for unit in small["unit"].astype(str):
        line = next(e for e in rec.evidence if e.startswith(NAMES[unit] + ":"))
        assert line.endswith("значение скрыто (менее 5 чел.)")
        assert "%" not in line


def test_the_karabash_rules_on_the_sample() -> None:
    recs = recommend(ANALYSIS)
    by_rule: dict[str, list[str]] = {}
    for r in recs:
        by_rule.setdefault(r.rule, []).extend(r.units)
    assert "submission" not in by_rule  # every organisation submitted on time in 2023-2024
    assert by_rule["mentoring_programmes"] == ["kgo_s4"]
    assert set(by_rule["contests"]) == set(
        _org_rows("k08").query("target_met == False")["unit"].astype(str)
    )
    frame = recommendations_frame(recs)
    assert list(frame.columns) == [
        "Кому",
        "Правило",
        "Показатель",
        "Организации",
        "Основание (данные мониторинга)",
        "Рекомендация",
        "Основание (документ)",
    ]
    assert len(frame) == len(recs)


def test_a_custom_rule_subclass() -> None:
    @attrs.frozen(kw_only=True)
    class AboveHundred(RecommendationRule):
        kind = "custom"

        def matches(self, analysis):  # type: ignore[no-untyped-def]
            rows = self._rows(analysis)
            return rows[rows["value"] >= 100]

    recs = AboveHundred(id="c", addressee="К", text="{indicator}", indicators=("k04",)).apply(
        ANALYSIS
    )
    rows = _org_rows("k04")
    assert {u for r in recs for u in r.units} == set(rows.loc[rows["value"] >= 100, "unit"])
