"""Roadmap deadlines, executors and execution tracking.

The deadline parser is tested on every real row text of the Karabash roadmap (2021–2024,
from the installed profile) and of the Chelyabinsk regional roadmap (2021–2022, the rows
as the ministry's order prints them), with expected ranges written by hand; hypothesis
checks generated wordings against ranges computed independently in the test, and that
parse → render → parse is the identity.
"""

from __future__ import annotations

import calendar
import datetime as dt
from pathlib import Path

import pandas as pd
import pytest
from click.testing import CliRunner
from hypothesis import given
from hypothesis import strategies as st

import pedprof
from pedprof.cli import main
from pedprof.cycle.roadmaps import (
    DateRange,
    DeadlineParseError,
    Recurrence,
    load_statuses,
    parse_deadline,
    reference_date,
    roadmap_execution_summary,
    roadmap_horizon,
    roadmap_period_end,
    roadmap_rows,
    split_executors,
    status_template,
    track_execution,
    write_status_template,
)
from pedprof.model.mechanism import Roadmap, RoadmapRow, RoadmapSection

D = dt.date


def R(start: str, end: str) -> DateRange:
    return DateRange(D.fromisoformat(start), D.fromisoformat(end))


def years(first: int, last: int, start: str = "01-01", end: str = "12-31") -> list[DateRange]:
    return [R(f"{y}-{start}", f"{y}-{end}") for y in range(first, last + 1)]


# --------------------------------------------------------------------------- Karabash

KARABASH_WHOLE = [R("2021-01-01", "2024-12-31")]
#: number → (text, recurrence, ranges, flags) — by hand from приложение 1 of order № 213.
KARABASH = {
    "1.1": ("август 2021 г.", "once", [R("2021-08-01", "2021-08-31")], set()),
    "1.2": (
        "при необходимости в течение 2021 - 2024 гг.",
        "once",
        KARABASH_WHOLE,
        {"conditional", "continuous"},
    ),
    "2.1": ("август 2021 г.", "once", [R("2021-08-01", "2021-08-31")], set()),
    **{
        f"2.{i}": ("в течение 2021 - 2024 гг.", "once", KARABASH_WHOLE, {"continuous"})
        for i in range(2, 9)
    },
    "3.1": ("август 2021 г.", "once", [R("2021-08-01", "2021-08-31")], set()),
    "3.2": ("август 2021 г.", "once", [R("2021-08-01", "2021-08-31")], set()),
    # the order is of 19.08.2021: the 2021 occurrence (15.08.2021) is before it
    "3.3": (
        "ежегодно, до 15 августа",
        "yearly",
        years(2022, 2024, "01-01", "08-15"),
        {"open_start"},
    ),
    "4.1": ("в течение 2021 - 2024 гг.", "once", KARABASH_WHOLE, {"continuous"}),
    **{f"4.{i}": ("ежегодно", "yearly", years(2021, 2024), set()) for i in range(2, 6)},
    "5.1": (
        "в течение 2021 - 2024 гг., на основании приказов МКУ УО КГО",
        "once",
        KARABASH_WHOLE,
        {"continuous"},
    ),
    "5.2": ("в течение 2021 – 2024 гг.", "once", KARABASH_WHOLE, {"continuous"}),
    "6.1": ("ежегодно", "yearly", years(2021, 2024), set()),
    "6.2": ("ежегодно", "yearly", years(2021, 2024), set()),
}
FLAGS = ("conditional", "continuous", "open_start", "separate_plan")


def _flags(schedule: object) -> set[str]:
    return {f for f in FLAGS if getattr(schedule, f)}


def test_karabash_every_row_parses_as_worked_out_by_hand() -> None:
    profile = pedprof.get_profile("karabash")
    rows = roadmap_rows(profile)
    assert list(rows["number"]) == list(KARABASH)
    assert roadmap_horizon(profile.roadmaps[0]) == (2021, 2024)
    for row in rows.to_dict("records"):
        text, recurrence, ranges, flags = KARABASH[row["number"]]
        assert row["deadline_text"] == text
        schedule = row["schedule"]
        assert row["parse_problem"] == ""
        assert schedule.recurrence.value == recurrence, row["number"]
        assert list(schedule.ranges) == ranges, row["number"]
        assert _flags(schedule) == flags, row["number"]
    basis = rows.set_index("number").loc["5.1", "schedule"].basis
    assert basis == "на основании приказов МКУ УО КГО"


def test_karabash_without_the_order_date_keeps_2021() -> None:
    schedule = parse_deadline("ежегодно, до 15 августа", horizon=(2021, 2024))
    assert list(schedule.ranges) == years(2021, 2024, "01-01", "08-15")
    assert schedule.due == D(2024, 8, 15)
    assert schedule.due_in(2023) == D(2023, 8, 15)


def test_karabash_executors_run_together_are_split_both_leading() -> None:
    rows = roadmap_rows(pedprof.get_profile("karabash")).set_index("number")
    assert rows.loc["4.5", "responsible"] == "МКУ УО КГО; Методический кабинет МКУ УО КГО"
    assert rows.loc["4.5", "co_executors"] == ""
    assert rows.loc["1.1", "responsible"] == "Методический кабинет МКУ УО КГО"


# --------------------------------------------------------------------------- Chelyabinsk

CHELYABINSK_ROWS = [
    (2021, "1.1", "Январь - февраль"),
    (2021, "1.2", "Февраль"),
    (2021, "1.3", "Апрель"),
    (2021, "1.4", "Май"),
    (2021, "1.5", "В течение всего периода"),
    (2021, "1.5.1", "По отдельному плану в течение всего периода"),
    (2021, "1.5.2", "По отдельному плану в течение всего периода"),
    (2021, "1.5.3", "По отдельному плану в течение всего периода"),
    (2021, "1.5.4", "По отдельному плану в течение всего периода"),
    (2021, "1.5.5", "III IV кварталы"),
    (2021, "1.5.6", "IV квартал"),
    (2021, "1.6", "III квартал"),
    (2021, "1.7", "IV квартал"),
    (2021, "1.8", "Декабрь 2021 года"),
    (2021, "2.1", "I квартал"),
    (2021, "2.2", "I - II кварталы"),
    (2021, "2.3", "I квартал"),
    (2021, "2.4", "II - IV кварталы"),
    (2021, "2.5", "I квартал"),
    (2021, "2.6", "I квартал"),
    (2021, "2.7", "II, IV кварталы"),
    (2021, "2.8", "В течение всего периода"),
    (2021, "2.9", "В течение года"),
    (2021, "2.10", "В течение года"),
    (2021, "2.11", "В течение года"),
    (2021, "3.1", "Февраль - Март"),
    (2021, "3.2", "Февраль - Март"),
    (2021, "3.3", "II – IV кварталы"),
    (2021, "3.4", "I раз в полгода"),
    (2021, "3.5", "В течение года"),
    (2021, "4.1", "I квартал"),
    (2021, "4.2", "II – IV кварталы"),
    (2021, "4.3", "В течение года"),
    (2021, "4.7", "I квартал"),
    (2021, "4.8", "II - IV кварталы"),
    (2021, "4.9", "В течение года"),
    (2021, "4.10", "В течение года"),
    (2021, "4.11", "В течение года"),
    (2021, "4.12", "В течение года"),
    (2021, "4.13", "В течение года"),
    (2021, "4.14", "1 раз в полугодие"),
    (2021, "4.15", "В течение года"),
    (2021, "5.1", "II, IV кварталы"),
    (2021, "5.2", "II, IV кварталы"),
    (2021, "5.3", "В течение года"),
    (2021, "5.4", "II, IV кварталы"),
    (2021, "5.5", "II, IV кварталы"),
    (2021, "5.6", "В течение года"),
    (2022, "1.1", "Февраль 2022 года"),
    (2022, "1.2", "Апрель 2022"),
    (2022, "1.3", "Май 2022"),
    (2022, "1.4", "В течение года"),
    (2022, "1.4.1", "По отдельному плану"),
    (2022, "1.4.2", "По отдельному плану"),
    (2022, "1.4.3", "По отдельному плану"),
    (2022, "1.4.4", "По отдельному плану"),
    (2022, "1.4.7", "IV квартал"),
    (2022, "1.5", "II квартал"),
    (2022, "1.6", "Декабрь 2022 года"),
    (2022, "2.1", "I квартал"),
    (2022, "2.2", "I - II кварталы"),
    (2022, "2.3", "II - IV кварталы"),
    (2022, "2.4", "В течении года"),
    (2022, "2.5", "В течении года"),
    (2022, "2.6", "II, IV кварталы"),
    (2022, "2.7", "В течение года"),
    (2022, "2.8", "В течение года"),
    (2022, "2.9", "В течение года"),
    (2022, "2.10", "В течение года"),
    (2022, "3.1", "II – IV кварталы"),
    (2022, "3.2", "1 раз в полгода"),
    (2022, "3.3", "В течение года"),
    (2022, "4.1", "II – IV кварталы"),
    (2022, "4.2", "В течение года"),
    (2022, "4.3", "В течение года"),
    (2022, "4.4", "В течение года"),
    (2022, "4.5", "В течение года"),
    (2022, "4.6", "В течение года"),
    (2022, "4.7", "В течение года"),
    (2022, "4.8", "В течение года"),
    (2022, "4.9", "1 раз в полугодие"),
    (2022, "4.10", "В течение года"),
    (2022, "5.1", "II, IV кварталы"),
    (2022, "5.2", "В течение года"),
    (2022, "5.3", "II, IV кварталы"),
    (2022, "5.4", "II, IV кварталы"),
    (2022, "5.6", "В течение года"),
]

WHOLE_PERIOD = [R("2021-01-01", "2022-12-31")]


def _chel(year: int) -> dict[str, tuple[str, list[DateRange], set[str]]]:
    y = str(year)
    q = {
        "I квартал": [R(f"{y}-01-01", f"{y}-03-31")],
        "II квартал": [R(f"{y}-04-01", f"{y}-06-30")],
        "III квартал": [R(f"{y}-07-01", f"{y}-09-30")],
        "IV квартал": [R(f"{y}-10-01", f"{y}-12-31")],
        "I - II кварталы": [R(f"{y}-01-01", f"{y}-06-30")],
        "II - IV кварталы": [R(f"{y}-04-01", f"{y}-12-31")],
        "II – IV кварталы": [R(f"{y}-04-01", f"{y}-12-31")],
        "III IV кварталы": [R(f"{y}-07-01", f"{y}-12-31")],
        "II, IV кварталы": [R(f"{y}-04-01", f"{y}-06-30"), R(f"{y}-10-01", f"{y}-12-31")],
    }
    halves = [R(f"{y}-01-01", f"{y}-06-30"), R(f"{y}-07-01", f"{y}-12-31")]
    out: dict[str, tuple[str, list[DateRange], set[str]]] = {
        k: ("once", v, set()) for k, v in q.items()
    }
    out.update(
        {
            "I раз в полгода": ("semiannual", halves, set()),
            "1 раз в полгода": ("semiannual", halves, set()),
            "1 раз в полугодие": ("semiannual", halves, set()),
            "В течение года": ("once", [R(f"{y}-01-01", f"{y}-12-31")], {"continuous"}),
            "В течении года": ("once", [R(f"{y}-01-01", f"{y}-12-31")], {"continuous"}),
            "В течение всего периода": ("once", WHOLE_PERIOD, {"continuous"}),
            "По отдельному плану в течение всего периода": (
                "once",
                WHOLE_PERIOD,
                {"continuous", "separate_plan"},
            ),
            "По отдельному плану": (
                "once",
                [R(f"{y}-01-01", f"{y}-12-31")],
                {"continuous", "separate_plan"},
            ),
            "Январь - февраль": ("once", [R("2021-01-01", "2021-02-28")], set()),
            "Февраль": ("once", [R(f"{y}-02-01", f"{y}-02-28")], set()),
            "Февраль - Март": ("once", [R(f"{y}-02-01", f"{y}-03-31")], set()),
            "Апрель": ("once", [R(f"{y}-04-01", f"{y}-04-30")], set()),
            "Май": ("once", [R(f"{y}-05-01", f"{y}-05-31")], set()),
            "Декабрь 2021 года": ("once", [R("2021-12-01", "2021-12-31")], set()),
            "Февраль 2022 года": ("once", [R("2022-02-01", "2022-02-28")], set()),
            "Апрель 2022": ("once", [R("2022-04-01", "2022-04-30")], set()),
            "Май 2022": ("once", [R("2022-05-01", "2022-05-31")], set()),
            "Декабрь 2022 года": ("once", [R("2022-12-01", "2022-12-31")], set()),
        }
    )
    return out


EXPECTED_CHELYABINSK = {2021: _chel(2021), 2022: _chel(2022)}


@pytest.mark.parametrize(("year", "number", "text"), CHELYABINSK_ROWS)
def test_chelyabinsk_every_row_parses_as_worked_out_by_hand(
    year: int, number: str, text: str
) -> None:
    recurrence, ranges, flags = EXPECTED_CHELYABINSK[year][text]
    schedule = parse_deadline(text, year=year, horizon=(2021, 2022))
    assert schedule.recurrence.value == recurrence
    assert list(schedule.ranges) == ranges
    assert _flags(schedule) == flags


def test_chelyabinsk_rows_match_the_structured_reading() -> None:
    path = Path("/work/shared/domain/chelyabinsk_region.yaml")
    if not path.exists():
        pytest.skip("the structured reading of the seeds is not on this machine")
    import yaml

    data = yaml.safe_load(path.read_text("utf-8"))
    rows = [
        (int(y), r["number"], r["period"])
        for y in ("2021", "2022")
        for s in data["roadmap"][y]
        for r in s["rows"]
    ]
    assert rows == CHELYABINSK_ROWS


def test_chelyabinsk_profile_roadmaps_parse_as_worked_out_by_hand() -> None:
    try:
        profile = pedprof.get_profile("chelyabinsk")
    except KeyError:
        pytest.skip("the chelyabinsk profile is not installed")
    rows = roadmap_rows(profile)
    # two roadmaps, «… на 2021-2022 гг. — 2021 год» and «— 2022 год»: the part gives the year
    assert [(int(r["year"]), r["number"], r["deadline_text"]) for r in rows.to_dict("records")] == (
        CHELYABINSK_ROWS
    )
    for row in rows.to_dict("records"):
        recurrence, ranges, flags = EXPECTED_CHELYABINSK[int(row["year"])][row["deadline_text"]]
        schedule = row["schedule"]
        assert schedule.recurrence.value == recurrence, row["number"]
        assert list(schedule.ranges) == ranges, row["number"]
        assert _flags(schedule) == flags, row["number"]


CHELYABINSK_EXECUTORS = {
    "Министерство образования и науки Челябинской области ГБУ ДПО ЧИПКРО/ ГБУ ДПО РЦОКИО ГБУ ДПО ЧИРПО": (
        ("Министерство образования и науки Челябинской области", "ГБУ ДПО ЧИПКРО"),
        ("ГБУ ДПО РЦОКИО", "ГБУ ДПО ЧИРПО"),
    ),
    "ГБУ ДПО ЧИППКРО/ ГБУ ДПО РЦОКИО, ГБУ ДПО ЧИРПО": (
        ("ГБУ ДПО ЧИППКРО",),
        ("ГБУ ДПО РЦОКИО", "ГБУ ДПО ЧИРПО"),
    ),
    "Органы местного самоуправления, осуществляющие управление в сфере образования / ММС": (
        ("Органы местного самоуправления, осуществляющие управление в сфере образования",),
        ("ММС",),
    ),
    "РМО, профессиональные сообщества педагогов / ММС": (
        ("РМО", "профессиональные сообщества педагогов"),
        ("ММС",),
    ),
    "ММС / МО, ПСП": (("ММС",), ("МО", "ПСП")),
    "ММС/РМО": (("ММС",), ("РМО",)),
    "ГБУ ДПО ЧИРПО": (("ГБУ ДПО ЧИРПО",), ()),
    "": ((), ()),
}


@pytest.mark.parametrize(("text", "expected"), CHELYABINSK_EXECUTORS.items())
def test_executors_lead_before_the_slash(text: str, expected: tuple) -> None:
    assert split_executors(text) == expected


def test_co_executors_column_is_added() -> None:
    assert split_executors("ММС", "МО, ПСП") == (("ММС",), ("МО", "ПСП"))


# --------------------------------------------------------------------------- other wordings


@pytest.mark.parametrize(
    ("text", "expected", "recurrence"),
    [
        ("до 05.06.2021", [R("2021-01-01", "2021-06-05")], "once"),
        ("с 15.04.2021 г. по 10.05.2021 г.", [R("2021-04-15", "2021-05-10")], "once"),
        (
            "до 05.06.2021 г. и 30.05.2022 г.",
            [R("2021-01-01", "2021-06-05"), R("2022-01-01", "2022-05-30")],
            "once",
        ),
        ("Ежегодно (сентябрь месяц)", [R("2024-09-01", "2024-09-30")], "yearly"),
        ("ежегодно, в срок до 05 августа", [R("2024-01-01", "2024-08-05")], "yearly"),
        ("август сентябрь", [R("2024-08-01", "2024-09-30")], "once"),
        ("сентябрь 2021", [R("2021-09-01", "2021-09-30")], "once"),
        ("II полугодие 2022", [R("2022-07-01", "2022-12-31")], "once"),
        ("15 августа", [R("2024-08-15", "2024-08-15")], "once"),
        (
            "ежеквартально",
            [
                R("2024-01-01", "2024-03-31"),
                R("2024-04-01", "2024-06-30"),
                R("2024-07-01", "2024-09-30"),
                R("2024-10-01", "2024-12-31"),
            ],
            "quarterly",
        ),
        ("не реже одного раза в год", [R("2024-01-01", "2024-12-31")], "yearly"),
    ],
)
def test_other_wordings_of_the_orders(
    text: str, expected: list[DateRange], recurrence: str
) -> None:
    schedule = parse_deadline(text, year=2024)
    assert list(schedule.ranges) == expected
    assert schedule.recurrence.value == recurrence


@pytest.mark.parametrize(
    ("text", "why"),
    [
        ("", "не указан"),
        ("когда-нибудь", "ожидается месяц"),
        ("ежегодно, до 31 июня", "не является датой"),
        ("до 29.02.2023", "не является датой"),
        ("IV - II кварталы", "идёт назад"),
        ("2024 - 2021 гг.", "обратном порядке"),
        ("ежегодно, август 2021", "конкретным годом"),
    ],
)
def test_unreadable_texts_are_refused_in_russian(text: str, why: str) -> None:
    with pytest.raises(DeadlineParseError, match=why):
        parse_deadline(text, year=2024, horizon=(2021, 2024))


def test_a_text_without_a_year_needs_a_context() -> None:
    with pytest.raises(DeadlineParseError, match="не указан год"):
        parse_deadline("Апрель")
    # a multi-year roadmap without a part year: every year of the roadmap
    schedule = parse_deadline("Апрель", horizon=(2021, 2022))
    assert schedule.recurrence is Recurrence.YEARLY
    assert list(schedule.ranges) == years(2021, 2022, "04-01", "04-30")


# --------------------------------------------------------------------------- hypothesis

ROMAN = {1: "I", 2: "II", 3: "III", 4: "IV"}
MONTHS = ["январь", "февраль", "март", "апрель", "май", "июнь", "июль", "август",
          "сентябрь", "октябрь", "ноябрь", "декабрь"]  # fmt: skip
GENITIVE = ["января", "февраля", "марта", "апреля", "мая", "июня", "июля", "августа",
            "сентября", "октября", "ноября", "декабря"]  # fmt: skip
DASHES = st.sampled_from([" - ", " – ", "-", "–", " — "])
YEAR_WORDS = st.sampled_from(["", " г.", " года", " г", " год"])


def _end(year: int, month: int) -> dt.date:
    return D(year, month, calendar.monthrange(year, month)[1])


@st.composite
def month_ranges(draw: st.DrawFn) -> tuple[str, list[DateRange]]:
    year = draw(st.integers(2019, 2030))
    a = draw(st.integers(1, 12))
    b = draw(st.integers(a, 12))
    cap = draw(st.booleans())
    first = MONTHS[a - 1].capitalize() if cap else MONTHS[a - 1]
    text = first if a == b else f"{first}{draw(DASHES)}{MONTHS[b - 1]}"
    text += f" {year}{draw(YEAR_WORDS)}"
    return text, [DateRange(D(year, a, 1), _end(year, b))]


@st.composite
def quarter_lists(draw: st.DrawFn) -> tuple[str, list[DateRange]]:
    year = draw(st.integers(2019, 2030))
    chosen = sorted(draw(st.sets(st.integers(1, 4), min_size=1, max_size=4)))
    arabic = draw(st.booleans())
    names = [str(q) if arabic else ROMAN[q] for q in chosen]
    sep = draw(st.sampled_from([", ", " ", ","]))
    word = "квартал" if len(chosen) == 1 else draw(st.sampled_from(["кварталы", "квартала"]))
    text = f"{sep.join(names)} {word} {year}{draw(YEAR_WORDS)}"
    runs: list[list[int]] = []
    for q in chosen:
        if runs and q == runs[-1][-1] + 1:
            runs[-1].append(q)
        else:
            runs.append([q])
    expected = [DateRange(D(year, 3 * r[0] - 2, 1), _end(year, 3 * r[-1])) for r in runs]
    return text, expected


@st.composite
def quarter_ranges(draw: st.DrawFn) -> tuple[str, list[DateRange]]:
    year = draw(st.integers(2019, 2030))
    a = draw(st.integers(1, 3))
    b = draw(st.integers(a + 1, 4))
    text = f"{ROMAN[a]}{draw(DASHES)}{ROMAN[b]} кварталы"
    return text, [DateRange(D(year, 3 * a - 2, 1), _end(year, 3 * b))]


@st.composite
def deadlines(draw: st.DrawFn) -> tuple[str, list[DateRange]]:
    day = draw(st.dates(D(2019, 1, 1), D(2030, 12, 31)))
    spelled = draw(
        st.sampled_from(["до {:%d.%m.%Y}", "до {:%d.%m.%Y} г.", "в срок до {:%d.%m.%Y}"])
    )
    return spelled.format(day), [DateRange(D(day.year, 1, 1), day)]


@st.composite
def yearly_deadlines(draw: st.DrawFn) -> tuple[str, list[DateRange], tuple[int, int]]:
    first = draw(st.integers(2019, 2026))
    last = draw(st.integers(first, first + 4))
    month = draw(st.integers(1, 12))
    day = draw(st.integers(1, 28))
    prefix = draw(st.sampled_from(["ежегодно, до", "Ежегодно, в срок до", "ежегодно до"]))
    text = f"{prefix} {day:02d} {GENITIVE[month - 1]}"
    expected = [DateRange(D(y, 1, 1), D(y, month, day)) for y in range(first, last + 1)]
    return text, expected, (first, last)


@given(st.one_of(month_ranges(), quarter_lists(), deadlines()))
def test_generated_wordings_give_independently_computed_ranges(
    case: tuple[str, list[DateRange]],
) -> None:
    text, expected = case
    assert list(parse_deadline(text).ranges) == expected


@given(quarter_ranges(), st.integers(2019, 2030))
def test_quarter_ranges_take_the_part_year(case: tuple[str, list[DateRange]], year: int) -> None:
    text, expected = case
    shifted = [DateRange(r.start.replace(year=year), r.end.replace(year=year)) for r in expected]
    assert list(parse_deadline(text, year=year).ranges) == shifted


@given(yearly_deadlines())
def test_yearly_deadlines_repeat_over_the_horizon(
    case: tuple[str, list[DateRange], tuple[int, int]],
) -> None:
    text, expected, horizon = case
    schedule = parse_deadline(text, horizon=horizon)
    assert schedule.recurrence is Recurrence.YEARLY
    assert list(schedule.ranges) == expected


def _same(a: object, b: object) -> bool:
    keys = ("recurrence", "ranges", *FLAGS, "basis")
    return all(getattr(a, k) == getattr(b, k) for k in keys)


ALL_REAL_TEXTS = sorted({t for _, _, t in CHELYABINSK_ROWS} | {v[0] for v in KARABASH.values()})


@given(
    st.one_of(
        month_ranges().map(lambda c: c[0]),
        quarter_lists().map(lambda c: c[0]),
        deadlines().map(lambda c: c[0]),
        yearly_deadlines().map(lambda c: c[0]),
        st.sampled_from(ALL_REAL_TEXTS),
    ),
    st.sampled_from([None, 2021, 2022]),
    st.booleans(),
)
def test_parse_render_parse_is_the_identity(text: str, year: int | None, conditional: bool) -> None:
    if conditional:
        text = f"при необходимости {text}"
    context = {"year": year, "horizon": (2021, 2024), "not_before": D(2021, 8, 19)}
    try:
        first = parse_deadline(text, **context)
    except DeadlineParseError:
        return  # e.g. «ежегодно» with a concrete year
    second = parse_deadline(first.render(), **context)
    assert _same(first, second), (text, first.render())


@given(st.text(alphabet=st.characters(codec="utf-8"), max_size=40))
def test_arbitrary_text_is_read_or_refused_never_crashes(text: str) -> None:
    try:
        schedule = parse_deadline(text, year=2024, horizon=(2021, 2024))
    except DeadlineParseError:
        return
    assert all(r.start <= r.end for r in schedule.ranges)
    assert list(schedule.ranges) == sorted(schedule.ranges)


# --------------------------------------------------------------------------- statuses and tracking


def _small_roadmap() -> Roadmap:
    return Roadmap(
        title="Дорожная карта на 2021 - 2022 годы",
        sections=[
            RoadmapSection(
                "1",
                "Раздел",
                [
                    RoadmapRow("1.1", "Приказ о мониторинге", "март 2021 г.", "ММС"),
                    RoadmapRow("1.2", "Анализ", "ежегодно, до 15 августа", "ММС / МО"),
                    RoadmapRow("1.3", "Рекомендации", "II, IV кварталы 2022 г.", "ММС"),
                    RoadmapRow(
                        "1.4", "Изменения", "при необходимости в течение 2021 - 2022 гг.", "ММС"
                    ),
                    RoadmapRow("1.5", "Непонятное", "когда получится", "ММС"),
                ],
            )
        ],
    )


def _statuses(tmp_path: Path) -> Path:
    path = tmp_path / "исполнение.csv"
    pd.DataFrame(
        {
            "№ п/п": ["1.1", "1.2", "1.2.", "1.3", "9.9", "1.2", "", "1.1", "1.4"],
            "Год": ["2021", "2021", "2022", "2022", "2021", "2021", "2022", "двадцать", "2021"],
            "Статус": [
                "Выполнено",
                "выполнено",
                "в работе",
                "??",
                "выполнено",
                "нет",
                "да",
                "да",
                "не потребовалось",
            ],
            "Подтверждающий документ": ["№ 15", "", "", "", "", "", "", "", ""],
            "Дата исполнения": ["10.03.2021", "01.09.2021", "", "", "", "", "", "", ""],
        }
    ).to_csv(path, index=False, sep=";")
    return path


def test_statuses_every_row_accepted_or_refused_with_a_reason(tmp_path: Path) -> None:
    register = load_statuses(_statuses(tmp_path), _small_roadmap())
    assert len(register) + len(register.problems) == 9
    assert list(
        zip(register.frame["number"], register.frame["year"], register.frame["status"], strict=True)
    ) == [
        ("1.1", 2021, "done"),
        ("1.2", 2021, "done"),
        ("1.2", 2022, "in_progress"),
        ("1.4", 2021, "not_required"),
    ]
    text = "\n".join(register.problems)
    assert "строка 5: статус «??» не распознан" in text
    assert "строка 6: в дорожной карте нет мероприятия № 9.9" in text
    assert "строка 7: повтор мероприятия № 1.2 за 2021 год" in text
    assert "строка 8: не указан номер мероприятия" in text
    assert "строка 9: год «двадцать» не является числом" in text


def test_tracking_states_worked_out_by_hand(tmp_path: Path) -> None:
    roadmap = _small_roadmap()
    statuses = load_statuses(_statuses(tmp_path), roadmap)
    frame = track_execution(roadmap, statuses, today=D(2022, 9, 1))
    got = {
        (r["number"], r["year"] if pd.notna(r["year"]) else None): r["state"]
        for r in frame.to_dict("records")
    }
    assert got == {
        ("1.1", 2021): "done",
        ("1.2", 2021): "done_late",  # completed 01.09.2021 after the due date 15.08.2021
        ("1.2", 2022): "overdue",  # «в работе» but the due date 15.08.2022 has passed
        (
            "1.3",
            2022,
        ): "pending",  # Q2 passed but the row is tracked by its last due date 31.12.2022
        ("1.4", 2021): "not_required",
        ("1.4", 2022): "as_needed",
        ("1.5", None): "unparsed",
    }
    due = frame.set_index(["number", "year"])["due"]
    assert due[("1.3", 2022)] == D(2022, 12, 31)
    assert due[("1.2", 2021)] == D(2021, 8, 15)


def test_summary_counts_and_text(tmp_path: Path) -> None:
    roadmap = _small_roadmap()
    statuses = load_statuses(_statuses(tmp_path), roadmap)
    summary = roadmap_execution_summary(roadmap, statuses, today=D(2022, 9, 1))
    table = summary.table.set_index("Год")
    assert table.loc[2021, "Мероприятий"] == 3
    assert table.loc[2021, "Выполнено"] == 2
    assert table.loc[2021, "Из них подтверждено документом"] == 1
    assert table.loc[2022, "Просрочено"] == 1
    assert table.loc[2022, "Срок не наступил"] == 1
    assert list(summary.overdue["number"]) == ["1.2"]
    assert "Просрочено 1 позиция по 1 мероприятию: п. 1.2 (2022)." in summary.text
    assert "Срок не распознан: п. 1.5." in summary.text


def test_without_statuses_past_rows_are_overdue() -> None:
    profile = pedprof.get_profile("karabash")
    frame = track_execution(profile, today=D(2022, 1, 10))
    by = frame.set_index(["number", "year"])["state"]
    assert by[("1.1", 2021)] == "overdue"
    assert by[("1.2", 2021)] == "as_needed"
    assert by[("3.3", 2022)] == "pending"
    assert ("3.3", 2021) not in by.index


def test_a_past_period_is_judged_on_its_last_day_not_today() -> None:
    end = D(2024, 8, 31)
    assert reference_date(end, now=D(2026, 12, 8)) == (end, "конец анализируемого периода")
    assert reference_date(end, now=D(2024, 5, 1)) == (
        D(2024, 5, 1),
        "сегодня: анализируемый период ещё не закончился",
    )
    assert reference_date(end, D(2024, 9, 1), now=D(2026, 12, 8)) == (D(2024, 9, 1), "задана явно")
    assert reference_date(None, now=D(2026, 12, 8))[0] == D(2026, 12, 8)
    profile = pedprof.get_profile("karabash")  # «на 2021 – 2024 годы»
    assert roadmap_period_end(profile) == D(2024, 12, 31)
    assert roadmap_period_end(profile, [2021, 2022]) == D(2022, 12, 31)
    # the library default: the end of the years considered, not the day the program runs
    for years in (None, [2022]):
        last = roadmap_period_end(profile, years)
        assert last is not None
        by_default = track_execution(profile, years=years)
        on_that_day = track_execution(profile, today=last, years=years)
        pd.testing.assert_frame_equal(by_default, on_that_day)
        overdue = by_default[by_default["state"] == "overdue"]
        assert (overdue["due"] < last).all()
    summary = roadmap_execution_summary(profile, years=[2022])
    assert summary.today == D(2022, 12, 31)
    assert summary.today_text == (
        "Дата, на которую оценено исполнение: 31.12.2022 (конец анализируемого периода)."
    )


def test_template_round_trip(tmp_path: Path) -> None:
    profile = pedprof.get_profile("karabash")
    template = status_template(profile)
    # one line per row and year: 1.1, 2.1, 3.1, 3.2 once; 3.3 three years; the others four
    assert len(template) == 4 * 1 + 3 + 17 * 4
    template["Статус"] = "выполнено"
    path = tmp_path / "status.xlsx"
    template.to_excel(path, index=False)
    register = load_statuses(path, profile)
    assert register.problems == ()
    assert len(register) == len(template)
    frame = track_execution(profile, register, today=D(2025, 1, 1))
    assert set(frame["state"]) == {"done"}


def test_roadmap_cli(tmp_path: Path) -> None:
    runner = CliRunner()
    result = runner.invoke(
        main,
        [
            "roadmap",
            "--profile",
            "karabash",
            "--today",
            "20.08.2024",
            "-o",
            str(tmp_path / "r.xlsx"),
        ],
    )
    assert result.exit_code == 0, result.output
    assert "Просрочено" in result.output
    assert (tmp_path / "r.xlsx").exists()
    result = runner.invoke(
        main, ["roadmap", "--profile", "karabash", "--template", str(tmp_path / "t.csv")]
    )
    assert result.exit_code == 0, result.output
    assert "75 строк" in result.output
    result = runner.invoke(main, ["roadmap", "--profile", "petrovsk"])
    assert result.exit_code != 0
    assert "нет дорожной карты" in result.output


def test_numbers_typed_as_numbers_in_a_spreadsheet() -> None:
    roadmap = Roadmap(
        title="Карта на 2022 год",
        sections=[
            RoadmapSection(
                "2",
                None,
                [
                    RoadmapRow("2.1", "а", "I квартал"),
                    RoadmapRow("2.10", "б", "II квартал"),
                    RoadmapRow("3.20", "в", "III квартал"),
                ],
            )
        ],
    )
    frame = pd.DataFrame({"№ п/п": [2.1, 3.2], "Год": [2022.0, 2022.0], "Статус": ["да", "да"]})
    register = load_statuses(frame, roadmap)
    assert list(register.frame["number"]) == ["3.20"]
    assert register.problems == (
        "таблица, строка 2: номер «2.1» введён числом и может означать пункт 2.1 или 2.10 — "
        "введите номер как текст",
    )


# --------------------------------------------------------------------------- the status form


def test_empty_template_rows_are_not_errors(tmp_path: Path) -> None:
    """Seven rows filled in pedprof's own form: seven statuses, no messages about the
    other rows (there used to be one per empty row)."""
    profile = pedprof.get_profile("karabash")
    template = status_template(profile)
    template.loc[:6, "Статус"] = "выполнено"
    path = tmp_path / "status.xlsx"
    template.to_excel(path, index=False)
    register = load_statuses(path, profile)
    assert register.problems == ()
    assert len(register) == 7
    # a row with a document but no status is still a problem: something was meant
    template.loc[10, "Подтверждающий документ"] = "№ 15"
    template.to_excel(path, index=False)
    again = load_statuses(path, profile)
    assert len(again) == 7
    assert len(again.problems) == 1 and "не указан статус" in again.problems[0]


def test_status_form_has_a_drop_down_an_instruction_sheet_and_reads_back(
    tmp_path: Path,
) -> None:
    import openpyxl

    profile = pedprof.get_profile("karabash")
    path = write_status_template(profile, tmp_path / "исполнение.xlsx")
    wb = openpyxl.load_workbook(path)
    assert wb.sheetnames == ["Инструкция", "Исполнение"]
    assert "выполнено частично" in " ".join(
        str(c.value) for row in wb["Инструкция"].iter_rows() for c in row if c.value
    )
    ws = wb["Исполнение"]
    header = [c.value for c in ws[1]]
    assert header == [
        "№ п/п",
        "Мероприятие",
        "Год",
        "Статус",
        "Подтверждающий документ",
        "Дата исполнения",
        "Комментарий",
    ]
    n = len(status_template(profile))
    assert ws.max_row == n + 1
    lists = [dv for dv in ws.data_validations.dataValidation if dv.type == "list"]
    assert len(lists) == 1
    choices = lists[0].formula1.strip('"').split(",")
    assert choices == [
        "выполнено",
        "выполнено частично",
        "выполняется",
        "не выполнено",
        "не потребовалось",
    ]
    assert str(lists[0].sqref) == f"D2:D{n + 1}"
    assert ws.print_title_rows == "$1:$1"
    assert ws.page_setup.fitToWidth == 1 and ws.sheet_properties.pageSetUpPr.fitToPage
    # fill three rows with three of the choices and read the form back
    for row, status in zip(
        (2, 3, 4), ("выполнено частично", "выполнено", "не выполнено"), strict=True
    ):
        ws.cell(row=row, column=4, value=status)
    ws.cell(row=2, column=6, value=dt.datetime(2021, 5, 14))
    wb.save(path)
    register = load_statuses(path, profile)
    assert register.problems == ()
    assert list(register.frame["status"]) == ["partly_done", "done", "not_done"]
    assert register.frame["completed_on"].iloc[0] == D(2021, 5, 14)


@pytest.mark.parametrize("word", ["выполнено частично", "Частично выполнено", "частично"])
def test_partly_done_is_accepted_and_tracked_as_under_way(word: str) -> None:
    roadmap = _small_roadmap()
    frame = pd.DataFrame({"№ п/п": ["1.1"], "Год": [2021], "Статус": [word]})
    register = load_statuses(frame, roadmap)
    assert register.problems == ()
    assert register.frame["status"].tolist() == ["partly_done"]
    early = track_execution(roadmap, register, today=D(2021, 1, 15))
    row = early[(early["number"] == "1.1") & (early["year"] == 2021)].iloc[0]
    # under way before its due date, overdue after it, like «выполняется»
    due = row["due"]
    assert row["state"] == ("in_progress" if due >= D(2021, 1, 15) else "overdue")
    late = track_execution(roadmap, register, today=due + dt.timedelta(days=1))
    assert late[(late["number"] == "1.1") & (late["year"] == 2021)].iloc[0]["state"] == "overdue"


def test_cli_roadmap_template_is_the_workbook_with_instructions_and_drop_down(
    tmp_path: Path,
) -> None:
    """``pedprof roadmap --template x.xlsx`` writes the status form of
    :func:`write_status_template`: an instruction sheet and a drop-down of statuses."""
    import openpyxl
    from click.testing import CliRunner

    from pedprof.cli import main

    path = tmp_path / "status.xlsx"
    res = CliRunner().invoke(main, ["roadmap", "--profile", "karabash", "--template", str(path)])
    assert res.exit_code == 0, res.output
    wb = openpyxl.load_workbook(path)
    assert "Инструкция" in wb.sheetnames and "Исполнение" in wb.sheetnames
    validations = wb["Исполнение"].data_validations.dataValidation
    assert any("выполнено частично" in (v.formula1 or "") for v in validations) or any(
        v.type == "list" for v in validations
    )
