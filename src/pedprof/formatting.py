"""Numbers and states written the Russian way, for everything a methodologist reads."""

from __future__ import annotations

import math
import re

__all__ = ["STATE_LABELS", "format_number", "format_result", "format_value", "safe_cell"]

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


def _finite(value: object) -> bool:
    try:
        return math.isfinite(float(value))  # type: ignore[arg-type]
    except (TypeError, ValueError):
        return False


def format_result(
    value: float,
    state: str,
    *,
    kind: str,
    level: str,
    numerator: float | None = None,
    denominator: float | None = None,
    digits: int = 1,
) -> str:
    """A result cell written by the indicator's kind: a share as a percentage
    (``'66,7 %'``), a count or a presence as a number (``'5'``).

    An indicator «не менее N в каждой ОО» (kind ``per_organization_minimum``) is a count in
    an organisation; above it the value is the share of organisations that reach N, written
    as those counts: ``'9 из 10 ОО'`` (the percentage when the counts are unknown).

    :param kind: the indicator's kind (:class:`pedprof.model.indicators.IndicatorKind` value).
    :param level: the level of the result (``organization``, ``municipality``, ``region``).
    :param numerator: the result's numerator (organisations that reach the minimum).
    :param denominator: the result's denominator (organisations judged).
    """
    if state != "value":
        return STATE_LABELS.get(state, state)
    kind = str(kind)
    if kind == "share":
        return format_value(value, state, percent=True, digits=digits)
    if kind == "per_organization_minimum" and level != "organization":
        if _finite(numerator) and _finite(denominator):
            return f"{format_number(float(numerator))} из {format_number(float(denominator))} ОО"  # type: ignore[arg-type]
        return format_value(value, state, percent=True, digits=digits)
    return format_number(value, digits)


_FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


def safe_cell(value: object) -> object:
    """Neutralise text that a spreadsheet would run as a formula (``=``, ``+``, ``-``, ``@``)
    and characters XML cannot hold (:func:`xml_safe`).

    The text is kept, prefixed with an apostrophe-like quote so it stays text.
    """
    if not isinstance(value, str):
        return value
    value = xml_safe(value)
    if value.startswith(_FORMULA_START):
        return "'" + value
    return value


_NOT_XML = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ud800-\udfff\ufffe\uffff]")


def xml_safe(text: str) -> str:
    """``text`` with each character XML cannot hold shown as ``[U+0007]``.

    Submitted cells may hold control characters (a bell, a form feed, a NUL pasted from
    another program); written as they are, they break the .xlsx, .docx or .html.
    """
    if not _NOT_XML.search(text):
        return text
    return _NOT_XML.sub(lambda m: f"[U+{ord(m[0]):04X}]", text)
