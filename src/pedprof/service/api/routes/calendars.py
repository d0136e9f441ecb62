"""The calendar as JSON and as an .ics feed (the token may be in the URL, as calendar
clients cannot send headers)."""

from __future__ import annotations

import datetime as dt
from typing import Annotated, Any

from fastapi import APIRouter, Query
from fastapi.responses import Response

from pedprof.cycle.calendar import calendar_ics
from pedprof.service.actors import Actor
from pedprof.service.api.common import MEDIA
from pedprof.service.api.deps import ReaderActor, SessionDep, StoreDep, actor_from_token
from pedprof.service.problems import Unauthorized
from pedprof.service.store import frame_records

router = APIRouter(prefix="/profiles/{profile_id}", tags=["calendar"])


@router.get("/calendar", summary="Календарь")
def calendar(
    profile_id: str,
    actor: ReaderActor,
    store: StoreDep,
    year: Annotated[int | None, Query(ge=2000, le=2100)] = None,
) -> dict[str, Any]:
    """What is due when and by whom in a calendar year, with roadmap statuses."""
    m = store.monitoring(profile_id)
    y = year or dt.date.today().year
    return {"year": y, "rows": frame_records(m.calendar(y))}


@router.get(
    "/calendar.ics",
    summary="Календарь (.ics)",
    response_class=Response,
    responses={200: {"content": {MEDIA["ics"]: {}}}},
)
def calendar_feed(
    profile_id: str,
    store: StoreDep,
    session: SessionDep,
    year: Annotated[int | None, Query(ge=2000, le=2100)] = None,
    token: Annotated[str | None, Query(max_length=200, description="Токен для подписки")] = None,
) -> Response:
    """The calendar as iCalendar for subscription; the token is given in the address."""
    actor: Actor | None = actor_from_token(session, token) if token else None
    if actor is None or actor.role == "organization":
        raise Unauthorized("Токен недействителен: срок его действия истёк или он отозван.")
    m = store.monitoring(profile_id)
    y = year or dt.date.today().year
    p = m.profile
    body = calendar_ics(m.calendar(y), profile_id=p.id, name=f"{p.title} — {p.info.territory}")
    return Response(body, media_type=MEDIA["ics"])
