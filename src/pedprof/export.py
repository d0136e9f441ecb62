"""Results to a workbook a methodologist can open: Russian headers, no formulas."""

from __future__ import annotations

from pathlib import Path

import pandas as pd

from pedprof.formatting import LEVEL_LABELS, STATE_LABELS, safe_cell
from pedprof.profile import Profile

__all__ = ["RESULT_HEADERS", "catalogue_frame", "results_to_excel", "summary_frame"]

RESULT_HEADERS = {
    "indicator": "Код показателя",
    "name": "Показатель",
    "breakdown": "Разбивка",
    "level": "Уровень",
    "unit": "Код единицы",
    "unit_name": "Единица",
    "period": "Период",
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
        for sheet, frame in (
            ("Сводка", summary),
            ("Результаты", tidy),
            ("Показатели", catalogue_frame(profile)),
        ):
            frame = frame.map(safe_cell)
            frame.to_excel(writer, sheet_name=sheet, index=False)
            ws = writer.sheets[sheet]
            ws.freeze_panes = "A2"
            for col_cells in ws.columns:
                width = max(len(str(c.value or "")) for c in col_cells[:50])
                ws.column_dimensions[col_cells[0].column_letter].width = min(max(10, width + 2), 60)
    return path
