"""Human output: one block per finding with a code frame, like a compiler."""

from __future__ import annotations

import re
from collections.abc import Callable, Sequence

from ..findings import Finding, Level
from ..loader import Sources
from .escape import printable

_COLOURS = {Level.ERROR: "31", Level.WARNING: "33", Level.INFO: "36"}
_KEY = re.compile(r"^(?:- )?[^\s:#,{}\[\]][^:#,{}\[\]]*?:(?:\s|$)")


def _span(line: str, column: int) -> int:
    """How many characters to underline from ``column``: a key, a word or the value."""
    rest = line[column - 1 :]
    key = _KEY.match(rest)
    if key:
        return len(key.group(0).rstrip().rstrip(":")) or 1
    if rest[:1] not in ("'", '"'):
        rest = re.split(r"\s#|,\s|[}\]]", rest, maxsplit=1)[0]
    rest = rest.rstrip()
    return max(1, len(rest))


def _frame(finding: Finding, sources: Sources, paint: Callable[[str, str], str]) -> list[str]:
    if not finding.line:
        return []
    out = []
    width = len(str(finding.line + 1))
    for number in (finding.line - 1, finding.line, finding.line + 1):
        text = sources.line(finding.file, number)
        if text is None:
            continue
        out.append(f"  {number:>{width}} | {printable(text)}")
        if number == finding.line:
            span = min(_span(text, finding.column), max(1, len(text) - finding.column + 1))
            before = len(printable(text[: finding.column - 1]))
            carets = "^" * len(printable(text[finding.column - 1 : finding.column - 1 + span]))
            out.append(f"  {'':>{width}} | {' ' * before}{paint(carets, _COLOURS[finding.level])}")
    return out


def summary_line(findings: list[Finding], files: int = 0) -> str:
    """The closing line: 'Found 2 errors, 1 warning in 3 files.' or 'No problems found.'"""
    counts = {level: sum(1 for f in findings if f.level is level) for level in Level}
    checked = f" in {files} file{'s' if files != 1 else ''}" if files else ""
    if not findings:
        return f"No problems found{checked}."
    parts = [
        f"{counts[level]} {level}{'s' if counts[level] != 1 else ''}"
        for level in (Level.ERROR, Level.WARNING, Level.INFO)
        if counts[level]
    ]
    return f"Found {', '.join(parts)}{checked}."


def render_text(
    findings: list[Finding], sources: Sources, colour: bool = False, files: int = 0, checked: Sequence[str] = ()
) -> str:
    """Every finding with its code frame and hint, then a one-line summary."""

    def paint(text: str, code: str) -> str:
        return f"\x1b[{code}m{text}\x1b[0m" if colour else text

    blocks = []
    for f in findings:
        level = paint(str(f.level), _COLOURS[f.level] + ";1")
        head = f"{printable(f.location)}: {level}: {printable(f.message)} [{printable(f.rule)}]"
        lines = [head, *_frame(f, sources, paint)]
        if f.hint:
            lines.append(f"  {paint('hint', '1')}: {printable(f.hint)}")
        blocks.append("\n".join(lines))
    return "\n\n".join(blocks + [summary_line(findings, files)]) + "\n"
