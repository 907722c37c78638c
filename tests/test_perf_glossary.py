"""The glossary's word index, given the forms it will be asked about, answers as the regex does.

With ``forms``, :class:`WordIndex` indexes one word of each form, found by one pattern built
as a trie of those words (:func:`support_policies.words.whole_words`, tested in
``test_abbreviations.py``); these tests compare its answers with the whole-word regular
expression on random texts and forms (forms it was told about and forms it was not).
"""

from __future__ import annotations

import re

from hypothesis import given, settings
from hypothesis import strategies as st

from support_policies.rules.glossary import WordIndex

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
