"""Print setup of the workbooks pedprof writes: A4, landscape when wide, fitted to one page
wide, header rows repeated on every page, and row heights that fit wrapped text (LibreOffice
and Excel do not grow a row whose text was written by a program)."""

from __future__ import annotations

import math
from collections.abc import Iterable, Sequence
from typing import Any

__all__ = ["column_widths", "finish", "fit_rows", "fitted_height", "print_setup"]

#: Sheets wider than this (in character widths) print in landscape.
LANDSCAPE_ABOVE = 100.0
#: The height of one line of 11 pt text, in points.
LINE_HEIGHT = 15.0


def fitted_height(values: Sequence[Any], widths: Sequence[float], *, size: float = 11) -> float:
    """The height in points a row needs so that each value, wrapped at word boundaries in
    its column of ``widths`` characters, is seen whole.

    :param values: the row's values.
    :param widths: the column widths, in Excel's character units.
    :param size: the font size in pt.
    """
    lines = 1
    for value, width in zip(values, widths, strict=False):
        if value is None:
            continue
        text = str(value)
        # words are not split: a line holds somewhat fewer characters than the column
        room = max(1.0, float(width or 8.43) * 0.95 - 1)
        n = 0
        for paragraph in text.split("\n"):
            n += max(1, math.ceil(len(paragraph) / room)) if paragraph else 1
        lines = max(lines, n)
    return round(lines * LINE_HEIGHT * size / 11 + 2, 1)


def print_setup(
    ws: Any,
    widths: Iterable[float],
    *,
    header_rows: tuple[int, int] | None = None,
    landscape: bool | None = None,
) -> None:
    """Set the print setup of ``ws`` (a worksheet, also write-only, before rows are added).

    :param ws: the worksheet.
    :param widths: its column widths in character units (to decide the orientation).
    :param header_rows: the first and last rows repeated on every printed page.
    :param landscape: force the orientation; by default landscape when the columns are
        wider than :data:`LANDSCAPE_ABOVE` characters.
    """
    total = sum(float(w or 8.43) for w in widths)
    wide = total > LANDSCAPE_ABOVE if landscape is None else landscape
    ws.page_setup.paperSize = "9"  # A4
    ws.page_setup.orientation = "landscape" if wide else "portrait"
    ws.sheet_properties.pageSetUpPr.fitToPage = True
    ws.page_setup.fitToWidth = 1
    ws.page_setup.fitToHeight = 0  # as many pages tall as needed
    ws.print_options.gridLines = False
    ws.page_margins.left = ws.page_margins.right = 0.5
    ws.page_margins.top = ws.page_margins.bottom = 0.6
    if header_rows is not None:
        ws.print_title_rows = f"{header_rows[0]}:{header_rows[1]}"


def column_widths(ws: Any) -> list[float]:
    """The column widths of a (regular) worksheet, in character units."""
    from openpyxl.utils import get_column_letter

    out = []
    for k in range(1, (ws.max_column or 1) + 1):
        dim = ws.column_dimensions.get(get_column_letter(k))
        out.append(float(dim.width) if dim is not None and dim.width else 8.43)
    return out


def fit_rows(
    ws: Any,
    first: int = 1,
    last: int | None = None,
    *,
    size: float = 11,
    wrap_long: bool = False,
) -> None:
    """Give each row of a (regular) worksheet that holds wrapped text the height the text
    needs; rows given a larger height are left alone.

    :param ws: the worksheet.
    :param first: the first row to fit.
    :param last: the last row (default: the sheet's last).
    :param size: the font size in pt.
    :param wrap_long: first wrap the text of every cell longer than its column.
    """
    from openpyxl.styles import Alignment

    widths = column_widths(ws)
    end = ws.max_row if last is None else last
    for row in ws.iter_rows(min_row=first, max_row=end):
        if wrap_long:
            for c in row:
                k = c.column - 1
                if (
                    isinstance(c.value, str)
                    and k < len(widths)
                    and len(c.value) > widths[k]
                    and not (c.alignment is not None and c.alignment.wrap_text)
                    and type(c).__name__ != "MergedCell"
                ):
                    c.alignment = Alignment(wrap_text=True, vertical="top")
        wrapped = [
            c.value if c.alignment is not None and c.alignment.wrap_text else None for c in row
        ]
        if not any(v is not None for v in wrapped):
            continue
        height = fitted_height(wrapped, widths, size=size)
        dim = ws.row_dimensions[row[0].row]
        if dim.height is None or dim.height < height:
            dim.height = height


def finish(
    ws: Any,
    *,
    header_rows: tuple[int, int] | None = None,
    first: int = 1,
    wrap_long: bool = True,
) -> None:
    """Print setup (:func:`print_setup`) and fitted row heights (:func:`fit_rows`, from row
    ``first``) of a filled regular worksheet."""
    print_setup(ws, column_widths(ws), header_rows=header_rows)
    fit_rows(ws, first, wrap_long=wrap_long)
