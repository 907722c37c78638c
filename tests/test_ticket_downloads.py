"""Ticket templates as downloads: every format, for every shipped template and hostile ones."""

from __future__ import annotations

import functools
import json
import re
from importlib.resources import files
from pathlib import Path

import jsonschema
import markdown
import pytest
import yaml
from bs4 import BeautifulSoup

from support_policies.exports.tickets import TICKET_FORMATS, email_body, md_code, md_text
from support_policies.model import PolicySet, TicketField, TicketTemplate
from support_policies.policyset import load_policies

REPO = Path(__file__).resolve().parent.parent
SETS = [
    "policies",
    "examples/ticket-guidelines/policies",
    "examples/connection-journey/policies",
    "examples/support-contacts/policies",
    "examples/support-tiers/policies",
]
FORMATS = {fmt.id: fmt for fmt in TICKET_FORMATS}

HOSTILE = """\
ticket_templates:
  - id: hostile
    name: "yes"
    intro: |
      Line one -- with dashes --> and <!-- a comment.

      ```
      code
      ```
    tip: "Tip with `backticks` and --dashes"
    fields:
      - id: quotes
        label: 'He said "hi": it''s #1 #'
        kind: text
        required: true
        help: "Multi\\nline *help* with `code` and -- dashes -->"
        placeholder: "`tick` and: colon"
        sensitive: "Remove --secrets-- & tokens"
      - id: dash
        label: "- leading dash"
        kind: choice
        options: ["yes", "no", "None", "null", "*a", "&b", "Off"]
        applies_when: "x -- y"
      - id: reserved
        label: "null"
        kind: choice
        required: true
        options: ["none", "Other"]
        required_when: "the moon is full."
      - id: alias
        label: "*a"
        kind: payload
        placeholder: '{"a": "b"}'
      - id: unicode
        label: "Störung ✓ — ü <b>bold</b> &amp; [link](x) _u_ \\\\ ~"
        kind: email
        placeholder: "ü@example.org"
      - id: long
        label: "%s"
        kind: timestamp
        help: "- a list\\n- with `--` items\\n\\n> quoted"
      - id: blank
        label: "  "
        kind: url
        placeholder: " "
        sensitive: "--->"
""" % ("Long label: " + "word " * 57 + "end")


@functools.cache
def policy_of(folder: str) -> PolicySet:
    result = load_policies([REPO / folder])
    assert result.policy is not None, result.findings
    return result.policy


@pytest.fixture
def hostile(write_policy) -> tuple[TicketTemplate, PolicySet]:
    result = load_policies([write_policy("tickets.yaml", HOSTILE)])
    assert result.policy is not None, result.findings
    return result.policy.ticket_templates[0], result.policy


CASES = [(folder, template.id) for folder in SETS for template in policy_of(folder).ticket_templates]


def case(folder: str, template_id: str) -> tuple[TicketTemplate, PolicySet]:
    policy = policy_of(folder)
    return policy.template(template_id), policy


def in_order(text: str, needles: list[str]) -> None:
    """Every needle occurs in ``text``, each after the previous one."""
    position = 0
    for needle in needles:
        found = text.find(needle, position)
        assert found >= 0, f"{needle!r} missing or out of order"
        position = found + len(needle)


def label(field: TicketField) -> str:
    return field.label.strip() or field.id


def conditions(field: TicketField) -> list[str]:
    return ([f"Required when {field.required_when.rstrip('.')}."] if field.required_when else []) + (
        [f"Only if {field.applies_when.rstrip('.')}."] if field.applies_when else []
    )


# --- the format list -------------------------------------------------------------------------


def test_formats_in_order_with_their_files():
    assert [f.id for f in TICKET_FORMATS] == ["markdown", "email", "github", "gitlab", "json-schema"]
    assert [f.label for f in TICKET_FORMATS] == [
        "Markdown",
        "Email text",
        "GitHub issue form",
        "GitLab issue template",
        "JSON Schema",
    ]
    assert [f.path("t") for f in TICKET_FORMATS] == [
        "downloads/markdown/t.md.txt",
        "downloads/email/t.txt",
        "downloads/github/t.yml",
        "downloads/gitlab/t.md.txt",
        "downloads/json-schema/t.schema.json",
    ]
    assert [f.filename("t") for f in TICKET_FORMATS] == ["t.md", "t.txt", "t.yml", "t.md", "t.schema.json"]
    assert ".github/ISSUE_TEMPLATE/" in FORMATS["github"].description
    assert ".gitlab/issue_templates/" in FORMATS["gitlab"].description


def test_cases_cover_every_shipped_template():
    assert len(CASES) == sum(len(policy_of(folder).ticket_templates) for folder in SETS) == 5


# --- every format ----------------------------------------------------------------------------


@pytest.mark.parametrize("fmt", TICKET_FORMATS, ids=lambda f: f.id)
@pytest.mark.parametrize(("folder", "template_id"), CASES)
def test_output_is_deterministic_text(folder, template_id, fmt):
    template, policy = case(folder, template_id)
    text = fmt.render(template, policy)
    assert text == fmt.render(template, policy)
    assert text.endswith("\n") and not text.endswith("\n\n")
    assert "\r" not in text


@pytest.mark.parametrize("fmt", TICKET_FORMATS, ids=lambda f: f.id)
def test_hostile_output_is_deterministic_text(hostile, fmt):
    text = fmt.render(*hostile)
    assert text == fmt.render(*hostile)
    assert text.endswith("\n") and not text.endswith("\n\n") and "\r" not in text


# --- Markdown --------------------------------------------------------------------------------


def check_markdown(template: TicketTemplate, policy: PolicySet) -> None:
    text = FORMATS["markdown"].render(template, policy)
    html = BeautifulSoup(markdown.markdown(text, extensions=["fenced_code"]), "html.parser")
    assert html.h1.get_text() == template.name.strip()
    assert [h.get_text() for h in html.find_all("h2")] == [label(f) for f in template.fields]
    sections = text.split("\n## ")[1:]
    assert len(sections) == len(template.fields)
    for field, section in zip(template.fields, sections, strict=True):
        status = section.split("\n\n")[1]
        assert status.startswith("*Required.") == field.required
        in_order(status, conditions(field))
        if not (field.required or conditions(field)):
            assert status.startswith("*Optional.*")
        if field.help.strip():
            assert all(f"> {line}".rstrip() in section for line in field.help.strip().splitlines())
        if field.sensitive.strip():
            assert "> ⚠️ Sensitive data: " in section
        if field.placeholder.strip():
            assert f"Example: {md_code(field.placeholder.strip())}" in section
        assert ("```json\n\n```" in section) == (field.kind == "payload")
        assert [line[6:] for line in section.splitlines() if line.startswith("- [ ] ")] == [
            md_text(option) for option in field.options
        ]


@pytest.mark.parametrize(("folder", "template_id"), CASES)
def test_markdown_carries_every_field(folder, template_id):
    template, policy = case(folder, template_id)
    check_markdown(template, policy)
    text = FORMATS["markdown"].render(template, policy)
    assert template.intro.strip() in text
    in_order(text, [f"## {f.label}" for f in template.fields])


def test_markdown_escapes_hostile_labels(hostile):
    check_markdown(*hostile)
    text = FORMATS["markdown"].render(*hostile)
    assert '## He said "hi": it\'s #1 \\#\n' in text
    assert "Example: `` `tick` and: colon ``" in text
    assert "## blank\n" in text


def test_markdown_code_span_holds_any_backticks():
    for value in ["plain", "`", "a ``b`` c", "```"]:
        html = markdown.markdown(md_code(value))
        assert BeautifulSoup(html, "html.parser").code.get_text() == value


# --- email -----------------------------------------------------------------------------------


def check_email(template: TicketTemplate, policy: PolicySet) -> None:
    text = FORMATS["email"].render(template, policy)
    assert text == email_body(template)
    assert text.startswith(template.name.strip() + "\n")
    heads = [line for line in text.splitlines() if line.endswith("):")]
    assert len(heads) == len(template.fields)
    for field, head in zip(template.fields, heads, strict=True):
        assert head.startswith(f"{label(field)} (")
        assert bool(re.search(r"\(required[;)]", head)) == field.required
        for condition in conditions(field):
            assert condition[0].lower() + condition[1:-1] in head
        assert all(option.strip() in head for option in field.options)
    in_order(
        text,
        [
            line
            for field in template.fields
            for line in [
                label(field),
                *(["Example: " + field.placeholder.strip()] if field.placeholder.strip() else []),
                *(["Sensitive data: "] if field.sensitive.strip() else []),
            ]
        ],
    )


@pytest.mark.parametrize(("folder", "template_id"), CASES)
def test_email_carries_every_field(folder, template_id):
    template, policy = case(folder, template_id)
    check_email(template, policy)
    assert " ".join(template.intro.split()) in " ".join(email_body(template).split())


def test_email_of_the_sample_technical_ticket():
    text = email_body(policy_of("policies").template("technical-ticket"))
    assert "When it happened (required; date and time):\nExample: 2026-11-23T14:05:00-06:00\n\n\n" in text
    assert "Pushed payload (required when the problem concerns pushing data; code or JSON):\n" in text
    assert "Sensitive data: Remove personal data and credentials from the payload.\n" in text


def test_email_keeps_hostile_text_as_written(hostile):
    check_email(*hostile)
    assert "- leading dash (only if x -- y; one of: yes / no / None / null / *a / &b / Off):" in email_body(hostile[0])


# --- GitHub issue form -----------------------------------------------------------------------


@functools.cache
def github_validator() -> jsonschema.protocols.Validator:
    path = files("check_jsonschema") / "builtin_schemas" / "vendor" / "github-issue-forms.json"
    schema = json.loads(path.read_text(encoding="utf-8"))
    cls = jsonschema.validators.validator_for(schema)
    cls.check_schema(schema)
    return cls(schema)


def strings(value):
    if isinstance(value, str):
        yield value
    elif isinstance(value, dict):
        for item in value.values():
            yield from strings(item)
    elif isinstance(value, list):
        for item in value:
            yield from strings(item)


def check_github(template: TicketTemplate, policy: PolicySet) -> dict:
    form = yaml.safe_load(FORMATS["github"].render(template, policy))
    errors = [e.message for e in github_validator().iter_errors(form)]
    assert errors == []
    # GitHub's own rules beyond the schema: no blank strings, unique ids, no reserved "None".
    assert all(s.strip() for s in strings(form))
    items = [item for item in form["body"] if item["type"] != "markdown"]
    assert [item["id"] for item in items] == [f.id for f in template.fields]
    assert [item["attributes"]["label"] for item in items] == [label(f) for f in template.fields]
    assert {item["id"] for item in items if item["validations"]["required"]} == {
        f.id for f in template.fields if f.required
    }
    for field, item in zip(template.fields, items, strict=True):
        attributes = item["attributes"]
        description = attributes.get("description", "")
        in_order(description, conditions(field))
        assert field.help.strip() in description
        assert ("Sensitive data:" in description) == bool(field.sensitive.strip())
        if item["type"] == "dropdown":
            assert all(option.lower() != "none" for option in attributes["options"])
            assert len(set(attributes["options"])) == len(attributes["options"])
        else:
            assert attributes.get("placeholder", "") == field.placeholder.strip()
        assert (attributes.get("render") == "json") == (field.kind == "payload")
    return form


@pytest.mark.parametrize(("folder", "template_id"), CASES)
def test_github_form_is_valid_and_complete(folder, template_id):
    template, policy = case(folder, template_id)
    form = check_github(template, policy)
    assert form["name"] == template.name
    kinds = {f.id: f.kind for f in template.fields}
    for item in form["body"]:
        if item["type"] != "markdown":
            expected = {"choice": "dropdown", "multiline": "textarea", "payload": "textarea"}
            assert item["type"] == expected.get(kinds[item["id"]], "input")
    if template.intro:
        assert form["body"][0] == {"type": "markdown", "attributes": {"value": template.intro.strip()}}


def test_github_title_is_the_channel_subject():
    policy = policy_of("policies")
    emergency = yaml.safe_load(FORMATS["github"].render(policy.template("emergency-ticket"), policy))
    technical = yaml.safe_load(FORMATS["github"].render(policy.template("technical-ticket"), policy))
    assert emergency["title"] == "[URGENT] {what is down}"
    assert "title" not in technical


def test_github_choice_keeps_its_options():
    policy = policy_of("examples/ticket-guidelines/policies")
    form = yaml.safe_load(FORMATS["github"].render(policy.template("technical-ticket"), policy))
    area = next(item for item in form["body"] if item.get("id") == "area")
    assert area["type"] == "dropdown"
    assert area["attributes"]["options"] == ["Accounts API", "Developer Portal", "Data sync", "Data push"]


def test_github_form_survives_hostile_text(hostile):
    template, policy = hostile
    form = check_github(template, policy)
    assert form["name"] == "yes" and isinstance(form["name"], str)
    assert form["description"] == "Line one -- with dashes --> and <!-- a comment."
    items = {item.get("id"): item for item in form["body"]}
    assert items["dash"]["attributes"]["options"] == ["yes", "no", "null", "*a", "&b", "Off"]
    assert items["reserved"]["attributes"]["options"] == ["None of these", "Other"]
    assert items["alias"]["attributes"]["label"] == "*a"
    assert items["blank"]["attributes"]["label"] == "blank"
    assert "placeholder" not in items["blank"]["attributes"]
    assert form["body"][-1]["attributes"]["value"] == "**Tip:** Tip with `backticks` and --dashes"


# --- GitLab issue template -------------------------------------------------------------------

COMMENT = re.compile(r"<!--(.*?)-->", re.S)


def hidden(text: str) -> str:
    """``text`` as a comment holds it: every ``--`` opened up to ``- -``."""
    return re.sub(r"-(?=-)", "- ", text.strip())


def check_gitlab(template: TicketTemplate, policy: PolicySet) -> None:
    text = FORMATS["gitlab"].render(template, policy)
    comments = COMMENT.findall(text)
    assert comments and all("--" not in body for body in comments)
    assert text.count("<!--") == text.count("-->") == len(comments) == len(template.fields) + 1
    visible = COMMENT.sub("", text)
    html = BeautifulSoup(markdown.markdown(text, extensions=["fenced_code"]), "html.parser")
    headings = [label(f) + (" (required)" if f.required else "") for f in template.fields]
    assert [h.get_text() for h in html.find_all("h3")] == headings
    for field, body in zip(template.fields, comments[1:], strict=True):
        in_order(body, [hidden(condition) for condition in conditions(field)])
        assert ("Required." in body) == field.required
        for part in (field.help, field.placeholder, field.sensitive):
            assert hidden(part) in body
        assert not (field.help.strip() and field.help.strip() in visible)
    assert visible.count("```json\n\n```") == sum(f.kind == "payload" for f in template.fields)


@pytest.mark.parametrize(("folder", "template_id"), CASES)
def test_gitlab_template_hides_guidance_in_comments(folder, template_id):
    check_gitlab(*case(folder, template_id))


def test_gitlab_comments_cannot_be_closed_by_hostile_text(hostile):
    check_gitlab(*hostile)
    text = FORMATS["gitlab"].render(*hostile)
    assert "Sensitive data: - - ->." in text
    assert "Line one - - with dashes - -> and <!- - a comment." in text


# --- JSON Schema -----------------------------------------------------------------------------


def sample_ticket(template: TicketTemplate) -> dict:
    """A ticket answering every field with its example, its first option, or a word."""
    return {f.id: f.options[0] if f.options else f.placeholder.strip() or "answer" for f in template.fields}


def check_json_schema(template: TicketTemplate, policy: PolicySet) -> dict:
    schema = json.loads(FORMATS["json-schema"].render(template, policy))
    jsonschema.Draft202012Validator.check_schema(schema)
    assert schema["$schema"] == "https://json-schema.org/draft/2020-12/schema"
    assert schema["title"] == template.name.strip() and schema["additionalProperties"] is False
    assert list(schema["properties"]) == [f.id for f in template.fields]
    assert schema["required"] == [f.id for f in template.fields if f.required]
    for field in template.fields:
        prop = schema["properties"][field.id]
        assert prop["title"] == label(field) and prop["type"] == "string" and prop["x-kind"] == field.kind
        assert prop.get("format") == {"url": "uri", "timestamp": "date-time", "email": "email"}.get(field.kind)
        assert prop.get("enum") == (list(field.options) if field.kind == "choice" else None)
        assert prop.get("examples") == ([field.placeholder.strip()] if field.placeholder.strip() else None)
        assert prop.get("x-required-when") == (field.required_when or None)
        assert prop.get("x-applies-when") == (field.applies_when or None)
        assert prop.get("x-sensitive") == (field.sensitive or None)
        in_order(prop.get("description", ""), [field.help.strip(), *conditions(field)])
    validator = jsonschema.Draft202012Validator(schema)
    ticket = sample_ticket(template)
    assert list(validator.iter_errors(ticket)) == []
    assert not validator.is_valid({**ticket, "unknown": "x"})
    for required in schema["required"]:
        assert not validator.is_valid({k: v for k, v in ticket.items() if k != required})
    return schema


@pytest.mark.parametrize(("folder", "template_id"), CASES)
def test_json_schema_describes_the_ticket(folder, template_id):
    check_json_schema(*case(folder, template_id))


def test_json_schema_of_hostile_template(hostile):
    schema = check_json_schema(*hostile)
    validator = jsonschema.Draft202012Validator(schema)
    assert not validator.is_valid({**sample_ticket(hostile[0]), "dash": "maybe"})
    assert schema["properties"]["quotes"]["title"] == 'He said "hi": it\'s #1 #'


def test_json_schema_of_the_sample_technical_ticket():
    policy = policy_of("policies")
    schema = check_json_schema(policy.template("technical-ticket"), policy)
    assert schema["required"] == ["tenant", "occurred-at", "steps", "impact"]
    payload = schema["properties"]["payload"]
    assert payload["x-required-when"] == "the problem concerns pushing data"
    assert payload["x-sensitive"] == "Remove personal data and credentials from the payload."
    assert payload["description"].endswith(
        "Required when the problem concerns pushing data.\n\n"
        "Sensitive data: Remove personal data and credentials from the payload."
    )


@pytest.mark.parametrize(
    "help_text",
    [
        "a\x85b\nc",
        "a\u2028b",
        "  indented\nnext",
        "trailing  \nx",
        "tab\there\nx",
        "- a\n- b",
        "a: b\n? c\n# d",
        "\ufeffbom",
        "x\n\n\ny",
    ],
)
def test_github_yaml_round_trips_any_help(help_text):
    field = TicketField(id="f", label="Label", kind="multiline", help=help_text)
    form = yaml.safe_load(FORMATS["github"].render(TicketTemplate("t", "T", (field,)), PolicySet()))
    assert form["body"][0]["attributes"]["description"] == help_text.strip()


def test_raw_html_in_policy_text_stays_text_in_the_markdown_download():
    from support_policies.exports.tickets import md_block

    assert (
        md_block("Run <script>alert(1)</script> or <img src=x onerror=y>")
        == "Run &lt;script>alert(1)&lt;/script> or &lt;img src=x onerror=y>"
    )
    assert (
        md_block("See <https://example.com/help> and <mailto:a@b.example>; 2 < 3")
        == "See <https://example.com/help> and <mailto:a@b.example>; 2 < 3"
    )
