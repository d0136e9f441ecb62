"""``pedprof report``: the information-analytical report (ИАС) as .docx, .xlsx and .html."""

from __future__ import annotations

import datetime as dt
import time
from collections.abc import Sequence
from pathlib import Path
from typing import TYPE_CHECKING

import click

if TYPE_CHECKING:
    from rich.console import Console

    from pedprof.app import Monitoring
    from pedprof.io import CheckResult
    from pedprof.model.data import Dataset
    from pedprof.model.profile import Profile

__all__ = ["ALLOW_REJECTED", "COMMANDS", "check_data", "read_data", "report_command"]


#: ``--allow-rejected``: every command that reads submitted data refuses, as ``pedprof
#: check`` does, when something was rejected — unless told to go on with what was accepted.
ALLOW_REJECTED = click.option(
    "--allow-rejected",
    is_flag=True,
    help="Продолжить, даже если часть сведений отклонена при проверке (расчёт — только по "
    "принятым строкам). Без этого флага команда, как и pedprof check, завершается с ошибкой.",
)

#: How many of the errors are listed on the screen.
ERRORS_SHOWN = 20


def check_data(
    year: Monitoring,
    paths: Sequence[Path],
    console: Console,
    *,
    allow_rejected: bool = False,
    progress: bool = False,
    with_measures: bool = True,
) -> CheckResult:
    """Check submitted data into ``year`` (:meth:`pedprof.Monitoring.check`) and refuse
    as ``pedprof check`` does.

    Every command that reads forms, CSV or Parquet (``compute``, ``report``, ``rate
    --register``) calls this: the summary and the first errors are printed in the words
    ``check`` prints them, and when anything was rejected the command stops with a
    non-zero exit code (no traceback) unless ``allow_rejected``.

    :param year: the monitoring the accepted rows go into.
    :param paths: files and folders.
    :param console: where to print.
    :param allow_rejected: go on with the accepted rows (a warning is printed).
    :param progress: show a progress bar.
    :param with_measures: load a register of measures found among the files.
    :returns: the check's result.
    :raises click.ClickException: the data cannot be read, something was rejected (and
        ``allow_rejected`` is off), or there is no organisation register.
    """
    from pedprof.app import MeasuresError

    profile = year.profile
    try:
        result = year.check(list(paths), progress=progress, with_measures=with_measures)
    except MeasuresError as exc:
        raise click.ClickException(str(exc)) from None
    except (ValueError, LookupError) as exc:
        # ValueError is what check reports; KeyError is a malformed table the reader did
        # not foresee — never a traceback for the methodologist.
        detail = exc.args[0] if isinstance(exc, KeyError) and exc.args else exc
        raise click.ClickException(
            f"Сведения не прочитаны: {detail}. Проверьте файлы: pedprof check --profile "
            f"{profile.id} ФАЙЛЫ."
        ) from None
    console.print(result.summary())
    errors = result.errors[result.errors["severity"] == "error"]
    if len(errors):
        shown = errors.head(ERRORS_SHOWN)
        console.print(f"[bold red]Ошибки[/] (первые {len(shown)} из {len(errors)}):")
        for message in shown["message"]:
            console.print(f"  • {message}")
        if not allow_rejected:
            raise click.ClickException(
                f"Часть сведений отклонена при проверке (ошибок: {len(errors)}, отклонено "
                f"строк: {result.rejected}). Исправьте ошибки — отчёт по каждой организации: "
                f"pedprof check --profile {profile.id} ФАЙЛЫ — или запустите с "
                "--allow-rejected, чтобы продолжить только по принятым строкам."
            )
        console.print(
            "[bold]Внимание:[/] часть сведений отклонена; результат построен только по "
            "принятым строкам (--allow-rejected)."
        )
    if result.dataset is None:
        raise click.ClickException(
            "Не найден реестр образовательных организаций: добавьте его к данным."
        )
    return result


def read_data(
    profile: Profile,
    paths: Sequence[Path],
    console: Console,
    *,
    allow_rejected: bool = False,
    progress: bool = False,
) -> tuple[Dataset, int]:
    """:func:`check_data` into a fresh :class:`pedprof.Monitoring` of ``profile``.

    :returns: the dataset of accepted rows and the number of rows rejected.
    """
    from pedprof.app import Monitoring

    year = Monitoring(profile)
    result = check_data(
        year, paths, console, allow_rejected=allow_rejected, progress=progress, with_measures=False
    )
    return year.data, result.rejected


def get_profile(profile_id: str) -> Profile:
    """The installed profile, or a Russian error naming the installed ones."""
    from pedprof.plugins import get_profile as _get

    try:
        return _get(profile_id)
    except LookupError as exc:
        raise click.ClickException(str(exc.args[0])) from None


def _points(value: float) -> str:
    return f"{value:g}".replace(".", ",")


def parse_today(text: str | None) -> dt.date | None:
    """The ``--today`` date (ДД.ММ.ГГГГ or ГГГГ-ММ-ДД) of the commands that judge dates."""
    if text is None:
        return None
    for fmt in ("%d.%m.%Y", "%Y-%m-%d"):
        try:
            return dt.datetime.strptime(text.strip(), fmt).date()
        except ValueError:
            continue
    raise click.BadParameter(
        f"«{text}» не является датой: ожидается ДД.ММ.ГГГГ, например 01.09.2024",
        param_hint="--today",
    )


@click.command(
    "report",
    help=(
        "Информационно-аналитическая справка (ИАС) по результатам мониторинга: .docx "
        "(справка для утверждения приказом), .xlsx (таблицы с диаграммами) и .html "
        "(одна страница). Без DATA используются демонстрационные данные профиля. "
        "DATA — файлы и папки с представленными сведениями; файл measures.csv или "
        "measures.xlsx среди них считается реестром мер."
    ),
)
@click.argument("data", nargs=-1, type=click.Path(exists=True, path_type=Path))
@click.option("--profile", "profile_id", required=True, help="Профиль (например, karabash).")
@click.option(
    "-o",
    "--output",
    type=click.Path(file_okay=False, path_type=Path),
    default=Path("out"),
    show_default=True,
    help="Папка для файлов справки.",
)
@click.option("--period", default=None, help="Отчётный период (по умолчанию — последний).")
@click.option(
    "--measures",
    "measures_path",
    type=click.Path(exists=True, dir_okay=False, path_type=Path),
    default=None,
    help="Реестр мер и управленческих решений (.xlsx или .csv).",
)
@click.option(
    "--suppress",
    type=click.IntRange(min=1),
    default=None,
    help="Скрывать доли, рассчитанные менее чем по N работникам (защита от идентификации).",
)
@click.option(
    "--format",
    "formats",
    type=click.Choice(["docx", "xlsx", "html", "pdf"]),
    multiple=True,
    help="Форматы (по умолчанию docx, xlsx и html; pdf — если установлен LibreOffice); можно "
    "указать несколько раз.",
)
@click.option(
    "--full",
    is_flag=True,
    help="Полная редакция справки: результаты по критериям с диаграммами, эффекты, сроки "
    "представления, рейтинг, управленческий цикл, дорожная карта, приложения.",
)
@click.option(
    "--preface",
    "preface_text",
    default=None,
    help="Текст методиста, который включается в справку после заголовка без изменений.",
)
@click.option(
    "--preface-file",
    "preface_file",
    type=click.Path(exists=True, dir_okay=False, path_type=Path),
    default=None,
    help="Файл (UTF-8) с текстом методиста, который включается в справку без изменений.",
)
@click.option("--no-charts", is_flag=True, help="Без диаграмм в .docx и .html (быстрее).")
@click.option("--no-rating", is_flag=True, help="Без раздела о рейтинге организаций.")
@click.option(
    "--documents",
    "documents",
    multiple=True,
    type=click.Path(exists=True, dir_okay=False, path_type=Path),
    help="Реестр документов механизма (.xlsx или .csv) для раздела об управленческом цикле; "
    "можно указать несколько раз.",
)
@click.option(
    "--roadmap-status",
    "roadmap_status",
    type=click.Path(exists=True, dir_okay=False, path_type=Path),
    default=None,
    help="Сведения об исполнении дорожной карты: «№ п/п», «Год», «Статус», «Подтверждающий "
    "документ» (.xlsx или .csv; форма — pedprof roadmap --template).",
)
@click.option(
    "--today",
    "today_text",
    default=None,
    help="Дата, на которую оценивается исполнение дорожной карты (ДД.ММ.ГГГГ). По умолчанию "
    "— последний день отчётного периода (31.08 для учебного года), а если он ещё не "
    "наступил — сегодня; справка называет использованную дату.",
)
@click.option(
    "--no-cycle",
    is_flag=True,
    help="Без разделов об управленческом цикле и исполнении дорожной карты.",
)
@click.option(
    "--tolerance",
    type=click.FloatRange(min=0),
    default=0.0,
    show_default=True,
    help="Изменение доли в пределах ± стольких п.п. считается стабильным.",
)
@ALLOW_REJECTED
def report_command(
    data: tuple[Path, ...],
    profile_id: str,
    output: Path,
    period: str | None,
    measures_path: Path | None,
    suppress: int | None,
    formats: tuple[str, ...],
    no_charts: bool,
    no_rating: bool,
    documents: tuple[Path, ...],
    roadmap_status: Path | None,
    today_text: str | None,
    no_cycle: bool,
    tolerance: float,
    allow_rejected: bool,
    full: bool = False,
    preface_text: str | None = None,
    preface_file: Path | None = None,
) -> None:
    from rich.console import Console

    from pedprof.app import MeasuresError, Monitoring, NoDataError
    from pedprof.reports import FORMATS, LibreOfficeMissingError

    console = Console(highlight=False, soft_wrap=False)
    started = time.perf_counter()
    profile = get_profile(profile_id)
    if data:
        year = Monitoring(profile)
        check_data(
            year,
            data,
            console,
            allow_rejected=allow_rejected,
            with_measures=measures_path is None,
        )
    else:
        try:
            year = Monitoring.from_sample(profile)
        except MeasuresError as exc:
            raise click.ClickException(str(exc)) from None
        except LookupError as exc:
            raise click.ClickException(str(exc.args[0])) from None
    if measures_path is not None:
        try:
            year.load_measures(measures_path)
        except MeasuresError as exc:
            raise click.ClickException(str(exc)) from None
    register = year.measures
    if year.measures_source is not None:
        console.print(f"Реестр мер: {year.measures_source} — принято мер: {len(register)}.")
        for problem in register.problems:
            console.print(f"  [yellow]•[/] {problem}")
    today = parse_today(today_text)
    statuses = None
    if roadmap_status is not None and not no_cycle:
        try:
            statuses = year.load_roadmap_statuses(roadmap_status)
        except NoDataError as exc:
            raise click.ClickException(str(exc)) from None
        except (OSError, ValueError) as exc:
            raise click.ClickException(
                f"Не удалось прочитать файл «{roadmap_status.name}»: {exc}"
            ) from None
        console.print(
            f"Сведения об исполнении дорожной карты: {roadmap_status} — принято строк: "
            f"{len(statuses)}, не принято: {len(statuses.problems)}."
        )
        for problem in statuses.problems:
            console.print(f"  [yellow]•[/] {problem}")
    year.documents = list(documents)
    try:
        report = year.report(
            period,
            suppress_below=suppress,
            rating=not no_rating,
            tolerance_points=tolerance,
            today=today,
            cycle=not no_cycle,
            full=full,
            preface=preface_file if preface_file is not None else preface_text,
        )
    except ValueError as exc:
        raise click.ClickException(str(exc)) from None
    try:
        written = year.write_report(
            output, report=report, formats=formats or FORMATS, charts=not no_charts
        )
    except LibreOfficeMissingError as exc:
        raise click.ClickException(str(exc)) from None
    note = year.note
    a = report.analysis
    cur = a.current()
    due = cur[cur["target_status"].isin(["met", "not_met"])]
    met = int((due["target_status"] == "met").sum())
    targets = (
        f"целевые значения с наступившим сроком: достигнуто {met} из {len(due)}"
        if len(due)
        else "целевых значений с наступившим сроком нет"
    )
    console.print(
        f"[bold]{report.title}[/] {report.subtitle}\n"
        f"Итоги: {targets}; проблемных зон: {len(a.problems)}; адресных рекомендаций: "
        f"{len(report.recommendations)}; мер в анализе эффективности: {len(register)}."
    )
    if report.cycle is not None:
        c = report.cycle
        console.print(
            f"Управленческий цикл: {'полный' if c.full else 'неполный'}, оценка "
            f"{_points(c.score)} из {_points(c.max_score)}."
        )
    if report.roadmap is not None:
        overdue = int((report.roadmap.execution["state"] == "overdue").sum())
        console.print(report.today_text)
        console.print(
            f"Дорожная карта: просроченных позиций — {overdue}"
            + ("" if statuses is not None else " (сведения об исполнении не переданы)")
            + "."
        )
    if note:
        console.print(note)
    for fmt, path in written.items():
        console.print(f"  {fmt}: {path}")
    console.print(f"Готово за {time.perf_counter() - started:.1f} с.")


COMMANDS = [report_command]
