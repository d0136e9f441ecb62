"""The curated public namespace."""

from __future__ import annotations

import ast
import importlib
from pathlib import Path

import pedprof


def test_every_name_in_all_imports() -> None:
    # the order itself is checked by ruff (RUF022, isort-style); here: no duplicates
    assert len(set(pedprof.__all__)) == len(pedprof.__all__)
    module = importlib.import_module("pedprof")
    for name in pedprof.__all__:
        assert getattr(module, name) is not None, name


def test_nothing_private_leaks() -> None:
    public = {n for n in dir(pedprof) if not n.startswith("_")}
    modules = {n for n in public if type(getattr(pedprof, n)).__name__ == "module"}
    assert public - modules == set(pedprof.__all__) - {"__version__"}


def test_the_facade() -> None:
    for name in ("list_profiles", "get_profile", "load_sample", "compute"):
        assert name in pedprof.__all__
    assert isinstance(pedprof.__version__, str)


def test_the_lazy_names_match_all_and_the_type_checking_imports() -> None:
    # PEP 562: every public name has a module to load it from, and the same name is imported
    # under TYPE_CHECKING (what mypy and IDEs see) from the same module
    lazy: dict[str, str] = pedprof._LAZY
    assert set(lazy) == set(pedprof.__all__) - {"__version__"}
    tree = ast.parse(Path(pedprof.__file__).read_text(encoding="utf-8"))
    guarded = next(
        n
        for n in tree.body
        if isinstance(n, ast.If) and isinstance(n.test, ast.Name) and n.test.id == "TYPE_CHECKING"
    )
    seen = {
        alias.name: node.module
        for node in guarded.body
        if isinstance(node, ast.ImportFrom)
        for alias in node.names
    }
    assert seen == lazy
    for name, module in lazy.items():
        assert getattr(pedprof, name) is getattr(importlib.import_module(module), name), name


def test_from_pedprof_import_star_gives_all() -> None:
    namespace: dict[str, object] = {}
    exec("from pedprof import *", namespace)
    assert set(pedprof.__all__) <= set(namespace)
