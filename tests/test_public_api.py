"""The curated public namespace."""

from __future__ import annotations

import importlib

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
