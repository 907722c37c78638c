"""The pipeline every front door shares: load → validate → model → check."""

from __future__ import annotations

import typing
from dataclasses import dataclass, field
from pathlib import Path

from .findings import Finding, Level, has_errors, sort_findings
from .loader import Document, load_file
from .reporters.sources import Sources
from .model import LIST_SECTIONS, SINGLE_SECTIONS, Origin, PolicySet, build
from .validate import validate

SUFFIXES = (".yaml", ".yml")


@dataclass
class Result:
    """What the pipeline made of a set of files."""

    policy: PolicySet | None
    findings: list[Finding] = field(default_factory=list)
    documents: list[Document] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return self.policy is not None and not has_errors(self.findings)

    def sources(self) -> Sources:
        """Source lines for code frames, from the files already read."""
        return Sources({d.path: d.text for d in self.documents})


def display_name(path: Path) -> str:
    """A path as writers know it: relative to the working directory when inside it."""
    try:
        return path.resolve().relative_to(Path.cwd()).as_posix()
    except ValueError:
        return str(path)


def discover(paths) -> tuple[list[Path], list[Finding]]:
    """The policy files under ``paths`` (files or folders), in a stable order."""
    files: list[Path] = []
    findings: list[Finding] = []
    for raw in paths:
        path = Path(raw)
        if path.is_dir():
            found = sorted(p for p in path.rglob("*") if p.suffix.lower() in SUFFIXES and p.is_file()
                           and not any(part.startswith(".") for part in p.relative_to(path).parts))
            if not found:
                findings.append(Finding(display_name(path), 0, 0, "io.no-policies", Level.ERROR,
                                        "the folder holds no .yaml or .yml files",
                                        "Point at the folder holding your policies, e.g. policies/."))
            files.extend(found)
        elif path.is_file():
            files.append(path)
        else:
            findings.append(Finding(str(raw), 0, 0, "io.missing", Level.ERROR,
                                    "no such file or folder", "Check the path; it is read relative to the working directory."))
    unique = list(dict.fromkeys(p.resolve() for p in files))
    return unique, findings


SETTINGS_FILE = "support-policies.yaml"


def load_settings(path: Path | None) -> tuple[dict, list[Finding]]:
    """Rule levels from a settings file (``support-policies.yaml``); none when ``path`` is None."""
    if path is None:
        return {}, []
    document, findings = load_file(path, display_name(path))
    if document is None:
        return {}, findings
    problems = validate(document, "settings.schema.json")
    if problems:
        return {}, findings + problems
    return dict(document.data.get("rules", {})), findings


def load_policies(paths, settings: Path | None = None) -> Result:
    """Run the whole pipeline over ``paths`` and return the policy set with every finding.

    ``settings`` is a settings file changing rule levels. Rules run only when every
    file loaded and matched the schema: a rule over a half-read policy would report
    problems that are not there.
    """
    from .rules import configured_rules, run_rules

    levels, findings = load_settings(settings)
    files, more = discover(paths)
    findings.extend(more)
    documents: list[Document] = []
    for path in files:
        document, problems = load_file(path, display_name(path))
        findings.extend(problems)
        if document is None:
            continue
        loader_errors = {(f.line, f.column) for f in problems if f.level is Level.ERROR}
        problems = [f for f in validate(document) if (f.line, f.column) not in loader_errors]
        findings.extend(problems)
        if not problems and not loader_errors:
            documents.append(document)
    if has_errors(findings):
        return Result(None, sort_findings(findings), documents)
    policy, problems = merge(documents)
    findings.extend(problems)
    if not has_errors(problems):
        texts = {d.path: d.text for d in documents}
        findings.extend(run_rules(policy, configured_rules(levels), texts))
    return Result(policy, sort_findings(findings), documents)


def merge(documents: list[Document]) -> tuple[PolicySet, list[Finding]]:
    """One policy set from many files: lists are joined, single sections appear once."""
    findings: list[Finding] = []
    singles: dict[str, object] = {}
    lists: dict[str, list] = {name: [] for name in LIST_SECTIONS}
    first: dict[str, str] = {}
    types_ = typing.get_type_hints(PolicySet)
    for document in documents:
        data = document.data
        for section, value in data.items():
            origin = Origin(document.path, (section,), document.positions)
            if section in SINGLE_SECTIONS:
                if section in singles:
                    findings.append(origin.finding(
                        "policy.duplicate-section", Level.ERROR,
                        f"the '{section}' section is already defined in {first[section]}",
                        "Single sections are written once; merge the two or delete one.", key=True))
                    continue
                cls = typing.get_args(types_[section])[0]
                singles[section] = build(cls, value, origin)
                first[section] = document.path
            else:
                item_type = typing.get_args(types_[section])[0]
                lists[section].extend(build(item_type, item, origin.child(i)) for i, item in enumerate(value))
    policy = PolicySet(
        **singles,
        **{name: tuple(_ordered(name, items)) for name, items in lists.items()},
        files=tuple(d.path for d in documents),
    )
    return policy, findings


def _ordered(section: str, items: list) -> list:
    if section == "severities":
        return sorted(items, key=lambda s: s.rank)
    if section == "tiers":
        return sorted(items, key=lambda t: t.level)
    return items
