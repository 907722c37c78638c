"""Plain text made literal in Markdown: the one Markdown escaper, and code spans.

Policy text, file names and findings are untrusted, and wherever they land in Markdown they
must read as written. :func:`escape` neutralizes the characters Markdown gives a meaning, from
one table, :data:`SYNTAX`. Where the text lands decides which of them matter there and how
each is written, so that is its parameter:

``PAGE``
    A page of the site, rendered by Python-Markdown: a heading, a tab label, a list item, a
    table cell. Each character Python-Markdown reads as syntax gets a backslash; it honours a
    backslash before those only, so ``<`` and ``&`` become character references. A line break
    becomes a space (a heading is one line).
``DOWNLOAD``
    A Markdown download that people also read as plain text (the Markdown ticket, a GitHub
    issue form's texts): only what changes the text within a line is escaped — code, emphasis,
    links, raw HTML, an ``&`` that starts a character reference, a heading's closing hashes —
    so the file stays readable.
``CELL``
    A cell of a GitHub-flavoured Markdown table (the step summary of a CI run): as ``PAGE``
    but for list markers, which cannot start inside a cell, plus ``|``, which would end the
    cell, and ``~`` (strikethrough). CommonMark honours a backslash before any punctuation, so
    ``<`` gets one too.
``HTML``
    The text between the tags of a raw HTML block on a page, which Markdown reads again when
    the block is indented under a list item, a tab or an admonition: a backslash would show
    there, so characters become numeric character references, and references already in
    the text are kept as they are.

Each front door's own safety step comes first: a page's text is made
:func:`~support_policies.sanitize.inert` (headings reach the theme's tooltips), a report's
:func:`~support_policies.reporters.escape.printable` (no control character reaches a log).
"""

from __future__ import annotations

import enum
import functools
import re
from collections.abc import Callable


class Where(enum.Enum):
    """Where escaped text lands; see the module's documentation."""

    PAGE = "page"
    DOWNLOAD = "download"
    CELL = "cell"
    HTML = "html"


PAGE, DOWNLOAD, CELL, HTML = Where.PAGE, Where.DOWNLOAD, Where.CELL, Where.HTML

_B = "\\"
"""Written with a backslash before it."""
_REF = "&#"
"""Written as a numeric character reference."""

_TABLE: tuple[tuple[str, str | None, str | None, str | None, str | None], ...] = (
    # characters  PAGE     DOWNLOAD  CELL     HTML     what they start
    ("\\`*_[]", _B, _B, _B, _REF),  # escapes, code spans, emphasis, links and images
    ("{}#!", _B, None, _B, _REF),  # attribute lists, headings, images
    ("()+>", _B, None, _B, None),  # link targets, list items, quotes
    ("-.", _B, None, None, None),  # list markers where a page's text starts a line
    ("<", "&lt;", "&lt;", _B, None),  # raw HTML, autolinks
    ("|~", None, None, _B, _REF),  # the end of a table cell, strikethrough
    ("^", None, None, None, _REF),  # superscript
    ("&", "&amp;", "&amp;", "&amp;", None),  # character references (DOWNLOAD: an & that starts one)
    ("\n", " ", None, None, " "),  # line breaks
)
SYNTAX: dict[str, dict[Where, str]] = {
    char: {where: how for where, how in zip(Where, row[1:], strict=True) if how is not None}
    for row in _TABLE
    for char in row[0]
}
"""Each character Markdown may read as syntax, and how it is written where it matters:
``\\`` (a backslash before it), ``&#`` (a numeric character reference) or the text that
replaces it."""

_REFERENCE = r"&#?\w+;"
"""A character reference, which ``HTML`` keeps."""
_STARTS_REFERENCE = r"&(?=#?[^\W_]+;)"
"""An ``&`` that starts a character reference, the only one ``DOWNLOAD`` escapes (``_`` has a
backslash by then)."""
_CLOSING_HASHES = re.compile(r"(^|\s)(#+)(\s*)$")
"""A heading's closing hashes: the one place ``#`` means something within a download's line."""


def _pattern(where: Where) -> re.Pattern[str]:
    chars = "".join(re.escape(char) for char, written in SYNTAX.items() if where in written and char != "&")
    alternatives = [_REFERENCE] if where is HTML else []
    if where in SYNTAX["&"]:
        alternatives.append(_STARTS_REFERENCE if where is DOWNLOAD else "&")
    return re.compile("|".join([*alternatives, f"[{chars}]"]))


_PATTERNS = {where: _pattern(where) for where in Where}


def _written(where: Where, match: re.Match[str]) -> str:
    char = match[0]
    if len(char) > 1:  # a character reference, kept
        return char
    how = SYNTAX[char][where]
    return _B + char if how == _B else f"&#{ord(char)};" if how == _REF else how


def escaper(where: Where) -> Callable[[str], str]:
    """:func:`escape` for ``where``, as one call of C code per text (and of Python per
    character it escapes): for many texts, such as those between the tags of a page's HTML."""
    if where is DOWNLOAD:
        return functools.partial(escape, where=where)
    return functools.partial(_PATTERNS[where].sub, functools.partial(_written, where))


def escape(text: str, where: Where = PAGE) -> str:
    """``text`` with each character of :data:`SYNTAX` that matters ``where`` it lands made literal."""
    escaped = _PATTERNS[where].sub(functools.partial(_written, where), text)
    return _CLOSING_HASHES.sub(r"\1\\\2\3", escaped) if where is DOWNLOAD else escaped


_BACKTICKS = re.compile(r"`+")


def code_span(text: str) -> str:
    """A code span that holds any text, backticks included."""
    longest = max((len(run) for run in _BACKTICKS.findall(text)), default=0)
    fence = "`" * (longest + 1)
    pad = " " if text.startswith("`") or text.endswith("`") or not text.strip() else ""
    return f"{fence}{pad}{text}{pad}{fence}"
