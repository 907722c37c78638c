"""Browser tests: the sample site, built once, served on 127.0.0.1 and driven by Chromium.

* The site is built once per session with ``mkdocs build --strict`` into a temporary folder;
  the list of pages to test is read from that build (every HTML file but 404.html), so new
  pages are tested without editing a list.
* One Chromium (Debian's ``/usr/bin/chromium``; Playwright cannot download browsers here) and
  one browser context per session; every test gets a fresh tab from it (``page``) and a
  :class:`PageLog` of what went wrong in that tab (``page_log``).
* No request may leave 127.0.0.1: any other address is aborted and recorded.

Without Chromium the tests are skipped, unless the ``CI`` variable is set: there a missing
browser is a failure.
"""

from __future__ import annotations

import functools
import os
import shutil
import subprocess
import sys
import tempfile
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import urlsplit

import pytest

from .helpers import HOST, REPO, serving

CHROMIUM = Path("/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--disable-dev-shm-usage",
]
VIEWPORT = {"width": 1280, "height": 900}

A11Y_REPORT = pytest.StashKey[dict]()


def pytest_configure(config):
    config.addinivalue_line("markers", "browser: drives the built sample site in Chromium (tests/browser)")
    config.stash[A11Y_REPORT] = {}


def pytest_runtest_setup(item):
    if item.get_closest_marker("browser") is None or CHROMIUM.exists():
        return
    if os.environ.get("CI"):
        pytest.fail(f"{CHROMIUM} is missing: CI must run the browser tests (apt-get install chromium)", pytrace=False)
    pytest.skip(f"{CHROMIUM} is missing (apt-get install chromium, or ./dev.sh test installs it)")


# --- the site ---------------------------------------------------------------------------------


LANGUAGES = REPO / "examples" / "languages"
"""The example in English and German (mkdocs-static-i18n): its German pages are tested too."""
_SITES = pytest.StashKey[dict]()


def built_site(config: pytest.Config, project: Path = REPO) -> Path:
    """Build a site once per session (``mkdocs build --strict``; the sample unless ``project``
    names another folder with a mkdocs.yml); return its folder.

    Called at collection time too, to list the pages, so a broken build is a collection error
    that shows MkDocs' output.
    """
    sites = config.stash.setdefault(_SITES, {})
    if project not in sites:
        out = Path(tempfile.mkdtemp(prefix="support-site-")) / "site"
        config.add_cleanup(functools.partial(shutil.rmtree, out.parent, ignore_errors=True))
        folder = project if project == REPO else with_sample_theme(project, out.parent / "project")
        env = {**os.environ, "NO_MKDOCS_2_WARNING": "1", "NO_COLOR": "1"}
        done = subprocess.run(
            [sys.executable, "-m", "mkdocs", "build", "--strict", "-d", str(out)],
            cwd=folder,
            env=env,
            capture_output=True,
            text=True,
            timeout=300,
        )
        if done.returncode != 0 or "WARNING" in done.stderr:
            raise RuntimeError(f"mkdocs build --strict failed ({done.returncode}):\n{done.stderr}")
        sites[project] = out
    return sites[project]


def with_sample_theme(example: Path, project: Path) -> Path:
    """A copy of ``example`` with the sample's fixes to the theme (docs/overrides and
    docs/stylesheets/accessibility.css), so that axe judges what the plugin generates, in every
    language, on the same theme as the sample."""
    shutil.copytree(example, project)
    shutil.copytree(REPO / "docs" / "overrides", project / "docs" / "overrides")
    shutil.copytree(REPO / "docs" / "stylesheets", project / "docs" / "stylesheets")
    config = (project / "mkdocs.yml").read_text("utf-8")
    config = config.replace("theme:\n  name: material\n", "theme:\n  name: material\n  custom_dir: docs/overrides\n", 1)
    extra = "exclude_docs: |\n  /overrides/\nextra_css:\n  - stylesheets/accessibility.css\n"
    (project / "mkdocs.yml").write_text(config + extra, "utf-8")
    return project


def site_pages(config: pytest.Config, project: Path = REPO) -> list[str]:
    """Every page of a built site as a URL path relative to the root: "", "support/plans/", …"""
    site = built_site(config, project)
    pages = []
    for html in sorted(site.rglob("*.html")):
        relative = html.relative_to(site).as_posix()
        if relative == "404.html":
            continue
        pages.append(relative.removesuffix("index.html"))
    return pages


def pytest_generate_tests(metafunc):
    """``page_path`` parametrizes a test over every page of the built sample, ``languages_page_path``
    over every page, in both languages, of the two-language example."""
    if "page_path" in metafunc.fixturenames:
        pages = site_pages(metafunc.config)
        metafunc.parametrize("page_path", pages, ids=[p or "home" for p in pages])
    if "languages_page_path" in metafunc.fixturenames:
        pages = site_pages(metafunc.config, LANGUAGES)
        metafunc.parametrize("languages_page_path", pages, ids=[p or "home" for p in pages])


@pytest.fixture(scope="session")
def site_dir(pytestconfig) -> Path:
    """The folder of the built sample site."""
    return built_site(pytestconfig)


@pytest.fixture(scope="session")
def site_url(site_dir):
    """The built site served over HTTP on 127.0.0.1 (a free port); yields its base URL with "/"."""
    with serving(site_dir) as url:
        yield url


@pytest.fixture(scope="session")
def languages_site_dir(pytestconfig) -> Path:
    """The folder of the built two-language example (English at the root, German in de/)."""
    return built_site(pytestconfig, LANGUAGES)


@pytest.fixture(scope="session")
def languages_site_url(languages_site_dir):
    """The two-language example served over HTTP on 127.0.0.1."""
    with serving(languages_site_dir) as url:
        yield url


# --- the browser ------------------------------------------------------------------------------


@pytest.fixture(scope="session")
def playwright_driver():
    from playwright.sync_api import sync_playwright

    driver = sync_playwright().start()
    try:
        yield driver
    finally:
        driver.stop()


@pytest.fixture(scope="session")
def browser(playwright_driver):
    """One headless Chromium for the whole session."""
    chromium = playwright_driver.chromium.launch(executable_path=str(CHROMIUM), headless=True, args=CHROMIUM_ARGS)
    try:
        yield chromium
    finally:
        chromium.close()


def is_external(url: str) -> bool:
    """Whether a request would leave 127.0.0.1 (data: and blob: URLs never do)."""
    parts = urlsplit(url)
    return parts.scheme in ("http", "https", "ws", "wss") and parts.hostname != HOST


@dataclass
class PageLog:
    """What went wrong in one tab: console errors, uncaught errors, failed and external requests."""

    console_errors: list[str] = field(default_factory=list)
    page_errors: list[str] = field(default_factory=list)
    failed_requests: list[str] = field(default_factory=list)
    external_requests: list[str] = field(default_factory=list)

    def problems(self) -> list[str]:
        return (
            [f"console error: {text}" for text in self.console_errors]
            + [f"page error: {text}" for text in self.page_errors]
            + [f"failed request: {text}" for text in self.failed_requests]
            + [f"request leaving {HOST}: {url}" for url in self.external_requests]
        )

    def assert_clean(self) -> None:
        problems = self.problems()
        assert not problems, "\n".join(problems)


class ExternalRequests:
    """Aborts every request that would leave 127.0.0.1 and remembers it for the tab that made it."""

    def __init__(self):
        self.logs: dict = {}

    def handle(self, route, request):
        log = self.logs.get(request.frame.page) if request.frame else None
        if log is not None:
            log.external_requests.append(request.url)
        route.abort("blockedbyclient")


@pytest.fixture(scope="session")
def external_requests():
    return ExternalRequests()


def _new_context(browser, external_requests, **options):
    context = browser.new_context(**{"viewport": VIEWPORT, **options})
    context.route(is_external, external_requests.handle)
    return context


@pytest.fixture(scope="session")
def browser_context(browser, external_requests):
    """The session's browser context (desktop, 1280×900); tests open tabs in it."""
    context = _new_context(browser, external_requests)
    try:
        yield context
    finally:
        context.close()


@pytest.fixture(scope="session")
def new_context(browser, external_requests):
    """``new_context(**options)`` opens another context (e.g. a phone) that also blocks external requests;
    it is closed at the end of the session."""
    contexts = []

    def make(**options):
        context = _new_context(browser, external_requests, **options)
        contexts.append(context)
        return context

    yield make
    for context in contexts:
        context.close()


def theme_sitemap_probe(url: str, status: int) -> bool:
    """Whether a missing ``…/sitemap.xml`` is the theme's language-switcher probe.

    Material for MkDocs fetches ``sitemap.xml`` next to every ``<link rel="alternate">`` to find
    a page's versions; mkdocs-static-i18n makes those links point at the page itself in each
    language, so the theme asks for ``de/support/plans/sitemap.xml``, which no site has. The
    theme ignores the 404 and the switcher still links each page to its other version (tested in
    test_languages). Only that request, and the console line Chromium writes for it, is let pass.
    """
    path = urlsplit(url).path
    return status == 404 and path.endswith("/sitemap.xml") and path != "/sitemap.xml"  # the site's own is there


def watch(page, site_url: str, external_requests: ExternalRequests, log: PageLog | None = None) -> PageLog:
    """Record what goes wrong in ``page`` into ``log`` (a new :class:`PageLog` by default)."""
    log = PageLog() if log is None else log
    external_requests.logs[page] = log
    probes: set[str] = set()

    def on_console(message):
        if message.type == "error":
            where = (message.location or {}).get("url", "")
            if where in probes:
                return
            log.console_errors.append(f"{message.text} ({where})" if where else message.text)

    def on_failed(request):
        if request.url.startswith(site_url):
            log.failed_requests.append(f"{request.url}: {request.failure}")

    def on_response(response):
        if response.url.startswith(site_url) and response.status >= 400:
            if theme_sitemap_probe(response.url, response.status):
                probes.add(response.url)
                return
            log.failed_requests.append(f"{response.url}: HTTP {response.status}")

    page.on("console", on_console)
    page.on("pageerror", lambda error: log.page_errors.append(str(error)))
    page.on("requestfailed", on_failed)
    page.on("response", on_response)
    page.on("close", lambda closed: external_requests.logs.pop(closed, None))
    return log


@pytest.fixture(scope="session")
def watch_page(site_url, external_requests):
    """``watch_page(tab)`` records what goes wrong in a tab opened by the test; returns its PageLog."""
    return functools.partial(watch, site_url=site_url, external_requests=external_requests)


@pytest.fixture
def page_log() -> PageLog:
    """What went wrong in this test's ``page``."""
    return PageLog()


@pytest.fixture
def page(browser_context, site_url, external_requests, page_log):
    """A fresh tab in the session's context; what goes wrong in it is recorded in ``page_log``."""
    tab = browser_context.new_page()
    watch(tab, site_url, external_requests, page_log)
    try:
        yield tab
    finally:
        tab.close()


@pytest.fixture(scope="session")
def a11y_report(pytestconfig) -> dict:
    """axe findings that do not fail the run, printed at its end (see test_accessibility):
    (rule, impact, where, help) → {"pages": set of pages, "targets": set of selectors, "note": str}."""
    return pytestconfig.stash[A11Y_REPORT]


def pytest_terminal_summary(terminalreporter, config):
    report = config.stash.get(A11Y_REPORT, {})
    if not report:
        return
    terminalreporter.write_sep("-", "axe: findings that do not fail the run")
    for (rule, impact, where, help_text), seen in sorted(report.items()):
        note = f" [allowed: {seen['note']}]" if seen.get("note") else ""
        terminalreporter.write_line(f"{rule} ({impact}, {where}): {help_text}{note}")
        terminalreporter.write_line(f"    on {len(seen['pages'])} page(s): {', '.join(sorted(seen['pages']))}")
        for target in sorted(seen["targets"])[:3]:
            terminalreporter.write_line(f"    e.g. {target}")
