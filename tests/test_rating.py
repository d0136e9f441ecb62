"""Tests of the composite rating: hand-worked examples, properties, terminal output, CLI."""

from __future__ import annotations

import json
import os
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd
import pytest
from click.testing import CliRunner
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from rich.console import Console

from pedprof.cli._rate import load_rating_config, rate_command, read_results
from pedprof.rating import (
    METHODS,
    PointsScale,
    Rating,
    RatingConfig,
    RatingInputError,
    RatingSpec,
    SensitivitySettings,
    format_rating,
    rate,
)
from tests.rating_strategies import Case, build_frame, cases, met

#: Two fifths of the examples of the active settings profile (conftest.py): every
#: example rates the frame two or three times, and the file should stay under ~20 s.
PROPERTY = settings(
    max_examples=max(10, settings().max_examples * 2 // 5),
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow],
)
NORMALISED = ("distance_to_target", "minmax")


def by_unit(rating: Rating) -> pd.DataFrame:
    return rating.ranking.set_index("unit")


def scores(rating: Rating) -> dict[str, float]:
    r = rating.ranking
    return dict(zip(r["unit"], r["score"], strict=True))


def ranks(rating: Rating) -> dict[str, Any]:
    r = rating.ranking
    return {u: (None if pd.isna(x) else int(x)) for u, x in zip(r["unit"], r["rank"], strict=True)}


def cell(
    indicator: str,
    unit: str,
    value: float,
    state: str = "value",
    *,
    parent: str = "m",
    period: str = "2024",
    **extra: Any,
) -> dict[str, Any]:
    """One results row for :func:`build_frame`."""
    return {
        "indicator": indicator,
        "unit": unit,
        "parent": parent,
        "period": period,
        "value": value,
        "state": state,
        **extra,
    }


def render(renderable: Any, width: int = 160) -> str:
    console = Console(width=width, record=True, color_system=None)
    console.print(renderable)
    return console.export_text()


# --------------------------------------------------------------------------------------
# Example A, worked by hand.
#
# Municipality m1, five schools, 2023-2024 rated against 2022-2023.
# k01: share, higher is better, target 50.  k02: share, lower is better, target 10.
# k03: count, higher is better, no target.
#
#        k01 (prev)   k02 (prev)   k03 (prev)
#   a    60 (55)       8 (9)        5 (4)
#   b    40 (30)      12 (15)       3 (3)
#   c    45 (50)       9 (12)       6 (5)
#   d    no data      11 (10)       n/a
#   e    no data      no data       7 (6)
# --------------------------------------------------------------------------------------

A_DIRECTIONS = {"k01": 1, "k02": -1, "k03": 1}
A_TARGETS = {"k01": 50.0, "k02": 10.0, "k03": np.nan}
A_DATA = {
    "a": {"k01": (60, 55), "k02": (8, 9), "k03": (5, 4)},
    "b": {"k01": (40, 30), "k02": (12, 15), "k03": (3, 3)},
    "c": {"k01": (45, 50), "k02": (9, 12), "k03": (6, 5)},
    "d": {"k01": "no_data", "k02": (11, 10), "k03": "not_applicable"},
    "e": {"k01": "no_data", "k02": "no_data", "k03": (7, 6)},
}


def example_a(*, parent: dict[str, str] | None = None, categorical: bool = False) -> pd.DataFrame:
    rows = []
    for unit, cells in A_DATA.items():
        for ind, cell in cells.items():
            t = A_TARGETS[ind]
            for period, k in (("2022-2023", 1), ("2023-2024", 0)):
                if isinstance(cell, str):
                    state, value = cell, np.nan
                else:
                    state, value = "value", float(cell[k])
                rows.append(
                    {
                        "indicator": ind,
                        "unit": unit,
                        "parent": (parent or {}).get(unit, "m1"),
                        "period": period,
                        "value": value,
                        "state": state,
                        "target": t,
                        "target_met": met(value, t, A_DIRECTIONS[ind]),
                        "target_due": period == "2023-2024",
                    }
                )
    return build_frame(rows, categorical=categorical)


def rate_a(method: str, **kwargs: Any) -> Rating:
    kwargs.setdefault("sensitivity", False)
    return rate(example_a(), method=method, directions=A_DIRECTIONS, **kwargs)  # type: ignore[arg-type]


def test_points_by_hand() -> None:
    # Points: target met 2, positive dynamics 1, otherwise 0; s = points / 2.
    # a: k01 60 ≥ 50 met → 2; k02 8 ≤ 10 met → 2; k03 5 > 4 → 1.  (1 + 1 + 0.5)/3 → 83.33
    # b: k01 40 < 50, up from 30 → 1; k02 12 > 10, down from 15 (better) → 1; k03 3 = 3 → 0.
    #    (0.5 + 0.5 + 0)/3 → 33.33
    # c: k01 45 < 50, down from 50 → 0; k02 9 met → 2; k03 6 > 5 → 1.  (0 + 1 + 0.5)/3 → 50
    # d: k01 no data (counts against coverage), k02 11 > 10 and worse than 10 → 0,
    #    k03 n/a (leaves the denominator). Coverage 1 / 2 = 50 % → ranked, score 0.
    # e: coverage 1 / 3 < 50 % → not ranked.
    r = rate_a("points")
    assert scores(r)["a"] == pytest.approx(250 / 3)
    assert scores(r)["b"] == pytest.approx(100 / 3)
    assert scores(r)["c"] == pytest.approx(50)
    assert scores(r)["d"] == pytest.approx(0)
    assert np.isnan(scores(r)["e"])
    assert ranks(r) == {"a": 1, "c": 2, "b": 3, "d": 4, "e": None}
    assert list(r.ranking["unit"]) == ["a", "c", "b", "d", "e"]
    u = by_unit(r)
    assert u.loc["d", "coverage"] == 0.5
    assert u.loc["d", "n_not_applicable"] == 1
    assert u.loc["e", "coverage"] == pytest.approx(1 / 3)
    assert u.loc["e", "reason"] == (
        "недостаточно данных: значения есть по 1 из 3 применимых показателей (33,3 %), "
        "требуется не менее 50 %"
    )
    assert list(r.not_ranked["unit"]) == ["e"]
    points = r.explain("a").set_index("indicator")["points"]
    assert points.to_dict() == {"k01": 2.0, "k02": 2.0, "k03": 1.0}


def test_distance_to_target_by_hand() -> None:
    # Goalposts 0 and the target. Higher is better: s = min(x / T, 1); lower: 1 if x ≤ T,
    # else T / x. k03 has no target anywhere, so it is out of this method's scope.
    # a: 60/50 → 1; 8 ≤ 10 → 1.                      → 100
    # b: 40/50 = 0.8; 10/12 = 0.8333.                 → (0.8 + 0.8333)/2 → 81.67
    # c: 45/50 = 0.9; 9 ≤ 10 → 1.                     → 95
    # d: k01 no data; 10/11 = 0.9091; coverage 1/2.   → 90.91
    # e: k01, k02 no data; k03 no target → coverage 0/2, not ranked.
    r = rate_a("distance_to_target")
    s = scores(r)
    assert s["a"] == pytest.approx(100)
    assert s["b"] == pytest.approx(100 * (0.8 + 10 / 12) / 2)
    assert s["c"] == pytest.approx(95)
    assert s["d"] == pytest.approx(100 * 10 / 11)
    assert ranks(r) == {"a": 1, "c": 2, "d": 3, "b": 4, "e": None}
    note = r.indicators.set_index("indicator").loc["k03", "note"]
    assert note == "нет целевого значения: метод расстояния неприменим"
    assert r.explain("a").set_index("indicator").loc["k03", "state"] == "no_target"


def test_minmax_by_hand() -> None:
    # Goalposts over the ranked units of m1 with a value (e is not ranked, so its k03 = 7
    # does not stretch the scale):
    # k01: a 60, b 40, c 45 → min 40, max 60: a 1, b 0, c 0.25.
    # k02 (lower is better): a 8, b 12, c 9, d 11 → (12 − x)/4: a 1, b 0, c 0.75, d 0.25.
    # k03: a 5, b 3, c 6 → (x − 3)/3: a 2/3, b 0, c 1.
    # a: (1 + 1 + 2/3)/3 → 88.89; b: 0; c: (0.25 + 0.75 + 1)/3 → 66.67; d: 0.25 → 25.
    r = rate_a("minmax")
    s = scores(r)
    assert s["a"] == pytest.approx(800 / 9)
    assert s["b"] == pytest.approx(0)
    assert s["c"] == pytest.approx(200 / 3)
    assert s["d"] == pytest.approx(25)
    assert ranks(r) == {"a": 1, "c": 2, "d": 3, "b": 4, "e": None}


def test_weights_and_criteria_by_hand() -> None:
    # minmax as above; criteria A = {k01, k02}, B = {k03}, equal criterion weights.
    # a: A = (1 + 1)/2 = 1, B = 2/3 → (1 + 2/3)/2 → 83.33.
    # c: A = (0.25 + 0.75)/2 = 0.5, B = 1 → 75.
    # d: A = k02 alone = 0.25; B is n/a for d, so only A counts → 25.
    # Contributions of a: k01 100 · 1/2 · 1/2 · 1 = 25, k02 25, k03 100 · 1/2 · 2/3 = 33.33.
    # With k01 weighted 3 inside A: c: A = (3·0.25 + 0.75)/4 = 0.375 → (0.375 + 1)/2 → 68.75.
    criteria = {"k01": "A", "k02": "A", "k03": "B"}
    r = rate_a("minmax", criteria=criteria)
    assert scores(r)["a"] == pytest.approx(250 / 3)
    assert scores(r)["c"] == pytest.approx(75)
    assert scores(r)["d"] == pytest.approx(25)
    dec = r.explain("a").set_index("indicator")
    assert dec["contribution"].to_dict() == pytest.approx({"k01": 25, "k02": 25, "k03": 100 / 3})
    assert dec["weight_share"].sum() == pytest.approx(1)
    crit = r.criteria
    a = crit.loc[crit["unit"] == "a"].set_index("criterion")
    assert a.loc["A", "criterion_score"] == pytest.approx(100)
    assert a.loc["B", "criterion_score"] == pytest.approx(200 / 3)
    assert a["contribution"].sum() == pytest.approx(250 / 3)

    r = rate_a("minmax", criteria=criteria, weights={"k01": 3})
    assert scores(r)["c"] == pytest.approx(68.75)
    r = rate_a("minmax", criteria=criteria, criterion_weights={"B": 3})
    # a: (1·1 + 3·2/3)/4 → 75
    assert scores(r)["a"] == pytest.approx(75)
    specs = [
        RatingSpec("k01", "A", 3.0),
        RatingSpec("k02", "A", direction=-1),
        RatingSpec("k03", "B"),
    ]
    via_specs = rate(example_a(), method="minmax", specs=specs, sensitivity=False)
    via_maps = rate_a("minmax", criteria=criteria, weights={"k01": 3})
    pd.testing.assert_frame_equal(via_specs.ranking, via_maps.ranking)


def test_ranks_within_parent() -> None:
    parent = {"a": "m1", "b": "m1", "c": "m2", "d": "m2", "e": "m2"}
    r = rate(example_a(parent=parent), method="minmax", directions=A_DIRECTIONS, sensitivity=False)
    # m1: k01 a 1, b 0; k02 a 1, b 0; k03 a 1, b 0 → a 100, b 0.
    # m2: k01 c alone → 0.5; k02 c 9, d 11 → c 1, d 0; k03: c is the only ranked unit
    # with a value (e is not ranked) → 0.5. c: (0.5 + 1 + 0.5)/3 → 66.67, d: 0.
    assert ranks(r) == {"a": 1, "b": 2, "c": 1, "d": 2, "e": None}
    assert scores(r)["c"] == pytest.approx(200 / 3)
    assert list(r.ranking["n_ranked_in_parent"]) == [2, 2, 2, 2, 2]
    r = rate(
        example_a(parent=parent),
        method="minmax",
        directions=A_DIRECTIONS,
        within="level",
        sensitivity=False,
    )
    assert ranks(r) == {"a": 1, "c": 2, "d": 3, "b": 4, "e": None}


def test_municipality_level_and_breakdown_rows_ignored() -> None:
    frame = example_a()
    muni = frame.assign(level="municipality", parent="r1")
    muni["unit"] = "m-" + muni["unit"]
    noise = frame.assign(breakdown="teachers", value=1000.0)
    everything = pd.concat([frame, muni, noise], ignore_index=True)
    r = rate(
        everything,
        level="municipality",
        method="minmax",
        directions=A_DIRECTIONS,
        sensitivity=False,
    )
    assert ranks(r) == {"m-a": 1, "m-c": 2, "m-d": 3, "m-b": 4, "m-e": None}
    assert set(r.ranking["parent"]) == {"r1"}
    org = rate(everything, method="minmax", directions=A_DIRECTIONS, sensitivity=False)
    pd.testing.assert_frame_equal(org.ranking, rate_a("minmax").ranking)


@pytest.mark.parametrize(
    ("ties", "expected"),
    [("min", [1, 2, 2, 4]), ("dense", [1, 2, 2, 3]), ("max", [1, 3, 3, 4])],
)
def test_ties_rule(ties: str, expected: list[int]) -> None:
    # One indicator, target 100: scores are the values themselves; 0.1 + 0.2 differs from
    # 0.3 in the last bit but ties after rounding to 9 decimals.
    values = {"w": 100.0, "x": (0.1 + 0.2) * 100, "y": 30.0, "z": 10.0}
    rows = [cell("k01", u, v, target=100.0) for u, v in values.items()]
    r = rate(build_frame(rows), method="distance_to_target", ties=ties, sensitivity=False)  # type: ignore[arg-type]
    assert [ranks(r)[u] for u in "wxyz"] == expected


def test_no_data_is_never_zero_and_missing_rows_are_no_data() -> None:
    # u1 has k01 = target (1.0) and no data on k02: its score is 100, not 50.
    # u2 has no row at all for k02: same as an explicit no-data row.
    rows = [
        cell("k01", "u1", 10.0, target=10.0),
        cell("k02", "u1", np.nan, "no_data", target=10.0),
        cell("k01", "u2", 10.0, target=10.0),
        cell("k02", "u3", 5.0, target=10.0),
    ]
    r = rate(build_frame(rows), method="distance_to_target", sensitivity=False)
    u = by_unit(r)
    assert u.loc["u1", "score"] == 100
    assert u.loc["u2", "score"] == 100
    assert u.loc["u1", "coverage"] == u.loc["u2", "coverage"] == 0.5
    assert u.loc["u2", "n_no_data"] == 1
    r = rate(build_frame(rows), method="distance_to_target", min_coverage=0.6, sensitivity=False)
    assert not by_unit(r).loc["u1", "ranked"]
    r = rate(build_frame(rows), method="distance_to_target", sensitivity=False)
    assert by_unit(r).loc["u3", "score"] == 50  # k01 missing: out of the mean, not a 0


def test_not_applicable_leaves_the_denominator() -> None:
    # u1: k01 met (1), k02 n/a → score 100 and coverage 100 %; an n/a cell is not a 0.
    rows = [
        cell("k01", "u1", 10.0, target=10.0),
        cell("k02", "u1", np.nan, "not_applicable", target=10.0),
        cell("k01", "u2", np.nan, "not_applicable"),
        cell("k02", "u2", np.nan, "not_applicable"),
    ]
    r = rate(build_frame(rows), method="distance_to_target", sensitivity=False)
    u = by_unit(r)
    assert u.loc["u1", "score"] == 100
    assert u.loc["u1", "coverage"] == 1
    assert u.loc["u1", "n_not_applicable"] == 1
    assert not u.loc["u2", "ranked"]
    assert u.loc["u2", "reason"] == "нет применимых показателей с целевыми значениями"
    r = rate(build_frame(rows), method="minmax", sensitivity=False)
    assert by_unit(r).loc["u2", "reason"] == "все показатели неприменимы"


def test_previous_value_column_or_previous_rows_agree() -> None:
    frame = example_a()
    prev = frame[frame["period"] == "2022-2023"].set_index(["indicator", "unit"])["value"]
    with_column = frame.assign(
        previous_value=frame.set_index(["indicator", "unit"]).index.map(prev).to_numpy(dtype=float)
    )
    with_column.loc[with_column["period"] == "2022-2023", "previous_value"] = np.nan
    a = rate(with_column, directions=A_DIRECTIONS, sensitivity=False)
    b = rate(frame, directions=A_DIRECTIONS, sensitivity=False)
    pd.testing.assert_frame_equal(a.ranking, b.ranking)
    assert b.previous_period == "2022-2023"


def test_period_selection_and_custom_points_scale() -> None:
    r = rate(example_a(), period="2022-2023", directions=A_DIRECTIONS, sensitivity=False)
    assert r.period == "2022-2023"
    assert r.previous_period is None
    # No previous period: only met targets score. a: k01 55 met (1), k02 9 met (1), k03 0 →
    # (1 + 1 + 0)/3 = 66.67.
    assert scores(r)["a"] == pytest.approx(200 / 3)
    r = rate_a("points", points_scale={"target_met": 3, "positive_dynamics": 2, "other": 1})
    # s = (p − 1)/2: b: k01 2 → 0.5, k02 2 → 0.5, k03 1 → 0 → 33.33 (affine: same as 2/1/0).
    assert scores(r)["b"] == pytest.approx(100 / 3)
    with pytest.raises(ValueError, match="target_met >= positive_dynamics"):
        PointsScale(1, 2, 0)


def test_input_errors_are_in_russian() -> None:
    frame = example_a()
    latest = frame[frame["period"] == "2023-2024"]
    with pytest.raises(RatingInputError, match="повторяющиеся итоговые строки"):
        rate(pd.concat([frame, latest.iloc[:1]]), sensitivity=False)
    with pytest.raises(RatingInputError, match="период «2030» отсутствует"):
        rate(frame, period="2030", sensitivity=False)
    with pytest.raises(RatingInputError, match="нет столбцов: state"):
        rate(frame.drop(columns="state"), sensitivity=False)
    with pytest.raises(RatingInputError, match="неизвестное состояние"):
        rate(frame.assign(state="bad"), sensitivity=False)
    with pytest.raises(RatingInputError, match="нет итоговых строк уровня «region»"):
        rate(frame, level="region", sensitivity=False)
    with pytest.raises(ValueError, match="Аргумент «method» может быть одним из"):
        rate(frame, method="mean", sensitivity=False)  # type: ignore[arg-type]
    two_parents = frame.copy()
    two_parents.loc[two_parents.index[-1], "parent"] = "m2"
    with pytest.raises(RatingInputError, match="несколько вышестоящих"):
        rate(two_parents, sensitivity=False)


def test_zero_weight_and_scope() -> None:
    r = rate_a("minmax", weights={"k03": 0})
    ind = r.indicators.set_index("indicator")
    assert ind.loc["k03", "note"] == "нулевой вес"
    assert r.ranking["n_indicators"].iloc[0] == 2
    r = rate_a("minmax", indicators=["k01", "k02"])
    # a: 1, 1 → 100; c: 0.25, 0.75 → 50.
    assert scores(r)["c"] == pytest.approx(50)


def test_sensitivity_method_change_flags_unstable() -> None:
    # k01 target 10: u1 10 (met), u2 9, u3 0. k02 no target, previous 1, 100, 10:
    # u1 0, u2 100, u3 50.
    # points:   u1 (1 + 0)/2 = 50, u2 0, u3 (0 + 0.5)/2 = 25  → ranks 1, 3, 2
    # distance: k01 only: 100, 90, 0                          → ranks 1, 2, 3
    # minmax:   u1 (1 + 0)/2 = 50, u2 (0.9 + 1)/2 = 95, u3 (0 + 0.5)/2 = 25 → 2, 1, 3
    # u2's interval 1–3 is wider than max(1, 0.25 × 3) → unstable; u1 (1–2), u3 (2–3) are not.
    rows = []
    for u, k01, k02, prev in (("u1", 10, 0, 1), ("u2", 9, 100, 100), ("u3", 0, 50, 10)):
        rows += [
            cell("k01", u, float(k01), target=10.0, target_met=k01 >= 10),
            cell("k02", u, float(k02)),
            cell("k02", u, float(prev), period="2023"),
        ]
    r = rate(build_frame(rows), sensitivity=SensitivitySettings(n_draws=0))
    sens = r.sensitivity
    assert sens is not None
    s = sens.set_index("unit")
    assert s["rank_points"].to_dict() == {"u1": 1, "u2": 3, "u3": 2}
    assert s["rank_distance_to_target"].to_dict() == {"u1": 1, "u2": 2, "u3": 3}
    assert s["rank_minmax"].to_dict() == {"u1": 2, "u2": 1, "u3": 3}
    assert s["unstable_methods"].to_dict() == {"u1": False, "u2": True, "u3": False}
    assert s["unstable"].to_dict() == {"u1": False, "u2": True, "u3": False}
    assert (s["rank_weights_min"] == s["rank"]).all()


def test_sensitivity_weights_is_seeded_and_bounded() -> None:
    settings_ = SensitivitySettings(n_draws=30, perturbation=0.5, seed=7)
    a = rate_a("minmax", sensitivity=settings_, criteria={"k01": "A", "k02": "A"})
    b = rate_a("minmax", sensitivity=settings_, criteria={"k01": "A", "k02": "A"})
    assert a.sensitivity is not None and b.sensitivity is not None
    pd.testing.assert_frame_equal(a.sensitivity, b.sensitivity)
    s = a.sensitivity.dropna(subset=["rank"])
    assert (s["rank_weights_min"] <= s["rank"]).all()
    assert (s["rank"] <= s["rank_weights_max"]).all()
    assert (s["rank_weights_max"] <= a.ranking["n_ranked_in_parent"].max()).all()
    assert a.sensitivity["unstable"].isna().sum() == 1  # e is not ranked


def test_default_sensitivity_runs() -> None:
    r = rate(example_a(), directions=A_DIRECTIONS)
    assert r.sensitivity is not None
    assert list(r.sensitivity["unit"]) == list(r.ranking["unit"])
    assert r.sensitivity_settings == SensitivitySettings()


# --------------------------------------------------------------------------------------
# Properties
# --------------------------------------------------------------------------------------


def rate_case(case: Case, method: str, frame: pd.DataFrame | None = None, **kw: Any) -> Rating:
    return rate(
        case.frame if frame is None else frame,
        method=method,  # type: ignore[arg-type]
        directions=case.directions,
        weights=case.weights,
        criteria=case.criteria,
        sensitivity=kw.pop("sensitivity", False),
        **kw,
    )


@PROPERTY
@given(case=cases(), method=st.sampled_from(METHODS), data=st.data())
def test_invariant_under_row_permutation(case: Case, method: str, data: st.DataObject) -> None:
    perm = data.draw(st.permutations(range(len(case.frame))))
    a = rate_case(case, method)
    b = rate_case(case, method, case.frame.iloc[list(perm)].reset_index(drop=True))
    pd.testing.assert_frame_equal(a.ranking, b.ranking)
    pd.testing.assert_frame_equal(a.decomposition, b.decomposition)


@PROPERTY
@given(case=cases(), method=st.sampled_from(METHODS), data=st.data())
def test_invariant_under_relabelling_units(case: Case, method: str, data: st.DataObject) -> None:
    units = sorted(set(case.frame["unit"].astype(str)))
    shuffled = data.draw(st.permutations(units))
    rename = dict(zip(units, shuffled, strict=True))
    frame = case.frame.assign(unit=case.frame["unit"].astype(str).map(rename))
    a = by_unit(rate_case(case, method))
    b = by_unit(rate_case(case, method, frame)).rename(index={v: k for k, v in rename.items()})
    b = b.loc[a.index]
    np.testing.assert_array_equal(a["score"].to_numpy(), b["score"].to_numpy())
    assert a["rank"].equals(b["rank"])
    assert a["reason"].equals(b["reason"])


@PROPERTY
@given(case=cases(), method=st.sampled_from(METHODS), data=st.data())
def test_monotone_in_each_value(case: Case, method: str, data: st.DataObject) -> None:
    frame = case.frame
    latest = frame.loc[frame["period_start"].idxmax(), "period"]
    cells = frame.index[(frame["state"] == "value") & (frame["period"] == latest)]
    if len(cells) == 0:
        return
    i = data.draw(st.sampled_from(list(cells)))
    step = data.draw(st.integers(1, 100)) / 2
    ind = str(frame.loc[i, "indicator"])
    d = case.directions[ind]
    better = frame.copy()
    better.loc[i, "value"] = frame.loc[i, "value"] + d * step
    better.loc[i, "target_met"] = met(better.loc[i, "value"], frame.loc[i, "target"], d)
    unit = str(frame.loc[i, "unit"])
    a = by_unit(rate_case(case, method))
    b = by_unit(rate_case(case, method, better))
    if not a.loc[unit, "ranked"]:
        return
    assert b.loc[unit, "score"] >= a.loc[unit, "score"]
    assert b.loc[unit, "rank"] <= a.loc[unit, "rank"]


@PROPERTY
@given(
    case=cases(),
    method=st.sampled_from(NORMALISED),
    power=st.integers(-3, 6),
    data=st.data(),
)
def test_invariant_under_rescaling_an_indicator(
    case: Case, method: str, power: int, data: st.DataObject
) -> None:
    ind = data.draw(st.sampled_from(sorted(case.directions)))
    c = 2.0**power  # exact in floating point, so ranks must match exactly
    frame = case.frame.copy()
    rows = frame["indicator"] == ind
    for col in ("value", "target"):
        frame.loc[rows, col] = frame.loc[rows, col] * c
    a = rate_case(case, method)
    b = rate_case(case, method, frame)
    pd.testing.assert_frame_equal(a.ranking, b.ranking)
    general = case.frame.copy()
    for col in ("value", "target"):
        general.loc[rows, col] = general.loc[rows, col] * 3.7
    g = rate_case(case, method, general)
    np.testing.assert_allclose(g.ranking["score"], a.ranking["score"], rtol=1e-9, atol=1e-9)


@PROPERTY
@given(case=cases(max_units=3), method=st.sampled_from(METHODS), copies=st.integers(2, 4))
def test_equal_inputs_give_equal_ranks(case: Case, method: str, copies: int) -> None:
    frame = case.frame
    latest = frame["period"] == frame.loc[frame["period_start"].idxmax(), "period"]
    first = str(frame.loc[latest, "unit"].astype(str).iloc[0])  # a unit of the rated period
    mine = frame[frame["unit"].astype(str) == first]
    clones = [mine.assign(unit=f"{first}#{k}") for k in range(copies)]
    bigger = pd.concat([frame.astype({"unit": str}), *[c.astype({"unit": str}) for c in clones]])
    r = by_unit(rate_case(case, method, bigger.reset_index(drop=True)))
    group = r.loc[[first] + [f"{first}#{k}" for k in range(copies)]]
    assert len(set(group["score"].fillna(-1))) == 1
    assert len(set(group["rank"].fillna(-1))) == 1


@PROPERTY
@given(
    case=cases(state_weights=(3, 2, 1)),
    method=st.sampled_from(METHODS),
    cut=st.sampled_from([0.0, 0.3, 0.5, 0.75, 1.0]),
)
def test_coverage_rule_and_bounds(case: Case, method: str, cut: float) -> None:
    r = rate_case(case, method, min_coverage=cut)
    frame = case.frame
    period = r.period
    cur = frame[(frame["period"].astype(str) == period)]
    g = cur.assign(unit=cur["unit"].astype(str), state=cur["state"].astype(str))
    rk = r.ranking.set_index("unit")
    m = rk["n_indicators"].iloc[0]
    n_value = g[g["state"] == "value"].groupby("unit").size()
    n_na = g[g["state"] == "not_applicable"].groupby("unit").size()
    if method != "distance_to_target":
        for unit, row in rk.iterrows():
            used = int(n_value.get(unit, 0))
            applicable = m - int(n_na.get(unit, 0))
            assert row["n_indicators_used"] == used
            if applicable:
                assert row["coverage"] == pytest.approx(used / applicable)
    ranked = rk["ranked"]
    assert (ranked == ((rk["coverage"] >= cut) & (rk["n_indicators_used"] > 0))).all()
    assert rk.loc[~ranked, "score"].isna().all()
    assert rk.loc[~ranked, "rank"].isna().all()
    assert rk.loc[~ranked, "reason"].notna().all()
    ok = rk[ranked]
    assert ((ok["score"] >= 0) & (ok["score"] <= 100 + 1e-9)).all()
    assert ((ok["rank"] >= 1) & (ok["rank"] <= ok["n_ranked_in_parent"])).all()
    # The decomposition adds up to the score.
    dec = r.decomposition
    total = dec.groupby("unit", observed=True)["contribution"].sum(min_count=1)
    np.testing.assert_allclose(total.reindex(ok.index), ok["score"], atol=1e-9)
    crit = r.criteria.groupby("unit", observed=True)["contribution"].sum(min_count=1)
    np.testing.assert_allclose(crit.reindex(ok.index), ok["score"], atol=1e-9)


@PROPERTY
@given(
    case=cases(max_units=7),
    method=st.sampled_from(METHODS),
    ties=st.sampled_from(["min", "dense", "max"]),
)
def test_rank_is_the_declared_competition_rank(case: Case, method: str, ties: str) -> None:
    r = rate_case(case, method, ties=ties).ranking
    ok = r[r["ranked"]]
    for _, grp in ok.groupby("parent"):
        s = grp["score"].round(9).to_numpy()
        for score, rank in zip(s, grp["rank"], strict=True):
            if ties == "min":
                expected = 1 + int((s > score).sum())
            elif ties == "dense":
                expected = 1 + len(set(s[s > score]))
            else:
                expected = int((s >= score).sum())
            assert rank == expected


@PROPERTY
@given(case=cases(max_units=5))
def test_not_applicable_cells_do_not_move_other_units_distance(case: Case) -> None:
    # Turning one value into n/a changes only that unit under distance-to-target (its
    # goalposts are fixed by targets, not by the other units).
    frame = case.frame
    values = frame.index[frame["state"] == "value"]
    if len(values) == 0:
        return
    i = values[0]
    changed = frame.copy()
    changed["state"] = changed["state"].astype(str)
    changed.loc[i, "state"] = "not_applicable"
    changed.loc[i, "value"] = np.nan
    a = by_unit(rate_case(case, "distance_to_target"))
    b = by_unit(rate_case(case, "distance_to_target", changed))
    unit = str(frame.loc[i, "unit"])
    others = a.index.difference([unit])
    np.testing.assert_array_equal(a.loc[others, "score"], b.loc[others, "score"])


# --------------------------------------------------------------------------------------
# Terminal output and CLI
# --------------------------------------------------------------------------------------


def test_format_rating_in_russian() -> None:
    r = rate(
        example_a(), method="points", directions=A_DIRECTIONS, criteria={"k01": "A", "k02": "A"}
    )
    text = render(
        format_rating(
            r,
            top=1,
            bottom=1,
            unit="b",
            indicator_names={"k01": "Доля"},
            criterion_names={"A": "Кадры"},
        )
    )
    assert "Рейтинг: образовательные организации, период 2023-2024" in text
    assert "баллы по состоянию показателя" in text
    assert "(1, 2, 2, 4)" in text
    assert "Муниципалитет «m1»: ранжировано 4" in text
    assert "«b» и соседи" in text
    # b: criterion A = (0.5 + 0.5)/2, k03 (a criterion of its own) = 0 → (0.5 + 0)/2 → 25.
    assert "Из чего сложился балл «b»: 25,0" in text
    assert "k01 Доля" in text
    assert "Кадры" in text
    assert "Не ранжированы: 1" in text
    assert "недостаточно данных" in text
    assert "Устойчивость мест" in text
    assert "…" in text  # between the top and the bottom
    unranked = render(format_rating(r, unit="e"))
    assert "«e» не ранжирована: недостаточно данных" in unranked
    with pytest.raises(KeyError):
        format_rating(r, unit="nope")


def test_format_rating_many_parents() -> None:
    parent = {"a": "m1", "b": "m2", "c": "m3", "d": "m4", "e": "m5"}
    r = rate(example_a(parent=parent), directions=A_DIRECTIONS, sensitivity=False)
    text = render(format_rating(r, max_groups=2))
    assert "Показаны 2 из 5 групп" in text
    text = render(format_rating(r, parent="m3"))
    assert "Муниципалитет «m3»" in text and "Муниципалитет «m1»" not in text


@pytest.fixture
def results_files(tmp_path: Path) -> dict[str, Path]:
    frame = example_a()
    csv, parquet = tmp_path / "results.csv", tmp_path / "results.parquet"
    frame.to_csv(csv, index=False)
    frame.to_parquet(parquet)
    return {"csv": csv, "parquet": parquet}


def test_read_results_roundtrip(results_files: dict[str, Path], tmp_path: Path) -> None:
    zeros = tmp_path / "zeros.csv"
    digits = {"a": "001", "b": "002", "c": "003", "d": "004", "e": "005"}
    example_a().assign(unit=lambda f: f["unit"].map(digits), period="2024").to_csv(
        zeros, index=False
    )
    frame = read_results(zeros)
    assert set(frame["unit"]) == set(digits.values())
    assert frame["period"].iloc[0] == "2024"
    assert str(frame["target_met"].dtype) == "boolean"
    a = read_results(results_files["csv"])
    b = read_results(results_files["parquet"])
    ra = rate(a, directions=A_DIRECTIONS, sensitivity=False)
    rb = rate(b, directions=A_DIRECTIONS, sensitivity=False)
    pd.testing.assert_frame_equal(ra.ranking, rb.ranking)


def test_cli_rate(results_files: dict[str, Path], tmp_path: Path) -> None:
    profile = tmp_path / "rating.yaml"
    profile.write_text(
        "rating:\n"
        "  method: minmax\n"
        "  criteria: {A: {weight: 1, name: Кадры}}\n"
        "  indicators:\n"
        "    k01: {criterion: A, name: Доля педагогов}\n"
        "    k02: {criterion: A, direction: -1}\n"
        "    k03: {}\n",
        encoding="utf-8",
    )
    runner = CliRunner()
    out = tmp_path / "rating.xlsx"
    res = runner.invoke(
        rate_command,
        [
            str(results_files["csv"]),
            "--profile",
            str(profile),
            "--unit",
            "c",
            "--top",
            "2",
            "-o",
            str(out),
        ],
        env={"COLUMNS": "200"},
    )
    assert res.exit_code == 0, res.output
    assert "мин–макс нормировка" in res.output
    assert "Правила рейтинга: указанные настройки." in res.output
    assert "Из чего сложился балл «c»: 75,0" in res.output
    assert "Доля педагогов" in res.output
    assert out.exists()
    assert "Рейтинг" in pd.ExcelFile(out, engine="openpyxl").sheet_names
    res = runner.invoke(
        rate_command,
        [
            str(results_files["parquet"]),
            "--method",
            "distance_to_target",
            "--no-sensitivity",
            "-o",
            str(tmp_path / "r.csv"),
        ],
    )
    assert res.exit_code == 0, res.output
    assert "Правила рейтинга: настройки по умолчанию." in res.output
    assert "Профиль не указан и не записан в файле результатов" in " ".join(res.output.split())
    # No profile: k02 counts as higher-is-better. d: 11/10 → 1 → 100; a: (1 + 0.8)/2,
    # b: (0.8 + 1)/2, c: (0.9 + 0.9)/2 all → 90, tied (listed by id).
    saved = pd.read_csv(tmp_path / "r.csv")
    assert list(saved["unit"]) == ["d", "a", "b", "c", "e"]
    assert list(saved["rank"].fillna(0)) == [1, 2, 2, 2, 0]
    res = runner.invoke(rate_command, [str(results_files["csv"]), "--period", "2030"])
    assert res.exit_code != 0
    assert "период «2030» отсутствует" in res.output
    res = runner.invoke(rate_command, [str(results_files["csv"]), "--unit", "zz"])
    assert res.exit_code != 0
    assert "единица «zz» не найдена" in res.output
    res = runner.invoke(rate_command, [str(results_files["csv"]), "--profile", "nowhere"])
    assert res.exit_code != 0
    assert "Профиль «nowhere» не найден" in res.output
    res = runner.invoke(rate_command, [])
    assert res.exit_code != 0
    assert "укажите файл РЕЗУЛЬТАТЫ или имя профиля" in res.output


def test_cli_rate_by_profile_name_on_its_sample() -> None:
    """``pedprof rate --profile karabash``: the profile's criteria and the sample's results."""
    res = CliRunner().invoke(
        rate_command, ["--profile", "karabash", "--no-sensitivity", "--top", "2"]
    )
    assert res.exit_code == 0, res.output
    assert "образовательные организации, период 2023-2024" in res.output
    assert "Ранжировано 9 из 9" in res.output


def test_rating_config_for_a_profile_uses_its_criteria_and_skips_readings() -> None:
    import pedprof
    from pedprof.rating import rating_config_for

    config = rating_config_for(pedprof.get_profile("karabash"))
    assert "k01.annual" not in config.indicators and "k01" in config.indicators
    assert config.indicators["k15"].criterion == "c3"
    assert len(config.criteria) == 7


def test_rating_config_files(tmp_path: Path) -> None:
    data = {
        "method": "points",
        "points_scale": {"target_met": 3},
        "indicators": {"k01": {"weight": 2}},
    }
    path = tmp_path / "r.json"
    path.write_text(json.dumps(data), encoding="utf-8")
    config = load_rating_config(path)
    kwargs = config.rate_kwargs()
    assert kwargs["points_scale"] == PointsScale(3, 1, 0)
    assert kwargs["specs"] == (RatingSpec("k01", weight=2),)
    assert kwargs["indicators"] == ["k01"]
    toml = tmp_path / "r.toml"
    toml.write_text('[rating]\nmethod = "minmax"\n', encoding="utf-8")
    assert load_rating_config(toml).method == "minmax"
    with pytest.raises(ValueError):
        RatingConfig.model_validate({"points_scale": {"target_met": 0, "positive_dynamics": 1}})


def test_docs_worked_example() -> None:
    """The worked example of docs/rating.md (included from here, so it runs in CI)."""
    # [docs: worked example]
    import numpy as np
    import pandas as pd

    from pedprof.rating import rate

    nan = np.nan
    columns = ["indicator", "unit", "value", "previous_value", "state", "target", "target_met"]
    rows = [
        ("k01", "oo1", 60, 55, "value", 50, True),
        ("k01", "oo2", 40, 30, "value", 50, False),
        ("k01", "oo3", 45, 50, "value", 50, False),
        ("k01", "oo4", nan, nan, "no_data", 50, None),
        ("k01", "oo5", nan, nan, "no_data", 50, None),
        ("k02", "oo1", 8, 9, "value", 10, True),
        ("k02", "oo2", 12, 15, "value", 10, False),
        ("k02", "oo3", 9, 12, "value", 10, True),
        ("k02", "oo4", 11, 10, "value", 10, False),
        ("k02", "oo5", nan, nan, "no_data", 10, None),
        ("k03", "oo1", 5, 4, "value", nan, None),
        ("k03", "oo2", 3, 3, "value", nan, None),
        ("k03", "oo3", 6, 5, "value", nan, None),
        ("k03", "oo4", nan, nan, "not_applicable", nan, None),
        ("k03", "oo5", 7, 6, "value", nan, None),
    ]
    results = pd.DataFrame(rows, columns=columns).assign(
        breakdown=None,
        level="organization",
        parent="karabash",
        period="2023-2024",
        period_start=pd.Timestamp("2023-09-01"),
    )
    results["target_met"] = results["target_met"].astype("boolean")

    rating = rate(results, method="points", directions={"k02": -1})
    print(rating.ranking[["unit", "score", "rank", "coverage"]])
    print(rating.explain("oo2")[["indicator", "value", "previous_value", "points", "contribution"]])
    # [docs: end]
    assert ranks(rating) == {"oo1": 1, "oo3": 2, "oo2": 3, "oo4": 4, "oo5": None}
    assert scores(rating)["oo1"] == pytest.approx(250 / 3)
    assert scores(rating)["oo2"] == pytest.approx(100 / 3)
    expected = {
        "distance_to_target": {"oo1": 1, "oo3": 2, "oo4": 3, "oo2": 4, "oo5": None},
        "minmax": {"oo1": 1, "oo3": 2, "oo4": 3, "oo2": 4, "oo5": None},
    }
    for method, want in expected.items():
        other = rate(results, method=method, directions={"k02": -1}, sensitivity=False)  # type: ignore[arg-type]
        assert ranks(other) == want
    sens = rating.sensitivity
    assert sens is not None
    assert sens.set_index("unit")["rank_methods_max"].to_dict()["oo2"] == 4
    assert not sens["unstable"].fillna(False).any()


def test_format_rating_within_level() -> None:
    parent = {"a": "m1", "b": "m1", "c": "m2", "d": "m2", "e": "m2"}
    r = rate(
        example_a(parent=parent),
        method="minmax",
        directions=A_DIRECTIONS,
        within="level",
        sensitivity=False,
    )
    text = render(format_rating(r, unit="d"))
    assert "Все образовательные организации: ранжировано 4" in text
    assert "Места по всему уровню" in text


# --------------------------------------------------------------------------- one rating: the API
# and the command apply the profile's declaration alike (issue 11)


@pytest.fixture(scope="module")
def karabash() -> tuple[Any, Any, pd.DataFrame]:
    """The Karabash profile, its sample and the sample's results."""
    import pedprof

    profile = pedprof.get_profile("karabash")
    data = pedprof.load_sample(profile)
    return profile, data, pedprof.compute(profile, data)


def _by_hand(profile: Any, results: pd.DataFrame) -> dict[str, float]:
    """The points score of every organisation in 2023-2024 under the Karabash declaration,
    in plain pandas: 2 points for a met target, 1 for growth, else 0, scaled to [0, 1];
    the mean within each criterion, then the mean over criteria, × 100; alternative
    readings (k01.annual …) left out; no-data and not-applicable cells left out."""
    base = {i.id: i for i in profile.indicators if i.reading_of is None}
    r = results[
        (results["level"] == "organization")
        & results["breakdown"].isna()
        & (results["period"] == "2023-2024")
        & results["indicator"].isin(list(base))
        & (results["state"] == "value")
    ].copy()
    direction = r["indicator"].map({k: i.direction for k, i in base.items()}).astype(float)
    grew = direction * (r["value"] - r["previous_value"]) > 0
    met = r["target_met"].astype("boolean").fillna(False).astype(bool)
    r["s"] = np.where(met, 2, np.where(grew, 1, 0)) / 2
    r["criterion"] = r["indicator"].map({k: i.criterion for k, i in base.items()})
    per_criterion = r.groupby(["unit", "criterion"], observed=True)["s"].mean()
    return (100 * per_criterion.groupby(level="unit", observed=True).mean()).to_dict()


def test_api_applies_the_profile_declaration_and_the_command_ranks_alike(
    karabash: tuple[Any, Any, pd.DataFrame], tmp_path: Path
) -> None:
    profile, _, results = karabash
    assert results.attrs["profile"] == "karabash"  # recorded by compute
    declared = rate(results, profile="karabash", sensitivity=False)
    assert declared.declaration == "профиль karabash"
    # the declaration is really applied: equal criteria, readings left out — by hand
    hand = _by_hand(profile, results)
    got = scores(declared)
    assert set(got) == set(hand)
    for unit, value in hand.items():
        assert got[unit] == pytest.approx(value), unit
    # rate(results) finds the profile compute recorded; a Profile object works the same
    for same in (
        rate(results, sensitivity=False),
        rate(results, profile=profile, sensitivity=False),
    ):
        pd.testing.assert_frame_equal(same.ranking, declared.ranking)
    # without any declaration (the attrs lost) the built-in defaults rank differently
    plain = results.copy()
    plain.attrs.clear()
    undeclared = rate(plain, sensitivity=False)
    assert undeclared.declaration == "настройки по умолчанию"
    assert scores(undeclared) != pytest.approx(scores(declared))
    # an explicit argument overrides the declaration, the rest of it stays
    heavier = rate(results, profile="karabash", criterion_weights={"c1": 3}, sensitivity=False)
    assert scores(heavier) != pytest.approx(scores(declared))
    assert heavier.criterion_names == declared.criterion_names
    minmax = rate(results, profile="karabash", method="minmax", sensitivity=False)
    assert minmax.method == "minmax" and minmax.declaration == "профиль karabash"

    # the command: by profile name on the sample, and on the files compute writes
    runner = CliRunner()
    saved = {}
    for key, args in {
        "sample": ["--profile", "karabash"],
        "parquet": [str(tmp_path / "r.parquet")],
    }.items():
        if key == "parquet":
            results.to_parquet(tmp_path / "r.parquet")
        out = tmp_path / f"{key}.csv"
        res = runner.invoke(rate_command, [*args, "--no-sensitivity", "-o", str(out)])
        assert res.exit_code == 0, res.output
        assert "Правила рейтинга: профиль karabash." in res.output
        saved[key] = pd.read_csv(out, dtype={"unit": str})
    expected = declared.ranking
    for key, frame in saved.items():
        assert list(frame["unit"]) == list(expected["unit"].astype(str)), key
        assert list(frame["rank"]) == list(expected["rank"].astype(int)), key
        assert frame["score"].to_numpy() == pytest.approx(expected["score"].to_numpy()), key
    # a command-line option overrides the declaration exactly as the keyword does
    res = runner.invoke(
        rate_command,
        [
            "--profile",
            "karabash",
            "--method",
            "minmax",
            "--no-sensitivity",
            "-o",
            str(tmp_path / "m.csv"),
        ],
    )
    assert res.exit_code == 0, res.output
    m = pd.read_csv(tmp_path / "m.csv", dtype={"unit": str})
    assert m["score"].to_numpy() == pytest.approx(minmax.ranking["score"].to_numpy())


def test_cli_rate_reads_the_compute_workbook_and_names_the_organisations(
    karabash: tuple[Any, Any, pd.DataFrame], tmp_path: Path
) -> None:
    from pedprof.reports.export import results_to_excel

    profile, data, results = karabash
    names = dict(zip(data.organizations["org_id"], data.organizations["name"], strict=True))
    names.update(
        zip(data.municipalities["municipality_id"], data.municipalities["name"], strict=True)
    )
    book = results_to_excel(profile, results, tmp_path / "results.xlsx", unit_names_map=names)
    back = read_results(book)
    assert back.attrs["profile"] == "karabash"
    assert str(back["target_met"].dtype) == "boolean"
    assert back["unit"].map(type).eq(str).all() and back["parent"].notna().any()
    declared = rate(results, profile="karabash", sensitivity=False)
    from_book = rate(back, sensitivity=False)  # the workbook records its profile
    assert list(from_book.ranking["unit"].astype(str)) == list(declared.ranking["unit"].astype(str))
    assert from_book.ranking["score"].to_numpy() == pytest.approx(
        declared.ranking["score"].to_numpy()
    )

    res = CliRunner().invoke(
        rate_command,
        [str(book), "--no-sensitivity", "--unit", "МОУ СОШ № 2", "-o", str(tmp_path / "r.csv")],
        env={"COLUMNS": "250"},
    )
    assert res.exit_code == 0, res.output
    active = data.organizations[data.organizations["valid_to"].isna()]
    for name in active["name"]:
        assert name in res.output, name
    assert "Муниципалитет «Карабашский городской округ»" in res.output
    assert "Из чего сложился балл «МОУ СОШ № 2»" in res.output
    assert "kgo_" not in res.output  # names, not codes, for people
    saved = pd.read_csv(tmp_path / "r.csv")
    assert set(saved["unit_name"]) == set(active["name"])


def test_cli_rate_takes_names_from_the_register(
    karabash: tuple[Any, Any, pd.DataFrame], tmp_path: Path
) -> None:
    from pedprof.io import write_sample

    profile, data, results = karabash
    write_sample(profile, tmp_path / "forms", data=data)
    results.to_parquet(tmp_path / "r.parquet")
    register = tmp_path / "forms" / "register.xlsx"
    res = CliRunner().invoke(
        rate_command,
        [str(tmp_path / "r.parquet"), "--no-sensitivity", "--register", str(register)],
        env={"COLUMNS": "250"},
    )
    assert res.exit_code == 0, res.output
    assert "МОУ СОШ № 1" in res.output and "kgo_s1" not in res.output
    bare = CliRunner().invoke(
        rate_command, [str(tmp_path / "r.parquet"), "--no-sensitivity"], env={"COLUMNS": "250"}
    )
    assert bare.exit_code == 0 and "kgo_s1" in bare.output  # no names known: the codes
    # a fresh interpreter, where nothing has imported pedprof.engine yet (lazy pedprof)
    import subprocess
    import sys

    fresh = subprocess.run(
        [
            sys.executable,
            "-m",
            "pedprof",
            "rate",
            str(tmp_path / "r.parquet"),
            "--no-sensitivity",
            "--register",
            str(register),
        ],
        capture_output=True,
        text=True,
        env={**os.environ, "COLUMNS": "250"},
        check=False,
    )
    assert fresh.returncode == 0, fresh.stderr
    assert "МОУ СОШ № 1" in fresh.stdout
