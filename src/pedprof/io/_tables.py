"""Which tables go into which form, and how a table is named, keyed and fingerprinted."""

from __future__ import annotations

import hashlib
import json
import re
from collections.abc import Sequence
from enum import StrEnum

from pedprof.model.periods import PeriodKind
from pedprof.model.profile import Profile
from pedprof.model.sources import Field, FieldType, Source, SubmittedBy

__all__ = [
    "FORMAT_VERSION",
    "MUNICIPALITIES",
    "REFERENCE_TABLES",
    "REGIONS",
    "FormKind",
    "context_fields",
    "covers_organizations",
    "fingerprint",
    "form_sources",
    "period_label_word",
    "profile_sources",
    "sheet_names",
    "unit_column",
]

FORMAT_VERSION = "1"
"""The layout version of the workbooks pedprof writes (instructions, metadata, sheets)."""

MUNICIPALITIES = Source(
    name="municipalities",
    title="Муниципалитеты",
    submitted_by=SubmittedBy.REGION,
    key=("municipality_id",),
    description="Муниципалитеты (городские округа, муниципальные районы) и регион, к которому они относятся.",
    fields=(
        Field("municipality_id", "Код муниципалитета", FieldType.IDENTIFIER),
        Field("name", "Наименование муниципалитета", FieldType.STRING),
        Field("region_id", "Код региона", FieldType.IDENTIFIER),
    ),
)

REGIONS = Source(
    name="regions",
    title="Регионы",
    submitted_by=SubmittedBy.REGION,
    key=("region_id",),
    description="Регионы (субъекты Российской Федерации).",
    fields=(
        Field("region_id", "Код региона", FieldType.IDENTIFIER),
        Field("name", "Наименование региона", FieldType.STRING),
    ),
)

REFERENCE_TABLES = ("organizations", "municipalities", "regions")
"""The tables that make up the hierarchy rather than data for a period."""


class FormKind(StrEnum):
    """Who a form is for."""

    ORGANIZATION = "organization"
    MUNICIPALITY = "municipality"
    REGISTER = "register"

    @property
    def label(self) -> str:
        """The Russian name of the form."""
        return _KIND_LABELS[self]


_KIND_LABELS = {
    FormKind.ORGANIZATION: "форма образовательной организации",
    FormKind.MUNICIPALITY: "форма муниципальной методической службы",
    FormKind.REGISTER: "реестр организаций",
}


def profile_sources(profile: Profile) -> tuple[Source, ...]:
    """The profile's tables plus the hierarchy tables it does not declare itself."""
    names = {s.name for s in profile.sources}
    extra = tuple(s for s in (MUNICIPALITIES, REGIONS) if s.name not in names)
    return tuple(profile.sources) + extra


def _has(source: Source, name: str) -> bool:
    return name in source.column_names


def form_sources(profile: Profile, kind: FormKind) -> tuple[Source, ...]:
    """The tables a form of ``kind`` contains, in the profile's order."""
    out = []
    for s in profile_sources(profile):
        reference = s.name in REFERENCE_TABLES or not _has(s, "period")
        if kind is FormKind.REGISTER:
            if reference:
                out.append(s)
        elif reference:
            continue
        elif (kind is FormKind.ORGANIZATION and s.submitted_by is SubmittedBy.ORGANIZATION) or (
            kind is FormKind.MUNICIPALITY and s.submitted_by is SubmittedBy.MUNICIPALITY
        ):
            out.append(s)
    return tuple(out)


_UNIT_COLUMNS: dict[int, tuple[Source, str | None]] = {}


def unit_column(source: Source) -> str | None:
    """The column naming the unit that submits a row (``org_id``, ``municipality_id``)."""
    cached = _UNIT_COLUMNS.get(id(source))
    if cached is not None and cached[0] is source:
        return cached[1]
    result = _unit_column(source)
    _UNIT_COLUMNS[id(source)] = (source, result)
    return result


def _unit_column(source: Source) -> str | None:
    if source.name in REFERENCE_TABLES:
        return None
    if source.submitted_by is SubmittedBy.ORGANIZATION:
        if _has(source, "org_id"):
            return "org_id"
        return "municipality_id" if _has(source, "municipality_id") else None
    # A municipal (regional) table names its municipality, or else lists rows of the
    # municipality's organisations (an association's host school): then the unit that
    # submits it is not a column of the row.
    return "municipality_id" if _has(source, "municipality_id") else None


def covers_organizations(source: Source) -> bool:
    """A municipal table whose rows name organisations, not the municipality.

    Submitting it reports for every organisation of the municipality: an organisation
    without rows has none to report (a zero), not missing data.
    """
    return (
        source.name not in REFERENCE_TABLES
        and source.submitted_by is not SubmittedBy.ORGANIZATION
        and unit_column(source) is None
        and _has(source, "org_id")
        and _has(source, "period")
    )


def context_fields(source: Source) -> tuple[str, ...]:
    """Columns a form fills from its header (period and unit) rather than per row."""
    if source.name in REFERENCE_TABLES:
        return ()
    out = []
    if _has(source, "period"):
        out.append("period")
    unit = unit_column(source)
    if unit is not None:
        out.append(unit)
    return tuple(out)


def fingerprint(source: Source) -> str:
    """A short hash of what a form's sheet depends on: columns, types, allowed values.

    A form whose fingerprint differs from the profile's current one is stale.
    """
    spec = [
        source.name,
        [
            [
                f.name,
                f.label,
                f.type.value,
                f.required,
                sorted((f.choices or {}).items()),
                f.minimum,
                f.maximum,
            ]
            for f in source.fields
        ],
    ]
    text = json.dumps(spec, ensure_ascii=False, sort_keys=True, default=str)
    return hashlib.sha256(text.encode("utf-8")).hexdigest()[:12]


_BAD_SHEET_CHARS = re.compile(r"[\[\]:*?/\\]")
_TRAILING_WORDS = {"и", "о", "об", "по", "в", "во", "с", "со", "для", "на", "к", "из", "от"}


def _short(title: str) -> str:
    text = re.sub(r"\s*\([^)]*\)", "", title)
    text = _BAD_SHEET_CHARS.sub(" ", text).strip().strip("'")
    if len(text) <= 31:
        return text
    words: list[str] = []
    for word in text.split():
        if len(" ".join([*words, word])) > 31:
            break
        words.append(word)
    while len(words) > 1 and words[-1].lower() in _TRAILING_WORDS:
        words.pop()
    return " ".join(words) or text[:31]


def sheet_names(sources: Sequence[Source]) -> dict[str, str]:
    """Table name → a unique Excel sheet name (≤ 31 characters) for each table."""
    out: dict[str, str] = {}
    used: set[str] = set()
    for s in sources:
        base = _short(s.short_title or s.title) or s.name
        name = base[:31]
        n = 2
        while name.lower() in used:
            suffix = f" ({n})"
            name = base[: 31 - len(suffix)] + suffix
            n += 1
        used.add(name.lower())
        out[s.name] = name
    return out


def period_label_word(kind: PeriodKind) -> str:
    """«Учебный год», «Год» or «Квартал»."""
    return {
        PeriodKind.SCHOOL_YEAR: "Учебный год",
        PeriodKind.YEAR: "Год",
        PeriodKind.QUARTER: "Квартал",
    }[kind]
