"""A site in English and German (examples/languages, built by mkdocs-static-i18n): one support
section per language, each with its own pages, files and script data."""

from __future__ import annotations

import json
import re
import shutil

import pytest
from sites import LANGUAGES_EXAMPLE, mkdocs_build, soup

GENERATED = [
    "support/index.html",
    "support/plans/index.html",
    "support/severities/index.html",
    "support/tickets/index.html",
    "support/glossary/index.html",
    "support/data/index.html",
]


@pytest.fixture(scope="module")
def site(tmp_path_factory):
    project = tmp_path_factory.mktemp("languages") / "site-project"
    shutil.copytree(LANGUAGES_EXAMPLE, project)
    done = mkdocs_build(project)
    assert done.returncode == 0 and "WARNING" not in done.stderr, done.stderr
    return project / "site"


def test_every_support_page_is_built_in_both_languages(site):
    for page in GENERATED:
        english, german = soup(site / page), soup(site / "de" / page)
        assert english.html["lang"] == "en" and german.html["lang"] == "de", page
        assert english.h1.get_text(strip=True) != german.h1.get_text(strip=True), page


def test_the_german_pages_say_it_in_german(site):
    plans = soup(site / "de/support/plans/index.html").select_one("article").get_text(" ", strip=True)
    assert "Supportpläne" in plans and "Pläne vergleichen" in plans and "Dringend" in plans
    assert "Montag bis Freitag, 08:00–17:00 (Wien)" in plans
    for english in ("Compare plans", "Monday to Friday", "business hours", "Urgent", "Within "):
        assert english not in plans, english
    assert soup(site / "de/support/severities/index.html").title.get_text().startswith("Schweregrade")
    home = soup(site / "de/index.html").select_one("article").get_text(" ", strip=True)
    assert "Lumenfold betreibt" in home and "Maximal 4 Geschäftsstunden" in home  # a block in a German page


def test_each_language_publishes_its_own_files(site):
    for folder, language in (("", "en"), ("de/", "de")):
        data = json.loads((site / f"{folder}support/data/calendars.json").read_text("utf-8"))
        assert data["language"] == language
        export = json.loads((site / f"{folder}support/data/policies.json").read_text("utf-8"))
        assert export["language"] == language
    assert export["policy"]["severities"][0]["name"] == "Dringend"
    german = (site / "de/support/downloads/email/problem.txt").read_text("utf-8")
    assert "Problembericht" in german and "(erforderlich" in german and "(required" not in german
    ics = (site / "de/support/data/calendars/office-hours.ics").read_text("utf-8").replace("\r\n ", "")
    assert "Bürozeiten: geöffnet" in ics


def test_each_language_loads_its_own_script_data(site):
    for folder in ("", "de/"):
        html = (site / f"{folder}support/plans/index.html").read_text("utf-8")
        (script,) = re.findall(r'src="([^"]*support-policies\.js)"', html)
        assert script == "../assets/support-policies.js"  # below this language's support folder
        assert (site / f"{folder}support/assets/support-policies.js").is_file()


def test_the_sitemap_lists_the_generated_pages_with_their_versions(site):
    sitemap = (site / "sitemap.xml").read_text("utf-8")
    assert "https://support.lumenfold.example/support/plans/</loc>" in sitemap
    assert 'hreflang="de" href="https://support.lumenfold.example/de/support/plans/"' in sitemap


def test_the_navigation_is_in_the_page_language(site):
    nav = soup(site / "de/support/plans/index.html").select("nav.md-nav--primary .md-nav__link")
    titles = [link.get_text(" ", strip=True) for link in nav]
    assert "Supportpläne" in titles and "Start" in titles and "Support plans" not in titles
