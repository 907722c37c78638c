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

Holidays
    Each date in ``holidays.dates`` closes the whole local day (00:00 to 24:00 in the
    schedule's zone), cutting through overnight intervals. ``holidays.country`` (with an
    optional ``subdivision``) closes every public holiday the ``holidays`` package lists
    for that country, including "observed" days. An unknown country or subdivision raises
    :class:`CalendarError`. Maintenance windows are not closures: support is staffed
    during them, so they are reported, never subtracted.

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

    A zero duration is due at the next opening. A walk that needs more than about five
    years of calendar (a schedule whose every day is a holiday, or an absurd duration)
    stops with :class:`CalendarError`, as does a schedule without any open hours.

Worst case
    :func:`worst_case` is the longest a customer can wait for a promise, over filing
    instants in a window: max over t of due(t) − t. It evaluates a handful of candidate
    instants instead of sampling, and is exact:

    * ``m``/``h`` (and ``w``): while t moves through closed time, due(t) stays put (the
      clock waits for the next opening), so the wait shrinks; while t moves through open
      time, every minute later the ticket is filed removes one open minute at the front
      and needs at least one more real minute at the back, so the wait never shrinks.
      The wait therefore peaks at a closing instant (the first closed moment), at the
      window's start, or in its last minute.
    * ``d``: between the instants where the filing date, the filing's UTC offset or the
      open/closed state change, the wait is flat (due time moves with t) or shrinks (due
      time held at the day's first opening or closing time). It jumps up only at those
      instants, and where the due time jumps past a repeated (fall-back) hour of the due
      date. The candidates are the window's start, every interval and day boundary, every
      UTC-offset change, and for each open day the filing-day instants whose wall-clock
      time matches a change of offset on the due date.

    A year of weekly hours takes a few milliseconds.
"""

from __future__ import annotations

import difflib
from dataclasses import dataclass
from datetime import date, datetime, timedelta, timezone
from functools import lru_cache
from typing import Iterator, Mapping, Optional, Union
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError, available_timezones

from .model import ALWAYS, WEEKDAYS, Duration, PolicySet, Promise, Schedule, minutes_of_day

UTC = timezone.utc
DAY = timedelta(days=1)
MINUTE = timedelta(minutes=1)
HORIZON_DAYS = 5 * 366
"""How far a walk through a calendar may go before it gives up (about five years)."""

Zone = Union[str, ZoneInfo]


class CalendarError(ValueError):
    """A schedule cannot be used as a calendar, or a walk through it never ends."""


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
    close = difflib.get_close_matches(str(zone), sorted(known), n=1) or sorted(
        z for z in known if z.lower() == str(zone).lower() or z.endswith("/" + str(zone).split("/")[-1]))[:1]
    hint = f" (did you mean {close[0]}?)" if close else " (use an IANA zone such as America/Chicago)"
    raise CalendarError(f"'{zone}' is not a known time zone{hint}")


def _as_utc(instant: datetime) -> datetime:
    if not isinstance(instant, datetime):
        raise TypeError(f"expected a datetime, got {type(instant).__name__}")
    if instant.tzinfo is None or instant.utcoffset() is None:
        raise CalendarError(f"{instant.isoformat()} has no time zone; calendars need aware datetimes")
    return instant.astimezone(UTC)


def localize(naive: datetime, zone: Zone) -> datetime:
    """The instant (aware, UTC) of the wall-clock time ``naive`` in ``zone``.

    A time in a spring-forward gap moves forward to the first instant that exists (the
    moment of the change); a repeated fall-back time means its first occurrence.
    """
    zone = get_zone(zone)
    naive = naive.replace(tzinfo=None, fold=0)
    utc = naive.replace(tzinfo=zone).astimezone(UTC)
    if utc.astimezone(zone).replace(tzinfo=None) == naive:
        return utc
    # In a gap: fold=1 applies the offset after the change (an instant before it), fold=0
    # the offset before (an instant after it). The change lies between; find its second.
    lo = int(naive.replace(tzinfo=zone, fold=1).timestamp())
    hi = int(utc.timestamp())
    before = datetime.fromtimestamp(lo, zone).utcoffset()
    while hi - lo > 1:
        mid = (lo + hi) // 2
        if datetime.fromtimestamp(mid, zone).utcoffset() == before:
            lo = mid
        else:
            hi = mid
    return datetime.fromtimestamp(hi, UTC)


def _minutes(text: str) -> int:
    """``"08:00"`` → 480; ``"24:00"`` → 1440."""
    try:
        return minutes_of_day(text)
    except ValueError:
        raise CalendarError(f"'{text}' is not a time of day written HH:MM, between 00:00 and 24:00") from None


def _merge(segments):
    """Sorted, merged (start, end) pairs; empty ones dropped."""
    merged: list[list] = []
    for start, end in sorted(s for s in segments if s[0] < s[1]):
        if merged and start <= merged[-1][1]:
            merged[-1][1] = max(merged[-1][1], end)
        else:
            merged.append([start, end])
    return [tuple(s) for s in merged]


def _weekly(rules) -> tuple[tuple[tuple[int, int], ...], ...]:
    """Per weekday (Monday = 0), the open minutes of that local date, within 0–1440.

    ``rules`` are (days, opens, closes) as written; overnight intervals spill into the
    next weekday.
    """
    days: list[list[tuple[int, int]]] = [[] for _ in WEEKDAYS]
    for names, opens, closes in rules:
        start, end = _minutes(opens), _minutes(closes)
        if end == start:
            continue  # empty
        if end < start:
            end += 1440
        for name in names:
            weekday = WEEKDAYS.index(name)
            days[weekday].append((start, min(end, 1440)))
            if end > 1440:
                days[(weekday + 1) % 7].append((max(start - 1440, 0), end - 1440))
    return tuple(tuple((a * 60, b * 60) for a, b in _merge(day)) for day in days)


# --- the calendar --------------------------------------------------------------------------------


class Calendar:
    """When a clock runs: open intervals in a zone, minus holidays; or every hour (24x7)."""

    def __init__(self, name: str, zone: Zone, *, id: str = "", weekly=None, closed_dates=(),
                 country: str = "", subdivision: str = "", round_the_clock: bool = False, maintenance=(),
                 schedule: Optional[Schedule] = None):
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
        self._weekly = weekly or tuple(() for _ in WEEKDAYS)
        self._closed: dict[date, str] = (dict(closed_dates) if isinstance(closed_dates, Mapping)
                                         else dict.fromkeys(closed_dates, ""))
        """Listed closed dates with their names ("" when given as bare dates)."""
        self._country_years: dict[int, dict[date, str]] = {}
        self._days: dict[date, tuple[tuple[datetime, datetime], ...]] = {}
        self._shifts: dict[date, tuple[tuple[datetime, timedelta, timedelta], ...]] = {}
        if subdivision and not country:
            raise CalendarError(f"holidays name the subdivision '{subdivision}' but no country")
        if country:
            self._country_holidays(date.today().year)  # fail early on an unknown country
        if not round_the_clock and not any(self._weekly):
            raise CalendarError(f"'{id or name}' has no open hours, so its clock never runs")

    def __repr__(self) -> str:
        kind = "24x7" if self.round_the_clock else "business"
        return f"<Calendar {self.id or self.name!r} {kind} {self.zone.key}>"

    # construction

    @classmethod
    def always(cls, zone: Zone = "UTC") -> "Calendar":
        """The built-in 24x7 clock, shown in ``zone``."""
        return cls("24x7", zone, id=ALWAYS, round_the_clock=True)

    @classmethod
    def for_schedule(cls, schedule: Schedule) -> "Calendar":
        """The calendar of a schedule; CalendarError if it cannot be one."""
        holidays = schedule.holidays
        closed: dict[date, str] = {}
        for holiday in holidays.dates:
            try:
                day = holiday.date if isinstance(holiday.date, date) else date.fromisoformat(str(holiday.date))
            except ValueError:
                raise CalendarError(f"'{holiday.date}' is not a date written YYYY-MM-DD") from None
            closed.setdefault(day, holiday.name)
        has_holidays = bool(closed or holidays.country)
        if schedule.always_open:
            weekly = _weekly([(WEEKDAYS, "00:00", "24:00")])
        else:
            weekly = _weekly([(h.days, h.opens, h.closes) for h in schedule.hours])
        return cls(schedule.name, schedule.timezone, id=schedule.id, weekly=weekly, closed_dates=closed,
                   country=holidays.country, subdivision=holidays.subdivision,
                   round_the_clock=schedule.always_open and not has_holidays, maintenance=schedule.maintenance,
                   schedule=schedule)

    def describe(self) -> str:
        """Which clock this is, in words: "Standard hours: only open hours count; Monday to Friday, …"."""
        from .wording import opening_hours

        if self.round_the_clock:
            return f"{self.name}: every hour counts ({self.zone.key})"
        hours = "; ".join(opening_hours(self.schedule)) if self.schedule else self.zone.key
        closed = []
        if self.country:
            closed.append(f"{self.country}{'-' + self.subdivision if self.subdivision else ''} public holidays")
        if self._closed:
            closed.append(f"{len(self._closed)} listed date{'s' if len(self._closed) != 1 else ''}")
        return f"{self.name}: only open hours count; {hours}" + (f"; closed on {' and '.join(closed)}" if closed else "")

    # holidays

    def _country_holidays(self, year: int) -> Mapping[date, str]:
        if year not in self._country_years:
            import holidays  # only schedules that name a country need the package

            supported = holidays.list_supported_countries()
            if self.country not in supported:
                close = difflib.get_close_matches(self.country, sorted(supported), n=1)
                hint = f" (did you mean {close[0]}?)" if close else ""
                raise CalendarError(f"the holidays package does not know the country '{self.country}'{hint}")
            known = supported[self.country]
            if self.subdivision and known and self.subdivision not in known:
                raise CalendarError(f"'{self.subdivision}' is not a subdivision of {self.country} the holidays "
                                    f"package knows; it knows {', '.join(known)}")
            try:
                found = holidays.country_holidays(self.country, subdiv=self.subdivision or None, years=year)
            except (NotImplementedError, KeyError, ValueError) as exc:
                raise CalendarError(f"holidays for {self.country}"
                                    f"{'-' + self.subdivision if self.subdivision else ''}: {exc}") from None
            self._country_years[year] = dict(found.items())
        return self._country_years[year]

    def is_holiday(self, day: date) -> bool:
        """Whether the local date ``day`` is closed all day by a holiday."""
        return day in self._closed or bool(self.country) and day in self._country_holidays(day.year)

    def holidays_in(self, year: int) -> list[tuple[date, str]]:
        """The closed dates of ``year`` with their names, by date: the listed dates and the country's.

        A listed date keeps its own name when it is also a public holiday.
        """
        named = dict(self._country_holidays(year)) if self.country else {}
        named.update((day, name) for day, name in self._closed.items() if day.year == year)
        return sorted(named.items())

    # open time, one local date at a time

    def _utc(self, day: date, seconds: Union[int, timedelta]) -> datetime:
        if not isinstance(seconds, timedelta):
            seconds = timedelta(seconds=seconds)
        return localize(datetime(day.year, day.month, day.day) + seconds, self.zone)

    def _day(self, day: date) -> tuple[tuple[datetime, datetime], ...]:
        """The open intervals within local date ``day`` (UTC, sorted, merged; empty when closed)."""
        found = self._days.get(day)
        if found is None:
            pieces = ()
            segments = self._weekly[day.weekday()]
            if segments and not self.is_holiday(day):
                pieces = tuple(_merge([(self._utc(day, a), self._utc(day, b)) for a, b in segments]))
            found = self._days[day] = pieces
        return found

    def _local_date(self, instant: datetime) -> date:
        return instant.astimezone(self.zone).date()

    def _pieces_from(self, t: datetime) -> Iterator[tuple[datetime, datetime]]:
        """Open intervals ending after ``t``, day by day (touching across midnight), without end."""
        day = self._local_date(t)
        limit = day + timedelta(days=HORIZON_DAYS)
        while True:
            for start, end in self._day(day):
                if end > t:
                    yield start, end
            day += DAY
            if day > limit:
                raise CalendarError(f"'{self.id or self.name}' has no open time for more than five years after "
                                    f"{t:%Y-%m-%d %H:%M} UTC")

    def _open_day(self, day: date, n: int) -> date:
        """The n-th local date after ``day`` that has open time (``day`` itself when n is 0)."""
        limit = day + timedelta(days=HORIZON_DAYS)
        while n > 0:
            day += DAY
            if day > limit:
                raise CalendarError(f"'{self.id or self.name}' has no open day for more than five years")
            if self._day(day):
                n -= 1
        return day

    # the public questions

    def is_open(self, instant: datetime) -> bool:
        """Whether the clock runs at ``instant`` (open at an opening, closed at a closing)."""
        t = _as_utc(instant)
        if self.round_the_clock:
            return True
        return any(start <= t < end for start, end in self._day(self._local_date(t)))

    def next_open(self, instant: datetime) -> datetime:
        """The first open instant at or after ``instant`` (UTC): ``instant`` itself when open."""
        t = _as_utc(instant)
        if self.round_the_clock:
            return t
        start, _ = next(self._pieces_from(t))
        return max(start, t)

    def open_intervals(self, start: datetime, end: datetime) -> Iterator[tuple[datetime, datetime]]:
        """The open intervals between ``start`` and ``end``: UTC, merged, clipped to the range."""
        lo, hi = _as_utc(start), _as_utc(end)
        if hi <= lo:
            return
        if self.round_the_clock:
            yield lo, hi
            return
        current = None
        day, last = self._local_date(lo), self._local_date(hi)
        while day <= last:
            for a, b in self._day(day):
                a, b = max(a, lo), min(b, hi)
                if a >= b:
                    continue
                if current and a <= current[1]:
                    current = (current[0], max(current[1], b))
                else:
                    if current:
                        yield current
                    current = (a, b)
            day += DAY
        if current:
            yield current

    def add(self, start: datetime, duration: Union[Duration, str]) -> datetime:
        """The due time (UTC) of ``duration`` on this clock for a ticket filed at ``start``."""
        if isinstance(duration, str):
            duration = Duration.parse(duration)
        t = _as_utc(start)
        if self.round_the_clock:
            return t + timedelta(minutes=duration.minutes)
        if duration.amount == 0:
            return self.next_open(t)
        if duration.unit in ("m", "h"):
            return self._add_open_time(t, timedelta(minutes=duration.minutes))
        if duration.unit == "d":
            return self._add_days(t, duration.amount)
        return self.next_open(t) + timedelta(days=7 * duration.amount)

    def _add_open_time(self, t: datetime, remaining: timedelta) -> datetime:
        for start, end in self._pieces_from(t):
            start = max(start, t)
            if start + remaining <= end:
                return start + remaining
            remaining -= end - start
        raise AssertionError("unreachable")  # pragma: no cover

    def _add_days(self, t: datetime, n: int) -> datetime:
        local = t.astimezone(self.zone)
        day = local.date()
        if any(a <= t < b for a, b in self._day(day)):
            target = self._open_day(day, n)
            wall = timedelta(hours=local.hour, minutes=local.minute, seconds=local.second,
                             microseconds=local.microsecond)
            pieces = self._day(target)
            return min(max(self._utc(target, wall), pieces[0][0]), pieces[-1][1])
        first = self._local_date(self.next_open(t))
        return self._day(self._open_day(first, n - 1))[-1][1]

    # worst case

    def _shifts_on(self, day: date) -> tuple[tuple[datetime, timedelta, timedelta], ...]:
        """UTC-offset changes during local date ``day``: (instant, offset before, offset after)."""
        found = self._shifts.get(day)
        if found is None:
            lo, hi = self._utc(day, 0), self._utc(day + DAY, 0)
            before, after = lo.astimezone(self.zone).utcoffset(), hi.astimezone(self.zone).utcoffset()
            found = ()
            if before != after:
                a, b = int(lo.timestamp()), int(hi.timestamp())
                while b - a > 1:
                    mid = (a + b) // 2
                    if datetime.fromtimestamp(mid, self.zone).utcoffset() == before:
                        a = mid
                    else:
                        b = mid
                found = ((datetime.fromtimestamp(b, UTC), before, after),)
            self._shifts[day] = found
        return found

    def worst_wait(self, duration: Union[Duration, str], start: datetime, end: datetime) -> timedelta:
        """The longest wait, max of add(t, duration) − t over filing instants t in [start, end)."""
        if isinstance(duration, str):
            duration = Duration.parse(duration)
        lo, hi = _as_utc(start), _as_utc(end)
        if hi <= lo:
            return timedelta(0)
        if self.round_the_clock:
            return timedelta(minutes=duration.minutes)
        candidates = {lo}
        if hi - MINUTE > lo:
            candidates.add(hi - MINUTE)
        days = duration.unit == "d" and duration.amount > 0
        day, last = self._local_date(lo), self._local_date(hi)
        while day <= last:
            for a, b in self._day(day):
                candidates.update((a, b))
            if days:
                candidates.update(instant for instant, _, _ in self._shifts_on(day))
                if self._day(day):
                    # the due date's wall clock jumps where its UTC offset changes
                    for instant, before, after in self._shifts_on(self._open_day(day, duration.amount)):
                        for offset in (before, after):
                            wall = (instant + offset).replace(tzinfo=None)
                            wall = wall - datetime(wall.year, wall.month, wall.day)
                            candidates.add(self._utc(day, wall))
            day += DAY
        return max(self.add(t, duration) - t for t in candidates if lo <= t < hi)


# --- policies --------------------------------------------------------------------------------------


@lru_cache(maxsize=256)
def _schedule_calendar(schedule: Schedule) -> Calendar:
    return Calendar.for_schedule(schedule)


@lru_cache(maxsize=64)
def _always(zone: str) -> Calendar:
    return Calendar.always(zone)


def home_zone(policy: PolicySet) -> str:
    """The organization's time zone, or UTC."""
    return policy.organization.timezone if policy.organization and policy.organization.timezone else "UTC"


def calendar_for(policy: PolicySet, clock: str) -> Calendar:
    """The calendar of ``clock``: 24x7 in the organization's zone, or a schedule's."""
    if clock == ALWAYS:
        return _always(home_zone(policy))
    schedule = policy.schedule(clock)
    if schedule is None:
        raise CalendarError(f"no schedule has the id '{clock}'")
    return _schedule_calendar(schedule)


def due(policy: PolicySet, promise: Promise, filed_at: datetime) -> datetime:
    """When ``promise`` falls due (UTC) for a ticket filed at ``filed_at``: its upper bound."""
    return calendar_for(policy, promise.clock).add(filed_at, promise.within.max)


def worst_case(policy: PolicySet, promise: Promise, start: datetime, end: datetime) -> timedelta:
    """The longest wait for ``promise`` over filing instants in [start, end)."""
    return calendar_for(policy, promise.clock).worst_wait(promise.within.max, start, end)


@dataclass(frozen=True)
class Deadline:
    """The answer to "when is the response due?" for one filing instant (all times UTC)."""

    promise: Promise
    calendar: Calendar
    filed_at: datetime
    starts_at: datetime
    """When the clock starts running: the filing instant, or the next opening."""
    due: datetime
    typically_from: Optional[datetime] = None
    """The lower bound of a range ("minutes, at most 2 hours"), when one is given."""

    def to_dict(self, provider: Zone, customer: Zone) -> dict:
        """The clock and every moment, each in the provider's zone, the customer's zone and UTC."""
        zones = {"provider": get_zone(provider), "customer": get_zone(customer), "utc": get_zone("UTC")}
        moments = {"filed_at": self.filed_at, "clock_starts": self.starts_at, "due": self.due,
                   "typically_from": self.typically_from}
        within = self.promise.within
        return {
            "within": {"max": str(within.max), "min": str(within.min) if within.min else None},
            "clock": {"id": self.promise.clock, "name": self.calendar.name, "zone": self.calendar.zone.key,
                      "round_the_clock": self.calendar.round_the_clock, "description": self.calendar.describe()},
            "zones": {"provider": zones["provider"].key, "customer": zones["customer"].key},
            **{name: None if value is None else {role: value.astimezone(zone).isoformat() for role, zone in zones.items()}
               for name, value in moments.items()},
        }

    def lines(self, provider: Zone, customer: Optional[Zone] = None) -> list[str]:
        """The answer as aligned lines of text, times in the provider's (and customer's) zone."""
        shown = [("provider", get_zone(provider))]
        if customer is not None and get_zone(customer).key != shown[0][1].key:
            shown.append(("customer", get_zone(customer)))

        def moment(label: str, instant: datetime, roles) -> list[str]:
            return [f"{label if i == 0 else '':<16}{instant.astimezone(zone):%a %Y-%m-%d %H:%M %Z}"
                    + (f"  {zone.key} ({role})" if role else "") for i, (role, zone) in enumerate(roles)]

        lines = [f"{'Clock:':<16}{self.calendar.describe()}"] + moment("Filed:", self.filed_at, shown)
        if self.starts_at != self.filed_at:
            lines += moment("Clock starts:", self.starts_at, shown)
            lines[-len(shown)] += "  (filed outside open hours)"
        if self.typically_from is not None:
            lines += moment("Typically from:", self.typically_from, shown)
        return lines + moment("Due by:", self.due, shown + [("", get_zone("UTC"))])


def deadline(policy: PolicySet, promise: Promise, filed_at: datetime) -> Deadline:
    """Everything the ``deadline`` command shows, for ``promise`` filed at ``filed_at``."""
    cal = calendar_for(policy, promise.clock)
    filed = _as_utc(filed_at)
    lower = cal.add(filed, promise.within.min) if promise.within.min else None
    return Deadline(promise, cal, filed, cal.next_open(filed), cal.add(filed, promise.within.max), lower)
