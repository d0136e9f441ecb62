"""The ``pedprof calendar``, ``pedprof cycle`` and ``pedprof roadmap`` commands (Russian
output): the monitoring calendar, the completeness of the management cycle with its chains,
and the roadmap with its execution."""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import Any

import click
import pandas as pd
from rich.console import Console
from rich.table import Table

import pedprof
from pedprof.app import Monitoring
from pedprof.cli._report import parse_today
from pedprof.cycle.calendar import write_ics
from pedprof.cycle.documents import (
    DocumentRegistry,
    assess_completeness,
    chain_dot,
    chain_mermaid,
    chain_svg,
    chain_verdict,
    cycle_chains,
)
from pedprof.cycle.roadmaps import (
    StatusRegister,
    reference_date,
    roadmap_period_end,
    roadmap_rows,
    status_template,
    write_status_template,
)
from pedprof.formatting import safe_cell
from pedprof.model.profile import Profile

__all__ = ["COMMANDS", "calendar_command", "cycle_command", "roadmap_command"]


def _console() -> Console:
    return Console(highlight=False, soft_wrap=False)


def _profile(profile_id: str) -> Profile:
    try:
        return pedprof.get_profile(profile_id)
    except LookupError as exc:
        raise click.ClickException(str(exc.args[0])) from None


def _short(text: str, width: int = 220) -> str:
    text = " ".join(str(text).split())
    return text if len(text) <= width else text[: width - 1].rstrip() + "…"


def _when(start: Any, end: Any) -> str:
    if end is None or pd.isna(end):
        return "срок не указан"
    if start is None or pd.isna(start) or start == end:
        return f"до {end:%d.%m.%Y}"
    if start == dt.date(end.year, 1, 1) and end == dt.date(end.year, 12, 31):
        return f"в течение {end.year} г."
    return f"{start:%d.%m} – {end:%d.%m.%Y}"


def _load_statuses(path: Path | None, year: Monitoring, console: Console) -> StatusRegister | None:
    """Read the roadmap's execution statuses into ``year`` and say what was accepted."""
    if path is None:
        return None
    try:
        statuses: StatusRegister = year.load_roadmap_statuses(path)
    except LookupError as exc:
        raise click.ClickException(str(exc)) from None
    except (OSError, ValueError) as exc:
        raise click.ClickException(f"Не удалось прочитать файл «{path.name}»: {exc}") from None
    console.print(
        f"Сведения об исполнении: принято строк — {len(statuses)}, "
        f"отклонено — {len(statuses.problems)}."
    )
    for problem in statuses.problems:
        console.print(f"  [red]•[/] {problem}")
    return statuses


def _registry(
    profile: Profile, documents: tuple[Path, ...], measures: Path | None, console: Console
) -> DocumentRegistry:
    from pedprof.app import Monitoring

    year = Monitoring(profile)
    if measures is not None:
        try:
            register = year.load_measures(measures)
        except (OSError, ValueError) as exc:
            why = exc.__cause__ if exc.__cause__ is not None else exc
            raise click.ClickException(f"Реестр мер «{measures.name}»: {why}") from None
        console.print(
            f"Реестр мер «{measures.name}»: принято — {len(register)}, "
            f"отклонено или исправлено — {len(register.problems)}."
        )
        for problem in register.problems:
            console.print(f"  [red]•[/] {problem}")
    try:
        registry = year.document_registry(*documents)
    except (OSError, ValueError) as exc:
        raise click.ClickException(f"Не удалось прочитать реестр документов: {exc}") from None
    own = sum(1 for d in registry if d.origin.startswith("профиль"))
    console.print(
        f"Документов в реестре: {len(registry)} (зарегистрировано профилем: {own}, "
        f"из файлов и реестра мер: {len(registry) - own}); отклонено строк: "
        f"{len(registry.problems)}."
    )
    for problem in registry.problems:
        console.print(f"  [red]•[/] {problem}")
    for warning in registry.warnings:
        console.print(f"  [yellow]•[/] {warning}")
    return registry


# --------------------------------------------------------------------------- calendar


@click.command(
    "calendar",
    help="Календарь мониторинга на год: что, когда и кем должно быть сделано "
    "(сроки и этапы мониторинга, мониторинговые мероприятия, мероприятия дорожной карты).",
)
@click.option("--profile", "profile_id", required=True, help="Профиль (например, karabash).")
@click.option("--year", type=int, required=True, help="Календарный год, например 2024.")
@click.option(
    "--today",
    "today_text",
    default=None,
    help="Дата отметки (ДД.ММ.ГГГГ): прошедшие сроки и просроченные мероприятия.",
)
@click.option(
    "--ics",
    "ics_path",
    type=click.Path(dir_okay=False, path_type=Path),
    default=None,
    help="Записать календарь в файл .ics (для Outlook, Яндекс, Google-календаря).",
)
@click.option(
    "--status",
    "status_path",
    type=click.Path(exists=True, dir_okay=False, path_type=Path),
    default=None,
    help="Файл со сведениями об исполнении дорожной карты (.xlsx или .csv).",
)
@click.option("--no-roadmap", is_flag=True, help="Не включать мероприятия дорожной карты.")
@click.option(
    "--remind-days",
    type=click.IntRange(min=0),
    default=7,
    show_default=True,
    help="За сколько дней до срока напоминать в календаре .ics (0 — без напоминаний).",
)
def calendar_command(
    profile_id: str,
    year: int,
    today_text: str | None,
    ics_path: Path | None,
    status_path: Path | None,
    no_roadmap: bool,
    remind_days: int,
) -> None:
    console = _console()
    profile = _profile(profile_id)
    today = parse_today(today_text)
    monitoring = Monitoring(profile)
    _load_statuses(status_path, monitoring, console)
    frame = monitoring.calendar(year, today=today, include_roadmaps=not no_roadmap)
    table = Table(
        title=f"Календарь мониторинга на {year} год — {profile.info.territory}",
        show_lines=True,
        expand=True,
    )
    table.add_column("Срок", no_wrap=True)
    table.add_column("Что", ratio=4, overflow="fold")
    table.add_column("Кто", ratio=2, overflow="fold")
    table.add_column("Основание", ratio=1, overflow="fold")
    if today is not None:
        table.add_column("Отметка", no_wrap=True)
    styles = {"overdue": "bold red", "past": "dim", "done": "green", "current": "yellow"}
    for item in frame.to_dict("records"):
        cells = [
            _when(item["start"], item["end"]),
            _short(item["what"]),
            _short(item["responsible"] or "—", 160),
            str(item["source"]),
        ]
        if today is not None:
            style = styles.get(item["state"], "")
            label = item["state_label"]
            cells.append(f"[{style}]{label}[/]" if style else label)
        table.add_row(*cells)
    console.print(table)
    dated = frame[frame["end"].notna()]
    console.print(f"Пунктов календаря: {len(frame)}, из них со сроком: {len(dated)}.")
    if today is not None:
        overdue = int((frame["state"] == "overdue").sum())
        past = int((frame["state"] == "past").sum())
        console.print(
            f"На {today:%d.%m.%Y}: просрочено мероприятий дорожной карты — {overdue}; "
            f"прошедших сроков мониторинга — {past}. «Просрочено»: срок прошёл, а сведений "
            "о выполнении нет (см. --status)."
        )
    if ics_path is not None:
        written = write_ics(
            frame,
            ics_path,
            profile_id=profile.id,
            name=f"Мониторинг {year}: {profile.info.territory}",
            remind_days=remind_days or None,
        )
        console.print(f"Календарь записан в файл: {written.resolve()}")


# --------------------------------------------------------------------------- cycle


@click.command(
    "cycle",
    help="Управленческий цикл: реестр документов, полнота цикла по девяти компонентам, "
    "цепочки «показатель → мониторинг → анализ → рекомендации → меры → решения → анализ "
    "эффективности» по критериям. ДОКУМЕНТЫ — реестры документов (.xlsx или .csv) "
    "в дополнение к документам профиля.",
)
@click.option("--profile", "profile_id", required=True, help="Профиль (например, magnitogorsk).")
@click.argument("documents", nargs=-1, type=click.Path(exists=True, dir_okay=False, path_type=Path))
@click.option(
    "--measures",
    "measures_path",
    type=click.Path(exists=True, dir_okay=False, path_type=Path),
    default=None,
    help="Реестр мер и управленческих решений (.xlsx или .csv).",
)
@click.option(
    "--criterion", "criteria", multiple=True, help="Только этот критерий (можно повторять)."
)
@click.option(
    "--indicator", "indicators", multiple=True, help="Цепочки только по этим показателям."
)
@click.option(
    "--diagram",
    "diagram_path",
    type=click.Path(dir_okay=False, path_type=Path),
    default=None,
    help="Записать схему цепочек: .mmd (Mermaid), .dot (Graphviz) или .svg.",
)
@click.option(
    "-o",
    "--output",
    type=click.Path(dir_okay=False, path_type=Path),
    default=None,
    help="Записать реестр, полноту и цепочки в книгу .xlsx.",
)
def cycle_command(
    profile_id: str,
    documents: tuple[Path, ...],
    measures_path: Path | None,
    criteria: tuple[str, ...],
    indicators: tuple[str, ...],
    diagram_path: Path | None,
    output: Path | None,
) -> None:
    console = _console()
    profile = _profile(profile_id)
    registry = _registry(profile, documents, measures_path, console)
    completeness = assess_completeness(profile, registry)
    table = Table(title=f"Полнота управленческого цикла — {profile.info.territory}", expand=True)
    table.add_column("Компонент", ratio=2, overflow="fold")
    table.add_column("Группа", ratio=1, overflow="fold")
    table.add_column("Состояние", ratio=2, overflow="fold")
    table.add_column("Док.", justify="right", no_wrap=True)
    table.add_column("Баллы", justify="right", no_wrap=True)
    state_style = {"approved": "green", "named": "yellow", "planned": "red", "missing": "bold red"}
    for row in completeness.frame.to_dict("records"):
        style = state_style[row["state"]]
        table.add_row(
            row["label"],
            row["group"],
            f"[{style}]{row['state_label']}[/]",
            str(row["documents"]),
            f"{row['points']:g}".replace(".", ","),
        )
    console.print(table)
    console.print(completeness.text())
    chains = cycle_chains(
        profile,
        registry,
        criteria=list(criteria) or None,
        indicators=list(indicators) or None,
    )
    if chains.empty:
        console.print("Цепочек нет: у выбранных критериев нет показателей.")
    link_style = {
        "specific": "green",
        "general": "yellow",
        "declared": "red",
        "missing": "bold red",
    }
    for criterion, rows in chains.groupby("criterion", sort=False):
        first = rows.iloc[0]
        chain_table = Table(
            title=f"Цепочка по критерию {criterion}: {first['criterion_name']} "
            f"(показатели: {first['indicators']})",
            expand=True,
            show_lines=True,
        )
        chain_table.add_column("№", no_wrap=True)
        chain_table.add_column("Звено", ratio=1, overflow="fold")
        chain_table.add_column("Состояние", ratio=1, overflow="fold")
        chain_table.add_column("Документы / предусмотрено механизмом", ratio=4, overflow="fold")
        for row in rows.to_dict("records"):
            detail = row["documents"] or (
                f"предусмотрено: {row['declared']}" if row["declared"] else "—"
            )
            style = link_style[row["state"]]
            chain_table.add_row(
                str(row["step"]),
                row["link_label"],
                f"[{style}]{row['state_label']}[/]",
                _short(detail, 400),
            )
        console.print(chain_table)
        console.print(chain_verdict(rows))
    if diagram_path is not None:
        suffix = diagram_path.suffix.lower()
        if suffix == ".dot":
            text = chain_dot(chains)
        elif suffix == ".svg":
            text = chain_svg(chains)
        else:
            text = chain_mermaid(chains)
        diagram_path.parent.mkdir(parents=True, exist_ok=True)
        diagram_path.write_text(text, encoding="utf-8")
        console.print(f"Схема цепочек записана в файл: {diagram_path.resolve()}")
    if output is not None:
        _write_cycle_workbook(output, registry, completeness.frame, chains)
        console.print(f"Результаты записаны в файл: {output.resolve()}")


def _safe(frame: pd.DataFrame) -> pd.DataFrame:
    return frame.map(lambda v: safe_cell(v) if isinstance(v, str) else v)


def _write_cycle_workbook(
    path: Path, registry: DocumentRegistry, completeness: pd.DataFrame, chains: pd.DataFrame
) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    comp = completeness.rename(
        columns={
            "component": "Код",
            "label": "Компонент",
            "group": "Группа",
            "state": "Код состояния",
            "state_label": "Состояние",
            "documents": "Документов",
            "titles": "Документы",
            "points": "Баллы",
        }
    )
    ch = chains.rename(
        columns={
            "criterion": "Критерий",
            "criterion_name": "Наименование критерия",
            "indicators": "Показатели",
            "step": "№",
            "link": "Код звена",
            "link_label": "Звено",
            "component": "Компонент",
            "state": "Код состояния",
            "state_label": "Состояние",
            "declared": "Предусмотрено механизмом",
            "documents": "Документы",
            "document_ids": "Коды документов",
        }
    )
    with pd.ExcelWriter(path, engine="openpyxl") as writer:
        _safe(registry.frame()).to_excel(writer, sheet_name="Реестр документов", index=False)
        _safe(comp).to_excel(writer, sheet_name="Полнота цикла", index=False)
        _safe(ch).to_excel(writer, sheet_name="Цепочки", index=False)


# --------------------------------------------------------------------------- roadmap


@click.command(
    "roadmap",
    help="Дорожная карта: сроки мероприятий (как в приказе и в датах), ответственные, "
    "исполнение по годам и просроченные мероприятия.",
)
@click.option("--profile", "profile_id", required=True, help="Профиль (например, karabash).")
@click.option(
    "--status",
    "status_path",
    type=click.Path(exists=True, dir_okay=False, path_type=Path),
    default=None,
    help="Сведения об исполнении: «№ п/п», «Год», «Статус», «Подтверждающий документ» (.xlsx или .csv).",
)
@click.option(
    "--today",
    "today_text",
    default=None,
    help="Дата, на которую оценивается исполнение (ДД.ММ.ГГГГ). По умолчанию — конец "
    "анализируемого периода (31 декабря последнего из --year или последнего года дорожной "
    "карты), а если он ещё не наступил — сегодня.",
)
@click.option("--year", "years", type=int, multiple=True, help="Только этот год (можно повторять).")
@click.option(
    "--documents",
    "documents",
    multiple=True,
    type=click.Path(exists=True, dir_okay=False, path_type=Path),
    help="Реестр документов, в котором ищутся подтверждающие документы.",
)
@click.option(
    "--template",
    "template_path",
    type=click.Path(dir_okay=False, path_type=Path),
    default=None,
    help="Записать незаполненную форму сведений об исполнении (.xlsx или .csv).",
)
@click.option(
    "-o",
    "--output",
    type=click.Path(dir_okay=False, path_type=Path),
    default=None,
    help="Записать исполнение дорожной карты в книгу .xlsx.",
)
def roadmap_command(
    profile_id: str,
    status_path: Path | None,
    today_text: str | None,
    years: tuple[int, ...],
    documents: tuple[Path, ...],
    template_path: Path | None,
    output: Path | None,
) -> None:
    console = _console()
    profile = _profile(profile_id)
    if not profile.roadmaps:
        raise click.ClickException(f"В профиле «{profile.id}» нет дорожной карты.")
    today, today_reason = reference_date(
        roadmap_period_end(profile, list(years) or None), parse_today(today_text)
    )
    if template_path is not None:
        template = status_template(profile, years=list(years) or None)
        template_path.parent.mkdir(parents=True, exist_ok=True)
        if template_path.suffix.lower() == ".csv":
            template.to_csv(template_path, index=False, encoding="utf-8-sig")
        else:
            # the workbook: an instruction sheet, a drop-down of statuses, a date check
            write_status_template(profile, template_path, years=list(years) or None)
        console.print(
            f"Форма сведений об исполнении ({len(template)} строк) записана в файл: "
            f"{template_path.resolve()}"
        )
        return
    monitoring = Monitoring(profile)
    _load_statuses(status_path, monitoring, console)
    registry = _registry(profile, documents, None, console) if documents else None
    rows = roadmap_rows(profile)
    for title, group in rows.groupby("roadmap", sort=False):
        table = Table(title=str(title), show_lines=True, expand=True)
        table.add_column("№", no_wrap=True)
        table.add_column("Мероприятие", ratio=4, overflow="fold")
        table.add_column("Срок (как в приказе)", ratio=1, overflow="fold")
        table.add_column("Срок (даты)", ratio=2, overflow="fold")
        table.add_column("Ответственный / соисполнители", ratio=2, overflow="fold")
        table.add_column("Ожидаемый результат", ratio=3, overflow="fold")
        for row in group.to_dict("records"):
            schedule = row["schedule"]
            reading = schedule.describe() if schedule else f"[red]{row['parse_problem']}[/]"
            who = row["responsible"] or "—"
            if row["co_executors"]:
                who += f" / {row['co_executors']}"
            table.add_row(
                row["number"],
                _short(row["event"], 300),
                row["deadline_text"] + (f" ({row['year']} г.)" if pd.notna(row["year"]) else ""),
                _short(reading, 300),
                who,
                _short(row["expected_result"] or "—", 300),
            )
        _console().print(table)
    summary = monitoring.roadmap_execution(
        today=today, documents=registry, years=list(years) or None
    )
    ex = Table(title=f"Исполнение дорожной карты на {today:%d.%m.%Y}", expand=True)
    for column in summary.table.columns:
        if column == "Дорожная карта":
            continue
        ex.add_column(column, justify="right", overflow="fold")
    for row in summary.table.drop(columns="Дорожная карта").itertuples(index=False):
        ex.add_row(*(str(v) for v in row))
    console.print(ex)
    console.print(f"Дата, на которую оценено исполнение: {today:%d.%m.%Y} ({today_reason}).")
    console.print(summary.text)
    if status_path is None:
        console.print(
            "Сведения об исполнении не переданы (--status): все мероприятия с прошедшим сроком "
            "считаются просроченными. Форма для заполнения: --template ФАЙЛ.xlsx."
        )
    if output is not None:
        output.parent.mkdir(parents=True, exist_ok=True)
        execution = summary.execution.rename(columns=_EXECUTION_HEADERS)
        with pd.ExcelWriter(output, engine="openpyxl") as writer:
            _safe(summary.table).to_excel(writer, sheet_name="Сводка", index=False)
            _safe(execution).to_excel(writer, sheet_name="Исполнение", index=False)
        console.print(f"Исполнение записано в файл: {output.resolve()}")


_EXECUTION_HEADERS = {
    "roadmap": "Дорожная карта",
    "section": "Раздел",
    "number": "№ п/п",
    "event": "Мероприятие",
    "deadline_text": "Срок (как в приказе)",
    "year": "Год",
    "start": "Начало",
    "due": "Срок",
    "conditional": "При необходимости",
    "responsible": "Ответственный",
    "co_executors": "Соисполнители",
    "expected_result": "Ожидаемый результат",
    "status": "Статус (код)",
    "document": "Подтверждающий документ",
    "document_found": "Документ найден в реестре",
    "completed_on": "Дата исполнения",
    "comment": "Комментарий",
    "state": "Состояние (код)",
    "state_label": "Состояние",
}

#: The commands this module contributes to ``pedprof``.
COMMANDS = [calendar_command, cycle_command, roadmap_command]
