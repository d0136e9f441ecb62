"""The pages: sign-in, campaign, a school's upload page, results, rating,
recommendations, ИАС, calendar, cycle and roadmap."""

from __future__ import annotations

import datetime as dt
import io
import os
import shutil
import subprocess
import urllib.parse
from collections.abc import Callable, Coroutine
from pathlib import Path
from typing import Annotated, Any

import pandas as pd
from fastapi import APIRouter, Depends, File, Form, Request, UploadFile
from fastapi.responses import FileResponse, HTMLResponse, RedirectResponse, Response
from fastapi.routing import APIRoute
from fastapi.templating import Jinja2Templates
from sqlalchemy import select

from pedprof.errors import PedprofError
from pedprof.service.actors import Actor, Units
from pedprof.service.api.deps import COOKIE_NAME, ServiceDep, SessionDep, StoreDep, actor_from_token
from pedprof.service.db import aware
from pedprof.service.models import Campaign, Job, UploadLink, utcnow
from pedprof.service.pages import _auth
from pedprof.service.pages._format import (
    days_word,
    ru_change,
    ru_date,
    ru_datetime,
    ru_number,
    ru_percent,
    ru_result,
    ru_size,
)
from pedprof.service.pages._svg import history_svg
from pedprof.service.problems import Forbidden, NotFound, ServiceError, TooLarge
from pedprof.service.security import new_token
from pedprof.service.sessions import close_session, open_session
from pedprof.service.store import Store

__all__ = ["PAGES_PREFIX", "router"]

PAGES_PREFIX = "/app"
HERE = Path(__file__).parent

templates = Jinja2Templates(directory=str(HERE / "templates"))
templates.env.filters.update(
    number=ru_number,
    percent=ru_percent,
    date=ru_date,
    datetime=ru_datetime,
    size=ru_size,
)
templates.env.globals.update(prefix=PAGES_PREFIX, days_word=days_word)

LEVEL_NAMES = {"region": "Регион", "municipality": "Муниципалитет", "organization": "Организация"}
STATUS_CLASS = {
    "on_time": "ok",
    "late": "late",
    "missing": "missing",
    "errors": "bad",
}
STATUS_NAMES = {
    "on_time": "представлено в срок",
    "late": "представлено с опозданием",
    "missing": "не представлено",
    "errors": "с ошибками",
}
VERSION_STATUS = {
    "accepted": "принято",
    "partial": "принято частично",
    "rejected": "не принято",
}
ROADMAP_STATUSES = {
    "": "не отмечено",
    "done": "выполнено",
    "partly_done": "выполнено частично",
    "in_progress": "выполняется",
    "not_done": "не выполнено",
    "not_required": "не потребовалось",
}


class SignIn(Exception):
    """The page needs a signed-in methodologist."""


class PageRoute(APIRoute):
    """Errors of a page are answered as a page in Russian, not as problem details."""

    def get_route_handler(self) -> Callable[[Request], Coroutine[Any, Any, Response]]:
        handler = super().get_route_handler()

        async def route(request: Request) -> Response:
            try:
                return await handler(request)
            except SignIn:
                back = urllib.parse.quote(request.url.path)
                return RedirectResponse(f"{PAGES_PREFIX}/login?next={back}", status_code=303)
            except ServiceError as exc:
                return error_page(request, exc.status, str(exc))
            except PedprofError as exc:
                return error_page(request, 422, str(exc))

        return route


router = APIRouter(route_class=PageRoute, include_in_schema=False)


def error_page(request: Request, status: int, message: str) -> HTMLResponse:
    titles = {
        401: "Требуется вход",
        403: "Доступ запрещён",
        404: "Страница не найдена",
        409: "Действие недоступно",
        413: "Слишком большой файл",
    }
    return templates.TemplateResponse(
        request,
        "error.html",
        {"title": titles.get(status, "Ошибка"), "message": message, "actor": None},
        status_code=status,
    )


# ------------------------------------------------------------------------------ who is asking


class Staff:
    """A signed-in methodologist on a page, with the page's CSRF token."""

    def __init__(self, actor: Actor, token: str) -> None:
        self.actor = actor
        self.csrf = _auth.csrf_for(token)
        self._token = token

    def check(self, given: str | None) -> None:
        if not _auth.csrf_ok(self._token, given):
            raise Forbidden(
                "Форма устарела или отправлена не со страницы системы: обновите страницу и "
                "повторите действие."
            )


def staff(request: Request, session: SessionDep) -> Staff:
    found = _auth.page_actor(request, session)
    if found is None:
        raise SignIn
    return Staff(*found)


StaffDep = Annotated[Staff, Depends(staff)]
CsrfField = Annotated[str, Form(max_length=200)]


def render(
    request: Request, name: str, me: Staff | None, status_code: int = 200, **context: Any
) -> HTMLResponse:
    context.setdefault("profile_id", None)
    return templates.TemplateResponse(
        request,
        name,
        {
            "actor": None if me is None else me.actor,
            "csrf": None if me is None else me.csrf,
            **context,
        },
        status_code=status_code,
    )


def base_url(request: Request, public: str) -> str:
    return (public or str(request.base_url)).rstrip("/")


def unit_names(store: Store, profile_id: str) -> dict[str, str]:
    reg = store.register(store.profile(profile_id))
    if reg is None:
        return {}
    data = reg[0]
    names: dict[str, str] = {}
    for frame, col in (
        (data.organizations, "org_id"),
        (data.municipalities, "municipality_id"),
        (data.regions, "region_id"),
    ):
        if col in frame.columns and "name" in frame.columns:
            names.update(zip(frame[col].astype(str), frame["name"].astype(str), strict=True))
    return names


# ------------------------------------------------------------------------------ sign-in


@router.get("/")
def home(request: Request, session: SessionDep) -> Response:
    if _auth.page_actor(request, session) is None:
        return RedirectResponse(f"{PAGES_PREFIX}/login", status_code=303)
    return RedirectResponse(f"{PAGES_PREFIX}/campaigns", status_code=303)


@router.get("/login")
def login_page(request: Request, next: str = "") -> HTMLResponse:
    token = request.cookies.get(_auth.LOGIN_CSRF_COOKIE) or _auth.new_login_csrf()
    response = render(request, "login.html", None, login_csrf=token, next=next, error=None)
    response.set_cookie(_auth.LOGIN_CSRF_COOKIE, token, httponly=True, samesite="strict")
    return response


def _safe_next(next: str) -> str:
    return next if next.startswith(PAGES_PREFIX + "/") and "//" not in next else ""


@router.post("/login")
def login(
    request: Request,
    session: SessionDep,
    service: ServiceDep,
    username: Annotated[str, Form(max_length=100)],
    password: Annotated[str, Form(max_length=200)],
    csrf_token: Annotated[str, Form()] = "",
    next: Annotated[str, Form(max_length=300)] = "",
) -> Response:
    cookie = request.cookies.get(_auth.LOGIN_CSRF_COOKIE, "")
    if not cookie or not _auth.hmac.compare_digest(cookie, csrf_token):
        return error_page(
            request,
            403,
            "Форма входа устарела или отправлена не со страницы системы: откройте страницу "
            "входа заново.",
        )
    opened = open_session(session, username, password, service.settings.session_hours)
    if opened is None:
        return render(
            request,
            "login.html",
            None,
            status_code=401,
            login_csrf=cookie,
            next=next,
            error="Неверное имя пользователя или пароль.",
        )
    token, _ = opened
    redirect = RedirectResponse(_safe_next(next) or f"{PAGES_PREFIX}/campaigns", status_code=303)
    redirect.set_cookie(
        COOKIE_NAME,
        token,
        httponly=True,
        samesite="strict",
        secure=service.settings.public_url.startswith("https"),
        max_age=int(service.settings.session_hours * 3600),
    )
    redirect.delete_cookie(_auth.LOGIN_CSRF_COOKIE)
    return redirect


@router.post("/logout")
def logout(me: StaffDep, session: SessionDep, csrf_token: CsrfField = "") -> Response:
    me.check(csrf_token)
    close_session(session, me.actor)
    response = RedirectResponse(f"{PAGES_PREFIX}/login", status_code=303)
    response.delete_cookie(COOKIE_NAME)
    return response


# ------------------------------------------------------------------------------ campaigns


def _visible_campaigns(session: Any, store: Store, actor: Actor) -> list[Campaign]:
    return list(session.scalars(select(Campaign).order_by(Campaign.profile_id, Campaign.period)))


@router.get("/campaigns")
def campaigns(request: Request, me: StaffDep, session: SessionDep, store: StoreDep) -> Response:
    rows = _visible_campaigns(session, store, me.actor)
    if len(rows) == 1:
        return RedirectResponse(f"{PAGES_PREFIX}/campaigns/{rows[0].id}", status_code=303)
    return render(request, "campaigns.html", me, campaigns=rows)


def _register(store: Store, c: Campaign, actor: Actor) -> tuple[list[dict[str, Any]], Any]:
    p = store.profile(c.profile_id)
    units = store.units(p)
    frame = store.submission_register(p, [c.period])
    current = Store.current(store.versions(campaign_id=c.id))
    rows = []
    deadline = None
    for rec in frame.to_dict("records"):
        level, unit = str(rec["level"]), str(rec["unit_id"])
        if not actor.sees(level, unit, units):
            continue
        if level == "organization" and rec.get("deadline") is not None and deadline is None:
            deadline = rec["deadline"]
        status = str(rec["status"])
        v = current.get((c.id, unit))
        if v is not None and v.status != "accepted":
            status = "errors"
        elif status not in STATUS_NAMES:
            status = "late" if status.startswith("late") else status
        rec["state"] = status
        rec["state_name"] = STATUS_NAMES.get(status, str(rec.get("status_label") or status))
        rec["state_class"] = STATUS_CLASS.get(status, "missing")
        rec["version"] = v
        rows.append(rec)
    return rows, deadline


@router.get("/campaigns/{campaign_id}")
def campaign_page(
    request: Request,
    campaign_id: int,
    me: StaffDep,
    store: StoreDep,
    session: SessionDep,
    service: ServiceDep,
) -> Response:
    c = store.campaign(campaign_id)
    rows, deadline = _register(store, c, me.actor)
    d = None if deadline is None else pd.Timestamp(deadline).date()
    today = dt.date.today()
    left = None if d is None else (d - today).days
    counts = {k: sum(r["state"] == k for r in rows) for k in STATUS_NAMES}
    missing = [r for r in rows if r["state"] in ("missing", "errors")]
    links = [
        link
        for link in session.scalars(
            select(UploadLink).where(UploadLink.campaign_id == c.id).order_by(UploadLink.id)
        )
        if me.actor.sees("organization", link.org_id, store.units(store.profile(c.profile_id)))
    ]
    active = {
        link.org_id: link
        for link in links
        if link.revoked_at is None and (aware(link.expires_at) or utcnow()) > utcnow()
    }
    return render(
        request,
        "campaign.html",
        me,
        profile_id=c.profile_id,
        campaign=c,
        rows=rows,
        deadline=d,
        days_left=left,
        counts=counts,
        status_names=STATUS_NAMES,
        missing=missing,
        active_links=active,
        new_link=None,
    )


@router.post("/campaigns/{campaign_id}/links")
def create_link(
    *,
    request: Request,
    campaign_id: int,
    me: StaffDep,
    store: StoreDep,
    session: SessionDep,
    service: ServiceDep,
    csrf_token: CsrfField = "",
    org_id: Annotated[str, Form(max_length=100)],
) -> Response:
    me.check(csrf_token)
    c = store.campaign(campaign_id)
    units = store.units(store.profile(c.profile_id))
    if org_id not in units.org_municipality or not me.actor.sees("organization", org_id, units):
        raise NotFound(f"Организация «{org_id}» не найдена в реестре.")
    token, digest = new_token("pl")
    link = UploadLink(
        token_hash=digest,
        campaign_id=c.id,
        org_id=org_id,
        municipality_id=units.org_municipality[org_id],
        expires_at=utcnow() + dt.timedelta(days=service.settings.link_days),
        created_by=me.actor.label,
    )
    session.add(link)
    session.commit()
    url = f"{base_url(request, service.settings.public_url)}{PAGES_PREFIX}/s/{token}"
    _, deadline = _register(store, c, me.actor)
    d = None if deadline is None else pd.Timestamp(deadline).date()
    name = unit_names(store, c.profile_id).get(org_id, org_id)
    p = store.profile(c.profile_id)
    letter = (
        f"Уважаемые коллеги!\n\n"
        f"Просим до {ru_date(d)} представить сведения мониторинга «{p.title}» "
        f"за {c.period} учебный год по организации «{name}».\n\n"
        f"1. Откройте ссылку: {url}\n"
        "2. Скачайте бланк формы, заполните его и загрузите заполненный файл на той же "
        "странице.\n"
        "3. Результат проверки появится сразу; если в файле есть ошибки, исправьте указанные "
        "ячейки и загрузите файл ещё раз.\n\n"
        f"Ссылка действует до {ru_date(aware(link.expires_at))}. Не пересылайте её другим "
        "организациям: по ней принимаются только сведения вашей организации.\n\n"
        "Методический кабинет"
    )
    return render(
        request,
        "link.html",
        me,
        profile_id=c.profile_id,
        campaign=c,
        org_id=org_id,
        org_name=name,
        url=url,
        letter=letter,
        expires=aware(link.expires_at),
    )


# ------------------------------------------------------------------------------ a school's page


class School:
    """A school's upload link on its page."""

    def __init__(self, actor: Actor, token: str, campaign: Campaign) -> None:
        self.actor = actor
        self.token = token
        self.campaign = campaign
        self.csrf = _auth.csrf_for(token)


def school(token: str, session: SessionDep, store: StoreDep) -> School:
    actor = actor_from_token(session, token)
    session.rollback()
    if actor is None or actor.role != "organization" or actor.campaign_id is None:
        raise NotFound(
            "Ссылка недействительна: срок её действия истёк или она отозвана. Обратитесь в "
            "методический кабинет за новой ссылкой."
        )
    return School(actor, token, store.campaign(actor.campaign_id))


SchoolDep = Annotated[School, Depends(school)]


def column_letters(profile: Any) -> dict[tuple[str, str], str]:
    """(table, column label) → the column's letter in the profile's form sheet."""
    from openpyxl.utils import get_column_letter

    from pedprof.io.forms import table_fields

    out: dict[tuple[str, str], str] = {}
    for source in profile.sources:
        for j, f in enumerate(table_fields(source), start=1):
            out[(source.name, f.label)] = get_column_letter(j)
            out[(source.name, f.name)] = get_column_letter(j)
    return out


def _row_number(row: Any) -> int | None:
    try:
        n = int(row)
    except (TypeError, ValueError):
        return None
    return n if n > 0 else None


def error_groups(
    errors: list[dict[str, Any]], letters: dict[tuple[str, str], str]
) -> list[dict[str, Any]]:
    """Errors grouped by sheet, then row, each with the cell to fix (``D4``) when the
    column is one of the form's."""
    by_sheet: dict[str, dict[int | None, list[dict[str, Any]]]] = {}
    for e in errors:
        sheet = str(e.get("sheet") or e.get("table") or "Файл")
        row = _row_number(e.get("row"))
        col = str(e.get("column") or "")
        letter = letters.get((str(e.get("table") or ""), col))
        if letter and row:
            cell = f"{letter}{row}"
        elif col and row:
            cell = f"{col}, строка {row}"
        else:
            cell = col
        by_sheet.setdefault(sheet, {}).setdefault(row, []).append(
            {
                "severity": "ошибка" if e.get("severity") == "error" else "замечание",
                "cell": cell,
                "column": col,
                "message": str(e.get("message") or ""),
            }
        )
    return [
        {
            "sheet": sheet,
            "rows": [
                {"row": row, "items": items}
                for row, items in sorted(rows.items(), key=lambda kv: (kv[0] is None, kv[0] or 0))
            ],
        }
        for sheet, rows in by_sheet.items()
    ]


def _school_context(s: School, store: Store) -> dict[str, Any]:
    c = s.campaign
    org = str(s.actor.org_id)
    versions = [v for v in store.versions(campaign_id=c.id, unit_id=org)]
    names = unit_names(store, c.profile_id)
    p = store.profile(c.profile_id)
    reg_frame = store.submission_register(p, [c.period])
    deadline = None
    for rec in reg_frame.to_dict("records"):
        if str(rec["unit_id"]) == org:
            deadline = rec.get("deadline")
    return {
        "school": s,
        "org_name": names.get(org, org),
        "profile_title": p.title,
        "versions": list(reversed(list(enumerate(versions, 1)))),
        "version_status": VERSION_STATUS,
        "deadline": None if deadline is None else pd.Timestamp(deadline).date(),
        "csrf": s.csrf,
    }


@router.get("/s/{token}")
def school_page(request: Request, s: SchoolDep, store: StoreDep) -> Response:
    ctx = _school_context(s, store)
    return render(request, "school.html", None, result=None, groups=[], **ctx)


@router.get("/s/{token}/form")
def school_form(s: SchoolDep, store: StoreDep) -> Response:
    from pedprof.io import write_form

    c = s.campaign
    p = store.profile(c.profile_id)
    org = str(s.actor.org_id)
    import tempfile

    with tempfile.TemporaryDirectory() as tmp:
        path = write_form(
            p,
            f"{tmp}/form.xlsx",
            kind="organization",
            unit_id=org,
            unit_name=unit_names(store, p.id).get(org),
            period=c.period,
        )
        content = path.read_bytes()
    return Response(
        content,
        media_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
        headers={"Content-Disposition": f'attachment; filename="{p.id}-{org}-{c.period}.xlsx"'},
    )


@router.post("/s/{token}")
def school_upload(
    *,
    request: Request,
    s: SchoolDep,
    store: StoreDep,
    csrf_token: CsrfField = "",
    file: Annotated[UploadFile, File()],
) -> Response:
    if not _auth.csrf_ok(s.token, csrf_token):
        raise Forbidden("Форма устарела: обновите страницу и загрузите файл ещё раз.")
    content = file.file.read(store.max_upload_bytes + 1)
    if len(content) > store.max_upload_bytes:
        raise TooLarge(
            f"Файл больше допустимого размера ({store.max_upload_bytes / 2**20:.0f} МБ)."
        )
    refused = None
    version = None
    try:
        version, _ = store.submit(
            s.campaign, s.actor, filename=file.filename or "form.xlsx", content=content
        )
    except ServiceError as exc:
        refused = str(exc)
    except PedprofError as exc:
        refused = str(exc)
    ctx = _school_context(s, store)
    errors = list(version.check.get("errors", [])) if version is not None else []
    return render(
        request,
        "school.html",
        None,
        status_code=200 if refused is None else 422,
        result=version,
        refused=refused,
        groups=error_groups(errors, column_letters(store.profile(s.campaign.profile_id))),
        **ctx,
    )


@router.get("/s/{token}/v/{version_id}")
def school_version(request: Request, version_id: int, s: SchoolDep, store: StoreDep) -> Response:
    v = store.version(version_id)
    if v.unit_id != s.actor.org_id or v.campaign_id != s.campaign.id:
        raise NotFound(f"Представление № {version_id} не найдено.")
    ctx = _school_context(s, store)
    return render(
        request,
        "school.html",
        None,
        result=v,
        refused=None,
        groups=error_groups(
            list(v.check.get("errors", [])), column_letters(store.profile(v.profile_id))
        ),
        **ctx,
    )


# ------------------------------------------------------------------------------ results


def _units(store: Store, profile_id: str) -> Units:
    return store.units(store.profile(profile_id))


def _periods(frame: pd.DataFrame) -> list[str]:
    return sorted({str(p) for p in frame["period"].dropna()})


def _start(actor: Actor, units: Units) -> tuple[str, str]:
    if actor.municipality_id:
        return "municipality", actor.municipality_id
    return "region", str(actor.region_id)


def _results_table(
    store: Store, profile_id: str, actor: Actor, level: str, unit: str, period: str | None
) -> tuple[pd.DataFrame, list[str], str | None]:
    year = store.monitoring(profile_id)
    units = _units(store, profile_id)
    if not actor.sees(level, unit, units):
        raise NotFound("Нет такой территории или организации среди доступных вам.")
    frame = year.results()
    frame = frame[frame["breakdown"].isna()] if "breakdown" in frame.columns else frame
    periods = _periods(frame)
    period = period if period in periods else (periods[-1] if periods else None)
    part = frame[
        (frame["level"] == level)
        & (frame["unit"].astype(str) == unit)
        & (frame["period"].astype(str) == str(period))
    ]
    return part, periods, period


def _rows_by_criterion(profile: Any, part: pd.DataFrame, level: str) -> list[dict[str, Any]]:
    out: dict[str, dict[str, Any]] = {}
    by_id = {r["indicator"]: r for r in part.to_dict("records")}
    for ind in profile.indicators:
        if ind.id not in by_id or "." in ind.id:
            continue
        r = by_id[ind.id]
        kind = str(getattr(ind.kind, "value", ind.kind))
        state = str(r["state"])
        met = r.get("target_met")
        css = "nodata"
        if state == "value":
            css = "neutral" if met is None or pd.isna(met) else ("ok" if bool(met) else "bad")
        c = out.setdefault(
            str(ind.criterion),
            {"name": profile.criterion_name(ind.criterion), "id": ind.criterion, "rows": []},
        )
        c["rows"].append(
            {
                "id": ind.id,
                "name": ind.name,
                "value": ru_result(
                    r["value"], state, kind, level, r.get("numerator"), r.get("denominator")
                ),
                "target": ru_result(r.get("target"), "value", kind, "organization")
                if r.get("target") is not None and not pd.isna(r.get("target"))
                else "—",
                "css": css,
                "state_name": {
                    "ok": "целевое значение достигнуто",
                    "bad": "целевое значение не достигнуто",
                    "neutral": "целевое значение не установлено",
                    "nodata": "нет данных" if state == "no_data" else "не применимо",
                }[css],
                "change": ru_change(r["value"], r.get("previous_value"), share=ind.is_share),
            }
        )
    return list(out.values())


@router.get("/p/{profile_id}/results")
def results_page(
    request: Request,
    profile_id: str,
    me: StaffDep,
    store: StoreDep,
    level: str | None = None,
    unit: str | None = None,
    period: str | None = None,
) -> Response:
    p = store.profile(profile_id)
    units = _units(store, profile_id)
    if level is None or unit is None:
        level, unit = _start(me.actor, units)
    if level not in LEVEL_NAMES:
        raise NotFound("Нет такого уровня.")
    part, periods, period = _results_table(store, profile_id, me.actor, level, unit, period)
    names = unit_names(store, profile_id)
    if level == "region":
        children = sorted(m for m, r in units.municipality_region.items() if r == unit)
        child_level = "municipality"
    elif level == "municipality":
        children = sorted(o for o, m in units.org_municipality.items() if m == unit)
        child_level = "organization"
    else:
        children, child_level = [], ""
    children = [c for c in children if me.actor.sees(child_level, c, units)]
    trail = []
    if level == "organization":
        muni = units.org_municipality.get(unit)
        if muni and me.actor.sees("municipality", muni, units):
            region = units.municipality_region.get(muni)
            if region and me.actor.sees("region", region, units):
                trail.append(("region", region))
            trail.append(("municipality", muni))
    elif level == "municipality":
        region = units.municipality_region.get(unit)
        if region and me.actor.sees("region", region, units):
            trail.append(("region", region))
    return render(
        request,
        "results.html",
        me,
        profile_id=profile_id,
        profile=p,
        level=level,
        level_name=LEVEL_NAMES[level],
        unit=unit,
        unit_name=names.get(unit, unit),
        names=names,
        period=period,
        periods=periods,
        criteria=_rows_by_criterion(p, part, level),
        children=children,
        child_level=child_level,
        child_level_name=LEVEL_NAMES.get(child_level, ""),
        trail=trail,
        level_names=LEVEL_NAMES,
    )


EXPORT_HEADERS = {
    "criterion": "Критерий",
    "indicator": "Код показателя",
    "name": "Показатель",
    "level": "Уровень",
    "unit": "Код",
    "unit_name": "Наименование",
    "period": "Период",
    "numerator": "Числитель",
    "denominator": "Знаменатель",
    "value": "Значение",
    "target": "Целевое значение",
    "target_met": "Целевое значение достигнуто",
    "previous_value": "Значение за предыдущий период",
}


def export_frame(
    store: Store, profile_id: str, actor: Actor, level: str, unit: str, period: str | None
) -> tuple[pd.DataFrame, str]:
    p = store.profile(profile_id)
    part, _, period = _results_table(store, profile_id, actor, level, unit, period)
    names = unit_names(store, profile_id)
    ind = {i.id: i for i in p.indicators}
    out = part.copy()
    out["name"] = [ind[i].name if i in ind else i for i in out["indicator"]]
    out["criterion"] = [
        p.criterion_name(ind[i].criterion) if i in ind else "" for i in out["indicator"]
    ]
    out["unit_name"] = [names.get(str(u), str(u)) for u in out["unit"]]
    out["level"] = [LEVEL_NAMES.get(str(v), str(v)).lower() for v in out["level"]]
    out["target_met"] = [
        "" if m is None or pd.isna(m) else ("да" if bool(m) else "нет") for m in out["target_met"]
    ]
    out = out[list(EXPORT_HEADERS)].rename(columns=EXPORT_HEADERS)
    return out, f"{profile_id}-{unit}-{period}"


@router.get("/p/{profile_id}/results.{fmt}")
def results_export(
    profile_id: str,
    fmt: str,
    me: StaffDep,
    store: StoreDep,
    level: str,
    unit: str,
    period: str | None = None,
) -> Response:
    frame, name = export_frame(store, profile_id, me.actor, level, unit, period)
    if fmt == "csv":
        text = frame.to_csv(index=False, sep=";", decimal=",")
        return Response(
            "\ufeff" + text,
            media_type="text/csv; charset=utf-8",
            headers={"Content-Disposition": f'attachment; filename="{name}.csv"'},
        )
    if fmt == "xlsx":
        buf = io.BytesIO()
        with pd.ExcelWriter(buf, engine="openpyxl") as writer:
            frame.to_excel(writer, index=False, sheet_name="Показатели")
        return Response(
            buf.getvalue(),
            media_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
            headers={"Content-Disposition": f'attachment; filename="{name}.xlsx"'},
        )
    raise NotFound("Нет такого формата выгрузки.")


@router.get("/p/{profile_id}/history")
def history_page(
    request: Request,
    profile_id: str,
    me: StaffDep,
    store: StoreDep,
    level: str,
    unit: str,
    indicator: str,
) -> Response:
    p = store.profile(profile_id)
    units = _units(store, profile_id)
    if not me.actor.sees(level, unit, units):
        raise NotFound("Нет такой территории или организации среди доступных вам.")
    ind = {i.id: i for i in p.indicators}.get(indicator)
    if ind is None:
        raise NotFound(f"В профиле нет показателя «{indicator}».")
    frame = store.monitoring(profile_id).results()
    part = frame[
        (frame["level"] == level)
        & (frame["unit"].astype(str) == unit)
        & (frame["indicator"] == indicator)
        & (frame["breakdown"].isna())
    ].sort_values("period")
    kind = str(getattr(ind.kind, "value", ind.kind))
    rows = []
    for r in part.to_dict("records"):
        rows.append(
            {
                "period": str(r["period"]),
                "numerator": ru_number(r["numerator"]),
                "denominator": ru_number(r["denominator"]),
                "value": ru_result(
                    r["value"], str(r["state"]), kind, level, r["numerator"], r["denominator"]
                ),
                "target": "—"
                if r.get("target") is None or pd.isna(r.get("target"))
                else ru_result(r["target"], "value", kind, "organization"),
            }
        )

    def num(v: Any) -> float | None:
        return None if v is None or pd.isna(v) else float(v)

    svg = history_svg(
        [str(x) for x in part["period"]],
        [
            num(v) if s == "value" else None
            for v, s in zip(part["value"], part["state"], strict=True)
        ],
        [num(t) for t in part["target"]],
        share=ind.is_share,
        title=f"{ind.name}: значения по годам",
    )
    names = unit_names(store, profile_id)
    return render(
        request,
        "history.html",
        me,
        profile_id=profile_id,
        indicator=ind,
        criterion=p.criterion_name(ind.criterion),
        level=level,
        unit=unit,
        unit_name=names.get(unit, unit),
        rows=rows,
        svg=svg,
    )


# ------------------------------------------------------------------------------ rating, advice


@router.get("/p/{profile_id}/rating")
def rating_page(
    request: Request,
    profile_id: str,
    me: StaffDep,
    store: StoreDep,
    period: str | None = None,
    unit: str | None = None,
) -> Response:
    year = store.monitoring(profile_id)
    units = _units(store, profile_id)
    try:
        r = year.rate(period=period)
    except (PedprofError, LookupError, ValueError):
        return render(
            request,
            "rating.html",
            me,
            profile_id=profile_id,
            rating=None,
            rows=[],
            names={},
            unit=None,
            explanation=[],
        )
    names = unit_names(store, profile_id)
    rows = [
        rec
        for rec in r.ranking.to_dict("records")
        if me.actor.sees("organization", str(rec["unit"]), units)
    ]
    explanation = []
    if unit and any(str(x["unit"]) == unit for x in rows):
        ind = {i.id: i for i in year.profile.indicators}
        for e in r.explain(unit).to_dict("records"):
            i = ind.get(str(e["indicator"]))
            kind = str(getattr(i.kind, "value", i.kind)) if i else "count"
            explanation.append(
                {
                    "indicator": str(e["indicator"]),
                    "name": i.name if i else str(e["indicator"]),
                    "value": ru_result(e["value"], str(e["state"]), kind, "organization"),
                    "points": ru_number(e.get("points")),
                    "weight": ru_percent(100 * float(e.get("weight_share") or 0)),
                    "contribution": ru_number(e.get("contribution")),
                    "used": bool(e.get("used")),
                }
            )
    return render(
        request,
        "rating.html",
        me,
        profile_id=profile_id,
        rating=r,
        rows=rows,
        names=names,
        unit=unit,
        explanation=explanation,
    )


@router.get("/p/{profile_id}/recommendations")
def recommendations_page(
    request: Request, profile_id: str, me: StaffDep, store: StoreDep, period: str | None = None
) -> Response:
    year = store.monitoring(profile_id)
    units = _units(store, profile_id)
    items = []
    try:
        recommendations = year.recommend(period)
    except (PedprofError, LookupError, ValueError):
        recommendations = []  # no results yet: nothing to recommend
    for rec in recommendations:
        pairs = [
            (u, n)
            for u, n in zip(rec.units or (), rec.unit_names or rec.units or (), strict=False)
            if me.actor.sees("organization", str(u), units)
            or me.actor.sees("municipality", str(u), units)
        ]
        if rec.units and not pairs:
            continue
        items.append({"rec": rec, "units": pairs})
    return render(request, "recommendations.html", me, profile_id=profile_id, items=items)


# ------------------------------------------------------------------------------ ИАС


@router.get("/p/{profile_id}/report")
def report_page(
    request: Request, profile_id: str, me: StaffDep, store: StoreDep, session: SessionDep
) -> Response:
    p = store.profile(profile_id)
    year = store.monitoring(profile_id)
    periods = _periods(year.results())
    jobs = [
        j
        for j in session.scalars(
            select(Job).where(Job.profile_id == p.id, Job.kind == "report").order_by(Job.id.desc())
        )
        if (j.owner.get("region_id"), j.owner.get("municipality_id"))
        == (me.actor.region_id, me.actor.municipality_id)
    ][:10]
    return render(request, "report.html", me, profile_id=profile_id, periods=periods, jobs=jobs)


@router.post("/p/{profile_id}/report")
def report_start(
    *,
    profile_id: str,
    me: StaffDep,
    store: StoreDep,
    session: SessionDep,
    service: ServiceDep,
    csrf_token: CsrfField = "",
    period: Annotated[str, Form(max_length=40)] = "",
) -> Response:
    me.check(csrf_token)
    p = store.profile(profile_id)
    reg = store.register(p)
    if reg is None:
        raise NotFound("Реестр организаций не загружен.")
    data, units = reg
    if not all(
        me.actor.sees("municipality", str(m), units) for m in data.municipalities["municipality_id"]
    ):
        raise Forbidden("Справка охватывает муниципалитеты, к которым у вас нет доступа.")
    job = Job(
        kind="report",
        profile_id=p.id,
        params={
            "period": period or None,
            "formats": ["docx", "xlsx", "html"],
            "suppress_below": None,
            "charts": True,
        },
        owner={
            "kind": me.actor.kind,
            "name": me.actor.name,
            "region_id": me.actor.region_id,
            "municipality_id": me.actor.municipality_id,
        },
        status="queued",
        progress=0.0,
        message="В очереди",
    )
    session.add(job)
    session.commit()
    service.worker.submit(job.id)
    return RedirectResponse(f"{PAGES_PREFIX}/jobs/{job.id}", status_code=303)


def _job(session: Any, me: Staff, job_id: int) -> Job:
    j = session.get(Job, job_id)
    if j is None or (j.owner.get("region_id"), j.owner.get("municipality_id")) != (
        me.actor.region_id,
        me.actor.municipality_id,
    ):
        raise NotFound(f"Задание № {job_id} не найдено.")
    return j


JOB_STATUS = {
    "queued": "в очереди",
    "running": "формируется",
    "done": "готово",
    "failed": "не удалось",
}


@router.get("/jobs/{job_id}")
def job_page(request: Request, job_id: int, me: StaffDep, session: SessionDep) -> Response:
    j = _job(session, me, job_id)
    files = sorted((j.result or {}).get("files", {})) if j.status == "done" else []
    return render(
        request,
        "job.html",
        me,
        profile_id=j.profile_id,
        job=j,
        status_name=JOB_STATUS.get(j.status, j.status),
        files=files,
        pdf=shutil.which("soffice") is not None and "docx" in files,
    )


@router.get("/jobs/{job_id}/status")
def job_status(job_id: int, me: StaffDep, session: SessionDep) -> dict[str, Any]:
    j = _job(session, me, job_id)
    return {
        "status": j.status,
        "status_name": JOB_STATUS.get(j.status, j.status),
        "progress": j.progress,
        "message": j.message,
    }


FILE_MEDIA = {
    "docx": "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    "html": "text/html; charset=utf-8",
    "pdf": "application/pdf",
}


@router.get("/jobs/{job_id}/files/{fmt}")
def job_file(
    job_id: int, fmt: str, me: StaffDep, session: SessionDep, service: ServiceDep
) -> Response:
    j = _job(session, me, job_id)
    files = (j.result or {}).get("files", {}) if j.status == "done" else {}
    folder = service.worker.output_dir(j.id)
    if fmt == "pdf" and "docx" in files:
        soffice = shutil.which("soffice")
        if soffice is None:
            raise NotFound("На сервере не установлен LibreOffice: PDF сформировать нельзя.")
        docx = folder / files["docx"]
        pdf = docx.with_suffix(".pdf")
        if not pdf.is_file():
            subprocess.run(
                [soffice, "--headless", "--convert-to", "pdf", "--outdir", str(folder), str(docx)],
                check=False,
                capture_output=True,
                timeout=300,
                env={**os.environ, "HOME": str(folder)},
            )
        if not pdf.is_file():
            raise NotFound("Не удалось сформировать PDF.")
        return FileResponse(pdf, media_type=FILE_MEDIA["pdf"], filename=pdf.name)
    name = files.get(fmt)
    if not name or not (folder / name).is_file():
        raise NotFound("Файл справки не найден.")
    return FileResponse(folder / name, media_type=FILE_MEDIA[fmt], filename=name)


# ------------------------------------------------------------------------------ calendar


@router.get("/p/{profile_id}/calendar")
def calendar_page(
    request: Request,
    profile_id: str,
    me: StaffDep,
    store: StoreDep,
    year: int | None = None,
) -> Response:
    m = store.monitoring(profile_id)
    y = year or dt.date.today().year
    rows = m.calendar(y).to_dict("records")
    return render(
        request,
        "calendar.html",
        me,
        profile_id=profile_id,
        year=y,
        rows=rows,
        feed=None,
    )


@router.post("/p/{profile_id}/calendar/subscribe")
def calendar_subscribe(
    *,
    request: Request,
    profile_id: str,
    me: StaffDep,
    store: StoreDep,
    session: SessionDep,
    service: ServiceDep,
    csrf_token: CsrfField = "",
) -> Response:
    me.check(csrf_token)
    m = store.monitoring(profile_id)
    token = _auth.subscription_token(session, me.actor)
    feed = (
        f"{base_url(request, service.settings.public_url)}/api/v1/profiles/{profile_id}"
        f"/calendar.ics?token={token}"
    )
    y = dt.date.today().year
    return render(
        request,
        "calendar.html",
        me,
        profile_id=profile_id,
        year=y,
        rows=m.calendar(y).to_dict("records"),
        feed=feed,
    )


# ------------------------------------------------------------------------------ cycle, roadmap


@router.get("/p/{profile_id}/cycle")
def cycle_page(
    request: Request, profile_id: str, me: StaffDep, store: StoreDep, saved: int = 0
) -> Response:
    m = store.monitoring(profile_id)
    p = m.profile
    documents = []
    for d in p.documents or ():
        documents.append(d)
    roadmap = m.roadmap_rows() if p.roadmaps else pd.DataFrame()
    current = {
        (str(r.get("number")), int(r.get("year") or 0)): r for r in store.latest_rows("roadmap", p)
    }
    rows = []
    for r in roadmap.to_dict("records"):
        key = (str(r["number"]), int(r["year"] or 0))
        stored = current.get(key, {})
        rows.append({**r, "status": str(stored.get("status") or ""), "key": f"{key[0]}|{key[1]}"})
    return render(
        request,
        "cycle.html",
        me,
        profile_id=profile_id,
        documents=documents,
        rows=rows,
        statuses=ROADMAP_STATUSES,
        saved=bool(saved),
    )


@router.post("/p/{profile_id}/cycle")
async def cycle_save(request: Request, profile_id: str, me: StaffDep, store: StoreDep) -> Response:
    form = await request.form()
    me.check(str(form.get("csrf_token") or ""))
    p = store.profile(profile_id)
    m = store.monitoring(profile_id)
    roadmap = m.roadmap_rows()
    names = {f"{r['number']}|{int(r['year'] or 0)}": r for r in roadmap.to_dict("records")}
    previous = {
        f"{r.get('number')}|{int(r.get('year') or 0)}": r for r in store.latest_rows("roadmap", p)
    }
    out = []
    for key, r in names.items():
        status = str(form.get(f"status:{key}") or "")
        if status not in ROADMAP_STATUSES:
            raise Forbidden("Неизвестный статус.")
        if not status:
            continue
        prev = previous.get(key, {})
        out.append(
            {
                "roadmap": r["roadmap"],
                "number": str(r["number"]),
                "year": int(r["year"] or 0),
                "status": status,
                "document": prev.get("document") or "",
                "completed_on": prev.get("completed_on") or "",
                "comment": prev.get("comment") or "",
            }
        )
    store.put_rows("roadmap", p, me.actor, pd.DataFrame.from_records(out))
    return RedirectResponse(f"{PAGES_PREFIX}/p/{profile_id}/cycle?saved=1", status_code=303)
