"""'Was this page useful?': where the writer sends the answers, checked and rendered on every
generated page, and absent when the writer sends them nowhere."""

from __future__ import annotations

import html
import json
import re
import shutil
from pathlib import Path
from urllib.parse import parse_qs, urlsplit

import pytest
from sites import REPO

from support_policies.exports.feedback import RATINGS
from support_policies.policyset import load_policies
from support_policies.render import Renderer

ORGANIZATION = """\
organization:
  name: Tallyweave
  languages: [en, de]
  timezone: America/Chicago
{feedback}"""


def _sample(tmp_path: Path, feedback: str) -> Path:
    folder = tmp_path / "policies"
    shutil.copytree(REPO / "policies", folder)
    (folder / "organization.yaml").write_text(ORGANIZATION.format(feedback=feedback), "utf-8")
    return folder


def _pages(tmp_path: Path, feedback: str) -> dict[str, str]:
    result = load_policies([_sample(tmp_path, feedback)])
    assert result.ok and result.policy is not None, [str(f) for f in result.findings]
    return {page.path: page.markdown for page in Renderer(result.policy).pages()}


def _links(markdown: str) -> list[str]:
    return [html.unescape(href) for href in re.findall(r'class="sp-feedback__answer" href="([^"]*)"', markdown)]


def test_without_a_destination_no_page_has_the_rating(tmp_path):
    pages = _pages(tmp_path, "")
    assert pages and not [name for name, text in pages.items() if "sp-feedback" in text]


def test_an_email_destination_puts_one_link_per_answer_on_every_generated_page(tmp_path):
    pages = _pages(tmp_path, "  feedback: {email: docs@tallyweave.example}\n")
    for name, markdown in pages.items():
        links = _links(markdown)
        assert len(links) == len(RATINGS) == 5, name
        for link, rating in zip(links, RATINGS, strict=True):
            parts = urlsplit(link)
            assert (parts.scheme, parts.path) == ("mailto", "docs@tallyweave.example")
            query = parse_qs(parts.query)
            assert query["subject"][0].endswith(f"”: {rating.label}"), (name, query)
            assert f"Rating: {rating.label} ({rating.value} of 5)" in query["body"][0]
        assert "docs@<wbr>tallyweave<wbr>.example" in markdown


def test_an_issue_link_is_filled_in_with_the_page_and_the_answer(tmp_path):
    template = "https://git.example/acme/support/issues/new?title={title}&labels=docs&body={body}"
    pages = _pages(tmp_path, f'  feedback: {{issue: "{template}"}}\n')
    links = _links(pages["plans.md"])
    assert len(links) == 5
    query = parse_qs(urlsplit(links[1]).query)
    assert query["title"] == ["Feedback on “Support plans”: Useful"]
    assert query["labels"] == ["docs"]
    assert query["body"][0].startswith("Page: Support plans\nRating: Useful (4 of 5)")


def test_a_form_endpoint_gets_a_real_form_that_posts_page_and_rating(tmp_path):
    pages = _pages(tmp_path, "  feedback: {form: /api/feedback}\n")
    for name, markdown in pages.items():
        assert '<form class="sp-feedback__answers" method="post" action="/api/feedback" data-sp-feedback ' in markdown
        values = re.findall(r'<button type="submit" class="sp-feedback__answer" name="rating" value="(\d)">', markdown)
        assert values == ["5", "4", "3", "2", "1"], name
        assert 'role="status" aria-live="polite"' in markdown
    assert '<input type="hidden" name="page" value="Support plans">' in pages["plans.md"]


def test_a_hostile_page_title_stays_text_in_the_form_and_the_links(tmp_path):
    folder = _sample(tmp_path, "  feedback: {email: docs@tallyweave.example}\n")
    journeys = folder / "journeys.yaml"
    hostile = '"><script>alert(1)</script>&x='
    journeys.write_text(
        re.sub(
            r"(?m)^(\s+title:\n\s+en: ).*$", lambda m: m[1] + json.dumps(hostile), journeys.read_text("utf-8"), count=1
        ),
        "utf-8",
    )
    result = load_policies([folder])
    assert result.policy is not None
    journey = next(page for page in Renderer(result.policy).pages() if page.path.startswith("journeys/"))
    rating = journey.markdown[journey.markdown.index('<section class="sp-feedback"') :]
    assert "<script>" not in rating
    subject = parse_qs(urlsplit(_links(journey.markdown)[0]).query)["subject"][0]
    assert hostile in subject


@pytest.mark.parametrize(
    ("feedback", "message"),
    [
        pytest.param("{form: http://forms.example/x}", "organization.feedback.form", id="form over plain http"),
        pytest.param("{issue: https://git.example/new}", "organization.feedback.issue", id="issue without placeholder"),
        pytest.param("{email: docs-at-example}", "organization.feedback.email", id="malformed email"),
        pytest.param("{email: a@b.example, form: /api/feedback}", "organization.feedback", id="two destinations"),
        pytest.param("{}", "organization.feedback", id="no destination"),
        pytest.param("{slack: '#docs'}", "organization.feedback", id="unknown destination"),
    ],
)
def test_a_bad_destination_is_a_finding_with_its_place(tmp_path, run_cli, feedback, message):
    _sample(tmp_path, f"  feedback: {feedback}\n")
    code, out, _ = run_cli("check", "policies", cwd=tmp_path)
    assert code == 1, out
    assert re.search(r"policies[/\\]organization\.yaml:5:\d+", out), out
    assert message in out and "hint:" in out, out
