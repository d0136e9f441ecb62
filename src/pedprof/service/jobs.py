"""Long work (the ИАС for a region …) as jobs run by one in-process worker thread.

Jobs are rows in the store with a status (``queued``, ``running``, ``done``, ``failed``)
and a progress the client polls. A job's files are written into a temporary folder and
moved into place before the job is marked done, so a half-written report is never
offered. On start, jobs left ``running`` by a service that stopped are marked failed;
``queued`` ones are run. A queue server would add a moving part to a service that one
methodologist runs on a laptop; one worker is enough for a region's few reports a day.
"""

from __future__ import annotations

import logging
import os
import queue
import shutil
import threading
from collections.abc import Callable
from pathlib import Path
from typing import Any

from sqlalchemy import select, update
from sqlalchemy.orm import Session, sessionmaker

from pedprof.service.db import session_scope
from pedprof.service.models import Job, utcnow
from pedprof.service.store import Store

__all__ = ["INTERRUPTED", "Worker"]

log = logging.getLogger("pedprof.service.jobs")

#: The message of a job the service was stopped in the middle of.
INTERRUPTED = "Служба была остановлена во время выполнения задания; запустите его заново."

Runner = Callable[["Worker", Job, Callable[[float, str], None]], dict[str, Any]]


class Worker:
    """One thread running queued jobs in order.

    :param factory: the session factory.
    :param store: the store (the monitoring of a profile).
    :param jobs_dir: where each job's files go (``<jobs_dir>/<id>/``).
    """

    def __init__(self, factory: sessionmaker[Session], store: Store, jobs_dir: Path) -> None:
        self.factory = factory
        self.store = store
        self.jobs_dir = jobs_dir
        self.runners: dict[str, Runner] = {"report": _run_report}
        self._queue: queue.Queue[int | None] = queue.Queue()
        self._thread: threading.Thread | None = None

    def recover(self) -> list[int]:
        """Mark jobs left ``running`` as failed; return the ``queued`` ones to run."""
        with session_scope(self.factory) as s:
            s.execute(
                update(Job)
                .where(Job.status == "running")
                .values(status="failed", message=INTERRUPTED, finished_at=utcnow())
            )
            return list(s.scalars(select(Job.id).where(Job.status == "queued").order_by(Job.id)))

    def start(self) -> None:
        """Recover, then start the thread."""
        for job_id in self.recover():
            self._queue.put(job_id)
        self._thread = threading.Thread(target=self._loop, name="pedprof-jobs", daemon=True)
        self._thread.start()

    def stop(self) -> None:
        """Stop after the current job."""
        if self._thread is not None:
            self._queue.put(None)
            self._thread.join(timeout=30)
            self._thread = None

    def submit(self, job_id: int) -> None:
        """Queue a job already stored as ``queued``."""
        self._queue.put(job_id)

    def _loop(self) -> None:
        while True:
            job_id = self._queue.get()
            if job_id is None:
                return
            try:
                self.run(job_id)
            except Exception:  # pragma: no cover - run() records its own failures
                log.exception("job %s", job_id)

    def run(self, job_id: int) -> None:
        """Run one job now, recording its progress and outcome."""
        with session_scope(self.factory) as s:
            job = s.get(Job, job_id)
            if job is None or job.status != "queued":
                return
            job.status, job.started_at, job.progress = "running", utcnow(), 0.0
        runner = self.runners.get(job.kind)

        def progress(fraction: float, message: str) -> None:
            with session_scope(self.factory) as s:
                s.execute(
                    update(Job)
                    .where(Job.id == job_id)
                    .values(progress=max(0.0, min(1.0, fraction)), message=message)
                )

        try:
            if runner is None:
                raise ValueError(f"Неизвестный вид задания «{job.kind}».")
            result = runner(self, job, progress)
        except Exception as exc:
            log.exception("job %s failed", job_id)
            with session_scope(self.factory) as s:
                s.execute(
                    update(Job)
                    .where(Job.id == job_id)
                    .values(
                        status="failed",
                        message=str(exc) or type(exc).__name__,
                        finished_at=utcnow(),
                    )
                )
            return
        with session_scope(self.factory) as s:
            s.execute(
                update(Job)
                .where(Job.id == job_id)
                .values(
                    status="done",
                    progress=1.0,
                    result=result,
                    finished_at=utcnow(),
                    message="Готово.",
                )
            )

    def output_dir(self, job_id: int) -> Path:
        """Where a finished job's files are."""
        return self.jobs_dir / str(job_id)


def _run_report(worker: Worker, job: Job, progress: Callable[[float, str], None]) -> dict[str, Any]:
    """Build the ИАС and write it in the requested formats."""
    params = job.params
    progress(0.1, "Расчёт показателей")
    year = worker.store.monitoring(job.profile_id)
    year.results()
    progress(0.4, "Составление справки")
    final = worker.output_dir(job.id)
    tmp = worker.jobs_dir / f".{job.id}.partial"
    shutil.rmtree(tmp, ignore_errors=True)
    tmp.mkdir(parents=True)
    options: dict[str, Any] = {}
    if params.get("suppress_below") is not None:
        options["suppress_below"] = params["suppress_below"]
    written = year.write_report(
        tmp,
        period=params.get("period"),
        formats=tuple(params.get("formats") or ("docx", "xlsx", "html")),
        charts=bool(params.get("charts", True)),
        **options,
    )
    progress(0.95, "Сохранение файлов")
    shutil.rmtree(final, ignore_errors=True)
    os.replace(tmp, final)
    return {"files": {fmt: Path(p).name for fmt, p in written.items()}}
