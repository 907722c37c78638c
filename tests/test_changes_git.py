"""``support-policies diff --against REF [PATH]`` in a real, temporary git repository."""

from __future__ import annotations

import json
import shutil
import subprocess
from pathlib import Path

import pytest
from conftest import run_cli

REPO = Path(__file__).resolve().parent.parent
TIERS = "policies/tiers.yaml"


def git(cwd: Path, *args: str) -> str:
    done = subprocess.run(
        ["git", "-c", "user.name=Test", "-c", "user.email=test@example.com", "-c", "commit.gpgsign=false", *args],
        cwd=cwd,
        capture_output=True,
        text=True,
        check=True,
    )
    return done.stdout


@pytest.fixture(autouse=True)
def _fixed_day(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1796083200")  # 2026-12-01
    monkeypatch.delenv("GITHUB_STEP_SUMMARY", raising=False)


@pytest.fixture
def project(tmp_path: Path) -> Path:
    """A repository holding a copy of the sample policies, committed on branch main."""
    root = tmp_path / "project"
    shutil.copytree(REPO / "policies", root / "policies")
    git(root, "init", "-q", "-b", "main")
    git(root, "add", "policies")
    git(root, "commit", "-q", "-m", "policies")
    return root


def slow_down(root: Path) -> None:
    path = root / TIERS
    text = path.read_text("utf-8")
    assert text.count("max: 4h}") == 1
    path.write_text(text.replace("max: 4h}", "max: 8h}"), "utf-8")


def diff(root: Path, *args: str) -> tuple[int, str, str]:
    return run_cli("diff", *args, cwd=root)


def test_the_working_tree_against_a_branch(project):
    slow_down(project)
    code, out, err = diff(project, "--against", "main", "--format", "json")
    assert code == 1, err
    report = json.loads(out)
    change = next(c for c in report["changes"] if c["id"] == "promise.slower")
    assert report["old"] == "main" and report["new"] == "the working tree"
    assert change["location"]["file"] == TIERS
    assert change["was"]["file"] == f"main:{TIERS}"
    assert change["location"]["line"] == change["was"]["line"]


def test_the_default_path_is_policies_and_a_clean_tree_passes(project):
    code, out, err = diff(project, "--against", "HEAD")
    assert (code, err) == (0, "")
    assert out.startswith("No changes from HEAD to the working tree.")


def test_a_commit_is_compared_with_an_older_one_from_a_subfolder(project):
    slow_down(project)
    git(project, "commit", "-q", "-am", "slower")
    code, out, _ = diff(project / "policies", "--against", "HEAD~1", ".")
    assert code == 1
    assert "Premium, High, first response: at most 4 hours → at most 8 hours" in out
    assert "at policies/tiers.yaml" not in out  # paths are the working directory's: tiers.yaml
    assert "at tiers.yaml:" in out


def test_an_approved_change_in_the_branch_passes(project):
    slow_down(project)
    (project / "policies" / "changelog.yaml").write_text(
        "changelog:\n"
        "  - id: premium-high\n"
        '    date: "2026-12-01"\n'
        "    summary: Premium high-severity incidents are answered within 8 hours.\n"
        "    covers: [tiers.premium.high.acknowledge]\n",
        "utf-8",
    )
    code, out, err = diff(project, "--against", "main")
    assert code == 0, out + err
    assert "announced in the change log ('premium-high', takes effect 2026-12-01)" in out


def test_policies_new_since_the_revision_are_all_added(project):
    git(project, "rm", "-q", "-r", "policies")
    git(project, "commit", "-q", "-m", "no policies yet")
    shutil.copytree(REPO / "policies", project / "policies")
    code, out, err = diff(project, "--against", "HEAD", "--format", "json")
    assert code == 0, err
    report = json.loads(out)
    assert report["summary"]["weakening"] == 0
    assert {c["id"] for c in report["changes"]} >= {"tier.added", "channel.added"}


def test_files_the_revision_cannot_read_are_findings(project):
    (project / TIERS).write_text("tiers: [\n", "utf-8")
    git(project, "commit", "-q", "-am", "broken")
    shutil.copy(REPO / TIERS, project / TIERS)
    code, out, err = diff(project, "--against", "HEAD")
    assert code == 1 and out == ""
    assert f"HEAD:{TIERS}:" in err  # the old file, named by the revision it comes from
    assert "Traceback" not in err


@pytest.mark.parametrize(
    ("ref", "message"),
    [
        ("no-such-branch", "support-policies diff: --against: no such git revision: 'no-such-branch'"),
        ("--output=x", "support-policies diff: --against: '--output=x' is not a git revision"),
    ],
)
def test_a_revision_that_does_not_exist_is_a_usage_error(project, ref, message):
    code, out, err = diff(project, f"--against={ref}")
    assert (code, out) == (2, "")
    assert err.strip() == message


def test_outside_a_repository_is_a_usage_error(tmp_path):
    shutil.copytree(REPO / "policies", tmp_path / "policies")
    code, out, err = diff(tmp_path, "--against", "HEAD")
    assert (code, out) == (2, "")
    assert err.strip() == "support-policies diff: --against: policies is not in a git repository"


def test_a_path_that_does_not_exist_is_a_usage_error(project):
    code, _, err = diff(project, "--against", "HEAD", "nowhere/policies")
    assert code == 2
    assert "nowhere/policies: no such file or folder" in err


def test_links_in_the_revision_are_not_followed(project, tmp_path):
    secret = tmp_path / "secret.yaml"
    secret.write_text("organization: {name: Secret}\n", "utf-8")
    (project / "policies" / "link.yaml").symlink_to(secret)
    git(project, "add", "policies/link.yaml")
    git(project, "commit", "-q", "-m", "a link out")
    (project / "policies" / "link.yaml").unlink()
    code, out, err = diff(project, "--against", "HEAD")
    assert code == 0, err
    assert "Secret" not in out + err


def test_the_pre_commit_hook_compares_the_staged_policies_with_head(project):
    import yaml

    hooks = {hook["id"]: hook for hook in yaml.safe_load((REPO / ".pre-commit-hooks.yaml").read_text("utf-8"))}
    hook, check = hooks["support-policies-diff"], hooks["support-policies-check"]
    assert (hook["files"], hook["pass_filenames"], hook["args"]) == (check["files"], False, ["policies"])
    slow_down(project)
    code, out, _ = run_cli(*hook["entry"].split()[1:], *hook["args"], cwd=project)
    assert code == 1 and "[promise.slower]" in out
