"""The glossary's word searches answer as the whole-word regex does.

:class:`FormFinder` reads most forms off the texts' space-separated pieces and leaves the rest
to a :class:`WordIndex`, which indexes one word of each form, found by one pattern built as a
trie of those words (:func:`support_policies.words.whole_words`, tested in
``test_abbreviations.py``). These tests compare both with the whole-word regular expression on
random texts and forms (forms they were told about and forms they were not).
"""

from __future__ import annotations

import re
from unittest.mock import patch

from hypothesis import given, settings
from hypothesis import strategies as st

from support_policies.rules import glossary
from support_policies.rules.glossary import FormFinder, WordIndex

ALPHABET = "ab _-.[]é1²\n"
forms_ = st.lists(st.text(alphabet=ALPHABET, min_size=1, max_size=6), max_size=8)


def regex_has(text: str, form: str) -> bool:
    return bool(re.search(rf"(?<!\w){re.escape(form)}(?!\w)", text))


@given(forms=forms_, others=forms_, text=st.text(alphabet=ALPHABET, max_size=40))
@settings(max_examples=1000, derandomize=True, database=None)
def test_an_index_of_some_forms_agrees_with_the_regex(forms, others, text):
    index = WordIndex(text, forms)
    for form in [*forms, *others]:
        assert index.has(form) == regex_has(text, form), (text, form)


def test_a_very_long_word_falls_back_to_the_whole_index():
    long_word = "x" * 500
    text = f"a {long_word} b"
    index = WordIndex(text, [long_word, "a", "c"])
    assert index.has(long_word) and index.has("a") and not index.has("c")


FINDER_ALPHABET = "ab _-.[]é1²\n\t(«»,"
finder_forms = st.lists(st.text(alphabet=FINDER_ALPHABET, min_size=1, max_size=7), max_size=8)


@given(
    forms=finder_forms,
    others=finder_forms,
    texts=st.lists(st.text(alphabet=FINDER_ALPHABET, max_size=48), min_size=1, max_size=4),
    chunk=st.sampled_from([1, 2, glossary._CHUNK]),
)
@settings(max_examples=3000, derandomize=True, database=None)
def test_the_form_finder_agrees_with_the_regex(forms, others, texts, chunk):
    """Forms read off the space-separated words, those left open, and forms never announced,
    in texts joined by line breaks (a form holding one may run from one text into the next),
    split a chunk of texts at a time."""
    with patch.object(glossary, "_CHUNK", chunk):
        finder = FormFinder(texts, forms)
    joined = "\n".join(texts)
    for form in [*forms, *others]:
        assert finder.has(form) == regex_has(joined, form), (texts, form)


def test_a_form_holding_a_line_break_is_found_across_chunks():
    with patch.object(glossary, "_CHUNK", 1):
        finder = FormFinder(["see x a", "b y now"], ["x a\nb y", "a\nb"])
    assert finder.has("x a\nb y") and finder.has("a\nb")


def test_the_form_finder_keeps_one_string_of_each_piece():
    texts = [f"the Premium plan, then the Basic plan {i}" for i in range(3 * glossary._CHUNK)]
    finder = FormFinder(texts, ["Premium plan", "Basic tier"])
    assert len(finder.pieces) == 3
    assert len({id(piece) for pieces in finder.pieces for piece in pieces}) == len(finder.counts)
    assert finder.has("Premium plan") and not finder.has("Basic tier")


def test_the_form_finder_reads_most_forms_off_the_words():
    text = "Use the (Premium plan) for SLA-based work.\nA support_case goes to the\ndesk, see Tier 2."
    read_off = {"Premium plan": True, "SLA": True, "support_case": True, "Tier 2": True, "desk": True}
    read_off |= {"SLA-based work": True, "ticket": False, "the desk plan": False}  # no piece is "desk"
    left_open = ["Tier 3", "A support", "based work"]
    finder = FormFinder(text.split("\n"), [*read_off, *left_open])
    for form, found in read_off.items():
        assert finder.has(form) is found is regex_has(text, form), form
    assert finder._index is None  # nothing so far needed the word index
    assert [form for form in left_open if finder.has(form)] == ["based work"]
    assert finder._index is not None


def test_the_characters_stripped_from_words_are_no_word_characters():
    from support_policies.rules.glossary import _EDGES

    assert _EDGES and not re.search(r"\w", _EDGES)
