"""The calendar's fast path against a simple reference walk, on random schedules.

The reference below reads the documented semantics literally: each local date becomes
open pieces through ``localize`` (a date's special hours instead of its weekly hours and
holidays), and a duration walks them one by one. The calendar
answers by bisection over precomputed years instead. On random weekly hours (overnight,
``24:00``, overlapping), holidays and zones with unusual daylight-saving rules (a change at
midnight, a 30-minute change, the southern hemisphere), both must give the same answers;
``worst_wait`` must also equal the maximum found by checking every minute of a window.
"""

from __future__ import annotations

from datetime import UTC, date, datetime, time, timedelta
from zoneinfo import ZoneInfo

from hypothesis import assume, given, settings
from hypothesis import strategies as st

from support_policies.calendar import Calendar, localize
from support_policies.model import (
    WEEKDAYS,
    Duration,
    Holiday,
    Holidays,
    OpenHours,
    Schedule,
    SpecialHours,
    TimeRange,
    minutes_of_day,
)

UTC = UTC
ZONES = (
    "America/Chicago",
    "Europe/London",
    "Australia/Sydney",
    "America/Havana",
    "Australia/Lord_Howe",
    "Asia/Kolkata",
    "America/Santiago",
    "UTC",
)
SPANS = (
    datetime(2026, 2, 25, tzinfo=UTC),
    datetime(2026, 3, 25, tzinfo=UTC),
    datetime(2026, 9, 20, tzinfo=UTC),
    datetime(2026, 10, 20, tzinfo=UTC),
    datetime(2026, 12, 24, tzinfo=UTC),
)
"""Starts of the spans filing instants are drawn from: around daylight-saving changes and a new year."""
REFERENCE = settings(deadline=None, derandomize=True, database=None, max_examples=50)


class Reference:
    """Open time, one local date at a time, straight from a schedule's hours and holidays."""

    def __init__(self, schedule: Schedule):
        self.zone = ZoneInfo(schedule.timezone)
        self.hours = [(h.days, minutes_of_day(h.opens), minutes_of_day(h.closes)) for h in schedule.hours]
        self.closed = {date.fromisoformat(h.date) for h in schedule.holidays.dates}
        self.special = {
            date.fromisoformat(s.date): [(minutes_of_day(r.opens), minutes_of_day(r.closes)) for r in s.hours]
            for s in reversed(schedule.special_hours)  # the first entry for a date wins
        }

    def pieces(self, day: date) -> list[tuple[datetime, datetime]]:
        """The open intervals (UTC) of local date ``day``: its special hours, if any, replace the rest."""
        if day in self.special:
            midnight = datetime.combine(day, time())
            found = sorted(
                (
                    localize(midnight + timedelta(minutes=a), self.zone),
                    localize(midnight + timedelta(minutes=b), self.zone),
                )
                for a, b in self.special[day]
            )
            merged: list[list[datetime]] = []
            for start, end in found:
                if start >= end:
                    continue
                if merged and start <= merged[-1][1]:
                    merged[-1][1] = max(merged[-1][1], end)
                else:
                    merged.append([start, end])
            return [(a, b) for a, b in merged]
        if day in self.closed:
            return []
        midnight = datetime.combine(day, time())
        walls = []
        for days, opens, closes in self.hours:
            length = closes - opens + (1440 if closes < opens else 0)  # 24:00 to 00:00 is empty
            if not length:
                continue
            for starts_on in (day - timedelta(days=1), day):
                if WEEKDAYS[starts_on.weekday()] in days:
                    start = datetime.combine(starts_on, time()) + timedelta(minutes=opens)
                    end = start + timedelta(minutes=length)
                    start, end = max(start, midnight), min(end, midnight + timedelta(days=1))
                    if start < end:
                        walls.append((start, end))
        merged: list[list[datetime]] = []
        for start, end in sorted((localize(a, self.zone), localize(b, self.zone)) for a, b in walls):
            if start >= end:
                continue
            if merged and start <= merged[-1][1]:
                merged[-1][1] = max(merged[-1][1], end)
            else:
                merged.append([start, end])
        return [(a, b) for a, b in merged]

    def weekly_minutes(self) -> int:
        """Open minutes a week as written (overlaps counted twice)."""
        return sum(len(days) * (closes - opens + (1440 if closes < opens else 0)) for days, opens, closes in self.hours)

    def walk(self, t: datetime):
        day = t.astimezone(self.zone).date()
        for _ in range(800):
            for start, end in self.pieces(day):
                if end > t:
                    yield start, end
            day += timedelta(days=1)
        raise AssertionError("no open time within 800 days")

    def is_open(self, t: datetime) -> bool:
        return any(a <= t < b for a, b in self.pieces(t.astimezone(self.zone).date()))

    def next_open(self, t: datetime) -> datetime:
        start, _ = next(self.walk(t))
        return max(start, t)

    def open_day(self, day: date, n: int) -> date:
        while n:
            day += timedelta(days=1)
            n -= bool(self.pieces(day))
        return day

    def add(self, t: datetime, duration: Duration) -> datetime:
        if duration.amount == 0:
            return self.next_open(t)
        if duration.unit == "w":
            return self.next_open(t) + timedelta(minutes=duration.minutes)
        if duration.unit in ("m", "h"):
            remaining = timedelta(minutes=duration.minutes)
            for start, end in self.walk(t):
                start = max(start, t)
                if start + remaining <= end:
                    return start + remaining
                remaining -= end - start
        local = t.astimezone(self.zone)
        if self.is_open(t):
            target = self.open_day(local.date(), duration.amount)
            wall = local.replace(tzinfo=None) - datetime.combine(local.date(), time())
            pieces = self.pieces(target)
            return min(max(localize(datetime.combine(target, time()) + wall, self.zone), pieces[0][0]), pieces[-1][1])
        first = self.next_open(t).astimezone(self.zone).date()
        return self.pieces(self.open_day(first, duration.amount - 1))[-1][1]


@st.composite
def schedules(draw) -> Schedule:
    quarter = st.integers(0, 96).map(lambda q: f"{q * 15 // 60:02d}:{q * 15 % 60:02d}")
    hours = draw(
        st.lists(st.tuples(st.sets(st.sampled_from(WEEKDAYS), min_size=1), quarter, quarter), min_size=1, max_size=4)
    )
    hours = [(tuple(sorted(days, key=WEEKDAYS.index)), opens, closes) for days, opens, closes in hours]
    if all(minutes_of_day(opens) % 1440 == minutes_of_day(closes) % 1440 for _, opens, closes in hours):
        hours.append((WEEKDAYS[:5], "09:00", "17:00"))
    closed = draw(
        st.lists(st.integers(0, 60).map(lambda i: date(2026, 3, 1) + timedelta(days=i)), max_size=4)
        | st.lists(st.integers(0, 20).map(lambda i: date(2026, 12, 20) + timedelta(days=i)), max_size=4)
    )
    special_dates = draw(  # special hours, also on closed dates (they win) and across DST changes
        st.lists(st.sampled_from(closed or [date(2026, 3, 8)]), max_size=2)
        | st.lists(st.integers(0, 60).map(lambda i: date(2026, 3, 1) + timedelta(days=i)), max_size=3)
        | st.lists(st.integers(0, 40).map(lambda i: date(2026, 9, 25) + timedelta(days=i)), max_size=3)
    )
    ranges = st.lists(
        st.tuples(quarter, quarter).filter(lambda r: minutes_of_day(r[0]) < minutes_of_day(r[1])), max_size=2
    )
    special = tuple(
        SpecialHours(name="special", date=day.isoformat(), hours=tuple(TimeRange(a, b) for a, b in draw(ranges)))
        for day in special_dates
    )
    return Schedule(
        id="random",
        name="Random",
        timezone=draw(st.sampled_from(ZONES)),
        hours=tuple(OpenHours(days, opens, closes) for days, opens, closes in hours),
        holidays=Holidays(dates=tuple(Holiday(day.isoformat(), "closed") for day in closed)),
        special_hours=special,
    )


instants = st.builds(
    lambda start, minutes, seconds: start + timedelta(minutes=minutes, seconds=seconds),
    st.sampled_from(SPANS),
    st.integers(0, 40 * 1440),
    st.sampled_from((0, 0, 0, 30)),
)
durations = st.one_of(
    st.builds(Duration, st.integers(1, 3000), st.just("m")),
    st.builds(Duration, st.integers(1, 150), st.just("h")),
    st.builds(Duration, st.integers(1, 12), st.just("d")),
    st.builds(Duration, st.integers(1, 3), st.just("w")),
    st.builds(Duration, st.just(0), st.sampled_from("mhdw")),
)


@REFERENCE
@given(schedules(), st.lists(instants, min_size=1, max_size=8), durations)
def test_add_agrees_with_the_reference_walk(schedule, filings, duration):
    cal, ref = Calendar.for_schedule(schedule), Reference(schedule)
    assume(duration.minutes <= 25 * ref.weekly_minutes() or duration.unit in "dw")  # due within about a year
    for t in filings:
        assert cal.is_open(t) == ref.is_open(t), t
        assert cal.next_open(t) == ref.next_open(t), t
        assert cal.add(t, duration) == ref.add(t, duration), (t, duration)


@REFERENCE
@given(schedules(), instants, st.integers(1, 20))
def test_open_intervals_agree_with_the_reference_pieces(schedule, start, days):
    cal, ref = Calendar.for_schedule(schedule), Reference(schedule)
    end = start + timedelta(days=days)
    pieces: list[tuple[datetime, datetime]] = []
    day = start.astimezone(ref.zone).date() - timedelta(days=1)
    while day <= end.astimezone(ref.zone).date():
        for a, b in ref.pieces(day):
            a, b = max(a, start), min(b, end)
            if a >= b:
                continue
            if pieces and a <= pieces[-1][1]:
                pieces[-1] = (pieces[-1][0], max(pieces[-1][1], b))
            else:
                pieces.append((a, b))
        day += timedelta(days=1)
    assert list(cal.open_intervals(start, end)) == pieces


@settings(REFERENCE, max_examples=25)
@given(schedules(), st.sampled_from(SPANS), st.integers(0, 30 * 1440), st.integers(60, 8 * 1440), durations)
def test_worst_wait_agrees_with_checking_every_minute(schedule, span, offset, minutes, duration):
    cal = Calendar.for_schedule(schedule)
    assume(duration.minutes <= 25 * Reference(schedule).weekly_minutes() or duration.unit in "dw")
    start = span + timedelta(minutes=offset)
    end = start + timedelta(minutes=minutes)
    brute, t = timedelta(0), start
    while t < end:
        brute = max(brute, cal.add(t, duration) - t)
        t += timedelta(minutes=1)
    assert cal.worst_wait(duration, start, end) == brute
