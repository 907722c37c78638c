"""What ``support-policies diff`` costs next to ``check``: two sides loaded and checked, then compared.

The sample policies are the old side; the new side is a copy in which every promise of every
plan is one hour slower (so every promise is a change to classify, each compared as a worst
case over the calendars). Both commands run in-process
through ``cli.main`` with the package's caches cleared before each run, interleaved. Target:
the diff costs at most 3× one check (it loads and checks two sets, then compares).
"""

from __future__ import annotations

import contextlib
import io
import re
import shutil
import sys
import tempfile
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from _timing import ROOT, Target, check_in_process, finish, measure, parser, report


def _slower(folder: Path, out: Path) -> int:
    """Copy ``folder`` to ``out`` with every hour of every tier file one more; the number of promises changed."""
    shutil.copytree(folder, out)
    changed = 0
    for path in sorted(out.glob("*.yaml")):
        text = path.read_text("utf-8")
        if "tiers:" not in text:
            continue
        text, count = re.subn(r"within: (\d+)h", lambda m: f"within: {int(m[1]) + 1}h", text)
        changed += count
        path.write_text(text, "utf-8")
    return changed


def diff_in_process(old: Path, new: Path) -> None:
    from support_policies import cli

    for name, module in list(sys.modules.items()):
        if name.startswith("support_policies"):
            for value in vars(module).values():
                if callable(getattr(value, "cache_clear", None)):
                    value.cache_clear()
    with contextlib.redirect_stdout(io.StringIO()), contextlib.redirect_stderr(io.StringIO()) as err:
        status = cli.main(["diff", str(old), str(new), "--format", "json"])
    if status not in (0, 1):
        raise SystemExit(f"support-policies diff failed with exit status {status}:\n{err.getvalue()}")


def main() -> int:
    p = parser(__doc__.splitlines()[0], repeats=5)
    args = p.parse_args()
    with tempfile.TemporaryDirectory(prefix="support-policies-bench-") as tmp:
        old, new = Path(tmp) / "old", Path(tmp) / "new"
        shutil.copytree(ROOT / "policies", old)
        changed = _slower(old, new)
        check_in_process(old)  # warm-up: imports, compiled regular expressions
        medians = measure(
            {"check (one side)": lambda: check_in_process(old), "diff (two sides)": lambda: diff_in_process(old, new)},
            args.repeats,
            warmup=False,
        )
    ok = report(
        f"diff against check: the sample, {changed} promises changed; in-process",
        medians,
        [Target("diff / check", "diff (two sides)", "check (one side)", 3)],
        args.repeats,
    )
    return finish(ok, args.strict)


if __name__ == "__main__":
    sys.exit(main())
