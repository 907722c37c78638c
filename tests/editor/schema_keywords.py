"""Write the editor keywords of the shipped JSON Schemas from the words the checker already uses.

yaml-language-server (Red Hat's YAML extension for VS Code, and any editor configured with it)
reads four keywords that JSON Schema validators, and so ``support-policies check``, ignore:

- ``markdownDescription``: the hover and completion text. Made from the key's ``description``,
  the description of its value type (``Duration: A number and a unit …``) and an example.
- ``patternErrorMessage``: the message for a value that does not match its ``pattern``, instead
  of ``String does not match the pattern of "^[1-9]…"``. Made from the type's title and
  description, the words of the checker's hint.
- ``errorMessage``: the message for a key a closed mapping does not allow, listing the keys it
  does. Only on mappings without required keys: yaml-language-server shows the same text for
  every error of that mapping, and a missing key deserves its own message.
- ``defaultSnippets``: completion items that insert a list entry, a mapping or a whole section
  with its required keys, filled with example values to type over.

The prose is written once, as ``title`` and ``description``; everything here is derived from it,
from ``required`` and from the ``$defs``. Editors read the schema file itself, so the keywords
are written into it::

    .venv/bin/python tests/editor/schema_keywords.py          # rewrite the schemas
    .venv/bin/python tests/editor/schema_keywords.py --check  # exit 1 when they are out of date

``tests/test_schema.py`` fails when a committed schema differs from what this script writes.
"""

from __future__ import annotations

import copy
import json
import re
import sys
from pathlib import Path

from jsonschema import Draft202012Validator

SCHEMAS = Path(__file__).resolve().parents[2] / "plugins" / "support_policies" / "schemas"
FILES = ("policy.schema.json", "settings.schema.json")
"""The schemas writers edit files against (the export schema describes data for programs)."""

GENERATED = ("markdownDescription", "patternErrorMessage", "errorMessage", "defaultSnippets")

EXAMPLES = {
    "duration": "4h",
    "period": "15d",
    "time": "08:00",
    "date": "2026-12-24",
    "timezone": "America/Chicago",
    "clock": "24x7",
    "url": "https://support.example.com",
    "email": "support@example.com",
}
"""An example value per value type, when the key's description gives none ("e.g. …")."""

MAP_KEYS = {"targets": "critical"}
KEY_EXAMPLES = {"closes": "17:00", "ends": "04:00"}
"""Examples for keys whose type's example would read oddly (a closing time of 08:00)."""
"""The key a snippet writes into a mapping whose keys are ids (a tier's targets, by severity)."""

CHOSEN_KEYS = {"target": ("acknowledge",)}
"""The keys a snippet writes into a mapping that requires none (a target promises something)."""

QUOTED = re.compile(r"^\d\d:\d\d$|^\d{4}-\d\d-\d\d$")
PLAIN = re.compile(r"^[A-Za-z0-9](?:[A-Za-z0-9 _./+@()?=&%-]|:(?! ))*$")
ONE_LINE_TEXT = (
    "One line only: this holds a line break or a control character, which one-line text cannot. "
    "Write the text without it: policy text reaches subjects, calendars and CI logs, where such "
    "characters forge lines or control the terminal."
)
MULTILINE_TEXT = (
    "This holds a control character (tabs and line breaks are fine). Write the text without it: "
    "policy text reaches subjects, calendars and CI logs, where such characters forge lines or "
    "control the terminal."
)


def strip(node):
    """``node`` without the generated keywords, at every depth."""
    if isinstance(node, dict):
        return {key: strip(value) for key, value in node.items() if key not in GENERATED}
    if isinstance(node, list):
        return [strip(item) for item in node]
    return node


class Editor:
    """Adds the editor keywords to one schema (``add``); reads the schema's own words only."""

    def __init__(self, schema: dict):
        self.root = strip(schema)
        self.defs = self.root.get("$defs", {})
        self.root_defs: dict = {}
        self.current_key: str | None = None
        self.top: dict = {}

    # -- reading the schema --------------------------------------------------------------------

    def resolve(self, node: dict) -> dict:
        """``node`` with its ``$ref`` chain merged in, the referring keywords winning (as editors do)."""
        while isinstance(node, dict) and "$ref" in node:
            target = self.defs[node["$ref"].removeprefix("#/$defs/")]
            node = {**target, **{key: value for key, value in node.items() if key != "$ref"}}
        return node

    def type_def(self, node: dict) -> tuple[str, dict] | None:
        """(name, definition) of the value type ``node`` refers to (``duration``, ``line``, …)."""
        ref = node.get("$ref", "") if isinstance(node, dict) else ""
        name = ref.removeprefix("#/$defs/")
        target = self.defs.get(name)
        if target is None or target.get("type") == "object" or "description" not in target:
            return None
        return name, target

    def valid(self, node: dict, value) -> bool:
        return Draft202012Validator({**self.resolve(node), "$defs": self.defs}).is_valid(value)

    @staticmethod
    def free_text(node: dict) -> bool:
        return str(node.get("pattern", "")).startswith("^[^\\u0000-")

    def example(self, node: dict, key: str | None = None):
        """A value ``node`` accepts: from its description's "e.g. …", else its type's example."""
        resolved = self.resolve(node)
        if key in KEY_EXAMPLES and self.valid(node, KEY_EXAMPLES[key]):
            return KEY_EXAMPLES[key]
        for text in (node.get("description", ""), resolved.get("description", "")):
            found = re.search(r"e\.g\. ([^,;]+)", text)
            if not found:
                continue
            phrase = found[1].strip().removesuffix(".")
            candidates = [phrase, phrase.split(" or ")[0], phrase.split(" for ")[0]]
            if resolved.get("type") in ("integer", "number"):
                candidates = [float(c) if "." in c else int(c) for c in candidates if re.fullmatch(r"\d+(\.\d+)?", c)]
            for candidate in candidates:
                if self.valid(node, candidate):
                    return candidate
        named = self.type_def(node)
        if named and named[0] in EXAMPLES:
            return EXAMPLES[named[0]]
        return None

    # -- the keywords ----------------------------------------------------------------------------

    def markdown(self, key: str | None, node: dict) -> str:
        """The hover text of a key: its description, its value type's, and an example."""
        parts = [md(node["description"])]
        named = self.type_def(node)
        items = node.get("items") if node.get("type") == "array" else None
        named_items = self.type_def(items) if isinstance(items, dict) else None
        if named and named[1]["description"] != node["description"]:
            parts.append(f"*{named[1]['title']}:* {md(named[1]['description'])}")
        elif named_items:
            parts.append(f"Each entry — *{named_items[1]['title']}:* {md(named_items[1]['description'])}")
        sample = self.sample_line(key, node)
        if sample:
            parts.append(f"Example:\n\n```yaml\n{sample}\n```")
        return "\n\n".join(parts)

    def sample_line(self, key: str | None, node: dict) -> str:
        """``key: value`` for the example of a formatted value (never for free text)."""
        if key is None:
            return ""
        resolved = self.resolve(node)
        if "oneOf" in resolved:
            lines = [self.sample_line(key, alternative) for alternative in resolved["oneOf"]]
            return "\n# or\n".join(line for line in lines if line)
        if resolved.get("type") == "object" and not isinstance(resolved.get("additionalProperties"), dict):
            pairs = [(name, self.example(sub, name)) for name, sub in resolved.get("properties", {}).items()]
            if pairs and all(value is not None for _, value in pairs):
                return f"{key}: {{" + ", ".join(f"{name}: {scalar(value)}" for name, value in pairs) + "}"
            return ""
        if resolved.get("type") == "array":
            items = self.resolve(resolved.get("items", {}))
            if items.get("enum") and "weekday" in resolved.get("items", {}).get("$ref", ""):
                return f"{key}: [mon, tue, wed, thu, fri]"
            return ""
        formatted = resolved.get("type") in ("string", "integer", "number") and not self.free_text(resolved)
        if "enum" in resolved or not formatted:
            return ""
        value = self.example(node, key)
        return "" if value is None else f"{key}: {scalar(value)}"

    def pattern_message(self, node: dict) -> str:
        if self.free_text(node):
            return MULTILINE_TEXT if "\\u000b" in node["pattern"] else ONE_LINE_TEXT
        title = node["title"]
        return f"Not a valid {title[0].lower()}{title[1:]}. {node['description']}"

    def keys_message(self, node: dict, root: bool) -> str:
        keys = ", ".join(node["properties"])
        if root:
            return (
                f"A policy file holds only these sections: {keys}. Check the spelling of the section; "
                "the quick fix and completion offer the section names."
            )
        return (
            f"Expected a mapping with only these keys: {keys}. Check the spelling of the key; "
            "the quick fix and completion offer the allowed keys."
        )

    # -- snippets --------------------------------------------------------------------------------

    def body(self, node: dict, counter: list[int]):
        """A snippet body for ``node``: its required keys with example values as placeholders."""
        resolved = self.resolve(node)
        if "oneOf" in resolved and not ("type" in resolved or "properties" in resolved):
            return self.body(resolved["oneOf"][0], counter)  # the first alternative, e.g. a promise
        if resolved.get("type") == "object" or "properties" in resolved:
            if isinstance(resolved.get("additionalProperties"), dict):
                key = MAP_KEYS.get(self.current_key, "id")
                return {f"${{{next_index(counter)}:{key}}}": self.body(resolved["additionalProperties"], counter)}
            name = node.get("$ref", "").removeprefix("#/$defs/")
            wanted = resolved.get("required") or CHOSEN_KEYS.get(name, ())
            out = {}
            for key, sub in resolved.get("properties", {}).items():
                if key in wanted:
                    self.current_key = key
                    out[key] = self.body(sub, counter)
            return out
        if resolved.get("type") == "array":
            items = resolved.get("items", {})
            if "weekday" in items.get("$ref", ""):
                return f"^[${{{next_index(counter)}:mon, tue, wed, thu, fri}}]"
            return [self.body(items, counter)]
        return self.placeholder(node, counter)

    def placeholder(self, node: dict, counter: list[int]) -> str:
        resolved = self.resolve(node)
        if "oneOf" in resolved:
            return self.placeholder(resolved["oneOf"][0], counter)
        index = next_index(counter)
        if "enum" in resolved:
            return f"^${{{index}|{','.join(map(str, resolved['enum']))}|}}"
        if resolved.get("type") == "boolean":
            return f"^${{{index}|true,false|}}"
        value = self.example(node, self.current_key)
        if value is None and resolved.get("type") in ("integer", "number"):
            value = resolved.get("minimum", 1)
        title = node.get("title") or resolved.get("title") or "text"
        if value is None:
            value = title if self.valid(node, title) else kebab(title)  # an id: "Schedule id" → schedule-id
        text = scalar(value)
        if text.startswith('"'):
            return f'^"${{{index}:{escape(text[1:-1])}}}"'
        return f"^${{{index}:{escape(text)}}}"

    def snippet(self, label: str, what: str, node: dict, key: str | None = None) -> dict:
        counter = [0]
        self.current_key = key
        body = self.body(node, counter)
        if key is not None:
            body = {key: body}
        required = self.resolve(node).get("required", ())
        resolved = self.resolve(node)
        if resolved.get("type") == "array":
            required = self.resolve(resolved["items"]).get("required", ())
        keys = f" ({', '.join(required)})" if required else ""
        return {
            "label": label,
            "description": f"Inserts {what} with its required keys{keys}: type over the example values.",
            "body": body,
        }

    # -- the walk --------------------------------------------------------------------------------

    def section_snippet(self, key: str, node: dict) -> dict:
        resolved = self.resolve(node)
        if resolved.get("type") == "array":
            noun = words(resolved["items"]["$ref"].removeprefix("#/$defs/"))
            return self.snippet(f"{key} section with one {noun}", f"the {key} section with one {noun}", node, key)
        return self.snippet(f"{key} section", f"the {key} section", node, key)

    def visit(self, node, key: str | None):
        if isinstance(node, list):
            for item in node:
                self.visit(item, None)
            return
        if not isinstance(node, dict):
            return
        if "description" in node:
            node["markdownDescription"] = self.markdown(key, node)
        if "pattern" in node:
            node["patternErrorMessage"] = self.pattern_message(self.resolve(node))
        closed = node.get("additionalProperties") is False and "properties" in node
        if closed and not node.get("required"):
            node["errorMessage"] = self.keys_message(node, root=node is self.top and "severities" in node["properties"])
        if key is not None:
            self.add_snippets(key, node)
        for name, value in node.items():
            if name == "properties":
                for sub_key, sub in value.items():
                    self.visit(sub, sub_key)
            elif name in ("items", "additionalProperties", "propertyNames", "oneOf", "anyOf", "allOf"):
                self.visit(value, None)

    def add_snippets(self, key: str, node: dict):
        """A snippet on a key's list (an entry) or on its mapping (the mapping itself)."""
        resolved = self.resolve(node)
        if resolved.get("type") == "array" and isinstance(resolved.get("items"), dict):
            items = resolved["items"]
            if self.resolve(items).get("required"):
                noun = words(items.get("$ref", key).removeprefix("#/$defs/"))
                node["defaultSnippets"] = [self.snippet(f"new {noun}", f"a {noun}", resolved["items"])]
        elif resolved.get("required") and (resolved.get("type") == "object" or "properties" in resolved):
            if "$ref" in node:
                name = node["$ref"].removeprefix("#/$defs/")
                target = self.defs[name]
                holder = self.root_defs[name]
            else:
                name, target, holder = node.get("title", key).lower(), node, node
            label = f"required keys ({', '.join(resolved['required'])})"
            holder["defaultSnippets"] = [self.snippet(label, f"the {words(name)}", target)]


def next_index(counter: list[int]) -> int:
    counter[0] += 1
    return counter[0]


def words(name: str) -> str:
    """``maintenanceWindow`` → ``maintenance window``."""
    return re.sub(r"(?<=[a-z])([A-Z])", lambda m: " " + m[1].lower(), name)


def md(text: str) -> str:
    """Plain text as Markdown that shows the same characters."""
    return re.sub(r"([\\`*_<>\[\]])", r"\\\1", text)


def kebab(text: str) -> str:
    return re.sub(r"[^a-z0-9]+", "-", text.lower()).strip("-")


def escape(text: str) -> str:
    """Text safe inside a snippet placeholder."""
    return re.sub(r"([$}\\|,])", r"\\\1", text)


def scalar(value) -> str:
    """``value`` as YAML 1.2 writes it: times and dates quoted, other text plain where it can be."""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, (int, float)):
        return str(value)
    if QUOTED.match(value) or not PLAIN.match(value) or value.lower() in ("true", "false", "null", "yes", "no"):
        return json.dumps(value, ensure_ascii=False)
    return value


def with_keywords(schema: dict) -> dict:
    """``schema`` with the editor keywords added (any it had are written anew)."""
    editor = Editor(schema)
    root = copy.deepcopy(editor.root)
    editor.root_defs = root.get("$defs", {})
    editor.top = root
    editor.visit(root, None)
    for node in root.get("$defs", {}).values():
        editor.visit(node, None)
    if "severities" in root.get("properties", {}):
        root["defaultSnippets"] = [
            editor.section_snippet(key, sub)
            for key, sub in root["properties"].items()
            if editor.resolve(sub).get("required") or editor.resolve(sub).get("type") == "array"
        ]
    return root


# -- the file layout -------------------------------------------------------------------------------

WIDTH = 120


def dumps(node, indent: int = 0) -> str:
    """JSON with two-space indents, and anything that fits in 120 columns on one line."""
    one_line = json.dumps(node, ensure_ascii=False)
    if not isinstance(node, (dict, list)) or indent + len(one_line) <= WIDTH or not node:
        return one_line
    pad = " " * (indent + 2)
    if isinstance(node, list):
        inner = [pad + dumps(item, indent + 2) for item in node]
        return "[\n" + ",\n".join(inner) + "\n" + " " * indent + "]"
    inner = []
    for key, value in node.items():
        head = f"{pad}{json.dumps(key, ensure_ascii=False)}: "
        inner.append(head + dumps(value, indent + 2))
    return "{\n" + ",\n".join(inner) + "\n" + " " * indent + "}"


def render(name: str) -> str:
    """The text ``name`` should have: its own words, with the editor keywords added."""
    schema = json.loads((SCHEMAS / name).read_text("utf-8"))
    return dumps(with_keywords(schema)) + "\n"


def main(argv: list[str]) -> int:
    stale = []
    for name in FILES:
        path = SCHEMAS / name
        text = render(name)
        if path.read_text("utf-8") != text:
            stale.append(name)
            if "--check" not in argv:
                path.write_text(text, "utf-8")
    verb = "out of date" if "--check" in argv else "rewritten"
    sys.stdout.write("".join(f"{name}: {verb}\n" for name in stale) or "schemas up to date\n")
    return 1 if stale and "--check" in argv else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
