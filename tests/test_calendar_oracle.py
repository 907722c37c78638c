"""Differential test of the business calendar against an independent one: ``exchange_calendars``.

``exchange_calendars`` (a test extra) publishes the trading sessions of stock exchanges, each
session's open, close and lunch break as UTC instants, kept by people who check them against
the exchanges' own notices. Two of its calendars cover what date-specific hours must get right:

* XNYS, New York: 09:30–16:00 America/New_York, early closes at 13:00 (the day after
  Thanksgiving, Christmas Eve, 3 July), NYSE holidays, and US daylight saving time;
* XHKG, Hong Kong: 09:30–12:00 and 13:00–16:00 Asia/Hong_Kong (a lunch break), morning-only
  sessions before Christmas, New Year and Lunar New Year, and typhoon closures.

Each exchange is written as a support schedule the way a writer would write it from its
published hours: the weekly hours in the exchange's zone; for XNYS the US public holidays of
the ``holidays`` package less the ones the exchange works (``except``), the other closed days
as dates, Christmas Eve as a yearly early close (a yearly rule holds whatever the weekday, so a
weekend Christmas Eve is closed by its date), and every other session whose hours differ
as ``special_hours`` on its date (a special opening where the exchange trades on a US public
holiday); for XHKG the closed weekdays as dates and the differing sessions as special hours.
Nothing of the calendar module is used to build them.

The oracle's answer is computed by walking the exchange's sessions in UTC, interval by
interval: a filing before or between sessions waits for the next open minute, and each
session's open minutes are used up in order. The module's answer comes from
:meth:`Calendar.add` (bisection over per-year prefix sums, local times turned into instants).
Random filing instants (a fifth of them on early-close or half days, a tenth at a session's
exact open, close or break) and durations in minutes and hours, seeded: 24,000 cases, and
every one must agree to the microsecond; 4,000 more in business days (1d to 5d) against the
documented day rule read on the sessions (a session date is an open day). ``is_open`` and
``next_open`` are compared at each filing instant as well.
"""

from __future__ import annotations

import random
from bisect import bisect_right
from datetime import date, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest

from support_policies.calendar import Calendar
from support_policies.model import Holiday, Holidays, OpenHours, Schedule, SpecialHours, TimeRange

xc = pytest.importorskip("exchange_calendars")
pytestmark = pytest.mark.filterwarnings(
    "ignore::DeprecationWarning", "ignore::FutureWarning"
)  # pandas, inside the oracle

START, END = "2016-01-04", "2025-12-31"
SEED = 20261202
CASES = 12_000  # per exchange
WEEKDAYS = ("mon", "tue", "wed", "thu", "fri")


def sessions(
    code: str,
) -> tuple[list[tuple[datetime, datetime]], list[date], dict[date, list[tuple[datetime, datetime]]]]:
    """The exchange's open intervals (UTC), its session dates, and each session's intervals."""
    cal = xc.get_calendar(code, start=START, end=END)
    intervals: list[tuple[datetime, datetime]] = []
    by_day: dict[date, list[tuple[datetime, datetime]]] = {}
    for label, row in cal.schedule.iterrows():
        opens, closes = row["open"].to_pydatetime(), row["close"].to_pydatetime()
        if row.isna()["break_start"]:
            parts = [(opens, closes)]
        else:
            parts = [(opens, row["break_start"].to_pydatetime()), (row["break_end"].to_pydatetime(), closes)]
        by_day[label.date()] = parts
        intervals.extend(parts)
    return intervals, sorted(by_day), by_day


def local_hours(parts: list[tuple[datetime, datetime]], zone: ZoneInfo) -> tuple[tuple[str, str], ...]:
    return tuple((f"{a.astimezone(zone):%H:%M}", f"{b.astimezone(zone):%H:%M}") for a, b in parts)


def schedule_from(
    code: str, regular: tuple[tuple[str, str], ...], zone: ZoneInfo, by_day, country: str = ""
) -> Schedule:
    """The exchange as a support schedule, written from its published sessions."""
    first, last = date.fromisoformat(START), date.fromisoformat(END)
    public: dict[date, str] = {}
    worked: tuple[str, ...] = ()
    if country:
        import holidays

        worked = ("Columbus Day", "Veterans Day", "Veterans Day (observed)")
        public = {
            day: name
            for day, name in holidays.country_holidays(country, years=range(first.year, last.year + 1)).items()
            if name not in worked
        }
    special: list[SpecialHours] = []
    closed: list[Holiday] = []
    if country:  # Christmas Eve closes at 13:00 every year it is a trading day
        special.append(SpecialHours(name="Christmas Eve", yearly="12-24", hours=(TimeRange("09:30", "13:00"),)))
    day = first
    while day <= last:
        if country and (day.month, day.day) == (12, 24) and day.weekday() >= 5:
            # a yearly rule holds whatever the weekday: a weekend Christmas Eve is closed by its date
            special.append(SpecialHours(name="Weekend", date=day.isoformat(), hours=()))
        elif day.weekday() < 5:
            hours = local_hours(by_day[day], zone) if day in by_day else None
            christmas_eve = country and (day.month, day.day) == (12, 24)
            if hours is None and christmas_eve:
                special.append(SpecialHours(name="Closed", date=day.isoformat(), hours=()))
            elif hours is None and day not in public:
                closed.append(Holiday(date=day.isoformat(), name="Exchange closed"))
            elif hours is not None and (
                day in public or (hours != regular and not (christmas_eve and hours == (("09:30", "13:00"),)))
            ):
                special.append(
                    SpecialHours(
                        name="Trading day", date=day.isoformat(), hours=tuple(TimeRange(a, b) for a, b in hours)
                    )
                )
        day += timedelta(days=1)
    return Schedule(
        id=code.lower(),
        name=code,
        timezone=zone.key,
        hours=tuple(OpenHours(WEEKDAYS, a, b) for a, b in regular),
        holidays=Holidays(country=country, dates=tuple(closed), except_=worked),
        special_hours=tuple(special),
    )


class Walk:
    """The oracle's arithmetic: walk the sessions' open intervals in UTC, one by one."""

    def __init__(self, intervals: list[tuple[datetime, datetime]]) -> None:
        self.intervals = intervals
        self.ends = [b for _, b in intervals]

    def is_open(self, t: datetime) -> bool:
        i = bisect_right(self.ends, t)
        return i < len(self.intervals) and self.intervals[i][0] <= t

    def next_open(self, t: datetime) -> datetime:
        i = bisect_right(self.ends, t)
        return max(self.intervals[i][0], t)

    def add(self, t: datetime, minutes: int) -> datetime:
        remaining = timedelta(minutes=minutes)
        i = bisect_right(self.ends, t)
        if minutes == 0:
            return self.next_open(t)
        while True:
            opens, closes = self.intervals[i]
            start = max(opens, t)
            if closes - start >= remaining:
                return start + remaining
            remaining -= closes - start
            i += 1


def cases(rng: random.Random, walk: Walk, special_days: list[date], by_day, zone: ZoneInfo, n: int):
    lo = walk.intervals[0][0]
    hi = walk.intervals[-1][0] - timedelta(days=60)  # room for the longest duration before the data ends
    span = int((hi - lo).total_seconds() // 60)
    edges = [moment for parts in by_day.values() for part in parts for moment in part]
    for k in range(n):
        pick = rng.random()
        if pick < 0.2:  # on an early-close or half day
            day = rng.choice(special_days)
            t = datetime(day.year, day.month, day.day, tzinfo=zone) + timedelta(minutes=rng.randrange(24 * 60))
        elif pick < 0.3:  # exactly at an open, a close or a break
            t = rng.choice(edges) + timedelta(minutes=rng.choice((-1, 0, 0, 1)))
        else:
            t = lo + timedelta(minutes=rng.randrange(span), seconds=rng.choice((0, 0, 0, 30)))
        if not lo <= t < hi:
            t = lo + timedelta(minutes=rng.randrange(span))
        if k % 2:
            minutes = rng.randrange(0, 12 * 60)
            text = f"{minutes}m"
        else:
            hours = rng.choice((1, 2, 3, 4, 6, 8, 12, 16, 24, 40, 80, 160))
            minutes, text = hours * 60, f"{hours}h"
        yield t, text, minutes


EXCHANGES = {
    # code: (regular weekly hours in the exchange's zone, the country whose public holidays it mostly keeps)
    "XNYS": ((("09:30", "16:00"),), "US"),
    "XHKG": ((("09:30", "12:00"), ("13:00", "16:00")), ""),
}


@pytest.mark.parametrize("code", sorted(EXCHANGES))
def test_due_times_agree_with_the_exchange_sessions(code):
    regular, country = EXCHANGES[code]
    intervals, days, by_day = sessions(code)
    zone = ZoneInfo(xc.get_calendar(code, start=START, end=END).tz.key)
    schedule = schedule_from(code, regular, zone, by_day, country)
    ours = Calendar.for_schedule(schedule)
    walk = Walk(intervals)
    special_days = [day for day in days if local_hours(by_day[day], zone) != regular]
    assert len(special_days) >= 15, "the sample must include early-close days"
    special = set(special_days)
    rng = random.Random(f"{SEED}-{code}")
    disagreements = []
    on_special = 0
    checked = 0
    for t, text, minutes in cases(rng, walk, special_days, by_day, zone, CASES):
        expected = walk.add(t, minutes)
        got = ours.add(t, text)
        checked += 1
        if t.astimezone(zone).date() in special:
            on_special += 1
        if got != expected or ours.is_open(t) != walk.is_open(t) or ours.next_open(t) != walk.next_open(t):
            disagreements.append((t.isoformat(), text, expected.isoformat(), got.isoformat()))
    assert checked == CASES
    assert on_special >= CASES // 10, on_special
    assert disagreements == []


def test_the_schedules_open_exactly_when_the_exchanges_trade():
    """Every open interval of ten years, not only the sampled ones: the schedules are the exchanges."""
    for code, (regular, country) in EXCHANGES.items():
        intervals, _, by_day = sessions(code)
        zone = ZoneInfo(xc.get_calendar(code, start=START, end=END).tz.key)
        ours = Calendar.for_schedule(schedule_from(code, regular, zone, by_day, country))
        got = list(ours.open_intervals(intervals[0][0], intervals[-1][1]))
        assert got == intervals, code


def _days_due(t: datetime, n: int, walk: Walk, days: list[date], position: dict[date, int], by_day, zone) -> datetime:
    """The documented business-day rule, read on the exchange's sessions (a session date is an open day).

    Filed while open: the same wall-clock time on the n-th session after the filing's, held within
    that session (its open to its close). Filed while closed: the close of the n-th session counting
    the one of the next open minute as the first.
    """
    if walk.is_open(t):
        index = position[t.astimezone(zone).date()] + n
        target = days[index]
        local = t.astimezone(zone)
        wall = datetime(target.year, target.month, target.day, local.hour, local.minute, local.second, tzinfo=zone)
        parts = by_day[target]
        return min(max(wall, parts[0][0]), parts[-1][1])
    index = position[walk.next_open(t).astimezone(zone).date()] + n - 1
    return by_day[days[index]][-1][1]


@pytest.mark.parametrize("code", sorted(EXCHANGES))
def test_business_days_agree_with_the_exchange_sessions(code):
    """Durations in days (1d to 5d) on 2,000 filings per exchange, a fifth on early-close or half days."""
    regular, country = EXCHANGES[code]
    intervals, days, by_day = sessions(code)
    zone = ZoneInfo(xc.get_calendar(code, start=START, end=END).tz.key)
    ours = Calendar.for_schedule(schedule_from(code, regular, zone, by_day, country))
    walk = Walk(intervals)
    special_days = [day for day in days if local_hours(by_day[day], zone) != regular]
    position = {day: i for i, day in enumerate(days)}
    rng = random.Random(f"{SEED}-{code}-days")
    disagreements = []
    for t, _, _ in cases(rng, walk, special_days, by_day, zone, 2_000):
        n = rng.randrange(1, 6)
        expected = _days_due(t, n, walk, days, position, by_day, zone)
        got = ours.add(t, f"{n}d")
        if got != expected:
            disagreements.append((t.isoformat(), f"{n}d", expected.isoformat(), got.isoformat()))
    assert disagreements == []
