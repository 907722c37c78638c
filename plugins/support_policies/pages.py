"""The pages a policy set can generate: ids, titles, file names and when each is wanted.

Plain data, so the command line can list page ids without loading the renderer, and the
site's file list can take pages from a renderer without importing it.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from .model import PolicySet


@dataclass(frozen=True)
class PageKind:
    id: str
    title: str
    filename: str
    template: str
    wanted: Callable[[PolicySet], bool]


PAGES: tuple[PageKind, ...] = (
    PageKind("get-help", "How to get help", "index.md", "get-help.md", lambda p: bool(p.channels)),
    PageKind("plans", "Support plans", "plans.md", "plans.md", lambda p: bool(p.tiers)),
    PageKind("severities", "Severity levels", "severities.md", "severities.md", lambda p: bool(p.severities)),
    PageKind("tickets", "Filing a ticket", "tickets.md", "tickets.md", lambda p: bool(p.ticket_templates)),
    PageKind("scope", "What support covers", "scope.md", "scope.md", lambda p: p.scope is not None),
    PageKind("retention", "Data retention", "retention.md", "retention.md", lambda p: p.retention is not None),
    PageKind("providers", "Third-party providers", "providers.md", "providers.md", lambda p: bool(p.providers)),
    PageKind(
        "known-problems", "Known problems", "known-problems.md", "known-problems.md", lambda p: bool(p.known_problems)
    ),
    PageKind("status", "Status and maintenance", "status.md", "status.md", lambda p: p.status is not None),
    PageKind("security", "Reporting a vulnerability", "security.md", "security.md", lambda p: p.security is not None),
    PageKind("journeys", "Journeys", "journeys/", "journey.md", lambda p: bool(p.journeys)),
    PageKind("glossary", "Glossary", "glossary.md", "glossary.md", lambda p: bool(p.glossary)),
    PageKind("changes", "Policy changes", "changes.md", "changes.md", lambda p: bool(p.changelog)),
    PageKind("data", "Policies as data", "data.md", "data.md", lambda p: True),
    PageKind("rules", "Policy checks", "rules.md", "rules.md", lambda p: True),
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
