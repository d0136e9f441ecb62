"""Hostile and broken input: each case is fed next to a good form, and the test checks
the message and that nothing else was lost."""

from __future__ import annotations

import datetime as dt
import errno
import json
import os
import re
import shutil
import struct
import subprocess
import sys
import time
import tracemalloc
import zipfile
from pathlib import Path
from xml.sax.saxutils import escape

import openpyxl
import pandas as pd
import pytest
from click.testing import CliRunner

import pedprof
from pedprof.cli import main
from pedprof.io import (
    CheckResult,
    Limits,
    read_submissions,
    sheet_names,
    write_error_csv,
    write_error_report,
    write_form,
)
from pedprof.io._safety import os_error_text
from pedprof.io._tables import profile_sources
from pedprof.io.forms import META_SHEET

KARABASH = pedprof.get_profile("karabash")
SAMPLE = pedprof.load_sample(KARABASH)
PERIOD = "2022-2023"
STAFF_SHEET = sheet_names(profile_sources(KARABASH))["staff"]


def _rows(org: str, n: int) -> pd.DataFrame:
    staff = SAMPLE.tables["staff"]
    return (
        staff[(staff["org_id"] == org) & (staff["period"] == PERIOD)].head(n).reset_index(drop=True)
    )


@pytest.fixture(scope="module")
def templates(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    """Forms written once and copied by each test."""
    root = tmp_path_factory.mktemp("templates")
    return {
        "register": write_form(
            KARABASH,
            root / "register.xlsx",
            kind="register",
            rows={
                "organizations": SAMPLE.organizations,
                "municipalities": SAMPLE.municipalities,
                "regions": SAMPLE.regions,
            },
            example=False,
        ),
        "good": write_form(
            KARABASH,
            root / "good.xlsx",
            unit_id="kgo_s1",
            period=PERIOD,
            rows={"staff": _rows("kgo_s1", 3)},
        ),
        "s4": write_form(
            KARABASH,
            root / "s4.xlsx",
            unit_id="kgo_s4",
            period=PERIOD,
            rows={"staff": _rows("kgo_s4", 4)},
        ),
    }


@pytest.fixture
def folder(tmp_path: Path, templates: dict[str, Path]) -> Path:
    out = tmp_path / "in"
    out.mkdir()
    shutil.copy(templates["register"], out / "register.xlsx")
    shutil.copy(templates["good"], out / "good.xlsx")
    return out


def _check(folder: Path, **kwargs: object) -> CheckResult:
    result = read_submissions(KARABASH, [folder], **kwargs)  # type: ignore[arg-type]
    counts = result.counts
    assert (counts["submitted"] == counts["accepted"] + counts["rejected"]).all()
    good = counts[counts["file"] == "in/good.xlsx"]
    assert (int(good["submitted"].sum()), int(good["accepted"].sum())) == (3, 3)
    reg = counts[counts["file"] == "in/register.xlsx"]
    assert int(reg["rejected"].sum()) == 0
    return result


def _refused(result: CheckResult, file: str) -> pd.Series:
    files = result.files.set_index("file")
    assert files.loc[file, "status"] == "refused"
    errors = result.errors[result.errors["file"] == file]
    assert len(errors) == 1
    assert errors["severity"].iloc[0] == "error"
    assert not result.ok
    return errors.iloc[0]


# --------------------------------------------------------------------------- not workbooks


def test_a_text_file_named_xlsx(folder: Path) -> None:
    (folder / "notes.xlsx").write_text("Сведения будут позже", encoding="utf-8")
    error = _refused(_check(folder), "in/notes.xlsx")
    assert error["rule"] == "not_a_workbook"
    assert "это не книга Excel, а текст" in error["message"]


def test_a_pdf_named_xlsx(folder: Path) -> None:
    (folder / "scan.xlsx").write_bytes(b"%PDF-1.4\n%\xe2\xe3\xcf\xd3\n1 0 obj\n")
    error = _refused(_check(folder), "in/scan.xlsx")
    assert "PDF-документ, а не таблица" in error["message"]


def test_other_files_in_a_folder_are_mentioned_not_read(folder: Path) -> None:
    (folder / "письмо.pdf").write_bytes(b"%PDF-1.4\n")
    result = _check(folder)
    assert result.ok
    notice = result.errors[result.errors["file"] == "in/письмо.pdf"].iloc[0]
    assert (notice["severity"], notice["rule"]) == ("notice", "skipped_file")
    assert result.files.set_index("file").loc["in/письмо.pdf", "status"] == "skipped"


def test_a_word_document_renamed(folder: Path) -> None:
    with zipfile.ZipFile(folder / "letter.xlsx", "w") as z:
        z.writestr("word/document.xml", "<w:document/>")
    error = _refused(_check(folder), "in/letter.xlsx")
    assert error["rule"] == "not_a_workbook"


def test_an_empty_file(folder: Path) -> None:
    (folder / "empty.xlsx").write_bytes(b"")
    error = _refused(_check(folder), "in/empty.xlsx")
    assert error["rule"] == "empty_file"
    assert "пустой (0 байт)" in error["message"]


def test_a_truncated_workbook(folder: Path, templates: dict[str, Path]) -> None:
    data = templates["s4"].read_bytes()
    (folder / "cut.xlsx").write_bytes(data[: len(data) * 2 // 3])
    error = _refused(_check(folder), "in/cut.xlsx")
    assert error["rule"] == "corrupt"
    assert "повреждён или сохранён не полностью" in error["message"]


def test_a_workbook_with_a_corrupted_part(folder: Path, templates: dict[str, Path]) -> None:
    data = bytearray(templates["s4"].read_bytes())
    with zipfile.ZipFile(templates["s4"]) as z:
        info = z.getinfo("xl/worksheets/sheet2.xml")
    start = info.header_offset + 30 + len(info.filename) + len(info.extra) + 10
    data[start : start + 200] = bytes(200)
    (folder / "bad.xlsx").write_bytes(bytes(data))
    error = _refused(_check(folder), "in/bad.xlsx")
    assert error["rule"] == "corrupt"


def test_a_password_protected_workbook(folder: Path) -> None:
    # An encrypted .xlsx is an OLE compound file with «EncryptionInfo» and
    # «EncryptedPackage» streams; their names sit in the directory in UTF-16.
    header = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + bytes(504)
    directory = b"".join(
        n.encode("utf-16-le").ljust(128, b"\0")
        for n in ("Root Entry", "EncryptionInfo", "EncryptedPackage")
    )
    (folder / "secret.xlsx").write_bytes(header + directory + bytes(1024))
    error = _refused(_check(folder), "in/secret.xlsx")
    assert error["rule"] == "encrypted"
    assert "защищена паролем" in error["message"]


def test_an_old_xls_that_cannot_be_read(folder: Path) -> None:
    header = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + bytes(504)
    (folder / "old.xls").write_bytes(
        header + "Workbook".encode("utf-16-le").ljust(128, b"\0") + bytes(512)
    )
    error = _refused(_check(folder), "in/old.xls")
    assert "Excel 97–2003 (.xls)" in error["message"]
    assert "сохраните как «Книга Excel (.xlsx)»" in error["message"]


def _ods_cell(v: object) -> str:
    if v is None:
        return "<table:table-cell/>"
    if isinstance(v, int | float):
        return f'<table:table-cell office:value-type="float" office:value="{v}"><text:p>{v}</text:p></table:table-cell>'
    return f'<table:table-cell office:value-type="string"><text:p>{escape(str(v))}</text:p></table:table-cell>'


def _ods(path: Path, sheets: dict[str, list[list[object]]]) -> None:
    """A minimal OpenDocument spreadsheet, as LibreOffice would save it."""
    body = "".join(
        f'<table:table table:name="{escape(name)}">'
        + "".join(
            "<table:table-row>" + "".join(_ods_cell(v) for v in row) + "</table:table-row>"
            for row in rows
        )
        + "</table:table>"
        for name, rows in sheets.items()
    )
    _ods_raw(path, body)


def _ods_raw(path: Path, body: str) -> None:
    """An OpenDocument spreadsheet whose tables are ``body`` (``<table:table>`` elements)."""
    content = (
        '<?xml version="1.0" encoding="UTF-8"?><office:document-content '
        'xmlns:office="urn:oasis:names:tc:opendocument:xmlns:office:1.0" '
        'xmlns:table="urn:oasis:names:tc:opendocument:xmlns:table:1.0" '
        'xmlns:text="urn:oasis:names:tc:opendocument:xmlns:text:1.0" office:version="1.2">'
        f"<office:body><office:spreadsheet>{body}</office:spreadsheet></office:body></office:document-content>"
    )
    manifest = (
        '<?xml version="1.0" encoding="UTF-8"?><manifest:manifest '
        'xmlns:manifest="urn:oasis:names:tc:opendocument:xmlns:manifest:1.0" manifest:version="1.2">'
        '<manifest:file-entry manifest:full-path="/" manifest:media-type="application/vnd.oasis.opendocument.spreadsheet"/>'
        '<manifest:file-entry manifest:full-path="content.xml" manifest:media-type="text/xml"/>'
        "</manifest:manifest>"
    )
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as z:
        z.writestr(zipfile.ZipInfo("mimetype"), "application/vnd.oasis.opendocument.spreadsheet")
        z.writestr("META-INF/manifest.xml", manifest)
        z.writestr("content.xml", content)


def test_an_ods_is_read_with_a_notice(folder: Path) -> None:
    header = ["Учебный год", "Код организации", "Номер программы", "Наименование", "Вид"]
    rows = [
        ["2022-2023", "kgo_d1", "d1-m1", "Программа № 1", "программа"],
        ["2022-2023", "kgo_d1", "d1-m2", "План № 2", "план"],
    ]
    _ods(folder / "d1.ods", {"Лист1": [header, *rows]})
    result = _check(folder)
    mine = result.counts[result.counts["file"] == "in/d1.ods"]
    assert (int(mine["submitted"].sum()), int(mine["accepted"].sum())) == (2, 2)
    notice = result.errors[result.errors["file"] == "in/d1.ods"]
    assert list(notice["rule"]) == ["other_format"]
    assert result.ok


# --------------------------------------------------------------------------- bombs


def test_a_zip_bomb_is_refused_fast_and_small(folder: Path) -> None:
    with zipfile.ZipFile(folder / "bomb.xlsx", "w", zipfile.ZIP_DEFLATED) as z:
        z.writestr("xl/workbook.xml", "<workbook/>")
        z.writestr("xl/worksheets/sheet1.xml", bytes(120 * 2**20))
    tracemalloc.start()
    started = time.perf_counter()
    result = _check(folder)
    elapsed = time.perf_counter() - started
    _, peak = tracemalloc.get_traced_memory()
    tracemalloc.stop()
    error = _refused(result, "in/bomb.xlsx")
    assert error["rule"] == "too_large"
    assert "zip-бомб" in error["message"]
    assert elapsed < 10
    assert peak < 64 * 2**20


def _lie_about_sizes(path: Path, entry: str, size: int) -> None:
    """Rewrite the declared uncompressed size of ``entry`` in both zip headers."""
    data = bytearray(path.read_bytes())
    with zipfile.ZipFile(path) as z:
        info = z.getinfo(entry)
    struct.pack_into("<I", data, info.header_offset + 22, size)
    end = data.rfind(b"PK\x05\x06")
    (offset,) = struct.unpack_from("<I", data, end + 16)
    while data[offset : offset + 4] == b"PK\x01\x02":
        n, m, k = struct.unpack_from("<HHH", data, offset + 28)
        if data[offset + 46 : offset + 46 + n].decode() == entry:
            struct.pack_into("<I", data, offset + 24, size)
        offset += 46 + n + m + k
    path.write_bytes(bytes(data))


def test_a_zip_bomb_that_lies_about_its_size(folder: Path) -> None:
    path = folder / "liar.xlsx"
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as z:
        z.writestr("xl/workbook.xml", "<workbook/>")
        z.writestr("xl/worksheets/sheet1.xml", bytes(60 * 2**20))
    _lie_about_sizes(path, "xl/worksheets/sheet1.xml", 1000)
    started = time.perf_counter()
    error = _refused(_check(folder), "in/liar.xlsx")
    assert time.perf_counter() - started < 10
    assert error["rule"] == "too_large"


def test_an_oversized_file(folder: Path, templates: dict[str, Path]) -> None:
    shutil.copy(templates["s4"], folder / "big.xlsx")
    size = (folder / "big.xlsx").stat().st_size
    limits = Limits(max_file_bytes=size - 1)
    result = read_submissions(
        KARABASH, [folder / "big.xlsx", folder / "register.xlsx"], limits=limits
    )
    error = _refused(result, "big.xlsx")
    assert "слишком большой" in error["message"]


# --------------------------------------------------------------------------- formulas


def _set_cached_value(path: Path, sheet_xml: str, cell: str, value: str) -> None:
    """Give a formula cell a stored value (what Excel saves next to the formula)."""
    with zipfile.ZipFile(path) as z:
        parts = {i.filename: z.read(i) for i in z.infolist()}
    xml = parts[sheet_xml].decode()
    start = xml.index(f'<c r="{cell}"')
    end = xml.index("</c>", start)
    fragment = xml[start:end]
    fragment = fragment.replace("<v></v>", f"<v>{value}</v>").replace("<v />", f"<v>{value}</v>")
    if "<v>" not in fragment:
        fragment += f"<v>{value}</v>"
    parts[sheet_xml] = (xml[:start] + fragment + xml[end:]).encode()
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as z:
        for name, blob in parts.items():
            z.writestr(name, blob)


def _sheet_part(path: Path, title: str) -> str:
    wb = openpyxl.load_workbook(path)
    return f"xl/worksheets/sheet{wb.sheetnames.index(title) + 1}.xml"


def test_formulas_the_stored_value_is_read_the_formula_is_not_run(
    folder: Path, templates: dict[str, Path]
) -> None:
    path = folder / "s4.xlsx"
    shutil.copy(templates["s4"], path)
    wb = openpyxl.load_workbook(path)
    ws = wb[STAFF_SHEET]
    ws["D5"] = "=30+5"  # stored value below says 41: the stored value wins
    ws["D6"] = "=1/0"  # no stored value at all
    wb.save(path)
    part = _sheet_part(path, STAFF_SHEET)
    _set_cached_value(path, part, "D5", "41")
    result = _check(folder)
    assert result.dataset is not None
    staff = result.dataset.tables["staff"]
    ages = staff[staff["org_id"] == "kgo_s4"]["age"].tolist()
    assert ages[0] == 41
    errors = result.errors[result.errors["file"] == "in/s4.xlsx"]
    assert list(zip(errors["row"], errors["rule"], strict=True)) == [(6, "required")]


# --------------------------------------------------------------------------- layout


def test_merged_cells_count_for_every_row_they_cover(
    folder: Path, templates: dict[str, Path]
) -> None:
    path = folder / "s4.xlsx"
    shutil.copy(templates["s4"], path)
    wb = openpyxl.load_workbook(path)
    ws = wb[STAFF_SHEET]
    ws["B5"] = "руководящий работник"
    for cell in ("B6", "B7"):
        ws[cell] = None
    ws.merge_cells("B5:B7")
    wb.save(path)
    result = _check(folder)
    assert result.dataset is not None
    staff = result.dataset.tables["staff"]
    assert staff[staff["org_id"] == "kgo_s4"]["category"].tolist() == ["manager"] * 3 + [
        _rows("kgo_s4", 4)["category"].iloc[3]
    ]
    rules = set(result.errors[result.errors["file"] == "in/s4.xlsx"]["rule"])
    assert rules == {"merged_cells"}


def test_a_hidden_sheet_is_read_and_mentioned(folder: Path, templates: dict[str, Path]) -> None:
    path = folder / "s4.xlsx"
    shutil.copy(templates["s4"], path)
    wb = openpyxl.load_workbook(path)
    wb[STAFF_SHEET].sheet_state = "hidden"
    wb.save(path)
    result = _check(folder)
    mine = result.counts[result.counts["file"] == "in/s4.xlsx"]
    assert int(mine["accepted"].sum()) == 4
    notice = result.errors[result.errors["rule"] == "hidden_sheet"]
    assert "лист скрыт" in notice["message"].iloc[0]


def test_empty_rows_and_a_header_moved_down(folder: Path, templates: dict[str, Path]) -> None:
    path = folder / "s4.xlsx"
    shutil.copy(templates["s4"], path)
    wb = openpyxl.load_workbook(path)
    ws = wb[STAFF_SHEET]
    ws.insert_rows(1, 3)  # title now on row 4, header on row 5, data from row 8
    ws["A1"] = "МОУ ООШ № 4 — сведения за 2022-2023"
    ws.insert_rows(9, 2)  # two empty rows after the first data row
    ws["D11"] = "сорок"  # the second data row, now on row 11
    wb.save(path)
    result = _check(folder)
    mine = result.counts[result.counts["file"] == "in/s4.xlsx"]
    assert (int(mine["submitted"].sum()), int(mine["rejected"].sum())) == (4, 1)
    error = result.errors[result.errors["file"] == "in/s4.xlsx"].iloc[0]
    assert (error["row"], error["column"], error["value"]) == (11, "Возраст, полных лет", "сорок")


def test_a_renamed_sheet_without_metadata_is_found_by_its_header(
    folder: Path, templates: dict[str, Path]
) -> None:
    path = folder / "s4.xlsx"
    shutil.copy(templates["s4"], path)
    wb = openpyxl.load_workbook(path)
    wb[STAFF_SHEET].title = "Кадры"
    del wb[META_SHEET]
    wb.save(path)
    result = _check(folder)
    mine = result.counts[result.counts["file"] == "in/s4.xlsx"]
    assert list(mine["sheet"]) == ["Кадры"]
    assert (int(mine["accepted"].sum()), list(mine["unit_id"]), list(mine["period"])) == (
        4,
        ["kgo_s4"],
        [PERIOD],
    )


def test_a_blank_unit_code_in_the_form_details(folder: Path) -> None:
    write_form(KARABASH, folder / "blank.xlsx", period=PERIOD, rows={"staff": _rows("kgo_s4", 2)})
    result = _check(folder)
    error = result.errors[result.errors["file"] == "in/blank.xlsx"].iloc[0]
    assert error["rule"] == "missing_column"
    assert "не заполнены реквизиты формы «Код организации»" in error["message"]
    mine = result.counts[result.counts["file"] == "in/blank.xlsx"]
    assert (int(mine["submitted"].sum()), int(mine["rejected"].sum())) == (2, 2)


def test_a_hand_made_workbook_reordered_extra_columns_forgiving_values(folder: Path) -> None:
    wb = openpyxl.Workbook()
    ws = wb.active
    assert ws is not None
    header = [
        "Примечание",
        "Код работника (обезличенный)",
        "Учебный год",
        "Код организации",
        "Возраст, полных лет",
        "Категория",
        "Педагогический стаж, полных лет",
        "Прошёл оценочную процедуру по выявлению профессиональных дефицитов",
        "Сформирован ИОМ",
        "Включён в реестр экспертов",
        "Привлекается к проведению мероприятий ЦНППМ",
        "Участвует в конкурсах профессионального мастерства",
        "Участвует в формах поддержки и сопровождения",
        "Охвачен мероприятиями по поддержке молодых педагогов",
        "Участие в программах наставничества",
        "Сопровождается педагогом-методистом",
        "Сопровождается руководителем-наставником",
        "Дата окончания последнего обучения по ДПО",
        "Прошёл независимую оценку квалификации",
        "Получает методическую помощь в ЦНППМ",
    ]
    ws.append(header)
    ws.append(
        [
            "—",
            "h1",
            "2022-2023",
            "kgo_s4",
            40,
            "Педагогический работник",
            12,
            "да",
            "+",
            1,
            True,
            "TRUE",
            "нет",
            "-",
            "Наставник",
            0,
            False,
            44805,
            "НЕТ",
            "Да",
        ]
    )
    ws.append(
        [
            "",
            "h2",
            "2022/2023",
            " kgo_s4 ",
            "33",
            "руководящий  работник",
            "5",
            "Да",
            "нет",
            "0",
            "false",
            "ЛОЖЬ",
            "+",
            "да",
            "не участвует",
            "1",
            "да",
            "01.09.2022",
            "нет",
            "нет",
        ]
    )
    wb.save(folder / "hand.xlsx")
    result = _check(folder)
    assert result.dataset is not None
    mine = result.counts[result.counts["file"] == "in/hand.xlsx"]
    assert (int(mine["accepted"].sum()), int(mine["rejected"].sum())) == (2, 0)
    staff = result.dataset.tables["staff"].set_index("person_id")
    h1, h2 = staff.loc["h1"], staff.loc["h2"]
    assert (h1["category"], h1["age"], h1["mentoring_role"]) == ("teacher", 40, "mentor")
    assert (h2["category"], h2["period"], h2["org_id"]) == ("manager", "2022-2023", "kgo_s4")
    assert [
        bool(h1[c])
        for c in (
            "deficit_assessed",
            "iom",
            "expert_register",
            "cnppm_events",
            "contest",
            "support_forms",
            "young_events",
        )
    ] == [True, True, True, True, True, False, False]
    assert [
        bool(h2[c])
        for c in (
            "deficit_assessed",
            "iom",
            "expert_register",
            "cnppm_events",
            "contest",
            "support_forms",
            "young_events",
        )
    ] == [True, False, False, False, False, True, True]
    assert h1["dpo_date"] == pd.Timestamp("2022-09-01") == h2["dpo_date"]  # serial 44805
    assert pd.isna(h1["position"]) and pd.isna(h1["expert_score"])
    notes = result.errors[result.errors["file"] == "in/hand.xlsx"]
    assert list(notes["rule"]) == ["extra_column"]
    assert "«Примечание» (A)" in notes["message"].iloc[0]


# --------------------------------------------------------------------------- text and columnar


def _frame_for_csv() -> pd.DataFrame:
    mp = SAMPLE.tables["mentoring_programmes"]
    return mp[(mp["org_id"] == "kgo_d1") & (mp["period"] == PERIOD)].reset_index(drop=True)


def test_cp1251_csv_with_semicolons(folder: Path) -> None:
    frame = _frame_for_csv()
    frame.to_csv(folder / "mentoring_programmes.csv", index=False, sep=";", encoding="cp1251")
    result = _check(folder)
    mine = result.counts[result.counts["file"] == "in/mentoring_programmes.csv"]
    assert int(mine["accepted"].sum()) == len(frame) > 0
    assert "Windows-1251" in result.errors[result.errors["rule"] == "encoding"]["message"].iloc[0]
    assert result.dataset is not None
    got = result.dataset.tables["mentoring_programmes"]
    assert got["title"].tolist() == frame["title"].tolist()


def test_utf8_csv_with_bom_and_russian_headers(folder: Path) -> None:
    frame = _frame_for_csv()
    source = KARABASH.source("mentoring_programmes")
    frame.rename(columns={f.name: f.label for f in source.fields}).to_csv(
        folder / "программы.csv", index=False, encoding="utf-8-sig"
    )
    result = _check(folder)
    mine = result.counts[result.counts["file"] == "in/программы.csv"]
    assert (int(mine["accepted"].sum()), list(mine["table"])) == (
        len(frame),
        ["mentoring_programmes"],
    )
    assert result.ok


def test_parquet_and_dataframes(tmp_path: Path) -> None:
    staff = _rows("kgo_s2", 5)
    staff.to_parquet(tmp_path / "staff.parquet")
    result = read_submissions(
        KARABASH,
        [tmp_path / "staff.parquet", ("mentoring_programmes", _frame_for_csv())],
        reference=SAMPLE,
    )
    assert (result.submitted, result.accepted) == (5 + len(_frame_for_csv()), result.submitted)
    assert result.dataset is not None
    pd.testing.assert_frame_equal(
        result.dataset.tables["staff"].reset_index(drop=True), staff.reset_index(drop=True)
    )
    assert result.files.set_index("file").loc["staff.parquet", "format"] == "parquet"


def test_submission_time_is_never_the_workbooks_own_saved_date(folder: Path) -> None:
    # Issue 11: the date saved inside a workbook is not when it was received (re-saving a
    # file does not re-submit it); --received (or the register of receipts) is.
    write_form(
        KARABASH,
        folder / "s4.xlsx",
        unit_id="kgo_s4",
        period=PERIOD,
        rows={"staff": _rows("kgo_s4", 1)},
        modified=dt.datetime(2025, 8, 5, 12),
    )
    result = _check(folder, received=dt.date(2023, 8, 5))
    reg = result.register.set_index("unit_id")
    assert reg.loc["kgo_s4", "status"] == "on_time"
    assert reg.loc["kgo_s4", "first_submitted_at"].date() == dt.date(2023, 8, 5)
    assert reg.loc["kgo_s4", "date_source"] == "received"


def test_a_wrong_period_in_the_form_details(folder: Path, templates: dict[str, Path]) -> None:
    path = folder / "s4.xlsx"
    shutil.copy(templates["s4"], path)
    wb = openpyxl.load_workbook(path)
    ws = wb["Инструкция"]
    cell = next(r[1] for r in ws.iter_rows() if r[0].value == "Учебный год")
    cell.value = "2023"
    wb.save(path)
    result = _check(folder)
    error = result.errors[result.errors["file"] == "in/s4.xlsx"].iloc[0]
    assert error["rule"] == "context"
    assert f"ячейка {cell.coordinate}" in error["message"]
    assert "указано «2023», а нужно: учебный год, например 2023-2024" in error["message"]
    mine = result.counts[result.counts["file"] == "in/s4.xlsx"]
    assert (int(mine["submitted"].sum()), int(mine["rejected"].sum())) == (4, 4)


# --------------------------------------------------------------------------- issue 11

# Found by a run over 12,028 broken and hostile files. Each case is fed next to the good
# form and the register; `_check` also verifies that they were read and counted.

_SUBPROCESS = r"""
import json, resource, sys
limit = int(sys.argv[2]) << 20
resource.setrlimit(resource.RLIMIT_AS, (limit, limit))
from pedprof.io import read_submissions
result = read_submissions("karabash", [sys.argv[1]])
print(json.dumps({
    "files": result.files[["file", "status", "rule"]].to_dict("records"),
    "errors": result.errors[["severity", "file", "rule", "message"]].to_dict("records"),
    "counts": result.counts[["file", "submitted", "accepted", "rejected"]].to_dict("records"),
}))
"""


def _check_in_subprocess(
    folder: Path, *, memory_mb: int = 1536, timeout: float = 120
) -> CheckResult:
    """`_check` in a child process under a memory limit and a time limit.

    A regression that makes the reader allocate gigabytes (or block on a pipe) fails the
    test instead of killing or hanging the test runner.
    """
    proc = subprocess.run(
        [sys.executable, "-c", _SUBPROCESS, str(folder), str(memory_mb)],
        capture_output=True,
        text=True,
        timeout=timeout,
        cwd=folder.parent,
    )
    assert proc.returncode == 0, proc.stderr[-3000:]
    out = json.loads(proc.stdout.splitlines()[-1])
    empty = pd.DataFrame()
    result = CheckResult(
        dataset=None,
        errors=pd.DataFrame(out["errors"], columns=["severity", "file", "rule", "message"]),
        counts=pd.DataFrame(out["counts"], columns=["file", "submitted", "accepted", "rejected"]),
        register=empty,
        rows=empty,
        files=pd.DataFrame(out["files"], columns=["file", "status", "rule"]),
    )
    counts = result.counts
    assert (counts["submitted"] == counts["accepted"] + counts["rejected"]).all()
    good = counts[counts["file"] == "in/good.xlsx"]
    assert (int(good["submitted"].sum()), int(good["accepted"].sum())) == (3, 3)
    return result


def _far_cell(path: Path, *cells: tuple[int, int]) -> None:
    wb = openpyxl.Workbook()
    ws = wb.active
    assert ws is not None
    ws.title = "Данные"
    ws["A1"] = "Код организации"
    for row, col in cells:
        ws.cell(row=row, column=col, value=1)
    wb.save(path)


def test_a_cell_at_a_far_address_is_refused_before_the_sheet_is_read(folder: Path) -> None:
    # XFD5000 next to A1: the reader would allocate 5000 × 16384 cells (2.6 GB) and abort.
    _far_cell(folder / "far.xlsx", (5000, 16384))
    # Alone it is as bad: the sheet is padded from A1.
    _far_cell(folder / "alone.xlsx", (5000, 16384))
    # Within the row and column limits, but 199 000 × 500 cells (3.2 GB).
    _far_cell(folder / "wide.xlsx", (199_000, 500))
    # The <dimension> element lies (says A1:A1): it is not trusted.
    _far_cell(folder / "liar.xlsx", (5000, 16384))
    with zipfile.ZipFile(folder / "liar.xlsx") as z:
        parts = {i.filename: z.read(i) for i in z.infolist()}
    sheet = parts["xl/worksheets/sheet1.xml"]
    parts["xl/worksheets/sheet1.xml"] = sheet.replace(b'ref="A1:XFD5000"', b'ref="A1:A1"')
    assert parts["xl/worksheets/sheet1.xml"] != sheet
    with zipfile.ZipFile(folder / "liar.xlsx", "w") as z:
        for name, blob in parts.items():
            z.writestr(name, blob)
    started = time.perf_counter()
    result = _check_in_subprocess(folder)
    assert time.perf_counter() - started < 60
    for name, cell, why in (
        ("far", "XFD5000", "это столбец XFD (16\u00a0384-й), а на листе допустимо не больше 500"),
        ("alone", "XFD5000", "это столбец XFD"),
        (
            "wide",
            "SF199000",
            "тогда лист занимает область A1:SF199000 — 99\u00a0500\u00a0000 ячеек",
        ),
        ("liar", "XFD5000", "это столбец XFD"),
    ):
        error = _refused(result, f"in/{name}.xlsx")
        assert error["rule"] == "too_large"
        assert f"на листе «Данные» заполнена ячейка {cell}: {why}" in error["message"]
        assert "Ctrl+End" in error["message"]


def _xlsb(path: Path, cells: list[tuple[int, int, float]]) -> None:
    """A minimal binary workbook (.xlsb): one sheet «Лист1», numbers at (row, column)."""

    def varint(n: int) -> bytes:
        out = bytearray()
        while True:
            out.append((n & 0x7F) | (0x80 if n >> 7 else 0))
            n >>= 7
            if not n:
                return bytes(out)

    def rec(kind: int, payload: bytes = b"") -> bytes:
        return varint(kind) + varint(len(payload)) + payload

    def text(value: str) -> bytes:
        return struct.pack("<I", len(value)) + value.encode("utf-16-le")

    sheet_ref = struct.pack("<II", 0, 1) + text("rId1") + text("Лист1")
    book = rec(131) + rec(143) + rec(156, sheet_ref) + rec(144) + rec(132)
    sheet = rec(129) + rec(148, bytes(16)) + rec(145)
    for row, col, value in cells:
        sheet += rec(0, struct.pack("<IIH", row, 0, 300) + bytes(7))
        sheet += rec(5, struct.pack("<I", col) + bytes(4) + struct.pack("<d", value))
    sheet += rec(146) + rec(130)
    ns = "http://schemas.openxmlformats.org"
    types = (
        f'<Types xmlns="{ns}/package/2006/content-types">'
        '<Default Extension="bin" ContentType="application/vnd.ms-excel.sheet.binary.macroEnabled.main"/>'
        '<Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/>'
        '<Override PartName="/xl/worksheets/sheet1.bin" ContentType="application/vnd.ms-excel.worksheet"/>'
        "</Types>"
    )

    def rels(kind: str, target: str) -> str:
        return (
            f'<Relationships xmlns="{ns}/package/2006/relationships"><Relationship Id="rId1" '
            f'Type="{ns}/officeDocument/2006/relationships/{kind}" Target="{target}"/>'
            "</Relationships>"
        )

    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as z:
        z.writestr("[Content_Types].xml", types)
        z.writestr("_rels/.rels", rels("officeDocument", "xl/workbook.bin"))
        z.writestr("xl/workbook.bin", book)
        z.writestr("xl/_rels/workbook.bin.rels", rels("worksheet", "worksheets/sheet1.bin"))
        z.writestr("xl/worksheets/sheet1.bin", sheet)


def test_cells_without_references_an_ods_and_an_xlsb_are_bounded_too(folder: Path) -> None:
    # Cells may omit their reference (they follow the cell before): 600 of them in a row.
    _far_cell(folder / "noref.xlsx")
    with zipfile.ZipFile(folder / "noref.xlsx") as z:
        parts = {i.filename: z.read(i) for i in z.infolist()}
    xml = parts["xl/worksheets/sheet1.xml"]
    cells = b'<row r="3000">' + b"<c><v>2</v></c>" * 600 + b"</row>"
    parts["xl/worksheets/sheet1.xml"] = xml.replace(
        b"</row></sheetData>", b"</row>" + cells + b"</sheetData>"
    )
    with zipfile.ZipFile(folder / "noref.xlsx", "w") as z:
        for name, blob in parts.items():
            z.writestr(name, blob)
    # An .ods repeats an empty row 199 000 times and then fills the 500th cell.
    empty = '<table:table-row table:number-rows-repeated="199000"><table:table-cell table:number-columns-repeated="16384"/></table:table-row>'
    far = '<table:table-row><table:table-cell table:number-columns-repeated="499"/><table:table-cell office:value-type="float" office:value="1"/></table:table-row>'
    first = "<table:table-row>" + _ods_cell("Код") + "</table:table-row>"
    _ods_raw(
        folder / "far.ods", f'<table:table table:name="Лист1">{first}{empty}{far}</table:table>'
    )
    # A sheet part over 1 MB: RZ1 near the start, A200000 at the end (200 000 × 494 cells).
    wb = openpyxl.Workbook()
    ws = wb.active
    assert ws is not None
    ws.title = "Данные"
    ws["RZ1"] = 1
    for row in range(2, 3002):
        for col in range(1, 11):
            ws.cell(row=row, column=col, value=row)
    ws["A200000"] = 1
    wb.save(folder / "long.xlsx")
    with zipfile.ZipFile(folder / "long.xlsx") as z:
        assert z.getinfo("xl/worksheets/sheet1.xml").file_size > 2**20
    # An .xlsb (binary records) with a number in XFD5000.
    _xlsb(folder / "far.xlsb", [(0, 0, 1.0), (4999, 16383, 2.5)])
    result = _check_in_subprocess(folder)
    error = _refused(result, "in/long.xlsx")
    assert "заполнена ячейка A200000: тогда лист занимает область A1:RZ200000" in error["message"]
    error = _refused(result, "in/far.xlsb")
    assert "на листе «Лист1» заполнена ячейка XFD5000: это столбец XFD" in error["message"]
    error = _refused(result, "in/noref.xlsx")
    assert "заполнена ячейка SG3000: это столбец SG (501-й)" in error["message"]
    error = _refused(result, "in/far.ods")
    assert "на листе «Лист1» заполнена ячейка SF199002" in error["message"]


def test_empty_formatted_cells_far_away_do_not_count(
    folder: Path, templates: dict[str, Path]
) -> None:
    from openpyxl.styles import Font

    path = folder / "styled.xlsx"
    shutil.copy(templates["s4"], path)
    wb = openpyxl.load_workbook(path)
    wb[STAFF_SHEET]["XFD90000"].font = Font(bold=True)  # formatted, nothing typed
    wb.save(path)
    result = _check(folder)
    mine = result.counts[result.counts["file"] == "in/styled.xlsx"]
    assert (int(mine["submitted"].sum()), int(mine["accepted"].sum())) == (4, 4)


def _frame_with(path: Path, frame: pd.DataFrame, **kwargs: object) -> None:
    frame.to_csv(path, index=False, **kwargs)  # type: ignore[call-overload]


def test_control_characters_do_not_break_the_error_report(folder: Path, tmp_path: Path) -> None:
    frame = _frame_for_csv().astype(object)
    frame.loc[0, "title"] = "План\x07наставничества"  # accepted as it is
    frame.loc[1, "form"] = "план\x0c\x01"  # rejected: its value is shown in the report
    _frame_with(folder / "mentoring_programmes.csv", frame, sep=";")
    result = _check(folder)
    mine = result.counts[result.counts["file"] == "in/mentoring_programmes.csv"]
    assert (int(mine["submitted"].sum()), int(mine["rejected"].sum())) == (len(frame), 1)
    report = tmp_path / "out" / "report.xlsx"
    run = CliRunner().invoke(
        main,
        ["check", "--profile", "karabash", str(folder), "--report", str(report)],
        terminal_width=250,
    )
    assert run.exit_code == 1, run.output
    assert "отклонено: 1" in run.output
    wb = openpyxl.load_workbook(report)
    texts = [str(c.value) for ws in wb.worksheets for row in ws.iter_rows() for c in row if c.value]
    assert any("план[U+000C][U+0001]" in t for t in texts)
    text = report.with_suffix(".csv").read_text(encoding="utf-8-sig")
    assert "план[U+000C][U+0001]" in text and "\x0c" not in text


def test_a_header_below_row_30_is_found(folder: Path, templates: dict[str, Path]) -> None:
    path = folder / "s4.xlsx"
    shutil.copy(templates["s4"], path)
    wb = openpyxl.load_workbook(path)
    ws = wb[STAFF_SHEET]
    ws.insert_rows(1, 40)
    for i in range(1, 40):
        ws.cell(row=i, column=1, value=f"Пояснение {i}")
    wb.save(path)
    result = _check(folder)
    mine = result.counts[result.counts["file"] == "in/s4.xlsx"]
    assert (int(mine["submitted"].sum()), int(mine["accepted"].sum())) == (4, 4)


def test_a_table_without_a_recognisable_header_is_counted_and_rejected(
    folder: Path, tmp_path: Path
) -> None:
    wb = openpyxl.Workbook()
    ws = wb.active
    assert ws is not None
    ws.title = "Кадры"
    ws.append(["Сведения о работниках"])
    # One header is the form's, the other two are not: fewer than two recognisable.
    ws.append(["Код работника (обезличенный)", "Возраст (лет)", "Стаж"])
    ws.append(["h1", 40, 12])
    ws.append(["h2", 33, 5])
    ws.append([])
    ws.append(["h3", 51, 30])
    notes = wb.create_sheet("Пояснения")
    notes.append(["Сведения подготовила заместитель директора"])
    wb.save(folder / "hand.xlsx")
    with (folder / "programmes.csv").open("w", encoding="utf-8") as fh:
        fh.write("№;Программа;Вид программы\n1;Программа № 1;программа\n")
    result = _check(folder)
    mine = result.counts[result.counts["file"] == "in/hand.xlsx"]
    assert (int(mine["submitted"].sum()), int(mine["rejected"].sum())) == (3, 3)
    errors = result.errors[result.errors["file"] == "in/hand.xlsx"]
    error = errors[errors["severity"] == "error"].iloc[0]
    assert (error["rule"], error["sheet"], error["row"]) == ("no_header", "Кадры", 2)
    assert "не найдена строка заголовков ни одной таблицы формы" in error["message"]
    assert "Не приняты строки 3–4, 6 (3)" in error["message"]
    notice = errors[errors["sheet"] == "Пояснения"].iloc[0]
    assert (notice["severity"], notice["rule"]) == ("notice", "unknown_sheet")
    csv_counts = result.counts[result.counts["file"] == "in/programmes.csv"]
    assert (int(csv_counts["submitted"].sum()), int(csv_counts["rejected"].sum())) == (1, 1)
    run = CliRunner().invoke(
        main,
        ["check", "--profile", "karabash", str(folder), "--report", str(tmp_path / "r.xlsx")],
        terminal_width=250,
    )
    assert run.exit_code == 1
    assert "отклонено: 4" in run.output


def test_a_file_name_that_is_not_utf8(
    folder: Path, templates: dict[str, Path], tmp_path: Path
) -> None:
    with open(os.fsencode(folder) + b"/\xff\xfe.xlsx", "wb") as fh:
        fh.write(templates["s4"].read_bytes())
    result = _check(folder)
    mine = result.counts[result.counts["file"] == "in/\\xff\\xfe.xlsx"]
    assert (int(mine["submitted"].sum()), int(mine["accepted"].sum())) == (4, 4)
    notice = result.errors[result.errors["rule"] == "file_name"].iloc[0]
    assert "не в кодировке UTF-8" in notice["message"]
    assert "«\\xff\\xfe.xlsx»" in notice["message"]
    run = CliRunner().invoke(
        main,
        ["check", "--profile", "karabash", str(folder), "--report", str(tmp_path / "r.xlsx")],
        terminal_width=250,
    )
    assert run.exit_code == 0, run.output
    assert "\\xff\\xfe.xlsx" in run.output


def test_a_csv_field_longer_than_the_csv_module_allows(folder: Path) -> None:
    frame = _frame_for_csv().astype(object)
    frame.loc[0, "title"] = "Программа " + "наставничества " * 15_000  # 225 000 characters
    _frame_with(folder / "mentoring_programmes.csv", frame, sep=";")
    result = _check(folder)
    mine = result.counts[result.counts["file"] == "in/mentoring_programmes.csv"]
    assert (int(mine["submitted"].sum()), int(mine["rejected"].sum())) == (len(frame), 1)
    error = result.errors[result.errors["file"] == "in/mentoring_programmes.csv"].iloc[0]
    assert (error["row"], error["column"], error["rule"]) == (2, "Наименование", "value")
    assert "слишком длинный текст" in error["message"]
    assert len(error["value"]) <= 200


def test_a_date_the_reader_panics_on(folder: Path, templates: dict[str, Path]) -> None:
    path = folder / "s4.xlsx"
    shutil.copy(templates["s4"], path)
    wb = openpyxl.load_workbook(path)
    ws = wb[STAFF_SHEET]
    column = next(c.column_letter for c in ws[2] if str(c.value).startswith("Дата окончания"))
    ws[f"{column}5"] = dt.datetime(2022, 9, 1)
    wb.save(path)
    part = _sheet_part(path, STAFF_SHEET)
    with zipfile.ZipFile(path) as z:
        parts = {i.filename: z.read(i) for i in z.infolist()}
    xml = parts[part].decode()
    cell = re.search(rf'<c r="{column}5"[^>]*><v>[^<]*</v>', xml)
    assert cell is not None
    parts[part] = xml.replace(cell[0], re.sub(r"<v>[^<]*</v>", "<v>-inf</v>", cell[0])).encode()
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as z:
        for name, blob in parts.items():
            z.writestr(name, blob)
    error = _refused(_check(folder), "in/s4.xlsx")
    assert error["rule"] == "corrupt"
    assert (
        f"лист «{STAFF_SHEET}» содержит значение, которое не удаётся прочитать" in error["message"]
    )


def test_a_named_pipe_is_not_opened(folder: Path) -> None:
    os.mkfifo(folder / "pipe.xlsx")
    result = _check_in_subprocess(folder, timeout=60)
    error = _refused(result, "in/pipe.xlsx")
    assert error["rule"] == "not_a_file"
    assert "не обычный файл" in error["message"]


def test_operating_system_errors_in_russian(folder: Path) -> None:
    (folder / "loop.xlsx").symlink_to("loop.xlsx")
    (folder / "gone.xlsx").symlink_to("missing.xlsx")
    result = _check(folder)
    loop = _refused(result, "in/loop.xlsx")
    gone = _refused(result, "in/gone.xlsx")
    assert loop["rule"] == gone["rule"] == "unreadable"
    assert "символическая ссылка, которая указывает сама на себя" in loop["message"]
    assert "такого файла нет" in gone["message"]
    for message in (loop["message"], gone["message"]):
        assert "Too many" not in message and "No such file" not in message
    assert os_error_text(PermissionError(errno.EACCES, "Permission denied")) == (
        "нет прав на чтение файла"
    )
    assert os_error_text(OSError(errno.EXDEV, "Invalid cross-device link")) == (
        "ошибка операционной системы при чтении файла (EXDEV)"
    )


def test_zero_width_characters_are_ignored(folder: Path, templates: dict[str, Path]) -> None:
    path = folder / "s4.xlsx"
    shutil.copy(templates["s4"], path)
    wb = openpyxl.load_workbook(path)
    ws = wb[STAFF_SHEET]
    ws["F5"] = "нет\ufeff"
    ws["G5"] = "\u200bда"
    ws["F6"] = "да\u200c\u200d\u2060"
    ws["B6"] = "руководящий\u00a0работник"
    ws["D2"] = "Возраст,\u00a0полных лет\u200b *"
    wb.save(path)
    result = _check(folder)
    mine = result.counts[result.counts["file"] == "in/s4.xlsx"]
    assert (int(mine["submitted"].sum()), int(mine["accepted"].sum())) == (4, 4)
    assert result.dataset is not None
    staff = result.dataset.tables["staff"]
    first = staff[staff["org_id"] == "kgo_s4"].iloc[0]
    assert (bool(first["deficit_assessed"]), bool(first["iom"])) == (False, True)
    assert staff[staff["org_id"] == "kgo_s4"].iloc[1]["category"] == "manager"


@pytest.mark.parametrize("encoding", ["utf-16", "utf-16-le"])
def test_utf16_text_as_excel_saves_it(folder: Path, encoding: str) -> None:
    frame = _frame_for_csv()
    _frame_with(folder / "mentoring_programmes.txt", frame, sep="\t", encoding=encoding)
    if encoding == "utf-16":
        assert (folder / "mentoring_programmes.txt").read_bytes()[:2] == b"\xff\xfe"
    result = _check(folder)
    mine = result.counts[result.counts["file"] == "in/mentoring_programmes.txt"]
    assert (int(mine["submitted"].sum()), int(mine["accepted"].sum())) == (len(frame), len(frame))
    assert result.dataset is not None
    got = result.dataset.tables["mentoring_programmes"]
    assert got["title"].tolist() == frame["title"].tolist()


def test_hidden_and_lock_files_are_skipped_with_a_notice(folder: Path, tmp_path: Path) -> None:
    (folder / "~$good.xlsx").write_bytes(b"\x0bUser" + bytes(160))
    (folder / ".DS_Store").write_bytes(b"\x00\x00\x00\x01Bud1")
    (folder / ".git").mkdir()
    (folder / ".git" / "config").write_text("[core]\n")
    result = _check(folder)
    assert result.ok
    files = result.files.set_index("file")["status"]
    assert {f: files[f] for f in ("in/~$good.xlsx", "in/.DS_Store", "in/.git")} == dict.fromkeys(
        ("in/~$good.xlsx", "in/.DS_Store", "in/.git"), "skipped"
    )
    assert not any("config" in f for f in files.index)
    notes = result.errors.set_index("file")
    assert notes.loc["in/~$good.xlsx", "rule"] == "skipped_lock_file"
    assert "временный файл Excel" in notes.loc["in/~$good.xlsx", "message"]
    assert notes.loc["in/.DS_Store", "rule"] == notes.loc["in/.git", "rule"] == "skipped_hidden"
    assert "Скрытая папка «in/.git» пропущена" in notes.loc["in/.git", "message"]
    report = write_error_report(result, tmp_path / "r.xlsx")
    summary = openpyxl.load_workbook(report).worksheets[0]
    statuses = {r[0]: r[1] for r in summary.iter_rows(min_row=6, values_only=True)}
    assert statuses["in/~$good.xlsx"] == statuses["in/.git"] == "пропущен"


def test_the_error_report_follows_the_rows(
    folder: Path, templates: dict[str, Path], tmp_path: Path
) -> None:
    path = folder / "s4.xlsx"
    shutil.copy(templates["s4"], path)
    wb = openpyxl.load_workbook(path)
    ws = wb[STAFF_SHEET]
    ws["D7"] = "сорок"  # row 7: found while the rows are read
    ws["E6"] = 60  # row 6: experience above age, found after all rows are read
    programmes = wb["Программы наставничества"]
    for cell, value in (("A5", "s4-m1"), ("B5", "Программа"), ("C5", "непонятно")):
        programmes[cell] = value
    wb.save(path)
    result = _check(folder)
    report = write_error_report(result, tmp_path / "r.xlsx")
    sheet = openpyxl.load_workbook(report)["kgo_s4"]
    listed = [
        (r[2], r[3], r[4]) for r in sheet.iter_rows(min_row=5, values_only=True) if r[0] == "ошибка"
    ]
    assert listed == [
        (STAFF_SHEET, 6, "Педагогический стаж, полных лет"),
        (STAFF_SHEET, 7, "Возраст, полных лет"),
        ("Программы наставничества", 5, "Вид"),
    ]
    text = write_error_csv(result, tmp_path / "r.csv").read_text(encoding="utf-8-sig")
    rows = [line.split(";") for line in text.splitlines()[1:] if line.startswith("ошибка")]
    assert [(r[2], r[3]) for r in rows] == [
        (STAFF_SHEET, "6"),
        (STAFF_SHEET, "7"),
        ("Программы наставничества", "5"),
    ]


def test_control_characters_in_names_do_not_break_the_results_workbook(tmp_path: Path) -> None:
    """An organisation name holding a bell and a NUL (pasted from another program) is
    written to the results workbook as «[U+0007]», not an IllegalCharacterError."""
    import openpyxl

    import pedprof
    from pedprof.reports.export import results_to_excel

    profile = pedprof.get_profile("karabash")
    results = pedprof.compute(profile, pedprof.load_sample(profile))
    unit = str(results.loc[results["level"] == "organization", "unit"].iloc[0])
    path = results_to_excel(
        profile, results, tmp_path / "r.xlsx", unit_names_map={unit: "Школа\x07 №1\x00"}
    )
    cells = [
        c.value
        for ws in openpyxl.load_workbook(path, read_only=True).worksheets
        for row in ws.iter_rows()
        for c in row
    ]
    assert "Школа[U+0007] №1[U+0000]" in cells
