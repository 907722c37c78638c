"""``mkdocs serve``'s rebuild after a one-line policy edit against one after a one-line page edit.

Copies mkdocs.yml, docs/ and policies/ into a temporary folder and rebuilds it in-process
the way ``mkdocs serve`` does on a change (``--dirty`` reload): a fresh ``load_config``,
``on_startup(command="serve", dirty=True)`` once, then ``build(config, serve_url=…,
dirty=True)``. Before each policy rebuild one line of a policy file changes (a text
field's wording); before each page rebuild one line of a hand-written page does. CPU time
(``time.process_time``) of the rebuild only. Target: the policy edit's rebuild takes at most
1.2× the page edit's.
"""

from __future__ import annotations

import logging
import os
import shutil
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from _timing import ROOT, Medians, Target, finish, measure, parser, report

os.environ["NO_MKDOCS_2_WARNING"] = "1"

from mkdocs.commands.build import build
from mkdocs.config import load_config

POLICY = Path("policies/organization.yaml")
PAGE = Path("docs/index.md")


def editor(path: Path) -> Callable[[], None]:
    """Rewrite ``path`` with one line changed: a page gains a sentence, a policy's ``name`` a number."""
    original = path.read_text("utf-8")
    count = 0

    def edit() -> None:
        nonlocal count
        count += 1
        lines = original.splitlines(keepends=True)
        if path.suffix == ".md":
            lines.append(f"\nEdited {count} times.\n")
        else:
            line = next(i for i, text in enumerate(lines) if text.lstrip().startswith("name:"))
            lines[line] = f"{lines[line].rstrip()} {count}\n"
        path.write_text("".join(lines), "utf-8")

    return edit


def main() -> int:
    args = parser(__doc__.splitlines()[0], repeats=7).parse_args()
    logging.getLogger("mkdocs").setLevel(logging.ERROR)
    with tempfile.TemporaryDirectory(prefix="support-policies-serve-") as tmp:
        folder = Path(tmp) / "site-src"
        folder.mkdir()
        shutil.copy(ROOT / "mkdocs.yml", folder)
        for tree in ("docs", "policies"):
            shutil.copytree(ROOT / tree, folder / tree)
        site = Path(tmp) / "site"
        os.chdir(folder)
        config_file = str(folder / "mkdocs.yml")
        serve_url = "http://127.0.0.1:8000/"
        first = load_config(config_file=config_file, site_dir=str(site))
        first.plugins.on_startup(command="serve", dirty=True)
        build(first, serve_url=serve_url, dirty=True)
        edits = {"policy": editor(folder / POLICY), "page": editor(folder / PAGE)}

        def rebuild(kind: str) -> Callable[[], None]:
            def case() -> None:
                edits[kind]()
                start = time.process_time()
                config = load_config(config_file=config_file, site_dir=str(site))
                config.site_url = serve_url
                build(config, serve_url=serve_url, dirty=True)
                timed.append((kind, time.process_time() - start))

            return case

        timed: list[tuple[str, float]] = []
        labels = {"policy": "rebuild after a policy edit", "page": "rebuild after a page edit"}
        measure({labels[kind]: rebuild(kind) for kind in edits}, args.repeats)
        rounds = timed[len(edits) :]  # after the warm-up round
        medians = Medians({label: [sec for name, sec in rounds if name == kind] for kind, label in labels.items()})
    ok = report(
        "mkdocs serve rebuilds of the sample (dirty reload, in-process, CPU time of the rebuild)",
        medians,
        [Target("policy edit / page edit", labels["policy"], labels["page"], 1.2)],
        args.repeats,
    )
    return finish(ok, args.strict)


if __name__ == "__main__":
    sys.exit(main())
