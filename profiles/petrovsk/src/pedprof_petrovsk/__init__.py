"""pedprof profile: Petrovsk municipal district (Петровский муниципальный район, Саратовская область).

Implements the «Концепция создания муниципальной системы научно-методического сопровождения
педагогических работников и управленческих кадров Петровского района» approved by order
No 326-ОД of 30.11.2021 of the education authority: its goal and tasks, the structure of the
system (levels → subjects → functions), the six effectiveness indicators with the methods of
collecting information, and the monitoring «не реже одного раза в год».

The concept sets no targets, so the profile registers none: the results carry values and
dynamics without a target status. A municipality that wants targets registers them from a
plugin of its own (``pedprof_register_targets`` for the profile ``petrovsk``) — see
``examples/petrovsk_targets.py`` and the profile's docs page.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from functools import cache
from importlib import resources
from typing import Any

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
    Source,
    hookimpl,
)
from pedprof.model.mechanism import ActivityType

from . import indicators as _indicators
from . import recommendations as _recommendations
from .sample import load_sample
from .sources import SOURCES

PROFILE_ID = "petrovsk"

__all__ = [
    "PROFILE_ID",
    "glossary",
    "load_sample",
    "monitoring_activities",
    "profile_info",
    "structure",
    "structure_markdown",
]

ORDER_COMPONENTS = (
    CycleComponent.GOALS,
    CycleComponent.INDICATORS,
    CycleComponent.METHODS,
    CycleComponent.MONITORING,
)


@cache
def _data(name: str) -> Any:
    text = resources.files(__name__).joinpath(f"data/{name}.yaml").read_text("utf-8")
    return yaml.safe_load(text)


def approving_order() -> Document:
    """Order No 326-ОД of 30.11.2021 approving the concept."""
    d = _data("mechanism")["document"]
    return Document(
        type=d["type"],
        title=f"«{d['title']}»",
        number=d["number"],
        date=dt.date.fromisoformat(d["date"]),
        issuer=d["issuer"],
        components=ORDER_COMPONENTS,
    )


def profile_info() -> ProfileInfo:
    """The profile header: the concept's goal, tasks and its yearly monitoring."""
    m = _data("mechanism")
    mon = _data("monitoring")
    order = approving_order()
    mechanism = Mechanism(
        title=m["concept_title"],
        goal=m["goal"],
        tasks=m["tasks"],
        justification=[Document(type="основание", title=text) for text in m["legal_basis"]],
        criteria=[(c["id"], c["name"]) for c in m["criteria"]],
        approved_by=order,
    )
    campaign = MonitoringCampaign(
        title="Мониторинг показателей эффективности деятельности МСНМС",
        frequency="annual",
        goal=mon["follow_up"],
        description=f"{mon['frequency']} {mon['follow_up']}",
    )
    return ProfileInfo(
        id=PROFILE_ID,
        title=(
            "Муниципальная система научно-методического сопровождения педагогических работников "
            "и управленческих кадров"
        ),
        territory="Петровский муниципальный район",
        region="Саратовская область",
        period_kind=PeriodKind.SCHOOL_YEAR,
        approved_by=order,
        mechanism=mechanism,
        campaign=campaign,
        description=(
            "Приказ управления образования администрации Петровского муниципального района "
            "от 30.11.2021 № 326-ОД: Концепция МСНМС, шесть показателей эффективности, методы "
            "сбора информации, мониторинг не реже одного раза в год. Целевые значения не "
            "установлены."
        ),
    )


def monitoring_activities() -> list[MonitoringActivity]:
    """The yearly monitoring of the six indicators («не реже одного раза в год»)."""
    mon = _data("monitoring")
    return [
        MonitoringActivity(
            id="monitoring",
            name="Мониторинг показателей эффективности деятельности Системы",
            type=ActivityType.INVARIANT,
            period_text=mon["frequency"],
            frequency="annual",
            output_document=mon["follow_up"],
            indicators=tuple(i.id for i in _indicators.indicators() if i.reading_of is None),
            notes=(
                "Название составлено по заголовку раздела 5 Концепции; срок, ответственный и "
                "форма отчёта в Концепции не установлены.",
                "Методы сбора информации и инструменты оценки: " + _indicators.collection_methods(),
            ),
        )
    ]


def structure() -> dict[str, Any]:
    """The structure of the system as data: ``levels`` → ``subjects`` → ``functions``,
    the subjects of management and the channels of interaction (verbatim)."""
    return dict(_data("structure"))


def glossary() -> list[dict[str, str]]:
    """The concept's definitions (verbatim)."""
    return list(_data("glossary"))


def structure_markdown() -> str:
    """The structure rendered as MyST Markdown for the profile's docs page."""
    s = structure()
    lines = [f"*{s['composition']}*", ""]
    for level in s["levels"]:
        lines += [f"### {level['level']}", ""]
        if level.get("category"):
            lines += [f"{level['category']}", ""]
        for subject in level["subjects"]:
            lines += [f"**{subject['subject']}**", ""]
            lines += [f"- {f}" for f in subject["functions"]]
            lines.append("")
    lines += ["### Субъекты управления Системы", ""]
    lines += [f"- **{m['subject']}** — {m['role']}" for m in s["management_subjects"]]
    lines += ["", s["general_statement"], ""]
    lines += [f"**{s['interaction_channels_heading']}**", ""]
    lines += [f"- {c}" for c in s["interaction_channels"]]
    return "\n".join(lines) + "\n"


@hookimpl
def pedprof_register_profiles(register: Callable[[ProfileInfo], None]) -> None:
    """Register the Petrovsk profile."""
    register(profile_info())


@hookimpl
def pedprof_register_sources(register: Callable[[str, Source], None]) -> None:
    """Register the staff and organisation tables."""
    for source in SOURCES:
        register(PROFILE_ID, source)


@hookimpl
def pedprof_register_indicators(register: Callable[[str, Indicator], None]) -> None:
    """Register the six indicators and their readings (no targets: the concept sets none)."""
    for indicator in _indicators.indicators():
        register(PROFILE_ID, indicator)


@hookimpl
def pedprof_register_monitoring_activities(
    register: Callable[[str, MonitoringActivity], None],
) -> None:
    """Register the yearly monitoring."""
    for activity in monitoring_activities():
        register(PROFILE_ID, activity)


@hookimpl
def pedprof_register_documents(register: Callable[[str, Document], None]) -> None:
    """Register the approving order and the documents its preamble rests on."""
    info = profile_info()
    assert info.approved_by is not None and info.mechanism is not None
    register(PROFILE_ID, info.approved_by)
    for doc in info.mechanism.justification:
        register(PROFILE_ID, doc)


@hookimpl
def pedprof_register_recommendation_rules(register: Callable[[str, Any], None]) -> None:
    """Register the targeted-recommendation rules (analysis of the yearly monitoring)."""
    for rule in _recommendations.rules():
        register(PROFILE_ID, rule)


@hookimpl
def pedprof_sample_data(profile_id: str) -> Dataset | None:
    """The bundled synthetic sample."""
    return load_sample() if profile_id == PROFILE_ID else None
