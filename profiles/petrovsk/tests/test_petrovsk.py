"""The Petrovsk profile as an installed plugin, against plain-pandas reference values.

Expected values are worked out here from the sample CSV files with plain pandas, never by
calling the engine.
"""

from __future__ import annotations

import importlib.util
import os
import re
import subprocess
import sys
from importlib import resources
from pathlib import Path
from types import ModuleType

import numpy as np
import pandas as pd
import pytest
import yaml
from click.testing import CliRunner
from pedprof_petrovsk import glossary, structure, structure_markdown

import pedprof
from pedprof import AtLeast, PeriodKind
from pedprof.cli import main

PROFILE = "petrovsk"
HERE = Path(__file__).resolve().parent
ROOT = HERE.parent
SAMPLE = resources.files("pedprof_petrovsk") / "data" / "sample"
DATA = resources.files("pedprof_petrovsk") / "data"
SEED = ROOT.parents[1].parent / "shared" / "seeds" / "003_5712dd49c541150e.txt"
EXAMPLE = ROOT / "examples" / "petrovsk-targets"
LEVELS = ("municipal", "regional", "federal")
PERIODS = ["2021-2022", "2022-2023", "2023-2024"]


def _csv(name: str) -> pd.DataFrame:
    with (SAMPLE / f"{name}.csv").open("rb") as fh:
        return pd.read_csv(fh, dtype=str, keep_default_na=False, na_values=[""])


def _yes(frame: pd.DataFrame, column: str) -> pd.Series:
    return frame[column] == "True"


@pytest.fixture(scope="module")
def profile() -> pedprof.Profile:
    return pedprof.get_profile(PROFILE)


@pytest.fixture(scope="module")
def results(profile: pedprof.Profile) -> pd.DataFrame:
    return pedprof.compute(profile, pedprof.load_sample(PROFILE))


@pytest.fixture(scope="module")
def staff() -> pd.DataFrame:
    st = _csv("staff")
    st["age"] = st["age"].astype(int)
    st["experience_years"] = st["experience_years"].astype(int)
    start = pd.to_datetime(st["period"].str[:4] + "-09-01")
    end = pd.to_datetime(st["period"].str[5:] + "-08-31")
    for column in ("pk_date", "retraining_date"):
        d = pd.to_datetime(st[column])
        st[column + "_in"] = (d >= start) & (d <= end)
        st[column + "_3y"] = (d >= start - pd.DateOffset(years=2)) & (d <= end)
    return st


def _muni(results: pd.DataFrame, indicator: str) -> pd.Series:
    rows = results[
        (results["indicator"] == indicator)
        & (results["level"] == "municipality")
        & results["breakdown"].isna()
    ]
    return rows.set_index(rows["period"].astype(str))["value"]


def _share(frame: pd.DataFrame, population: pd.Series, numerator: pd.Series, key: str) -> pd.Series:
    """Σ distinct keys satisfying both / Σ distinct keys of the population, per period, in %."""
    pop = frame[population]
    den = pop.groupby("period")[key].nunique()
    num = pop[numerator[population]].groupby("period")[key].nunique()
    return (100 * num.reindex(den.index, fill_value=0) / den).astype(float)


# --------------------------------------------------------------------------- registration


def test_registered_through_its_entry_point(profile: pedprof.Profile) -> None:
    assert profile.distribution == "pedprof-petrovsk"
    assert profile.info.period_kind is PeriodKind.SCHOOL_YEAR
    assert profile.info.region == "Саратовская область"
    assert [p for p in pedprof.plugin_problems() if "petrovsk" in p.distribution] == []
    main_ids = [i.id for i in profile.indicators if i.reading_of is None]
    assert main_ids == ["p1", "p2", "p3", "p4", "p5", "p6"]


def test_six_names_verbatim(profile: pedprof.Profile) -> None:
    names = [i.name for i in profile.indicators if i.reading_of is None]
    assert names == [
        "Доля педагогическихработников и управленческих кадров, повысивших квалификацию, "
        "прошедших курсы повышения квалификации и профессиональную переподготовку.",
        "Доля педагогических работников в возрасте до 35 лет, участвующих в различных формах "
        "поддержки и сопровождения в первые 3 года работы.",
        "Доля педагогических работников и управленческих кадров, принявших участие в конкурсах "
        "профессионального мастерства на различных уровнях.",
        "Доля образовательных организаций, принявших участие в профессиональных конкурсах на "
        "различных уровнях.",
        "Доля образовательных организаций, представивших актуальный опыт деятельности "
        "(различные уровни).",
        "Доля педагогов-тьюторов, экспертов, членов жюри (различные уровни).",
    ]
    for ind in profile.indicators:
        assert ind.numerator_text and ind.denominator_text and ind.decisions
        assert ind.collection_method is not None
        assert ind.collection_method.startswith("данные мониторинга;")
    # shares of organisations, not of people
    assert profile.indicator("p4").distinct == profile.indicator("p5").distinct == "org_id"


def test_no_targets_and_no_target_status(profile: pedprof.Profile, results: pd.DataFrame) -> None:
    assert dict(profile.targets) == {}
    assert results["target"].isna().all()
    assert results["target_met"].isna().all()
    assert not results["target_due"].any()


def test_monitoring_at_least_once_a_year(profile: pedprof.Profile) -> None:
    (activity,) = profile.monitoring_activities
    assert activity.period_text == "Мониторинг проводится не реже одного раза в год."
    assert activity.frequency == "annual"
    assert profile.info.approved_by is not None
    assert profile.info.approved_by.number == "326-ОД"


def test_structure_is_data_and_the_docs_fragment_is_current() -> None:
    s = structure()
    assert [lv["level"] for lv in s["levels"]] == [
        "Муниципальный уровень",
        "Уровень образовательной организации",
    ]
    subjects = [sub["subject"] for lv in s["levels"] for sub in lv["subjects"]]
    assert subjects[0] == "МКУ «Методико-правовой центр»"
    assert all(sub["functions"] for lv in s["levels"] for sub in lv["subjects"])
    fragment = ROOT / "docs" / "structure.md"
    assert fragment.read_text("utf-8") == structure_markdown(), (
        "regenerate: uv run python profiles/petrovsk/scripts/render_docs.py"
    )
    assert any(g["term"].startswith("Управленческие кадры") for g in glossary())


# --------------------------------------------------------------------------- values


def test_p1_training_in_the_period(results: pd.DataFrame, staff: pd.DataFrame) -> None:
    pop = staff["category"].isin(["teacher", "manager"])
    num = staff["pk_date_in"] | staff["retraining_date_in"]
    expected = _share(staff, pop, num, "person_id")
    pd.testing.assert_series_equal(_muni(results, "p1").sort_index(), expected, check_names=False)
    num3 = staff["pk_date_3y"] | staff["retraining_date_3y"]
    expected3 = _share(staff, pop, num3, "person_id")
    got3 = _muni(results, "p1.three_years").sort_index()
    pd.testing.assert_series_equal(got3, expected3, check_names=False)


def test_p2_young_teachers(results: pd.DataFrame, staff: pd.DataFrame) -> None:
    pop = (staff["category"] == "teacher") & (staff["age"] < 35) & (staff["experience_years"] < 3)
    expected = _share(staff, pop, _yes(staff, "support_forms"), "person_id")
    pd.testing.assert_series_equal(_muni(results, "p2").sort_index(), expected, check_names=False)
    d04 = results[
        (results["indicator"] == "p2")
        & (results["unit"] == "pmr_d04")
        & results["breakdown"].isna()
    ]
    assert (d04["state"] == "not_applicable").all()  # no young teachers: n/a, not 0 %


@pytest.mark.parametrize("indicator", ["p3", "p6"])
def test_p3_p6_any_level_and_each_level(
    results: pd.DataFrame, staff: pd.DataFrame, indicator: str
) -> None:
    prefix, categories = {"p3": ("contest", ["teacher", "manager"]), "p6": ("role", ["teacher"])}[
        indicator
    ]
    pop = staff["category"].isin(categories)
    any_level = np.logical_or.reduce([_yes(staff, f"{prefix}_{lv}") for lv in LEVELS])
    expected = _share(staff, pop, pd.Series(any_level, index=staff.index), "person_id")
    pd.testing.assert_series_equal(
        _muni(results, indicator).sort_index(), expected, check_names=False
    )
    for level in LEVELS:
        exp = _share(staff, pop, _yes(staff, f"{prefix}_{level}"), "person_id")
        got = _muni(results, f"{indicator}.{level}").sort_index()
        pd.testing.assert_series_equal(got, exp, check_names=False)
        # the denominator is the same at every level: the whole staff (or all teachers)
        den = results[
            (results["indicator"] == f"{indicator}.{level}") & (results["level"] == "municipality")
        ]["denominator"].to_numpy()
        full = results[(results["indicator"] == indicator) & (results["level"] == "municipality")]
        assert (den == full["denominator"].to_numpy()).all()


@pytest.mark.parametrize(("indicator", "prefix"), [("p4", "contest"), ("p5", "experience")])
def test_p4_p5_shares_of_organisations(results: pd.DataFrame, indicator: str, prefix: str) -> None:
    act = _csv("org_activity")
    any_level = pd.Series(
        np.logical_or.reduce([_yes(act, f"{prefix}_{lv}") for lv in LEVELS]), index=act.index
    )
    everyone = pd.Series(True, index=act.index)
    expected = _share(act, everyone, any_level, "org_id")
    pd.testing.assert_series_equal(
        _muni(results, indicator).sort_index(), expected, check_names=False
    )
    # 12 organisations, 11 in 2023-2024 (pmr_s07 submitted nothing)
    den = results[(results["indicator"] == indicator) & (results["level"] == "municipality")]
    assert den.set_index(den["period"].astype(str))["denominator"].to_dict() == {
        "2021-2022": 12.0,
        "2022-2023": 12.0,
        "2023-2024": 11.0,
    }
    s07 = results[
        (results["indicator"] == indicator)
        & (results["unit"] == "pmr_s07")
        & (results["period"] == "2023-2024")
    ]
    assert (s07["state"] == "no_data").all()


def test_a_person_in_two_organisations_is_counted_once(
    results: pd.DataFrame, staff: pd.DataFrame
) -> None:
    shared = staff[staff["person_id"] == "t0900"]
    assert set(shared["org_id"]) == {"pmr_s02", "pmr_u01"}
    org_rows = results[
        (results["indicator"] == "p1")
        & (results["level"] == "organization")
        & (results["period"] == "2021-2022")
    ]
    muni = results[
        (results["indicator"] == "p1")
        & (results["level"] == "municipality")
        & (results["period"] == "2021-2022")
    ]
    assert org_rows["denominator"].sum() == muni["denominator"].iloc[0] + 1


# --------------------------------------------------------------------------- own targets


def _example_module() -> ModuleType:
    path = EXAMPLE / "src" / "petrovsk_targets" / "__init__.py"
    spec = importlib.util.spec_from_file_location("petrovsk_targets_example", path)
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def test_a_municipality_adds_its_own_targets_without_forking(staff: pd.DataFrame) -> None:
    pm = pedprof.get_plugin_manager()
    pm.register(_example_module(), name="petrovsk_targets")
    prof = pedprof.get_profile(PROFILE, plugin_manager=pm)
    assert set(prof.targets) == {"p1.three_years", "p2", "p3"}
    assert isinstance(prof.targets["p2"], AtLeast)
    assert pedprof.plugin_problems(plugin_manager=pm) == []
    res = pedprof.compute(prof, pedprof.load_sample(PROFILE), levels=["municipality"])
    p2 = res[(res["indicator"] == "p2") & res["breakdown"].isna()]
    p2 = p2.set_index(p2["period"].astype(str))
    pop = (staff["category"] == "teacher") & (staff["age"] < 35) & (staff["experience_years"] < 3)
    expected = _share(staff, pop, _yes(staff, "support_forms"), "person_id")
    # «к 2024 году – не менее 70 %»: due in 2023-2024 only, met iff the value ≥ 70
    assert p2["target_due"].to_dict() == {"2021-2022": False, "2022-2023": False, "2023-2024": True}
    for period in PERIODS:
        assert bool(p2.loc[period, "target_met"]) is bool(expected[period] >= 70)
    p3 = res[(res["indicator"] == "p3") & res["breakdown"].isna()]
    p3 = p3.set_index(p3["period"].astype(str))
    assert pd.isna(p3.loc["2021-2022", "target_met"])  # nothing to compare with
    assert bool(p3.loc["2023-2024", "target_met"]) is bool(
        p3.loc["2023-2024", "value"] > p3.loc["2022-2023", "value"]
    )


def _uv() -> list[str]:
    """The command that runs uv, found as the repository's ``run.py`` finds it."""
    spec = importlib.util.spec_from_file_location("pedprof_run_py", ROOT.parents[1] / "run.py")
    assert spec is not None and spec.loader is not None
    run = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(run)
    command: list[str] = run.find_uv()
    return command


@pytest.mark.slow
def test_the_example_plugin_installs_and_is_found(tmp_path: Path) -> None:
    target = tmp_path / "site"
    subprocess.run(
        [*_uv(), "pip", "install", "--quiet", "--no-deps", "--target", str(target), str(EXAMPLE)],
        check=True,
        capture_output=True,
        env={**os.environ, "UV_NO_PROGRESS": "1"},
    )
    code = "import pedprof; print(sorted(pedprof.get_profile('petrovsk').targets))"
    env = {**os.environ, "PYTHONPATH": str(target)}
    out = subprocess.run(
        [sys.executable, "-c", code], check=True, capture_output=True, text=True, env=env
    )
    assert out.stdout.strip() == "['p1.three_years', 'p2', 'p3']"


# --------------------------------------------------------------------------- sample and CLI


def test_sample_is_reproducible() -> None:
    script = ROOT / "scripts" / "make_sample.py"
    spec = importlib.util.spec_from_file_location("make_petrovsk_sample", script)
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    for name, frame in (("staff", module.staff()), ("org_activity", module.org_activity())):
        fresh = frame.astype(str).replace({"": np.nan})
        pd.testing.assert_frame_equal(fresh, _csv(name), check_dtype=False)


def test_demo_runs(tmp_path: Path) -> None:
    out = tmp_path / "p.xlsx"
    result = CliRunner().invoke(main, ["demo", "--profile", PROFILE, "-o", str(out)])
    assert result.exit_code == 0, result.output
    assert "Петровский муниципальный район" in result.output
    assert out.exists()


def _norm(text: str) -> str:
    text = re.sub(r"[\uf000-\uf0ff]", " ", text)
    text = re.sub(r"\s+", " ", text)
    return re.sub(r"(\w)- (\w)", r"\1-\2", text).strip()


@pytest.mark.skipif(not SEED.exists(), reason="the seed text is not next to the repository")
def test_verbatim_strings_occur_in_the_seed() -> None:
    seed = _norm(SEED.read_text("utf-8"))
    declared = yaml.safe_load((DATA.parent / "profile.yaml").read_text("utf-8"))
    strings = list(dict.fromkeys(row["name"] for row in declared["indicators"]))
    mon = yaml.safe_load((DATA / "monitoring.yaml").read_text("utf-8"))
    strings += [*mon["methods"], mon["frequency"], mon["follow_up"], mon["heading"]]
    mech = yaml.safe_load((DATA / "mechanism.yaml").read_text("utf-8"))
    strings += [mech["goal"], *mech["tasks"], *mech["principles"], mech["document"]["title"]]
    s = structure()
    strings += [s["title"], s["composition"]]
    for level in s["levels"]:
        strings += [level["level"]] + [sub["subject"] for sub in level["subjects"]]
        strings += [f for sub in level["subjects"] for f in sub["functions"]]
    strings += [g["definition"] for g in glossary()]
    missing = [x for x in strings if _norm(x) not in seed]
    assert missing == []
    assert len(strings) > 80


def test_recommendation_rules_follow_the_dynamics(profile: pedprof.Profile) -> None:
    from pedprof.evaluate.analysis import analyze
    from pedprof.evaluate.recommendations import recommend

    act = _csv("org_activity")
    any_contest = np.logical_or.reduce([_yes(act, f"contest_{lv}") for lv in LEVELS])
    share = pd.Series(any_contest, index=act.index).groupby(act["period"]).mean()
    assert share["2023-2024"] < share["2022-2023"]  # the sample's p4 falls in 2023-2024
    recs = recommend(analyze(profile, pedprof.load_sample(PROFILE), period="2023-2024"))
    org = [r for r in recs if r.rule == "organizations"]
    assert org and any("p4" in (r.indicator or "") for r in org)
    assert all(r.addressee == "МКУ «Методико-правовой центр»" for r in org)


def test_the_declaration_file_keeps_the_verbatim_texts_of_the_data_files(
    profile: pedprof.Profile,
) -> None:
    """``profile.yaml`` repeats the analyst's verbatim texts (``data/*.yaml``, checked against
    the seed above): the two must not drift apart."""
    mech = yaml.safe_load((DATA / "mechanism.yaml").read_text("utf-8"))
    mon = yaml.safe_load((DATA / "monitoring.yaml").read_text("utf-8"))
    info = profile.info
    assert info.mechanism is not None and info.approved_by is not None
    assert info.mechanism.goal == mech["goal"]
    assert list(info.mechanism.tasks) == mech["tasks"]
    assert info.mechanism.title == mech["concept_title"]
    assert [d.title for d in info.mechanism.justification] == mech["legal_basis"]
    assert list(info.mechanism.criteria) == [(c["id"], c["name"]) for c in mech["criteria"]]
    assert info.approved_by.title == f"«{mech['document']['title']}»"
    assert info.approved_by.number == mech["document"]["number"]
    assert info.campaign is not None and info.campaign.goal == mon["follow_up"]
    assert info.campaign.description == f"{mon['frequency']} {mon['follow_up']}"
    methods = " ".join(mon["methods"])
    assert {i.collection_method for i in profile.indicators} == {methods}
    (activity,) = profile.monitoring_activities
    assert activity.period_text == mon["frequency"]
    assert activity.notes[-1] == "Методы сбора информации и инструменты оценки: " + methods
