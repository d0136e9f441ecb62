"""Forgiving cell parsers: what a person typed → a typed value, or a Russian reason why not.

Every parser takes a raw cell as a spreadsheet reader returns it (``str``, ``int``,
``float``, ``bool``, ``datetime``/``date``, or ``None``/``""`` for an empty cell) and
returns the typed value or ``None`` for an empty cell. A value that cannot be read raises
:class:`CellProblem` carrying what was expected, in words a school's deputy head
understands.

A number is read as the number the person sees. In a percent field
(:attr:`pedprof.model.sources.Field.percent`) a workbook cell formatted as a percentage arrives
wrapped as :class:`PercentCell` and is read as what it displays (0.45 shown as «45 %» is
45); a number from a workbook whose cell formats cannot be seen (.xls, .xlsb, .ods)
arrives as :class:`UnknownFormatCell`, and when it could be either (0.45 or 45 %) it is an
error naming the cell, never a guess. Text «45 %» is 45; a plain 0.45 is 0.45.
"""

from __future__ import annotations

import datetime as dt
import math
import re
from collections.abc import Callable, Mapping
from decimal import Decimal
from typing import Any

import pandas as pd

from pedprof.model.periods import PeriodKind, parse_period
from pedprof.model.sources import Field, FieldType

__all__ = [
    "EXCEL_EPOCH",
    "CellProblem",
    "PercentCell",
    "UnknownFormatCell",
    "describe_expected",
    "display",
    "is_empty",
    "normalize_text",
    "parser_for",
]

EXCEL_EPOCH = dt.date(1899, 12, 30)
"""Day zero of Excel's serial dates (the 1900 leap-year bug makes it 30 December)."""

MAX_TEXT = 2000
MAX_IDENTIFIER = 100
_FIRST_PLAUSIBLE_YEAR = 1900
_LAST_PLAUSIBLE_YEAR = 2100

YES = frozenset(
    {"да", "д", "yes", "y", "true", "истина", "1", "+", "✓", "✔", "v", "есть", "имеется"}
)
NO = frozenset({"нет", "н", "no", "n", "false", "ложь", "0", "-", "–", "—", "−", "отсутствует"})


class CellProblem(ValueError):
    """A cell that cannot be read.

    :param expected: what the cell should contain, in Russian («целое число от 16 до 90»).
    :param reason: what is wrong when it is not just the type («дата позже конца периода»).
    """

    def __init__(self, expected: str, reason: str = "") -> None:
        super().__init__(reason or expected)
        self.expected = expected
        self.reason = reason


class PercentCell(float):
    """A number cell formatted as a percentage: the stored value (0.45 for «45 %»)."""

    __slots__ = ()

    @property
    def shown(self) -> float:
        """The number the cell displays: the stored value × 100, exactly (0.45 → 45)."""
        return float(Decimal(repr(float(self))) * 100)


class UnknownFormatCell(float):
    """A number cell from a workbook whose cell formats pedprof cannot see (.xls, .ods)."""

    __slots__ = ()


_SPACES = re.compile(r"\s+")


def normalize_text(text: str) -> str:
    """Lower case, ``ё`` → ``е``, runs of whitespace (including NBSP) → one space, trimmed."""
    return " ".join(text.split()).lower().replace("ё", "е")


def is_empty(value: object) -> bool:
    """Whether a cell counts as empty (nothing, blank text, NaN, NA, NaT)."""
    if value is None:
        return True
    cls = value.__class__
    if cls is str:
        return not value or value.isspace()  # type: ignore[attr-defined]
    if cls is float:
        return value != value  # NaN
    if cls is int or cls is bool:
        return False
    if value is pd.NA or value is pd.NaT:
        return True
    if isinstance(value, float):
        return math.isnan(value)
    return False


def display(value: object) -> str:
    """A cell as a person would see it, for error messages (dates as ДД.ММ.ГГГГ)."""
    if is_empty(value):
        return ""
    if isinstance(value, bool):
        return "ИСТИНА" if value else "ЛОЖЬ"
    if isinstance(value, dt.datetime):
        if value.time() == dt.time(0):
            return f"{value:%d.%m.%Y}"
        return f"{value:%d.%m.%Y %H:%M}"
    if isinstance(value, dt.date):
        return f"{value:%d.%m.%Y}"
    if isinstance(value, PercentCell):
        return display(value.shown) + " %"
    if isinstance(value, float):
        value = float(value)
        if value.is_integer() and abs(value) < 1e15:
            return str(int(value))
        return repr(value).replace(".", ",")
    text = str(value)
    return text if len(text) <= 200 else text[:197] + "…"


# --------------------------------------------------------------------------- numbers


_NUMBER_TEXT = re.compile(r"^[+-]?(\d+([.,]\d*)?|[.,]\d+)([eE][+-]?\d+)?$")


def _number(value: object, expected: str) -> float:
    if isinstance(value, bool):
        raise CellProblem(expected)
    if isinstance(value, int):
        return float(value)
    if isinstance(value, float):
        if math.isnan(value) or math.isinf(value):
            raise CellProblem(expected)
        return float(value)
    if isinstance(value, str):
        text = value.replace("\u00a0", "").replace("\u202f", "").replace(" ", "").strip()
        text = text.removesuffix("%").replace("−", "-")
        if _NUMBER_TEXT.match(text):
            number = float(text.replace(",", "."))
            if math.isfinite(number):
                return number
    raise CellProblem(expected)


def _range_text(field: Field) -> str:
    lo, hi = field.minimum, field.maximum

    def fmt(x: float) -> str:
        return str(int(x)) if float(x).is_integer() else str(x).replace(".", ",")

    if lo is not None and hi is not None:
        return f" от {fmt(lo)} до {fmt(hi)}"
    if lo is not None:
        return f" не меньше {fmt(lo)}"
    if hi is not None:
        return f" не больше {fmt(hi)}"
    return ""


def _check_range(number: float, field: Field, expected: str) -> None:
    if field.minimum is not None and number < field.minimum:
        raise CellProblem(expected, "значение меньше допустимого")
    if field.maximum is not None and number > field.maximum:
        raise CellProblem(expected, "значение больше допустимого")


def _in_range(number: float, field: Field) -> bool:
    return (field.minimum is None or number >= field.minimum) and (
        field.maximum is None or number <= field.maximum
    )


def _percent(value: object, field: Field, expected: str) -> object:
    """A cell of a percent field as the number it displays.

    A :class:`PercentCell` is read as it displays (× 100). An :class:`UnknownFormatCell`
    whose value is valid both as it is and × 100 (0.45: «0,45» or «45 %»?) cannot be read
    unambiguously.
    """
    if isinstance(value, PercentCell):
        return value.shown
    if isinstance(value, UnknownFormatCell):
        number = float(value)
        if number != 0 and _in_range(number, field) and _in_range(number * 100, field):
            raise CellProblem(
                expected,
                "неясно, сколько здесь процентов: формат ячейки в файле этого вида не виден, "
                f"и это может быть {display(number)} или {display(PercentCell(number).shown)} %; "
                "впишите число процентов без знака % (например, 45) или сохраните файл как "
                "«Книга Excel (.xlsx)»",
            )
        return number
    return value


def _integer_parser(field: Field) -> Callable[[object], int | None]:
    expected = "целое число" + _range_text(field)
    percent = field.percent

    lo = field.minimum if field.minimum is not None else -math.inf
    hi = field.maximum if field.maximum is not None else math.inf

    def parse(value: object) -> int | None:
        if percent:
            value = _percent(value, field, expected)
        cls = value.__class__
        if (cls is float or cls is int) and lo <= value <= hi:  # type: ignore[operator]
            if cls is int:
                return value  # type: ignore[return-value]
            if value.is_integer():  # type: ignore[attr-defined]
                return int(value)  # type: ignore[call-overload]
        if is_empty(value):
            return None
        number = _number(value, expected)
        if not number.is_integer():
            raise CellProblem(expected, "число не целое")
        _check_range(number, field, expected)
        return int(number)

    return parse


def _number_parser(field: Field) -> Callable[[object], float | None]:
    expected = "число" + _range_text(field)
    percent = field.percent

    def parse(value: object) -> float | None:
        if is_empty(value):
            return None
        if percent:
            value = _percent(value, field, expected)
        number = _number(value, expected)
        _check_range(number, field, expected)
        return number

    return parse


# --------------------------------------------------------------------------- booleans

_BOOL_FAST: dict[object, bool] = {
    **{w: True for w in ("да", "Да", "ДА", "+", "1")},
    **{w: False for w in ("нет", "Нет", "НЕТ", "-", "0")},
}


def _boolean_parser(field: Field) -> Callable[[object], bool | None]:
    expected = "«да» или «нет»"

    def parse(value: object) -> bool | None:
        fast = _BOOL_FAST.get(value) if value.__class__ is str else None
        if fast is not None:
            return fast
        if is_empty(value):
            return None
        if isinstance(value, bool):
            return value
        if isinstance(value, int | float):
            if value == 1:
                return True
            if value == 0:
                return False
            raise CellProblem(expected)
        if isinstance(value, str):
            text = normalize_text(value).rstrip(".")
            if text in YES:
                return True
            if text in NO:
                return False
        raise CellProblem(expected)

    return parse


# --------------------------------------------------------------------------- dates


_DMY = re.compile(r"^(\d{1,2})[./-](\d{1,2})[./-](\d{2}|\d{4})(?:[ T]\d{1,2}:\d{2}(?::\d{2})?)?$")
_YMD = re.compile(r"^(\d{4})-(\d{1,2})-(\d{1,2})(?:[ T]\d{1,2}:\d{2}(?::\d{2}(?:\.\d+)?)?)?$")


def _plausible(day: dt.date, expected: str) -> dt.date:
    if not _FIRST_PLAUSIBLE_YEAR <= day.year <= _LAST_PLAUSIBLE_YEAR:
        raise CellProblem(expected, "неправдоподобная дата")
    return day


def parse_date(value: object, expected: str = "дата в виде ДД.ММ.ГГГГ") -> dt.date | None:
    """A date from a date cell, an Excel serial number, ``ДД.ММ.ГГГГ`` or ``ГГГГ-ММ-ДД``.

    Two-digit years are read as a person would: ``01.10.20`` is 2020.
    """
    if is_empty(value):
        return None
    if isinstance(value, dt.datetime):
        return _plausible(value.date(), expected)
    if isinstance(value, dt.date):
        return _plausible(value, expected)
    if isinstance(value, bool):
        raise CellProblem(expected)
    if isinstance(value, int | float):
        if isinstance(value, float) and not math.isfinite(value):
            raise CellProblem(expected)
        serial = math.floor(value)
        if not 1 <= serial <= 73415:
            raise CellProblem(expected)
        return _plausible(EXCEL_EPOCH + dt.timedelta(days=serial), expected)
    if isinstance(value, str):
        text = value.strip()
        if text.isdigit() and len(text) == 5:
            return parse_date(int(text), expected)
        parts: tuple[int, int, int] | None = None
        if m := _DMY.match(text):
            day, month, year = int(m[1]), int(m[2]), int(m[3])
            if len(m[3]) == 2:
                this_year = dt.date.today().year
                year += 2000 if 2000 + year <= this_year + 1 else 1900
            parts = (year, month, day)
        elif m := _YMD.match(text):
            parts = (int(m[1]), int(m[2]), int(m[3]))
        if parts is not None:
            try:
                parsed = dt.date(*parts)
            except ValueError:
                raise CellProblem(expected, "такой даты не существует") from None
            return _plausible(parsed, expected)
    raise CellProblem(expected)


def _date_parser(field: Field) -> Callable[[object], dt.date | None]:
    def parse(value: object) -> dt.date | None:
        return parse_date(value)

    return parse


# --------------------------------------------------------------------------- text


_NEUTRALISED = ("'=", "'+", "'-", "'@", "'\t", "'\r")


def _text_of(value: object) -> str:
    if type(value) is str:
        # Undo pedprof.formatting.safe_cell: text pedprof wrote into a form reads back as
        # it was («-я программа», not «'-я программа»).
        return value[1:] if value.startswith(_NEUTRALISED) else value
    if isinstance(value, bool):
        return "да" if value else "нет"
    if isinstance(value, float) and value.is_integer() and abs(value) < 1e15:
        return str(int(value))
    if isinstance(value, dt.datetime) and value.time() == dt.time(0):
        return f"{value:%d.%m.%Y}"
    if isinstance(value, dt.date) and not isinstance(value, dt.datetime):
        return f"{value:%d.%m.%Y}"
    return str(value)


def _string_parser(field: Field) -> Callable[[object], str | None]:
    expected = f"текст не длиннее {MAX_TEXT} знаков"

    def parse(value: object) -> str | None:
        if (
            type(value) is str
            and value
            and not value[0].isspace()
            and not value[-1].isspace()
            and value[0] != "'"
        ):
            if len(value) > MAX_TEXT:
                raise CellProblem(expected, "слишком длинный текст")
            return value
        if is_empty(value):
            return None
        text = _text_of(value).strip()
        if len(text) > MAX_TEXT:
            raise CellProblem(expected, "слишком длинный текст")
        return text

    return parse


def _identifier_parser(field: Field) -> Callable[[object], str | None]:
    expected = f"код (буквы, цифры), не длиннее {MAX_IDENTIFIER} знаков"

    def parse(value: object) -> str | None:
        if (
            type(value) is str
            and 0 < len(value) <= MAX_IDENTIFIER
            and value.isprintable()
            and " " not in value
        ):
            return value
        if is_empty(value):
            return None
        if isinstance(value, bool | dt.date | dt.time | dt.timedelta):
            raise CellProblem(expected)
        if isinstance(value, float) and not value.is_integer():
            raise CellProblem(expected)
        text = _SPACES.sub(" ", _text_of(value).replace("\u00a0", " ")).strip()
        if len(text) > MAX_IDENTIFIER or "\n" in text:
            raise CellProblem(expected)
        return text

    return parse


def _choice_lookup(choices: Mapping[str, str]) -> dict[str, str]:
    lookup: dict[str, str] = {}
    for code, label in choices.items():
        lookup.setdefault(normalize_text(label).rstrip("."), code)
    for code in choices:
        lookup.setdefault(normalize_text(code), code)
    return lookup


def _choice_parser(field: Field) -> Callable[[object], str | None]:
    choices = field.choices or {}
    labels = "; ".join(f"«{label}»" for label in choices.values())
    expected = f"одно из значений: {labels}"
    lookup = _choice_lookup(choices)

    exact = {**{label: code for code, label in choices.items()}, **{c: c for c in choices}}

    def parse(value: object) -> str | None:
        code = exact.get(value) if value.__class__ is str else None
        if code is not None:
            return code
        if is_empty(value):
            return None
        code = lookup.get(normalize_text(_text_of(value)).rstrip("."))
        if code is None:
            raise CellProblem(expected, "значения нет в списке")
        return code

    return parse


def _period_parser(kind: PeriodKind | None) -> Callable[[object], str | None]:
    expected = _PERIOD_EXAMPLES.get(kind, "период") if kind else "период"
    seen: dict[str, str] = {}

    def parse(value: object) -> str | None:
        if is_empty(value):
            return None
        text = _text_of(value).strip()
        label = seen.get(text)
        if label is not None:
            return label
        try:
            label = parse_period(text, kind).label
        except ValueError as exc:
            raise CellProblem(expected, str(exc)) from None
        if len(seen) < 1000:
            seen[text] = label
        return label

    return parse


def parser_for(field: Field, period_kind: PeriodKind | None) -> Callable[[object], Any]:
    """The parser of ``field``'s cells (empty → ``None``)."""
    kind = field.type
    if kind is FieldType.INTEGER:
        return _integer_parser(field)
    if kind is FieldType.NUMBER:
        return _number_parser(field)
    if kind is FieldType.BOOLEAN:
        return _boolean_parser(field)
    if kind is FieldType.DATE:
        return _date_parser(field)
    if kind is FieldType.CHOICE:
        return _choice_parser(field)
    if kind is FieldType.PERIOD:
        return _period_parser(period_kind)
    if kind is FieldType.IDENTIFIER:
        return _identifier_parser(field)
    return _string_parser(field)


_PERIOD_EXAMPLES = {
    PeriodKind.SCHOOL_YEAR: "учебный год, например 2023-2024",
    PeriodKind.YEAR: "год, например 2024",
    PeriodKind.QUARTER: "квартал, например 2024Q2",
}


def describe_expected(field: Field, period_kind: PeriodKind | None = None) -> str:
    """What a cell of ``field`` should contain, in Russian."""
    kind = field.type
    if kind is FieldType.INTEGER:
        return "целое число" + _range_text(field)
    if kind is FieldType.NUMBER:
        return "число" + _range_text(field)
    if kind is FieldType.BOOLEAN:
        return "«да» или «нет»"
    if kind is FieldType.DATE:
        return "дата в виде ДД.ММ.ГГГГ"
    if kind is FieldType.CHOICE:
        labels = "; ".join(f"«{label}»" for label in (field.choices or {}).values())
        return f"одно из значений: {labels}"
    if kind is FieldType.PERIOD:
        return _PERIOD_EXAMPLES.get(period_kind, "период") if period_kind else "период"
    if kind is FieldType.IDENTIFIER:
        return f"код (буквы, цифры), не длиннее {MAX_IDENTIFIER} знаков"
    return f"текст не длиннее {MAX_TEXT} знаков"
