"""The store over HTTP: versions, receipt time, validation results, limits, the results
recomputed from the accepted rows, jobs."""

from __future__ import annotations

import datetime as dt
import io
import time
import zipfile
from pathlib import Path

import openpyxl
import pandas as pd
import pytest
from sqlalchemy import func, select

import pedprof
from pedprof.io import FormKind, write_form
from pedprof.service.models import AcceptedRows, StoredFile, SubmissionVersion
from tests.service.conftest import PERIOD, World


def _form_with_staff(
    world: World,
    org: str,
    tmp: Path,
    *,
    keep: int,
    age: object = None,
    modified: dt.datetime | None = None,
) -> bytes:
    """The org's form with only its first ``keep`` staff rows (optionally a bad age)."""
    profile = pedprof.get_profile("karabash")
    base = pedprof.read_submissions(profile, [world.forms.register, world.forms.forms[org]])
    assert base.dataset is not None
    staff = base.dataset.tables["staff"].head(keep).copy()
    path = write_form(
        profile,
        tmp / f"{org}-{keep}.xlsx",
        kind=FormKind.ORGANIZATION,
        unit_id=org,
        period=PERIOD,
        rows={"staff": staff},
        example=False,
        modified=modified,
    )
    if age is not None:  # write what a person might type, as Excel would keep it
        wb = openpyxl.load_workbook(path)
        done = False
        for ws in wb:
            for row in ws.iter_rows(max_row=15):
                for cell in row:
                    if (
                        not done
                        and isinstance(cell.value, str)
                        and cell.value.startswith("Возраст")
                    ):
                        for r in range(cell.row + 1, ws.max_row + 1):
                            target = ws.cell(row=r, column=cell.column)
                            if isinstance(target.value, int):
                                target.value = age
                                done = True
                                break
        assert done
        wb.save(path)
    return path.read_bytes()


def test_reupload_adds_a_version_and_results_follow_the_latest(
    world: World, tmp_path: Path
) -> None:
    link = world.link("o0004")
    first = world.upload(link, "o0004").json()
    assert first["version"] == 1 and first["current"] and first["status"] == "accepted"
    assert first["accepted"] == sum(world.forms.rows["o0004"].values())
    second = world.upload(link, "o0004", content=_form_with_staff(world, "o0004", tmp_path, keep=5))
    assert second.status_code == 201, second.text
    assert second.json()["version"] == 2 and second.json()["current"]
    listed = world.client.get(
        f"/api/v1/campaigns/{world.campaign_id}/submissions", headers=world.auth(link)
    ).json()
    assert [(v["version"], v["current"]) for v in listed] == [(1, False), (2, True)]
    # the first version is kept as received, rows and file
    with world.service.factory() as s:
        assert s.scalar(select(func.count()).select_from(SubmissionVersion)) == 2
        n_rows = dict(
            s.execute(
                select(AcceptedRows.version_id, AcceptedRows.n_rows).where(
                    AcceptedRows.table_name == "staff"
                )
            ).all()
        )
        file = s.get(StoredFile, s.get(SubmissionVersion, first["id"]).file_id)
        assert file is not None
        assert file.content == world.forms.forms["o0004"].read_bytes()
    assert n_rows == {first["id"]: world.forms.rows["o0004"]["staff"], second.json()["id"]: 5}
    # the results count the 5 staff rows of the current version: the teachers among them
    profile = pedprof.get_profile("karabash")
    base = pedprof.read_submissions(profile, [world.forms.register, world.forms.forms["o0004"]])
    assert base.dataset is not None
    five = base.dataset.tables["staff"].head(5)
    teachers = int((five["category"] == "teacher").sum())
    rows = world.client.get(
        "/api/v1/profiles/karabash/results",
        headers=world.auth("region"),
        params={"unit": "o0004", "indicator": "k01", "period": PERIOD, "level": "organization"},
    ).json()["rows"]
    assert len(rows) == 1 and rows[0]["denominator"] == teachers


def test_receipt_time_is_the_stores_not_the_workbooks(world: World, tmp_path: Path) -> None:
    old = dt.datetime(2001, 1, 1, 12, 0)
    content = _form_with_staff(world, "o0006", tmp_path, keep=3, modified=old)
    link = world.link("o0006")
    before = dt.datetime.now(dt.UTC)
    body = world.upload(link, "o0006", content=content).json()
    after = dt.datetime.now(dt.UTC)
    received = dt.datetime.fromisoformat(body["received_at"])
    assert before <= received <= after
    reg = world.client.get(
        f"/api/v1/campaigns/{world.campaign_id}/register", headers=world.auth("region")
    ).json()["rows"]
    row = next(r for r in reg if r["unit_id"] == "o0006")
    assert row["first_submitted_at"].startswith(received.strftime("%Y-%m-%dT%H:%M"))


def test_errors_are_reported_in_russian_with_the_cell(world: World, tmp_path: Path) -> None:
    link = world.link("o0008")
    content = _form_with_staff(world, "o0008", tmp_path, keep=4, age="сорок")
    body = world.upload(link, "o0008", content=content).json()
    assert body["status"] == "partial"
    assert (body["accepted"], body["rejected"]) == (3, 1)
    errors = [e for e in body["errors"] if e["severity"] == "error"]
    assert len(errors) == 1
    assert (errors[0]["sheet"], errors[0]["column"]) == ("Работники", "Возраст, полных лет")
    assert "сорок" in errors[0]["message"]
    report = world.client.get(f"/api/v1/submissions/{body['id']}/errors", headers=world.auth(link))
    wb = openpyxl.load_workbook(io.BytesIO(report.content))
    text = " ".join(str(c.value) for ws in wb for row in ws.iter_rows() for c in row if c.value)
    assert "сорок" in text and "Итоги проверки" in text


def test_unreadable_and_oversized_uploads(world: World) -> None:
    link = world.link("o0010")
    # a zip bomb: one highly compressible part far above the readers' ratio limit
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w", zipfile.ZIP_DEFLATED) as z:
        z.writestr("[Content_Types].xml", "<Types/>")
        z.writestr("xl/worksheets/sheet1.xml", b"\0" * (60 * 2**20))
    body = world.upload(link, "o0010", content=buf.getvalue()).json()
    assert body["status"] == "rejected" and body["accepted"] == 0
    assert body["errors"] and body["errors"][0]["severity"] == "error"
    big = world.upload(link, "o0010", content=b"x" * (3 << 20))
    assert big.status_code == 413
    assert big.headers["content-type"].startswith("application/problem+json")
    with world.service.factory() as s:
        sizes = list(s.scalars(select(StoredFile.size).where(StoredFile.uploader.like("link%"))))
    assert sizes == [len(buf.getvalue())]


def test_json_rows_are_validated_like_forms(world: World) -> None:
    link = world.link("o0012")
    profile = pedprof.get_profile("karabash")
    base = pedprof.read_submissions(profile, [world.forms.register, world.forms.forms["o0012"]])
    assert base.dataset is not None
    staff = base.dataset.tables["staff"].head(6)
    records = staff.astype(object).where(staff.notna(), None).to_dict("records")
    records = [
        {k: (v.isoformat() if hasattr(v, "isoformat") else v) for k, v in r.items()}
        for r in records
    ]
    records[1]["age"] = 7  # out of range
    r = world.client.post(
        f"/api/v1/campaigns/{world.campaign_id}/submissions/rows",
        headers=world.auth(link),
        json={"tables": {"staff": records}},
    )
    assert r.status_code == 201, r.text
    assert (r.json()["accepted"], r.json()["rejected"]) == (5, 1)
    bad = world.client.post(
        f"/api/v1/campaigns/{world.campaign_id}/submissions/rows",
        headers=world.auth(link),
        json={"tables": {"nope": []}},
    )
    assert bad.status_code == 404 and bad.json()["status"] == 404


def test_results_from_the_store_equal_the_application_layer_on_the_same_files(world: World) -> None:
    orgs = [f"o{i:04d}" for i in range(8)]
    for org in orgs:
        assert world.upload(world.link(org), org).status_code == 201
    r = world.client.get(
        "/api/v1/profiles/karabash/results",
        headers=world.auth("region"),
        params={"format": "parquet"},
    )
    served = pd.read_parquet(io.BytesIO(r.content))
    local = pedprof.Monitoring.from_files(
        "karabash", [world.forms.register, *(world.forms.forms[o] for o in orgs)]
    ).results()
    cols = [
        "indicator",
        "breakdown",
        "level",
        "unit",
        "period",
        "numerator",
        "denominator",
        "value",
        "state",
    ]
    key = cols[:5]
    a = served[cols].sort_values(key).reset_index(drop=True)
    b = local[cols].sort_values(key).reset_index(drop=True)
    pd.testing.assert_frame_equal(a, b, check_dtype=False)


def test_small_counts_are_suppressed_on_request(world: World) -> None:
    assert world.upload(world.link("o0000"), "o0000").status_code == 201
    params = {"unit": "o0000", "level": "organization", "period": PERIOD}
    plain = world.client.get(
        "/api/v1/profiles/karabash/results", headers=world.auth("region"), params=params
    ).json()["rows"]
    hidden = world.client.get(
        "/api/v1/profiles/karabash/results",
        headers=world.auth("region"),
        params={**params, "suppress_below": 5},
    ).json()["rows"]
    assert len(plain) == len(hidden)
    for p, h in zip(plain, hidden, strict=True):
        small = p["denominator"] is not None and p["denominator"] < 5
        assert h["suppressed"] == small
        if small:
            assert h["value"] is None and h["numerator"] is None
        else:
            assert h["value"] == p["value"]


@pytest.mark.slow
def test_report_job_runs_and_offers_its_files(world: World) -> None:
    for org in ("o0000", "o0001"):
        assert world.upload(world.link(org), org).status_code == 201
    r = world.client.post(
        "/api/v1/profiles/karabash/reports",
        headers=world.auth("region"),
        json={"formats": ["docx", "html"], "charts": False},
    )
    assert r.status_code == 202, r.text
    job_id = r.json()["id"]
    for _ in range(600):
        job = world.client.get(f"/api/v1/jobs/{job_id}", headers=world.auth("region")).json()
        if job["status"] in ("done", "failed"):
            break
        time.sleep(0.1)
    assert job["status"] == "done", job
    assert set(job["files"]) == {"docx", "html"}
    docx = world.client.get(job["files"]["docx"], headers=world.auth("region"))
    assert docx.status_code == 200 and docx.content[:2] == b"PK"
    # a municipality cannot build a report covering the other municipality, nor read this job
    assert (
        world.client.post(
            "/api/v1/profiles/karabash/reports", headers=world.auth("m000"), json={}
        ).status_code
        == 403
    )
    assert world.client.get(f"/api/v1/jobs/{job_id}", headers=world.auth("m000")).status_code == 404
