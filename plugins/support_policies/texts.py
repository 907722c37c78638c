"""Policy text in several languages.

A free-text field holds one text, the same in every language, or one text per language::

    name: {en: Premium support, de: Premium-Support}

The languages are those ``organization.languages`` lists (English when it lists none); a text
given per language gives each of them and no other, so that no page in one language shows a
sentence of another. :func:`localize` turns the merged policy set, whose text fields may still
hold such mappings, into the set one language reads, with the findings of every mapping
whatever language is chosen (so ``check`` and every site build agree).
"""

from __future__ import annotations

import dataclasses
from collections.abc import Iterator, Mapping
from contextlib import contextmanager
from contextvars import ContextVar
from typing import Any

from .findings import Finding, Level
from .model import NOWHERE, Origin, PolicySet

DEFAULT_LANGUAGES = ("en",)
_NOT_TEXT = frozenset({"origin", "files"})
"""Fields that hold no policy text: where an object was written, and the files read."""


class Seen:
    """Whether the policy set being merged gives any text per language."""

    def __init__(self) -> None:
        self.translations = False


_SEEN: ContextVar[Seen | None] = ContextVar("support_policies_translations", default=None)


@contextmanager
def watching() -> Iterator[Seen]:
    """Note, while merging, whether any text is given per language (only then is there anything to localize)."""
    seen = Seen()
    token = _SEEN.set(seen)
    try:
        yield seen
    finally:
        _SEEN.reset(token)


def note(value: object, origin: object) -> object:
    """A text field's data as merged: kept as written, noting a mapping of texts per language."""
    if value.__class__ is dict:
        seen = _SEEN.get()
        if seen is not None:
            seen.translations = True
    return value


def languages(policy: PolicySet) -> tuple[str, ...]:
    """The languages the policy text is written in, as ``organization.languages`` lists them."""
    organization = policy.organization
    return organization.languages if organization and organization.languages else DEFAULT_LANGUAGES


def written_in(policy: PolicySet, language: str) -> str | None:
    """The listed language that ``language`` reads (``de-AT`` reads ``de``), or None."""
    listed = languages(policy)
    if language in listed:
        return language
    base = language.split("-")[0]
    return base if base in listed else None


def localize(policy: PolicySet, language: str) -> tuple[PolicySet, list[Finding]]:
    """The policy set in ``language`` (a listed language), and a finding for each text given
    per language that lacks a listed language or names one not listed."""
    listed = languages(policy)
    findings: list[Finding] = []

    def text(value: Mapping[str, str], origin: Origin) -> str:
        missing = [tag for tag in listed if tag not in value]
        if missing:
            findings.append(
                origin.finding(
                    "policy.missing-translation",
                    Level.ERROR,
                    f"this text is not given in {', '.join(missing)}",
                    f"organization.languages lists {', '.join(listed)}: give the text in each of them "
                    "(a page in one language must not show a sentence of another), or write one text "
                    "for every language",
                )
            )
        for tag in value:
            if tag not in listed:
                findings.append(
                    origin.finding(
                        "policy.unknown-language",
                        Level.ERROR,
                        f"'{tag}' is not a language of these policies",
                        f"List it in organization.languages (now: {', '.join(listed)}), or correct the tag",
                        tag,
                        key=True,
                    )
                )
        return value.get(language) or next(iter(value.values()))

    def walk(value: Any, origin: Origin) -> Any:
        """``value`` with every text in ``language``; the same object where nothing changes."""
        if isinstance(value, Mapping):
            if value and all(isinstance(item, str) for item in value.values()):
                return text(value, origin)
            items = {key: walk(item, origin.child(key)) for key, item in value.items()}
            return items if any(items[key] is not item for key, item in value.items()) else value
        if isinstance(value, tuple):
            entries = tuple(walk(item, origin.child(i)) for i, item in enumerate(value))
            return entries if any(new is not old for new, old in zip(entries, value, strict=True)) else value
        if dataclasses.is_dataclass(value) and not isinstance(value, type):
            where = getattr(value, "origin", None)
            base = where if isinstance(where, Origin) and where is not NOWHERE else origin
            changes = {}
            for f in dataclasses.fields(value):
                if f.name in _NOT_TEXT:
                    continue
                item = getattr(value, f.name)
                new = walk(item, base.child(f.metadata.get("key", f.name)))
                if new is not item:
                    changes[f.name] = new
            return dataclasses.replace(value, **changes) if changes else value
        return value

    localized = walk(policy, NOWHERE)
    return localized, findings
