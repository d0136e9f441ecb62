"""The ``pedprof`` command line. Output is in Russian: methodologists read it."""

from __future__ import annotations

import contextvars
import gettext
import importlib
import sys
from pathlib import Path
from typing import Any

import click
import pandas as pd
from rich.console import Console
from rich.table import Table

import pedprof
from pedprof.cli import _cycle as _cli_cycle
from pedprof.cli import _io as _cli_io
from pedprof.cli import _rate as _cli_rate
from pedprof.cli import _report as _cli_report
from pedprof.cli import _scaffold as _cli_scaffold
from pedprof.evaluate.analysis import analyze
from pedprof.formatting import format_number, format_result
from pedprof.model.data import Dataset
from pedprof.model.indicators import IndicatorKind
from pedprof.model.profile import Profile
from pedprof.model.targets import (
    AllOf,
    AtLeast,
    CountComposition,
    CumulativeSchedule,
    Exactly,
    PerOrganizationAtLeast,
    PositiveDynamics,
    Stable,
    Target,
)
from pedprof.reports.export import results_to_excel

__all__ = ["main"]


def _console() -> Console:
    return Console(highlight=False, soft_wrap=False)


# --------------------------------------------------------------------------- click in Russian
#
# click writes its own words (usage lines, section titles, error messages) through gettext:
# each of its modules calls ``_`` (``gettext.gettext``) or ``ngettext`` at the moment it
# writes. pedprof routes those calls through its Russian catalogue below, but only while the
# ``pedprof`` command runs (a context variable), so other click programs in the same process
# keep their language. The few words click fixes when a command is declared (the metavars
# ``[OPTIONS]``, ``TEXT``, ``FILE`` …) are set in Russian on pedprof's own commands as they
# are added to the group.

CLICK_RUSSIAN: dict[str, str] = {
    # core
    "Aborted!": "Прервано.",
    "deprecated": "устарело",
    "Missing command.": "Не указана команда.",
    "required": "обязательный",
    "Options": "Параметры",
    "Positional arguments": "Аргументы",
    "Commands": "Команды",
    "DeprecationWarning: The command {name!r} is deprecated.{extra_message}": (
        "Предупреждение: команда {name!r} устарела.{extra_message}"
    ),
    "DeprecationWarning: The {param_type} {name!r} is deprecated.{extra_message}": (
        "Предупреждение: параметр {name!r} устарел.{extra_message}"
    ),
    "Value must be an iterable.": "Значение должно быть последовательностью.",
    "Could not determine name for option with declarations {decls!r}": (
        "Не удалось определить имя параметра по объявлениям {decls!r}"
    ),
    "No options defined but a name was passed ({name}). Did you mean to declare an argument "
    "instead? Did you mean to pass '--{name}'?": (
        "Параметры не объявлены, но передано имя ({name}). Возможно, нужен аргумент или '--{name}'?"
    ),
    "env var: {var}": "переменная окружения: {var}",
    "default: {default}": "по умолчанию: {default}",
    "Arguments take exactly one parameter declaration, got {length}: {decls}.": (
        "У аргумента должно быть ровно одно объявление, получено {length}: {decls}."
    ),
    "(dynamic)": "(вычисляется)",
    "Name '{name}' defined twice": "Имя '{name}' объявлено дважды",
    "Boolean option {decl!r} cannot use the same flag for true/false.": (
        "Логический параметр {decl!r} не может задавать одним флагом и «да», и «нет»."
    ),
    # decorators
    "Do you want to continue?": "Продолжить?",
    "Confirm the action without prompting.": "Подтвердить действие без вопроса.",
    "%(prog)s, version %(version)s": "%(prog)s, версия %(version)s",
    "Show the version and exit.": "Показать версию и выйти.",
    "Show this message and exit.": "Показать эту справку и выйти.",
    # exceptions
    "Error: {message}": "Ошибка: {message}",
    "Try '{command} {option}' for help.": "Справка: {command} {option}",
    "Invalid value: {message}": "Недопустимое значение: {message}",
    "Invalid value for {param_hint}: {message}": "Недопустимое значение {param_hint}: {message}",
    "Missing argument": "Не указан аргумент",
    "Missing option": "Не указан параметр",
    "Missing parameter": "Не указан параметр",
    "Missing {param_type}": "Не указано значение",
    "Missing parameter: {param_name}": "Не указан параметр: {param_name}",
    "No such option {name!r}.": "Нет такого параметра {name!r}.",
    "No such command {name!r}.": "Нет такой команды {name!r}.",
    "Could not open file {filename!r}: {message}": (
        "Не удалось открыть файл {filename!r}: {message}"
    ),
    "unknown error": "неизвестная ошибка",
    # formatting
    "Usage:": "Использование:",
    # parser
    "Invalid start character for option ({option})": (
        "Недопустимый первый символ параметра ({option})"
    ),
    "Option {name!r} does not take a value.": "Параметр {name!r} не принимает значения.",
    "Argument {name!r} takes {nargs} values.": "Аргументу {name!r} нужно значений: {nargs}.",
    # shell completion
    "Couldn't detect Bash version, shell completion is not supported.": (
        "Не удалось определить версию Bash: автодополнение недоступно."
    ),
    "Shell completion is not supported for Bash versions older than 4.4.": (
        "Автодополнение доступно в Bash начиная с версии 4.4."
    ),
    # termui
    "Press any key to continue...": "Нажмите любую клавишу…",
    "Repeat for confirmation": "Повторите для подтверждения",
    "Error: The two entered values do not match.": "Ошибка: введённые значения не совпадают.",
    "Error: invalid input": "Ошибка: недопустимый ввод",
    "Unknown color {colour!r}": "Неизвестный цвет {colour!r}",
    "d": "д",
    "{editor}: Editing failed": "{editor}: не удалось отредактировать",
    "{editor}: Editing failed: {e}": "{editor}: не удалось отредактировать: {e}",
    "Windows error: {error}": "Ошибка Windows: {error}",
    # types
    "file": "файл",
    "directory": "каталог",
    "path": "путь",
    "Choose from:\n\t{choices}": "Допустимые значения:\n\t{choices}",
    "Choice({choices})": "Choice({choices})",
    "{value} is not in the range {range}.": "{value} — вне диапазона {range}.",
    "{value!r} is not a valid boolean. Recognized values: {states}": (
        "{value!r} — не логическое значение. Допустимые значения: {states}"
    ),
    "{value!r} is not a valid {number_type}.": "{value!r} — не число.",
    "{value!r} is not a valid UUID.": "{value!r} — не UUID.",
    "{name} {filename!r} does not exist.": "{name} {filename!r} не существует.",
    "{name} {filename!r} is a file.": "{name} {filename!r}: это файл.",
    "{name} {filename!r} is a directory.": "{name} {filename!r}: это каталог.",
    "{name} {filename!r} is not readable.": "{name} {filename!r}: нет прав на чтение.",
    "{name} {filename!r} is not writable.": "{name} {filename!r}: нет прав на запись.",
    "{name} {filename!r} is not executable.": "{name} {filename!r}: нет прав на выполнение.",
    # utils
    "Unknown standard stream '{name}'": "Неизвестный стандартный поток '{name}'",
}
"""click's messages (its gettext message ids) in Russian."""

CLICK_RUSSIAN_PLURAL: dict[tuple[str, str], tuple[str, str]] = {
    ("Got unexpected extra argument ({args})", "Got unexpected extra arguments ({args})"): (
        "Лишний аргумент ({args})",
        "Лишние аргументы ({args})",
    ),
    ("Takes {nargs} values but 1 was given.", "Takes {nargs} values but {len} were given."): (
        "Нужно значений: {nargs}, передано: 1.",
        "Нужно значений: {nargs}, передано: {len}.",
    ),
    ("Did you mean {possibility}?", "(Did you mean one of: {possibilities}?)"): (
        "Возможно, имелось в виду {possibility}?",
        "(Возможно, имелось в виду одно из: {possibilities}?)",
    ),
    ("Option {name!r} requires an argument.", "Option {name!r} requires {nargs} arguments."): (
        "Параметру {name!r} нужно значение.",
        "Параметру {name!r} нужно значений: {nargs}.",
    ),
    ("{value!r} is not {choice}.", "{value!r} is not one of {choices}."): (
        "{value!r}; допустимое значение: {choice}.",
        "{value!r}; допустимые значения: {choices}.",
    ),
    (
        "{value!r} does not match the format {format}.",
        "{value!r} does not match the formats {formats}.",
    ): (
        "{value!r} не соответствует формату {format}.",
        "{value!r} не соответствует ни одному из форматов {formats}.",
    ),
    (
        "{len_type} values are required, but {len_value} was given.",
        "{len_type} values are required, but {len_value} were given.",
    ): (
        "Нужно значений: {len_type}, передано: {len_value}.",
        "Нужно значений: {len_type}, передано: {len_value}.",
    ),
}
"""click's plural messages: (singular, plural) → (for one, for several)."""

# The modules of click that write messages (``_winconsole`` exists on Windows only).
_CLICK_MODULES = (
    "core",
    "decorators",
    "exceptions",
    "formatting",
    "parser",
    "shell_completion",
    "termui",
    "types",
    "utils",
    "_termui_impl",
    *(("_winconsole",) if sys.platform == "win32" else ()),
)
_RUSSIAN: contextvars.ContextVar[bool] = contextvars.ContextVar("pedprof_click_ru", default=False)


def _click_gettext(message: str) -> str:
    if _RUSSIAN.get():
        return CLICK_RUSSIAN.get(message, message)
    return gettext.gettext(message)


def _click_ngettext(singular: str, plural: str, n: int) -> str:
    if _RUSSIAN.get():
        forms = CLICK_RUSSIAN_PLURAL.get((singular, plural))
        if forms is not None:
            return forms[0] if n == 1 else forms[1]
    return gettext.ngettext(singular, plural, n)


def _route_click_gettext() -> None:
    """Make click's modules look their messages up through :data:`CLICK_RUSSIAN` (while
    the ``pedprof`` command runs; gettext as before otherwise). Idempotent."""
    for name in _CLICK_MODULES:
        module = importlib.import_module(f"click.{name}")
        if getattr(module, "_", None) is gettext.gettext:
            module._ = _click_gettext  # type: ignore[attr-defined]
        if getattr(module, "ngettext", None) is gettext.ngettext:
            module.ngettext = _click_ngettext  # type: ignore[attr-defined]


# The metavars click derives from a parameter's type, and the ones of commands.
_METAVARS = {
    "TEXT": "ТЕКСТ",
    "INTEGER": "ЦЕЛОЕ",
    "INTEGER RANGE": "ЦЕЛОЕ",
    "FLOAT": "ЧИСЛО",
    "FLOAT RANGE": "ЧИСЛО",
    "BOOLEAN": "1|0",
    "UUID": "UUID",
    "FILENAME": "ФАЙЛ",
}
_PATH_NAMES = {"file": "файл", "directory": "каталог", "path": "путь"}
_COMMAND_METAVARS = {
    "[OPTIONS]": "[ПАРАМЕТРЫ]",
    "COMMAND [ARGS]...": "КОМАНДА [АРГУМЕНТЫ]...",
    "[COMMAND1] [ARGS]... [COMMAND2 [ARGS]...]...": (
        "[КОМАНДА1] [АРГУМЕНТЫ]... [КОМАНДА2 [АРГУМЕНТЫ]...]..."
    ),
    "COMMAND1 [ARGS]... [COMMAND2 [ARGS]...]...": (
        "КОМАНДА1 [АРГУМЕНТЫ]... [КОМАНДА2 [АРГУМЕНТЫ]...]..."
    ),
}


def _russian_metavars(command: click.Command) -> None:
    """Set in Russian the words click fixes when ``command`` is declared: ``[OPTIONS]``,
    ``COMMAND [ARGS]...``, the type names of options (``TEXT``, ``INTEGER`` …) and of paths
    (``file``, ``directory``, ``path``: also used in error messages). Sub-commands too."""
    if command.options_metavar in _COMMAND_METAVARS:
        command.options_metavar = _COMMAND_METAVARS[command.options_metavar]
    if isinstance(command, click.Group):
        if command.subcommand_metavar in _COMMAND_METAVARS:
            command.subcommand_metavar = _COMMAND_METAVARS[command.subcommand_metavar]
        for sub in command.commands.values():
            _russian_metavars(sub)
    for param in command.params:
        if isinstance(param.type, click.Path):
            param.type.name = _PATH_NAMES.get(param.type.name, param.type.name)
        elif (
            isinstance(param, click.Option)
            and param.metavar is None
            and not param.is_flag
            and not param.count
        ):
            metavar = _METAVARS.get(param.type.name.upper())
            if metavar is not None:
                param.metavar = metavar


class RussianGroup(click.Group):
    """A click group that speaks Russian: click's own messages, usage lines and section
    titles, for the group and every command added to it."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        _russian_metavars(self)

    def add_command(self, cmd: click.Command, name: str | None = None) -> None:
        _russian_metavars(cmd)
        super().add_command(cmd, name)

    def main(self, *args: Any, **kwargs: Any) -> Any:
        _route_click_gettext()
        token = _RUSSIAN.set(True)
        try:
            return super().main(*args, **kwargs)
        finally:
            _RUSSIAN.reset(token)


@click.group(
    cls=RussianGroup,
    help="pedprof — система обеспечения профессионального развития педагогических работников.",
)
@click.version_option(
    package_name="pedprof",
    message="%(prog)s, версия %(version)s",
    help="Показать версию и выйти.",
)
def main() -> None:
    """The command group."""


PROFILE_COLUMNS = ("Профиль", "Дистрибутив", "Версия", "Показателей", "Источников", "Территория")
"""The columns of ``pedprof profiles``, in the order of :func:`_profile_row`."""


def _profile_row(p: Profile) -> tuple[str, ...]:
    return (
        p.id,
        p.distribution,
        p.version,
        str(len(p.indicators)),
        str(len(p.sources)),
        p.info.territory,
    )


@main.command("profiles", help="Список установленных профилей муниципалитетов.")
def profiles_command() -> None:
    console = _console()
    rows = [_profile_row(p) for p in pedprof.list_profiles()]
    table = Table(title="Установленные профили")
    for header in PROFILE_COLUMNS:
        table.add_column(header, no_wrap=True)
    for row in rows:
        table.add_row(*row)
    natural = console.measure(table, options=console.options.update_width(10_000)).maximum
    if not console.is_terminal:
        # In a pipe or a file there is no screen to fit: the table keeps its natural width
        # (rich would otherwise cut it at 80 columns).
        console.width = max(console.width, natural)
    if console.width >= natural:
        console.print(table)
    else:  # a narrow terminal: one profile per paragraph
        console.print("[bold]Установленные профили[/]")
        for row in rows:
            pid, distribution, version, indicators, sources, territory = row
            console.print(f"[bold]{pid}[/] — {territory}")
            console.print(
                f"   {distribution} {version}; показателей: {indicators}; источников: {sources}"
            )
    problems = pedprof.plugin_problems()
    if problems:
        console.print("[bold red]Ошибки подключения профилей:[/]")
        for problem in problems:
            console.print(f"  • {problem}")


LEVEL_TITLES = {"municipality": "муниципальный уровень", "region": "региональный уровень"}


def _demo_tables(
    profile: Profile, results: pd.DataFrame, names: dict[str, str], width: int
) -> list[Table | str]:
    """One table per unit at the profile's own level (the municipality, or the region);
    on a narrow terminal a list instead, one indicator per paragraph."""
    level = profile.info.level
    top = results[(results["level"] == level) & results["breakdown"].isna()]
    out: list[Table | str] = []
    for unit, rows in top.groupby("unit", observed=True):
        title = f"{names.get(str(unit), str(unit))}: показатели по годам ({LEVEL_TITLES.get(level, level)})"
        lines = _demo_rows(profile, rows)
        if width >= 120:
            out.append(_demo_table(title, lines))
        else:
            out.append(_demo_list(title, lines))
    return out


def _demo_rows(profile: Profile, top: pd.DataFrame) -> list[dict[str, object]]:
    periods = [str(p) for p in top["period"].cat.categories if (top["period"] == p).any()]
    by_ind = {
        k: g.set_index(g["period"].astype(str)) for k, g in top.groupby("indicator", observed=True)
    }
    lines: list[dict[str, object]] = []
    for ind in profile.indicators:
        rows = by_ind.get(ind.id)
        if rows is None:
            continue
        values = {}
        for p in periods:
            if p in rows.index:
                r = rows.loc[p]
                values[p] = format_result(
                    r["value"],
                    str(r["state"]),
                    kind=ind.kind,
                    level=str(r["level"]),
                    numerator=r["numerator"],
                    denominator=r["denominator"],
                )
            else:
                values[p] = "—"
        last = rows.loc[periods[-1]] if periods[-1] in rows.index else None
        target = profile.targets.get(ind.id)
        status = "—"
        if target is not None and last is not None:
            met = last["target_met"]
            if not bool(last["target_due"]):
                status = "срок не наступил"
            elif pd.isna(met):
                status = "нет оценки"
            else:
                status = "да" if bool(met) else "нет"
        name = ind.short_name or ind.name
        lines.append(
            {
                "id": ind.id,
                "name": name if len(name) <= 140 else name[:137] + "…",
                "values": values,
                "target": short_target(target, percent=ind.kind is IndicatorKind.SHARE)
                if target
                else "не установлена",
                "status": status,
            }
        )
    return lines


def _demo_table(title: str, lines: list[dict[str, object]]) -> Table:
    table = Table(title=title, expand=True)
    table.add_column("Код", no_wrap=True)
    table.add_column("Показатель", ratio=3, overflow="fold")
    periods = list(lines[0]["values"]) if lines else []  # type: ignore[call-overload]
    for p in periods:
        table.add_column(p, justify="right", no_wrap=True)
    table.add_column("Цель", ratio=1, overflow="fold")
    table.add_column("Достигнута", no_wrap=True)
    for line in lines:
        values: dict[str, str] = line["values"]  # type: ignore[assignment]
        table.add_row(
            str(line["id"]),
            str(line["name"]),
            *values.values(),
            str(line["target"]),
            str(line["status"]),
        )
    return table


def _demo_list(title: str, lines: list[dict[str, object]]) -> str:
    out = [f"[bold]{title}[/]", ""]
    for line in lines:
        values: dict[str, str] = line["values"]  # type: ignore[assignment]
        out.append(f"[bold]{line['id']}[/] {line['name']}")
        out.append("   " + "; ".join(f"{p}: {v}" for p, v in values.items()))
        out.append(f"   цель: {line['target']}; достигнута: {line['status']}")
    return "\n".join(out)


def short_target(target: Target, *, percent: bool = False) -> str:
    """A target in a few words for tables: «≥ 35 к 2024», «рост ≥ 10 % к 2020-2021».

    :param percent: the indicator is a share: thresholds are written as percentages
        («≥ 35 % к 2024»), growth in points as «п. п.».
    """
    by_year = getattr(target, "by_year", None)
    when = f" к {by_year}" if by_year else ""
    unit = " %" if percent else ""
    if isinstance(target, AllOf):
        return " и ".join(short_target(p, percent=percent) for p in target.parts)
    if isinstance(target, AtLeast):
        sign = "≥" if target.inclusive else ">"
        return f"{sign} {format_number(target.value)}{unit}{when or ' ежегодно'}"
    if isinstance(target, Exactly):
        return f"= {format_number(target.value)}{unit}{when or ' ежегодно'}"
    if isinstance(target, CumulativeSchedule):
        return f"≥ {format_number(target.step)}{unit} в год, до {format_number(target.cap)}{unit}"
    if isinstance(target, PositiveDynamics):
        base = f" к {target.baseline.label}" if target.baseline is not None else " к пред. году"
        if target.min_relative is not None:
            return f"рост ≥ {format_number(target.min_relative)} %{base}{when}"
        if target.min_points is not None:
            points = "п. п." if percent else "ед."
            return f"рост ≥ {format_number(target.min_points)} {points}{base}{when}"
        return f"рост{base}{when}"
    if isinstance(target, Stable):
        return "без снижения"
    if isinstance(target, PerOrganizationAtLeast):
        return f"≥ {format_number(target.value)} в каждой ОО{when}"
    if isinstance(target, CountComposition):
        return f"≥ {format_number(target.total)}, по каждому виду{when}"
    return target.describe()


def _indicators_genitive(n: int) -> str:
    """«из 1 показателя», «из 21 показателя», «из 26 показателей»."""
    return "показателя" if n % 10 == 1 and n % 100 != 11 else "показателей"


def target_summary(profile: Profile, data: Dataset, results: pd.DataFrame) -> list[str]:
    """What the demo says about targets, each count saying what it counts.

    * The latest period, counted as in the conclusions of the ИАС
      (:func:`pedprof.evaluate.analysis.analyze`, the profile's level, totals without breakdowns):
      indicators whose target is met, out of those whose target is met or due and not met.
    * Every period: the targets due (one per indicator × period × unit of the profile's
      level), how many of them are met, not met, or cannot be judged for lack of data.
    """
    if not profile.targets:
        return ["Целевые значения профилем не установлены: показаны значения по годам."]
    level = profile.info.level
    where = LEVEL_TITLES.get(level, level)
    lines: list[str] = []
    try:
        current = analyze(profile, data, results).current()
    except ValueError:  # nothing to analyse
        current = None
    if current is not None and len(current):
        period = str(current["period"].iloc[0])
        status = current["target_status"].astype(str)
        judged = int(status.isin(["met", "not_met"]).sum())
        met = int((status == "met").sum())
        if judged:
            lines.append(
                f"Итог {period} ({where}), как в выводах ИАС: целевые значения достигнуты по "
                f"{met} из {judged} {_indicators_genitive(judged)} (учтены показатели с "
                "наступившим сроком цели и с целью, достигнутой досрочно)."
            )
        else:
            lines.append(
                f"Итог {period} ({where}), как в выводах ИАС: сроки целевых значений не наступили."
            )
    top = results[(results["level"] == level) & results["breakdown"].isna()]
    due = top.loc[top["target_due"].astype(bool), "target_met"].astype("boolean")
    if len(due):
        periods = [str(p) for p in top["period"].cat.categories if (top["period"] == p).any()]
        span = f"{periods[0]} — {periods[-1]}" if len(periods) > 1 else periods[0]
        unknown = int(due.isna().sum())
        lines.append(
            f"Все годы {span} ({where}): целевых значений с наступившим сроком — {len(due)} "
            f"(показатель × год), достигнуто — {int(due.eq(True).sum())}, "
            f"не достигнуто — {int(due.eq(False).sum())}"
            + (f", нет данных для оценки — {unknown}." if unknown else ".")
        )
    return lines


def _unit_names(data: Dataset) -> dict[str, str]:
    names: dict[str, str] = {}
    for frame, key in (
        (data.organizations, "org_id"),
        (data.municipalities, "municipality_id"),
        (data.regions, "region_id"),
    ):
        if "name" in frame.columns:
            names.update(zip(frame[key].astype(str), frame["name"].astype(str), strict=True))
    return names


@main.command("demo", help="Демонстрация: расчёт показателей профиля на демонстрационных данных.")
@click.option("--profile", "profile_id", default="karabash", show_default=True, help="Профиль.")
@click.option(
    "-o",
    "--output",
    type=click.Path(dir_okay=False, path_type=Path),
    default=None,
    help="Куда записать полные результаты (.xlsx); по умолчанию out/<профиль>-demo.xlsx.",
)
def demo_command(profile_id: str, output: Path | None) -> None:
    console = _console()
    try:
        profile = pedprof.get_profile(profile_id)
        data = pedprof.load_sample(profile)
    except (KeyError, LookupError) as exc:
        raise click.ClickException(str(exc.args[0])) from None
    results = pedprof.compute(profile, data)
    console.print(
        f"[bold]{profile.title}[/] — {profile.info.territory}\n"
        "Данные: демонстрационные (СИНТЕТИЧЕСКИЕ, вымышленные). "
        f"Организаций: {len(data.organizations)}, строк данных о работниках: "
        f"{sum(len(t) for t in data.tables.values() if 'person_id' in t.columns)}."
    )
    names = _unit_names(data)
    for table in _demo_tables(profile, results, names, console.width):
        console.print(table)
    for ind in profile.indicators:
        if ind.kind is IndicatorKind.PER_ORGANIZATION_MINIMUM and ind.minimum is not None:
            console.print(
                f"{ind.id}: «N из M ОО» — число организаций, где значение не менее "
                f"{format_number(ind.minimum)}, из числа представивших сведения."
            )
    path = output or Path("out") / f"{profile.id}-demo.xlsx"
    written = results_to_excel(profile, results, path, unit_names_map=names)
    for line in target_summary(profile, data, results):
        console.print(line)
    console.print(f"Полные результаты записаны в файл: {written.resolve()}")


@main.command("compute", help="Расчёт показателей профиля по представленным данным.")
@click.option("--profile", "profile_id", required=True, help="Профиль.")
@click.argument("data", nargs=-1, type=click.Path(exists=True, path_type=Path))
@click.option(
    "-o",
    "--output",
    type=click.Path(dir_okay=False, path_type=Path),
    required=True,
    help="Файл результатов: .xlsx (с русскими заголовками), .parquet или .csv "
    "(для pedprof rate и региональных платформ).",
)
@click.option("--period", "periods", multiple=True, help="Только эти периоды (можно повторять).")
@_cli_report.ALLOW_REJECTED
def compute_command(
    profile_id: str,
    data: tuple[Path, ...],
    output: Path,
    periods: tuple[str, ...],
    allow_rejected: bool,
) -> None:
    """DATA: files and folders of submitted forms, CSV or Parquet (default: the sample)."""
    console = _console()
    suffix = output.suffix.lower()
    if suffix not in (".xlsx", ".parquet", ".csv"):
        raise click.BadParameter("ожидается файл .xlsx, .parquet или .csv", param_hint="-o")
    try:
        profile = pedprof.get_profile(profile_id)
    except KeyError as exc:
        raise click.ClickException(str(exc.args[0])) from None
    if data:
        # the reading, validation and refusal of pedprof check (one path for every command)
        dataset, _ = _cli_report.read_data(
            profile, data, console, allow_rejected=allow_rejected, progress=len(data) > 1
        )
    else:
        dataset = pedprof.load_sample(profile)
        console.print("Данные: демонстрационные (СИНТЕТИЧЕСКИЕ).")
    results = pedprof.compute(profile, dataset, periods=list(periods) or None)
    output.parent.mkdir(parents=True, exist_ok=True)
    if suffix == ".xlsx":
        results_to_excel(profile, results, output, unit_names_map=_unit_names(dataset))
    elif suffix == ".parquet":
        results.to_parquet(output, index=False)
    else:
        results.astype({"breakdown": "string"}).to_csv(output, index=False)
    console.print(f"Строк результатов: {len(results)}. Записано: {output.resolve()}")


# Commands that live in their own modules (data collection, rating, reports, the cycle).
for _module in (_cli_io, _cli_rate, _cli_report, _cli_cycle, _cli_scaffold):
    for _command in _module.COMMANDS:
        main.add_command(_command)


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())
