#!/usr/bin/env python3
"""Bootstrap for the two Quick start commands: ``python3 run.py demo`` and ``python3 run.py test``.

Needs only Python ≥ 3.11. Installs the pinned ``uv`` into ``.tools/`` (a private virtual
environment, so it works where the system Python refuses ``pip install``), then lets uv
install the locked dependencies into ``.venv/`` and run the command:

* ``demo`` — ``pedprof demo`` on the bundled sample data;
* ``test`` — the whole test suite (unit, property, integration, lint, type check, docs);
* ``uv …`` — the pinned uv itself: ``uv pip …`` acts on the project's environment ``.venv/``
  (which has no pip), ``python3 run.py uv pip install -e troitsk``; ``uv lock`` and the
  other project commands run as they are;
* anything else is passed to ``uv run --frozen`` as is (``python3 run.py pedprof profiles``).

Commands run in the repository's root directory: relative paths are relative to it.
"""

from __future__ import annotations

import importlib.util
import os
import shutil
import subprocess
import sys
import venv
from pathlib import Path

ROOT = Path(__file__).resolve().parent
TOOLS = ROOT / ".tools"
UV_VERSION = "0.13.9"
COMMANDS = {
    "demo": ["pedprof", "demo"],
    "test": ["pytest", "-n", "2", "--dist", "loadgroup"],
}


def _uv_path() -> Path:
    """Where :func:`_uv` installs the pinned uv."""
    bindir = TOOLS / ("Scripts" if os.name == "nt" else "bin")
    return bindir / ("uv.exe" if os.name == "nt" else "uv")


def _uv() -> Path:
    """The pinned uv, installed into ``.tools/`` on first use."""
    uv = _uv_path()
    if not uv.exists():
        print(f"Установка uv {UV_VERSION} в {TOOLS} …", file=sys.stderr)
        venv.EnvBuilder(with_pip=True, clear=True).create(TOOLS)
        python = uv.parent / ("python.exe" if os.name == "nt" else "python")
        subprocess.run(
            [
                str(python),
                "-m",
                "pip",
                "install",
                "--quiet",
                "--disable-pip-version-check",
                f"uv=={UV_VERSION}",
            ],
            check=True,
        )
    return uv


def find_uv() -> list[str]:
    """The command that runs uv, for the tests and tools that need one.

    In this order: the pinned uv in ``.tools/`` (which ``run.py`` installs and uses), the uv
    running the current command (``uv run`` sets ``UV``), ``uv`` on ``PATH``,
    ``python -m uv`` when the ``uv`` package is importable; failing all of them, the pinned
    uv is installed as ``run.py`` itself would.
    """
    pinned = _uv_path()
    if pinned.exists():
        return [str(pinned)]
    running = os.environ.get("UV")
    if running and Path(running).is_file():
        return [running]
    on_path = shutil.which("uv")
    if on_path:
        return [on_path]
    if importlib.util.find_spec("uv") is not None:
        return [sys.executable, "-m", "uv"]
    return [str(_uv())]


def _environment() -> Path:
    """The project's environment that ``uv run`` and ``uv sync`` use (``.venv/`` by default)."""
    return ROOT / os.environ.get("UV_PROJECT_ENVIRONMENT", ".venv")


def main(argv: list[str]) -> int:
    if sys.version_info < (3, 11):  # noqa: UP036 — the bootstrap must say so on an old Python
        print("Нужен Python 3.11 или новее", file=sys.stderr)
        return 2
    if not argv:
        print(__doc__)
        return 2
    uv = str(_uv())
    python = ["--python", sys.executable]
    # UV_PYTHON is never passed on: the commands uv runs inherit the environment, and a
    # UV_PYTHON there would point a `uv pip` at this Python instead of .venv/. An active
    # virtual environment is not the project's: uv would only warn that it ignores it.
    env = {k: v for k, v in os.environ.items() if k not in ("UV_PYTHON", "VIRTUAL_ENV")}
    env["UV_PYTHON_DOWNLOADS"] = "never"
    if argv[0] == "uv" and argv[1:2] == ["pip"]:
        # `uv pip` acts on the project's environment; on a fresh clone it is created first.
        if not _environment().exists():
            sync = subprocess.run([uv, "sync", "--frozen", *python], cwd=ROOT, env=env)
            if sync.returncode:
                return sync.returncode
        env["VIRTUAL_ENV"] = str(_environment())
        command = [uv, *argv[1:]]
    elif argv[0] == "uv":
        # uv's project commands (`uv lock`, `uv sync` …) with the interpreter run.py uses.
        env["UV_PYTHON"] = sys.executable
        command = [uv, *argv[1:]]
    else:
        command = [uv, "run", "--frozen", *python, *COMMANDS.get(argv[0], [argv[0]]), *argv[1:]]
    return subprocess.run(command, cwd=ROOT, env=env).returncode


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
