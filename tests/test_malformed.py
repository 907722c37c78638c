"""Malformed policies: each case breaks one thing in a small valid policy set.

Every case replaces (or adds) one file of ``BASE`` and lists every finding the whole
pipeline reports, as (rule, line, column) in that file. Positions are literal: count
the columns in the YAML written right above them.
"""

from __future__ import annotations

import textwrap
from pathlib import Path

import pytest

from support_policies.findings import Level
from support_policies.policyset import load_policies

BASE = {
    "organization.yaml": """\
        organization:
          name: Example
        """,
    "severities.yaml": """\
        severities:
          - id: critical
            rank: 1
            name: Critical
            definition: The service is down.
          - id: high
            rank: 2
            name: High
            definition: A feature is badly broken.
        """,
    "schedules.yaml": """\
        schedules:
          - id: office-hours
            name: Office hours
            timezone: Europe/London
            hours:
              - days: [mon, tue, wed, thu, fri]
                opens: "09:00"
                closes: "17:00"
        """,
    "tiers.yaml": """\
        tiers:
          - id: standard
            name: Standard
            level: 1
            obtained: included
            hours: office-hours
            targets:
              critical:
                acknowledge: {within: 4h, clock: office-hours}
              high:
                acknowledge: {within: 1d, clock: office-hours}
        """,
    "channels.yaml": """\
        channels:
          - id: support
            kind: email
            name: Support
            address: support@example.com
            template: ticket
        ticket_templates:
          - id: ticket
            name: Ticket
            fields:
              - id: summary
                label: Summary
                kind: text
        """,
}


def write_set(folder: Path, files: dict[str, str]) -> None:
    for name, text in files.items():
        (folder / name).write_bytes(textwrap.dedent(text).encode("utf-8"))


def case(id, file, text, rule, line, column, *, hint=None, message=None, also=()):
    """One malformed case: ``file`` holds ``text``; the finding expected there; others in ``also``."""
    return pytest.param(file, text, (rule, line, column), hint, message, tuple(also), id=id)


CASES = [
    # --- promises of real contracts (issue 12, slice B) ------------------------------------
    case(
        "otherwise-promise-without-clock",
        "tiers.yaml",
        """\
        tiers:
          - id: standard
            name: Standard
            level: 1
            obtained: included
            hours: office-hours
            targets:
              critical:
                acknowledge:
                  within: 4h
                  clock: office-hours
                  condition:
                    requires: You name a contact.
                    otherwise: {within: 8h}
              high:
                acknowledge: {within: 1d, clock: office-hours}
        """,
        "schema.required",
        14,
        13,
        message="tiers[0].targets.critical.acknowledge.condition.otherwise is missing the required key 'clock'",
    ),
    case(
        "handled-as-with-a-promise",
        "tiers.yaml",
        """\
        tiers:
          - id: standard
            name: Standard
            level: 1
            obtained: included
            hours: office-hours
            targets:
              critical:
                acknowledge:
                  within: 4h
                  clock: office-hours
                  condition: {requires: You name a contact., otherwise: {handled_as: high, within: 8h}}
              high:
                acknowledge: {within: 1d, clock: office-hours}
        """,
        "schema.unknown-key",
        12,
        84,
        hint="Allowed keys: handled_as.",
    ),
    case(
        "pause-not-a-known-reason",
        "tiers.yaml",
        """\
        tiers:
          - id: standard
            name: Standard
            level: 1
            obtained: included
            hours: office-hours
            clock_rules: {pauses: [lunch]}
            targets:
              critical:
                acknowledge: {within: 4h, clock: office-hours}
              high:
                acknowledge: {within: 1d, clock: office-hours}
        """,
        "schema.enum",
        7,
        28,
    ),
    # --- keys --------------------------------------------------------------------------
    case(
        "misspelled-key",
        "severities.yaml",
        """\
        severities:
          - id: critical
            rank: 1
            name: Critical
            defintion: The service is down.
        """,
        "schema.unknown-key",
        5,
        5,
        hint="Did you mean 'definition'?",
        also=[("schema.required", 2, 5)],
    ),
    case(
        "misspelled-section",
        "organization.yaml",
        """\
        organization:
          name: Example
        severites:
          - id: low
        """,
        "schema.unknown-key",
        3,
        1,
        hint="Did you mean 'severities'?",
    ),
    case(
        "unknown-key-without-close-match",
        "organization.yaml",
        """\
        organization:
          name: Example
          mascot: Owl
        """,
        "schema.unknown-key",
        3,
        3,
        hint="Allowed keys: name, product",
    ),
    case(
        "missing-required-key-in-list-item",
        "severities.yaml",
        """\
        severities:
          - id: critical
            rank: 1
            name: Critical
            definition: The service is down.
          - id: high
            name: High
            definition: A feature is badly broken.
        """,
        "schema.required",
        6,
        5,
        message="missing the required key 'rank'",
    ),
    case(
        "missing-required-key-in-section",
        "organization.yaml",
        """\
        organization:
          product: Example API
        """,
        "schema.required",
        1,
        1,
        message="missing the required key 'name'",
    ),
    case(
        "duplicate-key",
        "severities.yaml",
        """\
        severities:
          - id: critical
            rank: 1
            rank: 2
            name: Critical
            definition: The service is down.
        """,
        "yaml.duplicate-key",
        4,
        5,
        message="first at line 3",
    ),
    # --- enums -------------------------------------------------------------------------
    case(
        "wrong-enum-with-suggestion",
        "tiers.yaml",
        """\
        tiers:
          - id: standard
            name: Standard
            level: 1
            obtained: include
            hours: office-hours
            targets:
              critical:
                acknowledge: {within: 4h, clock: office-hours}
        """,
        "schema.enum",
        5,
        15,
        hint="Did you mean 'included'?",
    ),
    case(
        "wrong-enum-without-suggestion",
        "channels.yaml",
        """\
        channels:
          - id: support
            kind: fax
            name: Support
        """,
        "schema.enum",
        3,
        11,
        hint="Use one of: email, web-form, phone",
    ),
    case(
        "misspelled-weekday",
        "schedules.yaml",
        """\
        schedules:
          - id: office-hours
            name: Office hours
            timezone: Europe/London
            hours:
              - days: [monday, tue]
                opens: "09:00"
                closes: "17:00"
        """,
        "schema.enum",
        6,
        16,
        hint="Did you mean 'mon'?",
    ),
    # --- durations and the within oneOf ------------------------------------------------
    case(
        "duration-in-words",
        "tiers.yaml",
        """\
        tiers:
          - id: standard
            name: Standard
            level: 1
            obtained: included
            hours: office-hours
            targets:
              critical:
                acknowledge: {within: 2 hours, clock: office-hours}
        """,
        "schema.format",
        9,
        31,
        hint="Duration",
        message="'2 hours' is not valid",
    ),
    case(
        "range-within-picks-the-duration-error",
        "tiers.yaml",
        """\
        tiers:
          - id: standard
            name: Standard
            level: 1
            obtained: included
            hours: office-hours
            targets:
              critical:
                acknowledge:
                  within: {min: 5m, max: 2 hours}
                  clock: office-hours
        """,
        "schema.format",
        10,
        34,
        hint="Duration",
        message="within.max",
    ),
    case(
        "range-without-max",
        "tiers.yaml",
        """\
        tiers:
          - id: standard
            name: Standard
            level: 1
            obtained: included
            hours: office-hours
            targets:
              critical:
                acknowledge:
                  within: {min: 5m}
                  clock: office-hours
        """,
        "schema.required",
        10,
        11,
        message="missing the required key 'max'",
    ),
    case(
        "within-of-neither-form",
        "tiers.yaml",
        """\
        tiers:
          - id: standard
            name: Standard
            level: 1
            obtained: included
            hours: office-hours
            targets:
              critical:
                acknowledge: {within: 4, clock: office-hours}
        """,
        "schema.type",
        9,
        31,
        message="must be text or a mapping",
    ),
    case(
        "period-in-words",
        "retention.yaml",
        """\
        retention:
          logs:
            - id: api-logs
              name: API logs
              kept: 3 months
        """,
        "schema.format",
        5,
        13,
        hint="Period",
    ),
    # --- types ----------------------------------------------------------------------------
    case(
        "integer-where-text-expected",
        "severities.yaml",
        """\
        severities:
          - id: critical
            rank: 1
            name: 42
            definition: The service is down.
        """,
        "schema.type",
        4,
        11,
        hint='Quote the value so it stays text, e.g. "42".',
    ),
    case(
        "yes-where-boolean-expected",
        "tiers.yaml",
        """\
        tiers:
          - id: standard
            name: Standard
            level: 1
            obtained: included
            hours: office-hours
            targets:
              critical:
                acknowledge: {within: 4h, clock: office-hours}
                escalation: yes
        """,
        "schema.type",
        10,
        21,
        hint="YAML 1.2 reads yes as text: write true or false.",
    ),
    case(
        "off-where-boolean-expected",
        "schedules.yaml",
        """\
        schedules:
          - id: office-hours
            name: Office hours
            timezone: Europe/London
            always_open: off
        """,
        "schema.type",
        5,
        18,
        hint="reads off as text: write true or false",
    ),
    case(
        "mapping-where-list-expected",
        "severities.yaml",
        """\
        severities:
          id: critical
          rank: 1
        """,
        "schema.type",
        2,
        3,
        hint="Start each entry with '- '",
    ),
    case(
        "list-where-mapping-expected",
        "organization.yaml",
        """\
        organization:
          - name: Example
        """,
        "schema.type",
        2,
        3,
        hint="Remove the '- '",
    ),
    # --- formats --------------------------------------------------------------------------
    case(
        "time-out-of-range",
        "schedules.yaml",
        """\
        schedules:
          - id: office-hours
            name: Office hours
            timezone: Europe/London
            hours:
              - days: [mon, tue, wed, thu, fri]
                opens: "09:00"
                closes: "25:00"
        """,
        "schema.format",
        8,
        17,
        hint="HH:MM",
    ),
    case(
        "time-written-as-a-number",
        "schedules.yaml",
        """\
        schedules:
          - id: office-hours
            name: Office hours
            timezone: Europe/London
            hours:
              - days: [mon, tue, wed, thu, fri]
                opens: 0900
                closes: "17:00"
        """,
        "schema.type",
        7,
        16,
        hint="Quote the value",
    ),
    case(
        "bad-date",
        "schedules.yaml",
        """\
        schedules:
          - id: office-hours
            name: Office hours
            timezone: Europe/London
            holidays:
              dates:
                - date: 2026-13-01
                  name: Boxing Day
        """,
        "schema.format",
        7,
        17,
        hint="YYYY-MM-DD",
    ),
    case(
        "bad-id",
        "severities.yaml",
        """\
        severities:
          - id: Critical Issue
            rank: 1
            name: Critical
            definition: The service is down.
        """,
        "schema.format",
        2,
        9,
        hint="lower-case",
        message="'Critical Issue' is not valid",
    ),
    case(
        "bad-url",
        "organization.yaml",
        """\
        organization:
          name: Example
          site_url: support.example.com
        """,
        "schema.format",
        3,
        13,
        hint="absolute http(s) address",
    ),
    case(
        "bad-timezone",
        "organization.yaml",
        """\
        organization:
          name: Example
          timezone: London
        """,
        "schema.format",
        3,
        13,
        hint="IANA",
    ),
    case(
        "line-break-in-short-text",
        "severities.yaml",
        """\
        severities:
          - id: critical
            rank: 1
            name: |
              Critical
              issue
            definition: The service is down.
        """,
        "schema.control-character",
        4,
        11,
        hint="forge lines",
    ),
    case(
        "trailing-line-break-in-subject-tag",
        "channels.yaml",
        """\
        channels:
          - id: emergency
            kind: email
            name: Emergency
            address: help@example.com
            subject: {prefix: "[URGENT]\\n"}
        """,
        "schema.control-character",
        6,
        23,
        message="a line break (U+000A) at character 9",
    ),
    case(
        "escape-character-in-name",
        "severities.yaml",
        """\
        severities:
          - id: critical
            rank: 1
            name: "Critical\\e[2J"
            definition: The service is down.
        """,
        "schema.control-character",
        4,
        11,
        message="the control character (U+001B) at character 9",
    ),
    case(
        "nul-in-name",
        "severities.yaml",
        """\
        severities:
          - id: critical
            rank: 1
            name: "Crit\\0ical"
            definition: The service is down.
        """,
        "schema.control-character",
        4,
        11,
        message="(U+0000) at character 5",
    ),
    case(
        "stash-placeholder-in-name",
        "severities.yaml",
        """\
        severities:
          - id: critical
            rank: 1
            name: "Break \\x02wzxhzdk:0\\x03 Fix"
            definition: The service is down.
        """,
        "schema.control-character",
        4,
        11,
        message="(U+0002) at character 7",
    ),
    case(
        "control-character-in-text",
        "severities.yaml",
        """\
        severities:
          - id: critical
            rank: 1
            name: Critical
            definition: "Down.\\nReally \\x1b[31mdown"
        """,
        "schema.control-character",
        5,
        17,
        message="(U+001B) at character 14",
    ),
    case(
        "target-key-not-an-id",
        "tiers.yaml",
        """\
        tiers:
          - id: standard
            name: Standard
            level: 1
            obtained: included
            hours: office-hours
            targets:
              Critical:
                acknowledge: {within: 4h, clock: office-hours}
        """,
        "schema.key-name",
        8,
        7,
        message="'Critical' is not a valid id",
    ),
    case(
        "second-target-key-not-an-id",
        "tiers.yaml",
        """\
        tiers:
          - id: standard
            name: Standard
            level: 1
            obtained: included
            hours: office-hours
            targets:
              critical:
                acknowledge: {within: 4h, clock: office-hours}
              High Severity:
                acknowledge: {within: 1d, clock: office-hours}
        """,
        "schema.key-name",
        10,
        7,
        message="'High Severity' is not a valid id in tiers[0].targets",
    ),
    # --- sizes and ranges -----------------------------------------------------------------
    case(
        "empty-required-list",
        "channels.yaml",
        """\
        channels:
          - id: support
            kind: email
            name: Support
        ticket_templates:
          - id: ticket
            name: Ticket
            fields: []
        """,
        "schema.minitems",
        8,
        13,
        message="needs at least 1 entry",
    ),
    case(
        "empty-targets",
        "tiers.yaml",
        """\
        tiers:
          - id: standard
            name: Standard
            level: 1
            obtained: included
            hours: office-hours
            targets: {}
        """,
        "schema.minproperties",
        7,
        14,
        message="needs at least 1 entry",
    ),
    case(
        "empty-text",
        "severities.yaml",
        """\
        severities:
          - id: critical
            rank: 1
            name: ""
            definition: The service is down.
        """,
        "schema.minlength",
        4,
        11,
        message="must not be empty",
    ),
    case(
        "repeated-weekday",
        "schedules.yaml",
        """\
        schedules:
          - id: office-hours
            name: Office hours
            timezone: Europe/London
            hours:
              - days: [mon, mon]
                opens: "09:00"
                closes: "17:00"
        """,
        "schema.uniqueitems",
        6,
        15,
        message="lists the same value twice",
    ),
    case(
        "rank-zero",
        "severities.yaml",
        """\
        severities:
          - id: critical
            rank: 0
            name: Critical
            definition: The service is down.
        """,
        "schema.minimum",
        3,
        11,
        message="must be at least 1",
    ),
    case(
        "uptime-over-100",
        "status.yaml",
        """\
        status:
          uptime:
            target: 100.5
            period: month
        """,
        "schema.maximum",
        3,
        13,
        message="must be at most 100",
    ),
    case(
        "uptime-zero",
        "status.yaml",
        """\
        status:
          uptime:
            target: 0
            period: month
        """,
        "schema.exclusiveminimum",
        3,
        13,
        message="must be more than 0",
    ),
    case(
        "http-status-out-of-range",
        "problems.yaml",
        """\
        known_problems:
          - id: http-999
            title: Odd status
            symptom: Status 999
            http_status: 999
            fixes: [Retry.]
        """,
        "schema.maximum",
        5,
        18,
        message="must be at most 599",
    ),
    # --- across files ---------------------------------------------------------------------
    case(
        "duplicate-section",
        "z-more.yaml",
        """\
        organization:
          name: Other
        """,
        "policy.duplicate-section",
        1,
        1,
        message="already defined in organization.yaml",
    ),
    case(
        "duplicate-channel-id-across-files",
        "z-more.yaml",
        """\
        channels:
          - id: support
            kind: phone
            name: Support line
        """,
        "ref.duplicate-id",
        2,
        9,
        message="channel id 'support' is already used at channels.yaml:2",
    ),
    case(
        "duplicate-severity-id-across-files",
        "more-severities.yaml",
        """\
        severities:
          - id: high
            rank: 3
            name: Also high
            definition: Another high.
        """,
        "ref.duplicate-id",
        2,
        9,
        message="already used at severities.yaml:6",
    ),
    case(
        "duplicate-severity-rank",
        "severities.yaml",
        """\
        severities:
          - id: critical
            rank: 1
            name: Critical
            definition: The service is down.
          - id: high
            rank: 1
            name: High
            definition: A feature is badly broken.
        """,
        "ref.duplicate-id",
        7,
        11,
        message="severity rank 1 is already used at severities.yaml:3",
    ),
    # --- references -----------------------------------------------------------------------
    case(
        "unknown-severity-in-tier-targets",
        "tiers.yaml",
        """\
        tiers:
          - id: standard
            name: Standard
            level: 1
            obtained: included
            hours: office-hours
            targets:
              criticl:
                acknowledge: {within: 4h, clock: office-hours}
        """,
        "ref.unknown",
        8,
        7,
        hint="Did you mean 'critical'?",
        message="unknown severity 'criticl'",
    ),
    case(
        "unknown-clock",
        "tiers.yaml",
        """\
        tiers:
          - id: standard
            name: Standard
            level: 1
            obtained: included
            hours: office-hours
            targets:
              critical:
                acknowledge: {within: 4h, clock: office-hour}
        """,
        "ref.unknown",
        9,
        42,
        hint="Did you mean 'office-hours'?",
        message="unknown schedule",
    ),
    case(
        "unknown-schedule-for-tier-hours",
        "tiers.yaml",
        """\
        tiers:
          - id: standard
            name: Standard
            level: 1
            obtained: included
            hours: weekdays
            targets:
              critical:
                acknowledge: {within: 4h, clock: office-hours}
        """,
        "ref.unknown",
        6,
        12,
        hint="Known schedule ids: 24x7, office-hours.",
    ),
    case(
        "unknown-channel-in-scope-redirect",
        "scope.yaml",
        """\
        scope:
          will:
            - text: Answer questions about the API.
          will_not:
            - text: Write your code.
              instead:
                text: Ask the support team for a partner.
                channels: [support, suport]
        """,
        "ref.unknown",
        8,
        29,
        hint="Did you mean 'support'?",
        message="unknown channel 'suport'",
    ),
    case(
        "unknown-ticket-template-on-channel",
        "channels.yaml",
        """\
        channels:
          - id: support
            kind: email
            name: Support
            address: support@example.com
            template: tickets
        ticket_templates:
          - id: ticket
            name: Ticket
            fields:
              - id: summary
                label: Summary
                kind: text
        """,
        "ref.unknown",
        6,
        15,
        hint="Did you mean 'ticket'?",
        message="unknown ticket template",
    ),
    case(
        "unknown-severity-on-channel",
        "channels.yaml",
        """\
        channels:
          - id: support
            kind: email
            name: Support
            severities: [critcal]
        """,
        "ref.unknown",
        5,
        18,
        hint="Did you mean 'critical'?",
    ),
    case(
        "unknown-escalation-contact",
        "tiers.yaml",
        """\
        tiers:
          - id: standard
            name: Standard
            level: 1
            obtained: included
            hours: office-hours
            escalation:
              when: The target was missed.
              contacts: [supprt]
            targets:
              critical:
                acknowledge: {within: 4h, clock: office-hours}
        """,
        "ref.unknown",
        9,
        18,
        hint="Did you mean 'support'?",
    ),
    case(
        "unknown-schedule-for-maintenance",
        "status.yaml",
        """\
        status:
          maintenance:
            schedule: office
        """,
        "ref.unknown",
        3,
        15,
        message="unknown schedule 'office'",
    ),
]


def test_base_set_is_clean(tmp_path, monkeypatch):
    write_set(tmp_path, BASE)
    monkeypatch.chdir(tmp_path)
    result = load_policies([Path(".")])
    assert result.findings == []
    assert result.ok


@pytest.mark.parametrize(("file", "text", "expected", "hint", "message", "also"), CASES)
def test_malformed_policy(tmp_path, monkeypatch, file, text, expected, hint, message, also):
    write_set(tmp_path, {**BASE, file: text})
    monkeypatch.chdir(tmp_path)
    result = load_policies([Path(".")])

    assert not result.ok
    found = [(f.rule, f.file, f.line, f.column) for f in result.findings]
    wanted = sorted(
        [(expected[0], file, *expected[1:]), *((r, file, line, c) for r, line, c in also)],
        key=lambda f: (f[1], f[2], f[3], f[0]),
    )
    assert found == wanted
    finding = next(f for f in result.findings if (f.rule, f.line, f.column) == expected)
    assert finding.level is Level.ERROR
    if hint is not None:
        assert hint in finding.hint
    if message is not None:
        assert message in finding.message


def test_there_are_enough_cases():
    assert len(CASES) >= 25
    assert len({c.id for c in CASES}) == len(CASES)


def test_every_file_is_checked_even_after_errors(tmp_path, monkeypatch):
    """A broken file does not hide the problems of the next one."""
    write_set(
        tmp_path,
        {
            **BASE,
            "a.yaml": "organization:\n  name: A\n  name: B\n",
            "b.yaml": "glossary:\n  - term: SLA\n",
        },
    )
    monkeypatch.chdir(tmp_path)
    result = load_policies([Path(".")])
    assert [(f.rule, f.file, f.line, f.column) for f in result.findings] == [
        ("yaml.duplicate-key", "a.yaml", 3, 3),
        ("schema.required", "b.yaml", 2, 5),
    ]


def test_rules_do_not_run_on_a_half_read_policy(tmp_path, monkeypatch):
    """A schema error elsewhere stops the reference rules, which would report ghosts."""
    write_set(
        tmp_path,
        {
            **BASE,
            "organization.yaml": "organization:\n  name: 42\n",
            "channels.yaml": "channels:\n  - id: support\n    kind: email\n    name: Support\n    template: missing\n",
        },
    )
    monkeypatch.chdir(tmp_path)
    result = load_policies([Path(".")])
    assert [f.rule for f in result.findings] == ["schema.type"]
    assert result.policy is None


def test_a_number_where_text_is_expected_is_quoted_as_written(tmp_path):
    path = tmp_path / "schedules.yaml"
    path.write_text(
        "schedules:\n  - id: s\n    name: S\n    timezone: UTC\n    hours:\n"
        '      - days: [mon]\n        opens: 0900  # morning\n        closes: "17:00"\n'
    )
    (finding,) = load_policies([path]).findings
    assert (finding.rule, finding.line, finding.column) == ("schema.type", 7, 16)
    assert finding.hint == 'Quote the value so it stays text, e.g. "0900".'
