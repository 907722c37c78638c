"""How ``support-policies check`` scales: N against 10N files, and T against 10T tiers.

Three generated sets: N files and T tiers, 10N files and T tiers, N files and 10T
tiers (defaults: N = 100, T = 5). Each is checked in-process through ``cli.main`` with
the package's caches cleared, so start-up does not hide the growth, on CPU time. Then
each is checked once more in a process of its own, which reports its peak memory
(``ru_maxrss``). Targets: ten times the input costs at most ten times the time, and ten
times the files at most ten times the peak memory.
"""

from __future__ import annotations

import contextlib
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from _timing import Check, Target, check_in_process, cpu, finish, measure, parser, report, run
from generate import generated


def main() -> int:
    p = parser(__doc__.splitlines()[0], repeats=3)
    p.add_argument("--files", type=int, default=100, help="N, the smaller number of files (default: 100)")
    p.add_argument("--tiers", type=int, default=5, help="T, the smaller number of tiers (default: 5; 10T ≤ 100)")
    p.add_argument("--severities", type=int, default=5, help="severities in every set (default: 5)")
    args = p.parse_args()
    n, t, s = args.files, args.tiers, args.severities
    base, more_files, more_tiers = f"{n} files, {t} tiers", f"{10 * n} files, {t} tiers", f"{n} files, {10 * t} tiers"
    with contextlib.ExitStack() as stack:
        folders = {
            name: stack.enter_context(generated(files, tiers, s))[0]
            for name, files, tiers in ((base, n, t), (more_files, 10 * n, t), (more_tiers, n, 10 * t))
        }
        check_in_process(folders[base])  # warm-up: imports, compiled regular expressions
        medians = measure(
            {name: (lambda folder=folder: check_in_process(folder)) for name, folder in folders.items()},
            args.repeats,
            warmup=False,
            clock=cpu,
        )
        peak = {name: peak_memory(folder) for name, folder in folders.items()}
    ok = report(
        f"check scaling ({s} severities); in-process, CPU time, interleaved runs",
        medians,
        [Target("10× files", more_files, base, 10), Target("10× tiers", more_tiers, base, 10)],
        args.repeats,
    )
    growth = peak[more_files] / peak[base]
    ok = (
        report(
            "peak memory of one check as a process (ru_maxrss)",
            {},
            [
                *(Check(f"peak memory, {name}", f"{mib:.0f} MiB", "—", None) for name, mib in peak.items()),
                Check("10× files, peak memory", f"{growth:.2f}×", "≤ 10×", growth <= 10),
            ],
            1,
        )
        and ok
    )
    return finish(ok, args.strict)


PEAK = """
import resource, sys
from support_policies.cli import main
main(["check", sys.argv[1]])
print(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss)
"""


def peak_memory(folder: Path) -> float:
    """The peak resident memory, in MiB, of a process that checks ``folder``."""
    done = run([sys.executable, "-c", PEAK, folder], ok=(0, 1))
    return int(done.stdout.strip().splitlines()[-1]) / 1024


if __name__ == "__main__":
    sys.exit(main())
