"""Rendering the pages a policy set calls for."""

from __future__ import annotations

from collections.abc import Callable, Collection
from typing import TYPE_CHECKING

from ..i18n import _
from ..pages import DEFAULT_PAGES, PAGES, GeneratedPage
from .renderer import Renderer
from .text import nav_title

if TYPE_CHECKING:
    from ..rules.base import Rule


def render_pages(renderer: Renderer, only: Collection[str] = DEFAULT_PAGES) -> list[GeneratedPage]:
    """Every page the policy set calls for, in navigation order."""
    policy = renderer.policy
    enabled = {kind.id: kind.filename for kind in PAGES if kind.id in only and kind.wanted(policy)}

    def linker(prefix: str) -> Callable[[str], str | None]:
        return lambda page_id: prefix + enabled[page_id] if page_id in enabled else None

    pages: list[GeneratedPage] = []
    for kind in PAGES:
        if kind.id not in only or not kind.wanted(policy):
            continue
        if kind.filename.endswith("/"):
            for journey in policy.journeys:
                pages.append(
                    GeneratedPage(
                        f"{kind.filename}{journey.id}.md",
                        nav_title(journey.title),
                        renderer.page(kind.template, title=journey.title, journey=journey, page_link=linker("../")),
                    )
                )
        else:
            extra = {"rules": _rule_classes()} if kind.id == "rules" else {}
            title = _(kind.title)
            pages.append(
                GeneratedPage(
                    kind.filename, title, renderer.page(kind.template, title=title, page_link=linker(""), **extra)
                )
            )
    return pages


def _rule_classes() -> tuple[type[Rule], ...]:
    from ..rules import ALL_RULES

    return ALL_RULES
