"""The ``support-policies`` command: the writer's and CI's front door."""

from __future__ import annotations

import argparse
import gc
import json
import os
import sys
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import TYPE_CHECKING, NamedTuple, NoReturn, Protocol, TypedDict, TypeVar

from .collector import paused

if TYPE_CHECKING:
    from datetime import datetime
    from zoneinfo import ZoneInfo

    from .calendar import Deadline
    from .model import PolicySet, Promise

    _Commands = argparse._SubParsersAction[argparse.ArgumentParser]

EXIT_OK, EXIT_FINDINGS, EXIT_USAGE = 0, 1, 2


def _parser() -> argparse.ArgumentParser:
    from .gate import SETTINGS_FILE

    parser = argparse.ArgumentParser(
        prog="support-policies",
        description="Check and publish support policies written as YAML.",
    )
    commands = parser.add_subparsers(dest="command", required=True, metavar="COMMAND")

    check = commands.add_parser(
        "check",
        help="validate policy files and report findings",
        description="Load, validate and check policy files. "
        "Exit 0 when clean, 1 when there are errors, 2 on usage errors.",
    )
    check.add_argument(
        "paths", nargs="*", default=["policies"], metavar="PATH", help="policy files or folders (default: policies/)"
    )
    _format_options(check, _formats(), "sarif=results.sarif")
    check.add_argument("--strict", action="store_true", help="fail on warnings too")
    _settings_option(check)
    check.set_defaults(run=_check)

    rules = commands.add_parser(
        "rules",
        help="list the consistency rules",
        description="List every rule with its id, default level and documentation.",
    )
    rules.add_argument("rule", nargs="?", metavar="RULE", help="show one rule in full")
    rules.set_defaults(run=_rules)

    schema = commands.add_parser(
        "schema", help="write the JSON Schemas for editors", description="Write the policy JSON Schema (Draft 2020-12)."
    )
    schema.add_argument(
        "--which",
        choices=["policy", "settings"],
        default="policy",
        help=f"which schema to print without --out: policy files (default) or {SETTINGS_FILE}",
    )
    schema.add_argument("--out", metavar="DIR", help="folder to write the schema files into (default: print to stdout)")
    schema.set_defaults(run=_schema)
    _deadline_parser(commands)
    _export_parser(commands)
    _diff_parser(commands)
    return parser


def _diff_parser(commands: _Commands) -> None:
    from .changes.command import FORMATS

    diff = commands.add_parser(
        "diff",
        help="compare two versions of the policies: what weakens, what is announced",
        description="Compare two policy sets (OLD NEW), or PATH in the working tree with PATH at a git "
        "revision (--against REF [PATH]). Each change is a weakening, a strengthening or neutral; a "
        "weakening passes only when a change-log entry covers it and takes effect after the notice "
        "period (notice_period in support-policies.yaml). Exit 0 when nothing weakens unannounced, "
        "1 when a weakening is not announced (or a side has errors), 2 on usage errors.",
    )
    diff.add_argument(
        "paths", nargs="*", metavar="PATH", help="OLD NEW, or with --against one PATH (default: policies/)"
    )
    diff.add_argument(
        "--against", metavar="REF", help="compare with PATH as committed at this git revision, e.g. origin/main"
    )
    _format_options(diff, FORMATS, "markdown=changes.md")
    diff.add_argument("--strict", action="store_true", help="fail on unannounced changes at level warning too")
    _settings_option(diff)
    diff.set_defaults(run=_diff)


def _diff(args: argparse.Namespace) -> int:
    from .changes.command import run

    return run(args)


def _export_parser(commands: _Commands) -> None:
    from .pages import DEFAULT_PAGES, PAGE_IDS

    export = commands.add_parser(
        "export",
        help="write the generated pages, downloads and data to a folder",
        description="Check the policies, then write every page, ticket download, calendar and data file "
        "the site would publish into DIR, for any static site generator. DIR is replaced all at once: "
        "a failed export leaves it as it was. A folder holding anything else than an earlier export "
        "is never replaced.",
    )
    export.add_argument(
        "paths", nargs="*", default=["policies"], metavar="PATH", help="policy files or folders (default: policies/)"
    )
    export.add_argument("--out", required=True, metavar="DIR", help="folder to write, e.g. docs/support")
    export.add_argument(
        "--pages",
        type=_page_list,
        default=list(DEFAULT_PAGES),
        metavar="ID,...",
        help="pages to generate, or all (default: " + ",".join(DEFAULT_PAGES) + "; all: " + ",".join(PAGE_IDS) + ")",
    )
    export.add_argument(
        "--nav",
        type=_nav_file,
        metavar="NAME",
        help="also write the navigation of the pages to DIR/NAME as a Markdown list, the nav file "
        "of mkdocs-literate-nav, which Zensical reads: e.g. --nav SUMMARY.md, and DIR in your nav",
    )
    export.add_argument("--templates", metavar="DIR", help="folder of templates overriding the shipped ones")
    export.add_argument(
        "--base-url",
        default="",
        metavar="URL",
        help="the address DIR will be published at, for copyable links such as $schema lines",
    )
    export.add_argument(
        "--language",
        default="en",
        metavar="TAG",
        help="language of the generated words and of the policy text, e.g. de (default: en)",
    )
    export.add_argument(
        "--locale",
        metavar="LOCALE",
        help="Babel locale for dates, times and numbers, e.g. en_US (default: the language's)",
    )
    export.add_argument("--strict", action="store_true", help="fail on warnings too")
    _settings_option(export)
    export.set_defaults(run=_export)


def _page_list(value: str) -> list[str]:
    from .pages import PAGE_IDS

    if value.strip() == "all":
        return list(PAGE_IDS)
    pages = [page.strip() for page in value.split(",") if page.strip()]
    unknown = [page for page in pages if page not in PAGE_IDS]
    if unknown or not pages:
        raise argparse.ArgumentTypeError(
            f"unknown page {', '.join(unknown) or '(none given)'}; known pages: {', '.join(PAGE_IDS)}"
        )
    return pages


def _nav_file(value: str) -> str:
    if not value.endswith(".md") or Path(value).name != value or value.startswith("."):
        raise argparse.ArgumentTypeError(f"expected a file name ending in .md, such as SUMMARY.md, got {value!r}")
    return value


def _formats() -> tuple[str, ...]:
    """The report formats: one per reporter."""
    from .reporters import FORMATS

    return FORMATS


def _settings_option(parser: argparse.ArgumentParser) -> None:
    from .gate import SETTINGS_FILE

    parser.add_argument(
        "--settings",
        metavar="FILE",
        help=f"settings file with rule levels (default: {SETTINGS_FILE} when it exists)",
    )


def _settings(args: argparse.Namespace) -> Path | None:
    """The settings file to use (the gate's rule); SettingsError, a usage error, when a named one is missing."""
    from .gate import settings_file

    return settings_file(args.settings, Path.cwd())


def _rules(args: argparse.Namespace) -> int:
    from .gate import SETTINGS_FILE
    from .rules import ALL_RULES, LEVELS, RULES_BY_ID

    if args.rule:
        rule = RULES_BY_ID.get(args.rule)
        if rule is None:
            import difflib

            guess = difflib.get_close_matches(args.rule, RULES_BY_ID, n=1)
            hint = f" Did you mean '{guess[0]}'?" if guess else ""
            print(f"support-policies rules: unknown rule '{args.rule}'.{hint}", file=sys.stderr)
            return EXIT_USAGE
        print(f"{rule.id} ({rule.level})\n\n{rule.doc()}")
        return EXIT_OK
    width = max(len(rule.id) for rule in ALL_RULES)
    for rule in ALL_RULES:
        print(f"{rule.id:<{width}}  {rule.level!s:<7}  {rule.summary}")
    print(
        f"\nChange a level in {SETTINGS_FILE} (rules: {{id: {'|'.join([*LEVELS, 'off'])}}});"
        " `support-policies rules ID` shows one rule in full."
    )
    return EXIT_OK


def _format_options(command: argparse.ArgumentParser, formats: Sequence[str], example: str) -> None:
    """``--format`` for what is printed, and repeatable ``--output FORMAT=PATH`` for files."""

    def output(value: str) -> tuple[str, Path]:
        fmt, sep, path = value.partition("=")
        if not sep or fmt not in formats or not path:
            raise argparse.ArgumentTypeError(
                f"expected FORMAT=PATH with FORMAT one of {', '.join(formats)}, got {value!r}"
            )
        return fmt, Path(path)

    command.add_argument(
        "--format",
        choices=formats,
        default="text",
        help="format printed to stdout: " + ", ".join(formats) + " (default: text)",
    )
    command.add_argument(
        "--output",
        action="append",
        type=output,
        default=[],
        metavar="FORMAT=PATH",
        help=f"also write FORMAT to the file PATH, e.g. {example} (repeatable)",
    )


def _check(args: argparse.Namespace) -> int:
    from .gate import fails
    from .policyset import load_policies
    from .reporters import reporter

    result = load_policies(args.paths, _settings(args))
    sources = result.sources()
    colour = args.format == "text" and sys.stdout.isatty() and "NO_COLOR" not in os.environ
    checked = sorted({f.file for f in result.findings} | {d.path for d in result.documents})
    files = len(result.documents) if result.policy else len(checked)
    status = EXIT_OK
    for fmt, path in args.output:
        text = reporter(fmt)(result.findings, sources, colour=False, files=files, checked=checked)
        try:
            path.parent.mkdir(parents=True, exist_ok=True)
            with open(path, "w", encoding="utf-8", errors="replace", newline="\n") as out:
                out.write(text)
        except OSError as exc:
            print(f"support-policies: cannot write {fmt} output to {path}: {exc.strerror or exc}", file=sys.stderr)
            status = EXIT_USAGE
    sys.stdout.write(reporter(args.format)(result.findings, sources, colour=colour, files=files, checked=checked))
    summary_file = os.environ.get("GITHUB_STEP_SUMMARY")
    if summary_file and "github" in {args.format, *(fmt for fmt, _ in args.output)}:
        from .reporters.as_github import step_summary

        try:
            with open(summary_file, "a", encoding="utf-8", errors="replace", newline="\n") as out:
                out.write(step_summary(result.findings, files))
        except OSError as exc:
            print(
                f"support-policies: cannot write the step summary to {summary_file}: {exc.strerror or exc}",
                file=sys.stderr,
            )
            status = EXIT_USAGE
    if status != EXIT_OK:
        return status
    return EXIT_FINDINGS if fails(result.findings, args.strict) else EXIT_OK


def _export(args: argparse.Namespace) -> int:
    from . import i18n
    from .gate import fails
    from .policyset import load_policies
    from .reporters.as_text import render_text

    settings = _settings(args)
    if args.templates and not Path(args.templates).is_dir():
        print(f"support-policies export: --templates: no such folder: {args.templates}", file=sys.stderr)
        return EXIT_USAGE
    try:
        language = i18n.language(args.language, args.locale)
    except i18n.UnknownLanguage as exc:
        print(f"support-policies export: --language: {exc}", file=sys.stderr)
        return EXIT_USAGE
    result = load_policies(args.paths, settings, language.tag)
    if result.findings:
        sys.stdout.write(render_text(result.findings, result.sources()))
    if fails(result.findings, args.strict) or result.policy is None:
        print(f"support-policies export: nothing written; {args.out} is unchanged", file=sys.stderr)
        return EXIT_FINDINGS

    from .exports.site import SiteFile, literate_nav, site_files
    from .exports.writer import ExportError, write_export
    from .render import Renderer, TemplateProblem

    renderer = Renderer(result.policy, args.templates, base_url=args.base_url, language=language)
    try:
        files = site_files(renderer, args.pages)
        if args.nav:
            if any(file.path == args.nav for file in files):
                print(
                    f"support-policies export: --nav: {args.nav} is a page of the export; {args.out} is unchanged",
                    file=sys.stderr,
                )
                return EXIT_USAGE
            files.append(SiteFile(args.nav, literate_nav(files).encode("utf-8")))
        count = write_export(files, Path(args.out))
    except TemplateProblem as exc:
        print(
            f"support-policies export: a template cannot be rendered: {exc}; {args.out} is unchanged", file=sys.stderr
        )
        return EXIT_USAGE
    except (ExportError, OSError) as exc:
        if isinstance(exc, OSError) and exc.strerror:
            reason = f"{exc.filename}: {exc.strerror}" if exc.filename else exc.strerror
        else:
            reason = str(exc)
        unchanged = f"; {args.out} is unchanged" if getattr(exc, "unchanged", True) else ""
        print(f"support-policies export: {reason}{unchanged}", file=sys.stderr)
        return EXIT_USAGE
    print(f"support-policies export: wrote {count} files to {args.out}")
    return EXIT_OK


def _schema(args: argparse.Namespace) -> int:
    from .validate import SCHEMA_FILES, schema_text

    if not args.out:  # JSON is UTF-8 (RFC 8259), whatever the terminal's encoding
        text = schema_text(f"{args.which}.schema.json")
        binary = getattr(sys.stdout, "buffer", None)
        if binary is None:
            sys.stdout.write(text)
        else:
            sys.stdout.flush()
            binary.write(text.encode("utf-8"))
        return EXIT_OK
    out = Path(args.out)
    try:
        out.mkdir(parents=True, exist_ok=True)
        for name in SCHEMA_FILES:
            (out / name).write_text(schema_text(name), "utf-8")
            print(f"wrote {out / name}")
    except OSError as exc:
        print(f"support-policies: cannot write to {out}: {exc.strerror or exc}", file=sys.stderr)
        return EXIT_USAGE
    return EXIT_OK


# --- deadline -------------------------------------------------------------------------------------


def _deadline_parser(commands: _Commands) -> None:
    from .model import PROMISE_KINDS

    deadline = commands.add_parser(
        "deadline",
        help="say when a response is due",
        description="Say when the response to a ticket is due, in the provider's zone, the customer's zone "
        "and UTC, and which clock applied. Exit 0 with an answer, 1 when the policies have errors "
        "or the tier does not promise it, 2 on usage errors (including an --at, or a due time, "
        "outside the years the calendar can compute).",
    )
    deadline.add_argument(
        "paths", nargs="*", default=["policies"], metavar="PATH", help="policy files or folders (default: policies/)"
    )
    _settings_option(deadline)
    deadline.add_argument("--tier", required=True, metavar="T", help="tier id or name, e.g. premium")
    deadline.add_argument("--severity", required=True, metavar="S", help="severity id or name, e.g. high")
    deadline.add_argument(
        "--kind", choices=PROMISE_KINDS, help="only this promise (default: every promise the plan makes)"
    )
    deadline.add_argument(
        "--at",
        metavar="ISO-8601",
        help="when the ticket is filed, e.g. 2026-11-27T16:00:00-06:00 (default: now, or "
        "SOURCE_DATE_EPOCH when set); "
        "without an offset it is read in --tz, else in the provider's zone",
    )
    deadline.add_argument("--tz", metavar="ZONE", help="the customer's IANA time zone, e.g. Europe/London")
    deadline.add_argument(
        "--region",
        metavar="NAME",
        help="the customer's region, for a clock whose hours depend on it (by_region), e.g. EMEA",
    )
    deadline.add_argument(
        "--condition",
        choices=["met", "unmet"],
        help="for a conditional promise: the case to compute (default: both, the promise as given first)",
    )
    deadline.add_argument(
        "--confirmed-at",
        metavar="ISO-8601",
        help="when support confirmed the severity, for a plan whose clock starts then (clock_rules: starts: confirmed)",
    )
    deadline.add_argument(
        "--paused",
        action="append",
        default=[],
        metavar="START/END",
        help="a span the clock was paused (clock_rules: pauses), e.g. "
        "2026-11-30T09:00-06:00/2026-11-30T15:00-06:00; repeat for more",
    )
    deadline.add_argument("--format", choices=["text", "json"], default="text", help="output format (default: text)")
    deadline.set_defaults(run=_deadline)


def _deadline(args: argparse.Namespace) -> int:
    from datetime import datetime

    from . import calendar, clockrules, wording
    from .model import clock_rules, home_zone
    from .policyset import load_policies
    from .reporters import reporter
    from .reporters.escape import printable
    from .rules.promises import branch

    def usage(message: str) -> int:
        print(f"support-policies deadline: {message}", file=sys.stderr)
        return EXIT_USAGE

    try:
        customer = calendar.get_zone(args.tz) if args.tz else None
    except calendar.CalendarError as exc:
        return usage(f"--tz: {exc}")
    try:
        at = datetime.fromisoformat(args.at) if args.at else calendar.now().replace(second=0, microsecond=0)
    except ValueError:
        return usage(f"--at: '{args.at}' is not an ISO-8601 date and time, e.g. 2026-11-27T16:00:00-06:00")
    result = load_policies(args.paths, _settings(args))
    if result.findings:
        sources = result.sources()
        fmt = args.format if not result.ok else "text"
        (sys.stdout if not result.ok else sys.stderr).write(
            reporter(fmt)(result.findings, sources, files=len(result.documents))
        )
    policy = result.policy
    if not result.ok or policy is None:  # a result is ok only with a policy
        return EXIT_FINDINGS
    from .effective import in_force

    try:  # the promises in force on the provider's day of filing
        home = calendar.get_zone(home_zone(policy))
        day = (at if at.tzinfo is not None else calendar.localize(at, customer or home)).astimezone(home).date()
    except (calendar.CalendarError, OverflowError):  # an instant out of range: refused below, as before
        day = at.date()
    policy = in_force(policy, day)
    tier = _pick("tier", args.tier, policy.tiers)
    if isinstance(tier, str):
        return usage(tier)
    severity = _pick("severity", args.severity, policy.severities)
    if isinstance(severity, str):
        return usage(severity)
    target = tier.targets.get(severity.id)
    given = [kind for kind, _ in target.promises()] if target is not None and target.covered else []
    kinds = [args.kind] if args.kind else given
    if not kinds or args.kind not in (None, *given):
        reason = "does not cover" if target is None or not target.covered else f"makes no {args.kind} promise for"
        note = f" {target.note}" if target is not None and target.note else ""
        also = f" It promises: {', '.join(given)} (use --kind)." if given else ""
        print(f"{tier.name} {reason} {severity.id} incidents.{note}{also}")
        return EXIT_FINDINGS
    assert target is not None
    rules = clock_rules(policy, tier)
    if args.confirmed_at and not (rules and rules.starts == "confirmed"):
        return usage(f"--confirmed-at: on {tier.name} the clock starts when the ticket is created")
    if args.paused and not (rules and rules.pauses):
        return usage(f"--paused: the clock rules of {tier.name} name nothing that pauses the clock")
    conditional = [kind for kind in kinds if getattr(target, kind).condition is not None]
    if args.condition and not conditional:
        given_as = f"an {args.kind} promise without a condition" if args.kind else "no promise with a condition"
        return usage(f"--condition: {tier.name} gives {severity.id} incidents {given_as}")
    provider = calendar.get_zone(home_zone(policy))
    zone = customer or provider

    def moment_of(text: str, option: str) -> datetime | str:
        try:
            value = datetime.fromisoformat(text)
        except ValueError:
            return f"{option}: '{text}' is not an ISO-8601 date and time, e.g. 2026-11-27T16:00:00-06:00"
        return calendar.localize(value, zone) if value.tzinfo is None else value

    pauses: list[tuple[datetime, datetime]] = []
    for text in args.paused:
        start_text, _, end_text = text.partition("/")
        start, end = moment_of(start_text, "--paused"), moment_of(end_text, "--paused")
        if isinstance(start, str) or isinstance(end, str):
            return usage(start if isinstance(start, str) else str(end))
        pauses.append((start, end))
    try:
        pauses = clockrules.merged(pauses)
    except clockrules.PauseError as exc:
        return usage(f"--paused: {exc}")
    try:
        confirmed = moment_of(args.confirmed_at, "--confirmed-at") if args.confirmed_at else None
        filed = calendar.localize(at, zone) if at.tzinfo is None else at
    except calendar.CalendarRangeError as exc:
        return usage(f"--at: {exc}")
    if isinstance(confirmed, str):
        return usage(confirmed)
    if confirmed is not None and confirmed < filed:
        return usage("--confirmed-at: the severity cannot be confirmed before the ticket is filed (--at)")
    case = {"met": " (condition met)", "unmet": " (condition not met)"}.get(args.condition or "", "")
    blocks: list[list[str]] = []
    entries: list[_PromiseDocument] = []
    regions: set[str] = set()
    for kind in kinds:
        given_promise = getattr(target, kind)
        condition = given_promise.condition
        promise = given_promise
        otherwise = branch(tier, kind, promise, "unmet") if condition is not None else None
        if args.condition == "unmet" and condition is not None:
            if otherwise is None:
                print(f"{tier.name} promises no {kind} for {severity.id} incidents when the condition is not met.")
                return EXIT_FINDINGS
            promise = otherwise
        region, problem = _region(policy, promise.clock, args.region)
        if problem:
            return usage(problem)
        try:
            answer = _answer(policy, promise, filed, confirmed, pauses, region)
            other_answer = None
            if otherwise is not None and args.condition is None:
                other_region, problem = _region(policy, otherwise.clock, args.region)
                if problem:
                    return usage(f"when the condition is not met: {problem}")
                other_answer = _answer(policy, otherwise, filed, confirmed, pauses, other_region)
        except clockrules.PauseError as exc:
            return usage(f"--paused: {exc}")
        except calendar.CalendarRangeError as exc:
            return usage(f"--at: {exc}")
        except calendar.CalendarError as exc:
            print(f"support-policies deadline: {exc}", file=sys.stderr)
            return EXIT_FINDINGS
        if region is not None:
            regions.add(region)
        words = wording.promise(policy, promise, kind)
        clock = wording.clock_description(policy, promise.clock)
        if region is not None:  # the region's own schedule, named
            clock = f"{region}: {wording.clock_description(policy, answer.calendar.id)}"
        terms = _Terms(
            rules.starts if rules else "created",
            confirmed,
            pauses,
            rules.response if rules and kind == "acknowledge" else "",
            promise.best_effort,
        )
        other_words = wording.otherwise(policy, tier, kind, given_promise) if condition is not None else ""
        if args.format == "json":
            document = _deadline_document(answer, clock, provider, zone)
            entries.append(
                {
                    "kind": kind,
                    "promise": words,
                    "best_effort": promise.best_effort,
                    "region": region,
                    "clock": document["clock"],
                    "within": document["within"],
                    "clock_starts": document["clock_starts"],
                    "typically_from": document["typically_from"],
                    "due": _utc(answer.due),
                    "due_local": {
                        "provider": document["due"]["provider"],
                        "customer": document["due"]["customer"],
                    },
                    "condition": None
                    if condition is None
                    else {
                        "requires": condition.requires,
                        "case": args.condition or "met",
                        "otherwise": other_words,
                        "handled_as": condition.handled_as or None,
                        "otherwise_due": None if other_answer is None else _utc(other_answer.due),
                    },
                }
            )
            continue
        lines = [
            f"{tier.name}, {severity.name} severity, {kind}{case if condition else ''}: {words}",
            *_deadline_lines(answer, clock, provider, zone, terms),
        ]
        if condition is not None:
            lines += _condition_lines(
                printable(condition.requires), other_words, args.condition, other_answer, provider, zone
            )
        blocks.append(lines)
    if args.format == "json":
        terms = _Terms(rules.starts if rules else "created", confirmed, pauses, rules.response if rules else "", False)
        deadline_document: _DeadlineAnswer = {
            "version": DEADLINE_FORMAT_VERSION,
            "tier": tier.id,
            "severity": severity.id,
            "filed_at": {
                "provider": filed.astimezone(provider).isoformat(),
                "customer": filed.astimezone(zone).isoformat(),
                "utc": _utc(filed),
            },
            "zones": {"provider": provider.key, "customer": zone.key},
            "clock_rules": _rules_document(terms, provider, zone),
            "promises": entries,
        }
        sys.stdout.write(json.dumps(deadline_document, indent=2, ensure_ascii=False) + "\n")
    else:
        sys.stdout.write("\n\n".join("\n".join(lines) for lines in blocks) + "\n")
    return EXIT_OK


DEADLINE_FORMAT_VERSION = 2
"""Version 2 answers every promise of the target (``promises``), each ``due`` an instant in UTC;
version 1 answered one kind, with ``due`` in three zones."""


def _utc(instant: datetime) -> str:
    """``instant`` as an ISO 8601 UTC string ending in ``Z``."""
    from datetime import UTC

    return instant.astimezone(UTC).isoformat().replace("+00:00", "Z")


WHY_LATER = "  (filed outside open hours)"


class _Terms(NamedTuple):
    """What the plan's clock rules, and the promise itself, add to the answer."""

    starts: str
    confirmed: datetime | None
    pauses: list[tuple[datetime, datetime]]
    response: str
    best_effort: bool


def _answer(
    policy: PolicySet,
    promise: Promise,
    filed: datetime,
    confirmed: datetime | None,
    pauses: Sequence[tuple[datetime, datetime]],
    region: str | None,
) -> Deadline:
    """The deadline counted from the confirmation (when given), with the clock stopped while paused."""
    from dataclasses import replace

    from . import calendar, clockrules

    answer = calendar.deadline(policy, promise, confirmed or filed, region)
    if pauses:
        start = confirmed or filed
        cal = answer.calendar
        lower = clockrules.add(cal, start, promise.within.min, pauses) if promise.within.min else None
        answer = replace(answer, due=clockrules.add(cal, start, promise.within.max, pauses), typically_from=lower)
    return replace(answer, filed_at=calendar.deadline(policy, promise, filed, region).filed_at)


def _region(policy: PolicySet, clock: str, given: str | None) -> tuple[str | None, str]:
    """The region as the clock writes it, and a usage problem ("" when none).

    A clock whose hours depend on the customer's region needs ``--region`` naming one of
    its regions (case does not matter); any other clock refuses it rather than ignore it.
    """
    from .calendar import regions

    known = regions(policy, clock)
    if not known:
        if given is not None:
            return None, f"--region: the clock '{clock}' does not depend on the customer's region"
        return None, ""
    if given is None:
        return None, f"the clock '{clock}' depends on the customer's region; add --region, one of {', '.join(known)}"
    match = next((region for region in known if region.casefold() == given.casefold()), None)
    if match is None:
        return None, f"--region: '{given}' is not a region of the clock '{clock}'; use one of {', '.join(known)}"
    return match, ""


class _WithinDocument(TypedDict):
    max: str
    min: str | None


class _ClockDocument(TypedDict):
    id: str
    name: str
    zone: str
    round_the_clock: bool
    description: str


class _ZonesDocument(TypedDict):
    provider: str
    customer: str


class _Moment(TypedDict):
    provider: str
    customer: str
    utc: str


class _LocalDue(TypedDict):
    provider: str
    customer: str


class _ConditionDocument(TypedDict):
    requires: str
    case: str
    otherwise: str
    handled_as: str | None
    otherwise_due: str | None


class _PromiseDocument(TypedDict):
    kind: str
    promise: str
    best_effort: bool
    region: str | None
    clock: _ClockDocument
    within: _WithinDocument
    clock_starts: _Moment
    typically_from: _Moment | None
    due: str
    due_local: _LocalDue
    condition: _ConditionDocument | None


class _DeadlineAnswer(TypedDict):
    version: int
    tier: str
    severity: str
    filed_at: _Moment
    zones: _ZonesDocument
    clock_rules: _RulesDocument
    promises: list[_PromiseDocument]


class _DeadlineDocument(TypedDict):
    within: _WithinDocument
    clock: _ClockDocument
    zones: _ZonesDocument
    filed_at: _Moment
    clock_starts: _Moment
    due: _Moment
    typically_from: _Moment | None


def _deadline_document(answer: Deadline, clock: str, provider: ZoneInfo, customer: ZoneInfo) -> _DeadlineDocument:
    """The clock and every moment, each in the provider's zone, the customer's zone and UTC."""

    def moment(value: datetime) -> _Moment:
        return {
            "provider": value.astimezone(provider).isoformat(),
            "customer": value.astimezone(customer).isoformat(),
            "utc": _utc(value),
        }

    within = answer.promise.within
    return {
        "within": {"max": str(within.max), "min": str(within.min) if within.min else None},
        "clock": {
            "id": answer.promise.clock,
            "name": answer.calendar.name,
            "zone": answer.calendar.zone.key,
            "round_the_clock": answer.calendar.round_the_clock,
            "description": clock,
        },
        "zones": {"provider": provider.key, "customer": customer.key},
        "filed_at": moment(answer.filed_at),
        "clock_starts": moment(answer.starts_at),
        "due": moment(answer.due),
        "typically_from": None if answer.typically_from is None else moment(answer.typically_from),
    }


def _deadline_lines(
    answer: Deadline, clock: str, provider: ZoneInfo, customer: ZoneInfo, terms: _Terms | None = None
) -> list[str]:
    """The answer as aligned lines, times in the provider's zone (and the customer's, when another)."""
    from .calendar import get_zone

    shown: list[tuple[str, ZoneInfo]] = [("provider", provider)] + (
        [("customer", customer)] if customer.key != provider.key else []
    )

    def text(local: datetime) -> str:
        return f"{local:%a} {local.date().isoformat()} {local:%H:%M %Z}"  # %Y does not pad years before 1000

    def moment(label: str, instant: datetime, roles: Sequence[tuple[str, ZoneInfo]]) -> list[str]:
        return [
            f"{label if i == 0 else '':<16}{text(instant.astimezone(zone))}{f'  {zone.key} ({role})' if role else ''}"
            for i, (role, zone) in enumerate(roles)
        ]

    lines = [f"{'Clock:':<16}{clock}"]
    if terms is not None and terms.best_effort:
        lines.append(f"{'Best effort:':<16}an aim rather than a guarantee")
    lines += moment("Filed:", answer.filed_at, shown)
    if terms is not None and terms.starts == "confirmed":
        if terms.confirmed is not None:
            lines += moment("Confirmed:", terms.confirmed, shown)
        else:
            lines.append(
                f"{'Confirmed:':<16}not given (--confirmed-at); the clock starts when support confirms the "
                "severity, so the times below count from filing and are the earliest it can fall due"
            )
    counted_from = terms.confirmed if terms is not None and terms.confirmed is not None else answer.filed_at
    if answer.starts_at != counted_from:
        lines += moment("Clock starts:", answer.starts_at, shown)
        lines[-len(shown)] += "  (outside open hours)" if counted_from != answer.filed_at else WHY_LATER
    for start, end in terms.pauses if terms is not None else []:
        local_start, local_end = start.astimezone(provider), end.astimezone(provider)
        lines.append(f"{'Paused:':<16}{text(local_start)} to {text(local_end)}  {provider.key} (provider)")
    if terms is not None and terms.response == "person":
        lines.append(f"{'Response:':<16}a reply from a support engineer; automatic acknowledgements do not count")
    elif terms is not None and terms.response == "acknowledgement":
        lines.append(f"{'Response:':<16}an automatic acknowledgement counts")
    if answer.typically_from is not None:
        lines += moment("Typically from:", answer.typically_from, shown)
    return lines + moment("Due by:", answer.due, shown + [("", get_zone("UTC"))])


def _condition_lines(
    requires: str,
    otherwise: str,
    case: str | None,
    other: Deadline | None,
    provider: ZoneInfo,
    customer: ZoneInfo,
) -> list[str]:
    """The condition, and what applies (and when it falls due) when it is not met."""
    if case == "met":
        return [f"{'Condition:':<16}met (--condition met): {requires}"]
    if case == "unmet":
        return [f"{'Condition:':<16}not met (--condition unmet): {requires} The times above are what applies instead."]
    lines = [
        f"{'Condition:':<16}the times above hold only if: {requires}",
        f"{'Otherwise:':<16}{otherwise[10:]}",
    ]
    if other is not None:
        lines += _deadline_lines(other, "", provider, customer)[-(2 if customer.key == provider.key else 3) :]
        lines[-(2 if customer.key == provider.key else 3)] = (
            "Otherwise due:  " + lines[-(2 if customer.key == provider.key else 3)][16:]
        )
    return lines


class _RulesDocument(TypedDict):
    starts: str
    confirmed_at: _Moment | None
    paused: list[dict[str, _Moment]]
    response: str | None


def _rules_document(terms: _Terms, provider: ZoneInfo, customer: ZoneInfo) -> _RulesDocument:
    """The clock rules the answer honoured: when the clock started, and the pauses taken out."""

    def moment(value: datetime) -> _Moment:
        return {
            "provider": value.astimezone(provider).isoformat(),
            "customer": value.astimezone(customer).isoformat(),
            "utc": _utc(value),
        }

    return {
        "starts": terms.starts,
        "confirmed_at": None if terms.confirmed is None else moment(terms.confirmed),
        "paused": [{"start": moment(a), "end": moment(b)} for a, b in terms.pauses],
        "response": terms.response or None,
    }


class _Named(Protocol):
    @property
    def id(self) -> str: ...

    @property
    def name(self) -> str: ...


_NamedT = TypeVar("_NamedT", bound=_Named)


def _pick(what: str, wanted: str, items: Sequence[_NamedT]) -> _NamedT | str:
    """The item whose id or name is ``wanted``; if none is, the message, with a suggestion."""
    import difflib

    for item in items:
        if wanted == item.id or wanted.casefold() in (item.id.casefold(), item.name.casefold()):
            return item
    ids = [item.id for item in items]
    close = difflib.get_close_matches(wanted, ids, n=1, cutoff=0.5)
    hint = f"did you mean '{close[0]}'? " if close else ""
    return f"unknown {what} '{wanted}'; {hint}known: {', '.join(ids) or 'none'}"


def main(argv: Sequence[str] | None = None) -> int:
    """Run one command, with the cyclic garbage collector paused throughout (see
    :func:`support_policies.collector.paused`): imports included, and to the end, so the
    objects made while it was paused are not walked as soon as it runs again."""
    with paused():
        return _main(argv)


def _main(argv: Sequence[str] | None) -> int:
    from .gate import SettingsError

    args = _parser().parse_args(argv)
    run: Callable[[argparse.Namespace], int] = args.run
    try:
        return run(args)
    except SettingsError as exc:
        print(f"support-policies {args.command}: --settings: {exc}", file=sys.stderr)
        return EXIT_USAGE
    except KeyboardInterrupt:
        return 130
    except BrokenPipeError:
        return EXIT_OK


def run() -> NoReturn:
    """The console command: :func:`main`, then an exit without the interpreter's teardown.

    The teardown frees every object the command kept, one at a time: about 7 % of a check
    of 1,000 files. By the time :func:`main` returns, every file it wrote is closed, so only
    the standard streams are flushed first (as mypy's command does); when that fails, the
    command exits the usual way, which says so and exits with status 120.

    The cyclic collector stays off to the end: turned on again, it would first walk every
    object the command made just before the exit (about 3 % of a check of 1,000 files).
    """
    gc.disable()
    status = main()
    try:
        for stream in (sys.stdout, sys.stderr):
            if stream is not None:  # None: the stream was closed before the command started
                stream.flush()
    except Exception:  # a full disk, a closed pipe: the interpreter's exit reports it (status 120)
        sys.exit(status)
    os._exit(status)


if __name__ == "__main__":
    run()
