"""The application layer: :class:`pedprof.Monitoring` holds a year and runs each step."""

from __future__ import annotations

import csv
import datetime as dt
import shutil
from pathlib import Path

import pandas as pd
import pytest
from click.testing import CliRunner

import pedprof
from pedprof.app import (
    MeasuresError,
    Monitoring,
    NoDataError,
    sample_measures_path,
    split_measures,
)
from pedprof.cli import main
from pedprof.errors import PedprofError

KARABASH_MEASURES = Path(__file__).resolve().parent.parent / (
    "profiles/karabash/src/pedprof_karabash/data/sample/measures.csv"
)


def _measure_rows(path: Path) -> int:
    """Rows of a measures CSV counted with the csv module alone (blank lines aside)."""
    text = path.read_text(encoding="utf-8-sig")
    dialect = csv.Sniffer().sniff(text.splitlines()[0], delimiters=";,\t")
    rows = list(csv.reader(text.splitlines(), dialect))
    return sum(1 for r in rows[1:] if any(c.strip() for c in r))


@pytest.fixture(scope="module")
def year() -> Monitoring:
    return Monitoring.from_sample("karabash")


def test_monitoring_is_public() -> None:
    assert "Monitoring" in pedprof.__all__
    assert pedprof.Monitoring is Monitoring


def test_a_year_without_data_says_so_in_russian() -> None:
    empty = Monitoring("karabash")
    assert not empty.has_data
    with pytest.raises(LookupError) as info:
        _ = empty.data
    assert isinstance(info.value, PedprofError) and isinstance(info.value, NoDataError)
    assert "Нет данных мониторинга профиля «karabash»" in str(info.value)
    with pytest.raises(NoDataError):
        empty.results()


def test_an_unknown_profile_is_a_lookup_error() -> None:
    with pytest.raises(LookupError, match="nowhere"):
        Monitoring("nowhere")


def test_from_sample_holds_the_sample_and_its_register_of_measures(year: Monitoring) -> None:
    assert year.profile.id == "karabash"
    sample = pedprof.load_sample("karabash")
    pd.testing.assert_frame_equal(year.data.organizations, sample.organizations)
    assert sample_measures_path(year.profile) == KARABASH_MEASURES
    assert year.measures_source == KARABASH_MEASURES
    assert len(year.measures) == _measure_rows(KARABASH_MEASURES)
    assert "демонстрационных" in year.note


def test_results_are_computed_once_and_again_after_new_data(year: Monitoring) -> None:
    first = year.results()
    assert year.results() is first
    again = Monitoring(year.profile, year.data)
    pd.testing.assert_frame_equal(again.results(), first)
    again.data = pedprof.load_sample("karabash")
    assert again.results() is not first


def test_results_for_one_period_are_that_period_of_all(year: Monitoring) -> None:
    every = year.results()
    last = str(every["period"].astype(str).max())
    one = year.results(periods=[last])
    assert set(one["period"].astype(str)) == {last}
    cols = ["indicator", "level", "unit", "value"]
    mine = one[one["breakdown"].isna()][cols].sort_values(cols[:3]).reset_index(drop=True)
    whole = every[every["breakdown"].isna() & (every["period"].astype(str) == last)]
    theirs = whole[cols].sort_values(cols[:3]).reset_index(drop=True)
    pd.testing.assert_frame_equal(
        mine.astype({c: str for c in cols[:3]}), theirs.astype({c: str for c in cols[:3]})
    )


def test_rate_is_the_profiles_declared_rating_as_the_cli_and_api_rank(
    year: Monitoring, tmp_path: Path
) -> None:
    mine = year.rate()
    assert mine.declaration is not None
    api = pedprof.rate(pedprof.compute("karabash", pedprof.load_sample("karabash")))
    cols = ["unit", "score", "rank"]
    pd.testing.assert_frame_equal(mine.ranking[cols], api.ranking[cols])
    out = tmp_path / "rating.csv"
    result = CliRunner().invoke(main, ["rate", "--profile", "karabash", "-o", str(out)])
    assert result.exit_code == 0, result.output
    cli = pd.read_csv(out, dtype={"unit": str})
    pd.testing.assert_frame_equal(
        cli[cols].reset_index(drop=True),
        mine.ranking[cols].astype({"unit": str}).reset_index(drop=True),
        check_dtype=False,
    )


def test_rate_overrides_change_the_ranking(year: Monitoring) -> None:
    declared = year.rate()
    minmax = year.rate(method="minmax")
    assert not declared.ranking["score"].equals(minmax.ranking["score"])


def test_analyze_recommend_and_report_use_what_is_held(year: Monitoring) -> None:
    analysis = year.analyze()
    current = analysis.current()
    assert len(set(current["period"].astype(str))) == 1
    recs = year.recommend()
    assert recs == pedprof.recommend(analysis)
    report = year.report()
    assert len(report.measures) == len(year.measures)
    assert report.note == year.note
    assert len(report.recommendations) == len(recs)


def test_the_analysis_is_made_once_per_period_and_options(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    import pedprof.app as app

    calls: list[tuple[object, dict[str, object]]] = []
    real = app.analyze

    def counting(*args: object, **kw: object) -> object:
        calls.append((kw.get("period"), {k: v for k, v in kw.items() if k != "period"}))
        return real(*args, **kw)  # type: ignore[arg-type]

    monkeypatch.setattr(app, "analyze", counting)
    year = Monitoring.from_sample("karabash")
    first = year.analyze()
    assert year.analyze() is first
    year.recommend()
    report = year.report()
    assert report.analysis is first
    assert len(calls) == 1
    # Other options or another period: analysed anew; the same again: reused.
    year.analyze(tolerance_points=5.0)
    year.report(tolerance_points=5.0)
    assert len(calls) == 2 and calls[1][1] == {"tolerance_points": 5.0}
    periods = sorted(set(year.results()["period"].astype(str)))
    earlier = year.analyze(periods[-2])
    assert earlier.period == periods[-2] and len(calls) == 3
    # A report from explicit results analyses those results, not the held analysis.
    assert year.report(results=year.results()).analysis is not first
    # New data drop what was analysed.
    year.data = pedprof.load_sample("karabash")
    assert year.analyze() is not first
    assert len(calls) == 4


def test_write_report_writes_each_format(year: Monitoring, tmp_path: Path) -> None:
    written = year.write_report(tmp_path, formats=["html"], charts=False)
    assert list(written) == ["html"]
    assert written["html"].is_file() and written["html"].parent == tmp_path


def test_calendar_is_the_profiles_calendar(year: Monitoring) -> None:
    pd.testing.assert_frame_equal(year.calendar(2024), pedprof.build_calendar(year.profile, 2024))


def test_roadmap_execution_without_statuses_counts_past_rows_overdue() -> None:
    chel = Monitoring("chelyabinsk")
    rows = chel.roadmap_rows(today=dt.date(2030, 1, 1))
    assert len(rows) and set(rows["state"].astype(str)) == {"overdue"}
    summary = chel.roadmap_execution(today=dt.date(2030, 1, 1))
    assert summary is not None


def test_split_measures_takes_the_registers_out_of_the_data(tmp_path: Path) -> None:
    folder = tmp_path / "data"
    folder.mkdir()
    for name in ("staff.csv", "Measures.CSV", "меры.xlsx", ".hidden.csv", "~$lock.xlsx"):
        (folder / name).write_text("x", encoding="utf-8")
    lone = tmp_path / "реестр мер.csv"
    lone.write_text("x", encoding="utf-8")
    other = tmp_path / "measures.txt"
    other.write_text("x", encoding="utf-8")
    inputs, measures = split_measures([folder, lone, other])
    assert inputs == [folder / "staff.csv", other]
    assert measures == [folder / "Measures.CSV", folder / "меры.xlsx", lone]


def test_check_keeps_the_register_and_the_measures_found(tmp_path: Path) -> None:
    result = CliRunner().invoke(main, ["sample", "--profile", "karabash", "-o", str(tmp_path)])
    assert result.exit_code == 0, result.output
    shutil.copy(KARABASH_MEASURES, tmp_path / "measures.csv")
    year = Monitoring.from_files("karabash", [tmp_path])
    assert year.submissions is not None and year.submissions.rejected == 0
    assert year.submissions.accepted > 0
    assert year.measure_files == [tmp_path / "measures.csv"]
    assert len(year.measures) == _measure_rows(KARABASH_MEASURES)
    sample = pedprof.load_sample("karabash")
    assert sorted(year.data.organizations["org_id"].astype(str)) == sorted(
        sample.organizations["org_id"].astype(str)
    )
    assert year.note == ""


def test_a_bad_register_of_measures_is_named(tmp_path: Path) -> None:
    bad = tmp_path / "measures.csv"
    bad.write_text("what;ever\n1;2\n", encoding="utf-8")
    year = Monitoring.from_sample("karabash")
    with pytest.raises(MeasuresError) as info:
        year.load_measures(bad)
    assert isinstance(info.value, ValueError)
    assert str(info.value).startswith(f"Реестр мер {bad}: ")


def test_the_measures_held_count_as_documents_of_the_cycle(year: Monitoring) -> None:
    bare = Monitoring("karabash").document_registry()
    held = year.document_registry()
    assert len(year.measures) > 0
    assert len(held) > len(bare)
    assert year.cycle_completeness().score >= Monitoring("karabash").cycle_completeness().score
    chains = year.cycle_chains()
    assert len(chains) > 0
