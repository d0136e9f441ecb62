"""CLI commands for collecting data: ``template``, ``check``, ``schema``, ``sample``."""

from __future__ import annotations

import datetime as dt
import json
import sys
from pathlib import Path
from typing import TYPE_CHECKING

import click
import pandas as pd
from rich.console import Console
from rich.table import Table

from pedprof.io.validate import CheckResult

if TYPE_CHECKING:
    from pedprof.model.profile import Profile

__all__ = ["COMMANDS"]


def _console() -> Console:
    return Console(highlight=False, soft_wrap=False)


def _profile(profile_id: str):  # type: ignore[no-untyped-def]
    import pedprof

    try:
        return pedprof.get_profile(profile_id)
    except LookupError as exc:
        raise click.ClickException(str(exc.args[0])) from None


_PROFILE = click.option(
    "--profile", "profile_id", required=True, help="Профиль муниципалитета (например, karabash)."
)


@click.command(
    "template",
    help=(
        "Записать бланк формы сбора сведений (.xlsx): инструкция, листы таблиц с описанием "
        "столбцов, проверкой ввода и строкой-образцом. По умолчанию — форма образовательной "
        "организации."
    ),
)
@_PROFILE
@click.option(
    "--organization", "organization", default=None, help="Код организации: заполнить его в форме."
)
@click.option(
    "--municipality",
    "municipality",
    default=None,
    help="Код муниципалитета: форма муниципальной методической службы.",
)
@click.option("--register", "register", is_flag=True, help="Форма реестра организаций.")
@click.option(
    "--period", "period", default=None, help="Отчётный период (по умолчанию — ближайший по сроку)."
)
@click.option(
    "-o",
    "--output",
    type=click.Path(dir_okay=False, path_type=Path),
    required=True,
    help="Куда записать форму (.xlsx).",
)
def template_command(
    profile_id: str,
    organization: str | None,
    municipality: str | None,
    register: bool,
    period: str | None,
    output: Path,
) -> None:
    from pedprof.io import FormKind, default_period, write_form

    profile = _profile(profile_id)
    if (
        sum(
            x is not None and x is not False for x in (organization, municipality, register or None)
        )
        > 1
    ):
        raise click.UsageError(
            "Укажите не больше одного из --organization, --municipality, --register."
        )
    kind = FormKind.ORGANIZATION
    unit = organization
    if municipality is not None:
        kind, unit = FormKind.MUNICIPALITY, municipality
    elif register:
        kind = FormKind.REGISTER
    try:
        chosen = period or default_period(profile).label
        path = write_form(profile, output, kind=kind, unit_id=unit, period=chosen)
    except ValueError as exc:
        raise click.ClickException(str(exc)) from None
    console = _console()
    what = kind.label
    when = "" if kind is FormKind.REGISTER else f", период {chosen}"
    console.print(f"Форма записана: {path.resolve()} ({what}{when}).")


MAX_FILES_SHOWN = 40


def _file_table(result: CheckResult) -> Table:
    counts = result.counts
    refused = set(result.files.loc[result.files["status"] == "refused", "file"])
    per_file = counts.groupby("file", sort=True)["rejected"].sum()
    files = list(per_file.index)
    title = "Представленные файлы"
    if len(files) > MAX_FILES_SHOWN:
        files = [f for f in files if per_file[f] > 0 or f in refused][:MAX_FILES_SHOWN]
        title = f"Файлы с отклонёнными строками ({len(files)} из {len(per_file)})"
    table = Table(title=title, show_lines=False)
    for header, justify in (
        ("Файл", "left"),
        ("Организация", "left"),
        ("Период", "left"),
        ("Строк", "right"),
        ("Принято", "right"),
        ("Отклонено", "right"),
    ):
        table.add_column(header, justify=justify)  # type: ignore[arg-type]
    for file, group in counts[counts["file"].isin(files)].groupby("file", sort=True):
        units = ", ".join(sorted({u for u in group["unit_id"] if u})) or "—"
        periods = ", ".join(sorted({p for p in group["period"] if p})) or "—"
        rejected = int(group["rejected"].sum())
        table.add_row(
            str(file),
            units if len(units) < 40 else units[:37] + "…",
            periods,
            str(int(group["submitted"].sum())),
            str(int(group["accepted"].sum())),
            ("[red]" if rejected else "") + str(rejected) + ("[/]" if rejected else "")
            if file not in refused
            else "[red]файл не прочитан[/]",
        )
    table.add_row(
        "[bold]Всего[/]",
        "",
        "",
        f"[bold]{result.submitted}[/]",
        f"[bold]{result.accepted}[/]",
        f"[bold]{result.rejected}[/]",
    )
    return table


_AS_OF_REASONS = {
    "given": "указана",
    "today": "сегодня",
    "deadline": "окончание срока представления",
    "period_end": "окончание периода",
}


def _received_date(value: str | None) -> dt.date | None:
    from pedprof.model.values import CellProblem, parse_date

    if value is None:
        return None
    try:
        day = parse_date(value)
    except CellProblem as exc:
        why = f" ({exc.reason})" if exc.reason else ""
        raise click.BadParameter(
            f"«{value}»{why}: нужна дата в виде ДД.ММ.ГГГГ, например 05.08.2024.",
            param_hint="--received",
        ) from None
    if day is None:
        raise click.BadParameter("нужна дата в виде ДД.ММ.ГГГГ.", param_hint="--received")
    return day


def _dates_summary(result: CheckResult, profile: Profile) -> list[str]:
    """Where the submission dates came from, and at which date the statuses were judged."""
    from pedprof.io.register import DATE_SOURCE_LABELS

    reg = result.register
    lines: list[str] = []
    sources = reg.loc[reg["files"] != "", "date_source"].fillna("").astype(str)
    if len(sources):
        parts = [
            f"{label} — {int((sources == code).sum())}"
            for code, label in DATE_SOURCE_LABELS.items()
            if (sources == code).any()
        ]
        lines.append("Даты поступления сведений (организация × период): " + "; ".join(parts) + ".")
        if (sources == "file_mtime").any():
            lines.append(
                "  [yellow]Дата изменения файла ненадёжна: при копировании и распаковке она "
                "меняется. Укажите даты в реестре поступления сведений или параметром "
                "--received.[/]"
            )
        if sources.isin(["", "file_mtime_late"]).any():
            lines.append(
                "  Там, где дата поступления неизвестна, опоздание не определяется: укажите "
                "даты в реестре поступления сведений или параметром --received."
            )
    shown = []
    for label, days in reg.groupby("period", sort=True)["status_as_of"]:
        day = days.min()
        if pd.isna(day):
            continue
        why = _as_of_reason(profile, str(label), day.date())
        shown.append(f"{label} — на {day:%d.%m.%Y}{why}")
    if shown:
        lines.append("Статусы реестра представления определены: " + "; ".join(shown) + ".")
    return lines


def _as_of_reason(profile: Profile, label: str, day: dt.date) -> str:
    from pedprof.io.register import status_as_of
    from pedprof.model.periods import parse_period

    expected, reason = status_as_of(profile, parse_period(label, profile.info.period_kind))
    return f" ({_AS_OF_REASONS[reason]})" if expected == day else ""


@click.command(
    "check",
    help=(
        "Проверить заполненные формы (.xlsx), CSV и Parquet: файлы и папки. Пишет отчёт об "
        "ошибках (.xlsx с листом на каждую организацию и .csv) и реестр представления "
        "сведений; завершается с ненулевым кодом, если что-то отклонено. Дата представления "
        "— дата поступления: из реестра поступления сведений (лист или файл с таблицей "
        "«Реестр поступления сведений» среди проверяемых), иначе из --received, иначе дата "
        "изменения файла (если она не позже даты, на которую составлен реестр); дата "
        "сохранения внутри книги Excel не используется."
    ),
)
@_PROFILE
@click.argument("paths", nargs=-1, required=True, type=click.Path(exists=True, path_type=Path))
@click.option(
    "--report",
    "report",
    type=click.Path(dir_okay=False, path_type=Path),
    default=Path("out") / "check-report.xlsx",
    show_default=True,
    help="Отчёт об ошибках (.xlsx); рядом записывается .csv с тем же именем.",
)
@click.option(
    "--period",
    "periods",
    multiple=True,
    help="Периоды реестра представления (по умолчанию — представленные).",
)
@click.option(
    "--show", "show", default=20, show_default=True, help="Сколько ошибок показать на экране."
)
@click.option(
    "--received",
    "received",
    default=None,
    metavar="ДД.ММ.ГГГГ",
    help=(
        "Дата поступления проверяемых файлов — для тех, чьей даты нет в реестре поступления "
        "сведений."
    ),
)
def check_command(
    profile_id: str,
    paths: tuple[Path, ...],
    report: Path,
    periods: tuple[str, ...],
    show: int,
    received: str | None,
) -> None:
    from pedprof.app import MeasuresError, Monitoring
    from pedprof.io import write_error_csv, write_error_report

    profile = _profile(profile_id)
    console = _console()
    received_day = _received_date(received)
    year = Monitoring(profile)
    measures_error = ""
    try:
        result = year.check(
            list(paths),
            periods=list(periods) or None,
            progress=console.is_terminal,
            received=received_day,
        )
    except MeasuresError as exc:
        # the forms were read; the register of measures among them was not
        measures_error = str(exc)
        assert year.submissions is not None
        result = year.submissions
    except ValueError as exc:
        raise click.ClickException(str(exc)) from None
    console.print(f"[bold]Проверка сведений[/] — {profile.info.territory} (профиль {profile.id})")
    console.print(_file_table(result))
    errors = result.errors
    shown = errors[errors["severity"] == "error"].head(show)
    if len(shown):
        console.print(
            f"[bold red]Ошибки[/] (первые {len(shown)} из {int((errors['severity'] == 'error').sum())}):"
        )
        for message in shown["message"]:
            console.print(f"  • {message}")
    notices = errors[errors["severity"] == "notice"]
    if len(notices):
        console.print(f"Замечаний (ничего не отклоняют): {len(notices)} — см. отчёт.")
    reg = result.register
    if len(reg):
        expected = reg[reg["expected"]]
        console.print(
            "Реестр представления: "
            + ", ".join(
                f"{label} — {int((expected['status'] == code).sum())}"
                for code, label in (
                    ("on_time", "в срок"),
                    ("late", "с опозданием"),
                    ("missing", "не представили"),
                    ("pending", "срок не наступил"),
                )
                if (expected["status"] == code).any()
            )
        )
        missing = expected[expected["status"] == "missing"]
        for _, r in missing.head(20).iterrows():
            console.print(f"  • не представлено: {r['unit_id']} ({r['unit_name']}), {r['period']}")
        for line in _dates_summary(result, profile):
            console.print(line)
    if measures_error:
        console.print(f"[bold red]{measures_error}[/]")
    elif year.measures_source is not None:
        console.print(f"Реестр мер: {year.measures_source} — принято мер: {len(year.measures)}.")
        for problem in year.measures.problems:
            console.print(f"  [yellow]•[/] {problem}")
    xlsx = write_error_report(result, report)
    csv_path = write_error_csv(result, report.with_suffix(".csv"))
    console.print(f"Отчёт об ошибках: {xlsx.resolve()}; таблица ошибок: {csv_path.resolve()}")
    console.print(result.summary())
    if not result.ok or measures_error:
        sys.exit(1)


@click.command(
    "schema",
    help="Вывести JSON Schema таблиц профиля (для региональных платформ и разработчиков).",
)
@_PROFILE
@click.option("--table", "table", default=None, help="Только эта таблица (например, staff).")
@click.option(
    "-o",
    "--output",
    type=click.Path(dir_okay=False, path_type=Path),
    default=None,
    help="Записать в файл вместо вывода на экран.",
)
def schema_command(profile_id: str, table: str | None, output: Path | None) -> None:
    from pedprof.io import json_schema

    profile = _profile(profile_id)
    try:
        schema = json_schema(profile, table)
    except LookupError as exc:
        raise click.ClickException(str(exc.args[0])) from None
    text = json.dumps(schema, ensure_ascii=False, indent=2)
    if output is None:
        click.echo(text)
    else:
        output.parent.mkdir(parents=True, exist_ok=True)
        output.write_text(text + "\n", encoding="utf-8")
        _console().print(f"Схема записана: {output.resolve()}")


@click.command(
    "sample",
    help=(
        "Записать демонстрационные (СИНТЕТИЧЕСКИЕ) данные профиля в виде файлов, которые "
        "представили бы организации и методическая служба: заполненная форма на каждую "
        "организацию и период, муниципальные таблицы и реестр организаций."
    ),
)
@_PROFILE
@click.option(
    "-o",
    "--output",
    type=click.Path(file_okay=False, path_type=Path),
    required=True,
    help="Папка, куда записать файлы.",
)
def sample_command(profile_id: str, output: Path) -> None:
    import pedprof
    from pedprof.io import write_sample

    profile = _profile(profile_id)
    try:
        data = pedprof.load_sample(profile)
    except LookupError as exc:
        raise click.ClickException(str(exc.args[0])) from None
    files = write_sample(profile, output, data=data)
    rows = sum(len(t) for t in data.tables.values())
    console = _console()
    console.print(
        f"Записано файлов: {len(files)} в папку {output.resolve()} (строк данных: {rows}). "
        "Данные СИНТЕТИЧЕСКИЕ."
    )
    console.print(f"Проверка: pedprof check --profile {profile.id} {output}")


COMMANDS = [template_command, check_command, schema_command, sample_command]
