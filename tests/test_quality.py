"""Static quality gates that run inside the test suite: ruff, mypy, the Sphinx build."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]


def _run(*args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(args, cwd=ROOT, capture_output=True, text=True, check=False)


def test_ruff_lint_clean() -> None:
    result = _run(sys.executable, "-m", "ruff", "check", ".")
    assert result.returncode == 0, result.stdout + result.stderr


def test_ruff_format_clean() -> None:
    result = _run(sys.executable, "-m", "ruff", "format", "--check", ".")
    assert result.returncode == 0, result.stdout + result.stderr


def test_core_type_checks() -> None:
    result = _run(sys.executable, "-m", "mypy")
    assert result.returncode == 0, result.stdout + result.stderr


def _new_files_under_docs() -> set[str]:
    """Untracked or ignored paths under docs/ (what a build writing there would create)."""
    result = _run("git", "status", "--porcelain", "--ignored", "--untracked-files=all", "docs")
    assert result.returncode == 0, result.stderr
    return {line[3:] for line in result.stdout.splitlines() if line[:2] in {"??", "!!"}}


def _undocumented_commands(html: str) -> list[str]:
    """Commands and subcommands (and their options) of ``pedprof`` — lazily loaded or
    not — without a heading (an option flag) on the command-line reference page."""
    import re

    import click

    from pedprof.cli import main

    missing: list[str] = []

    def walk(group: click.Group, ctx: click.Context, prefix: str) -> None:
        for name in group.list_commands(ctx):
            command = group.get_command(ctx, name)
            assert command is not None, prefix + name
            if not re.search(rf"<h[2-6]>{re.escape(name)}<", html):
                missing.append(prefix + name)
            for param in command.params:
                if isinstance(param, click.Option):
                    missing.extend(
                        f"{prefix}{name} {flag}"
                        for flag in param.opts
                        if not re.search(rf">{re.escape(flag)}<", html)
                    )
            if isinstance(command, click.Group):
                walk(command, click.Context(command, parent=ctx), f"{prefix}{name} ")

    walk(main, click.Context(main), "")
    return missing


def test_the_command_reference_check_can_fail() -> None:
    """A page without the commands' headings and flags reports every command."""
    import click

    from pedprof.cli import main

    missing = _undocumented_commands("<h3>compute</h3>")
    assert "compute" not in missing
    assert set(main.list_commands(click.Context(main))) - {"compute"} <= set(missing)
    assert "compute --profile" in missing


@pytest.mark.slow
def test_sphinx_docs_build_without_warnings(tmp_path: Path) -> None:
    """The docs build with ``-W`` (every warning is an error) and write nothing into the
    source tree: generated pages and tables live in memory or in the output directory."""
    before = _new_files_under_docs()
    result = _run(
        sys.executable,
        "-m",
        "sphinx",
        "-W",
        "--keep-going",
        "-q",
        "-b",
        "html",
        "docs",
        str(tmp_path / "html"),
    )
    assert result.returncode == 0, result.stdout + result.stderr
    created = _new_files_under_docs() - before
    assert not created, f"the docs build wrote into the source tree: {sorted(created)}"
    html = tmp_path / "html"
    # the generated parts are there: the command reference (sphinx-click), the
    # architecture from the import contract, a profile's catalogue
    cli = (html / "reference" / "cli.html").read_text(encoding="utf-8")
    assert _undocumented_commands(cli) == []
    architecture = (html / "architecture.html").read_text(encoding="utf-8")
    assert "<svg" in architecture and "pedprof.engine" in architecture
    catalogue = (html / "profiles" / "catalogue" / "karabash.html").read_text(encoding="utf-8")
    assert "k08" in catalogue
