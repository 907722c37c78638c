"""SARIF 2.1.0 output, for GitHub code scanning and other static-analysis dashboards.

One run; ``tool.driver.rules`` lists every registered rule (so rule indexes of rule
findings do not move between runs) and then each loader, schema, file, merge or
suppression id that occurs in the findings, described from ``catalog.py``. Every rule
descriptor has a short and a full description and help, in text and Markdown.

Paths are relative URIs against ``%SRCROOT%``, the root of the git repository holding
the working directory (``git rev-parse --show-toplevel``), or the working directory
itself outside a repository; ``originalUriBaseIds`` says which folder that was. A file
outside it is an absolute ``file:`` URI. Columns count Unicode code points, as the
findings do.
"""

from __future__ import annotations

import os
import re
import subprocess
from collections.abc import Sequence
from pathlib import Path, PurePath
from typing import Any
from urllib.parse import quote

from .. import __version__
from ..findings import Finding, Level, sort_findings
from ..loader import Sources
from . import catalog
from .escape import json_text

SCHEMA_URI = "https://json.schemastore.org/sarif-2.1.0.json"
INFORMATION_URI = "https://pypi.org/project/mkdocs-support-policies/"
TOOL_NAME = "support-policies"
LEVELS = {Level.ERROR: "error", Level.WARNING: "warning", Level.INFO: "note"}
SRCROOT = "%SRCROOT%"
ROOT_DESCRIPTION = "The root of the git repository the check ran in (outside a repository, its working directory)."


def _clean(text: str) -> str:
    """Text that encodes as UTF-8: a lone surrogate (from an undecodable file name) becomes U+FFFD."""
    return text.encode("utf-8", "replace").decode("utf-8") if any("\ud800" <= c <= "\udfff" for c in text) else text


def _unwrap(doc: str) -> str:
    """A docstring's paragraphs with their hard line breaks taken out, for one-line displays."""
    return "\n\n".join(" ".join(p.split()) for p in doc.split("\n\n") if p.strip())


def _plain(markdown: str) -> str:
    """Help in Markdown as plain text: the code spans' backticks taken out."""
    return re.sub(r"`([^`]*)`", r"\1", markdown)


def _pascal(rule_id: str) -> str:
    """A descriptor name from an id: ``yaml.duplicate-key`` → ``YamlDuplicateKey``."""
    return "".join(part[:1].upper() + part[1:] for part in re.split(r"[^A-Za-z0-9]+", rule_id) if part)


def _descriptor(rule_id: str, name: str, short: str, full: str, help_markdown: str, level: Level) -> dict[str, Any]:
    return {
        "id": rule_id,
        "name": name,
        "shortDescription": {"text": short or rule_id},
        "fullDescription": {"text": full or short or rule_id},
        "help": {"text": _plain(help_markdown), "markdown": help_markdown},
        "defaultConfiguration": {"level": LEVELS[level]},
    }


def rule_descriptors(findings: list[Finding]) -> list[dict[str, Any]]:
    """The registered rules in their fixed order, then the other rule ids that occur, sorted."""
    from ..rules import ALL_RULES

    descriptors = [
        _descriptor(cls.id, cls.__name__, cls.summary, _unwrap(cls.doc()), cls.doc() or cls.summary, cls.level)
        for cls in ALL_RULES
    ]
    known = {cls.id for cls in ALL_RULES}
    others: dict[str, Level] = {}
    for f in findings:
        if f.rule not in known:
            others[f.rule] = max(others.get(f.rule, f.level), f.level)
    for rule_id in sorted(others):
        kind = catalog.describe(rule_id, others[rule_id])
        stage = kind.stage.description
        full = f"{_plain(kind.summary)}. {stage}" if rule_id in catalog.BY_ID else stage
        descriptors.append(_descriptor(rule_id, _pascal(rule_id), _plain(kind.summary), full, kind.help, kind.level))
    return descriptors


def repository_root(cwd: Path | None = None) -> Path:
    """The root of the git work tree holding ``cwd`` (the working directory), else ``cwd`` itself.

    Code scanning reads result paths relative to the repository root, wherever in the
    repository the check ran. Without git, or outside a repository, the working directory
    is the base, as before.
    """
    cwd = Path.cwd() if cwd is None else cwd
    try:
        done = subprocess.run(
            ["git", "rev-parse", "--show-toplevel"],
            cwd=cwd,
            capture_output=True,
            timeout=30,
            check=False,
        )
    except (OSError, subprocess.SubprocessError):
        return cwd
    top = os.fsdecode(done.stdout).strip("\r\n")
    return Path(top) if done.returncode == 0 and top else cwd


def _relative(path: Path, root: Path) -> PurePath | None:
    """``path`` below ``root`` (both absolute), also when one of them is reached through a link."""
    try:
        return path.relative_to(root)
    except ValueError:
        pass
    try:
        return Path(os.path.realpath(path)).relative_to(os.path.realpath(root))
    except (ValueError, OSError):  # outside, or a name no file can have (a NUL)
        return None


def artifact_location(file: str, cwd: Path | None = None, root: Path | None = None) -> dict[str, Any]:
    """A file's URI: relative to ``%SRCROOT%`` (``root``) when below it, else an absolute ``file:`` URI.

    A relative ``file`` is read against ``cwd``, as the check read it.
    """
    cwd = Path.cwd() if cwd is None else cwd
    root = cwd if root is None else root
    path = PurePath(_clean(file))
    absolute = Path(os.path.normpath(path if path.is_absolute() else cwd / path))
    relative = _relative(absolute, root)
    if relative is None:
        return {"uri": absolute.as_uri()}
    posix = relative.as_posix() if relative.parts else "."
    return {"uri": quote(posix, safe="/"), "uriBaseId": SRCROOT}


def _base_uri(root: Path) -> str:
    uri = root.as_uri()
    return uri if uri.endswith("/") else uri + "/"


def _result(finding: Finding, index: int, cwd: Path, root: Path) -> dict[str, Any]:
    message = finding.message + (f"\n{finding.hint}" if finding.hint else "")
    physical: dict[str, Any] = {"artifactLocation": artifact_location(finding.file, cwd, root)}
    if finding.line > 0:
        physical["region"] = {"startLine": finding.line, "startColumn": max(1, finding.column)}
    return {
        "ruleId": finding.rule,
        "ruleIndex": index,
        "level": LEVELS[finding.level],
        "message": {"text": _clean(message)},
        "locations": [{"physicalLocation": physical}],
    }


def sarif_log(findings: list[Finding], cwd: Path | None = None, root: Path | None = None) -> dict[str, Any]:
    """The SARIF log as a dictionary.

    ``cwd`` is the folder relative file names are read against (the working directory);
    ``root`` the base of the URIs (the repository holding ``cwd``, see :func:`repository_root`).
    """
    cwd = Path.cwd() if cwd is None else cwd
    root = repository_root(cwd) if root is None else root
    findings = sort_findings(findings)
    rules = rule_descriptors(findings)
    index = {descriptor["id"]: i for i, descriptor in enumerate(rules)}
    return {
        "$schema": SCHEMA_URI,
        "version": "2.1.0",
        "runs": [
            {
                "tool": {
                    "driver": {
                        "name": TOOL_NAME,
                        "version": __version__,
                        "informationUri": INFORMATION_URI,
                        "rules": rules,
                    }
                },
                "originalUriBaseIds": {
                    SRCROOT: {
                        "uri": _base_uri(root),
                        "description": {"text": ROOT_DESCRIPTION},
                    }
                },
                "columnKind": "unicodeCodePoints",
                "results": [_result(f, index[f.rule], cwd, root) for f in findings],
            }
        ],
    }


def render_sarif(
    findings: list[Finding], sources: Sources, colour: bool = False, files: int = 0, checked: Sequence[str] = ()
) -> str:
    return json_text(sarif_log(findings)) + "\n"
