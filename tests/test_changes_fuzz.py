"""``support-policies diff`` over mutated sample policies: a report or findings, never a traceback."""

from __future__ import annotations

import contextlib
import io
import json
from collections import Counter
from datetime import timedelta

from hypothesis import given, settings
from test_fuzz import FUZZ, SAMPLE, _write, policy_sets

from support_policies.cli import main


def _run(*args: str) -> tuple[int, str, str]:
    out, err = io.StringIO(), io.StringIO()
    with contextlib.redirect_stdout(out), contextlib.redirect_stderr(err):
        code = main(["diff", *args])
    return code, out.getvalue(), err.getvalue()


def test_mutated_policies_diff_to_a_report_or_findings(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1796083200")
    _write(tmp_path / "sample", SAMPLE)
    outcomes = Counter()

    @settings(FUZZ, max_examples=60, deadline=timedelta(seconds=20))
    @given(files=policy_sets())
    def run(files):
        _write(tmp_path / "mutant", files)
        for old, new in (("sample", "mutant"), ("mutant", "sample")):
            for fmt in ("json", "text", "markdown", "github", "sarif"):
                code, out, err = _run(old, new, "--format", fmt)
                assert code in (0, 1), err
                assert "Traceback" not in err
                if fmt == "json" and out:
                    report = json.loads(out)
                    assert report["failed"] is (code == 1)
                    outcomes["compared"] += 1
                elif fmt == "json":
                    assert code == 1 and err.startswith("support-policies diff: the ")
                    outcomes["refused"] += 1

    run()
    assert outcomes["compared"] >= 20 and outcomes["refused"] >= 10, outcomes
