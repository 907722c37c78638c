"""The sample's mkdocs.yml for the benchmarks: read and written with its tags kept, and made
the English site alone (an export, like a generated policy set, is in one language)."""

from __future__ import annotations

from pathlib import Path

import yaml


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


def load(config_file: Path) -> dict:
    return yaml.load(config_file.read_text("utf-8"), Loader=_Loader)


def save(config: dict, config_file: Path) -> None:
    config_file.write_text(yaml.dump(config, Dumper=_Dumper, sort_keys=False, allow_unicode=True), "utf-8")


def name_of(entry) -> str:
    """The name of a plugins or markdown_extensions entry (a string or a one-key mapping)."""
    return entry if isinstance(entry, str) else next(iter(entry))


def english_only(folder: Path) -> None:
    """``folder``'s site without mkdocs-static-i18n and its German pages (docs/*.de.md)."""
    config = load(folder / "mkdocs.yml")
    config["plugins"] = [e for e in config.get("plugins", []) if name_of(e) != "i18n"]
    save(config, folder / "mkdocs.yml")
    for page in (folder / config.get("docs_dir", "docs")).rglob("*.de.md"):
        page.unlink()
