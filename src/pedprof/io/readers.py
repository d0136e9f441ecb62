"""Readers: a workbook, CSV, Parquet file or DataFrame → grids of raw cells.

Nothing here validates values; it only gets the cells out, safely. Workbooks (.xlsx, and
also .xlsm, .xlsb, .ods, .xls) are read with python-calamine — measured several times
faster than openpyxl on school forms (see ``benchmarks/ingest.py``) — after
:func:`pedprof.io._safety.check_zip` has bounded what they can expand to. Formulas are
never evaluated: the value Excel stored with the formula is what is read.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import os
import re
import stat
import zipfile
from collections.abc import Sequence
from pathlib import Path
from typing import Any

import attrs
import pandas as pd

from pedprof.io._safety import (
    FileKind,
    Limits,
    Refused,
    check_extent,
    check_loaded_extent,
    check_zip,
    is_panic,
    os_error_text,
    printable_name,
    sniff,
    utf16_encoding,
)
from pedprof.io.forms import INSTRUCTIONS_SHEET, LISTS_SHEET, META_SHEET

__all__ = ["Grid", "RawFile", "clean_text", "read_frame", "read_path", "skip_notice"]

WORKBOOK_SUFFIXES = {".xlsx", ".xlsm", ".xlsb", ".xls", ".ods"}
TABLE_SUFFIXES = {".csv", ".txt", ".tsv", ".parquet", ".pq"} | WORKBOOK_SUFFIXES


@attrs.define
class Grid:
    """The cells of one sheet (or CSV / Parquet / DataFrame), rows of raw values.

    :param sheet: the sheet name (``None`` for CSV, Parquet and frames).
    :param row_base: the number a person sees for ``rows[0]`` (1 in a sheet or CSV; 0
        for Parquet and frames, whose header is not a numbered row).
    :param hidden: the sheet is hidden in the workbook.
    :param merged: merged ranges ``((row0, col0), (row1, col1))``, 0-based inclusive.
    """

    sheet: str | None
    rows: list[list[Any]]
    row_base: int = 1
    hidden: bool = False
    merged: list[tuple[tuple[int, int], tuple[int, int]]] = attrs.field(factory=list)
    table_hint: str | None = None


@attrs.define
class RawFile:
    """One input: where it came from, its grids, the form's metadata and context.

    :param label: how the file is named in messages (path relative to what was given).
    :param meta: the hidden metadata of a pedprof form (empty for other files).
    :param context: the form's details as filled on the instructions sheet, keyed
        ``period``, ``org_id`` or ``municipality_id`` → (raw value, where).
    :param submitted_at: when the file was last saved (the workbook's own property, else
        the file's modification time).
    :param notices: file-level remarks ``(code, message)`` that reject nothing.
    """

    label: str
    path: Path | None
    kind: str
    grids: list[Grid] = attrs.field(factory=list)
    meta: dict[str, str] = attrs.field(factory=dict)
    context: dict[str, tuple[Any, str]] = attrs.field(factory=dict)
    submitted_at: dt.datetime | None = None
    notices: list[tuple[str, str]] = attrs.field(factory=list)


_KIND_MESSAGES = {
    FileKind.ENCRYPTED: (
        "encrypted",
        "Книга защищена паролем, её невозможно прочитать. Снимите пароль (Файл → Сведения → "
        "Защита книги → Зашифровать с использованием пароля → удалите пароль), сохраните и "
        "отправьте файл снова.",
    ),
    FileKind.OTHER_ZIP: (
        "not_a_workbook",
        "Это не книга Excel (архив или документ другого вида). Отправьте заполненную форму в "
        "формате «Книга Excel (.xlsx)».",
    ),
    FileKind.OTHER_OLE: (
        "not_a_workbook",
        "Это не книга Excel (документ Word или другой программы в старом формате). Отправьте "
        "заполненную форму в формате «Книга Excel (.xlsx)».",
    ),
    FileKind.PDF: (
        "not_a_workbook",
        "Это PDF-документ, а не таблица: данные из него не читаются. Отправьте заполненную "
        "форму в формате «Книга Excel (.xlsx)».",
    ),
    FileKind.EMPTY: ("empty_file", "Файл пустой (0 байт): вероятно, он не сохранился."),
    FileKind.BINARY: (
        "not_a_workbook",
        "Файл не является таблицей (не книга Excel, не CSV). Отправьте заполненную форму в "
        "формате «Книга Excel (.xlsx)».",
    ),
}


def _core_modified(path: Path) -> dt.datetime | None:
    """The «last saved» date an office suite records inside the file."""
    try:
        with zipfile.ZipFile(path) as zf:
            for name, tag in (("docProps/core.xml", "dcterms:modified"), ("meta.xml", "dc:date")):
                try:
                    info = zf.getinfo(name)
                except KeyError:
                    continue
                if info.file_size > 1_000_000:
                    return None
                text = zf.read(info).decode("utf-8", "replace")
                m = re.search(rf"<{tag}[^>]*>([^<]+)</{tag}>", text)
                if m:
                    return _parse_timestamp(m[1])
    except (zipfile.BadZipFile, OSError, ValueError):
        return None
    return None


def _parse_timestamp(text: str) -> dt.datetime | None:
    try:
        stamp = dt.datetime.fromisoformat(text.strip().replace("Z", "+00:00"))
    except ValueError:
        return None
    if stamp.tzinfo is None:
        stamp = stamp.replace(tzinfo=dt.UTC)
    return stamp.astimezone().replace(tzinfo=None)


def _mtime(path: Path) -> dt.datetime:
    return dt.datetime.fromtimestamp(path.stat().st_mtime)


_UNREADABLE = (
    "Файл повреждён или содержит то, чего программа чтения таблиц не понимает. Откройте его "
    "в Excel, сохраните заново как «Книга Excel (.xlsx)» и отправьте ещё раз."
)
_PANIC = (
    "содержит значение, которое не удаётся прочитать (например, дату за пределами "
    "допустимого диапазона или испорченное число). Откройте файл в Excel, проверьте даты "
    "и числа на этом листе, сохраните заново как «Книга Excel (.xlsx)» и отправьте ещё раз."
)


def read_path(path: Path, *, label: str | None = None, limits: Limits | None = None) -> RawFile:
    """Read one file into grids.

    Only a regular file is opened (a named pipe would block the check forever). Whatever
    goes wrong while reading — an operating-system error, a reader that fails or panics
    on a hostile file — becomes :class:`Refused` with a Russian message; only
    ``KeyboardInterrupt``, ``SystemExit`` and the like pass through.

    :raises Refused: the file is not a table pedprof can read, or not safely.
    """
    limits = limits or Limits()
    label = label or printable_name(path.name)
    try:
        raw = _read_path(path, label, limits)
        shown = printable_name(path.name)
        if shown != path.name:
            raw.notices.append(
                (
                    "file_name",
                    f"в имени файла есть байты не в кодировке UTF-8 или управляющие символы; "
                    f"оно показано как «{shown}». Переименуйте файл.",
                )
            )
        return raw
    except Refused:
        raise
    except OSError as exc:
        text = os_error_text(exc)
        raise Refused("unreadable", text[:1].upper() + text[1:] + ".") from None
    except MemoryError:
        raise Refused(
            "too_large", "Не хватило памяти, чтобы прочитать файл: он слишком велик."
        ) from None
    except Exception:
        raise Refused("corrupt", _UNREADABLE) from None
    except BaseException as exc:
        if is_panic(exc):
            raise Refused("corrupt", f"Файл {_PANIC}") from None
        raise


def _read_path(path: Path, label: str, limits: Limits) -> RawFile:
    info = path.stat()
    if stat.S_ISDIR(info.st_mode):
        try:
            with os.scandir(path):
                pass
        except OSError as exc:
            raise Refused(
                "unreadable",
                f"Папку не удалось открыть: {os_error_text(exc).replace('файла', 'папки')}.",
            ) from None
        raise Refused("not_a_file", "Это папка, а не файл с таблицей.")
    if not stat.S_ISREG(info.st_mode):
        raise Refused(
            "not_a_file",
            "Это не обычный файл, а именованный канал, устройство или сокет: такое не "
            "читается. Отправьте заполненную форму обычным файлом .xlsx.",
        )
    if info.st_size > limits.max_file_bytes:
        raise Refused(
            "too_large",
            f"Файл слишком большой ({info.st_size / 2**20:.0f} МБ при допустимых "
            f"{limits.max_file_bytes / 2**20:.0f} МБ).",
        )
    kind = sniff(path)
    if kind in _KIND_MESSAGES:
        code, message = _KIND_MESSAGES[kind]
        raise Refused(code, message)
    if kind is FileKind.CSV and path.suffix.lower() in WORKBOOK_SUFFIXES:
        raise Refused(
            "not_a_workbook",
            f"Файл назван «{printable_name(path.name)}», но это не книга Excel, а текст. Откройте форму в Excel, "
            "сохраните как «Книга Excel (.xlsx)» и отправьте ещё раз.",
        )
    if kind is FileKind.CSV:
        return _read_csv(path, label, limits)
    if kind is FileKind.PARQUET:
        return _read_parquet(path, label, limits)
    return _read_workbook(path, label, kind, limits)


# --------------------------------------------------------------------------- workbooks


def _read_workbook(path: Path, label: str, kind: FileKind, limits: Limits) -> RawFile:
    from python_calamine import CalamineWorkbook, SheetVisibleEnum

    if kind in (FileKind.XLSX, FileKind.XLSB, FileKind.ODS):
        check_zip(path, limits)
        check_extent(path, kind, limits)
    raw = RawFile(label=label, path=path, kind=kind.value)
    if kind is FileKind.XLS:
        raw.notices.append(
            (
                "old_format",
                "Файл в старом формате Excel 97–2003 (.xls): прочитан, но в следующий раз "
                "сохраните форму как «Книга Excel (.xlsx)».",
            )
        )
    if kind is FileKind.ODS:
        raw.notices.append(
            (
                "other_format",
                "Файл в формате OpenDocument (.ods): прочитан; рекомендуется формат «Книга "
                "Excel (.xlsx)».",
            )
        )
    try:
        try:
            str(path).encode("utf-8")
            wb = CalamineWorkbook.from_path(str(path))
        except UnicodeEncodeError:  # a name that is not UTF-8: hand over the bytes
            with path.open("rb") as fh:
                wb = CalamineWorkbook.from_filelike(fh)
    except BaseException as exc:
        if not (isinstance(exc, Exception) or is_panic(exc)):
            raise
        name = type(exc).__name__
        if name == "PasswordError":
            raise Refused("encrypted", _KIND_MESSAGES[FileKind.ENCRYPTED][1]) from None
        if kind is FileKind.XLS:
            raise Refused(
                "corrupt",
                "Файл в старом формате Excel 97–2003 (.xls) не удалось прочитать. Откройте его "
                "в Excel и сохраните как «Книга Excel (.xlsx)».",
            ) from None
        raise Refused(
            "corrupt",
            "Файл повреждён и не открывается как книга Excel. Откройте его в Excel, сохраните "
            "заново как «Книга Excel (.xlsx)» и отправьте ещё раз.",
        ) from None
    with wb:
        metas = {m.name: m for m in wb.sheets_metadata}
        for name in wb.sheet_names:
            m = metas.get(name)
            if m is not None and getattr(m.typ, "name", "WorkSheet") != "WorkSheet":
                continue
            hidden = m is not None and m.visible != SheetVisibleEnum.Visible
            try:
                sheet = wb.get_sheet_by_name(name)
                # to_python pads the sheet from A1: bound that rectangle before it is made.
                check_loaded_extent(name, sheet.end, limits)
                rows = sheet.to_python(skip_empty_area=False)
                merged = list(sheet.merged_cell_ranges or [])
            except Refused:
                raise
            except BaseException as exc:
                if is_panic(exc):
                    raise Refused("corrupt", f"Лист «{name}» {_PANIC}") from None
                if not isinstance(exc, Exception):
                    raise
                raise Refused(
                    "corrupt",
                    f"Лист «{name}» повреждён и не читается. Откройте файл в Excel, сохраните "
                    "заново как «Книга Excel (.xlsx)» и отправьте ещё раз.",
                ) from None
            clean_text(rows)
            merged = _clip_merged(merged, rows)
            if name == META_SHEET or (rows and rows[0][:2] == ["format", "pedprof-form"]):
                raw.meta = {str(r[0]): _meta_text(r[1]) for r in rows if len(r) >= 2 and r[0] != ""}
                continue
            if name == LISTS_SHEET:
                continue
            grid = Grid(sheet=name, rows=rows, hidden=hidden, merged=merged)
            if name == INSTRUCTIONS_SHEET or _looks_like_instructions(rows):
                raw.context.update(_context_cells(rows, name))
                continue
            raw.grids.append(grid)
    raw.submitted_at = _core_modified(path) if kind is not FileKind.XLS else None
    raw.submitted_at = raw.submitted_at or _mtime(path)
    return raw


def _clip_merged(
    merged: list[tuple[tuple[int, int], tuple[int, int]]], rows: list[list[Any]]
) -> list[tuple[tuple[int, int], tuple[int, int]]]:
    """Merged ranges cut to the filled rectangle (a merge over A1:XFD1048576 is not
    walked cell by cell); ranges that start outside it are dropped — they hold nothing."""
    height = len(rows)
    width = max((len(r) for r in rows), default=0)
    return [
        ((r0, c0), (min(r1, height - 1), min(c1, width - 1)))
        for (r0, c0), (r1, c1) in merged
        if 0 <= r0 < height and 0 <= c0 < width
    ]


def _meta_text(value: Any) -> str:
    text = "" if value is None else str(value)
    return text[1:] if text.startswith("'") else text


def _looks_like_instructions(rows: list[list[Any]]) -> bool:
    return any(r and r[0] == "Реквизиты формы" for r in rows[:12])


_CONTEXT_KEYS = {
    "код организации": "org_id",
    "код муниципалитета": "municipality_id",
    "учебный год": "period",
    "год": "period",
    "квартал": "period",
}


def _context_cells(rows: list[list[Any]], sheet: str) -> dict[str, tuple[Any, str]]:
    """The period and unit code filled in on the instructions sheet (label | value)."""
    out: dict[str, tuple[Any, str]] = {}
    for i, r in enumerate(rows[:40]):
        if len(r) < 2 or not isinstance(r[0], str):
            continue
        key = _CONTEXT_KEYS.get(r[0].strip().lower())
        if key is not None and key not in out:
            out[key] = (r[1], f"лист «{sheet}», ячейка B{i + 1}")
    return out


# --------------------------------------------------------------------------- CSV


_ENCODINGS = ("utf-8-sig", "cp1251")


def _decode(data: bytes) -> tuple[str, str]:
    utf16 = utf16_encoding(data[:4096])
    if utf16 is not None:
        try:
            return data.decode(utf16), "utf-16"
        except UnicodeDecodeError:
            raise Refused(
                "encoding",
                "Текст в кодировке UTF-16 («Текст Юникод») повреждён и не читается: сохраните "
                "таблицу заново как «CSV UTF-8» или «Книга Excel (.xlsx)».",
            ) from None
    for enc in _ENCODINGS:
        try:
            return data.decode(enc), enc
        except UnicodeDecodeError:
            continue
    raise Refused(
        "encoding",
        "Не удалось определить кодировку текстового файла: сохраните его как «CSV UTF-8» "
        "или «CSV (разделители — точка с запятой)».",
    )


def _delimiter(text: str) -> str:
    head = text[:20000].splitlines()[:20]
    best, best_score = ",", -1
    for delim in (";", ",", "\t", "|"):
        counts = [line.count(delim) for line in head if line.strip()]
        if not counts or counts[0] == 0:
            continue
        consistent = sum(1 for c in counts if c == counts[0])
        score = consistent * 1000 + counts[0]
        if score > best_score:
            best, best_score = delim, score
    return best


def read_text_rows(path: Path, limits: Limits | None = None) -> tuple[list[list[Any]], str]:
    """The rows of a text table (CSV, TSV, «Текст Юникод») and the encoding it was in.

    The encoding (UTF-8, UTF-16 with a byte-order mark, Windows-1251) and the separator
    (``;``, ``,``, tab, ``|``) are recognised; the one function reads forms and registers.

    :raises Refused: not text, an unknown encoding, or too many rows or columns.
    """
    limits = limits or Limits()
    data = path.read_bytes()
    text, encoding = _decode(data)
    if "\x00" in text:
        raise Refused("not_a_workbook", _KIND_MESSAGES[FileKind.BINARY][1])
    # The file is already bounded by its size: a field as long as the file is allowed
    # (the csv module's default stops at 131 072 characters with an English error).
    if csv.field_size_limit() < limits.max_file_bytes:
        csv.field_size_limit(limits.max_file_bytes)
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=_delimiter(text))
    rows: list[list[Any]] = []
    try:
        for record in reader:
            if len(record) > limits.max_columns:
                raise Refused(
                    "too_large",
                    f"В строке {reader.line_num} файла {len(record)} столбцов (допустимо "
                    f"{limits.max_columns}): файл не читается. Проверьте разделитель столбцов.",
                )
            rows.append(list(record))
            if len(rows) > limits.max_rows + 1:
                raise Refused(
                    "too_large", f"В файле больше {limits.max_rows} строк: файл не читается."
                )
    except csv.Error:
        raise Refused(
            "corrupt",
            f"Текстовый файл не разбирается на столбцы (строка {reader.line_num}): вероятно, "
            "в нём незакрытые кавычки или он повреждён. Откройте его в Excel и сохраните как "
            "«Книга Excel (.xlsx)».",
        ) from None
    clean_text(rows)
    return rows, encoding


def _read_csv(path: Path, label: str, limits: Limits) -> RawFile:
    rows, encoding = read_text_rows(path, limits)
    raw = RawFile(label=label, path=path, kind="csv", submitted_at=_mtime(path))
    if encoding == "cp1251":
        raw.notices.append(("encoding", "Файл прочитан в кодировке Windows-1251."))
    raw.grids.append(Grid(sheet=None, rows=rows, row_base=1, table_hint=path.stem))
    return raw


# --------------------------------------------------------------------------- Parquet, frames


def _read_parquet(path: Path, label: str, limits: Limits) -> RawFile:
    import pyarrow.parquet as pq

    try:
        pf = pq.ParquetFile(path)
        if pf.metadata.num_rows > limits.max_rows:
            raise Refused("too_large", f"В файле больше {limits.max_rows} строк: файл не читается.")
        columns = pf.metadata.num_columns
        if columns > limits.max_columns or columns * pf.metadata.num_rows > limits.max_cells:
            raise Refused(
                "too_large",
                f"В файле {columns} столбцов и {pf.metadata.num_rows} строк (допустимо не больше "
                f"{limits.max_columns} столбцов и {limits.max_cells} ячеек): файл не читается.",
            )
        frame = pf.read().to_pandas()
    except Refused:
        raise
    except Exception:
        raise Refused(
            "corrupt", "Файл Parquet повреждён или сохранён не полностью и не читается."
        ) from None
    raw = read_frame(frame, label=label, table_hint=path.stem)
    raw.path, raw.kind, raw.submitted_at = path, "parquet", _mtime(path)
    return raw


def _plain(value: Any) -> Any:
    if value is None:
        return None
    if isinstance(value, pd.Timestamp):
        return None if pd.isna(value) else value.to_pydatetime()
    try:
        if pd.isna(value):
            return None
    except (TypeError, ValueError):
        return value
    if hasattr(value, "item") and not isinstance(value, str):
        return value.item()
    return value


def read_frame(frame: pd.DataFrame, *, label: str, table_hint: str | None = None) -> RawFile:
    """A DataFrame as one grid: the header row, then one row per record."""
    header: list[Any] = [str(c) for c in frame.columns]
    rows: list[list[Any]] = [header]
    for record in frame.astype(object).itertuples(index=False, name=None):
        rows.append([_plain(v) for v in record])
    clean_text(rows)
    raw = RawFile(label=label, path=None, kind="frame")
    raw.grids.append(Grid(sheet=None, rows=rows, row_base=0, table_hint=table_hint))
    return raw


# --------------------------------------------------------------------------- text, folders

# Invisible characters that change nothing a person sees: zero-width space, joiners and
# marks, word joiner, byte-order mark, soft hyphen. They are removed from every text
# cell, so «нет\ufeff» reads as «нет» and a header with one still matches.
_INVISIBLE = "\u00ad\u180e\u200b\u200c\u200d\u200e\u200f\u2060\u2061\u2062\u2063\u2064\ufeff"
# Spaces that look like a space: no-break, figure and narrow no-break space.
_SPACES = "\u00a0\u2007\u202f"
_ODD_TEXT = re.compile(f"[{_INVISIBLE}{_SPACES}]")
_ODD_TABLE = str.maketrans({**dict.fromkeys(_INVISIBLE, None), **dict.fromkeys(_SPACES, " ")})


def clean_text(rows: list[list[Any]]) -> None:
    """Remove invisible characters and plain the odd spaces in every text cell, in place."""
    search = _ODD_TEXT.search
    if not search("\x00".join([v for row in rows for v in row if v.__class__ is str])):
        return
    for row in rows:
        for j, value in enumerate(row):
            if value.__class__ is str and not value.isascii() and search(value):
                row[j] = value.translate(_ODD_TABLE)


_HIDDEN_PREFIXES = ("~$", ".")


def _hidden(name: str) -> bool:
    return name.startswith(_HIDDEN_PREFIXES)


def skip_notice(path: Path, label: str) -> tuple[str, str]:
    """The notice ``(code, message)`` for a file found in a folder and not read."""
    name = path.name
    if name.startswith("~$"):
        return (
            "skipped_lock_file",
            f"Файл «{label}» пропущен: это временный файл Excel (создаётся, пока книга открыта, "
            "и не содержит данных). Если форма ещё открыта, закройте её и проверьте заново.",
        )
    if name.startswith("."):
        what = "Скрытая папка «{}» пропущена" if path.is_dir() else "Скрытый файл «{}» пропущен"
        return (
            "skipped_hidden",
            what.format(label) + ": скрытые файлы и папки не читаются. Если там сведения, "
            "переименуйте (без точки в начале имени).",
        )
    return (
        "skipped_file",
        f"Файл «{label}» пропущен: это не таблица (ожидаются .xlsx, .xls, .ods, .csv, "
        ".parquet). Если в нём сведения, попросите прислать заполненную форму.",
    )


def expand_paths(paths: Sequence[Path]) -> list[tuple[Path, str, bool]]:
    """Files and folders → ``(path, label, is_table)`` for each file, sorted.

    Folders are searched recursively (a link back to a folder already searched is not
    followed again). ``is_table`` is false for what is reported, not read: Excel's lock files (``~$…``),
    hidden files and folders (``.…``, a hidden folder as one entry) and files whose
    extension is not a table's (a scanned letter, a .docx) — see :func:`skip_notice`.
    Anything else that is not a folder — a broken or looping link, a named pipe — is
    listed as a table, so that reading it refuses it with a reason. A file named
    explicitly is always read. Labels are printable (a name that is not UTF-8 shows its
    bytes as ``\\xff``).
    """
    out: list[tuple[Path, str, bool]] = []
    for p in paths:
        if not p.is_dir():
            out.append((p, printable_name(p.name), True))
            continue
        base = p.parent if p.parent != p else None
        found: list[tuple[Path, bool]] = []
        seen: set[tuple[int, int]] = set()
        unreadable: list[Path] = []

        def note(exc: OSError, unreadable: list[Path] = unreadable) -> None:
            if exc.filename is not None:  # a folder that cannot be listed: refused when read
                unreadable.append(Path(exc.filename))

        for root, dirs, files in os.walk(p, followlinks=True, onerror=note):
            here = Path(root)
            try:
                st = here.stat()
            except OSError:
                unreadable.append(here)
                dirs.clear()
                continue
            if (st.st_dev, st.st_ino) in seen:  # a link back to a folder already searched
                dirs.clear()
                continue
            seen.add((st.st_dev, st.st_ino))
            for d in list(dirs):
                if _hidden(d):
                    dirs.remove(d)
                    found.append((here / d, False))
            for f in files:
                path = here / f
                found.append((path, not _hidden(f) and path.suffix.lower() in TABLE_SUFFIXES))
        found.extend((d, True) for d in unreadable)
        for path, is_table in sorted(found, key=lambda item: item[0]):
            label = str(path.relative_to(base)) if base is not None else str(path)
            out.append((path, printable_name(label), is_table))
    return out
