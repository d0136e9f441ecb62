"""The plugin system: hook specifications, the plugin manager, the core's default plugins,
and the registry of installed profiles built from them."""

from pedprof.plugins._hookimpl import hookimpl
from pedprof.plugins._manager import (
    DEFAULT_PLUGINS,
    PluginProblem,
    PluginWarning,
    Registry,
    build_registry,
    get_plugin_manager,
)
from pedprof.plugins._registry import (
    get_profile,
    list_profiles,
    load_sample,
    plugin_problems,
    resolve_profile,
)

__all__ = [
    "DEFAULT_PLUGINS",
    "PluginProblem",
    "PluginWarning",
    "Registry",
    "build_registry",
    "get_plugin_manager",
    "get_profile",
    "hookimpl",
    "list_profiles",
    "load_sample",
    "plugin_problems",
    "resolve_profile",
]
