"""The set-up is reproducible: the README's commands install exactly the committed lock."""

from __future__ import annotations

import re
import subprocess
import sys
import tomllib
from pathlib import Path

from packaging.requirements import Requirement
from packaging.utils import canonicalize_name

REPO = Path(__file__).resolve().parent.parent
PINNED = re.compile(
    r"^(?P<name>[A-Za-z0-9_.-]+)==(?P<version>[^\s;\\]+)(?P<rest>[^\n]*(\n\s+--hash=sha256:[0-9a-f]{64}[^\n]*)+)", re.M
)


def _lock(name: str) -> dict[str, list[str]]:
    """Package name → pinned versions (several when a marker forks the resolution)."""
    pins: dict[str, list[str]] = {}
    text = (REPO / "requirements" / name).read_text("utf-8")
    for match in PINNED.finditer(text):
        pins.setdefault(canonicalize_name(match["name"]), []).append(match["version"])
    assert pins, name
    return pins


def _project() -> dict:
    return tomllib.loads((REPO / "pyproject.toml").read_text("utf-8"))["project"]


def test_the_lock_pins_every_dependency_within_its_range_with_hashes():
    project = _project()
    lock = _lock("lock.txt")
    text = (REPO / "requirements/lock.txt").read_text("utf-8")
    entries = [line for line in text.splitlines() if line.strip() and not line.startswith(("#", " "))]
    assert len(entries) == sum(map(len, lock.values())), "every entry is pinned with == and hashed"
    for spec in project["dependencies"] + project["optional-dependencies"]["test"] + ["setuptools"]:
        requirement = Requirement(spec)
        versions = lock.get(canonicalize_name(requirement.name))
        assert versions, f"{requirement.name} is not in requirements/lock.txt"
        assert all(requirement.specifier.contains(v, prereleases=True) for v in versions), (spec, versions)


def test_the_installer_is_pinned_with_hashes():
    assert list(_lock("bootstrap.txt")) == ["uv"]


def test_the_package_ranges_stay_open():
    """Users get the newest releases their ranges allow: no dependency is pinned to one version."""
    for spec in _project()["dependencies"]:
        assert not any(s.operator in ("==", "===") for s in Requirement(spec).specifier), spec


def test_the_python_floor_is_stated_and_checked():
    assert _project()["requires-python"] == ">=3.11"
    assert "sys.version_info < (3, 11)" in (REPO / "dev.sh").read_text("utf-8")
    assert "Python ≥ 3.11" in (REPO / "README.md").read_text("utf-8")
    assert sys.version_info >= (3, 11)


def test_ci_runs_the_readme_test_command_unchanged():
    run = (REPO / ".ci/run").read_text("utf-8")
    assert run.strip().splitlines()[-1] == "./dev.sh test"
    assert "./dev.sh test" in (REPO / "README.md").read_text("utf-8")


def test_the_environment_is_the_lock():
    """What this test run imports is what the lock pins (the suite runs in the locked venv)."""
    lock = _lock("lock.txt")
    done = subprocess.run(
        [sys.executable, "-m", "pip", "list", "--format", "freeze", "--disable-pip-version-check"],
        capture_output=True,
        text=True,
        timeout=120,
    )
    installed = dict(line.split("==", 1) for line in done.stdout.splitlines() if "==" in line)
    for name, version in installed.items():
        name = canonicalize_name(name)
        if name in lock:
            assert version in lock[name], (name, version, lock[name])


def test_the_package_says_the_version_the_project_declares():
    """Reports and exports name ``support_policies.__version__``: it is the released one."""
    from support_policies import __version__

    assert _project()["version"] == __version__
