"""Code samples are highlighted with one Pygments formatter per set of options, not one per
block, and the HTML is what Python-Markdown's codehilite writes with a formatter of its own."""

from __future__ import annotations

import markdown
import pytest

from support_policies.render import text as module
from support_policies.render.text import PolicyText, one_block
from support_policies.sanitize import clean_html

SAMPLES = [
    ("curl -H 'Authorization: Bearer $TOKEN' https://api.example.com/v1/ledgers", "bash"),
    ('{"error": "rate_limited", "retry_after": 30}', "json"),
    ("for row in rows:\n    print(row['id'])\n", "python"),
    ("SELECT id FROM invoices WHERE due < now();", "sql"),
    ("Plain words, <b>not</b> markup & not code.", ""),
    ("x = 1", "no-such-language"),
]


def _reference(code: str, language: str) -> str:
    """The block as codehilite writes it when it makes a formatter for every block."""
    md = markdown.Markdown(
        extensions=["sane_lists", "fenced_code", "codehilite"],
        extension_configs={"codehilite": {"css_class": "highlight", "guess_lang": False}},
    )
    return one_block(clean_html(md.convert(f"```{language or 'text'}\n{code.rstrip()}\n```")))


@pytest.mark.parametrize(("code", "language"), SAMPLES)
def test_a_code_sample_is_the_html_codehilite_writes(code, language):
    assert str(PolicyText().code(code, language)) == _reference(code, language)


def test_one_formatter_serves_every_block_of_the_same_options():
    module._html_formatter.cache_clear()
    text = PolicyText()
    for code, language in SAMPLES * 3:
        assert str(text.code(code, language)) == _reference(code, language)
    assert module._html_formatter.cache_info().misses == len(SAMPLES)
    assert module._html_formatter.cache_info().hits == 2 * len(SAMPLES)
