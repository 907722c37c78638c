"""The change log on the site: the Policy changes page and its Atom feed, from the plugin and from export."""

from __future__ import annotations

import shutil
import textwrap
import xml.etree.ElementTree as ET
from pathlib import Path

import pytest
from conftest import run_cli
from sites import REPO, mkdocs_build, soup

from support_policies.exports.feed import atom_feed, xml_text
from support_policies.model import ChangelogEntry, Organization, PolicySet

ATOM = "{http://www.w3.org/2005/Atom}"
CHANGELOG = """\
    changelog:
      - id: older
        date: "2026-10-01"
        summary: Support closes on 26 December from now on.
      - id: premium-high-2027
        date: "2026-12-01"
        effective: "2027-03-01"
        summary: "Premium: high-severity answers within 8 hours <b>bold</b> & more"
        details: |
          From 1 March 2027 **8 hours**, around the clock. <script>alert(1)</script> ]]> &amp;
        covers: [tiers.premium.high.acknowledge]
"""


@pytest.fixture(scope="module")
def built(tmp_path_factory) -> Path:
    project = tmp_path_factory.mktemp("changes") / "site"
    shutil.copytree(REPO / "examples" / "support-tiers", project)
    (project / "policies" / "changelog.yaml").write_text(textwrap.dedent(CHANGELOG), "utf-8")
    done = mkdocs_build(project)
    assert done.returncode == 0, done.stderr
    return project / "site"


def test_the_page_lists_the_change_log_newest_first_with_anchors(built):
    page = soup(built / "support" / "changes" / "index.html")
    headings = page.select("article h2")
    assert [h["id"] for h in headings] == ["change-premium-high-2027", "change-older"]
    # the heading reads as written (a word joiner keeps "<b" from reading as a tag after the theme's decoding)
    assert (
        headings[0]
        .get_text()
        .replace("\u2060", "")
        .startswith("Premium: high-severity answers within 8 hours <b>bold</b> & more")
    )
    dates = page.select("p.sp-change-dates")[0].get_text(" ", strip=True)
    assert dates == "Announced 1 December 2026 · Takes effect 1 March 2027"
    assert not page.select("article script") and not page.select("article h2 b")
    feed = page.select_one('a[type="application/atom+xml"]')
    assert feed is not None and feed["href"] == "../policy-changes.xml"


def test_the_page_is_in_the_navigation(built):
    nav = [a.get_text(strip=True) for a in soup(built / "support" / "index.html").select("nav a")]
    assert "Policy changes" in nav


def test_the_feed_is_atom_with_an_entry_per_change(built):
    root = ET.fromstring((built / "support" / "policy-changes.xml").read_bytes())
    assert root.tag == f"{ATOM}feed"
    assert root.findtext(f"{ATOM}id") == "tag:support.keystrand.example,2026-10-01:support-policies/changes"
    assert root.findtext(f"{ATOM}updated") == "2026-12-01T00:00:00Z"
    links = {link.get("rel"): link.get("href") for link in root.findall(f"{ATOM}link")}
    assert links == {
        "self": "https://support.keystrand.example/support/policy-changes.xml",
        "alternate": "https://support.keystrand.example/support/changes/",
    }
    entries = root.findall(f"{ATOM}entry")
    assert [e.findtext(f"{ATOM}title") for e in entries] == [
        "Premium: high-severity answers within 8 hours <b>bold</b> & more",
        "Support closes on 26 December from now on.",
    ]
    first = entries[0]
    assert first.find(f"{ATOM}link").get("href").endswith("/support/changes/#change-premium-high-2027")
    assert first.find(f"{ATOM}content").get("type") == "text"
    assert "<script>alert(1)</script> ]]> &amp;" in first.findtext(f"{ATOM}content")
    assert first.findtext(f"{ATOM}summary").endswith("Takes effect on 1 March 2027.")


def test_export_writes_the_page_and_the_feed_reproducibly(tmp_path):
    policies = tmp_path / "policies"
    shutil.copytree(REPO / "examples" / "support-tiers" / "policies", policies)
    (policies / "changelog.yaml").write_text(textwrap.dedent(CHANGELOG), "utf-8")
    outputs = []
    for name in ("one", "two"):
        code, out, err = run_cli("export", "policies", "--out", name, cwd=tmp_path)
        assert code == 0, out + err
        outputs.append(
            ((tmp_path / name / "changes.md").read_bytes(), (tmp_path / name / "policy-changes.xml").read_bytes())
        )
    assert outputs[0] == outputs[1]
    assert b"{#change-premium-high-2027}" in outputs[0][0]
    code, out, _ = run_cli("export", "policies", "--out", "nav", "--nav", "SUMMARY.md", cwd=tmp_path)
    assert "* [Policy changes](changes.md)" in (tmp_path / "nav" / "SUMMARY.md").read_text("utf-8")


def test_without_a_change_log_there_is_no_page_and_no_feed(tmp_path):
    shutil.copytree(REPO / "examples" / "support-tiers" / "policies", tmp_path / "policies")
    code, _, _ = run_cli("export", "policies", "--out", "out", cwd=tmp_path)
    assert code == 0
    assert not (tmp_path / "out" / "changes.md").exists() and not (tmp_path / "out" / "policy-changes.xml").exists()


def test_what_xml_cannot_hold_is_replaced_and_the_rest_escaped():
    assert xml_text("a\x00b\x1fc\ud800d\ufffe") == "a\ufffdb\ufffdc\ufffdd\ufffd"
    policy = PolicySet(
        organization=Organization(name="A & B <Co>"),
        changelog=(ChangelogEntry(id="x", date="2026-12-01", summary="]]> </title><script>", details="\x07 \ud800"),),
    )
    text = atom_feed(policy)
    root = ET.fromstring(text.encode("utf-8"))  # well formed
    assert root.findtext(f"{ATOM}entry/{ATOM}title") == "]]> </title><script>"
    assert "<script>" not in text
    assert root.findtext(f"{ATOM}author/{ATOM}name") == "A & B <Co>"
    assert root.findtext(f"{ATOM}id") == "tag:support-policies.invalid,2026-12-01:support-policies/changes"
