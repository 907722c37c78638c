"""Building the sample site in a temporary folder and reading its HTML, for the site tests."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

from bs4 import BeautifulSoup

REPO = Path(__file__).resolve().parent.parent
LANGUAGES_EXAMPLE = REPO / "examples" / "languages"
"""A site in English and German (mkdocs-static-i18n)."""
SEED_EXAMPLES = sorted(
    p for p in (REPO / "examples").iterdir() if (p / "mkdocs.yml").is_file() and p != LANGUAGES_EXAMPLE
)
"""One example site per seed page."""
CONTRACT_EXAMPLES = sorted(p for p in (REPO / "examples/contracts").glob("*") if (p / "mkdocs.yml").is_file())
"""One example site per concept of real contracts (best effort, follow-the-sun, …)."""
EXAMPLES = SEED_EXAMPLES + CONTRACT_EXAMPLES + [LANGUAGES_EXAMPLE]


def mkdocs_build(project: Path, *args: str) -> subprocess.CompletedProcess:
    env = {**os.environ, "NO_MKDOCS_2_WARNING": "1", "NO_COLOR": "1"}
    return subprocess.run(
        [sys.executable, "-m", "mkdocs", "build", "--strict", *args],
        cwd=project,
        env=env,
        capture_output=True,
        text=True,
        timeout=300,
    )


def soup(path: Path) -> BeautifulSoup:
    return BeautifulSoup(path.read_text("utf-8"), "html.parser")


def copy_sample(tmp_path: Path) -> Path:
    project = tmp_path / "site-project"
    for name in ("policies", "docs"):
        shutil.copytree(REPO / name, project / name)
    shutil.copy(REPO / "mkdocs.yml", project / "mkdocs.yml")
    return project
