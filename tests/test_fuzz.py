"""Fuzzing the whole pipeline: bad input only ever yields findings, never an exception.

Every test runs through the public front doors (``load_policies`` on files, the loader on
bytes and text, every reporter, ``export``, ``deadline`` and ``mkdocs build``) and checks what
a writer would see: a Result whose findings each name the file, a place in it, a rule and a
message; and for policies that check clean, a site, an export and an answer for every
promise. Any exception fails the test. Examples are derandomized so CI runs the same ones.
"""

from __future__ import annotations

import contextlib
import copy
import io
import os
import re
import shutil
from collections import Counter
from datetime import timedelta
from pathlib import Path

import markdown
import yaml
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from support_policies import cli, loader
from support_policies.exports.site import site_files
from support_policies.exports.writer import write_export
from support_policies.findings import Level, has_errors
from support_policies.markdown import PolicyBlocksExtension
from support_policies.pages import PAGE_IDS
from support_policies.policyset import display_name, load_policies
from support_policies.render import Renderer
from support_policies.reporters import FORMATS, reporter
from support_policies.reporters.as_github import step_summary
from support_policies.rules import RULES_BY_ID
from support_policies.validate import validate

REPO = Path(__file__).resolve().parent.parent
SAMPLE = {p.name: loader.load_file(p)[0].data for p in sorted((REPO / "policies").glob("*.yaml"))}

FUZZ = settings(
    deadline=timedelta(seconds=2),
    derandomize=True,
    database=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
"""Repeatable in CI; each example must finish within 2 seconds."""

RULE_ID = re.compile(r"[a-z]+(\.[a-z0-9]+(-[a-z0-9]+)*)+")
WHOLE_FILE = {"io.read", "yaml.too-large"}
"""The findings about a whole file, at line 0 column 0; every other finding points into the file."""
BEFORE_RULES = ("io.", "yaml.", "schema.", "policy.")
"""Rule-id prefixes of the stages that decide whether the rules run at all."""


def check_findings(findings, texts: dict[str, str]) -> None:
    """Each finding names a file that was read, a place in it, a known kind of rule and a message."""
    for f in findings:
        assert f.file in texts, f
        assert RULE_ID.fullmatch(f.rule), f
        assert isinstance(f.level, Level) and f.message.strip() and isinstance(f.hint, str), f
        if (f.line, f.column) == (0, 0):
            assert f.rule in WHOLE_FILE, f
        else:
            text = texts[f.file]
            assert 1 <= f.line <= len(text.splitlines()) + 1, f
            assert 1 <= f.column <= len(text) + 1, f


def check_result(result, texts: dict[str, str]) -> None:
    """The pipeline's promise: the rules run exactly when loading, the schema and merging found no error."""
    check_findings(result.findings, texts)
    stopped = has_errors(f for f in result.findings if f.rule.startswith(BEFORE_RULES))
    assert (result.policy is None) == stopped, result.findings
    for f in result.findings:
        assert f.rule.startswith(BEFORE_RULES + ("suppression.",)) or f.rule in RULES_BY_ID, f


# --- bytes and text ------------------------------------------------------------------------------

TOKENS = [
    "a",
    "b",
    "severities",
    "id",
    ":",
    ": ",
    " ",
    "  ",
    "\n",
    "\r\n",
    "\r",
    "\t",
    "- ",
    "-",
    "[",
    "]",
    "{",
    "}",
    ",",
    "&x ",
    "*x",
    "!!str ",
    "!!int ",
    "!!python/object:os.system ",
    "!x ",
    "|",
    ">-",
    "'",
    '"',
    "\\",
    "# ",
    "---\n",
    "...\n",
    "? ",
    "%YAML 1.2\n",
    "<<: ",
    "1e9",
    "0x1F",
    "0o7",
    "~",
    "null",
    "NO",
    "8:00",
    "2026-02-30",
    ".nan",
    "-.inf",
    "9" * 80,
    "9" * 4400,
    "\ufeff",
    "\x00",
    "\x07",
    "\x1b",
    "\x7f",
    "\x85",
    "\u2028",
    "\u202e",
    "\ud800",
    "\udfff",
    "é",
    "😀",
    "<script>",
    "{{ 7*7 }}",
]
yamlish = st.lists(st.sampled_from(TOKENS), max_size=60).map("".join)
long_lines = st.builds(
    lambda head, n, tail: head * n + tail,
    st.sampled_from(["x", "é", " ", "\t", "[", "- ", "a: "]),
    st.integers(1_000, 100_000),
    yamlish,
)
any_text = st.one_of(st.text(st.characters(codec=None, exclude_categories=())), yamlish, long_lines)
"""Any text at all: control characters, lone surrogates, BOMs, tabs, very long lines and YAML syntax."""
any_bytes = st.one_of(
    st.binary(max_size=400),
    st.builds(
        lambda prefix, text: prefix + text.encode("utf-8", "surrogatepass"),
        st.sampled_from([b"", b"\xef\xbb\xbf", b"\xff\xfe", b"\xfe\xff", b"\xc3", b"\x80"]),
        any_text,
    ),
    st.builds(
        lambda text, bad, at: (lambda raw: raw[:at] + bad + raw[at:])(text.encode("utf-8", "surrogatepass")),
        yamlish,
        st.sampled_from([b"\xff", b"\xc3\x28", b"\xed\xa0\x80", b"\xf4\x90\x80\x80", b"\x00"]),
        st.integers(0, 200),
    ),
)


@settings(FUZZ, max_examples=300)
@given(data=any_bytes)
def test_any_bytes_in_a_file_yield_findings(tmp_path, data):
    path = tmp_path / "fuzz.yaml"
    path.write_bytes(data)
    result = load_policies([path])
    check_result(result, {display_name(path): data.removeprefix(b"\xef\xbb\xbf").decode("utf-8", "replace")})


@settings(FUZZ, max_examples=300)
@given(text=any_text)
def test_any_text_yields_findings(text):
    document, findings = loader.load_text(text, "fuzz.yaml")
    if document is not None:
        findings += validate(document)
    check_findings(findings, {"fuzz.yaml": text})
    assert document is not None or has_errors(findings)


# --- documents shaped like policies -------------------------------------------------------------------


def _walk(value, path=()):
    yield path, value
    if isinstance(value, dict):
        for key, item in value.items():
            yield from _walk(item, path + (key,))
    elif isinstance(value, list):
        for i, item in enumerate(value):
            yield from _walk(item, path + (i,))


FAMILIES = [
    sorted(item["id"] for item in items) + (["24x7"] if section == "schedules" else [])
    for data in SAMPLE.values()
    for section, items in data.items()
    if isinstance(items, list) and all(isinstance(item, dict) and "id" in item for item in items)
]
"""Ids of one kind (schedules and 24x7, severities, channels, …): swapping within one keeps references valid."""
IDS = sorted({i for family in FAMILIES for i in family}) + ["missing-id", "con", "x" * 64]
DURATION = re.compile(r"[0-9]+(m|h|d|w|mo|y)")
TIME = re.compile(r"[0-9]{2}:[0-9]{2}")
ZONE = re.compile(r"UTC|[A-Z][a-z]+/[A-Za-z_/]+")

durations = st.builds(
    "{}{}".format,
    st.sampled_from([1, 1, 5, 12, 59, 60, 1440, 2000, 99_999, 0, 100_000]),
    st.sampled_from(["m", "h", "d", "w", "m", "h", "d", "w", "mo", "y", "s"]),
)
times = st.builds(
    "{:02d}:{:02d}".format, st.sampled_from([0, 1, 8, 12, 17, 22, 23, 24, 25]), st.sampled_from([0, 0, 30, 59, 60])
)
zones = st.sampled_from(
    [
        "UTC",
        "America/Chicago",
        "Europe/London",
        "Asia/Kolkata",
        "Australia/Lord_Howe",
        "Pacific/Chatham",
        "America/Argentina/Buenos_Aires",
        "Etc/GMT+14",
        "Mars/Olympus",
        "EST",
        "utc",
        "Europe/",
        "America/Chicago/Extra",
    ]
)
one_line = st.text(st.characters(exclude_characters="\r\n\x85\u2028\u2029"), min_size=1, max_size=60)
texts = st.one_of(one_line, one_line, st.text(min_size=1, max_size=60))
scalars = st.one_of(
    st.none(),
    st.booleans(),
    st.integers(-(10**20), 10**20),
    st.floats(),
    texts,
    durations,
    times,
    zones,
    st.sampled_from(IDS),
)
values = st.recursive(
    scalars,
    lambda inner: st.one_of(
        st.lists(inner, max_size=3),
        st.dictionaries(
            st.sampled_from(["id", "name", "within", "clock", "max", "min", "days", "x"]), inner, max_size=3
        ),
    ),
    max_leaves=8,
)


def _swap(value):
    family = next((f for f in FAMILIES if value in f), IDS)
    return st.sampled_from(family + ["missing-id"])


MUTATIONS = {  # which values each kind of change applies to, and what it writes there
    "drop": (lambda v: True, None),
    "retype": (lambda v: True, lambda v: values),
    "unknown key": (lambda v: isinstance(v, dict), None),
    "duplicate": (lambda v: isinstance(v, list) and v, None),
    "id": (lambda v: v in IDS, _swap),
    "duration": (lambda v: isinstance(v, str) and DURATION.fullmatch(v), lambda v: durations),
    "time": (lambda v: isinstance(v, str) and TIME.fullmatch(v), lambda v: times),
    "zone": (lambda v: isinstance(v, str) and ZONE.fullmatch(v), lambda v: zones),
    "text": (lambda v: isinstance(v, str), lambda v: texts),
}
KINDS = ["drop", "retype", "unknown key", "duplicate"] + ["id", "duration", "time", "zone", "text"] * 2
"""Changes that keep a document schema-valid come up twice as often, so the rules get to run."""


@st.composite
def policy_sets(draw):
    """The sample policies with one to four mutations: keys dropped, types changed, ids swapped,
    duplicated or dangling, unknown keys, odd durations, times, zones and text."""
    files = copy.deepcopy(SAMPLE)
    for _ in range(draw(st.sampled_from([1, 1, 1, 2, 3, 4]))):
        kind = draw(st.sampled_from(KINDS))
        applies, replacement = MUTATIONS[kind]
        targets = [
            (name, path, value)
            for name in sorted(files)
            for path, value in _walk(files[name])
            if path and applies(value)
        ]
        if not targets:
            continue
        name, path, value = draw(st.sampled_from(targets))
        parent = files[name]
        for part in path[:-1]:
            parent = parent[part]
        key = path[-1]
        if kind == "drop":
            del parent[key]
        elif kind == "unknown key":
            value[draw(st.text(min_size=1, max_size=12))] = draw(values)
        elif kind == "duplicate":
            value.append(copy.deepcopy(draw(st.sampled_from(value))))
        else:
            parent[key] = draw(replacement(value))
    return files


EXTENSIONS = [
    e if isinstance(e, str) else next(iter(e))
    for e in yaml.safe_load((REPO / "mkdocs.yml").read_text("utf-8"))["markdown_extensions"]
    if e != "support_policies.markdown"
]


def _write(folder: Path, files: dict) -> dict[str, str]:
    shutil.rmtree(folder, ignore_errors=True)
    folder.mkdir(parents=True)
    written = {}
    for name, data in files.items():
        written[name] = yaml.safe_dump(data, allow_unicode=True, sort_keys=False)
        (folder / name).write_text(written[name], "utf-8")
    return written


def _report_everywhere(result) -> None:
    """Every reporter renders the findings, and the text stays printable."""
    sources = result.sources()
    for name in FORMATS:
        reporter(name)(result.findings, sources, files=len(result.documents), checked=sorted(result.texts)).encode(
            "utf-8"
        )
    step_summary(result.findings, len(result.documents)).encode("utf-8")


INSTANTS = [
    "2026-11-27T16:00:00-06:00",
    "2026-03-08T02:30:00",
    "2026-11-01T01:30:00",
    "2024-02-29T23:59:00+14:00",
    "9999-12-31T23:59:00+00:00",
    "0001-01-01T00:00:00+00:00",
    "1970-01-01T00:00:00Z",
]


def _deadline(folder: Path, tier: str, severity: str, kind: str, at: str) -> int:
    """``support-policies deadline`` in process: an exit code, never an exception."""
    out = io.StringIO()
    with contextlib.redirect_stdout(out), contextlib.redirect_stderr(out):
        code = cli.main(
            [
                "deadline",
                str(folder),
                "--tier",
                tier,
                "--severity",
                severity,
                "--kind",
                kind,
                "--at",
                at,
                "--tz",
                "Pacific/Chatham",
                "--format",
                "json" if len(at) % 2 else "text",
            ]
        )
    assert code in (0, 1, 2), out.getvalue()
    out.getvalue().encode("utf-8")
    return code


def test_policy_shaped_documents_yield_findings_or_a_site(tmp_path):
    """Mutated sample policies load to findings that every reporter prints; those that check clean
    render every page, export, and answer ``deadline`` for every promise at odd instants."""
    outcomes = Counter()

    @settings(FUZZ, max_examples=150, deadline=timedelta(seconds=10))
    @given(files=policy_sets(), at=st.sampled_from(INSTANTS))
    def run(files, at):
        folder = tmp_path / "policies"
        written = _write(folder, files)
        result = load_policies([folder])
        check_result(result, {f.file: written[Path(f.file).name] for f in result.findings})
        _report_everywhere(result)
        outcomes["refused" if result.policy is None else "checked"] += 1
        if result.ok:
            renderer = Renderer(result.policy)
            files_out = site_files(renderer, PAGE_IDS)
            for file in files_out:
                if file.is_page:
                    html = markdown.markdown(
                        file.content.decode("utf-8"), extensions=[*EXTENSIONS, PolicyBlocksExtension(renderer=renderer)]
                    )
                    assert html.strip(), file.path
            write_export(files_out, tmp_path / "export")
            tier = result.policy.tiers[0] if result.policy.tiers else None
            for severity in tier.targets if tier else {}:
                for kind, _ in tier.targets[severity].promises():
                    _deadline(folder, tier.id, severity, kind, at)
            outcomes["rendered"] += 1

    run()
    # Each stage is reached often enough to matter: schema refusals, rule checks, whole sites.
    assert outcomes["refused"] >= 20 and outcomes["checked"] >= 20 and outcomes["rendered"] >= 10, outcomes


def test_mutated_policies_build_or_fail_with_a_message(tmp_path):
    """``mkdocs build`` on mutated policies: a site, or a build error with findings; never a traceback."""
    from mkdocs.commands.build import build
    from mkdocs.config import load_config
    from mkdocs.exceptions import Abort, PluginError

    project = tmp_path / "project"
    shutil.copytree(REPO / "docs", project / "docs")
    shutil.copy(REPO / "mkdocs.yml", project / "mkdocs.yml")
    outcomes = Counter()

    @settings(FUZZ, max_examples=12, deadline=None)
    @given(files=policy_sets())
    def run(files):
        _write(project / "policies", files)
        previous = os.getcwd()
        os.chdir(project)
        try:
            build(load_config(str(project / "mkdocs.yml"), site_dir=str(tmp_path / "site")))
            outcomes["built"] += 1
        except (PluginError, Abort) as exc:  # MkDocs wraps the plugin's error in an Abort
            assert isinstance(exc, PluginError) or isinstance(exc.__context__, PluginError), exc
            assert str(exc if isinstance(exc, PluginError) else exc.__context__).startswith("support-policies: ")
            outcomes["refused"] += 1
        finally:
            os.chdir(previous)

    run()
    assert outcomes["built"] and outcomes["refused"], outcomes


# --- defects the fuzzing found ------------------------------------------------------------------------


def test_an_integer_too_long_for_python_is_a_finding():
    """Python refuses to convert integers of 4,300 digits or more; the loader used to crash on them."""
    for written in ("9" * 5000, "-" + "9" * 5000, "0x" + "f" * 5000, "9" * 65):
        document, findings = loader.load_text(f"rank: {written}\n", "fuzz.yaml")
        assert [(f.rule, f.line, f.column) for f in findings] == [("yaml.not-a-number", 1, 7)], written
        assert "not a usable number" in findings[0].message
    document, findings = loader.load_text("rank: " + "9" * 64 + "\n", "fuzz.yaml")
    assert findings == [] and document.data["rank"] == int("9" * 64)


def test_a_promise_beyond_the_calendar_horizon_is_still_compared(tmp_path):
    """99999 business hours (some 44 years) used to pass every ordering check unnoticed."""
    files = copy.deepcopy(SAMPLE)
    premium = next(t for t in files["tiers.yaml"]["tiers"] if t["id"] == "premium")
    premium["targets"]["critical"]["acknowledge"] = {"within": "99999h", "clock": "standard-hours"}
    for name, data in files.items():
        (tmp_path / name).write_text(yaml.safe_dump(data, allow_unicode=True, sort_keys=False), "utf-8")
    findings = load_policies([tmp_path]).findings
    assert sorted(f.rule for f in findings) == [
        "promises.too-long",
        "severities.out-of-order",
        "tiers.slower-than-lower-tier",
        "tiers.slower-than-lower-tier",
    ], findings
    assert all("more than five years" in f.message for f in findings), findings
    assert "is too long" in next(f.message for f in findings if f.rule == "promises.too-long")
