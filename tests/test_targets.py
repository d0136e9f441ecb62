"""Target families at their boundaries, with n/a and no-data propagation."""

from __future__ import annotations

import math
from fractions import Fraction

import attrs
import numpy as np
import pandas as pd
import pytest
from hypothesis import assume, given
from hypothesis import strategies as st

from pedprof import (
    AllOf,
    AtLeast,
    CountComposition,
    CumulativeSchedule,
    Dataset,
    Exactly,
    Indicator,
    IndicatorKind,
    Period,
    PeriodKind,
    PerOrganizationAtLeast,
    PositiveDynamics,
    Stable,
    Target,
    col,
)
from pedprof.engine._core import RESULT_COLUMNS, compute_indicators
from pedprof.model.targets import _fraction
from tests.strategies import counts, dataset, decimal_thresholds, hierarchy


def frame(values, prev=None, state=None, end_year=2024, ordinal=None, level="municipality"):  # type: ignore[no-untyped-def]
    n = len(values)
    return pd.DataFrame(
        {
            "value": np.asarray(values, dtype=float),
            "previous_value": np.asarray(prev if prev is not None else [np.nan] * n, dtype=float),
            "state": state or ["value"] * n,
            "end_year": [end_year] * n if np.isscalar(end_year) else end_year,
            "ordinal": ordinal
            if ordinal is not None
            else [y - 1 for y in ([end_year] * n if np.isscalar(end_year) else end_year)],
            "level": [level] * n if isinstance(level, str) else level,
            "unit": ["u"] * n,
            "period": list(range(n)),
            "breakdown": [None] * n,
            "numerator": [np.nan] * n,
            "denominator": [np.nan] * n,
        }
    )


def _plain(m):  # type: ignore[no-untyped-def]
    return [None if x is pd.NA else bool(x) for x in m]


def met(target, f):  # type: ignore[no-untyped-def]
    return _plain(target.evaluate(f)[1])


def test_at_least_inclusive_boundary_at_full_precision() -> None:
    t = AtLeast(value=33.3)
    assert met(t, frame([33.3, 33.29999999, 40])) == [True, False, True]
    strict = AtLeast(value=33.3, inclusive=False)
    assert met(strict, frame([33.3, 33.30001])) == [False, True]


def test_at_least_by_year_is_due_only_from_that_year() -> None:
    t = AtLeast(value=35, by_year=2024)
    f = frame([10, 50], end_year=[2023, 2024])
    _, m, due = t.evaluate(f)
    assert list(due) == [False, True]
    assert _plain(m) == [False, True]  # still judged, for information


def test_exactly_100() -> None:
    t = Exactly(value=100)
    assert met(t, frame([100.0, 99.99999, 100 * 7 / 7])) == [True, False, True]


def test_states_other_than_value_are_not_judged() -> None:
    t = AtLeast(value=1)
    assert met(t, frame([np.nan, np.nan], state=["no_data", "not_applicable"])) == [None, None]


def test_positive_dynamics_is_strict_by_default() -> None:
    t = PositiveDynamics()
    assert met(t, frame([5, 6, 4, 3], prev=[5, 5, 5, np.nan])) == [False, True, False, None]


def test_positive_dynamics_by_ten_percent_is_relative_and_inclusive() -> None:
    t = PositiveDynamics(min_relative=10)
    # 20 → 22 is exactly +10 %: met; 21.99 is not; from 0 the relative growth is undefined
    assert met(t, frame([22, 21.99, 5], prev=[20, 20, 0])) == [True, False, None]


def test_positive_dynamics_by_points() -> None:
    t = PositiveDynamics(min_points=2)
    assert met(t, frame([12, 11.9], prev=[10, 10])) == [True, False]


def test_positive_dynamics_against_a_baseline_period() -> None:
    base = Period.school_year(2020)
    t = PositiveDynamics(baseline=base, by_year=2024)
    f = frame(
        [5, 7, 4], prev=[np.nan, 5, 7], end_year=[2021, 2022, 2024], ordinal=[2020, 2021, 2023]
    )
    target, m, due = t.evaluate(f)
    assert list(target) == [5, 5, 5]
    # the baseline itself is not judged; 7 > 5 met; 4 < 5 not met (and due in 2024)
    assert _plain(m) == [None, True, False]
    assert list(due) == [False, False, True]


def test_stable_means_no_decrease() -> None:
    t = Stable()
    assert met(t, frame([10, 10, 9], prev=[10, 9, 10])) == [True, True, False]


def test_cumulative_schedule() -> None:
    t = CumulativeSchedule(step=33.3, start_ordinal=2020, cap=66.6)
    f = frame([33.3, 60, 66.6, 70, 1], ordinal=[2020, 2021, 2022, 2023, 2019])
    target, m, due = t.evaluate(f)
    assert list(target[:4]) == [33.3, 66.6, 66.6, 66.6]
    assert math.isnan(target[4])
    assert _plain(m) == [True, False, True, True, None]
    assert list(due) == [True, True, True, True, False]


def test_per_organisation_minimum() -> None:
    t = PerOrganizationAtLeast(value=2)
    f = frame(
        [1, 2, 100, 88.9], level=["organization", "organization", "municipality", "municipality"]
    )
    assert met(t, f) == [False, True, True, False]


def test_count_composition_needs_each_kind() -> None:
    t = CountComposition(total=2, minimums={"young": 1, "reserve": 1})
    f = frame([2, 2, 0], level="municipality")
    f["breakdown"] = [None, "young", "reserve"]
    f["period"] = [0, 0, 0]
    assert met(t, f) == [False, True, False]


def test_all_of_uses_three_valued_logic() -> None:
    t = AllOf(parts=(PositiveDynamics(), AtLeast(value=2)))
    # no previous value: unknown and met → unknown; unknown and not met → not met
    assert met(t, frame([3, 1], prev=[np.nan, np.nan])) == [None, False]


@given(st.floats(0, 100), st.floats(0, 100))
def test_at_least_is_monotone_in_the_value(a: float, b: float) -> None:
    t = AtLeast(value=50)
    lo, hi = sorted((a, b))
    m = met(t, frame([lo, hi]))
    assert not (m[0] and not m[1])


@given(decimal_thresholds(high=1000), decimal_thresholds(high=1000), decimal_thresholds(high=50))
def test_relative_dynamics_without_counts_reads_the_decimal_text(
    prev: float, value: float, pct: float
) -> None:
    # Without numerators and denominators a value is the number its decimal text says, as
    # the thresholds are, and the product is exact.
    t = PositiveDynamics(min_relative=pct)
    m = met(t, frame([value], prev=[prev]))[0]
    if prev == 0:
        assert m is None  # relative growth from zero is undefined
    else:
        exact = Fraction(repr(prev)) * (1 + Fraction(repr(pct)) / 100)
        assert m == (Fraction(repr(value)) >= exact)


def test_a_float_is_the_simplest_fraction_it_stands_for() -> None:
    assert _fraction(33.3) == Fraction(333, 10)  # not 33.2999999999999971578…
    assert _fraction(66.6) == Fraction(333, 5)
    assert _fraction(0.1) == Fraction(1, 10)
    assert _fraction(100 / 3) == Fraction(100, 3)  # «не менее 33,(3) %» written as 100 / 3
    assert _fraction(15.4) == Fraction(77, 5)
    assert _fraction(14.0 * 1.1) != Fraction(77, 5)  # 15.400000000000002 is another number
    assert _fraction(1e22) == 10**22
    assert _fraction(-2.5) == Fraction(-5, 2)
    assert _fraction(7) == 7 and _fraction(Fraction(1, 3)) == Fraction(1, 3)
    with pytest.raises(ValueError, match="finite"):
        _fraction(math.inf)


@given(st.integers(-(10**9), 10**9), st.integers(0, 5))
def test_a_decimal_with_few_places_is_its_decimal_text(digits: int, places: int) -> None:
    x = digits / 10**places  # the float an order's «12,345» is declared with
    assert _fraction(x) == Fraction(digits, 10**places)


@given(st.floats(allow_nan=False, allow_infinity=False))
def test_the_simplest_fraction_rounds_back_and_none_simpler_does(x: float) -> None:
    f = _fraction(x)
    assert float(f) == x
    # no fraction with a smaller denominator (checked up to 2000) is read as x
    for q in range(1, min(f.denominator, 2001)):
        p = round(Fraction(x) * q)
        assert all(float(Fraction(p + d, q)) != x for d in (-1, 0, 1)), (p, q)


def test_describe_mentions_the_boundary() -> None:
    assert "≥ 33,3" in AtLeast(value=33.3).describe()
    assert "> 60" in AtLeast(value=60, inclusive=False).describe()
    assert "строго больше" in PositiveDynamics().describe()


@pytest.mark.parametrize("value", [0.0, 50.0, 100.0])
def test_target_array_has_one_entry_per_row(value: float) -> None:
    t = AtLeast(value=value)
    target, m, due = t.evaluate(frame([1, 2, 3]))
    assert len(target) == len(m) == len(due) == 3


# --------------------------------------------------------------------------- exact boundaries

Counts = tuple[int, int | None]  # (numerator, denominator); denominator None: a count


def _as_value(c: Counts | None) -> float:
    if c is None:
        return np.nan
    num, den = c
    return float(num) if den is None else 100.0 * num / den  # the engine's formula


def counted(  # type: ignore[no-untyped-def]
    rows: list[Counts], prev: list[Counts | None] | None = None, **kw
) -> pd.DataFrame:
    """Rows built from integer counts as the engine builds them: a share's value is
    ``100.0 * num / den``, a count's is ``num`` (denominator NaN); ``prev`` gives the
    previous period's counts (``previous_value``, ``previous_numerator``, ...)."""
    prev = prev if prev is not None else [None] * len(rows)
    f = frame([_as_value(c) for c in rows], prev=[_as_value(c) for c in prev], **kw)
    f["numerator"] = [float(n) for n, _ in rows]
    f["denominator"] = [np.nan if d is None else float(d) for _, d in rows]
    f["previous_numerator"] = [np.nan if c is None else float(c[0]) for c in prev]
    f["previous_denominator"] = [np.nan if c is None or c[1] is None else float(c[1]) for c in prev]
    return f


def on_boundary(share: Fraction, k: int) -> tuple[int, int]:
    """Counts ``(num, den)`` whose share ``100 · num / den`` is exactly ``share``, scaled by
    ``k`` (any multiple of the smallest such counts)."""
    f = share / 100
    return f.numerator * k, f.denominator * k


def around(num: int, den: int) -> tuple[list[Counts], list[bool]]:
    """The boundary counts, one person more and (when there is one) one person fewer, with
    the two neighbours' judgements: above met, below not."""
    rows: list[Counts] = [(num, den), (num + 1, den)]
    if num >= 1:
        rows.append((num - 1, den))
    return rows, [True, False][: len(rows) - 1]


def test_ten_percent_growth_met_exactly_at_its_boundary() -> None:
    # 70 → 77 of 500 persons: 15.4 % is 14 % × 1.1 exactly. In floating point
    # 14.0 × 1.1 = 15.400000000000002 > 15.4, and the target was judged not met.
    assert 14.0 * (1 + 10 / 100) > 15.4  # the float product the judgement must not use
    t = PositiveDynamics(min_relative=10)
    f = counted([(77, 500), (76, 500)], prev=[(70, 500), (70, 500)])
    assert met(t, f) == [True, False]


def test_relative_growth_of_a_repeating_share() -> None:
    # 1 of 3 → 11 of 30: 36⅔ % is 33⅓ % × 1.1 exactly; the float 33.333333333333336 × 1.1
    # exceeds 36.666666666666664
    assert 100.0 * 1 / 3 * 1.1 > 100.0 * 11 / 30
    t = PositiveDynamics(min_relative=10)
    assert met(t, counted([(11, 30), (10, 30)], prev=[(1, 3), (1, 3)])) == [True, False]


def test_relative_growth_uses_the_previous_counts() -> None:
    # 1 234 567 of 99 999 989 cannot be read back from its float (a simpler fraction rounds
    # to the same float): only the counts give the exact previous value. The boundary
    # +10 %: 1 234 567 × 11 of 99 999 989 × 10 persons.
    prev = (1_234_567, 99_999_989)
    assert _fraction(100.0 * prev[0] / prev[1]) != Fraction(100 * prev[0], prev[1])
    t = PositiveDynamics(min_relative=10)
    rows: list[Counts] = [(1_234_567 * 11, 999_999_890), (1_234_567 * 11 - 1, 999_999_890)]
    assert met(t, counted(rows, prev=[prev, prev])) == [True, False]


def test_cumulative_schedule_is_exact_where_step_times_k_is_not() -> None:
    # 33.3 × 3 is 99.89999999999999 in floating point: 99.9 % is *on* the boundary 99,9
    # (strict: not met) and not above it.
    assert 33.3 * 3 < 99.9
    strict = CumulativeSchedule(step=33.3, start_ordinal=2020, cap=100, inclusive=False)
    inclusive = CumulativeSchedule(step=33.3, start_ordinal=2020, cap=100)
    f = counted([(999, 1000)], ordinal=[2022])  # third period: k = 3
    assert met(strict, f) == [False]
    assert met(inclusive, f) == [True]


def test_stable_with_tolerance_is_exact() -> None:
    # 0.3 − 0.1 = 0.19999999999999998 in floating point: 0,2 is below «0,3 − 0,1» there,
    # and on it exactly (2 of 1000 against 3 of 1000, tolerance 0.1 points)
    assert 0.3 - 0.1 < 0.2
    t = Stable(tolerance=0.1)
    assert met(t, counted([(2, 1000), (1, 1000)], prev=[(3, 1000), (3, 1000)])) == [True, False]


@given(threshold=decimal_thresholds(), k=st.integers(1, 500), inclusive=st.booleans())
def test_at_least_on_its_boundary(threshold: float, k: int, inclusive: bool) -> None:
    rows, neighbours = around(*on_boundary(Fraction(repr(threshold)), k))
    t = AtLeast(value=threshold, inclusive=inclusive)
    assert met(t, counted(rows)) == [inclusive, *neighbours]


@given(threshold=decimal_thresholds(), k=st.integers(1, 500))
def test_exactly_on_its_boundary(threshold: float, k: int) -> None:
    rows, _ = around(*on_boundary(Fraction(repr(threshold)), k))
    t = Exactly(value=threshold)
    assert met(t, counted(rows)) == [True] + [False] * (len(rows) - 1)


@given(
    step=decimal_thresholds(low=1, high=50),
    cap=decimal_thresholds(low=1, high=100),
    period=st.integers(1, 5),
    k=st.integers(1, 200),
    inclusive=st.booleans(),
)
def test_cumulative_schedule_on_its_boundary(
    step: float, cap: float, period: int, k: int, inclusive: bool
) -> None:
    boundary = min(Fraction(repr(step)) * period, Fraction(repr(cap)))
    rows, neighbours = around(*on_boundary(boundary, k))
    t = CumulativeSchedule(step=step, start_ordinal=2020, cap=cap, inclusive=inclusive)
    f = counted(rows, ordinal=[2020 + period - 1] * len(rows))
    assert met(t, f) == [inclusive, *neighbours]


@given(
    previous=counts(min_numerator=1),
    pct=decimal_thresholds(high=200),
    k=st.integers(1, 50),
)
def test_relative_growth_on_its_boundary(previous: tuple[int, int], pct: float, k: int) -> None:
    # «не менее 10 %» is inclusive: the boundary is met, one person fewer is not
    pn, pd_ = previous
    boundary = Fraction(100 * pn, pd_) * (1 + Fraction(repr(pct)) / 100)
    rows, neighbours = around(*on_boundary(boundary, k))
    t = PositiveDynamics(min_relative=pct)
    assert met(t, counted(rows, prev=[previous] * len(rows))) == [True, *neighbours]


@given(
    previous=counts(),
    points=decimal_thresholds(high=20),
    k=st.integers(1, 50),
)
def test_growth_in_points_on_its_boundary(previous: tuple[int, int], points: float, k: int) -> None:
    pn, pd_ = previous
    boundary = Fraction(100 * pn, pd_) + Fraction(repr(points))
    rows, neighbours = around(*on_boundary(boundary, k))
    t = PositiveDynamics(min_points=points)
    assert met(t, counted(rows, prev=[previous] * len(rows))) == [True, *neighbours]


@given(previous=counts(), k=st.integers(1, 50), strict=st.booleans())
def test_any_growth_on_its_boundary(previous: tuple[int, int], k: int, strict: bool) -> None:
    # the same share as before (the same fraction of other counts): growth only if the
    # boundary is not strict
    pn, pd_ = previous
    rows, neighbours = around(pn * k, pd_ * k)
    t = PositiveDynamics(strict=strict)
    assert met(t, counted(rows, prev=[previous] * len(rows))) == [not strict, *neighbours]


@given(baseline=counts(), k=st.integers(1, 50), strict=st.booleans())
def test_growth_against_a_baseline_on_its_boundary(
    baseline: tuple[int, int], k: int, strict: bool
) -> None:
    bn, bd = baseline
    t = PositiveDynamics(baseline=Period.school_year(2020), strict=strict)
    # the baseline row (not judged), then the same share in 2023-2024 from other counts
    f = counted([baseline, (bn * k, bd * k)], ordinal=[2020, 2023], end_year=[2021, 2024])
    assert met(t, f) == [None, not strict]


@given(
    previous=counts(max_denominator=1000),
    tolerance=decimal_thresholds(high=5),
    k=st.integers(1, 50),
)
def test_stable_on_its_boundary(previous: tuple[int, int], tolerance: float, k: int) -> None:
    # «без снижения» (− tolerance) is inclusive
    pn, pd_ = previous
    boundary = Fraction(100 * pn, pd_) - Fraction(repr(tolerance))
    assume(boundary >= 0)
    rows, neighbours = around(*on_boundary(boundary, k))
    t = Stable(tolerance=tolerance)
    assert met(t, counted(rows, prev=[previous] * len(rows))) == [True, *neighbours]


@given(minimum=st.integers(1, 20), organisations=st.integers(1, 2000))
def test_per_organisation_minimum_on_its_boundary(minimum: int, organisations: int) -> None:
    t = PerOrganizationAtLeast(value=minimum)
    n = organisations
    # an organisation with exactly the minimum, one fewer; every organisation compliant
    # (100 %), all but one
    f = counted(
        [(minimum, None), (minimum - 1, None), (n, n), (n - 1, n)],
        level=["organization", "organization", "municipality", "municipality"],
    )
    assert met(t, f) == [True, False, True, False]


@given(young=st.integers(1, 10), reserve=st.integers(1, 10), extra=st.integers(0, 10))
def test_count_composition_on_its_boundary(young: int, reserve: int, extra: int) -> None:
    total = young + reserve + extra
    t = CountComposition(total=total, minimums={"young": young, "reserve": reserve})

    def period(n_total: int, n_young: int, n_reserve: int, code: int) -> pd.DataFrame:
        f = counted([(n_total, None), (n_young, None), (n_reserve, None)])
        f["breakdown"] = [None, "young", "reserve"]
        f["period"] = code
        return f

    f = pd.concat(
        [
            period(total, young, reserve, 0),  # every boundary met
            period(total - 1, young, reserve, 1),  # one short in total
            period(total, young - 1, reserve + 1, 2),  # one short of a kind
        ],
        ignore_index=True,
    )
    assert met(t, f) == [True, True, True, False, True, True, False, False, True]


@given(threshold=decimal_thresholds(), k=st.integers(1, 200), inclusive=st.booleans())
def test_all_of_on_its_boundaries(threshold: float, k: int, inclusive: bool) -> None:
    # on the level boundary and unchanged since the previous period (Stable's inclusive
    # boundary): met iff the level's boundary is inclusive
    num, den = on_boundary(Fraction(repr(threshold)), k)
    t = AllOf(parts=(AtLeast(value=threshold, inclusive=inclusive), Stable()))
    assert met(t, counted([(num, den)], prev=[(num, den)])) == [inclusive]


# --------------------------------------------------------------------------- Stable since


def trajectory(values: list[float | None], units: tuple[str, ...] = ("u",)) -> pd.DataFrame:
    """Counts of 2020-2021 … per unit (ordinals from 2020), None for no data; the units'
    rows interleaved period by period."""
    rows = []
    for i, v in enumerate(values):
        for u in units:
            prev = values[i - 1] if i else None
            rows.append(
                {
                    "value": np.nan if v is None else float(v),
                    "previous_value": np.nan if prev is None else float(prev),
                    "state": "no_data" if v is None else "value",
                    "end_year": 2021 + i,
                    "ordinal": 2020 + i,
                    "level": "municipality",
                    "unit": u,
                    "period": i,
                    "breakdown": None,
                    "numerator": np.nan if v is None else float(v),
                    "denominator": np.nan,
                }
            )
    return pd.DataFrame(rows)


@pytest.mark.parametrize(
    ("values", "expected"),
    [
        # worked out by hand: every year from 2021-2022 on must not fall below the one before
        ([5, 5, 6, 7], [None, True, True, True]),
        ([5, 4, 5, 6], [None, False, False, False]),  # the fall of 2021-2022 stays
        ([5, 6, 7, 6], [None, True, True, False]),
        ([5, None, 6, 7], [None, None, None, None]),  # no data: 2021-2022 unknown
        ([5, 4, None, 6], [None, False, None, False]),  # a known fall decides
    ],
)
def test_stable_since_judges_every_year(
    values: list[float | None], expected: list[bool | None]
) -> None:
    t = Stable(since=Period.school_year(2020))
    f = trajectory(values, units=("a", "b"))
    f.loc[f["unit"] == "b", ["value", "previous_value", "numerator"]] += 100  # no effect
    m = met(t, f)
    assert m[0::2] == expected
    assert m[1::2] == expected
    target = t.evaluate(f)[0]
    assert np.isnan(target[0:2]).all()  # 2020-2021: nothing to compare with


def test_stable_since_is_per_unit() -> None:
    f = pd.concat(
        [
            trajectory([5, 4, 5]).assign(unit="a"),
            trajectory([5, 5, 5]).assign(unit="b"),
        ],
        ignore_index=True,
    ).sample(frac=1.0, random_state=3)
    m = pd.Series(met(Stable(since=Period.school_year(2020)), f), index=f.index)
    assert m.sort_index().tolist() == [None, False, False, None, True, True]


# --------------------------------------------------------------------------- scope


def scoped_frame() -> pd.DataFrame:
    f = counted(
        [(5, None), (3, None), (2, None), (9, None), (1, None)],
        prev=[(4, None), (3, None), (1, None), (9, None), (2, None)],
        level=["municipality", "municipality", "municipality", "region", "organization"],
    )
    f["breakdown"] = [None, "gpo", "gmo", None, None]
    return f


def test_a_target_limited_to_levels_and_the_total() -> None:
    plain = Stable()
    scoped = Stable(levels=("municipality",), total_only=True)
    f = scoped_frame()
    # unchanged default: every row judged
    assert met(plain, f) == [True, True, True, True, False]
    target, m, due = scoped.evaluate(f)
    assert _plain(m) == [True, None, None, None, None]
    assert list(due) == [True, False, False, False, False]
    assert target[0] == 4.0 and np.isnan(target[1:]).all()


def test_levels_alone_and_total_only_alone() -> None:
    f = scoped_frame()
    assert met(Stable(levels=["municipality", "region"]), f) == [True, True, True, True, None]
    assert met(Stable(total_only=True), f) == [True, None, None, True, False]


def test_scope_applies_to_every_kind_and_to_all_of() -> None:
    f = scoped_frame()
    for t in (
        AtLeast(value=1, levels=("region",)),
        Exactly(value=9, levels=("region",)),
        PositiveDynamics(levels=("region",)),
        AllOf(parts=(AtLeast(value=1), Stable()), levels=("region",)),
    ):
        m = met(t, f)
        assert m[:3] == [None, None, None] and m[4] is None, t
        assert m[3] is not None, t
    # a part's own scope: the whole is unknown where the part is not judged
    t = AllOf(parts=(AtLeast(value=1), Stable(levels=("municipality",))))
    assert met(t, f) == [True, True, True, None, None]


def test_count_composition_judged_on_the_total_only_still_reads_its_kinds() -> None:
    t = CountComposition(total=2, minimums={"young": 1, "reserve": 1}, total_only=True)
    f = counted([(2, None), (2, None), (0, None)])
    f["breakdown"] = [None, "young", "reserve"]
    f["period"] = [0, 0, 0]
    assert met(t, f) == [False, None, None]


def test_scope_in_words_and_unknown_levels() -> None:
    t = Stable(levels=("municipality",), total_only=True)
    assert t.describe() == (
        "без снижения: значение ≥ значение предыдущего периода "
        "(только на уровне муниципалитета; по итоговому значению, без разбивки)"
    )
    assert Stable().describe() == "без снижения: значение ≥ значение предыдущего периода"
    with pytest.raises(ValueError, match="municipalty"):
        Stable(levels=("municipalty",))


# --------------------------------------------------------------------------- through the engine


def _staff(
    period: str, org: str, flagged: int, total: int, category: str = "teacher"
) -> list[dict[str, object]]:
    return [
        {
            "period": period,
            "org_id": org,
            "person_id": f"{org}-{category}-{i}",
            "category": category,
            "a": i < flagged,
            "b": False,
        }
        for i in range(total)
    ]


SHARE_A = Indicator(
    id="s",
    name="Доля педагогов с признаком а",
    kind=IndicatorKind.SHARE,
    table="staff",
    population=col("category").eq("teacher"),
    numerator=col("a").true(),
)


def test_engine_passes_the_previous_counts_to_the_target() -> None:
    # o1: 1 of 3 teachers in 2020-2021, 11 of 30 in 2021-2022: +10 % exactly (33⅓ → 36⅔);
    # o3: 70 of 500 → 77 of 500: +10 % exactly (14 → 15,4)
    staff = pd.DataFrame(
        _staff("2020-2021", "o1", 1, 3)
        + _staff("2021-2022", "o1", 11, 30)
        + _staff("2020-2021", "o3", 70, 500)
        + _staff("2021-2022", "o3", 77, 500)
    )
    out = compute_indicators(
        [SHARE_A],
        dataset(staff),
        period_kind=PeriodKind.SCHOOL_YEAR,
        targets={"s": PositiveDynamics(min_relative=10)},
    )
    row = out.set_index([out["unit"].astype(str), out["period"].astype(str)])
    for unit in ("o1", "m1", "o3", "m2"):  # m1 = o1 (+ o2, silent), m2 = o3 (+ o4)
        assert row.loc[(unit, "2021-2022"), "target_met"] is np.True_, unit
    assert set(out.columns) == set(RESULT_COLUMNS)  # the previous counts are not columns


def test_engine_applies_the_scope() -> None:
    count = Indicator(
        id="c",
        name="Число работников",
        kind=IndicatorKind.COUNT,
        table="staff",
        distinct="person_id",
        split_by="category",
    )
    staff = pd.DataFrame(
        _staff("2020-2021", "o1", 0, 4)
        + _staff("2020-2021", "o2", 0, 2, "manager")
        + _staff("2021-2022", "o1", 0, 6)  # 6 teachers, no manager: 6 ≥ 4 + 2
    )
    target = Stable(levels=("municipality",), total_only=True)
    out = compute_indicators(
        [count], dataset(staff), period_kind=PeriodKind.SCHOOL_YEAR, targets={"c": target}
    )
    late = out[out["period"].astype(str) == "2021-2022"]
    judged = late[(late["level"] == "municipality") & late["breakdown"].isna()]
    judged = judged.set_index(judged["unit"].astype(str))
    assert bool(judged.loc["m1", "target_met"]) is True
    assert judged.loc["m1", "target"] == 6.0  # 4 teachers + 2 managers the year before
    outside = late.drop(
        index=late.index[(late["level"] == "municipality") & late["breakdown"].isna()]
    )
    assert outside["target_met"].isna().all() and outside["target"].isna().all()
    assert not outside["target_due"].any()
    # the managers' breakdown fell 2 → 0 in m1: not judged (it would have been «not met»)
    managers = outside[(outside["breakdown"] == "manager") & (outside["unit"] == "m1")]
    assert managers["value"].tolist() == [0.0]


@attrs.frozen(kw_only=True)
class _Spy(Target):
    """Records the frames the engine hands to a target; judges nothing."""

    seen: list[pd.DataFrame] = attrs.field(factory=list)

    def judge(self, frame: pd.DataFrame) -> tuple[np.ndarray, pd.arrays.BooleanArray, np.ndarray]:
        self.seen.append(frame.copy())
        n = len(frame)
        return np.full(n, np.nan), pd.array([pd.NA] * n, dtype="boolean"), np.zeros(n, bool)

    def rule(self) -> str:
        return ""


def test_engine_passes_the_restated_previous_counts_after_a_merger() -> None:
    # o2 merges into o1 after 2020-2021: o1 had 1 of 2 teachers, o2 0 of 1, so o1's
    # restated previous value is 1 of 3 (33⅓ %); in 2021-2022 o1 has 11 of 30 (36⅔ %),
    # exactly +10 % (the float 33.333333333333336 × 1.1 exceeds 36.666666666666664).
    regions, munis, orgs = hierarchy()
    orgs = orgs.assign(valid_to=None, successor_id=None)
    orgs.loc[orgs["org_id"] == "o2", ["valid_to", "successor_id"]] = ["2021-08-31", "o1"]
    staff = pd.DataFrame(
        _staff("2020-2021", "o1", 1, 2)
        + _staff("2020-2021", "o2", 0, 1)
        + _staff("2021-2022", "o1", 11, 30)
    )
    data = Dataset(
        regions=regions, municipalities=munis, organizations=orgs, tables={"staff": staff}
    )
    out = compute_indicators(
        [SHARE_A],
        data,
        period_kind=PeriodKind.SCHOOL_YEAR,
        targets={"s": PositiveDynamics(min_relative=10)},
    )
    o1 = out[(out["unit"] == "o1") & (out["period"] == "2021-2022")].iloc[0]
    assert o1["previous_value"] == pytest.approx(100 / 3)
    assert o1["value"] == pytest.approx(110 / 3)
    assert bool(o1["target_met"]) is True
    # the counts the target is given: o1's restated 1 of 3 (not its own 1 of 2), m1's 1 of 3
    spy = _Spy()
    compute_indicators([SHARE_A], data, period_kind=PeriodKind.SCHOOL_YEAR, targets={"s": spy})
    (view,) = spy.seen
    late = view[(view["period"] == 1) & (view["state"] == "value")]
    got = late[["level", "numerator", "denominator", "previous_numerator", "previous_denominator"]]
    assert sorted(map(tuple, got.to_numpy().tolist())) == [
        ("municipality", 11.0, 30.0, 1.0, 3.0),
        ("organization", 11.0, 30.0, 1.0, 3.0),
        ("region", 11.0, 30.0, 1.0, 3.0),
    ]
    # counts are NaN where there is no previous value (2020-2021)
    early = view[view["period"] == 0]
    assert early["previous_numerator"].isna().all() and early["previous_denominator"].isna().all()


# --------------------------------------------------------------------------- targets by year

from pedprof.model.targets import YearlyTargets, YearTarget  # noqa: E402


def test_yearly_targets_judge_each_listed_year_against_its_own_threshold() -> None:
    # «2021 – 9 %, 2022 – 15 %, 2023 – 20 %»: 9 of 100 in 2021 met, 14 of 100 in 2022 not,
    # 20 of 100 in 2023 met (inclusive), 2020 and 2024 not listed: not judged, not due
    t = YearlyTargets(years={2021: 9, 2022: 15, 2023: 20})
    f = counted(
        [(9, 100), (14, 100), (20, 100), (50, 100), (50, 100)],
        end_year=[2021, 2022, 2023, 2020, 2024],
    )
    target, m, due = t.evaluate(f)
    assert _plain(m) == [True, False, True, None, None]
    assert list(due) == [True, True, True, False, False]
    assert target[:3].tolist() == [9.0, 15.0, 20.0] and np.isnan(target[3:]).all()


def test_yearly_targets_onwards_and_a_strict_year() -> None:
    # «в 2020 году – 5 %, далее – более 10 %»
    t = YearlyTargets(years={2020: 5}, onwards=YearTarget(10, inclusive=False))
    f = counted([(5, 100), (10, 100), (11, 100), (1, 10)], end_year=[2020, 2021, 2030, 2019])
    assert met(t, f) == [True, False, True, None]
    assert t.describe() == "по годам: в 2020 году ≥ 5; далее (с 2021 года) > 10"


def test_yearly_targets_keep_the_scope_of_every_target() -> None:
    t = YearlyTargets(years={2024: 1}, levels=("region",))
    assert met(t, scoped_frame()) == [None, None, None, True, None]


@given(threshold=decimal_thresholds(), k=st.integers(1, 500), inclusive=st.booleans())
def test_yearly_targets_on_their_boundary(threshold: float, k: int, inclusive: bool) -> None:
    rows, neighbours = around(*on_boundary(Fraction(repr(threshold)), k))
    t = YearlyTargets(years={2023: 0}, onwards=YearTarget(threshold, inclusive=inclusive))
    assert met(t, counted(rows, end_year=2024)) == [inclusive, *neighbours]


def test_yearly_targets_need_a_year() -> None:
    with pytest.raises(ValueError, match="at least one year"):
        YearlyTargets(years={})


# --------------------------------------------------------------------------- indicator levels


def test_an_indicator_limited_to_the_municipality_has_no_school_rows() -> None:
    # 1 of 3 teachers at o1 with the flag: the municipality m1 (o1 + silent o2) has 1 of 3
    staff = pd.DataFrame(_staff("2021-2022", "o1", 1, 3))
    limited = attrs.evolve(SHARE_A, levels=("municipality",))
    out = compute_indicators(
        [limited],
        dataset(staff),
        period_kind=PeriodKind.SCHOOL_YEAR,
        targets={"s": AtLeast(value=50)},
    )
    assert set(out["level"].astype(str)) == {"municipality"}
    m1 = out[out["unit"].astype(str) == "m1"].iloc[0]
    assert (m1["numerator"], m1["denominator"]) == (1.0, 3.0)
    assert bool(m1["target_met"]) is False
    unlimited = compute_indicators([SHARE_A], dataset(staff), period_kind=PeriodKind.SCHOOL_YEAR)
    assert set(unlimited["level"].astype(str)) == {"organization", "municipality", "region"}


def test_indicator_levels_are_checked_and_ordered() -> None:
    assert attrs.evolve(SHARE_A, levels=["region", "organization"]).levels == (
        "organization",
        "region",
    )
    with pytest.raises(ValueError, match="school"):
        attrs.evolve(SHARE_A, levels=("school",))


# --------------------------------------------------------------------------- extension contract


@attrs.frozen(kw_only=True)
class AtMost(Target):
    """A custom target as the extension contract of :class:`pedprof.Target` describes it:
    «не более X» (a share of staff on sick leave, lower is better), judged exactly."""

    value: float
    kind: str = attrs.field(init=False, default="at_most")

    def judge(self, frame: pd.DataFrame):  # type: ignore[no-untyped-def]
        value = frame["value"].to_numpy(dtype=float, na_value=np.nan)
        numerator = frame["numerator"].to_numpy(dtype=float, na_value=np.nan)
        denominator = frame["denominator"].to_numpy(dtype=float, na_value=np.nan)
        bound = Fraction(repr(self.value))
        met = np.zeros(len(frame), dtype=bool)
        known = (frame["state"] == "value").to_numpy() & np.isfinite(value)
        for i in np.flatnonzero(known):
            exact = (
                Fraction(100 * int(numerator[i]), int(denominator[i]))
                if np.isfinite(denominator[i])
                else Fraction(int(numerator[i]))
            )
            met[i] = exact <= bound
        target = np.full(len(frame), float(self.value))
        return target, pd.arrays.BooleanArray(met, ~known), np.ones(len(frame), dtype=bool)

    def rule(self) -> str:
        return f"значение ≤ {self.value}"


def test_a_custom_target_follows_the_extension_contract() -> None:
    # 1 of 3 is 33⅓ %: above 33.3 (not met); 333 of 1000 is exactly 33.3 (met, inclusive)
    t = AtMost(value=33.3, levels=("municipality",))
    f = counted([(1, 3), (333, 1000), (1, 10)])
    f.loc[2, "level"] = "organization"
    assert met(t, f) == [False, True, None]
    assert t.describe() == "значение ≤ 33.3 (только на уровне муниципалитета)"
    # registered and computed through the engine like a built-in target
    staff = pd.DataFrame(_staff("2021-2022", "o1", 1, 3))
    out = compute_indicators(
        [SHARE_A], dataset(staff), period_kind=PeriodKind.SCHOOL_YEAR, targets={"s": t}
    )
    m1 = out[out["unit"].astype(str) == "m1"].iloc[0]
    assert bool(m1["target_met"]) is False
