"""The kinds of change ``support-policies diff`` reports: a stable id, what it does to a customer, and why.

Like rule ids, change ids are stable forever: change logs name them in ``covers``, and
``support-policies.yaml`` sets their level (``changes: {hours.reduced: warning}``).

Every kind has one *effect*: a **weakening** (a customer gets less), a **strengthening**
(a customer gets more) or **neutral** (nothing a customer was promised changes). Its
default level says what an unannounced change does to a run: ``error`` fails it (every
weakening whose effect can be measured), ``warning`` is reported but does not fail
(weakenings the tool can only suspect, such as a reworded severity definition), ``info``
is reported for the record.
"""

from __future__ import annotations

import enum
from dataclasses import dataclass

from ..findings import Level


class Effect(enum.Enum):
    """What a change does to a customer."""

    WEAKENING = "weakening"
    STRENGTHENING = "strengthening"
    NEUTRAL = "neutral"

    def __str__(self) -> str:
        return self.value


W, S, N = Effect.WEAKENING, Effect.STRENGTHENING, Effect.NEUTRAL


@dataclass(frozen=True)
class ChangeKind:
    id: str
    effect: Effect
    summary: str
    level: Level

    @property
    def family(self) -> str:
        return self.id.split(".", 1)[0]


def _kind(id_: str, effect: Effect, summary: str, level: Level | None = None) -> ChangeKind:
    default = Level.ERROR if effect is W else Level.INFO
    return ChangeKind(id_, effect, summary, level or default)


KINDS: tuple[ChangeKind, ...] = (
    # promises of a plan, per severity and kind
    _kind("promise.slower", W, "a promise's worst-case wait is longer"),
    _kind("promise.faster", S, "a promise's worst-case wait is shorter"),
    _kind("promise.removed", W, "a plan no longer makes a kind of promise for a severity"),
    _kind("promise.added", S, "a plan makes a new kind of promise for a severity"),
    _kind("promise.best-effort", W, "a guarantee became best effort"),
    _kind("promise.guaranteed", S, "a best-effort aim became a guarantee"),
    _kind("promise.condition-added", W, "a promise now holds only on a condition"),
    _kind("promise.condition-removed", S, "a promise no longer depends on a condition"),
    _kind("promise.condition-changed", W, "what a promise's condition requires changed", Level.WARNING),
    _kind("promise.otherwise-slower", W, "what applies when a condition is not met is slower"),
    _kind("promise.otherwise-faster", S, "what applies when a condition is not met is faster"),
    _kind("promise.clock-changed", W, "a promise runs on a clock that is open less, with the same worst case"),
    _kind("promise.clock-widened", S, "a promise runs on a clock that is open more, with the same worst case"),
    _kind("promise.typical-slower", W, "the typical response stated beside a promise is slower", Level.WARNING),
    _kind("promise.typical-faster", S, "the typical response stated beside a promise is faster"),
    _kind("severity.uncovered", W, "a plan no longer covers a severity"),
    _kind("severity.covered", S, "a plan now covers a severity"),
    _kind("escalation.removed", W, "a severity of a plan can no longer be escalated"),
    _kind("escalation.added", S, "a severity of a plan can now be escalated"),
    _kind("escalation.contact-removed", W, "a plan's escalation lost a contact"),
    _kind("hours.reduced", W, "support is staffed, or a schedule open, for fewer hours"),
    _kind("hours.extended", S, "support is staffed, or a schedule open, for more hours"),
    # schedules
    _kind("holiday.added", W, "a schedule closes on more holidays"),
    _kind("holiday.removed", S, "a schedule closes on fewer holidays"),
    _kind("schedule.zone-changed", W, "a schedule's hours are kept in another time zone"),
    _kind("schedule.renamed", N, "a schedule has a new id or name, and the same hours"),
    _kind("schedule.added", N, "a new schedule"),
    _kind("schedule.removed", N, "a schedule no longer exists (what used it is compared on its own)"),
    _kind("maintenance.added", W, "a maintenance window with downtime was added or lengthened"),
    _kind("maintenance.removed", S, "a maintenance window with downtime was removed or shortened"),
    _kind("maintenance.notice-shortened", W, "planned maintenance is announced later"),
    _kind("maintenance.notice-lengthened", S, "planned maintenance is announced earlier"),
    # plans
    _kind("tier.removed", W, "a support plan no longer exists"),
    _kind("tier.added", S, "a new support plan"),
    _kind("tier.renamed", N, "a plan has a new id or name, and the same content"),
    _kind("tier.obtained-changed", W, "how a plan is obtained changed (e.g. included → paid)"),
    _kind("tier.obtained-eased", S, "a plan is easier to obtain (e.g. paid → included)"),
    # severities
    _kind("severity.removed", W, "a severity level no longer exists"),
    _kind("severity.added", N, "a new severity level"),
    _kind("severity.renamed", N, "a severity has a new id or name, and the same content"),
    _kind("severity.redefined", W, "a severity's definition changed: check the same incidents qualify", Level.WARNING),
    _kind("severity.reordered", W, "severities were ranked in another order", Level.WARNING),
    # channels
    _kind("channel.removed", W, "a contact channel no longer exists or is no longer available"),
    _kind("channel.added", S, "a new contact channel, or one available again"),
    _kind("channel.renamed", N, "a channel has a new id or name, and the same content"),
    _kind("channel.slower", W, "a channel's response is slower"),
    _kind("channel.faster", S, "a channel's response is faster"),
    _kind("channel.response-removed", W, "a channel no longer promises a response time"),
    _kind("channel.response-added", S, "a channel now promises a response time"),
    _kind("channel.hours-reduced", W, "a channel is open for fewer hours"),
    _kind("channel.hours-extended", S, "a channel is open for more hours"),
    _kind("channel.narrowed", W, "a channel serves fewer plans or severities"),
    _kind("channel.widened", S, "a channel serves more plans or severities"),
    _kind("channel.address-changed", N, "a channel's address changed", Level.WARNING),
    # tickets
    _kind("ticket.field-required", W, "a ticket field is newly required (or required in more cases)"),
    _kind("ticket.field-optional", S, "a ticket field is no longer required"),
    _kind("ticket.field-added", N, "a new optional ticket field"),
    _kind("ticket.field-removed", N, "a ticket field was removed"),
    _kind("ticket.template-renamed", N, "a ticket template has a new id or name, and the same fields"),
    # scope
    _kind("scope.will-removed", W, "support no longer does something it said it will do"),
    _kind("scope.will-added", S, "support does something new"),
    _kind("scope.will-not-added", W, "support lists something new it will not do"),
    _kind("scope.will-not-removed", S, "support no longer refuses something"),
    # retention
    _kind("retention.shortened", W, "logs are kept for less time"),
    _kind("retention.lengthened", S, "logs are kept for longer"),
    _kind("retention.log-removed", W, "a kind of log is no longer kept"),
    _kind("retention.log-added", S, "a new kind of log is kept"),
    _kind("retention.log-renamed", N, "a log has a new id or name, and the same retention"),
    _kind("retention.report-sooner", W, "customers must report problems sooner"),
    _kind("retention.report-later", S, "customers may report problems later"),
    # status
    _kind("uptime.lowered", W, "the uptime target is lower"),
    _kind("uptime.raised", S, "the uptime target is higher"),
    _kind("uptime.removed", W, "no uptime target any more"),
    _kind("uptime.added", S, "a new uptime target"),
    _kind("uptime.excludes-maintenance", W, "maintenance no longer counts against the uptime target"),
    _kind("uptime.includes-maintenance", S, "maintenance now counts against the uptime target"),
)

BY_ID = {kind.id: kind for kind in KINDS}
CHANGE_IDS = tuple(BY_ID)
FAMILIES = frozenset(kind.family for kind in KINDS)
PATH_ROOTS = ("tiers", "severities", "schedules", "channels", "ticket_templates", "scope", "retention", "status")
"""The first segment of every change's path (``tiers.premium.high.acknowledge``)."""
