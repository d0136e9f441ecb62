"""Shared test configuration: hypothesis settings profiles; helpers to reach ``run.py``.

``ci`` (default) keeps the suite fast; ``thorough`` is for a deeper run on demand:
``HYPOTHESIS_PROFILE=thorough python3 run.py test``.
"""

from __future__ import annotations

import importlib.util
import os
from pathlib import Path
from types import ModuleType

from hypothesis import HealthCheck, settings

settings.register_profile(
    "ci", max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow]
)
settings.register_profile("thorough", max_examples=1000, deadline=None)
settings.load_profile(os.environ.get("HYPOTHESIS_PROFILE", "ci"))


# --------------------------------------------------------------------------- helpers

REPO_ROOT = Path(__file__).resolve().parents[1]
"""The repository's root directory (where ``run.py`` is)."""


def load_run_py() -> ModuleType:
    """The repository's ``run.py`` as a module (a script, not part of any package): tests use
    its logic — where uv is, how commands are run — instead of repeating it."""
    spec = importlib.util.spec_from_file_location("pedprof_run_py", REPO_ROOT / "run.py")
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def uv_command() -> list[str]:
    """The command that runs uv, found as ``run.py`` finds it (:func:`run.find_uv`)."""
    command: list[str] = load_run_py().find_uv()
    return command
