"""Promises a page can state truthfully: conditions that resolve, kinds kept, times in sequence.

A promise may carry a ``condition`` (what the customer must do) and what applies when it is
not met: another promise (``otherwise: {within, clock}``) or another severity's promise of
the same kind (``otherwise: {handled_as: high}``). The rules that order promises check both
branches: the promise as given ("met") and what the customer gets when the condition is not
met ("unmet"). :func:`branch` gives either one.
"""

from __future__ import annotations

from collections.abc import Iterator
from datetime import timedelta

from .. import calendar
from ..findings import Finding
from ..model import PROMISE_KINDS, Origin, PolicySet, Promise, Target, Tier
from ..wording import clock_name
from .base import Rule, comparison_window

BRANCHES = ("met", "unmet")
"""The two cases of a conditional promise: its condition met, or not met."""


def branch(tier: Tier, kind: str, promise: Promise | None, which: str) -> Promise | None:
    """The promise that applies in case ``which`` ("met" or "unmet") of ``promise``'s condition.

    An unconditional promise applies in both cases. When the condition is not met, the
    ``otherwise`` promise applies, or the ``handled_as`` severity's promise of the same kind
    on the same tier (None when that severity promises none: :class:`ConditionValid` reports it).
    """
    if promise is None or promise.condition is None or which == "met":
        return promise
    condition = promise.condition
    if condition.otherwise is not None:
        return condition.otherwise
    other = tier.targets.get(condition.handled_as)
    if other is None or not other.covered:
        return None
    instead: Promise | None = getattr(other, kind)
    if instead is not None and instead.condition is not None:
        return None  # a chain of conditions: reported by ConditionValid
    return instead


def case(which: str) -> str:
    """Words for a branch in a message: "" for the promise as given."""
    return " when the condition is not met" if which == "unmet" else ""


def every_promise(tier: Tier, target: Target) -> Iterator[tuple[str, Promise]]:
    """Each promise of a target, and each ``otherwise`` promise of its conditions, as (kind, promise)."""
    for kind, promise in target.promises():
        yield kind, promise
        if promise.condition is not None and promise.condition.otherwise is not None:
            yield kind, promise.condition.otherwise


class ConditionValid(Rule):
    """A condition's ``handled_as`` names another severity that the plan answers faster or alike.

    ``otherwise: {handled_as: high}`` means: when the condition is not met, the incident is
    handled as a high one, with the promise of the same kind that the same plan gives high
    incidents. So ``handled_as`` names a severity that exists, is not the target's own, is
    less severe (being handled as a more severe incident is no fallback), is covered by the
    plan, and gives a promise of that kind without a condition of its own (a chain of
    conditions has no single meaning to publish).
    """

    id = "promises.condition-invalid"
    summary = "a condition's handled_as names a less severe severity the plan answers"

    def check(self, policy: PolicySet) -> Iterator[Finding]:
        ranks = {s.id: s.rank for s in policy.severities}
        for tier in policy.tiers:
            for severity, target in tier.targets.items():
                for kind, promise in target.promises():
                    condition = promise.condition
                    if condition is None or not condition.handled_as:
                        continue
                    other_id = condition.handled_as
                    problem = ""
                    if other_id not in ranks:
                        known = ", ".join(sorted(ranks)) or "none"
                        problem, hint = f"unknown severity '{other_id}'", f"Known severity ids: {known}."
                    elif other_id == severity:
                        problem, hint = (
                            f"a {severity} incident cannot be handled as {severity} when the condition is not met",
                            "Name a less severe severity, or write the promise that applies: "
                            "otherwise: {within, clock}.",
                        )
                    elif severity in ranks and ranks[other_id] < ranks[severity]:
                        problem, hint = (
                            f"'{other_id}' is more severe than '{severity}': being handled as it is no fallback",
                            "Name a less severe severity.",
                        )
                    else:
                        other = tier.targets.get(other_id)
                        instead = getattr(other, kind) if other is not None and other.covered else None
                        if instead is None:
                            problem, hint = (
                                f"'{tier.name}' makes no {kind} promise for {other_id} incidents, so 'handled as "
                                f"{other_id}' promises nothing",
                                f"Give {other_id} a {kind} promise, or write otherwise: {{within, clock}}.",
                            )
                        elif instead.condition is not None:
                            problem, hint = (
                                f"the {kind} promise for {other_id} incidents has a condition of its own",
                                "Conditions do not chain; write the promise that applies: otherwise: {within, clock}.",
                            )
                    if problem:
                        yield self.report(condition.origin, problem, hint, "otherwise", "handled_as")


class PromiseKindKept(Rule):
    """A higher tier never drops a kind of promise that a lower tier makes.

    If a lower plan promises updates (or a workaround, or a resolution) for a severity, a
    higher plan covering that severity promises them too. Otherwise the better plan's page
    would say less than the lesser one's.
    """

    id = "tiers.promise-dropped"
    summary = "higher tiers make every kind of promise lower tiers make"

    def check(self, policy: PolicySet) -> Iterator[Finding]:
        tiers = sorted(policy.tiers, key=lambda t: t.level)
        for i, higher in enumerate(tiers):
            for severity, high_target in higher.targets.items():
                if not high_target.covered:
                    continue
                for kind in PROMISE_KINDS:
                    if getattr(high_target, kind) is not None:
                        continue
                    lower = next(
                        (
                            t
                            for t in reversed(tiers[:i])
                            if (low := t.targets.get(severity)) is not None and low.covered and getattr(low, kind)
                        ),
                        None,
                    )
                    if lower is not None:
                        yield self.report(
                            high_target.origin,
                            f"'{higher.name}' makes no {kind} promise for {severity} incidents, but the lower tier "
                            f"'{lower.name}' does",
                            f"Add {kind} to '{higher.name}' for {severity}, at least as fast as '{lower.name}'.",
                            key=True,
                        )


class PromiseSequence(Rule):
    """A workaround never falls before the first response, nor a resolution before either.

    Within a target, the worst case of ``restore`` is no shorter than that of
    ``acknowledge``, and the worst case of ``resolve`` no shorter than both: a plan cannot
    promise to fix an incident before anyone has answered it. Worst cases are compared as
    wall-clock waits over the clocks' calendars, in both branches of a condition.
    """

    id = "promises.out-of-sequence"
    summary = "resolution and workaround never fall before the first response"

    ORDER = ("acknowledge", "restore", "resolve")

    def check(self, policy: PolicySet) -> Iterator[Finding]:
        from .ordering import WorstCase, _hours

        worst = WorstCase(policy)
        words = {"acknowledge": "the first response", "restore": "a workaround", "resolve": "a resolution"}
        for tier in policy.tiers:
            for severity, target in tier.targets.items():
                if not target.covered:
                    continue
                reported: set[tuple[int, int]] = set()
                for which in BRANCHES:
                    for i, early in enumerate(self.ORDER):
                        for late in self.ORDER[i + 1 :]:
                            first = branch(tier, early, getattr(target, early), which)
                            then = branch(tier, late, getattr(target, late), which)
                            if first is None or then is None or (id(first), id(then)) in reported:
                                continue
                            first_wait, then_wait = worst(first), worst(then)
                            if first_wait is None or then_wait is None or then_wait >= first_wait:
                                continue
                            reported.add((id(first), id(then)))
                            yield self.report(
                                getattr(target, late).origin,
                                f"on '{tier.name}', {words[late]} for {severity} incidents can fall due before "
                                f"{words[early]}{case(which)}: worst case {_hours(then_wait)} against "
                                f"{_hours(first_wait)}",
                                f"Give {late} at least as long as {early}, or check the clocks.",
                                "within",
                            )


class DurationComputable(Rule):
    """Every promised duration can fall due within the five years the calendar computes.

    ``99999h`` is a valid duration, but on a business clock it falls due decades after the
    ticket is filed: ``deadline`` cannot say when, and no page should promise it. Write the
    time in a unit that fits (``5d``, ``2w``).
    """

    id = "promises.too-long"
    summary = "promised durations fall due within five years"

    def check(self, policy: PolicySet) -> Iterator[Finding]:
        promises: list[tuple[Origin, Promise]] = []
        for tier in policy.tiers:
            for target in tier.targets.values():
                promises += [(p.origin, p) for _, p in every_promise(tier, target)]
        seen: dict[tuple[str, str], str] = {}
        for origin, promise in promises:
            key = (promise.clock, str(promise.within.max))
            if key not in seen:
                seen[key] = self._problem(policy, promise)
            if seen[key]:
                yield self.report(
                    origin,
                    seen[key],
                    "Write a shorter duration, or one in a larger unit that says what you mean (5d, 2w).",
                    "within",
                )

    @staticmethod
    def _problem(policy: PolicySet, promise: Promise) -> str:
        try:
            clocks = calendar.calendars(policy, promise.clock).values()
        except calendar.CalendarError:
            return ""  # reported by the schedule and reference rules
        duration = promise.within.max
        too_long = (
            f"the duration {duration} is too long: on the '{clock_name(policy, promise.clock)}' clock it can fall "
            f"due more than five years after a ticket is filed, further than deadline computes"
        )
        try:
            wait = max(clock.worst_wait(duration, *comparison_window()) for clock in clocks)
        except calendar.CalendarRangeError:
            return too_long
        except calendar.CalendarError as exc:
            return "" if "no open" in str(exc) else too_long
        return too_long if wait > calendar.HORIZON or wait == timedelta.max else ""
