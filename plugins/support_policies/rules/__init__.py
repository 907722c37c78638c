"""The rule set: every consistency check over a merged policy set.

Rules run at their default level unless a settings file changes it::

    # support-policies.yaml
    rules:
      glossary.unused: off
      tiers.hours-not-included: warning
"""

from __future__ import annotations

from ..findings import Finding, Level
from ..model import PolicySet
from .base import Rule
from .changelog import ChangelogValid
from .channels import Addresses, ChannelAgreesWithTiers, NoWayToReach, ResponseAmbiguous
from .coverage import Coverage, RangeWellFormed
from .glossary import GlossaryUndefined, GlossaryUnused
from .journeys import TileIconAndLogo, UnknownIcon
from .ordering import ClockWithinHours, EscalationConsistency, SeverityOrder, TierHours, TierOrder
from .promises import ConditionValid, DurationComputable, PromiseKindKept, PromiseSequence
from .references import References, UniqueIds
from .schedules import HolidayExceptions, KnownZones, ScheduleComposition, ScheduleHours
from .status import MaintenanceBudget, RetentionAdvice, WindowNames
from .suppressions import apply_suppressions

ALL_RULES: tuple[type[Rule], ...] = (
    UniqueIds,
    References,
    KnownZones,
    ScheduleHours,
    ScheduleComposition,
    HolidayExceptions,
    Coverage,
    RangeWellFormed,
    TierOrder,
    TierHours,
    SeverityOrder,
    EscalationConsistency,
    ClockWithinHours,
    ConditionValid,
    PromiseKindKept,
    PromiseSequence,
    DurationComputable,
    Addresses,
    ChannelAgreesWithTiers,
    NoWayToReach,
    ResponseAmbiguous,
    MaintenanceBudget,
    WindowNames,
    RetentionAdvice,
    GlossaryUnused,
    GlossaryUndefined,
    TileIconAndLogo,
    UnknownIcon,
    ChangelogValid,
)
RULES_BY_ID = {rule.id: rule for rule in ALL_RULES}
LEVELS = {"error": Level.ERROR, "warning": Level.WARNING, "info": Level.INFO}
GATING = (UniqueIds, References, KnownZones, ScheduleHours, ScheduleComposition)
"""Rules whose errors make the other rules' answers meaningless; the rest wait for them."""


def configured_rules(levels: dict[str, str] | None = None) -> list[Rule]:
    """Every rule at its configured level ("off" drops it). Ids are checked by the settings schema."""
    levels = levels or {}
    rules = []
    for cls in ALL_RULES:
        setting = levels.get(cls.id)
        if setting == "off":
            continue
        rules.append(cls(LEVELS[setting]) if setting else cls())
    return rules


def run_rules(policy: PolicySet, rules: list[Rule] | None = None, texts: dict[str, str] | None = None) -> list[Finding]:
    """Every finding of ``rules`` (default: all at their default level), minus suppressed ones."""
    rules = rules if rules is not None else configured_rules()
    findings: list[Finding] = []
    for rule in (r for r in rules if isinstance(r, GATING)):
        findings.extend(rule.check(policy))
    if not any(f.level is Level.ERROR for f in findings):
        for other in (r for r in rules if not isinstance(r, GATING)):
            findings.extend(other.check(policy))
    return apply_suppressions(findings, texts or {}, set(RULES_BY_ID))
