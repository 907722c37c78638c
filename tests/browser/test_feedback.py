"""'Was this page useful?' in Chromium: on every generated page of the sample (answers by email),
and, on a copy of the sample whose answers go to a form endpoint on the site itself, exactly one
POST with the page and the rating after the reader picks an answer with the keyboard, none before."""

from __future__ import annotations

import functools
import threading
from http.server import ThreadingHTTPServer
from typing import ClassVar
from urllib.parse import parse_qs, urlsplit

import pytest
from sites import copy_sample, mkdocs_build

from .helpers import HOST, _QuietHandler, open_page

pytestmark = pytest.mark.browser


def test_every_generated_page_ends_with_the_rating(page, site_url, site_dir):
    generated = sorted(
        path.parent.relative_to(site_dir).as_posix() + "/"
        for path in (site_dir / "support").rglob("index.html")
        if "sp-" in path.read_text("utf-8")  # a page the plugin wrote
    )
    assert len(generated) > 10
    for path in generated:
        open_page(page, site_url, path)
        rating = page.get_by_role("region", name="Was this page useful?")
        answers = rating.get_by_role("link")
        labels = [answers.nth(i).inner_text().split(" ", 1)[1] for i in range(answers.count() - 1)]
        assert labels == ["Very useful", "Useful", "Not sure", "Not useful", "Not useful at all"], path
        subject = parse_qs(urlsplit(answers.first.get_attribute("href") or "").query)["subject"][0]
        assert subject.startswith("Feedback on “") and subject.endswith("”: Very useful"), path


class _Recorder(_QuietHandler):
    posts: ClassVar[list[tuple[str, dict[str, list[str]]]]] = []

    def do_POST(self):  # noqa: N802 (the handler's name for POST)
        length = int(self.headers.get("Content-Length") or 0)
        self.posts.append((self.path, parse_qs(self.rfile.read(length).decode("utf-8"))))
        self.send_response(204)
        self.end_headers()


@pytest.fixture(scope="module")
def form_site(tmp_path_factory):
    """A copy of the sample whose answers go to /feedback on the same host, served with a
    handler that records every POST."""
    project = copy_sample(tmp_path_factory.mktemp("feedback-form"))
    organization = project / "policies" / "organization.yaml"
    text = organization.read_text("utf-8").replace("email: docs@tallyweave.example", "form: /feedback")
    organization.write_text(text, "utf-8")
    built = mkdocs_build(project)
    assert built.returncode == 0, built.stderr
    handler = type("Recorder", (_Recorder,), {"posts": []})
    server = ThreadingHTTPServer((HOST, 0), functools.partial(handler, directory=str(project / "site")))
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://{HOST}:{server.server_address[1]}/", handler.posts
    finally:
        server.shutdown()


def test_a_keyboard_answer_is_posted_once_and_announced(browser_context, form_site):
    url, posts = form_site
    page = browser_context.new_page()
    try:
        page.goto(url + "support/plans/")
        rating = page.get_by_role("region", name="Was this page useful?")
        useful = rating.get_by_role("button", name="Useful", exact=True)
        page.wait_for_timeout(300)
        assert posts == [], "an answer was sent before the reader chose one"
        useful.focus()
        page.keyboard.press("Enter")
        status = rating.get_by_role("status")
        status.filter(has_text="Thank you").wait_for()
        assert status.get_attribute("aria-live") == "polite"
        assert page.url == url + "support/plans/", "the page was left"
        assert posts == [("/feedback", {"page": ["Support plans"], "rating": ["4"], "path": ["/support/plans/"]})]
        assert useful.get_attribute("aria-pressed") == "true"
    finally:
        page.close()


def test_a_failed_answer_says_so_and_can_be_sent_again(browser_context, form_site):
    url, _ = form_site
    page = browser_context.new_page()
    try:
        page.route("**/feedback", lambda route: route.fulfill(status=503))
        page.goto(url + "support/severities/")
        rating = page.get_by_role("region", name="Was this page useful?")
        rating.get_by_role("button", name="Not sure").click()
        rating.get_by_role("status").filter(has_text="could not be sent (HTTP 503)").wait_for()
        assert rating.get_by_role("button", name="Not sure").is_enabled()
    finally:
        page.close()


def test_without_script_the_form_posts_itself(new_context, form_site):
    url, posts = form_site
    context = new_context(java_script_enabled=False)
    page = context.new_page()
    before = len(posts)
    page.goto(url + "support/scope/")
    page.get_by_role("button", name="Very useful").click()
    page.wait_for_load_state()
    assert posts[before:] == [("/feedback", {"page": ["What support covers"], "rating": ["5"]})]
    page.close()


def test_the_rating_links_need_no_script(new_context, site_url):
    page = new_context(java_script_enabled=False).new_page()
    page.goto(site_url + "support/plans/")
    links = page.locator(".sp-feedback a.sp-feedback__answer")
    hrefs = [links.nth(i).get_attribute("href") or "" for i in range(links.count())]
    assert len(hrefs) == 5 and all(href.startswith("mailto:") for href in hrefs)
    page.close()
