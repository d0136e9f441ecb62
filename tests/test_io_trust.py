"""No value is silently reinterpreted (issue 11): percent cells read as displayed, DataFrames
given to ``compute`` checked like forms, conflicting person attributes reported, the
submission date is when a file was received, and a register whose rows are all rejected
does not stop the check."""

from __future__ import annotations

import datetime as dt
import os
import zipfile
from pathlib import Path
from xml.sax.saxutils import escape

import openpyxl
import pandas as pd
import pytest
from click.testing import CliRunner

import pedprof
from pedprof.cli import main
from pedprof.errors import DataValidationError, Location, PedprofError
from pedprof.io import read_submissions, sheet_names, write_form
from pedprof.io._formats import is_percent_format, percent_cells
from pedprof.io._tables import profile_sources
from pedprof.io.register import status_as_of
from pedprof.io.sample import write_receipts

KARABASH = pedprof.get_profile("karabash")
SAMPLE = pedprof.load_sample(KARABASH)
STAFF_SHEET = sheet_names(profile_sources(KARABASH))["staff"]
SCORE_LABEL = KARABASH.source("staff").field("expert_score").label


def _staff(org: str, period: str, n: int) -> pd.DataFrame:
    staff = SAMPLE.tables["staff"]
    mine = staff[(staff["org_id"] == org) & (staff["period"] == period)]
    return mine.head(n).reset_index(drop=True)


def _column(ws: openpyxl.worksheet.worksheet.Worksheet, label: str) -> int:
    for cell in ws[2]:
        if isinstance(cell.value, str) and cell.value.rstrip(" *") == label:
            return cell.column
    raise AssertionError(f"no column {label!r}")


# =========================================================================== 1. percent


@pytest.mark.parametrize(
    ("code", "percent"),
    [
        ("0%", True),
        ("0.00%", True),
        ("0.0 %", True),
        ("[Red]0%;[Blue]-0%", True),
        ('0.0" %"', False),  # a literal «%» after the number: 45 shows «45 %»
        ("0\\%", False),
        ("[$%-409]0", False),
        ("General", False),
        ("0.0", False),
    ],
)
def test_percent_format_codes(code: str, percent: bool) -> None:
    assert is_percent_format(code) is percent


@pytest.fixture
def percent_form(tmp_path: Path) -> Path:
    """kgo_s1's 2022-2023 form, four rows, expert scores typed in four ways."""
    rows = _staff("kgo_s1", "2022-2023", 4)
    path = write_form(
        KARABASH, tmp_path / "s1.xlsx", unit_id="kgo_s1", period="2022-2023", rows={"staff": rows}
    )
    wb = openpyxl.load_workbook(path)
    ws = wb[STAFF_SHEET]
    c = _column(ws, SCORE_LABEL)
    # Data rows start at 5 (title, header, descriptions, example).
    ws.cell(row=5, column=c, value=0.75).number_format = "0%"  # typed «75%»: shown «75 %»
    ws.cell(row=6, column=c, value=0.455).number_format = "0.0%"  # shown «45,5 %»
    ws.cell(row=7, column=c, value=0.45).number_format = "General"  # shown «0,45»
    ws.cell(row=8, column=c, value="45 %").number_format = "@"  # text
    wb.save(path)
    return path


def test_a_percent_formatted_cell_is_read_as_it_displays(percent_form: Path) -> None:
    c = _column(openpyxl.load_workbook(percent_form)[STAFF_SHEET], SCORE_LABEL) - 1
    assert percent_cells(percent_form, STAFF_SHEET) == {(4, c), (5, c)}  # rows 5 and 6
    result = read_submissions(KARABASH, [percent_form], reference=SAMPLE)
    assert result.rejected == 0, result.errors["message"].tolist()
    assert result.dataset is not None
    scores = result.dataset.tables["staff"]["expert_score"].tolist()
    assert scores == [75.0, 45.5, 0.45, 45.0]


def test_a_percent_cell_changes_k04_as_displayed(percent_form: Path) -> None:
    """k04's population is «more than 60 % done»: 0.75 formatted «75 %» is in it."""
    result = read_submissions(KARABASH, [percent_form], reference=SAMPLE)
    assert result.dataset is not None
    k04 = pedprof.compute(KARABASH, result.dataset, indicators=["k04"], levels=["organization"])
    mine = k04[(k04["unit"] == "kgo_s1") & (k04["period"] == "2022-2023")].iloc[0]
    # Only the first row (75) is above 60; read as 0.75 the denominator would be 0.
    assert mine["denominator"] == 1


def _ods(path: Path, rows: list[list[object]], sheet: str) -> Path:
    """A minimal OpenDocument spreadsheet (calamine reads it; its formats are not seen)."""

    def cell(v: object) -> str:
        if v is None:
            return "<table:table-cell/>"
        if isinstance(v, float | int) and not isinstance(v, bool):
            return (
                f'<table:table-cell office:value-type="percentage" office:value="{v}">'
                f"<text:p>{v}</text:p></table:table-cell>"
            )
        return (
            f'<table:table-cell office:value-type="string"><text:p>{escape(str(v))}</text:p>'
            "</table:table-cell>"
        )

    body = "".join(
        "<table:table-row>" + "".join(cell(v) for v in r) + "</table:table-row>" for r in rows
    )
    content = (
        '<?xml version="1.0" encoding="UTF-8"?>'
        '<office:document-content xmlns:office="urn:oasis:names:tc:opendocument:xmlns:office:1.0" '
        'xmlns:table="urn:oasis:names:tc:opendocument:xmlns:table:1.0" '
        'xmlns:text="urn:oasis:names:tc:opendocument:xmlns:text:1.0" office:version="1.2">'
        f'<office:body><office:spreadsheet><table:table table:name="{sheet}">{body}'
        "</table:table></office:spreadsheet></office:body></office:document-content>"
    )
    manifest = (
        '<?xml version="1.0" encoding="UTF-8"?>'
        '<manifest:manifest xmlns:manifest="urn:oasis:names:tc:opendocument:xmlns:manifest:1.0" '
        'manifest:version="1.2">'
        '<manifest:file-entry manifest:full-path="/" '
        'manifest:media-type="application/vnd.oasis.opendocument.spreadsheet"/>'
        '<manifest:file-entry manifest:full-path="content.xml" manifest:media-type="text/xml"/>'
        "</manifest:manifest>"
    )
    with zipfile.ZipFile(path, "w") as zf:
        zf.writestr(
            "mimetype", "application/vnd.oasis.opendocument.spreadsheet", zipfile.ZIP_STORED
        )
        zf.writestr("content.xml", content)
        zf.writestr("META-INF/manifest.xml", manifest)
    return path


def test_a_number_whose_format_cannot_be_seen_is_an_error_not_a_guess(tmp_path: Path) -> None:
    source = KARABASH.source("staff")
    rows = _staff("kgo_s1", "2022-2023", 3)
    fields = [f for f in source.fields if f.name in rows.columns]
    grid: list[list[object]] = [[f.label for f in fields]]
    for n, rec in enumerate(rows.to_dict("records")):
        line: list[object] = []
        for f in fields:
            v = rec[f.name]
            if f.name == "expert_score":
                v = (0.45, 45.0, 0.0)[n]
            elif v is None or (not isinstance(v, str) and pd.isna(v)):
                v = None
            elif isinstance(v, bool):
                v = "да" if v else "нет"
            elif isinstance(v, pd.Timestamp):
                v = f"{v:%d.%m.%Y}"
            else:
                v = str(v)
            line.append(v)
        grid.append(line)
    path = _ods(tmp_path / "s1.ods", grid, "Работники")
    result = read_submissions(KARABASH, [path], reference=SAMPLE)
    assert (result.submitted, result.accepted, result.rejected) == (3, 2, 1)
    error = result.errors[result.errors["severity"] == "error"].iloc[0]
    assert (error["row"], error["column"], error["value"]) == (2, SCORE_LABEL, "0,45")
    assert "неясно, сколько здесь процентов" in error["message"]
    assert "это может быть 0,45 или 45 %" in error["message"]
    assert result.dataset is not None
    # 45 and 0 read the same either way (4500 % would be out of range; 0 % is 0).
    assert result.dataset.tables["staff"]["expert_score"].tolist() == [45.0, 0.0]


# =========================================================================== 2. the API


def _with_staff(staff: pd.DataFrame) -> pedprof.Dataset:
    return SAMPLE.with_tables(staff=staff)


def test_yes_and_no_as_text_count_as_yes_and_no() -> None:
    """«нет» is never true: k03 over «да»/«нет» text equals k03 over booleans."""
    staff = SAMPLE.tables["staff"].copy()
    for column in ("deficit_assessed", "iom"):
        staff[column] = staff[column].map({True: "да", False: "нет"}).astype(object)
    got = pedprof.compute(KARABASH, _with_staff(staff), indicators=["k03"])
    want = pedprof.compute(KARABASH, SAMPLE, indicators=["k03"])
    pd.testing.assert_frame_equal(got, want)
    muni = got[got["level"] == "municipality"]
    assert (muni["value"] < 100).all()


def test_ages_as_text_are_read_as_numbers() -> None:
    staff = SAMPLE.tables["staff"].copy()
    staff["age"] = staff["age"].astype(str)
    staff["expert_score"] = [
        None if pd.isna(v) else f"{v:g}".replace(".", ",") for v in staff["expert_score"]
    ]
    got = pedprof.compute(KARABASH, _with_staff(staff))
    want = pedprof.compute(KARABASH, SAMPLE)
    pd.testing.assert_frame_equal(got, want)


def test_unreadable_values_raise_a_typed_error_naming_each_cell() -> None:
    staff = SAMPLE.tables["staff"].copy()
    staff["age"] = staff["age"].astype(object)
    staff.loc[3, "age"] = "сорок"
    staff["deficit_assessed"] = staff["deficit_assessed"].astype(object)
    staff.loc[5, "deficit_assessed"] = "может быть"
    with pytest.raises(DataValidationError) as caught:
        pedprof.compute(KARABASH, _with_staff(staff))
    exc = caught.value
    assert isinstance(exc, PedprofError) and isinstance(exc, ValueError)
    assert [(p.where.row, p.where.column) for p in exc.problems] == [
        (4, "age"),
        (6, "deficit_assessed"),
    ]
    first = exc.problems[0]
    assert first.where == Location(table="staff", row=4, column="age")
    assert first.expected == "целое число от 16 до 90"
    assert first.value == "сорок"
    assert first.message == (
        "Таблица «staff» (Сведения о педагогических и руководящих работниках), строка 4, "
        "столбец «Возраст, полных лет» (age): указано «сорок», а нужно: целое число от 16 до 90."
    )
    assert (exc.where, exc.expected) == (first.where, first.expected)
    assert exc.message.startswith(
        "Таблицы не соответствуют описанию источников профиля «karabash»: 2 ошибки."
    )


def test_typed_columns_are_checked_for_range_and_required_values() -> None:
    staff = SAMPLE.tables["staff"].copy()
    staff.loc[0, "age"] = 200  # Int64 stays Int64
    staff.loc[1, "iom"] = pd.NA  # a required boolean left empty
    with pytest.raises(DataValidationError) as caught:
        pedprof.compute(KARABASH, _with_staff(staff))
    problems = {(p.where.row, p.where.column): p for p in caught.value.problems}
    assert set(problems) == {(1, "age"), (2, "iom")}
    assert problems[(1, "age")].what == "значение больше допустимого: указано «200»"
    assert problems[(2, "iom")].rule == "required"


def test_from_frames_gives_declared_dtypes_and_codes() -> None:
    staff = _staff("kgo_s1", "2023-2024", 3).astype(object)
    staff["category"] = ["педагогический работник", "Руководящий работник", "teacher"]
    staff["iom"] = ["да", "нет", "+"]
    staff["dpo_date"] = ["01.06.2024", None, "2023-12-25"]
    staff["period"] = "2023/2024"
    data = pedprof.Dataset.from_frames(
        KARABASH,
        {"staff": staff},
        regions=SAMPLE.regions,
        municipalities=SAMPLE.municipalities,
        organizations=SAMPLE.organizations,
    )
    got = data.tables["staff"]
    assert got["category"].tolist() == ["teacher", "manager", "teacher"]
    assert got["iom"].tolist() == [True, False, True]
    assert str(got["iom"].dtype) == "boolean"
    assert str(got["age"].dtype) == "Int64"
    assert got["dpo_date"].tolist()[0] == pd.Timestamp(2024, 6, 1)
    assert pd.isna(got["dpo_date"].tolist()[1])
    assert set(got["period"]) == {"2023-2024"}


def test_text_columns_are_checked_not_changed() -> None:
    staff = SAMPLE.tables["staff"].copy()
    staff.loc[2, "person_id"] = "x" * 101  # a code is at most 100 characters
    staff.loc[4, "person_id"] = "  "  # required
    with pytest.raises(DataValidationError) as caught:
        pedprof.compute(KARABASH, _with_staff(staff))
    problems = [(p.where.row, p.rule, p.value) for p in caught.value.problems]
    assert problems == [(3, "value", "скрыто (персональные данные)"), (5, "required", "")]


def test_a_repeated_column_is_an_error_not_a_choice() -> None:
    staff = SAMPLE.tables["staff"]
    twice = pd.concat([staff, staff[["age"]]], axis=1)
    with pytest.raises(DataValidationError) as caught:
        pedprof.compute(KARABASH, _with_staff(twice))
    (problem,) = caught.value.problems
    assert (problem.where.column, problem.rule) == ("age", "duplicate_column")


def test_a_clean_dataset_is_returned_as_is() -> None:
    from pedprof.model.data import validate_dataset

    assert validate_dataset(KARABASH, SAMPLE) is SAMPLE


# =========================================================================== 3. persons


def test_conflicting_person_attributes_name_both_rows(tmp_path: Path) -> None:
    s1 = _staff("kgo_s1", "2023-2024", 2)
    s2 = _staff("kgo_s2", "2023-2024", 3)
    s2.loc[2, "person_id"] = s1.loc[1, "person_id"]  # a part-time post in kgo_s2
    s1.loc[1, ["age", "experience_years"]] = [27, 3]
    s2.loc[2, ["age", "experience_years"]] = [52, 3]
    a = write_form(
        KARABASH, tmp_path / "s1.xlsx", unit_id="kgo_s1", period="2023-2024", rows={"staff": s1}
    )
    b = write_form(
        KARABASH, tmp_path / "s2.xlsx", unit_id="kgo_s2", period="2023-2024", rows={"staff": s2}
    )
    result = read_submissions(KARABASH, [a, b], reference=SAMPLE)
    assert result.rejected == 0
    notices = result.errors[result.errors["rule"] == "person_attributes_differ"]
    assert len(notices) == 1  # the age differs; the experience does not
    notice = notices.iloc[0]
    assert notice["severity"] == "notice"
    assert (notice["file"], notice["sheet"], notice["row"]) == ("s1.xlsx", STAFF_SHEET, 6)
    assert notice["column"] == "Возраст, полных лет"
    text = notice["message"]
    assert f"27 — в «kgo_s1» (файл «s1.xlsx», лист «{STAFF_SHEET}», строка 6)" in text
    assert f"52 — в «kgo_s2» (файл «s2.xlsx», лист «{STAFF_SHEET}», строка 7)" in text
    assert str(s1.loc[1, "person_id"]) not in text  # the pseudonymous code is not printed
    # The part-time post itself is still the usual notice.
    assert (result.errors["rule"] == "person_in_two_units").sum() == 1


# =========================================================================== 4. dates


def _resaved_form(tmp_path: Path, name: str = "d8.xlsx") -> Path:
    """kgo_d8's 2022-2023 form, re-saved on 01.12.2025 (long after it was received)."""
    return write_form(
        KARABASH,
        tmp_path / name,
        unit_id="kgo_d8",
        period="2022-2023",
        rows={"staff": _staff("kgo_d8", "2022-2023", 2)},
        modified=dt.datetime(2025, 12, 1, 9),
    )


def _d8(result: pedprof.CheckResult) -> pd.Series:
    reg = result.register
    return reg[(reg["unit_id"] == "kgo_d8") & (reg["period"] == "2022-2023")].iloc[0]


def test_the_register_of_receipts_dates_a_resaved_file(tmp_path: Path) -> None:
    form = _resaved_form(tmp_path)
    receipts = pd.DataFrame(
        {"unit_id": ["kgo_d8"], "period": ["2022-2023"], "submitted_at": ["03.08.2023"]}
    )
    result = read_submissions(
        KARABASH, [form, ("submissions", receipts)], reference=SAMPLE, received=dt.date(2023, 8, 20)
    )
    d8 = _d8(result)
    assert (d8["status"], d8["date_source"]) == ("on_time", "register")  # not late by 850 days
    assert d8["first_submitted_at"] == pd.Timestamp(2023, 8, 3)
    # The register beat --received; and its row is a row like any other: accepted, counted.
    assert result.rejected == 0 and result.submitted == 3


def test_received_dates_the_files_of_the_run(tmp_path: Path) -> None:
    form = _resaved_form(tmp_path)
    result = read_submissions(KARABASH, [form], reference=SAMPLE, received=dt.date(2023, 8, 9))
    d8 = _d8(result)
    assert (d8["status"], d8["days_late"], d8["date_source"]) == ("late", 4, "received")
    assert result.files.set_index("file").loc["d8.xlsx", "date_source"] == "received"


def test_without_a_receipt_date_a_copied_file_is_not_late(tmp_path: Path) -> None:
    form = _resaved_form(tmp_path)  # on disk: modified now, long after 2022-2023
    result = read_submissions(KARABASH, [form], reference=SAMPLE)
    d8 = _d8(result)
    # The modification time (today) is later than the date the register is drawn up at:
    # the file was copied, not received, then.
    assert (d8["status"], d8["date_source"]) == ("unknown_time", "file_mtime_late")
    assert pd.isna(d8["days_late"]) and pd.isna(d8["first_submitted_at"])
    # The statuses of 2022-2023 are judged at the end of 2022-2023, not today.
    assert d8["status_as_of"] == pd.Timestamp(2023, 8, 31)
    assert result.files.set_index("file").loc["d8.xlsx", "date_source"] == "file_mtime_late"
    assert result.errors.empty  # nothing rejected, nothing to notice: the register says it
    # Organisations that sent nothing for a past year are missing, not «not yet due».
    others = result.register[
        (result.register["period"] == "2022-2023") & (result.register["unit_id"] == "kgo_s1")
    ]
    assert others.iloc[0]["status"] == "missing"


def test_a_file_modification_time_inside_the_campaign_is_used_and_said(tmp_path: Path) -> None:
    form = _resaved_form(tmp_path)
    when = dt.datetime(2023, 8, 4, 15).timestamp()
    os.utime(form, (when, when))
    d8 = _d8(read_submissions(KARABASH, [form], reference=SAMPLE))
    assert (d8["status"], d8["date_source"]) == ("on_time", "file_mtime")
    assert d8["first_submitted_at"] == pd.Timestamp(2023, 8, 4, 15)


def test_status_date_defaults_to_the_period_context() -> None:
    past = pedprof.parse_period("2022-2023", KARABASH.info.period_kind)
    assert status_as_of(KARABASH, past) == (dt.date(2023, 8, 31), "period_end")
    future = past + 10
    assert status_as_of(KARABASH, future) == (dt.date.today(), "today")
    assert status_as_of(KARABASH, past, today=dt.date(2023, 8, 1)) == (dt.date(2023, 8, 1), "given")


def test_the_later_received_file_supersedes(tmp_path: Path) -> None:
    rows = _staff("kgo_s4", "2022-2023", 3)
    first = write_form(
        KARABASH, tmp_path / "a.xlsx", unit_id="kgo_s4", period="2022-2023", rows={"staff": rows}
    )
    second = write_form(
        KARABASH,
        tmp_path / "b.xlsx",
        unit_id="kgo_s4",
        period="2022-2023",
        rows={"staff": rows.head(2)},
    )
    # b.xlsx was written later, but the register says a.xlsx (the correction) came later.
    receipts = pd.DataFrame(
        {
            "unit_id": ["kgo_s4", "kgo_s4"],
            "period": ["2022-2023", "2022-2023"],
            "submitted_at": ["07.08.2023", "01.08.2023"],
            "file": ["a.xlsx", "b.xlsx"],
        }
    )
    result = read_submissions(
        KARABASH, [first, second, ("submissions", receipts)], reference=SAMPLE
    )
    error = result.errors[result.errors["rule"] == "superseded"].iloc[0]
    assert error["file"] == "b.xlsx"
    assert (
        "в файле «a.xlsx» от 07.08.2023 (дата поступления по реестру поступления)"
        in error["message"]
    )
    reg = result.register.set_index(["unit_id", "period"]).loc[("kgo_s4", "2022-2023")]
    assert reg["first_submitted_at"] == pd.Timestamp(2023, 8, 1)
    assert reg["last_submitted_at"] == pd.Timestamp(2023, 8, 7)


def test_check_command_received_and_what_it_says(tmp_path: Path) -> None:
    _resaved_form(tmp_path)
    SAMPLE.organizations.to_csv(tmp_path / "organizations.csv", index=False)
    report = tmp_path / "out" / "r.xlsx"
    args = ["check", "--profile", "karabash", str(tmp_path), "--report", str(report)]
    result = CliRunner().invoke(main, [*args, "--received", "09.08.2023"])
    assert result.exit_code == 0, result.output
    text = " ".join(result.output.split())
    assert "указана при проверке (--received) — 1" in text
    assert "с опозданием — 1" in text
    assert "2022-2023 — на 31.08.2023 (окончание периода)" in text
    bad = CliRunner().invoke(main, [*args, "--received", "31.02.2023"])
    assert bad.exit_code == 2
    assert "ДД.ММ.ГГГГ" in bad.output


def test_write_receipts_round_trips(tmp_path: Path) -> None:
    path = write_receipts(
        KARABASH, tmp_path / "received.xlsx", {("kgo_d8", "2022-2023"): dt.datetime(2023, 8, 9)}
    )
    form = _resaved_form(tmp_path)
    d8 = _d8(read_submissions(KARABASH, [form, path], reference=SAMPLE))
    assert (d8["status"], d8["days_late"], d8["date_source"]) == ("late", 4, "register")


# =========================================================================== 5. the register


@pytest.mark.parametrize("broken", ["empty_name", "region_typo"])
def test_a_register_whose_rows_are_all_rejected_does_not_stop_the_check(
    tmp_path: Path, broken: str
) -> None:
    munis = SAMPLE.municipalities.copy()
    if broken == "empty_name":
        munis["name"] = ""
    else:
        munis["region_id"] = "chelyabinskk"
    munis.to_csv(tmp_path / "municipalities.csv", index=False)
    SAMPLE.regions.to_csv(tmp_path / "regions.csv", index=False)
    SAMPLE.organizations.to_csv(tmp_path / "organizations.csv", index=False)
    good = write_form(
        KARABASH,
        tmp_path / "s1.xlsx",
        unit_id="kgo_s1",
        period="2023-2024",
        rows={"staff": _staff("kgo_s1", "2023-2024", 3)},
    )
    result = read_submissions(KARABASH, [tmp_path])
    assert result.submitted == result.accepted + result.rejected == 1 + 1 + 10 + 3
    assert result.accepted == 1  # the region
    errors = result.errors[result.errors["severity"] == "error"]

    def of(name: str) -> pd.DataFrame:
        return errors[errors["file"].str.endswith(name)]

    rule = "required" if broken == "empty_name" else "unknown_parent"
    assert set(of("municipalities.csv")["rule"]) == {rule}
    orgs = of("organizations.csv")
    assert len(orgs) == 10 and set(orgs["rule"]) == {"unknown_parent"}
    assert (
        "строка с кодом «karabash» в таблице «Муниципалитеты» отклонена" in orgs["message"].iloc[0]
    )
    staff = of(good.name)
    assert "строка реестра с кодом организации «kgo_s1» отклонена" in staff["message"].iloc[0]
    # The check goes on and the report is written for every file.
    report = tmp_path / "out" / "r.xlsx"
    args = ["check", "--profile", "karabash", str(tmp_path), "--report", str(report)]
    cli = CliRunner().invoke(main, args)
    assert cli.exit_code == 1, cli.output
    assert report.exists()
    written = pd.read_csv(report.with_suffix(".csv"), sep=";", encoding="utf-8-sig")
    files = {Path(f).name for f in written["Файл"]}
    assert {"municipalities.csv", "organizations.csv", "s1.xlsx"} <= files


def test_percent_cells_without_cell_references(tmp_path: Path) -> None:
    """Cells may omit their ``r`` reference (the format allows it): positions are counted."""
    wb = openpyxl.Workbook()
    ws = wb.active
    assert ws is not None
    ws.title = "Лист"
    ws["A1"], ws["B1"], ws["C1"] = "a", 0.5, 0.25
    ws["C1"].number_format = "0%"
    ws["B3"] = 0.75
    ws["B3"].number_format = "0.0%"
    plain = tmp_path / "plain.xlsx"
    wb.save(plain)
    bare = tmp_path / "bare.xlsx"
    with zipfile.ZipFile(plain) as src, zipfile.ZipFile(bare, "w") as dst:
        for info in src.infolist():
            data = src.read(info)
            if info.filename == "xl/worksheets/sheet1.xml":
                text = data.decode()
                for ref in ("A1", "B1", "C1", "B3"):
                    text = text.replace(f' r="{ref}"', "")
                data = text.encode()
            dst.writestr(info, data)
    assert percent_cells(plain, "Лист") == {(0, 2), (2, 1)}
    # Without references a row's cells count from column A: row 3's lone cell is A3, where
    # calamine reads its value too.
    with zipfile.ZipFile(bare) as zf:
        assert ' r="C1"' not in zf.read("xl/worksheets/sheet1.xml").decode()
    assert percent_cells(bare, "Лист") == {(0, 2), (2, 0)}
    assert percent_cells(plain, "Нет такого листа") is None
