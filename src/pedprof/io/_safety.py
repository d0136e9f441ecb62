"""What a file really is, and whether it is safe to open — before any parser touches it.

A workbook is a zip archive of XML. A "zip bomb" declares (or hides) a huge uncompressed
size; a password-protected workbook is an OLE compound file, as is an old .xls. The
checks here read only the file's first bytes and the zip's central directory, then
stream every entry through a bounded decompressor, so a hostile file is refused within
bounded time and memory with a message a person can act on.
"""

from __future__ import annotations

import errno
import html
import os
import re
import struct
import zipfile
import zlib
from collections.abc import Callable, Iterator
from enum import StrEnum
from pathlib import Path

import attrs

from pedprof.formatting import xml_safe

__all__ = [
    "FileKind",
    "Limits",
    "Refused",
    "check_extent",
    "check_zip",
    "is_panic",
    "os_error_text",
    "printable_name",
    "sniff",
    "xml_safe",
]


class FileKind(StrEnum):
    """What a file is, by its content."""

    XLSX = "xlsx"
    XLSB = "xlsb"
    ODS = "ods"
    XLS = "xls"
    ENCRYPTED = "encrypted"
    CSV = "csv"
    PARQUET = "parquet"
    OTHER_ZIP = "other_zip"
    OTHER_OLE = "other_ole"
    PDF = "pdf"
    EMPTY = "empty"
    BINARY = "binary"


@attrs.frozen
class Limits:
    """Bounds on what is opened.

    :param max_file_bytes: largest file accepted at all.
    :param max_uncompressed_bytes: largest total uncompressed size of a workbook.
    :param max_entry_bytes: largest uncompressed size of one part of a workbook.
    :param max_ratio: largest compression ratio of a part larger than ``ratio_floor``.
    :param ratio_floor: parts smaller than this are not ratio-checked.
    :param max_entries: most parts in a workbook archive.
    :param max_rows: most rows read from one sheet.
    :param max_columns: most columns read from one sheet.
    :param max_cells: most cells of the rectangle from A1 to a sheet's farthest filled
        cell (the reader holds that whole rectangle in memory).
    """

    max_file_bytes: int = 50 * 2**20
    max_uncompressed_bytes: int = 300 * 2**20
    max_entry_bytes: int = 200 * 2**20
    max_ratio: float = 150.0
    ratio_floor: int = 2 * 2**20
    max_entries: int = 5000
    max_rows: int = 200_000
    max_columns: int = 500
    max_cells: int = 10_000_000


class Refused(Exception):
    """A file that is not read, with the reason in Russian and a machine code."""

    def __init__(self, code: str, message: str) -> None:
        super().__init__(message)
        self.code = code
        self.message = message


_ZIP_MAGIC = (b"PK\x03\x04", b"PK\x05\x06", b"PK\x07\x08")
_OLE_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"


def _utf16(name: str) -> bytes:
    return name.encode("utf-16-le")


def _ole_kind(path: Path) -> FileKind:
    # The directory entries of a compound file hold stream names in UTF-16; an
    # encrypted OOXML package has «EncryptedPackage», an .xls a «Workbook»/«Book» stream.
    # The directory may sit anywhere; the caller has already bounded the file's size.
    with path.open("rb") as fh:
        data = fh.read()
    if _utf16("EncryptedPackage") in data or _utf16("EncryptionInfo") in data:
        return FileKind.ENCRYPTED
    if _utf16("Workbook") in data or _utf16("Book") in data:
        return FileKind.XLS
    return FileKind.OTHER_OLE


def _zip_kind(path: Path) -> FileKind:
    try:
        with zipfile.ZipFile(path) as zf:
            names = set(zf.namelist())
            if "xl/workbook.xml" in names:
                return FileKind.XLSX
            if "xl/workbook.bin" in names:
                return FileKind.XLSB
            if "mimetype" in names:
                info = zf.getinfo("mimetype")
                if info.file_size < 200:
                    mime = zf.read("mimetype").decode("ascii", "replace")
                    if "opendocument.spreadsheet" in mime:
                        return FileKind.ODS
            return FileKind.OTHER_ZIP
    except (zipfile.BadZipFile, OSError, ValueError, EOFError, NotImplementedError):
        # Truncated or corrupt: let the workbook checks word the message.
        return FileKind.XLSX if path.suffix.lower() in {".xlsx", ".xlsm"} else FileKind.OTHER_ZIP


def sniff(path: Path) -> FileKind:
    """What ``path`` is, by its first bytes (the extension only breaks ties)."""
    with path.open("rb") as fh:
        head = fh.read(4096)
    if not head:
        return FileKind.EMPTY
    if head.startswith(_ZIP_MAGIC):
        return _zip_kind(path)
    if head.startswith(_OLE_MAGIC):
        return _ole_kind(path)
    if head.startswith(b"PAR1"):
        return FileKind.PARQUET
    if head.startswith(b"%PDF"):
        return FileKind.PDF
    if utf16_encoding(head) is not None:
        return FileKind.CSV
    if b"\x00" in head:
        return FileKind.BINARY
    return FileKind.CSV


def utf16_encoding(head: bytes) -> str | None:
    """``utf-16`` (with a byte-order mark), ``utf-16-le``/``-be`` (without one) or ``None``.

    Excel's «Текст Юникод» is UTF-16 LE with a byte-order mark. Without the mark, text is
    taken for UTF-16 when one byte of every pair is almost always 0 (Latin letters, digits,
    punctuation) or 4 (Cyrillic) and the other is not.
    """
    if head.startswith((b"\xff\xfe", b"\xfe\xff")) and not head.startswith(b"\xff\xfe\x00\x00"):
        return "utf-16"
    sample = head[: len(head) - len(head) % 2]
    if len(sample) < 8:
        return None
    even, odd = sample[0::2], sample[1::2]

    def high(part: bytes) -> float:
        return (part.count(0) + part.count(4)) / len(part)

    if high(odd) > 0.9 and even.count(0) == 0:
        return "utf-16-le"
    if high(even) > 0.9 and odd.count(0) == 0:
        return "utf-16-be"
    return None


def check_zip(path: Path, limits: Limits) -> None:
    """Refuse a workbook archive that is corrupt, truncated or would expand too far.

    The declared sizes are checked first (cheap); then every part is decompressed in
    bounded chunks and counted, so a part that lies about its size is caught too.

    :raises Refused: ``corrupt`` or ``too_large``.
    """
    size = path.stat().st_size
    if size > limits.max_file_bytes:
        raise Refused(
            "too_large",
            f"Файл слишком большой ({size / 2**20:.0f} МБ при допустимых "
            f"{limits.max_file_bytes / 2**20:.0f} МБ). Форма организации обычно занимает "
            "меньше 1 МБ: проверьте, что в книге нет лишних листов, рисунков или "
            "тысяч пустых отформатированных строк.",
        )
    try:
        zf = zipfile.ZipFile(path)
    except (zipfile.BadZipFile, OSError, ValueError, EOFError, NotImplementedError):
        raise Refused(
            "corrupt",
            "Файл повреждён или сохранён не полностью (не открывается как книга Excel). "
            "Откройте его в Excel, сохраните заново как «Книга Excel (.xlsx)» и отправьте ещё раз.",
        ) from None
    with zf:
        infos = zf.infolist()
        if len(infos) > limits.max_entries:
            raise Refused("too_large", "Книга содержит слишком много частей: файл не читается.")
        declared = sum(i.file_size for i in infos)
        if declared > limits.max_uncompressed_bytes:
            raise Refused(
                "too_large",
                f"После распаковки книга заняла бы {declared / 2**20:.0f} МБ (допустимо "
                f"{limits.max_uncompressed_bytes / 2**20:.0f} МБ). Файл не читается: возможно, "
                "это «zip-бомба» или в книге миллионы заполненных ячеек.",
            )
        for info in infos:
            _check_entry(zf, info, limits)


def _bomb(info: zipfile.ZipInfo, limits: Limits) -> Refused:
    return Refused(
        "too_large",
        f"Часть книги «{info.filename}» распаковывается в недопустимо большой объём "
        f"(степень сжатия больше {limits.max_ratio:.0f}:1 или больше "
        f"{limits.max_entry_bytes / 2**20:.0f} МБ). Файл не читается: это похоже на «zip-бомбу».",
    )


def _check_entry(zf: zipfile.ZipFile, info: zipfile.ZipInfo, limits: Limits) -> None:
    if info.file_size > limits.max_entry_bytes:
        raise _bomb(info, limits)
    compressed = max(info.compress_size, 1)
    if info.file_size > limits.ratio_floor and info.file_size / compressed > limits.max_ratio:
        raise _bomb(info, limits)
    if info.compress_type not in (zipfile.ZIP_STORED, zipfile.ZIP_DEFLATED):
        raise Refused(
            "corrupt",
            f"Часть книги «{info.filename}» сжата неподдерживаемым способом: сохраните "
            "файл заново в Excel как «Книга Excel (.xlsx)».",
        )
    cap = min(limits.max_entry_bytes, max(limits.ratio_floor, int(compressed * limits.max_ratio)))
    # Decompress the raw stream ourselves: zipfile would stop at the declared size and
    # hide a part that is larger than it says — which is exactly what a bomb does.
    try:
        with open(zf.filename or "", "rb") as fh:
            fh.seek(info.header_offset)
            header = fh.read(30)
            if len(header) < 30 or header[:4] != b"PK\x03\x04":
                raise Refused("corrupt", _TRUNCATED)
            name_len, extra_len = struct.unpack("<HH", header[26:30])
            fh.seek(info.header_offset + 30 + name_len + extra_len)
            produced = 0
            remaining = info.compress_size
            if info.compress_type == zipfile.ZIP_STORED:
                produced = remaining
            else:
                d = zlib.decompressobj(-15)
                while remaining > 0:
                    chunk = fh.read(min(65536, remaining))
                    if not chunk:
                        raise Refused("corrupt", _TRUNCATED)
                    remaining -= len(chunk)
                    buf = chunk
                    while buf:
                        out = d.decompress(buf, 1 << 20)
                        produced += len(out)
                        if produced > cap:
                            raise _bomb(info, limits)
                        buf = d.unconsumed_tail
                    if d.eof:
                        break
                produced += len(d.flush())
                if not d.eof:
                    raise Refused("corrupt", _TRUNCATED)
    except Refused:
        raise
    except (zipfile.BadZipFile, zlib.error, OSError, EOFError, ValueError):
        raise Refused("corrupt", _TRUNCATED) from None
    if produced != info.file_size:
        raise Refused("corrupt", _TRUNCATED)


_TRUNCATED = (
    "Файл повреждён или сохранён не полностью (части книги не распаковываются). "
    "Откройте его в Excel, сохраните заново как «Книга Excel (.xlsx)» и отправьте ещё раз."
)


# --------------------------------------------------------------------------- sheet extent

_EXTENT_CHUNK = 1 << 20
# Cells as Excel, LibreOffice and openpyxl write them: the reference first («<c r="B7"»).
# A cell that is not plainly near A1 (up to column RZ, row 9999) or has no reference
# first; a prefixed cell tag («<x:c»). Neither in a sheet: every cell is near.
_XLSX_NOT_NEAR = re.compile(rb'<c[ >/](?!r="[A-R]?[A-Z]\d{1,4}")')
_XLSX_PREFIXED = re.compile(rb":c[ >/]")
_NEAR = (494, 9999)  # RZ9999
# Group: the column of a cell whose tag starts with its reference, else empty.
_XLSX_COLS = re.compile(rb'<c[ >/](?:r="([A-Za-z]+))?')
_XLSX_ROWS = re.compile(rb'<c r="[A-Za-z]+(\d+)')
# Any row or cell tag, for the exact scan; group 3: the cell has a value, inline text or
# formula (an empty, only formatted cell «<c r="Z9" s="1"/>» is not read).
_XLSX_TOKEN = re.compile(
    rb"<(?:[\w.-]+:)?(row|c)(?=[\s/>])([^>]*)>(\s*<(?:[\w.-]+:)?(?:v|is|f)\b)?"
)
_ATTR_R = re.compile(rb'\br="\$?([A-Za-z]*)\$?(\d*)"')
_ODS_TOKEN = re.compile(
    rb"<table:(table|table-row|table-cell|covered-table-cell)(?=[\s/>])([^>]*)>"
)
_ODS_NAME = re.compile(rb'\btable:name="([^"]*)"')
_ODS_ROWS = re.compile(rb'\btable:number-rows-repeated="(\d+)"')
_ODS_COLUMNS = re.compile(rb'\btable:number-columns-repeated="(\d+)"')
_ODS_VALUE = re.compile(rb"\boffice:value-type=")


def column_letters(col: int) -> str:
    """1 → ``A``, 16384 → ``XFD``."""
    letters = ""
    while col > 0:
        col, rem = divmod(col - 1, 26)
        letters = chr(65 + rem) + letters
    return letters


def _column_number(letters: bytes) -> int:
    n = 0
    for ch in letters.upper():
        n = n * 26 + (ch - 64)
    return n


def _group(n: int) -> str:
    return f"{n:,}".replace(",", "\u00a0")


class _Extent:
    """The farthest filled cell of one sheet so far; refuses past the limits."""

    def __init__(self, sheet: str, limits: Limits) -> None:
        self.sheet = sheet
        self.limits = limits
        self.rows = 0
        self.cols = 0

    def over(self, rows: int, cols: int) -> bool:
        lim = self.limits
        return rows > lim.max_rows + 100 or cols > lim.max_columns or rows * cols > lim.max_cells

    def add(self, row: int, col: int) -> None:
        """Take in a filled cell (1-based); refuse when it is too far."""
        rows, cols = max(self.rows, row), max(self.cols, col)
        if self.over(rows, cols):
            raise self.refusal(row, col, rows, cols)
        self.rows, self.cols = rows, cols

    def refusal(self, row: int, col: int, rows: int, cols: int) -> Refused:
        lim = self.limits
        address = f"{column_letters(col)}{row}"
        if row > lim.max_rows + 100:
            why = f"это строка {_group(row)}, а на листе допустимо не больше {_group(lim.max_rows)} строк"
        elif col > lim.max_columns:
            why = (
                f"это столбец {column_letters(col)} ({_group(col)}-й), а на листе допустимо не "
                f"больше {_group(lim.max_columns)} столбцов"
            )
        else:
            why = (
                f"тогда лист занимает область A1:{column_letters(cols)}{rows} — "
                f"{_group(rows * cols)} ячеек при допустимых {_group(lim.max_cells)}"
            )
        return Refused(
            "too_large",
            f"На листе «{self.sheet}» заполнена ячейка {address}: {why}. Лист такого размера не "
            "читается, поэтому файл не принят. Вероятно, в дальнюю ячейку случайно что-то "
            "введено: нажмите Ctrl+End, чтобы перейти к последней заполненной ячейке, удалите "
            "лишние строки и столбцы, сохраните файл и отправьте его снова.",
        )


def _xlsx_cut(buf: bytes) -> int:
    """Where the last row or cell tag of ``buf`` begins (-1: none)."""
    best = max(buf.rfind(token) for token in (b"<c ", b"<c>", b"<row ", b"<row>"))
    for token in (b":c ", b":c>", b":row ", b":row>"):  # a prefixed tag, «<x:c r=…»
        pos = buf.rfind(token)
        if pos > best:
            best = buf.rfind(b"<", 0, pos)
    return best


def _ods_cut(buf: bytes) -> int:
    return buf.rfind(b"<table:")


def _chunks(zf: zipfile.ZipFile, name: str, cut_at: Callable[[bytes], int]) -> Iterator[bytes]:
    """The part ``name`` in pieces cut just before a row or cell tag (no tag is split)."""
    carry = b""
    with zf.open(name) as fh:
        while True:
            data = fh.read(_EXTENT_CHUNK)
            buf = carry + data
            if len(data) < _EXTENT_CHUNK:
                if buf:
                    yield buf
                return
            cut = cut_at(buf)
            if cut <= 0:
                cut = buf.rfind(b"<")
            if cut <= 0:
                carry = buf
                continue
            yield buf[:cut]
            carry = buf[cut:]


def _scan_xlsx_part(zf: zipfile.ZipFile, name: str, extent: _Extent) -> None:
    """Bound the sheet in ``name``: a quick pass over the cell references, exact if needed.

    The quick pass looks for any cell beyond RZ9999 in a part under 1 MB (a typical form
    has none: one regular expression search); the next takes every cell whose tag starts
    with its reference, filled or only formatted, so it can only overestimate; when that
    stays within the limits, the sheet is fine. Otherwise — or when a cell is written another way (no reference,
    a namespace prefix) — the exact pass follows the part cell by cell.
    """
    rows = cols = 0
    # The first pass proves nothing about the cells of other pieces: only for a part read
    # in one piece (its size is what check_zip found it to be).
    whole = zf.getinfo(name).file_size < _EXTENT_CHUNK
    near_is_safe = whole and not extent.over(_NEAR[1], _NEAR[0])
    for piece in _chunks(zf, name, _xlsx_cut):
        prefixed = _XLSX_PREFIXED.search(piece) is not None
        if near_is_safe and not prefixed and _XLSX_NOT_NEAR.search(piece) is None:
            return
        col_refs = set(_XLSX_COLS.findall(piece))
        if b"" in col_refs or prefixed:
            _scan_xlsx_in_order(zf, name, extent)
            return
        if col_refs:
            cols = max(cols, max(_column_number(c) for c in col_refs))
            rows = max(rows, max(map(int, set(_XLSX_ROWS.findall(piece)))))
            if extent.over(rows, cols):
                _scan_xlsx_in_order(zf, name, extent)
                return
    extent.rows, extent.cols = rows, cols


def _scan_xlsx_in_order(zf: zipfile.ZipFile, name: str, extent: _Extent) -> None:
    row, col = 0, 0
    for piece in _chunks(zf, name, _xlsx_cut):
        for m in _XLSX_TOKEN.finditer(piece):
            ref = _ATTR_R.search(m[2])
            if m[1] == b"row":
                row = int(ref[2]) if ref is not None and ref[2] else row + 1
                col = 0
                continue
            if ref is not None and ref[1] and ref[2]:
                row, col = int(ref[2]), _column_number(ref[1])
            else:
                col += 1
            if m[3] is not None and not m[2].endswith(b"/"):
                extent.add(max(row, 1), col)


def _small_part(zf: zipfile.ZipFile, name: str) -> bytes:
    try:
        info = zf.getinfo(name)
    except KeyError:
        return b""
    return b"" if info.file_size > 10 * 2**20 else zf.read(info)


def _sheet_parts(zf: zipfile.ZipFile, binary: bool) -> list[tuple[str, str]]:
    """``(sheet name, part name)`` of every worksheet of an .xlsx (.xlsb), named as in
    the workbook; a worksheet part the workbook does not name is listed by its file name."""
    ext = "bin" if binary else "xml"
    rels = _small_part(zf, f"xl/_rels/workbook.{ext}.rels").decode("utf-8", "replace")
    targets: dict[str, str] = {}
    for rel in re.findall(r"<Relationship\b[^>]*>", rels):
        ident = re.search(r'\bId="([^"]*)"', rel)
        target = re.search(r'\bTarget="([^"]*)"', rel)
        if ident and target:
            path = target[1].lstrip("/")
            targets[ident[1]] = path if path.startswith("xl/") else "xl/" + path
    book = _small_part(zf, f"xl/workbook.{ext}")
    named_ids = _xlsb_sheet_ids(book) if binary else _xlsx_sheet_ids(book)
    out: list[tuple[str, str]] = []
    named: set[str] = set()
    for sheet, rid in named_ids:
        part = targets.get(rid)
        if part:
            out.append((sheet, part))
            named.add(part)
    names = set(zf.namelist())
    for part in sorted(names):
        if part.startswith("xl/worksheets/") and part.endswith("." + ext) and part not in named:
            out.append((part.rsplit("/", 1)[-1], part))
    return [(sheet, part) for sheet, part in out if part in names]


def _xlsx_sheet_ids(book: bytes) -> list[tuple[str, str]]:
    out = []
    for tag in re.findall(r"<(?:[\w.-]+:)?sheet\b[^>]*>", book.decode("utf-8", "replace")):
        sheet = re.search(r'\bname="([^"]*)"', tag)
        rid = re.search(r'\s[\w.-]+:id="([^"]*)"', tag)
        if sheet and rid:
            out.append((html.unescape(sheet[1]), rid[1]))
    return out


def _xlsb_records(data: bytes | bytearray, pos: int) -> Iterator[tuple[int, int, int]]:
    """``(type, payload start, payload end)`` of each complete BIFF12 record from ``pos``."""
    n = len(data)
    while pos < n:
        kind = shift = 0
        for _ in range(2):  # the type: one or two bytes, seven bits each
            if pos >= n:
                return
            byte = data[pos]
            pos += 1
            kind |= (byte & 0x7F) << shift
            shift += 7
            if not byte & 0x80:
                break
        size = shift = 0
        for _ in range(4):  # the size: one to four bytes
            if pos >= n:
                return
            byte = data[pos]
            pos += 1
            size |= (byte & 0x7F) << shift
            shift += 7
            if not byte & 0x80:
                break
        if pos + size > n:
            return
        yield kind, pos, pos + size
        pos += size


def _xlsb_text(data: bytes, pos: int) -> tuple[str, int]:
    (count,) = struct.unpack_from("<I", data, pos)
    if count == 0xFFFFFFFF:
        return "", pos + 4
    end = pos + 4 + 2 * count
    return data[pos + 4 : end].decode("utf-16-le", "replace"), end


def _xlsb_sheet_ids(book: bytes) -> list[tuple[str, str]]:
    out = []
    for kind, start, end in _xlsb_records(book, 0):
        if kind == 156 and end - start >= 16:  # BrtBundleSh: state, tab id, rel id, name
            try:
                rid, pos = _xlsb_text(book, start + 8)
                name, _ = _xlsb_text(book, pos)
            except struct.error:
                continue
            out.append((name, rid))
    return out


# BrtCellRk … BrtFmlaError: cells with a value (a blank, only formatted cell is type 1).
_XLSB_VALUE_CELLS = frozenset(range(2, 12))


def _scan_xlsb_part(zf: zipfile.ZipFile, name: str, extent: _Extent) -> None:
    row = rows = cols = 0
    data = bytearray()
    with zf.open(name) as fh:
        while True:
            chunk = fh.read(_EXTENT_CHUNK)
            data += chunk
            done = 0
            for kind, start, end in _xlsb_records(data, 0):
                done = end
                if end - start < 4:
                    continue
                if kind == 0:  # BrtRowHdr: the row
                    row = int.from_bytes(data[start : start + 4], "little") + 1
                elif kind in _XLSB_VALUE_CELLS:
                    col = int.from_bytes(data[start : start + 4], "little") + 1
                    if row > rows or col > cols:
                        extent.add(row, col)
                        rows, cols = max(rows, row), max(cols, col)
            del data[:done]
            if not chunk:
                return


def _scan_ods(zf: zipfile.ZipFile, limits: Limits) -> None:
    extent: _Extent | None = None
    row, col = 0, 0
    for piece in _chunks(zf, "content.xml", _ods_cut):
        for m in _ODS_TOKEN.finditer(piece):
            tag, attrs_ = m[1], m[2]
            closed = attrs_.endswith(b"/")
            if tag == b"table":
                name = _ODS_NAME.search(attrs_)
                sheet = html.unescape(name[1].decode("utf-8", "replace")) if name else "?"
                extent = _Extent(sheet, limits)
                row, col = 0, 0
            elif tag == b"table-row":
                rep = _ODS_ROWS.search(attrs_)
                # A repeated row repeats its cells: the farthest copy is the last one.
                row += int(rep[1]) if rep else 1
                col = 0
            else:
                rep = _ODS_COLUMNS.search(attrs_)
                col += int(rep[1]) if rep else 1
                filled = not closed or _ODS_VALUE.search(attrs_) is not None
                if filled and extent is not None:
                    extent.add(max(row, 1), col)


def check_extent(path: Path, kind: FileKind, limits: Limits) -> None:
    """Refuse a workbook with a filled cell too far for a sheet to be read safely.

    The reader holds every sheet as a rectangle from A1 to its farthest filled cell, so
    one value typed into XFD5000 would take gigabytes. The cells are found by streaming
    the sheet's parts (the ``<dimension>`` element may lie and is not used): .xlsx, .xlsm,
    .xlsb and .ods; an .xls (at most 65 536 × 256 cells) is checked once its sheets are
    loaded.

    :raises Refused: ``too_large``, naming the sheet and the cell.
    """
    try:
        with zipfile.ZipFile(path) as zf:
            if kind is FileKind.XLSX:
                for sheet, part in _sheet_parts(zf, binary=False):
                    _scan_xlsx_part(zf, part, _Extent(sheet, limits))
            elif kind is FileKind.XLSB:
                for sheet, part in _sheet_parts(zf, binary=True):
                    _scan_xlsb_part(zf, part, _Extent(sheet, limits))
            elif kind is FileKind.ODS and "content.xml" in zf.namelist():
                _scan_ods(zf, limits)
    except Refused:
        raise
    except (zipfile.BadZipFile, zlib.error, OSError, EOFError, ValueError, KeyError, struct.error):
        raise Refused("corrupt", _TRUNCATED) from None


def check_loaded_extent(sheet: str, end: tuple[int, int] | None, limits: Limits) -> None:
    """The same bound for a sheet already loaded (``end``: its last cell, 0-based)."""
    if end is None:
        return
    extent = _Extent(sheet, limits)
    extent.add(end[0] + 1, end[1] + 1)


# --------------------------------------------------------------------------- errors, text


_OS_ERRORS = {
    errno.ENOENT: "такого файла нет (возможно, его удалили или переименовали во время проверки, "
    "или это ссылка на несуществующий файл)",
    errno.EACCES: "нет прав на чтение файла",
    errno.EPERM: "нет прав на чтение файла",
    errno.ELOOP: "это символическая ссылка, которая указывает сама на себя (зацикленная ссылка)",
    errno.EISDIR: "это папка, а не файл",
    errno.ENOTDIR: "путь к файлу неверен: часть пути — не папка",
    errno.ENAMETOOLONG: "слишком длинное имя файла или путь к нему",
    errno.EIO: "ошибка чтения с диска (диск или сетевая папка недоступны)",
    errno.EMFILE: "открыто слишком много файлов одновременно; повторите проверку",
    errno.ENFILE: "открыто слишком много файлов одновременно; повторите проверку",
    errno.EBUSY: "файл занят другой программой",
    errno.ETXTBSY: "файл занят другой программой",
    errno.ENXIO: "это не обычный файл (устройство или канал без источника данных)",
    errno.ENODEV: "это не обычный файл, а устройство",
    errno.ETIMEDOUT: "истекло время ожидания (сетевая папка не отвечает)",
    errno.ESTALE: "сетевая папка недоступна (устаревший дескриптор)",
}


def os_error_text(exc: OSError) -> str:
    """What went wrong in Russian, for an error from the operating system."""
    text = _OS_ERRORS.get(exc.errno or -1)
    if text is not None:
        return text
    code = errno.errorcode.get(exc.errno or -1, "")
    return "ошибка операционной системы при чтении файла" + (f" ({code})" if code else "")


def printable_name(name: str | bytes | os.PathLike[str]) -> str:
    """A file name as it can be shown and written anywhere.

    Bytes that are not UTF-8 (a name made on Windows in cp1251, a damaged archive) become
    ``\\xff``; control characters become ``\\x07`` (nothing is hidden or dropped).
    """
    raw = name if isinstance(name, bytes) else os.fsencode(name)
    text = raw.decode("utf-8", "backslashreplace")
    return _CONTROL.sub(lambda m: f"\\x{ord(m[0]):02x}", text)


_CONTROL = re.compile("[\x00-\x1f\x7f-\x9f]")


def is_panic(exc: BaseException) -> bool:
    """Whether ``exc`` is a panic of a Rust reader (pyo3's ``PanicException``).

    It derives from :class:`BaseException`, not :class:`Exception`, so ``except Exception``
    does not catch it; it means the file held something the reader could not handle.
    """
    cls = type(exc)
    return cls.__name__ == "PanicException" and cls.__module__ == "pyo3_runtime"
