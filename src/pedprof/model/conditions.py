"""A small declarative language for row conditions.

Indicators say *which rows* count in their numerator and denominator with these objects
instead of Python functions, so that a definition can be inspected, validated against the
source's columns, rendered in words for the docs and the report («как рассчитано»), and
evaluated for all units and periods at once::

    teachers = col("category").eq("teacher")
    young = teachers & col("age").lt(35) & col("experience_years").lt(3)

A missing value never satisfies a condition (it is treated as "not shown to hold"); rows
with missing required values are rejected before computation by the validation layer.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from typing import Any, Protocol

import attrs
import numpy as np
import pandas as pd

from pedprof.model.periods import Period, PeriodKind, Reporting, Window

__all__ = ["Condition", "Vocabulary", "always", "col"]


class Vocabulary(Protocol):
    """What :meth:`Condition.describe` needs to speak Russian about columns and values."""

    def column_label(self, column: str) -> str:
        """The Russian label of a column."""
        ...

    def value_label(self, column: str, value: object) -> str:
        """The Russian label of one value of a column."""
        ...


class _PlainVocabulary:
    def column_label(self, column: str) -> str:
        return column

    def value_label(self, column: str, value: object) -> str:
        return str(value)


@attrs.frozen
class EvalContext:
    """Per-row information a condition may need besides the row's own columns.

    :param period_kind: the kind of the rows' periods.
    :param ordinals: the period ordinal of each row.
    :param masks: a memo of masks already evaluated on the same frame; composite
        conditions look their parts up here, so that a part shared by several indicators
        («педагогические работники») is evaluated once per table. The arrays in it are
        shared and must not be modified.
    """

    period_kind: PeriodKind
    ordinals: np.ndarray
    masks: dict[Condition, np.ndarray] | None = attrs.field(default=None, eq=False, repr=False)

    def evaluate(self, cond: Condition, frame: pd.DataFrame) -> np.ndarray:
        """``cond`` on ``frame``, through the memo when there is one."""
        if self.masks is None:
            return cond.evaluate(frame, self)
        hit = self.masks.get(cond)
        if hit is None:
            hit = cond.evaluate(frame, self)
            self.masks[cond] = hit
        return hit


class Condition:
    """Base class of conditions: combine with ``&``, ``|`` and ``~``."""

    def evaluate(self, frame: pd.DataFrame, ctx: EvalContext) -> np.ndarray:
        """A boolean array, one entry per row of ``frame``."""
        raise NotImplementedError

    def columns(self) -> frozenset[str]:
        """The columns the condition reads."""
        raise NotImplementedError

    def describe(self, vocabulary: Vocabulary | None = None) -> str:
        """The condition in Russian words."""
        raise NotImplementedError

    def __and__(self, other: Condition) -> Condition:
        return _All((*_flatten(self, _All), *_flatten(other, _All)))

    def __or__(self, other: Condition) -> Condition:
        return _Any((*_flatten(self, _Any), *_flatten(other, _Any)))

    def __invert__(self) -> Condition:
        return _Not(self)


def _flatten(cond: Condition, kind: type) -> tuple[Condition, ...]:
    if isinstance(cond, kind):
        return cond.parts  # type: ignore[attr-defined]
    return (cond,)


def _vocab(vocabulary: Vocabulary | None) -> Vocabulary:
    return vocabulary if vocabulary is not None else _PlainVocabulary()


@attrs.frozen
class _Always(Condition):
    def evaluate(self, frame: pd.DataFrame, ctx: EvalContext) -> np.ndarray:
        return np.ones(len(frame), dtype=bool)

    def columns(self) -> frozenset[str]:
        return frozenset()

    def describe(self, vocabulary: Vocabulary | None = None) -> str:
        return "все записи"


@attrs.frozen
class _All(Condition):
    parts: tuple[Condition, ...]

    def evaluate(self, frame: pd.DataFrame, ctx: EvalContext) -> np.ndarray:
        out = ctx.evaluate(self.parts[0], frame)
        for part in self.parts[1:]:
            out = out & ctx.evaluate(part, frame)
        return out

    def columns(self) -> frozenset[str]:
        return frozenset().union(*(p.columns() for p in self.parts))

    def describe(self, vocabulary: Vocabulary | None = None) -> str:
        return " и ".join(_paren(p, vocabulary) for p in self.parts)


@attrs.frozen
class _Any(Condition):
    parts: tuple[Condition, ...]

    def evaluate(self, frame: pd.DataFrame, ctx: EvalContext) -> np.ndarray:
        out = ctx.evaluate(self.parts[0], frame)
        for part in self.parts[1:]:
            out = out | ctx.evaluate(part, frame)
        return out

    def columns(self) -> frozenset[str]:
        return frozenset().union(*(p.columns() for p in self.parts))

    def describe(self, vocabulary: Vocabulary | None = None) -> str:
        return " или ".join(_paren(p, vocabulary) for p in self.parts)


@attrs.frozen
class _Not(Condition):
    part: Condition

    def evaluate(self, frame: pd.DataFrame, ctx: EvalContext) -> np.ndarray:
        return ~ctx.evaluate(self.part, frame)

    def columns(self) -> frozenset[str]:
        return self.part.columns()

    def describe(self, vocabulary: Vocabulary | None = None) -> str:
        return f"не ({self.part.describe(vocabulary)})"


def _paren(cond: Condition, vocabulary: Vocabulary | None) -> str:
    text = cond.describe(vocabulary)
    return f"({text})" if isinstance(cond, _All | _Any) else text


_OPS: dict[str, tuple[str, Any]] = {
    "eq": ("=", np.equal),
    "ne": ("≠", np.not_equal),
    "lt": ("<", np.less),
    "le": ("≤", np.less_equal),
    "gt": (">", np.greater),
    "ge": ("≥", np.greater_equal),
}


def _values(frame: pd.DataFrame, column: str) -> pd.Series:
    try:
        return frame[column]
    except KeyError:
        raise KeyError(f"column {column!r} is not in the table") from None


def _compare_vectorised(
    series: pd.Series, op: str, value: Any, mask: np.ndarray
) -> np.ndarray | None:
    """The comparison without Python objects where that gives the same answer, else None.

    Covers text compared for (in)equality with text, and nullable integers or floats with
    gaps compared with a number; a missing value never satisfies the condition.
    """
    compare = _OPS[op][1]
    if isinstance(value, str):
        if isinstance(series.dtype, pd.StringDtype) and op in ("eq", "ne"):
            hit = (series == value).to_numpy(dtype=bool, na_value=False)
            return (hit if op == "eq" else ~hit) & mask
        return None
    number = isinstance(value, int | float | np.integer | np.floating)
    if not number or isinstance(value, bool | np.bool_):
        return None
    if isinstance(series.dtype, pd.api.extensions.ExtensionDtype):
        if series.dtype.kind == "i":
            values = series.to_numpy(dtype=np.int64, na_value=0)
            return np.asarray(compare(values, value), dtype=bool) & mask
        return None
    if series.dtype.kind == "f":
        return np.asarray(compare(series.to_numpy(), value), dtype=bool) & mask
    return None


@attrs.frozen
class _Compare(Condition):
    column: str
    op: str
    value: Any

    def evaluate(self, frame: pd.DataFrame, ctx: EvalContext) -> np.ndarray:
        series = _values(frame, self.column)
        if isinstance(series.dtype, pd.CategoricalDtype) and self.op in ("eq", "ne"):
            cats = series.cat.categories
            codes = series.cat.codes.to_numpy()
            hit = np.flatnonzero(cats == self.value)
            code = int(hit[0]) if len(hit) else -2
            result = codes == code
            return result if self.op == "eq" else ~result & (codes >= 0)
        mask = series.notna().to_numpy()
        fast = _compare_vectorised(series, self.op, self.value, mask)
        if fast is not None:
            return fast
        raw = series.to_numpy()
        if raw.dtype == object or not mask.all():
            out = np.zeros(len(series), dtype=bool)
            out[mask] = _OPS[self.op][1](raw[mask], self.value)
            return out
        return np.asarray(_OPS[self.op][1](raw, self.value), dtype=bool)

    def columns(self) -> frozenset[str]:
        return frozenset({self.column})

    def describe(self, vocabulary: Vocabulary | None = None) -> str:
        v = _vocab(vocabulary)
        symbol = _OPS[self.op][0]
        value = v.value_label(self.column, self.value) if self.op in ("eq", "ne") else self.value
        return f"{v.column_label(self.column)} {symbol} {value}"


@attrs.frozen
class _IsIn(Condition):
    column: str
    values: tuple[Any, ...]

    def evaluate(self, frame: pd.DataFrame, ctx: EvalContext) -> np.ndarray:
        series = _values(frame, self.column)
        return series.isin(self.values).to_numpy(dtype=bool, na_value=False)

    def columns(self) -> frozenset[str]:
        return frozenset({self.column})

    def describe(self, vocabulary: Vocabulary | None = None) -> str:
        v = _vocab(vocabulary)
        labels = ", ".join(f"«{v.value_label(self.column, x)}»" for x in self.values)
        return f"{v.column_label(self.column)} — одно из: {labels}"


@attrs.frozen
class _IsTrue(Condition):
    column: str

    def evaluate(self, frame: pd.DataFrame, ctx: EvalContext) -> np.ndarray:
        series = _values(frame, self.column)
        if series.dtype == bool:
            return series.to_numpy()
        return series.to_numpy(dtype=bool, na_value=False)

    def columns(self) -> frozenset[str]:
        return frozenset({self.column})

    def describe(self, vocabulary: Vocabulary | None = None) -> str:
        return f"{_vocab(vocabulary).column_label(self.column)} — да"


@attrs.frozen
class _NotNull(Condition):
    column: str

    def evaluate(self, frame: pd.DataFrame, ctx: EvalContext) -> np.ndarray:
        return _values(frame, self.column).notna().to_numpy()

    def columns(self) -> frozenset[str]:
        return frozenset({self.column})

    def describe(self, vocabulary: Vocabulary | None = None) -> str:
        return f"{_vocab(vocabulary).column_label(self.column)} — заполнено"


@attrs.frozen
class _DateWithin(Condition):
    """A date column falls inside the window that ends with the row's period."""

    column: str
    window: Window

    def evaluate(self, frame: pd.DataFrame, ctx: EvalContext) -> np.ndarray:
        dates = pd.to_datetime(_values(frame, self.column), errors="coerce")
        uniq = np.unique(ctx.ordinals)
        starts = {o: Period(ctx.period_kind, self.window.lower_ordinal(int(o))).start for o in uniq}
        ends = {o: Period(ctx.period_kind, int(o)).end for o in uniq}
        lo = pd.to_datetime(pd.Series(ctx.ordinals).map(starts)).to_numpy()
        hi = pd.to_datetime(pd.Series(ctx.ordinals).map(ends)).to_numpy()
        values = dates.to_numpy()
        valid = ~pd.isna(values)
        out = np.zeros(len(frame), dtype=bool)
        out[valid] = (values[valid] >= lo[valid]) & (values[valid] <= hi[valid])
        return out

    def columns(self) -> frozenset[str]:
        return frozenset({self.column})

    def describe(self, vocabulary: Vocabulary | None = None) -> str:
        return f"{_vocab(vocabulary).column_label(self.column)} — {self.window.describe()}"


@attrs.frozen
class Column:
    """A column reference; build conditions with its methods."""

    name: str

    def eq(self, value: object) -> Condition:
        """Equal to ``value``."""
        return _Compare(self.name, "eq", value)

    def ne(self, value: object) -> Condition:
        """Not equal to ``value`` (missing values do not satisfy it)."""
        return _Compare(self.name, "ne", value)

    def lt(self, value: float) -> Condition:
        """Strictly less than ``value``."""
        return _Compare(self.name, "lt", _orderable(self.name, "lt", value))

    def le(self, value: float) -> Condition:
        """Less than or equal to ``value``."""
        return _Compare(self.name, "le", _orderable(self.name, "le", value))

    def gt(self, value: float) -> Condition:
        """Strictly greater than ``value`` («более 60 %»)."""
        return _Compare(self.name, "gt", _orderable(self.name, "gt", value))

    def ge(self, value: float) -> Condition:
        """Greater than or equal to ``value`` («не менее»)."""
        return _Compare(self.name, "ge", _orderable(self.name, "ge", value))

    def isin(self, values: Iterable[object]) -> Condition:
        """One of ``values`` (a list, not a lone text).

        :raises pedprof.errors.ArgumentTypeError: ``values`` is a text or not iterable.
        """
        if isinstance(values, str | bytes) or not isinstance(values, Iterable):
            from pedprof.errors import ArgumentTypeError

            raise ArgumentTypeError(
                f"Условие «{self.name} из …»: значения перечисляются списком, например "
                f"[{values!r}], а передан объект типа {type(values).__name__}",
                argument="values",
                what=f"передан {type(values).__name__}",
                expected="список значений",
            )
        return _IsIn(self.name, tuple(values))

    def true(self) -> Condition:
        """A yes/no column that says yes."""
        return _IsTrue(self.name)

    def notna(self) -> Condition:
        """Filled in."""
        return _NotNull(self.name)

    def within(self, window: Window | None = None) -> Condition:
        """A date inside the window ending with the row's period (default: the period)."""
        return _DateWithin(self.name, window if window is not None else Reporting())


def _orderable(column: str, op: str, value: Any) -> Any:
    """``value`` if a column can be ordered against it: a number or a date.

    :raises pedprof.errors.ConditionValueError: text, ``None``, a boolean or anything else
        (also a :class:`TypeError`).
    """
    from pedprof.errors import ConditionValueError

    ok = isinstance(
        value, int | float | np.integer | np.floating | dt.date | np.datetime64
    ) and not isinstance(value, bool | np.bool_)
    if ok and not (isinstance(value, float | np.floating) and np.isnan(value)):
        return value
    symbol = _OPS[op][0]
    raise ConditionValueError(
        f"Условие «{column} {symbol} {value!r}»: сравнивать «больше/меньше» можно только с "
        f"числом или датой, а указан объект типа {type(value).__name__}",
        column=column,
        value=value,
        expected="число или дата",
    )


def col(name: str) -> Column:
    """Refer to a column of the indicator's source table."""
    return Column(name)


def always() -> Condition:
    """The condition every row satisfies."""
    return _Always()
