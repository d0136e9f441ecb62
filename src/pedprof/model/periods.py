"""Periods (отчётные периоды) and time windows.

A profile reports in one kind of period: calendar years (``"2024"``), school years
(``"2023-2024"``, 1 September – 31 August) or quarters (``"2024Q2"``). Every period has a
label, a start and an end date, and an *ordinal* — an integer that increases by one from a
period to the next of the same kind — so that windows such as "за трехлетний период" or
"начиная с 2021 года" are integer ranges over ordinals and can be evaluated vectorised.
"""

from __future__ import annotations

import datetime as dt
import re
from enum import StrEnum

import attrs

__all__ = [
    "Cumulative",
    "Period",
    "PeriodKind",
    "Reporting",
    "Rolling",
    "Window",
    "parse_period",
]


class PeriodKind(StrEnum):
    """The kind of a reporting period."""

    YEAR = "year"
    SCHOOL_YEAR = "school_year"
    QUARTER = "quarter"


_KIND_WORDS = {
    PeriodKind.YEAR: "календарный год, например 2024",
    PeriodKind.SCHOOL_YEAR: "учебный год, например 2023-2024",
    PeriodKind.QUARTER: "квартал, например 2024Q2",
}

_SCHOOL_YEAR = re.compile(r"^\s*(\d{4})\s*[-–/]\s*(\d{4})\s*$")
_YEAR = re.compile(r"^\s*(\d{4})\s*$")
_QUARTER = re.compile(r"^\s*(\d{4})\s*[-\s]?[QqКк]([1-4])\s*$")


@attrs.frozen(order=False)
class Period:
    """One reporting period.

    :param kind: the kind of period.
    :param ordinal: position on the kind's time line (year number for years and school
        years — the year the school year starts —, ``4 * year + quarter - 1`` for quarters).
    """

    kind: PeriodKind
    ordinal: int

    @classmethod
    def year(cls, year: int) -> Period:
        """The calendar year ``year``."""
        return cls(PeriodKind.YEAR, year)

    @classmethod
    def school_year(cls, start_year: int) -> Period:
        """The school year that starts on 1 September of ``start_year``."""
        return cls(PeriodKind.SCHOOL_YEAR, start_year)

    @classmethod
    def quarter(cls, year: int, quarter: int) -> Period:
        """Quarter ``quarter`` (1–4) of ``year``."""
        if not 1 <= quarter <= 4:
            raise ValueError(f"quarter must be 1..4, got {quarter}")
        return cls(PeriodKind.QUARTER, 4 * year + quarter - 1)

    @property
    def label(self) -> str:
        """The label used in data and reports: ``2024``, ``2023-2024`` or ``2024Q2``."""
        if self.kind is PeriodKind.YEAR:
            return str(self.ordinal)
        if self.kind is PeriodKind.SCHOOL_YEAR:
            return f"{self.ordinal}-{self.ordinal + 1}"
        year, q = divmod(self.ordinal, 4)
        return f"{year}Q{q + 1}"

    @property
    def start(self) -> dt.date:
        """First day of the period."""
        if self.kind is PeriodKind.YEAR:
            return dt.date(self.ordinal, 1, 1)
        if self.kind is PeriodKind.SCHOOL_YEAR:
            return dt.date(self.ordinal, 9, 1)
        year, q = divmod(self.ordinal, 4)
        return dt.date(year, 3 * q + 1, 1)

    @property
    def end(self) -> dt.date:
        """Last day of the period."""
        return (self + 1).start - dt.timedelta(days=1)

    @property
    def end_year(self) -> int:
        """The calendar year in which the period ends (what «к 2024 году» is compared with)."""
        return self.end.year

    def __add__(self, n: int) -> Period:
        return Period(self.kind, self.ordinal + n)

    def __sub__(self, n: int) -> Period:
        return Period(self.kind, self.ordinal - n)

    def __lt__(self, other: Period) -> bool:
        self._check_kind(other)
        return self.ordinal < other.ordinal

    def __le__(self, other: Period) -> bool:
        self._check_kind(other)
        return self.ordinal <= other.ordinal

    def __gt__(self, other: Period) -> bool:
        self._check_kind(other)
        return self.ordinal > other.ordinal

    def __ge__(self, other: Period) -> bool:
        self._check_kind(other)
        return self.ordinal >= other.ordinal

    def _check_kind(self, other: Period) -> None:
        if other.kind is not self.kind:
            raise TypeError(f"cannot compare a {self.kind} with a {other.kind}")

    def contains(self, day: dt.date) -> bool:
        """Whether ``day`` falls inside the period."""
        return self.start <= day <= self.end

    def __str__(self) -> str:
        return self.label

    @classmethod
    def first_ending_in(cls, kind: PeriodKind, year: int) -> Period:
        """The period of ``kind`` whose end falls in calendar ``year`` (the last such one).

        For school years this maps «к 2024 году» to 2023-2024.
        """
        if kind is PeriodKind.YEAR:
            return cls.year(year)
        if kind is PeriodKind.SCHOOL_YEAR:
            return cls.school_year(year - 1)
        return cls.quarter(year, 4)


def parse_period(label: str | int, kind: PeriodKind | None = None) -> Period:
    """Parse a period label.

    ``"2024"`` is a calendar year, ``"2023-2024"`` (also ``2023/2024``, ``2023–2024``) a
    school year, ``"2024Q2"`` a quarter. With ``kind`` given, the label must be of that kind.

    :raises pedprof.errors.PeriodFormatError: with a message in Russian when the label is
        not a period (also a :class:`ValueError`).
    """
    from pedprof.errors import PeriodFormatError

    text = str(label)
    parsed: Period | None = None
    if m := _SCHOOL_YEAR.match(text):
        first, second = int(m[1]), int(m[2])
        if second != first + 1:
            raise PeriodFormatError(
                f"Учебный год «{text}» должен состоять из двух соседних лет, например 2023-2024",
                text=text,
                expected="учебный год из двух соседних лет, например 2023-2024",
            )
        parsed = Period.school_year(first)
    elif m := _YEAR.match(text):
        parsed = Period.year(int(m[1]))
    elif m := _QUARTER.match(text):
        parsed = Period.quarter(int(m[1]), int(m[2]))
    if parsed is None:
        raise PeriodFormatError(
            f"«{text}» не является периодом: ожидается год (2024), учебный год (2023-2024) "
            "или квартал (2024Q2)",
            text=text,
            expected="год (2024), учебный год (2023-2024) или квартал (2024Q2)",
        )
    if kind is not None and parsed.kind is not kind:
        if kind is PeriodKind.SCHOOL_YEAR and parsed.kind is PeriodKind.YEAR:
            raise PeriodFormatError(
                f"Ожидается учебный год, например {int(text) - 1}-{text}; получено «{text}»",
                text=text,
                expected=f"учебный год, например {int(text) - 1}-{text}",
            )
        raise PeriodFormatError(
            f"Ожидается период вида «{kind.value}» — {_KIND_WORDS[kind]}; получено «{text}»",
            text=text,
            expected=_KIND_WORDS[kind],
        )
    return parsed


# --------------------------------------------------------------------------- windows


@attrs.frozen
class Reporting:
    """The reporting period only (за отчётный период)."""

    def lower_ordinal(self, ordinal: int) -> int:
        """First ordinal of the window that ends at ``ordinal``."""
        return ordinal

    def describe(self) -> str:
        """Russian description for the docs and reports."""
        return "за отчётный период"


@attrs.frozen
class Rolling:
    """The last ``periods`` periods including the reporting one («за трехлетний период»)."""

    periods: int = attrs.field(validator=attrs.validators.ge(1))

    def lower_ordinal(self, ordinal: int) -> int:
        """First ordinal of the window that ends at ``ordinal``."""
        return ordinal - self.periods + 1

    def describe(self) -> str:
        """Russian description for the docs and reports."""
        return f"за последние {self.periods} периода(ов), включая отчётный"


@attrs.frozen
class Cumulative:
    """Every period since ``since``, inclusive («начиная с 2021 года»)."""

    since: Period

    def lower_ordinal(self, ordinal: int) -> int:
        """First ordinal of the window that ends at ``ordinal``."""
        return self.since.ordinal

    def describe(self) -> str:
        """Russian description for the docs and reports."""
        return f"нарастающим итогом начиная с периода {self.since.label}"


Window = Reporting | Rolling | Cumulative
