"""JSON Schema validation whose errors point at the offending key or value.

Two validators, one verdict. A compiled Draft 2020-12 validator (``jsonschema-rs``) answers
"is this document valid?" in a few per cent of the time a parse takes; only a document it
refuses goes through the pure-Python ``jsonschema`` validator, whose errors carry the paths,
schema titles and alternatives the messages are made from. ``tests/test_validators.py``
proves the two agree on valid and invalid documents alike.
"""

from __future__ import annotations

import difflib
import functools
import json
import re
from collections.abc import Iterable, Iterator, Mapping, Sequence
from pathlib import Path
from typing import TYPE_CHECKING

import jsonschema_rs

from .findings import Finding, Level
from .loader import Document, lines

if TYPE_CHECKING:  # jsonschema is imported when a document needs explaining, not at start-up
    from jsonschema import Draft202012Validator
    from jsonschema.exceptions import ValidationError

SCHEMA_FILES = ("policy.schema.json", "settings.schema.json", "export.schema.json")
SCHEMAS = Path(__file__).parent / "schemas"
"""The shipped schemas, read as plain files (importlib.resources would add 4 ms of imports to a check)."""

_TYPE_WORDS = {
    "object": "a mapping (key: value lines)",
    "array": "a list (lines starting with '- ')",
    "string": "text",
    "integer": "a whole number",
    "number": "a number",
    "boolean": "true or false",
    "null": "nothing",
}
_YAML_WORDS = {
    "yes",
    "no",
    "on",
    "off",
    "y",
    "n",
    "Yes",
    "No",
    "On",
    "Off",
    "YES",
    "NO",
    "ON",
    "OFF",
}


@functools.cache
def schema_text(name: str = "policy.schema.json") -> str:
    """A shipped schema as written: ``{``, then ``"$schema"`` on a line of its own, and no ``$id``
    (a test holds every shipped schema to that; the site adds its address as ``$id``)."""
    return (SCHEMAS / name).read_text("utf-8")


@functools.cache
def load_schema(name: str = "policy.schema.json") -> dict[str, object]:
    """A shipped schema, parsed."""
    schema: dict[str, object] = json.loads(schema_text(name))
    return schema


@functools.cache
def _validator(name: str = "policy.schema.json") -> Draft202012Validator:
    from jsonschema import Draft202012Validator

    schema = load_schema(name)
    defs = schema.get("$defs", {})
    assert isinstance(defs, dict), "a shipped schema's $defs is a mapping"
    inlined = _inline(schema, defs)
    assert isinstance(inlined, dict)  # as the schema was
    return Draft202012Validator(inlined)


def _inline(node: object, defs: Mapping[str, object]) -> object:
    """The schema with every local ``#/$defs/…`` reference replaced by its definition.

    Resolving thousands of references per file dominated validation; inlined, the
    definition's own keywords win over the referring node's (its title and description
    are what messages quote, as when the reference is followed).
    """
    if isinstance(node, list):
        return [_inline(item, defs) for item in node]
    if not isinstance(node, dict):
        return node
    out = {key: _inline(value, defs) for key, value in node.items() if key != "$defs"}
    ref = out.get("$ref", "")
    if not isinstance(ref, str) or not ref.startswith("#/$defs/"):
        return out
    del out["$ref"]
    definition = _inline(defs[ref.removeprefix("#/$defs/")], defs)
    assert isinstance(definition, dict), "the shipped schemas' definitions are mappings"
    return {**out, **definition}


@functools.cache
def _compiled(name: str = "policy.schema.json") -> jsonschema_rs.Validator:
    """The compiled validator: formats are annotations (as for ``_validator``), no network."""
    return jsonschema_rs.Draft202012Validator(load_schema(name), validate_formats=False, offline=True)


def compiled_verdict(data: object, schema: str = "policy.schema.json") -> bool | None:
    """Whether the compiled validator finds ``data`` valid; None for data it cannot take
    (text with lone surrogates), which the Python validator judges."""
    try:
        return _compiled(schema).is_valid(data)
    except (ValueError, TypeError, OverflowError, RecursionError):
        return None


def validate(document: Document, schema: str = "policy.schema.json") -> list[Finding]:
    """Check one loaded file against the policy schema."""
    if compiled_verdict(document.data, schema):
        return []
    findings: list[Finding] = []
    for error in _validator(schema).iter_errors(document.data):
        findings.extend(_explain(_deepest(error), document))
    return list(dict.fromkeys(findings))  # a bad key can break two rules with one message


def _deepest(error: ValidationError) -> ValidationError:
    """For oneOf/anyOf, the best error of the alternative that came closest.

    An alternative of the wrong type (text where a mapping is expected) is never the
    closest; when every alternative has the wrong type, the oneOf error itself stays.
    """
    from jsonschema.exceptions import best_match

    while error.validator in ("oneOf", "anyOf") and error.context:
        alternatives: dict[str | int, list[ValidationError]] = {}
        for sub in error.context:
            alternatives.setdefault(sub.relative_schema_path[0], []).append(sub)
        matching = [
            errs
            for errs in alternatives.values()
            if not any(e.validator == "type" and not e.relative_path for e in errs)
        ]
        if not matching:
            return error
        closest = min(matching, key=len)
        error = best_match(closest)
    return error


def where(path: Iterable[str | int]) -> str:
    """A readable path such as ``tiers[1].targets.critical``."""
    out = ""
    for part in path:
        out += f"[{part}]" if isinstance(part, int) else (f".{part}" if out else str(part))
    return out or "the file"


def _show(value: object) -> str:
    if isinstance(value, str):
        return repr(value) if len(value) < 60 else repr(value[:57] + "...")
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, dict):
        return "a mapping"
    if isinstance(value, list):
        return "a list"
    if value is None:
        return "nothing"
    return str(value)


def _kind_of(value: object) -> str:
    for name, kinds in (
        ("boolean", bool),
        ("integer", int),
        ("number", float),
        ("string", str),
        ("array", list),
        ("object", dict),
    ):
        if isinstance(value, kinds):
            return name
    return "null"


def _close(word: object, choices: Iterable[object]) -> str:
    match = difflib.get_close_matches(str(word), [str(c) for c in choices], n=1, cutoff=0.6)
    return match[0] if match else ""


def _label(schema: Mapping[str, object], path: Sequence[str | int]) -> str:
    title = schema.get("title")
    return f"{where(path)} ({title})" if title else where(path)


def _explain(error: ValidationError, document: Document) -> Iterator[Finding]:
    path = tuple(error.absolute_path)
    schema = error.schema if isinstance(error.schema, dict) else {}
    # iter_errors sets all three (never jsonschema's Unset): the failing value, the keyword
    # that failed (e.g. "type") and that keyword's value in the schema (e.g. ["string"])
    value: object = error.instance
    name = document.path
    pos = document.positions
    kind = str(error.validator)
    keyword: object = error.validator_value

    def at(where_: tuple[int, int], rule: str, message: str, hint: str = "") -> Finding:
        return Finding(name, *where_, f"schema.{rule}", Level.ERROR, message, hint)

    if kind == "additionalProperties" and isinstance(value, dict):
        allowed = list(schema.get("properties", {}))
        for key in value:
            if key in allowed:
                continue
            guess = _close(key, allowed)
            hint = f"Did you mean '{guess}'?" if guess else "Allowed keys: " + ", ".join(allowed) + "."
            yield at(pos.key(path + (key,)), "unknown-key", f"unknown key '{key}' in {where(path)}", hint)
        return
    if kind == "required" and isinstance(value, dict) and isinstance(keyword, list):
        for key in keyword:
            if key not in value:
                yield at(
                    pos.key(path),
                    "required",
                    f"{where(path)} is missing the required key '{key}'",
                    _describe(schema.get("properties", {}).get(key, {}), key),
                )
        return
    if "propertyNames" in error.relative_schema_path and isinstance(value, str):
        # jsonschema checks each key as the instance, at the path of the mapping holding it.
        if "then" in error.relative_schema_path:  # the keys of a text per language
            message, hint = (
                f"'{value}' is not a language tag in {where(path)}",
                "A text per language is keyed by language tags: en, de, pt-BR (see organization.languages).",
            )
        else:
            message, hint = (
                f"'{value}' is not a valid id in {where(path)}",
                "Ids are lower-case words joined by hyphens, e.g. 'critical'.",
            )
        yield at(pos.key(path + (value,)), "key-name", message, hint)
        return
    if kind == "type":
        wanted: list[str] = keyword if isinstance(keyword, list) else [str(keyword)]
        words = " or ".join(_TYPE_WORDS.get(w, w) for w in wanted)
        hint = ""
        if "boolean" in wanted and isinstance(value, str) and value in _YAML_WORDS:
            hint = f"YAML 1.2 reads {value} as text: write true or false."
        elif "string" in wanted and isinstance(value, (int, float)) and not isinstance(value, bool):
            line, column = pos.value(path)
            written = lines(document.text)[line - 1][column - 1 :].split("#")[0].strip() if line else str(value)
            hint = f'Quote the value so it stays text, e.g. "{written or value}".'
        elif "object" in wanted and isinstance(value, list):
            hint = "Remove the '- ' in front of the keys: this is one mapping, not a list."
        elif "array" in wanted and isinstance(value, dict):
            hint = "Start each entry with '- ' to make a list."
        else:
            hint = _describe(schema, path[-1] if path else "")
        yield at(
            pos.value(path),
            "type",
            f"{_label(schema, path)} must be {words}, not {_TYPE_WORDS.get(_kind_of(value), 'this')}",
            hint,
        )
        return
    if kind == "enum" and isinstance(keyword, list):
        guess = _close(value, keyword)
        hint = f"Did you mean '{guess}'?" if guess else "Use one of: " + ", ".join(map(str, keyword)) + "."
        yield at(pos.value(path), "enum", f"{_label(schema, path)}: {_show(value)} is not an allowed value", hint)
        return
    if kind == "pattern" and isinstance(keyword, str):
        text_pattern = keyword.startswith("^[^\\u0000-")
        odd = text_pattern and _control_character(value, multiline="\\u000b" in keyword)
        if odd:
            yield at(
                pos.value(path),
                "control-character",
                f"{_label(schema, path)} holds {odd}",
                "Write the text without it: policy text reaches subjects, calendars and CI logs, "
                "where such characters forge lines or control the terminal.",
            )
            return
        yield at(
            pos.value(path),
            "format",
            f"{_label(schema, path)}: {_show(value)} is not valid",
            _describe(schema, path[-1] if path else ""),
        )
        return
    if kind in ("oneOf", "anyOf"):
        kinds: list[str] = []
        for sub in error.context:
            if sub.validator == "type" and not sub.relative_path:
                kinds += sub.validator_value if isinstance(sub.validator_value, list) else [str(sub.validator_value)]
        words = " or ".join(_TYPE_WORDS.get(k, k) for k in dict.fromkeys(kinds)) or "one of the allowed forms"
        yield at(
            pos.value(path),
            "type",
            f"{_label(schema, path)} must be {words}, not {_TYPE_WORDS.get(_kind_of(value), 'this')}",
            _describe(schema, ""),
        )
        return
    messages = {
        "minItems": "needs at least {v} entr{ies}",
        "maxItems": "allows at most {v} entries",
        "minLength": "must not be empty",
        "maxLength": "is longer than {v} characters",
        "minimum": "must be at least {v}",
        "maximum": "must be at most {v}",
        "exclusiveMinimum": "must be more than {v}",
        "exclusiveMaximum": "must be less than {v}",
        "uniqueItems": "lists the same value twice",
        "minProperties": "needs at least {v} entr{ies}",
        "maxProperties": "allows at most {v} entr{ies}",
    }
    if kind in messages:
        text = messages[kind].format(v=keyword, ies="y" if keyword == 1 else "ies")
        yield at(pos.value(path), kind.lower(), f"{_label(schema, path)} {text}", _describe(schema, ""))
        return
    yield at(pos.value(path), kind.lower(), f"{where(path)}: {error.message}", _describe(schema, ""))


_CONTROL = re.compile("[\x00-\x1f\x7f-\x9f\u2028\u2029]")
_BREAK_NAMES = {
    "\n": "a line break",
    "\r": "a carriage return",
    "\x85": "a next-line character (NEL)",
    "\u2028": "a line separator",
    "\u2029": "a paragraph separator",
    "\t": "a tab",
}


def _control_character(value: object, multiline: bool) -> str:
    """Which line break or control character ``value`` holds, in words ("" if none)."""
    if not isinstance(value, str):
        return ""
    for match in _CONTROL.finditer(value):
        char = match[0]
        if multiline and char in "\t\n\r":
            continue
        kind = _BREAK_NAMES.get(char, "the control character")
        one_line = "" if multiline else ", which one-line text cannot"
        return f"{kind} (U+{ord(char):04X}) at character {match.start() + 1}{one_line}"
    return ""


def _describe(schema: Mapping[str, object], key: str | int) -> str:
    """A hint from the schema's own description, so editor hover text and CLI agree."""
    description = schema.get("description", "")
    title = schema.get("title", key)
    if not description:
        return ""
    return f"{title}: {description}" if title else str(description)
