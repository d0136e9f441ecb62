"""The ``pedprof`` command line. Output is in Russian: methodologists read it."""

from __future__ import annotations

import contextvars
import gettext
import importlib
import sys
from typing import Any

import click

__all__ = ["COMMANDS", "LazyGroup", "RussianGroup", "main"]


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


#: The commands: name → (module, attribute, short help for the listing of ``--help``).
#: A command's module is imported only when the command runs (or its own help is asked
#: for), so ``pedprof --help`` does not load pandas, the engine or the report writers.
COMMANDS: dict[str, tuple[str, str, str]] = {
    "calendar": (
        "pedprof.cli._cycle",
        "calendar_command",
        "Календарь мониторинга на год: сроки, этапы, мероприятия.",
    ),
    "check": (
        "pedprof.cli._io",
        "check_command",
        "Проверить заполненные формы (.xlsx), CSV и Parquet: файлы и папки.",
    ),
    "compute": (
        "pedprof.cli._compute",
        "compute_command",
        "Расчёт показателей профиля по представленным данным.",
    ),
    "cycle": (
        "pedprof.cli._cycle",
        "cycle_command",
        "Управленческий цикл: реестр документов, полнота цикла, цепочки по критериям.",
    ),
    "demo": (
        "pedprof.cli._compute",
        "demo_command",
        "Демонстрация: расчёт показателей профиля на демонстрационных данных.",
    ),
    "new-profile": (
        "pedprof.cli._scaffold",
        "new_profile_command",
        "Создать заготовку профиля муниципалитета: дистрибутив с примерами и тестами.",
    ),
    "profile-check": (
        "pedprof.cli._profile_file",
        "profile_check_command",
        "Проверить файл профиля и показать, что он объявляет.",
    ),
    "profile-schema": (
        "pedprof.cli._profile_file",
        "profile_schema_command",
        "JSON Schema файла профиля (для редактора).",
    ),
    "profiles": (
        "pedprof.cli._compute",
        "profiles_command",
        "Список установленных профилей муниципалитетов.",
    ),
    "rate": ("pedprof.cli._rate", "rate_command", "Рейтинг организаций или муниципалитетов."),
    "serve": (
        "pedprof.cli._serve",
        "serve_command",
        "Запустить службу pedprof (HTTP API) с хранилищем сведений.",
    ),
    "users": ("pedprof.cli._serve", "users_group", "Методисты, входящие в службу по паролю."),
    "tokens": (
        "pedprof.cli._serve",
        "tokens_group",
        "Токены платформ (только чтение: показатели и справки).",
    ),
    "links": ("pedprof.cli._serve", "links_group", "Ссылки для загрузки форм организациями."),
    "report": (
        "pedprof.cli._report",
        "report_command",
        "Информационно-аналитическая справка (ИАС): .docx, .xlsx, .html, .pdf.",
    ),
    "roadmap": (
        "pedprof.cli._cycle",
        "roadmap_command",
        "Дорожная карта: сроки, ответственные, исполнение по годам, просроченные мероприятия.",
    ),
    "sample": (
        "pedprof.cli._io",
        "sample_command",
        "Записать демонстрационные (СИНТЕТИЧЕСКИЕ) данные профиля в виде заполненных форм.",
    ),
    "schema": ("pedprof.cli._io", "schema_command", "JSON Schema таблиц профиля."),
    "template": (
        "pedprof.cli._io",
        "template_command",
        "Записать бланк формы сбора сведений (.xlsx).",
    ),
}


class LazyGroup(RussianGroup):
    """A :class:`RussianGroup` whose commands are imported by name on first use
    (:data:`COMMANDS`); the listing of ``--help`` needs only their names and short help."""

    def __init__(self, *args: Any, lazy: dict[str, tuple[str, str, str]], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.lazy = lazy

    def list_commands(self, ctx: click.Context) -> list[str]:
        return sorted({*self.commands, *self.lazy})

    def get_command(self, ctx: click.Context, cmd_name: str) -> click.Command | None:
        if cmd_name not in self.commands and cmd_name in self.lazy:
            module, attribute, _ = self.lazy[cmd_name]
            command = getattr(importlib.import_module(module), attribute)
            self.add_command(command, cmd_name)
        command = self.commands.get(cmd_name)
        # click builds a command's --help option once, in the language of the moment: a
        # command first run on its own (outside this group) would keep English help.
        cached = getattr(command, "_help_option", None)
        if cached is not None and cached.help != _click_gettext("Show this message and exit."):
            command._help_option = None  # type: ignore[union-attr]
        return command

    def format_commands(self, ctx: click.Context, formatter: click.HelpFormatter) -> None:
        rows = []
        for name in self.list_commands(ctx):
            if name in self.lazy:
                text = self.lazy[name][2]
            else:
                command = self.commands[name]
                if command.hidden:
                    continue
                text = command.get_short_help_str(formatter.width)
            rows.append((name, text))
        if rows:
            with formatter.section(_click_gettext("Commands")):
                formatter.write_dl(rows)


@click.group(
    cls=LazyGroup,
    lazy=COMMANDS,
    help="pedprof — система обеспечения профессионального развития педагогических работников.",
)
@click.version_option(
    package_name="pedprof",
    message="%(prog)s, версия %(version)s",
    help="Показать версию и выйти.",
)
def main() -> None:
    """The command group."""


def __getattr__(name: str) -> Any:
    # What the command modules define stays reachable as ``pedprof.cli.<name>`` (as before
    # the commands moved), imported on first access.
    if name in ("short_target", "target_summary", "LEVEL_TITLES", "PROFILE_COLUMNS"):
        from pedprof.cli import _compute

        return getattr(_compute, name)
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())
