"""The engine's formula families against an independent plain-pandas reference, and their
properties: bounds, order invariance, aggregation consistency (Σnum/Σden over distinct
persons), monotonicity, period handling, n/a and no-data propagation."""

from __future__ import annotations

import math

import numpy as np
import pandas as pd
import pytest
from hypothesis import given
from hypothesis import strategies as st

from pedprof import (
    AtLeast,
    Cumulative,
    Dataset,
    Field,
    FieldType,
    Indicator,
    IndicatorKind,
    Period,
    PeriodKind,
    Rolling,
    Source,
    SubmittedBy,
    col,
)
from pedprof.engine._core import compute_indicators
from pedprof.model.sources import normalize_text
from tests.strategies import (
    ORGS,
    PERIODS,
    as_lookup,
    dataset,
    hierarchy,
    reference_share,
    shuffled,
    staff_tables,
)

KIND = PeriodKind.SCHOOL_YEAR

SHARE_A_AMONG_TEACHERS = Indicator(
    id="s1",
    name="Доля педагогов с признаком а",
    kind=IndicatorKind.SHARE,
    table="staff",
    population=col("category").eq("teacher"),
    numerator=col("a").true(),
)
SHARE_B_AMONG_ALL = Indicator(
    id="s2",
    name="Доля работников с признаком б",
    kind=IndicatorKind.SHARE,
    table="staff",
    numerator=col("b").true(),
)


def run(data: Dataset, *indicators: Indicator, **kw: object) -> pd.DataFrame:
    return compute_indicators(list(indicators), data, period_kind=KIND, **kw)  # type: ignore[arg-type]


def totals(result: pd.DataFrame) -> pd.DataFrame:
    return result[result["breakdown"].isna()]


def _canonical(result: pd.DataFrame) -> pd.DataFrame:
    cols = ["indicator", "level", "unit", "period"]
    out = result.astype({c: str for c in cols}).sort_values(cols).reset_index(drop=True)
    return out


# --------------------------------------------------------------------------- reference


@given(staff_tables())
def test_shares_equal_the_pandas_reference_at_every_level(staff: pd.DataFrame) -> None:
    staff = staff.assign(teacher=staff["category"] == "teacher", all=True)
    result = totals(run(dataset(staff), SHARE_A_AMONG_TEACHERS, SHARE_B_AMONG_ALL))
    for ind, pop, num in (("s1", "teacher", "a"), ("s2", "all", "b")):
        for level in ("organization", "municipality", "region"):
            ref = as_lookup(reference_share(staff, pop, num, level))
            rows = result[(result["indicator"] == ind) & (result["level"] == level)]
            for r in rows.itertuples(index=False):
                key = (str(r.unit), str(r.period))
                if r.state == "no_data":
                    assert key not in ref
                    continue
                exp_num, exp_den = ref.get(key, (0.0, 0.0))
                assert (r.numerator, r.denominator) == (exp_num, exp_den)
                if exp_den == 0:
                    assert r.state == "not_applicable" and math.isnan(r.value)
                else:
                    assert r.state == "value"
                    assert r.value == pytest.approx(100 * exp_num / exp_den, rel=1e-12)


@given(staff_tables())
def test_shares_are_bounded(staff: pd.DataFrame) -> None:
    result = run(dataset(staff), SHARE_A_AMONG_TEACHERS, SHARE_B_AMONG_ALL)
    values = result.loc[result["state"] == "value", "value"]
    assert ((values >= 0) & (values <= 100)).all()
    assert result.loc[result["state"] != "value", "value"].isna().all()


@given(staff_tables(), st.integers(0, 2**32 - 1))
def test_row_order_and_file_split_do_not_matter(staff: pd.DataFrame, seed: int) -> None:
    base = run(dataset(staff), SHARE_A_AMONG_TEACHERS, SHARE_B_AMONG_ALL)
    # the same rows, shuffled and as if they came in two files concatenated the other way
    half = len(staff) // 2
    other = pd.concat([shuffled(staff.iloc[half:], seed), staff.iloc[:half]], ignore_index=True)
    again = run(dataset(other), SHARE_A_AMONG_TEACHERS, SHARE_B_AMONG_ALL)
    pd.testing.assert_frame_equal(_canonical(base), _canonical(again))


@given(staff_tables())
def test_levels_above_are_sums_over_distinct_persons(staff: pd.DataFrame) -> None:
    """Without persons repeated in a period, Σnum/Σden of the organisations = the municipality."""
    staff = staff.drop_duplicates(["period", "person_id"])
    result = totals(run(dataset(staff), SHARE_B_AMONG_ALL))
    org = result[(result["level"] == "organization") & (result["state"] != "no_data")].copy()
    org["municipality"] = org["unit"].astype(str).map(ORGS)
    sums = org.groupby(["municipality", "period"], observed=True)[
        ["numerator", "denominator"]
    ].sum()
    muni = result[(result["level"] == "municipality") & (result["state"] != "no_data")]
    for r in muni.itertuples(index=False):
        s = sums.loc[(str(r.unit), r.period)]
        assert (r.numerator, r.denominator) == (s["numerator"], s["denominator"])


def test_a_person_in_two_organisations_is_counted_once_above() -> None:
    staff = pd.DataFrame(
        {
            "period": ["2020-2021"] * 3,
            "org_id": ["o1", "o2", "o1"],
            "person_id": ["p1", "p1", "p2"],
            "category": ["teacher"] * 3,
            "a": [False, True, False],
            "b": [False] * 3,
        }
    )
    result = totals(run(dataset(staff), SHARE_A_AMONG_TEACHERS))
    got = result.set_index(["level", "unit"])[["numerator", "denominator"]]
    assert tuple(got.loc[("organization", "o1")]) == (0, 2)
    assert tuple(got.loc[("organization", "o2")]) == (1, 1)
    # p1 is one person in m1: counted once, in the numerator because one of their rows says so
    assert tuple(got.loc[("municipality", "m1")]) == (1, 2)
    assert tuple(got.loc[("region", "r1")]) == (1, 2)


@given(staff_tables(), st.data())
def test_numerator_is_monotone(staff: pd.DataFrame, data: st.DataObject) -> None:
    if staff.empty:
        return
    i = data.draw(st.integers(0, len(staff) - 1))
    better = staff.copy()
    better.loc[better.index[i], "b"] = True
    before = _canonical(run(dataset(staff), SHARE_B_AMONG_ALL))
    after = _canonical(run(dataset(better), SHARE_B_AMONG_ALL))
    both = before["state"] == "value"
    assert (after.loc[both, "value"] >= before.loc[both, "value"] - 1e-12).all()


# --------------------------------------------------------------------------- states


def test_no_data_and_not_applicable_are_never_zero() -> None:
    staff = pd.DataFrame(
        {
            "period": ["2020-2021", "2020-2021"],
            "org_id": ["o1", "o2"],
            "person_id": ["p1", "p2"],
            "category": ["manager", "teacher"],
            "a": [True, False],
            "b": [True, False],
        }
    )
    result = totals(run(dataset(staff), SHARE_A_AMONG_TEACHERS))
    state = result.set_index(["level", "unit"])["state"].astype(str)
    assert state[("organization", "o1")] == "not_applicable"  # reported, but no teacher
    assert state[("organization", "o2")] == "value"
    assert state[("organization", "o3")] == "no_data"  # nothing submitted
    assert state[("municipality", "m2")] == "no_data"
    assert state[("region", "r2")] == "no_data"
    assert result.loc[result["state"] != "value", "value"].isna().all()


def test_a_submission_without_rows_means_zero_count_not_no_data() -> None:
    regions, munis, orgs = hierarchy()
    events = pd.DataFrame(
        {"period": ["2020-2021"], "municipality_id": ["m1"], "event_id": ["e1"], "kind": ["x"]}
    )
    subs = pd.DataFrame({"unit_id": ["m2"], "period": ["2020-2021"]})
    data = Dataset(
        regions=regions,
        municipalities=munis,
        organizations=orgs,
        tables={"events": events},
        submissions=subs,
    )
    count = Indicator(
        id="c1",
        name="Количество мероприятий",
        kind=IndicatorKind.COUNT,
        table="events",
        distinct="event_id",
    )
    result = run(data, count).set_index(["level", "unit"])
    assert result.loc[("municipality", "m1"), "value"] == 1
    assert result.loc[("municipality", "m2"), "value"] == 0
    assert result.loc[("municipality", "m2"), "state"] == "value"
    assert result.loc[("municipality", "m3"), "state"] == "no_data"
    assert result.loc[("region", "r1"), "value"] == 1
    assert "organization" not in set(result.index.get_level_values(0))


# --------------------------------------------------------------------------- periods


@given(staff_tables())
def test_cumulative_window_counts_anyone_flagged_since_the_start(staff: pd.DataFrame) -> None:
    since = Period.school_year(2021)
    ind = Indicator(
        id="cum",
        name="Доля прошедших нарастающим итогом",
        kind=IndicatorKind.SHARE,
        table="staff",
        numerator=col("a").true(),
        window=Cumulative(since),
    )
    result = totals(run(dataset(staff), ind))
    ordinal = {p: int(p[:4]) for p in PERIODS}
    flagged = staff[staff["a"].astype(bool)].assign(o=lambda d: d["period"].map(ordinal))
    for r in result[result["level"] == "municipality"].itertuples(index=False):
        if r.state == "no_data":
            continue
        cur = ordinal[str(r.period)]
        rows = staff[(staff["period"] == r.period) & (staff["org_id"].map(ORGS) == str(r.unit))]
        persons = set(rows["person_id"])
        ok = flagged[(flagged["o"] >= since.ordinal) & (flagged["o"] <= cur)]
        expected = len(persons & set(ok["person_id"]))
        assert (r.numerator, r.denominator) == (expected, len(persons))


def test_rolling_window_of_dates() -> None:
    staff = pd.DataFrame(
        {
            "period": ["2022-2023"] * 4,
            "org_id": ["o1"] * 4,
            "person_id": ["p1", "p2", "p3", "p4"],
            "course": pd.to_datetime(["2022-10-01", "2020-09-01", "2020-08-31", None]),
        }
    )
    in_period = Indicator(
        id="d1",
        name="Доля обученных за период",
        kind=IndicatorKind.SHARE,
        table="staff",
        numerator=col("course").within(),
    )
    three = Indicator(
        id="d3",
        name="Доля обученных за три года",
        kind=IndicatorKind.SHARE,
        table="staff",
        numerator=col("course").within(Rolling(3)),
    )
    result = run(dataset(staff), in_period, three)
    org = result[result["unit"] == "o1"].set_index("indicator")
    # 2022-2023: 01.09.2022–31.08.2023; three school years back to 01.09.2020
    assert org.loc["d1", "numerator"] == 1
    assert org.loc["d3", "numerator"] == 2


def test_periods_without_data_between_two_with_data_are_no_data() -> None:
    staff = pd.DataFrame(
        {
            "period": ["2020-2021", "2022-2023"],
            "org_id": ["o1", "o1"],
            "person_id": ["p1", "p1"],
            "category": ["teacher", "teacher"],
            "a": [True, True],
            "b": [True, True],
        }
    )
    result = totals(run(dataset(staff), SHARE_A_AMONG_TEACHERS))
    o1 = result[result["unit"] == "o1"]
    o1 = o1.set_index(o1["period"].astype(str))
    assert list(o1.index) == PERIODS
    assert o1.loc["2021-2022", "state"] == "no_data"
    # dynamics compare with the immediately preceding period only
    assert math.isnan(o1.loc["2022-2023", "previous_value"])


def test_previous_value_is_restated_through_a_merger() -> None:
    regions, munis, orgs = hierarchy()
    orgs = orgs.assign(valid_to=None, successor_id=None)
    orgs.loc[orgs["org_id"] == "o2", ["valid_to", "successor_id"]] = ["2021-08-31", "o1"]
    staff = pd.DataFrame(
        {
            "period": ["2020-2021", "2020-2021", "2021-2022", "2021-2022"],
            "org_id": ["o1", "o2", "o1", "o1"],
            "person_id": ["p1", "p2", "p1", "p2"],
            "category": ["teacher"] * 4,
            "a": [True, False, True, True],
            "b": [False] * 4,
        }
    )
    data = Dataset(
        regions=regions, municipalities=munis, organizations=orgs, tables={"staff": staff}
    )
    result = totals(run(data, SHARE_A_AMONG_TEACHERS))
    org = result[result["level"] == "organization"]
    o1 = org[(org["unit"] == "o1") & (org["period"] == "2021-2022")].iloc[0]
    assert o1["value"] == 100
    assert o1["previous_value"] == 50  # o1 and o2 together in 2020-2021: 1 of 2
    # o2 does not exist in 2021-2022 and is not listed there
    assert not ((org["unit"] == "o2") & (org["period"] == "2021-2022")).any()


def test_split_by_gives_a_row_per_value_next_to_the_total() -> None:
    staff = pd.DataFrame(
        {
            "period": ["2020-2021"] * 3,
            "org_id": ["o1"] * 3,
            "person_id": ["p1", "p2", "p3"],
            "category": ["teacher", "teacher", "manager"],
            "a": [True, False, True],
        }
    )
    ind = Indicator(
        id="k",
        name="Доля с признаком по категориям",
        kind=IndicatorKind.SHARE,
        table="staff",
        numerator=col("a").true(),
        split_by="category",
    )
    result = run(dataset(staff), ind)
    org = result[(result["level"] == "organization") & (result["unit"] == "o1")]
    by = {
        (None if pd.isna(b) else b): v for b, v in zip(org["breakdown"], org["value"], strict=True)
    }
    assert by[None] == pytest.approx(200 / 3)
    assert by["teacher"] == 50
    assert by["manager"] == 100


def test_per_organisation_minimum_lists_non_compliant_organisations() -> None:
    regions, munis, orgs = hierarchy()
    programmes = pd.DataFrame(
        {
            "period": ["2020-2021"] * 4,
            "org_id": ["o1", "o1", "o2", "o3"],
            "programme_id": ["x", "y", "x", "x"],
        }
    )
    subs = pd.DataFrame({"unit_id": ["o1", "o2", "o3", "o4"], "period": ["2020-2021"] * 4})
    data = Dataset(
        regions=regions,
        municipalities=munis,
        organizations=orgs,
        tables={"programmes": programmes},
        submissions=subs,
    )
    ind = Indicator(
        id="m",
        name="Количество программ в каждой ОО",
        kind=IndicatorKind.PER_ORGANIZATION_MINIMUM,
        table="programmes",
        distinct="programme_id",
        minimum=2,
    )
    result = run(data, ind).set_index(["level", "unit"])
    assert result.loc[("organization", "o1"), "value"] == 2
    assert result.loc[("organization", "o4"), "value"] == 0  # submitted, has none
    assert result.loc[("organization", "o5"), "state"] == "no_data"
    assert tuple(result.loc[("municipality", "m1"), ["numerator", "denominator"]]) == (1, 2)
    assert tuple(result.loc[("municipality", "m2"), ["numerator", "denominator"]]) == (0, 2)
    assert result.loc[("municipality", "m3"), "state"] == "no_data"


def test_targets_are_attached_per_row() -> None:
    staff = pd.DataFrame(
        {
            "period": ["2020-2021"] * 3,
            "org_id": ["o1", "o1", "o1"],
            "person_id": ["p1", "p2", "p3"],
            "category": ["teacher"] * 3,
            "a": [True, False, False],
            "b": [False] * 3,
        }
    )
    target = AtLeast(value=100 / 3, text="не менее 33,(3) %")
    result = run(dataset(staff), SHARE_A_AMONG_TEACHERS, targets={"s1": target})
    row = result[(result["level"] == "organization") & (result["unit"] == "o1")].iloc[0]
    assert row["target"] == pytest.approx(100 / 3)
    assert bool(row["target_met"]) is True
    assert bool(row["target_due"]) is True


def test_unknown_organisation_is_a_clear_error() -> None:
    staff = pd.DataFrame(
        {
            "period": ["2020-2021"],
            "org_id": ["zzz"],
            "person_id": ["p1"],
            "category": ["teacher"],
            "a": [True],
        }
    )
    with pytest.raises(ValueError, match="zzz"):
        run(dataset(staff), SHARE_A_AMONG_TEACHERS)


def test_result_columns_and_dtypes() -> None:
    staff = pd.DataFrame(
        {
            "period": ["2020-2021"],
            "org_id": ["o1"],
            "person_id": ["p1"],
            "category": ["teacher"],
            "a": [True],
        }
    )
    result = run(dataset(staff), SHARE_A_AMONG_TEACHERS)
    from pedprof import RESULT_COLUMNS

    assert tuple(result.columns) == RESULT_COLUMNS
    assert str(result["target_met"].dtype) == "boolean"
    assert set(result["level"].astype(str)) == {"organization", "municipality", "region"}
    assert np.issubdtype(result["value"].dtype, np.floating)


def test_dataset_from_model_objects_round_trips_and_computes() -> None:
    import datetime as dt

    from pedprof import Municipality, Organization, OrganizationKind, Region

    orgs = [
        Organization("a", "ОО А", "m", OrganizationKind.SCHOOL),
        Organization(
            "b",
            "ОО Б",
            "m",
            OrganizationKind.KINDERGARTEN,
            valid_to=dt.date(2021, 8, 31),
            successor_id="a",
        ),
    ]
    staff = pd.DataFrame(
        {
            "period": ["2020-2021", "2020-2021", "2021-2022"],
            "org_id": ["a", "b", "a"],
            "person_id": ["p1", "p2", "p2"],
            "category": ["teacher"] * 3,
            "a": [True, False, True],
        }
    )
    data = Dataset.from_objects(
        regions=[Region("r", "Р")],
        municipalities=[Municipality("m", "М", "r")],
        organizations=orgs,
        tables={"staff": staff},
    )
    assert data.organization_objects() == orgs
    assert not orgs[1].active_in(Period.school_year(2021)) and orgs[1].active_in(
        Period.school_year(2020)
    )
    result = totals(run(data, SHARE_A_AMONG_TEACHERS))
    a = result[(result["unit"] == "a") & (result["period"] == "2021-2022")].iloc[0]
    assert (a["value"], a["previous_value"]) == (100, 50)


# --------------------------------------------------------------------------- mergers


def _merged_register(closing: dict[str, tuple[int, str]]) -> pd.DataFrame:
    """The test register where ``org -> (k, successor)``: org closes at the end of PERIODS[k]."""
    _, _, orgs = hierarchy()
    orgs = orgs.assign(valid_to=None, successor_id=None)
    for org, (k, successor) in closing.items():
        orgs.loc[orgs["org_id"] == org, ["valid_to", "successor_id"]] = [
            f"{2021 + k}-08-31",
            successor,
        ]
    return orgs


def _with_register(staff: pd.DataFrame, orgs: pd.DataFrame) -> Dataset:
    regions, munis, _ = hierarchy()
    return Dataset(
        regions=regions, municipalities=munis, organizations=orgs, tables={"staff": staff}
    )


COUNT_TEACHERS = Indicator(
    id="c_t",
    name="Количество педагогов",
    kind=IndicatorKind.COUNT,
    table="staff",
    population=col("category").eq("teacher"),
)


def test_a_teacher_of_both_merged_schools_counts_once_in_the_restated_previous_value() -> None:
    # o2 merges into o1 on 31.08.2021. In 2020-2021 p2 taught in both schools.
    #   o1: p1 (a), p2 (not a);  o2: p2 (a), p3 (not a)
    # The restated 2020-2021 of o1 has the teachers {p1, p2, p3}: denominator 3; with «a»:
    # p1, and p2 through their o2 row: numerator 2 → 200/3 %. Summing the two schools
    # (2 + 2 teachers, 1 + 1 with «a») would give 2/4 = 50 %.
    orgs = _merged_register({"o2": (0, "o1")})
    staff = pd.DataFrame(
        {
            "period": ["2020-2021"] * 4 + ["2021-2022"] * 3,
            "org_id": ["o1", "o1", "o2", "o2", "o1", "o1", "o1"],
            "person_id": ["p1", "p2", "p2", "p3", "p1", "p2", "p3"],
            "category": ["teacher"] * 7,
            "a": [True, False, True, False, True, True, False],
            "b": [False] * 7,
        }
    )
    result = totals(run(_with_register(staff, orgs), SHARE_A_AMONG_TEACHERS, COUNT_TEACHERS))
    rows = result.set_index(["indicator", "level", "unit", result["period"].astype(str)])
    share = rows.loc[("s1", "organization", "o1", "2021-2022")]
    assert share["previous_value"] == pytest.approx(200 / 3)
    assert (share["numerator"], share["denominator"]) == (2, 3)
    assert rows.loc[("c_t", "organization", "o1", "2021-2022"), "previous_value"] == 3
    # The municipality's previous value counts p2 once as well (it always did).
    assert rows.loc[("s1", "municipality", "m1", "2021-2022"), "previous_value"] == pytest.approx(
        200 / 3
    )
    assert rows.loc[("c_t", "municipality", "m1", "2021-2022"), "previous_value"] == 3


def test_restated_previous_value_of_a_rolling_count_counts_each_person_once() -> None:
    # A count over two school years: o2 merges into o1 on 31.08.2022. p1 is in o1 in
    # 2020-2021 and in o2 in 2021-2022; p2 in o2 in 2021-2022. The window of 2021-2022 in
    # the successor o1 holds {p1, p2}: the previous value of o1 in 2022-2023 is 2.
    orgs = _merged_register({"o2": (1, "o1")})
    staff = pd.DataFrame(
        {
            "period": ["2020-2021", "2021-2022", "2021-2022", "2022-2023"],
            "org_id": ["o1", "o2", "o2", "o1"],
            "person_id": ["p1", "p1", "p2", "p3"],
            "category": ["teacher"] * 4,
        }
    )
    two_years = Indicator(
        id="c2",
        name="Количество педагогов за два года",
        kind=IndicatorKind.COUNT,
        table="staff",
        population=col("category").eq("teacher"),
        window=Rolling(2),
    )
    result = totals(run(_with_register(staff, orgs), two_years))
    o1 = result[(result["level"] == "organization") & (result["unit"] == "o1")]
    o1 = o1.set_index(o1["period"].astype(str))
    assert o1.loc["2022-2023", "previous_value"] == 2
    assert o1.loc["2022-2023", "value"] == 1  # p3 in 2022-2023; o1 had no rows in 2021-2022


@st.composite
def merged_territories(draw: st.DrawFn) -> tuple[pd.DataFrame, dict[str, tuple[int, str]]]:
    """A staff table and a register where some organisations close after the first or the
    second period, each naming a successor that never closes (in any municipality).

    Some persons of a closing organisation also work, in its last period, in its successor
    (the case a merger must not count twice); closed organisations submit nothing after.
    """
    staff = draw(staff_tables())
    names = list(ORGS)
    closing_orgs = draw(st.lists(st.sampled_from(names), unique=True, min_size=1, max_size=3))
    staying = [o for o in names if o not in closing_orgs]
    closing = {o: (draw(st.integers(0, 1)), draw(st.sampled_from(staying))) for o in closing_orgs}
    extra = []
    flags = st.tuples(st.sampled_from(["teacher", "manager"]), st.booleans(), st.booleans())
    for org, (k, successor) in closing.items():
        mine = staff[(staff["org_id"] == org) & (staff["period"] == PERIODS[k])]
        for row in mine.itertuples(index=False):
            if draw(st.booleans()):
                extra.append(row._replace(org_id=successor, a=draw(st.booleans())))
        # persons of both in the last period apart, and the successor reporting afterwards
        for person in draw(st.lists(st.integers(0, 14), max_size=3, unique=True)):
            for unit in (org, successor):
                extra.append((PERIODS[k], unit, f"p{person}", *draw(flags)))
        extra.append((PERIODS[k + 1], successor, f"p{draw(st.integers(0, 14))}", *draw(flags)))
    staff = pd.concat([staff, pd.DataFrame(extra, columns=staff.columns)], ignore_index=True)
    staff = staff.drop_duplicates(["period", "org_id", "person_id"])
    after = staff["period"].map(PERIODS.index)
    gone = staff["org_id"].map(lambda o: closing.get(o, (len(PERIODS), ""))[0])
    staff = staff[after <= gone].reset_index(drop=True)
    return staff, closing


def _reference_previous(
    staff: pd.DataFrame, closing: dict[str, tuple[int, str]], kind: str
) -> dict[tuple[str, str], float]:
    """Plain pandas: the previous value of each organisation in each period from the second,
    over the previous period's rows of every organisation that belongs to it in this one,
    a teacher counted once; NaN without rows (no data) or without teachers (a share)."""
    out = {}
    for j in range(1, len(PERIODS)):
        belongs = {o: (closing[o][1] if o in closing and closing[o][0] < j else o) for o in ORGS}
        before = staff[staff["period"] == PERIODS[j - 1]]
        before = before.assign(owner=before["org_id"].map(belongs))
        for unit in ORGS:
            rows = before[before["owner"] == unit]
            teachers = rows[rows["category"] == "teacher"]
            persons = set(teachers["person_id"])
            flagged = set(teachers.loc[teachers["a"].astype(bool), "person_id"])
            if rows.empty:
                value = math.nan
            elif kind == "count":
                value = float(len(persons))
            else:
                value = 100 * len(flagged) / len(persons) if persons else math.nan
            out[(unit, PERIODS[j])] = value
    return out


@given(merged_territories())
def test_restated_previous_values_equal_the_pandas_reference(
    territory: tuple[pd.DataFrame, dict[str, tuple[int, str]]],
) -> None:
    staff, closing = territory
    data = _with_register(staff, _merged_register(closing))
    result = totals(run(data, SHARE_A_AMONG_TEACHERS, COUNT_TEACHERS))
    org = result[result["level"] == "organization"]
    for ind, kind in (("s1", "share"), ("c_t", "count")):
        ref = _reference_previous(staff, closing, kind)
        for r in org[org["indicator"] == ind].itertuples(index=False):
            if str(r.period) == PERIODS[0]:
                assert math.isnan(r.previous_value)
                continue
            expected = ref[(str(r.unit), str(r.period))]
            if math.isnan(expected):
                assert math.isnan(r.previous_value), (ind, r.unit, r.period)
            else:
                assert r.previous_value == pytest.approx(expected, rel=1e-12), (ind, r)


# --------------------------------------------------------------------------- text keys


def _events_source(normalize: bool | None = None) -> Source:
    return Source(
        name="events",
        title="Мероприятия",
        submitted_by=SubmittedBy.MUNICIPALITY,
        fields=(
            Field("period", "Учебный год", FieldType.PERIOD),
            Field("municipality_id", "Код муниципалитета", FieldType.IDENTIFIER),
            Field("event_id", "Номер мероприятия", FieldType.IDENTIFIER),
            Field("direction", "Направление", FieldType.STRING, normalize=normalize),
        ),
    )


DIRECTIONS = Indicator(
    id="dirs",
    name="Количество направлений",
    kind=IndicatorKind.COUNT,
    table="events",
    population=col("direction").notna(),
    distinct="direction",
)


def _events(directions: list[str | None], munis: list[str] | None = None) -> Dataset:
    regions, munis_frame, orgs = hierarchy()
    n = len(directions)
    events = pd.DataFrame(
        {
            "period": ["2020-2021"] * n,
            "municipality_id": munis or ["m1"] * n,
            "event_id": [f"e{i}" for i in range(n)],
            "direction": directions,
        }
    )
    return Dataset(
        regions=regions, municipalities=munis_frame, organizations=orgs, tables={"events": events}
    )


def test_spelling_variants_of_a_direction_count_as_one() -> None:
    data = _events(
        [
            "Функциональная грамотность",
            "функциональная  грамотность",
            "«ФУНКЦИОНАЛЬНАЯ ГРАМОТНОСТЬ» ",
            '"Функциональная\u00a0грамотность"',
            "Обновлённые ФГОС",
            "обновленные фгос",
            "Наставничество — молодым",
            "наставничество - молодым",
            "Наставничество – молодым",
            None,
            "функциональная грамотность",
        ],
        munis=["m1"] * 10 + ["m2"],
    )
    counts = {
        normalize: run(data, DIRECTIONS, sources=[_events_source(normalize)]).set_index(
            ["level", "unit"]
        )["value"]
        for normalize in (None, True, False)
    }
    # free text normalises by default: three directions in m1, one in m2, three in r1
    for normalize in (None, True):
        assert counts[normalize][("municipality", "m1")] == 3
        assert counts[normalize][("municipality", "m2")] == 1
        assert counts[normalize][("region", "r1")] == 3
    # declared off, or no declarations at all: every spelling as written counts
    assert counts[False][("municipality", "m1")] == 9
    assert counts[False][("region", "r1")] == 10
    assert run(data, DIRECTIONS).set_index(["level", "unit"])["value"][("region", "r1")] == 10


def test_the_stored_text_is_kept_as_written() -> None:
    data = _events(["«Функциональная грамотность»", "функциональная  грамотность"])
    before = data.table("events").copy()
    run(data, DIRECTIONS, sources=[_events_source()])
    pd.testing.assert_frame_equal(data.table("events"), before)


def test_normalize_text_folds_case_spaces_yo_quotes_and_dashes() -> None:
    raw = pd.Series(
        [
            "  Ёлка\tи «Ель»  ",
            "ёлка и 'ель'",
            "ЕЛКА И “ЕЛЬ”",
            "Школа“Успех”",
            "Школа «Успех»",
            "Социально‑педагогическое – направление",
            "социально-педагогическое - направление",
            "е\u0308лка\u200b",
            None,
        ]
    )
    assert normalize_text(raw).tolist() == [
        "елка и ель",
        "елка и ель",
        "елка и ель",
        "школа успех",
        "школа успех",
        "социально-педагогическое - направление",
        "социально-педагогическое - направление",
        "елка",
        pd.NA,
    ]


def test_normalize_is_declared_on_text_fields_only() -> None:
    assert Field("x", "X", FieldType.STRING).normalizes
    assert not Field("x", "X", FieldType.IDENTIFIER).normalizes
    assert Field("x", "X", FieldType.IDENTIFIER, normalize=True).normalizes
    assert not Field("x", "X", FieldType.STRING, normalize=False).normalizes
    with pytest.raises(ValueError, match="normalize"):
        Field("x", "X", FieldType.INTEGER, normalize=True)


_CANONICAL = "абвгдежзийклмнопрстуфхцчшщъыьэюяabcxyz0123456789"
_WORDS = st.text(alphabet=_CANONICAL, min_size=1, max_size=6)
_BASES = st.lists(
    st.tuples(
        st.lists(_WORDS, min_size=1, max_size=3), st.lists(st.sampled_from([" ", "-"]), max_size=2)
    ).map(lambda t: "".join(w + s for w, s in zip(t[0], [*t[1], *[" "] * 3], strict=False))[:-1]),
    min_size=1,
    max_size=8,
    unique=True,
)
_SPACES = [" ", "  ", "\u00a0", "\t", " \u200b", " \u00a0 "]
_DASHES = ["-", "–", "—", "‑", "−"]
_QUOTE_PAIRS = [("", ""), ("«", "»"), ("“", "”"), ('"', '"'), ("'", "'"), ("„", "“")]


@st.composite
def _spelling(draw: st.DrawFn, base: str) -> str:
    """``base`` as someone might type it: case, spaces, ё, quotes and dashes varied."""
    out = []
    for ch in base:
        if ch == " ":
            out.append(draw(st.sampled_from(_SPACES)))
        elif ch == "-":
            out.append(draw(st.sampled_from(_DASHES)))
        else:
            if ch == "е" and draw(st.booleans()):
                ch = "ё"
            out.append(ch.upper() if draw(st.booleans()) else ch)
    left, right = draw(st.sampled_from(_QUOTE_PAIRS))
    pad = st.sampled_from(["", " ", "  ", "\u00a0"])
    return draw(pad) + left + "".join(out) + right + draw(pad)


@given(_BASES, st.data(), st.sampled_from(["object", "string", "category"]))
def test_distinct_spellings_count_as_their_base_strings(
    bases: list[str], data: st.DataObject, dtype: str
) -> None:
    # bases are canonical (lower case, е, single spaces, "-", no quotes) and distinct: each
    # of their spellings must count as one thing.
    values = [
        data.draw(_spelling(base)) for base in bases for _ in range(data.draw(st.integers(1, 3)))
    ]
    values = [values[i] for i in data.draw(st.permutations(range(len(values))))]
    dataset_ = _events(values)
    events = dataset_.table("events")
    events["direction"] = events["direction"].astype(dtype)
    result = run(dataset_, DIRECTIONS, sources=[_events_source()])
    got = result.set_index(["level", "unit"])["value"]
    assert got[("municipality", "m1")] == len(bases)
    assert got[("region", "r1")] == len(bases)


def test_karabash_k06_counts_a_direction_once_whatever_its_spelling() -> None:
    import pedprof

    profile = pedprof.get_profile("karabash")
    data = pedprof.load_sample(profile)
    events = data.table("events").copy()
    written = events["direction"].notna()
    # every second direction retyped: upper case, doubled spaces, «ё» for «е», in quotes
    retype = written & (np.arange(len(events)) % 2 == 1)
    events.loc[retype, "direction"] = (
        "«"
        + events.loc[retype, "direction"].str.upper().str.replace(" ", "  ").str.replace("Е", "Ё")
        + "» "
    )
    as_written = events.loc[written].groupby("period")["direction"].nunique()
    original = data.table("events").loc[written].groupby("period")["direction"].nunique()
    assert (as_written > original).any()  # the retyping made new spellings
    before = pedprof.compute(profile, data, indicators=["k06"])
    after = pedprof.compute(profile, data.with_tables(events=events), indicators=["k06"])
    pd.testing.assert_frame_equal(before, after)


def test_an_attribute_a_profile_adds_to_the_register_is_usable_in_conditions() -> None:
    """A register column beyond the kind (here «rural», which a profile adds to its register
    of organisations) can restrict an indicator like ``col("org_kind")``: the engine joins
    it to the rows by their organisation. Worked by hand: o1 is rural, o2 is not; among o1's
    two teachers one has «а», so the municipal share among rural schools' teachers is 1/2."""
    from tests.strategies import hierarchy

    staff = pd.DataFrame(
        {
            "period": ["2020-2021"] * 4,
            "org_id": ["o1", "o1", "o2", "o2"],
            "person_id": ["p1", "p2", "p3", "p4"],
            "category": ["teacher"] * 4,
            "a": [True, False, True, True],
            "b": [False] * 4,
        }
    )
    regions, munis, orgs = hierarchy()
    orgs = orgs.assign(rural=orgs["org_id"].eq("o1"))
    data = Dataset(
        regions=regions, municipalities=munis, organizations=orgs, tables={"staff": staff}
    )
    rural = Indicator(
        id="r1",
        name="Доля педагогов сельских школ с признаком а",
        kind=IndicatorKind.SHARE,
        table="staff",
        population=col("category").eq("teacher") & col("rural").true(),
        numerator=col("a").true(),
    )
    got = totals(run(data, rural)).set_index(["level", "unit"])[["numerator", "denominator"]]
    assert tuple(got.loc[("municipality", "m1")]) == (1, 2)
    assert tuple(got.loc[("organization", "o1")]) == (1, 2)
    assert tuple(got.loc[("organization", "o2")]) == (0, 0)
    assert "rural" not in staff.columns  # the caller's table is left as it was
