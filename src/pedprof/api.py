"""The thin facade other systems embed: profiles, sample data, computation."""

from __future__ import annotations

import functools
from collections.abc import Callable, Sequence

import pandas as pd
import pluggy

from pedprof.data import Dataset, validate_dataset
from pedprof.engine import LEVELS, compute_indicators
from pedprof.plugins import PluginProblem, Registry, build_registry, get_plugin_manager
from pedprof.profile import Profile

__all__ = [
    "PROFILE_ATTR",
    "compute",
    "get_profile",
    "list_profiles",
    "load_sample",
    "plugin_problems",
]


#: The key of ``DataFrame.attrs`` where :func:`compute` records the profile id.
PROFILE_ATTR = "profile"


@functools.lru_cache(maxsize=1)
def _default_registry() -> Registry:
    return build_registry(get_plugin_manager())


def _registry(pm: pluggy.PluginManager | None) -> Registry:
    return _default_registry() if pm is None else build_registry(pm)


def list_profiles(*, plugin_manager: pluggy.PluginManager | None = None) -> list[Profile]:
    """Every installed profile, sorted by id."""
    return [p for _, p in sorted(_registry(plugin_manager).profiles.items())]


def get_profile(profile_id: str, *, plugin_manager: pluggy.PluginManager | None = None) -> Profile:
    """The installed profile ``profile_id``.

    :raises KeyError: naming the installed profiles.
    """
    profiles = _registry(plugin_manager).profiles
    try:
        return profiles[profile_id]
    except KeyError:
        known = ", ".join(sorted(profiles)) or "нет установленных профилей"
        raise KeyError(f"Профиль «{profile_id}» не найден; установлены: {known}") from None


def plugin_problems(*, plugin_manager: pluggy.PluginManager | None = None) -> list[PluginProblem]:
    """What the plugins tried to register and was refused."""
    return list(_registry(plugin_manager).problems)


def _resolve(profile: str | Profile, pm: pluggy.PluginManager | None) -> Profile:
    return profile if isinstance(profile, Profile) else get_profile(profile, plugin_manager=pm)


def load_sample(
    profile: str | Profile, *, plugin_manager: pluggy.PluginManager | None = None
) -> Dataset:
    """The profile's bundled (synthetic) sample data, in the form :func:`compute` takes."""
    prof = _resolve(profile, plugin_manager)
    pm = plugin_manager if plugin_manager is not None else get_plugin_manager()
    data: Dataset | None = pm.hook.pedprof_sample_data(profile_id=prof.id)
    if data is None:
        raise LookupError(f"Профиль «{prof.id}» не содержит демонстрационных данных")
    return data


def compute(
    profile: str | Profile,
    data: Dataset,
    *,
    indicators: Sequence[str] | None = None,
    periods: Sequence[str] | None = None,
    levels: Sequence[str] = LEVELS,
    progress: Callable[[str], None] | None = None,
    plugin_manager: pluggy.PluginManager | None = None,
) -> pd.DataFrame:
    """Compute the profile's indicators on ``data``.

    :param profile: a profile id or a :class:`Profile`.
    :param data: the dataset (see :func:`load_sample` and :mod:`pedprof.io`).
    :param indicators: restrict to these indicator ids (default: all).
    :param periods: restrict the output to these period labels.
    :param levels: any of ``organization``, ``municipality``, ``region``.
    :returns: a tidy frame with columns ``indicator, breakdown, level, unit, parent,
        period, period_start, numerator, denominator, value, state, previous_value, target,
        target_met, target_due``. Values above the organisation level are
        Σ numerator / Σ denominator over distinct persons; ``state`` is ``value``,
        ``no_data`` or ``not_applicable`` and ``value`` is NaN unless the state is
        ``value``. ``results.attrs["profile"]`` holds the profile id, so that
        ``pedprof.rate(results)`` applies the profile's rating declaration; pandas may drop
        ``attrs`` in some operations, so pass ``profile=`` to :func:`pedprof.rate` when in
        doubt.
    """
    prof = _resolve(profile, plugin_manager)
    data = validate_dataset(prof, data)  # same value rules as forms; raises DataValidationError
    chosen = list(prof.indicators)
    if indicators is not None:
        chosen = [prof.indicator(i) for i in indicators]
    results = compute_indicators(
        chosen,
        data,
        period_kind=prof.info.period_kind,
        targets=prof.targets,
        periods=periods,
        levels=levels,
        on_table=progress,
        sources=prof.sources,
    )
    # Which profile computed the frame: :func:`pedprof.rate` applies that profile's rating
    # declaration when it is not told otherwise (parquet files keep it too).
    results.attrs[PROFILE_ATTR] = prof.id
    return results
