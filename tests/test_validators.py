"""The compiled validator and the pure-Python one give the same verdict on every document.

``validate`` trusts the compiled validator (``jsonschema-rs``) when it says a document is
valid, and asks the Python validator only for the messages of a document it refuses. A
document both take differently would either lose its messages or be refused with none, so
the two are compared on the sample policies, every example, the script-payload corpus, and
the fuzzers' documents: mutated policies (most of them still valid) and arbitrary YAML.
"""

from __future__ import annotations

import copy
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from payloads import completed, plant
from test_fuzz import FUZZ, SAMPLE, any_text, policy_sets

from support_policies import loader
from support_policies.validate import _validator, compiled_verdict, validate

REPO = Path(__file__).resolve().parent.parent
SHIPPED = sorted(
    [
        *REPO.glob("policies/*.yaml"),
        *REPO.glob("examples/*/policies/*.yaml"),
        *REPO.glob("examples/*/*/policies/*.yaml"),
    ]
)


def verdicts(data: object, schema: str = "policy.schema.json") -> tuple[bool, bool]:
    """(compiled, Python) verdicts on ``data``; where the compiled validator cannot take the
    data (lone surrogates), ``validate`` asks the Python one, so that is its verdict."""
    python = _validator(schema).is_valid(data)
    compiled = compiled_verdict(data, schema)
    return (python if compiled is None else compiled), python


def test_data_the_compiled_validator_cannot_take_goes_to_the_python_one():
    assert compiled_verdict({"organization": {"name": "\ud800"}}) is None
    assert verdicts({"organization": {"name": "\ud800"}}) == (True, True)


@pytest.mark.parametrize("path", SHIPPED, ids=lambda p: str(p.relative_to(REPO)))
def test_the_shipped_policies_are_valid_for_both(path):
    document = loader.load_file(path)[0]
    assert verdicts(document.data) == (True, True)


def test_the_script_payload_corpus_gets_the_same_verdicts():
    planted, _ = plant(completed(copy.deepcopy(SAMPLE)))
    for name, data in planted.items():
        compiled, python = verdicts(data)
        assert compiled == python, name


@settings(FUZZ, max_examples=400)
@given(files=policy_sets())
def test_mutated_policies_get_the_same_verdicts(files):
    for name, data in files.items():
        compiled, python = verdicts(data)
        assert compiled == python, name


@settings(FUZZ, max_examples=300)
@given(text=any_text)
def test_any_yaml_gets_the_same_verdict(text):
    document, _ = loader.load_text(text, "fuzz.yaml")
    if document is not None:
        compiled, python = verdicts(document.data)
        assert compiled == python


@settings(FUZZ, max_examples=200)
@given(
    data=st.recursive(
        st.one_of(st.none(), st.booleans(), st.integers(-(2**70), 2**70), st.floats(), st.text(max_size=8)),
        lambda inner: st.one_of(st.lists(inner, max_size=3), st.dictionaries(st.text(max_size=8), inner, max_size=3)),
        max_leaves=10,
    )
)
def test_any_settings_document_gets_the_same_verdict(data):
    compiled, python = verdicts(data, "settings.schema.json")
    assert compiled == python


def test_a_refused_document_keeps_its_messages():
    """The fast path only skips work: an invalid document is explained as before."""
    document, _ = loader.load_text("severities:\n  - id: p1\n    rank: 0\n", "bad.yaml")
    assert document is not None and compiled_verdict(document.data) is False
    assert [(f.line, f.column, f.rule, f.message) for f in validate(document)] == [
        (2, 5, "schema.required", "severities[0] is missing the required key 'name'"),
        (2, 5, "schema.required", "severities[0] is missing the required key 'definition'"),
        (3, 11, "schema.minimum", "severities[0].rank (Rank) must be at least 1"),
    ]
