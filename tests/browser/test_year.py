"""The whole year in a real browser (system Chromium through Playwright) on the Karabash
sample: sign-in, the campaign, two schools' uploads (one with errors, fixed), the register
changing, the results and one organisation's history, the ИАС built and read back; and a
school's link kept to its own page."""

from __future__ import annotations

import base64
import re
import shutil
from pathlib import Path
from typing import Any

import docx
import httpx
import openpyxl
from pypdf import PdfReader

from tests.browser._helpers import broken_copy, pedagogues
from tests.browser.conftest import PASSWORD, Live

DESKTOP = {"width": 1366, "height": 768}
PHONE = {"width": 390, "height": 844}


def shot(page: Any, folder: Path, name: str, *, full: bool = False) -> None:
    page.screenshot(path=str(folder / f"{name}.png"), full_page=full)


def sign_in(browser: Any, live: Live, login: str = "region") -> Any:
    context = browser.new_context(viewport=DESKTOP, locale="ru-RU", accept_downloads=True)
    context.grant_permissions(["clipboard-read", "clipboard-write"], origin=live.base)
    page = context.new_page()
    page.goto(live.url("/app/"))
    assert "/app/login" in page.url
    page.get_by_label("Имя пользователя").fill(login)
    page.get_by_label("Пароль").fill(PASSWORD)
    page.get_by_role("button", name="Войти").click()
    page.wait_for_url(re.compile(r"/app/campaigns/\d+$"))
    return page


def make_link(page: Any, live: Live, org: str) -> tuple[str, str]:
    """Create a school's link on the campaign page; the link and the e-mail text."""
    page.goto(live.url(f"/app/campaigns/{live.campaign_id}"))
    page.locator(f'tr[data-unit="{org}"] button').click()
    page.wait_for_url(re.compile(r"/links$"))
    url = page.get_by_label("Ссылка", exact=True).input_value()
    letter = page.get_by_label("Текст письма").input_value()
    return url, letter


def state_of(page: Any, org: str) -> str:
    return str(page.locator(f'tr[data-unit="{org}"] [data-state]').get_attribute("data-state"))


def drop_file(page: Any, path: Path) -> None:
    """Drop a file on the upload zone as a user dragging it from the desktop would."""
    data = base64.b64encode(path.read_bytes()).decode()
    page.evaluate(
        """([name, data]) => {
            const bytes = Uint8Array.from(atob(data), c => c.charCodeAt(0));
            const file = new File([bytes], name);
            const dt = new DataTransfer();
            dt.items.add(file);
            const zone = document.querySelector('[data-drop]');
            zone.dispatchEvent(new DragEvent('dragover', {dataTransfer: dt, bubbles: true, cancelable: true}));
            zone.dispatchEvent(new DragEvent('drop', {dataTransfer: dt, bubbles: true, cancelable: true}));
        }""",
        [path.name, data],
    )


def test_the_year_in_the_browser(browser: Any, live: Live, shots: Path, tmp_path: Path) -> None:
    forms = live.forms
    # -- a methodologist signs in and opens the campaign
    page = sign_in(browser, live)
    assert page.locator("h1").inner_text() == "Сбор сведений за 2023-2024"
    assert "05.08.2024" in page.locator(".summary").inner_text()
    assert {state_of(page, o) for o in ("o0000", "o0001", "o0002", "o0003")} == {"missing"}
    assert "МОУ СОШ № 1 (копия 1)" in page.locator("#reminders").inner_text()
    shot(page, shots, "01-campaign")

    url_a, letter = make_link(page, live, "o0000")
    assert url_a.startswith(live.base + "/app/s/pl_")
    assert url_a in letter and "до 05.08.2024" in letter
    page.get_by_role("button", name="Скопировать текст письма").click()
    page.get_by_text("Скопировано.").wait_for()
    assert page.evaluate("navigator.clipboard.readText()") == letter
    shot(page, shots, "02-link")
    url_b, _ = make_link(page, live, "o0001")
    assert url_b != url_a

    # -- school A uploads its filled form on a phone
    school_a = browser.new_context(viewport=PHONE, locale="ru-RU", accept_downloads=True)
    a = school_a.new_page()
    a.goto(url_a)
    assert a.locator("h1").inner_text() == "МОУ СОШ № 1 (копия 1)"
    with a.expect_download() as info:
        a.get_by_role("link", name="Скачать бланк (.xlsx)").click()
    blank = tmp_path / "blank.xlsx"
    info.value.save_as(blank)
    assert "Работники" in openpyxl.load_workbook(blank).sheetnames
    a.get_by_label("Выбрать заполненную форму (.xlsx, .ods или .csv)").set_input_files(
        forms.forms["o0000"]
    )
    a.get_by_role("button", name="Загрузить и проверить").click()
    a.locator("#result").wait_for()
    assert a.locator("[data-status]").get_attribute("data-status") == "accepted"
    assert "Сведения приняты без ошибок" in a.locator("#result").inner_text()
    assert a.evaluate("document.documentElement.scrollWidth") <= PHONE["width"]
    shot(a, shots, "03-school-accepted", full=True)

    # -- school B uploads a form with two errors
    school_b = browser.new_context(viewport=PHONE, locale="ru-RU")
    b = school_b.new_page()
    b.goto(url_b)
    bad = broken_copy(forms.forms["o0001"], tmp_path / "o0001-errors.xlsx")
    b.get_by_label("Выбрать заполненную форму (.xlsx, .ods или .csv)").set_input_files(bad)
    b.get_by_role("button", name="Загрузить и проверить").click()
    b.locator("#result").wait_for()
    assert b.locator("[data-status]").get_attribute("data-status") == "partial"
    result = b.locator("#result").inner_text()
    assert "Лист «Работники»" in result
    cells = b.locator("td.cell").all_inner_texts()
    assert "D4" in cells and "F5" in cells
    shot(b, shots, "04-school-errors", full=True)

    # -- the methodologist sees the register change
    page.goto(live.url(f"/app/campaigns/{live.campaign_id}"))
    assert state_of(page, "o0000") == "late"  # the deadline 05.08.2024 has passed
    assert state_of(page, "o0001") == "errors"
    assert state_of(page, "o0002") == "missing"
    assert page.locator('[data-count="errors"]').inner_text() == "1"
    reminders = page.locator("#reminders").inner_text()
    assert "копия 2" in reminders and "копия 1" not in reminders

    # -- school B fixes the errors and drops the corrected file on the page
    b.locator("input.file").focus()
    assert b.evaluate("document.activeElement.id") == "file"  # reachable from the keyboard
    drop_file(b, forms.forms["o0001"])
    assert "o0001.xlsx" in b.locator(".filename").inner_text()
    b.get_by_role("button", name="Загрузить и проверить").click()
    b.wait_for_load_state()
    b.locator('[data-status="accepted"]').wait_for()
    assert b.locator("#versions tbody tr").count() == 2
    assert "(действующая)" in b.locator("#versions tbody tr").first.inner_text()
    shot(b, shots, "05-school-fixed", full=True)

    # -- a school's link opens nothing else
    version_a = a.locator("#versions a").first.get_attribute("href")
    assert version_a is not None
    foreign = b.goto(url_b + "/v/" + version_a.rsplit("/", 1)[1])
    assert foreign is not None and foreign.status == 404
    b.goto(live.url("/app/p/karabash/results"))
    assert "/app/login" in b.url  # the link is no sign-in
    token_b = url_b.rsplit("/", 1)[1]
    r = httpx.get(
        live.url("/api/v1/profiles/karabash/results"),
        headers={"Authorization": f"Bearer {token_b}"},
    )
    assert r.status_code == 403
    r = httpx.get(live.url(f"/app/s/{token_b}x"))
    assert r.status_code == 404

    page.goto(live.url(f"/app/campaigns/{live.campaign_id}"))
    assert state_of(page, "o0001") == "late"
    assert page.locator('[data-count="errors"]').inner_text() == "0"

    # -- results: region → municipality → organisation → one indicator's history
    page.get_by_role("link", name="Показатели").click()
    assert "Регион" in page.locator("h1").inner_text()
    shot(page, shots, "06-results-region")
    page.get_by_role("link", name="Муниципалитет № 1").click()
    page.get_by_role("link", name="МОУ СОШ № 1 (копия 1)").click()
    assert page.locator("h1").inner_text() == "Организация: МОУ СОШ № 1 (копия 1)"
    row = page.locator('tr[data-indicator="k01"]')
    value = row.locator("td").first.inner_text()
    assert re.fullmatch(r"\d+,\d\u00a0%", value), value
    shot(page, shots, "07-results-organisation")
    with page.expect_download() as info:
        page.get_by_role("link", name="таблица Excel (.xlsx)").click()
    xlsx = tmp_path / "results.xlsx"
    info.value.save_as(xlsx)
    ws = openpyxl.load_workbook(xlsx).active
    assert ws is not None
    header = [c.value for c in ws[1]]
    assert header[:3] == ["Критерий", "Код показателя", "Показатель"]
    assert "k01" in [c.value for c in ws["B"]]

    row.get_by_role("link").click()
    page.locator("svg.chart").wait_for()
    cells = page.locator("#history tbody tr").last.locator("td").all_inner_texts()
    numerator, denominator = (int(x) for x in cells[:2])
    assert denominator == pedagogues(forms.forms["o0000"])
    assert 0 <= numerator <= denominator
    expected = f"{100 * numerator / denominator:.1f}".replace(".", ",") + "\u00a0%"
    assert cells[2] == expected == value
    assert "Знаменатель" in page.locator(".declaration").inner_text()
    shot(page, shots, "08-history")

    # -- rating with its explanation, recommendations, calendar, cycle
    page.get_by_role("link", name="Рейтинг").click()
    page.get_by_role("link", name="Из чего сложился балл").first.click()
    page.locator("#explain").wait_for()
    shot(page, shots, "09-rating")
    page.get_by_role("link", name="Рекомендации").click()
    shot(page, shots, "10-recommendations")
    page.goto(live.url("/app/p/karabash/calendar?year=2024"))
    assert "05.08.2024" in page.locator("#calendar").inner_text()
    page.get_by_role("button", name="Получить адрес подписки (.ics)").click()
    feed = page.get_by_label("Адрес подписки (.ics)").input_value()
    ics = httpx.get(feed + "&year=2024")
    assert ics.status_code == 200 and "BEGIN:VCALENDAR" in ics.text
    shot(page, shots, "11-calendar")
    page.get_by_role("link", name="Цикл и дорожная карта").click()
    first = page.locator("#roadmap select").first
    first.select_option("done")
    page.get_by_role("button", name="Сохранить статусы").click()
    page.get_by_text("Статусы сохранены.").wait_for()
    assert page.locator("#roadmap select").first.input_value() == "done"
    shot(page, shots, "12-cycle")

    # -- the ИАС as a job with progress, downloaded and read back
    page.get_by_role("link", name="ИАС").click()
    page.get_by_label("Период").select_option("2023-2024")
    page.get_by_role("button", name="Сформировать справку").click()
    page.wait_for_url(re.compile(r"/app/jobs/\d+$"))
    page.locator("#downloads").wait_for(timeout=300_000)
    shot(page, shots, "13-report")
    with page.expect_download() as info:
        page.get_by_role("link", name="Документ Word (.docx)").click()
    report = tmp_path / "ias.docx"
    info.value.save_as(report)
    text = "\n".join(p.text for p in docx.Document(str(report)).paragraphs)
    assert "ИНФОРМАЦИОННО-АНАЛИТИЧЕСКАЯ СПРАВКА" in text
    assert "2023-2024 учебный год" in text

    if shutil.which("soffice"):
        with page.expect_download(timeout=300_000) as info:
            page.get_by_role("link", name=re.compile("^PDF")).click()
        pdf = tmp_path / "ias.pdf"
        info.value.save_as(pdf)
        assert "СПРАВКА" in PdfReader(str(pdf)).pages[0].extract_text()

    # -- sign out: the session is revoked
    page.get_by_role("button", name="Выйти").click()
    page.wait_for_url(re.compile(r"/app/login"))
    page.goto(live.url(f"/app/campaigns/{live.campaign_id}"))
    assert "/app/login" in page.url
    for ctx in (school_a, school_b, page.context):
        ctx.close()


def test_municipal_methodologist_sees_own_municipality(browser: Any, live: Live) -> None:
    page = sign_in(browser, live, "m000")
    assert page.locator('tr[data-unit="o0000"]').count() == 1
    page.goto(live.url("/app/p/karabash/results"))
    assert page.locator("h1").inner_text() == "Муниципалитет: Муниципалитет № 1"
    page.context.close()
