"""Forgiving cell parsers: what a person types → typed values, or a Russian reason."""

from __future__ import annotations

import datetime as dt

import pytest
from hypothesis import given
from hypothesis import strategies as st

from pedprof import Field, FieldType, PeriodKind
from pedprof.model.values import (
    CellProblem,
    PercentCell,
    UnknownFormatCell,
    display,
    is_empty,
    parse_date,
    parser_for,
)

BOOL = Field("flag", "Флаг", FieldType.BOOLEAN)
AGE = Field("age", "Возраст", FieldType.INTEGER, minimum=16, maximum=90)
SCORE = Field("score", "Балл", FieldType.NUMBER, minimum=0, maximum=100)
AMOUNT = Field("amount", "Сумма", FieldType.NUMBER)
DAY = Field("day", "Дата", FieldType.DATE)
CODE = Field("code", "Код", FieldType.IDENTIFIER)
TEXT = Field("text", "Текст", FieldType.STRING)
PERIOD = Field("period", "Учебный год", FieldType.PERIOD)
ROLE = Field(
    "role",
    "Роль",
    FieldType.CHOICE,
    choices={"none": "не участвует", "mentor": "наставник", "mentee": "наставляемый"},
)


def parse(field: Field, value: object) -> object:
    return parser_for(field, PeriodKind.SCHOOL_YEAR)(value)


@pytest.mark.parametrize(
    "value",
    ["да", "Да", " ДА ", "да.", "+", "1", 1, 1.0, True, "TRUE", "true", "истина", "✓", "Yes"],
)
def test_yes_in_every_form_a_person_writes(value: object) -> None:
    assert parse(BOOL, value) is True


@pytest.mark.parametrize("value", ["нет", "Нет", "-", "—", "0", 0, 0.0, False, "FALSE", "ложь"])
def test_no_in_every_form_a_person_writes(value: object) -> None:
    assert parse(BOOL, value) is False


@pytest.mark.parametrize("value", ["может быть", 2, "да/нет", "x1"])
def test_unreadable_boolean_says_what_is_expected(value: object) -> None:
    with pytest.raises(CellProblem) as exc:
        parse(BOOL, value)
    assert exc.value.expected == "«да» или «нет»"


@pytest.mark.parametrize("value", [None, "", "   ", "\u00a0", float("nan")])
def test_empty_cells_are_none_for_every_type(value: object) -> None:
    assert is_empty(value)
    for field in (BOOL, AGE, SCORE, DAY, CODE, TEXT, PERIOD, ROLE):
        assert parse(field, value) is None


# 45170 days after 30.12.1899 is 01.09.2023: 44927 is 01.01.2023 and September starts
# 31+28+31+30+31+30+31+31 = 243 days later.
@pytest.mark.parametrize(
    "value",
    [
        dt.datetime(2023, 9, 1),
        dt.date(2023, 9, 1),
        45170,
        45170.0,
        "45170",
        "01.09.2023",
        "1.9.2023",
        " 01.09.2023 ",
        "01/09/2023",
        "01-09-2023",
        "2023-09-01",
        "2023-09-01 00:00:00",
        "01.09.23",
    ],
)
def test_dates_from_cells_serials_and_text(value: object) -> None:
    assert parse(DAY, value) == dt.date(2023, 9, 1)


@pytest.mark.parametrize(
    ("value", "reason"),
    [
        ("31.02.2023", "такой даты не существует"),
        ("02.03.1019", "неправдоподобная дата"),
        ("вчера", ""),
        (True, ""),
    ],
)
def test_bad_dates(value: object, reason: str) -> None:
    with pytest.raises(CellProblem) as exc:
        parse(DAY, value)
    assert exc.value.expected == "дата в виде ДД.ММ.ГГГГ"
    assert exc.value.reason == reason


@pytest.mark.parametrize("value", ["25", 25, 25.0, " 25 ", "25,0", "25.0", "\u00a025"])
def test_integers(value: object) -> None:
    assert parse(AGE, value) == 25


@pytest.mark.parametrize(
    ("value", "reason"),
    [
        (25.5, "число не целое"),
        ("25,5", "число не целое"),
        (15, "значение меньше допустимого"),
        ("120", "значение больше допустимого"),
        ("двадцать", ""),
        (True, ""),
    ],
)
def test_bad_integers_name_the_range(value: object, reason: str) -> None:
    with pytest.raises(CellProblem) as exc:
        parse(AGE, value)
    assert exc.value.expected == "целое число от 16 до 90"
    assert exc.value.reason == reason


@pytest.mark.parametrize(
    ("value", "expected"),
    [("66,6", 66.6), ("66,6 %", 66.6), ("66.6", 66.6), (66.6, 66.6), ("100", 100.0)],
)
def test_numbers_with_decimal_comma_and_percent(value: object, expected: float) -> None:
    assert parse(SCORE, value) == pytest.approx(expected)


def test_numbers_with_thousands_separators() -> None:
    assert parse(AMOUNT, "1\u00a0234,5") == pytest.approx(1234.5)
    assert parse(AMOUNT, "1 234,5") == pytest.approx(1234.5)
    assert parse(AMOUNT, "−3") == pytest.approx(-3.0)


@pytest.mark.parametrize(
    "value", ["наставник", "Наставник", " НАСТАВНИК ", "наставник.", "mentor", "MENTOR"]
)
def test_choices_by_label_or_code(value: object) -> None:
    assert parse(ROLE, value) == "mentor"


def test_choice_labels_ignore_yo_and_spaces() -> None:
    field = Field("c", "Вид", FieldType.CHOICE, choices={"a": "учёный совет"})
    assert parse(field, "ученый   совет") == "a"


def test_unknown_choice_lists_allowed_labels() -> None:
    with pytest.raises(CellProblem) as exc:
        parse(ROLE, "куратор")
    assert exc.value.expected == "одно из значений: «не участвует»; «наставник»; «наставляемый»"
    assert exc.value.reason == "значения нет в списке"


@pytest.mark.parametrize(
    ("value", "expected"),
    [(12.0, "12"), (12, "12"), ("  kgo_s1 ", "kgo_s1"), ("06480563400", "06480563400")],
)
def test_identifiers_are_text(value: object, expected: str) -> None:
    assert parse(CODE, value) == expected


@pytest.mark.parametrize("value", [12.5, True, dt.date(2023, 1, 1), "x" * 101])
def test_bad_identifiers(value: object) -> None:
    with pytest.raises(CellProblem):
        parse(CODE, value)


@pytest.mark.parametrize("value", ["2023-2024", "2023/2024", "2023–2024", " 2023 - 2024 "])
def test_school_years(value: str) -> None:
    assert parse(PERIOD, value) == "2023-2024"


def test_a_calendar_year_is_not_a_school_year() -> None:
    with pytest.raises(CellProblem) as exc:
        parse(PERIOD, "2024")
    assert exc.value.expected == "учебный год, например 2023-2024"
    assert "2023-2024" in exc.value.reason


def test_display_shows_cells_as_a_person_sees_them() -> None:
    assert display(dt.datetime(2023, 9, 1)) == "01.09.2023"
    assert display(25.0) == "25"
    assert display(66.6) == "66,6"
    assert display(True) == "ИСТИНА"
    assert display(None) == ""


# --------------------------------------------------------------------------- properties

texts = st.text(alphabet=st.characters(codec="utf-8"), max_size=60)
cells = st.one_of(
    texts,
    st.integers(-(10**12), 10**12),
    st.floats(allow_nan=True, allow_infinity=True),
    st.booleans(),
    st.dates(),
    st.none(),
)


@given(cells)
def test_parsers_only_ever_raise_cell_problems(value: object) -> None:
    for field in (BOOL, AGE, SCORE, AMOUNT, DAY, CODE, TEXT, PERIOD, ROLE):
        try:
            parse(field, value)
        except CellProblem as exc:
            assert exc.expected


@given(st.integers(16, 90))
def test_every_integer_in_range_reads_back_from_any_spelling(n: int) -> None:
    for spelling in (n, float(n), str(n), f" {n} ", f"{n},0"):
        assert parse(AGE, spelling) == n


@given(st.dates(min_value=dt.date(1900, 3, 1), max_value=dt.date(2100, 12, 31)))
def test_every_date_reads_back_from_any_spelling(day: dt.date) -> None:
    serial = (day - dt.date(1899, 12, 30)).days
    spellings = (
        day,
        dt.datetime.combine(day, dt.time()),
        serial,
        float(serial),
        f"{day:%d.%m.%Y}",
        day.isoformat(),
        f"{day.day}.{day.month}.{day.year}",
    )
    for spelling in spellings:
        assert parse(DAY, spelling) == day


@given(texts)
def test_text_is_kept_trimmed(text: str) -> None:
    parsed = parse(TEXT, text)
    if text.strip():
        assert parsed == text.strip()
    else:
        assert parsed is None


def test_parse_date_default_expected() -> None:
    with pytest.raises(CellProblem) as exc:
        parse_date("abc")
    assert "ДД.ММ.ГГГГ" in exc.value.expected


# --------------------------------------------------------------------------- percent fields

PERCENT = Field("score", "Выполнение, %", FieldType.NUMBER, minimum=0, maximum=100, percent=True)
PERCENT_INT = Field(
    "score", "Выполнение, %", FieldType.INTEGER, minimum=0, maximum=100, percent=True
)


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        (PercentCell(0.45), 45.0),  # 0.45 formatted «0 %» shows «45 %»
        (PercentCell(0.455), 45.5),  # exactly, not 45.50000000000001
        (PercentCell(1.0), 100.0),
        (PercentCell(0.0), 0.0),
        (0.45, 0.45),  # a plain number is what it shows
        (45, 45.0),
        ("45%", 45.0),
        ("45 %", 45.0),
        ("45,5 %", 45.5),
        ("0,45", 0.45),
        (UnknownFormatCell(45.0), 45.0),  # 4500 % would be out of range: no doubt
        (UnknownFormatCell(0.0), 0.0),  # 0 and 0 % are the same
    ],
)
def test_a_percent_field_reads_what_the_cell_shows(value: object, expected: float) -> None:
    assert parse(PERCENT, value) == expected


@pytest.mark.parametrize("value", [UnknownFormatCell(0.45), UnknownFormatCell(1.0)])
def test_a_percent_number_whose_format_is_unknown_is_not_guessed(value: object) -> None:
    with pytest.raises(CellProblem) as exc:
        parse(PERCENT, value)
    assert exc.value.expected == "число от 0 до 100"
    assert exc.value.reason.startswith("неясно, сколько здесь процентов")


def test_percent_cells_in_an_integer_percent_field() -> None:
    assert parse(PERCENT_INT, PercentCell(0.45)) == 45
    with pytest.raises(CellProblem, match="число не целое"):
        parse(PERCENT_INT, PercentCell(0.455))
    with pytest.raises(CellProblem, match="больше допустимого"):
        parse(PERCENT_INT, PercentCell(4.5))  # shows «450 %»


def test_a_percent_cell_outside_a_percent_field_keeps_its_stored_value() -> None:
    assert parse(SCORE, PercentCell(0.45)) == 0.45


def test_percent_cells_display_as_shown() -> None:
    assert display(PercentCell(0.45)) == "45 %"
    assert display(PercentCell(0.455)) == "45,5 %"
    assert display(UnknownFormatCell(0.45)) == "0,45"
