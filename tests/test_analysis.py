"""The analysis: states, dynamics, planned effects, problem zones, data quality.

Reference values are worked out by hand or recomputed here with plain pandas from the
frame of :func:`pedprof.compute`; the code under test is never its own oracle.
"""

from __future__ import annotations

import datetime as dt
import itertools
import math

import attrs
import numpy as np
import pandas as pd
import pytest
from hypothesis import given
from hypothesis import strategies as st

import pedprof
from pedprof import AtLeast, Indicator, IndicatorKind, Profile, ProfileInfo, col
from pedprof.evaluate.analysis import (
    EFFECT_RESULTS,
    STATUS_LABELS,
    STATUSES,
    analyze,
    effect_result,
    indicator_states,
    target_phrase,
)

KARABASH = pedprof.get_profile("karabash")
DATA = pedprof.load_sample(KARABASH)
RESULTS = pedprof.compute(KARABASH, DATA)
ANALYSIS = analyze(KARABASH, DATA, RESULTS)
CURRENT = "2023-2024"
PREVIOUS = "2022-2023"

# --------------------------------------------------------------------------- unit rules

TOY = Profile(
    info=ProfileInfo(id="toy", title="Проба", territory="Проба"),
    distribution="test",
    version="0",
    indicators=(
        Indicator(
            id="s", name="Доля", kind=IndicatorKind.SHARE, table="t", numerator=col("x").true()
        ),
        Indicator(id="c", name="Количество", kind=IndicatorKind.COUNT, table="t"),
        Indicator(id="n", name="Меньше — лучше", kind=IndicatorKind.COUNT, table="t", direction=-1),
    ),
    targets={"s": AtLeast(value=50.0)},
)


def _frame(rows: list[dict[str, object]]) -> pd.DataFrame:
    base = {
        "breakdown": None,
        "level": "municipality",
        "unit": "m",
        "parent": "r",
        "period": "2024",
        "numerator": np.nan,
        "denominator": np.nan,
        "target": np.nan,
        "target_met": pd.NA,
        "target_due": False,
        "state": "value",
    }
    frame = pd.DataFrame([{**base, **r} for r in rows])
    frame["target_met"] = frame["target_met"].astype("boolean")
    frame["breakdown"] = frame["breakdown"].astype("string")
    return frame


def test_the_state_rules_on_hand_made_rows() -> None:
    frame = _frame(
        [
            # met target although it declined: the target wins
            {
                "indicator": "s",
                "value": 60.0,
                "previous_value": 70.0,
                "target": 50.0,
                "target_met": True,
                "target_due": True,
            },
            # not met, but grew
            {
                "indicator": "s",
                "value": 40.0,
                "previous_value": 30.0,
                "target": 50.0,
                "target_met": False,
                "target_due": True,
            },
            # not met and not due, declined
            {
                "indicator": "s",
                "value": 20.0,
                "previous_value": 30.0,
                "target": 50.0,
                "target_met": False,
                "target_due": False,
            },
            {"indicator": "c", "value": 5.0, "previous_value": 5.0},
            {"indicator": "c", "value": 5.0, "previous_value": np.nan},
            {"indicator": "n", "value": 3.0, "previous_value": 5.0},  # lower is better
            {"indicator": "c", "value": np.nan, "previous_value": 5.0, "state": "no_data"},
            {"indicator": "s", "value": np.nan, "previous_value": 5.0, "state": "not_applicable"},
            # first period (nothing to compare with): the target judges the value; «нет
            # данных для сравнения» is left for rows with no target to judge by
            {
                "indicator": "s",
                "value": 53.3,
                "previous_value": np.nan,
                "target": 66.6,
                "target_met": False,
                "target_due": True,
            },
            {
                "indicator": "s",
                "value": 53.3,
                "previous_value": np.nan,
                "target": 66.6,
                "target_met": False,
                "target_due": False,
            },
            {
                "indicator": "s",
                "value": 70.0,
                "previous_value": np.nan,
                "target": 66.6,
                "target_met": True,
                "target_due": True,
            },
        ]
    )
    out = indicator_states(TOY, frame)
    assert list(out["status"].astype(str)) == [
        "target_met",
        "positive_dynamics",
        "negative_dynamics",
        "stable",
        "no_comparison",
        "positive_dynamics",
        "no_data",
        "not_applicable",
        "target_not_met",
        "target_not_due",
        "target_met",
    ]
    assert list(out["target_status"].astype(str)) == [
        "met",
        "not_met",
        "not_due",
        "no_target",
        "no_target",
        "no_target",
        "no_target",
        "not_judged",
        "not_met",
        "not_due",
        "met",
    ]
    assert STATUS_LABELS["target_not_met"] == "целевое значение не достигнуто"
    assert out["dynamics"].astype(str).iloc[8] == "none"
    assert out["change_abs"].iloc[0] == -10.0
    assert out["change_rel"].iloc[1] == pytest.approx(100 * 10 / 30)
    assert out["change_points"].iloc[1] == 10.0
    assert math.isnan(out["change_points"].iloc[3])  # a count has no percentage points
    assert out["dynamics"].astype(str).iloc[5] == "growth"  # 5 → 3 with direction −1


def test_the_tolerance_boundary_is_inclusive() -> None:
    frame = _frame(
        [
            {"indicator": "s", "value": 41.0, "previous_value": 40.0},
            {"indicator": "s", "value": 41.0001, "previous_value": 40.0},
            {"indicator": "c", "value": 6.0, "previous_value": 8.0},
            {"indicator": "c", "value": 5.0, "previous_value": 8.0},
        ]
    )
    out = indicator_states(TOY, frame, tolerance_points=1.0, tolerance_count=2.0)
    assert list(out["dynamics"].astype(str)) == ["stable", "growth", "stable", "decline"]


def _expected_status(
    value: float, prev: float, state: str, met: object, tol: float, due: bool = True
) -> str:
    if state == "no_data":
        return "no_data"
    if state == "not_applicable":
        return "not_applicable"
    if met is True:
        return "target_met"
    if math.isnan(prev):
        if met is False:
            return "target_not_met" if due else "target_not_due"
        return "no_comparison"
    if value - prev > tol:
        return "positive_dynamics"
    if value - prev < -tol:
        return "negative_dynamics"
    return "stable"


ROWS = st.lists(
    st.tuples(
        st.floats(0, 100, allow_nan=False),
        st.one_of(st.just(math.nan), st.floats(0, 100, allow_nan=False)),
        st.sampled_from(["value", "value", "no_data", "not_applicable"]),
        st.sampled_from([True, False, None]),
        st.booleans(),
    ),
    min_size=1,
    max_size=30,
)


@given(rows=ROWS, tol=st.sampled_from([0.0, 0.5, 5.0]), seed=st.integers(0, 1000))
def test_every_row_gets_the_state_its_rule_gives_in_any_order(
    rows: list[tuple[float, float, str, bool | None, bool]], tol: float, seed: int
) -> None:
    frame = _frame(
        [
            {
                "indicator": "s",
                "value": v if s == "value" else np.nan,
                "previous_value": p,
                "state": s,
                "target": 50.0,
                "target_met": (pd.NA if m is None or s != "value" else m),
                "target_due": due,
            }
            for v, p, s, m, due in rows
        ]
    )
    expected = [
        _expected_status(v, p, s, m if s == "value" else None, tol, due) for v, p, s, m, due in rows
    ]
    out = indicator_states(TOY, frame, tolerance_points=tol)
    assert list(out["status"].astype(str)) == expected
    perm = np.random.default_rng(seed).permutation(len(frame))
    shuffled = indicator_states(TOY, frame.iloc[perm], tolerance_points=tol)
    assert list(shuffled["status"].astype(str)) == [expected[i] for i in perm]
    assert set(out["status"].astype(str)) <= set(STATUSES)


@pytest.mark.parametrize(
    ("dynamics", "result"),
    [
        ([], "not_judged"),
        (["none", "none"], "not_judged"),
        (["growth", "growth"], "positive_dynamics"),
        (["growth", "none"], "positive_dynamics"),
        (["growth", "stable"], "strong_state"),
        (["stable"], "strong_state"),
        (["growth", "decline"], "not_observed"),
        (["decline", "none"], "not_observed"),
    ],
)
def test_the_planned_effect_rule(dynamics: list[str], result: str) -> None:
    assert effect_result(dynamics) == result


@given(st.lists(st.sampled_from(["growth", "stable", "decline", "none"]), max_size=8))
def test_the_effect_rule_ignores_order_and_any_decline_spoils_it(dyn: list[str]) -> None:
    result = effect_result(dyn)
    assert result in EFFECT_RESULTS
    for perm in itertools.islice(itertools.permutations(dyn), 5):
        assert effect_result(list(perm)) == result
    assert effect_result([*dyn, "decline"]) == "not_observed"


def test_target_phrases() -> None:
    t = KARABASH.targets
    assert target_phrase(t["k01"], 66.6, percent=True) == "целевое значение: 66,6 %"
    assert target_phrase(t["k22"], 3.0386, percent=True) == (
        "цель: рост относительно 2020-2021 не менее чем на 10 % (порог: 3,0 %)"
    )
    assert target_phrase(None, 5.0, percent=False) == ""


# --------------------------------------------------------------------------- Karabash sample


def test_the_reporting_period_defaults_to_the_latest() -> None:
    assert ANALYSIS.period == CURRENT
    assert ANALYSIS.previous_period == PREVIOUS
    assert ANALYSIS.level == "municipality"
    assert ANALYSIS.problem_level == "organization"
    assert ANALYSIS.deadline == dt.date(2024, 8, 5)


def test_changes_match_a_plain_pandas_recomputation() -> None:
    r = RESULTS[RESULTS["state"] == "value"]
    merged = ANALYSIS.indicators.loc[r.index]
    np.testing.assert_allclose(
        merged["change_abs"], r["value"] - r["previous_value"], equal_nan=True
    )
    assert merged.loc[
        (merged["indicator"] == "k08")
        & (merged["level"] == "municipality")
        & (merged["period"] == CURRENT)
        & merged["breakdown"].isna(),
        "status",
    ].astype(str).tolist() == ["negative_dynamics"]


def _dynamics(ind: str, unit: str = "karabash") -> str:
    rows = RESULTS[
        (RESULTS["indicator"] == ind)
        & (RESULTS["unit"] == unit)
        & (RESULTS["period"] == CURRENT)
        & RESULTS["breakdown"].isna()
    ]
    (value, prev) = rows[["value", "previous_value"]].iloc[0]
    if math.isnan(prev) or math.isnan(value):
        return "none"
    return "growth" if value > prev else "decline" if value < prev else "stable"


def test_planned_effects_follow_their_linked_indicators() -> None:
    effects = ANALYSIS.effects.set_index("id")
    for effect in KARABASH.planned_effects:
        ids = [
            i.id
            for i in KARABASH.indicators
            if i.id in effect.indicators or i.reading_of in effect.indicators
        ]
        dyn = [_dynamics(i) for i in ids]
        if "decline" in dyn:
            expected = "not_observed"
        elif all(d == "growth" for d in dyn if d != "none"):
            expected = "positive_dynamics"
        else:
            expected = "strong_state"
        assert effects.loc[effect.id, "result"] == expected, effect.id
    # by hand from the sample: k18 8 → 11; k06 2 → 5, k07 11 → 13
    assert effects.loc["e4", "result"] == "positive_dynamics"
    assert effects.loc["e5", "result"] == "positive_dynamics"
    assert effects.loc["e2", "decline"] == ("k16",)  # 7 → 6


def test_criteria_are_judged_by_the_same_rule() -> None:
    crit = ANALYSIS.criteria.set_index("id")
    assert list(crit.index) == [c for c, _ in KARABASH.info.mechanism.criteria]  # type: ignore[union-attr]
    assert crit.loc["c5", "indicators"] == ("k18",)
    assert crit.loc["c5", "result"] == "positive_dynamics"


def test_problem_zones_are_the_units_below_target_or_in_decline() -> None:
    r = RESULTS[
        (RESULTS["level"] == "organization")
        & (RESULTS["period"] == CURRENT)
        & (RESULTS["state"] == "value")
    ]
    below = (r["target_met"] == False) & r["target_due"]  # noqa: E712
    decline = r["value"] < r["previous_value"]
    expected = {
        (i, None if pd.isna(b) else b, u)
        for i, b, u in r.loc[below.fillna(False) | decline, ["indicator", "breakdown", "unit"]]
        .astype(object)
        .itertuples(index=False)
    }
    p = ANALYSIS.problems
    got = {
        (i, None if pd.isna(b) else b, u)
        for i, b, u in p[["indicator", "breakdown", "unit"]].astype(object).itertuples(index=False)
    }
    assert got == expected
    assert {"МОУ ООШ № 4", "МОУ СОШ № 2"} <= set(p.loc[p["indicator"] == "k08", "unit_name"])


def test_problem_zones_put_the_most_severe_first() -> None:
    p = ANALYSIS.problems
    rank = {"below_target_and_decline": 0, "below_target": 1, "decline": 2}
    for _, g in p.groupby(["indicator", "breakdown"], dropna=False):
        assert list(g["severity"]) == list(range(1, len(g) + 1))
        key = list(zip(g["problem"].map(rank), -g["shortfall"], -g["decline"], strict=True))
        assert key == sorted(key)
    k08 = p[p["indicator"] == "k08"]
    # by hand: ООШ № 4 fell 20,0 % → 0,0 %: 25 points short of the 25 % target
    assert k08.iloc[0]["unit"] == "kgo_s4"
    assert k08.iloc[0]["shortfall"] == pytest.approx(25.0)


def test_submissions_are_judged_against_the_5_august_deadline() -> None:
    raw = pd.read_csv(
        __import__("importlib.resources")
        .resources.files("pedprof_karabash")
        .joinpath("data/sample/submissions.csv")
        .open("rb")
    )
    raw = raw[raw["unit_id"].str.startswith("kgo_")]
    end_year = raw["period"].str[-4:].astype(int)
    deadline = pd.to_datetime(end_year.astype(str) + "-08-05")
    late = raw[pd.to_datetime(raw["submitted_at"]) > deadline]
    s = ANALYSIS.submissions
    got = s[s["status"] == "late"]
    assert list(zip(got["unit"], got["period"], strict=True)) == list(
        zip(late["unit_id"], late["period"], strict=True)
    )
    assert got["days_late"].tolist() == [4.0]  # 09.08.2023 against 05.08.2023
    assert (s["status"] == "missing").sum() == 0
    # the merged school (closed 31.08.2023) is not expected in 2023-2024
    assert "kgo_s3" not in set(s.loc[s["period"] == CURRENT, "unit"])


def test_missing_and_unregistered_submissions() -> None:
    sub = DATA.submissions
    assert sub is not None
    staff = DATA.tables["staff"]
    drop_all = (staff["org_id"] == "kgo_s2") & (staff["period"] == CURRENT)
    tables = {
        name: (
            frame[~((frame["org_id"] == "kgo_s2") & (frame["period"] == CURRENT))]
            if "org_id" in frame.columns
            else frame
        )
        for name, frame in DATA.tables.items()
    }
    assert drop_all.any()
    register = sub[~((sub["unit_id"].isin(["kgo_s2", "kgo_d1"])) & (sub["period"] == CURRENT))]
    data = attrs.evolve(DATA, tables=tables, submissions=register)
    a = analyze(KARABASH, data)
    s = a.submissions[a.submissions["period"] == CURRENT].set_index("unit")
    assert s.loc["kgo_s2", "status"] == "missing"
    assert s.loc["kgo_d1", "status"] == "no_register_entry"
    assert s.loc["kgo_s1", "status"] == "on_time"
    missing = a.missing_indicators.set_index("indicator")
    assert missing.loc["k01", "lower_units_without_data"] == 1


def test_an_earlier_period_and_tolerance_can_be_chosen() -> None:
    a = analyze(KARABASH, DATA, RESULTS, period="2021-2022", tolerance_points=10.0)
    assert a.period == "2021-2022" and a.previous_period == "2020-2021"
    cur = a.current().set_index("indicator")
    # k01.annual 40,9 % → 38,7 %: within 10 points, stable — and its target is met
    assert cur.loc["k01.annual", "dynamics"] == "stable"
    first = analyze(KARABASH, DATA, RESULTS, period="2020-2021")
    assert first.previous_period is None
    assert set(first.effects["result"]) == {"not_judged"}


# --------------------------------------------------------------------------- first period


def _one_period(label: str) -> pedprof.Dataset:
    """The Karabash sample cut to one period: no previous value anywhere."""
    return DATA.with_tables(
        **{k: t[t["period"].astype(str) == label] for k, t in DATA.tables.items()}
    )


def test_the_first_period_judges_due_targets_and_criteria_agree_with_problem_zones() -> None:
    first = analyze(KARABASH, _one_period("2021-2022"))
    assert first.period == "2021-2022" and first.previous_period is None
    cur = first.current().set_index("indicator")
    # k01: 70 of 181 teachers assessed = 38,7 % against the due 66,6 %
    k01 = cur.loc["k01"]
    assert (k01["numerator"], k01["denominator"]) == (70, 181)
    assert k01["value"] == pytest.approx(100 * 70 / 181)
    assert k01["target"] == 66.6 and bool(k01["target_due"])
    assert k01["target_status"] == "not_met"
    assert k01["status"] == "target_not_met"  # not «нет данных для сравнения»
    assert k01["dynamics"] == "none" and math.isnan(k01["change_abs"])
    assert "k01" in set(first.problems["indicator"])
    # no row whose due target can be judged is left «нет данных для сравнения»
    judged = cur["target_status"].isin(["met", "not_met", "not_due"])
    assert not (cur.loc[judged, "status"] == "no_comparison").any()

    crit = first.criteria.set_index("id")
    zones = set(first.problems["indicator"].astype(str))
    for cid, row in crit.iterrows():
        ids = set(row["indicators"])
        assert set(row["problem_indicators"]) == ids & zones, cid
        missed = {i for i in row["indicators"] if cur.loc[i, "target_status"] == "not_met"}
        assert set(row["target_not_met"]) == missed, cid
        text = row["conclusion"]
        if row["problem_indicators"]:
            assert "проблемные зоны" in text and "проблемных зон нет" not in text
            assert ", ".join(row["problem_indicators"]) in text
        else:
            assert "проблемных зон нет" in text
        if missed:
            assert text.startswith(
                "Вывод по критерию: целевые значения с наступившим сроком не достигнуты — "
            )
    # c1 (k01–k03): k01 and k02 missed; c3 has no due target and no problem zone
    assert crit.loc["c1", "target_not_met"] == ("k01", "k02")
    assert crit.loc["c3", "conclusion"] == (
        "Вывод по критерию: динамика не оценивается — нет данных для сравнения с предыдущим "
        "периодом; проблемных зон нет."
    )
