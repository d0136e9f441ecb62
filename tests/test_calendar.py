"""The monitoring calendar: what is due when and by whom, marks against a date, .ics."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import attrs
import icalendar
import pandas as pd
import pytest
from click.testing import CliRunner

import pedprof
from pedprof.cli import main
from pedprof.cycle.calendar import build_calendar, calendar_ics
from pedprof.model.mechanism import MonitoringActivity

D = dt.date


def _rows(frame: pd.DataFrame) -> list[tuple]:
    return [
        (r["kind"], r["source"], r["start"], r["end"], r["period"], r["state"])
        for r in frame.to_dict("records")
    ]


def test_karabash_2024_worked_out_by_hand() -> None:
    profile = pedprof.get_profile("karabash")
    frame = build_calendar(profile, 2024, today=D(2024, 8, 10))
    rows = _rows(frame)
    assert rows[:4] == [
        ("deadline", "Сроки мониторинга", D(2024, 8, 5), D(2024, 8, 5), "2023-2024", "past"),
        ("deadline", "Сроки мониторинга", D(2024, 8, 15), D(2024, 8, 15), "2023-2024", "upcoming"),
        ("roadmap", "Дорожная карта, п. 3.3", D(2024, 8, 15), D(2024, 8, 15), "", "upcoming"),
        # «Проведение комплексного анализа …» — «ежегодно», no date: the whole year
        ("deadline", "Сроки мониторинга", D(2024, 1, 1), D(2024, 12, 31), "", "current"),
    ]
    whole_year = [r for r in rows[4:] if r[0] == "roadmap"]
    # 1.2, 2.2–2.8, 4.1–4.5, 5.1, 5.2, 6.1, 6.2 run through 2024
    assert [r[1].rsplit(" ", 1)[1] for r in whole_year] == [
        "1.2",
        "2.2",
        "2.3",
        "2.4",
        "2.5",
        "2.6",
        "2.7",
        "2.8",
        "4.1",
        "4.2",
        "4.3",
        "4.4",
        "4.5",
        "5.1",
        "5.2",
        "6.1",
        "6.2",
    ]
    assert all(r[2:4] == (D(2024, 1, 1), D(2024, 12, 31)) for r in whole_year)
    stages = frame[frame["kind"] == "stage"]
    assert list(stages["what"]) == [
        "Этап 1: начальный этап",
        "Этап 2: основной этап",
        "Этап 3: заключительный этап",
    ]
    assert stages["end"].isna().all() and set(stages["state"]) == {"undated"}
    assert len(frame) == 4 + 17 + 3
    submission = frame.iloc[0]
    assert submission["responsible"] == "руководители образовательных организаций"
    assert submission["deadline_text"] == "ежегодно, до 05 августа"


def test_overdue_unless_recorded_done() -> None:
    profile = pedprof.get_profile("karabash")
    late = build_calendar(profile, 2024, today=D(2024, 8, 20))
    row = late[late["source"] == "Дорожная карта, п. 3.3"].iloc[0]
    assert (row["state"], row["state_label"]) == ("overdue", "просрочено")
    statuses = pd.DataFrame(
        {
            "roadmap": [""],
            "number": ["3.3"],
            "year": [2024],
            "status": ["done"],
            "document": [""],
            "completed_on": [D(2024, 8, 14)],
            "comment": [""],
        }
    )
    done = build_calendar(profile, 2024, today=D(2024, 8, 20), statuses=statuses)
    row = done[done["source"] == "Дорожная карта, п. 3.3"].iloc[0]
    assert row["state"] == "done"
    # campaign deadlines are not tracked: past, not overdue
    assert done.iloc[0]["state"] == "past"
    # the conditional row 1.2 is never overdue
    after = build_calendar(profile, 2024, today=D(2025, 1, 10))
    assert set(after.loc[after["source"] == "Дорожная карта, п. 1.2", "state"]) == {"as_needed"}


def test_no_today_no_marks_and_roadmaps_can_be_left_out() -> None:
    profile = pedprof.get_profile("karabash")
    frame = build_calendar(profile, 2024, include_roadmaps=False)
    assert set(frame["kind"]) == {"deadline", "stage"}
    assert set(frame.loc[frame["end"].notna(), "state"]) == {""}


def test_magnitogorsk_school_year_offsets() -> None:
    profile = pedprof.get_profile("magnitogorsk")
    frame = build_calendar(profile, 2024, today=D(2024, 9, 10))
    assert _rows(frame) == [
        # «август сентябрь», due 30 September: the school year that has just ended
        ("deadline", "Сроки мониторинга", D(2024, 8, 1), D(2024, 9, 30), "2023-2024", "current"),
        (
            "activity",
            "Мониторинговое мероприятие № 9",
            D(2024, 8, 1),
            D(2024, 9, 30),
            "",
            "current",
        ),
        # the September site check concerns the school year that starts then (offset −1)
        ("deadline", "Сроки мониторинга", D(2024, 9, 1), D(2024, 9, 30), "2024-2025", "current"),
        (
            "activity",
            "Мониторинговое мероприятие № 10",
            D(2024, 9, 1),
            D(2024, 9, 30),
            "",
            "current",
        ),
        ("deadline", "Сроки мониторинга", D(2024, 9, 30), D(2024, 9, 30), "2023-2024", "upcoming"),
    ]
    a09 = frame.iloc[1]
    assert a09["responsible"] == "МУ ДПО «ЦПКИМР» г. Магнитогорска"
    assert a09["result"].startswith("Информационно-аналитическая справка о деятельности ГПО")


def test_activity_frequencies() -> None:
    base = pedprof.get_profile("petrovsk")
    activities = (
        *base.monitoring_activities,
        MonitoringActivity(id="q", name="Квартальный мониторинг", frequency="quarterly"),
        MonitoringActivity(id="s", name="Полугодовой мониторинг", frequency="semiannual"),
        MonitoringActivity(id="m", name="Весной и в ноябре", months=(3, 4, 11)),
    )
    profile = attrs.evolve(base, monitoring_activities=activities)
    frame = build_calendar(profile, 2023)
    got = sorted(
        (r["what"], r["start"], r["end"])
        for r in frame.to_dict("records")
        if r["kind"] == "activity"
    )
    assert got == sorted(
        [
            # «Мониторинг проводится не реже одного раза в год.»: annual, no months — the year
            (base.monitoring_activities[0].name, D(2023, 1, 1), D(2023, 12, 31)),
            ("Квартальный мониторинг", D(2023, 1, 1), D(2023, 3, 31)),
            ("Квартальный мониторинг", D(2023, 4, 1), D(2023, 6, 30)),
            ("Квартальный мониторинг", D(2023, 7, 1), D(2023, 9, 30)),
            ("Квартальный мониторинг", D(2023, 10, 1), D(2023, 12, 31)),
            ("Полугодовой мониторинг", D(2023, 1, 1), D(2023, 6, 30)),
            ("Полугодовой мониторинг", D(2023, 7, 1), D(2023, 12, 31)),
            ("Весной и в ноябре", D(2023, 3, 1), D(2023, 4, 30)),
            ("Весной и в ноябре", D(2023, 11, 1), D(2023, 11, 30)),
        ]
    )


def _events(data: bytes) -> list[icalendar.Event]:
    cal = icalendar.Calendar.from_ical(data)
    return [c for c in cal.walk() if c.name == "VEVENT"]


def test_ics_export() -> None:
    profile = pedprof.get_profile("magnitogorsk")
    frame = build_calendar(profile, 2024)
    stamp = dt.datetime(2024, 1, 1, tzinfo=dt.UTC)
    data = calendar_ics(frame, profile_id=profile.id, name="Мониторинг 2024", stamp=stamp)
    events = _events(data)
    assert len(events) == 5
    got = [(str(e["summary"])[:6], e.decoded("dtstart"), e.decoded("dtend")) for e in events]
    assert got == [
        # 01.08–30.09 (61 days): an all-day span over both months, DTEND exclusive — not a
        # one-day event on 30.09
        ("Провед", D(2024, 8, 1), D(2024, 10, 1)),
        ("Провед", D(2024, 8, 1), D(2024, 10, 1)),
        # 30 days: an all-day event over the month
        ("Монито", D(2024, 9, 1), D(2024, 10, 1)),
        ("Монито", D(2024, 9, 1), D(2024, 10, 1)),
        # one day: «Срок: …» on that day
        ("Срок: ", D(2024, 9, 30), D(2024, 10, 1)),
    ]
    description = str(events[0]["description"])
    assert "Ответственный: МУ ДПО «ЦПКИМР» г. Магнитогорска" in description
    assert "Период: с 01.08.2024 по 30.09.2024" in description
    uids = [str(e["uid"]) for e in events]
    assert len(set(uids)) == 5
    again = calendar_ics(frame, profile_id=profile.id, name="x", stamp=dt.datetime.now(dt.UTC))
    assert [str(e["uid"]) for e in _events(again)] == uids


def test_undated_items_are_not_exported() -> None:
    profile = pedprof.get_profile("karabash")
    frame = build_calendar(profile, 2024)
    events = _events(calendar_ics(frame, profile_id="karabash", name="К"))
    assert len(events) == int(frame["end"].notna().sum())


def test_calendar_cli(tmp_path: Path) -> None:
    path = tmp_path / "k.ics"
    result = CliRunner().invoke(
        main,
        [
            "calendar",
            "--profile",
            "karabash",
            "--year",
            "2024",
            "--today",
            "20.08.2024",
            "--ics",
            str(path),
        ],
    )
    assert result.exit_code == 0, result.output
    assert "просрочено" in result.output
    assert "Пунктов календаря: 24, из них со сроком: 21." in result.output
    assert len(_events(path.read_bytes())) == 21


@pytest.mark.parametrize("bad", ["20/08/2024", "завтра"])
def test_calendar_cli_refuses_a_bad_date(bad: str) -> None:
    result = CliRunner().invoke(
        main, ["calendar", "--profile", "karabash", "--year", "2024", "--today", bad]
    )
    assert result.exit_code != 0
    assert "не является датой" in result.output


def test_calendar_cli_unknown_profile() -> None:
    result = CliRunner().invoke(main, ["calendar", "--profile", "нет", "--year", "2024"])
    assert result.exit_code != 0
    assert "не найден" in result.output


def test_chelyabinsk_monitoring_windows_only_in_their_year() -> None:
    try:
        profile = pedprof.get_profile("chelyabinsk")
    except KeyError:
        pytest.skip("the chelyabinsk profile is not installed")
    frame = build_calendar(profile, 2021, include_roadmaps=False)
    records = frame.to_dict("records")
    windows = sorted(
        {(r["start"], r["end"]) for r in records if "monitoring_" in str(r.get("source", ""))}
    )
    assert windows == [(D(2021, 4, 15), D(2021, 5, 10))]
    # the report deadlines of the order are listed too (до 05.06.2021)
    assert any(r["end"] == D(2021, 6, 5) for r in records)
    assert build_calendar(profile, 2024).empty


def test_year_long_items_are_spans_not_a_pile_on_31_december() -> None:
    """Karabash's roadmap rows «в течение года» span the year; nothing is pinned to the
    last day of it unless it is a one-day item of that day."""
    profile = pedprof.get_profile("karabash")
    frame = build_calendar(profile, 2024)
    events = _events(calendar_ics(frame, profile_id="karabash", name="К"))
    dated = frame[frame["end"].notna()].to_dict("records")
    assert len(events) == len(dated)
    by_uid = {str(e["uid"]): e for e in events}
    long_items = 0
    for item, event in zip(dated, events, strict=True):
        start = (
            item["start"]
            if item["start"] is not None and not pd.isna(item["start"])
            else item["end"]
        )
        assert event.decoded("dtstart") == start
        assert event.decoded("dtend") == item["end"] + dt.timedelta(days=1)
        if (item["end"] - start).days >= 300:
            long_items += 1
            assert not str(event["summary"]).startswith("Срок:")
    assert long_items >= 10  # the roadmap's «в течение года» rows
    on_31_december = [e for e in events if e.decoded("dtstart") == D(2024, 12, 31)]
    assert len(on_31_december) < long_items
    assert len(by_uid) == len(events)


@pytest.mark.parametrize("days", [0, 3, 14])
def test_every_item_reminds_before_its_due_date(days: int) -> None:
    profile = pedprof.get_profile("magnitogorsk")
    frame = build_calendar(profile, 2024)
    events = _events(calendar_ics(frame, profile_id="m", name="М", remind_days=days))
    for event in events:
        alarms = [c for c in event.walk() if c.name == "VALARM"]
        assert len(alarms) == 1
        trigger = alarms[0]["trigger"]
        assert trigger.params.get("RELATED") == "END"
        # DTEND is the day after the due date: due date − days = DTEND − (days + 1)
        fires = event.decoded("dtend") + trigger.dt
        assert fires == event.decoded("dtend") - dt.timedelta(days=1) - dt.timedelta(days=days)
        assert str(alarms[0]["action"]) == "DISPLAY"


def test_reminders_can_be_left_out() -> None:
    frame = build_calendar(pedprof.get_profile("magnitogorsk"), 2024)
    data = calendar_ics(frame, profile_id="m", name="М", remind_days=None)
    assert b"VALARM" not in data
    with pytest.raises(ValueError):
        calendar_ics(frame, profile_id="m", name="М", remind_days=-1)


def test_cli_calendar_reminders_by_option(tmp_path: Path) -> None:
    """``pedprof calendar --ics`` writes reminders 7 days before by default and none with
    ``--remind-days 0``."""
    from click.testing import CliRunner

    from pedprof.cli import main

    args = ["calendar", "--profile", "karabash", "--year", "2024", "--ics"]
    with_alarm = CliRunner().invoke(main, [*args, str(tmp_path / "a.ics")])
    assert with_alarm.exit_code == 0, with_alarm.output
    text = (tmp_path / "a.ics").read_text("utf-8")
    assert "BEGIN:VALARM" in text and "Срок через 7 дн." in text
    without = CliRunner().invoke(main, [*args, str(tmp_path / "b.ics"), "--remind-days", "0"])
    assert without.exit_code == 0, without.output
    assert "BEGIN:VALARM" not in (tmp_path / "b.ics").read_text("utf-8")
