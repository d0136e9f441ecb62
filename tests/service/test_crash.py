"""The service killed (SIGKILL) in the middle of an upload or a job: after a restart
nothing half-written is visible and the job is marked failed."""

from __future__ import annotations

import datetime as dt
import socket
import time
from pathlib import Path
from urllib.parse import urlparse

import httpx
from sqlalchemy import func, select

from pedprof.service.config import Settings
from pedprof.service.jobs import INTERRUPTED
from pedprof.service.main import Service
from pedprof.service.models import (
    AcceptedRows,
    Campaign,
    StoredFile,
    SubmissionVersion,
    UploadLink,
    User,
    utcnow,
)
from pedprof.service.security import hash_password, new_token
from tests.service._server import subprocess_server
from tests.service.conftest import PASSWORD, PERIOD


def _seed(data_dir: Path, url: str, forms) -> tuple[str, int]:  # type: ignore[no-untyped-def]
    """A region user, the register, a campaign and a link for o0000 (directly in the store)."""
    from pedprof.service.actors import Actor

    service = Service(Settings(data_dir=data_dir, database_url=url))
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
        s.commit()
    store = service.store
    profile = store.profile("karabash")
    store.put_register(
        profile,
        Actor("user", "region", "region", region_id=forms.region),
        filename="register.xlsx",
        content=forms.register.read_bytes(),
    )
    token, digest = new_token("pl")
    with service.factory() as s:
        c = Campaign(profile_id="karabash", period=PERIOD, created_by="test")
        s.add(c)
        s.flush()
        s.add(
            UploadLink(
                token_hash=digest,
                campaign_id=c.id,
                org_id="o0000",
                municipality_id=forms.municipality_of["o0000"],
                expires_at=utcnow() + dt.timedelta(days=1),
            )
        )
        s.commit()
        campaign_id = c.id
    service.close()
    return token, campaign_id


def _counts(data_dir: Path, url: str) -> tuple[int, int, int]:
    service = Service(Settings(data_dir=data_dir, database_url=url, start_worker=False))
    with service.factory() as s:
        out = (
            s.scalar(select(func.count()).select_from(SubmissionVersion)) or 0,
            s.scalar(select(func.count()).where(StoredFile.uploader.like("link%"))) or 0,
            s.scalar(select(func.count()).select_from(AcceptedRows)) or 0,
        )
    service.close()
    return out


def test_killed_mid_upload_leaves_nothing_half_written(
    database_url: str, tmp_path: Path, forms_dir
) -> None:  # type: ignore[no-untyped-def]
    data_dir = tmp_path / "data"
    token, campaign_id = _seed(data_dir, database_url, forms_dir)
    content = forms_dir.forms["o0000"].read_bytes()
    boundary = "pedprofboundary"
    head = (
        f'--{boundary}\r\nContent-Disposition: form-data; name="file"; filename="o0000.xlsx"\r\n'
        "Content-Type: application/octet-stream\r\n\r\n"
    ).encode()
    body = head + content + f"\r\n--{boundary}--\r\n".encode()
    with subprocess_server(data_dir, database_url) as (base, proc):
        url = urlparse(base)
        sock = socket.create_connection((url.hostname, url.port))
        sock.sendall(
            (
                f"POST /api/v1/campaigns/{campaign_id}/submissions HTTP/1.1\r\n"
                f"Host: {url.hostname}\r\nAuthorization: Bearer {token}\r\n"
                f"Content-Type: multipart/form-data; boundary={boundary}\r\n"
                f"Content-Length: {len(body)}\r\n\r\n"
            ).encode()
            + body[: len(body) // 2]
        )
        time.sleep(0.5)
        proc.kill()
        proc.wait(timeout=30)
        sock.close()
    assert _counts(data_dir, database_url) == (0, 0, 0)
    with subprocess_server(data_dir, database_url) as (base, _):
        r = httpx.post(
            f"{base}/api/v1/campaigns/{campaign_id}/submissions",
            headers={"Authorization": f"Bearer {token}"},
            files={"file": ("o0000.xlsx", content)},
            timeout=120,
        )
        assert r.status_code == 201, r.text
        listed = httpx.get(
            f"{base}/api/v1/campaigns/{campaign_id}/submissions",
            headers={"Authorization": f"Bearer {token}"},
        ).json()
    assert [v["version"] for v in listed] == [1]
    assert _counts(data_dir, database_url)[:2] == (1, 1)


def test_killed_mid_job_marks_it_failed(database_url: str, tmp_path: Path, forms_dir) -> None:  # type: ignore[no-untyped-def]
    data_dir = tmp_path / "data"
    token, campaign_id = _seed(data_dir, database_url, forms_dir)
    with subprocess_server(data_dir, database_url) as (base, proc):
        r = httpx.post(
            f"{base}/api/v1/campaigns/{campaign_id}/submissions",
            headers={"Authorization": f"Bearer {token}"},
            files={"file": ("o0000.xlsx", forms_dir.forms["o0000"].read_bytes())},
            timeout=120,
        )
        assert r.status_code == 201
        login = httpx.post(
            f"{base}/api/v1/auth/login", data={"username": "region", "password": PASSWORD}
        )
        auth = {"Authorization": f"Bearer {login.json()['access_token']}"}
        job = httpx.post(
            f"{base}/api/v1/profiles/karabash/reports",
            headers=auth,
            json={"formats": ["docx", "xlsx", "html"]},
        ).json()
        status = job["status"]
        deadline = time.monotonic() + 120
        while status != "running" and time.monotonic() < deadline:
            status = httpx.get(f"{base}/api/v1/jobs/{job['id']}", headers=auth).json()["status"]
        assert status == "running"
        proc.kill()
        proc.wait(timeout=30)
    with subprocess_server(data_dir, database_url) as (base, _):
        login = httpx.post(
            f"{base}/api/v1/auth/login", data={"username": "region", "password": PASSWORD}
        )
        auth = {"Authorization": f"Bearer {login.json()['access_token']}"}
        after = httpx.get(f"{base}/api/v1/jobs/{job['id']}", headers=auth).json()
        assert after["status"] == "failed" and after["message"] == INTERRUPTED
        assert after["files"] == {}
        for fmt in ("docx", "xlsx", "html"):
            r = httpx.get(f"{base}/api/v1/jobs/{job['id']}/files/{fmt}", headers=auth)
            assert r.status_code == 404
    assert not (data_dir / "jobs" / str(job["id"])).exists()
