"""The rule set: every consistency check over a merged policy set."""

from __future__ import annotations

from ..findings import Finding
from ..model import PolicySet
from .base import Rule
from .references import References, UniqueIds

ALL_RULES: tuple[type[Rule], ...] = (UniqueIds, References)


def run_rules(policy: PolicySet, rules=None) -> list[Finding]:
    """Every finding of ``rules`` (default: all rules at their default level)."""
    rules = rules if rules is not None else [cls() for cls in ALL_RULES]
    findings: list[Finding] = []
    for rule in rules:
        findings.extend(rule.check(policy))
    return findings
