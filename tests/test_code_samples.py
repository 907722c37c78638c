"""Code samples are highlighted with one Pygments formatter per set of options, not one per
block, and the HTML is what Python-Markdown's codehilite writes with a formatter of its own."""

from __future__ import annotations

import markdown
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

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


FENCES = [
    '```python hl_lines="1 3"\nx = 1\ny = 2\nz = 3\n```',  # codehilite passes hl_lines as a list
    '```{.python hl_lines="2"}\nx = 1\ny = 2\n```',
    "```ruby\nputs 1\n```",
]
OTHER_ATTRIBUTES = {
    # attribute -> the fence with it; each would reach Pygments as an option
    "lang_str": '```{.python lang_str="x"}\nx = 1\n```',
    "lang_str flag": "```{.python lang_str}\nx = 1\n```",
    "style": '```{.python style="no-such-style"}\nx = 1\n```',
    "pygments_style": '```{.python pygments_style="nope"}\nx = 1\n```',
    "pygments_formatter": '```{.python pygments_formatter="latex"}\nx = 1\n```',
    "encoding": '```{.python encoding="utf-8"}\nx = 1\n```',
    "src": '```{.python src="x"}\nx = 1\n```',
    "lang": '```{.python lang="x"}\nx = 1\n```',
    "tagsfile": '```{.python tagsfile="/etc/passwd" tagurlformat="x"}\nx = 1\n```',
    "linenums": '```{.python linenums="1" linenostart="7"}\nx = 1\n```',
    "use_pygments": '```{.python use_pygments="false"}\nx = 1\n```',
}
PLAIN = "```python\nx = 1\n```"


def _reference(markdown_text: str) -> str:
    """The text as codehilite writes it when it makes a formatter for every block."""
    md = markdown.Markdown(
        extensions=["sane_lists", "fenced_code", "codehilite"],
        extension_configs={"codehilite": {"css_class": "highlight", "guess_lang": False}},
    )
    return one_block(clean_html(md.convert(markdown_text)))


def _fence(code: str, language: str) -> str:
    return f"```{language or 'text'}\n{code.rstrip()}\n```"


@pytest.mark.parametrize(("code", "language"), SAMPLES)
def test_a_code_sample_is_the_html_codehilite_writes(code, language):
    assert str(PolicyText().code(code, language)) == _reference(_fence(code, language))


@pytest.mark.parametrize("fence", FENCES)
def test_code_in_policy_text_marking_lines_is_the_html_codehilite_writes(fence):
    assert str(PolicyText().block(fence)) == _reference(fence)


@pytest.mark.parametrize("fence", OTHER_ATTRIBUTES.values(), ids=OTHER_ATTRIBUTES.keys())
def test_a_fence_attribute_other_than_hl_lines_is_left_out(fence):
    """Only ``hl_lines`` reaches Pygments; the block is the code as if written without the rest."""
    assert str(PolicyText().block(fence)) == _reference(PLAIN)


def test_one_formatter_serves_every_block_of_the_same_options(monkeypatch):
    monkeypatch.setattr(module, "_FORMATTERS", {})
    text = PolicyText()
    for _ in range(3):
        for code, language in SAMPLES:
            assert str(text.code(code, language)) == _reference(_fence(code, language))
        for fence in FENCES:
            assert str(text.block(fence)) == _reference(fence)
    assert len(module._FORMATTERS) == len(SAMPLES) + len(FENCES)


def test_the_formatters_kept_are_bounded(monkeypatch):
    monkeypatch.setattr(module, "_FORMATTERS", {})
    text = PolicyText()
    for line in range(1, 2 * module._MOST_FORMATTERS):
        text.block(f'```python hl_lines="{line}"\nx = 1\n```')
    assert 0 < len(module._FORMATTERS) <= module._MOST_FORMATTERS


_CODE = st.lists(
    st.sampled_from(["a", "Z", "1", " ", "\t", "\n", "\r", "\x02", "\x03", "`", "~", "<", "&", "{", "é", "😀", "Term"]),
    max_size=40,
).map("".join)
_LANGUAGE = st.sampled_from(["", "python", "json", "http", "no-such-language", "c++", "a b", "{.python}", "x`", "text"])


@settings(max_examples=400, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(code=_CODE, language=_LANGUAGE)
def test_a_code_sample_is_what_converting_its_fence_gives(code, language):
    """The sample's fence goes through Python-Markdown's preprocessors and postprocessors only,
    with the same HTML as a whole conversion (which a glossary term could not change in code)."""
    text = PolicyText({"Term": "A defined word", "0": "Zero", "wzxhzdk": "Python-Markdown's placeholder word"})
    longest = max((len(run) for run in module._TICKS.findall(code)), default=2)
    fence = "`" * (longest + 1)
    whole = one_block(clean_html(text.html(f"{fence}{language or 'text'}\n{code.rstrip()}\n{fence}")))
    assert str(text.code(code, language)) == whole
