"""A ticket template as downloadable files: Markdown, email text, GitHub and GitLab
issue templates, and a JSON Schema.

Every format carries what it can of each field, in order: label, help, example, kind,
options, whether it is required, its condition and its sensitive-data warning. Output
is deterministic, uses ``\\n`` line endings only and ends with exactly one newline.

No format carries a link the site would drop. Where a format renders Markdown (the
Markdown ticket, a GitHub form's texts), policy Markdown shows raw HTML as text and unsafe
links as their text, as the site does (:func:`md_block`), and plain text is escaped
(:func:`md_text`). Where it does not (email text, GitLab comments, JSON Schema
descriptions), the text is written as it is, with unsafe links as their text
(:func:`prose`), in case a reader renders it anyway.
"""

from __future__ import annotations

import json
import re
from collections.abc import Callable
from dataclasses import dataclass
from typing import NotRequired, TypedDict

import yaml

from ..i18n import N_, _
from ..mdtext import DOWNLOAD, escape
from ..mdtext import code_span as md_code
from ..model import PolicySet, TicketField, TicketTemplate
from ..sanitize import drop_unsafe_links

_KIND_NOUNS = {
    "text": N_("one line"),
    "multiline": N_("free text"),
    "url": N_("URL"),
    "id": N_("identifier"),
    "timestamp": N_("date and time"),
    "payload": N_("code or JSON"),
    "email": N_("email address"),
    "choice": N_("one of the options"),
}
_GITHUB_INPUTS = {"text", "url", "id", "timestamp", "email"}
_JSON_FORMATS = {"url": "uri", "timestamp": "date-time", "email": "email"}
_RAW_HTML = re.compile(r"<(?!(?:https?://|mailto:)[^<>\s]*>)(?=[A-Za-z/!?])")
_OTHER_BREAKS = {"\x85", "\u2028", "\u2029"}


# --- wording every format shares ------------------------------------------------------


def label(field: TicketField) -> str:
    """The field's label, or its id when the label is blank."""
    return field.label.strip() or field.id


def name(template: TicketTemplate) -> str:
    """The template's name, or its id when the name is blank."""
    return template.name.strip() or template.id


def kind_noun(kind: str) -> str:
    """What a field of ``kind`` takes: "one line", "date and time", …"""
    return _(_KIND_NOUNS[kind])


def _sentence(text: str) -> str:
    """``"the response carried one"`` → ``"the response carried one."``"""
    text = text.strip()
    return text if text.endswith((".", "!", "?", "…")) else f"{text}."


def _condition_phrases(field: TicketField) -> list[str]:
    found = []
    if field.required_when.strip():
        found.append(_("Required when {condition}", condition=field.required_when.strip().rstrip(".")))
    if field.applies_when.strip():
        found.append(_("Only if {condition}", condition=field.applies_when.strip().rstrip(".")))
    return found


def _short_phrases(field: TicketField) -> list[str]:
    found = []
    if field.required_when.strip():
        found.append(_("required when {condition}", condition=field.required_when.strip().rstrip(".")))
    if field.applies_when.strip():
        found.append(_("only if {condition}", condition=field.applies_when.strip().rstrip(".")))
    return found


def conditions(field: TicketField) -> list[str]:
    """The field's conditions as sentences: "Required when …", "Only if …"."""
    return [_("{condition}.", condition=phrase) for phrase in _condition_phrases(field)]


def status(field: TicketField) -> str:
    """``"Required."``, the conditions, or ``"Optional."``."""
    parts = ([_("Required.")] if field.required else []) + conditions(field)
    return " ".join(parts) or _("Optional.")


def _short_status(field: TicketField) -> str:
    """``"required"``, ``"required when …; only if …"`` or ``"optional"``, for a label line."""
    phrases = ([_("required")] if field.required else []) + _short_phrases(field)
    return "; ".join(phrases) or _("optional")


def warning(field: TicketField) -> str:
    """``"Sensitive data: Remove API keys."``, or "" for a field without a warning."""
    return _("Sensitive data: {warning}", warning=_sentence(field.sensitive)) if field.sensitive.strip() else ""


def _lines(text: str) -> list[str]:
    """Text as lines without trailing spaces or blank lines (for compact plain text)."""
    return [line.rstrip() for line in text.strip().splitlines() if line.strip()]


def _join(blocks: list[str]) -> str:
    return "\n\n".join(block for block in blocks if block).rstrip() + "\n"


# --- Markdown --------------------------------------------------------------------------


def md_text(text: str) -> str:
    """Plain text made literal in a Markdown download, trimmed (:func:`~support_policies.mdtext.escape`)."""
    return escape(text.strip(), DOWNLOAD)


def md_block(text: str) -> str:
    """Policy Markdown as the site shows it: raw HTML as text, links the site would drop as
    their text; web and mail autolinks stay links."""
    return _RAW_HTML.sub("&lt;", prose(text))


def prose(text: str) -> str:
    """Policy Markdown for a format that does not render it: links the site would drop as
    their text."""
    return drop_unsafe_links(text.strip())


def _quote(text: str) -> str:
    return "\n".join(f"> {line}".rstrip() for line in text.strip().splitlines())


def _options_list(field: TicketField) -> str:
    return "\n".join(f"- [ ] {md_text(option)}" for option in field.options)


def _answer(field: TicketField) -> str:
    """Where the answer goes: a fenced block for a payload, a task list for a choice."""
    if field.kind == "payload":
        return "```json\n\n```"
    return _options_list(field) if field.kind == "choice" else ""


def _markdown_field(field: TicketField) -> str:
    blocks = [
        f"## {md_text(label(field))}",
        _("*{status}* Answer: {kind}.", status=md_text(status(field)), kind=kind_noun(field.kind)),
        _quote(md_block(field.help)) if field.help.strip() else "",
        f"> ⚠️ {md_text(warning(field))}" if warning(field) else "",
        _("Example: {example}", example=md_code(field.placeholder.strip())) if field.placeholder.strip() else "",
        _answer(field),
    ]
    return _join(blocks)


def render_markdown(template: TicketTemplate, policy: PolicySet) -> str:
    """A Markdown ticket to paste anywhere; two blank lines under each field to write in."""
    head = _join(
        [
            f"# {md_text(name(template))}",
            md_block(template.intro),
            _quote(_("**Tip:** {tip}", tip=md_block(template.tip))) if template.tip.strip() else "",
        ]
    )
    return "\n\n".join([head, *(_markdown_field(field) for field in template.fields)])


# --- email -----------------------------------------------------------------------------


def _email_notes(field: TicketField) -> list[str]:
    if field.kind == "choice":
        return [_("one of: {options}", options=" / ".join(option.strip() for option in field.options))]
    return [] if field.kind in ("text", "multiline") else [kind_noun(field.kind)]


def _email_field(field: TicketField) -> list[str]:
    lines = [_("{label} ({notes}):", label=label(field), notes="; ".join([_short_status(field), *_email_notes(field)]))]
    if field.placeholder.strip():
        lines.append(_("Example: {example}", example=field.placeholder.strip()))
    if warning(field):
        lines.append(warning(field))
    return [*lines, "", ""]


def email_body(template: TicketTemplate) -> str:
    """Plain text for an email: a short header, then each field with an empty line to write on.

    Help texts are left out: they would go to support with the ticket, and they would make
    the text too long for a ``mailto:`` link. The page and the other formats carry them.
    """
    lines = [name(template), *_lines(template.intro), ""]
    for field in template.fields:
        lines += _email_field(field)
    return prose("\n".join(lines)) + "\n"


def render_email(template: TicketTemplate, policy: PolicySet) -> str:
    return email_body(template)


# --- GitHub issue form -----------------------------------------------------------------


class _Text(str):
    """Text from the policy: always quoted in YAML, so ``yes``, ``null`` or ``*a`` stay text."""


class _FormDumper(yaml.SafeDumper):
    """A safe dumper that quotes policy text (see :class:`_Text`)."""


def _represent_text(dumper: yaml.SafeDumper, data: _Text) -> yaml.ScalarNode:
    """Several lines as a literal block; NEL and Unicode line breaks only survive quoted."""
    style = "|" if "\n" in data and not _OTHER_BREAKS & set(data) else '"'
    return dumper.represent_scalar("tag:yaml.org,2002:str", str(data), style=style)


_FormDumper.add_representer(_Text, _represent_text)


class _GithubAttributes(TypedDict, total=False):
    label: _Text
    description: _Text
    options: list[_Text]
    placeholder: _Text
    render: str
    value: _Text


class _GithubItem(TypedDict):
    """A body item of a GitHub issue form: a field, or Markdown (only a type and its value)."""

    type: str
    id: NotRequired[str]
    attributes: _GithubAttributes
    validations: NotRequired[dict[str, bool]]


class _GithubForm(TypedDict, total=False):
    name: _Text
    description: _Text
    title: _Text
    body: list[_GithubItem]


def _dropdown_options(field: TicketField) -> list[_Text]:
    """The options as GitHub accepts them: unique, none blank, and no "None".

    "None" is reserved: GitHub adds it to optional dropdowns itself, so it is dropped
    there, and renamed "None of these" on required ones.
    """
    kept = []
    for option in (option.strip() for option in field.options):
        if option.lower() == "none":
            if not field.required:
                continue
            option = _("None of these")
        if option and option not in kept:
            kept.append(option)
    return [_Text(option) for option in kept]


def _github_description(field: TicketField) -> str:
    parts = [*map(md_text, conditions(field)), md_block(field.help)]
    if field.sensitive.strip():
        parts.append(_("⚠️ **Sensitive data:** {warning}", warning=md_text(_sentence(field.sensitive))))
    return "\n\n".join(part for part in parts if part)


def _github_item(field: TicketField) -> _GithubItem:
    options = _dropdown_options(field) if field.kind == "choice" else []
    kind = "dropdown" if options else "input" if field.kind in _GITHUB_INPUTS else "textarea"
    attributes: _GithubAttributes = {"label": _Text(label(field))}
    description = _github_description(field)
    if description:
        attributes["description"] = _Text(description)
    if options:
        attributes["options"] = options
    elif field.placeholder.strip():
        attributes["placeholder"] = _Text(field.placeholder.strip())
    if field.kind == "payload":
        attributes["render"] = "json"
    return {"type": kind, "id": field.id, "attributes": attributes, "validations": {"required": field.required}}


def _first_line(markdown: str, limit: int = 200) -> str:
    """The first paragraph on one line, cut at a word boundary to ``limit`` characters."""
    paragraph = " ".join(markdown.strip().split("\n\n")[0].split())
    if len(paragraph) <= limit:
        return paragraph
    return paragraph[: limit - 1].rsplit(" ", 1)[0].rstrip() + "…"


def suggested_title(template: TicketTemplate, policy: PolicySet) -> str:
    """The subject asked for by the first channel using ``template`` that asks for one."""
    for channel in policy.channels:
        if channel.template == template.id and channel.subject:
            subject = channel.subject
            return subject.text.strip() or f"{subject.prefix.strip()} "
    return ""


def render_github(template: TicketTemplate, policy: PolicySet) -> str:
    """A GitHub issue form (``.github/ISSUE_TEMPLATE/*.yml``)."""
    form_name = _Text(name(template))
    form: _GithubForm = {"name": form_name, "description": _Text(_first_line(prose(template.intro)) or form_name)}
    subject = suggested_title(template, policy)
    if subject.strip():
        form["title"] = _Text(subject)
    body: list[_GithubItem] = (
        [{"type": "markdown", "attributes": {"value": _Text(md_block(template.intro))}}]
        if template.intro.strip()
        else []
    )
    body += [_github_item(field) for field in template.fields]
    if template.tip.strip():
        body.append(
            {"type": "markdown", "attributes": {"value": _Text(_("**Tip:** {tip}", tip=md_block(template.tip)))}}
        )
    form["body"] = body
    return yaml.dump(form, Dumper=_FormDumper, sort_keys=False, allow_unicode=True, width=10**6)


# --- GitLab issue template -------------------------------------------------------------


def comment(text: str) -> str:
    """An HTML comment holding ``text`` (as :func:`prose`); ``--`` inside becomes ``- -`` so it
    cannot end early."""
    safe = re.sub(r"-(?=-)", "- ", prose(text))
    return f"<!--\n{safe}\n-->"


def _gitlab_field(field: TicketField) -> str:
    marker = _(" (required)") if field.required else ""
    notes = [_("{status} Answer: {kind}.", status=status(field), kind=kind_noun(field.kind)), field.help.strip()]
    if field.placeholder.strip():
        notes.append(_("Example: {example}", example=field.placeholder.strip()))
    if warning(field):
        notes.append(warning(field))
    return _join([f"### {md_text(label(field))}{marker}", comment("\n".join(filter(None, notes))), _answer(field)])


def render_gitlab(template: TicketTemplate, policy: PolicySet) -> str:
    """A GitLab issue template (``.gitlab/issue_templates/*.md``); guidance hidden in comments."""
    tip = _("Tip: {tip}", tip=template.tip.strip()) if template.tip.strip() else ""
    intro = "\n\n".join(part for part in (name(template), template.intro.strip(), tip) if part)
    return "\n\n".join([comment(intro), *(_gitlab_field(field) for field in template.fields)])


# --- JSON Schema -----------------------------------------------------------------------


def _json_property(field: TicketField) -> dict[str, object]:
    parts = [field.help.strip(), *conditions(field), warning(field)]
    schema: dict[str, object] = {"title": label(field)}
    description = prose("\n\n".join(part for part in parts if part))
    if description:
        schema["description"] = description
    schema["type"] = "string"
    if field.kind in _JSON_FORMATS:
        schema["format"] = _JSON_FORMATS[field.kind]
    if field.kind == "choice":
        schema["enum"] = list(field.options)
    if field.placeholder.strip():
        schema["examples"] = [field.placeholder.strip()]
    schema["x-kind"] = field.kind
    for key, value in (
        ("x-required-when", field.required_when),
        ("x-applies-when", field.applies_when),
        ("x-sensitive", field.sensitive),
    ):
        if value.strip():
            schema[key] = value
    return schema


def render_json_schema(template: TicketTemplate, policy: PolicySet) -> str:
    """A JSON Schema (draft 2020-12) of one ticket as a JSON object of strings."""
    schema: dict[str, object] = {"$schema": "https://json-schema.org/draft/2020-12/schema", "title": name(template)}
    if template.intro.strip():
        schema["description"] = prose(template.intro)
    schema |= {
        "type": "object",
        "properties": {field.id: _json_property(field) for field in template.fields},
        "required": [field.id for field in template.fields if field.required],
        "additionalProperties": False,
    }
    return json.dumps(schema, indent=2, ensure_ascii=False, sort_keys=False) + "\n"


# --- the formats -----------------------------------------------------------------------


@dataclass(frozen=True)
class TicketFormat:
    """One downloadable format of a ticket template."""

    id: str
    label: str
    """In English, the msgid: templates translate it (``_(fmt.label)``)."""
    description: str
    folder: str
    suffix: str
    download_suffix: str
    render: Callable[[TicketTemplate, PolicySet], str]

    def path(self, template_id: str) -> str:
        """Where the file is published in the site."""
        return f"downloads/{self.folder}/{template_id}{self.suffix}"

    def filename(self, template_id: str) -> str:
        """The name the browser saves the file as."""
        return f"{template_id}{self.download_suffix}"


TICKET_FORMATS: tuple[TicketFormat, ...] = (
    TicketFormat(
        "markdown",
        N_("Markdown"),
        N_("A Markdown ticket to paste into any ticket system, chat or document."),
        "markdown",
        ".md.txt",
        ".md",
        render_markdown,
    ),
    TicketFormat(
        "email",
        N_("Email text"),
        N_("Plain text to paste into an email to support."),
        "email",
        ".txt",
        ".txt",
        render_email,
    ),
    TicketFormat(
        "github",
        N_("GitHub issue form"),
        N_("An issue form for GitHub: save it in .github/ISSUE_TEMPLATE/ in your repository."),
        "github",
        ".yml",
        ".yml",
        render_github,
    ),
    TicketFormat(
        "gitlab",
        N_("GitLab issue template"),
        N_("An issue template for GitLab: save it in .gitlab/issue_templates/ in your project."),
        "gitlab",
        ".md.txt",
        ".md",
        render_gitlab,
    ),
    TicketFormat(
        "json-schema",
        N_("JSON Schema"),
        N_("A JSON Schema (draft 2020-12) of the ticket, for portals and forms that check tickets."),
        "json-schema",
        ".schema.json",
        ".schema.json",
        render_json_schema,
    ),
)
