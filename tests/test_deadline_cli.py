"""``support-policies deadline`` run for real against the sample policies in policies/.

The sample's Standard hours are Monday–Friday 08:00–17:00 America/Chicago, closed on US
public holidays (the holidays package lists Thanksgiving, 2026-11-26, but not the Friday
after it) and on 2026-12-24 and 2026-12-31. Premium answers medium incidents within 8
business hours, and critical/high ones within "minutes, at most 2/4 hours" on 24x7.
"""

from __future__ import annotations

import json
from datetime import datetime

import pytest
from sites import REPO


def lines_of(out: str) -> list[str]:
    return [line.rstrip() for line in out.splitlines()]


def field(out: str, label: str) -> list[str]:
    """The values printed under ``label`` ("Due by:"), one per zone line."""
    lines = lines_of(out)
    start = next(i for i, line in enumerate(lines) if line.startswith(label))
    values = [lines[start][16:]]
    for line in lines[start + 1 :]:
        if not line.startswith(" " * 16):
            break
        values.append(line[16:])
    return values


def test_friday_after_thanksgiving_is_a_working_day(run_cli, repo):
    code, out, err = run_cli(
        "deadline",
        "--tier",
        "premium",
        "--severity",
        "medium",
        "--at",
        "2026-11-27T16:00:00-06:00",
        "--tz",
        "Europe/London",
        cwd=repo,
    )
    assert (code, err) == (0, "")
    assert lines_of(out)[0] == "Premium, Medium severity, acknowledge: within 8 business hours (Standard hours)"
    assert field(out, "Clock:") == [
        "Standard hours: only open hours count; Monday to Friday, 08:00–17:00 (Chicago); "
        "closed on US public holidays and 2 listed dates"
    ]
    assert field(out, "Filed:") == [
        "Fri 2026-11-27 16:00 CST  America/Chicago (provider)",
        "Fri 2026-11-27 22:00 GMT  Europe/London (customer)",
    ]
    assert "Clock starts:" not in out
    assert field(out, "Due by:") == [
        "Mon 2026-11-30 15:00 CST  America/Chicago (provider)",
        "Mon 2026-11-30 21:00 GMT  Europe/London (customer)",
        "Mon 2026-11-30 21:00 UTC",
    ]


def test_thanksgiving_is_closed_so_the_clock_starts_next_morning(run_cli, repo):
    code, out, _ = run_cli(
        "deadline", "--tier", "premium", "--severity", "medium", "--at", "2026-11-26T10:00:00-06:00", cwd=repo
    )
    assert code == 0
    assert field(out, "Clock starts:") == [
        "Fri 2026-11-27 08:00 CST  America/Chicago (provider)  (filed outside open hours)"
    ]
    assert field(out, "Due by:") == ["Fri 2026-11-27 16:00 CST  America/Chicago (provider)", "Fri 2026-11-27 22:00 UTC"]


def test_24_business_hours_from_friday_afternoon(run_cli, repo):
    code, out, _ = run_cli(
        "deadline", "--tier", "break-fix", "--severity", "critical", "--at", "2026-11-27T16:00:00-06:00", cwd=repo
    )
    assert code == 0
    assert field(out, "Due by:")[0] == "Wed 2026-12-02 13:00 CST  America/Chicago (provider)"


def test_a_naive_time_is_read_in_the_customer_zone(run_cli, repo):
    code, out, _ = run_cli(
        "deadline",
        "--tier",
        "premium",
        "--severity",
        "medium",
        "--at",
        "2026-11-27T22:00",
        "--tz",
        "Europe/London",
        cwd=repo,
    )
    assert code == 0
    assert field(out, "Filed:")[0] == "Fri 2026-11-27 16:00 CST  America/Chicago (provider)"
    assert field(out, "Due by:")[1] == "Mon 2026-11-30 21:00 GMT  Europe/London (customer)"


def test_a_naive_time_without_tz_is_read_in_the_provider_zone(run_cli, repo):
    code, out, _ = run_cli(
        "deadline", "--tier", "premium", "--severity", "medium", "--at", "2026-11-27T16:00", cwd=repo
    )
    assert code == 0
    assert field(out, "Filed:") == ["Fri 2026-11-27 16:00 CST  America/Chicago (provider)"]


def test_a_24x7_range_shows_its_lower_bound_and_crosses_spring_forward(run_cli, repo):
    code, out, _ = run_cli(
        "deadline", "--tier", "premium", "--severity", "high", "--at", "2026-03-07T23:00:00-06:00", cwd=repo
    )
    assert code == 0
    assert lines_of(out)[0] == "Premium, High severity, acknowledge: minutes, at most 4 hours, around the clock"
    assert field(out, "Clock:") == ["24x7: every hour counts (Chicago)"]
    assert field(out, "Typically from:") == ["Sat 2026-03-07 23:05 CST  America/Chicago (provider)"]
    assert field(out, "Due by:") == ["Sun 2026-03-08 04:00 CDT  America/Chicago (provider)", "Sun 2026-03-08 09:00 UTC"]


def test_json_output(run_cli, repo):
    code, out, err = run_cli(
        "deadline",
        "--tier",
        "premium",
        "--severity",
        "critical",
        "--format",
        "json",
        "--at",
        "2026-11-27T16:00:00-06:00",
        "--tz",
        "Europe/London",
        cwd=repo,
    )
    assert (code, err) == (0, "")
    document = json.loads(out)
    assert document["version"] == 2
    assert document["tier"] == "premium" and document["severity"] == "critical"
    assert document["zones"] == {"provider": "America/Chicago", "customer": "Europe/London"}
    assert document["filed_at"]["customer"] == "2026-11-27T22:00:00+00:00"
    assert document["filed_at"]["utc"] == "2026-11-27T22:00:00Z"
    (first,) = document["promises"]  # the sample's premium/critical target makes one promise
    assert first["kind"] == "acknowledge"
    assert first["promise"] == "minutes, at most 2 hours, around the clock"
    assert first["within"] == {"max": "2h", "min": "5m"}
    assert first["clock"]["id"] == "24x7" and first["clock"]["round_the_clock"] is True
    assert first["due"] == "2026-11-28T00:00:00Z"
    assert first["due_local"] == {"provider": "2026-11-27T18:00:00-06:00", "customer": "2026-11-28T00:00:00+00:00"}
    assert first["typically_from"]["utc"] == "2026-11-27T22:05:00Z"
    assert first["clock_starts"]["utc"] == "2026-11-27T22:00:00Z"
    assert first["region"] is None and first["condition"] is None


def test_at_defaults_to_now(run_cli, repo):
    code, out, _ = run_cli("deadline", "--tier", "premium", "--severity", "critical", cwd=repo)
    assert code == 0
    assert "Filed:" in out and "Due by:" in out


@pytest.mark.parametrize(
    "args, message",
    [
        (("--tier", "premum", "--severity", "high"), "unknown tier 'premum'; did you mean 'premium'?"),
        (("--tier", "gold", "--severity", "high"), "unknown tier 'gold'; known: break-fix, advanced, premium"),
        (("--tier", "premium", "--severity", "hihg"), "unknown severity 'hihg'; did you mean 'high'?"),
        (("--tier", "premium", "--severity", "high", "--at", "next friday"), "--at: 'next friday' is not an ISO-8601"),
        (("--tier", "premium", "--severity", "high", "--tz", "Europe/Londn"), "did you mean Europe/London?"),
    ],
)
def test_usage_errors_exit_2(run_cli, repo, args, message):
    code, out, err = run_cli("deadline", *args, cwd=repo)
    assert code == 2
    assert out == ""
    assert message in err


def test_missing_tier_is_a_usage_error(run_cli, repo):
    code, _, err = run_cli("deadline", "--severity", "high", cwd=repo)
    assert code == 2
    assert "--tier" in err


def test_tier_and_severity_may_be_given_by_name(run_cli, repo):
    code, out, _ = run_cli(
        "deadline", "--tier", "Break-Fix", "--severity", "Critical", "--at", "2026-11-27T16:00:00-06:00", cwd=repo
    )
    assert code == 0
    assert lines_of(out)[0].startswith("Break-Fix, Critical severity, acknowledge: within 24 business hours")


def test_a_tier_that_does_not_cover_the_severity_explains_and_exits_1(run_cli, repo):
    code, out, _ = run_cli("deadline", "--tier", "break-fix", "--severity", "medium", cwd=repo)
    assert code == 1
    assert out == (
        "Break-Fix does not cover medium incidents. Upgrade to Premium for help with medium-severity issues.\n"
    )


def test_a_missing_kind_of_promise_explains_and_exits_1(run_cli, repo):
    code, out, _ = run_cli("deadline", "--tier", "premium", "--severity", "high", "--kind", "resolve", cwd=repo)
    assert code == 1
    assert out == "Premium makes no resolve promise for high incidents. It promises: acknowledge (use --kind).\n"


def test_policies_with_errors_are_reported_and_exit_1(write_policy, run_cli, tmp_path):
    write_policy(
        "tiers.yaml",
        """\
        tiers:
          - id: standard
            name: Standard
            level: 1
            obtained: include
            hours: 24x7
            targets:
              critical:
                acknowledge: {within: 4h, clock: 24x7}
        """,
    )
    code, out, _ = run_cli("deadline", "--tier", "standard", "--severity", "critical", "tiers.yaml", cwd=tmp_path)
    assert code == 1
    assert "tiers.yaml:5:" in out
    assert "Due by:" not in out


def test_deadline_year_9999_is_a_message(run_cli, repo):
    code, out, err = run_cli(
        "deadline", "--tier", "premium", "--severity", "low", "--at", "9999-12-31T23:59:00+00:00", cwd=repo
    )
    assert (code, out) == (2, "")
    assert err == (
        "support-policies deadline: --at: 9999-12-31T23:59:00+00:00 is outside the range the calendar "
        "can compute: 0001-01-02 to 9998-12-30 UTC\n"
    )


def test_deadline_year_1_is_a_message(run_cli, repo):
    code, out, err = run_cli(
        "deadline", "--tier", "premium", "--severity", "critical", "--at", "0001-01-01T00:00:00+00:00", cwd=repo
    )
    assert (code, out) == (2, "")
    assert err == (
        "support-policies deadline: --at: 0001-01-01T00:00:00+00:00 is outside the range the calendar "
        "can compute: 0001-01-02 to 9998-12-30 UTC\n"
    )


@pytest.mark.parametrize(
    "at, severity, message",
    [
        ("0001-01-01T00:00", "medium", "0001-01-01T00:00:00 in Asia/Tokyo is outside the range"),
        ("9999-12-31T23:59", "critical", "9999-12-31T23:59:00 in Asia/Tokyo is outside the range"),
        (
            "9998-12-30T23:00:00+00:00",
            "critical",
            "the due time of 2h from 9998-12-30T23:00:00+00:00 is outside the range",
        ),
        ("9998-12-30T23:00:00+00:00", "medium", "the opening after 9998-12-30T23:00:00+00:00 is outside the range"),
        ("9999-12-31T23:59:00-05:00", "low", "9999-12-31T23:59:00-05:00 is outside the range"),
    ],
)
def test_deadline_far_times_are_messages(run_cli, repo, at, severity, message):
    code, out, err = run_cli(
        "deadline", "--tier", "premium", "--severity", severity, "--at", at, "--tz", "Asia/Tokyo", cwd=repo
    )
    assert (code, out) == (2, "")
    assert message in err and "Traceback" not in err


def test_deadline_in_the_first_and_last_computable_years(run_cli, repo):
    code, out, _ = run_cli(
        "deadline", "--tier", "premium", "--severity", "medium", "--at", "9998-12-29T12:00:00-06:00", cwd=repo
    )
    assert code == 0
    assert field(out, "Due by:")[0] == "Wed 9998-12-30 11:00 CST  America/Chicago (provider)"  # 5 + 3 open hours
    code, out, _ = run_cli(
        "deadline", "--tier", "premium", "--severity", "critical", "--at", "0001-01-02T00:00:00+00:00", cwd=repo
    )
    assert code == 0
    assert field(out, "Due by:")[-1] == "Tue 0001-01-02 02:00 UTC"


def test_at_defaults_to_source_date_epoch(run_cli, repo, monkeypatch):
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1795816830")  # 2026-11-27 22:00:30 UTC
    code, out, _ = run_cli("deadline", "--tier", "premium", "--severity", "medium", cwd=repo)
    assert code == 0
    assert field(out, "Filed:") == ["Fri 2026-11-27 16:00 CST  America/Chicago (provider)"]
    assert field(out, "Due by:")[0] == "Mon 2026-11-30 15:00 CST  America/Chicago (provider)"


CLOCK_POLICY = """\
severities:
  - {{id: critical, rank: 1, name: Critical, definition: Down.}}
schedules:
  - id: office
    name: Office
    timezone: Europe/Berlin
    {hours}
    holidays: {holidays}
tiers:
  - id: standard
    name: Standard
    level: 1
    obtained: included
    hours: office
    targets:
      critical:
        acknowledge: {{within: 4h, clock: office}}
"""


@pytest.mark.parametrize(
    ("hours", "holidays", "clock"),
    [
        pytest.param(
            "hours: [{days: [mon, tue], opens: '09:00', closes: '17:00'}]",
            "{dates: [{date: '2026-12-24', name: Eve}, {date: '2026-12-24', name: Again}]}",
            "Office: only open hours count; Monday and Tuesday, 09:00–17:00 (Berlin); closed on 1 listed date",
            id="one listed date, written twice",
        ),
        pytest.param(
            "always_open: true",
            "{country: DE, subdivision: BY}",
            "Office: only open hours count; 24 hours a day, 7 days a week (Berlin); closed on DE-BY public holidays",
            id="always open but for holidays",
        ),
        pytest.param("always_open: true", "{}", "Office: every hour counts (Berlin)", id="always open, no holidays"),
    ],
)
def test_the_clock_is_described_by_its_schedule(write_policy, run_cli, tmp_path, hours, holidays, clock):
    write_policy("policy.yaml", CLOCK_POLICY.format(hours=hours, holidays=holidays))
    args = ("deadline", "--tier", "standard", "--severity", "critical", "--at", "2026-06-01T10:00:00+02:00")
    code, out, err = run_cli(*args, "policy.yaml", cwd=tmp_path)
    assert (code, err) == (0, ""), out
    assert field(out, "Clock:") == [clock]
    code, out, _ = run_cli(*args, "--format", "json", "policy.yaml", cwd=tmp_path)
    assert json.loads(out)["promises"][0]["clock"]["description"] == clock


def test_without_kind_every_promise_of_the_plan_is_answered_in_order(run_cli, tmp_path):
    """A plan with a first response, updates and a resolution: one block (text) and one entry
    (json) per promise, in the order the model gives them, each the same as with its --kind."""
    from support_policies.model import PROMISE_KINDS

    folder = REPO / "examples" / "contracts" / "per-severity-staffing" / "policies"
    args = ("deadline", str(folder), "--tier", "standard", "--severity", "emergency", "--at", "2026-11-27T16:00-06:00")
    code, out, err = run_cli(*args, "--format", "json", cwd=tmp_path)
    assert (code, err) == (0, "")
    entries = json.loads(out)["promises"]
    kinds = [entry["kind"] for entry in entries]
    assert len(kinds) > 1 and kinds == sorted(kinds, key=PROMISE_KINDS.index)
    for entry in entries:
        assert entry["due"].endswith("Z")
        due = datetime.fromisoformat(entry["due"])
        assert all(datetime.fromisoformat(local) == due for local in entry["due_local"].values())
        code, alone, _ = run_cli(*args, "--kind", entry["kind"], "--format", "json", cwd=tmp_path)
        assert code == 0 and json.loads(alone)["promises"] == [entry]
    code, text, _ = run_cli(*args, cwd=tmp_path)
    blocks = text.rstrip("\n").split("\n\n")
    assert code == 0 and [block.splitlines()[0].split(": ")[0].rsplit(", ", 1)[1] for block in blocks] == kinds


def test_the_json_answer_follows_its_schema(run_cli, repo):
    from importlib import resources

    import jsonschema

    schema_file = resources.files("support_policies").joinpath("schemas", "deadline.schema.json")
    schema = json.loads(schema_file.read_text("utf-8"))
    jsonschema.Draft202012Validator.check_schema(schema)
    for severity in ("critical", "high", "low"):
        code, out, _ = run_cli("deadline", "--tier", "premium", "--severity", severity, "--format", "json", cwd=repo)
        assert code == 0
        jsonschema.Draft202012Validator(schema, format_checker=jsonschema.FormatChecker()).validate(json.loads(out))
