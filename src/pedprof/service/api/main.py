"""The API router: one router per resource, under ``/api/v1``."""

from __future__ import annotations

from fastapi import APIRouter

from pedprof.service.api.routes import (
    auth,
    calendars,
    campaigns,
    compute,
    cycle,
    health,
    profiles,
    reports,
    results,
    submissions,
)

__all__ = ["api_router"]

api_router = APIRouter()
for module in (
    health,
    auth,
    profiles,
    campaigns,
    submissions,
    results,
    reports,
    calendars,
    cycle,
    compute,
):
    api_router.include_router(module.router)
