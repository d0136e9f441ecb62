"""pedprof profile: Karabash urban district (Карабашский городской округ, Челябинская область).

Implements order No 213 (о/д) of 19.08.2021 of МКУ «Управление образования КГО»: the
mechanism «Система обеспечения профессионального развития педагогических работников»,
its 24 indicative indicators with targets to 2024, the planned effects, the annual
monitoring (submissions by 5 August, assessment by 15 August) and the roadmap 2021–2024.

Written as any municipality would write its own profile: a module of ``@hookimpl``
functions registered under the entry point group ``pedprof``.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from functools import cache
from importlib import resources
from typing import Any

import yaml

from pedprof import (
    Dataset,
    Deadline,
    Document,
    Indicator,
    Mechanism,
    MonitoringCampaign,
    PeriodKind,
    PlannedEffect,
    ProfileInfo,
    Roadmap,
    RoadmapRow,
    RoadmapSection,
    Source,
    Stage,
    Target,
    hookimpl,
)
from pedprof_karabash import indicators as _indicators
from pedprof_karabash import recommendations as _recommendations
from pedprof_karabash.sample import load_sample
from pedprof_karabash.sources import SOURCES

PROFILE_ID = "karabash"

__all__ = ["PROFILE_ID", "load_sample"]


@cache
def _data(name: str) -> Any:
    text = resources.files(__name__).joinpath(f"data/{name}.yaml").read_text("utf-8")
    return yaml.safe_load(text)


def _document(d: dict[str, Any]) -> Document:
    date = d.get("date")
    return Document(
        type=d.get("type", "приказ"),
        title=d.get("title", ""),
        number=d.get("number"),
        date=dt.date.fromisoformat(str(date)) if date else None,
        issuer=d.get("issuer"),
    )


def profile_info() -> ProfileInfo:
    """The profile header: mechanism and monitoring campaign from the order."""
    m = _data("mechanism")
    mon = _data("monitoring")
    order = _document(m["document"])
    mechanism = Mechanism(
        title=m["title"],
        goal=m["goal"],
        tasks=m["tasks"],
        justification=[_document(d) for d in m["justification_documents"]],
        criteria=[(c["id"], c["name"]) for c in m["criteria"]],
        approved_by=order,
    )
    campaign = MonitoringCampaign(
        title=mon["title"],
        frequency="annual",
        goal=mon["goal"],
        description=mon["description"],
        stages=[Stage(s["no"], s["label"], s["content"]) for s in mon["stages"]],
        deadlines=[
            Deadline(
                id=c["id"],
                what=c["what"],
                month=c.get("month"),
                day=c.get("day"),
                text=c.get("deadline_text", ""),
                responsible=c.get("responsible", ""),
                recipient=c.get("recipient", ""),
            )
            for c in mon["calendar"]
        ],
    )
    return ProfileInfo(
        id=PROFILE_ID,
        title="Система обеспечения профессионального развития педагогических работников",
        territory="Карабашский городской округ",
        region="Челябинская область",
        period_kind=PeriodKind.SCHOOL_YEAR,
        approved_by=order,
        mechanism=mechanism,
        campaign=campaign,
        description=(
            "Приказ МКУ «Управление образования КГО» № 213 (о/д) от 19.08.2021: дорожная карта "
            "на 2021–2024 годы, механизм, индикативные показатели, мониторинг."
        ),
    )


def roadmap() -> Roadmap:
    """The roadmap 2021–2024 (приложение 1)."""
    r = _data("roadmap")
    sections = []
    for s in r["sections"]:
        rows = [
            RoadmapRow(
                number=str(row["number"]),
                event=row.get("event") or "",
                deadline_text=row.get("deadline_text") or "",
                responsible=row.get("responsible") or "",
                co_executors=row.get("co_executors") or "",
                expected_result=row.get("expected_result") or "",
                notes=row.get("notes") or "",
            )
            for row in s.get("rows", [])
        ]
        sections.append(RoadmapSection(str(s["number"]), s.get("title"), rows))
    return Roadmap(title=r["title"], sections=sections)


def planned_effects() -> list[PlannedEffect]:
    """Раздел IV: seven rows linked to the indicators they concern."""
    p = _data("planned_effects")
    return [
        PlannedEffect(
            id=f"e{row['no']}",
            number=row["no"],
            indicators=row["indicators"],
            strong_state=row["strong_state"],
            positive_dynamics=row["positive_dynamics"],
        )
        for row in p["rows"]
    ]


@hookimpl
def pedprof_register_profiles(register: Callable[[ProfileInfo], None]) -> None:
    """Register the Karabash profile."""
    register(profile_info())


@hookimpl
def pedprof_register_sources(register: Callable[[str, Source], None]) -> None:
    """Register the tables organisations and the methodical office submit."""
    for source in SOURCES:
        register(PROFILE_ID, source)


@hookimpl
def pedprof_register_indicators(register: Callable[[str, Indicator], None]) -> None:
    """Register the 24 indicators and their alternative readings."""
    for indicator in _indicators.indicators():
        register(PROFILE_ID, indicator)


@hookimpl
def pedprof_register_targets(register: Callable[[str, str, Target], None]) -> None:
    """Register the targets of приложение 3."""
    for indicator_id, target in _indicators.targets().items():
        register(PROFILE_ID, indicator_id, target)


@hookimpl
def pedprof_register_planned_effects(register: Callable[[str, PlannedEffect], None]) -> None:
    """Register the planned effects of Раздел IV."""
    for effect in planned_effects():
        register(PROFILE_ID, effect)


@hookimpl
def pedprof_register_documents(register: Callable[[str, Document], None]) -> None:
    """Register the approving order and the justification documents."""
    info = profile_info()
    assert info.mechanism is not None and info.approved_by is not None
    register(PROFILE_ID, info.approved_by)
    for doc in info.mechanism.justification:
        register(PROFILE_ID, doc)


@hookimpl
def pedprof_register_roadmaps(register: Callable[[str, Roadmap], None]) -> None:
    """Register the roadmap 2021–2024."""
    register(PROFILE_ID, roadmap())


@hookimpl
def pedprof_register_recommendation_rules(register: Callable[[str, Any], None]) -> None:
    """Register the targeted-recommendation rules (п. 4.4 приказа)."""
    for rule in _recommendations.rules():
        register(PROFILE_ID, rule)


@hookimpl
def pedprof_sample_data(profile_id: str) -> Dataset | None:
    """The bundled synthetic sample."""
    return load_sample() if profile_id == PROFILE_ID else None
