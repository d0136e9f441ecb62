"""Meta-tests keeping the docs honest (as datasette checks its hooks): every public name is
in the API reference, every installed profile has its catalogue page."""

from __future__ import annotations

import importlib
import re
from pathlib import Path
from types import ModuleType

import pytest

import pedprof

DOCS = Path(__file__).resolve().parents[1] / "docs"
API = DOCS / "reference" / "api.rst"


def api_reference_text() -> str:
    """docs/reference/api.rst, plus the errors page (``docs/reference/errors.*``, kept by
    the errors' owners), where the exception classes are documented once."""
    pages = [API, *sorted((DOCS / "reference").glob("errors.*"))]
    return "\n".join(p.read_text(encoding="utf-8") for p in pages)


_ENTRY = re.compile(
    r"^\.\. auto(?:function|class|data|exception|attribute|decorator)::\s+(\S+)", re.MULTILINE
)
_MODULE = re.compile(r"^\.\. automodule::\s+(\S+)\s*\n((?:[ \t]+:[^\n]*\n?)*)", re.MULTILINE)


def _resolve(dotted: str) -> object:
    module_name, _, attribute = dotted.rpartition(".")
    return getattr(importlib.import_module(module_name), attribute)


def documented_objects(text: str) -> list[tuple[str, object]]:
    """(name, object) of every ``auto*`` entry and every member an ``automodule`` lists."""
    found: list[tuple[str, object]] = []
    for dotted in _ENTRY.findall(text):
        found.append((dotted.rpartition(".")[2], _resolve(dotted)))
    for module_name, options in _MODULE.findall(text):
        members = re.search(r":members:[ \t]*(.*)", options)
        if members is None or not members.group(1).strip():
            continue  # ``:members:`` alone documents whatever has a docstring: not a list
        module = importlib.import_module(module_name)
        for name in (n.strip() for n in members.group(1).split(",")):
            if name:
                found.append((name, getattr(module, name)))
    return found


def _undocumented(names: list[str], text: str) -> list[str]:
    documented = documented_objects(text)
    missing = []
    for name in names:
        obj = getattr(pedprof, name)
        if not any(n == name and o is obj for n, o in documented):
            missing.append(name)
    return missing


def test_every_public_name_is_in_the_api_reference() -> None:
    """``pedprof.__all__`` as it is at test time: each name has an entry in
    docs/reference/api.rst or the errors page (``autofunction``/``autoclass``/``autodata``… or a listed
    ``automodule`` member) that is that very object."""
    names = [n for n in pedprof.__all__ if n != "__version__"]
    missing = _undocumented(names, api_reference_text())
    assert not missing, f"add to docs/reference/api.rst: {missing}"


def test_the_meta_test_can_fail() -> None:
    """A name without an entry, or an entry naming another object, is reported."""
    text = ".. autofunction:: pedprof.compute\n.. autoclass:: pedprof.model.data.Dataset\n"
    assert _undocumented(["compute", "Dataset", "rate"], text) == ["rate"]
    moved = ".. automodule:: pedprof.evaluate.analysis\n   :members: analyze\n"
    assert _undocumented(["analyze", "compute"], moved) == ["compute"]


@pytest.mark.parametrize("profile_id", [p.id for p in pedprof.list_profiles()])
def test_every_installed_profile_has_a_catalogue_page(profile_id: str) -> None:
    """The stub the build fills with the profile's catalogue (docs/_ext/pedprof_docs.py)."""
    assert (DOCS / "profiles" / "catalogue" / f"{profile_id}.md").is_file()


def _extension() -> ModuleType:
    import sys

    sys.path.insert(0, str(DOCS / "_ext"))
    try:
        import pedprof_docs
    finally:
        sys.path.pop(0)
    return pedprof_docs


def test_the_architecture_page_describes_every_package_of_the_import_contract() -> None:
    """docs/architecture.md has one line per package of the ``layers`` contract of
    pyproject.toml (the one tests/test_architecture.py enforces), and no other."""
    layers = _extension().import_layers(DOCS.parent / "pyproject.toml")
    in_contract = {name for names, _, _ in layers for name in names}
    assert {"pedprof.engine", "pedprof.model", "pedprof.cli"} <= in_contract
    text = (DOCS / "architecture.md").read_text(encoding="utf-8")
    block = text.split("```{pedprof-architecture}", 1)[1].split("```", 1)[0]
    described = {line.split(":", 1)[0].strip() for line in block.splitlines() if line.strip()}
    assert described == in_contract


def test_the_layers_are_read_as_import_linter_reads_them(tmp_path: Path) -> None:
    """Top first; ``|`` independent siblings; parentheses: optional."""
    pyproject = tmp_path / "pyproject.toml"
    pyproject.write_text(
        '[[tool.importlinter.contracts]]\nname = "x"\ntype = "layers"\n'
        'layers = ["a.cli", "(a.app)", "a.b | a.c", "a.d"]\n',
        encoding="utf-8",
    )
    assert _extension().import_layers(pyproject) == [
        (["a.cli"], False, False),
        (["a.app"], False, True),
        (["a.b", "a.c"], True, False),
        (["a.d"], False, False),
    ]
