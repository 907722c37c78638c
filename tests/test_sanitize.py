"""The one output step for policy text, defect by defect (tests/browser/test_xss.py proves
the whole site in Chromium).

* Links: a page makes only http(s), mailto, tel and in-site links, judged after character
  references, tabs and line breaks are decoded; every other link is shown as its text.
* Text a theme parses again as HTML (tooltips from titles, abbreviations, table-of-contents
  entries and nav titles that do not fit) is inert for that parse.
* Downloads carry no link the site would drop.
* No policy text forges a Python-Markdown stash placeholder (STX … ETX).
"""

from __future__ import annotations

import html
import json
import re
from dataclasses import replace
from pathlib import Path

import markdown
import payloads
import pytest
import yaml
from bs4 import BeautifulSoup

from support_policies.exports.tickets import TICKET_FORMATS
from support_policies.markdown import PolicyBlocksExtension
from support_policies.model import PolicySet, Term, TicketField, TicketTemplate
from support_policies.policyset import load_policies
from support_policies.render import Renderer, render_pages
from support_policies.render.text import markdown_escape, nav_title
from support_policies.sanitize import allowed_url, clean_html, drop_unsafe_links, inert, unstash

REPO = Path(__file__).resolve().parent.parent
SITE_EXTENSIONS = yaml.safe_load((REPO / "mkdocs.yml").read_text("utf-8"))["markdown_extensions"]
WJ = "\u2060"


def text() -> Renderer:
    return Renderer(PolicySet())


def browser_scheme(url: str) -> str:
    """A link's scheme as a browser reads it: C0 controls and spaces trimmed, tabs and line
    breaks removed anywhere, case ignored (the WHATWG URL parser)."""
    url = re.sub(r"[\t\n\r]", "", url.strip("".join(map(chr, range(0x21)))))
    match = re.match(r"([A-Za-z][A-Za-z0-9+.-]*):", url)
    return match[1].lower() if match else ""


def addresses(fragment: str) -> list[str]:
    """Every address a browser would follow or load in ``fragment``, decoded as it decodes them."""
    soup = BeautifulSoup(fragment, "html.parser")
    return [el[attr] for el in soup.find_all(True) for attr in ("href", "src", "action", "xlink:href") if el.get(attr)]


def tags_after_reparse(value: str) -> list[str]:
    """The elements ``value`` makes when a theme sets it as ``innerHTML`` (Material's tooltips)."""
    return [tag.name for tag in BeautifulSoup(value, "html.parser").find_all(True)]


# --- links -------------------------------------------------------------------------------------

UNSAFE_LINKS = [  # (Markdown, the text the reader sees instead of a link)
    ("[x](&#106;avascript:alert(1))", "x"),
    ("[x](javascript&#58;alert(1))", "x"),
    ("[x](javascript&colon;alert(1))", "x"),
    ("[x](&Tab;javascript:alert(1))", "x"),
    ("[x](&NewLine;javascript:alert(1))", "x"),
    ("[x](&#x6A;&#x61;&#x76;&#x61;&#x73;&#x63;&#x72;&#x69;&#x70;&#x74;&#x3A;alert(1))", "x"),
    ("[x](jav&#x09;ascript:alert(1))", "x"),
    ("[x](jav&#x0A;ascript:alert(1))", "x"),
    ("[x](jav&#x0D;ascript:alert(1))", "x"),
    ("[x](&#14;javascript:alert(1))", "x"),
    ("[x](  javascript:alert(1)  )", "x"),
    ("[x](JaVaScRiPt:alert(1))", "x"),
    ("[x](<javascript:alert(1)>)", "x"),
    ('[x](javascript:alert(1) "title")', "x"),
    ("[x](data:text/html;base64,PHNjcmlwdD5hbGVydCgxKTwvc2NyaXB0Pg==)", "x"),
    ("[x](vbscript:msgbox(1))", "x"),
    ("![an image](javascript:alert(1))", "an image"),
    ("[x][r]\n\n[r]: javascript:alert(1)", "x"),
    ("[x][r]\n\n[r]: &#106;avascript:alert(1)", "x"),
    ("[nested [brackets]](javascript:alert(1))", "nested [brackets]"),
]
SAFE_LINKS = [  # (Markdown, the address the link keeps, as the browser reads it)
    ("[x](https://a.example/help)", "https://a.example/help"),
    ("[x](HTTP://a.example/)", "HTTP://a.example/"),
    ("[x](mailto:help@a.example)", "mailto:help@a.example"),
    ("[x](tel:+15555550100)", "tel:+15555550100"),
    ("[x](../plans/#premium)", "../plans/#premium"),
    ("[x](#premium)", "#premium"),
    ("[x](&#104;ttps://a.example/)", "https://a.example/"),
    ("[x](https://a.example/?a=1&b=2)", "https://a.example/?a=1&b=2"),
    ("<https://a.example/auto>", "https://a.example/auto"),
]


@pytest.mark.parametrize(("source", "shown"), UNSAFE_LINKS, ids=[s for s, _ in UNSAFE_LINKS])
def test_entity_encoded_javascript_link_is_text(source, shown):
    out = str(text().text.inline(source))
    assert addresses(out) == [], out
    assert " ".join(BeautifulSoup(out, "html.parser").get_text().split()) == shown


@pytest.mark.parametrize(("source", "kept"), SAFE_LINKS, ids=[s for s, _ in SAFE_LINKS])
def test_web_mail_phone_and_site_links_stay_links(source, kept):
    out = str(text().text.inline(source))
    assert addresses(out) == [kept], out


def test_every_link_of_the_corpus_is_a_web_mail_phone_or_site_link():
    out = str(text().text.block("\n\n".join(payloads.VECTORS)))
    assert {browser_scheme(url) for url in addresses(out)} <= {"", "http", "https", "mailto", "tel"}
    soup = BeautifulSoup(out, "html.parser")
    assert [
        el.name
        for el in soup.find_all(True)
        if el.name
        not in {"p", "a", "img", "code", "pre", "strong", "em", "abbr", "br", "div", "span", "h1", "ul", "li"}
    ] == []
    assert [attr for el in soup.find_all(True) for attr in el.attrs if attr.startswith("on")] == []


IMAGES = [  # (Markdown, the address the image keeps, or None: its alt text instead)
    ("![a](pic.png)", "pic.png"),
    ("![a](/assets/pic.png)", "/assets/pic.png"),
    ("![a](https://tracker.example/p.png)", None),
    ("![a](//tracker.example/p.png)", None),
    ("![a](/\\tracker.example/p.png)", None),
    ("![a](&#104;ttps://tracker.example/p.png)", None),
    ("![a](data:image/png;base64,iVBORw0KGgo=)", None),
]


@pytest.mark.parametrize(("source", "kept"), IMAGES, ids=[s for s, _ in IMAGES])
def test_an_image_from_another_host_is_its_alt_text(source, kept):
    """A page makes no request to another host unless the site's owner configures one."""
    out = str(text().text.inline(source))
    assert addresses(out) == ([kept] if kept else []), out
    assert BeautifulSoup(out, "html.parser").get_text() == ("" if kept else "a")
    assert (drop_unsafe_links(source) == source) == bool(kept)


@pytest.mark.parametrize(
    "url",
    [
        "javascript:alert(1)",
        " javascript:alert(1)",
        "java\tscript:alert(1)",
        "JAVASCRIPT:alert(1)",
        "\x01javascript:alert(1)",
        "data:text/html,x",
        "vbscript:x",
        "ftp://a.example/",
    ],
)
def test_template_urls_are_judged_by_the_same_sanitizer(url):
    """``safe_url`` in the templates (guide and channel addresses) asks the same question."""
    assert not allowed_url(url)
    env = text().env
    assert env.from_string("{{ url | safe_url }}").render(url=url) == ""


# --- text a theme parses again ---------------------------------------------------------------------

MARKUP = [
    "<img src=x onerror=alert(1)>",
    "&lt;img src=x onerror=alert(1)&gt;",
    "&#60;svg onload=alert(1)&#62;",
    "&#60svg onload=alert(1)&#62",
    "&amp;lt;b&amp;gt;",
    "<svg/onload=alert(1)>",
    "AT&T and 2 < 3",
]
"""Markup, markup as character references (with and without semicolons), and plain text."""


def _title_reads(value: str, written: str) -> None:
    """A title the browser decoded (``value``): inert when parsed again, and reads as written."""
    assert tags_after_reparse(value) == [], value
    assert BeautifulSoup(value, "html.parser").get_text().replace(WJ, "") == written


@pytest.mark.parametrize("definition", MARKUP)
def test_glossary_tooltip_markup_is_inert(definition):
    """The glossary becomes ``*[Term]: definition`` lines on every page; Material's tooltips
    set the ``<abbr title>`` as innerHTML on hover."""
    policy = PolicySet(glossary=(Term("Ledger", definition),))
    renderer = Renderer(policy)
    page = markdown.markdown("A Ledger entry.", extensions=["abbr", PolicyBlocksExtension(renderer=renderer)])
    titles = [abbr["title"] for abbr in BeautifulSoup(page, "html.parser").find_all("abbr")]
    assert len(titles) == 1, page
    _title_reads(titles[0], definition)
    # The same term inside policy text (its own abbreviations) and a link title in policy text.
    inside = BeautifulSoup(
        str(renderer.text.block(f'A Ledger and [x](https://a.example/ "{definition}")')), "html.parser"
    )
    for element in inside.select("abbr, a"):  # a Markdown link title decodes references that end in ";"
        decoded = re.sub(r"&#?\w+;", lambda m: html.unescape(m[0]), definition)
        _title_reads(element["title"], decoded if element.name == "a" else definition)


def test_a_term_markdown_could_not_read_as_an_abbreviation_line_still_gets_its_tooltip():
    """Terms go to the page's abbreviations directly, not as ``*[Term]: …`` lines to parse."""
    odd = "A]: <img src=x onerror=alert(1)> x"
    policy = PolicySet(glossary=(Term(odd, "d1"), Term("C:\\Temp", "d2"), Term("Fine", "<b>d</b>")))
    page = markdown.markdown(
        "Files go to C:\\Temp. Fine.", extensions=["abbr", PolicyBlocksExtension(renderer=Renderer(policy))]
    )
    titles = {a.get_text(): a["title"] for a in BeautifulSoup(page, "html.parser").find_all("abbr")}
    assert titles == {"C:\\Temp": "d2", "Fine": f"<{WJ}b>d<{WJ}/b>"}
    assert "*[" not in page and "<img" not in page


@pytest.mark.parametrize("name", MARKUP)
def test_heading_text_is_inert_for_the_table_of_contents(name):
    """Material prints a table-of-contents entry unescaped and shows one that does not fit as
    a tooltip of its text (``title = innerText``), parsed as HTML."""
    md = markdown.Markdown(extensions=["toc"])
    md.convert(f"## {markdown_escape(name)}")
    printed = BeautifulSoup(md.toc_tokens[0]["name"], "html.parser")  # what the reader sees
    assert printed.find_all(True) == []
    _title_reads(printed.get_text(), name)


@pytest.mark.parametrize("title", MARKUP)
def test_nav_titles_are_inert_however_the_theme_prints_them(title):
    shown = nav_title(title)
    printed = BeautifulSoup(shown, "html.parser")  # nav: printed unescaped
    assert printed.find_all(True) == []
    assert tags_after_reparse(printed.get_text()) == []  # a nav entry that does not fit: a tooltip
    from markupsafe import Markup

    assert tags_after_reparse(Markup(shown).striptags()) == []  # <title>: striptags unescapes


def test_inert_text_reads_the_same():
    for value in MARKUP:
        assert inert(value).replace(WJ, "") == value
        assert inert(inert(value)) == inert(value)


# --- downloads ---------------------------------------------------------------------------------------

DROPPED = [  # (Markdown, what a download carries instead)
    ("See [x](javascript:alert(1)) now", "See x now"),
    ("See [x](&#106;avascript:alert(1)) now", "See x now"),
    ("See [x](javascript\\:alert(1)) now", "See x now"),  # CommonMark unescapes \: first
    ("![alt](data:text/html,x)", "alt"),
    ("[a][r]\n\n[r]: javascript:alert(1)", "[a][r]\n\n[r]:"),
    ("<javascript:alert(1)>", "javascript:alert(1)"),
    ("[[a](javascript:1)](https://ok.example/)", "[a](https://ok.example/)"),
    (
        '[ok](https://a.example/ "t") and [mail](mailto:a@b.example)',
        '[ok](https://a.example/ "t") and [mail](mailto:a@b.example)',
    ),
    ("\\[x](javascript:1) is not a link", "\\[x](javascript:1) is not a link"),
]


@pytest.mark.parametrize(("source", "carried"), DROPPED, ids=[s for s, _ in DROPPED])
def test_downloads_drop_the_links_the_site_drops(source, carried):
    assert drop_unsafe_links(source) == carried


LINKY = (
    "Read [the guide](&#106;avascript:alert(1)), [help](https://a.example/help) and "
    '<a href="javascript:alert(1)">raw</a>.'
)


def _hostile_template() -> TicketTemplate:
    fields = (
        TicketField(
            id="what",
            label="What [x](javascript:alert(1))",
            kind="multiline",
            help=LINKY,
            required_when="[w](javascript:alert(1)) applies",
            sensitive="[s](data:text/html,x)",
        ),
    )
    return TicketTemplate("t", "Ticket", fields, intro=LINKY, tip=LINKY)


RENDERS_MARKDOWN = {"markdown", "github"}
"""Formats whose text a tracker renders as Markdown; the others are plain text (email), data
(JSON Schema) or hidden in comments (GitLab)."""


def _rendered(fmt_id: str, out: str) -> list[str]:
    """Every piece of a download as HTML, the way the worst reader would render it: Markdown
    pieces as Markdown with raw HTML on; plain text as Markdown with its markup as text."""
    if fmt_id == "github":  # the form's description is plain text in the template chooser
        form = yaml.safe_load(out)
        pieces = [item["attributes"].get("value") or item["attributes"].get("description", "") for item in form["body"]]
        return [markdown.markdown(piece) for piece in pieces] + [
            markdown.markdown(form["description"].replace("<", "&lt;"))
        ]
    elif fmt_id == "json-schema":
        schema = json.loads(out)
        pieces = [schema["description"], *(p.get("description", "") for p in schema["properties"].values())]
    elif fmt_id == "gitlab":
        pieces = [out.replace("<!--", "").replace("-->", "")]  # as if a writer removed the comments
    else:
        pieces = [out]
    if fmt_id not in RENDERS_MARKDOWN:
        pieces = [piece.replace("<", "&lt;") for piece in pieces]
    return [markdown.markdown(piece) for piece in pieces]


@pytest.mark.parametrize("fmt", TICKET_FORMATS, ids=[fmt.id for fmt in TICKET_FORMATS])
def test_downloads_carry_no_link_the_site_would_drop(fmt):
    out = fmt.render(_hostile_template(), PolicySet())
    followed = [url for rendered in _rendered(fmt.id, out) for url in addresses(rendered)]
    assert {browser_scheme(url) for url in followed} <= {"", "https"}, followed
    assert "the guide" in out and "https://a.example/help" in out  # link text and safe links survive


def test_the_compose_link_body_drops_them_too():
    from support_policies.exports.mailto import compose
    from support_policies.model import Channel

    template = TicketTemplate(
        "t",
        "Ticket",
        (TicketField(id="f", label="F", kind="text"),),
        intro="Read [the guide](&#106;avascript:alert(1)) first.",
    )
    policy = PolicySet(
        ticket_templates=(template,),
        channels=(Channel(id="c", kind="email", name="C", address="c@a.example", template="t"),),
    )
    body = compose(policy.channels[0], policy).body
    assert "Read the guide first." in body and "javascript" not in body


# --- Markdown stash placeholders ------------------------------------------------------------------------

PLACEHOLDER = "\x02wzxhzdk:0\x03"


def _site_markdown(renderer: Renderer) -> markdown.Markdown:
    names = [e if isinstance(e, str) else next(iter(e)) for e in SITE_EXTENSIONS]
    configs = {next(iter(e)): next(iter(e.values())) for e in SITE_EXTENSIONS if isinstance(e, dict)}
    extensions = [name for name in names if name != "support_policies.markdown"]
    return markdown.Markdown(
        extensions=[*extensions, PolicyBlocksExtension(renderer=renderer)], extension_configs=configs
    )


def test_stash_placeholder_in_name_builds():
    """A tier name, a glossary term and its definition holding a placeholder: every generated
    page and a hand-written page with fragments render, with the name as written (less the
    two control characters) and no stashed HTML spliced in. The schema refuses the
    characters too (next test); this is the construction behind it, for any model."""
    policy = load_policies([REPO / "policies"]).policy
    tiers = tuple(replace(t, name=f"Break {PLACEHOLDER} Fix") if t.id == "premium" else t for t in policy.tiers)
    glossary = (*policy.glossary, Term(f"Fix{PLACEHOLDER}", f"Means {PLACEHOLDER} mended."))
    renderer = Renderer(replace(policy, tiers=tiers, glossary=glossary))
    md = _site_markdown(renderer)
    written = "Break wzxhzdk:0 Fix"
    shown = 0
    pages = [(p.path, p.markdown) for p in render_pages(renderer)]
    pages.append(("hand-written.md", "# Home\n\n[[support-policies tier-matrix]]\n\n[[support-policies hours]]\n"))
    for path, source in pages:
        out = md.reset().convert(source)
        assert "\x02" not in out and "\x03" not in out, path
        rest = out.replace(written, "").replace("Fixwzxhzdk:0", "").replace("Means wzxhzdk:0 mended", "")
        assert "wzxhzdk:0" not in rest, path  # only where the policy wrote it: no stashed HTML in its place
        shown += written in out
    assert shown >= 2  # the plans page and the matrix


def test_stash_placeholder_in_a_name_is_a_finding_not_a_crash(tmp_path):
    from sites import copy_sample, mkdocs_build

    project = copy_sample(tmp_path)
    tiers = project / "policies" / "tiers.yaml"
    tiers.write_text(
        tiers.read_text("utf-8").replace("name: Premium", 'name: "Break \\x02wzxhzdk:0\\x03 Fix"', 1), "utf-8"
    )
    done = mkdocs_build(project)
    assert done.returncode != 0
    assert "schema.control-character" in done.stderr and "Traceback" not in done.stderr, done.stderr[-3000:]


def test_stash_placeholder_in_a_web_address_builds_the_site(tmp_path):
    """Web addresses may hold the characters (the schema only bars spaces and quotes there):
    a guide tile's address with a placeholder, shown by a fragment in a hand-written page, once
    spliced stashed HTML into the link."""
    from sites import copy_sample, mkdocs_build, soup

    project = copy_sample(tmp_path)
    journeys = project / "policies" / "journeys.yaml"
    old = "url: https://help.tallyweave.example/guides/ledgerly-online"
    assert old in journeys.read_text("utf-8")
    journeys.write_text(
        journeys.read_text("utf-8").replace(
            old, 'url: "https://help.tallyweave.example/guides/\\x02wzxhzdk:0\\x03ledgerly"', 1
        ),
        "utf-8",
    )
    with (project / "docs" / "getting-started.md").open("a", encoding="utf-8") as page:
        page.write("\n[[support-policies journey journey=connect-accounting]]\n")
    done = mkdocs_build(project)
    assert done.returncode == 0, done.stderr
    links = soup(project / "site" / "getting-started" / "index.html").select(".sp-tiles a")
    assert links and links[0]["href"] == "https://help.tallyweave.example/guides/wzxhzdk:0ledgerly"


def test_unstash_removes_only_the_placeholder_delimiters():
    assert unstash(f"a{PLACEHOLDER}b\tc\n") == "awzxhzdk:0b\tc\n"


def test_clean_html_keeps_what_markdown_makes():
    fragment = (
        '<p><a href="https://a.example/" title="t">a</a> <em>e</em> <strong>s</strong> <code>c</code>'
        '<abbr title="d">T</abbr><br /><img alt="i" src="i.png" /></p><ol start="3"><li>x</li></ol>'
        '<div class="highlight"><pre><span></span><code><span class="k">if</span></code></pre></div>'
        "<blockquote><p>q</p></blockquote><h2>h</h2><hr />"
    )
    assert clean_html(fragment) == (
        '<p><a href="https://a.example/" title="t">a</a> <em>e</em> <strong>s</strong> <code>c</code>'
        '<abbr title="d">T</abbr><br><img alt="i" src="i.png"></p><ol start="3"><li>x</li></ol>'
        '<div class="highlight"><pre><span></span><code><span class="k">if</span></code></pre></div>'
        "<blockquote><p>q</p></blockquote><h2>h</h2><hr>"
    )
