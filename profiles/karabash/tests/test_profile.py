"""The Karabash profile as an installed plugin, through the helpers any profile can use."""

from __future__ import annotations

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
    from pedprof_karabash.indicators import texts

    profile = pedprof.get_profile("karabash")
    for ind in profile.indicators:
        t = texts()[ind.id.split(".")[0]]
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
