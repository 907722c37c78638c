"""Contact channels: well-formed addresses and response targets that match the tiers."""

from __future__ import annotations

import re
from collections.abc import Iterator
from urllib.parse import urlsplit

from ..findings import Finding
from ..model import PolicySet
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


class Addresses(Rule):
    """Contact addresses are well formed for their kind.

    An email channel holds exactly one address (nothing that could add headers or
    recipients to a ``mailto:`` link: no ``?``, ``&``, ``%``, commas or line breaks); a
    phone number is in E.164 form (``+15551234567``); forms, chats and status pages are
    ``http(s)`` addresses. Email, form, phone and chat channels need an address; so does
    a status page that is available. Subject tags fit on one line.
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
    if kind in ("web-form", "chat", "status-page") and not (URL.fullmatch(address) and urlsplit(address).netloc):
        return "it is not an http(s) address"
    return ""


class ChannelAgreesWithTiers(Rule):
    """A channel's response target never breaks the tiers that use it.

    A channel serves the tiers in its ``tiers`` (all tiers when left out) and the
    severities in its ``severities`` (all when left out). Where such a tier promises an
    acknowledgement, the channel must not promise a slower response: a customer reading
    the channel card would be told to wait longer than their plan allows.
    """

    id = "channels.slower-than-tier"
    summary = "channel response targets agree with the tiers that use them"

    def check(self, policy: PolicySet) -> Iterator[Finding]:
        worst = WorstCase(policy)
        for channel in policy.channels:
            if not channel.response:
                continue
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
