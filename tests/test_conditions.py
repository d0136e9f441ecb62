"""The condition language: evaluation (plain, categorical, with missing values) and words."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest
from hypothesis import given
from hypothesis import strategies as st

from pedprof import PeriodKind, col
from pedprof.model.conditions import EvalContext

CTX = EvalContext(PeriodKind.SCHOOL_YEAR, np.array([2023, 2023, 2023, 2023]))
FRAME = pd.DataFrame(
    {
        "category": ["teacher", "manager", None, "teacher"],
        "age": [30, 40, np.nan, 35],
        "flag": pd.array([True, False, None, True], dtype="boolean"),
    }
)


def ev(cond, frame: pd.DataFrame = FRAME) -> list[bool]:  # type: ignore[no-untyped-def]
    return cond.evaluate(frame, CTX).tolist()


def test_missing_values_never_satisfy_a_condition() -> None:
    assert ev(col("category").eq("teacher")) == [True, False, False, True]
    assert ev(col("category").ne("teacher")) == [False, True, False, False]
    assert ev(col("age").lt(35)) == [True, False, False, False]
    assert ev(col("flag").true()) == [True, False, False, True]
    assert ev(~col("flag").true()) == [False, True, True, False]


def test_categorical_columns_give_the_same_answers() -> None:
    cat = FRAME.assign(category=FRAME["category"].astype("category"))
    for cond in (
        col("category").eq("teacher"),
        col("category").ne("teacher"),
        col("category").eq("nobody"),
    ):
        assert ev(cond, cat) == ev(cond)


def test_combinations() -> None:
    young_teacher = col("category").eq("teacher") & col("age").lt(35)
    assert ev(young_teacher) == [True, False, False, False]
    assert ev(col("age").ge(40) | col("flag").true()) == [True, True, False, True]
    assert young_teacher.columns() == frozenset({"category", "age"})


class _Vocab:
    def column_label(self, column: str) -> str:
        return {"category": "Категория", "age": "Возраст"}[column]

    def value_label(self, column: str, value: object) -> str:
        return {"teacher": "педагогический работник"}.get(str(value), str(value))


def test_words() -> None:
    cond = col("category").eq("teacher") & col("age").lt(35)
    assert cond.describe(_Vocab()) == "Категория = педагогический работник и Возраст < 35"
    assert "не (" in (~cond).describe(_Vocab())


def test_unknown_column_is_named() -> None:
    with pytest.raises(KeyError, match="nope"):
        col("nope").true().evaluate(FRAME, CTX)


@given(
    st.lists(st.one_of(st.none(), st.integers(0, 100)), min_size=1, max_size=30),
    st.integers(0, 100),
)
def test_lt_and_ge_partition_the_known_values(values: list[int | None], x: int) -> None:
    frame = pd.DataFrame({"v": pd.array(values, dtype="Int64")})
    ctx = EvalContext(PeriodKind.YEAR, np.zeros(len(values), dtype=int))
    lt = col("v").lt(x).evaluate(frame, ctx)
    ge = col("v").ge(x).evaluate(frame, ctx)
    known = frame["v"].notna().to_numpy()
    assert not (lt & ge).any()
    assert ((lt | ge) == known).all()
