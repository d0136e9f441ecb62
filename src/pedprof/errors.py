"""Typed exceptions for programs that embed pedprof.

Every exception carries a Russian :attr:`~PedprofError.message` for the person who reads it
and structured fields for the program that catches it: :attr:`~PedprofError.what` is
wrong, :attr:`~PedprofError.where` (a :class:`Location`: table, row, column, and for
files the file and sheet) and what was :attr:`~PedprofError.expected`.

The hierarchy::

    PedprofError
    ├── ArgumentError (ValueError)             an argument's value is not allowed
    │   ├── PeriodFormatError                  a text that is not a period
    │   └── ArgumentTypeError (TypeError)      an object of the wrong kind
    │       └── ConditionValueError            a comparison with a value of the wrong kind
    ├── UnknownNameError (LookupError)         a name that is not among the known ones
    │   ├── ProfileNotFoundError               no installed profile of that id
    │   ├── SampleNotFoundError                a profile without sample data
    │   ├── UnknownIndicatorError              no indicator of that id in the profile
    │   ├── UnknownPeriodError                 a period absent from the results or data
    │   ├── UnknownUnitError                   an organisation or municipality not registered
    │   └── UnknownLevelError (ValueError)     not organization / municipality / region
    └── DatasetError (ValueError)              the dataset's structure is wrong
        ├── NotADatasetError (TypeError)       a DataFrame (or anything) instead of a Dataset
        ├── MissingTableError (LookupError)    a table an indicator reads is absent
        ├── MissingColumnError (LookupError)   a column the register or an indicator reads
        ├── DataValidationError                values that do not match their declarations
        └── InputFileError                     a file that cannot be read (submissions,
                                               measures, roadmap statuses)

Each also derives from the built-in exception in brackets, so ``except LookupError`` or
``except ValueError`` written for the older untyped errors keeps working; none is a
:class:`KeyError` (whose ``str()`` would quote the message).

Example::

    from pedprof.errors import DataValidationError, PedprofError

    try:
        results = pedprof.compute("karabash", dataset)
    except DataValidationError as exc:
        for problem in exc.problems:
            print(problem.where.table, problem.where.row, problem.where.column, problem.expected)
    except PedprofError as exc:
        print(exc.message, exc.what, exc.where, exc.expected)
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence

import attrs

__all__ = [
    "ArgumentError",
    "ArgumentTypeError",
    "ConditionValueError",
    "DataValidationError",
    "DatasetError",
    "InputFileError",
    "Location",
    "MissingColumnError",
    "MissingTableError",
    "NotADatasetError",
    "PedprofError",
    "PeriodFormatError",
    "Problem",
    "ProfileNotFoundError",
    "SampleNotFoundError",
    "UnknownIndicatorError",
    "UnknownLevelError",
    "UnknownNameError",
    "UnknownPeriodError",
    "UnknownUnitError",
]


@attrs.frozen
class Location:
    """Where a problem is.

    :param table: the table (source) name, e.g. ``staff``.
    :param row: the row, numbered from 1 (for a DataFrame: the first record is 1; for a
        sheet: the row number Excel shows).
    :param column: the column name in data (``age``), not its Russian label.
    :param file: the file, when the data came from one.
    :param sheet: the sheet of a workbook.
    """

    table: str = ""
    row: int | None = None
    column: str = ""
    file: str = ""
    sheet: str = ""


class PedprofError(Exception):
    """The base of pedprof's exceptions.

    :param message: the whole explanation in Russian, for a person.
    :param what: what is wrong, in Russian («указано «сорок»»).
    :param where: where it is.
    :param expected: what was expected, in Russian («целое число от 16 до 90»).
    """

    def __init__(
        self,
        message: str,
        *,
        what: str = "",
        where: Location | None = None,
        expected: str = "",
    ) -> None:
        super().__init__(message)
        self.message = message
        self.what = what
        self.where = where if where is not None else Location()
        self.expected = expected

    def __str__(self) -> str:
        return self.message

    def __reduce__(self) -> tuple[object, ...]:
        # Keyword fields survive pickling (multiprocessing, caches).
        return (_rebuild, (type(self), self.__dict__.copy()))


def _rebuild(cls: type[PedprofError], state: dict[str, object]) -> PedprofError:
    exc = cls.__new__(cls)
    Exception.__init__(exc, state.get("message", ""))
    exc.__dict__.update(state)
    return exc


# =========================================================================== arguments


class ArgumentError(PedprofError, ValueError):
    """An argument of a public function has a value it does not accept.

    :param argument: the parameter's name (``period``, ``level``, ``weights``).
    """

    def __init__(
        self,
        message: str,
        *,
        argument: str = "",
        what: str = "",
        where: Location | None = None,
        expected: str = "",
    ) -> None:
        super().__init__(message, what=what, where=where, expected=expected)
        self.argument = argument


class PeriodFormatError(ArgumentError):
    """A text that is not a period label (:func:`pedprof.parse_period`).

    :attr:`text` is the text as given.
    """

    def __init__(self, message: str, *, text: str, expected: str, argument: str = "") -> None:
        super().__init__(message, argument=argument, what=f"указано «{text}»", expected=expected)
        self.text = text


class ArgumentTypeError(ArgumentError, TypeError):
    """An argument of the wrong kind of object (a text where a list is expected, a
    profile where an analysis is). Also a :class:`TypeError`."""


class ConditionValueError(ArgumentTypeError):
    """A condition compares a column with a value it cannot be ordered against
    (``col("age").gt("сорок")``). Also a :class:`TypeError`.

    :attr:`column` and :attr:`value` are the condition's.
    """

    def __init__(self, message: str, *, column: str, value: object, expected: str) -> None:
        super().__init__(
            message,
            argument="value",
            what=f"указано «{value!r}»",
            where=Location(column=column),
            expected=expected,
        )
        self.column = column
        self.value = value


# =========================================================================== names


class UnknownNameError(PedprofError, LookupError):
    """A name (id, code, label) that is not among the known ones.

    :param name: the name as given (also :attr:`name`).
    :param known: the names that exist (also :attr:`known`; the message shortens a long list).
    :param message: the Russian message; by default «<noun> «name» не найден; есть: …».
    """

    #: What the name names, in Russian, for the default message.
    noun = "имя"

    def __init__(
        self,
        name: object,
        known: Iterable[object] = (),
        *,
        message: str = "",
        where: Location | None = None,
        expected: str = "",
    ) -> None:
        self.name = name
        self.known: tuple[str, ...] = tuple(str(k) for k in known)
        shown = _listing(self.known)
        expected = expected or (f"одно из: {shown}" if self.known else "")
        if not message:
            message = f"{self.noun.capitalize()} «{name}» не найден"
            if self.known:
                message += f"; есть: {shown}"
        super().__init__(message, what=f"указано «{name}»", where=where, expected=expected)


class ProfileNotFoundError(UnknownNameError):
    """No installed profile has this id; :attr:`known` lists the installed ones."""

    noun = "профиль"

    def __init__(self, name: object, known: Iterable[object] = ()) -> None:
        known = tuple(known)
        message = f"Профиль «{name}» не найден; установлены: " + (
            _listing(tuple(str(k) for k in known)) or "нет установленных профилей"
        )
        super().__init__(name, known, message=message)


class SampleNotFoundError(UnknownNameError):
    """The profile ships no sample data (:func:`pedprof.load_sample`)."""

    noun = "демонстрационные данные"

    def __init__(self, profile_id: str) -> None:
        super().__init__(
            profile_id,
            message=f"Профиль «{profile_id}» не содержит демонстрационных данных",
            expected="профиль с демонстрационными данными",
        )


class UnknownIndicatorError(UnknownNameError):
    """No indicator of this id in the profile (or in the results)."""

    noun = "показатель"


class UnknownPeriodError(UnknownNameError):
    """A well-formed period for which there are no results or no data."""

    noun = "период"


class UnknownUnitError(UnknownNameError):
    """An organisation or municipality that the register does not know."""

    noun = "единица"


class UnknownLevelError(UnknownNameError, ValueError):
    """A level other than ``organization``, ``municipality``, ``region``. Also a
    :class:`ValueError`."""

    noun = "уровень"


# =========================================================================== datasets


class DatasetError(PedprofError, ValueError):
    """The dataset's structure does not fit: the wrong object, a table or a column absent,
    a register that refers to units it does not contain. Also a :class:`ValueError`."""


class NotADatasetError(DatasetError, TypeError):
    """Something else (often a bare DataFrame) where a :class:`pedprof.Dataset` was
    expected. Also a :class:`TypeError`.

    :attr:`given` is the name of the type that was passed.
    """

    def __init__(self, given: object, *, argument: str = "data", table: str = "") -> None:
        self.given = type(given).__name__
        self.argument = argument
        if table:
            expected = "таблица pandas.DataFrame"
            message = (
                f"Таблица «{table}» набора данных должна быть pandas.DataFrame, "
                f"а передан объект типа {self.given}"
            )
        else:
            expected = "набор данных pedprof.Dataset (см. Dataset.from_frames, load_sample)"
            hint = (
                "; соберите набор данных через pedprof.Dataset.from_frames(профиль, "
                "{'имя таблицы': DataFrame, …}, regions=…, municipalities=…, organizations=…)"
                if self.given == "DataFrame"
                else ""
            )
            message = (
                f"Аргумент «{argument}» должен быть набором данных pedprof.Dataset, "
                f"а передан объект типа {self.given}{hint}"
            )
        super().__init__(
            message,
            what=f"передан {self.given}",
            where=Location(table=table),
            expected=expected,
        )


class InputFileError(DatasetError):
    """A file that cannot be read at all: not a workbook, password-protected, empty, of an
    unknown format. ``where.file`` names it. Also a :class:`ValueError`.

    :param file: the file's name or path, as the user gave it.
    :param message: why, in Russian.
    :param expected: what kind of file was expected («книга Excel .xlsx»).
    """

    def __init__(self, file: object, message: str, *, what: str = "", expected: str = "") -> None:
        self.file = str(file)
        super().__init__(
            message,
            what=what or "файл не прочитан",
            where=Location(file=self.file),
            expected=expected,
        )


class MissingTableError(DatasetError, LookupError):
    """A table the profile's indicators read is absent from the dataset.

    :attr:`table` is the missing one, :attr:`present` the tables the dataset has,
    :attr:`needed_by` the indicators that read it.
    """

    def __init__(
        self,
        table: str,
        present: Iterable[str],
        *,
        title: str = "",
        needed_by: Iterable[str] = (),
    ) -> None:
        self.table = table
        self.present = tuple(sorted(present))
        self.needed_by = tuple(needed_by)
        named = f"«{table}» ({title})" if title else f"«{table}»"
        message = f"В наборе данных нет таблицы {named}"
        if self.needed_by:
            message += f", которую читают показатели {_listing(self.needed_by)}"
        message += "; есть таблицы: " + (_listing(self.present) or "никаких")
        super().__init__(
            message,
            what="таблица отсутствует",
            where=Location(table=table),
            expected=f"таблица «{table}»",
        )


class MissingColumnError(DatasetError, LookupError):
    """Columns a table must have are absent.

    :attr:`table` is the table, :attr:`columns` the missing columns (``where.column`` is
    the first of them), :attr:`needed_by` who reads them (indicator ids, or «реестр»).
    """

    def __init__(
        self,
        table: str,
        columns: Iterable[str],
        *,
        title: str = "",
        needed_by: Iterable[str] = (),
        labels: Iterable[str] = (),
    ) -> None:
        self.table = table
        self.columns = tuple(columns)
        self.needed_by = tuple(needed_by)
        shown_labels = tuple(labels)
        if len(shown_labels) == len(self.columns):
            names = ", ".join(
                f"«{lab}» ({c})" if lab and lab != c else f"«{c}»"
                for c, lab in zip(self.columns, shown_labels, strict=True)
            )
        else:
            names = ", ".join(f"«{c}»" for c in self.columns)
        named = f"«{table}» ({title})" if title else f"«{table}»"
        word = "столбца" if len(self.columns) == 1 else "столбцов"
        message = f"В таблице {named} нет {word} {names}"
        if self.needed_by:
            needed = "нужен" if len(self.columns) == 1 else "нужны"
            message += f" ({needed}: {_listing(self.needed_by)})"
        super().__init__(
            message,
            what="столбец отсутствует",
            where=Location(table=table, column=self.columns[0] if self.columns else ""),
            expected="столбцы " + ", ".join(self.columns),
        )


@attrs.frozen
class Problem:
    """One value that does not match its declaration.

    :param message: the full Russian sentence naming the place, the value and what is
        expected.
    :param what: what is wrong («указано «сорок»», «не заполнено обязательное поле»).
    :param where: the table, row and column.
    :param expected: what the cell should contain.
    :param value: the value as found, as a person would see it.
    :param rule: a machine code: ``value`` (unreadable or out of range), ``required``
        (empty where a value is required).
    """

    message: str
    what: str
    where: Location
    expected: str
    value: str = ""
    rule: str = "value"


MAX_PROBLEMS_IN_MESSAGE = 10


class DataValidationError(DatasetError):
    """Data that do not match the profile's declarations of its tables: a value that
    cannot be read, a column of the wrong type, an empty required cell.

    :attr:`problems` lists every problem found; :attr:`where`, :attr:`what` and
    :attr:`expected` are those of the first one. Also a :class:`ValueError`, so code that
    caught the old untyped errors keeps working.
    """

    def __init__(self, problems: Sequence[Problem], *, context: str = "") -> None:
        if not problems:
            raise ValueError("DataValidationError needs at least one problem")
        self.problems: tuple[Problem, ...] = tuple(problems)
        n = len(self.problems)
        head = context or "Данные не соответствуют описанию таблиц профиля"
        lines = [f"{head}: {_count(n)}."]
        lines += [f"  • {p.message}" for p in self.problems[:MAX_PROBLEMS_IN_MESSAGE]]
        if n > MAX_PROBLEMS_IN_MESSAGE:
            lines.append(f"  … и ещё {n - MAX_PROBLEMS_IN_MESSAGE}.")
        first = self.problems[0]
        super().__init__(
            "\n".join(lines), what=first.what, where=first.where, expected=first.expected
        )


MAX_NAMES_IN_MESSAGE = 20


def _listing(names: Sequence[str]) -> str:
    """``a, b, c`` — shortened after :data:`MAX_NAMES_IN_MESSAGE` names."""
    shown = ", ".join(names[:MAX_NAMES_IN_MESSAGE])
    if len(names) > MAX_NAMES_IN_MESSAGE:
        shown += f" … (всего {len(names)})"
    return shown


def _count(n: int) -> str:
    if n % 10 == 1 and n % 100 != 11:
        word = "ошибка"
    elif n % 10 in (2, 3, 4) and n % 100 not in (12, 13, 14):
        word = "ошибки"
    else:
        word = "ошибок"
    return f"{n} {word}"
