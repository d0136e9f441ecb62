"""Targets (целевые значения, индикаторы показателей) and their vectorised evaluation.

Every target knows the words it was approved with (``text``, verbatim), the document it
comes from, and whether its boundary is inclusive. Evaluation works on the whole result
frame of one indicator at once and never on rounded values.

**Judged exactly.** Whether a target is met is decided in exact rational arithmetic, never
on floating-point products: a share is the fraction ``100 · numerator / denominator`` of
two integer counts, a count is an integer, and a threshold is the number its float stands
for: the simplest fraction whose nearest float it is — the decimal text for any number an
order writes (``33.3`` is 333/10, not the binary float nearest to it), 100/3 for
``100 / 3``. «не менее 10 %» from 70 to 77 persons of 500 is met: 77/500 ≥ 70/500 × 110/100
holds exactly, although in floating point 14.0 × 1.1 exceeds 15.4 by 2·10⁻¹⁵. Comparisons
cross-multiply integers, in ``int64`` while the products provably fit and in Python
integers beyond. A value whose numerator and denominator are not in the frame (or do not
give that value) is read as the thresholds are. The ``target`` column still shows the
threshold as a float.

A target returns three arrays for the rows it is given:

* ``target`` — the threshold the value is compared with in that period (NaN when the
  target has no number for that row, e.g. dynamics without a previous value);
* ``met`` — True / False, or missing (``pd.NA``) when it cannot be judged: the value is
  *no data* or *not applicable*, or there is nothing to compare with;
* ``due`` — whether the target's deadline applies to the period («к 2024 году» is due in
  the period that ends in 2024 and later; an annual target is due every period).

**Scope.** A target may be limited to some levels (``levels=("municipality",)``: «в
муниципалитете») and to the total row (``total_only=True``: not judged per breakdown). Rows
outside its scope get target NaN, met missing and due False.
"""

from __future__ import annotations

import functools
import math
import operator
import textwrap
from collections.abc import Callable, Iterable, Mapping
from fractions import Fraction
from typing import Any

import attrs
import numpy as np
import pandas as pd

from pedprof.formatting import format_number, format_value
from pedprof.model.periods import Period

__all__ = [
    "AllOf",
    "AtLeast",
    "CountComposition",
    "CumulativeSchedule",
    "Exactly",
    "PerOrganizationAtLeast",
    "PositiveDynamics",
    "Stable",
    "Target",
    "TargetResult",
    "YearTarget",
    "YearlyTargets",
]

TargetResult = tuple[np.ndarray, pd.arrays.BooleanArray, np.ndarray]

#: The levels a target can be limited to.
TARGET_LEVELS = ("organization", "municipality", "region")
_LEVEL_WORDS = {
    "organization": "организации",
    "municipality": "муниципалитета",
    "region": "региона",
}


def _due(frame: pd.DataFrame, by_year: int | None, from_year: int | None = None) -> np.ndarray:
    end_year = frame["end_year"].to_numpy()
    due = np.ones(len(frame), dtype=bool)
    if by_year is not None:
        due &= end_year >= by_year
    if from_year is not None:
        due &= end_year >= from_year
    return due


def _judgeable(frame: pd.DataFrame) -> np.ndarray:
    return (frame["state"] == "value").to_numpy()


def _boolean(met: np.ndarray, known: np.ndarray) -> pd.arrays.BooleanArray:
    return pd.arrays.BooleanArray(np.asarray(met, dtype=bool), ~np.asarray(known, dtype=bool))


# --------------------------------------------------------------------------- exact numbers

# Products of int64 values are taken in int64 only while their float estimate stays below
# 2**62 (half the int64 range: the estimate's relative error is ~1e-16); beyond, the same
# products are taken in Python integers (object arrays), which never overflow.
_INT64_SAFE = float(2**62)
# Floats are integers exactly up to 2**53.
_FLOAT_EXACT = float(2**53)


def _fraction(x: float | Fraction) -> Fraction:
    """The exact number a float stands for: the simplest fraction (smallest denominator)
    whose nearest float is ``x``.

    That is the decimal text for any number an order writes (33.3 → 333/10, 0.1 → 1/10:
    two fractions with denominators up to 10⁶ are at least 10⁻¹² apart, far more than the
    rounding of a float below a few thousand) and the intended fraction of a computed one
    (``100 / 3`` → 100/3). Integral floats, integers and fractions are taken as they are.
    """
    if not isinstance(x, float):
        return Fraction(x)
    if not math.isfinite(x):
        raise ValueError(f"a target's number must be finite, not {x!r}")
    return _simplest_float(x)


@functools.lru_cache(maxsize=4096)
def _simplest_float(x: float) -> Fraction:
    exact = Fraction(x)
    if x.is_integer():  # an integer is itself (beyond 2**53 every float is an integer)
        return exact
    # every number strictly between the midpoints to the neighbouring floats rounds to x
    below = (exact + Fraction(math.nextafter(x, -math.inf))) / 2
    above = (exact + Fraction(math.nextafter(x, math.inf))) / 2
    return _simplest_between(below, above)


def _simplest_between(lo: Fraction, hi: Fraction) -> Fraction:
    """The fraction with the smallest denominator strictly between ``lo < hi`` (the
    Stern–Brocot simplest one: its numerator is the smallest too), built from its continued
    fraction."""
    if lo < 0 < hi:
        return Fraction(0)
    sign = 1
    if hi <= 0:
        lo, hi, sign = -hi, -lo, -1
    terms: list[int] = []
    while True:
        n = math.floor(lo)
        if n + 1 < hi:  # an integer lies strictly inside
            terms.append(n + 1)
            break
        terms.append(n)
        if lo == n:  # (n, hi): n + 1/m with the smallest integer m > 1/(hi - n)
            terms.append(math.floor(1 / (hi - n)) + 1)
            break
        # (lo, hi) lies within (n, n + 1): x = n + 1/y with y in (1/(hi - n), 1/(lo - n))
        lo, hi = 1 / (hi - n), 1 / (lo - n)
    x = Fraction(terms[-1])
    for t in reversed(terms[:-1]):
        x = t + 1 / x
    return sign * x


def _int_array(n: int) -> np.ndarray:
    """A 0-d integer array: int64 when it fits, else a Python integer."""
    if abs(n) < _INT64_SAFE:
        return np.array(n, dtype=np.int64)
    return np.array(n, dtype=object)


def _bound(a: np.ndarray) -> float:
    """The largest magnitude in an int64 array, as a float (0 for an empty one)."""
    if not a.size:
        return 0.0
    return max(abs(float(a.max())), abs(float(a.min())))


def _too_big(estimate: np.ndarray) -> bool:
    return bool(estimate.size) and bool(np.nanmax(estimate) >= _INT64_SAFE)


def _mul(a: np.ndarray, b: np.ndarray) -> np.ndarray:
    """``a * b`` elementwise, exactly."""
    if a.dtype != object and b.dtype != object:
        if _bound(a) * _bound(b) < _INT64_SAFE:  # the common case: two passes, no copies
            return a * b
        if not _too_big(np.abs(a.astype(float)) * np.abs(b.astype(float))):
            return a * b
    return np.multiply(a.astype(object), b.astype(object))


def _add(a: np.ndarray, b: np.ndarray) -> np.ndarray:
    """``a + b`` elementwise, exactly."""
    if a.dtype != object and b.dtype != object and _bound(a) + _bound(b) < _INT64_SAFE:
        return a + b
    return np.add(a.astype(object), b.astype(object))


@attrs.frozen
class _Q:
    """Exact fractions ``p / q`` (``q > 0``), elementwise; ``p`` and ``q`` are int64 or
    object arrays of Python integers, broadcastable against each other."""

    p: np.ndarray
    q: np.ndarray

    @classmethod
    def of(cls, x: Fraction) -> _Q:
        return cls(_int_array(x.numerator), _int_array(x.denominator))

    def times(self, x: Fraction) -> _Q:
        return _Q(_mul(self.p, _int_array(x.numerator)), _mul(self.q, _int_array(x.denominator)))

    def plus(self, x: Fraction) -> _Q:
        p = _add(_mul(self.p, _int_array(x.denominator)), _mul(self.q, _int_array(x.numerator)))
        return _Q(p, _mul(self.q, _int_array(x.denominator)))

    def scaled(self, k: np.ndarray) -> _Q:
        """``self × k`` for integers ``k`` (per row)."""
        return _Q(_mul(self.p, np.asarray(k)), self.q)

    def positive(self) -> np.ndarray:
        return np.asarray(self.p > 0, dtype=bool)

    def _compare(self, other: _Q, op: Callable[[Any, Any], Any]) -> np.ndarray:
        return np.asarray(op(_mul(self.p, other.q), _mul(other.p, self.q)), dtype=bool)

    def ge(self, other: _Q) -> np.ndarray:
        return self._compare(other, operator.ge)

    def gt(self, other: _Q) -> np.ndarray:
        return self._compare(other, operator.gt)

    def eq(self, other: _Q) -> np.ndarray:
        return self._compare(other, operator.eq)

    def at_least(self, other: _Q, inclusive: bool) -> np.ndarray:
        return self.ge(other) if inclusive else self.gt(other)


def _whole(x: np.ndarray) -> np.ndarray:
    """Finite integral floats that are exact integers."""
    with np.errstate(invalid="ignore"):
        return np.isfinite(x) & (np.floor(x) == x) & (np.abs(x) < _FLOAT_EXACT)


def _column(frame: pd.DataFrame, name: str) -> np.ndarray:
    if name in frame.columns:
        return frame[name].to_numpy(dtype=float, na_value=np.nan)
    return np.full(len(frame), np.nan)


def _exact(value: np.ndarray, numerator: np.ndarray, denominator: np.ndarray) -> _Q:
    """Each row's value as an exact fraction (0 where the value is not finite).

    A share (``value == 100.0 * numerator / denominator``, the engine's formula) is
    ``100 · numerator / denominator``; a count (``value == numerator``, no denominator) is
    the integer; any other value is read as a threshold is (:func:`_fraction`).
    """
    finite = np.isfinite(value)
    num_whole = _whole(numerator) & finite
    with np.errstate(invalid="ignore", divide="ignore"):
        share = num_whole & _whole(denominator) & (denominator > 0)
        den = np.where(share, denominator, 1.0)
        share &= 100.0 * numerator / den == value
        count = num_whole & ~share & (numerator == value)
    # integers below 2**53: 100 × numerator stays below 2**60
    num = np.where(num_whole, numerator, 0.0).astype(np.int64)
    p = np.where(share, 100 * num, np.where(count, num, 0))
    q = np.where(share, den, 1.0).astype(np.int64)
    rest = finite & ~share & ~count
    if not rest.any():
        return _Q(p, q)
    whole_rest = rest & _whole(value)
    p[whole_rest] = value[whole_rest].astype(np.int64)
    other = np.flatnonzero(rest & ~whole_rest)
    if len(other):
        # values without their counts (hand-built frames): read as the thresholds are
        exact = {v: _fraction(v) for v in np.unique(value[other]).tolist()}
        parts = [exact[v] for v in value[other].tolist()]
        if any(max(abs(f.numerator), f.denominator) >= _INT64_SAFE for f in parts):
            p, q = p.astype(object), q.astype(object)
        p[other] = [f.numerator for f in parts]
        q[other] = [f.denominator for f in parts]
    return _Q(p, q)


def _values(frame: pd.DataFrame) -> tuple[np.ndarray, _Q]:
    """The rows' values (floats) and their exact fractions."""
    value = frame["value"].to_numpy(dtype=float, na_value=np.nan)
    return value, _exact(value, _column(frame, "numerator"), _column(frame, "denominator"))


def _previous(frame: pd.DataFrame) -> tuple[np.ndarray, _Q]:
    """The previous period's values (floats) and their exact fractions.

    Exact from ``previous_numerator`` / ``previous_denominator`` when the frame has them;
    else ``previous_value`` is read as a threshold is (:func:`_fraction`).
    """
    prev = frame["previous_value"].to_numpy(dtype=float, na_value=np.nan)
    return prev, _exact(
        prev, _column(frame, "previous_numerator"), _column(frame, "previous_denominator")
    )


def _group_keys(frame: pd.DataFrame) -> pd.DataFrame:
    return frame[["level", "unit", "breakdown"]].astype(str)


def _baseline(frame: pd.DataFrame, ordinal: int) -> tuple[np.ndarray, _Q]:
    """The value of the same level/unit/breakdown in the baseline period, per row, and
    its exact fraction."""
    keys = _group_keys(frame)
    at_base = np.flatnonzero((frame["ordinal"] == ordinal).to_numpy())
    base = pd.Series(at_base, index=pd.MultiIndex.from_frame(keys.iloc[at_base]))
    base = base[~base.index.duplicated()]
    pos = base.reindex(pd.MultiIndex.from_frame(keys)).to_numpy(dtype=float)
    found = ~np.isnan(pos)
    take = np.where(found, pos, 0).astype(np.int64)

    def pick(name: str) -> np.ndarray:
        col = _column(frame, name)
        return np.where(found, col[take], np.nan) if len(col) else col

    value = pick("value")
    return value, _exact(value, pick("numerator"), pick("denominator"))


def _num(x: float | Fraction) -> str:
    """A number written the Russian way (decimal comma, no trailing zeros)."""
    text = f"{float(x):.6f}".rstrip("0").rstrip(".")
    return text.replace(".", ",")


# --------------------------------------------------------------------------- targets


def _levels(value: Iterable[str] | str | None) -> tuple[str, ...] | None:
    if value is None:
        return None
    out = (str(value),) if isinstance(value, str) else tuple(str(v) for v in value)
    unknown = sorted(set(out) - set(TARGET_LEVELS))
    if unknown or not out:
        raise ValueError(f"unknown target level(s) {unknown}; expected some of {TARGET_LEVELS}")
    return out


@attrs.frozen(kw_only=True)
class Target:
    """Base class: the approved words, where they come from, and where the target applies.

    :param text: the target exactly as the order words it.
    :param document: the document that approves it (e.g. «Приказ № 213 от 19.08.2021,
        приложение 3»).
    :param levels: judge only the rows of these levels (``"organization"``,
        ``"municipality"``, ``"region"``); None (the default) for every level.
    :param total_only: judge only the total row, not the rows of a breakdown.

    **Extension contract.** A custom target is a frozen attrs subclass (``kw_only=True``)
    that implements two methods; the core calls the others:

    * :meth:`judge` ``(frame) -> (target, met, due)``: for every row of ``frame`` (the
      columns listed under :meth:`evaluate`), ``target`` a float array (the threshold shown,
      NaN where there is none), ``met`` a :class:`pandas.arrays.BooleanArray` (missing where
      it cannot be judged: the row's ``state`` is not ``"value"``, or nothing to compare
      with) and ``due`` a bool array (the deadline applies to the row's period). Judge on
      exact numbers: a share is ``100 · numerator / denominator`` of integer counts;
      compare with :class:`fractions.Fraction` thresholds, not with float products.
    * :meth:`rule` ``() -> str``: the rule in Russian, with its boundary explicit.

    :meth:`evaluate` applies the scope (``levels``, ``total_only``) to what :meth:`judge`
    returns; :meth:`describe` adds the scope to :meth:`rule`. Override ``kind`` with
    ``attrs.field(init=False, default="my_kind")``. A tested example (an upper bound,
    «не более») is in ``tests/test_targets.py`` (``AtMost``).
    """

    text: str = ""
    document: str = ""
    levels: tuple[str, ...] | None = attrs.field(default=None, converter=_levels)
    total_only: bool = False

    kind: str = attrs.field(init=False, default="target")

    def __repr__(self) -> str:
        try:
            words = self.describe()
        except NotImplementedError:  # a kind without a rule: its approved words
            words = self.text
        shown = textwrap.shorten(words, 200, placeholder="…")
        return f"<{type(self).__name__} «{shown}»>"

    @classmethod
    def __attrs_init_subclass__(cls) -> None:
        # every target kind, present and future, keeps the short repr above rather than
        # the generated one (which spells out the approved text and the whole schedule)
        cls.__repr__ = Target.__repr__  # type: ignore[method-assign]

    def evaluate(self, frame: pd.DataFrame) -> TargetResult:
        """Evaluate for every row of ``frame`` (columns: ``value``, ``state``,
        ``previous_value``, ``end_year``, ``ordinal``, ``level``, ``unit``, ``period``,
        ``breakdown``, ``numerator``, ``denominator``; optionally ``previous_numerator``
        and ``previous_denominator`` for exact dynamics). Rows outside the target's scope
        get target NaN, met missing and due False."""
        target, met, due = self.judge(frame)
        inside = self.in_scope(frame)
        if inside.all():
            return target, met, due
        target = np.where(inside, np.asarray(target, dtype=float), np.nan)
        met = pd.array(met, dtype="boolean", copy=True)
        met[~inside] = pd.NA
        due = np.asarray(due, dtype=bool) & inside
        return target, met, due

    def in_scope(self, frame: pd.DataFrame) -> np.ndarray:
        """Which rows of ``frame`` the target applies to."""
        inside = np.ones(len(frame), dtype=bool)
        if self.levels is not None:
            inside &= frame["level"].astype(object).isin(self.levels).to_numpy(dtype=bool)
        if self.total_only:
            inside &= frame["breakdown"].isna().to_numpy()
        return inside

    def judge(self, frame: pd.DataFrame) -> TargetResult:
        """The rule for every row of ``frame``, before the scope is applied."""
        raise NotImplementedError

    def describe(self) -> str:
        """The rule in Russian, with its boundary and scope made explicit."""
        return self.rule() + self.scope_text()

    def rule(self) -> str:
        """The rule in Russian, with its boundary made explicit."""
        raise NotImplementedError

    def scope_text(self) -> str:
        """Where the target applies, in Russian (empty for every row)."""
        parts = []
        if self.levels is not None:
            parts.append("только на уровне " + ", ".join(_LEVEL_WORDS[lv] for lv in self.levels))
        if self.total_only:
            parts.append("по итоговому значению, без разбивки")
        return f" ({'; '.join(parts)})" if parts else ""


@attrs.frozen(kw_only=True)
class AtLeast(Target):
    """At least ``value`` («не менее X»), from ``by_year`` on («к 2024 году») or every
    period when ``by_year`` is None («ежегодно»)."""

    value: float
    by_year: int | None = None
    inclusive: bool = True
    kind: str = attrs.field(init=False, default="at_least")

    def judge(self, frame: pd.DataFrame) -> TargetResult:
        target = np.full(len(frame), float(self.value))
        value, exact = _values(frame)
        known = _judgeable(frame) & np.isfinite(value)
        met = exact.at_least(_Q.of(_fraction(self.value)), self.inclusive)
        return target, _boolean(met, known), _due(frame, self.by_year)

    def rule(self) -> str:
        sign = "≥" if self.inclusive else ">"
        when = f"к {self.by_year} году" if self.by_year else "ежегодно"
        return f"{when}: значение {sign} {_num(self.value)}"


@attrs.frozen(kw_only=True)
class Exactly(Target):
    """Exactly ``value`` («100 %»; also «не менее 100 %» for a share, which cannot exceed
    100). The comparison is exact: a share is 100 % when its numerator equals its
    denominator."""

    value: float
    by_year: int | None = None
    kind: str = attrs.field(init=False, default="exactly")

    def judge(self, frame: pd.DataFrame) -> TargetResult:
        target = np.full(len(frame), float(self.value))
        value, exact = _values(frame)
        known = _judgeable(frame) & np.isfinite(value)
        met = exact.eq(_Q.of(_fraction(self.value)))
        return target, _boolean(met, known), _due(frame, self.by_year)

    def rule(self) -> str:
        when = f"к {self.by_year} году" if self.by_year else "ежегодно"
        return f"{when}: значение = {_num(self.value)}"


@attrs.frozen(kw_only=True)
class CumulativeSchedule(Target):
    """A cumulative trajectory: at least ``step × k`` in the k-th period counted from
    ``start_ordinal`` (k = 1 in that period), never above ``cap``; due from the start.

    Karabash k01: «не менее 33,3 % ежегодно» towards «не менее 66,6 % к 2024 году» gives
    33.3 in the first period and 66.6 from the second on.
    """

    step: float
    start_ordinal: int
    cap: float
    inclusive: bool = True
    kind: str = attrs.field(init=False, default="cumulative_schedule")

    def judge(self, frame: pd.DataFrame) -> TargetResult:
        k = frame["ordinal"].to_numpy().astype(np.int64) - self.start_ordinal + 1
        target = np.minimum(self.step * k, self.cap).astype(float)
        started = k >= 1
        target[~started] = np.nan
        value, exact = _values(frame)
        known = _judgeable(frame) & started & np.isfinite(value)
        # value ≥ min(step·k, cap)  ⇔  value ≥ step·k  or  value ≥ cap
        scheduled = _Q.of(_fraction(self.step)).scaled(np.where(started, k, 0))
        met = exact.at_least(scheduled, self.inclusive) | exact.at_least(
            _Q.of(_fraction(self.cap)), self.inclusive
        )
        return target, _boolean(met, known), started

    def rule(self) -> str:
        return (
            f"нарастающим итогом: не менее {_num(self.step)} × k в k-м периоде "
            f"(k = 1 в первом периоде), но не более {_num(self.cap)}"
        )


@attrs.frozen(kw_only=True)
class PositiveDynamics(Target):
    """Growth against the previous period («положительная динамика»).

    :param min_relative: minimal relative growth in percent of the previous value
        («не менее 10 %» read as +10 % of the previous value); None for any growth.
    :param min_points: minimal growth in units of the value (percentage points for shares).
    :param strict: growth must be strictly positive (the default); with ``min_relative`` or
        ``min_points`` the boundary is inclusive («не менее»).
    :param by_year: from which period the target is due; before that it is informative.
    :param baseline: compare with this fixed period instead of the previous one (the same
        unit's value in the baseline period).
    """

    min_relative: float | None = None
    min_points: float | None = None
    strict: bool = True
    by_year: int | None = None
    baseline: Period | None = None
    kind: str = attrs.field(init=False, default="positive_dynamics")

    def judge(self, frame: pd.DataFrame) -> TargetResult:
        if self.baseline is None:
            prev, prev_exact = _previous(frame)
        else:
            prev, prev_exact = _baseline(frame, self.baseline.ordinal)
        value, exact = _values(frame)
        threshold = prev.copy()
        inclusive = not self.strict
        # every bound the value must reach; the shown threshold is the highest of them
        bounds = [prev_exact]
        if self.min_relative is not None:
            threshold = prev * (1 + self.min_relative / 100)
            bounds = [prev_exact.times(1 + _fraction(self.min_relative) / 100)]
            inclusive = True
        if self.min_points is not None:
            threshold = np.fmax(threshold, prev + self.min_points)
            bounds.append(prev_exact.plus(_fraction(self.min_points)))
            inclusive = True
        known = _judgeable(frame) & np.isfinite(value) & np.isfinite(prev)
        if self.baseline is not None:
            # the baseline period (and earlier) has nothing to be compared with
            known &= frame["ordinal"].to_numpy() > self.baseline.ordinal
        if self.min_relative is not None:
            # relative growth from zero is undefined: judge only against a positive base
            known &= prev_exact.positive()
        met = np.ones(len(frame), dtype=bool)
        for bound in bounds:
            met &= exact.at_least(bound, inclusive)
        return threshold, _boolean(met, known), _due(frame, self.by_year)

    def rule(self) -> str:
        when = f"к {self.by_year} году: " if self.by_year else ""
        base = "предыдущего периода"
        if self.baseline is not None:
            base = f"базового периода {self.baseline.label}"
        if self.min_relative is not None:
            return (
                f"{when}рост не менее чем на {_num(self.min_relative)} % от значения "
                f"{base} (значение ≥ базовое × {_num(1 + _fraction(self.min_relative) / 100)})"
            )
        if self.min_points is not None:
            return f"{when}рост не менее чем на {_num(self.min_points)} ед. от значения {base}"
        return f"{when}значение строго больше значения {base}"


@attrs.frozen(kw_only=True)
class Stable(Target):
    """No decrease against the previous period («устойчивое количество», «сильное
    состояние»): value ≥ previous value − ``tolerance``.

    :param since: judge the whole trajectory from this period on: a period's target is met
        when no period after ``since`` up to it decreased («в каждом году не меньше
        предыдущего»); not judged in ``since`` and before. None (the default): only the
        period against the one before it.
    """

    tolerance: float = 0.0
    by_year: int | None = None
    since: Period | None = None
    kind: str = attrs.field(init=False, default="stable")

    def judge(self, frame: pd.DataFrame) -> TargetResult:
        prev, prev_exact = _previous(frame)
        threshold = prev - self.tolerance
        value, exact = _values(frame)
        known = _judgeable(frame) & np.isfinite(value) & np.isfinite(prev)
        met = exact.ge(prev_exact.plus(-_fraction(self.tolerance)))
        if self.since is not None:
            met, known = self._since(frame, met, known, self.since.ordinal)
            threshold = np.where(
                frame["ordinal"].to_numpy() > self.since.ordinal, threshold, np.nan
            )
        return threshold, _boolean(met, known), _due(frame, self.by_year)

    @staticmethod
    def _since(
        frame: pd.DataFrame, met: np.ndarray, known: np.ndarray, since: int
    ) -> tuple[np.ndarray, np.ndarray]:
        """Per row: no decrease in any period of (since, row's period] of its unit."""
        ordinal = frame["ordinal"].to_numpy().astype(np.int64)
        after = ordinal > since
        keys = _group_keys(frame)
        group = keys.groupby(list(keys.columns), sort=False, dropna=False).ngroup()
        steps = pd.DataFrame(
            {
                "group": group.to_numpy(),
                "ordinal": ordinal,
                "fell": (after & known & ~met).astype(np.int64),
                "held": (after & known & met).astype(np.int64),
            }
        ).sort_values(["group", "ordinal"], kind="stable")
        cumulative = steps.groupby("group", sort=False)[["fell", "held"]].cumsum()
        fell = np.zeros(len(frame), dtype=np.int64)
        held = np.zeros(len(frame), dtype=np.int64)
        fell[steps.index.to_numpy()] = cumulative["fell"].to_numpy()
        held[steps.index.to_numpy()] = cumulative["held"].to_numpy()
        any_fell = fell > 0
        # every period in (since, ordinal] compared and none fell
        all_held = held == ordinal - since
        judged = _judgeable(frame) & after & (any_fell | all_held)
        return ~any_fell & all_held, judged

    def rule(self) -> str:
        tol = f" − {_num(self.tolerance)}" if self.tolerance else ""
        if self.since is not None:
            return (
                f"без снижения ни в одном периоде после {self.since.label}: значение каждого "
                f"периода ≥ значение предыдущего периода{tol}"
            )
        return f"без снижения: значение ≥ значение предыдущего периода{tol}"


@attrs.frozen(kw_only=True)
class PerOrganizationAtLeast(Target):
    """Every organisation has at least ``value`` («не менее двух программ в каждой ОО»).

    At organisation level the organisation's own count is compared with ``value``; above,
    the value is the share of compliant organisations and the target is 100 %.
    """

    value: float
    by_year: int | None = None
    kind: str = attrs.field(init=False, default="per_organization_at_least")

    def judge(self, frame: pd.DataFrame) -> TargetResult:
        is_org = (frame["level"] == "organization").to_numpy()
        target = np.where(is_org, float(self.value), 100.0)
        value, exact = _values(frame)
        met = np.where(
            is_org, exact.ge(_Q.of(_fraction(self.value))), exact.eq(_Q.of(Fraction(100)))
        )
        known = _judgeable(frame) & np.isfinite(value)
        return target, _boolean(met, known), _due(frame, self.by_year)

    def rule(self) -> str:
        when = f"к {self.by_year} году" if self.by_year else "ежегодно"
        return f"{when}: в каждой организации не менее {_num(self.value)}"


@attrs.frozen(kw_only=True)
class CountComposition(Target):
    """A count of at least ``total`` of which at least ``minimums[k]`` of each kind ``k``
    (Karabash k09: «не менее 2 (1 – поддержка молодых педагогов, 1 – работа с резервом
    руководителей)»). Needs the indicator's breakdown by kind; a kind without a value
    counts as 0."""

    total: float
    minimums: Mapping[str, float]
    by_year: int | None = None
    labels: Mapping[str, str] | None = None
    kind: str = attrs.field(init=False, default="count_composition")

    def judge(self, frame: pd.DataFrame) -> TargetResult:
        key = ["level", "unit", "period"]
        is_total = frame["breakdown"].isna().to_numpy()
        target = np.where(is_total, float(self.total), np.nan)
        value, exact = _values(frame)
        has_value = np.isfinite(value)
        met = exact.ge(_Q.of(_fraction(self.total)))
        idx = pd.MultiIndex.from_frame(frame[key])
        breakdown = frame["breakdown"]
        for kind_value, minimum in self.minimums.items():
            m = _fraction(minimum)
            # a breakdown row is judged against its own minimum (no value counts as 0)
            part_ok = np.where(has_value, exact.ge(_Q.of(m)), m <= 0)
            own = (breakdown == kind_value).to_numpy(dtype=bool, na_value=False)
            target[own] = float(minimum)
            met[own] = part_ok[own]
            rows = np.flatnonzero(own & ~is_total)
            where = pd.Series(rows, index=idx[rows])
            where = where[~where.index.duplicated()]
            pos = where.reindex(idx).to_numpy(dtype=float)
            found = ~np.isnan(pos)
            got = np.where(found, part_ok[np.where(found, pos, 0).astype(np.int64)], m <= 0)
            met &= ~is_total | got
        known = _judgeable(frame) & has_value
        return target, _boolean(met, known), _due(frame, self.by_year)

    def rule(self) -> str:
        labels = self.labels or {}
        parts = "; ".join(
            f"«{labels.get(k, k)}» — не менее {_num(v)}" for k, v in self.minimums.items()
        )
        when = f"к {self.by_year} году" if self.by_year else "ежегодно"
        return f"{when}: всего не менее {_num(self.total)}, из них {parts}"


@attrs.frozen(kw_only=True)
class AllOf(Target):
    """Every part must be met («положительная динамика … не менее двух»). The shown
    threshold is the first part's; due when every part is due."""

    parts: tuple[Target, ...]
    kind: str = attrs.field(init=False, default="all_of")

    def judge(self, frame: pd.DataFrame) -> TargetResult:
        results = [p.evaluate(frame) for p in self.parts]
        target = results[0][0]
        met = results[0][1].copy()
        due = np.asarray(results[0][2], dtype=bool).copy()
        for _, part_met, part_due in results[1:]:
            met = met & part_met
            due &= np.asarray(part_due, dtype=bool)
        return target, met, due

    def rule(self) -> str:
        return "; ".join(p.describe() for p in self.parts)


@attrs.frozen
class YearTarget:
    """One year's threshold of :class:`YearlyTargets`.

    :param value: the threshold («2022 – 15 %» → 15).
    :param inclusive: «не менее 15 %» (the default) or strictly above («более 15 %»).
    """

    value: float
    inclusive: bool = True

    def text(self) -> str:
        """The threshold with its boundary, in Russian («≥ 15»)."""
        return f"{'≥' if self.inclusive else '>'} {_num(self.value)}"


def _year_target(value: YearTarget | float | int) -> YearTarget:
    return value if isinstance(value, YearTarget) else YearTarget(float(value))


def _years(value: Mapping[int, YearTarget | float | int]) -> Mapping[int, YearTarget]:
    out = {int(year): _year_target(v) for year, v in sorted(value.items())}
    if not out:
        raise ValueError("YearlyTargets needs at least one year")
    return out


def _onwards(value: YearTarget | float | int | None) -> YearTarget | None:
    return None if value is None else _year_target(value)


@attrs.frozen(kw_only=True)
class YearlyTargets(Target):
    """Targets set year by year, the most common form of «целевые значения по годам»:
    «2021 – 9 %, 2022 – 15 %, 2023 – 20 %» or «в 2020 году – 5 %, далее – 10 %».

    A period is matched by the calendar year it ends in (``end_year``: the school year
    2021-2022 is the year 2022), as the deadlines of the other targets are. A period of a
    listed year is judged against that year's threshold; a period after the last listed
    year against ``onwards`` («далее»); any other period is not judged (target NaN, met
    missing, not due). Judged exactly, as every target is.

    :param years: year → threshold (a number, «не менее», or a :class:`YearTarget` to
        make one year strict).
    :param onwards: the threshold of every year after the last listed one («далее»);
        None: those years have no target.

    ::

        YearlyTargets(years={2020: 5}, onwards=10, text="в 2020 году – 5 %, далее – 10 %")
        YearlyTargets(years={2021: 9, 2022: YearTarget(15, inclusive=False)})
    """

    years: Mapping[int, YearTarget] = attrs.field(converter=_years)
    onwards: YearTarget | None = attrs.field(default=None, converter=_onwards)
    kind: str = attrs.field(init=False, default="yearly")

    def for_year(self, year: int) -> YearTarget | None:
        """The threshold that applies in ``year`` (None: not judged that year)."""
        if year in self.years:
            return self.years[year]
        if self.onwards is not None and year > max(self.years):
            return self.onwards
        return None

    def judge(self, frame: pd.DataFrame) -> TargetResult:
        end_year = frame["end_year"].to_numpy().astype(np.int64)
        target = np.full(len(frame), np.nan)
        met = np.zeros(len(frame), dtype=bool)
        due = np.zeros(len(frame), dtype=bool)
        value, exact = _values(frame)
        for year in np.unique(end_year).tolist():
            step = self.for_year(int(year))
            if step is None:
                continue
            rows = end_year == year
            target[rows] = float(step.value)
            due |= rows
            reached = exact.at_least(_Q.of(_fraction(step.value)), step.inclusive)
            met |= rows & np.broadcast_to(reached, rows.shape)
        known = _judgeable(frame) & np.isfinite(value) & due
        return target, _boolean(met, known), due

    def rule(self) -> str:
        parts = [f"в {year} году {step.text()}" for year, step in self.years.items()]
        if self.onwards is not None:
            parts.append(f"далее (с {max(self.years) + 1} года) {self.onwards.text()}")
        return "по годам: " + "; ".join(parts)


# --------------------------------------------------------------------------- wording


def _part_phrase(target: Target) -> str:
    if isinstance(target, PositiveDynamics):
        base = (
            f"относительно {target.baseline.label}"
            if target.baseline is not None
            else "относительно предыдущего периода"
        )
        if target.min_relative is not None:
            return f"рост {base} не менее чем на {format_number(target.min_relative)} %"
        if target.min_points is not None:
            return f"рост {base} не менее чем на {format_number(target.min_points)}"
        return f"рост {base}"
    if isinstance(target, Stable):
        return "без снижения относительно предыдущего периода"
    if isinstance(target, AllOf):
        return " и ".join(_part_phrase(p) for p in target.parts)
    return ""


def target_phrase(target: Target | None, threshold: float, *, percent: bool) -> str:
    """The target of one result row in words, for evidence and tables.

    A target with a fixed level gives «целевое значение: 25,0 %»; a dynamics target gives
    the rule and the threshold it came to for this row: «цель: рост относительно
    2020-2021 не менее чем на 10 % (порог: 3,0 %)».

    :param target: the indicator's target (None: no target).
    :param threshold: the row's ``target`` value (NaN when there is none).
    :param percent: whether the value is a percentage.
    :returns: the phrase, or '' without a target.
    """
    if target is None:
        return ""
    number = "" if pd.isna(threshold) else format_value(threshold, "value", percent=percent)
    phrase = _part_phrase(target)
    if not phrase:
        return f"целевое значение: {number}" if number else ""
    return f"цель: {phrase}" + (f" (порог: {number})" if number else "")
