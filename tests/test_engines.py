"""The sample site builds under every engine the README names: MkDocs, ProperDocs and Zensical.

ProperDocs runs the plugin, registered for it under ``properdocs.plugins``. Zensical runs
the Markdown extension and the files of ``support-policies export``, whose ``--nav`` file
gives the support section the same navigation the plugin gives it under MkDocs.
"""

from __future__ import annotations

import importlib.util
import os
import posixpath
import shutil
import subprocess
import sys
from importlib.metadata import entry_points
from pathlib import Path

import pytest
import yaml
from sites import REPO, copy_sample, soup

from support_policies.plugin import SupportPoliciesPlugin
from support_policies.render.text import nav_title

ENV = {**os.environ, "NO_MKDOCS_2_WARNING": "1", "NO_COLOR": "1"}
ZENSICAL = yaml.safe_load((REPO / "zensical.yml").read_text("utf-8"))
NAV_FILE = "SUMMARY.md"


def _built_pages(site: Path) -> set[str]:
    return {p.relative_to(site).as_posix() for p in site.rglob("*.html")}


def _support_files(site: Path) -> dict[str, bytes]:
    return {
        p.relative_to(site).as_posix(): p.read_bytes()
        for p in (site / "support").rglob("*")
        if p.is_file() and p.suffix != ".html"
    }


def _nav(page: Path) -> list[tuple[str, str, str | None]]:
    """The site's navigation as a page shows it: each link and section label, with its target."""
    found = []
    for item in soup(page).select_one("nav.md-nav--primary").select(".md-nav__link"):
        href = item.get("href")
        if href is None or not href.startswith("#"):  # not the page's table of contents
            found.append(
                (item.name, item.get_text(" ", strip=True), None if href is None else posixpath.normpath(href))
            )
    return found


def _run(*command: str, cwd: Path) -> subprocess.CompletedProcess:
    done = subprocess.run(
        [sys.executable, "-m", *command], cwd=cwd, env=ENV, capture_output=True, text=True, timeout=300
    )
    assert done.returncode == 0, done.stdout + done.stderr
    return done


# --- ProperDocs ----------------------------------------------------------------------------------


def test_the_plugin_is_registered_for_mkdocs_and_for_properdocs():
    for group in ("mkdocs.plugins", "properdocs.plugins"):
        (entry,) = [e for e in entry_points(group=group) if e.name == "support-policies"]
        assert entry.load() is SupportPoliciesPlugin, group


def test_properdocs_finds_the_plugin_under_its_own_name():
    from properdocs.plugins import get_plugins

    assert get_plugins()["support-policies"].group == "properdocs.plugins"


def test_properdocs_builds_the_sample_with_the_plugin(tmp_path, sample_site):
    project = copy_sample(tmp_path)
    _run("properdocs", "build", "-f", "mkdocs.yml", "--strict", cwd=project)
    site = project / "site"
    assert _built_pages(site) == _built_pages(sample_site)
    assert _support_files(site) == _support_files(sample_site)
    plans = soup(site / "support/plans/index.html").select_one("article").get_text(" ")
    assert "Minutes, at most 2 hours, around the clock" in plans


# --- Zensical ------------------------------------------------------------------------------------


def _zensical_available() -> bool:
    return importlib.util.find_spec("zensical") is not None


needs_zensical = pytest.mark.skipif(
    not _zensical_available() and not os.environ.get("CI"), reason="Zensical is not installed (pip install zensical)"
)


def zensical_build(project: Path, *export: str) -> Path:
    """The README's Zensical build in ``project``: the docs copied, the export with its nav, the build."""
    shutil.copy(REPO / "zensical.yml", project / "zensical.yml")
    docs = project / ZENSICAL["docs_dir"]
    shutil.copytree(project / "docs", docs)
    _run("support_policies", "export", "--out", str(docs / "support"), "--nav", NAV_FILE, *export, cwd=project)
    _run("zensical", "build", "-f", "zensical.yml", "--strict", cwd=project)
    return project / ZENSICAL["site_dir"]


@needs_zensical
def test_zensical_builds_the_sample_from_the_markdown_extension_and_an_export(tmp_path, sample_site):
    plugins = yaml.safe_load((REPO / "mkdocs.yml").read_text("utf-8"))["plugins"]
    pages = next(p["support-policies"]["pages"] for p in plugins if isinstance(p, dict) and "support-policies" in p)
    site = zensical_build(
        copy_sample(tmp_path), "--pages", ",".join(pages), "--base-url", "https://support.tallyweave.example/support/"
    )

    assert _built_pages(site) >= {p for p in _built_pages(sample_site) if p.startswith("support/")}
    assert not (site / "support" / Path(NAV_FILE).stem).exists(), "the nav file is not a page"
    assert _support_files(site) == _support_files(sample_site), "downloads and data match the plugin's"
    guide = soup(site / "getting-started/index.html").select_one("article")
    assert guide.select_one(".sp-severities") is not None, "blocks in hand-written pages render"
    assert "[[support-policies" not in guide.get_text()
    tickets = soup(site / "support/tickets/index.html").select_one("article")
    assert tickets.select('a.md-button[download="technical-ticket.yml"]')


@needs_zensical
def test_the_zensical_nav_is_the_plugins_nav(tmp_path, sample_site):
    """The exported nav file gives the section the navigation the plugin gives it under MkDocs,
    below the hand-written entries of zensical.yml, which names the folder, not its pages."""
    site = zensical_build(copy_sample(tmp_path), "--pages", "all")
    for page in ("index.html", "support/plans/index.html", "support/journeys/connect-accounting/index.html"):
        assert _nav(site / page) == _nav(sample_site / page), page

    def targets(nav):
        for item in nav:
            for value in item.values():
                yield from targets(value) if isinstance(value, list) else [value]

    assert [t for t in targets(ZENSICAL["nav"]) if t.startswith("support/")] == ["support/"]


@needs_zensical
def test_the_zensical_nav_shows_policy_titles_as_written(tmp_path):
    title = "Evil *b* [x](javascript:alert(1)) <img src=x onerror=alert(1)> &amp; `c` _u_ | # \\ {#id} !x - 1."
    project = tmp_path / "project"
    (project / "policies").mkdir(parents=True)
    (project / "docs").mkdir()
    (project / "docs/index.md").write_text("# Home\n")
    (project / "docs/getting-started.md").write_text("# First steps\n")
    (project / "docs/stylesheets").mkdir()
    (project / "docs/stylesheets/accessibility.css").write_text("")
    (project / "policies/journeys.yaml").write_text(
        yaml.safe_dump({"journeys": [{"id": "evil", "title": title, "steps": [{"title": "One"}]}]})
    )
    site = zensical_build(project, "--pages", "journeys")
    links = soup(site / "index.html").select("nav.md-nav--primary a.md-nav__link[href$='journeys/evil/']")
    assert [link.get_text(" ", strip=True) for link in links] == [nav_title(title)]
    assert not soup(site / "index.html").select("nav.md-nav--primary img, nav.md-nav--primary a[href^='javascript']")


@pytest.mark.parametrize(
    ("name", "message"),
    [
        ("index.md", "--nav: index.md is a page of the export; out is unchanged"),
        ("nav/SUMMARY.md", "expected a file name ending in .md, such as SUMMARY.md, got 'nav/SUMMARY.md'"),
        ("SUMMARY.yml", "expected a file name ending in .md, such as SUMMARY.md, got 'SUMMARY.yml'"),
        ("../SUMMARY.md", "expected a file name ending in .md, such as SUMMARY.md, got '../SUMMARY.md'"),
    ],
)
def test_the_nav_file_is_a_markdown_file_beside_the_pages(run_cli, tmp_path, name, message):
    code, _out, err = run_cli("export", str(REPO / "policies"), "--out", "out", "--nav", name, cwd=tmp_path)
    assert (code, message in err) == (2, True), err
    assert not (tmp_path / "out").exists()
