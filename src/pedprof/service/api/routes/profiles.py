"""``/profiles``: the installed profiles and their declarations (indicators, targets,
sources, the JSON Schema of each table), and blank forms."""

from __future__ import annotations

import tempfile
from typing import Annotated, Any, Literal

from fastapi import APIRouter, Query
from fastapi.responses import Response

from pedprof.io import json_schema, write_form
from pedprof.plugins import list_profiles
from pedprof.service.api.common import MEDIA, jsonable
from pedprof.service.api.deps import ReaderActor, StoreDep, UploaderActor
from pedprof.service.problems import Forbidden, NotFound
from pedprof.service.store import Store

router = APIRouter(prefix="/profiles", tags=["profiles"])


@router.get("", summary="Установленные профили")
def profiles(actor: ReaderActor) -> list[dict[str, Any]]:
    """Every installed profile: id, title, territory, version, period kind."""
    return [_summary(p) for p in list_profiles()]


def _summary(p: Any) -> dict[str, Any]:
    return {
        "id": p.id,
        "title": p.title,
        "territory": p.info.territory,
        "version": p.version,
        "distribution": p.distribution,
        "period_kind": p.info.period_kind.value,
        "indicators": len(p.indicators),
    }


@router.get("/{profile_id}", summary="Профиль")
def profile(profile_id: str, actor: ReaderActor) -> dict[str, Any]:
    """The profile's summary with its criteria."""
    p = Store.profile(profile_id)
    return {**_summary(p), "criteria": jsonable(getattr(p, "criteria", ()))}


@router.get("/{profile_id}/indicators", summary="Показатели профиля")
def indicators(profile_id: str, actor: ReaderActor) -> list[Any]:
    """Every indicator's declaration (numerator, denominator, window, texts …)."""
    return [jsonable(i) for i in Store.profile(profile_id).indicators]


@router.get("/{profile_id}/targets", summary="Целевые значения")
def targets(profile_id: str, actor: ReaderActor) -> list[Any]:
    """Every target with its source document."""
    p = Store.profile(profile_id)
    return [jsonable(t) for t in getattr(p, "targets", ())]


@router.get("/{profile_id}/sources", summary="Источники данных (таблицы)")
def sources(profile_id: str, actor: ReaderActor) -> list[Any]:
    """Every declared table with its fields."""
    return [jsonable(s) for s in Store.profile(profile_id).sources]


@router.get("/{profile_id}/schema", summary="JSON Schema таблиц")
def schema(
    profile_id: str,
    actor: ReaderActor,
    table: Annotated[str | None, Query(max_length=100)] = None,
) -> dict[str, Any]:
    """The JSON Schema of every table (or of ``table``), as platforms submit rows."""
    p = Store.profile(profile_id)
    try:
        return json_schema(p, table)
    except KeyError as exc:
        raise NotFound(str(exc.args[0])) from exc


@router.get(
    "/{profile_id}/form",
    summary="Бланк формы",
    response_class=Response,
    responses={200: {"content": {MEDIA["xlsx"]: {}}}},
)
def form(
    profile_id: str,
    actor: UploaderActor,
    store: StoreDep,
    kind: Literal["organization", "municipality", "register"] = "organization",
    unit_id: Annotated[str | None, Query(max_length=100)] = None,
    period: Annotated[str | None, Query(max_length=40)] = None,
) -> Response:
    """A blank form (.xlsx) for an organisation (municipality) and a period. A school's
    link gets only its own organisation's form for its campaign's period."""
    p = Store.profile(profile_id)
    unit_name = None
    if actor.role == "organization":
        campaign = store.campaign(actor.campaign_id or 0)
        if kind != "organization" or campaign.profile_id != p.id:
            raise Forbidden("По ссылке доступна только форма вашей организации.")
        unit_id, period = actor.org_id, campaign.period
    if unit_id:
        reg = store.register(p)
        if reg is not None:
            orgs = reg[0].organizations
            names = dict(zip(orgs["org_id"].astype(str), orgs["name"].astype(str), strict=True))
            unit_name = names.get(unit_id)
    try:
        with tempfile.TemporaryDirectory() as tmp:
            path = write_form(
                p,
                f"{tmp}/form.xlsx",
                kind=kind,
                unit_id=unit_id,
                unit_name=unit_name,
                period=period,
            )
            content = path.read_bytes()
    except (ValueError, LookupError) as exc:
        raise NotFound(str(exc)) from exc
    name = f"{p.id}-{unit_id or kind}-{period or ''}.xlsx".replace("--", "-")
    return Response(
        content,
        media_type=MEDIA["xlsx"],
        headers={"Content-Disposition": f'attachment; filename="{name}"'},
    )
