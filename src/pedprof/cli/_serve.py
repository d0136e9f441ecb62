"""``pedprof serve`` and the management of who may use the service: ``pedprof users``,
``pedprof tokens``, ``pedprof links``. Output is in Russian."""

from __future__ import annotations

import datetime as dt
import sys
from pathlib import Path
from typing import Any

import click

__all__ = ["COMMANDS", "links_group", "serve_command", "tokens_group", "users_group"]


def _store_options(func: Any) -> Any:
    func = click.option(
        "--data-dir",
        type=click.Path(file_okay=False, path_type=Path),
        default=None,
        help="Папка данных (по умолчанию ~/.local/share/pedprof или $PEDPROF_DATA_DIR).",
    )(func)
    return click.option(
        "--database",
        default=None,
        metavar="URL",
        help="База данных: sqlite:///путь или postgresql://… (по умолчанию — файл SQLite в "
        "папке данных; $PEDPROF_DATABASE_URL).",
    )(func)


def _service(database: str | None, data_dir: Path | None, **kw: Any) -> Any:
    from pedprof.service.config import Settings
    from pedprof.service.main import Service

    return Service(Settings.from_env(database_url=database, data_dir=data_dir, **kw))


def _safe_url(url: str) -> str:
    from sqlalchemy.engine import make_url

    return make_url(url).render_as_string(hide_password=True)


# --------------------------------------------------------------------------- serve


@click.command("serve")
@_store_options
@click.option("--host", default="127.0.0.1", show_default=True, help="Адрес прослушивания.")
@click.option("--port", default=8000, show_default=True, type=int, help="Порт.")
def serve_command(database: str | None, data_dir: Path | None, host: str, port: int) -> None:
    """Запустить службу pedprof (HTTP API) с хранилищем сведений."""
    import uvicorn
    from sqlalchemy import func, select

    from pedprof.service.main import create_app
    from pedprof.service.models import User

    service = _service(database, data_dir)
    settings = service.settings
    with service.factory() as s:
        n_users = s.scalar(select(func.count(User.id))) or 0
    service.close()
    click.echo(f"Папка данных: {settings.data_dir}")
    click.echo(f"База данных: {_safe_url(settings.database_url)}")
    click.echo(f"API: http://{host}:{port}/api/v1 (описание: /api/v1/docs)")
    if not n_users:
        click.echo(
            "Пользователей пока нет: добавьте методиста командой "
            "«pedprof users add ИМЯ --role region --unit КОД_РЕГИОНА»."
        )
    uvicorn.run(create_app(settings), host=host, port=port, log_level="info")


# --------------------------------------------------------------------------- users


@click.group("users")
def users_group() -> None:
    """Методисты, входящие в службу по паролю."""


def _read_password(from_stdin: bool) -> str:
    if from_stdin:
        return sys.stdin.readline().rstrip("\n")
    return str(click.prompt("Пароль", hide_input=True, confirmation_prompt="Повторите пароль"))


@users_group.command("add")
@click.argument("login")
@click.option(
    "--role",
    type=click.Choice(["region", "municipality"]),
    required=True,
    help="Роль: региональный или муниципальный методист.",
)
@click.option("--unit", required=True, help="Код региона (для region) или муниципалитета.")
@click.option("--password-stdin", is_flag=True, help="Прочитать пароль из стандартного ввода.")
@_store_options
def users_add(
    login: str,
    role: str,
    unit: str,
    password_stdin: bool,
    database: str | None,
    data_dir: Path | None,
) -> None:
    """Добавить методиста (пароль запрашивается; пароля по умолчанию нет)."""
    from sqlalchemy import select

    from pedprof.service.models import User
    from pedprof.service.security import hash_password

    service = _service(database, data_dir)
    try:
        with service.factory() as s:
            if s.scalars(select(User).where(User.login == login)).first() is not None:
                raise click.ClickException(f"Пользователь «{login}» уже есть.")
            try:
                hashed = hash_password(_read_password(password_stdin))
            except ValueError as exc:
                raise click.ClickException(str(exc)) from exc
            s.add(
                User(
                    login=login,
                    password_hash=hashed,
                    role=role,
                    region_id=unit if role == "region" else None,
                    municipality_id=unit if role == "municipality" else None,
                    active=True,
                )
            )
            s.commit()
    finally:
        service.close()
    click.echo(f"Пользователь «{login}» добавлен.")


@users_group.command("list")
@_store_options
def users_list(database: str | None, data_dir: Path | None) -> None:
    """Список методистов."""
    from sqlalchemy import select

    from pedprof.service.models import User

    service = _service(database, data_dir)
    try:
        with service.factory() as s:
            users = list(s.scalars(select(User).order_by(User.login)))
    finally:
        service.close()
    if not users:
        click.echo("Пользователей нет.")
    for u in users:
        unit = u.region_id or u.municipality_id or ""
        role = "регион" if u.role == "region" else "муниципалитет"
        state = "" if u.active else " (отключён)"
        click.echo(f"{u.login}\t{role}\t{unit}{state}")


@users_group.command("passwd")
@click.argument("login")
@click.option("--password-stdin", is_flag=True, help="Прочитать пароль из стандартного ввода.")
@_store_options
def users_passwd(
    login: str, password_stdin: bool, database: str | None, data_dir: Path | None
) -> None:
    """Сменить пароль методиста (его открытые сеансы закрываются)."""
    from sqlalchemy import select, update

    from pedprof.service.models import Token, User, utcnow
    from pedprof.service.security import hash_password

    service = _service(database, data_dir)
    try:
        with service.factory() as s:
            user = s.scalars(select(User).where(User.login == login)).first()
            if user is None:
                raise click.ClickException(f"Пользователь «{login}» не найден.")
            try:
                user.password_hash = hash_password(_read_password(password_stdin))
            except ValueError as exc:
                raise click.ClickException(str(exc)) from exc
            s.execute(
                update(Token)
                .where(Token.user_id == user.id, Token.revoked_at.is_(None))
                .values(revoked_at=utcnow())
            )
            s.commit()
    finally:
        service.close()
    click.echo(f"Пароль пользователя «{login}» изменён.")


@users_group.command("remove")
@click.argument("login")
@_store_options
def users_remove(login: str, database: str | None, data_dir: Path | None) -> None:
    """Удалить методиста (и закрыть его сеансы)."""
    from sqlalchemy import select

    from pedprof.service.models import User

    service = _service(database, data_dir)
    try:
        with service.factory() as s:
            user = s.scalars(select(User).where(User.login == login)).first()
            if user is None:
                raise click.ClickException(f"Пользователь «{login}» не найден.")
            s.delete(user)
            s.commit()
    finally:
        service.close()
    click.echo(f"Пользователь «{login}» удалён.")


# --------------------------------------------------------------------------- tokens


@click.group("tokens")
def tokens_group() -> None:
    """Токены платформ (только чтение: показатели и справки)."""


@tokens_group.command("create")
@click.argument("name")
@click.option("--region", default=None, help="Код региона, чьи данные доступны.")
@click.option("--municipality", default=None, help="Код муниципалитета, чьи данные доступны.")
@click.option("--days", type=int, default=365, show_default=True, help="Срок действия, дней.")
@_store_options
def tokens_create(
    name: str,
    region: str | None,
    municipality: str | None,
    days: int,
    database: str | None,
    data_dir: Path | None,
) -> None:
    """Выпустить токен платформы; он показывается один раз."""
    from pedprof.service.models import Token, utcnow
    from pedprof.service.security import new_token

    if bool(region) == bool(municipality):
        raise click.ClickException("Укажите ровно одно: --region или --municipality.")
    service = _service(database, data_dir)
    token, digest = new_token("pt")
    try:
        with service.factory() as s:
            row = Token(
                token_hash=digest,
                kind="platform",
                name=name,
                role="platform",
                region_id=region,
                municipality_id=municipality,
                expires_at=utcnow() + dt.timedelta(days=days),
            )
            s.add(row)
            s.commit()
            token_id = row.id
    finally:
        service.close()
    click.echo(f"Токен № {token_id} «{name}» (сохраните его: больше он не показывается):")
    click.echo(token)


@tokens_group.command("list")
@_store_options
def tokens_list(database: str | None, data_dir: Path | None) -> None:
    """Список токенов платформ (без самих токенов)."""
    from sqlalchemy import select

    from pedprof.service.models import Token

    service = _service(database, data_dir)
    try:
        with service.factory() as s:
            rows = list(s.scalars(select(Token).where(Token.kind == "platform").order_by(Token.id)))
    finally:
        service.close()
    if not rows:
        click.echo("Токенов нет.")
    for t in rows:
        scope = t.region_id or t.municipality_id or ""
        state = "отозван" if t.revoked_at else f"до {t.expires_at:%d.%m.%Y}" if t.expires_at else ""
        click.echo(f"{t.id}\t{t.name}\t{scope}\t{state}")


def _revoke(
    model: Any, row_id: int, database: str | None, data_dir: Path | None, *, missing: str
) -> None:
    """Mark the token or link ``row_id`` of ``model`` revoked now."""
    from pedprof.service.models import utcnow

    service = _service(database, data_dir)
    try:
        with service.factory() as s:
            row = s.get(model, row_id)
            if row is None:
                raise click.ClickException(missing.format(row_id))
            row.revoked_at = utcnow()
            s.commit()
    finally:
        service.close()


@tokens_group.command("revoke")
@click.argument("token_id", type=int)
@_store_options
def tokens_revoke(token_id: int, database: str | None, data_dir: Path | None) -> None:
    """Отозвать токен по номеру."""
    from pedprof.service.models import Token

    _revoke(Token, token_id, database, data_dir, missing="Токен № {} не найден.")
    click.echo(f"Токен № {token_id} отозван.")


# --------------------------------------------------------------------------- links


@click.group("links")
def links_group() -> None:
    """Ссылки для загрузки форм организациями."""


@links_group.command("create")
@click.option("--profile", "profile_id", required=True, help="Профиль.")
@click.option("--period", required=True, help="Период сбора, например 2023-2024.")
@click.option("--org", "org_ids", multiple=True, required=True, help="Код организации.")
@click.option("--days", type=int, default=60, show_default=True, help="Срок действия, дней.")
@_store_options
def links_create(
    profile_id: str,
    period: str,
    org_ids: tuple[str, ...],
    days: int,
    database: str | None,
    data_dir: Path | None,
) -> None:
    """Выпустить ссылки для организаций (кампания сбора должна быть открыта)."""
    from sqlalchemy import select

    from pedprof.service.models import Campaign, UploadLink, utcnow
    from pedprof.service.security import new_token

    service = _service(database, data_dir)
    try:
        with service.factory() as s:
            campaign = s.scalars(
                select(Campaign).where(Campaign.profile_id == profile_id, Campaign.period == period)
            ).first()
            if campaign is None:
                raise click.ClickException(f"Сбор за {period} по профилю «{profile_id}» не открыт.")
            units = service.store.units(service.store.profile(profile_id))
            out = []
            for org in org_ids:
                if org not in units.org_municipality:
                    raise click.ClickException(f"Организация «{org}» не найдена в реестре.")
                token, digest = new_token("pl")
                s.add(
                    UploadLink(
                        token_hash=digest,
                        campaign_id=campaign.id,
                        org_id=org,
                        municipality_id=units.org_municipality[org],
                        expires_at=utcnow() + dt.timedelta(days=days),
                        created_by="cli",
                    )
                )
                out.append((org, token))
            s.commit()
    finally:
        service.close()
    for org, token in out:
        click.echo(f"{org}\t{token}")


@links_group.command("revoke")
@click.argument("link_id", type=int)
@_store_options
def links_revoke(link_id: int, database: str | None, data_dir: Path | None) -> None:
    """Отозвать ссылку по номеру."""
    from pedprof.service.models import UploadLink

    _revoke(UploadLink, link_id, database, data_dir, missing="Ссылка № {} не найдена.")
    click.echo(f"Ссылка № {link_id} отозвана.")


COMMANDS = [serve_command, users_group, tokens_group, links_group]
