"""The installed profiles, found through the plugin manager: what other systems look up."""

from __future__ import annotations

import functools
from typing import TYPE_CHECKING

import pluggy

from pedprof.errors import ArgumentTypeError, ProfileNotFoundError, SampleNotFoundError
from pedprof.model.profile import Profile
from pedprof.plugins._manager import PluginProblem, Registry, build_registry, get_plugin_manager

if TYPE_CHECKING:
    from pedprof.model.data import Dataset

__all__ = ["get_profile", "list_profiles", "load_sample", "plugin_problems", "resolve_profile"]


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

    :raises pedprof.errors.ProfileNotFoundError: naming the installed profiles (also a
        :class:`LookupError`).
    """
    profiles = _registry(plugin_manager).profiles
    try:
        return profiles[profile_id]
    except (KeyError, TypeError):  # TypeError: an unhashable id
        raise ProfileNotFoundError(profile_id, sorted(profiles)) from None


def plugin_problems(*, plugin_manager: pluggy.PluginManager | None = None) -> list[PluginProblem]:
    """What the plugins tried to register and was refused."""
    return list(_registry(plugin_manager).problems)


def resolve_profile(profile: str | Profile, pm: pluggy.PluginManager | None = None) -> Profile:
    """``profile`` itself, or the installed profile of that id.

    :raises pedprof.errors.ProfileNotFoundError: an id no installed profile has.
    :raises pedprof.errors.ArgumentError: neither a :class:`Profile` nor a text id.
    """
    if isinstance(profile, Profile):
        return profile
    if not isinstance(profile, str):
        raise ArgumentTypeError(
            f"Профиль указывается идентификатором (строкой) или объектом pedprof.Profile, "
            f"а передан объект типа {type(profile).__name__}",
            argument="profile",
            what=f"передан {type(profile).__name__}",
            expected="идентификатор профиля или pedprof.Profile",
        )
    return get_profile(profile, plugin_manager=pm)


def load_sample(
    profile: str | Profile, *, plugin_manager: pluggy.PluginManager | None = None
) -> Dataset:
    """The profile's bundled (synthetic) sample data, in the form :func:`compute` takes.

    :raises pedprof.errors.ProfileNotFoundError: an unknown profile id.
    :raises pedprof.errors.SampleNotFoundError: the profile has no sample data.
    """
    prof = resolve_profile(profile, plugin_manager)
    pm = plugin_manager if plugin_manager is not None else get_plugin_manager()
    data: Dataset | None = pm.hook.pedprof_sample_data(profile_id=prof.id)
    if data is None:
        raise SampleNotFoundError(prof.id)
    return data
