"""Sites in two languages (issue 16): the sample and examples/languages, built by
mkdocs-static-i18n, have a support section per language, a language switcher between them, and
reader's-time widgets that speak the page's language."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from pathlib import Path
from urllib.parse import urljoin

import pytest

from support_policies import calendar, i18n
from support_policies.policyset import load_policies

from .conftest import LANGUAGES
from .helpers import open_page, words

pytestmark = pytest.mark.browser

PLANS = "support/plans/"
RESULT = ".sp-calculator__result"


@pytest.fixture(params=["sample", "examples/languages"])
def two_languages(request) -> tuple[Path, str]:
    """Each site built in English and German: the sample and examples/languages (folder, URL)."""
    if request.param == "sample":
        return request.getfixturevalue("site_dir"), request.getfixturevalue("site_url")
    return request.getfixturevalue("languages_site_dir"), request.getfixturevalue("languages_site_url")


def test_every_page_says_its_language(two_languages):
    site, _ = two_languages
    pages = sorted(site.rglob("index.html"))
    german = [p for p in pages if p.relative_to(site).parts[0] == "de"]
    assert len(german) >= 6 and len(pages) == 2 * len(german)
    for path in pages:
        wanted = "de" if path in german else "en"
        assert f'<html lang="{wanted}"' in path.read_text("utf-8"), path


@pytest.mark.parametrize(
    ("start", "other", "language"),
    [("support/plans/", "de/support/plans/", "de"), ("de/support/tickets/", "support/tickets/", "en")],
)
def test_the_language_switcher_leads_to_the_same_page_in_the_other_language(
    page, two_languages, start, other, language
):
    _, url = two_languages
    open_page(page, url, start)
    link = page.locator(f'.md-select a[hreflang="{language}"]')
    assert link.count() == 1
    page.goto(urljoin(page.url, link.get_attribute("href")))
    page.wait_for_load_state()
    assert page.url == url + other
    assert page.evaluate("document.documentElement.lang") == language


def test_the_samples_german_home_page_is_german_blocks_and_theme_included(page, site_url):
    open_page(page, site_url, "de/")
    text = words(page.locator("body").inner_text())
    assert "Wie schnell wir antworten" in text and "Kritisch" in text and "Geschäftsstunden" in text
    assert "Tallyweave ist ein erfundenes Unternehmen" in text
    for english in ("Critical", "business hours", "Monday", "First response", "fictional"):
        assert english not in text, english
    toggles = page.locator("form[data-md-component=palette] label[title]")
    assert [toggles.nth(i).get_attribute("title") for i in range(toggles.count())] == [
        "Zum dunklen Modus wechseln",
        "Zum hellen Modus wechseln",
    ]


def test_the_german_plans_page_is_german(page, languages_site_url):
    open_page(page, languages_site_url, "de/" + PLANS)
    text = words(page.locator("article").inner_text())
    assert "Pläne vergleichen" in text and "Servicezeiten" in text and "Dringend" in text
    assert "Montag bis Freitag, 08:00–17:00 (Wien)" in text
    for english in ("Compare plans", "Monday", "Urgent", "business hours", "(Vienna)"):
        assert english not in text, english


def test_the_german_calculator_speaks_german_and_agrees_with_the_engine(new_context, languages_site_url):
    policy = load_policies([LANGUAGES / "policies"], language="de").policy
    assert policy is not None
    context = new_context(timezone_id="America/New_York", locale="de-DE")
    page = context.new_page()
    open_page(page, languages_site_url, "de/" + PLANS)
    page.wait_for_function(f"() => document.querySelector('{RESULT} li') !== null")
    labels = [label.inner_text() for label in page.locator(".sp-calculator label").all()]
    assert labels[:2] == ["Plan", "Schweregrad"] and labels[2].startswith("Zeitpunkt der Einreichung")
    filed = datetime.now(UTC).replace(minute=0, second=0, microsecond=0, hour=15) + timedelta(days=1)
    while filed.weekday() != 4:  # a Friday, 16:00 in Vienna (winter) or 17:00 (summer)
        filed += timedelta(days=1)
    local = filed.astimezone(calendar.get_zone("America/New_York"))
    page.select_option(".sp-calculator select >> nth=0", "basic")
    page.select_option(".sp-calculator select >> nth=1", "urgent")
    page.fill(".sp-calculator input[type=datetime-local]", local.strftime("%Y-%m-%dT%H:%M"))
    text = words(page.locator(RESULT).inner_text())
    due = calendar.due(policy, policy.tier("basic").targets["urgent"].acknowledge, filed)
    reader = due.astimezone(calendar.get_zone("America/New_York"))
    with i18n.use(i18n.language("de")):
        weekday = i18n.weekday(reader.weekday())
    assert "Basic, Erstreaktion:" in text
    assert "fällig spätestens am" in text and weekday in text and f"{reader:%H:%M}" in text
    assert "nur die Öffnungszeiten von Bürozeiten zählen" in text
    assert "due by" not in text and "your time" not in text
    context.close()


def test_the_german_open_now_badge_speaks_german(page, languages_site_url):
    open_page(page, languages_site_url, "de/support/")
    badge = page.locator(".sp-open-now:not([hidden])").first
    badge.wait_for()
    assert badge.inner_text().startswith(("Jetzt geöffnet", "Jetzt geschlossen"))
