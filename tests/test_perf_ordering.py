"""The tier-order rule's shortcut reports exactly what comparing every pair of tiers reports.

:class:`TierOrder` compares a tier with every lower one only when a summary of the lower tiers
says it may have something to report; these tests compare it with the pairwise walk over
every tier, on random plans (ties in level, best effort, conditions, uncovered severities).
"""

from __future__ import annotations

import dataclasses
import textwrap

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from test_rules import BASE

from support_policies.model import PROMISE_KINDS, Condition, Promise, Target, Tier, Within
from support_policies.policyset import load_policies
from support_policies.rules.ordering import TierOrder, WorstCase

SEVERITIES = ("critical", "high", "low")
CLOCKS = ("24x7", "office", "ops")
DURATIONS = ("30m", "1h", "4h", "8h", "16h", "1d", "2d", "0m")


@pytest.fixture(scope="module")
def base_policy(tmp_path_factory):
    folder = tmp_path_factory.mktemp("policies")
    for name, text in BASE.items():
        (folder / name).write_text(textwrap.dedent(text))
    result = load_policies([folder])
    assert result.policy is not None
    return result.policy


def promises() -> st.SearchStrategy[Promise]:
    plain = st.builds(
        lambda within, clock, best_effort: Promise(Within.parse(within), clock, best_effort=best_effort),
        st.sampled_from(DURATIONS),
        st.sampled_from(CLOCKS),
        st.booleans(),
    )
    condition = st.one_of(
        st.none(),
        st.builds(lambda other: Condition("a log", otherwise=other), plain),
        st.builds(lambda severity: Condition("a log", handled_as=severity), st.sampled_from(SEVERITIES)),
    )
    return st.builds(lambda promise, cond: dataclasses.replace(promise, condition=cond), plain, condition)


def targets(severity: str) -> st.SearchStrategy[Target]:
    return st.builds(
        lambda covered, given: Target(severity, covered=covered, **dict(zip(PROMISE_KINDS, given, strict=True))),
        st.booleans() | st.just(True),
        st.tuples(*(st.none() | promises() for _ in PROMISE_KINDS)),
    )


def tiers() -> st.SearchStrategy[list[Tier]]:
    tier = st.builds(
        lambda level, chosen: Tier(f"t{level}", f"T{level}", level, "paid", "24x7", chosen),
        st.integers(1, 4),
        st.fixed_dictionaries({}, optional={severity: targets(severity) for severity in SEVERITIES}),
    )
    return st.lists(tier, min_size=1, max_size=6).map(
        lambda found: [dataclasses.replace(t, id=f"t{i}", name=f"Tier {i}") for i, t in enumerate(found)]
    )


def pairwise(rule: TierOrder, policy) -> list:
    worst = WorstCase(policy)
    ordered = sorted(policy.tiers, key=lambda t: t.level)
    return [
        finding for i, higher in enumerate(ordered) for finding in rule._against(policy, higher, ordered[:i], worst)
    ]


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(chosen=tiers())
def test_the_shortcut_reports_what_every_pair_reports(base_policy, chosen) -> None:
    policy = dataclasses.replace(base_policy, tiers=tuple(chosen))
    rule = TierOrder()
    assert list(rule.check(policy)) == pairwise(rule, policy)


def test_a_clean_plan_ladder_is_checked_without_pairs(base_policy, monkeypatch) -> None:
    """Tiers that each promise at least what the one below does are never compared pair by pair."""
    ladder = tuple(
        Tier(
            f"t{level}",
            f"T{level}",
            level,
            "paid",
            "24x7",
            {s: Target(s, acknowledge=Promise(Within.parse(f"{10 - level}h"), "24x7")) for s in SEVERITIES},
        )
        for level in range(1, 10)
    )
    policy = dataclasses.replace(base_policy, tiers=ladder)
    monkeypatch.setattr(TierOrder, "_against", lambda *args: pytest.fail("compared pair by pair"))
    assert list(TierOrder().check(policy)) == []
