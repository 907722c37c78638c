"""The change log as an Atom feed (RFC 4287), for customers who subscribe to policy changes.

One entry per change-log entry, newest first: its summary as the title, its details as text,
the day it was announced as ``published`` and ``updated``, and a link to its heading on the
Policy changes page. The feed is a function of the policies alone (no build time in it), so
a rebuild of the same policies writes the same bytes.

Escaped by construction: the document is built with ``xml.etree.ElementTree``, which escapes
every text and attribute, after :func:`xml_text` has replaced what XML 1.0 cannot hold at
all. Policy text goes out as ``type="text"``: a feed reader shows it as written and never
renders markup from it.

Ids are ``tag:`` URIs (RFC 4151) of the site's host (the published address, else the
organization's ``site_url``, else ``support-policies.invalid``) and the entry's id, so they
stay the same when the site moves between folders.
"""

from __future__ import annotations

import re
import xml.etree.ElementTree as ET
from urllib.parse import urlsplit

from .. import i18n
from ..i18n import _
from ..model import ChangelogEntry, PolicySet
from ..wording import date_or_name

FEED_PATH = "policy-changes.xml"
"""Where the feed is published below the section folder, beside the Policy changes page."""
PAGE_URL = "changes/"
"""The Policy changes page relative to the feed (MkDocs' and Zensical's directory URLs)."""
ATOM = "http://www.w3.org/2005/Atom"
_NOT_XML = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ud800-\udfff\ufffe\uffff]")


def xml_text(text: str) -> str:
    """``text`` with every character XML 1.0 cannot hold (controls, lone surrogates) as U+FFFD."""
    return _NOT_XML.sub("\ufffd", str(text))


def newest_first(policy: PolicySet) -> list[ChangelogEntry]:
    """The change log, the newest announcement first (entries of one day in the order written)."""
    return sorted(policy.changelog, key=lambda entry: entry.date, reverse=True)


def _host(policy: PolicySet, base_url: str) -> str:
    for url in (base_url, policy.organization.site_url if policy.organization else ""):
        parts = urlsplit(url)
        if parts.scheme in ("http", "https") and parts.hostname:
            return parts.hostname
    return "support-policies.invalid"


def atom_feed(policy: PolicySet, base_url: str = "", page_url: str = PAGE_URL) -> str:
    """The feed's XML. ``base_url`` is the published address of the section folder ("" when unknown)."""
    ET.register_namespace("", ATOM)
    entries = newest_first(policy)
    host = _host(policy, base_url)
    name = policy.organization.name if policy.organization else _("Support")
    first = min((entry.date for entry in entries), default="2026-01-01")

    def add(parent: ET.Element, tag: str, text: str = "", **attributes: str) -> ET.Element:
        element = ET.SubElement(parent, f"{{{ATOM}}}{tag}", {k: xml_text(v) for k, v in attributes.items()})
        if text:
            element.text = xml_text(text)
        return element

    feed = ET.Element(f"{{{ATOM}}}feed", {"{http://www.w3.org/XML/1998/namespace}lang": i18n.active().tag})
    add(feed, "id", f"tag:{host},{first}:support-policies/changes")
    add(feed, "title", _("{organization}: support policy changes", organization=name), type="text")
    add(feed, "updated", f"{entries[0].date if entries else first}T00:00:00Z")
    add(feed, "author").append(_name(name))
    if base_url:
        add(feed, "link", rel="self", type="application/atom+xml", href=base_url + FEED_PATH)
        add(feed, "link", rel="alternate", type="text/html", href=base_url + page_url)
    else:
        add(feed, "link", rel="alternate", type="text/html", href=page_url)
    add(feed, "generator", "mkdocs-support-policies")
    for entry in entries:
        item = add(feed, "entry")
        add(item, "id", f"tag:{host},{entry.date}:support-policies/changes/{entry.id}")
        add(item, "title", entry.summary, type="text")
        add(item, "published", f"{entry.date}T00:00:00Z")
        add(item, "updated", f"{entry.date}T00:00:00Z")
        add(item, "link", rel="alternate", type="text/html", href=f"{base_url}{page_url}#change-{entry.id}")
        effective = _("Takes effect on {date}.", date=date_or_name(entry.takes_effect))
        add(item, "summary", f"{entry.summary} {effective}", type="text")
        if entry.details:
            add(item, "content", f"{entry.details.strip()}\n\n{effective}", type="text")
    ET.indent(feed)
    return '<?xml version="1.0" encoding="utf-8"?>\n' + ET.tostring(feed, encoding="unicode") + "\n"


def _name(text: str) -> ET.Element:
    name = ET.Element(f"{{{ATOM}}}name")
    name.text = xml_text(text)
    return name
