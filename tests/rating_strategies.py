"""Hypothesis strategies for the rating tests: small results frames of ``compute``'s shape.

Values are multiples of 0.5 so differences and ratios are computed exactly, which makes
the exact properties (monotonicity, rescaling by powers of two) hold bit for bit.
"""

from __future__ import annotations

from typing import Any

import attrs
import numpy as np
import pandas as pd
from hypothesis import strategies as st

PERIODS = ("2022-2023", "2023-2024")
STARTS = {"2022-2023": pd.Timestamp("2022-09-01"), "2023-2024": pd.Timestamp("2023-09-01")}
STATES = ("value", "no_data", "not_applicable")

#: Unit and parent ids: any text the Arrow-backed ``str`` dtype accepts.
ids = st.text(alphabet=st.characters(codec="utf-8"), min_size=1, max_size=5)
values = st.integers(0, 200).map(lambda x: x / 2)


@attrs.frozen
class Case:
    """A generated rating input."""

    frame: pd.DataFrame
    directions: dict[str, int]
    weights: dict[str, float]
    criteria: dict[str, str | None]


def build_frame(rows: list[dict[str, Any]], *, categorical: bool = False) -> pd.DataFrame:
    """The contract frame from row dicts (missing keys get their defaults).

    :param rows: dicts with at least indicator, unit, parent, period, value, state.
    :param categorical: use the categorical dtypes ``compute`` returns.
    :returns: the frame.
    """
    defaults: dict[str, Any] = {
        "breakdown": None,
        "level": "organization",
        "numerator": np.nan,
        "denominator": np.nan,
        "target": np.nan,
        "target_met": None,
        "target_due": False,
    }
    full = [{**defaults, **r} for r in rows]
    n = len(full)

    def col(name: str) -> list[Any]:
        return [r[name] for r in full]

    state = col("state")
    value = np.array(col("value"), dtype=float)
    value[np.array(state) != "value"] = np.nan
    period = col("period")
    frame = pd.DataFrame(
        {
            "indicator": pd.array(col("indicator"), dtype="str"),
            "breakdown": pd.array(col("breakdown"), dtype="str"),
            "level": pd.array(col("level"), dtype="str"),
            "unit": pd.array(col("unit"), dtype="str"),
            "parent": pd.array(col("parent"), dtype="str"),
            "period": pd.array(period, dtype="str"),
            "period_start": pd.to_datetime(
                [STARTS.get(p, pd.Timestamp(str(p)[:4] + "-01-01")) for p in period]
            ),
            "numerator": np.array(col("numerator"), dtype=float),
            "denominator": np.array(col("denominator"), dtype=float),
            "value": value,
            "state": pd.array(state, dtype="str"),
            "target": np.array(col("target"), dtype=float),
            "target_met": pd.array(col("target_met"), dtype="boolean"),
            "target_due": np.array(col("target_due"), dtype=bool),
        },
        index=pd.RangeIndex(n),
    )
    if categorical:
        for col in ("level", "unit", "parent", "period", "state"):
            frame[col] = frame[col].astype("category")
    return frame


def met(value: float, target: float, direction: int) -> bool | None:
    """Whether a value meets its target in the indicator's direction (None: no target)."""
    if target is None or np.isnan(target) or np.isnan(value):
        return None
    return bool(value >= target) if direction > 0 else bool(value <= target)


@st.composite
def cases(
    draw: st.DrawFn,
    *,
    min_units: int = 1,
    max_units: int = 7,
    max_indicators: int = 4,
    max_parents: int = 3,
    state_weights: tuple[int, int, int] = (7, 2, 1),
    with_criteria: bool | None = None,
) -> Case:
    """A small results frame with directions, weights and maybe criteria.

    :returns: a :class:`Case`.
    """
    n_ind = draw(st.integers(1, max_indicators))
    inds = [f"k{i + 1:02d}" for i in range(n_ind)]
    directions = {k: draw(st.sampled_from([1, -1])) for k in inds}
    targets = {k: draw(st.none() | st.integers(1, 100).map(float)) for k in inds}
    weights = {k: float(draw(st.integers(1, 4))) for k in inds}
    use_criteria = draw(st.booleans()) if with_criteria is None else with_criteria
    criteria: dict[str, str | None] = {
        k: (draw(st.sampled_from(["A", "B", None])) if use_criteria else None) for k in inds
    }
    parents = draw(st.lists(ids, min_size=1, max_size=max_parents, unique=True))
    units = draw(st.lists(ids, min_size=min_units, max_size=max_units, unique=True))
    state_pool = [s for s, w in zip(STATES, state_weights, strict=True) for _ in range(w)]
    rows = []
    for u in units:
        parent = draw(st.sampled_from(parents))
        for k in inds:
            for period in PERIODS:
                if draw(st.integers(0, 19)) == 0:
                    continue  # a missing row reads as no data
                state = draw(st.sampled_from(state_pool))
                value = draw(values) if state == "value" else np.nan
                t = targets[k]
                rows.append(
                    {
                        "indicator": k,
                        "unit": u,
                        "parent": parent,
                        "period": period,
                        "value": value,
                        "state": state,
                        "target": np.nan if t is None else t,
                        "target_met": met(value, np.nan if t is None else t, directions[k]),
                        "target_due": period == PERIODS[-1],
                    }
                )
    if not rows:
        rows.append(
            {"indicator": inds[0], "unit": units[0], "parent": parents[0], "period": PERIODS[-1]}
            | {"value": np.nan, "state": "no_data"}
        )
    frame = build_frame(rows, categorical=draw(st.booleans()))
    return Case(frame=frame, directions=directions, weights=weights, criteria=criteria)
