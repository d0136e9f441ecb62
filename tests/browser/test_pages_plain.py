"""The pages without a browser (FastAPI's TestClient): CSRF refusal, who sees which page,
and the Russian formatting helpers."""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Iterator
from pathlib import Path

import pytest
from fastapi.testclient import TestClient
from hypothesis import given
from hypothesis import strategies as st

from pedprof.service import Settings, create_app
from pedprof.service._synthetic import Forms, scaled_forms
from pedprof.service.api.deps import COOKIE_NAME
from pedprof.service.models import User
from pedprof.service.pages._format import (
    days_word,
    ru_change,
    ru_date,
    ru_datetime,
    ru_number,
    ru_percent,
)
from pedprof.service.pages._svg import history_svg
from pedprof.service.pages.routes import column_letters, error_groups
from pedprof.service.security import hash_password
from tests.browser.conftest import PASSWORD, PERIOD

CSRF = re.compile(r'name="csrf_token" value="([^"]+)"')


@pytest.fixture(scope="module")
def forms(tmp_path_factory: pytest.TempPathFactory) -> Forms:
    return scaled_forms(
        tmp_path_factory.mktemp("forms"), n_orgs=4, n_municipalities=2, period=PERIOD
    )


class Site:
    def __init__(self, client: TestClient, forms: Forms) -> None:
        self.client = client
        service = client.app.state.service  # type: ignore[attr-defined]
        with service.factory() as s:
            for login, role, unit in (
                ("region", "region", forms.region),
                ("m000", "municipality", "m000"),
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
        r = client.post("/api/v1/auth/login", data={"username": "region", "password": PASSWORD})
        self.region_token = r.json()["access_token"]
        auth = {"Authorization": f"Bearer {self.region_token}"}
        client.cookies.clear()
        r = client.put(
            "/api/v1/profiles/karabash/register",
            headers=auth,
            files={"file": ("register.xlsx", forms.register.read_bytes())},
        )
        assert r.status_code == 200, r.text
        r = client.post(
            "/api/v1/campaigns", headers=auth, json={"profile_id": "karabash", "period": PERIOD}
        )
        self.campaign_id = r.json()["id"]
        r = client.post(
            f"/api/v1/campaigns/{self.campaign_id}/links", headers=auth, json={"org_id": "o0000"}
        )
        self.link = r.json()["token"]

    def sign_in(self, login: str) -> str:
        """Sign in through the page; the page CSRF token of the session."""
        self.client.cookies.clear()
        page = self.client.get("/app/login")
        token = CSRF.search(page.text)
        assert token is not None
        r = self.client.post(
            "/app/login",
            data={"username": login, "password": PASSWORD, "csrf_token": token[1]},
            follow_redirects=False,
        )
        assert r.status_code == 303, r.text
        page = self.client.get(f"/app/campaigns/{self.campaign_id}")
        found = CSRF.search(page.text)
        assert found is not None
        return found[1]


@pytest.fixture
def site(tmp_path: Path, forms: Forms) -> Iterator[Site]:
    settings = Settings(
        data_dir=tmp_path / "data",
        database_url=f"sqlite:///{tmp_path / 'store.sqlite3'}",
        start_worker=False,
    )
    with TestClient(create_app(settings)) as client:
        yield Site(client, forms)


# ------------------------------------------------------------------------------ CSRF


def test_sign_in_without_the_form_token_is_refused(site: Site) -> None:
    site.client.cookies.clear()
    r = site.client.post(
        "/app/login", data={"username": "region", "password": PASSWORD}, follow_redirects=False
    )
    assert r.status_code == 403
    assert COOKIE_NAME not in r.cookies
    assert "Форма входа устарела" in r.text


def test_wrong_password_is_refused_in_russian(site: Site) -> None:
    site.client.cookies.clear()
    token = CSRF.search(site.client.get("/app/login").text)
    assert token is not None
    r = site.client.post(
        "/app/login", data={"username": "region", "password": "не тот", "csrf_token": token[1]}
    )
    assert r.status_code == 401
    assert "Неверное имя пользователя или пароль." in r.text


@pytest.mark.parametrize(
    ("path", "data"),
    [
        ("/app/logout", {}),
        ("/app/campaigns/{c}/links", {"org_id": "o0001"}),
        ("/app/p/karabash/report", {"period": PERIOD}),
        ("/app/p/karabash/calendar/subscribe", {}),
        ("/app/p/karabash/cycle", {}),
    ],
)
@pytest.mark.parametrize("token", ["", "forged"])
def test_forms_without_the_session_token_are_refused(
    site: Site, path: str, data: dict[str, str], token: str
) -> None:
    good = site.sign_in("region")
    url = path.format(c=site.campaign_id)
    r = site.client.post(url, data={**data, "csrf_token": token}, follow_redirects=False)
    assert r.status_code == 403, (url, r.status_code)
    assert "Форма устарела" in r.text
    # the same form with the session's token goes through, and the session still works
    r = site.client.post(url, data={**data, "csrf_token": good}, follow_redirects=False)
    assert r.status_code in (200, 303), (url, r.status_code, r.text[:300])


def test_a_token_of_another_session_is_refused(site: Site) -> None:
    other = site.sign_in("m000")
    site.sign_in("region")
    r = site.client.post(
        f"/app/campaigns/{site.campaign_id}/links",
        data={"org_id": "o0000", "csrf_token": other},
    )
    assert r.status_code == 403


def test_school_upload_needs_the_page_token(site: Site, forms: Forms) -> None:
    site.client.cookies.clear()
    content = forms.forms["o0000"].read_bytes()
    r = site.client.post(
        f"/app/s/{site.link}",
        data={"csrf_token": "forged"},
        files={"file": ("o0000.xlsx", content)},
    )
    assert r.status_code == 403
    page = site.client.get(f"/app/s/{site.link}")
    token = CSRF.search(page.text)
    assert token is not None
    r = site.client.post(
        f"/app/s/{site.link}",
        data={"csrf_token": token[1]},
        files={"file": ("o0000.xlsx", content)},
    )
    assert r.status_code == 200
    assert 'data-status="accepted"' in r.text


# ------------------------------------------------------------------------------ who sees what

STAFF_PAGES = [
    "/app/campaigns",
    "/app/campaigns/{c}",
    "/app/p/karabash/results",
    "/app/p/karabash/history?level=organization&unit=o0000&indicator=k01",
    "/app/p/karabash/results.csv?level=organization&unit=o0000",
    "/app/p/karabash/rating",
    "/app/p/karabash/recommendations",
    "/app/p/karabash/report",
    "/app/p/karabash/calendar",
    "/app/p/karabash/cycle",
]


@pytest.mark.parametrize("path", STAFF_PAGES)
def test_staff_pages_need_a_methodologist(site: Site, path: str) -> None:
    url = path.format(c=site.campaign_id)
    for cookie in (None, site.link, "ps_forged"):
        site.client.cookies.clear()
        if cookie:
            site.client.cookies.set(COOKIE_NAME, cookie)
        r = site.client.get(url, follow_redirects=False)
        assert r.status_code == 303, (url, cookie)
        assert r.headers["location"].startswith("/app/login")


def test_municipality_sees_only_its_own(site: Site) -> None:
    site.sign_in("m000")
    page = site.client.get(f"/app/campaigns/{site.campaign_id}").text
    assert 'data-unit="o0000"' in page and 'data-unit="o0002"' in page
    assert 'data-unit="o0001"' not in page and 'data-unit="o0003"' not in page  # m001
    r = site.client.get("/app/p/karabash/results?level=organization&unit=o0001")
    assert r.status_code == 404
    r = site.client.get("/app/p/karabash/results?level=region&unit=" + "x")
    assert r.status_code == 404
    r = site.client.post(
        f"/app/campaigns/{site.campaign_id}/links",
        data={"org_id": "o0001", "csrf_token": CSRF.search(page)[1]},  # type: ignore[index]
    )
    assert r.status_code == 404


def test_school_link_pages(site: Site) -> None:
    site.client.cookies.clear()
    page = site.client.get(f"/app/s/{site.link}")
    assert page.status_code == 200
    assert "МОУ СОШ № 1 (копия 1)" in page.text
    assert site.client.get(f"/app/s/{site.link}/form").status_code == 200
    assert site.client.get(f"/app/s/{site.link}x").status_code == 404
    assert site.client.get(f"/app/s/{site.region_token}").status_code == 404


def test_no_english_on_the_pages(site: Site) -> None:
    """The visible text of every page has no Latin words but codes and the product name."""
    site.sign_in("region")
    allowed = {
        "pedprof",
        "xlsx",
        "ods",
        "csv",
        "docx",
        "html",
        "ics",
        "pdf",
        "region",
        "excel",
        "word",
    }
    for path in STAFF_PAGES[:2] + STAFF_PAGES[2:4] + STAFF_PAGES[5:]:
        html = site.client.get(path.format(c=site.campaign_id)).text
        body = html.split("<body>", 1)[1]
        text = re.sub(r"<script.*?</script>|<style.*?</style>|<[^>]+>", " ", body, flags=re.S)
        words = {w.lower() for w in re.findall(r"\b[A-Za-z]{2,}\b", text)}
        codes = {w for w in words if re.fullmatch(r"[a-z]\d+|k\d+|[mo]\d+", w)}
        assert words - allowed - codes == set(), (path, words - allowed - codes)


# ------------------------------------------------------------------------------ formatting


def test_russian_numbers_and_dates() -> None:
    assert ru_percent(45.26) == "45,3\u00a0%"
    assert ru_percent(None) == "—"
    assert ru_number(1234.5) == "1\u202f234,5"
    assert ru_number(float("nan")) == "—"
    assert ru_date(dt.date(2024, 8, 5)) == "05.08.2024"
    assert ru_date("2024-08-05T00:00:00.000") == "05.08.2024"
    assert ru_date(None) == "—"
    assert ru_datetime(dt.datetime(2024, 8, 5, 14, 3, tzinfo=dt.UTC)) == "05.08.2024 14:03"
    assert ru_change(50.0, 45.8, share=True) == "+4,2\u00a0п.\u00a0п."
    assert ru_change(3, 4, share=False) == "\u22121"
    assert ru_change(3, None, share=False) == "—"
    assert [days_word(n) for n in (1, 2, 5, 11, 21, 22, 112)] == [
        "день",
        "дня",
        "дней",
        "дней",
        "день",
        "дня",
        "дней",
    ]


@given(st.integers(min_value=-(10**9), max_value=10**9))
def test_ru_number_of_integers_reads_back(n: int) -> None:
    text = ru_number(n)
    assert "." not in text
    assert int(text.replace("\u202f", "")) == n


@given(st.floats(min_value=0, max_value=100, allow_nan=False))
def test_ru_percent_has_one_decimal_comma(v: float) -> None:
    text = ru_percent(v)
    assert re.fullmatch(r"\d{1,3},\d\u00a0%", text)
    assert abs(float(text[:-2].replace(",", ".")) - v) <= 0.05 + 1e-9


def test_history_svg_draws_points_and_gaps() -> None:
    svg = history_svg(
        ["2021-2022", "2022-2023", "2023-2024"],
        [40.0, None, 60.0],
        [50.0, 50.0, 66.6],
        share=True,
        title="Доля",
    )
    assert svg.count("<circle") == 2
    assert svg.count('class="line"') == 1 and svg.count('class="target"') == 1
    assert "2022-2023" in svg and "60,0\u00a0%" not in svg  # values shown as 60
    assert "<title>2023-2024: 60\u00a0%</title>" in svg


def test_errors_grouped_by_sheet_and_row_with_the_cell() -> None:
    from pedprof.plugins import get_profile

    letters = column_letters(get_profile("karabash"))
    errors = [
        {
            "severity": "error",
            "sheet": "Работники",
            "table": "staff",
            "row": 5,
            "column": "Возраст, полных лет",
            "message": "b",
        },
        {
            "severity": "error",
            "sheet": "Работники",
            "table": "staff",
            "row": 4,
            "column": "Возраст, полных лет",
            "message": "a",
        },
        {
            "severity": "warning",
            "sheet": "Работники",
            "table": "staff",
            "row": 4,
            "column": "Категория",
            "message": "c",
        },
        {
            "severity": "error",
            "sheet": None,
            "table": None,
            "row": None,
            "column": None,
            "message": "d",
        },
    ]
    groups = error_groups(errors, letters)
    assert [g["sheet"] for g in groups] == ["Работники", "Файл"]
    rows = groups[0]["rows"]
    assert [r["row"] for r in rows] == [4, 5]
    assert [i["cell"] for i in rows[0]["items"]] == ["D4", "B4"]
    assert rows[0]["items"][1]["severity"] == "замечание"
    assert groups[1]["rows"][0]["items"][0]["cell"] == ""


def test_missing_browser_skips_with_a_message_or_fails_in_ci(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    from tests.browser.conftest import REQUIRE_ENV, _no_browser

    monkeypatch.delenv(REQUIRE_ENV, raising=False)
    with pytest.raises(pytest.skip.Exception) as skipped:
        _no_browser("no Chromium found.")
    assert "apt-get install chromium" in str(skipped.value)
    monkeypatch.setenv(REQUIRE_ENV, "1")
    with pytest.raises(pytest.fail.Exception):
        _no_browser("no Chromium found.")


def test_assets_are_local(site: Site) -> None:
    """No page loads anything from another server (closed municipal networks)."""
    from pedprof.service.pages import routes

    folder = Path(routes.__file__).parent / "templates"
    for template in folder.glob("*.html"):
        text = template.read_text(encoding="utf-8")
        assert not re.search(r'(src|href)="(https?:)?//', text), template.name
    for name in ("pages.css", "pages.js"):
        r = site.client.get(f"/app/static/{name}")
        assert r.status_code == 200 and len(r.content) > 500
