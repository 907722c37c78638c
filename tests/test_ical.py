"""Schedules as iCalendar files, read back with real parsers and checked against the policy.

The files are parsed with ``icalendar`` and expanded two ways: with ``recurring_ical_events``
(which keeps an occurrence's wall-clock end) and with a small reader below that keeps each
occurrence's elapsed length, as RFC 5545 §3.8.5.3 says for DTEND. Both must give exactly the
open intervals of :class:`support_policies.calendar.Calendar`. Written-down vectors pin the
UTC offsets across daylight saving changes.
"""

from __future__ import annotations

import hashlib
import os
import re
import subprocess
import sys
from datetime import UTC, date, datetime, timedelta
from pathlib import Path
from zoneinfo import ZoneInfo

import icalendar
import pytest
import recurring_ical_events

from support_policies.calendar import Calendar
from support_policies.exports.ical import calendar_path, schedule_calendar
from support_policies.model import Holiday, Holidays, MaintenanceWindow, OpenHours, Organization, PolicySet, Schedule
from support_policies.policyset import load_policies

REPO = Path(__file__).resolve().parent.parent
UTC = UTC
CHICAGO = ZoneInfo("America/Chicago")
NEW_YORK = ZoneInfo("America/New_York")
TODAY = date(2026, 5, 4)
EVERY_DAY = ("mon", "tue", "wed", "thu", "fri", "sat", "sun")
BYDAY = ("MO", "TU", "WE", "TH", "FR", "SA", "SU")


@pytest.fixture(scope="module")
def policy() -> PolicySet:
    return load_policies([REPO / "policies"]).policy


def parse(schedule: Schedule, policy: PolicySet, today: date = TODAY) -> icalendar.Calendar:
    return icalendar.Calendar.from_ical(schedule_calendar(schedule, policy, today))


def utc(text: str) -> datetime:
    return datetime.fromisoformat(text).replace(tzinfo=UTC)


def local(text: str, zone: ZoneInfo = CHICAGO) -> datetime:
    return datetime.fromisoformat(text).replace(tzinfo=zone)


def categories(component) -> list[str]:
    found = component.get("CATEGORIES")
    return [c for value in (found if isinstance(found, list) else [found] if found else []) for c in value.cats]


def events(cal: icalendar.Calendar, category: str) -> list:
    return [e for e in cal.walk("VEVENT") if category in categories(e)]


def text(cal: icalendar.Calendar, name: str) -> str:
    """An X- property as text: the parser keeps unknown properties escaped (RFC 5545 §3.3.11)."""
    return re.sub(r"\\([\\;,nN])", lambda m: "\n" if m[1] in "nN" else m[1], str(cal[name]))


def observances(tz) -> list[tuple[str, ...]]:
    """A VTIMEZONE's observances as written: (kind, DTSTART, TZOFFSETFROM, TZOFFSETTO, TZNAME)."""

    def written(value) -> str:
        value = value.to_ical()
        return value.decode() if isinstance(value, bytes) else value

    return [
        (p.name, *(written(p[key]) for key in ("DTSTART", "TZOFFSETFROM", "TZOFFSETTO", "TZNAME")))
        for p in tz.subcomponents
    ]


def merge(intervals) -> list[tuple[datetime, datetime]]:
    merged: list[list[datetime]] = []
    for start, end in sorted(intervals):
        if merged and start <= merged[-1][1]:
            merged[-1][1] = max(merged[-1][1], end)
        else:
            merged.append([start, end])
    return [(a, b) for a, b in merged]


def clip(intervals, lo: datetime, hi: datetime) -> list[tuple[datetime, datetime]]:
    return merge((max(a, lo), min(b, hi)) for a, b in intervals if a < hi and b > lo)


def wall_clock_reader(cal, category: str, lo: datetime, hi: datetime) -> list[tuple[datetime, datetime]]:
    """Occurrences as recurring_ical_events expands them (UTC, clipped, merged)."""
    found = [
        (e.start.astimezone(UTC), e.end.astimezone(UTC))
        for e in recurring_ical_events.of(cal).between(lo, hi)
        if category in categories(e)
    ]
    return clip(found, lo, hi)


def exact_reader(cal, category: str, lo: datetime, hi: datetime) -> list[tuple[datetime, datetime]]:
    """Occurrences of weekly events with the master's elapsed length, unless overridden."""
    overrides = {
        (str(e["UID"]), e["RECURRENCE-ID"].dt.astimezone(UTC)): e for e in events(cal, category) if "RECURRENCE-ID" in e
    }
    found = []
    for master in (e for e in events(cal, category) if "RRULE" in e):
        rule, zone = master["RRULE"], master.start.tzinfo
        length = master.end.astimezone(UTC) - master.start.astimezone(UTC)
        exdate = master.get("EXDATE", [])
        excluded = {
            d.dt.astimezone(UTC) for value in (exdate if isinstance(exdate, list) else [exdate]) for d in value.dts
        }
        day = master.start.date()
        while (start := datetime.combine(day, master.start.time(), zone).astimezone(UTC)) <= rule["UNTIL"][0]:
            if BYDAY[day.weekday()] in rule["BYDAY"] and start not in excluded:
                override = overrides.get((str(master["UID"]), start))
                found.append(
                    (override.start.astimezone(UTC), override.end.astimezone(UTC))
                    if override
                    else (start, start + length)
                )
            day += timedelta(days=1)
    found.extend(  # single events: a special day's hours, a span's or union's intervals
        (e.start.astimezone(UTC), e.end.astimezone(UTC))
        for e in events(cal, category)
        if "RRULE" not in e and "RECURRENCE-ID" not in e
    )
    return clip(found, lo, hi)


def assert_matches_calendar(schedule: Schedule, cal, lo: datetime, hi: datetime, business=None) -> None:
    truth = list((business or Calendar.for_schedule(schedule)).open_intervals(lo, hi))
    assert truth, "nothing to compare"
    assert wall_clock_reader(cal, "OPENING HOURS", lo, hi) == truth
    assert exact_reader(cal, "OPENING HOURS", lo, hi) == truth


def overnight(*holidays: str) -> Schedule:
    return Schedule(
        id="night-desk",
        name="Night desk",
        timezone="America/Chicago",
        hours=(OpenHours(EVERY_DAY, "22:00", "06:00"),),
        holidays=Holidays(dates=tuple(Holiday(d, "Staff day") for d in holidays)),
    )


# --- the file -----------------------------------------------------------------------------------------


def test_calendar_path():
    assert calendar_path("standard-hours") == "data/calendars/standard-hours.ics"


def test_calendar_properties(policy):
    cal = parse(policy.schedule("standard-hours"), policy)
    assert cal["VERSION"] == "2.0"
    assert cal["PRODID"] == "-//mkdocs-support-policies//Tallyweave//EN"
    assert cal["CALSCALE"] == "GREGORIAN"
    assert text(cal, "X-WR-CALNAME") == "Tallyweave — Standard hours"
    assert text(cal, "X-WR-TIMEZONE") == "America/Chicago"
    description = text(cal, "X-WR-CALDESC")
    assert description.startswith("Open Monday to Friday, 08:00–17:00 (Chicago).")
    assert "US public holidays" in description and "2026 and 2027" in description


def test_without_an_organization_names_fall_back(policy):
    cal = parse(policy.schedule("standard-hours"), PolicySet(schedules=policy.schedules))
    assert cal["PRODID"] == "-//mkdocs-support-policies//Support policies//EN"
    assert text(cal, "X-WR-CALNAME") == "Standard hours"
    assert {str(e["UID"]).split("@")[1] for e in cal.walk("VEVENT")} == {"support-policies.invalid"}


def test_uids_are_unique_and_overrides_share_their_series_uid(policy):
    cal = parse(overnight("2026-04-15"), policy)
    masters = [str(e["UID"]) for e in cal.walk("VEVENT") if "RECURRENCE-ID" not in e]
    assert len(masters) == len(set(masters))
    assert "night-desk-hours-1@support.tallyweave.example" in masters
    assert "night-desk-holiday-20260415@support.tallyweave.example" in masters
    overrides = [e for e in cal.walk("VEVENT") if "RECURRENCE-ID" in e]
    assert overrides and {str(e["UID"]) for e in overrides} == {"night-desk-hours-1@support.tallyweave.example"}


def test_every_event_is_stamped_today_at_midnight_utc(policy):
    cal = parse(policy.schedule("standard-hours"), policy)
    assert {e["DTSTAMP"].dt for e in cal.walk("VEVENT")} == {utc("2026-05-04T00:00")}


def test_the_vtimezone_puts_each_change_where_zoneinfo_does(policy):
    (tz,) = parse(policy.schedule("standard-hours"), policy).walk("VTIMEZONE")
    assert tz["TZID"] == "America/Chicago"
    assert observances(tz) == [
        ("STANDARD", "20260101T000000", "-0600", "-0600", "CST"),
        ("DAYLIGHT", "20260308T020000", "-0600", "-0500", "CDT"),
        ("STANDARD", "20261101T020000", "-0500", "-0600", "CST"),
        ("DAYLIGHT", "20270314T020000", "-0600", "-0500", "CDT"),
        ("STANDARD", "20271107T020000", "-0500", "-0600", "CST"),
    ]


def test_the_vtimezone_of_a_southern_zone(policy):
    sydney = Schedule(
        id="sydney", name="Sydney", timezone="Australia/Sydney", hours=(OpenHours(("mon",), "09:00", "17:00"),)
    )
    (tz,) = parse(sydney, policy).walk("VTIMEZONE")
    onsets = observances(tz)
    assert onsets[:3] == [
        ("DAYLIGHT", "20260101T000000", "+1100", "+1100", "AEDT"),
        ("STANDARD", "20260405T030000", "+1100", "+1000", "AEST"),
        ("DAYLIGHT", "20261004T020000", "+1000", "+1100", "AEDT"),
    ]
    assert len(onsets) == 5
    for _, onset, offset_from, offset_to, _ in onsets[1:]:
        instant = datetime.strptime(onset + offset_from, "%Y%m%dT%H%M%S%z")
        zone = ZoneInfo("Australia/Sydney")
        assert (instant - timedelta(seconds=1)).astimezone(zone).strftime("%z") == offset_from
        assert instant.astimezone(zone).strftime("%z") == offset_to


# --- opening hours --------------------------------------------------------------------------------------


def test_a_week_either_side_of_the_spring_change(policy):
    cal = parse(policy.schedule("standard-hours"), policy)
    lo, hi = utc("2026-03-02T00:00"), utc("2026-03-14T00:00")
    cst = [(utc(f"2026-03-0{d}T14:00"), utc(f"2026-03-0{d}T23:00")) for d in range(2, 7)]
    cdt = [(utc(f"2026-03-{d:02d}T13:00"), utc(f"2026-03-{d:02d}T22:00")) for d in range(9, 14)]
    assert wall_clock_reader(cal, "OPENING HOURS", lo, hi) == cst + cdt
    assert exact_reader(cal, "OPENING HOURS", lo, hi) == cst + cdt


def test_standard_hours_agree_with_the_business_calendar_for_both_years(policy):
    schedule = policy.schedule("standard-hours")
    assert_matches_calendar(schedule, parse(schedule, policy), local("2026-01-01T00:00"), local("2028-01-01T00:00"))


def test_no_opening_on_holidays(policy):
    cal = parse(policy.schedule("standard-hours"), policy)
    for day in ("2026-11-26", "2026-12-24", "2026-12-25", "2026-12-31", "2027-11-25"):
        start = local(f"{day}T00:00")
        assert wall_clock_reader(cal, "OPENING HOURS", start, start + timedelta(days=1)) == [], day
    assert wall_clock_reader(cal, "OPENING HOURS", local("2026-11-27T00:00"), local("2026-11-28T00:00")) == [
        (local("2026-11-27T08:00"), local("2026-11-27T17:00"))
    ]


def test_opening_hours_end_with_the_second_year(policy):
    cal = parse(policy.schedule("standard-hours"), policy)
    (master,) = events(cal, "OPENING HOURS")
    assert master.start == local("2026-01-01T08:00") and master.end == local("2026-01-01T17:00")
    assert master["RRULE"]["FREQ"] == ["WEEKLY"] and master["RRULE"]["BYDAY"] == ["MO", "TU", "WE", "TH", "FR"]
    assert master["RRULE"]["UNTIL"] == [utc("2028-01-01T05:59:59")]
    # Friday 2027-12-31 is New Year's Day (observed); nothing opens after the second year
    assert wall_clock_reader(cal, "OPENING HOURS", local("2027-12-29T00:00"), local("2029-01-01T00:00")) == [
        (local("2027-12-29T08:00"), local("2027-12-29T17:00")),
        (local("2027-12-30T08:00"), local("2027-12-30T17:00")),
    ]


def test_overnight_hours_cross_midnight_and_agree_with_the_calendar(policy):
    schedule = overnight("2026-04-15")
    cal = parse(schedule, policy)
    assert_matches_calendar(schedule, cal, local("2026-01-02T00:00"), local("2028-01-01T00:00"))
    week = wall_clock_reader(cal, "OPENING HOURS", local("2026-04-13T12:00"), local("2026-04-17T12:00"))
    assert week == [
        (local("2026-04-13T22:00"), local("2026-04-14T06:00")),
        (local("2026-04-14T22:00"), local("2026-04-15T00:00")),  # the listed day closes at midnight
        (local("2026-04-16T00:00"), local("2026-04-16T06:00")),  # Wednesday's night opens when it ends
        (local("2026-04-16T22:00"), local("2026-04-17T06:00")),
    ]


def test_an_overnight_interval_over_a_daylight_saving_change_keeps_its_wall_clock_end(policy):
    cal = parse(overnight(), policy)
    spring = (utc("2026-03-08T04:00"), utc("2026-03-08T11:00"))  # Sat 22:00 CST – Sun 06:00 CDT: 7 hours
    autumn = (utc("2026-11-01T03:00"), utc("2026-11-01T12:00"))  # Sat 22:00 CDT – Sun 06:00 CST: 9 hours
    for lo, hi in (spring, autumn):
        for reader in (wall_clock_reader, exact_reader):
            assert reader(cal, "OPENING HOURS", lo - timedelta(hours=1), hi + timedelta(hours=1)) == [(lo, hi)]


def test_closing_at_24_00_is_midnight_of_the_next_day(policy):
    schedule = Schedule(
        id="late", name="Late", timezone="America/Chicago", hours=(OpenHours(("mon",), "20:00", "24:00"),)
    )
    cal = parse(schedule, policy)
    (master,) = events(cal, "OPENING HOURS")
    assert master.end == local("2026-01-06T00:00")
    assert_matches_calendar(schedule, cal, local("2026-01-01T00:00"), local("2028-01-01T00:00"))


# --- holidays -------------------------------------------------------------------------------------------


def test_holiday_events_are_named_all_day_and_transparent(policy):
    cal = parse(policy.schedule("standard-hours"), policy)
    holidays = {e.start: e for e in events(cal, "HOLIDAY")}
    assert str(holidays[date(2026, 11, 26)]["SUMMARY"]) == "Closed: Thanksgiving Day"
    assert str(holidays[date(2026, 12, 24)]["SUMMARY"]) == "Closed: Christmas Eve"
    assert str(holidays[date(2026, 12, 31)]["SUMMARY"]) == "Closed: New Year's Eve"
    assert str(holidays[date(2027, 7, 5)]["SUMMARY"]) == "Closed: Independence Day (observed)"
    for day, event in holidays.items():
        assert type(day) is date and event.end == day + timedelta(days=1)
        assert event["TRANSP"] == "TRANSPARENT"
    business = Calendar.for_schedule(policy.schedule("standard-hours"))
    every_day = (date(2026, 1, 1) + timedelta(days=i) for i in range(730))
    assert sorted(holidays) == [day for day in every_day if business.is_holiday(day)]


def test_listed_dates_outside_the_two_years_are_left_out(policy):
    cal = parse(policy.schedule("standard-hours"), policy, today=date(2027, 3, 1))
    days = {e.start for e in events(cal, "HOLIDAY")}
    assert date(2026, 12, 24) not in days and date(2026, 11, 26) not in days
    assert {date(2027, 11, 25), date(2028, 11, 23)} <= days
    assert min(days).year == 2027 and max(days).year == 2028


def test_holidays_respect_the_subdivision_and_listed_names(policy):
    texas = Schedule(
        id="tx",
        name="Texas",
        timezone="America/Chicago",
        hours=(OpenHours(("mon", "tue", "wed", "thu", "fri"), "08:00", "17:00"),),
        holidays=Holidays(country="US", subdivision="TX", dates=(Holiday("2026-12-25", "Office closed, party; 🎄"),)),
    )
    named = dict(Calendar.for_schedule(texas).holidays_in(2026))
    assert named[date(2026, 3, 2)] == "Texas Independence Day"
    assert named[date(2026, 12, 25)] == "Office closed, party; 🎄"
    summaries = {e.start: str(e["SUMMARY"]) for e in events(parse(texas, policy), "HOLIDAY")}
    assert summaries[date(2026, 3, 2)] == "Closed: Texas Independence Day"
    assert summaries[date(2026, 12, 25)] == "Closed: Office closed, party; 🎄"
    plain = {e.start for e in events(parse(policy.schedule("standard-hours"), policy), "HOLIDAY")}
    assert date(2026, 3, 2) not in plain


# --- always open and maintenance ------------------------------------------------------------------------


def test_always_open_without_holidays_has_no_opening_events(policy):
    cal = parse(policy.schedule("around-the-clock"), policy)
    assert cal.walk("VEVENT") == []
    assert [tz["TZID"] for tz in cal.walk("VTIMEZONE")] == ["America/Chicago"]
    assert text(cal, "X-WR-CALDESC") == "Open around the clock (Chicago). Covers 2026 and 2027."


def test_always_open_with_holidays_shows_only_the_closed_days(policy):
    schedule = Schedule(
        id="always",
        name="Always",
        timezone="America/Chicago",
        always_open=True,
        holidays=Holidays(country="US", dates=(Holiday("2026-08-14", "Company day"),)),
    )
    cal = parse(schedule, policy)
    assert events(cal, "OPENING HOURS") == []
    assert text(cal, "X-WR-CALDESC").startswith("Open around the clock (Chicago), except on closed days.")
    closed = sorted(e.start for e in events(cal, "HOLIDAY"))
    assert date(2026, 8, 14) in closed and date(2026, 11, 26) in closed
    # open all the time except on the days of the holiday events
    lo, hi = local("2026-01-01T00:00"), local("2028-01-01T00:00")
    edges = [lo] + [t for day in closed for t in (local(f"{day}T00:00"), local(f"{day + timedelta(days=1)}T00:00"))]
    expected = merge(
        (a.astimezone(UTC), b.astimezone(UTC)) for a, b in zip(edges[::2], edges[1::2] + [hi], strict=False) if a < b
    )
    assert list(Calendar.for_schedule(schedule).open_intervals(lo, hi)) == expected


def test_maintenance_windows_recur_tuesday_and_thursday_in_new_york(policy):
    schedule = policy.schedule("platform-operations")
    cal = parse(schedule, policy)
    assert events(cal, "OPENING HOURS") == []
    (master,) = events(cal, "MAINTENANCE")
    assert str(master["SUMMARY"]) == "Platform operations: Nightly maintenance — service may be unavailable"
    assert str(master["DESCRIPTION"]) == schedule.maintenance[0].note
    lo, hi = local("2026-01-01T00:00", NEW_YORK), local("2028-01-01T00:00", NEW_YORK)
    windows = wall_clock_reader(cal, "MAINTENANCE", lo, hi)
    assert windows == exact_reader(cal, "MAINTENANCE", lo, hi)
    days = [lo.date() + timedelta(days=i) for i in range(730)]
    assert windows == [
        (local(f"{d}T02:00", NEW_YORK).astimezone(UTC), local(f"{d}T04:00", NEW_YORK).astimezone(UTC))
        for d in days
        if d.weekday() in (1, 3)
    ]
    assert windows[:2] == [
        (utc("2026-01-01T07:00"), utc("2026-01-01T09:00")),
        (utc("2026-01-06T07:00"), utc("2026-01-06T09:00")),
    ]
    assert (utc("2026-03-10T06:00"), utc("2026-03-10T08:00")) in windows  # EDT
    assert (utc("2026-11-26T07:00"), utc("2026-11-26T09:00")) in windows  # Thanksgiving: windows still run


def test_a_window_without_downtime_says_so(policy):
    window = MaintenanceWindow("patching", ("sun",), "23:00", "01:00", downtime=False)
    schedule = Schedule(id="ops", name="Ops", timezone="America/Chicago", always_open=True, maintenance=(window,))
    (master,) = events(parse(schedule, policy), "MAINTENANCE")
    assert str(master["SUMMARY"]) == "Ops: maintenance window"  # an unnamed window: its id is not shown
    assert "DESCRIPTION" not in master
    assert master.end == local("2026-01-05T01:00")


# --- reproducible, well-formed, text-safe ---------------------------------------------------------------


def test_the_same_input_gives_the_same_bytes(policy):
    outputs = {s.id: schedule_calendar(s, policy, TODAY) for s in policy.schedules}
    assert outputs == {s.id: schedule_calendar(s, policy, TODAY) for s in policy.schedules}
    assert schedule_calendar(policy.schedules[0], policy, date(2026, 5, 5)) != outputs[policy.schedules[0].id]
    script = (
        "import hashlib, sys; from datetime import date; from pathlib import Path;"
        "from support_policies.policyset import load_policies;"
        "from support_policies.exports.ical import schedule_calendar;"
        "p = load_policies([Path('policies')]).policy;"
        "print([hashlib.sha256(schedule_calendar(s, p, date(2026, 5, 4))).hexdigest() for s in p.schedules])"
    )
    expected = str([hashlib.sha256(outputs[s.id]).hexdigest() for s in policy.schedules])
    for seed in ("1", "2"):
        done = subprocess.run(
            [sys.executable, "-c", script],
            cwd=REPO,
            capture_output=True,
            text=True,
            timeout=120,
            env={**os.environ, "PYTHONHASHSEED": seed},
        )
        assert done.returncode == 0, done.stderr
        assert done.stdout.strip() == expected


def odd_text_schedule() -> tuple[Schedule, PolicySet]:
    note = "Line one, with a comma; and a semicolon.\nLine two: naïve café \\ backslash — 😀 " + "long " * 20
    schedule = Schedule(
        id="odd",
        name="Nuit, «24/7»; Zürich ☕ support desk with a rather long name",
        timezone="Europe/Zurich",
        hours=(OpenHours(EVERY_DAY, "22:00", "06:00"),),
        holidays=Holidays(dates=(Holiday("2026-08-01", "Bundesfeier, 1. August; Fête nationale"),)),
        maintenance=(MaintenanceWindow("tidy", ("sun",), "03:00", "04:00", note=note),),
    )
    org = Organization(name="Ünïcode; Co, Ltd", site_url="https://Help.Example.ORG:8443/support/")
    return schedule, PolicySet(organization=org, schedules=(schedule,))


def test_text_with_commas_semicolons_newlines_and_unicode_round_trips():
    schedule, policy = odd_text_schedule()
    cal = parse(schedule, policy)
    assert text(cal, "X-WR-CALNAME") == f"Ünïcode; Co, Ltd — {schedule.name}"
    assert str(events(cal, "OPENING HOURS")[0]["SUMMARY"]) == f"{schedule.name}: open"
    (window,) = events(cal, "MAINTENANCE")
    assert str(window["DESCRIPTION"]) == schedule.maintenance[0].note.strip()
    (holiday,) = events(cal, "HOLIDAY")
    assert str(holiday["SUMMARY"]) == "Closed: Bundesfeier, 1. August; Fête nationale"
    assert str(holiday["UID"]) == "odd-holiday-20260801@help.example.org"


def test_lines_are_folded_at_75_octets_and_end_with_crlf(policy):
    outputs = [schedule_calendar(s, policy, TODAY) for s in policy.schedules]
    outputs.append(schedule_calendar(*odd_text_schedule(), TODAY))
    for output in outputs:
        assert output.endswith(b"\r\n") and output.count(b"\n") == output.count(b"\r\n")
        assert b"\r" not in output.replace(b"\r\n", b"")
        lines = output[:-2].split(b"\r\n")
        assert max(len(line) for line in lines) <= 75
        for line in lines:
            line.decode("utf-8")  # folding never splits a character
    assert any(line.startswith(b" ") for line in outputs[-1].split(b"\r\n"))  # something was folded
    assert b"\\n" in outputs[-1] and b"\\;" in outputs[-1] and b"\\," in outputs[-1]


# --- issue 12: special hours, spans, unions and regional schedules ------------------------------------

from support_policies.calendar import calendar_for  # noqa: E402
from support_policies.model import RegionSchedule, Span, SpanEnd, SpecialHours, TimeRange  # noqa: E402

EXCHANGE = Schedule(
    id="exchange",
    name="Exchange hours",
    timezone="America/New_York",
    hours=(OpenHours(EVERY_DAY[:5], "09:30", "12:00"), OpenHours(EVERY_DAY[:5], "13:00", "16:00")),
    holidays=Holidays(country="US", except_=("Columbus Day",)),
    special_hours=(
        SpecialHours(name="Christmas Eve", yearly="12-24", hours=(TimeRange("09:30", "13:00"),)),
        SpecialHours(name="Boxing Day opening", date="2026-12-26", hours=(TimeRange("10:00", "14:00"),)),
        SpecialHours(name="Stocktaking", date="2027-03-15", hours=()),
        SpecialHours(name="Spring change", date="2027-03-14", hours=(TimeRange("01:00", "04:00"),)),
    ),
)
SPAN = Schedule(
    id="global",
    name="Global weekdays",
    timezone="America/Los_Angeles",
    spans=(Span(from_=SpanEnd("mon", "10:00", "Australia/Sydney"), until=SpanEnd("fri", "17:00")),),
)
OFFICES = (
    Schedule(
        "americas",
        "Americas office",
        "America/New_York",
        hours=(OpenHours(EVERY_DAY[:5], "09:00", "17:00"),),
        holidays=Holidays(country="US"),
    ),
    Schedule(
        "emea",
        "EMEA office",
        "Europe/London",
        hours=(OpenHours(EVERY_DAY[:5], "09:00", "17:00"),),
        holidays=Holidays(country="GB"),
    ),
    Schedule("sun", "Follow the sun", "UTC", combines=("americas", "emea")),
    Schedule(
        "regional",
        "Your regional office",
        "UTC",
        by_region=(RegionSchedule("Americas", "americas"), RegionSchedule("EMEA", "emea")),
    ),
)


def test_special_hours_replace_the_weekly_occurrences_and_agree_with_the_calendar(policy):
    cal = parse(EXCHANGE, policy)
    ny = NEW_YORK
    assert_matches_calendar(EXCHANGE, cal, local("2026-01-01T00:00", ny), local("2028-01-01T00:00", ny))
    christmas_eve = [e for e in events(cal, "OPENING HOURS") if "Christmas Eve" in str(e["SUMMARY"])]
    assert [(e.start, e.end) for e in christmas_eve] == [
        (local("2026-12-24T09:30", ny), local("2026-12-24T13:00", ny)),
        (local("2027-12-24T09:30", ny), local("2027-12-24T13:00", ny)),
    ]
    assert str(christmas_eve[0]["UID"]) == "exchange-special-20261224-1@support.tallyweave.example"
    closed = {str(e["SUMMARY"]): e.start for e in events(cal, "HOLIDAY")}
    assert closed["Closed: Stocktaking"] == date(2027, 3, 15)
    assert "Closed: Columbus Day" not in closed
    assert "Special hours: Every year on 24 December (Christmas Eve): 09:30–13:00" in text(cal, "X-WR-CALDESC")
    assert "US public holidays (except Columbus Day)" in text(cal, "X-WR-CALDESC")


def test_a_span_is_one_event_per_open_interval_at_its_exact_instants(policy):
    cal = parse(SPAN, policy)
    la = ZoneInfo("America/Los_Angeles")
    assert_matches_calendar(SPAN, cal, local("2026-01-01T00:00", la), local("2028-01-01T00:00", la))
    opened = sorted(events(cal, "OPENING HOURS"), key=lambda e: e.start)
    assert opened[0].start == local("2026-01-01T00:00", la)  # the week that opened in 2025, cut at 1 January
    first = opened[1]
    assert first.start.astimezone(ZoneInfo("Australia/Sydney")) == local(
        "2026-01-05T10:00", ZoneInfo("Australia/Sydney")
    )
    assert first.end == local("2026-01-09T17:00", la)
    assert text(cal, "X-WR-CALDESC").startswith("Open From Monday 10:00 (Sydney) until Friday 17:00 (Los Angeles).")


def test_a_union_shows_when_any_member_is_open_and_a_regional_schedule_names_its_regions():
    policy = PolicySet(organization=Organization(name="Example", timezone="UTC"), schedules=OFFICES)
    union = parse(OFFICES[2], policy)
    business = calendar_for(policy, "sun")
    assert_matches_calendar(OFFICES[2], union, utc("2026-01-01T00:00"), utc("2028-01-01T00:00"), business)
    assert text(union, "X-WR-CALDESC").startswith("Open Open whenever any of Americas office or EMEA office is open")
    regional = parse(OFFICES[3], policy)
    assert events(regional, "OPENING HOURS") == []
    assert text(regional, "X-WR-CALDESC") == (
        "These hours depend on your region; this file has no opening hours. "
        "Customers in Americas: Americas office, Monday to Friday, 09:00–17:00 (New York); "
        "Customers in EMEA: EMEA office, Monday to Friday, 09:00–17:00 (London). "
        "Each region's schedule has its own calendar file."
    )


ODD_ZONES = ["America/Chicago", "Australia/Lord_Howe", "America/Santiago", "Pacific/Apia", "Europe/Dublin", "UTC"]
ODD_HOURS = [
    (("mon", "tue", "wed", "thu", "fri"), "08:00", "17:00"),
    (("mon", "wed", "sat"), "22:00", "06:00"),
    (("sat", "sun"), "01:30", "02:30"),
    (("fri",), "23:30", "03:00"),
]


@pytest.mark.parametrize("zone", ODD_ZONES)
@pytest.mark.parametrize("years", [(2026, 2027), (2011, 2012)])
def test_days_away_from_a_change_are_left_to_the_series(monkeypatch, zone, years):
    """Only days near a change of offset are worked out one by one; the others (closed or not)
    come out as if every day had been, for overnight and gap-crossing hours too."""
    from support_policies.calendar import WeeklyInterval
    from support_policies.exports import ical

    first = date(years[0], 1, 1)
    closed = {first + timedelta(days=d) for d in range(3, 730, 29)}.__contains__
    every_day = {first + timedelta(days=d) for d in range(800)}

    def events(weekly: WeeklyInterval) -> bytes:
        found = ical._series(weekly, {"uid": "x", "summary": "open"}, ZoneInfo(zone), years, closed)
        return b"".join(event.to_ical() for event in found)

    for days, opens, closes in ODD_HOURS:
        weekly = WeeklyInterval.of(days, opens, closes)
        assert weekly is not None
        fast = events(weekly)
        monkeypatch.setattr(ical, "_near_changes", lambda zone, years: every_day)
        assert events(weekly) == fast, (days, opens, closes)
        monkeypatch.undo()


@pytest.mark.parametrize("zone", [*ODD_ZONES, "Africa/Casablanca", "Antarctica/Troll", "Asia/Tehran"])
@pytest.mark.parametrize("years", [(2026, 2027), (2011, 2012), (2018, 2019)])
def test_a_zones_changes_are_worked_out_once_for_the_years_and_are_those_of_each_range(zone, years):
    """The time zone component and every series read one list of the zone's changes; within
    each one's range it is what :func:`zone_changes` finds there."""
    from support_policies.calendar import localize, zone_changes
    from support_policies.exports import ical

    tz = ZoneInfo(zone)
    day = timedelta(days=1)
    first, after = datetime(years[0], 1, 1), datetime(years[1] + 1, 1, 1)
    ranges = [
        (localize(first, tz), localize(after + 2 * day, tz)),  # the VTIMEZONE's
        (localize(first, tz) - 3 * day, localize(after, tz) + 3 * day),  # the series'
    ]
    for start, end in ranges:
        found = [instant for instant in ical._changes(tz, years) if start < instant <= end]
        assert found == list(zone_changes(tz, start, end))
    assert ical._changes(tz, years) is ical._changes(tz, years)
