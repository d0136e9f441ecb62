"""Hypothesis strategies and a plain-pandas reference for the engine's formula families."""

from __future__ import annotations

import numpy as np
import pandas as pd
from hypothesis import strategies as st

from pedprof import Dataset

ORGS = {"o1": "m1", "o2": "m1", "o3": "m2", "o4": "m2", "o5": "m3", "o6": "m3"}
MUNIS = {"m1": "r1", "m2": "r1", "m3": "r2"}
PERIODS = ["2020-2021", "2021-2022", "2022-2023"]


def hierarchy() -> tuple[pd.DataFrame, pd.DataFrame, pd.DataFrame]:
    """Regions, municipalities and organisations of the small test territory."""
    regions = pd.DataFrame({"region_id": ["r1", "r2"], "name": ["Р1", "Р2"]})
    munis = pd.DataFrame(
        {
            "municipality_id": list(MUNIS),
            "name": [f"М{m}" for m in MUNIS],
            "region_id": list(MUNIS.values()),
        }
    )
    orgs = pd.DataFrame(
        {
            "org_id": list(ORGS),
            "name": [f"ОО {o}" for o in ORGS],
            "municipality_id": list(ORGS.values()),
            "kind": "school",
        }
    )
    return regions, munis, orgs


@st.composite
def staff_tables(draw: st.DrawFn, max_rows: int = 40) -> pd.DataFrame:
    """A staff table: unique (period, org, person) rows with two flags and a category.

    Persons may appear in several organisations in the same period (part-time posts).
    """
    keys = draw(
        st.lists(
            st.tuples(
                st.sampled_from(PERIODS),
                st.sampled_from(list(ORGS)),
                st.integers(0, 14),
            ),
            min_size=0,
            max_size=max_rows,
            unique=True,
        )
    )
    n = len(keys)
    a = draw(st.lists(st.booleans(), min_size=n, max_size=n))
    b = draw(st.lists(st.booleans(), min_size=n, max_size=n))
    cat = draw(st.lists(st.sampled_from(["teacher", "manager"]), min_size=n, max_size=n))
    frame = pd.DataFrame(
        {
            "period": [k[0] for k in keys],
            "org_id": [k[1] for k in keys],
            "person_id": [f"p{k[2]}" for k in keys],
            "category": cat,
            "a": a,
            "b": b,
        }
    )
    return frame


def dataset(staff: pd.DataFrame, **extra: pd.DataFrame) -> Dataset:
    """A dataset over the test hierarchy with the given staff table."""
    regions, munis, orgs = hierarchy()
    return Dataset(
        regions=regions, municipalities=munis, organizations=orgs, tables={"staff": staff, **extra}
    )


def reference_share(staff: pd.DataFrame, pop: str, num: str, level: str) -> pd.DataFrame:
    """Plain pandas: distinct persons per unit and period, a person counts once per unit.

    ``pop`` and ``num`` are boolean column names; returns columns unit, period, num, den.
    """
    df = staff.copy()
    df["municipality"] = df["org_id"].map(ORGS)
    df["region"] = df["municipality"].map(MUNIS)
    df["organization"] = df["org_id"]
    df = df[df[pop].astype(bool)]
    per_person = df.groupby(["person_id", level, "period"], as_index=False)[num].max()
    out = per_person.groupby([level, "period"], as_index=False).agg(
        num=(num, "sum"), den=(num, "size")
    )
    return out.rename(columns={level: "unit"})


def as_lookup(frame: pd.DataFrame) -> dict[tuple[str, str], tuple[float, float]]:
    """``(unit, period) -> (num, den)``."""
    return {
        (str(r.unit), str(r.period)): (float(r.num), float(r.den))
        for r in frame.itertuples(index=False)
    }


def shuffled(frame: pd.DataFrame, seed: int) -> pd.DataFrame:
    """The same rows in another order."""
    rng = np.random.default_rng(seed)
    return frame.iloc[rng.permutation(len(frame))].reset_index(drop=True)


# --------------------------------------------------------------------------- target boundaries


@st.composite
def decimal_thresholds(draw: st.DrawFn, low: int = 0, high: int = 100) -> float:
    """A number as an order writes it — a decimal with at most two places (33.3, 75, 0.25)
    — as the float a profile declares it with."""
    scale = 10 ** draw(st.sampled_from([0, 1, 2]))
    return draw(st.integers(low * scale, high * scale)) / scale


@st.composite
def counts(draw: st.DrawFn, min_numerator: int = 0, max_denominator: int = 5000) -> tuple[int, int]:
    """Arbitrary integer counts ``(numerator, denominator)`` of a share: 0 ≤ num ≤ den."""
    den = draw(st.integers(max(1, min_numerator), max_denominator))
    return draw(st.integers(min_numerator, den)), den
