"""Authentication over HTTP: what needs credentials, and which credentials are refused."""

from __future__ import annotations

import datetime as dt
import re

from sqlalchemy import func, select, update

from pedprof.service.models import Token, UploadLink, User, utcnow
from pedprof.service.security import hash_token, new_token
from tests.service.conftest import PASSWORD, World

OPEN = {"/api/v1/health", "/api/v1/auth/login"}


def _concrete(path: str) -> str:
    return re.sub(
        r"\{(\w+)\}",
        lambda m: (
            "1"
            if m.group(1).endswith("_id") and m.group(1) != "profile_id"
            else ("docx" if m.group(1) == "fmt" else "karabash")
        ),
        path,
    )


def test_every_endpoint_requires_authentication(world: World) -> None:
    # FastAPI nests included routers, so the routes are enumerated from the OpenAPI
    # document, which lists every route the app serves.
    doc = world.client.get("/api/v1/openapi.json").json()
    checked = 0
    for path, operations in doc["paths"].items():
        if path in OPEN:
            continue
        for method in operations:
            url = _concrete(path)
            for headers in ({}, {"Authorization": "Bearer pt_not-a-real-token"}):
                r = world.client.request(method.upper(), url, headers=headers)
                assert r.status_code == 401, (method, url, headers, r.status_code, r.text)
                assert r.headers["content-type"].startswith("application/problem+json")
            checked += 1
    assert checked >= 35
    # the calendar feed takes its token in the address
    r = world.client.get("/api/v1/profiles/karabash/calendar.ics", params={"token": "nope"})
    assert r.status_code == 401


def test_health_and_openapi_are_open(world: World) -> None:
    assert world.client.get("/api/v1/health").json()["status"] == "ok"
    doc = world.client.get("/api/v1/openapi.json").json()
    assert "/api/v1/campaigns/{campaign_id}/submissions" in doc["paths"]


def test_no_default_password(world: World) -> None:
    with world.service.factory() as s:
        logins = set(s.scalars(select(User.login)))
    assert logins == {"region", "m000", "m001"}  # only those the test added
    for user, password in (("admin", "admin"), ("region", "region"), ("region", "admin")):
        r = world.client.post("/api/v1/auth/login", data={"username": user, "password": password})
        assert r.status_code == 401


def test_passwords_and_tokens_are_stored_as_hashes(world: World) -> None:
    with world.service.factory() as s:
        hashes = list(s.scalars(select(User.password_hash)))
        tokens = list(s.scalars(select(Token.token_hash)))
    assert all(h.startswith("$argon2id$") and PASSWORD not in h for h in hashes)
    assert hash_token(world.tokens["region"]) in tokens
    assert world.tokens["region"] not in tokens


def test_session_cookie_signs_in_and_logout_revokes(world: World) -> None:
    r = world.client.post("/api/v1/auth/login", data={"username": "m000", "password": PASSWORD})
    assert "pedprof_session" in r.cookies
    me = world.client.get("/api/v1/auth/me")
    assert me.status_code == 200 and me.json()["municipality_id"] == "m000"
    assert world.client.post("/api/v1/auth/logout").status_code == 204
    token = r.json()["access_token"]
    world.client.cookies.clear()
    r = world.client.get("/api/v1/auth/me", headers={"Authorization": f"Bearer {token}"})
    assert r.status_code == 401


def test_expired_and_revoked_tokens_are_refused(world: World) -> None:
    past = utcnow() - dt.timedelta(seconds=1)
    expired, digest = new_token("pt")
    with world.service.factory() as s:
        s.add(
            Token(
                token_hash=digest,
                kind="platform",
                name="old",
                role="platform",
                region_id=world.forms.region,
                expires_at=past,
            )
        )
        s.commit()
    ok = world.client.get("/api/v1/profiles/karabash/results", headers=world.auth(world.platform))
    assert ok.status_code == 200
    assert world.client.get("/api/v1/auth/me", headers=world.auth(expired)).status_code == 401
    with world.service.factory() as s:
        s.execute(
            update(Token)
            .where(Token.token_hash == hash_token(world.platform))
            .values(revoked_at=utcnow())
        )
        s.commit()
    r = world.client.get("/api/v1/profiles/karabash/results", headers=world.auth(world.platform))
    assert r.status_code == 401
    assert r.json()["detail"].startswith("Токен недействителен")


def test_expired_and_revoked_links_are_refused(world: World) -> None:
    link = world.link("o0002")
    assert world.client.get("/api/v1/auth/me", headers=world.auth(link)).json()["org_id"] == "o0002"
    with world.service.factory() as s:
        row = s.scalars(select(UploadLink).where(UploadLink.token_hash == hash_token(link))).one()
        link_id = row.id
        row.expires_at = utcnow() - dt.timedelta(minutes=1)
        s.commit()
    assert world.upload(link, "o0002").status_code == 401
    fresh = world.link("o0003")
    with world.service.factory() as s:
        fresh_id = s.scalars(
            select(UploadLink.id).where(UploadLink.token_hash == hash_token(fresh))
        ).one()
    assert fresh_id != link_id
    r = world.client.delete(f"/api/v1/links/{fresh_id}", headers=world.auth("region"))
    assert r.status_code == 204
    assert world.upload(fresh, "o0003").status_code == 401
    with world.service.factory() as s:
        assert s.scalar(select(func.count()).select_from(UploadLink)) == 2


def test_removed_user_sessions_end(world: World) -> None:
    token = world.tokens["m001"]
    assert world.client.get("/api/v1/auth/me", headers=world.auth(token)).status_code == 200
    with world.service.factory() as s:
        s.execute(update(User).where(User.login == "m001").values(active=False))
        s.commit()
    assert world.client.get("/api/v1/auth/me", headers=world.auth(token)).status_code == 401
