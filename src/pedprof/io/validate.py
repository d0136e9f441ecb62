"""Validation and consolidation of submitted tables: nothing lost, every error explained.

The pipeline, in the order that keeps one row's problems from touching another row:

1. **locate** — in every sheet (or CSV / Parquet file / DataFrame) find the header row
   by its labels, which table it is, and which columns; a renamed sheet, reordered or
   extra columns, a header on the wrong row, empty rows, merged cells and the form's
   description and example rows are all handled here;
2. **rows** — each row is validated on its own with pydantic (types, required values,
   ranges, allowed values — read forgivingly), then the cross-field rules of its table
   (a value never above the column it is bounded by; dates inside the period);
3. **units** — the organisation (municipality) of the row must be in the register and
   active in the period;
4. **files** — when an organisation sent the same table for the same period in two
   files, the later file is used and the earlier one's rows are rejected as superseded;
5. **duplicates** — among the rows still accepted, a repeated key (the same worker twice
   in one organisation) keeps its first row;
6. **notices** — the same person in two organisations (legitimate: a part-time post),
   and such a person's attributes that cannot differ between posts (age, pedagogical
   experience: :data:`PERSON_LEVEL_FIELDS`) given differently; hidden sheets, extra
   columns, old formats: reported, nothing rejected.

When each file was received is decided as :mod:`pedprof.io.register` describes (the
register of receipts, the date given, the file's modification time — never the date saved
inside a workbook).

Every data row ends up accepted or rejected with a reason, so for each file and in total
``accepted + rejected = submitted``.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import functools
from collections import defaultdict
from collections.abc import Callable, Iterable, Mapping, Sequence
from pathlib import Path
from typing import Annotated, Any, TypeAlias

import attrs
import numpy as np
import pandas as pd
from pydantic import BeforeValidator, TypeAdapter, ValidationError
from typing_extensions import TypedDict

from pedprof.io._formats import percent_cells
from pedprof.io._safety import Limits, Refused, os_error_text
from pedprof.io._tables import (
    REFERENCE_TABLES,
    context_fields,
    covers_organizations,
    fingerprint,
    profile_sources,
    unit_column,
)
from pedprof.io.forms import EXAMPLE_MARK, example_row
from pedprof.io.readers import (
    Grid,
    RawFile,
    expand_paths,
    read_frame,
    read_path,
    skip_notice,
)
from pedprof.io.register import (
    DATE_SOURCE_LABELS,
    RECEIPTS,
    Receipt,
    receipts_source,
    status_as_of,
)
from pedprof.model.data import Dataset
from pedprof.model.periods import Period, PeriodKind, parse_period
from pedprof.model.profile import Profile
from pedprof.model.sources import Field, FieldType, Source, coerce_frame
from pedprof.model.values import (
    CellProblem,
    PercentCell,
    UnknownFormatCell,
    describe_expected,
    display,
    is_empty,
    normalize_text,
    parser_for,
)

__all__ = ["ERROR_COLUMNS", "PERSON_LEVEL_FIELDS", "CheckResult", "read_submissions"]

ERROR_COLUMNS = (
    "severity",
    "file",
    "sheet",
    "row",
    "column",
    "value",
    "expected",
    "message",
    "rule",
    "table",
    "unit_id",
    "period",
)
"""Columns of :attr:`CheckResult.errors`."""

COUNT_COLUMNS = ("file", "sheet", "table", "unit_id", "period", "submitted", "accepted", "rejected")
ROW_COLUMNS = ("file", "sheet", "row", "table", "unit_id", "period", "status", "rule")

_HIDDEN = "скрыто (персональные данные)"
_HEADER_SCAN_ROWS = 30
_HEADER_SCAN_DEEP = 5000
"""Rows searched for a header when none is in the first :data:`_HEADER_SCAN_ROWS`."""
_UNRECOGNISED = Source(name="", title="таблица не распознана", fields=())
"""The table of a sheet with data but no recognisable header: its rows are rejected."""

PERSON_LEVEL_FIELDS = ("age", "experience_years")
"""Columns of a staff table (one with a ``personal`` column) that describe the person, not
the post: a person listed by two organisations for one period (a part-time post) has the
same age and the same pedagogical experience in both. When they differ, a notice names
both rows. Other columns may legitimately differ between posts (category, position,
mentoring role, whether the subject matches the education) or be known to one employer
only (assessments, courses), and are not compared."""

_NO_FORMATS = frozenset({"xls", "xlsb", "ods"})
"""Workbook kinds whose cell number formats pedprof cannot see."""


# =========================================================================== result


@attrs.frozen(eq=False)
class CheckResult:
    """What :func:`read_submissions` found.

    :param dataset: the accepted rows as a :class:`pedprof.Dataset` for
        :func:`pedprof.compute` (``None`` when no organisation register was available).
    :param errors: one row per problem, columns :data:`ERROR_COLUMNS`; ``severity`` is
        ``error`` (the row or file was rejected) or ``notice`` (nothing rejected).
    :param counts: submitted / accepted / rejected rows per file, sheet, table, unit and
        period; ``submitted == accepted + rejected`` on every line.
    :param register: the submission register: per unit and period, when it submitted and
        whether on time, late or missing against the profile's deadline.
    :param rows: one line per submitted row: where it was and whether it was accepted.
    :param files: one line per input: its format, when it was received (``submitted_at``,
        the earliest date for the units it submitted for) and where that date came from
        (``date_source``: see :data:`pedprof.io.register.DATE_SOURCE_LABELS`), its status.
    """

    dataset: Dataset | None
    errors: pd.DataFrame
    counts: pd.DataFrame
    register: pd.DataFrame
    rows: pd.DataFrame
    files: pd.DataFrame

    def __repr__(self) -> str:
        errors = int((self.errors["severity"] == "error").sum()) if len(self.errors) else 0
        return (
            f"<CheckResult: {len(self.files)} file{'' if len(self.files) == 1 else 's'},"
            f" {self.submitted} rows submitted,"
            f" {self.accepted} accepted, {self.rejected} rejected;"
            f" {errors} errors, {len(self.errors) - errors} notices>"
        )

    @property
    def submitted(self) -> int:
        """Rows submitted in all files."""
        return int(self.counts["submitted"].sum())

    @property
    def accepted(self) -> int:
        """Rows accepted."""
        return int(self.counts["accepted"].sum())

    @property
    def rejected(self) -> int:
        """Rows rejected."""
        return int(self.counts["rejected"].sum())

    @property
    def ok(self) -> bool:
        """Whether nothing was rejected and every file could be read."""
        return not (self.errors["severity"] == "error").any()

    def summary(self) -> str:
        """The counts in one Russian sentence."""
        n_files = len(self.files)
        refused = int((self.files["status"] == "refused").sum()) if n_files else 0
        text = (
            f"Файлов: {n_files} (не прочитано: {refused}). Строк представлено: {self.submitted}, "
            f"принято: {self.accepted}, отклонено: {self.rejected}."
        )
        n_err = int((self.errors["severity"] == "error").sum())
        n_note = int((self.errors["severity"] == "notice").sum())
        return text + f" Ошибок: {n_err}, замечаний: {n_note}."


# =========================================================================== models


#: Field types whose cells repeat across rows (yes/no, a choice, a period, small numbers):
#: their parsed values are remembered per validator.
_MEMO_TYPES = frozenset(
    {
        FieldType.BOOLEAN,
        FieldType.CHOICE,
        FieldType.PERIOD,
        FieldType.INTEGER,
        FieldType.NUMBER,
        FieldType.DATE,
    }
)
#: Cell classes whose equal values (same class) always parse alike. Floats are handled
#: apart (NaN is never equal to itself; 0.0 and -0.0 are equal but print differently).
_MEMO_CLASSES = frozenset({str, int, bool, type(None), dt.datetime, dt.date})
_MEMO_SIZE = 512
_NO_CONTEXT = object()


def _field_validator(field: Field, kind: PeriodKind) -> Callable[[object], Any]:
    parse = parser_for(field, kind)
    expected = describe_expected(field, kind)
    required = field.required

    def validate(value: object) -> Any:
        out = parse(value)
        if out is None and required:
            raise CellProblem(expected, "не заполнено обязательное поле")
        return out

    if field.personal or field.type not in _MEMO_TYPES:
        return validate
    # The parsers are pure: a cell's result depends on its class and value only. Results
    # (scalars) are remembered for the first _MEMO_SIZE distinct cells; problems are not.
    memo: dict[tuple[type, object], Any] = {}

    def remembered(value: object) -> Any:
        cls = value.__class__
        if cls in _MEMO_CLASSES or (cls is float and value == value and value != 0.0):
            key = (cls, value)
            try:
                return memo[key]
            except KeyError:
                out = validate(value)
                if len(memo) < _MEMO_SIZE:
                    memo[key] = out
                return out
        return validate(value)

    return remembered


_PY_TYPES: dict[FieldType, Any] = {
    FieldType.INTEGER: int,
    FieldType.NUMBER: float,
    FieldType.BOOLEAN: bool,
    FieldType.DATE: dt.date,
}


_ADAPTERS: dict[tuple[int, PeriodKind], tuple[Source, TypeAdapter[Any]]] = {}


def _row_adapter(source: Source, kind: PeriodKind) -> TypeAdapter[Any]:
    """A pydantic adapter validating one row of ``source`` (a dict) into typed values.

    Cached per source object (sources hold dicts, so they are not hashable).
    """
    cached = _ADAPTERS.get((id(source), kind))
    if cached is not None and cached[0] is source:
        return cached[1]
    annotations: dict[str, Any] = {}
    for f in source.fields:
        py = _PY_TYPES.get(f.type, str)
        annotations[f.name] = Annotated[py | None, BeforeValidator(_field_validator(f, kind))]
    row_type = TypedDict(f"Row_{source.name}", annotations)  # type: ignore[misc]
    adapter: TypeAdapter[Any] = TypeAdapter(row_type)
    _ADAPTERS[(id(source), kind)] = (source, adapter)
    return adapter


# =========================================================================== locating


@functools.lru_cache(maxsize=8192)
def _norm_text_header(value: str) -> str:
    text = normalize_text(value)
    while text.endswith(("*", ":")):
        text = text[:-1].rstrip()
    return text


def _norm_header(value: object) -> str:
    if value.__class__ is str:
        return _norm_text_header(value)  # type: ignore[arg-type,unused-ignore]
    value = display(value)
    text = normalize_text(value)
    while text.endswith(("*", ":")):
        text = text[:-1].rstrip()
    return text


_ALIASES: dict[int, tuple[Source, dict[str, str]]] = {}


def _aliases(source: Source) -> dict[str, str]:
    cached = _ALIASES.get(id(source))
    if cached is not None and cached[0] is source:
        return cached[1]
    out: dict[str, str] = {}
    for f in source.fields:
        out.setdefault(_norm_header(f.label), f.name)
    for f in source.fields:
        out.setdefault(_norm_header(f.name), f.name)
    _ALIASES[id(source)] = (source, out)
    return out


@attrs.define
class _Block:
    """One table found in one grid of one file."""

    index: int
    file_index: int
    raw: RawFile
    grid: Grid
    source: Source
    header: int
    columns: dict[str, int]
    data_rows: list[int] = attrs.field(factory=list)
    context: dict[str, Any] = attrs.field(factory=dict)
    refused: tuple[str, str, str, str] | None = None  # rule, column, value, message

    def row_number(self, idx: int) -> int:
        return idx + self.grid.row_base

    @property
    def sheet(self) -> str:
        return self.grid.sheet or ""


def _fill_merged(grid: Grid) -> bool:
    """Copy each merged range's value into all its cells; whether any range had data."""
    touched = False
    for (r0, c0), (r1, c1) in grid.merged:
        if r0 >= len(grid.rows) or c0 >= len(grid.rows[r0]):
            continue
        value = grid.rows[r0][c0]
        if is_empty(value):
            continue
        for r in range(r0, min(r1, len(grid.rows) - 1) + 1):
            row = grid.rows[r]
            for c in range(c0, c1 + 1):
                if c < len(row) and is_empty(row[c]):
                    row[c] = value
                    touched = touched or r != r0 or (r == r0 and c != c0 and r0 > 0)
    return touched


def _match_header(
    grid: Grid, candidates: Sequence[Source], depth: int = _HEADER_SCAN_ROWS
) -> tuple[Source, int, dict[str, int], list[tuple[int, str]], list[tuple[int, str]]] | None:
    """The best (table, header row, columns, extra columns, duplicate columns) in ``grid``."""
    best: tuple[int, int, Source, int, dict[str, int]] | None = None
    scan = grid.rows[:depth]
    norm = _norm_text_header  # what _norm_header does for text, without the extra call
    normalized = [[norm(v) if v.__class__ is str and v else "" for v in row] for row in scan]
    for order, source in enumerate(candidates):
        aliases = _aliases(source)
        for r, cells in enumerate(normalized):
            cols: dict[str, int] = {}
            for c, text in enumerate(cells):
                name = aliases.get(text) if text else None
                if name is not None and name not in cols:
                    cols[name] = c
            n = len(cols)
            needed = min(2, len(source.fields))
            if n < needed:
                continue
            key = (n, -order)
            if best is None or key > (best[0], best[1]):
                best = (n, -order, source, r, cols)
    if best is None:
        return None
    _, _, source, r, cols = best
    aliases = _aliases(source)
    extra: list[tuple[int, str]] = []
    dupes: list[tuple[int, str]] = []
    used = set(cols.values())
    for c, text in enumerate(normalized[r]):
        if not text or c in used:
            continue
        raw = grid.rows[r][c]
        if aliases.get(text) in cols:
            dupes.append((c, display(raw)))
        else:
            extra.append((c, display(raw)))
    return source, r, cols, extra, dupes


def _column_letter(idx: int) -> str:
    letters = ""
    idx += 1
    while idx:
        idx, rem = divmod(idx - 1, 26)
        letters = chr(65 + rem) + letters
    return letters


def _cell_norm(value: object) -> str:
    if isinstance(value, dt.datetime):
        return value.date().isoformat()
    if isinstance(value, dt.date):
        return value.isoformat()
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return normalize_text(str(value)) if not is_empty(value) else ""


# =========================================================================== the checker


@attrs.define
class _Error:
    severity: str
    file: str
    sheet: str
    row: int | None
    column: str
    value: str
    expected: str
    message: str
    rule: str
    table: str = ""
    unit_id: str = ""
    period: str = ""


def _where(file: str, sheet: str, row: int | None, column: str = "") -> str:
    parts = [f"Файл «{file}»"]
    if sheet:
        parts.append(f"лист «{sheet}»")
    if row is not None:
        parts.append(f"строка {row}")
    if column:
        parts.append(f"столбец «{column}»")
    return ", ".join(parts)


def _ranges(numbers: Sequence[int]) -> str:
    nums = sorted(set(numbers))
    parts: list[str] = []
    start = prev = nums[0]
    for n in nums[1:]:
        if n == prev + 1:
            prev = n
            continue
        parts.append(f"{start}–{prev}" if prev > start else str(start))
        start = prev = n
    parts.append(f"{start}–{prev}" if prev > start else str(start))
    text = ", ".join(parts[:8]) + (" …" if len(parts) > 8 else "")
    return f"строки {text}" if len(nums) > 1 else f"строка {text}"


class _Checker:
    def __init__(
        self,
        profile: Profile,
        *,
        reference: Dataset | None,
        limits: Limits,
        submitted_at: Mapping[str, dt.datetime],
        today: dt.date | None,
        received: dt.datetime | None = None,
    ) -> None:
        self.profile = profile
        self.kind = profile.info.period_kind
        self.sources = profile_sources(profile)
        if RECEIPTS not in {s.name for s in self.sources}:
            self.sources = (*self.sources, receipts_source(self.kind))
        self.by_name = {s.name: s for s in self.sources}
        self.reference = reference
        self.limits = limits
        self.submitted_override = dict(submitted_at)
        self.received = received
        self.today = today
        self.mtimes: dict[str, dt.datetime] = {}
        self.receipts: dict[tuple[str, str, str], Receipt] = {}
        self._percent: dict[int, set[tuple[int, int]] | None] = {}
        self.errors: list[_Error] = []
        self.files: list[dict[str, Any]] = []
        self.raws: list[RawFile] = []
        self.blocks: list[_Block] = []
        # per data row (parallel lists)
        self.r_block: list[int] = []
        self._rows_of: tuple[int, dict[str, list[int]]] | None = None
        self._described: dict[tuple[Any, ...], tuple[Source, dict[int, str]]] = {}
        self._example_rows: dict[tuple[int, Period], tuple[Source, dict[str, Any]]] = {}
        self.r_row: list[int] = []
        self.r_unit: list[str | None] = []
        self.r_period: list[str | None] = []
        self.r_status: list[str] = []
        self.r_rule: list[str] = []
        self.r_values: list[dict[str, Any] | None] = []

    # ------------------------------------------------------------------ inputs

    def add_file(self, path: Path, label: str) -> None:
        try:
            raw = read_path(path, label=label, limits=self.limits)
        except Refused as exc:
            self._refuse_file(label, "", exc.code, exc.message)
            return
        except OSError as exc:
            self._refuse_file(
                label, "", "unreadable", f"Файл не удалось открыть: {os_error_text(exc)}."
            )
            return
        with contextlib.suppress(OSError):
            self.mtimes[label] = dt.datetime.fromtimestamp(path.stat().st_mtime)
        self._add_raw(raw)

    def skip_file(self, path: Path, label: str) -> None:
        self.files.append(
            {
                "file": label,
                "format": "",
                "submitted_at": None,
                "status": "skipped",
                "rule": "",
                "date_source": "",
            }
        )
        self._notice(label, "", None, *skip_notice(path, label))

    def add_frame(self, name: str, frame: pd.DataFrame) -> None:
        raw = read_frame(frame, label=name, table_hint=name)
        self._add_raw(raw)

    def _refuse_file(self, label: str, fmt: str, code: str, message: str) -> None:
        text = message.removeprefix("Файл ")
        text = text[:1].lower() + text[1:]
        self.files.append(
            {
                "file": label,
                "format": fmt,
                "submitted_at": None,
                "status": "refused",
                "rule": code,
                "date_source": "",
            }
        )
        self.errors.append(
            _Error(
                "error",
                label,
                "",
                None,
                "",
                "",
                "книга Excel (.xlsx), CSV или Parquet",
                f"Файл «{label}» не прочитан: {text}",
                code,
            )
        )

    def _add_raw(self, raw: RawFile) -> None:
        self.raws.append(raw)
        self.files.append(
            {
                "file": raw.label,
                "format": raw.kind,
                "submitted_at": None,
                "status": "read",
                "rule": "",
                "date_source": "",
            }
        )
        for code, message in raw.notices:
            self._notice(raw.label, "", None, code, f"Файл «{raw.label}»: {message}")

    def _notice(
        self, file: str, sheet: str, row: int | None, rule: str, message: str, **kw: str
    ) -> None:
        self.errors.append(
            _Error(
                "notice",
                file,
                sheet,
                row,
                kw.get("column", ""),
                kw.get("value", ""),
                "",
                message,
                rule,
                kw.get("table", ""),
                kw.get("unit_id", ""),
                kw.get("period", ""),
            )
        )

    # ------------------------------------------------------------------ locate

    def locate(self) -> None:
        for file_index, raw in enumerate(self.raws):
            self._locate_file(file_index, raw)

    def _file_refusal(self, raw: RawFile) -> tuple[str, str] | None:
        meta = raw.meta
        if not meta:
            return None
        form_profile = meta.get("profile", "")
        if form_profile and form_profile != self.profile.id:
            return (
                "wrong_profile",
                f"Форма предназначена для профиля «{form_profile}», а проверка идёт по профилю "
                f"«{self.profile.id}» ({self.profile.info.territory}). Заполните форму этого "
                "профиля.",
            )
        return None

    def _locate_file(self, file_index: int, raw: RawFile) -> None:
        refusal = self._file_refusal(raw)
        meta_tables: dict[str, tuple[str, str]] = {}
        for key, value in raw.meta.items():
            if key.startswith("table:"):
                sheet, _, fp = value.partition("|")
                meta_tables[key[6:]] = (sheet, fp)
        by_sheet = {sheet: name for name, (sheet, _) in meta_tables.items()}
        version = raw.meta.get("profile_version")
        if version and version != self.profile.version and refusal is None:
            self._notice(
                raw.label,
                "",
                None,
                "form_version",
                f"Файл «{raw.label}»: форма сформирована версией профиля {version}, действующая "
                f"версия — {self.profile.version}; таблицы, которые не изменились, приняты.",
            )
        found_any = False
        for grid in raw.grids:
            merged_data = _fill_merged(grid) if grid.merged else False
            candidates: Sequence[Source] = self.sources
            hinted = by_sheet.get(grid.sheet or "") or grid.table_hint
            if hinted in self.by_name:
                candidates = [self.by_name[hinted]]
            match = _match_header(grid, candidates)
            if match is None and candidates is not self.sources:
                match = _match_header(grid, self.sources)
            if match is None and len(grid.rows) > _HEADER_SCAN_ROWS:
                match = _match_header(grid, self.sources, _HEADER_SCAN_DEEP)
            if match is None:
                if self._unrecognised(file_index, raw, grid, hinted):
                    found_any = True
                elif grid.sheet is not None and any(
                    not is_empty(v) for row in grid.rows for v in row
                ):
                    self._notice(
                        raw.label,
                        grid.sheet or "",
                        None,
                        "unknown_sheet",
                        f"{_where(raw.label, grid.sheet or '', None)}: не найдена строка "
                        "заголовков ни одной таблицы формы; лист не прочитан. Если на нём "
                        "данные — верните заголовки столбцов из формы.",
                    )
                continue
            found_any = True
            source, header, cols, extra, dupes = match
            block = _Block(
                index=len(self.blocks),
                file_index=file_index,
                raw=raw,
                grid=grid,
                source=source,
                header=header,
                columns=cols,
            )
            self.blocks.append(block)
            self._select_rows(block)
            self._block_notices(block, extra, dupes, merged_data)
            if refusal is not None:
                block.refused = (refusal[0], "", "", refusal[1])
                continue
            if source.name in meta_tables:
                fp = meta_tables[source.name][1]
                if fp and fp != fingerprint(source):
                    block.refused = (
                        "stale_form",
                        "",
                        "",
                        f"Форма устарела: лист сформирован по прежней версии профиля "
                        f"({raw.meta.get('distribution', '')} {version or ''}); с тех пор "
                        "изменились столбцы или допустимые значения таблицы "
                        f"«{source.title}». Скачайте новую форму и перенесите в неё данные.",
                    )
                    continue
            self._resolve_context(block)
        if not found_any and refusal is None and raw.grids is not None:
            self.errors.append(
                _Error(
                    "error",
                    raw.label,
                    "",
                    None,
                    "",
                    "",
                    "лист с таблицей формы",
                    f"Файл «{raw.label}»: не найдено ни одной таблицы формы (нет строки "
                    "заголовков с названиями столбцов). Заполните форму, выданную "
                    "методической службой, не меняя заголовков.",
                    "no_tables",
                )
            )
        elif not found_any and refusal is not None:
            self.errors.append(
                _Error(
                    "error",
                    raw.label,
                    "",
                    None,
                    "",
                    "",
                    "",
                    f"Файл «{raw.label}»: {refusal[1]}",
                    refusal[0],
                )
            )

    def _unrecognised(self, file_index: int, raw: RawFile, grid: Grid, hinted: str | None) -> bool:
        """A sheet that holds a table whose header is not recognised: its rows are rejected.

        It holds a table when a row has two or more filled cells (taken for its header)
        and a filled row follows; those rows are counted as submitted and rejected, so
        nothing disappears behind a notice. Returns whether the sheet was such a table.
        """
        header = next(
            (i for i, row in enumerate(grid.rows) if sum(not is_empty(v) for v in row) >= 2), None
        )
        if header is None:
            return False
        rows = [
            i
            for i in range(header + 1, len(grid.rows))
            if any(not is_empty(v) for v in grid.rows[i])
        ]
        if not rows:
            return False
        source = self.by_name.get(hinted or "", _UNRECOGNISED)
        block = _Block(
            index=len(self.blocks),
            file_index=file_index,
            raw=raw,
            grid=grid,
            source=source,
            header=header,
            columns={},
            data_rows=rows,
        )
        what = (
            f"таблицы «{source.title}»" if source is not _UNRECOGNISED else "ни одной таблицы формы"
        )
        block.refused = (
            "no_header",
            "",
            "",
            f"не найдена строка заголовков {what}: нет строки, где названы хотя бы два "
            "столбца так, как в форме. Похоже, это таблица с данными, но прочитать её "
            "нельзя — верните строку заголовков из формы и отправьте файл снова.",
        )
        self.blocks.append(block)
        return True

    def _descriptions(self, block: _Block) -> dict[int, str]:
        """Column → the normalised description row the form prints under the header.

        The same for every block of a source laid out alike: computed once per layout.
        """
        source = block.source
        key = (id(source), tuple(block.columns.items()))
        cached = self._described.get(key)
        if cached is not None and cached[0] is source:
            return cached[1]
        descriptions = {}
        for f in source.fields:
            if f.name in block.columns:
                text = f"{f.description}\n" if f.description else ""
                descriptions[block.columns[f.name]] = normalize_text(
                    f"{text}Формат: {describe_expected(f, self.kind)}; "
                    f"{'обязательно' if f.required else 'можно оставить пустым'}."
                )
        self._described[key] = (source, descriptions)
        return descriptions

    def _examples(self, source: Source, period: Period) -> dict[str, Any]:
        """The example row of ``source`` for ``period`` (once per source and period)."""
        key = (id(source), period)
        cached = self._example_rows.get(key)
        if cached is None or cached[0] is not source:
            cached = (source, example_row(source, period))
            self._example_rows[key] = cached
        return cached[1]

    def _select_rows(self, block: _Block) -> None:
        grid, source = block.grid, block.source
        period = self._meta_period(block.raw)
        examples = self._examples(source, period) if period is not None else None
        descriptions = self._descriptions(block)
        cols = list(block.columns.items())
        leading = 0
        for idx in range(block.header + 1, len(grid.rows)):
            row = grid.rows[idx]
            if all(is_empty(v) for v in row):
                continue
            if leading < 3:
                leading += 1
                non_empty = [(c, v) for c, v in enumerate(row) if not is_empty(v)]
                if non_empty and sum(
                    1 for c, v in non_empty if descriptions.get(c) == normalize_text(str(v))
                ) * 2 >= len(non_empty):
                    continue
                marker = any(isinstance(v, str) and v.startswith(EXAMPLE_MARK[:10]) for v in row)
                if examples is not None or marker:
                    same = True
                    for name, c in cols:
                        if name not in (examples or {}):
                            continue
                        cell = row[c] if c < len(row) else None
                        want = (examples or {})[name]
                        if source.field(name).type is FieldType.DATE and marker:
                            continue
                        if _cell_norm(cell) != _cell_norm(want):
                            same = False
                            break
                    if same and (marker or examples is not None):
                        continue
                    if marker:
                        self._notice(
                            block.raw.label,
                            block.sheet,
                            block.row_number(idx),
                            "example_changed",
                            f"{_where(block.raw.label, block.sheet, block.row_number(idx))}: "
                            "строка-образец изменена — она прочитана как данные.",
                        )
            block.data_rows.append(idx)

    def _meta_period(self, raw: RawFile) -> Period | None:
        label = raw.meta.get("period")
        if not label:
            return None
        try:
            return parse_period(label, self.kind)
        except ValueError:
            return None

    def _block_notices(
        self,
        block: _Block,
        extra: list[tuple[int, str]],
        dupes: list[tuple[int, str]],
        merged: bool,
    ) -> None:
        label, sheet = block.raw.label, block.sheet
        if block.grid.hidden:
            self._notice(
                label,
                sheet,
                None,
                "hidden_sheet",
                f"{_where(label, sheet, None)}: лист скрыт в книге; его строки прочитаны "
                "наравне с остальными.",
                table=block.source.name,
            )
        if extra:
            names = ", ".join(f"«{t}» ({_column_letter(c)})" for c, t in extra[:10])
            self._notice(
                label,
                sheet,
                block.row_number(block.header),
                "extra_column",
                f"{_where(label, sheet, block.row_number(block.header))}: столбцы {names} не "
                "предусмотрены формой и не прочитаны.",
                table=block.source.name,
            )
        for c, t in dupes:
            self._notice(
                label,
                sheet,
                block.row_number(block.header),
                "duplicate_column",
                f"{_where(label, sheet, block.row_number(block.header))}: столбец «{t}» "
                f"({_column_letter(c)}) повторяется; прочитан первый из одинаковых столбцов.",
                table=block.source.name,
            )
        if merged:
            self._notice(
                label,
                sheet,
                None,
                "merged_cells",
                f"{_where(label, sheet, None)}: в таблице есть объединённые ячейки; значение "
                "объединённой ячейки отнесено ко всем строкам и столбцам, которые она "
                "занимает. Проверьте, что так и задумано.",
                table=block.source.name,
            )

    def _resolve_context(self, block: _Block) -> None:
        raw, source = block.raw, block.source
        meta_kind = raw.meta.get("kind", "")
        meta_unit_field = {"organization": "org_id", "municipality": "municipality_id"}.get(
            meta_kind
        )
        missing_required: list[Field] = []
        for f in source.fields:
            if f.name in block.columns:
                continue
            if f.name not in context_fields(source):
                if f.required:
                    missing_required.append(f)
                continue
            value: Any = None
            where = ""
            if f.name in raw.context and not is_empty(raw.context[f.name][0]):
                value, where = raw.context[f.name]
            elif f.name == "period" and raw.meta.get("period"):
                value, where = raw.meta["period"], "реквизиты формы"
            elif f.name == meta_unit_field and raw.meta.get("unit_id"):
                value, where = raw.meta["unit_id"], "реквизиты формы"
            if is_empty(value):
                if f.required:
                    missing_required.append(f)
                continue
            try:
                parsed = parser_for(f, self.kind)(value)
            except CellProblem as exc:
                block.refused = (
                    "context",
                    f.label,
                    display(value),
                    f"{where or 'реквизиты формы'}: в поле «{f.label}» указано «{display(value)}», "
                    f"а нужно: {exc.expected}. Строки листа не приняты; исправьте поле.",
                )
                return
            block.context[f.name] = parsed
        if missing_required:
            ctx = set(context_fields(source))
            columns = [f for f in missing_required if f.name not in ctx]
            details = [f for f in missing_required if f.name in ctx]
            parts = []
            if columns:
                labels = ", ".join(f"«{f.label}»" for f in columns)
                parts.append(
                    f"в строке заголовков нет обязательных столбцов: {labels} (верните "
                    "заголовки, как в форме)"
                )
            if details:
                labels = ", ".join(f"«{f.label}»" for f in details)
                if raw.kind in ("csv", "frame", "parquet"):
                    parts.append(f"нет столбцов {labels}: добавьте их")
                else:
                    parts.append(
                        f"не заполнены реквизиты формы {labels} (лист «Инструкция», жёлтые поля)"
                    )
            block.refused = (
                "missing_column",
                missing_required[0].label,
                "",
                "; ".join(parts) + ". Строки листа не приняты.",
            )

    # ------------------------------------------------------------------ rows

    def validate_rows(self) -> None:
        for block in self.blocks:
            self._validate_block(block)

    def _start_row(self, block: _Block, idx: int) -> int:
        self.r_block.append(block.index)
        self.r_row.append(idx)
        self.r_unit.append(None)
        self.r_period.append(None)
        self.r_status.append("accepted")
        self.r_rule.append("")
        self.r_values.append(None)
        return len(self.r_block) - 1

    def _reject(self, i: int, rule: str) -> None:
        if self.r_status[i] == "accepted":
            self.r_status[i] = "rejected"
            self.r_rule[i] = rule

    def _row_error(
        self,
        i: int,
        block: _Block,
        field: Field | None,
        value: object,
        expected: str,
        problem: str,
        rule: str,
    ) -> None:
        row = block.row_number(self.r_row[i])
        column = field.label if field is not None else ""
        shown = (
            _HIDDEN
            if field is not None and field.personal and not is_empty(value)
            else display(value)
        )
        self.errors.append(
            _Error(
                "error",
                block.raw.label,
                block.sheet,
                row,
                column,
                shown,
                expected,
                f"{_where(block.raw.label, block.sheet, row, column)}: {problem}. Строка не принята.",
                rule,
                block.source.name,
                self.r_unit[i] or "",
                self.r_period[i] or "",
            )
        )
        self._reject(i, rule)

    def _percent_cells(self, block: _Block) -> set[tuple[int, int]] | None:
        """Cells of the block's sheet formatted as percentages (``None``: cannot tell).

        CSV, Parquet and DataFrames have no formats: their numbers are what they show.
        """
        raw = block.raw
        key = id(block.grid)
        if key in self._percent:
            return self._percent[key]
        cells: set[tuple[int, int]] | None = set()
        if raw.kind in _NO_FORMATS:
            cells = None
        elif raw.path is not None and block.grid.sheet is not None:
            cells = percent_cells(raw.path, block.grid.sheet)
        self._percent[key] = cells
        return cells

    def _validate_block(self, block: _Block) -> None:
        source = block.source
        adapter = _row_adapter(source, self.kind)
        validator = adapter.validate_python
        cols = [(f, block.columns.get(f.name)) for f in source.fields]
        unit_col = unit_column(source)
        unit_parse = parser_for(source.field(unit_col), self.kind) if unit_col else None
        period_parse = (
            parser_for(source.field("period"), self.kind)
            if "period" in source.column_names
            else None
        )
        percent = [(f.name, c) for f, c in cols if f.percent and c is not None]
        formatted = self._percent_cells(block) if percent else set()
        first_rows: list[int] = []
        context = block.context
        # (name, column, value from the instructions sheet or _NO_CONTEXT)
        plan = [(f.name, c, context.get(f.name, _NO_CONTEXT)) for f, c in cols]
        rows = block.grid.rows
        for idx in block.data_rows:
            i = self._start_row(block, idx)
            row = rows[idx]
            width = len(row)
            record: dict[str, Any] = {}
            for name, c, fallback in plan:
                value = row[c] if c is not None and c < width else None
                if fallback is not _NO_CONTEXT and is_empty(value):
                    value = fallback
                record[name] = value
            for name, c in percent:
                value = record[name]
                if value.__class__ is float or value.__class__ is int:
                    if formatted is None:
                        record[name] = UnknownFormatCell(value)
                    elif (idx, c) in formatted:
                        record[name] = PercentCell(value)
            for name, parse in (("unit", unit_parse), ("period", period_parse)):
                if parse is None:
                    continue
                key = (unit_col or "") if name == "unit" else "period"
                try:
                    parsed = parse(record.get(key))
                except CellProblem:
                    parsed = None
                if name == "unit":
                    self.r_unit[i] = parsed
                else:
                    self.r_period[i] = parsed
            if block.refused is not None:
                self._reject(i, block.refused[0])
                first_rows.append(block.row_number(idx))
                continue
            try:
                self.r_values[i] = validator(record)
            except ValidationError as exc:
                for err in exc.errors(include_url=False):
                    name = str(err["loc"][0]) if err["loc"] else ""
                    field = source.field(name) if name in source.column_names else None
                    problem_obj = (err.get("ctx") or {}).get("error")
                    value = record.get(name)
                    if isinstance(problem_obj, CellProblem):
                        expected = problem_obj.expected
                        if problem_obj.reason == "не заполнено обязательное поле":
                            problem = f"не заполнено обязательное поле (нужно: {expected})"
                            rule = "required"
                        else:
                            reason = f"{problem_obj.reason}: " if problem_obj.reason else ""
                            problem = f"{reason}указано «{display(value) if not (field and field.personal) else _HIDDEN}», а нужно: {expected}"
                            rule = "value"
                    else:
                        expected = describe_expected(field, self.kind) if field else ""
                        problem = f"значение не распознано (нужно: {expected})"
                        rule = "value"
                    self._row_error(i, block, field, value, expected, problem, rule)
        if block.refused is not None and block.data_rows:
            rule, column, value, message = block.refused
            self.errors.append(
                _Error(
                    "error",
                    block.raw.label,
                    block.sheet,
                    block.row_number(block.header),
                    column,
                    value,
                    "",
                    f"{_where(block.raw.label, block.sheet, None)}: {message} "
                    f"Не приняты {_ranges(first_rows)} ({len(first_rows)}).",
                    rule,
                    block.source.name,
                    str(block.context.get(unit_col or "", "") or ""),
                    str(block.context.get("period", "") or ""),
                )
            )

    # ------------------------------------------------------------------ table rules

    def _table_rows(self, table: str) -> list[int]:
        """The rows (indices into ``r_*``) of ``table``'s blocks, in order.

        Built once for all tables and rebuilt when rows were added since.
        """
        n = len(self.r_block)
        if self._rows_of is None or self._rows_of[0] != n:
            tables = [b.source.name for b in self.blocks]
            by_table: dict[str, list[int]] = defaultdict(list)
            for i, b in enumerate(self.r_block):
                by_table[tables[b]].append(i)
            self._rows_of = (n, dict(by_table))
        return self._rows_of[1].get(table, [])

    def _accepted_frame(self, table: str) -> pd.DataFrame:
        status = self.r_status
        idx = [i for i in self._table_rows(table) if status[i] == "accepted"]
        if not idx:
            columns = list(self.by_name[table].column_names) if table in self.by_name else []
            empty = {c: pd.Series([], dtype="object") for c in columns}
            return pd.DataFrame({**empty, "_i": pd.Series([], dtype="int64")})
        records = [self.r_values[i] for i in idx]
        frame = pd.DataFrame.from_records(records, columns=list(self.by_name[table].column_names))
        frame["_i"] = idx
        return frame

    def cross_field(self) -> None:
        for source in self.sources:
            bounded = [f for f in source.fields if f.not_above or f.period_dates]
            if not bounded:
                continue
            frame = self._accepted_frame(source.name)
            if frame.empty:
                continue
            for f in bounded:
                if f.not_above and f.not_above in frame.columns:
                    other = source.field(f.not_above)
                    a = pd.to_numeric(frame[f.name], errors="coerce")
                    b = pd.to_numeric(frame[f.not_above], errors="coerce")
                    bad = (a > b).fillna(False).to_numpy(dtype=bool)
                    for pos in np.flatnonzero(bad):
                        i = int(frame["_i"].iloc[pos])
                        block = self.blocks[self.r_block[i]]
                        self._row_error(
                            i,
                            block,
                            f,
                            frame[f.name].iloc[pos],
                            f"не больше значения в столбце «{other.label}»",
                            f"значение «{display(frame[f.name].iloc[pos])}» больше, чем в столбце "
                            f"«{other.label}» («{display(frame[f.not_above].iloc[pos])}»), а так "
                            "быть не может",
                            "not_above",
                        )
                if f.period_dates and "period" in frame.columns:
                    for n, (day, label) in enumerate(
                        zip(frame[f.name], frame["period"], strict=True)
                    ):
                        if day is None or label is None or (not isinstance(day, dt.date)):
                            continue
                        period = parse_period(label, self.kind)
                        late = day > period.end
                        early = f.period_dates == "within" and day < period.start
                        if not (late or early):
                            continue
                        i = int(frame["_i"].iloc[n])
                        block = self.blocks[self.r_block[i]]
                        if f.period_dates == "within":
                            expected = f"дата с {period.start:%d.%m.%Y} по {period.end:%d.%m.%Y}"
                            why = "дата вне отчётного периода"
                        else:
                            expected = f"дата не позже {period.end:%d.%m.%Y}"
                            why = "дата позже окончания отчётного периода"
                        self._row_error(
                            i,
                            block,
                            f,
                            day,
                            expected,
                            f"{why} {label}: указано «{display(day)}», а нужна {expected}",
                            "period_dates",
                        )

    # ------------------------------------------------------------------ hierarchy

    def hierarchy(self) -> dict[str, pd.DataFrame | None]:
        """The register tables: validated rows from the inputs, else ``reference``'s.

        Rows whose parent (an organisation's municipality, a municipality's region) is not
        in the register are rejected; repeated keys keep their first row.
        """
        from_inputs: dict[str, bool] = {}
        for name in REFERENCE_TABLES:
            from_inputs[name] = self._has_rows(name)
            if from_inputs[name]:
                self._dedupe_reference(name, self._accepted_frame(name))
        for child, column, parent in (
            ("municipalities", "region_id", "regions"),
            ("organizations", "municipality_id", "municipalities"),
        ):
            if from_inputs[child] and from_inputs[parent]:
                self._check_parent(
                    self._accepted_frame(child), self._accepted_frame(parent), child, column, parent
                )
        out: dict[str, pd.DataFrame | None] = {}
        for name in REFERENCE_TABLES:
            source = self.by_name[name]
            if from_inputs[name]:
                frame = self._accepted_frame(name)
                columns = list(source.column_names)
                out[name] = _coerce(source, frame.sort_values("_i")[columns].reset_index(drop=True))
            elif self.reference is not None:
                out[name] = getattr(self.reference, name).copy()
            else:
                out[name] = None
        return out

    def _has_rows(self, table: str) -> bool:
        return bool(self._table_rows(table))

    def _dedupe_reference(self, name: str, frame: pd.DataFrame) -> None:
        if frame.empty:
            return
        key = list(self.by_name[name].key)
        dup = frame.duplicated(subset=key, keep="first").to_numpy()
        if not dup.any():
            return
        firsts = frame[~dup].set_index(key)["_i"]
        for pos in np.flatnonzero(dup):
            k = tuple(frame[key].iloc[pos])
            first = firsts.loc[k if len(k) > 1 else k[0]]
            self._duplicate_error(int(frame["_i"].iloc[pos]), int(first), key)

    def _check_parent(
        self, frame: pd.DataFrame, parent: pd.DataFrame, table: str, column: str, parent_table: str
    ) -> None:
        if "_i" not in frame.columns:
            return
        known = set(parent[column].astype(str)) if column in parent.columns else set()
        rejected = self._rejected_codes(parent_table, column)
        source = self.by_name[table]
        title = self.by_name[parent_table].title
        for pos, value in enumerate(frame[column]):
            if value is None or str(value) in known:
                continue
            i = int(frame["_i"].iloc[pos])
            block = self.blocks[self.r_block[i]]
            problem = f"код «{value}» отсутствует в таблице «{title}»"
            if str(value) in rejected:
                problem = (
                    f"строка с кодом «{value}» в таблице «{title}» отклонена (см. ошибки этой "
                    "таблицы), поэтому и эта строка не может быть принята"
                )
            self._row_error(
                i,
                block,
                source.field(column),
                value,
                f"код из таблицы «{title}»",
                problem,
                "unknown_parent",
            )

    def _rejected_codes(self, table: str, column: str) -> set[str]:
        """The codes in ``column`` of the rows of ``table`` that were rejected."""
        out: set[str] = set()
        for i, b in enumerate(self.r_block):
            block = self.blocks[b]
            if block.source.name != table or self.r_status[i] == "accepted":
                continue
            values = self.r_values[i]
            value = values.get(column) if values is not None else None
            c = block.columns.get(column)
            if value is None and c is not None:
                row = block.grid.rows[self.r_row[i]]
                with contextlib.suppress(CellProblem):
                    value = parser_for(block.source.field(column), self.kind)(
                        row[c] if c < len(row) else None
                    )
            if value is not None:
                out.add(str(value))
        return out

    def check_units(self, orgs: pd.DataFrame | None, munis: pd.DataFrame | None) -> None:
        """Every organisation and municipality a row names must be in the register.

        An organisation must also be active in the row's period. A municipal table whose
        rows name organisations is then attributed to their municipality.
        """
        org_info: dict[str, tuple[dt.date | None, dt.date | None, str | None, str]] = {}
        if orgs is not None:
            for rec in orgs.to_dict("records"):
                org_info[str(rec["org_id"])] = (
                    _date(rec.get("valid_from")),
                    _date(rec.get("valid_to")),
                    None if is_empty(rec.get("successor_id")) else str(rec.get("successor_id")),
                    str(rec.get("municipality_id")),
                )
        muni_ids = set() if munis is None else set(munis["municipality_id"].astype(str))
        groups: dict[tuple[int, str, str, str], list[int]] = defaultdict(list)
        periods: dict[str, Period] = {}
        columns: dict[str, list[str]] = {
            s.name: [c for c in ("org_id", "municipality_id") if c in s.column_names]
            for s in self.sources
            if s.name not in REFERENCE_TABLES
        }
        for i, b in enumerate(self.r_block):
            values = self.r_values[i]
            if self.r_status[i] != "accepted" or values is None:
                continue
            block = self.blocks[b]
            for col in columns.get(block.source.name, ()):
                unit = values.get(col)
                if unit is None:
                    continue
                reason = ""
                if col == "org_id":
                    if unit not in org_info:
                        reason = "unknown_unit"
                    else:
                        start, end, _, _ = org_info[unit]
                        label = self.r_period[i]
                        period = None
                        if label:
                            period = periods.get(label) or periods.setdefault(
                                label, parse_period(label, self.kind)
                            )
                        active = period is None or (
                            (start is None or start <= period.end)
                            and (end is None or end >= period.start)
                        )
                        reason = "" if active else "inactive_unit"
                elif unit not in muni_ids:
                    reason = "unknown_unit"
                if reason:
                    groups[(b, col, str(unit), reason)].append(i)
                    break
        rejected: dict[str, set[str]] = {}
        for (b, col, unit, reason), rows in groups.items():
            block = self.blocks[b]
            field = block.source.field(col)
            numbers = [block.row_number(self.r_row[i]) for i in rows]
            if reason == "unknown_unit":
                what = "организации" if col == "org_id" else "муниципалитета"
                register = "organizations" if col == "org_id" else "municipalities"
                if (orgs is None and col == "org_id") or (munis is None and col != "org_id"):
                    problem = (
                        f"код {what} «{unit}» не с чем сверить: реестр не представлен (добавьте "
                        "к проверке файл реестра организаций)"
                    )
                elif unit in (
                    rejected[register]
                    if register in rejected
                    else rejected.setdefault(register, self._rejected_codes(register, col))
                ):
                    problem = (
                        f"строка реестра с кодом {what} «{unit}» отклонена (см. ошибки файла "
                        "реестра), поэтому сведения не могут быть приняты; исправьте реестр"
                    )
                else:
                    problem = f"код {what} «{unit}» отсутствует в реестре"
            else:
                start, end, succ, _ = org_info[unit]
                tail = f"; правопреемник — «{succ}»" if succ else ""
                when = f" (действует по {end:%d.%m.%Y})" if end else ""
                if start and not end:
                    when = f" (действует с {start:%d.%m.%Y})"
                problem = (
                    f"организация «{unit}» по реестру не действует в периоде "
                    f"{self.r_period[rows[0]]}{when}{tail}"
                )
            for i in rows:
                self._reject(i, reason)
            self.errors.append(
                _Error(
                    "error",
                    block.raw.label,
                    block.sheet,
                    numbers[0],
                    field.label,
                    unit,
                    "код из реестра организаций" if col == "org_id" else "код из реестра",
                    f"{_where(block.raw.label, block.sheet, None, field.label)}: {problem}. "
                    f"Не приняты {_ranges(numbers)} ({len(numbers)}).",
                    reason,
                    block.source.name,
                    self.r_unit[rows[0]] or unit,
                    self.r_period[rows[0]] or "",
                )
            )
        for i, b in enumerate(self.r_block):
            source = self.blocks[b].source
            values = self.r_values[i]
            if covers_organizations(source) and values is not None:
                info = org_info.get(str(values.get("org_id")))
                self.r_unit[i] = info[3] if info is not None else None

    # ------------------------------------------------------------------ files

    def receipt_dates(self) -> None:
        """When each file was received, for each unit and period it submitted data for.

        In order: the register of receipts among the inputs (a row naming the file, then a
        row for the unit and period), the date given for the file, the date given for the
        run, the file's modification time when it is not later than the date the register
        is drawn up at (see :func:`pedprof.io.register.status_as_of`). Never the date saved
        inside a workbook.
        """
        by_file: dict[tuple[str, str, str], dt.datetime] = {}
        by_unit: dict[tuple[str, str], dt.datetime] = {}
        for i, b in enumerate(self.r_block):
            values = self.r_values[i]
            if (
                self.r_status[i] != "accepted"
                or values is None
                or self.blocks[b].source.name != RECEIPTS
                or values.get("submitted_at") is None
            ):
                continue
            when = dt.datetime.combine(values["submitted_at"], dt.time())
            unit, period = str(values["unit_id"]), str(values["period"])
            if values.get("file"):
                name = str(values["file"]).strip().casefold()
                by_file.setdefault((name, unit, period), when)
            else:
                by_unit.setdefault((unit, period), when)
        periods: dict[str, Period] = {}
        for label, units in self.file_units().items():
            names = (label.casefold(), Path(label).name.casefold())
            for unit, period, level in sorted(units):
                receipt: Receipt | None = None
                for name in names:
                    if (name, unit, period) in by_file:
                        receipt = Receipt(by_file[(name, unit, period)], "register")
                        break
                if receipt is None and (unit, period) in by_unit:
                    receipt = Receipt(by_unit[(unit, period)], "register")
                if receipt is None and label in self.submitted_override:
                    receipt = Receipt(self.submitted_override[label], "given")
                if receipt is None and self.received is not None:
                    receipt = Receipt(self.received, "received")
                if receipt is None and label in self.mtimes:
                    current = periods.get(period) or periods.setdefault(
                        period, parse_period(period, self.kind)
                    )
                    as_of, _ = status_as_of(self.profile, current, level, self.today)
                    mtime = self.mtimes[label]
                    # A modification time after the date the register is drawn up at is
                    # when the file was copied or unpacked, not when it was received.
                    late = mtime.date() > as_of
                    receipt = Receipt(
                        None if late else mtime, "file_mtime_late" if late else "file_mtime"
                    )
                self.receipts[(label, unit, period)] = receipt or Receipt(None, "")
        first: dict[str, Receipt] = {}
        for (label, _, _), receipt in self.receipts.items():
            if receipt.when is None:
                first.setdefault(label, receipt)
            elif first.get(label) is None or receipt.when < (first[label].when or dt.datetime.max):
                first[label] = receipt
        for record in self.files:
            label = record["file"]
            receipt = first.get(label)
            if (receipt is None or receipt.when is None) and record["status"] == "read":
                if label in self.submitted_override:
                    receipt = Receipt(self.submitted_override[label], "given")
                elif self.received is not None:
                    receipt = Receipt(self.received, "received")
                else:
                    receipt = first.get(label)
            if receipt is not None:
                record["submitted_at"] = receipt.when
                record["date_source"] = receipt.source

    def supersede(self) -> None:
        """Two files with the same table, unit and period: the later file is used."""
        files_of: dict[tuple[str, str, str], set[int]] = defaultdict(set)
        for i, b in enumerate(self.r_block):
            block = self.blocks[b]
            if (
                block.source.name in REFERENCE_TABLES
                or self.r_unit[i] is None
                or self.r_period[i] is None
            ):
                continue
            files_of[(block.source.name, self.r_unit[i] or "", self.r_period[i] or "")].add(
                block.file_index
            )
        conflicts = {k: v for k, v in files_of.items() if len(v) > 1}
        if not conflicts:
            return

        def order(
            key: tuple[str, str, str],
        ) -> Callable[[int], tuple[dt.datetime, dt.datetime, str]]:
            def by(file_index: int) -> tuple[dt.datetime, dt.datetime, str]:
                label = self.raws[file_index].label
                receipt = self.receipts.get((label, key[1], key[2]))
                when = receipt.when if receipt is not None else None
                return (
                    when or dt.datetime.min,
                    self.mtimes.get(label, dt.datetime.min),
                    label,
                )

            return by

        winners = {k: max(v, key=order(k)) for k, v in conflicts.items()}
        groups: dict[tuple[int, str, str], list[int]] = defaultdict(list)
        for i, b in enumerate(self.r_block):
            block = self.blocks[b]
            key = (block.source.name, self.r_unit[i] or "", self.r_period[i] or "")
            if key in winners and block.file_index != winners[key]:
                groups[(b, key[1], key[2])].append(i)
        for (b, unit, period), rows in groups.items():
            block = self.blocks[b]
            key = (block.source.name, unit, period)
            winner = self.raws[winners[key]]
            numbers = [block.row_number(self.r_row[i]) for i in rows]
            for i in rows:
                self._reject(i, "superseded")
            by = order(key)
            mine, theirs = by(block.file_index), by(winners[key])
            receipt = self.receipts.get((winner.label, unit, period))
            when = ""
            if receipt is not None and receipt.when is not None:
                when = (
                    f" от {_stamp(receipt.when)} (дата поступления "
                    f"{DATE_SOURCE_LABELS[receipt.source]})"
                )
            if theirs[0] > mine[0]:
                why = "Используется файл, поступивший позже"
            elif theirs[1] > mine[1]:
                why = (
                    "Даты поступления файлов совпадают или неизвестны; используется файл, "
                    "изменённый позже"
                )
            else:
                why = (
                    "Даты поступления и изменения файлов не различают их; используется "
                    "файл, последний по имени"
                )
            self.errors.append(
                _Error(
                    "error",
                    block.raw.label,
                    block.sheet,
                    numbers[0],
                    "",
                    "",
                    "одна форма от организации за период",
                    f"{_where(block.raw.label, block.sheet, None)}: «{unit}» представила таблицу "
                    f"«{block.source.title}» за {period} повторно — в файле «{winner.label}»{when}. "
                    f"{why}; {_ranges(numbers)} этого файла "
                    f"({len(numbers)}) не приняты. Если верен этот файл, удалите другой.",
                    "superseded",
                    block.source.name,
                    unit,
                    period,
                )
            )

    def _duplicate_error(self, i: int, first: int, key: Sequence[str]) -> None:
        block = self.blocks[self.r_block[i]]
        first_block = self.blocks[self.r_block[first]]
        source = block.source
        labels = ", ".join(
            f"«{source.column_label(k)}»" for k in key if k not in context_fields(source)
        )
        if first_block is block:
            where = f"строку {block.row_number(self.r_row[first])} этого листа"
        else:
            where = (
                f"строку {first_block.row_number(self.r_row[first])} листа «{first_block.sheet}» "
                f"файла «{first_block.raw.label}»"
            )
        self._row_error(
            i,
            block,
            None,
            "",
            "каждая запись один раз",
            f"повторяет {where}: совпадают {labels or 'ключевые поля'}; учтена первая из строк",
            "duplicate",
        )

    def duplicates(self) -> None:
        for source in self.sources:
            if not source.key or source.name in REFERENCE_TABLES:
                continue
            frame = self._accepted_frame(source.name)
            if frame.empty:
                continue
            key = list(source.key)
            dup = frame.duplicated(subset=key, keep="first").to_numpy()
            if not dup.any():
                continue
            firsts = frame[~dup].set_index(key)["_i"]
            for pos in np.flatnonzero(dup):
                k = tuple(frame[key].iloc[pos])
                first = firsts.loc[k if len(k) > 1 else k[0]]
                self._duplicate_error(int(frame["_i"].iloc[pos]), int(first), key)

    def persons_in_two_units(self) -> None:
        for source in self.sources:
            personal = [f.name for f in source.fields if f.personal]
            unit = unit_column(source)
            if not personal or unit != "org_id" or "period" not in source.column_names:
                continue
            frame = self._accepted_frame(source.name)
            if frame.empty:
                continue
            person = personal[0]
            compared = [source.field(c) for c in PERSON_LEVEL_FIELDS if c in frame.columns]
            n_units = frame.groupby(["period", person])[unit].transform("nunique")
            multi = frame[n_units.to_numpy() > 1]
            for (period, _), group in multi.groupby(["period", person], sort=True):
                places = []
                for i in group["_i"]:
                    b = self.blocks[self.r_block[int(i)]]
                    where = _where(b.raw.label, b.sheet, b.row_number(self.r_row[int(i)]))
                    places.append(f"«{self.r_unit[int(i)]}» ({where[0].lower()}{where[1:]})")
                first = int(group["_i"].iloc[0])
                block = self.blocks[self.r_block[first]]
                self._notice(
                    block.raw.label,
                    block.sheet,
                    block.row_number(self.r_row[first]),
                    "person_in_two_units",
                    f"{_where(block.raw.label, block.sheet, block.row_number(self.r_row[first]))}: "
                    f"один и тот же работник (код скрыт) указан в нескольких организациях за "
                    f"{period}: {', '.join(places)}. Это допустимо (например, совместительство); "
                    "в показателях муниципалитета он учитывается один раз.",
                    column=source.column_label(person),
                    table=source.name,
                    period=str(period),
                )
                for f in compared:
                    self._person_conflict(source, f, str(period), group)

    def _person_conflict(
        self, source: Source, field: Field, period: str, group: pd.DataFrame
    ) -> None:
        """A notice when one person's ``field`` differs between the organisations' rows."""
        values = [(int(i), v) for i, v in zip(group["_i"], group[field.name], strict=True)]
        if len({v for _, v in values if not is_empty(v)}) < 2:
            return
        places = []
        for i, v in values:
            b = self.blocks[self.r_block[i]]
            where = _where(b.raw.label, b.sheet, b.row_number(self.r_row[i]))
            shown = display(v) if not is_empty(v) else "не указано"
            places.append(f"{shown} — в «{self.r_unit[i]}» ({where[0].lower()}{where[1:]})")
        first = values[0][0]
        block = self.blocks[self.r_block[first]]
        row = block.row_number(self.r_row[first])
        self._notice(
            block.raw.label,
            block.sheet,
            row,
            "person_attributes_differ",
            f"{_where(block.raw.label, block.sheet, row)}: один и тот же работник (код скрыт) "
            f"указан за {period} в нескольких организациях с разными значениями «{field.label}»: "
            f"{'; '.join(places)}. Это сведения о самом работнике, они не зависят от места "
            "работы: уточните их и исправьте неверную строку. Строки приняты как представлены.",
            column=field.label,
            value="; ".join(display(v) for _, v in values),
            table=source.name,
            unit_id=str(self.r_unit[first] or ""),
            period=period,
        )

    # ------------------------------------------------------------------ outputs

    def file_units(self) -> dict[str, set[tuple[str, str, str]]]:
        """File label → the (unit, period, level) it submitted data for."""
        out: dict[str, set[tuple[str, str, str]]] = defaultdict(set)
        for i, b in enumerate(self.r_block):
            block = self.blocks[b]
            col = unit_column(block.source)
            unit, period = self.r_unit[i], self.r_period[i]
            if unit is None or period is None:
                continue
            if col is None and not covers_organizations(block.source):
                continue
            level = "organization" if col == "org_id" else "municipality"
            out[block.raw.label].add((unit, period, level))
        for block in self.blocks:
            col = unit_column(block.source)
            if col is None or block.data_rows or block.refused is not None:
                continue
            unit, period = block.context.get(col), block.context.get("period")
            if unit and period:
                level = "organization" if col == "org_id" else "municipality"
                out[block.raw.label].add((str(unit), str(period), level))
        return out

    def rows_frame(self) -> pd.DataFrame:
        blocks = self.blocks
        return pd.DataFrame(
            {
                "file": [blocks[b].raw.label for b in self.r_block],
                "sheet": [blocks[b].sheet for b in self.r_block],
                "row": pd.array(
                    [
                        blocks[b].row_number(r)
                        for b, r in zip(self.r_block, self.r_row, strict=True)
                    ],
                    dtype="Int64",
                ),
                "table": [blocks[b].source.name for b in self.r_block],
                "unit_id": self.r_unit,
                "period": self.r_period,
                "status": self.r_status,
                "rule": self.r_rule,
            },
            columns=list(ROW_COLUMNS),
        )

    def counts_frame(self, rows: pd.DataFrame) -> pd.DataFrame:
        parts = []
        if len(rows):
            keyed = rows.assign(
                unit_id=rows["unit_id"].fillna(""),
                period=rows["period"].fillna(""),
                accepted=(rows["status"] == "accepted").astype(int),
                rejected=(rows["status"] == "rejected").astype(int),
            )
            agg = (
                keyed.groupby(["file", "sheet", "table", "unit_id", "period"], sort=False)
                .agg(
                    submitted=("status", "size"),
                    accepted=("accepted", "sum"),
                    rejected=("rejected", "sum"),
                )
                .reset_index()
            )
            parts.append(agg)
        seen = set(rows["file"]) if len(rows) else set()
        empty = [
            {
                "file": f["file"],
                "sheet": "",
                "table": "",
                "unit_id": "",
                "period": "",
                "submitted": 0,
                "accepted": 0,
                "rejected": 0,
            }
            for f in self.files
            if f["file"] not in seen
        ]
        if empty:
            parts.append(pd.DataFrame(empty))
        if not parts:
            return pd.DataFrame(
                {
                    c: pd.Series(
                        [],
                        dtype="int64" if c in ("submitted", "accepted", "rejected") else "object",
                    )
                    for c in COUNT_COLUMNS
                }
            )
        out = pd.concat(parts, ignore_index=True)
        for c in ("submitted", "accepted", "rejected"):
            out[c] = out[c].astype("int64")
        return out[list(COUNT_COLUMNS)]

    def errors_frame(self) -> pd.DataFrame:
        records = [attrs.asdict(e) for e in self.errors]
        frame = pd.DataFrame.from_records(records, columns=list(ERROR_COLUMNS))
        frame["row"] = pd.array(frame["row"].tolist(), dtype="Int64")
        return frame

    def tables(self) -> dict[str, pd.DataFrame]:
        out: dict[str, pd.DataFrame] = {}
        for source in self.profile.sources:
            if source.name in REFERENCE_TABLES:
                continue
            frame = self._accepted_frame(source.name)
            columns = list(source.column_names)
            if frame.empty:
                frame = pd.DataFrame({c: pd.Series([], dtype="object") for c in columns})
            else:
                frame = frame.sort_values("_i", kind="stable")[columns].reset_index(drop=True)
            out[source.name] = _coerce(source, frame)
        return out


def _coerce(source: Source, frame: pd.DataFrame) -> pd.DataFrame:
    """Declared dtypes for validated rows, through the same path as clean CSV data.

    Dates go in as ISO text so that their resolution matches data read from CSV.
    """
    frame = frame.copy()
    for f in source.fields:
        if f.type is FieldType.DATE and f.name in frame.columns:
            frame[f.name] = [None if d is None else d.isoformat() for d in frame[f.name]]
    return coerce_frame(source, frame)


def _stamp(when: dt.datetime) -> str:
    return f"{when:%d.%m.%Y}" if when.time() == dt.time(0) else f"{when:%d.%m.%Y %H:%M}"


def _date(value: object) -> dt.date | None:
    if value is None or is_empty(value):
        return None
    if isinstance(value, dt.datetime):
        return value.date()
    if isinstance(value, dt.date):
        return value
    return pd.Timestamp(str(value)).date()


# =========================================================================== entry point


Input: TypeAlias = str | Path | pd.DataFrame | tuple[str, pd.DataFrame]


def _derive_munis(orgs: pd.DataFrame, profile: Profile) -> pd.DataFrame:
    """Municipalities named by the register when no municipality table was given."""
    ids = list(dict.fromkeys(orgs["municipality_id"].astype(str)))
    name = profile.info.territory if len(ids) == 1 else None
    return pd.DataFrame(
        {
            "municipality_id": ids,
            "name": [name or i for i in ids],
            "region_id": ["region"] * len(ids),
        }
    )


def _derive_regions(munis: pd.DataFrame, profile: Profile) -> pd.DataFrame:
    """Regions named by the municipalities when no region table was given."""
    ids = list(dict.fromkeys(munis["region_id"].astype(str)))
    name = profile.info.region if len(ids) == 1 and profile.info.region else None
    return pd.DataFrame({"region_id": ids, "name": [name or i for i in ids]})


def read_submissions(
    profile: Profile | str,
    inputs: Iterable[Input] | Mapping[str, pd.DataFrame],
    *,
    reference: Dataset | None = None,
    periods: Sequence[str] | None = None,
    submitted_at: Mapping[str, dt.datetime] | None = None,
    limits: Limits | None = None,
    progress: bool | Callable[[int, int, str], None] = False,
    today: dt.date | None = None,
    received: dt.date | dt.datetime | None = None,
) -> CheckResult:
    """Read, validate and consolidate submitted tables.

    :param profile: the profile (or its id) whose declared sources the tables follow.
    :param inputs: files and folders (.xlsx and other workbooks, .csv, .parquet) and
        DataFrames — a DataFrame as ``(table_name, frame)`` or in a mapping
        ``{table_name: frame}``.
    :param reference: a dataset whose ``regions``, ``municipalities`` and
        ``organizations`` serve as the register when the inputs do not include it.
    :param periods: the periods the submission register covers (default: those present).
    :param submitted_at: input label → when it was received. The register of receipts
        (a ``submissions`` table among the inputs) takes precedence; see
        :mod:`pedprof.io.register` for the whole order. The date saved inside a workbook
        is never used.
    :param limits: bounds on file sizes (see :class:`pedprof.io.Limits`).
    :param progress: ``True`` for a progress bar on the terminal, or a callback
        ``(done, total, label)``.
    :param today: the date "missing" and "not yet due" are judged at (default: for each
        period, the earlier of today and the later of the period's end and its deadline,
        so that a past year is never judged from today; the register's ``status_as_of``
        says which date was used).
    :param received: when every input of this call was received, for inputs that neither
        the register of receipts nor ``submitted_at`` dates (``pedprof check --received``).
    :returns: the dataset of accepted rows, the errors, counts and submission register.
    """
    from pedprof.io.register import dataset_submissions, submission_register
    from pedprof.plugins import get_profile

    prof = get_profile(profile) if isinstance(profile, str) else profile
    if received is not None and not isinstance(received, dt.datetime):
        received = dt.datetime.combine(received, dt.time())
    checker = _Checker(
        prof,
        reference=reference,
        limits=limits or Limits(),
        submitted_at=submitted_at or {},
        today=today,
        received=received,
    )
    items: list[tuple[str, Any]] = []
    if isinstance(inputs, Mapping):
        items = [("frame", (str(k), v)) for k, v in inputs.items()]
    else:
        for item in inputs:
            if isinstance(item, pd.DataFrame):
                items.append(("frame", (f"таблица {len(items) + 1}", item)))
            elif isinstance(item, tuple):
                items.append(("frame", (str(item[0]), item[1])))
            else:
                for path, label, is_table in expand_paths([Path(item)]):
                    items.append(("path" if is_table else "skip", (path, label)))
    _read_all(checker, items, progress)
    checker.locate()
    checker.validate_rows()
    checker.cross_field()
    ref = checker.hierarchy()
    orgs, munis, regions = ref["organizations"], ref["municipalities"], ref["regions"]
    if orgs is not None and munis is None:
        munis = _derive_munis(orgs, prof)
    if munis is not None and regions is None:
        regions = _derive_regions(munis, prof)
    checker.check_units(orgs, munis)
    checker.receipt_dates()
    checker.supersede()
    checker.duplicates()
    checker.persons_in_two_units()
    rows = checker.rows_frame()
    register = submission_register(
        prof,
        checker.file_units(),
        {},
        orgs,
        munis,
        rows,
        periods=periods,
        today=checker.today,
        receipts=checker.receipts,
    )
    dataset = None
    if orgs is not None and munis is not None and regions is not None:
        dataset = Dataset(
            regions=regions,
            municipalities=munis,
            organizations=orgs,
            tables=checker.tables(),
            submissions=dataset_submissions(
                register,
                orgs if any(covers_organizations(s) for s in prof.sources) else None,
                period_kind=prof.info.period_kind,
            ),
        )
    files = pd.DataFrame.from_records(
        checker.files,
        columns=["file", "format", "submitted_at", "status", "rule", "date_source"],
    )
    return CheckResult(
        dataset=dataset,
        errors=checker.errors_frame(),
        counts=checker.counts_frame(rows),
        register=register,
        rows=rows,
        files=files,
    )


def _read_all(
    checker: _Checker,
    items: list[tuple[str, Any]],
    progress: bool | Callable[[int, int, str], None],
) -> None:
    total = len(items)
    if progress is True and total > 1:
        from rich.progress import (
            BarColumn,
            MofNCompleteColumn,
            Progress,
            TextColumn,
            TimeRemainingColumn,
        )

        with Progress(
            TextColumn("Чтение файлов"),
            BarColumn(),
            MofNCompleteColumn(),
            TimeRemainingColumn(),
            transient=True,
        ) as bar:
            task = bar.add_task("read", total=total)
            for kind, payload in items:
                _read_one(checker, kind, payload)
                bar.advance(task)
        return
    for n, (kind, payload) in enumerate(items, start=1):
        _read_one(checker, kind, payload)
        if callable(progress):
            label = payload[1] if kind == "path" else payload[0]
            progress(n, total, str(label))


def _read_one(checker: _Checker, kind: str, payload: Any) -> None:
    if kind == "path":
        checker.add_file(*payload)
    elif kind == "skip":
        checker.skip_file(*payload)
    else:
        checker.add_frame(*payload)
