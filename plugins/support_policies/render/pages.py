"""Which pages a policy set generates, and where they go."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Callable

from ..model import PolicySet
from .renderer import Renderer


@dataclass(frozen=True)
class PageKind:
    id: str
    title: str
    filename: str
    template: str
    wanted: Callable[[PolicySet], bool]


@dataclass(frozen=True)
class GeneratedPage:
    """A page to add to the site: its path below the section folder, title and Markdown."""

    path: str
    title: str
    markdown: str


PAGES: tuple[PageKind, ...] = (
    PageKind("get-help", "How to get help", "index.md", "get-help.md", lambda p: bool(p.channels)),
    PageKind("plans", "Support plans", "plans.md", "plans.md", lambda p: bool(p.tiers)),
    PageKind("severities", "Severity levels", "severities.md", "severities.md", lambda p: bool(p.severities)),
    PageKind("tickets", "Filing a ticket", "tickets.md", "tickets.md", lambda p: bool(p.ticket_templates)),
    PageKind("scope", "What support covers", "scope.md", "scope.md", lambda p: p.scope is not None),
    PageKind("retention", "Data retention", "retention.md", "retention.md", lambda p: p.retention is not None),
    PageKind("providers", "Third-party providers", "providers.md", "providers.md", lambda p: bool(p.providers)),
    PageKind("known-problems", "Known problems", "known-problems.md", "known-problems.md",
             lambda p: bool(p.known_problems)),
    PageKind("status", "Status and maintenance", "status.md", "status.md", lambda p: p.status is not None),
    PageKind("security", "Reporting a vulnerability", "security.md", "security.md",
             lambda p: p.security is not None),
    PageKind("journeys", "Journeys", "journeys/", "journey.md", lambda p: bool(p.journeys)),
    PageKind("glossary", "Glossary", "glossary.md", "glossary.md", lambda p: bool(p.glossary)),
    PageKind("data", "Policies as data", "data.md", "data.md", lambda p: True),
    PageKind("rules", "Policy checks", "rules.md", "rules.md", lambda p: True),
)
PAGE_IDS = tuple(kind.id for kind in PAGES)
DEFAULT_PAGES = tuple(page for page in PAGE_IDS if page != "rules")
"""The rule reference is for writers, so a site asks for it by name."""


def render_pages(renderer: Renderer, only=DEFAULT_PAGES) -> list[GeneratedPage]:
    """Every page the policy set calls for, in navigation order."""
    policy = renderer.policy
    enabled = {kind.id: kind.filename for kind in PAGES if kind.id in only and kind.wanted(policy)}

    def linker(prefix: str):
        return lambda page_id: prefix + enabled[page_id] if page_id in enabled else None

    pages: list[GeneratedPage] = []
    for kind in PAGES:
        if kind.id not in only or not kind.wanted(policy):
            continue
        if kind.filename.endswith("/"):
            for journey in policy.journeys:
                pages.append(GeneratedPage(f"{kind.filename}{journey.id}.md", journey.title,
                                           renderer.page(kind.template, journey=journey, page_link=linker("../"))))
        else:
            extra = {"rules": _rule_classes()} if kind.id == "rules" else {}
            pages.append(GeneratedPage(kind.filename, kind.title,
                                       renderer.page(kind.template, title=kind.title, page_link=linker(""), **extra)))
    return pages


def _rule_classes():
    from ..rules import ALL_RULES

    return ALL_RULES
