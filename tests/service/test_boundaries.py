"""Who may see what, over HTTP: a school's link, a municipality, a platform token."""

from __future__ import annotations

from sqlalchemy import func, select

from pedprof.service.models import StoredFile, SubmissionVersion
from tests.service.conftest import World

# o0000, o0002 … are in municipality m000; o0001, o0003 … in m001 (see scaled_forms).


def _uploaded(world: World, org: str) -> tuple[str, int]:
    link = world.link(org)
    r = world.upload(link, org)
    assert r.status_code == 201, r.text
    return link, int(r.json()["id"])


def test_a_schools_link_reads_nothing_of_another_school_nor_any_result(world: World) -> None:
    link_a, own = _uploaded(world, "o0000")
    _, other = _uploaded(world, "o0002")
    a = world.auth(link_a)
    c = world.campaign_id
    # its own: status, errors, rows, form
    assert world.client.get(f"/api/v1/submissions/{own}", headers=a).status_code == 200
    assert world.client.get(f"/api/v1/submissions/{own}/errors", headers=a).status_code == 200
    rows = world.client.get(f"/api/v1/submissions/{own}/rows", headers=a).json()
    assert len(rows["tables"]["staff"]) == world.forms.rows["o0000"]["staff"]
    listed = world.client.get(f"/api/v1/campaigns/{c}/submissions", headers=a).json()
    assert [v["unit_id"] for v in listed] == ["o0000"]
    form = world.client.get(
        "/api/v1/profiles/karabash/form", headers=a, params={"unit_id": "o0002"}
    )
    assert form.status_code == 200  # always its own organisation's form, whatever is asked
    # another school's anything
    for path in ("", "/errors", "/rows", "/file"):
        r = world.client.get(f"/api/v1/submissions/{other}{path}", headers=a)
        assert r.status_code == 404, (path, r.text)
        assert "o0002" not in r.text
    # any result, declaration, register, report, calendar, measures
    for method, path in (
        ("GET", "/api/v1/profiles/karabash/results"),
        ("GET", "/api/v1/profiles/karabash/analysis"),
        ("GET", "/api/v1/profiles/karabash/rating"),
        ("GET", "/api/v1/profiles/karabash/recommendations"),
        ("GET", "/api/v1/profiles/karabash/indicators"),
        ("GET", "/api/v1/profiles/karabash/register"),
        ("GET", f"/api/v1/campaigns/{c}/register"),
        ("GET", f"/api/v1/campaigns/{c}/links"),
        ("GET", "/api/v1/profiles/karabash/calendar"),
        ("GET", "/api/v1/profiles/karabash/measures"),
        ("POST", "/api/v1/profiles/karabash/reports"),
        ("GET", "/api/v1/jobs/1"),
    ):
        r = world.client.request(method, path, headers=a, json={} if method == "POST" else None)
        assert r.status_code == 403, (path, r.status_code, r.text)
    r = world.client.get("/api/v1/profiles/karabash/calendar.ics", params={"token": link_a})
    assert r.status_code == 401


def test_a_schools_link_cannot_upload_for_another_school(world: World) -> None:
    link_a = world.link("o0000")
    with world.service.factory() as s:
        before = s.scalar(select(func.count()).select_from(SubmissionVersion))
    r = world.upload(link_a, "o0002")  # the other school's filled form
    assert r.status_code == 403
    assert r.headers["content-type"].startswith("application/problem+json")
    assert "другой организации" in r.json()["detail"]
    assert r.json()["expected"] == "o0000"
    with world.service.factory() as s:
        assert s.scalar(select(func.count()).select_from(SubmissionVersion)) == before
        from_links = select(func.count()).where(StoredFile.uploader.like("link%"))
        assert s.scalar(from_links) == 0


def test_a_municipality_cannot_see_another(world: World) -> None:
    _uploaded(world, "o0000")
    _, other = _uploaded(world, "o0001")  # m001
    m0 = world.auth("m000")
    res = world.client.get("/api/v1/profiles/karabash/results", headers=m0).json()["rows"]
    seen = {(r["level"], r["unit"]) for r in res}
    assert ("organization", "o0000") in seen and ("municipality", "m000") in seen
    assert not {u for lv, u in seen if u in ("o0001", "m001")}
    assert "region" not in {lv for lv, _ in seen}
    # the region sees both municipalities and itself
    reg = world.client.get("/api/v1/profiles/karabash/results", headers=world.auth("region"))
    reg_units = {(r["level"], r["unit"]) for r in reg.json()["rows"]}
    assert {
        ("municipality", "m000"),
        ("municipality", "m001"),
        ("region", world.forms.region),
    } <= reg_units
    assert world.client.get(f"/api/v1/submissions/{other}", headers=m0).status_code == 404
    register = world.client.get(f"/api/v1/campaigns/{world.campaign_id}/register", headers=m0)
    units = {r["unit_id"] for r in register.json()["rows"]}
    assert units and all(world.forms.municipality_of.get(u, u) == "m000" for u in units)
    r = world.client.post(
        f"/api/v1/campaigns/{world.campaign_id}/links", headers=m0, json={"org_id": "o0001"}
    )
    assert r.status_code == 403
    rating = world.client.get(
        "/api/v1/profiles/karabash/rating", headers=m0, params={"explain": "o0001"}
    )
    assert rating.status_code == 404
    ranked = world.client.get("/api/v1/profiles/karabash/rating", headers=m0).json()["ranking"]
    assert "o0000" in {r["unit"] for r in ranked}
    assert {world.forms.municipality_of[r["unit"]] for r in ranked} == {"m000"}


def test_person_rows_only_to_the_school_and_its_municipality(world: World) -> None:
    link, vid = _uploaded(world, "o0000")
    n_staff = world.forms.rows["o0000"]["staff"]
    for who, visible in ((link, True), ("m000", True), ("region", False), (world.platform, False)):
        r = world.client.get(f"/api/v1/submissions/{vid}/rows", headers=world.auth(who))
        assert r.status_code == 200, r.text
        body = r.json()
        if visible:
            assert len(body["tables"]["staff"]) == n_staff
        else:
            assert "staff" not in body["tables"] and body["withheld"] == ["staff"]
    assert (
        world.client.get(f"/api/v1/submissions/{vid}/file", headers=world.auth("m000")).status_code
        == 200
    )
    assert (
        world.client.get(
            f"/api/v1/submissions/{vid}/file", headers=world.auth("region")
        ).status_code
        == 404
    )
    assert (
        world.client.get(f"/api/v1/submissions/{vid}/rows", headers=world.auth("m001")).status_code
        == 404
    )


def test_a_platform_token_reads_results_and_writes_nothing(world: World) -> None:
    _uploaded(world, "o0000")
    p = world.auth(world.platform)
    assert world.client.get("/api/v1/profiles/karabash/results", headers=p).status_code == 200
    csv = world.client.get("/api/v1/profiles/karabash/results", headers=p, params={"format": "csv"})
    assert csv.headers["content-type"].startswith("text/csv")
    for method, path, kw in (
        (
            "POST",
            f"/api/v1/campaigns/{world.campaign_id}/submissions",
            {"files": {"file": ("x.xlsx", b"x")}},
        ),
        ("POST", f"/api/v1/campaigns/{world.campaign_id}/links", {"json": {"org_id": "o0000"}}),
        ("PUT", "/api/v1/profiles/karabash/measures/rows", {"json": {"rows": [{"a": 1}]}}),
        ("POST", "/api/v1/campaigns", {"json": {"profile_id": "karabash", "period": "2024-2025"}}),
    ):
        r = world.client.request(method, path, headers=p, **kw)
        assert r.status_code == 403, (path, r.text)
    # a token scoped to a municipality sees only it
    m1 = world.auth(world.make_token(municipality_id="m001"))
    rows = world.client.get("/api/v1/profiles/karabash/results", headers=m1).json()["rows"]
    assert {r["unit"] for r in rows} <= {"m001"} | {f"o{i:04d}" for i in range(1, 60, 2)}
