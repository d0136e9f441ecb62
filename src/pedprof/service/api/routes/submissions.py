"""Submissions: upload a form (.xlsx, .ods, .csv) or JSON rows, the validation result, the
error report, the versions, the accepted rows."""

from __future__ import annotations

import datetime as dt
import tempfile
from pathlib import Path
from typing import Annotated, Any

import pandas as pd
from fastapi import APIRouter, File, Query, UploadFile
from fastapi.responses import Response
from pydantic import BaseModel, Field

from pedprof.io import write_error_report
from pedprof.service.actors import Actor, Units
from pedprof.service.api.common import MEDIA
from pedprof.service.api.deps import CurrentActor, RowId, StoreDep, UploaderActor
from pedprof.service.db import aware
from pedprof.service.models import StoredFile, SubmissionVersion
from pedprof.service.problems import NotFound, TooLarge
from pedprof.service.store import Store

router = APIRouter(tags=["submissions"])


class RowsIn(BaseModel):
    """Rows of the profile's tables as JSON (see the profile's JSON Schema)."""

    tables: dict[str, list[dict[str, Any]]] = Field(
        description="Имя таблицы → строки (объекты с полями таблицы)."
    )


class VersionOut(BaseModel):
    """One submission version and its validation result."""

    id: int
    campaign_id: int
    period: str
    level: str
    unit_id: str
    version: int
    current: bool
    received_at: dt.datetime
    status: str
    submitted: int
    accepted: int
    rejected: int
    summary: str
    file: dict[str, Any] | None = None
    errors: list[dict[str, Any]] = Field(default_factory=list)


def _visible(actor: Actor, v: SubmissionVersion, units: Units) -> bool:
    if actor.role == "organization":
        return v.unit_id == actor.org_id and v.campaign_id == actor.campaign_id
    return actor.sees(v.level, v.unit_id, units)


def _out(
    v: SubmissionVersion,
    number: int,
    current: bool,
    *,
    errors: bool,
    file: StoredFile | None = None,
) -> VersionOut:
    return VersionOut(
        id=v.id,
        campaign_id=v.campaign_id,
        period=v.period,
        level=v.level,
        unit_id=v.unit_id,
        version=number,
        current=current,
        received_at=aware(v.received_at) or v.received_at,
        status=v.status,
        submitted=v.submitted,
        accepted=v.accepted,
        rejected=v.rejected,
        summary=v.summary,
        file=None
        if file is None
        else {"filename": file.filename, "size": file.size, "sha256": file.sha256},
        errors=list(v.check.get("errors", [])) if errors else [],
    )


def _numbered(store: Store, v: SubmissionVersion) -> tuple[int, bool]:
    same = store.versions(campaign_id=v.campaign_id, unit_id=v.unit_id)
    ids = [x.id for x in sorted(same, key=lambda x: (aware(x.received_at), x.id))]
    return ids.index(v.id) + 1, ids[-1] == v.id


def _file(store: Store, file_id: int | None) -> StoredFile | None:
    if file_id is None:
        return None
    with store.factory() as s:
        return s.get(StoredFile, file_id)


def _read_upload(file: UploadFile, limit: int) -> bytes:
    content = file.file.read(limit + 1)
    if len(content) > limit:
        raise TooLarge(f"Файл больше допустимого размера ({limit / 2**20:.0f} МБ).")
    return content


@router.post(
    "/campaigns/{campaign_id}/submissions",
    response_model=VersionOut,
    status_code=201,
    summary="Загрузить заполненную форму",
)
def upload(
    campaign_id: RowId,
    actor: UploaderActor,
    store: StoreDep,
    file: Annotated[UploadFile, File(description="Заполненная форма .xlsx, .ods или .csv")],
) -> VersionOut:
    """Receive one organisation's (municipality's) filled form: it is kept as received,
    read and validated; the answer is the validation result of this new version."""
    c = store.campaign(campaign_id)
    if actor.role == "organization" and actor.campaign_id != c.id:
        raise NotFound(f"Кампания сбора № {campaign_id} не найдена.")
    content = _read_upload(file, store.max_upload_bytes)
    v, _ = store.submit(c, actor, filename=file.filename or "upload.xlsx", content=content)
    number, current = _numbered(store, v)
    return _out(v, number, current, errors=True, file=_file(store, v.file_id))


@router.post(
    "/campaigns/{campaign_id}/submissions/rows",
    response_model=VersionOut,
    status_code=201,
    summary="Представить строки (JSON)",
)
def upload_rows(
    campaign_id: RowId, body: RowsIn, actor: UploaderActor, store: StoreDep
) -> VersionOut:
    """Receive rows as JSON (one unit's tables), validated as a form would be."""
    c = store.campaign(campaign_id)
    if actor.role == "organization" and actor.campaign_id != c.id:
        raise NotFound(f"Кампания сбора № {campaign_id} не найдена.")
    p = store.profile(c.profile_id)
    known = {s.name for s in p.sources}
    tables = {}
    for name, rows in body.tables.items():
        if name not in known:
            raise NotFound(
                f"В профиле «{p.id}» нет таблицы «{name}»; есть: {', '.join(sorted(known))}."
            )
        tables[name] = pd.DataFrame.from_records(rows) if rows else pd.DataFrame()
    v, _ = store.submit(c, actor, filename="rows.json", tables=tables)
    number, current = _numbered(store, v)
    return _out(v, number, current, errors=True, file=_file(store, v.file_id))


@router.get(
    "/campaigns/{campaign_id}/submissions",
    response_model=list[VersionOut],
    summary="Представленные сведения",
)
def list_submissions(
    campaign_id: RowId,
    actor: CurrentActor,
    store: StoreDep,
    unit_id: Annotated[str | None, Query(max_length=100)] = None,
    current_only: Annotated[bool, Query()] = False,
) -> list[VersionOut]:
    """Every version received in the campaign (a school's link: its own only), in order
    of receipt, numbered per unit; ``current`` marks the one that counts."""
    c = store.campaign(campaign_id)
    if actor.role == "organization" and actor.campaign_id != c.id:
        raise NotFound(f"Кампания сбора № {campaign_id} не найдена.")
    units = store.units(store.profile(c.profile_id))
    versions = store.versions(campaign_id=c.id, unit_id=unit_id)
    current = {v.id for v in Store.current(versions).values()}
    counter: dict[str, int] = {}
    out = []
    for v in versions:
        counter[v.unit_id] = counter.get(v.unit_id, 0) + 1
        if not _visible(actor, v, units) or (current_only and v.id not in current):
            continue
        out.append(_out(v, counter[v.unit_id], v.id in current, errors=False))
    return out


def _version_for(store: Store, actor: Actor, version_id: int) -> tuple[SubmissionVersion, Units]:
    v = store.version(version_id)
    units = store.units(store.profile(v.profile_id))
    if not _visible(actor, v, units):
        raise NotFound(f"Представление № {version_id} не найдено.")
    return v, units


@router.get("/submissions/{version_id}", response_model=VersionOut, summary="Результат проверки")
def submission(version_id: RowId, actor: CurrentActor, store: StoreDep) -> VersionOut:
    """One version with its validation result (the errors in Russian, with the cell)."""
    v, _ = _version_for(store, actor, version_id)
    number, current = _numbered(store, v)
    return _out(v, number, current, errors=True, file=_file(store, v.file_id))


@router.get(
    "/submissions/{version_id}/errors",
    summary="Протокол проверки (.xlsx)",
    response_class=Response,
    responses={200: {"content": {MEDIA["xlsx"]: {}}}},
)
def error_report(version_id: RowId, actor: CurrentActor, store: StoreDep) -> Response:
    """The error report workbook sent back to the school."""
    v, _ = _version_for(store, actor, version_id)
    with tempfile.TemporaryDirectory() as tmp:
        path = write_error_report(store.check_result(v), Path(tmp) / "report.xlsx")
        content = path.read_bytes()
    return Response(
        content,
        media_type=MEDIA["xlsx"],
        headers={"Content-Disposition": f'attachment; filename="errors-{v.unit_id}-{v.id}.xlsx"'},
    )


@router.get("/submissions/{version_id}/rows", summary="Принятые строки")
def accepted_rows(
    version_id: RowId,
    actor: CurrentActor,
    store: StoreDep,
    table: Annotated[str | None, Query(max_length=100)] = None,
) -> dict[str, Any]:
    """The rows accepted from this version. Person-level tables (with ``person_id``) only
    to the organisation that submitted them and to its municipality's methodologists."""
    v, units = _version_for(store, actor, version_id)
    p = store.profile(v.profile_id)
    personal = {s.name for s in p.sources if "person_id" in {f.name for f in s.fields}}
    allowed_personal = actor.sees_person_rows(v.level, v.unit_id, units)
    stored = store.accepted_rows([v.id]).get(v.id, {})
    out: dict[str, Any] = {}
    withheld = []
    for name, rows in stored.items():
        if table is not None and name != table:
            continue
        if name in personal and not allowed_personal:
            withheld.append(name)
            continue
        out[name] = rows
    return {"tables": out, "withheld": withheld}


@router.get(
    "/submissions/{version_id}/file",
    summary="Файл как получен",
    response_class=Response,
    responses={200: {"content": {"application/octet-stream": {}}}},
)
def original_file(version_id: RowId, actor: CurrentActor, store: StoreDep) -> Response:
    """The file exactly as received (it may hold person-level rows: only for the
    organisation and its municipality)."""
    v, units = _version_for(store, actor, version_id)
    if not actor.sees_person_rows(v.level, v.unit_id, units):
        raise NotFound(f"Представление № {version_id} не найдено.")
    f = _file(store, v.file_id)
    if f is None:
        raise NotFound("Файл не сохранён.")
    return Response(
        f.content,
        media_type="application/octet-stream",
        headers={"Content-Disposition": f'attachment; filename="{f.filename}"'},
    )
