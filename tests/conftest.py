"""Shared helpers: write policy files into a temporary folder, run the CLI for real."""

from __future__ import annotations

import os
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parent.parent


@pytest.fixture
def repo() -> Path:
    """The project's root folder (holding policies/ and examples/)."""
    return REPO


@pytest.fixture
def write_policy(tmp_path):
    """``write_policy(name, text)`` writes a file under ``tmp_path`` and returns its path.

    Text is dedented and written as UTF-8 exactly as given (no newline translation);
    bytes are written unchanged, for encoding tests.
    """

    def write(name: str, text: str | bytes) -> Path:
        path = tmp_path / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(text if isinstance(text, bytes) else textwrap.dedent(text).encode("utf-8"))
        return path

    return write


def run_cli(*args: str, cwd: Path) -> tuple[int, str, str]:
    """Run ``python -m support_policies ARGS`` in ``cwd``; return (exit code, stdout, stderr)."""
    env = {**os.environ, "NO_COLOR": "1", "PYTHONIOENCODING": "utf-8"}
    done = subprocess.run(
        [sys.executable, "-m", "support_policies", *map(str, args)],
        cwd=cwd,
        env=env,
        capture_output=True,
        text=True,
        encoding="utf-8",
        timeout=120,
    )
    return done.returncode, done.stdout, done.stderr


@pytest.fixture(name="run_cli")
def run_cli_fixture():
    """The :func:`run_cli` helper, as a fixture: ``run_cli("check", "x.yaml", cwd=tmp_path)``."""
    return run_cli


def pytest_configure(config):
    config.addinivalue_line("markers", "requirement: a product requirement the project must meet")


@pytest.fixture(scope="session")
def sample_site(tmp_path_factory) -> Path:
    """The sample site, built once per run with ``mkdocs build --strict``; read it, never write."""
    from sites import copy_sample, mkdocs_build

    project = copy_sample(tmp_path_factory.mktemp("sample"))
    done = mkdocs_build(project)
    assert done.returncode == 0, done.stderr
    assert "WARNING" not in done.stderr
    return project / "site"
