"""Every hook is documented under its exact signature and has a test of its own."""

from __future__ import annotations

import inspect
import re
from pathlib import Path
from typing import Any

import pytest

import pedprof
from pedprof.plugins import build_registry, get_plugin_manager, hookspecs
from pedprof.plugins.files import register_profile_files

ROOT = Path(__file__).resolve().parents[1]
HOOKS = {
    name: fn
    for name, fn in inspect.getmembers(hookspecs, inspect.isfunction)
    if name.startswith("pedprof_")
}


def _signature(fn: object) -> str:
    params = inspect.signature(fn).parameters  # type: ignore[arg-type]
    return f"{fn.__name__}({', '.join(params)})"  # type: ignore[attr-defined]


@pytest.mark.parametrize("name", sorted(HOOKS))
def test_every_hook_has_a_docs_section_headed_with_its_signature(name: str) -> None:
    docs = (ROOT / "docs" / "reference" / "hooks.rst").read_text("utf-8")
    headings = set(re.findall(r"^(\S.*)\n[-=~^]{3,}$", docs, flags=re.M))
    assert _signature(HOOKS[name]) in headings


@pytest.mark.parametrize("name", sorted(HOOKS))
def test_every_hook_has_a_test(name: str) -> None:
    tests = "\n".join(p.read_text("utf-8") for p in (ROOT / "tests").glob("test_*.py"))
    assert f"def test_hook_{name}(" in tests


@pytest.mark.parametrize("name", sorted(HOOKS))
def test_every_hook_is_typed_and_documented(name: str) -> None:
    fn = HOOKS[name]
    assert fn.__doc__ and len(fn.__doc__.strip()) > 20
    hints = inspect.get_annotations(fn)
    assert "return" in hints and all(p in hints for p in inspect.signature(fn).parameters)


# --------------------------------------------------------------------------- one test per hook

KARABASH = pedprof.get_profile("karabash")


def test_hook_pedprof_register_profiles() -> None:
    info = KARABASH.info
    assert info.territory == "Карабашский городской округ"
    assert info.period_kind is pedprof.PeriodKind.SCHOOL_YEAR
    assert info.mechanism is not None and len(info.mechanism.tasks) == 5
    assert len(info.mechanism.justification) == 4
    assert info.campaign is not None and len(info.campaign.stages) == 3


def test_hook_pedprof_register_profile_files(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    # a plugin registers a file; the core registers what the file declares, with the
    # plugin as its provenance
    monkeypatch.delenv("PEDPROF_PROFILE_PATH", raising=False)
    source = Path(__file__).parent / "fixtures" / "file_profile" / "novgrad.yaml"
    path = tmp_path / "novgrad.yaml"
    path.write_text(source.read_text("utf-8").replace("sample: sample", ""), "utf-8")

    class Plugin:
        @pedprof.hookimpl
        def pedprof_register_profile_files(self, register: Any) -> None:
            register(path)

    pm = get_plugin_manager(load_entry_points=False)
    pm.register(Plugin(), name="my-files")
    distributions = pm.pedprof_distributions  # type: ignore[attr-defined]
    distributions["my-files"] = ("pedprof-my", "1.0")
    register_profile_files(pm, lambda *problem: None, distributions)
    profile = build_registry(pm).profiles["novgrad"]
    assert (profile.distribution, profile.version) == ("pedprof-my", "1.0")
    assert len(profile.indicators) == 8


def test_hook_pedprof_register_indicators() -> None:
    base = [i for i in KARABASH.indicators if i.reading_of is None]
    assert [i.id for i in base] == [f"k{n:02d}" for n in range(1, 25)]
    readings = {i.id: i.reading_of for i in KARABASH.indicators if i.reading_of}
    assert readings == {"k01.annual": "k01", "k02.annual": "k02", "k20.three_years": "k20"}


def test_hook_pedprof_register_targets() -> None:
    assert isinstance(KARABASH.targets["k05"], pedprof.AtLeast)
    assert KARABASH.targets["k05"].text == "К 2024 году – не менее 35 %"
    assert "k20" not in KARABASH.targets  # checked against the three-year reading
    assert isinstance(KARABASH.targets["k20.three_years"], pedprof.Exactly)


def test_hook_pedprof_register_sources() -> None:
    names = [s.name for s in KARABASH.sources]
    assert "organizations" in names  # from the core's default plugin
    staff = KARABASH.source("staff")
    assert staff.field("person_id").personal
    assert staff.submitted_by is pedprof.SubmittedBy.ORGANIZATION


def test_hook_pedprof_register_planned_effects() -> None:
    effects = KARABASH.planned_effects
    assert [e.number for e in effects] == [1, 2, 3, 4, 5, 6, 7]
    assert all(e.strong_state and e.positive_dynamics for e in effects)


def test_hook_pedprof_register_monitoring_activities() -> None:
    # Karabash's mechanism has no Раздел III: nothing is registered, and that is visible
    assert KARABASH.monitoring_activities == ()


def test_hook_pedprof_register_documents() -> None:
    numbers = {d.number for d in KARABASH.documents}
    assert {"213 (о/д)", "01/249", "01/730", "01/1753", "115"} <= numbers


def test_hook_pedprof_register_roadmaps() -> None:
    (roadmap,) = KARABASH.roadmaps
    assert [s.number for s in roadmap.sections] == ["1", "2", "3", "4", "5", "6"]
    assert roadmap.rows[0].deadline_text == "август 2021 г."


def test_hook_pedprof_register_recommendation_rules() -> None:
    from pedprof.evaluate.recommendations import RecommendationRule

    rules = KARABASH.recommendation_rules
    assert rules and all(isinstance(r, RecommendationRule) for r in rules)
    assert len({r.id for r in rules}) == len(rules)
    assert KARABASH.provenance[("recommendation_rule", rules[0].id)] == "pedprof-karabash"


def test_hook_pedprof_sample_data() -> None:
    data = pedprof.load_sample("karabash")
    assert set(data.tables) >= {"staff", "events", "mentoring_programmes"}
    pm = pedprof.get_plugin_manager()
    assert pm.hook.pedprof_sample_data(profile_id="no-such-profile") is None
