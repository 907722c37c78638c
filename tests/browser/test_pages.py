"""The sample support site in a real browser: pages load cleanly, the tier matrix shows what
the policies say, glossary tooltips appear, search finds severities; screenshots for review."""

from __future__ import annotations

import re
from pathlib import Path
from urllib.parse import unquote, urlsplit

import pytest

from support_policies import wording
from support_policies.exports import mailto
from support_policies.exports.tickets import TICKET_FORMATS
from support_policies.policyset import load_policies

from .helpers import PHONE, REPO, open_page, words

pytestmark = pytest.mark.browser

SCREENSHOTS = REPO / "screenshots"
SCREENSHOT_PAGES = {  # file name (without .png) → page
    "home": "",
    "support": "support/",
    "support-plans": "support/plans/",
    "support-severities": "support/severities/",
    "support-tickets": "support/tickets/",
    "support-known-problems": "support/known-problems/",
    "support-journey-connect-accounting": "support/journeys/connect-accounting/",
}


@pytest.fixture(scope="module")
def policy():
    result = load_policies([REPO / "policies"])
    assert result.ok, [str(f) for f in result.findings]
    return result.policy


# --- every page ---------------------------------------------------------------------------------


def test_every_page_loads_without_errors_or_external_requests(page, page_log, site_url, page_path):
    open_page(page, site_url, page_path, quiet=True)
    assert page.locator("article.md-content__inner h1").count() == 1, "a page has one title"
    page_log.assert_clean()


# --- the tier matrix --------------------------------------------------------------------------


def expected_matrix_cell(policy, tier, severity) -> str:
    """What a customer should read in the acknowledgement matrix, worded from the model."""
    target = tier.targets.get(severity.id)
    if target is None or not target.covered:
        return "Not covered"
    if target.acknowledge is None:
        return "No acknowledgement target"
    text = wording.promise(policy, target.acknowledge)
    text = text[:1].upper() + text[1:]
    if target.escalation is False:
        text += " Not eligible for escalation"
    return text


def visible_matrix(page) -> dict[tuple[str, str], str]:
    """The plans page's matrix as the browser shows it: (column header, row header) → cell text."""
    table = page.locator(".sp-tier-matrix table").first
    assert table.is_visible()
    grid = table.evaluate("""table => {
        const columns = [...table.tHead.rows[0].cells].map(cell => cell.innerText.trim());
        return [...table.tBodies[0].rows].map(row => {
            const cells = [...row.cells];
            return [cells[0].innerText.trim(), cells.slice(1).map((cell, i) => [columns[i + 1], cell.innerText])];
        });
    }""")
    return {(column, words(row_header)): words(text) for row_header, cells in grid for column, text in cells}


def test_the_tier_matrix_shows_what_the_policies_promise(page, site_url, policy):
    open_page(page, site_url, "support/plans/")
    matrix = visible_matrix(page)
    expected = {
        (tier.name, f"{severity.rank}: {severity.name}"): expected_matrix_cell(policy, tier, severity)
        for tier in policy.tiers
        for severity in policy.severities
    }
    assert matrix == expected


def test_the_tier_matrix_cells_customers_look_for_first(page, site_url, policy):
    open_page(page, site_url, "support/plans/")
    matrix = visible_matrix(page)
    premium, break_fix = policy.tier("premium"), policy.tier("break-fix")
    critical, medium = policy.severity("critical"), policy.severity("medium")
    # The fastest promise of the best plan, worded from its data: "Minutes, at most 2 hours, around the clock".
    premium_critical = matrix[(premium.name, f"{critical.rank}: {critical.name}")]
    assert premium_critical == expected_matrix_cell(policy, premium, critical)
    assert premium_critical == "Minutes, at most 2 hours, around the clock"
    assert not break_fix.targets[medium.id].covered
    assert matrix[(break_fix.name, f"{medium.rank}: {medium.name}")] == "Not covered"
    not_covered = page.locator(f'.sp-tier-matrix td[data-tier="{break_fix.id}"][data-severity="{medium.id}"]').first
    assert not_covered.is_visible()


# --- glossary tooltips ----------------------------------------------------------------------------


@pytest.mark.parametrize("path", ["support/journeys/connect-accounting/", "getting-started/"])
def test_hovering_a_glossary_term_shows_its_definition(page, page_log, site_url, policy, path):
    term = policy.glossary[0]
    open_page(page, site_url, path)
    abbr = page.locator("article abbr", has_text=re.compile(rf"^{re.escape(term.term)}$")).first
    abbr.scroll_into_view_if_needed()
    abbr.hover()
    # Material 9 (content.tooltips) moves the title into a tooltip element it describes the term with.
    tooltip = page.locator(".md-tooltip2[role=tooltip].md-tooltip2--active")
    tooltip.wait_for(state="visible", timeout=5000)
    assert words(tooltip.inner_text()) == words(term.definition)
    assert abbr.get_attribute("aria-describedby") == tooltip.get_attribute("id")
    page_log.assert_clean()


# --- search ---------------------------------------------------------------------------------


def test_search_finds_a_severity_by_name(page, page_log, site_url, policy):
    severity = min(policy.severities, key=lambda s: s.rank)
    open_page(page, site_url, "")  # waits for the search worker to be ready
    query = page.locator("input.md-search__input")
    if not query.is_visible():  # narrow screens show a search button instead of the field
        page.locator("label.md-header__button[for=__search]").click()
    query.click()
    query.press_sequentially(severity.name)
    result = page.locator(".md-search-result__list a[href*='support/severities/']").first
    result.wait_for(state="visible", timeout=10000)
    assert severity.name.lower() in words(result.inner_text()).lower()
    assert result.locator("mark").first.inner_text().lower() == severity.name.lower()  # the match, highlighted
    result.click()
    page.wait_for_url(re.compile(r"/support/severities/"))
    assert page.locator("article.md-content__inner").get_by_text(severity.name, exact=False).first.is_visible()
    page_log.assert_clean()


# --- screenshots ------------------------------------------------------------------------------


@pytest.mark.parametrize("name", list(SCREENSHOT_PAGES))
def test_screenshot(page, page_log, site_url, name):
    """Full-page screenshots of the main pages in screenshots/ (overwritten on every run)."""
    SCREENSHOTS.mkdir(exist_ok=True)
    open_page(page, site_url, SCREENSHOT_PAGES[name])
    path = SCREENSHOTS / f"{name}.png"
    page.screenshot(path=str(path), full_page=True, animations="disabled")
    assert path.stat().st_size > 10_000
    page_log.assert_clean()


def test_screenshot_of_the_plans_on_a_phone(new_context, watch_page, site_url):
    page = new_context(**PHONE).new_page()
    log = watch_page(page)
    open_page(page, site_url, "support/plans/")
    SCREENSHOTS.mkdir(exist_ok=True)
    path = SCREENSHOTS / "support-plans-mobile.png"
    page.screenshot(path=str(path), full_page=True, animations="disabled")
    assert path.stat().st_size > 10_000
    log.assert_clean()
    page.close()


# --- ticket page actions: download buttons and mailto: compose links --------------------------


def _decode_mailto(link: str) -> tuple[str, dict[str, str]]:
    """A mailto: link as (address, headers), decoded per RFC 6068: ``+`` stays a plus."""
    parts = urlsplit(link)
    assert parts.scheme == "mailto", link
    pairs = (pair.split("=", 1) for pair in parts.query.split("&") if pair)
    return unquote(parts.path), {key: unquote(value) for key, value in pairs}


def test_every_download_button_saves_the_expected_file(page, page_log, site_url, policy):
    open_page(page, site_url, "support/tickets/")
    for template in policy.ticket_templates:
        for fmt in TICKET_FORMATS:
            section = page.locator(
                f"a.md-button[download='{fmt.filename(template.id)}'][href$='{fmt.path(template.id)}']"
            )
            assert section.count() == 1, (template.id, fmt.id)
            with page.expect_download() as info:
                section.click()
            download = info.value
            assert download.suggested_filename == fmt.filename(template.id)
            assert Path(download.path()).read_text("utf-8") == fmt.render(template, policy)
    page_log.assert_clean()


def test_every_data_file_link_returns_its_file(page, page_log, site_url, site_dir):
    open_page(page, site_url, "support/data/")
    hrefs = page.eval_on_selector_all("article a[download]", "links => links.map(a => a.href)")
    assert len(hrefs) >= 5
    for href in hrefs:
        response = page.request.get(href)
        assert response.ok, href
        on_disk = site_dir / urlsplit(href).path.lstrip("/")
        assert response.body() == on_disk.read_bytes(), href
    page_log.assert_clean()


def test_compose_links_decode_to_the_channel_subject_and_template_body(page, page_log, site_url, policy):
    open_page(page, site_url, "support/tickets/")
    for channel in policy.channels:
        if channel.kind != "email" or not channel.template:
            continue
        button = page.get_by_role("link", name=f"Write to {channel.name}")
        address, headers = _decode_mailto(button.get_attribute("href"))
        assert address == channel.address
        compose = mailto.compose(channel, policy)
        assert headers["subject"] == compose.subject and headers["subject"]
        assert headers["body"] == compose.body.replace("\n", "\r\n")
        for field in policy.template(channel.template).fields:
            assert field.label in headers["body"]
    emergency = page.get_by_role("link", name="Write to Production emergencies").get_attribute("href")
    assert _decode_mailto(emergency)[1]["subject"].startswith("[URGENT]")
    page_log.assert_clean()
