"""``pedprof new-profile``: the scaffold installs and passes its own tests as generated."""

from __future__ import annotations

import os
import re
import shlex
import shutil
import subprocess
import sys
from pathlib import Path
from types import SimpleNamespace

import pytest
from click.testing import CliRunner

from pedprof.cli import main
from pedprof.model.profile_file import load_profile_file
from pedprof.scaffold import (
    INSTALL_STEPS,
    ScaffoldError,
    create_profile,
    install_steps,
    template_files,
)
from tests.conftest import REPO_ROOT, load_run_py, uv_command

GUIDE = REPO_ROOT / "docs" / "guides" / "new-profile.md"

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
    "src/pedprof_troitsk/profile.yaml",
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
    assert (
        '[project.entry-points."pedprof.profiles"]\ntroitsk = "pedprof_troitsk:profile.yaml"'
        in pyproject
    )
    assert "[tool.uv.sources]" not in pyproject  # outside the pedprof workspace
    # the profile is a declaration file, valid as generated
    declaration = root / "src/pedprof_troitsk/profile.yaml"
    assert 'territory: "Троицкий городской округ"' in declaration.read_text("utf-8")
    profile = load_profile_file(declaration)
    assert profile.id == "troitsk"
    assert [i.id for i in profile.indicators] == ["x01", "x02"]
    assert profile.targets["x01"].describe() == "ежегодно: значение ≥ 50"
    assert not any("{{" in (root / f).read_text("utf-8") for f in EXPECTED_FILES)


def test_every_template_is_rendered(tmp_path: Path) -> None:
    root = create_profile("town_2", tmp_path)
    assert len(_files(root)) == len(template_files())
    assert (root / "src/pedprof_town_2/profile.yaml").exists()
    assert 'name = "pedprof-town-2"' in (root / "pyproject.toml").read_text("utf-8")


@pytest.mark.parametrize("name", ["Troitsk", "2town", "town-name", "город", ""])
def test_bad_names_are_refused_in_russian(tmp_path: Path, name: str) -> None:
    result = CliRunner().invoke(main, ["new-profile", name, "-o", str(tmp_path)])
    assert result.exit_code != 0
    assert "строчных латинских букв" in result.output
    assert not any(tmp_path.iterdir())


def test_existing_files_are_kept_unless_forced(tmp_path: Path) -> None:
    root = create_profile("troitsk", tmp_path)
    marker = root / "src/pedprof_troitsk/profile.yaml"
    marker.write_text("# my work\n", encoding="utf-8")
    with pytest.raises(ScaffoldError, match="не пуст"):
        create_profile("troitsk", tmp_path)
    assert marker.read_text("utf-8") == "# my work\n"
    create_profile("troitsk", tmp_path, force=True)
    assert "indicators:" in marker.read_text("utf-8")


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


def test_a_profile_outside_the_workspace_members_does_not_take_pedprof_from_it(
    tmp_path: Path,
) -> None:
    # the repository root is not a member (members = profiles/*): `uv pip install -e` of a
    # profile created there would fail on «pedprof = { workspace = true }»
    (tmp_path / "pyproject.toml").write_text(
        '[project]\nname = "pedprof"\n\n[tool.uv.workspace]\nmembers = ["profiles/*"]\n'
        'exclude = ["profiles/old"]\n',
        encoding="utf-8",
    )
    for directory in (tmp_path, tmp_path / "profiles" / "nested", tmp_path / "profiles"):
        if directory.name == "profiles":
            root = create_profile("old", directory)  # profiles/old is excluded
        else:
            root = create_profile("troitsk", directory)
        assert "[tool.uv.sources]" not in (root / "pyproject.toml").read_text("utf-8"), root


# --------------------------------------------------------------------------- what to do next


def _code_blocks(markdown: str) -> list[list[str]]:
    """The plain fenced code blocks of a Markdown text (not ```{directive}), each as its
    non-empty lines without trailing ``# comments``."""
    blocks = []
    for match in re.finditer(r"^```([^\n]*)\n(.*?)^```", markdown, re.M | re.S):
        if match.group(1).strip():
            continue
        lines = [re.sub(r"\s+#\s.*$", "", line).rstrip() for line in match.group(2).splitlines()]
        blocks.append([line for line in lines if line])
    return blocks


def test_the_guide_shows_the_install_steps_of_the_scaffold() -> None:
    blocks = _code_blocks(GUIDE.read_text("utf-8"))
    assert install_steps("troitsk", "troitsk", where="pip") in blocks
    assert install_steps("troitsk", "troitsk", where="clone") in blocks
    assert install_steps("profiles/troitsk", "troitsk", where="workspace") in blocks
    assert set(INSTALL_STEPS) == {"pip", "clone", "workspace"}
    # written out: the commands a methodologist copies
    assert [
        "python3 run.py uv pip install -e troitsk",
        "python3 run.py pytest troitsk",
        "python3 run.py pedprof profiles",
        "python3 run.py pedprof demo --profile troitsk",
    ] in blocks


def _fake_clone(root: Path) -> Path:
    root.mkdir()
    (root / "run.py").write_text("", encoding="utf-8")
    (root / "pyproject.toml").write_text(
        '[project]\nname = "pedprof"\n\n[tool.uv.workspace]\nmembers = ["profiles/*"]\n',
        encoding="utf-8",
    )
    return root


def _steps(output: str) -> list[str]:
    return [line.strip() for line in output.splitlines() if line.startswith("  ")]


def test_new_profile_says_how_to_install_in_an_environment_with_pip(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(tmp_path)
    result = CliRunner().invoke(main, ["new-profile", "troitsk", "-o", "work"])
    assert result.exit_code == 0, result.output
    assert _steps(result.output) == [
        "pip install -e work/troitsk",
        "python -m pytest work/troitsk",
        "pedprof profiles",
        "pedprof demo --profile troitsk",
    ]


def test_new_profile_in_a_clone_says_how_to_install_through_run_py(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    clone = _fake_clone(tmp_path / "pedprof")
    monkeypatch.chdir(clone)
    result = CliRunner().invoke(main, ["new-profile", "troitsk"])
    assert result.exit_code == 0, result.output
    assert _steps(result.output) == [
        "python3 run.py uv pip install -e troitsk",
        "python3 run.py pytest troitsk",
        "python3 run.py pedprof profiles",
        "python3 run.py pedprof demo --profile troitsk",
    ]
    # a workspace member: the lock must learn of it first
    result = CliRunner().invoke(main, ["new-profile", "town", "-o", "profiles"])
    assert result.exit_code == 0, result.output
    assert _steps(result.output) == [
        "python3 run.py uv lock",
        "python3 run.py pytest profiles/town",
        "python3 run.py pedprof profiles",
        "python3 run.py pedprof demo --profile town",
    ]
    assert "pedprof-town = { workspace = true }" in result.output


# --------------------------------------------------------------------------- uv, as run.py finds it


def test_find_uv_prefers_the_pinned_uv_then_path_then_the_module_then_installs(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    run = load_run_py()
    pinned = tmp_path / "tools" / "uv"
    monkeypatch.setattr(run, "_uv_path", lambda: pinned)
    monkeypatch.setattr(run, "_uv", lambda: Path("/installed/uv"))
    no_module = SimpleNamespace(util=SimpleNamespace(find_spec=lambda name: None))
    monkeypatch.setattr(run, "importlib", no_module)
    monkeypatch.delenv("UV", raising=False)
    empty = tmp_path / "empty"
    empty.mkdir()
    monkeypatch.setenv("PATH", str(empty))
    # nothing anywhere: run.py installs its pinned uv
    assert run.find_uv() == ["/installed/uv"]
    # the uv package is importable: python -m uv
    module = SimpleNamespace(util=SimpleNamespace(find_spec=lambda name: name == "uv" or None))
    monkeypatch.setattr(run, "importlib", module)
    assert run.find_uv() == [sys.executable, "-m", "uv"]
    # uv on PATH comes before the module
    bindir = tmp_path / "bin"
    bindir.mkdir()
    on_path = bindir / "uv"
    on_path.write_text("#!/bin/sh\n", encoding="utf-8")
    on_path.chmod(0o755)
    monkeypatch.setenv("PATH", str(bindir))
    assert run.find_uv() == [str(on_path)]
    # the uv that runs the tests (`uv run` sets UV) comes before PATH
    running = tmp_path / "running-uv"
    running.write_text("", encoding="utf-8")
    monkeypatch.setenv("UV", str(running))
    assert run.find_uv() == [str(running)]
    # and the pinned one, once run.py has installed it, before everything
    pinned.parent.mkdir()
    pinned.write_text("", encoding="utf-8")
    assert run.find_uv() == [str(pinned)]


def test_uv_command_is_run_py_s_uv() -> None:
    # in this checkout run.py has installed its pinned uv (or the tests found another)
    command = uv_command()
    assert command == load_run_py().find_uv()
    version = subprocess.run([*command, "--version"], capture_output=True, text=True, check=True)
    assert version.stdout.startswith("uv ")


class _Calls:
    def __init__(self) -> None:
        self.calls: list[tuple[list[str], dict[str, str], Path]] = []

    def __call__(
        self, args: list[str], *, cwd: Path, env: dict[str, str]
    ) -> subprocess.CompletedProcess[str]:
        self.calls.append((list(args), dict(env), Path(cwd)))
        return subprocess.CompletedProcess(args, 0)


def test_run_py_passes_uv_pip_to_the_project_environment(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    run = load_run_py()
    calls = _Calls()
    monkeypatch.setattr(run, "ROOT", tmp_path)
    monkeypatch.setattr(run, "_uv", lambda: Path("/pinned/uv"))
    monkeypatch.setattr(run.subprocess, "run", calls)
    monkeypatch.setenv("UV_PYTHON", "/usr/bin/python3")
    monkeypatch.setenv("VIRTUAL_ENV", "/somewhere/else")
    monkeypatch.delenv("UV_PROJECT_ENVIRONMENT", raising=False)
    python = ["--python", sys.executable]

    # a fresh clone: no .venv yet — it is created, then uv pip installs into it
    assert run.main(["uv", "pip", "install", "-e", "troitsk"]) == 0
    (sync, sync_env, sync_cwd), (pip, pip_env, pip_cwd) = calls.calls
    assert sync == ["/pinned/uv", "sync", "--frozen", *python]
    assert pip == ["/pinned/uv", "pip", "install", "-e", "troitsk"]
    assert pip_env["VIRTUAL_ENV"] == str(tmp_path / ".venv")
    # a UV_PYTHON would send `uv pip` to that interpreter instead of .venv/
    assert "UV_PYTHON" not in pip_env and "UV_PYTHON" not in sync_env
    assert sync_cwd == pip_cwd == tmp_path

    calls.calls.clear()
    (tmp_path / ".venv").mkdir()
    assert run.main(["uv", "pip", "install", "-e", "troitsk"]) == 0
    assert [c[0] for c in calls.calls] == [["/pinned/uv", "pip", "install", "-e", "troitsk"]]

    # project commands of uv run with run.py's interpreter
    calls.calls.clear()
    assert run.main(["uv", "lock"]) == 0
    [(lock, lock_env, _)] = calls.calls
    assert lock == ["/pinned/uv", "lock"]
    assert lock_env["UV_PYTHON"] == sys.executable

    # everything else through `uv run --frozen`, without UV_PYTHON for what it runs
    calls.calls.clear()
    assert run.main(["pedprof", "profiles"]) == 0
    assert run.main(["test"]) == 0
    (profiles, profiles_env, _), (test, _, _) = calls.calls
    assert profiles == ["/pinned/uv", "run", "--frozen", *python, "pedprof", "profiles"]
    assert test == ["/pinned/uv", "run", "--frozen", *python, *run.COMMANDS["test"]]
    assert "UV_PYTHON" not in profiles_env and "VIRTUAL_ENV" not in profiles_env


# --------------------------------------------------------------------------- installed for real


def _run(
    *args: str, env: dict[str, str] | None = None, cwd: Path | None = None
) -> subprocess.CompletedProcess[str]:
    return subprocess.run(args, capture_output=True, text=True, check=False, env=env, cwd=cwd)


def _without_uv_on_path(env: dict[str, str]) -> dict[str, str]:
    """``env`` with every directory holding a ``uv`` dropped from PATH (a bare machine)."""
    dirs = env.get("PATH", "").split(os.pathsep)
    return {**env, "PATH": os.pathsep.join(d for d in dirs if d and not (Path(d) / "uv").exists())}


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
        *uv_command(),
        "pip",
        "install",
        "--quiet",
        "--no-deps",
        "--target",
        str(site),
        str(root),
        env=_without_uv_on_path({**os.environ, "UV_NO_PROGRESS": "1"}),
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


def _clone(destination: Path) -> Path:
    """A fresh clone of this checkout: the project files without any environment. The
    pinned uv run.py installed here is lent to it (installing it needs the network)."""
    destination.mkdir()
    for name in ("run.py", "pyproject.toml", "uv.lock", "README.md"):
        shutil.copy2(REPO_ROOT / name, destination / name)
    skip = shutil.ignore_patterns("__pycache__", "*.egg-info", ".venv", "out", "_build", ".*")
    for name in ("src", "profiles"):
        shutil.copytree(REPO_ROOT / name, destination / name, ignore=skip)
    run = load_run_py()
    pinned = run._uv_path()
    lent = destination / pinned.relative_to(run.ROOT)
    lent.parent.mkdir(parents=True)
    uv = uv_command()
    if len(uv) == 1:
        lent.symlink_to(uv[0])
    else:  # `python -m uv`
        lent.write_text(f'#!/bin/sh\nexec {shlex.join(uv)} "$@"\n', encoding="utf-8")
        lent.chmod(0o755)
    return destination


def _doc_command(line: str) -> list[str]:
    """A command of the guide, run by this interpreter (``python3`` there)."""
    args = shlex.split(line)
    assert args[:2] == ["python3", "run.py"], line
    return [sys.executable, *args[1:]]


@pytest.mark.slow
@pytest.mark.skipif(os.name == "nt", reason="the clone lends a POSIX uv")
def test_the_guide_s_commands_work_in_a_fresh_clone(tmp_path: Path) -> None:
    """The guide's commands for a clone of pedprof, literally: create the profile, install it
    into the project's environment (which has no pip), run its tests, list it, run its demo —
    with no uv on PATH and no network."""
    clone = _clone(tmp_path / "pedprof")
    env = {
        k: v
        for k, v in os.environ.items()
        if k not in ("VIRTUAL_ENV", "UV_PROJECT_ENVIRONMENT", "COLUMNS")
    }
    env = _without_uv_on_path({**env, "UV_OFFLINE": "1", "UV_NO_PROGRESS": "1"})
    blocks = _code_blocks(GUIDE.read_text("utf-8"))
    [create] = [b[0] for b in blocks if b[0].startswith("python3 run.py pedprof new-profile")]
    steps = install_steps("troitsk", "troitsk", where="clone")
    assert steps in blocks

    made = _run(*_doc_command(create), env=env, cwd=clone)
    assert made.returncode == 0, made.stdout + made.stderr
    assert "[tool.uv.sources]" not in (clone / "troitsk" / "pyproject.toml").read_text("utf-8")
    outputs = []
    for step in steps:
        done = _run(*_doc_command(step), env=env, cwd=clone)
        assert done.returncode == 0, f"{step}\n{done.stdout}\n{done.stderr}"
        outputs.append(done.stdout)
    _, tests, listed, demo = outputs
    assert "5 passed" in tests
    row = next(line for line in listed.splitlines() if " troitsk " in line)
    assert "pedprof-troitsk" in row and "Троицкий городской округ" in row
    assert "Троицкий городской округ" in demo and "42,9 %" in demo
    assert (clone / "out" / "troitsk-demo.xlsx").is_file()
