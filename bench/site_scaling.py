"""Site builds and exports of generated sets: linear in the policy set and its glossary.

Generates a set of N files and one of 10N files (``generate.py``: a quarter of the files
are glossaries of five terms, so 10× the files is 10× the glossary and 10× the journey
pages). Each becomes a site: the sample's English ``mkdocs.yml`` without its nav, and one
hand-written page with a tier matrix block. Then, as subprocesses, interleaved, on CPU
time (user + system of the finished child, so other load on the machine counts less):

* ``mkdocs build`` of both sites. Target: the 10N site costs at most 10× the N site.
  Every page carries the whole glossary as tooltips, so a cost per page that grows with
  the glossary shows up as a ratio near 100×.
* ``support-policies export`` and ``support-policies check`` of the 10N set. Target:
  the export costs at most 3× the check.
"""

from __future__ import annotations

import os
import shutil
import sys
import tempfile
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from _config import english_only, load, save
from _timing import BIN, ROOT, Target, child_cpu, finish, measure, parser, report, run
from generate import generate

ENV = {**os.environ, "NO_MKDOCS_2_WARNING": "1"}
PAGE = "# Home\n\nThe support section of a large generated policy set.\n\n[[support-policies tier-matrix]]\n"


def site(folder: Path, files: int, tiers: int) -> Path:
    """A site around a generated set of ``files`` files."""
    folder.mkdir()
    generate(folder / "policies", files, tiers)
    shutil.copy(ROOT / "mkdocs.yml", folder / "mkdocs.yml")
    shutil.copytree(ROOT / "docs/overrides", folder / "docs/overrides")
    (folder / "docs/index.md").write_text(PAGE, "utf-8")
    english_only(folder)
    config = load(folder / "mkdocs.yml")
    del config["nav"]
    save(config, folder / "mkdocs.yml")
    return folder


def main() -> int:
    p = parser(__doc__.splitlines()[0], repeats=3)
    p.add_argument("--files", type=int, default=100, help="files in the smaller set (default: 100)")
    p.add_argument("--tiers", type=int, default=10, help="tiers in both sets (default: 10)")
    args = p.parse_args()
    with tempfile.TemporaryDirectory(prefix="support-policies-site-") as tmp:
        small = site(Path(tmp) / "small", args.files, args.tiers)
        large = site(Path(tmp) / "large", 10 * args.files, args.tiers)
        exported = Path(tmp) / "exported"

        def build(folder: Path):
            return lambda: run([BIN / "mkdocs", "build", "--quiet"], cwd=folder, env=ENV)

        def command(*words: object):
            return lambda: run([BIN / "support-policies", *words], cwd=large)

        labels = {
            "small": f"mkdocs build, {args.files} files",
            "large": f"mkdocs build, {10 * args.files} files",
            "export": f"support-policies export, {10 * args.files} files",
            "check": f"support-policies check, {10 * args.files} files",
        }
        medians = measure(
            {
                labels["small"]: build(small),
                labels["large"]: build(large),
                labels["export"]: command("export", large / "policies", "--out", exported),
                labels["check"]: command("check", large / "policies"),
            },
            args.repeats,
            clock=child_cpu,
        )
        pages = {
            name: len(list((folder / "site").rglob("*.html"))) for name, folder in (("small", small), ("large", large))
        }
    ok = report(
        f"Generated sites of {args.files} and {10 * args.files} files ({pages['small']} and {pages['large']} pages); "
        "CPU time of subprocesses, interleaved runs",
        medians,
        [
            Target("build, 10× the files and glossary", labels["large"], labels["small"], 10),
            Target("export / check", labels["export"], labels["check"], 3),
        ],
        args.repeats,
    )
    return finish(ok, args.strict)


if __name__ == "__main__":
    sys.exit(main())
