"""The report's tables as a workbook for further work (openpyxl, native Excel charts).

Numbers are stored as numbers (percentages as 66.6 with the format ``0.0" %"``, which
Excel shows as «66,6 %» in a Russian locale); text cells pass through
:func:`pedprof.formatting.safe_cell` so that nothing runs as a formula.
"""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd
from openpyxl import Workbook
from openpyxl.chart import BarChart, Reference
from openpyxl.styles import Alignment, Font, PatternFill
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.worksheet import Worksheet

from pedprof.analysis import (
    DYNAMICS_LABELS,
    STATUS_LABELS,
    TARGET_STATUS_LABELS,
)
from pedprof.export import catalogue_frame
from pedprof.formatting import LEVEL_LABELS, STATE_LABELS, safe_cell
from pedprof.measures import measure_summary
from pedprof.recommendations import recommendations_frame
from pedprof.reports._content import (
    CRITERION_RESULT_LABELS,
    SUPPRESSED,
    Report,
    display_name,
)

__all__ = ["write_xlsx"]

PERCENT = '0.0" %"'
NUMBER = "0.##"
INTEGER = "0"
_HEADER = PatternFill("solid", fgColor="D9E2F3")
_TONES = {
    "target_met": "E2EFDA",
    "positive_dynamics": "E2EFDA",
    "negative_dynamics": "F8D7DA",
    "stable": "FFF2CC",
}


def _clean(value: Any) -> Any:
    if value is None:
        return None
    if isinstance(value, float) and np.isnan(value):
        return None
    if value is pd.NA or value is pd.NaT:
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


def _table(
    ws: Worksheet,
    top: int,
    headers: Sequence[str],
    rows: Sequence[Sequence[Any]],
    formats: Sequence[str | None] | None = None,
    widths: Sequence[float] | None = None,
) -> int:
    """Write a table at row ``top``; returns the row after it."""
    for k, name in enumerate(headers, start=1):
        cell = ws.cell(row=top, column=k, value=name)
        cell.font = Font(bold=True)
        cell.fill = _HEADER
        cell.alignment = Alignment(wrap_text=True, vertical="top")
    for i, row in enumerate(rows, start=top + 1):
        for k, value in enumerate(row, start=1):
            cell = ws.cell(row=i, column=k, value=_clean(value))
            fmt = formats[k - 1] if formats and k - 1 < len(formats) else None
            if fmt and isinstance(cell.value, int | float):
                cell.number_format = fmt
            if isinstance(cell.value, str) and len(cell.value) > 60:
                cell.alignment = Alignment(wrap_text=True, vertical="top")
    for k in range(1, len(headers) + 1):
        letter = get_column_letter(k)
        if widths and k - 1 < len(widths):
            ws.column_dimensions[letter].width = widths[k - 1]
        else:
            longest = max(
                [len(str(headers[k - 1]))]
                + [len(str(_clean(r[k - 1]) or "")) for r in rows[:200] if k - 1 < len(r)]
            )
            ws.column_dimensions[letter].width = min(max(9, longest + 2), 60)
    return top + len(rows) + 1


def _title(ws: Worksheet, report: Report, what: str) -> int:
    ws.cell(row=1, column=1, value=f"{report.title} {report.subtitle}").font = Font(bold=True)
    ws.cell(row=2, column=1, value=what).font = Font(italic=True)
    if report.note:
        ws.cell(row=3, column=1, value=report.note).font = Font(italic=True, color="9C5700")
    return 5


def _fmt(percent: bool) -> str:
    return PERCENT if percent else NUMBER


def _value(report: Report, row: dict[str, Any], key: str = "value") -> Any:
    if report.suppressed(row):
        return SUPPRESSED
    value = row.get(key)
    return None if value is None or pd.isna(value) else float(value)


def _summary(wb: Workbook, report: Report) -> None:
    ws = wb.active
    assert ws is not None
    ws.title = "Сводка"
    a = report.analysis
    top = _title(ws, report, f"Значения показателей по муниципалитету за {a.period}")
    cur = a.current()
    by = {str(r["indicator"]): r for r in cur.to_dict("records")}
    rows, formats_rows = [], []
    for ind in report.profile.indicators:
        r = by.get(ind.id)
        if r is None:
            continue
        pct = bool(r["percent"])
        rows.append(
            [
                ind.id,
                display_name(ind),
                report.profile.criterion_name(ind.criterion),
                "%" if pct else "ед.",
                _value(report, r, "previous_value") if a.previous_period else None,
                _value(report, r),
                r["change_abs"],
                r["change_rel"],
                r["target"],
                TARGET_STATUS_LABELS[str(r["target_status"])],
                STATUS_LABELS[str(r["status"])],
            ]
        )
        formats_rows.append(pct)
    headers = [
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
    ]
    _table(ws, top, headers, rows, widths=[11, 60, 40, 6, 12, 12, 14, 14, 14, 18, 28])
    for i, pct in enumerate(formats_rows, start=top + 1):
        for col in (5, 6, 7, 9):
            ws.cell(row=i, column=col).number_format = _fmt(pct)
        ws.cell(row=i, column=8).number_format = PERCENT
        status_cell = ws.cell(row=i, column=11)
        key = next((k for k, v in STATUS_LABELS.items() if v == status_cell.value), "")
        if key in _TONES:
            status_cell.fill = PatternFill("solid", fgColor=_TONES[key])
        ws.cell(row=i, column=2).alignment = Alignment(wrap_text=True, vertical="top")
    ws.freeze_panes = ws.cell(row=top + 1, column=3)


def _dynamics(wb: Workbook, report: Report) -> None:
    ws = wb.create_sheet("Динамика")
    a = report.analysis
    top = _title(ws, report, "Значения показателей по муниципалитету по периодам")
    ind = a.indicators[
        (a.indicators["level"].astype(str) == a.level) & a.indicators["breakdown"].isna()
    ]
    periods = [str(p) for p in ind["period"].cat.categories if (ind["period"] == p).any()]
    by = {(str(r["indicator"]), str(r["period"])): r for r in ind.to_dict("records")}
    order = [i for i in report.profile.indicators if any((i.id, p) in by for p in periods)]
    shares = [i for i in order if i.is_share]
    counts = [i for i in order if not i.is_share]
    row_no = top
    for group, title, fmt in ((shares, "Доли, %", PERCENT), (counts, "Количество", NUMBER)):
        if not group:
            continue
        ws.cell(row=row_no, column=1, value=title).font = Font(bold=True)
        rows = []
        for i in group:
            rows.append(
                [i.id, display_name(i)]
                + [_value(report, by[(i.id, p)]) if (i.id, p) in by else None for p in periods]
            )
        header_row = row_no + 1
        end = _table(
            ws,
            header_row,
            ["Код", "Показатель", *periods],
            rows,
            formats=[None, None, *([fmt] * len(periods))],
            widths=[11, 60, *([12] * len(periods))],
        )
        for r in range(header_row + 1, end):
            ws.cell(row=r, column=2).alignment = Alignment(wrap_text=False)
        chart = BarChart()
        chart.type = "col"
        chart.grouping = "clustered"
        chart.title = f"{title}: значения по периодам (муниципалитет)"
        chart.y_axis.title = "%" if fmt == PERCENT else "количество"
        chart.y_axis.numFmt = "0"
        data = Reference(
            ws, min_col=3, max_col=2 + len(periods), min_row=header_row, max_row=end - 1
        )
        cats = Reference(ws, min_col=1, min_row=header_row + 1, max_row=end - 1)
        chart.add_data(data, titles_from_data=True)
        chart.set_categories(cats)
        chart.width = max(18, 1.6 * len(group) + 6)
        chart.height = 9
        ws.add_chart(chart, f"{get_column_letter(4 + len(periods))}{header_row}")
        row_no = max(end + 2, header_row + 20)


def _results(wb: Workbook, report: Report) -> None:
    ws = wb.create_sheet("Показатели")
    a = report.analysis
    frame = a.indicators
    names = {i.id: i.name for i in report.profile.indicators}
    rows = []
    pcts = []
    for r in frame.to_dict("records"):
        hidden = report.suppressed(r)
        breakdown = r["breakdown"]
        rows.append(
            [
                r["indicator"],
                names.get(str(r["indicator"]), ""),
                ""
                if breakdown is None or pd.isna(breakdown)
                else a.indicator_label(str(r["indicator"]), breakdown)
                .split(" (", 1)[-1]
                .rstrip(")"),
                LEVEL_LABELS.get(str(r["level"]), str(r["level"])),
                str(r["unit"]),
                a.unit_name(str(r["unit"])),
                str(r["period"]),
                SUPPRESSED if hidden else r["numerator"],
                SUPPRESSED if hidden else r["denominator"],
                SUPPRESSED if hidden else r["value"],
                STATE_LABELS.get(str(r["state"]), str(r["state"])),
                SUPPRESSED if hidden else r["previous_value"],
                None if hidden else r["change_abs"],
                r["target"],
                TARGET_STATUS_LABELS[str(r["target_status"])],
                DYNAMICS_LABELS[str(r["dynamics"])],
                STATUS_LABELS[str(r["status"])],
            ]
        )
        pcts.append(bool(r["percent"]))
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
    _table(
        ws,
        1,
        headers,
        rows,
        widths=[11, 50, 14, 14, 12, 34, 11, 11, 11, 11, 13, 14, 11, 14, 16, 14, 26],
    )
    for i, pct in enumerate(pcts, start=2):
        fmt = _fmt(pct)
        for col in (10, 12, 13, 14):
            ws.cell(row=i, column=col).number_format = fmt
        ws.cell(row=i, column=8).number_format = INTEGER
        ws.cell(row=i, column=9).number_format = INTEGER
    ws.freeze_panes = "C2"
    ws.auto_filter.ref = f"A1:{get_column_letter(len(headers))}{len(rows) + 1}"


def _organizations(wb: Workbook, report: Report) -> None:
    ws = wb.create_sheet("Организации")
    a = report.analysis
    top = _title(ws, report, f"Значения показателей по организациям за {a.period}")
    cur = a.indicators[
        (a.indicators["period"].astype(str) == a.period)
        & (a.indicators["level"].astype(str) == a.problem_level)
        & a.indicators["breakdown"].isna()
    ]
    if cur.empty:
        return
    units = list(dict.fromkeys(cur["unit"].astype(str)))
    present = set(cur["indicator"].astype(str))
    ids = [i for i in report.profile.indicators if i.id in present]
    by = {(str(r["unit"]), str(r["indicator"])): r for r in cur.to_dict("records")}
    problems = a.problems.groupby("unit").size() if len(a.problems) else pd.Series(dtype=int)
    rows = []
    for u in units:
        row: list[Any] = [u, a.unit_name(u), int(problems.get(u, 0))]
        for i in ids:
            r = by.get((u, i.id))
            row.append(None if r is None else _value(report, r))
        rows.append(row)
    headers = ["Код", "Организация", "Проблемных показателей", *[i.id for i in ids]]
    end = _table(ws, top, headers, rows, widths=[10, 40, 14, *([11] * len(ids))])
    for row_no in range(top + 1, end):
        for k, ind in enumerate(ids, start=4):
            cell = ws.cell(row=row_no, column=k)
            cell.number_format = _fmt(ind.is_share)
            r = by.get((str(ws.cell(row=row_no, column=1).value), ind.id))
            if r is not None and str(r["status"]) in _TONES:
                cell.fill = PatternFill("solid", fgColor=_TONES[str(r["status"])])
    ws.freeze_panes = ws.cell(row=top + 1, column=4)
    chart = BarChart()
    chart.type = "bar"
    chart.title = "Число проблемных показателей по организациям"
    chart.x_axis.title = None
    data = Reference(ws, min_col=3, min_row=top, max_row=end - 1)
    cats = Reference(ws, min_col=2, min_row=top + 1, max_row=end - 1)
    chart.add_data(data, titles_from_data=True)
    chart.set_categories(cats)
    chart.legend = None
    chart.width = 18
    chart.height = max(7, 0.7 * len(units) + 2)
    ws.add_chart(chart, f"B{end + 2}")


def _problems(wb: Workbook, report: Report) -> None:
    ws = wb.create_sheet("Проблемные зоны")
    a = report.analysis
    top = _title(ws, report, f"Проблемные зоны за {a.period}: ниже цели и (или) снижение")
    rows, pcts = [], []
    for r in a.problems.to_dict("records"):
        hidden = report.suppressed(r)
        rows.append(
            [
                a.indicator_label(str(r["indicator"]), r["breakdown"]),
                r["unit"],
                r["unit_name"],
                SUPPRESSED if hidden else r["value"],
                SUPPRESSED if hidden else r["previous_value"],
                r["target"],
                r["problem_label"],
                r["shortfall"],
                None if hidden else r["decline"],
                r["severity"],
            ]
        )
        pcts.append(bool(r["percent"]))
    headers = [
        "Показатель",
        "Код организации",
        "Организация",
        a.period,
        a.previous_period or "Предыдущий период",
        "Целевое значение (порог)",
        "Проблема",
        "Отставание от цели",
        "Снижение",
        "Порядок в показателе",
    ]
    end = _table(ws, top, headers, rows, widths=[16, 12, 40, 12, 12, 14, 22, 12, 12, 10])
    for i, pct in zip(range(top + 1, end), pcts, strict=True):
        for col in (4, 5, 6, 8, 9):
            ws.cell(row=i, column=col).number_format = _fmt(pct)
    ws.freeze_panes = ws.cell(row=top + 1, column=1)


def _effects(wb: Workbook, report: Report) -> None:
    ws = wb.create_sheet("Эффекты")
    a = report.analysis
    top = _title(ws, report, "Планируемые управленческие эффекты и критерии")
    ws.cell(row=top, column=1, value="Планируемые управленческие эффекты").font = Font(bold=True)
    rows = [
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
        for r in a.effects.to_dict("records")
    ]
    end = _table(
        ws,
        top + 1,
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
        rows,
        widths=[6, 28, 24, 34, 18, 18, 18, 18, 60, 60],
    )
    ws.cell(row=end + 1, column=1, value="Критерии").font = Font(bold=True)
    crit_rows = [
        [
            r["id"],
            r["name"],
            a.unit_name(str(r["unit"])),
            r["indicators"],
            CRITERION_RESULT_LABELS[str(r["result"])],
            r["growth"],
            r["stable"],
            r["decline"],
            r["not_judged"],
        ]
        for r in a.criteria.to_dict("records")
    ]
    _table(
        ws,
        end + 2,
        [
            "Код",
            "Критерий",
            "Единица",
            "Показатели",
            "Вывод",
            "Рост",
            "Без изменений",
            "Снижение",
            "Нет сравнения",
        ],
        crit_rows,
    )


def _recommendations(wb: Workbook, report: Report) -> None:
    ws = wb.create_sheet("Рекомендации")
    top = _title(ws, report, "Адресные рекомендации")
    frame = recommendations_frame(report.recommendations)
    end = _table(
        ws,
        top,
        list(frame.columns),
        frame.to_numpy().tolist(),
        widths=[30, 22, 22, 40, 70, 70, 40],
    )
    for i in range(top + 1, end):
        for k in range(1, len(frame.columns) + 1):
            ws.cell(row=i, column=k).alignment = Alignment(wrap_text=True, vertical="top")


def _measures(wb: Workbook, report: Report) -> None:
    ws = wb.create_sheet("Меры")
    top = _title(ws, report, "Меры, управленческие решения и их эффективность")
    eff = report.effectiveness
    ws.cell(row=top, column=1, value="Эффективность мер по показателям").font = Font(bold=True)
    rows, pcts = [], []
    for r in eff.to_dict("records"):
        rows.append(
            [
                r["measure"],
                r["title"],
                r["date"],
                r["document"],
                r["responsible"],
                r["indicator"],
                ", ".join(report.analysis.unit_name(u) for u in r["units"] or ()),
                r["before_period"],
                r["before"],
                r["after_period"],
                r["after"],
                r["change"],
                r["others_before"],
                r["others_after"],
                r["verdict_label"],
                r["summary"],
            ]
        )
        pcts.append(bool(r["percent"]))
    end = _table(
        ws,
        top + 1,
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
        widths=[11, 50, 11, 40, 28, 12, 34, 11, 10, 11, 10, 10, 12, 12, 18, 70],
    )
    for i, pct in zip(range(top + 2, end + 1), pcts, strict=False):
        for col in (9, 11, 12, 13, 14):
            ws.cell(row=i, column=col).number_format = _fmt(pct)
        ws.cell(row=i, column=3).number_format = "DD.MM.YYYY"
    summary = measure_summary(eff) if len(eff) else None
    if summary is not None and len(summary):
        ws.cell(row=end + 1, column=1, value="Итог по мерам").font = Font(bold=True)
        _table(
            ws,
            end + 2,
            ["Код", "Мера", "Дата", "Показатели", "Вывод"],
            summary[["measure", "title", "date", "indicators", "verdict_label"]]
            .to_numpy()
            .tolist(),
        )
    if report.measures.problems:
        row = ws.max_row + 2
        ws.cell(row=row, column=1, value="Строки реестра, не принятые при загрузке").font = Font(
            bold=True
        )
        for k, problem in enumerate(report.measures.problems, start=row + 1):
            ws.cell(row=k, column=1, value=safe_cell(problem))


def _quality(wb: Workbook, report: Report) -> None:
    ws = wb.create_sheet("Сроки и полнота")
    a = report.analysis
    top = _title(ws, report, "Представление сведений по периодам")
    rows = [
        [
            r["period"],
            r["unit"],
            r["unit_name"],
            r["deadline"],
            r["submitted_at"],
            r["status_label"],
            r["days_late"],
        ]
        for r in a.submissions.to_dict("records")
    ]
    end = _table(
        ws,
        top,
        ["Период", "Код", "Организация", "Срок", "Представлено", "Статус", "Дней опоздания"],
        rows,
        widths=[12, 10, 40, 12, 13, 30, 14],
    )
    for i in range(top + 1, end):
        ws.cell(row=i, column=4).number_format = "DD.MM.YYYY"
        ws.cell(row=i, column=5).number_format = "DD.MM.YYYY"
    if len(a.missing_indicators):
        ws.cell(row=end + 1, column=1, value="Показатели без данных").font = Font(bold=True)
        _table(
            ws,
            end + 2,
            ["Код", "Показатель", "Без данных (муниципалитет)", "Единиц", "Без данных (ОО)", "ОО"],
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
    ws = wb.create_sheet("Рейтинг")
    top = _title(ws, report, report.rating_note or "Рейтинг")
    rows = []
    for r in report.rating.to_dict("records"):
        rank = r.get("rank")
        rows.append(
            [
                None if rank is None or pd.isna(rank) else int(rank),
                r["unit"],
                report.analysis.unit_name(str(r["unit"])),
                r.get("score"),
                r.get("coverage"),
                r.get("reason") or "",
            ]
        )
    end = _table(
        ws,
        top,
        ["Место", "Код", "Организация", "Балл (0–100)", "Полнота данных", "Примечание"],
        rows,
        widths=[8, 10, 40, 12, 14, 50],
    )
    for i in range(top + 1, end):
        ws.cell(row=i, column=4).number_format = "0.0"
        ws.cell(row=i, column=5).number_format = "0%"


def _method(wb: Workbook, report: Report) -> None:
    ws = wb.create_sheet("Методика")
    frame = catalogue_frame(report.profile)
    end = _table(
        ws,
        1,
        list(frame.columns),
        frame.to_numpy().tolist(),
        widths=[11, 60, 40, 18, 50, 50, 40, 40, 40, 40, 50],
    )
    for i in range(2, end):
        for k in range(1, len(frame.columns) + 1):
            ws.cell(row=i, column=k).alignment = Alignment(wrap_text=True, vertical="top")
    ws.freeze_panes = "C2"


def write_xlsx(report: Report, path: str | Path) -> Path:
    """Write the report's tables as ``.xlsx``: summary, dynamics (with native charts),
    indicators by level and period, organisations (with a chart), problem zones, planned
    effects, recommendations, measures, submissions, rating and the method.

    :param report: the report.
    :param path: the file to write.
    :returns: the path written.
    """
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    wb = Workbook()
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
        _method,
    ):
        make(wb, report)
    wb.properties.title = f"{report.title} {report.subtitle}"
    wb.properties.language = "ru-RU"
    wb.properties.creator = "pedprof"
    wb.save(path)
    return path
