"""The strict YAML loader: every trap of the design's table, with the position it reports."""

from __future__ import annotations

import json
import math
import textwrap

import pytest
import yaml

from support_policies import loader
from support_policies.findings import Level
from support_policies.validate import validate


def load(text: str):
    """Load dedented ``text``; return (document, findings)."""
    return loader.load_text(textwrap.dedent(text), "test.yaml")


def only(findings):
    """The single finding of a list that must hold exactly one."""
    assert len(findings) == 1, findings
    return findings[0]


def where(finding) -> tuple[str, int, int]:
    return finding.rule, finding.line, finding.column


# --- YAML 1.2 core scalars --------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("8:00", "8:00"),  # YAML 1.1: 480 (base 60)
        ("08:00", "08:00"),
        ("NO", "NO"),  # YAML 1.1: False (Norway)
        ("no", "no"),
        ("yes", "yes"),
        ("Yes", "Yes"),
        ("on", "on"),
        ("off", "off"),
        ("y", "y"),
        ("n", "n"),
        ("true", True),
        ("True", True),
        ("TRUE", True),
        ("false", False),
        ("False", False),
        ("2026-11-23", "2026-11-23"),  # YAML 1.1: datetime.date
        ("2026-11-23T14:05:00Z", "2026-11-23T14:05:00Z"),
        ("12", 12),
        ("-3", -3),
        ("+7", 7),
        ("012", 12),  # YAML 1.1: 10 (octal)
        ("0o17", 15),
        ("0x1F", 31),
        ("0o8", "0o8"),
        ("0b101", "0b101"),  # binary is YAML 1.1 only
        ("1_000", "1_000"),  # so are digit separators
        ("1.5", 1.5),
        ("-0.25", -0.25),
        (".5", 0.5),
        ("1e3", 1000.0),
        ("1.", 1.0),
        ("null", None),
        ("Null", None),
        ("~", None),
        ("", None),
        ("4h", "4h"),
        ("24x7", "24x7"),
    ],
    ids=lambda value: repr(value) if isinstance(value, str) else None,
)
def test_plain_scalars_follow_yaml_1_2_core(text, expected):
    document, findings = loader.load_text(f"value: {text}\n", "test.yaml")
    assert findings == []
    value = document.data["value"]
    assert value == expected
    assert type(value) is type(expected)


@pytest.mark.parametrize("text", [".nan", ".NaN", ".inf", "-.Inf", "+.INF"])
def test_non_finite_numbers_are_refused(text):
    document, findings = load(f"value: {text}\n")
    assert [(f.rule, f.line, f.column) for f in findings] == [("yaml.not-a-number", 1, 8)]
    assert not math.isfinite(document.data["value"])


@pytest.mark.parametrize("text", ['"true"', "'12'", '"2026-11-23"', "'null'", '"~"'])
def test_quoted_scalars_stay_text(text):
    document, findings = loader.load_text(f"value: {text}\n", "test.yaml")
    assert findings == []
    assert document.data["value"] == text[1:-1]


def test_block_scalars_stay_text():
    document, findings = load("""\
        value: |
          12
        folded: >-
          true
        """)
    assert findings == []
    assert document.data == {"value": "12\n", "folded": "true"}


def test_opening_time_without_quotes_is_text_not_minutes():
    document, findings = load("""\
        hours:
          - days: [mon]
            opens: 8:00
            closes: 17:30
        """)
    assert findings == []
    assert document.data["hours"][0]["opens"] == "8:00"
    assert document.data["hours"][0]["closes"] == "17:30"


# --- explicit tags --------------------------------------------------------------------------


def test_explicit_str_tag_keeps_the_text():
    document, findings = load("value: !!str 5\n")
    assert findings == []
    assert document.data["value"] == "5"


@pytest.mark.parametrize(
    ("text", "expected"),
    [("!!int 5", 5), ('!!int "5"', 5), ("!!float 3", 3.0), ("!!bool true", True), ("!!null ''", None)],
)
def test_explicit_core_tags_are_honoured(text, expected):
    document, findings = loader.load_text(f"value: {text}\n", "test.yaml")
    assert findings == []
    assert document.data["value"] == expected
    assert type(document.data["value"]) is type(expected)


@pytest.mark.parametrize("text", ["!!int abc", "!!bool yes", "!!float 1_0", "!!null 0"])
def test_explicit_tag_with_a_value_of_another_kind_is_reported(text):
    _document, findings = loader.load_text(f"value: {text}\n", "test.yaml")
    assert where(only(findings)) == ("yaml.tag", 1, 8)
    assert "is not a valid" in findings[0].message


@pytest.mark.parametrize(
    "text",
    [
        "!!python/object:os.system {}",
        "!!python/object/apply:os.system ['echo pwned']",
        "!!python/name:os.system ''",
        "!custom value",
        "!!binary aGVsbG8=",
        "!!timestamp 2026-11-23",
        "!!set {a, b}",
        "!!omap [a: 1]",
    ],
)
def test_unknown_tags_are_refused_at_the_tagged_value(text):
    document, findings = loader.load_text(f"name: ok\nvalue: {text}\n", "test.yaml")
    finding = only(findings)
    assert where(finding) == ("yaml.tag", 2, 8)
    assert finding.level is Level.ERROR
    # Nothing was constructed: the value is plain data at most.
    assert isinstance(document.data["value"], (str, list, dict))


def test_python_object_tag_is_never_constructed():
    document, findings = load("""\
        value: !!python/object/apply:builtins.print
          args: [executed]
        """)
    assert where(only(findings)) == ("yaml.tag", 1, 8)
    assert document.data["value"] == {"args": ["executed"]}


def test_tag_on_a_mapping_points_at_the_mapping():
    document, findings = load("""\
        organization: !Org
          name: Example
        """)
    assert where(only(findings)) == ("yaml.tag", 1, 15)
    assert document.data["organization"] == {"name": "Example"}


# --- duplicate keys -----------------------------------------------------------------------


def test_duplicate_key_is_reported_at_the_second_key():
    document, findings = load("""\
        name: first
        rank: 1
        name: second
        """)
    finding = only(findings)
    assert where(finding) == ("yaml.duplicate-key", 3, 1)
    assert "first at line 1" in finding.message
    assert document.data["rank"] == 1


def test_nested_duplicate_key_is_reported_at_the_second_key():
    _document, findings = load("""\
        severities:
          - id: critical
            rank: 1
            name: Critical
            rank: 2
        """)
    assert where(only(findings)) == ("yaml.duplicate-key", 5, 5)


def test_duplicate_key_in_flow_mapping():
    _document, findings = load("acknowledge: {within: 4h, clock: office, within: 2h}\n")
    assert where(only(findings)) == ("yaml.duplicate-key", 1, 42)


def test_duplicate_key_written_with_quotes_is_still_a_duplicate():
    _document, findings = load("""\
        name: first
        "name": second
        """)
    assert where(only(findings)) == ("yaml.duplicate-key", 2, 1)


def test_each_further_duplicate_is_reported():
    _document, findings = load("""\
        a: 1
        a: 2
        a: 3
        """)
    assert [where(f) for f in findings] == [("yaml.duplicate-key", 2, 1), ("yaml.duplicate-key", 3, 1)]
    assert all("first at line 1" in f.message for f in findings)


def test_same_key_in_sibling_mappings_is_fine():
    _document, findings = load("""\
        - id: a
        - id: b
        """)
    assert findings == []


def test_duplicate_key_with_crlf_line_endings():
    _document, findings = loader.load_text("a: 1\r\nb: 2\r\na: 3\r\n", "test.yaml")
    assert where(only(findings)) == ("yaml.duplicate-key", 3, 1)


# --- aliases --------------------------------------------------------------------------------

BILLION_LAUGHS = textwrap.dedent("""\
    a: &a ["lol", "lol", "lol", "lol", "lol", "lol", "lol", "lol", "lol"]
    b: &b [*a, *a, *a, *a, *a, *a, *a, *a, *a]
    c: &c [*b, *b, *b, *b, *b, *b, *b, *b, *b]
    d: &d [*c, *c, *c, *c, *c, *c, *c, *c, *c]
    e: &e [*d, *d, *d, *d, *d, *d, *d, *d, *d]
    f: &f [*e, *e, *e, *e, *e, *e, *e, *e, *e]
    g: &g [*f, *f, *f, *f, *f, *f, *f, *f, *f]
    h: &h [*g, *g, *g, *g, *g, *g, *g, *g, *g]
    i: &i [*h, *h, *h, *h, *h, *h, *h, *h, *h]
    """)


def test_alias_bomb_is_refused():
    # Fully expanded this is 9**9 (387 million) strings; the call must return with a finding.
    document, findings = loader.load_text(BILLION_LAUGHS, "bomb.yaml")
    assert document is None
    finding = only(findings)
    assert finding.rule == "yaml.alias-bomb"
    assert finding.level is Level.ERROR
    # It points at one of the anchored lists, not at the top of the file.
    anchors = {(line, 4) for line in range(1, 10)}
    assert (finding.line, finding.column) in anchors
    assert (finding.line, finding.column) != (1, 4)


def test_alias_bomb_through_load_file(write_policy):
    path = write_policy("bomb.yaml", BILLION_LAUGHS)
    document, findings = loader.load_file(path)
    assert document is None
    assert only(findings).rule == "yaml.alias-bomb"


def test_ordinary_alias_reuse_is_allowed():
    text = "shared: &hours {within: 4h, clock: office}\n" + "".join(f"t{i}: *hours\n" for i in range(200))
    document, findings = loader.load_text(text, "test.yaml")
    assert findings == []
    assert document.data["t199"] == {"within": "4h", "clock": "office"}
    assert document.positions.value(("t199",)) == (1, 9)


def test_recursive_alias_in_a_mapping():
    document, findings = load("""\
        a: &x
          b: *x
        """)
    assert document is None
    assert where(only(findings)) == ("yaml.recursive-alias", 1, 4)


def test_recursive_alias_in_a_sequence():
    document, findings = load("list: &x [1, *x]\n")
    assert document is None
    assert where(only(findings)) == ("yaml.recursive-alias", 1, 7)


def test_undefined_alias_is_a_syntax_error():
    _document, findings = load("""\
        name: ok
        value: *missing
        """)
    finding = only(findings)
    assert where(finding) == ("yaml.syntax", 2, 8)
    assert "anchor" in finding.hint


# --- merge keys -------------------------------------------------------------------------------


def test_merge_key_is_refused_at_the_merge_key():
    document, findings = load("""\
        base: &base {clock: office}
        target:
          <<: *base
          within: 4h
        """)
    finding = only(findings)
    assert where(finding) == ("yaml.merge-key", 3, 3)
    # The merge is not performed.
    assert document.data["target"] == {"within": "4h"}


def test_quoted_merge_key_is_an_ordinary_key():
    document, findings = load('"<<": text\n')
    assert findings == []
    assert document.data == {"<<": "text"}


# --- nesting ----------------------------------------------------------------------------------


def test_deep_nesting_is_refused():
    # The root mapping is level 0, "[" at column 4 level 1, so level 65 opens at column 68.
    document, findings = loader.load_text("a: " + "[" * 70 + "]" * 70 + "\n", "test.yaml")
    assert document is None
    assert where(only(findings)) == ("yaml.too-deep", 1, 68)


def test_nesting_up_to_the_limit_loads():
    _document, findings = loader.load_text("a: " + "[" * 63 + "x" + "]" * 63 + "\n", "test.yaml")
    assert findings == []


def test_runaway_nesting_is_refused_without_crashing_libyaml():
    # libyaml's composer recurses in C: this many levels overflowed the stack (a segfault).
    document, findings = loader.load_text("a: " + "[" * 100_000 + "]" * 100_000 + "\n", "test.yaml")
    assert document is None
    assert where(only(findings)) == ("yaml.too-deep", 1, 68)


def test_runaway_block_nesting_is_refused():
    document, findings = loader.load_text("- " * 50_000 + "x\n", "test.yaml")
    assert document is None
    assert where(only(findings)) == ("yaml.too-deep", 1, 131)


DEEP = {
    "flow, just over the limit": "a: " + "[" * 70 + "]" * 70 + "\n",
    "flow, past libyaml's own limit": "a: " + "[" * 5_000 + "]" * 5_000 + "\n",
    "flow mappings": "a: " + "{b: " * 3_000 + "c" + "}" * 3_000 + "\n",
    "block sequences": "- " * 5_000 + "x\n",
    "block mappings": "".join("  " * i + "k:\n" for i in range(1_500)) + "  " * 1_500 + "v\n",
    "block then flow": "".join("  " * i + "k:\n" for i in range(40)) + "  " * 40 + "[" * 2_000 + "]" * 2_000 + "\n",
}


@pytest.mark.parametrize("text", DEEP.values(), ids=DEEP.keys())
def test_deep_nesting_finding_does_not_depend_on_libyaml(monkeypatch, text):
    """libyaml 0.2.6 refuses 1,000 levels itself; older ones and PyYAML's pure-Python parser
    do not. Whichever parser reads the file, the finding is the same."""
    monkeypatch.setattr(loader, "DEPTH_SCAN", 0)
    with_libyaml = loader._too_big(text, "test.yaml")
    pure_python = loader._too_big(text, "test.yaml", parser=yaml.SafeLoader)
    assert with_libyaml == pure_python
    assert with_libyaml.rule == "yaml.too-deep"
    _, findings = loader.load_text(text, "test.yaml")
    assert findings == [with_libyaml]


def test_depth_scan_and_builder_agree(monkeypatch):
    text = "a: " + "[" * 70 + "]" * 70 + "\n"
    monkeypatch.setattr(loader, "DEPTH_SCAN", 0)  # force the event scan for a small file
    _, scanned = loader.load_text(text, "test.yaml")
    monkeypatch.setattr(loader, "DEPTH_SCAN", 10**9)  # leave it to the builder
    _, built = loader.load_text(text, "test.yaml")
    assert scanned == built
    assert where(only(built)) == ("yaml.too-deep", 1, 68)


# --- bytes and characters ------------------------------------------------------------------


def test_non_utf8_byte_is_reported_where_it_is(write_policy):
    path = write_policy("latin1.yaml", "organization:\n  name: Caf\xe9\n".encode("latin-1"))
    document, findings = loader.load_file(path, "latin1.yaml")
    assert document is None
    finding = only(findings)
    assert where(finding) == ("yaml.encoding", 2, 12)
    assert "0xe9" in finding.message


def test_non_utf8_byte_after_multibyte_characters(write_policy):
    # Columns count characters: "é" is two bytes but one column.
    path = write_policy("mixed.yaml", "name: é\x80\n".encode().replace(b"\xc2\x80", b"\x80"))
    _document, findings = loader.load_file(path, "mixed.yaml")
    assert where(only(findings)) == ("yaml.encoding", 1, 8)


@pytest.mark.parametrize("encoding", ["utf-16", "utf-16-le", "utf-16-be"])
def test_utf16_with_bom_is_refused(write_policy, encoding):
    text = "organization:\n  name: Example\n"
    raw = text.encode(encoding)
    if encoding != "utf-16":  # the plain codec writes its own BOM
        raw = ("\ufeff" + text).encode(encoding)
    path = write_policy("utf16.yaml", raw)
    document, findings = loader.load_file(path, "utf16.yaml")
    assert document is None
    finding = only(findings)
    assert where(finding) == ("yaml.encoding", 1, 1)
    assert "UTF-16" in finding.message


def test_utf8_bom_is_a_warning_and_the_file_loads(write_policy):
    path = write_policy("bom.yaml", b"\xef\xbb\xbforganization:\n  name: Example\n")
    document, findings = loader.load_file(path, "bom.yaml")
    finding = only(findings)
    assert where(finding) == ("yaml.bom", 1, 1)
    assert finding.level is Level.WARNING
    assert document.data == {"organization": {"name": "Example"}}
    # The mark does not shift the columns of the first line.
    assert document.positions.key(("organization",)) == (1, 1)
    assert document.positions.value(("organization", "name")) == (2, 9)


def test_utf8_bom_and_a_bad_byte_report_both(write_policy):
    path = write_policy("both.yaml", b"\xef\xbb\xbfa: 1\nb: \xe9\n")
    document, findings = loader.load_file(path, "both.yaml")
    assert document is None
    assert [where(f) for f in findings] == [("yaml.bom", 1, 1), ("yaml.encoding", 2, 4)]


@pytest.mark.parametrize(
    ("text", "position", "code"),
    [
        ("name: a\x07b\n", (1, 8), "U+0007"),
        ("name: ok\nnote: x\x00y\n", (2, 8), "U+0000"),
        ("name: a\x1bb\n", (1, 8), "U+001B"),
        ("name: a\x7fb\n", (1, 8), "U+007F"),
        # Columns count characters even after multi-byte ones.
        ("name: Café\x07\n", (1, 11), "U+0007"),
        ("name: ééééé\nnote: ü\x07\n", (2, 8), "U+0007"),
        ("name: 😀\x07\n", (1, 8), "U+0007"),
    ],
    ids=["bell", "nul-line-2", "escape", "delete", "after-e-acute", "after-multibyte-line", "after-emoji"],
)
def test_control_characters_are_reported_where_they_are(text, position, code):
    document, findings = loader.load_text(text, "test.yaml")
    assert document is None
    finding = only(findings)
    assert (finding.rule, finding.line, finding.column) == ("yaml.character", *position)
    assert code in finding.message


def test_control_character_in_a_file(write_policy):
    path = write_policy("ctrl.yaml", b"organization:\n  name: Ex\x08ample\n")
    _document, findings = loader.load_file(path, "ctrl.yaml")
    assert where(only(findings)) == ("yaml.character", 2, 11)


def test_lone_surrogate_in_text_is_a_finding_not_an_exception():
    document, findings = loader.load_text("name: \ud800\n", "test.yaml")
    assert document is None
    assert where(only(findings)) == ("yaml.encoding", 1, 7)


# --- layout -----------------------------------------------------------------------------------


def test_tab_indentation_is_reported_on_its_line():
    document, findings = loader.load_text("organization:\n\tname: Example\n", "test.yaml")
    assert document is None
    finding = only(findings)
    assert where(finding) == ("yaml.tab", 2, 1)
    assert "spaces" in finding.hint


def test_tab_after_space_indentation_is_reported():
    _document, findings = loader.load_text("organization:\n  name: Example\n\tproduct: API\n", "test.yaml")
    assert where(only(findings)) == ("yaml.tab", 3, 1)


def test_tab_inside_a_value_is_allowed():
    document, findings = loader.load_text('name: "a\tb"\n', "test.yaml")
    assert findings == []
    assert document.data["name"] == "a\tb"


def test_multiple_documents_are_refused_at_the_second():
    document, findings = load("""\
        organization:
          name: Example
        ---
        severities: []
        """)
    assert document is None
    assert where(only(findings)) == ("yaml.multiple-documents", 3, 1)


def test_one_document_with_explicit_markers_is_fine():
    document, findings = load("""\
        ---
        organization:
          name: Example
        ...
        """)
    assert findings == []
    assert document.data == {"organization": {"name": "Example"}}


@pytest.mark.parametrize(
    "text",
    ["", "\n\n", "   \n", "# only a comment\n", "# one\n\n# two\n", "---\n", "---\n# to do\n"],
    ids=["empty", "blank-lines", "spaces", "comment", "comments", "document-marker", "marker-and-comment"],
)
def test_empty_file_is_a_warning(text):
    document, findings = loader.load_text(text, "test.yaml")
    finding = only(findings)
    assert where(finding) == ("yaml.empty", 1, 1)
    assert finding.level is Level.WARNING
    assert document.data == {}


def test_empty_file_on_disk(write_policy):
    path = write_policy("empty.yaml", b"")
    document, findings = loader.load_file(path, "empty.yaml")
    assert where(only(findings)) == ("yaml.empty", 1, 1)
    assert document is not None


def test_complex_key_in_block_style():
    document, findings = load("""\
        ? [a, b]
        : value
        name: ok
        """)
    assert where(only(findings)) == ("yaml.complex-key", 1, 3)
    assert document.data == {"name": "ok"}


def test_complex_key_in_flow_style():
    _document, findings = load("name: ok\n{a: 1}: value\n")
    assert where(only(findings)) == ("yaml.complex-key", 2, 1)


def test_unquoted_colon_in_a_value_is_a_syntax_error_with_a_quoting_hint():
    _document, findings = load("""\
        name: ok
        title: Note: read this
        """)
    finding = only(findings)
    assert where(finding) == ("yaml.syntax", 2, 12)
    assert "quoted" in finding.hint


def test_bad_indentation_is_a_syntax_error_on_its_line():
    _document, findings = load("""\
        organization:
          name: Example
         product: API
        """)
    assert where(only(findings)) == ("yaml.syntax", 3, 2)


def test_list_where_a_mapping_is_expected():
    document, findings = load("""\
        - organization:
            name: Example
        """)
    assert findings == []
    finding = only(validate(document))
    assert where(finding) == ("schema.type", 1, 1)
    assert "'- '" in finding.hint


def test_nested_list_where_a_mapping_is_expected():
    document, _findings = load("""\
        organization:
          - name: Example
        """)
    finding = only(validate(document))
    assert where(finding) == ("schema.type", 2, 3)
    assert "'- '" in finding.hint


# --- size -------------------------------------------------------------------------------------


def test_oversize_file_is_refused_before_parsing(write_policy, monkeypatch):
    monkeypatch.setattr(loader, "MAX_BYTES", 32)
    path = write_policy("big.yaml", "organization:\n  name: " + "x" * 40 + "\n")
    document, findings = loader.load_file(path, "big.yaml")
    assert document is None
    finding = only(findings)
    assert (finding.rule, finding.line, finding.column) == ("yaml.too-large", 0, 0)
    assert "32" in finding.message


def test_file_at_the_size_limit_loads(write_policy, monkeypatch):
    text = "organization:\n  name: Example\n"
    monkeypatch.setattr(loader, "MAX_BYTES", len(text))
    _document, findings = loader.load_file(write_policy("ok.yaml", text), "ok.yaml")
    assert findings == []


def test_unreadable_path_is_a_finding(tmp_path):
    document, findings = loader.load_file(tmp_path / "missing.yaml", "missing.yaml")
    assert document is None
    assert where(only(findings)) == ("io.read", 0, 0)


# --- positions --------------------------------------------------------------------------------


def test_positions_of_keys_and_values():
    document, _findings = load("""\
        tiers:
          - id: premium
            targets:
              critical: {within: 2h}
        """)
    positions = document.positions
    assert positions.key(("tiers",)) == (1, 1)
    assert positions.value(("tiers", 0)) == (2, 5)
    assert positions.value(("tiers", 0, "id")) == (2, 9)
    assert positions.key(("tiers", 0, "targets", "critical")) == (4, 7)
    assert positions.value(("tiers", 0, "targets", "critical", "within")) == (4, 26)
    # An unknown path falls back to its nearest known ancestor: the mapping under targets.
    assert positions.value(("tiers", 0, "targets", "missing")) == (4, 7)


def test_positions_count_characters_not_bytes():
    document, _findings = load("é😀: [é😀, 5]\n")
    assert document.positions.value(("é😀", 1)) == (1, 10)


# --- the same traps through the CLI --------------------------------------------------------


def test_cli_reports_duplicate_key_at_the_second_key(write_policy, run_cli, tmp_path):
    write_policy(
        "org.yaml",
        """\
        organization:
          name: Example
          name: Other
        """,
    )
    code, out, err = run_cli("check", "--format", "json", "org.yaml", cwd=tmp_path)
    assert code == 1
    findings = json.loads(out)["findings"]
    assert [(f["rule"], f["file"], f["line"], f["column"]) for f in findings] == [
        ("yaml.duplicate-key", "org.yaml", 3, 3)
    ]
    assert err == ""


def test_cli_refuses_alias_bomb(write_policy, run_cli, tmp_path):
    write_policy("bomb.yaml", BILLION_LAUGHS)
    code, out, err = run_cli("check", "bomb.yaml", cwd=tmp_path)
    assert code == 1
    assert "[yaml.alias-bomb]" in out
    assert "Traceback" not in err


def test_cli_reports_latin1_byte_with_a_frame(write_policy, run_cli, tmp_path):
    write_policy("latin1.yaml", "organization:\n  name: Caf\xe9\n".encode("latin-1"))
    code, out, _err = run_cli("check", "latin1.yaml", cwd=tmp_path)
    assert code == 1
    assert "latin1.yaml:2:12: error:" in out
    assert "[yaml.encoding]" in out


def test_cli_loads_opening_times_written_without_quotes(write_policy, run_cli, tmp_path):
    write_policy(
        "schedules.yaml",
        """\
        schedules:
          - id: office-hours
            name: Office hours
            timezone: Europe/London
            hours:
              - days: [mon, tue]
                opens: 8:00
                closes: 17:00
        """,
    )
    code, out, err = run_cli("check", "schedules.yaml", cwd=tmp_path)
    assert (code, err) == (0, "")
    assert "No problems found in 1 file." in out


def test_cli_bom_is_a_warning_that_fails_only_under_strict(write_policy, run_cli, tmp_path):
    write_policy("org.yaml", b"\xef\xbb\xbforganization:\n  name: Example\n")
    code, out, _ = run_cli("check", "org.yaml", cwd=tmp_path)
    assert code == 0
    assert "org.yaml:1:1: warning:" in out and "[yaml.bom]" in out
    code, _, _ = run_cli("check", "--strict", "org.yaml", cwd=tmp_path)
    assert code == 1


# --- YAML 1.2 line breaks -------------------------------------------------------------------

ODD_BREAKS = {"NEL": "\x85", "line separator": "\u2028", "paragraph separator": "\u2029"}


@pytest.mark.parametrize("char", ODD_BREAKS.values(), ids=ODD_BREAKS.keys())
def test_odd_line_break_in_a_comment_is_text(char):
    # libyaml (YAML 1.1) ends the comment there and reads "still a comment: x" as a value.
    document, findings = loader.load_text(f"# note{char}still a comment: x\na: 1\nb: [\n", "test.yaml")
    assert where(only(findings))[1:] == (4, 1)
    document, findings = loader.load_text(f"# note{char}still a comment: x\na: 1\n", "test.yaml")
    assert findings == [] and document.data == {"a": 1}


@pytest.mark.parametrize("char", ODD_BREAKS.values(), ids=ODD_BREAKS.keys())
def test_odd_line_break_in_a_value_keeps_positions_and_text(char):
    text = f'a: "one{char}two"\nb: plain{char}text\nc: 1\nc: 2\n'
    document, findings = loader.load_text(text, "test.yaml")
    assert where(only(findings)) == ("yaml.duplicate-key", 4, 1)
    assert document.data == {"a": f"one{char}two", "b": f"plain{char}text", "c": 1}
    assert document.positions.value(("b",)) == (2, 4)


def test_stand_ins_already_in_the_text_are_kept():
    text = "a: \U0010fffd\u2028x\nb: \U0010fffc\n"
    document, findings = loader.load_text(text, "test.yaml")
    assert findings == [] and document.data == {"a": "\U0010fffd\u2028x", "b": "\U0010fffc"}


def test_lines_counts_only_yaml_line_breaks():
    assert loader.lines("a\x85b\u2028c\x0bd\x0ce\x1cf\nsecond\r\nthird\rfourth\n") == [
        "a\x85b\u2028c\x0bd\x0ce\x1cf",
        "second",
        "third",
        "fourth",
    ]
