"""Target families at their boundaries, with n/a and no-data propagation."""

from __future__ import annotations

import math

import numpy as np
import pandas as pd
import pytest
from hypothesis import given
from hypothesis import strategies as st

from pedprof import (
    AllOf,
    AtLeast,
    CountComposition,
    CumulativeSchedule,
    Exactly,
    Period,
    PerOrganizationAtLeast,
    PositiveDynamics,
    Stable,
)


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


@given(st.floats(0.01, 1000), st.floats(0, 1000), st.floats(0, 50))
def test_relative_dynamics_boundary(prev: float, value: float, pct: float) -> None:
    t = PositiveDynamics(min_relative=pct)
    m = met(t, frame([value], prev=[prev]))[0]
    assert m == (value >= prev * (1 + pct / 100))


def test_describe_mentions_the_boundary() -> None:
    assert "≥ 33,3" in AtLeast(value=33.3).describe()
    assert "> 60" in AtLeast(value=60, inclusive=False).describe()
    assert "строго больше" in PositiveDynamics().describe()


@pytest.mark.parametrize("value", [0.0, 50.0, 100.0])
def test_target_array_has_one_entry_per_row(value: float) -> None:
    t = AtLeast(value=value)
    target, m, due = t.evaluate(frame([1, 2, 3]))
    assert len(target) == len(m) == len(due) == 3
