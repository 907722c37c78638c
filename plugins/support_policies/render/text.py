"""Policy text to HTML: Markdown without raw HTML or include syntax, through the sanitizer."""

from __future__ import annotations

import functools
import re
from collections.abc import Iterable, Iterator
from typing import Any
from xml.etree.ElementTree import Element

import markdown
from markdown.extensions.abbr import AbbrTreeprocessor
from markdown.extensions.fenced_code import FencedBlockPreprocessor, FencedCodeExtension
from markdown.serializers import _escape_attrib_html  # type: ignore[attr-defined]  # the escaping a conversion uses
from markupsafe import Markup, escape

from .. import mdtext
from ..sanitize import clean_html, inert
from ..words import whole_words

_PRE = re.compile(r"<pre\b.*?</pre>", re.S)
_BLANK = re.compile(r"\n\s*\n")
_TICKS = re.compile(r"`{3,}")
_TAG = re.compile(r"(<[^>]*>?)")
"""A tag, from its ``<`` to the first ``>``: what is around tags is text."""
_escape_text = mdtext.escaper(mdtext.HTML)
_SYNTAX = re.compile(r"[\\`*_\[\]<>&~]")
_OPENING = re.compile(r"[-+=>#]|\d+\.|\s")


def _plain(text: str) -> bool:
    """Whether ``text`` is one printable line that nothing can make more than a paragraph of its
    own characters: no character of Markdown or HTML syntax in it, no marker of a list, heading,
    quote or rule starting it, and no white space at either end. (Three searches, each of one
    kind, cost a tenth of one pattern of them all, which tried every branch at every character.)"""
    return (
        bool(text) and text.isprintable() and not (_SYNTAX.search(text) or _OPENING.match(text) or text[-1].isspace())
    )


@functools.lru_cache(maxsize=8)
def _abbreviations(terms: frozenset[str]) -> re.Pattern[str]:
    return whole_words(terms)


class Abbreviations(AbbrTreeprocessor):
    """Python-Markdown's ``<abbr>`` tree processor, with one trie-shaped pattern per set of terms.

    The original joins every abbreviation into one alternation and compiles it for every
    conversion, so each text cost as much as the glossary: rendering a large policy set,
    or every page of its site, was quadratic. Matches (the longest term first) now cost the
    length of the text, and the pattern is compiled once. A term matches where it is not
    part of a longer word, as ``glossary.unused`` finds it: unlike the original's ``\\b``,
    that also holds for a term that starts or ends with punctuation ("C++", ".NET").

    With ``fixed``, the terms are those of ``abbrs`` now and for good, and the pattern is
    looked up once, not per conversion (a lookup hashes and compares every term).
    """

    def __init__(self, md: markdown.Markdown, abbrs: dict[str, str], *, fixed: bool = False):
        super().__init__(md, abbrs)
        self.fixed = _abbreviations(frozenset(abbrs)) if fixed and abbrs else None

    def run(self, root: Element) -> None:
        if self.abbrs:
            self.RE = _OutsideMarkers(self.fixed or _abbreviations(frozenset(self.abbrs)))  # type: ignore[assignment]
            self.iter_element(root)


_MARKER = re.compile("\x02[^\x02\x03]*\x03")
"""Python-Markdown's placeholder of a stashed block (``\x02wzxhzdk:0\x03``) or of an escaped
character (``\x0242\x03``), put back after the tree processors."""


class _OutsideMarkers:
    """A term pattern whose matches inside a marker (see :data:`_MARKER`) are left out: an
    ``<abbr>`` there would split the marker, and the code block or character it stands for
    would be lost (a glossary term "0" or "42" did that)."""

    def __init__(self, pattern: re.Pattern[str]):
        self.pattern = pattern

    def finditer(self, text: str) -> Iterator[re.Match[str]]:
        if "\x02" not in text:
            return self.pattern.finditer(text)
        markers = [marker.span() for marker in _MARKER.finditer(text)]
        return (
            found
            for found in self.pattern.finditer(text)
            if not any(start < found.end() and found.start() < end for start, end in markers)
        )


_FORMATTERS: dict[str, object] = {}
"""Pygments' HTML formatters made so far, by their options (written out: ``hl_lines`` is a list)."""
_MOST_FORMATTERS = 64
"""Distinct options are few (one per language and line marking), but policy text chooses them."""


def _html_formatter(**options: Any) -> object:
    """Pygments' HTML formatter with ``options``, made once and used for every code block.

    Python-Markdown's codehilite otherwise makes one per block, and making one builds a
    stylesheet of every token type (about 1 ms, more than highlighting a short sample). A
    formatter keeps nothing of what it formatted, so one serves every block.
    """
    key = repr(sorted(options.items()))
    formatter = _FORMATTERS.get(key)
    if formatter is None:
        from pygments.formatters.html import HtmlFormatter

        if len(_FORMATTERS) >= _MOST_FORMATTERS:
            _FORMATTERS.clear()
        formatter = _FORMATTERS[key] = HtmlFormatter(**options)
    return formatter


class _Fences(FencedBlockPreprocessor):
    """Python-Markdown's fenced code, whose attributes may only mark lines (``hl_lines``).

    Every other ``key=value`` of a fence would reach Pygments as an option of its lexer and
    formatter, where a misspelt or hostile one (``style=``, ``lang_str=``, ``encoding=``)
    fails the build or garbles the block; the code itself is shown either way.
    """

    def handle_attrs(self, attrs: Iterable[tuple[str, str]]) -> tuple[str, list[str], dict[str, Any]]:
        id_, classes, options = super().handle_attrs(attrs)
        return id_, classes, {key: value for key, value in options.items() if key == "hl_lines"}


class PolicyText:
    """Renders Markdown from policy files; raw HTML in it is shown as text.

    Every result has been through :func:`~support_policies.sanitize.clean_html`: an
    allow-list of tags and attributes, links only to http(s), mailto and tel addresses or
    within the site (judged after decoding), unsafe links shown as their text. Glossary
    terms become ``<abbr title>`` elements, which Material shows as tooltips.
    """

    def __init__(self, glossary: dict[str, str] | None = None):
        self._md = markdown.Markdown(
            extensions=["sane_lists", "fenced_code", "codehilite"],
            extension_configs={
                "codehilite": {"css_class": "highlight", "guess_lang": False, "pygments_formatter": _html_formatter}
            },
        )
        fenced = next(e for e in self._md.registeredExtensions if isinstance(e, FencedCodeExtension))
        self._md.preprocessors.register(_Fences(self._md, fenced.getConfigs()), "fenced_code_block", 25)
        self._md.preprocessors.deregister("html_block")
        self._md.inlinePatterns.deregister("html")
        # Python-Markdown writes an entity-like "&" into a title as it is: escaped here, a
        # definition reads as written (the sanitizer then makes it inert).
        titles = {term: text.replace("&", "&amp;") for term, text in (glossary or {}).items() if text}
        self._terms = Abbreviations(self._md, titles, fixed=True)
        self._md.treeprocessors.register(self._terms, "abbr", 7)

    def html(self, text: str) -> str:
        """Python-Markdown's HTML of ``text``, before sanitizing.

        A printable line with no Markdown syntax in it is a paragraph of its own characters and
        of its glossary terms as tooltips, written here without a conversion: most policy text
        is such a sentence, and each conversion costs Python-Markdown's whole pipeline
        (``tests/test_plain_text.py`` compares both ways on generated lines).
        """
        if _plain(text):
            terms = self._terms.fixed
            return f"<p>{self._with_tooltips(text, terms) if terms and terms.search(text) else text}</p>"
        return self._md.reset().convert(text)

    def _with_tooltips(self, text: str, terms: re.Pattern[str]) -> str:
        """A line without Markdown syntax with each glossary term in it as an ``<abbr>``, as
        Python-Markdown's abbr tree processor puts it there and its serializer writes it."""
        pieces: list[str] = []
        written = 0
        for found in terms.finditer(text):
            title = self._terms.abbrs[found[0]]
            if title:
                pieces += (
                    text[written : found.start()],
                    f'<abbr title="{_escape_attrib_html(title)}">{found[0]}</abbr>',
                )
                written = found.end()
        pieces.append(text[written:])
        return "".join(pieces)

    def block(self, text: str) -> Markup:
        """Paragraphs and lists, as one raw-HTML block for a Markdown page."""
        if not text:
            return Markup("")
        return Markup(one_block(clean_html(self.html(text))))

    def code(self, code: str, language: str = "") -> Markup:
        """A highlighted code sample: Python-Markdown's HTML of it as a fenced block."""
        longest = max((len(m) for m in _TICKS.findall(code)), default=2)
        fence = "`" * (longest + 1)
        return Markup(one_block(clean_html(self._fenced(f"{fence}{language or 'text'}\n{code.rstrip()}\n{fence}"))))

    def _fenced(self, text: str) -> str:
        """Python-Markdown's HTML of ``text``, a fenced code block, without its whole pipeline.

        Its preprocessors run as in a conversion, and the fence becomes one stashed block of
        highlighted HTML. When that block is all that is left, parsing would only make it a
        paragraph of its placeholder, which the postprocessors replace with the block: they
        run on that paragraph here (``tests/test_code_samples.py`` compares both ways on
        generated samples). Anything else is converted as a whole.
        """
        md = self._md.reset()
        lines = text.split("\n")
        for preprocessor in md.preprocessors:
            lines = preprocessor.run(lines)
        stash = md.htmlStash
        placeholder = stash.get_placeholder(0)
        if stash.html_counter != 1 or [line for line in lines if line.strip()] != [placeholder]:
            return self.html(text)
        html = f"<p>{placeholder}</p>"
        for postprocessor in md.postprocessors:
            html = postprocessor.run(html)
        return html.strip()

    def inline(self, text: str) -> Markup:
        """One line of text, as HTML without the wrapping paragraph."""
        html = str(self.block(text))
        if html.startswith("<p>") and html.endswith("</p>") and html.count("<p>") == 1:
            html = html[3:-4]
        return Markup(html)


def one_block(html: str) -> str:
    """HTML that Markdown keeps as one raw block: one line; line breaks in <pre> kept.

    Indented under a tab, list item or admonition, Markdown reads the block again, so the
    text between tags is made inert: line breaks become spaces (no line of it can start a
    list or leave the item it is in), and the characters of Markdown syntax become character
    references (``[x](javascript:…)`` stays text).
    """
    html = _PRE.sub(lambda m: m.group(0).replace("\n", "&#10;"), html)
    pieces = _TAG.split(html)  # text, tag, text, …, text
    pieces[::2] = map(_escape_text, pieces[::2])
    return _BLANK.sub("\n", "".join(pieces)).strip()


def nav_title(text: str) -> str:
    """A title safe where themes print it unescaped (nav, ``<title>``): no tags, no entities.

    ``<`` and ``>`` become ‹ and ›, and ``&`` is made :func:`~support_policies.sanitize.inert`,
    since themes unescape titles (``striptags``) before printing them, and Material shows
    a title that does not fit as a tooltip parsed as HTML.
    """
    return inert(str(text).replace("<", "‹").replace(">", "›"))


def markdown_escape(text: str) -> str:
    """Plain text made safe to put in a Markdown heading or tab label.

    The text is also :func:`~support_policies.sanitize.inert`: a heading is listed in the
    table of contents, and Material shows an entry that does not fit as a tooltip parsed
    as HTML.
    """
    return mdtext.escape(inert(str(text)), mdtext.PAGE)


_ADDRESS_BREAKS = re.compile(r"(?<=@)|(?=\.)")


def email_link(address: str) -> Markup:
    """A mailto link whose text breaks only after "@" and before "." on a narrow screen.

    Each piece is HTML-escaped and made literal for Markdown, so the same link is right in an
    HTML fragment and in running Markdown text; the stylesheet keeps it from breaking inside a word.
    """
    text = "<wbr>".join(mdtext.escape(str(escape(piece)), mdtext.HTML) for piece in _ADDRESS_BREAKS.split(address))
    return Markup(f'<a class="sp-address" href="mailto:{escape(address)}">{text}</a>')
