"""Schedules are real calendars: known zones, sensible hours, known holiday sets, unions and
regional schedules that can be computed, and worked holidays that exist."""

from __future__ import annotations

import difflib
import os
import re
import warnings
import zoneinfo
from collections.abc import Iterator
from dataclasses import replace
from datetime import date
from functools import lru_cache

from .. import calendar
from ..findings import Finding
from ..model import Holidays, PolicySet, Schedule, minutes_of_day
from .base import Rule, comparison_window

_ISO_DATE = re.compile(r"[0-9]{4}-[0-9]{2}-[0-9]{2}$")


@lru_cache(maxsize=1)
def _zones() -> frozenset[str]:
    return frozenset(zoneinfo.available_timezones())


@lru_cache(maxsize=1)
def _listed_zones() -> frozenset[str]:
    """The zones the tzdata package lists, read from its one list: each is among :func:`_zones`,
    which also opens every file of the system's zone folders (most of the rule's time)."""
    try:
        import tzdata  # type: ignore[import-untyped]
    except ImportError:
        return frozenset()
    if not getattr(tzdata, "__file__", None):  # a folder named tzdata on the path, not the package
        return frozenset()
    try:
        with open(os.path.join(os.path.dirname(tzdata.__file__), "zones"), encoding="utf-8") as listing:
            return frozenset(filter(None, map(str.strip, listing))) - {"posixrules"}
    except OSError:
        return frozenset()


def _known_zone(zone: str) -> bool:
    return zone in _listed_zones() or zone in _zones()


class KnownZones(Rule):
    """Every time zone is a real IANA zone, such as America/Chicago (also the zones of a span's ends).

    Abbreviations like EST are ambiguous and ignore daylight saving time; write the
    zone of a place (America/New_York) or a fixed offset zone (Etc/GMT+5).
    """

    id = "time.unknown-zone"
    summary = "time zones exist in the IANA database"

    def check(self, policy: PolicySet) -> Iterator[Finding]:
        zones = [(s.timezone, s.origin) for s in policy.schedules]
        zones.extend(
            (end.timezone, end.origin)
            for s in policy.schedules
            for span in s.spans
            for end in (span.from_, span.until)
            if end.timezone
        )
        if policy.organization:
            zones.append((policy.organization.timezone, policy.organization.origin))
        for zone, origin in zones:
            if not _known_zone(zone):
                close = [z for z in _zones() if z.lower() == zone.lower() or z.endswith("/" + zone.split("/")[-1])]
                hint = f"Did you mean '{sorted(close)[0]}'?" if close else "Use a zone name such as America/Chicago."
                yield self.report(origin, f"'{zone}' is not a known time zone", hint, "timezone")


_KINDS = ("always_open", "hours", "spans", "combines", "by_region")
"""The ways a schedule says when it is open; a schedule uses exactly one."""


def _kinds(schedule: Schedule) -> list[str]:
    return [kind for kind in _KINDS if getattr(schedule, kind)]


class ScheduleHours(Rule):
    """A schedule says when it is open in exactly one way, and each interval has length.

    The ways are ``always_open: true``, weekly ``hours``, ``spans`` (whose ends may be in
    different zones), ``combines`` (open when any of the named schedules is) and
    ``by_region`` (the customer's region picks the schedule). ``opens`` equal to ``closes``
    is an empty interval; to run past midnight write a closing time earlier than the opening
    time (22:00–06:00). A country or subdivision for holidays must be one the holidays
    package knows.

    ``special_hours`` each name either a ``date`` (a real date) or a ``yearly`` month and day,
    at most once each, and their intervals close after they open (a special day cannot run
    overnight). A schedule that ``combines`` others or depends on the region has no holidays
    or special hours of its own: its members have them.
    """

    id = "schedule.invalid"
    summary = "schedules have opening hours and known holiday sets"

    def check(self, policy: PolicySet) -> Iterator[Finding]:
        for schedule in policy.schedules:
            kinds = _kinds(schedule)
            if schedule.always_open and schedule.hours:
                yield self.report(
                    schedule.origin,
                    f"'{schedule.id}' is always open but also lists hours",
                    "Remove hours, or remove always_open.",
                    "hours",
                    key=True,
                )
            elif len(kinds) > 1:
                yield self.report(
                    schedule.origin,
                    f"'{schedule.id}' says when it is open in more than one way: {' and '.join(kinds)}",
                    "Keep one of always_open, hours, spans, combines and by_region; "
                    "write the other as a schedule of its own.",
                    kinds[1],
                    key=True,
                )
            if not kinds:
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
            yield from self._special(schedule)
            if schedule.combines or schedule.by_region:
                way = "combines other schedules" if schedule.combines else "depends on the customer's region"
                for key, present in (
                    ("holidays", schedule.holidays != Holidays()),
                    ("special_hours", schedule.special_hours),
                ):
                    if present:
                        yield self.report(
                            schedule.origin,
                            f"'{schedule.id}' {way}, so it has no {key.replace('_', ' ')} of its own",
                            f"Write the {key.replace('_', ' ')} in the schedules it names; each keeps its own.",
                            key,
                            key=True,
                        )
            has_time = schedule.always_open or bool(schedule.hours) or bool(schedule.spans)
            if has_time and (schedule.holidays.country or schedule.holidays.subdivision):
                try:  # the holidays alone: the other parts have findings of their own
                    calendar.Calendar.for_schedule(replace(schedule, special_hours=(), combines=(), by_region=()))
                except calendar.CalendarError as exc:
                    yield self.report(
                        schedule.holidays.origin,
                        str(exc),
                        "Use an ISO 3166 country code the holidays package supports, e.g. US, GB, DE.",
                        "country",
                    )

    def _special(self, schedule: Schedule) -> Iterator[Finding]:
        seen: set[str] = set()
        for entry in schedule.special_hours:
            if bool(entry.date) == bool(entry.yearly):
                yield self.report(
                    entry.origin,
                    f"the special hours '{entry.name}' need either a date or a yearly month and day",
                    'Write date: "2026-12-24" for one day, or yearly: "12-24" for every year.',
                    "name",
                    key=True,
                )
                continue
            when = entry.date or entry.yearly
            try:
                if entry.date:
                    date.fromisoformat(entry.date)
                else:
                    month, day = (int(part) for part in entry.yearly.split("-"))
                    date(2000, month, day)
            except ValueError:
                yield self.report(
                    entry.origin,
                    f"{when} is not a {'date' if entry.date else 'month and day'} on the calendar",
                    "Check the day of the month.",
                    "date" if entry.date else "yearly",
                )
                continue
            if when in seen:
                yield self.report(
                    entry.origin,
                    f"{when} has special hours twice in '{schedule.id}'",
                    "Write one entry per day, with all of its intervals.",
                    "date" if entry.date else "yearly",
                )
            seen.add(when)
            for interval in entry.hours:
                if minutes_of_day(interval.closes) <= minutes_of_day(interval.opens):
                    yield self.report(
                        interval.origin,
                        f"the special hours '{entry.name}' open at {interval.opens} and close at {interval.closes}",
                        "A special day's interval closes after it opens, within the day; write the rest of an "
                        "overnight opening as special hours of the next day.",
                        "closes",
                    )


class ScheduleComposition(Rule):
    """Schedules that name other schedules name ones that can be computed.

    ``combines`` names existing schedules, none of which depends on the customer's region,
    and no chain of ``combines`` leads back to the schedule (the union would never end).
    ``by_region`` names an existing schedule for each region, each region once, and none of
    them depends on the region itself.
    """

    id = "schedule.composition"
    summary = "unions and regional schedules name schedules that exist, without cycles"

    def check(self, policy: PolicySet) -> Iterator[Finding]:
        by_id = {schedule.id: schedule for schedule in policy.schedules}
        for schedule in policy.schedules:
            for index, member_id in enumerate(schedule.combines):
                member = by_id.get(member_id)
                if member is None:
                    yield self.report(
                        schedule.origin,
                        f"'{schedule.id}' combines '{member_id}', but no schedule has that id",
                        "Name schedules defined under schedules.",
                        "combines",
                        index,
                    )
                elif member.by_region:
                    yield self.report(
                        schedule.origin,
                        f"'{schedule.id}' combines '{member_id}', which depends on the customer's region",
                        "Combine the regions' schedules themselves, or make the union regional instead.",
                        "combines",
                        index,
                    )
                elif self._leads_back(by_id, member_id, schedule.id, set()):
                    yield self.report(
                        schedule.origin,
                        f"'{schedule.id}' combines '{member_id}', which combines '{schedule.id}' in turn",
                        "A union cannot contain itself; remove one of the two.",
                        "combines",
                        index,
                    )
            regions: set[str] = set()
            for entry in schedule.by_region:
                target = by_id.get(entry.schedule)
                if target is None:
                    yield self.report(
                        entry.origin,
                        f"'{schedule.id}' names '{entry.schedule}' for {entry.region}, but no schedule has that id",
                        "Name a schedule defined under schedules.",
                        "schedule",
                    )
                elif target.by_region:
                    yield self.report(
                        entry.origin,
                        f"'{schedule.id}' names '{entry.schedule}' for {entry.region}, "
                        "which depends on the region itself",
                        "Name the schedule that applies in this region.",
                        "schedule",
                    )
                if entry.region.casefold() in regions:
                    yield self.report(
                        entry.origin,
                        f"'{schedule.id}' lists the region {entry.region} twice",
                        "List each region once.",
                        "region",
                    )
                regions.add(entry.region.casefold())

    def _leads_back(self, by_id: dict[str, Schedule], at: str, home: str, seen: set[str]) -> bool:
        if at == home:
            return True
        if at in seen or at not in by_id:
            return False
        seen.add(at)
        return any(self._leads_back(by_id, member, home, seen) for member in by_id[at].combines)


@lru_cache(maxsize=64)
def _holiday_names(country: str, subdivision: str) -> tuple[dict[str, str], frozenset[str]]:
    """The names (case-folded, to as written) and ISO dates of a country's holidays over the comparison window."""
    import holidays

    first, last = comparison_window()
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        found = holidays.country_holidays(country, subdiv=subdivision or None, years=range(first.year, last.year))
    names = {part.strip().casefold(): part.strip() for name in found.values() for part in name.split(";")}
    return names, frozenset(day.isoformat() for day in found)


class HolidayExceptions(Rule):
    """Each worked holiday in ``holidays.except`` is one of the country's holidays.

    An entry is a holiday's name, written as the holidays package writes it (case does not
    matter; an observed day has its own name, such as "Independence Day (observed)"), or a
    date written YYYY-MM-DD on which the country has a holiday. Names are looked up over the
    28 years the rules compare calendars in (2026 to 2053). A misspelt name would otherwise
    leave the holiday closed while the page says it is worked.
    """

    id = "holidays.unknown-exception"
    summary = "worked holidays name holidays of the schedule's country"

    def check(self, policy: PolicySet) -> Iterator[Finding]:
        for schedule in policy.schedules:
            holidays = schedule.holidays
            if not holidays.except_:
                continue
            if not holidays.country:
                yield self.report(
                    holidays.origin,
                    f"'{schedule.id}' lists worked holidays but no country whose holidays they are",
                    "Add country (e.g. US), or remove except.",
                    "except",
                    key=True,
                )
                continue
            try:
                names, dates = _holiday_names(holidays.country, holidays.subdivision)
            except (NotImplementedError, KeyError, ValueError):
                continue  # schedule.invalid reports an unknown country
            for index, entry in enumerate(holidays.except_):
                if entry.casefold() in names or entry in dates:
                    continue
                close = difflib.get_close_matches(entry.casefold(), sorted(names), n=1)
                hint = (
                    f"Did you mean '{names[close[0]]}'?" if close else "Write a holiday's name or its date, YYYY-MM-DD."
                )
                kind = "date" if _ISO_DATE.match(entry) else "name"
                yield self.report(
                    holidays.origin,
                    f"'{entry}' is not a holiday {kind} of {holidays.country}"
                    f"{'-' + holidays.subdivision if holidays.subdivision else ''}",
                    hint,
                    "except",
                    index,
                )
