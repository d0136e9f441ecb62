"""Fixtures of the workspace tests: a live service on a random port with the Karabash
sample scaled to a few schools, and the system Chromium through Playwright.

Without Chromium (``/usr/bin/chromium`` or ``PEDPROF_CHROMIUM``) the browser tests skip
with a message; with ``PEDPROF_REQUIRE_BROWSER=1`` the skip becomes a failure (CI).
Screenshots go to ``PEDPROF_SCREENSHOTS`` if set, else to the test's ``tmp_path``.
"""

from __future__ import annotations

import os
import shutil
import threading
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import httpx
import pytest
import uvicorn

from pedprof.service import Settings, create_app
from pedprof.service._synthetic import Forms, scaled_forms
from pedprof.service.models import User
from pedprof.service.security import hash_password
from tests.service._server import free_port, wait_up

REQUIRE_ENV = "PEDPROF_REQUIRE_BROWSER"
CHROMIUM_ENV = "PEDPROF_CHROMIUM"
SHOTS_ENV = "PEDPROF_SCREENSHOTS"
PASSWORD = "методист-пароль-2024"
PERIOD = "2023-2024"
CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]


def chromium_path() -> str | None:
    """The system Chromium, if installed."""
    given = os.environ.get(CHROMIUM_ENV)
    for candidate in (given, "/usr/bin/chromium", shutil.which("chromium")):
        if candidate and Path(candidate).is_file():
            return candidate
    return None


def _no_browser(reason: str) -> None:
    message = (
        f"Browser tests skipped: {reason} Install it with `apt-get install chromium` "
        f"(Debian) or set {CHROMIUM_ENV}=/path/to/chromium."
    )
    if os.environ.get(REQUIRE_ENV) == "1":
        pytest.fail(message + f" ({REQUIRE_ENV}=1 makes this a failure.)")
    pytest.skip(message)


@pytest.fixture(scope="module")
def browser() -> Iterator[Any]:
    """The system Chromium, headless."""
    path = chromium_path()
    if path is None:
        _no_browser("no Chromium found at /usr/bin/chromium.")
    try:
        from playwright.sync_api import sync_playwright
    except ImportError:  # pragma: no cover - playwright is a locked dependency
        _no_browser("the playwright package is not installed.")
        raise
    with sync_playwright() as p:
        b = p.chromium.launch(executable_path=path, args=CHROMIUM_ARGS, headless=True)
        try:
            yield b
        finally:
            b.close()


@pytest.fixture
def shots(tmp_path: Path) -> Path:
    """Where screenshots are saved."""
    folder = Path(os.environ.get(SHOTS_ENV) or tmp_path / "screenshots")
    folder.mkdir(parents=True, exist_ok=True)
    return folder


class Live:
    """A running service with a register of four schools in one municipality, a region
    methodologist (``region``) and a municipal one (``m000``), and the campaign open."""

    def __init__(self, base: str, app: Any, forms: Forms, campaign_id: int) -> None:
        self.base = base
        self.app = app
        self.forms = forms
        self.campaign_id = campaign_id

    def url(self, path: str) -> str:
        return self.base + path


@pytest.fixture
def live(tmp_path: Path) -> Iterator[Live]:
    """The service under uvicorn on 127.0.0.1 and a random port, SQLite in ``tmp_path``."""
    forms = scaled_forms(tmp_path / "forms", n_orgs=4, n_municipalities=1, period=PERIOD)
    settings = Settings(
        data_dir=tmp_path / "data", database_url=f"sqlite:///{tmp_path / 'store.sqlite3'}"
    )
    app = create_app(settings)
    service = app.state.service
    with service.factory() as s:
        s.add(
            User(
                login="region",
                password_hash=hash_password(PASSWORD),
                role="region",
                region_id=forms.region,
                active=True,
            )
        )
        s.add(
            User(
                login="m000",
                password_hash=hash_password(PASSWORD),
                role="municipality",
                municipality_id="m000",
                active=True,
            )
        )
        s.commit()
    port = free_port()
    server = uvicorn.Server(uvicorn.Config(app, host="127.0.0.1", port=port, log_level="warning"))
    thread = threading.Thread(target=server.run, daemon=True)
    thread.start()
    base = f"http://127.0.0.1:{port}"
    try:
        wait_up(base)
        with httpx.Client(base_url=base, timeout=60) as c:
            r = c.post("/api/v1/auth/login", data={"username": "region", "password": PASSWORD})
            assert r.status_code == 200, r.text
            auth = {"Authorization": f"Bearer {r.json()['access_token']}"}
            r = c.put(
                "/api/v1/profiles/karabash/register",
                headers=auth,
                files={"file": ("register.xlsx", forms.register.read_bytes())},
            )
            assert r.status_code == 200, r.text
            r = c.post(
                "/api/v1/campaigns", headers=auth, json={"profile_id": "karabash", "period": PERIOD}
            )
            assert r.status_code == 201, r.text
            campaign_id = int(r.json()["id"])
        yield Live(base, app, forms, campaign_id)
    finally:
        server.should_exit = True
        thread.join(timeout=30)
