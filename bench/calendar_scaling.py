"""Calendar arithmetic: what a check costs with many open intervals, and how it grows.

Two parts, both in CPU time (``time.process_time``), medians of interleaved runs:

* ``support-policies check`` (in-process, caches cleared) of a small policy set whose
  business schedule has 10 one-minute intervals a weekday, 48 intervals a week (opening
  hours with breaks, Monday to Saturday) or 1,000 intervals a week, with US holidays; its
  tiers promise business hours and days on that clock (4h and 8h on ten minutes a day take
  weeks), compared over the rules' 28-year window.
* ``Calendar.worst_wait`` of 4h, 24h and 2d on a fresh calendar open 400 minutes each
  weekday: cut into N intervals a week over Y years, into 10N intervals (each a tenth as
  long) over Y years, and into N intervals over 10Y years (defaults N = 100, Y = 2).
  Target: ten times the intervals or the days costs at most 15 times as much (linear
  growth, with room for the log of bisection and noise).
* The same on a union (``combines``) of three such offices in New York, London and Tokyo,
  over Y and 10Y years: a union's year is built from its members' open intervals split at
  its zone's midnights, so it too grows linearly with the days. The interval walk this replaced
  grew quadratically: 10N shorter intervals cost it 43 times as much (0.70 s → 30 s a year).
"""

from __future__ import annotations

import sys
import tempfile
import textwrap
import time
from datetime import UTC, datetime
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from _timing import Medians, Target, check_in_process, finish, measure, parser, report

from support_policies import calendar as calendar_module
from support_policies.calendar import Calendar, calendar_for
from support_policies.model import Holidays, OpenHours, Organization, PolicySet, Schedule

WEEKDAYS = ("mon", "tue", "wed", "thu", "fri")
BREAKS = (
    ("07:00", "08:30"),
    ("08:45", "10:00"),
    ("10:15", "12:00"),
    ("13:00", "14:30"),
    ("14:45", "16:00"),
    ("16:15", "17:30"),
    ("18:00", "19:30"),
    ("20:00", "21:00"),
)
"""Eight intervals a day, Monday to Saturday: 48 a week."""
OPEN_MINUTES = 400
"""Open time a weekday of the scaling cases, however many intervals it is cut into."""


def hhmm(minutes: int) -> str:
    return f"{minutes // 60:02d}:{minutes % 60:02d}"


def short_intervals(per_weekday: int, length: int) -> list[tuple[tuple[str, ...], str, str]]:
    """``per_weekday`` intervals of ``length`` minutes, spread over each weekday from 00:00."""
    step = 1440 // per_weekday
    return [(WEEKDAYS, hhmm(i * step), hhmm(i * step + length)) for i in range(per_weekday)]


SCHEDULES = {
    "10 one-minute intervals a weekday": (short_intervals(10, 1), ("4h", "8h", "14w", "4h")),
    "48 intervals a week (hours with breaks)": (
        [(WEEKDAYS + ("sat",), a, b) for a, b in BREAKS],
        ("8h", "24h", "5d", "8h"),
    ),
    "1,000 intervals a week": (short_intervals(200, 2), ("4h", "8h", "2d", "4h")),
}
"""Each schedule's hours, and the durations its tiers promise on it: Basic for critical, high
and low incidents, and Plus for low ones (Plus answers critical and high in 1h and 2h, 24x7)."""


def policy_set(folder: Path, hours, durations) -> Path:
    """A clean set: a business schedule with ``hours`` and US holidays, a lower tier on it, a higher on 24x7."""
    folder.mkdir()
    critical, high, low, plus_low = durations
    lines = "\n".join(f'      - {{days: [{", ".join(days)}], opens: "{a}", closes: "{b}"}}' for days, a, b in hours)
    files = {
        "severities.yaml": """\
            severities:
              - {id: critical, rank: 1, name: Critical, definition: Down.}
              - {id: high, rank: 2, name: High, definition: Broken.}
              - {id: low, rank: 3, name: Low, definition: Minor.}
            """,
        "tiers.yaml": """\
            tiers:
              - id: basic
                name: Basic
                level: 1
                obtained: included
                hours: office
                targets:
                  critical: {acknowledge: {within: CRITICAL, clock: office}}
                  high: {acknowledge: {within: HIGH, clock: office}}
                  low: {acknowledge: {within: LOW, clock: office}}
              - id: plus
                name: Plus
                level: 2
                obtained: paid
                hours: 24x7
                targets:
                  critical: {acknowledge: {within: 1h, clock: 24x7}}
                  high: {acknowledge: {within: 2h, clock: 24x7}}
                  low: {acknowledge: {within: PLUS, clock: office}}
            """,
    }
    for name, text in files.items():
        text = text.replace("CRITICAL", critical).replace("HIGH", high).replace("LOW", low).replace("PLUS", plus_low)
        (folder / name).write_text(textwrap.dedent(text))
    (folder / "schedules.yaml").write_text(
        "schedules:\n  - id: office\n    name: Office\n    timezone: America/Chicago\n"
        f"    holidays: {{country: US}}\n    hours:\n{lines}\n"
    )
    return folder


def worst_waits(hours, years: int) -> None:
    """The worst waits of 4h, 24h and 2d on a fresh calendar of ``hours`` over ``years`` from 2026."""
    schedule = Schedule(
        "office",
        "Office",
        "America/Chicago",
        hours=tuple(OpenHours(*h) for h in hours),
        holidays=Holidays(country="US"),
    )
    calendar = Calendar.for_schedule(schedule)
    window = (datetime(2026, 1, 1, tzinfo=UTC), datetime(2026 + years, 1, 1, tzinfo=UTC))
    for duration in ("4h", "24h", "2d"):
        calendar.worst_wait(duration, *window)


def union_waits(hours, years: int) -> None:
    """The worst waits of 4h, 24h and 2d on a fresh union of three offices with ``hours``, over ``years``."""
    offices = tuple(
        Schedule(name, name, zone, hours=tuple(OpenHours(*h) for h in hours), holidays=Holidays(country=country))
        for name, zone, country in (
            ("americas", "America/New_York", "US"),
            ("emea", "Europe/London", "GB"),
            ("apac", "Asia/Tokyo", "JP"),
        )
    )
    union = Schedule(f"sun-{years}-{len(hours)}", "Follow the sun", "UTC", combines=tuple(o.id for o in offices))
    calendar_module._schedule_calendar.cache_clear()  # a fresh calendar each run
    calendar = calendar_for(PolicySet(organization=Organization(name="Bench"), schedules=(*offices, union)), union.id)
    window = (datetime(2026, 1, 1, tzinfo=UTC), datetime(2026 + years, 1, 1, tzinfo=UTC))
    for duration in ("4h", "24h", "2d"):
        calendar.worst_wait(duration, *window)


def main() -> int:
    p = parser(__doc__.splitlines()[0], repeats=3)
    p.add_argument(
        "--intervals", type=int, default=100, help="N, intervals a week of the smaller case (default: 100; 5 ≤ N ≤ 200)"
    )
    p.add_argument("--years", type=int, default=2, help="Y, years of the shorter window (default: 2; 10Y ≤ 1000)")
    args = p.parse_args()
    n, y = args.intervals, args.years
    with tempfile.TemporaryDirectory() as tmp:
        folders = {
            f"check, {name}": policy_set(Path(tmp, str(i)), *schedule)
            for i, (name, schedule) in enumerate(SCHEDULES.items())
        }
        check_in_process(next(iter(folders.values())))  # warm-up: imports, the holidays package
        checks = measure(
            {name: (lambda folder=folder: check_in_process(folder)) for name, folder in folders.items()},
            args.repeats,
            warmup=False,
            clock=time.process_time,
        )
    few, many = short_intervals(n // 5, OPEN_MINUTES // (n // 5)), short_intervals(2 * n, OPEN_MINUTES // (2 * n))
    base, more_intervals, more_days = (
        f"worst_wait, {n}/week, {y} years",
        f"worst_wait, {10 * n}/week, {y} years",
        f"worst_wait, {n}/week, {10 * y} years",
    )
    waits = measure(
        {
            base: lambda: worst_waits(few, y),
            more_intervals: lambda: worst_waits(many, y),
            more_days: lambda: worst_waits(few, 10 * y),
            f"union worst_wait, {n}/week, {y} years": lambda: union_waits(few, y),
            f"union worst_wait, {n}/week, {10 * y} years": lambda: union_waits(few, 10 * y),
        },
        args.repeats,
        clock=time.process_time,
    )
    ok = report(
        "calendar arithmetic, CPU seconds (time.process_time), interleaved runs",
        Medians({**checks.rounds, **waits.rounds}),
        [
            Target("10× intervals", more_intervals, base, 15),
            Target("10× window days", more_days, base, 15),
            Target(
                "union, 10× window days",
                f"union worst_wait, {n}/week, {10 * y} years",
                f"union worst_wait, {n}/week, {y} years",
                15,
            ),
        ],
        args.repeats,
    )
    return finish(ok, args.strict)


if __name__ == "__main__":
    sys.exit(main())
