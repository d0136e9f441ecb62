"""pydantic validation of what plugins register (the plugin boundary).

The core's value objects are attrs classes; what a plugin hands to ``register`` is checked
here, once, with pydantic models that mirror their fields and add the rules a declaration
must satisfy (id syntax, non-empty Russian names, a numerator for shares …).
"""

from __future__ import annotations

import re
from typing import Any

import attrs
import pydantic
from pydantic import BaseModel, ConfigDict, field_validator, model_validator

from pedprof.model.conditions import Condition
from pedprof.model.indicators import Indicator, IndicatorKind
from pedprof.model.periods import Cumulative, PeriodKind, Reporting, Rolling
from pedprof.model.profile import ProfileInfo
from pedprof.model.sources import FieldType, Source
from pedprof.model.targets import Target

_ID = re.compile(r"^[a-z][a-z0-9_]*(\.[a-z0-9_]+)?$")
_CYRILLIC = re.compile(r"[А-Яа-яЁё]")


class _Base(BaseModel):
    model_config = ConfigDict(arbitrary_types_allowed=True, extra="ignore")


class _IndicatorModel(_Base):
    id: str
    name: str
    kind: IndicatorKind
    table: str = pydantic.Field(min_length=1)
    population: Condition
    numerator: Condition | None
    distinct: str = pydantic.Field(min_length=1)
    window: Reporting | Rolling | Cumulative
    minimum: float | None
    direction: int

    @field_validator("id")
    @classmethod
    def _id(cls, v: str) -> str:
        if not _ID.match(v):
            raise ValueError(
                "id must be lower-case latin letters, digits, '_' (e.g. k01, k01.annual)"
            )
        return v

    @field_validator("name")
    @classmethod
    def _name(cls, v: str) -> str:
        if len(v.strip()) < 3 or not _CYRILLIC.search(v):
            raise ValueError("name must be the indicator's Russian name as the order words it")
        return v

    @field_validator("direction")
    @classmethod
    def _direction(cls, v: int) -> int:
        if v not in (1, -1):
            raise ValueError("direction must be 1 (higher is better) or -1")
        return v

    @model_validator(mode="after")
    def _kind_fields(self) -> _IndicatorModel:
        if self.kind is IndicatorKind.SHARE and self.numerator is None:
            raise ValueError("a share needs a numerator condition")
        if self.kind is not IndicatorKind.SHARE and self.numerator is not None:
            raise ValueError(f"a {self.kind.value} has no numerator (use population)")
        if self.kind is IndicatorKind.PER_ORGANIZATION_MINIMUM and self.minimum is None:
            raise ValueError("a per-organisation minimum needs minimum=")
        return self


class _FieldModel(_Base):
    name: str
    label: str = pydantic.Field(min_length=1)
    type: FieldType
    choices: dict[str, str] | None
    minimum: float | None
    maximum: float | None

    @model_validator(mode="after")
    def _choices(self) -> _FieldModel:
        if self.type is FieldType.CHOICE and not self.choices:
            raise ValueError(f"column {self.name!r}: a choice column needs choices")
        if self.minimum is not None and self.maximum is not None and self.minimum > self.maximum:
            raise ValueError(f"column {self.name!r}: minimum above maximum")
        return self


class _SourceModel(_Base):
    name: str
    title: str = pydantic.Field(min_length=1)
    fields: list[_FieldModel] = pydantic.Field(min_length=1)
    key: tuple[str, ...]

    @model_validator(mode="after")
    def _key(self) -> _SourceModel:
        names = [f.name for f in self.fields]
        if len(set(names)) != len(names):
            raise ValueError("duplicate column names")
        missing = [k for k in self.key if k not in names]
        if missing:
            raise ValueError(f"key columns {missing} are not columns")
        return self


class _ProfileModel(_Base):
    id: str
    title: str = pydantic.Field(min_length=1)
    territory: str = pydantic.Field(min_length=1)
    period_kind: PeriodKind
    level: str
    cycle_scale: dict[str, float] | None = None

    @field_validator("cycle_scale")
    @classmethod
    def _cycle_scale(cls, v: dict[str, float] | None) -> dict[str, float] | None:
        if v is None:
            return v
        expected = {"approved", "named", "planned", "missing"}
        if set(v) != expected:
            raise ValueError(f"cycle_scale needs exactly the keys {sorted(expected)}")
        if any(x < 0 for x in v.values()):
            raise ValueError("cycle_scale points must be ≥ 0")
        return v

    @field_validator("id")
    @classmethod
    def _id(cls, v: str) -> str:
        if not re.match(r"^[a-z][a-z0-9_]*$", v):
            raise ValueError("profile id must be lower-case latin letters, digits and '_'")
        return v

    @field_validator("level")
    @classmethod
    def _level(cls, v: str) -> str:
        if v not in ("municipality", "region"):
            raise ValueError("level must be 'municipality' or 'region'")
        return v


def _fields(obj: Any, cls: type) -> dict[str, Any]:
    if not isinstance(obj, cls):
        raise pydantic.ValidationError.from_exception_data(
            cls.__name__,
            [
                {
                    "type": "is_instance_of",
                    "loc": ("item",),
                    "input": obj,
                    "ctx": {"class": cls.__name__},
                }
            ],
        )
    return {f.name: getattr(obj, f.name) for f in attrs.fields(cls)}


def check_indicator(obj: Any) -> None:
    """Validate an :class:`~pedprof.Indicator`; raises :class:`pydantic.ValidationError`."""
    _IndicatorModel.model_validate(_fields(obj, Indicator))


def check_source(obj: Any) -> None:
    """Validate a :class:`~pedprof.Source`."""
    data = _fields(obj, Source)
    data["fields"] = [attrs.asdict(f, recurse=False) for f in data["fields"]]
    _SourceModel.model_validate(data)


def check_profile(obj: Any) -> None:
    """Validate a :class:`~pedprof.ProfileInfo`."""
    _ProfileModel.model_validate(_fields(obj, ProfileInfo))


def check_target(obj: Any) -> None:
    """Validate a :class:`~pedprof.Target` (must be a concrete target)."""
    if not isinstance(obj, Target) or type(obj) is Target:
        raise pydantic.ValidationError.from_exception_data(
            "Target",
            [
                {
                    "type": "is_instance_of",
                    "loc": ("target",),
                    "input": obj,
                    "ctx": {"class": "Target"},
                }
            ],
        )
