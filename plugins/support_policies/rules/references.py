"""Ids are unique, and every id a policy refers to exists."""

from __future__ import annotations

import difflib
from collections.abc import Hashable, Iterator, Sequence
from typing import Protocol

from ..findings import Finding
from ..model import ALWAYS, Origin, PolicySet
from .base import Rule

Reference = tuple[str, str, Origin, tuple[str | int, ...], bool]
"""(kind, id, origin, path below origin, whether the id is a key)."""


class _Identified(Protocol):
    @property
    def id(self) -> str: ...

    @property
    def origin(self) -> Origin: ...


class UniqueIds(Rule):
    """Each id names one thing of its kind, across all files.

    Severities, schedules, tiers, channels, ticket templates, providers, known problems
    and journeys are referred to by id; two with the same id would make every reference
    ambiguous. Severity ranks and tier levels order things, so they are unique too, and
    so are field ids within a ticket template and glossary terms.
    """

    id = "ref.duplicate-id"
    summary = "ids, severity ranks, tier levels and glossary terms are unique"

    def check(self, policy: PolicySet) -> Iterator[Finding]:
        kinds: dict[str, Sequence[_Identified]] = {
            "severity": policy.severities,
            "schedule": policy.schedules,
            "tier": policy.tiers,
            "channel": policy.channels,
            "ticket template": policy.ticket_templates,
            "provider": policy.providers,
            "known problem": policy.known_problems,
            "journey": policy.journeys,
        }
        for kind, items in kinds.items():
            yield from self._unique(kind, "id", [(item.id, item.origin) for item in items])
        yield from self._unique("severity", "rank", [(s.rank, s.origin) for s in policy.severities])
        yield from self._unique("tier", "level", [(t.level, t.origin) for t in policy.tiers])
        yield from self._unique("glossary term", "term", [(t.term.lower(), t.origin) for t in policy.glossary])
        for template in policy.ticket_templates:
            yield from self._unique(f"field of '{template.id}'", "id", [(f.id, f.origin) for f in template.fields])
        for schedule in policy.schedules:
            yield from self._unique(
                f"maintenance window of '{schedule.id}'", "id", [(w.id, w.origin) for w in schedule.maintenance]
            )

    def _unique(self, kind: str, attribute: str, values: Sequence[tuple[Hashable, Origin]]) -> Iterator[Finding]:
        seen: dict[Hashable, Origin] = {}
        for value, origin in values:
            if value in seen:
                first = seen[value]
                where = f"{first.file}:{first.position(attribute)[0]}"
                yield self.report(
                    origin,
                    f"{kind} {attribute} {value!r} is already used at {where}",
                    f"Give each {kind} its own {attribute}.",
                    attribute,
                )
            else:
                seen[value] = origin


class References(Rule):
    """Every referenced severity, schedule, channel, template and tier exists.

    A tier's targets are keyed by severity id; clocks and hours name a schedule (or the
    built-in ``24x7``); escalation contacts, redirects, known problems and the security
    policy name channels; channels name a ticket template, tiers and severities.
    """

    id = "ref.unknown"
    summary = "every referenced id exists"

    def check(self, policy: PolicySet) -> Iterator[Finding]:
        known = {
            "severity": {s.id for s in policy.severities},
            "schedule": {s.id for s in policy.schedules} | {ALWAYS},
            "channel": {c.id for c in policy.channels},
            "ticket template": {t.id for t in policy.ticket_templates},
            "tier": {t.id for t in policy.tiers},
        }
        for kind, value, origin, parts, key in self._references(policy):
            if value in known[kind]:
                continue
            guess = difflib.get_close_matches(value, sorted(known[kind]), n=1)
            if guess:
                hint = f"Did you mean '{guess[0]}'?"
            elif known[kind]:
                hint = f"Known {kind} ids: " + ", ".join(sorted(known[kind])) + "."
            else:
                hint = f"No {kind} is defined yet; add one or remove the reference."
            yield self.report(origin, f"unknown {kind} '{value}'", hint, *parts, key=key)

    @staticmethod
    def _references(policy: PolicySet) -> Iterator[Reference]:
        """(kind, id, origin, path below origin, whether the id is a key) for every reference."""
        for tier in policy.tiers:
            yield "schedule", tier.hours, tier.origin, ("hours",), False
            for severity, target in tier.targets.items():
                yield "severity", severity, tier.origin, ("targets", severity), True
                if target.hours:
                    yield "schedule", target.hours, target.origin, ("hours",), False
                for _, promise in target.promises():
                    yield "schedule", promise.clock, promise.origin, ("clock",), False
                    otherwise = promise.condition.otherwise if promise.condition else None
                    if otherwise is not None:
                        yield "schedule", otherwise.clock, otherwise.origin, ("clock",), False
            if tier.escalation:
                for i, contact in enumerate(tier.escalation.contacts):
                    yield "channel", contact, tier.escalation.origin, ("contacts", i), False
        for channel in policy.channels:
            if channel.hours:
                yield "schedule", channel.hours, channel.origin, ("hours",), False
            if channel.response:
                yield "schedule", channel.response.clock, channel.response.origin, ("clock",), False
            if channel.template:
                yield "ticket template", channel.template, channel.origin, ("template",), False
            for i, tier_id in enumerate(channel.tiers):
                yield "tier", tier_id, channel.origin, ("tiers", i), False
            for i, severity_id in enumerate(channel.severities):
                yield "severity", severity_id, channel.origin, ("severities", i), False
        if policy.scope:
            redirects = [item.instead for item in policy.scope.will_not if item.instead]
            redirects += [policy.scope.otherwise] if policy.scope.otherwise else []
            for redirect in redirects:
                for i, channel_id in enumerate(redirect.channels):
                    yield "channel", channel_id, redirect.origin, ("channels", i), False
        for problem in policy.known_problems:
            if problem.contact:
                yield "channel", problem.contact, problem.origin, ("contact",), False
        if policy.status and policy.status.maintenance:
            maintenance = policy.status.maintenance
            yield "schedule", maintenance.schedule, maintenance.origin, ("schedule",), False
        if policy.security:
            yield "channel", policy.security.channel, policy.security.origin, ("channel",), False
