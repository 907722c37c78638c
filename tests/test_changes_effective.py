"""Effective dates on promises (``becomes``): the site, ``deadline``, the export, the rules and ``diff``."""

from __future__ import annotations

import json
from datetime import date

import pytest
from conftest import run_cli
from test_changes import _fixed_day, premium_ack, run_scenario, sample, write  # noqa: F401

from support_policies.effective import FOREVER, in_force
from support_policies.exports.site import site_files
from support_policies.policyset import load_policies
from support_policies.render import Renderer

BECOMES = {"effective": "2027-03-01", "within": "8h", "clock": "24x7"}
"""From 1 March 2027 in the provider's zone (America/Chicago)."""
BEFORE, AFTER = "1796083200", "1803945600"  # 2026-12-01 and 2027-03-02, UTC


def _announced(folder):
    files = sample()
    premium_ack("high")(files)["becomes"] = dict(BECOMES)
    return write(files, folder)


def _plans(policy) -> str:
    return next(f for f in site_files(Renderer(policy), ["plans"]) if f.path == "plans.md").content.decode("utf-8")


def test_the_site_shows_the_announced_promise_beside_the_current_one_until_it_applies(tmp_path, monkeypatch):
    result = load_policies([_announced(tmp_path / "policies")])
    assert result.ok, result.findings
    monkeypatch.setenv("SOURCE_DATE_EPOCH", BEFORE)
    assert "Minutes, at most 4 hours, around the clock; from 1 March 2027: within 8 hours, around the clock" in _plans(
        result.policy
    )
    monkeypatch.setenv("SOURCE_DATE_EPOCH", AFTER)
    after = _plans(result.policy)
    assert "1 March 2027" not in after
    assert "Within 8 hours, around the clock" in after


@pytest.mark.parametrize(
    ("at", "due"),
    [
        ("2027-02-28T12:00:00-06:00", "2027-02-28T16:00:00-06:00"),  # 4 hours, the promise in force
        ("2027-03-01T12:00:00-06:00", "2027-03-01T20:00:00-06:00"),  # 8 hours from 1 March
        ("2027-03-01T03:00:00+00:00", "2027-03-01T01:00:00-06:00"),  # 1 March in UTC, 28 February in Chicago: 4 hours
    ],
)
def test_deadline_uses_the_promise_in_force_when_the_ticket_is_filed(tmp_path, at, due):
    _announced(tmp_path / "policies")
    code, out, err = run_cli(
        "deadline", "--tier", "premium", "--severity", "high", "--at", at, "--format", "json", cwd=tmp_path
    )
    assert code == 0, err
    assert json.loads(out)["promises"][0]["due_local"]["provider"] == due


def test_the_export_carries_both(tmp_path, monkeypatch):
    monkeypatch.setenv("SOURCE_DATE_EPOCH", BEFORE)
    _announced(tmp_path / "policies")
    code, out, err = run_cli("export", "policies", "--out", "out", cwd=tmp_path)
    assert code == 0, out + err
    document = json.loads((tmp_path / "out" / "data" / "policies.json").read_text("utf-8"))
    premium = next(t for t in document["policy"]["tiers"] if t["id"] == "premium")
    assert premium["targets"]["high"]["acknowledge"]["within"] == {"min": "5m", "max": "4h"}
    assert premium["targets"]["high"]["acknowledge"]["becomes"] == BECOMES


def test_in_force_applies_what_is_due_and_nothing_else(tmp_path):
    policy = load_policies([_announced(tmp_path / "policies")]).policy
    high = lambda p: p.tier("premium").targets["high"].acknowledge  # noqa: E731
    assert in_force(policy, date(2027, 2, 28)) == policy
    assert str(high(in_force(policy, date(2027, 3, 1))).within.max) == "8h"
    assert high(in_force(policy, FOREVER)).becomes is None


def test_the_rules_check_the_announced_promise(tmp_path):
    files = sample()
    premium_ack("high")(files)["becomes"] = {"effective": "2027-03-01", "within": "200h", "clock": "24x7"}
    result = load_policies([write(files, tmp_path / "policies")])
    found = [f for f in result.findings if f.rule == "tiers.slower-than-lower-tier"]
    assert found, result.findings
    line = (tmp_path / "policies" / "tiers.yaml").read_text("utf-8").splitlines()[found[0].line - 1]
    assert "200h" in line or "becomes" in line or "within" in line


def test_diff_reports_an_announced_weakening_from_its_date(tmp_path, capsys):
    code, report, _ = run_scenario(
        tmp_path, capsys, None, lambda files: premium_ack("high")(files).update(becomes=dict(BECOMES))
    )
    change = next(c for c in report["changes"] if c["id"] == "promise.slower")
    assert change["message"].startswith(
        "From 1 March 2027: Premium, High, first response: at most 4 hours → at most 8 hours"
    )
    assert code == 1


def test_notice_counts_to_the_day_the_promise_really_changes(tmp_path, capsys):
    """An entry saying June does not give notice for a promise that changes in March."""
    from test_changes import _all, _entry, _settings

    _settings(tmp_path, "notice_period: 120d\n")
    becomes = lambda files: premium_ack("high")(files).update(becomes=dict(BECOMES))  # noqa: E731
    code, report, _ = run_scenario(
        tmp_path, capsys, None, _all(becomes, _entry(covers=["tiers.premium.high"], effective="2027-06-01"))
    )
    change = next(c for c in report["changes"] if c["id"] == "promise.slower")
    assert change["takes_effect"] == "2027-03-01"
    assert change["problem"] == (
        "the change log entry 'premium-high' gives 90 days of notice (announced 2026-12-01, takes effect "
        "2027-03-01); the notice period is 120d, so it may take effect on 2027-03-31 at the earliest"
    )
    assert code == 1
    code, report, _ = run_scenario(
        tmp_path, capsys, None, _all(becomes, _entry(covers=["tiers.premium.high"], effective="2027-03-01"))
    )
    assert code == 1  # 90 days is still short of 120
    _settings(tmp_path, "notice_period: 90d\n")
    code, report, _ = run_scenario(
        tmp_path, capsys, None, _all(becomes, _entry(covers=["tiers.premium.high"], effective="2027-06-01"))
    )
    assert code == 0


def test_the_calculators_data_ends_before_an_announced_change(tmp_path):
    """data/calendars.json holds the promises in force on the build date, so it answers only for
    filings before the change: up to a day early, as the provider's day may start before UTC's."""
    from support_policies.exports.calendars import calendars_json

    policy = load_policies([_announced(tmp_path / "policies")]).policy
    data = json.loads(calendars_json(policy, date(2026, 12, 1)))
    assert data["filings"]["until"] == 1803772800000  # 2027-02-28 00:00 UTC
    assert data["plans"]["premium"]["severities"]["high"]["acknowledge"]["max"] == "4h"
    later = json.loads(calendars_json(policy, date(2027, 3, 2)))  # built after it: the new promise, a full window
    assert later["plans"]["premium"]["severities"]["high"]["acknowledge"]["max"] == "8h"
    assert later["filings"]["until"] == 1803945600000 + 400 * 86_400_000
