"""``support-policies export``: the same files the plugin publishes, written all at once."""

from __future__ import annotations

import shutil
from pathlib import Path

from support_policies.exports.site import site_files
from support_policies.exports.writer import MARKER
from support_policies.policyset import load_policies
from support_policies.render import Renderer


def _tree(folder: Path) -> dict[str, bytes]:
    return {p.relative_to(folder).as_posix(): p.read_bytes() for p in sorted(folder.rglob("*")) if p.is_file()}


def test_export_writes_every_page_download_and_data_file(run_cli, repo, tmp_path):
    out = tmp_path / "docs" / "support"
    code, stdout, stderr = run_cli("export", repo / "policies", "--out", out, cwd=tmp_path)
    assert code == 0, stderr
    files = _tree(out)
    expected = {f.path: f.content for f in site_files(Renderer(load_policies([repo / "policies"]).policy))}
    assert {k: v for k, v in files.items() if k != MARKER} == expected
    assert {
        "index.md",
        "plans.md",
        "tickets.md",
        "data.md",
        "journeys/connect-accounting.md",
        "downloads/github/technical-ticket.yml",
        "data/policies.json",
        "data/calendars/standard-hours.ics",
        "schema/1/policy.schema.json",
    } <= set(files)
    assert f"wrote {len(expected)} files to {out}" in stdout


def test_export_pages_and_base_url_options(run_cli, repo, tmp_path):
    out = tmp_path / "out"
    code, _, stderr = run_cli(
        "export", "--out", out, "--pages", "plans,data", "--base-url", "https://help.example/support", cwd=repo
    )
    assert code == 0, stderr
    pages = sorted(p for p in _tree(out) if p.endswith(".md"))
    assert pages == ["data.md", "plans.md"]
    assert not (out / "downloads").exists(), "ticket downloads come with the tickets page"
    assert "$schema=https://help.example/support/schema/1/policy.schema.json" in (out / "data.md").read_text("utf-8")
    code, _, stderr = run_cli("export", "--out", out, "--pages", "plans,nonsense", cwd=repo)
    assert code == 2 and "unknown page nonsense" in stderr


def test_policy_errors_leave_the_folder_unchanged(run_cli, repo, tmp_path):
    policies = tmp_path / "policies"
    shutil.copytree(repo / "policies", policies)
    out = tmp_path / "out"
    assert run_cli("export", policies, "--out", out, cwd=tmp_path)[0] == 0
    before = _tree(out)
    tiers = policies / "tiers.yaml"
    tiers.write_text(tiers.read_text("utf-8").replace("clock: 24x7", "clock: 24x8", 1), "utf-8")
    code, stdout, stderr = run_cli("export", policies, "--out", out, cwd=tmp_path)
    assert code == 1
    assert "tiers.yaml:" in stdout and "24x8" in stdout
    assert "nothing written" in stderr and "Traceback" not in stderr
    assert _tree(out) == before


def test_a_folder_of_other_files_is_never_replaced(run_cli, repo, tmp_path):
    docs = tmp_path / "docs"
    docs.mkdir()
    (docs / "index.md").write_text("# Mine\n", "utf-8")
    code, _, stderr = run_cli("export", repo / "policies", "--out", docs, cwd=tmp_path)
    assert code == 2
    assert "was not written by 'support-policies export'" in stderr and "unchanged" in stderr
    assert _tree(docs) == {"index.md": b"# Mine\n"}


def test_a_broken_template_override_is_reported_with_its_file_and_line(run_cli, repo, tmp_path):
    templates = tmp_path / "templates" / "pages"
    templates.mkdir(parents=True)
    (templates / "plans.md").write_text(
        "# Plans\n\n{% for tier in policy.tiers %}\n{{ tier.nmae }}\n{% endfor %}\n", "utf-8"
    )
    (templates / "severities.md").write_text("# Severities\n\n{% if %}\n", "utf-8")
    out = tmp_path / "out"
    for name, line in (("severities.md", 3), ("plans.md", 4)):
        code, _, stderr = run_cli(
            "export",
            repo / "policies",
            "--out",
            out,
            "--templates",
            tmp_path / "templates",
            "--pages",
            name.removesuffix(".md"),
            cwd=tmp_path,
        )
        assert code == 2, stderr
        assert f"pages/{name}:{line}:" in stderr and "Traceback" not in stderr
        assert not out.exists()


# --- never losing data (see support_policies/exports/writer.py) ---------------------------------

_KILLING_CLI = r"""
import errno, os, signal, sys
from support_policies import cli
from support_policies.exports import writer

step, action = sys.argv[1], sys.argv[2]
if action == "fail-in-place":
    writer._exchange = lambda first, second: False

def hook(name):
    if name != step:
        return
    if action == "kill":
        os.kill(os.getpid(), signal.SIGKILL)
    raise OSError(errno.ENOSPC, "No space left on device", "somewhere")

writer._hook = hook
sys.exit(cli.main(sys.argv[3:]))
"""


def _cli_with_hook(step: str, action: str, *args, cwd: Path):
    import subprocess
    import sys

    done = subprocess.run(
        [sys.executable, "-c", _KILLING_CLI, step, action, *map(str, args)],
        cwd=cwd,
        capture_output=True,
        text=True,
        timeout=120,
    )
    return done.returncode, done.stdout, done.stderr


def test_user_files_in_an_exported_folder_stop_the_export_by_name(run_cli, repo, tmp_path):
    out = tmp_path / "docs" / "support"
    assert run_cli("export", repo / "policies", "--out", out, cwd=tmp_path)[0] == 0
    (out / "my-notes.md").write_text("# Notes\n", "utf-8")
    (out / "plans.md").write_text("# Plans, edited\n", "utf-8")
    before = _tree(out)
    code, _, stderr = run_cli("export", repo / "policies", "--out", out, cwd=tmp_path)
    assert code == 2 and "Traceback" not in stderr
    assert "my-notes.md, plans.md (changed since the export wrote it)" in stderr
    assert "move them out of" in stderr and f"{out} is unchanged" in stderr
    assert _tree(out) == before


def test_a_symlinked_out_is_followed_and_stays_a_link(run_cli, repo, tmp_path):
    real = tmp_path / "generated"
    link = tmp_path / "docs" / "support"
    link.parent.mkdir()
    link.symlink_to(real, target_is_directory=True)
    for pages in ("plans", "plans,data"):
        code, _, stderr = run_cli("export", repo / "policies", "--out", link, "--pages", pages, cwd=tmp_path)
        assert code == 0, stderr
    assert link.is_symlink() and (real / "data.md").is_file()
    assert sorted(p.name for p in tmp_path.iterdir()) == ["docs", "generated"]
    assert [p.name for p in link.parent.iterdir()] == ["support"]


def test_a_killed_export_leaves_the_old_or_the_new_export(run_cli, repo, tmp_path):
    import signal

    out = tmp_path / "docs" / "support"
    new = tmp_path / "new" / "support"
    assert run_cli("export", repo / "policies", "--out", new, cwd=tmp_path)[0] == 0
    assert run_cli("export", repo / "policies", "--out", out, "--pages", "plans", cwd=tmp_path)[0] == 0
    old_tree, new_tree = _tree(out), _tree(new)
    for step, expected in (("file-written", old_tree), ("staged", old_tree), ("exchanged", new_tree)):
        assert run_cli("export", repo / "policies", "--out", out, "--pages", "plans", cwd=tmp_path)[0] == 0
        code, _, _ = _cli_with_hook(step, "kill", "export", repo / "policies", "--out", out, cwd=tmp_path)
        assert code == -signal.SIGKILL
        assert _tree(out) == expected, step
    code, _, stderr = run_cli("export", repo / "policies", "--out", out, cwd=tmp_path)
    assert code == 0, stderr
    assert _tree(out) == new_tree
    assert [p.name for p in out.parent.iterdir()] == ["support"], "no staging folder is left"


def test_a_failure_midway_through_an_update_in_place_says_so(run_cli, repo, tmp_path):
    out = tmp_path / "support"
    assert run_cli("export", repo / "policies", "--out", out, "--pages", "plans", cwd=tmp_path)[0] == 0
    code, _, stderr = _cli_with_hook(
        "file-replaced", "fail-in-place", "export", repo / "policies", "--out", out, cwd=tmp_path
    )
    assert code == 2 and "Traceback" not in stderr
    assert "somewhere: No space left on device" in stderr and "holds part of the new export" in stderr
    assert "unchanged" not in stderr
    code, _, stderr = run_cli("export", repo / "policies", "--out", out, cwd=tmp_path)
    assert code == 0, stderr
    assert [p.name for p in tmp_path.iterdir()] == ["support"]


def test_a_file_instead_of_a_folder_is_refused(run_cli, repo, tmp_path):
    (tmp_path / "support").write_text("a file\n", "utf-8")
    code, _, stderr = run_cli("export", repo / "policies", "--out", "support", cwd=tmp_path)
    assert code == 2 and "Traceback" not in stderr
    assert "support is a file, not a folder" in stderr and "support is unchanged" in stderr
