"""Typed exceptions for programs that embed pedprof.

Every exception carries a Russian :attr:`~PedprofError.message` for the person who reads it
and structured fields for the program that catches it: :attr:`~PedprofError.what` is
wrong, :attr:`~PedprofError.where` (a :class:`Location`: table, row, column, and for
files the file and sheet) and what was :attr:`~PedprofError.expected`.

Example::

    from pedprof.errors import DataValidationError

    try:
        results = pedprof.compute("karabash", dataset)
    except DataValidationError as exc:
        for problem in exc.problems:
            print(problem.where.table, problem.where.row, problem.where.column, problem.expected)
"""

from __future__ import annotations

from collections.abc import Sequence

import attrs

__all__ = ["DataValidationError", "Location", "PedprofError", "Problem"]


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


class DataValidationError(PedprofError, ValueError):
    """Data that do not match the profile's declarations of its tables.

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


def _count(n: int) -> str:
    if n % 10 == 1 and n % 100 != 11:
        word = "ошибка"
    elif n % 10 in (2, 3, 4) and n % 100 not in (12, 13, 14):
        word = "ошибки"
    else:
        word = "ошибок"
    return f"{n} {word}"
