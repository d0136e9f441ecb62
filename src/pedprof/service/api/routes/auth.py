"""``/auth``: methodologists sign in with a password and get a session token (also set as
a cookie); sign out revokes it."""

from __future__ import annotations

import datetime as dt
from typing import Annotated

from fastapi import APIRouter, Form, Response
from pydantic import BaseModel

from pedprof.service.api.deps import COOKIE_NAME, CurrentActor, ServiceDep, SessionDep
from pedprof.service.problems import Unauthorized
from pedprof.service.sessions import close_session, open_session

router = APIRouter(prefix="/auth", tags=["auth"])


class TokenOut(BaseModel):
    """A session token (shown once)."""

    access_token: str
    token_type: str = "bearer"
    expires_at: dt.datetime


class Me(BaseModel):
    """Who is signed in."""

    kind: str
    role: str
    name: str
    region_id: str | None = None
    municipality_id: str | None = None
    org_id: str | None = None
    campaign_id: int | None = None


@router.post("/login", response_model=TokenOut, summary="Вход методиста")
def login(
    username: Annotated[str, Form()],
    password: Annotated[str, Form()],
    session: SessionDep,
    service: ServiceDep,
    response: Response,
) -> TokenOut:
    """Check the login and password; answer a bearer token and set the session cookie."""
    opened = open_session(session, username, password, service.settings.session_hours)
    if opened is None:
        raise Unauthorized("Неверное имя пользователя или пароль.")
    token, expires = opened
    response.set_cookie(
        COOKIE_NAME,
        token,
        httponly=True,
        samesite="strict",
        secure=service.settings.public_url.startswith("https"),
        max_age=int(service.settings.session_hours * 3600),
    )
    return TokenOut(access_token=token, expires_at=expires)


@router.post("/logout", status_code=204, summary="Выход")
def logout(actor: CurrentActor, session: SessionDep, response: Response) -> Response:
    """Revoke the session token used (platform tokens and links are revoked by the CLI)."""
    close_session(session, actor)
    response = Response(status_code=204)
    response.delete_cookie(COOKIE_NAME)
    return response


@router.get("/me", response_model=Me, summary="Кто вошёл")
def me(actor: CurrentActor) -> Me:
    """The actor the credentials stand for."""
    return Me(
        kind=actor.kind,
        role=actor.role,
        name=actor.name,
        region_id=actor.region_id,
        municipality_id=actor.municipality_id,
        org_id=actor.org_id,
        campaign_id=actor.campaign_id,
    )
