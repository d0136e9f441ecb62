"""The examples shown in the docs, run as tests: the pages literalinclude the marked
regions of this file (``# [docs: …]`` … ``# [docs: end]``), so no example can go stale."""

from __future__ import annotations

import re
from pathlib import Path

import numpy as np
import pandas as pd
import pytest
from hypothesis import given, settings

import pedprof
from pedprof import BelowTarget, hookimpl

DOCS = Path(__file__).resolve().parents[1] / "docs"


def test_monitoring_from_python() -> None:
    # [docs: monitoring]
    import pedprof

    year = pedprof.Monitoring.from_sample("karabash")  # синтетические данные профиля
    results = year.results()  # все показатели, уровни и периоды
    analysis = year.analyze()  # последний период: цели, динамика, проблемные зоны
    rating = year.rate()  # рейтинг организаций по правилам профиля
    # [docs: end]
    assert set(results["level"]) == {"organization", "municipality", "region"}
    assert analysis is not None
    # every organisation with results in the rated period is ranked or listed with a reason
    org = results[(results["level"] == "organization") & (results["period"] == rating.period)]
    assert set(rating.ranking["unit"]) == set(org["unit"])


def test_rating_from_python() -> None:
    # [docs: rating]
    import pedprof

    profile = pedprof.get_profile("karabash")
    results = pedprof.compute(profile, pedprof.load_sample(profile))
    rating = pedprof.rate(results, profile="karabash", level="organization")
    ranking = rating.ranking  # место, балл, полнота данных, причина, если не ранжирована
    by_indicator = rating.decomposition  # вклад каждого показателя в балл каждой единицы
    by_criterion = rating.criteria  # вклад каждого критерия
    not_ranked = rating.not_ranked  # не ранжированные единицы и причины
    spread = rating.sensitivity  # интервалы мест при других весах и других методах
    explained = rating.explain("kgo_s1")  # разложение балла одной единицы (код организации)
    # [docs: end]
    assert explained is not None and spread is not None and not_ranked is not None
    # contributions add up to the score, per unit
    for unit, score in ranking.dropna(subset=["score"]).set_index("unit")["score"].items():
        assert by_indicator.loc[
            by_indicator["unit"] == unit, "contribution"
        ].sum() == pytest.approx(score)
        assert by_criterion.loc[
            by_criterion["unit"] == unit, "contribution"
        ].sum() == pytest.approx(score)
    ranked = ranking.dropna(subset=["rank"])
    # places are 1 + the number of strictly better scores (ties "min"; equal inputs tie
    # whatever order the floating-point sums were taken in)
    scores = ranked["score"].round(6)
    for r in ranked.itertuples(index=False):
        assert r.rank == 1 + (scores > round(r.score, 6)).sum()


def test_rating_rules_from_python() -> None:
    data = pedprof.load_sample("karabash")
    # [docs: rating rules]
    results = pedprof.compute("karabash", data)
    default = pedprof.rate(results)  # правила профиля karabash
    heavier = pedprof.rate(results, criterion_weights={"c1": 2})  # критерий c1 вдвое весомее
    minmax = pedprof.rate(results, profile="karabash", method="minmax")  # другой метод
    # [docs: end]
    assert default.method == "points" and minmax.method == "minmax"
    c1 = default.criteria[default.criteria["criterion"] == "c1"]
    c1_heavier = heavier.criteria[heavier.criteria["criterion"] == "c1"]
    n = default.criteria["criterion"].nunique()
    # equal criterion weights: c1 has 1/n of the weight; doubled: 2/(n + 1)
    assert c1["weight_share"].iloc[0] == pytest.approx(1 / n)
    assert c1_heavier["weight_share"].iloc[0] == pytest.approx(2 / (n + 1))


def _guide_block(text: str, heading: str, language: str) -> str:
    section = text[text.index(heading) :]
    start = section.index(f"```{language}\n") + len(language) + 4
    return section[start : section.index("```", start)]


def test_the_command_lines_of_the_rating_guide_run(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Every command of «Командная строка» in the rating guide, in order, in an empty
    folder, with ``rating.yaml`` saved from the guide's «Настройки в профиле»."""
    import shlex

    from click.testing import CliRunner

    from pedprof.cli import main

    text = (DOCS / "guides" / "rating.md").read_text(encoding="utf-8")
    monkeypatch.chdir(tmp_path)
    (tmp_path / "rating.yaml").write_text(
        _guide_block(text, "## Настройки в профиле", "yaml"), encoding="utf-8"
    )
    commands = [
        line for line in _guide_block(text, "## Командная строка", "text").splitlines() if line
    ]
    assert len(commands) >= 5
    runner = CliRunner()
    for line in commands:
        args = shlex.split(line)
        assert args[0] == "pedprof"
        result = runner.invoke(main, args[1:], catch_exceptions=False)
        assert result.exit_code == 0, f"{line}\n{result.output}"
    assert (tmp_path / "рейтинг.xlsx").is_file()


def test_analysis_guide_example() -> None:
    # [docs: analysis]
    import pedprof
    from pedprof.cycle.measures import effectiveness

    year = pedprof.Monitoring.from_sample("karabash")  # с демонстрационным реестром мер
    analysis = year.analyze()  # отчётный период — последний
    recommendations = year.recommend()  # правила профиля
    # свой реестр мер: year.load_measures("меры.xlsx")
    eff = effectiveness(analysis, year.measures)
    # [docs: end]
    assert analysis.period == "2023-2024"
    assert recommendations, "the sample has problem zones the profile's rules address"
    assert len(year.measures) > 0
    assert len(eff) > 0


def test_report_guide_example(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(tmp_path)
    # [docs: report]
    import pedprof

    year = pedprof.Monitoring.from_sample("karabash")
    # свои данные и реестр мер: pedprof.Monitoring.from_files("karabash", [Path("формы")])
    # и year.load_measures("меры.xlsx")
    report = year.report(suppress_below=5)  # группы меньше 5 человек не показываются
    written = year.write_report("out", report=report, formats=("docx", "xlsx", "html"))
    # {'docx': PosixPath('out/…'), 'xlsx': …, 'html': …}
    # [docs: end]
    assert set(written) == {"docx", "xlsx", "html"}
    assert all(path.is_file() and path.stat().st_size > 0 for path in written.values())


def test_cycle_guide_example() -> None:
    # [docs: cycle]
    import pandas as pd

    import pedprof
    from pedprof.cycle.documents import assess_completeness, cycle_chains, document_registry

    profile = pedprof.get_profile("magnitogorsk")
    # книга реестра документов методиста: document_registry(profile, "реестр.xlsx");
    # здесь — та же таблица, собранная в pandas
    sheet = pd.DataFrame(
        {
            "Вид документа": ["приказ"],
            "Номер": ["15"],
            "Дата": ["01.09.2023"],
            "Наименование": ["О проведении анализа эффективности принятых мер"],
            "Компоненты управленческого цикла": ["анализ эффективности"],
            "Показатели": ["m01"],
        }
    )
    registry = document_registry(profile, sheet)
    completeness = assess_completeness(profile, registry)
    print(completeness.text())
    chains = cycle_chains(profile, registry, indicators=["m01"])
    # [docs: end]
    without = assess_completeness(profile, document_registry(profile))
    gap = "• «Анализ эффективности принятых мер»: документы указаны без реквизитов"
    assert gap in without.text()  # the profile's own documents carry no number or date
    assert gap not in completeness.text()  # the order from the sheet does
    assert chains is not None
    # [docs: cycle scale]
    scale = {"approved": 2, "named": 1, "planned": 0.5, "missing": 0}
    scored = assess_completeness(profile, registry, scale=scale)
    assert scored.max_score == 2 * 9
    # [docs: end]
    # every component has a document, numbered ones (2 points) or named ones (1 point)
    assert 9 <= scored.score <= 18


# [docs: recommendation rule]
@hookimpl
def pedprof_register_recommendation_rules(register):
    register(
        "karabash",
        BelowTarget(
            id="contest_mentors",
            addressee="Методическому кабинету МКУ «Управление образования КГО»",
            indicators=("k08",),
            text="Назначить наставников участникам конкурсов профессионального мастерства.",
            basis="Приказ № 213 (о/д) от 19.08.2021, п. 5.7; дорожная карта, п. 2.3",
        ),
    )


# [docs: end]


def test_a_plugin_adds_a_recommendation_rule() -> None:
    """The rule above, registered by a plugin next to the Karabash profile, is applied
    where k08 misses its target, and only there."""
    import sys

    pm = pedprof.get_plugin_manager()
    pm.register(sys.modules[__name__], name="docs-example")
    assert not [p for p in pm.pedprof_problems if p.distribution == "docs-example"]  # type: ignore[attr-defined]
    year = pedprof.Monitoring.from_sample("karabash", plugin_manager=pm)
    ours = [r for r in year.recommend() if r.rule == "contest_mentors"]
    assert ours, "k08 misses its target somewhere in the sample"
    assert {r.indicator for r in ours} == {"k08"}
    plain = pedprof.Monitoring.from_sample("karabash").recommend()
    assert not [r for r in plain if r.rule == "contest_mentors"]


def test_the_command_lines_of_the_collection_guide_run(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Every ``pedprof …`` line of the collection guide's code blocks, in order, in an
    empty folder: the sample forms, their check, the blank forms."""
    import shlex

    from click.testing import CliRunner

    from pedprof.cli import main

    text = (DOCS / "guides" / "collection.md").read_text(encoding="utf-8")
    blocks = re.findall(r"^```([^\n]*)\n(.*?)^```[ \t]*$", text, flags=re.MULTILINE | re.DOTALL)
    commands = [
        line.strip()
        for info, body in blocks
        if info.strip() in {"", "text", "console", "shell"}
        for line in body.splitlines()
        if line.strip().startswith("pedprof ")
    ]
    assert len(commands) >= 5
    monkeypatch.chdir(tmp_path)
    runner = CliRunner()
    for line in commands:
        result = runner.invoke(main, shlex.split(line)[1:], catch_exceptions=False)
        assert result.exit_code == 0, f"{line}\n{result.output}"
    for written in ("реестр.xlsx", "kgo_s1.xlsx", "karabash.xlsx"):
        assert (tmp_path / written).is_file()


# --------------------------------------------------------------------------- conditions


def test_conditions_build_and_describe() -> None:
    # [docs: conditions build]
    from pedprof import always, col

    teachers = col("category").eq("teacher")
    young = teachers & col("age").lt(35) & col("experience_years").lt(3)
    not_assessed = teachers & ~col("deficit_assessed").true()
    mentors = col("mentoring_role").isin(["mentor", "both"])
    filled = col("expert_score").notna()
    recent_dpo = col("dpo_date").within()  # дата в отчётном периоде строки

    assert young.describe() == "category = teacher и age < 35 и experience_years < 3"
    assert not_assessed.describe() == "category = teacher и не (deficit_assessed — да)"
    assert mentors.describe() == "mentoring_role — одно из: «mentor», «both»"
    assert filled.describe() == "expert_score — заполнено"
    assert young.columns() == {"category", "age", "experience_years"}
    assert always().describe() == "все записи"
    # [docs: end]
    assert recent_dpo.columns() == {"dpo_date"}


def test_conditions_in_the_words_of_the_profile() -> None:
    # [docs: conditions vocabulary]
    import pedprof
    from pedprof import col

    staff = pedprof.get_profile("karabash").source("staff")
    cond = col("category").eq("teacher") & col("contest").true()
    assert cond.describe(staff) == (
        "Категория = педагогический работник и "
        "Участвует в конкурсах профессионального мастерства — да"
    )
    # [docs: end]


def test_conditions_in_a_profile_file() -> None:
    # [docs: conditions text]
    import pedprof
    from pedprof import col
    from pedprof.model.expressions import Columns, parse_condition

    staff = pedprof.get_profile("karabash").source("staff")
    text = (
        "категория = «педагогический работник» и возраст < 35 "
        "и не «Участвует в конкурсах профессионального мастерства»"
    )
    cond = parse_condition(text, Columns.of(staff))
    assert cond == col("category").eq("teacher") & col("age").lt(35) & ~col("contest").true()
    # [docs: end]


def test_conditions_evaluate_on_rows() -> None:
    # [docs: conditions evaluate]
    import pandas as pd

    from pedprof import col
    from pedprof.model.conditions import EvalContext
    from pedprof.model.periods import PeriodKind

    rows = pd.DataFrame(
        {
            "category": ["teacher", "teacher", "manager", None],
            "age": [30, 50, 30, 20],
            "deficit_assessed": [True, False, None, True],
        }
    )
    ctx = EvalContext(PeriodKind.SCHOOL_YEAR, np.zeros(len(rows), dtype=int))
    cond = col("category").eq("teacher") & (col("age").lt(35) | ~col("deficit_assessed").true())
    assert cond.evaluate(rows, ctx).tolist() == [True, True, False, False]
    # пустая ячейка не удовлетворяет ни true(), ни ne() (третья и четвёртая строки) …
    assert col("deficit_assessed").true().evaluate(rows, ctx).tolist() == [True, False, False, True]
    assert col("category").ne("teacher").evaluate(rows, ctx).tolist() == [False, False, True, False]
    # … а отрицание переворачивает маску целиком
    assert (~col("deficit_assessed").true()).evaluate(rows, ctx).tolist() == [
        False,
        True,
        True,
        False,
    ]
    # [docs: end]


# --------------------------------------------------------------------------- testing formulas

SAMPLE = pedprof.load_sample("karabash")
STAFF = SAMPLE.table("staff")
STAFF = STAFF[STAFF["org_id"].isin(["kgo_d1", "kgo_d8"])].reset_index(drop=True)


def test_redrawn_keeps_the_other_columns() -> None:
    from pedprof.testing import redrawn

    @settings(max_examples=10, deadline=None)
    @given(frame=redrawn(STAFF, {"contest": [True]}))
    def check(frame: pd.DataFrame) -> None:
        assert frame["contest"].all()
        pd.testing.assert_frame_equal(frame.drop(columns="contest"), STAFF.drop(columns="contest"))

    check()


# --------------------------------------------------------------------------- the guides' facts

SHEET_MENTION = re.compile(r"(?:лист|листе|листах|листа)\s+«([^»]+)»(?:\s+и\s+«([^»]+)»)?")


def _form_sheets() -> set[str]:
    import sys

    sys.path.insert(0, str(DOCS / "_ext"))
    try:
        from pedprof_docs import form_sheets
    finally:
        sys.path.pop(0)
    return {s for sheets in form_sheets("karabash").values() for s in sheets}


def test_every_sheet_the_collection_guide_names_exists() -> None:
    """The collection guide names only sheets that ``write_form`` (the forms) or the
    check report actually produce."""
    from pedprof.io import report as check_report

    text = (DOCS / "guides" / "collection.md").read_text(encoding="utf-8")
    mentioned = {
        " ".join(name.split()) for m in SHEET_MENTION.finditer(text) for name in m.groups() if name
    }
    assert mentioned, "the guide names no sheet: the pattern is stale"
    report_source = Path(check_report.__file__).read_text(encoding="utf-8")
    produced = _form_sheets() | {name for name in mentioned if f'"{name}"' in report_source}
    assert mentioned <= produced, sorted(mentioned - produced)


@pytest.mark.parametrize(
    "page",
    [
        *(f"guides/{p.name}" for p in sorted((DOCS / "guides").glob("*.md"))),
        "reference/conditions.md",
        "architecture.md",
    ],
)
def test_python_blocks_of_the_pages_are_included_from_tests(page: str) -> None:
    """No inline ```python block on these pages: examples come from tested files."""
    text = (DOCS / page).read_text(encoding="utf-8")
    assert "```python" not in text, f"{page}: literalinclude the example from a test"
