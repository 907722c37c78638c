"""Each tier says what it promises for every severity, in well-formed terms."""

from __future__ import annotations

from collections.abc import Iterator

from ..findings import Finding
from ..model import PolicySet
from .base import Rule
from .promises import every_promise


class Coverage(Rule):
    """Every tier states a target for every severity, or says it does not cover it.

    A severity missing from a tier's ``targets`` leaves customers guessing; write
    ``covered: false`` to say the tier does not cover it. A covered target must promise
    something (``acknowledge``, ``update``, ``restore`` or ``resolve``), and an uncovered one
    must not (nor state its own ``hours``).
    """

    id = "coverage.missing"
    summary = "every tier has a target, or covered: false, for every severity"

    def check(self, policy: PolicySet) -> Iterator[Finding]:
        for tier in policy.tiers:
            for severity in policy.severities:
                if severity.id not in tier.targets:
                    yield self.report(
                        tier.origin,
                        f"tier '{tier.id}' says nothing about severity '{severity.id}'",
                        f"Add '{severity.id}:' under targets with a promise, or 'covered: false'.",
                        "targets",
                        key=True,
                    )
            for severity_id, target in tier.targets.items():
                if target.covered and not target.promises():
                    yield self.report(
                        target.origin,
                        f"tier '{tier.id}' covers '{severity_id}' but promises nothing",
                        "Add acknowledge (or update/restore/resolve) with within and clock, or write covered: false.",
                        key=True,
                    )
                if not target.covered and target.hours and not target.promises():
                    yield self.report(
                        target.origin,
                        f"tier '{tier.id}' marks '{severity_id}' as not covered but states its staffing hours",
                        "Remove hours, or remove covered: false.",
                        "hours",
                    )
                if not target.covered and target.promises():
                    yield self.report(
                        target.origin,
                        f"tier '{tier.id}' marks '{severity_id}' as not covered but still promises a response",
                        "Remove the promises, or remove covered: false.",
                        "covered",
                    )


class RangeWellFormed(Rule):
    """A range's lower bound is below its upper bound.

    ``within: {min: 5m, max: 2h}`` reads "minutes, at most 2 hours"; a ``min`` at or
    above ``max`` would read as nonsense. Units must agree in kind too: compare like
    with like (a day on a business clock is an open day).
    """

    id = "range.malformed"
    summary = "ranges have min below max"

    def check(self, policy: PolicySet) -> Iterator[Finding]:
        promises = [p for tier in policy.tiers for t in tier.targets.values() for _, p in every_promise(tier, t)]
        promises += [c.response for c in policy.channels if c.response]
        for promise in promises:
            low, high = promise.within.min, promise.within.max
            if low is not None and low.minutes >= high.minutes:
                yield self.report(
                    promise.origin,
                    f"the range's min ({low}) is not below its max ({high})",
                    "Write min smaller than max, or use a single duration: within: " + str(high),
                    "within",
                    "min",
                )
