"""``support-policies diff``: one scenario per kind of change and direction, on the sample policies.

Each scenario copies ``policies/`` twice, mutates the copies (``before`` the old one, when the
change needs a starting point the sample does not have, and ``after`` the new one), runs
``support-policies diff OLD NEW --format json`` and checks the change's id, effect and the
sentence a customer reads, and the exit code: 1 exactly when a weakening is not announced.
"""

from __future__ import annotations

import copy
import json
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
import yaml

from support_policies.changes.kinds import BY_ID, KINDS
from support_policies.cli import main
from support_policies.loader import load_text

REPO = Path(__file__).resolve().parent.parent
TODAY_EPOCH = "1796083200"  # 2026-12-01T00:00:00Z

Files = dict[str, Any]
Mutation = Callable[[Files], None]


def sample(changelog: bool = False) -> Files:
    """The sample policies as data; without their change log unless asked (a scenario is one change)."""
    files: Files = {}
    for path in sorted((REPO / "policies").glob("*.yaml")):
        if path.name == "changelog.yaml" and not changelog:
            continue
        document, findings = load_text(path.read_text("utf-8"), path.name)
        assert document is not None and not findings
        files[path.name] = document.data
    return copy.deepcopy(files)


def write(files: Files, folder: Path) -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    for name, data in files.items():
        (folder / name).write_text(yaml.safe_dump(data, sort_keys=False, allow_unicode=True), "utf-8")
    return folder


def diff(tmp_path: Path, capsys: pytest.CaptureFixture[str], *args: str) -> tuple[int, str, str]:
    capsys.readouterr()
    code = main(["diff", *args])
    out, err = capsys.readouterr()
    return code, out, err


@pytest.fixture(autouse=True)
def _fixed_day(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    monkeypatch.setenv("SOURCE_DATE_EPOCH", TODAY_EPOCH)
    monkeypatch.delenv("GITHUB_STEP_SUMMARY", raising=False)
    monkeypatch.chdir(tmp_path)


# --- finding things in the sample ------------------------------------------------------------------


def _by_id(items: list[dict[str, Any]], id_: str) -> dict[str, Any]:
    return next(item for item in items if item.get("id") == id_)


def tier(files: Files, id_: str) -> dict[str, Any]:
    return _by_id(files["tiers.yaml"]["tiers"], id_)


def target(files: Files, tier_id: str, severity: str) -> dict[str, Any]:
    result: dict[str, Any] = tier(files, tier_id)["targets"][severity]
    return result


def schedule(files: Files, id_: str) -> dict[str, Any]:
    return _by_id(files["schedules.yaml"]["schedules"], id_)


def channel(files: Files, id_: str) -> dict[str, Any]:
    return _by_id(files["channels.yaml"]["channels"], id_)


def ticket_field(files: Files, template: str, id_: str) -> dict[str, Any]:
    return _by_id(_by_id(files["tickets.yaml"]["ticket_templates"], template)["fields"], id_)


def status(files: Files) -> dict[str, Any]:
    result: dict[str, Any] = files["status.yaml"]["status"]
    return result


def retention(files: Files) -> dict[str, Any]:
    result: dict[str, Any] = files["retention.yaml"]["retention"]
    return result


def rename(files: Files, old: str, new: str, *, keys: bool = True) -> None:
    """Every value and (with ``keys``) mapping key ``old`` becomes ``new``, in every file (an id
    and its references; a channel id is never a key, and "feedback" is also the organization's key)."""

    def walk(node: Any) -> Any:
        if isinstance(node, dict):
            return {(new if keys and key == old else key): walk(value) for key, value in node.items()}
        if isinstance(node, list):
            return [walk(item) for item in node]
        return new if node == old else node

    for name in list(files):
        files[name] = walk(files[name])


def _set(getter: Callable[[Files], dict[str, Any]], **values: Any) -> Mutation:
    def mutate(files: Files) -> None:
        getter(files).update(values)

    return mutate


def _drop(getter: Callable[[Files], dict[str, Any]], *keys: str) -> Mutation:
    def mutate(files: Files) -> None:
        for key in keys:
            getter(files).pop(key, None)

    return mutate


def _all(*mutations: Mutation) -> Mutation:
    def mutate(files: Files) -> None:
        for mutation in mutations:
            mutation(files)

    return mutate


def premium(severity: str) -> Callable[[Files], dict[str, Any]]:
    return lambda files: target(files, "premium", severity)


def premium_ack(severity: str) -> Callable[[Files], dict[str, Any]]:
    return lambda files: target(files, "premium", severity)["acknowledge"]


def _remove_tier(files: Files) -> None:
    files["tiers.yaml"]["tiers"] = [t for t in files["tiers.yaml"]["tiers"] if t["id"] != "advanced"]
    for item in files["channels.yaml"]["channels"]:
        if "tiers" in item:
            item["tiers"] = [t for t in item["tiers"] if t != "advanced"]


def _add_tier(files: Files) -> None:
    enterprise = copy.deepcopy(tier(files, "premium"))
    enterprise.update(id="enterprise", name="Enterprise", level=4)
    files["tiers.yaml"]["tiers"].append(enterprise)


def _remove_severity(files: Files) -> None:
    files["severities.yaml"]["severities"] = [
        s for s in files["severities.yaml"]["severities"] if s["id"] != "cosmetic"
    ]
    for item in files["tiers.yaml"]["tiers"]:
        item["targets"].pop("cosmetic")


def _add_severity(files: Files) -> None:
    files["severities.yaml"]["severities"].append(
        {"id": "question", "rank": 6, "name": "Question", "definition": "A question about how something works."}
    )
    for item in files["tiers.yaml"]["tiers"]:
        item["targets"]["question"] = {"covered": False}


def _swap_low_and_cosmetic(files: Files) -> None:
    severities = {s["id"]: s for s in files["severities.yaml"]["severities"]}
    severities["low"]["rank"], severities["cosmetic"]["rank"] = 5, 4
    targets = tier(files, "premium")["targets"]
    targets["low"], targets["cosmetic"] = targets["cosmetic"], targets["low"]


def _append(getter: Callable[[Files], list[Any]], item: Any) -> Mutation:
    def mutate(files: Files) -> None:
        getter(files).append(item)

    return mutate


def _remove(getter: Callable[[Files], list[Any]], id_: str) -> Mutation:
    def mutate(files: Files) -> None:
        items = getter(files)
        items[:] = [item for item in items if not (isinstance(item, dict) and item.get("id") == id_)]

    return mutate


def holidays(files: Files) -> dict[str, Any]:
    result: dict[str, Any] = schedule(files, "standard-hours")["holidays"]
    return result


def _channels(files: Files) -> list[Any]:
    result: list[Any] = files["channels.yaml"]["channels"]
    return result


def _fields(files: Files) -> list[Any]:
    result: list[Any] = _by_id(files["tickets.yaml"]["ticket_templates"], "technical-ticket")["fields"]
    return result


CONDITION = {"requires": "You name a contact who can be reached around the clock.", "otherwise": {"handled_as": "high"}}
SLOWER_OTHERWISE = {"requires": CONDITION["requires"], "otherwise": {"within": "3h", "clock": "24x7"}}


def _condition(value: dict[str, Any]) -> Mutation:
    return lambda files: premium_ack("critical")(files).update(condition=copy.deepcopy(value))


def _otherwise(within: str) -> Mutation:
    def mutate(files: Files) -> None:
        premium_ack("critical")(files)["condition"] = {
            "requires": CONDITION["requires"],
            "otherwise": {"within": within, "clock": "24x7"},
        }

    return mutate


def _hours(opens: str, closes: str) -> Mutation:
    return lambda files: schedule(files, "standard-hours")["hours"][0].update(opens=opens, closes=closes)


def _window(**values: Any) -> Mutation:
    return lambda files: schedule(files, "platform-operations")["maintenance"][0].update(values)


# name, before (the old side, when not the sample), after (the new side), change id, message, exit code
SCENARIOS: list[tuple[str, Mutation | None, Mutation, str, str, int]] = [
    # promises
    (
        "slower on the same clock",
        None,
        _set(premium_ack("high"), within={"min": "5m", "max": "8h"}),
        "promise.slower",
        "Premium, High, first response: at most 4 hours → at most 8 hours (minutes, at most 4 hours, around the "
        "clock → minutes, at most 8 hours, around the clock)",
        1,
    ),
    (
        "slower on business hours",
        None,
        _all(_set(premium_ack("high"), within="4h", clock="standard-hours"), _drop(premium("high"), "hours")),
        "promise.slower",
        "Premium, High, first response: at most 4 hours → at most 115 hours (minutes, at most 4 hours, around the "
        "clock → within 4 business hours (Standard hours))",
        1,
    ),
    (
        "faster",
        None,
        _set(premium_ack("high"), within={"min": "5m", "max": "2h"}),
        "promise.faster",
        "Premium, High, first response: at most 4 hours → at most 2 hours (minutes, at most 4 hours, around the "
        "clock → minutes, at most 2 hours, around the clock)",
        0,
    ),
    (
        "a kind of promise removed",
        _set(premium("critical"), update={"within": "4h", "clock": "24x7"}),
        _drop(premium("critical"), "update"),
        "promise.removed",
        "Premium, Critical, updates: no longer promised (was at least every 4 hours, around the clock)",
        1,
    ),
    (
        "a kind of promise added",
        None,
        _set(premium("critical"), update={"within": "4h", "clock": "24x7"}),
        "promise.added",
        "Premium, Critical, updates: newly promised, at least every 4 hours, around the clock",
        0,
    ),
    (
        "a severity no longer covered",
        None,
        lambda files: tier(files, "premium")["targets"].update(cosmetic={"covered": False}),
        "severity.uncovered",
        "Premium no longer covers Cosmetic incidents",
        1,
    ),
    (
        "a severity newly covered",
        None,
        lambda files: tier(files, "advanced")["targets"].update(
            medium={"acknowledge": {"within": "12h", "clock": "standard-hours"}, "escalation": True}
        ),
        "severity.covered",
        "Advanced now covers Medium incidents",
        0,
    ),
    (
        "a guarantee turned best effort",
        None,
        _set(premium_ack("cosmetic"), best_effort=True),
        "promise.best-effort",
        "Premium, Cosmetic, first response: a guarantee became best effort, an aim (within 48 business hours "
        "(Standard hours); best effort, an aim rather than a guarantee)",
        1,
    ),
    (
        "an aim turned guarantee",
        _set(premium_ack("cosmetic"), best_effort=True),
        _drop(premium_ack("cosmetic"), "best_effort"),
        "promise.guaranteed",
        "Premium, Critical, first response: now a guarantee, no longer only an aim (within 48 business hours "
        "(Standard hours))".replace("Critical", "Cosmetic"),
        0,
    ),
    (
        "a condition added",
        None,
        _condition(CONDITION),
        "promise.condition-added",
        "Premium, Critical, first response: now only if You name a contact who can be reached around the clock.",
        1,
    ),
    (
        "a condition removed",
        _condition(CONDITION),
        _drop(premium_ack("critical"), "condition"),
        "promise.condition-removed",
        "Premium, Critical, first response: no longer depends on a condition (was: only if You name a contact who "
        "can be reached around the clock.)",
        0,
    ),
    (
        "a condition reworded",
        _condition(CONDITION),
        _condition({**CONDITION, "requires": "You name a contact reachable at any hour."}),
        "promise.condition-changed",
        "Premium, Critical, first response: the condition changed: only if You name a contact who can be reached "
        "around the clock. → only if You name a contact reachable at any hour.",
        0,
    ),
    (
        "the otherwise branch slower",
        _otherwise("3h"),
        _otherwise("4h"),
        "promise.otherwise-slower",
        "Premium, Critical, first response, when the condition is not met: at most 3 hours → at most 4 hours "
        "(within 3 hours, around the clock → within 4 hours, around the clock)",
        1,
    ),
    (
        "the otherwise branch faster",
        _otherwise("4h"),
        _otherwise("3h"),
        "promise.otherwise-faster",
        "Premium, Critical, first response, when the condition is not met: at most 4 hours → at most 3 hours "
        "(within 4 hours, around the clock → within 3 hours, around the clock)",
        0,
    ),
    (
        "the typical response slower",
        None,
        _set(premium_ack("critical"), within={"min": "30m", "max": "2h"}),
        "promise.typical-slower",
        "Premium, Critical, first response: typically 5 minutes → typically 30 minutes",
        0,
    ),
    (
        "the typical response faster",
        None,
        _set(premium_ack("critical"), within={"min": "1m", "max": "2h"}),
        "promise.typical-faster",
        "Premium, Critical, first response: typically 5 minutes → typically 1 minute",
        0,
    ),
    (
        "escalation taken away",
        None,
        _set(premium("medium"), escalation=False),
        "escalation.removed",
        "Premium, Medium: can no longer be escalated",
        1,
    ),
    (
        "escalation granted",
        None,
        _set(premium("low"), escalation=True),
        "escalation.added",
        "Premium, Low: can now be escalated",
        0,
    ),
    (
        "an escalation contact removed",
        None,
        lambda files: tier(files, "premium")["escalation"].update(contacts=["escalations"]),
        "escalation.contact-removed",
        "Premium: you can no longer escalate to Your account executive",
        1,
    ),
    (
        "staffing reduced",
        _set(premium("medium"), hours="around-the-clock"),
        _drop(premium("medium"), "hours"),
        "hours.reduced",
        "Premium, Medium: staffed around the clock → Standard hours",
        1,
    ),
    (
        "staffing extended",
        None,
        _set(premium("medium"), hours="around-the-clock"),
        "hours.extended",
        "Premium, Medium: staffed Standard hours → around the clock",
        0,
    ),
    # schedules
    (
        "a holiday added",
        None,
        lambda files: holidays(files)["dates"].append({"date": "2027-01-04", "name": "Company day"}),
        "holiday.added",
        "Standard hours: closed on 2027-01-04 (Company day)",
        1,
    ),
    (
        "a holiday removed",
        None,
        lambda files: holidays(files)["dates"].pop(),
        "holiday.removed",
        "Standard hours: open again on 2026-12-31 (New Year's Eve)",
        0,
    ),
    (
        "country holidays added",
        _drop(holidays, "country"),
        _set(holidays, country="US"),
        "holiday.added",
        "Standard hours: closed on US public holidays",
        1,
    ),
    (
        "country holidays removed",
        None,
        _drop(holidays, "country"),
        "holiday.removed",
        "Standard hours: open again on US public holidays",
        0,
    ),
    (
        "a country holiday worked no more",
        _set(holidays, **{"except": ["Columbus Day"]}),
        _drop(holidays, "except"),
        "holiday.added",
        "Standard hours: closed on Columbus Day again (no longer worked)",
        1,
    ),
    (
        "a country holiday worked",
        None,
        _set(holidays, **{"except": ["Columbus Day"]}),
        "holiday.removed",
        "Standard hours: open on Columbus Day (now a worked holiday)",
        0,
    ),
    (
        "a zone changed",
        None,
        lambda files: schedule(files, "standard-hours").update(timezone="America/New_York"),
        "schedule.zone-changed",
        "Standard hours: the hours are now kept in America/New_York time instead of America/Chicago",
        1,
    ),
    (
        "hours reduced",
        None,
        _hours("08:00", "16:00"),
        "hours.reduced",
        "Standard hours: open for fewer hours: Monday to Friday, 08:00–17:00 (Chicago) → "
        "Monday to Friday, 08:00–16:00 (Chicago)",
        1,
    ),
    (
        "hours extended",
        None,
        _hours("07:00", "17:00"),
        "hours.extended",
        "Standard hours: open for more hours: Monday to Friday, 08:00–17:00 (Chicago) → "
        "Monday to Friday, 07:00–17:00 (Chicago)",
        0,
    ),
    (
        "a maintenance window added",
        None,
        lambda files: schedule(files, "platform-operations")["maintenance"].append(
            {"id": "weekend", "name": "Weekend upgrades", "days": ["sat"], "starts": "01:00", "ends": "03:00"}
        ),
        "maintenance.added",
        "New maintenance window with downtime, Weekend upgrades: Saturday, 01:00–03:00 (New York)",
        1,
    ),
    (
        "a maintenance window lengthened",
        None,
        _window(ends="05:00"),
        "maintenance.added",
        "Maintenance window Nightly maintenance: longer downtime, Tuesday and Thursday, 02:00–04:00 "
        "(New York) → Tuesday and Thursday, 02:00–05:00 (New York)",
        1,
    ),
    (
        "a maintenance window without downtime",
        None,
        _window(downtime=False),
        "maintenance.removed",
        "Maintenance window Nightly maintenance no longer has downtime (was: Tuesday and Thursday, 02:00–04:00 "
        "(New York))",
        0,
    ),
    (
        "maintenance announced later",
        None,
        lambda files: status(files)["maintenance"].update(notice="24h"),
        "maintenance.notice-shortened",
        "Planned maintenance is announced 72 hours ahead → 24 hours",
        1,
    ),
    (
        "maintenance announced earlier",
        None,
        lambda files: status(files)["maintenance"].update(notice="96h"),
        "maintenance.notice-lengthened",
        "Planned maintenance is announced 72 hours ahead → 96 hours",
        0,
    ),
    # plans
    ("a plan removed", None, _remove_tier, "tier.removed", "Plan Advanced no longer exists", 1),
    ("a plan added", None, _add_tier, "tier.added", "New plan: Enterprise", 0),
    (
        "a plan renamed",
        None,
        lambda files: tier(files, "advanced").update(name="Advanced Plus"),
        "tier.renamed",
        "Plan Advanced is now called Advanced Plus",
        0,
    ),
    (
        "a plan's id renamed",
        None,
        lambda files: rename(files, "advanced", "advanced-plus"),
        "tier.renamed",
        "Plan Advanced (advanced) is now Advanced (advanced-plus), with the same promises",
        0,
    ),
    (
        "a plan no longer included",
        None,
        lambda files: tier(files, "break-fix").update(obtained="paid"),
        "tier.obtained-changed",
        "Break-Fix: obtained included with the product → as a paid plan",
        1,
    ),
    (
        "a plan now included",
        None,
        lambda files: tier(files, "advanced").update(obtained="included"),
        "tier.obtained-eased",
        "Advanced: obtained as a paid plan → included with the product",
        0,
    ),
    # severities
    (
        "a severity removed",
        None,
        _remove_severity,
        "severity.removed",
        "Severity Cosmetic no longer exists: no plan answers Cosmetic incidents as such",
        1,
    ),
    ("a severity added", None, _add_severity, "severity.added", "New severity level: Question", 0),
    (
        "a severity's id renamed",
        None,
        lambda files: rename(files, "cosmetic", "minor"),
        "severity.renamed",
        "Severity Cosmetic (cosmetic) is now Cosmetic (minor), with the same definition",
        0,
    ),
    (
        "a severity redefined",
        None,
        lambda files: files["severities.yaml"]["severities"][0].update(definition="Tallyweave is down for everyone."),
        "severity.redefined",
        "Severity Critical: the definition changed; check that the same incidents still qualify",
        0,
    ),
    (
        "severities reordered",
        None,
        _swap_low_and_cosmetic,
        "severity.reordered",
        "Severities are ranked in another order: Critical, High, Medium, Low, Cosmetic → Critical, High, Medium, "
        "Cosmetic, Low",
        1,
    ),
    # channels
    (
        "a channel removed",
        None,
        _remove(_channels, "feedback"),
        "channel.removed",
        "Feedback is no longer a way to reach support",
        1,
    ),
    (
        "a channel no longer available",
        None,
        lambda files: channel(files, "sales").update(available=False),
        "channel.removed",
        "Sales team is no longer available",
        1,
    ),
    (
        "a channel added",
        None,
        _append(
            _channels,
            {
                "id": "community",
                "kind": "web-form",
                "name": "Community forum",
                "address": "https://community.tallyweave.example",
                "purpose": "Ask other customers.",
            },
        ),
        "channel.added",
        "New way to reach support: Community forum",
        0,
    ),
    (
        "a channel's id renamed",
        None,
        lambda files: rename(files, "feedback", "customer-feedback", keys=False),
        "channel.renamed",
        "Channel Feedback (feedback) is now Feedback (customer-feedback), with the same address and promises",
        0,
    ),
    (
        "a channel slower",
        None,
        lambda files: channel(files, "technical-support")["response"].update(within="2d"),
        "channel.slower",
        "Technical support, first response: at most 120 hours → at most 144 hours (within 1 business day "
        "(Standard hours) → within 2 business days (Standard hours))",
        1,
    ),
    (
        "a channel faster",
        None,
        lambda files: channel(files, "technical-support")["response"].update(within="4h"),
        "channel.faster",
        "Technical support, first response: at most 120 hours → at most 115 hours (within 1 business day "
        "(Standard hours) → within 4 business hours (Standard hours))",
        0,
    ),
    (
        "a channel looking faster but slower: 12 business hours outlast 1 business day",
        None,
        lambda files: channel(files, "technical-support")["response"].update(within="12h"),
        "channel.slower",
        "Technical support, first response: at most 120 hours → at most 138 hours (within 1 business day "
        "(Standard hours) → within 12 business hours (Standard hours))",
        1,
    ),
    (
        "a channel's response target removed",
        None,
        _drop(lambda files: channel(files, "technical-support"), "response", "response_applies"),
        "channel.response-removed",
        "Technical support: no longer promises a first response (was within 1 business day (Standard hours))",
        1,
    ),
    (
        "a channel's response target added",
        None,
        _set(
            lambda files: channel(files, "account-management"),
            response={"within": "2d", "clock": "standard-hours"},
            response_applies="outside-plan-targets",
        ),
        "channel.response-added",
        "Account management: now promises a first response within 2 business days (Standard hours)",
        0,
    ),
    (
        "a channel open for fewer hours",
        _set(lambda files: channel(files, "account-management"), hours="around-the-clock"),
        _set(lambda files: channel(files, "account-management"), hours="standard-hours"),
        "channel.hours-reduced",
        "Account management: open around the clock → Standard hours",
        1,
    ),
    (
        "a channel open for more hours",
        None,
        _set(lambda files: channel(files, "account-management"), hours="around-the-clock"),
        "channel.hours-extended",
        "Account management: open Standard hours → around the clock",
        0,
    ),
    (
        "a channel for fewer plans",
        None,
        _set(lambda files: channel(files, "technical-support"), tiers=["advanced"]),
        "channel.narrowed",
        "Technical support: no longer for Break-Fix",
        1,
    ),
    (
        "a channel for more severities",
        None,
        _set(lambda files: channel(files, "emergency"), severities=["critical", "high"]),
        "channel.widened",
        "Production emergencies: now also for High",
        0,
    ),
    (
        "a channel's address changed",
        None,
        _set(lambda files: channel(files, "technical-support"), address="help@tallyweave.example"),
        "channel.address-changed",
        "Technical support: write to help@tallyweave.example instead of support@tallyweave.example",
        0,
    ),
    # tickets
    (
        "a field newly required",
        None,
        _set(lambda files: ticket_field(files, "technical-ticket", "url"), required=True),
        "ticket.field-required",
        "Technical ticket, API call or Portal page: optional → required",
        1,
    ),
    (
        "a field required in some cases",
        None,
        _set(lambda files: ticket_field(files, "technical-ticket", "request-id"), required_when="the call failed"),
        "ticket.field-required",
        "Technical ticket, Request id: optional → required when the call failed",
        1,
    ),
    (
        "a new required field",
        None,
        _append(_fields, {"id": "plan", "label": "Your plan", "kind": "text", "required": True}),
        "ticket.field-required",
        "Technical ticket, Your plan: a new field, required",
        1,
    ),
    (
        "a field no longer required",
        None,
        _set(lambda files: ticket_field(files, "technical-ticket", "tenant"), required=False),
        "ticket.field-optional",
        "Technical ticket, Your tenant or company name: required → optional",
        0,
    ),
    (
        "a new optional field",
        None,
        _append(_fields, {"id": "plan", "label": "Your plan", "kind": "text"}),
        "ticket.field-added",
        "Technical ticket, Your plan: a new optional field",
        0,
    ),
    (
        "a field removed",
        None,
        _remove(_fields, "request-id"),
        "ticket.field-removed",
        "Technical ticket, Request id: no longer asked for",
        0,
    ),
    # scope
    (
        "a will-do item removed",
        None,
        _remove(lambda files: files["scope.yaml"]["scope"]["will"], "behaviour"),
        "scope.will-removed",
        "Support will any longer: Answer questions about expected behaviour and general performance concerns.",
        1,
    ),
    (
        "a will-do item added",
        None,
        _append(lambda files: files["scope.yaml"]["scope"]["will"], {"id": "reviews", "text": "Review your setup."}),
        "scope.will-added",
        "Support will: Review your setup.",
        0,
    ),
    (
        "a will-not item added",
        None,
        _append(lambda files: files["scope.yaml"]["scope"]["will_not"], {"id": "sdk", "text": "Debug your SDK."}),
        "scope.will-not-added",
        "Support will not: Debug your SDK.",
        1,
    ),
    (
        "a will-not item removed",
        None,
        _remove(lambda files: files["scope.yaml"]["scope"]["will_not"], "code-review"),
        "scope.will-not-removed",
        "No longer refused: Review your code or write sample code for you.",
        0,
    ),
    # retention
    (
        "logs kept for less time",
        None,
        lambda files: _by_id(retention(files)["logs"], "sync-logs").update(kept="1mo"),
        "retention.shortened",
        "Sync logs: kept for 3 months → 1 month",
        1,
    ),
    (
        "logs kept for longer",
        None,
        lambda files: _by_id(retention(files)["logs"], "api-logs").update(kept="30d"),
        "retention.lengthened",
        "API logs: kept for 15 days → 30 days",
        0,
    ),
    (
        "a log no longer kept",
        None,
        _remove(lambda files: retention(files)["logs"], "sync-logs"),
        "retention.log-removed",
        "Sync logs are no longer kept",
        1,
    ),
    (
        "a new log kept",
        None,
        _append(lambda files: retention(files)["logs"], {"id": "audit-logs", "name": "Audit logs", "kept": "1y"}),
        "retention.log-added",
        "Audit logs are now kept for 1 year",
        0,
    ),
    (
        "report problems sooner",
        None,
        lambda files: retention(files).update(report_within="7d"),
        "retention.report-sooner",
        "Report problems within 14 days → within 7 days",
        1,
    ),
    (
        "report problems later",
        None,
        lambda files: retention(files).update(report_within="15d"),
        "retention.report-later",
        "Report problems within 14 days → within 15 days",
        0,
    ),
    # status
    (
        "uptime lowered",
        None,
        lambda files: status(files)["uptime"].update(target=99.5),
        "uptime.lowered",
        "Uptime target: 99.9% → 99.5% a month",
        1,
    ),
    (
        "uptime raised",
        None,
        lambda files: status(files)["uptime"].update(target=99.95),
        "uptime.raised",
        "Uptime target: 99.9% → 99.95% a month",
        0,
    ),
    (
        "uptime target removed",
        None,
        _drop(status, "uptime"),
        "uptime.removed",
        "No uptime target any more (was 99.9% a month)",
        1,
    ),
]


def run_scenario(tmp_path: Path, capsys: pytest.CaptureFixture[str], before: Mutation | None, after: Mutation):
    old, new = sample(), sample()
    if before is not None:
        before(old)
        before(new)
    after(new)
    write(old, tmp_path / "old")
    write(new, tmp_path / "new")
    code, out, err = diff(tmp_path, capsys, "old", "new", "--format", "json")
    assert "Traceback" not in err
    assert out, err
    return code, json.loads(out), err


def test_there_are_at_least_fifty_scenarios():
    assert len(SCENARIOS) >= 50
    assert len({name for name, *_ in SCENARIOS}) == len(SCENARIOS)


@pytest.mark.parametrize(
    ("before", "after", "change_id", "message", "exit_code"),
    [pytest.param(*rest, id=name) for name, *rest in SCENARIOS],
)
def test_a_change_is_classified_and_worded(tmp_path, capsys, before, after, change_id, message, exit_code):
    code, report, err = run_scenario(tmp_path, capsys, before, after)
    found = [c for c in report["changes"] if c["id"] == change_id]
    assert found, [(c["id"], c["message"]) for c in report["changes"]]
    assert message in [c["message"] for c in found]
    change = next(c for c in found if c["message"] == message)
    assert change["effect"] == str(BY_ID[change_id].effect)
    assert code == exit_code, (err, [(c["id"], c["fails"]) for c in report["changes"]])
    assert report["failed"] is (exit_code == 1)
    assert change["location"] is not None and change["location"]["file"].startswith("new/")


def test_every_kind_of_change_has_a_scenario_or_a_reason():
    """Kinds without a scenario here are tested on their own below or in test_changes_git.py."""
    covered = {change_id for _, _, _, change_id, _, _ in SCENARIOS}
    elsewhere = {
        "promise.clock-changed",  # test_a_clock_open_at_other_times_with_the_same_worst_case
        "promise.clock-widened",
        "schedule.renamed",  # test_renames_alone_are_neutral
        "schedule.added",
        "schedule.removed",
        "ticket.template-renamed",
        "retention.log-renamed",
        "uptime.added",
        "uptime.excludes-maintenance",  # the sample's maintenance does not fit the budget without it
        "uptime.includes-maintenance",
    }
    assert {kind.id for kind in KINDS} - covered <= elsewhere


@pytest.mark.parametrize(
    "mutation",
    [
        pytest.param(lambda files: rename(files, "standard-hours", "business-hours"), id="schedule"),
        pytest.param(lambda files: rename(files, "advanced", "advanced-plus"), id="tier"),
        pytest.param(lambda files: rename(files, "cosmetic", "minor"), id="severity"),
        pytest.param(lambda files: rename(files, "feedback", "customer-feedback", keys=False), id="channel"),
        pytest.param(lambda files: rename(files, "technical-ticket", "tech-ticket"), id="ticket-template"),
        pytest.param(lambda files: rename(files, "sync-logs", "pipeline-logs"), id="log"),
        pytest.param(
            _all(
                lambda files: rename(files, "standard-hours", "business-hours"),
                lambda files: rename(files, "premium", "premium-plus"),
                lambda files: rename(files, "high", "major"),
                lambda files: rename(files, "technical-support", "support-desk"),
            ),
            id="several-at-once",
        ),
    ],
)
def test_renames_alone_are_neutral(tmp_path, capsys, mutation):
    code, report, _ = run_scenario(tmp_path, capsys, None, mutation)
    assert code == 0
    assert report["changes"], "a rename is reported"
    assert {c["effect"] for c in report["changes"]} == {"neutral"}, [(c["id"], c["message"]) for c in report["changes"]]
    assert all(c["id"].endswith("renamed") for c in report["changes"])


def test_the_same_policies_have_no_changes(tmp_path, capsys):
    code, report, _ = run_scenario(tmp_path, capsys, None, lambda files: None)
    assert (code, report["changes"], report["failed"]) == (0, [], False)
    code, out, _ = diff(tmp_path, capsys, "old", "new")
    assert out == (
        "No changes from old to new.\n\n"
        "0 weakenings, 0 strengthenings, 0 neutral changes. Passes: nothing weakens without an announcement.\n"
    )


def _half_day_closed(files: Files, id_: str, day: str) -> None:
    """A schedule in UTC (no holidays, no DST) open all week but the afternoon of ``day``."""
    others = [d for d in ("mon", "tue", "wed", "thu", "fri", "sat", "sun") if d != day]
    files["schedules.yaml"]["schedules"].append(
        {
            "id": id_,
            "name": f"All week but {day} afternoon",
            "timezone": "UTC",
            "hours": [
                {"days": others, "opens": "00:00", "closes": "24:00"},
                {"days": [day], "opens": "00:00", "closes": "12:00"},
            ],
        }
    )


def _on_clock(clock: str) -> Mutation:
    def mutate(files: Files) -> None:
        cosmetic = target(files, "premium", "cosmetic")
        cosmetic.update(hours=clock, acknowledge={"within": "200h", "clock": clock})

    return mutate


def test_a_clock_open_at_other_times_with_the_same_worst_case(tmp_path, capsys):
    """Closed Saturday afternoon instead of Sunday afternoon: the worst case is the same, the hours are not."""

    def both(files: Files) -> None:
        _half_day_closed(files, "no-sunday-afternoon", "sun")
        _half_day_closed(files, "no-saturday-afternoon", "sat")

    code, report, _ = run_scenario(
        tmp_path, capsys, _all(both, _on_clock("no-sunday-afternoon")), _on_clock("no-saturday-afternoon")
    )
    found = {(c["id"], c["message"]) for c in report["changes"]}
    assert (
        "promise.clock-changed",
        "Premium, Cosmetic, first response: the clock now runs only in All week but sat afternoon, not in all of "
        "All week but sun afternoon (within 200 business hours (All week but sun afternoon) → within 200 business "
        "hours (All week but sat afternoon))",
    ) in found, found
    assert code == 1


# --- approval ---------------------------------------------------------------------------------------

SLOWER = _set(premium_ack("high"), within={"min": "5m", "max": "8h"})


def _entry(**values: Any) -> Mutation:
    entry = {"id": "premium-high", "date": "2026-12-01", "summary": "Premium: high-severity answers take 8 hours."}
    entry.update(values)

    def mutate(files: Files) -> None:
        files.setdefault("changelog.yaml", {"changelog": []})["changelog"].append(copy.deepcopy(entry))

    return mutate


def _settings(tmp_path: Path, text: str) -> None:
    (tmp_path / "support-policies.yaml").write_text(text, "utf-8")


@pytest.mark.parametrize(
    ("settings", "entry", "exit_code", "approved_by", "problem"),
    [
        pytest.param("", None, 1, None, None, id="no-entry"),
        pytest.param("", {"covers": ["tiers.premium.high.acknowledge"]}, 0, "premium-high", None, id="by-path"),
        pytest.param("", {"covers": ["tiers.premium"]}, 0, "premium-high", None, id="by-parent-path"),
        pytest.param("", {"covers": ["promise.slower"]}, 0, "premium-high", None, id="by-change-id"),
        pytest.param("", {"covers": ["promise.slower", "tiers.premium.high"]}, 0, "premium-high", None, id="by-both"),
        pytest.param("", {"covers": ["promise.slower", "tiers.advanced"]}, 1, None, None, id="id-but-other-path"),
        pytest.param("", {"covers": ["promise.removed", "tiers.premium"]}, 1, None, None, id="path-but-other-id"),
        pytest.param("", {"covers": ["tiers.premium-plus"]}, 1, None, None, id="a-prefix-is-not-a-parent"),
        pytest.param(
            "notice_period: 30d\n",
            {"covers": ["tiers.premium.high"], "effective": "2026-12-31"},
            0,
            "premium-high",
            None,
            id="notice-met",
        ),
        pytest.param(
            "notice_period: 30d\n",
            {"covers": ["tiers.premium.high"], "effective": "2026-12-30"},
            1,
            None,
            "the change log entry 'premium-high' gives 29 days of notice (announced 2026-12-01, takes effect "
            "2026-12-30); the notice period is 30d, so it may take effect on 2026-12-31 at the earliest",
            id="notice-too-short",
        ),
        pytest.param(
            "notice_period: 30d\n",
            {"covers": ["tiers.premium.high"], "date": "2026-10-01", "effective": "2026-12-15"},
            1,
            None,
            "the change log entry 'premium-high' gives 14 days of notice (announced 2026-12-01, takes effect "
            "2026-12-15); the notice period is 30d, so it may take effect on 2026-12-31 at the earliest",
            id="back-dating-does-not-give-notice",
        ),
        pytest.param(
            "notice_period: 1mo\n",
            {"covers": ["tiers.premium.high"], "effective": "2027-01-01"},
            0,
            "premium-high",
            None,
            id="notice-in-months",
        ),
        pytest.param("changes:\n  promise.slower: warning\n", None, 0, None, None, id="level-warning"),
    ],
)
def test_a_weakening_is_approved_by_a_change_log_entry_with_notice(
    tmp_path, capsys, settings, entry, exit_code, approved_by, problem
):
    if settings:
        _settings(tmp_path, settings)
    after = SLOWER if entry is None else _all(SLOWER, _entry(**entry))
    code, report, err = run_scenario(tmp_path, capsys, None, after)
    change = next(c for c in report["changes"] if c["id"] == "promise.slower")
    assert (code, change["approved_by"], change["problem"]) == (exit_code, approved_by, problem), err


def test_an_entry_published_before_approves_nothing_new(tmp_path, capsys):
    """An earlier announcement, even one still to take effect, announced an earlier change."""
    entry = _entry(covers=["tiers.premium.high"], date="2026-10-01", effective="2027-06-01")
    code, report, _ = run_scenario(tmp_path, capsys, entry, SLOWER)
    assert code == 1
    assert next(c for c in report["changes"] if c["id"] == "promise.slower")["approved_by"] is None


def test_an_entry_changed_to_cover_more_is_announced_anew(tmp_path, capsys):
    _settings(tmp_path, "notice_period: 30d\n")
    before = _entry(covers=["tiers.advanced"], date="2026-10-01", effective="2026-12-15")
    after = _all(SLOWER, lambda files: files["changelog.yaml"]["changelog"][0].update(covers=["tiers"]))
    code, report, _ = run_scenario(tmp_path, capsys, before, after)
    change = next(c for c in report["changes"] if c["id"] == "promise.slower")
    assert change["problem"].startswith(
        "the change log entry 'premium-high' gives 14 days of notice (announced 2026-12-01"
    )
    assert code == 1


def test_the_samples_change_log_is_history(tmp_path, capsys):
    """The sample's entries were published before: neither approves a new change, however broad its covers."""
    old, new = sample(changelog=True), sample(changelog=True)
    new["schedules.yaml"]["schedules"][0]["holidays"]["dates"].append({"date": "2027-01-04", "name": "Company day"})
    SLOWER(new)
    write(old, tmp_path / "old")
    write(new, tmp_path / "new")
    code, out, _ = diff(tmp_path, capsys, "old", "new", "--format", "json")
    changes = json.loads(out)["changes"]
    assert {c["id"] for c in changes} >= {"holiday.added", "promise.slower"}
    assert all(c["approved_by"] is None for c in changes)
    assert code == 1


def test_a_level_off_leaves_the_change_out_and_strict_fails_on_warnings(tmp_path, capsys):
    _settings(tmp_path, "changes:\n  promise.slower: 'off'\n  severity.redefined: warning\n")
    redefine = _all(
        SLOWER,
        lambda files: files["severities.yaml"]["severities"][0].update(definition="Down for everyone."),
    )
    code, report, _ = run_scenario(tmp_path, capsys, None, redefine)
    assert code == 0
    assert [c["id"] for c in report["changes"]] == ["severity.redefined"]
    code, _, _ = diff(tmp_path, capsys, "old", "new", "--strict")
    assert code == 1


# --- usage and broken input -------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["old"], "compare two policy folders, OLD NEW, or the working tree with a revision, --against REF [PATH]"),
        (["old", "new", "third"], "compare two policy folders"),
        (["--against", "HEAD", "a", "b"], "--against REF compares one PATH"),
        (["--against", "HEAD", "old"], "--against: old is not in a git repository"),
    ],
)
def test_usage_errors_exit_2(tmp_path, capsys, args, message):
    write(sample(), tmp_path / "old")
    code, out, err = diff(tmp_path, capsys, *args)
    assert code == 2 and out == ""
    assert message in err


def test_a_bad_output_format_is_a_usage_error(tmp_path, capsys):
    with pytest.raises(SystemExit) as exit_:
        main(["diff", "a", "b", "--output", "yaml=x"])
    assert exit_.value.code == 2


def test_a_broken_side_gets_findings_not_a_traceback(tmp_path, capsys):
    write(sample(), tmp_path / "old")
    broken = sample()
    broken["tiers.yaml"]["tiers"][0]["targets"]["critical"]["acknowledge"]["within"] = "2 hours"
    write(broken, tmp_path / "new")
    code, out, err = diff(tmp_path, capsys, "old", "new")
    assert code == 1 and out == ""
    assert "the new policies (new):" in err and "[schema.format]" in err
    assert "Traceback" not in err


def test_an_unknown_cover_is_an_error_of_the_new_side(tmp_path, capsys):
    old, new = sample(), sample()
    SLOWER(new)
    _entry(covers=["promise.slowr"])(new)
    write(old, tmp_path / "old")
    write(new, tmp_path / "new")
    code, out, err = diff(tmp_path, capsys, "old", "new")
    assert (code, out) == (1, "")
    assert "'promise.slowr' is neither a change id nor a path of the policies, so it covers nothing" in err
    assert "Did you mean 'promise.slower'? " in err and "[changelog.invalid]" in err


def test_the_references_list_every_change_id():
    from support_policies.validate import load_schema

    ci = (REPO / "reference" / "ci.md").read_text("utf-8")
    settings = load_schema("settings.schema.json")["properties"]["changes"]["properties"]
    assert list(settings) == [kind.id for kind in KINDS]
    for kind in KINDS:
        assert f"| `{kind.id}` | {kind.effect} | {kind.level} |" in ci, kind.id


def test_a_rename_with_other_changes_is_still_the_same_plan(tmp_path, capsys):
    """A new id under the same name is the same plan, moved: its changes are reported, not a removal."""
    code, report, _ = run_scenario(tmp_path, capsys, None, _all(SLOWER, lambda files: rename(files, "premium", "gold")))
    changes = {(c["id"], c["path"], c["message"]) for c in report["changes"]}
    assert ("tier.renamed", "tiers.gold", "Premium: the id changed from premium to gold") in changes
    assert any(i == "promise.slower" and p == "tiers.gold.high.acknowledge" for i, p, _ in changes), changes
    assert not any(i in ("tier.removed", "tier.added") for i, _, _ in changes)
    assert code == 1


def test_an_old_side_with_rule_errors_is_compared_and_said_so(tmp_path, capsys):
    old, new = sample(), sample()
    tier(old, "advanced")["targets"]["critical"]["acknowledge"]["within"] = "48h"  # slower than Break-Fix
    write(old, tmp_path / "old")
    write(new, tmp_path / "new")
    code, out, err = diff(tmp_path, capsys, "old", "new")
    assert "support-policies diff: the old policies (old) have 2 errors today's rules find; compared as they are" in err
    assert "[promise.faster]" in out and code == 0


def test_an_output_file_that_cannot_be_written_is_a_usage_error(tmp_path, capsys):
    write(sample(), tmp_path / "old")
    write(sample(), tmp_path / "new")
    (tmp_path / "taken").write_text("a file, not a folder", "utf-8")
    code, out, err = diff(tmp_path, capsys, "old", "new", "--output", "json=taken/report.json")
    assert code == 2 and "cannot write json output to taken/report.json" in err
    assert out.startswith("No changes from old to new.")
