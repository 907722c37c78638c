"""Generated words in the reader's language: the catalogs, the pseudo-language scan, German formatting.

The pseudo-language (``en-XA``) marks every translated or formatted string ⟦…⟧. The scan
builds the sample, every free-text field of its policies marked «…» as the German text would
be, and requires that nothing else is left of any generated page or download: a word a
template or module writes without the catalog shows up as unmarked text.
"""

from __future__ import annotations

import html
import json
import re
from datetime import date, datetime, time, timedelta
from pathlib import Path

import payloads
import pytest
import yaml
from babel.messages.extract import DEFAULT_KEYWORDS, extract_from_dir
from babel.messages.frontend import parse_mapping_cfg
from babel.messages.pofile import read_po

from support_policies import i18n, wording
from support_policies.exports.site import site_files
from support_policies.loader import load_text
from support_policies.model import Duration
from support_policies.pages import DEFAULT_PAGES
from support_policies.policyset import load_policies
from support_policies.render import Renderer
from support_policies.validate import compiled_verdict

REPO = Path(__file__).resolve().parent.parent
PACKAGE = REPO / "plugins" / "support_policies"
KEYWORDS = {"_": None, "N_": None, "N_plural": (1, 2), "ngettext": (1, 2)}
"""The gettext functions ``./dev.sh catalogs`` extracts (its ``-k`` options)."""
PLACEHOLDER = re.compile(r"\{\w+\}")
SCHEMA = payloads.validator(payloads.ROOT)


def extracted() -> set[str]:
    with (REPO / "babel.cfg").open(encoding="utf-8") as cfg:
        method_map, options_map = parse_mapping_cfg(cfg)
    found = set()
    keywords = {**DEFAULT_KEYWORDS, **KEYWORDS}  # pybabel's -k adds to its defaults
    for _, _, message, _, _ in extract_from_dir(str(PACKAGE), method_map, options_map, keywords):
        found.add(message[0] if isinstance(message, tuple) else message)
    return found


def catalog(path: Path):
    with path.open("rb") as file:
        return read_po(file)


def shipped() -> list[Path]:
    return sorted(PACKAGE.glob("locale/*/LC_MESSAGES/messages.po"))


def test_the_template_holds_every_message_the_code_has():
    template = {
        m.id if isinstance(m.id, str) else m.id[0] for m in catalog(PACKAGE / "locale" / "messages.pot") if m.id
    }
    assert template == extracted(), "run ./dev.sh catalogs"


def test_german_is_shipped_and_available():
    assert [p.parent.parent.name for p in shipped()] == ["de"]
    assert i18n.available() == ("en", "de")


@pytest.mark.parametrize("po", shipped(), ids=lambda p: p.parent.parent.name)
def test_every_catalog_translates_every_message_with_its_placeholders(po):
    template = {
        m.id if isinstance(m.id, str) else m.id[0] for m in catalog(PACKAGE / "locale" / "messages.pot") if m.id
    }
    messages = [m for m in catalog(po) if m.id]
    assert {m.id if isinstance(m.id, str) else m.id[0] for m in messages} == template, "run ./dev.sh catalogs"
    for message in messages:
        ids = message.id if isinstance(message.id, tuple) else (message.id,)
        strings = message.string if isinstance(message.string, tuple) else (message.string,)
        assert not message.fuzzy, ids[0]
        assert all(strings), f"untranslated: {ids[0]!r}"
        wanted = sorted(PLACEHOLDER.findall(ids[-1]))
        for text in strings:
            assert sorted(PLACEHOLDER.findall(text)) == wanted, (ids[0], text)
            assert text.startswith(" ") == ids[0].startswith(" "), ids[0]


def test_an_unknown_language_names_the_ones_there_are_and_the_file_to_add():
    with pytest.raises(i18n.UnknownLanguage, match=r"'fr'.*available: en, de.*locale/fr/LC_MESSAGES/messages\.po"):
        i18n.language("fr")
    with pytest.raises(i18n.UnknownLanguage, match="xx_YY"):
        i18n.language("de", "xx_YY")


def test_a_regional_tag_reads_its_language_and_formats_as_its_region():
    austrian = i18n.language("de_at")
    assert austrian.tag == "de-AT" and str(austrian.locale) == "de_AT"
    with i18n.use(austrian):
        assert i18n.gettext("Not covered") == "Nicht abgedeckt"
        assert i18n.long_date(date(2027, 1, 8)) == "8. Jänner 2027"  # Austrian German names January so


def test_german_words_dates_numbers_and_lists():
    with i18n.use(i18n.language("de")):
        assert wording.days(["mon", "tue", "wed", "thu", "fri"]) == "Montag bis Freitag"
        assert wording.interval(["mon", "tue", "wed", "thu", "fri"], "8:00", "17:00", "America/Chicago") == (
            "Montag bis Freitag, 08:00–17:00 (Chicago)"
        )
        assert wording.date_or_name("2027-03-08") == "8. März 2027"
        assert wording.listing(["Critical", "High", "Low"]) == "Critical, High und Low"
        assert wording.listing(["A", "B", "C"], "or") == "A, B oder C"
        assert wording.duration(Duration(1, "h")) == "1 Stunde"
        assert wording.duration(Duration(4, "h"), business=True) == "4 Geschäftsstunden"
        assert wording.wait(timedelta(hours=1200)) == "1.200 Stunden"
        assert i18n.percent(99.9) == "99,9\xa0%"
        assert i18n.zone("Europe/Vienna") == "Wien"
        assert i18n.moment(datetime(2026, 12, 4, 16, 0)).startswith("Freitag, 4. Dezember 2026")
    with i18n.use(i18n.language("en")):
        assert wording.interval(["sat", "sun"], "22:00", "6:00", "Europe/Vienna") == (
            "Saturday and Sunday, 22:00–06:00 the next day (Vienna)"
        )
        assert wording.wait(timedelta(hours=1200)) == "1,200 hours"


def test_a_locale_changes_the_formats_not_the_words():
    with i18n.use(i18n.language("en", "en_US")):
        assert wording.date_or_name("2027-03-08") == "March 8, 2027"
        assert i18n.clock_time(time(17, 30)) == "5:30\u202fPM"
        assert i18n.gettext("Not covered") == "Not covered"


# --- the pseudo-language scan ---------------------------------------------------------------------


MARK = re.compile(r"⟦[^⟦⟧]*⟧")
"""A generated string, innermost first (a sentence holds formatted values)."""
POLICY = re.compile(r"«[^«»]*»")
"""Policy text, as the scan's policies give it for the pseudo-language."""
NOT_WORDS = [
    re.compile(r"<wbr>"),  # inside an address
    re.compile(r"```.*?```", re.S),  # code samples of policy text
    re.compile(r"<code>.*?</code>", re.S),
    re.compile(r"<svg.*?</svg>", re.S),  # icons
    re.compile(r"<[^>]*>"),
    re.compile(r"\{[#:.][^}]*\}|\{ [^}]*\}"),  # Markdown attribute lists
    re.compile(r"\]\([^)]*\)"),  # link targets
    re.compile(r"`[^`]*`"),
    re.compile(r"&#?\w+;"),
    re.compile(r"(?:https?|mailto|tel):[^\s\"')<]+|[\w.+-]+@[\w.-]+\.\w+"),
    re.compile(r"\b[\w-]+(?:\.[\w-]+)*\.(?:md|ics|json|xml|yml|yaml|txt)\b"),  # file names
    re.compile(r"\b[a-z0-9]+(?:-[a-z0-9]+)+\b"),  # ids in anchors
    re.compile(r"\b(?:[A-Z][a-z]+/)+[A-Za-z_]+\b"),  # IANA zone ids (data, not words)
    re.compile(r"^ *(?:!!!|\?\?\?\+?) \w+", re.M),  # an admonition's type
]
ALLOWED = {"JSON", "YAML", "URL", "API", "SLA"}
"""Words that are the same in every language and may stand unmarked: format names."""


def _mark_policy_text(files: dict) -> dict:
    """Every free-text field given per language: English as written, the pseudo-language «marked»
    (each field the schema lets hold a text per language)."""
    fields = payloads.free_text_fields()
    for data in files.values():
        if "organization" in data:
            data["organization"]["languages"] = ["en", i18n.PSEUDO]
        for path, where, _ in list(payloads.data_strings(data, payloads.ROOT, "policy")):
            text = payloads.get_at(data, path)
            if where not in fields:
                continue
            payloads.set_at(data, path, {"en": text, i18n.PSEUDO: f"«{text}»"})
            verdict = compiled_verdict(data)
            if verdict is None:
                verdict = SCHEMA.is_valid(data)
            if not verdict:  # an address, or a name the holidays package knows: one text
                payloads.set_at(data, path, text)
    return files


@pytest.fixture(scope="module")
def pseudo_site(tmp_path_factory):
    files = {}
    for path in sorted((REPO / "policies").glob("*.yaml")):
        document, _ = load_text(path.read_text("utf-8"), path.name)  # YAML 1.2: dates stay text
        assert document is not None
        files[path.name] = document.data
    folder = tmp_path_factory.mktemp("pseudo") / "policies"
    payloads.write_policies(folder, _mark_policy_text(payloads.completed(payloads.in_one_language(files))))
    result = load_policies([folder], language=i18n.PSEUDO)
    # A marked term no longer appears in the marked texts: glossary.unused is all there is to report.
    assert result.policy is not None and {f.rule for f in result.findings} <= {"glossary.unused"}, result.findings
    renderer = Renderer(result.policy, language=i18n.language(i18n.PSEUDO), base_url="https://help.example/support/")
    return {file.path: file.content.decode("utf-8") for file in site_files(renderer, DEFAULT_PAGES)}


def _unmarked(text: str) -> list[str]:
    for pattern in NOT_WORDS[:4]:
        text = pattern.sub("" if pattern is NOT_WORDS[0] else " ", text)
    text = html.unescape(text)
    text = POLICY.sub(" ", text)
    while MARK.search(text):
        text = MARK.sub(" ", text)
    for pattern in NOT_WORDS[4:]:
        text = pattern.sub(" ", text)
    return [word for word in re.findall(r"[^\W\d_]{2,}", text) if word not in ALLOWED]


def test_the_scan_sees_policy_text_and_generated_words(pseudo_site):
    plans = pseudo_site["plans.md"]
    assert "«Premium»" in plans or "«Premium support»" in plans
    assert "⟦Compare plans⟧" in plans
    assert _unmarked("Not covered ⟦Covered⟧ «policy»") == ["Not", "covered"]


@pytest.mark.parametrize(
    "path",
    [
        "index.md",
        "plans.md",
        "severities.md",
        "tickets.md",
        "scope.md",
        "retention.md",
        "providers.md",
        "known-problems.md",
        "status.md",
        "security.md",
        "glossary.md",
        "changes.md",
        "data.md",
    ],
)
def test_every_word_of_a_generated_page_comes_from_the_catalog(pseudo_site, path):
    assert _unmarked(pseudo_site[path]) == []


def test_every_word_of_the_journeys_comes_from_the_catalog(pseudo_site):
    journeys = [path for path in pseudo_site if path.startswith("journeys/")]
    assert journeys
    for path in journeys:
        assert _unmarked(pseudo_site[path]) == [], path


def test_every_word_of_the_downloads_comes_from_the_catalog(pseudo_site):
    downloads = [path for path in pseudo_site if path.startswith("downloads/")]
    assert len(downloads) >= 5
    for path in downloads:
        text = pseudo_site[path]
        if path.endswith(".yml"):  # a GitHub form: its texts, not its keys
            form = yaml.safe_load(text)
            text = " ".join([form["name"], form["description"], *_values(form["body"])])
        elif path.endswith(".json"):
            text = " ".join(_values(json.loads(text), keys=("title", "description", "examples")))
        assert _unmarked(text) == [], path


def _values(node, keys=("label", "description", "value", "placeholder", "options")):
    if isinstance(node, dict):
        for key, value in node.items():
            if key in keys and isinstance(value, str):
                yield value
            elif key in keys and isinstance(value, list):
                yield from (v for v in value if isinstance(v, str))
            else:
                yield from _values(value, keys)
    elif isinstance(node, list):
        for item in node:
            yield from _values(item, keys)


def test_every_word_of_the_calendars_and_the_feed_comes_from_the_catalog(pseudo_site):
    for path, text in pseudo_site.items():
        if path.endswith(".ics"):
            unfolded = text.replace("\r\n ", "")
            words = [
                line.split(":", 1)[1]
                for line in unfolded.splitlines()
                if line.startswith(("SUMMARY", "DESCRIPTION", "X-WR-CAL"))
            ]
            assert _unmarked(" ".join(words).replace("\\,", ",").replace("\\;", ";")) == [], path
    feed = pseudo_site["policy-changes.xml"]
    texts = re.findall(r"<(?:title|summary|content)[^>]*>(.*?)</", feed, re.S)
    assert texts and _unmarked(" ".join(texts)) == []


def test_every_sentence_of_the_browser_script_comes_from_the_catalog(pseudo_site):
    data = json.loads(pseudo_site["data/calendars.json"])
    assert data["language"] == i18n.PSEUDO and data["messages"]
    for key, message in data["messages"].items():
        assert _unmarked(PLACEHOLDER.sub(" ", message)) == [], key
    script = (PACKAGE / "assets" / "support-policies.js").read_text("utf-8")
    keys = set(re.findall(r'say\("(\w[\w.]*\w)"', script))
    keys |= {f"reason.{code}" for code in re.findall(r'refused\("([\w-]+)"', script)} | {"reason.other"}
    keys |= {f"promise.{kind}" for kind in ("acknowledge", "update", "restore", "resolve")}
    assert keys <= set(data["messages"]), keys - set(data["messages"])
    words = [
        literal
        for line in script.splitlines()
        if not line.strip().startswith(("//", "/*", "*")) and "Error(" not in line and "refused(" not in line
        for literal in re.findall(r'"((?:[^"\\]|\\.)*)"', line)
        if re.search(r"[A-Za-z]{2,} [A-Za-z]{2,}", literal) and literal != "use strict"
    ]
    assert words == [], "the script writes words of its own"


def test_a_third_language_is_one_catalog_dropped_in(tmp_path, monkeypatch):
    from babel.messages.pofile import write_po

    folder = tmp_path / "locale" / "nl" / "LC_MESSAGES"
    folder.mkdir(parents=True)
    template = catalog(PACKAGE / "locale" / "messages.pot")
    template.locale = "nl"
    template["Not covered"].string = "Niet gedekt"
    template["{n} hour"].string = ("{n} uur", "{n} uur")
    with (folder / "messages.po").open("wb") as po:
        write_po(po, template)
    monkeypatch.setattr(i18n, "CATALOGS", tmp_path / "locale")
    i18n.language.cache_clear()
    try:
        assert i18n.available() == ("en", "nl")
        with i18n.use(i18n.language("nl")):
            assert i18n.gettext("Not covered") == "Niet gedekt"
            assert wording.duration(Duration(3, "h")) == "3 uur"
            assert wording.days(["mon", "tue", "wed"]) == "maandag to woensdag"  # untranslated: English words
            assert i18n.long_date(date(2027, 3, 8)) == "8 maart 2027"  # Babel's Dutch, with no work at all
    finally:
        i18n.language.cache_clear()
