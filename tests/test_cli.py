"""The command line, through click's runner: Russian output, files written."""

from __future__ import annotations

import ast
import importlib.metadata
import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

import click
import openpyxl
import pytest
from click.testing import CliRunner

import pedprof
from pedprof.cli import CLICK_RUSSIAN, CLICK_RUSSIAN_PLURAL, main
from pedprof.formatting import format_result
from pedprof.model.indicators import IndicatorKind
from pedprof.reports import build_report, narrative

# The profiles shipped with pedprof, with their territories. Other profiles may be installed
# too (a municipality's own): no test depends on which, or on how many.
SHIPPED = {
    "karabash": "Карабашский городской округ",
    "magnitogorsk": "Магнитогорский городской округ",
    "petrovsk": "Петровский муниципальный район",
    "chelyabinsk": "Челябинская область",
}


def _table(output: str) -> tuple[list[str], dict[str, list[str]]]:
    """The header and the rows (by their first cell) of the rich table in ``output``."""
    lines = output.splitlines()
    header = next(line for line in lines if line.startswith("┃"))
    columns = [c.strip() for c in header.strip("┃").split("┃")]
    rows = {}
    for line in lines:
        if line.startswith("│"):
            cells = [c.strip() for c in line.strip("│").split("│")]
            if cells[0]:
                rows[cells[0]] = cells
    return columns, rows


def _check_profile_rows(output: str) -> None:
    columns, rows = _table(output)
    assert columns == [
        "Профиль",
        "Дистрибутив",
        "Версия",
        "Показателей",
        "Источников",
        "Территория",
    ]
    for pid, territory in SHIPPED.items():
        profile = pedprof.get_profile(pid)
        cell = dict(zip(columns, rows[pid], strict=True))
        assert cell == {
            "Профиль": pid,
            "Дистрибутив": f"pedprof-{pid}",
            "Версия": importlib.metadata.version(f"pedprof-{pid}"),
            "Показателей": str(len(profile.indicators)),
            "Источников": str(len(profile.sources)),
            "Территория": territory,
        }
    assert "…" not in output


def test_profiles_lists_distribution_version_and_counts() -> None:
    result = CliRunner().invoke(main, ["profiles"])
    assert result.exit_code == 0, result.output
    _check_profile_rows(result.output)


def test_profiles_in_a_pipe_is_not_cut_at_80_columns() -> None:
    env = {k: v for k, v in os.environ.items() if k not in ("COLUMNS", "LINES")}
    done = subprocess.run(
        [sys.executable, "-m", "pedprof.cli", "profiles"],
        stdin=subprocess.DEVNULL,
        capture_output=True,
        text=True,
        env=env,
        check=False,
    )
    assert done.returncode == 0, done.stderr
    _check_profile_rows(done.stdout)
    assert max(len(line) for line in done.stdout.splitlines()) > 80


def test_profiles_on_a_narrow_terminal_is_a_list(monkeypatch: pytest.MonkeyPatch) -> None:
    from rich.console import Console

    monkeypatch.setattr(Console, "is_terminal", property(lambda self: True))
    result = CliRunner().invoke(main, ["profiles"], env={"COLUMNS": "60"})
    assert result.exit_code == 0, result.output
    lines = re.sub(r"\x1b\[[0-9;]*m", "", result.output).splitlines()  # no colours
    assert max(len(line) for line in lines) <= 60
    k = lines.index(f"karabash — {SHIPPED['karabash']}")
    karabash = pedprof.get_profile("karabash")
    assert lines[k + 1] == (
        f"   pedprof-karabash {importlib.metadata.version('pedprof-karabash')}; "
        f"показателей: {len(karabash.indicators)}; источников: {len(karabash.sources)}"
    )


def test_demo_prints_a_russian_table_and_writes_the_workbook(tmp_path: Path) -> None:
    out = tmp_path / "demo.xlsx"
    result = CliRunner().invoke(main, ["demo", "-o", str(out)], terminal_width=220)
    assert result.exit_code == 0, result.output
    assert "Карабашский городской округ" in result.output
    assert "СИНТЕТИЧЕСКИЕ" in result.output
    assert "2023-2024" in result.output
    assert str(out) in result.output.replace("\n", "")
    wb = openpyxl.load_workbook(out, read_only=True)
    assert wb.sheetnames == ["Сводка", "Результаты", "Показатели"]
    rows = list(wb["Результаты"].iter_rows(values_only=True))
    assert rows[0][0] == "Код показателя"
    results = pedprof.compute("karabash", pedprof.load_sample("karabash"))
    assert len(rows) - 1 == len(results)
    # numbers are numbers, states are in Russian
    states = {r[rows[0].index("Состояние")] for r in rows[1:]}
    assert states <= {"значение", "нет данных", "не применимо"}


def test_demo_of_an_unknown_profile_is_a_clear_error() -> None:
    result = CliRunner().invoke(main, ["demo", "--profile", "nowhere"])
    assert result.exit_code != 0
    assert "Профиль «nowhere» не найден" in result.output


def test_compute_from_submitted_files_equals_compute_on_the_sample(tmp_path: Path) -> None:
    runner = CliRunner()
    files = tmp_path / "files"
    assert runner.invoke(main, ["sample", "--profile", "karabash", "-o", str(files)]).exit_code == 0
    out = tmp_path / "results.parquet"
    result = runner.invoke(main, ["compute", "--profile", "karabash", str(files), "-o", str(out)])
    assert result.exit_code == 0, result.output
    assert "принято: 1073, отклонено: 0" in " ".join(result.output.split())  # 1030 + 43 receipts
    import pandas as pd

    got = pd.read_parquet(out)
    expected = pedprof.compute("karabash", pedprof.load_sample("karabash"))
    key = ["indicator", "breakdown", "level", "unit", "period"]
    got = got.astype({k: "string" for k in key}).sort_values(key).reset_index(drop=True)
    expected = expected.astype({k: "string" for k in key}).sort_values(key).reset_index(drop=True)
    pd.testing.assert_series_equal(got["value"], expected["value"])
    pd.testing.assert_series_equal(got["numerator"], expected["numerator"])


def test_compute_refuses_an_unknown_output_format(tmp_path: Path) -> None:
    result = CliRunner().invoke(
        main, ["compute", "--profile", "karabash", "-o", str(tmp_path / "x.txt")]
    )
    assert result.exit_code != 0
    assert ".xlsx, .parquet или .csv" in result.output


def test_short_target_words() -> None:
    from pedprof.cli import short_target

    targets = pedprof.get_profile("karabash").targets
    assert short_target(targets["k05"]) == "≥ 35 к 2024"
    assert short_target(targets["k01.annual"]) == "≥ 33,3 ежегодно"
    assert short_target(targets["k19"]) == "рост ≥ 10 % к 2020-2021 к 2024"
    assert short_target(targets["k11"]) == "≥ 2 в каждой ОО к 2024"
    assert short_target(targets["k16"]).endswith("и без снижения")
    # a share's thresholds are percentages; a count's are not
    assert short_target(targets["k05"], percent=True) == "≥ 35 % к 2024"
    assert short_target(targets["k01"], percent=True) == "≥ 33,3 % в год, до 66,6 %"
    assert short_target(targets["k01"]) == "≥ 33,3 в год, до 66,6"
    assert short_target(targets["k16"], percent=True).endswith("и без снижения")
    assert short_target(pedprof.PositiveDynamics(min_points=5), percent=True) == (
        "рост ≥ 5 п. п. к пред. году"
    )
    assert short_target(pedprof.PositiveDynamics(min_points=5)) == "рост ≥ 5 ед. к пред. году"


# --------------------------------------------------------------------------- click in Russian


def _click_words() -> set[str]:
    """The English words click writes: those of its messages (read from its source, so a
    new version's messages count too) and of its metavars."""
    words = {"OPTIONS", "COMMAND", "ARGS", "TEXT", "INTEGER", "FLOAT", "BOOLEAN", "FILE", "PATH"}
    words |= {"DIRECTORY", "RANGE", "FILENAME"}
    for path in Path(click.__file__).parent.glob("*.py"):
        for node in ast.walk(ast.parse(path.read_text("utf-8"))):
            if isinstance(node, ast.Call) and getattr(node.func, "id", None) in ("_", "ngettext"):
                for arg in node.args:
                    if isinstance(arg, ast.Constant) and isinstance(arg.value, str):
                        text = re.sub(r"\{[^}]*\}|%\([^)]*\)s", " ", arg.value)
                        words |= set(re.findall(r"[A-Za-z]{3,}", text))
    return words


CLICK_WORDS = _click_words()


def _english_of_click(output: str) -> set[str]:
    """click's English words left in ``output`` (option names like --help aside)."""
    text = re.sub(r"(?<![\w-])--?[A-Za-z][\w-]*", " ", output)
    return set(re.findall(r"[A-Za-z]+", text)) & CLICK_WORDS


def test_the_click_vocabulary_is_real() -> None:
    assert {"Usage", "Error", "Missing", "option", "Show", "message", "exit"} <= CLICK_WORDS
    assert _english_of_click("Usage: pedprof [OPTIONS]\nError: Missing option '--profile'.") == {
        "Usage",
        "OPTIONS",
        "Error",
        "Missing",
        "option",
    }


def _messages_of_click() -> tuple[set[str], set[tuple[str, str]]]:
    single: set[str] = set()
    plural: set[tuple[str, str]] = set()
    for path in Path(click.__file__).parent.glob("*.py"):
        for node in ast.walk(ast.parse(path.read_text("utf-8"))):
            if not isinstance(node, ast.Call):
                continue
            name = getattr(node.func, "id", None)
            texts = [a.value for a in node.args if isinstance(a, ast.Constant)]
            if name == "_" and texts and isinstance(texts[0], str):
                single.add(texts[0])
            elif name == "ngettext" and len(texts) >= 2:
                plural.add((texts[0], texts[1]))
    single.add("required")  # passed to _ through a variable
    return single, plural


def test_every_message_of_click_has_a_russian_translation() -> None:
    single, plural = _messages_of_click()
    assert len(single) > 50 and len(plural) > 5
    assert single - set(CLICK_RUSSIAN) == set()
    assert plural - set(CLICK_RUSSIAN_PLURAL) == set()
    # the placeholders survive translation (a translation may drop an English-only one)
    for message, russian in CLICK_RUSSIAN.items():
        dropped = set(re.findall(r"\{(\w+)", message)) - set(re.findall(r"\{(\w+)", russian))
        assert dropped <= {"param_type", "number_type"}, message


@pytest.mark.parametrize(
    ("args", "code", "expected"),
    [
        (["--help"], 0, "Использование: pedprof [ПАРАМЕТРЫ] КОМАНДА [АРГУМЕНТЫ]..."),
        (["--help"], 0, "--help     Показать эту справку и выйти."),
        (["--version"], 0, "pedprof, версия "),
        (["check"], 2, "Ошибка: Не указан аргумент"),
        (["compute"], 2, "Ошибка: Не указан параметр '--profile'."),
        (["demo", "--bogus"], 2, "Ошибка: Нет такого параметра '--bogus'."),
        (["demo", "--profle", "x"], 2, "Возможно, имелось в виду '--profile'?"),
        (
            ["report", "--profile", "karabash", "--format", "odt"],
            2,
            "Ошибка: Недопустимое значение '--format': 'odt'; допустимые значения: "
            "'docx', 'xlsx', 'html', 'pdf'.",
        ),
        (["calendar", "--profile", "karabash", "--year", "x"], 2, "'x' — не число."),
        (["nosuch"], 2, "Ошибка: Нет такой команды 'nosuch'."),
        (["demo", "-o"], 2, "Параметру '-o' нужно значение."),
        (["demo", "два"], 2, "Лишний аргумент (два)"),
        (
            ["demo", "--bogus"],
            2,
            "Использование: pedprof demo [ПАРАМЕТРЫ]\nСправка: pedprof demo --help",
        ),
    ],
)
def test_click_speaks_russian(args: list[str], code: int, expected: str) -> None:
    result = CliRunner().invoke(main, args, prog_name="pedprof")
    assert result.exit_code == code, result.output
    assert expected in result.output
    assert _english_of_click(result.output) == set(), result.output


def test_every_command_s_help_is_in_russian() -> None:
    names = main.list_commands(click.Context(main))
    assert len(names) >= 10
    for name in names:
        result = CliRunner().invoke(main, [name, "--help"], prog_name="pedprof")
        assert result.exit_code == 0, (name, result.output)
        assert result.output.startswith(f"Использование: pedprof {name} [ПАРАМЕТРЫ]"), name
        assert "Параметры:" in result.output
        assert _english_of_click(result.output) == set(), (name, result.output)


def test_a_missing_file_is_named_in_russian(tmp_path: Path) -> None:
    result = CliRunner().invoke(main, ["check", "--profile", "karabash", str(tmp_path / "x")])
    assert result.exit_code == 2
    assert f"Путь '{tmp_path / 'x'}' не существует." in result.output


def test_other_click_programs_keep_their_language() -> None:
    @click.command()
    @click.option("--n", type=int)
    def other(n: int) -> None:
        """Another program in the same process."""

    assert CliRunner().invoke(main, ["--help"]).exit_code == 0
    result = CliRunner().invoke(other, ["--n", "x"])
    assert "Usage:" in result.output and "Error: Invalid value for '--n'" in result.output
    assert "Show this message and exit." in CliRunner().invoke(other, ["--help"]).output


# --------------------------------------------------------------------------- the demo


def test_results_are_written_by_the_indicator_s_kind() -> None:
    # a share is a percentage, a count a number
    assert format_result(66.666, "value", kind="share", level="municipality") == "66,7 %"
    assert format_result(5.0, "value", kind="count", level="municipality") == "5"
    assert format_result(6.0, "value", kind="presence", level="municipality") == "6"
    assert format_result(1234.0, "value", kind="count", level="region") == "1\u202f234"
    # «не менее 2 в каждой ОО»: a count in an organisation, above it the organisations
    # that reach it — 8 of the 9 that reported (88,9 %), written as counts
    kind = IndicatorKind.PER_ORGANIZATION_MINIMUM
    assert format_result(3.0, "value", kind=kind, level="organization") == "3"
    assert (
        format_result(88.888, "value", kind=kind, level="municipality", numerator=8, denominator=9)
        == "8 из 9 ОО"
    )
    assert format_result(88.888, "value", kind=kind, level="region") == "88,9 %"
    assert format_result(float("nan"), "no_data", kind="share", level="region") == "нет данных"


def _demo(profile_id: str, tmp_path: Path) -> str:
    out = tmp_path / f"{profile_id}.xlsx"
    result = CliRunner().invoke(
        main, ["demo", "--profile", profile_id, "-o", str(out)], env={"COLUMNS": "250"}
    )
    assert result.exit_code == 0, result.output
    return result.output


CELL_PATTERNS = {
    IndicatorKind.SHARE: r"\d+,\d %",
    IndicatorKind.COUNT: r"\d[\d\u202f]*(,\d)?",
    IndicatorKind.PRESENCE: r"\d[\d\u202f]*(,\d)?",
    IndicatorKind.PER_ORGANIZATION_MINIMUM: r"\d+ из \d+ ОО",
}


@pytest.mark.parametrize("profile_id", sorted(SHIPPED))
def test_demo_prints_counts_as_counts_and_shares_as_percentages(
    profile_id: str, tmp_path: Path
) -> None:
    profile = pedprof.get_profile(profile_id)
    columns, rows = _table(_demo(profile_id, tmp_path))
    periods = columns[2:-2]
    assert periods and all(re.fullmatch(r"\d{4}(-\d{4})?", p) for p in periods)
    checked = 0
    for ind in profile.indicators:
        if ind.id not in rows:
            continue
        for cell in rows[ind.id][2 : 2 + len(periods)]:
            if cell in ("нет данных", "не применимо", "—"):
                continue
            assert re.fullmatch(CELL_PATTERNS[ind.kind], cell), (ind.id, ind.kind, cell)
            checked += 1
    assert checked >= len(profile.indicators)


def test_demo_writes_k11_as_organisations_that_reach_two(tmp_path: Path) -> None:
    _, rows = _table(_demo("karabash", tmp_path))
    results = pedprof.compute("karabash", pedprof.load_sample("karabash"))
    k11 = results[
        (results["indicator"] == "k11")
        & (results["level"] == "municipality")
        & results["breakdown"].isna()
    ]
    expected = [f"{int(r.numerator)} из {int(r.denominator)} ОО" for r in k11.itertuples()]
    assert rows["k11"][2 : 2 + len(expected)] == expected
    assert expected[0] == "0 из 10 ОО"  # 2020-2021: no organisation has two programmes yet


def _ias_conclusion(profile_id: str) -> str | None:
    profile = pedprof.get_profile(profile_id)
    data = pedprof.load_sample(profile)
    report = build_report(profile, data, rating=False)
    items = [
        item
        for block in narrative(report, charts=False)
        for item in getattr(block, "items", ())
        if "достигнуты по" in item
    ]
    return items[0] if items else None


@pytest.mark.parametrize("profile_id", sorted(SHIPPED))
def test_demo_says_what_its_target_counts_count(profile_id: str, tmp_path: Path) -> None:
    profile = pedprof.get_profile(profile_id)
    output = " ".join(_demo(profile_id, tmp_path).split())
    if not profile.targets:
        assert "Целевые значения профилем не установлены" in output
        return
    level = {"municipality": "муниципальный уровень", "region": "региональный уровень"}[
        profile.info.level
    ]
    # the latest period: the very count of the ИАС's conclusions
    conclusion = _ias_conclusion(profile_id)
    assert conclusion is not None
    found = re.search(r"достигнуты по (\d+) из (\d+) показател", conclusion)
    assert found is not None
    met, judged = found.groups()
    period = re.search(r"Итог (\S+) \(", output)
    assert period is not None
    assert (
        f"Итог {period[1]} ({level}), как в выводах ИАС: целевые значения достигнуты по "
        f"{met} из {judged} показател"
    ) in output
    # every period: each target due, indicator × period, counted with plain pandas
    results = pedprof.compute(profile, pedprof.load_sample(profile))
    top = results[(results["level"] == profile.info.level) & results["breakdown"].isna()]
    due = top[top["target_due"].astype(bool)]
    met_all = int((due["target_met"] == True).sum())  # noqa: E712
    not_met = int((due["target_met"] == False).sum())  # noqa: E712
    unknown = len(due) - met_all - not_met
    periods = sorted({str(p) for p in top["period"]})
    expected = (
        f"Все годы {periods[0]} — {periods[-1]} ({level}): целевых значений с наступившим "
        f"сроком — {len(due)} (показатель × год), достигнуто — {met_all}, не достигнуто — "
        f"{not_met}" + (f", нет данных для оценки — {unknown}." if unknown else ".")
    )
    assert expected in output
    assert "Целей с наступившим сроком" not in output  # the old, ambiguous line


# --------------------------------------------------------------------------- start-up

HEAVY = ("pandas", "numpy", "matplotlib", "openpyxl", "docx", "rich", "pyarrow", "pedprof.engine")


def _imported_after(code: str) -> list[str]:
    """The heavy modules a fresh interpreter has imported after running ``code``."""
    probe = f"{code}\nimport sys\nprint(','.join(m for m in {HEAVY!r} if m in sys.modules))"
    out = subprocess.run(
        [sys.executable, "-c", probe], capture_output=True, text=True, check=True
    ).stdout
    return [m for m in out.strip().split(",") if m]


def test_importing_the_cli_loads_no_heavy_library() -> None:
    assert _imported_after("import pedprof.cli") == []


def test_the_help_listing_loads_no_command_module() -> None:
    code = (
        "from click.testing import CliRunner\nfrom pedprof.cli import main\n"
        "r = CliRunner().invoke(main, ['--help'], prog_name='pedprof')\n"
        "assert r.exit_code == 0 and 'report' in r.output, r.output\n"
        "import sys\nassert not [m for m in sys.modules if m.startswith('pedprof.cli._')]"
    )
    assert _imported_after(code) == []


def test_every_listed_command_is_the_command_of_that_name() -> None:
    from pedprof.cli import COMMANDS

    ctx = click.Context(main)
    listing = " ".join(CliRunner().invoke(main, ["--help"], prog_name="pedprof").output.split())
    for name, (_module, _attribute, short) in COMMANDS.items():
        command = main.get_command(ctx, name)
        assert command is not None and command.name == name
        assert short and f"{name} {short}" in listing
        words = set(re.findall("[A-Za-z]{4,}", short)) - {
            "Parquet",
            "JSON",
            "Schema",
            "xlsx",
            "docx",
            "html",
            "HTTP",
            "pedprof",
        }
        assert not words, short


# --------------------------------------------------------------------------- check and measures

SAMPLE_MEASURES = (
    Path(__file__).resolve().parent.parent
    / "profiles/karabash/src/pedprof_karabash/data/sample/measures.csv"
)


@pytest.fixture(scope="module")
def karabash_forms(tmp_path_factory: pytest.TempPathFactory) -> Path:
    folder = tmp_path_factory.mktemp("forms")
    result = CliRunner().invoke(main, ["sample", "--profile", "karabash", "-o", str(folder)])
    assert result.exit_code == 0, result.output
    return folder


def test_check_reads_a_register_of_measures_as_measures(
    karabash_forms: Path, tmp_path: Path
) -> None:
    folder = tmp_path / "forms"
    shutil.copytree(karabash_forms, folder)
    shutil.copy(SAMPLE_MEASURES, folder / "measures.csv")
    rows = len(SAMPLE_MEASURES.read_text("utf-8-sig").strip().splitlines()) - 1
    result = CliRunner().invoke(
        main, ["check", "--profile", "karabash", str(folder), "--report", str(tmp_path / "r.xlsx")]
    )
    assert result.exit_code == 0, result.output
    assert f"принято мер: {rows}." in " ".join(result.output.split())
    assert "отклонено: 0" in result.output


def test_check_fails_on_an_unreadable_register_of_measures(
    karabash_forms: Path, tmp_path: Path
) -> None:
    folder = tmp_path / "forms"
    shutil.copytree(karabash_forms, folder)
    (folder / "меры.csv").write_text("что;угодно\n1;2\n", encoding="utf-8")
    result = CliRunner().invoke(
        main, ["check", "--profile", "karabash", str(folder), "--report", str(tmp_path / "r.xlsx")]
    )
    assert result.exit_code == 1
    flat = result.output.replace("\n", "")  # rich wraps a long temporary path anywhere
    assert "Реестр мер" in flat and "меры.csv" in flat
    assert (tmp_path / "r.xlsx").is_file()  # the forms were still checked and reported
