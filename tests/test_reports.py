"""The ИАС files, read back with python-docx, openpyxl and html.parser and checked
against :func:`pedprof.compute` on the Karabash sample (values formatted here, by hand)."""

from __future__ import annotations

import re
import shutil
from html.parser import HTMLParser
from importlib import resources
from pathlib import Path

import docx
import openpyxl
import pandas as pd
import pytest
from click.testing import CliRunner

import pedprof
from pedprof.cli import main
from pedprof.measures import load_measures
from pedprof.reports import build_report, write_reports

KARABASH = pedprof.get_profile("karabash")
DATA = pedprof.load_sample(KARABASH)
RESULTS = pedprof.compute(KARABASH, DATA)
CURRENT = "2023-2024"
SAMPLE_DIR = resources.files("pedprof_karabash").joinpath("data/sample")
PERSON_ID = re.compile(r"\bp\d{4}\b")


def _pct(value: float) -> str:
    """66.6 → «66,6 %», written independently of pedprof.formatting."""
    return f"{value:.1f}".replace(".", ",") + " %"


def _muni(indicator: str, period: str = CURRENT) -> pd.Series:
    r = RESULTS
    rows = r[
        (r["indicator"] == indicator)
        & (r["level"] == "municipality")
        & (r["period"] == period)
        & r["breakdown"].isna()
    ]
    assert len(rows) == 1
    return rows.iloc[0]


@pytest.fixture(scope="module")
def files(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    with SAMPLE_DIR.joinpath("measures.csv").open("rb") as fh:
        register = load_measures(
            pd.read_csv(fh, dtype=str, keep_default_na=False), profile=KARABASH
        )
    report = build_report(
        KARABASH,
        DATA,
        RESULTS,
        measures=register,
        suppress_below=5,
        note="Справка сформирована на демонстрационных данных.",
    )
    return write_reports(report, tmp_path_factory.mktemp("ias"))


# --------------------------------------------------------------------------- docx


def _docx_text(path: Path) -> tuple[list[str], list[list[list[str]]], str]:
    d = docx.Document(str(path))
    headings = [
        p.text
        for p in d.paragraphs
        if p.style is not None and p.style.name.startswith(("Heading", "Title"))
    ]
    tables = [[[c.text for c in row.cells] for row in t.rows] for t in d.tables]
    text = "\n".join(p.text for p in d.paragraphs) + "\n".join(
        c for t in tables for row in t for c in row
    )
    return headings, tables, text


def test_docx_has_the_sections_a_methodologist_expects(files: dict[str, Path]) -> None:
    headings, _, text = _docx_text(files["docx"])
    assert headings[0] == "ИНФОРМАЦИОННО-АНАЛИТИЧЕСКАЯ СПРАВКА"
    for expected in (
        "1. Цель и основания",
        "2. Данные мониторинга",
        "3. Результаты мониторинга по критериям",
        "4. Планируемые управленческие эффекты",
        "5. Проблемные зоны",
        "6. Полнота и своевременность представления сведений",
        "7. Выводы",
        "8. Адресные рекомендации",
        "9. Анализ эффективности принятых мер",
        "Приложение 1. Методика расчёта показателей",
    ):
        assert expected in headings, expected
    criteria = [name for _, name in KARABASH.info.mechanism.criteria]  # type: ignore[union-attr]
    for n, name in enumerate(criteria, start=1):
        assert f"3.{n}. {name}" in headings
    assert "Приказ МКУ «Управление образования КГО» от 19.08.2021 № 213 (о/д)" in text
    assert "демонстрационных данных" in text
    assert not PERSON_ID.search(text)


def test_docx_result_tables_match_compute(files: dict[str, Path]) -> None:
    _, tables, _ = _docx_text(files["docx"])
    results = [t for t in tables if t and t[0][:3] == ["Код", "Показатель", "2020-2021"]]
    assert len(results) == len(KARABASH.info.mechanism.criteria)  # type: ignore[union-attr]
    rows = {t_row[0]: t_row for t in results for t_row in t}
    header = results[0][0]
    assert header[2:6] == ["2020-2021", "2021-2022", "2022-2023", "2023-2024"]
    for ind in ("k01", "k05", "k08", "k24"):
        for col, period in enumerate(header[2:6], start=2):
            assert rows[ind][col] == _pct(_muni(ind, period)["value"]), (ind, period)
    assert rows["k06"][5] == str(int(_muni("k06")["value"]))
    assert rows["k01"][7] == "66,6 %"  # the cumulative target from the second cycle on
    assert rows["k08"][-1] == "отрицательная динамика"  # 26,5 % → 21,0 %
    assert rows["k08"][6] == "−5,5 п.п."


def test_docx_recommendations_and_measures(files: dict[str, Path]) -> None:
    _, tables, text = _docx_text(files["docx"])
    assert "Руководителям образовательных организаций:" in text
    assert "МОУ ООШ № 4: 1 при требовании не менее 2 в каждой организации" in text
    eff = next(t for t in tables if t[0][0] == "Код" and "Вывод" in t[0] and "До" in t[0])
    verdicts = {row[0]: row[-1] for row in eff[1:]}
    assert verdicts["М-2024-1"] == "рано оценивать"
    assert verdicts["М-2023-2"] == "нет улучшения"
    assert verdicts["М-2022-1"] == "улучшение"


def test_docx_has_a_chart_per_criterion(files: dict[str, Path]) -> None:
    d = docx.Document(str(files["docx"]))
    images = [r for r in d.part.rels.values() if "image" in r.reltype]
    assert len(images) >= len(KARABASH.info.mechanism.criteria)  # type: ignore[union-attr]


# --------------------------------------------------------------------------- xlsx


def test_xlsx_sheets_values_and_formats(files: dict[str, Path]) -> None:
    wb = openpyxl.load_workbook(files["xlsx"])
    assert wb.sheetnames[:5] == [
        "Сводка",
        "Динамика",
        "Показатели",
        "Организации",
        "Проблемные зоны",
    ]
    assert {"Рекомендации", "Меры", "Методика"} <= set(wb.sheetnames)
    ws = wb["Сводка"]
    header_row = next(r for r in range(1, 10) if ws.cell(row=r, column=1).value == "Код")
    headers = [c.value for c in ws[header_row]]
    col = headers.index(CURRENT) + 1
    by_code = {
        ws.cell(row=r, column=1).value: ws.cell(row=r, column=col)
        for r in range(header_row + 1, ws.max_row + 1)
    }
    for ind in ("k01", "k08", "k20.three_years"):
        cell = by_code[ind]
        assert cell.value == pytest.approx(_muni(ind)["value"])
        assert cell.number_format == '0.0" %"'
    assert by_code["k06"].value == _muni("k06")["value"]
    assert len(wb["Динамика"]._charts) == 2  # shares and counts
    assert len(wb["Организации"]._charts) == 1


def test_xlsx_results_sheet_has_every_row_and_suppresses_small_counts(
    files: dict[str, Path],
) -> None:
    ws = openpyxl.load_workbook(files["xlsx"], read_only=True)["Показатели"]
    rows = list(ws.iter_rows(values_only=True))
    header, body = rows[0], rows[1:]
    assert len(body) == len(RESULTS)
    i = {name: k for k, name in enumerate(header)}
    small = RESULTS[
        RESULTS["indicator"].isin([x.id for x in KARABASH.indicators if x.kind == "share"])
        & (RESULTS["denominator"] > 0)
        & (RESULTS["denominator"] < 5)
    ]
    assert len(small)
    keyed = {
        (r[i["Код"]], r[i["Код единицы"]], r[i["Период"]], r[i["Разбивка"]] or ""): r for r in body
    }
    for _, s in small.iterrows():
        row = keyed[(s["indicator"], s["unit"], s["period"], _breakdown_label(s))]
        assert row[i["Значение"]] == "*" and row[i["Числитель"]] == "*"
    for row in body:
        for value in row:
            assert not (isinstance(value, str) and value.startswith(("=", "+", "@")))


def _breakdown_label(row: pd.Series) -> str:
    if pd.isna(row["breakdown"]):
        return ""
    ind = KARABASH.indicator(str(row["indicator"]))
    assert ind.split_by is not None
    return KARABASH.source(ind.table).value_label(ind.split_by, row["breakdown"])


# --------------------------------------------------------------------------- html


class _Collector(HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.tags: list[tuple[str, dict[str, str | None]]] = []
        self.text: list[str] = []
        self.rows: list[list[str]] = []
        self._cell: list[str] | None = None

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.tags.append((tag, dict(attrs)))
        if tag == "tr":
            self.rows.append([])
        if tag in ("td", "th"):
            self._cell = []

    def handle_endtag(self, tag: str) -> None:
        if tag in ("td", "th") and self._cell is not None:
            self.rows[-1].append("".join(self._cell).strip())
            self._cell = None

    def handle_data(self, data: str) -> None:
        self.text.append(data)
        if self._cell is not None:
            self._cell.append(data)


def test_html_is_self_contained_and_matches_compute(files: dict[str, Path]) -> None:
    page = _Collector()
    page.feed(files["html"].read_text("utf-8"))
    tags = page.tags
    assert ("html", {"lang": "ru"}) in tags
    assert not [t for t, a in tags if t in ("link", "img", "iframe")]
    assert not [a for t, a in tags if t == "script"]
    assert sum(1 for t, _ in tags if t == "svg") >= len(KARABASH.info.mechanism.criteria)  # type: ignore[union-attr]
    rows = {r[0]: r for r in page.rows if r and r[0].startswith("k") and len(r) > 8}
    assert rows["k08"][5] == _pct(_muni("k08")["value"])
    assert rows["k01"][7] == "66,6 %"
    text = "".join(page.text)
    assert "Адресные рекомендации" in text and "Анализ эффективности принятых мер" in text
    assert not PERSON_ID.search(text)


# --------------------------------------------------------------------------- CLI


def test_cli_report_on_the_sample(tmp_path: Path) -> None:
    result = CliRunner().invoke(
        main,
        ["report", "--profile", "karabash", "-o", str(tmp_path), "--format", "xlsx", "--no-rating"],
    )
    assert result.exit_code == 0, result.output
    assert "демонстрационных" in result.output
    assert "Реестр мер" in result.output and "принято мер: 6" in result.output
    assert (tmp_path / f"ias-karabash-{CURRENT}.xlsx").is_file()
    assert not (tmp_path / f"ias-karabash-{CURRENT}.docx").exists()


def test_cli_report_on_a_data_folder(tmp_path: Path) -> None:
    data = tmp_path / "data"
    data.mkdir()
    for entry in SAMPLE_DIR.iterdir():
        if entry.name.endswith(".csv"):
            with entry.open("rb") as src, (data / entry.name).open("wb") as dst:
                shutil.copyfileobj(src, dst)
    out = tmp_path / "out"
    result = CliRunner().invoke(
        main,
        [
            "report",
            "--profile",
            "karabash",
            str(data),
            "-o",
            str(out),
            "--format",
            "html",
            "--no-charts",
            "--period",
            "2022-2023",
        ],
    )
    assert result.exit_code == 0, result.output
    html = (out / "ias-karabash-2022-2023.html").read_text("utf-8")
    assert "2022-2023 учебный год" in html
    assert "демонстрационных" not in html
    assert "М-2022-1" in html  # the register found in the folder


def test_cli_report_refuses_an_unknown_profile(tmp_path: Path) -> None:
    result = CliRunner().invoke(main, ["report", "--profile", "nowhere", "-o", str(tmp_path)])
    assert result.exit_code != 0
    assert "не найден" in result.output


@pytest.mark.parametrize("profile_id", [p.id for p in pedprof.list_profiles()])
def test_every_installed_profile_gets_a_report(profile_id: str, tmp_path: Path) -> None:
    profile = pedprof.get_profile(profile_id)
    report = build_report(profile, pedprof.load_sample(profile), rating=False)
    written = write_reports(report, tmp_path, formats=("html", "docx"), charts=False)
    page = _Collector()
    page.feed(written["html"].read_text("utf-8"))
    text = "".join(page.text)
    assert profile.info.territory in text
    assert "Адресные рекомендации" in text
    headers = [t[0] for t in _docx_text(written["docx"])[1]]
    if not profile.targets:  # a profile without targets gets no «Цель» column at all
        assert not any("Цель" in h for h in headers)


def test_docx_rating_section_ranks_every_organisation(files: dict[str, Path]) -> None:
    _, tables, _ = _docx_text(files["docx"])
    rating = next(t for t in tables if t[0][:2] == ["Место", "Организация"])
    places = [int(row[0]) for row in rating[1:]]
    assert places == sorted(places) and places[0] == 1
    active = DATA.organizations[DATA.organizations["valid_to"].isna()]
    assert {row[1] for row in rating[1:]} == set(active["name"])
