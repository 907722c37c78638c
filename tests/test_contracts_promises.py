"""Issue 12, slice B: promises of real contracts, from policy files to what customers read.

Each concept is written as a policy set in the test, then followed to the exact words of the
plans page or its fragments, the ``deadline`` command's answer, the row of the JSON export,
and the rule findings of a passing and a failing variant.

Concepts: best-effort targets (1), conditional promises, otherwise a promise or handled as
another severity (2), staffing per severity (3), kinds of promise and their order, with
updates worded as repeating (6), the clock rules (7), and item 10's plan and matrix fixes
(a covered target's note, a tier covering nothing, lists worded as lists, a duration too
long to compute).
"""

from __future__ import annotations

import json
import textwrap
from dataclasses import replace
from datetime import date
from html import unescape
from pathlib import Path

import pytest
from bs4 import BeautifulSoup
from hypothesis import given, settings
from hypothesis import strategies as st

from support_policies.exports.data import export_document
from support_policies.policyset import load_policies
from support_policies.render import Renderer

TODAY = date(2026, 5, 4)

BASE = """\
organization:
  name: Example Co
  timezone: America/Chicago
severities:
  - {id: critical, rank: 1, name: Critical, definition: Production is down.}
  - {id: high, rank: 2, name: High, definition: A core feature is broken.}
  - {id: low, rank: 3, name: Low, definition: A question or a minor problem.}
  - {id: cosmetic, rank: 4, name: Cosmetic, definition: Something looks wrong.}
schedules:
  - id: office
    name: Office hours
    timezone: America/Chicago
    hours:
      - {days: [mon, tue, wed, thu, fri], opens: "08:00", closes: "17:00"}
  - id: on-call
    name: On call
    timezone: America/Chicago
    always_open: true
"""


def write(tmp_path: Path, tiers: str) -> Path:
    folder = tmp_path / "policies"
    folder.mkdir(exist_ok=True)
    (folder / "policy.yaml").write_text(BASE + "tiers:\n" + textwrap.dedent(tiers), "utf-8")
    return folder


def loaded(folder: Path):
    result = load_policies([folder])
    return result.policy, [(f.rule, f.line, f.column, f.message) for f in result.findings]


def text_of(html: str, selector: str) -> list[str]:
    return [
        " ".join(unescape(node.get_text(" ")).split()) for node in BeautifulSoup(html, "html.parser").select(selector)
    ]


def rows(folder: Path) -> list[dict]:
    policy, _ = loaded(folder)
    document = json.loads(json.dumps(export_document(policy, TODAY)))
    return document["targets"]


PLAN = """\
  - id: standard
    name: Standard
    level: 1
    obtained: included
    hours: office
    targets:
      critical:
        acknowledge: {{within: 8h, clock: office}}
      high:
        acknowledge: {{within: 16h, clock: office}}
      low:
        acknowledge: {{within: 3d, clock: office{low}}}
      cosmetic:
        covered: false
"""


# --- 1. best effort ------------------------------------------------------------------------


def test_best_effort_is_said_on_the_page_in_deadline_and_in_the_export(tmp_path, run_cli):
    folder = write(tmp_path, PLAN.format(low=", best_effort: true"))
    policy, findings = loaded(folder)
    assert findings == []
    matrix = Renderer(policy).fragment("tier-matrix")
    assert text_of(matrix, '[data-severity="low"]') == [
        "Within 3 business days (Office hours); best effort, an aim rather than a guarantee"
    ]
    code, out, err = run_cli(
        "deadline", folder, "--tier", "standard", "--severity", "low", "--at", "2026-11-25T10:00-06:00", cwd=tmp_path
    )
    assert (code, err) == (0, "")
    assert out.splitlines()[:3] == [
        "Standard, Low severity, acknowledge: within 3 business days (Office hours); best effort, an aim rather "
        "than a guarantee",
        "Clock:          Office hours: only open hours count; Monday to Friday, 08:00–17:00 (Chicago)",
        "Best effort:    an aim rather than a guarantee",
    ]
    code, out, _ = run_cli(
        "deadline", folder, "--tier", "standard", "--severity", "low", "--at", "2026-11-25T10:00-06:00",
        "--format", "json", cwd=tmp_path,
    )  # fmt: skip
    assert json.loads(out)["promises"][0]["best_effort"] is True
    assert [r for r in rows(folder) if r["severity"] == "low"] == [
        {
            "tier": "standard", "severity": "low", "covered": True, "promise": "acknowledge", "max": "3d",
            "max_minutes": 4320, "clock": "office", "business_hours": True, "best_effort": True, "staffed": "office",
        }
    ]  # fmt: skip


BETTER = """\
  - id: better
    name: Better
    level: 2
    obtained: paid
    hours: office
    targets:
      critical:
        acknowledge: {{within: 4h, clock: office}}
      high:
        acknowledge: {{within: 8h, clock: office}}
      low:
        acknowledge: {{within: 1d, clock: office{low}}}
      cosmetic:
        acknowledge: {{within: 5d, clock: office, best_effort: true}}
"""


@pytest.mark.parametrize(
    "lower, higher, expected",
    [
        ("", "", []),  # both guarantee
        (", best_effort: true", "", []),  # a guarantee is stronger than an aim, even a slower one
        (", best_effort: true", ", best_effort: true", []),
        (
            "",
            ", best_effort: true",
            [
                (
                    "tiers.slower-than-lower-tier",
                    45,
                    61,
                    "'Better' only aims to acknowledge low incidents (best effort), but the lower tier 'Standard' "
                    "guarantees it: within 3 business days (Office hours)",
                )
            ],
        ),
    ],
    ids=["guarantees", "guarantee-over-aim", "aims", "aim-over-guarantee"],
)
def test_ordering_treats_best_effort_as_weaker_than_any_guarantee(tmp_path, lower, higher, expected):
    folder = write(tmp_path, PLAN.format(low=lower) + BETTER.format(low=higher))
    assert loaded(folder)[1] == expected


def test_a_more_severe_incident_is_not_best_effort_where_a_milder_one_is_guaranteed(tmp_path):
    plan = PLAN.format(low="").replace(
        "{within: 16h, clock: office}", "{within: 16h, clock: office, best_effort: true}"
    )
    assert loaded(write(tmp_path, plan))[1] == [
        (
            "severities.out-of-order",
            29,
            62,
            "on 'Standard', acknowledge for high incidents is only best effort, but it is guaranteed for the less "
            "severe low incidents",
        )
    ]


# --- 2. conditional promises ---------------------------------------------------------------

CONDITIONAL = """\
  - id: premium
    name: Premium
    level: 1
    obtained: contract
    hours: office
    targets:
      critical:
        hours: on-call
        acknowledge:
          within: 1h
          clock: 24x7
          condition:
            requires: You name a contact who can be reached **around the clock**.
            otherwise: {otherwise}
      high:
        acknowledge: {{within: 4h, clock: office}}
      low:
        acknowledge: {{within: 2d, clock: office}}
      cosmetic:
        covered: false
"""


def test_a_condition_is_shown_next_to_its_promise_with_what_applies_otherwise(tmp_path):
    folder = write(tmp_path, CONDITIONAL.format(otherwise="{within: 4h, clock: office}"))
    policy, findings = loaded(folder)
    assert findings == []
    renderer = Renderer(policy)
    expected = [
        "Within 1 hour, around the clock Only if: You name a contact who can be reached around the clock . "
        "Otherwise within 4 business hours (Office hours)."
    ]
    assert text_of(renderer.fragment("tier-matrix"), '[data-severity="critical"]') == expected
    assert "<strong>around the clock</strong>" in str(renderer.fragment("tier-targets", tier="premium"))
    row = next(r for r in rows(folder) if r["severity"] == "critical")
    assert row["condition"] == {
        "requires": "You name a contact who can be reached **around the clock**.",
        "otherwise": {"max": "4h", "max_minutes": 240, "clock": "office", "business_hours": True, "best_effort": False},
    }
    # The export's policy loads back into the same policy set (the examples in tests/test_exports.py too).
    again = tmp_path / "again.json"
    again.write_text(json.dumps(export_document(policy, TODAY)["policy"]), "utf-8")
    assert replace(load_policies([again]).policy, files=policy.files) == policy


def test_handled_as_another_severity_names_it_and_its_promise(tmp_path):
    folder = write(tmp_path, CONDITIONAL.format(otherwise="{handled_as: high}"))
    policy, findings = loaded(folder)
    assert findings == []
    assert text_of(Renderer(policy).fragment("tier-matrix"), '[data-severity="critical"] small') == [
        "Only if: You name a contact who can be reached around the clock . Otherwise it is handled as a High "
        "incident: within 4 business hours (Office hours)."
    ]
    row = next(r for r in rows(folder) if r["severity"] == "critical")
    assert row["condition"]["otherwise"] == {"handled_as": "high"}


def test_deadline_computes_both_cases_of_a_condition_or_the_one_asked_for(tmp_path, run_cli):
    folder = write(tmp_path, CONDITIONAL.format(otherwise="{within: 4h, clock: office}"))
    args = ("deadline", folder, "--tier", "premium", "--severity", "critical", "--at", "2026-11-27T16:00-06:00")
    code, out, err = run_cli(*args, cwd=tmp_path)
    assert (code, err) == (0, "")
    assert out.splitlines()[-6:] == [
        "Due by:         Fri 2026-11-27 17:00 CST  America/Chicago (provider)",
        "                Fri 2026-11-27 23:00 UTC",
        "Condition:      the times above hold only if: You name a contact who can be reached **around the clock**.",
        "Otherwise:      within 4 business hours (Office hours)",
        "Otherwise due:  Mon 2026-11-30 11:00 CST  America/Chicago (provider)",
        "                Mon 2026-11-30 17:00 UTC",
    ]
    code, out, _ = run_cli(*args, "--condition", "unmet", cwd=tmp_path)
    assert code == 0
    assert out.splitlines()[0] == (
        "Premium, Critical severity, acknowledge (condition not met): within 4 business hours (Office hours)"
    )
    assert "Due by:         Mon 2026-11-30 11:00 CST  America/Chicago (provider)" in out
    code, out, _ = run_cli(*args, "--format", "json", cwd=tmp_path)
    condition = json.loads(out)["promises"][0]["condition"]
    assert condition["case"] == "met" and condition["otherwise_due"] == "2026-11-30T17:00:00Z"
    code, _, err = run_cli(*args[:5], "high", *args[6:], "--condition", "met", cwd=tmp_path)
    assert (code, err.strip()) == (
        2,
        "support-policies deadline: --condition: Premium gives high incidents no promise with a condition",
    )


LOWER_PLAN = """\
  - id: basic
    name: Basic
    level: 1
    obtained: included
    hours: office
    targets:
      critical:
        acknowledge: {within: 2h, clock: office}
      high:
        acknowledge: {within: 8h, clock: office}
      low:
        acknowledge: {within: 3d, clock: office}
      cosmetic:
        covered: false
"""


@pytest.mark.parametrize(
    "otherwise, expected",
    [
        ("{within: 2h, clock: office}", []),
        (
            "{within: 3h, clock: office}",
            [
                (
                    "tiers.slower-than-lower-tier",
                    46,
                    11,
                    "'Premium' is slower to acknowledge critical incidents when the condition is not met than the "
                    "lower tier 'Basic': within 3 business hours (Office hours) (worst case 67 hours) against within "
                    "2 business hours (Office hours) (worst case 66 hours)",
                )
            ],
        ),
        (
            "{handled_as: cosmetic}",
            [
                (
                    "promises.condition-invalid",
                    47,
                    35,
                    "'Premium' makes no acknowledge promise for cosmetic incidents, so 'handled as cosmetic' "
                    "promises nothing",
                )
            ],
        ),
        (
            "{handled_as: critical}",
            [
                (
                    "promises.condition-invalid",
                    47,
                    35,
                    "a critical incident cannot be handled as critical when the condition is not met",
                )
            ],
        ),
    ],
    ids=["both-cases-fast-enough", "unmet-case-slower", "handled-as-uncovered", "handled-as-itself"],
)
def test_rules_check_both_cases_of_a_condition(tmp_path, otherwise, expected):
    folder = write(tmp_path, LOWER_PLAN + CONDITIONAL.format(otherwise=otherwise).replace("level: 1", "level: 2"))
    assert loaded(folder)[1] == expected


# --- 3. staffing per severity ---------------------------------------------------------------


def test_the_sample_premium_plan_is_staffed_around_the_clock_only_for_critical_and_high(repo):
    policy = load_policies([repo / "policies"]).policy
    page = Renderer(policy).page("plans.md", title="Plans")
    assert (
        "<strong>Hours of operation:</strong> Around the clock for Critical and High incidents; Standard hours for "
        "Medium, Low and Cosmetic incidents.</p>"
    ) in page
    assert "<strong>Hours of operation:</strong> Standard hours.</p>" in page  # Break-Fix, as before
    staffed = {
        (r["severity"], r["staffed"]) for r in export_document(policy, TODAY)["targets"] if r["tier"] == "premium"
    }
    assert staffed == {
        ("critical", "around-the-clock"),
        ("high", "around-the-clock"),
        ("medium", "standard-hours"),
        ("low", "standard-hours"),
        ("cosmetic", "standard-hours"),
    }


@pytest.mark.parametrize(
    "staffing, expected",
    [
        ("        hours: on-call\n", []),
        (
            "",
            [
                (
                    "tiers.clock-outside-hours",
                    29,
                    16,
                    "'Premium' is staffed 'Office hours' but promises acknowledge for critical on the '24x7' clock",
                )
            ],
        ),
    ],
    ids=["staffed-on-call", "staffed-office-hours"],
)
def test_clock_outside_hours_reasons_per_severity(tmp_path, staffing, expected):
    tiers = CONDITIONAL.format(otherwise="{within: 4h, clock: office}").replace("        hours: on-call\n", staffing)
    assert loaded(write(tmp_path, tiers))[1] == expected


# --- 6. kinds of promise -------------------------------------------------------------------

KINDS = """\
  - id: premium
    name: Premium
    level: 1
    obtained: contract
    hours: 24x7
    targets:
      critical:
        acknowledge: {within: 1h, clock: 24x7}
        update: {within: 4h, clock: 24x7}
        restore: {within: RESTORE, clock: 24x7}
        resolve: {within: 5d, clock: 24x7}
      high:
        acknowledge: {within: 4h, clock: 24x7}
      low:
        acknowledge: {within: 1d, clock: 24x7}
      cosmetic:
        covered: false
"""


def test_updates_are_worded_as_repeating_and_restore_is_its_own_column(tmp_path, run_cli):
    folder = write(tmp_path, KINDS.replace("RESTORE", "8h"))
    policy, findings = loaded(folder)
    assert findings == []
    targets = Renderer(policy).fragment("tier-targets", tier="premium")
    assert text_of(targets, "thead th") == [
        "Severity", "Definition", "Acknowledgement", "Updates", "Workaround", "Resolution", "Escalation",
    ]  # fmt: skip
    assert text_of(targets, "tbody tr:first-child td")[1:5] == [
        "Within 1 hour, around the clock",
        "At least every 4 hours, around the clock",
        "Within 8 hours, around the clock",
        "Within 5 days, around the clock",
    ]
    code, out, _ = run_cli(
        "deadline", folder, "--tier", "premium", "--severity", "critical", "--kind", "update",
        "--at", "2026-11-27T16:00-06:00", cwd=tmp_path,
    )  # fmt: skip
    assert code == 0
    assert out.splitlines()[0] == "Premium, Critical severity, update: at least every 4 hours, around the clock"
    assert {r["promise"] for r in rows(folder) if r["severity"] == "critical"} == {
        "acknowledge", "update", "restore", "resolve",
    }  # fmt: skip


def test_a_workaround_never_falls_due_before_the_first_response(tmp_path):
    assert loaded(write(tmp_path, KINDS.replace("RESTORE", "30m")))[1] == [
        (
            "promises.out-of-sequence",
            29,
            25,
            "on 'Premium', a workaround for critical incidents can fall due before the first response: worst case "
            "0.5 hours against 1 hour",
        )
    ]


def test_a_higher_tier_never_drops_a_kind_of_promise_a_lower_tier_makes(tmp_path):
    lower = KINDS.replace("RESTORE", "8h").replace("id: premium", "id: basic").replace("name: Premium", "name: Basic")
    higher = (
        KINDS.replace("RESTORE", "8h")
        .replace("level: 1", "level: 2")
        .replace("        update: {within: 4h, clock: 24x7}\n", "")
    )
    assert loaded(write(tmp_path, lower + higher))[1] == [
        (
            "tiers.promise-dropped",
            43,
            5,
            "'Premium' makes no update promise for critical incidents, but the lower tier 'Basic' does",
        )
    ]


# --- 7. clock rules ------------------------------------------------------------------------

RULES = """\
  - id: premium
    name: Premium
    level: 1
    obtained: contract
    hours: office
    clock_rules:
      starts: confirmed
      pauses: [waiting-on-customer, waiting-on-third-party]
      response: person
      reclassify: Support may lower the severity after talking to you.
    targets:
      critical:
        acknowledge: {within: 4h, clock: office}
      high:
        acknowledge: {within: 8h, clock: office}
      low:
        acknowledge: {within: 2d, clock: office}
      cosmetic:
        covered: false
"""


def test_clock_rules_are_listed_under_the_plan(tmp_path):
    policy, findings = loaded(write(tmp_path, RULES))
    assert findings == []
    assert text_of(Renderer(policy).fragment("tier-targets", tier="premium"), ".sp-clock-rules li") == [
        "The clock starts when support confirms the incident's severity.",
        "The clock pauses while support waits for information or a reply from you and while support waits on a "
        "third party.",
        "A response is a reply from a support engineer; automatic acknowledgements do not count.",
        "Severity changes: Support may lower the severity after talking to you.",
    ]


def test_an_organization_default_applies_to_every_plan_without_its_own(tmp_path):
    folder = write(tmp_path, PLAN.format(low=""))
    text = (folder / "policy.yaml").read_text("utf-8")
    (folder / "policy.yaml").write_text(
        text.replace(
            "  timezone: America/Chicago\n", "  timezone: America/Chicago\n  clock_rules: {response: person}\n", 1
        )
    )
    policy, findings = loaded(folder)
    assert findings == []
    assert text_of(Renderer(policy).fragment("tier-targets", tier="standard"), ".sp-clock-rules li") == [
        "The clock starts when the ticket is created.",
        "A response is a reply from a support engineer; automatic acknowledgements do not count.",
    ]


def test_deadline_counts_from_the_confirmation_and_stops_while_paused(tmp_path, run_cli):
    folder = write(tmp_path, RULES)
    args = ("deadline", folder, "--tier", "premium", "--severity", "critical", "--at", "2026-11-30T09:00-06:00")
    code, out, _ = run_cli(*args, cwd=tmp_path)
    assert code == 0
    assert "Due by:         Mon 2026-11-30 13:00 CST  America/Chicago (provider)" in out
    assert "not given (--confirmed-at)" in out
    code, out, err = run_cli(
        *args, "--confirmed-at", "2026-11-30T10:00-06:00", "--paused", "2026-11-30T11:00-06:00/2026-11-30T16:00-06:00",
        cwd=tmp_path,
    )  # fmt: skip
    assert (code, err) == (0, "")
    lines = out.splitlines()
    assert "Confirmed:      Mon 2026-11-30 10:00 CST  America/Chicago (provider)" in lines
    assert "Paused:         Mon 2026-11-30 11:00 CST to Mon 2026-11-30 16:00 CST  America/Chicago (provider)" in lines
    assert "Response:       a reply from a support engineer; automatic acknowledgements do not count" in lines
    # 10:00–11:00 counts (1 h), 11:00–16:00 is paused, 16:00–17:00 counts (2 h), then Tuesday 08:00–10:00.
    assert "Due by:         Tue 2026-12-01 10:00 CST  America/Chicago (provider)" in lines
    code, out, _ = run_cli(
        *args, "--confirmed-at", "2026-11-30T10:00-06:00", "--paused", "2026-11-30T11:00-06:00/2026-11-30T16:00-06:00",
        "--format", "json", cwd=tmp_path,
    )  # fmt: skip
    document = json.loads(out)
    assert document["promises"][0]["due"] == "2026-12-01T16:00:00Z"
    assert document["clock_rules"]["confirmed_at"]["utc"] == "2026-11-30T16:00:00Z"


def test_clock_rule_options_are_refused_where_the_plan_has_no_such_rule(tmp_path, run_cli):
    folder = write(tmp_path, PLAN.format(low=""))
    args = ("deadline", folder, "--tier", "standard", "--severity", "critical", "--at", "2026-11-30T09:00-06:00")
    code, _, err = run_cli(*args, "--confirmed-at", "2026-11-30T10:00-06:00", cwd=tmp_path)
    assert (code, err.strip()) == (
        2,
        "support-policies deadline: --confirmed-at: on Standard the clock starts when the ticket is created",
    )
    code, _, err = run_cli(*args, "--paused", "2026-11-30T10:00-06:00/2026-11-30T11:00-06:00", cwd=tmp_path)
    assert (code, err.strip()) == (
        2,
        "support-policies deadline: --paused: the clock rules of Standard name nothing that pauses the clock",
    )


# --- 10. plan and matrix fixes ---------------------------------------------------------------


def test_a_covered_targets_note_is_shown_on_the_page(tmp_path):
    tiers = PLAN.format(low="").replace(
        "        acknowledge: {within: 8h, clock: office}\n",
        "        acknowledge: {within: 8h, clock: office}\n        note: Call the hotline as well.\n",
    )
    policy, findings = loaded(write(tmp_path, tiers))
    assert findings == []
    renderer = Renderer(policy)
    assert text_of(renderer.fragment("tier-targets", tier="standard"), "tbody tr:first-child td")[0] == (
        "Production is down. Call the hotline as well."
    )
    assert text_of(renderer.fragment("tier-matrix"), '[data-severity="critical"]') == [
        "Within 8 business hours (Office hours) Call the hotline as well."
    ]


def test_a_tier_that_covers_no_severity_has_no_colspan_zero(tmp_path):
    nothing = """\
      - id: none
        name: Nothing
        level: 1
        obtained: included
        hours: office
        targets:
          critical: {covered: false}
          high: {covered: false}
          low: {covered: false}
          cosmetic: {covered: false}
    """
    tiers = textwrap.indent(textwrap.dedent(nothing), "  ") + PLAN.format(low="").replace("level: 1", "level: 2")
    policy, findings = loaded(write(tmp_path, tiers))
    assert findings == []
    html = str(Renderer(policy).fragment("tier-targets", tier="none"))
    assert 'colspan="0"' not in html
    soup = BeautifulSoup(html, "html.parser")
    header = [th.get_text() for th in soup.select("thead th")]
    assert header == ["Severity", "Definition", "Targets", "Escalation"]
    assert all(len(tr.select("th, td")) == len(header) for tr in soup.select("tbody tr"))


def test_a_duration_too_long_to_compute_is_refused_as_too_long(tmp_path, run_cli):
    folder = write(
        tmp_path, PLAN.format(low="").replace("{within: 3d, clock: office}", "{within: 99999h, clock: office}")
    )
    assert loaded(folder)[1] == [
        (
            "promises.too-long",
            31,
            29,
            "the duration 99999h is too long: on the 'Office hours' clock it can fall due more than five years after "
            "a ticket is filed, further than deadline computes",
        )
    ]
    code, out, _ = run_cli("check", folder, cwd=tmp_path)
    assert code == 1 and "too long" in out and "no open time" not in out


# --- pauses, against a minute-by-minute walk ---------------------------------------------------


@given(
    start=st.integers(0, 14 * 24 * 60),
    hours=st.integers(1, 30),
    pauses=st.lists(st.tuples(st.integers(0, 21 * 24 * 60), st.integers(1, 3 * 24 * 60)), max_size=3),
    round_the_clock=st.booleans(),
)
@settings(max_examples=150, deadline=None, derandomize=True, database=None)
def test_pauses_take_exactly_their_open_minutes_out(start, hours, pauses, round_the_clock):
    from datetime import UTC, datetime, timedelta

    from support_policies import clockrules
    from support_policies.calendar import Calendar
    from support_policies.model import Duration, OpenHours, Schedule

    office = Schedule(
        "office", "Office", "America/Chicago", hours=(OpenHours(("mon", "tue", "wed", "thu", "fri"), "08:00", "17:00"),)
    )
    cal = Calendar.always("America/Chicago") if round_the_clock else Calendar.for_schedule(office)
    origin = datetime(2026, 3, 2, tzinfo=UTC)  # a Monday, a week before the spring-forward change
    filed = origin + timedelta(minutes=start)
    spans = [(origin + timedelta(minutes=a), origin + timedelta(minutes=a + n)) for a, n in pauses]
    due = clockrules.add(cal, filed, Duration(hours, "h"), spans)
    if not spans:
        assert due == cal.add(filed, Duration(hours, "h"))
    t, left = filed, hours * 60
    while left:
        if cal.is_open(t) and not any(a <= t < b for a, b in spans):
            left -= 1
        t += timedelta(minutes=1)
    assert due == t


# --- per-severity staffing between tiers, and a built example site --------------------------------


def test_a_higher_tier_is_staffed_for_a_severity_whenever_a_lower_one_is(tmp_path):
    lower = CONDITIONAL.format(otherwise="{within: 4h, clock: office}").replace("id: premium", "id: night")
    lower = lower.replace("name: Premium", "name: Night")
    higher = (
        PLAN.format(low="")
        .replace("level: 1", "level: 2")
        .replace(
            "        acknowledge: {within: 8h, clock: office}\n",
            "        acknowledge: {within: 1h, clock: 24x7}\n",
        )
    )
    findings = loaded(write(tmp_path, lower + higher))[1]
    assert [f for f in findings if f[0] == "tiers.hours-not-included"] == [
        (
            "tiers.hours-not-included",
            44,
            10,
            "'Standard' is not staffed for critical incidents at Wednesday 18:00 (America/Chicago), first on "
            "2025-12-31, when the lower tier 'Night' is",
        )
    ]


def test_the_staffing_example_says_each_severitys_hours_on_the_built_page(repo, tmp_path):
    import shutil

    from sites import mkdocs_build, soup

    project = tmp_path / "site"
    shutil.copytree(repo / "examples/contracts/per-severity-staffing", project)
    done = mkdocs_build(project)
    assert done.returncode == 0, done.stderr
    page = soup(project / "site/support/plans/index.html")
    said = [" ".join(p.get_text(" ").split()) for p in page.select("p") if "Hours of operation" in p.get_text()]
    assert said[-1].endswith(
        "Hours of operation: On call around the clock for Emergency incidents; Weekdays around the clock for "
        "Degraded and Question incidents."
    )
    rules = [" ".join(li.get_text(" ").split()) for li in page.select("#clock-rules-priority li")]
    assert rules[0] == "The clock starts when support confirms the incident's severity."


def test_a_target_not_covered_states_no_staffing(tmp_path):
    tiers = PLAN.format(low="").replace(
        "      cosmetic:\n        covered: false\n", "      cosmetic:\n        covered: false\n        hours: on-call\n"
    )
    assert loaded(write(tmp_path, tiers))[1] == [
        (
            "coverage.missing",
            34,
            14,
            "tier 'standard' marks 'cosmetic' as not covered but states its staffing hours",
        )
    ]
