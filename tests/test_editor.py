"""What a writer sees in the editor: the real yaml-language-server, driven over LSP.

The server is the npm package pinned in ``tests/editor/package-lock.json``; ``./dev.sh test``
installs it (``npm ci --prefix tests/editor``). Each test opens a policy file as an editor
does — its text under a file URI in ``policies/`` or ``examples/``, with its own
``# yaml-language-server: $schema=…`` line — and reads what the editor would show:
diagnostics, hover text, completion items and quick fixes. Nothing is written to the
repository: a broken copy exists only in the server's memory, under a name no file has.

Expected texts are read from the committed schema, which is the file the editor reads.
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import threading
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parent.parent
SCHEMA_FILE = REPO / "plugins" / "support_policies" / "schemas" / "policy.schema.json"
SCHEMA = json.loads(SCHEMA_FILE.read_text("utf-8"))
DEFS = SCHEMA["$defs"]
SETTINGS_SCHEMA = SCHEMA_FILE.with_name("settings.schema.json")
SERVER = REPO / "tests" / "editor" / "node_modules" / "yaml-language-server" / "bin" / "yaml-language-server"
NODE = shutil.which("node")
MODELINE = "# yaml-language-server: $schema=../plugins/support_policies/schemas/policy.schema.json\n"
TIMEOUT = 60

if NODE is None and os.environ.get("CI") != "true":
    pytestmark = pytest.mark.skip(reason="Node.js is not installed: the editor tests run yaml-language-server on node")

SETTINGS = {
    "yaml": {
        "validate": True,
        "hover": True,
        "completion": True,
        "hoverSchemaSource": False,
        "schemaStore": {"enable": False},
        # the settings file has no modeline in the test: it gets its schema from the editor's settings
        "schemas": {SETTINGS_SCHEMA.as_uri(): ["support-policies.yaml"]},
    },
    "http": {},
    "[yaml]": {},
    "editor": {"tabSize": 2},
}
CAPABILITIES = {
    "textDocument": {
        "completion": {"completionItem": {"snippetSupport": True, "documentationFormat": ["markdown", "plaintext"]}},
        "hover": {"contentFormat": ["markdown", "plaintext"]},
        "publishDiagnostics": {},
        "codeAction": {"codeActionLiteralSupport": {"codeActionKind": {"valueSet": ["quickfix"]}}},
    },
    "workspace": {"configuration": True},
}


class LanguageServer:
    """A minimal LSP client: JSON-RPC messages with Content-Length headers over the server's stdio.

    Requests the server sends (``workspace/configuration`` and the like) are answered from
    ``SETTINGS``; ``textDocument/publishDiagnostics`` notifications are kept per document.
    """

    def __init__(self, command: list[str]):
        self.process = subprocess.Popen(command, stdin=subprocess.PIPE, stdout=subprocess.PIPE, stderr=subprocess.PIPE)
        self.lock = threading.Condition()
        self.responses: dict[int, dict] = {}
        self.diagnostics: dict[str, list[list[dict]]] = {}
        self.last_id = 0
        self.versions: dict[str, int] = {}
        threading.Thread(target=self._read, daemon=True).start()
        threading.Thread(target=self.process.stderr.read, daemon=True).start()

    def _send(self, message: dict) -> None:
        body = json.dumps({"jsonrpc": "2.0", **message}).encode("utf-8")
        self.process.stdin.write(b"Content-Length: %d\r\n\r\n" % len(body) + body)
        self.process.stdin.flush()

    def _read(self) -> None:
        stream = self.process.stdout
        while True:
            headers = {}
            while (line := stream.readline()) not in (b"\r\n", b"\n"):
                if not line:
                    with self.lock:
                        self.lock.notify_all()
                    return
                name, _, value = line.decode("ascii").partition(":")
                headers[name.strip().lower()] = value.strip()
            message = json.loads(stream.read(int(headers["content-length"])))
            if "method" in message and "id" in message:
                self._answer(message)
            with self.lock:
                if "method" not in message:
                    self.responses[message["id"]] = message
                elif message["method"] == "textDocument/publishDiagnostics":
                    params = message["params"]
                    self.diagnostics.setdefault(params["uri"], []).append(params["diagnostics"])
                self.lock.notify_all()

    def _answer(self, request: dict) -> None:
        result = None
        if request["method"] == "workspace/configuration":
            result = [SETTINGS.get(item.get("section")) for item in request["params"]["items"]]
        self._send({"id": request["id"], "result": result})

    def _wait(self, ready, what: str):
        """What ``ready()`` returns once it is not None (a response, a list of diagnostics)."""
        with self.lock:
            self.lock.wait_for(lambda: ready() is not None or self.process.poll() is not None, TIMEOUT)
            if ready() is None:
                raise AssertionError(f"yaml-language-server gave no {what} (exit code {self.process.poll()})")
            return ready()

    def request(self, method: str, params: dict):
        self.last_id += 1
        number = self.last_id
        self._send({"id": number, "method": method, "params": params})
        response = self._wait(lambda: self.responses.get(number), method)
        assert "error" not in response, response["error"]
        return response["result"]

    def notify(self, method: str, params: dict) -> None:
        self._send({"method": method, "params": params})

    def open(self, path: Path, text: str) -> list[dict]:
        """Open ``text`` as the document ``path``; return the diagnostics the server publishes."""
        uri = path.as_uri()
        assert uri not in self.versions, f"{path} is open already: give each case its own name"
        self.versions[uri] = 1
        self.notify(
            "textDocument/didOpen", {"textDocument": {"uri": uri, "languageId": "yaml", "version": 1, "text": text}}
        )
        return self._wait(lambda: (self.diagnostics.get(uri) or [None])[-1], f"diagnostics for {path.name}")

    def at(self, method: str, path: Path, line: int, character: int, **extra):
        return self.request(
            method,
            {"textDocument": {"uri": path.as_uri()}, "position": {"line": line, "character": character}, **extra},
        )

    def close(self) -> None:
        if self.process.poll() is None:
            try:
                self.request("shutdown", None)
                self.notify("exit", None)
                self.process.wait(10)
            except (AssertionError, OSError, subprocess.TimeoutExpired):
                self.process.kill()
                self.process.wait(10)


@pytest.fixture(scope="module")
def server():
    if NODE is None:
        pytest.fail("CI=true but Node.js is missing: the editor tests must run in CI")
    if not SERVER.exists():
        pytest.fail(f"{SERVER.relative_to(REPO)} is missing: run ./dev.sh test, or npm ci --prefix tests/editor")
    client = LanguageServer([NODE, str(SERVER), "--stdio"])
    try:
        started = client.request(
            "initialize",
            {
                "processId": os.getpid(),
                "rootUri": REPO.as_uri(),
                "capabilities": CAPABILITIES,
                "workspaceFolders": [{"uri": REPO.as_uri(), "name": REPO.name}],
            },
        )
        assert started["serverInfo"]["name"] == "yaml-language-server"
        client.notify("initialized", {})
        client.notify("workspace/didChangeConfiguration", {"settings": SETTINGS})
        yield client
    finally:
        client.close()


def position(text: str, needle: str, offset: int = 0) -> tuple[int, int]:
    """(line, character) of ``needle``'s first occurrence in ``text``, plus ``offset`` characters."""
    index = text.index(needle) + offset
    before = text[:index]
    return before.count("\n"), index - (before.rfind("\n") + 1)


def items(completion) -> dict[str, dict]:
    found = completion["items"] if isinstance(completion, dict) else completion
    return {item["label"]: item for item in found}


# -- a fresh clone's files load their schema in the editor ---------------------------------------------

SAMPLES = sorted(
    [
        *REPO.glob("policies/*.yaml"),
        *REPO.glob("examples/*/policies/*.yaml"),
        *REPO.glob("examples/*/*/policies/*.yaml"),
    ],
)


def test_there_are_samples_for_the_editor():
    assert len(SAMPLES) > 30


@pytest.mark.parametrize("path", SAMPLES, ids=lambda p: str(p.relative_to(REPO)))
def test_sample_file_finds_its_schema_and_is_clean_in_the_editor(server, path):
    text = path.read_text("utf-8")
    schema = (path.parent / text.splitlines()[0].split("$schema=", 1)[1]).resolve()
    assert schema == SCHEMA_FILE, "the modeline must name the committed schema, relative to the file"
    assert server.open(path, text) == []  # a missing schema is the diagnostic "Unable to load schema …"


def test_a_modeline_to_a_missing_schema_is_reported(server):
    """The check above means something: the old modeline (../schema/, absent in a clone) is an error."""
    text = (
        (REPO / "policies" / "tiers.yaml")
        .read_text("utf-8")
        .replace(MODELINE, "# yaml-language-server: $schema=../schema/policy.schema.json\n")
    )
    messages = [d["message"] for d in server.open(REPO / "policies" / "editor-old-modeline.yaml", text)]
    assert any("Unable to load schema" in message for message in messages), messages


# -- diagnostics on a broken copy: the writer's words -------------------------------------------------

TARGET_KEYS = DEFS["target"]["errorMessage"]
BROKEN = [
    # (case, file, what is written, the mistake, where the editor underlines it, the message it shows)
    (
        "duration-in-words",
        "tiers.yaml",
        "within: 24h",
        "within: 2 hours",
        "2 hours",
        DEFS["duration"]["patternErrorMessage"],
    ),
    ("misspelled-key", "tiers.yaml", "acknowledge: {", "acknowlege: {", "acknowlege", TARGET_KEYS),
    ("misspelled-section", "tiers.yaml", "\ntiers:", "\ntier:", "tier:", SCHEMA["errorMessage"]),
    (
        "time-not-hh-mm",
        "schedules.yaml",
        'opens: "08:00"',
        'opens: "8 am"',
        '"8 am"',
        DEFS["time"]["patternErrorMessage"],
    ),
    (
        "period-in-words",
        "retention.yaml",
        "kept: 15d",
        "kept: 15 days",
        "15 days",
        DEFS["period"]["patternErrorMessage"],
    ),
    (
        "id-with-capitals",
        "severities.yaml",
        "id: critical",
        "id: Critical",
        "Critical",
        DEFS["id"]["patternErrorMessage"],
    ),
    (
        "line-with-a-break",
        "severities.yaml",
        "name: {en: Critical, de: Kritisch}",
        'name: {en: "Critical\\nsevere", de: Kritisch}',
        '"Critical',
        DEFS["lineText"]["patternErrorMessage"],
    ),
    (
        "target-not-a-mapping",
        "tiers.yaml",
        "      low:\n        covered: false\n",
        "      low: false\n",
        "false",
        TARGET_KEYS,
    ),
    # the editor's own messages, where the schema has no words of its own
    (
        "missing-required-key",
        "severities.yaml",
        "    name: {en: Critical, de: Kritisch}\n",
        "",
        "id: critical",
        'Missing property "name".',
    ),
    (
        "promise-not-a-mapping",
        "tiers.yaml",
        "acknowledge: {within: 24h, clock: standard-hours}",
        "acknowledge: 24h",
        "24h",
        'Incorrect type. Expected "Acknowledgement".',
    ),
    ("number-as-text", "severities.yaml", "rank: 1", "rank: first", "first", 'Incorrect type. Expected "integer".'),
    (
        "not-a-choice",
        "tiers.yaml",
        "obtained: included",
        "obtained: include",
        "include",
        'Value is not accepted. Valid values: "included", "paid", "contract".',
    ),
]


@pytest.mark.parametrize(("case", "name", "written", "mistake", "at", "message"), BROKEN, ids=[c[0] for c in BROKEN])
def test_a_mistake_shows_the_writer_facing_message(server, case, name, written, mistake, at, message):
    text = (REPO / "policies" / name).read_text("utf-8")
    broken = text.replace(written, mistake, 1)
    assert broken != text
    diagnostics = server.open(REPO / "policies" / f"editor-{case}.yaml", broken)
    assert [d["message"] for d in diagnostics] == [message]
    start = diagnostics[0]["range"]["start"]
    expected = position(broken, mistake, mistake.index(at)) if mistake else position(broken, at)
    assert (start["line"], start["character"]) == expected
    assert "pattern" not in message


def test_a_misspelled_key_offers_the_allowed_keys_as_quick_fixes(server):
    path = REPO / "policies" / "editor-quick-fix.yaml"
    text = (REPO / "policies" / "tiers.yaml").read_text("utf-8").replace("acknowledge: {", "acknowlege: {", 1)
    diagnostics = server.open(path, text)
    assert [d["message"] for d in diagnostics] == [TARGET_KEYS]
    actions = server.request(
        "textDocument/codeAction",
        {
            "textDocument": {"uri": path.as_uri()},
            "range": diagnostics[0]["range"],
            "context": {"diagnostics": diagnostics},
        },
    )
    fixes = {action["title"]: action["edit"]["changes"][path.as_uri()][0]["newText"] for action in actions}
    assert fixes["acknowledge"] == "acknowledge"
    assert set(fixes) <= set(DEFS["target"]["properties"])


# -- hover: the markdownDescription ------------------------------------------------------------------

HOVERS = [
    # (file, text the key is on, key, its schema)
    ("tiers.yaml", "    hours: standard-hours", "hours", DEFS["tier"]["properties"]["hours"]),
    ("tiers.yaml", "    obtained: included", "obtained", DEFS["tier"]["properties"]["obtained"]),
    ("schedules.yaml", '        opens: "08:00"', "opens", DEFS["hours"]["properties"]["opens"]),
    ("retention.yaml", "      kept: 15d", "kept", DEFS["log"]["properties"]["kept"]),
    ("severities.yaml", "  - id: critical", "id", DEFS["severity"]["properties"]["id"]),
    ("tiers.yaml", "tiers:", "tiers", SCHEMA["properties"]["tiers"]),
]


@pytest.mark.parametrize(("name", "line_text", "key", "schema"), HOVERS, ids=[f"{h[0]}:{h[2]}" for h in HOVERS])
def test_hover_shows_the_title_and_markdown_description(server, name, line_text, key, schema):
    path = REPO / "policies" / name
    text = path.read_text("utf-8")
    line, character = position(text, line_text + "\n", line_text.index(key) + 1)
    server.open(path.with_name(f"editor-hover-{key}-{name}"), text)
    hover = server.at("textDocument/hover", path.with_name(f"editor-hover-{key}-{name}"), line, character)
    assert hover["contents"]["kind"] == "markdown"
    assert hover["contents"]["value"].startswith(f"#### {schema['title']}\n\n{schema['markdownDescription']}")


def test_hover_shows_an_example_for_formatted_values(server):
    path = REPO / "policies" / "editor-hover-example.yaml"
    text = (REPO / "policies" / "schedules.yaml").read_text("utf-8")
    server.open(path, text)
    hover = server.at("textDocument/hover", path, *position(text, 'opens: "08:00"', 1))["contents"]["value"]
    assert 'Example:\n\n```yaml\nopens: "08:00"\n```' in hover
    assert "*Time of day:* A 24-hour time written HH:MM and quoted" in hover


# -- completion: valid keys, and snippets with their required children --------------------------------


def test_completion_in_an_empty_file_offers_every_section_and_a_snippet_per_section(server):
    path = REPO / "policies" / "editor-empty.yaml"
    server.open(path, MODELINE + "\n")
    offered = items(server.at("textDocument/completion", path, 1, 0))
    assert set(SCHEMA["properties"]) <= set(offered)
    snippet = offered["tiers section with one tier"]
    assert snippet["insertTextFormat"] == 2  # a snippet: tab stops over the example values
    inserted = snippet["insertText"]
    for key in DEFS["tier"]["required"]:
        assert f"\n    {key}:" in inserted or inserted.startswith(f"tiers:\n  - {key}:"), key
    assert (
        "targets:\n      ${6:critical}:\n        acknowledge:\n          within: ${7:30m}\n          clock: ${8:24x7}"
        in (inserted)
    )
    assert "obtained: ${4|included,paid,contract|}" in inserted


def test_completion_in_a_list_entry_offers_its_keys_and_a_new_entry_snippet(server):
    path = REPO / "policies" / "editor-entry.yaml"
    server.open(path, MODELINE + "schedules:\n  - \n")
    offered = items(server.at("textDocument/completion", path, 2, 4))
    assert set(DEFS["schedule"]["properties"]) <= set(offered)
    inserted = offered["new schedule"]["insertText"]
    assert inserted.startswith("id: ${1:schedule-id}\n")
    for key in DEFS["schedule"]["required"]:
        assert f"{key}: " in inserted, key
    assert (
        offered["timezone"]["documentation"]["value"]
        == DEFS["schedule"]["properties"]["timezone"]["markdownDescription"]
    )


def test_completion_in_a_target_offers_its_keys_and_a_promise_snippet(server):
    path = REPO / "policies" / "editor-target.yaml"
    text = MODELINE + "tiers:\n  - id: premium\n    targets:\n      critical:\n        acknowledge:\n          \n"
    server.open(path, text)
    offered = items(server.at("textDocument/completion", path, 6, 10))
    assert {"within", "clock", "note"} <= set(offered)
    assert offered["required keys (within, clock)"]["insertText"] == "within: ${1:30m}\nclock: ${2:24x7}"


# -- the settings file, associated through the editor's yaml.schemas setting -----------------------


def test_settings_file_gets_its_schema_from_the_editor_settings(server):
    settings = json.loads(SETTINGS_SCHEMA.read_text("utf-8"))
    rules = settings["properties"]["rules"]
    path = REPO / "editor-settings" / "support-policies.yaml"
    diagnostics = server.open(path, "rules:\n  glossary.unusd: error\n  \n")
    assert [d["message"] for d in diagnostics] == [rules["errorMessage"]]
    offered = items(server.at("textDocument/completion", path, 2, 2))
    assert set(rules["properties"]) - {"glossary.unusd"} <= set(offered)
    hover = server.at("textDocument/hover", path, 0, 2)["contents"]["value"]
    assert hover.startswith(f"#### {rules['title']}\n\n{rules['markdownDescription']}")
