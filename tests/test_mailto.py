"""Compose links (RFC 6068): what a mail client decodes is what the policy says."""

from __future__ import annotations

import re
from pathlib import Path
from urllib.parse import unquote, urlsplit

import pytest

from support_policies.exports.mailto import MAX_LENGTH, Compose, compose, mailto, subject_for
from support_policies.exports.tickets import email_body
from support_policies.model import Channel, PolicySet, Subject, TicketField, TicketTemplate
from support_policies.policyset import load_policies

REPO = Path(__file__).resolve().parent.parent
URI_CHARS = re.compile(
    r"mailto:(?:[A-Za-z0-9\-._~!$'()*+,;:@]|%[0-9A-F]{2})*"
    r"(?:\?[a-z]+=(?:[A-Za-z0-9\-._~!$'()*+,;:@]|%[0-9A-F]{2})*"
    r"(?:&[a-z]+=(?:[A-Za-z0-9\-._~!$'()*+,;:@]|%[0-9A-F]{2})*)*)?"
)


@pytest.fixture(scope="module")
def policy() -> PolicySet:
    return load_policies([REPO / "policies"]).policy


def decode(url: str) -> tuple[str, dict[str, str]]:
    """(address, parameters) as a mail client reads them; ``+`` stays a plus."""
    parts = urlsplit(url)
    assert parts.scheme == "mailto" and parts.fragment == ""
    params = dict(pair.split("=", 1) for pair in parts.query.split("&")) if parts.query else {}
    return unquote(parts.path), {name: unquote(value) for name, value in params.items()}


def email(**values) -> Channel:
    return Channel(**{"id": "c", "kind": "email", "name": "C", "address": "help@x.example", **values})


# --- the sample ----------------------------------------------------------------------------


def test_sample_technical_ticket_link_carries_the_whole_ticket(policy):
    link = compose(policy.channel("technical-support"), policy)
    template = policy.template("technical-ticket")
    assert link.complete and len(link.url) <= MAX_LENGTH
    assert URI_CHARS.fullmatch(link.url)
    address, params = decode(link.url)
    assert address == "support@tallyweave.example"
    assert params["subject"] == link.subject == "Technical ticket"
    assert link.body == email_body(template)
    assert params["body"] == email_body(template).replace("\n", "\r\n")
    assert all(f.label in params["body"] for f in template.fields)
    assert " " not in link.url and "%20" in link.url and "%0D%0A" in link.url


def test_body_has_only_crlf_line_breaks(policy):
    body = decode(compose(policy.channel("technical-support"), policy).url)[1]["body"]
    assert re.search(r"\r(?!\n)|(?<!\r)\n", body) is None
    assert body.count("\r\n") == email_body(policy.template("technical-ticket")).count("\n")


def test_emergency_subject_is_kept_as_written(policy):
    link = compose(policy.channel("emergency"), policy)
    address, params = decode(link.url)
    assert address == "emergencies@tallyweave.example"
    assert params["subject"] == link.subject == "[URGENT] {what is down}"
    assert link.url.startswith(
        "mailto:emergencies@tallyweave.example?subject=%5BURGENT%5D%20%7Bwhat%20is%20down%7D&body="
    )
    assert params["body"].startswith("Emergency report\r\n")


def test_channel_without_template_gets_subject_only_or_nothing(policy):
    ideas = compose(policy.channel("feature-requests"), policy)
    assert ideas == Compose(
        "mailto:ideas@tallyweave.example?subject=Feature%20request:%20%7Byour%20idea%7D",
        "Feature request: {your idea}",
        "",
        True,
    )
    assert compose(policy.channel("account-management"), policy) == Compose(
        "mailto:accounts@tallyweave.example", "", "", True
    )


@pytest.mark.parametrize("channel_id", ["account-executive", "feedback", "status-page"])
def test_channels_that_are_not_email_get_no_link(policy, channel_id):
    assert compose(policy.channel(channel_id), policy) is None


def test_unavailable_addressless_or_phone_channels_get_no_link():
    assert compose(email(available=False), PolicySet()) is None
    assert compose(email(address=""), PolicySet()) is None
    assert compose(email(kind="phone", address="+15551234567"), PolicySet()) is None


def test_every_sample_link_is_deterministic(policy):
    for channel in policy.channels:
        assert compose(channel, policy) == compose(channel, policy)


# --- encoding ------------------------------------------------------------------------------


def test_plus_stays_a_plus():
    url = mailto("support+urgent@x.example", "C++ question", "a+b = c")
    assert url == "mailto:support+urgent@x.example?subject=C++%20question&body=a+b%20%3D%20c"
    address, params = decode(url)
    assert (address, params) == ("support+urgent@x.example", {"subject": "C++ question", "body": "a+b = c"})


def test_unicode_subject_is_utf8_percent_encoded():
    url = mailto("a@x.example", "Störung ✓")
    assert url == "mailto:a@x.example?subject=St%C3%B6rung%20%E2%9C%93"
    assert decode(url)[1] == {"subject": "Störung ✓"}


@pytest.mark.parametrize(
    "text",
    [
        "a&b=c",
        "why?#now",
        "100% sure",
        "x&body=evil",
        "a/b\\c",
        '<tag> "q"',
        "semi;colon:at@comma,",
        "[brackets] {braces} |pipe| ^caret` ~tilde",
    ],
)
def test_reserved_characters_round_trip(text):
    url = mailto("a@x.example", text, text)
    assert URI_CHARS.fullmatch(url)
    assert decode(url)[1] == {"subject": text, "body": text}


def test_line_breaks_become_crlf_whatever_they_were():
    url = mailto("a@x.example", body="one\ntwo\r\nthree\rfour")
    assert url == "mailto:a@x.example?body=one%0D%0Atwo%0D%0Athree%0D%0Afour"


def test_address_keeps_at_and_plus_and_encodes_the_rest():
    assert mailto("we?ird%x+tag@example.org") == "mailto:we%3Fird%25x+tag@example.org"
    assert decode(mailto("we?ird%x+tag@example.org"))[0] == "we?ird%x+tag@example.org"


def test_empty_parameters_are_left_out():
    assert mailto("a@x.example") == "mailto:a@x.example"
    assert mailto("a@x.example", body="hi") == "mailto:a@x.example?body=hi"


# --- subjects ------------------------------------------------------------------------------


def test_subject_choice():
    template = TicketTemplate("t", "Technical ticket", (TicketField("f", "F", "text"),))
    assert subject_for(email(subject=Subject(prefix="[URGENT]", text="[URGENT] {what}")), template) == "[URGENT] {what}"
    assert subject_for(email(subject=Subject(prefix="[P1]")), template) == "[P1] Technical ticket"
    assert subject_for(email(subject=Subject(prefix="[P1]")), None) == "[P1]"
    assert subject_for(email(), template) == "Technical ticket"
    assert subject_for(email(), None) == ""


# --- long templates ------------------------------------------------------------------------


def long_policy(fields: int) -> tuple[Channel, PolicySet, TicketTemplate]:
    template = TicketTemplate(
        "long",
        "Long ticket & more",
        tuple(
            TicketField(
                f"f{i}",
                f"Field number {i} with a rather long label",
                "multiline",
                placeholder="An example answer that goes on for a while",
                required_when="things go wrong",
                sensitive="Remove every secret.",
            )
            for i in range(fields)
        ),
    )
    channel = email(template="long", subject=Subject(prefix="[LONG]"))
    return channel, PolicySet(channels=(channel,), ticket_templates=(template,)), template


def test_too_long_template_falls_back_to_the_subject():
    channel, policy, template = long_policy(40)
    link = compose(channel, policy)
    assert not link.complete and len(link.url) <= MAX_LENGTH
    assert link.url == "mailto:help@x.example?subject=%5BLONG%5D%20Long%20ticket%20%26%20more"
    assert decode(link.url)[1] == {"subject": "[LONG] Long ticket & more"}
    assert link.body == email_body(template)


def test_limit_is_inclusive():
    channel, policy, _ = long_policy(3)
    full = compose(channel, policy, limit=10**6)
    assert full.complete
    assert compose(channel, policy, limit=len(full.url)) == full
    cut = compose(channel, policy, limit=len(full.url) - 1)
    assert not cut.complete and "body=" not in cut.url and cut.body == full.body
