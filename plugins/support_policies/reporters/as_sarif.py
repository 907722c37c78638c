"""SARIF 2.1.0 output, for GitHub code scanning and other static-analysis dashboards.

One run; ``tool.driver.rules`` lists every registered rule (so rule indexes of rule
findings do not move between runs) and then each loader, schema or I/O rule id that
occurs in the findings. Paths are relative URIs against ``%SRCROOT%`` (the folder the
check ran in); columns count Unicode code points, as the findings do.
"""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import PurePath, PurePosixPath
from urllib.parse import quote

from .. import __version__
from ..findings import Finding, Level, sort_findings
from .escape import json_text
from .sources import Sources

SCHEMA_URI = "https://json.schemastore.org/sarif-2.1.0.json"
INFORMATION_URI = "https://pypi.org/project/mkdocs-support-policies/"
TOOL_NAME = "support-policies"
LEVELS = {Level.ERROR: "error", Level.WARNING: "warning", Level.INFO: "note"}

STAGES = {
    "yaml.": (
        "YAML syntax and loading",
        "Reported while reading a policy file as YAML: syntax, encoding, tabs, duplicate "
        "keys, tags, aliases, and the limits on size and depth.",
    ),
    "schema.": (
        "JSON Schema validation",
        "Reported when a policy file does not match the policy JSON Schema: unknown or "
        "missing keys, wrong types, values outside the allowed set or format.",
    ),
    "io.": ("Reading files", "Reported when a path given to the check cannot be read or holds no policy files."),
    "policy.": (
        "Merging files",
        "Reported when the policy files cannot be merged into one policy set, such as a "
        "single section defined in two files.",
    ),
    "suppression.": (
        "Suppression comments",
        "Reported for a comment that suppresses a finding but names no rule, an "
        "unknown rule, no reason, or suppresses nothing.",
    ),
}
OTHER = ("support-policies finding", "Reported by support-policies while checking policy files.")


def _clean(text: str) -> str:
    """Text that encodes as UTF-8: a lone surrogate (from an undecodable file name) becomes U+FFFD."""
    return text.encode("utf-8", "replace").decode("utf-8") if any("\ud800" <= c <= "\udfff" for c in text) else text


def _unwrap(doc: str) -> str:
    """A docstring's paragraphs with their hard line breaks taken out, for one-line displays."""
    return "\n\n".join(" ".join(p.split()) for p in doc.split("\n\n") if p.strip())


def _descriptor(rule_id: str, short: str, full: str, level: Level, name: str = "", help_text: str = "") -> dict:
    descriptor = {"id": rule_id}
    if name:
        descriptor["name"] = name
    descriptor["shortDescription"] = {"text": short or rule_id}
    descriptor["fullDescription"] = {"text": full or short or rule_id}
    if help_text:
        descriptor["help"] = {"text": help_text, "markdown": help_text}
    descriptor["defaultConfiguration"] = {"level": LEVELS[level]}
    return descriptor


def rule_descriptors(findings: list[Finding]) -> list[dict]:
    """The registered rules in their fixed order, then the other rule ids that occur, sorted."""
    from ..rules import ALL_RULES

    descriptors = [
        _descriptor(cls.id, cls.summary, _unwrap(cls.doc()), cls.level, cls.__name__, cls.doc()) for cls in ALL_RULES
    ]
    known = {cls.id for cls in ALL_RULES}
    others: dict[str, Level] = {}
    for f in findings:
        if f.rule not in known:
            others[f.rule] = max(others.get(f.rule, f.level), f.level)
    for rule_id in sorted(others):
        short, full = next((text for prefix, text in STAGES.items() if rule_id.startswith(prefix)), OTHER)
        descriptors.append(_descriptor(rule_id, short, full, others[rule_id]))
    return descriptors


def artifact_location(file: str) -> dict:
    """A relative path as a URI against ``%SRCROOT%``; an absolute one as a ``file:`` URI."""
    path = PurePath(_clean(file))
    if path.is_absolute():
        return {"uri": path.as_uri()}
    posix = PurePosixPath(*path.parts).as_posix() if path.parts else "."
    return {"uri": quote(posix, safe="/"), "uriBaseId": "%SRCROOT%"}


def _result(finding: Finding, index: int) -> dict:
    message = finding.message + (f"\n{finding.hint}" if finding.hint else "")
    physical: dict = {"artifactLocation": artifact_location(finding.file)}
    if finding.line > 0:
        physical["region"] = {"startLine": finding.line, "startColumn": max(1, finding.column)}
    return {
        "ruleId": finding.rule,
        "ruleIndex": index,
        "level": LEVELS[finding.level],
        "message": {"text": _clean(message)},
        "locations": [{"physicalLocation": physical}],
    }


def sarif_log(findings: list[Finding]) -> dict:
    """The SARIF log as a dictionary."""
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
                "columnKind": "unicodeCodePoints",
                "results": [_result(f, index[f.rule]) for f in findings],
            }
        ],
    }


def render_sarif(
    findings: list[Finding], sources: Sources, colour: bool = False, files: int = 0, checked: Sequence[str] = ()
) -> str:
    return json_text(sarif_log(findings)) + "\n"
