"""pedprof regional layer: Chelyabinsk region (Челябинская область).

Implements the ministry's order of 18.03.2021 No 01/730: the roadmap of the regional model of
methodical work for 2021–2022 (every row of both years), the monitoring windows
(15.04–10.05.2021, 01.04–30.04.2022) and the report deadlines of ЧИППКРО and ЧИРПО — and one
run over the region: the data of the municipal profiles of the region (Karabash, Magnitogorsk)
mapped to regional tables, region-level values where the municipal indicators are comparable,
the municipalities side by side (:mod:`pedprof_chelyabinsk.regional`).

A profile of its own (``level="region"``) rather than a part of the Karabash or Magnitogorsk
profile: the order is the ministry's, binds every municipality of the region and neither of
them owns it; a regional profile registers its roadmap and calendar once, and a regional run
needs a home that knows every municipality's form — the municipal profiles stay unaware of
each other.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from functools import cache
from importlib import resources
from typing import Any

import attrs
import yaml

from pedprof import (
    CycleComponent,
    Dataset,
    Document,
    Indicator,
    Mechanism,
    MonitoringActivity,
    MonitoringCampaign,
    PeriodKind,
    ProfileInfo,
    Roadmap,
    RoadmapRow,
    RoadmapSection,
    Source,
    hookimpl,
)
from pedprof.model.mechanism import ActivityType

from . import indicators as _indicators
from .regional import ADAPTERS, build_regional_dataset, side_by_side
from .sources import SOURCES

PROFILE_ID = "chelyabinsk"

__all__ = [
    "ADAPTERS",
    "PROFILE_ID",
    "MonitoringWindow",
    "build_regional_dataset",
    "load_sample",
    "monitoring_activities",
    "monitoring_calendar",
    "profile_info",
    "roadmap_markdown",
    "roadmap_rows",
    "roadmaps",
    "side_by_side",
]


@cache
def _data(name: str) -> Any:
    text = resources.files(__name__).joinpath(f"data/{name}.yaml").read_text("utf-8")
    return yaml.safe_load(text)


@attrs.frozen(kw_only=True)
class MonitoringWindow:
    """One year's monitoring by one institute, with its report deadline (items 2 and 3).

    :param window_text: the period exactly as the order words it.
    :param report_text: the report item exactly as the order words it.
    :param report_action: where the report goes (published on the site / sent to ЧИППКРО).
    """

    id: str
    year: int
    institute: str
    scope: str
    window_start: dt.date
    window_end: dt.date
    window_text: str
    report_due: dt.date
    report_text: str
    report_action: str
    items: tuple[str, ...] = ()

    def contains(self, day: dt.date) -> bool:
        """Whether ``day`` is inside the monitoring window (both ends included)."""
        return self.window_start <= day <= self.window_end


def monitoring_calendar() -> list[MonitoringWindow]:
    """The monitoring windows and report deadlines of 2021 and 2022, by year and institute."""
    return [
        MonitoringWindow(
            id=c["id"],
            year=c["year"],
            institute=c["institute"],
            scope=c["scope"],
            window_start=dt.date.fromisoformat(c["window_start"]),
            window_end=dt.date.fromisoformat(c["window_end"]),
            window_text=c["window_text"],
            report_due=dt.date.fromisoformat(c["report_due"]),
            report_text=c["report_text"],
            report_action=c["report_action"],
            items=tuple(c["items"]),
        )
        for c in _data("order")["calendar"]
    ]


def approving_order() -> Document:
    """Order No 01/730 of 18.03.2021."""
    d = _data("order")["document"]
    return Document(
        type=d["type"],
        title=d["title"],
        number=d["number"],
        date=dt.date.fromisoformat(d["date"]),
        issuer=d["issuer"],
        components=(CycleComponent.MONITORING, CycleComponent.MEASURES),
    )


def basis_order() -> Document:
    """Order No 01/249 of 29.01.2021 (the model of methodical work and its monitoring)."""
    return Document(
        type="приказ",
        title=(
            "«Об утверждении модели методической работы в системе образования Челябинской "
            "области и мониторинга ее эффективности»"
        ),
        number="01/249",
        date=dt.date(2021, 1, 29),
        issuer="Министерства образования и науки Челябинской области",
        components=(CycleComponent.GOALS, CycleComponent.INDICATORS, CycleComponent.METHODS),
    )


def roadmaps() -> list[Roadmap]:
    """The roadmap 2021–2022 as two roadmaps, one per year («2021 год», «2022 год»): row
    numbers restart every year, so a row is identified by its year and number."""
    r = _data("roadmap")
    out = []
    for year in r["years"]:
        sections = [
            RoadmapSection(
                number=str(s["number"]),
                title=s["title"],
                rows=[
                    RoadmapRow(
                        number=str(row["number"]),
                        event=row["event"],
                        deadline_text=row["period"],
                        responsible=row["responsible"] or "",
                        co_executors=row["co_executors"] or "",
                        expected_result=row["expected_result"] or "",
                        notes=row["notes"] or "",
                    )
                    for row in s["rows"]
                ],
            )
            for s in year["sections"]
        ]
        out.append(Roadmap(title=f"{r['title']} — {year['heading']}", sections=sections))
    return out


def roadmap_rows() -> list[dict[str, Any]]:
    """Every roadmap row as a flat record: ``year, section, number, event, period,
    responsible_cell, responsible, co_executors, expected_result, result_from,
    result_reconstructed, notes`` (verbatim where the data file says so)."""
    r = _data("roadmap")
    return [
        {
            "year": year["year"],
            "section": str(s["number"]),
            "number": str(row["number"]),
            "event": row["event"],
            "period": row["period"],
            "responsible_cell": row.get("responsible_cell") or "",
            "responsible": row.get("responsible") or "",
            "co_executors": row.get("co_executors") or "",
            "expected_result": row.get("expected_result") or "",
            "result_from": row.get("result_from"),
            "result_reconstructed": bool(row.get("result_reconstructed")),
            "notes": row.get("notes") or "",
        }
        for year in r["years"]
        for s in year["sections"]
        for row in s["rows"]
    ]


def _cell(text: str) -> str:
    return text.replace("|", "\\|").replace("\n", " ")


def roadmap_markdown() -> str:
    """Every roadmap row, one table per year, as MyST Markdown for the profile's docs page."""
    r = _data("roadmap")
    lines = []
    for year in r["years"]:
        lines += [f"### {year['heading']}", ""]
        for s in year["sections"]:
            lines += [f"**{s['title']}**", ""]
            if s.get("note"):
                lines += [f"*{s['note']}*", ""]
            lines += [
                "| № | Мероприятие | Срок | Ответственный / соисполнители | Результат |",
                "|---|---|---|---|---|",
            ]
            for row in s["rows"]:
                result = row.get("expected_result") or ""
                if row.get("result_from"):
                    result = f"{result} (объединённая ячейка, п. {row['result_from']})"
                if row.get("result_reconstructed"):
                    result = f"{result} (восстановлено)"
                cells = (
                    row["number"],
                    row["event"],
                    row["period"],
                    row.get("responsible_cell") or "",
                    result,
                )
                lines.append("| " + " | ".join(_cell(str(c)) for c in cells) + " |")
            lines.append("")
    return "\n".join(lines) + "\n"


def monitoring_activities() -> list[MonitoringActivity]:
    """The monitoring of each year by each institute (items 2.1 and 3.1) and the report that
    follows it (items 2.2 and 3.2), each with its own dates."""
    out = []
    for w in monitoring_calendar():
        months = tuple(range(w.window_start.month, w.window_end.month + 1))
        system = (
            "в системе образования Челябинской области"
            if w.scope == "общее образование"
            else "в системе среднего профессионального образования"
        )
        monitoring_item, report_item = w.items
        out.append(
            MonitoringActivity(
                id=w.id,
                name=f"Мониторинг эффективности модели методической работы {system} ({w.year})",
                type=ActivityType.INVARIANT,
                period_text=w.window_text,
                months=months,
                frequency="once",
                responsible=w.institute,
                output_document="справки по итогам мониторинга",
                notes=(
                    f"Справка: {w.report_action}, срок — до {w.report_due:%d.%m.%Y}.",
                    f"Пункт приказа: {monitoring_item}.",
                ),
            )
        )
        out.append(
            MonitoringActivity(
                id=w.id.replace("monitoring_", "report_"),
                name=(
                    f"Справка по итогам мониторинга эффективности модели методической работы "
                    f"{system} ({w.year}): {w.report_action}"
                ),
                type=ActivityType.INVARIANT,
                period_text=f"до {w.report_due:%d.%m.%Y} г.",
                months=(w.report_due.month,),
                frequency="once",
                responsible=w.institute,
                output_document="справки по итогам мониторинга",
                notes=(f"Пункт приказа: {report_item} — «{w.report_text}»",),
            )
        )
    return out


def profile_info() -> ProfileInfo:
    """The regional profile header."""
    order = approving_order()
    r = _data("roadmap")
    mechanism = Mechanism(
        title=r["title"],
        goal=(
            "реализация модели методической работы в системе образования Челябинской области и "
            "мониторинг ее эффективности"
        ),
        tasks=(),
        justification=[basis_order()],
        criteria=[
            (f"c{s['number']}", s["title"].split(". ", 1)[-1]) for s in r["years"][0]["sections"]
        ],
        approved_by=order,
    )
    campaign = MonitoringCampaign(
        title=(
            "Мониторинг эффективности модели методической работы в системе образования "
            "Челябинской области"
        ),
        frequency="annual",
        description=" ".join(
            i["text"] for i in _data("order")["items"] if i["item"] in ("2.1", "2.2")
        ),
    )
    return ProfileInfo(
        id=PROFILE_ID,
        title="Модель методической работы в системе образования Челябинской области",
        territory="Челябинская область",
        region="Челябинская область",
        period_kind=PeriodKind.SCHOOL_YEAR,
        approved_by=order,
        mechanism=mechanism,
        campaign=campaign,
        level="region",
        description=(
            "Приказ Министерства образования и науки Челябинской области от 18.03.2021 "
            "№ 01/730: дорожная карта реализации модели методической работы на 2021-2022 гг., "
            "сроки мониторинга ее эффективности; региональный расчёт по данным муниципальных "
            "профилей (Карабашский и Магнитогорский городские округа)."
        ),
    )


def load_sample(*, common_periods_only: bool = True) -> Dataset:
    """The regional sample: the Karabash and Magnitogorsk samples in one regional dataset.

    :param common_periods_only: keep only the school years both samples cover (2020-2021 and
        2021-2022), where the regional values are comparable; ``False`` keeps every period
        (2018-2019 … 2023-2024), municipal values side by side and regional values only where
        both municipalities reported (see :func:`side_by_side`).
    """
    from pedprof_karabash import load_sample as karabash_sample
    from pedprof_magnitogorsk import load_sample as magnitogorsk_sample

    return build_regional_dataset(
        {"karabash": karabash_sample(), "magnitogorsk": magnitogorsk_sample()},
        common_periods_only=common_periods_only,
    )


@hookimpl
def pedprof_register_profiles(register: Callable[[ProfileInfo], None]) -> None:
    """Register the Chelyabinsk regional profile."""
    register(profile_info())


@hookimpl
def pedprof_register_sources(register: Callable[[str, Source], None]) -> None:
    """Register the regional tables."""
    for source in SOURCES:
        register(PROFILE_ID, source)


@hookimpl
def pedprof_register_indicators(register: Callable[[str, Indicator], None]) -> None:
    """Register the regional indicators."""
    for indicator in _indicators.indicators():
        register(PROFILE_ID, indicator)


@hookimpl
def pedprof_register_monitoring_activities(
    register: Callable[[str, MonitoringActivity], None],
) -> None:
    """Register the monitoring of 2021 and 2022 by ЧИППКРО and ЧИРПО."""
    for activity in monitoring_activities():
        register(PROFILE_ID, activity)


@hookimpl
def pedprof_register_documents(register: Callable[[str, Document], None]) -> None:
    """Register the order and the order it rests on."""
    register(PROFILE_ID, approving_order())
    register(PROFILE_ID, basis_order())


@hookimpl
def pedprof_register_roadmaps(register: Callable[[str, Roadmap], None]) -> None:
    """Register the roadmap 2021–2022 (one roadmap per year)."""
    for roadmap in roadmaps():
        register(PROFILE_ID, roadmap)


@hookimpl
def pedprof_sample_data(profile_id: str) -> Dataset | None:
    """The regional sample built from the municipal samples."""
    return load_sample() if profile_id == PROFILE_ID else None
