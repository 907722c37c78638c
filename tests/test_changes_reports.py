"""The reports of ``support-policies diff``: what each format shows, and that policy text stays inert in it."""

from __future__ import annotations

import json
import re

import pytest
from test_changes import (  # noqa: F401 (_fixed_day: the same day and working folder)
    SLOWER,
    _all,
    _entry,
    _fixed_day,
    _set,
    premium_ack,
    run_scenario,
    sample,
    tier,
    write,
)
from test_reporters import assert_valid_sarif

from support_policies.cli import main

HOSTILE_NAME = "Premium <img src=x onerror=alert(1)> [x](javascript:alert(1)) | *em* %0A `code`"
HOSTILE_CONDITION = "Name a contact.\n::error file=forged.yaml,line=1::forged\n\u202eder"
"""Line breaks that would forge a workflow command, and a bidi override (the schema refuses C0 controls)."""


@pytest.fixture
def mixed(tmp_path, capsys):
    """A diff with an unannounced weakening, an announced one, a strengthening and a neutral change."""
    after = _all(
        SLOWER,
        _set(premium_ack("cosmetic"), best_effort=True),
        _entry(covers=["promise.best-effort"], effective="2027-01-15"),
        lambda files: files["status.yaml"]["status"]["uptime"].update(target=99.95),
        lambda files: tier(files, "advanced").update(name="Advanced Plus"),
    )
    code, _, _ = run_scenario(tmp_path, capsys, None, after)
    assert code == 1
    return tmp_path


def render(capsys, fmt: str, *extra: str) -> tuple[int, str]:
    capsys.readouterr()
    code = main(["diff", "old", "new", "--format", fmt, *extra])
    out, err = capsys.readouterr()
    assert "Traceback" not in err
    return code, out


def test_text_groups_by_plan_weakening_first(mixed, capsys):
    code, out = render(capsys, "text")
    assert code == 1
    lines = [re.sub(r"tiers\.yaml:\d+:\d+", "tiers.yaml:L:C", line) for line in out.splitlines()]
    assert lines[:12] == [
        "Changes from old to new:",
        "",
        "Weakening: customers get less",
        "  Premium",
        "    ✗ Premium, High, first response: at most 4 hours → at most 8 hours (minutes, at most 4 hours, around "
        "the clock → minutes, at most 8 hours, around the clock)  [promise.slower]",
        "      at new/tiers.yaml:L:C",
        "      not announced",
        "      To approve it, add a change-log entry covering tiers.premium.high.acknowledge that takes effect on "
        "2026-12-01 or later.",
        "    · Premium, Cosmetic, first response: a guarantee became best effort, an aim (within 48 business hours "
        "(Standard hours); best effort, an aim rather than a guarantee)  [promise.best-effort]",
        "      at new/tiers.yaml:L:C",
        "      announced in the change log ('premium-high', takes effect 2027-01-15)",
        "",
    ]
    assert out.index("Strengthening: customers get more") < out.index("Neutral: nothing promised changes")
    assert out.endswith(
        "2 weakenings (1 not announced), 1 strengthening, 1 neutral change. "
        "Fails: a weakening is not announced in the change log.\n"
    )


def test_json_is_versioned(mixed, capsys):
    _, out = render(capsys, "json")
    report = json.loads(out)
    assert (report["format"], report["version"], report["failed"]) == ("support-policies-diff", 1, True)
    assert report["summary"] == {"weakening": 2, "strengthening": 1, "neutral": 1, "not_announced": 1}
    assert [c["effect"] for c in report["changes"]] == ["weakening", "weakening", "strengthening", "neutral"]


def test_markdown_is_a_pull_request_comment(mixed, capsys):
    code, out = render(capsys, "markdown")
    assert code == 1
    assert out.startswith(
        "### Support policy changes\n\n"
        "❌ **1 weakening not announced.** Customers would get less than they were promised, without notice.\n"
    )
    assert "#### Weakening: customers get less\n\n**Premium**\n\n- ❌ Premium, High, first response:" in out
    assert "- ✅ Premium, Cosmetic, first response: a guarantee became best effort" in out
    assert "```yaml\nchangelog:\n  - id: describe-the-change\n" in out
    assert '    effective: "2026-12-01"\n' in out
    assert "    covers:\n      - tiers.premium.high.acknowledge\n```" in out


def test_github_annotates_the_changed_lines(mixed, capsys, tmp_path, monkeypatch):
    summary = tmp_path / "summary.md"
    monkeypatch.setenv("GITHUB_STEP_SUMMARY", str(summary))
    code, out = render(capsys, "github")
    assert code == 1
    lines = [re.sub(r"line=\d+,col=\d+", "line=L,col=C", line) for line in out.splitlines()]
    assert lines[0].startswith(
        "::error file=new/tiers.yaml,line=L,col=C,title=promise.slower (weakening)::Premium, High, first response"
    )
    assert lines[1].startswith("::notice file=new/tiers.yaml,line=L,col=C,title=promise.best-effort (weakening)::")
    assert lines[-1] == "2 weakenings (1 not announced), 1 strengthening, 1 neutral change."
    assert summary.read_text("utf-8").startswith("### Support policy changes")


def test_sarif_is_valid(mixed, capsys):
    _, out = render(capsys, "sarif")
    document = json.loads(out)
    assert_valid_sarif(document)
    results = document["runs"][0]["results"]
    assert [(r["ruleId"], r["level"]) for r in results] == [
        ("promise.slower", "error"),
        ("promise.best-effort", "note"),
        ("uptime.raised", "note"),
        ("tier.renamed", "note"),
    ]
    report = json.loads(render(capsys, "json")[1])
    where = report["changes"][0]["location"]
    region = {"startLine": where["line"], "startColumn": where["column"]}
    assert results[0]["locations"][0]["physicalLocation"]["region"] == region
    assert (
        (mixed / where["file"])
        .read_text("utf-8")
        .splitlines()[where["line"] - 1]
        .strip()
        .startswith(("min: 5m", "max: 8h"))
    )


def test_output_files_are_written_beside_stdout(mixed, capsys):
    code, out = render(capsys, "text", "--output", "markdown=reports/changes.md", "--output", "json=reports/c.json")
    assert code == 1 and out.startswith("Changes from old to new:")
    assert (mixed / "reports" / "changes.md").read_text("utf-8").startswith("### Support policy changes")
    assert json.loads((mixed / "reports" / "c.json").read_text("utf-8"))["version"] == 1


@pytest.fixture
def hostile(tmp_path, capsys):
    old = sample()
    new = sample()
    for files in (old, new):
        tier(files, "premium")["name"] = HOSTILE_NAME
    premium_ack("critical")(new)["condition"] = {"requires": HOSTILE_CONDITION, "otherwise": {"handled_as": "high"}}
    write(old, tmp_path / "old")
    write(new, tmp_path / "new")
    return tmp_path


@pytest.mark.parametrize("fmt", ["text", "github", "markdown", "json", "sarif"])
def test_policy_text_stays_inert_in_every_format(hostile, capsys, fmt):
    code, out = render(capsys, fmt)
    assert code == 1
    assert "\u202e" not in out
    assert not any(line.startswith("::error file=forged") for line in out.splitlines())
    if fmt in ("json", "sarif"):
        document = json.loads(out)
        assert "forged" in json.dumps(document)  # the text is kept, escaped
    if fmt == "markdown":
        assert not re.search(r"(?<!\\)<(?!/?(details|summary)>)", out)  # every < of policy text has its backslash
        assert "\\<img src=x onerror=alert\\(1\\)\\>" in out
        assert "[x](javascript" not in out
        assert "\\| \\*em\\*" in out
    if fmt == "github":
        assert all(line.startswith("::") for line in out.splitlines()[:-1])
        assert "Name a contact.␊::error file=forged.yaml,line=1::forged␊<U+202E>der" in out
    if fmt == "text":
        assert "Name a contact.␊::error file=forged.yaml,line=1::forged␊<U+202E>der" in out
