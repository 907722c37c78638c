"""The reader's-time widgets on the sample site (issue 14): the "When will I hear back?"
calculator and the "open now" badges, with and without JavaScript, by keyboard, and against
the engine."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest

from support_policies import calendar
from support_policies.policyset import load_policies

from .helpers import REPO, open_page, words

pytestmark = pytest.mark.browser

PLANS = "support/plans/"
RESULT = ".sp-calculator__result"


def sample():
    policy = load_policies([REPO / "policies"]).policy
    assert policy is not None
    return policy


def ready(page):
    page.wait_for_function(f"() => document.querySelector('{RESULT} li') !== null")


def upcoming(weekday: int, hour_utc: int) -> datetime:
    """The next such weekday at that UTC hour, at least a day from now (inside the published window)."""
    t = datetime.now(UTC).replace(minute=0, second=0, microsecond=0, hour=hour_utc) + timedelta(days=1)
    while t.weekday() != weekday:
        t += timedelta(days=1)
    return t


def test_without_javascript_the_page_is_complete(new_context, site_url):
    context = new_context(java_script_enabled=False)
    page = context.new_page()
    page.goto(site_url + PLANS)
    text = words(page.locator("article").inner_text())
    assert "For example: filed Friday" in text and "Worst case for tickets filed in the year from" in text
    assert "this box works out when each promise falls due" in text  # the calculator's box says where answers are
    assert page.locator(".sp-open-now").first.is_hidden()  # no badge that could be stale


def test_the_calculator_agrees_with_the_engine_and_says_how_the_clock_runs(new_context, site_url):
    policy = sample()
    context = new_context(timezone_id="Europe/Berlin")
    page = context.new_page()
    open_page(page, site_url, PLANS)
    ready(page)
    filed = upcoming(4, 22)  # a Friday, 16:00 in Chicago
    local = filed.astimezone(calendar.get_zone("Europe/Berlin"))
    page.select_option(".sp-calculator select >> nth=0", "break-fix")
    page.select_option(".sp-calculator select >> nth=1", "high")
    page.fill(".sp-calculator input[type=datetime-local]", local.strftime("%Y-%m-%dT%H:%M"))
    result = page.locator(RESULT)
    assert result.get_attribute("aria-live") == "polite"
    text = words(result.inner_text())
    due = calendar.due(policy, policy.tier("break-fix").targets["high"].acknowledge, filed)
    chicago = due.astimezone(calendar.get_zone("America/Chicago"))
    assert f"{chicago:%H:%M} America/Chicago" in text  # the provider's zone
    berlin = due.astimezone(calendar.get_zone("Europe/Berlin"))
    assert f"{berlin:%H:%M} Europe/Berlin your time" in text  # the reader's zone
    assert "only the open hours of Standard hours count (America/Chicago)" in text
    api = page.evaluate(
        "(at) => window.supportPolicies.deadline({tier: 'break-fix', severity: 'high', filedAt: at})",
        filed.isoformat(),
    )
    assert datetime.fromisoformat(api) == due
    page.select_option(".sp-calculator select >> nth=0", "")
    text = words(result.inner_text())
    assert all(f"{tier.name}, Acknowledgement:" in text for tier in policy.tiers)
    page.select_option(".sp-calculator select >> nth=1", "low")
    assert "Break-Fix: does not cover this severity." in words(result.inner_text())
    context.close()


def test_the_calculator_is_labelled_and_works_by_keyboard(page, site_url):
    open_page(page, site_url, PLANS)
    ready(page)
    for control in page.locator(".sp-calculator select, .sp-calculator input").all():
        label = page.locator(f"label[for='{control.get_attribute('id')}']")
        assert label.count() == 1 and label.inner_text().strip()
    plan = page.locator(".sp-calculator select").first
    plan.focus()
    before = page.locator(RESULT).inner_text()
    page.keyboard.press("ArrowDown")
    page.wait_for_function(f"(b) => document.querySelector('{RESULT}').innerText !== b", arg=before)
    page.keyboard.press("Tab")
    assert page.evaluate("document.activeElement.tagName") == "SELECT"


@pytest.mark.parametrize("when", ["open", "closed"])
def test_open_now_badges_follow_the_clock_in_both_zones(new_context, site_url, when):
    policy = sample()
    at = upcoming(0, 16) if when == "open" else upcoming(5, 16)  # Monday 10:00 / Saturday 10:00 Chicago
    context = new_context(timezone_id="Asia/Tokyo")
    page = context.new_page()
    page.clock.set_fixed_time(at)
    open_page(page, site_url, PLANS)
    badge = page.locator('[data-sp-clock="standard-hours"]').first
    badge.wait_for(state="visible")
    text = words(badge.inner_text())
    cal = calendar.calendar_for(policy, "standard-hours")
    assert cal.is_open(at) == (when == "open")
    if when == "open":
        closes = next(iter(cal.open_intervals(at, at + timedelta(days=3))))[1]
        assert text.startswith("Open now; closes") and f"{closes.astimezone(cal.zone):%H:%M}" in text
    else:
        opens = cal.next_open(at)
        assert text.startswith("Closed now; opens") and f"{opens.astimezone(cal.zone):%H:%M}" in text
        assert f"{opens.astimezone(calendar.get_zone('Asia/Tokyo')):%H:%M}" in text and "your time" in text
    always = words(page.locator('[data-sp-clock="around-the-clock"]').first.inner_text())
    assert always == "Open now, around the clock"
    context.close()


def test_every_channel_card_with_hours_has_a_badge(page, site_url):
    policy = sample()
    open_page(page, site_url, "support/")
    page.wait_for_function("() => window.supportPolicies && window.supportPolicies.data() !== null")
    checked = 0
    for channel in policy.channels:
        if not channel.hours:
            continue
        card = page.locator(f"#channel-{channel.id}")
        if card.count() == 0:
            continue
        badge = card.locator("[data-sp-clock]")
        badge.wait_for(state="visible")
        assert words(badge.inner_text()).startswith(("Open now", "Closed now"))
        checked += 1
    assert checked >= 4


def test_screenshots_of_the_calculator_and_the_badges(new_context, site_url):
    """screenshots/support-plans-calculator.png and support-hours-open-now.png, at a fixed
    moment (a Friday, 16:00 in Chicago) seen from Europe/London, overwritten on every run."""
    folder = REPO / "screenshots"
    folder.mkdir(exist_ok=True)
    context = new_context(timezone_id="Europe/London")
    page = context.new_page()
    page.clock.set_fixed_time(upcoming(4, 22))
    open_page(page, site_url, PLANS)
    ready(page)
    page.select_option(".sp-calculator select >> nth=0", "")
    page.locator(f"{RESULT} li").nth(2).wait_for()
    for name, selector in [("support-plans-calculator", ".sp-calculator"), ("support-hours-open-now", ".sp-hours")]:
        path = folder / f"{name}.png"
        page.locator(selector).first.screenshot(path=str(path), animations="disabled")
        assert path.stat().st_size > 5_000
    context.close()


@pytest.fixture(scope="module")
def follow_the_sun(tmp_path_factory):
    """The follow-the-sun example (a plan whose hours depend on the customer's region), built and served."""
    from sites import mkdocs_build

    from .helpers import serving

    project = REPO / "examples" / "contracts" / "follow-the-sun"
    out = tmp_path_factory.mktemp("follow-the-sun") / "site"
    built = mkdocs_build(project, "-d", str(out))
    assert built.returncode == 0, built.stderr
    with serving(out) as url:
        yield project, url


def test_the_calculator_asks_for_the_region_where_the_hours_depend_on_it(new_context, follow_the_sun):
    project, url = follow_the_sun
    policy = load_policies([project / "policies"]).policy
    assert policy is not None
    page = new_context(timezone_id="Asia/Tokyo").new_page()
    open_page(page, url, "support/plans/")
    ready(page)
    region = page.get_by_label("Your region")
    assert [o.strip() for o in region.locator("option").all_inner_texts()] == ["Americas", "EMEA", "APAC"]
    page.select_option(".sp-calculator select >> nth=0", "standard")
    page.select_option(".sp-calculator select >> nth=1", "critical")
    filed = upcoming(4, 15)  # a Friday, 15:00 UTC: Dublin open, Singapore closed, New York open
    local = filed.astimezone(calendar.get_zone("Asia/Tokyo"))
    page.fill(".sp-calculator input[type=datetime-local]", local.strftime("%Y-%m-%dT%H:%M"))
    promise = policy.tier("standard").targets["critical"].acknowledge
    seen = set()
    for name in ("Americas", "EMEA", "APAC"):
        region.select_option(name)
        text = words(page.locator(RESULT).inner_text())
        due = calendar.deadline(policy, promise, filed, name).due
        assert f"{due.astimezone(calendar.get_zone('Asia/Tokyo')):%H:%M} Asia/Tokyo your time" in text, (name, text)
        assert f"the hours of your region, {name}" in text
        api = page.evaluate(
            "([at, region]) => window.supportPolicies.deadline("
            "{tier: 'standard', severity: 'critical', filedAt: at, region: region})",
            [filed.isoformat(), name],
        )
        assert datetime.fromisoformat(api) == due
        seen.add(due)
    assert len(seen) > 1, "the regions' offices gave the same due time: the test proves nothing"
    page.close()
