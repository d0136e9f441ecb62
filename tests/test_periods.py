"""Periods and windows."""

from __future__ import annotations

import datetime as dt

import pytest
from hypothesis import given
from hypothesis import strategies as st

from pedprof import Cumulative, Period, PeriodKind, Reporting, Rolling, parse_period

kinds = st.sampled_from(list(PeriodKind))
periods = st.builds(Period, kinds, st.integers(4 * 1990, 4 * 2100)).map(
    lambda p: Period(p.kind, p.ordinal // 4) if p.kind is not PeriodKind.QUARTER else p
)


@given(periods)
def test_label_round_trips(p: Period) -> None:
    assert parse_period(p.label, p.kind) == p


@given(periods)
def test_consecutive_periods_tile_the_time_line(p: Period) -> None:
    assert (p + 1).start == p.end + dt.timedelta(days=1)
    assert p.start <= p.end
    assert p.contains(p.start) and p.contains(p.end)
    assert not (p + 1).contains(p.end)


@given(periods, st.integers(1, 6))
def test_windows_end_with_the_period(p: Period, n: int) -> None:
    assert Reporting().lower_ordinal(p.ordinal) == p.ordinal
    assert Rolling(n).lower_ordinal(p.ordinal) == p.ordinal - n + 1
    assert Cumulative(p - 2).lower_ordinal(p.ordinal) == p.ordinal - 2


def test_school_year() -> None:
    p = parse_period("2023-2024")
    assert p.kind is PeriodKind.SCHOOL_YEAR
    assert (p.start, p.end) == (dt.date(2023, 9, 1), dt.date(2024, 8, 31))
    assert p.end_year == 2024
    assert parse_period("2023/2024") == p == parse_period("2023–2024")
    assert Period.first_ending_in(PeriodKind.SCHOOL_YEAR, 2024) == p


def test_quarter_and_year() -> None:
    q = parse_period("2024Q2")
    assert (q.start, q.end) == (dt.date(2024, 4, 1), dt.date(2024, 6, 30))
    assert parse_period("2024").end == dt.date(2024, 12, 31)
    assert str(Period.quarter(2024, 4) + 1) == "2025Q1"


@pytest.mark.parametrize(
    ("label", "kind", "message"),
    [
        ("2023-2025", None, "двух соседних лет"),
        ("весна", None, "не является периодом"),
        ("2024", PeriodKind.SCHOOL_YEAR, "Ожидается учебный год, например 2023-2024"),
    ],
)
def test_bad_labels_get_a_russian_message(
    label: str, kind: PeriodKind | None, message: str
) -> None:
    with pytest.raises(ValueError, match=message):
        parse_period(label, kind)


def test_periods_of_different_kinds_do_not_compare() -> None:
    with pytest.raises(TypeError):
        _ = Period.year(2024) < Period.school_year(2023)
