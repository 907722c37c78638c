"""Real MkDocs builds in tmp_path, read back as HTML."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest
from sites import EXAMPLES, REPO, copy_sample, mkdocs_build, soup

GENERATED = [
    "support/index.html",
    "support/plans/index.html",
    "support/severities/index.html",
    "support/tickets/index.html",
    "support/scope/index.html",
    "support/retention/index.html",
    "support/providers/index.html",
    "support/known-problems/index.html",
    "support/status/index.html",
    "support/security/index.html",
    "support/journeys/connect-accounting/index.html",
    "support/glossary/index.html",
]

MATRIX = {  # (tier, severity): the acknowledgement cell customers read
    ("break-fix", "critical"): "Within 24 business hours (Standard hours)",
    ("break-fix", "high"): "Within 24 business hours (Standard hours)",
    ("break-fix", "medium"): "Not covered",
    ("break-fix", "low"): "Not covered",
    ("break-fix", "cosmetic"): "Not covered",
    ("advanced", "critical"): "Within 12 business hours (Standard hours)",
    ("advanced", "high"): "Within 12 business hours (Standard hours)",
    ("advanced", "medium"): "Not covered",
    ("advanced", "low"): "Not covered",
    ("advanced", "cosmetic"): "Not covered",
    ("premium", "critical"): "Minutes, at most 2 hours, around the clock",
    ("premium", "high"): "Minutes, at most 4 hours, around the clock",
    ("premium", "medium"): "Within 8 business hours (Standard hours)",
    ("premium", "low"): "Within 24 business hours (Standard hours)Not eligible for escalation",
    ("premium", "cosmetic"): "Within 48 business hours (Standard hours)Not eligible for escalation",
}


def test_every_generated_page_is_built_and_in_the_nav(sample_site):
    home = soup(sample_site / "index.html")
    nav_links = {a["href"].lstrip("./") for a in home.select("nav.md-nav--primary a.md-nav__link[href]")}
    for page in GENERATED:
        assert (sample_site / page).is_file(), page
        assert page.removesuffix("index.html") in nav_links, page


def test_the_tier_matrix_has_the_right_cell_for_every_tier_and_severity(sample_site):
    page = soup(sample_site / "support/plans/index.html")
    matrix = page.select_one(".sp-tier-matrix table")
    assert matrix.caption.get_text(strip=True) == "Acknowledgement targets by severity and support plan"
    cells = {(td["data-tier"], td["data-severity"]): td.get_text(strip=True) for td in matrix.select("td")}
    assert cells == MATRIX
    assert [th["scope"] for th in matrix.select("thead th")] == ["col"] * 4
    assert [th.get_text(strip=True) for th in matrix.select("tbody th[scope=row]")] == [
        "1: Critical",
        "2: High",
        "3: Medium",
        "4: Low",
        "5: Cosmetic",
    ]


def test_plans_page_has_a_tab_per_tier_and_escalation_rules(sample_site):
    page = soup(sample_site / "support/plans/index.html")
    labels = [label.get_text(strip=True) for label in page.select(".tabbed-labels label")]
    assert labels == ["Break-Fix", "Advanced", "Premium"]
    escalation = page.find(id="escalation-premium").find_next("div", class_="admonition")
    assert "Low and Cosmetic incidents cannot be escalated on Premium" in escalation.get_text(" ", strip=True)


def test_every_time_carries_its_zone(sample_site):
    page = soup(sample_site / "support/plans/index.html")
    hours = page.select_one(".sp-hours table")
    rows = {tr.th.get_text(strip=True): tr.find_all("td") for tr in hours.select("tbody tr")}
    assert rows["Standard hours"][0].get_text(strip=True) == "Monday to Friday, 08:00–17:00 (Chicago)"
    # Platform operations only holds the maintenance windows: not support hours, its windows are on the status page
    assert "Platform operations" not in rows
    status = soup(sample_site / "support/status/index.html").select_one("article").get_text(" ", strip=True)
    assert "Tuesday and Thursday, 02:00–04:00 (New York)" in status


def test_known_problems_have_one_anchor_per_symptom(sample_site):
    page = soup(sample_site / "support/known-problems/index.html")
    for anchor in ("http-401", "http-400-phone", "duplicate-records", "http-429"):
        assert page.find(id=anchor) is not None, anchor
    assert page.find(id="http-401").get_text(strip=True).startswith("401 Unauthorized")


def test_ticket_page_lists_fields_in_order_with_conditions_and_warnings(sample_site):
    page = soup(sample_site / "support/tickets/index.html")
    fields = page.select("#fields-technical-ticket > ol > li")
    assert [li["id"] for li in fields][:3] == [
        "technical-ticket-company-ids",
        "technical-ticket-tenant",
        "technical-ticket-url",
    ]
    payload = page.find(id="technical-ticket-payload")
    assert "Required when the problem concerns pushing data" in payload.get_text(" ", strip=True)
    assert "Remove personal data and credentials" in payload.select_one(".admonition.warning").get_text()


def test_glossary_terms_are_tooltips_on_generated_and_hand_written_pages(sample_site):
    journey = soup(sample_site / "support/journeys/connect-accounting/index.html")
    assert journey.find("abbr", string="Connection")["title"].startswith("The authorized link")
    getting_started = soup(sample_site / "getting-started/index.html")
    assert getting_started.find("abbr", string="Connection") is not None


def test_an_extension_block_renders_exactly_like_the_generated_fragment(sample_site):
    home = soup(sample_site / "index.html").select_one(".sp-tier-matrix")
    plans = soup(sample_site / "support/plans/index.html").select_one(".sp-tier-matrix")
    assert str(home) == str(plans)
    getting_started = soup(sample_site / "getting-started/index.html").select_one("#fields-technical-ticket")
    tickets = soup(sample_site / "support/tickets/index.html").select_one("#fields-technical-ticket")
    assert str(getting_started) == str(tickets)


def test_the_plugin_renders_each_block_once(tmp_path, monkeypatch):
    """It renders a page's blocks to check them before MkDocs converts the page; the extension
    then reuses that HTML instead of rendering every block a second time."""
    from mkdocs.commands.build import build
    from mkdocs.config import load_config

    from support_policies.markdown import _Blocks
    from support_policies.render import Renderer

    converting = []
    run, fragment = _Blocks.run, Renderer.fragment

    def converting_page(self, lines):
        converting.append(True)
        try:
            return run(self, lines)
        finally:
            converting.pop()

    def rendering(self, name, **params):
        assert not converting, f"the extension rendered {name} {params} again"
        return fragment(self, name, **params)

    monkeypatch.setattr(_Blocks, "run", converting_page)
    monkeypatch.setattr(Renderer, "fragment", rendering)
    project = copy_sample(tmp_path)
    config = load_config(str(project / "mkdocs.yml"), site_dir=str(tmp_path / "site"))
    build(config)
    assert set(config.plugins["support-policies"].blocks) >= {"tier-matrix", "ticket-fields template=technical-ticket"}
    matrix = soup(tmp_path / "site/index.html").select_one(".sp-tier-matrix")
    assert matrix is not None and str(matrix) == str(
        soup(tmp_path / "site/support/plans/index.html").select_one(".sp-tier-matrix")
    )


@pytest.mark.parametrize("fences", ["fenced_code", "pymdownx.superfences"])
def test_the_extension_names_the_line_a_broken_block_is_written_on(fences):
    """Code blocks and raw HTML are one line each by the time blocks are read; the message
    counts the page's lines as written (a block shown inside a code example is not read)."""
    import markdown

    from support_policies.markdown import PolicyBlocksExtension, PolicyError
    from support_policies.policyset import load_policies
    from support_policies.render import Renderer

    renderer = Renderer(load_policies([REPO / "policies"]).policy)
    page = textwrap.dedent("""\
        # Plans

        ```text
        [[support-policies tier-targets tier=nope]]
        ```

        <div markdown="0">
        <p>Raw HTML, two lines.</p>
        </div>

        [[support-policies tier-targets tier=premium]]

        [[support-policies tier-targets tier=nope]]
        """)
    with pytest.raises(PolicyError, match=r"^line 13: tier-targets: unknown tier 'nope'"):
        markdown.markdown(page, extensions=[fences, PolicyBlocksExtension(renderer=renderer)])


def test_the_extension_reuses_a_block_rendered_before():
    import markdown

    from support_policies.markdown import PolicyBlocksExtension
    from support_policies.policyset import load_policies
    from support_policies.render import Renderer

    renderer = Renderer(load_policies([REPO / "policies"]).policy)
    extension = PolicyBlocksExtension(renderer=renderer, rendered={"tier-matrix": '<p class="kept">Kept</p>'})
    page = markdown.markdown(
        "[[support-policies tier-matrix]]\n\n[[support-policies severities]]", extensions=[extension]
    )
    assert '<p class="kept">Kept</p>' in page
    assert "sp-tier-matrix" not in page
    assert str(renderer.fragment("severities")) in page


def test_a_broken_policy_fails_the_build_with_file_line_and_column(tmp_path):
    project = copy_sample(tmp_path)
    tiers = project / "policies/tiers.yaml"
    tiers.write_text(tiers.read_text().replace("acknowledge: {within: 12h,", "acknowledge: {within: 12 hours,", 1))
    done = mkdocs_build(project)
    assert done.returncode != 0
    assert "policies/tiers.yaml:74:31: error:" in done.stderr
    assert "Traceback" not in done.stderr
    assert not (project / "site/support/plans/index.html").exists()


def test_plugin_messages_match_the_check_command(tmp_path):
    project = copy_sample(tmp_path)
    (project / "policies/severities.yaml").write_text("severities:\n  - id: critical\n    rank: one\n")
    build = mkdocs_build(project)
    check = subprocess.run(
        [sys.executable, "-m", "support_policies", "check", "policies"],
        cwd=project,
        capture_output=True,
        text=True,
        env={**os.environ, "NO_COLOR": "1"},
    )
    assert check.returncode == 1
    for line in check.stdout.splitlines():
        if ": error: " in line:
            assert line in build.stderr


def test_an_unknown_block_fails_with_page_and_line(tmp_path):
    project = copy_sample(tmp_path)
    (project / "docs/getting-started.md").write_text("# Start\n\n[[support-policies tier-targets tier=gold]]\n")
    done = mkdocs_build(project)
    assert done.returncode != 0
    assert "getting-started.md:3: tier-targets: unknown tier 'gold'; known: break-fix, advanced, premium" in done.stderr
    # MkDocs hands the plugin the page without its front matter: the line is still the file's.
    page = "---\ntitle: Start\nhide: [toc]\n---\n\n# Start\n\n[[support-policies tier-targets tier=gold]]\n"
    (project / "docs/getting-started.md").write_text(page)
    done = mkdocs_build(project)
    assert done.returncode != 0
    assert "getting-started.md:8: tier-targets: unknown tier 'gold'" in done.stderr
    # Lines end at line ends only (CRLF too), not at the other breaks str.splitlines knows.
    page = page.replace("# Start", "# Start\n\nA line\u2028with a line separator\fand a form feed.")
    (project / "docs/getting-started.md").write_bytes(page.replace("\n", "\r\n").encode("utf-8"))
    done = mkdocs_build(project)
    assert done.returncode != 0
    assert "getting-started.md:10: tier-targets: unknown tier 'gold'" in done.stderr


def test_policy_text_is_markdown_but_raw_html_is_escaped(tmp_path):
    project = copy_sample(tmp_path)
    scope = project / "policies/scope.yaml"
    scope.write_text(
        scope.read_text().replace(
            "Give product demos.", "Give *product* demos <script>alert(1)</script> [x](javascript:alert(2))."
        )
    )
    assert mkdocs_build(project).returncode == 0
    page = soup(project / "site/support/scope/index.html")
    item = page.find(id="will-not-demos").parent
    assert item.find("em").get_text() == "product"
    assert item.find("script") is None
    assert "<script>alert(1)</script>" in item.get_text()
    assert all(not a.get("href", "").startswith("javascript") for a in page.find_all("a"))


def test_templates_can_be_overridden_per_site(tmp_path):
    project = copy_sample(tmp_path)
    override = project / "overrides/fragments/severities.html"
    override.parent.mkdir(parents=True)
    override.write_text('<p class="custom-severities">{{ policy.severities | length }} levels</p>\n')
    config = project / "mkdocs.yml"
    config.write_text(
        config.read_text().replace("      section: Support\n", "      section: Support\n      templates: overrides\n")
    )
    assert mkdocs_build(project).returncode == 0
    page = soup(project / "site/support/severities/index.html")
    assert page.select_one(".custom-severities").get_text() == "5 levels"


def test_the_watch_list_contains_the_policies_folder(tmp_path):
    from mkdocs.config import load_config

    project = copy_sample(tmp_path)
    config = load_config(str(project / "mkdocs.yml"))
    config = config.plugins.on_config(config)
    assert str((project / "policies").resolve()) in config.watch


def test_a_site_without_a_nav_gets_the_pages_in_reading_order(tmp_path):
    project = copy_sample(tmp_path)
    config = project / "mkdocs.yml"
    text = config.read_text()
    config.write_text(text[: text.index("nav:")])
    assert mkdocs_build(project).returncode == 0
    home = soup(project / "site/index.html")
    titles = [a.get_text(strip=True) for a in home.select("nav.md-nav--primary a.md-nav__link[href*='support/']")]
    # With navigation.indexes the section's own link is its index page, "How to get help".
    assert titles[:3] == ["Support", "Support plans", "Severity levels"]
    assert home.select_one("a.md-nav__link[href$='support/']").get_text(strip=True) == "Support"


def test_the_markdown_extension_works_without_the_plugin(tmp_path):
    project = tmp_path / "plain"
    shutil.copytree(REPO / "policies", project / "policies")
    (project / "docs").mkdir()
    (project / "docs/index.md").write_text("# Plans\n\nA Connection.\n\n[[support-policies tier-matrix]]\n")
    (project / "mkdocs.yml").write_text(
        textwrap.dedent("""\
        site_name: Plain
        theme: {name: material}
        markdown_extensions:
          - abbr
          - support_policies.markdown:
              policies: policies
        """)
    )
    assert mkdocs_build(project).returncode == 0
    page = soup(project / "site/index.html")
    cells = {(td["data-tier"], td["data-severity"]): td.get_text(strip=True) for td in page.select("td")}
    assert cells == MATRIX
    assert page.find("abbr", string="Connection") is not None


@pytest.mark.parametrize("example", EXAMPLES, ids=[p.name for p in EXAMPLES])
def test_every_example_is_a_site_of_its_own(tmp_path, example):
    """``cd examples/X && mkdocs build --strict`` works: each example has its mkdocs.yml and a
    hand-written page whose policy blocks render."""
    project = tmp_path / example.name
    shutil.copytree(example, project)
    done = mkdocs_build(project)
    assert done.returncode == 0, done.stderr
    assert (project / "site/support/index.html").is_file() or (project / "site/support/journeys").is_dir()
    home = soup(project / "site/index.html").select_one("article")
    assert home.select("[class^=sp-], [class*=' sp-']"), "the home page embeds no policy block"
    assert "[[support-policies" not in home.get_text()


class Serve:
    """``mkdocs serve`` on a free port, with helpers to wait for its log and fetch its pages."""

    def __init__(self, project: Path, tmp_path: Path):
        import socket

        with socket.socket() as s:
            s.bind(("127.0.0.1", 0))
            self.port = s.getsockname()[1]
        self.log_path = tmp_path / "serve.log"
        self.log = self.log_path.open("w+")
        env = {**os.environ, "NO_MKDOCS_2_WARNING": "1", "NO_COLOR": "1"}
        self.process = subprocess.Popen(
            [sys.executable, "-m", "mkdocs", "serve", "-a", f"127.0.0.1:{self.port}"],
            cwd=project,
            env=env,
            stdout=self.log,
            stderr=subprocess.STDOUT,
        )
        self.seen = 0

    def _poll(self, seen, write, failure: str) -> None:
        """Call ``seen()`` until it is true; ``write`` makes the edit, again every 5 s in case the
        watcher was not yet looking (it starts a moment after "Serving on")."""
        import time

        deadline = time.monotonic() + 90
        next_write = time.monotonic()
        while time.monotonic() < deadline:
            if write and time.monotonic() >= next_write:
                write()
                next_write = time.monotonic() + 5
            if seen():
                return
            assert self.process.poll() is None, self.log_path.read_text()
            time.sleep(0.2)
        raise AssertionError(f"{failure}; log:\n{self.log_path.read_text()}")

    def wait_for(self, text: str, write=None) -> None:
        """Wait for ``text`` in the log after what was seen (``write`` as in :meth:`_poll`)."""

        def seen() -> bool:
            index = self.log_path.read_text().find(text, self.seen)
            if index >= 0:
                self.seen = index + len(text)
            return index >= 0

        self._poll(seen, write, f"{text!r} not seen")

    def page(self, path: str) -> str:
        import urllib.error
        import urllib.request

        try:
            with urllib.request.urlopen(f"http://127.0.0.1:{self.port}/{path}", timeout=30) as response:
                return response.read().decode("utf-8")
        except urllib.error.HTTPError as exc:
            return f"HTTP {exc.code}"

    def wait_for_page(self, path: str, text: str, write=None) -> None:
        """Wait until the page at ``path`` holds ``text`` (``write`` as in :meth:`_poll`)."""
        self._poll(lambda: text in self.page(path), write, f"{text!r} never on /{path}")

    def stop(self) -> None:
        self.process.terminate()
        self.process.wait(timeout=30)
        self.log.close()


def test_serve_shows_a_broken_edit_in_the_browser_and_recovers(tmp_path):
    """A broken edit logs the findings and every page shows them, instead of a reload that never
    comes; fixing the file brings the site back."""
    project = copy_sample(tmp_path)
    serve = Serve(project, tmp_path)
    try:
        serve.wait_for("Serving on")
        tiers = project / "policies/tiers.yaml"
        good = tiers.read_text()
        serve.wait_for("policies/tiers.yaml:", write=lambda: tiers.write_text(good.replace("level: 3", "level: three")))
        serve.wait_for("Documentation built")
        for path in ("", "support/plans/", "getting-started/"):
            page = serve.page(path)
            assert "The support policies have problems" in page, path
            assert "policies/tiers.yaml:" in page and "level: three" in page
        serve.wait_for("Documentation built", write=lambda: tiers.write_text(good))
        assert "The support policies have problems" not in serve.page("support/plans/")
        assert "Premium" in serve.page("support/plans/")
    finally:
        serve.stop()


def test_serve_keeps_watching_a_policies_folder_that_is_deleted_and_made_again(tmp_path):
    project = copy_sample(tmp_path)
    serve = Serve(project, tmp_path)
    policies = project / "policies"
    kept = tmp_path / "kept-policies"
    try:
        serve.wait_for("Serving on")
        serve.wait_for_page(
            "", "The support policies have problems", write=lambda: policies.exists() and policies.rename(kept)
        )

        def restore() -> None:
            if not policies.exists():
                shutil.copytree(kept, policies)
                tiers = policies / "tiers.yaml"
                tiers.write_text(tiers.read_text().replace("name: Premium", "name: Premium Plus", 1))

        serve.wait_for_page("support/plans/", "Premium Plus", write=restore)
        tiers = policies / "tiers.yaml"
        serve.wait_for_page(
            "support/plans/",
            "Premium Max",
            write=lambda: tiers.write_text(tiers.read_text().replace("Premium Plus", "Premium Max")),
        )
    finally:
        serve.stop()


def test_policy_warnings_are_logged_so_strict_builds_fail_on_them(tmp_path):
    project = copy_sample(tmp_path)
    glossary = project / "policies/glossary.yaml"
    glossary.write_text(glossary.read_text() + "  - term: Ledgerbook\n    definition: A word nobody uses.\n")
    strict = mkdocs_build(project)
    assert strict.returncode != 0
    assert "WARNING -  policies/glossary.yaml:" in strict.stderr and "[glossary.unused]" in strict.stderr
    env = {**os.environ, "NO_MKDOCS_2_WARNING": "1"}
    relaxed = subprocess.run(
        [sys.executable, "-m", "mkdocs", "build"], cwd=project, env=env, capture_output=True, text=True, timeout=300
    )
    assert relaxed.returncode == 0


def test_a_broken_template_override_fails_the_build_with_its_file_and_line(tmp_path):
    project = copy_sample(tmp_path)
    fragments = project / "overrides" / "fragments"
    fragments.mkdir(parents=True)
    (fragments / "severities.html").write_text(
        "<ul>\n{% for s in policy.severities %}\n<li>{{ s.rank + s.name }}</li>\n{% endfor %}\n</ul>\n", "utf-8"
    )
    config = project / "mkdocs.yml"
    config.write_text(
        config.read_text("utf-8").replace("      path: support\n", "      path: support\n      templates: overrides\n"),
        "utf-8",
    )
    done = mkdocs_build(project)
    assert done.returncode != 0
    assert "fragments/severities.html:3: TypeError" in done.stderr
    assert "Traceback" not in done.stderr


def test_a_relative_link_in_policy_text_is_resolved_like_a_link_in_a_page(tmp_path):
    """Links in policy text are relative to the section folder, resolved to the page's URL, and
    a link to a page that does not exist fails a strict build."""
    project = copy_sample(tmp_path)
    (project / "docs/faq.md").write_text("# Questions\n\n## Billing\n", "utf-8")
    config = project / "mkdocs.yml"
    config.write_text(config.read_text().replace("  - Home: index.md\n", "  - Home: index.md\n  - FAQ: faq.md\n"))
    scope = project / "policies/scope.yaml"
    original = scope.read_text()
    sentence = "Acknowledge every ticket within the target of your support plan."
    scope.write_text(original.replace(sentence, sentence[:-1] + "; see the [FAQ](../faq.md#billing)."))
    done = mkdocs_build(project)
    assert done.returncode == 0, done.stderr
    link = soup(project / "site/support/scope/index.html").find("a", string="FAQ")
    assert link["href"] == "../../faq/#billing"
    scope.write_text(original.replace(sentence, sentence[:-1] + "; see the [FAQ](../questions.md)."))
    done = mkdocs_build(project)
    assert done.returncode != 0
    assert "support/scope.md links to '../questions.md', which is not a page of the site" in done.stderr


def test_a_dirty_build_rebuilds_pages_that_show_policies(tmp_path):
    """``mkdocs build --dirty`` (and ``serve --dirtyreload``) rebuild hand-written pages that
    embed policy blocks or glossary tooltips when the policies change."""
    project = copy_sample(tmp_path)
    assert mkdocs_build(project).returncode == 0
    tiers = project / "policies/tiers.yaml"
    tiers.write_text(tiers.read_text().replace("name: Premium", "name: Premium Plus", 1))
    env = {**os.environ, "NO_MKDOCS_2_WARNING": "1"}
    done = subprocess.run(
        [sys.executable, "-m", "mkdocs", "build", "--dirty"],
        cwd=project,
        env=env,
        capture_output=True,
        text=True,
        timeout=300,
    )  # not strict: --dirty always warns
    assert done.returncode == 0, done.stderr
    assert "Premium Plus" in (project / "site/index.html").read_text("utf-8")  # the tier matrix block
    assert "Premium Plus" in (project / "site/support/plans/index.html").read_text("utf-8")


@pytest.mark.parametrize("written", ["../faq.md", "../faq.m\td", "../faq.\nmd", "../f&#97;q.md"])
def test_a_link_is_resolved_as_urlsplit_reads_it(tmp_path, written):
    """``urlsplit`` drops tabs and line breaks from anywhere in an address, and the HTML's
    character references are read first: each way of writing the page's address finds it."""
    from types import SimpleNamespace

    from mkdocs.structure.files import File, Files

    from support_policies.plugin import SupportPoliciesPlugin

    def file(path: str) -> File:
        return File(path, str(tmp_path / "docs"), str(tmp_path / "site"), use_directory_urls=True)

    plugin = SupportPoliciesPlugin()
    plugin.load_config({})
    page = SimpleNamespace(file=file("support/scope.md"))
    files = Files([file("faq.md"), page.file])
    html = plugin.on_page_content(f'<p><a href="{written}">FAQ</a></p>', page=page, config=None, files=files)
    assert html == '<p><a href="../../faq/">FAQ</a></p>'
