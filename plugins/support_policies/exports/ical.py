"""Schedules as iCalendar files (RFC 5545) that people can subscribe to.

One file per schedule, at :func:`calendar_path`, built with the ``icalendar`` package (which
escapes text, folds lines at 75 octets and ends them with CRLF). What the file shows open is
exactly what :class:`support_policies.calendar.Calendar` counts as open.

Coverage
    Two calendar years: ``today``'s and the next. Recurring events start on the first
    matching day on or after 1 January and end with the second year (``RRULE`` ``UNTIL``),
    because holidays are only checked that far; rebuilding the site moves the window on.
    (An overnight opening that starts on 31 December before the first year is not shown.)

Opening hours
    One weekly event per ``hours`` interval, "{schedule}: open", in local time with the
    schedule's ``TZID``. A closing time earlier than the opening runs past midnight;
    ``"24:00"`` is midnight at the end of the day; an empty interval has no event. An
    occurrence on a closed date is excluded (``EXDATE``); one that runs overnight into or
    out of a closed date is cut at midnight by an override (``RECURRENCE-ID``) with the
    open part only.

Exact times across daylight saving changes
    Readers place a repeated occurrence by wall clock, and some keep its length in elapsed
    time. Where that disagrees with the calendar (an interval spanning a change at night,
    or starting or ending in a spring-forward gap, which the calendar moves to the moment of
    the change), the occurrence gets an override with its exact start and end. The
    ``VTIMEZONE`` is generated from ``zoneinfo`` for the covered years, each onset written
    in the offset before the change as RFC 5545 §3.6.5 asks (icalendar's own
    ``Timezone.from_tzid`` writes the spring-forward onset an hour late). It is always
    there, so no file is without a component (RFC 5545 wants one), even an always-open
    schedule's without holidays or windows.

Special hours
    A date with ``special_hours`` is taken out of the weekly series (``EXDATE``, or an
    override cut at its midnight, as for a closed date) and gets one event per interval,
    "{schedule}: open ({name})", with its exact start and end; a special day without hours
    is an all-day "Closed: {name}" event like a holiday. A yearly entry gives one such day
    per covered year.

Spans and unions
    Their open time is not a weekly pattern of one zone, so each open interval of the two
    years is one event, "{schedule}: open", its start and end the exact instants written in
    the schedule's zone (an interval crossing 1 January is cut there). A union's description
    names its members; their holidays are already outside the intervals.

Regional schedules
    No events: the hours depend on the customer's region. The description names each
    region's schedule, whose own file has its hours.

Always open
    No opening-hours events: a round-the-clock event would fill every day and say nothing.
    The calendar description says "Open around the clock"; when the schedule has holidays
    it adds "except on closed days", and those days are the "Closed: …" events below: the
    same days the business clock stops.

Holidays
    One all-day event per closed date in the covered years: the listed dates and the
    country's public holidays (with the subdivision), named as the ``holidays`` package
    names them. "Closed: {name}", transparent, category ``HOLIDAY``.

Maintenance windows
    One weekly event per window, "{schedule}: {window name}" ("{schedule}: maintenance
    window" for a window without a name; its id is never shown), plus "— service may be
    unavailable" for downtime; the note as description; category ``MAINTENANCE``.
    Holidays do not cancel windows.

Reproducible output
    UIDs are derived from the schedule: ``{schedule}-hours-{n}`` (n counts ``hours`` from
    1), ``{schedule}-holiday-{YYYYMMDD}``, ``{schedule}-special-{YYYYMMDD}-{n}``,
    ``{schedule}-open-{YYYYMMDDTHHMMZ}`` (a span's or union's interval, by its UTC start),
    ``{schedule}-maintenance-{window id}``, at the
    host of the organization's ``site_url`` (``support-policies.invalid`` without one).
    ``DTSTAMP`` is ``today`` at 00:00 UTC. The same input gives the same bytes.
"""

from __future__ import annotations

import functools
from collections.abc import Callable, Iterator, Mapping
from datetime import UTC, date, datetime, timedelta
from urllib.parse import urlsplit
from zoneinfo import ZoneInfo

from icalendar import Calendar as ICalendar
from icalendar import Component, Event, Timezone, TimezoneDaylight, TimezoneStandard, vText

from .. import i18n
from ..calendar import Calendar, WeeklyInterval, get_zone, localize, zone_changes
from ..calendar import schedule_calendar as schedule_calendar_of
from ..i18n import _
from ..model import Organization, PolicySet, Schedule
from ..wording import date_or_name, listing, opening_hours, special_days

UTC = UTC
DAY = timedelta(days=1)
SECOND = timedelta(seconds=1)
BYDAY = ("MO", "TU", "WE", "TH", "FR", "SA", "SU")
NO_HOST = "support-policies.invalid"
Closed = Callable[[date], bool]


def calendar_path(schedule_id: str) -> str:
    """Where a schedule's calendar is published in the site."""
    return f"data/calendars/{schedule_id}.ics"


def schedule_calendar(schedule: Schedule, policy: PolicySet, today: date) -> bytes:
    """The iCalendar file of ``schedule`` for ``today``'s year and the next.

    Raises CalendarError when the schedule cannot be a calendar (unknown zone or country,
    no open hours).
    """
    business = None if schedule.by_region else schedule_calendar_of(policy, schedule)
    zone = business.zone if business else get_zone(schedule.timezone)
    years = (today.year, today.year + 1)
    org = policy.organization
    base = {"dtstamp": datetime(today.year, today.month, today.day, tzinfo=UTC)}
    host = _host(org)
    cal = ICalendar()
    cal.add("prodid", f"-//mkdocs-support-policies//{org.name if org else 'Support policies'}//EN")
    cal.add("version", "2.0")
    cal.add("calscale", "GREGORIAN")
    cal.add(
        "x-wr-calname",
        vText(
            _("{organization} — {schedule}", organization=org.name, schedule=schedule.name) if org else schedule.name
        ),
    )
    cal.add("x-wr-timezone", vText(zone.key))
    cal.add("x-wr-caldesc", vText(_description(schedule, policy, years)))
    cal.add_component(_vtimezone(zone, years))
    for event in [
        *(_hours(schedule, business, years, base, host) if business else ()),
        *(_special(schedule, business, years, base, host) if business else ()),
        *(_holidays(schedule, business, years, base, host) if business else ()),
        *_maintenance(schedule, zone, years, base, host),
    ]:
        cal.add_component(event)
    return cal.to_ical()


def _host(org: Organization | None) -> str:
    return (urlsplit(org.site_url).hostname if org and org.site_url else None) or NO_HOST


def _description(schedule: Schedule, policy: PolicySet, years: tuple[int, int]) -> str:
    """The hours in words, what closes them, and the years covered."""
    holidays = schedule.holidays
    closures = []
    if holidays.country:
        region = f"{holidays.country}{'-' + holidays.subdivision if holidays.subdivision else ''}"
        worked = listing([date_or_name(e) for e in holidays.except_])
        closures.append(
            _("{region} public holidays (except {days})", region=region, days=worked)
            if holidays.except_
            else _("{region} public holidays", region=region)
        )
    if holidays.dates:
        closures.append(_("the dates the policy lists"))
    if schedule.by_region:
        return _(
            "These hours depend on your region; this file has no opening hours. {hours}. "
            "Each region's schedule has its own calendar file.",
            hours="; ".join(opening_hours(schedule, policy)),
        )
    if schedule.always_open:
        if closures:
            sentences = [_("Open around the clock ({zone}), except on closed days.", zone=i18n.zone(schedule.timezone))]
        else:
            sentences = [_("Open around the clock ({zone}).", zone=i18n.zone(schedule.timezone))]
    else:
        sentences = [_("Open {hours}.", hours="; ".join(opening_hours(schedule, policy)))]
    if closures:
        sentences.append(
            _(
                "Closed all day on {days}, each shown as an all-day “{closed}” event.",
                days=listing(closures),
                closed=_("Closed"),
            )
        )
    if schedule.special_hours:
        sentences.append(_("Special hours: {days}.", days="; ".join(special_days(schedule))))
    sentences.append(_("Covers {first} and {second}.", first=years[0], second=years[1]))
    return " ".join(sentences)


# --- weekly events ---------------------------------------------------------------------------


def _read(wall: datetime, zone: ZoneInfo) -> datetime:
    """Where RFC 5545 readers put a local time (UTC): a skipped time with the offset before the
    gap, a repeated time at its first occurrence; zoneinfo's ``fold=0`` does the same."""
    return wall.replace(tzinfo=zone).astimezone(UTC)


def _event(props: Mapping[str, object]) -> Event:
    event = Event()
    for name, value in props.items():
        event.add(name, value)
    return event


def _series(
    weekly: WeeklyInterval, props: Mapping[str, object], zone: ZoneInfo, years: tuple[int, int], closed: Closed
) -> list[Event]:
    """A weekly event over ``years``: EXDATE where closed, overrides where readers would be wrong."""
    first, end = date(years[0], 1, 1), date(years[-1] + 1, 1, 1)
    days = [first + DAY * i for i in range((end - first).days) if (first + DAY * i).weekday() in weekly.weekdays]
    anchor = weekly.wall(days[0])
    length = _read(anchor[1], zone) - _read(anchor[0], zone)
    master = _event({**props, "dtstart": anchor[0].replace(tzinfo=zone), "dtend": anchor[1].replace(tzinfo=zone)})
    master.add(
        "rrule",
        {
            "freq": "weekly",
            "byday": [BYDAY[d] for d in weekly.weekdays],
            "until": _read(datetime(end.year, 1, 1), zone) - SECOND,
        },
    )
    excluded, overrides = [], []
    # Away from a change of offset, an occurrence is where the series puts it: with the
    # series' length in elapsed time equal to its length on the wall clock, such a day needs
    # no exception unless it is closed (wholly: an EXDATE; in part: an override, as below).
    unsteady = _near_changes(zone, years) if length == anchor[1] - anchor[0] else None
    overnight = weekly.end > 1440
    for day in days:
        if unsteady is not None and day not in unsteady:
            shut, next_shut = closed(day), overnight and closed(day + DAY)
            if not shut and not next_shut:
                continue
            if shut and (next_shut or not overnight):
                excluded.append(weekly.wall(day)[0].replace(tzinfo=zone))
                continue
        wall_start, wall_end = weekly.wall(day)
        occurrence = wall_start.replace(tzinfo=zone)
        actual = weekly.actual(day, zone, closed)
        start = _read(wall_start, zone)
        if actual is None:
            excluded.append(occurrence)
        elif actual != (start, start + length) or actual != (start, _read(wall_end, zone)):
            overrides.append(
                _event(
                    {
                        **props,
                        "recurrence-id": occurrence,
                        "dtstart": actual[0].astimezone(zone),
                        "dtend": actual[1].astimezone(zone),
                    }
                )
            )
    if excluded:
        master.add("exdate", excluded)
    return [master, *overrides]


def _near_changes(zone: ZoneInfo, years: tuple[int, int]) -> set[date]:
    """The local dates within two days of a change of ``zone``'s offset, over ``years``."""
    near: set[date] = set()
    start = localize(datetime(years[0], 1, 1), zone) - 3 * DAY
    end = localize(datetime(years[-1] + 1, 1, 1), zone) + 3 * DAY
    for instant in _changes(zone, years):
        if start < instant <= end:
            for side in (instant - SECOND, instant):
                day = side.astimezone(zone).date()
                near.update(day + DAY * k for k in range(-2, 3))
    return near


@functools.lru_cache(maxsize=64)
def _changes(zone: ZoneInfo, years: tuple[int, int]) -> tuple[datetime, ...]:
    """Each change of ``zone`` from three days before ``years`` to three days after 3 January of
    the year after: worked out once for every series and schedule in the zone (it walks the days)."""
    start = localize(datetime(years[0], 1, 1), zone) - 3 * DAY
    return tuple(zone_changes(zone, start, localize(datetime(years[-1] + 1, 1, 3), zone) + 3 * DAY))


def _hours(
    schedule: Schedule, business: Calendar, years: tuple[int, int], base: Mapping[str, object], host: str
) -> Iterator[Event]:
    """The opening-hours events (none for an always-open schedule)."""
    if schedule.always_open:
        return
    if schedule.spans or schedule.combines:
        if not business.round_the_clock:  # a union with an always-open member: as always open
            yield from _intervals(schedule, business, years, base, host)
        return
    for n, (hours, words) in enumerate(zip(schedule.hours, opening_hours(schedule), strict=True), 1):
        weekly = WeeklyInterval.of(hours.days, hours.opens, hours.closes)
        if weekly:
            props: dict[str, object] = {
                "uid": f"{schedule.id}-hours-{n}@{host}",
                **base,
                "summary": _("{schedule}: open", schedule=schedule.name),
                "description": words,
                "categories": ["OPENING HOURS"],
                "transp": "TRANSPARENT",
            }
            yield from _series(weekly, props, business.zone, years, business.cut)


def _intervals(
    schedule: Schedule, business: Calendar, years: tuple[int, int], base: Mapping[str, object], host: str
) -> Iterator[Event]:
    """One event per open interval of a span or union, with its exact instants in the schedule's zone."""
    zone = business.zone
    lo, hi = localize(datetime(years[0], 1, 1), zone), localize(datetime(years[-1] + 1, 1, 1), zone)
    for start, end in business.open_intervals(lo, hi):
        yield _event(
            {
                "uid": f"{schedule.id}-open-{start:%Y%m%dT%H%M}Z@{host}",
                **base,
                "dtstart": start.astimezone(zone),
                "dtend": end.astimezone(zone),
                "summary": _("{schedule}: open", schedule=schedule.name),
                "description": "; ".join(opening_hours(schedule)) if schedule.spans else schedule.name,
                "categories": ["OPENING HOURS"],
                "transp": "TRANSPARENT",
            }
        )


def _special(
    schedule: Schedule, business: Calendar, years: tuple[int, int], base: Mapping[str, object], host: str
) -> Iterator[Event]:
    """The special days of ``years``: their intervals as events, or an all-day "Closed" event."""
    zone = business.zone
    for year in years:
        for day, name, segments in business.special_in(year):
            if not segments:
                yield _event(
                    {
                        "uid": f"{schedule.id}-special-{day:%Y%m%d}-0@{host}",
                        **base,
                        "dtstart": day,
                        "dtend": day + DAY,
                        "summary": _("Closed: {name}", name=name),
                        "description": _(
                            "{schedule} is closed all day ({zone}).",
                            schedule=schedule.name,
                            zone=i18n.zone(schedule.timezone),
                        ),
                        "categories": ["HOLIDAY"],
                        "transp": "TRANSPARENT",
                    }
                )
            midnight = datetime(day.year, day.month, day.day)
            for n, (opens, closes) in enumerate(segments, 1):
                start = localize(midnight + timedelta(microseconds=opens), zone)
                end = localize(midnight + timedelta(microseconds=closes), zone)
                yield _event(
                    {
                        "uid": f"{schedule.id}-special-{day:%Y%m%d}-{n}@{host}",
                        **base,
                        "dtstart": start.astimezone(zone),
                        "dtend": end.astimezone(zone),
                        "summary": _("{schedule}: open ({name})", schedule=schedule.name, name=name),
                        "description": _(
                            "Special hours on {date}: {name}.", date=date_or_name(day.isoformat()), name=name
                        ),
                        "categories": ["OPENING HOURS"],
                        "transp": "TRANSPARENT",
                    }
                )


def _maintenance(
    schedule: Schedule, zone: ZoneInfo, years: tuple[int, int], base: Mapping[str, object], host: str
) -> Iterator[Event]:
    """One weekly event per maintenance window; holidays do not cancel them."""
    for window in schedule.maintenance:
        weekly = WeeklyInterval.of(window.days, window.starts, window.ends)
        if weekly:
            summary = _("{schedule}: {window}", schedule=schedule.name, window=window.name or _("maintenance window"))
            if window.downtime:
                summary = _("{summary} — service may be unavailable", summary=summary)
            props: dict[str, object] = {
                "uid": f"{schedule.id}-maintenance-{window.id}@{host}",
                **base,
                "summary": summary,
                **({"description": window.note.strip()} if window.note.strip() else {}),
                "categories": ["MAINTENANCE"],
                "transp": "TRANSPARENT",
            }
            yield from _series(weekly, props, zone, years, lambda day: False)


def _holidays(
    schedule: Schedule, business: Calendar, years: tuple[int, int], base: Mapping[str, object], host: str
) -> Iterator[Event]:
    """One all-day event per closed date in ``years``."""
    for year in years:
        for day, name in business.holidays_in(year):
            yield _event(
                {
                    "uid": f"{schedule.id}-holiday-{day:%Y%m%d}@{host}",
                    **base,
                    "dtstart": day,
                    "dtend": day + DAY,
                    "summary": _("Closed: {name}", name=name or _("holiday")),
                    "description": _(
                        "{schedule} is closed all day ({zone}).",
                        schedule=schedule.name,
                        zone=i18n.zone(schedule.timezone),
                    ),
                    "categories": ["HOLIDAY"],
                    "transp": "TRANSPARENT",
                }
            )


# --- the time zone ---------------------------------------------------------------------------


def _known(value: timedelta | None) -> timedelta:
    """A UTC offset or DST adjustment read from a ZoneInfo, which always gives one."""
    assert value is not None, "a ZoneInfo always has an offset"
    return value


def _vtimezone(zone: ZoneInfo, years: tuple[int, int]) -> Timezone:
    """A VTIMEZONE for ``zone`` over ``years`` (to 3 January after): the observance at the start,
    then one per change."""
    start, end = localize(datetime(years[0], 1, 1), zone), localize(datetime(years[-1] + 1, 1, 3), zone)
    tz = Timezone()
    tz.add("tzid", zone.key)
    tz.add_component(_observance(start, zone, _known(start.astimezone(zone).utcoffset())))
    for instant in _changes(zone, years):
        if start < instant <= end:
            tz.add_component(_observance(instant, zone, _known((instant - SECOND).astimezone(zone).utcoffset())))
    return tz


def _observance(instant: datetime, zone: ZoneInfo, offset_from: timedelta) -> Component:
    """The observance starting at ``instant`` (UTC); its onset is local time in ``offset_from``."""
    local = instant.astimezone(zone)
    part = TimezoneDaylight() if _known(local.dst()) > timedelta(0) else TimezoneStandard()
    part.add("dtstart", (instant + offset_from).replace(tzinfo=None))
    part.add("tzname", local.tzname())
    part.add("tzoffsetfrom", offset_from)
    part.add("tzoffsetto", local.utcoffset())
    return part
