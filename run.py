#!/usr/bin/env python3
"""Bootstrap for the two Quick start commands: ``python3 run.py demo`` and ``python3 run.py test``.

Needs only Python ≥ 3.11. Installs the pinned ``uv`` into ``.tools/`` (a private virtual
environment, so it works where the system Python refuses ``pip install``), then lets uv
install the locked dependencies into ``.venv/`` and run the command:

* ``demo`` — ``pedprof demo`` on the bundled sample data;
* ``test`` — the whole test suite (unit, property, integration, lint, type check, docs);
* anything else is passed to ``uv run --frozen`` as is (``python3 run.py pedprof profiles``).
"""

from __future__ import annotations

import os
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


def _uv() -> Path:
    bindir = TOOLS / ("Scripts" if os.name == "nt" else "bin")
    uv = bindir / ("uv.exe" if os.name == "nt" else "uv")
    if not uv.exists():
        print(f"Установка uv {UV_VERSION} в {TOOLS} …", file=sys.stderr)
        venv.EnvBuilder(with_pip=True, clear=True).create(TOOLS)
        python = bindir / ("python.exe" if os.name == "nt" else "python")
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


def main(argv: list[str]) -> int:
    if sys.version_info < (3, 11):  # noqa: UP036 — the bootstrap must say so on an old Python
        print("Нужен Python 3.11 или новее", file=sys.stderr)
        return 2
    if not argv:
        print(__doc__)
        return 2
    command = COMMANDS.get(argv[0], [argv[0]]) + argv[1:]
    env = dict(os.environ, UV_PYTHON=sys.executable, UV_PYTHON_DOWNLOADS="never")
    uv = _uv()
    return subprocess.run([str(uv), "run", "--frozen", *command], cwd=ROOT, env=env).returncode


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
