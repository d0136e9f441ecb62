"""The Magnitogorsk profile as an installed plugin, against plain-pandas reference values.

Every expected value is worked out here from the sample CSV files with plain pandas (or by
hand from the presentation), never by calling the engine.
"""

from __future__ import annotations

import importlib.util
import re
from importlib import resources
from pathlib import Path

import numpy as np
import pandas as pd
import pytest
import yaml
from click.testing import CliRunner
from pedprof_magnitogorsk import gpo_dynamics, management_decisions, recommendations

import pedprof
from pedprof import CycleComponent, PeriodKind, Stable
from pedprof.cli import main
from pedprof.evaluate.analysis import analyze
from pedprof.evaluate.recommendations import recommend

PROFILE = "magnitogorsk"
HERE = Path(__file__).resolve().parent
SAMPLE = resources.files("pedprof_magnitogorsk") / "data" / "sample"
DATA = resources.files("pedprof_magnitogorsk") / "data"
SEED = HERE.parents[2].parent / "shared" / "seeds" / "000_ce6c7a676cd60291.txt"
FUNCTIONING = ["functioning", "opened", "transformed"]
PERIODS = ["2018-2019", "2019-2020", "2020-2021", "2021-2022"]


def _csv(name: str) -> pd.DataFrame:
    with (SAMPLE / f"{name}.csv").open("rb") as fh:
        return pd.read_csv(fh, dtype=str, keep_default_na=False, na_values=[""])


def _yaml(name: str) -> object:
    return yaml.safe_load((DATA / f"{name}.yaml").read_text("utf-8"))


@pytest.fixture(scope="module")
def profile() -> pedprof.Profile:
    return pedprof.get_profile(PROFILE)


@pytest.fixture(scope="module")
def data() -> pedprof.Dataset:
    return pedprof.load_sample(PROFILE)


@pytest.fixture(scope="module")
def results(profile: pedprof.Profile, data: pedprof.Dataset) -> pd.DataFrame:
    return pedprof.compute(profile, data)


def _muni(results: pd.DataFrame, indicator: str, breakdown: str | None = None) -> pd.DataFrame:
    rows = results[(results["indicator"] == indicator) & (results["level"] == "municipality")]
    rows = (
        rows[rows["breakdown"].isna()]
        if breakdown is None
        else rows[rows["breakdown"] == breakdown]
    )
    return rows.set_index(rows["period"].astype(str)).sort_index()


# --------------------------------------------------------------------------- registration


def test_registered_through_its_entry_point(profile: pedprof.Profile) -> None:
    assert profile.distribution == "pedprof-magnitogorsk"
    assert profile.info.period_kind is PeriodKind.SCHOOL_YEAR
    assert [p for p in pedprof.plugin_problems() if "magnitogorsk" in p.distribution] == []
    assert [i.id for i in profile.indicators] == ["m01", "m02", "m03", "m04", "m05"]


def test_indicator_words_are_verbatim(profile: pedprof.Profile) -> None:
    m01, m02 = profile.indicator("m01"), profile.indicator("m02")
    assert m01.name == (
        "Количество городских профессиональных объединений, сопровождаемых на муниципальном уровне"
    )
    assert (
        m02.name == "Количество городских ресурсных центров, сопровождаемых на муниципальном уровне"
    )
    for ind in (m01, m02):
        assert ind.collection_method == (
            "Изучение данных приказов управления образования (Контент-анализ документов)"
        )
        assert ind.processing_method == "Подсчет данных и выявление соответствия"
    assert profile.criterion_name("c1") == (
        "Реализация сетевого взаимодействия педагогов (методических объединений, "
        "профессиональных сообществ педагогов) на муниципальном уровне"
    )


def test_planned_effect_is_a_stable_target(profile: pedprof.Profile) -> None:
    (effect,) = profile.planned_effects
    assert effect.indicators == ("m01",)
    assert effect.strong_state.startswith("В муниципалитете действует устойчивое количество ГПО")
    target = profile.targets["m01"]
    assert isinstance(target, Stable) and target.tolerance == 0
    # «В муниципалитете … устойчивое количество ГПО, в т.ч. ШМП и ПТГ»: one count, the
    # municipality's total
    assert target.levels == ("municipality",) and target.total_only
    assert target.text == effect.strong_state
    assert set(profile.targets) == {"m01"}


def test_monitoring_activities_9_and_10(profile: pedprof.Profile) -> None:
    by_number = {a.number: a for a in profile.monitoring_activities}
    assert set(by_number) == {9, 10}
    a9, a10 = by_number[9], by_number[10]
    assert (
        a9.name
        == "Проведение анализа данных приказов управления образования на предмет количества ГПО"
    )
    assert a9.type == "variative" and a9.period_text == "август сентябрь" and a9.months == (8, 9)
    assert a9.responsible == "МУ ДПО «ЦПКИМР» г. Магнитогорска"
    assert a9.output_document == (
        "Информационно-аналитическая справка о деятельности ГПО за отчетный период, в т.ч. ПТГ"
    )
    assert a10.name == "Мониторинг страниц сайтов РЦ на предмет размещения необходимой информации"
    # the conflict is kept and decided: printed «ежеквартально», checked yearly in September
    assert a10.period_text == "ежеквартально"
    assert a10.frequency == "annual" and a10.months == (9,)
    assert any("Принятое решение" in n for n in a10.notes)


def test_every_cycle_component_has_a_document(profile: pedprof.Profile) -> None:
    covered = {c for d in profile.documents for c in d.components}
    assert covered == set(CycleComponent)
    titles = {d.title for d in profile.documents}
    assert "Самообследование МУ ДПО «ЦПКИМР»" in titles
    ias = next(
        d
        for d in profile.documents
        if d.title.startswith("Информационно-аналитическая справка об итогах")
    )
    assert set(ias.components) == {
        CycleComponent.ANALYSIS,
        CycleComponent.TARGETED_RECOMMENDATIONS,
    }
    assert profile.info.approved_by is not None
    assert profile.info.approved_by.number == "УО-04/519"


def test_recommendations_for_gpo_leaders_are_data() -> None:
    (rec_set,) = recommendations()
    assert rec_set["addressee"] == "Рекомендации для руководителей ГПО:"
    assert [i["text"] for i in rec_set["items"]] == [
        "выявить и проанализировать профессиональные дефициты педагогов-участников ГПО, "
        "включить в план работы ГПО мероприятия по их устранению;",
        "обеспечить преемственность отчетов ГПО 2020-2021 учебного года и планов 2021-2022 "
        "учебного года",
    ]
    assert [d["number"] for d in management_decisions()] == list(range(1, 9))


# --------------------------------------------------------------------------- values


def test_m01_counts_and_the_stated_dynamics(results: pd.DataFrame) -> None:
    a = _csv("associations")
    counted = a[a["status"].isin(FUNCTIONING)]
    expected = counted.groupby("period")["association_id"].nunique()
    got = _muni(results, "m01")
    assert got["value"].to_dict() == expected.astype(float).to_dict()
    # the presentation: +5 in 2019-2020 against 2018-2019, −1 in 2020-2021
    change = got["value"].diff()
    assert change["2019-2020"] == 5
    assert change["2020-2021"] == -1
    assert got.loc["2018-2019", "value"] == 30  # worked out by hand: 24 ГМО + 3 ШМП + 3 ПТГ


def test_m01_breakdown_by_kind(results: pd.DataFrame) -> None:
    a = _csv("associations")
    counted = a[a["status"].isin(FUNCTIONING)]
    expected = counted.groupby(["period", "kind"])["association_id"].nunique()
    for (period, kind), n in expected.items():
        assert _muni(results, "m01", kind).loc[period, "value"] == n
    # no ГПО before the transition, no ГМО after it (0, not «no data»)
    assert _muni(results, "m01", "gpo").loc["2018-2019", "value"] == 0
    assert _muni(results, "m01", "gmo").loc["2019-2020", "value"] == 0


def test_m01_per_host_organisation(results: pd.DataFrame) -> None:
    a = _csv("associations")
    orgs = _csv("organizations")
    counted = a[a["status"].isin(FUNCTIONING)]
    per_org = counted.groupby(["org_id", "period"])["association_id"].nunique()
    full = pd.MultiIndex.from_product([orgs["org_id"], PERIODS], names=["org_id", "period"])
    expected = per_org.reindex(full, fill_value=0).astype(float)
    rows = results[
        (results["indicator"] == "m01")
        & (results["level"] == "organization")
        & results["breakdown"].isna()
    ]
    got = rows.set_index([rows["unit"].astype(str), rows["period"].astype(str)])["value"]
    got.index.names = ["org_id", "period"]
    pd.testing.assert_series_equal(got.sort_index(), expected.sort_index(), check_names=False)


def test_stable_target_of_the_planned_effect(results: pd.DataFrame) -> None:
    got = _muni(results, "m01")
    met = got["target_met"]
    assert pd.isna(met["2018-2019"])  # nothing to compare with
    assert bool(met["2019-2020"]) is True  # 35 ≥ 30
    assert bool(met["2020-2021"]) is False  # 34 < 35: the merger of two sections
    assert bool(met["2021-2022"]) is True  # 34 ≥ 34
    assert got["target"].tolist()[1:] == [30.0, 35.0, 34.0]
    assert got["target_due"].tolist() == [True, True, True, True]


def test_stable_target_is_judged_on_the_municipal_total_only(results: pd.DataFrame) -> None:
    m01 = results[results["indicator"] == "m01"]
    judged = (m01["level"] == "municipality") & m01["breakdown"].isna()
    outside = m01[~judged.to_numpy()]
    # every kind of association, every host organisation and the region: not judged
    assert len(outside) and outside["target_met"].isna().all()
    assert outside["target"].isna().all() and not outside["target_due"].any()
    assert set(outside["level"].astype(str)) == {"organization", "municipality", "region"}
    # worked out by hand from the sample: the 24 ГМО of 2018-2019 became ГПО in 2019-2020
    # (ГМО 24 → 0, ГПО 0 → 27, ШМП 3 → 4, ПТГ 3 → 4; in all 30 → 35, the «рост числа ГПО
    # на пять»); the fall of the ГМО is not a decline of the count
    gmo = _muni(results, "m01", "gmo")
    assert gmo.loc["2019-2020", ["previous_value", "value"]].tolist() == [24.0, 0.0]
    assert pd.isna(gmo.loc["2019-2020", "target_met"])
    total = _muni(results, "m01")
    assert total.loc["2019-2020", ["previous_value", "value"]].tolist() == [30.0, 35.0]
    assert bool(total.loc["2019-2020", "target_met"]) is True
    # the rule as a methodologist reads it
    assert (
        pedprof.get_profile(PROFILE)
        .targets["m01"]
        .describe()
        .endswith("(только на уровне муниципалитета; по итоговому значению, без разбивки)")
    )


def test_resource_centres_and_site_checks(results: pd.DataFrame) -> None:
    rc = _csv("resource_centres")
    on = rc[rc["status"].isin(["functioning", "opened"])]
    assert _muni(results, "m02")["value"].to_dict() == (
        on.groupby("period")["rc_id"].nunique().astype(float).to_dict()
    )
    checked = on[on["check_date"].notna()]
    ok = (checked["programme_posted"] == "True") & (checked["plan_posted"] == "True")
    share = 100 * ok.groupby(checked["period"]).sum() / checked.groupby("period")["rc_id"].nunique()
    m03 = _muni(results, "m03")
    for period in PERIODS:
        if period in share.index:
            assert m03.loc[period, "value"] == pytest.approx(share[period])
            assert m03.loc[period, "state"] == "value"
        else:  # no programme 2020–2023 to check before 2020-2021: not applicable, not 0 %
            assert m03.loc[period, "state"] == "not_applicable"
    assert m03.loc["2020-2021", "value"] == pytest.approx(100 * 5 / 7)  # by hand: rc3, rc6 fail


@pytest.mark.parametrize(
    ("indicator", "column"), [("m04", "plan_posted"), ("m05", "report_posted")]
)
def test_gpo_plan_report_checks(results: pd.DataFrame, indicator: str, column: str) -> None:
    a = _csv("associations")
    checked = a[a["status"].isin(FUNCTIONING) & a[column].notna()]
    share = 100 * (checked[column] == "True").groupby(checked["period"]).mean()
    got = _muni(results, indicator)
    assert got.loc["2018-2019", "state"] == "not_applicable"
    for period, value in share.items():
        assert got.loc[period, "value"] == pytest.approx(value)


def test_gpo_dynamics_carries_the_reasons_as_data(data: pedprof.Dataset) -> None:
    dyn = gpo_dynamics(data).set_index("period")
    assert dyn.loc["2019-2020", "change"] == 5
    assert dyn.loc["2020-2021", "change"] == -1
    assert np.isnan(dyn.loc["2018-2019", "change"])
    assert (dyn.loc["2019-2020", ["opened", "transformed"]] == [5, 24]).all()
    assert dyn.loc["2020-2021", "merged"] == 1
    stated = {d["to"]: d["reasons"] for d in _yaml("planned_effects")["dynamics"]}  # type: ignore[index]
    for period, reasons in stated.items():
        for reason in reasons:
            assert reason in dyn.loc[period, "reasons"]
    # and the reasons come from the association rows, not from code
    a = _csv("associations")
    merged = a[a["status"] == "merged"]
    assert merged["reason"].tolist() == [dyn.loc["2020-2021", "reasons"]]


# --------------------------------------------------------------------------- recommendations


def test_recommendation_rules(profile: pedprof.Profile, data: pedprof.Dataset) -> None:
    analysis = analyze(profile, data, period="2020-2021")
    recs = {r.rule: r for r in recommend(analysis)}
    assert set(recs) == {"gpo_deficits", "gpo_continuity", "rc_sites", "gpo_count"}
    assert recs["gpo_deficits"].addressee == "Руководителям ГПО"
    a = _csv("associations")
    year = a[(a["period"] == "2020-2021") & a["status"].isin(FUNCTIONING)]
    missing = year[(year["plan_posted"] == "False") | (year["report_posted"] == "False")]
    names = _csv("organizations").set_index("org_id")["name"]
    assert set(recs["gpo_continuity"].unit_names) == set(names[missing["org_id"].unique()])
    rc = _csv("resource_centres")
    rc_year = rc[rc["period"] == "2020-2021"]
    bad = rc_year[(rc_year["programme_posted"] == "False") | (rc_year["plan_posted"] == "False")]
    assert set(recs["rc_sites"].unit_names) == set(names[bad["org_id"].unique()])
    later = {r.rule for r in recommend(analyze(profile, data, period="2021-2022"))}
    assert "gpo_count" not in later  # 34 → 34: the effect holds


# --------------------------------------------------------------------------- sample and CLI


def test_sample_is_reproducible() -> None:
    script = HERE.parent / "scripts" / "make_sample.py"
    spec = importlib.util.spec_from_file_location("make_magnitogorsk_sample", script)
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    for name, frame in (
        ("associations", module.associations()),
        ("resource_centres", module.resource_centres()),
    ):
        fresh = frame.astype(str).replace({"": np.nan})
        stored = _csv(name)
        pd.testing.assert_frame_equal(fresh.reset_index(drop=True), stored, check_dtype=False)


def test_demo_runs(tmp_path: Path) -> None:
    out = tmp_path / "m.xlsx"
    result = CliRunner().invoke(main, ["demo", "--profile", PROFILE, "-o", str(out)])
    assert result.exit_code == 0, result.output
    assert "Магнитогорский городской округ" in result.output
    assert out.exists()


def _norm(text: str) -> str:
    text = text.replace("\uf0a7", " ").replace("•", " ")
    text = re.sub(r"\s+", " ", text)
    text = re.sub(r"(\w)- (\w)", r"\1-\2", text)  # words hyphenated at a line end
    return text.replace("ежекварта льно", "ежеквартально").strip()


@pytest.mark.skipif(not SEED.exists(), reason="the seed text is not next to the repository")
def test_verbatim_strings_occur_in_the_seed() -> None:
    seed = _norm(SEED.read_text("utf-8"))
    strings: list[str] = []
    for ind in _yaml("indicators"):  # type: ignore[union-attr]
        if not ind.get("composed"):
            strings.append(ind["name"])
        strings += [
            ind.get(k)
            for k in ("name_section_II", "collection_method", "processing_method", "wording_from")
            if ind.get(k)
        ]
    mon = _yaml("monitoring")
    for act in mon["activities"]:  # type: ignore[index]
        strings += [act["name"], act["period_text"], act["responsible"], act["output_document"]]
    strings += mon["gpo_order"]["appendix_4_items"] + [mon["rc_order"]["item_5_2"]]  # type: ignore[index]
    docs = _yaml("documents")
    strings += [d["title"] for d in docs["registry"] + docs["chain"] if not d.get("composed")]  # type: ignore[index,operator]
    strings += [x["text"] for d in docs["chain"] for x in d.get("decisions", [])]  # type: ignore[index]
    eff = _yaml("planned_effects")
    strings += [eff["rows"][0]["text"], eff["dynamics_text"]]  # type: ignore[index]
    mech = _yaml("mechanism")
    strings += [mech["goal"]] + [d["text"] for d in mech["justification_documents"]]  # type: ignore[index]
    strings += [c["name"] for c in mech["criteria"]]  # type: ignore[index]
    rec = _yaml("recommendations")["sets"][0]  # type: ignore[index]
    strings += [rec["title"], rec["addressee"]] + [i["text"] for i in rec["items"]]
    missing = [s for s in strings if _norm(s) not in seed]
    assert missing == []
    assert len(strings) > 60


def test_docs_fragment_is_current() -> None:
    from pedprof_magnitogorsk import cycle_markdown

    fragment = HERE.parent / "docs" / "cycle.md"
    assert fragment.read_text("utf-8") == cycle_markdown(), (
        "regenerate: uv run python profiles/magnitogorsk/scripts/render_docs.py"
    )
    for component in CycleComponent:
        assert f"| {component.label} |" in fragment.read_text("utf-8")


def test_the_declaration_file_keeps_the_verbatim_texts_of_the_data_files(
    profile: pedprof.Profile,
) -> None:
    """``profile.yaml`` repeats the analyst's verbatim texts (``data/*.yaml``, checked against
    the seed above): the two must not drift apart."""
    from pedprof_magnitogorsk import cycle_documents

    mech = _yaml("mechanism")
    mon = _yaml("monitoring")
    info = profile.info
    assert info.mechanism is not None and info.campaign is not None
    assert info.mechanism.title == mech["title"]  # type: ignore[index]
    assert info.mechanism.goal == mech["goal"]  # type: ignore[index]
    assert list(info.mechanism.criteria) == [
        (c["id"], c["name"])
        for c in mech["criteria"]  # type: ignore[index]
    ]
    assert [d.number for d in info.mechanism.justification] == [
        d["number"]
        for d in mech["justification_documents"]  # type: ignore[index]
    ]
    assert info.campaign.title == mon["campaign"]["title"]  # type: ignore[index]
    assert [d.id for d in info.campaign.deadlines] == [
        c["id"]
        for c in mon["campaign"]["calendar"]  # type: ignore[index]
    ]
    by_id = {a["id"]: a for a in mon["activities"]}  # type: ignore[index]
    for activity in profile.monitoring_activities:
        assert activity.name == by_id[activity.id]["name"]
        assert list(activity.notes) == by_id[activity.id]["notes"]
    words = {row["id"]: row for row in _yaml("indicators")}  # type: ignore[union-attr]
    for ind in profile.indicators:
        assert ind.name == words[ind.id]["name"]
    # the registry of the cycle documents (with the grouping the docs page reads) is the
    # file's, in the same order
    assert profile.documents[: len(cycle_documents())] == cycle_documents()


def test_the_status_constants_are_the_file_s(profile: pedprof.Profile) -> None:
    from pedprof_magnitogorsk.sources import FUNCTIONING, RC_FUNCTIONING

    m01, m02 = profile.indicator("m01"), profile.indicator("m02")
    assert m01.population == pedprof.col("status").isin(FUNCTIONING)
    assert m02.population == pedprof.col("status").isin(RC_FUNCTIONING)
