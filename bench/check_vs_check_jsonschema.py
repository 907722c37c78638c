"""``support-policies check`` against ``check-jsonschema`` on the same generated files.

Both run as subprocesses, interpreter start-up included, on the same explicit file list:
``check-jsonschema --schemafile plugins/support_policies/schemas/policy.schema.json FILES…``
only validates against the schema, while our check also runs the consistency rules;
an extra row runs our check with every rule turned off in a settings file, for a
like-for-like view. CPU time of the finished subprocesses. Target: our full check is at
least 10× faster.
"""

from __future__ import annotations

import sys
import tempfile
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from _timing import BIN, ROOT, Target, child_cpu, finish, measure, parser, report, run
from generate import generated

from support_policies.rules import ALL_RULES

SCHEMA = ROOT / "plugins" / "support_policies" / "schemas" / "policy.schema.json"


def main() -> int:
    p = parser(__doc__.splitlines()[0], repeats=3)
    p.add_argument("--files", type=int, default=1000, help="files in the generated set (default: 1000)")
    p.add_argument("--tiers", type=int, default=50, help="tiers in the generated set (default: 50)")
    p.add_argument("--severities", type=int, default=5, help="severities in the generated set (default: 5)")
    args = p.parse_args()
    with (
        generated(args.files, args.tiers, args.severities) as (folder, files),
        tempfile.NamedTemporaryFile("w", suffix=".yaml") as rules_off,
    ):
        rules_off.write("rules:\n" + "".join(f"  {rule.id}: off\n" for rule in ALL_RULES))
        rules_off.flush()
        ours = [BIN / "support-policies", "check", *files]
        medians = measure(
            {
                "check-jsonschema": lambda: run([BIN / "check-jsonschema", "--schemafile", SCHEMA, *files], cwd=folder),
                "support-policies check": lambda: run(ours, cwd=folder),
                "support-policies check, rules off": lambda: run([*ours, "--settings", rules_off.name], cwd=folder),
            },
            args.repeats,
            warmup=False,
            clock=child_cpu,
        )
    ok = report(
        f"check vs check-jsonschema: {len(files)} files, {args.tiers} tiers, {args.severities} severities; "
        "subprocesses, interleaved runs",
        medians,
        [
            Target("speed-up of our check", "check-jsonschema", "support-policies check", 10, at_least=True),
            Target("speed-up, rules off", "check-jsonschema", "support-policies check, rules off"),
        ],
        args.repeats,
    )
    return finish(ok, args.strict)


if __name__ == "__main__":
    sys.exit(main())
