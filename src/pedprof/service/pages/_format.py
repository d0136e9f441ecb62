"""Russian formatting of numbers, dates and changes for the pages."""

from __future__ import annotations

import datetime as dt
import math
from typing import Any

from pedprof.formatting import format_number, format_result

__all__ = [
    "days_word",
    "ru_change",
    "ru_date",
    "ru_datetime",
    "ru_number",
    "ru_percent",
    "ru_result",
    "ru_size",
]


def _missing(value: Any) -> bool:
    if value is None:
        return True
    try:
        return math.isnan(float(value))
    except (TypeError, ValueError):
        return False


def ru_number(value: Any, digits: int = 1) -> str:
    """``1234.5 → '1 234,5'`` (narrow no-break space), ``None``/NaN → ``'—'``."""
    if _missing(value):
        return "—"
    return format_number(float(value), digits)


def ru_percent(value: Any, digits: int = 1) -> str:
    """``45.25 → '45,3 %'`` (no-break space before the sign)."""
    if _missing(value):
        return "—"
    return f"{float(value):.{digits}f}".replace(".", ",") + "\u00a0%"


def _null(value: Any) -> bool:
    """``None``, NaN or NaT (NaT is a ``datetime`` that is not equal to itself)."""
    if value is None:
        return True
    try:
        return bool(value != value)
    except (TypeError, ValueError):
        return False


def _as_date(value: Any) -> dt.date | None:
    if _null(value):
        return None
    if isinstance(value, dt.datetime):
        return value.date()
    if isinstance(value, dt.date):
        return value
    if hasattr(value, "to_pydatetime"):
        return value.to_pydatetime().date()
    if isinstance(value, str) and value:
        try:
            return dt.datetime.fromisoformat(value.replace("Z", "+00:00")).date()
        except ValueError:
            return None
    return None


def ru_date(value: Any) -> str:
    """``2024-08-05 → '05.08.2024'``; nothing → ``'—'``."""
    d = _as_date(value)
    return "—" if d is None else d.strftime("%d.%m.%Y")


def ru_datetime(value: Any) -> str:
    """``'05.08.2024 14:03'`` in UTC (the store's receipt time)."""
    if _null(value):
        return "—"
    if isinstance(value, str) and value:
        try:
            value = dt.datetime.fromisoformat(value.replace("Z", "+00:00"))
        except ValueError:
            return value
    if isinstance(value, dt.datetime):
        if value.tzinfo is not None:
            value = value.astimezone(dt.UTC)
        return value.strftime("%d.%m.%Y %H:%M")
    return ru_date(value)


def days_word(n: int) -> str:
    """``1 → 'день'``, ``3 → 'дня'``, ``5 → 'дней'``."""
    n = abs(n)
    if n % 10 == 1 and n % 100 != 11:
        return "день"
    if 2 <= n % 10 <= 4 and not 12 <= n % 100 <= 14:
        return "дня"
    return "дней"


def ru_result(
    value: Any, state: str, kind: str, level: str, numerator: Any = None, denominator: Any = None
) -> str:
    """A result cell by the indicator's kind (``'45,3 %'``, ``'5'``, ``'нет данных'``)."""
    v = float("nan") if _missing(value) else float(value)
    return format_result(
        v,
        state,
        kind=kind,
        level=level,
        numerator=None if _missing(numerator) else float(numerator),
        denominator=None if _missing(denominator) else float(denominator),
    ).replace(" %", "\u00a0%")


def ru_change(value: Any, previous: Any, *, share: bool) -> str:
    """The change from the previous period: ``'+4,2 п. п.'`` for shares, ``'−1'`` else."""
    if _missing(value) or _missing(previous):
        return "—"
    delta = float(value) - float(previous)
    if abs(delta) < 1e-9:
        return "без изменений"
    sign = "+" if delta > 0 else "\u2212"
    text = format_number(abs(delta), 1)
    return f"{sign}{text}\u00a0п.\u00a0п." if share else f"{sign}{text}"


def ru_size(n: int) -> str:
    """``21146 → '20,7 КБ'``."""
    if n < 1024:
        return f"{n} Б"
    if n < 1024 * 1024:
        return ru_number(n / 1024) + "\u00a0КБ"
    return ru_number(n / 2**20) + "\u00a0МБ"
