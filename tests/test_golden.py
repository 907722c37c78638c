"""Golden files: the exact output of every fragment, page, download and report format.

Each golden is a file of its own in ``tests/__snapshots__/test_golden/``, named after the test
and its case, with the suffix of its format (``.html``, ``.md``, ``.ics``, ``.json``,
``.sarif``, ``.xml``, ``.yml``, ``.txt``), so a change of output is a readable diff in review.
They are compared byte for byte (the ``.ics`` files keep their CRLF line ends); a failure
shows the lines that differ.

When a change of output is meant, regenerate the goldens, then read their diff before you
commit them:

    ./dev.sh test tests/test_golden.py --snapshot-update

``--snapshot-update`` also deletes goldens no case produces any more (a schedule renamed, a
fragment removed); without it, such a file fails the run.

The outputs are made deterministic: the build date is fixed (``SOURCE_DATE_EPOCH`` and the
``today`` of ``site_files``), the site address is the sample's, and report runs are made in
a temporary folder outside any git repository whose address is written as
``file:///REPOSITORY/``. These tests are in addition to the behaviour tests, which say what
must hold; the goldens say what the output is today.
"""

from __future__ import annotations

import os
import re
import shutil
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from datetime import UTC, date, datetime
from functools import cache
from pathlib import Path

import pytest
from syrupy.extensions.single_file import SingleFileSnapshotExtension, WriteMode

from support_policies.exports.site import site_files
from support_policies.findings import Finding, Level
from support_policies.loader import Sources
from support_policies.model import PROMISE_KINDS, PolicySet
from support_policies.pages import PAGE_IDS
from support_policies.policyset import load_policies
from support_policies.render import FRAGMENTS, Renderer
from support_policies.reporters import reporter
from support_policies.reporters.as_github import step_summary

REPO = Path(__file__).resolve().parent.parent
TODAY = date(2027, 3, 1)
SOURCE_DATE_EPOCH = str(int(datetime(TODAY.year, TODAY.month, TODAY.day, tzinfo=UTC).timestamp()))
BASE_URL = "https://support.tallyweave.example/support/"
"""Where the sample publishes its section folder (mkdocs.yml: site_url and the plugin's path)."""
ROOT_PLACEHOLDER = "file:///REPOSITORY/"


# --- one golden file per output --------------------------------------------------------------


class GoldenFile(SingleFileSnapshotExtension):
    """A golden holding the output exactly, as UTF-8 text, line ends untouched."""

    _write_mode = WriteMode.TEXT
    file_extension = "txt"

    def serialize(self, data, **kwargs) -> str:
        return data.decode("utf-8") if isinstance(data, bytes) else str(data)

    def read_snapshot_data_from_location(self, *, snapshot_location, snapshot_name, session_id):
        try:
            with open(snapshot_location, encoding="utf-8", newline="") as file:
                return file.read()
        except FileNotFoundError:
            return None

    @classmethod
    def write_snapshot_collection(cls, *, snapshot_collection, name_order=None) -> None:
        data = next(iter(snapshot_collection)).data
        with open(snapshot_collection.location, "w", encoding="utf-8", newline="") as file:
            file.write(data)


@cache
def golden(suffix: str) -> type[GoldenFile]:
    """The golden-file extension writing files with ``suffix`` (``md``, ``ics``, …)."""
    return type(f"Golden_{suffix.replace('-', '_')}", (GoldenFile,), {"file_extension": suffix})


@pytest.fixture
def golden_file(snapshot) -> Callable[[str], object]:
    """``golden_file("html") == text`` compares ``text`` with this case's golden ``.html`` file."""
    return lambda suffix: snapshot.use_extension(golden(suffix))


@contextmanager
def build_date() -> Iterator[None]:
    """``calendar.now()`` reads the fixed build date while the block runs."""
    before = os.environ.get("SOURCE_DATE_EPOCH")
    os.environ["SOURCE_DATE_EPOCH"] = SOURCE_DATE_EPOCH
    try:
        yield
    finally:
        if before is None:
            del os.environ["SOURCE_DATE_EPOCH"]
        else:
            os.environ["SOURCE_DATE_EPOCH"] = before


# --- the sample: fragments, pages and downloads ---------------------------------------------


@cache
def sample() -> PolicySet:
    result = load_policies([REPO / "policies"])
    assert result.policy is not None and not result.findings, result.findings
    return result.policy


@cache
def renderer() -> Renderer:
    return Renderer(sample(), base_url=BASE_URL)


COLLECTIONS = {"tier": "tiers", "channel": "channels", "template": "ticket_templates", "journey": "journeys"}
"""Which ids of the policy set a fragment's required parameter (``needs tier=ID``) takes."""
OPTIONS = {"tier-matrix": {"kind": PROMISE_KINDS}}
"""Optional parameters whose every value changes what a fragment shows."""


def fragment_cases() -> dict[str, tuple[str, dict]]:
    """Every fragment of ``FRAGMENTS``: once with its defaults, or once per sample id it needs."""
    policy = sample()
    cases: dict[str, tuple[str, dict]] = {}
    for name, description in FRAGMENTS.items():
        needs = re.findall(r"\bneeds (\w+)=ID\b", description)
        assert len(needs) <= 1, f"{name}: teach fragment_cases() about {needs}"
        if needs:
            (param,) = needs
            assert param in COLLECTIONS, f"{name} needs {param}=ID: add {param} to COLLECTIONS"
            for item in getattr(policy, COLLECTIONS[param]):
                cases[f"{name}-{item.id}"] = (name, {param: item.id})
        else:
            cases[name] = (name, {})
        for option, values in OPTIONS.get(name, {}).items():
            for value in values:
                cases[f"{name}-{option}={value}"] = (name, {option: value})
    return cases


FRAGMENT_CASES = fragment_cases()


@pytest.mark.parametrize("case", FRAGMENT_CASES)
def test_fragment(case, golden_file):
    """Every fragment, for each id it needs. A fragment is one line of HTML (one raw block for
    Markdown); its golden breaks that line between tags (``> <``), which loses nothing."""
    name, params = FRAGMENT_CASES[case]
    with build_date():
        html = str(renderer().fragment(name, **params))
    assert "\n" not in html
    assert html.replace("> <", ">\n<") + "\n" == golden_file("html")


def test_every_fragment_has_a_golden():
    assert {name for name, _ in FRAGMENT_CASES.values()} == set(FRAGMENTS)
    assert len(FRAGMENT_CASES) > len(FRAGMENTS)  # the sample has ids for each parameter


COPIED = ("assets/", "schema/")
"""Files the site copies unchanged from the package (the stylesheet, the JSON Schemas): the
package file is the golden."""


@cache
def published() -> dict[str, bytes]:
    """Every file the sample adds to its site, by path, except the copied ones."""
    with build_date():
        files = site_files(renderer(), PAGE_IDS, today=TODAY)
    return {file.path: file.content for file in files if not file.path.startswith(COPIED)}


def _case(path: str) -> tuple[str, str]:
    """A site path as a case name and the suffix of its golden: ``downloads/github/x.yml`` → (…, ``yml``)."""
    stem, _, suffix = path.rpartition(".")
    return stem.replace("/", "__"), suffix


SITE_CASES = {_case(path)[0]: path for path in published()}


@pytest.mark.parametrize("case", SITE_CASES)
def test_site_file(case, golden_file):
    """Every page's Markdown, every ticket download in every format, every calendar, policies.json."""
    path = SITE_CASES[case]
    assert published()[path] == golden_file(_case(path)[1])


def test_the_site_goldens_cover_every_kind_of_file():
    from support_policies.exports.tickets import TICKET_FORMATS

    paths = set(published())
    policy = sample()
    assert {f"{page}.md" for page in ("index", "plans", "tickets", "data", "rules")} <= paths
    assert {fmt.path(t.id) for fmt in TICKET_FORMATS for t in policy.ticket_templates} <= paths
    assert {f"data/calendars/{s.id}.ics" for s in policy.schedules} <= paths
    assert "data/policies.json" in paths
    assert len(SITE_CASES) == len(paths)  # no two paths share a golden


# --- reports: a fixed set of findings, and runs over broken copies of the sample -----------

FIXED_SOURCES = {
    "policies/tiers.yaml": "tiers:\n  - id: standard\n    name: Standard\n    obtained: include\n",
    "policies/broken.yaml": "severities:\n  - id: critical\n    rank: [1\n",
    "policies/glossary.yaml": "glossary:\n  - term: Widget\n    definition: A thing.\n",
    "policies/odd.yaml": 'status:\n  page: "x\\u001b[31m"\n',
}
FIXED_FINDINGS = [
    Finding(
        "policies/tiers.yaml",
        4,
        15,
        "schema.enum",
        Level.ERROR,
        "tiers[0].obtained (How it is obtained): 'include' is not an allowed value",
        "Did you mean 'included'?",
    ),
    Finding("policies/tiers.yaml", 2, 9, "coverage.missing", Level.ERROR, "tier 'standard' has no target for 'low'"),
    Finding("policies/broken.yaml", 4, 1, "yaml.syntax", Level.ERROR, "expected ',' or ']', but got '<stream end>'"),
    Finding(
        "policies/glossary.yaml",
        1,
        1,
        "yaml.bom",
        Level.WARNING,
        "the file starts with a byte-order mark (BOM)",
        "Save the file as UTF-8 without BOM; some tools show the mark as a stray character.",
    ),
    Finding("policies/glossary.yaml", 2, 11, "glossary.unused", Level.WARNING, "the term 'Widget' is never used"),
    Finding("policies/odd.yaml", 2, 9, "uptime.maintenance-budget", Level.INFO, "a note | with *Markdown* <b>"),
    Finding(
        "policies/odd.yaml",
        2,
        9,
        "schema.control-character",
        Level.ERROR,
        "status.page holds an escape \x1b[31m and a line\nbreak",
        "Write the text without it.",
    ),
    Finding("my policies/50% off.yaml", 0, 0, "yaml.empty", Level.WARNING, "the file is empty: it holds no policy"),
    Finding("missing.yaml", 0, 0, "io.missing", Level.ERROR, "no such file or folder"),
    Finding("/elsewhere/abs.yaml", 3, 1, "yaml.tab", Level.ERROR, "a tab character is used for indentation"),
]
FIXED_CHECKED = sorted({f.file for f in FIXED_FINDINGS} | {"policies/severities.yaml"})

FORMATS = {"text": "txt", "json": "json", "github": "txt", "sarif": "sarif", "junit": "xml"}
"""Each report format, with the suffix of its golden; the GitHub step summary is ``.md``."""


def _normalised(text: str, folder: Path) -> str:
    """A report with the run's temporary folder written as ``file:///REPOSITORY/``."""
    return text.replace(folder.resolve().as_uri() + "/", ROOT_PLACEHOLDER)


@pytest.fixture
def outside_git(tmp_path, monkeypatch) -> Path:
    """A working folder in no git repository: SARIF's %SRCROOT% is the working directory."""
    monkeypatch.setenv("GIT_CEILING_DIRECTORIES", str(tmp_path))
    monkeypatch.delenv("GITHUB_STEP_SUMMARY", raising=False)
    folder = tmp_path / "work"
    folder.mkdir()
    monkeypatch.chdir(folder)
    return folder


@pytest.mark.parametrize("fmt", FORMATS)
def test_report_of_fixed_findings(fmt, golden_file, outside_git):
    out = reporter(fmt)(
        FIXED_FINDINGS, Sources(FIXED_SOURCES), colour=False, files=len(FIXED_CHECKED), checked=FIXED_CHECKED
    )
    assert _normalised(out, outside_git) == golden_file(FORMATS[fmt])


def test_step_summary_of_fixed_findings(golden_file):
    assert step_summary(FIXED_FINDINGS, len(FIXED_CHECKED)) == golden_file("md")


def _edit(folder: Path, name: str, old: str, new: str) -> None:
    path = folder / name
    text = path.read_text("utf-8")
    assert old in text, f"the sample's {name} changed: pick another edit for the broken copy"
    path.write_text(text.replace(old, new, 1), "utf-8")


def _unreadable_sample(policies: Path) -> None:
    """Mistakes the loader and the schema find (so no rule runs)."""
    _edit(policies, "tiers.yaml", "obtained: included", "obtained: include")
    _edit(policies, "channels.yaml", "response: {within: 1d,", "response: {within: 1 day,")
    _edit(
        policies, "organization.yaml", "  timezone: America/Chicago\n", "  timezone: America/Chicago\n  colour: blue\n"
    )
    _edit(policies, "severities.yaml", "    rank: 1\n", "    rank: 1\n    rank: 2\n")
    _edit(policies, "scope.yaml", "\n", "\n\t\n")
    (policies / "glossary.yaml").write_bytes(b"\xef\xbb\xbf" + (policies / "glossary.yaml").read_bytes())


def _inconsistent_sample(policies: Path) -> None:
    """Files that load and match the schema, with mistakes the rules find."""
    _edit(policies, "tiers.yaml", "contacts: [escalations, account-executive]", "contacts: [escalations, nobody]")
    _edit(policies, "tiers.yaml", "obtained: included", "obtained: included  # support-policies: ignore ref.unknown")
    _edit(
        policies, "tiers.yaml", "    level: 1\n", "    level: 1  # support-policies: ignore coverage.missing -- old\n"
    )
    glossary = policies / "glossary.yaml"
    glossary.write_text(glossary.read_text("utf-8") + "  - term: Widget\n    definition: A thing no page names.\n")


BROKEN = {"unreadable-sample": _unreadable_sample, "inconsistent-sample": _inconsistent_sample}


@pytest.fixture(scope="module")
def broken_runs(tmp_path_factory) -> dict[str, dict[str, str]]:
    """``support-policies check policies`` over each broken copy: every format of one run."""
    from conftest import run_cli

    runs = {}
    with pytest.MonkeyPatch.context() as patch:
        base = tmp_path_factory.mktemp("golden-runs")
        patch.setenv("GIT_CEILING_DIRECTORIES", str(base))
        for name, breaks in BROKEN.items():
            folder = base / name
            shutil.copytree(REPO / "policies", folder / "policies")
            breaks(folder / "policies")
            summary = folder / "reports" / "summary.md"
            patch.setenv("GITHUB_STEP_SUMMARY", str(summary))
            outputs = [f"--output={fmt}=reports/out.{fmt}" for fmt in FORMATS if fmt != "text"]
            code, out, err = run_cli("check", "policies", *outputs, cwd=folder)
            assert code == 1 and err == "", err
            texts = {fmt: (folder / f"reports/out.{fmt}").read_text("utf-8") for fmt in FORMATS if fmt != "text"}
            texts["text"] = out
            texts["summary"] = summary.read_text("utf-8")
            runs[name] = {fmt: _normalised(text, folder) for fmt, text in texts.items()}
    return runs


@pytest.mark.parametrize("fmt", [*FORMATS, "summary"])
@pytest.mark.parametrize("sample_copy", BROKEN)
def test_report_of_a_broken_sample(sample_copy, fmt, golden_file, broken_runs):
    assert broken_runs[sample_copy][fmt] == golden_file(FORMATS.get(fmt, "md"))
