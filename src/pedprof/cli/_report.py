"""``pedprof report``: the information-analytical report (ИАС) as .docx, .xlsx and .html."""

from __future__ import annotations

import datetime as dt
import importlib.metadata as md
import time
from collections.abc import Sequence
from importlib import resources
from pathlib import Path

import click
from rich.console import Console

import pedprof
from pedprof.cycle.measures import MeasureRegister, load_measures
from pedprof.model.data import Dataset
from pedprof.model.profile import Profile

__all__ = ["ALLOW_REJECTED", "COMMANDS", "read_data", "report_command"]

_MEASURE_NAMES = ("measures", "меры", "реестр мер")
_MEASURE_SUFFIXES = (".csv", ".xlsx")


def _is_measures(path: Path) -> bool:
    return path.suffix.lower() in _MEASURE_SUFFIXES and path.stem.lower() in _MEASURE_NAMES


def _sample_measures(profile: Profile) -> Path | None:
    """``data/sample/measures.csv`` in the package of the plugin that registered the
    profile (found through its entry point), if there is one."""
    for ep in md.entry_points(group="pedprof"):
        if ep.dist is None or ep.dist.name != profile.distribution:
            continue
        package = ep.value.split(":")[0].split(".")[0]
        try:
            candidate = resources.files(package).joinpath("data/sample/measures.csv")
        except ModuleNotFoundError:
            continue
        if candidate.is_file():
            return Path(str(candidate))
    return None


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


def read_data(
    profile: Profile,
    paths: Sequence[Path],
    console: Console,
    *,
    allow_rejected: bool = False,
    progress: bool = False,
) -> tuple[Dataset, int]:
    """Read submitted data the way ``pedprof check`` does, and refuse as it does.

    Every command that reads forms, CSV or Parquet (``compute``, ``report``, ``rate
    --register``) calls this: the files go through :func:`pedprof.io.read_submissions`,
    the summary and the first errors are printed in the words ``check`` prints them, and
    when anything was rejected the command stops with a non-zero exit code (no traceback)
    unless ``allow_rejected``.

    :param profile: the profile whose forms the files are.
    :param paths: files and folders.
    :param console: where to print.
    :param allow_rejected: go on with the accepted rows (a warning is printed).
    :param progress: show a progress bar.
    :returns: the dataset of accepted rows and the number of rows rejected.
    :raises click.ClickException: the data cannot be read, something was rejected (and
        ``allow_rejected`` is off), or there is no organisation register.
    """
    from pedprof.io import read_submissions

    try:
        result = read_submissions(profile, list(paths), progress=progress)
    except (ValueError, KeyError) as exc:
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
    return result.dataset, result.rejected


def _load_data(
    profile: Profile,
    paths: tuple[Path, ...],
    console: Console,
    *,
    allow_rejected: bool = False,
) -> tuple[Dataset, list[Path], int]:
    """The dataset from ``paths``, the measure registers found among them and how many
    rows were rejected."""
    measures = [p for p in paths if p.is_file() and _is_measures(p)]
    inputs: list[Path] = []
    for p in paths:
        if p.is_dir():
            for child in sorted(p.iterdir()):
                if _is_measures(child):
                    measures.append(child)
                elif not child.name.startswith((".", "~$")):
                    inputs.append(child)
        elif not _is_measures(p):
            inputs.append(p)
    dataset, rejected = read_data(profile, inputs, console, allow_rejected=allow_rejected)
    return dataset, measures, rejected


def _points(value: float) -> str:
    return f"{value:g}".replace(".", ",")


def _parse_today(text: str | None) -> dt.date | None:
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
    type=click.Choice(["docx", "xlsx", "html"]),
    multiple=True,
    help="Форматы (по умолчанию все три); можно указать несколько раз.",
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
) -> None:
    from pedprof.cycle.roadmaps import load_statuses
    from pedprof.reports import FORMATS, build_report, write_reports

    console = Console(highlight=False, soft_wrap=False)
    started = time.perf_counter()
    try:
        profile = pedprof.get_profile(profile_id)
    except KeyError as exc:
        raise click.ClickException(str(exc.args[0])) from None
    note = ""
    found: list[Path] = []
    if data:
        dataset, found, rejected = _load_data(profile, data, console, allow_rejected=allow_rejected)
        if rejected:
            note = (
                f"Справка построена без {rejected} строк сведений, отклонённых при проверке "
                "(pedprof check)."
            )
    else:
        try:
            dataset = pedprof.load_sample(profile)
        except LookupError as exc:
            raise click.ClickException(str(exc.args[0])) from None
        note = "Справка сформирована на демонстрационных (синтетических, вымышленных) данных."
        sample = _sample_measures(profile)
        if sample is not None:
            found = [sample]
    if measures_path is not None:
        found = [measures_path]
    register = MeasureRegister()
    if found:
        try:
            register = load_measures(
                found[0],
                profile=profile,
                organizations=dataset.organizations["org_id"].astype(str),
            )
        except ValueError as exc:
            raise click.ClickException(f"Реестр мер {found[0]}: {exc}") from None
        console.print(f"Реестр мер: {found[0]} — принято мер: {len(register)}.")
        for problem in register.problems:
            console.print(f"  [yellow]•[/] {problem}")
    today = _parse_today(today_text)
    statuses = None
    if roadmap_status is not None and not no_cycle:
        if not profile.roadmaps:
            raise click.ClickException(f"В профиле «{profile.id}» нет дорожной карты.")
        try:
            statuses = load_statuses(roadmap_status, profile)
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
    try:
        report = build_report(
            profile,
            dataset,
            period=period,
            measures=register,
            suppress_below=suppress,
            rating=not no_rating,
            note=note,
            tolerance_points=tolerance,
            documents=list(documents) or None,
            roadmap_status=statuses,
            today=today,
            cycle=not no_cycle,
        )
    except ValueError as exc:
        raise click.ClickException(str(exc)) from None
    written = write_reports(report, output, formats=formats or FORMATS, charts=not no_charts)
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
