"""The management cycle (управленческий цикл): documents, completeness, chains.

The evaluation of a municipal quality-management mechanism checks that its management
cycle is closed: for each of the nine components — goals, indicators, methods of
collection and processing, monitoring, analysis, targeted recommendations, measures,
management decisions, analysis of effectiveness — there is an approved document, and the
documents link up.

* :class:`DocumentRegistry` — the mechanism's documents: those a profile registers
  (``pedprof_register_documents``) and those read from a workbook or CSV file
  (:func:`load_documents`), each with its type, number, date, issuer, title, the cycle
  components it serves, the indicators or criteria it concerns and a link or file.
* :func:`assess_completeness` — per component: a document with its requisites, a
  document named without requisites, only a draft or planned document, or nothing; full
  or incomplete cycle; the score on the profile's scale
  (:attr:`pedprof.ProfileInfo.cycle_scale`, default 1 point per component with a
  document); the gaps in plain Russian.
* :func:`cycle_chains` — per criterion: indicator → monitoring activity → analytical
  report → recommendation → measure → decision → effectiveness analysis, each link with
  its documents and what the mechanism declares for it, missing links visible; rendered
  by :func:`chain_mermaid`, :func:`chain_dot` and :func:`chain_svg`.
"""

from __future__ import annotations

import datetime as dt
import io
import re
import textwrap
from collections.abc import Iterable, Iterator, Mapping, Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any, Final

import attrs
import pandas as pd

from pedprof.model.mechanism import CycleComponent, Document

if TYPE_CHECKING:
    from pedprof.model.profile import Profile

__all__ = [
    "CHAIN_COLUMNS",
    "CHAIN_LINKS",
    "COMPONENT_GROUPS",
    "DEFAULT_CYCLE_SCALE",
    "DOCUMENT_HEADERS",
    "DOCUMENT_STATUSES",
    "EVIDENCE_STATES",
    "LINK_STATES",
    "Completeness",
    "DocumentRegistry",
    "RegisteredDocument",
    "assess_completeness",
    "chain_dot",
    "chain_mermaid",
    "chain_png",
    "chain_svg",
    "chain_verdict",
    "cycle_chains",
    "document_registry",
    "load_documents",
    "profile_documents",
]

C = CycleComponent

#: The three groups of documents (Magnitogorsk's presentation; the same sequence as the
#: sections of Karabash's roadmap): id, Russian title, components.
COMPONENT_GROUPS: Final[tuple[tuple[str, str, tuple[CycleComponent, ...]], ...]] = (
    ("conceptual", "Концептуальные документы", (C.GOALS, C.INDICATORS, C.METHODS)),
    (
        "procedural",
        "Процессуальные документы",
        (C.MONITORING, C.ANALYSIS, C.TARGETED_RECOMMENDATIONS),
    ),
    (
        "management",
        "Управленческие документы",
        (C.MEASURES, C.MANAGEMENT_DECISIONS, C.EFFECTIVENESS_ANALYSIS),
    ),
)
_GROUP_OF = {c: title for _, title, comps in COMPONENT_GROUPS for c in comps}

#: Document statuses → Russian labels.
DOCUMENT_STATUSES: Final[Mapping[str, str]] = {
    "in_force": "действует",
    "draft": "проект",
    "planned": "планируется",
}
_STATUS_WORDS: Final[Mapping[str, str]] = {
    "": "in_force",
    "действует": "in_force",
    "утвержден": "in_force",
    "утверждён": "in_force",
    "in_force": "in_force",
    "проект": "draft",
    "draft": "draft",
    "планируется": "planned",
    "в перспективе": "planned",
    "planned": "planned",
}

#: Evidence states of a component → Russian labels.
EVIDENCE_STATES: Final[Mapping[str, str]] = {
    "approved": "есть документ с реквизитами",
    "named": "документ указан без реквизитов",
    "planned": "только проект или планируемый документ",
    "missing": "нет документа",
}
#: Points per evidence state when the profile declares no scale: 0/1 per component.
DEFAULT_CYCLE_SCALE: Final[Mapping[str, float]] = {
    "approved": 1.0,
    "named": 1.0,
    "planned": 0.0,
    "missing": 0.0,
}
_PRESENT = ("approved", "named")

#: What document each component needs, for the gaps.
_NEEDS: Final[Mapping[CycleComponent, str]] = {
    C.GOALS: "положение или приказ, утверждающий цели и задачи механизма (раздел I)",
    C.INDICATORS: "документ, утверждающий показатели (раздел II механизма)",
    C.METHODS: "документ, утверждающий методы сбора и обработки информации (раздел II)",
    C.MONITORING: "приказ о проведении мониторинга или перечень мониторинговых мероприятий "
    "с указанием сроков (раздел III)",
    C.ANALYSIS: "информационно-аналитическая справка по итогам мониторинга",
    C.TARGETED_RECOMMENDATIONS: "адресные рекомендации по итогам анализа (письмо, "
    "методические рекомендации, резолюция)",
    C.MEASURES: "приказ или план мероприятий, принятых по итогам анализа",
    C.MANAGEMENT_DECISIONS: "управленческое решение (приказ, протокол совещания или "
    "педагогического совета)",
    C.EFFECTIVENESS_ANALYSIS: "анализ эффективности принятых мер (справка, протокол, "
    "самообследование)",
}

#: Column → Russian header of a document registry workbook.
DOCUMENT_HEADERS: Final[Mapping[str, str]] = {
    "id": "Код",
    "type": "Вид документа",
    "number": "Номер",
    "date": "Дата",
    "issuer": "Кем издан",
    "title": "Наименование",
    "components": "Компоненты управленческого цикла",
    "indicators": "Показатели",
    "criteria": "Критерии",
    "reference": "Ссылка или файл",
    "status": "Статус",
    "origin": "Источник сведений",
}
_HEADER_ALIASES: Final[Mapping[str, str]] = {
    **{v.lower(): k for k, v in DOCUMENT_HEADERS.items()},
    **{k: k for k in DOCUMENT_HEADERS},
    "вид": "type",
    "тип": "type",
    "тип документа": "type",
    "№": "number",
    "номер документа": "number",
    "дата документа": "date",
    "издатель": "issuer",
    "название": "title",
    "заголовок": "title",
    "компоненты": "components",
    "компонент": "components",
    "компонент управленческого цикла": "components",
    "ссылка": "reference",
    "файл": "reference",
    "критерий": "criteria",
    "показатель": "indicators",
}
_SPLIT = re.compile(r"[,;\n]+")


def _strs(value: Iterable[str]) -> tuple[str, ...]:
    return tuple(value)


# --------------------------------------------------------------------------- the registry


@attrs.frozen
class RegisteredDocument:
    """A document of the registry with what it concerns.

    :param id: the code in the registry.
    :param document: the document (type, title, number, date, issuer, components, link).
    :param indicators: the indicators it concerns (empty: the whole mechanism).
    :param criteria: the criteria it concerns (empty: the whole mechanism).
    :param status: ``in_force``, ``draft`` or ``planned``.
    :param origin: where it was registered (a profile distribution, a file and row).
    :param note: a remark in Russian (how its components were determined …).
    """

    id: str
    document: Document
    indicators: tuple[str, ...] = attrs.field(default=(), converter=_strs)
    criteria: tuple[str, ...] = attrs.field(default=(), converter=_strs)
    status: str = "in_force"
    origin: str = ""
    note: str = ""

    @property
    def components(self) -> tuple[CycleComponent, ...]:
        """The management-cycle components it serves."""
        return self.document.components

    @property
    def has_requisites(self) -> bool:
        """Whether it can be checked: a number, a date or a link."""
        d = self.document
        return bool(d.number or d.date or d.reference)

    @property
    def general(self) -> bool:
        """Whether it concerns the whole mechanism rather than named indicators/criteria."""
        return not self.indicators and not self.criteria

    def label(self, width: int = 0) -> str:
        """A short label: type and title (shortened to ``width`` characters if given)."""
        kind = self.document.type
        title = self.document.title or kind
        text = (
            title
            if title.casefold().startswith(kind.casefold()[:5])
            else f"{kind[:1].upper()}{kind[1:]}: {title}"
        )
        if self.document.number and self.document.number not in text:
            text += f" № {self.document.number}"
        if self.document.date and f"{self.document.date:%d.%m.%Y}" not in text:
            text += f" от {self.document.date:%d.%m.%Y}"
        if width and len(text) > width:
            text = text[: width - 1].rstrip() + "…"
        return text

    def key(self) -> tuple[str, str, str]:
        """The identity used to merge registries: type, number and title, case-folded."""
        d = self.document
        return (d.type.casefold().strip(), (d.number or "").strip(), _norm(d.title))


def _norm(text: str) -> str:
    return re.sub(r"\s+", " ", text.casefold().replace("ё", "е")).strip(' .«»"')


def _documents(value: Iterable[RegisteredDocument]) -> tuple[RegisteredDocument, ...]:
    return tuple(value)


@attrs.frozen
class DocumentRegistry:
    """The documents of a mechanism, and what was refused while reading them.

    :param documents: accepted documents, in order.
    :param problems: one Russian message per refused row.
    :param warnings: Russian remarks on accepted rows (no component given …).
    """

    documents: tuple[RegisteredDocument, ...] = attrs.field(default=(), converter=_documents)
    problems: tuple[str, ...] = attrs.field(default=(), converter=_strs)
    warnings: tuple[str, ...] = attrs.field(default=(), converter=_strs)

    def __len__(self) -> int:
        return len(self.documents)

    def __iter__(self) -> Iterator[RegisteredDocument]:
        return iter(self.documents)

    def for_component(self, component: CycleComponent | str) -> tuple[RegisteredDocument, ...]:
        """The documents serving ``component``."""
        comp = CycleComponent(component)
        return tuple(d for d in self.documents if comp in d.components)

    def find(self, reference: str) -> RegisteredDocument | None:
        """The document a status or a measure refers to: by code, by number («№ 213»,
        «УО-04/519»), by title or by citation; None when none or several match."""
        ref = reference.strip()
        if not ref:
            return None
        for d in self.documents:
            if d.id == ref:
                return d
        number = re.sub(r"^№\s*", "", ref).strip()
        by_number = [d for d in self.documents if d.document.number and d.document.number == number]
        if len(by_number) == 1:
            return by_number[0]
        needle = _norm(ref)
        by_title = [
            d
            for d in self.documents
            if needle in (_norm(d.document.title), _norm(d.document.citation()), _norm(d.label()))
        ]
        if len(by_title) == 1:
            return by_title[0]
        m = re.search(r"№\s*([^\s,;]+)", ref)
        if m:
            found = [d for d in self.documents if d.document.number == m[1]]
            if len(found) == 1:
                return found[0]
        return None

    def merged(self, other: DocumentRegistry) -> DocumentRegistry:
        """This registry with ``other``'s documents added; a document already here (same
        type, number and title) is not repeated, but gains ``other``'s components,
        indicators, criteria and link."""
        docs = list(self.documents)
        index = {d.key(): i for i, d in enumerate(docs)}
        ids = {d.id for d in docs}
        for d in other.documents:
            k = d.key()
            if k in index:
                mine = docs[index[k]]
                comps = tuple(dict.fromkeys((*mine.components, *d.components)))
                docs[index[k]] = attrs.evolve(
                    mine,
                    document=attrs.evolve(
                        mine.document,
                        components=comps,
                        reference=mine.document.reference or d.document.reference,
                        date=mine.document.date or d.document.date,
                        number=mine.document.number or d.document.number,
                        issuer=mine.document.issuer or d.document.issuer,
                    ),
                    indicators=tuple(dict.fromkeys((*mine.indicators, *d.indicators))),
                    criteria=tuple(dict.fromkeys((*mine.criteria, *d.criteria))),
                    origin=f"{mine.origin}; {d.origin}" if d.origin else mine.origin,
                )
                continue
            if d.id in ids:
                d = attrs.evolve(d, id=_fresh_id(d.id, ids))
            ids.add(d.id)
            index[k] = len(docs)
            docs.append(d)
        return DocumentRegistry(
            docs, (*self.problems, *other.problems), (*self.warnings, *other.warnings)
        )

    def frame(self) -> pd.DataFrame:
        """The registry as a frame with Russian headers (:data:`DOCUMENT_HEADERS`)."""
        rows = [
            {
                "id": d.id,
                "type": d.document.type,
                "number": d.document.number or "",
                "date": d.document.date,
                "issuer": d.document.issuer or "",
                "title": d.document.title,
                "components": "; ".join(c.label for c in d.components),
                "indicators": ", ".join(d.indicators),
                "criteria": ", ".join(d.criteria),
                "reference": d.document.reference or "",
                "status": DOCUMENT_STATUSES.get(d.status, d.status),
                "origin": d.origin,
            }
            for d in self.documents
        ]
        return pd.DataFrame(rows, columns=list(DOCUMENT_HEADERS)).rename(
            columns=dict(DOCUMENT_HEADERS)
        )


def _fresh_id(base: str, taken: set[str]) -> str:
    n = 2
    while f"{base}-{n}" in taken:
        n += 1
    return f"{base}-{n}"


def _infer_status(title: str) -> str:
    low = title.casefold()
    if low.startswith("в перспективе"):
        return "planned"
    if re.search(r"\bпроект\b(?!н)", low) and not re.search(r"\bпроект\w* площадк", low):
        return "draft"
    return "in_force"


def _implied_components(profile: Profile) -> tuple[CycleComponent, ...]:
    """What the approving document of a mechanism approves, from the declarations."""
    comps = []
    mechanism = profile.info.mechanism
    if mechanism is not None and (mechanism.goal or mechanism.tasks):
        comps.append(C.GOALS)
    if profile.indicators:
        comps.append(C.INDICATORS)
    if any(i.collection_method or i.processing_method for i in profile.indicators):
        comps.append(C.METHODS)
    if profile.info.campaign is not None or profile.monitoring_activities:
        comps.append(C.MONITORING)
    return tuple(comps)


def profile_documents(profile: Profile) -> DocumentRegistry:
    """The documents a profile registers, as a registry.

    The approving document of the mechanism (:attr:`pedprof.ProfileInfo.approved_by`),
    when registered without components, is read as serving the components the mechanism
    it approves declares: goals (Раздел I), indicators and methods (Раздел II), monitoring
    (Раздел III or the campaign). Documents whose title begins «В перспективе» are
    ``planned``, those called a «проект» are ``draft``.
    """
    approved = profile.info.approved_by
    docs: list[Document] = list(profile.documents)
    if approved is not None and approved not in docs:
        docs.insert(0, approved)
    out = []
    seen: set[str] = set()
    for n, doc in enumerate(docs, start=1):
        note = ""
        if doc == approved and not doc.components:
            implied = _implied_components(profile)
            if implied:
                doc = attrs.evolve(doc, components=implied)
                note = "компоненты определены по содержанию утверждаемого механизма"
        doc_id = str(getattr(doc, "id", None) or f"{profile.id}-{n:02d}")
        if doc_id in seen:
            doc_id = _fresh_id(doc_id, seen)
        seen.add(doc_id)
        origin = profile.provenance.get(
            ("document", f"{doc.type} {doc.number or ''} {doc.title}"), profile.distribution
        )
        out.append(
            RegisteredDocument(
                id=doc_id,
                document=doc,
                indicators=tuple(getattr(doc, "indicators", ()) or ()),
                criteria=tuple(getattr(doc, "criteria", ()) or ()),
                status=str(getattr(doc, "status", "") or _infer_status(doc.title)),
                origin=f"профиль: {origin}",
                note=note,
            )
        )
    return DocumentRegistry(out)


# --------------------------------------------------------------------------- reading


def _cell(value: object) -> str:
    if value is None or value is pd.NA or (isinstance(value, float) and pd.isna(value)):
        return ""
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    if isinstance(value, dt.datetime):
        return value.date().isoformat()
    return re.sub(r"\s+", " ", str(value)).strip()


def _date(text: str) -> dt.date | None:
    if not text:
        return None
    for fmt in ("%d.%m.%Y", "%Y-%m-%d", "%d.%m.%y"):
        try:
            return dt.datetime.strptime(text.split(" ")[0].split("T")[0], fmt).date()
        except ValueError:
            continue
    raise ValueError(f"дата «{text}» не распознана (ожидается ДД.ММ.ГГГГ)")


def _component(word: str) -> CycleComponent:
    """A component from its code, its Russian name, a key word or its number 1–9."""
    w = word.strip().casefold().replace("ё", "е")
    for c in CycleComponent:
        if w in (c.value, c.label.casefold()):
            return c
    if w.isdigit() and 1 <= int(w) <= 9:
        return list(CycleComponent)[int(w) - 1]
    for stem, comp in (
        ("эффективност", C.EFFECTIVENESS_ANALYSIS),
        ("рекоменд", C.TARGETED_RECOMMENDATIONS),
        ("решени", C.MANAGEMENT_DECISIONS),
        ("мониторинг", C.MONITORING),
        ("анализ", C.ANALYSIS),
        ("метод", C.METHODS),
        ("показател", C.INDICATORS),
        ("мероприят", C.MEASURES),
        ("мер", C.MEASURES),
        ("цел", C.GOALS),
        ("задач", C.GOALS),
    ):
        if w.startswith(stem) or f" {stem}" in f" {w}":
            return comp
    raise ValueError(f"компонент управленческого цикла «{word.strip()}» не распознан")


def _read_table(source: str | Path | pd.DataFrame) -> tuple[pd.DataFrame, str]:
    if isinstance(source, pd.DataFrame):
        return source.copy(), "таблица"
    path = Path(source)
    if path.suffix.lower() in (".xlsx", ".xlsm", ".xls", ".ods"):
        return pd.read_excel(path, dtype=object, engine="calamine"), path.name
    return (
        pd.read_csv(path, dtype=str, keep_default_na=False, sep=None, engine="python"),
        path.name,
    )


def load_documents(
    source: str | Path | pd.DataFrame, *, profile: Profile | None = None
) -> DocumentRegistry:
    """Read a registry of documents from a workbook, a CSV file or a frame.

    Columns (Russian headers of :data:`DOCUMENT_HEADERS`, a few synonyms, or the English
    names): «Вид документа» (приказ, положение, ИАС, письмо, протокол, резолюция,
    план-отчёт …), «Номер», «Дата», «Кем издан», «Наименование», «Компоненты
    управленческого цикла» (names, key words such as «мониторинг», «анализ
    эффективности», or numbers 1–9, separated by commas or semicolons), «Показатели» and
    «Критерии» (codes; empty: the whole mechanism), «Ссылка или файл», «Статус»
    (действует, проект, планируется) and «Код».

    :param source: the workbook (.xlsx), CSV file or frame.
    :param profile: when given, indicator and criterion codes must be the profile's.
    :returns: the registry; each refused row has a Russian message in ``problems`` and
        accepted rows plus refused rows add up to the rows read.
    """
    raw, label = _read_table(source)
    rename = {}
    for column in raw.columns:
        key = re.sub(r"\s+", " ", str(column)).strip().lower()
        if key in _HEADER_ALIASES:
            rename[column] = _HEADER_ALIASES[key]
    frame = raw.rename(columns=rename)
    problems: list[str] = []
    warnings: list[str] = []
    if "title" not in frame.columns and "type" not in frame.columns:
        problems.append(f"{label}: нет столбцов «Наименование» и «Вид документа»")
        return DocumentRegistry((), problems)
    known_ind = {i.id for i in profile.indicators} if profile is not None else None
    known_crit = (
        {c for c, _ in profile.info.mechanism.criteria}
        if profile is not None and profile.info.mechanism is not None
        else None
    )
    docs: list[RegisteredDocument] = []
    ids: set[str] = set()
    for i, row in enumerate(frame.to_dict("records")):
        where = f"{label}, строка {i + 2}"
        v = {k: _cell(row.get(k)) for k in DOCUMENT_HEADERS}
        if not any(v.values()):
            continue
        if not v["title"] and not v["type"]:
            problems.append(f"{where}: не указаны ни наименование, ни вид документа")
            continue
        try:
            date = _date(v["date"])
            components = tuple(
                dict.fromkeys(_component(w) for w in _SPLIT.split(v["components"]) if w.strip())
            )
        except ValueError as exc:
            problems.append(f"{where}: {exc}")
            continue
        status = _STATUS_WORDS.get(v["status"].casefold())
        if status is None:
            problems.append(
                f"{where}: статус «{v['status']}» не распознан; допустимо: "
                + ", ".join(f"«{s}»" for s in DOCUMENT_STATUSES.values())
            )
            continue
        indicators = tuple(x.strip() for x in _SPLIT.split(v["indicators"]) if x.strip())
        criteria = tuple(x.strip() for x in _SPLIT.split(v["criteria"]) if x.strip())
        if known_ind is not None:
            unknown = [x for x in indicators if x not in known_ind]
            if unknown:
                problems.append(f"{where}: в профиле нет показателей {', '.join(unknown)}")
                continue
        if known_crit is not None:
            unknown = [x for x in criteria if x not in known_crit]
            if unknown:
                problems.append(f"{where}: в профиле нет критериев {', '.join(unknown)}")
                continue
        if not components:
            warnings.append(
                f"{where}: не указан компонент управленческого цикла — документ не учитывается "
                "в оценке полноты цикла"
            )
        doc_id = v["id"] or f"r{i + 2:02d}"
        if doc_id in ids:
            problems.append(f"{where}: код «{doc_id}» уже встречался")
            continue
        ids.add(doc_id)
        doc_type = v["type"] or "документ"
        docs.append(
            RegisteredDocument(
                id=doc_id,
                document=Document(
                    type=doc_type,
                    title=v["title"],
                    number=v["number"] or None,
                    date=date,
                    issuer=v["issuer"] or None,
                    components=components,
                    reference=v["reference"] or None,
                ),
                indicators=indicators,
                criteria=criteria,
                status=status if v["status"] else _infer_status(v["title"]),
                origin=where,
            )
        )
    return DocumentRegistry(docs, problems, warnings)


def _measure_documents(measures: object) -> DocumentRegistry:
    """Measures and decisions of a measure register (:mod:`pedprof.cycle.measures`) as evidence."""
    items = getattr(measures, "measures", measures)
    docs = []
    for m in items or ():  # type: ignore[attr-defined]
        docs.append(
            RegisteredDocument(
                id=f"мера {m.id}",
                document=Document(
                    type=str(getattr(m, "kind_label", "мера")),
                    title=str(m.title),
                    date=getattr(m, "date", None),
                    components=(m.component,),
                    reference=str(getattr(m, "document", "") or "") or None,
                ),
                indicators=tuple(getattr(m, "indicators", ()) or ()),
                origin="реестр мер",
            )
        )
    return DocumentRegistry(docs)


def document_registry(
    profile: Profile,
    *sources: str | Path | pd.DataFrame | DocumentRegistry,
    measures: object = None,
) -> DocumentRegistry:
    """The profile's documents, then each source's (files are read with
    :func:`load_documents`), then the measures and decisions of a measure register, merged
    (:meth:`DocumentRegistry.merged`)."""
    registry = profile_documents(profile)
    for source in sources:
        loaded = (
            source
            if isinstance(source, DocumentRegistry)
            else load_documents(source, profile=profile)
        )
        registry = registry.merged(loaded)
    if measures is not None:
        registry = registry.merged(_measure_documents(measures))
    return registry


# --------------------------------------------------------------------------- completeness


@attrs.frozen
class Completeness:
    """The completeness of a mechanism's management cycle.

    :param profile_id: the profile.
    :param title: the mechanism's title and territory, for the text.
    :param frame: one row per component: ``component, label, group, state, state_label,
        documents, titles, points``.
    :param score: the points on the profile's scale.
    :param max_score: the points of a full cycle with every document approved.
    :param full: whether every component has a document (approved or named).
    :param gaps: one Russian sentence per gap.
    """

    profile_id: str
    title: str
    frame: pd.DataFrame
    score: float
    max_score: float
    full: bool
    gaps: tuple[str, ...] = attrs.field(converter=_strs)

    def text(self) -> str:
        """The assessment in plain Russian."""
        present = int(self.frame["state"].isin(_PRESENT).sum())
        total = len(self.frame)
        score = _points(self.score)
        max_score = _points(self.max_score)
        if self.full:
            head = (
                f"Управленческий цикл ({self.title}) полный: документы есть по всем {total} "
                f"компонентам. Оценка: {score} из {max_score}."
            )
        else:
            head = (
                f"Управленческий цикл ({self.title}) неполный: документы есть по {present} "
                f"компонентам из {total}. Оценка: {score} из {max_score}."
            )
        if not self.gaps:
            return head
        return head + "\n" + "\n".join(f"• {g}" for g in self.gaps)


def _points(value: float) -> str:
    return str(int(value)) if float(value).is_integer() else f"{value:.1f}".replace(".", ",")


def _scale(profile: Profile, scale: Mapping[str, float] | None) -> dict[str, float]:
    declared = scale if scale is not None else getattr(profile.info, "cycle_scale", None)
    out = dict(DEFAULT_CYCLE_SCALE)
    if declared:
        unknown = sorted(set(declared) - set(EVIDENCE_STATES))
        if unknown:
            raise ValueError(
                f"unknown cycle scale keys {unknown}; known: {sorted(EVIDENCE_STATES)}"
            )
        out.update({k: float(v) for k, v in declared.items()})
    return out


def _evidence_state(docs: Sequence[RegisteredDocument]) -> str:
    in_force = [d for d in docs if d.status == "in_force"]
    if any(d.has_requisites for d in in_force):
        return "approved"
    if in_force:
        return "named"
    if docs:
        return "planned"
    return "missing"


def assess_completeness(
    profile: Profile,
    documents: DocumentRegistry | None = None,
    *,
    measures: object = None,
    scale: Mapping[str, float] | None = None,
) -> Completeness:
    """Assess the completeness of the profile's management cycle.

    Each component is **approved** (a document in force with a number, a date or a link),
    **named** (documents in force named without requisites — «Приказы УО о …»),
    **planned** (only a draft or a planned document) or **missing**. The cycle is full when
    every component is approved or named. The score is the sum of the points of the
    profile's scale (:attr:`pedprof.ProfileInfo.cycle_scale`, or ``scale``; default
    :data:`DEFAULT_CYCLE_SCALE`: 1 point per component with a document).

    :param profile: the profile (mechanism).
    :param documents: the registry (default: the profile's documents).
    :param measures: a measure register whose measures and decisions count as evidence.
    :param scale: points per evidence state, overriding the profile's.
    """
    registry = documents if documents is not None else profile_documents(profile)
    if measures is not None:
        registry = registry.merged(_measure_documents(measures))
    points = _scale(profile, scale)
    rows = []
    gaps = []
    for component in CycleComponent:
        docs = registry.for_component(component)
        state = _evidence_state(docs)
        shown = [d for d in docs if d.status == "in_force"] or list(docs)
        rows.append(
            {
                "component": component.value,
                "label": component.label,
                "group": _GROUP_OF[component],
                "state": state,
                "state_label": EVIDENCE_STATES[state],
                "documents": len(docs),
                "titles": "; ".join(d.label(120) for d in shown),
                "points": points[state],
            }
        )
        gaps.extend(_gap(component, state, docs))
    frame = pd.DataFrame(rows)
    mechanism = profile.info.mechanism
    title = f"{mechanism.title}, {profile.info.territory}" if mechanism else profile.info.territory
    return Completeness(
        profile_id=profile.id,
        title=title,
        frame=frame,
        score=float(frame["points"].sum()),
        max_score=max(points.values()) * len(CycleComponent),
        full=bool(frame["state"].isin(_PRESENT).all()),
        gaps=gaps,
    )


def _gap(component: CycleComponent, state: str, docs: Sequence[RegisteredDocument]) -> list[str]:
    name = f"«{component.label}»"
    if state == "missing":
        return [f"{name}: нет документа; требуется {_NEEDS[component]}."]
    if state == "planned":
        titles = "; ".join(f"«{d.label(100)}»" for d in docs)
        return [f"{name}: есть только проект или планируемый документ ({titles})."]
    if state == "named":
        titles = "; ".join(f"«{d.label(100)}»" for d in docs if d.status == "in_force")
        return [
            f"{name}: документы указаны без реквизитов (номер, дата или ссылка): {titles} — "
            "укажите реквизиты, чтобы документ можно было проверить."
        ]
    return []


# --------------------------------------------------------------------------- chains

#: The links of a criterion's chain: key, Russian label, component.
CHAIN_LINKS: Final[tuple[tuple[str, str, CycleComponent], ...]] = (
    ("indicator", "Показатель", C.INDICATORS),
    ("monitoring", "Мониторинговое мероприятие", C.MONITORING),
    ("analysis", "Аналитическая справка", C.ANALYSIS),
    ("recommendation", "Адресные рекомендации", C.TARGETED_RECOMMENDATIONS),
    ("measure", "Меры, мероприятия", C.MEASURES),
    ("decision", "Управленческое решение", C.MANAGEMENT_DECISIONS),
    ("effectiveness", "Анализ эффективности принятых мер", C.EFFECTIVENESS_ANALYSIS),
)
#: Link states → Russian labels.
LINK_STATES: Final[Mapping[str, str]] = {
    "specific": "есть документ по показателям критерия",
    "general": "есть общий документ механизма",
    "declared": "предусмотрено механизмом, документа нет",
    "missing": "звено отсутствует",
}
#: Columns of :func:`cycle_chains`.
CHAIN_COLUMNS: Final = (
    "criterion",
    "criterion_name",
    "indicators",
    "step",
    "link",
    "link_label",
    "component",
    "state",
    "state_label",
    "declared",
    "documents",
    "document_ids",
)


def _declared(profile: Profile, link: str, indicators: Sequence[str]) -> list[str]:
    ids = set(indicators)
    if link == "indicator":
        out = []
        for ind in profile.indicators:
            if ind.id in ids:
                out.append(f"{ind.id} {ind.short_name or ind.name}")
        return out
    activities = [a for a in profile.monitoring_activities if ids & set(a.indicators)]
    if link == "monitoring":
        return [
            (f"№ {a.number} " if a.number is not None else "")
            + a.name
            + (f" ({a.period_text})" if a.period_text else "")
            for a in activities
        ]
    if link == "analysis":
        return [f"ожидается: {a.output_document}" for a in activities if a.output_document]
    if link == "recommendation":
        rules = [r for r in profile.recommendation_rules if ids & set(r.indicators)]
        return [f"правило «{r.id}»: {r.addressee}" for r in rules]
    if link == "effectiveness":
        effects = [e for e in profile.planned_effects if ids & set(e.indicators)]
        return [
            f"планируемый эффект {e.number or e.id}: {e.strong_state or e.positive_dynamics}"
            for e in effects
        ]
    return []


def cycle_chains(
    profile: Profile,
    documents: DocumentRegistry | None = None,
    *,
    measures: object = None,
    criteria: Sequence[str] | None = None,
    indicators: Sequence[str] | None = None,
) -> pd.DataFrame:
    """The chain of each criterion: indicator → monitoring activity → analytical report →
    recommendation → measure → decision → effectiveness analysis.

    A link is **specific** when a document of its component names one of the criterion's
    indicators or the criterion itself, **general** when only documents that concern the
    whole mechanism serve the component, **declared** when the mechanism declares it (an
    indicator, a monitoring activity, its output report, a recommendation rule, a planned
    effect) but no document evidences it, and **missing** otherwise.

    :param profile: the profile.
    :param documents: the registry (default: the profile's documents).
    :param measures: a measure register whose measures and decisions are evidence.
    :param criteria: restrict to these criteria (default: every criterion with indicators).
    :param indicators: restrict each chain to these indicators (e.g. ``["m01"]`` for
        Magnitogorsk's ГПО).
    :returns: columns :data:`CHAIN_COLUMNS`, seven rows per criterion.
    """
    registry = documents if documents is not None else profile_documents(profile)
    if measures is not None:
        registry = registry.merged(_measure_documents(measures))
    names = dict(profile.info.mechanism.criteria) if profile.info.mechanism else {}
    order = list(names) + sorted(
        {i.criterion for i in profile.indicators if i.criterion and i.criterion not in names}
    )
    if criteria is not None:
        order = [c for c in order if c in criteria]
    rows = []
    for criterion in order:
        inds = [i.id for i in profile.indicators if i.criterion == criterion]
        if indicators is not None:
            inds = [i for i in inds if i in indicators]
        if not inds:
            continue
        for step, (link, label, component) in enumerate(CHAIN_LINKS, start=1):
            docs = [d for d in registry.for_component(component) if d.status == "in_force"]
            specific = [d for d in docs if set(d.indicators) & set(inds) or criterion in d.criteria]
            general = [d for d in docs if d.general]
            declared = _declared(profile, link, inds)
            if specific:
                state, shown = "specific", specific
            elif general:
                state, shown = "general", general
            elif declared:
                state, shown = "declared", []
            else:
                state, shown = "missing", []
            if link == "indicator" and not inds:
                state = "missing"
            rows.append(
                {
                    "criterion": criterion,
                    "criterion_name": names.get(criterion, criterion),
                    "indicators": ", ".join(inds),
                    "step": step,
                    "link": link,
                    "link_label": label,
                    "component": component.value,
                    "state": state,
                    "state_label": LINK_STATES[state],
                    "declared": "; ".join(declared),
                    "documents": "; ".join(d.label() for d in shown),
                    "document_ids": ", ".join(d.id for d in shown),
                }
            )
    return pd.DataFrame(rows, columns=list(CHAIN_COLUMNS))


def chain_verdict(chain: pd.DataFrame) -> str:
    """One Russian sentence on one criterion's chain (rows of :func:`cycle_chains`)."""
    missing = chain.loc[chain["state"].isin(["missing", "declared"]), "link_label"].tolist()
    if missing:
        return (
            "Цепочка не замкнута; недостающие звенья: " + ", ".join(f"«{x}»" for x in missing) + "."
        )
    general = chain.loc[chain["state"] == "general", "link_label"].tolist()
    if general:
        return (
            "Цепочка замкнута, но по звеньям "
            + ", ".join(f"«{x}»" for x in general)
            + " есть только общие документы механизма, без указания показателей критерия."
        )
    return "Цепочка замкнута: по каждому звену есть документ по показателям критерия."


# --------------------------------------------------------------------------- diagrams

_FILL = {"specific": "#d9ead3", "general": "#fff2cc", "declared": "#fce5cd", "missing": "#f4cccc"}
_EDGE = {"specific": "#6aa84f", "general": "#bf9000", "declared": "#e69138", "missing": "#cc0000"}


def _node_text(row: Mapping[str, Any], width: int) -> list[str]:
    first = row["documents"].split("; ")[0] if row["documents"] else ""
    if row["link"] == "indicator" and row["declared"]:
        detail = row["declared"].split("; ")[0]
    elif first:
        more = row["documents"].count("; ")
        detail = first + (f" (+{more})" if more else "")
    elif row["declared"]:
        detail = row["declared"].split("; ")[0]
    else:
        detail = "нет документа"
    if len(detail) > width:
        detail = detail[: width - 1].rstrip() + "…"
    return [row["link_label"], detail]


def _chain_rows(chains: pd.DataFrame, criterion: str | None) -> list[dict[str, Any]]:
    rows = chains if criterion is None else chains[chains["criterion"] == criterion]
    return list(rows.to_dict("records"))


def chain_mermaid(chains: pd.DataFrame, criterion: str | None = None, *, width: int = 60) -> str:
    """A Mermaid flowchart of the chains (one row of boxes per criterion); missing links
    are red with a dashed border."""
    lines = ["flowchart LR"]
    rows = _chain_rows(chains, criterion)
    previous: dict[str, str] = {}
    for row in rows:
        node = f"{row['criterion']}_{row['step']}".replace(".", "_")
        head, detail = _node_text(row, width)
        text = f"{head}<br/>{detail}".replace('"', "#quot;")
        lines.append(f'    {node}["{text}"]:::{row["state"]}')
        if row["criterion"] in previous:
            arrow = "-.->" if row["state"] in ("missing", "declared") else "-->"
            lines.append(f"    {previous[row['criterion']]} {arrow} {node}")
        previous[row["criterion"]] = node
    for state in LINK_STATES:
        dash = ",stroke-dasharray: 5 5" if state in ("missing", "declared") else ""
        lines.append(f"    classDef {state} fill:{_FILL[state]},stroke:{_EDGE[state]}{dash}")
    return "\n".join(lines) + "\n"


def _dot_escape(text: str) -> str:
    return text.replace("\\", "\\\\").replace('"', '\\"')


def chain_dot(chains: pd.DataFrame, criterion: str | None = None, *, width: int = 40) -> str:
    """A Graphviz DOT digraph of the chains (render with ``dot -Tsvg``)."""
    lines = [
        "digraph cycle {",
        "  rankdir=LR;",
        '  node [shape=box, style="rounded,filled", fontname="DejaVu Sans", fontsize=10];',
    ]
    rows = _chain_rows(chains, criterion)
    previous: dict[str, str] = {}
    for row in rows:
        node = f"{row['criterion']}_{row['step']}".replace(".", "_")
        head, detail = _node_text(row, 200)
        wrapped = "\\n".join(_dot_escape(x) for x in textwrap.wrap(detail, width))
        style = ', style="rounded,filled,dashed"' if row["state"] in ("missing", "declared") else ""
        lines.append(
            f'  {node} [label="{_dot_escape(head)}\\n{wrapped}", '
            f'fillcolor="{_FILL[row["state"]]}", color="{_EDGE[row["state"]]}"{style}];'
        )
        if row["criterion"] in previous:
            lines.append(f"  {previous[row['criterion']]} -> {node};")
        previous[row["criterion"]] = node
    lines.append("}")
    return "\n".join(lines) + "\n"


def chain_svg(chains: pd.DataFrame, criterion: str | None = None, *, width: int = 30) -> str:
    """The chains drawn with matplotlib as an SVG document (no network, no Graphviz):
    one row of boxes per criterion, colours as in :func:`chain_mermaid`, with a legend."""
    return _chain_figure(chains, criterion, width=width, fmt="svg").decode("utf-8")


def chain_png(
    chains: pd.DataFrame, criterion: str | None = None, *, width: int = 30, dpi: int = 90
) -> bytes:
    """The same drawing as :func:`chain_svg`, as PNG bytes (for .docx reports)."""
    return _chain_figure(chains, criterion, width=width, fmt="png", dpi=dpi)


def _chain_figure(
    chains: pd.DataFrame, criterion: str | None, *, width: int, fmt: str, dpi: int = 110
) -> bytes:
    import matplotlib as mpl
    from matplotlib.backends.backend_svg import FigureCanvasSVG
    from matplotlib.figure import Figure
    from matplotlib.patches import FancyArrowPatch, FancyBboxPatch, Patch

    rows = _chain_rows(chains, criterion)
    by_criterion: dict[str, list[dict[str, Any]]] = {}
    for row in rows:
        by_criterion.setdefault(row["criterion"], []).append(row)
    n_rows = max(len(by_criterion), 1)
    n_cols = len(CHAIN_LINKS)
    with mpl.rc_context(
        {"svg.hashsalt": "pedprof", "svg.fonttype": "none", "font.family": "DejaVu Sans"}
    ):
        fig = Figure(figsize=(2.2 * n_cols, 1.75 * n_rows + 0.45))
        FigureCanvasSVG(fig)
        ax = fig.add_axes((0, 0, 1, 1))
        ax.set_xlim(0, n_cols)
        ax.set_ylim(-0.26, n_rows)
        ax.axis("off")
        for r, (crit, links) in enumerate(by_criterion.items()):
            y = n_rows - r - 1
            title = f"{crit}: {links[0]['criterion_name']}"
            ax.text(0.06, y + 0.96, textwrap.shorten(title, 160), fontsize=8.5, va="top")
            for link in links:
                x = link["step"] - 1
                head, detail = _node_text(link, 110)
                ax.add_patch(
                    FancyBboxPatch(
                        (x + 0.06, y + 0.04),
                        0.88,
                        0.78,
                        boxstyle="round,pad=0.0,rounding_size=0.04",
                        facecolor=_FILL[link["state"]],
                        edgecolor=_EDGE[link["state"]],
                        linestyle="--" if link["state"] in ("missing", "declared") else "-",
                        linewidth=1.2,
                    )
                )
                head_lines = textwrap.wrap(head, 24)
                ax.text(
                    x + 0.5,
                    y + 0.78,
                    "\n".join(head_lines),
                    ha="center",
                    va="top",
                    fontsize=7.4,
                    fontweight="bold",
                )
                body = "\n".join(textwrap.wrap(detail, width)[:6])
                top = y + 0.78 - 0.085 * len(head_lines) - 0.04
                ax.text(x + 0.5, top, body, ha="center", va="top", fontsize=6.3)
                if link["step"] > 1:
                    ax.add_patch(
                        FancyArrowPatch(
                            (x - 0.06, y + 0.43),
                            (x + 0.06, y + 0.43),
                            arrowstyle="-|>",
                            mutation_scale=8,
                            color="#444444",
                        )
                    )
        handles = [
            Patch(facecolor=_FILL[s], edgecolor=_EDGE[s], label=label)
            for s, label in LINK_STATES.items()
        ]
        ax.legend(
            handles=handles,
            loc="lower center",
            ncol=4,
            fontsize=7,
            frameon=False,
            bbox_to_anchor=(0.5, 0.005),
            borderaxespad=0.1,
        )
        buf = io.BytesIO()
        metadata = {"Date": None} if fmt == "svg" else None
        fig.savefig(buf, format=fmt, metadata=metadata, dpi=dpi)
    return buf.getvalue()
