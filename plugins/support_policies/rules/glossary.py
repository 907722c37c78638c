"""Glossary terms are used, and terms a page relies on are defined."""

from __future__ import annotations

import dataclasses
import functools
import re
import string
import sys
from collections import Counter, defaultdict
from collections.abc import Callable, Iterable, Iterator
from itertools import chain, compress, filterfalse
from typing import Any

from ..findings import Finding, Level
from ..model import PolicySet, Term
from ..words import whole_words
from .base import Rule


@functools.cache
def _field_names(cls: type[Any]) -> tuple[str, ...]:
    """The fields :func:`policy_texts` reads of an instance of ``cls``: none for a glossary term
    or a type that is no dataclass."""
    if issubclass(cls, Term) or not dataclasses.is_dataclass(cls):
        return ()
    return tuple(f.name for f in dataclasses.fields(cls) if f.name != "origin")


def policy_texts(policy: PolicySet) -> Iterator[str]:
    """Every piece of text in the policy set, glossary definitions excluded."""
    found: list[str] = []
    _collect(policy, found.append)
    return iter(found)


def _collect(value: object, out: Callable[[str], None]) -> None:
    """Each text in ``value``, depth first, to ``out``."""
    if isinstance(value, str):
        out(value)
    elif isinstance(value, (list, tuple)):
        for item in value:
            if type(item) is str:
                out(item)
            else:
                _collect(item, out)
    elif isinstance(value, dict):
        for item in value.values():
            _collect(item, out)
    else:
        kind: Any = type(value)  # (a class is hashable, which typeshed's object does not say)
        for name in _field_names(kind):
            item = getattr(value, name)
            if type(item) is str:
                out(item)
            else:
                _collect(item, out)


_WORDS = re.compile(r"\w+")


def _word_char(char: str) -> bool:
    """Whether ``char`` is a word character (``\\w``)."""
    return char.isalnum() or char == "_"


_LONGEST_ANCHOR = 200
"""Longer words are not put in a pattern (it nests a level per character)."""


class WordIndex:
    """Where words of a text start, to find whole-word phrases without rescanning it.

    ``has(form)`` is ``re.search(rf"(?<!\\w){re.escape(form)}(?!\\w)", text)``, but looks
    only where one of the form's words starts: with a thousand terms over a large policy
    set, scanning the whole text once per term dominated ``check``.

    Without ``forms``, every word of the text is indexed and a form is looked up by its
    rarest word. With ``forms`` (the phrases to be asked about), only one word of each is
    indexed, the one fewest of the forms share, found in one pass of a pattern matching just
    those words; a form not among them is looked for by scanning the text.
    """

    def __init__(self, text: str, forms: Iterable[str] | None = None):
        self.text = text
        self.starts: dict[str, list[int]] = defaultdict(list)
        self._anchors: dict[str, re.Match[str]] | None = None
        """The word of each form that is indexed, when only some are."""
        if forms is None:
            for match in _WORDS.finditer(text):
                self.starts[match.group()].append(match.start())
            return
        words = {form: list(_WORDS.finditer(form)) for form in dict.fromkeys(forms)}
        shared = Counter(word for found in words.values() for word in {match.group() for match in found})
        self._anchors = {
            form: min(found, key=lambda match: (shared[match.group()], -len(match.group())))
            for form, found in words.items()
            if found
        }
        anchors = {match.group() for match in self._anchors.values()}
        if not anchors:
            return
        if max(map(len, anchors)) > _LONGEST_ANCHOR:  # a pattern too deep to build: every word instead
            self._anchors = None
            for match in _WORDS.finditer(text):
                self.starts[match.group()].append(match.start())
            return
        pattern = whole_words(anchors)
        for match in pattern.finditer(text):
            self.starts[match.group()].append(match.start())

    def has(self, form: str) -> bool:
        anchor = self._anchors.get(form) if self._anchors is not None else None
        if anchor is None:
            words = list(_WORDS.finditer(form))
            if not words or self._anchors is not None:  # no word, or a form not indexed
                return self._scan(form)
            anchor = min(words, key=lambda word: len(self.starts.get(word.group(), ())))
        for start in self.starts.get(anchor.group(), ()):
            begin = start - anchor.start()
            if begin >= 0 and self.text.startswith(form, begin) and self._whole(begin, begin + len(form)):
                return True
        return False

    def _scan(self, form: str) -> bool:
        begin = self.text.find(form)
        while begin != -1:
            if self._whole(begin, begin + len(form)):
                return True
            begin = self.text.find(form, begin + 1)
        return False

    def _whole(self, begin: int, end: int) -> bool:
        text = self.text
        return (begin == 0 or not _word_char(text[begin - 1])) and (end == len(text) or not _word_char(text[end]))


_EDGES = "".join(sorted({*string.punctuation, *string.whitespace, *"«»‹›“”„‘’‚–—…·•"} - {"_"}))
"""Characters stripped from the ends of a space-separated word to find a form in it: none is a
word character (``\\w``), so what they surround starts and ends a whole word."""


def _cores(piece: str) -> tuple[str, ...]:
    """A piece less the punctuation at its ends; of a piece holding line breaks, its first line
    (which may end a longer form) and its last (which may begin one), each so stripped."""
    if "\n" not in piece:
        return (piece.strip(_EDGES),)
    return piece[: piece.index("\n")].strip(_EDGES), piece[piece.rindex("\n") + 1 :].strip(_EDGES)


_CHUNK = 256
"""Texts split at once (joined by line breaks): few calls, and few of their pieces alive at a time."""


class FormFinder:
    """Whether forms are written as whole words in some texts, most of them read off their words.

    ``has(form)`` is ``re.search(rf"(?<!\\w){re.escape(form)}(?!\\w)", text)`` on the texts
    joined by line breaks. They are split at single spaces (by C loops, and exactly: wherever a
    form is written, its spaces fall on the splits, so each part between two of them is a whole
    piece), a few hundred texts at a time, and each piece is kept as one string however often it
    is written: a split of all the texts at once made a string of every piece (15 MiB for a
    policy set of 1,000 files). A one-word form is looked for among the pieces and the texts'
    words; a longer one where the piece holding its rarest part lines up with the pieces around
    it. Forms ``has`` is asked about first (a term before its aliases) are the only ones looked
    at. What that leaves open (a form glued to other text, as in "SLA/OLA", starting a line of
    Markdown, or holding a line break) is answered by a :class:`WordIndex` of the joined texts
    for every form not yet decided, built the first time it is needed.
    """

    def __init__(self, texts: Iterable[str], forms: Iterable[str]):
        self.texts = list(texts)
        self.forms = list(dict.fromkeys(forms))
        chunks = ("\n".join(self.texts[i : i + _CHUNK]) for i in range(0, len(self.texts), _CHUNK))
        self.pieces = [list(map(sys.intern, chunk.split(" "))) for chunk in chunks]
        """The pieces of each chunk of texts."""
        self.counts = Counter(chain.from_iterable(self.pieces))
        self.cores = {piece: _cores(piece) for piece in self.counts}
        self.written: dict[str, int] = defaultdict(int)
        """How often each piece is written, less the punctuation at its ends (see :func:`_cores`)."""
        for piece, cores in self.cores.items():
            for core in cores:
                self.written[core] += self.counts[piece]
        self._anchors: dict[str, tuple[list[str], int]] = {}
        """Each longer form's parts, and which of them to look for."""
        for form in self.forms:
            parts = form.split(" ")
            seen = [i for i, part in enumerate(parts) if self.written.get(part.strip(_EDGES))]
            if len(parts) > 1 and seen:
                self._anchors[form] = parts, min(seen, key=lambda i: self.written[parts[i].strip(_EDGES)])
        wanted = {parts[i].strip(_EDGES) for parts, i in self._anchors.values()}
        wanted_pieces = {piece for piece, cores in self.cores.items() if not wanted.isdisjoint(cores)}
        self._where: dict[str, list[tuple[list[str], int]]] = defaultdict(list)
        """The pieces holding a part some form is looked for by: each as its chunk's pieces and its index."""
        for pieces in filterfalse(wanted_pieces.isdisjoint, self.pieces):
            for i in compress(range(len(pieces)), map(wanted_pieces.__contains__, pieces)):
                for core in self.cores[pieces[i]]:
                    self._where[core].append((pieces, i))
        self._words: set[str] | None = None
        self._decided: dict[str, bool] = {}
        self._index: WordIndex | None = None

    def has(self, form: str) -> bool:
        found = self._decided.get(form)
        if found is None:
            found = self._read(form)
            if found is None:
                if self._index is None:
                    undecided = [f for f in self.forms if f not in self._decided]
                    self._index = WordIndex("\n".join(self.texts), undecided)
                found = self._index.has(form)
            self._decided[form] = found
        return found

    def _read(self, form: str) -> bool | None:
        """Whether the pieces show ``form`` written, or None where they cannot tell."""
        if "\n" in form:
            return None  # it may run from one chunk of texts into the next, where no piece shows it
        parts = form.split(" ")
        if len(parts) == 1:
            if form in self.counts or (form == form.strip(_EDGES) and form in self.written):
                return True  # a piece, or a piece less punctuation at its ends
            if _WORDS.fullmatch(form):
                if self._words is None:
                    self._words = {word for piece in self.counts for word in _WORDS.findall(piece)}
                return form in self._words
            return None
        if not all(part in self.counts for part in parts[1:-1]):
            return False  # a part between two spaces would be a piece of its own
        if form in self._anchors:
            parts, rarest = self._anchors[form]
            if any(_lines_up(parts, pieces, i - rarest) for pieces, i in self._where[parts[rarest].strip(_EDGES)]):
                return True
        return None


def _lines_up(parts: list[str], pieces: list[str], first: int) -> bool:
    """Whether ``parts`` (two or more) are written whole in ``pieces`` from piece ``first`` on."""
    last = first + len(parts) - 1
    if first < 0 or last >= len(pieces):
        return False
    head, tail = pieces[first], pieces[last]
    if not (head.endswith(parts[0]) and tail.startswith(parts[-1])) or pieces[first + 1 : last] != parts[1:-1]:
        return False
    before, after = head[: len(head) - len(parts[0])], tail[len(parts[-1]) :]
    return not (before and _word_char(before[-1])) and not (after and _word_char(after[0]))


class GlossaryUnused(Rule):
    """Every glossary term (or one of its other forms) appears somewhere in the policies.

    A definition nobody reads is dead weight, and usually a sign that the text changed
    its wording: rename the term, add the new wording to ``aliases``, or delete it.
    """

    id = "glossary.unused"
    summary = "every glossary term is used"
    level = Level.WARNING

    def check(self, policy: PolicySet) -> Iterator[Finding]:
        forms = [form for term in policy.glossary for form in (term.term, *term.aliases)]
        # each distinct text once: a form is one line, so it is found within one text or not at all
        index = FormFinder(dict.fromkeys(policy_texts(policy)), forms)
        for term in policy.glossary:
            if not any(index.has(form) for form in (term.term, *term.aliases)):
                yield self.report(
                    term.origin,
                    f"the glossary term '{term.term}' is not used in any policy",
                    "Use it, add the wording the policies use to aliases, or remove the term.",
                    "term",
                )


class GlossaryUndefined(Rule):
    """Terms a journey lists under ``terms`` are defined in the glossary.

    A journey names the terms a reader must know; the journey page shows them with
    their definitions, so each must exist in the glossary (as a term or an alias).
    """

    id = "glossary.undefined"
    summary = "terms a journey relies on are defined"

    def check(self, policy: PolicySet) -> Iterator[Finding]:
        known = {form.lower() for t in policy.glossary for form in (t.term, *t.aliases)}
        for journey in policy.journeys:
            for i, term in enumerate(journey.terms):
                if term.lower() not in known:
                    yield self.report(
                        journey.origin,
                        f"journey '{journey.id}' relies on '{term}', which the glossary does not define",
                        "Add the term to the glossary, or remove it from the journey's terms.",
                        "terms",
                        i,
                    )
