"""The ASGI application: :func:`create_app`.

``create_app(settings)`` opens the store, runs the migrations, marks interrupted jobs
failed, starts the job worker and mounts the API under ``/api/v1``. The health endpoint
(``/api/v1/health``) and the OpenAPI document (``/api/v1/openapi.json``, the docs page
``/api/v1/docs``) need no authentication; everything else does.
"""

from __future__ import annotations

import logging
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from pathlib import Path
from typing import Any

from fastapi import FastAPI
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from pedprof.service.config import Settings
from pedprof.service.db import make_engine, sessionmaker_for, upgrade
from pedprof.service.jobs import Worker
from pedprof.service.problems import Problem, install_handlers, problem_response
from pedprof.service.store import Store

__all__ = ["API_PREFIX", "Service", "create_app", "openapi_document"]

API_PREFIX = "/api/v1"

log = logging.getLogger("pedprof.service")


class Service:
    """What a running service holds: settings, engine, sessions, store, worker."""

    def __init__(self, settings: Settings) -> None:
        self.settings = settings
        settings.data_dir.mkdir(parents=True, exist_ok=True)
        self.engine = make_engine(settings.database_url)
        upgrade(self.engine)
        self.factory = sessionmaker_for(self.engine)
        self.store = Store(
            self.factory,
            max_upload_bytes=settings.max_upload_bytes,
            tmp_dir=settings.data_dir / "tmp",
        )
        self.worker = Worker(self.factory, self.store, settings.data_dir / "jobs")

    def start(self) -> None:
        """Recover interrupted jobs and start the worker (unless turned off)."""
        if self.settings.start_worker:
            self.worker.start()
        else:
            self.worker.recover()

    def close(self) -> None:
        """Stop the worker and close the engine's connections."""
        self.worker.stop()
        self.engine.dispose()


class BodyLimit:
    """Refuse request bodies larger than the upload limit (with room for the multipart
    envelope) while they arrive, before they are read whole."""

    def __init__(self, app: ASGIApp, limit: int) -> None:
        self.app = app
        self.limit = limit + 256 * 1024

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        headers = dict(scope.get("headers") or [])
        length = headers.get(b"content-length")
        if length is not None and length.isdigit() and int(length) > self.limit:
            await self._refuse(scope, receive, send)
            return
        seen = 0

        async def limited() -> Message:
            nonlocal seen
            message = await receive()
            if message["type"] == "http.request":
                seen += len(message.get("body", b""))
                if seen > self.limit:
                    raise _TooLargeBody
            return message

        try:
            await self.app(scope, limited, send)
        except _TooLargeBody:
            await self._refuse(scope, receive, send)

    async def _refuse(self, scope: Scope, receive: Receive, send: Send) -> None:
        mb = (self.limit - 256 * 1024) / 2**20
        response = problem_response(
            Problem(
                title="Слишком большой файл",
                status=413,
                detail=f"Файл больше допустимого размера ({mb:.0f} МБ).",
                code="too-large",
            )
        )
        await response(scope, receive, send)


class _TooLargeBody(Exception):
    pass


def _application(settings: Settings, lifespan: Any = None) -> FastAPI:
    from pedprof import __version__
    from pedprof.service.api.main import api_router

    app = FastAPI(
        title="pedprof",
        version=__version__,
        description=(
            "API системы обеспечения профессионального развития педагогических работников: "
            "профили, формы, приём сведений, показатели, анализ, рейтинг, рекомендации, "
            "справки, календарь, меры и дорожные карты. Ошибки — в формате RFC 9457 "
            "(application/problem+json)."
        ),
        openapi_url=f"{API_PREFIX}/openapi.json",
        docs_url=f"{API_PREFIX}/docs",
        redoc_url=None,
        lifespan=lifespan,
        responses={
            401: {"model": Problem, "description": "Требуется вход"},
            403: {"model": Problem, "description": "Доступ запрещён"},
            422: {"model": Problem, "description": "Данные не приняты"},
        },
    )
    install_handlers(app)
    app.include_router(api_router, prefix=API_PREFIX)
    from pedprof.service.pages import install_pages

    install_pages(app)
    app.add_middleware(BodyLimit, limit=settings.max_upload_bytes)
    return app


def create_app(settings: Settings | None = None) -> FastAPI:
    """The service's ASGI application: opens the store and runs the migrations.

    :param settings: default: :meth:`Settings.from_env`.
    """
    settings = settings or Settings.from_env()
    service = Service(settings)

    @asynccontextmanager
    async def lifespan(_: FastAPI) -> AsyncIterator[None]:
        service.start()
        try:
            yield
        finally:
            service.close()

    app = _application(settings, lifespan)
    app.state.service = service
    return app


def openapi_document() -> dict[str, Any]:
    """The OpenAPI document of the API, without opening a store (for the docs)."""
    return _application(Settings(data_dir=Path("."))).openapi()


def problem_responses(*codes: int) -> dict[int | str, dict[str, Any]]:
    """OpenAPI ``responses`` for problem answers."""
    return {c: {"model": Problem, "content": {"application/problem+json": {}}} for c in codes}
