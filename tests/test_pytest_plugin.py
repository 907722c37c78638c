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
    result.stdout.fnmatch_lines(
        [
            "*support-policies: tiers.slower-than-lower-tier*",
            "policies/tiers.yaml:125:19: error: 'Premium' is slower to acknowledge critical incidents*",
            "  125 |           within: {min: 5m, max: 500h}",
            "      |                   ^^^^^^^^",
        ]
    )


def test_a_broken_file_fails_loading_and_skips_the_rules(project):
    (project.path / "policies/severities.yaml").write_text("severities:\n  - id: critical\n    rank: [\n")
    result = project.runpytest_subprocess("--support-policies")
    outcomes = result.parseoutcomes()
    assert outcomes["failed"] == 1 and outcomes["skipped"] >= 1
    result.stdout.fnmatch_lines(["*policies/severities.yaml:*: error:*[yaml.syntax]*"])


def test_a_warning_passes_with_a_pytest_warning_not_an_internal_error(project):
    glossary = project.path / "policies/glossary.yaml"
    glossary.write_text(glossary.read_text() + "  - term: Ledgerbook\n    definition: A word nobody uses.\n")
    result = project.runpytest_subprocess("--support-policies", "-W", "default")
    from support_policies.rules import ALL_RULES

    result.assert_outcomes(passed=len(ALL_RULES) + 2, warnings=1)
    assert "AssertionError" not in result.stdout.str() + result.stderr.str()
    result.stdout.fnmatch_lines(
        ["*policies/glossary.yaml:*: PytestWarning: the glossary term 'Ledgerbook' is not used*"]
    )


@pytest.mark.parametrize(
    "selection",
    [
        ["-k", "not slower and not severities"],
        [
            "--deselect",
            "support-policies::tiers.slower-than-lower-tier",
            "--deselect",
            "support-policies::severities.out-of-order",
        ],
        ["-k", "nothing-matches-this"],
    ],
    ids=["-k", "--deselect", "-k matching nothing"],
)
def test_deselecting_the_failing_items_does_not_make_broken_policies_pass(project, selection):
    tiers = project.path / "policies/tiers.yaml"
    tiers.write_text(tiers.read_text().replace("max: 2h", "max: 500h", 1))
    result = project.runpytest_subprocess("--support-policies", *selection)
    assert result.ret == 1
    result.stdout.fnmatch_lines(["*the policies fail the check, and the items showing why were not run*"])


def test_a_named_settings_file_that_is_missing_is_a_usage_error(project):
    project.makeini("[pytest]\nsupport_policies = true\nsupport_policies_settings = nowhere.yaml\n")
    result = project.runpytest_subprocess()
    assert result.ret == pytest.ExitCode.USAGE_ERROR
    assert "support_policies_settings: no such file: nowhere.yaml" in result.stderr.str()


def test_a_broken_settings_file_fails_like_check(project):
    (project.path / "support-policies.yaml").write_text("rules:\n  tiers.slower-than-lower-tier: sometimes\n")
    result = project.runpytest_subprocess("--support-policies")
    assert result.ret == 1
    result.stdout.fnmatch_lines(["*support-policies.yaml:2:*"])
