"""Hostile and broken input: each case is fed next to a good form, and the test checks
the message and that nothing else was lost."""

from __future__ import annotations

import datetime as dt
import shutil
import struct
import time
import tracemalloc
import zipfile
from pathlib import Path
from xml.sax.saxutils import escape

import openpyxl
import pandas as pd
import pytest

import pedprof
from pedprof.io import CheckResult, Limits, read_submissions, sheet_names, write_form
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


def _ods(path: Path, sheets: dict[str, list[list[object]]]) -> None:
    """A minimal OpenDocument spreadsheet, as LibreOffice would save it."""

    def cell(v: object) -> str:
        if v is None:
            return "<table:table-cell/>"
        if isinstance(v, int | float):
            return f'<table:table-cell office:value-type="float" office:value="{v}"><text:p>{v}</text:p></table:table-cell>'
        return f'<table:table-cell office:value-type="string"><text:p>{escape(str(v))}</text:p></table:table-cell>'

    body = "".join(
        f'<table:table table:name="{escape(name)}">'
        + "".join(
            "<table:table-row>" + "".join(cell(v) for v in row) + "</table:table-row>"
            for row in rows
        )
        + "</table:table>"
        for name, rows in sheets.items()
    )
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


def test_submission_time_is_the_workbooks_own_saved_date(folder: Path) -> None:
    write_form(
        KARABASH,
        folder / "s4.xlsx",
        unit_id="kgo_s4",
        period=PERIOD,
        rows={"staff": _rows("kgo_s4", 1)},
        modified=dt.datetime(2023, 8, 5, 12),
    )
    result = _check(folder)
    reg = result.register.set_index("unit_id")
    assert reg.loc["kgo_s4", "status"] == "on_time"
    assert reg.loc["kgo_s4", "first_submitted_at"].date() == dt.date(2023, 8, 5)


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
