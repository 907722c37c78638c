"""The Jinja2 environment shared by generated pages and Markdown-extension blocks."""

from __future__ import annotations

import functools
import hashlib
from collections.abc import Collection, Mapping
from datetime import date
from pathlib import Path
from typing import Any

import jinja2
from markupsafe import Markup, escape

from .. import __version__, calendar, i18n, wallclock, wording
from ..effective import in_force
from ..exports.data import DATA_PATH, SCHEMA_FOLDER
from ..exports.feed import FEED_PATH
from ..exports.feedback import RATINGS, answer_link
from ..exports.ical import calendar_path
from ..exports.mailto import compose
from ..exports.tickets import TICKET_FORMATS
from ..gate import SETTINGS_FILE
from ..mdtext import code_span
from ..model import PROMISE_KINDS, Channel, Duration, PolicySet, Promise, clock_rules
from ..pages import DEFAULT_PAGES, GeneratedPage
from ..sanitize import allowed_url, unstash
from .icons import channel_icon, named_icon
from .text import PolicyText, email_link, markdown_escape, one_block

FRAGMENTS = {
    "tier-matrix": "Every tier against every severity, for one kind of promise.",
    "tier-targets": "One tier's targets, severity by severity (needs tier=ID).",
    "severities": "The severity levels with definitions and examples.",
    "channels": "Every contact channel as a card.",
    "channel": "One contact channel as a card (needs channel=ID).",
    "ticket-fields": "A ticket template's fields, in order (needs template=ID).",
    "journey": "A journey's steps, guides and tiles, help hub, checklist and common questions (needs journey=ID).",
    "hours": "Every schedule's opening hours, holidays and maintenance windows.",
    "deadline-calculator": "When will I hear back? Due times for a filing time the reader picks (optionally tier=ID).",
}
"""Fragments a writer can place in a page, with what each shows."""


_ENVIRONMENT: dict[str, Any] = {
    "autoescape": True,
    "undefined": jinja2.StrictUndefined,
    "trim_blocks": True,
    "lstrip_blocks": True,
    "keep_trailing_newline": True,
    "extensions": ["jinja2.ext.do", "jinja2.ext.i18n"],
    # Nothing is folded at compile time (Jinja would call a filter such as md on a constant,
    # with this renderer's glossary): a compiled template holds no policy set's values, so
    # the next build may load it from the cache.
    "optimized": False,
}
_NEWSTYLE_GETTEXT = False


class _CompiledTemplates(jinja2.FileSystemBytecodeCache):
    """Templates compiled by an earlier run, in Jinja's per-user temporary folder.

    Jinja keys a template by its name, file and source; the key here also names the
    environment's options and this package's version, which the compiled code depends on.
    """

    environment = hashlib.sha1(f"{_ENVIRONMENT!r} {_NEWSTYLE_GETTEXT} {__version__}".encode()).hexdigest()

    def get_cache_key(self, name: str, filename: str | None = None) -> str:
        return hashlib.sha1(f"{super().get_cache_key(name, filename)} {self.environment}".encode()).hexdigest()


@functools.cache
def _compiled_templates() -> jinja2.BytecodeCache | None:
    """The cache of compiled templates; None where no private temporary folder can be made for
    it (then every run compiles the templates, as without a cache)."""
    try:
        return _CompiledTemplates(pattern="support-policies-%s.cache")
    except (OSError, RuntimeError):
        return None


class TemplateProblem(Exception):
    """A template that cannot be rendered; the message names its file and line."""


def _problem(exc: Exception, name: str) -> TemplateProblem:
    """Where in which template ``exc`` happened, read from Jinja's rewritten traceback."""
    where = f"{getattr(exc, 'filename', None) or name}:{getattr(exc, 'lineno', None) or '?'}"
    if not isinstance(exc, jinja2.TemplateSyntaxError):
        tb = exc.__traceback__
        while tb is not None:
            filename = tb.tb_frame.f_code.co_filename
            if filename.endswith((".md", ".html")):
                where = f"{filename}:{tb.tb_lineno}"
            tb = tb.tb_next
    message = getattr(exc, "message", None) or str(exc)
    if not isinstance(exc, jinja2.TemplateError):
        message = f"{type(exc).__name__}: {message}"
    return TemplateProblem(f"{where}: {message}")


class Renderer:
    """Renders fragments and pages for one policy set.

    ``templates`` is a folder whose files override the shipped templates of the same
    name (``fragments/tier-matrix.html``, ``pages/plans.md``, …). ``base_url`` is the
    published address of the section folder, when known, for links meant to be copied.
    ``language`` is the language of every generated word (see :mod:`support_policies.i18n`);
    the policy text is as the writer gave it for that language.
    """

    def __init__(
        self,
        policy: PolicySet,
        templates: str | Path | None = None,
        base_url: str = "",
        language: i18n.Language | None = None,
    ):
        policy = in_force(policy, calendar.now().date())  # announced changes due by the build date apply
        self.policy = policy
        self.language = language or i18n.language(i18n.SOURCE)
        self.base_url = base_url.rstrip("/") + "/" if base_url else ""
        """The published address of the section folder, ending in '/', or "" when unknown."""
        glossary = {}
        for term in policy.glossary:
            for name in (term.term, *term.aliases):
                glossary[unstash(name)] = unstash(term.definition)
        self.glossary = glossary
        self._wall_clocks: dict[tuple[str, Duration, str, date], tuple[str, ...]] = {}
        self.text = PolicyText(glossary)
        by_lower_case = {name.lower(): text for name, text in glossary.items()}
        loaders: list[jinja2.BaseLoader] = []
        if templates:
            loaders.append(jinja2.FileSystemLoader(str(templates)))
        loaders.append(jinja2.PackageLoader("support_policies", "templates"))
        env = jinja2.Environment(
            loader=jinja2.ChoiceLoader(loaders), bytecode_cache=_compiled_templates(), **_ENVIRONMENT
        )
        env.install_gettext_callables(  # type: ignore[attr-defined]  # added by jinja2.ext.i18n
            gettext=_markup_gettext, ngettext=_markup_ngettext, newstyle=_NEWSTYLE_GETTEXT
        )
        env.filters.update(
            md=self.text.block,
            sentence=lambda text: text[:1].upper() + text[1:],
            code=self.text.code,
            mdi=self.text.inline,
            heading=lambda text: Markup(markdown_escape(text)),
            verbatim=lambda text: Markup(code_span(str(text))),
            promise=lambda p, kind="": wording.promise(policy, p, kind),
            listing=lambda items: Markup(wording.listing([escape(item) for item in items])),
            within=wording.within,
            period=wording.period,
            duration=wording.duration,
            days=wording.days,
            hhmm=wording.hhmm,
            safe_url=lambda url: url if allowed_url(url) else "",
            email=email_link,
        )
        env.globals.update(
            policy=policy,
            language=self.language.tag.split("-")[0],
            fragment=self.fragment,
            wording=wording,
            clock_name=lambda clock: wording.clock_name(policy, clock),
            round_the_clock=lambda clock: wording.is_round_the_clock(policy, clock),
            promise_name=wording.promise_name,
            promise_kinds_all=PROMISE_KINDS,
            address_label=wording.address_label,
            obtained=wording.obtained,
            uptime_sentence=lambda period, target, excludes: escape(wording.uptime(period, target, excludes)),
            md_link=md_link,
            html_link=html_link,
            md_autolink=lambda url: Markup("<{}>").format(url),
            otherwise=lambda tier, kind, p: wording.otherwise(policy, tier, kind, p),
            staffing=lambda tier: wording.staffing(policy, tier),
            clock_rules=lambda tier: clock_rules(policy, tier),
            promise_kinds=[
                kind
                for kind in PROMISE_KINDS
                if any(getattr(t, kind) for tier in policy.tiers for t in tier.targets.values())
            ],
            page_link=lambda page_id: None,
            definition=lambda term: by_lower_case.get(term.lower(), ""),
            channel_icon=channel_icon,
            urgent_first=lambda: urgent_first(policy),
            named_icon=named_icon,
            anchor=lambda id_: Markup("{#" + id_ + "}"),
            ticket_formats=TICKET_FORMATS,
            compose=lambda channel: compose(channel, policy),
            ratings=RATINGS,
            feedback_link=answer_link,
            data_path=DATA_PATH,
            feed_path=FEED_PATH,
            schema_folder=SCHEMA_FOLDER,
            settings_file=SETTINGS_FILE,
            calendar_path=calendar_path,
            base_url=self.base_url,
            wall_clock=self._wall_clock,
        )
        self.env = env

    def _wall_clock(self, promise: Promise, starts: str = "created") -> tuple[str, ...]:
        """The sentences saying when a business-hours promise falls due (none on a clock that never
        closes), worked out once per clock and duration: many tiers and pages share them."""
        today = calendar.now().date()
        key = (promise.clock, promise.within.max, starts, today)
        if key not in self._wall_clocks:
            found = wallclock.wall_clock(self.policy, promise, today)
            self._wall_clocks[key] = tuple(wallclock.sentences(found, starts == "confirmed")) if found else ()
        return self._wall_clocks[key]

    def pages(self, only: Collection[str] = DEFAULT_PAGES) -> list[GeneratedPage]:
        """Every page of ``only`` the policy set calls for, in navigation order."""
        from .pages import render_pages

        with i18n.use(self.language):
            return render_pages(self, only)

    def fragment(self, name: str, **params: object) -> Markup:
        """One fragment as a single raw-HTML block, ready to drop into Markdown."""
        if name not in FRAGMENTS:
            raise KeyError(name)
        with i18n.use(self.language):
            return Markup(one_block(self._render(f"fragments/{name}.html", params)))

    def page(self, template: str, *, title: str, **params: object) -> str:
        """A generated page's Markdown, ending in the "Was this page useful?" rating when the
        organization says where its answers go."""
        with i18n.use(self.language):
            markdown = self._render(f"pages/{template}", {"title": title, **params})
            organization = self.policy.organization
            if organization is None or organization.feedback is None:
                return markdown
            rating = self._render("fragments/feedback.html", {"page": title})
        return f"{markdown.rstrip()}\n\n{one_block(rating)}\n"

    def _render(self, name: str, params: Mapping[str, object]) -> str:
        """A template's output; it goes to Markdown, so without STX/ETX (see ``unstash``)."""
        try:
            return unstash(self.env.get_template(name).render(**params))
        except TemplateProblem:
            raise
        except Exception as exc:  # a writer's template override can fail in any way
            raise _problem(exc, name) from None


def _markup_gettext(message: str, /, **values: object) -> Markup:
    """Templates' ``_``: the translation, HTML-escaped, its placeholders filled with escaped values."""
    text = Markup(escape(i18n.translate(message)))
    return text.format(**values) if values else text


def _markup_ngettext(singular: str, plural: str, n: int, /, **values: object) -> Markup:
    """Templates' ``ngettext``: like ``_``, with ``{n}`` written as the language writes numbers."""
    text = Markup(escape(i18n.translate_plural(singular, plural, n)))
    return text.format(n=i18n.number(n, mark=False), **values)


def md_link(text: str, url: str, attributes: str = "") -> Markup:
    """A Markdown link for a template: ``[text](url)``, then ``attributes`` as the template wrote
    them (an attribute list such as ``{ download }``); text and address are escaped."""
    return Markup("[{}]({}){}").format(text, url, Markup(attributes))


def html_link(text: str, url: str, css_class: str = "") -> Markup:
    """An HTML link for a template, text and address escaped."""
    if css_class:
        return Markup('<a class="{}" href="{}">{}</a>').format(css_class, url, text)
    return Markup('<a href="{}">{}</a>').format(url, text)


def urgent_first(policy: PolicySet) -> list[Channel]:
    """The channels, those kept for the most severe severities first (an emergency line before
    the general ones), the rest in the writer's order."""
    rank = {severity.id: i for i, severity in enumerate(policy.severities)}
    return sorted(policy.channels, key=lambda c: min((rank[s] for s in c.severities if s in rank), default=len(rank)))
