"""The opt-in pytest plugin turns each rule into a test item."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

pytest_plugins = ["pytester"]

REPO = Path(__file__).resolve().parent.parent


@pytest.fixture
def project(pytester):
    shutil.copytree(REPO / "policies", pytester.path / "policies")
    return pytester


def test_it_is_off_unless_asked_for(project):
    result = project.runpytest_subprocess()
    result.assert_outcomes()  # nothing collected, nothing run
    assert "support-policies::" not in result.stdout.str()


def test_the_flag_collects_one_item_per_rule_and_passes_on_the_sample(project):
    from support_policies.rules import ALL_RULES

    result = project.runpytest_subprocess("--support-policies", "-v")
    result.assert_outcomes(passed=len(ALL_RULES) + 2)
    result.stdout.fnmatch_lines(["*support-policies::tiers.slower-than-lower-tier PASSED*"])


def test_an_inconsistent_sla_fails_with_the_check_message(project):
    tiers = project.path / "policies/tiers.yaml"
    tiers.write_text(tiers.read_text().replace("max: 2h", "max: 500h", 1))
    project.makeini("[pytest]\nsupport_policies = true\n")
    result = project.runpytest_subprocess()
    from support_policies.rules import ALL_RULES

    # Premium's critical target is now slower than both lower tiers and than its own high target.
    result.assert_outcomes(passed=len(ALL_RULES), failed=2)
    result.stdout.fnmatch_lines([
        "*support-policies: tiers.slower-than-lower-tier*",
        "policies/tiers.yaml:80:19: error: 'Premium' is slower to acknowledge critical incidents*",
        "  80 |           within: {min: 5m, max: 500h}",
        "     |                   ^^^^^^^^",
    ])


def test_a_broken_file_fails_loading_and_skips_the_rules(project):
    (project.path / "policies/severities.yaml").write_text("severities:\n  - id: critical\n    rank: [\n")
    result = project.runpytest_subprocess("--support-policies")
    outcomes = result.parseoutcomes()
    assert outcomes["failed"] == 1 and outcomes["skipped"] >= 1
    result.stdout.fnmatch_lines(["*policies/severities.yaml:*: error:*[yaml.syntax]*"])
