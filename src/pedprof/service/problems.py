"""Errors as RFC 9457 problem details (``application/problem+json``).

Every answer that is an error carries ``type``, ``title``, ``status``, ``detail`` (the
Russian message) and, for pedprof's exceptions, their structured fields: ``what``,
``where`` (table, row, column, file, sheet), ``expected`` and, for data validation, the
list of ``problems``.
"""

from __future__ import annotations

import logging
from typing import Any

import attrs
from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse
from pydantic import BaseModel
from starlette.exceptions import HTTPException as StarletteHTTPException

from pedprof.errors import DataValidationError, PedprofError

__all__ = [
    "Conflict",
    "Forbidden",
    "NotFound",
    "Problem",
    "ServiceError",
    "TooLarge",
    "Unauthorized",
    "Unprocessable",
    "install_handlers",
    "problem_response",
]

log = logging.getLogger("pedprof.service")

PROBLEM_TYPE = "https://pedprof.readthedocs.io/problems/"


class Problem(BaseModel):
    """An RFC 9457 problem document with pedprof's structured fields."""

    type: str = "about:blank"
    title: str
    status: int
    detail: str
    what: str = ""
    where: dict[str, Any] | None = None
    expected: str = ""
    code: str = ""
    problems: list[dict[str, Any]] | None = None


class ServiceError(PedprofError):
    """An error of the service with its HTTP status and machine code."""

    status = 400
    code = "bad-request"
    title = "Некорректный запрос"


class Unauthorized(ServiceError):
    """No valid credentials."""

    status, code, title = 401, "unauthorized", "Требуется вход"


class Forbidden(ServiceError):
    """Authenticated, but not allowed."""

    status, code, title = 403, "forbidden", "Доступ запрещён"


class NotFound(ServiceError, LookupError):
    """No such thing (or not visible to the actor: the two are not told apart)."""

    status, code, title = 404, "not-found", "Не найдено"


class Conflict(ServiceError):
    """The state does not allow it (a closed campaign, a duplicate)."""

    status, code, title = 409, "conflict", "Конфликт"


class TooLarge(ServiceError):
    """The upload is larger than the limit."""

    status, code, title = 413, "too-large", "Слишком большой файл"


class Unprocessable(ServiceError, ValueError):
    """The request is well-formed but its content cannot be used."""

    status, code, title = 422, "unprocessable", "Данные не приняты"


def problem_response(problem: Problem, headers: dict[str, str] | None = None) -> JSONResponse:
    """The problem as a response with the RFC 9457 media type."""
    return JSONResponse(
        problem.model_dump(exclude_none=True),
        status_code=problem.status,
        media_type="application/problem+json",
        headers=headers,
    )


def from_pedprof_error(exc: PedprofError, status: int, title: str, code: str) -> Problem:
    """The problem document of a pedprof exception."""
    where = {k: v for k, v in attrs.asdict(exc.where).items() if v not in ("", None)}
    problems = None
    if isinstance(exc, DataValidationError):
        problems = [
            {
                "message": p.message,
                "what": p.what,
                "where": {k: v for k, v in attrs.asdict(p.where).items() if v not in ("", None)},
                "expected": p.expected,
                "value": p.value,
                "rule": p.rule,
            }
            for p in exc.problems
        ]
    return Problem(
        type=PROBLEM_TYPE + code,
        title=title,
        status=status,
        detail=exc.message,
        what=exc.what,
        where=where or None,
        expected=exc.expected,
        code=code,
        problems=problems,
    )


_HTTP_TITLES = {
    401: "Требуется вход",
    403: "Доступ запрещён",
    404: "Не найдено",
    405: "Метод не поддерживается",
    406: "Формат не поддерживается",
    413: "Слишком большой запрос",
    415: "Тип содержимого не поддерживается",
}


def install_handlers(app: FastAPI) -> None:
    """Answer every error as problem details."""

    @app.exception_handler(ServiceError)
    async def _service(_: Request, exc: ServiceError) -> JSONResponse:
        headers = {"WWW-Authenticate": "Bearer"} if exc.status == 401 else None
        return problem_response(from_pedprof_error(exc, exc.status, exc.title, exc.code), headers)

    @app.exception_handler(PedprofError)
    async def _pedprof(_: Request, exc: PedprofError) -> JSONResponse:
        if isinstance(exc, LookupError):
            status, code, title = 404, "not-found", "Не найдено"
        else:
            status, code, title = 422, "invalid-data", "Данные не приняты"
        return problem_response(from_pedprof_error(exc, status, title, code))

    @app.exception_handler(RequestValidationError)
    async def _validation(_: Request, exc: RequestValidationError) -> JSONResponse:
        problems = [
            {
                "message": f"{'.'.join(str(x) for x in e.get('loc', ()))}: {e.get('msg', '')}",
                "where": {"column": ".".join(str(x) for x in e.get("loc", ()))},
                "rule": str(e.get("type", "")),
            }
            for e in exc.errors()
        ]
        return problem_response(
            Problem(
                type=PROBLEM_TYPE + "invalid-request",
                title="Некорректный запрос",
                status=422,
                detail="Параметры запроса не соответствуют описанию API.",
                code="invalid-request",
                problems=problems,
            )
        )

    @app.exception_handler(StarletteHTTPException)
    async def _http(_: Request, exc: StarletteHTTPException) -> JSONResponse:
        title = _HTTP_TITLES.get(exc.status_code, "Ошибка запроса")
        detail = exc.detail if isinstance(exc.detail, str) and exc.status_code != 404 else title
        return problem_response(
            Problem(title=title, status=exc.status_code, detail=str(detail), code="http"),
            dict(exc.headers) if exc.headers else None,
        )

    @app.exception_handler(KeyError)
    async def _key(_: Request, exc: KeyError) -> JSONResponse:
        return problem_response(
            Problem(
                title="Не найдено",
                status=404,
                detail=str(exc.args[0]) if exc.args else "Не найдено.",
                code="not-found",
            )
        )

    @app.exception_handler(ValueError)
    async def _value(_: Request, exc: ValueError) -> JSONResponse:
        return problem_response(
            Problem(title="Данные не приняты", status=422, detail=str(exc), code="invalid-data")
        )

    @app.exception_handler(Exception)
    async def _internal(_: Request, exc: Exception) -> JSONResponse:
        log.exception("unhandled error", exc_info=exc)
        return problem_response(
            Problem(
                title="Внутренняя ошибка",
                status=500,
                detail="Внутренняя ошибка сервиса; подробности — в журнале сервера.",
                code="internal",
            )
        )
