"""What a business-hours promise means on the wall clock: its worst case and an example.

"Within 24 business hours (Standard hours)" leaves the reader to work out when that is. The
plans page states it for them, statically and from the engine's own arithmetic
(:mod:`support_policies.calendar`), for filings over the year from the build date
(:func:`window`, which ``SOURCE_DATE_EPOCH`` pins):

* the **worst case**: the longest wait from filing to due time over the year, and a filing
  that reaches it ("filed Wednesday 23 December 17:00, due Monday 4 January 12:00");
* an **example**: a ticket filed one hour before the clock's first closing after the build
  date that is followed by at least a day closed (the Friday afternoon before a weekend), or
  before its first closing when it is never closed that long.

Round-the-clock promises get nothing extra: "4 hours" is four hours. A clock that depends on
the customer's region gets the worst case over every region and no example, because the
example's times would depend on the region too.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta
from itertools import chain, pairwise

from . import calendar, i18n, wording
from .i18n import _
from .model import ALWAYS, Duration, PolicySet, Promise

WINDOW_DAYS = 365
"""The filings the worst case covers: the build date and the 364 days after it."""
_LOOKAHEAD = timedelta(days=60)
"""How far past the build date the example looks for a closing (a schedule open less than
once every two months has no example)."""


@dataclass(frozen=True)
class Instance:
    """A filing instant and when the promise falls due for it (both UTC), in the clock's zone."""

    filed: datetime
    due: datetime
    zone: str


@dataclass(frozen=True)
class WallClock:
    """A business-hours promise on the wall clock."""

    worst: timedelta
    worst_instance: Instance | None
    example: Instance | None
    since: date


def window(today: date) -> tuple[datetime, datetime]:
    """The filing instants the static wording covers: [today 00:00 UTC, +WINDOW_DAYS days)."""
    start = datetime(today.year, today.month, today.day, tzinfo=UTC)
    return start, start + timedelta(days=WINDOW_DAYS)


def business(policy: PolicySet, promise: Promise) -> bool:
    """Whether the promise counts only open hours (it runs on a clock that is ever closed)."""
    if promise.clock == ALWAYS:
        return False
    try:
        return not all(cal.round_the_clock for cal in calendar.calendars(policy, promise.clock).values())
    except calendar.CalendarError:
        return False


def wall_clock(policy: PolicySet, promise: Promise, today: date) -> WallClock | None:
    """The worst case and an example of a business-hours promise, or None (round the clock,
    or a clock the calendar cannot compute over the window)."""
    if not business(policy, promise):
        return None
    start, end = window(today)
    duration = promise.within.max
    try:
        cals = calendar.calendars(policy, promise.clock)
        worst = max(cal.worst_wait(duration, start, end) for cal in cals.values())
        if len(cals) != 1:
            return WallClock(worst, None, None, today)
        (cal,) = cals.values()
        return WallClock(worst, _reaching(cal, duration, worst, start, end), _example(cal, duration, start), today)
    except calendar.CalendarError:
        return None


def _reaching(
    cal: calendar.Calendar, duration: Duration, worst: timedelta, start: datetime, end: datetime
) -> Instance | None:
    """The first filing in the window whose wait is the worst case, among the instants it can
    peak at: the window's start and each closing (a filing at a closing waits longest)."""
    candidates = chain([start], (closes for _, closes in cal.open_intervals(start, end) if closes < end))
    for filed in candidates:  # made lazily: the search stops at the first
        due = cal.add(filed, duration)
        if due - filed == worst:
            return Instance(filed, due, cal.zone.key)
    return None


def _example(cal: calendar.Calendar, duration: Duration, start: datetime) -> Instance | None:
    """A filing one hour before the first closing followed by a day or more closed."""
    intervals = list(cal.open_intervals(start, start + _LOOKAHEAD))
    if not intervals:
        return None
    chosen = intervals[0]
    for (opens, closes), (following, _closes) in pairwise(intervals):
        if following - closes >= timedelta(days=1):
            chosen = (opens, closes)
            break
    opens, closes = chosen
    filed = max(opens, closes - timedelta(hours=1))
    return Instance(filed, cal.add(filed, duration), cal.zone.key)


def moment(instant: datetime, zone: str) -> str:
    """An instant on the wall clock of ``zone``: "Friday, 4 December 2026, 16:00"."""
    return i18n.moment(instant.astimezone(calendar.get_zone(zone)))


def sentences(value: WallClock, confirmed: bool = False) -> list[str]:
    """The wall-clock meaning in sentences, for the plans page. ``confirmed``: the plan's clock
    starts when support confirms the severity, so times count from then rather than filing."""
    lines = []
    if value.example is not None:
        e = value.example
        words = {"filed": moment(e.filed, e.zone), "due": moment(e.due, e.zone), "zone": i18n.zone(e.zone)}
        wait = wording.wait(e.due - e.filed)
        lines.append(
            _(
                "For example: severity confirmed {filed}, due by {due} at the latest ({zone} time, {wait} later).",
                wait=wait,
                **words,
            )
            if confirmed
            else _(
                "For example: filed {filed}, due by {due} at the latest ({zone} time, {wait} later).",
                wait=wait,
                **words,
            )
        )
    since, worst = i18n.long_date(value.since), wording.wait(value.worst)
    if value.worst_instance is not None:
        w = value.worst_instance
        at = {"filed": moment(w.filed, w.zone), "due": moment(w.due, w.zone), "zone": i18n.zone(w.zone)}
        lines.append(
            _(
                "Worst case for tickets severity confirmed in the year from {since}: {worst} from confirmation "
                "to due time (severity confirmed {filed}, due {due}, {zone} time).",
                since=since,
                worst=worst,
                **at,
            )
            if confirmed
            else _(
                "Worst case for tickets filed in the year from {since}: {worst} from filing to due time "
                "(filed {filed}, due {due}, {zone} time).",
                since=since,
                worst=worst,
                **at,
            )
        )
    elif value.example is None:
        lines.append(
            _(
                "Worst case for tickets severity confirmed in the year from {since}: {worst} from confirmation "
                "to due time, whatever your region.",
                since=since,
                worst=worst,
            )
            if confirmed
            else _(
                "Worst case for tickets filed in the year from {since}: {worst} from filing to due time, "
                "whatever your region.",
                since=since,
                worst=worst,
            )
        )
    else:
        lines.append(
            _(
                "Worst case for tickets severity confirmed in the year from {since}: {worst} from confirmation "
                "to due time.",
                since=since,
                worst=worst,
            )
            if confirmed
            else _(
                "Worst case for tickets filed in the year from {since}: {worst} from filing to due time.",
                since=since,
                worst=worst,
            )
        )
    return lines
