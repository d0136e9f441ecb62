"""Reports (ИАС) as jobs: start one, poll it, download its files."""

from __future__ import annotations

import datetime as dt
from typing import Any, Literal

from fastapi import APIRouter
from fastapi.responses import FileResponse
from pydantic import BaseModel, Field

from pedprof.service.actors import Actor
from pedprof.service.api.common import MEDIA
from pedprof.service.api.deps import ReaderActor, RowId, ServiceDep, SessionDep, StoreDep
from pedprof.service.db import aware
from pedprof.service.models import Job
from pedprof.service.problems import Conflict, Forbidden, NotFound

router = APIRouter(tags=["reports"])


ReportFormat = Literal["docx", "xlsx", "html"]
ALL_FORMATS: tuple[ReportFormat, ...] = ("docx", "xlsx", "html")


class ReportIn(BaseModel):
    """What report to build."""

    period: str | None = Field(None, max_length=40)
    formats: list[ReportFormat] = Field(default_factory=lambda: list(ALL_FORMATS), min_length=1)
    suppress_below: int | None = Field(None, ge=1, le=1000)
    charts: bool = True


class JobOut(BaseModel):
    """A job and its progress."""

    id: int
    kind: str
    profile_id: str
    status: str
    progress: float
    message: str
    created_at: dt.datetime
    finished_at: dt.datetime | None = None
    files: dict[str, str] = Field(default_factory=dict)


def _job_out(job: Job) -> JobOut:
    files = {}
    if job.status == "done" and job.result:
        files = {fmt: f"/api/v1/jobs/{job.id}/files/{fmt}" for fmt in job.result.get("files", {})}
    return JobOut(
        id=job.id,
        kind=job.kind,
        profile_id=job.profile_id,
        status=job.status,
        progress=job.progress,
        message=job.message,
        created_at=aware(job.created_at) or job.created_at,
        finished_at=aware(job.finished_at),
        files=files,
    )


def _owner(actor: Actor) -> dict[str, Any]:
    return {
        "kind": actor.kind,
        "name": actor.name,
        "region_id": actor.region_id,
        "municipality_id": actor.municipality_id,
    }


def _may_see(actor: Actor, job: Job) -> bool:
    o = job.owner
    return (o.get("region_id"), o.get("municipality_id")) == (
        actor.region_id,
        actor.municipality_id,
    )


@router.post(
    "/profiles/{profile_id}/reports",
    response_model=JobOut,
    status_code=202,
    summary="Сформировать ИАС",
)
def start_report(
    profile_id: str,
    body: ReportIn,
    actor: ReaderActor,
    store: StoreDep,
    service: ServiceDep,
    session: SessionDep,
) -> JobOut:
    """Start building the analytical report (ИАС) as a job; poll ``/jobs/{id}``. The
    report covers every unit of the store's register, so it is built for actors who see
    all of them."""
    p = store.profile(profile_id)
    reg = store.register(p)
    if reg is None:
        raise Conflict(f"Для профиля «{profile_id}» нет данных: реестр организаций не загружен.")
    data, units = reg
    if not all(
        actor.sees("municipality", str(m), units) for m in data.municipalities["municipality_id"]
    ):
        raise Forbidden("Справка охватывает муниципалитеты, к которым у вас нет доступа.")
    job = Job(
        kind="report",
        profile_id=p.id,
        params=body.model_dump(),
        owner=_owner(actor),
        status="queued",
        progress=0.0,
        message="В очереди",
    )
    session.add(job)
    session.commit()
    service.worker.submit(job.id)
    return _job_out(job)


@router.get("/jobs/{job_id}", response_model=JobOut, summary="Задание")
def job(job_id: RowId, actor: ReaderActor, session: SessionDep) -> JobOut:
    """A job's status and progress; when done, the addresses of its files."""
    j = session.get(Job, job_id)
    if j is None or not _may_see(actor, j):
        raise NotFound(f"Задание № {job_id} не найдено.")
    return _job_out(j)


@router.get(
    "/jobs/{job_id}/files/{fmt}",
    summary="Файл задания",
    response_class=FileResponse,
    responses={200: {"content": {MEDIA["docx"]: {}, MEDIA["xlsx"]: {}, MEDIA["html"]: {}}}},
)
def job_file(
    job_id: RowId,
    fmt: Literal["docx", "xlsx", "html"],
    actor: ReaderActor,
    session: SessionDep,
    service: ServiceDep,
) -> FileResponse:
    """One file of a finished job."""
    j = session.get(Job, job_id)
    if j is None or not _may_see(actor, j) or j.status != "done" or not j.result:
        raise NotFound(f"Файл задания № {job_id} не найден.")
    name = j.result.get("files", {}).get(fmt)
    if not name:
        raise NotFound(f"Справка в формате {fmt} не формировалась.")
    path = service.worker.output_dir(j.id) / name
    if not path.is_file():
        raise NotFound(f"Файл задания № {job_id} не найден.")
    return FileResponse(path, media_type=MEDIA[fmt], filename=name)
