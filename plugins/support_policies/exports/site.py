"""Every file a policy set adds to a site: pages, ticket downloads, data and calendars.

The MkDocs plugin adds these files in memory; ``support-policies export`` writes them
to a folder. Both place them below the same section folder (``support/`` by default), and
both hand :func:`site_files` the renderer whose pages it lists.
"""

from __future__ import annotations

import json
from collections.abc import Collection
from dataclasses import dataclass
from datetime import date
from importlib import resources
from typing import Protocol

from .. import calendar
from ..model import PolicySet
from ..pages import DEFAULT_PAGES, GeneratedPage
from ..validate import SCHEMA_FILES, load_schema
from .data import DATA_PATH, export_json
from .ical import calendar_path, schedule_calendar
from .tickets import TICKET_FORMATS

SCHEMA_FOLDER = "schema/1/"
"""Where the JSON Schemas are published, so ``$schema`` lines can point at the site."""
STYLESHEET = "assets/support-policies.css"
"""The styles of the pages and fragments; a site lists it in ``extra_css``."""


@dataclass(frozen=True)
class SiteFile:
    """A file below the section folder: its '/'-separated path, content, and a page's title."""

    path: str
    content: bytes
    title: str = ""

    @property
    def is_page(self) -> bool:
        return self.path.endswith(".md")


class Pages(Protocol):
    """What :func:`site_files` needs of the renderer it is given: the policy set, and its pages.

    A :class:`support_policies.render.Renderer` is one. The pages link to the downloads made
    here, so ``render`` imports ``exports`` and never the other way round.
    """

    @property
    def policy(self) -> PolicySet: ...

    def pages(self, only: Collection[str] = DEFAULT_PAGES) -> list[GeneratedPage]: ...


def build_date() -> date:
    """The date a build is made on (UTC): from SOURCE_DATE_EPOCH when set, for reproducible builds."""
    return calendar.now().date()


def site_files(renderer: Pages, pages: Collection[str] = DEFAULT_PAGES, today: date | None = None) -> list[SiteFile]:
    """The renderer's pages in navigation order, the stylesheet, then the files the pages link
    to (each kind only with its page)."""
    today = today or build_date()
    policy = renderer.policy
    files = [SiteFile(page.path, page.markdown.encode("utf-8"), page.title) for page in renderer.pages(pages)]
    files.append(SiteFile(STYLESHEET, resources.files("support_policies").joinpath(STYLESHEET).read_bytes()))
    written = {file.path for file in files}
    if "tickets.md" in written:
        for template in policy.ticket_templates:
            for fmt in TICKET_FORMATS:
                files.append(SiteFile(fmt.path(template.id), fmt.render(template, policy).encode("utf-8")))
    if "data.md" in written:
        files.append(SiteFile(DATA_PATH, export_json(policy, today).encode("utf-8")))
        for schedule in policy.schedules:
            files.append(SiteFile(calendar_path(schedule.id), schedule_calendar(schedule, policy, today)))
        for name in SCHEMA_FILES:
            text = json.dumps(load_schema(name), indent=2, ensure_ascii=False) + "\n"
            files.append(SiteFile(SCHEMA_FOLDER + name, text.encode("utf-8")))
    return files
