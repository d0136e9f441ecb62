"""The plugin manager and the registry of everything plugins register.

:func:`get_plugin_manager` builds a fresh :class:`pluggy.PluginManager`: first the entry
points of group ``pedprof`` (each profile distribution), then the core's default plugins.
A plugin that fails to import is reported and skipped; so is every item it registers that
is a duplicate or fails validation. The other plugins still load.

Environment switches:

``PEDPROF_LOAD_PLUGINS``
    comma-separated entry-point names: load only these (empty: load none).
``PEDPROF_TRACE_HOOKS``
    set to ``1`` to print every hook call to standard error.
``PEDPROF_PROFILE_PATH``
    folders of profile declaration files to load besides the installed ones
    (:mod:`pedprof.plugins.files`).
"""

from __future__ import annotations

import importlib
import importlib.metadata as md
import os
import sys
import warnings
from collections.abc import Callable
from typing import Any

import attrs
import pluggy
import pydantic

from pedprof.model.indicators import Indicator
from pedprof.model.mechanism import Document, MonitoringActivity, PlannedEffect, Roadmap
from pedprof.model.profile import Profile, ProfileInfo
from pedprof.model.rules import RecommendationRule
from pedprof.model.sources import Source
from pedprof.model.targets import Target
from pedprof.plugins import hookspecs
from pedprof.plugins._validation import check_indicator, check_profile, check_source, check_target
from pedprof.plugins.files import register_profile_files

__all__ = [
    "DEFAULT_PLUGINS",
    "PluginProblem",
    "PluginWarning",
    "Registry",
    "build_registry",
    "get_plugin_manager",
]

ENTRY_POINT_GROUP = "pedprof"
DEFAULT_PLUGINS = ("pedprof.plugins.defaults", "pedprof.plugins.files")
COMMON = "*"
#: Columns the engine adds to every organisation table from the register.
IMPLICIT_ORG_COLUMNS = frozenset({"org_kind"})


class PluginWarning(UserWarning):
    """A plugin could not be loaded or registered something invalid."""


@attrs.frozen
class PluginProblem:
    """Something a plugin did that was refused.

    :param distribution: the distribution (or plugin name) at fault.
    :param item: what was refused (``indicator karabash/k07``, ``import``…).
    :param message: why.
    """

    distribution: str
    item: str
    message: str

    def __str__(self) -> str:
        return f"{self.distribution}: {self.item}: {self.message}"


def get_plugin_manager(*, load_entry_points: bool = True) -> pluggy.PluginManager:
    """A fresh plugin manager with the profile plugins and the core defaults registered.

    Import failures are recorded on the manager as ``pm.pedprof_problems`` and warned
    about with :class:`PluginWarning`.
    """
    pm = pluggy.PluginManager("pedprof")
    pm.add_hookspecs(hookspecs)
    problems: list[PluginProblem] = []
    dists: dict[str, tuple[str, str]] = {}
    if load_entry_points:
        only = os.environ.get("PEDPROF_LOAD_PLUGINS")
        allowed = None if only is None else {n.strip() for n in only.split(",") if n.strip()}
        for ep in sorted(md.entry_points(group=ENTRY_POINT_GROUP), key=lambda e: e.name):
            if allowed is not None and ep.name not in allowed:
                continue
            dist = ep.dist.name if ep.dist is not None else ep.value
            version = ep.dist.version if ep.dist is not None else "?"
            try:
                plugin = ep.load()
            except Exception as exc:  # a broken plugin must not break the others
                problem = PluginProblem(dist, "import", f"{type(exc).__name__}: {exc}")
                problems.append(problem)
                warnings.warn(str(problem), PluginWarning, stacklevel=2)
                continue
            if pm.get_plugin(ep.name) is not None:
                problems.append(PluginProblem(dist, "entry point", f"name {ep.name!r} taken"))
                continue
            pm.register(plugin, name=ep.name)
            dists[ep.name] = (dist, version)
    for name in DEFAULT_PLUGINS:
        pm.register(importlib.import_module(name), name=name)
        dists[name] = ("pedprof", md.version("pedprof"))

    def report(dist: str, item: str, message: str) -> None:
        problem = PluginProblem(dist, item, message)
        problems.append(problem)
        warnings.warn(str(problem), PluginWarning, stacklevel=3)

    # profile declaration files, registered by any plugin (the core's: installed
    # distributions' declared files and PEDPROF_PROFILE_PATH); a broken file is a problem
    register_profile_files(pm, report, dists)
    pm.pedprof_problems = problems  # type: ignore[attr-defined]
    pm.pedprof_distributions = dists  # type: ignore[attr-defined]
    if os.environ.get("PEDPROF_TRACE_HOOKS") == "1":
        pm.trace.root.setwriter(lambda text: sys.stderr.write(text))
        pm.enable_tracing()
    return pm


def _distribution_of(pm: pluggy.PluginManager, plugin: object) -> tuple[str, str]:
    name = pm.get_name(plugin) or repr(plugin)
    dists: dict[str, tuple[str, str]] = getattr(pm, "pedprof_distributions", {})
    if name in dists:
        return dists[name]
    return (name, "?")


@attrs.define
class Registry:
    """Everything registered by the plugins of one manager, validated."""

    profiles: dict[str, Profile]
    problems: list[PluginProblem]


@attrs.define
class _Collector:
    pm: pluggy.PluginManager
    problems: list[PluginProblem]
    infos: dict[str, tuple[ProfileInfo, str, str]] = attrs.field(factory=dict)
    items: dict[str, dict[str, dict[str, Any]]] = attrs.field(factory=dict)
    provenance: dict[str, dict[tuple[str, str], str]] = attrs.field(factory=dict)

    def call(
        self,
        hook_name: str,
        make: Callable[[str, str], Callable[..., None]],
    ) -> None:
        hook = getattr(self.pm.hook, hook_name)
        # registration order: profile distributions (entry points) first, then plugins
        # registered later; the first registration of an id wins, later ones are duplicates
        for impl in hook.get_hookimpls():
            dist, version = _distribution_of(self.pm, impl.plugin)
            register = make(dist, version)
            try:
                impl.function(**{a: register for a in impl.argnames})
            except Exception as exc:
                self.problems.append(PluginProblem(dist, hook_name, f"{type(exc).__name__}: {exc}"))

    def refuse(self, dist: str, item: str, message: str) -> None:
        problem = PluginProblem(dist, item, message)
        self.problems.append(problem)
        warnings.warn(str(problem), PluginWarning, stacklevel=4)

    def add(self, kind: str, profile_id: str, key: str, value: object, dist: str) -> None:
        bucket = self.items.setdefault(profile_id, {}).setdefault(kind, {})
        prov = self.provenance.setdefault(profile_id, {})
        if key in bucket:
            first = prov.get((kind, key), "?")
            self.refuse(
                dist, f"{kind} {profile_id}/{key}", f"duplicate: already registered by {first}"
            )
            return
        bucket[key] = value
        prov[(kind, key)] = dist


def _validation_message(exc: pydantic.ValidationError) -> str:
    parts = []
    for err in exc.errors():
        loc = ".".join(str(x) for x in err["loc"]) or "value"
        parts.append(f"{loc}: {err['msg']}")
    return "; ".join(parts)


def build_registry(pm: pluggy.PluginManager | None = None) -> Registry:
    """Call every registration hook and assemble the profiles.

    Invalid or duplicate registrations are refused and reported; items registered for an
    unknown profile are reported too.
    """
    pm = pm if pm is not None else get_plugin_manager()
    problems: list[PluginProblem] = list(getattr(pm, "pedprof_problems", []))
    c = _Collector(pm, problems)

    def profile_register(dist: str, version: str) -> Callable[[ProfileInfo], None]:
        def register(info: ProfileInfo) -> None:
            try:
                check_profile(info)
            except pydantic.ValidationError as exc:
                c.refuse(dist, f"profile {getattr(info, 'id', '?')}", _validation_message(exc))
                return
            if info.id in c.infos:
                c.refuse(
                    dist,
                    f"profile {info.id}",
                    f"duplicate: already registered by {c.infos[info.id][1]}",
                )
                return
            c.infos[info.id] = (info, dist, version)

        return register

    c.call("pedprof_register_profiles", profile_register)

    def keyed(
        kind: str, check: Callable[[Any], None], key: Callable[[Any], str]
    ) -> Callable[[str, str], Callable[..., None]]:
        def make(dist: str, version: str) -> Callable[..., None]:
            def register(profile_id: str, item: Any) -> None:
                label = f"{kind} {profile_id}/{getattr(item, 'id', getattr(item, 'name', '?'))}"
                try:
                    check(item)
                except pydantic.ValidationError as exc:
                    c.refuse(dist, label, _validation_message(exc))
                    return
                c.add(kind, profile_id, key(item), item, dist)

            return register

        return make

    c.call("pedprof_register_indicators", keyed("indicator", check_indicator, lambda i: i.id))
    c.call("pedprof_register_sources", keyed("source", check_source, lambda s: s.name))
    c.call(
        "pedprof_register_planned_effects",
        keyed("planned_effect", _typed(PlannedEffect), lambda e: e.id),
    )
    c.call(
        "pedprof_register_monitoring_activities",
        keyed("monitoring_activity", _typed(MonitoringActivity), lambda a: a.id),
    )
    c.call(
        "pedprof_register_documents",
        keyed("document", _typed(Document), lambda d: f"{d.type} {d.number or ''} {d.title}"),
    )
    c.call("pedprof_register_roadmaps", keyed("roadmap", _typed(Roadmap), lambda r: r.title))
    c.call(
        "pedprof_register_recommendation_rules",
        keyed("recommendation_rule", _typed(RecommendationRule), lambda r: r.id),
    )

    def target_make(dist: str, version: str) -> Callable[..., None]:
        def register(profile_id: str, indicator_id: str, target: Target) -> None:
            try:
                check_target(target)
            except pydantic.ValidationError as exc:
                c.refuse(dist, f"target {profile_id}/{indicator_id}", _validation_message(exc))
                return
            c.add("target", profile_id, indicator_id, target, dist)

        return register

    c.call("pedprof_register_targets", target_make)
    return Registry(_assemble(c), problems)


def _typed(cls: type) -> Callable[[object], None]:
    def check(item: object) -> None:
        if not isinstance(item, cls):
            raise pydantic.ValidationError.from_exception_data(
                cls.__name__,
                [
                    {
                        "type": "is_instance_of",
                        "loc": ("item",),
                        "input": item,
                        "ctx": {"class": cls.__name__},
                    }
                ],
            )

    return check


def _assemble(c: _Collector) -> dict[str, Profile]:
    profiles: dict[str, Profile] = {}
    common = c.items.get(COMMON, {})
    for pid in c.items:
        if pid != COMMON and pid not in c.infos:
            for kind, bucket in c.items[pid].items():
                for key in bucket:
                    dist = c.provenance[pid][(kind, key)]
                    c.refuse(dist, f"{kind} {pid}/{key}", f"unknown profile {pid!r}")
    for pid, (info, dist, version) in sorted(c.infos.items()):
        own = c.items.get(pid, {})
        sources = {**common.get("source", {}), **own.get("source", {})}
        indicators: list[Indicator] = []
        for ind in own.get("indicator", {}).values():
            problem = _indicator_problem(ind, sources)
            if problem:
                c.refuse(
                    c.provenance[pid][("indicator", ind.id)], f"indicator {pid}/{ind.id}", problem
                )
            else:
                indicators.append(ind)
        ids = {i.id for i in indicators}
        targets = {}
        for ind_id, target in own.get("target", {}).items():
            if ind_id not in ids:
                c.refuse(
                    c.provenance[pid][("target", ind_id)],
                    f"target {pid}/{ind_id}",
                    "no such indicator",
                )
            else:
                targets[ind_id] = target
        effects = []
        for eff in own.get("planned_effect", {}).values():
            missing = [i for i in eff.indicators if i not in ids]
            if missing:
                c.refuse(
                    c.provenance[pid][("planned_effect", eff.id)],
                    f"planned_effect {pid}/{eff.id}",
                    f"unknown indicators {missing}",
                )
            else:
                effects.append(eff)
        rules = []
        for rule in own.get("recommendation_rule", {}).values():
            missing = [i for i in rule.indicators if i not in ids]
            if missing:
                c.refuse(
                    c.provenance[pid][("recommendation_rule", rule.id)],
                    f"recommendation_rule {pid}/{rule.id}",
                    f"unknown indicators {missing}",
                )
            else:
                rules.append(rule)
        provenance = {**c.provenance.get(COMMON, {}), **c.provenance.get(pid, {})}
        profiles[pid] = Profile(
            info=info,
            distribution=dist,
            version=version,
            indicators=tuple(indicators),
            targets=targets,
            sources=tuple(sources.values()),
            planned_effects=tuple(effects),
            monitoring_activities=tuple(own.get("monitoring_activity", {}).values()),
            documents=tuple(own.get("document", {}).values()),
            roadmaps=tuple(own.get("roadmap", {}).values()),
            recommendation_rules=tuple(rules),
            provenance=provenance,
        )
    return profiles


def _indicator_problem(ind: Indicator, sources: dict[str, Source]) -> str | None:
    if ind.table not in sources:
        return f"table {ind.table!r} is not a registered source (known: {sorted(sources)})"
    known = set(sources[ind.table].column_names)
    if "org_id" in known:
        known |= IMPLICIT_ORG_COLUMNS
    missing = sorted(set(ind.columns()) - known)
    if missing:
        return f"columns {missing} are not in source {ind.table!r}"
    return None
