"""Data sources: the tables organisations and the municipal service submit.

A :class:`Source` declares one table — its columns with Russian labels, types, allowed
values and ranges, who fills it and by when. Everything that reads data (forms, CSV,
DataFrames) validates against these declarations, and the docs and form instructions are
generated from them.
"""

from __future__ import annotations

import textwrap
from collections.abc import Iterable, Mapping
from enum import StrEnum

import attrs
import pandas as pd

__all__ = [
    "Field",
    "FieldType",
    "Source",
    "StaffCategory",
    "SubmittedBy",
    "coerce_frame",
    "normalize_text",
    "staff_fields",
]


class FieldType(StrEnum):
    """The type of a column."""

    STRING = "string"
    IDENTIFIER = "identifier"  # read as text even when it looks like a number
    INTEGER = "integer"
    NUMBER = "number"
    BOOLEAN = "boolean"
    DATE = "date"
    CHOICE = "choice"
    PERIOD = "period"


class SubmittedBy(StrEnum):
    """Who fills a table."""

    ORGANIZATION = "organization"
    MUNICIPALITY = "municipality"
    REGION = "region"


def _fields(value: Iterable[Field]) -> tuple[Field, ...]:
    return tuple(value)


def _names(value: Iterable[str]) -> tuple[str, ...]:
    return tuple(value)


def _freeze_choices(value: Mapping[str, str] | None) -> Mapping[str, str] | None:
    return None if value is None else dict(value)


@attrs.frozen
class Field:
    """One column of a source table.

    :param name: the column name in data (English, snake case).
    :param label: the Russian column header shown in forms and reports.
    :param type: the column type.
    :param description: what to enter, in Russian, for the person filling the form.
    :param required: whether an empty cell rejects the row.
    :param choices: allowed codes → Russian labels (for :attr:`FieldType.CHOICE`).
    :param minimum: smallest allowed number (inclusive).
    :param maximum: largest allowed number (inclusive).
    :param personal: the column identifies a person (pseudonymous id); never printed.
    :param not_above: the name of another numeric column of the same table that this one
        must never exceed (a numerator and its denominator; experience and age).
    :param period_dates: for a date column of a table with periods: ``"within"`` — the
        date falls inside the row's period; ``"not_after"`` — not later than its end.
    :param normalize: whether values that identify a thing (a direction, an event, an
        association) are compared after :func:`normalize_text` when an indicator counts
        distinct values of this column: «Функциональная грамотность» and
        «функциональная  грамотность» are then one direction. Applied at count time
        only: the stored values, forms and reports keep the text as written. ``None``
        (the default) means on for :attr:`FieldType.STRING` (free text typed by people)
        and off for everything else: an :attr:`FieldType.IDENTIFIER` may be a
        case-sensitive pseudonymous code (``person_id``) or a register code matched
        exactly, so a profile switches it on explicitly for identifiers people type (an
        event's order number, an association's code). Only text columns
        (:attr:`FieldType.STRING`, :attr:`FieldType.IDENTIFIER`, :attr:`FieldType.CHOICE`)
        may set it.
    :param percent: a :attr:`FieldType.NUMBER` (or :attr:`FieldType.INTEGER`) column
        holding a percentage, 0–100: a workbook cell formatted as a percentage is read as
        the number it displays (0.45 shown as «45 %» is 45).
    """

    name: str
    label: str
    type: FieldType = FieldType.STRING
    description: str = ""
    required: bool = True
    choices: Mapping[str, str] | None = attrs.field(default=None, converter=_freeze_choices)
    minimum: float | None = None
    maximum: float | None = None
    personal: bool = False
    not_above: str | None = None
    period_dates: str | None = attrs.field(
        default=None, validator=attrs.validators.in_((None, "within", "not_after"))
    )
    normalize: bool | None = None
    percent: bool = False

    def __repr__(self) -> str:
        label = textwrap.shorten(self.label, 80, placeholder="…")
        flags = "".join(
            f", {word}"
            for word, on in (("required", self.required), ("personal", self.personal))
            if on
        )
        return f"<Field {self.name}: {self.type.value} «{label}»{flags}>"

    def __attrs_post_init__(self) -> None:
        if self.normalize and self.type not in _TEXT_TYPES:
            raise ValueError(
                f"field {self.name!r}: normalize applies to text columns, not {self.type.value}"
            )

    @property
    def normalizes(self) -> bool:
        """Whether distinct values of this column are counted after :func:`normalize_text`."""
        if self.normalize is None:
            return self.type is FieldType.STRING
        return self.normalize


_TEXT_TYPES = (FieldType.STRING, FieldType.IDENTIFIER, FieldType.CHOICE)

# Quotes of every kind become a space (so «Успех», "Успех" and Успех agree, and so do
# Школа«Успех» and Школа «Успех»); dashes become a hyphen-minus; invisible characters go.
_QUOTES = "\"'«»“”„‟‘’‚‛‹›`"
_DASHES = "\u2010\u2011\u2012\u2013\u2014\u2015\u2212\ufe58\ufe63"
_INVISIBLE = "\u00ad\u200b\u200c\u200d\u2060\ufeff"
_TRANSLATE = str.maketrans(
    {
        **dict.fromkeys(_QUOTES, " "),
        **dict.fromkeys(_DASHES, "-"),
        **dict.fromkeys(_INVISIBLE, None),
    }
)


def normalize_text(values: pd.Series) -> pd.Series:
    """Text keys in one form, so that spelling variants of one thing compare equal.

    Unicode compatibility forms are folded (NFKC: a non-breaking space is a space), letter
    case is folded, «ё» becomes «е», quotes of every kind become spaces, dashes (– — ‑ …)
    become ``-``, invisible characters (soft hyphen, zero-width space, BOM) are removed,
    and runs of whitespace become one space with none at the ends. Vectorised pandas
    string methods; apply it to the distinct values of a column, not to every row.

    :param values: text (or anything; non-text values are converted with ``str``).
    :returns: the normalised text as the ``string`` dtype; missing values stay missing.
    """
    text = values.astype("string")
    text = text.str.normalize("NFKC").str.casefold().str.replace("ё", "е", regex=False)
    text = text.str.translate(_TRANSLATE)
    return text.str.replace(r"\s+", " ", regex=True).str.strip()


@attrs.frozen
class Source:
    """A table of submitted data.

    :param name: the table's id (``staff``, ``events`` …); indicators refer to it.
    :param title: the Russian title («Сведения о педагогических работниках»).
    :param fields: the columns.
    :param submitted_by: who fills it.
    :param key: columns that identify a row; two rows with the same key are duplicates.
    :param description: instructions in Russian.
    :param origin: the collection method / data source as the order words it.
    :param short_title: the sheet name in forms (Excel allows 31 characters); derived
        from ``title`` when empty.
    """

    name: str
    title: str
    fields: tuple[Field, ...] = attrs.field(converter=_fields)
    submitted_by: SubmittedBy = SubmittedBy.ORGANIZATION
    key: tuple[str, ...] = attrs.field(default=(), converter=_names)
    description: str = ""
    origin: str = ""
    short_title: str = ""

    def __repr__(self) -> str:
        title = textwrap.shorten(self.short_title or self.title, 80, placeholder="…")
        return (
            f"<Source {self.name} «{title}»: {len(self.fields)} fields,"
            f" submitted by {self.submitted_by.value}>"
        )

    def field(self, name: str) -> Field:
        """The field called ``name``."""
        for f in self.fields:
            if f.name == name:
                return f
        raise KeyError(f"table {self.name!r} has no column {name!r}")

    @property
    def column_names(self) -> tuple[str, ...]:
        """The names of all columns, in order."""
        return tuple(f.name for f in self.fields)

    def column_label(self, column: str) -> str:
        """The Russian label of ``column`` (the column name if unknown)."""
        try:
            return self.field(column).label
        except KeyError:
            return column

    def value_label(self, column: str, value: object) -> str:
        """The Russian label of ``value`` in ``column``."""
        try:
            choices = self.field(column).choices
        except KeyError:
            return str(value)
        if choices and isinstance(value, str) and value in choices:
            return choices[value]
        if isinstance(value, bool):
            return "да" if value else "нет"
        return str(value)


_BOOL_TEXT = {"true": True, "false": False, "1": True, "0": False, "да": True, "нет": False}


def coerce_frame(source: Source, frame: pd.DataFrame) -> pd.DataFrame:
    """Give the declared columns of already-clean data their declared dtypes.

    Booleans become ``boolean``, integers ``Int64``, numbers ``float64``, dates
    ``datetime64``, everything else ``string``. This does not validate: values that do not
    convert raise. Use :mod:`pedprof.io` to read and validate submitted files.
    """
    out = frame.copy()
    for f in source.fields:
        if f.name not in out.columns:
            continue
        s = out[f.name]
        if f.type is FieldType.BOOLEAN:
            if s.dtype != bool:
                s = s.map(lambda v: _BOOL_TEXT[str(v).strip().lower()] if pd.notna(v) else pd.NA)
            out[f.name] = s.astype("boolean")
        elif f.type is FieldType.INTEGER:
            out[f.name] = pd.to_numeric(s).astype("Int64")
        elif f.type is FieldType.NUMBER:
            out[f.name] = pd.to_numeric(s).astype("float64")
        elif f.type is FieldType.DATE:
            out[f.name] = pd.to_datetime(s)
        else:
            out[f.name] = s.astype("string")
    return out


class StaffCategory(StrEnum):
    """The category of a staff member (педагогический / руководящий работник).

    Managers (руководящие работники) are the head and the deputy heads of an organisation.
    """

    TEACHER = "teacher"
    MANAGER = "manager"

    @property
    def label(self) -> str:
        """The Russian name."""
        return STAFF_CATEGORY_LABELS[self.value]


STAFF_CATEGORY_LABELS = {"teacher": "педагогический работник", "manager": "руководящий работник"}


def staff_fields(period_label: str = "Отчётный период") -> tuple[Field, ...]:
    """The columns every staff table starts with: period, organisation, pseudonymous person
    code (stable across years, never a name or SNILS) and category.

    A person may have rows in several organisations of one period (part-time posts); the
    engine counts them once at every level above the organisation.
    """
    return (
        Field("period", period_label, FieldType.PERIOD),
        Field("org_id", "Код организации", FieldType.IDENTIFIER, "Код ОО по реестру"),
        Field(
            "person_id",
            "Код работника (обезличенный)",
            FieldType.IDENTIFIER,
            "Обезличенный код работника, постоянный из года в год (не СНИЛС и не ФИО)",
            personal=True,
        ),
        Field(
            "category",
            "Категория",
            FieldType.CHOICE,
            "Педагогический или руководящий работник (руководитель, заместитель руководителя)",
            choices=STAFF_CATEGORY_LABELS,
        ),
    )
