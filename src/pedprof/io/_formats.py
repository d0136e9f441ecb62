"""Which cells of an .xlsx sheet are formatted as percentages.

python-calamine, which reads the values, does not expose number formats. A percent field
must be read as the number a cell displays (0.45 formatted «0 %» shows «45 %»), so this
module reads just enough of the workbook's XML to know which cells carry a percent
format: ``xl/styles.xml`` first — when no cell style of the workbook is a percent format
(the common case, and always for forms pedprof writes) nothing else is read — and only
then the sheet, scanned as a stream for the style index of each cell (no XML tree is
built). The file has already passed :func:`pedprof.io._safety.check_zip`.
"""

from __future__ import annotations

import posixpath
import re
import zipfile
from collections.abc import Iterator
from pathlib import Path
from xml.etree import ElementTree

__all__ = ["is_percent_format", "percent_cells"]

_MAIN = "{http://schemas.openxmlformats.org/spreadsheetml/2006/main}"
_REL = "{http://schemas.openxmlformats.org/officeDocument/2006/relationships}"
_PKG_REL = "{http://schemas.openxmlformats.org/package/2006/relationships}"
_BUILTIN_PERCENT = {9, 10}  # «0%», «0.00%»
_MAX_SMALL_PART = 20 * 2**20
_CHUNK = 2**20

_TAG = re.compile(rb"<(?:\w+:)?(row|c)\b([^>]*)>")
_ATTR_R = re.compile(rb'\br\s*=\s*"([^"]*)"')
_ATTR_S = re.compile(rb'\bs\s*=\s*"(\d+)"')
_REF = re.compile(rb"^([A-Z]{1,3})(\d+)$")
_MAYBE_PERCENT = (b"%", b'numFmtId="9"', b'numFmtId="10"')


def is_percent_format(code: str) -> bool:
    """Whether an Excel number format code shows a percentage (a ``%`` outside quotes,
    escapes and ``[...]`` sections)."""
    quoted = bracket = escaped = False
    for ch in code:
        if escaped:
            escaped = False
        elif quoted:
            quoted = ch != '"'
        elif bracket:
            bracket = ch != "]"
        elif ch == "\\":
            escaped = True
        elif ch == '"':
            quoted = True
        elif ch == "[":
            bracket = True
        elif ch == "%":
            return True
    return False


def _small(zf: zipfile.ZipFile, name: str) -> ElementTree.Element | None:
    try:
        info = zf.getinfo(name)
    except KeyError:
        return None
    if info.file_size > _MAX_SMALL_PART:
        return None
    return ElementTree.fromstring(zf.read(info))


def _percent_styles(zf: zipfile.ZipFile) -> set[int] | None:
    """Indexes of the cell formats (``cellXfs``) that show a percentage."""
    try:
        info = zf.getinfo("xl/styles.xml")
    except KeyError:
        return None
    if info.file_size > _MAX_SMALL_PART:
        return None
    data = zf.read(info)
    if not any(marker in data for marker in _MAYBE_PERCENT):
        return set()  # no percent format anywhere: nothing more to read
    styles = ElementTree.fromstring(data)
    custom: dict[int, str] = {}
    fmts = styles.find(f"{_MAIN}numFmts")
    if fmts is not None:
        for fmt in fmts.iter(f"{_MAIN}numFmt"):
            try:
                custom[int(fmt.get("numFmtId", ""))] = fmt.get("formatCode", "")
            except ValueError:
                continue
    out: set[int] = set()
    xfs = styles.find(f"{_MAIN}cellXfs")
    if xfs is None:
        return out
    for index, xf in enumerate(xfs.findall(f"{_MAIN}xf")):
        try:
            fmt_id = int(xf.get("numFmtId", "0"))
        except ValueError:
            continue
        code = custom.get(fmt_id)
        if (code is not None and is_percent_format(code)) or (
            code is None and fmt_id in _BUILTIN_PERCENT
        ):
            out.add(index)
    return out


def _sheet_part(zf: zipfile.ZipFile, sheet: str) -> str | None:
    """The archive path of the worksheet called ``sheet``."""
    book = _small(zf, "xl/workbook.xml")
    rels = _small(zf, "xl/_rels/workbook.xml.rels")
    if book is None or rels is None:
        return None
    rel_id = None
    for s in book.iter(f"{_MAIN}sheet"):
        if s.get("name") == sheet:
            rel_id = s.get(f"{_REL}id")
            break
    if rel_id is None:
        return None
    for rel in rels.iter(f"{_PKG_REL}Relationship"):
        if rel.get("Id") == rel_id:
            target = rel.get("Target", "")
            if target.startswith("/"):
                return target.lstrip("/")
            return posixpath.normpath(posixpath.join("xl", target))
    return None


def _chunks(zf: zipfile.ZipFile, part: str) -> Iterator[bytes]:
    """The part's bytes in pieces that never cut a tag."""
    with zf.open(part) as fh:
        tail = b""
        while True:
            chunk = fh.read(_CHUNK)
            data = tail + chunk
            if not chunk:
                yield data
                return
            cut = data.rfind(b"<")
            if cut < 0:
                yield data
                tail = b""
            else:
                yield data[:cut]
                tail = data[cut:]


def _styled_cells(zf: zipfile.ZipFile, part: str, styles: set[int]) -> set[tuple[int, int]] | None:
    """The cells whose style is one of ``styles``, found by their own ``r`` reference.

    Only the matching tags are looked at (the regular expression runs over the bytes);
    ``None`` when a matching cell has no ``r`` reference (then its position needs the
    full scan).
    """
    alternatives = b"|".join(str(k).encode() for k in sorted(styles))
    wanted = re.compile(rb'<(?:\w+:)?c\b([^>]*?\bs\s*=\s*"(?:' + alternatives + rb')"[^>]*)>')
    out: set[tuple[int, int]] = set()
    for data in _chunks(zf, part):
        for m in wanted.finditer(data):
            ref = _ATTR_R.search(m[1])
            cell = _REF.match(ref[1]) if ref else None
            if cell is None:
                return None
            out.add((int(cell[2]) - 1, _column_index(cell[1].decode())))
    return out


def _all_cells(zf: zipfile.ZipFile, part: str, styles: set[int]) -> set[tuple[int, int]]:
    """The cells whose style is one of ``styles``, counting positions of unnumbered cells."""
    out: set[tuple[int, int]] = set()
    row, col = -1, -1
    for data in _chunks(zf, part):
        for m in _TAG.finditer(data):
            tag, attrs = m[1], m[2]
            ref = _ATTR_R.search(attrs)
            if tag == b"row":
                row = int(ref[1]) - 1 if ref and ref[1].isdigit() else row + 1
                col = -1
                continue
            cell = _REF.match(ref[1]) if ref else None
            if cell:
                row, col = int(cell[2]) - 1, _column_index(cell[1].decode())
            else:
                col += 1
            style = _ATTR_S.search(attrs)
            if (int(style[1]) if style else 0) in styles:
                out.add((row, col))
    return out


def _column_index(letters: str) -> int:
    n = 0
    for ch in letters:
        n = n * 26 + ord(ch) - 64
    return n - 1


def percent_cells(path: Path, sheet: str) -> set[tuple[int, int]] | None:
    """The cells of ``sheet`` formatted as percentages, as 0-based ``(row, column)``.

    :returns: the set (empty when the workbook has no percent format), or ``None`` when
        the formats cannot be read (not an .xlsx archive, the sheet or its styles not
        found, malformed XML).
    """
    try:
        with zipfile.ZipFile(path) as zf:
            styles = _percent_styles(zf)
            if styles is None:
                return None
            if not styles:
                return set()
            part = _sheet_part(zf, sheet)
            if part is None:
                return None
            found = None if 0 in styles else _styled_cells(zf, part, styles)
            return found if found is not None else _all_cells(zf, part, styles)
    except (zipfile.BadZipFile, OSError, ElementTree.ParseError, ValueError, KeyError):
        return None
