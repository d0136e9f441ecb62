"""The command line, through click's runner: Russian output, files written."""

from __future__ import annotations

from pathlib import Path

import openpyxl
from click.testing import CliRunner

import pedprof
from pedprof.cli import main


def test_profiles_lists_distribution_version_and_counts() -> None:
    result = CliRunner().invoke(main, ["profiles"], terminal_width=200)
    assert result.exit_code == 0, result.output
    assert "karabash" in result.output
    assert "pedprof-karabash" in result.output
    n = len(pedprof.get_profile("karabash").indicators)
    assert f"│ {n} " in result.output


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
    assert "принято: 1030, отклонено: 0" in " ".join(result.output.split())
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
