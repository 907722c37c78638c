"""Policy text in several languages: organization.languages and {en: …, de: …} texts."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from mkdocs.commands.build import build
from mkdocs.config import load_config
from mkdocs.exceptions import Abort

from support_policies.policyset import load_policies

BILINGUAL = {
    "organization.yaml": """\
        organization:
          name: Example
          languages: [en, de]
          timezone: Europe/Berlin
          intro:
            en: We answer every ticket.
            de: Wir beantworten jedes Ticket.
        """,
    "severities.yaml": """\
        severities:
          - id: critical
            rank: 1
            name: {en: Critical, de: Kritisch}
            definition:
              en: Everything is down.
              de: Nichts geht mehr.
            examples:
              - {en: The API answers 503., de: Die API antwortet mit 503.}
              - Error E-17
          - id: low
            rank: 2
            name: {en: Low, de: Niedrig}
            definition: {en: A question., de: Eine Frage.}
        """,
    "tiers.yaml": """\
        tiers:
          - id: standard
            name: Standard
            level: 1
            obtained: included
            hours: 24x7
            targets:
              critical:
                acknowledge:
                  within: 1h
                  clock: 24x7
                  condition:
                    requires: {en: You call us., de: Sie rufen uns an.}
                    otherwise: {within: 4h, clock: 24x7}
              low:
                acknowledge: {within: 8h, clock: 24x7}
        """,
}


@pytest.fixture
def bilingual(write_policy):
    def make(**changes: str) -> Path:
        for name, text in {**BILINGUAL, **changes}.items():
            path = write_policy(f"policies/{name}", text)
        return path.parent

    return make


def test_each_language_reads_its_own_text_and_plain_text_is_the_same_in_both(bilingual):
    folder = bilingual()
    english, german = (load_policies([folder], language=tag) for tag in ("en", "de"))
    assert english.ok and german.ok, (english.findings, german.findings)
    assert english.policy.organization.intro == "We answer every ticket."
    assert german.policy.organization.intro == "Wir beantworten jedes Ticket."
    critical = german.policy.severity("critical")
    assert (critical.name, critical.definition) == ("Kritisch", "Nichts geht mehr.")
    assert critical.examples == ("Die API antwortet mit 503.", "Error E-17")  # a plain text in every language
    condition = german.policy.tier("standard").targets["critical"].acknowledge.condition
    assert condition.requires == "Sie rufen uns an."
    assert german.policy.tier("standard").name == english.policy.tier("standard").name == "Standard"


def test_the_default_is_the_first_listed_language_and_a_region_reads_its_language(bilingual):
    folder = bilingual()
    assert load_policies([folder]).policy.organization.intro == "We answer every ticket."
    assert load_policies([folder], language="de-AT").policy.organization.intro == "Wir beantworten jedes Ticket."


def test_a_missing_translation_is_an_error_wherever_the_set_is_read(bilingual):
    folder = bilingual(
        **{"severities.yaml": BILINGUAL["severities.yaml"].replace("de: Eine Frage.", "fr: Une question.")}
    )
    for language in ("en", "de"):
        result = load_policies([folder], language=language)
        found = {(f.rule, f.file.rsplit("/", 1)[-1], f.line, f.column) for f in result.findings}
        assert ("policy.missing-translation", "severities.yaml", 14, 17) in found
        assert ("policy.unknown-language", "severities.yaml", 14, 35) in found
        assert not result.ok
    missing = next(f for f in result.findings if f.rule == "policy.missing-translation")
    assert missing.message == "this text is not given in de"
    assert "organization.languages lists en, de" in missing.hint


def test_a_text_per_language_needs_the_languages_listed(bilingual):
    folder = bilingual(
        **{"organization.yaml": BILINGUAL["organization.yaml"].replace("          languages: [en, de]\n", "")}
    )
    result = load_policies([folder])
    assert {f.rule for f in result.findings} == {"policy.unknown-language"}
    assert all(f.message == "'de' is not a language of these policies" for f in result.findings)


def test_a_site_in_a_language_the_policies_are_not_written_in_is_refused(bilingual, run_cli, tmp_path):
    folder = bilingual()
    result = load_policies([folder], language="fr")
    (finding,) = result.findings
    assert finding.rule == "policy.language-not-written"
    assert finding.message == "the site is built in 'fr', but the policies are written in en, de"
    assert (finding.line, finding.column) == (3, 14)  # organization.languages
    code, out, err = run_cli("export", folder, "--out", "out", "--language", "de", cwd=tmp_path)
    assert code == 0, out + err
    code, out, err = run_cli("export", folder, "--out", "out2", "--language", "fr", cwd=tmp_path)
    assert code == 2 and "no catalog for the language 'fr'" in err  # no words for French either


def test_an_english_only_set_cannot_make_a_german_site(repo, run_cli, tmp_path):
    code, out, _ = run_cli(
        "export", repo / "examples" / "support-tiers" / "policies", "--out", "o", "--language", "de", cwd=tmp_path
    )
    assert code == 1
    assert "policy.language-not-written" in out and "Add de to organization.languages" in out
    assert not (tmp_path / "o").exists()


def test_the_schema_checks_each_language_text_with_its_own_position(bilingual):
    folder = bilingual(
        **{
            "organization.yaml": BILINGUAL["organization.yaml"].replace(
                "de: Wir beantworten jedes Ticket.", 'de: "Wir beantworten\\u0007 jedes Ticket."'
            )
        }
    )
    (finding,) = load_policies([folder]).findings
    assert (finding.rule, finding.line, finding.column) == ("schema.control-character", 7, 9)
    folder = bilingual(
        **{"severities.yaml": BILINGUAL["severities.yaml"].replace("{en: Low, de: Niedrig}", "{EN: Low}")}
    )
    (finding,) = load_policies([folder]).findings
    assert (finding.rule, finding.line, finding.column) == ("schema.key-name", 13, 12)
    assert finding.message == "'EN' is not a language tag in severities[1].name"


def test_the_export_is_in_the_language_asked_for(bilingual, run_cli, tmp_path):
    folder = bilingual()
    code, out, err = run_cli("export", folder, "--out", "de", "--language", "de", "--pages", "all", cwd=tmp_path)
    assert code == 0, out + err
    document = json.loads((tmp_path / "de" / "data" / "policies.json").read_text("utf-8"))
    assert document["language"] == "de"
    assert document["policy"]["organization"]["intro"] == "Wir beantworten jedes Ticket."
    severities = (tmp_path / "de" / "severities.md").read_text("utf-8")
    assert "# Schweregrade" in severities and "Nichts geht mehr." in severities and "Everything" not in severities


def test_the_plugin_refuses_a_theme_language_the_policies_are_not_written_in(repo, tmp_path, monkeypatch, caplog):
    site = tmp_path / "site"
    (site / "docs").mkdir(parents=True)
    (site / "docs" / "index.md").write_text("# Home\n", "utf-8")
    (site / "mkdocs.yml").write_text(
        "site_name: S\ntheme: {name: material, language: de}\n"
        f"plugins: [{{support-policies: {{policies: {repo / 'examples' / 'support-tiers' / 'policies'}}}}}]\n",
        "utf-8",
    )
    monkeypatch.chdir(site)
    with pytest.raises(Abort):
        build(load_config(str(site / "mkdocs.yml")))
    assert "policy.language-not-written" in caplog.text and "the plugin's language option" in caplog.text
    (site / "mkdocs.yml").write_text(
        (site / "mkdocs.yml").read_text("utf-8").replace("policies}}", "policies, language: en}}"), "utf-8"
    )
    build(load_config(str(site / "mkdocs.yml")))  # the support pages stay English, as the policies are
    assert '<html lang="de"' in (site / "site" / "index.html").read_text("utf-8")
