"""Every file a policy set adds to a site: pages, ticket downloads, data and calendars.

The MkDocs plugin adds these files in memory; ``support-policies export`` writes them
to a folder. Both place them below the same section folder (``support/`` by default), and
both hand :func:`site_files` the renderer whose pages it lists.
"""

from __future__ import annotations

import json
from collections.abc import Collection, Iterable, Iterator
from dataclasses import dataclass
from datetime import date
from importlib import resources
from typing import Protocol

from .. import calendar, i18n
from ..collector import paused
from ..i18n import _
from ..mdtext import PAGE, escape
from ..model import PolicySet
from ..pages import DEFAULT_PAGES, PAGES, GeneratedPage
from ..validate import SCHEMA_FILES, schema_text
from .calendars import CALENDARS_PATH, calendars_json
from .data import DATA_PATH, SCHEMA_FOLDER, export_json
from .feed import FEED_PATH, atom_feed
from .ical import calendar_path, schedule_calendar
from .tickets import TICKET_FORMATS

STYLESHEET = "assets/support-policies.css"
"""The styles of the pages and fragments; a site lists it in ``extra_css``."""
SCRIPT = "assets/support-policies.js"
"""The deadline calculator and "open now" badges; the plugin lists it in ``extra_javascript``."""


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
    """What :func:`site_files` needs of the renderer it is given: the policy set, its language and its pages.

    A :class:`support_policies.render.Renderer` is one. The pages link to the downloads made
    here, so ``render`` imports ``exports`` and never the other way round.
    """

    @property
    def policy(self) -> PolicySet: ...

    @property
    def base_url(self) -> str: ...

    @property
    def language(self) -> i18n.Language: ...

    def pages(self, only: Collection[str] = DEFAULT_PAGES) -> list[GeneratedPage]: ...


def build_date() -> date:
    """The date a build is made on (UTC): from SOURCE_DATE_EPOCH when set, for reproducible builds."""
    return calendar.now().date()


def site_files(renderer: Pages, pages: Collection[str] = DEFAULT_PAGES, today: date | None = None) -> list[SiteFile]:
    """The renderer's pages in navigation order, the stylesheet, then the files the pages link
    to (each kind only with its page). The cyclic garbage collector is paused meanwhile
    (see :func:`support_policies.collector.paused`)."""
    with i18n.use(renderer.language), paused():
        return _site_files(renderer, pages, today or build_date())


def _site_files(renderer: Pages, pages: Collection[str], today: date) -> list[SiteFile]:
    policy = renderer.policy
    files = [SiteFile(page.path, page.markdown.encode("utf-8"), page.title) for page in renderer.pages(pages)]
    files.append(SiteFile(STYLESHEET, resources.files("support_policies").joinpath(STYLESHEET).read_bytes()))
    files.append(SiteFile(SCRIPT, resources.files("support_policies").joinpath(SCRIPT).read_bytes()))
    files.append(SiteFile(CALENDARS_PATH, calendars_json(policy, today).encode("utf-8")))
    written = {file.path for file in files}
    if "tickets.md" in written:
        for template in policy.ticket_templates:
            for fmt in TICKET_FORMATS:
                files.append(SiteFile(fmt.path(template.id), fmt.render(template, policy).encode("utf-8")))
    if "changes.md" in written:
        files.append(SiteFile(FEED_PATH, atom_feed(policy, renderer.base_url).encode("utf-8")))
    if "data.md" in written:
        schema = renderer.base_url + SCHEMA_FOLDER + "export.schema.json" if renderer.base_url else None
        files.append(SiteFile(DATA_PATH, export_json(policy, today, schema).encode("utf-8")))
        for schedule in policy.schedules:
            files.append(SiteFile(calendar_path(schedule.id), schedule_calendar(schedule, policy, today)))
        for name in SCHEMA_FILES:
            files.append(SiteFile(SCHEMA_FOLDER + name, published_schema(name, renderer.base_url).encode("utf-8")))
    return files


def published_schema(name: str, base_url: str) -> str:
    """A JSON Schema as the site publishes it: the shipped file, with its published address as
    ``$id`` right after ``$schema``, so that ``$ref: policy.schema.json`` finds the file published
    beside it. Without a known address there is no ``$id``, and a reference resolves beside the
    file it is read from."""
    text = schema_text(name)
    if not base_url:
        return text
    opening, declaration, rest = text.split("\n", 2)
    address = json.dumps(base_url + SCHEMA_FOLDER + name, ensure_ascii=False)
    return f'{opening}\n{declaration}\n  "$id": {address},\n{rest}'


NavEntry = tuple[str, "str | list[NavEntry]"]
"""A title and a page's path below the section folder, or a title and the entries of a section."""


def navigation(files: Iterable[SiteFile]) -> list[NavEntry]:
    """The pages among ``files`` as the section's navigation: in order, each page kind whose
    file name is a folder (the journeys) as a section of its own, titled by its kind."""
    folders = {kind.filename: _(kind.title) for kind in PAGES if kind.filename.endswith("/")}
    entries: list[NavEntry] = []
    sections: dict[str, list[NavEntry]] = {}
    for file in files:
        if not file.is_page:
            continue
        folder = file.path.split("/", 1)[0] + "/" if "/" in file.path else ""
        if folder not in folders:
            entries.append((file.title, file.path))
            continue
        if folder not in sections:
            sections[folder] = []
            entries.append((folders[folder], sections[folder]))
        sections[folder].append((file.title, file.path))
    return entries


def literate_nav(files: Iterable[SiteFile]) -> str:
    """:func:`navigation` as a Markdown list, the nav file format of mkdocs-literate-nav, which
    Zensical reads too: a site's nav that lists the section folder takes its pages from it."""

    def lines(entries: list[NavEntry], depth: int) -> Iterator[str]:
        for title, target in entries:
            text = escape(title, PAGE)
            if isinstance(target, str):
                yield f"{'    ' * depth}* [{text}]({target})"
            else:
                yield f"{'    ' * depth}* {text}"
                yield from lines(target, depth + 1)

    return "\n".join(lines(navigation(files), 0)) + "\n"
