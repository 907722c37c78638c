"""The ``support-policies`` command: the writer's and CI's front door."""

from __future__ import annotations

import argparse
import json
import os
import sys
from pathlib import Path

EXIT_OK, EXIT_FINDINGS, EXIT_USAGE = 0, 1, 2


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="support-policies",
        description="Check and publish support policies written as YAML.",
    )
    commands = parser.add_subparsers(dest="command", required=True, metavar="COMMAND")

    check = commands.add_parser("check", help="validate policy files and report findings",
                                description="Load, validate and check policy files. "
                                "Exit 0 when clean, 1 when there are errors, 2 on usage errors.")
    check.add_argument("paths", nargs="*", default=["policies"], metavar="PATH",
                       help="policy files or folders (default: policies/)")
    check.add_argument("--format", choices=["text", "json"], default="text",
                       help="output format (default: text)")
    check.add_argument("--strict", action="store_true", help="fail on warnings too")
    check.set_defaults(run=_check)

    schema = commands.add_parser("schema", help="write the JSON Schemas for editors",
                                 description="Write the policy JSON Schema (Draft 2020-12).")
    schema.add_argument("--out", metavar="DIR",
                        help="folder to write the schema files into (default: print to stdout)")
    schema.set_defaults(run=_schema)
    return parser


def _check(args) -> int:
    from .findings import Level, has_errors
    from .policyset import load_policies
    from .reporters import REPORTERS
    from .reporters.sources import Sources

    result = load_policies(args.paths)
    sources = Sources({d.path: d.text for d in result.documents})
    colour = args.format == "text" and sys.stdout.isatty() and "NO_COLOR" not in os.environ
    files = len(result.documents) if result.policy else len({f.file for f in result.findings} | {d.path for d in result.documents})
    sys.stdout.write(REPORTERS[args.format](result.findings, sources, colour=colour, files=files))
    failed = has_errors(result.findings) or (args.strict and any(f.level is Level.WARNING for f in result.findings))
    return EXIT_FINDINGS if failed else EXIT_OK


def _schema(args) -> int:
    from .validate import SCHEMA_FILES, load_schema

    if not args.out:
        for name in SCHEMA_FILES:
            sys.stdout.write(json.dumps(load_schema(name), indent=2) + "\n")
        return EXIT_OK
    out = Path(args.out)
    try:
        out.mkdir(parents=True, exist_ok=True)
        for name in SCHEMA_FILES:
            (out / name).write_text(json.dumps(load_schema(name), indent=2) + "\n", "utf-8")
            print(f"wrote {out / name}")
    except OSError as exc:
        print(f"support-policies: cannot write to {out}: {exc.strerror or exc}", file=sys.stderr)
        return EXIT_USAGE
    return EXIT_OK


def main(argv=None) -> int:
    args = _parser().parse_args(argv)
    try:
        return args.run(args)
    except KeyboardInterrupt:
        return 130
    except BrokenPipeError:
        return EXIT_OK


if __name__ == "__main__":
    sys.exit(main())
