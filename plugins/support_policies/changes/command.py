"""``support-policies diff``: compare two policy sets, or the working tree with a git revision.

Exit 0 when nothing weakens without an approving change-log entry, 1 when a weakening is not
approved (or a side cannot be read or checked), 2 on a usage error.
"""

from __future__ import annotations

import argparse
import os
import sys
import tempfile
from dataclasses import replace
from pathlib import Path

from ..model import PolicySet
from ..policyset import Result, load_policies

EXIT_OK, EXIT_FINDINGS, EXIT_USAGE = 0, 1, 2
FORMATS = ("text", "json", "markdown", "github", "sarif")


def _usage(message: str) -> int:
    from ..reporters.escape import printable

    sys.stderr.write(printable(f"support-policies diff: {message}") + "\n")
    return EXIT_USAGE


def _relabel(result: Result, root: str, label: str) -> Result:
    """``result`` with the file names below ``root`` written ``label:name`` (the revision they come from)."""

    findings = [replace(f, file=_name(f.file, root, label)) for f in result.findings]
    texts = {_name(key, root, label): text for key, text in result.texts.items()}
    return Result(result.policy, findings, result.documents, texts)


def _has_policy_files(path: Path) -> bool:
    from ..policyset import SUFFIXES

    if path.is_file():
        return True
    return path.is_dir() and any(p.suffix.lower() in SUFFIXES for p in path.rglob("*") if p.is_file())


def run(args: argparse.Namespace) -> int:
    from .. import calendar
    from ..findings import Level
    from ..gate import change_settings, settings_file
    from ..reporters.as_text import render_text as render_findings
    from ..reporters.escape import printable
    from .approve import judge
    from .compare import Location, compare
    from .git import GitError, export
    from .report import REPORTS, Diff, render_markdown

    paths: list[str] = list(args.paths)
    if args.against is None and len(paths) != 2:
        return _usage("compare two policy folders, OLD NEW, or the working tree with a revision, --against REF [PATH]")
    if args.against is not None and len(paths) > 1:
        return _usage("--against REF compares one PATH (default: policies/) with the same path at REF")
    settings_path = settings_file(args.settings, Path.cwd())
    settings = change_settings(settings_path)
    with tempfile.TemporaryDirectory(prefix="support-policies-diff-") as tmp:
        root = str(Path(tmp).resolve())
        if args.against is not None:
            new_path = Path(paths[0] if paths else "policies")
            try:
                old_path = export(args.against, new_path, Path(root))
            except GitError as exc:
                return _usage(f"--against: {exc}")
            old_label, new_label = args.against, "the working tree"
        else:
            old_path, new_path = Path(paths[0]), Path(paths[1])
            old_label, new_label = paths[0], paths[1]
        if args.against is not None and not _has_policy_files(old_path):
            old = Result(PolicySet(), [], [], {})  # the policies are new since REF: everything is added
        else:
            old = load_policies([old_path], settings_path)
            if args.against is not None:
                old = _relabel(old, root, args.against)
        new = load_policies([new_path], settings_path)
        problems = False
        for side, result, label in (("old", old, old_label), ("new", new, new_label)):
            broken = result.policy is None or (side == "new" and not result.ok)
            if result.findings and (broken or side == "new"):
                sys.stderr.write(f"support-policies diff: the {side} policies ({printable(label)}):\n")
                sys.stderr.write(render_findings(result.findings, result.sources(), files=len(result.documents)))
            problems = problems or broken
            if side == "old" and not broken and not result.ok:
                errors = sum(1 for f in result.findings if f.level >= Level.ERROR)
                sys.stderr.write(
                    f"support-policies diff: the old policies ({printable(label)}) have {errors} "
                    f"error{'' if errors == 1 else 's'} today's rules find; compared as they are\n"
                )
        if problems or old.policy is None or new.policy is None:
            sys.stderr.write("support-policies diff: fix the policies so both sides check, then compare again\n")
            return EXIT_FINDINGS
        today = calendar.now().date()
        changes = compare(old.policy, new.policy, today)
        if args.against is not None:
            changes = [
                replace(c, was=Location(_name(c.was.file, root, args.against), c.was.line, c.was.column))
                if c.was is not None
                else c
                for c in changes
            ]
        verdicts = judge(changes, old.policy, new.policy, settings, today)
        notice = str(settings.notice_period) if settings.notice_period else ""
        diff = Diff(verdicts, old_label, new_label, args.strict, notice, today.isoformat())
        status = EXIT_OK
        for fmt, path in args.output:
            try:
                path.parent.mkdir(parents=True, exist_ok=True)
                with open(path, "w", encoding="utf-8", errors="replace", newline="\n") as out:
                    out.write(REPORTS[fmt](diff))
            except OSError as exc:
                reason = f"cannot write {fmt} output to {path}: {exc.strerror or exc}"
                sys.stderr.write(printable(f"support-policies diff: {reason}") + "\n")
                status = EXIT_USAGE
        sys.stdout.write(REPORTS[args.format](diff))
        summary_file = os.environ.get("GITHUB_STEP_SUMMARY")
        if summary_file and "github" in {args.format, *(fmt for fmt, _ in args.output)}:
            try:
                with open(summary_file, "a", encoding="utf-8", errors="replace", newline="\n") as out:
                    out.write(render_markdown(diff))
            except OSError as exc:
                sys.stderr.write(
                    printable(f"support-policies diff: cannot write the step summary: {exc.strerror or exc}") + "\n"
                )
                status = EXIT_USAGE
        if status != EXIT_OK:
            return status
        return EXIT_FINDINGS if diff.failed else EXIT_OK


def _name(file: str, root: str, label: str) -> str:
    return label + ":" + file[len(root) + 1 :].replace(os.sep, "/") if file.startswith(root + os.sep) else file
