"""MkDocs plugin ``support-policies``: thin glue between MkDocs events and the core."""

from __future__ import annotations

import html
import logging
import posixpath
import re
from pathlib import Path
from typing import TYPE_CHECKING, Any, Literal
from urllib.parse import unquote, urlsplit

from mkdocs.config import base
from mkdocs.config import config_options as c
from mkdocs.config.defaults import MkDocsConfig
from mkdocs.exceptions import PluginError
from mkdocs.plugins import BasePlugin, CombinedEvent, event_priority
from mkdocs.structure.files import File, Files
from mkdocs.structure.nav import Navigation
from mkdocs.structure.pages import Page

from . import i18n
from .exports.site import SCRIPT, STYLESHEET, NavEntry, SiteFile, navigation, site_files
from .gate import SettingsError, fails, settings_file
from .markdown import BLOCK, PolicyBlocksExtension, PolicyError, parse_block
from .pages import DEFAULT_PAGES, PAGE_IDS, PAGES
from .policyset import discover, load_policies
from .render import Renderer, TemplateProblem
from .reporters.as_text import render_text
from .reporters.escape import printable

if TYPE_CHECKING:  # serving only: a build does not import the server and its file watcher
    from mkdocs.livereload import LiveReloadServer
    from watchdog.events import FileSystemEvent

log = logging.getLogger("mkdocs.plugins.support_policies")

REQUIRED_EXTENSIONS: dict[str, dict[str, Any]] = {
    "abbr": {},
    "admonition": {},
    "attr_list": {},
    "tables": {},
    "toc": {},
    "pymdownx.superfences": {},
    "pymdownx.tabbed": {"alternate_style": True},
}


class SupportPoliciesConfig(base.Config):  # type: ignore[no-untyped-call]
    policies = c.Type(str, default="policies")
    """Folder of policy YAML files, relative to mkdocs.yml."""
    path = c.Type(str, default="support")
    """Folder of the generated pages inside the site."""
    section = c.Optional(c.Type(str))
    """Title of the nav section holding the generated pages (default: "Support", in the site's language)."""
    language = c.Optional(c.Type(str))
    """Language of the generated words ("de"); default: the language mkdocs-static-i18n is building,
    else ``theme.language``, else English."""
    locale = c.Optional(c.Type(str))
    """Babel locale for dates, times and numbers ("en_US", "de_AT"); default: the language's own."""
    pages = c.ListOfItems(c.Choice(PAGE_IDS), default=list(DEFAULT_PAGES))
    """Which pages to generate (each only when the policies have its content); add "rules" for the rule reference."""
    templates = c.Optional(c.Type(str))
    """Folder of templates overriding the shipped ones, relative to mkdocs.yml."""
    settings = c.Optional(c.Type(str))
    """Settings file with rule levels, relative to mkdocs.yml (default: support-policies.yaml when it exists)."""
    fail_on = c.Choice(("error", "warning"), default="error")
    """Fail the build on errors only, or on warnings too."""


class SupportPoliciesPlugin(BasePlugin[SupportPoliciesConfig]):  # type: ignore[no-untyped-call]
    def __init__(self) -> None:
        self.serving = False
        self.problems = ""
        """While serving: the report of policies that do not pass the gate ("" when they do)."""
        self.renderer: Renderer | None = None
        self.blocks: dict[str, str] = {}
        """This build's blocks, by their text, as rendered to check them: the extension reuses them."""
        self.files: list[SiteFile] = []
        self.pages: list[SiteFile] = []
        self.policies_dir = Path("policies")
        self.inputs: list[Path] = []
        """Every file the pages depend on besides their own source: policies, settings, templates."""
        self.language = i18n.language(i18n.SOURCE)
        self.languages: SiteLanguages | None = None
        """The languages mkdocs-static-i18n builds, when it does (one build per language)."""
        self.nav_section: dict[str, Any] | None = None

    def on_startup(self, *, command: Literal["build", "gh-deploy", "serve"], dirty: bool) -> None:
        self.serving = command == "serve"

    def on_config(self, config: MkDocsConfig) -> MkDocsConfig:
        root = Path(config.config_file_path or ".").parent
        self.languages = SiteLanguages.of(config)
        tag = (
            self.config.language
            or (self.languages.current if self.languages else None)
            or str(config.theme.get("language") or i18n.SOURCE)
        )
        try:
            self.language = i18n.language(tag, self.config.locale)
        except i18n.UnknownLanguage as exc:
            raise PluginError(f"support-policies: {exc}") from None
        self.policies_dir = (root / self.config.policies).resolve()
        templates = (root / self.config.templates).resolve() if self.config.templates else None
        if templates and not templates.is_dir():
            raise PluginError(
                f"support-policies: templates folder not found: {self.config.templates} "
                f"(relative to {Path(config.config_file_path or 'mkdocs.yml').name})"
            )
        config.watch.append(str(self.policies_dir))
        if templates:
            config.watch.append(str(templates))
        try:
            settings = settings_file(self.config.settings, root)
        except SettingsError as exc:
            raise PluginError(f"support-policies: settings: {exc}") from None
        if settings:
            config.watch.append(str(settings))
        result = load_policies([self.policies_dir], settings, self.language.tag)
        self.inputs = discover([self.policies_dir])[0] + ([settings] if settings else [])
        if templates:
            self.inputs += [path for path in templates.rglob("*") if path.is_file()]

        self.problems = ""
        if result.policy is None or fails(result.findings, strict=self.config.fail_on == "warning"):
            report = render_text(result.findings, result.sources())
            message = f"support-policies: the policies in {self.config.policies} have problems:\n\n{report}"
            if not self.serving:
                raise PluginError(message)
            # While serving, every page shows the findings instead of a reload that never comes.
            log.error(message)
            self.problems = report
            self.files = self.pages = [
                SiteFile(kind.filename, b"", kind.title)
                for kind in PAGES
                if kind.id in self.config.pages and kind.filename.endswith(".md")
            ]
            self._add_extensions(config)
            return config
        for finding in result.findings:
            log.warning(
                "%s: %s [%s]%s",
                printable(finding.location),
                printable(finding.message),
                printable(finding.rule),
                f" ({printable(finding.hint)})" if finding.hint else "",
            )

        self.renderer = Renderer(result.policy, templates, base_url=self._base_url(config), language=self.language)
        try:
            self.files = site_files(self.renderer, self.config.pages)
        except TemplateProblem as exc:
            raise PluginError(f"support-policies: a template cannot be rendered: {exc}") from None
        self.pages = [file for file in self.files if file.is_page]
        # This build's copies: with a build per language, the script reads that language's data.
        uris = (self._uri(STYLESHEET), self._uri(SCRIPT))
        folders = {self.languages.folder(language) for language in self.languages.built} if self.languages else {""}
        ours = {folder + uri for folder in folders for uri in uris}
        config.extra_css[:] = [entry for entry in config.extra_css if entry not in ours]
        config.extra_javascript[:] = [entry for entry in config.extra_javascript if str(entry) not in ours]
        config.extra_css.insert(0, self._language_folder() + self._uri(STYLESHEET))
        config.extra_javascript.insert(0, c.ExtraScriptValue(self._language_folder() + self._uri(SCRIPT)))
        self._add_extensions(config)
        if config.nav is not None:  # a build per language: this build's section replaces the last one's
            if self.nav_section is not None and self.nav_section in config.nav:
                config.nav.remove(self.nav_section)
            self.nav_section = None
            if not self._nav_mentions_pages(config.nav):
                self.nav_section = {self._section_title(): self._nav_entries()}
                config.nav.append(self.nav_section)
        return config

    def _section_title(self) -> str:
        with i18n.use(self.language):
            return self.config.section or i18n.gettext("Support")

    def on_serve(self, server: LiveReloadServer, *, config: MkDocsConfig, builder: Any) -> LiveReloadServer:
        """Watch the folder holding the policies too: a watch ends when its folder is deleted, and
        would never see the folder made again (``git checkout``, ``rm -r`` and restore)."""
        from watchdog.events import FileSystemEventHandler

        policies = str(self.policies_dir)

        def rewatch(event: FileSystemEvent) -> None:
            if (
                Path(str(event.src_path)) != self.policies_dir
                and Path(str(getattr(event, "dest_path", "") or "/")) != self.policies_dir
            ):
                return
            if policies in getattr(server, "_watched_paths", {}):
                server.unwatch(policies)
            if self.policies_dir.is_dir():
                server.watch(policies)
            _request_rebuild(server)

        handler = FileSystemEventHandler()
        handler.on_any_event = rewatch  # type: ignore[method-assign]
        server.observer.schedule(handler, str(self.policies_dir.parent), recursive=False)
        return server

    def _add_extensions(self, config: MkDocsConfig) -> None:
        names = config.markdown_extensions
        for name, options in REQUIRED_EXTENSIONS.items():
            if name not in names:
                names.append(name)
                config.mdx_configs.setdefault(name, options)
        # One blocks extension, sharing this build's policies instead of loading them again.
        config.markdown_extensions = [e for e in names if e != "support_policies.markdown"]
        config.mdx_configs.pop("support_policies.markdown", None)
        if self.renderer is not None:
            self.blocks = {}
            extension = PolicyBlocksExtension(renderer=self.renderer, rendered=self.blocks)
            config.markdown_extensions.append(extension)  # type: ignore[arg-type]  # an Extension instance is allowed

    def _base_url(self, config: MkDocsConfig) -> str:
        """The published address of the section folder, when the site has a ``site_url``."""
        if not config.site_url:
            return ""
        return config.site_url.rstrip("/") + "/" + self._language_folder() + self._uri("")

    def _language_folder(self) -> str:
        """ "de/" while mkdocs-static-i18n builds a language other than its default, else ""."""
        return self.languages.folder(self.languages.current) if self.languages else ""

    def _uri(self, path: str) -> str:
        """Where a file below the section folder sits in the docs."""
        return f"{self.config.path.strip('/')}/{path}" if self.config.path.strip("/") else path

    def _nav_entries(self) -> list[dict[str, Any]]:
        """The section's navigation (the one ``export --nav`` writes), as MkDocs nav entries."""

        def entries(items: list[NavEntry]) -> list[dict[str, Any]]:
            return [
                {title: self._uri(target) if isinstance(target, str) else entries(target)} for title, target in items
            ]

        with i18n.use(self.language):
            return entries(navigation(self.pages))

    def _nav_mentions_pages(self, nav: list[Any]) -> bool:
        uris = {self._uri(page.path) for page in self.pages}

        def walk(item: object) -> bool:
            if isinstance(item, str):
                return item in uris
            if isinstance(item, dict):
                return any(walk(v) for v in item.values())
            if isinstance(item, list):
                return any(walk(v) for v in item)
            return False

        return walk(nav)

    @event_priority(0)
    def _add_files(self, files: Files, *, config: MkDocsConfig) -> Files:
        return files if self.languages else self._with_files(files, config)

    @event_priority(-110)
    def _add_files_per_language(self, files: Files, *, config: MkDocsConfig) -> Files:
        """With mkdocs-static-i18n, after it has sorted the docs into this build's language (it
        handles only files in the docs folder): the pages in this language, in its folder."""
        return self._with_files(files, config) if self.languages else files

    on_files = CombinedEvent(_add_files, _add_files_per_language)

    def _with_files(self, files: Files, config: MkDocsConfig) -> Files:
        docs = _relative(Path(config.docs_dir), Path(config.config_file_path or ".").parent)
        for file in self.files:  # while serving broken policies: pages that show the findings
            uri = self._uri(file.path)
            if files.get_file_from_path(uri) is not None:
                raise PluginError(
                    f"support-policies: {docs}/{uri} already exists; the plugin generates that file. "
                    f"Remove it or set the plugin's 'path' option."
                )
            generated = File.generated(config, uri, content=file.content)
            if self.languages:
                self.languages.place(generated, config)
            files.append(generated)
        if self.languages:
            self.languages.listed(files)
        # Every page shows the glossary and may embed blocks: with --dirty (and serve --dirtyreload),
        # a page built before the policies last changed is built again.
        changed = max((_mtime(path) for path in self.inputs), default=0.0)
        for page in files.documentation_pages():
            if page.generated_by is None and _mtime(Path(page.abs_dest_path)) < changed:
                page.is_modified = _modified  # type: ignore[method-assign]
        return files

    def on_nav(self, nav: Navigation, *, config: MkDocsConfig, files: Files) -> Navigation:
        """With an automatic nav, put the generated pages in reading order, not A to Z."""
        if config.nav is not None:
            return nav
        order = {self._uri(page.path): i for i, page in enumerate(self.pages)}

        def key(item: Any) -> int:
            file = getattr(item, "file", None)
            if file is not None and file.src_uri in order:
                return order[file.src_uri]
            return len(order)

        for item in nav.items:
            if item.is_section and any(
                getattr(child, "file", None) and child.file.src_uri in order for child in item.children
            ):
                item.children.sort(key=key)
                item.title = self.config.section
        return nav

    def on_page_content(self, output: str, /, *, page: Page, config: MkDocsConfig, files: Files) -> str:
        """Resolve links to pages in policy text as MkDocs resolves them in hand-written pages.

        Policy text is written once and shown on several pages, so its relative links are
        relative to the section folder (``support/``): ``[FAQ](../faq.md)`` is ``faq.md`` at
        the top of the docs. A link to a page that does not exist is a warning, which fails
        ``mkdocs build --strict``.
        """
        output = _SITE_IMAGE.sub(lambda match: self._site_image(match, page, files), output)
        return _PAGE_LINK.sub(lambda match: self._resolve(match, page, files), output)

    def _site_image(self, match: re.Match[str], page: Page, files: Files) -> str:
        """A tile's logo is written from the docs folder (``assets/logo.svg``): its URL from this page."""
        path = html.unescape(match["path"])
        found = files.get_file_from_path(path)
        if found is None:
            log.warning(
                "support-policies: %s shows the logo '%s', which is not a file of the site (logos are "
                "written from the docs folder)",
                printable(page.file.src_uri),
                printable(path),
            )
            return match[0]
        return f'{match["start"]}{html.escape(found.url_relative_to(page.file))}"'

    def _resolve(self, match: re.Match[str], page: Page, files: Files) -> str:
        if "&" not in match["url"] and ".md" not in match["url"].translate(_URL_BREAKS):  # most links: no page
            return match[0]
        parts = urlsplit(html.unescape(match["url"]))
        if parts.scheme or parts.netloc or parts.path.startswith("/") or not parts.path.endswith(".md"):
            return match[0]
        target = posixpath.normpath(posixpath.join(self.config.path.strip("/"), unquote(parts.path)))
        found = files.get_file_from_path(target)
        if found is None or target.startswith("../"):
            if (
                files.get_file_from_path(
                    posixpath.normpath(posixpath.join(posixpath.dirname(page.file.src_uri), unquote(parts.path)))
                )
                is None
            ):
                log.warning(
                    "support-policies: %s links to '%s', which is not a page of the site (links in policy "
                    "text are relative to the '%s' folder)",
                    printable(page.file.src_uri),
                    printable(parts.path),
                    self.config.path,
                )
            return match[0]
        url = found.url_relative_to(page.file) + (f"#{parts.fragment}" if parts.fragment else "")
        return f'{match["attribute"]}="{html.escape(url)}"'

    def on_page_markdown(self, markdown: str, /, *, page: Page, config: MkDocsConfig, files: Files) -> str:
        """Check every ``[[support-policies ...]]`` block first, to fail with the page and line.

        While serving policies that do not pass the gate, every page shows the findings instead.
        """
        if self.problems:
            report = html.escape(self.problems).replace("\n", "&#10;")
            return (
                f"# The support policies have problems\n\n"
                f"Fix them and save: this page reloads when they check clean.\n\n"
                f'<pre class="support-policies-problems">{report}</pre>\n'
            )
        if self.renderer is None:
            return markdown
        blocks = [(number, match) for number, line in enumerate(_lines(markdown), 1) if (match := BLOCK.match(line))]
        for count, (number, match) in enumerate(blocks):
            try:
                name, params = parse_block(match["body"], self.renderer)
                self.blocks[match["body"]] = str(self.renderer.fragment(name, **params))
            except (PolicyError, TemplateProblem) as exc:
                at = _line_in_file(page, count, number)
                raise PluginError(f"support-policies: {page.file.src_uri}:{at}: {exc}") from None
        return markdown


class SiteLanguages:
    """The languages mkdocs-static-i18n builds a site in, one build after the other.

    It sorts only files in the docs folder into languages, so the plugin places its own
    pages: below the language's folder, with the attributes its language switcher reads.
    """

    def __init__(self, plugin: Any):
        self.plugin = plugin

    @classmethod
    def of(cls, config: MkDocsConfig) -> SiteLanguages | None:
        plugin = config.plugins.get("i18n")
        return cls(plugin) if plugin is not None and hasattr(plugin, "build_languages") else None

    @property
    def default(self) -> str:
        return str(self.plugin.default_language)

    @property
    def built(self) -> list[str]:
        return [str(language) for language in self.plugin.build_languages]

    @property
    def current(self) -> str:
        """The language being built; before its first build, the default one."""
        return str(self.plugin.current_language or self.default)

    def folder(self, language: str) -> str:
        """Where a language's pages go in the site: "de/", or "" for the default language."""
        return "" if language == self.default else f"{language}/"

    def place(self, file: File, config: MkDocsConfig) -> None:
        """Move ``file`` to this build's language folder and name its version in every language."""
        alternates = {}
        for language in self.built:
            twin = File.generated(config, file.src_uri, content=b"")
            twin.dest_uri = self.folder(language) + twin.dest_uri
            alternates[language] = twin
        file.dest_uri = self.folder(self.current) + file.dest_uri
        alternates[self.current] = file
        file.locale = file.locale_alternate_of = self.current  # type: ignore[attr-defined]  # read by mkdocs-static-i18n
        file.localization = None  # type: ignore[attr-defined]
        file.norm_src_uri = file.src_uri  # type: ignore[attr-defined]
        file.alternates = alternates  # type: ignore[attr-defined]

    def listed(self, files: Files) -> None:
        """This build's pages, the plugin's included, for the sitemap it writes (the theme reads
        it to find a page's versions; a page missing from it makes the browser ask for others)."""
        self.plugin.i18n_files_per_language[self.current] = files.documentation_pages()


def _lines(text: str) -> list[str]:
    """The lines of a page's Markdown as Python-Markdown reads them (broken at line ends only)."""
    return text.replace("\r\n", "\n").replace("\r", "\n").split("\n")


def _line_in_file(page: Page, count: int, number: int) -> int:
    """The line of the page's file holding its block number ``count`` (from 0): MkDocs hands its
    plugins the page without its front matter, and other plugins may change it; ``number``, the
    line in what they handed on, when the file does not have that many blocks."""
    found = [n for n, line in enumerate(_lines(page.file.content_string), 1) if BLOCK.match(line)]
    return found[count] if count < len(found) else number


def _request_rebuild(server: LiveReloadServer) -> None:
    """Ask MkDocs's live-reload server for a rebuild, as its own file watches do (MkDocs 1.6)."""
    condition = getattr(server, "_rebuild_cond", None)
    if condition is None:
        return
    with condition:
        server._want_rebuild = True
        condition.notify_all()


_URL_BREAKS = str.maketrans("", "", "\t\n\r")
"""What ``urlsplit`` removes from anywhere in an address (as browsers do)."""
_PAGE_LINK = re.compile(r'(?P<attribute>\bhref)="(?P<url>[^"]*)"')
_SITE_IMAGE = re.compile(r'(?P<start><img class="sp-tile-logo" src=")(?P<path>[^"]*)"')
"""A tile's logo as the journey fragment writes it, with its path from the docs folder."""


def _modified() -> bool:
    return True


def _mtime(path: Path) -> float:
    try:
        return path.stat().st_mtime
    except OSError:
        return 0.0


def _relative(path: Path, root: Path) -> str:
    """``path`` as written next to mkdocs.yml, when it is inside that folder."""
    try:
        return path.resolve().relative_to(root.resolve()).as_posix()
    except ValueError:
        return str(path)
