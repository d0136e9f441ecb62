"""Blank (or pre-filled) Excel forms generated from a profile's declared sources.

A form is an .xlsx workbook:

* «Инструкция» — what to fill, by when, to whom, and the form's details (profile, form
  version, period, unit code); the period and unit cells are filled by the school when the
  form was handed out blank;
* one sheet per table: a title, a frozen header of Russian column labels (``*`` marks a
  required column), a row describing each column, an example row that is ignored on
  reading, then the data rows — with Excel data validation (lists, numeric ranges,
  dates);
* two hidden sheets: the lists behind the drop-downs and pedprof's metadata (profile,
  version, period, unit, one fingerprint per table) by which a stale form is recognised.

Every text cell written goes through :func:`pedprof.formatting.safe_cell`.
"""

from __future__ import annotations

import datetime as dt
import functools
from collections.abc import Mapping, Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any
from zipfile import ZIP_DEFLATED, ZipFile

import pandas as pd

from pedprof.formatting import safe_cell
from pedprof.io._tables import (
    FORMAT_VERSION,
    FormKind,
    context_fields,
    fingerprint,
    form_sources,
    period_label_word,
    sheet_names,
    unit_column,
)
from pedprof.model.mechanism import Deadline
from pedprof.model.periods import Period, PeriodKind, parse_period
from pedprof.model.profile import Profile
from pedprof.model.sources import Field, FieldType, Source
from pedprof.model.values import describe_expected

if TYPE_CHECKING:
    from openpyxl import Workbook
    from openpyxl.worksheet.datavalidation import DataValidation
    from openpyxl.worksheet.worksheet import Worksheet

__all__ = [
    "CONTEXT_LABELS",
    "EXAMPLE_MARK",
    "INSTRUCTIONS_SHEET",
    "LISTS_SHEET",
    "META_SHEET",
    "default_period",
    "submission_deadline",
    "write_form",
]

INSTRUCTIONS_SHEET = "Инструкция"
META_SHEET = "_pedprof"
LISTS_SHEET = "_списки"
EXAMPLE_MARK = "← образец заполнения: эта строка не учитывается"
DATA_ROWS_VALIDATED = 2000

CONTEXT_LABELS = {
    "org_id": "Код организации",
    "municipality_id": "Код муниципалитета",
    "unit_name": "Наименование",
    "profile": "Профиль",
    "version": "Версия формы",
}


class _Styles:
    """The form's cell styles, built on first use: openpyxl loads only when a form is built."""

    def __init__(self) -> None:
        from openpyxl.styles import Alignment, Border, Font, PatternFill, Side

        self.title_font = Font(bold=True, size=13)
        self.header_font = Font(bold=True)
        self.header_fill = PatternFill("solid", fgColor="DDEBF7")
        self.description_font = Font(italic=True, size=9, color="404040")
        self.example_font = Font(italic=True, color="808080")
        self.example_fill = PatternFill("solid", fgColor="F2F2F2")
        self.input_fill = PatternFill("solid", fgColor="FFF2CC")
        thin = Side(style="thin", color="A6A6A6")
        self.border = Border(left=thin, right=thin, top=thin, bottom=thin)
        self.wrap_top = Alignment(wrap_text=True, vertical="top")
        self.wrap_center = Alignment(wrap_text=True, vertical="center")


@functools.cache
def _styles() -> _Styles:
    return _Styles()


def submission_deadline(profile: Profile) -> Deadline | None:
    """The campaign's ``submission`` deadline (when organisations send their data)."""
    campaign = profile.info.campaign
    if campaign is None:
        return None
    try:
        return campaign.deadline("submission")
    except KeyError:
        return None


def _current_period(kind: PeriodKind, today: dt.date) -> Period:
    if kind is PeriodKind.SCHOOL_YEAR:
        return Period.school_year(today.year if today.month >= 9 else today.year - 1)
    if kind is PeriodKind.QUARTER:
        return Period.quarter(today.year, (today.month - 1) // 3 + 1)
    return Period.year(today.year)


def default_period(profile: Profile, today: dt.date | None = None) -> Period:
    """The period whose data are collected next: the first one whose deadline is not past.

    Without a dated ``submission`` deadline, the period containing ``today``.
    """
    today = today or dt.date.today()
    current = _current_period(profile.info.period_kind, today)
    deadline = submission_deadline(profile)
    if deadline is None or deadline.date_for(current.end_year) is None:
        return current
    for candidate in (current - 1, current, current + 1):
        due = deadline.date_for(candidate.end_year)
        if due is not None and due >= today:
            return candidate
    return current


def _recipient(profile: Profile, deadline: Deadline | None) -> str:
    explicit = getattr(deadline, "recipient", "") if deadline is not None else ""
    if explicit:
        return str(explicit)
    return f"муниципальная методическая служба ({profile.info.territory})"


def _example_value(field: Field, period: Period) -> Any:
    if field.type is FieldType.CHOICE and field.choices:
        return next(iter(field.choices.values()))
    if field.type is FieldType.BOOLEAN:
        return "да"
    if field.type in (FieldType.INTEGER, FieldType.NUMBER):
        lo = field.minimum if field.minimum is not None else 0
        hi = field.maximum if field.maximum is not None else lo + 100
        value = lo + (hi - lo) / 4
        return int(value) if field.type is FieldType.INTEGER else round(value, 1)
    if field.type is FieldType.DATE:
        return dt.datetime.combine(period.start + dt.timedelta(days=45), dt.time())
    if field.type is FieldType.PERIOD:
        return period.label
    if field.type is FieldType.IDENTIFIER:
        return "ОБРАЗЕЦ-1"
    return "образец"


def example_row(source: Source, period: Period) -> dict[str, Any]:
    """The values of the example row of ``source``'s sheet (ignored on reading)."""
    skip = set(context_fields(source))
    return {f.name: _example_value(f, period) for f in source.fields if f.name not in skip}


def _cell_value(field: Field, value: Any) -> Any:
    """A value from a frame as it should stand in the form (labels, не codes)."""
    if value is None or (not isinstance(value, str) and pd.isna(value)):
        return None
    if field.type is FieldType.BOOLEAN:
        return "да" if bool(value) else "нет"
    if field.type is FieldType.CHOICE and field.choices:
        return field.choices.get(str(value), str(value))
    if field.type is FieldType.DATE:
        ts = pd.Timestamp(value)
        return dt.datetime(ts.year, ts.month, ts.day)
    if field.type is FieldType.INTEGER:
        return int(value)
    if field.type is FieldType.NUMBER:
        return float(value)
    return safe_cell(str(value))


class _Lists:
    """The hidden sheet holding the drop-down lists, one column per list."""

    def __init__(self, ws: Worksheet) -> None:
        self.ws = ws
        self.refs: dict[tuple[str, ...], str] = {}

    def ref(self, values: Sequence[str]) -> str:
        key = tuple(values)
        if key not in self.refs:
            col = len(self.refs) + 1
            for i, v in enumerate(values, start=1):
                self.ws.cell(row=i, column=col, value=safe_cell(v))
            from openpyxl.utils import get_column_letter

            letter = get_column_letter(col)
            self.refs[key] = f"'{self.ws.title}'!${letter}$1:${letter}${len(values)}"
        return self.refs[key]


def _excel_date(day: dt.date) -> str:
    return f"DATE({day.year},{day.month},{day.day})"


def _validation(field: Field, lists: _Lists, period: Period) -> DataValidation | None:
    from openpyxl.worksheet.datavalidation import DataValidation

    expected = describe_expected(field, period.kind)
    common: dict[str, Any] = {
        "allow_blank": True,
        "showErrorMessage": True,
        "errorStyle": "warning",
        "errorTitle": "Проверьте значение",
        "error": f"Ожидается: {expected}"[:255],
        "showInputMessage": True,
        "promptTitle": field.label[:32],
        "prompt": (field.description or expected)[:255],
    }
    if field.type is FieldType.CHOICE and field.choices:
        return DataValidation(
            type="list", formula1=lists.ref(list(field.choices.values())), **common
        )
    if field.type is FieldType.BOOLEAN:
        return DataValidation(type="list", formula1=lists.ref(["да", "нет"]), **common)
    if field.type in (FieldType.INTEGER, FieldType.NUMBER):
        kind = "whole" if field.type is FieldType.INTEGER else "decimal"
        lo, hi = field.minimum, field.maximum
        if lo is not None and hi is not None:
            return DataValidation(
                type=kind, operator="between", formula1=str(lo), formula2=str(hi), **common
            )
        if lo is not None:
            return DataValidation(
                type=kind, operator="greaterThanOrEqual", formula1=str(lo), **common
            )
        if hi is not None:
            return DataValidation(type=kind, operator="lessThanOrEqual", formula1=str(hi), **common)
        return DataValidation(
            type=kind, operator="between", formula1="-1E+15", formula2="1E+15", **common
        )
    if field.type is FieldType.DATE:
        lo_day, hi_day = dt.date(1900, 1, 1), dt.date(2100, 12, 31)
        if field.period_dates == "within":
            lo_day, hi_day = period.start, period.end
        elif field.period_dates == "not_after":
            hi_day = period.end
        return DataValidation(
            type="date",
            operator="between",
            formula1=_excel_date(lo_day),
            formula2=_excel_date(hi_day),
            **common,
        )
    if field.type is FieldType.IDENTIFIER:
        return DataValidation(
            type="textLength", operator="lessThanOrEqual", formula1="100", **common
        )
    return None


def _number_format(field: Field) -> str | None:
    if field.type in (FieldType.IDENTIFIER, FieldType.STRING, FieldType.PERIOD):
        return "@"
    if field.type is FieldType.DATE:
        return "DD.MM.YYYY"
    if field.type is FieldType.INTEGER:
        return "0"
    return None


def _table_sheet(
    ws: Worksheet,
    source: Source,
    period: Period,
    lists: _Lists,
    rows: pd.DataFrame | None,
    *,
    example: bool,
) -> None:
    from openpyxl.utils import get_column_letter

    st = _styles()
    skip = set(context_fields(source))
    fields = [f for f in source.fields if f.name not in skip]
    n = len(fields)
    ws.cell(row=1, column=1, value=safe_cell(source.title)).font = st.title_font
    if n > 1:
        ws.merge_cells(start_row=1, start_column=1, end_row=1, end_column=n)
    for j, f in enumerate(fields, start=1):
        header = ws.cell(row=2, column=j, value=safe_cell(f.label + (" *" if f.required else "")))
        header.font, header.fill, header.border, header.alignment = (
            st.header_font,
            st.header_fill,
            st.border,
            st.wrap_center,
        )
        expected = describe_expected(f, period.kind)
        need = "обязательно" if f.required else "можно оставить пустым"
        text = f"{f.description}\n" if f.description else ""
        desc = ws.cell(row=3, column=j, value=safe_cell(f"{text}Формат: {expected}; {need}."))
        desc.font, desc.alignment, desc.border = st.description_font, st.wrap_top, st.border
        width = min(max(len(f.label) * 0.55, 14), 40)
        ws.column_dimensions[get_column_letter(j)].width = width
    ws.row_dimensions[2].height = 45
    ws.row_dimensions[3].height = 90
    first_data = 4
    if example:
        values = example_row(source, period)
        for j, f in enumerate(fields, start=1):
            cell = ws.cell(row=4, column=j, value=safe_cell(values[f.name]))
            cell.font, cell.fill = st.example_font, st.example_fill
            if f.type is FieldType.DATE:
                cell.number_format = "DD.MM.YYYY"
        ws.cell(row=4, column=n + 1, value=EXAMPLE_MARK).font = st.example_font
        ws.column_dimensions[get_column_letter(n + 1)].width = 45
        first_data = 5
    ws.freeze_panes = ws.cell(row=first_data - (1 if example else 0), column=1)
    formats = [_number_format(f) for f in fields]
    n_rows = 0
    if rows is not None and len(rows):
        names = [f.name for f in fields]
        frame = rows.reindex(columns=names)
        for i, record in enumerate(frame.itertuples(index=False, name=None)):
            r = first_data + i
            for j, (f, value, fmt) in enumerate(zip(fields, record, formats, strict=True), 1):
                cell = ws.cell(row=r, column=j, value=_cell_value(f, value))
                if fmt is not None:
                    cell.number_format = fmt
        n_rows = len(frame)
    last = first_data + max(DATA_ROWS_VALIDATED, n_rows + 200) - 1
    for j, (f, fmt) in enumerate(zip(fields, formats, strict=True), start=1):
        letter = get_column_letter(j)
        dv = _validation(f, lists, period)
        if dv is not None:
            dv.add(f"{letter}{first_data}:{letter}{last}")
            ws.add_data_validation(dv)
        if fmt is not None and n_rows == 0:
            # Empty rows get the column format so that codes typed as digits stay text.
            for r in range(first_data, first_data + 200):
                ws.cell(row=r, column=j).number_format = fmt


def _instructions(
    ws: Worksheet,
    profile: Profile,
    kind: FormKind,
    period: Period,
    unit_id: str | None,
    unit_name: str | None,
    sources: Sequence[Source],
    names: Mapping[str, str],
) -> None:
    st = _styles()
    ws.column_dimensions["A"].width = 34
    ws.column_dimensions["B"].width = 110
    row = 1

    def put(label: str, value: object = None, *, bold: bool = False, fill: bool = False) -> None:
        nonlocal row
        a = ws.cell(row=row, column=1, value=safe_cell(label))
        a.alignment = st.wrap_top
        if bold:
            a.font = st.header_font
        if value is not None or fill:
            b = ws.cell(row=row, column=2, value=safe_cell(value) if value is not None else None)
            b.alignment = st.wrap_top
            if fill:
                b.fill, b.border = st.input_fill, st.border
                b.number_format = "@"
        row += 1

    title = ws.cell(row=row, column=1, value=safe_cell(f"{profile.title}: {kind.label}"))
    title.font = st.title_font
    row += 1
    put(profile.info.territory + (f", {profile.info.region}" if profile.info.region else ""))
    row += 1
    put("Реквизиты формы", bold=True)
    put(CONTEXT_LABELS["profile"], f"{profile.id} — {profile.info.territory}")
    put(
        CONTEXT_LABELS["version"],
        f"{profile.distribution} {profile.version}, макет {FORMAT_VERSION}",
    )
    if kind is not FormKind.REGISTER:
        put(period_label_word(period.kind), period.label, fill=True)
        unit_label = CONTEXT_LABELS[
            "org_id" if kind is FormKind.ORGANIZATION else "municipality_id"
        ]
        put(unit_label, unit_id, fill=True)
        if unit_name:
            put(CONTEXT_LABELS["unit_name"], unit_name)
    put("Форма сформирована", f"{dt.date.today():%d.%m.%Y}")
    row += 1
    put("Что заполнить", bold=True)
    for s in sources:
        text = s.title + (f". {s.description}" if s.description else "")
        put(f"Лист «{names[s.name]}»", text)
    row += 1
    deadline = submission_deadline(profile)
    put("Срок и адресат", bold=True)
    if kind is not FormKind.REGISTER and deadline is not None:
        due = deadline.date_for(period.end_year)
        when = f"до {due:%d.%m.%Y}" if due else ""
        if deadline.text:
            when = f"{when} ({deadline.text})" if when else deadline.text
        put("Срок представления", when or "не установлен")
        if deadline.responsible:
            put("Ответственные", deadline.responsible)
    put("Куда направить", _recipient(profile, deadline))
    if profile.info.approved_by is not None:
        put("Основание", profile.info.approved_by.citation())
    row += 1
    put("Как заполнять", bold=True)
    rules = [
        "Заполняйте жёлтые поля реквизитов выше, если они пусты"
        + ("" if kind is FormKind.REGISTER else ": код организации (муниципалитета) и период")
        + ".",
        "Одна строка таблицы — одна запись (работник, программа, мероприятие…). Строки "
        "заполняйте подряд, начиная со строки под серой строкой-образцом; образец можно "
        "не удалять — он не учитывается.",
        "Не переименовывайте и не удаляйте столбцы; столбцы, отмеченные *, обязательны.",
        "Да/нет: выберите из списка «да» или «нет» (принимаются также +, 1, 0).",
        "Даты — в виде ДД.ММ.ГГГГ, например 05.08.2024.",
        "Не указывайте фамилии и другие персональные данные: работник обозначается "
        "обезличенным кодом, постоянным из года в год.",
        "Не защищайте книгу паролем и сохраняйте её в формате «Книга Excel (.xlsx)».",
        "Если таблица к организации не относится, оставьте лист пустым.",
    ]
    for i, text in enumerate(rules, start=1):
        put(f"{i}.", text)


def _meta(
    ws: Worksheet,
    profile: Profile,
    kind: FormKind,
    period: Period | None,
    unit_id: str | None,
    sources: Sequence[Source],
    names: Mapping[str, str],
) -> None:
    items: list[tuple[str, str]] = [
        ("format", "pedprof-form"),
        ("format_version", FORMAT_VERSION),
        ("profile", profile.id),
        ("distribution", profile.distribution),
        ("profile_version", profile.version),
        ("kind", kind.value),
        ("period", period.label if period is not None else ""),
        ("unit_id", unit_id or ""),
        ("generated", dt.date.today().isoformat()),
    ]
    for s in sources:
        items.append((f"table:{s.name}", f"{names[s.name]}|{fingerprint(s)}"))
    for i, (key, value) in enumerate(items, start=1):
        ws.cell(row=i, column=1, value=key)
        ws.cell(row=i, column=2, value=safe_cell(value))


def build_form(
    profile: Profile,
    *,
    kind: FormKind | str = FormKind.ORGANIZATION,
    unit_id: str | None = None,
    unit_name: str | None = None,
    period: Period | str | None = None,
    rows: Mapping[str, pd.DataFrame] | None = None,
    example: bool = True,
) -> Workbook:
    """The form as an openpyxl workbook (see :func:`write_form`)."""
    from openpyxl import Workbook

    kind = FormKind(kind)
    if isinstance(period, str):
        period = parse_period(period, profile.info.period_kind)
    period = period or default_period(profile)
    sources = form_sources(profile, kind)
    names = sheet_names(sources)
    wb = Workbook()
    ws = wb.active
    assert ws is not None
    ws.title = INSTRUCTIONS_SHEET
    _instructions(ws, profile, kind, period, unit_id, unit_name, sources, names)
    lists_ws = wb.create_sheet(LISTS_SHEET)
    lists = _Lists(lists_ws)
    for s in sources:
        sheet = wb.create_sheet(names[s.name])
        _table_sheet(sheet, s, period, lists, (rows or {}).get(s.name), example=example)
    _print_ready(ws, [wb[names[s.name]] for s in sources])
    lists_ws.sheet_state = "hidden"
    meta = wb.create_sheet(META_SHEET)
    _meta(
        meta, profile, kind, None if kind is FormKind.REGISTER else period, unit_id, sources, names
    )
    meta.sheet_state = "veryHidden"
    wb.move_sheet(LISTS_SHEET, offset=len(wb.sheetnames))
    wb.active = 0
    return wb


def _print_ready(instructions: Worksheet, tables: Sequence[Worksheet]) -> None:
    """A4, one page wide, the header and its description on every page, rows as tall as
    their wrapped text; a table prints its filled rows and 20 empty ones."""
    from openpyxl.utils import get_column_letter

    from pedprof.io._print import column_widths, fit_rows, fitted_height, print_setup

    print_setup(instructions, column_widths(instructions))
    fit_rows(instructions)
    for sheet in tables:
        widths = column_widths(sheet)
        print_setup(sheet, widths, header_rows=(2, 3))
        for r in (2, 3):
            values = [c.value for c in sheet[r]]
            sheet.row_dimensions[r].height = fitted_height(values, widths)
        last = 4
        for row in sheet.iter_rows(min_row=5):
            if any(c.value not in (None, "") for c in row):
                last = row[0].row
        sheet.print_area = f"A1:{get_column_letter(len(widths))}{last + 20}"


def save_workbook(wb: Workbook, path: Path, *, modified: dt.datetime | None = None) -> Path:
    """Save ``wb``; with ``modified``, keep that as the workbook's «last saved» date.

    openpyxl's own ``save`` stamps the current time. The «last saved» date is only a
    property of the file: the submission register never takes it for the date the form was
    received (see :mod:`pedprof.io.register`).
    """
    path.parent.mkdir(parents=True, exist_ok=True)
    if modified is None:
        wb.save(path)
        return path
    wb.properties.modified = modified
    wb.properties.created = modified
    from openpyxl.writer.excel import ExcelWriter

    with ZipFile(path, "w", ZIP_DEFLATED, allowZip64=True) as archive:
        ExcelWriter(wb, archive).save()
    return path


def write_form(
    profile: Profile,
    path: str | Path,
    *,
    kind: FormKind | str = FormKind.ORGANIZATION,
    unit_id: str | None = None,
    unit_name: str | None = None,
    period: Period | str | None = None,
    rows: Mapping[str, pd.DataFrame] | None = None,
    example: bool = True,
    modified: dt.datetime | None = None,
) -> Path:
    """Write a form for ``profile`` to ``path``.

    :param kind: ``organization`` (the tables organisations fill), ``municipality`` (the
        municipal service's tables for a period) or ``register`` (organisations,
        municipalities, regions).
    :param unit_id: pre-fill the organisation (municipality) code.
    :param unit_name: its name, shown on the instructions sheet.
    :param period: the reporting period (default: :func:`default_period`).
    :param rows: table name → rows to pre-fill (columns named as the source's fields).
    :param example: include the grey example row (ignored on reading).
    :param modified: the workbook's «last saved» date (default: now); not the date it is
        received.
    :returns: the path written.
    """
    wb = build_form(
        profile,
        kind=kind,
        unit_id=unit_id,
        unit_name=unit_name,
        period=period,
        rows=rows,
        example=example,
    )
    return save_workbook(wb, Path(path), modified=modified)


def table_fields(source: Source) -> list[Field]:
    """The columns a form sheet of ``source`` shows (context columns are in the header)."""
    skip = set(context_fields(source))
    return [f for f in source.fields if f.name not in skip]


def unit_label(source: Source) -> str:
    """The Russian label of the unit column of ``source`` («Код организации»)."""
    col = unit_column(source)
    return CONTEXT_LABELS.get(col or "", "")
