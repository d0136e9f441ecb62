"""``/compute``: the stateless computation for platforms that keep their own data. The
request holds the whole dataset; nothing is kept."""

from __future__ import annotations

from typing import Any, Literal

import pandas as pd
from fastapi import APIRouter
from pydantic import BaseModel, Field

from pedprof.app import Monitoring
from pedprof.model.data import Dataset
from pedprof.service.api.common import frame_response
from pedprof.service.api.deps import ReaderActor
from pedprof.service.store import Store

router = APIRouter(tags=["compute"])


class ComputeIn(BaseModel):
    """A whole dataset as JSON tables (see the profile's JSON Schema)."""

    profile: str = Field(max_length=100)
    regions: list[dict[str, Any]]
    municipalities: list[dict[str, Any]]
    organizations: list[dict[str, Any]]
    tables: dict[str, list[dict[str, Any]]] = Field(default_factory=dict)
    indicators: list[str] | None = None
    periods: list[str] | None = None
    format: Literal["json", "csv", "parquet"] = "json"


@router.post("/compute", summary="Расчёт без сохранения")
def compute(body: ComputeIn, actor: ReaderActor) -> Any:
    """Validate the dataset by the profile's declarations and compute its indicators;
    nothing is stored."""
    p = Store.profile(body.profile)
    data = Dataset.from_frames(
        p,
        {k: pd.DataFrame.from_records(v) for k, v in body.tables.items()},
        regions=pd.DataFrame.from_records(body.regions),
        municipalities=pd.DataFrame.from_records(body.municipalities),
        organizations=pd.DataFrame.from_records(body.organizations),
    )
    year = Monitoring(p, data)
    frame = year.results(indicators=body.indicators, periods=body.periods)
    return frame_response(frame, body.format, name=f"{p.id}-results", extra={"profile": p.id})
