"""``mkdocs build`` of the sample with the plugin against the same pages pre-exported.

Copies mkdocs.yml, docs/ and policies/ into two temporary folders. Variant A builds as
is. Variant B runs ``support-policies export`` once into docs/<path>/ (not timed), drops
the plugin from mkdocs.yml, configures the ``support_policies.markdown`` extension with
the policies folder so hand-written pages still render their blocks, and lists the
exported pages in the nav. Both builds run as subprocesses, timed on their CPU time.
Target: with the plugin takes at most 1.10× the build of the exported pages.
"""

from __future__ import annotations

import os
import shutil
import sys
import tempfile
from pathlib import Path

import yaml

sys.path.insert(0, str(Path(__file__).resolve().parent))
from _timing import BIN, ROOT, Target, child_cpu, finish, measure, parser, report, run

from support_policies.plugin import REQUIRED_EXTENSIONS

PLUGIN = "support-policies"
EXTENSION = "support_policies.markdown"
ENV = {**os.environ, "NO_MKDOCS_2_WARNING": "1"}


class Tagged:
    """A value with a tag the safe loader does not know (!ENV, !!python/name:…), kept as written."""

    def __init__(self, tag: str, node: yaml.Node):
        self.tag, self.node = tag, node


class _Loader(yaml.SafeLoader):
    pass


class _Dumper(yaml.SafeDumper):
    pass


_Loader.add_multi_constructor("", lambda loader, suffix, node: Tagged(node.tag, node))
_Dumper.add_representer(Tagged, lambda dumper, value: value.node)


def _name(entry) -> str:
    """The name of a plugins or markdown_extensions entry (a string or a one-key mapping)."""
    return entry if isinstance(entry, str) else next(iter(entry))


def exported_variant(folder: Path) -> None:
    """Export the plugin's pages into ``folder``'s docs and configure the site without the plugin."""
    config_file = folder / "mkdocs.yml"
    config = yaml.load(config_file.read_text("utf-8"), Loader=_Loader)
    plugins = config.get("plugins", [])
    entry = next(e for e in plugins if _name(e) == PLUGIN)
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
    extensions = [e for e in config.get("markdown_extensions", []) if _name(e) != EXTENSION]
    names = {_name(e) for e in extensions}
    extensions += [{name: opts} if opts else name for name, opts in REQUIRED_EXTENSIONS.items() if name not in names]
    config["markdown_extensions"] = extensions + [{EXTENSION: block_options}]
    if config.get("nav") is not None:
        docs = out.parent
        config["nav"].append(
            {options.get("section", "Support"): [p.relative_to(docs).as_posix() for p in sorted(out.rglob("*.md"))]}
        )
    config_file.write_text(yaml.dump(config, Dumper=_Dumper, sort_keys=False, allow_unicode=True), "utf-8")


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
