"""Glossary terms are used, and terms a page relies on are defined."""

from __future__ import annotations

import dataclasses
import re
from typing import Iterator

from ..findings import Finding, Level
from ..model import PolicySet, Term
from .base import Rule


def policy_texts(policy: PolicySet) -> Iterator[str]:
    """Every piece of text in the policy set, glossary definitions excluded."""

    def walk(value):
        if isinstance(value, Term):
            return
        if isinstance(value, str):
            yield value
        elif isinstance(value, dict):
            for item in value.values():
                yield from walk(item)
        elif isinstance(value, (list, tuple)):
            for item in value:
                yield from walk(item)
        elif dataclasses.is_dataclass(value):
            for f in dataclasses.fields(value):
                if f.name != "origin":
                    yield from walk(getattr(value, f.name))

    yield from walk(policy)


_WORD = re.compile(r"\w")
_WORDS = re.compile(r"\w+")


def _appears(form: str, text: str) -> bool:
    """Whether ``form`` occurs in ``text`` as a whole word (not inside a longer one).

    A plain substring search with the boundaries checked in Python: a regex with a
    look-behind first cannot use the fast literal scan, which made large sets slow.
    """
    start = text.find(form)
    while start != -1:
        end = start + len(form)
        if (start == 0 or not _WORD.match(text[start - 1])) and (end == len(text) or not _WORD.match(text[end])):
            return True
        start = text.find(form, start + 1)
    return False


class GlossaryUnused(Rule):
    """Every glossary term (or one of its other forms) appears somewhere in the policies.

    A definition nobody reads is dead weight, and usually a sign that the text changed
    its wording: rename the term, add the new wording to ``aliases``, or delete it.
    """

    id = "glossary.unused"
    summary = "every glossary term is used"
    level = Level.WARNING

    def check(self, policy: PolicySet) -> Iterator[Finding]:
        text = "\n".join(policy_texts(policy))
        words = set(_WORDS.findall(text))
        for term in policy.glossary:
            forms = (term.term, *term.aliases)
            if not any(form in words if _WORDS.fullmatch(form) else _appears(form, text) for form in forms):
                yield self.report(term.origin, f"the glossary term '{term.term}' is not used in any policy",
                                  "Use it, add the wording the policies use to aliases, or remove the term.", "term")


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
                    yield self.report(journey.origin, f"journey '{journey.id}' relies on '{term}', which the glossary does not define",
                                      "Add the term to the glossary, or remove it from the journey's terms.", "terms", i)
