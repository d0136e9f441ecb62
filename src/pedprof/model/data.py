"""The organisation hierarchy and the dataset :func:`pedprof.compute` reads.

The hierarchy is region → municipality → organisation. Organisations have a kind and a
validity interval; an organisation that closed or merged names its ``successor_id`` so that
dynamics survive mergers: the previous period of the successor is restated as the sum of
itself and everything that merged into it.

Tables built in Python are checked against the profile's declared sources with the same
value rules as submitted forms (:func:`validate_dataset`, called by :func:`pedprof.compute`):
«да»/«нет» in a boolean column become true/false, ages typed as text become numbers, and a
value that cannot be read raises :class:`pedprof.errors.DataValidationError` naming the
table, row and column — nothing is counted as something it is not.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterable, Mapping
from enum import StrEnum
from typing import TYPE_CHECKING, Any

import attrs
import numpy as np
import pandas as pd

from pedprof.model.periods import Period, PeriodKind

if TYPE_CHECKING:
    from pedprof.errors import Problem
    from pedprof.model.indicators import Indicator
    from pedprof.model.profile import Profile
    from pedprof.model.sources import Field, Source

__all__ = [
    "Dataset",
    "Municipality",
    "Organization",
    "OrganizationKind",
    "Region",
    "check_structure",
    "validate_dataset",
]


class OrganizationKind(StrEnum):
    """The kind of an educational organisation."""

    SCHOOL = "school"
    KINDERGARTEN = "kindergarten"
    ADDITIONAL_EDUCATION = "additional_education"
    VOCATIONAL = "vocational"
    METHODICAL_SERVICE = "methodical_service"
    OTHER = "other"

    @property
    def label(self) -> str:
        """The Russian name of the kind."""
        return ORGANIZATION_KIND_LABELS[self.value]


ORGANIZATION_KIND_LABELS = {
    "school": "общеобразовательная организация",
    "kindergarten": "дошкольная образовательная организация",
    "additional_education": "организация дополнительного образования",
    "vocational": "профессиональная образовательная организация",
    "methodical_service": "методическая служба",
    "other": "иная организация",
}


@attrs.frozen
class Region:
    """A region (субъект РФ)."""

    id: str
    name: str


@attrs.frozen
class Municipality:
    """A municipality (городской округ, муниципальный район)."""

    id: str
    name: str
    region_id: str


@attrs.frozen
class Organization:
    """An educational organisation (ОО).

    :param valid_from: first day it exists (None: always did).
    :param valid_to: last day it exists (None: still does).
    :param successor_id: where it went when it closed or merged.
    """

    id: str
    name: str
    municipality_id: str
    kind: OrganizationKind = OrganizationKind.SCHOOL
    valid_from: dt.date | None = None
    valid_to: dt.date | None = None
    successor_id: str | None = None

    def active_in(self, period: Period) -> bool:
        """Whether the organisation exists at some point of ``period``."""
        starts_ok = self.valid_from is None or self.valid_from <= period.end
        ends_ok = self.valid_to is None or self.valid_to >= period.start
        return starts_ok and ends_ok


ORG_COLUMNS = (
    "org_id",
    "name",
    "municipality_id",
    "kind",
    "valid_from",
    "valid_to",
    "successor_id",
)
MUNICIPALITY_COLUMNS = ("municipality_id", "name", "region_id")
REGION_COLUMNS = ("region_id", "name")
#: The Russian names of the hierarchy tables, for messages.
REGISTER_TITLES = {
    "regions": "регионы",
    "municipalities": "муниципалитеты",
    "organizations": "реестр организаций",
}


def _frame(
    rows: Iterable[Any], columns: tuple[str, ...], rename: Mapping[str, str]
) -> pd.DataFrame:
    records = [attrs.asdict(r, recurse=False) for r in rows]
    frame = pd.DataFrame.from_records(records)
    frame = frame.rename(columns=dict(rename))
    if frame.empty:
        frame = pd.DataFrame(columns=list(columns))
    return frame


@attrs.define(frozen=True, eq=False)
class Dataset:
    """Everything :func:`pedprof.compute` needs: the hierarchy and the submitted tables.

    :param regions: columns ``region_id, name``.
    :param municipalities: columns ``municipality_id, name, region_id``.
    :param organizations: the register: ``org_id, name, municipality_id, kind,
        valid_from, valid_to, successor_id`` (the last three may be empty).
    :param tables: source name → table. Organisation tables have ``period`` and
        ``org_id``; municipal tables ``period`` and ``municipality_id``.
    :param submissions: optional register of submissions: ``unit_id, period`` and
        optionally ``submitted_at``. Without it, a unit counts as having reported for a
        period when it has a row in any table it fills for that period.
    """

    regions: pd.DataFrame
    municipalities: pd.DataFrame
    organizations: pd.DataFrame
    tables: Mapping[str, pd.DataFrame] = attrs.field(factory=dict)
    submissions: pd.DataFrame | None = None

    def __repr__(self) -> str:
        def count(n: int, one: str, many: str) -> str:
            return f"{n} {one if n == 1 else many}"

        units = (
            f"{count(len(self.regions), 'region', 'regions')},"
            f" {count(len(self.municipalities), 'municipality', 'municipalities')},"
            f" {count(len(self.organizations), 'organization', 'organizations')}"
        )
        names = list(self.tables)
        tables = ", ".join(
            f"{name} ({count(len(self.tables[name]), 'row', 'rows')})" for name in names[:4]
        )
        if len(names) > 4:
            tables += f", +{len(names) - 4} more"
        tail = "" if self.submissions is None else f"; submissions ({len(self.submissions)} rows)"
        return f"<Dataset: {units}; tables {tables or 'none'}{tail}>"

    def __attrs_post_init__(self) -> None:
        from pedprof.errors import DatasetError, MissingColumnError, NotADatasetError

        for name, frame, cols in (
            ("regions", self.regions, ("region_id",)),
            ("municipalities", self.municipalities, ("municipality_id", "region_id")),
            ("organizations", self.organizations, ("org_id", "municipality_id")),
        ):
            if not isinstance(frame, pd.DataFrame):
                raise NotADatasetError(frame, table=name)
            missing = [c for c in cols if c not in frame.columns]
            if missing:
                raise MissingColumnError(name, missing, title=REGISTER_TITLES[name])
        if not isinstance(self.tables, Mapping):
            raise NotADatasetError(self.tables, table="tables")
        for name, frame in self.tables.items():
            if not isinstance(frame, pd.DataFrame):
                raise NotADatasetError(frame, table=str(name))
        if self.submissions is not None and not isinstance(self.submissions, pd.DataFrame):
            raise NotADatasetError(self.submissions, table="submissions")
        unknown = set(self.organizations["municipality_id"]) - set(
            self.municipalities["municipality_id"]
        )
        if unknown:
            from pedprof.errors import Location

            shown = ", ".join(sorted(map(str, unknown))[:10])
            raise DatasetError(
                f"В реестре организаций указаны муниципалитеты, которых нет в таблице "
                f"муниципалитетов: {shown}",
                what=f"неизвестные муниципалитеты: {shown}",
                where=Location(table="organizations", column="municipality_id"),
                expected="код муниципалитета из таблицы municipalities",
            )

    @classmethod
    def from_objects(
        cls,
        *,
        regions: Iterable[Region],
        municipalities: Iterable[Municipality],
        organizations: Iterable[Organization],
        tables: Mapping[str, pd.DataFrame] | None = None,
        submissions: pd.DataFrame | None = None,
    ) -> Dataset:
        """Build a dataset from model objects and tables."""
        orgs = _frame(organizations, ORG_COLUMNS, {"id": "org_id"})
        if "kind" in orgs:
            orgs["kind"] = orgs["kind"].map(lambda k: getattr(k, "value", k))
        return cls(
            regions=_frame(regions, REGION_COLUMNS, {"id": "region_id"}),
            municipalities=_frame(municipalities, MUNICIPALITY_COLUMNS, {"id": "municipality_id"}),
            organizations=orgs,
            tables=dict(tables or {}),
            submissions=submissions,
        )

    @classmethod
    def from_frames(
        cls,
        profile: Profile,
        tables: Mapping[str, pd.DataFrame],
        *,
        regions: pd.DataFrame,
        municipalities: pd.DataFrame,
        organizations: pd.DataFrame,
        submissions: pd.DataFrame | None = None,
    ) -> Dataset:
        """A dataset from DataFrames, validated and coerced by ``profile``'s sources.

        The same value rules as forms (see :func:`validate_dataset`): the result's declared
        columns have their declared dtypes.

        :raises pedprof.errors.DataValidationError: values that cannot be read.
        :raises pedprof.errors.ArgumentTypeError: ``profile`` is not a :class:`Profile`, or
            ``tables`` is not a mapping of names to DataFrames.
        :raises pedprof.errors.DatasetError: a register table lacks a column, a table is
            not a DataFrame (see :class:`Dataset`).
        """
        _check_profile(profile)
        if isinstance(tables, pd.DataFrame) or not isinstance(tables, Mapping):
            from pedprof.errors import ArgumentTypeError

            raise ArgumentTypeError(
                "Аргумент «tables» должен быть словарём {имя таблицы: DataFrame}, например "
                "{'staff': кадры}, а передан объект типа " + type(tables).__name__,
                argument="tables",
                what=f"передан {type(tables).__name__}",
                expected="словарь {имя таблицы: pandas.DataFrame}",
            )
        data = cls(
            regions=regions,
            municipalities=municipalities,
            organizations=organizations,
            tables=dict(tables),
            submissions=submissions,
        )
        return validate_dataset(profile, data)

    def table(self, name: str) -> pd.DataFrame:
        """The table ``name``.

        :raises pedprof.errors.MissingTableError: naming the table and the tables that are
            present (also a :class:`LookupError`).
        """
        try:
            return self.tables[name]
        except KeyError:
            from pedprof.errors import MissingTableError

            raise MissingTableError(name, map(str, self.tables)) from None

    def with_tables(self, **tables: pd.DataFrame) -> Dataset:
        """A copy with tables added or replaced."""
        return attrs.evolve(self, tables={**self.tables, **tables})

    def organization_objects(self) -> list[Organization]:
        """The register as :class:`Organization` objects."""
        out = []
        for rec in self.organizations.to_dict("records"):
            out.append(
                Organization(
                    id=str(rec["org_id"]),
                    name=str(rec.get("name", rec["org_id"])),
                    municipality_id=str(rec["municipality_id"]),
                    kind=OrganizationKind(rec.get("kind") or "other"),
                    valid_from=_date_or_none(rec.get("valid_from")),
                    valid_to=_date_or_none(rec.get("valid_to")),
                    successor_id=_str_or_none(rec.get("successor_id")),
                )
            )
        return out


# =========================================================================== validation


def validate_dataset(profile: Profile, data: Dataset) -> Dataset:
    """Check ``data``'s tables against ``profile``'s sources; coerce what forms would read.

    Every table named like one of the profile's sources is checked column by column (the
    columns the source declares and the frame has; others are left alone, as are the
    hierarchy tables), with the same parsers as submitted forms
    (:func:`pedprof.model.values.parser_for`):

    * a column already of its declared dtype (``bool``/``boolean``, integer, numeric,
      ``datetime64``) is checked for empty required values and the declared range —
      vectorised, so typed data cost little;
    * any other column is read value by value as a form cell would be: «да», «нет», «+»,
      1/0 in a boolean column; «45», «45,0» in a number column; «01.09.2023» in a date
      column — and given its declared dtype;
    * choice columns accept the Russian labels as well as the codes (stored as codes);
      period columns any spelling :func:`pedprof.parse_period` reads (stored canonical);
      text and identifier columns are checked, never changed.

    :returns: ``data`` itself when nothing needed coercion, else a copy with coerced tables.
    :raises pedprof.errors.NotADatasetError: ``data`` is not a :class:`Dataset` (a bare
        DataFrame, say).
    :raises pedprof.errors.DataValidationError: every value that cannot be read, each with
        its table, row (the first record is 1) and column.
    """
    from pedprof.errors import DataValidationError, NotADatasetError

    _check_profile(profile)
    if not isinstance(data, Dataset):
        raise NotADatasetError(data)
    kind = profile.info.period_kind
    sources = {s.name: s for s in profile.sources}
    problems: list[Problem] = []
    changed: dict[str, pd.DataFrame] = {}
    for name, frame in data.tables.items():
        source = sources.get(name)
        if source is None or not isinstance(frame, pd.DataFrame):
            continue
        fixed = _validate_frame(source, frame, kind, problems)
        if fixed is not frame:
            changed[name] = fixed
    if problems:
        raise DataValidationError(
            problems,
            context=f"Таблицы не соответствуют описанию источников профиля «{profile.id}»",
        )
    if not changed:
        return data
    return attrs.evolve(data, tables={**data.tables, **changed})


def _check_profile(profile: object) -> None:
    from pedprof.errors import ArgumentTypeError
    from pedprof.model.profile import Profile

    if not isinstance(profile, Profile):
        raise ArgumentTypeError(
            "Ожидается профиль pedprof.Profile (например, pedprof.get_profile(«karabash»)), "
            f"а передан объект типа {type(profile).__name__}",
            argument="profile",
            what=f"передан {type(profile).__name__}",
            expected="pedprof.Profile",
        )


def check_structure(profile: Profile, data: Dataset, indicators: Iterable[Indicator]) -> None:
    """Check that ``data`` has what ``indicators`` read, before anything is computed.

    Every table an indicator reads must be present; it and every other table with a
    ``period`` column must have ``period`` and its unit column (``org_id``, or
    ``municipality_id`` for municipal tables), and each indicator's table must have the
    columns its conditions, distinct-count and breakdown read (``org_kind`` comes from
    the register). Unit codes must be in the register.

    :raises pedprof.errors.MissingTableError: a table an indicator reads is absent.
    :raises pedprof.errors.MissingColumnError: a column is absent; all missing columns of
        the first such table are named, with the indicators that read them.
    :raises pedprof.errors.UnknownUnitError: a table names an organisation or municipality
        absent from the register.
    """
    from pedprof.errors import MissingColumnError, MissingTableError
    from pedprof.model.sources import SubmittedBy

    sources = {s.name: s for s in profile.sources}
    readers: dict[str, list[str]] = {}
    needs: dict[str, dict[str, list[str]]] = {}
    for ind in indicators:
        readers.setdefault(ind.table, []).append(ind.id)
        cols = needs.setdefault(ind.table, {})
        for c in sorted(ind.columns() - DERIVED_COLUMNS):
            cols.setdefault(c, []).append(ind.id)
    for name, ids in readers.items():
        if name not in data.tables:
            source = sources.get(name)
            raise MissingTableError(
                name, map(str, data.tables), title=source.title if source else "", needed_by=ids
            )
    for name, frame in data.tables.items():
        if name not in readers and ("period" not in frame.columns or frame.empty):
            continue  # not read by these indicators, not a (non-empty) submission table
        source = sources.get(name)
        wanted: dict[str, list[str]] = {"period": ["расчёт показателей"]}
        if "org_id" not in frame.columns:
            by_muni = "municipality_id" in frame.columns or (
                source is not None and source.submitted_by is not SubmittedBy.ORGANIZATION
            )
            unit = "municipality_id" if by_muni else "org_id"
            wanted[unit] = ["расчёт показателей"]
        for c, ids in needs.get(name, {}).items():
            wanted.setdefault(c, []).extend(ids)
        # an organisation's attribute from the register (e.g. «сельская школа») is joined
        # to a table with org_id by the engine when a condition reads it
        register = set(data.organizations.columns) if "org_id" in frame.columns else set()
        missing = [c for c in wanted if c not in frame.columns and c not in register]
        if missing:
            labels = {f.name: f.label for f in source.fields} if source else {}
            by: list[str] = []
            for c in missing:
                by += [i for i in wanted[c] if i not in by]
            raise MissingColumnError(
                name,
                missing,
                title=source.title if source else "",
                needed_by=by,
                labels=[labels.get(c, c) for c in missing],
            )
        _check_units(name, frame, data)


#: Columns an indicator may read that the engine derives rather than the table holding.
DERIVED_COLUMNS = frozenset({"org_kind"})


def _check_units(name: str, frame: pd.DataFrame, data: Dataset) -> None:
    from pedprof.errors import Location, UnknownUnitError

    column, register, key = (
        ("org_id", data.organizations, "org_id")
        if "org_id" in frame.columns
        else ("municipality_id", data.municipalities, "municipality_id")
    )
    values = frame[column]
    if isinstance(values, pd.DataFrame):
        return  # a repeated column: validate_dataset reports it
    if values.isin(register[key]).all():
        return
    bad = ~values.astype(str).isin(register[key].astype(str)) & values.notna()
    if bad.any():
        pos = int(np.flatnonzero(bad.to_numpy())[0])
        unknown = sorted(set(values[bad].astype(str)))
        shown = ", ".join(unknown[:10]) + (" …" if len(unknown) > 10 else "")
        noun = "организаций" if column == "org_id" else "муниципалитетов"
        raise UnknownUnitError(
            unknown[0],
            message=(
                f"Таблица «{name}», строка {pos + 1}, столбец «{column}»: коды, которых нет "
                f"в реестре {noun}: {shown}"
            ),
            where=Location(table=name, row=pos + 1, column=column),
            expected=f"код из реестра {noun}",
        )


def _validate_frame(
    source: Source, frame: pd.DataFrame, kind: PeriodKind, problems: list[Problem]
) -> pd.DataFrame:
    out: pd.DataFrame | None = None
    for f in source.fields:
        if f.name not in frame.columns:
            continue
        column = frame[f.name]
        if isinstance(column, pd.DataFrame):  # a repeated column name: which one is meant?
            _Reporter(source, f, "столбец один раз", problems).repeated()
            continue
        fixed = _validate_column(source, f, column, kind, problems)
        if fixed is not None:
            if out is None:
                out = frame.copy()
            out[f.name] = fixed
    return frame if out is None else out


def _declared(field: Field, s: pd.Series) -> bool:
    """Whether ``s`` already has ``field``'s declared dtype (numbers, booleans, dates)."""
    from pedprof.model.sources import FieldType

    dtype = s.dtype
    api = pd.api.types
    if field.type is FieldType.BOOLEAN:
        return bool(api.is_bool_dtype(dtype))
    if field.type is FieldType.INTEGER:
        return bool(api.is_integer_dtype(dtype)) and not api.is_bool_dtype(dtype)
    if field.type is FieldType.NUMBER:
        return bool(api.is_numeric_dtype(dtype)) and not api.is_bool_dtype(dtype)
    if field.type is FieldType.DATE:
        return bool(api.is_datetime64_any_dtype(dtype))
    return False


def _validate_column(
    source: Source, field: Field, s: pd.Series, kind: PeriodKind, problems: list[Problem]
) -> pd.Series | None:
    """Problems of one column appended to ``problems``; the coerced column, or ``None``."""
    from pedprof.model.sources import FieldType
    from pedprof.model.values import describe_expected, parser_for

    expected = describe_expected(field, kind)
    report = _Reporter(source, field, expected, problems)
    if _declared(field, s):
        missing = s.isna().to_numpy()
        if field.required and missing.any():
            report.required(np.flatnonzero(missing))
        if field.type in (FieldType.INTEGER, FieldType.NUMBER):
            values = s.to_numpy(dtype="float64", na_value=np.nan)
            for pos in np.flatnonzero(np.isinf(values)):
                report.value(int(pos), s.iloc[pos], "")
            for limit, beyond, reason in (
                (field.minimum, np.less, "значение меньше допустимого"),
                (field.maximum, np.greater, "значение больше допустимого"),
            ):
                if limit is None:
                    continue
                for pos in np.flatnonzero(beyond(values, limit)):
                    report.value(int(pos), s.iloc[pos], reason)
        return None
    parse = parser_for(field, kind)
    if field.type in (FieldType.STRING, FieldType.IDENTIFIER) and s.dtype != object:
        _check_text(parse, s, field.required, report)
        return None
    codes, distinct, changed = _parse_column(parse, s, field.required, report)
    if field.type in (FieldType.STRING, FieldType.IDENTIFIER) or (
        field.type in (FieldType.CHOICE, FieldType.PERIOD) and not changed
    ):
        return None
    parsed = np.empty(len(distinct), dtype=object)
    parsed[:] = distinct
    parsed = parsed[codes].tolist()
    if field.type is FieldType.BOOLEAN:
        return pd.Series(pd.array(parsed, dtype="boolean"), index=s.index, name=s.name)
    if field.type is FieldType.INTEGER:
        return pd.Series(pd.array(parsed, dtype="Int64"), index=s.index, name=s.name)
    if field.type is FieldType.NUMBER:
        return pd.Series(
            [np.nan if v is None else v for v in parsed],
            index=s.index,
            name=s.name,
            dtype="float64",
        )
    if field.type is FieldType.DATE:
        return pd.Series(
            pd.to_datetime([None if v is None else v.isoformat() for v in parsed]),
            index=s.index,
            name=s.name,
        )
    return pd.Series(parsed, index=s.index, name=s.name, dtype="string")


def _check_text(
    parse: Callable[[object], Any], s: pd.Series, required: bool, report: _Reporter
) -> None:
    """A text column of a text dtype: only its empty and over-long values can fail.

    Those are found vectorised and then read by the parser, which decides.
    """
    from pedprof.model.values import MAX_IDENTIFIER

    text = s if s.dtype == "string" else s.astype("string")
    length = text.str.len()
    # Empty, blank, or longer than the shorter of the limits (a code's): the parser decides.
    suspect = length.isna() | (length == 0) | (length > MAX_IDENTIFIER) | text.str.isspace()
    for pos in np.flatnonzero(suspect.fillna(True).to_numpy(dtype=bool)):
        value = s.iloc[pos]
        outcome = _parse_one(parse, None if pd.isna(value) else value)
        if isinstance(outcome, _Failure):
            report.value(int(pos), value, outcome.reason)
        elif outcome is None and required:
            report.required([int(pos)])


@attrs.frozen
class _Failure:
    reason: str


def _parse_one(parse: Callable[[object], Any], value: object) -> Any:
    from pedprof.model.values import CellProblem

    try:
        return parse(value)
    except CellProblem as exc:
        return _Failure(exc.reason)
    except (TypeError, ValueError):
        return _Failure("")


def _parse_column(
    parse: Callable[[object], Any], s: pd.Series, required: bool, report: _Reporter
) -> tuple[np.ndarray, list[Any], bool]:
    """``s`` parsed, problems reported: ``(codes, parsed distinct values, changed)``.

    Row ``i`` parses to ``distinct[codes[i]]`` (``None`` where empty or unreadable);
    ``changed`` says whether any non-empty value parsed to something else than itself.
    Each distinct value is parsed once. An ``object`` column is walked value by value
    (keyed by type, so that ``True`` and ``1`` stay apart); others are factorised.
    """
    outcomes: list[Any]
    codes: np.ndarray
    if s.dtype == object:
        seen: dict[tuple[type, object], int] = {}
        outcomes, originals, index = [], [], []
        for value in s.tolist():
            try:
                key: tuple[type, object] | None = (value.__class__, value)
                k = seen.get(key)  # type: ignore[arg-type]
            except TypeError:  # unhashable
                key, k = None, None
            if k is None:
                k = len(outcomes)
                outcomes.append(_parse_one(parse, value))
                originals.append(value)
                if key is not None:
                    seen[key] = k
            index.append(k)
        codes = np.asarray(index, dtype=np.int64)
    else:
        codes, uniques = pd.factorize(s, use_na_sentinel=True)
        originals = list(uniques)
        outcomes = [_parse_one(parse, u) for u in originals]
        if (codes < 0).any():
            codes = np.where(codes < 0, len(outcomes), codes)
            outcomes.append(None)
            originals.append(None)
    for k, outcome in enumerate(outcomes):
        if isinstance(outcome, _Failure):
            for pos in np.flatnonzero(codes == k):
                report.value(int(pos), originals[k], outcome.reason)
    if required:
        empty = [k for k, o in enumerate(outcomes) if o is None]
        if empty:
            report.required(np.flatnonzero(np.isin(codes, empty)))
    distinct = [None if isinstance(o, _Failure) else o for o in outcomes]
    changed = any(
        o is not None and not isinstance(o, _Failure) and (o.__class__ is not v.__class__ or o != v)
        for o, v in zip(outcomes, originals, strict=True)
    )
    return codes, distinct, changed


class _Reporter:
    """Turns a column's bad positions into :class:`pedprof.errors.Problem` s."""

    def __init__(self, source: Source, field: Field, expected: str, out: list[Problem]) -> None:
        self.source, self.field, self.expected, self.out = source, field, expected, out

    def _where(self, pos: int) -> tuple[Any, str]:
        from pedprof.errors import Location

        loc = Location(table=self.source.name, row=pos + 1, column=self.field.name)
        text = (
            f"Таблица «{self.source.name}» ({self.source.title}), строка {pos + 1}, столбец "
            f"«{self.field.label}» ({self.field.name})"
        )
        return loc, text

    def required(self, positions: Iterable[int]) -> None:
        from pedprof.errors import Problem

        for pos in positions:
            loc, text = self._where(int(pos))
            what = "не заполнено обязательное поле"
            self.out.append(
                Problem(
                    f"{text}: {what} (нужно: {self.expected}).",
                    what,
                    loc,
                    self.expected,
                    "",
                    "required",
                )
            )

    def repeated(self) -> None:
        from pedprof.errors import Location, Problem

        what = "столбец повторяется: неясно, какой из одноимённых столбцов читать"
        text = (
            f"Таблица «{self.source.name}» ({self.source.title}), столбец «{self.field.label}» "
            f"({self.field.name})"
        )
        self.out.append(
            Problem(
                f"{text}: {what}.",
                what,
                Location(table=self.source.name, column=self.field.name),
                self.expected,
                "",
                "duplicate_column",
            )
        )

    def value(self, pos: int, value: object, reason: str) -> None:
        from pedprof.errors import Problem
        from pedprof.model.values import display

        loc, text = self._where(pos)
        shown = "скрыто (персональные данные)" if self.field.personal else display(value)
        what = f"{reason + ': ' if reason else ''}указано «{shown}»"
        self.out.append(
            Problem(
                f"{text}: {what}, а нужно: {self.expected}.",
                what,
                loc,
                self.expected,
                shown,
                "value",
            )
        )


def _date_or_none(value: object) -> dt.date | None:
    if value is None or (not isinstance(value, str) and pd.isna(value)):
        return None
    return pd.Timestamp(value).date()


def _str_or_none(value: object) -> str | None:
    if value is None or (not isinstance(value, str) and pd.isna(value)):
        return None
    return str(value)


def activity_matrix(organizations: pd.DataFrame, periods: list[Period]) -> np.ndarray:
    """``[org, period]`` booleans: whether each organisation exists in each period."""
    n = len(organizations)
    starts = pd.to_datetime(organizations.get("valid_from", pd.Series([None] * n)))
    ends = pd.to_datetime(organizations.get("valid_to", pd.Series([None] * n)))
    out = np.ones((n, len(periods)), dtype=bool)
    for j, p in enumerate(periods):
        p_start, p_end = pd.Timestamp(p.start), pd.Timestamp(p.end)
        ok_start = starts.isna().to_numpy() | (starts <= p_end).to_numpy()
        ok_end = ends.isna().to_numpy() | (ends >= p_start).to_numpy()
        out[:, j] = ok_start & ok_end
    return out


def successor_codes(organizations: pd.DataFrame, active: np.ndarray) -> np.ndarray:
    """``[org, period]`` → the org code each organisation's data belong to in that period.

    An organisation that no longer exists in a period but named a successor maps to the
    successor (transitively) — that is how a merged school's history is restated under the
    school it merged into. Others map to themselves.
    """
    ids = organizations["org_id"].astype(str).tolist()
    code_of = {org: i for i, org in enumerate(ids)}
    succ_col = organizations.get("successor_id")
    succ = np.array(
        [
            code_of.get(str(s), -1) if s is not None and not pd.isna(s) else -1
            for s in (succ_col if succ_col is not None else [None] * len(ids))
        ],
        dtype=np.int64,
    )
    return resolve_successors(succ, active)


def resolve_successors(successor: np.ndarray, active: np.ndarray) -> np.ndarray:
    """Follow successor links (codes, −1 for none) to an organisation active in each period.

    :param successor: per organisation, the code of its successor or −1.
    :param active: ``[org, period]`` booleans.
    :returns: ``[org, period]`` codes.
    """
    n_orgs, n_periods = active.shape
    out = np.tile(np.arange(n_orgs)[:, None], (1, n_periods))
    for j in range(n_periods):
        # only closed organisations that named a successor move; there are few of them
        for i in np.flatnonzero(~active[:, j] & (successor >= 0)):
            target, hops = successor[i], 0
            while target >= 0 and not active[target, j] and hops < n_orgs:
                target, hops = successor[target], hops + 1
            if target >= 0 and active[target, j]:
                out[i, j] = target
    return out
