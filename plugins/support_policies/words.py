"""Whole-word patterns for many terms at once: glossary tooltips and ``glossary.unused``."""

from __future__ import annotations

import re
from collections.abc import Iterable

_Node = dict[str, "_Node"]
"""A trie node: the next characters, and "" where a term ends."""


def whole_words(terms: Iterable[str]) -> re.Pattern[str]:
    """A pattern matching any of ``terms`` where it is not part of a longer word.

    It matches what one alternation of the terms, longest first, with ``(?<!\\w)`` and
    ``(?!\\w)`` around it matches, but is shaped as a trie, so a match costs its length, not
    the number of terms: at each branch the longer continuation is tried first. Unlike
    ``\\b``, the lookarounds also hold for a term that starts or ends with punctuation
    ("C++", ".NET"). The pattern nests a level per character: a term or alias is at most 300
    characters (the schema's short text), and ``glossary.unused`` keeps longer words out.
    """
    root: _Node = {}
    for term in terms:
        node = root
        for char in term:
            node = node.setdefault(char, {})
        node[""] = {}

    def pattern(node: _Node) -> str:
        branches = [re.escape(char) + pattern(child) for char, child in sorted(node.items()) if char]
        body = branches[0] if len(branches) == 1 else f"(?:{'|'.join(branches)})"
        return "" if not branches else f"(?:{body})?" if "" in node else body

    return re.compile(rf"(?<!\w)(?:{pattern(root)})(?!\w)")
