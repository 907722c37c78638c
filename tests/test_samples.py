"""The policy sets shipped with the project pass their own check."""

from __future__ import annotations

import pytest
from sites import EXAMPLES, REPO, SEED_EXAMPLES

from support_policies.findings import Level
from support_policies.policyset import load_policies


def describe(findings) -> str:
    return "\n".join(f"{f.location}: {f.level}: {f.message} [{f.rule}]" for f in findings)


def test_sample_policies_have_no_findings():
    result = load_policies([REPO / "policies"])
    assert result.findings == [], describe(result.findings)
    assert result.ok
    assert result.policy.organization is not None
    assert len(result.policy.files) == len(list((REPO / "policies").glob("*.yaml")))


@pytest.mark.parametrize("folder", EXAMPLES, ids=lambda p: p.name)
def test_example_set_has_no_errors(folder):
    result = load_policies([folder / "policies"])
    errors = [f for f in result.findings if f.level is Level.ERROR]
    assert errors == [], describe(errors)
    assert result.policy is not None


@pytest.mark.requirement
def test_requirement_examples_holds_exactly_four_sets():
    """Requirement: examples/ ships four policy sets, one per seed page."""
    assert len(SEED_EXAMPLES) == 4, [p.name for p in SEED_EXAMPLES]
