"""Words for durations, clocks and opening hours, derived from the data, never typed twice."""

from __future__ import annotations

import dataclasses
from collections.abc import Iterable
from datetime import date, timedelta

from .model import (
    ALWAYS,
    WEEKDAYS,
    ClockRules,
    Duration,
    MaintenanceWindow,
    Period,
    PolicySet,
    Promise,
    Schedule,
    Severity,
    SpanEnd,
    Tier,
    Within,
    home_zone,
    minutes_of_day,
)

_UNITS = {"m": ("minute", "minutes"), "h": ("hour", "hours"), "d": ("day", "days"), "w": ("week", "weeks")}
_PERIOD_UNITS = {"d": ("day", "days"), "w": ("week", "weeks"), "mo": ("month", "months"), "y": ("year", "years")}
DAY_NAMES = dict(
    zip(WEEKDAYS, ("Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday"), strict=True)
)
PROMISE_NAMES = {
    "acknowledge": "Acknowledgement",
    "update": "Updates",
    "restore": "Workaround",
    "resolve": "Resolution",
}
PROMISE_NOUNS = {
    "acknowledge": "a first response",
    "update": "an update",
    "restore": "a workaround or restored service",
    "resolve": "a resolution",
}
"""What each kind of promise gives the customer, for sentences: "an update at least every 4 hours"."""
BEST_EFFORT = "best effort, an aim rather than a guarantee"
PAUSE_WORDS = {
    "waiting-on-customer": "while support waits for information or a reply from you",
    "waiting-on-third-party": "while support waits on a third party",
}


def is_round_the_clock(policy: PolicySet, clock: str, _within: tuple[str, ...] = ()) -> bool:
    """Whether every hour counts on ``clock``: 24x7, an always-open schedule without holidays or
    special hours, a union with such a member, or a regional schedule that is so in every region."""
    if clock == ALWAYS:
        return True
    schedule = policy.schedule(clock)
    if schedule is None or clock in _within:
        return False
    inner = (*_within, clock)
    if schedule.combines:
        return any(is_round_the_clock(policy, member, inner) for member in schedule.combines)
    if schedule.by_region:
        return all(is_round_the_clock(policy, entry.schedule, inner) for entry in schedule.by_region)
    holidays = schedule.holidays
    return schedule.always_open and not holidays.dates and not holidays.country and not schedule.special_hours


def duration(value: Duration, business: bool = False) -> str:
    """``4h`` → "4 hours"; on a business clock "4 business hours", "1 business day"."""
    one, many = _UNITS[value.unit]
    word = one if value.amount == 1 else many
    if business and value.unit in ("h", "d", "w"):
        word = f"business {word}"
    return f"{value.amount} {word}"


def period(value: Period) -> str:
    """``3mo`` → "3 months"."""
    one, many = _PERIOD_UNITS[value.unit]
    return f"{value.amount} {one if value.amount == 1 else many}"


def within(value: Within, business: bool = False, repeating: bool = False) -> str:
    """ "within 2 hours", "within 1 business day" or "minutes, at most 2 hours".

    ``repeating`` words an interval (updates): "at least every 4 hours".
    """
    if repeating:
        most = f"at least every {duration(value.max, business)}"
        if value.min is None:
            return most
        if value.min.minutes < 60:
            return f"every few minutes, {most}"
        return f"typically every {duration(value.min, business)}, {most}"
    if value.min is None:
        return f"within {duration(value.max, business)}"
    if value.min.minutes < 60:
        return f"minutes, at most {duration(value.max, business)}"
    return f"typically {duration(value.min, business)}, at most {duration(value.max, business)}"


def promise(policy: PolicySet, value: Promise, kind: str = "") -> str:
    """A promise worded with its clock: "within 8 business hours (Standard hours)".

    Updates (``kind="update"``) repeat: "at least every 4 hours, around the clock". A
    best-effort promise says so: "…, best effort, an aim rather than a guarantee". The
    condition is not part of these words: see :func:`otherwise`.
    """
    repeating = kind == "update"
    if is_round_the_clock(policy, value.clock):
        words = f"{within(value.within, repeating=repeating)}, around the clock"
    else:
        schedule = policy.schedule(value.clock)
        name = schedule.name if schedule else value.clock
        words = f"{within(value.within, business=True, repeating=repeating)} ({name})"
    words = f"{words}; {BEST_EFFORT}" if value.best_effort else words
    upcoming = value.becomes
    if upcoming is not None:  # announced: "…; from 1 March 2027: within 8 hours, around the clock"
        later = Promise(upcoming.within, upcoming.clock, best_effort=upcoming.best_effort)
        words = f"{words}; from {date_or_name(upcoming.effective)}: {promise(policy, later, kind)}"
    return words


def commitment(policy: PolicySet, kind: str, value: Promise) -> str:
    """A promise as what the customer gets: "an update at least every 4 hours, around the clock"."""
    return f"{PROMISE_NOUNS[kind]} {promise(policy, value, kind)}"


def otherwise(policy: PolicySet, tier: Tier, kind: str, value: Promise) -> str:
    """What applies when ``value``'s condition is not met, in words ("" without a condition).

    "otherwise within 8 business hours (Standard hours)", or "otherwise it is handled as a
    High incident: within 4 business hours (Standard hours)".
    """
    condition = value.condition
    if condition is None:
        return ""
    if condition.otherwise is not None:
        return f"otherwise {promise(policy, condition.otherwise, kind)}"
    severity = policy.severity(condition.handled_as)
    name = severity.name if severity else condition.handled_as
    target = tier.targets.get(condition.handled_as)
    instead = getattr(target, kind) if target is not None and target.covered else None
    words = f"otherwise it is handled as a {name} incident"
    return f"{words}: {promise(policy, instead, kind)}" if instead is not None else words


def listing(items: Iterable[str], conjunction: str = "and") -> str:
    """["Low", "Cosmetic"] → "Low and Cosmetic"; three or more: "A, B and C"."""
    values = list(items)
    if len(values) <= 1:
        return "".join(values)
    return f"{', '.join(values[:-1])} {conjunction} {values[-1]}"


def wait(delta: timedelta) -> str:
    """A wait in words, to the minute: "117 hours", "1 hour 30 minutes", "1,200 hours"."""
    minutes = int(delta.total_seconds() // 60)
    whole, rest = divmod(minutes, 60)
    words = [f"{whole:,} hour{'' if whole == 1 else 's'}"] if whole else []
    if rest or not whole:
        words.append(f"{rest} minute{'' if rest == 1 else 's'}")
    return " ".join(words)


def staffing(policy: PolicySet, tier: Tier) -> list[tuple[str, list[Severity]]]:
    """The clocks a tier is staffed on, each with the covered severities it applies to, in order.

    One entry (with every covered severity) when every severity has the tier's hours.
    """
    groups: dict[str, list[Severity]] = {}
    for severity in policy.severities:
        target = tier.targets.get(severity.id)
        if target is not None and target.covered:
            groups.setdefault(tier.staffing(severity.id), []).append(severity)
    return list(groups.items()) or [(tier.hours, [])]


def clock_rule_lines(rules: ClockRules) -> list[str]:
    """The clock rules as sentences (the re-classification text, Markdown, is not among them)."""
    lines = [
        "The clock starts when support confirms the incident's severity."
        if rules.starts == "confirmed"
        else "The clock starts when the ticket is created."
    ]
    if rules.pauses:
        lines.append(f"The clock pauses {listing([PAUSE_WORDS[p] for p in rules.pauses])}.")
    if rules.response == "person":
        lines.append("A response is a reply from a support engineer; automatic acknowledgements do not count.")
    elif rules.response == "acknowledgement":
        lines.append("An automatic acknowledgement of your ticket counts as the first response.")
    return lines


def clock_description(policy: PolicySet, clock: str) -> str:
    """Which clock this is, in words: "Standard hours: only open hours count; Monday to Friday, …"."""
    schedule = policy.schedule(clock) if clock != ALWAYS else None
    if is_round_the_clock(policy, clock):
        name, zone = (schedule.name, schedule.timezone) if schedule else ("24x7", home_zone(policy))
        return f"{name}: every hour counts ({zone})"
    if schedule is None:
        return clock
    closed = closed_on(schedule)
    special = special_days(schedule)
    return (
        f"{schedule.name}: only open hours count; {'; '.join(opening_hours(schedule, policy))}"
        + (f"; closed on {' and '.join(closed)}" if closed else "")
        + (f"; special hours: {'; '.join(special)}" if special else "")
    )


def closed_on(schedule: Schedule) -> list[str]:
    """What closes a schedule, in short: "US public holidays except Columbus Day", "3 listed dates"."""
    holidays = schedule.holidays
    closed = []
    if holidays.country:
        worked = [date_or_name(entry) for entry in holidays.except_]
        closed.append(
            f"{holidays.country}{'-' + holidays.subdivision if holidays.subdivision else ''} public holidays"
            + (f" except {listing(worked)}" if worked else "")
        )
    listed = len({holiday.date for holiday in holidays.dates})
    if listed:
        closed.append(f"{listed} listed date{'s' if listed != 1 else ''}")
    return closed


def clock_name(policy: PolicySet, clock: str) -> str:
    if clock == ALWAYS:
        return "24 hours a day, 7 days a week"
    schedule = policy.schedule(clock)
    return schedule.name if schedule else clock


def days(values: Iterable[str]) -> str:
    """[mon, tue, wed, thu, fri] → "Monday to Friday"; [sun, mon, tue, wed, thu] → "Sunday to Thursday"
    (a run may wrap past Sunday); gaps are listed."""
    indexes = sorted(WEEKDAYS.index(d) for d in values)
    if len(indexes) == 7:
        return "Every day"
    if len(indexes) > 2:
        for first in indexes:  # a run of consecutive days, starting after the week's gap
            run = [(first + k) % 7 for k in range(len(indexes))]
            if sorted(run) == indexes and (first - 1) % 7 not in indexes:
                return f"{DAY_NAMES[WEEKDAYS[run[0]]]} to {DAY_NAMES[WEEKDAYS[run[-1]]]}"
    names = [DAY_NAMES[WEEKDAYS[i]] for i in indexes]
    return names[0] if len(names) == 1 else ", ".join(names[:-1]) + " and " + names[-1]


def hhmm(text: str) -> str:
    """ "8:00" → "08:00"."""
    hours, minutes = text.split(":")
    return f"{int(hours):02d}:{minutes}"


def opening_hours(schedule: Schedule, policy: PolicySet | None = None) -> list[str]:
    """One line per interval, each with its zone: "Monday to Friday, 08:00–17:00 (America/Chicago)".

    An overnight interval says so: "Sunday to Thursday, 22:00–06:00 the next day". A span
    names both of its zones: "From Monday 10:00 (Australia/Sydney) until Friday 17:00
    (America/Los_Angeles)". A union lists its members and a regional schedule its regions,
    each with its own hours (with ``policy`` to look them up).
    """
    if schedule.always_open:
        return [f"24 hours a day, 7 days a week ({schedule.timezone})"]
    if schedule.spans:
        return [
            f"From {_moment(span.from_, schedule.timezone)} until {_moment(span.until, schedule.timezone)}"
            for span in schedule.spans
        ]
    if schedule.combines:
        members = [policy.schedule(member) if policy else None for member in schedule.combines]
        names = [
            member.name if member else member_id for member, member_id in zip(members, schedule.combines, strict=True)
        ]
        lines = [f"Open whenever any of {listing(names, 'or')} is open"]
        for member in members:
            if member is not None:
                lines.append(f"{member.name}: {'; '.join(opening_hours(member, policy))}")
        return lines
    if schedule.by_region:
        lines = []
        for entry in schedule.by_region:
            member = policy.schedule(entry.schedule) if policy else None
            if member is None:
                lines.append(f"Customers in {entry.region}: {entry.schedule}")
            else:
                lines.append(f"Customers in {entry.region}: {member.name}, {'; '.join(opening_hours(member, policy))}")
        return lines
    return [
        f"{days(h.days)}, {hhmm(h.opens)}–{hhmm(h.closes)}{_next_day(h.opens, h.closes)} ({schedule.timezone})"
        for h in schedule.hours
    ]


def _next_day(opens: str, closes: str) -> str:
    """ " the next day" for an interval that runs past midnight (a closing time earlier than the opening)."""
    start, end = minutes_of_day(opens), minutes_of_day(closes)
    return " the next day" if end < start and end != 0 else ""


def _moment(end: SpanEnd, zone: str) -> str:
    return f"{DAY_NAMES[end.day]} {hhmm(end.at)} ({end.timezone or zone})"


_MONTHS = (
    "January", "February", "March", "April", "May", "June",
    "July", "August", "September", "October", "November", "December",
)  # fmt: skip


def date_or_name(text: str) -> str:
    """A worked holiday as written: a name stays, a date is written out: "11 November 2026"."""
    try:
        day = date.fromisoformat(text)
    except ValueError:
        return text
    return f"{day.day} {_MONTHS[day.month - 1]} {day.year}"


def worked(schedule: Schedule) -> str:
    """ " except Columbus Day and 11 November 2026, which are worked" ("" when no holiday is worked)."""
    names = [date_or_name(entry) for entry in schedule.holidays.except_]
    if not names:
        return ""
    return f" except {listing(names)}, which {'are' if len(names) > 1 else 'is'} worked"


def special_days(schedule: Schedule) -> list[str]:
    """One line per special day, with its date and hours: "24 December 2026 (Christmas Eve): 09:30–13:00",
    "Every year on 26 December (Boxing Day opening): 10:00–14:00", "… : closed all day"."""
    lines = []
    for entry in schedule.special_hours:
        if entry.date:
            when = date_or_name(entry.date)
        else:
            month, day = (int(part) for part in entry.yearly.split("-"))
            when = f"Every year on {day} {_MONTHS[month - 1]}"
        hours = ", ".join(f"{hhmm(r.opens)}–{hhmm(r.closes)}" for r in entry.hours) or "closed all day"
        lines.append(f"{when} ({entry.name}): {hours}" + (f" ({schedule.timezone})" if entry.hours else ""))
    return lines


def support_schedules(policy: PolicySet) -> list[Schedule]:
    """The schedules that are support hours: all but those only ``status.maintenance`` names.

    A schedule no tier, target, promise or channel uses as its hours or clock (directly, or
    as a member or region of one that is) but that holds the planned maintenance windows is
    not support hours, and is not listed among them as if support were staffed around it.
    """
    used: set[str] = set()

    def walk(value: object) -> None:
        if isinstance(value, (list, tuple)):
            for item in value:
                walk(item)
        elif isinstance(value, dict):
            for item in value.values():
                walk(item)
        elif dataclasses.is_dataclass(value) and not isinstance(value, type):
            for f in dataclasses.fields(value):
                item = getattr(value, f.name)
                if f.name in ("clock", "hours") and isinstance(item, str):
                    used.add(item)
                elif f.name != "origin":
                    walk(item)

    walk(policy.tiers)
    walk(policy.channels)
    pending = list(used)
    while pending:
        schedule = policy.schedule(pending.pop())
        for member in (*schedule.combines, *(e.schedule for e in schedule.by_region)) if schedule else ():
            if member not in used:
                used.add(member)
                pending.append(member)
    maintenance = policy.status.maintenance.schedule if policy.status and policy.status.maintenance else None
    return [s for s in policy.schedules if s.id in used or s.id != maintenance]


def window(schedule: Schedule, w: MaintenanceWindow) -> str:
    return f"{days(w.days)}, {hhmm(w.starts)}–{hhmm(w.ends)} ({schedule.timezone})"
