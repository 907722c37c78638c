"""Glossary tooltips: the trie-shaped pattern (shared with ``glossary.unused``) finds exactly what
one alternation of the terms finds."""

from __future__ import annotations

import re

import markdown
from hypothesis import given, settings
from hypothesis import strategies as st

from support_policies.markdown import PolicyBlocksExtension
from support_policies.model import PolicySet, Term
from support_policies.render import Renderer
from support_policies.render.text import _abbreviations

ALPHABET = "aAb :.\\-é_1"
terms = st.sets(st.text(ALPHABET, min_size=1, max_size=6), min_size=1, max_size=12)
texts = st.text(ALPHABET, max_size=60)


def alternation(keys: set[str]) -> re.Pattern[str]:
    """Python-Markdown's shape of pattern (every term, longest first, in one alternation),
    with whole-word lookarounds, which ``glossary.unused`` uses, in place of ``\\b``."""
    return re.compile(rf"(?<!\w)(?:{'|'.join(re.escape(k) for k in sorted(keys, key=len, reverse=True))})(?!\w)")


@settings(max_examples=2000, derandomize=True, database=None)
@given(keys=terms, text=texts)
def test_the_trie_matches_what_the_alternation_matches(keys, text):
    ours = [(m.start(), m.group()) for m in _abbreviations(frozenset(keys)).finditer(text)]
    theirs = [(m.start(), m.group()) for m in alternation(keys).finditer(text)]
    assert ours == theirs


def test_a_term_that_ends_in_punctuation_gets_its_tooltip():
    renderer = Renderer(PolicySet(glossary=(Term("C++", "A language."), Term(".NET", "A platform."))))
    html = str(renderer.text.inline("Bindings for C++ and .NET, not for C++x."))
    assert (
        html
        == 'Bindings for <abbr title="A language.">C++</abbr> and <abbr title="A platform.">.NET</abbr>, not for C++x.'
    )


def test_a_page_and_policy_text_get_the_same_tooltips_from_a_large_glossary():
    glossary = tuple(Term(f"Term {n}", f"Definition {n}.") for n in range(3000))
    renderer = Renderer(PolicySet(glossary=glossary))
    page = markdown.markdown(
        "See Term 12 and Term 2999.", extensions=["abbr", PolicyBlocksExtension(renderer=renderer)]
    )
    assert page == (
        '<p>See <abbr title="Definition 12.">Term 12</abbr> and <abbr title="Definition 2999.">Term 2999</abbr>.</p>'
    )
    assert str(renderer.text.inline("See Term 12 and Term 2999.")) == page[3:-4]


def test_policy_text_looks_up_its_glossary_pattern_once(monkeypatch):
    from support_policies.render import text

    looked_up = []
    real = text._abbreviations
    monkeypatch.setattr(text, "_abbreviations", lambda terms: looked_up.append(terms) or real(terms))
    policy_text = text.PolicyText({"SLA": "Service level agreement.", "RTO": "Recovery time objective."})
    html = [str(policy_text.inline(f"The SLA names an RTO, paragraph {n}.")) for n in range(3)]
    assert looked_up == [frozenset({"SLA", "RTO"})]
    assert html[2] == (
        'The <abbr title="Service level agreement.">SLA</abbr> names an '
        '<abbr title="Recovery time objective.">RTO</abbr>, paragraph 2.'
    )


def test_the_longest_term_the_schema_allows_makes_a_pattern():
    """The pattern nests a level per character; a term is at most 300 characters."""
    from support_policies.words import whole_words

    longest = "x" * 299 + "."
    pattern = whole_words([longest, "x" * 300, "ab"])
    assert [m.group() for m in pattern.finditer(f"ab {longest} {'x' * 300}")] == ["ab", longest, "x" * 300]


def test_a_term_never_splits_a_placeholder_or_an_escaped_character():
    """Python-Markdown marks a stashed block (a code sample) and a backslash-escaped character
    with digits between STX and ETX until after the tree processors: a term that is those
    digits, or the placeholder's word, is not matched there (the block or the character was lost)."""
    from support_policies.render.text import PolicyText

    fence = "```python\nprint(1)\n```"
    text = r"Press \* then 42, 0 or wzxhzdk."
    plain = PolicyText({"Press": "A key"})
    for term in ("0", "1", "42", "wzxhzdk", "wzxhzdk:0"):
        tooltips = PolicyText({term: "Defined"})
        assert tooltips.block(fence) == plain.block(fence), term
        html = str(tooltips.block(text))
        assert "&#42;" in html and "\x02" not in html and "\x03" not in html, term
    assert '<abbr title="Defined">42</abbr>' in str(PolicyText({"42": "Defined"}).block(text))
