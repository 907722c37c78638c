"""The pipeline every front door shares: load → validate → model → check."""

from __future__ import annotations

import os
import stat
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import TypedDict, cast

from .collector import paused
from .findings import Finding, Level, has_errors, sort_findings
from .loader import Document, Sources, load_text, read_text
from .merge import merge
from .model import PolicySet
from .texts import languages, localize, watching, written_in
from .validate import validate

SUFFIXES = (".yaml", ".yml")


class _Settings(TypedDict, total=False):
    """A settings file as settings.schema.json allows it."""

    rules: dict[str, str]
    """A level per rule id."""
    notice_period: str
    """How long before a weakening takes effect customers must be told (``support-policies diff``)."""
    changes: dict[str, str]
    """A level per change id (``support-policies diff``)."""


@dataclass
class Result:
    """What the pipeline made of a set of files."""

    policy: PolicySet | None
    findings: list[Finding] = field(default_factory=list)
    documents: list[Document] = field(default_factory=list)
    texts: dict[str, str] = field(default_factory=dict)
    """The text of every file read as a policy (or settings), loaded or not, by its name."""

    @property
    def ok(self) -> bool:
        return self.policy is not None and not has_errors(self.findings)

    def sources(self) -> Sources:
        """Source lines for code frames: only of the files this run read."""
        return Sources(self.texts)


def display_name(path: Path) -> str:
    """A path as writers know it: relative to the working directory when inside it."""
    absolute, cwd = os.path.abspath(path), os.getcwd()
    if os.sep == "/" and not absolute.startswith("//") and not cwd.startswith("//"):
        # What the pathlib expression below gives, from the strings (once per file of a set).
        if absolute == cwd:
            return "."
        inside = cwd.rstrip("/") + "/"
        return absolute[len(inside) :] if absolute.startswith(inside) else str(path)
    try:
        return Path(absolute).relative_to(Path(cwd)).as_posix()
    except ValueError:
        return str(path)


def _is_policy_name(name: str) -> bool:
    """Whether ``Path(name).suffix.lower()`` is a policy suffix (without making a Path)."""
    base = os.path.basename(name).lower()
    return base.endswith(SUFFIXES) and base not in SUFFIXES


def discover(paths: Iterable[str | os.PathLike[str]]) -> tuple[list[Path], list[Finding]]:
    """The policy files under ``paths`` (files or folders), in a stable order.

    In a folder, only regular files inside it are read. A link is followed when it leads
    to a regular file inside the same folder; a link that leads out of the folder, or
    nowhere, and any file that is not a regular file (a FIFO, a device, a socket) is
    reported, never opened. Links to folders are not followed. Names starting with a dot
    are skipped. A file named on its own is read wherever it is, if it is a regular file.
    """
    files: list[Path] = []
    findings: list[Finding] = []
    for raw in paths:
        path = Path(raw)
        if path.is_dir():
            found, problems = _walk(path)
            findings.extend(problems)
            if not found and not problems:
                findings.append(
                    Finding(
                        display_name(path),
                        0,
                        0,
                        "io.no-policies",
                        Level.ERROR,
                        "the folder holds no .yaml or .yml files",
                        "Point at the folder holding your policies, e.g. policies/.",
                    )
                )
            files.extend(found)
        elif path.is_file():
            files.append(path.resolve())
        elif path.is_symlink():
            findings.append(_link_finding(path, "io.dangling-link", "the link leads to nothing"))
        elif path.exists():
            findings.append(
                Finding(
                    display_name(path),
                    0,
                    0,
                    "io.special-file",
                    Level.ERROR,
                    "this is not a regular file (a FIFO, a device or a socket)",
                    "Policies are plain files.",
                )
            )
        else:
            findings.append(
                Finding(
                    str(raw),
                    0,
                    0,
                    "io.missing",
                    Level.ERROR,
                    "no such file or folder",
                    "Check the path; it is read relative to the working directory.",
                )
            )
    return list(dict.fromkeys(files)), findings


def _walk(folder: Path) -> tuple[list[Path], list[Finding]]:
    root = folder.resolve()
    files: list[Path] = []
    findings: list[Finding] = []
    for directory, subfolders, names in os.walk(root):
        subfolders[:] = sorted(d for d in subfolders if not d.startswith("."))
        for name in [*subfolders]:
            entry = Path(directory, name)
            if entry.is_symlink():
                subfolders.remove(name)
                if not _inside(entry.resolve(), root):
                    findings.append(
                        _link_finding(
                            entry,
                            "io.link-outside",
                            "the link leads to a folder outside the policies folder; links to folders are not followed",
                        )
                    )
        for name in sorted(n for n in names if not n.startswith(".") and _is_policy_name(n)):
            entry = Path(directory, name)
            mode = os.lstat(entry).st_mode  # the link itself, or the file
            if stat.S_ISLNK(mode):
                target = entry.resolve()
                if not target.exists():
                    findings.append(_link_finding(entry, "io.dangling-link", "the link leads to nothing"))
                    continue
                if not _inside(target, root):
                    findings.append(
                        _link_finding(
                            entry, "io.link-outside", "the link leads outside the policies folder, so it is not read"
                        )
                    )
                    continue
                entry = target
                mode = entry.lstat().st_mode
            if not stat.S_ISREG(mode):
                findings.append(
                    Finding(
                        display_name(entry),
                        0,
                        0,
                        "io.special-file",
                        Level.ERROR,
                        "this is not a regular file (a FIFO, a device or a socket), so it is not read",
                        "Policies are plain files; remove it from the policies folder.",
                    )
                )
                continue
            files.append(entry)
    return sorted(files), findings


def _inside(path: Path, root: Path) -> bool:
    return path == root or root in path.parents


def _link_finding(link: Path, rule: str, message: str) -> Finding:
    return Finding(
        display_name(link),
        0,
        0,
        rule,
        Level.ERROR,
        message,
        "Put the policy file itself in the policies folder (a link may only lead to a file inside it).",
    )


def load_settings(path: Path | None, texts: dict[str, str] | None = None) -> tuple[dict[str, str], list[Finding]]:
    """Rule levels from a settings file (``support-policies.yaml``); none when ``path`` is None.

    The file's text goes into ``texts``, for code frames.
    """
    settings, findings = read_settings(path, texts)
    return dict(settings.get("rules", {})), findings


def read_settings(path: Path | None, texts: dict[str, str] | None = None) -> tuple[_Settings, list[Finding]]:
    """The whole settings file, valid against settings.schema.json ({} when absent or invalid), and its findings."""
    if path is None:
        return {}, []
    name = display_name(path)
    text, findings = read_text(path, name)
    if text is None:
        return {}, findings
    if texts is not None:
        texts[name] = text
    document, more = load_text(text, name)
    findings += more
    if document is None:
        return {}, findings
    problems = validate(document, "settings.schema.json")
    if problems:
        return {}, findings + problems
    return cast(_Settings, document.data), findings  # valid against settings.schema.json, just checked


def load_policies(
    paths: Iterable[str | os.PathLike[str]], settings: Path | None = None, language: str | None = None
) -> Result:
    """Run the whole pipeline over ``paths`` and return the policy set with every finding.

    ``settings`` is a settings file changing rule levels. Rules run only when every
    file loaded and matched the schema: a rule over a half-read policy would report
    problems that are not there. ``language`` is the language the policy text is read in
    (default: the first of ``organization.languages``); see :mod:`support_policies.texts`.
    The cyclic garbage collector is paused meanwhile (see :func:`support_policies.collector.paused`).
    """
    with paused():
        return _load_policies(paths, settings, language)


def _load_policies(paths: Iterable[str | os.PathLike[str]], settings: Path | None, language: str | None) -> Result:
    from .effective import FOREVER, has_upcoming, in_force
    from .rules import configured_rules, run_rules

    texts: dict[str, str] = {}
    levels, findings = load_settings(settings, texts)
    files, more = discover(paths)
    findings.extend(more)
    documents: list[Document] = []
    folders: dict[str, tuple[tuple[int, int], str]] = {}  # see loader.read_text
    for path in files:
        name = display_name(path)
        text, problems = read_text(path, name, folders)
        findings.extend(problems)
        if text is None:
            continue
        texts[name] = text
        document, problems = load_text(text, name)
        findings.extend(problems)
        if document is None:
            continue
        loader_errors = {(f.line, f.column) for f in problems if f.level is Level.ERROR}
        problems = [f for f in validate(document) if (f.line, f.column) not in loader_errors]
        findings.extend(problems)
        if not problems and not loader_errors:
            documents.append(document)
    if has_errors(findings):
        return Result(None, sort_findings(findings), documents, texts)
    with watching() as merged:
        policy, problems = merge(documents)
    if not has_errors(problems):
        policy, more = _in_language(policy, language, merged.translations)
        problems += more
    findings.extend(problems)
    if has_errors(problems):  # a set that does not merge, or not in this language, is no policy set
        return Result(None, sort_findings(findings), documents, texts)
    texts_by_path = {d.path: d.text for d in documents}
    findings.extend(run_rules(policy, configured_rules(levels), texts_by_path))
    if has_upcoming(policy):  # and as the promises will be once every announced change is in force
        seen = set(findings)
        later = run_rules(in_force(policy, FOREVER), configured_rules(levels), texts_by_path)
        findings.extend(f for f in dict.fromkeys(later) if f not in seen)
    return Result(policy, sort_findings(findings), documents, texts)


def _in_language(policy: PolicySet, language: str | None, translated: bool) -> tuple[PolicySet, list[Finding]]:
    """The policy set with its text in ``language``, which must be one the policies are written in
    (``translated``: some text is given per language)."""
    listed = languages(policy)
    reading = written_in(policy, language) if language else listed[0]
    localized, findings = localize(policy, reading or listed[0]) if translated else (policy, [])
    if reading is None:
        organization = policy.organization
        message = f"the site is built in '{language}', but the policies are written in {', '.join(listed)}"
        hint = (
            f"Add {language} to organization.languages and give the texts in it, or build the site in "
            f"{' or '.join(listed)} (the plugin's language option, export --language)"
        )
        rule = "policy.language-not-written"
        if organization is None:
            findings.append(Finding(policy.files[0] if policy.files else "", 1, 1, rule, Level.ERROR, message, hint))
        else:
            where = ("languages",) if organization.languages else ()
            findings.append(organization.origin.finding(rule, Level.ERROR, message, hint, *where))
    return localized, findings
