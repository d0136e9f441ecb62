"""``pedprof new-profile``: the scaffold installs and passes its own tests as generated."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest
from click.testing import CliRunner

from pedprof.cli import main
from pedprof.scaffold import ScaffoldError, create_profile, template_files

EXPECTED_FILES = {
    "README.md",
    "docs/troitsk.md",
    "pyproject.toml",
    "src/pedprof_troitsk/__init__.py",
    "src/pedprof_troitsk/data/sample/README.md",
    "src/pedprof_troitsk/data/sample/municipalities.csv",
    "src/pedprof_troitsk/data/sample/organizations.csv",
    "src/pedprof_troitsk/data/sample/regions.csv",
    "src/pedprof_troitsk/data/sample/staff.csv",
    "src/pedprof_troitsk/indicators.py",
    "src/pedprof_troitsk/sample.py",
    "src/pedprof_troitsk/sources.py",
    "tests/test_troitsk.py",
}


def _files(root: Path) -> set[str]:
    return {p.relative_to(root).as_posix() for p in root.rglob("*") if p.is_file()}


def test_cli_creates_the_profile_distribution(tmp_path: Path) -> None:
    result = CliRunner().invoke(
        main,
        [
            "new-profile",
            "troitsk",
            "-o",
            str(tmp_path),
            "--territory",
            "Троицкий городской округ",
            "--region",
            "Челябинская область",
        ],
    )
    assert result.exit_code == 0, result.output
    assert "Профиль «troitsk» создан" in result.output
    root = tmp_path / "troitsk"
    assert _files(root) == EXPECTED_FILES
    pyproject = (root / "pyproject.toml").read_text("utf-8")
    assert 'name = "pedprof-troitsk"' in pyproject
    assert '[project.entry-points.pedprof]\ntroitsk = "pedprof_troitsk"' in pyproject
    assert "[tool.uv.sources]" not in pyproject  # outside the pedprof workspace
    module = (root / "src/pedprof_troitsk/__init__.py").read_text("utf-8")
    assert 'territory="Троицкий городской округ"' in module
    assert 'PROFILE_ID = "troitsk"' in module
    assert not any("{{" in (root / f).read_text("utf-8") for f in EXPECTED_FILES)


def test_every_template_is_rendered(tmp_path: Path) -> None:
    root = create_profile("town_2", tmp_path)
    assert len(_files(root)) == len(template_files())
    assert (root / "src/pedprof_town_2/indicators.py").exists()
    assert 'name = "pedprof-town-2"' in (root / "pyproject.toml").read_text("utf-8")


@pytest.mark.parametrize("name", ["Troitsk", "2town", "town-name", "город", ""])
def test_bad_names_are_refused_in_russian(tmp_path: Path, name: str) -> None:
    result = CliRunner().invoke(main, ["new-profile", name, "-o", str(tmp_path)])
    assert result.exit_code != 0
    assert "строчных латинских букв" in result.output
    assert not any(tmp_path.iterdir())


def test_existing_files_are_kept_unless_forced(tmp_path: Path) -> None:
    root = create_profile("troitsk", tmp_path)
    marker = root / "src/pedprof_troitsk/indicators.py"
    marker.write_text("# my work\n", encoding="utf-8")
    with pytest.raises(ScaffoldError, match="не пуст"):
        create_profile("troitsk", tmp_path)
    assert marker.read_text("utf-8") == "# my work\n"
    create_profile("troitsk", tmp_path, force=True)
    assert "def indicators()" in marker.read_text("utf-8")


def test_quotes_in_names_are_refused(tmp_path: Path) -> None:
    with pytest.raises(ScaffoldError, match="без кавычек"):
        create_profile("troitsk", tmp_path, territory='Округ "Троицкий"')


def test_inside_the_pedprof_workspace_the_core_comes_from_the_workspace(tmp_path: Path) -> None:
    (tmp_path / "pyproject.toml").write_text(
        '[project]\nname = "pedprof"\n\n[tool.uv.workspace]\nmembers = ["profiles/*"]\n',
        encoding="utf-8",
    )
    root = create_profile("troitsk", tmp_path / "profiles")
    pyproject = (root / "pyproject.toml").read_text("utf-8")
    assert "[tool.uv.sources]\npedprof = { workspace = true }" in pyproject


def _run(*args: str, env: dict[str, str] | None = None) -> subprocess.CompletedProcess[str]:
    return subprocess.run(args, capture_output=True, text=True, check=False, env=env)


@pytest.mark.slow
def test_generated_profile_installs_and_passes_its_own_tests(tmp_path: Path) -> None:
    root = create_profile(
        "troitsk",
        tmp_path / "work",
        territory="Троицкий городской округ",
        region="Челябинская область",
    )
    # the generated code is lint- and format-clean under its own ruff settings
    lint = _run(sys.executable, "-m", "ruff", "check", "--no-cache", str(root))
    assert lint.returncode == 0, lint.stdout + lint.stderr
    fmt = _run(sys.executable, "-m", "ruff", "format", "--check", "--no-cache", str(root))
    assert fmt.returncode == 0, fmt.stdout + fmt.stderr
    # install (a real wheel build through the profile's own build backend) into a target dir
    site = tmp_path / "site"
    install = _run(
        "uv",
        "pip",
        "install",
        "--quiet",
        "--no-deps",
        "--target",
        str(site),
        str(root),
        env={**os.environ, "UV_NO_PROGRESS": "1"},
    )
    assert install.returncode == 0, install.stdout + install.stderr
    assert (site / "pedprof_troitsk" / "data" / "sample" / "staff.csv").exists()
    env = {**os.environ, "PYTHONPATH": str(site)}
    # its own tests, exactly as generated, against the installed plugin (not the source tree)
    tests = _run(
        sys.executable, "-m", "pytest", "-q", "-p", "no:xdist", str(root / "tests"), env=env
    )
    assert tests.returncode == 0, tests.stdout + tests.stderr
    assert "5 passed" in tests.stdout
    # and the demo finds it through its entry point
    demo = _run(
        sys.executable,
        "-m",
        "pedprof.cli",
        "demo",
        "--profile",
        "troitsk",
        "-o",
        str(tmp_path / "demo.xlsx"),
        env={**env, "COLUMNS": "200"},
    )
    assert demo.returncode == 0, demo.stdout + demo.stderr
    assert "Троицкий городской округ" in demo.stdout
    assert "42,9 %" in demo.stdout and "50,0 %" in demo.stdout
