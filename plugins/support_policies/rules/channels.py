"""Contact channels: well-formed addresses, a way to reach each, and response targets that match the tiers."""

from __future__ import annotations

import re
from collections.abc import Iterator
from urllib.parse import urlsplit

from ..findings import Finding
from ..model import Channel, PolicySet, Promise, Tier
from ..wording import promise as worded
from .base import Rule
from .ordering import WorstCase

EMAIL = re.compile(
    r"[A-Za-z0-9.!#$%&'*+/=^_`{|}~-]+@[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?"
    r"(?:\.[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?)+"
)
PHONE = re.compile(r"\+[1-9][0-9]{6,14}")
URL = re.compile(r"https?://[^\s<>\"'`]+")
NEEDS_ADDRESS = {"email", "web-form", "phone", "chat"}
REACHED_WITHOUT_ADDRESS = {"portal", "account-manager"}
"""Kinds that need no published address: they are reached through the product or a person, as ``reach`` says."""


class Addresses(Rule):
    """Contact addresses are well formed for their kind.

    An email channel holds exactly one address (nothing that could add headers or
    recipients to a ``mailto:`` link: no ``?``, ``&``, ``%``, commas or line breaks); a
    phone number is in E.164 form (``+15551234567``); forms, chats, portals and status pages
    are ``http(s)`` addresses; an account manager's address is an email address or a phone
    number. Email, form, phone and chat channels need an address; so does a status page
    that is available. A portal or an account manager needs none (``channels.no-way-to-reach``
    asks for their ``reach`` instead). Subject tags fit on one line.
    """

    id = "address.malformed"
    summary = "contact addresses are well formed"

    def check(self, policy: PolicySet) -> Iterator[Finding]:
        for channel in policy.channels:
            address = channel.address
            if not address:
                if channel.kind in NEEDS_ADDRESS or (channel.kind == "status-page" and channel.available):
                    yield self.report(
                        channel.origin,
                        f"the {channel.kind} channel '{channel.id}' has no address",
                        "Add address:, or set available: false while it is not open.",
                        "id",
                        key=True,
                    )
                continue
            problem = _problem(channel.kind, address)
            if problem:
                yield self.report(
                    channel.origin,
                    f"'{address}' is not a valid {channel.kind} address: {problem}",
                    _HINTS[channel.kind],
                    "address",
                )
        status = policy.status
        if status and status.page and status.page.available and not status.page.url:
            yield self.report(
                status.page.origin,
                "the status page is available but has no url",
                "Add url:, or set available: false.",
                "available",
            )


_HINTS = {
    "email": "Write one address such as support@example.com; put a subject in the channel's subject key.",
    "phone": "Write the number in E.164 form: + country code and number, no spaces, e.g. +15551234567.",
    "web-form": "Write an absolute http(s) address.",
    "chat": "Write an absolute http(s) address.",
    "status-page": "Write an absolute http(s) address.",
    "person": "A person is reached through your account team; leave the address out or give an email.",
    "portal": "Write an absolute http(s) address, or leave it out and say in reach: how to open the portal.",
    "account-manager": "Write an email address or an E.164 phone number (+15551234567), or leave it out and "
    "say in reach: how customers reach their account manager.",
}


def _problem(kind: str, address: str) -> str:
    if any(ch in address for ch in "\r\n\t"):
        return "it contains a line break"
    if kind == "email" or (kind == "person" and "@" in address):
        if any(ch in address for ch in "?&%,;<> "):
            return "it contains characters that would change the mailto: link"
        return "" if EMAIL.fullmatch(address) else "it is not an email address"
    if kind == "phone":
        return "" if PHONE.fullmatch(address) else "it is not in E.164 form"
    if kind == "account-manager":
        if "@" in address:
            if any(ch in address for ch in "?&%,;<> "):
                return "it contains characters that would change the mailto: link"
            return "" if EMAIL.fullmatch(address) else "it is not an email address"
        return "" if PHONE.fullmatch(address) else "it is neither an email address nor a phone number in E.164 form"
    if kind in ("web-form", "chat", "status-page", "portal") and not (
        URL.fullmatch(address) and urlsplit(address).netloc
    ):
        return "it is not an http(s) address"
    return ""


class ChannelAgreesWithTiers(Rule):
    """A channel's response target never breaks the tiers that use it.

    A channel serves the tiers in its ``tiers`` (all tiers when left out) and the
    severities in its ``severities`` (all when left out). Where such a tier promises an
    acknowledgement, the channel must not promise a slower response: a customer reading
    the channel card would be told to wait longer than their plan allows. A channel whose
    ``response_applies`` is ``outside-plan-targets`` is exempt: there the plan's target wins.
    """

    id = "channels.slower-than-tier"
    summary = "channel response targets agree with the tiers that use them"

    def check(self, policy: PolicySet) -> Iterator[Finding]:
        worst = WorstCase(policy)
        for channel in policy.channels:
            if not channel.response or channel.response_applies == "outside-plan-targets":
                continue  # a plan's own target wins where it sets one
            channel_wait = worst(channel.response)
            if channel_wait is None:
                continue
            tiers = [t for t in policy.tiers if not channel.tiers or t.id in channel.tiers]
            for tier in tiers:
                for severity, target in tier.targets.items():
                    if channel.severities and severity not in channel.severities:
                        continue
                    if not target.covered or not target.acknowledge:
                        continue
                    tier_wait = worst(target.acknowledge)
                    if tier_wait is not None and channel_wait > tier_wait:
                        yield self.report(
                            channel.response.origin,
                            f"'{channel.name}' promises a response {worded(policy, channel.response)}, slower than "
                            f"'{tier.name}' promises for {severity} incidents: {worded(policy, target.acknowledge)}",
                            "Make the channel's target match the fastest tier it serves, "
                            "or narrow its tiers/severities.",
                            "within",
                        )
                        break


def _overlapping_targets(policy: PolicySet, channel: Channel) -> Iterator[tuple[Tier, str, Promise]]:
    """Each (tier, severity, first-response promise) a plan makes for tickets this channel takes."""
    for tier in policy.tiers:
        if channel.tiers and tier.id not in channel.tiers:
            continue
        for severity, target in tier.targets.items():
            if channel.severities and severity not in channel.severities:
                continue
            if target.covered and target.acknowledge:
                yield tier, severity, target.acknowledge


class NoWayToReach(Rule):
    """A portal or an account manager without an address says how to reach it.

    Channels of kind ``portal`` (reached through the product, e.g. a Help menu) and
    ``account-manager`` need no published address. Without one, ``reach`` is the only
    thing the card can tell a customer, so one of the two is required, unless the channel
    is not open yet (``available: false``).
    """

    id = "channels.no-way-to-reach"
    summary = "a channel without an address says how to reach it"

    def check(self, policy: PolicySet) -> Iterator[Finding]:
        for channel in policy.channels:
            if channel.kind not in REACHED_WITHOUT_ADDRESS or not channel.available:
                continue  # a channel that is not open yet is reached no way at all
            if not channel.address and not channel.reach:
                what = "portal" if channel.kind == "portal" else "account manager"
                yield self.report(
                    channel.origin,
                    f"the {what} channel '{channel.id}' has neither an address nor reach: the page cannot say "
                    "how to reach it",
                    "Add reach: with how customers get there, e.g. Open Help → Contact support in the console; "
                    "or set available: false while it is not open.",
                    "id",
                    key=True,
                )


class ResponseAmbiguous(Rule):
    """A channel's response target says whether it or the plan's target applies.

    When a channel promises a response and a plan it serves promises a first response
    for the same ticket in other words ("within 1 business day" beside "within 24
    business hours"), a reader cannot tell which holds. ``response_applies`` says it:
    ``outside-plan-targets`` (the plan's target wins where it sets one) or
    ``every-ticket`` (the channel's response holds for every ticket sent there). Where
    the two promises are the same, or no plan sets one, nothing needs saying, and
    ``response_applies`` without a response says nothing and is refused too.
    """

    id = "channels.response-ambiguous"
    summary = "a channel's response target says whether it or the plan's applies"

    def check(self, policy: PolicySet) -> Iterator[Finding]:
        for channel in policy.channels:
            response = channel.response
            if response is None:
                if channel.response_applies:
                    yield self.report(
                        channel.origin,
                        f"'{channel.name}' says which response applies, but promises no response of its own",
                        "Add response:, or delete response_applies:.",
                        "response_applies",
                    )
                continue
            if channel.response_applies:
                continue
            for tier, severity, acknowledge in _overlapping_targets(policy, channel):
                if (acknowledge.within, acknowledge.clock) == (response.within, response.clock):
                    continue
                name = policy.severity(severity)
                yield self.report(
                    response.origin,
                    f"'{channel.name}' promises a response {worded(policy, response)}, and '{tier.name}' promises "
                    f"{name.name if name else severity} incidents a first response {worded(policy, acknowledge)}: "
                    "the page cannot say which applies to a ticket sent here",
                    "Add response_applies: outside-plan-targets (the plan's target wins where it sets one) "
                    "or every-ticket (this response holds for every ticket sent here).",
                    "within",
                )
                break
