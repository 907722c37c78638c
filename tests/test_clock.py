"""Verdicts are a function of the policy files: the day a check runs changes nothing.

Rules compare calendars over a fixed window of 28 years. The package reads the clock in
one place, ``calendar.now()``, which honours ``SOURCE_DATE_EPOCH``, and only for the
dates it shows (a build date, the default filing time of ``deadline``).
"""

from __future__ import annotations

import ast
import textwrap
from datetime import UTC, date, datetime, timedelta
from pathlib import Path

import pytest

from support_policies import calendar
from support_policies.exports.site import build_date
from support_policies.model import Holidays, OpenHours, Schedule
from support_policies.policyset import load_policies
from support_policies.rules.base import comparison_window

UTC = UTC
PACKAGE = Path(calendar.__file__).parent
REPO = PACKAGE.parent.parent
TODAYS = [
    datetime(2026, 1, 1, tzinfo=UTC),
    datetime(2026, 12, 31, 23, 59, tzinfo=UTC),
    datetime(2028, 2, 29, 12, tzinfo=UTC),
    datetime(2029, 7, 1, tzinfo=UTC),
    datetime(2032, 1, 1, tzinfo=UTC),
    datetime(2061, 3, 15, tzinfo=UTC),
]
"""Simulated days: new year's day and eve, a leap day, and years inside and after the window."""

TEXAS = {
    "severities.yaml": """\
        severities:
          - {id: critical, rank: 1, name: Critical, definition: Down.}
        """,
    "schedules.yaml": """\
        schedules:
          - id: texas
            name: Texas office
            timezone: America/Chicago
            hours:
              - {days: [mon, tue, wed, thu, fri], opens: "08:00", closes: "17:00"}
            holidays: {country: US, subdivision: TX}
        """,
    "tiers.yaml": """\
        tiers:
          - id: basic
            name: Basic
            level: 1
            obtained: included
            hours: 24x7
            targets:
              critical:
                acknowledge: {within: 120h, clock: 24x7}
          - id: plus
            name: Plus
            level: 2
            obtained: paid
            hours: 24x7
            targets:
              critical:
                acknowledge: {within: 2h, clock: texas}
        """,
}
"""Two business hours in Texas wait at most 113 hours in 2026 but 137 in 2028 (Texas adds
the Friday after Thanksgiving and days around Christmas): a rule over "this year" passed
in 2026 and failed in 2028 for the same files."""


def frozen(monkeypatch, instant: datetime) -> None:
    """Make the package's clock, and SOURCE_DATE_EPOCH, say it is ``instant``."""
    monkeypatch.setattr(calendar, "now", lambda: instant)
    monkeypatch.setenv("SOURCE_DATE_EPOCH", str(int(instant.timestamp())))


def verdicts(folder: Path) -> list[tuple]:
    calendar._schedule_calendar.cache_clear()
    return [(f.file, f.line, f.column, f.rule, f.level, f.message) for f in load_policies([folder]).findings]


@pytest.fixture
def texas(tmp_path) -> Path:
    for name, text in TEXAS.items():
        (tmp_path / name).write_text(textwrap.dedent(text))
    return tmp_path


def test_the_comparison_window_is_the_28_years_from_2026(monkeypatch):
    for today in TODAYS:
        frozen(monkeypatch, today)
        assert comparison_window() == (datetime(2026, 1, 1, tzinfo=UTC), datetime(2054, 1, 1, tzinfo=UTC))


@pytest.mark.parametrize("today", TODAYS, ids=lambda t: t.date().isoformat())
def test_verdicts_are_the_same_whatever_the_day(monkeypatch, texas, today):
    frozen(monkeypatch, today)
    got = verdicts(texas)
    assert [(rule, message) for _, _, _, rule, _, message in got] == [
        (
            "tiers.slower-than-lower-tier",
            "'Plus' is slower to acknowledge critical incidents than the lower tier 'Basic': within 2 business hours "
            "(Texas office) (worst case 137 hours) against within 120 hours, around the clock (worst case 120 hours)",
        )
    ]
    assert verdicts(REPO / "policies") == []


def test_the_worst_case_is_the_worst_year_of_the_window():
    cal = calendar.Calendar.for_schedule(load_policies([REPO / "policies"]).policy.schedule("standard-hours"))
    texas = calendar.Calendar.for_schedule(
        Schedule(
            "texas",
            "Texas",
            "America/Chicago",
            holidays=Holidays("US", "TX"),
            hours=(OpenHours(("mon", "tue", "wed", "thu", "fri"), "08:00", "17:00"),),
        )
    )
    years = [
        texas.worst_wait("2h", datetime(y, 1, 1, tzinfo=UTC), datetime(y + 1, 1, 1, tzinfo=UTC))
        for y in range(2026, 2054)
    ]
    assert (min(years), max(years)) == (timedelta(hours=113), timedelta(hours=137))
    assert texas.worst_wait("2h", *comparison_window()) == max(years)
    assert cal.worst_wait("2h", *comparison_window()) == timedelta(hours=113)  # Wed 2026-12-23 17:00 → Mon 10:00


def clock_readings(path: Path) -> list[ast.Call]:
    """Calls in ``path`` that read the clock: x.now(), x.today(), x.utcnow(), time.time() and the like."""
    tree = ast.parse(path.read_text(encoding="utf-8"))
    inside_now = {
        id(node)
        for function in tree.body
        if isinstance(function, ast.FunctionDef) and path.name == "calendar.py" and function.name == "now"
        for node in ast.walk(function)
    }
    return [
        node
        for node in ast.walk(tree)
        if isinstance(node, ast.Call)
        and isinstance(node.func, ast.Attribute)
        and id(node) not in inside_now
        and (node.func.attr in ("now", "today", "utcnow") or ast.unparse(node.func) in ("time.time", "time.localtime"))
    ]


def test_only_calendar_now_reads_the_clock():
    """The system clock is read in calendar.now only; it is asked for shown dates, never by a rule."""
    readers = [
        f"{path.relative_to(PACKAGE)}:{node.lineno}: {ast.unparse(node)}"
        for path in sorted(PACKAGE.rglob("*.py"))
        for node in clock_readings(path)
        if ast.unparse(node.func) != "calendar.now" or path.parent.name == "rules"
    ]
    assert readers == []


def test_source_date_epoch_is_the_date_shown(monkeypatch):
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1803513600")  # 2027-02-25 00:00 UTC
    assert calendar.now() == datetime(2027, 2, 25, tzinfo=UTC)
    assert build_date() == date(2027, 2, 25)
    for ignored in ("", "soon", "-5", "1e9", "999999999999999"):
        monkeypatch.setenv("SOURCE_DATE_EPOCH", ignored)
        assert abs(calendar.now() - datetime.now(UTC)) < timedelta(minutes=1)


@pytest.mark.parametrize(
    "today", [datetime(2026, 1, 1, tzinfo=UTC), datetime(2028, 2, 29, tzinfo=UTC)], ids=lambda t: t.date().isoformat()
)
def test_the_published_dates_follow_source_date_epoch(monkeypatch, today):
    """The site's data and calendars show the build date; nothing else in them changes with it."""
    from support_policies.exports.site import site_files
    from support_policies.render import Renderer

    monkeypatch.setenv("SOURCE_DATE_EPOCH", str(int(today.timestamp())))
    files = {f.path: f.content for f in site_files(Renderer(load_policies([REPO / "policies"]).policy))}
    assert f'"generated": "{today.date().isoformat()}"'.encode() in files["data/policies.json"]
    ics = files["data/calendars/standard-hours.ics"].decode()
    assert f"DTSTAMP:{today:%Y%m%d}T000000Z" in ics
    assert f"Covers {today.year} and {today.year + 1}." in ics.replace("\r\n ", "")
