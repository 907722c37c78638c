"""axe-core on the sample site, page by page.

* The content the project renders (the article) must have no serious or critical violation:
  fix it in the templates (plugins/support_policies/templates/) or in
  docs/stylesheets/accessibility.css.
* The whole page, theme included, must have none either, except for the rules listed in
  ALLOWED_THEME_VIOLATIONS, outside the article. The theme's fixes live in docs/overrides/main.html
  and docs/stylesheets/accessibility.css.
* Findings that do not fail (moderate and minor ones, allowed ones) are printed at the end of the
  run under "axe: findings that do not fail the run".

Besides every page as loaded, a few states only reached by interacting are checked: search
results, an open glossary tooltip, phone-sized pages and the phone menu.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

import pytest
from axe_playwright_python.sync_playwright import Axe

from .helpers import PHONE, open_page

pytestmark = pytest.mark.browser

ARTICLE = "article.md-content__inner"
FAILING = ("serious", "critical")

# Theme-level rules (outside the article) that may stay serious or critical: rule id → why.
# Empty: every such violation found on the sample site is fixed by the site's overrides.
ALLOWED_THEME_VIOLATIONS: dict[str, str] = {}

AXE = Axe()
# Axe.run() injects axe-core (0.3 s) before every run; on a page it is already in, skip that.
AXE_AGAIN = Axe(axe_script="void 0")

_INSIDE = """([targets, article]) => targets.map(target => {
    const element = document.querySelector(target[0]);
    return element !== null && element.closest(article) !== null;
})"""


@dataclass(frozen=True)
class Finding:
    rule: str
    impact: str
    help: str
    target: str
    html: str
    in_article: bool

    def __str__(self):
        where = "article" if self.in_article else "theme"
        return f"{self.rule} ({self.impact}, {where}) {self.target}: {self.help}\n    {self.html[:160]}"


# axe measures colours as painted: a fade still running (Material's search output fades in over
# 0.4 s) reads as low contrast, so it waits until no finite animation or transition runs.
_SETTLED = """() => document.getAnimations().every(animation =>
    animation.playState !== 'running' || animation.effect?.getComputedTiming().iterations === Infinity)"""


def run_axe(page, *, article_only: bool = False) -> list[Finding]:
    """axe-core's violations on ``page`` (its article only, or all of it), one per element, once
    every fade and slide has ended."""
    page.wait_for_function(_SETTLED, timeout=10000)
    axe = AXE_AGAIN if page.evaluate("typeof window.axe") == "object" else AXE
    response = axe.run(page, context=ARTICLE if article_only else None).response
    findings = []
    for violation in response["violations"]:
        nodes = violation["nodes"]
        inside = (
            [True] * len(nodes)
            if article_only
            else page.evaluate(_INSIDE, [[node["target"] for node in nodes], ARTICLE])
        )
        for node, in_article in zip(nodes, inside, strict=True):
            findings.append(
                Finding(
                    rule=violation["id"],
                    impact=node.get("impact") or violation["impact"] or "unknown",
                    help=violation["help"],
                    target=" ".join(map(str, node["target"])),
                    html=re.sub(r"\s+", " ", node["html"]),
                    in_article=in_article,
                )
            )
    return findings


def fails(finding: Finding) -> bool:
    if finding.impact not in FAILING:
        return False
    return finding.in_article or finding.rule not in ALLOWED_THEME_VIOLATIONS


def check(findings: list[Finding], where: str, report: dict) -> list[Finding]:
    """The findings that fail; the others go to the end-of-run report."""
    for finding in findings:
        if fails(finding):
            continue
        key = (finding.rule, finding.impact, "article" if finding.in_article else "theme", finding.help)
        seen = report.setdefault(
            key,
            {
                "pages": set(),
                "targets": set(),
                "note": ALLOWED_THEME_VIOLATIONS.get(finding.rule, "") if finding.impact in FAILING else "",
            },
        )
        seen["pages"].add(where)
        seen["targets"].add(finding.target)
    return [finding for finding in findings if fails(finding)]


def message(failures: list[Finding]) -> str:
    return f"{len(failures)} serious or critical axe violation(s):\n" + "\n".join(map(str, failures))


def _scanner(context, watch_page, site_url):
    """``scan(path)`` → (article findings, whole-page findings), one page load per page."""
    done: dict[str, tuple[list[Finding], list[Finding]]] = {}

    def scan(path: str):
        if path not in done:
            tab = context.new_page()
            watch_page(tab)
            try:
                open_page(tab, site_url, path)
                done[path] = (run_axe(tab, article_only=True), run_axe(tab))
            finally:
                tab.close()
        return done[path]

    return scan


@pytest.fixture(scope="module")
def scans(browser_context, watch_page, site_url):
    return _scanner(browser_context, watch_page, site_url)


@pytest.fixture(scope="module")
def dark(new_context):
    """A desktop reader whose system is in dark mode: the sample's palette follows it (slate)."""
    return new_context(color_scheme="dark")


@pytest.fixture(scope="module")
def dark_scans(dark, watch_page, site_url):
    return _scanner(dark, watch_page, site_url)


def test_the_rendered_content_has_no_serious_violations(scans, a11y_report, page_path):
    article, _ = scans(page_path)
    failures = check(article, page_path or "/", a11y_report)
    assert not failures, message(failures)


def test_the_whole_page_has_no_serious_violations_but_the_allowed_ones(scans, a11y_report, page_path):
    _, whole = scans(page_path)
    failures = check(whole, page_path or "/", a11y_report)
    assert not failures, message(failures)


def test_the_whole_page_in_dark_mode_has_no_serious_violations_but_the_allowed_ones(dark_scans, a11y_report, page_path):
    _, whole = dark_scans(page_path)
    failures = check(whole, f"{page_path or '/'} (dark)", a11y_report)
    assert not failures, message(failures)


@pytest.fixture(scope="module")
def languages_scans(browser_context, watch_page, languages_site_url):
    return _scanner(browser_context, watch_page, languages_site_url)


def test_every_page_in_both_languages_has_no_serious_violations(languages_scans, a11y_report, languages_page_path):
    """The two-language example (examples/languages): German pages, their lang attribute, the
    language menu and German text in every generated element, whole page and article."""
    article, whole = languages_scans(languages_page_path)
    where = f"examples/languages/{languages_page_path}"
    failures = check(article, where, a11y_report) + check(whole, where, a11y_report)
    assert not failures, message(failures)


def test_dark_mode_is_the_slate_scheme(dark, watch_page, site_url):
    """The dark scans above really see Material's dark palette."""
    page = dark.new_page()
    watch_page(page)
    try:
        open_page(page, site_url, "")
        assert page.evaluate("document.body.dataset.mdColorScheme") == "slate"
    finally:
        page.close()


# --- states reached by interacting ------------------------------------------------------------


@pytest.fixture(scope="module")
def contexts(browser_context, new_context):
    """The readers the interactive states are seen by: desktop or phone, light or dark."""
    return {
        "desktop": browser_context,
        "phone": new_context(**PHONE),
        "dark": new_context(color_scheme="dark"),
        "dark-phone": new_context(**PHONE, color_scheme="dark"),
    }


def search_results(page, site_url):
    open_page(page, site_url, "")
    query = page.locator("input.md-search__input")
    query.click()
    query.press_sequentially("critical")
    page.locator(".md-search-result__item").first.wait_for(state="visible")


def glossary_tooltip(page, site_url):
    open_page(page, site_url, "support/journeys/connect-accounting/")
    page.locator("article abbr").first.hover()
    page.locator(".md-tooltip2--active[role=tooltip]").wait_for(state="visible")


def phone_menu(page, site_url):
    open_page(page, site_url, "support/tickets/")
    page.locator("label.md-header__button[for=__drawer]").first.click()
    page.locator(".md-sidebar--primary").wait_for(state="visible")  # run_axe waits for the slide


def deadline_calculator(page, site_url):
    open_page(page, site_url, "support/plans/")
    page.wait_for_function("() => document.querySelector('.sp-calculator__result li') !== null")
    page.locator(".sp-calculator select").first.select_option("")  # all plans, side by side
    page.locator(".sp-calculator__result li").nth(2).wait_for()  # one line per plan at least


STATES = {  # name → (reader, how to get there)
    "deadline-calculator": ("desktop", deadline_calculator),
    "phone-deadline-calculator": ("phone", deadline_calculator),
    "search-results": ("desktop", search_results),
    "glossary-tooltip": ("desktop", glossary_tooltip),
    "phone-home": ("phone", lambda page, url: open_page(page, url, "")),
    "phone-plans": ("phone", lambda page, url: open_page(page, url, "support/plans/")),
    "phone-tickets": ("phone", lambda page, url: open_page(page, url, "support/tickets/")),
    "phone-menu": ("phone", phone_menu),
    "dark-deadline-calculator": ("dark", deadline_calculator),
    "dark-search-results": ("dark", search_results),
    "dark-glossary-tooltip": ("dark", glossary_tooltip),
    "dark-phone-home": ("dark-phone", lambda page, url: open_page(page, url, "support/")),
    "dark-phone-plans": ("dark-phone", lambda page, url: open_page(page, url, "support/plans/")),
    "dark-phone-menu": ("dark-phone", phone_menu),
}


@pytest.mark.parametrize("state", list(STATES))
def test_interactive_states_have_no_serious_violations_but_the_allowed_ones(
    state, contexts, watch_page, site_url, a11y_report
):
    reader, reach = STATES[state]
    page = contexts[reader].new_page()
    watch_page(page)
    try:
        reach(page, site_url)
        failures = check(run_axe(page), f"[{state}]", a11y_report)
    finally:
        page.close()
    assert not failures, message(failures)
