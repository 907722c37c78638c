"""What ``support-policies check`` imports and what starting it costs, against check-jsonschema.

Runs ``python -X importtime -m support_policies check policies`` on the sample and reads
the import log. Targets: neither mkdocs, jinja2, markdown (nor pymdownx or material) is
imported, nor jsonschema while every document is valid. Also prints the median import time
in total, of support_policies with everything it imports, and the dependencies that cost
most. Then times whole processes on one small file, interleaved, on CPU time:
``support-policies check`` of one small file that is a policy set of its own (the ticket
templates of examples/support-contacts; a file of the sample alone lacks its organization,
which lists the languages its texts are written in) against ``check-jsonschema --schemafile
…/policy.schema.json`` of the same file. Target: at most 1.5×.
"""

from __future__ import annotations

import statistics
import sys
from dataclasses import dataclass
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from _timing import BIN, ROOT, Check, Target, child_cpu, finish, measure, parser, report, run

FORBIDDEN = ("mkdocs", "jinja2", "markdown", "pymdownx", "material", "jsonschema")
SMALL = "examples/support-contacts/policies/tickets.yaml"
SCHEMA = "plugins/support_policies/schemas/policy.schema.json"
PACKAGE = "support_policies"


@dataclass
class Import:
    name: str
    level: int
    own: float
    cumulative: float

    @property
    def root(self) -> str:
        return self.name.split(".")[0]


def imports() -> list[Import]:
    """The import log of one check of the sample policies, in the order Python prints it."""
    done = run([sys.executable, "-X", "importtime", "-m", PACKAGE, "check", "policies"], cwd=ROOT)
    found = []
    for line in done.stderr.splitlines():
        if not line.startswith("import time:") or "[us]" in line:
            continue
        own, cumulative, field = line[len("import time:") :].split("|")
        name = field.lstrip()
        found.append(Import(name, (len(field) - len(name) - 1) // 2, int(own) / 1e6, int(cumulative) / 1e6))
    return found


def chain(log: list[Import], i: int) -> str:
    """Who imported ``log[i]``: Python logs a module after the modules it imports."""
    names, level = [log[i].name], log[i].level
    for entry in log[i + 1 :]:
        if entry.level < level:
            names.append(entry.name)
            level = entry.level
    return " ← ".join(names)


def main() -> int:
    args = parser(__doc__.splitlines()[0], repeats=5).parse_args()
    logs = [imports() for _ in range(args.repeats)]
    medians = {
        "all imports": statistics.median(sum(e.cumulative for e in log if e.level == 0) for log in logs),
        f"{PACKAGE} and what it imports": statistics.median(
            sum(e.cumulative for e in log if e.level == 0 and e.root == PACKAGE) for log in logs
        ),
        f"{PACKAGE} modules alone": statistics.median(sum(e.own for e in log if e.root == PACKAGE) for log in logs),
    }
    log = logs[-1]  # which modules are imported does not change from run to run
    first = {
        name: min(((e.level, i) for i, e in enumerate(log) if e.root == name), default=(0, None))[1]
        for name in FORBIDDEN
    }
    ok = report(
        "imports of `python -m support_policies check policies` (python -X importtime)",
        medians,
        [Check(f"{name} not imported", "no" if i is None else "yes", "no", i is None) for name, i in first.items()],
        args.repeats,
    )
    ours, theirs = f"support-policies check {SMALL}", f"check-jsonschema {SMALL}"
    processes = measure(
        {
            ours: lambda: run([BIN / "support-policies", "check", SMALL], cwd=ROOT),
            theirs: lambda: run([BIN / "check-jsonschema", "--schemafile", SCHEMA, SMALL], cwd=ROOT),
        },
        args.repeats,
        clock=child_cpu,
    )
    ok = (
        report(
            "one small file, whole processes (CPU time, interleaved runs)",
            processes,
            [Target("check / check-jsonschema", ours, theirs, 1.5)],
            args.repeats,
        )
        and ok
    )
    for name, i in first.items():
        if i is not None:
            print(f"{name} is imported through: {chain(log, i)}")
    roots = {e.root for one in logs for e in one if e.root != PACKAGE and e.root not in sys.stdlib_module_names}
    costs = {root: statistics.median(sum(e.own for e in one if e.root == root) for one in logs) for root in roots}
    print(
        "costliest dependencies (median own import time): "
        + ", ".join(f"{root} {costs[root] * 1000:.0f} ms" for root in sorted(costs, key=costs.get, reverse=True)[:6])
    )
    return finish(ok, args.strict)


if __name__ == "__main__":
    sys.exit(main())
