"""Suppressing one finding in the YAML, with a stated reason.

A comment on the finding's line, or alone on the line above it::

    medium:   # support-policies: ignore tiers.slower-than-lower-tier -- agreed with Sales, ticket OPS-12

silences that rule there. The reason after ``--`` is required; a suppression that
silences nothing is reported, so stale ones do not pile up.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from ..findings import Finding, Level
from ..loader import lines as yaml_lines

MARKER = re.compile(r"(?:^|\s)#\s*support-policies:\s*ignore\s+(?P<rules>[\w.,\s-]*?)\s*(?:--\s*(?P<reason>.*?))?\s*$")

_ANY_MARKER = re.compile(r"#\s*support-policies:\s*ignore")
"""What every line MARKER matches holds (``\\s`` here may also span lines: a looser test)."""


@dataclass
class Suppression:
    file: str
    line: int  # where the comment is
    column: int
    applies_to: int  # the line it silences
    rules: tuple[str, ...]
    reason: str
    used: bool = False


def find_suppressions(file: str, text: str) -> list[Suppression]:
    found: list[Suppression] = []
    if not _ANY_MARKER.search(text):  # no line can match MARKER: none to look at
        return found
    for number, line in enumerate(yaml_lines(text), 1):
        match = MARKER.search(line)
        if not match:
            continue
        alone = line.lstrip().startswith("#")
        rules = tuple(r for r in re.split(r"[\s,]+", match["rules"]) if r)
        column = line.index("#", match.start()) + 1
        found.append(
            Suppression(file, number, column, number + 1 if alone else number, rules, (match["reason"] or "").strip())
        )
    return found


def apply_suppressions(findings: list[Finding], texts: dict[str, str], known_rules: set[str]) -> list[Finding]:
    """Findings minus the suppressed ones, plus findings about the suppressions themselves."""
    suppressions = [s for file, text in texts.items() for s in find_suppressions(file, text)]
    by_place: dict[tuple[str, int], list[Suppression]] = {}
    for s in suppressions:
        by_place.setdefault((s.file, s.applies_to), []).append(s)
    kept: list[Finding] = []
    for finding in findings:
        match = next(
            (s for s in by_place.get((finding.file, finding.line), []) if finding.rule in s.rules and s.reason), None
        )
        if match:
            match.used = True
        else:
            kept.append(finding)
    for s in suppressions:
        where = (s.file, s.line, s.column)
        if not s.reason:
            kept.append(
                Finding(
                    *where,
                    "suppression.no-reason",
                    Level.ERROR,
                    "a suppression must say why",
                    "Add the reason after '--', e.g. -- agreed with Legal.",
                )
            )
        elif not s.rules:
            kept.append(
                Finding(
                    *where,
                    "suppression.no-rule",
                    Level.ERROR,
                    "the suppression names no rule",
                    "Name the rule id to ignore, e.g. ignore glossary.unused -- reason.",
                )
            )
        elif unknown := [r for r in s.rules if r not in known_rules]:
            kept.append(
                Finding(
                    *where,
                    "suppression.unknown-rule",
                    Level.ERROR,
                    f"unknown rule id '{unknown[0]}'",
                    "`support-policies rules` lists the rule ids.",
                )
            )
        elif not s.used:
            kept.append(
                Finding(
                    *where,
                    "suppression.unused",
                    Level.WARNING,
                    f"nothing here is reported by {', '.join(s.rules)}",
                    "Remove the stale suppression comment.",
                )
            )
    return kept
