"""pedprof profile: Magnitogorsk urban district (Магнитогорский городской округ, Челябинская область).

Implements the mechanism «Система обеспечения профессионального развития педагогических
работников» of the Положение о МСОКО (приказ УО от 10.06.2021 № УО-04/519) as the presentation
of МУ ДПО «ЦПКИМР» of 20.04.2022 shows it: the ФИОКО criterion on network interaction and its
two МСОКО indicators (ГПО and РЦ), the site checks of the monitoring activities No 9 and 10,
the planned effect «устойчивое количество ГПО», the documents of the management cycle per
component and the targeted recommendations for ГПО leaders.

Written as any municipality would write its own profile: a module of ``@hookimpl`` functions
registered under the entry point group ``pedprof``.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from functools import cache
from importlib import resources
from typing import Any

import pandas as pd
import yaml

from pedprof import (
    CycleComponent,
    Dataset,
    Deadline,
    Document,
    Indicator,
    Mechanism,
    MonitoringActivity,
    MonitoringCampaign,
    PeriodKind,
    PlannedEffect,
    ProfileInfo,
    Source,
    Target,
    compute,
    hookimpl,
)
from pedprof.model.mechanism import ActivityType

from . import indicators as _indicators
from . import recommendations as _recommendations
from .sample import load_sample
from .sources import SOURCES

PROFILE_ID = "magnitogorsk"

__all__ = [
    "PROFILE_ID",
    "cycle_documents",
    "cycle_markdown",
    "document_groups",
    "documents_by_id",
    "gpo_dynamics",
    "load_sample",
    "management_decisions",
    "monitoring_activities",
    "planned_effects",
    "profile_info",
    "recommendations",
]

_ACTIVITY_TYPES = {"вариативное": ActivityType.VARIATIVE, "инвариантное": ActivityType.INVARIANT}
#: Statuses whose rows carry the reason of a change in the number of associations.
CHANGE_STATUSES = ("opened", "transformed", "merged", "closed")


@cache
def _data(name: str) -> Any:
    text = resources.files(__name__).joinpath(f"data/{name}.yaml").read_text("utf-8")
    return yaml.safe_load(text)


def _date(value: object) -> dt.date | None:
    return dt.date.fromisoformat(str(value)) if value else None


def _document(d: dict[str, Any]) -> Document:
    return Document(
        type=d.get("type", "приказ"),
        title=d.get("title", ""),
        number=d.get("number"),
        date=_date(d.get("date")),
        issuer=d.get("issuer"),
        components=tuple(CycleComponent(c) for c in d.get("components", ())),
    )


def profile_info() -> ProfileInfo:
    """The profile header: the mechanism, its criterion and the monitoring campaign."""
    m = _data("mechanism")
    mon = _data("monitoring")["campaign"]
    approved_by = documents_by_id()["d02"]  # the Положение о МСОКО
    mechanism = Mechanism(
        title=m["title"],
        goal=m["goal"],
        tasks=m["tasks"],
        justification=[_document(d) for d in m["justification_documents"]],
        criteria=[(c["id"], c["name"]) for c in m["criteria"]],
        approved_by=approved_by,
    )
    campaign = MonitoringCampaign(
        title=mon["title"],
        frequency=mon["frequency"],
        description=mon["description"],
        deadlines=[
            Deadline(
                id=c["id"],
                what=c["what"],
                month=c.get("month"),
                day=c.get("day"),
                text=c.get("deadline_text", ""),
                responsible=c.get("responsible", ""),
                offset_years=c.get("offset_years", 0),
            )
            for c in mon["calendar"]
        ],
    )
    return ProfileInfo(
        id=PROFILE_ID,
        title="Система обеспечения профессионального развития педагогических работников",
        territory="Магнитогорский городской округ",
        region="Челябинская область",
        period_kind=PeriodKind.SCHOOL_YEAR,
        approved_by=approved_by,
        mechanism=mechanism,
        campaign=campaign,
        description=(
            "Положение (обновленное) о МСОКО в Магнитогорском ГО (приказ УО от 10.06.2021 "
            "№ УО-04/519), механизм «Система обеспечения профессионального развития "
            "педагогических работников»: показатели сетевого взаимодействия (ГПО, РЦ), "
            "мониторинговые мероприятия, документы управленческого цикла."
        ),
    )


@cache
def documents_by_id() -> dict[str, Document]:
    """The documents of the management cycle by their id in ``data/documents.yaml``:
    ``d01``… the registry per component, ``x01``… the worked example for the indicators on
    network interaction, in cycle order."""
    d = _data("documents")
    return {x["id"]: _document(x) for x in (*d["registry"], *d["chain"])}


def cycle_documents() -> tuple[Document, ...]:
    """The documents of the management cycle (see :func:`documents_by_id`)."""
    return tuple(documents_by_id().values())


def document_groups() -> list[dict[str, Any]]:
    """The three groups of the presentation (conceptual, procedural, management) with their
    components and the documents registered for each component."""
    d = _data("documents")
    out = []
    for group in d["groups"]:
        components = []
        for comp in group["components"]:
            docs = [x for x in d["registry"] if comp in x["components"]]
            components.append(
                {
                    "component": CycleComponent(comp),
                    "label": CycleComponent(comp).label,
                    "documents": [x["title"] for x in docs],
                    "confidence": sorted({x["confidence"] for x in docs}),
                }
            )
        out.append({"id": group["id"], "title": group["title"], "components": components})
    return out


def _cell(text: str) -> str:
    return text.replace("|", "\\|").replace("\n", " ")


def cycle_markdown() -> str:
    """The documents of the management cycle per group and component, and the worked example,
    as MyST Markdown for the profile's docs page."""
    d = _data("documents")
    confidence = {"high": "высокая", "medium": "средняя", "low": "низкая"}
    lines = []
    for group in document_groups():
        lines += [f"### {group['title']}", ""]
        lines += ["| Компонент | Документы | Уверенность отнесения |", "|---|---|---|"]
        for comp in group["components"]:
            docs = "; ".join(_cell(t) for t in comp["documents"])
            conf = ", ".join(confidence[c] for c in comp["confidence"])
            lines.append(f"| {comp['label']} | {docs} | {conf} |")
        lines.append("")
    lines += ["### Пример: группа показателей сетевого взаимодействия (ГПО, РЦ)", ""]
    lines += ["| Компоненты | Документ | Показатели |", "|---|---|---|"]
    for x in d["chain"]:
        comps = ", ".join(CycleComponent(c).label for c in x["components"])
        lines.append(f"| {comps} | {_cell(x['title'])} | {', '.join(x['indicators'])} |")
    return "\n".join(lines) + "\n"


def monitoring_activities() -> list[MonitoringActivity]:
    """Monitoring activities No 9 and No 10 of Раздел III."""
    return [
        MonitoringActivity(
            id=a["id"],
            number=a["number"],
            name=a["name"],
            type=_ACTIVITY_TYPES[a["type"]],
            period_text=a["period_text"],
            months=a["months"],
            frequency=a["frequency"],
            responsible=a["responsible"],
            output_document=a["output_document"],
            indicators=a["indicators"],
            notes=a["notes"],
        )
        for a in _data("monitoring")["activities"]
    ]


def planned_effects() -> list[PlannedEffect]:
    """Раздел IV: «устойчивое количество ГПО, в т.ч. ШМП и ПТГ»."""
    return [
        PlannedEffect(
            id=row["id"],
            number=row["number"],
            indicators=row["indicators"],
            criterion=row["criterion"],
            strong_state=row["text"] if row["state"] == "strong_state" else "",
            positive_dynamics=row["text"] if row["state"] == "positive_dynamics" else "",
        )
        for row in _data("planned_effects")["rows"]
    ]


def recommendations() -> list[dict[str, Any]]:
    """The targeted recommendations for ГПО leaders (verbatim), with the editorial trigger
    that says when each is issued — data for the recommendation rules of the analysis layer."""
    return list(_data("recommendations")["sets"])


def management_decisions() -> list[dict[str, Any]]:
    """The decisions of the pedagogical council of МУ ДПО «ЦПКИМР» on the ГПО (verbatim)."""
    chain = _data("documents")["chain"]
    return [dict(x) for doc in chain for x in doc.get("decisions", ())]


def gpo_dynamics(data: Dataset) -> pd.DataFrame:
    """Year-on-year change of the number of ГПО (m01) per municipality, with its reasons.

    The reasons are read from the associations table: the ``reason`` of every row whose status
    is a change (opened, transformed from ГМО, merged, closed) in that period, in order of
    appearance, without repeats.

    :param data: a dataset with the ``associations`` table (e.g. :func:`load_sample`).
    :returns: columns ``municipality_id, period, value, previous_value, change, opened,
        transformed, merged, closed, reasons`` (``reasons``: the texts joined by a space).
    """
    res = compute(PROFILE_ID, data, indicators=["m01"], levels=["municipality"])
    res = res[res["breakdown"].isna()]
    out = pd.DataFrame(
        {
            "municipality_id": res["unit"].astype(str).to_numpy(),
            "period": res["period"].astype(str).to_numpy(),
            "value": res["value"].to_numpy(),
            "previous_value": res["previous_value"].to_numpy(),
        }
    )
    out["change"] = out["value"] - out["previous_value"]
    assoc = data.table("associations")
    muni = data.organizations.set_index(data.organizations["org_id"].astype(str))["municipality_id"]
    changes = assoc[assoc["status"].isin(CHANGE_STATUSES)].assign(
        municipality_id=lambda f: f["org_id"].astype(str).map(muni).astype(str),
        period=lambda f: f["period"].astype(str),
    )
    keys = ["municipality_id", "period"]
    counts = changes.pivot_table(
        index=keys, columns="status", values="association_id", aggfunc="count"
    ).reindex(columns=list(CHANGE_STATUSES))
    reasons = (
        changes.dropna(subset=["reason"])
        .groupby(keys, sort=False)["reason"]
        .agg(lambda s: " ".join(dict.fromkeys(str(x) for x in s)))
    )
    out = out.merge(counts.reset_index(), on=keys, how="left").merge(
        reasons.rename("reasons").reset_index(), on=keys, how="left"
    )
    for status in CHANGE_STATUSES:
        out[status] = out[status].fillna(0).astype(int)
    out["reasons"] = out["reasons"].fillna("")
    return out


@hookimpl
def pedprof_register_profiles(register: Callable[[ProfileInfo], None]) -> None:
    """Register the Magnitogorsk profile."""
    register(profile_info())


@hookimpl
def pedprof_register_sources(register: Callable[[str, Source], None]) -> None:
    """Register the tables of associations and resource centres."""
    for source in SOURCES:
        register(PROFILE_ID, source)


@hookimpl
def pedprof_register_indicators(register: Callable[[str, Indicator], None]) -> None:
    """Register the МСОКО indicators and the site-check indicators."""
    for indicator in _indicators.indicators():
        register(PROFILE_ID, indicator)


@hookimpl
def pedprof_register_targets(register: Callable[[str, str, Target], None]) -> None:
    """Register the stable-count target of Раздел IV."""
    for indicator_id, target in _indicators.targets().items():
        register(PROFILE_ID, indicator_id, target)


@hookimpl
def pedprof_register_planned_effects(register: Callable[[str, PlannedEffect], None]) -> None:
    """Register the planned effect of Раздел IV."""
    for effect in planned_effects():
        register(PROFILE_ID, effect)


@hookimpl
def pedprof_register_monitoring_activities(
    register: Callable[[str, MonitoringActivity], None],
) -> None:
    """Register monitoring activities No 9 and No 10."""
    for activity in monitoring_activities():
        register(PROFILE_ID, activity)


@hookimpl
def pedprof_register_documents(register: Callable[[str, Document], None]) -> None:
    """Register the documents of the management cycle and the grounds of the mechanism."""
    info = profile_info()
    assert info.mechanism is not None
    for doc in cycle_documents():
        register(PROFILE_ID, doc)
    for doc in info.mechanism.justification:
        register(PROFILE_ID, doc)


@hookimpl
def pedprof_register_recommendation_rules(register: Callable[[str, Any], None]) -> None:
    """Register the targeted-recommendation rules (ИАС on ГПО, order on РЦ, council)."""
    for rule in _recommendations.rules():
        register(PROFILE_ID, rule)


@hookimpl
def pedprof_sample_data(profile_id: str) -> Dataset | None:
    """The bundled synthetic sample."""
    return load_sample() if profile_id == PROFILE_ID else None
