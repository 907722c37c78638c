"""Words for durations, clocks and opening hours, derived from the data, never typed twice."""

from __future__ import annotations

from collections.abc import Iterable

from .model import (
    ALWAYS,
    WEEKDAYS,
    Duration,
    MaintenanceWindow,
    Period,
    PolicySet,
    Promise,
    Schedule,
    Within,
    home_zone,
)

_UNITS = {"m": ("minute", "minutes"), "h": ("hour", "hours"), "d": ("day", "days"), "w": ("week", "weeks")}
_PERIOD_UNITS = {"d": ("day", "days"), "w": ("week", "weeks"), "mo": ("month", "months"), "y": ("year", "years")}
DAY_NAMES = dict(
    zip(WEEKDAYS, ("Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday"), strict=True)
)
PROMISE_NAMES = {"acknowledge": "Acknowledgement", "update": "Updates", "resolve": "Resolution"}


def is_round_the_clock(policy: PolicySet, clock: str) -> bool:
    """Whether every hour counts on ``clock`` (24x7, or an always-open schedule)."""
    if clock == ALWAYS:
        return True
    schedule = policy.schedule(clock)
    return bool(schedule and schedule.always_open and not schedule.holidays.dates and not schedule.holidays.country)


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


def within(value: Within, business: bool = False) -> str:
    """ "within 2 hours", "within 1 business day" or "minutes, at most 2 hours"."""
    if value.min is None:
        return f"within {duration(value.max, business)}"
    if value.min.minutes < 60:
        return f"minutes, at most {duration(value.max, business)}"
    return f"typically {duration(value.min, business)}, at most {duration(value.max, business)}"


def promise(policy: PolicySet, value: Promise) -> str:
    """A promise worded with its clock: "within 8 business hours (Standard hours)"."""
    if is_round_the_clock(policy, value.clock):
        return f"{within(value.within)}, around the clock"
    schedule = policy.schedule(value.clock)
    return f"{within(value.within, business=True)} ({schedule.name if schedule else value.clock})"


def clock_description(policy: PolicySet, clock: str) -> str:
    """Which clock this is, in words: "Standard hours: only open hours count; Monday to Friday, …"."""
    schedule = policy.schedule(clock) if clock != ALWAYS else None
    if is_round_the_clock(policy, clock):
        name, zone = (schedule.name, schedule.timezone) if schedule else ("24x7", home_zone(policy))
        return f"{name}: every hour counts ({zone})"
    if schedule is None:
        return clock
    holidays = schedule.holidays
    closed = []
    if holidays.country:
        closed.append(f"{holidays.country}{'-' + holidays.subdivision if holidays.subdivision else ''} public holidays")
    listed = len({holiday.date for holiday in holidays.dates})
    if listed:
        closed.append(f"{listed} listed date{'s' if listed != 1 else ''}")
    return f"{schedule.name}: only open hours count; {'; '.join(opening_hours(schedule))}" + (
        f"; closed on {' and '.join(closed)}" if closed else ""
    )


def clock_name(policy: PolicySet, clock: str) -> str:
    if clock == ALWAYS:
        return "24 hours a day, 7 days a week"
    schedule = policy.schedule(clock)
    return schedule.name if schedule else clock


def days(values: Iterable[str]) -> str:
    """[mon, tue, wed, thu, fri] → "Monday to Friday"; gaps are listed."""
    indexes = sorted(WEEKDAYS.index(d) for d in values)
    if len(indexes) == 7:
        return "Every day"
    if len(indexes) > 2 and indexes == list(range(indexes[0], indexes[-1] + 1)):
        return f"{DAY_NAMES[WEEKDAYS[indexes[0]]]} to {DAY_NAMES[WEEKDAYS[indexes[-1]]]}"
    names = [DAY_NAMES[WEEKDAYS[i]] for i in indexes]
    return names[0] if len(names) == 1 else ", ".join(names[:-1]) + " and " + names[-1]


def hhmm(text: str) -> str:
    """ "8:00" → "08:00"."""
    hours, minutes = text.split(":")
    return f"{int(hours):02d}:{minutes}"


def opening_hours(schedule: Schedule) -> list[str]:
    """One line per interval, each with its zone: "Monday to Friday, 08:00–17:00 (America/Chicago)"."""
    if schedule.always_open:
        return [f"24 hours a day, 7 days a week ({schedule.timezone})"]
    return [f"{days(h.days)}, {hhmm(h.opens)}–{hhmm(h.closes)} ({schedule.timezone})" for h in schedule.hours]


def window(schedule: Schedule, w: MaintenanceWindow) -> str:
    return f"{days(w.days)}, {hhmm(w.starts)}–{hhmm(w.ends)} ({schedule.timezone})"
