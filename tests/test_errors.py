"""Bad input at the public API ends in a typed pedprof error with a Russian message.

Each hostile call is fed to the public function and the exception's type, its Russian
message and its structured fields (what, where, expected) are checked. Expected texts are
written out by hand from the inputs, not taken from the code under test.
"""

from __future__ import annotations

import pickle
import re
from collections.abc import Callable
from pathlib import Path
from typing import Any

import attrs
import pandas as pd
import pytest

import pedprof
from pedprof import errors
from pedprof.errors import (
    ArgumentTypeError,
    ConditionValueError,
    DatasetError,
    DataValidationError,
    Location,
    MissingColumnError,
    MissingTableError,
    NotADatasetError,
    PedprofError,
    PeriodFormatError,
    ProfileNotFoundError,
    SampleNotFoundError,
    UnknownIndicatorError,
    UnknownLevelError,
    UnknownPeriodError,
    UnknownUnitError,
)
from pedprof.rating import RatingInputError, RatingPeriodError

CYRILLIC = re.compile("[а-яё]", re.IGNORECASE)


@pytest.fixture(scope="module")
def sample() -> pedprof.Dataset:
    return pedprof.load_sample("karabash")


@pytest.fixture(scope="module")
def small(sample: pedprof.Dataset) -> pedprof.Dataset:
    """One school of the sample, its first three staff rows, nothing else."""
    staff = sample.tables["staff"]
    staff = staff[staff["org_id"] == "kgo_s1"].head(3).reset_index(drop=True)
    orgs = sample.organizations[sample.organizations["org_id"] == "kgo_s1"]
    return pedprof.Dataset(
        regions=sample.regions,
        municipalities=sample.municipalities,
        organizations=orgs.reset_index(drop=True),
        tables={"staff": staff},
    )


@pytest.fixture(scope="module")
def results(sample: pedprof.Dataset) -> pd.DataFrame:
    return pedprof.compute("karabash", sample, levels=["organization"])


def _raises(exc_type: type[PedprofError], call: Callable[[], Any]) -> PedprofError:
    with pytest.raises(exc_type) as info:
        call()
    exc = info.value
    assert isinstance(exc, PedprofError)
    # Russian for people: the message, and what was expected when there is an expectation.
    assert CYRILLIC.search(exc.message), exc.message
    assert str(exc) == exc.message  # never quoted like a KeyError's
    assert not isinstance(exc, KeyError | AttributeError)
    return exc


# --------------------------------------------------------------------------- profiles


def test_an_unknown_profile() -> None:
    exc = _raises(ProfileNotFoundError, lambda: pedprof.get_profile("nope"))
    assert exc.message.startswith("Профиль «nope» не найден; установлены: ")
    assert "karabash" in exc.message
    assert exc.what == "указано «nope»"
    assert isinstance(exc, LookupError)
    assert exc.name == "nope"  # type: ignore[attr-defined]
    assert "karabash" in exc.known  # type: ignore[attr-defined]


@pytest.mark.parametrize(
    "call",
    [
        lambda: pedprof.load_sample("nope"),
        lambda: pedprof.compute("nope", None),
        lambda: pedprof.analyze("nope", None),
        lambda: pedprof.rate(pd.DataFrame(), profile="nope"),
    ],
    ids=["load_sample", "compute", "analyze", "rate"],
)
def test_an_unknown_profile_everywhere(call: Callable[[], Any]) -> None:
    exc = _raises(ProfileNotFoundError, call)
    assert "«nope»" in exc.message


def test_a_profile_that_is_not_a_name() -> None:
    exc = _raises(ArgumentTypeError, lambda: pedprof.compute(42, None))  # type: ignore[arg-type]
    assert "передан объект типа int" in exc.message
    assert exc.argument == "profile"  # type: ignore[attr-defined]
    assert isinstance(exc, TypeError)


def test_a_profile_without_sample_data() -> None:
    exc = SampleNotFoundError("x")
    assert exc.message == "Профиль «x» не содержит демонстрационных данных"
    assert isinstance(exc, LookupError)


# --------------------------------------------------------------------------- datasets


def test_a_dataframe_where_a_dataset_was_expected(sample: pedprof.Dataset) -> None:
    staff = sample.tables["staff"]
    exc = _raises(NotADatasetError, lambda: pedprof.compute("karabash", staff))
    assert exc.message.startswith(
        "Аргумент «data» должен быть набором данных pedprof.Dataset, а передан объект типа "
        "DataFrame"
    )
    assert "Dataset.from_frames" in exc.message
    assert exc.what == "передан DataFrame"
    assert isinstance(exc, TypeError) and isinstance(exc, DatasetError)


@pytest.mark.parametrize("call", ["analyze", "build_report"])
def test_a_dataframe_where_a_dataset_was_expected_downstream(
    sample: pedprof.Dataset, call: str
) -> None:
    function = getattr(pedprof, call)
    exc = _raises(NotADatasetError, lambda: function("karabash", sample.tables["staff"]))
    assert "передан объект типа DataFrame" in exc.message


def test_a_table_that_is_not_a_dataframe(small: pedprof.Dataset) -> None:
    exc = _raises(NotADatasetError, lambda: small.with_tables(staff=[1, 2]))  # type: ignore[arg-type]
    assert exc.message == (
        "Таблица «staff» набора данных должна быть pandas.DataFrame, а передан объект типа list"
    )
    assert exc.where == Location(table="staff")


def test_a_register_without_municipality_id(small: pedprof.Dataset) -> None:
    orgs = small.organizations.drop(columns=["municipality_id"])
    exc = _raises(MissingColumnError, lambda: attrs.evolve(small, organizations=orgs))
    assert exc.message == (
        "В таблице «organizations» (реестр организаций) нет столбца «municipality_id»"
    )
    assert exc.where == Location(table="organizations", column="municipality_id")
    assert exc.columns == ("municipality_id",)  # type: ignore[attr-defined]
    assert isinstance(exc, LookupError) and isinstance(exc, ValueError)


def test_a_register_naming_an_unknown_municipality(small: pedprof.Dataset) -> None:
    orgs = small.organizations.assign(municipality_id="atlantis")
    exc = _raises(DatasetError, lambda: attrs.evolve(small, organizations=orgs))
    assert "atlantis" in exc.message
    assert exc.where == Location(table="organizations", column="municipality_id")


def test_a_missing_table_an_indicator_needs(sample: pedprof.Dataset) -> None:
    without = attrs.evolve(sample, tables={k: v for k, v in sample.tables.items() if k != "staff"})
    exc = _raises(MissingTableError, lambda: pedprof.compute("karabash", without))
    assert exc.message.startswith(
        "В наборе данных нет таблицы «staff» (Сведения о педагогических и руководящих "
        "работниках), которую читают показатели k01"
    )
    assert exc.where == Location(table="staff")
    assert "staff" not in exc.present  # type: ignore[attr-defined]
    assert "k10" in exc.needed_by  # type: ignore[attr-defined]


def test_a_missing_table_by_name(small: pedprof.Dataset) -> None:
    exc = _raises(MissingTableError, lambda: small.table("events"))
    assert exc.message == "В наборе данных нет таблицы «events»; есть таблицы: staff"


def test_a_missing_column_an_indicator_reads(small: pedprof.Dataset) -> None:
    data = small.with_tables(staff=small.tables["staff"].drop(columns=["age"]))
    exc = _raises(MissingColumnError, lambda: pedprof.compute("karabash", data, indicators=["k10"]))
    assert exc.message == (
        "В таблице «staff» (Сведения о педагогических и руководящих работниках) нет столбца "
        "«Возраст, полных лет» (age) (нужен: k10)"
    )
    assert exc.where == Location(table="staff", column="age")
    assert exc.needed_by == ("k10",)  # type: ignore[attr-defined]


@pytest.mark.parametrize("column", ["period", "org_id"])
def test_a_missing_key_column(small: pedprof.Dataset, column: str) -> None:
    data = small.with_tables(staff=small.tables["staff"].drop(columns=[column]))
    exc = _raises(MissingColumnError, lambda: pedprof.compute("karabash", data, indicators=["k10"]))
    assert f"({column})" in exc.message
    assert exc.where == Location(table="staff", column=column)


def test_a_table_naming_an_unregistered_school(small: pedprof.Dataset) -> None:
    staff = small.tables["staff"].copy()
    staff.loc[1, "org_id"] = "ghost"
    exc = _raises(
        UnknownUnitError,
        lambda: pedprof.compute("karabash", small.with_tables(staff=staff), indicators=["k10"]),
    )
    assert exc.where == Location(table="staff", row=2, column="org_id")
    assert "ghost" in exc.message


def test_a_column_of_the_wrong_type(small: pedprof.Dataset) -> None:
    staff = small.tables["staff"].astype({"age": object})
    staff.loc[0, "age"] = "сорок"
    data = small.with_tables(staff=staff)
    exc = _raises(DataValidationError, lambda: pedprof.compute("karabash", data))
    assert len(exc.problems) == 1  # type: ignore[attr-defined]
    problem = exc.problems[0]  # type: ignore[attr-defined]
    assert problem.where == Location(table="staff", row=1, column="age")
    assert problem.value == "сорок"
    assert exc.where == problem.where
    assert "строка 1" in exc.message and "«Возраст, полных лет» (age)" in exc.message


def test_yes_no_and_ages_as_text_are_read(small: pedprof.Dataset) -> None:
    staff = small.tables["staff"].astype({"age": object, "iom": object})
    staff["age"] = ["25", "40", "61"]
    staff["iom"] = ["да", "нет", "да"]
    profile = pedprof.get_profile("karabash")
    data = pedprof.Dataset.from_frames(
        profile,
        {"staff": staff},
        regions=small.regions,
        municipalities=small.municipalities,
        organizations=small.organizations,
    )
    assert data.tables["staff"]["age"].tolist() == [25, 40, 61]
    assert data.tables["staff"]["iom"].tolist() == [True, False, True]


def test_from_frames_with_a_frame_instead_of_tables(small: pedprof.Dataset) -> None:
    profile = pedprof.get_profile("karabash")
    exc = _raises(
        ArgumentTypeError,
        lambda: pedprof.Dataset.from_frames(
            profile,
            small.tables["staff"],  # type: ignore[arg-type]
            regions=small.regions,
            municipalities=small.municipalities,
            organizations=small.organizations,
        ),
    )
    assert exc.argument == "tables"  # type: ignore[attr-defined]


def test_valid_small_data_still_compute(small: pedprof.Dataset) -> None:
    out = pedprof.compute("karabash", small, indicators=["k10"], levels=["organization"])
    assert set(out["indicator"].astype(str)) == {"k10"}


# --------------------------------------------------------------------------- arguments


def test_compute_an_unknown_indicator(small: pedprof.Dataset) -> None:
    exc = _raises(
        UnknownIndicatorError, lambda: pedprof.compute("karabash", small, indicators=["k99"])
    )
    assert exc.message.startswith("В профиле «karabash» нет показателя «k99»; есть: k01")


def test_compute_indicators_as_a_lone_text(small: pedprof.Dataset) -> None:
    exc = _raises(ArgumentTypeError, lambda: pedprof.compute("karabash", small, indicators="k10"))
    assert "[" in exc.message and exc.argument == "indicators"  # type: ignore[attr-defined]


def test_compute_an_unknown_level(small: pedprof.Dataset) -> None:
    exc = _raises(UnknownLevelError, lambda: pedprof.compute("karabash", small, levels=["bad"]))
    assert exc.message == "Уровень «bad» не найден; есть: organization, municipality, region"
    assert exc.expected == "одно из: organization, municipality, region"
    assert isinstance(exc, ValueError)


def test_compute_a_bad_period(small: pedprof.Dataset) -> None:
    exc = _raises(PeriodFormatError, lambda: pedprof.compute("karabash", small, periods=["x"]))
    assert exc.what == "указано «x»"


@pytest.mark.parametrize(
    ("label", "expected"),
    [
        ("x", "год (2024), учебный год (2023-2024) или квартал (2024Q2)"),
        ("2023-2025", "учебный год из двух соседних лет, например 2023-2024"),
    ],
)
def test_parse_period(label: str, expected: str) -> None:
    exc = _raises(PeriodFormatError, lambda: pedprof.parse_period(label))
    assert exc.expected == expected
    assert exc.text == label  # type: ignore[attr-defined]
    assert isinstance(exc, ValueError)


def test_parse_period_of_the_wrong_kind() -> None:
    exc = _raises(
        PeriodFormatError, lambda: pedprof.parse_period("2024Q1", pedprof.PeriodKind.YEAR)
    )
    assert exc.expected == "календарный год, например 2024"


@pytest.mark.parametrize("value", ["a", None, True, float("nan")])
def test_a_comparison_with_something_that_is_not_a_number(value: object) -> None:
    exc = _raises(ConditionValueError, lambda: pedprof.col("age").gt(value))  # type: ignore[arg-type]
    assert exc.where == Location(column="age")
    assert exc.expected == "число или дата"
    assert isinstance(exc, TypeError)


def test_comparisons_with_numbers_and_dates_are_accepted() -> None:
    import datetime as dt

    assert pedprof.col("age").lt(35).columns() == frozenset({"age"})
    assert pedprof.col("d").ge(dt.date(2024, 1, 1)).columns() == frozenset({"d"})


def test_isin_with_a_lone_text() -> None:
    exc = _raises(ArgumentTypeError, lambda: pedprof.col("kind").isin("school"))
    assert "списком" in exc.message


# --------------------------------------------------------------------------- rating


def test_rate_weights_naming_an_unknown_indicator(results: pd.DataFrame) -> None:
    exc = _raises(UnknownIndicatorError, lambda: pedprof.rate(results, weights={"nope": 1}))
    assert exc.message.startswith(
        "В аргументе «weights» указан показатель «nope», которого нет ни в результатах, ни в "
        "описании рейтинга; есть: k01"
    )
    assert exc.name == "nope"  # type: ignore[attr-defined]


def test_rate_weights_without_a_declaration_are_listed_not_refused(
    results: pd.DataFrame,
) -> None:
    # Without a profile nothing says whether «nope» is a typo or an indicator without
    # data in these results: it is listed as excluded, as before.
    bare = results.copy()
    bare.attrs = {}
    rating = pedprof.rate(bare, weights={"nope": 1}, sensitivity=False)
    row = rating.indicators[rating.indicators["indicator"] == "nope"]
    assert row["in_scope"].tolist() == [False]
    assert row["note"].tolist() == ["нет строк на этом уровне за период"]


def test_rate_directions_naming_an_unknown_indicator(results: pd.DataFrame) -> None:
    exc = _raises(UnknownIndicatorError, lambda: pedprof.rate(results, directions={"zz": -1}))
    assert "«directions»" in exc.message


def test_rate_an_unknown_level(results: pd.DataFrame) -> None:
    _raises(UnknownLevelError, lambda: pedprof.rate(results, level="bad"))  # type: ignore[arg-type]


def test_rate_an_absent_period(results: pd.DataFrame) -> None:
    exc = _raises(RatingPeriodError, lambda: pedprof.rate(results, period="2099-2100"))
    assert isinstance(exc, UnknownPeriodError) and isinstance(exc, RatingInputError)
    assert exc.message.startswith("период «2099-2100» отсутствует в результатах уровня")
    assert "2023-2024" in exc.known  # type: ignore[attr-defined]


def test_rate_something_that_is_not_results() -> None:
    exc = _raises(RatingInputError, lambda: pedprof.rate(None))  # type: ignore[arg-type]
    assert "NoneType" in exc.message


def test_rate_a_bad_method(results: pd.DataFrame) -> None:
    exc = _raises(PedprofError, lambda: pedprof.rate(results, method="best"))  # type: ignore[arg-type]
    assert exc.argument == "method"  # type: ignore[attr-defined]
    assert isinstance(exc, ValueError)


# --------------------------------------------------------------------------- evaluate


def test_analyze_a_period_without_results(sample: pedprof.Dataset, results: pd.DataFrame) -> None:
    exc = _raises(
        UnknownPeriodError,
        lambda: pedprof.analyze("karabash", sample, results=results, period="2099-2100"),
    )
    assert exc.message.startswith("За период «2099-2100» нет результатов; есть: ")


def test_analyze_a_malformed_period(sample: pedprof.Dataset) -> None:
    _raises(PeriodFormatError, lambda: pedprof.analyze("karabash", sample, period="bad"))


def test_analyze_an_unknown_level(sample: pedprof.Dataset) -> None:
    exc = _raises(UnknownLevelError, lambda: pedprof.analyze("karabash", sample, level="school"))
    assert "«level»" in exc.message


def test_build_report_a_malformed_period(sample: pedprof.Dataset) -> None:
    _raises(PeriodFormatError, lambda: pedprof.build_report("karabash", sample, period="bad"))


def test_recommend_from_a_profile_instead_of_an_analysis(sample: pedprof.Dataset) -> None:
    profile = pedprof.get_profile("karabash")
    exc = _raises(ArgumentTypeError, lambda: pedprof.recommend(profile))  # type: ignore[arg-type]
    assert "передан объект типа Profile" in exc.message


# --------------------------------------------------------------------------- the hierarchy


def test_every_error_is_a_pedprof_error_and_none_is_a_key_error() -> None:
    for name in errors.__all__:
        obj = getattr(errors, name)
        if isinstance(obj, type) and issubclass(obj, BaseException):
            assert issubclass(obj, PedprofError), name
            assert not issubclass(obj, KeyError), name


def test_an_input_file_error_names_the_file() -> None:
    exc = errors.InputFileError("кадры.xlsx", "Файл «кадры.xlsx» не прочитан: это PDF-документ")
    assert exc.where == Location(file="кадры.xlsx")
    assert exc.what == "файл не прочитан"
    assert isinstance(exc, ValueError) and isinstance(exc, DatasetError)


def test_errors_survive_pickling() -> None:
    exc = MissingColumnError("staff", ["age"], needed_by=["k10"])
    back = pickle.loads(pickle.dumps(exc))
    assert type(back) is MissingColumnError
    assert back.message == exc.message and back.where == exc.where
    assert back.columns == ("age",)


def test_the_reference_page_lists_every_error() -> None:
    page = Path(__file__).parents[1] / "docs" / "reference" / "errors.rst"
    text = page.read_text(encoding="utf-8")
    for name in errors.__all__:
        assert f"pedprof.errors.{name}" in text, name
