"""The monitoring calendar: what is due when and by whom in a year.

:func:`build_calendar` gathers, for one calendar year, everything a profile declares with
a date: the deadlines of the yearly monitoring campaign (submission by 5 August,
assessment by 15 August …), its stages, the monitoring activities (by month, quarter or
half-year) and the rows of its roadmaps (deadlines parsed by
:func:`pedprof.cycle.roadmaps.parse_deadline`). Given ``today``, each item is marked: upcoming,
under way, past due — and, for roadmap rows, overdue unless the execution statuses say
they are done. :func:`calendar_ics` exports the dated items as an iCalendar file (.ics)
that people import into their calendars.
"""

from __future__ import annotations

import datetime as dt
import hashlib
from collections.abc import Mapping
from pathlib import Path
from typing import TYPE_CHECKING, Any, Final

import icalendar
import pandas as pd

from pedprof.cycle.roadmaps import (
    DeadlineParseError,
    Schedule,
    StatusRegister,
    parse_deadline,
    roadmap_rows,
    track_execution,
)
from pedprof.model.mechanism import Deadline, MonitoringActivity
from pedprof.model.periods import Period, PeriodKind

if TYPE_CHECKING:
    from pedprof.model.profile import Profile

__all__ = [
    "CALENDAR_COLUMNS",
    "CALENDAR_HEADERS",
    "ITEM_KINDS",
    "ITEM_STATES",
    "build_calendar",
    "calendar_ics",
    "write_ics",
]

#: Columns of :func:`build_calendar`.
CALENDAR_COLUMNS: Final = (
    "start",
    "end",
    "what",
    "responsible",
    "kind",
    "source",
    "deadline_text",
    "period",
    "result",
    "state",
    "state_label",
)
#: Column → Russian header.
CALENDAR_HEADERS: Final[Mapping[str, str]] = {
    "start": "Начало",
    "end": "Срок",
    "what": "Что",
    "responsible": "Кто",
    "kind": "Вид",
    "source": "Основание",
    "deadline_text": "Срок по документу",
    "period": "Отчётный период",
    "result": "Результат",
    "state": "Код отметки",
    "state_label": "Отметка",
}
#: Item kinds → Russian labels.
ITEM_KINDS: Final[Mapping[str, str]] = {
    "deadline": "срок мониторинга",
    "stage": "этап мониторинга",
    "activity": "мониторинговое мероприятие",
    "roadmap": "дорожная карта",
}
#: Item states → Russian labels.
ITEM_STATES: Final[Mapping[str, str]] = {
    "upcoming": "предстоит",
    "current": "идёт",
    "past": "срок прошёл",
    "overdue": "просрочено",
    "done": "выполнено",
    "not_required": "не потребовалось",
    "as_needed": "при необходимости",
    "undated": "срок не указан",
}
_KIND_ORDER = {k: i for i, k in enumerate(ITEM_KINDS)}


def _item(
    start: dt.date | None,
    end: dt.date | None,
    what: str,
    responsible: str,
    kind: str,
    source: str,
    deadline_text: str = "",
    period: str = "",
    result: str = "",
    tracked: str = "",
) -> dict[str, Any]:
    return {
        "start": start,
        "end": end,
        "what": what,
        "responsible": responsible,
        "kind": kind,
        "source": source,
        "deadline_text": deadline_text,
        "period": period,
        "result": result,
        "_tracked": tracked,
    }


def _deadline_items(profile: Profile, year: int) -> list[dict[str, Any]]:
    campaign = profile.info.campaign
    if campaign is None:
        return []
    items = []
    for d in campaign.deadlines:
        items.extend(_one_deadline(profile, d, year, "Сроки мониторинга"))
    for stage in campaign.stages:
        items.append(
            _item(
                None,
                None,
                f"Этап {stage.number}: {stage.label}",
                "",
                "stage",
                "Этапы мониторинга",
                result=stage.content,
            )
        )
    return items


def _one_deadline(profile: Profile, d: Deadline, year: int, source: str) -> list[dict[str, Any]]:
    responsible = d.responsible
    if d.month is not None and d.day is not None:
        due = d.date_for(year - d.offset_years)
        assert due is not None
        start = due
        schedule = _try_parse(d.text, year)
        if schedule is not None and not schedule.open_start:
            parts = [r for r in schedule.in_year(year) if r.end == due]
            if parts:
                start = min(r.start for r in parts)
        period = Period.first_ending_in(profile.info.period_kind, year - d.offset_years)
        period_label = "" if profile.info.period_kind is PeriodKind.QUARTER else period.label
        return [_item(start, due, d.what, responsible, "deadline", source, d.text, period_label)]
    schedule = _try_parse(d.text, year)
    if schedule is None or not schedule.in_year(year):
        return [_item(None, None, d.what, responsible, "deadline", source, d.text)]
    return [
        _item(
            r.end if schedule.open_start else r.start,
            r.end,
            d.what,
            responsible,
            "deadline",
            source,
            d.text,
        )
        for r in schedule.in_year(year)
    ]


def _try_parse(text: str, year: int | None) -> Schedule | None:
    if not text:
        return None
    try:
        return parse_deadline(text, year=year)
    except DeadlineParseError:
        return None


def _month_runs(months: tuple[int, ...]) -> list[tuple[int, int]]:
    runs: list[tuple[int, int]] = []
    for m in sorted(set(months)):
        if runs and m == runs[-1][1] + 1:
            runs[-1] = (runs[-1][0], m)
        else:
            runs.append((m, m))
    return runs


_FREQUENCY_TEXT = {
    "quarterly": "ежеквартально",
    "semiannual": "1 раз в полгода",
    "monthly": "ежемесячно",
    "annual": "ежегодно",
}


def _activity_items(activity: MonitoringActivity, year: int) -> list[dict[str, Any]]:
    number = f"№ {activity.number}" if activity.number is not None else activity.id
    source = f"Мониторинговое мероприятие {number}"
    name = activity.name
    schedule: Schedule | None
    # a period stated with its year («с 15.04.2021 г. по 10.05.2021 г.») ties the activity
    # to those dates; otherwise the months and the frequency place it in every year
    schedule = _try_parse(activity.period_text, None)
    if schedule is not None:
        pass
    elif activity.months and activity.frequency in ("annual", "once", ""):
        text = " и ".join(
            f"с 01.{a:02d}.{year} по {_month_end(year, b):%d.%m.%Y}"
            for a, b in _month_runs(activity.months)
        )
        schedule = _try_parse(text, year)
    elif activity.frequency in _FREQUENCY_TEXT and activity.frequency != "annual":
        schedule = _try_parse(_FREQUENCY_TEXT[activity.frequency], year)
    else:
        schedule = _try_parse(activity.period_text, year) or _try_parse("ежегодно", year)
    if schedule is None:
        return [
            _item(
                None,
                None,
                name,
                activity.responsible,
                "activity",
                source,
                activity.period_text,
                result=activity.output_document,
            )
        ]
    return [
        _item(
            r.start,
            r.end,
            name,
            activity.responsible,
            "activity",
            source,
            activity.period_text,
            result=activity.output_document,
        )
        for r in schedule.in_year(year)
    ]


def _month_end(year: int, month: int) -> dt.date:
    first_next = dt.date(year + month // 12, month % 12 + 1, 1)
    return first_next - dt.timedelta(days=1)


def _roadmap_items(
    profile: Profile, year: int, statuses: StatusRegister | pd.DataFrame | None, today: dt.date
) -> list[dict[str, Any]]:
    rows = roadmap_rows(profile)
    if rows.empty:
        return []
    tracked = track_execution(profile, statuses, today=today, years=[year])
    state_of = {(r["roadmap"], r["number"]): r["state"] for r in tracked.to_dict("records")}
    items = []
    for row in rows.to_dict("records"):
        schedule: Schedule | None = row["schedule"]
        who = row["responsible"]
        if row["co_executors"]:
            who = f"{who} (соисполнители: {row['co_executors']})" if who else row["co_executors"]
        source = f"Дорожная карта, п. {row['number']}"
        if schedule is None:
            continue
        for r in schedule.in_year(year):
            item = _item(
                r.end if schedule.open_start else r.start,
                r.end,
                row["event"],
                who,
                "roadmap",
                source,
                row["deadline_text"],
                result=row["expected_result"],
                tracked=str(state_of.get((row["roadmap"], row["number"]), "")),
            )
            item["_conditional"] = bool(row["conditional"])
            items.append(item)
    return items


def _state(item: Mapping[str, Any], today: dt.date | None) -> str:
    if item["end"] is None:
        return "undated"
    if today is None:
        return ""
    tracked = item.get("_tracked", "")
    if tracked in ("done", "done_late"):
        return "done"
    if tracked == "not_required":
        return "not_required"
    if item["end"] < today:
        if item["kind"] == "roadmap":
            return "as_needed" if item.get("_conditional") else "overdue"
        return "past"
    if item["start"] is not None and item["start"] <= today:
        return "current"
    return "upcoming"


def build_calendar(
    profile: Profile,
    year: int,
    *,
    today: dt.date | None = None,
    statuses: StatusRegister | pd.DataFrame | None = None,
    include_roadmaps: bool = True,
) -> pd.DataFrame:
    """What is due when and by whom in calendar ``year``.

    :param profile: the profile whose declarations are read: the campaign's deadlines and
        stages (:attr:`pedprof.ProfileInfo.campaign`), the monitoring activities and the
        roadmaps.
    :param year: the calendar year.
    :param today: when given, every item is marked (``state``): upcoming, under way
        (``current``), past due (``past``), and for roadmap rows ``overdue`` unless
        ``statuses`` record them as done or not required (conditional rows are never
        overdue). Undated items (stages without dates, texts that name no date) are
        listed last as ``undated``.
    :param statuses: roadmap execution statuses (:func:`pedprof.cycle.roadmaps.load_statuses`).
    :param include_roadmaps: include the roadmap rows.
    :returns: columns :data:`CALENDAR_COLUMNS`, sorted by due date then start.
    """
    items = _deadline_items(profile, year)
    for activity in profile.monitoring_activities:
        items.extend(_activity_items(activity, year))
    if include_roadmaps:
        items.extend(_roadmap_items(profile, year, statuses, today or dt.date.today()))
    for item in items:
        item["state"] = _state(item, today)
        item["state_label"] = ITEM_STATES.get(item["state"], "")
    items.sort(
        key=lambda i: (
            i["end"] is None,
            i["end"] or dt.date.max,
            i["start"] or dt.date.max,
            _KIND_ORDER[i["kind"]],
        )
    )
    frame = pd.DataFrame.from_records(items, columns=list(CALENDAR_COLUMNS))
    return frame


# --------------------------------------------------------------------------- iCalendar

#: Items longer than this were once exported as a one-day event on their due date; they
#: are now spans like every other item (kept for callers).
LONG_ITEM_DAYS: Final = 31
#: Days before a due date the reminder (VALARM) of an exported item goes off by default.
REMIND_DAYS: Final = 7


def _uid(profile_id: str, item: Mapping[str, Any]) -> str:
    key = "|".join(
        str(item[k]) for k in ("kind", "source", "what", "start", "end", "deadline_text")
    )
    digest = hashlib.sha1(f"{profile_id}|{key}".encode()).hexdigest()[:20]
    return f"{digest}@pedprof"


def calendar_ics(
    frame: pd.DataFrame,
    *,
    profile_id: str,
    name: str,
    stamp: dt.datetime | None = None,
    remind_days: int | None = REMIND_DAYS,
) -> bytes:
    """The dated items of a calendar as an iCalendar file.

    An item with a range («в течение года», «август–сентябрь») is an all-day event
    spanning it (DTSTART the first day, DTEND the day after the last), shown as free time,
    so a year's items are not piled on 31 December; an item of one day is «Срок: …» on
    that day. Every item carries a reminder (VALARM) ``remind_days`` days before its due
    date (its last day). Event ids are stable: importing a newer export updates the
    events instead of duplicating them.

    :param frame: from :func:`build_calendar`.
    :param profile_id: the profile id (part of the event ids).
    :param name: the calendar's name.
    :param stamp: the creation timestamp written into each event (default: now, UTC).
    :param remind_days: days before the due date the reminder goes off; ``None`` for no
        reminders.
    :returns: the .ics bytes.
    """
    if remind_days is not None and remind_days < 0:
        raise ValueError("remind_days must be 0 or more")
    stamp = stamp or dt.datetime.now(dt.UTC)
    cal = icalendar.Calendar()
    cal.add("prodid", "-//pedprof//monitoring calendar//RU")
    cal.add("version", "2.0")
    cal.add("calscale", "GREGORIAN")
    cal.add("x-wr-calname", name)
    for item in frame.to_dict("records"):
        end = item["end"]
        if end is None or pd.isna(end):
            continue
        start = item["start"] if item["start"] is not None and not pd.isna(item["start"]) else end
        event = icalendar.Event()
        event.add("uid", _uid(profile_id, item))
        event.add("dtstamp", stamp)
        if start == end:
            event.add("summary", f"Срок: {item['what']}")
        else:
            event.add("summary", str(item["what"]))
        event.add("dtstart", start)
        event.add("dtend", end + dt.timedelta(days=1))
        lines = []
        if item["responsible"]:
            lines.append(f"Ответственный: {item['responsible']}")
        if start != end:
            lines.append(f"Период: с {start:%d.%m.%Y} по {end:%d.%m.%Y}")
        if item["deadline_text"]:
            lines.append(f"Срок по документу: {item['deadline_text']}")
        if item["period"]:
            lines.append(f"Отчётный период: {item['period']}")
        lines.append(f"Основание: {item['source']}")
        if item["result"]:
            lines.append(f"Результат: {item['result']}")
        event.add("description", "\n".join(lines))
        event.add("categories", [ITEM_KINDS[item["kind"]]])
        event.add("transp", "TRANSPARENT")
        if remind_days is not None:
            alarm = icalendar.Alarm()
            alarm.add("action", "DISPLAY")
            when = "сегодня" if remind_days == 0 else f"через {remind_days} дн."
            alarm.add("description", f"Срок {when} ({end:%d.%m.%Y}): {item['what']}")
            # DTEND is the day after the due date: the reminder is remind_days + 1 before it
            alarm.add("trigger", -dt.timedelta(days=remind_days + 1), parameters={"RELATED": "END"})
            event.add_component(alarm)
        cal.add_component(event)
    return bytes(cal.to_ical())


def write_ics(
    frame: pd.DataFrame,
    path: str | Path,
    *,
    profile_id: str,
    name: str,
    stamp: dt.datetime | None = None,
    remind_days: int | None = REMIND_DAYS,
) -> Path:
    """Write :func:`calendar_ics` to ``path`` and return it."""
    out = Path(path)
    out.parent.mkdir(parents=True, exist_ok=True)
    out.write_bytes(
        calendar_ics(frame, profile_id=profile_id, name=name, stamp=stamp, remind_days=remind_days)
    )
    return out
