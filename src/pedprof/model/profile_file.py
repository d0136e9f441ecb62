"""A profile as one declaration file (YAML), without programming.

A municipal methodologist writes the profile as data: the approving documents, the
criteria and indicators (verbatim names, kind, source table, population and numerator
conditions in the syntax of :mod:`pedprof.model.expressions`, distinct key, window, levels),
the targets with their documents, the sources and their fields, the monitoring campaign
with its stages and deadlines, the planned effects, the monitoring activities, the cycle
documents and the roadmap. pydantic validates the file (:class:`ProfileFile`, whose JSON
Schema ``pedprof profile-schema`` prints); :func:`load_profile_file` turns it into the
core's declarations (:class:`FileProfile`), reporting **every** problem of the file at once,
each with its file, line, column and place.

What a file cannot say yet (a Python plugin adds it through the same hooks, see the guide):
recommendation rules, sample data built by a program, custom targets.
"""

from __future__ import annotations

import calendar
import datetime as dt
import functools
import re
from collections.abc import Iterator, Mapping, Sequence
from pathlib import Path
from typing import Annotated, Any, Literal

import attrs
import pydantic
import yaml
from pydantic import BaseModel, ConfigDict, Field

from pedprof.model.conditions import Condition, always
from pedprof.model.data import ORGANIZATION_KIND_LABELS
from pedprof.model.expressions import Columns, ConditionError, parse_condition
from pedprof.model.indicators import Indicator, IndicatorKind, Level
from pedprof.model.mechanism import (
    ActivityType,
    CycleComponent,
    Deadline,
    Document,
    Mechanism,
    MonitoringActivity,
    MonitoringCampaign,
    PlannedEffect,
    Roadmap,
    RoadmapRow,
    RoadmapSection,
    Stage,
)
from pedprof.model.periods import Cumulative, PeriodKind, Reporting, Rolling, Window, parse_period
from pedprof.model.profile import ProfileInfo
from pedprof.model.sources import Field as SourceField
from pedprof.model.sources import FieldType, Source, SubmittedBy
from pedprof.model.targets import (
    AllOf,
    AtLeast,
    CountComposition,
    CumulativeSchedule,
    Exactly,
    PerOrganizationAtLeast,
    PositiveDynamics,
    Stable,
    Target,
    YearlyTargets,
    YearTarget,
)

__all__ = [
    "FORMAT_VERSION",
    "FileProblem",
    "FileProfile",
    "ProfileFile",
    "ProfileFileError",
    "load_profile_file",
    "parse_profile_text",
    "profile_schema",
]

#: The version of the file format a file declares in ``pedprof:``.
FORMAT_VERSION = 1

#: The register's column every organisation table has in conditions.
ORG_KIND_FIELD = SourceField(
    "org_kind",
    "Тип организации",
    FieldType.CHOICE,
    "Тип организации по реестру (добавляется к каждой таблице с кодом организации)",
    choices=ORGANIZATION_KIND_LABELS,
)


class _Model(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


Text = Annotated[str, Field(min_length=1)]
Id = Annotated[str, Field(pattern=r"^[a-z][a-z0-9_.]*$")]


# --------------------------------------------------------------------------- documents


class DocumentDecl(_Model):
    """An approving document or a document of the management cycle."""

    type: Text = Field(description="«приказ», «положение», «ИАС», «письмо» …")
    title: Text = Field(description="Название документа, дословно")
    number: str | None = None
    date: dt.date | None = None
    issuer: str | None = None
    components: list[CycleComponent] = Field(
        default_factory=list, description="Компоненты управленческого цикла, которые он задаёт"
    )
    reference: str | None = None
    indicators: list[str] = Field(default_factory=list)
    criteria: list[str] = Field(default_factory=list)
    status: Literal["approved", "named", "planned"] | None = None
    id: str | None = Field(
        default=None, description="Код документа в реестре управленческого цикла (не ключ)"
    )


class CriterionDecl(_Model):
    """A criterion (критерий результативности)."""

    id: Id
    name: Text


class MechanismDecl(_Model):
    """Раздел I: the goal, tasks and justification."""

    title: Text
    goal: Text
    tasks: list[Text] = Field(default_factory=list)
    justification: list[str] = Field(
        default_factory=list, description="Документы-основания: id из documents или текст"
    )


class StageDecl(_Model):
    """A stage of the monitoring campaign."""

    number: int
    label: Text
    content: Text


class DeadlineDecl(_Model):
    """A yearly deadline (day and month)."""

    id: Id
    what: Text
    month: int | None = Field(default=None, ge=1, le=12)
    day: int | None = Field(default=None, ge=1, le=31)
    text: str = ""
    responsible: str = ""
    offset_years: int = 0
    recipient: str = ""


class CampaignDecl(_Model):
    """The yearly monitoring campaign."""

    title: Text
    frequency: str = "annual"
    goal: str = ""
    description: str = ""
    stages: list[StageDecl] = Field(default_factory=list)
    deadlines: list[DeadlineDecl] = Field(default_factory=list)


class ProfileDecl(_Model):
    """The header of the profile."""

    id: Annotated[str, Field(pattern=r"^[a-z][a-z0-9_]*$")]
    title: Text
    territory: Text
    region: str = ""
    period_kind: PeriodKind = PeriodKind.SCHOOL_YEAR
    level: Literal["municipality", "region"] = "municipality"
    description: str = ""
    approved_by: str | None = Field(default=None, description="id документа из documents")


# --------------------------------------------------------------------------- sources


class FieldDecl(_Model):
    """A column of a source table."""

    name: Annotated[str, Field(pattern=r"^[A-Za-z_][A-Za-z0-9_]*$")]
    label: Text = Field(description="Подпись столбца в форме, по-русски")
    type: FieldType = FieldType.STRING
    description: str = ""
    required: bool = True
    choices: dict[str, str] | None = Field(default=None, description="код → подпись")
    minimum: int | float | None = None
    maximum: int | float | None = None
    personal: bool = False
    not_above: str | None = Field(default=None, description="Столбец, который нельзя превышать")
    period_dates: Literal["within", "not_after"] | None = None
    normalize: bool | None = Field(
        default=None, description="Сравнивать значения без учёта регистра и пробелов"
    )
    percent: bool = False
    aliases: list[str] = Field(
        default_factory=list, description="Слова, которыми столбец называют в условиях"
    )


class SourceDecl(_Model):
    """A source table and the form it is collected with."""

    name: Annotated[str, Field(pattern=r"^[a-z][a-z0-9_]*$")]
    title: Text
    short_title: str = ""
    submitted_by: SubmittedBy = SubmittedBy.ORGANIZATION
    key: list[str] = Field(default_factory=list)
    description: str = ""
    origin: str = Field(default="", description="Источник данных, дословно")
    fields: list[FieldDecl]


# --------------------------------------------------------------------------- indicators


class WindowDecl(_Model):
    """The numerator's look-back: the last N periods or since a period."""

    rolling: int | None = Field(default=None, ge=1, description="за N последних периодов")
    since: str | None = Field(default=None, description="нарастающим итогом с периода")


class IndicatorDecl(_Model):
    """An indicator (показатель)."""

    id: Id
    name: Text = Field(description="Наименование, дословно по приказу")
    kind: IndicatorKind
    table: Text
    population: str = Field(default="", description="Условие знаменателя; пусто — все записи")
    numerator: str | None = Field(default=None, description="Условие числителя (доля)")
    distinct: str = "person_id"
    window: WindowDecl | None = None
    minimum: int | float | None = None
    split_by: str | None = None
    criterion: str | None = None
    levels: list[Level] | None = Field(default=None, description="Уровни, где он применяется")
    document: str | None = Field(default=None, description="Утверждающий документ (id или текст)")
    numerator_text: str = ""
    denominator_text: str = ""
    collection_method: str | None = None
    processing_method: str | None = None
    source_text: str | None = None
    direction: Literal[1, -1] = 1
    reading_of: str | None = None
    short_name: str | None = None
    decisions: list[str] = Field(default_factory=list)
    notes: list[str] = Field(default_factory=list)


YearValue = Annotated[
    float | str, Field(description="число (не менее) или «> N» / «более N» (строго больше)")
]


class TargetDecl(_Model):
    """A target (целевое значение) of one indicator."""

    indicator: str = Field(default="", description="Код показателя (у частей all_of — нет)")
    kind: Literal[
        "at_least",
        "exactly",
        "yearly",
        "positive_dynamics",
        "stable",
        "every_org",
        "cumulative_schedule",
        "count_composition",
        "all_of",
    ]
    text: str = Field(default="", description="Формулировка приказа, дословно")
    document: str = Field(default="", description="id документа из documents или текст")
    levels: list[Level] | None = None
    total_only: bool = False
    value: int | float | None = None
    by_year: int | None = None
    strict: bool = False
    years: dict[int, YearValue] | None = None
    onwards: YearValue | None = Field(default=None, description="«далее»")
    min_relative: float | None = None
    min_points: float | None = None
    tolerance: float = 0.0
    since: str | None = None
    baseline: str | None = None
    step: int | float | None = Field(default=None, description="cumulative_schedule: шаг за период")
    start: str | None = Field(default=None, description="cumulative_schedule: первый период")
    cap: int | float | None = Field(default=None, description="cumulative_schedule: предел")
    minimums: dict[str, int | float] | None = Field(
        default=None, description="count_composition: минимум по каждому виду"
    )
    labels: dict[str, str] | None = Field(
        default=None, description="count_composition: названия видов"
    )
    parts: list[TargetDecl] | None = Field(default=None, description="all_of: все условия")


class ActivityDecl(_Model):
    """A monitoring activity (Раздел III)."""

    id: Id
    name: Text
    type: ActivityType = ActivityType.INVARIANT
    number: int | None = None
    period_text: str = ""
    months: list[Annotated[int, Field(ge=1, le=12)]] = Field(default_factory=list)
    frequency: str = "annual"
    responsible: str = ""
    output_document: str = ""
    indicators: list[str] = Field(default_factory=list)
    notes: list[str] = Field(default_factory=list)


class EffectDecl(_Model):
    """A planned management effect (Раздел IV)."""

    id: Id
    indicators: list[str]
    strong_state: str = ""
    positive_dynamics: str = ""
    criterion: str | None = None
    number: int | None = None


class RoadmapRowDecl(_Model):
    number: str
    event: Text
    deadline_text: str = ""
    responsible: str = ""
    co_executors: str = ""
    expected_result: str = ""
    notes: str = ""


class RoadmapSectionDecl(_Model):
    number: str
    title: str | None = None
    rows: list[RoadmapRowDecl]


class RoadmapDecl(_Model):
    """A roadmap (дорожная карта)."""

    title: Text
    sections: list[RoadmapSectionDecl]


class ProfileFile(_Model):
    """A profile declaration file (``pedprof: 1``)."""

    model_config = ConfigDict(
        extra="forbid",
        frozen=True,
        title="Профиль pedprof",
        json_schema_extra={"$id": "https://pedprof/profile-file.schema.json"},
    )

    pedprof: Literal[1] = Field(description="Версия формата файла")
    profile: ProfileDecl
    documents: dict[Id, DocumentDecl] = Field(default_factory=dict)
    mechanism: MechanismDecl | None = None
    criteria: list[CriterionDecl] = Field(default_factory=list)
    campaign: CampaignDecl | None = None
    sources: list[SourceDecl] = Field(default_factory=list)
    indicators: list[IndicatorDecl] = Field(default_factory=list)
    targets: list[TargetDecl] = Field(default_factory=list)
    monitoring_activities: list[ActivityDecl] = Field(default_factory=list)
    planned_effects: list[EffectDecl] = Field(default_factory=list)
    roadmaps: list[RoadmapDecl] = Field(default_factory=list)
    cycle_documents: list[str] = Field(
        default_factory=list, description="id документов управленческого цикла"
    )
    rating_scale: dict[str, float] | None = None
    cycle_scale: dict[str, float] | None = None
    sample: str | None = Field(
        default=None, description="Папка с демонстрационными данными (CSV), рядом с файлом"
    )
    indicator_defaults: dict[str, Any] = Field(
        default_factory=dict,
        description=(
            "Поля, общие для всех показателей (например, criterion, collection_method); "
            "показатель может задать своё значение"
        ),
    )

    @pydantic.model_validator(mode="before")
    @classmethod
    def _apply_indicator_defaults(cls, data: Any) -> Any:
        if not isinstance(data, dict):
            return data
        defaults = data.get("indicator_defaults")
        indicators = data.get("indicators")
        if isinstance(defaults, dict) and isinstance(indicators, list):
            data = {
                **data,
                "indicators": [
                    {**defaults, **ind} if isinstance(ind, dict) else ind for ind in indicators
                ],
            }
        return data


#: What an editor shows for each part of the file: in Russian, for the methodologist.
_SCHEMA_WORDS = {
    "ActivityDecl": "Мониторинговое мероприятие (Раздел III)",
    "ActivityType": "Вид мероприятия: invariant — инвариантное, variative — вариативное",
    "CampaignDecl": "Ежегодный мониторинг: периодичность, этапы, сроки",
    "CriterionDecl": "Критерий результативности",
    "CycleComponent": "Компонент управленческого цикла",
    "DeadlineDecl": "Ежегодный срок (день и месяц)",
    "DocumentDecl": "Документ: приказ, положение, ИАС …",
    "EffectDecl": "Планируемый управленческий эффект (Раздел IV)",
    "FieldDecl": "Столбец таблицы данных",
    "FieldType": "Тип столбца",
    "IndicatorDecl": "Показатель: наименование дословно по приказу и формула",
    "IndicatorKind": (
        "Вид показателя: share — доля, count — количество, presence — наличие, "
        "per_organization_minimum — не менее N в каждой ОО"
    ),
    "Level": "Уровень: organization — организация, municipality — муниципалитет, region — регион",
    "MechanismDecl": "Раздел I: цель, задачи, основания",
    "PeriodKind": "Отчётный период: school_year — учебный год, year — год, quarter — квартал",
    "ProfileDecl": "Заголовок профиля: код, название, территория",
    "RoadmapDecl": "Дорожная карта",
    "RoadmapRowDecl": "Мероприятие дорожной карты",
    "RoadmapSectionDecl": "Раздел дорожной карты",
    "SourceDecl": "Таблица данных и форма её сбора",
    "StageDecl": "Этап мониторинга",
    "SubmittedBy": "Кто заполняет таблицу",
    "TargetDecl": "Целевое значение показателя",
    "WindowDecl": "Период назад: rolling — за N периодов, since — нарастающим итогом с периода",
}


def profile_schema() -> dict[str, Any]:
    """The JSON Schema of profile files (``pedprof profile-schema``), described in Russian."""
    schema = ProfileFile.model_json_schema()
    schema["description"] = "Профиль pedprof: механизм муниципалитета одним файлом"
    for name, words in _SCHEMA_WORDS.items():
        if name in schema.get("$defs", {}):
            schema["$defs"][name]["description"] = words
    return schema


# --------------------------------------------------------------------------- problems


@attrs.frozen
class FileProblem:
    """One problem of a profile file.

    :param file: the file.
    :param line: 1-based line (0: unknown).
    :param column: 1-based column (0: unknown).
    :param place: where in the declaration (``indicators[2].population``).
    :param message: what is wrong, in Russian.
    """

    file: str
    line: int
    column: int
    place: str
    message: str

    def __str__(self) -> str:
        where = f"{self.file}:{self.line}:{self.column}" if self.line else self.file
        return f"{where}: {self.place}: {self.message}"


class ProfileFileError(ValueError):
    """Every problem of a profile file, reported together."""

    def __init__(self, problems: Sequence[FileProblem]) -> None:
        self.problems = tuple(problems)
        super().__init__("\n".join(str(p) for p in self.problems))


# --------------------------------------------------------------------------- the result


@attrs.frozen(kw_only=True)
class FileProfile:
    """What a profile file declares, as the core's objects, ready to register.

    :param path: the file.
    :param sample_dir: the folder of the bundled sample (None: none declared).
    """

    path: Path
    info: ProfileInfo
    sources: tuple[Source, ...]
    indicators: tuple[Indicator, ...]
    targets: Mapping[str, Target]
    documents: tuple[Document, ...]
    monitoring_activities: tuple[MonitoringActivity, ...]
    planned_effects: tuple[PlannedEffect, ...]
    roadmaps: tuple[Roadmap, ...]
    sample_dir: Path | None = None

    @property
    def id(self) -> str:
        """The profile id."""
        return self.info.id


# --------------------------------------------------------------------------- positions


def _positions(
    node: yaml.Node, path: tuple[Any, ...] = ()
) -> Iterator[tuple[tuple[Any, ...], yaml.Node]]:
    yield path, node
    if isinstance(node, yaml.MappingNode):
        for key, value in node.value:
            name: Any = key.value
            if isinstance(key, yaml.ScalarNode) and key.tag.endswith(":int"):
                name = int(key.value)
            yield from _positions(value, (*path, name))
    elif isinstance(node, yaml.SequenceNode):
        for i, item in enumerate(node.value):
            yield from _positions(item, (*path, i))


class _Places:
    """Where each value of the file is (line, column), by its path in the data."""

    def __init__(self, file: str, root: yaml.Node | None, text: str = "") -> None:
        self.file = file
        self.lines = text.splitlines()
        self.nodes: dict[tuple[str, ...], yaml.Node] = {}
        if root is not None:
            for path, node in _positions(root):
                self.nodes[tuple(str(p) for p in path)] = node
        self.problems: list[FileProblem] = []

    def node(self, path: Sequence[Any]) -> yaml.Node | None:
        key = tuple(str(p) for p in path)
        while key:
            if key in self.nodes:
                return self.nodes[key]
            key = key[:-1]
        return self.nodes.get(())

    def add(self, path: Sequence[Any], message: str, line: int = 0, column: int = 0) -> None:
        """Record a problem at ``path``; ``line`` and ``column`` (1-based, 0: none) point
        inside the value's text (a condition's parse error)."""
        node = self.node(path)
        ln = col = 0
        if node is not None:
            ln, col = node.start_mark.line + 1, node.start_mark.column + 1
            if line and isinstance(node, yaml.ScalarNode):
                if node.style in ("|", ">"):
                    # the text starts on the line after the indicator; its indentation is
                    # that of the block's first line
                    first = self.lines[ln] if ln < len(self.lines) else ""
                    ln, col = ln + line, len(first) - len(first.lstrip()) + column
                elif line == 1:
                    col = col + column - 1 + (1 if node.style in ("'", '"') else 0)
                else:
                    ln, col = ln + line - 1, column
        self.problems.append(FileProblem(self.file, ln, col, _place(path), message))


def _place(path: Sequence[Any]) -> str:
    out = ""
    for p in path:
        out += f"[{p}]" if isinstance(p, int) else (f".{p}" if out else str(p))
    return out or "файл"


_PYDANTIC_WORDS = {
    "missing": "обязательное поле не заполнено",
    "extra_forbidden": "неизвестное поле",
    "literal_error": "недопустимое значение",
    "enum": "недопустимое значение",
    "string_pattern_mismatch": "недопустимое имя (латиница, цифры и «_», с буквы)",
    "string_too_short": "пустое значение",
    "date_from_datetime_parsing": "неверная дата",
    "date_parsing": "неверная дата",
    "less_than_equal": "слишком большое значение",
    "greater_than_equal": "слишком маленькое значение",
    "int_parsing": "нужно целое число",
    "float_parsing": "нужно число",
    "bool_parsing": "нужно «да» или «нет» (true / false)",
}


def _pydantic_message(err: Any) -> str:
    word = _PYDANTIC_WORDS.get(err["type"])
    if word is None:
        return str(err["msg"])
    if err["type"] in ("literal_error", "enum"):
        expected = err.get("ctx", {}).get("expected", "")
        return f"{word}; возможны: {expected}" if expected else word
    if err["type"] == "date_from_datetime_parsing" or err["type"] == "date_parsing":
        return f"{word}: {err.get('input')!r}"
    return word


def _loc(loc: Sequence[Any]) -> list[Any]:
    # drop pydantic's union branch names ("float", "str") from the place
    return [p for p in loc if not (isinstance(p, str) and p in ("float", "str", "int"))]


# --------------------------------------------------------------------------- building


def parse_profile_text(text: str, file: str = "<профиль>", base: Path | None = None) -> FileProfile:
    """Read a profile declaration from YAML text.

    :param text: the YAML.
    :param file: the file name used in problems.
    :param base: the folder that relative paths (``sample``) are relative to.
    :raises ProfileFileError: with every problem of the file.
    """
    loader_class = getattr(yaml, "CSafeLoader", yaml.SafeLoader)
    try:
        # one parse gives both the positions (nodes) and the data built from them
        loader = loader_class(text)
        try:
            root = loader.get_single_node()
            data = None if root is None else loader.construct_document(root)
        finally:
            loader.dispose()
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        line, column = (mark.line + 1, mark.column + 1) if mark is not None else (0, 0)
        raise ProfileFileError(
            [FileProblem(file, line, column, "файл", f"ошибка YAML: {exc.problem or exc}")]
        ) from None
    places = _Places(file, root, text)
    if not isinstance(data, dict):
        places.add((), "файл профиля должен быть словарём (ключи pedprof, profile, …)")
        raise ProfileFileError(places.problems)
    try:
        model = ProfileFile.model_validate(data)
    except pydantic.ValidationError as exc:
        for err in exc.errors():
            places.add(_loc(err["loc"]), _pydantic_message(err))
        raise ProfileFileError(places.problems) from None
    built = _Builder(model, places, base).build()
    if places.problems:
        raise ProfileFileError(places.problems)
    assert built is not None
    return built


def load_profile_file(path: str | Path) -> FileProfile:
    """Read a profile declaration file.

    A file read before and unchanged since (same size and modification time) is not parsed
    again: the result is immutable.

    :raises ProfileFileError: with every problem of the file, each naming its place.
    """
    p = Path(path)
    try:
        stat = p.stat()
    except OSError as exc:
        raise ProfileFileError([FileProblem(str(p), 0, 0, "файл", f"не читается: {exc}")]) from None
    return _load_cached(str(p), stat.st_mtime_ns, stat.st_size)


@functools.lru_cache(maxsize=64)
def _load_cached(path: str, mtime_ns: int, size: int) -> FileProfile:
    p = Path(path)
    try:
        text = p.read_text("utf-8")
    except (OSError, UnicodeDecodeError) as exc:
        raise ProfileFileError([FileProblem(str(p), 0, 0, "файл", f"не читается: {exc}")]) from None
    return parse_profile_text(text, str(p), p.parent)


_STRICT = re.compile(r"^\s*(>|более|больше)\s*(-?\d+(?:[.,]\d+)?)\s*%?\s*$", re.IGNORECASE)
_INCLUSIVE = re.compile(r"^\s*(>=|≥|не\s+менее)?\s*(-?\d+(?:[.,]\d+)?)\s*%?\s*$", re.IGNORECASE)


def _year_value(raw: float | str) -> YearTarget:
    if isinstance(raw, int | float):
        return YearTarget(float(raw))
    strict = _STRICT.match(raw)
    if strict:
        return YearTarget(float(strict.group(2).replace(",", ".")), inclusive=False)
    inclusive = _INCLUSIVE.match(raw)
    if inclusive:
        return YearTarget(float(inclusive.group(2).replace(",", ".")))
    raise ValueError(f"значение «{raw}» не читается: число, «> N» или «более N»")


@attrs.define
class _Builder:
    model: ProfileFile
    places: _Places
    base: Path | None

    def document(self, key: str) -> Document | None:
        decl = self.model.documents.get(key)
        if decl is None:
            return None
        return Document(
            type=decl.type,
            title=decl.title,
            number=decl.number,
            date=decl.date,
            issuer=decl.issuer,
            components=tuple(decl.components),
            reference=decl.reference,
            id=decl.id,
            indicators=tuple(decl.indicators),
            criteria=tuple(decl.criteria),
            status=decl.status,
        )

    def citation(self, ref: str) -> str:
        """A document id → its citation; any other text as written."""
        doc = self.document(ref)
        return doc.citation() if doc is not None else ref

    def period(self, label: str, path: Sequence[Any]) -> Any:
        try:
            return parse_period(label, self.model.profile.period_kind)
        except ValueError as exc:
            self.places.add(path, f"период «{label}» не читается: {exc}")
            return None

    def build(self) -> FileProfile | None:
        m = self.model
        add = self.places.add
        docs = {key: self.document(key) for key in m.documents}
        approved = None
        if m.profile.approved_by is not None:
            approved = docs.get(m.profile.approved_by)
            if approved is None:
                add(
                    ("profile", "approved_by"),
                    f"нет документа «{m.profile.approved_by}» в documents",
                )
        mechanism = None
        if m.mechanism is not None:
            justification = []
            for ref in m.mechanism.justification:
                doc = docs.get(ref)
                justification.append(
                    doc if doc is not None else Document(type="основание", title=ref)
                )
            mechanism = Mechanism(
                title=m.mechanism.title,
                goal=m.mechanism.goal,
                tasks=tuple(m.mechanism.tasks),
                justification=tuple(justification),
                criteria=tuple((c.id, c.name) for c in m.criteria),
                approved_by=approved,
            )
        campaign = self.campaign()
        info = ProfileInfo(
            id=m.profile.id,
            title=m.profile.title,
            territory=m.profile.territory,
            region=m.profile.region,
            period_kind=m.profile.period_kind,
            approved_by=approved,
            mechanism=mechanism,
            campaign=campaign,
            level=m.profile.level,
            description=m.profile.description,
            rating_scale=m.rating_scale,
            cycle_scale=m.cycle_scale,
        )
        sources = self.sources()
        indicators = self.indicators(
            {s.name: (s, d) for s, d in zip(sources, m.sources, strict=True)}
        )
        criteria = {c.id for c in m.criteria}
        for i, ind in enumerate(m.indicators):
            if ind.criterion is not None and criteria and ind.criterion not in criteria:
                add(("indicators", i, "criterion"), f"нет критерия «{ind.criterion}» в criteria")
            if ind.reading_of is not None and ind.reading_of not in {x.id for x in m.indicators}:
                add(("indicators", i, "reading_of"), f"нет показателя «{ind.reading_of}»")
        targets = self.targets({x.id for x in m.indicators})
        activities = []
        for i, a in enumerate(m.monitoring_activities):
            self.known_indicators(a.indicators, ("monitoring_activities", i, "indicators"))
            activities.append(
                MonitoringActivity(**{**a.model_dump(), "indicators": tuple(a.indicators)})
            )
        effects = []
        for i, e in enumerate(m.planned_effects):
            self.known_indicators(e.indicators, ("planned_effects", i, "indicators"))
            effects.append(PlannedEffect(**e.model_dump()))
        roadmaps = [
            Roadmap(
                title=r.title,
                sections=tuple(
                    RoadmapSection(
                        number=s.number,
                        title=s.title,
                        rows=tuple(RoadmapRow(**row.model_dump()) for row in s.rows),
                    )
                    for s in r.sections
                ),
            )
            for r in m.roadmaps
        ]
        # the profile's documents: those of the management cycle in their declared order,
        # the approving order (if not among them), then the documents the mechanism rests on
        cycle_docs: list[Document] = []
        for j, cref in enumerate(m.cycle_documents):
            doc = docs.get(cref)
            if doc is None:
                add(("cycle_documents", j), f"нет документа «{cref}» в documents")
            elif doc not in cycle_docs:
                cycle_docs.append(doc)
        if approved is not None and approved not in cycle_docs:
            cycle_docs.append(approved)
        if mechanism is not None:
            cycle_docs += [d for d in mechanism.justification if d not in cycle_docs]
        sample_dir = None
        if m.sample is not None:
            sample_dir = (self.base or Path(".")) / m.sample
            if not sample_dir.is_dir():
                add(("sample",), f"нет папки {sample_dir}")
        if self.places.problems:
            return None
        return FileProfile(
            path=Path(self.places.file),
            info=info,
            sources=tuple(sources),
            indicators=tuple(indicators),
            targets=targets,
            documents=tuple(cycle_docs),
            monitoring_activities=tuple(activities),
            planned_effects=tuple(effects),
            roadmaps=tuple(roadmaps),
            sample_dir=sample_dir,
        )

    def known_indicators(self, refs: Sequence[str], path: tuple[Any, ...]) -> None:
        known = {x.id for x in self.model.indicators}
        for j, ref in enumerate(refs):
            if ref not in known:
                self.places.add((*path, j), f"нет показателя «{ref}»")

    def campaign(self) -> MonitoringCampaign | None:
        c = self.model.campaign
        if c is None:
            return None
        for i, d in enumerate(c.deadlines):
            if d.month is not None and d.day is not None:
                # a leap year, so that 29 February is a date and 31 February is not
                last = calendar.monthrange(2024, d.month)[1]
                if d.day > last:
                    self.places.add(
                        ("campaign", "deadlines", i, "day"),
                        f"нет даты {d.day}.{d.month:02d}: в этом месяце {last} дн.",
                    )
        return MonitoringCampaign(
            title=c.title,
            frequency=c.frequency,
            goal=c.goal,
            description=c.description,
            stages=tuple(Stage(s.number, s.label, s.content) for s in c.stages),
            deadlines=tuple(Deadline(**d.model_dump()) for d in c.deadlines),
        )

    def sources(self) -> list[Source]:
        out = []
        for i, s in enumerate(self.model.sources):
            names = [f.name for f in s.fields]
            for j, k in enumerate(s.key):
                if k not in names:
                    self.places.add(("sources", i, "key", j), f"ключ «{k}» не является столбцом")
            for j, f in enumerate(s.fields):
                if f.type is FieldType.CHOICE and not f.choices:
                    self.places.add(("sources", i, "fields", j, "choices"), "у выбора нет значений")
                if f.not_above is not None and f.not_above not in names:
                    self.places.add(
                        ("sources", i, "fields", j, "not_above"), f"нет столбца «{f.not_above}»"
                    )
            try:
                fields = tuple(
                    SourceField(
                        f.name,
                        f.label,
                        f.type,
                        f.description,
                        required=f.required,
                        choices=f.choices,
                        minimum=f.minimum,
                        maximum=f.maximum,
                        personal=f.personal,
                        not_above=f.not_above,
                        period_dates=f.period_dates,
                        normalize=f.normalize,
                        percent=f.percent,
                    )
                    for f in s.fields
                )
            except (ValueError, TypeError) as exc:
                self.places.add(("sources", i, "fields"), str(exc))
                continue
            out.append(
                Source(
                    name=s.name,
                    title=s.title,
                    short_title=s.short_title,
                    submitted_by=s.submitted_by,
                    key=tuple(s.key),
                    description=s.description,
                    origin=s.origin,
                    fields=fields,
                )
            )
        return out

    def condition(self, text: str, columns: Columns, path: tuple[Any, ...]) -> Condition | None:
        try:
            return parse_condition(text, columns)
        except ConditionError as exc:
            self.places.add(path, exc.message, exc.line, exc.column)
            return None

    def indicators(self, sources: Mapping[str, tuple[Source, SourceDecl]]) -> list[Indicator]:
        out = []
        seen: set[str] = set()
        for i, d in enumerate(self.model.indicators):
            here = ("indicators", i)
            if d.id in seen:
                self.places.add((*here, "id"), f"показатель «{d.id}» объявлен дважды")
            seen.add(d.id)
            found = sources.get(d.table)
            if found is None:
                known = ", ".join(sorted(sources)) or "нет"
                self.places.add(
                    (*here, "table"), f"нет таблицы «{d.table}» в sources (есть: {known})"
                )
                continue
            source, decl = found
            extra = (ORG_KIND_FIELD,) if "org_id" in source.column_names else ()
            aliases = {a: f.name for f in decl.fields for a in f.aliases}
            columns = Columns.of(
                source, aliases=aliases, extra=extra, period_kind=self.model.profile.period_kind
            )
            population = (
                self.condition(d.population, columns, (*here, "population"))
                if d.population.strip()
                else always()
            )
            numerator = None
            if d.numerator is not None:
                numerator = self.condition(d.numerator, columns, (*here, "numerator"))
            for attr in ("distinct", "split_by"):
                value = getattr(d, attr)
                if value is not None and value not in columns.fields:
                    self.places.add((*here, attr), f"нет столбца «{value}» в таблице {d.table}")
            window: Window = Reporting()
            if d.window is not None:
                if d.window.rolling is not None:
                    window = Rolling(d.window.rolling)
                elif d.window.since is not None:
                    since = self.period(d.window.since, (*here, "window", "since"))
                    if since is not None:
                        window = Cumulative(since)
            if population is None or (d.numerator is not None and numerator is None):
                continue
            try:
                out.append(
                    Indicator(
                        id=d.id,
                        name=d.name,
                        kind=d.kind,
                        table=d.table,
                        population=population,
                        numerator=numerator,
                        distinct=d.distinct,
                        window=window,
                        minimum=d.minimum,
                        split_by=d.split_by,
                        criterion=d.criterion,
                        numerator_text=d.numerator_text,
                        denominator_text=d.denominator_text,
                        collection_method=d.collection_method,
                        processing_method=d.processing_method,
                        source_text=d.source_text,
                        direction=d.direction,
                        reading_of=d.reading_of,
                        short_name=d.short_name,
                        decisions=tuple(d.decisions),
                        notes=tuple(d.notes),
                        levels=None if d.levels is None else tuple(lv.value for lv in d.levels),
                        document=None if d.document is None else self.citation(d.document),
                    )
                )
            except (ValueError, TypeError) as exc:
                self.places.add(here, str(exc))
            if d.kind is IndicatorKind.SHARE and d.numerator is None:
                self.places.add(here, "у доли должно быть условие числителя (numerator)")
            if d.kind is IndicatorKind.PER_ORGANIZATION_MINIMUM and d.minimum is None:
                self.places.add(here, "нужен минимум в каждой организации (minimum)")
        return out

    def targets(self, indicators: set[str]) -> dict[str, Target]:
        out: dict[str, Target] = {}
        for i, t in enumerate(self.model.targets):
            here = ("targets", i)
            if t.indicator not in indicators:
                missing = f"нет показателя «{t.indicator}»" if t.indicator else "не указан"
                self.places.add((*here, "indicator"), missing)
                continue
            if t.indicator in out:
                self.places.add(
                    (*here, "indicator"), f"второе целевое значение для «{t.indicator}»"
                )
                continue
            target = self.target(t, here)
            if target is not None:
                out[t.indicator] = target
        return out

    def target(self, t: TargetDecl, here: tuple[Any, ...]) -> Target | None:
        common: dict[str, Any] = {
            "text": t.text,
            "document": self.citation(t.document) if t.document else "",
            "levels": None if t.levels is None else tuple(lv.value for lv in t.levels),
            "total_only": t.total_only,
        }

        def need(name: str) -> Any:
            value = getattr(t, name)
            if value is None:
                self.places.add(here, f"для вида «{t.kind}» нужно поле {name}")
            return value

        if t.kind in ("at_least", "exactly", "every_org"):
            value = need("value")
            if value is None:
                return None
            if t.kind == "at_least":
                return AtLeast(value=value, by_year=t.by_year, inclusive=not t.strict, **common)
            if t.kind == "exactly":
                return Exactly(value=value, by_year=t.by_year, **common)
            return PerOrganizationAtLeast(value=value, by_year=t.by_year, **common)
        if t.kind == "yearly":
            years = need("years")
            if years is None:
                return None
            parsed: dict[int, YearTarget] = {}
            for year, raw in years.items():
                try:
                    parsed[year] = _year_value(raw)
                except ValueError as exc:
                    self.places.add((*here, "years", year), str(exc))
            onwards = None
            if t.onwards is not None:
                try:
                    onwards = _year_value(t.onwards)
                except ValueError as exc:
                    self.places.add((*here, "onwards"), str(exc))
            if not parsed:
                return None
            return YearlyTargets(years=parsed, onwards=onwards, **common)
        if t.kind == "positive_dynamics":
            baseline = None
            if t.baseline is not None:
                baseline = self.period(t.baseline, (*here, "baseline"))
            return PositiveDynamics(
                min_relative=t.min_relative,
                min_points=t.min_points,
                by_year=t.by_year,
                baseline=baseline,
                **common,
            )
        if t.kind == "cumulative_schedule":
            step, start, cap = need("step"), need("start"), need("cap")
            period = None if start is None else self.period(start, (*here, "start"))
            if step is None or cap is None or period is None:
                return None
            return CumulativeSchedule(
                step=step, start_ordinal=period.ordinal, cap=cap, inclusive=not t.strict, **common
            )
        if t.kind == "count_composition":
            total, minimums = need("value"), need("minimums")
            if total is None or minimums is None:
                return None
            return CountComposition(
                total=total, minimums=minimums, labels=t.labels, by_year=t.by_year, **common
            )
        if t.kind == "all_of":
            parts = need("parts")
            if not parts:
                return None
            built = [self.target(p, (*here, "parts", j)) for j, p in enumerate(parts)]
            if any(b is None for b in built):
                return None
            return AllOf(parts=tuple(b for b in built if b is not None), **common)
        since = None if t.since is None else self.period(t.since, (*here, "since"))
        return Stable(tolerance=t.tolerance, by_year=t.by_year, since=since, **common)
