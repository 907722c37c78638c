"""Shared helpers for the benchmarks: interleaved median timing, subprocesses and a result table."""

from __future__ import annotations

import argparse
import contextlib
import io
import operator
import os
import resource
import statistics
import subprocess
import sys
import time
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
BIN = Path(sys.executable).parent
"""The virtual environment's bin folder (the scripts are run with .venv/bin/python)."""


def parser(description: str, repeats: int) -> argparse.ArgumentParser:
    """An argument parser with the options every benchmark shares."""
    p = argparse.ArgumentParser(description=description)
    p.add_argument("--repeats", type=int, default=repeats, help=f"timed runs of each case (default: {repeats})")
    p.add_argument("--strict", action="store_true", help="exit 1 when a target is missed")
    return p


class Medians(dict[str, float]):
    """The median seconds of each case, with the seconds of each round (``rounds``), from which
    a :class:`Target` takes its ratio."""

    def __init__(self, rounds: dict[str, list[float]]):
        super().__init__((name, statistics.median(values)) for name, values in rounds.items())
        self.rounds = rounds


def measure(
    cases: dict[str, Callable[[], object]],
    repeats: int,
    warmup: bool = True,
    clock: Callable[[], float] = time.perf_counter,
) -> Medians:
    """Median seconds of each case over ``repeats`` rounds, on ``clock`` (wall time by default).

    Cases run interleaved (a, b, a, b, …) so that machine noise hits all of them alike;
    one untimed warm-up round comes first unless ``warmup`` is false.
    """
    times: dict[str, list[float]] = {name: [] for name in cases}
    for round_ in range(repeats + warmup):
        for name, case in cases.items():
            start = clock()
            case()
            elapsed = clock() - start
            if round_ >= warmup:
                times[name].append(elapsed)
    return Medians(times)


def child_cpu() -> float:
    """CPU seconds (user + system) of every finished child process so far: a ``clock`` for
    :func:`measure` of subprocesses that counts other load on the machine less than wall time."""
    usage = resource.getrusage(resource.RUSAGE_CHILDREN)
    return usage.ru_utime + usage.ru_stime


def cpu() -> float:
    """CPU seconds of this process and of its finished children: the ``clock`` the benchmarks
    time with, so a loaded, shared machine moves their ratios less than wall time does."""
    return time.process_time() + child_cpu()


BYTECODE = ROOT / "build" / "bench-bytecode"
"""Where the benchmarks' subprocesses keep compiled modules (PYTHONPYCACHEPREFIX)."""


def process_env(env: dict | None = None) -> dict:
    """``env`` (default: this process's) for a timed subprocess: with bytecode caching on, in
    :data:`BYTECODE`, so every tool starts as an installed package does, from compiled modules.

    Where PYTHONDONTWRITEBYTECODE is set, each process would otherwise compile every module
    it imports from source (our package, installed editable, included), a cost no user pays.
    """
    env = dict(os.environ if env is None else env)
    env.pop("PYTHONDONTWRITEBYTECODE", None)
    env["PYTHONPYCACHEPREFIX"] = str(BYTECODE)
    return env


def run(
    cmd: list, cwd: Path | None = None, env: dict | None = None, ok: tuple[int, ...] = (0,)
) -> subprocess.CompletedProcess:
    """Run ``cmd`` (in :func:`process_env`) capturing its output; fail loudly on an unexpected
    exit status."""
    done = subprocess.run([str(part) for part in cmd], cwd=cwd, env=process_env(env), capture_output=True, text=True)
    if done.returncode not in ok:
        shown = " ".join(str(part) for part in cmd)
        shown = shown if len(shown) < 300 else shown[:300] + " …"
        raise SystemExit(
            f"command failed with exit status {done.returncode}: {shown}\n{done.stdout[-3000:]}{done.stderr[-3000:]}"
        )
    return done


def check_in_process(folder: Path) -> None:
    """``support-policies check FOLDER`` through ``cli.main``, after clearing the package's caches.

    Clearing the caches (schema, calendars, zone list) makes each run do the work of a
    one-shot command; only interpreter start-up and imports are left out.
    """
    from support_policies import cli

    for name, module in list(sys.modules.items()):
        if name.startswith("support_policies"):
            for value in vars(module).values():
                if callable(getattr(value, "cache_clear", None)):
                    value.cache_clear()
    with contextlib.redirect_stdout(io.StringIO()) as out:
        status = cli.main(["check", str(folder)])
    if status != 0:
        raise SystemExit(f"support-policies check {folder} failed with exit status {status}:\n{out.getvalue()}")


@dataclass
class Target:
    """A ratio of two measured cases and the bound it must keep."""

    label: str
    numerator: str
    denominator: str
    limit: float | None = None
    """Upper bound of the ratio; None for a ratio shown for information."""
    at_least: bool = False
    """When true the ratio must be at least ``limit`` instead of at most."""

    def row(self, medians: dict[str, float]) -> tuple[str, str, str, bool | None]:
        ratio = self.ratio(medians)
        if self.limit is None:
            return self.label, f"{ratio:.2f}×", "—", None
        passed = ratio >= self.limit if self.at_least else ratio <= self.limit
        return self.label, f"{ratio:.2f}×", f"{'≥' if self.at_least else '≤'} {self.limit:g}×", passed

    def ratio(self, medians: dict[str, float]) -> float:
        """The median of the ratios of each round, where both cases ran in the same rounds: a
        slower or faster spell of the machine then moves both sides of each ratio alike (the
        ratio of the two medians can pair a lucky round of one with an unlucky one of the other).
        Else the ratio of the medians."""
        rounds = getattr(medians, "rounds", {})
        top, bottom = rounds.get(self.numerator), rounds.get(self.denominator)
        if top and bottom and len(top) == len(bottom):
            return statistics.median(map(operator.truediv, top, bottom))
        return medians[self.numerator] / medians[self.denominator]


@dataclass
class Check:
    """A yes/no target, such as "mkdocs is not imported"."""

    label: str
    value: str
    target: str
    passed: bool | None
    """None for a value shown for information."""

    def row(self, medians: dict[str, float]) -> tuple[str, str, str, bool | None]:
        return self.label, self.value, self.target, self.passed


def report(title: str, medians: dict[str, float], targets: list, repeats: int) -> bool:
    """Print the medians, then each target's value and result; true when every target is met."""
    rows = [target.row(medians) for target in targets]
    width = max(len(name) for name in [*medians, *(row[0] for row in rows)]) + 2
    print(f"\n{title}\n")
    print(f"{'measured':<{width}}{f'median of {repeats}':>14}")
    for name, seconds in medians.items():
        print(f"{name:<{width}}{seconds:>12.3f} s")
    print(f"\n{'target':<{width}}{'value':>9}  {'bound':>9}  result")
    for label, value, bound, passed in rows:
        print(f"{label:<{width}}{value:>9}  {bound:>9}  {'info' if passed is None else 'PASS' if passed else 'MISS'}")
    print()
    return all(row[3] is not False for row in rows)


def finish(ok: bool, strict: bool) -> int:
    """The exit status: 1 only for a missed target under ``--strict``."""
    if not ok:
        print("At least one target was missed" + ("." if strict else " (exit 0 without --strict)."))
    return 1 if strict and not ok else 0
