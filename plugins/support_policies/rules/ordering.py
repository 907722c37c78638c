"""Better tiers promise more, and worse incidents are answered sooner.

Promises on different clocks are compared as worst-case wall-clock time: the longest a
customer can wait for any filing instant in the comparison window (28 fixed years, see
:func:`.base.comparison_window`) of the clocks' calendars. "4 hours, 24x7" beats "2
business hours, Mon–Fri 08–17", which can take 65 hours over a weekend. Hours are compared
over the same window, holidays included.
"""

from __future__ import annotations

from collections.abc import Iterator
from datetime import datetime, timedelta
from functools import lru_cache

from .. import calendar
from ..findings import Finding
from ..model import PROMISE_KINDS, Duration, PolicySet, Promise, Tier
from ..wording import clock_name
from ..wording import promise as worded
from .base import Rule, comparison_window
from .promises import BRANCHES, branch, case, every_promise

BEYOND_HORIZON = timedelta.max
"""The wait of a promise that does not fall due within the calendar's five-year horizon."""


class WorstCase:
    """Worst-case waits, computed once per clock and duration."""

    def __init__(self, policy: PolicySet):
        self.policy = policy
        self._cache: dict[tuple[str, Duration], timedelta | None] = {}

    def __call__(self, promise: Promise) -> timedelta | None:
        key = (promise.clock, promise.within.max)
        if key not in self._cache:
            try:
                clocks = calendar.calendars(self.policy, promise.clock).values()
            except calendar.CalendarError:
                self._cache[key] = None  # reported by the schedule rules
                return None
            try:  # whatever the customer's region: the longest of the clock's calendars
                self._cache[key] = max(clock.worst_wait(promise.within.max, *comparison_window()) for clock in clocks)
            except calendar.CalendarError:  # e.g. 99999h on business hours: longer than any other wait
                self._cache[key] = BEYOND_HORIZON
        return self._cache[key]


def _hours(delta: timedelta) -> str:
    if delta == BEYOND_HORIZON:
        return "more than five years"
    hours = delta.total_seconds() / 3600
    if hours == 1:
        return "1 hour"
    return f"{hours:,.0f} hours" if hours >= 100 else f"{hours:g} hours"


class TierOrder(Rule):
    """A higher tier never promises a slower response than a lower tier.

    For each severity and kind of promise (acknowledge, update, restore, resolve), the tier
    with the higher ``level`` must have a worst-case wait no longer than every lower tier's,
    and must cover every severity a lower tier covers. A best-effort promise is weaker than
    any guarantee: a higher tier may not turn a lower tier's guarantee into an aim, and a
    guarantee on the higher tier is never outranked by a faster aim on a lower one.
    Conditional promises are compared in both cases: condition met, and not met.
    """

    id = "tiers.slower-than-lower-tier"
    summary = "higher tiers are never slower than lower tiers"

    def check(self, policy: PolicySet) -> Iterator[Finding]:
        worst = WorstCase(policy)
        tiers = sorted(policy.tiers, key=lambda t: t.level)
        below = _Below()
        for i, higher in enumerate(tiers):
            if i and below.may_report(higher, worst):
                yield from self._against(policy, higher, tiers[:i], worst)
            below.add(higher, worst)

    def _against(self, policy: PolicySet, higher: Tier, lowers: list[Tier], worst: WorstCase) -> Iterator[Finding]:
        """The findings of ``higher`` against each of the tiers below it, in order."""
        for lower in lowers:
            for severity, low_target in lower.targets.items():
                high_target = higher.targets.get(severity)
                if high_target is None:
                    continue
                if low_target.covered and not high_target.covered:
                    yield self.report(
                        high_target.origin,
                        f"'{higher.name}' does not cover {severity} incidents, but the lower tier '{lower.name}' does",
                        "A better plan should cover at least what a lesser one does.",
                        "covered",
                    )
                    continue
                for kind in PROMISE_KINDS:
                    given = getattr(high_target, kind)
                    reported: set[tuple[int, int]] = set()
                    for which in BRANCHES:
                        low = branch(lower, kind, getattr(low_target, kind), which)
                        high = branch(higher, kind, given, which)
                        if not (low and high) or (id(low), id(high)) in reported:
                            continue
                        if high.best_effort and not low.best_effort:
                            reported.add((id(low), id(high)))
                            yield self.report(
                                given.origin,
                                f"'{higher.name}' only aims to {kind} {severity} incidents{case(which)} (best "
                                f"effort), but the lower tier '{lower.name}' guarantees it: {worded(policy, low)}",
                                f"Make '{higher.name}' a guarantee too, or check the tiers' level values.",
                                "best_effort" if which == "met" else "condition",
                            )
                            continue
                        low_wait, high_wait = worst(low), worst(high)
                        if low_wait is None or high_wait is None or high_wait <= low_wait:
                            continue
                        if low.best_effort and not high.best_effort:
                            continue  # a guarantee is stronger than any aim
                        reported.add((id(low), id(high)))
                        yield self.report(
                            given.origin,
                            f"'{higher.name}' is slower to {kind} {severity} incidents{case(which)} than the lower "
                            f"tier '{lower.name}': {worded(policy, high)} (worst case {_hours(high_wait)}) against "
                            f"{worded(policy, low)} (worst case {_hours(low_wait)})",
                            f"Make '{higher.name}' at least as fast, or check the tiers' level values.",
                            "within" if which == "met" else "condition",
                        )


class _Below:
    """What the tiers below a tier promise, in brief: enough to tell in constant time that
    :meth:`TierOrder._against` has nothing to report for a tier (so the rule costs time
    linear in the tiers unless it reports), never that it has."""

    def __init__(self) -> None:
        self.covered: set[str] = set()
        """The severities some lower tier covers."""
        self.guaranteed: set[tuple[str, str, str]] = set()
        """The (severity, kind, branch) some lower tier guarantees (not best effort)."""
        self.fastest: dict[tuple[str, str, str], timedelta] = {}
        """The shortest worst-case wait of a lower tier's promise, by (severity, kind, branch)."""
        self.fastest_guarantee: dict[tuple[str, str, str], timedelta] = {}
        """The same among guarantees."""

    def _promises(self, tier: Tier) -> Iterator[tuple[tuple[str, str, str], Promise]]:
        for severity, target in tier.targets.items():
            for kind in PROMISE_KINDS:
                given = getattr(target, kind)
                for which in BRANCHES:
                    found = branch(tier, kind, given, which)
                    if found:
                        yield (severity, kind, which), found

    def may_report(self, higher: Tier, worst: WorstCase) -> bool:
        """False only when no lower tier added so far makes ``higher`` reportable."""
        for severity, target in higher.targets.items():
            if not target.covered and severity in self.covered:
                return True
        for key, promise in self._promises(higher):
            if promise.best_effort and key in self.guaranteed:
                return True
            wait = worst(promise)
            if wait is None:
                continue
            bound = (self.fastest if promise.best_effort else self.fastest_guarantee).get(key)
            if bound is not None and bound < wait:
                return True
        return False

    def add(self, tier: Tier, worst: WorstCase) -> None:
        """Count ``tier`` among the lower tiers."""
        self.covered.update(severity for severity, target in tier.targets.items() if target.covered)
        for key, promise in self._promises(tier):
            if not promise.best_effort:
                self.guaranteed.add(key)
            wait = worst(promise)
            if wait is None:
                continue
            for table in (self.fastest,) if promise.best_effort else (self.fastest, self.fastest_guarantee):
                if key not in table or wait < table[key]:
                    table[key] = wait


class TierHours(Rule):
    """A higher tier's hours of operation include every hour a lower tier is staffed.

    Where a target states its own staffing (``hours`` on the target), the comparison is made
    for that severity too.
    """

    id = "tiers.hours-not-included"
    summary = "higher tiers are staffed whenever lower tiers are"

    def check(self, policy: PolicySet) -> Iterator[Finding]:
        tiers = sorted(policy.tiers, key=lambda t: t.level)
        gaps = _Gaps(policy)
        for i, higher in enumerate(tiers):
            for lower in tiers[:i]:
                found = gaps(higher.hours, lower.hours)
                if found is not None and found is not _NO_CALENDAR:
                    gap, low_cal = found
                    local = gap.astimezone(low_cal.zone)
                    yield self.report(
                        higher.origin,
                        f"'{higher.name}' is not staffed at {local:%A %H:%M} ({low_cal.zone.key}), "
                        f"first on {local.date().isoformat()}, when the lower tier '{lower.name}' is",
                        "A better plan's hours should include the lesser plan's hours.",
                        "hours",
                    )
                yield from self._per_severity(higher, lower, gaps)

    def _per_severity(self, higher: Tier, lower: Tier, gaps: _Gaps) -> Iterator[Finding]:
        """Where either tier states a severity's own staffing, the higher one includes the lower one's."""
        for severity, high_target in higher.targets.items():
            low_target = lower.targets.get(severity)
            if low_target is None or not (high_target.covered and low_target.covered):
                continue
            if not (high_target.hours or low_target.hours):
                continue
            found = gaps(higher.staffing(severity), lower.staffing(severity))
            if found is not None and found is not _NO_CALENDAR:
                gap, low_cal = found
                local = gap.astimezone(low_cal.zone)
                yield self.report(
                    high_target.origin if high_target.hours else higher.origin,
                    f"'{higher.name}' is not staffed for {severity} incidents at {local:%A %H:%M} "
                    f"({low_cal.zone.key}), first on {local.date().isoformat()}, when the lower tier "
                    f"'{lower.name}' is",
                    "A better plan's hours should include the lesser plan's hours for every severity.",
                    "hours",
                )


_NO_CALENDAR = (datetime.min, calendar.Calendar.always())
"""What :class:`_Gaps` answers when either clock has no calendar (the schedule rules report it)."""


class _Gaps:
    """:func:`first_gap` of each pair of clocks, worked out once per check (tiers share clocks)."""

    def __init__(self, policy: PolicySet):
        self.policy = policy
        self._found: dict[tuple[str, str], tuple[datetime, calendar.Calendar] | None] = {}

    def __call__(self, hours: str, clock: str) -> tuple[datetime, calendar.Calendar] | None:
        key = (hours, clock)
        if key not in self._found:
            try:
                self._found[key] = first_gap(self.policy, hours, clock)
            except calendar.CalendarError:
                self._found[key] = _NO_CALENDAR
        return self._found[key]


def paired(policy: PolicySet, first: str, second: str) -> list[tuple[calendar.Calendar, calendar.Calendar]]:
    """The calendars of two clocks, region by region where they depend on the customer's region.

    Raises CalendarError when either clock has no calendar (the schedule rules report it).
    """
    a, b = calendar.calendars(policy, first), calendar.calendars(policy, second)
    if None in a:
        return [(a[None], cal) for cal in b.values()]
    if None in b:
        return [(cal, b[None]) for cal in a.values()]
    return [(cal, b[region]) for region, cal in a.items() if region in b] + [
        (a_cal, b_cal) for region, a_cal in a.items() if region not in b for b_cal in b.values()
    ]


def first_gap(policy: PolicySet, hours: str, clock: str) -> tuple[datetime, calendar.Calendar] | None:
    """The first instant ``clock`` runs while ``hours`` is closed (in any region), with ``clock``'s calendar."""
    for staffed, running in paired(policy, hours, clock):
        gap = _uncovered(staffed, running)
        if gap is not None:
            return gap, running
    return None


@lru_cache(maxsize=256)
def _uncovered(cal: calendar.Calendar, other: calendar.Calendar) -> datetime | None:
    """The first instant of the comparison window when ``other`` is open and ``cal`` is not, or None."""
    return cal.uncovered(other, *comparison_window())


class SeverityOrder(Rule):
    """Within a tier, a more severe incident never waits longer than a less severe one.

    Best effort is weaker than any guarantee, so a more severe incident is not answered on
    a best-effort basis while a less severe one is guaranteed. Conditional promises are
    compared in both cases: condition met, and not met.
    """

    id = "severities.out-of-order"
    summary = "more severe incidents are answered no later than less severe ones"

    def check(self, policy: PolicySet) -> Iterator[Finding]:
        worst = WorstCase(policy)
        ranks = {s.id: s.rank for s in policy.severities}
        for tier in policy.tiers:
            targets = sorted(
                (t for t in tier.targets.values() if t.covered and t.severity in ranks), key=lambda t: ranks[t.severity]
            )
            for kind in PROMISE_KINDS:
                for which in BRANCHES:
                    given = [
                        (t, getattr(t, kind), p) for t in targets if (p := branch(tier, kind, getattr(t, kind), which))
                    ]
                    if which == "unmet" and all(p.condition is None for _, p, _ in given):
                        continue  # no condition: the same comparison as the met case
                    for i, (severe, written, promise) in enumerate(given):
                        for milder, _, other in given[i + 1 :]:
                            if promise is other:
                                continue
                            if promise.best_effort and not other.best_effort:
                                yield self.report(
                                    written.origin,
                                    f"on '{tier.name}', {kind} for {severe.severity} incidents{case(which)} is only "
                                    f"best effort, but it is guaranteed for the less severe {milder.severity} "
                                    "incidents",
                                    "A more severe incident should get at least the same guarantee.",
                                    "best_effort" if which == "met" else "condition",
                                )
                                break
                            wait, other_wait = worst(promise), worst(other)
                            if wait is None or other_wait is None or wait <= other_wait:
                                continue
                            if other.best_effort and not promise.best_effort:
                                continue  # a guarantee is stronger than any aim
                            yield self.report(
                                written.origin,
                                f"on '{tier.name}', {severe.severity} incidents{case(which)} wait up to "
                                f"{_hours(wait)} for {kind}, longer than {milder.severity} incidents (up to "
                                f"{_hours(other_wait)})",
                                "A more severe incident should never wait longer; check the durations and clocks.",
                                "within" if which == "met" else "condition",
                            )
                            break


class EscalationConsistency(Rule):
    """Escalation eligibility is consistent across tiers and severities.

    If a severity may be escalated on a tier, it may be escalated on every higher tier,
    and every more severe incident on the same tier may be escalated too. A tier that
    allows escalation says how (an ``escalation`` section).
    """

    id = "escalation.inconsistent"
    summary = "escalation eligibility is consistent"

    def check(self, policy: PolicySet) -> Iterator[Finding]:
        ranks = {s.id: s.rank for s in policy.severities}
        tiers = sorted(policy.tiers, key=lambda t: t.level)
        for tier in tiers:
            eligible = [t for t in tier.targets.values() if t.escalation]
            if eligible and tier.escalation is None:
                yield self.report(
                    tier.origin,
                    f"'{tier.name}' allows escalation but does not say how",
                    "Add an escalation section with when and contacts.",
                    "id",
                    key=True,
                )
            for target in eligible:
                for other in tier.targets.values():
                    if (
                        other.severity in ranks
                        and target.severity in ranks
                        and ranks[other.severity] < ranks[target.severity]
                        and other.covered
                        and other.escalation is False
                    ):
                        yield self.report(
                            other.origin,
                            f"on '{tier.name}', {other.severity} incidents cannot be escalated but the "
                            f"less severe {target.severity} incidents can",
                            "",
                            "escalation",
                        )
        for i, higher in enumerate(tiers):
            for lower in tiers[:i]:
                for severity, low_target in lower.targets.items():
                    high_target = higher.targets.get(severity)
                    if low_target.escalation and high_target is not None and high_target.escalation is False:
                        yield self.report(
                            high_target.origin,
                            f"{severity} incidents can be escalated on '{lower.name}' but not on the "
                            f"higher tier '{higher.name}'",
                            "",
                            "escalation",
                        )


class ClockWithinHours(Rule):
    """A tier only promises time on clocks it is staffed for, severity by severity.

    A tier staffed during standard hours cannot promise a response on the 24x7 clock:
    nobody would be there at night to give it. A target's own ``hours`` (staffing for that
    severity) replaces the tier's for its promises, including the promise that applies when
    a condition is not met.
    """

    id = "tiers.clock-outside-hours"
    summary = "tier promises run on clocks within the tier's hours"

    def check(self, policy: PolicySet) -> Iterator[Finding]:
        for tier in policy.tiers:
            for target in tier.targets.values():
                staffing = tier.staffing(target.severity)
                own = " for them" if target.hours else ""
                for kind, promise in every_promise(tier, target):
                    try:
                        gap = first_gap(policy, staffing, promise.clock)
                    except calendar.CalendarError:
                        continue
                    if gap is not None:
                        yield self.report(
                            promise.origin,
                            f"'{tier.name}' is staffed '{clock_name(policy, staffing)}'{own} but promises "
                            f"{kind} for {target.severity} on the '{promise.clock}' clock",
                            "Use the tier's own schedule as the clock, widen the tier's hours, or state this "
                            "severity's staffing with hours: under its target.",
                            "clock",
                        )
