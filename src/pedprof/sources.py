"""Data sources: the tables organisations and the municipal service submit.

A :class:`Source` declares one table — its columns with Russian labels, types, allowed
values and ranges, who fills it and by when. Everything that reads data (forms, CSV,
DataFrames) validates against these declarations, and the docs and form instructions are
generated from them.
"""

from __future__ import annotations

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
