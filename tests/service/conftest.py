"""Fixtures of the service tests: a fresh store per test on SQLite, and on PostgreSQL when
``PEDPROF_TEST_POSTGRESQL_URL`` is set (a fresh database per test, dropped afterwards).

Without that variable the PostgreSQL variants skip with a message; with
``PEDPROF_REQUIRE_SERVICES=1`` the skip becomes a failure (CI).
"""

from __future__ import annotations

import os
import uuid
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import create_engine, text
from sqlalchemy.engine import make_url

from pedprof.service import Settings, create_app
from pedprof.service._synthetic import Forms, scaled_forms
from pedprof.service.models import Campaign, Token, UploadLink, User, utcnow
from pedprof.service.security import hash_password, new_token

PG_ENV = "PEDPROF_TEST_POSTGRESQL_URL"
REQUIRE_ENV = "PEDPROF_REQUIRE_SERVICES"
PASSWORD = "correct horse battery"
PERIOD = "2023-2024"


def _pg_url() -> str | None:
    url = os.environ.get(PG_ENV)
    if url:
        return url
    message = (
        f"PostgreSQL tests skipped: set {PG_ENV}=postgresql://user@127.0.0.1:5432/db to run "
        "them against a real server."
    )
    if os.environ.get(REQUIRE_ENV) == "1":
        pytest.fail(message + f" ({REQUIRE_ENV}=1 makes this a failure.)")
    pytest.skip(message)
    return None


def _psycopg(url: str) -> str:
    from pedprof.service.config import normalize_database_url

    return normalize_database_url(url)


@pytest.fixture
def pg_database() -> Iterator[str]:
    """A fresh PostgreSQL database for one test (dropped afterwards)."""
    base = _pg_url()
    assert base is not None
    admin = create_engine(_psycopg(base), isolation_level="AUTOCOMMIT")
    name = f"pedprof_test_{uuid.uuid4().hex[:12]}"
    with admin.connect() as c:
        c.execute(text(f'CREATE DATABASE "{name}"'))
    url = make_url(_psycopg(base)).set(database=name).render_as_string(hide_password=False)
    try:
        yield url
    finally:
        with admin.connect() as c:
            c.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
        admin.dispose()


@pytest.fixture(params=["sqlite", "postgresql"])
def database_url(request: pytest.FixtureRequest, tmp_path: Path) -> str:
    """The store's URL: a SQLite file, or a fresh PostgreSQL database."""
    if request.param == "sqlite":
        return f"sqlite:///{tmp_path / 'store.sqlite3'}"
    return str(request.getfixturevalue("pg_database"))


@pytest.fixture(scope="session")
def forms_dir(tmp_path_factory: pytest.TempPathFactory) -> Forms:
    """A register of 60 organisations in 2 municipalities, with a form for each."""
    return scaled_forms(
        tmp_path_factory.mktemp("forms"), n_orgs=60, n_municipalities=2, period=PERIOD
    )


class World:
    """A service with a region methodologist, one per municipality, a platform token, the
    register uploaded, a campaign open, and helpers to make links."""

    def __init__(self, client: TestClient, forms: Forms) -> None:
        self.client = client
        self.forms = forms
        self.service = client.app.state.service  # type: ignore[attr-defined]
        with self.service.factory() as s:
            for login, role, unit in (
                ("region", "region", forms.region),
                ("m000", "municipality", "m000"),
                ("m001", "municipality", "m001"),
            ):
                s.add(
                    User(
                        login=login,
                        password_hash=hash_password(PASSWORD),
                        role=role,
                        region_id=unit if role == "region" else None,
                        municipality_id=unit if role == "municipality" else None,
                        active=True,
                    )
                )
            s.commit()
        self.tokens = {login: self.login(login) for login in ("region", "m000", "m001")}
        self.platform = self.make_token(region_id=forms.region)
        r = self.client.put(
            "/api/v1/profiles/karabash/register",
            headers=self.auth("region"),
            files={"file": ("register.xlsx", forms.register.read_bytes())},
        )
        assert r.status_code == 200, r.text
        r = self.client.post(
            "/api/v1/campaigns",
            headers=self.auth("region"),
            json={"profile_id": "karabash", "period": PERIOD},
        )
        assert r.status_code == 201, r.text
        self.campaign_id = int(r.json()["id"])

    def login(self, login: str) -> str:
        r = self.client.post("/api/v1/auth/login", data={"username": login, "password": PASSWORD})
        assert r.status_code == 200, r.text
        self.client.cookies.clear()
        return str(r.json()["access_token"])

    def auth(self, who: str) -> dict[str, str]:
        token = self.tokens.get(who, who)
        return {"Authorization": f"Bearer {token}"}

    def make_token(self, **scope: Any) -> str:
        token, digest = new_token("pt")
        with self.service.factory() as s:
            s.add(Token(token_hash=digest, kind="platform", name="test", role="platform", **scope))
            s.commit()
        return token

    def link(self, org: str, campaign_id: int | None = None) -> str:
        r = self.client.post(
            f"/api/v1/campaigns/{campaign_id or self.campaign_id}/links",
            headers=self.auth("region"),
            json={"org_id": org},
        )
        assert r.status_code == 201, r.text
        return str(r.json()["token"])

    def upload(self, token: str, org: str, *, content: bytes | None = None) -> Any:
        data = content if content is not None else self.forms.forms[org].read_bytes()
        return self.client.post(
            f"/api/v1/campaigns/{self.campaign_id}/submissions",
            headers={"Authorization": f"Bearer {token}"},
            files={"file": (f"{org}.xlsx", data)},
        )


@pytest.fixture
def settings(database_url: str, tmp_path: Path) -> Settings:
    return Settings(data_dir=tmp_path / "data", database_url=database_url, max_upload_bytes=2 << 20)


@pytest.fixture
def world(settings: Settings, forms_dir: Forms) -> Iterator[World]:
    app = create_app(settings)
    with TestClient(app) as client:
        yield World(client, forms_dir)


__all__ = [
    "PASSWORD",
    "PERIOD",
    "Campaign",
    "UploadLink",
    "World",
    "utcnow",
]
