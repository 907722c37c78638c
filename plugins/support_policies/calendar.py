"""Business calendars: when a support clock runs, and when a promise falls due.

This is the one place that does time arithmetic for support policies. It uses only the
standard library's ``zoneinfo`` (with the ``tzdata`` package for the zone database) and,
lazily and only when a schedule names a country, the ``holidays`` package.

Clocks
    A promise runs on a clock: ``24x7`` (every hour counts) or the id of a schedule
    (only its open hours count). :func:`calendar_for` turns a clock into a
    :class:`Calendar`. ``24x7`` uses the organization's time zone (UTC without one); a
    schedule with ``always_open: true`` and no holidays is round the clock as well. An
    always-open schedule that lists holidays is a business calendar open 24 hours a day
    except on those days.

Round-the-clock arithmetic
    Durations are exact elapsed time added in UTC: ``m`` minutes, ``h`` hours, ``d`` = 24
    hours, ``w`` = 7 × 24 hours. "4 hours" filed at 23:00 the evening before a
    spring-forward change is due at 04:00 the next morning by the new local time.

Open time
    A schedule's weekly ``hours`` are wall-clock intervals in the schedule's zone, on each
    listed day. A closing time earlier than the opening time runs overnight into the next
    day (22:00–06:00); ``"24:00"`` is midnight at the end of the day; an interval that
    opens and closes at the same time is empty. Intervals that touch or overlap are merged.
    Wall-clock times are turned into instants on each date with the date's own UTC
    offset:

    * a time that does not exist (the spring-forward gap) moves forward to the first
      instant that exists: an opening at 02:30 on 2026-03-08 in America/Chicago opens at
      03:00 CDT, the moment of the change;
    * a time that happens twice (fall back) means its first occurrence: 01:30 on
      2026-11-01 in America/Chicago is 01:30 CDT.

    Open time is real elapsed time, so 00:00–04:00 on a fall-back day lasts 5 hours and on
    a spring-forward day 3 hours. Open intervals are half-open: open at the opening
    instant, closed at the closing instant.

Spans across zones
    Instead of ``hours``, a schedule's ``spans`` are open from each ``from`` (a weekday and
    wall-clock time in its own zone) until the first ``until`` after it (in its zone, which
    may differ): "from Monday 10:00 Australia/Sydney until Friday 17:00
    America/Los_Angeles" lasts 5 days, 5 days 1 hour or 5 days 2 hours as the two zones
    change their clocks. Each moment is read as above (a gap time moves to the
    change, a repeated time is its first occurrence). The schedule's own ``timezone`` is the
    zone its days are counted in (``d``, holidays, special hours, pages).

Unions
    A schedule that ``combines`` others is open whenever any of them is; each member keeps
    its zone, hours, holidays and special hours (the union itself has none: ``check``
    refuses them). A union with a round-the-clock member is round the clock. A member
    that combines the schedule itself (a cycle), or depends on a region, raises
    :class:`CalendarError`.

    Both are computed the same way: the open UTC intervals of a local year (of the
    schedule's zone) are merged and split at that zone's midnights, and the year is then
    built from those days like any other, so every question below works unchanged.

Regions
    A ``by_region`` schedule is no calendar itself: :func:`calendar_for` with a ``region``
    gives that region's schedule, without one raises :class:`CalendarError`, and
    :func:`calendars` gives every calendar a clock can mean (one per region) to rules that
    must hold whatever the region.

Special hours
    ``special_hours`` replace one local date's open time (00:00 to 24:00, so also the part
    of an overnight interval that runs into it) by their own intervals, on a ``date`` or
    every year on a ``yearly`` month and day, whatever the weekday; ``hours: []`` closes the
    day. They win over holidays (a special opening on a public holiday) and a date's own
    entry wins over a yearly one. Their intervals close after they open (no overnight).

Holidays
    Each date in ``holidays.dates`` closes the whole local day (00:00 to 24:00 in the
    schedule's zone), cutting through overnight intervals. ``holidays.country`` (with an
    optional ``subdivision``) closes every public holiday the ``holidays`` package lists
    for that country, including "observed" days. An unknown country or subdivision raises
    :class:`CalendarError`. ``holidays.except`` removes country holidays that are worked,
    by name (a whole name as the package writes it, case-insensitive; "Independence Day"
    leaves "Independence Day (observed)" closed) or by ISO date. Maintenance windows are
    not closures: support is staffed during them, so they are reported, never subtracted.

Business arithmetic (a schedule's clock)
    ``m`` and ``h`` count open time: a ticket filed while closed starts at the next
    opening, and the clock stops whenever the schedule closes. Friday 16:00 + 4 business
    hours on Monday–Friday 08:00–17:00 is Monday 11:00. A due time that uses up the open
    time exactly at a closing instant is that closing instant (16:00 + 1h = 17:00, not the
    next morning).

    ``d`` counts open days. An *open day* is a local date with some open time; a day's
    *closing time* is the end of its last open time that date (midnight when an
    overnight interval runs on).

    * Filed while open: the due time is the same local wall-clock time on the N-th open
      day after the filing date, kept within that day's open span (moved up to its first
      opening if earlier, down to its closing time if later). Wednesday 10:00 + 1d is
      Thursday 10:00; Friday 16:30 + 1d is Monday 16:30.
    * Filed while closed: the due time is the closing time of the N-th open day,
      counting the day of the next opening as the first. Saturday + 1d is Monday 17:00;
      Monday 07:00 + 1d is Monday 17:00; Friday 18:00 + 2d is Tuesday 17:00.

    ``w`` is calendar time on every clock: 7 × 24 hours of elapsed time, counted from the
    next opening when filed while closed.

    A zero duration is due at the next opening. A due time (or next opening) more than
    :data:`HORIZON` (5 × 366 days) after the filing — a schedule whose every day is a
    holiday, or an absurd duration — stops with :class:`CalendarError`, as does a
    schedule without any open hours.

Range
    Instants from :data:`FIRST_INSTANT` (0001-01-02) up to :data:`END_INSTANT`
    (9998-12-31, excluded), UTC, so that every zone's local date of them is a date
    Python can hold. A filing or due time outside raises :class:`CalendarRangeError`
    (a CalendarError), never OverflowError.

Worst case
    :meth:`Calendar.worst_wait` is the longest a customer can wait for a promise, over
    filing instants in a window: max over t of due(t) − t. It evaluates candidate instants
    instead of sampling, and is exact:

    * ``m``/``h`` (and ``w``, and zero durations): while t moves through closed time,
      due(t) stays put (the clock waits for the next opening), so the wait shrinks; while
      t moves through open time, every minute later the ticket is filed removes one open
      minute at the front and needs at least one more real minute at the back, so the
      wait never shrinks. The wait therefore peaks at a closing instant (the first closed
      moment), at the window's start, or in its last minute.
    * ``d``: a later open filing on the same day is due at the same wall-clock time or
      held at the due day's opening or closing, so it never waits longer than the day's
      first open instant, except where a UTC offset changes: on the filing day, or on the
      due date where its wall clock jumps past a repeated (fall-back) hour. A closed
      filing followed by an opening the same day is due before any open filing of that
      day, so among closed filings only the day's closing time counts. The candidates are
      the window's start and last minute, its first open instant, each day's first
      opening and closing time, every opening and closing and the change on a day whose
      offset changes, and for each open day the instants whose wall-clock time matches a
      change of offset on its due date.

Cost
    Each local year a calendar touches is computed once: its open intervals as sorted
    integer microseconds with the open time before each, each day's first opening and
    closing time, its open days and its offset changes. :meth:`Calendar.add` finds the
    filing by bisection and the due time by bisection on the open time (``m``, ``h``) or
    on the open days (``d``), crossing a year in one step, so 9,999 business hours cost
    no more than 4 hours. :meth:`Calendar.worst_wait` evaluates a bounded number of
    candidates per interval (``m``, ``h``, ``w``) or per day (``d``): its cost grows
    linearly with intervals × days (``bench/calendar_scaling.py``). A span's or union's year
    costs one pass over its open intervals (a union's members build their own years the
    same way, once), so unions grow linearly too.
"""

from __future__ import annotations

import difflib
import os
import warnings
from array import array
from bisect import bisect_left, bisect_right
from collections.abc import Callable, Hashable, Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta
from functools import cache, cached_property, lru_cache
from itertools import accumulate, repeat
from operator import add, eq, sub
from typing import TYPE_CHECKING
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError, available_timezones

from .model import (
    ALWAYS,
    WEEKDAYS,
    Duration,
    MaintenanceWindow,
    PolicySet,
    Promise,
    Schedule,
    Span,
    home_zone,
    minutes_of_day,
)

if TYPE_CHECKING:
    from holidays import HolidayBase

UTC = UTC
HORIZON = timedelta(days=5 * 366)
"""How long after a filing a due time (or the next opening) may be before a walk gives up."""
FIRST_INSTANT = datetime(1, 1, 2, tzinfo=UTC)
END_INSTANT = datetime(9998, 12, 31, tzinfo=UTC)
"""The calendar computes instants in [FIRST_INSTANT, END_INSTANT): local dates in years 1 to 9998."""

Zone = str | ZoneInfo
Weekly = Sequence[Sequence[tuple[int, int]]]
"""Per weekday (Monday = 0), the open (start, end) seconds after local midnight."""

# Internally an instant is an int: microseconds since 1970-01-01 00:00 UTC; a wall-clock time
# is microseconds since 1970-01-01 00:00 local time.
_EPOCH = datetime(1970, 1, 1, tzinfo=UTC)
_WALL_EPOCH = datetime(1970, 1, 1)
_ORDINAL_1970 = _WALL_EPOCH.toordinal()
_MICRO = timedelta(microseconds=1)
_MIDNIGHT_FOLD_1 = time(0, fold=1)
"""Midnight, read as the second of two repeated times (the later offset)."""
_SECOND_US = 1_000_000
_MINUTE_US = 60 * _SECOND_US
_DAY_US = 86_400 * _SECOND_US
_HORIZON_US = HORIZON // _MICRO
_FIRST_US = (FIRST_INSTANT - _EPOCH) // _MICRO
_END_US = (END_INSTANT - _EPOCH) // _MICRO


class CalendarError(ValueError):
    """A schedule cannot be used as a calendar, or a walk through it never ends."""


class CalendarRangeError(CalendarError):
    """An instant the calendar would need lies outside [FIRST_INSTANT, END_INSTANT)."""


def _outside(what: str) -> CalendarRangeError:
    return CalendarRangeError(
        f"{what} is outside the range the calendar can compute: "
        f"{FIRST_INSTANT.date().isoformat()} to {(END_INSTANT - timedelta(days=1)).date().isoformat()} UTC"
    )


def now() -> datetime:
    """The current instant, UTC: ``SOURCE_DATE_EPOCH`` when it holds whole seconds in range, else the clock.

    The package's one reading of the clock, for the dates it shows (a build date, the
    default filing time of ``deadline``); no verdict depends on it.
    """
    epoch = os.environ.get("SOURCE_DATE_EPOCH", "").strip()
    if epoch.isdigit() and int(epoch) * _SECOND_US < _END_US:
        return _EPOCH + timedelta(seconds=int(epoch))
    return datetime.now(UTC)


# --- zones and wall-clock times ----------------------------------------------------------------


def get_zone(zone: Zone) -> ZoneInfo:
    """The IANA zone ``zone`` (a name or a ZoneInfo); CalendarError with a suggestion if unknown."""
    if isinstance(zone, ZoneInfo):
        return zone
    try:
        return ZoneInfo(zone)
    except (ZoneInfoNotFoundError, ValueError, TypeError):
        pass
    known = available_timezones()
    close = (
        difflib.get_close_matches(str(zone), sorted(known), n=1)
        or sorted(z for z in known if z.lower() == str(zone).lower() or z.endswith("/" + str(zone).split("/")[-1]))[:1]
    )
    hint = f" (did you mean {close[0]}?)" if close else " (use an IANA zone such as America/Chicago)"
    raise CalendarError(f"'{zone}' is not a known time zone{hint}")


def _as_us(instant: datetime) -> int:
    """An aware datetime as an instant; CalendarRangeError outside the range."""
    if not isinstance(instant, datetime):
        raise TypeError(f"expected a datetime, got {type(instant).__name__}")
    if instant.tzinfo is None or instant.utcoffset() is None:
        raise CalendarError(f"{instant.isoformat()} has no time zone; calendars need aware datetimes")
    try:
        utc = instant.astimezone(UTC)
    except OverflowError:
        raise _outside(instant.isoformat()) from None
    if not FIRST_INSTANT <= utc < END_INSTANT:
        raise _outside(instant.isoformat())
    return (utc - _EPOCH) // _MICRO


def _instant(us: int, what: str = "an instant") -> datetime:
    """An instant as an aware UTC datetime; CalendarRangeError outside the range."""
    if not _FIRST_US <= us < _END_US:
        raise _outside(what)
    return _EPOCH + timedelta(microseconds=us)


def _offset_us(moment: datetime) -> int:
    """The UTC offset (microseconds) of an aware datetime."""
    offset = moment.utcoffset()
    assert offset is not None, "a ZoneInfo always has an offset"
    return offset // _MICRO


def _offset_at(zone: ZoneInfo, us: int) -> int:
    """The UTC offset (microseconds) in force at instant ``us``."""
    return _offset_us((_EPOCH + timedelta(microseconds=us)).astimezone(zone))


def _first_change(lo: int, hi: int, state: Callable[[int], Hashable]) -> int:
    """The first instant in (lo, hi] whose ``state`` differs from lo's, by bisection; state(hi) must differ.

    tzdata never changes a zone twice within 48 hours, so a day holds at most one change.
    """
    before = state(lo)
    while hi - lo > 1:
        mid = (lo + hi) // 2
        lo, hi = (mid, hi) if state(mid) == before else (lo, mid)
    return hi


def _offsets(zone: ZoneInfo, wall: int) -> tuple[int, int]:
    """The UTC offsets of wall-clock time ``wall`` read with fold 0 and fold 1 (equal unless it is in a gap or fold)."""
    naive = (_WALL_EPOCH + timedelta(microseconds=wall)).replace(tzinfo=zone)
    return _offset_us(naive), _offset_us(naive.replace(fold=1))


def _from_wall(zone: ZoneInfo, wall: int, offsets: tuple[int, int] | None = None) -> int:
    """The instant of wall-clock time ``wall``: a gap time moves to the change, a repeated time
    is its first occurrence."""
    first, second = offsets or _offsets(zone, wall)
    if first >= second:  # exists once, or twice (fold 0 is the first occurrence)
        return wall - first
    # In a gap, read with the offset after the change (an instant before it) and before (after it).
    return _first_change(wall - second, wall - first, lambda us: _offset_at(zone, us))


def localize(naive: datetime, zone: Zone) -> datetime:
    """The instant (aware, UTC) of the wall-clock time ``naive`` in ``zone``.

    A time in a spring-forward gap moves forward to the first instant that exists (the
    moment of the change); a repeated fall-back time means its first occurrence.
    """
    zone = get_zone(zone)
    wall = (naive.replace(tzinfo=None, fold=0) - _WALL_EPOCH) // _MICRO
    return _instant(_from_wall(zone, wall), f"{naive.isoformat()} in {zone.key}")


def zone_changes(zone: Zone, start: datetime, end: datetime) -> Iterator[datetime]:
    """Each instant in (start, end] where ``zone`` changes its offset, abbreviation or DST flag."""
    zone = get_zone(zone)

    def state(us: int) -> tuple[timedelta | None, str | None, timedelta | None]:
        local = (_EPOCH + timedelta(microseconds=us)).astimezone(zone)
        return local.utcoffset(), local.tzname(), local.dst()

    t, last = _as_us(start), _as_us(end)
    now = state(t)
    while t < last:
        following = min(t + _DAY_US, last)
        then = state(following)
        if now != then:
            yield _instant(_first_change(t, following, state))
        t, now = following, then


def _minutes(text: str) -> int:
    """``"08:00"`` → 480; ``"24:00"`` → 1440."""
    try:
        return minutes_of_day(text)
    except ValueError:
        raise CalendarError(f"'{text}' is not a time of day written HH:MM, between 00:00 and 24:00") from None


def _merge(segments: Iterable[tuple[int, int]]) -> list[tuple[int, int]]:
    """Sorted, merged (start, end) pairs; empty ones dropped."""
    merged: list[list[int]] = []
    for start, end in sorted(s for s in segments if s[0] < s[1]):
        if merged and start <= merged[-1][1]:
            merged[-1][1] = max(merged[-1][1], end)
        else:
            merged.append([start, end])
    return [(start, end) for start, end in merged]


@dataclass(frozen=True)
class WeeklyInterval:
    """An interval of a week as written (opening hours, a maintenance window): on each weekday
    (Monday = 0), wall-clock minutes ``start`` to ``end``; ``end`` beyond 1440 runs into the next day.

    The one reading of a weekly interval, for the business clock and the iCalendar files alike.
    """

    weekdays: tuple[int, ...]
    start: int
    end: int

    @classmethod
    def of(cls, days: Iterable[str], starts: str, ends: str) -> WeeklyInterval | None:
        """The interval as written; None when empty. A closing time earlier than the opening runs
        overnight; starting at 24:00 is the next day's 00:00."""
        start, end = _minutes(starts), _minutes(ends)
        if start == end:
            return None
        if end < start:
            end += 1440
        shift = start // 1440
        return cls(tuple(sorted((WEEKDAYS.index(d) + shift) % 7 for d in days)), start % 1440, end - 1440 * shift)

    def wall(self, day: date) -> tuple[datetime, datetime]:
        """Local (naive) start and end of the occurrence starting on ``day``."""
        midnight = datetime(day.year, day.month, day.day)
        return midnight + timedelta(minutes=self.start), midnight + timedelta(minutes=self.end)

    def actual(self, day: date, zone: Zone, closed: Callable[[date], bool]) -> tuple[datetime, datetime] | None:
        """The occurrence starting on ``day`` as the business clock counts it (UTC), less the local
        dates ``closed`` says are closed; None when all of it is closed."""
        start, end = self.wall(day)
        midnight = datetime(day.year, day.month, day.day) + timedelta(days=1)
        parts = [(start, min(end, midnight))] + ([(midnight, end)] if end > midnight else [])
        kept = [part for part in parts if not closed(part[0].date())]
        return (localize(kept[0][0], zone), localize(kept[-1][1], zone)) if kept else None


def _weekly(intervals: Iterable[WeeklyInterval | None]) -> tuple[tuple[tuple[int, int], ...], ...]:
    """Per weekday (Monday = 0), the open seconds of that local date, within 0–86400;
    overnight intervals spill into the next weekday."""
    days: list[list[tuple[int, int]]] = [[] for _ in WEEKDAYS]
    for interval in intervals:
        if interval is None:
            continue  # empty
        for weekday in interval.weekdays:
            days[weekday].append((interval.start, min(interval.end, 1440)))
            if interval.end > 1440:
                days[(weekday + 1) % 7].append((0, interval.end - 1440))
    return tuple(tuple((a * 60, b * 60) for a, b in _merge(day)) for day in days)


def _day_segment(opens: str, closes: str) -> tuple[int, int]:
    """A special day's interval as seconds after local midnight; it must close after it opens."""
    start, end = _minutes(opens), _minutes(closes)
    if end <= start:
        raise CalendarError(f"special hours {opens}–{closes} do not close after they open (they cannot run overnight)")
    return start * 60, end * 60


def _union(members: Sequence[Calendar]) -> Callable[[int, int], Iterable[tuple[int, int]]]:
    """The open UTC intervals of a union: open whenever any member is."""

    def source(lo: int, hi: int) -> Iterator[tuple[int, int]]:
        for member in members:
            yield from [(lo, hi)] if member.round_the_clock else member._intervals(lo, hi)

    return source


def _spans(spans: Sequence[Span], zone: str) -> Callable[[int, int], Iterable[tuple[int, int]]]:
    """The open UTC intervals of weekly spans: from each ``from`` until the first ``until`` after it,
    each moment read in its own zone (a gap time moves to the change, a repeated time is its first)."""
    ends = [
        (
            (get_zone(span.from_.timezone or zone), WEEKDAYS.index(span.from_.day), _minutes(span.from_.at)),
            (get_zone(span.until.timezone or zone), WEEKDAYS.index(span.until.day), _minutes(span.until.at)),
        )
        for span in spans
    ]

    def moment(zone_: ZoneInfo, day: int, minute: int) -> int:
        return _from_wall(zone_, (day - _ORDINAL_1970) * _DAY_US + minute * _MINUTE_US)

    def source(lo: int, hi: int) -> Iterator[tuple[int, int]]:
        for (from_zone, from_day, from_at), (until_zone, until_day, until_at) in ends:
            first = (_EPOCH + timedelta(microseconds=lo)).astimezone(from_zone).toordinal() - 8
            first += (from_day - date.fromordinal(first).weekday()) % 7
            for ordinal in range(first, (_EPOCH + timedelta(microseconds=hi)).astimezone(from_zone).toordinal() + 2, 7):
                start = moment(from_zone, ordinal, from_at)
                if start >= hi:
                    break
                there = (_EPOCH + timedelta(microseconds=start)).astimezone(until_zone).toordinal() - 1
                there += (until_day - date.fromordinal(there).weekday()) % 7
                end = moment(until_zone, there, until_at)
                while end <= start:
                    there += 7
                    end = moment(until_zone, there, until_at)
                if end > lo:
                    yield max(start, lo), min(end, hi)

    return source


# --- country holidays -----------------------------------------------------------------------------


@cache
def _holiday_entity(country: str) -> type[HolidayBase]:
    """The holidays class of ``country``, importing only its module (NotImplementedError if unknown).

    ``holidays.countries`` imports every country's module; the package's registry names the
    one module a code lives in, which is imported under a bare stand-in for that package
    when the package itself has not been imported yet.
    """
    import importlib
    import sys
    import types

    import holidays
    from holidays.registry import COUNTRIES

    module = next((name for name, entities in COUNTRIES.items() if country in entities), None)
    if module is None:
        raise NotImplementedError(f"Country {country} not available")
    package = "holidays.countries"
    stand_in = package not in sys.modules
    if stand_in:
        bare = types.ModuleType(package)
        bare.__path__ = [os.path.join(os.path.dirname(holidays.__file__), "countries")]
        sys.modules[package] = bare
    try:
        found: type[HolidayBase] = getattr(importlib.import_module(f"{package}.{module}"), COUNTRIES[module][0])
    finally:
        if stand_in:
            del sys.modules[package]
    return found


@lru_cache(maxsize=1024)
def _country_year(country: str, subdivision: str | None, year: int | None) -> Mapping[date, str]:
    """The public holidays of ``country`` (and ``subdivision``) in ``year`` (None: none)."""
    with warnings.catch_warnings():  # "available only from 2001 to 2035": other years have none
        warnings.simplefilter("ignore")
        return dict(_holiday_entity(country)(subdiv=subdivision or None, years=() if year is None else year))


# --- one local year of a business calendar -------------------------------------------------------


@dataclass(frozen=True)
class _Year:
    """A business calendar's local year ``year``, days counted from 0 (1 January); instants as ints."""

    year: int
    ordinal: int
    """The proleptic ordinal of 1 January."""
    midnights: list[int]
    """The instant of each day's 00:00, and of the next year's."""
    starts: array[int]
    ends: array[int]
    """The open intervals, sorted and merged (across midnight too)."""
    before: array[int]
    """The open time before each interval, then the year's total."""
    opens: list[int | None]
    closes: list[int | None]
    """Each day's first opening and closing time; None on a closed day."""
    open_days: list[int]
    shifts: dict[int, tuple[int, int, int]]
    """The days whose UTC offset changes: (instant, offset before, offset after)."""

    @cached_property
    def shape(self) -> int:
        """A hash of when the intervals end after the year's first midnight, and of the open time
        before each (what :meth:`Calendar._peak` depends on)."""
        return hash((array("q", map(sub, self.ends, repeat(self.midnights[0]))).tobytes(), self.before.tobytes()))

    def same_shape(self, other: _Year) -> bool:
        """Whether the two years' intervals end at the same times after their first midnight,
        with the same open time before each."""
        shift = other.midnights[0] - self.midnights[0]
        return self.before == other.before and all(map(eq, map(add, self.ends, repeat(shift)), other.ends))

    def wall(self, day: int) -> int:
        """The wall-clock time of ``day``'s 00:00."""
        return (self.ordinal + day - _ORDINAL_1970) * _DAY_US

    def span(self, day: int) -> tuple[int, int]:
        """An open day's first opening and closing time."""
        opening, closing = self.opens[day], self.closes[day]
        assert opening is not None and closing is not None, "not an open day"
        return opening, closing


@lru_cache(maxsize=512)
def _zone_days(zone: ZoneInfo, number: int) -> tuple[list[int], list[tuple[int, int]], list[int]]:
    """Each midnight of local year ``number`` in ``zone`` and the next year's first: wall-clock
    time, offsets read with fold 0 and 1, instant (shared by every calendar in the zone)."""
    first = date(number, 1, 1).toordinal()
    ordinals = range(first, date(number + 1, 1, 1).toordinal() + 1)
    walls = [(ordinal - _ORDINAL_1970) * _DAY_US for ordinal in ordinals]
    # The offsets of each naive midnight, as of the same time made aware in the zone, read
    # through C calls only (``replace(fold=1)`` with its keyword cost more than the rest).
    utcoffset = zone.utcoffset
    fold0 = list(map(utcoffset, map(datetime.fromordinal, ordinals)))
    fold1 = list(map(utcoffset, map(datetime.combine, map(date.fromordinal, ordinals), repeat(_MIDNIGHT_FOLD_1))))
    micro: dict[timedelta | None, int] = {}  # each distinct offset, in microseconds
    for delta in {*fold0, *fold1}:
        assert delta is not None, "a ZoneInfo always has an offset"
        micro[delta] = delta // _MICRO
    offsets = list(zip(map(micro.__getitem__, fold0), map(micro.__getitem__, fold1), strict=True))
    midnights = [
        wall - offset[0] if offset[0] >= offset[1] else _from_wall(zone, wall, offset)
        for wall, offset in zip(walls, offsets, strict=True)
    ]
    return walls, offsets, midnights


def midnight_offsets(zone: ZoneInfo, number: int) -> list[int]:
    """The UTC offset (microseconds) in force at each midnight of local year ``number`` and the
    next year's first, the instants :class:`Calendar` takes as the local days' starts: the offset
    a midnight is read with, or, for one in a spring-forward gap (which starts at the change),
    the offset after the change; either way the larger of its two readings."""
    return [max(pair) for pair in _zone_days(zone, number)[1]]


@lru_cache(maxsize=512)
def _zone_shifts(zone: ZoneInfo, number: int) -> tuple[frozenset[int], dict[int, tuple[int, int, int]]]:
    """The days of local year ``number`` whose UTC offset is not the same from their midnight to
    the next, and among them those whose offset changes: (instant, offset before, offset after)."""
    _, offsets, midnights = _zone_days(zone, number)
    unsteady = frozenset(
        day
        for day in range(len(midnights) - 1)
        if not offsets[day][0] == offsets[day][1] == offsets[day + 1][0] == offsets[day + 1][1]
    )
    shifts: dict[int, tuple[int, int, int]] = {}
    for day in sorted(unsteady):
        lo, hi = midnights[day], midnights[day + 1]
        before, after = _offset_at(zone, lo), _offset_at(zone, hi)
        if before != after:
            shifts[day] = (_first_change(lo, hi, lambda us: _offset_at(zone, us)), before, after)
    return unsteady, shifts


# --- the calendar --------------------------------------------------------------------------------


class Calendar:
    """When a clock runs: open intervals in a zone, minus holidays; or every hour (24x7)."""

    def __init__(
        self,
        name: str,
        zone: Zone,
        *,
        id: str = "",
        weekly: Weekly | None = None,
        closed_dates: Mapping[date, str] | Iterable[date] = (),
        country: str = "",
        subdivision: str = "",
        round_the_clock: bool = False,
        maintenance: Iterable[MaintenanceWindow] = (),
        schedule: Schedule | None = None,
        special: Mapping[date, tuple[str, Sequence[tuple[int, int]]]] | None = None,
        yearly: Mapping[tuple[int, int], tuple[str, Sequence[tuple[int, int]]]] | None = None,
        worked: Iterable[str] = (),
        source: Callable[[int, int], Iterable[tuple[int, int]]] | None = None,
        members: Sequence[Calendar] = (),
    ) -> None:
        self.name = name
        self.schedule = schedule
        """The schedule this calendar was made from (None for the built-in 24x7 clock)."""
        self.id = id
        self.zone: ZoneInfo = get_zone(zone)
        self.round_the_clock = round_the_clock
        self.maintenance = tuple(maintenance)
        """Maintenance windows, for reporting; they never close the calendar."""
        self.country = country
        self.subdivision = subdivision
        weekly = weekly or tuple(() for _ in WEEKDAYS)
        self._segments = tuple(tuple((a * _SECOND_US, b * _SECOND_US) for a, b in day) for day in weekly)
        """Per weekday, the open (start, end) microseconds after local midnight."""
        self._closed: dict[date, str] = (
            dict(closed_dates) if isinstance(closed_dates, Mapping) else dict.fromkeys(closed_dates, "")
        )
        """Listed closed dates with their names ("" when given as bare dates)."""
        self._special = {
            day: (label, tuple((a * _SECOND_US, b * _SECOND_US) for a, b in _merge(segments)))
            for day, (label, segments) in (special or {}).items()
        }
        """Date-specific hours: per local date, its name and open (start, end) microseconds after midnight."""
        self._yearly = {
            key: (label, tuple((a * _SECOND_US, b * _SECOND_US) for a, b in _merge(segments)))
            for key, (label, segments) in (yearly or {}).items()
        }
        """The same per (month, day), every year; a date's own entry wins."""
        self.worked = tuple(worked)
        """Country holidays that are worked: names (matched case-insensitively) or ISO dates."""
        self._source = source
        """Open UTC intervals in [lo, hi), when the open time is not weekly hours in the zone (spans, unions)."""
        self.members = tuple(members)
        """The calendars a union joins (empty otherwise)."""
        self._country_years: dict[int | None, dict[date, str]] = {}
        self._years: dict[int, _Year] = {}
        self._special_index: dict[int, list[tuple[date, tuple[str, tuple[tuple[int, int], ...]]]]] | None = None
        self._closed_index: dict[int, set[int]] | None = None
        self._worst: dict[tuple[Duration, int, int], timedelta] = {}
        self._peaks: dict[tuple[int, int, int, int], tuple[_Year, int]] = {}
        """:meth:`_peak` by the hash of a year's shape, with the year it was worked out for."""
        if subdivision and not country:
            raise CalendarError(f"holidays name the subdivision '{subdivision}' but no country")
        if country:
            self._check_country()
        has_special = any(segments for _, segments in [*self._special.values(), *self._yearly.values()])
        if not round_the_clock and not any(weekly) and source is None and not has_special:
            raise CalendarError(f"'{id or name}' has no open hours, so its clock never runs")

    def __repr__(self) -> str:
        kind = "24x7" if self.round_the_clock else "business"
        return f"<Calendar {self.id or self.name!r} {kind} {self.zone.key}>"

    # construction

    @classmethod
    def always(cls, zone: Zone = "UTC") -> Calendar:
        """The built-in 24x7 clock, shown in ``zone``."""
        return cls("24x7", zone, id=ALWAYS, round_the_clock=True)

    @classmethod
    def for_schedule(cls, schedule: Schedule, members: Sequence[Calendar] = ()) -> Calendar:
        """The calendar of a schedule; CalendarError if it cannot be one.

        A schedule that ``combines`` others needs their calendars as ``members`` (in order);
        a ``by_region`` schedule is no calendar by itself (see :func:`calendars`).
        """
        if schedule.by_region:
            raise CalendarError(f"'{schedule.id}' depends on the customer's region; pick the region's schedule")
        if schedule.combines and len(members) != len(schedule.combines):
            raise CalendarError(f"'{schedule.id}' combines other schedules; their calendars are needed")
        holidays = schedule.holidays
        closed: dict[date, str] = {}
        for holiday in holidays.dates:
            try:
                day = holiday.date if isinstance(holiday.date, date) else date.fromisoformat(str(holiday.date))
            except ValueError:
                raise CalendarError(f"'{holiday.date}' is not a date written YYYY-MM-DD") from None
            closed.setdefault(day, holiday.name)
        special: dict[date, tuple[str, list[tuple[int, int]]]] = {}
        yearly: dict[tuple[int, int], tuple[str, list[tuple[int, int]]]] = {}
        for entry in schedule.special_hours:
            segments = [_day_segment(r.opens, r.closes) for r in entry.hours]
            if entry.date:
                try:
                    day = date.fromisoformat(str(entry.date))
                except ValueError:
                    raise CalendarError(f"'{entry.date}' is not a date written YYYY-MM-DD") from None
                special.setdefault(day, (entry.name, segments))
            else:
                try:
                    month, day_of_month = (int(part) for part in str(entry.yearly).split("-"))
                    date(2000, month, day_of_month)  # a leap year: 02-29 is a date (in leap years)
                except ValueError:
                    raise CalendarError(f"'{entry.yearly}' is not a month and day written MM-DD") from None
                yearly.setdefault((month, day_of_month), (entry.name, segments))
        has_holidays = bool(closed or holidays.country or special or yearly)
        weekly: Weekly | None
        source = None
        if schedule.combines:
            if any(member.round_the_clock for member in members) and not has_holidays:
                return cls(
                    schedule.name,
                    schedule.timezone,
                    id=schedule.id,
                    round_the_clock=True,
                    maintenance=schedule.maintenance,
                    schedule=schedule,
                    members=members,
                )
            weekly, source = None, _union(members)
        elif schedule.spans:
            weekly, source = None, _spans(schedule.spans, schedule.timezone)
        elif schedule.always_open:
            weekly = _weekly([WeeklyInterval.of(WEEKDAYS, "00:00", "24:00")])
        else:
            weekly = _weekly(WeeklyInterval.of(h.days, h.opens, h.closes) for h in schedule.hours)
        return cls(
            schedule.name,
            schedule.timezone,
            id=schedule.id,
            weekly=weekly,
            closed_dates=closed,
            country=holidays.country,
            subdivision=holidays.subdivision,
            round_the_clock=schedule.always_open and not has_holidays,
            maintenance=schedule.maintenance,
            schedule=schedule,
            special=special,
            yearly=yearly,
            worked=holidays.except_,
            source=source,
            members=members,
        )

    # holidays

    def _check_country(self) -> None:
        """CalendarError unless the holidays package knows the country and subdivision."""
        try:
            known = _holiday_entity(self.country).subdivisions
        except NotImplementedError:
            import holidays

            close = difflib.get_close_matches(self.country, sorted(holidays.list_supported_countries()), n=1)
            hint = f" (did you mean {close[0]}?)" if close else ""
            raise CalendarError(f"the holidays package does not know the country '{self.country}'{hint}") from None
        if self.subdivision and known and self.subdivision not in known:
            raise CalendarError(
                f"'{self.subdivision}' is not a subdivision of {self.country} the holidays "
                f"package knows; it knows {', '.join(known)}"
            )
        self._country_holidays(None)

    def _country_holidays(self, year: int | None) -> Mapping[date, str]:
        """The country's holidays in ``year`` (None: none, to check that the package accepts the country)."""
        if year not in self._country_years:
            try:
                found = _country_year(self.country, self.subdivision, year)
            except (NotImplementedError, KeyError, ValueError) as exc:
                raise CalendarError(
                    f"holidays for {self.country}{'-' + self.subdivision if self.subdivision else ''}: {exc}"
                ) from None
            worked = {text.casefold() for text in self.worked}
            self._country_years[year] = {
                day: name
                for day, name in found.items()
                if day.isoformat() not in worked and not worked & {part.strip().casefold() for part in name.split(";")}
            }
        return self._country_years[year]

    def is_holiday(self, day: date) -> bool:
        """Whether the local date ``day`` is closed all day by a holiday (special hours win over holidays)."""
        if self.special_hours(day) is not None:
            return False
        return day in self._closed or (bool(self.country) and day in self._country_holidays(day.year))

    def cut(self, day: date) -> bool:
        """Whether the weekly hours do not run on the local date ``day``: a holiday, or a date with special hours."""
        return self.special_hours(day) is not None or self.is_holiday(day)

    def holidays_in(self, year: int) -> list[tuple[date, str]]:
        """The closed dates of ``year`` with their names, by date: the listed dates and the country's,
        less the worked ones and the dates with special hours.

        A listed date keeps its own name when it is also a public holiday.
        """
        named = dict(self._country_holidays(year)) if self.country else {}
        named.update((day, name) for day, name in self._closed.items() if day.year == year)
        return sorted((day, name) for day, name in named.items() if self.special_hours(day) is None)

    def special_hours(self, day: date) -> tuple[str, tuple[tuple[int, int], ...]] | None:
        """The name and open (start, end) microseconds after midnight of ``day``'s special hours, or None."""
        found = self._special.get(day)
        if found is None and self._yearly:
            found = self._yearly.get((day.month, day.day))
        return found

    def special_in(self, year: int) -> list[tuple[date, str, tuple[tuple[int, int], ...]]]:
        """The dates of ``year`` with special hours: (date, name, open microseconds after midnight)."""
        found = [(day, *entry) for day, entry in self._special.items() if day.year == year]
        taken = {day for day, *_ in found}
        for (month, day_of_month), entry in self._yearly.items():
            try:
                day = date(year, month, day_of_month)
            except ValueError:
                continue  # 29 February in a common year
            if day not in taken:
                found.append((day, *entry))
        return sorted(found)

    # open time, one local year at a time

    def _year(self, number: int) -> _Year:
        found = self._years.get(number)
        if found is None:
            found = self._years[number] = self._build_year(number)
        return found

    def _build_year(self, number: int) -> _Year:
        """Local year ``number``: on days whose offset is the same all day, wall-clock times are a fixed shift."""
        if not 1 <= number <= 9998:
            raise _outside(f"the year {number}")
        zone = self.zone
        first = date(number, 1, 1).toordinal()
        walls, _, midnights = _zone_days(zone, number)
        unsteady, shifts = _zone_shifts(zone, number)
        count = len(midnights) - 1
        special = self._special_days(number)
        listed = self._listed_days(number)
        country: set[int] | None = None

        def holiday(day: int) -> bool:
            """Whether the day is a holiday (:meth:`is_holiday`, for a day without special hours)."""
            nonlocal country
            if day in listed:
                return True
            if not self.country:
                return False
            if country is None:
                country = {d.toordinal() - first for d in self._country_holidays(number) if d.year == number}
            return day in country

        closed: set[int] | None = listed  # the days holiday() says are closed, when known up front
        if self.country:
            try:
                closed = listed | {d.toordinal() - first for d in self._country_holidays(number) if d.year == number}
            except CalendarError:
                closed = None  # raised where a day needs the country's holidays, as holiday() does
        weekly, source = self._segments, self._source
        starts, ends = array("q"), array("q")
        opens: list[int | None] = []
        closes: list[int | None] = []
        open_days: list[int] = []
        opened = _merge(source(midnights[0], midnights[-1])) if source else []
        piece = 0  # the first of ``opened`` that ends after the day's midnight
        for day in range(count):
            segments = special.get(day)
            if segments is None and source is None:  # most days: their weekday's hours from their midnight
                segments = weekly[(first + day - 1) % 7]
                if not segments:
                    opens.append(None)
                    closes.append(None)
                    continue
                if day not in unsteady and not (day in closed if closed is not None else holiday(day)):
                    base = midnights[day]
                    opening = base + segments[0][0]
                    opens.append(opening)
                    closes.append(base + segments[-1][1])
                    open_days.append(day)
                    rest = segments
                    if ends and ends[-1] == opening:  # an interval running on past midnight
                        ends[-1] = base + segments[0][1]
                        rest = segments[1:]
                    for a, b in rest:
                        starts.append(base + a)
                        ends.append(base + b)
                    continue
                segments = None  # a holiday, or a change of offset: as below
            day_starts: list[int] = []
            day_ends: list[int] = []
            if segments is None and source is not None:  # the open UTC intervals of this local date
                lo, hi = midnights[day], midnights[day + 1]
                while piece < len(opened) and opened[piece][1] <= lo:
                    piece += 1
                if not holiday(day):
                    k = piece
                    while k < len(opened) and opened[k][0] < hi:
                        day_starts.append(max(opened[k][0], lo))
                        day_ends.append(min(opened[k][1], hi))
                        k += 1
            else:
                if segments is None:
                    segments = weekly[(first + day - 1) % 7]
                    if segments and holiday(day):
                        segments = ()
                if not segments:
                    pass
                elif day not in unsteady:
                    base = midnights[day]
                    day_starts, day_ends = [base + a for a, _ in segments], [base + b for _, b in segments]
                else:
                    pieces = _merge(
                        [(_from_wall(zone, walls[day] + a), _from_wall(zone, walls[day] + b)) for a, b in segments]
                    )
                    day_starts, day_ends = [a for a, _ in pieces], [b for _, b in pieces]
            if not day_starts:
                opens.append(None)
                closes.append(None)
                continue
            opens.append(day_starts[0])
            closes.append(day_ends[-1])
            open_days.append(day)
            runs_on = bool(ends) and ends[-1] == day_starts[0]  # an interval running on past midnight
            if runs_on:
                ends[-1] = day_ends[0]
            starts.extend(day_starts[runs_on:])
            ends.extend(day_ends[runs_on:])
        return _Year(
            number,
            first,
            midnights,
            starts,
            ends,
            array("q", accumulate(map(sub, ends, starts), initial=0)),
            opens,
            closes,
            open_days,
            dict(shifts),
        )

    def _special_days(self, number: int) -> dict[int, tuple[tuple[int, int], ...]]:
        """The days of local year ``number`` with special hours (:meth:`special_hours`), by day of the year."""
        first = date(number, 1, 1).toordinal()
        found: dict[int, tuple[tuple[int, int], ...]] = {}
        for (month, day_of_month), (_, segments) in self._yearly.items():
            try:
                found[date(number, month, day_of_month).toordinal() - first] = segments
            except ValueError:
                continue  # 29 February in a common year
        for day, (_, segments) in self._dated_by_year().get(number, ()):
            found[day.toordinal() - first] = segments  # a date's own entry wins over a yearly one
        return found

    def _dated_by_year(self) -> dict[int, list[tuple[date, tuple[str, tuple[tuple[int, int], ...]]]]]:
        if self._special_index is None:
            self._special_index = {}
            for day, entry in self._special.items():
                self._special_index.setdefault(day.year, []).append((day, entry))
        return self._special_index

    def _listed_days(self, number: int) -> set[int]:
        """The days of local year ``number`` that ``holidays.dates`` closes, by day of the year."""
        if self._closed_index is None:
            self._closed_index = {}
            for day in self._closed:
                self._closed_index.setdefault(day.year, set()).add(day.toordinal())
        first = date(number, 1, 1).toordinal()
        return {ordinal - first for ordinal in self._closed_index.get(number, ())}

    def _locate(self, t: int) -> tuple[_Year, int]:
        """The year and day of instant ``t``'s local date."""
        day = (_EPOCH + timedelta(microseconds=t)).astimezone(self.zone).date()
        year = self._year(day.year)
        return year, day.toordinal() - year.ordinal

    def _beyond(self, t: int, duration: Duration | None = None) -> CalendarError:
        when = _instant(t)
        when_text = f"{when.date().isoformat()} {when:%H:%M} UTC"
        if duration is None:
            return CalendarError(
                f"'{self.id or self.name}' has no open time for more than five years after {when_text}"
            )
        return CalendarError(
            f"{duration} on '{self.id or self.name}' from {when_text} falls due more than five years later"
        )

    def _following(self, year: _Year, t: int, duration: Duration | None = None) -> _Year:
        """The year after ``year``, when it starts within the horizon of filing instant ``t``."""
        if year.midnights[-1] > t + _HORIZON_US:
            raise self._beyond(t, duration)
        return self._year(year.year + 1)

    def _next_open(self, t: int) -> int:
        year, _ = self._locate(t)
        i = bisect_right(year.ends, t)
        while i == len(year.ends):
            year, i = self._following(year, t), 0
        opening = max(year.starts[i], t)
        if opening > t + _HORIZON_US:
            raise self._beyond(t)
        return opening

    def _reach(self, year: _Year, target: int, t: int, duration: Duration) -> int:
        """The instant where the open time counted from the start of ``year`` reaches ``target``."""
        while target > year.before[-1]:
            target -= year.before[-1]
            year = self._following(year, t, duration)
        i = bisect_left(year.before, target, 1) - 1
        due = year.ends[i] - (year.before[i + 1] - target)
        if due > t + _HORIZON_US:
            raise self._beyond(t, duration)
        return due

    def _open_day(self, year: _Year, day: int, n: int, t: int, duration: Duration) -> tuple[_Year, int]:
        """The n-th open day after ``day`` (``day`` itself when n is 0)."""
        if n == 0:
            return year, day
        index = bisect_right(year.open_days, day) + n - 1
        while index >= len(year.open_days):
            index -= len(year.open_days)
            year = self._following(year, t, duration)
        return year, year.open_days[index]

    # the public questions

    def is_open(self, instant: datetime) -> bool:
        """Whether the clock runs at ``instant`` (open at an opening, closed at a closing)."""
        t = _as_us(instant)
        if self.round_the_clock:
            return True
        year, _ = self._locate(t)
        i = bisect_right(year.starts, t) - 1
        return i >= 0 and t < year.ends[i]

    def next_open(self, instant: datetime) -> datetime:
        """The first open instant at or after ``instant`` (UTC): ``instant`` itself when open."""
        t = _as_us(instant)
        return _instant(t if self.round_the_clock else self._next_open(t), f"the opening after {instant.isoformat()}")

    def open_intervals(self, start: datetime, end: datetime) -> Iterator[tuple[datetime, datetime]]:
        """The open intervals between ``start`` and ``end``: UTC, merged, clipped to the range."""
        lo, hi = _as_us(start), _as_us(end)
        if hi <= lo:
            return
        for a, b in [(lo, hi)] if self.round_the_clock else self._intervals(lo, hi):
            yield _instant(a), _instant(b)

    def _intervals(self, lo: int, hi: int) -> Iterator[tuple[int, int]]:
        current: tuple[int, int] | None = None
        for number in range(self._locate(lo)[0].year, self._locate(hi)[0].year + 1):
            year = self._year(number)
            starts, ends = year.starts, year.ends
            i = bisect_right(ends, lo)
            while i < len(starts) and starts[i] < hi:
                a, b = max(starts[i], lo), min(ends[i], hi)
                if current is not None and a <= current[1]:
                    current = (current[0], b)
                else:
                    if current is not None:
                        yield current
                    current = (a, b)
                i += 1
        if current is not None:
            yield current

    def uncovered(self, other: Calendar, start: datetime, end: datetime) -> datetime | None:
        """The first instant in [start, end) when ``other`` is open and this calendar is not, or None."""
        lo, hi = _as_us(start), _as_us(end)
        if self.round_the_clock or other is self or hi <= lo:
            return None
        covering = self._intervals(lo, hi)
        current = next(covering, None)
        for opens, closes in [(lo, hi)] if other.round_the_clock else other._intervals(lo, hi):
            t = opens
            while t < closes:
                while current is not None and current[1] <= t:
                    current = next(covering, None)
                if current is None or current[0] > t:
                    return _instant(t)
                t = current[1]
        return None

    def add(self, start: datetime, duration: Duration | str) -> datetime:
        """The due time (UTC) of ``duration`` on this clock for a ticket filed at ``start``."""
        if isinstance(duration, str):
            duration = Duration.parse(duration)
        return _instant(self._add(_as_us(start), duration), f"the due time of {duration} from {start.isoformat()}")

    def _add(self, t: int, duration: Duration) -> int:
        length = duration.minutes * _MINUTE_US
        if self.round_the_clock:
            return t + length
        if duration.amount == 0:
            return self._next_open(t)
        if duration.unit in ("m", "h"):
            year, _ = self._locate(t)
            i = bisect_right(year.ends, t)
            position = year.before[i] + (max(0, t - year.starts[i]) if i < len(year.starts) else 0)
            return self._reach(year, position + length, t, duration)
        if duration.unit == "d":
            return self._add_days(t, duration)
        return self._next_open(t) + length

    def _add_days(self, t: int, duration: Duration) -> int:
        local = (_EPOCH + timedelta(microseconds=t)).astimezone(self.zone)
        year = self._year(local.year)
        day = local.toordinal() - year.ordinal
        i = bisect_right(year.starts, t) - 1
        if i >= 0 and t < year.ends[i]:
            target, due_day = self._open_day(year, day, duration.amount, t, duration)
            wall = ((local.hour * 60 + local.minute) * 60 + local.second) * _SECOND_US + local.microsecond
            opening, closing = target.span(due_day)
            due = min(max(_from_wall(self.zone, target.wall(due_day) + wall), opening), closing)
        else:
            year, day = self._locate(self._next_open(t))
            target, due_day = self._open_day(year, day, duration.amount - 1, t, duration)
            due = target.span(due_day)[1]
        if due > t + _HORIZON_US:
            raise self._beyond(t, duration)
        return due

    # worst case

    def worst_wait(self, duration: Duration | str, start: datetime, end: datetime) -> timedelta:
        """The longest wait, max of add(t, duration) − t over filing instants t in [start, end)."""
        if isinstance(duration, str):
            duration = Duration.parse(duration)
        lo, hi = _as_us(start), _as_us(end)
        if hi <= lo:
            return timedelta(0)
        key = (duration, lo, hi)
        if key not in self._worst:
            if self.round_the_clock:
                wait = duration.minutes * _MINUTE_US
            elif duration.unit == "d" and duration.amount:
                wait = max(
                    self._add_days(t, duration) - t for t in self._day_candidates(duration, lo, hi) if lo <= t < hi
                )
            else:
                wait = self._worst_open_time(duration, lo, hi)
            try:
                self._worst[key] = timedelta(microseconds=wait)
            except OverflowError:
                raise _outside(f"a wait of {duration}") from None
        return self._worst[key]

    def _worst_open_time(self, duration: Duration, lo: int, hi: int) -> int:
        """The worst wait of m, h, w or a zero duration: at the window's ends or a closing instant."""
        length = duration.minutes * _MINUTE_US
        counted = duration.unit in ("m", "h") and duration.amount > 0
        worst = max(self._add(t, duration) - t for t in {lo, max(lo, hi - _MINUTE_US)})
        for number in range(self._locate(lo)[0].year, self._locate(hi)[0].year + 1):
            year = self._year(number)
            ends, before = year.ends, year.before
            first, last = bisect_left(ends, lo), bisect_left(ends, hi)
            if not counted:
                spills = first
            else:
                # Closing i is due at ends[j] - before[j + 1] + before[i + 1] + length, where j + 1
                # is the first index with before[j + 1] >= before[i + 1] + length: with
                # closed[k] = ends[k - 1] - before[k], its wait is closed[j + 1] - closed[i + 1] + length.
                spills = max(first, bisect_right(before, before[-1] - length, first + 1, last + 1) - 1)
                if spills > first:
                    worst = max(worst, self._peak(year, first, spills, length) + length)
            for i in range(spills, last):  # the rest: due in a later year, or (w, 0) at the next opening
                closing = ends[i]
                due = (
                    self._reach(year, before[i + 1] + length, closing, duration)
                    if counted
                    else self._next_open(closing) + length
                )
                worst = max(worst, due - closing)
        return worst

    def _peak(self, year: _Year, first: int, spills: int, length: int) -> int:
        """The most closed time a closing i in [first, spills) of ``year`` waits through until
        open time ``length`` has passed, within the year: max of closed[j + 1] - closed[i + 1].

        Only differences within the year count, so years of the same shape (as most are in
        the 28-year window: a weekday pattern and its holidays come back) have the same peak,
        which is worked out once per shape.
        """
        key = (year.shape, first, spills, length)
        if key in self._peaks:
            seen, known = self._peaks[key]
            if seen is year or seen.same_shape(year):  # not two shapes of one hash
                return known
        closed = [0, *map(sub, year.ends, year.before[1:])]  # see _worst_open_time
        probed = list(year.before)  # bisect reads a list faster than an array
        targets = map(add, probed[first + 1 : spills + 1], repeat(length))
        dues = map(closed.__getitem__, map(bisect_left, repeat(probed), targets))
        peak: int = max(map(sub, dues, closed[first + 1 : spills + 1]))
        self._peaks[key] = year, peak
        return peak

    def _day_candidates(self, duration: Duration, lo: int, hi: int) -> set[int]:
        """The filing instants where the wait of ``duration`` (in d) can peak; see the module's docstring."""
        found = {lo, max(lo, hi - _MINUTE_US), self._next_open(lo)}
        (first, first_day), (last, last_day) = self._locate(lo), self._locate(hi - 1)
        for number in range(first.year, last.year + 1):
            year = self._year(number)
            starts, ends = year.starts, year.ends
            for day in range(first_day if year is first else 0, last_day + 1 if year is last else len(year.opens)):
                if day in year.shifts:
                    found.add(year.shifts[day][0])
                    i = bisect_right(ends, year.midnights[day])
                    while i < len(starts) and starts[i] < year.midnights[day + 1]:
                        found.update((starts[i], ends[i]))
                        i += 1
                opening = year.opens[day]
                if opening is None:
                    continue
                found.update(year.span(day))
                target, due_day = self._open_day(year, day, duration.amount, opening, duration)
                if due_day in target.shifts:  # the due date's wall clock jumps at its change of offset
                    instant, *offsets = target.shifts[due_day]
                    found.update(
                        _from_wall(self.zone, year.wall(day) + (instant + offset) % _DAY_US) for offset in offsets
                    )
        return found


# --- policies --------------------------------------------------------------------------------------


@lru_cache(maxsize=256)
def _schedule_calendar(schedule: Schedule, members: tuple[Calendar, ...] = ()) -> Calendar:
    return Calendar.for_schedule(schedule, members)


@lru_cache(maxsize=64)
def _always(zone: str) -> Calendar:
    return Calendar.always(zone)


def schedule_calendar(policy: PolicySet, schedule: Schedule, _within: tuple[str, ...] = ()) -> Calendar:
    """The calendar of a schedule that is not ``by_region``, with the members of a union resolved."""
    if not schedule.combines:
        return _schedule_calendar(schedule)
    if schedule.id in _within:
        raise CalendarError(f"'{schedule.id}' combines itself: {' → '.join([*_within, schedule.id])}")
    members = []
    for member_id in schedule.combines:
        member = policy.schedule(member_id)
        if member is None:
            raise CalendarError(f"'{schedule.id}' combines '{member_id}', but no schedule has that id")
        if member.by_region:
            raise CalendarError(f"'{schedule.id}' combines '{member_id}', which depends on the customer's region")
        members.append(schedule_calendar(policy, member, (*_within, schedule.id)))
    return _schedule_calendar(schedule, tuple(members))


def regions(policy: PolicySet, clock: str) -> tuple[str, ...]:
    """The regions ``clock`` depends on, as written (empty unless it is a ``by_region`` schedule)."""
    schedule = policy.schedule(clock) if clock != ALWAYS else None
    return tuple(entry.region for entry in schedule.by_region) if schedule else ()


def calendar_for(policy: PolicySet, clock: str, region: str | None = None) -> Calendar:
    """The calendar of ``clock``: 24x7 in the organization's zone, or a schedule's.

    A ``by_region`` schedule needs the customer's ``region`` (matched case-insensitively) and
    gives that region's schedule; ``region`` is ignored by every other clock.
    """
    if clock == ALWAYS:
        return _always(home_zone(policy))
    schedule = policy.schedule(clock)
    if schedule is None:
        raise CalendarError(f"no schedule has the id '{clock}'")
    if schedule.by_region:
        known = regions(policy, clock)
        if region is None:
            raise CalendarError(f"'{clock}' depends on the customer's region ({', '.join(known)}); name the region")
        entry = next((e for e in schedule.by_region if e.region.casefold() == region.casefold()), None)
        if entry is None:
            raise CalendarError(f"'{clock}' has no hours for the region '{region}'; it knows {', '.join(known)}")
        member = policy.schedule(entry.schedule)
        if member is None:
            raise CalendarError(f"'{clock}' names '{entry.schedule}' for {entry.region}, but no schedule has that id")
        if member.by_region:
            raise CalendarError(
                f"'{clock}' names '{entry.schedule}' for {entry.region}, which depends on a region itself"
            )
        return schedule_calendar(policy, member)
    return schedule_calendar(policy, schedule)


def calendars(policy: PolicySet, clock: str) -> dict[str | None, Calendar]:
    """Every calendar ``clock`` can mean: ``{None: calendar}``, or for a ``by_region`` schedule one per region.

    For rules that must hold whatever the customer's region (worst cases, coverage).
    """
    known = regions(policy, clock)
    if not known:
        return {None: calendar_for(policy, clock)}
    return {region: calendar_for(policy, clock, region) for region in known}


def due(policy: PolicySet, promise: Promise, filed_at: datetime, region: str | None = None) -> datetime:
    """When ``promise`` falls due (UTC) for a ticket filed at ``filed_at``: its upper bound."""
    return calendar_for(policy, promise.clock, region).add(filed_at, promise.within.max)


def worst_case(policy: PolicySet, promise: Promise, start: datetime, end: datetime) -> timedelta:
    """The longest wait for ``promise`` over filing instants in [start, end), whatever the region."""
    return max(cal.worst_wait(promise.within.max, start, end) for cal in calendars(policy, promise.clock).values())


@dataclass(frozen=True)
class Deadline:
    """The answer to "when is the response due?" for one filing instant (all times UTC)."""

    promise: Promise
    calendar: Calendar
    filed_at: datetime
    starts_at: datetime
    """When the clock starts running: the filing instant, or the next opening."""
    due: datetime
    typically_from: datetime | None = None
    """The lower bound of a range ("minutes, at most 2 hours"), when one is given."""


def deadline(policy: PolicySet, promise: Promise, filed_at: datetime, region: str | None = None) -> Deadline:
    """Everything the ``deadline`` command shows, for ``promise`` filed at ``filed_at`` (by a customer
    in ``region``, for a clock that depends on it)."""
    cal = calendar_for(policy, promise.clock, region)
    filed = _instant(_as_us(filed_at))
    lower = cal.add(filed, promise.within.min) if promise.within.min else None
    return Deadline(promise, cal, filed, cal.next_open(filed), cal.add(filed, promise.within.max), lower)
