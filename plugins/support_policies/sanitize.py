"""The one safety step each output format takes with policy text, which is untrusted.

* **HTML** (:func:`clean_html`): policy Markdown, once it is HTML, passes through nh3 (the
  Python binding of the Rust sanitizer ammonia) with an allow-list of the tags and
  attributes Markdown makes. nh3 parses the fragment as a browser does, so every address is
  judged after character references, tabs and line breaks are decoded: only ``http``,
  ``https``, ``mailto`` and ``tel`` links and links within the site survive
  (:data:`SAFE_SCHEMES`); images only from the site itself, since a page makes no request
  to another host unless the site's owner configures one. A link or image that loses its
  address becomes its text, so the reader still sees what was written. Titles are made
  :func:`inert`, because themes show them as HTML (Material's tooltips).
* **Markdown and text downloads** (:func:`drop_unsafe_links`): every link, image and
  reference definition whose address the site would drop becomes its text, judged by the
  same sanitizer (:func:`allowed_url`).
* **Text that reaches Python-Markdown** (:func:`unstash`): no STX or ETX, the characters
  that delimit Python-Markdown's placeholders for stashed HTML.

It imports nh3 (and Pygments' token names, when Pygments is there): no MkDocs, Jinja2 or
Markdown.
"""

from __future__ import annotations

import functools
import html
import re

import nh3

_TOKEN_CLASSES: frozenset[str]
try:
    from pygments.token import STANDARD_TYPES

    _TOKEN_CLASSES = frozenset(STANDARD_TYPES.values())
except ImportError:  # no Pygments: code is not highlighted, so there are no token classes
    _TOKEN_CLASSES = frozenset()

SAFE_SCHEMES = frozenset({"http", "https", "mailto", "tel"})
"""Link schemes a page may use; links without a scheme stay within the site."""

_TAGS = {
    "p",
    "br",
    "hr",
    "h1",
    "h2",
    "h3",
    "h4",
    "h5",
    "h6",
    "blockquote",
    "ul",
    "ol",
    "li",
    "em",
    "strong",
    "code",
    "pre",
    "a",
    "img",
    "abbr",
    "div",
    "span",
}
_ALLOWED_ATTRIBUTES = {"a": {"href", "title"}, "img": {"src", "alt", "title"}, "abbr": {"title"}, "ol": {"start"}}
_CLASSES = {"div": {"highlight"}, "span": {"hll", *_TOKEN_CLASSES} - {""}}
"""What Python-Markdown makes of policy text: paragraphs, lists, emphasis, code highlighted
by Pygments (its token classes), links, images and abbreviations."""

_WORD_JOINER = "\u2060"
_TAG_OPEN = re.compile(r"<(?=[A-Za-z/!?])")
_REFERENCE_OPEN = re.compile(r"&(?=[#A-Za-z0-9])")
_STASH = re.compile("[\x02\x03]")
_URL_SPACE = "".join(map(chr, range(0x21)))
_SCHEME = re.compile(r"[A-Za-z][A-Za-z0-9+.-]*:")
_ATTRIBUTES = r'(?:\s+[^\s"\'=<>/]+(?:="[^"]*")?)*'
_LINK = re.compile(rf"<a({_ATTRIBUTES})\s*>(.*?)</a>", re.S)
_IMAGE = re.compile(rf"<img({_ATTRIBUTES})\s*/?>")
_ALT = re.compile(r'\salt="([^"]*)"')


def inert(text: str) -> str:
    """Text that reads the same however many times it is parsed as HTML.

    A word joiner (U+2060, invisible) after every ``<`` that could open a tag and every
    ``&`` that could start a character reference: ``<img onerror=…>`` in a title stays
    those characters when a theme's tooltip sets it as ``innerHTML``.
    """
    return _REFERENCE_OPEN.sub("&" + _WORD_JOINER, _TAG_OPEN.sub("<" + _WORD_JOINER, text))


def unstash(text: str) -> str:
    """Text without STX and ETX, so it cannot forge a Python-Markdown placeholder
    (``\\x02wzxhzdk:0\\x03``), which would splice stashed HTML in or recurse forever."""
    return _STASH.sub("", text)


def _in_site(url: str) -> bool:
    """Whether a browser loads ``url`` (decoded) from the page's own host: no scheme, and no
    ``//host`` (a browser reads ``\\`` as ``/`` and ignores tabs and line breaks)."""
    url = re.sub(r"[\t\n\r]", "", url).strip(_URL_SPACE).replace("\\", "/")
    return not url.startswith("//") and not _SCHEME.match(url)


def _attribute(tag: str, name: str, value: str) -> str | None:
    if name == "title":
        return inert(value)
    if name == "src" and not _in_site(value):
        return None  # an image from another host: shown as its alt text
    return value


_CLEANER = nh3.Cleaner(
    tags=_TAGS,
    attributes=_ALLOWED_ATTRIBUTES,
    allowed_classes=_CLASSES,
    url_schemes=set(SAFE_SCHEMES),
    link_rel=None,
    strip_comments=True,
    attribute_filter=_attribute,
)
"""nh3 with the allow-list, titles made inert; configured once (``nh3.clean`` converts every
option for every call, nearly twice the cost of cleaning a sentence)."""


def _unwrap(match: re.Match[str]) -> str:
    """A link or image that lost its address to the sanitizer, as its text."""
    attributes = match[1]
    if match[0].startswith("<a"):
        return match[0] if ' href="' in f" {attributes}" else match[2]
    if ' src="' in f" {attributes}":
        return match[0]
    alt = _ALT.search(attributes)
    return html.escape(html.unescape(alt[1]), quote=False) if alt else ""


def clean_html(fragment: str) -> str:
    """An HTML fragment made from policy text, reduced to the allow-list (see the module)."""
    return _IMAGE.sub(_unwrap, _LINK.sub(_unwrap, _CLEANER.clean(fragment)))


def _survives(attribute: str, image: bool = False) -> bool:
    """Whether a link (or image) whose address is written as ``attribute`` (HTML, quoted) is kept."""
    if image:
        return ' src="' in _CLEANER.clean(f'<img src="{attribute}" alt="x">')
    return ' href="' in _CLEANER.clean(f'<a href="{attribute}">x</a>')


@functools.lru_cache(maxsize=4096)
def allowed_url(url: str) -> bool:
    """Whether the site keeps a link to ``url`` (the address as the browser reads it); asked once
    per address (templates ask twice: to write the link, and whether to)."""
    return _survives(html.escape(url, quote=True))


# --- links in Markdown -----------------------------------------------------------------

_ESCAPED = re.compile(r"\\([!-/:-@\[-`{-~])")
_REFERENCE_DEFINITION = re.compile(r"\]:[ \t]*(?:\n[ \t]*)?(<[^<>\n]*>|[^\s<][^\s]*)")
_AUTOLINK = re.compile(r"<([A-Za-z][A-Za-z0-9.+-]{1,31}:[^\s<>]*)>")


def _markdown_url_allowed(destination: str, image: bool = False) -> bool:
    """Whether every renderer's reading of a Markdown link destination is a link the site keeps.

    Python-Markdown writes the destination into the attribute as it is (the browser then
    decodes its character references); CommonMark renderers (GitHub, GitLab) first remove
    backslash escapes and decode references themselves.
    """
    bare = destination[1:-1] if destination.startswith("<") and destination.endswith(">") else destination
    unescaped = _ESCAPED.sub(r"\1", bare)
    readings = {bare, unescaped}
    return all(_survives(reading.replace('"', "&quot;"), image) for reading in readings) and all(
        _survives(html.escape(html.unescape(reading), quote=True), image) for reading in readings
    )


def _escaped(text: str, at: int) -> bool:
    """Whether the character at ``at`` follows an odd number of backslashes."""
    count = 0
    while at - count - 1 >= 0 and text[at - count - 1] == "\\":
        count += 1
    return count % 2 == 1


def _opening_bracket(text: str, close: int) -> int:
    """Where the ``[`` matching the ``]`` at ``close`` is, or -1."""
    depth = 0
    for at in range(close, -1, -1):
        if text[at] in "[]" and not _escaped(text, at):
            depth += 1 if text[at] == "]" else -1
            if depth == 0:
                return at
    return -1


def _destination(text: str, start: int) -> tuple[list[str], int]:
    """The readings of the destination of an inline link whose ``(`` is at ``start - 1`` (the
    first word, and everything up to the ``)`` but a title), and where its ``)`` is (-1 when
    it has none)."""
    depth, at = 1, start
    while at < len(text):
        char = text[at]
        if char == "\\":
            at += 2
            continue
        if char == "(":
            depth += 1
        elif char == ")":
            depth -= 1
            if depth == 0:
                break
        at += 1
    end = at if at < len(text) else -1
    inside = text[start : end if end >= 0 else len(text)].strip()
    if inside.startswith("<") and ">" in inside:
        first = inside[: inside.index(">") + 1]
    else:
        first = inside.split(None, 1)[0] if inside else ""
    whole = re.sub(r"""\s+(?:"[^"]*"|'[^']*'|\([^()]*\))\s*$""", "", inside)
    return [first, whole], end


def drop_unsafe_links(markdown: str) -> str:
    """Markdown with every link and image whose address the site would drop turned into its
    text (``[x](javascript:…)`` → ``x``, ``![alt](https://other.example/a.png)`` → ``alt``),
    every such reference definition left without its address (judged as a link's) and every
    such autolink left without its brackets.

    It reads links more widely than any renderer (in code too), so no renderer finds a link
    it missed; links the site keeps are left exactly as written.
    """
    text = _REFERENCE_DEFINITION.sub(lambda m: m[0] if _markdown_url_allowed(m[1]) else "]:", markdown)
    text = _AUTOLINK.sub(lambda m: m[0] if _markdown_url_allowed(m[1]) else m[1], text)
    at = 0
    while (found := text.find("](", at)) >= 0:
        readings, end = _destination(text, found + 2)
        start = -1 if _escaped(text, found) else _opening_bracket(text, found)
        image = start > 0 and text[start - 1] == "!" and not _escaped(text, start - 1)
        if end < 0 or start < 0 or all(_markdown_url_allowed(reading, image) for reading in readings if reading):
            at = found + 2  # a link needs both brackets and its ")"; or the site keeps it
            continue
        if image:
            start -= 1
        label = text[text.index("[", start) + 1 : found]
        text = text[:start] + label + text[end + 1 :]
        at = start
    return text
