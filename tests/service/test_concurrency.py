"""Nothing lost under load: concurrent uploads over a real HTTP server."""

from __future__ import annotations

import threading
from concurrent.futures import ThreadPoolExecutor

import httpx
from fastapi.testclient import TestClient
from sqlalchemy import func, select

from pedprof.service import Settings, create_app
from pedprof.service.models import AcceptedRows, StoredFile, SubmissionVersion
from tests.service._server import threaded_server
from tests.service.conftest import World


def _world(settings: Settings, forms: object) -> World:
    # users, register, campaign and links are set up in-process; uploads go over HTTP
    client = TestClient(create_app(settings))
    return World(client, forms)  # type: ignore[arg-type]


def test_fifty_concurrent_uploads_from_different_schools(settings, forms_dir) -> None:  # type: ignore[no-untyped-def]
    world = _world(settings, forms_dir)
    orgs = [f"o{i:04d}" for i in range(50)]
    links = {org: world.link(org) for org in orgs}
    with threaded_server(settings) as base:

        def upload(org: str) -> httpx.Response:
            with httpx.Client(base_url=base, timeout=120) as c:
                return c.post(
                    f"/api/v1/campaigns/{world.campaign_id}/submissions",
                    headers={"Authorization": f"Bearer {links[org]}"},
                    files={"file": (f"{org}.xlsx", forms_dir.forms[org].read_bytes())},
                )

        with ThreadPoolExecutor(max_workers=16) as pool:
            answers = list(pool.map(upload, orgs))
        assert [a.status_code for a in answers] == [201] * 50, [
            a.text for a in answers if a.status_code != 201
        ]
        assert sorted(a.json()["unit_id"] for a in answers) == orgs
        with httpx.Client(base_url=base, timeout=120) as c:
            register = c.get(
                f"/api/v1/campaigns/{world.campaign_id}/register",
                headers={"Authorization": f"Bearer {world.tokens['region']}"},
            ).json()["rows"]
    expected_rows = sum(sum(forms_dir.rows[o].values()) for o in orgs)
    submitted = {r["unit_id"]: r for r in register if r["files"]}
    assert set(submitted) == set(orgs)
    assert sum(r["rows_accepted"] for r in submitted.values()) == expected_rows
    with world.service.factory() as s:
        assert s.scalar(select(func.count()).select_from(SubmissionVersion)) == 50
        assert s.scalar(select(func.count()).where(StoredFile.uploader.like("link%"))) == 50
        assert s.scalar(select(func.sum(AcceptedRows.n_rows))) == expected_rows
    world.client.close()


def test_racing_reuploads_from_one_school_keep_both_versions(settings, forms_dir) -> None:  # type: ignore[no-untyped-def]
    world = _world(settings, forms_dir)
    link = world.link("o0020")
    # the same workbook sent twice at once (a double click): two receipts, two versions
    contents = [forms_dir.forms["o0020"].read_bytes()] * 2
    barrier = threading.Barrier(2)
    with threaded_server(settings) as base:

        def upload(content: bytes) -> httpx.Response:
            with httpx.Client(base_url=base, timeout=120) as c:
                barrier.wait()
                return c.post(
                    f"/api/v1/campaigns/{world.campaign_id}/submissions",
                    headers={"Authorization": f"Bearer {link}"},
                    files={"file": ("o0020.xlsx", content)},
                )

        with ThreadPoolExecutor(max_workers=2) as pool:
            answers = list(pool.map(upload, contents))
        assert [a.status_code for a in answers] == [201, 201]
        with httpx.Client(base_url=base, timeout=60) as c:
            listed = c.get(
                f"/api/v1/campaigns/{world.campaign_id}/submissions",
                headers={"Authorization": f"Bearer {link}"},
            ).json()
    assert [v["version"] for v in listed] == [1, 2]
    assert [v["current"] for v in listed] == [False, True]
    # the winner is the later receipt
    received = sorted((v["received_at"], v["id"]) for v in listed)
    assert listed[-1]["id"] == received[-1][1]
    assert {v["id"] for v in listed} == {a.json()["id"] for a in answers}
    world.client.close()
