"""Promises in force on a day: announced changes (``becomes``) applied from their effective date.

A plan's promise may carry ``becomes: {effective: "2027-03-01", within: 8h, clock: standard-hours}``:
the promise that applies from that day on (its note and condition stay). :func:`in_force`
gives the policy set as it stands on a day, every change due by then applied. Pages are
rendered from the set in force on the build date (``SOURCE_DATE_EPOCH`` when set), and the
words of a promise still to change say what comes and from when ("…; from 1 March 2027:
within 8 hours, around the clock"). ``deadline`` answers with the set in force on the
provider's day of filing. The rules check the set as it is and as it will be once every
announced change is in force, and ``diff`` compares both.
"""

from __future__ import annotations

from dataclasses import replace
from datetime import date

from .model import PolicySet, Promise, Target

FOREVER = date.max
"""A day after every announced change: :func:`in_force` on it gives the promises as they will end up."""


def effective_day(text: str) -> date:
    """A ``becomes.effective`` date (schema-checked; an impossible day never comes)."""
    try:
        return date.fromisoformat(text)
    except ValueError:
        return FOREVER


def promise_on(promise: Promise, day: date) -> Promise:
    """``promise`` as it stands on ``day``."""
    upcoming = promise.becomes
    if upcoming is None or effective_day(upcoming.effective) > day:
        return promise
    return replace(
        promise,
        within=upcoming.within,
        clock=upcoming.clock,
        best_effort=upcoming.best_effort,
        becomes=None,
        origin=upcoming.origin,
    )


def _target(target: Target, day: date) -> Target:
    return replace(
        target,
        acknowledge=target.acknowledge and promise_on(target.acknowledge, day),
        update=target.update and promise_on(target.update, day),
        restore=target.restore and promise_on(target.restore, day),
        resolve=target.resolve and promise_on(target.resolve, day),
    )


def has_upcoming(policy: PolicySet) -> bool:
    """Whether any promise of a plan announces a change."""
    return any(p.becomes is not None for tier in policy.tiers for t in tier.targets.values() for _, p in t.promises())


def upcoming_on(policy: PolicySet) -> dict[str, str]:
    """The effective date of each announced change, by the promise's path (``tiers.premium.high.acknowledge``)."""
    return {
        f"tiers.{tier.id}.{severity}.{kind}": p.becomes.effective
        for tier in policy.tiers
        for severity, t in tier.targets.items()
        for kind, p in t.promises()
        if p.becomes is not None
    }


def in_force(policy: PolicySet, day: date) -> PolicySet:
    """``policy`` on ``day``: every announced change effective by then applied (the same set when none is)."""
    if not has_upcoming(policy):
        return policy
    tiers = tuple(
        replace(tier, targets={key: _target(t, day) for key, t in tier.targets.items()}) for tier in policy.tiers
    )
    return replace(policy, tiers=tiers)
