"""The stages depend downwards only: the import contracts of pyproject.toml hold."""

from __future__ import annotations

from pathlib import Path

import pytest
from importlinter.cli import lint_imports

import pedprof

REPO_ROOT = Path(__file__).resolve().parent.parent


def test_import_contracts_are_kept(monkeypatch: pytest.MonkeyPatch) -> None:
    """Layers (cli → app → reports → rating | cycle → evaluate → io → engine → plugins →
    model → formatting | errors), a pure engine, and no cycle in any package."""
    monkeypatch.chdir(REPO_ROOT)
    monkeypatch.syspath_prepend(str(REPO_ROOT / "src"))
    assert lint_imports(config_filename=str(REPO_ROOT / "pyproject.toml")) == 0


def test_the_package_is_typed() -> None:
    """``py.typed`` ships with the package, so profile authors type-check against it."""
    assert (Path(pedprof.__file__).parent / "py.typed").is_file()
