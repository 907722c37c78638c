"""What every finding id that is not a rule means, and how to fix it: one table.

Rules describe themselves (``rules.base.Rule``: ``id``, ``level``, ``summary`` and the class
docstring). The stages before them report fixed ids: the YAML loader (``yaml.*``), the JSON
Schema check (``schema.*``), reading and discovering files (``io.*``), merging files into
one policy set (``policy.*``) and suppression comments (``suppression.*``). Each of those
ids is listed here once, with its default level, a one-line summary and help written for
the person who has to fix the file, so that reports which describe their rules (SARIF) have
something to say about every id.

``tests/test_reporters.py`` collects the ids the package can report (the string literals
of those families in its source, and the schema keywords the validator turns into ids) and
fails when one is missing here. An id that is somehow not listed still gets its stage's
description, never nothing.
"""

from __future__ import annotations

from dataclasses import dataclass

from ..findings import Level


@dataclass(frozen=True)
class Stage:
    """A family of finding ids: the stage of the check that reports them."""

    prefix: str
    name: str
    description: str


@dataclass(frozen=True)
class FindingKind:
    """One finding id: its default level, a one-line summary and help (Markdown)."""

    id: str
    level: Level
    summary: str
    help: str

    @property
    def stage(self) -> Stage:
        return stage_of(self.id)


STAGES: tuple[Stage, ...] = (
    Stage(
        "yaml.",
        "YAML syntax and loading",
        "Reported while reading a policy file as YAML: syntax, encoding, tabs, duplicate keys, tags, "
        "aliases, and the limits on size and depth.",
    ),
    Stage(
        "schema.",
        "JSON Schema validation",
        "Reported when a policy file does not match the policy JSON Schema: unknown or missing keys, "
        "wrong types, values outside the allowed set or format.",
    ),
    Stage("io.", "Reading files", "Reported when a path given to the check cannot be read or holds no policy files."),
    Stage(
        "policy.",
        "Merging files",
        "Reported when the policy files cannot be merged into one policy set, such as a single section "
        "defined in two files.",
    ),
    Stage(
        "suppression.",
        "Suppression comments",
        "Reported for a comment that suppresses a finding but names no rule, an unknown rule, no reason, "
        "or suppresses nothing.",
    ),
)
OTHER = Stage("", "support-policies finding", "Reported by support-policies while checking policy files.")

_E, _W = Level.ERROR, Level.WARNING

KINDS: tuple[FindingKind, ...] = (
    # --- yaml.*: loader.py ------------------------------------------------------------------
    FindingKind(
        "yaml.syntax",
        _E,
        "The file is not valid YAML",
        "The YAML parser stopped here: an unclosed bracket or quote, a line indented differently from "
        "its siblings, or a `key: value` missing its colon or space. The message says what the parser "
        "expected; look at this line and the one before it.",
    ),
    FindingKind(
        "yaml.tab",
        _E,
        "A tab is used for indentation",
        "YAML indents with spaces only. Replace the tab with spaces (most editors do it for you when "
        "the file type is YAML).",
    ),
    FindingKind(
        "yaml.duplicate-key",
        _E,
        "A key appears twice in one mapping",
        "YAML would silently keep only the last of the two values, so the check refuses the file. "
        "Remove one of the keys, or merge their values.",
    ),
    FindingKind(
        "yaml.multiple-documents",
        _E,
        "The file holds more than one YAML document",
        "A second `---` starts another document, which policy files do not use. Remove the separator, "
        "or move the second part to a file of its own.",
    ),
    FindingKind(
        "yaml.tag",
        _E,
        "A YAML tag is not allowed",
        "Policy files hold plain data: a `!tag` (or a `!!int`/`!!str` whose value does not fit it) is "
        "refused. Remove the tag and write the value itself.",
    ),
    FindingKind(
        "yaml.merge-key",
        _E,
        "A merge key (`<<`) is used",
        "Merge keys belong to YAML 1.1, not to YAML 1.2, which the check reads. Write the keys out, or "
        "alias the whole value (`key: *anchor`).",
    ),
    FindingKind(
        "yaml.complex-key",
        _E,
        "A mapping key is a list or a mapping",
        "Keys are plain names such as `name` or `critical`. Write the key as a word.",
    ),
    FindingKind(
        "yaml.recursive-alias",
        _E,
        "An alias refers to a value that contains it",
        "An alias (`*anchor`) may only repeat a value that is already complete. Remove the self-reference.",
    ),
    FindingKind(
        "yaml.alias-bomb",
        _E,
        "Aliases expand to too many values",
        "Nested aliases multiply: the file would expand beyond the limit the check allows. Write the "
        "repeated values out, or use fewer nested aliases.",
    ),
    FindingKind(
        "yaml.not-a-number",
        _E,
        "A number is not finite",
        "`.nan` and `.inf` are not usable in a policy. Write the number out, e.g. `99.9`.",
    ),
    FindingKind(
        "yaml.too-deep",
        _E,
        "Values are nested too deeply",
        "Policy files are shallow; nesting beyond the limit usually means runaway brackets. Check the "
        "brackets and indentation around this line.",
    ),
    FindingKind(
        "yaml.too-large",
        _E,
        "The file is too large",
        "The file is bigger, or holds more values, than the limit for a policy file (a policy file "
        "holds a few hundred values). Split the policies into several files, or look for generated or "
        "repeated content.",
    ),
    FindingKind(
        "yaml.encoding",
        _E,
        "The file is not UTF-8",
        "Policy files are UTF-8 text. The file is UTF-16, or holds bytes that are not UTF-8 (it may be "
        "Latin-1 or Windows-1252). Save it with UTF-8 encoding.",
    ),
    FindingKind(
        "yaml.bom",
        _W,
        "The file starts with a byte-order mark",
        "The file is read, but some tools show the mark as a stray character. Save the file as UTF-8 without BOM.",
    ),
    FindingKind(
        "yaml.character",
        _E,
        "The file holds a character YAML does not allow",
        "A control character (other than tab and line break) cannot appear in YAML. Remove it; save "
        "the file as plain UTF-8 text.",
    ),
    FindingKind(
        "yaml.empty",
        _W,
        "The file is empty",
        "The file holds no policy. Add a section such as `severities:`, or delete the file.",
    ),
    # --- schema.*: validate.py --------------------------------------------------------------
    FindingKind(
        "schema.unknown-key",
        _E,
        "A key the policy format does not define",
        "The key is not allowed at this place: a misspelling, or a key of another section. The hint "
        "names the closest allowed key, or lists them all. Rename or remove the key; "
        "`reference/policy-format.md` lists the keys of every section.",
    ),
    FindingKind(
        "schema.required",
        _E,
        "A required key is missing",
        "This mapping needs the key the message names. Add it; the hint says what the key holds.",
    ),
    FindingKind(
        "schema.key-name",
        _E,
        "A key is not a valid id",
        "Keys of this mapping are ids (for example the severity ids of a tier's targets): lower-case "
        "words joined by hyphens, such as `critical` or `standard-hours`.",
    ),
    FindingKind(
        "schema.type",
        _E,
        "A value has the wrong type",
        "For example text where a list or a mapping is expected. YAML 1.2 reads `yes`, `no`, `on` and "
        "`off` as text, so write `true` or `false`; quote a number that is meant as text. The hint says "
        "what the value should be.",
    ),
    FindingKind(
        "schema.enum",
        _E,
        "A value is not one of the allowed values",
        "The key takes one of a fixed set of words. The hint names the closest allowed value, or lists them all.",
    ),
    FindingKind(
        "schema.const",
        _E,
        "A value must be exactly the one the format names",
        "The key holds a fixed value (such as the format name and version of an export). Write the "
        "value the hint gives.",
    ),
    FindingKind(
        "schema.format",
        _E,
        "A value does not match its format",
        "Durations carry a unit (`30m`, `4h`, `2d`), clock times are `HH:MM`, ids are lower-case words "
        "joined by hyphens, and so on. The hint describes the format of this key, with an example.",
    ),
    FindingKind(
        "schema.control-character",
        _E,
        "Text holds a line break or a control character",
        "A one-line field cannot hold a line break, and no text may hold control characters: policy "
        "text reaches ticket subjects, calendars and CI logs, where such characters forge lines or "
        "control the terminal. Write the text without it.",
    ),
    FindingKind(
        "schema.minlength",
        _E,
        "Text is empty",
        "The key needs some text. Write it, or remove the key when it is optional.",
    ),
    FindingKind(
        "schema.maxlength",
        _E,
        "Text is too long",
        "The key allows at most the number of characters the message gives, for example a subject "
        "tag or a title. Shorten it, and move details to a longer text field.",
    ),
    FindingKind(
        "schema.minitems",
        _E,
        "A list has too few entries",
        "The list needs at least the number of entries the message gives, for example a choice field "
        "needs two options. Add entries, or remove the key when it is optional.",
    ),
    FindingKind(
        "schema.maxitems",
        _E,
        "A list has too many entries",
        "The list allows at most the number of entries the message gives. Remove entries.",
    ),
    FindingKind(
        "schema.uniqueitems",
        _E,
        "A list holds the same value twice",
        "Each value may appear once in this list (for example the days of opening hours). Remove the repeated value.",
    ),
    FindingKind(
        "schema.minproperties",
        _E,
        "A mapping is empty",
        "The mapping needs at least one entry, for example a tier needs a target for some severity. Add one.",
    ),
    FindingKind(
        "schema.maxproperties",
        _E,
        "A mapping has too many entries",
        "The mapping allows at most the number of entries the message gives, for example page feedback "
        "goes to one destination. Keep one, and remove the others.",
    ),
    FindingKind(
        "schema.minimum",
        _E,
        "A number is too small",
        "The number must be at least the value the message gives. Change it.",
    ),
    FindingKind(
        "schema.maximum",
        _E,
        "A number is too large",
        "The number must be at most the value the message gives, for example an uptime target of at "
        "most 100 %. Change it.",
    ),
    FindingKind(
        "schema.exclusiveminimum",
        _E,
        "A number is not above its lower bound",
        "The number must be more than the value the message gives. Change it.",
    ),
    FindingKind(
        "schema.exclusivemaximum",
        _E,
        "A number is not below its upper bound",
        "The number must be less than the value the message gives. Change it.",
    ),
    # --- io.*: loader.py and policyset.py ---------------------------------------------------
    FindingKind(
        "io.missing",
        _E,
        "No such file or folder",
        "A path given to the check does not exist. Paths are read relative to the working directory; "
        "check the spelling and where the command runs.",
    ),
    FindingKind(
        "io.no-policies",
        _E,
        "The folder holds no policy files",
        "The folder has no `.yaml` or `.yml` files (names starting with a dot are skipped). Point the "
        "check at the folder holding your policies, e.g. `policies/`.",
    ),
    FindingKind(
        "io.read",
        _E,
        "The file cannot be read",
        "The operating system refused to open or read the file; the message gives its reason. Check "
        "that the file exists and is readable.",
    ),
    FindingKind(
        "io.special-file",
        _E,
        "Not a regular file",
        "A FIFO, a device, a socket, or a file of `/proc`, `/sys` or `/dev` is never read. Policies "
        "are plain files; remove it from the policies folder.",
    ),
    FindingKind(
        "io.dangling-link",
        _E,
        "A symbolic link leads to nothing",
        "The link's target does not exist. Put the policy file itself in the policies folder, or fix the link.",
    ),
    FindingKind(
        "io.link-outside",
        _E,
        "A symbolic link leads outside the policies folder",
        "A link may only lead to a file inside the policies folder, and links to folders are not "
        "followed, so the file is not read. Put the policy file itself in the folder.",
    ),
    # --- policy.*: policyset.py -------------------------------------------------------------
    FindingKind(
        "policy.duplicate-section",
        _E,
        "A single section is defined in two files",
        "Sections such as `organization`, `scope` or `status` appear once in a policy set; list "
        "sections (`tiers`, `channels`, …) may be spread over files. Merge the two definitions, or "
        "delete one.",
    ),
    # --- policy.*: texts.py ------------------------------------------------------------------
    FindingKind(
        "policy.missing-translation",
        _E,
        "A text given per language lacks one of the policies' languages",
        "A text written per language (`name: {en: …, de: …}`) gives every language "
        "`organization.languages` lists, so that no page shows a sentence in another language. Add "
        "the missing language, or write one text for every language.",
    ),
    FindingKind(
        "policy.unknown-language",
        _E,
        "A text is given in a language the policies do not list",
        "Every language a text is given in is listed in `organization.languages`. List it there, or "
        "correct a misspelt language tag (`de`, `pt-BR`).",
    ),
    FindingKind(
        "policy.language-not-written",
        _E,
        "A site is built in a language the policies are not written in",
        "The site's language (the plugin's `language` option, the language mkdocs-static-i18n builds, "
        "or `theme.language`; `export --language`) must be one of `organization.languages` (English "
        "when none is listed), or its pages would mix the policy text of one language with the words "
        "of another. Add the language and give the texts in it, or build the site in a listed language.",
    ),
    # --- suppression.*: rules/suppressions.py -----------------------------------------------
    FindingKind(
        "suppression.no-reason",
        _E,
        "A suppression comment gives no reason",
        "Every `# support-policies: ignore RULE -- reason` states why the finding is accepted. Add "
        "the reason after `--`, e.g. `-- agreed with Legal`.",
    ),
    FindingKind(
        "suppression.no-rule",
        _E,
        "A suppression comment names no rule",
        "Name the rule id to ignore: `# support-policies: ignore glossary.unused -- reason`.",
    ),
    FindingKind(
        "suppression.unknown-rule",
        _E,
        "A suppression comment names an unknown rule",
        "The rule id is not one of the rules; it may be misspelt. `support-policies rules` lists the rule ids.",
    ),
    FindingKind(
        "suppression.unused",
        _W,
        "A suppression comment suppresses nothing",
        "The rule it names reports nothing on that line any more. Remove the stale comment.",
    ),
)
"""Every finding id of the stages before the rules, by stage."""

BY_ID: dict[str, FindingKind] = {kind.id: kind for kind in KINDS}


def stage_of(rule_id: str) -> Stage:
    """The stage reporting ``rule_id``, by its prefix."""
    return next((stage for stage in STAGES if rule_id.startswith(stage.prefix)), OTHER)


def describe(rule_id: str, level: Level = Level.ERROR) -> FindingKind:
    """The catalogue entry of ``rule_id``; for an id not listed, its stage's description."""
    if rule_id in BY_ID:
        return BY_ID[rule_id]
    stage = stage_of(rule_id)
    return FindingKind(rule_id, level, stage.name, stage.description)
