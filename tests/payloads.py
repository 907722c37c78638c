"""The script-payload corpus (tests/data/xss-vectors.yaml) planted in every free-text field.

The fields come from the policy schema, not from a list: a *free-text field* is a string
property of the schema that accepts at least one vector of the corpus (ids, times, zones,
durations and enums accept none). Each is named ``definition.property`` (``tier.summary``,
``subject.prefix``), after the ``$defs`` object that holds it.

:func:`plant` appends vectors to every such string of the sample policies: a field that
takes Markdown gets the whole corpus; a one-line field gets as many one-line vectors as
its schema accepts, in turn, so every vector lands in one-line fields too; an address
field gets one address vector in place of its value. Equal strings get equal payloads,
so references by name (a journey's glossary terms) still resolve. :func:`completed` adds
the few fields the sample policies do not use.
"""

from __future__ import annotations

import copy
import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

import yaml
from jsonschema import Draft202012Validator

from support_policies import loader
from support_policies.findings import Level
from support_policies.policyset import load_policies
from support_policies.validate import load_schema

REPO = Path(__file__).resolve().parent.parent

VECTORS_FILE = Path(__file__).resolve().parent / "data" / "xss-vectors.yaml"
GROUPS: dict[str, list[str]] = yaml.safe_load(VECTORS_FILE.read_text("utf-8"))
VECTORS: list[str] = [vector for group in GROUPS.values() for vector in group]
ONE_LINE = [vector for vector in VECTORS if "\n" not in vector]
ROOT = load_schema()
ANNOTATIONS = {"title", "description", "markdownDescription", "patternErrorMessage", "errorMessage", "defaultSnippets"}
"""Keywords that describe a value without constraining it: equal values under equal constraints get
the same payload (a journey's terms name glossary terms, which must stay the same text)."""


def _resolve(schema: dict) -> tuple[dict, str | None]:
    """``schema`` with its ``$ref`` followed, and the name of the last object definition."""
    name = None
    while "$ref" in schema:
        ref = schema["$ref"].rsplit("/", 1)[1]
        target = ROOT["$defs"][ref]
        if target.get("type") == "object":
            name = ref
        schema = {**target, **{k: v for k, v in schema.items() if k != "$ref"}}
    return schema, name


def validator(schema: dict) -> Draft202012Validator:
    return Draft202012Validator({**schema, "$defs": ROOT["$defs"]})


def _strings(schema: dict, where: str):
    """(where, schema) for every string the schema can hold, following every alternative."""
    schema, name = _resolve(schema)
    where = name or where
    for alternative in [*schema.get("oneOf", []), *schema.get("anyOf", []), *_branches(schema)]:
        yield from _strings(alternative, where)
    if schema.get("type") == "object" or "properties" in schema:
        for key, sub in schema.get("properties", {}).items():
            yield from _strings(sub, f"{where}.{key}")
        if isinstance(schema.get("additionalProperties"), dict):
            yield from _strings(schema["additionalProperties"], where)
    elif schema.get("type") == "array":
        yield from _strings(schema.get("items", {}), where)
    elif schema.get("type") == "string":
        yield where, schema


def free_text_fields() -> set[str]:
    """Every free-text field of the policy schema (see the module)."""
    return {
        where
        for where, schema in _strings(ROOT, "policy")
        if any(validator(schema).is_valid(vector) for vector in VECTORS)
    }


def _branches(schema: dict) -> list[dict]:
    """The branches of an if/then/else (a text, or a mapping of texts per language)."""
    return [schema[key] for key in ("then", "else") if key in schema]


def data_strings(data, schema: dict, where: str, path=()):
    """(path, where, schema) for every string in ``data``, with the schema that governs it."""
    schema, name = _resolve(schema)
    where = name or where
    if "if" in schema:  # a text (else) or its mapping per language (then)
        schema, _ = _resolve(schema["then"] if validator(schema["if"]).is_valid(data) else schema["else"])
    for alternative in schema.get("oneOf", ()):
        if validator(alternative).is_valid(data):
            schema, name = _resolve(alternative)
            where = name or where
    if isinstance(data, dict):
        for key, value in data.items():
            if key in schema.get("properties", {}):
                sub, inner = schema["properties"][key], f"{where}.{key}"
            else:
                sub, inner = schema.get("additionalProperties", {}), where
            yield from data_strings(value, sub, inner, path + (key,))
    elif isinstance(data, list):
        for i, value in enumerate(data):
            yield from data_strings(value, schema.get("items", {}), where, path + (i,))
    elif isinstance(data, str):
        yield path, where, schema


def in_one_language(files: dict, language: str = "en") -> dict:
    """``files`` as if written in ``language`` alone: every text given per language is that
    language's text, and the organization lists no languages."""
    files = copy.deepcopy(files)
    languages = {tag for data in files.values() for tag in data.get("organization", {}).pop("languages", [])}
    for data in files.values():
        for path, _, _ in list(data_strings(data, ROOT, "policy")):
            texts = get_at(data, path[:-1]) if path[-1] in languages else None
            if isinstance(texts, dict) and set(texts) <= languages:
                set_at(data, path[:-1], texts[language])
    return files


def get_at(data, path):
    for part in path:
        data = data[part]
    return data


def set_at(data, path, value):
    get_at(data, path[:-1])[path[-1]] = value


class _Turns:
    """Hands out one-line vectors in turn, so every one is used before any is used twice."""

    def __init__(self):
        self.next = 0

    def fill(self, value: str, accepts) -> tuple[str, list[str]]:
        placed = []
        for step in range(len(ONE_LINE)):
            vector = ONE_LINE[(self.next + step) % len(ONE_LINE)]
            if accepts(f"{value} {vector}"):
                value = f"{value} {vector}"
                placed.append(vector)
        if placed:
            self.next = (ONE_LINE.index(placed[-1]) + 1) % len(ONE_LINE)
        return value, placed


def completed(files: dict) -> dict:
    """``files`` with the free-text fields the sample leaves out, so every field is there."""
    files = copy.deepcopy(files)
    for data in files.values():
        for template in data.get("ticket_templates", [])[:1]:
            template["fields"].append(
                {"id": "choice", "label": "Pick one", "kind": "choice", "options": ["First option", "Second option"]}
            )
        for tier in data.get("tiers", [])[:1]:
            promise = next(t["acknowledge"] for t in tier["targets"].values() if "acknowledge" in t)
            promise["note"] = "A note on the promise."
            otherwise = {"within": promise["within"], "clock": promise["clock"], "note": "A note on the fallback."}
            promise["condition"] = {"requires": "You name a contact.", "otherwise": otherwise}
            tier["clock_rules"] = {"reclassify": "Support may lower the severity."}
        for channel in [c for c in data.get("channels", []) if c.get("response")][:1]:
            channel["response"]["note"] = "A note on the channel's response."
        for schedule in [s for s in data.get("schedules", []) if s.get("hours")][:1]:
            # a special day that changes nothing (closed all day, as a listed holiday already closes
            # it) and a regional schedule naming it: their names and regions reach the hours table
            closed = schedule.get("holidays", {}).get("dates", [])[:1]
            if closed:
                schedule["special_hours"] = [{"date": closed[0]["date"], "name": "A closed day.", "hours": []}]
            data["schedules"].append(
                {
                    "id": "regional-hours",
                    "name": "Regional hours",
                    "timezone": schedule["timezone"],
                    "by_region": [{"region": "Americas", "schedule": schedule["id"]}],
                }
            )
        if "feedback" in data.get("organization", {}):  # the form endpoint's address is free text
            data["organization"]["feedback"] = {"form": "/feedback"}
        if "status" in data and "page" in data["status"]:
            data["status"]["page"]["url"] = "https://status.tallyweave.example/"
        if "severities" in data:  # the sample announces no change: one entry reaches the changes page and feed
            data["changelog"] = [
                {"id": "a-change", "date": "2026-12-01", "summary": "A change.", "details": "What changes."}
            ]
    return files


def plant(files: dict) -> tuple[dict, dict]:
    """``files`` (file name → policy data) with vectors in every free-text string.

    Returns the new files and, per (file name, path), ``(where, vectors planted)``.
    """
    hostile = copy.deepcopy(files)
    planted: dict = {}
    done: dict = {}
    turns = _Turns()
    for file, data in files.items():
        for path, where, schema in data_strings(data, ROOT, "policy"):
            accepts = validator(schema).is_valid
            original = get_at(data, path)
            key = (
                original,
                json.dumps({k: v for k, v in schema.items() if k not in ANNOTATIONS}, sort_keys=True),
            )
            fitting = [vector for vector in VECTORS if accepts(f"{original}\n\n{vector}")]
            if key not in done:
                everything = "\n\n".join([original, *fitting])
                if fitting and "\n" in "".join(fitting) and accepts(everything):
                    done[key] = (everything, fitting)
                else:
                    value, placed = turns.fill(original, accepts)
                    alone = [vector for vector in VECTORS if accepts(vector)]
                    if not placed and alone:  # an address: one vector in its place, in turn
                        placed = [alone[len(done) % len(alone)]]
                        value = placed[0]
                    done[key] = (value, placed)
            value, placed = done[key]
            if placed:
                set_at(hostile[file], path, value)
                planted[(file, path)] = (where, placed)
    return hostile, planted


def write_policies(folder: Path, files: dict) -> None:
    folder.mkdir(parents=True, exist_ok=True)
    for name, data in files.items():
        (folder / name).write_text(yaml.safe_dump(data, allow_unicode=True, sort_keys=False, width=10**6), "utf-8")


def _refused(folder: Path, files: dict, planted: dict) -> dict:
    """The planted values that a rule refuses (an address that is no address): their messages."""
    write_policies(folder, files)
    findings = [f for f in load_policies([folder]).findings if f.level is Level.ERROR]
    refused = {}
    for file, path in planted:
        at = (file, *loader.load_file(folder / file)[0].positions.value(path))
        messages = [f.message for f in findings if (Path(f.file).name, f.line, f.column) == at]
        if messages:
            refused[(file, path)] = messages
    if findings and not refused:
        raise AssertionError(f"payloads refused where none was planted: {findings}")
    return refused


def plant_checked(folder: Path, files: dict) -> tuple[dict, dict, dict]:
    """:func:`plant` (on :func:`completed` files), then each value a rule refuses (an address
    that is no address) is tried with each address vector alone, and else given back its
    original value. Returns files, planted and refused (per (file, path), the first
    messages of the rules that refused it)."""
    originals = completed(files)
    hostile, planted = plant(originals)
    refused: dict = {}
    for attempt in GROUPS["addresses"]:
        now = _refused(folder, hostile, planted)
        for key, messages in now.items():
            refused.setdefault(key, messages)
            set_at(hostile[key[0]], key[1], attempt)
            planted[key] = (planted[key][0], [attempt])
    for key in _refused(folder, hostile, planted):
        set_at(hostile[key[0]], key[1], get_at(originals[key[0]], key[1]))
        del planted[key]
    if _refused(folder, hostile, planted):
        raise AssertionError("a rule refuses an original value")
    for key in planted:
        refused.pop(key, None)
    return hostile, planted, refused


def build_site(project: Path, files: dict) -> Path:
    """The sample site (its docs and mkdocs.yml) with ``files`` as its policies, built into
    ``project/site``; not ``--strict``: glossary terms with a payload are no longer used."""
    shutil.copytree(REPO / "docs", project / "docs")
    shutil.copy(REPO / "mkdocs.yml", project / "mkdocs.yml")
    write_policies(project / "policies", files)
    env = {**os.environ, "NO_MKDOCS_2_WARNING": "1", "NO_COLOR": "1"}
    done = subprocess.run(
        [sys.executable, "-m", "mkdocs", "build"], cwd=project, env=env, capture_output=True, text=True, timeout=300
    )
    assert done.returncode == 0, done.stderr
    return project / "site"
