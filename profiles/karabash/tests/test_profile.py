"""The Karabash profile as an installed plugin, through the helpers any profile can use."""

from __future__ import annotations

from importlib import resources
from typing import Any

import yaml

import pedprof
from pedprof.testing import assert_profile_is_sound, assert_sample_computes, distinct_share


def test_profile_is_sound() -> None:
    assert_profile_is_sound("karabash")


def test_sample_computes() -> None:
    results = assert_sample_computes("karabash")
    data = pedprof.load_sample("karabash")
    staff = data.table("staff")
    ref = distinct_share(
        staff, staff["category"] == "teacher", staff["contest"].astype(bool), by=["period"]
    )
    muni = results[(results["indicator"] == "k08") & (results["level"] == "municipality")]
    assert muni["numerator"].tolist() == ref["numerator"].astype(float).tolist()


def test_every_indicator_keeps_its_verbatim_texts() -> None:
    # the declaration file repeats the analyst's verbatim texts (data/indicators.yaml)
    raw = resources.files("pedprof_karabash").joinpath("data/indicators.yaml").read_text("utf-8")
    texts = {row["id"]: row for row in yaml.safe_load(raw)}
    profile = pedprof.get_profile("karabash")
    for ind in profile.indicators:
        t = texts[ind.id.split(".")[0]]
        assert ind.name == t["name"]
        assert ind.criterion == t["criterion"]
        assert ind.collection_method == t["collection_method"]
        target = profile.targets.get(ind.id)
        if target is not None:
            assert target.text == t["target_text"]


def test_all_24_indicators_with_criteria_from_the_order() -> None:
    profile = pedprof.get_profile("karabash")
    base = [i for i in profile.indicators if i.reading_of is None]
    assert len(base) == 24
    mechanism = profile.info.mechanism
    assert mechanism is not None
    assert len(mechanism.criteria) == 7
    assert {i.criterion for i in base} == {c for c, _ in mechanism.criteria}
    # k05's processing method cell is empty in Раздел II; k24 is only in приложение 3
    assert profile.indicator("k05").processing_method is None
    assert profile.indicator("k24").collection_method is None


def test_monitoring_campaign_deadlines() -> None:
    campaign = pedprof.get_profile("karabash").info.campaign
    assert campaign is not None
    assert [s.label for s in campaign.stages] == [
        "начальный этап",
        "основной этап",
        "заключительный этап",
    ]
    submission = campaign.deadline("submission")
    assessment = campaign.deadline("assessment")
    assert (submission.month, submission.day) == (8, 5)
    assert (assessment.month, assessment.day) == (8, 15)
    assert str(submission.date_for(2024)) == "2024-08-05"


def _data(name: str) -> Any:
    raw = resources.files("pedprof_karabash").joinpath(f"data/{name}.yaml").read_text("utf-8")
    return yaml.safe_load(raw)


def test_the_declaration_file_keeps_the_verbatim_texts_of_the_data_files() -> None:
    """``profile.yaml`` repeats the analyst's verbatim texts (``data/*.yaml``): the two must
    not drift apart."""
    profile = pedprof.get_profile("karabash")
    mech, mon = _data("mechanism"), _data("monitoring")
    info = profile.info
    assert info.mechanism is not None and info.campaign is not None
    assert info.approved_by is not None and info.approved_by.title == mech["document"]["title"]
    assert info.mechanism.goal == mech["goal"] and list(info.mechanism.tasks) == mech["tasks"]
    assert list(info.mechanism.criteria) == [(c["id"], c["name"]) for c in mech["criteria"]]
    assert [d.title for d in info.mechanism.justification] == [
        d["title"] for d in mech["justification_documents"]
    ]
    assert info.campaign.title == mon["title"] and info.campaign.goal == mon["goal"]
    assert [(s.number, s.label, s.content) for s in info.campaign.stages] == [
        (s["no"], s["label"], s["content"]) for s in mon["stages"]
    ]
    assert [(d.id, d.month, d.day) for d in info.campaign.deadlines] == [
        (c["id"], c.get("month"), c.get("day")) for c in mon["calendar"]
    ]
    effects = _data("planned_effects")["rows"]
    assert [
        (e.strong_state, e.positive_dynamics, list(e.indicators)) for e in profile.planned_effects
    ] == [(r["strong_state"], r["positive_dynamics"], r["indicators"]) for r in effects]
    (roadmap,) = profile.roadmaps
    data = _data("roadmap")
    assert roadmap.title == data["title"]
    assert [r.event for s in roadmap.sections for r in s.rows] == [
        row.get("event") or "" for s in data["sections"] for row in s.get("rows", [])
    ]
