"""Targets (целевые значения, индикаторы показателей) and their vectorised evaluation.

Every target knows the words it was approved with (``text``, verbatim), the document it
comes from, and whether its boundary is inclusive. Evaluation works on the whole result
frame of one indicator at once and never on rounded values: «не менее 33,3 %» is met by
33.3 and not by 33.29999.

A target returns three arrays for the rows it is given:

* ``target`` — the threshold the value is compared with in that period (NaN when the
  target has no number for that row, e.g. dynamics without a previous value);
* ``met`` — True / False, or missing (``pd.NA``) when it cannot be judged: the value is
  *no data* or *not applicable*, or there is nothing to compare with;
* ``due`` — whether the target's deadline applies to the period («к 2024 году» is due in
  the period that ends in 2024 and later; an annual target is due every period).
"""

from __future__ import annotations

from collections.abc import Mapping

import attrs
import numpy as np
import pandas as pd

from pedprof.periods import Period

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
]

TargetResult = tuple[np.ndarray, pd.arrays.BooleanArray, np.ndarray]


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


@attrs.frozen(kw_only=True)
class Target:
    """Base class: the approved words and where they come from.

    :param text: the target exactly as the order words it.
    :param document: the document that approves it (e.g. «Приказ № 213 от 19.08.2021,
        приложение 3»).
    """

    text: str = ""
    document: str = ""

    kind: str = attrs.field(init=False, default="target")

    def evaluate(self, frame: pd.DataFrame) -> TargetResult:
        """Evaluate for every row of ``frame`` (columns: ``value``, ``state``,
        ``previous_value``, ``end_year``, ``ordinal``, ``level``, ``unit``, ``period``,
        ``breakdown``, ``numerator``, ``denominator``)."""
        raise NotImplementedError

    def describe(self) -> str:
        """The rule in Russian, with its boundary made explicit."""
        raise NotImplementedError


def _baseline_values(frame: pd.DataFrame, ordinal: int) -> np.ndarray:
    """The value of the same level/unit/breakdown in the baseline period, per row."""
    key = ["level", "unit", "breakdown"]
    keys = frame[key].astype(str)
    at_base = (frame["ordinal"] == ordinal).to_numpy()
    base = pd.Series(
        frame["value"].to_numpy(dtype=float)[at_base],
        index=pd.MultiIndex.from_frame(keys[at_base]),
    )
    base = base[~base.index.duplicated()]
    return base.reindex(pd.MultiIndex.from_frame(keys)).to_numpy(dtype=float)


def _cmp(value: np.ndarray, threshold: np.ndarray, inclusive: bool) -> np.ndarray:
    with np.errstate(invalid="ignore"):
        return value >= threshold if inclusive else value > threshold


@attrs.frozen(kw_only=True)
class AtLeast(Target):
    """At least ``value`` («не менее X»), from ``by_year`` on («к 2024 году») or every
    period when ``by_year`` is None («ежегодно»)."""

    value: float
    by_year: int | None = None
    inclusive: bool = True
    kind: str = attrs.field(init=False, default="at_least")

    def evaluate(self, frame: pd.DataFrame) -> TargetResult:
        target = np.full(len(frame), float(self.value))
        known = _judgeable(frame)
        met = _cmp(frame["value"].to_numpy(dtype=float), target, self.inclusive)
        return target, _boolean(met, known), _due(frame, self.by_year)

    def describe(self) -> str:
        sign = "≥" if self.inclusive else ">"
        when = f"к {self.by_year} году" if self.by_year else "ежегодно"
        return f"{when}: значение {sign} {_num(self.value)}"


@attrs.frozen(kw_only=True)
class Exactly(Target):
    """Exactly ``value`` («100 %»; also «не менее 100 %» for a share, which cannot exceed
    100). The comparison is exact, on the unrounded value."""

    value: float
    by_year: int | None = None
    kind: str = attrs.field(init=False, default="exactly")

    def evaluate(self, frame: pd.DataFrame) -> TargetResult:
        target = np.full(len(frame), float(self.value))
        known = _judgeable(frame)
        met = frame["value"].to_numpy(dtype=float) == target
        return target, _boolean(met, known), _due(frame, self.by_year)

    def describe(self) -> str:
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

    def evaluate(self, frame: pd.DataFrame) -> TargetResult:
        k = frame["ordinal"].to_numpy() - self.start_ordinal + 1
        target = np.minimum(self.step * k, self.cap).astype(float)
        started = k >= 1
        target[~started] = np.nan
        known = _judgeable(frame) & started
        met = _cmp(frame["value"].to_numpy(dtype=float), target, self.inclusive)
        return target, _boolean(met, known), started

    def describe(self) -> str:
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

    def evaluate(self, frame: pd.DataFrame) -> TargetResult:
        if self.baseline is None:
            prev = frame["previous_value"].to_numpy(dtype=float)
        else:
            prev = _baseline_values(frame, self.baseline.ordinal)
        value = frame["value"].to_numpy(dtype=float)
        threshold = prev.copy()
        inclusive = not self.strict
        if self.min_relative is not None:
            threshold = prev * (1 + self.min_relative / 100)
            inclusive = True
        if self.min_points is not None:
            threshold = np.fmax(threshold, prev + self.min_points)
            inclusive = True
        known = _judgeable(frame) & ~np.isnan(prev)
        if self.baseline is not None:
            # the baseline period (and earlier) has nothing to be compared with
            known &= frame["ordinal"].to_numpy() > self.baseline.ordinal
        if self.min_relative is not None:
            # relative growth from zero is undefined: judge only against a positive base
            known &= prev > 0
        met = _cmp(value, threshold, inclusive)
        return threshold, _boolean(met, known), _due(frame, self.by_year)

    def describe(self) -> str:
        when = f"к {self.by_year} году: " if self.by_year else ""
        base = "предыдущего периода"
        if self.baseline is not None:
            base = f"базового периода {self.baseline.label}"
        if self.min_relative is not None:
            return (
                f"{when}рост не менее чем на {_num(self.min_relative)} % от значения "
                f"{base} (значение ≥ базовое × {_num(1 + self.min_relative / 100)})"
            )
        if self.min_points is not None:
            return f"{when}рост не менее чем на {_num(self.min_points)} ед. от значения {base}"
        return f"{when}значение строго больше значения {base}"


@attrs.frozen(kw_only=True)
class Stable(Target):
    """No decrease against the previous period («устойчивое количество», «сильное
    состояние»): value ≥ previous value − ``tolerance``."""

    tolerance: float = 0.0
    by_year: int | None = None
    kind: str = attrs.field(init=False, default="stable")

    def evaluate(self, frame: pd.DataFrame) -> TargetResult:
        prev = frame["previous_value"].to_numpy(dtype=float)
        threshold = prev - self.tolerance
        known = _judgeable(frame) & ~np.isnan(prev)
        met = _cmp(frame["value"].to_numpy(dtype=float), threshold, True)
        return threshold, _boolean(met, known), _due(frame, self.by_year)

    def describe(self) -> str:
        tol = f" − {_num(self.tolerance)}" if self.tolerance else ""
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

    def evaluate(self, frame: pd.DataFrame) -> TargetResult:
        is_org = (frame["level"] == "organization").to_numpy()
        target = np.where(is_org, float(self.value), 100.0)
        value = frame["value"].to_numpy(dtype=float)
        with np.errstate(invalid="ignore"):
            met = np.where(is_org, value >= self.value, value == 100.0)
        return target, _boolean(met, _judgeable(frame)), _due(frame, self.by_year)

    def describe(self) -> str:
        when = f"к {self.by_year} году" if self.by_year else "ежегодно"
        return f"{when}: в каждой организации не менее {_num(self.value)}"


@attrs.frozen(kw_only=True)
class CountComposition(Target):
    """A count of at least ``total`` of which at least ``minimums[k]`` of each kind ``k``
    (Karabash k09: «не менее 2 (1 – поддержка молодых педагогов, 1 – работа с резервом
    руководителей)»). Needs the indicator's breakdown by kind."""

    total: float
    minimums: Mapping[str, float]
    by_year: int | None = None
    labels: Mapping[str, str] | None = None
    kind: str = attrs.field(init=False, default="count_composition")

    def evaluate(self, frame: pd.DataFrame) -> TargetResult:
        key = ["level", "unit", "period"]
        is_total = frame["breakdown"].isna().to_numpy()
        target = np.where(is_total, float(self.total), np.nan)
        value = frame["value"].to_numpy(dtype=float)
        met = value >= self.total
        parts = frame.loc[~is_total, [*key, "breakdown", "value"]]
        idx = pd.MultiIndex.from_frame(frame[key])
        for kind_value, minimum in self.minimums.items():
            part = parts[parts["breakdown"] == kind_value].set_index(key)["value"]
            got = part.reindex(idx).to_numpy(dtype=float)
            met &= ~is_total | (np.nan_to_num(got, nan=0.0) >= minimum)
        for kind_value, minimum in self.minimums.items():
            # a breakdown row is judged against its own minimum
            own = (frame["breakdown"] == kind_value).to_numpy()
            target[own] = minimum
            met[own] = value[own] >= minimum
        return target, _boolean(met, _judgeable(frame)), _due(frame, self.by_year)

    def describe(self) -> str:
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

    def evaluate(self, frame: pd.DataFrame) -> TargetResult:
        results = [p.evaluate(frame) for p in self.parts]
        target = results[0][0]
        met = results[0][1].copy()
        due = results[0][2].copy()
        for _, part_met, part_due in results[1:]:
            met = met & part_met
            due &= part_due
        return target, met, due

    def describe(self) -> str:
        return "; ".join(p.describe() for p in self.parts)


def _num(x: float) -> str:
    """A number written the Russian way (decimal comma, no trailing zeros)."""
    text = f"{x:.6f}".rstrip("0").rstrip(".")
    return text.replace(".", ",")
