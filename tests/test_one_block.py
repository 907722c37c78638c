"""HTML kept as one raw Markdown block: the text around its tags is escaped, the tags are not.

:func:`one_block` splits the HTML at its tags and escapes the text pieces in one C call each;
these tests compare it with the definition it replaced, each run of text after a ``>`` (or at
the start) escaped by :func:`support_policies.mdtext.escape`.
"""

from __future__ import annotations

import re

from hypothesis import example, given, settings
from hypothesis import strategies as st

from support_policies import mdtext
from support_policies.render.text import one_block

ALPHABET = "<>ab &;#*_`[]\\!\n-.|~^()+=\"'/"
TEXT_RUNS = re.compile(r"(?<=>)[^<]+|^[^<]+")
PRE = re.compile(r"<pre\b.*?</pre>", re.S)


def by_runs(html: str) -> str:
    html = PRE.sub(lambda m: m.group(0).replace("\n", "&#10;"), html)
    html = TEXT_RUNS.sub(lambda m: mdtext.escape(m[0], mdtext.HTML), html)
    return re.sub(r"\n\s*\n", "\n", html).strip()


@settings(max_examples=3000, derandomize=True, database=None)
@given(html=st.text(ALPHABET, max_size=40))
@example('<p title="a>b">x*y</p>')
@example("<<p>>a_b")
@example("<pre>a\n\nb</pre>\n\n<p>[x](javascript:y)</p>")
@example("a &amp; b &#42; c & d")
def test_the_text_around_tags_is_escaped_as_each_run_of_it_would_be(html):
    assert one_block(html) == by_runs(html)


@given(text=st.text(ALPHABET, max_size=30))
@settings(max_examples=500, derandomize=True, database=None)
def test_an_escaper_escapes_as_escape_does(text):
    for where in mdtext.Where:
        assert mdtext.escaper(where)(text) == mdtext.escape(text, where)
