"""The plugin system: loading, validation at the boundary, duplicates, provenance."""

from __future__ import annotations

import importlib.metadata as md
import os
import subprocess
import sys
import textwrap
from pathlib import Path

import pluggy
import pytest

import pedprof
from pedprof import Indicator, IndicatorKind, PluginWarning, col, hookimpl
from pedprof.plugins import build_registry, get_plugin_manager
from tests.conftest import uv_command

FIXTURE = Path(__file__).parent / "fixtures" / "example_profile"


class _Extra:
    """A plugin object registering things into the Karabash profile."""

    def __init__(self, indicator: Indicator | None = None, target: object = None) -> None:
        self.indicator = indicator
        self.target = target

    @hookimpl
    def pedprof_register_indicators(self, register):  # type: ignore[no-untyped-def]
        if self.indicator is not None:
            register("karabash", self.indicator)

    @hookimpl
    def pedprof_register_targets(self, register):  # type: ignore[no-untyped-def]
        if self.target is not None:
            register("karabash", "k01", self.target)


def _registry_with(plugin: object) -> tuple[pluggy.PluginManager, object]:
    pm = get_plugin_manager()
    pm.register(plugin, name="pedprof-test-extra")
    with pytest.warns(PluginWarning):
        registry = build_registry(pm)
    return pm, registry


def test_the_karabash_profile_is_found_through_its_entry_point() -> None:
    names = {ep.name: ep for ep in md.entry_points(group="pedprof")}
    assert "karabash" in names
    profile = pedprof.get_profile("karabash")
    assert profile.distribution == "pedprof-karabash"
    assert profile.provenance[("indicator", "k01")] == "pedprof-karabash"
    assert profile.provenance[("source", "organizations")] == "pedprof"  # a core default


def test_a_duplicate_indicator_is_refused_naming_both_distributions() -> None:
    dup = Indicator(
        id="k01",
        name="Другая доля",
        kind=IndicatorKind.SHARE,
        table="staff",
        numerator=col("iom").true(),
    )
    _, registry = _registry_with(_Extra(indicator=dup))
    messages = [str(p) for p in registry.problems]  # type: ignore[attr-defined]
    assert any(
        "indicator karabash/k01" in m and "duplicate" in m and "pedprof-karabash" in m
        for m in messages
    )
    # the original is kept
    k01 = registry.profiles["karabash"].indicator("k01")  # type: ignore[attr-defined]
    assert k01.name.startswith("Доля педагогов")


@pytest.mark.parametrize(
    ("indicator", "fragment"),
    [
        (
            Indicator(
                id="x1",
                name="Share of something",
                kind=IndicatorKind.SHARE,
                table="staff",
                numerator=col("iom").true(),
            ),
            "Russian name",
        ),
        (
            Indicator(id="x2", name="Доля без числителя", kind=IndicatorKind.SHARE, table="staff"),
            "numerator",
        ),
        (
            Indicator(
                id="Bad Id",
                name="Доля чего-то",
                kind=IndicatorKind.SHARE,
                table="staff",
                numerator=col("iom").true(),
            ),
            "id must be",
        ),
        (
            Indicator(
                id="x3",
                name="Доля по несуществующей колонке",
                kind=IndicatorKind.SHARE,
                table="staff",
                numerator=col("nope").true(),
            ),
            "columns ['nope']",
        ),
        (
            Indicator(
                id="x4",
                name="Доля по несуществующей таблице",
                kind=IndicatorKind.SHARE,
                table="nope",
                numerator=col("iom").true(),
            ),
            "not a registered source",
        ),
    ],
)
def test_invalid_definitions_are_refused_with_a_clear_message(
    indicator: Indicator, fragment: str
) -> None:
    _, registry = _registry_with(_Extra(indicator=indicator))
    messages = [str(p) for p in registry.problems]  # type: ignore[attr-defined]
    assert any(
        indicator.id in m and fragment in m and "pedprof-test-extra" in m for m in messages
    ), messages
    assert indicator.id not in {i.id for i in registry.profiles["karabash"].indicators}  # type: ignore[attr-defined]


def test_a_second_target_for_an_indicator_is_a_duplicate() -> None:
    _, registry = _registry_with(_Extra(target=pedprof.AtLeast(value=1)))
    assert any("target karabash/k01" in str(p) and "duplicate" in str(p) for p in registry.problems)  # type: ignore[attr-defined]


def test_a_plugin_that_fails_to_import_is_reported_and_the_others_load(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    real = list(md.entry_points(group="pedprof"))
    broken = md.EntryPoint(name="broken", value="pedprof_no_such_module_xyz", group="pedprof")

    def fake(group: str) -> list[md.EntryPoint]:
        return [broken, *real] if group == "pedprof" else []

    monkeypatch.setattr(md, "entry_points", fake)
    with pytest.warns(PluginWarning, match="pedprof_no_such_module_xyz"):
        pm = get_plugin_manager()
    registry = build_registry(pm)
    assert any(p.item == "import" and "No module named" in p.message for p in registry.problems)
    assert "karabash" in registry.profiles


def test_load_only_named_plugins(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("PEDPROF_LOAD_PLUGINS", "")
    # files of PEDPROF_PROFILE_PATH are asked for explicitly: not plugins to switch off
    monkeypatch.delenv("PEDPROF_PROFILE_PATH", raising=False)
    registry = build_registry(get_plugin_manager())
    assert registry.profiles == {}


@pytest.mark.slow
def test_an_installed_distribution_is_found_through_its_entry_point(tmp_path: Path) -> None:
    """Build and install the example profile as a real distribution; a fresh interpreter finds it."""
    target = tmp_path / "site"
    subprocess.run(
        [
            *uv_command(),
            "pip",
            "install",
            "--quiet",
            "--no-deps",
            "--target",
            str(target),
            str(FIXTURE),
        ],
        check=True,
        capture_output=True,
    )
    assert list(target.glob("pedprof_example-*.dist-info"))
    script = textwrap.dedent(
        """
        import pandas as pd, pedprof
        p = pedprof.get_profile("example")
        d = pedprof.Dataset(
            regions=pd.DataFrame({"region_id": ["r"]}),
            municipalities=pd.DataFrame({"municipality_id": ["m"], "region_id": ["r"]}),
            organizations=pd.DataFrame({"org_id": ["o"], "municipality_id": ["m"]}),
            tables={"staff": pd.DataFrame({"period": ["2024"] * 2, "org_id": ["o"] * 2,
                                           "person_id": ["a", "b"], "trained": [True, False]})},
        )
        r = pedprof.compute(p, d)
        row = r[(r.level == "municipality")].iloc[0]
        print(p.distribution, p.version, row.value, bool(row.target_met))
        """
    )
    env = dict(os.environ, PYTHONPATH=str(target))
    out = subprocess.run(
        [sys.executable, "-c", script], env=env, capture_output=True, text=True, check=True
    )
    assert out.stdout.split() == ["pedprof-example", "0.0.1", "50.0", "True"]
