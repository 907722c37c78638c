"""Plain policy text skips Python-Markdown: the HTML is what a conversion would have written."""

from __future__ import annotations

import pytest
from hypothesis import example, given, settings
from hypothesis import strategies as st

from support_policies.render.text import PolicyText

ALPHABET = "aZé1 .,:;!?()'\"-+=#>*_`\\[]<&~|{}@/%\t\n\xa0\x02"
texts = (
    st.text(ALPHABET, max_size=40)
    | st.from_regex(r"[0-9 .)#>+=-]{0,4}[a-z SLA.]{0,20}", fullmatch=True)
    | st.lists(st.sampled_from(["SLA", "C++", "a a", "a", "Z", " ", ",", "SLAs", "xC++", "é"]), max_size=12).map(
        "".join
    )
)


@pytest.fixture(scope="module")
def policy_text() -> PolicyText:
    return PolicyText(
        {"SLA": "Service level agreement.", "C++": 'A "language" <b>&amp; &lt;</b> & co.', "a a": "Twice.", "Z": ""}
    )


@settings(max_examples=4000, derandomize=True, database=None)
@given(text=texts)
@example("1. First")
@example("2026 is a year.")
@example("Call us!")
@example("An SLA applies.")
@example("C++ bindings")
@example("a  b")
@example("# Title")
def test_the_html_is_what_markdown_writes(policy_text, text):
    assert policy_text.html(text) == policy_text._md.reset().convert(text)


def test_a_plain_sentence_is_not_converted(policy_text, monkeypatch):
    monkeypatch.setattr(policy_text._md, "convert", lambda text: pytest.fail(f"converted {text!r}"))
    assert policy_text.html("Tickets opened on a weekend are answered on Monday.") == (
        "<p>Tickets opened on a weekend are answered on Monday.</p>"
    )
    assert policy_text.html("Our SLA covers C++ code.") == (
        '<p>Our <abbr title="Service level agreement.">SLA</abbr> covers '
        '<abbr title="A &quot;language&quot; &lt;b&gt;&amp;amp; &amp;lt;&lt;/b&gt; &amp; co.">C++</abbr> code.</p>'
    )


@settings(max_examples=4000, derandomize=True, database=None)
@given(text=texts | st.text(max_size=12))
@example("١. Arabic-Indic digits")
@example("ends in a space ")
def test_plain_lines_are_those_one_pattern_of_markdown_syntax_left_alone(text):
    """The three searches that pick plain lines agree with the single pattern they replaced."""
    import re

    from support_policies.render.text import _plain

    syntax = re.compile(r"[\\`*_\[\]<>&~]|^(?:[-+=>#]|\d+\.)|^\s|\s$")
    assert _plain(text) == bool(text and text.isprintable() and not syntax.search(text))
