"""Typed dependencies: the database session, the store, and who is asking.

Authorisation is declared in a route's signature: ``actor: StaffActor`` admits only
signed-in methodologists, ``ReaderActor`` adds read-only platform tokens, ``UploaderActor``
adds schools' upload links, ``RegionActor`` only regional methodologists. Whatever else a
route needs (which units an actor sees) is decided by :class:`pedprof.service.actors.Actor`.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterator
from typing import TYPE_CHECKING, Annotated

from fastapi import Depends, Path, Request
from fastapi.security import APIKeyCookie, HTTPAuthorizationCredentials, HTTPBearer
from sqlalchemy import select
from sqlalchemy.orm import Session

from pedprof.service.actors import Actor
from pedprof.service.db import aware
from pedprof.service.models import Campaign, Token, UploadLink, User, utcnow
from pedprof.service.problems import Forbidden, Unauthorized
from pedprof.service.security import hash_token
from pedprof.service.store import Store

if TYPE_CHECKING:
    from pedprof.service.main import Service

__all__ = [
    "COOKIE_NAME",
    "CurrentActor",
    "ReaderActor",
    "RegionActor",
    "RowId",
    "ServiceDep",
    "SessionDep",
    "StaffActor",
    "StoreDep",
    "UploaderActor",
    "actor_from_token",
]

COOKIE_NAME = "pedprof_session"

#: A row number in a path: positive, and small enough for every database's integer.
RowId = Annotated[int, Path(ge=1, le=2_147_483_647)]

bearer = HTTPBearer(auto_error=False, description="Токен платформы или сеанса методиста.")
cookie = APIKeyCookie(name=COOKIE_NAME, auto_error=False, description="Сеанс методиста.")


def get_service(request: Request) -> Service:
    """The running service."""
    service: Service = request.app.state.service
    return service


ServiceDep = Annotated["Service", Depends(get_service)]


def get_session(request: Request) -> Iterator[Session]:
    """A database session for the request."""
    with get_service(request).factory() as session:
        yield session


SessionDep = Annotated[Session, Depends(get_session)]


def get_store(request: Request) -> Store:
    """The store."""
    return get_service(request).store


StoreDep = Annotated[Store, Depends(get_store)]


def _expired(expires: dt.datetime | None, now: dt.datetime) -> bool:
    exp = aware(expires)
    return exp is not None and exp <= now


def actor_from_token(session: Session, token: str) -> Actor | None:
    """The actor a bearer token, session token or upload-link token stands for, if it is
    valid (not expired, not revoked, its user active, its campaign open)."""
    digest = hash_token(token)
    now = utcnow()
    row = session.scalars(select(Token).where(Token.token_hash == digest)).first()
    if row is not None:
        if row.revoked_at is not None or _expired(row.expires_at, now):
            return None
        if row.kind == "session":
            user = session.get(User, row.user_id) if row.user_id is not None else None
            if user is None or not user.active:
                return None
            return Actor(
                kind="user",
                role=user.role,
                name=user.login,
                region_id=user.region_id,
                municipality_id=user.municipality_id,
                token_id=row.id,
                user_id=user.id,
            )
        return Actor(
            kind="platform",
            role="platform",
            name=row.name or f"token{row.id}",
            region_id=row.region_id,
            municipality_id=row.municipality_id,
            token_id=row.id,
        )
    link = session.scalars(select(UploadLink).where(UploadLink.token_hash == digest)).first()
    if link is None or link.revoked_at is not None or _expired(link.expires_at, now):
        return None
    campaign = session.get(Campaign, link.campaign_id)
    if campaign is None:
        return None
    return Actor(
        kind="link",
        role="organization",
        name=f"link{link.id}:{link.org_id}",
        municipality_id=link.municipality_id,
        org_id=link.org_id,
        campaign_id=link.campaign_id,
        token_id=link.id,
    )


def current_actor(
    request: Request,
    session: SessionDep,
    credentials: Annotated[HTTPAuthorizationCredentials | None, Depends(bearer)],
    session_cookie: Annotated[str | None, Depends(cookie)],
) -> Actor:
    """Who is asking: a bearer token, else the session cookie.

    :raises Unauthorized: no credentials, or they are not valid.
    """
    token = credentials.credentials if credentials is not None else session_cookie
    if not token:
        raise Unauthorized("Требуется вход: передайте токен в заголовке Authorization: Bearer.")
    actor = actor_from_token(session, token)
    # Give the connection back to the pool: the route's work opens its own sessions.
    session.rollback()
    if actor is None:
        raise Unauthorized("Токен недействителен: срок его действия истёк или он отозван.")
    request.state.actor = actor
    return actor


CurrentActor = Annotated[Actor, Depends(current_actor)]


def require(
    *roles: str, kinds: tuple[str, ...] = ("user", "platform", "link")
) -> Callable[..., Actor]:
    """A dependency admitting only actors of ``roles`` (and ``kinds``)."""

    def dependency(actor: CurrentActor) -> Actor:
        if actor.role not in roles or actor.kind not in kinds:
            raise Forbidden("Недостаточно прав для этого действия.")
        return actor

    return dependency


StaffActor = Annotated[Actor, Depends(require("region", "municipality", kinds=("user",)))]
RegionActor = Annotated[Actor, Depends(require("region", kinds=("user",)))]
ReaderActor = Annotated[
    Actor, Depends(require("region", "municipality", "platform", kinds=("user", "platform")))
]
UploaderActor = Annotated[
    Actor, Depends(require("region", "municipality", "organization", kinds=("user", "link")))
]
