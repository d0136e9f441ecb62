"""Helpers of the routes: frames as JSON, CSV or Parquet; declarations as JSON."""

from __future__ import annotations

import datetime as dt
import enum
import io
from typing import Any, Literal

import attrs
import pandas as pd
from fastapi.responses import Response

from pedprof.service.store import frame_records

__all__ = ["Format", "frame_response", "jsonable"]

Format = Literal["json", "csv", "parquet"]

MEDIA = {
    "csv": "text/csv; charset=utf-8",
    "parquet": "application/vnd.apache.parquet",
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    "docx": "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
    "html": "text/html; charset=utf-8",
    "pdf": "application/pdf",
    "ics": "text/calendar; charset=utf-8",
}


def jsonable(value: Any) -> Any:
    """A declaration (attrs objects, enums, periods, dates …) as plain JSON values."""
    if value is None or isinstance(value, str | bool | int | float):
        return value
    if isinstance(value, enum.Enum):
        return value.value
    if isinstance(value, dt.date | dt.datetime):
        return value.isoformat()
    if isinstance(value, dict):
        return {str(k): jsonable(v) for k, v in value.items()}
    if isinstance(value, list | tuple | set | frozenset):
        return [jsonable(v) for v in value]
    if isinstance(value, pd.DataFrame):
        return frame_records(value)
    if attrs.has(type(value)):
        out = {"type": type(value).__name__}
        for a in attrs.fields(type(value)):
            if a.name.startswith("_"):
                continue
            out[a.name] = jsonable(getattr(value, a.name))
        return out
    return str(value)


def frame_response(
    frame: pd.DataFrame, fmt: str, *, name: str, extra: dict[str, Any] | None = None
) -> Response | dict[str, Any]:
    """``frame`` as JSON (``{"rows": [...], **extra}``), CSV (UTF-8 with BOM, as Excel
    opens it) or Parquet."""
    if fmt == "csv":
        return Response(
            frame.to_csv(index=False).encode("utf-8-sig"),
            media_type=MEDIA["csv"],
            headers={"Content-Disposition": f'attachment; filename="{name}.csv"'},
        )
    if fmt == "parquet":
        buf = io.BytesIO()
        frame.to_parquet(buf, index=False)
        return Response(
            buf.getvalue(),
            media_type=MEDIA["parquet"],
            headers={"Content-Disposition": f'attachment; filename="{name}.parquet"'},
        )
    return {**(extra or {}), "rows": frame_records(frame)}
