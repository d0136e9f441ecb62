"""Profiles as declaration files: the condition syntax, the file's validation (every problem
at once, with its place), loading through the plugin system, and a fourth profile written
as a file beside the shipped ones. Expected values are worked out by hand from the sample
in ``tests/fixtures/file_profile/sample/``."""

from __future__ import annotations

import json
import re
import warnings
from pathlib import Path

import numpy as np
import pandas as pd
import pytest

import pedprof
from pedprof.model.expressions import Columns, ConditionError, parse_condition
from pedprof.model.profile_file import (
    ProfileFileError,
    load_profile_file,
    parse_profile_text,
    profile_schema,
)
from pedprof.model.sources import Field, FieldType, Source
from pedprof.model.targets import YearlyTargets
from pedprof.plugins import build_registry, get_plugin_manager
from pedprof.plugins.files import ENV_VAR

FIXTURE = Path(__file__).parent / "fixtures" / "file_profile"
NOVGRAD = FIXTURE / "novgrad.yaml"

STAFF = Source(
    name="staff",
    title="Сотрудники",
    fields=(
        Field("org_id", "Код организации", FieldType.IDENTIFIER),
        Field("age", "Возраст, полных лет", FieldType.INTEGER),
        Field("experience_years", "Педагогический стаж, полных лет", FieldType.INTEGER),
        Field(
            "category",
            "Категория",
            FieldType.CHOICE,
            choices={"teacher": "педагогический работник", "manager": "руководитель"},
        ),
        Field("mentor", "Закреплён наставник", FieldType.BOOLEAN),
    ),
)
COLUMNS = Columns.of(STAFF)
ROWS = pd.DataFrame(
    {
        "org_id": ["a", "a", "b", "b", "c"],
        "age": [30, 40, 34, 20, 35],
        "experience_years": [2, 1, 3, 0, 1],
        "category": ["teacher", "teacher", "manager", "teacher", "teacher"],
        "mentor": [True, False, True, False, True],
    }
)


def mask(text: str) -> list[bool]:
    from pedprof.model.conditions import EvalContext
    from pedprof.model.periods import PeriodKind

    cond = parse_condition(text, COLUMNS)
    ctx = EvalContext(PeriodKind.SCHOOL_YEAR, np.zeros(len(ROWS), dtype=np.int64))
    return cond.evaluate(ROWS, ctx).tolist()


# --------------------------------------------------------------------------- conditions


def test_conditions_read_like_the_order() -> None:
    # age < 35 and experience < 3: rows 0 (30, 2) and 3 (20, 0)
    assert mask("возраст < 35 и стаж < 3") == [True, False, False, True, False]
    assert mask("age < 35 and experience_years < 3") == [True, False, False, True, False]
    assert mask("не (age < 35) или mentor") == [True, True, True, False, True]
    assert mask("категория = «педагогический работник» и не mentor") == [
        False,
        True,
        False,
        True,
        False,
    ]
    assert mask("category in ['manager'] or age >= 40") == [False, True, True, False, False]
    assert mask("mentor = нет") == [False, True, False, True, False]
    assert mask("«Возраст, полных лет» ≤ 30") == [True, False, False, True, False]


def test_conditions_render_back_in_russian_words() -> None:
    cond = parse_condition("возраст < 35 и стаж < 3", COLUMNS)
    assert cond.describe(STAFF) == (
        "Возраст, полных лет < 35 и Педагогический стаж, полных лет < 3"
    )
    assert parse_condition("category = 'teacher'", COLUMNS).describe(STAFF) == (
        "Категория = педагогический работник"
    )


def test_conditions_are_never_evaluated_as_code() -> None:
    with pytest.raises(ConditionError):
        parse_condition("__import__('os').system('true')", COLUMNS)
    with pytest.raises(ConditionError):
        parse_condition("age < 35; mentor", COLUMNS)


@pytest.mark.parametrize(
    ("text", "line", "column", "words"),
    [
        ("возраст <", 1, 10, "ожидалось"),
        ("age << 3", 1, 6, "«<»"),
        ("рост < 3", 1, 1, "неизвестный столбец «рост»"),
        ("category = x", 1, 12, "нет значения «x»"),
        ("age", 1, 1, "не «да / нет»"),
        ("age < 35 и\n  (стаж <", 2, 10, "конец условия"),
    ],
)
def test_condition_errors_name_line_column_and_what_was_expected(
    text: str, line: int, column: int, words: str
) -> None:
    with pytest.raises(ConditionError) as info:
        parse_condition(text, COLUMNS)
    assert (info.value.line, info.value.column) == (line, column)
    assert words in info.value.message


# --------------------------------------------------------------------------- the file


def test_the_example_file_declares_eight_indicators_in_under_200_lines() -> None:
    text = NOVGRAD.read_text("utf-8")
    assert len(text.splitlines()) < 200
    profile = load_profile_file(NOVGRAD)
    assert [i.id for i in profile.indicators] == [f"n{k}" for k in range(1, 9)]
    n4 = profile.indicators[3]
    assert n4.levels == ("municipality", "region")
    assert n4.document is not None and "№ 01/1234" in n4.document
    assert isinstance(profile.targets["n1"], YearlyTargets)
    assert profile.targets["n1"].describe() == (
        "по годам: в 2022 году ≥ 30; в 2023 году ≥ 40; далее (с 2024 года) > 50"
    )


BROKEN = """\
pedprof: 1
profile: {id: broken, title: Т, territory: Т}
campaign:
  title: Мониторинг
  deadlines:
    - {id: d1, what: Сдача, month: 2, day: 31}
sources:
  - name: staff
    title: Сотрудники
    fields:
      - {name: org_id, label: Код, type: identifier}
      - {name: age, label: Возраст, type: integer}
indicators:
  - id: a1
    name: Доля
    kind: share
    table: staff
    population: возраст < 35
    numerator: рост > 1
  - id: a2
    name: Количество
    kind: count
    table: nowhere
targets:
  - {indicator: zz, kind: at_least, value: 1}
"""


def test_every_problem_of_a_file_is_reported_at_once_with_its_place() -> None:
    with pytest.raises(ProfileFileError) as info:
        parse_profile_text(BROKEN, "broken.yaml")
    found = {(p.place, p.line): p for p in info.value.problems}
    assert set(found) == {
        ("campaign.deadlines[0].day", 6),
        # distinct defaults to person_id, which the table lacks: placed at the indicator
        ("indicators[0].distinct", 14),
        ("indicators[0].numerator", 19),
        ("indicators[1].table", 23),
        ("targets[0].indicator", 25),
    }
    assert "31.02" in found[("campaign.deadlines[0].day", 6)].message
    numerator = found[("indicators[0].numerator", 19)]
    assert "рост" in numerator.message and numerator.column == 16
    assert str(numerator).startswith("broken.yaml:19:16: indicators[0].numerator:")


def test_schema_errors_are_reported_all_together() -> None:
    text = "pedprof: 1\nprofile: {id: X, title: T}\nunknown: 1\n"
    with pytest.raises(ProfileFileError) as info:
        parse_profile_text(text, "x.yaml")
    places = {p.place for p in info.value.problems}
    assert places == {"profile.id", "profile.territory", "unknown"}


def test_the_json_schema_describes_the_file() -> None:
    schema = profile_schema()
    assert set(schema["required"]) == {"pedprof", "profile"}
    assert "indicators" in schema["properties"]
    json.dumps(schema)


# --------------------------------------------------------------------------- plugin system


def test_a_profile_file_in_the_environment_folder_loads_beside_the_shipped_ones(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setenv(ENV_VAR, str(FIXTURE))
    registry = build_registry(get_plugin_manager())
    assert {"novgrad", "petrovsk", "karabash", "magnitogorsk"} <= set(registry.profiles)
    assert registry.problems == []
    profile = registry.profiles["novgrad"]
    assert profile.distribution.startswith(ENV_VAR)
    assert profile.targets["n4"].levels == ("municipality",)


def test_a_broken_file_never_stops_the_others(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    (tmp_path / "broken.yaml").write_text(BROKEN, "utf-8")
    (tmp_path / "novgrad.yaml").write_text(
        NOVGRAD.read_text("utf-8").replace("sample: sample", ""), "utf-8"
    )
    monkeypatch.setenv(ENV_VAR, str(tmp_path))
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        registry = build_registry(get_plugin_manager())
    assert "novgrad" in registry.profiles and "broken" not in registry.profiles
    assert "petrovsk" in registry.profiles
    broken = [p for p in registry.problems if "broken.yaml" in p.item]
    assert len(broken) == 5
    assert any("broken.yaml:25:" in p.message for p in broken)


def _row(results: pd.DataFrame, ind: str, level: str, unit: str, period: str) -> pd.Series:
    sel = results[
        (results["indicator"] == ind)
        & (results["level"] == level)
        & (results["unit"] == unit)
        & (results["period"] == period)
        & results["breakdown"].isna()
    ]
    assert len(sel) == 1
    return sel.iloc[0]


def test_the_file_profile_computes_the_hand_worked_values(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv(ENV_VAR, str(FIXTURE))
    pm = get_plugin_manager()
    profile = pedprof.get_profile("novgrad", plugin_manager=pm)
    results = pedprof.compute(profile, pedprof.load_sample(profile, plugin_manager=pm))
    # n1: teachers trained in the year; 2021-2022: p01, p05 of p01 p02 p04 p05 → 2 of 4;
    # 2022-2023: p02, p06 of six teachers → 2 of 6, below 40 % (the 2023 target)
    n1 = _row(results, "n1", "municipality", "ng", "2021-2022")
    assert (n1["numerator"], n1["denominator"], bool(n1["target_met"])) == (2, 4, True)
    n1 = _row(results, "n1", "municipality", "ng", "2022-2023")
    assert (n1["numerator"], n1["denominator"], n1["target"]) == (2, 6, 40.0)
    assert bool(n1["target_met"]) is False
    # n3: young teachers with a mentor: 2022-2023 p01, p06 of p01 p06 p07
    n3 = _row(results, "n3", "municipality", "ng", "2022-2023")
    assert (n3["numerator"], n3["denominator"]) == (2, 3)
    # n4 applies above the organisation only; its target at the municipality only
    n4 = results[results["indicator"] == "n4"]
    assert set(n4["level"].astype(str)) == {"municipality", "region"}
    m = _row(results, "n4", "municipality", "ng", "2021-2022")
    assert (m["numerator"], m["denominator"], bool(m["target_met"])) == (3, 4, True)
    r = _row(results, "n4", "region", "r1", "2021-2022")
    assert pd.isna(r["target_met"]) and not r["target_due"]
    # n5: teachers of schools only (org_kind): the kindergarten is not applicable
    d1 = _row(results, "n5", "organization", "d1", "2022-2023")
    assert d1["state"] == "not_applicable"
    n5 = _row(results, "n5", "municipality", "ng", "2022-2023")
    assert (n5["numerator"], n5["denominator"], bool(n5["target_met"])) == (2, 4, True)
    # n8: organisations with at least one project: 2022-2023 s1, s2 of three
    n8 = _row(results, "n8", "municipality", "ng", "2022-2023")
    assert (n8["numerator"], n8["denominator"]) == (2, 3)


# --------------------------------------------------------------------------- command line


def test_profile_check_prints_what_the_file_declares_in_russian() -> None:
    from click.testing import CliRunner

    from pedprof.cli._profile_file import profile_check_command

    result = CliRunner().invoke(profile_check_command, [str(NOVGRAD)])
    assert result.exit_code == 0, result.output
    assert "Показатели (8):" in result.output
    assert "отбор: Категория = педагогический работник и Возраст, полных лет < 35" in result.output
    assert "только на уровне: муниципалитета, региона" in result.output
    assert "Ошибок нет." in result.output


def test_profile_check_lists_every_problem(tmp_path: Path) -> None:
    from click.testing import CliRunner

    from pedprof.cli._profile_file import profile_check_command

    broken = tmp_path / "broken.yaml"
    broken.write_text(BROKEN, "utf-8")
    result = CliRunner().invoke(profile_check_command, [str(broken)])
    assert result.exit_code == 1
    assert "ошибок: 5" in result.output
    assert f"{broken}:6:" in result.output and f"{broken}:19:16:" in result.output


def test_profile_schema_prints_json() -> None:
    from click.testing import CliRunner

    from pedprof.cli._profile_file import profile_schema_command

    result = CliRunner().invoke(profile_schema_command, [])
    assert result.exit_code == 0
    assert json.loads(result.output)["title"] == "Профиль pedprof"


@pytest.mark.slow
def test_the_core_checks_pass_with_a_fourth_profile_beside_the_shipped_ones() -> None:
    """Nothing in the core suite depends on which profiles are installed: the plugin, hook,
    public-API and frozen-value tests pass with the file profile registered beside them."""
    import os
    import subprocess
    import sys

    root = Path(__file__).resolve().parents[1]
    env = {**os.environ, ENV_VAR: str(FIXTURE)}
    tests = ("test_plugins.py", "test_hooks.py", "test_public_api.py", "test_frozen_values.py")
    run = subprocess.run(
        [sys.executable, "-m", "pytest", "-q", "-p", "no:xdist", "-m", "not slow"]
        + [str(root / "tests" / t) for t in tests],
        cwd=root,
        env=env,
        capture_output=True,
        text=True,
        check=False,
    )
    assert run.returncode == 0, run.stdout[-3000:]


# --------------------------------------------------------------------------- file vs Python

PYTHON_EQUIVALENT = Path(__file__).parent / "fixtures" / "python_profile" / "novgrad_plugin.py"


def _code_lines(path: Path) -> int:
    """Lines that are not blank and not comments."""
    lines = path.read_text("utf-8").splitlines()
    return sum(1 for line in lines if line.strip() and not line.strip().startswith("#"))


def test_the_file_declares_what_the_python_plugin_declares(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    import importlib.util

    monkeypatch.delenv(ENV_VAR, raising=False)
    spec = importlib.util.spec_from_file_location("novgrad_plugin", PYTHON_EQUIVALENT)
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    pm = get_plugin_manager(load_entry_points=False)
    pm.register(module, name="novgrad-python")
    python = build_registry(pm).profiles["novgrad"]
    file = load_profile_file(NOVGRAD)
    assert python.info == file.info
    assert python.indicators == file.indicators
    assert dict(python.targets) == dict(file.targets)
    own = tuple(s for s in python.sources if s.name != "organizations")
    assert own == file.sources
    assert python.monitoring_activities == file.monitoring_activities
    assert python.planned_effects == file.planned_effects
    assert python.documents == file.documents
    # and the figures of the issue: the file is shorter and needs no Python
    assert _code_lines(NOVGRAD) < 200 < _code_lines(PYTHON_EQUIVALENT)


def test_the_schema_speaks_russian_to_the_editor() -> None:
    schema = profile_schema()
    for name, part in schema["$defs"].items():
        text = part.get("description", "")
        assert re.search("[а-яА-Я]", text), name


def test_an_indicator_for_the_municipality_never_makes_a_school_a_problem_zone(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    from pedprof.evaluate.analysis import analyze

    monkeypatch.setenv(ENV_VAR, str(FIXTURE))
    pm = get_plugin_manager()
    profile = pedprof.get_profile("novgrad", plugin_manager=pm)
    data = pedprof.load_sample(profile, plugin_manager=pm)
    problems = analyze(profile, data, period="2022-2023").problems
    # n1 at the kindergarten (0 of 2 against 40 %) is a problem zone; n4 (municipality and
    # region only) is nowhere an organisation's problem
    assert ("n1", "organization", "d1") in set(
        zip(problems["indicator"], problems["level"], problems["unit"], strict=True)
    )
    assert "n4" not in set(problems["indicator"].astype(str))


SYNTAX = """\
pedprof: 1
profile: {id: syntax, title: Т, territory: Т}
sources:
  - name: staff
    title: Сотрудники
    fields:
      - {name: org_id, label: Код, type: identifier}
      - {name: person_id, label: Работник, type: identifier}
      - {name: age, label: Возраст, type: integer}
indicators:
  - id: a1
    name: Доля
    kind: share
    table: staff
    population: |
      age > 20 и
        age << 35
    numerator: "age ≥ 30 или"
"""


def test_a_syntax_error_names_its_line_column_and_what_was_expected() -> None:
    with pytest.raises(ProfileFileError) as info:
        parse_profile_text(SYNTAX, "s.yaml")
    found = {p.place: p for p in info.value.problems}
    population = found["indicators[0].population"]
    # the block's second line, «age << 35»: the second «<» at column 14 of line 17
    assert (population.line, population.column) == (17, 14)
    assert "ожидалось" in population.message
    numerator = found["indicators[0].numerator"]
    # the quoted text ends after «или»: expected is a condition, at the closing quote
    assert numerator.line == 18 and numerator.column == 17 + len("age ≥ 30 или")
    assert "конец условия" in numerator.message


def test_a_word_compared_with_less_than_is_a_condition_error() -> None:
    """«возраст < сорок» reads as a comparison of a number with a word: the condition
    objects refuse it, and the file reader reports that as a ConditionError (not lark's
    VisitError) with their Russian message."""
    with pytest.raises(ConditionError, match="только с числом или датой"):
        parse_condition("age < сорок", COLUMNS)
    with pytest.raises(ConditionError, match="только с числом или датой"):
        parse_condition('age < "а"', COLUMNS)


def test_the_report_cites_an_indicators_own_document(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    """An indicator that names its approving document (``document:`` in the file) is cited
    with it in the full ИАС's methodology appendix."""
    import docx

    from pedprof.reports import build_report, write_reports

    monkeypatch.setenv(ENV_VAR, str(FIXTURE))
    profile = build_registry(get_plugin_manager()).profiles["novgrad"]
    cited = [i for i in profile.indicators if i.document]
    assert cited, "the fixture declares indicators with their own document"
    report = build_report(profile, pedprof.load_sample(profile), full=True)
    written = write_reports(report, tmp_path, formats=["docx"], charts=False)
    document = docx.Document(str(written["docx"]))
    cells = [c.text for t in document.tables for row in t.rows for c in row.cells]
    for ind in cited:
        assert any(ind.document in c for c in cells), ind.id
