"""Reference values for every Karabash indicator on the bundled sample.

The expected numbers are computed here with plain pandas straight from the sample CSV
files, following the decisions of «Методика расчёта показателей» — independently of the
engine, the conditions language and the loader — and compared with ``pedprof.compute``.
"""

from __future__ import annotations

from importlib import resources

import numpy as np
import pandas as pd
import pytest

import pedprof

SAMPLE = resources.files("pedprof_karabash").joinpath("data/sample")
PERIODS = ["2020-2021", "2021-2022", "2022-2023", "2023-2024"]


def raw(name: str) -> pd.DataFrame:
    with SAMPLE.joinpath(f"{name}.csv").open("rb") as fh:
        return pd.read_csv(fh, keep_default_na=False, na_values=[""])


@pytest.fixture(scope="module")
def results() -> pd.DataFrame:
    return pedprof.compute("karabash", pedprof.load_sample("karabash"))


@pytest.fixture(scope="module")
def staff() -> pd.DataFrame:
    s = raw("staff")
    for c in (
        "deficit_assessed",
        "iom",
        "expert_register",
        "cnppm_events",
        "contest",
        "support_forms",
        "young_events",
        "methodist_support",
        "manager_mentor",
        "noc",
        "cnppm_help",
    ):
        s[c] = s[c].astype(str).str.lower().eq("true")
    s["profile_education"] = s["profile_education"].astype(str).str.lower().eq("true")
    s["kind"] = s["org_id"].map(raw("organizations").set_index("org_id")["kind"])
    s["dpo_date"] = pd.to_datetime(s["dpo_date"])
    s["year"] = s["period"].str[:4].astype(int)
    return s


def municipal_share(df: pd.DataFrame, pop: pd.Series, num: pd.Series) -> pd.DataFrame:
    """Distinct persons of the municipality per period: (numerator, denominator)."""
    d = df.assign(_num=num & pop)[pop]
    per_person = d.groupby(["period", "person_id"])["_num"].max().reset_index()
    out = per_person.groupby("period")["_num"].agg(["sum", "size"])
    return out.reindex(PERIODS, fill_value=0).rename(columns={"sum": "num", "size": "den"})


def engine_rows(results: pd.DataFrame, indicator: str, level: str = "municipality") -> pd.DataFrame:
    r = results[
        (results["indicator"] == indicator)
        & (results["level"] == level)
        & results["breakdown"].isna()
    ]
    return r.set_index(r["period"].astype(str))


def teacher(s: pd.DataFrame) -> pd.Series:
    return s["category"] == "teacher"


def manager(s: pd.DataFrame) -> pd.Series:
    return s["category"] == "manager"


def young(s: pd.DataFrame) -> pd.Series:
    return teacher(s) & (s["age"] < 35) & (s["experience_years"] < 3)


def ever_assessed_since_2020(s: pd.DataFrame) -> pd.Series:
    first = s[s["deficit_assessed"]].groupby("person_id")["year"].min()
    return s["year"] >= s["person_id"].map(first).fillna(10**6)


def in_period(s: pd.DataFrame, years: int) -> pd.Series:
    start = pd.to_datetime((s["year"] - years + 1).astype(str) + "-09-01")
    end = pd.to_datetime((s["year"] + 1).astype(str) + "-08-31")
    return (s["dpo_date"] >= start) & (s["dpo_date"] <= end)


SHARES = {
    "k01": lambda s: (teacher(s), ever_assessed_since_2020(s)),
    "k01.annual": lambda s: (teacher(s), s["deficit_assessed"]),
    "k02": lambda s: (manager(s), ever_assessed_since_2020(s)),
    "k02.annual": lambda s: (manager(s), s["deficit_assessed"]),
    "k03": lambda s: (s["deficit_assessed"], s["iom"]),
    "k04": lambda s: (s["expert_score"] > 60, s["expert_register"]),
    "k05": lambda s: (s["deficit_assessed"] | s["expert_score"].notna(), s["cnppm_events"]),
    "k08": lambda s: (teacher(s), s["contest"]),
    "k10": lambda s: (young(s), s["support_forms"]),
    "k12": lambda s: (young(s), s["young_events"]),
    "k13": lambda s: (
        pd.Series(True, index=s.index),
        s["mentoring_role"].isin(["mentor", "mentee"]),
    ),
    "k14": lambda s: (teacher(s), s["methodist_support"]),
    "k15": lambda s: (manager(s), s["manager_mentor"]),
    "k19": lambda s: (pd.Series(True, index=s.index), s["age"] < 35),
    "k20": lambda s: (pd.Series(True, index=s.index), in_period(s, 1)),
    "k20.three_years": lambda s: (pd.Series(True, index=s.index), in_period(s, 3)),
    "k21": lambda s: (teacher(s) & (s["kind"] == "school"), s["profile_education"]),
    "k22": lambda s: (teacher(s), s["noc"]),
    "k23": lambda s: (manager(s), s["noc"]),
    "k24": lambda s: (s["kind"].isin(["school", "kindergarten"]), s["cnppm_help"]),
}


@pytest.mark.parametrize("indicator", sorted(SHARES))
def test_share_indicators_match_the_reference(
    indicator: str, staff: pd.DataFrame, results: pd.DataFrame
) -> None:
    pop, num = SHARES[indicator](staff)
    expected = municipal_share(staff, pop, num)
    got = engine_rows(results, indicator)
    for period in PERIODS:
        assert got.loc[period, "numerator"] == expected.loc[period, "num"], period
        assert got.loc[period, "denominator"] == expected.loc[period, "den"], period
        assert got.loc[period, "value"] == pytest.approx(
            100 * expected.loc[period, "num"] / expected.loc[period, "den"]
        )


@pytest.mark.parametrize("indicator", ["k03", "k08", "k10", "k21"])
def test_share_indicators_match_per_organisation(
    indicator: str, staff: pd.DataFrame, results: pd.DataFrame
) -> None:
    pop, num = SHARES[indicator](staff)
    d = staff.assign(_n=num & pop)[pop]
    expected = d.groupby(["org_id", "period"])["_n"].agg(["sum", "size"])
    got = results[
        (results["indicator"] == indicator)
        & (results["level"] == "organization")
        & (results["state"] != "no_data")
    ]
    for r in got.itertuples(index=False):
        key = (str(r.unit), str(r.period))
        num_, den_ = expected.loc[key] if key in expected.index else (0, 0)
        assert (r.numerator, r.denominator) == (num_, den_), key


def test_count_indicators_match_the_reference(results: pd.DataFrame) -> None:
    events = raw("events")
    events["scientific_practical"] = (
        events["scientific_practical"].astype(str).str.lower().eq("true")
    )
    k06 = events[
        events["kind"].isin(["conference", "seminar"])
        & (events["level"] == "municipal")
        & events["direction"].notna()
    ]
    k07 = events[(events["level"] == "municipal") & events["scientific_practical"]]
    k18 = events[events["innovation"].notna()]
    assoc = raw("associations")
    k16 = assoc[assoc["functioning"].astype(str).str.lower().eq("true")]
    expected = {
        "k06": k06.groupby("period")["direction"].nunique(),
        "k07": k07.groupby("period")["event_id"].nunique(),
        "k18": k18.groupby("period")["event_id"].nunique(),
        "k09": raw("projects").groupby("period")["project_id"].nunique(),
        "k16": k16.groupby("period")["association_id"].nunique(),
        "k17": raw("support_programmes").groupby("period")["programme_id"].nunique(),
    }
    for ind, series in expected.items():
        got = engine_rows(results, ind)["value"]
        assert (
            got.reindex(PERIODS).tolist()
            == series.reindex(PERIODS, fill_value=0).astype(float).tolist()
        ), ind


def test_k11_per_organisation_minimum_matches(results: pd.DataFrame) -> None:
    prog = raw("mentoring_programmes")
    subs = raw("submissions")
    orgs = raw("organizations")["org_id"]
    for period in PERIODS:
        submitted = set(subs.loc[subs["period"] == period, "unit_id"]) & set(orgs)
        counts = prog[prog["period"] == period].groupby("org_id")["programme_id"].nunique()
        compliant = sum(1 for o in submitted if counts.get(o, 0) >= 2)
        row = engine_rows(results, "k11").loc[period]
        assert (row["numerator"], row["denominator"]) == (compliant, len(submitted))


def test_k19_breakdown_by_category(staff: pd.DataFrame, results: pd.DataFrame) -> None:
    r = results[(results["indicator"] == "k19") & (results["level"] == "municipality")]
    for cat in ("teacher", "manager"):
        sub = staff[staff["category"] == cat]
        exp = municipal_share(sub, pd.Series(True, index=sub.index), sub["age"] < 35)
        got = r[r["breakdown"] == cat].set_index(r[r["breakdown"] == cat]["period"].astype(str))
        assert got["numerator"].reindex(PERIODS).tolist() == exp["num"].astype(float).tolist()
        assert got["denominator"].reindex(PERIODS).tolist() == exp["den"].astype(float).tolist()


# --------------------------------------------------------------------------- planted situations


def test_sports_school_without_young_teachers_is_not_applicable(results: pd.DataFrame) -> None:
    for ind in ("k10", "k12"):
        rows = results[(results["indicator"] == ind) & (results["unit"] == "kgo_u2")]
        assert len(rows) == 4
        assert (rows["state"] == "not_applicable").all()
        assert rows["value"].isna().all()


def test_merged_school_disappears_and_its_history_is_restated(
    staff: pd.DataFrame, results: pd.DataFrame
) -> None:
    org = results[(results["indicator"] == "k08") & (results["level"] == "organization")]
    assert not ((org["unit"] == "kgo_s3") & (org["period"] == "2023-2024")).any()
    row = org[(org["unit"] == "kgo_s1") & (org["period"] == "2023-2024")].iloc[0]
    before = staff[
        (staff["period"] == "2022-2023")
        & staff["org_id"].isin(["kgo_s1", "kgo_s3"])
        & teacher(staff)
    ]
    assert row["previous_value"] == pytest.approx(100 * before["contest"].sum() / len(before))


def test_k06_meets_its_target_in_2024(results: pd.DataFrame) -> None:
    row = engine_rows(results, "k06").loc["2023-2024"]
    assert row["value"] >= 5 and bool(row["target_met"]) and bool(row["target_due"])


def test_k08_declines_in_the_last_year(results: pd.DataFrame) -> None:
    row = engine_rows(results, "k08").loc["2023-2024"]
    assert row["value"] < row["previous_value"]


def test_one_school_is_below_the_per_organisation_minimum(results: pd.DataFrame) -> None:
    org = results[
        (results["indicator"] == "k11")
        & (results["level"] == "organization")
        & (results["period"] == "2023-2024")
    ]
    below = org[org["target_met"] == False]  # noqa: E712
    assert below["unit"].astype(str).tolist() == ["kgo_s4"]
    assert bool(engine_rows(results, "k11").loc["2023-2024", "target_met"]) is False


def test_part_time_teacher_is_counted_once_in_the_municipality(
    staff: pd.DataFrame, results: pd.DataFrame
) -> None:
    rows = staff[(staff["person_id"] == "p9001") & (staff["period"] == "2023-2024")]
    assert len(rows) == 2
    teachers = staff[(staff["period"] == "2023-2024") & teacher(staff)]
    assert (
        engine_rows(results, "k08").loc["2023-2024", "denominator"]
        == teachers["person_id"].nunique()
    )
    assert teachers["person_id"].nunique() == len(teachers) - 1


def test_a_score_of_exactly_60_is_not_successful(staff: pd.DataFrame) -> None:
    sixty = staff[staff["expert_score"] == 60]
    assert len(sixty) == 1
    assert not SHARES["k04"](staff)[0][sixty.index].any()


# --------------------------------------------------------------------------- targets by hand


def test_targets_worked_out_by_hand(results: pd.DataFrame) -> None:
    k01 = engine_rows(results, "k01")
    # the schedule: 33.3 in 2020-2021, then 66.6
    assert k01["target"].tolist() == [33.3, 66.6, 66.6, 66.6]
    assert k01["target_met"].tolist() == [
        v >= t for v, t in zip(k01["value"], k01["target"], strict=True)
    ]
    k05 = engine_rows(results, "k05")
    assert k05["target_due"].tolist() == [False, False, False, True]
    k19 = engine_rows(results, "k19")
    base = k19.loc["2020-2021", "value"]
    assert k19.loc["2023-2024", "target"] == pytest.approx(base * 1.1)
    assert bool(k19.loc["2023-2024", "target_met"]) == (k19.loc["2023-2024", "value"] >= base * 1.1)
    assert pd.isna(k19.loc["2020-2021", "target_met"])  # the baseline is not compared with itself


def test_every_indicator_has_four_periods_at_municipal_level(results: pd.DataFrame) -> None:
    profile = pedprof.get_profile("karabash")
    muni = results[(results["level"] == "municipality") & results["breakdown"].isna()]
    counts = muni.groupby("indicator").size()
    assert set(counts.index) == {i.id for i in profile.indicators}
    assert (counts == 4).all()
    assert np.isin(muni["state"].astype(str), ["value"]).all()
