"""Numbers and states written the Russian way, for everything a methodologist reads."""

from __future__ import annotations

import math

__all__ = ["STATE_LABELS", "format_number", "format_value", "safe_cell"]

STATE_LABELS = {
    "value": "значение",
    "no_data": "нет данных",
    "not_applicable": "не применимо",
}

LEVEL_LABELS = {
    "organization": "организация",
    "municipality": "муниципалитет",
    "region": "регион",
}


def format_number(value: float, digits: int = 1) -> str:
    """``66.6 → '66,6'``; integers without decimals; thin non-breaking space for thousands."""
    if value is None or (isinstance(value, float) and math.isnan(value)):
        return "—"
    text = f"{int(value):,}" if float(value).is_integer() else f"{value:,.{digits}f}"
    return text.replace(",", "\u202f").replace(".", ",")


def format_value(value: float, state: str, *, percent: bool, digits: int = 1) -> str:
    """A result cell: ``'66,6 %'``, ``'5'``, ``'нет данных'`` or ``'не применимо'``."""
    if state != "value":
        return STATE_LABELS.get(state, state)
    if percent:
        return f"{value:.{digits}f}".replace(".", ",") + " %"
    return format_number(value, digits)


_FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


def safe_cell(value: object) -> object:
    """Neutralise text that a spreadsheet would run as a formula (``=``, ``+``, ``-``, ``@``).

    The text is kept, prefixed with an apostrophe-like quote so it stays text.
    """
    if isinstance(value, str) and value.startswith(_FORMULA_START):
        return "'" + value
    return value
