"""The report's tables as a workbook for further work (openpyxl, native Excel charts).

Numbers are stored as numbers (percentages as 66.6 with the format ``0.0" %"``, which
Excel shows as «66,6 %» in a Russian locale); text cells pass through
:func:`pedprof.formatting.safe_cell` so that nothing runs as a formula. The workbook is
written in openpyxl's write-only mode: rows stream to the file, so a region with
thousands of organisations does not need the whole workbook in memory.
"""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path
from typing import Any, NamedTuple

import numpy as np
import pandas as pd
from openpyxl import Workbook
from openpyxl.cell import WriteOnlyCell
from openpyxl.chart import BarChart, Reference
from openpyxl.styles import Alignment, Font, PatternFill
from openpyxl.utils import get_column_letter

from pedprof.cycle.measures import measure_summary
from pedprof.evaluate.analysis import (
    DYNAMICS_LABELS,
    NO_COMPARISON,
    STATUS_LABELS,
    TARGET_STATUS_LABELS,
)
from pedprof.evaluate.recommendations import recommendations_frame
from pedprof.formatting import LEVEL_LABELS, STATE_LABELS, safe_cell
from pedprof.io._print import fitted_height, print_setup
from pedprof.reports._content import (
    SUPPRESSED,
    Report,
    display_name,
    reason_rows,
)
from pedprof.reports.export import catalogue_frame

__all__ = ["write_xlsx"]

PERCENT = '0.0" %"'
NUMBER = "0.##"
INTEGER = "0"
DATE = "DD.MM.YYYY"
_HEADER_FILL = PatternFill("solid", fgColor="D9E2F3")
_FILLS = {
    "target_met": PatternFill("solid", fgColor="E2EFDA"),
    "positive_dynamics": PatternFill("solid", fgColor="E2EFDA"),
    "negative_dynamics": PatternFill("solid", fgColor="F8D7DA"),
    "target_not_met": PatternFill("solid", fgColor="F8D7DA"),
    "stable": PatternFill("solid", fgColor="FFF2CC"),
}
_BOLD = Font(bold=True)
_WRAP = Alignment(wrap_text=True, vertical="top")


class V(NamedTuple):
    """A value with its number format, fill (state key) and wrapping."""

    value: Any
    fmt: str | None = None
    state: str | None = None
    wrap: bool = False


#: What a suppressed value's status cells say (its status would tell the value).
_HIDDEN = "значение не приводится"


def _clean(value: Any) -> Any:
    if value is None or value is pd.NA or value is pd.NaT:
        return None
    if isinstance(value, float) and np.isnan(value):
        return None
    if isinstance(value, np.generic):
        return _clean(value.item())
    if isinstance(value, tuple | list):
        return ", ".join(str(v) for v in value)
    if isinstance(value, pd.Timestamp):
        return value.date()
    if isinstance(value, str):
        return safe_cell(value)
    return value


class _Sheet:
    """A write-only sheet: rows are appended in order; widths are set first."""

    def __init__(self, wb: Workbook, title: str, widths: Sequence[float]) -> None:
        self.ws = wb.create_sheet(title)
        self.widths = list(widths)
        for k, width in enumerate(widths, start=1):
            self.ws.column_dimensions[get_column_letter(k)].width = width
        print_setup(self.ws, self.widths)
        self.row = 0
        self.headed = False

    def _cell(self, item: Any) -> WriteOnlyCell:
        v = item if isinstance(item, V) else V(item)
        cell = WriteOnlyCell(self.ws, value=_clean(v.value))
        if v.fmt and isinstance(cell.value, int | float) and not isinstance(cell.value, bool):
            cell.number_format = v.fmt
        if v.state in _FILLS:
            cell.fill = _FILLS[v.state]
        if v.wrap or (isinstance(cell.value, str) and len(cell.value) > 60):
            cell.alignment = _WRAP
        return cell

    def append(self, items: Sequence[Any]) -> int:
        cells = [self._cell(x) for x in items]
        self._fit(cells)
        self.ws.append(cells)
        self.row += 1
        return self.row

    def _fit(self, cells: Sequence[WriteOnlyCell]) -> None:
        """Give a row with wrapped text the height its text needs."""
        if any(c.alignment is not None and c.alignment.wrap_text for c in cells):
            values = [c.value if c.alignment.wrap_text else None for c in cells]
            height = fitted_height(values, self.widths)
            if height > 16:
                self.ws.row_dimensions[self.row + 1].height = height

    def note(self, text: str, *, bold: bool = False, italic: bool = False) -> int:
        cell = WriteOnlyCell(self.ws, value=safe_cell(text))
        cell.font = Font(bold=bold, italic=italic)
        self.ws.append([cell])
        self.row += 1
        return self.row

    def blank(self) -> None:
        self.ws.append([])
        self.row += 1

    def header(self, names: Sequence[str]) -> int:
        cells = []
        for name in names:
            cell = WriteOnlyCell(self.ws, value=name)
            cell.font = _BOLD
            cell.fill = _HEADER_FILL
            cell.alignment = _WRAP
            cells.append(cell)
        self._fit(cells)
        self.ws.append(cells)
        self.row += 1
        if not self.headed:  # the first table's header repeats on every printed page
            self.ws.print_title_rows = f"{self.row}:{self.row}"
            self.headed = True
        return self.row

    def table(self, names: Sequence[str], rows: Sequence[Sequence[Any]]) -> tuple[int, int]:
        """Header and rows; returns the header's row number and the last row's."""
        top = self.header(names)
        for r in rows:
            self.append(r)
        return top, self.row

    def title(self, report: Report, what: str) -> None:
        self.note(f"{report.title} {report.subtitle}", bold=True)
        self.note(what, italic=True)
        if report.note:
            self.note(report.note, italic=True)
        self.blank()


def _fmt(percent: bool) -> str:
    return PERCENT if percent else NUMBER


def _value(report: Report, row: dict[str, Any], key: str = "value") -> Any:
    if report.suppressed(row):
        return SUPPRESSED
    value = row.get(key)
    return None if value is None or pd.isna(value) else float(value)


def _records(frame: pd.DataFrame) -> list[dict[str, Any]]:
    return [dict(r) for r in frame.to_dict("records")]


def _summary(wb: Workbook, report: Report) -> None:
    a = report.analysis
    sheet = _Sheet(wb, "Сводка", [11, 60, 40, 6, 12, 12, 14, 14, 14, 18, 28])
    sheet.title(
        report,
        f"Значения показателей по уровню «{LEVEL_LABELS.get(a.level, a.level)}» за {a.period}",
    )
    by = {str(r["indicator"]): r for r in _records(a.current())}
    rows = []
    for ind in report.profile.indicators:
        r = by.get(ind.id)
        if r is None:
            continue
        f = _fmt(bool(r["percent"]))
        status = str(r["status"])
        rows.append(
            [
                ind.id,
                V(display_name(ind), wrap=True),
                report.profile.criterion_name(ind.criterion),
                "%" if r["percent"] else "ед.",
                V(_value(report, r, "previous_value") if a.previous_period else None, f),
                V(_value(report, r), f),
                *(
                    [SUPPRESSED, SUPPRESSED, V(r["target"], f), _HIDDEN, _HIDDEN]
                    if report.suppressed(r)
                    else [
                        V(
                            NO_COMPARISON
                            if r["state"] == "value" and pd.isna(r["change_abs"])
                            else r["change_abs"],
                            f,
                        ),
                        V(r["change_rel"], PERCENT),
                        V(r["target"], f),
                        TARGET_STATUS_LABELS[str(r["target_status"])],
                        V(STATUS_LABELS[status], state=status),
                    ]
                ),
            ]
        )
    top, _ = sheet.table(
        [
            "Код",
            "Показатель",
            "Критерий",
            "Ед.",
            a.previous_period or "Предыдущий период",
            a.period,
            "Изменение (п.п. для долей)",
            "Изменение, % к предыдущему",
            "Целевое значение (порог)",
            "Цель",
            "Состояние",
        ],
        rows,
    )
    sheet.ws.freeze_panes = f"C{top + 1}"


def _dynamics(wb: Workbook, report: Report) -> None:
    a = report.analysis
    ind = a.indicators[
        (a.indicators["level"].astype(str) == a.level) & a.indicators["breakdown"].isna()
    ]
    periods = [str(p) for p in ind["period"].cat.categories if (ind["period"] == p).any()]
    sheet = _Sheet(wb, "Динамика", [11, 60, *([12] * len(periods))])
    sheet.title(report, "Значения показателей по периодам")
    by = {(str(r["indicator"]), str(r["period"])): r for r in _records(ind)}
    order = [i for i in report.profile.indicators if any((i.id, p) in by for p in periods)]
    groups = (
        ([i for i in order if i.is_share], "Доли, %", PERCENT),
        ([i for i in order if not i.is_share], "Количество", NUMBER),
    )
    for group, title, fmt in groups:
        if not group:
            continue
        sheet.note(title, bold=True)
        rows = [
            [i.id, display_name(i)]
            + [V(_value(report, by[(i.id, p)]), fmt) if (i.id, p) in by else None for p in periods]
            for i in group
        ]
        top, end = sheet.table(["Код", "Показатель", *periods], rows)
        chart = BarChart()
        chart.type = "col"
        chart.grouping = "clustered"
        chart.title = f"{title}: значения по периодам"
        chart.y_axis.title = "%" if fmt == PERCENT else "количество"
        chart.y_axis.numFmt = "0"
        data = Reference(sheet.ws, min_col=3, max_col=2 + len(periods), min_row=top, max_row=end)
        cats = Reference(sheet.ws, min_col=1, min_row=top + 1, max_row=end)
        chart.add_data(data, titles_from_data=True)
        chart.set_categories(cats)
        chart.width = max(18.0, 1.6 * len(group) + 6)
        chart.height = 9
        sheet.ws.add_chart(chart, f"{get_column_letter(4 + len(periods))}{top}")
        for _ in range(max(2, 20 - len(rows))):
            sheet.blank()


def _results(wb: Workbook, report: Report) -> None:
    a = report.analysis
    headers = [
        "Код",
        "Показатель",
        "Разбивка",
        "Уровень",
        "Код единицы",
        "Единица",
        "Период",
        "Числитель",
        "Знаменатель",
        "Значение",
        "Данные",
        "Значение за предыдущий период",
        "Изменение",
        "Целевое значение (порог)",
        "Цель",
        "Динамика",
        "Состояние",
    ]
    sheet = _Sheet(
        wb, "Показатели", [11, 50, 14, 14, 12, 34, 11, 11, 11, 11, 13, 14, 11, 14, 16, 14, 26]
    )
    sheet.ws.freeze_panes = "C2"
    sheet.header(headers)
    names = {i.id: i.name for i in report.profile.indicators}
    breakdowns: dict[tuple[str, str], str] = {}
    # the analysis level first: those rows are what prints (every row stays on screen)
    top_level = a.indicators["level"].astype(str) == a.level
    ordered = pd.concat([a.indicators[top_level], a.indicators[~top_level]])
    printed = int(top_level.sum())
    sheet.ws.print_area = f"A1:{get_column_letter(len(headers))}{printed + 1}"
    for r in _records(ordered):
        hidden = report.suppressed(r)
        f = _fmt(bool(r["percent"]))
        ind_id = str(r["indicator"])
        breakdown = r["breakdown"]
        label = ""
        if breakdown is not None and not pd.isna(breakdown):
            key = (ind_id, str(breakdown))
            if key not in breakdowns:
                full = a.indicator_label(ind_id, breakdown)
                breakdowns[key] = full[len(ind_id) + 2 : -1]
            label = breakdowns[key]
        sheet.append(
            [
                ind_id,
                names.get(ind_id, ""),
                label,
                LEVEL_LABELS.get(str(r["level"]), str(r["level"])),
                str(r["unit"]),
                a.unit_name(str(r["unit"])),
                str(r["period"]),
                V(SUPPRESSED if hidden else r["numerator"], INTEGER),
                V(SUPPRESSED if hidden else r["denominator"], INTEGER),
                V(SUPPRESSED if hidden else r["value"], f),
                STATE_LABELS.get(str(r["state"]), str(r["state"])),
                V(SUPPRESSED if hidden else r["previous_value"], f),
                V(None if hidden else r["change_abs"], f),
                V(r["target"], f),
                *(
                    [_HIDDEN] * 3
                    if hidden
                    else [
                        TARGET_STATUS_LABELS[str(r["target_status"])],
                        DYNAMICS_LABELS[str(r["dynamics"])],
                        STATUS_LABELS[str(r["status"])],
                    ]
                ),
            ]
        )
    sheet.ws.auto_filter.ref = f"A1:{get_column_letter(len(headers))}{sheet.row}"


def _organizations(wb: Workbook, report: Report) -> None:
    a = report.analysis
    cur = a.indicators[
        (a.indicators["period"].astype(str) == a.period)
        & (a.indicators["level"].astype(str) == a.problem_level)
        & a.indicators["breakdown"].isna()
    ]
    if cur.empty:
        return
    present = set(cur["indicator"].astype(str))
    ids = [i for i in report.profile.indicators if i.id in present]
    sheet = _Sheet(wb, "Организации", [10, 40, 14, *([11] * len(ids))])
    sheet.title(report, f"Значения показателей за {a.period}")
    units = list(dict.fromkeys(cur["unit"].astype(str)))
    by = {(str(r["unit"]), str(r["indicator"])): r for r in _records(cur)}
    problems = a.problems.groupby("unit").size() if len(a.problems) else pd.Series(dtype=int)
    rows = []
    for u in units:
        row: list[Any] = [u, a.unit_name(u), int(problems.get(u, 0))]
        for i in ids:
            r = by.get((u, i.id))
            if r is None:
                row.append(None)
            else:
                row.append(V(_value(report, r), _fmt(bool(r["percent"])), str(r["status"])))
        rows.append(row)
    top, end = sheet.table(
        ["Код", "Наименование", "Проблемных показателей", *[i.id for i in ids]], rows
    )
    sheet.ws.freeze_panes = f"D{top + 1}"
    chart = BarChart()
    chart.type = "bar"
    chart.title = "Число проблемных показателей"
    data = Reference(sheet.ws, min_col=3, min_row=top, max_row=end)
    cats = Reference(sheet.ws, min_col=2, min_row=top + 1, max_row=end)
    chart.add_data(data, titles_from_data=True)
    chart.set_categories(cats)
    chart.legend = None
    chart.width = 18
    chart.height = max(7.0, 0.7 * len(units) + 2)
    sheet.ws.add_chart(chart, f"B{end + 2}")


def _problems(wb: Workbook, report: Report) -> None:
    a = report.analysis
    sheet = _Sheet(wb, "Проблемные зоны", [16, 12, 40, 12, 12, 14, 22, 12, 12, 10])
    sheet.title(report, f"Проблемные зоны за {a.period}: ниже цели и (или) снижение")
    rows = []
    for r in _records(a.problems):
        hidden = report.suppressed(r)
        if hidden:
            continue  # its problem and shortfall would tell the suppressed value
        f = _fmt(bool(r["percent"]))
        rows.append(
            [
                a.indicator_label(str(r["indicator"]), r["breakdown"]),
                r["unit"],
                r["unit_name"],
                V(SUPPRESSED if hidden else r["value"], f),
                V(SUPPRESSED if hidden else r["previous_value"], f),
                V(r["target"], f),
                r["problem_label"],
                V(r["shortfall"], f),
                V(None if hidden else r["decline"], f),
                r["severity"],
            ]
        )
    top, _ = sheet.table(
        [
            "Показатель",
            "Код",
            "Наименование",
            a.period,
            a.previous_period or "Предыдущий период",
            "Целевое значение (порог)",
            "Проблема",
            "Отставание от цели",
            "Снижение",
            "Порядок в показателе",
        ],
        rows,
    )
    sheet.ws.freeze_panes = f"A{top + 1}"


def _effects(wb: Workbook, report: Report) -> None:
    a = report.analysis
    sheet = _Sheet(wb, "Эффекты", [8, 28, 24, 34, 18, 18, 18, 18, 60, 60])
    sheet.title(report, "Планируемые управленческие эффекты и критерии")
    sheet.note("Планируемые управленческие эффекты", bold=True)
    sheet.table(
        [
            "№",
            "Единица",
            "Показатели",
            "Вывод",
            "Рост",
            "Без изменений",
            "Снижение",
            "Нет сравнения",
            "Сильное состояние (текст)",
            "Положительная динамика (текст)",
        ],
        [
            [
                r["number"] if r["number"] is not None and not pd.isna(r["number"]) else r["id"],
                a.unit_name(str(r["unit"])),
                r["indicators"],
                r["result_label"],
                r["growth"],
                r["stable"],
                r["decline"],
                r["not_judged"],
                r["strong_state_text"],
                r["positive_dynamics_text"],
            ]
            for r in _records(a.effects)
        ],
    )
    sheet.blank()
    sheet.note("Критерии", bold=True)
    sheet.table(
        [
            "Код",
            "Критерий",
            "Единица",
            "Показатели",
            "Вывод",
            "Цель не достигнута",
            "Цель достигнута",
            "Рост",
            "Без изменений",
            "Снижение",
            "Нет сравнения",
            "Проблемные зоны",
        ],
        [
            [
                r["id"],
                r["name"],
                a.unit_name(str(r["unit"])),
                r["indicators"],
                V(r["conclusion"], wrap=True),
                r["target_not_met"],
                r["target_met"],
                r["growth"],
                r["stable"],
                r["decline"],
                r["not_judged"],
                r["problem_indicators"],
            ]
            for r in _records(a.criteria)
        ],
    )


def _recommendations(wb: Workbook, report: Report) -> None:
    sheet = _Sheet(wb, "Рекомендации", [30, 22, 22, 40, 70, 70, 40])
    sheet.title(report, "Адресные рекомендации")
    frame = recommendations_frame(report.recommendations)
    sheet.table(
        list(frame.columns),
        [[V(v, wrap=True) for v in row] for row in frame.to_numpy().tolist()],
    )


def _measures(wb: Workbook, report: Report) -> None:
    sheet = _Sheet(wb, "Меры", [11, 50, 11, 40, 28, 12, 34, 11, 10, 11, 10, 10, 12, 12, 18, 70])
    sheet.title(report, "Меры, управленческие решения и их эффективность")
    eff = report.effectiveness
    sheet.note("Эффективность мер по показателям", bold=True)
    rows = []
    for r in _records(eff):
        f = _fmt(bool(r["percent"]))
        rows.append(
            [
                r["measure"],
                V(r["title"], wrap=True),
                V(r["date"], DATE),
                V(r["document"], wrap=True),
                r["responsible"],
                r["indicator"],
                ", ".join(report.analysis.unit_name(u) for u in r["units"] or ()),
                r["before_period"],
                V(r["before"], f),
                r["after_period"],
                V(r["after"], f),
                V(r["change"], f),
                V(r["others_before"], f),
                V(r["others_after"], f),
                r["verdict_label"],
                V(r["summary"], wrap=True),
            ]
        )
    sheet.table(
        [
            "Код",
            "Мера",
            "Дата",
            "Документ",
            "Ответственный",
            "Показатель",
            "Организации",
            "Период до",
            "До",
            "Период после",
            "После",
            "Изменение",
            "Остальные: до",
            "Остальные: после",
            "Вывод",
            "Пояснение",
        ],
        rows,
    )
    if len(eff):
        summary = measure_summary(eff)
        sheet.blank()
        sheet.note("Итог по мерам", bold=True)
        sheet.table(
            ["Код", "Мера", "Дата", "Показатели", "Вывод"],
            [
                [r["measure"], r["title"], V(r["date"], DATE), r["indicators"], r["verdict_label"]]
                for r in _records(summary)
            ],
        )
    if report.measures.problems:
        sheet.blank()
        sheet.note("Строки реестра, не принятые при загрузке", bold=True)
        for problem in report.measures.problems:
            sheet.note(problem)


def _quality(wb: Workbook, report: Report) -> None:
    a = report.analysis
    sheet = _Sheet(wb, "Сроки и полнота", [12, 10, 40, 12, 13, 30, 14])
    sheet.title(report, "Представление сведений по периодам")
    sheet.table(
        ["Период", "Код", "Наименование", "Срок", "Представлено", "Статус", "Дней опоздания"],
        [
            [
                r["period"],
                r["unit"],
                r["unit_name"],
                V(r["deadline"], DATE),
                V(r["submitted_at"], DATE),
                r["status_label"],
                r["days_late"],
            ]
            for r in _records(a.submissions)
        ],
    )
    if len(a.missing_indicators):
        sheet.blank()
        sheet.note("Показатели без данных", bold=True)
        sheet.table(
            [
                "Код",
                "Показатель",
                "Без данных (верхний уровень)",
                "Единиц",
                "Без данных (нижний уровень)",
                "Единиц нижнего уровня",
            ],
            a.missing_indicators[
                [
                    "indicator",
                    "name",
                    "units_without_data",
                    "units",
                    "lower_units_without_data",
                    "lower_units",
                ]
            ]
            .to_numpy()
            .tolist(),
        )


def _rating(wb: Workbook, report: Report) -> None:
    if report.rating is None:
        return
    sheet = _Sheet(wb, "Рейтинг", [8, 10, 40, 12, 14, 50])
    sheet.title(report, report.rating_note or "Рейтинг")
    rows = []
    for r in _records(report.rating):
        rank = r.get("rank")
        rows.append(
            [
                None if rank is None or pd.isna(rank) else int(rank),
                r["unit"],
                report.analysis.unit_name(str(r["unit"])),
                V(r.get("score"), "0.0"),
                V(r.get("coverage"), "0%"),
                r.get("reason") or "",
            ]
        )
    sheet.table(
        ["Место", "Код", "Наименование", "Балл (0–100)", "Полнота данных", "Примечание"], rows
    )


def _reasons(wb: Workbook, report: Report) -> None:
    rows = reason_rows(report)
    if not rows:
        return
    a = report.analysis
    sheet = _Sheet(wb, "Причины изменений", [11, 50, 30, 12, 14, 12, 12, 14, 90])
    sheet.title(report, "Причины изменений показателей, указанные в представленных сведениях")
    body = []
    for r in rows:
        f = _fmt(r["percent"])
        body.append(
            [
                r["indicator"],
                V(display_name(report.profile.indicator(r["indicator"])), wrap=True),
                r["unit_name"],
                r["period"],
                r["previous_period"],
                V(r["previous"], f),
                V(r["value"], f),
                V(r["change"], f),
                V(" ".join(r["reasons"]), wrap=True),
            ]
        )
    top, _ = sheet.table(
        [
            "Код",
            "Показатель",
            LEVEL_LABELS.get(a.level, a.level),
            "Период",
            "Предыдущий период",
            "Предыдущее значение",
            "Значение",
            "Изменение",
            "Причины изменения",
        ],
        body,
    )
    sheet.ws.freeze_panes = f"A{top + 1}"


def _cycle(wb: Workbook, report: Report) -> None:
    c = report.cycle
    if c is None:
        return
    sheet = _Sheet(wb, "Управленческий цикл", [30, 28, 34, 10, 10, 90])
    sheet.title(report, "Полнота управленческого цикла")
    for line in c.text().split("\n"):
        sheet.note(line)
    sheet.blank()
    sheet.table(
        ["Компонент", "Группа документов", "Состояние", "Документов", "Баллы", "Документы"],
        [
            [
                r["label"],
                r["group"],
                r["state_label"],
                V(int(r["documents"]), INTEGER),
                V(float(r["points"]), NUMBER),
                V(r["titles"], wrap=True),
            ]
            for r in _records(c.frame)
        ],
    )
    chains = report.chains
    if chains is None or chains.empty:
        return
    ch = _Sheet(wb, "Цепочки", [10, 40, 16, 5, 30, 34, 60, 70])
    ch.title(report, "Цепочки управленческого цикла по критериям")
    ch.table(
        [
            "Критерий",
            "Наименование критерия",
            "Показатели",
            "№",
            "Звено",
            "Состояние",
            "Предусмотрено механизмом",
            "Документы",
        ],
        [
            [
                r["criterion"],
                V(r["criterion_name"], wrap=True),
                r["indicators"],
                V(int(r["step"]), INTEGER),
                r["link_label"],
                r["state_label"],
                V(r["declared"], wrap=True),
                V(r["documents"], wrap=True),
            ]
            for r in _records(chains)
        ],
    )


def _roadmap(wb: Workbook, report: Report) -> None:
    s = report.roadmap
    if s is None:
        return
    today = report.roadmap_today or report.created
    sheet = _Sheet(wb, "Дорожная карта", [10, 60, 8, 12, 16, 30, 30, 22, 30, 12, 40])
    sheet.title(report, f"Исполнение дорожной карты на {today:%d.%m.%Y}")
    if report.today_text:
        sheet.note(report.today_text)
    if not report.roadmap_statuses:
        sheet.note(
            "Сведения об исполнении не представлены: мероприятия с истёкшим сроком показаны как "
            "просроченные до представления сведений.",
            italic=True,
        )
    for part in s.text.split("\n\n"):
        sheet.note(part)
    sheet.blank()
    sheet.table(
        list(s.table.columns),
        [
            [V(v, INTEGER) if not isinstance(v, str) else v for v in row]
            for row in s.table.to_numpy().tolist()
        ],
    )
    sheet.blank()
    sheet.note("Исполнение по мероприятиям и годам", bold=True)
    sheet.table(
        [
            "№ п/п",
            "Мероприятие",
            "Год",
            "Срок",
            "Состояние",
            "Ответственный",
            "Соисполнители",
            "Срок (как в приказе)",
            "Подтверждающий документ",
            "Дата исполнения",
            "Комментарий",
        ],
        [
            [
                r["number"],
                V(r["event"], wrap=True),
                V(r["year"], INTEGER),
                V(r["due"], DATE),
                r["state_label"],
                V(r["responsible"], wrap=True),
                V(r["co_executors"], wrap=True),
                r["deadline_text"],
                r["document"],
                V(r["completed_on"], DATE),
                r["comment"],
            ]
            for r in _records(s.execution)
        ],
    )


def _method(wb: Workbook, report: Report) -> None:
    frame = catalogue_frame(report.profile)
    sheet = _Sheet(wb, "Методика", [11, 60, 40, 18, 50, 50, 40, 40, 40, 40, 50])
    sheet.ws.freeze_panes = "C2"
    sheet.table(
        list(frame.columns),
        [[V(v, wrap=True) for v in row] for row in frame.to_numpy().tolist()],
    )


def write_xlsx(report: Report, path: str | Path) -> Path:
    """Write the report's tables as ``.xlsx``: summary, dynamics (with native charts),
    indicators by level and period, organisations (with a chart), problem zones, planned
    effects, recommendations, measures, submissions, rating, the reasons for changes recorded
    in the data, the management cycle (completeness and chains), the roadmap execution and
    the method.

    :param report: the report.
    :param path: the file to write.
    :returns: the path written.
    """
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    wb = Workbook(write_only=True)
    for make in (
        _summary,
        _dynamics,
        _results,
        _organizations,
        _problems,
        _effects,
        _recommendations,
        _measures,
        _quality,
        _rating,
        _reasons,
        _cycle,
        _roadmap,
        _method,
    ):
        make(wb, report)
    wb.properties.title = f"{report.title} {report.subtitle}"
    wb.properties.language = "ru-RU"
    wb.properties.creator = "pedprof"
    wb.save(path)
    return path
