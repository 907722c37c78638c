"""The shipped JSON Schema: valid, self-describing, closed, and true to the samples."""

from __future__ import annotations

import importlib.util
import re
from pathlib import Path

import pytest
import yaml
from jsonschema import Draft202012Validator

from support_policies.loader import load_file
from support_policies.model import LIST_SECTIONS, SINGLE_SECTIONS
from support_policies.validate import load_schema, validate

REPO = Path(__file__).resolve().parent.parent
SCHEMA = load_schema()


def walk(node, path=()):
    """Every (path, schema object) in the schema, depth first."""
    if isinstance(node, dict):
        yield path, node
        for key, value in node.items():
            yield from walk(value, path + (key,))
    elif isinstance(node, list):
        for i, value in enumerate(node):
            yield from walk(value, path + (i,))


def properties():
    """(path, name, schema) of every property declared anywhere in the schema."""
    for path, node in walk(SCHEMA):
        if path[-1:] == ("properties",):
            continue  # a properties block maps names to schemas; it is not a schema itself
        if isinstance(node.get("properties"), dict):
            for name, schema in node["properties"].items():
                yield "/".join(map(str, path + ("properties", name))), name, schema


def test_schema_is_valid_draft_2020_12():
    assert SCHEMA["$schema"] == "https://json-schema.org/draft/2020-12/schema"
    Draft202012Validator.check_schema(SCHEMA)


def test_schema_has_an_id_title_and_description():
    assert "$id" not in SCHEMA  # the site gives the published copy the address it is published at
    assert SCHEMA["title"] and SCHEMA["description"]


def test_every_property_has_a_title_and_a_description():
    missing = [path for path, _, schema in properties() if not (schema.get("title") and schema.get("description"))]
    assert missing == []


def _schema_keywords():
    """tests/editor/schema_keywords.py, which writes the editor keywords into the schemas."""
    spec = importlib.util.spec_from_file_location("schema_keywords", REPO / "tests" / "editor" / "schema_keywords.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


@pytest.mark.parametrize("name", ["policy.schema.json", "settings.schema.json"])
def test_editor_keywords_are_written_from_the_descriptions(name):
    """The committed schema is what editors read: it must hold what schema_keywords.py writes."""
    committed = (REPO / "plugins" / "support_policies" / "schemas" / name).read_text("utf-8")
    assert committed == _schema_keywords().render(name), (
        f"{name} is out of date: run .venv/bin/python tests/editor/schema_keywords.py"
    )


@pytest.mark.parametrize("name", ["policy.schema.json", "settings.schema.json"])
def test_every_description_has_a_markdown_description_for_the_editor(name):
    missing = [
        "/".join(map(str, path)) or "(root)"
        for path, node in walk(load_schema(name))
        if path[-1:] != ("properties",)
        and "description" in node
        and not node.get("markdownDescription")
        and "defaultSnippets" not in path  # a snippet's description is its completion text
    ]
    assert missing == []


def test_every_pattern_has_a_message_in_the_writers_words():
    patterns = [(path, node) for path, node in walk(SCHEMA) if isinstance(node.get("pattern"), str)]
    assert len(patterns) > 10
    bare = ["/".join(map(str, path)) for path, node in patterns if not node.get("patternErrorMessage")]
    assert bare == []
    for _, node in patterns:
        assert node["pattern"] not in node["patternErrorMessage"]


def test_closed_mappings_without_required_keys_name_their_keys_for_the_editor():
    """yaml-language-server shows errorMessage for every error of its mapping, so it is only on
    mappings whose only errors are an unknown key or a value that is not a mapping."""
    for path, node in walk(SCHEMA):
        if node.get("additionalProperties") is False and "properties" in node:
            if node.get("required"):
                assert "errorMessage" not in node, path
            else:
                assert all(key in node["errorMessage"] for key in node["properties"]), path


def _filled(body):
    """A snippet body with each placeholder replaced by its default, read as YAML."""

    def text(value: str) -> str:
        value = re.sub(r"\$\{\d+:((?:\\.|[^}])*)\}", lambda m: re.sub(r"\\(.)", r"\1", m[1]), value)
        return re.sub(r"\$\{\d+\|([^,|]*)[^}]*\}", r"\1", value)

    if isinstance(body, dict):
        return {text(key): _filled(value) for key, value in body.items()}
    if isinstance(body, list):
        return [_filled(item) for item in body]
    return yaml.safe_load(text(body.removeprefix("^")))


def _snippets():
    """(where, snippet, the schema its body must match) for every snippet in the policy schema."""
    for path, node in walk(SCHEMA):
        for snippet in node.get("defaultSnippets", ()):
            target = node.get("items", node) if node.get("type") == "array" else node
            yield "/".join(map(str, path)) or "(root)", snippet, target


def test_there_are_snippets_for_every_section_and_list_entry():
    labels = [snippet["label"] for _, snippet, _ in _snippets()]
    assert len(labels) > 40
    assert "tiers section with one tier" in labels and "new tier" in labels


@pytest.mark.parametrize(
    ("where", "snippet", "schema"), list(_snippets()), ids=lambda v: v if isinstance(v, str) else ""
)
def test_a_snippet_inserts_a_valid_value_with_its_required_keys(where, snippet, schema):
    value = _filled(snippet["body"])
    resolved = {**SCHEMA["$defs"][schema["$ref"].rsplit("/", 1)[1]], **schema} if "$ref" in schema else schema
    errors = [e.message for e in Draft202012Validator({**resolved, "$defs": SCHEMA["$defs"]}).iter_errors(value)]
    assert errors == []
    for key in resolved.get("required", ()):
        assert key in value


def test_there_are_many_properties_to_check():
    # Guards the walk itself: the schema declares well over a hundred properties.
    assert len(list(properties())) > 100


def test_every_object_forbids_unknown_keys():
    open_objects = [
        "/".join(map(str, path))
        for path, node in walk(SCHEMA)
        if path[-1:] != ("if",)  # a condition ("is it a mapping?"), not a mapping a writer writes
        and (node.get("type") == "object" or "properties" in node)
        and not (node.get("additionalProperties") is False or isinstance(node.get("additionalProperties"), dict))
    ]
    assert open_objects == []


def test_every_reference_resolves():
    refs = [node["$ref"] for _, node in walk(SCHEMA) if isinstance(node.get("$ref"), str)]
    assert refs
    for ref in refs:
        assert ref.startswith("#/$defs/"), ref
        assert ref.removeprefix("#/$defs/") in SCHEMA["$defs"], ref


def test_every_pattern_compiles_as_a_python_regex():
    patterns = [node["pattern"] for _, node in walk(SCHEMA) if isinstance(node.get("pattern"), str)]
    assert patterns
    for pattern in patterns:
        re.compile(pattern)


def test_sections_match_the_model():
    """A section the schema allows but the model does not know would crash the merge."""
    assert set(SCHEMA["properties"]) == set(SINGLE_SECTIONS) | set(LIST_SECTIONS)


@pytest.mark.parametrize(
    ("definition", "good", "bad"),
    [
        ("id", ["critical", "http-401", "a1"], ["Critical", "critical issue", "-x", "x-", "1x", "a--b"]),
        ("duration", ["30m", "4h", "2d", "1w"], ["2 hours", "0h", "4", "4H", "1.5h", "1y"]),
        ("period", ["15d", "3mo", "1y", "2w"], ["3 months", "0d", "3m", "1h"]),
        ("time", ["08:00", "8:00", "23:59", "24:00"], ["25:00", "24:01", "8", "08:60", "8.00"]),
        ("date", ["2026-11-23", "2026-02-28"], ["2026-13-01", "26-11-23", "2026-1-2", "2026-11-32"]),
        ("clock", ["24x7", "office-hours"], ["24/7", "Office"]),
        ("url", ["https://example.com/a?b=c", "http://x.example"], ["example.com", "ftp://x", "https://a b"]),
        ("timezone", ["UTC", "Europe/London", "America/Argentina/Buenos_Aires"], ["London", "utc", "GMT+1"]),
    ],
)
def test_definition_accepts_and_refuses(definition, good, bad):
    validator = Draft202012Validator({**SCHEMA["$defs"][definition], "$defs": SCHEMA["$defs"]})
    assert [value for value in good if not validator.is_valid(value)] == []
    assert [value for value in bad if validator.is_valid(value)] == []


SAMPLES = sorted((REPO / "policies").glob("*.yaml"))


def test_there_are_sample_policies():
    assert len(SAMPLES) >= 10


@pytest.mark.parametrize("path", SAMPLES, ids=lambda p: p.name)
def test_sample_policy_matches_the_schema(path):
    document, findings = load_file(path, path.name)
    assert findings == []
    assert validate(document) == []
