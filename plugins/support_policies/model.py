"""Frozen data classes for a policy set, built from schema-valid data.

Field names match the YAML keys (a key that is a Python keyword, ``from`` or ``except``,
is the field ``from_`` / ``except_`` with the key in its metadata). Every object that came from a file carries an
``origin`` so rules can report at the exact line of any of its values.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field, fields, is_dataclass
from functools import cached_property
from typing import Protocol, TypeVar

from .findings import Finding, Level
from .loader import KeyPath, Positions

_DURATION = re.compile(r"([0-9]+)(m|h|d|w)")
_PERIOD = re.compile(r"([0-9]+)(d|w|mo|y)")
ALWAYS = "24x7"
"""The built-in clock on which every hour counts."""

WEEKDAYS = ("mon", "tue", "wed", "thu", "fri", "sat", "sun")


def minutes_of_day(text: str) -> int:
    """``"08:00"`` → 480; ``"24:00"`` → 1440. Raises ValueError for anything else."""
    hours, minutes = (int(part) for part in str(text).split(":"))
    value = hours * 60 + minutes
    if not (0 <= minutes < 60 and 0 <= value <= 1440):
        raise ValueError(f"'{text}' is not a time of day between 00:00 and 24:00")
    return value


@dataclass(frozen=True)
class Origin:
    """Where an object was written: a file, and the path to it inside the file."""

    file: str
    path: KeyPath
    positions: Positions = field(compare=False, repr=False)

    def child(self, *parts: str | int) -> Origin:
        return Origin(self.file, self.path + parts, self.positions)

    def position(self, *parts: str | int, key: bool = False) -> tuple[int, int]:
        path = self.path + parts
        return self.positions.key(path) if key else self.positions.value(path)

    def finding(
        self, rule: str, level: Level, message: str, hint: str = "", *parts: str | int, key: bool = False
    ) -> Finding:
        return Finding(self.file, *self.position(*parts, key=key), rule, level, message, hint)


NOWHERE = Origin("", (), Positions())


@dataclass(frozen=True)
class Duration:
    """An amount of time with its unit as written: ``30m``, ``4h``, ``1d``, ``2w``."""

    amount: int
    unit: str

    @classmethod
    def parse(cls, text: str) -> Duration:
        match = _DURATION.fullmatch(text)
        if not match:
            raise ValueError(f"not a duration: {text!r}")
        return cls(int(match[1]), match[2])

    @property
    def minutes(self) -> int:
        """Length in minutes when a day is 24 hours (the 24x7 clock)."""
        return self.amount * {"m": 1, "h": 60, "d": 1440, "w": 10080}[self.unit]

    def __str__(self) -> str:
        return f"{self.amount}{self.unit}"


@dataclass(frozen=True)
class Period:
    """How long something is kept: ``15d``, ``3mo``, ``1y``."""

    amount: int
    unit: str

    @classmethod
    def parse(cls, text: str) -> Period:
        match = _PERIOD.fullmatch(text)
        if not match:
            raise ValueError(f"not a period: {text!r}")
        return cls(int(match[1]), match[2])

    @property
    def min_days(self) -> int:
        """The fewest days the period can last (a month is at least 28 days)."""
        return self.amount * {"d": 1, "w": 7, "mo": 28, "y": 365}[self.unit]

    def __str__(self) -> str:
        return f"{self.amount}{self.unit}"


@dataclass(frozen=True)
class Within:
    """How fast: an upper bound, and optionally the usual fastest response."""

    max: Duration
    min: Duration | None = None

    @classmethod
    def parse(cls, data: str | Mapping[str, str]) -> Within:
        if isinstance(data, str):
            return cls(Duration.parse(data))
        return cls(Duration.parse(data["max"]), Duration.parse(data["min"]) if "min" in data else None)


class _Identified(Protocol):
    @property
    def id(self) -> str: ...


_Item = TypeVar("_Item", bound=_Identified)


# --- the policy elements -------------------------------------------------------------


@dataclass(frozen=True)
class Feedback:
    """Where a reader's answer to "Was this page useful?" goes: exactly one of the three."""

    form: str = ""
    """An address the page posts the answer to (https, or a path on the site itself)."""
    issue: str = ""
    """A new-issue address with {title} and {body} in it, filled in and opened by the reader."""
    email: str = ""
    """An address the reader's email program writes to, subject and body filled in."""
    origin: Origin = field(default=NOWHERE, compare=False, repr=False)


@dataclass(frozen=True)
class Organization:
    """The company behind the policies: its name, languages, home time zone and defaults."""

    name: str
    languages: tuple[str, ...] = ()
    """The languages the policy text is written in (none listed: English); see :mod:`support_policies.texts`."""
    product: str = ""
    site_url: str = ""
    timezone: str = "UTC"
    intro: str = ""
    clock_rules: ClockRules | None = None
    """The clock rules of every tier that states none of its own."""
    feedback: Feedback | None = None
    """Where the generated pages' "Was this page useful?" answers go; no widget without it."""
    origin: Origin = field(default=NOWHERE, compare=False, repr=False)


@dataclass(frozen=True)
class Severity:
    """A severity level: its rank (1 is the most severe), name and definition."""

    id: str
    rank: int
    name: str
    definition: str
    examples: tuple[str, ...] = ()
    origin: Origin = field(default=NOWHERE, compare=False, repr=False)


@dataclass(frozen=True)
class OpenHours:
    """Weekly opening hours: the weekdays, and the wall-clock time they open and close."""

    days: tuple[str, ...]
    opens: str
    closes: str
    origin: Origin = field(default=NOWHERE, compare=False, repr=False)


@dataclass(frozen=True)
class Holiday:
    """A listed date a schedule is closed, with its name."""

    date: str
    name: str
    origin: Origin = field(default=NOWHERE, compare=False, repr=False)


@dataclass(frozen=True)
class Holidays:
    """When a schedule is closed: a country's (and subdivision's) public holidays less the worked ones,
    and listed dates."""

    country: str = ""
    subdivision: str = ""
    dates: tuple[Holiday, ...] = ()
    except_: tuple[str, ...] = field(default=(), metadata={"key": "except"})
    """Country holidays that are worked: holiday names or YYYY-MM-DD dates (YAML key ``except``)."""
    origin: Origin = field(default=NOWHERE, compare=False, repr=False)


@dataclass(frozen=True)
class TimeRange:
    """One open interval of a special day: wall-clock times in the schedule's zone."""

    opens: str
    closes: str
    origin: Origin = field(default=NOWHERE, compare=False, repr=False)


@dataclass(frozen=True)
class SpecialHours:
    """Hours that replace a date's (or, with ``yearly``, a month and day's) hours; () = closed."""

    name: str
    date: str = ""
    yearly: str = ""
    """MM-DD, every year."""
    hours: tuple[TimeRange, ...] = ()
    origin: Origin = field(default=NOWHERE, compare=False, repr=False)


@dataclass(frozen=True)
class SpanEnd:
    """A weekly moment: a weekday and wall-clock time in a zone ("" = the schedule's zone)."""

    day: str
    at: str
    timezone: str = ""
    origin: Origin = field(default=NOWHERE, compare=False, repr=False)


@dataclass(frozen=True)
class Span:
    """Open from each ``from`` until the next ``until`` (YAML keys ``from`` and ``until``)."""

    from_: SpanEnd = field(metadata={"key": "from"})
    until: SpanEnd = field()
    origin: Origin = field(default=NOWHERE, compare=False, repr=False)


@dataclass(frozen=True)
class RegionSchedule:
    """For customers in ``region``, the schedule ``schedule`` applies."""

    region: str
    schedule: str
    origin: Origin = field(default=NOWHERE, compare=False, repr=False)


@dataclass(frozen=True)
class MaintenanceWindow:
    """A recurring planned maintenance window: its weekdays, wall-clock times and whether the service may
    be down."""

    id: str
    days: tuple[str, ...]
    starts: str
    ends: str
    name: str = ""
    downtime: bool = True
    note: str = ""
    origin: Origin = field(default=NOWHERE, compare=False, repr=False)


@dataclass(frozen=True)
class Schedule:
    """When support is open: weekly hours, spans, a union of other schedules or one per region, in a time
    zone, with holidays and special hours."""

    id: str
    name: str
    timezone: str
    always_open: bool = False
    hours: tuple[OpenHours, ...] = ()
    holidays: Holidays = Holidays()
    maintenance: tuple[MaintenanceWindow, ...] = ()
    spans: tuple[Span, ...] = ()
    combines: tuple[str, ...] = ()
    by_region: tuple[RegionSchedule, ...] = ()
    special_hours: tuple[SpecialHours, ...] = ()
    origin: Origin = field(default=NOWHERE, compare=False, repr=False)


@dataclass(frozen=True)
class Upcoming:
    """An announced change of a promise: from ``effective`` (YYYY-MM-DD) this promise applies instead."""

    effective: str
    within: Within
    clock: str
    best_effort: bool = False
    origin: Origin = field(default=NOWHERE, compare=False, repr=False)


@dataclass(frozen=True)
class Condition:
    """What the customer must do for a promise to hold, and what applies when they do not.

    ``otherwise`` is the promise that applies instead, or ``handled_as`` names the severity
    whose promise of the same kind applies (YAML ``otherwise: {handled_as: high}``).
    """

    requires: str
    otherwise: Promise | None = None
    handled_as: str = ""
    origin: Origin = field(default=NOWHERE, compare=False, repr=False)


@dataclass(frozen=True)
class Promise:
    """How fast something happens (acknowledge, update, restore, resolve), on which clock, and on what
    condition."""

    within: Within
    clock: str
    note: str = ""
    best_effort: bool = False
    """An aim, not a guarantee ("we aim to respond within 3 business days")."""
    condition: Condition | None = None
    becomes: Upcoming | None = None
    """The promise announced to apply from a later day (see :mod:`.effective`)."""
    origin: Origin = field(default=NOWHERE, compare=False, repr=False)


PROMISE_KINDS = ("acknowledge", "update", "restore", "resolve")
"""Kinds of promise, in the order they happen: first response, updates, workaround, resolution."""


@dataclass(frozen=True)
class ClockRules:
    """When a plan's clock starts, what pauses it, what counts as a response, who re-classifies."""

    starts: str = "created"
    pauses: tuple[str, ...] = ()
    response: str = ""
    reclassify: str = ""
    origin: Origin = field(default=NOWHERE, compare=False, repr=False)


@dataclass(frozen=True)
class Target:
    """A tier's promises for one severity, or that the tier does not cover it."""

    severity: str
    covered: bool = True
    hours: str = ""
    """The staffing of this severity on this tier (a clock), when it differs from the tier's hours."""
    acknowledge: Promise | None = None
    update: Promise | None = None
    restore: Promise | None = None
    resolve: Promise | None = None
    escalation: bool | None = None
    note: str = ""
    origin: Origin = field(default=NOWHERE, compare=False, repr=False)

    def promises(self) -> list[tuple[str, Promise]]:
        """The promises given, as (kind, promise), in a fixed order."""
        return [(kind, getattr(self, kind)) for kind in PROMISE_KINDS if getattr(self, kind)]


@dataclass(frozen=True)
class Escalation:
    """When a customer may escalate and whom to contact, in steps or as alternatives."""

    when: str
    contacts: tuple[str, ...] = ()
    mode: str = "steps"
    """``steps``: contacts in order, the next only when the one before did not help; ``alternatives``: any of them."""
    origin: Origin = field(default=NOWHERE, compare=False, repr=False)


@dataclass(frozen=True)
class Tier:
    """A support plan: its level (a higher level never promises less), how it is obtained, its hours and
    its targets per severity."""

    id: str
    name: str
    level: int
    obtained: str
    hours: str
    targets: dict[str, Target]
    summary: str = ""
    description: str = ""
    escalation: Escalation | None = None
    clock_rules: ClockRules | None = None
    origin: Origin = field(default=NOWHERE, compare=False, repr=False)

    def staffing(self, severity: str) -> str:
        """The clock this tier is staffed on for ``severity``: the target's hours, else the tier's."""
        target = self.targets.get(severity)
        return target.hours if target is not None and target.hours else self.hours


@dataclass(frozen=True)
class Subject:
    """The suggested subject of a ticket sent by email: a prefix and a line to fill in."""

    prefix: str = ""
    text: str = ""
    origin: Origin = field(default=NOWHERE, compare=False, repr=False)


@dataclass(frozen=True)
class Channel:
    """A way to contact support: its kind, address or how to reach it, hours, response and whom it serves."""

    id: str
    kind: str
    name: str
    purpose: str = ""
    address: str = ""
    available: bool = True
    hours: str = ""
    response: Promise | None = None
    typically: str = ""
    template: str = ""
    subject: Subject | None = None
    tiers: tuple[str, ...] = ()
    severities: tuple[str, ...] = ()
    tip: str = ""
    reach: str = ""
    """How to reach a channel that has no address of its own (a portal inside the product, a person)."""
    response_applies: str = ""
    """Which promise holds where a plan also sets a first response: ``outside-plan-targets`` or ``every-ticket``."""
    origin: Origin = field(default=NOWHERE, compare=False, repr=False)


RESPONSE_APPLIES = ("outside-plan-targets", "every-ticket")


@dataclass(frozen=True)
class TicketField:
    """One thing a ticket must or may contain: its label, kind, help and when it is required or relevant."""

    id: str
    label: str
    kind: str
    help: str = ""
    placeholder: str = ""
    required: bool = False
    required_when: str = ""
    applies_when: str = ""
    sensitive: str = ""
    options: tuple[str, ...] = ()
    origin: Origin = field(default=NOWHERE, compare=False, repr=False)


@dataclass(frozen=True)
class TicketTemplate:
    """What a ticket contains, published as downloadable templates in every ticket format."""

    id: str
    name: str
    fields: tuple[TicketField, ...]
    intro: str = ""
    tip: str = ""
    origin: Origin = field(default=NOWHERE, compare=False, repr=False)


@dataclass(frozen=True)
class Redirect:
    """Who can help instead, and the channels to contact them."""

    text: str
    channels: tuple[str, ...] = ()
    origin: Origin = field(default=NOWHERE, compare=False, repr=False)


@dataclass(frozen=True)
class ScopeItem:
    """One thing support will or will not do, and where to go instead."""

    text: str
    id: str = ""
    instead: Redirect | None = None
    origin: Origin = field(default=NOWHERE, compare=False, repr=False)


@dataclass(frozen=True)
class Scope:
    """What support will do, what it will not, and what happens to requests outside both."""

    will: tuple[ScopeItem, ...]
    will_not: tuple[ScopeItem, ...]
    intro: str = ""
    otherwise: Redirect | None = None
    origin: Origin = field(default=NOWHERE, compare=False, repr=False)


@dataclass(frozen=True)
class Log:
    """A log that is kept: what it records, for how long, and what that means for the customer."""

    id: str
    name: str
    kept: Period
    covers: str = ""
    meaning: str = ""
    origin: Origin = field(default=NOWHERE, compare=False, repr=False)


@dataclass(frozen=True)
class Retention:
    """How long logs are kept, and within what time customers should raise a problem so they still exist."""

    logs: tuple[Log, ...]
    intro: str = ""
    report_within: Period | None = None
    advice: str = ""
    origin: Origin = field(default=NOWHERE, compare=False, repr=False)


@dataclass(frozen=True)
class Provider:
    """A third party whose problems the customer must raise with it, and why."""

    id: str
    name: str
    why: str
    area: str = ""
    who: str = ""
    contact: str = ""
    origin: Origin = field(default=NOWHERE, compare=False, repr=False)


@dataclass(frozen=True)
class CodeSample:
    """A code sample, with the language it is highlighted as."""

    code: str
    language: str = ""
    origin: Origin = field(default=NOWHERE, compare=False, repr=False)


@dataclass(frozen=True)
class KnownProblem:
    """A known problem: its symptom, causes and fixes in order, and whom to contact."""

    id: str
    title: str
    symptom: str
    fixes: tuple[str, ...]
    http_status: int | None = None
    causes: tuple[str, ...] = ()
    example: CodeSample | None = None
    contact: str = ""
    origin: Origin = field(default=NOWHERE, compare=False, repr=False)


@dataclass(frozen=True)
class Uptime:
    """The uptime target over a period, and whether planned maintenance counts against it."""

    target: float
    period: str
    excludes_maintenance: bool = False
    origin: Origin = field(default=NOWHERE, compare=False, repr=False)


@dataclass(frozen=True)
class StatusPage:
    """Where the service's status is published, and whether it is available yet."""

    available: bool
    url: str = ""
    note: str = ""
    origin: Origin = field(default=NOWHERE, compare=False, repr=False)


@dataclass(frozen=True)
class PlannedMaintenance:
    """The schedule of planned maintenance, and how early customers are told."""

    schedule: str
    notice: Duration | None = None
    note: str = ""
    origin: Origin = field(default=NOWHERE, compare=False, repr=False)


@dataclass(frozen=True)
class Status:
    """Service status: the uptime target, the status page, planned maintenance and monitoring."""

    uptime: Uptime | None = None
    page: StatusPage | None = None
    maintenance: PlannedMaintenance | None = None
    monitoring: str = ""
    origin: Origin = field(default=NOWHERE, compare=False, repr=False)


@dataclass(frozen=True)
class Security:
    """How to report a vulnerability: the channel, what to avoid and what is offered in return."""

    channel: str
    text: str
    do_not: tuple[str, ...] = ()
    recognition: str = ""
    origin: Origin = field(default=NOWHERE, compare=False, repr=False)


@dataclass(frozen=True)
class Step:
    """One step of a journey, with an optional callout."""

    title: str
    text: str = ""
    note: str = ""
    origin: Origin = field(default=NOWHERE, compare=False, repr=False)


@dataclass(frozen=True)
class Guide:
    """A guide a journey points to, and where it lives."""

    name: str
    url: str
    note: str = ""
    origin: Origin = field(default=NOWHERE, compare=False, repr=False)


@dataclass(frozen=True)
class HelpHub:
    """Where all of a journey's help lives, e.g. a help centre."""

    name: str
    url: str
    origin: Origin = field(default=NOWHERE, compare=False, repr=False)


@dataclass(frozen=True)
class Tile:
    """A guide shown as a tile: a name, a link, and an icon or a logo that decorate it."""

    name: str
    url: str
    icon: str = ""
    logo: str = ""
    note: str = ""
    origin: Origin = field(default=NOWHERE, compare=False, repr=False)


@dataclass(frozen=True)
class Faq:
    """A question of a journey and its answer."""

    question: str
    answer: str
    origin: Origin = field(default=NOWHERE, compare=False, repr=False)


@dataclass(frozen=True)
class Journey:
    """A customer's path through a task (onboarding, a migration): its steps, guides, checklist, terms and
    questions."""

    id: str
    title: str
    steps: tuple[Step, ...]
    summary: str = ""
    guides: tuple[Guide, ...] = ()
    checklist: tuple[str, ...] = ()
    terms: tuple[str, ...] = ()
    help_hub: HelpHub | None = None
    tiles: tuple[Tile, ...] = ()
    faq: tuple[Faq, ...] = ()
    origin: Origin = field(default=NOWHERE, compare=False, repr=False)


@dataclass(frozen=True)
class Term:
    """A glossary term, its definition (shown as a tooltip) and the other forms it is written in."""

    term: str
    definition: str
    aliases: tuple[str, ...] = ()
    origin: Origin = field(default=NOWHERE, compare=False, repr=False)


@dataclass(frozen=True)
class ChangelogEntry:
    """An announced change: when it was announced, when it takes effect, and what it covers."""

    id: str
    date: str
    summary: str
    effective: str = ""
    """YYYY-MM-DD; "" = the day it is announced."""
    details: str = ""
    covers: tuple[str, ...] = ()
    """Change ids (``promise.slower``) and dotted paths (``tiers.premium.high``) of what it announces."""
    origin: Origin = field(default=NOWHERE, compare=False, repr=False)

    @property
    def takes_effect(self) -> str:
        return self.effective or self.date


@dataclass(frozen=True)
class PolicySet:
    """Every policy of one company, merged from all its files."""

    organization: Organization | None = None
    severities: tuple[Severity, ...] = ()
    schedules: tuple[Schedule, ...] = ()
    tiers: tuple[Tier, ...] = ()
    channels: tuple[Channel, ...] = ()
    ticket_templates: tuple[TicketTemplate, ...] = ()
    scope: Scope | None = None
    retention: Retention | None = None
    providers: tuple[Provider, ...] = ()
    known_problems: tuple[KnownProblem, ...] = ()
    status: Status | None = None
    security: Security | None = None
    journeys: tuple[Journey, ...] = ()
    glossary: tuple[Term, ...] = ()
    changelog: tuple[ChangelogEntry, ...] = ()
    files: tuple[str, ...] = ()

    # Lookups by id, each section indexed on first use (a policy set is frozen).

    @cached_property
    def _severities(self) -> Mapping[str, Severity]:
        return _by_id(self.severities)

    @cached_property
    def _schedules(self) -> Mapping[str, Schedule]:
        return _by_id(self.schedules)

    @cached_property
    def _tiers(self) -> Mapping[str, Tier]:
        return _by_id(self.tiers)

    @cached_property
    def _channels(self) -> Mapping[str, Channel]:
        return _by_id(self.channels)

    @cached_property
    def _templates(self) -> Mapping[str, TicketTemplate]:
        return _by_id(self.ticket_templates)

    @cached_property
    def clocks_in_use(self) -> frozenset[str]:
        """What tiers and channels name as hours or as a clock, anywhere in them (worked out once:
        every page that lists the support hours asks)."""
        named: set[str] = set()

        def walk(value: object) -> None:
            if isinstance(value, (list, tuple)):
                for item in value:
                    walk(item)
            elif isinstance(value, dict):
                for item in value.values():
                    walk(item)
            elif is_dataclass(value) and not isinstance(value, type):
                for f in fields(value):
                    item = getattr(value, f.name)
                    if f.name in ("clock", "hours") and isinstance(item, str):
                        named.add(item)
                    elif f.name != "origin":
                        walk(item)

        walk(self.tiers)
        walk(self.channels)
        return frozenset(named)

    def severity(self, id_: str) -> Severity | None:
        return self._severities.get(id_)

    def schedule(self, id_: str) -> Schedule | None:
        return self._schedules.get(id_)

    def tier(self, id_: str) -> Tier | None:
        return self._tiers.get(id_)

    def channel(self, id_: str) -> Channel | None:
        return self._channels.get(id_)

    def template(self, id_: str) -> TicketTemplate | None:
        return self._templates.get(id_)


def _by_id(items: Iterable[_Item]) -> dict[str, _Item]:
    """``items`` by id; of a duplicated id (which ``ref.duplicate-id`` reports), the first."""
    found: dict[str, _Item] = {}
    for item in items:
        found.setdefault(item.id, item)
    return found


def home_zone(policy: PolicySet) -> str:
    """The organization's time zone, or UTC."""
    return policy.organization.timezone if policy.organization and policy.organization.timezone else "UTC"


def clock_rules(policy: PolicySet, tier: Tier) -> ClockRules | None:
    """The clock rules of ``tier``: its own, else the organization's (as a whole), else None."""
    if tier.clock_rules is not None:
        return tier.clock_rules
    return policy.organization.clock_rules if policy.organization else None


SINGLE_SECTIONS = ("organization", "scope", "retention", "status", "security")
LIST_SECTIONS = (
    "severities",
    "schedules",
    "tiers",
    "channels",
    "ticket_templates",
    "providers",
    "known_problems",
    "journeys",
    "glossary",
    "changelog",
)
