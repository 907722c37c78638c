"""Loading without recording positions gives what the full walk gives, positions included.

:func:`loader.load_text` builds a document without anchors with :meth:`_Builder.plain`, which
records no positions, and works them out when first asked by composing the text again. These
tests compare data, findings and every position with the full walk (:meth:`_Builder.build`)
on the loader's fuzz corpus and on every YAML file of the repository.
"""

from __future__ import annotations

from pathlib import Path

import pytest
import yaml
from hypothesis import given, settings
from hypothesis import strategies as st
from test_fuzz import FUZZ, any_text, yamlish

from support_policies import loader

REPO = Path(__file__).resolve().parent.parent
FILES = sorted(
    path
    for folder in ("policies", "examples", "tests/data", "docs")
    for path in (REPO / folder).rglob("*.y*ml")
    if "node_modules" not in path.parts
)


def full_walk(text: str, name: str):
    """(data, findings, positions) as the full walk makes them, or None when loading refuses the text."""
    shielded, restore = loader._shield(text)
    node = yaml.compose(shielded, Loader=loader._Loader)
    builder = loader._Builder(name, restore)
    try:
        data = builder.build(node, ())
    except loader._Refused:
        return None
    return data, builder.findings, builder.positions


def same_as_full_walk(text: str) -> None:
    document, findings = loader.load_text(text, "f.yaml")
    if document is None or not document.data:  # refused, or empty: no building to compare
        return
    walked = full_walk(text, "f.yaml")
    assert walked is not None
    data, built_findings, positions = walked
    assert repr(document.data) == repr(data)  # repr: NaN is not equal to itself
    assert findings == built_findings
    assert document.positions.values == positions.values
    assert document.positions.keys == positions.keys


@settings(FUZZ, max_examples=300)
@given(text=any_text)
def test_any_text_loads_as_the_full_walk_loads_it(text: str) -> None:
    same_as_full_walk(text)


@settings(FUZZ, max_examples=300)
@given(text=yamlish)
def test_yaml_syntax_loads_as_the_full_walk_loads_it(text: str) -> None:
    same_as_full_walk(text)


@pytest.mark.parametrize("path", FILES, ids=lambda p: str(p.relative_to(REPO)))
def test_every_yaml_file_loads_as_the_full_walk_loads_it(path: Path) -> None:
    same_as_full_walk(path.read_text("utf-8"))


def test_positions_are_worked_out_only_when_asked(monkeypatch) -> None:
    calls = []
    original = loader._positions
    monkeypatch.setattr(loader, "_positions", lambda *args: calls.append(args) or original(*args))
    document, findings = loader.load_text("a:\n  b: [1, {c: d}]\n  e: x\n", "f.yaml")
    assert document is not None and findings == [] and calls == []
    assert document.positions.value(("a", "b", 1, "c")) == (2, 14)
    assert document.positions.key(("a", "e")) == (3, 3)
    assert document.positions.value(("a", "missing", 3)) == (2, 3)  # the nearest known: a
    assert len(calls) == 1  # composed once more, then kept


def test_duplicate_and_merge_keys_are_reported_as_before() -> None:
    text = "a: 1\nb: 2\na: 3\n<<: {x: 1}\n'<<': 4\n? [k]\n: 5\n"
    document, findings = loader.load_text(text, "f.yaml")
    assert document is not None and document.data == {"a": 1, "b": 2, "<<": 4}
    assert [(f.rule, f.line, f.column, f.message) for f in findings] == [
        ("yaml.duplicate-key", 3, 1, "the key 'a' appears twice in this mapping (first at line 1)"),
        ("yaml.merge-key", 4, 1, "merge keys ('<<') are not part of YAML 1.2"),
        ("yaml.complex-key", 6, 3, "a mapping key must be a plain name"),
    ]
    same_as_full_walk(text)


def reference_core_scalar(text: str):
    """The core-schema resolution as written before its shortcut for texts that end like no number."""
    import math

    if text and text[0] not in loader._NOT_TEXT:
        return text
    for found, value in ((loader._NULLS, None), (loader._TRUE, True), (loader._FALSE, False)):
        if text in found:
            return value
    if loader._INT.fullmatch(text):
        return loader._integer(text, 10)
    if loader._OCT.fullmatch(text):
        return loader._integer(text[2:], 8)
    if loader._HEX.fullmatch(text):
        return loader._integer(text[2:], 16)
    if loader._FLOAT.fullmatch(text):
        return float(text)
    for found, value in ((loader._INF, math.inf), (loader._NINF, -math.inf), (loader._NAN, math.nan)):
        if text in found:
            return value
    return text


@settings(max_examples=3000, derandomize=True, database=None)
@given(text=st.text(alphabet="0123456789+-.:eExXoOaAbBfFnNiItTlLuUsS~h ", max_size=8))
def test_plain_scalars_resolve_as_before(text: str) -> None:
    assert repr(loader.core_scalar(text)) == repr(reference_core_scalar(text))


KNOWN = ["0x1F", "0o7", "1.", ".5", "1e9", "-1E-3", ".inf", "-.Inf", ".NaN", "null", "~", "08:00", "4h", "2026-01-01"]


@pytest.mark.parametrize("text", KNOWN)
def test_numbers_and_texts_resolve_as_before(text: str) -> None:
    assert repr(loader.core_scalar(text)) == repr(reference_core_scalar(text))
