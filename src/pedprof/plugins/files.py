"""The core's default plugin for profile declaration files.

Profile files reach the core through the plugin system, as any profile does:

* ``pedprof_register_profile_files`` collects the files. This plugin registers every file
  found (1) in the installed distributions' declared paths: entry points of group
  ``pedprof.profiles`` whose value is ``package:path/inside/package.yaml``, and (2) in the
  folders named by the environment variable ``PEDPROF_PROFILE_PATH`` (separated by
  :data:`os.pathsep`; every ``*.yaml`` / ``*.yml`` file directly inside). A Python plugin
  registers its own file through the same hook.
* :func:`register_profile_files` (called by :func:`pedprof.plugins.get_plugin_manager`)
  reads each file and registers one :class:`FilePlugin` per valid file, named after the
  file, whose hooks register what the file declares; its provenance is the distribution
  that registered the file. A broken file is reported as a plugin problem (every problem
  of the file, each with its line) and never stops the other profiles from loading.
"""

from __future__ import annotations

import importlib.metadata as md
import os
from collections.abc import Callable
from importlib import resources
from pathlib import Path
from typing import TYPE_CHECKING

import pandas as pd

from pedprof.model.data import Dataset
from pedprof.model.profile_file import FileProfile, ProfileFileError, load_profile_file
from pedprof.model.sources import Source, coerce_frame
from pedprof.plugins._hookimpl import hookimpl
from pedprof.plugins.defaults import ORGANIZATIONS

if TYPE_CHECKING:
    import pluggy

    from pedprof.model.indicators import Indicator
    from pedprof.model.mechanism import Document, MonitoringActivity, PlannedEffect, Roadmap
    from pedprof.model.profile import ProfileInfo
    from pedprof.model.targets import Target

__all__ = ["ENTRY_POINT_GROUP", "ENV_VAR", "FilePlugin", "find_profile_files"]

#: Entry points ``name = "package:path.yaml"`` that declare a distribution's profile files.
ENTRY_POINT_GROUP = "pedprof.profiles"
#: Folders of profile files, separated by :data:`os.pathsep`.
ENV_VAR = "PEDPROF_PROFILE_PATH"
_SUFFIXES = (".yaml", ".yml")


def _declared_files() -> list[tuple[Path, str, str]]:
    """The files the installed distributions declare: (path, distribution, version).

    ``PEDPROF_LOAD_PLUGINS`` restricts these entry points as it restricts the plugins';
    the folders of ``PEDPROF_PROFILE_PATH`` are asked for explicitly and always read."""
    out = []
    only = os.environ.get("PEDPROF_LOAD_PLUGINS")
    allowed = None if only is None else {n.strip() for n in only.split(",") if n.strip()}
    for ep in sorted(md.entry_points(group=ENTRY_POINT_GROUP), key=lambda e: e.name):
        if allowed is not None and ep.name not in allowed:
            continue
        module, _, inner = ep.value.partition(":")
        dist = ep.dist.name if ep.dist is not None else module
        version = ep.dist.version if ep.dist is not None else "?"
        try:
            path = Path(str(resources.files(module.strip()).joinpath(inner.strip())))
        except (ImportError, TypeError, ValueError):
            path = Path(ep.value)
        out.append((path, dist, version))
    return out


def find_profile_files(env: str | None = None) -> list[Path]:
    """The profile files in the folders of ``PEDPROF_PROFILE_PATH`` (or ``env``), sorted."""
    text = os.environ.get(ENV_VAR, "") if env is None else env
    files: list[Path] = []
    for folder in filter(None, (p.strip() for p in text.split(os.pathsep))):
        base = Path(folder)
        if base.is_file() and base.suffix in _SUFFIXES:
            files.append(base)
        elif base.is_dir():
            files.extend(sorted(p for p in base.iterdir() if p.suffix in _SUFFIXES))
    return files


@hookimpl(trylast=True)
def pedprof_register_profile_files(register: Callable[..., None]) -> None:
    """Register the files declared by installed distributions and found in
    ``PEDPROF_PROFILE_PATH``."""
    for path, dist, version in _declared_files():
        register(path, distribution=dist, version=version)
    for path in find_profile_files():
        register(path, distribution=f"{ENV_VAR}:{path.parent}", version="?")


# --------------------------------------------------------------------------- the plugin


def _read_csv(path: Path) -> pd.DataFrame:
    return pd.read_csv(path, dtype=str, keep_default_na=False, na_values=[""])


def load_file_sample(profile: FileProfile) -> Dataset | None:
    """The sample of a profile file: ``regions.csv``, ``municipalities.csv``,
    ``organizations.csv``, optionally ``submissions.csv``, and one ``<source>.csv`` per
    source, in the file's ``sample`` folder."""
    folder = profile.sample_dir
    if folder is None:
        return None
    tables = {
        s.name: coerce_frame(s, _read_csv(folder / f"{s.name}.csv"))
        for s in profile.sources
        if (folder / f"{s.name}.csv").is_file()
    }
    submissions = folder / "submissions.csv"
    return Dataset(
        regions=_read_csv(folder / "regions.csv"),
        municipalities=_read_csv(folder / "municipalities.csv"),
        organizations=coerce_frame(ORGANIZATIONS, _read_csv(folder / "organizations.csv")),
        tables=tables,
        submissions=_read_csv(submissions) if submissions.is_file() else None,
    )


class FilePlugin:
    """The hooks of one profile file: everything it declares, registered for its profile."""

    def __init__(self, profile: FileProfile) -> None:
        self.profile = profile

    def __repr__(self) -> str:
        return f"FilePlugin({str(self.profile.path)!r})"

    @hookimpl
    def pedprof_register_profiles(self, register: Callable[[ProfileInfo], None]) -> None:
        """The profile header."""
        register(self.profile.info)

    @hookimpl
    def pedprof_register_sources(self, register: Callable[[str, Source], None]) -> None:
        """The file's tables."""
        for source in self.profile.sources:
            register(self.profile.id, source)

    @hookimpl
    def pedprof_register_indicators(self, register: Callable[[str, Indicator], None]) -> None:
        """The file's indicators."""
        for indicator in self.profile.indicators:
            register(self.profile.id, indicator)

    @hookimpl
    def pedprof_register_targets(self, register: Callable[[str, str, Target], None]) -> None:
        """The file's targets."""
        for indicator_id, target in self.profile.targets.items():
            register(self.profile.id, indicator_id, target)

    @hookimpl
    def pedprof_register_documents(self, register: Callable[[str, Document], None]) -> None:
        """The approving order and the cycle documents."""
        for doc in self.profile.documents:
            register(self.profile.id, doc)

    @hookimpl
    def pedprof_register_monitoring_activities(
        self, register: Callable[[str, MonitoringActivity], None]
    ) -> None:
        """The monitoring activities."""
        for activity in self.profile.monitoring_activities:
            register(self.profile.id, activity)

    @hookimpl
    def pedprof_register_planned_effects(
        self, register: Callable[[str, PlannedEffect], None]
    ) -> None:
        """The planned effects."""
        for effect in self.profile.planned_effects:
            register(self.profile.id, effect)

    @hookimpl
    def pedprof_register_roadmaps(self, register: Callable[[str, Roadmap], None]) -> None:
        """The roadmaps."""
        for roadmap in self.profile.roadmaps:
            register(self.profile.id, roadmap)

    @hookimpl
    def pedprof_sample_data(self, profile_id: str) -> Dataset | None:
        """The sample of the file's ``sample`` folder."""
        if profile_id != self.profile.id:
            return None
        return load_file_sample(self.profile)


def register_profile_files(
    pm: pluggy.PluginManager,
    report: Callable[[str, str, str], None],
    distributions: dict[str, tuple[str, str]],
) -> None:
    """Collect the files every plugin registers and register a :class:`FilePlugin` for each
    valid one.

    :param pm: the plugin manager, with the plugins that register files.
    :param report: called ``report(distribution, item, message)`` for every problem (each
        problem of a broken file, with its file, line and column).
    :param distributions: plugin name → (distribution, version); the file plugins are added.
    """
    files: list[tuple[Path, str, str]] = []
    for impl in pm.hook.pedprof_register_profile_files.get_hookimpls():
        name = pm.get_name(impl.plugin) or repr(impl.plugin)
        own_dist, own_version = distributions.get(name, (name, "?"))

        def register(
            path: str | Path,
            *,
            distribution: str | None = None,
            version: str | None = None,
            _dist: str = own_dist,
            _version: str = own_version,
        ) -> None:
            files.append((Path(path), distribution or _dist, version or _version))

        try:
            impl.function(**{a: register for a in impl.argnames})
        except Exception as exc:  # a broken plugin must not break the others
            report(own_dist, "pedprof_register_profile_files", f"{type(exc).__name__}: {exc}")
    seen: set[Path] = set()
    for path, dist, version in files:
        key = path.resolve()
        if key in seen or pm.get_plugin(f"file:{key}") is not None:
            continue
        seen.add(key)
        try:
            profile = load_profile_file(path)
        except ProfileFileError as exc:
            for p in exc.problems:
                report(dist, f"profile file {path.name}", str(p))
            continue
        name = f"file:{key}"
        pm.register(FilePlugin(profile), name=name)
        distributions[name] = (dist, version)
