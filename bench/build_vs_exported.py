"""``mkdocs build`` of the sample with the plugin against the same pages pre-exported.

Copies mkdocs.yml, docs/ and policies/ into two temporary folders. Variant A builds as
is. Variant B runs ``support-policies export`` once into docs/<path>/ (not timed), drops
the plugin from mkdocs.yml, configures the ``support_policies.markdown`` extension with
the policies folder so hand-written pages still render their blocks, and lists the
exported pages in the nav. Both builds run as subprocesses, timed on their CPU time.
Target: with the plugin takes at most 1.10× the build of the exported pages.

Both are the sample's English site: an export is in one language, so mkdocs-static-i18n and
the German pages (docs/*.de.md) are left out of both copies.
"""

from __future__ import annotations

import os
import shutil
import sys
import tempfile
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from _config import english_only, load, name_of, save
from _timing import BIN, ROOT, Target, child_cpu, finish, measure, parser, report, run

from support_policies.plugin import REQUIRED_EXTENSIONS

PLUGIN = "support-policies"
EXTENSION = "support_policies.markdown"
ENV = {**os.environ, "NO_MKDOCS_2_WARNING": "1"}


def exported_variant(folder: Path) -> None:
    """Export the plugin's pages into ``folder``'s docs and configure the site without the plugin."""
    config_file = folder / "mkdocs.yml"
    config = load(config_file)
    plugins = config.get("plugins", [])
    entry = next(e for e in plugins if name_of(e) == PLUGIN)
    options = {} if isinstance(entry, str) else entry[PLUGIN] or {}
    policies = (folder / options.get("policies", "policies")).resolve()
    path = options.get("path", "support").strip("/")
    out = folder / config.get("docs_dir", "docs") / path
    command = [BIN / "support-policies", "export", policies, "--out", out]
    if options.get("pages"):
        command += ["--pages", ",".join(options["pages"])]
    if options.get("templates"):
        command += ["--templates", folder / options["templates"]]
    if (folder / options.get("settings", "support-policies.yaml")).is_file():
        command += ["--settings", folder / options.get("settings", "support-policies.yaml")]
    if config.get("site_url"):
        command += ["--base-url", f"{config['site_url'].rstrip('/')}/{path}/"]
    run(command, cwd=folder)

    config["plugins"] = [e for e in plugins if e is not entry]
    block_options = {"policies": str(policies)}
    if options.get("templates"):
        block_options["templates"] = str((folder / options["templates"]).resolve())
    extensions = [e for e in config.get("markdown_extensions", []) if name_of(e) != EXTENSION]
    names = {name_of(e) for e in extensions}
    extensions += [{name: opts} if opts else name for name, opts in REQUIRED_EXTENSIONS.items() if name not in names]
    config["markdown_extensions"] = extensions + [{EXTENSION: block_options}]
    if config.get("nav") is not None:
        docs = out.parent
        config["nav"].append(
            {options.get("section", "Support"): [p.relative_to(docs).as_posix() for p in sorted(out.rglob("*.md"))]}
        )
    save(config, config_file)


def pages(site: Path) -> set[str]:
    return {p.relative_to(site).as_posix() for p in site.rglob("*.html")}


def main() -> int:
    args = parser(__doc__.splitlines()[0], repeats=10).parse_args()
    if run([BIN / "support-policies", "export", "--help"], ok=(0, 2)).returncode != 0:
        print(
            "export command not available: `support-policies export --help` failed; "
            "this benchmark needs `support-policies export --out DIR`."
        )
        return 2
    with tempfile.TemporaryDirectory(prefix="support-policies-build-") as tmp:
        variants = {}
        for name in ("with-plugin", "exported"):
            folder = variants[name] = Path(tmp) / name
            folder.mkdir()
            shutil.copy(ROOT / "mkdocs.yml", folder)
            for tree in ("docs", "policies"):
                shutil.copytree(ROOT / tree, folder / tree)
            english_only(folder)
        exported_variant(variants["exported"])

        def build(name: str):
            return lambda: run(
                [BIN / "mkdocs", "build", "--quiet", "--site-dir", Path(tmp) / f"site-{name}"],
                cwd=variants[name],
                env=ENV,
            )

        labels = {"with-plugin": "mkdocs build, with plugin", "exported": "mkdocs build, pre-exported pages"}
        medians = measure({labels[name]: build(name) for name in variants}, args.repeats, clock=child_cpu)
        built = {name: pages(Path(tmp) / f"site-{name}") for name in variants}
    ok = report(
        f"mkdocs build of the sample: {len(built['with-plugin'])} pages with the plugin, "
        f"{len(built['exported'])} from the export; subprocesses, interleaved runs",
        medians,
        [Target("with plugin / pre-exported", labels["with-plugin"], labels["exported"], 1.10)],
        args.repeats,
    )
    if built["with-plugin"] != built["exported"]:
        print(
            "the two sites differ; only with the plugin:",
            sorted(built["with-plugin"] - built["exported"]),
            "only from the export:",
            sorted(built["exported"] - built["with-plugin"]),
        )
    return finish(ok, args.strict)


if __name__ == "__main__":
    sys.exit(main())
