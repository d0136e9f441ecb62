"""JSON Schema of a profile's tables, for platforms that send data instead of forms.

``pedprof schema --profile karabash`` prints it. One schema document (draft 2020-12)
describes a submission as an object of tables, each an array of row objects; every table
is also under ``$defs`` by name. Codes, not Russian labels, are the values of choice
columns (the labels are under ``x-labels``); dates are ISO ``YYYY-MM-DD``; an optional
column may be absent or ``null``. ``x-pedprof-*`` keys carry what JSON Schema cannot say:
the table's key, who submits it, cross-field rules, percent columns (``x-pedprof-percent``:
a number of percent, 0–100, not a fraction) and the form fingerprint.
"""

from __future__ import annotations

from typing import Any

from pedprof.io._tables import FORMAT_VERSION, fingerprint, profile_sources
from pedprof.model.periods import PeriodKind
from pedprof.model.profile import Profile
from pedprof.model.sources import Field, FieldType, Source

__all__ = ["PERIOD_PATTERNS", "json_schema", "table_schema"]

PERIOD_PATTERNS = {
    PeriodKind.SCHOOL_YEAR: r"^\d{4}-\d{4}$",
    PeriodKind.YEAR: r"^\d{4}$",
    PeriodKind.QUARTER: r"^\d{4}Q[1-4]$",
}


def _field_schema(field: Field, kind: PeriodKind) -> dict[str, Any]:
    base: dict[str, Any]
    if field.type is FieldType.INTEGER:
        base = {"type": "integer"}
    elif field.type is FieldType.NUMBER:
        base = {"type": "number"}
    elif field.type is FieldType.BOOLEAN:
        base = {"type": "boolean"}
    elif field.type is FieldType.DATE:
        base = {"type": "string", "format": "date"}
    elif field.type is FieldType.PERIOD:
        base = {"type": "string", "pattern": PERIOD_PATTERNS[kind]}
    elif field.type is FieldType.CHOICE:
        codes = list((field.choices or {}).keys())
        base = {"type": "string", "enum": codes, "x-labels": dict(field.choices or {})}
    elif field.type is FieldType.IDENTIFIER:
        base = {"type": "string", "minLength": 1, "maxLength": 100}
    else:
        base = {"type": "string", "maxLength": 2000}
    if field.type in (FieldType.INTEGER, FieldType.NUMBER):
        if field.minimum is not None:
            base["minimum"] = field.minimum
        if field.maximum is not None:
            base["maximum"] = field.maximum
    out: dict[str, Any] = {"title": field.label}
    if field.description:
        out["description"] = field.description
    if not field.required:
        base["type"] = [base["type"], "null"]
        if "enum" in base:
            base["enum"] = [*base["enum"], None]
    out.update(base)
    if field.personal:
        out["x-pedprof-personal"] = True
    if field.percent:
        out["x-pedprof-percent"] = True
    if field.not_above:
        out["x-pedprof-not-above"] = field.not_above
    if field.period_dates:
        out["x-pedprof-period-dates"] = field.period_dates
    return out


def table_schema(source: Source, kind: PeriodKind) -> dict[str, Any]:
    """The JSON Schema of one row of ``source``."""
    return {
        "title": source.title,
        "description": source.description or source.title,
        "type": "object",
        "properties": {f.name: _field_schema(f, kind) for f in source.fields},
        "required": [f.name for f in source.fields if f.required],
        "additionalProperties": True,
        "x-pedprof-table": source.name,
        "x-pedprof-key": list(source.key),
        "x-pedprof-submitted-by": source.submitted_by.value,
        "x-pedprof-fingerprint": fingerprint(source),
        **({"x-pedprof-origin": source.origin} if source.origin else {}),
    }


def json_schema(profile: Profile, table: str | None = None) -> dict[str, Any]:
    """The JSON Schema of ``profile``'s tables (or of the one ``table``).

    :raises KeyError: ``table`` is not a table of the profile.
    """
    kind = profile.info.period_kind
    sources = profile_sources(profile)
    if table is not None:
        chosen = [s for s in sources if s.name == table]
        if not chosen:
            known = ", ".join(s.name for s in sources)
            raise KeyError(f"В профиле «{profile.id}» нет таблицы «{table}»; есть: {known}")
        schema = table_schema(chosen[0], kind)
        return {"$schema": "https://json-schema.org/draft/2020-12/schema", **schema}
    defs = {s.name: table_schema(s, kind) for s in sources}
    return {
        "$schema": "https://json-schema.org/draft/2020-12/schema",
        "$id": f"urn:pedprof:{profile.id}:{profile.version}",
        "title": f"{profile.title} — {profile.info.territory}: таблицы данных",
        "description": (
            "Представление сведений: объект, в котором каждая таблица — массив строк. "
            f"Профиль {profile.id} ({profile.distribution} {profile.version})."
        ),
        "type": "object",
        "properties": {
            s.name: {"type": "array", "items": {"$ref": f"#/$defs/{s.name}"}} for s in sources
        },
        "additionalProperties": False,
        "x-pedprof-profile": profile.id,
        "x-pedprof-version": profile.version,
        "x-pedprof-format-version": FORMAT_VERSION,
        "x-pedprof-period-kind": kind.value,
        "$defs": defs,
    }
