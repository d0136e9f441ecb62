"""Results to a workbook a methodologist can open: Russian headers, no formulas — and
back (:func:`read_results_workbook`), so ``pedprof rate`` reads what ``pedprof compute``
writes."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import openpyxl
import pandas as pd
from openpyxl.packaging.custom import StringProperty

from pedprof.formatting import _FORMULA_START, LEVEL_LABELS, STATE_LABELS, safe_cell
from pedprof.io._print import column_widths, print_setup
from pedprof.model.profile import Profile

__all__ = [
    "PROFILE_PROPERTY",
    "RESULTS_SHEET",
    "RESULT_HEADERS",
    "catalogue_frame",
    "read_results_workbook",
    "results_to_excel",
    "summary_frame",
]

#: The sheet of the tidy results.
RESULTS_SHEET = "Результаты"
#: The custom document property that records the profile id in the workbook.
PROFILE_PROPERTY = "pedprof-profile"

RESULT_HEADERS = {
    "indicator": "Код показателя",
    "name": "Показатель",
    "breakdown": "Разбивка",
    "level": "Уровень",
    "unit": "Код единицы",
    "unit_name": "Единица",
    "parent": "Код вышестоящей единицы",
    "period": "Период",
    "period_start": "Начало периода",
    "numerator": "Числитель",
    "denominator": "Знаменатель",
    "value": "Значение",
    "state": "Состояние",
    "previous_value": "Значение за предыдущий период",
    "target": "Целевое значение",
    "target_met": "Цель достигнута",
    "target_due": "Срок цели наступил",
}


def catalogue_frame(profile: Profile) -> pd.DataFrame:
    """One row per indicator: code, name, criterion, kind, formula in words, source, target."""
    rows = []
    for ind in profile.indicators:
        target = profile.targets.get(ind.id)
        rows.append(
            {
                "Код": ind.id,
                "Показатель": ind.name,
                "Критерий": profile.criterion_name(ind.criterion),
                "Вид": ind.kind_label,
                "Числитель": ind.numerator_text,
                "Знаменатель": ind.denominator_text,
                "Метод сбора": ind.collection_method or "",
                "Метод обработки": ind.processing_method or "",
                "Источник данных": ind.source_text or "",
                "Целевое значение (текст приказа)": target.text if target else "",
                "Правило проверки цели": target.describe() if target else "",
            }
        )
    return pd.DataFrame(rows)


def unit_names(data_names: dict[str, str], results: pd.DataFrame) -> pd.Series:
    """The display name of each result row's unit."""
    return results["unit"].astype(str).map(lambda u: data_names.get(u, u))


def summary_frame(
    profile: Profile, results: pd.DataFrame, level: str = "municipality"
) -> pd.DataFrame:
    """Indicator × period values at one level (totals only), with target and status."""
    sel = results[(results["level"] == level) & results["breakdown"].isna()]
    wide = sel.pivot_table(
        index="indicator", columns="period", values="value", observed=True, dropna=False
    )
    last = (
        sel.sort_values("period_start")
        .groupby("indicator", observed=True)
        .tail(1)
        .set_index("indicator")
    )
    names = {i.id: i.name for i in profile.indicators}
    out = wide.reset_index()
    out.insert(1, "name", out["indicator"].map(names))
    out["target"] = out["indicator"].map(last["target"])
    out["target_met"] = out["indicator"].map(last["target_met"])
    return out


def results_to_excel(
    profile: Profile,
    results: pd.DataFrame,
    path: str | Path,
    *,
    unit_names_map: dict[str, str] | None = None,
) -> Path:
    """Write results, a municipal summary and the indicator catalogue to ``path``."""
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    names = {i.id: i.name for i in profile.indicators}
    tidy = results.copy()
    tidy.insert(1, "name", tidy["indicator"].map(names))
    tidy.insert(5, "unit_name", unit_names(unit_names_map or {}, tidy))
    tidy["level"] = tidy["level"].astype(str).map(LEVEL_LABELS)
    tidy["state"] = tidy["state"].astype(str).map(STATE_LABELS)
    tidy["target_met"] = tidy["target_met"].map({True: "да", False: "нет"}).fillna("—")
    tidy["target_due"] = tidy["target_due"].map({True: "да", False: "нет"})
    if "period_start" in tidy.columns:
        tidy["period_start"] = pd.to_datetime(tidy["period_start"]).dt.date
    tidy = tidy[[c for c in RESULT_HEADERS if c in tidy.columns]].rename(columns=RESULT_HEADERS)
    summary = summary_frame(profile, results).rename(
        columns={
            "indicator": "Код",
            "name": "Показатель",
            "target": "Цель",
            "target_met": "Цель достигнута",
        }
    )
    summary["Цель достигнута"] = (
        summary["Цель достигнута"].map({True: "да", False: "нет"}).fillna("—")
    )
    with pd.ExcelWriter(path, engine="openpyxl") as writer:
        writer.book.custom_doc_props.append(StringProperty(name=PROFILE_PROPERTY, value=profile.id))
        for sheet, frame in (
            ("Сводка", summary),
            (RESULTS_SHEET, tidy),
            ("Показатели", catalogue_frame(profile)),
        ):
            frame = frame.map(safe_cell)
            frame.to_excel(writer, sheet_name=sheet, index=False)
            ws = writer.sheets[sheet]
            ws.freeze_panes = "A2"
            for col_cells in ws.columns:
                width = max(len(str(c.value or "")) for c in col_cells[:50])
                ws.column_dimensions[col_cells[0].column_letter].width = min(max(10, width + 2), 60)
            print_setup(ws, column_widths(ws), header_rows=(1, 1))
    return path


_TEXT_COLUMNS = (
    "indicator",
    "breakdown",
    "level",
    "unit",
    "unit_name",
    "parent",
    "period",
    "state",
)
_YES_NO = {"да": True, "нет": False}


def _unquote(value: Any) -> Any:
    """Undo :func:`safe_cell`: «'=x» back to «=x»."""
    if isinstance(value, str) and value[:1] == "'" and value[1:].startswith(_FORMULA_START):
        return value[1:]
    return value


def read_results_workbook(path: str | Path) -> pd.DataFrame:
    """Read back the results sheet of :func:`results_to_excel` as :func:`pedprof.compute`
    returned it.

    Codes stay text (so «007» keeps its zeros), levels and states go back to their codes
    (``organization``, ``value`` …), «да» / «нет» / «—» to nullable booleans,
    ``period_start`` to dates. The unit names are kept in ``unit_name``; the profile id
    recorded in the workbook goes to ``attrs["profile"]``.

    :param path: the workbook.
    :returns: the results frame.
    :raises ValueError: the workbook has no results sheet of ``pedprof compute`` (Russian
        message).
    """
    path = Path(path)
    book = openpyxl.load_workbook(path, read_only=True)
    try:
        sheets = list(book.sheetnames)
        profile = next(
            (str(p.value) for p in book.custom_doc_props if p.name == PROFILE_PROPERTY), None
        )
    finally:
        book.close()
    if RESULTS_SHEET not in sheets:
        raise ValueError(
            f"в книге «{path.name}» нет листа «{RESULTS_SHEET}»: ожидается файл, "
            "записанный pedprof compute"
        )
    columns = {v: k for k, v in RESULT_HEADERS.items()}
    header = pd.read_excel(path, sheet_name=RESULTS_SHEET, nrows=0, engine="openpyxl").columns
    missing = [
        RESULT_HEADERS[c]
        for c in ("indicator", "level", "unit", "period", "value", "state")
        if RESULT_HEADERS[c] not in header
    ]
    if missing:
        raise ValueError(
            f"на листе «{RESULTS_SHEET}» книги «{path.name}» нет столбцов: "
            + ", ".join(f"«{m}»" for m in missing)
        )
    text = {RESULT_HEADERS[c]: "str" for c in _TEXT_COLUMNS if RESULT_HEADERS[c] in header}
    for c in ("target_met", "target_due"):
        if RESULT_HEADERS[c] in header:
            text[RESULT_HEADERS[c]] = "str"
    frame = pd.read_excel(
        path,
        sheet_name=RESULTS_SHEET,
        dtype=text,
        keep_default_na=False,
        na_values=[""],
        engine="openpyxl",
    )
    frame = frame.rename(columns=columns)
    frame = frame[[c for c in columns.values() if c in frame.columns and c != "name"]]
    for col in _TEXT_COLUMNS:
        if col in frame.columns:
            frame[col] = frame[col].map(_unquote).astype("object").where(frame[col].notna(), None)
    levels = {v: k for k, v in LEVEL_LABELS.items()}
    states = {v: k for k, v in STATE_LABELS.items()}
    frame["level"] = frame["level"].map(lambda v: levels.get(v, v))
    frame["state"] = frame["state"].map(lambda v: states.get(v, v))
    for col in ("target_met", "target_due"):
        if col in frame.columns:
            frame[col] = pd.array(
                [_YES_NO.get(str(v).strip()) if v is not None else None for v in frame[col]],
                dtype="boolean",
            )
    if "target_due" in frame.columns:
        frame["target_due"] = frame["target_due"].fillna(False)
    if "period_start" in frame.columns:
        frame["period_start"] = pd.to_datetime(frame["period_start"])
    for col in ("numerator", "denominator", "value", "previous_value", "target"):
        if col in frame.columns:
            frame[col] = pd.to_numeric(frame[col], errors="coerce").astype(float)
    if "parent" not in frame.columns:
        frame["parent"] = None
    if profile:
        frame.attrs["profile"] = profile
    return frame
