"""``/health``: is the service up, and at which schema revision (no authentication)."""

from __future__ import annotations

from fastapi import APIRouter
from pydantic import BaseModel

from pedprof.service.api.deps import ServiceDep
from pedprof.service.db import current_revision

router = APIRouter(tags=["health"])


class Health(BaseModel):
    """The service's state."""

    status: str
    version: str
    schema_revision: str | None


@router.get("/health", response_model=Health, summary="Состояние службы")
def health(service: ServiceDep) -> Health:
    """The service answers and its store is reachable."""
    from pedprof import __version__

    return Health(
        status="ok", version=__version__, schema_revision=current_revision(service.engine)
    )
