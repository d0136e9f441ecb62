"""Sign-in by cookie and CSRF tokens for the pages.

What the service does not offer as a function yet (and should: see the report): opening a
session for a user (the API's ``/auth/login`` does it inline), and a calendar-subscription
token for a signed-in methodologist.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import hmac
import secrets

from fastapi import Request
from sqlalchemy.orm import Session

from pedprof.service.actors import Actor
from pedprof.service.api.deps import COOKIE_NAME, actor_from_token
from pedprof.service.models import Token, utcnow
from pedprof.service.security import new_token

__all__ = [
    "LOGIN_CSRF_COOKIE",
    "csrf_for",
    "csrf_ok",
    "page_actor",
    "subscription_token",
]

#: The cookie of the sign-in form's CSRF token (double submit: no session exists yet).
LOGIN_CSRF_COOKIE = "pedprof_login_csrf"


def csrf_for(secret: str) -> str:
    """The CSRF token of a session (or a school's link): an HMAC of its secret token, so
    it is per session, unguessable without the cookie, and needs no storage."""
    return hmac.new(secret.encode("utf-8"), b"pedprof-csrf", hashlib.sha256).hexdigest()


def csrf_ok(secret: str | None, given: str | None) -> bool:
    """Whether ``given`` is the CSRF token of ``secret``."""
    if not secret or not given:
        return False
    return hmac.compare_digest(csrf_for(secret), given)


def new_login_csrf() -> str:
    """A random token for the sign-in form."""
    return secrets.token_urlsafe(24)


def page_actor(request: Request, session: Session) -> tuple[Actor, str] | None:
    """The signed-in methodologist (from the session cookie) and the cookie's token; a
    school's link or a platform token never sign in to the pages."""
    token = request.cookies.get(COOKIE_NAME)
    if not token:
        return None
    actor = actor_from_token(session, token)
    session.rollback()
    if actor is None or not actor.is_staff:
        return None
    return actor, token


def subscription_token(session: Session, actor: Actor, days: int = 365) -> str:
    """A read-only platform token with the methodologist's scope, for a calendar client's
    subscription (revocable with ``pedprof tokens``)."""
    token, digest = new_token("pt")
    session.add(
        Token(
            token_hash=digest,
            kind="platform",
            name=f"calendar:{actor.name}",
            role="platform",
            region_id=actor.region_id,
            municipality_id=actor.municipality_id,
            expires_at=utcnow() + dt.timedelta(days=days),
        )
    )
    session.commit()
    return token
