"""The hook implementation marker, in a module of its own to avoid import cycles."""

import pluggy

hookimpl = pluggy.HookimplMarker("pedprof")
