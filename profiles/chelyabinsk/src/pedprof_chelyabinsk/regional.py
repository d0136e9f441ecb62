"""One run over the region: several municipal datasets mapped to the regional tables.

Each municipality keeps its data in the form of its own profile (Karabash: one row per
association with a ``functioning`` flag; Magnitogorsk: one row per association under its host
organisation with a ``status``). An *adapter* per municipal profile maps that form to the
regional tables of :mod:`.sources`; :func:`build_regional_dataset` puts the hierarchy
(region → municipalities → organisations), the registers of submissions and the mapped tables
together, and :func:`side_by_side` lays the municipalities next to the region.

Periods: both municipal profiles report in school years (Karabash from 2020-2021, Magnitogorsk
from 2018-2019), so the regional run is in school years too; a period in which not every
municipality reported gives municipal values but no comparable regional value.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence

import pandas as pd

from pedprof import Dataset
from pedprof.model.sources import coerce_frame

from .sources import MUNICIPAL_ASSOCIATIONS

__all__ = [
    "ADAPTERS",
    "Adapter",
    "build_regional_dataset",
    "from_karabash",
    "from_magnitogorsk",
    "side_by_side",
]

Adapter = Callable[[Dataset], dict[str, pd.DataFrame]]
"""Maps one municipality's dataset (in its profile's form) to regional tables."""

_ASSOC_COLUMNS = list(MUNICIPAL_ASSOCIATIONS.column_names)


def _prefixed(municipality: pd.Series, ids: pd.Series) -> pd.Series:
    return municipality.astype(str) + ":" + ids.astype(str)


def from_karabash(data: Dataset) -> dict[str, pd.DataFrame]:
    """Karabash (profile ``karabash``): the ``associations`` table of indicator k16."""
    a = data.table("associations")
    frame = pd.DataFrame(
        {
            "period": a["period"].astype(str),
            "municipality_id": a["municipality_id"].astype(str),
            "association_id": _prefixed(a["municipality_id"], a["association_id"]),
            "name": a["name"],
            "kind": a["kind"],
            "functioning": a["functioning"].astype("boolean"),
            "source_indicator": "k16",
        }
    )
    return {MUNICIPAL_ASSOCIATIONS.name: frame}


def from_magnitogorsk(data: Dataset) -> dict[str, pd.DataFrame]:
    """Magnitogorsk (profile ``magnitogorsk``): the ``associations`` table of indicator m01;
    an association functions when its status is «действует», «открыто» or «преобразовано»."""
    from pedprof_magnitogorsk.sources import FUNCTIONING

    a = data.table("associations")
    orgs = data.organizations
    municipality_of = pd.Series(
        orgs["municipality_id"].astype(str).to_numpy(), index=orgs["org_id"].astype(str)
    )
    municipality = a["org_id"].astype(str).map(municipality_of)
    frame = pd.DataFrame(
        {
            "period": a["period"].astype(str),
            "municipality_id": municipality,
            "association_id": _prefixed(municipality, a["association_id"]),
            "name": a["name"],
            "kind": a["kind"],
            "functioning": a["status"].isin(FUNCTIONING).astype("boolean"),
            "source_indicator": "m01",
        }
    )
    return {MUNICIPAL_ASSOCIATIONS.name: frame}


#: The adapters of the municipal profiles of the Chelyabinsk region, by profile id.
ADAPTERS: dict[str, Adapter] = {"karabash": from_karabash, "magnitogorsk": from_magnitogorsk}


def _union(frames: Sequence[pd.DataFrame], key: str, what: str) -> pd.DataFrame:
    frame = pd.concat(frames, ignore_index=True)
    dup = frame[key].astype(str).duplicated(keep=False)
    if dup.any():
        ids = sorted(set(frame.loc[dup, key].astype(str)))
        raise ValueError(f"Коды {what} повторяются в данных разных муниципалитетов: {ids[:10]}")
    return frame


def build_regional_dataset(
    municipal: Mapping[str, Dataset],
    *,
    adapters: Mapping[str, Adapter] | None = None,
    common_periods_only: bool = False,
) -> Dataset:
    """One regional dataset from the datasets of several municipal profiles.

    :param municipal: municipal profile id → that municipality's dataset (the form of its
        profile, e.g. :func:`pedprof.load_sample`).
    :param adapters: profile id → adapter; by default :data:`ADAPTERS`.
    :param common_periods_only: keep only the periods for which every municipality has data in
        the regional tables (the periods with comparable regional values).
    :returns: a dataset with every region, municipality and organisation of the inputs, the
        union of their submission registers and the regional tables.
    :raises ValueError: (in Russian) when a profile has no adapter or when municipality or
        organisation ids collide.
    """
    chosen = dict(ADAPTERS if adapters is None else adapters)
    unknown = sorted(set(municipal) - set(chosen))
    if unknown:
        raise ValueError(
            f"Нет правил перевода данных профиля в региональные таблицы: {unknown}; "
            f"известны: {sorted(chosen)}"
        )
    datasets = list(municipal.values())
    regions = pd.concat([d.regions for d in datasets], ignore_index=True).drop_duplicates(
        subset="region_id"
    )
    municipalities = _union(
        [d.municipalities for d in datasets], "municipality_id", "муниципалитетов"
    )
    organizations = _union([d.organizations for d in datasets], "org_id", "организаций")
    registers = [d.submissions for d in datasets if d.submissions is not None]
    submissions = pd.concat(registers, ignore_index=True) if registers else None
    parts: dict[str, list[pd.DataFrame]] = {}
    periods: list[set[str]] = []
    for profile_id, data in municipal.items():
        mapped = chosen[profile_id](data)
        periods.append({p for f in mapped.values() for p in f["period"].astype(str)})
        for name, frame in mapped.items():
            parts.setdefault(name, []).append(frame)
    if common_periods_only:
        common = set.intersection(*periods) if periods else set()
        parts = {
            name: [f[f["period"].astype(str).isin(common)] for f in frames]
            for name, frames in parts.items()
        }
        if submissions is not None:
            submissions = submissions[submissions["period"].astype(str).isin(common)]
    tables = {
        name: coerce_frame(
            MUNICIPAL_ASSOCIATIONS, pd.concat(frames, ignore_index=True)[_ASSOC_COLUMNS]
        )
        if name == MUNICIPAL_ASSOCIATIONS.name
        else pd.concat(frames, ignore_index=True)
        for name, frames in parts.items()
    }
    return Dataset(
        regions=regions.reset_index(drop=True),
        municipalities=municipalities,
        organizations=organizations,
        tables=tables,
        submissions=submissions,
    )


def side_by_side(results: pd.DataFrame, data: Dataset) -> pd.DataFrame:
    """The municipalities side by side with the region, per indicator, breakdown and period.

    :param results: the frame of :func:`pedprof.compute` on a regional dataset.
    :param data: that dataset (for the list of municipalities).
    :returns: one row per indicator × breakdown × period: a column per municipality id with
        its value, ``region`` — the regional value when every municipality reported in that
        period (else NaN), ``region_reported_only`` — the regional value over those that
        reported, ``reported`` and ``municipalities`` — how many reported out of how many,
        ``complete`` — whether all did.
    """
    keys = ["indicator", "breakdown", "period"]
    munis = list(data.municipalities["municipality_id"].astype(str))
    frame = results.assign(
        breakdown=results["breakdown"].fillna(""),
        period=results["period"].astype(str),
        unit=results["unit"].astype(str),
        level=results["level"].astype(str),
    )
    m = frame[frame["level"] == "municipality"]
    wide = m.pivot_table(index=keys, columns="unit", values="value", aggfunc="first", dropna=False)
    wide = wide.reindex(columns=munis)
    reported = (m["state"].astype(str) != "no_data").groupby([m[k] for k in keys]).sum()
    r = frame[frame["level"] == "region"].set_index(keys)["value"]
    out = wide.copy()
    out.columns.name = None
    out["reported"] = reported.reindex(out.index).fillna(0).astype(int)
    out["municipalities"] = len(munis)
    out["complete"] = out["reported"] == out["municipalities"]
    out["region_reported_only"] = r.groupby(level=keys).first().reindex(out.index)
    out["region"] = out["region_reported_only"].where(out["complete"])
    out = out.reset_index()
    out["breakdown"] = out["breakdown"].replace("", pd.NA)
    order = {p: i for i, p in enumerate(results["period"].cat.categories.astype(str))}
    out = out.sort_values(
        ["indicator", "breakdown", "period"],
        key=lambda s: s.map(order) if s.name == "period" else s,
        na_position="first",
    )
    return out.reset_index(drop=True)
