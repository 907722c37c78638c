"""One gate: every front door gives the same verdict on the same files and settings."""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

import markdown
import pytest
import yaml
from sites import REPO, copy_sample

from support_policies.gate import SettingsError, fails, settings_file
from support_policies.markdown import PolicyError, makeExtension
from support_policies.policyset import discover

SLOWER = ("max: 2h", "max: 500h")  # Premium's critical acknowledgement: slower than the lower tiers
OFF = "rules:\n  tiers.slower-than-lower-tier: 'off'\n  severities.out-of-order: 'off'\n"
UNUSED_TERM = "  - term: Ledgerbook\n    definition: A word nobody uses.\n"

VARIANTS = {
    "clean sample": (None, None, False),
    "a warning only": ("glossary", None, False),
    "errors, their rules turned off in support-policies.yaml": ("slower", OFF, False),
    "errors": ("slower", None, True),
}


def _variant(tmp_path: Path, change: str | None, settings: str | None) -> Path:
    project = copy_sample(tmp_path)
    if change == "slower":
        tiers = project / "policies/tiers.yaml"
        tiers.write_text(tiers.read_text().replace(*SLOWER, 1))
    elif change == "glossary":
        glossary = project / "policies/glossary.yaml"
        glossary.write_text(glossary.read_text() + UNUSED_TERM)
    if settings:
        (project / "support-policies.yaml").write_text(settings)
    return project


def _cli(project: Path) -> bool:
    done = subprocess.run(
        [sys.executable, "-m", "support_policies", "check", "policies"],
        cwd=project,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert done.returncode in (0, 1), done.stderr
    return done.returncode == 1


def _plugin(project: Path) -> bool:
    env = {**os.environ, "NO_MKDOCS_2_WARNING": "1"}
    done = subprocess.run(
        [sys.executable, "-m", "mkdocs", "build"], cwd=project, env=env, capture_output=True, text=True, timeout=300
    )
    return done.returncode != 0


def _extension(project: Path, monkeypatch) -> bool:
    monkeypatch.chdir(project)
    md = markdown.Markdown(extensions=["abbr", makeExtension(policies="policies")])
    try:
        md.convert("[[support-policies severities]]\n")
    except PolicyError:
        return True
    return False


def _pytest_plugin(project: Path) -> bool:
    done = subprocess.run(
        [sys.executable, "-m", "pytest", "-p", "no:cacheprovider", "-q", "--support-policies"],
        cwd=project,
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert done.returncode in (0, 1), done.stdout + done.stderr
    return done.returncode == 1


@pytest.mark.parametrize("case", VARIANTS)
def test_every_front_door_gives_the_same_verdict(tmp_path, monkeypatch, case):
    change, settings, expected = VARIANTS[case]
    project = _variant(tmp_path, change, settings)
    (project / "pytest.ini").write_text("[pytest]\n")  # the project's own rootdir for the pytest plugin
    verdicts = {
        "check": _cli(project),
        "mkdocs build": _plugin(project),
        "markdown extension": _extension(project, monkeypatch),
        "pytest plugin": _pytest_plugin(project),
    }
    assert verdicts == dict.fromkeys(verdicts, expected)


def test_the_gate_fails_on_errors_and_on_warnings_when_strict():
    from support_policies.findings import Finding, Level

    warning = Finding("a.yaml", 1, 1, "glossary.unused", Level.WARNING, "w")
    error = Finding("a.yaml", 1, 1, "ref.unknown", Level.ERROR, "e")
    info = Finding("a.yaml", 1, 1, "x", Level.INFO, "i")
    assert (fails([]), fails([info]), fails([warning]), fails([error])) == (False, False, False, True)
    assert (fails([info], strict=True), fails([warning], strict=True)) == (False, True)


def test_settings_file_rule(tmp_path):
    assert settings_file(None, tmp_path) is None
    (tmp_path / "support-policies.yaml").write_text("rules: {}\n")
    assert settings_file(None, tmp_path) == tmp_path / "support-policies.yaml"
    with pytest.raises(SettingsError, match=r"no such file: other\.yaml"):
        settings_file("other.yaml", tmp_path)


def test_the_standalone_extension_reads_the_named_settings_file(tmp_path, monkeypatch):
    project = _variant(tmp_path, "slower", None)
    (project / "relaxed.yaml").write_text(OFF)
    monkeypatch.chdir(project)
    md = markdown.Markdown(extensions=["abbr", makeExtension(policies="policies", settings="relaxed.yaml")])
    assert "Critical" in md.convert("[[support-policies severities]]\n")
    with pytest.raises(PolicyError, match=r"settings: no such file: missing\.yaml"):
        markdown.Markdown(extensions=[makeExtension(policies="policies", settings="missing.yaml")]).convert(
            "[[support-policies severities]]\n"
        )


# --- pre-commit ----------------------------------------------------------------------------------


def test_the_pre_commit_hook_triggers_on_every_file_check_reads(tmp_path):
    hooks = yaml.safe_load((REPO / ".pre-commit-hooks.yaml").read_text())
    hook = next(h for h in hooks if h["id"] == "support-policies-check")
    assert (hook["entry"], hook["args"], hook["pass_filenames"]) == ("support-policies check", ["policies"], False)
    files = re.compile(hook["files"])  # pre-commit matches with re.search on repository-relative paths
    policies = tmp_path / "policies"
    shutil.copytree(REPO / "policies", policies)
    for name in ("extra/UPPER.YAML", "short.yml", "Mixed.Yml"):
        (policies / name).parent.mkdir(exist_ok=True)
        shutil.copy(REPO / "policies/glossary.yaml", policies / name)
    found, _ = discover([policies])
    read = [path.relative_to(tmp_path.resolve()).as_posix() for path in found] + ["support-policies.yaml"]
    assert all(files.search(path) for path in read), [p for p in read if not files.search(p)]
    assert not any(files.search(path) for path in ("docs/index.md", "mkdocs.yml", "other/policies.yaml"))
