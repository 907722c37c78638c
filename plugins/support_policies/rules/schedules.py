"""Schedules are real calendars: known zones, sensible hours, known holiday sets."""

from __future__ import annotations

import zoneinfo
from collections.abc import Iterator
from datetime import date
from functools import lru_cache

from .. import calendar
from ..findings import Finding
from ..model import PolicySet, minutes_of_day
from .base import Rule


@lru_cache(maxsize=1)
def _zones() -> frozenset[str]:
    return frozenset(zoneinfo.available_timezones())


class KnownZones(Rule):
    """Every time zone is a real IANA zone, such as America/Chicago.

    Abbreviations like EST are ambiguous and ignore daylight saving time; write the
    zone of a place (America/New_York) or a fixed offset zone (Etc/GMT+5).
    """

    id = "time.unknown-zone"
    summary = "time zones exist in the IANA database"

    def check(self, policy: PolicySet) -> Iterator[Finding]:
        zones = [(s.timezone, s.origin) for s in policy.schedules]
        if policy.organization:
            zones.append((policy.organization.timezone, policy.organization.origin))
        for zone, origin in zones:
            if zone not in _zones():
                close = [z for z in _zones() if z.lower() == zone.lower() or z.endswith("/" + zone.split("/")[-1])]
                hint = f"Did you mean '{sorted(close)[0]}'?" if close else "Use a zone name such as America/Chicago."
                yield self.report(origin, f"'{zone}' is not a known time zone", hint, "timezone")


class ScheduleHours(Rule):
    """A schedule is either always open or has opening hours, and each interval has length.

    ``opens`` equal to ``closes`` is an empty interval; to run past midnight write a
    closing time earlier than the opening time (22:00–06:00). A country or subdivision
    for holidays must be one the holidays package knows.
    """

    id = "schedule.invalid"
    summary = "schedules have opening hours and known holiday sets"

    def check(self, policy: PolicySet) -> Iterator[Finding]:
        for schedule in policy.schedules:
            if schedule.always_open and schedule.hours:
                yield self.report(
                    schedule.origin,
                    f"'{schedule.id}' is always open but also lists hours",
                    "Remove hours, or remove always_open.",
                    "hours",
                    key=True,
                )
            if not schedule.always_open and not schedule.hours:
                yield self.report(
                    schedule.origin,
                    f"'{schedule.id}' has no opening hours",
                    "Add hours (days, opens, closes), or write always_open: true.",
                    "id",
                    key=True,
                )
            for interval in schedule.hours:
                if minutes_of_day(interval.opens) == minutes_of_day(interval.closes):
                    yield self.report(
                        interval.origin,
                        f"the interval opens and closes at {interval.opens}",
                        "Write different times; '00:00' to '24:00' is a whole day.",
                        "closes",
                    )
            for holiday in schedule.holidays.dates:
                try:
                    date.fromisoformat(holiday.date)
                except ValueError:
                    yield self.report(
                        holiday.origin,
                        f"{holiday.date} is not a date on the calendar",
                        "Check the day of the month.",
                        "date",
                    )
            has_time = schedule.always_open or bool(schedule.hours)
            if has_time and (schedule.holidays.country or schedule.holidays.subdivision):
                try:
                    calendar.Calendar.for_schedule(schedule)
                except calendar.CalendarError as exc:
                    yield self.report(
                        schedule.holidays.origin,
                        str(exc),
                        "Use an ISO 3166 country code the holidays package supports, e.g. US, GB, DE.",
                        "country",
                    )
