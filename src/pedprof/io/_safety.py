"""What a file really is, and whether it is safe to open — before any parser touches it.

A workbook is a zip archive of XML. A "zip bomb" declares (or hides) a huge uncompressed
size; a password-protected workbook is an OLE compound file, as is an old .xls. The
checks here read only the file's first bytes and the zip's central directory, then
stream every entry through a bounded decompressor, so a hostile file is refused within
bounded time and memory with a message a person can act on.
"""

from __future__ import annotations

import struct
import zipfile
import zlib
from enum import StrEnum
from pathlib import Path

import attrs

__all__ = ["FileKind", "Limits", "Refused", "check_zip", "sniff"]


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
    """

    max_file_bytes: int = 50 * 2**20
    max_uncompressed_bytes: int = 300 * 2**20
    max_entry_bytes: int = 200 * 2**20
    max_ratio: float = 150.0
    ratio_floor: int = 2 * 2**20
    max_entries: int = 5000
    max_rows: int = 200_000
    max_columns: int = 500


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
    if b"\x00" in head:
        return FileKind.BINARY
    return FileKind.CSV


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
