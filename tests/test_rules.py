"""Each rule: a clean policy set passes, a mutated one fails at the offending line."""

from __future__ import annotations

import shutil
import sys
import textwrap
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from support_policies.findings import Level
from support_policies.policyset import load_policies
from support_policies.rules import ALL_RULES

REPO = Path(__file__).resolve().parent.parent

BASE = {
    "severities.yaml": """\
        severities:
          - {id: critical, rank: 1, name: Critical, definition: Down.}
          - {id: high, rank: 2, name: High, definition: Badly broken.}
          - {id: low, rank: 3, name: Low, definition: Minor.}
        """,
    "schedules.yaml": """\
        schedules:
          - id: office
            name: Office hours
            timezone: America/Chicago
            hours:
              - days: [mon, tue, wed, thu, fri]
                opens: "08:00"
                closes: "17:00"
          - id: ops
            name: Operations
            timezone: America/New_York
            always_open: true
            maintenance:
              - {id: nightly, days: [sun], starts: "02:00", ends: "02:05"}
        """,
    "tiers.yaml": """\
        tiers:
          - id: basic
            name: Basic
            level: 1
            obtained: included
            hours: office
            escalation: {when: Target missed., contacts: [support]}
            targets:
              critical:
                acknowledge: {within: 8h, clock: office}
                escalation: true
              high:
                acknowledge: {within: 16h, clock: office}
                escalation: true
              low:
                covered: false
          - id: plus
            name: Plus
            level: 2
            obtained: paid
            hours: 24x7
            escalation: {when: Target missed., contacts: [support]}
            targets:
              critical:
                acknowledge: {within: 2h, clock: 24x7}
                escalation: true
              high:
                acknowledge: {within: 4h, clock: 24x7}
                escalation: true
              low:
                acknowledge: {within: 24h, clock: office}
                escalation: false
        """,
    "channels.yaml": """\
        channels:
          - id: support
            kind: email
            name: Support
            address: support@example.com
            response: {within: 1h, clock: 24x7}
            response_applies: every-ticket
          - id: phone
            kind: phone
            name: Hotline
            address: "+15551234567"
        """,
    "status.yaml": """\
        status:
          uptime: {target: 99.9, period: month}
          maintenance: {schedule: ops}
        retention:
          logs:
            - {id: api, name: API logs, kept: 15d}
            - {id: sync, name: Sync logs, kept: 3mo}
          report_within: 14d
        """,
    "glossary.yaml": """\
        glossary:
          - {term: Hotline, definition: The phone line.}
        journeys:
          - id: start
            title: Getting started
            steps: [{title: Call the Hotline}]
            terms: [Hotline]
        """,
}


@pytest.fixture
def policies(tmp_path):
    """Write the base set; return an editor ``edit(file, old, new)`` and the folder."""
    folder = tmp_path / "policies"
    folder.mkdir()
    for name, text in BASE.items():
        (folder / name).write_text(textwrap.dedent(text))

    def edit(name: str, old: str, new: str) -> Path:
        path = folder / name
        text = path.read_text()
        assert old in text, f"{old!r} not in {name}"
        path.write_text(text.replace(old, new, 1))
        return folder

    edit.folder = folder
    return edit


def findings(folder, settings=None):
    return load_policies([folder], settings).findings


def only(folder, rule):
    return [(Path(f.file).name, f.line, f.column) for f in findings(folder) if f.rule == rule]


def test_the_base_set_is_clean(policies):
    assert findings(policies.folder) == []


MUTATIONS = [
    # rule, file, old, new, expected (file, line, column)
    ("ref.duplicate-id", "channels.yaml", "id: phone", "id: support", ("channels.yaml", 8, 9)),
    (
        "ref.unknown",
        "tiers.yaml",
        "contacts: [support]}\n    targets:\n      critical:\n        acknowledge: {within: 2h",
        "contacts: [suport]}\n    targets:\n      critical:\n        acknowledge: {within: 2h",
        ("tiers.yaml", 22, 51),
    ),
    ("time.unknown-zone", "schedules.yaml", "America/Chicago", "America/Chicgo", ("schedules.yaml", 4, 15)),
    ("schedule.invalid", "schedules.yaml", 'closes: "17:00"', 'closes: "08:00"', ("schedules.yaml", 8, 17)),
    (
        "schedule.composition",
        "schedules.yaml",
        "  - id: ops\n",
        "  - id: sun\n    name: Sun\n    timezone: UTC\n    combines: [office, nowhere]\n  - id: ops\n",
        ("schedules.yaml", 12, 24),
    ),
    (
        "holidays.unknown-exception",
        "schedules.yaml",
        '    closes: "17:00"\n',
        '    closes: "17:00"\n    holidays: {country: US, except: [Columbus Dya]}\n',
        ("schedules.yaml", 9, 38),
    ),
    ("coverage.missing", "tiers.yaml", "      low:\n        covered: false\n", "", ("tiers.yaml", 8, 5)),
    (
        "range.malformed",
        "tiers.yaml",
        "{within: 2h, clock: 24x7}",
        "{within: {min: 3h, max: 2h}, clock: 24x7}",
        ("tiers.yaml", 25, 37),
    ),
    (
        "tiers.slower-than-lower-tier",
        "tiers.yaml",
        "{within: 4h, clock: 24x7}",
        "{within: 100h, clock: 24x7}",
        ("tiers.yaml", 28, 31),
    ),
    (
        "severities.out-of-order",
        "tiers.yaml",
        "{within: 8h, clock: office}",
        "{within: 20h, clock: office}",
        ("tiers.yaml", 10, 31),
    ),
    (
        "escalation.inconsistent",
        "tiers.yaml",
        "{within: 4h, clock: 24x7}\n        escalation: true",
        "{within: 4h, clock: 24x7}\n        escalation: false",
        ("tiers.yaml", 29, 21),
    ),
    (
        "tiers.clock-outside-hours",
        "tiers.yaml",
        "{within: 8h, clock: office}",
        "{within: 8h, clock: 24x7}",
        ("tiers.yaml", 10, 42),
    ),
    (
        "address.malformed",
        "channels.yaml",
        "support@example.com",
        "support@example.com?cc=boss@example.com",
        ("channels.yaml", 5, 14),
    ),
    (
        "channels.slower-than-tier",
        "channels.yaml",
        "{within: 1h, clock: 24x7}",
        "{within: 3h, clock: 24x7}",
        ("channels.yaml", 6, 24),
    ),
    (
        "channels.no-way-to-reach",
        "channels.yaml",
        'kind: phone\n    name: Hotline\n    address: "+15551234567"',
        "kind: portal\n    name: Hotline",
        ("channels.yaml", 8, 5),
    ),
    (
        "channels.response-ambiguous",
        "channels.yaml",
        "    response_applies: every-ticket\n",
        "",
        ("channels.yaml", 6, 24),
    ),
    (
        "status.window-unnamed",
        "schedules.yaml",
        'ends: "02:05"}\n',
        'ends: "02:05"}\n      - {id: weekly, name: Weekly upgrade, days: [sat], starts: "02:00", ends: "02:01"}\n',
        ("schedules.yaml", 14, 10),
    ),
    ("uptime.maintenance-budget", "schedules.yaml", 'ends: "02:05"', 'ends: "04:00"', ("status.yaml", 2, 20)),
    (
        "retention.advice-exceeds-logs",
        "status.yaml",
        "report_within: 14d",
        "report_within: 1mo",
        ("status.yaml", 8, 18),
    ),
    (
        "glossary.unused",
        "glossary.yaml",
        "glossary:\n",
        "glossary:\n  - {term: Widget, definition: A gadget.}\n",
        ("glossary.yaml", 2, 12),
    ),
    ("glossary.undefined", "glossary.yaml", "terms: [Hotline]", "terms: [Hotline, Widget]", ("glossary.yaml", 7, 22)),
    (
        "journeys.tile-icon-and-logo",
        "glossary.yaml",
        "terms: [Hotline]",
        'terms: [Hotline]\n    tiles: [{name: Guide, url: "https://example.com/g", icon: material/book, logo: g.svg}]',
        ("glossary.yaml", 8, 78),
    ),
    (
        "journeys.unknown-icon",
        "glossary.yaml",
        "terms: [Hotline]",
        'terms: [Hotline]\n    tiles: [{name: Guide, url: "https://example.com/g", icon: material/no-such-icon}]',
        ("glossary.yaml", 8, 63),
    ),
    (
        "promises.condition-invalid",
        "tiers.yaml",
        "{within: 2h, clock: 24x7}",
        "{within: 2h, clock: 24x7, condition: {requires: A contact., otherwise: {handled_as: critical}}}",
        ("tiers.yaml", 25, 106),
    ),
    (
        "tiers.promise-dropped",
        "tiers.yaml",
        "acknowledge: {within: 8h, clock: office}\n",
        "acknowledge: {within: 8h, clock: office}\n        update: {within: 8h, clock: office}\n",
        ("tiers.yaml", 25, 7),
    ),
    (
        "promises.out-of-sequence",
        "tiers.yaml",
        "{within: 2h, clock: 24x7}\n        escalation: true",
        "{within: 2h, clock: 24x7}\n        resolve: {within: 1h, clock: 24x7}\n        escalation: true",
        ("tiers.yaml", 26, 27),
    ),
    (
        "promises.too-long",
        "tiers.yaml",
        "{within: 24h, clock: office}",
        "{within: 99999h, clock: office}",
        ("tiers.yaml", 31, 31),
    ),
    (
        "changelog.invalid",
        "severities.yaml",
        "severities:\n",
        'changelog:\n  - {id: a, date: "2026-12-01", effective: "2026-11-01", summary: A change.}\nseverities:\n',
        ("severities.yaml", 2, 44),
    ),
]


def test_every_rule_has_a_failing_fixture():
    assert {m[0] for m in MUTATIONS} | {"tiers.hours-not-included"} == {rule.id for rule in ALL_RULES}


def test_a_higher_tier_must_be_staffed_when_a_lower_one_is(policies):
    policies(
        "schedules.yaml",
        "  - id: ops\n",
        "  - id: mornings\n    name: Mornings\n    timezone: America/Chicago\n"
        '    hours:\n      - {days: [mon, tue, wed, thu, fri], opens: "08:00", closes: "12:00"}\n  - id: ops\n',
    )
    folder = policies("tiers.yaml", "    hours: 24x7\n    escalation", "    hours: mornings\n    escalation")
    got = [f for f in findings(folder) if f.rule == "tiers.hours-not-included"]
    assert [(Path(f.file).name, f.line, f.column) for f in got] == [("tiers.yaml", 21, 12)]
    assert got[0].message.startswith("'Plus' is not staffed at Thursday 12:00 (America/Chicago)")


@pytest.mark.parametrize("rule, file, old, new, where", MUTATIONS, ids=[m[0] for m in MUTATIONS])
def test_each_rule_reports_at_the_offending_value(policies, rule, file, old, new, where):
    folder = policies(file, textwrap.dedent(old) if "\n" not in old else old, new)
    got = only(folder, rule)
    assert got, findings(folder)
    if where:
        assert got[0] == where
    others = [f for f in findings(folder) if f.rule != rule and f.level is Level.ERROR]
    assert others == [], others


def test_escalation_must_say_how(policies):
    folder = policies(
        "tiers.yaml",
        "    escalation: {when: Target missed., contacts: [support]}\n"
        "    targets:\n      critical:\n        acknowledge: {within: 8h",
        "    targets:\n      critical:\n        acknowledge: {within: 8h",
    )
    assert [f.message for f in findings(folder) if f.rule == "escalation.inconsistent"] == [
        "'Basic' allows escalation but does not say how"
    ]


def test_a_phone_number_must_be_e164(policies):
    folder = policies("channels.yaml", '"+15551234567"', '"555 123 4567"')
    assert only(folder, "address.malformed") == [("channels.yaml", 11, 14)]


def test_maintenance_excluded_from_the_uptime_target_is_fine(policies):
    policies("schedules.yaml", 'ends: "02:05"', 'ends: "04:00"')
    folder = policies("status.yaml", "period: month}", "period: month, excludes_maintenance: true}")
    assert findings(folder) == []


def test_settings_change_a_rule_level_or_turn_it_off(policies, tmp_path):
    folder = policies("glossary.yaml", "glossary:\n", "glossary:\n  - {term: Widget, definition: A gadget.}\n")
    settings = tmp_path / "support-policies.yaml"
    settings.write_text("rules:\n  glossary.unused: error\n")
    assert [f.level for f in findings(folder, settings)] == [Level.ERROR]
    settings.write_text("rules:\n  glossary.unused: off\n")
    assert findings(folder, settings) == []


def test_settings_with_an_unknown_rule_id_are_reported_at_the_key(policies, tmp_path):
    settings = tmp_path / "support-policies.yaml"
    settings.write_text("rules:\n  glossary.unusd: off\n")
    got = [(f.rule, f.line, f.column, f.hint) for f in findings(policies.folder, settings)]
    assert got == [("schema.unknown-key", 2, 3, "Did you mean 'glossary.unused'?")]


def test_a_suppression_with_a_reason_silences_one_finding(policies):
    folder = policies(
        "tiers.yaml",
        "{within: 4h, clock: 24x7}",
        "{within: 100h, clock: 24x7}  # support-policies: ignore tiers.slower-than-lower-tier -- pilot ends in May",
    )
    assert findings(folder) == []


def test_a_suppression_on_the_line_above_works_too(policies):
    folder = policies(
        "tiers.yaml",
        "      high:\n        acknowledge: {within: 4h, clock: 24x7}",
        "      high:\n        # support-policies: ignore tiers.slower-than-lower-tier -- pilot\n"
        "        acknowledge: {within: 100h, clock: 24x7}",
    )
    assert findings(folder) == []


def test_a_suppression_without_a_reason_is_an_error_and_silences_nothing(policies):
    folder = policies(
        "tiers.yaml",
        "{within: 4h, clock: 24x7}",
        "{within: 100h, clock: 24x7}  # support-policies: ignore tiers.slower-than-lower-tier",
    )
    assert sorted(f.rule for f in findings(folder)) == ["suppression.no-reason", "tiers.slower-than-lower-tier"]


def test_a_stale_suppression_is_reported(policies):
    folder = policies(
        "tiers.yaml",
        "{within: 4h, clock: 24x7}",
        "{within: 4h, clock: 24x7}  # support-policies: ignore tiers.slower-than-lower-tier -- old",
    )
    assert [(f.rule, f.level) for f in findings(folder)] == [("suppression.unused", Level.WARNING)]


def test_slower_premium_on_the_sample_points_at_that_line(tmp_path):
    folder = tmp_path / "policies"
    shutil.copytree(REPO / "policies", folder)
    tiers = folder / "tiers.yaml"
    lines = tiers.read_text().splitlines()
    # Premium's critical target becomes slower, in the worst case, than Advanced's 12 business hours.
    index = next(i for i, line in enumerate(lines) if "max: 2h" in line)
    lines[index] = lines[index].replace("max: 2h", "max: 500h")
    tiers.write_text("\n".join(lines) + "\n")
    got = [f for f in findings(folder) if f.rule == "tiers.slower-than-lower-tier"]
    assert got
    assert {(f.file.endswith("tiers.yaml"), f.line) for f in got} == {(True, index + 1)}
    assert "'Premium' is slower to acknowledge critical incidents than the lower tier" in got[0].message


def test_the_rules_command_lists_every_rule_with_its_level(run_cli, tmp_path):
    code, out, err = run_cli("rules", cwd=tmp_path)
    assert code == 0
    for rule in ALL_RULES:
        assert any(line.split()[:2] == [rule.id, str(rule.level)] for line in out.splitlines()), rule.id
    code, out, _ = run_cli("rules", "glossary.unused", cwd=tmp_path)
    assert code == 0 and out.startswith("glossary.unused (warning)\n\nEvery glossary term")
    code, _, err = run_cli("rules", "glossary.unusd", cwd=tmp_path)
    assert code == 2 and "Did you mean 'glossary.unused'?" in err


def test_check_reads_support_policies_yaml_from_the_working_directory(policies, run_cli, tmp_path):
    policies("glossary.yaml", "glossary:\n", "glossary:\n  - {term: Widget, definition: A gadget.}\n")
    code, out, _ = run_cli("check", "policies", cwd=tmp_path)
    assert code == 0 and "[glossary.unused]" in out
    (tmp_path / "support-policies.yaml").write_text("rules:\n  glossary.unused: error\n")
    code, out, _ = run_cli("check", "policies", cwd=tmp_path)
    assert code == 1 and "error: the glossary term 'Widget' is not used" in out
    code, _, err = run_cli("check", "policies", "--settings", "missing.yaml", cwd=tmp_path)
    assert code == 2 and "no such file: missing.yaml" in err


def test_the_settings_schema_lists_exactly_the_rules():
    from support_policies.validate import load_schema

    listed = set(load_schema("settings.schema.json")["properties"]["rules"]["properties"])
    assert listed == {rule.id for rule in ALL_RULES}


@given(form=st.text(alphabet="ab _-.[]é1²", min_size=1, max_size=4), text=st.text(alphabet="ab _-.[]é1²", max_size=16))
@settings(max_examples=500, derandomize=True, database=None)
def test_whole_word_search_agrees_with_the_regex_it_replaced(form, text):
    import re

    from support_policies.rules.glossary import WordIndex

    assert WordIndex(text).has(form) == bool(re.search(rf"(?<!\w){re.escape(form)}(?!\w)", text))


def test_long_waits_are_written_as_whole_hours():
    from datetime import timedelta

    from support_policies.rules.ordering import _hours

    assert _hours(timedelta(weeks=99999)) == "16,799,832 hours"
    assert _hours(timedelta(hours=1.5)) == "1.5 hours"


def test_lookups_by_id_find_the_first_of_a_duplicated_id_and_nothing_unknown():
    """Rules still run beside ``ref.duplicate-id``: a lookup answers with the first item of
    an id, as a scan in file order does."""
    from support_policies.model import PolicySet, Severity, Tier

    first, second = Severity("high", 2, "High", "First."), Severity("high", 3, "High", "Second.")
    tier = Tier("basic", "Basic", 1, "included", "24x7", {})
    policy = PolicySet(severities=(first, second), tiers=(tier,))
    assert policy.severity("high") is first and policy.tier("basic") is tier
    assert policy.severity("low") is None and policy.schedule("basic") is None and policy.channel("x") is None
    assert policy.template("x") is None


def test_zones_tzdata_lists_are_known_without_walking_the_zone_folders(monkeypatch):
    """``time.unknown-zone`` takes a zone tzdata lists from that list alone; others still go by
    ``zoneinfo.available_timezones`` (the system's zone folders too)."""
    import zoneinfo

    from support_policies.rules import schedules

    schedules._listed_zones.cache_clear()
    schedules._zones.cache_clear()
    listed = schedules._listed_zones()
    assert "America/Chicago" in listed and "posixrules" not in listed
    assert listed <= zoneinfo.available_timezones()

    def walked() -> set[str]:
        raise AssertionError("available_timezones was called for a listed zone")

    monkeypatch.setattr(zoneinfo, "available_timezones", walked)
    schedules._zones.cache_clear()
    assert schedules._known_zone("Europe/Berlin")
    monkeypatch.setattr(zoneinfo, "available_timezones", lambda: {"Made/Up"})
    assert schedules._known_zone("Made/Up") and not schedules._known_zone("America/Chicgo")
    schedules._zones.cache_clear()


def test_zones_a_folder_named_tzdata_is_no_list_of_zones(tmp_path, monkeypatch):
    """A ``tzdata`` folder without the package (a namespace package, with no ``__file__``) lists
    nothing: every zone is then looked up in ``zoneinfo.available_timezones``."""
    import types

    from support_policies.rules import schedules

    (tmp_path / "zones").write_text("Made/Up\n", "utf-8")  # never read: a relative path would find it
    monkeypatch.chdir(tmp_path)
    monkeypatch.setitem(sys.modules, "tzdata", types.ModuleType("tzdata"))
    schedules._listed_zones.cache_clear()
    try:
        assert schedules._listed_zones() == frozenset()
    finally:
        schedules._listed_zones.cache_clear()
