"""Hostile input: markup in every text field, ids that look like paths, files built to
exhaust time or memory, and builds that must come out the same twice."""

from __future__ import annotations

import copy
import itertools
import json
import os
import re
import shutil
import string
import subprocess
import sys
import textwrap
import time
from pathlib import Path

import pytest
import yaml
from bs4 import BeautifulSoup
from markdown import Markdown
from payloads import ROOT, data_strings, get_at, set_at, validator

from support_policies import loader
from support_policies.findings import Level
from support_policies.model import PolicySet
from support_policies.policyset import load_policies
from support_policies.render import Renderer

REPO = Path(__file__).resolve().parent.parent
SAMPLE = {p.name: loader.load_file(p)[0].data for p in sorted((REPO / "policies").glob("*.yaml"))}
EPOCH = "1767225600"  # 2026-01-01: the build date MkDocs writes into the sitemap and its gzip header


# --- building sites ------------------------------------------------------------------------------


def write_policies(folder: Path, files: dict) -> None:
    folder.mkdir(parents=True, exist_ok=True)
    for name, data in files.items():
        (folder / name).write_text(yaml.safe_dump(data, allow_unicode=True, sort_keys=False, width=10**6), "utf-8")


def project_with(tmp_path: Path, files: dict, name: str = "project") -> Path:
    """The sample site (docs, mkdocs.yml) with ``files`` as its policies."""
    project = tmp_path / name
    shutil.copytree(REPO / "docs", project / "docs")
    shutil.copy(REPO / "mkdocs.yml", project / "mkdocs.yml")
    write_policies(project / "policies", files)
    return project


def mkdocs_build(project: Path, *args: str) -> subprocess.CompletedProcess:
    env = {**os.environ, "NO_MKDOCS_2_WARNING": "1", "NO_COLOR": "1", "SOURCE_DATE_EPOCH": EPOCH}
    return subprocess.run(
        [sys.executable, "-m", "mkdocs", "build", *args],
        cwd=project,
        env=env,
        capture_output=True,
        text=True,
        timeout=300,
    )


def pages(site: Path) -> dict[str, BeautifulSoup]:
    return {
        p.relative_to(site).as_posix(): BeautifulSoup(p.read_text("utf-8"), "html.parser")
        for p in sorted(site.rglob("*.html"))
    }


def article(page: BeautifulSoup):
    return page.select_one(".md-content")


def text_of(page: BeautifulSoup) -> str:
    """The article's text as a reader sees it (word joiners, which keep markup in headings
    inert for the theme's tooltips, are invisible)."""
    return " ".join(article(page).get_text(" ").replace("\u2060", "").split())


@pytest.fixture(scope="module")
def sample_site(tmp_path_factory) -> Path:
    """The sample policies (as the tests write them) built into a site."""
    project = project_with(tmp_path_factory.mktemp("sample"), SAMPLE)
    done = mkdocs_build(project, "--strict")
    assert done.returncode == 0, done.stderr
    return project / "site"


# --- payloads in every text field ------------------------------------------------------------------

SHOWN = [
    "<script>alert(1)</script>",
    "<img src=x onerror=alert(1)>",
    '"><svg onload=alert(1)>',
    "</title><script>alert(2)</script>",
    "{{ 7*7 }}",
    "{% raw %}",
    '{: onclick="alert(1)" }',
    "*[HTML]: <b>x</b>",
]
"""Payloads that must reach the reader as the text that was written."""
LINKS = ["[x](javascript:alert(1))", "[y](data:text/html,hi)", "`[w](javascript:1)`"]
"""Links a page must not make: the last one breaks out of a template's `code span`."""
LINE = " ".join(SHOWN[:6] + LINKS + SHOWN[6:])
BLOCK = (
    LINE
    + "\n\n"
    + "\n\n".join(
        [
            "[[support-policies tier-matrix]]",  # a fragment block on a line of its own
            "*[Welcome]: <b>hijacked</b>",  # an abbreviation for a word only the home page uses
            '<div onclick="alert(1)">block</div>',
            "{{ 7*7 }} {% raw %}",
            "[z]: javascript:alert(1)\n\n[link][z]",
        ]
    )
)
SHORT = "`[w](javascript:1)`<i>"
URL = "'onmouseover='alert(1)'&t={{7*7}}"
VARIANTS = {
    "block": " {marker} " + BLOCK,
    "line": " {marker} " + LINE,
    "short": " {marker} " + SHORT,
    "url": "?{marker}=" + URL,
}
"""What is appended to a field, in order of preference: the first its schema accepts."""
VISIBLE = {"block": SHOWN + ["[[support-policies tier-matrix]]"], "line": SHOWN, "short": ["<i>"], "url": []}


def _marker(n: int) -> str:
    """A word no page has and no digit run such as 49 is part of: "Xaab"."""
    return "X" + f"{n:03d}".translate(str.maketrans("0123456789", "abcdefghij"))


def inject(files: dict) -> tuple[dict, dict]:
    """``files`` with a payload appended to every string its schema accepts one in.

    Returns the new files and, per (file, path), the marker that starts its payload and the
    variant used. Ids, times, zones, emails and the like refuse every variant: skipped. Equal
    strings get equal payloads, so a journey's terms still name glossary terms.
    """
    hostile = copy.deepcopy(files)
    planted, markers = {}, {}
    for name, data in files.items():
        for path, _, schema in data_strings(data, ROOT, "policy"):
            accepts = validator(schema).is_valid
            for variant, suffix in VARIANTS.items():
                marker = markers.setdefault((get_at(data, path), variant), _marker(len(markers)))
                value = get_at(data, path) + suffix.replace("{marker}", marker)
                if accepts(value):
                    set_at(hostile[name], path, value)
                    planted[(name, path)] = (marker, variant)
                    break
    return hostile, planted


def drop_refused(folder: Path, files: dict, planted: dict) -> dict:
    """Take back the payloads a rule refuses (markup in an email address); return their findings."""
    refused = {}
    for _ in range(3):
        write_policies(folder, files)
        findings = [f for f in load_policies([folder]).findings if f.level is Level.ERROR]
        if not findings:
            return refused
        for name, path in list(planted):
            at = (name, *loader.load_file(folder / name)[0].positions.value(path))
            messages = [f.message for f in findings if (Path(f.file).name, f.line, f.column) == at]
            if messages:
                refused[(name, path)] = messages
                set_at(files[name], path, get_at(SAMPLE[name], path))
                del planted[(name, path)]
    raise AssertionError(f"payloads refused where none was written: {findings}")


def _scheme(url: str) -> str:
    """A link's scheme as a browser reads it: ignoring case, whitespace and control characters."""
    return re.sub(r"[\x00-\x20]", "", url).lower().split(":", 1)[0] if ":" in url else ""


def scripts(page: BeautifulSoup) -> set:
    return {(s.get("src"), s.string) for s in page.find_all("script")}


@pytest.fixture(scope="module")
def hostile_site(tmp_path_factory):
    tmp_path = tmp_path_factory.mktemp("hostile")
    files, planted = inject(SAMPLE)
    refused = drop_refused(tmp_path / "check", files, planted)
    project = project_with(tmp_path, files)
    done = mkdocs_build(project)  # not --strict: a glossary term with a payload is no longer used (a warning)
    assert done.returncode == 0, done.stderr
    return project / "site", planted, refused


def test_every_free_text_field_gets_a_payload(hostile_site):
    _, planted, refused = hostile_site
    assert len(planted) > 150, len(planted)
    assert {variant for _, variant in planted.values()} == set(VARIANTS), "each variant fits some field"
    # Only a rule that checks the value may refuse it: channel addresses, checked per kind.
    assert {path[-1] for _, path in refused} == {"address"}, refused
    assert all("address" in message for messages in refused.values() for message in messages), refused


def test_no_script_handler_or_unsafe_link_reaches_the_article(hostile_site, sample_site):
    site, _, _ = hostile_site
    expected = pages(sample_site)
    built = pages(site)
    assert built.keys() == expected.keys()
    problems = []
    for name, page in built.items():
        body, before = article(page), article(expected[name])
        problems += [(name, "script", s.string) for s in body.find_all("script") if s not in before.find_all("script")]
        problems += [
            (name, el.name, attr) for el in body.find_all(True) for attr in el.attrs if attr.lower().startswith("on")
        ]
        problems += [
            (name, el.name, el[attr])
            for el in body.find_all(True)
            for attr in ("href", "src", "action")
            if el.get(attr) and _scheme(el[attr]) in ("javascript", "data", "vbscript")
        ]
        problems += [
            (name, selector)
            for selector in ("svg", "img", "b", "i", "div[onclick]")
            if len(body.select(selector)) != len(before.select(selector))
        ]
    assert problems == []


def test_no_script_reaches_the_page_outside_the_article(hostile_site, sample_site):
    site, _, _ = hostile_site
    expected = pages(sample_site)
    problems = [
        (name, sorted(scripts(page) - scripts(expected[name]), key=str))
        for name, page in pages(site).items()
        if not scripts(page) <= scripts(expected[name])
    ]
    assert problems == []


def test_templates_blocks_and_abbreviations_in_text_do_nothing(hostile_site, sample_site):
    site, _, _ = hostile_site
    expected = pages(sample_site)
    problems = []
    for name, page in pages(site).items():
        if text_of(page).count("49") > text_of(expected[name]).count("49"):
            problems.append((name, "{{ 7*7 }} was evaluated"))
        if len(page.select(".sp-tier-matrix")) != len(expected[name].select(".sp-tier-matrix")):
            problems.append((name, "a [[support-policies]] block in text was rendered"))
        problems += [(name, str(a)) for a in page.find_all("abbr") if "hijacked" in a.get("title", "")]
    assert problems == []


def test_payloads_are_shown_as_the_text_that_was_written(hostile_site):
    site, planted, _ = hostile_site
    # Tab labels cannot hold double quotes; plans.md writes them as single quotes.
    text = "\n".join(text_of(page) for page in pages(site).values()).replace('"', "'")
    shown, problems = 0, []
    for (name, path), (marker, variant) in planted.items():
        if not VISIBLE[variant] or f"{marker} " not in text:
            continue  # links, and fields no page shows
        shown += 1
        for at in (m.end() for m in re.finditer(re.escape(marker) + " ", text)):
            window = text[at : at + 2 * len(VARIANTS[variant])]
            missing = [payload for payload in VISIBLE[variant] if payload.replace('"', "'") not in window]
            if missing:
                problems.append((name, ".".join(map(str, path)), missing, window[:200]))
    assert problems == []
    assert shown > 100, shown


SITE_EXTENSIONS = [
    e
    for e in yaml.safe_load((REPO / "mkdocs.yml").read_text("utf-8"))["markdown_extensions"]
    if e != "support_policies.markdown"
]


@pytest.mark.parametrize(
    "context",
    ['=== "Tab"\n\n    {}\n', "- item\n    {}\n", "!!! note\n    {}\n"],
    ids=["tab", "list item", "admonition"],
)
def test_policy_text_stays_text_when_markdown_reads_it_again(context):
    """Under a tab, list item or admonition Markdown reads a fragment's HTML a second time."""
    html = Renderer(PolicySet()).text.block(
        "Text "
        + LINE
        + "\n\n"
        + BLOCK
        + "\n\n```\ncode * with [x](javascript:1)\n```\n\nline\n\\# not a heading\n- no list"
    )
    names = [e if isinstance(e, str) else next(iter(e)) for e in SITE_EXTENSIONS]
    configs = {next(iter(e)): next(iter(e.values())) for e in SITE_EXTENSIONS if isinstance(e, dict)}
    once = BeautifulSoup(str(html), "html.parser")
    twice = BeautifulSoup(
        Markdown(extensions=names, extension_configs=configs).convert(context.format(html)), "html.parser"
    )
    assert " ".join(twice.get_text(" ").split()).endswith(" ".join(once.get_text(" ").split()))
    for tag in ("a", "abbr", "blockquote", "code", "em", "h1", "hr", "img", "script", "strong", "svg", "table"):
        assert [str(t) for t in twice.find_all(tag)] == [str(t) for t in once.find_all(tag)], tag


# --- ids and file names ------------------------------------------------------------------------------

PATHLIKE_IDS = [
    "../../evil",
    "..",
    "a/b",
    "/etc/passwd",
    "CON.md",
    "evil.md",
    "\uff45vil",
    "\u0435vil",
    "x" * 65,
    "evil\u202e",
    "a\\b",
    "%2e%2e",
    "evil\x00",
    " evil",
    "Evil",
]
"""Ids a page or download could be named after: paths, reserved and dotted names, lookalike
letters (fullwidth, Cyrillic), too long, a direction override, a NUL, a space, a capital."""
NAMED = {
    "journeys": ("journeys.yaml", "connect-accounting"),
    "ticket_templates": ("tickets.yaml", "emergency-ticket"),
    "schedules": ("schedules.yaml", "standard-hours"),
}


def renamed(files: dict, old: str, new: str) -> dict:
    """``files`` with every value equal to ``old`` (the id and each reference to it) set to ``new``."""

    def walk(value):
        if isinstance(value, dict):
            return {(new if k == old else k): walk(v) for k, v in value.items()}
        if isinstance(value, list):
            return [walk(v) for v in value]
        return new if value == old else value

    return {name: walk(data) for name, data in files.items()}


@pytest.mark.parametrize("section", NAMED)
def test_ids_that_could_name_a_file_outside_the_site_are_refused(tmp_path, section):
    file, old = NAMED[section]
    for n, bad in enumerate(PATHLIKE_IDS):
        folder = tmp_path / str(n)
        write_policies(folder, renamed(SAMPLE, old, bad))
        result = load_policies([folder])
        document = loader.load_file(folder / file)[0]
        index = next(i for i, item in enumerate(document.data[section]) if item["id"] == bad)
        line, column = document.positions.value((section, index, "id"))
        at_id = [f for f in result.findings if Path(f.file).name == file and (f.line, f.column) == (line, column)]
        assert result.policy is None, bad
        assert [f.rule for f in at_id] in (["schema.format"], ["schema.maxlength"]), (bad, result.findings)
        assert "id" in at_id[0].message and "lower-case" in at_id[0].hint, at_id


def tree(folder: Path, site: Path) -> dict:
    """Every path under ``folder`` outside ``site``, with each file's modification time."""
    return {p: p.is_file() and p.stat().st_mtime_ns for p in folder.rglob("*") if site != p and site not in p.parents}


def test_a_build_writes_only_inside_its_site_folder(tmp_path):
    refused = project_with(tmp_path, renamed(SAMPLE, "connect-accounting", "../../evil"), "refused")
    before = tree(tmp_path, refused / "site")
    done = mkdocs_build(refused)
    assert done.returncode != 0
    assert "policies/journeys.yaml:" in done.stderr, done.stderr
    assert "'../../evil' is not valid [schema.format]" in done.stderr, done.stderr
    assert tree(tmp_path, refused / "site") == before
    assert not list(tmp_path.rglob("*evil*"))

    reserved, near = SAMPLE, SAMPLE
    for _, old in NAMED.values():  # ids become file names: Windows reserves "con", not "con-1"
        reserved, near = renamed(reserved, old, "con"), renamed(near, old, "con-1")
    refused = project_with(tmp_path, reserved, "reserved")
    done = mkdocs_build(refused)
    assert done.returncode != 0
    assert done.stderr.count("'con' is not valid") >= len(NAMED) and "Windows reserves" in done.stderr
    assert not (refused / "site").exists()
    built = project_with(tmp_path, near, "built")
    done = mkdocs_build(built, "--strict")
    assert done.returncode == 0, done.stderr
    assert (built / "site/support/journeys/con-1/index.html").is_file()


ODD_NAMES = [
    "my policies.yaml",
    "políticas ✓.yaml",
    "-tiers.yaml",
    " leading space.yaml",
    "Tiers.YAML",
    "日本語.yml",
    "semi;colon'quote.yaml",
    "a" * 200 + ".yaml",
    os.fsdecode(b"caf\xe9.yaml"),
    "#hash.yaml",
    "$(touch pwned).yaml",
    "back\\slash.yaml",
    "tab\tname.yaml",
    "--changes=all.yaml",
]
"""File names with spaces, unicode, a leading dash, shell syntax and bytes that are not UTF-8."""


def test_policy_files_with_odd_names_load_like_any_other(tmp_path):
    folder = tmp_path / "policies"
    folder.mkdir()
    for data, odd in zip(SAMPLE.values(), ODD_NAMES, strict=False):
        (folder / odd).write_text(yaml.safe_dump(data, allow_unicode=True, sort_keys=False), "utf-8")
    result = load_policies([folder])
    assert result.ok, result.findings
    assert len(result.policy.files) == len(SAMPLE)
    assert not (tmp_path / "pwned").exists()


@pytest.mark.parametrize("name", ODD_NAMES)
def test_a_broken_file_with_an_odd_name_is_named_in_its_finding(tmp_path, name):
    (tmp_path / name).write_text("tiers: 3\n", "utf-8")
    findings = load_policies([tmp_path]).findings
    assert [(Path(f.file).name, f.line, f.column, f.rule) for f in findings] == [(name, 1, 8, "schema.type")]


# --- files built to exhaust time or memory --------------------------------------------------------------

BILLION_LAUGHS = "a: &a [lol, lol, lol, lol, lol, lol, lol, lol, lol]\n" + "".join(
    f"{b}: &{b} [{', '.join(['*' + a] * 9)}]\n" for a, b in zip("abcdefgh", "bcdefghi", strict=True)
)


def _keys(count: int) -> list[str]:
    """``count`` distinct plain keys, shortest first."""
    letters = string.ascii_letters
    words = itertools.chain.from_iterable(itertools.product(letters, repeat=n) for n in itertools.count(1))
    return ["".join(word) for word in itertools.islice(words, count)]


HUGE = {  # what to write, and the finding that refuses it
    "50 MB file": (lambda: b"a: " + b"x" * (50 << 20) + b"\n", "yaml.too-large"),
    "10 MB string": (lambda: b'a: "' + b"x" * (10 << 20) + b'"\n', "yaml.too-large"),
    "100,000 levels of nesting": (lambda: b"a: " + b"[" * 100_000 + b"]" * 100_000 + b"\n", "yaml.too-deep"),
    "billion laughs": (lambda: BILLION_LAUGHS.encode(), "yaml.alias-bomb"),
    "1,000,000-key mapping in 4.9 MB": (lambda: ("{" + ",".join(_keys(1_000_000)) + "}\n").encode(), "yaml.too-large"),
    "2,000,000-item list in 4 MB": (lambda: b"[" + b"1," * 2_000_000 + b"1]\n", "yaml.too-large"),
    "4 MB of text in a text field": (
        lambda: b"organization:\n  name: A\n  intro: " + b"x" * (4 << 20) + b"\n",
        "schema.maxlength",
    ),
}
CHILD = textwrap.dedent("""\
    import json, resource, sys, time
    resource.setrlimit(resource.RLIMIT_AS, (1 << 30, 1 << 30))  # 1 GiB of address space
    from support_policies.policyset import load_policies
    start = time.perf_counter()
    findings = load_policies([sys.argv[1]]).findings
    print(json.dumps({"seconds": round(time.perf_counter() - start, 2),
                      "peak_mib": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss // 1024,
                      "rules": [f.rule for f in findings], "message": findings[0].message[:200]}))
""")


@pytest.mark.parametrize("case", HUGE)
def test_huge_files_are_refused_in_bounded_time_and_memory(tmp_path, case):
    write, rule = HUGE[case]
    path = tmp_path / "huge.yaml"
    path.write_bytes(write())
    done = subprocess.run([sys.executable, "-c", CHILD, str(path)], capture_output=True, text=True, timeout=20)
    assert done.returncode == 0, done.stderr[-2000:]
    report = json.loads(done.stdout)
    assert report["rules"] == [rule], report
    assert report["seconds"] < 10, report


# --- reproducible builds -------------------------------------------------------------------------------


def test_two_builds_of_the_same_policies_are_identical(tmp_path, sample_site):
    """Built again elsewhere from files written later, the site is the same byte for byte.

    MkDocs writes the build date into sitemap.xml and the gzip header of sitemap.xml.gz;
    both builds set SOURCE_DATE_EPOCH (MkDocs' switch for reproducible builds) so that two
    builds either side of midnight agree too.
    """
    project = project_with(tmp_path, SAMPLE, "again")
    later = time.time() + 86_400
    for path in (project / "policies").iterdir():
        os.utime(path, (later, later))
    done = mkdocs_build(project, "--strict")
    assert done.returncode == 0, done.stderr
    first = {p.relative_to(sample_site).as_posix(): p.read_bytes() for p in sample_site.rglob("*") if p.is_file()}
    second = {
        p.relative_to(project / "site").as_posix(): p.read_bytes() for p in (project / "site").rglob("*") if p.is_file()
    }
    assert sorted(first) == sorted(second)
    assert sorted(name for name in first if first[name] != second[name]) == []


def test_a_glossary_term_with_a_backslash_gets_its_tooltip_and_no_stray_line():
    """A term Python-Markdown could not read from a ``*[Term]: …`` line still gets its tooltip."""
    from dataclasses import replace

    import markdown

    from support_policies.markdown import PolicyBlocksExtension
    from support_policies.model import Term
    from support_policies.render import Renderer

    policy = load_policies([REPO / "policies"]).policy
    policy = replace(policy, glossary=(*policy.glossary, Term("C:\\Temp", "A folder on Windows.")))
    html = markdown.markdown(
        "Files go to C:\\Temp first.", extensions=["abbr", PolicyBlocksExtension(renderer=Renderer(policy))]
    )
    assert "*[" not in html and '<abbr title="A folder on Windows.">C:\\Temp</abbr>' in html
