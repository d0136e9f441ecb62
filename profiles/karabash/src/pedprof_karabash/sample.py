"""The bundled synthetic sample (see ``data/sample/README.md``)."""

from __future__ import annotations

from importlib import resources

import pandas as pd

from pedprof import Dataset
from pedprof.model.sources import coerce_frame
from pedprof.plugins.defaults import ORGANIZATIONS
from pedprof_karabash.sources import SOURCES

TABLES = tuple(s.name for s in SOURCES)


def _read(name: str) -> pd.DataFrame:
    path = resources.files("pedprof_karabash").joinpath(f"data/sample/{name}.csv")
    with path.open("rb") as fh:
        return pd.read_csv(fh, dtype=str, keep_default_na=False, na_values=[""])


def load_sample() -> Dataset:
    """The synthetic Karabash sample: ten organisations, school years 2020-2021 … 2023-2024."""
    by_name = {s.name: s for s in SOURCES}
    tables = {name: coerce_frame(by_name[name], _read(name)) for name in TABLES}
    return Dataset(
        regions=_read("regions"),
        municipalities=_read("municipalities"),
        organizations=coerce_frame(ORGANIZATIONS, _read("organizations")),
        tables=tables,
        submissions=_read("submissions"),
    )
