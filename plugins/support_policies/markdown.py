"""Python-Markdown extension: policy fragments inside hand-written pages.

A line of its own such as ``[[support-policies tier-matrix]]`` or
``[[support-policies tier-targets tier=premium]]`` becomes the same HTML the
generated pages use. The extension also adds the glossary as abbreviations, so
terms get tooltips on every page. It needs no MkDocs plugin: any engine that runs
Python-Markdown extensions (MkDocs, ProperDocs, Zensical) can use it.
"""

from __future__ import annotations

import functools
import re
import shlex
from pathlib import Path
from typing import Any

from markdown import Markdown
from markdown.extensions import Extension, abbr
from markdown.preprocessors import Preprocessor

from .render import FRAGMENTS, Renderer, TemplateProblem
from .render.text import Abbreviations
from .sanitize import inert

BLOCK = re.compile(r"^(?P<indent>[ \t]*)\[\[support-policies\s+(?P<body>[^\]]*)\]\][ \t]*$")

_PARAMETERS: dict[str, dict[str, tuple[str, ...] | str]] = {
    "tier-matrix": {"kind": ("acknowledge", "update", "resolve")},
    "tier-targets": {"tier": "tiers"},
    "channel": {"channel": "channels"},
    "ticket-fields": {"template": "ticket_templates"},
    "journey": {"journey": "journeys"},
    "deadline-calculator": {"tier": "tiers"},
}
_REQUIRED = {"tier-targets": "tier", "channel": "channel", "ticket-fields": "template", "journey": "journey"}


class PolicyError(Exception):
    """A block or a policy set that cannot be rendered; the message says where and why."""


def parse_block(body: str, renderer: Renderer) -> tuple[str, dict[str, str]]:
    """``tier-targets tier=premium`` → ("tier-targets", {"tier": "premium"}), or PolicyError."""
    try:
        name, *pairs = shlex.split(body)
    except ValueError as exc:
        raise PolicyError(f"cannot read the block: {exc}") from None
    if name not in FRAGMENTS:
        raise PolicyError(f"unknown fragment '{name}'; known fragments: {', '.join(FRAGMENTS)}")
    params: dict[str, str] = {}
    allowed = _PARAMETERS.get(name, {})
    for pair in pairs:
        key, sep, value = pair.partition("=")
        if not sep or key not in allowed:
            expected = ", ".join(f"{k}=..." for k in allowed) or "no parameters"
            raise PolicyError(f"'{pair}' is not a parameter of {name} (it takes {expected})")
        choices = allowed[key]
        if isinstance(choices, tuple):
            known = list(choices)
        else:
            known = [item.id for item in getattr(renderer.policy, choices)]
        if value not in known:
            raise PolicyError(f"{name}: unknown {key} '{value}'; known: {', '.join(known) or 'none'}")
        params[key] = value
    if name in _REQUIRED and _REQUIRED[name] not in params:
        raise PolicyError(f"{name} needs {_REQUIRED[name]}=ID")
    return name, params


@functools.lru_cache(maxsize=4)
def glossary_titles(renderer: Renderer) -> dict[str, str]:
    """The tooltip of every glossary term, for Python-Markdown's ``abbr`` extension.

    The definition becomes a ``title`` that Material's tooltips show as HTML, so it is
    made :func:`~support_policies.sanitize.inert`. The terms go straight into the page's
    abbreviations (no ``*[Term]: definition`` lines for the parser to read one by one,
    which cost every page time in proportion to the square of the glossary), so any term,
    even one with a backslash or ``]:``, gets its tooltip.
    """
    titles = {term: inert(definition).strip() for term, definition in renderer.glossary.items()}
    return {term: title for term, title in titles.items() if title}


class _Source(Preprocessor):
    """Keeps the page's lines as written (after whitespace is normalized, which keeps their
    number), before code blocks and raw HTML are stashed, each as a single line."""

    def __init__(self, md: Markdown, blocks: _Blocks):
        super().__init__(md)
        self.blocks = blocks

    def run(self, lines: list[str]) -> list[str]:
        self.blocks.source = lines[:]
        return lines


class _Blocks(Preprocessor):
    def __init__(self, md: Markdown, extension: PolicyBlocksExtension):
        super().__init__(md)
        self.extension = extension
        self.source: list[str] = []

    def run(self, lines: list[str]) -> list[str]:
        renderer = None
        out: list[str] = []
        for index, line in enumerate(lines):
            match = BLOCK.match(line)
            if not match:
                out.append(line)
                continue
            renderer = renderer or self.extension.renderer()
            try:
                name, params = parse_block(match["body"], renderer)
            except PolicyError as exc:
                raise PolicyError(f"line {self._line(lines, index)}: {exc}") from None
            html = self.extension.rendered.get(match["body"])
            if html is None:
                try:
                    html = str(renderer.fragment(name, **params))
                except TemplateProblem as exc:
                    raise PolicyError(f"line {self._line(lines, index)}: {exc}") from None
            indent = match["indent"]
            out.extend(["", indent + self.md.htmlStash.store(html), ""])
        abbreviations = self.md.treeprocessors["abbr"] if "abbr" in self.md.treeprocessors else None  # noqa: SIM401
        if self.extension.getConfig("glossary") and isinstance(abbreviations, abbr.AbbrTreeprocessor):
            # After the abbr extension's reset, before the page's own "*[X]: …" lines are read.
            abbreviations.abbrs.update(glossary_titles(renderer or self.extension.renderer()))
            if not isinstance(abbreviations, Abbreviations):
                self.md.treeprocessors.register(Abbreviations(self.md, abbreviations.abbrs), "abbr", 7)
        return out

    def _line(self, lines: list[str], index: int) -> int:
        """The page's line number of ``lines[index]``: the lines as written, aligned with these,
        where each stashed code block or raw HTML block is one line."""
        import difflib  # only for a message

        matcher = difflib.SequenceMatcher(None, self.source, lines, autojunk=False)
        for written, here, size in matcher.get_matching_blocks():
            if here <= index < here + size:
                return written + index - here + 1
        return index + 1


_CACHE: dict[tuple[object, ...], Renderer] = {}


def _load(policies: str, templates: str, settings: str, language: str = "en", locale: str = "") -> Renderer:
    """A renderer for the policies at ``policies``, reused while no file changes.

    The policies pass the same gate as ``support-policies check`` with the same settings
    (``support-policies.yaml`` in the working directory, or the ``settings`` option).
    """
    from . import i18n
    from .gate import SettingsError, check, fails, settings_file
    from .policyset import discover
    from .reporters.as_text import render_text

    try:
        named = settings_file(settings or None, Path.cwd())
    except SettingsError as exc:
        raise PolicyError(f"settings: {exc}") from None
    files, _ = discover([policies])
    watched = [*files, *([named] if named else [])]
    try:
        chosen = i18n.language(language, locale or None)
    except i18n.UnknownLanguage as exc:
        raise PolicyError(f"language: {exc}") from None
    stamp = (policies, templates, chosen, tuple((str(f), f.stat().st_mtime_ns) for f in watched))
    if stamp not in _CACHE:
        result = check([policies], settings or None, language=chosen.tag)
        if result.policy is None or fails(result.findings):
            report = render_text(result.findings, result.sources())
            raise PolicyError(f"the support policies in {policies} have errors:\n{report}")
        _CACHE.clear()
        _CACHE[stamp] = Renderer(result.policy, templates or None, language=chosen)
    return _CACHE[stamp]


class PolicyBlocksExtension(Extension):
    """Renders ``[[support-policies ...]]`` blocks and adds glossary tooltips."""

    def __init__(self, renderer: Renderer | None = None, rendered: dict[str, str] | None = None, **kwargs: Any) -> None:
        self.config = {
            "policies": ["policies", "Folder (or file) of policy YAML, relative to the working directory."],
            "templates": ["", "Folder of templates overriding the shipped ones."],
            "glossary": [True, "Add the glossary as abbreviations (tooltips) to every page."],
            "settings": ["", "Settings file with rule levels (default: support-policies.yaml when it exists)."],
            "language": ["en", "Language of the generated words and of the policy text (e.g. de)."],
            "locale": ["", "Babel locale for dates, times and numbers (e.g. en_US; default: the language's)."],
        }
        super().__init__(**kwargs)
        self._renderer = renderer
        self.rendered = rendered if rendered is not None else {}
        """Blocks already rendered with ``renderer``, by their text (``tier-targets tier=premium``):
        the MkDocs plugin renders each block of a page to check it before the page is converted."""

    def renderer(self) -> Renderer:
        if self._renderer is None:
            policies = str(Path(self.getConfig("policies")))
            self._renderer = _load(
                policies,
                self.getConfig("templates"),
                self.getConfig("settings"),
                self.getConfig("language"),
                self.getConfig("locale"),
            )
        return self._renderer

    def extendMarkdown(self, md: Markdown) -> None:  # noqa: N802 - Python-Markdown names it so
        md.registerExtension(self)
        # After fenced code (25) and raw HTML (20) are stashed, so examples of the syntax stay text;
        # the lines as written are kept before (29, after whitespace is normalized at 30) for messages.
        blocks = _Blocks(md, self)
        md.preprocessors.register(_Source(md, blocks), "support_policies_source", 29)
        md.preprocessors.register(blocks, "support_policies_blocks", 15)


def makeExtension(**kwargs: Any) -> PolicyBlocksExtension:  # noqa: N802 - Python-Markdown's entry point name
    return PolicyBlocksExtension(**kwargs)
