"""The computation engine: declarations in, one tidy frame out.

Pure and vectorised: no I/O, no per-row Python. For each source table the engine
evaluates every condition once (cached), counts rows per organisation and period with
``numpy.bincount`` on integer codes, and re-aggregates upwards by summing. Persons that
appear more than once in a period (two posts, two organisations) take a separate
de-duplicating path so that each is counted once per unit at every level; everyone else
goes through the fast path.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence

import numpy as np
import pandas as pd

from pedprof.conditions import Condition, EvalContext
from pedprof.data import Dataset, activity_matrix, successor_codes
from pedprof.indicators import Indicator, IndicatorKind, Level
from pedprof.periods import Cumulative, Period, PeriodKind, Reporting, Rolling, parse_period
from pedprof.targets import Target

__all__ = ["RESULT_COLUMNS", "compute_indicators"]

RESULT_COLUMNS = (
    "indicator",
    "breakdown",
    "level",
    "unit",
    "parent",
    "period",
    "period_start",
    "numerator",
    "denominator",
    "value",
    "state",
    "previous_value",
    "target",
    "target_met",
    "target_due",
)

STATES = ("value", "no_data", "not_applicable")
LEVELS = tuple(level.value for level in Level)


class _Grid:
    """Per-level arrays ``[unit, period]`` of numerator, denominator and reporting."""

    def __init__(self, num: np.ndarray, den: np.ndarray, reported: np.ndarray) -> None:
        self.num = num
        self.den = den
        self.reported = reported


class _Hierarchy:
    """Integer codes for units and periods, and the maps between levels."""

    def __init__(self, data: Dataset, periods: list[Period]) -> None:
        orgs = data.organizations.reset_index(drop=True)
        munis = data.municipalities.reset_index(drop=True)
        self.org_ids = orgs["org_id"].astype(str).to_numpy(dtype=object)
        self.muni_ids = munis["municipality_id"].astype(str).to_numpy(dtype=object)
        region_ids = list(dict.fromkeys(data.regions["region_id"].astype(str)))
        for r in munis["region_id"].astype(str):
            if r not in region_ids:
                region_ids.append(r)
        self.region_ids = np.array(region_ids, dtype=object)
        self.org_index = pd.Index(self.org_ids)
        kinds = orgs["kind"] if "kind" in orgs.columns else pd.Series(["other"] * len(orgs))
        self.org_kind = kinds.astype(str).to_numpy(dtype=object)
        self.muni_index = pd.Index(self.muni_ids)
        self.org_muni = self.muni_index.get_indexer(orgs["municipality_id"].astype(str))
        self.muni_region = pd.Index(self.region_ids).get_indexer(munis["region_id"].astype(str))
        self.periods = periods
        self.first = periods[0].ordinal if periods else 0
        self.n_periods = len(periods)
        self.org_active = activity_matrix(orgs, periods)
        self.org_successor = successor_codes(orgs, self.org_active)

    def size(self, level: str) -> int:
        return {
            "organization": len(self.org_ids),
            "municipality": len(self.muni_ids),
            "region": len(self.region_ids),
        }[level]

    def up(self, level: str) -> np.ndarray:
        """Codes of the parent unit for each unit of ``level``."""
        return self.org_muni if level == "organization" else self.muni_region

    def ids(self, level: str) -> np.ndarray:
        return {
            "organization": self.org_ids,
            "municipality": self.muni_ids,
            "region": self.region_ids,
        }[level]


def _sum_up(grid: np.ndarray, parent: np.ndarray, n_parent: int) -> np.ndarray:
    n_periods = grid.shape[1]
    flat = (parent[:, None] * n_periods + np.arange(n_periods)).ravel()
    return np.bincount(flat, weights=grid.ravel(), minlength=n_parent * n_periods).reshape(
        n_parent, n_periods
    )


def _any_up(grid: np.ndarray, parent: np.ndarray, n_parent: int) -> np.ndarray:
    return _sum_up(grid.astype(float), parent, n_parent) > 0


class _Table:
    """One source table prepared for evaluation, with a cache of condition masks."""

    def __init__(self, name: str, frame: pd.DataFrame, h: _Hierarchy, kind: PeriodKind) -> None:
        self.name = name
        self.frame = frame.reset_index(drop=True)
        self.h = h
        labels = self.frame["period"].astype(str)
        uniq = pd.unique(labels)
        ordinal_of = {lab: parse_period(lab, kind).ordinal for lab in uniq}
        self.ordinals = labels.map(ordinal_of).to_numpy(dtype=np.int64)
        self.period_code = self.ordinals - h.first
        self.by_org = "org_id" in self.frame.columns
        if self.by_org:
            codes = h.org_index.get_indexer(self.frame["org_id"].astype(str))
            _check_codes(codes, self.frame["org_id"], name, "org_id")
            self.org_code = codes
            self.muni_code = h.org_muni[codes]
            if "org_kind" not in self.frame.columns:
                self.frame["org_kind"] = h.org_kind[codes]
        else:
            if "municipality_id" not in self.frame.columns:
                raise ValueError(f"table {name!r} has neither org_id nor municipality_id")
            codes = h.muni_index.get_indexer(self.frame["municipality_id"].astype(str))
            _check_codes(codes, self.frame["municipality_id"], name, "municipality_id")
            self.org_code = None
            self.muni_code = codes
        self.region_code = h.muni_region[self.muni_code]
        self.ctx = EvalContext(kind, self.ordinals)
        self._masks: dict[Condition, np.ndarray] = {}
        self._keys: dict[str, np.ndarray] = {}
        self._dups: dict[str, np.ndarray] = {}

    def mask(self, cond: Condition) -> np.ndarray:
        if cond not in self._masks:
            try:
                self._masks[cond] = cond.evaluate(self.frame, self.ctx)
            except KeyError as exc:
                raise KeyError(f"table {self.name!r}: {exc.args[0]}") from None
        return self._masks[cond]

    def key(self, column: str) -> np.ndarray:
        if column not in self._keys:
            self._keys[column] = pd.factorize(self.frame[column])[0].astype(np.int64)
        return self._keys[column]

    def duplicated(self, column: str) -> np.ndarray:
        """Rows whose distinct key occurs more than once in the same period."""
        if column not in self._dups:
            key = self.key(column)
            combined = key * max(self.h.n_periods, 1) + self.period_code
            _, inverse, counts = np.unique(combined, return_inverse=True, return_counts=True)
            self._dups[column] = counts[inverse] > 1
        return self._dups[column]

    def unit_code(self, level: str) -> np.ndarray:
        if level == "organization":
            assert self.org_code is not None
            return self.org_code
        return self.muni_code if level == "municipality" else self.region_code


def _check_codes(codes: np.ndarray, values: pd.Series, table: str, column: str) -> None:
    if (codes < 0).any():
        unknown = sorted(set(values[codes < 0].astype(str)))[:10]
        raise ValueError(
            f"table {table!r}: {column} not in the register: {unknown}"
            " (validate the data first: pedprof check)"
        )


def _reported(
    data: Dataset, tables: Mapping[str, _Table], h: _Hierarchy, kind: PeriodKind
) -> tuple[np.ndarray, np.ndarray]:
    """Which organisations and municipalities reported for which periods."""
    org_rep = np.zeros((len(h.org_ids), h.n_periods), dtype=bool)
    muni_rep = np.zeros((len(h.muni_ids), h.n_periods), dtype=bool)
    for t in tables.values():
        if t.by_org:
            assert t.org_code is not None
            org_rep[t.org_code, t.period_code] = True
        else:
            muni_rep[t.muni_code, t.period_code] = True
    if data.submissions is not None and len(data.submissions):
        sub = data.submissions
        ordinals = np.array(
            [parse_period(p, kind).ordinal for p in sub["period"].astype(str)], dtype=np.int64
        )
        pcode = ordinals - h.first
        ok = (pcode >= 0) & (pcode < h.n_periods)
        ids = sub["unit_id"].astype(str)
        oc = h.org_index.get_indexer(ids)
        sel = ok & (oc >= 0)
        org_rep[oc[sel], pcode[sel]] = True
        mc = h.muni_index.get_indexer(ids)
        sel = ok & (mc >= 0)
        muni_rep[mc[sel], pcode[sel]] = True
    return org_rep, muni_rep


def _lookback(t: _Table, key_col: str, raw: np.ndarray, window: Rolling | Cumulative) -> np.ndarray:
    """Whether, for each row, the same key satisfied ``raw`` in a period of the window."""
    key = t.key(key_col)
    left = pd.DataFrame({"key": key, "ord": t.ordinals, "row": np.arange(len(key))})
    right = (
        pd.DataFrame({"key": key[raw], "hit": t.ordinals[raw]})
        .drop_duplicates()
        .sort_values("hit", kind="stable")
    )
    if right.empty:
        return np.zeros(len(key), dtype=bool)
    merged = pd.merge_asof(
        left.sort_values("ord", kind="stable"),
        right,
        left_on="ord",
        right_on="hit",
        by="key",
        direction="backward",
    ).sort_values("row")
    hit = merged["hit"].to_numpy(dtype=float)
    lower = np.array([window.lower_ordinal(int(o)) for o in t.ordinals], dtype=float)
    if isinstance(window, Cumulative):
        lower = np.full(len(key), float(window.since.ordinal))
    return ~np.isnan(hit) & (hit >= lower)


def _count_grids(
    t: _Table,
    key_col: str,
    include: np.ndarray,
    flag: np.ndarray,
    levels: Sequence[str],
    extra_rows: tuple[np.ndarray, np.ndarray] | None = None,
) -> dict[str, tuple[np.ndarray, np.ndarray]]:
    """Distinct-key counts per unit and period: (count of included, count also flagged).

    Rows whose key repeats within a period are de-duplicated per unit (a key counts once,
    flagged if any of its rows is); all other rows are summed directly.
    """
    h = t.h
    n_p = h.n_periods
    dup = t.duplicated(key_col) & include
    fast = include & ~dup
    finest = levels[0]
    out: dict[str, tuple[np.ndarray, np.ndarray]] = {}
    unit = t.unit_code(finest)
    n_units = h.size(finest)
    flat = unit[fast] * n_p + t.period_code[fast]
    size = n_units * n_p
    den = np.bincount(flat, minlength=size).astype(float).reshape(n_units, n_p)
    num = np.bincount(flat, weights=flag[fast].astype(float), minlength=size).reshape(n_units, n_p)
    out[finest] = (den, num)
    for upper, lower in zip(levels[1:], levels[:-1], strict=False):
        d, n = out[lower]
        parent = h.up(lower)
        out[upper] = (_sum_up(d, parent, h.size(upper)), _sum_up(n, parent, h.size(upper)))
    if dup.any():
        key = t.key(key_col)[dup]
        period = t.period_code[dup]
        f = flag[dup]
        for level in levels:
            u = t.unit_code(level)[dup]
            frame = pd.DataFrame({"k": key, "u": u, "p": period, "f": f})
            g = frame.groupby(["k", "u", "p"], sort=False)["f"].max().reset_index()
            flat = g["u"].to_numpy() * n_p + g["p"].to_numpy()
            size = h.size(level) * n_p
            d = np.bincount(flat, minlength=size).astype(float).reshape(-1, n_p)
            n = np.bincount(flat, weights=g["f"].to_numpy(float), minlength=size).reshape(-1, n_p)
            out[level] = (out[level][0] + d, out[level][1] + n)
    return out


def _expand_window(t: _Table, include: np.ndarray, window: Rolling | Cumulative) -> _Table:
    """A view of the table where each row is repeated in every period whose window covers it."""
    rows = np.flatnonzero(include)
    ordinals = t.ordinals[rows]
    last = t.h.first + t.h.n_periods - 1
    reps, targets = [], []
    for target in range(t.h.first, last + 1):
        lo = window.lower_ordinal(target)
        sel = (ordinals >= lo) & (ordinals <= target)
        reps.append(rows[sel])
        targets.append(np.full(int(sel.sum()), target))
    idx = np.concatenate(reps) if reps else np.array([], dtype=np.int64)
    new = object.__new__(_Table)
    new.__dict__.update(t.__dict__)
    new.frame = t.frame.iloc[idx].reset_index(drop=True)
    new.ordinals = np.concatenate(targets) if targets else np.array([], dtype=np.int64)
    new.period_code = new.ordinals - t.h.first
    new.org_code = None if t.org_code is None else t.org_code[idx]
    new.muni_code = t.muni_code[idx]
    new.region_code = t.region_code[idx]
    new._masks = {}
    new._keys = {}
    new._dups = {}
    return new


def _levels_for(t: _Table, wanted: Sequence[str]) -> list[str]:
    base = LEVELS if t.by_org else LEVELS[1:]
    return [lv for lv in base if lv in wanted or lv in base[: base.index(lv)]]


def _evaluate(
    ind: Indicator,
    t: _Table,
    reported: Mapping[str, np.ndarray],
    levels: Sequence[str],
    population_extra: Condition | None,
) -> dict[str, _Grid]:
    h = t.h
    base_levels = list(LEVELS if t.by_org else LEVELS[1:])
    population = ind.population if population_extra is None else ind.population & population_extra
    include = t.mask(population)
    if ind.kind is IndicatorKind.SHARE:
        assert ind.numerator is not None
        raw = t.mask(ind.numerator)
        if isinstance(ind.window, Reporting):
            flag = include & raw
        else:
            flag = include & _lookback(t, ind.distinct, raw, ind.window)
        counts = _count_grids(t, ind.distinct, include, flag, base_levels)
        grids = {lv: _Grid(counts[lv][1], counts[lv][0], reported[lv]) for lv in base_levels}
    elif ind.kind in (IndicatorKind.COUNT, IndicatorKind.PRESENCE):
        table = t
        if not isinstance(ind.window, Reporting):
            table = _expand_window(t, include, ind.window)
            include = np.ones(len(table.frame), dtype=bool)
            table._dups[ind.distinct] = np.ones(len(table.frame), dtype=bool)
        counts = _count_grids(table, ind.distinct, include, include, base_levels)
        grids = {
            lv: _Grid(counts[lv][0], np.full_like(counts[lv][0], np.nan), reported[lv])
            for lv in base_levels
        }
    else:  # per-organisation minimum
        if not t.by_org:
            raise ValueError(f"indicator {ind.id}: a per-organisation minimum needs org_id rows")
        counts = _count_grids(t, ind.distinct, include, include, ["organization"])
        org_count = counts["organization"][0]
        rep = reported["organization"] & h.org_active
        compliant = rep & (org_count >= (ind.minimum or 0))
        grids = {"organization": _Grid(org_count, np.full_like(org_count, np.nan), rep)}
        num, den = compliant.astype(float), rep.astype(float)
        for upper, lower in (("municipality", "organization"), ("region", "municipality")):
            parent = h.up(lower)
            num = _sum_up(num, parent, h.size(upper))
            den = _sum_up(den, parent, h.size(upper))
            grids[upper] = _Grid(num, den, reported[upper])
    return {lv: g for lv, g in grids.items() if lv in levels}


def _values(kind: IndicatorKind, level: str, g: _Grid) -> tuple[np.ndarray, np.ndarray]:
    """Value and state code (0 value, 1 no data, 2 not applicable) per cell."""
    share = kind is IndicatorKind.SHARE or (
        kind is IndicatorKind.PER_ORGANIZATION_MINIMUM and level != "organization"
    )
    state = np.zeros(g.num.shape, dtype=np.int8)
    if share:
        with np.errstate(invalid="ignore", divide="ignore"):
            value = 100.0 * g.num / g.den
        state[g.den == 0] = 2
    else:
        value = g.num.astype(float).copy()
    state[~g.reported] = 1
    value[state != 0] = np.nan
    return value, state


def _previous(
    kind: IndicatorKind, level: str, g: _Grid, value: np.ndarray, h: _Hierarchy
) -> np.ndarray:
    """The previous period's value; at organisation level restated through successors."""
    prev = np.full(value.shape, np.nan)
    if h.n_periods < 2:
        return prev
    if level != "organization":
        prev[:, 1:] = value[:, :-1]
        return prev
    n = len(h.org_ids)
    for j in range(1, h.n_periods):
        succ = h.org_successor[:, j]
        num = np.bincount(succ, weights=g.num[:, j - 1], minlength=n)
        rep = np.bincount(succ, weights=g.reported[:, j - 1].astype(float), minlength=n) > 0
        if kind is IndicatorKind.SHARE:
            den = np.bincount(succ, weights=g.den[:, j - 1], minlength=n)
            with np.errstate(invalid="ignore", divide="ignore"):
                col = 100.0 * num / den
            col[den == 0] = np.nan
        else:
            col = num.astype(float)
        col[~rep] = np.nan
        prev[:, j] = col
    return prev


def _frame_for(
    ind: Indicator,
    breakdown: str | None,
    grids: Mapping[str, _Grid],
    h: _Hierarchy,
    unit_categories: pd.Index,
    unit_offset: Mapping[str, int],
) -> pd.DataFrame:
    parts = []
    for level, g in grids.items():
        value, state = _values(ind.kind, level, g)
        prev = _previous(ind.kind, level, g, value, h)
        if level == "organization":
            show = h.org_active | g.reported
        else:
            show = np.ones(value.shape, dtype=bool)
        u, p = np.nonzero(show)
        if level == "region":
            parent_codes = np.full(len(u), -1)
        else:
            parent_level = "municipality" if level == "organization" else "region"
            parent_codes = h.up(level)[u] + unit_offset[parent_level]
        is_count_like = ind.kind in (IndicatorKind.COUNT, IndicatorKind.PRESENCE) or (
            ind.kind is IndicatorKind.PER_ORGANIZATION_MINIMUM and level == "organization"
        )
        den = g.den[u, p]
        parts.append(
            pd.DataFrame(
                {
                    "level": level,
                    "unit_code": u + unit_offset[level],
                    "parent_code": parent_codes,
                    "pcode": p,
                    "numerator": np.where(state[u, p] == 1, np.nan, g.num[u, p]),
                    "denominator": np.nan
                    if is_count_like
                    else np.where(state[u, p] == 1, np.nan, den),
                    "value": value[u, p],
                    "state_code": state[u, p],
                    "previous_value": prev[u, p],
                }
            )
        )
    frame = pd.concat(parts, ignore_index=True)
    frame.insert(0, "breakdown", breakdown)
    return frame


def compute_indicators(
    indicators: Sequence[Indicator],
    data: Dataset,
    *,
    period_kind: PeriodKind,
    targets: Mapping[str, Target] | None = None,
    periods: Sequence[str] | None = None,
    levels: Sequence[str] = LEVELS,
    on_table: Callable[[str], None] | None = None,
) -> pd.DataFrame:
    """Compute ``indicators`` on ``data`` for every unit, level and period.

    :param indicators: the indicator declarations.
    :param data: the hierarchy and the submitted tables.
    :param period_kind: the kind of the profile's periods; labels are parsed as such.
    :param targets: indicator id → target; indicators without one get no status.
    :param periods: restrict the output to these period labels (the previous period is
        still read for dynamics).
    :param levels: which levels to return.
    :returns: a tidy frame with :data:`RESULT_COLUMNS`, one row per indicator ×
        breakdown × level × unit × period.
    """
    targets = targets or {}
    unknown_levels = set(levels) - set(LEVELS)
    if unknown_levels:
        raise ValueError(f"unknown level(s) {sorted(unknown_levels)}; expected {LEVELS}")
    used = {ind.table for ind in indicators}
    ordinals: set[int] = set()
    for name in used:
        labels = pd.unique(data.table(name)["period"].astype(str))
        ordinals.update(parse_period(lab, period_kind).ordinal for lab in labels)
    if periods:
        ordinals.update(parse_period(p, period_kind).ordinal for p in periods)
    if not ordinals:
        return _empty()
    grid = [Period(period_kind, o) for o in range(min(ordinals), max(ordinals) + 1)]
    h = _Hierarchy(data, grid)
    tables = {name: _Table(name, data.table(name), h, period_kind) for name in sorted(used)}
    for name, frame in data.tables.items():
        if name not in tables and "period" in frame.columns and len(frame):
            tables[name] = _Table(name, frame, h, period_kind)
    org_rep, muni_rep = _reported(data, tables, h, period_kind)
    muni_rep = muni_rep | _any_up(org_rep, h.org_muni, len(h.muni_ids))
    reported = {
        "organization": org_rep,
        "municipality": muni_rep,
        "region": _any_up(muni_rep, h.muni_region, len(h.region_ids)),
    }
    unit_categories = pd.Index(np.concatenate([h.org_ids, h.muni_ids, h.region_ids]).astype(str))
    unit_offset = {
        "organization": 0,
        "municipality": len(h.org_ids),
        "region": len(h.org_ids) + len(h.muni_ids),
    }
    frames = []
    for ind in indicators:
        if on_table is not None:
            on_table(ind.id)
        t = tables[ind.table]
        grids = _evaluate(ind, t, reported, levels, None)
        parts = [_frame_for(ind, None, grids, h, unit_categories, unit_offset)]
        if ind.split_by:
            from pedprof.conditions import col

            values = pd.unique(t.frame[ind.split_by].dropna())
            for v in sorted(values, key=str):
                g = _evaluate(ind, t, reported, levels, col(ind.split_by).eq(v))
                parts.append(_frame_for(ind, str(v), g, h, unit_categories, unit_offset))
        frame = pd.concat(parts, ignore_index=True) if len(parts) > 1 else parts[0]
        frame.insert(0, "indicator", ind.id)
        frames.append(_with_targets(frame, targets.get(ind.id), grid))
    if not frames:
        return _empty()
    out = pd.concat(frames, ignore_index=True)
    wanted = {p.ordinal - h.first for p in grid}
    if periods:
        wanted = {parse_period(p, period_kind).ordinal - h.first for p in periods}
    out = out[out["pcode"].isin(sorted(wanted))]
    return _finish(out, grid, unit_categories)


def _with_targets(frame: pd.DataFrame, target: Target | None, grid: list[Period]) -> pd.DataFrame:
    n = len(frame)
    if target is None:
        frame["target"] = np.nan
        frame["target_met"] = pd.array([pd.NA] * n, dtype="boolean")
        frame["target_due"] = False
        return frame
    end_years = np.array([p.end_year for p in grid])
    ords = np.array([p.ordinal for p in grid])
    view = pd.DataFrame(
        {
            "value": frame["value"].to_numpy(),
            "previous_value": frame["previous_value"].to_numpy(),
            "state": np.asarray(STATES, dtype=object)[frame["state_code"].to_numpy()],
            "end_year": end_years[frame["pcode"].to_numpy()],
            "ordinal": ords[frame["pcode"].to_numpy()],
            "level": frame["level"].to_numpy(),
            "unit": frame["unit_code"].to_numpy(),
            "period": frame["pcode"].to_numpy(),
            "breakdown": frame["breakdown"].to_numpy(),
            "numerator": frame["numerator"].to_numpy(),
            "denominator": frame["denominator"].to_numpy(),
        }
    )
    value, met, due = target.evaluate(view)
    frame["target"] = value
    frame["target_met"] = met
    frame["target_due"] = due
    return frame


def _finish(out: pd.DataFrame, grid: list[Period], units: pd.Index) -> pd.DataFrame:
    labels = [p.label for p in grid]
    starts = pd.to_datetime([p.start for p in grid])
    pcode = out["pcode"].to_numpy()
    result = pd.DataFrame(
        {
            "indicator": out["indicator"].astype("string").to_numpy(),
            "breakdown": pd.array(out["breakdown"].to_numpy(), dtype="string"),
            "level": pd.Categorical(out["level"].to_numpy(), categories=list(LEVELS)),
            "unit": pd.Categorical.from_codes(out["unit_code"].to_numpy(), categories=units),
            "parent": pd.Categorical.from_codes(out["parent_code"].to_numpy(), categories=units),
            "period": pd.Categorical.from_codes(pcode, categories=labels, ordered=True),
            "period_start": starts[pcode],
            "numerator": out["numerator"].to_numpy(dtype=float),
            "denominator": out["denominator"].to_numpy(dtype=float),
            "value": out["value"].to_numpy(dtype=float),
            "state": pd.Categorical.from_codes(
                out["state_code"].to_numpy(), categories=list(STATES)
            ),
            "previous_value": out["previous_value"].to_numpy(dtype=float),
            "target": out["target"].to_numpy(dtype=float),
            "target_met": out["target_met"].array,
            "target_due": out["target_due"].to_numpy(dtype=bool),
        }
    )
    return result


def _empty() -> pd.DataFrame:
    return pd.DataFrame({c: [] for c in RESULT_COLUMNS})
