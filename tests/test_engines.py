"""The sample site builds under every engine the README names: MkDocs, ProperDocs and Zensical."""

from __future__ import annotations

import importlib.util
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
import yaml
from sites import REPO, copy_sample, soup

ENV = {**os.environ, "NO_MKDOCS_2_WARNING": "1", "NO_COLOR": "1"}


def _built_pages(site: Path) -> set[str]:
    return {p.relative_to(site).as_posix() for p in site.rglob("*.html")}


def _support_files(site: Path) -> dict[str, bytes]:
    return {
        p.relative_to(site).as_posix(): p.read_bytes()
        for p in (site / "support").rglob("*")
        if p.is_file() and p.suffix != ".html"
    }


def test_properdocs_builds_the_sample_with_the_plugin(tmp_path, sample_site):
    project = copy_sample(tmp_path)
    done = subprocess.run(
        [sys.executable, "-m", "properdocs", "build", "-f", "mkdocs.yml", "--strict"],
        cwd=project,
        env=ENV,
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert done.returncode == 0, done.stderr
    site = project / "site"
    assert _built_pages(site) == _built_pages(sample_site)
    assert _support_files(site) == _support_files(sample_site)
    plans = soup(site / "support/plans/index.html").select_one("article").get_text(" ")
    assert "Minutes, at most 2 hours, around the clock" in plans


def _zensical_available() -> bool:
    return importlib.util.find_spec("zensical") is not None


@pytest.mark.skipif(
    not _zensical_available() and not os.environ.get("CI"), reason="Zensical is not installed (pip install zensical)"
)
def test_zensical_builds_the_sample_from_the_markdown_extension_and_an_export(tmp_path, sample_site):
    project = copy_sample(tmp_path)
    shutil.copy(REPO / "zensical.yml", project / "zensical.yml")
    config = yaml.safe_load((project / "zensical.yml").read_text("utf-8"))
    docs = project / config["docs_dir"]
    shutil.copytree(project / "docs", docs)
    pages = yaml.safe_load((REPO / "mkdocs.yml").read_text("utf-8"))["plugins"][1]["support-policies"]["pages"]
    export = subprocess.run(
        [
            sys.executable,
            "-m",
            "support_policies",
            "export",
            "--out",
            str(docs / "support"),
            "--pages",
            ",".join(pages),
        ],
        cwd=project,
        env=ENV,
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert export.returncode == 0, export.stderr
    done = subprocess.run(
        [sys.executable, "-m", "zensical", "build", "-f", "zensical.yml", "--strict"],
        cwd=project,
        env=ENV,
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert done.returncode == 0, done.stdout + done.stderr
    site = project / config["site_dir"]

    assert _built_pages(site) >= {p for p in _built_pages(sample_site) if p.startswith("support/")}
    assert _support_files(site) == _support_files(sample_site), "downloads and data match the plugin's"
    guide = soup(site / "getting-started/index.html").select_one("article")
    assert guide.select_one(".sp-severities") is not None, "blocks in hand-written pages render"
    assert "[[support-policies" not in guide.get_text()
    tickets = soup(site / "support/tickets/index.html").select_one("article")
    assert tickets.select('a.md-button[download="technical-ticket.yml"]')


def test_the_zensical_nav_lists_every_exported_page(tmp_path):
    """zensical.yml spells out the nav, so a new generated page must be added there too."""
    config = yaml.safe_load((REPO / "zensical.yml").read_text("utf-8"))
    pages = yaml.safe_load((REPO / "mkdocs.yml").read_text("utf-8"))["plugins"][1]["support-policies"]["pages"]
    out = tmp_path / "support"
    export = subprocess.run(
        [
            sys.executable,
            "-m",
            "support_policies",
            "export",
            "--out",
            str(out),
            "--pages",
            ",".join(pages),
            str(REPO / "policies"),
        ],
        cwd=tmp_path,
        env=ENV,
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert export.returncode == 0, export.stderr

    def entries(nav):
        for item in nav:
            for value in item.values():
                yield from entries(value) if isinstance(value, list) else [value]

    exported = {f"support/{p.relative_to(out).as_posix()}" for p in out.rglob("*.md")}
    assert exported <= set(entries(config["nav"]))
