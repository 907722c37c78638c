"""The JSON export of a policy set, and writing an export folder atomically."""

from __future__ import annotations

from dataclasses import replace
from datetime import date
from pathlib import Path

import pytest
import yaml
from jsonschema import Draft202012Validator
from referencing import Registry, Resource

from support_policies.exports.data import export_document, policy_document
from support_policies.exports.writer import MARKER, ExportError, write_export
from support_policies.policyset import load_policies
from support_policies.validate import load_schema

SETS = [
    "policies",
    "examples/ticket-guidelines/policies",
    "examples/connection-journey/policies",
    "examples/support-contacts/policies",
    "examples/support-tiers/policies",
    "examples/contracts/best-effort/policies",
    "examples/contracts/conditional-premium/policies",
    "examples/contracts/per-severity-staffing/policies",
]


def _registry() -> Registry:
    resources = [
        (name, Resource.from_contents(load_schema(name))) for name in ("policy.schema.json", "export.schema.json")
    ]
    return Registry().with_resources(resources)


@pytest.mark.parametrize("folder", SETS)
def test_export_validates_against_its_schema(repo, folder):
    policy = load_policies([repo / folder]).policy
    document = export_document(policy, date(2026, 11, 23))
    validator = Draft202012Validator(
        load_schema("export.schema.json"), registry=_registry(), format_checker=Draft202012Validator.FORMAT_CHECKER
    )
    errors = [f"{list(e.absolute_path)}: {e.message}" for e in validator.iter_errors(document)]
    assert errors == []
    assert document["format"] == "support-policies-export" and document["version"] == 2
    assert document["generated"] == "2026-11-23"


@pytest.mark.parametrize("folder", SETS)
def test_exported_policy_loads_back_into_the_same_policy_set(repo, folder, tmp_path):
    policy = load_policies([repo / folder]).policy
    (tmp_path / "all.yaml").write_text(yaml.safe_dump(policy_document(policy), allow_unicode=True), "utf-8")
    again = load_policies([tmp_path / "all.yaml"])
    assert [f for f in again.findings if f.level.name == "ERROR"] == []
    assert replace(again.policy, files=policy.files) == policy


def test_target_rows_match_the_plans(repo):
    policy = load_policies([repo / "policies"]).policy
    rows = export_document(policy, date(2026, 11, 23))["targets"]
    premium = policy.tier("premium")
    for severity in policy.severities:
        target = premium.targets.get(severity.id)
        mine = [r for r in rows if r["tier"] == "premium" and r["severity"] == severity.id]
        if target is None or not target.covered:
            assert mine == [{"tier": "premium", "severity": severity.id, "covered": False}]
            continue
        assert [r["promise"] for r in mine] == [kind for kind, _ in target.promises()]
        for row, (_, promise) in zip(mine, target.promises(), strict=True):
            assert row["max_minutes"] == promise.within.max.minutes
            assert row["clock"] == promise.clock
    uncovered = [r for r in rows if not r["covered"]]
    assert uncovered, "the sample has a plan that does not cover a severity"
    assert all(set(r) == {"tier", "severity", "covered"} for r in uncovered)


# --- writing a folder --------------------------------------------------------------


class _File:
    def __init__(self, path: str, content: bytes = b"x"):
        self.path, self.content = path, content


def _tree(folder: Path) -> dict[str, bytes]:
    return {p.relative_to(folder).as_posix(): p.read_bytes() for p in sorted(folder.rglob("*")) if p.is_file()}


def test_export_writes_exactly_the_files_and_replaces_an_earlier_export(tmp_path):
    out = tmp_path / "out"
    assert write_export([_File("a.md", b"A"), _File("sub/b.txt", b"B")], out) == 2
    assert _tree(out) == {"a.md": b"A", "sub/b.txt": b"B", MARKER: (out / MARKER).read_bytes()}
    write_export([_File("c.md", b"C")], out)
    assert set(_tree(out)) == {"c.md", MARKER}, "files of the earlier export are gone"
    assert [p.name for p in tmp_path.iterdir()] == ["out"], "no temporary folder is left behind"


def test_a_failed_export_leaves_the_folder_as_it_was(tmp_path):
    out = tmp_path / "out"
    write_export([_File("a.md", b"A")], out)
    before = _tree(out)

    def files():
        yield _File("new.md", b"N")
        raise RuntimeError("disk full")

    with pytest.raises(RuntimeError):
        write_export(files(), out)
    assert _tree(out) == before
    assert [p.name for p in tmp_path.iterdir()] == ["out"]


def test_a_folder_that_is_not_an_export_is_never_replaced(tmp_path):
    docs = tmp_path / "docs"
    docs.mkdir()
    (docs / "index.md").write_text("mine", "utf-8")
    with pytest.raises(ExportError, match="was not written by 'support-policies export'"):
        write_export([_File("a.md")], docs)
    assert _tree(docs) == {"index.md": b"mine"}
    empty = tmp_path / "empty"
    empty.mkdir()
    write_export([_File("a.md")], empty)
    assert (empty / "a.md").is_file()


@pytest.mark.parametrize("path", ["../evil.md", "/etc/evil", "a/../../evil", "a\\..\\b", ""])
def test_paths_that_leave_the_folder_are_refused(tmp_path, path):
    out = tmp_path / "out"
    with pytest.raises(ExportError, match="not a plain relative path"):
        write_export([_File(path)], out)
    assert not out.exists()
    assert list(tmp_path.iterdir()) == []
