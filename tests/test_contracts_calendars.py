"""Issue 12, slice A: calendars of real contracts, from policy files to what customers read.

Each concept is written as a policy set in the test (organization, one severity, one plan
whose hours and first response run on the schedule under test), then followed to the exact
sentence of the hours table and the plans page, the ``deadline`` command's answer, the
schedule in the JSON export, and the rule findings of a passing and a failing variant.

Concepts: a span whose ends are in different zones (4a), a union of offices that follows the
sun (4b), hours that depend on the customer's region (4c), date-specific hours (special days,
a lunch break, a special opening on a holiday) and worked public holidays (5), a schedule
that only holds maintenance windows (10), and overnight hours said as "the next day".
"""

from __future__ import annotations

import json
import textwrap
from datetime import date
from html import unescape
from pathlib import Path

import pytest

from support_policies.exports.data import export_json
from support_policies.policyset import load_policies
from support_policies.render import Renderer

TODAY = date(2026, 5, 4)

BASE = """\
organization:
  name: Example Co
  timezone: UTC
severities:
  - id: urgent
    rank: 1
    name: Urgent
    definition: Work has stopped.
tiers:
  - id: plan
    name: Plan
    level: 1
    obtained: included
    hours: {clock}
    targets:
      urgent:
        acknowledge: {{within: {within}, clock: {clock}}}
"""

OFFICES = """\
  - id: americas-office
    name: New York office
    timezone: America/New_York
    hours:
      - {days: [mon, tue, wed, thu, fri], opens: "09:00", closes: "17:00"}
    holidays: {country: US}
  - id: emea-office
    name: Dublin office
    timezone: Europe/Dublin
    hours:
      - {days: [mon, tue, wed, thu, fri], opens: "09:00", closes: "17:00"}
    holidays: {country: IE}
  - id: apac-office
    name: Singapore office
    timezone: Asia/Singapore
    hours:
      - {days: [mon, tue, wed, thu, fri], opens: "09:00", closes: "17:00"}
    holidays: {country: SG}
"""


def write(tmp_path: Path, schedules: str, clock: str, within: str = "2h", extra: str = "") -> Path:
    folder = tmp_path / "policies"
    folder.mkdir(exist_ok=True)
    (folder / "policy.yaml").write_text(
        BASE.format(clock=clock, within=within) + "schedules:\n" + textwrap.dedent(schedules) + extra, "utf-8"
    )
    return folder


def loaded(folder: Path):
    result = load_policies([folder])
    return result.policy, [(f.rule, f.line, f.column, f.message) for f in result.findings]


def text_of(html: str) -> str:
    """Rendered HTML as the reader sees its text: tags become spaces, entities decode."""
    import re

    return re.sub(r"\s+", " ", unescape(re.sub(r"<br>", " / ", re.sub(r"<(?!br>)[^>]+>", " ", html)))).strip()


def hours_table(policy) -> str:
    return text_of(str(Renderer(policy).fragment("hours")))


def plans_page(policy) -> str:
    """The plans page as a reader sees its text (its Markdown rendered)."""
    import re

    import markdown

    page = next(p for p in Renderer(policy).pages(["plans"]) if p.path.startswith("plans"))
    html = markdown.markdown(page.markdown, extensions=["attr_list", "md_in_html", "tables"])
    return text_of(re.sub(r"</?(strong|em|abbr)\b[^>]*>", "", html))


def exported_schedules(policy) -> dict[str, dict]:
    return {s["id"]: s for s in json.loads(export_json(policy, TODAY))["policy"]["schedules"]}


def deadline(run_cli, folder: Path, *args: str) -> tuple[int, str, str]:
    return run_cli("deadline", folder, "--tier", "plan", "--severity", "urgent", *args, cwd=folder.parent)


# --- 4a: a span whose ends are in different zones -----------------------------------------------

SPAN = """\
  - id: global-week
    name: Global weekdays
    timezone: America/Los_Angeles
    spans:
      - from: {day: mon, at: "10:00", timezone: Australia/Sydney}
        until: {day: fri, at: "17:00", timezone: America/Los_Angeles}
"""


def test_a_span_between_zones_names_both_zones_and_counts_across_both_dst_changes(tmp_path, run_cli):
    folder = write(tmp_path, SPAN, "global-week")
    policy, findings = loaded(folder)
    assert findings == []
    assert "Global weekdays From Monday 10:00 (Sydney) until Friday 17:00 (Los Angeles) — —" in hours_table(policy)
    assert (
        "Business hours and days are counted in Global weekdays: "
        "From Monday 10:00 (Sydney) until Friday 17:00 (Los Angeles)." in plans_page(policy)
    )
    # Friday 16:00 in Los Angeles + 2 business hours: one hour that evening, one after Monday 10:00 in Sydney.
    code, out, err = deadline(run_cli, folder, "--at", "2026-05-08T16:00:00-07:00", "--tz", "Australia/Sydney")
    assert (code, err) == (0, "")
    assert "Mon 2026-05-11 11:00 AEST  Australia/Sydney (customer)" in out
    assert "Sun 2026-05-10 18:00 PDT  America/Los_Angeles (provider)" not in out  # the provider's zone is UTC
    assert "Mon 2026-05-11 01:00 UTC" in out
    assert exported_schedules(policy)["global-week"]["spans"] == [
        {
            "from": {"day": "mon", "at": "10:00", "timezone": "Australia/Sydney"},
            "until": {"day": "fri", "at": "17:00", "timezone": "America/Los_Angeles"},
        }
    ]


def test_a_span_beside_weekly_hours_is_refused(tmp_path):
    mixed = SPAN + '    hours:\n      - {days: [sat], opens: "09:00", closes: "12:00"}\n'
    _, findings = loaded(write(tmp_path, mixed, "global-week"))
    assert findings == [
        (
            "schedule.invalid",
            22,
            3,
            "'global-week' says when it is open in more than one way: hours and spans",
        )
    ]


def test_a_span_end_in_an_unknown_zone_is_refused(tmp_path):
    _, findings = loaded(
        write(tmp_path, SPAN.replace("timezone: Australia/Sydney", "timezone: Australia/Sidney"), "global-week")
    )
    assert findings == [("time.unknown-zone", 23, 47, "'Australia/Sidney' is not a known time zone")]


# --- 4b: a union of offices (follow the sun) -----------------------------------------------------

SUN = (
    OFFICES
    + """\
  - id: follow-the-sun
    name: Follow the sun
    timezone: UTC
    combines: [apac-office, emea-office, americas-office]
"""
)


def test_a_union_lists_its_offices_and_is_open_when_any_is(tmp_path, run_cli):
    folder = write(tmp_path, SUN, "follow-the-sun")
    policy, findings = loaded(folder)
    assert findings == []
    table = hours_table(policy)
    assert (
        "Follow the sun Open whenever any of Singapore office, Dublin office or New York office is open"
        " / Singapore office: Monday to Friday, 09:00–17:00 (Singapore)"
        " / Dublin office: Monday to Friday, 09:00–17:00 (Dublin)"
        " / New York office: Monday to Friday, 09:00–17:00 (New York)"
        " only when all of them are closed, each on its own holidays" in table
    )
    assert "New York office Monday to Friday, 09:00–17:00 (New York) public holidays (US)" in table
    # Friday 20:00 UTC (16:00 in New York) + 2 business hours: one hour in New York, then Monday 09:00 Singapore + 1 h.
    code, out, err = deadline(run_cli, folder, "--at", "2026-06-05T20:00:00+00:00")
    assert (code, err) == (0, "")
    assert "Mon 2026-06-08 02:00 UTC" in out
    # 16:30 on Christmas Eve in New York + 2 h: half an hour that day; 25 December is a holiday in every
    # office and Saturday 26th follows, so the clock waits for Monday 09:00 in Singapore (01:00 UTC) + 1 h 30.
    code, out, _ = deadline(run_cli, folder, "--at", "2026-12-24T21:30:00+00:00")
    assert code == 0 and "Mon 2026-12-28 02:30 UTC" in out
    assert exported_schedules(policy)["follow-the-sun"]["combines"] == ["apac-office", "emea-office", "americas-office"]
    assert json.loads(export_json(policy, TODAY))["targets"][0]["clock"] == "follow-the-sun"


def test_a_union_that_contains_itself_or_an_unknown_office_is_refused(tmp_path):
    broken = SUN.replace("[apac-office, emea-office, americas-office]", "[apac-office, follow-the-sun, nowhere]")
    _, findings = loaded(write(tmp_path, broken, "follow-the-sun"))
    assert findings == [
        (
            "schedule.composition",
            40,
            27,
            "'follow-the-sun' combines 'follow-the-sun', which combines 'follow-the-sun' in turn",
        ),
        ("schedule.composition", 40, 43, "'follow-the-sun' combines 'nowhere', but no schedule has that id"),
    ]


# --- 4c: hours by the customer's region ------------------------------------------------------------

REGIONAL = (
    OFFICES
    + """\
  - id: regional-office
    name: Your regional office
    timezone: UTC
    by_region:
      - {region: Americas, schedule: americas-office}
      - {region: EMEA, schedule: emea-office}
"""
)


CHANNEL = """\
channels:
  - {id: mail, kind: email, name: Support email, address: support@example.com, hours: regional-office}
"""


def test_regional_hours_list_each_region_and_deadline_needs_the_region(tmp_path, run_cli):
    folder = write(tmp_path, REGIONAL, "regional-office", extra=CHANNEL)
    policy, findings = loaded(folder)
    assert findings == []
    assert (
        "Your regional office Customers in Americas: New York office, Monday to Friday, 09:00–17:00 (New York)"
        " / Customers in EMEA: Dublin office, Monday to Friday, 09:00–17:00 (Dublin) — —" in hours_table(policy)
    )
    assert "Within 2 business hours (Your regional office)" in text_of(str(Renderer(policy).fragment("tier-matrix")))
    at = ("--at", "2026-06-05T16:00:00+00:00")  # Friday: 17:00 in Dublin (closed), 12:00 in New York
    code, out, err = deadline(run_cli, folder, *at, "--region", "emea")
    assert (code, err) == (0, "")
    assert "Clock:          EMEA: Dublin office: only open hours count" in out
    assert "Mon 2026-06-08 10:00 UTC" in out  # Monday 09:00 in Dublin + 2 h
    code, out, err = deadline(run_cli, folder, *at, "--region", "Americas")
    assert (code, err) == (0, "") and "Fri 2026-06-05 18:00 UTC" in out
    code, out, err = deadline(run_cli, folder, *at)
    assert (code, out) == (2, "")
    assert err == (
        "support-policies deadline: the clock 'regional-office' depends on the customer's region; "
        "add --region, one of Americas, EMEA\n"
    )
    code, _, err = deadline(run_cli, folder, *at, "--region", "APAC")
    assert code == 2 and "'APAC' is not a region of the clock 'regional-office'; use one of Americas, EMEA" in err
    help_page = next(p for p in Renderer(policy).pages(["get-help", "data"]) if p.path == "index.md")
    downloads = [line for line in help_page.markdown.splitlines() if ".ics" in line]
    assert "americas-office.ics" in downloads[0] and "emea-office.ics" in downloads[0]
    assert "regional-office.ics" not in downloads[0]  # its file has no hours: each region's schedule has them
    assert exported_schedules(policy)["regional-office"]["by_region"] == [
        {"region": "Americas", "schedule": "americas-office"},
        {"region": "EMEA", "schedule": "emea-office"},
    ]


def test_a_region_on_a_clock_that_does_not_depend_on_it_is_a_usage_error(tmp_path, run_cli):
    folder = write(tmp_path, OFFICES, "americas-office")
    code, _, err = deadline(run_cli, folder, "--region", "EMEA", "--at", "2026-06-05T16:00:00+00:00")
    assert code == 2
    assert (
        err
        == "support-policies deadline: --region: the clock 'americas-office' does not depend on the customer's region\n"
    )


def test_a_region_naming_an_unknown_or_regional_schedule_is_refused(tmp_path):
    broken = REGIONAL.replace(
        "schedule: emea-office}", "schedule: regional-office}\n      - {region: emea, schedule: nowhere}"
    )
    _, findings = loaded(write(tmp_path, broken, "regional-office"))
    assert findings == [
        (
            "schedule.composition",
            42,
            32,
            "'regional-office' names 'regional-office' for EMEA, which depends on the region itself",
        ),
        ("schedule.composition", 43, 16, "'regional-office' lists the region emea twice"),
        ("schedule.composition", 43, 32, "'regional-office' names 'nowhere' for emea, but no schedule has that id"),
    ]


# --- 5: date-specific hours, a lunch break, worked holidays ---------------------------------------

DESK = """\
  - id: desk
    name: Trading desk
    timezone: America/New_York
    hours:
      - {days: [mon, tue, wed, thu, fri], opens: "09:30", closes: "12:00"}
      - {days: [mon, tue, wed, thu, fri], opens: "13:00", closes: "16:00"}
    special_hours:
      - date: "2026-12-24"
        name: Christmas Eve
        hours: [{opens: "09:30", closes: "13:00"}]
      - yearly: "01-19"
        name: Opening on Martin Luther King Jr. Day
        hours: [{opens: "10:00", closes: "14:00"}]
    holidays:
      country: US
      except: ["Columbus Day", "2026-11-11"]
"""


def test_special_days_are_listed_with_their_dates_and_hours(tmp_path, run_cli):
    folder = write(tmp_path, DESK, "desk", within="1h")
    policy, findings = loaded(folder)
    assert findings == []
    table = hours_table(policy)
    assert (
        "Trading desk Monday to Friday, 09:30–12:00 (New York)"
        " / Monday to Friday, 13:00–16:00 (New York)"
        " / Special hours: / 24 December 2026 (Christmas Eve): 09:30–13:00 (New York)"
        " / Every year on 19 January (Opening on Martin Luther King Jr. Day): 10:00–14:00 (New York)"
        " public holidays (US) except Columbus Day and 11 November 2026, which are worked —" in table
    )
    assert (
        "special hours: 24 December 2026 (Christmas Eve): 09:30–13:00 (New York); "
        "Every year on 19 January (Opening on Martin Luther King Jr. Day): 10:00–14:00 (New York)."
        in plans_page(policy)
    )
    # 12:30 on Christmas Eve + 1 h: the desk closes at 13:00, Christmas is a holiday, the weekend: Monday 10:00.
    code, out, err = deadline(run_cli, folder, "--at", "2026-12-24T12:30:00-05:00")
    assert (code, err) == (0, "")
    assert "Mon 2026-12-28 15:00 UTC" in out
    # the lunch break stops the clock: 11:30 + 1 h is 13:30
    code, out, _ = deadline(run_cli, folder, "--at", "2026-12-23T11:30:00-05:00")
    assert code == 0 and "Wed 2026-12-23 18:30 UTC" in out
    # Martin Luther King Jr. Day 2026 (19 January) is a public holiday with a special opening at 10:00
    code, out, _ = deadline(run_cli, folder, "--at", "2026-01-19T08:00:00-05:00")
    assert code == 0 and "Mon 2026-01-19 16:00 UTC" in out
    # Columbus Day (12 October 2026) is worked: due the same morning
    code, out, _ = deadline(run_cli, folder, "--at", "2026-10-12T10:00:00-04:00")
    assert code == 0 and "Mon 2026-10-12 15:00 UTC" in out
    exported = exported_schedules(policy)["desk"]
    assert exported["holidays"] == {"country": "US", "except": ["Columbus Day", "2026-11-11"]}
    assert exported["special_hours"][0] == {
        "name": "Christmas Eve",
        "date": "2026-12-24",
        "hours": [{"opens": "09:30", "closes": "13:00"}],
    }


@pytest.mark.parametrize(
    ("old", "new", "expected"),
    [
        pytest.param(
            'closes: "13:00"}]',
            'closes: "01:00"}]',
            ("schedule.invalid", 28, 40, "the special hours 'Christmas Eve' open at 09:30 and close at 01:00"),
            id="overnight",
        ),
        pytest.param(
            '"2026-12-24"',
            '"2026-02-30"',
            ("schedule.invalid", 26, 13, "2026-02-30 is not a date on the calendar"),
            id="no such date",
        ),
        pytest.param(
            '- yearly: "01-19"',
            '- date: "2026-12-24"\n        yearly: "01-19"',
            (
                "schedule.invalid",
                31,
                7,
                "the special hours 'Opening on Martin Luther King Jr. Day' need either a date or a yearly month"
                " and day",
            ),
            id="date and yearly",
        ),
        pytest.param(
            '"Columbus Day"',
            '"Colombus Day"',
            ("holidays.unknown-exception", 34, 14, "'Colombus Day' is not a holiday name of US"),
            id="misspelt holiday",
        ),
        pytest.param(
            '"2026-11-11"',
            '"2026-11-12"',
            ("holidays.unknown-exception", 34, 30, "'2026-11-12' is not a holiday date of US"),
            id="not a holiday",
        ),
    ],
)
def test_special_days_and_worked_holidays_the_arithmetic_cannot_use_are_refused(tmp_path, old, new, expected):
    assert old in DESK
    _, findings = loaded(write(tmp_path, DESK.replace(old, new), "desk"))
    assert findings == [expected]


def test_a_misspelt_worked_holiday_gets_a_suggestion(tmp_path):
    result = load_policies([write(tmp_path, DESK.replace('"Columbus Day"', '"columbus dya"'), "desk")])
    assert [f.hint for f in result.findings] == ["Did you mean 'Columbus Day'?"]


# --- 10: a schedule that only holds maintenance windows --------------------------------------------

MAINTENANCE = """\
  - id: office
    name: Office hours
    timezone: America/Chicago
    hours:
      - {days: [mon, tue, wed, thu, fri], opens: "08:00", closes: "17:00"}
  - id: platform
    name: Platform operations
    timezone: America/Chicago
    always_open: true
    maintenance:
      - {id: nightly, name: Nightly upgrade, days: [tue], starts: "02:00", ends: "03:00"}
"""
STATUS = """\
status:
  maintenance: {schedule: platform}
"""


def test_a_maintenance_only_schedule_is_not_listed_as_support_hours(tmp_path):
    policy, findings = loaded(write(tmp_path, MAINTENANCE, "office", extra=STATUS))
    assert [f for f in findings if f[0] != "uptime.maintenance-budget"] == []
    table = hours_table(policy)
    assert "Office hours Monday to Friday, 08:00–17:00 (Chicago)" in table
    assert "Platform operations" not in table
    assert "Platform operations" not in plans_page(policy)


def test_a_maintenance_schedule_that_is_also_a_clock_stays_listed(tmp_path):
    policy, _ = loaded(write(tmp_path, MAINTENANCE, "platform", extra=STATUS))
    table = hours_table(policy)
    assert "Platform operations 24 hours a day, 7 days a week (Chicago)" in table
    assert "Nightly upgrade: Tuesday, 02:00–03:00 (Chicago)" in table  # the window's name, never its id
    assert "nightly" not in table


# --- overnight hours ---------------------------------------------------------------------------------


def test_overnight_hours_say_the_next_day(tmp_path):
    night = """\
      - id: night
        name: Night desk
        timezone: Europe/London
        hours:
          - {days: [sun, mon, tue, wed, thu], opens: "22:00", closes: "06:00"}
    """
    policy, findings = loaded(write(tmp_path, night, "night"))
    assert findings == []
    assert "Night desk Sunday to Thursday, 22:00–06:00 the next day (London)" in hours_table(policy)
