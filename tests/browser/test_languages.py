"""The sample in two languages (issue 16): a support section per language, the language
switcher, and the reader's-time widgets speaking the page's language."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from urllib.parse import urljoin

import pytest

from support_policies import calendar, i18n
from support_policies.policyset import load_policies

from .helpers import REPO, open_page, words

pytestmark = pytest.mark.browser

PLANS = "support/plans/"
RESULT = ".sp-calculator__result"


def test_every_page_says_its_language(site_dir):
    pages = sorted(site_dir.rglob("index.html"))
    german = [p for p in pages if p.relative_to(site_dir).parts[0] == "de"]
    assert len(german) >= 15 and len(pages) - len(german) >= 15
    for path in pages:
        html = path.read_text("utf-8")
        wanted = "de" if path in german else "en"
        assert f'<html lang="{wanted}"' in html, path


@pytest.mark.parametrize(
    ("start", "other"), [("support/plans/", "de/support/plans/"), ("de/support/tickets/", "support/tickets/")]
)
def test_the_language_switcher_leads_to_the_same_page_in_the_other_language(page, site_url, start, other):
    open_page(page, site_url, start)
    link = page.locator(f'.md-select a[hreflang="{"de" if other.startswith("de/") else "en"}"]')
    assert link.count() == 1
    href = link.get_attribute("href")
    page.goto(urljoin(page.url, href))
    page.wait_for_load_state()
    assert page.url.endswith("/" + other)
    assert page.evaluate("document.documentElement.lang") == ("de" if other.startswith("de/") else "en")


def test_the_german_plans_page_is_german(page, site_url):
    open_page(page, site_url, "de/" + PLANS)
    text = words(page.locator("article").inner_text())
    assert "Pläne vergleichen" in text and "Servicezeiten" in text
    assert "Montag bis Freitag, 08:00–17:00 (Chicago)" in text
    assert "Compare plans" not in text and "Monday" not in text


def test_the_german_calculator_speaks_german_and_agrees_with_the_engine(new_context, site_url):
    policy = load_policies([REPO / "policies"], language="de").policy
    assert policy is not None
    context = new_context(timezone_id="Europe/Berlin", locale="de-DE")
    page = context.new_page()
    open_page(page, site_url, "de/" + PLANS)
    page.wait_for_function(f"() => document.querySelector('{RESULT} li') !== null")
    labels = [label.inner_text() for label in page.locator(".sp-calculator label").all()]
    assert labels[:2] == ["Plan", "Schweregrad"] and labels[2].startswith("Zeitpunkt der Einreichung")
    filed = datetime.now(UTC).replace(minute=0, second=0, microsecond=0, hour=22) + timedelta(days=1)
    while filed.weekday() != 4:  # a Friday, 16:00 in Chicago
        filed += timedelta(days=1)
    local = filed.astimezone(calendar.get_zone("Europe/Berlin"))
    page.select_option(".sp-calculator select >> nth=0", "break-fix")
    page.select_option(".sp-calculator select >> nth=1", "high")
    page.fill(".sp-calculator input[type=datetime-local]", local.strftime("%Y-%m-%dT%H:%M"))
    text = words(page.locator(RESULT).inner_text())
    due = calendar.due(policy, policy.tier("break-fix").targets["high"].acknowledge, filed)
    berlin = due.astimezone(calendar.get_zone("Europe/Berlin"))
    with i18n.use(i18n.language("de")):
        weekday = i18n.weekday(berlin.weekday())
    assert f"{policy.tier('break-fix').name}, Erstreaktion:" in text
    assert "fällig spätestens am" in text and weekday in text and f"{berlin:%H:%M}" in text
    assert "nur die Öffnungszeiten von" in text
    assert "due by" not in text and "your time" not in text
    context.close()


def test_the_german_open_now_badge_speaks_german(page, site_url):
    open_page(page, site_url, "de/support/")
    badge = page.locator(".sp-open-now:not([hidden])").first
    badge.wait_for()
    assert badge.inner_text().startswith(("Jetzt geöffnet", "Jetzt geschlossen"))
