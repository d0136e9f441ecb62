"""Helpers for profile authors' tests.

A municipality's profile should be tested as an installed plugin, found through its entry
point, on its own sample::

    from pedprof.testing import assert_profile_is_sound, assert_sample_computes

    def test_profile():
        assert_profile_is_sound("mytown")

    def test_sample():
        results = assert_sample_computes("mytown")

Reference values must still be worked out independently — by hand, or with plain pandas
such as :func:`distinct_share`, which does not use the engine. To test a formula on many
random inputs with Hypothesis, redraw some columns of the sample with :func:`redrawn`
and compare :func:`indicator_values` with the plain-pandas reference (see the docs page
«Тестирование формул»).
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING, Any

import pandas as pd

import pedprof
from pedprof.engine._core import RESULT_COLUMNS
from pedprof.model.indicators import IndicatorKind

if TYPE_CHECKING:
    from hypothesis.strategies import SearchStrategy

    from pedprof.model.data import Dataset

__all__ = [
    "assert_profile_is_sound",
    "assert_sample_computes",
    "distinct_share",
    "indicator_values",
    "redrawn",
]


def assert_profile_is_sound(profile_id: str) -> None:
    """The profile is installed, found through its entry point, and nothing it registered
    was refused; every indicator has a name, a table and a kind."""
    profile = pedprof.get_profile(profile_id)
    problems = [p for p in pedprof.plugin_problems() if p.distribution == profile.distribution]
    assert not problems, "\n".join(str(p) for p in problems)
    assert profile.indicators, f"profile {profile_id!r} registers no indicators"
    ids = [i.id for i in profile.indicators]
    assert len(ids) == len(set(ids))
    for target_id in profile.targets:
        assert target_id in ids, f"target for unknown indicator {target_id!r}"


def assert_sample_computes(profile_id: str) -> pd.DataFrame:
    """Compute the profile on its bundled sample; every indicator gets at least one value
    at the municipal level; shares stay within 0–100. Returns the results."""
    profile = pedprof.get_profile(profile_id)
    results = pedprof.compute(profile, pedprof.load_sample(profile))
    assert tuple(results.columns) == RESULT_COLUMNS
    muni = results[(results["level"] == "municipality") & (results["state"] == "value")]
    missing = {i.id for i in profile.indicators} - set(muni["indicator"])
    assert not missing, f"indicators without a municipal value: {sorted(missing)}"
    shares = {i.id for i in profile.indicators if i.kind is IndicatorKind.SHARE}
    values = results.loc[results["indicator"].isin(shares) & (results["state"] == "value"), "value"]
    assert ((values >= 0) & (values <= 100)).all()
    return results


def distinct_share(
    rows: pd.DataFrame,
    population: pd.Series,
    numerator: pd.Series,
    *,
    by: Sequence[str],
    key: str = "person_id",
) -> pd.DataFrame:
    """Plain-pandas reference of a share over distinct ``key`` values per group ``by``.

    A key counts once per group: in the denominator if any of its rows is in
    ``population``, in the numerator if any of those rows also satisfies ``numerator``.
    Returns columns ``by + [numerator, denominator, value]``.
    """
    pop = population.astype(bool)
    flagged = rows.assign(_num=numerator.astype(bool) & pop)[pop]
    per_key = flagged.groupby([*by, key], as_index=False)["_num"].max()
    out = per_key.groupby(list(by), as_index=False).agg(
        numerator=("_num", "sum"), denominator=("_num", "size")
    )
    out["value"] = 100 * out["numerator"] / out["denominator"]
    return out


def indicator_values(
    profile_id: str, data: Dataset, indicator: str, *, level: str = "organization"
) -> pd.DataFrame:
    """One indicator's totals (no breakdown) at one level, as the engine computes them.

    :returns: columns ``unit, period, numerator, denominator, value``, sorted by unit and
        period, rows with a value only (``state == "value"``).
    """
    results = pedprof.compute(profile_id, data, indicators=[indicator], levels=[level])
    rows = results[
        (results["indicator"] == indicator)
        & (results["level"] == level)
        & results["breakdown"].isna()
        & (results["state"] == "value")
    ]
    out = rows[["unit", "period", "numerator", "denominator", "value"]].astype(
        {"unit": str, "period": str}
    )
    return out.sort_values(["unit", "period"]).reset_index(drop=True)


def redrawn(frame: pd.DataFrame, columns: dict[str, Sequence[Any]]) -> SearchStrategy[pd.DataFrame]:
    """A Hypothesis strategy: ``frame`` with each named column redrawn row by row from the
    given values (e.g. ``{"contest": [True, False]}``); the other columns, the row count and
    the index stay as they are, so the rows still pass validation.

    Requires ``hypothesis`` (a test dependency, not one of pedprof's).
    """
    from hypothesis import strategies as st

    n = len(frame)

    def build(drawn: list[list[Any]]) -> pd.DataFrame:
        out = frame.copy()
        for (name, _), values in zip(columns.items(), drawn, strict=True):
            out[name] = pd.Series(values, index=frame.index, dtype=frame[name].dtype)
        return out

    draws = [st.lists(st.sampled_from(list(v)), min_size=n, max_size=n) for v in columns.values()]
    return st.tuples(*draws).map(lambda t: build(list(t)))
