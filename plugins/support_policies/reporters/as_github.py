"""GitHub Actions output: workflow-command annotations, plus a Markdown step summary.

GitHub shows at most 10 annotations of each type per step (50 per job), so a run with
more findings than that also writes every finding into the job's step summary; the CLI
appends :func:`step_summary` to the file named by ``GITHUB_STEP_SUMMARY``.
"""

from __future__ import annotations

import re
from collections.abc import Sequence

from ..findings import Finding, Level, sort_findings
from ..loader import Sources
from ..mdtext import CELL, escape
from .as_text import summary_line
from .escape import printable

COMMANDS = {Level.ERROR: "error", Level.WARNING: "warning", Level.INFO: "notice"}
ANNOTATION_LIMIT = 10
"""How many annotations of one type GitHub shows for a step."""
SUMMARY_BUDGET = 900_000
"""Bytes of step summary to write at most: GitHub rejects a step summary over 1 MiB."""

_RULE_ID = re.compile(r"^[A-Za-z0-9._-]+$")


def escape_data(text: str) -> str:
    """A workflow command's message: unsafe characters made visible, ``%`` percent-encoded."""
    return printable(text).replace("%", "%25")


def escape_property(text: str) -> str:
    """A workflow command's property value: as :func:`escape_data`, plus ``:`` and ``,``."""
    return escape_data(text).replace(":", "%3A").replace(",", "%2C")


def annotation(finding: Finding) -> str:
    """One ``::error file=…,line=…,col=…,title=…::message`` line."""
    properties = [("file", finding.file)]
    if finding.line:
        properties += [("line", str(finding.line)), ("col", str(finding.column))]
    properties.append(("title", finding.rule))
    message = escape_data(finding.message) + (f"%0A{escape_data(finding.hint)}" if finding.hint else "")
    props = ",".join(f"{key}={escape_property(value)}" for key, value in properties)
    return f"::{COMMANDS[finding.level]} {props}::{message}"


def render_github(
    findings: list[Finding], sources: Sources, colour: bool = False, files: int = 0, checked: Sequence[str] = ()
) -> str:
    """An annotation per finding, then the plain one-line summary for the log."""
    lines = [annotation(f) for f in sort_findings(findings)]
    lines.append(summary_line(findings, files))
    return "\n".join(lines) + "\n"


def _cell(text: str) -> str:
    """Text that stays inside one Markdown table cell and renders as written."""
    return escape(printable(text), CELL) or " "


def step_summary(findings: list[Finding], files: int = 0) -> str:
    """Markdown for ``$GITHUB_STEP_SUMMARY``: the counts and a table of every finding."""
    findings = sort_findings(findings)
    mark = "❌" if any(f.level is Level.ERROR for f in findings) else "⚠️" if findings else "✅"
    out = ["### support-policies check", "", f"{mark} {summary_line(findings, files)}", ""]
    if not findings:
        return "\n".join(out)
    over = [
        str(level) + "s"
        for level in (Level.ERROR, Level.WARNING, Level.INFO)
        if sum(1 for f in findings if f.level is level) > ANNOTATION_LIMIT
    ]
    if over:
        out += [
            f"GitHub shows only {ANNOTATION_LIMIT} annotations of each type per step, so some "
            f"{' and '.join(over)} appear only here.",
            "",
        ]
    out += ["| Location | Severity | Rule | Message |", "| --- | --- | --- | --- |"]
    size = sum(len(line.encode("utf-8")) + 1 for line in out)
    for index, f in enumerate(findings):
        rule = f"`{f.rule}`" if _RULE_ID.match(f.rule) else _cell(f.rule)
        message = _cell(f.message) + (f"<br>{_cell(f.hint)}" if f.hint else "")
        row = f"| {_cell(f.location)} | {f.level} | {rule} | {message} |"
        size += len(row.encode("utf-8")) + 1
        if size > SUMMARY_BUDGET:
            out += [
                "",
                f"…and {len(findings) - index} more, left out because GitHub limits a step "
                "summary to 1 MiB; see the other reports of this run.",
            ]
            break
        out.append(row)
    return "\n".join(out) + "\n"
