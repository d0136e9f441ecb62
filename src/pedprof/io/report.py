"""The error report a methodologist sends back to schools: .xlsx and .csv, in Russian.

The workbook has a summary sheet (counts per file and in total — they always add up),
the submission register, and one sheet per organisation with its errors and notices:
file, sheet, row, column, the value found, what was expected and an explanation. The
CSV holds the same errors in one table (``;``-separated, UTF-8 with a byte-order mark,
so Excel opens it correctly). Every text cell is neutralised against formula injection,
and a character a workbook cannot hold (a control character pasted into a submitted cell)
is shown as ``[U+0007]`` instead of breaking the report.

Errors are listed the way a person reads the file: errors before notices, then by file
(in the order the files were read), sheet (in the workbook's order), row and — within a
row — in the order the columns were checked.
"""

from __future__ import annotations

import csv
import re
from collections.abc import Mapping
from pathlib import Path
from typing import TYPE_CHECKING

import pandas as pd

from pedprof.formatting import safe_cell
from pedprof.io._safety import xml_safe
from pedprof.io.validate import CheckResult

if TYPE_CHECKING:
    from openpyxl.worksheet.worksheet import Worksheet

__all__ = ["ERROR_HEADERS", "write_error_csv", "write_error_report"]

ERROR_HEADERS = {
    "severity": "Важность",
    "file": "Файл",
    "sheet": "Лист",
    "row": "Строка",
    "column": "Столбец",
    "value": "Найдено",
    "expected": "Ожидается",
    "message": "Пояснение",
}
SEVERITY_LABELS = {"error": "ошибка", "notice": "замечание"}

_BAD_SHEET = re.compile(r"[\[\]:*?/\\]")


def _cell(value: object) -> object:
    if value is None:
        return None
    if isinstance(value, float) and pd.isna(value):
        return None
    if value is pd.NA or value is pd.NaT:
        return None
    if isinstance(value, pd.Timestamp):
        return value.to_pydatetime()
    if isinstance(value, str):
        return safe_cell(xml_safe(value))
    return safe_cell(value)


def _table(ws: Worksheet, frame: pd.DataFrame, headers: Mapping[str, str], start: int = 1) -> int:
    from openpyxl.styles import Alignment, Font, PatternFill

    bold, head_fill = Font(bold=True), PatternFill("solid", fgColor="DDEBF7")
    wrap = Alignment(wrap_text=True, vertical="top")
    cols = [c for c in headers if c in frame.columns]
    for j, c in enumerate(cols, start=1):
        cell = ws.cell(row=start, column=j, value=_cell(headers[c]))
        cell.font, cell.fill, cell.alignment = bold, head_fill, wrap
    for i, record in enumerate(frame[cols].itertuples(index=False, name=None), start=start + 1):
        for j, value in enumerate(record, start=1):
            cell = ws.cell(row=i, column=j, value=_cell(value))
            if isinstance(value, str) and len(value) > 40:
                cell.alignment = wrap
    ws.freeze_panes = ws.cell(row=start + 1, column=1)
    return start + len(frame) + 1


def _widths(ws: Worksheet, widths: Mapping[int, float]) -> None:
    from openpyxl.utils import get_column_letter

    for j, w in widths.items():
        ws.column_dimensions[get_column_letter(j)].width = w


def _sheet_title(name: str, used: set[str]) -> str:
    base = _BAD_SHEET.sub(" ", xml_safe(name)).strip().strip("'")[:31] or "Лист"
    title, n = base, 2
    while title.lower() in used:
        suffix = f" ({n})"
        title, n = base[: 31 - len(suffix)] + suffix, n + 1
    used.add(title.lower())
    return title


def _errors_by_unit(result: CheckResult) -> dict[str, pd.DataFrame]:
    """Errors grouped by the organisation (municipality) they concern."""
    errors = result.errors.copy()
    file_units: dict[str, str] = {}
    counts = result.counts[result.counts["unit_id"] != ""]
    for file, group in counts.groupby("file"):
        units = sorted(set(group["unit_id"]))
        if len(units) == 1:
            file_units[str(file)] = units[0]
    unit = errors["unit_id"].fillna("").astype(str)
    fallback = errors["file"].map(file_units).fillna("")
    errors["_unit"] = unit.where(unit != "", fallback)
    return {str(k): g.drop(columns="_unit") for k, g in errors.groupby("_unit", sort=True)}


def _unit_names(result: CheckResult) -> dict[str, str]:
    if result.register.empty:
        return {}
    return dict(
        zip(
            result.register["unit_id"].astype(str),
            result.register["unit_name"].astype(str),
            strict=False,
        )
    )


def _first_seen(values: pd.Series) -> dict[str, int]:
    return {str(v): i for i, v in enumerate(dict.fromkeys(values.astype(str)))}


def _display_errors(frame: pd.DataFrame, result: CheckResult | None = None) -> pd.DataFrame:
    """Errors before notices, then in reading order; severities in Russian.

    Files in the order they were read, sheets in their order in the file (as their rows
    were read), rows by number (file-level remarks first); errors on one row stay in the
    order they were found, which follows the columns.
    """
    files: dict[str, int] = {}
    sheets: dict[str, int] = {}
    if result is not None:
        files = _first_seen(result.files["file"]) if len(result.files) else {}
        if len(result.rows):
            sheets = _first_seen(result.rows["file"].astype(str) + "\0" + result.rows["sheet"])
    rest_files = _first_seen(frame["file"].sort_values(kind="stable"))
    rest_sheets = _first_seen(
        (frame["file"].astype(str) + "\0" + frame["sheet"].fillna("").astype(str)).sort_values(
            kind="stable"
        )
    )
    file_key = frame["file"].astype(str)
    sheet_key = file_key + "\0" + frame["sheet"].fillna("").astype(str)
    out = frame.assign(
        _order=(frame["severity"] != "error").astype(int),
        _file=[files.get(f, len(files) + rest_files[f]) for f in file_key],
        _sheet=[
            -1 if not k.split("\0", 1)[1] else sheets.get(k, len(sheets) + rest_sheets[k])
            for k in sheet_key
        ],
        _row=frame["row"].astype("Float64").fillna(-1.0).astype(float),
    )
    out = out.sort_values(["_order", "_file", "_sheet", "_row"], kind="stable")
    out["severity"] = out["severity"].map(SEVERITY_LABELS).fillna(out["severity"])
    return out.drop(columns=["_order", "_file", "_sheet", "_row"])


def write_error_report(result: CheckResult, path: str | Path) -> Path:
    """Write the report workbook to ``path`` (and nothing else; see :func:`write_error_csv`).

    :returns: the path written.
    """
    from openpyxl import Workbook
    from openpyxl.styles import Font, PatternFill

    from pedprof.io._print import finish

    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    wb = Workbook()
    ws = wb.active
    assert ws is not None
    used: set[str] = set()
    ws.title = _sheet_title("Итоги", used)
    ws.cell(row=1, column=1, value="Итоги проверки представленных сведений").font = Font(
        bold=True, size=13
    )
    ws.cell(row=2, column=1, value=safe_cell(result.summary()))
    ws.cell(
        row=3,
        column=1,
        value="Для каждого файла: представлено строк = принято + отклонено. Ошибки по каждой "
        "организации — на её листе; «замечание» ничего не отклоняет.",
    )
    per_file = (
        result.counts.groupby("file", sort=True)[["submitted", "accepted", "rejected"]]
        .sum()
        .reset_index()
    )
    status = result.files.set_index("file")["status"].to_dict() if len(result.files) else {}
    per_file["status"] = per_file["file"].map(
        lambda f: {"refused": "не прочитан", "skipped": "пропущен"}.get(
            str(status.get(f)), "прочитан"
        )
    )
    total = pd.DataFrame(
        [
            {
                "file": "ВСЕГО",
                "submitted": int(per_file["submitted"].sum()),
                "accepted": int(per_file["accepted"].sum()),
                "rejected": int(per_file["rejected"].sum()),
                "status": "",
            }
        ]
    )
    headers = {
        "file": "Файл",
        "status": "Состояние",
        "submitted": "Представлено строк",
        "accepted": "Принято",
        "rejected": "Отклонено",
    }
    end = _table(ws, pd.concat([per_file, total], ignore_index=True), headers, start=5)
    ws.cell(row=end, column=1).font = Font(bold=True)
    _widths(ws, {1: 55, 2: 14, 3: 20, 4: 12, 5: 12})

    if not result.register.empty:
        reg = wb.create_sheet(_sheet_title("Реестр представления", used))
        frame = result.register.copy()
        frame["first_submitted_at"] = frame["first_submitted_at"].dt.strftime("%d.%m.%Y %H:%M")
        frame["deadline"] = frame["deadline"].dt.strftime("%d.%m.%Y")
        _table(
            reg,
            frame,
            {
                "period": "Период",
                "unit_id": "Код",
                "unit_name": "Наименование",
                "status_label": "Представление",
                "first_submitted_at": "Дата представления",
                "deadline": "Срок",
                "days_late": "Опоздание, дней",
                "rows_accepted": "Принято строк",
                "rows_rejected": "Отклонено строк",
                "files": "Файлы",
            },
        )
        _widths(reg, {1: 12, 2: 14, 3: 40, 4: 32, 5: 18, 6: 12, 7: 10, 8: 10, 9: 10, 10: 60})

    names = _unit_names(result)
    error_fill = PatternFill("solid", fgColor="FCE4E4")
    for unit, errors in _errors_by_unit(result).items():
        title = f"{unit}" if unit else "Без организации"
        sheet = wb.create_sheet(_sheet_title(title, used))
        label = f"{unit} — {names[unit]}" if unit in names and names[unit] != unit else unit
        head = f"Организация: {label}" if unit else "Файлы, не отнесённые к организации"
        sheet.cell(row=1, column=1, value=_cell(head)).font = Font(bold=True, size=12)
        mine = result.counts[result.counts["unit_id"] == unit] if unit else result.counts.iloc[0:0]
        if len(mine):
            sheet.cell(
                row=2,
                column=1,
                value=f"Представлено строк: {int(mine['submitted'].sum())}, принято: "
                f"{int(mine['accepted'].sum())}, отклонено: {int(mine['rejected'].sum())}.",
            )
        shown = _display_errors(errors, result)
        _table(sheet, shown, ERROR_HEADERS, start=4)
        for r, sev in enumerate(shown["severity"], start=5):
            if sev == SEVERITY_LABELS["error"]:
                sheet.cell(row=r, column=1).fill = error_fill
        _widths(sheet, {1: 12, 2: 30, 3: 24, 4: 8, 5: 28, 6: 18, 7: 30, 8: 90})
    for sheet in wb.worksheets:  # print-ready: A4, one page wide, the header on every page
        top = {"Итоги": 5, "Реестр представления": 1}.get(sheet.title, 4)
        finish(sheet, header_rows=(top, top), first=top)
    wb.save(path)
    return path


def write_error_csv(result: CheckResult, path: str | Path) -> Path:
    """Write all errors and notices to a CSV file (``;``, UTF-8 with BOM).

    :returns: the path written.
    """
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    shown = _display_errors(result.errors, result)
    headers = {**ERROR_HEADERS, "unit_id": "Код организации", "period": "Период", "rule": "Правило"}
    cols = list(headers)
    with path.open("w", encoding="utf-8-sig", newline="") as fh:
        writer = csv.writer(fh, delimiter=";", quoting=csv.QUOTE_MINIMAL)
        writer.writerow([headers[c] for c in cols])
        for record in shown[cols].itertuples(index=False, name=None):
            writer.writerow(["" if (c := _cell(v)) is None else c for v in record])
    return path
