"""The computation engine: declarations in, one tidy frame out.

Pure and vectorised: no I/O, no per-row Python. For each source table the engine
evaluates every condition once (cached), counts rows per organisation and period with
``numpy.bincount`` on integer codes, and re-aggregates upwards by summing. Persons that
appear more than once in a period (two posts, two organisations) take a separate
de-duplicating path so that each is counted once per unit at every level (and once in a
successor's restated previous period after a merger); everyone else goes through the fast
path. Text keys a source field declares normalised are compared in one form
(:func:`pedprof.model.sources.normalize_text`, once per distinct value).
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from typing import Any

import numpy as np
import pandas as pd

from pedprof.model.conditions import Condition, EvalContext
from pedprof.model.data import Dataset, activity_matrix, resolve_successors, successor_codes
from pedprof.model.indicators import Indicator, IndicatorKind, Level
from pedprof.model.periods import Cumulative, Period, PeriodKind, Reporting, Rolling, parse_period
from pedprof.model.sources import Source, normalize_text
from pedprof.model.targets import Target

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
    """Per-level arrays ``[unit, period]`` of numerator, denominator and reporting.

    ``restated`` (organisation level, when organisations merged): numerator and
    denominator of each period counted under the organisations the rows belong to in the
    *next* period (:meth:`_Table.restated`), distinct keys counted once per successor; only
    the cells :meth:`_Hierarchy.restatement` names are filled.
    """

    def __init__(
        self,
        num: np.ndarray,
        den: np.ndarray,
        reported: np.ndarray,
        restated: tuple[np.ndarray, np.ndarray] | None = None,
    ) -> None:
        self.num = num
        self.den = den
        self.reported = reported
        self.restated = restated


#: Register columns that identify or place an organisation rather than describe it.
_REGISTER_KEYS = (
    "org_id",
    "municipality_id",
    "name",
    "kind",
    "valid_from",
    "valid_to",
    "successor_id",
)


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
        self.orgs = _Ids(self.org_ids)
        self.munis = _Ids(self.muni_ids)
        self.org_index = self.orgs.index
        self.muni_index = self.munis.index
        kinds = orgs["kind"] if "kind" in orgs.columns else pd.Series(["other"] * len(orgs))
        self.org_kind = kinds.astype(str).to_numpy(dtype=object)
        #: The register's own columns an organisation table can be joined with
        #: (attributes a profile adds to the register: «сельская», «инновационная площадка»).
        self.org_attributes = orgs.drop(
            columns=[c for c in _REGISTER_KEYS if c in orgs.columns]
        ).reset_index(drop=True)
        self.org_muni = self.munis.positions(orgs["municipality_id"])
        self.muni_region = _Ids(self.region_ids).positions(munis["region_id"])
        self.periods = periods
        self.first = periods[0].ordinal if periods else 0
        self.n_periods = len(periods)
        self.org_active = activity_matrix(orgs, periods)
        self.org_successor = _successor_codes(orgs, self.orgs, self.org_active)
        self._up_flat: dict[str, np.ndarray] = {}
        self._restatements: dict[int, tuple[np.ndarray, np.ndarray, np.ndarray] | None] = {}
        self._restated_cells: list[np.ndarray | None] = []
        self._layouts: dict[str, list[tuple[np.ndarray | None, Any]]] = {}
        self.offset = {
            "organization": 0,
            "municipality": len(self.org_ids),
            "region": len(self.org_ids) + len(self.muni_ids),
        }

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

    def layout(
        self, level: str, show: np.ndarray | None, periods: np.ndarray | None = None
    ) -> tuple[np.ndarray | None, np.ndarray, np.ndarray, np.ndarray]:
        """The cells of ``level`` that have result rows, in order.

        :param show: ``[unit, period]`` booleans, the cells with rows (default: all).
        :param periods: booleans per period, the periods asked for (default: all).
        :returns: the flat positions of the cells in the ``[unit, period]`` grid (``None``
            for all of them) and, per row, the unit code, the parent's unit code (−1 for a
            region) and the period code — shared by every indicator with the same rows.
        """
        n_units, n_p = self.size(level), self.n_periods
        if periods is not None and periods.all():
            periods = None
        if periods is not None:
            wanted = np.broadcast_to(periods, (n_units, n_p))
            show = wanted if show is None else show & wanted
        cached = self._layouts.setdefault(level, [])
        for known, layout in cached:
            if (known is None and show is None) or (
                known is not None and show is not None and np.array_equal(known, show)
            ):
                return layout
        picked = None if show is None else np.flatnonzero(show.ravel())
        if picked is not None and len(picked) == n_units * n_p:
            picked = None
        if picked is None:
            u = np.repeat(np.arange(n_units), n_p)
            p = np.tile(np.arange(n_p), n_units)
        else:
            u, p = np.divmod(picked, n_p)
        if level == "region":
            parent = np.full(len(u), -1, dtype=np.int32)
        else:
            parent_level = "municipality" if level == "organization" else "region"
            parent = (self.up(level)[u] + self.offset[parent_level]).astype(np.int32)
        layout = (picked, (u + self.offset[level]).astype(np.int32), parent, p.astype(np.int32))
        cached.append((None if show is None else show.copy(), layout))
        return layout

    def restatement(self, j: int) -> tuple[np.ndarray, np.ndarray, np.ndarray] | None:
        """How period ``j - 1`` is restated in period ``j`` through mergers.

        ``None`` when no organisation maps elsewhere; otherwise the rows that contribute
        (``sources``, in register order), the position of their destination in
        ``affected``, and ``affected``: every organisation whose restated value differs
        from a plain copy (those that merged and those they merged into).
        """
        if j not in self._restatements:
            succ = self.org_successor[:, j]
            moved = np.flatnonzero(succ != np.arange(len(succ)))
            plan = None
            if len(moved):
                affected = np.union1d(moved, succ[moved])
                sources = np.flatnonzero(np.isin(succ, affected))
                plan = (sources, np.searchsorted(affected, succ[sources]), affected)
            self._restatements[j] = plan
        return self._restatements[j]

    def restated_cells(self) -> np.ndarray | None:
        """``[org, period]`` booleans: whose previous value period ``j`` restates.

        ``None`` when no organisation maps elsewhere in any period.
        """
        if not self._restated_cells:
            cells = np.zeros((len(self.org_ids), self.n_periods), dtype=bool)
            for j in range(1, self.n_periods):
                plan = self.restatement(j)
                if plan is not None:
                    cells[plan[2], j] = True
            self._restated_cells.append(cells if cells.any() else None)
        return self._restated_cells[0]

    def sum_up(self, grid: np.ndarray, level: str) -> np.ndarray:
        """Sum a ``[unit, period]`` grid of ``level`` into its parent level."""
        upper = "municipality" if level == "organization" else "region"
        flat = self._up_flat.get(level)
        if flat is None:
            flat = _up_index(self.up(level), self.n_periods)
            self._up_flat[level] = flat
        n = self.size(upper) * self.n_periods
        return np.bincount(flat, weights=grid.ravel(), minlength=n).reshape(-1, self.n_periods)


def _successor_codes(orgs: pd.DataFrame, ids: _Ids, active: np.ndarray) -> np.ndarray:
    """:func:`pedprof.model.data.successor_codes`, looking the successors up vectorised."""
    succ_col = orgs.get("successor_id")
    if succ_col is None or not ids.unique:
        return successor_codes(orgs, active)
    succ = np.full(len(orgs), -1, dtype=np.int64)
    named = succ_col.notna().to_numpy()
    succ[named] = ids.positions(succ_col[named])
    return resolve_successors(succ, active)


def _up_index(parent: np.ndarray, n_periods: int) -> np.ndarray:
    return (parent[:, None] * n_periods + np.arange(n_periods)).ravel()


def _sum_up(grid: np.ndarray, parent: np.ndarray, n_parent: int) -> np.ndarray:
    n_periods = grid.shape[1]
    flat = _up_index(parent, n_periods)
    return np.bincount(flat, weights=grid.ravel(), minlength=n_parent * n_periods).reshape(
        n_parent, n_periods
    )


def _any_up(grid: np.ndarray, parent: np.ndarray, n_parent: int) -> np.ndarray:
    return _sum_up(grid.astype(float), parent, n_parent) > 0


class _Table:
    """One source table prepared for evaluation, with a cache of condition masks."""

    def __init__(
        self,
        name: str,
        frame: pd.DataFrame,
        h: _Hierarchy,
        kind: PeriodKind,
        normalized: frozenset[str] = frozenset(),
    ) -> None:
        self.name = name
        # Columns whose distinct values are counted after normalize_text (Field.normalize).
        self.normalized = normalized
        self.frame = frame.reset_index(drop=True)
        self.h = h
        self.ordinals = _period_ordinals(self.frame["period"], kind)
        self.period_code = self.ordinals - h.first
        self.by_org = "org_id" in self.frame.columns
        # The register's kind of organisation is joined only when a condition reads it.
        self._kind_pending = False
        self.org_code: np.ndarray | None
        if self.by_org:
            codes = h.orgs.positions(self.frame["org_id"])
            _check_codes(codes, self.frame["org_id"], name, "org_id")
            self.org_code = codes
            self.muni_code = h.org_muni[codes]
            self._kind_pending = "org_kind" not in self.frame.columns
        else:
            if "municipality_id" not in self.frame.columns:
                raise ValueError(f"table {name!r} has neither org_id nor municipality_id")
            codes = h.munis.positions(self.frame["municipality_id"])
            _check_codes(codes, self.frame["municipality_id"], name, "municipality_id")
            self.org_code = None
            self.muni_code = codes
        self.region_code = h.muni_region[self.muni_code]
        self._masks: dict[Condition, np.ndarray] = {}
        self.ctx = EvalContext(kind, self.ordinals, self._masks)
        self._keys: dict[str, np.ndarray] = {}
        self._dups: dict[str, np.ndarray] = {}
        self._any_dup: dict[str, bool] = {}
        self._single: dict[str, np.ndarray] = {}
        self._repeated: dict[str, np.ndarray] = {}
        self._groups: dict[tuple[str, str], tuple[np.ndarray, np.ndarray, int]] = {}
        self._flat: dict[str, np.ndarray] = {}
        self._bound: dict[str, int] = {}
        self._restated: list[_Table | None] = []
        # In a view of another table: the parent's positions of the view's rows.
        self.rows: np.ndarray | None = None

    def _join_kind(self) -> None:
        if self._kind_pending:
            assert self.org_code is not None
            self.frame["org_kind"] = self.h.org_kind[self.org_code]
            self._kind_pending = False

    def _join_register(self, name: str) -> bool:
        """Join the register's attribute ``name`` to the rows (by their organisation), if
        the table has no such column and the register has; whether it was joined."""
        attrs_ = self.h.org_attributes
        if self.org_code is None or name in self.frame.columns or name not in attrs_.columns:
            return False
        self.frame[name] = attrs_[name].to_numpy()[self.org_code]
        return True

    def column(self, name: str) -> pd.Series:
        """A column of the table (``org_kind`` and the register's attributes joined from
        the register if needed)."""
        if name == "org_kind":
            self._join_kind()
        else:
            self._join_register(name)
        return self.frame[name]

    def mask(self, cond: Condition) -> np.ndarray:
        if cond not in self._masks:
            if self._kind_pending:
                try:
                    reads_kind = "org_kind" in cond.columns()
                except NotImplementedError:
                    reads_kind = True
                if reads_kind:
                    self._join_kind()
            try:
                for name in cond.columns():
                    if name != "org_kind":
                        self._join_register(name)
            except NotImplementedError:
                pass
            try:
                self.ctx.evaluate(cond, self.frame)
            except KeyError as exc:
                if self._kind_pending:
                    self._join_kind()
                    return self.mask(cond)
                raise KeyError(f"table {self.name!r}: {exc.args[0]}") from None
        return self._masks[cond]

    def key(self, column: str) -> np.ndarray:
        """Integer codes of the column's distinct values (−1 for missing).

        A column declared with ``Field(normalize=…)`` is coded after
        :func:`pedprof.model.sources.normalize_text`, applied once per distinct value.
        """
        if column not in self._keys:
            values = self.column(column)
            if column in self.normalized:
                codes = _normalized_codes(values)
            else:
                codes = pd.factorize(values)[0]
            self._keys[column] = codes.astype(np.int64)
        return self._keys[column]

    def duplicated(self, column: str) -> np.ndarray:
        """Rows whose distinct key occurs more than once in the same period."""
        if column not in self._dups:
            key = self.key(column)
            n_p = max(self.h.n_periods, 1)
            # Missing keys (code -1) form one key of their own, as they always have.
            combined = (key + 1) * n_p + self.period_code
            n_cells = (int(key.max()) + 2) * n_p if len(key) else 0
            if n_cells <= 4 * len(key) + 1024:
                counts = np.bincount(combined, minlength=n_cells)
                self._dups[column] = counts[combined] > 1
            else:
                _, inverse, counts = np.unique(combined, return_inverse=True, return_counts=True)
                self._dups[column] = counts[inverse] > 1
        return self._dups[column]

    def single(self, column: str) -> np.ndarray:
        """Rows whose key occurs once in its period."""
        if column not in self._single:
            self._single[column] = ~self.duplicated(column)
        return self._single[column]

    def repeated_rows(self, column: str) -> np.ndarray:
        """Positions of the rows whose key repeats within its period."""
        if column not in self._repeated:
            self._repeated[column] = np.flatnonzero(self.duplicated(column))
        return self._repeated[column]

    def repeated_groups(self, column: str, level: str) -> tuple[np.ndarray, np.ndarray, int]:
        """The repeated rows grouped by (key, unit of ``level``, period).

        :returns: each repeated row's group, each group's cell in the flattened
            ``[unit, period]`` grid of ``level``, and the number of groups.
        """
        if (column, level) not in self._groups:
            rows = self.repeated_rows(column)
            cells = self.cell_code(level)[rows]
            n_cells = self.h.size(level) * self.h.n_periods
            keys = self.key(column)[rows] + 1
            if len(rows) and (int(keys.max()) + 1) * n_cells < 2**62:
                combined = keys * n_cells + cells
                uniq, group = np.unique(combined, return_inverse=True)
                cell = uniq % n_cells
            else:
                frame = pd.DataFrame({"k": keys, "c": cells})
                group = frame.groupby(["k", "c"], sort=False).ngroup().to_numpy()
                cell = np.zeros(int(group.max()) + 1 if len(group) else 0, dtype=np.int64)
                cell[group] = cells
            self._groups[(column, level)] = (group.ravel(), cell, len(cell))
        return self._groups[(column, level)]

    def any_duplicated(self, column: str) -> bool:
        if column not in self._any_dup:
            self._any_dup[column] = bool(self.duplicated(column).any())
        return self._any_dup[column]

    def unit_code(self, level: str) -> np.ndarray:
        if level == "organization":
            assert self.org_code is not None
            return self.org_code
        return self.muni_code if level == "municipality" else self.region_code

    def cell_bound(self, level: str) -> int:
        """A power of two larger than the number of rows in any cell of ``level``."""
        if level not in self._bound:
            counts = np.bincount(self.cell_code(level))
            most = int(counts.max()) if len(counts) else 0
            self._bound[level] = 1 << most.bit_length()
        return self._bound[level]

    def cell_code(self, level: str) -> np.ndarray:
        """Each row's cell in the flattened ``[unit, period]`` grid of ``level``."""
        if level not in self._flat:
            self._flat[level] = self.unit_code(level) * self.h.n_periods + self.period_code
        return self._flat[level]

    def restated(self) -> _Table | None:
        """The rows that restate a successor's previous period, under the successor.

        A row of period ``j - 1`` whose organisation's data belong, in period ``j``, to an
        organisation whose previous value is restated (:meth:`_Hierarchy.restated_cells`)
        is kept with that organisation's code, so that counting the view counts distinct
        keys once per successor (a teacher of both merged schools is one teacher).
        ``None`` when nothing is restated; :attr:`rows` maps the view to this table.
        """
        if not self._restated:
            h = self.h
            cells = h.restated_cells() if self.by_org else None
            view = None
            if cells is not None:
                assert self.org_code is not None
                nxt = np.minimum(self.period_code + 1, h.n_periods - 1)
                succ = h.org_successor[self.org_code, nxt]
                keep = (self.period_code + 1 < h.n_periods) & cells[succ, nxt]
                rows = np.flatnonzero(keep)
                view = _view(self, rows)
                view.org_code = succ[rows]
                view.muni_code = h.org_muni[view.org_code]
                view.region_code = h.muni_region[view.muni_code]
            self._restated.append(view)
        return self._restated[0]


def _view(t: _Table, rows: np.ndarray) -> _Table:
    """The table's ``rows`` as a table of their own (codes of the keys already known kept)."""
    new = object.__new__(_Table)
    new.__dict__.update(t.__dict__)
    new.frame = t.frame.iloc[rows].reset_index(drop=True)
    new.ordinals = t.ordinals[rows]
    new.period_code = t.period_code[rows]
    new.org_code = None if t.org_code is None else t.org_code[rows]
    new.muni_code = t.muni_code[rows]
    new.region_code = t.region_code[rows]
    new._masks = {}
    new.ctx = EvalContext(t.ctx.period_kind, new.ordinals, new._masks)
    new._keys = {c: k[rows] for c, k in t._keys.items()}
    new._dups = {}
    new._any_dup = {}
    new._single = {}
    new._repeated = {}
    new._groups = {}
    new._flat = {}
    new._bound = {}
    new._restated = []
    new.rows = rows
    return new


def _normalized_codes(values: pd.Series) -> np.ndarray:
    """``pandas.factorize`` of the values after :func:`normalize_text` (text only).

    The text is normalised once per distinct value; non-text columns are coded as they are.
    """
    codes, uniques = pd.factorize(values)
    if not len(uniques) or not _is_text(values.dtype):
        return codes
    folded = normalize_text(pd.Series(np.asarray(uniques, dtype=object)))
    merged = pd.factorize(folded)[0]
    return np.where(codes >= 0, merged[np.maximum(codes, 0)], -1)


def _is_text(dtype: Any) -> bool:
    if isinstance(dtype, pd.CategoricalDtype):
        return _is_text(dtype.categories.dtype)
    return isinstance(dtype, pd.StringDtype) or (isinstance(dtype, np.dtype) and dtype.kind == "O")


_FAST_KEY_KINDS = "iub"


def _fast_keys(values: pd.Series) -> bool:
    """Whether converting the distinct values to text equals converting every value."""
    dtype = values.dtype
    if isinstance(dtype, pd.CategoricalDtype):
        return _fast_keys(pd.Series(dtype.categories))
    return isinstance(dtype, pd.StringDtype) or (
        isinstance(dtype, np.dtype) and dtype.kind in _FAST_KEY_KINDS
    )


def _by_distinct(values: pd.Series, convert: Callable[[pd.Index], np.ndarray]) -> np.ndarray:
    """``convert`` applied to ``values.astype(str)``, computed once per distinct value."""
    codes, uniques = pd.factorize(values)
    out = convert(pd.Index(uniques).astype(str))[codes]
    missing = codes < 0
    if missing.any():
        out[missing] = convert(pd.Index(values[missing].astype(str)))
    return out


def _period_ordinals(labels: pd.Series, kind: PeriodKind) -> np.ndarray:
    """The period ordinal of each row, parsing each distinct label once."""

    def ordinals(text: pd.Index) -> np.ndarray:
        uniq = pd.unique(text)
        ordinal_of = {lab: parse_period(lab, kind).ordinal for lab in uniq}
        return pd.Series(text).map(ordinal_of).to_numpy(dtype=np.int64)

    if _fast_keys(labels):
        return _by_distinct(labels, ordinals)
    return ordinals(pd.Index(labels.astype(str)))


class _Ids:
    """A register's ids (text) and the lookup of values in them.

    :meth:`positions` is ``pandas.Index(ids).get_indexer(values.astype(str))``; when the
    ids are distinct text and the values Arrow-backed text (or categorical with such
    categories) Arrow does it in one hash pass.
    """

    def __init__(self, ids: np.ndarray) -> None:
        self.ids = ids
        self.index = pd.Index(ids)
        self._arrow: Any = None
        self._checked = False

    def _value_set(self) -> Any:
        if not self._checked:
            self._checked = True
            import pyarrow as pa
            import pyarrow.compute as pc

            try:
                arrow = pa.array(self.ids, type=pa.large_string())
            except (pa.ArrowInvalid, pa.ArrowTypeError):
                return None
            if arrow.null_count == 0 and pc.count_distinct(arrow).as_py() == len(arrow):
                self._arrow = arrow
        return self._arrow

    @property
    def unique(self) -> bool:
        """Whether no id occurs twice."""
        return self._value_set() is not None or bool(self.index.is_unique)

    def positions(self, values: pd.Series) -> np.ndarray:
        """The position of each value (as text) among the ids, −1 where absent."""
        dtype = values.dtype
        categorical = isinstance(dtype, pd.CategoricalDtype)
        text_dtype = dtype.categories.dtype if categorical else dtype
        if isinstance(text_dtype, pd.StringDtype) and text_dtype.storage == "pyarrow":
            known = self._value_set()
            if known is not None:
                import pyarrow as pa
                import pyarrow.compute as pc

                text = pa.array(values.cat.categories.array if categorical else values.array)
                found = pc.index_in(text, value_set=known.cast(text.type))
                pos = np.asarray(pc.fill_null(found, -1).to_numpy(), dtype=np.intp)
                if not categorical:
                    return pos
                # Code −1 (a missing value) is found nowhere.
                return np.append(pos, -1)[values.cat.codes.to_numpy()]
        if _fast_keys(values):
            return _by_distinct(values, self.index.get_indexer)
        return self.index.get_indexer(values.astype(str))


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
    uniq, inverse = np.unique(t.ordinals, return_inverse=True)
    lower = np.array([window.lower_ordinal(int(o)) for o in uniq], dtype=float)[inverse]
    if isinstance(window, Cumulative):
        lower = np.full(len(key), float(window.since.ordinal))
    return ~np.isnan(hit) & (hit >= lower)


def _count_grids(
    t: _Table,
    key_col: str,
    include: np.ndarray,
    flag: np.ndarray,
    levels: Sequence[str],
) -> dict[str, tuple[np.ndarray, np.ndarray]]:
    """Distinct-key counts per unit and period: (count of included, count also flagged).

    Rows whose key repeats within a period are de-duplicated per unit (a key counts once,
    flagged if any of its rows is); all other rows are counted directly at the finest
    level and summed upwards.
    """
    h = t.h
    n_p = h.n_periods
    repeated = t.any_duplicated(key_col)
    if repeated:
        fast = include & t.single(key_col)
        fast_flag = flag & fast
    else:
        fast = include
        fast_flag = flag if flag is include else flag & include
    finest = levels[0]
    out: dict[str, tuple[np.ndarray, np.ndarray]] = {}
    cells = t.cell_code(finest)
    size = h.size(finest) * n_p
    base = t.cell_bound(finest)
    if fast_flag is fast:
        den = np.bincount(cells, weights=fast, minlength=size).astype(float).reshape(-1, n_p)
        num = den.copy()
    elif base * base > 2**52:
        den = np.bincount(cells[fast], minlength=size).astype(float).reshape(-1, n_p)
        num = np.bincount(cells[fast_flag], minlength=size).astype(float).reshape(-1, n_p)
    else:
        # One pass for both counts: a row weighs 1 if included and ``base`` more if also
        # flagged; ``base`` exceeds any cell's row count, so the integer sums split
        # exactly into the two counts (``base`` is a power of two: the division is exact).
        weights = np.multiply(fast_flag, float(base), dtype=np.float64)
        weights += fast
        both = np.bincount(cells, weights=weights, minlength=size).astype(float)
        num = np.floor(both / base)
        den = both - num * base
        num, den = num.reshape(-1, n_p), den.reshape(-1, n_p)
    out[finest] = (den, num)
    for upper, lower in zip(levels[1:], levels[:-1], strict=False):
        d, n = out[lower]
        out[upper] = (h.sum_up(d, lower), h.sum_up(n, lower))
    if repeated:
        # Each (key, unit, period) of the repeated rows counts once if any of its rows is
        # included, and as flagged if any of its included rows is flagged.
        rows = t.repeated_rows(key_col)
        inc = include[rows]
        flagged = flag[rows] & inc
        for level in levels:
            group, cell, n_groups = t.repeated_groups(key_col, level)
            size = h.size(level) * n_p
            any_inc = np.bincount(group, weights=inc, minlength=n_groups) > 0
            any_flag = np.bincount(group, weights=flagged, minlength=n_groups) > 0
            d = np.bincount(cell, weights=any_inc, minlength=size).astype(float)
            n = np.bincount(cell, weights=any_flag, minlength=size).astype(float)
            out[level] = (out[level][0] + d.reshape(-1, n_p), out[level][1] + n.reshape(-1, n_p))
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
    new = _view(t, idx)
    new.ordinals = np.concatenate(targets) if targets else np.array([], dtype=np.int64)
    new.period_code = new.ordinals - t.h.first
    new.ctx = EvalContext(t.ctx.period_kind, new.ordinals, new._masks)
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
        restated = _restate(t, ind.distinct, include, flag, levels)
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
        restated = _restate(table, ind.distinct, include, include, levels)
    else:  # per-organisation minimum
        if not t.by_org:
            raise ValueError(f"indicator {ind.id}: a per-organisation minimum needs org_id rows")
        counts = _count_grids(t, ind.distinct, include, include, ["organization"])
        org_count = counts["organization"][0]
        rep = reported["organization"] & h.org_active
        compliant = rep & (org_count >= (ind.minimum or 0))
        grids = {"organization": _Grid(org_count, np.full_like(org_count, np.nan), rep)}
        restated = _restate(t, ind.distinct, include, include, levels)
        num, den = compliant.astype(float), rep.astype(float)
        for upper, lower in (("municipality", "organization"), ("region", "municipality")):
            num = h.sum_up(num, lower)
            den = h.sum_up(den, lower)
            grids[upper] = _Grid(num, den, reported[upper])
    if "organization" in grids:
        grids["organization"].restated = restated
    return {lv: g for lv, g in grids.items() if lv in levels}


def _restate(
    t: _Table, key_col: str, include: np.ndarray, flag: np.ndarray, levels: Sequence[str]
) -> tuple[np.ndarray, np.ndarray] | None:
    """Organisation-level (numerator, denominator) of :meth:`_Table.restated`'s rows.

    Keys are counted as in :func:`_count_grids`: once per successor and period, in the
    numerator if any of their included rows is flagged. ``None`` when nothing is restated
    or the organisation level is not asked for.
    """
    view = t.restated() if "organization" in levels else None
    if view is None:
        return None
    assert view.rows is not None
    inc = include[view.rows]
    flagged = inc if flag is include else flag[view.rows]
    den, num = _count_grids(view, key_col, inc, flagged, ["organization"])["organization"]
    return num, den


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
    return _previous_counts(kind, level, g, value, h, counts=False)[0]


def _previous_counts(
    kind: IndicatorKind,
    level: str,
    g: _Grid,
    value: np.ndarray,
    h: _Hierarchy,
    *,
    counts: bool = True,
) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """The previous period's value, numerator and denominator (the counts are NaN where
    the value is): targets judge dynamics exactly on the counts. With ``counts=False``
    only the value is computed (the counts come back empty)."""
    prev = np.full(value.shape, np.nan)
    prev_num = np.full(value.shape if counts else (0, 0), np.nan)
    prev_den = np.full(value.shape if counts else (0, 0), np.nan)
    if h.n_periods < 2:
        return prev, prev_num, prev_den
    prev[:, 1:] = value[:, :-1]
    if counts:
        prev_num[:, 1:] = g.num[:, :-1]
        prev_den[:, 1:] = g.den[:, :-1]
    if level != "organization":
        return _counts_of_values(prev, prev_num, prev_den)
    for j in range(1, h.n_periods):
        plan = h.restatement(j)
        if plan is None:
            continue
        # Only the organisations that merged and those they merged into are restated; for
        # everyone else the previous value is their own, computed by the same formula.
        sources, dest, affected = plan
        n = len(affected)
        # Distinct keys are counted once per successor (g.restated); summing the merged
        # organisations' counts would count a teacher of two of them twice.
        restated = g.restated
        if restated is not None:
            num = restated[0][affected, j - 1]
        else:
            num = np.bincount(dest, weights=g.num[sources, j - 1], minlength=n)
        reported = g.reported[sources, j - 1].astype(float)
        rep = np.bincount(dest, weights=reported, minlength=n) > 0
        if kind is IndicatorKind.SHARE:
            if restated is not None:
                den = restated[1][affected, j - 1]
            else:
                den = np.bincount(dest, weights=g.den[sources, j - 1], minlength=n)
            with np.errstate(invalid="ignore", divide="ignore"):
                col = 100.0 * num / den
            col[den == 0] = np.nan
        else:
            col = num.astype(float)
        col[~rep] = np.nan
        prev[affected, j] = col
        if counts:
            prev_num[affected, j] = num
            if kind is IndicatorKind.SHARE:
                prev_den[affected, j] = den
    return _counts_of_values(prev, prev_num, prev_den)


def _counts_of_values(
    value: np.ndarray, num: np.ndarray, den: np.ndarray
) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """``value, num, den`` with the counts NaN wherever the value is NaN."""
    if num.size:
        unknown = np.isnan(value)
        num[unknown] = np.nan
        den[unknown] = np.nan
    return value, num, den


# The result's columns while it is being built: integer codes for the indicator, the
# breakdown (0: the total), the level, the units and the period; the target's status as
# two booleans (met, unknown).
_CHUNK_DTYPES: dict[str, Any] = {
    "indicator": np.int32,
    "breakdown": np.int32,
    "level": np.int8,
    "unit": np.int32,
    "parent": np.int32,
    "period": np.int32,
    "numerator": np.float64,
    "denominator": np.float64,
    "value": np.float64,
    "state": np.int8,
    "previous_value": np.float64,
    "target": np.float64,
    "met": np.bool_,
    "met_unknown": np.bool_,
    "target_due": np.bool_,
}
_Chunk = dict[str, Any]


def _cells(ind: Indicator, breakdown: int, level: str, g: _Grid, h: _Hierarchy) -> _Chunk:
    """The result rows of one level of one indicator (or one of its breakdowns).

    ``breakdown`` is the code of the breakdown label plus one (0 for the total). Columns
    that are the same for every row of the chunk are scalars.
    """
    value, state = _values(ind.kind, level, g)
    prev, prev_num, prev_den = _previous_counts(ind.kind, level, g, value, h)
    show = (h.org_active | g.reported) if level == "organization" else None
    picked, unit, parent, period = h.layout(level, show)

    def take(a: np.ndarray) -> np.ndarray:
        return a.ravel() if picked is None else a.ravel()[picked]

    is_count_like = ind.kind in (IndicatorKind.COUNT, IndicatorKind.PRESENCE) or (
        ind.kind is IndicatorKind.PER_ORGANIZATION_MINIMUM and level == "organization"
    )
    st = take(state)
    no_data = st == 1
    return {
        "breakdown": breakdown,
        "level": LEVELS.index(level),
        "unit": unit,
        "parent": parent,
        "period": period,
        "numerator": np.where(no_data, np.nan, take(g.num)),
        "denominator": np.nan if is_count_like else np.where(no_data, np.nan, take(g.den)),
        "value": take(value),
        "state": st,
        "previous_value": take(prev),
        # read by the target only (removed by _with_targets)
        "previous_numerator": take(prev_num),
        "previous_denominator": take(prev_den),
    }


def _join(chunks: Sequence[_Chunk]) -> _Chunk:
    """One chunk of arrays from several."""
    sizes = [len(c["value"]) for c in chunks]
    return {
        k: np.concatenate(
            [np.broadcast_to(np.asarray(c[k]), (n,)) for c, n in zip(chunks, sizes, strict=True)]
        )
        for k in chunks[0]
    }


def _with_targets(
    rows: _Chunk, target: Target, grid: list[Period], breakdowns: Sequence[str]
) -> _Chunk:
    """Add the target columns to one indicator's rows (all of its rows at once)."""
    n = len(rows["value"])
    end_years = np.array([p.end_year for p in grid])
    ords = np.array([p.ordinal for p in grid])
    pcode = rows["period"].astype(np.int64)
    labels = np.array([None, *breakdowns], dtype=object)
    bcode = np.broadcast_to(np.asarray(rows["breakdown"]), (n,))
    lcode = np.broadcast_to(np.asarray(rows["level"]), (n,))
    view = pd.DataFrame(
        {
            "value": rows["value"],
            "previous_value": rows["previous_value"],
            "state": np.asarray(STATES, dtype=object)[rows["state"]],
            "end_year": end_years[pcode],
            "ordinal": ords[pcode],
            "level": np.asarray(LEVELS, dtype=object)[lcode],
            "unit": rows["unit"].astype(np.int64),
            "period": pcode,
            "breakdown": labels[bcode],
            "numerator": rows["numerator"],
            "denominator": rows["denominator"],
            # the previous counts, for exact judgements of dynamics; not result columns
            "previous_numerator": rows.pop("previous_numerator", np.nan),
            "previous_denominator": rows.pop("previous_denominator", np.nan),
        }
    )
    value, met, due = target.evaluate(view)
    met = met if isinstance(met, pd.arrays.BooleanArray) else pd.array(met, dtype="boolean")
    rows["target"] = np.broadcast_to(np.asarray(value, dtype=float), (n,))
    rows["met"] = met.to_numpy(dtype=bool, na_value=False)
    rows["met_unknown"] = np.asarray(met.isna(), dtype=bool)
    rows["target_due"] = np.broadcast_to(np.asarray(due, dtype=bool), (n,))
    return rows


def _show(level: str, g: _Grid, h: _Hierarchy) -> np.ndarray | None:
    """The cells with result rows: existing or reporting organisations; every other unit."""
    return (h.org_active | g.reported) if level == "organization" else None


class _Output:
    """The result's columns, allocated once at their final size and filled in order."""

    def __init__(self, total: int, h: _Hierarchy, n_units: int) -> None:
        dtypes = dict(_CHUNK_DTYPES)
        dtypes.update(
            level=_code_dtype(len(LEVELS)),
            unit=_code_dtype(n_units),
            parent=_code_dtype(n_units),
            period=_code_dtype(h.n_periods),
            state=_code_dtype(len(STATES)),
        )
        self.columns = {name: np.empty(total, dtype=dtype) for name, dtype in dtypes.items()}
        # Without a target: no threshold, status unknown, not due.
        self.columns["target"][:] = np.nan
        self.columns["met"][:] = False
        self.columns["met_unknown"][:] = True
        self.columns["target_due"][:] = False
        self.pos = 0

    def add_cells(
        self,
        code: int,
        ind: Indicator,
        breakdown: int,
        level: str,
        g: _Grid,
        h: _Hierarchy,
        periods: np.ndarray,
    ) -> None:
        """The rows of one level of an indicator without a target (as :func:`_cells`)."""
        value, state = _values(ind.kind, level, g)
        prev = _previous(ind.kind, level, g, value, h)
        picked, unit, parent, period = h.layout(level, _show(level, g, h), periods)
        n = len(unit)
        rows = slice(self.pos, self.pos + n)
        c = self.columns

        def put(name: str, grid: np.ndarray) -> np.ndarray:
            out = c[name][rows]
            flat = grid.ravel().astype(out.dtype, copy=False)
            if picked is None:
                out[:] = flat
            else:
                np.take(flat, picked, out=out, mode="clip")
            return out

        no_data = put("state", state) == 1
        put("numerator", g.num)[no_data] = np.nan
        is_count_like = ind.kind in (IndicatorKind.COUNT, IndicatorKind.PRESENCE) or (
            ind.kind is IndicatorKind.PER_ORGANIZATION_MINIMUM and level == "organization"
        )
        if is_count_like:
            c["denominator"][rows] = np.nan
        else:
            put("denominator", g.den)[no_data] = np.nan
        put("value", value)
        put("previous_value", prev)
        c["unit"][rows] = unit
        c["parent"][rows] = parent
        c["period"][rows] = period
        c["indicator"][rows] = code
        c["breakdown"][rows] = breakdown
        c["level"][rows] = LEVELS.index(level)
        self.pos += n

    def add_rows(self, code: int, rows: _Chunk) -> None:
        """Rows already gathered (an indicator with a target)."""
        n = len(rows["value"])
        where = slice(self.pos, self.pos + n)
        for name, values in rows.items():
            self.columns[name][where] = values
        self.columns["indicator"][where] = code
        self.pos += n


def _code_dtype(n_categories: int) -> type[np.signedinteger[Any]]:
    """The integer type pandas keeps the codes of ``n_categories`` categories in."""
    for dtype in (np.int8, np.int16, np.int32):
        if n_categories < np.iinfo(dtype).max:
            return dtype
    return np.int64


def _text(labels: Sequence[str | None], codes: np.ndarray, dtype: Any) -> Any:
    """``labels[codes]`` as a text array of ``dtype`` (``None`` labels are missing).

    Built by Arrow from the codes when ``dtype`` is Arrow-backed; otherwise through Python
    strings, as pandas would.
    """
    if len(codes) and isinstance(dtype, pd.StringDtype) and dtype.storage == "pyarrow":
        import pyarrow as pa

        arrow_type = pa.array(pd.array(np.array(["x"], dtype=object), dtype=dtype)).type
        if all(label is None for label in labels):
            return pd.array(pa.nulls(len(codes), type=arrow_type), dtype=dtype)
        dictionary = pa.array(list(labels), type=arrow_type)
        return pd.array(dictionary.take(pa.array(codes)), dtype=dtype)
    return np.array(list(labels), dtype=object)[codes]


def _result_frame(
    c: dict[str, np.ndarray],
    indicator_ids: Sequence[str],
    breakdowns: Sequence[str],
    grid: list[Period],
    units: pd.Index,
) -> pd.DataFrame:
    # The indicator column is what pandas infers from Python strings (as it always was);
    # the breakdown column is the "string" dtype.
    indicator = _text(indicator_ids, c.pop("indicator"), pd.Series(["x"]).dtype)
    breakdown = _text([None, *breakdowns], c.pop("breakdown"), pd.StringDtype())
    if isinstance(breakdown, np.ndarray):
        breakdown = pd.array(breakdown, dtype="string")
    labels = [p.label for p in grid]
    starts = pd.to_datetime([p.start for p in grid]).to_numpy()

    def codes(name: str, categories: Sequence[str] | pd.Index, ordered: bool = False) -> Any:
        return pd.Categorical.from_codes(c.pop(name), categories=categories, ordered=ordered)

    result = {
        "indicator": indicator,
        "breakdown": breakdown,
        "level": codes("level", list(LEVELS)),
        "unit": codes("unit", units),
        "parent": codes("parent", units),
        "period_start": starts.take(c["period"]),
        "period": codes("period", labels, ordered=True),
        "numerator": c.pop("numerator"),
        "denominator": c.pop("denominator"),
        "value": c.pop("value"),
        "state": codes("state", list(STATES)),
        "previous_value": c.pop("previous_value"),
        "target": c.pop("target"),
        "target_met": pd.arrays.BooleanArray(c.pop("met"), c.pop("met_unknown")),
        "target_due": c.pop("target_due"),
    }
    # The columns are fresh arrays: no need to copy them again into consolidated blocks.
    return pd.DataFrame({name: result[name] for name in RESULT_COLUMNS}, copy=False)


def _parts(
    ind: Indicator,
    t: _Table,
    reported: Mapping[str, np.ndarray],
    levels: Sequence[str],
    breakdowns: dict[str, int],
    on_table: Callable[[str], None] | None,
) -> list[tuple[int, dict[str, _Grid]]]:
    """The indicator's grids: the total (code 0), then one per breakdown value.

    Breakdown labels are numbered from 1 in ``breakdowns`` as they are first met.
    """
    if on_table is not None:
        on_table(ind.id)
    # an indicator limited to some levels is computed (and judged) at those only
    levels = [lv for lv in levels if ind.applies_at(lv)]
    parts = [(0, _evaluate(ind, t, reported, levels, None))]
    if ind.split_by:
        from pedprof.model.conditions import col

        values = pd.unique(t.column(ind.split_by).dropna())
        for v in sorted(values, key=str):
            split = _evaluate(ind, t, reported, levels, col(ind.split_by).eq(v))
            parts.append((breakdowns.setdefault(str(v), len(breakdowns) + 1), split))
    return parts


def compute_indicators(
    indicators: Sequence[Indicator],
    data: Dataset,
    *,
    period_kind: PeriodKind,
    targets: Mapping[str, Target] | None = None,
    periods: Sequence[str] | None = None,
    levels: Sequence[str] = LEVELS,
    on_table: Callable[[str], None] | None = None,
    sources: Sequence[Source] = (),
) -> pd.DataFrame:
    """Compute ``indicators`` on ``data`` for every unit, level and period.

    :param indicators: the indicator declarations.
    :param data: the hierarchy and the submitted tables.
    :param period_kind: the kind of the profile's periods; labels are parsed as such.
    :param targets: indicator id → target; indicators without one get no status.
    :param periods: restrict the output to these period labels (the previous period is
        still read for dynamics).
    :param levels: which levels to return.
    :param sources: the declarations of the tables; a column whose field normalises
        (:attr:`pedprof.model.sources.Field.normalize`) has its distinct values counted after
        :func:`pedprof.model.sources.normalize_text`. Without them every value counts as written.
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
        labels = data.table(name)["period"]
        ordinals.update(_period_ordinals(pd.Series(pd.unique(labels)), period_kind).tolist())
    if periods:
        ordinals.update(parse_period(p, period_kind).ordinal for p in periods)
    if not ordinals:
        return _empty()
    grid = [Period(period_kind, o) for o in range(min(ordinals), max(ordinals) + 1)]
    h = _Hierarchy(data, grid)
    normalized = {s.name: frozenset(f.name for f in s.fields if f.normalizes) for s in sources}
    tables = {
        name: _Table(name, data.table(name), h, period_kind, normalized.get(name, frozenset()))
        for name in sorted(used)
    }
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
    wanted = np.ones(h.n_periods, dtype=bool)
    if periods:
        wanted[:] = False
        wanted[[parse_period(p, period_kind).ordinal - h.first for p in periods]] = True
    breakdowns: dict[str, int] = {}
    # First every indicator's counts (small grids), so that the result's columns can be
    # allocated once at their final size; then the rows, indicator by indicator.
    plans = [
        (i, ind, _parts(ind, tables[ind.table], reported, levels, breakdowns, on_table))
        for i, ind in enumerate(indicators)
    ]
    total = sum(
        len(h.layout(level, _show(level, g, h), wanted)[1])
        for _, _, parts in plans
        for _, grids in parts
        for level, g in grids.items()
    )
    if not indicators:
        return _empty()
    # The tables' masks and codes are not needed any more: free them before the result's
    # columns fill up.
    tables.clear()
    out = _Output(total, h, len(unit_categories))
    plans.reverse()
    while plans:
        i, ind, parts = plans.pop()
        target = targets.get(ind.id)
        if target is None:
            for code, grids in parts:
                for level, g in grids.items():
                    out.add_cells(i, ind, code, level, g, h, wanted)
            continue
        # A target judges the indicator's rows together (all periods, levels, breakdowns).
        chunks = [
            _cells(ind, code, level, g, h) for code, grids in parts for level, g in grids.items()
        ]
        if chunks:
            rows = _with_targets(_join(chunks), target, grid, list(breakdowns))
            if not wanted.all():
                keep = wanted[rows["period"]]
                rows = {k: v[keep] for k, v in rows.items()}
            out.add_rows(i, rows)
    assert out.pos == total
    return _result_frame(
        out.columns, [ind.id for ind in indicators], list(breakdowns), grid, unit_categories
    )


def _empty() -> pd.DataFrame:
    return pd.DataFrame({c: [] for c in RESULT_COLUMNS})
