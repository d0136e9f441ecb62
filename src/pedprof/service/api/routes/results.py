"""Results, analysis, rating with its explanation, recommendations — computed by the
application layer from the store's current rows, limited to the units the actor sees."""

from __future__ import annotations

from typing import Annotated, Any, Literal

import numpy as np
import pandas as pd
from fastapi import APIRouter, Query

from pedprof.service.actors import Actor, Units
from pedprof.service.api.common import frame_response, jsonable
from pedprof.service.api.deps import ReaderActor, StoreDep
from pedprof.service.problems import NotFound
from pedprof.service.store import frame_records

router = APIRouter(prefix="/profiles/{profile_id}", tags=["results"])

Level = Literal["organization", "municipality", "region"]


def visible(frame: pd.DataFrame, actor: Actor, units: Units) -> pd.DataFrame:
    """The rows of units (``level``, ``unit`` columns) that ``actor`` sees."""
    if frame.empty or "unit" not in frame.columns:
        return frame
    if "level" in frame.columns:
        levels = frame["level"].astype(str)
    else:
        levels = pd.Series(frame.attrs.get("level", "organization"), index=frame.index)
    keep = [actor.sees(lv, str(u), units) for lv, u in zip(levels, frame["unit"], strict=True)]
    return frame[np.asarray(keep, dtype=bool)]


def suppress(frame: pd.DataFrame, below: int | None) -> pd.DataFrame:
    """Hide the figures of rows whose denominator is under ``below`` (small counts)."""
    if below is None or frame.empty or "denominator" not in frame.columns:
        return frame
    out = frame.copy()
    small = pd.to_numeric(out["denominator"], errors="coerce").lt(below).fillna(False)
    for col in ("numerator", "denominator", "value", "previous_value"):
        if col in out.columns:
            out[col] = out[col].astype("float64").where(~small)
    out["suppressed"] = small.to_numpy()
    return out


@router.get("/results", summary="Показатели")
def results(
    profile_id: str,
    actor: ReaderActor,
    store: StoreDep,
    level: Annotated[Level | None, Query()] = None,
    unit: Annotated[str | None, Query(max_length=100)] = None,
    period: Annotated[str | None, Query(max_length=40)] = None,
    indicator: Annotated[list[str] | None, Query()] = None,
    format: Annotated[Literal["json", "csv", "parquet"], Query()] = "json",
    suppress_below: Annotated[int | None, Query(ge=1, le=1000)] = None,
) -> Any:
    """The indicators for any level, unit, period and indicator, with numerator,
    denominator, value and state (``value`` / ``no_data`` / ``not_applicable``)."""
    year = store.monitoring(profile_id)
    frame = year.results()
    if level is not None:
        frame = frame[frame["level"] == level]
    if unit is not None:
        frame = frame[frame["unit"].astype(str) == unit]
    if period is not None:
        frame = frame[frame["period"].astype(str) == period]
    if indicator:
        frame = frame[frame["indicator"].isin(indicator)]
    frame = visible(frame, actor, store.units(year.profile))
    below = suppress_below if suppress_below is not None else None
    frame = suppress(frame, below)
    return frame_response(
        frame.reset_index(drop=True),
        format,
        name=f"{profile_id}-results",
        extra={"profile": profile_id},
    )


@router.get("/analysis", summary="Анализ")
def analysis(
    profile_id: str,
    actor: ReaderActor,
    store: StoreDep,
    period: Annotated[str | None, Query(max_length=40)] = None,
    level: Annotated[Level | None, Query()] = None,
) -> dict[str, Any]:
    """The reporting period judged against targets and dynamics: the current values, the
    problem zones, the planned effects."""
    year = store.monitoring(profile_id)
    a = year.analyze(period, **({"level": level} if level else {}))
    units = store.units(year.profile)
    return {
        "period": a.period,
        "previous_period": a.previous_period,
        "level": a.level,
        "current": frame_records(visible(a.current(), actor, units)),
        "problems": frame_records(visible(a.problems, actor, units)),
        "effects": frame_records(visible(a.effects, actor, units)),
    }


@router.get("/rating", summary="Рейтинг")
def rating(
    profile_id: str,
    actor: ReaderActor,
    store: StoreDep,
    level: Annotated[Literal["organization", "municipality"], Query()] = "organization",
    period: Annotated[str | None, Query(max_length=40)] = None,
    explain: Annotated[
        str | None, Query(max_length=100, description="Код единицы для пояснения")
    ] = None,
) -> dict[str, Any]:
    """The ranking by the profile's rating declaration, with the indicators used and, for
    one unit, the explanation of its score."""
    year = store.monitoring(profile_id)
    r = year.rate(level=level, period=period)
    units = store.units(year.profile)
    ranking = r.ranking.copy()
    ranking["level"] = level
    ranking = visible(ranking, actor, units).drop(columns="level")
    out: dict[str, Any] = {
        "level": r.level,
        "period": r.period,
        "previous_period": r.previous_period,
        "method": jsonable(r.method),
        "declaration": jsonable(r.declaration),
        "ranking": frame_records(ranking),
        "indicators": frame_records(r.indicators),
    }
    if explain is not None:
        if not actor.sees(level, explain, units) or explain not in set(r.ranking["unit"]):
            raise NotFound(f"Единица «{explain}» не найдена в рейтинге.")
        out["explanation"] = frame_records(r.explain(explain))
    return out


@router.get("/recommendations", summary="Адресные рекомендации")
def recommendations(
    profile_id: str,
    actor: ReaderActor,
    store: StoreDep,
    period: Annotated[str | None, Query(max_length=40)] = None,
) -> list[dict[str, Any]]:
    """Targeted recommendations for the period, addressed to organisations and roles."""
    year = store.monitoring(profile_id)
    units = store.units(year.profile)
    out = []
    for rec in year.recommend(period):
        item = jsonable(rec)
        if rec.units:
            pairs = [
                (u, n)
                for u, n in zip(rec.units, rec.unit_names or rec.units, strict=False)
                if actor.sees("organization", u, units) or actor.sees("municipality", u, units)
            ]
            if not pairs:
                continue
            item["units"] = [u for u, _ in pairs]
            item["unit_names"] = [n for _, n in pairs]
            if len(pairs) != len(rec.units):
                item["evidence"] = [
                    e for e in item.get("evidence", []) if any(n in e for _, n in pairs)
                ]
        out.append(item)
    return out
