"""The pages a policy set can generate: ids, titles, file names and when each is wanted.

Plain data, so the command line can list page ids without loading the renderer, and the
site's file list can take pages from a renderer without importing it.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from .i18n import N_
from .model import PolicySet


@dataclass(frozen=True)
class PageKind:
    id: str
    title: str
    """In English, the msgid: pages and navigation translate it."""
    filename: str
    template: str
    wanted: Callable[[PolicySet], bool]


PAGES: tuple[PageKind, ...] = (
    PageKind("get-help", N_("How to get help"), "index.md", "get-help.md", lambda p: bool(p.channels)),
    PageKind("plans", N_("Support plans"), "plans.md", "plans.md", lambda p: bool(p.tiers)),
    PageKind("severities", N_("Severity levels"), "severities.md", "severities.md", lambda p: bool(p.severities)),
    PageKind("tickets", N_("Filing a ticket"), "tickets.md", "tickets.md", lambda p: bool(p.ticket_templates)),
    PageKind("scope", N_("What support covers"), "scope.md", "scope.md", lambda p: p.scope is not None),
    PageKind("retention", N_("Data retention"), "retention.md", "retention.md", lambda p: p.retention is not None),
    PageKind("providers", N_("Third-party providers"), "providers.md", "providers.md", lambda p: bool(p.providers)),
    PageKind(
        "known-problems",
        N_("Known problems"),
        "known-problems.md",
        "known-problems.md",
        lambda p: bool(p.known_problems),
    ),
    PageKind("status", N_("Status and maintenance"), "status.md", "status.md", lambda p: p.status is not None),
    PageKind(
        "security", N_("Reporting a vulnerability"), "security.md", "security.md", lambda p: p.security is not None
    ),
    PageKind("journeys", N_("Journeys"), "journeys/", "journey.md", lambda p: bool(p.journeys)),
    PageKind("glossary", N_("Glossary"), "glossary.md", "glossary.md", lambda p: bool(p.glossary)),
    PageKind("changes", N_("Policy changes"), "changes.md", "changes.md", lambda p: bool(p.changelog)),
    PageKind("data", N_("Policies as data"), "data.md", "data.md", lambda p: True),
    PageKind("rules", N_("Policy checks"), "rules.md", "rules.md", lambda p: True),
)


@dataclass(frozen=True)
class GeneratedPage:
    """A page to add to the site: its path below the section folder, title and Markdown."""

    path: str
    title: str
    markdown: str


PAGE_IDS = tuple(kind.id for kind in PAGES)
DEFAULT_PAGES = tuple(page for page in PAGE_IDS if page != "rules")
"""The rule reference is for writers, so a site asks for it by name."""
