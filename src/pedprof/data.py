"""The organisation hierarchy and the dataset :func:`pedprof.compute` reads.

The hierarchy is region → municipality → organisation. Organisations have a kind and a
validity interval; an organisation that closed or merged names its ``successor_id`` so that
dynamics survive mergers: the previous period of the successor is restated as the sum of
itself and everything that merged into it.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Mapping
from enum import StrEnum
from typing import Any

import attrs
import numpy as np
import pandas as pd

from pedprof.periods import Period

__all__ = ["Dataset", "Municipality", "Organization", "OrganizationKind", "Region"]


class OrganizationKind(StrEnum):
    """The kind of an educational organisation."""

    SCHOOL = "school"
    KINDERGARTEN = "kindergarten"
    ADDITIONAL_EDUCATION = "additional_education"
    VOCATIONAL = "vocational"
    METHODICAL_SERVICE = "methodical_service"
    OTHER = "other"

    @property
    def label(self) -> str:
        """The Russian name of the kind."""
        return ORGANIZATION_KIND_LABELS[self.value]


ORGANIZATION_KIND_LABELS = {
    "school": "общеобразовательная организация",
    "kindergarten": "дошкольная образовательная организация",
    "additional_education": "организация дополнительного образования",
    "vocational": "профессиональная образовательная организация",
    "methodical_service": "методическая служба",
    "other": "иная организация",
}


@attrs.frozen
class Region:
    """A region (субъект РФ)."""

    id: str
    name: str


@attrs.frozen
class Municipality:
    """A municipality (городской округ, муниципальный район)."""

    id: str
    name: str
    region_id: str


@attrs.frozen
class Organization:
    """An educational organisation (ОО).

    :param valid_from: first day it exists (None: always did).
    :param valid_to: last day it exists (None: still does).
    :param successor_id: where it went when it closed or merged.
    """

    id: str
    name: str
    municipality_id: str
    kind: OrganizationKind = OrganizationKind.SCHOOL
    valid_from: dt.date | None = None
    valid_to: dt.date | None = None
    successor_id: str | None = None

    def active_in(self, period: Period) -> bool:
        """Whether the organisation exists at some point of ``period``."""
        starts_ok = self.valid_from is None or self.valid_from <= period.end
        ends_ok = self.valid_to is None or self.valid_to >= period.start
        return starts_ok and ends_ok


ORG_COLUMNS = (
    "org_id",
    "name",
    "municipality_id",
    "kind",
    "valid_from",
    "valid_to",
    "successor_id",
)
MUNICIPALITY_COLUMNS = ("municipality_id", "name", "region_id")
REGION_COLUMNS = ("region_id", "name")


def _frame(
    rows: Iterable[Any], columns: tuple[str, ...], rename: Mapping[str, str]
) -> pd.DataFrame:
    records = [attrs.asdict(r, recurse=False) for r in rows]
    frame = pd.DataFrame.from_records(records)
    frame = frame.rename(columns=dict(rename))
    if frame.empty:
        frame = pd.DataFrame(columns=list(columns))
    return frame


@attrs.define(frozen=True, eq=False)
class Dataset:
    """Everything :func:`pedprof.compute` needs: the hierarchy and the submitted tables.

    :param regions: columns ``region_id, name``.
    :param municipalities: columns ``municipality_id, name, region_id``.
    :param organizations: the register: ``org_id, name, municipality_id, kind,
        valid_from, valid_to, successor_id`` (the last three may be empty).
    :param tables: source name → table. Organisation tables have ``period`` and
        ``org_id``; municipal tables ``period`` and ``municipality_id``.
    :param submissions: optional register of submissions: ``unit_id, period`` and
        optionally ``submitted_at``. Without it, a unit counts as having reported for a
        period when it has a row in any table it fills for that period.
    """

    regions: pd.DataFrame
    municipalities: pd.DataFrame
    organizations: pd.DataFrame
    tables: Mapping[str, pd.DataFrame] = attrs.field(factory=dict)
    submissions: pd.DataFrame | None = None

    def __attrs_post_init__(self) -> None:
        for name, frame, cols in (
            ("regions", self.regions, ("region_id",)),
            ("municipalities", self.municipalities, ("municipality_id", "region_id")),
            ("organizations", self.organizations, ("org_id", "municipality_id")),
        ):
            missing = [c for c in cols if c not in frame.columns]
            if missing:
                raise ValueError(f"table {name!r} lacks column(s) {missing}")
        unknown = set(self.organizations["municipality_id"]) - set(
            self.municipalities["municipality_id"]
        )
        if unknown:
            raise ValueError(f"organizations refer to unknown municipalities: {sorted(unknown)}")

    @classmethod
    def from_objects(
        cls,
        *,
        regions: Iterable[Region],
        municipalities: Iterable[Municipality],
        organizations: Iterable[Organization],
        tables: Mapping[str, pd.DataFrame] | None = None,
        submissions: pd.DataFrame | None = None,
    ) -> Dataset:
        """Build a dataset from model objects and tables."""
        orgs = _frame(organizations, ORG_COLUMNS, {"id": "org_id"})
        if "kind" in orgs:
            orgs["kind"] = orgs["kind"].map(lambda k: getattr(k, "value", k))
        return cls(
            regions=_frame(regions, REGION_COLUMNS, {"id": "region_id"}),
            municipalities=_frame(municipalities, MUNICIPALITY_COLUMNS, {"id": "municipality_id"}),
            organizations=orgs,
            tables=dict(tables or {}),
            submissions=submissions,
        )

    def table(self, name: str) -> pd.DataFrame:
        """The table ``name``.

        :raises KeyError: naming the table and the tables that are present.
        """
        try:
            return self.tables[name]
        except KeyError:
            raise KeyError(
                f"the dataset has no table {name!r}; it has: {sorted(self.tables)}"
            ) from None

    def with_tables(self, **tables: pd.DataFrame) -> Dataset:
        """A copy with tables added or replaced."""
        return attrs.evolve(self, tables={**self.tables, **tables})

    def organization_objects(self) -> list[Organization]:
        """The register as :class:`Organization` objects."""
        out = []
        for rec in self.organizations.to_dict("records"):
            out.append(
                Organization(
                    id=str(rec["org_id"]),
                    name=str(rec.get("name", rec["org_id"])),
                    municipality_id=str(rec["municipality_id"]),
                    kind=OrganizationKind(rec.get("kind") or "other"),
                    valid_from=_date_or_none(rec.get("valid_from")),
                    valid_to=_date_or_none(rec.get("valid_to")),
                    successor_id=_str_or_none(rec.get("successor_id")),
                )
            )
        return out


def _date_or_none(value: object) -> dt.date | None:
    if value is None or (not isinstance(value, str) and pd.isna(value)):
        return None
    return pd.Timestamp(value).date()


def _str_or_none(value: object) -> str | None:
    if value is None or (not isinstance(value, str) and pd.isna(value)):
        return None
    return str(value)


def activity_matrix(organizations: pd.DataFrame, periods: list[Period]) -> np.ndarray:
    """``[org, period]`` booleans: whether each organisation exists in each period."""
    n = len(organizations)
    starts = pd.to_datetime(organizations.get("valid_from", pd.Series([None] * n)))
    ends = pd.to_datetime(organizations.get("valid_to", pd.Series([None] * n)))
    out = np.ones((n, len(periods)), dtype=bool)
    for j, p in enumerate(periods):
        p_start, p_end = pd.Timestamp(p.start), pd.Timestamp(p.end)
        ok_start = starts.isna().to_numpy() | (starts <= p_end).to_numpy()
        ok_end = ends.isna().to_numpy() | (ends >= p_start).to_numpy()
        out[:, j] = ok_start & ok_end
    return out


def successor_codes(organizations: pd.DataFrame, active: np.ndarray) -> np.ndarray:
    """``[org, period]`` → the org code each organisation's data belong to in that period.

    An organisation that no longer exists in a period but named a successor maps to the
    successor (transitively) — that is how a merged school's history is restated under the
    school it merged into. Others map to themselves.
    """
    ids = organizations["org_id"].astype(str).tolist()
    code_of = {org: i for i, org in enumerate(ids)}
    succ_col = organizations.get("successor_id")
    succ = np.array(
        [
            code_of.get(str(s), -1) if s is not None and not pd.isna(s) else -1
            for s in (succ_col if succ_col is not None else [None] * len(ids))
        ],
        dtype=np.int64,
    )
    return resolve_successors(succ, active)


def resolve_successors(successor: np.ndarray, active: np.ndarray) -> np.ndarray:
    """Follow successor links (codes, −1 for none) to an organisation active in each period.

    :param successor: per organisation, the code of its successor or −1.
    :param active: ``[org, period]`` booleans.
    :returns: ``[org, period]`` codes.
    """
    n_orgs, n_periods = active.shape
    out = np.tile(np.arange(n_orgs)[:, None], (1, n_periods))
    for j in range(n_periods):
        # only closed organisations that named a successor move; there are few of them
        for i in np.flatnonzero(~active[:, j] & (successor >= 0)):
            target, hops = successor[i], 0
            while target >= 0 and not active[target, j] and hops < n_orgs:
                target, hops = successor[target], hops + 1
            if target >= 0 and active[target, j]:
                out[i, j] = target
    return out
