"""The sample site in English and German (mkdocs-static-i18n): one support section per language."""

from __future__ import annotations

import json
import re

from bs4 import BeautifulSoup

GENERATED = [
    "support/index.html",
    "support/plans/index.html",
    "support/severities/index.html",
    "support/tickets/index.html",
    "support/scope/index.html",
    "support/retention/index.html",
    "support/status/index.html",
    "support/changes/index.html",
    "support/data/index.html",
]


def soup(path):
    return BeautifulSoup(path.read_text("utf-8"), "html.parser")


def test_every_support_page_is_built_in_both_languages(sample_site):
    for page in GENERATED:
        english, german = soup(sample_site / page), soup(sample_site / "de" / page)
        assert english.html["lang"] == "en" and german.html["lang"] == "de", page
        assert english.h1.get_text(strip=True) != german.h1.get_text(strip=True), page


def test_the_german_pages_say_it_in_german(sample_site):
    plans = soup(sample_site / "de/support/plans/index.html").select_one("article").get_text(" ", strip=True)
    assert "Supportpläne" in plans and "Pläne vergleichen" in plans
    assert "Montag bis Freitag, 08:00–17:00 (Chicago)" in plans
    for english in ("Compare plans", "Not covered", "Monday to Friday", "business hours", "Within "):
        assert english not in plans, english
    title = soup(sample_site / "de/support/severities/index.html").title.get_text()
    assert title.startswith("Schweregrade")


def test_each_language_publishes_its_own_files(sample_site):
    for folder, language in (("", "en"), ("de/", "de")):
        data = json.loads((sample_site / f"{folder}support/data/calendars.json").read_text("utf-8"))
        assert data["language"] == language
        export = json.loads((sample_site / f"{folder}support/data/policies.json").read_text("utf-8"))
        assert export["language"] == language
    german = (sample_site / "de/support/downloads/email/technical-ticket.txt").read_text("utf-8")
    assert "(erforderlich" in german and "(required" not in german
    ics = (sample_site / "de/support/data/calendars/standard-hours.ics").read_text("utf-8").replace("\r\n ", "")
    assert "geöffnet" in ics.lower() or "Geöffnet" in ics
    feed = (sample_site / "de/support/policy-changes.xml").read_text("utf-8")
    assert 'xml:lang="de"' in feed


def test_each_language_loads_its_own_script_data(sample_site):
    for folder in ("", "de/"):
        html = (sample_site / f"{folder}support/plans/index.html").read_text("utf-8")
        (script,) = re.findall(r'src="([^"]*support-policies\.js)"', html)
        assert script == "../assets/support-policies.js"  # below this language's support folder


def test_the_german_navigation_is_german(sample_site):
    nav = soup(sample_site / "de/support/plans/index.html").select("nav.md-nav--primary .md-nav__link")
    titles = [link.get_text(" ", strip=True) for link in nav]
    assert "Supportpläne" in titles and "Support plans" not in titles
    assert "Start" in titles
