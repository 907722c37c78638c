"""``mailto:`` links that open an email with the address, subject and ticket body filled in.

Encoding follows RFC 6068. §2: ``hfvalue = *qchar`` with ``qchar = unreserved /
pct-encoded / some-delims`` and ``some-delims = "!" / "$" / "'" / "(" / ")" / "*" / "+" /
"," / ";" / ":" / "@"``; every other character, ``&``, ``=``, ``?``, ``#``, ``%`` and
``/`` included, is percent-encoded from its UTF-8 bytes, in the address as well. §5:
spaces SHOULD be ``%20`` (a ``+`` would be read as a real plus, which it stays here) and
line breaks in the body MUST be ``%0D%0A``.
"""

from __future__ import annotations

from dataclasses import dataclass
from urllib.parse import quote

from ..model import Channel, PolicySet, TicketTemplate
from .tickets import email_body

MAX_LENGTH = 1800
"""Longest link offered with a body; some mail clients and browsers cut longer ones."""

_SOME_DELIMS = "!$'()*+,;:@"


@dataclass(frozen=True)
class Compose:
    """A compose link for an email channel."""

    url: str
    subject: str
    body: str
    complete: bool


def encode(text: str) -> str:
    """Percent-encode everything outside RFC 6068's ``qchar``, from UTF-8."""
    return quote(text, safe=_SOME_DELIMS, encoding="utf-8")


def crlf(text: str) -> str:
    """Every line break as CRLF, whatever it was written as."""
    return text.replace("\r\n", "\n").replace("\r", "\n").replace("\n", "\r\n")


def mailto(to: str, subject: str = "", body: str = "") -> str:
    """A ``mailto:`` URI; empty parameters are left out."""
    params = [f"{name}={encode(value)}" for name, value in (("subject", subject), ("body", crlf(body))) if value]
    return f"mailto:{encode(to)}" + (f"?{'&'.join(params)}" if params else "")


def subject_for(channel: Channel, template: TicketTemplate | None) -> str:
    """The channel's subject text as written; else its tag before the template name."""
    if channel.subject and channel.subject.text:
        return channel.subject.text
    prefix = channel.subject.prefix if channel.subject else ""
    return " ".join(part for part in (prefix, template.name if template else "") if part)


def compose(channel: Channel, policy: PolicySet, limit: int = MAX_LENGTH) -> Compose | None:
    """The compose link of an available email channel with an address, or None.

    The body is the channel's ticket template as email text; when the link would be longer
    than ``limit`` it carries the subject only and ``complete`` is False.
    """
    if channel.kind != "email" or not channel.address or not channel.available:
        return None
    template = policy.template(channel.template) if channel.template else None
    subject = subject_for(channel, template)
    body = email_body(template) if template else ""
    url = mailto(channel.address, subject, body)
    if len(url) <= limit:
        return Compose(url, subject, body, True)
    return Compose(mailto(channel.address, subject), subject, body, False)
