"""Methodologists' sessions: sign-in with a password, sign-out. One place for the API's
``/auth/login`` and the browser workspace's sign-in page."""

from __future__ import annotations

import datetime as dt

from sqlalchemy import select
from sqlalchemy.orm import Session

from pedprof.service.actors import Actor
from pedprof.service.models import Token, User, utcnow
from pedprof.service.security import new_token, verify_password

__all__ = ["close_session", "open_session"]


def open_session(
    session: Session, login: str, password: str, hours: float
) -> tuple[str, dt.datetime] | None:
    """Check the password and store a new session token (only its hash).

    :returns: the token and when it expires; ``None`` for an unknown login, a disabled
        user or a wrong password (the caller says which in none of these cases).
    """
    user = session.scalars(select(User).where(User.login == login)).first()
    if user is None or not user.active or not verify_password(password, user.password_hash):
        return None
    token, digest = new_token("ps")
    expires = utcnow() + dt.timedelta(hours=hours)
    session.add(
        Token(
            token_hash=digest,
            kind="session",
            name=f"session:{user.login}",
            user_id=user.id,
            role=user.role,
            region_id=user.region_id,
            municipality_id=user.municipality_id,
            expires_at=expires,
        )
    )
    session.commit()
    return token, expires


def close_session(session: Session, actor: Actor) -> None:
    """Revoke the session token ``actor`` signed in with (platform tokens and links are
    revoked by the CLI)."""
    if actor.kind == "user" and actor.token_id is not None:
        row = session.get(Token, actor.token_id)
        if row is not None and row.kind == "session":
            row.revoked_at = utcnow()
            session.commit()
