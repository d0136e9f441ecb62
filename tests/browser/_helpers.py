"""Helpers of the workspace tests: forms with errors, independent counts from a workbook."""

from __future__ import annotations

from pathlib import Path

import openpyxl

STAFF_SHEET = "Работники"
#: The first data row of a form's table sheet (title, headers, hints above it).
FIRST_ROW = 4


def broken_copy(form: Path, target: Path) -> Path:
    """A copy of a filled form with two errors a school makes: an age of 200 in D4 and
    «возможно» instead of «да»/«нет» in F5 of the staff sheet."""
    wb = openpyxl.load_workbook(form)
    ws = wb[STAFF_SHEET]
    assert ws.cell(row=3, column=4).value is not None  # the hint row above the data
    ws["D4"] = 200
    ws["F5"] = "возможно"
    wb.save(target)
    return target


def pedagogues(form: Path) -> int:
    """Pedagogical staff rows of a filled form, counted from the sheet with openpyxl."""
    wb = openpyxl.load_workbook(form, read_only=True)
    ws = wb[STAFF_SHEET]
    return sum(
        1
        for row in ws.iter_rows(min_row=FIRST_ROW, values_only=True)
        if row[0] is not None and row[1] == "педагогический работник"
    )
