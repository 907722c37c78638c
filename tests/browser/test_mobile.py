"""The support pages on a phone (390 × 844): wide tables scroll with a cue and keep their row
headers in view, email addresses never break inside a word, and the emergency channel is the
first thing on the help page."""

from __future__ import annotations

import pytest

from .helpers import PHONE, open_page

pytestmark = pytest.mark.browser

TABLE_PAGES = ["support/plans/", "support/", "support/severities/", "support/retention/"]
ADDRESS_PAGES = ["support/", "support/plans/", "support/scope/", "support/security/", "support/tickets/"]


@pytest.fixture(scope="module")
def phone(new_context):
    return new_context(**PHONE)


@pytest.fixture
def on_phone(phone, watch_page, site_url):
    """``on_phone(path)`` opens a page of the sample site on the phone; closed after the test."""
    pages = []

    def open_(path: str):
        page = phone.new_page()
        watch_page(page)
        pages.append(page)
        return open_page(page, site_url, path)

    yield open_
    for page in pages:
        page.close()


_WIDE_TABLES = """() => [...document.querySelectorAll('article .sp-table table')].map(table => {
    const wrap = table.closest('.md-typeset__scrollwrap');
    const header = table.querySelector('tbody th[scope=row]');
    return {
        caption: table.caption ? table.caption.textContent.trim() : '',
        wrapped: wrap !== null,
        overflows: wrap !== null && wrap.scrollWidth > wrap.clientWidth + 1,
        cutOff: table.getBoundingClientRect().right > document.documentElement.clientWidth + 1,
        tabindex: wrap && wrap.getAttribute('tabindex'),
        role: wrap && wrap.getAttribute('role'),
        label: wrap && wrap.getAttribute('aria-label'),
        sticky: header ? getComputedStyle(header).position : 'no row header',
    };
})"""


@pytest.mark.parametrize("path", TABLE_PAGES)
def test_a_wide_table_scrolls_in_a_labelled_focusable_region_with_its_row_headers_in_view(on_phone, path):
    tables = on_phone(path).evaluate(_WIDE_TABLES)
    assert tables, f"{path}: no generated table"
    for table in tables:
        assert table["wrapped"], f"{path}: {table['caption']!r} is not in a scrolling wrapper"
        if table["cutOff"]:
            assert table["overflows"], f"{path}: {table['caption']!r} is cut off and does not scroll"
        if table["overflows"]:
            assert (table["tabindex"], table["role"]) == ("0", "region"), table
            assert table["label"] == table["caption"] != "", table
            assert table["sticky"] in ("sticky", "no row header"), table
    assert any(table["overflows"] for table in tables) or path != "support/plans/", "the plans no longer overflow"


def _edges(page, wrap) -> tuple[bytes, bytes, bytes, bytes]:
    """Screenshots of the wrapper's left and right 6 px with its content hidden: as painted, and
    with the wrapper's background (the cue) removed."""
    box = wrap.bounding_box()
    assert box is not None
    clips = [
        {"x": box["x"], "y": box["y"] + 10, "width": 6, "height": 40},
        {"x": box["x"] + box["width"] - 6, "y": box["y"] + 10, "width": 6, "height": 40},
    ]
    shots = [page.screenshot(clip=clip, animations="disabled") for clip in clips]
    wrap.evaluate("wrap => { wrap.dataset.cue = wrap.style.background; wrap.style.background = 'none'; }")
    plain = [page.screenshot(clip=clip, animations="disabled") for clip in clips]
    wrap.evaluate("wrap => { wrap.style.background = wrap.dataset.cue; }")
    return shots[0], shots[1], plain[0], plain[1]


def test_the_scroll_cue_shows_on_the_side_where_columns_hide(on_phone):
    page = on_phone("support/plans/")
    wrap = page.locator("article .sp-tier-matrix .md-typeset__scrollwrap")
    wrap.evaluate("wrap => { wrap.querySelector('table').style.visibility = 'hidden'; }")
    left, right, plain_left, plain_right = _edges(page, wrap)
    assert right != plain_right, "no cue on the right while columns hide there"
    assert left == plain_left, "a cue on the left before any scrolling"
    wrap.evaluate("wrap => { wrap.scrollLeft = wrap.scrollWidth; }")
    left, right, plain_left, plain_right = _edges(page, wrap)
    assert right == plain_right, "the cue stays on the right at the end of the table"
    assert left != plain_left, "no cue on the left once columns hide there"


_ADDRESS_LINES = """() => [...document.querySelectorAll('article a[href^="mailto:"]')]
  .filter(link => link.textContent.includes('@')).map(link => ({
    rendered: link.classList.contains('sp-address'),
    address: decodeURIComponent(link.getAttribute('href').slice(7)),
    text: link.textContent,
    lines: new Set([...link.getClientRects()].map(rect => Math.round(rect.top))).size,
    pieces: [...link.childNodes].filter(node => node.nodeType === Node.TEXT_NODE).map(node => {
        const range = document.createRange();
        range.selectNodeContents(node);
        return [node.textContent, new Set([...range.getClientRects()].map(rect => Math.round(rect.top))).size];
    }),
}))"""


@pytest.mark.parametrize("path", ADDRESS_PAGES)
def test_email_addresses_break_only_after_the_at_sign_or_before_a_dot(on_phone, path):
    page = on_phone(path)
    # Narrower than any phone, so that addresses must wrap somewhere.
    page.add_style_tag(content="article.md-content__inner { max-width: 9rem; }")
    links = page.evaluate(_ADDRESS_LINES)
    assert links, f"{path}: no email address"
    for link in links:
        assert link["rendered"] and link["text"] == link["address"], link
        broken = [text for text, lines in link["pieces"] if lines > 1]
        assert not broken, f"{path}: {link['address']} breaks inside {broken}"
    assert any(link["lines"] > 1 for link in links), f"{path}: no address wrapped; the test proves nothing"


def test_the_emergency_channel_comes_first_on_the_help_page(on_phone):
    page = on_phone("support/")
    first = page.locator("article .sp-channel").first
    assert first.get_attribute("id") == "channel-emergency"
    assert "Critical" in first.inner_text()
    box = first.locator("strong").first.bounding_box()
    assert box is not None and box["y"] + box["height"] <= PHONE["viewport"]["height"], "below the first screen"
