"""The management cycle: the document registry, completeness and the chains per criterion.

The worked example is Magnitogorsk's chain for the ГПО (indicator m01): the documents of
the presentation «Взаимосвязь документов управленческого цикла по группе показателей,
связанных с сетевым взаимодействием», read from the profile's data with the indicators
each document concerns. Expected states are written by hand from the presentation.
"""

from __future__ import annotations

import datetime as dt
import re
import xml.etree.ElementTree as ET
from importlib import resources
from pathlib import Path
from types import SimpleNamespace
from typing import Any

import attrs
import pandas as pd
import pytest
import yaml
from click.testing import CliRunner
from hypothesis import given
from hypothesis import strategies as st

import pedprof
from pedprof import CycleComponent, Document
from pedprof.cli import main
from pedprof.cycle.documents import (
    CHAIN_LINKS,
    DEFAULT_CYCLE_SCALE,
    DocumentRegistry,
    RegisteredDocument,
    assess_completeness,
    chain_dot,
    chain_mermaid,
    chain_svg,
    chain_verdict,
    cycle_chains,
    document_registry,
    load_documents,
    profile_documents,
)

ROOT = Path(__file__).resolve().parents[1]
C = CycleComponent


def magnitogorsk_chain_documents() -> tuple[pd.DataFrame, dict[str, str]]:
    """The worked example's documents as a registry sheet (Russian headers), and title → id."""
    text = (
        resources.files("pedprof_magnitogorsk").joinpath("data/documents.yaml").read_text("utf-8")
    )
    chain = yaml.safe_load(text)["chain"]
    frame = pd.DataFrame(
        [
            {
                "Код": x["id"],
                "Вид документа": x["type"],
                "Наименование": x["title"],
                "Компоненты управленческого цикла": ", ".join(x["components"]),
                "Показатели": ", ".join(x.get("indicators", [])),
            }
            for x in chain
        ]
    )
    return frame, {x["title"]: x["id"] for x in chain}


@pytest.fixture(scope="module")
def magnitogorsk() -> pedprof.Profile:
    return pedprof.get_profile("magnitogorsk")


@pytest.fixture(scope="module")
def gpo(magnitogorsk: pedprof.Profile) -> tuple[DocumentRegistry, pd.DataFrame, dict[str, str]]:
    frame, ids = magnitogorsk_chain_documents()
    registry = document_registry(magnitogorsk, frame)
    chains = cycle_chains(magnitogorsk, registry, indicators=["m01"])
    return registry, chains, ids


# --------------------------------------------------------------------------- the registry


def _sheet(tmp_path: Path) -> Path:
    path = tmp_path / "реестр.csv"
    pd.DataFrame(
        {
            "Код": ["a1", "a2", "a3", "a1", "a5", "a6", "a7", "a8", ""],
            "Вид документа": [
                "приказ",
                "ИАС",
                "протокол",
                "письмо",
                "приказ",
                "",
                "план",
                "приказ",
                "",
            ],
            "Номер": ["15", "", "", "", "16", "", "", "17", ""],
            "Дата": ["10.03.2022", "2022-09-01", "", "", "31.02.2022", "", "", "", ""],
            "Наименование": [
                "О мониторинге",
                "Справка",
                "Протокол совета",
                "О рекомендациях",
                "О курсах",
                "",
                "План",
                "О чём-то",
                "",
            ],
            "Компоненты управленческого цикла": [
                "мониторинг",
                "Анализ результатов мониторинга; 6",
                "управленческие решения",
                "рекомендации",
                "меры",
                "",
                "",
                "погода",
                "",
            ],
            "Показатели": ["k01", "k01, k02", "", "", "", "", "", "", ""],
            "Статус": ["", "действует", "проект", "", "", "", "", "", ""],
        }
    ).to_csv(path, index=False)
    return path


def test_load_documents_every_row_accepted_or_refused(tmp_path: Path) -> None:
    profile = pedprof.get_profile("karabash")
    registry = load_documents(_sheet(tmp_path), profile=profile)
    assert [d.id for d in registry] == ["a1", "a2", "a3", "a7"]
    # 8 non-empty rows: 4 accepted, 4 refused; the blank row is skipped
    assert len(registry.problems) == 4
    text = "\n".join(registry.problems)
    assert "строка 5: код «a1» уже встречался" in text
    assert "строка 6: дата «31.02.2022» не распознана" in text
    assert "строка 7: не указаны ни наименование, ни вид документа" in text
    assert "строка 9: компонент управленческого цикла «погода» не распознан" in text
    assert registry.warnings == (
        "реестр.csv, строка 8: не указан компонент управленческого цикла — документ не "
        "учитывается в оценке полноты цикла",
    )
    a2 = registry.documents[1]
    assert a2.components == (C.ANALYSIS, C.TARGETED_RECOMMENDATIONS)
    assert a2.document.date == dt.date(2022, 9, 1)
    assert a2.indicators == ("k01", "k02")
    assert registry.documents[2].status == "draft"


def test_unknown_indicator_is_refused(tmp_path: Path) -> None:
    frame = pd.DataFrame(
        {"Наименование": ["Справка"], "Компоненты": ["анализ"], "Показатели": ["x99"]}
    )
    registry = load_documents(frame, profile=pedprof.get_profile("karabash"))
    assert len(registry) == 0
    assert registry.problems == ("таблица, строка 2: в профиле нет показателей x99",)


@pytest.mark.parametrize("component", list(CycleComponent))
def test_component_by_code_name_or_number(component: CycleComponent) -> None:
    number = str(list(CycleComponent).index(component) + 1)
    frame = pd.DataFrame(
        {
            "title": ["a", "b", "c"],
            "components": [component.value, component.label.upper(), number],
        }
    )
    registry = load_documents(frame)
    assert [d.components for d in registry] == [(component,)] * 3


def test_profile_documents_infer_what_the_approving_order_approves() -> None:
    profile = pedprof.get_profile("karabash")
    registry = profile_documents(profile)
    order = registry.documents[0]
    assert order.document.number == "213 (о/д)"
    assert order.components == (C.GOALS, C.INDICATORS, C.METHODS, C.MONITORING)
    assert "определены по содержанию" in order.note
    # the justification orders serve no component of the cycle
    assert all(not d.components for d in registry.documents[1:])


def test_find_by_code_number_and_title(gpo: tuple[DocumentRegistry, Any, Any]) -> None:
    registry, _, _ = gpo
    by_number = registry.find("№ УО-04/574")
    assert by_number is not None and by_number.document.type == "программа"
    assert registry.find("Самообследование МУ ДПО «ЦПКИМР»") is not None
    assert registry.find(by_number.id) is by_number
    assert registry.find("нет такого") is None


def test_merging_adds_links_without_repeating(gpo: tuple[DocumentRegistry, Any, Any]) -> None:
    registry, _, ids = gpo
    profile = pedprof.get_profile("magnitogorsk")
    assert len(registry) == len(profile_documents(profile))
    linked = [d for d in registry if d.document.title in ids]
    assert len(linked) == 6
    assert all(d.indicators for d in linked)


# --------------------------------------------------------------------------- completeness


def test_magnitogorsk_cycle_is_full(magnitogorsk: pedprof.Profile) -> None:
    result = assess_completeness(magnitogorsk)
    states = dict(zip(result.frame["component"], result.frame["state"], strict=True))
    assert states == {
        "goals": "approved",  # the Модель and the Положение carry number and date
        "indicators": "named",
        "methods": "named",
        "monitoring": "named",
        "analysis": "named",
        "targeted_recommendations": "named",
        "measures": "approved",  # the Программа of 19.07.2021 № УО-04/574
        "management_decisions": "named",
        "effectiveness_analysis": "named",  # the self-evaluation; the «В перспективе» one is planned
    }
    assert result.full
    assert (result.score, result.max_score) == (9, 9)
    assert result.text().startswith("Управленческий цикл (")
    assert "полный: документы есть по всем 9 компонентам. Оценка: 9 из 9." in result.text()
    assert any("«Показатели»: документы указаны без реквизитов" in g for g in result.gaps)


def test_profile_declared_scale(magnitogorsk: pedprof.Profile) -> None:
    scale = {"approved": 2, "named": 1, "planned": 0.5, "missing": 0}
    profile = attrs.evolve(magnitogorsk, info=attrs.evolve(magnitogorsk.info, cycle_scale=scale))
    result = assess_completeness(profile)
    # 2 approved × 2 + 7 named × 1
    assert (result.score, result.max_score) == (11, 18)
    assert "Оценка: 11 из 18." in result.text()
    with pytest.raises(ValueError, match="unknown cycle scale keys"):
        assess_completeness(magnitogorsk, scale={"отлично": 3})


def test_karabash_cycle_is_incomplete_with_gaps_in_russian() -> None:
    result = assess_completeness(pedprof.get_profile("karabash"))
    assert not result.full
    assert (result.score, result.max_score) == (4, 9)
    assert [g.split(":")[0] for g in result.gaps] == [
        "«Анализ результатов мониторинга»",
        "«Адресные рекомендации»",
        "«Меры, мероприятия»",
        "«Управленческие решения»",
        "«Анализ эффективности принятых мер»",
    ]
    assert result.gaps[0] == (
        "«Анализ результатов мониторинга»: нет документа; требуется "
        "информационно-аналитическая справка по итогам мониторинга."
    )
    assert "неполный: документы есть по 4 компонентам из 9. Оценка: 4 из 9." in result.text()


EVIDENCE = st.lists(
    st.tuples(
        st.sampled_from(list(CycleComponent)),
        st.sampled_from(["in_force", "draft", "planned"]),
        st.booleans(),
    ),
    max_size=20,
)


@given(
    EVIDENCE,
    st.fixed_dictionaries(
        {k: st.sampled_from([0, 0.5, 1, 2, 3]) for k in ("approved", "named", "planned", "missing")}
    ),
)
def test_state_and_score_follow_the_rule(
    docs: list[tuple[CycleComponent, str, bool]], scale: dict[str, float]
) -> None:
    profile = pedprof.get_profile("petrovsk")
    registry = DocumentRegistry(
        [
            RegisteredDocument(
                id=f"d{i}",
                document=Document(
                    "приказ", f"Документ {i}", number="1" if req else None, components=(comp,)
                ),
                status=status,
            )
            for i, (comp, status, req) in enumerate(docs)
        ]
    )
    result = assess_completeness(profile, registry, scale=scale)
    expected_states = {}
    for comp in CycleComponent:
        mine = [(s, r) for c, s, r in docs if c == comp]
        if any(s == "in_force" and r for s, r in mine):
            expected_states[comp.value] = "approved"
        elif any(s == "in_force" for s, _ in mine):
            expected_states[comp.value] = "named"
        elif mine:
            expected_states[comp.value] = "planned"
        else:
            expected_states[comp.value] = "missing"
    assert (
        dict(zip(result.frame["component"], result.frame["state"], strict=True)) == expected_states
    )
    points = {**DEFAULT_CYCLE_SCALE, **scale}
    assert result.score == pytest.approx(sum(points[s] for s in expected_states.values()))
    assert result.max_score == 9 * max(points.values())
    assert result.full == all(s in ("approved", "named") for s in expected_states.values())
    assert len(result.gaps) == sum(s != "approved" for s in expected_states.values())


# --------------------------------------------------------------------------- chains


def test_gpo_chain_reproduces_the_presentation(
    gpo: tuple[DocumentRegistry, pd.DataFrame, dict[str, str]],
) -> None:
    registry, chains, ids = gpo
    assert list(chains["link"]) == [k for k, _, _ in CHAIN_LINKS]
    assert set(chains["criterion"]) == {"c1"}
    states = list(chains["state"])
    # Раздел II names no indicator: a document of the whole mechanism
    assert states == ["general"] + ["specific"] * 6

    def example_ids(row: dict[str, Any]) -> list[str]:
        out = []
        for doc_id in row["document_ids"].split(", "):
            doc = registry.find(doc_id)
            assert doc is not None
            out.append(ids.get(doc.document.title, "registry"))
        return out

    got = [example_ids(r) for r in chains.to_dict("records")]
    assert got == [
        ["registry"],  # Раздел II. Показатели, методы сбора и обработки информации
        ["x01"],  # приказ об организации работы ГПО, приложение 4 (x02 is about РЦ)
        ["x03", "x04"],  # the ИАС and the order approving it
        ["x03"],  # the ИАС carries the targeted recommendations for ГПО leaders
        ["x04"],  # the order: the list of ГПО and the deadlines for 2021-2022
        ["x05"],  # the protocol of the pedagogical council
        ["x06"],  # Раздел IV, the planned effect «устойчивое количество ГПО»
    ]
    declared = chains.set_index("link")["declared"]
    assert declared["monitoring"].startswith(
        "№ 9 Проведение анализа данных приказов управления образования на предмет количества ГПО"
    )
    assert declared["effectiveness"].startswith("планируемый эффект 1: В муниципалитете действует")
    assert chain_verdict(chains) == (
        "Цепочка замкнута, но по звеньям «Показатель» есть только общие документы механизма, "
        "без указания показателей критерия."
    )


def test_without_links_every_document_is_general(magnitogorsk: pedprof.Profile) -> None:
    chains = cycle_chains(magnitogorsk, indicators=["m01"])
    assert set(chains["state"]) == {"general"}


def test_karabash_chain_shows_missing_links() -> None:
    profile = pedprof.get_profile("karabash")
    chains = cycle_chains(profile, criteria=["c1"])
    assert list(chains["state"]) == [
        "general",  # the order № 213 approves the indicators
        "general",  # … and the monitoring
        "missing",  # no activity, no ИАС
        "declared",  # the rule «deficits» can issue recommendations, no document yet
        "missing",
        "missing",
        "declared",  # planned effect 1 of Раздел IV
    ]
    assert chains.loc[3, "declared"].startswith("правило «deficits»")
    assert chain_verdict(chains).startswith(
        "Цепочка не замкнута; недостающие звенья: «Аналитическая справка»"
    )
    all_chains = cycle_chains(profile)
    assert list(dict.fromkeys(all_chains["criterion"])) == [f"c{i}" for i in range(1, 8)]
    assert len(all_chains) == 7 * 7


def test_measures_of_the_register_are_evidence() -> None:
    profile = pedprof.get_profile("karabash")
    measures = [
        SimpleNamespace(
            id="m1",
            title="Курсы повышения квалификации по итогам диагностики",
            date=dt.date(2022, 9, 1),
            component=C.MEASURES,
            indicators=("k01",),
            kind_label="мера (мероприятие)",
            document="Приказ № 55",
        ),
        SimpleNamespace(
            id="m2",
            title="Решение совещания",
            date=dt.date(2022, 10, 1),
            component=C.MANAGEMENT_DECISIONS,
            indicators=("k16",),
            kind_label="управленческое решение",
            document="",
        ),
    ]
    chains = cycle_chains(profile, measures=measures, criteria=["c1"]).set_index("link")
    assert chains.loc["measure", "state"] == "specific"
    assert chains.loc["decision", "state"] == "missing"  # k16 is not in criterion c1
    result = assess_completeness(profile, measures=measures)
    assert (result.score, result.max_score) == (6, 9)


def test_diagrams(gpo: tuple[DocumentRegistry, pd.DataFrame, dict[str, str]]) -> None:
    _, chains, _ = gpo
    mermaid = chain_mermaid(chains)
    assert mermaid.startswith("flowchart LR\n")
    assert len(re.findall(r"^    c1_\d\[", mermaid, flags=re.M)) == 7
    assert mermaid.count(" --> ") == 6
    assert ":::general" in mermaid and ":::specific" in mermaid
    dot = chain_dot(chains)
    assert dot.startswith("digraph cycle {") and dot.rstrip().endswith("}")
    assert dot.count(" -> ") == 6
    svg = chain_svg(chains)
    root = ET.fromstring(svg.encode("utf-8"))
    assert root.tag.endswith("svg")
    assert chain_svg(chains) == svg  # deterministic, so it can be committed to the docs


def test_docs_show_the_current_gpo_chain(
    gpo: tuple[DocumentRegistry, pd.DataFrame, dict[str, str]],
) -> None:
    _, chains, _ = gpo
    page = (ROOT / "docs" / "guides" / "cycle.md").read_text("utf-8")
    block = re.search(r"```text\n(flowchart LR\n.*?)```", page, flags=re.S)
    assert block is not None
    assert block[1] == chain_mermaid(chains)


def test_cycle_cli(tmp_path: Path) -> None:
    frame, _ = magnitogorsk_chain_documents()
    sheet = tmp_path / "документы.xlsx"
    frame.to_excel(sheet, index=False)
    runner = CliRunner()
    result = runner.invoke(
        main,
        [
            "cycle",
            "--profile",
            "magnitogorsk",
            str(sheet),
            "--indicator",
            "m01",
            "--diagram",
            str(tmp_path / "gpo.mmd"),
            "-o",
            str(tmp_path / "cycle.xlsx"),
        ],
    )
    assert result.exit_code == 0, result.output
    assert "Документов в реестре: 37" in result.output
    assert "полный" in result.output
    assert "Цепочка замкнута, но по звеньям «Показатель»" in result.output
    assert (tmp_path / "gpo.mmd").read_text("utf-8").startswith("flowchart LR")
    book = pd.read_excel(tmp_path / "cycle.xlsx", sheet_name=None, engine="calamine")
    assert set(book) == {"Реестр документов", "Полнота цикла", "Цепочки"}
    assert len(book["Цепочки"]) == 7
    result = runner.invoke(main, ["cycle", "--profile", "karabash"])
    assert result.exit_code == 0, result.output
    assert "неполный" in result.output
