"""Roadmaps (дорожные карты): deadlines as the orders word them, executors, execution.

A roadmap row states its deadline in words: «август 2021 г.», «II – IV кварталы»,
«в течение года», «в течение 2021 - 2024 гг.», «ежегодно, до 15 августа», «1 раз в
полгода», «при необходимости в течение 2021 - 2024 гг.», «до 05.06.2021».
:func:`parse_deadline` turns such a text into a :class:`Schedule`: its recurrence and every
date range it covers within the roadmap's years. Texts it cannot read are refused with a
Russian message (:class:`DeadlineParseError`), never guessed.

Rules (the decisions are also in ``docs/guides/cycle.md``):

* a text that names no year («Апрель», «II – IV кварталы», «в течение года») takes the
  year of the roadmap part it stands in (``year=``); in a one-year roadmap, that year;
  in a multi-year roadmap without a part year it applies to every year of the roadmap
  (a yearly recurrence);
* «ежегодно …» repeats in every year of the roadmap; occurrences of a recurring row that
  end before the roadmap came into force (``not_before=``) are dropped — Karabash's order
  of 19.08.2021 cannot require the monitoring «ежегодно, до 15 августа» of 2021;
* «до …» states only the end: the range starts on 1 January of that year
  (:attr:`Schedule.open_start`);
* quarters and months listed with commas or spaces («II, IV кварталы») are separate
  occurrences unless adjacent («III IV кварталы» is one range, July–December); a dash
  («II – IV кварталы») is one range;
* «1 раз в полгода» (also «I раз в полгода», «1 раз в полугодие») is two occurrences a
  year: January–June and July–December; «ежеквартально» four, «ежемесячно» twelve;
* «в течение всего периода» is the roadmap's years; «по отдельному плану» without
  dates is the whole year of the part (or the roadmap's years);
* «при необходимости» marks a conditional row: it is never overdue; a trailing
  «, на основании приказов …» is kept as the row's basis.

Execution tracking: :func:`load_statuses` reads a status per row and year (with the
document that evidences it) from a workbook, a CSV file or a frame;
:func:`track_execution` joins it with the parsed rows for every year a row is due and
marks what is done, in progress, overdue or not yet due; :func:`roadmap_execution_summary`
gives the table and the Russian text the analytical report (ИАС) prints.
"""

from __future__ import annotations

import calendar as _calendar
import datetime as dt
import re
from collections.abc import Iterable, Mapping, Sequence
from enum import StrEnum
from pathlib import Path
from typing import TYPE_CHECKING, Any, Final

import attrs
import pandas as pd

from pedprof.model.mechanism import Roadmap, RoadmapRow, RoadmapSection

if TYPE_CHECKING:
    from pedprof.cycle.documents import DocumentRegistry
    from pedprof.model.profile import Profile

__all__ = [
    "EXECUTION_COLUMNS",
    "ROW_COLUMNS",
    "STATE_LABELS",
    "STATUS_HEADERS",
    "STATUS_LABELS",
    "DateRange",
    "DeadlineParseError",
    "ExecutionSummary",
    "Recurrence",
    "Schedule",
    "StatusRegister",
    "load_statuses",
    "parse_deadline",
    "reference_date",
    "roadmap_execution_summary",
    "roadmap_horizon",
    "roadmap_period_end",
    "roadmap_rows",
    "split_executors",
    "status_template",
    "track_execution",
    "write_status_template",
]


# --------------------------------------------------------------------------- value objects


class Recurrence(StrEnum):
    """How often a roadmap row recurs."""

    ONCE = "once"
    YEARLY = "yearly"
    SEMIANNUAL = "semiannual"
    QUARTERLY = "quarterly"
    MONTHLY = "monthly"

    @property
    def label(self) -> str:
        """The Russian word."""
        return _RECURRENCE_LABELS[self]


_RECURRENCE_LABELS = {
    Recurrence.ONCE: "однократно",
    Recurrence.YEARLY: "ежегодно",
    Recurrence.SEMIANNUAL: "раз в полгода",
    Recurrence.QUARTERLY: "ежеквартально",
    Recurrence.MONTHLY: "ежемесячно",
}


class DeadlineParseError(ValueError):
    """A deadline text that cannot be read; the message is in Russian."""


@attrs.frozen(order=True)
class DateRange:
    """A range of days, both ends inclusive."""

    start: dt.date
    end: dt.date

    def __attrs_post_init__(self) -> None:
        if self.end < self.start:
            raise ValueError(f"range ends ({self.end}) before it starts ({self.start})")

    def contains(self, day: dt.date) -> bool:
        """Whether ``day`` falls inside the range."""
        return self.start <= day <= self.end

    def overlaps(self, start: dt.date, end: dt.date) -> bool:
        """Whether the range shares a day with ``start``–``end``."""
        return self.start <= end and start <= self.end

    def clip(self, start: dt.date, end: dt.date) -> DateRange:
        """The part of the range inside ``start``–``end`` (they must overlap)."""
        return DateRange(max(self.start, start), min(self.end, end))

    def describe(self) -> str:
        """«с 01.04.2021 по 30.06.2021», or one date when start and end coincide."""
        if self.start == self.end:
            return f"{self.start:%d.%m.%Y}"
        return f"с {self.start:%d.%m.%Y} по {self.end:%d.%m.%Y}"


@attrs.frozen
class _Span:
    """A range inside any year: months and days; ``end_day`` None is the month's last day."""

    start_month: int
    start_day: int
    end_month: int
    end_day: int | None = None

    def in_year(self, year: int) -> DateRange:
        end_day = self.end_day or _calendar.monthrange(year, self.end_month)[1]
        return DateRange(
            dt.date(year, self.start_month, self.start_day), dt.date(year, self.end_month, end_day)
        )

    @property
    def whole_months(self) -> bool:
        return self.start_day == 1 and self.end_day is None


def _spans(value: Iterable[_Span]) -> tuple[_Span, ...]:
    return tuple(value)


def _ranges(value: Iterable[DateRange]) -> tuple[DateRange, ...]:
    return tuple(value)


@attrs.frozen
class Schedule:
    """A deadline text, parsed.

    :param text: the text as the order words it.
    :param recurrence: once, yearly, semiannual, quarterly or monthly.
    :param ranges: every occurrence within the roadmap's years, in order; the due date of
        an occurrence is its end.
    :param continuous: «в течение …»: the work goes on throughout the range rather than
        being done once within it.
    :param open_start: «до …»: only the end is stated (the range starts on 1 January).
    :param conditional: «при необходимости»: done only when needed, never overdue.
    :param separate_plan: «по отдельному плану»: the dates are in another plan.
    :param basis: a trailing qualifier kept verbatim («на основании приказов МКУ УО КГО»).
    :param pattern: for a yearly recurrence, the ranges inside each year.
    """

    text: str
    recurrence: Recurrence
    ranges: tuple[DateRange, ...] = attrs.field(converter=_ranges)
    continuous: bool = False
    open_start: bool = False
    conditional: bool = False
    separate_plan: bool = False
    basis: str = ""
    pattern: tuple[_Span, ...] = attrs.field(default=(), converter=_spans, repr=False)

    @property
    def start(self) -> dt.date | None:
        """The first day of the first occurrence."""
        return self.ranges[0].start if self.ranges else None

    @property
    def due(self) -> dt.date | None:
        """The last due date (end of the last occurrence)."""
        return max(r.end for r in self.ranges) if self.ranges else None

    @property
    def years(self) -> tuple[int, ...]:
        """Every calendar year an occurrence touches, in order."""
        years: set[int] = set()
        for r in self.ranges:
            years.update(range(r.start.year, r.end.year + 1))
        return tuple(sorted(years))

    def in_year(self, year: int) -> tuple[DateRange, ...]:
        """The occurrences (clipped to the year) that touch calendar ``year``."""
        first, last = dt.date(year, 1, 1), dt.date(year, 12, 31)
        return tuple(r.clip(first, last) for r in self.ranges if r.overlaps(first, last))

    def due_in(self, year: int) -> dt.date | None:
        """The due date of the row's work for calendar ``year`` (the last clipped end)."""
        parts = self.in_year(year)
        return max(r.end for r in parts) if parts else None

    def describe(self) -> str:
        """The parsed reading in plain Russian (for tables): «ежегодно: до 15.08.2022, …»."""
        parts = []
        if self.conditional:
            parts.append("при необходимости")
        if self.separate_plan:
            parts.append("по отдельному плану")
        if self.recurrence is not Recurrence.ONCE:
            parts.append(self.recurrence.label)
        dates = ", ".join(
            f"до {r.end:%d.%m.%Y}" if self.open_start else r.describe() for r in self.ranges
        )
        head = " ".join(parts)
        return f"{head}: {dates}" if head else dates

    def render(self) -> str:
        """A canonical Russian text that :func:`parse_deadline` reads back to the same
        schedule (given the same ``year``, ``horizon`` and ``not_before``)."""
        flags = []
        if self.conditional:
            flags.append("при необходимости")
        if self.separate_plan:
            flags.append("по отдельному плану")
        if self.recurrence is Recurrence.SEMIANNUAL:
            core = "1 раз в полгода"
        elif self.recurrence is Recurrence.QUARTERLY:
            core = "ежеквартально"
        elif self.recurrence is Recurrence.MONTHLY:
            core = "ежемесячно"
        elif self.recurrence is Recurrence.YEARLY:
            spans = " и ".join(_render_span(s, self.open_start) for s in self.pattern)
            whole = len(self.pattern) == 1 and self.pattern[0] == _YEAR_SPAN
            if self.continuous:
                core = f"ежегодно, в течение {'года' if whole else spans}"
            elif whole and not self.open_start:
                core = "ежегодно"
            else:
                core = f"ежегодно, {spans}"
        else:
            core = " и ".join(_render_range(r, self.open_start) for r in self.ranges)
            if self.continuous:
                core = f"в течение {core}"
        text = " ".join([*flags, core])
        return f"{text}, {self.basis}" if self.basis else text


_YEAR_SPAN: Final = _Span(1, 1, 12, None)
_MONTH_NOMINATIVE: Final = (
    "",
    "январь",
    "февраль",
    "март",
    "апрель",
    "май",
    "июнь",
    "июль",
    "август",
    "сентябрь",
    "октябрь",
    "ноябрь",
    "декабрь",
)
_MONTH_GENITIVE: Final = (
    "",
    "января",
    "февраля",
    "марта",
    "апреля",
    "мая",
    "июня",
    "июля",
    "августа",
    "сентября",
    "октября",
    "ноября",
    "декабря",
)


def _render_span(span: _Span, open_start: bool) -> str:
    if open_start:
        day = span.end_day or _calendar.monthrange(2001, span.end_month)[1]
        return f"до {day:02d} {_MONTH_GENITIVE[span.end_month]}"
    if span.whole_months:
        if span.start_month == span.end_month:
            return _MONTH_NOMINATIVE[span.start_month]
        return f"{_MONTH_NOMINATIVE[span.start_month]} - {_MONTH_NOMINATIVE[span.end_month]}"
    end_day = span.end_day or _calendar.monthrange(2001, span.end_month)[1]
    return f"с {span.start_day:02d}.{span.start_month:02d} по {end_day:02d}.{span.end_month:02d}"


def _is_month_end(day: dt.date) -> bool:
    return day.day == _calendar.monthrange(day.year, day.month)[1]


def _render_range(r: DateRange, open_start: bool) -> str:
    if open_start:
        return f"до {r.end:%d.%m.%Y}"
    if r.start == r.end:
        return f"{r.start:%d.%m.%Y}"
    if r.start.day == 1 and _is_month_end(r.end):
        if r.start.month == 1 and r.end.month == 12:
            if r.start.year == r.end.year:
                return f"{r.start.year} г."
            return f"{r.start.year} - {r.end.year} гг."
        if r.start.year == r.end.year:
            if r.start.month == r.end.month:
                return f"{_MONTH_NOMINATIVE[r.start.month]} {r.start.year} г."
            return (
                f"{_MONTH_NOMINATIVE[r.start.month]} - {_MONTH_NOMINATIVE[r.end.month]} "
                f"{r.start.year} г."
            )
    return f"с {r.start:%d.%m.%Y} по {r.end:%d.%m.%Y}"


# --------------------------------------------------------------------------- the parser

_MONTH_WORDS: Final[Mapping[str, int]] = {
    form: number
    for number, forms in enumerate(
        (
            ("январь", "января", "январе"),
            ("февраль", "февраля", "феврале"),
            ("март", "марта", "марте"),
            ("апрель", "апреля", "апреле"),
            ("май", "мая", "мае"),
            ("июнь", "июня", "июне"),
            ("июль", "июля", "июле"),
            ("август", "августа", "августе"),
            ("сентябрь", "сентября", "сентябре"),
            ("октябрь", "октября", "октябре"),
            ("ноябрь", "ноября", "ноябре"),
            ("декабрь", "декабря", "декабре"),
        ),
        start=1,
    )
    for form in forms
}
_ROMAN: Final = {"i": 1, "ii": 2, "iii": 3, "iv": 4, "1": 1, "2": 2, "3": 3, "4": 4}
_DASHES = re.compile(r"[\u2010-\u2015\u2212]")
_YEAR_WORDS = re.compile(r"(\d{4})\s*(?:гг|г|годов|годы|года|год)\b\.?")
_BASIS = re.compile(r"[,;]\s*(на основании\b.*)$", re.IGNORECASE)
_MONTH_RE = "|".join(sorted(map(re.escape, _MONTH_WORDS), key=len, reverse=True))
_DATE = re.compile(
    rf"^(\d{{1,2}})(?:\.(\d{{1,2}})(?:\.(\d{{2,4}}))?|\s+({_MONTH_RE})(?:\s+(\d{{4}}))?)$"
)


@attrs.frozen
class _Core:
    """What the text says before it is placed in years."""

    absolute: tuple[DateRange, ...] = ()
    relative: tuple[_Span, ...] = ()
    recurrence: Recurrence | None = None
    horizon: bool = False  # «всего периода»
    open_start: bool = False
    continuous: bool = False


def _normalize(text: str) -> str:
    t = _DASHES.sub("-", text.lower().replace("ё", "е"))
    t = t.replace("течении", "течение").replace("в срок до", "до")
    t = _YEAR_WORDS.sub(r"\1", t)
    t = re.sub(r"\s*-\s*", " - ", t)
    t = re.sub(r"\s+", " ", t).strip()
    return t.strip(" .;,")


def _fail(text: str, why: str) -> DeadlineParseError:
    return DeadlineParseError(f"Срок «{text}» не распознан: {why}")


def _month(word: str) -> int | None:
    return _MONTH_WORDS.get(word)


def _date(token: str, text: str) -> tuple[int | None, int, int]:
    """(year or None, month, day) of «05.06.2021», «05.08», «15 августа», «15 августа 2022»."""
    m = _DATE.match(token.strip())
    if not m:
        raise _fail(text, f"«{token}» не является датой")
    day = int(m[1])
    if m[2] is not None:
        month = int(m[2])
        year = int(m[3]) if m[3] else None
        if year is not None and year < 100:
            year += 2000
    else:
        month = _MONTH_WORDS[m[4]]
        year = int(m[5]) if m[5] else None
    if not 1 <= month <= 12 or not 1 <= day <= _calendar.monthrange(year or 2001, month)[1]:
        raise _fail(text, f"«{token}» не является датой")
    return year, month, day


def _merge_adjacent(spans: list[tuple[int, int]]) -> list[tuple[int, int]]:
    """Merge adjacent (first, last) unit ranges: [(3,3),(4,4)] → [(3,4)]."""
    out: list[tuple[int, int]] = []
    for first, last in sorted(spans):
        if out and first <= out[-1][1] + 1:
            out[-1] = (out[-1][0], max(last, out[-1][1]))
        else:
            out.append((first, last))
    return out


def _units(
    tokens: list[str], lookup: Mapping[str, int], text: str, what: str
) -> list[tuple[int, int]]:
    """«ii - iv» → [(2, 4)]; «ii , iv» → [(2, 2), (4, 4)]; «iii iv» → [(3, 4)]."""
    spans: list[tuple[int, int]] = []
    i = 0
    while i < len(tokens):
        tok = tokens[i]
        if tok not in lookup:
            raise _fail(text, f"«{tok}» не является {what}")
        first = lookup[tok]
        if i + 2 < len(tokens) and tokens[i + 1] == "-":
            if tokens[i + 2] not in lookup:
                raise _fail(text, f"«{tokens[i + 2]}» не является {what}")
            last = lookup[tokens[i + 2]]
            if last < first:
                raise _fail(text, f"диапазон «{tok} - {tokens[i + 2]}» идёт назад")
            spans.append((first, last))
            i += 3
        else:
            spans.append((first, first))
            i += 1
        if i < len(tokens) and tokens[i] == ",":
            i += 1
    return _merge_adjacent(spans)


def _tokens(text: str) -> list[str]:
    return re.findall(r"[а-яa-z0-9]+|-|,", text)


def _trailing_year(tokens: list[str]) -> tuple[list[str], int | None]:
    if tokens and re.fullmatch(r"\d{4}", tokens[-1]):
        return tokens[:-1], int(tokens[-1])
    return tokens, None


def _with_year(spans: Sequence[_Span], year: int | None) -> _Core:
    if year is None:
        return _Core(relative=tuple(spans))
    return _Core(absolute=tuple(s.in_year(year) for s in spans))


def _parse_core(core: str, text: str) -> _Core:
    """The reading of a text without its flags (conditional, plan, yearly, basis)."""
    if not core:
        return _Core()
    parts = [p.strip() for p in re.split(r"\s+и\s+|;", core) if p.strip()]
    if len(parts) > 1 and parts[0].startswith("до "):
        # «до 05.06.2021 и 30.05.2022»: the preposition governs every date
        parts = [p if re.match(r"(до|с|в) ", p) else f"до {p}" for p in parts]
    if len(parts) > 1:
        cores = [_parse_core(p, text) for p in parts]
        if any(c.recurrence or c.horizon for c in cores):
            raise _fail(text, "нельзя перечислять через «и» периодичность")
        if len({c.open_start for c in cores}) > 1 or len({c.continuous for c in cores}) > 1:
            raise _fail(text, "перечислены сроки разного вида")
        return _Core(
            absolute=tuple(r for c in cores for r in c.absolute),
            relative=tuple(s for c in cores for s in c.relative),
            open_start=cores[0].open_start,
            continuous=cores[0].continuous,
        )
    if m := re.fullmatch(r"в течение (.+)", core):
        inner = m[1]
        if inner in ("года", "календарного года"):
            return _Core(relative=(_YEAR_SPAN,), continuous=True)
        if re.fullmatch(
            r"(всего )?(периода|срока)( реализации| действия)?( дорожной карты)?", inner
        ):
            return _Core(horizon=True, continuous=True)
        return attrs.evolve(_parse_core(inner, text), continuous=True)
    if core in ("постоянно", "весь период", "в течение всего периода"):
        return _Core(horizon=True, continuous=True)
    if core in ("ежеквартально", "1 раз в квартал", "i раз в квартал", "раз в квартал"):
        return _Core(recurrence=Recurrence.QUARTERLY)
    if core in ("ежемесячно", "1 раз в месяц", "раз в месяц"):
        return _Core(recurrence=Recurrence.MONTHLY)
    if re.fullmatch(r"(1 |i |один )?раз в (полгода|полугодие)|каждое полугодие", core):
        return _Core(recurrence=Recurrence.SEMIANNUAL)
    if re.fullmatch(r"(не реже )?(1 |i |один |одного )?раза? в год", core):
        return _Core(recurrence=Recurrence.YEARLY, relative=(_YEAR_SPAN,))
    if m := re.fullmatch(r"с (.+?) по (.+)", core):
        y1, m1, d1 = _date(m[1], text)
        y2, m2, d2 = _date(m[2], text)
        if (y1 is None) != (y2 is None):
            y1 = y1 if y1 is not None else y2
            y2 = y2 if y2 is not None else y1
        if y1 is None or y2 is None:
            return _Core(relative=(_Span(m1, d1, m2, d2),))
        return _Core(absolute=(_safe_range(_day(y1, m1, d1, text), _day(y2, m2, d2, text), text),))
    if m := re.fullmatch(r"до (.+)", core):
        year, month, day = _date(m[1], text)
        if year is None:
            return _Core(relative=(_Span(1, 1, month, day),), open_start=True)
        due = _day(year, month, day, text)
        return _Core(absolute=(DateRange(dt.date(year, 1, 1), due),), open_start=True)
    if _DATE.match(core):
        year, month, day = _date(core, text)
        if year is None:
            return _Core(relative=(_Span(month, day, month, day),))
        day_ = _day(year, month, day, text)
        return _Core(absolute=(DateRange(day_, day_),))
    if m := re.fullmatch(r"(\d{4}) - (\d{4})", core):
        first, last = int(m[1]), int(m[2])
        if last < first:
            raise _fail(text, "годы указаны в обратном порядке")
        return _Core(absolute=(DateRange(dt.date(first, 1, 1), dt.date(last, 12, 31)),))
    tokens, year = _trailing_year(_tokens(core))
    if not tokens and year is not None:
        return _Core(absolute=(DateRange(dt.date(year, 1, 1), dt.date(year, 12, 31)),))
    if tokens and tokens[-1] in ("квартал", "кварталы", "квартала", "кварталов"):
        units = _units(tokens[:-1], _ROMAN, text, "номером квартала")
        spans = [_Span(3 * a - 2, 1, 3 * b, None) for a, b in units]
        return _with_year(spans, year)
    if tokens and tokens[-1] in ("полугодие", "полугодия"):
        units = _units(tokens[:-1], {"i": 1, "ii": 2, "1": 1, "2": 2}, text, "номером полугодия")
        spans = [_Span(6 * a - 5, 1, 6 * b, None) for a, b in units]
        return _with_year(spans, year)
    words = [t for t in tokens if t != "месяц"]
    if words and all(w in _MONTH_WORDS or w in ("-", ",") for w in words):
        units = _units(words, _MONTH_WORDS, text, "месяцем")
        spans = [_Span(a, 1, b, None) for a, b in units]
        return _with_year(spans, year)
    raise _fail(
        text,
        "ожидается месяц («август 2021 г.»), квартал («II – IV кварталы»), дата («до 05.06.2021»),"
        " «в течение года», «ежегодно, до 15 августа» или «1 раз в полгода»",
    )


def _day(year: int, month: int, day: int, text: str) -> dt.date:
    """A date, or a parse error naming ``text`` (31 June is not a date)."""
    try:
        return dt.date(year, month, day)
    except ValueError:
        raise _fail(text, f"{day:02d}.{month:02d}.{year} не существует") from None


def _safe_range(start: dt.date, end: dt.date, text: str) -> DateRange:
    if end < start:
        raise _fail(text, "конец срока раньше его начала")
    return DateRange(start, end)


def _periodic(recurrence: Recurrence) -> tuple[_Span, ...]:
    if recurrence is Recurrence.SEMIANNUAL:
        return (_Span(1, 1, 6, None), _Span(7, 1, 12, None))
    if recurrence is Recurrence.QUARTERLY:
        return tuple(_Span(3 * q - 2, 1, 3 * q, None) for q in range(1, 5))
    if recurrence is Recurrence.MONTHLY:
        return tuple(_Span(m, 1, m, None) for m in range(1, 13))
    return (_YEAR_SPAN,)


def parse_deadline(
    text: str,
    *,
    year: int | None = None,
    horizon: tuple[int, int] | None = None,
    not_before: dt.date | None = None,
) -> Schedule:
    """Parse a deadline as a roadmap words it.

    :param text: the deadline text («август 2021 г.», «ежегодно, до 15 августа» …).
    :param year: the year of the roadmap part the row stands in, when the roadmap is split
        by years (Chelyabinsk: «2021 год», «2022 год»); texts without a year take it.
    :param horizon: the roadmap's first and last years (2021, 2024): «ежегодно» repeats in
        each, «в течение всего периода» spans them.
    :param not_before: the date the roadmap came into force: occurrences of a recurring row
        that end before it are dropped.
    :returns: the :class:`Schedule`.
    :raises DeadlineParseError: in Russian, when the text cannot be read or needs a year
        that neither the text nor the context gives.
    """
    original = text
    basis = ""
    if m := _BASIS.search(_DASHES.sub("-", text)):
        basis = re.sub(r"\s+", " ", text[m.start(1) :]).strip().rstrip(".")
        text = text[: m.start()]
    t = _normalize(text)
    if not t:
        raise _fail(original, "срок не указан")
    t = re.sub(r"\(([^()]*)\)", r" \1 ", t)
    t = re.sub(r"\s+", " ", t).strip()
    conditional = False
    if re.search(r"\b(при|по мере) необходимости\b", t):
        conditional = True
        t = re.sub(r"\b(при|по мере) необходимости\b", " ", t)
    separate_plan = False
    if re.search(r"\bпо отдельному (плану|графику)\b", t):
        separate_plan = True
        t = re.sub(r"\bпо отдельному (плану|графику)\b", " ", t)
    yearly = False
    if m := re.match(r"^\s*(ежегодно|ежегодное|каждый год)\b", t):
        yearly = True
        t = t[m.end() :]
    t = re.sub(r"\s+", " ", t).strip(" ,.;")
    core = _parse_core(t, original)

    first_year, last_year = horizon if horizon is not None else (None, None)
    yearly = yearly or core.recurrence is Recurrence.YEARLY
    recurrence = core.recurrence or (Recurrence.YEARLY if yearly else None)
    if yearly and core.recurrence not in (None, Recurrence.YEARLY):
        raise _fail(original, "«ежегодно» вместе с другой периодичностью")
    pattern: tuple[_Span, ...] = ()
    ranges: list[DateRange]
    if core.horizon or (not t and recurrence is None):
        if core.horizon and first_year is not None and last_year is not None:
            ranges = [DateRange(dt.date(first_year, 1, 1), dt.date(last_year, 12, 31))]
        elif year is not None:
            ranges = [DateRange(dt.date(year, 1, 1), dt.date(year, 12, 31))]
        elif first_year is not None and last_year is not None:
            ranges = [DateRange(dt.date(first_year, 1, 1), dt.date(last_year, 12, 31))]
        else:
            raise _fail(original, "не известен период дорожной карты")
        return Schedule(
            original,
            Recurrence.ONCE,
            ranges,
            continuous=True,
            conditional=conditional,
            separate_plan=separate_plan,
            basis=basis,
        )
    if core.absolute and core.relative:
        raise _fail(original, "часть сроков с годом, часть без года")
    if core.absolute:
        if yearly:
            raise _fail(original, "«ежегодно» вместе с конкретным годом")
        ranges = sorted(core.absolute)
        recurrence = Recurrence.ONCE
    else:
        spans = core.relative
        if recurrence is None:
            if year is not None or (first_year is not None and first_year == last_year):
                recurrence = Recurrence.ONCE
            elif first_year is not None:
                recurrence = Recurrence.YEARLY
            else:
                raise _fail(original, "не указан год")
        if recurrence in (Recurrence.SEMIANNUAL, Recurrence.QUARTERLY, Recurrence.MONTHLY):
            spans = _periodic(recurrence)
        elif not spans:
            spans = (_YEAR_SPAN,)
        if recurrence is Recurrence.ONCE or (year is not None and not yearly):
            the_year = year if year is not None else first_year
            assert the_year is not None
            ranges = sorted(s.in_year(the_year) for s in spans)
            if recurrence is Recurrence.YEARLY:
                recurrence = Recurrence.ONCE
        else:
            if first_year is None or last_year is None:
                if year is None:
                    raise _fail(original, "не известны годы дорожной карты")
                first_year = last_year = year
            ranges = sorted(s.in_year(y) for y in range(first_year, last_year + 1) for s in spans)
            if recurrence is Recurrence.YEARLY:
                pattern = tuple(spans)
        if not_before is not None and recurrence is not Recurrence.ONCE:
            ranges = [r for r in ranges if r.end >= not_before]
    return Schedule(
        original,
        recurrence,
        ranges,
        continuous=core.continuous,
        open_start=core.open_start,
        conditional=conditional,
        separate_plan=separate_plan,
        basis=basis,
        pattern=pattern,
    )


# --------------------------------------------------------------------------- executors

# Heads that start a new executor when several are run together without separators
# («МКУ УО КГО Методический кабинет МКУ УО КГО», «… области ГБУ ДПО ЧИПКРО»).
_HEADS = re.compile(
    r"(?<=\S)\s+(?=(?:Министерство|ГБУ\b|ГБОУ\b|ГАУ\b|МБУ\b|МАУ\b|МУ ДПО\b|Методический кабинет|"
    r"Органы местного самоуправления|Управление образования))"
)
_PARTICIPLE = re.compile(r"^[а-яё]+(?:ющие|ющих|ящие|ящих|вшие|вших|емые|имые)\b")


def _split_actors(text: str) -> list[str]:
    pieces: list[str] = []
    for chunk in text.split(","):
        chunk = chunk.strip()
        if not chunk:
            continue
        if pieces and _PARTICIPLE.match(chunk):
            pieces[-1] = f"{pieces[-1]}, {chunk}"
        else:
            pieces.append(chunk)
    out: list[str] = []
    for piece in pieces:
        out.extend(p.strip() for p in _HEADS.split(piece) if p.strip())
    return out


def split_executors(
    responsible: str, co_executors: str = ""
) -> tuple[tuple[str, ...], tuple[str, ...]]:
    """The lead executors and the co-executors of a roadmap row.

    «Ответственный исполнитель / соисполнитель»: what stands before the first «/» leads,
    what follows co-executes. Executors run together without a separator are split at the
    name of a body («МКУ УО КГО Методический кабинет МКУ УО КГО» → two executors, both
    leading: the order does not say which one co-executes); a comma separates executors
    unless a participle continues the name («Органы местного самоуправления,
    осуществляющие управление в сфере образования»).

    :returns: ``(leads, co_executors)``, names verbatim.
    """
    text = re.sub(r"\s+", " ", responsible or "").strip()
    lead_text, _, co_text = text.partition("/")
    leads = _split_actors(lead_text)
    co = _split_actors(co_text.replace("/", ","))
    co += [a for a in _split_actors((co_executors or "").replace("/", ",")) if a not in co]
    return tuple(leads), tuple(co)


# --------------------------------------------------------------------------- roadmap rows

#: Columns of :func:`roadmap_rows`.
ROW_COLUMNS: Final = (
    "roadmap",
    "section",
    "section_title",
    "number",
    "event",
    "deadline_text",
    "year",
    "recurrence",
    "schedule",
    "start",
    "due",
    "conditional",
    "responsible",
    "co_executors",
    "expected_result",
    "parse_problem",
)
_HORIZON = re.compile(r"\b(20\d\d)\s*(?:-|–|—|по)\s*(20\d\d)\b")
_ONE_YEAR = re.compile(r"\b(20\d\d)\s*(?:год|г\.|гг)")


def roadmap_horizon(roadmap: Roadmap) -> tuple[int, int] | None:
    """The roadmap's first and last years from its title («на 2021 – 2024 годы»), the span
    of the years its parts name, or None."""
    if m := _HORIZON.search(roadmap.title):
        return int(m[1]), int(m[2])
    if m := _ONE_YEAR.search(roadmap.title):
        return int(m[1]), int(m[1])
    years = [y for s in roadmap.sections if (y := _section_year(s)) is not None]
    return (min(years), max(years)) if years else None


def _section_year(section: RoadmapSection) -> int | None:
    """The year of a roadmap part («2021 год. 1. Система методической работы»)."""
    for text in (section.title or "", section.number):
        years = set(re.findall(r"\b(20\d\d)\b", text))
        if len(years) == 1 and not _HORIZON.search(text):
            return int(years.pop())
    return None


def _roadmap_year(roadmap: Roadmap) -> int | None:
    """The year of a roadmap that is one year's part of a longer one («… на 2021-2022 гг.
    — 2021 год»)."""
    years = set(re.findall(r"\b(20\d\d)\s*год\b", roadmap.title))
    return int(years.pop()) if len(years) == 1 else None


def _roadmaps(source: Profile | Roadmap | Iterable[Roadmap]) -> tuple[Roadmap, ...]:
    if isinstance(source, Roadmap):
        return (source,)
    roadmaps = getattr(source, "roadmaps", None)
    if roadmaps is not None:
        return tuple(roadmaps)
    return tuple(source)  # type: ignore[arg-type]


def _not_before(source: object) -> dt.date | None:
    info = getattr(source, "info", None)
    approved = getattr(info, "approved_by", None)
    return getattr(approved, "date", None)


def roadmap_rows(
    source: Profile | Roadmap | Iterable[Roadmap],
    *,
    not_before: dt.date | None = None,
    years: Mapping[str, int] | None = None,
) -> pd.DataFrame:
    """Every roadmap row with its deadline parsed and its executors split.

    :param source: a profile (its roadmaps; rows of a recurring schedule are dropped before
        the profile's approving document's date unless ``not_before`` says otherwise), a
        roadmap or several.
    :param not_before: the date the roadmaps came into force.
    :param years: section number → year, for roadmaps split by years whose section titles
        do not name the year (by default the year a section title names, else the year the
        roadmap's title names as its part: «… на 2021-2022 гг. — 2021 год»).
    :returns: one row per roadmap row, columns :data:`ROW_COLUMNS`; ``schedule`` holds the
        :class:`Schedule` (None with ``parse_problem`` in Russian when unreadable).
    """
    if not_before is None:
        not_before = _not_before(source)
    records = []
    for roadmap in _roadmaps(source):
        horizon = roadmap_horizon(roadmap)
        part_year = _roadmap_year(roadmap)
        for section in roadmap.sections:
            year = (years or {}).get(section.number) or _section_year(section) or part_year
            for row in section.rows:
                schedule, problem = _schedule(row, year, horizon, not_before)
                leads, co = split_executors(row.responsible, row.co_executors)
                records.append(
                    {
                        "roadmap": roadmap.title,
                        "section": section.number,
                        "section_title": section.title or "",
                        "number": row.number,
                        "event": row.event,
                        "deadline_text": row.deadline_text,
                        "year": year,
                        "recurrence": schedule.recurrence.value if schedule else None,
                        "schedule": schedule,
                        "start": schedule.start if schedule else None,
                        "due": schedule.due if schedule else None,
                        "conditional": bool(schedule and schedule.conditional),
                        "responsible": "; ".join(leads),
                        "co_executors": "; ".join(co),
                        "expected_result": row.expected_result,
                        "parse_problem": problem,
                    }
                )
    frame = pd.DataFrame.from_records(records, columns=list(ROW_COLUMNS))
    frame["year"] = frame["year"].astype("Int64")
    return frame


def _schedule(
    row: RoadmapRow, year: int | None, horizon: tuple[int, int] | None, not_before: dt.date | None
) -> tuple[Schedule | None, str]:
    try:
        return parse_deadline(
            row.deadline_text, year=year, horizon=horizon, not_before=not_before
        ), ""
    except DeadlineParseError as exc:
        return None, str(exc)


# --------------------------------------------------------------------------- statuses

#: Status codes → Russian labels (what a status workbook says).
STATUS_LABELS: Final[Mapping[str, str]] = {
    "done": "выполнено",
    "partly_done": "выполнено частично",
    "in_progress": "выполняется",
    "not_done": "не выполнено",
    "not_required": "не потребовалось",
}
#: Statuses of work under way: tracked as «выполняется» until the due date passes.
_UNDER_WAY: Final = frozenset({"in_progress", "partly_done"})
_STATUS_WORDS: Final[Mapping[str, str]] = {
    "выполнено": "done",
    "исполнено": "done",
    "выполнен": "done",
    "да": "done",
    "done": "done",
    "выполняется": "in_progress",
    "в работе": "in_progress",
    "в процессе": "in_progress",
    "частично выполнено": "partly_done",
    "выполнено частично": "partly_done",
    "частично": "partly_done",
    "partly_done": "partly_done",
    "in_progress": "in_progress",
    "не выполнено": "not_done",
    "не исполнено": "not_done",
    "нет": "not_done",
    "not_done": "not_done",
    "не потребовалось": "not_required",
    "не требовалось": "not_required",
    "не требуется": "not_required",
    "необходимости не было": "not_required",
    "not_required": "not_required",
}
#: Column → Russian header of a status workbook.
STATUS_HEADERS: Final[Mapping[str, str]] = {
    "roadmap": "Дорожная карта",
    "number": "№ п/п",
    "event": "Мероприятие",
    "year": "Год",
    "status": "Статус",
    "document": "Подтверждающий документ",
    "completed_on": "Дата исполнения",
    "comment": "Комментарий",
}
_STATUS_ALIASES: Final[Mapping[str, str]] = {
    **{v.lower(): k for k, v in STATUS_HEADERS.items()},
    **{k: k for k in STATUS_HEADERS},
    "№": "number",
    "номер": "number",
    "пункт": "number",
    "документ": "document",
    "дата": "completed_on",
    "примечание": "comment",
}


@attrs.frozen
class StatusRegister:
    """Execution statuses accepted from a file and the rows refused, with reasons.

    :param frame: columns ``roadmap, number, year, status, document, completed_on, comment,
        origin`` (``origin``: file and row).
    :param problems: one Russian message per refused row.
    """

    frame: pd.DataFrame
    problems: tuple[str, ...] = ()

    def __len__(self) -> int:
        return len(self.frame)


def _cell(value: object) -> str:
    if value is None or (isinstance(value, float) and pd.isna(value)) or value is pd.NA:
        return ""
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    if isinstance(value, dt.datetime):
        return value.date().isoformat()
    return re.sub(r"\s+", " ", str(value)).strip()


def _parse_day(text: str) -> dt.date | None:
    if not text:
        return None
    for fmt in ("%d.%m.%Y", "%Y-%m-%d", "%d.%m.%y"):
        try:
            return dt.datetime.strptime(text.split(" ")[0].split("T")[0], fmt).date()
        except ValueError:
            continue
    raise ValueError(f"«{text}» не является датой (ожидается ДД.ММ.ГГГГ)")


def _read_table(source: str | Path | pd.DataFrame) -> tuple[pd.DataFrame, str]:
    if isinstance(source, pd.DataFrame):
        return source.copy(), "таблица"
    path = Path(source)
    if path.suffix.lower() in (".xlsx", ".xlsm", ".xls", ".ods"):
        sheets = pd.read_excel(path, dtype=object, engine="calamine", sheet_name=None)
        # the form of write_status_template opens with an instruction sheet
        name = STATUS_SHEET if STATUS_SHEET in sheets else next(iter(sheets))
        return sheets[name], path.name
    return pd.read_csv(path, dtype=str, keep_default_na=False, sep=None, engine="python"), path.name


def _canonical_columns(frame: pd.DataFrame, aliases: Mapping[str, str]) -> dict[str, str]:
    out = {}
    for column in frame.columns:
        key = re.sub(r"\s+", " ", str(column)).strip().lower()
        if key in aliases:
            out[column] = aliases[key]
    return out


def _normalize_number(value: str) -> str:
    return value.strip().rstrip(".")


def load_statuses(
    source: str | Path | pd.DataFrame, roadmaps: Profile | Roadmap | Iterable[Roadmap] | None = None
) -> StatusRegister:
    """Read execution statuses: one row per roadmap row and year.

    Columns (Russian headers as in :data:`STATUS_HEADERS`, or the English names): «№ п/п»,
    «Год», «Статус» (выполнено, выполняется, не выполнено, не потребовалось), optionally
    «Подтверждающий документ» (a code, number or title of a document of the registry),
    «Дата исполнения», «Комментарий» and «Дорожная карта» (when a profile has several).

    :param source: a workbook (.xlsx), a CSV file or a frame.
    :param roadmaps: when given, row numbers must exist in them.
    :returns: the accepted rows and a Russian message per refused one; counts add up.
    """
    raw, label = _read_table(source)
    columns = _canonical_columns(raw, _STATUS_ALIASES)
    frame = raw.rename(columns=columns)
    problems: list[str] = []
    missing = [STATUS_HEADERS[c] for c in ("number", "year", "status") if c not in frame.columns]
    empty = pd.DataFrame(
        columns=[
            "roadmap",
            "number",
            "year",
            "status",
            "document",
            "completed_on",
            "comment",
            "origin",
        ]
    )
    if missing:
        problems.append(f"{label}: нет столбцов {', '.join(f'«{m}»' for m in missing)}")
        return StatusRegister(empty, tuple(problems))
    known: dict[str, set[str]] | None = None
    if roadmaps is not None:
        known = {}
        for roadmap in _roadmaps(roadmaps):
            known[roadmap.title] = {_normalize_number(r.number) for r in roadmap.rows}
    records = []
    seen: dict[tuple[str, str, int], str] = {}
    for i, row in enumerate(frame.to_dict("records")):
        where = f"{label}, строка {i + 2}"
        values = {k: _cell(row.get(k)) for k in STATUS_HEADERS}
        if not any(values.values()):
            continue
        if not any(values[k] for k in ("status", "document", "completed_on", "comment")):
            continue  # a line of the template not filled in: nothing reported, no error
        number = _normalize_number(values["number"])
        if not number:
            problems.append(f"{where}: не указан номер мероприятия («№ п/п»)")
            continue
        try:
            year = int(float(values["year"]))
        except ValueError:
            problems.append(f"{where}: год «{values['year']}» не является числом")
            continue
        status = _STATUS_WORDS.get(values["status"].lower().replace("ё", "е"))
        if not values["status"]:
            problems.append(
                f"{where}: не указан статус («Статус»), хотя заполнены другие графы строки"
            )
            continue
        if status is None:
            allowed = ", ".join(f"«{v}»" for v in STATUS_LABELS.values())
            problems.append(
                f"{where}: статус «{values['status']}» не распознан; допустимо: {allowed}"
            )
            continue
        try:
            completed = _parse_day(values["completed_on"])
        except ValueError as exc:
            problems.append(f"{where}: {exc}")
            continue
        roadmap_title = values["roadmap"]
        if known is not None and isinstance(row.get("number"), float):
            # a spreadsheet turns «2.10» typed as a number into 2.1
            every = set().union(*known.values())
            readings = [n for n in (number, f"{number}0") if n in every]
            if len(readings) > 1:
                problems.append(
                    f"{where}: номер «{number}» введён числом и может означать пункт "
                    f"{number} или {number}0 — введите номер как текст"
                )
                continue
            number = readings[0] if readings else number
        if known is not None:
            titles = [t for t in known if number in known[t]]
            if roadmap_title:
                titles = [t for t in titles if t == roadmap_title or roadmap_title in t]
            if not titles:
                problems.append(f"{where}: в дорожной карте нет мероприятия № {number}")
                continue
            if len(titles) > 1:
                problems.append(
                    f"{where}: мероприятие № {number} есть в нескольких дорожных картах — "
                    "укажите «Дорожная карта»"
                )
                continue
            roadmap_title = titles[0]
        key = (roadmap_title, number, year)
        if key in seen:
            problems.append(f"{where}: повтор мероприятия № {number} за {year} год ({seen[key]})")
            continue
        seen[key] = where
        records.append(
            {
                "roadmap": roadmap_title,
                "number": number,
                "year": year,
                "status": status,
                "document": values["document"],
                "completed_on": completed,
                "comment": values["comment"],
                "origin": where,
            }
        )
    out = pd.DataFrame.from_records(records, columns=list(empty.columns)) if records else empty
    return StatusRegister(out, tuple(problems))


# --------------------------------------------------------------------------- tracking

#: Columns of :func:`track_execution`.
EXECUTION_COLUMNS: Final = (
    "roadmap",
    "section",
    "number",
    "event",
    "deadline_text",
    "year",
    "start",
    "due",
    "conditional",
    "responsible",
    "co_executors",
    "expected_result",
    "status",
    "document",
    "document_found",
    "completed_on",
    "comment",
    "state",
    "state_label",
)
#: Execution states → Russian labels.
STATE_LABELS: Final[Mapping[str, str]] = {
    "done": "выполнено",
    "done_late": "выполнено с нарушением срока",
    "not_required": "не потребовалось",
    "in_progress": "выполняется",
    "overdue": "просрочено",
    "pending": "срок не наступил",
    "as_needed": "при необходимости",
    "unparsed": "срок не распознан",
}


#: Why a reference date was chosen (:func:`reference_date`), in Russian.
GIVEN_DATE: Final = "задана явно"
PERIOD_END: Final = "конец анализируемого периода"
PERIOD_NOT_OVER: Final = "сегодня: анализируемый период ещё не закончился"
NO_PERIOD: Final = "сегодня: конец анализируемого периода не определён"


def reference_date(
    period_end: dt.date | None,
    today: dt.date | None = None,
    *,
    now: dt.date | None = None,
) -> tuple[dt.date, str]:
    """The date on which execution is judged, and why (in Russian).

    A past period is judged on its last day, never on the day the program runs: a report
    on 2023-2024 written in 2026 must not call overdue what was due after 31.08.2024.

    * ``today`` given — it is used («задана явно»);
    * the period is over — its last day («конец анализируемого периода»);
    * the period is not over yet — the current date (nothing after it can be overdue);
    * no period end known — the current date.

    :param period_end: the last day of the period being analysed.
    :param today: an explicit reference date (``--today``).
    :param now: the current date (default: :func:`datetime.date.today`; for tests).
    :returns: the date and the reason.
    """
    if today is not None:
        return today, GIVEN_DATE
    current = now or dt.date.today()
    if period_end is None:
        return current, NO_PERIOD
    if period_end <= current:
        return period_end, PERIOD_END
    return current, PERIOD_NOT_OVER


def roadmap_period_end(
    source: Profile | Roadmap | Iterable[Roadmap], years: Sequence[int] | None = None
) -> dt.date | None:
    """The last day of the roadmap period considered: 31 December of the last of ``years``,
    or of the last year of the roadmaps' horizon (:func:`roadmap_horizon`); ``None`` when
    a roadmap's horizon is unknown.

    :param source: a profile, a roadmap or several.
    :param years: the calendar years considered (default: the whole horizon).
    """
    if years:
        return dt.date(max(years), 12, 31)
    last: int | None = None
    for roadmap in _roadmaps(source):
        horizon = roadmap_horizon(roadmap)
        if horizon is None:
            return None
        last = horizon[1] if last is None else max(last, horizon[1])
    return dt.date(last, 12, 31) if last is not None else None


def _statuses_frame(statuses: StatusRegister | pd.DataFrame | None) -> pd.DataFrame:
    if statuses is None:
        return pd.DataFrame(
            columns=["roadmap", "number", "year", "status", "document", "completed_on", "comment"]
        )
    return statuses.frame if isinstance(statuses, StatusRegister) else statuses


def _state(
    status: str, conditional: bool, due: dt.date | None, completed: object, today: dt.date
) -> str:
    if due is None:
        return "unparsed"
    if status == "done":
        if isinstance(completed, dt.date) and completed > due:
            return "done_late"
        return "done"
    if status == "not_required":
        return "not_required"
    if conditional:
        return "in_progress" if status in _UNDER_WAY else "as_needed"
    if today > due:
        return "overdue"
    return "in_progress" if status in _UNDER_WAY else "pending"


def track_execution(
    source: Profile | Roadmap | Iterable[Roadmap],
    statuses: StatusRegister | pd.DataFrame | None = None,
    *,
    today: dt.date | None = None,
    documents: DocumentRegistry | None = None,
    not_before: dt.date | None = None,
    years: Sequence[int] | None = None,
) -> pd.DataFrame:
    """The execution of every roadmap row in every year it is due.

    A row is tracked once per calendar year its schedule touches; its due date that year is
    the end of its last occurrence within the year. The state is **done** (or **done
    late**, when the completion date is after the due date), **not required**, **in
    progress**, **overdue** (the due date has passed and the row is not recorded as done or
    not required), **pending** (not yet due), **as needed** (a conditional row without a
    record; never overdue) or **unparsed**.

    :param source: a profile, a roadmap or several.
    :param statuses: from :func:`load_statuses` (or its frame).
    :param today: the reference date (default: the end of the period considered — the
        last of ``years``, or the roadmaps' horizon — or the current date when that
        period is not over; see :func:`reference_date`).
    :param documents: the document registry; the evidence document of each status is
        looked up in it (``document_found``).
    :param not_before: see :func:`roadmap_rows`.
    :param years: restrict to these calendar years.
    :returns: columns :data:`EXECUTION_COLUMNS`, in roadmap order then year.
    """
    today, _ = reference_date(roadmap_period_end(source, years), today)
    rows = roadmap_rows(source, not_before=not_before)
    given = _statuses_frame(statuses)
    lookup: dict[tuple[str, str, int], dict[str, Any]] = {}
    for given_row in given.to_dict("records"):
        key = (
            str(given_row.get("roadmap", "") or ""),
            _normalize_number(str(given_row["number"])),
            int(given_row["year"]),
        )
        lookup[key] = given_row
    by_number: dict[tuple[str, int], list[dict[str, Any]]] = {}
    for (_roadmap, given_number, given_year), given_row in lookup.items():
        by_number.setdefault((given_number, given_year), []).append(given_row)
    records = []
    for row in rows.to_dict("records"):
        schedule: Schedule | None = row["schedule"]
        row_years: Sequence[int | None] = schedule.years if schedule else [None]
        for year in row_years:
            if years is not None and year not in years:
                continue
            number = _normalize_number(row["number"])
            rec: Mapping[str, Any] = {}
            if year is not None:
                rec = lookup.get((row["roadmap"], number, year), {})
                if not rec:
                    candidates = [
                        r for r in by_number.get((number, year), []) if not r.get("roadmap")
                    ]
                    rec = candidates[0] if len(candidates) == 1 else {}
            parts = schedule.in_year(year) if schedule and year is not None else ()
            due = max(p.end for p in parts) if parts else None
            start = min(p.start for p in parts) if parts else None
            status = str(rec.get("status", "") or "")
            document = str(rec.get("document", "") or "")
            found: bool | None = None
            if document and documents is not None:
                found = documents.find(document) is not None
            completed = rec.get("completed_on")
            completed = completed if isinstance(completed, dt.date) else None
            state = _state(status, bool(row["conditional"]), due, completed, today)
            records.append(
                {
                    "roadmap": row["roadmap"],
                    "section": row["section"],
                    "number": row["number"],
                    "event": row["event"],
                    "deadline_text": row["deadline_text"],
                    "year": year,
                    "start": start,
                    "due": due,
                    "conditional": row["conditional"],
                    "responsible": row["responsible"],
                    "co_executors": row["co_executors"],
                    "expected_result": row["expected_result"],
                    "status": status,
                    "document": document,
                    "document_found": found,
                    "completed_on": completed,
                    "comment": str(rec.get("comment", "") or ""),
                    "state": state,
                    "state_label": STATE_LABELS[state],
                }
            )
    frame = pd.DataFrame.from_records(records, columns=list(EXECUTION_COLUMNS))
    frame["year"] = frame["year"].astype("Int64")
    frame["document_found"] = frame["document_found"].astype("boolean")
    return frame


# --------------------------------------------------------------------------- the summary


@attrs.frozen
class ExecutionSummary:
    """The roadmap execution summary for the analytical report (ИАС).

    :param table: per roadmap and year: rows due, done (of them with a registry document),
        overdue, in progress, pending, conditional, not required; Russian headers.
    :param overdue: the overdue rows (number, event, year, due date, responsible).
    :param execution: the full :func:`track_execution` frame.
    :param text: the Russian paragraphs.
    :param today: the date execution was judged on.
    :param today_reason: why that date (:func:`reference_date`), in Russian.
    """

    table: pd.DataFrame
    overdue: pd.DataFrame
    execution: pd.DataFrame
    text: str
    today: dt.date | None = None
    today_reason: str = ""

    @property
    def today_text(self) -> str:
        """«Дата, на которую оценено исполнение: 31.08.2024 (конец анализируемого периода)»."""
        if self.today is None:
            return ""
        return f"Дата, на которую оценено исполнение: {self.today:%d.%m.%Y} ({self.today_reason})."


_SUMMARY_HEADERS: Final = {
    "roadmap": "Дорожная карта",
    "year": "Год",
    "rows": "Мероприятий",
    "due": "Срок наступил",
    "done": "Выполнено",
    "evidenced": "Из них подтверждено документом",
    "overdue": "Просрочено",
    "in_progress": "Выполняется",
    "pending": "Срок не наступил",
    "as_needed": "При необходимости",
    "not_required": "Не потребовалось",
}


def _plural(n: int, one: str, few: str, many: str) -> str:
    if n % 10 == 1 and n % 100 != 11:
        return one
    if 2 <= n % 10 <= 4 and not 12 <= n % 100 <= 14:
        return few
    return many


def roadmap_execution_summary(
    profile: Profile | Roadmap | Iterable[Roadmap],
    statuses: StatusRegister | pd.DataFrame | None = None,
    *,
    today: dt.date | None = None,
    documents: DocumentRegistry | None = None,
    years: Sequence[int] | None = None,
) -> ExecutionSummary:
    """The roadmap execution summary the ИАС prints: a table per roadmap and year, the
    overdue rows and a Russian text.

    :param profile: a profile (its roadmaps), a roadmap or several.
    :param statuses: execution statuses (:func:`load_statuses`); without them every row
        whose due date has passed is overdue.
    :param today: the reference date (default: as :func:`track_execution`).
    :param documents: the document registry that evidences the statuses.
    :param years: restrict to these calendar years.
    """
    today, reason = reference_date(roadmap_period_end(profile, years), today)
    execution = track_execution(profile, statuses, today=today, documents=documents, years=years)
    counts = []
    for (roadmap, year), group in execution.groupby(["roadmap", "year"], sort=False):
        state = group["state"]
        done = state.isin(["done", "done_late"])
        counts.append(
            {
                "roadmap": roadmap,
                "year": int(year),
                "rows": len(group),
                "due": int((group["due"] < today).sum()),
                "done": int(done.sum()),
                "evidenced": int((done & group["document_found"].fillna(False)).sum())
                if documents is not None
                else int((done & (group["document"] != "")).sum()),
                "overdue": int((state == "overdue").sum()),
                "in_progress": int((state == "in_progress").sum()),
                "pending": int((state == "pending").sum()),
                "as_needed": int((state == "as_needed").sum()),
                "not_required": int((state == "not_required").sum()),
            }
        )
    table = pd.DataFrame.from_records(counts, columns=list(_SUMMARY_HEADERS))
    if not table.empty:
        table = table.sort_values(["roadmap", "year"], kind="stable").reset_index(drop=True)
    overdue = execution.loc[
        execution["state"] == "overdue",
        ["roadmap", "number", "event", "year", "due", "responsible"],
    ].reset_index(drop=True)
    text = _summary_text(execution, table, today, documents is not None)
    return ExecutionSummary(
        table=table.rename(columns=_SUMMARY_HEADERS),
        overdue=overdue,
        execution=execution,
        text=text,
        today=today,
        today_reason=reason,
    )


def _summary_text(
    execution: pd.DataFrame, table: pd.DataFrame, today: dt.date, registry: bool
) -> str:
    if execution.empty:
        return "Дорожная карта не зарегистрирована в профиле."
    paragraphs = []
    for roadmap, group in execution.groupby("roadmap", sort=False):
        tab = table[table["roadmap"] == roadmap]
        n_rows = group["number"].nunique()
        due = group[group["due"].notna() & (group["due"] < today)]
        done = int(due["state"].isin(["done", "done_late"]).sum())
        late = int((due["state"] == "done_late").sum())
        overdue = group[group["state"] == "overdue"]
        evid = int(tab["evidenced"].sum())
        parts = [
            f"Дорожная карта «{roadmap}»: {n_rows} "
            f"{_plural(n_rows, 'мероприятие', 'мероприятия', 'мероприятий')}; "
            f"на {today:%d.%m.%Y} срок исполнения истёк по {len(due)} "
            f"{_plural(len(due), 'позиции', 'позициям', 'позициям')} (мероприятие за год)."
        ]
        if len(due):
            share = 100 * done / len(due)
            parts.append(
                f"Выполнено {done} из {len(due)} ({share:.1f} %)".replace(".", ",", 1)
                + (f", в том числе с нарушением срока — {late}" if late else "")
                + (
                    f"; подтверждено документом из реестра — {evid}."
                    if registry
                    else f"; с указанием подтверждающего документа — {evid}."
                )
            )
        if len(overdue):
            parts.append(
                f"Просрочено {len(overdue)} "
                f"{_plural(len(overdue), 'позиция', 'позиции', 'позиций')} по "
                f"{overdue['number'].nunique()} "
                f"{_plural(overdue['number'].nunique(), 'мероприятию', 'мероприятиям', 'мероприятиям')}: "
                f"{_overdue_list(overdue)}."
            )
        else:
            parts.append("Просроченных мероприятий нет.")
        upcoming = group[(group["state"].isin(["pending", "in_progress"])) & group["due"].notna()]
        upcoming = upcoming[upcoming["due"] >= today].sort_values("due", kind="stable").head(3)
        if len(upcoming):
            items = ", ".join(
                f"п. {r['number']} — до {r['due']:%d.%m.%Y}" for r in upcoming.to_dict("records")
            )
            parts.append(f"Ближайшие сроки: {items}.")
        unparsed = group[group["state"] == "unparsed"]["number"].unique().tolist()
        if unparsed:
            parts.append(f"Срок не распознан: п. {', '.join(unparsed)}.")
        paragraphs.append(" ".join(parts))
    return "\n\n".join(paragraphs)


def _years_text(years: Sequence[int]) -> str:
    ys = sorted(set(years))
    runs: list[list[int]] = []
    for y in ys:
        if runs and y == runs[-1][-1] + 1:
            runs[-1].append(y)
        else:
            runs.append([y])
    return ", ".join(f"{r[0]}–{r[-1]}" if len(r) > 2 else ", ".join(map(str, r)) for r in runs)


def _overdue_list(overdue: pd.DataFrame) -> str:
    items = []
    for number, group in overdue.groupby("number", sort=False):
        items.append(f"п. {number} ({_years_text([int(y) for y in group['year']])})")
    return ", ".join(items)


# --------------------------------------------------------------------------- template


def status_template(
    source: Profile | Roadmap | Iterable[Roadmap],
    *,
    not_before: dt.date | None = None,
    years: Sequence[int] | None = None,
) -> pd.DataFrame:
    """A blank status table to fill: one line per roadmap row and year, Russian headers
    (:data:`STATUS_HEADERS`); save it with ``to_excel`` and read it back with
    :func:`load_statuses`."""
    rows = roadmap_rows(source, not_before=not_before)
    several = len(set(rows["roadmap"])) > 1
    records = []
    for row in rows.to_dict("records"):
        schedule: Schedule | None = row["schedule"]
        for year in schedule.years if schedule else ():
            if years is not None and year not in years:
                continue
            records.append(
                {
                    "roadmap": row["roadmap"] if several else "",
                    "number": row["number"],
                    "event": row["event"],
                    "year": year,
                    "status": "",
                    "document": "",
                    "completed_on": "",
                    "comment": "",
                }
            )
    frame = pd.DataFrame.from_records(records, columns=list(STATUS_HEADERS))
    if not several:
        frame = frame.drop(columns="roadmap")
    return frame.rename(columns=STATUS_HEADERS)


#: The sheets of the status workbook written by :func:`write_status_template`.
STATUS_SHEET: Final = "Исполнение"
STATUS_INSTRUCTIONS_SHEET: Final = "Инструкция"
_STATUS_WIDTHS: Final[Mapping[str, float]] = {
    "Дорожная карта": 30,
    "№ п/п": 8,
    "Мероприятие": 60,
    "Год": 7,
    "Статус": 20,
    "Подтверждающий документ": 32,
    "Дата исполнения": 14,
    "Комментарий": 30,
}


def write_status_template(
    source: Profile | Roadmap | Iterable[Roadmap],
    path: str | Path,
    *,
    not_before: dt.date | None = None,
    years: Sequence[int] | None = None,
) -> Path:
    """Write the status form as a workbook a methodologist fills in: an instruction sheet,
    then one line per roadmap row and year (:func:`status_template`) with a drop-down of
    the statuses (:data:`STATUS_LABELS`, «выполнено частично» among them), dates as
    ДД.ММ.ГГГГ, print-ready. Lines left without a status are not reported and are not
    errors when read back with :func:`load_statuses`.

    :param source: the profile or its roadmaps.
    :param path: the .xlsx to write.
    :param not_before: leave out rows due before this date.
    :param years: only these years.
    :returns: the path written.
    """
    from openpyxl import Workbook
    from openpyxl.styles import Alignment, Font, PatternFill
    from openpyxl.utils import get_column_letter
    from openpyxl.worksheet.datavalidation import DataValidation

    from pedprof.io._print import fit_rows, print_setup

    frame = status_template(source, not_before=not_before, years=years)
    wb = Workbook()
    guide = wb.active
    assert guide is not None
    guide.title = STATUS_INSTRUCTIONS_SHEET
    statuses = list(STATUS_LABELS.values())
    lines = [
        ("Сведения об исполнении мероприятий дорожной карты", ""),
        ("", ""),
        ("Что заполнить", f"Лист «{STATUS_SHEET}»: по одной строке на мероприятие и год."),
        (
            "Статус",
            "Выберите из списка: " + ", ".join(f"«{s}»" for s in statuses) + ". Строку без "
            "статуса оставьте пустой: она не учитывается и ошибкой не считается.",
        ),
        (
            "Подтверждающий документ",
            "Номер, дата или название документа (приказ, протокол, справка), подтверждающего "
            "исполнение.",
        ),
        ("Дата исполнения", "В виде ДД.ММ.ГГГГ, например 15.05.2024."),
        (
            "Не изменяйте",
            "Графы «№ п/п», «Мероприятие» и «Год», названия столбцов и листа.",
        ),
        (
            "Просрочено",
            "Мероприятие со статусом «выполняется» или «выполнено частично» считается "
            "просроченным, когда его срок истёк; «не потребовалось» — только для мероприятий, "
            "проводимых при необходимости.",
        ),
    ]
    guide.column_dimensions["A"].width = 28
    guide.column_dimensions["B"].width = 95
    for r, (label, text) in enumerate(lines, start=1):
        a = guide.cell(row=r, column=1, value=label)
        a.font = Font(bold=True, size=13 if r == 1 else 11)
        b = guide.cell(row=r, column=2, value=text)
        b.alignment = Alignment(wrap_text=True, vertical="top")
        a.alignment = Alignment(wrap_text=r > 1, vertical="top")
    print_setup(guide, [28, 95])
    fit_rows(guide, 2)

    ws = wb.create_sheet(STATUS_SHEET)
    columns = list(frame.columns)
    header_fill = PatternFill("solid", fgColor="D9E2F3")
    input_fill = PatternFill("solid", fgColor="FFF2CC")
    for j, name in enumerate(columns, start=1):
        cell = ws.cell(row=1, column=j, value=name)
        cell.font = Font(bold=True)
        cell.fill = header_fill
        cell.alignment = Alignment(wrap_text=True, vertical="top")
        ws.column_dimensions[get_column_letter(j)].width = _STATUS_WIDTHS.get(name, 14)
    inputs = {"Статус", "Подтверждающий документ", "Дата исполнения", "Комментарий"}
    for i, record in enumerate(frame.to_dict("records"), start=2):
        for j, name in enumerate(columns, start=1):
            value = record[name]
            cell = ws.cell(row=i, column=j, value=None if value == "" else value)
            if name in ("№ п/п", "Мероприятие", "Дорожная карта"):
                cell.number_format = "@"
                cell.alignment = Alignment(wrap_text=True, vertical="top")
            if name in inputs:
                cell.fill = input_fill
            if name == "Дата исполнения":
                cell.number_format = "DD.MM.YYYY"
    last = max(len(frame) + 1, 2)
    status_col = get_column_letter(columns.index("Статус") + 1)
    drop = DataValidation(
        type="list",
        formula1='"' + ",".join(statuses) + '"',
        allow_blank=True,
        showErrorMessage=True,
        errorTitle="Статус",
        error="Выберите статус из списка.",
        promptTitle="Статус",
        prompt="Выберите из списка; строку без статуса оставьте пустой.",
    )
    drop.add(f"{status_col}2:{status_col}{last}")
    ws.add_data_validation(drop)
    date_col = get_column_letter(columns.index("Дата исполнения") + 1)
    dates = DataValidation(
        type="date",
        operator="greaterThan",
        formula1="36526",  # 01.01.2000
        allow_blank=True,
        showErrorMessage=True,
        errorTitle="Дата исполнения",
        error="Введите дату в виде ДД.ММ.ГГГГ.",
    )
    dates.add(f"{date_col}2:{date_col}{last}")
    ws.add_data_validation(dates)
    ws.freeze_panes = "A2"
    print_setup(ws, [_STATUS_WIDTHS.get(c, 14) for c in columns], header_rows=(1, 1))
    fit_rows(ws)
    out = Path(path)
    out.parent.mkdir(parents=True, exist_ok=True)
    wb.save(out)
    return out
