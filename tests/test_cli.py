"""The ``support-policies`` command as CI and writers run it: exit codes and output."""

from __future__ import annotations

import json
import os
import re
import subprocess
import sys
from pathlib import Path

import pytest

from support_policies.validate import load_schema

VALID = """\
    severities:
      - id: critical
        rank: 1
        name: Critical
        definition: The service is down.
    """

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


def caret_column(out: str, number: int) -> tuple[int, int]:
    """(column, width) of the carets under source line ``number`` in a text code frame."""
    lines = out.splitlines()
    for i, line in enumerate(lines[:-1]):
        source = re.match(r"^ +(\d+) \| ", line)
        carets = re.match(r"^ +\| ( *)(\^+)$", lines[i + 1])
        if source and carets and int(source[1]) == number:
            return len(carets[1]) + 1, len(carets[2])
    raise AssertionError(f"no caret under line {number} in:\n{out}")


# --- exit codes ------------------------------------------------------------------------------


def test_sample_policies_are_clean(run_cli, repo):
    code, out, err = run_cli("check", "policies", cwd=repo)
    assert code == 0, out
    assert out.startswith("No problems found")
    assert err == ""


def test_check_defaults_to_the_policies_folder(run_cli, repo):
    code, out, _ = run_cli("check", cwd=repo)
    assert code == 0
    assert "No problems found in" in out


def test_clean_file_exits_0(write_policy, run_cli, tmp_path):
    write_policy("severities.yaml", VALID)
    code, out, err = run_cli("check", "severities.yaml", cwd=tmp_path)
    assert (code, err) == (0, "")
    assert out == "No problems found in 1 file.\n"


def test_errors_exit_1(write_policy, run_cli, tmp_path):
    write_policy("tiers.yaml", WRONG_ENUM)
    code, out, err = run_cli("check", "tiers.yaml", cwd=tmp_path)
    assert code == 1
    assert out.rstrip().endswith("Found 1 error in 1 file.")
    assert err == ""


@pytest.mark.parametrize(
    "args",
    [
        ("check", "--no-such-option"),
        ("check", "--format", "xml"),
        ("frobnicate",),
        (),
    ],
    ids=["unknown-option", "unknown-format", "unknown-command", "no-command"],
)
def test_usage_errors_exit_2(run_cli, tmp_path, args):
    code, _out, err = run_cli(*args, cwd=tmp_path)
    assert code == 2
    assert "usage:" in err
    assert "Traceback" not in err


def test_help_exits_0(run_cli, tmp_path):
    code, out, _ = run_cli("check", "--help", cwd=tmp_path)
    assert code == 0
    assert "--strict" in out


def test_missing_path_is_io_missing(run_cli, tmp_path):
    code, out, err = run_cli("check", "--format", "json", "nowhere", cwd=tmp_path)
    assert code == 1
    [finding] = json.loads(out)["findings"]
    assert (finding["rule"], finding["file"], finding["line"], finding["column"]) == ("io.missing", "nowhere", 0, 0)
    assert "Traceback" not in err


def test_missing_path_in_text_output_has_no_frame(run_cli, tmp_path):
    code, out, _ = run_cli("check", "nowhere.yaml", cwd=tmp_path)
    assert code == 1
    assert out.startswith("nowhere.yaml: error: no such file or folder [io.missing]\n  hint: ")


def test_folder_without_policies_is_an_error(run_cli, tmp_path):
    (tmp_path / "empty").mkdir()
    code, out, _ = run_cli("check", "empty", cwd=tmp_path)
    assert code == 1
    assert "[io.no-policies]" in out


# --- --strict --------------------------------------------------------------------------------


def test_warnings_pass_without_strict_and_fail_with_it(write_policy, run_cli, tmp_path):
    write_policy("severities.yaml", VALID)
    write_policy("draft.yaml", "# to be written\n")
    code, out, _ = run_cli("check", ".", cwd=tmp_path)
    assert code == 0
    assert "draft.yaml:1:1: warning:" in out
    assert "Found 1 warning in 2 files." in out
    code, _, _ = run_cli("check", "--strict", ".", cwd=tmp_path)
    assert code == 1


def test_strict_passes_a_clean_set(run_cli, repo):
    code, _, _ = run_cli("check", "--strict", "policies", cwd=repo)
    assert code == 0


# --- JSON output ---------------------------------------------------------------------------


def test_json_output_has_every_field(write_policy, run_cli, tmp_path):
    write_policy("tiers.yaml", WRONG_ENUM)
    code, out, _ = run_cli("check", "--format", "json", "tiers.yaml", cwd=tmp_path)
    assert code == 1
    document = json.loads(out)
    assert document["version"] == 1
    assert document["files"] == 1
    assert document["summary"] == {"error": 1, "warning": 0, "info": 0}
    [finding] = document["findings"]
    assert set(finding) == {"file", "line", "column", "rule", "severity", "message", "hint"}
    assert finding["file"] == "tiers.yaml"
    assert (finding["line"], finding["column"]) == (5, 15)
    assert finding["rule"] == "schema.enum"
    assert finding["severity"] == "error"
    assert "'include'" in finding["message"]
    assert finding["hint"] == "Did you mean 'included'?"


def test_json_output_of_a_clean_run(run_cli, repo):
    code, out, _ = run_cli("check", "--format", "json", "policies", cwd=repo)
    assert code == 0
    document = json.loads(out)
    assert document["findings"] == []
    assert document["summary"]["error"] == 0
    assert document["files"] == len(list((repo / "policies").glob("*.yaml")))


def test_json_output_keeps_non_ascii_text(write_policy, run_cli, tmp_path):
    write_policy("organization.yaml", "organization:\n  name: Café\n  produkt: Größe\n")
    _code, out, _ = run_cli("check", "--format", "json", "organization.yaml", cwd=tmp_path)
    [finding] = json.loads(out)["findings"]
    assert finding["message"] == "unknown key 'produkt' in organization"
    assert (finding["line"], finding["column"]) == (3, 3)


# --- text output ----------------------------------------------------------------------------


def test_text_output_has_location_rule_frame_and_hint(write_policy, run_cli, tmp_path):
    write_policy("tiers.yaml", WRONG_ENUM)
    _code, out, _ = run_cli("check", "tiers.yaml", cwd=tmp_path)
    lines = out.splitlines()
    assert lines[0] == (
        "tiers.yaml:5:15: error: tiers[0].obtained (How it is obtained): "
        "'include' is not an allowed value [schema.enum]"
    )
    # One line of context either side.
    assert lines[1] == "  4 |     level: 1"
    assert lines[2] == "  5 |     obtained: include"
    assert lines[3] == "    |               ^^^^^^^"
    assert lines[4] == "  6 |     hours: 24x7"
    assert lines[5] == "  hint: Did you mean 'included'?"


def test_caret_sits_under_the_offending_value(write_policy, run_cli, tmp_path):
    write_policy("tiers.yaml", WRONG_ENUM)
    _, out, _ = run_cli("check", "tiers.yaml", cwd=tmp_path)
    assert caret_column(out, 5) == (15, len("include"))


def test_caret_sits_under_the_misspelled_key(write_policy, run_cli, tmp_path):
    write_policy(
        "severities.yaml",
        """\
        severities:
          - id: critical
            rank: 1
            name: Critical
            defintion: The service is down.
        """,
    )
    _, out, _ = run_cli("check", "severities.yaml", cwd=tmp_path)
    assert "severities.yaml:5:5: error: unknown key 'defintion'" in out
    assert caret_column(out, 5) == (5, len("defintion"))


def test_caret_under_a_value_inside_a_flow_mapping(write_policy, run_cli, tmp_path):
    write_policy(
        "tiers.yaml",
        """\
        tiers:
          - id: standard
            name: Standard
            level: 1
            obtained: included
            hours: 24x7
            targets:
              critical:
                acknowledge: {within: 2 hours, clock: 24x7}
        """,
    )
    code, out, _ = run_cli("check", "tiers.yaml", cwd=tmp_path)
    assert code == 1
    assert "tiers.yaml:9:31: error:" in out
    assert caret_column(out, 9) == (31, len("2 hours"))


def test_frame_shows_control_characters_as_pictures(write_policy, run_cli, tmp_path):
    write_policy("organization.yaml", b"organization:\n  name: Ex\x1b[2Jample\n")
    code, out, _ = run_cli("check", "organization.yaml", cwd=tmp_path)
    assert code == 1
    assert "organization.yaml:2:11: error:" in out
    assert "\x1b" not in out
    assert "  2 |   name: Ex\u241b[2Jample" in out
    assert caret_column(out, 2)[0] == 11


def test_text_output_has_no_colour_when_piped(write_policy, run_cli, tmp_path):
    write_policy("tiers.yaml", WRONG_ENUM)
    _, out, _ = run_cli("check", "tiers.yaml", cwd=tmp_path)
    assert "\x1b[" not in out


def test_findings_are_ordered_by_file_and_position(write_policy, run_cli, tmp_path):
    write_policy("b.yaml", "organization:\n  name: B\n  nmae: B\n")
    write_policy("a.yaml", "glossary:\n  - term: SLA\n    defnition: Service level.\n")
    _, out, _ = run_cli("check", "--format", "json", ".", cwd=tmp_path)
    places = [(f["file"], f["line"], f["column"]) for f in json.loads(out)["findings"]]
    assert places == sorted(places)
    assert places[0][0] == "a.yaml" and places[-1][0] == "b.yaml"


# --- never a traceback -------------------------------------------------------------------------

BROKEN = {
    "latin1.yaml": "organization:\n  name: Caf\xe9\n".encode("latin-1"),
    "utf16.yaml": "organization:\n  name: X\n".encode("utf-16"),
    "bom.yaml": b"\xef\xbb\xbforganization:\n  name: X\n",
    "tab.yaml": b"organization:\n\tname: X\n",
    "multi.yaml": b"a: 1\n---\nb: 2\n",
    "recursive.yaml": b"a: &x\n  b: *x\n",
    "deep.yaml": b"a: " + b"[" * 100_000 + b"]" * 100_000 + b"\n",
    "bomb.yaml": b"a: &a [x, x, x, x, x, x, x, x, x, x]\n"
    + b"".join(
        f"{n}: &{n} [{', '.join([f'*{p}'] * 10)}]\n".encode() for p, n in zip("abcdefgh", "bcdefghi", strict=True)
    ),
    "control.yaml": b"organization:\n  name: a\x07b\n",
    "nul.yaml": b"organization:\n  name: \x00\n",
    "python-tag.yaml": b"organization: !!python/object/apply:os.system ['echo pwned']\n",
    "merge.yaml": b"x: &x {name: a}\norganization:\n  <<: *x\n",
    "empty.yaml": b"",
    "list.yaml": b"- a\n- b\n",
    "scalar.yaml": b"hello\n",
    "null.yaml": b"~\n",
    "duplicate.yaml": b"organization:\n  name: a\n  name: b\n",
    "unclosed.yaml": b"organization:\n  name: [unclosed\n",
    "colon.yaml": b"organization:\n  name: Note: x\n",
    "complex-key.yaml": b"? [a]\n: b\n",
    "undefined-alias.yaml": b"organization: *nope\n",
    "huge-int.yaml": b"severities:\n  - id: a\n    rank: 99999999999999999999999999\n    name: A\n    definition: D\n",
    "cr-only.yaml": b"organization:\r  name: X\r  name: Y\r",
    "odd-keys.yaml": b"1: a\ntrue: b\n~: c\n",
    "target-keys.yaml": b"tiers:\n  - id: s\n    name: S\n    level: 1\n    obtained: paid\n"
    b"    hours: x\n    targets:\n      ~: {}\n      1: {}\n",
    "wrong-types.yaml": b"severities: 5\ntiers: {a: 1}\nchannels: [1, [2], {id: 3}]\n",
}


def test_a_folder_of_broken_files_never_shows_a_traceback(run_cli, tmp_path):
    folder = tmp_path / "broken"
    folder.mkdir()
    for name, raw in BROKEN.items():
        (folder / name).write_bytes(raw)
    (folder / "a-folder.yaml").mkdir()  # a folder named like a policy file is skipped
    for fmt in ("text", "json"):
        code, out, err = run_cli("check", "--format", fmt, "broken", cwd=tmp_path)
        assert code == 1
        assert "Traceback" not in out + err
        assert err == ""
    reported = {f["file"] for f in json.loads(out)["findings"]}
    assert reported == {f"broken/{name}" for name in BROKEN}


# --- schema command ---------------------------------------------------------------------------


def test_schema_prints_the_json_schema(run_cli, tmp_path):
    code, out, err = run_cli("schema", cwd=tmp_path)
    assert (code, err) == (0, "")
    assert json.loads(out) == load_schema()


@pytest.mark.parametrize("encoding", ["ascii", "cp1252"])
def test_schema_prints_the_shipped_utf8_file_whatever_the_terminals_encoding(tmp_path, encoding):
    """JSON is UTF-8 (RFC 8259); the schemas hold "—" and "→", which ASCII or a Windows code page cannot print."""
    from support_policies.validate import SCHEMAS

    env = {**os.environ, "PYTHONIOENCODING": encoding}
    command = [sys.executable, "-m", "support_policies", "schema", "--which", "settings"]
    done = subprocess.run(command, cwd=tmp_path, env=env, capture_output=True, timeout=120)
    assert (done.returncode, done.stderr) == (0, b"")
    assert done.stdout == (SCHEMAS / "settings.schema.json").read_bytes()


def test_schema_out_writes_the_file(run_cli, tmp_path):
    code, out, _ = run_cli("schema", "--out", "schema", cwd=tmp_path)
    assert code == 0
    written = tmp_path / "schema" / "policy.schema.json"
    assert json.loads(written.read_text("utf-8")) == load_schema()
    assert "policy.schema.json" in out


def test_schema_out_to_an_unwritable_place_is_a_usage_error(run_cli, tmp_path):
    (tmp_path / "taken").write_text("a file, not a folder")
    code, _out, err = run_cli("schema", "--out", "taken", cwd=tmp_path)
    assert code == 2
    assert "cannot write" in err
    assert "Traceback" not in err


def test_a_reader_that_stops_early_gets_no_traceback(tmp_path):
    """The command exits without the interpreter's teardown (``cli.run``): what it still has
    to say to a closed pipe is dropped quietly, and the exit status is kept."""
    command = [sys.executable, "-m", "support_policies", "schema"]
    with subprocess.Popen(command, cwd=tmp_path, stdout=subprocess.PIPE, stderr=subprocess.PIPE) as process:
        assert process.stdout is not None and process.stderr is not None
        assert process.stdout.read(10).startswith(b"{")
        process.stdout.close()
        err = process.stderr.read().decode()
        assert process.wait(timeout=60) == 0
    assert err == ""


@pytest.mark.parametrize("redirect", ["full disk", "closed stdout", "closed stderr"])
def test_output_that_cannot_be_written_is_not_a_success(tmp_path, redirect):
    """A failed final write of the output is reported as the interpreter reports it (status
    120), and a stream closed from the start is left alone, as before ``cli.run``."""
    env = {key: value for key, value in os.environ.items() if key != "PYTHONUNBUFFERED"}
    command = [sys.executable, "-m", "support_policies", "rules"]
    if redirect == "full disk":
        with open("/dev/full", "w") as full:
            done = subprocess.run(command, cwd=tmp_path, stdout=full, stderr=subprocess.PIPE, env=env)
        assert done.returncode == 120 and b"No space left" in done.stderr
    else:
        stream = {"closed stdout": "stdout", "closed stderr": "stderr"}[redirect]
        code = f"import sys, runpy; sys.{stream}.close(); sys.{stream} = None; sys.argv = ['x', 'rules']; "
        code += "runpy.run_module('support_policies', run_name='__main__')"
        done = subprocess.run([sys.executable, "-c", code], cwd=tmp_path, capture_output=True, env=env)
        assert done.returncode == 0, done.stderr


def test_the_console_command_exits_with_the_status_of_main(tmp_path):
    """``support-policies`` is :func:`support_policies.cli.run`, which keeps main's status."""
    import tomllib

    scripts = tomllib.loads((Path(__file__).parents[1] / "pyproject.toml").read_text())["project"]["scripts"]
    assert scripts["support-policies"] == "support_policies.cli:run"
    done = subprocess.run(
        [sys.executable, "-m", "support_policies", "check", "missing"], cwd=tmp_path, capture_output=True
    )
    assert done.returncode == 1 and b"io.missing" in done.stdout


def test_the_console_command_leaves_the_collector_off_and_main_restores_it(tmp_path, monkeypatch):
    """Turned on again at the end, the cyclic collector would walk everything the command made
    just before the process exits: ``run`` leaves it off; ``main``, called in-process, restores it."""
    import gc

    from support_policies import cli

    assert gc.isenabled()
    monkeypatch.chdir(tmp_path)
    assert cli.main(["rules"]) == 0 and gc.isenabled()
    exits: list[tuple[int, bool]] = []
    monkeypatch.setattr(cli.os, "_exit", lambda status: exits.append((status, gc.isenabled())))
    monkeypatch.setattr(sys, "argv", ["support-policies", "rules"])
    try:
        cli.run()
    finally:
        gc.enable()
    assert exits == [(0, False)]


def test_check_does_not_load_the_site_machinery(repo):
    """``check`` runs in CI on every commit and in editors on every save: it must not import
    MkDocs, Jinja2 or Markdown, nor the pure-Python validator while every document is valid."""
    code = (
        "import sys\nfrom support_policies.cli import main\nstatus = main(['check', 'policies'])\n"
        "heavy = {'mkdocs', 'jinja2', 'markdown', 'material', 'pymdownx', 'icalendar', 'jsonschema'}\n"
        "print(sorted({m.split('.')[0] for m in sys.modules} & heavy))\n"
        "sys.exit(status)"
    )
    done = subprocess.run([sys.executable, "-c", code], cwd=repo, capture_output=True, text=True, timeout=120)
    assert done.returncode == 0, done.stderr
    assert done.stdout.strip().splitlines()[-1] == "[]"
