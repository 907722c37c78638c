"""The verdicts of a diff for people and machines: text, json, markdown, github, sarif.

Policy text reaches every one of them (names, conditions, addresses), so each format escapes
it once, the way the check reporters do: :func:`..reporters.escape.printable` for text
people read, :func:`..reporters.escape.json_text` for JSON and SARIF, the workflow-command
escaping of :mod:`..reporters.as_github` for annotations, and :func:`..mdtext.escape` (``CELL``,
GitHub's Markdown) after ``printable`` for the pull-request comment. Change ids, dates and
paths the report suggests for a change-log entry are the tool's own words; a path is only
suggested when it is made of the characters an id may hold.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from .. import __version__
from ..findings import Level
from ..mdtext import CELL, escape
from ..reporters.as_github import escape_data, escape_property
from ..reporters.as_sarif import INFORMATION_URI, SCHEMA_URI, SRCROOT, artifact_location, repository_root
from ..reporters.escape import json_text, printable
from .approve import Verdict
from .compare import Change, Location
from .kinds import KINDS, Effect

FORMAT = "support-policies-diff"
VERSION = 1
HEADINGS = {
    Effect.WEAKENING: "Weakening: customers get less",
    Effect.STRENGTHENING: "Strengthening: customers get more",
    Effect.NEUTRAL: "Neutral: nothing promised changes",
}
_SAFE_PATH = re.compile(r"^[a-z0-9_.-]+$")


@dataclass(frozen=True)
class Diff:
    """What a report is made of: the verdicts and what was compared."""

    verdicts: Sequence[Verdict]
    old: str
    """What the old side was, as the user named it (``main``, ``old/``)."""
    new: str
    strict: bool = False
    notice: str = ""
    """The notice period as written in the settings ("" when none)."""
    today: str = ""
    """The day the diff runs (YYYY-MM-DD), the announcement day of a new change-log entry."""

    @property
    def failed(self) -> bool:
        return any(v.fails(self.strict) for v in self.verdicts)

    def of(self, effect: Effect) -> list[Verdict]:
        return [v for v in self.verdicts if v.change.effect is effect]

    def unapproved(self) -> list[Verdict]:
        return [v for v in self.of(Effect.WEAKENING) if not v.approved]


def _state(verdict: Verdict, strict: bool) -> str:
    if verdict.approved and verdict.entry is not None:
        return f"announced in the change log ('{verdict.entry.id}', takes effect {verdict.entry.takes_effect})"
    if verdict.change.effect is not Effect.WEAKENING and not verdict.fails(strict):
        return ""
    return "not announced" + ("" if verdict.fails(strict) else f" ({verdict.level}, does not fail the run)")


def advice(verdict: Verdict) -> str:
    """What to do about an unapproved change, in one sentence."""
    if verdict.approved:
        return ""
    if verdict.problem:
        return verdict.problem[0].upper() + verdict.problem[1:] + "."
    covers = _cover(verdict.change)
    return f"To approve it, add a change-log entry covering {covers} that takes effect on {verdict.needed} or later."


def _cover(change: Change) -> str:
    return change.path if _SAFE_PATH.match(change.path) else change.id


def counts(diff: Diff) -> str:
    """ "2 weakenings (1 not announced), 1 strengthening, 3 neutral changes"."""
    weak, strong, neutral = (len(diff.of(e)) for e in Effect)
    open_ = len(diff.unapproved())
    parts = [
        f"{weak} weakening{'' if weak == 1 else 's'}" + (f" ({open_} not announced)" if open_ else ""),
        f"{strong} strengthening{'' if strong == 1 else 's'}",
        f"{neutral} neutral change{'' if neutral == 1 else 's'}",
    ]
    return ", ".join(parts)


def _grouped(verdicts: Sequence[Verdict]) -> list[tuple[str, list[tuple[str, list[Verdict]]]]]:
    """Verdicts by group (plan or section) and subgroup (severity), in the order met."""
    groups: dict[str, dict[str, list[Verdict]]] = {}
    for verdict in verdicts:
        groups.setdefault(verdict.change.group, {}).setdefault(verdict.change.subgroup, []).append(verdict)
    return [(group, list(subs.items())) for group, subs in groups.items()]


# --- text --------------------------------------------------------------------------------------


def render_text(diff: Diff) -> str:
    out = [printable(f"Changes from {diff.old} to {diff.new}:"), ""]
    if not diff.verdicts:
        out = [printable(f"No changes from {diff.old} to {diff.new}."), ""]
    for effect in Effect:
        verdicts = diff.of(effect)
        if not verdicts:
            continue
        out.append(HEADINGS[effect])
        for group, subgroups in _grouped(verdicts):
            out.append(f"  {printable(group)}")
            for _, items in subgroups:
                for verdict in items:
                    change = verdict.change
                    mark = (
                        "✗"
                        if verdict.fails(diff.strict)
                        else "!"
                        if not verdict.approved and effect is Effect.WEAKENING
                        else "·"
                    )
                    out.append(f"    {mark} {printable(change.message)}  [{change.id}]")
                    where = change.where or change.was
                    if where is not None:
                        out.append(f"      at {printable(str(where))}")
                    state = _state(verdict, diff.strict)
                    if state:
                        out.append(f"      {printable(state)}")
                    if not verdict.approved and effect is Effect.WEAKENING:
                        out.append(f"      {printable(advice(verdict))}")
        out.append("")
    verdict_line = (
        "Fails: a weakening is not announced in the change log."
        if diff.failed
        else "Passes: nothing weakens without an announcement."
    )
    out.append(f"{counts(diff)}. {verdict_line}")
    return "\n".join(out) + "\n"


# --- json --------------------------------------------------------------------------------------


def _location(where: Location | None) -> dict[str, object] | None:
    if where is None:
        return None
    return {"file": where.file, "line": where.line, "column": where.column}


def document(diff: Diff) -> dict[str, Any]:
    return {
        "format": FORMAT,
        "version": VERSION,
        "old": diff.old,
        "new": diff.new,
        "notice_period": diff.notice or None,
        "failed": diff.failed,
        "summary": {
            "weakening": len(diff.of(Effect.WEAKENING)),
            "strengthening": len(diff.of(Effect.STRENGTHENING)),
            "neutral": len(diff.of(Effect.NEUTRAL)),
            "not_announced": len(diff.unapproved()),
        },
        "changes": [
            {
                "id": v.change.id,
                "effect": str(v.change.effect),
                "level": str(v.level),
                "fails": v.fails(diff.strict),
                "approved_by": v.entry.id if v.entry is not None else None,
                "effective": v.entry.takes_effect if v.entry is not None else None,
                "takes_effect": v.change.effective or None,
                "problem": v.problem or None,
                "message": v.change.message,
                "path": v.change.path,
                "group": v.change.group,
                "subgroup": v.change.subgroup or None,
                "before": v.change.before or None,
                "after": v.change.after or None,
                "location": _location(v.change.where),
                "was": _location(v.change.was),
            }
            for v in diff.verdicts
        ],
    }


def render_json(diff: Diff) -> str:
    return json_text(document(diff)) + "\n"


# --- markdown (a pull-request comment) ---------------------------------------------------------


def _md(text: str) -> str:
    return escape(printable(text), CELL)


def render_markdown(diff: Diff) -> str:
    out = ["### Support policy changes", ""]
    unapproved = diff.unapproved()
    if diff.failed:
        out.append(
            f"❌ **{len(unapproved)} weakening{'' if len(unapproved) == 1 else 's'} not announced.** "
            "Customers would get less than they were promised, without notice."
        )
    elif unapproved:
        out.append("⚠️ Some weakenings are not announced; their level lets the check pass.")
    elif diff.of(Effect.WEAKENING):
        out.append("✅ Every weakening is announced in the change log with enough notice.")
    else:
        out.append("✅ Nothing weakens.")
    out += ["", _md(f"Compared {diff.old} with {diff.new}: {counts(diff)}."), ""]
    for effect in Effect:
        verdicts = diff.of(effect)
        if not verdicts:
            continue
        out += [f"#### {HEADINGS[effect]}", ""]
        for group, subgroups in _grouped(verdicts):
            out += [f"**{_md(group)}**", ""]
            for _, items in subgroups:
                for verdict in items:
                    change = verdict.change
                    mark = (
                        "❌"
                        if verdict.fails(diff.strict)
                        else "⚠️"
                        if effect is Effect.WEAKENING and not verdict.approved
                        else "✅"
                        if verdict.approved
                        else "•"
                    )
                    where = f" · {_md(str(change.where))}" if change.where is not None else ""
                    line = f"- {mark} {_md(change.message)} (`{change.id}`{where})"
                    state = _state(verdict, diff.strict)
                    if state:
                        line += f"  \n  {_md(state[0].upper() + state[1:])}."
                    if effect is Effect.WEAKENING and not verdict.approved:
                        line += f"  \n  {_md(advice(verdict))}"
                    out.append(line)
            out.append("")
    if unapproved:
        out += _snippet(unapproved, diff)
    return "\n".join(out).rstrip("\n") + "\n"


def _snippet(unapproved: Sequence[Verdict], diff: Diff) -> list[str]:
    """A change-log entry that would approve every unannounced weakening, to copy into the policies."""
    needed = max(v.needed for v in unapproved)
    covers = sorted({_cover(v.change) for v in unapproved})
    lines = [
        "<details><summary>How to announce these changes</summary>",
        "",
        "Add an entry to the change log (any file in the policies folder), say what changes in "
        "the customer's words, and let it take effect after the notice period"
        + (f" ({diff.notice})" if diff.notice else "")
        + ":",
        "",
        "```yaml",
        "changelog:",
        "  - id: describe-the-change",
        f'    date: "{diff.today or needed}"',
        f'    effective: "{needed}"',
        "    summary: What changes, in one line a customer understands",
        "    covers:",
        *(f"      - {item}" for item in covers),
        "```",
        "",
        "</details>",
    ]
    return lines


# --- github annotations ------------------------------------------------------------------------


def render_github(diff: Diff) -> str:
    lines = []
    for verdict in diff.verdicts:
        change = verdict.change
        command = (
            "error"
            if verdict.fails(diff.strict)
            else "warning"
            if (change.effect is Effect.WEAKENING and not verdict.approved)
            else "notice"
        )
        properties: list[tuple[str, str]] = []
        where = change.where
        if where is not None:
            properties.append(("file", where.file))
            if where.line:
                properties += [("line", str(where.line)), ("col", str(where.column))]
        properties.append(("title", f"{change.id} ({change.effect})"))
        message = escape_data(change.message)
        state = _state(verdict, diff.strict)
        if state:
            message += "%0A" + escape_data(state[0].upper() + state[1:])
        if change.effect is Effect.WEAKENING and not verdict.approved:
            message += "%0A" + escape_data(advice(verdict))
        props = ",".join(f"{key}={escape_property(value)}" for key, value in properties)
        lines.append(f"::{command} {props}::{message}")
    lines.append(printable(f"{counts(diff)}."))
    return "\n".join(lines) + "\n"


# --- sarif -------------------------------------------------------------------------------------

_SARIF_LEVELS = {Level.ERROR: "error", Level.WARNING: "warning", Level.INFO: "note"}


def sarif_log(diff: Diff, cwd: Path | None = None, root: Path | None = None) -> dict[str, Any]:
    cwd = Path.cwd() if cwd is None else cwd
    root = repository_root(cwd) if root is None else root
    rules = [
        {
            "id": kind.id,
            "name": "".join(part.capitalize() for part in re.split(r"[^A-Za-z0-9]+", kind.id) if part),
            "shortDescription": {"text": kind.summary},
            "fullDescription": {"text": f"{kind.summary} ({kind.effect})."},
            "help": {"text": f"{kind.summary} ({kind.effect}).", "markdown": f"{kind.summary} (*{kind.effect}*)."},
            "defaultConfiguration": {"level": _SARIF_LEVELS[kind.level]},
            "properties": {"effect": str(kind.effect)},
        }
        for kind in KINDS
    ]
    index = {kind.id: i for i, kind in enumerate(KINDS)}
    results = []
    for verdict in diff.verdicts:
        change = verdict.change
        failing = verdict.fails(diff.strict)
        level = (
            "error" if failing else "warning" if change.effect is Effect.WEAKENING and not verdict.approved else "note"
        )
        text = change.message
        state = _state(verdict, diff.strict)
        if state:
            text += "\n" + state[0].upper() + state[1:]
        if change.effect is Effect.WEAKENING and not verdict.approved:
            text += "\n" + advice(verdict)
        result: dict[str, Any] = {
            "ruleId": change.id,
            "ruleIndex": index[change.id],
            "level": level,
            "message": {"text": text},
            "properties": {"effect": str(change.effect), "path": change.path, "approved": verdict.approved},
        }
        if change.where is not None:
            physical: dict[str, Any] = {"artifactLocation": artifact_location(change.where.file, cwd, root)}
            if change.where.line:
                physical["region"] = {"startLine": change.where.line, "startColumn": max(1, change.where.column)}
            result["locations"] = [{"physicalLocation": physical}]
        results.append(result)
    return {
        "$schema": SCHEMA_URI,
        "version": "2.1.0",
        "runs": [
            {
                "tool": {
                    "driver": {
                        "name": "support-policies diff",
                        "version": __version__,
                        "informationUri": INFORMATION_URI,
                        "rules": rules,
                    }
                },
                "originalUriBaseIds": {SRCROOT: {"uri": _base(root)}},
                "columnKind": "unicodeCodePoints",
                "results": results,
            }
        ],
    }


def _base(root: Path) -> str:
    uri = root.as_uri()
    return uri if uri.endswith("/") else uri + "/"


def render_sarif(diff: Diff) -> str:
    return json_text(sarif_log(diff)) + "\n"


REPORTS: dict[str, Callable[[Diff], str]] = {
    "text": render_text,
    "json": render_json,
    "markdown": render_markdown,
    "github": render_github,
    "sarif": render_sarif,
}
