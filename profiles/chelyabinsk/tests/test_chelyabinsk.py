"""The Chelyabinsk regional layer: the roadmap and calendar as data, one run over the region.

Expected values are worked out from the municipal sample CSV files with plain pandas, or by
hand from the order, never by calling the engine.
"""

from __future__ import annotations

import datetime as dt
import re
from importlib import resources
from pathlib import Path

import pandas as pd
import pytest
from click.testing import CliRunner
from pedprof_chelyabinsk import (
    build_regional_dataset,
    monitoring_calendar,
    roadmap_markdown,
    roadmap_rows,
    side_by_side,
)

import pedprof
from pedprof import PeriodKind
from pedprof.cli import main

PROFILE = "chelyabinsk"
HERE = Path(__file__).resolve().parent
SEED = HERE.parents[2].parent / "shared" / "seeds" / "004_ed33123994f6994e.txt"
KARABASH = resources.files("pedprof_karabash") / "data" / "sample"
MAGNITOGORSK = resources.files("pedprof_magnitogorsk") / "data" / "sample"


def _csv(root: object, name: str) -> pd.DataFrame:
    with (root / f"{name}.csv").open("rb") as fh:  # type: ignore[operator]
        return pd.read_csv(fh, dtype=str, keep_default_na=False, na_values=[""])


@pytest.fixture(scope="module")
def profile() -> pedprof.Profile:
    return pedprof.get_profile(PROFILE)


@pytest.fixture(scope="module")
def expected_counts() -> pd.DataFrame:
    """Functioning associations per municipality and school year, from the two samples."""
    k = _csv(KARABASH, "associations")
    k = k[k["functioning"] == "True"].groupby("period")["association_id"].nunique()
    m = _csv(MAGNITOGORSK, "associations")
    m = m[m["status"].isin(["functioning", "opened", "transformed"])]
    m = m.groupby("period")["association_id"].nunique()
    return pd.DataFrame({"karabash": k, "magnitogorsk": m}).astype(float)


# --------------------------------------------------------------------------- registration


def test_registered_as_a_regional_profile(profile: pedprof.Profile) -> None:
    assert profile.distribution == "pedprof-chelyabinsk"
    assert profile.info.level == "region"
    assert profile.info.period_kind is PeriodKind.SCHOOL_YEAR
    assert [p for p in pedprof.plugin_problems() if "chelyabinsk" in p.distribution] == []
    assert profile.info.approved_by is not None
    assert (profile.info.approved_by.number, profile.info.approved_by.date) == (
        "01/730",
        dt.date(2021, 3, 18),
    )


def test_every_roadmap_row_is_data(profile: pedprof.Profile) -> None:
    rows = roadmap_rows()
    by_year = pd.Series([r["year"] for r in rows]).value_counts().to_dict()
    assert by_year == {2021: 48, 2022: 39}  # counted by hand in the order
    assert len(profile.roadmaps) == 2
    assert sum(len(r.rows) for r in profile.roadmaps) == 87
    first = rows[0]
    assert first["number"] == "1.1" and first["year"] == 2021
    assert first["event"].startswith("Утверждение модели методической работы")
    assert first["period"] == "Январь - февраль"
    assert first["responsible"] == "Министерство образования и науки Челябинской области"
    assert first["co_executors"] == "ГБУ ДПО ЧИПКРО"
    assert first["expected_result"].startswith("Наличие приказа Министерства")
    last = rows[-1]
    assert (last["year"], last["number"], last["period"]) == (2022, "5.6", "В течение года")
    assert last["result_reconstructed"]
    merged = next(r for r in rows if r["year"] == 2021 and r["number"] == "1.5.3")
    assert merged["result_from"] == "1.5"
    assert merged["expected_result"] == "Система методической работы"
    for row in rows:
        assert row["number"] and row["event"] and row["period"]


@pytest.mark.skipif(not SEED.exists(), reason="the seed text is not next to the repository")
def test_roadmap_rows_match_the_order_in_number_and_order() -> None:
    text = SEED.read_text("utf-8")
    printed = re.findall(r"^(\d+(?:\.\d+)+)\t", text, flags=re.M)
    assert [r["number"] for r in roadmap_rows()] == printed


def test_monitoring_windows_and_report_deadlines(profile: pedprof.Profile) -> None:
    cal = {(w.year, w.institute): w for w in monitoring_calendar()}
    general21 = cal[(2021, "ГБУ ДПО ЧИППКРО")]
    assert (general21.window_start, general21.window_end) == (
        dt.date(2021, 4, 15),
        dt.date(2021, 5, 10),
    )
    assert general21.report_due == dt.date(2021, 6, 5)
    assert cal[(2021, "ГБУ ДПО ЧИРПО")].report_due == dt.date(2021, 6, 5)
    general22 = cal[(2022, "ГБУ ДПО ЧИППКРО")]
    assert (general22.window_start, general22.window_end) == (
        dt.date(2022, 4, 1),
        dt.date(2022, 4, 30),
    )
    assert general22.report_due == dt.date(2022, 5, 30)
    assert cal[(2022, "ГБУ ДПО ЧИРПО")].report_due == dt.date(2022, 5, 15)
    assert general21.contains(dt.date(2021, 5, 10)) and not general21.contains(dt.date(2021, 5, 11))
    activities = {a.id: a for a in profile.monitoring_activities}
    assert set(activities) == {w.id for w in cal.values()} | {
        w.id.replace("monitoring_", "report_") for w in cal.values()
    }
    assert activities["report_2022_vocational"].period_text == "до 15.05.2022 г."
    assert activities["monitoring_2021_general"].period_text == "с 15.04.2021 г. по 10.05.2021 г."


def test_docs_fragment_is_current() -> None:
    fragment = HERE.parent / "docs" / "roadmap.md"
    text = fragment.read_text("utf-8")
    assert text == roadmap_markdown(), (
        "regenerate: uv run python profiles/chelyabinsk/scripts/render_docs.py"
    )
    assert text.count("\n| ") - text.count("\n| № |") == 87  # every row, once


# --------------------------------------------------------------------------- one run over the region


def regional_run_example() -> pd.DataFrame:
    """The regional run as the docs show it: two municipal samples, one regional dataset."""
    from pedprof_chelyabinsk import build_regional_dataset

    import pedprof

    data = build_regional_dataset(
        {
            "karabash": pedprof.load_sample("karabash"),
            "magnitogorsk": pedprof.load_sample("magnitogorsk"),
        }
    )
    results = pedprof.compute("chelyabinsk", data)
    return side_by_side(results, data)


def test_regional_run_side_by_side(expected_counts: pd.DataFrame) -> None:
    table = regional_run_example()
    total = table[table["breakdown"].isna()].set_index("period")
    for period, row in expected_counts.iterrows():
        for muni in ("karabash", "magnitogorsk"):
            if pd.isna(row[muni]):
                assert pd.isna(total.loc[period, muni])
            else:
                assert total.loc[period, muni] == row[muni]
        both = row.notna().all()
        assert bool(total.loc[period, "complete"]) is bool(both)
        if both:  # the region is the sum over its municipalities
            assert total.loc[period, "region"] == row["karabash"] + row["magnitogorsk"]
        else:
            assert pd.isna(total.loc[period, "region"])
            assert total.loc[period, "region_reported_only"] == row.sum()
    assert list(total.index) == [
        "2018-2019",
        "2019-2020",
        "2020-2021",
        "2021-2022",
        "2022-2023",
        "2023-2024",
    ]
    # by hand: 2020-2021 — Karabash 5, Magnitogorsk 34
    assert total.loc["2020-2021", "region"] == 39


def test_the_sample_keeps_the_comparable_years(profile: pedprof.Profile) -> None:
    data = pedprof.load_sample(PROFILE)
    results = pedprof.compute(profile, data)
    region = results[(results["level"] == "region") & results["breakdown"].isna()]
    assert region.set_index(region["period"].astype(str))["value"].to_dict() == {
        "2020-2021": 39.0,
        "2021-2022": 40.0,
    }


def test_associations_of_different_municipalities_never_merge() -> None:
    k = pedprof.load_sample("karabash")
    m = pedprof.load_sample("magnitogorsk")
    data = build_regional_dataset({"karabash": k, "magnitogorsk": m})
    ids = data.table("municipal_associations")["association_id"].astype(str)
    assert ids.str.startswith(("karabash:", "magnitogorsk:")).all()
    # the same local code in two municipalities is two associations
    renamed = k.with_tables(associations=k.table("associations").assign(association_id="g01"))
    both = build_regional_dataset({"karabash": renamed, "magnitogorsk": m})
    res = pedprof.compute(PROFILE, both, periods=["2020-2021"], levels=["region"])
    assert res.loc[res["breakdown"].isna(), "value"].iloc[0] == 1 + 34


def test_build_refuses_unknown_profiles_and_colliding_codes() -> None:
    m = pedprof.load_sample("magnitogorsk")
    with pytest.raises(ValueError, match="Нет правил перевода"):
        build_regional_dataset({"petrovsk": pedprof.load_sample("petrovsk")})
    with pytest.raises(ValueError, match="повторяются"):
        build_regional_dataset({"magnitogorsk": m, "karabash": m})


def test_demo_runs(tmp_path: Path) -> None:
    out = tmp_path / "c.xlsx"
    result = CliRunner().invoke(main, ["demo", "--profile", PROFILE, "-o", str(out)])
    assert result.exit_code == 0, result.output
    assert "Челябинская область" in result.output
    assert out.exists()
    assert "региональный уровень" in result.output
    assert "39" in result.output and "40" in result.output


def _norm(text: str) -> str:
    text = re.sub(r"<[^>]+>", " ", text)
    return re.sub(r"\s+", " ", text).strip()


@pytest.mark.skipif(not SEED.exists(), reason="the seed text is not next to the repository")
def test_calendar_texts_are_verbatim() -> None:
    seed = _norm(SEED.read_text("utf-8"))
    for w in monitoring_calendar():
        assert _norm(w.window_text) in seed
        assert _norm(w.report_text) in seed
