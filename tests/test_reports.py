"""The ИАС files, read back with python-docx, openpyxl and html.parser and checked
against :func:`pedprof.compute` on the Karabash sample (values formatted here, by hand)."""

from __future__ import annotations

import datetime as dt
import re
import shutil
from html.parser import HTMLParser
from importlib import resources
from pathlib import Path
from typing import Any

import attrs
import docx
import openpyxl
import pandas as pd
import pytest
from click.testing import CliRunner

import pedprof
from pedprof.cli import main
from pedprof.cycle.documents import (
    DocumentRegistry,
    RegisteredDocument,
    assess_completeness,
    chain_verdict,
    cycle_chains,
    document_registry,
)
from pedprof.cycle.measures import load_measures
from pedprof.cycle.roadmaps import (
    load_statuses,
    roadmap_execution_summary,
    status_template,
    track_execution,
)
from pedprof.evaluate.analysis import change_reasons
from pedprof.model.mechanism import CycleComponent, Document
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
        full=True,
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
    results = [t for t in tables if t and t[0][:3] == ["№", "Показатель", "2020-2021"]]
    assert len(results) == len(KARABASH.info.mechanism.criteria)  # type: ignore[union-attr]
    # rows by indicator: the number in the order, and the reading named after the name
    rows = {_row_key(t_row): t_row for t in results for t_row in t}
    header = results[0][0]
    assert header[2:6] == ["2020-2021", "2021-2022", "2022-2023", "2023-2024"]
    for ind in ("k01", "k05", "k08", "k24"):
        for col, period in enumerate(header[2:6], start=2):
            assert rows[ind][col] == _pct(_muni(ind, period)["value"]), (ind, period)
    assert rows["k06"][5] == str(int(_muni("k06")["value"]))
    assert rows["k01"][7] == "66,6 %"  # the cumulative target from the second cycle on
    assert rows["k08"][-1] == "отрицательная динамика"  # 26,5 % → 21,0 %
    assert rows["k08"][6] == "−5,5 п.п."


def _row_key(row: list[str]) -> str:
    """«k01» for the row numbered «1», «k01.annual» for its annual reading (by hand: the
    Karabash order numbers its 24 indicators 1–24, as their codes do)."""
    if not row[0].isdigit():
        return row[0]
    code = f"k{int(row[0]):02d}"
    if row[1].endswith("(годовое чтение)"):
        return f"{code}.annual"
    if row[1].endswith("(за трёхлетний период)"):
        return f"{code}.three_years"
    return code


def test_docx_recommendations_and_measures(files: dict[str, Path]) -> None:
    _, tables, text = _docx_text(files["docx"])
    assert "Руководителям образовательных организаций:" in text
    assert "МОУ ООШ № 4: 1 при требовании не менее 2 в каждой организации" in text
    eff = next(t for t in tables if t[0][0] == "№" and "Вывод" in t[0] and "До" in t[0])
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
    rows: dict[str, list[str]] = {}
    for r in page.rows:  # the results tables come first
        if r and r[0].isdigit() and len(r) > 8:
            rows.setdefault(_row_key(r), r)
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


# --------------------------------------------------------------------------- management cycle,
# roadmap execution, reasons for changes (issues 8 and 4)

ROADMAP_TODAY = dt.date(2024, 9, 1)
MAGNITOGORSK = pedprof.get_profile("magnitogorsk")
MAGNITOGORSK_DATA = pedprof.load_sample(MAGNITOGORSK)


def _karabash_statuses() -> pd.DataFrame:
    """Every 2021 position done, every 2022 position in progress (Russian headers, as a
    methodologist fills the form)."""
    template = status_template(KARABASH)
    template["Статус"] = template["Год"].map({2021: "выполнено", 2022: "выполняется"}).fillna("")
    return template[template["Статус"] != ""].reset_index(drop=True)


@pytest.fixture(scope="module")
def cycle_report(tmp_path_factory: pytest.TempPathFactory) -> tuple[Any, dict[str, Path]]:
    with SAMPLE_DIR.joinpath("measures.csv").open("rb") as fh:
        register = load_measures(
            pd.read_csv(fh, dtype=str, keep_default_na=False), profile=KARABASH
        )
    statuses = load_statuses(_karabash_statuses(), KARABASH)
    assert not statuses.problems
    report = build_report(
        KARABASH,
        DATA,
        RESULTS,
        measures=register,
        rating=False,
        roadmap_status=statuses,
        today=ROADMAP_TODAY,
        full=True,
    )
    files = write_reports(report, tmp_path_factory.mktemp("ias-cycle"), formats=("docx", "xlsx"))
    files.update(
        write_reports(report, tmp_path_factory.mktemp("ias-cycle-html"), formats=("html",))
    )
    registry = document_registry(KARABASH, measures=register).merged(_this_report())
    return (report, registry, statuses), files


def _this_report() -> DocumentRegistry:
    """The справка itself, the analysis link of the cycle (written by hand)."""
    doc = Document(
        type="информационно-аналитическая справка",
        title="настоящая справка по результатам мониторинга за 2023-2024 учебный год",
        date=dt.date.today(),
        components=(CycleComponent.ANALYSIS,),
    )
    return DocumentRegistry((RegisteredDocument(id="ИАС", document=doc),))


def test_cycle_sections_are_numbered_after_the_rating(cycle_report: Any) -> None:
    _, files = cycle_report
    headings, _, _ = _docx_text(files["docx"])
    # no rating here: the cycle is section 10 and the roadmap 11
    assert "10. Полнота управленческого цикла" in headings
    assert "10.1. Цепочки по критериям" in headings
    assert "11. Исполнение дорожной карты" in headings
    assert headings.index("11. Исполнение дорожной карты") < headings.index(
        "Приложение 1. Методика расчёта показателей"
    )


def test_docx_completeness_table_matches_assess_completeness(cycle_report: Any) -> None:
    (_, registry, _), files = cycle_report
    expected = assess_completeness(KARABASH, registry)
    _, tables, text = _docx_text(files["docx"])
    table = next(t for t in tables if t[0][:3] == ["Компонент", "Группа документов", "Состояние"])
    body = table[1:]
    assert [r[0] for r in body] == expected.frame["label"].tolist()
    assert [r[2] for r in body] == expected.frame["state_label"].tolist()
    points = [float(r[4].replace(",", ".")) for r in body]
    assert points == expected.frame["points"].tolist()
    assert sum(points) == expected.score
    assert expected.text().split("\n")[0] in text
    for gap in expected.gaps:
        assert gap in text
    # the справка does not list itself as a missing document of the cycle
    analysis = body[[r[0] for r in body].index("Анализ результатов мониторинга")]
    assert analysis[2] != "нет документа" and "настоящая справка" in analysis[3]


def test_docx_chain_matrix_and_details_match_cycle_chains(cycle_report: Any) -> None:
    (_, registry, _), files = cycle_report
    chains = cycle_chains(KARABASH, registry)
    labels = {
        "specific": "есть, по критерию",
        "general": "есть, общий",
        "declared": "предусмотрено, нет документа",
        "missing": "нет",
    }
    expected = (
        chains.assign(short=chains["state"].map(labels))
        .pivot_table(index="criterion", columns="step", values="short", aggfunc="first")
        .sort_index(axis=1)
    )
    _, tables, text = _docx_text(files["docx"])
    matrix = next(t for t in tables if t[0][:2] == ["№", "Критерий (показатели)"])
    assert matrix[0][2:] == [
        "Показатель",
        "Мониторинговое мероприятие",
        "Аналитическая справка",
        "Адресные рекомендации",
        "Меры, мероприятия",
        "Управленческое решение",
        "Анализ эффективности принятых мер",
    ]
    got = {f"c{row[0]}": row[2:] for row in matrix[1:]}  # criteria numbered 1–7, as c1–c7
    assert set(got) == set(expected.index)
    for crit, row in expected.iterrows():
        assert got[crit] == row.tolist(), crit
    details = [
        t
        for t in tables
        if t[0] == ["№", "Звено", "Состояние", "Документы / предусмотрено механизмом"]
    ]
    assert len(details) == chains["criterion"].nunique()
    for _, rows in chains.groupby("criterion", sort=False):
        assert chain_verdict(rows) in text
    d = docx.Document(str(files["docx"]))
    images = [r for r in d.part.rels.values() if "image" in r.reltype]
    criteria = len(KARABASH.info.mechanism.criteria)  # type: ignore[union-attr]
    assert len(images) >= criteria + 1  # the charts per criterion and the chain diagram


def test_docx_roadmap_summary_matches_roadmap_execution_summary(cycle_report: Any) -> None:
    (_, registry, statuses), files = cycle_report
    summary = roadmap_execution_summary(
        KARABASH, statuses, today=ROADMAP_TODAY, documents=registry, years=[2021, 2022, 2023, 2024]
    )
    _, tables, text = _docx_text(files["docx"])
    table = next(t for t in tables if t[0][:3] == ["Год", "Мероприятий", "Срок наступил"])
    expected = summary.table.drop(columns="Дорожная карта")
    assert table[0] == list(expected.columns)
    assert [[int(c) for c in row] for row in table[1:]] == expected.to_numpy().tolist()
    # by hand: every 2021 position is recorded as done, so none is overdue; 2022's are
    # recorded as in progress and past due on 01.09.2024: overdue unless conditional
    by_year = {row[0]: row for row in table[1:]}
    header = table[0]
    assert by_year["2021"][header.index("Просрочено")] == "0"
    # every 2021 position is recorded as done
    done_2021 = by_year["2021"][header.index("Выполнено")]
    assert done_2021 == by_year["2021"][header.index("Мероприятий")]
    y22 = by_year["2022"]
    assert int(y22[header.index("Просрочено")]) == int(y22[header.index("Мероприятий")]) - int(
        y22[header.index("Выполняется")]
    )
    for paragraph in summary.text.split("\n\n"):
        assert paragraph in text
    overdue = next(t for t in tables if t[0][:3] == ["№ п/п", "Мероприятие", "Год"])
    assert len(overdue) - 1 == len(summary.overdue)
    assert {(r[0], r[2]) for r in overdue[1:]} == {
        (str(n), str(int(y)))
        for n, y in zip(summary.overdue["number"], summary.overdue["year"], strict=True)
    }
    assert "не представлены" not in text.split("11. Исполнение дорожной карты")[-1][:300]


def test_xlsx_cycle_and_roadmap_sheets(cycle_report: Any) -> None:
    (_, registry, statuses), files = cycle_report
    wb = openpyxl.load_workbook(files["xlsx"], read_only=True)
    assert {"Управленческий цикл", "Цепочки", "Дорожная карта"} <= set(wb.sheetnames)
    chains = cycle_chains(KARABASH, registry)
    rows = list(wb["Цепочки"].iter_rows(values_only=True))
    top = next(k for k, r in enumerate(rows) if r and r[0] == "Критерий")
    body = [r for r in rows[top + 1 :] if r and r[0]]
    assert len(body) == len(chains)
    assert [(r[0], r[3], r[5]) for r in body] == list(
        zip(chains["criterion"], chains["step"], chains["state_label"], strict=True)
    )
    execution = track_execution(
        KARABASH, statuses, today=ROADMAP_TODAY, documents=registry, years=[2021, 2022, 2023, 2024]
    )
    rows = list(wb["Дорожная карта"].iter_rows(values_only=True))
    top = next(k for k, r in enumerate(rows) if r and r[0] == "№ п/п")
    body = [r for r in rows[top + 1 :] if r and r[0]]
    assert len(body) == len(execution)
    assert sum(1 for r in body if r[4] == "просрочено") == int(
        (execution["state"] == "overdue").sum()
    )


def test_html_has_the_cycle_sections_and_the_diagram(cycle_report: Any) -> None:
    _, files = cycle_report
    page = _Collector()
    page.feed(files["html"].read_text("utf-8"))
    text = "".join(page.text)
    assert "Полнота управленческого цикла" in text and "Исполнение дорожной карты" in text
    criteria = len(KARABASH.info.mechanism.criteria)  # type: ignore[union-attr]
    assert sum(1 for t, _ in page.tags if t == "svg") >= criteria + 1
    assert ("a", {"href": "#cycle"}) in page.tags and ("a", {"href": "#roadmap"}) in page.tags


def test_without_statuses_the_report_says_execution_is_not_recorded(tmp_path: Path) -> None:
    report = build_report(KARABASH, DATA, RESULTS, rating=False, today=ROADMAP_TODAY)
    html = write_reports(report, tmp_path, formats=("html",), charts=False)["html"]
    text = html.read_text("utf-8")
    assert "Сведения об исполнении мероприятий дорожной карты не представлены" in text
    assert "Просроченные мероприятия дорожной карты" not in text  # no list of «overdue» rows
    bare = build_report(KARABASH, DATA, RESULTS, rating=False, cycle=False)
    assert bare.cycle is None and bare.roadmap is None
    page = write_reports(bare, tmp_path / "bare", formats=("html",), charts=False)["html"]
    assert "Полнота управленческого цикла" not in page.read_text("utf-8")


# --------------------------------------------------------------------------- reasons


def _plain_reasons() -> pd.DataFrame:
    """Magnitogorsk's recorded reasons per period, with plain pandas on the sample CSV."""
    sample = resources.files("pedprof_magnitogorsk").joinpath("data/sample/associations.csv")
    with sample.open("rb") as fh:
        assoc = pd.read_csv(fh, dtype=str, keep_default_na=False)
    given = assoc[assoc["reason"].str.strip() != ""]
    return (
        given.groupby("period", sort=True)["reason"]
        .agg(lambda s: " ".join(dict.fromkeys(s.str.strip())))
        .rename("reasons")
        .reset_index()
    )


def test_change_reasons_collects_the_recorded_reasons() -> None:
    plain = _plain_reasons()
    got = change_reasons(MAGNITOGORSK, MAGNITOGORSK_DATA)
    # only the count indicator of the associations table (m01), not the site-check shares
    assert set(got["indicator"]) == {"m01"}
    assert got["unit"].unique().tolist() == ["magnitogorsk"]
    assert dict(zip(got["period"], got["reasons"].map(" ".join), strict=True)) == dict(
        zip(plain["period"], plain["reasons"], strict=True)
    )
    by_org = change_reasons(MAGNITOGORSK, MAGNITOGORSK_DATA, level="organization")
    assert by_org["rows"].sum() == got["rows"].sum()
    assert change_reasons(KARABASH, DATA).empty  # Karabash's tables carry no reasons


def test_reasons_are_shown_next_to_the_change(tmp_path: Path) -> None:
    report = build_report(MAGNITOGORSK, MAGNITOGORSK_DATA, rating=False, cycle=False, full=True)
    files = write_reports(report, tmp_path, charts=False)
    plain = _plain_reasons()
    m01 = pedprof.compute(MAGNITOGORSK, MAGNITOGORSK_DATA, indicators=["m01"])
    m01 = m01[(m01["level"] == "municipality") & m01["breakdown"].isna()].set_index("period")
    periods = [str(p) for p in m01.index]
    _, _, text = _docx_text(files["docx"])
    assert "Причины изменений, указанные в представленных сведениях:" in text
    for period, reasons in zip(plain["period"], plain["reasons"], strict=True):
        change = m01.loc[period, "value"] - m01.loc[period, "previous_value"]
        sign = "+" if change > 0 else "−" if change < 0 else "±"
        previous = periods[periods.index(period) - 1]
        line = (
            f"Показатель 1, {period} (изменение к {previous}: {sign}{abs(int(change))}): {reasons}"
        )
        assert line in text, line
    ws = openpyxl.load_workbook(files["xlsx"], read_only=True)["Причины изменений"]
    rows = list(ws.iter_rows(values_only=True))
    top = next(k for k, r in enumerate(rows) if r and r[0] == "Код")
    body = [r for r in rows[top + 1 :] if r and r[0]]
    assert [(r[0], r[3], r[8]) for r in body] == [
        ("m01", p, r) for p, r in zip(plain["period"], plain["reasons"], strict=True)
    ]
    for r in body:
        assert r[7] == m01.loc[r[3], "value"] - m01.loc[r[3], "previous_value"]


# --------------------------------------------------------------------------- CLI options


def test_cli_report_with_roadmap_statuses(tmp_path: Path) -> None:
    statuses = _karabash_statuses()
    bad = pd.DataFrame([{"№ п/п": "99.9", "Год": 2021, "Статус": "выполнено"}])
    path = tmp_path / "исполнение.csv"
    pd.concat([statuses, bad], ignore_index=True).to_csv(path, index=False)
    out = tmp_path / "out"
    result = CliRunner().invoke(
        main,
        [
            "report",
            "--profile",
            "karabash",
            "-o",
            str(out),
            "--format",
            "html",
            "--no-charts",
            "--no-rating",
            "--roadmap-status",
            str(path),
            "--today",
            "01.09.2024",
            "--full",
        ],
    )
    assert result.exit_code == 0, result.output
    assert f"принято строк: {len(statuses)}, не принято: 1" in result.output
    assert "нет мероприятия № 99.9" in result.output
    assert "Управленческий цикл: неполный" in result.output
    html = (out / f"ias-karabash-{CURRENT}.html").read_text("utf-8")
    assert "Исполнение дорожной карты на 01.09.2024" in html
    assert "Просроченные мероприятия дорожной карты" in html
    bad_date = CliRunner().invoke(
        main, ["report", "--profile", "karabash", "-o", str(out), "--today", "завтра"]
    )
    assert bad_date.exit_code != 0 and "не является датой" in bad_date.output


# --------------------------------------------------------------------------- the first period
# (issue 11): a due target is judged against the target; «нет данных для сравнения» is the
# change, and every criterion conclusion names the problem zones the report lists.

FIRST = "2021-2022"


def _first_period_report() -> Any:
    one = DATA.with_tables(
        **{k: t[t["period"].astype(str) == FIRST] for k, t in DATA.tables.items()}
    )
    return build_report(KARABASH, one, rating=False, cycle=False, full=True)


#: The Karabash indicators by their numbers in order No 213 (by hand: 1–24, the readings
#: named after the number).
NUMBER = {
    **{f"k{n:02d}": str(n) for n in range(1, 25)},
    "k01.annual": "1 (годовое чтение)",
    "k02.annual": "2 (годовое чтение)",
    "k20.three_years": "20 (за трёхлетний период)",
}
CODE = {v: k for k, v in NUMBER.items()}


def _ids(text: str) -> set[str]:
    """«показатели 1, 1 (годовое чтение), 3» → {k01, k01.annual, k03}."""
    text = text.strip().removeprefix("показатели ").removeprefix("показатель ")
    return {CODE[x.strip()] for x in text.split(",") if x.strip()}


def _zone_code(label: str) -> str:
    """«19 (руководящий работник)» → k19; «1 (годовое чтение)» → k01.annual."""
    return CODE.get(label) or CODE[label.split(" ")[0]]


def test_first_period_report_judges_targets_and_agrees_with_problem_zones(
    tmp_path: Path,
) -> None:
    report = _first_period_report()
    assert report.analysis.period == FIRST and report.analysis.previous_period is None
    docx_path = write_reports(report, tmp_path, formats=("docx",), charts=False)["docx"]
    d = docx.Document(str(docx_path))
    tables = [[[c.text for c in row.cells] for row in t.rows] for t in d.tables]
    results = [t for t in tables if t and t[0][:3] == ["№", "Показатель", FIRST]]
    rows = {_row_key(r): r for t in results for r in t[1:]}
    # k01: 70 of 181 = 38,7 % against 66,6 % due — missed, whatever the missing year before
    assert rows["k01"][2:] == [
        _pct(100 * 70 / 181),
        "нет данных для сравнения",
        "66,6 %",
        "целевое значение не достигнуто",
    ]
    # no row that has a due target to judge says «нет данных для сравнения» as its state
    cur = report.analysis.current().set_index("indicator")
    for ind, row in rows.items():
        if cur.loc[ind, "target_status"] in ("met", "not_met"):
            assert row[-1] != "нет данных для сравнения", ind
    problems = next(
        t for t in tables if t and t[0][0] == "Показатель (№)" and t[0][-1] == "Проблема"
    )
    in_zones = {_zone_code(r[0]) for r in problems[1:]}
    assert "k01" in in_zones
    conclusions = [p.text for p in d.paragraphs if p.text.startswith("Вывод по критерию:")]
    criteria = [
        (cid, [i.id for i in KARABASH.indicators if i.criterion == cid])
        for cid, _ in KARABASH.info.mechanism.criteria  # type: ignore[union-attr]
    ]
    assert len(conclusions) == len(criteria)
    for text, (cid, members) in zip(conclusions, criteria, strict=True):
        assert not re.search(r"\bk\d\d", text), text  # no codes in the signed text
        expected = in_zones & set(members)
        if expected:
            tail = text.split("со снижением) — ", 1)[1].rstrip(".")
            assert _ids(tail) == expected, cid
        else:
            assert text.endswith("проблемных зон нет."), cid
        missed = {i for i in members if cur.loc[i, "target_status"] == "not_met"}
        if missed:
            head = text.split("не достигнуты — ", 1)[1].split(";")[0].split(" (достигнуты")[0]
            assert _ids(head) == missed, cid
        else:
            assert "не достигнуты" not in text, cid
    assert "не достигнуты — показатели 1, 2 (" in conclusions[0]


def test_first_period_concise_report_agrees_with_the_full_one(tmp_path: Path) -> None:
    """The concise справка states the same conclusions per criterion as the full one."""
    full = _first_period_report()
    concise = attrs.evolve(full, full=False)
    files = write_reports(concise, tmp_path, formats=("docx",), charts=False)
    d = docx.Document(str(files["docx"]))
    said = [p.text for p in d.paragraphs if p.text.startswith("Вывод по критерию:")]
    expected = [full.official(str(c)) for c in full.analysis.criteria["conclusion"]]
    assert said == expected
    summary = next(t for t in _docx_text(files["docx"])[1] if t[0][0] == "№")
    k01 = next(r for r in summary if r[0] == "1" and not r[1].endswith(")"))
    assert k01[2:] == [
        _pct(100 * 70 / 181),
        "нет данных для сравнения",
        "66,6 %",
        "целевое значение не достигнуто",
    ]


# --------------------------------------------------------------------------- the date execution
# is judged on: a past period is never judged from the day the program runs (issue 11)


def test_report_judges_the_roadmap_on_the_last_day_of_the_period() -> None:
    report = build_report(KARABASH, DATA, RESULTS, rating=False)
    end = dt.date(2024, 8, 31)  # 2023-2024 ends on 31 August
    assert report.roadmap_today == end
    assert report.today_text == (
        "Дата, на которую оценено исполнение: 31.08.2024 (конец анализируемого периода)."
    )
    ex = report.roadmap.execution  # type: ignore[union-attr]
    overdue = ex[ex["state"] == "overdue"]
    assert len(overdue) and (overdue["due"] < end).all()
    later = ex[ex["due"].notna() & (ex["due"] > end)]
    assert len(later) and not (later["state"] == "overdue").any()  # e.g. due 31.12.2024
    # the same as asking for that date explicitly, and unlike judging from today
    explicit = build_report(KARABASH, DATA, RESULTS, rating=False, today=end)
    assert list(explicit.roadmap.execution["state"]) == list(ex["state"])  # type: ignore[union-attr]
    now = build_report(KARABASH, DATA, RESULTS, rating=False, today=dt.date.today())
    assert (now.roadmap.execution["state"] == "overdue").sum() > len(overdue)  # type: ignore[union-attr]


def test_cli_report_and_roadmap_say_which_date_they_used(tmp_path: Path) -> None:
    runner = CliRunner()
    result = runner.invoke(
        main,
        [
            "report",
            "--profile",
            "karabash",
            "-o",
            str(tmp_path),
            "--format",
            "docx",
            "--no-charts",
            "--no-rating",
        ],
        terminal_width=200,
    )
    assert result.exit_code == 0, result.output
    said = "Дата, на которую оценено исполнение: 31.08.2024 (конец анализируемого периода)."
    assert said in result.output
    report = build_report(KARABASH, DATA, RESULTS, rating=False)
    overdue = int((report.roadmap.execution["state"] == "overdue").sum())  # type: ignore[union-attr]
    assert f"просроченных позиций — {overdue} " in result.output
    _, _, text = _docx_text(tmp_path / f"ias-karabash-{CURRENT}.docx")
    assert said in text
    wide = {"COLUMNS": "400"}
    roadmap = runner.invoke(main, ["roadmap", "--profile", "karabash"], env=wide)
    assert roadmap.exit_code == 0, roadmap.output
    assert (
        "Дата, на которую оценено исполнение: 31.12.2024 (конец анализируемого периода)."
        in roadmap.output
    )
    expected = track_execution(KARABASH, today=dt.date(2024, 12, 31))
    assert f"Просрочено {int((expected['state'] == 'overdue').sum())} позиц" in roadmap.output
    assert int((expected["state"] == "overdue").sum()) < int(
        (track_execution(KARABASH, today=dt.date.today())["state"] == "overdue").sum()
    )
    one_year = runner.invoke(main, ["roadmap", "--profile", "karabash", "--year", "2022"], env=wide)
    assert "31.12.2022 (конец анализируемого периода)" in one_year.output


# --------------------------------------------------------------------------- bad input: every
# command that reads data reads it as pedprof check does and refuses the same way


@pytest.fixture(scope="module")
def sample_forms(tmp_path_factory: pytest.TempPathFactory) -> Path:
    from pedprof.io import write_sample

    folder = tmp_path_factory.mktemp("forms")
    write_sample(KARABASH, folder, data=DATA)
    return folder


def _altered(sample_forms: Path, target: Path, which: str) -> Path:
    """A copy of the forms with one header cell renamed: the municipal form's first
    column, or the register's «Код муниципалитета»."""
    shutil.copytree(sample_forms, target)
    if which == "form":
        path, sheet, column = target / CURRENT / "karabash.xlsx", "Мероприятия", 1
    else:
        path, sheet, column = target / "register.xlsx", "Реестр организаций", 3
    wb = openpyxl.load_workbook(path)
    wb[sheet].cell(2, column).value = "Что-то другое"
    wb.save(path)
    return target


DATA_COMMANDS = {
    "report": ["report", "--profile", "karabash", "--format", "html", "--no-charts"],
    "compute": ["compute", "--profile", "karabash"],
    "rate": ["rate", "--profile", "karabash", "--no-sensitivity"],
}


def _command(name: str, data: Path, out: Path, results: Path) -> list[str]:
    if name == "report":
        return [*DATA_COMMANDS[name], str(data), "-o", str(out)]
    if name == "compute":
        return [*DATA_COMMANDS[name], str(data), "-o", str(out / "r.xlsx")]
    return [*DATA_COMMANDS[name], str(results), "--register", str(data)]


@pytest.mark.parametrize("which", ["form", "register"])
@pytest.mark.parametrize("name", list(DATA_COMMANDS))
def test_data_commands_refuse_altered_headers_without_a_traceback(
    sample_forms: Path, tmp_path: Path, which: str, name: str
) -> None:
    data = _altered(sample_forms, tmp_path / "data", which)
    results = tmp_path / "results.parquet"
    RESULTS.to_parquet(results)
    runner = CliRunner()
    check = runner.invoke(
        main, ["check", "--profile", "karabash", str(data), "--report", str(tmp_path / "e.xlsx")]
    )
    result = runner.invoke(main, _command(name, data, tmp_path / "out", results))
    assert result.exit_code != 0, result.output
    assert isinstance(result.exception, SystemExit), repr(result.exception)
    assert "Traceback" not in result.output and "KeyError" not in result.output
    assert re.search("[а-яё]{4}", result.output.lower())
    if which == "form":
        # the message check prints, then the refusal
        message = "в строке заголовков нет обязательных столбцов: «Номер мероприятия»"
        assert message in " ".join(check.output.split())
        assert message in " ".join(result.output.split())
        assert "Часть сведений отклонена при проверке" in result.output
        assert "--allow-rejected" in result.output
    assert not (tmp_path / "out" / "r.xlsx").exists()


def test_allow_rejected_goes_on_and_the_report_says_so(sample_forms: Path, tmp_path: Path) -> None:
    data = _altered(sample_forms, tmp_path / "data", "form")
    out = tmp_path / "out"
    result = CliRunner().invoke(
        main,
        [*DATA_COMMANDS["report"], str(data), "-o", str(out), "--no-rating", "--allow-rejected"],
    )
    assert result.exit_code == 0, result.output
    assert "отклонено: 25" in " ".join(result.output.split())
    html = (out / f"ias-karabash-{CURRENT}.html").read_text("utf-8")
    assert "Справка построена без 25 строк сведений, отклонённых при проверке" in html


# --------------------------------------------------------------------------- issue 16: the
# concise справка, official text only, numbered captions, preface, suppression, print setup


@pytest.fixture(scope="module")
def concise(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    with SAMPLE_DIR.joinpath("measures.csv").open("rb") as fh:
        register = load_measures(
            pd.read_csv(fh, dtype=str, keep_default_na=False), profile=KARABASH
        )
    report = build_report(KARABASH, DATA, RESULTS, measures=register, suppress_below=5)
    assert not report.full  # concise is the default
    return write_reports(report, tmp_path_factory.mktemp("ias-concise"))


def test_concise_report_has_the_six_parts_and_every_indicator(concise: dict[str, Path]) -> None:
    headings, tables, _ = _docx_text(concise["docx"])
    headings = [h for h in headings if h[0].isdigit() or h.isupper()]  # the numbered parts
    assert headings == [
        "ИНФОРМАЦИОННО-АНАЛИТИЧЕСКАЯ СПРАВКА",
        "1. Цель и основания",
        "2. Сводные результаты мониторинга",
        "3. Выводы по критериям",
        "4. Проблемные зоны",
        "5. Адресные рекомендации",
        "6. Меры и управленческие решения",
    ]
    summary = tables[0]
    assert summary[0] == ["№", "Показатель", "2022-2023", CURRENT, "Изменение", "Цель", "Состояние"]
    rows = {_row_key(r): r for r in summary[1:] if r[0]}
    assert set(rows) == {i.id for i in KARABASH.indicators}
    for ind in ("k01", "k05", "k08", "k24"):
        assert rows[ind][3] == _pct(_muni(ind)["value"])
        assert rows[ind][2] == _pct(_muni(ind, "2022-2023")["value"])
    assert rows["k08"][4] == "−5,5 п.п." and rows["k08"][-1] == "отрицательная динамика"
    # a line per criterion, in bold, before its indicators
    criteria = [name for _, name in KARABASH.info.mechanism.criteria]  # type: ignore[union-attr]
    assert [r[1] for r in summary[1:] if not r[0]] == criteria


def _signed_text(path: Path) -> str:
    _, tables, text = _docx_text(path)
    return text + "\n" + "\n".join(c for t in tables for row in t for c in row)


LATIN = re.compile(r"[A-Za-z][A-Za-z0-9_.]*")
ROMAN = re.compile(r"^[IVXLC]+$")


@pytest.mark.parametrize("full", [False, True])
@pytest.mark.parametrize("profile_id", [p.id for p in pedprof.list_profiles()])
def test_signed_text_has_no_codes_commands_or_package_names(
    profile_id: str, full: bool, tmp_path: Path
) -> None:
    profile = pedprof.get_profile(profile_id)
    report = build_report(profile, pedprof.load_sample(profile), full=full, rating=False)
    written = write_reports(report, tmp_path, formats=("docx", "html"), charts=False)
    text = _signed_text(written["docx"])
    # Russian text: any Latin word is a leaked code, rule id, command or package name
    # (Roman numerals and the «k» of a formula's «k-м периоде» aside)
    latin = {w for w in LATIN.findall(text) if not ROMAN.match(w.rstrip(".")) and w != "k"}
    assert latin == set(), latin
    for rule in profile.recommendation_rules:
        assert f"«{rule.id}»" not in text
    assert "Аналитическая справка — нет документа" not in text
    page = _Collector()
    page.feed(re.sub(r"(?s)<style>.*?</style>", "", written["html"].read_text("utf-8")))
    shown = "".join(page.text)
    for ind in profile.indicators:
        assert not re.search(rf"(?<![\w.]){re.escape(ind.id)}(?!\w)", shown), ind.id
    assert "pedprof" not in shown


@pytest.mark.parametrize("full", [False, True])
def test_every_table_and_figure_is_numbered_with_a_sentence(full: bool, tmp_path: Path) -> None:
    report = build_report(KARABASH, DATA, RESULTS, full=full, rating=False)
    path = write_reports(report, tmp_path, formats=("docx",))["docx"]
    d = docx.Document(str(path))
    texts = [p.text for p in d.paragraphs]
    tables = [t for t in texts if re.match(r"^Таблица \d+\. ", t)]
    figures = [t for t in texts if re.match(r"^Рисунок \d+\. ", t)]
    assert [int(t.split()[1].rstrip(".")) for t in tables] == list(range(1, len(d.tables) + 1))
    assert [int(t.split()[1].rstrip(".")) for t in figures] == list(range(1, len(figures) + 1))
    assert all(t.endswith(".") for t in tables + figures)
    assert not [t for t in texts if t.strip() in ("Таблица.", "Рисунок.")]
    if full:
        assert len(figures) >= len(KARABASH.info.mechanism.criteria)  # type: ignore[union-attr]


def test_preface_is_inserted_verbatim_after_the_title(tmp_path: Path) -> None:
    words = (
        "Справка подготовлена методическим кабинетом по итогам августовского совещания.\n\n"
        "Обращаем внимание руководителей на сроки — до 05.08 «ежегодно»."
    )
    for preface in (words, tmp_path / "предисловие.txt"):
        if isinstance(preface, Path):
            preface.write_text(words, encoding="utf-8")
        report = build_report(KARABASH, DATA, RESULTS, rating=False, cycle=False, preface=preface)
        path = write_reports(report, tmp_path / "out", formats=("docx",))["docx"]
        texts = [p.text for p in docx.Document(str(path)).paragraphs]
        first, second = words.split("\n\n")
        k = texts.index(first)
        assert texts[k + 1] == second
        assert k < texts.index("1. Цель и основания")


def test_suppressed_values_never_show_a_status(tmp_path: Path) -> None:
    """With a threshold above every denominator, every share over persons is hidden and so
    is its status, in the .docx and the workbook; counts are shown as they are."""
    report = build_report(KARABASH, DATA, RESULTS, rating=False, cycle=False, suppress_below=10_000)
    files = write_reports(report, tmp_path, formats=("docx", "xlsx"), charts=False)
    summary = _docx_text(files["docx"])[1][0]
    rows = {_row_key(r): r for r in summary[1:] if r[0]}
    for ind in KARABASH.indicators:
        row = rows[ind.id]
        if ind.is_share and ind.distinct == "person_id":
            assert row[3] == "*" and row[4] == "*", ind.id
            assert row[-1] == "значение не приводится", ind.id
        else:
            assert row[3] != "*", ind.id
    assert rows["k06"][3] == str(int(_muni("k06")["value"]))
    ws = openpyxl.load_workbook(files["xlsx"], read_only=True)["Сводка"]
    body = list(ws.iter_rows(values_only=True))
    top = next(k for k, r in enumerate(body) if r and r[0] == "Код")
    for r in body[top + 1 :]:
        if r[0] in ("k01", "k08"):
            assert r[5] == "*" and r[-1] == "значение не приводится" and r[-2] == r[-1]
    problems = list(
        openpyxl.load_workbook(files["xlsx"], read_only=True)["Проблемные зоны"].iter_rows(
            values_only=True
        )
    )
    assert not any(r and str(r[0]).startswith(("k01", "k08")) for r in problems)


def test_counts_of_organisations_are_not_suppressed_as_persons() -> None:
    """Magnitogorsk's m03 is a share of resource centres: its denominator counts centres,
    not persons, so a threshold «fewer than N persons» does not hide it."""
    data = MAGNITOGORSK_DATA
    report = build_report(MAGNITOGORSK, data, rating=False, cycle=False, suppress_below=10_000)
    m03 = report.analysis.current().set_index("indicator").loc["m03"]
    assert 0 < m03["denominator"] < 10_000
    assert not report.suppressed(dict(m03, indicator="m03"))
    assert report.value_text(dict(m03, indicator="m03")) != "*"
    # m04, m05: shares of associations — their values are given in the recommendations
    evidence = " ".join(e for r in report.recommendations for e in r.evidence)
    assert "66,7 %" in evidence and "значение скрыто" not in evidence
    staff_share = dict(_muni("k01"), indicator="k01", percent=True)
    karabash = build_report(
        KARABASH, DATA, RESULTS, rating=False, cycle=False, suppress_below=10_000
    )
    assert karabash.suppressed(staff_share) and karabash.value_text(staff_share) == "*"


def test_pdf_without_libreoffice_is_refused_in_russian(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from pedprof.reports import LibreOfficeMissingError

    monkeypatch.setenv("PEDPROF_SOFFICE", str(tmp_path / "нет" / "soffice"))
    report = build_report(KARABASH, DATA, RESULTS, rating=False, cycle=False)
    with pytest.raises(LibreOfficeMissingError, match="установлен LibreOffice"):
        write_reports(report, tmp_path / "out", formats=("docx", "pdf"))
    assert not (tmp_path / "out").exists() or not list((tmp_path / "out").iterdir())
    result = CliRunner().invoke(
        main,
        ["report", "--profile", "karabash", "-o", str(tmp_path / "cli"), "--format", "pdf"],
    )
    assert result.exit_code != 0
    assert "LibreOffice" in result.output and "Traceback" not in result.output


def test_importing_the_reports_does_not_load_matplotlib() -> None:
    import subprocess
    import sys

    code = "import sys, pedprof.reports; print('matplotlib' in sys.modules)"
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "False"


def _print_ready(ws: Any, header: str | None) -> None:
    assert ws.sheet_properties.pageSetUpPr.fitToPage, ws.title
    assert ws.page_setup.fitToWidth == 1 and ws.page_setup.fitToHeight == 0, ws.title
    widths = sum((ws.column_dimensions[k].width or 8.43) for k in list(ws.column_dimensions))
    if widths > 100:
        assert ws.page_setup.orientation == "landscape", ws.title
    if header is not None:
        assert ws.print_title_rows == header, ws.title


def _wrapped_rows_fit(ws: Any) -> None:
    """Every row with wrapped text is at least as tall as its longest wrapped cell needs
    (lines worked out here: characters ÷ column width, 15 pt a line)."""
    from openpyxl.utils import get_column_letter

    for row in ws.iter_rows():
        need = 1
        for c in row:
            if c.value is None or c.alignment is None or not c.alignment.wrap_text:
                continue
            width = ws.column_dimensions[get_column_letter(c.column)].width or 8.43
            lines = sum(max(1, -(-len(p) // int(width))) for p in str(c.value).split("\n"))
            need = max(need, lines)
        if need > 2:
            height = ws.row_dimensions[row[0].row].height
            assert height is not None and height >= 15 * need * 0.9, (ws.title, row[0].row)


def test_ias_workbook_is_print_ready(files: dict[str, Path]) -> None:
    wb = openpyxl.load_workbook(files["xlsx"])
    for ws in wb.worksheets:
        _print_ready(ws, None)
        assert ws.print_title_rows, ws.title  # the first table's header on every page
        _wrapped_rows_fit(ws)
    assert wb["Показатели"].print_title_rows == "$1:$1"


def test_results_forms_and_error_reports_are_print_ready(
    sample_forms: Path, tmp_path: Path
) -> None:
    from pedprof.io.forms import write_form
    from pedprof.reports.export import results_to_excel

    results = openpyxl.load_workbook(results_to_excel(KARABASH, RESULTS, tmp_path / "r.xlsx"))
    for ws in results.worksheets:
        _print_ready(ws, "$1:$1")
    form = openpyxl.load_workbook(write_form(KARABASH, tmp_path / "form.xlsx"))
    for ws in form.worksheets:
        if ws.sheet_state != "visible":
            continue
        _print_ready(ws, None if ws.title == "Инструкция" else "$2:$3")
        _wrapped_rows_fit(ws)
    data = _altered(sample_forms, tmp_path / "data", "form")
    CliRunner().invoke(
        main, ["check", "--profile", "karabash", str(data), "--report", str(tmp_path / "e.xlsx")]
    )
    errors = openpyxl.load_workbook(tmp_path / "e.xlsx")
    assert len(errors.worksheets) > 1
    for ws in errors.worksheets:
        _print_ready(ws, None)
        assert ws.print_title_rows, ws.title
        _wrapped_rows_fit(ws)
