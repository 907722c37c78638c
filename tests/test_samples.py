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


COMPATIBLE = sorted(p for p in (REPO / "tests/data/compat-0.1").iterdir() if p.is_dir())
"""The sample and the four examples as version 0.1 shipped them."""


REFUSED_SINCE_0_1 = {"channels.response-ambiguous"}
"""Rules added to refuse a page that 0.1 published silently wrong: a channel's response target
beside a plan's, with no word on which applies. Only the writer can say which (their hint
names the key), so no migration can add it."""


@pytest.mark.parametrize("folder", COMPATIBLE, ids=lambda p: p.name)
def test_policies_written_for_version_0_1_still_load(folder):
    """Files valid in 0.1 stay schema-valid with the same meaning: later versions add keys and
    alternatives, never rename or remove; the only new errors are the ambiguities 0.1 hid."""
    result = load_policies([folder])
    assert result.policy is not None and result.policy.files
    errors = [f for f in result.findings if f.level is Level.ERROR and f.rule not in REFUSED_SINCE_0_1]
    assert errors == [], describe(errors)
