"""Measures and management decisions, documents of the management cycle and roadmap
statuses: read and write. Each write is a new version; the latest counts."""

from __future__ import annotations

import datetime as dt
from typing import Annotated, Any

import pandas as pd
from fastapi import APIRouter, Body, File, Query, UploadFile
from pydantic import BaseModel, Field
from sqlalchemy import select

from pedprof.cycle.documents import load_documents
from pedprof.service.api.common import jsonable
from pedprof.service.api.deps import ReaderActor, SessionDep, StaffActor, StoreDep
from pedprof.service.models import CycleDocument, utcnow
from pedprof.service.problems import NotFound, Unprocessable
from pedprof.service.store import frame_records, read_table_upload

router = APIRouter(prefix="/profiles/{profile_id}", tags=["cycle"])


class RowsBody(BaseModel):
    """Rows as JSON objects (the columns of the file form, Russian or English headers)."""

    rows: list[dict[str, Any]] = Field(min_length=1)


def _frame(file: UploadFile | None, body: RowsBody | None, tmp: Any) -> pd.DataFrame:
    if file is not None:
        return read_table_upload(file.filename or "upload.csv", file.file.read(), tmp)
    if body is not None:
        return pd.DataFrame.from_records(body.rows)
    raise Unprocessable("Передайте файл (.csv, .xlsx) или строки JSON.")


@router.get("/measures", summary="Реестр мер")
def get_measures(profile_id: str, actor: ReaderActor, store: StoreDep) -> dict[str, Any]:
    """The current register of measures and management decisions."""
    p = store.profile(profile_id)
    return {"rows": store.latest_rows("measures", p)}


@router.put("/measures", summary="Загрузить реестр мер (файл)")
def put_measures(
    profile_id: str,
    actor: StaffActor,
    store: StoreDep,
    file: Annotated[UploadFile, File(description="Реестр мер (.csv, .xlsx)")],
) -> dict[str, Any]:
    """A new version of the register of measures (checked by the application layer)."""
    p = store.profile(profile_id)
    row = store.put_rows("measures", p, actor, _frame(file, None, store.tmp_dir))
    return {"id": row.id, "rows": len(row.rows)}


@router.put("/measures/rows", summary="Записать реестр мер (JSON)")
def put_measures_rows(
    profile_id: str, actor: StaffActor, store: StoreDep, body: Annotated[RowsBody, Body()]
) -> dict[str, Any]:
    """A new version of the register of measures from JSON rows."""
    p = store.profile(profile_id)
    row = store.put_rows("measures", p, actor, _frame(None, body, store.tmp_dir))
    return {"id": row.id, "rows": len(row.rows)}


@router.get("/roadmap-statuses", summary="Статусы дорожной карты")
def get_statuses(profile_id: str, actor: ReaderActor, store: StoreDep) -> dict[str, Any]:
    """The current roadmap execution statuses."""
    p = store.profile(profile_id)
    return {"rows": store.latest_rows("roadmap", p)}


@router.put("/roadmap-statuses", summary="Записать статусы дорожной карты (JSON)")
def put_statuses(
    profile_id: str, actor: StaffActor, store: StoreDep, body: Annotated[RowsBody, Body()]
) -> dict[str, Any]:
    """A new version of the roadmap statuses (checked against the profile's roadmap)."""
    p = store.profile(profile_id)
    if not p.roadmaps:
        raise NotFound(f"В профиле «{p.id}» нет дорожной карты.")
    row = store.put_rows("roadmap", p, actor, _frame(None, body, store.tmp_dir))
    return {"id": row.id, "rows": len(row.rows)}


@router.get("/roadmap", summary="Исполнение дорожной карты")
def roadmap(
    profile_id: str,
    actor: ReaderActor,
    store: StoreDep,
    today: Annotated[dt.date | None, Query()] = None,
) -> dict[str, Any]:
    """Every roadmap row in every year it is due, with its state."""
    m = store.monitoring(profile_id)
    if not m.profile.roadmaps:
        raise NotFound(f"В профиле «{profile_id}» нет дорожной карты.")
    return {"rows": frame_records(m.roadmap_rows(today=today))}


@router.get("/documents", summary="Документы управленческого цикла")
def documents(
    profile_id: str, actor: ReaderActor, session: SessionDep, store: StoreDep
) -> dict[str, Any]:
    """The documents added in the store (the profile's own are in its declaration)."""
    p = store.profile(profile_id)
    rows = session.scalars(
        select(CycleDocument).where(CycleDocument.profile_id == p.id).order_by(CycleDocument.id)
    )
    return {"rows": [{"id": d.id, **d.record} for d in rows]}


@router.post("/documents", status_code=201, summary="Добавить документы")
def add_documents(
    profile_id: str,
    actor: StaffActor,
    session: SessionDep,
    store: StoreDep,
    body: Annotated[RowsBody, Body()],
) -> dict[str, Any]:
    """Add documents of the management cycle (checked by :func:`load_documents`)."""
    p = store.profile(profile_id)
    frame = pd.DataFrame.from_records(body.rows)
    registry = load_documents(frame, profile=p)
    problems = list(getattr(registry, "problems", ()) or ())
    if problems:
        raise Unprocessable("Документы не приняты: " + "; ".join(str(x) for x in problems[:10]))
    now = utcnow()
    for rec in frame_records(frame):
        session.add(
            CycleDocument(
                profile_id=p.id, received_at=now, uploader=actor.label, record=jsonable(rec)
            )
        )
    session.commit()
    return {"added": len(frame)}
