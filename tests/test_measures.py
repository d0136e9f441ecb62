"""The register of measures and the effectiveness analysis."""

from __future__ import annotations

import datetime as dt
from importlib import resources
from pathlib import Path

import openpyxl
import pandas as pd
import pytest

import pedprof
from pedprof.cycle.measures import (
    MEASURE_HEADERS,
    Measure,
    effectiveness,
    load_measures,
    measure_summary,
)
from pedprof.evaluate.analysis import analyze

KARABASH = pedprof.get_profile("karabash")
DATA = pedprof.load_sample(KARABASH)
RESULTS = pedprof.compute(KARABASH, DATA)
ANALYSIS = analyze(KARABASH, DATA, RESULTS)
SAMPLE = resources.files("pedprof_karabash").joinpath("data/sample/measures.csv")
ORGS = DATA.organizations["org_id"].tolist()


def _sample() -> pd.DataFrame:
    with SAMPLE.open("rb") as fh:
        return pd.read_csv(fh, dtype=str, keep_default_na=False)


def test_the_sample_register_loads_completely() -> None:
    reg = load_measures(_sample(), profile=KARABASH, organizations=ORGS)
    assert reg.problems == ()
    assert len(reg) == 6
    first = reg.measures[0]
    assert first.date == dt.date(2021, 9, 10)
    assert first.kind == "decision"
    assert first.component is pedprof.CycleComponent.MANAGEMENT_DECISIONS
    assert reg.measures[1].organizations == ("kgo_d1", "kgo_d5")
    assert reg.measures[2].indicators == ("k16", "k17")
    frame = reg.frame()
    assert list(frame.columns) == list(MEASURE_HEADERS.values())


def test_a_workbook_with_russian_headers(tmp_path: Path) -> None:
    wb = openpyxl.Workbook()
    ws = wb.active
    assert ws is not None
    ws.title = "Меры"
    ws.append(
        [
            "Код",
            "Мера, мероприятие, управленческое решение",
            "Дата",
            "Показатели",
            "Организации",
            "Вид",
        ]
    )
    ws.append(["1", "Семинар", dt.datetime(2023, 10, 1), "k08; k05", "kgo_s1", "мера"])
    ws.append([None, None, None, None, None, None])  # an empty row is skipped silently
    ws.append(["2", "Решение", "01.11.2023", "", "", "управленческое решение"])
    path = tmp_path / "меры.xlsx"
    wb.save(path)
    reg = load_measures(path, profile=KARABASH, organizations=ORGS)
    assert reg.problems == ()
    assert [m.id for m in reg.measures] == ["1", "2"]
    assert reg.measures[0].indicators == ("k08", "k05")
    assert reg.measures[0].date == dt.date(2023, 10, 1)
    assert reg.measures[1].kind == "decision"


def test_every_refused_row_has_a_reason_with_its_row_number() -> None:
    frame = pd.DataFrame(
        [
            {"measure_id": "a", "title": "Мера", "date": "01.10.2023", "indicators": "k08"},
            {"measure_id": "b", "title": "Мера", "date": "", "indicators": "k08"},
            {"measure_id": "c", "title": "Мера", "date": "31.02.2023"},
            {"measure_id": "d", "title": "Мера", "date": "01.10.2023", "indicators": "k99"},
            {"measure_id": "e", "title": "Мера", "date": "01.10.2023", "organizations": "x1"},
            {"measure_id": "a", "title": "Мера", "date": "01.10.2023"},
            {"measure_id": "f", "title": "", "date": "01.10.2023"},
            {"measure_id": "g", "title": "Мера", "date": "01.10.2023", "kind": "приказ"},
            {
                "measure_id": "h",
                "title": "Мера",
                "date": "2023-10-01",
                "responsible": "Иванова А.А., заместитель",
            },
        ]
    )
    reg = load_measures(frame, profile=KARABASH, organizations=ORGS)
    assert [m.id for m in reg.measures] == ["a", "h"]
    assert reg.measures[1].responsible == "(ФИО скрыто)"
    text = "\n".join(reg.problems)
    assert "строка 3: не указана дата" in text
    assert "строка 4: «31.02.2023» не является датой" in text
    assert "строка 5: неизвестные показатели: k99" in text
    assert "строка 6: неизвестные организации: x1" in text
    assert "строка 7: код «a» уже встречался" in text
    assert "строка 8: не заполнено поле «Мера, мероприятие, управленческое решение»" in text
    assert "строка 9: вид «приказ» не распознан" in text
    assert "строка 10: в поле «Ответственный» похоже указано ФИО" in text
    assert len(reg.problems) == 8


def test_a_register_without_required_columns_is_refused() -> None:
    with pytest.raises(ValueError, match="«Дата»"):
        load_measures(pd.DataFrame({"Код": ["1"], "title": ["Мера"]}))


_REGISTER_ROWS = [
    ["Код", "Мера, мероприятие, управленческое решение", "Дата", "Показатели", "Организации"],
    ["1", "Семинар «Наставничество»; практикум", "01.10.2023", "k08, k05", "kgo_s1"],
    ["2", "Решение коллегии", "2023-11-01", "", ""],
    ["3", "Мера без даты", "", "k08", ""],
]


def _register_text(sep: str) -> str:
    import csv
    import io

    out = io.StringIO()
    csv.writer(out, delimiter=sep, lineterminator="\r\n").writerows(_REGISTER_ROWS)
    return out.getvalue()


@pytest.mark.parametrize(
    ("sep", "encoding"),
    [(";", "cp1251"), (";", "utf-8-sig"), (",", "utf-8"), ("\t", "utf-16")],
)
def test_a_text_register_in_any_separator_and_encoding(
    tmp_path: Path, sep: str, encoding: str
) -> None:
    # Excel in Russian saves CSV with «;» in Windows-1251; «Текст Юникод» is UTF-16 + tab.
    path = tmp_path / "меры.csv"
    path.write_bytes(_register_text(sep).encode(encoding))
    reg = load_measures(path, profile=KARABASH, organizations=ORGS)
    assert [m.id for m in reg.measures] == ["1", "2"]
    assert reg.measures[0].title == "Семинар «Наставничество»; практикум"
    assert reg.measures[0].indicators == ("k08", "k05")
    assert reg.measures[1].date == dt.date(2023, 11, 1)
    assert reg.problems == ("строка 4: не указана дата; строка не принята",)


def test_a_workbook_register_below_a_title_keeps_its_row_numbers(tmp_path: Path) -> None:
    wb = openpyxl.Workbook()
    ws = wb.active
    assert ws is not None
    ws.title = "Меры"
    ws.append(["Реестр мер и управленческих решений на 2023 год"])
    ws.append([])
    for row in _REGISTER_ROWS:
        ws.append(row)
    wb.save(tmp_path / "меры.xlsx")
    reg = load_measures(tmp_path / "меры.xlsx", profile=KARABASH)
    assert [m.id for m in reg.measures] == ["1", "2"]
    assert reg.problems == ("строка 6: не указана дата; строка не принята",)


def test_a_register_that_is_not_a_table_is_refused_in_russian(tmp_path: Path) -> None:
    path = tmp_path / "меры.csv"
    path.write_bytes(b"%PDF-1.4\n%\xe2\xe3\xcf\xd3\n")
    with pytest.raises(ValueError, match=r"реестр мер «меры\.csv» не прочитан: это PDF-документ"):
        load_measures(path)
    (tmp_path / "empty.csv").write_text("\n\n", encoding="utf-8")
    with pytest.raises(ValueError, match=r"реестр мер «empty\.csv» пуст"):
        load_measures(tmp_path / "empty.csv")


def _group(indicator: str, period: str, units: list[str], inside: bool) -> float:
    r = RESULTS
    rows = r[
        (r["indicator"] == indicator)
        & (r["level"] == "organization")
        & (r["period"] == period)
        & r["breakdown"].isna()
        & (r["state"] != "no_data")
    ]
    rows = rows[rows["unit"].isin(units) == inside]
    return 100 * rows["numerator"].sum() / rows["denominator"].sum()


def test_effectiveness_against_plain_pandas() -> None:
    reg = load_measures(_sample(), profile=KARABASH, organizations=ORGS)
    eff = effectiveness(ANALYSIS, reg).set_index(["measure", "indicator"])
    row = eff.loc[("М-2022-1", "k08")]
    # taken 15.09.2022: first seen in 2022-2023 (collected 05.08.2023), so «before» is 2021-2022
    assert (row["before_period"], row["after_period"]) == ("2021-2022", "2023-2024")
    targeted = ["kgo_d1", "kgo_d5"]
    assert row["before"] == pytest.approx(_group("k08", "2021-2022", targeted, True))
    assert row["after"] == pytest.approx(_group("k08", "2023-2024", targeted, True))
    assert row["others_before"] == pytest.approx(_group("k08", "2021-2022", targeted, False))
    assert row["others_after"] == pytest.approx(_group("k08", "2023-2024", targeted, False))
    assert row["verdict"] == "improved" and row["compared"] == "better"
    k22 = eff.loc[("М-2023-2", "k22")]
    assert (k22["before"], k22["after"], k22["verdict"]) == (0.0, 0.0, "not_improved")
    # a municipality-wide measure: the municipal values themselves (0 % → 88,9 %)
    muni = RESULTS[
        (RESULTS["indicator"] == "k11") & (RESULTS["level"] == "municipality")
    ].set_index("period")["value"]
    k11 = eff.loc[("М-2021-1", "k11")]
    assert k11["scope"] == "municipality"
    assert (k11["before"], k11["after"]) == (muni["2020-2021"], muni["2023-2024"])
    late = eff.loc[("М-2024-1", "k08")]
    assert late["verdict"] == "too_early" and late["first_period"] == "2024-2025"
    assert late["scope"] == "organizations" and late["units"] == ("kgo_s2", "kgo_s4")
    assert "рано оценивать" in late["verdict_label"]


def test_the_lead_time_boundary() -> None:
    # 2022-2023 is collected on 05.08.2023; 90 days before is 07.05.2023
    on = Measure(id="a", title="x", date=dt.date(2023, 5, 7), indicators=["k08"])
    off = Measure(id="b", title="x", date=dt.date(2023, 5, 8), indicators=["k08"])
    eff = effectiveness(ANALYSIS, [on, off]).set_index("measure")
    assert eff.loc["a", "first_period"] == "2022-2023"
    assert eff.loc["b", "first_period"] == "2023-2024"
    assert eff.loc["a", "before_period"] == "2021-2022"
    early = effectiveness(analyze(KARABASH, DATA, RESULTS, period="2022-2023"), [off])
    assert early["verdict"].tolist() == ["too_early"]


def test_the_summary_per_measure() -> None:
    reg = load_measures(_sample(), profile=KARABASH, organizations=ORGS)
    summary = measure_summary(effectiveness(ANALYSIS, reg)).set_index("measure")
    assert summary.loc["М-2022-2", "verdict"] == "partly"  # k16 6 → 6, k17 1 → 3
    assert summary.loc["М-2024-1", "verdict"] == "too_early"
    assert summary.loc["М-2023-2", "verdict_label"] == "нет улучшения"
    none = effectiveness(ANALYSIS, [Measure(id="z", title="x", date=dt.date(2023, 1, 1))])
    assert measure_summary(none)["verdict"].tolist() == ["not_judged"]
