"""``/campaigns``: collections of one profile's data for one period; the register of
units; schools' upload links; the submission register."""

from __future__ import annotations

import datetime as dt
from typing import Annotated, Any

from fastapi import APIRouter, File, Query, UploadFile
from pydantic import BaseModel, Field
from sqlalchemy import select
from sqlalchemy.exc import IntegrityError

from pedprof.model.periods import parse_period
from pedprof.service.api.common import frame_response
from pedprof.service.api.deps import (
    ReaderActor,
    RegionActor,
    RowId,
    SessionDep,
    StaffActor,
    StoreDep,
)
from pedprof.service.db import aware
from pedprof.service.models import Campaign, UploadLink, utcnow
from pedprof.service.problems import Conflict, Forbidden, NotFound, Unprocessable
from pedprof.service.security import new_token
from pedprof.service.store import Store, frame_records

router = APIRouter(tags=["campaigns"])


class CampaignIn(BaseModel):
    """A new campaign."""

    profile_id: str = Field(max_length=100)
    period: str = Field(max_length=40)


class CampaignOut(BaseModel):
    """A campaign."""

    id: int
    profile_id: str
    period: str
    is_open: bool
    created_at: dt.datetime


class CampaignPatch(BaseModel):
    """Open or close a campaign."""

    is_open: bool


class LinkIn(BaseModel):
    """A new upload link for an organisation."""

    org_id: str = Field(max_length=100)
    days: int | None = Field(None, ge=1, le=730)


class LinkOut(BaseModel):
    """An upload link; ``token`` is shown only when it is created."""

    id: int
    campaign_id: int
    org_id: str
    expires_at: dt.datetime
    revoked: bool
    token: str | None = None


def _campaign_out(c: Campaign) -> CampaignOut:
    return CampaignOut(
        id=c.id,
        profile_id=c.profile_id,
        period=c.period,
        is_open=c.is_open,
        created_at=aware(c.created_at) or c.created_at,
    )


@router.put("/profiles/{profile_id}/register", summary="Загрузить реестр организаций")
def put_register(
    profile_id: str,
    actor: RegionActor,
    store: StoreDep,
    file: Annotated[UploadFile, File(description="Форма реестра (.xlsx) или CSV")],
) -> dict[str, Any]:
    """The register of regions, municipalities and organisations (the ``register`` form);
    the latest upload is the current register (earlier ones are kept)."""
    p = store.profile(profile_id)
    content = file.file.read()
    row, result = store.put_register(
        p, actor, filename=file.filename or "register.xlsx", content=content
    )
    return {
        "id": row.id,
        "summary": result.summary(),
        "organizations": len(row.tables["organizations"]),
        "municipalities": len(row.tables["municipalities"]),
    }


@router.get("/profiles/{profile_id}/register", summary="Реестр организаций")
def get_register(profile_id: str, actor: ReaderActor, store: StoreDep) -> dict[str, Any]:
    """The current register, limited to the units the actor sees."""
    p = store.profile(profile_id)
    reg = store.register(p)
    if reg is None:
        raise NotFound(f"Для профиля «{profile_id}» реестр организаций не загружен.")
    data, units = reg
    orgs = data.organizations
    munis = data.municipalities
    orgs = orgs[[actor.sees("organization", str(o), units) for o in orgs["org_id"]]]
    munis = munis[[actor.sees("municipality", str(m), units) for m in munis["municipality_id"]]]
    return {"organizations": frame_records(orgs), "municipalities": frame_records(munis)}


@router.post("/campaigns", response_model=CampaignOut, status_code=201, summary="Открыть сбор")
def create_campaign(body: CampaignIn, actor: RegionActor, session: SessionDep) -> CampaignOut:
    """Open the collection of a profile's data for a period."""
    p = Store.profile(body.profile_id)
    try:
        label = parse_period(body.period, p.info.period_kind).label
    except (ValueError, TypeError) as exc:
        raise Unprocessable(f"Период «{body.period}» не распознан: {exc}") from exc
    c = Campaign(profile_id=p.id, period=label, created_by=actor.label)
    session.add(c)
    try:
        session.commit()
    except IntegrityError as exc:
        session.rollback()
        raise Conflict(f"Сбор за {label} по профилю «{p.id}» уже открыт.") from exc
    return _campaign_out(c)


@router.get("/campaigns", response_model=list[CampaignOut], summary="Кампании сбора")
def campaigns(
    actor: ReaderActor,
    session: SessionDep,
    profile_id: Annotated[str | None, Query(max_length=100)] = None,
) -> list[CampaignOut]:
    """Every campaign (of a profile)."""
    q = select(Campaign).order_by(Campaign.profile_id, Campaign.period)
    if profile_id:
        q = q.where(Campaign.profile_id == profile_id)
    return [_campaign_out(c) for c in session.scalars(q)]


@router.get("/campaigns/{campaign_id}", response_model=CampaignOut, summary="Кампания")
def campaign(campaign_id: RowId, actor: ReaderActor, store: StoreDep) -> CampaignOut:
    """One campaign."""
    return _campaign_out(store.campaign(campaign_id))


@router.patch("/campaigns/{campaign_id}", response_model=CampaignOut, summary="Закрыть/открыть")
def patch_campaign(
    campaign_id: RowId, body: CampaignPatch, actor: RegionActor, session: SessionDep
) -> CampaignOut:
    """Close a campaign (uploads refused) or open it again."""
    c = session.get(Campaign, campaign_id)
    if c is None:
        raise NotFound(f"Кампания сбора № {campaign_id} не найдена.")
    c.is_open = body.is_open
    session.commit()
    return _campaign_out(c)


@router.get("/campaigns/{campaign_id}/register", summary="Реестр представления сведений")
def campaign_register(
    campaign_id: RowId,
    actor: ReaderActor,
    store: StoreDep,
    format: Annotated[str, Query(pattern="^(json|csv)$")] = "json",
    today: Annotated[dt.date | None, Query()] = None,
) -> Any:
    """Per unit: submitted on time, late, not yet, or with errors (the store's receipt
    time), for the units the actor sees."""
    c = store.campaign(campaign_id)
    p = store.profile(c.profile_id)
    units = store.units(p)
    frame = store.submission_register(p, [c.period], today=today)
    keep = [
        actor.sees(str(lv), str(u), units)
        for lv, u in zip(frame["level"], frame["unit_id"], strict=True)
    ]
    frame = frame[keep] if len(frame) else frame
    return frame_response(frame, format, name=f"register-{c.period}", extra={"period": c.period})


@router.post(
    "/campaigns/{campaign_id}/links",
    response_model=LinkOut,
    status_code=201,
    summary="Ссылка для загрузки",
)
def create_link(
    campaign_id: RowId, body: LinkIn, actor: StaffActor, store: StoreDep, session: SessionDep
) -> LinkOut:
    """A school's upload link for this campaign; the token is shown only now."""
    c = store.campaign(campaign_id)
    units = store.units(store.profile(c.profile_id))
    if body.org_id not in units.org_municipality:
        raise NotFound(f"Организация «{body.org_id}» не найдена в реестре.")
    if not actor.sees("organization", body.org_id, units):
        raise Forbidden("Организация не относится к вашему муниципалитету.")
    token, digest = new_token("pl")
    days = body.days or 60
    link = UploadLink(
        token_hash=digest,
        campaign_id=c.id,
        org_id=body.org_id,
        municipality_id=units.org_municipality[body.org_id],
        expires_at=utcnow() + dt.timedelta(days=days),
        created_by=actor.label,
    )
    session.add(link)
    session.commit()
    return LinkOut(
        id=link.id,
        campaign_id=c.id,
        org_id=link.org_id,
        expires_at=aware(link.expires_at) or link.expires_at,
        revoked=False,
        token=token,
    )


@router.get("/campaigns/{campaign_id}/links", response_model=list[LinkOut], summary="Ссылки")
def links(
    campaign_id: RowId, actor: StaffActor, store: StoreDep, session: SessionDep
) -> list[LinkOut]:
    """The campaign's upload links of the organisations the actor sees (without tokens)."""
    c = store.campaign(campaign_id)
    units = store.units(store.profile(c.profile_id))
    rows = session.scalars(select(UploadLink).where(UploadLink.campaign_id == c.id))
    return [
        LinkOut(
            id=r.id,
            campaign_id=r.campaign_id,
            org_id=r.org_id,
            expires_at=aware(r.expires_at) or r.expires_at,
            revoked=r.revoked_at is not None,
        )
        for r in rows
        if actor.sees("organization", r.org_id, units)
    ]


@router.delete("/links/{link_id}", status_code=204, summary="Отозвать ссылку")
def revoke_link(link_id: RowId, actor: StaffActor, store: StoreDep, session: SessionDep) -> None:
    """Revoke an upload link: it is refused from now on."""
    link = session.get(UploadLink, link_id)
    if link is None:
        raise NotFound(f"Ссылка № {link_id} не найдена.")
    c = store.campaign(link.campaign_id)
    if not actor.sees("organization", link.org_id, store.units(store.profile(c.profile_id))):
        raise NotFound(f"Ссылка № {link_id} не найдена.")
    link.revoked_at = utcnow()
    session.commit()
