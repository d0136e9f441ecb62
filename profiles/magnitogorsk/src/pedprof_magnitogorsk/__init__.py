"""pedprof profile: Magnitogorsk urban district (Магнитогорский городской округ, Челябинская область).

The profile is the declaration file ``profile.yaml`` next to this module: the mechanism
«Система обеспечения профессионального развития педагогических работников» of the Положение о
МСОКО (приказ УО от 10.06.2021 № УО-04/519) as the presentation of МУ ДПО «ЦПКИМР» of
20.04.2022 shows it: the ФИОКО criterion on network interaction and its two МСОКО indicators
(ГПО and РЦ), the site checks of the monitoring activities No 9 and 10, the planned effect
«устойчивое количество ГПО» with its stable-count target, the documents of the management
cycle per component, the two tables and the bundled sample.

Python is kept only for what a declaration file cannot express:

* the targeted-recommendation rules (:mod:`.recommendations`, with a rule class of its own):
  a file cannot declare recommendation rules yet;
* data for the docs page and the analysis that are not declarations the core reads: the
  presentation's grouping of the cycle documents (:func:`document_groups`,
  :func:`cycle_markdown`), the council's decisions (:func:`management_decisions`), the
  recommendations as printed (:func:`recommendations`) and the reasons of the changes in the
  number of ГПО (:func:`gpo_dynamics`).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from functools import cache
from importlib import resources
from pathlib import Path
from typing import Any

import pandas as pd
import yaml

from pedprof import CycleComponent, Dataset, Document, compute, hookimpl
from pedprof.model.profile_file import load_profile_file
from pedprof.plugins.files import load_file_sample

from . import recommendations as _recommendations

PROFILE_ID = "magnitogorsk"
#: The profile's declaration file.
PROFILE_FILE = Path(str(resources.files(__name__).joinpath("profile.yaml")))

__all__ = [
    "PROFILE_FILE",
    "PROFILE_ID",
    "cycle_documents",
    "cycle_markdown",
    "document_groups",
    "documents_by_id",
    "gpo_dynamics",
    "load_sample",
    "management_decisions",
    "recommendations",
]

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


def load_sample() -> Dataset:
    """The synthetic sample (``data/sample``, declared in the file): 17 organisations, school
    years 2018-2019 … 2021-2022."""
    data = load_file_sample(load_profile_file(PROFILE_FILE))
    assert data is not None
    return data


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

    :param data: a dataset with the ``associations`` table (e.g.
        ``pedprof.load_sample("magnitogorsk")``).
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
def pedprof_register_profile_files(register: Callable[..., None]) -> None:
    """Register the declaration file: everything the core reads about the profile."""
    register(PROFILE_FILE)


@hookimpl
def pedprof_register_recommendation_rules(register: Callable[[str, Any], None]) -> None:
    """Register the targeted-recommendation rules (ИАС on ГПО, order on РЦ, council).

    In Python because a declaration file cannot declare recommendation rules yet."""
    for rule in _recommendations.rules():
        register(PROFILE_ID, rule)
