"""``support-policies check`` on a large generated set against a bare libyaml parse of it.

The bare parse is ``yaml.load(file, Loader=yaml.CSafeLoader)`` over every file, in-process.
Our check runs in-process through ``support_policies.cli.main`` (the function behind the
command; package caches are cleared before each run so it does a one-shot run's work)
and as a subprocess with interpreter start-up, next to a bare parse in a subprocess.
Both on CPU time (this process's and its children's). Target: the check takes at most 2×
the bare parse, in-process and as a process.
"""

from __future__ import annotations

import collections
import cProfile
import os
import pstats
import statistics
import sys
import time
from pathlib import Path

import yaml

sys.path.insert(0, str(Path(__file__).resolve().parent))
from _timing import BIN, ROOT, Target, check_in_process, cpu, finish, measure, parser, report, run
from generate import generated

BARE_PARSE = """
import pathlib, sys, yaml
for path in sorted(pathlib.Path(sys.argv[1]).rglob("*.yaml")):
    with open(path, "rb") as f:
        yaml.load(f, Loader=yaml.CSafeLoader)
"""


def bare_parse(folder: Path) -> None:
    for path in sorted(folder.rglob("*.yaml")):
        with open(path, "rb") as f:
            yaml.load(f, Loader=yaml.CSafeLoader)


def profile(folder: Path, top: int) -> None:
    """Print where one in-process check spends its time."""
    profiler = cProfile.Profile()
    profiler.runcall(check_in_process, folder)
    stats = pstats.Stats(profiler)
    print("Profile of one in-process check, by cumulative time (package functions):")
    stats.sort_stats("cumulative").print_stats(r"support_policies", top)
    print("… and by own time (all functions):")
    stats.sort_stats("tottime").print_stats(top)


def phases(folder: Path, runs: int) -> None:
    """Print the median CPU time of each phase of an in-process check, without a profiler.

    The pipeline's steps (as ``policyset`` calls them) and each rule's check are timed by
    wrapping them for the duration of ``runs`` checks; what is left is the command's own
    work (reporting, sorting) and the wrappers'.
    """
    from support_policies import policyset
    from support_policies import rules as rules_module

    spent: dict[str, float] = collections.defaultdict(float)
    saved: list[tuple[object, str, object]] = []

    def timed(owner: object, name: str, label: str, listing: bool = False) -> None:
        original = getattr(owner, name)
        saved.append((owner, name, original))

        def wrapper(*args: object, **kwargs: object) -> object:
            start = time.process_time()
            result = original(*args, **kwargs)
            if listing:
                result = list(result)  # a rule's findings are a generator: its work happens here
            spent[label] += time.process_time() - start
            return result

        setattr(owner, name, wrapper)

    for name in ("discover", "display_name", "read_text", "load_text", "validate", "merge"):
        timed(policyset, name, name)
    timed(rules_module, "apply_suppressions", "suppressions")
    for rule in rules_module.ALL_RULES:
        timed(rule, "check", f"rule {rule.id}", listing=True)
    totals: list[dict[str, float]] = []
    try:
        for _ in range(runs):
            spent.clear()
            start = time.process_time()
            check_in_process(folder)
            spent["whole check"] = time.process_time() - start
            totals.append(dict(spent))
    finally:
        for owner, name, original in reversed(saved):
            setattr(owner, name, original)
    print(f"Phases of an in-process check, CPU time, median of {runs} (instrumented, caches cleared):")
    for label in totals[0]:
        seconds = statistics.median(run.get(label, 0.0) for run in totals)
        if seconds >= 0.001 or label == "whole check":
            print(f"  {label:<40}{seconds:>8.3f} s")
    print()


def main() -> int:
    p = parser(__doc__.splitlines()[0], repeats=3)
    p.add_argument("--files", type=int, default=1000, help="files in the generated set (default: 1000)")
    p.add_argument("--tiers", type=int, default=50, help="tiers in the generated set (default: 50)")
    p.add_argument("--severities", type=int, default=5, help="severities in the generated set (default: 5)")
    p.add_argument(
        "--profile",
        type=int,
        nargs="?",
        const=25,
        default=0,
        metavar="N",
        help="after timing, print the N (default 25) costliest functions of one check",
    )
    p.add_argument(
        "--phases",
        type=int,
        nargs="?",
        const=5,
        default=0,
        metavar="RUNS",
        help="after timing, print the median CPU time of each phase over RUNS (default 5) checks",
    )
    args = p.parse_args()
    with generated(args.files, args.tiers, args.severities) as (folder, files):
        os.chdir(folder)  # no settings file from elsewhere; short display names
        check_in_process(ROOT / "policies")  # warm-up: imports, compiled regular expressions
        medians = measure(
            {
                "bare parse (CSafeLoader), in-process": lambda: bare_parse(folder),
                "check, in-process (cli.main)": lambda: check_in_process(folder),
                "bare parse, subprocess": lambda: run([sys.executable, "-c", BARE_PARSE, folder]),
                "check, subprocess": lambda: run([BIN / "support-policies", "check", folder]),
            },
            args.repeats,
            warmup=False,
            clock=cpu,
        )
        size = sum(path.stat().st_size for path in files) / 1e6
        ok = report(
            f"check vs bare parse: {len(files)} files ({size:.1f} MB), {args.tiers} tiers, "
            f"{args.severities} severities; interleaved runs",
            medians,
            [
                Target(
                    "check / bare parse, in-process",
                    "check, in-process (cli.main)",
                    "bare parse (CSafeLoader), in-process",
                    2,
                ),
                Target("check / bare parse, subprocess", "check, subprocess", "bare parse, subprocess", 2),
            ],
            args.repeats,
        )
        if args.phases:
            phases(folder, args.phases)
        if args.profile:
            profile(folder, args.profile)
    return finish(ok, args.strict)


if __name__ == "__main__":
    sys.exit(main())
