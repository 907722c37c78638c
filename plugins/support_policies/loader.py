"""Strict YAML loading: libyaml parses, this module builds plain data with positions.

libyaml (through PyYAML's C parser) composes a node tree with marks. We then build
the Python values ourselves, so that we decide what YAML means, not YAML 1.1:

* plain scalars follow the YAML 1.2 core schema: ``8:00``, ``NO``, ``on`` and
  ``2026-11-23`` stay strings; only ``true``/``false`` are booleans;
* a key that appears twice is an error at the second key;
* aliases are bounded, so an alias bomb is refused instead of expanded;
* so are size, nesting and the values written, so no file can exhaust time or memory;
* unknown tags (``!!python/object``…), merge keys, several documents, BOMs,
  tabs, non-UTF-8 bytes and empty files each become a finding.
"""

from __future__ import annotations

import math
import os
import re
import stat
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import ClassVar, NoReturn, Protocol, TypeAlias

import yaml

from .collector import paused
from .findings import Finding, Level

MAX_BYTES = 5 * 1024 * 1024
MAX_DEPTH = 64
MAX_EXPANSION = 100_000
"""Values a document may expand to through aliases (when that is 10x what is written)."""
MAX_VALUES = 20_000
"""Values (scalars, lists, mappings) a file may write out; the largest sample file has about 200."""
DEPTH_SCAN = 1_000
"""Files with more structure characters than this are scanned before composing: libyaml's
composer recurses in C (some 30,000 nested levels overflow the stack) and keeps every node
in memory (a 5 MB file of a million values takes gigabytes and half a minute)."""
MAX_DIGITS = 64
"""Longer integers are not usable numbers (and Python refuses to convert 4,300 digits)."""

_STR = "tag:yaml.org,2002:str"
_SEQ = "tag:yaml.org,2002:seq"
_MAP = "tag:yaml.org,2002:map"
_PLAIN = "!plain"  # our private tag: a plain scalar, to be resolved as YAML 1.2 core

_INT = re.compile(r"[-+]?[0-9]+")
_OCT = re.compile(r"0o[0-7]+")
_HEX = re.compile(r"0x[0-9a-fA-F]+")
_FLOAT = re.compile(r"[-+]?(\.[0-9]+|[0-9]+(\.[0-9]*)?)([eE][-+]?[0-9]+)?")
_NULLS = {"", "~", "null", "Null", "NULL"}
_TRUE = {"true", "True", "TRUE"}
_FALSE = {"false", "False", "FALSE"}
_INF = {".inf", ".Inf", ".INF", "+.inf", "+.Inf", "+.INF"}
_NINF = {"-.inf", "-.Inf", "-.INF"}
_NAN = {".nan", ".NaN", ".NAN"}
_NOT_TEXT = frozenset("0123456789+-.~nNtTfF")
_NUMBER_ENDS = frozenset("0123456789.abcdefABCDEFnN")
"""The last characters of every number below (a digit, a hex digit, the dot of "1.", .inf, .nan)."""
"""The first characters of every plain scalar that is not text (numbers, nulls, booleans, .inf, .nan)."""

Scalar: TypeAlias = "str | int | float | bool | None"
"""A scalar as the YAML 1.2 core schema reads it."""
Data: TypeAlias = "Scalar | list[Data] | dict[str, Data]"
"""The plain data a document is built into: scalars, lists and mappings with text keys."""
KeyPath: TypeAlias = "tuple[str | int, ...]"
"""Where a value sits in a document: mapping keys and list indexes, from the top."""


class _Mark(Protocol):
    """A parser position; PyYAML's and libyaml's marks have different classes."""

    @property
    def line(self) -> int: ...

    @property
    def column(self) -> int: ...


class _Loader(yaml.CSafeLoader):
    """libyaml's composer with no YAML 1.1 implicit typing."""

    # PyYAML keeps the resolvers on the class; types-PyYAML declares an instance attribute.
    yaml_implicit_resolvers: ClassVar[dict[str | None, list[tuple[str, re.Pattern[str]]]]] = {}  # type: ignore[misc]

    def resolve(self, kind: type[yaml.Node], value: str | None, implicit: tuple[bool, bool] | bool) -> str:
        if kind is yaml.ScalarNode:
            # a scalar's ``implicit`` is (plain, quoted); a collection's is one flag
            return _PLAIN if isinstance(implicit, tuple) and implicit[0] else _STR
        # a collection: its default tag (what the resolver answers without path resolvers, which
        # this loader never has)
        return _SEQ if kind is yaml.SequenceNode else _MAP

    # Without path resolvers, the composer's calls around each node have nothing to do (the
    # inherited ones look for path resolvers first: about 3 % of loading).
    def descend_resolver(self, current_node: yaml.Node | None, current_index: object) -> None:
        return None

    def ascend_resolver(self) -> None:
        return None


def core_scalar(text: str) -> Scalar:
    """Resolve a plain scalar by the YAML 1.2 core schema."""
    if text and text[0] not in _NOT_TEXT:
        return text
    if text in _NULLS:
        return None
    if text in _TRUE:
        return True
    if text in _FALSE:
        return False
    if text[-1] not in _NUMBER_ENDS or ":" in text:  # "4h", "08:00": no number ends so or holds a colon
        return text
    if _INT.fullmatch(text):
        return _integer(text, 10)
    if _OCT.fullmatch(text):
        return _integer(text[2:], 8)
    if _HEX.fullmatch(text):
        return _integer(text[2:], 16)
    if _FLOAT.fullmatch(text):
        return float(text)
    if text in _INF:
        return math.inf
    if text in _NINF:
        return -math.inf
    if text in _NAN:
        return math.nan
    return text


def _integer(digits: str, base: int) -> int | float:
    """An integer, or an infinity (reported as not usable) beyond ``MAX_DIGITS`` digits."""
    if len(digits.lstrip("+-").lstrip("0")) > MAX_DIGITS:
        return -math.inf if digits.startswith("-") else math.inf
    return int(digits, base)


class Positions:
    """Where each value (and each mapping key) of a document starts, 1-based.

    Loading records no positions: only a finding needs one, so a document's positions are
    worked out on first use, by composing its text once more (``source``). ``values`` and
    ``keys`` may also be given as they are.
    """

    __slots__ = ("_keys", "_source", "_values")

    def __init__(
        self,
        values: dict[KeyPath, tuple[int, int]] | None = None,
        keys: dict[KeyPath, tuple[int, int]] | None = None,
        source: Callable[[], tuple[dict[KeyPath, tuple[int, int]], dict[KeyPath, tuple[int, int]]]] | None = None,
    ):
        self._values = values if values is not None else {}
        self._keys = keys if keys is not None else {}
        self._source = source

    def _resolve(self) -> None:
        if self._source is not None:
            source, self._source = self._source, None
            self._values, self._keys = source()

    @property
    def values(self) -> dict[KeyPath, tuple[int, int]]:
        """The start of each value, by its path."""
        self._resolve()
        return self._values

    @property
    def keys(self) -> dict[KeyPath, tuple[int, int]]:
        """The start of each mapping key, by the path of its value."""
        self._resolve()
        return self._keys

    def __eq__(self, other: object) -> bool:
        if not isinstance(other, Positions):
            return NotImplemented
        return (self.values, self.keys) == (other.values, other.keys)

    __hash__ = None  # type: ignore[assignment]  # mutable, as the dataclass it replaces

    def __repr__(self) -> str:
        return f"Positions(values={self.values!r}, keys={self.keys!r})"

    def value(self, path: Sequence[str | int]) -> tuple[int, int]:
        """The position of the value at ``path``, or of its nearest known ancestor."""
        values = self.values
        at = tuple(path)
        while at not in values and at:
            at = at[:-1]
        return values.get(at, (1, 1))

    def key(self, path: Sequence[str | int]) -> tuple[int, int]:
        """The position of the key naming ``path``; the value's when it has no key."""
        at = tuple(path)
        keys = self.keys
        if at in keys:
            return keys[at]
        return self.value(at)


@dataclass
class Document:
    """One policy file: its text, its data and where each value came from."""

    path: str
    text: str
    data: Data
    positions: Positions


class _Refused(Exception):
    def __init__(self, finding: Finding):
        self.finding = finding


_BREAKS = re.compile(r"\r\n|\r|\n")
_YAML11_BREAKS = "\x85\u2028\u2029"


def lines(text: str) -> list[str]:
    """The lines of ``text`` as YAML 1.2 counts them: only LF, CR and CRLF end a line."""
    found = _BREAKS.split(text)
    if found and not found[-1]:
        found.pop()
    return found


class Sources:
    """Lines of the policy files a run read, by the name findings use, for code frames.

    A frame never reads a file again: a finding about any other file (a settings file
    that was not read, a link that was refused) simply has no frame, so a report can
    only quote what was read as policy.
    """

    def __init__(self, texts: dict[str, str] | None = None):
        self._texts = dict(texts or {})
        self._lines: dict[str, list[str]] = {}
        """The lines of each file a frame was asked of, split on first use."""

    def line(self, file: str, number: int) -> str | None:
        found = self._lines.get(file)
        if found is None:
            text = self._texts.get(file)
            if text is None:
                return None
            found = self._lines[file] = lines(text)
        return found[number - 1] if 0 < number <= len(found) else None


def _shield(text: str) -> tuple[str, dict[int, str]]:
    """``text`` with NEL, U+2028 and U+2029 replaced by unused private-use characters, and
    the table that puts them back.

    libyaml follows YAML 1.1, which ends a line (and a comment) at these characters; YAML
    1.2 reads them as ordinary text. With stand-ins of the same length, libyaml parses the
    text as YAML 1.2 does and its marks count lines as editors do.
    """
    found = [c for c in _YAML11_BREAKS if c in text]
    if not found:
        return text, {}
    free = (chr(code) for code in range(0x10FFFD, 0x100000, -1) if chr(code) not in text)
    stand_ins = {c: next(free) for c in found}
    return text.translate({ord(c): s for c, s in stand_ins.items()}), {ord(s): c for c, s in stand_ins.items()}


def load_text(text: str, name: str) -> tuple[Document | None, list[Finding]]:
    """Parse ``text`` (already decoded) as a single strict YAML document.

    The cyclic garbage collector is paused meanwhile (see :func:`support_policies.collector.paused`):
    composing makes a few objects per value (nodes, marks), none in a cycle, all freed by
    reference counting when the document is built.
    """
    with paused():
        return _load_text(text, name)


def _load_text(text: str, name: str) -> tuple[Document | None, list[Finding]]:
    findings: list[Finding] = []
    shielded, restore = _shield(text)
    try:
        refused = _too_big(shielded, name)
        if refused:
            return None, [refused]
        node = yaml.compose(shielded, Loader=_Loader)
    except yaml.MarkedYAMLError as exc:
        return None, [_syntax_finding(exc, text, name)]
    except yaml.YAMLError as exc:  # reader errors: control characters and the like
        # libyaml reads the text as UTF-8 and reports a byte offset, not a character index.
        offset = getattr(exc, "position", 0) or 0
        index = len(text.encode("utf-8")[:offset].decode("utf-8", "ignore"))
        line, col = _line_col(text, index)
        character = getattr(exc, "character", None)
        shown = f"U+{character:04X}" if isinstance(character, int) else repr(character)
        return None, [
            Finding(
                name,
                line,
                col,
                "yaml.character",
                Level.ERROR,
                f"the file contains a character YAML does not allow ({shown})",
                "Remove control characters; save the file as plain UTF-8 text.",
            )
        ]
    except UnicodeEncodeError as exc:  # a lone surrogate: text that was never valid UTF-8
        line, col = _line_col(text, exc.start)
        return None, [
            Finding(
                name,
                line,
                col,
                "yaml.encoding",
                Level.ERROR,
                f"the text holds a lone surrogate (U+{ord(text[exc.start]):04X}), which is not valid UTF-8",
                "Save the file with UTF-8 encoding.",
            )
        ]
    if node is None or (isinstance(node, yaml.ScalarNode) and node.tag == _PLAIN and not node.value):
        findings.append(
            Finding(
                name,
                1,
                1,
                "yaml.empty",
                Level.WARNING,
                "the file is empty: it holds no policy",
                "Add a section such as 'severities:' or delete the file.",
            )
        )
        return Document(name, text, {}, Positions()), findings
    builder = _Builder(name, restore)
    try:
        if "&" in shielded:  # anchors, so perhaps aliases: the full walk, positions included
            data = builder.build(node, ())
            positions = builder.positions
        else:  # every node is used once: data and findings only, positions on demand
            data = builder.plain(node, 0)
            positions = Positions(source=lambda: _positions(shielded, name, restore))
    except _Refused as refusal:
        return None, [refusal.finding]
    findings.extend(builder.findings)
    return Document(name, text, data, positions), findings


def _positions(
    shielded: str, name: str, restore: dict[int, str]
) -> tuple[dict[KeyPath, tuple[int, int]], dict[KeyPath, tuple[int, int]]]:
    """The positions of a document :func:`load_text` loaded from ``shielded``, by composing it again."""
    node = yaml.compose(shielded, Loader=_Loader)
    assert node is not None, "the text composed to a document the first time"
    builder = _Builder(name, restore)
    builder.build(node, ())
    return builder.positions.values, builder.positions.keys


PSEUDO_FILESYSTEMS = ("/proc", "/sys", "/dev")
"""Where files are made up by the kernel on reading (``/proc/self/environ``…): never read."""


def read_text(
    path: Path, name: str | None = None, folders: dict[str, tuple[tuple[int, int], str]] | None = None
) -> tuple[str | None, list[Finding]]:
    """The text of one policy file, or findings saying why it cannot be read as one.

    Only regular files are read: a FIFO, a device, a socket or a file of ``/proc``, ``/sys``
    or ``/dev`` is refused without reading a byte (and without blocking on a FIFO).
    ``folders`` keeps the real path of each folder read from, for a caller reading many files.
    """
    name = name or str(path)
    real = _real_path(str(path), folders)
    if any(real == root or real.startswith(root + "/") for root in PSEUDO_FILESYSTEMS):
        return None, [_special(name)]
    try:
        fd = os.open(real, os.O_RDONLY | getattr(os, "O_NONBLOCK", 0) | getattr(os, "O_BINARY", 0))
    except OSError as exc:
        return None, [
            Finding(
                name,
                0,
                0,
                "io.read",
                Level.ERROR,
                f"cannot read the file: {exc.strerror or exc}",
                "Check that the path exists and is readable.",
            )
        ]
    with os.fdopen(fd, "rb") as stream:
        status = os.fstat(fd)
        if not stat.S_ISREG(status.st_mode):
            return None, [_special(name)]
        raw = b""
        if status.st_size <= MAX_BYTES:
            # Up to MAX_BYTES + 1 bytes, in a buffer of the file's size (a file that grew since
            # fstat reads on): asking for MAX_BYTES at once allocates that much for every file.
            raw = stream.read(status.st_size + 1)
            if len(raw) > status.st_size:
                raw += stream.read(MAX_BYTES + 1 - len(raw))
    if status.st_size > MAX_BYTES or len(raw) > MAX_BYTES:
        return None, [
            Finding(
                name,
                0,
                0,
                "yaml.too-large",
                Level.ERROR,
                f"the file is {max(status.st_size, len(raw)):,} bytes; the limit is {MAX_BYTES:,}",
                "Split the policies into several smaller files.",
            )
        ]
    findings: list[Finding] = []
    if raw.startswith((b"\xff\xfe", b"\xfe\xff")):
        return None, [
            Finding(
                name,
                1,
                1,
                "yaml.encoding",
                Level.ERROR,
                "the file is UTF-16; policy files must be UTF-8",
                "Save the file with UTF-8 encoding.",
            )
        ]
    if raw.startswith(b"\xef\xbb\xbf"):
        raw = raw[3:]
        findings.append(
            Finding(
                name,
                1,
                1,
                "yaml.bom",
                Level.WARNING,
                "the file starts with a byte-order mark (BOM)",
                "Save the file as UTF-8 without BOM; some tools show the mark as a stray character.",
            )
        )
    try:
        return raw.decode("utf-8"), findings
    except UnicodeDecodeError as exc:
        prefix = raw[: exc.start].decode("utf-8", "replace")
        line, col = _line_col(prefix, len(prefix))
        return None, findings + [
            Finding(
                name,
                line,
                col,
                "yaml.encoding",
                Level.ERROR,
                f"byte 0x{raw[exc.start]:02x} is not valid UTF-8",
                "Save the file with UTF-8 encoding (it may be Latin-1 or Windows-1252).",
            )
        ]


def _real_path(path: str, folders: dict[str, tuple[tuple[int, int], str]] | None) -> str:
    """``os.path.realpath(path)``; for a plain absolute path to a file that is no link, the
    real path of its folder joined with its name, the folder's kept in ``folders`` for as long
    as the folder is the same one (its device and inode, read right before each use: a folder
    swapped for a link elsewhere, say into /proc, is resolved again)."""
    head, _, tail = path.rpartition("/")
    plain = os.sep == "/" and path.startswith("/") and tail not in ("", ".", "..") and "/." not in path
    if folders is None or not plain or os.path.islink(path):
        return os.path.realpath(path)
    try:
        folder = os.stat(head or "/")
    except OSError:
        return os.path.realpath(path)
    identity = (folder.st_dev, folder.st_ino)
    known = folders.get(head)
    if known is None or known[0] != identity:
        known = folders[head] = (identity, os.path.realpath(head or "/"))
    return f"{known[1].rstrip('/')}/{tail}"


def _special(name: str) -> Finding:
    return Finding(
        name,
        0,
        0,
        "io.special-file",
        Level.ERROR,
        "this is not a regular file (a FIFO, a device, a socket or a file of /proc, /sys or /dev)",
        "Policies are plain files; remove it from the policies folder.",
    )


def load_file(path: Path, name: str | None = None) -> tuple[Document | None, list[Finding]]:
    """Read and parse one policy file; never raises for bad content."""
    name = name or str(path)
    text, findings = read_text(path, name)
    if text is None:
        return None, findings
    document, more = load_text(text, name)
    return document, findings + more


def _one_based(mark: _Mark | None) -> tuple[int, int]:
    """The 1-based line and column of a parser mark."""
    assert mark is not None, "the parser marks every event and error it reports here"
    return mark.line + 1, mark.column + 1


def _deep_finding(name: str, mark: _Mark | None) -> Finding:
    return Finding(
        name,
        *_one_based(mark),
        "yaml.too-deep",
        Level.ERROR,
        f"values are nested more than {MAX_DEPTH} levels deep",
        "Policy files are shallow; check for runaway brackets.",
    )


def _too_big(text: str, name: str, parser: type[yaml.SafeLoader] | None = None) -> Finding | None:
    """Refuse runaway nesting or size from the event stream, which libyaml parses without
    recursion and without keeping what it has read.

    libyaml 0.2.6 (PyYAML 6.0.4) refuses 1,000 levels itself, and its scanner reads a whole
    run of ``[[[[…`` before it emits the first event, so it fails before this scan sees level
    65. The same input then goes through PyYAML's pure-Python parser, which has no such
    limit: every libyaml gives the same finding, at the same place. ``parser`` (a PyYAML
    loader class) is for tests.
    """
    # Each nesting level needs one of these characters, and so does each key or item after
    # the first: a file with fewer than DEPTH_SCAN of them is shallow and small.
    if sum(text.count(c) for c in "[{-?:,") <= DEPTH_SCAN:
        return None
    try:
        return _scan(yaml.parse(text, Loader=parser or _Loader), name)
    except yaml.MarkedYAMLError as exc:
        if parser is not None or "maximum nesting depth" not in (exc.problem or ""):
            raise
        limit = exc.problem_mark
    return _scan(yaml.parse(text, Loader=yaml.SafeLoader), name) or _deep_finding(name, limit)


def _scan(events: Iterable[yaml.Event], name: str) -> Finding | None:
    depth = values = 0
    for event in events:
        if isinstance(event, (yaml.ScalarEvent, yaml.CollectionStartEvent)):
            if depth > MAX_DEPTH:
                return _deep_finding(name, event.start_mark)
            values += 1
            if values > MAX_VALUES:
                return Finding(
                    name,
                    *_one_based(event.start_mark),
                    "yaml.too-large",
                    Level.ERROR,
                    f"the file holds more than {MAX_VALUES:,} values; policy files hold a few hundred",
                    "Split the policies into several files, or check for generated or repeated content.",
                )
        if isinstance(event, yaml.CollectionStartEvent):
            depth += 1
        elif isinstance(event, yaml.CollectionEndEvent):
            depth -= 1
    return None


def _line_col(text: str, index: int) -> tuple[int, int]:
    """The 1-based line and column of ``text[index]``, counting YAML 1.2 line breaks."""
    before = lines(text[:index] + "x")
    return len(before), len(before[-1])


def _syntax_finding(exc: yaml.MarkedYAMLError, text: str, name: str) -> Finding:
    mark = exc.problem_mark or exc.context_mark
    line, col = (mark.line + 1, mark.column + 1) if mark else (1, 1)
    problem = exc.problem or "invalid YAML"
    text_lines = lines(text)
    here = text_lines[line - 1][col - 1 : col] if 0 < line <= len(text_lines) else ""
    if "another document" in problem:
        return Finding(
            name,
            line,
            col,
            "yaml.multiple-documents",
            Level.ERROR,
            "the file holds more than one YAML document (a second '---')",
            "Keep one document per file: remove the '---' separator or split the file.",
        )
    if here == "\t" or (0 < line <= len(text_lines) and text_lines[line - 1][:col].strip(" ") == "\t"):
        return Finding(
            name,
            line,
            col,
            "yaml.tab",
            Level.ERROR,
            "a tab character is used for indentation",
            "YAML indents with spaces only: replace the tab with spaces.",
        )
    message = problem
    if exc.context:
        message = f"{problem} ({exc.context})"
    hint = "Check the indentation and quoting around this position."
    if "mapping values are not allowed" in problem:
        hint = "A value containing ': ' must be quoted, e.g. title: \"Note: read this\"."
    elif "found undefined alias" in problem or "found undefined" in (exc.context or "") + problem:
        hint = "Define the anchor (&name) before using the alias (*name)."
    elif "expected <block end>" in problem or "expected <block end>" in (exc.context or ""):
        hint = "The indentation of this line does not match its siblings."
    return Finding(name, line, col, "yaml.syntax", Level.ERROR, message, hint)


_EXPLICIT = {
    "tag:yaml.org,2002:str",
    "tag:yaml.org,2002:int",
    "tag:yaml.org,2002:float",
    "tag:yaml.org,2002:bool",
    "tag:yaml.org,2002:null",
}


def _short(tag: str) -> str:
    return tag.replace("tag:yaml.org,2002:", "!!")


class _Builder:
    """Turns a node tree into plain data, recording positions and findings."""

    def __init__(self, name: str, restore: dict[int, str] | None = None):
        self.name = name
        self.restore = restore or {}
        """Stand-ins to turn back into the characters they replaced (see :func:`_shield`)."""
        self.positions = Positions()
        self.findings: list[Finding] = []
        self._done: dict[int, tuple[Data, int]] = {}  # node id -> (value, size)
        self._open: set[int] = set()
        self._written = 0  # nodes written out in the file
        self._count = 0  # values built, counting each alias use in full

    def _at(self, node: yaml.Node) -> tuple[int, int]:
        return node.start_mark.line + 1, node.start_mark.column + 1

    def _error(self, node: yaml.Node, rule: str, message: str, hint: str) -> None:
        self.findings.append(Finding(self.name, *self._at(node), rule, Level.ERROR, message, hint))

    def _refuse(self, node: yaml.Node, rule: str, message: str, hint: str) -> NoReturn:
        raise _Refused(Finding(self.name, *self._at(node), rule, Level.ERROR, message, hint))

    def build(self, node: yaml.Node, path: KeyPath, depth: int = 0) -> Data:
        key = id(node)
        if key in self._open:
            self._refuse(
                node,
                "yaml.recursive-alias",
                "an alias refers to a value that contains it",
                "Aliases may only repeat a finished value; remove the self-reference.",
            )
        if key in self._done:
            value, size = self._done[key]
            self._count += size
            if self._count > MAX_EXPANSION and self._count > 10 * self._written:
                self._refuse(
                    node,
                    "yaml.alias-bomb",
                    f"aliases expand to more than {MAX_EXPANSION:,} values",
                    "Write the repeated values out, or use fewer nested aliases.",
                )
            self.positions.values.setdefault(path, self._at(node))
            return value
        if depth > MAX_DEPTH:
            raise _Refused(_deep_finding(self.name, node.start_mark))
        self.positions.values[path] = self._at(node)
        self._open.add(key)
        before = self._count
        self._written += 1
        self._count += 1
        if isinstance(node, yaml.MappingNode):
            value = self._mapping(node, path, depth)
        elif isinstance(node, yaml.SequenceNode):
            self._check_tag(node, "tag:yaml.org,2002:seq")
            value = [self.build(item, path + (i,), depth + 1) for i, item in enumerate(node.value)]
        else:
            value = self._scalar(node)
        self._open.discard(key)
        self._done[key] = (value, self._count - before)
        return value

    def plain(self, node: yaml.Node, depth: int) -> Data:
        """What :meth:`build` makes of a tree in which no node is used twice (a text without
        anchors), with the same findings, but recording no positions."""
        if depth > MAX_DEPTH:
            raise _Refused(_deep_finding(self.name, node.start_mark))
        if isinstance(node, yaml.ScalarNode):
            if node.tag == _PLAIN and not self.restore:
                text: str = node.value
                if text and text[0] not in _NOT_TEXT:
                    return text
            return self._scalar(node)
        if isinstance(node, yaml.MappingNode):
            if node.tag != _MAP:
                self._check_tag(node, _MAP)
            result: dict[str, Data] = {}
            restore = self.restore
            for key_node, value_node in node.value:
                if type(key_node) is not yaml.ScalarNode or key_node.tag != _PLAIN or restore:
                    key = self._key(node, key_node, result)
                    if key is None:
                        continue
                else:
                    key = key_node.value
                    if key in result or key == "<<":  # a duplicate or a merge key: reported
                        self._key(node, key_node, result)
                        continue
                result[key] = self.plain(value_node, depth + 1)
            return result
        if isinstance(node, yaml.SequenceNode):
            if node.tag != _SEQ:
                self._check_tag(node, _SEQ)
            return [self.plain(item, depth + 1) for item in node.value]
        return self.build(node, (), depth)  # not composed by libyaml: the general walk

    def _key(self, mapping: yaml.MappingNode, key_node: yaml.Node, taken: dict[str, Data]) -> str | None:
        """The key ``key_node`` names in ``mapping``, or None (with its finding) when it names none
        (:meth:`_mapping`'s rules; ``taken`` holds the keys accepted so far)."""
        if not isinstance(key_node, yaml.ScalarNode):
            self._error(
                key_node,
                "yaml.complex-key",
                "a mapping key must be a plain name",
                "Keys are words such as 'name' or 'severity'; a list or mapping cannot be a key.",
            )
            return None
        key: str = key_node.value.translate(self.restore) if self.restore else key_node.value
        if key == "<<" and key_node.tag == _PLAIN:
            self._error(
                key_node,
                "yaml.merge-key",
                "merge keys ('<<') are not part of YAML 1.2",
                "Write the keys out, or alias the whole value (key: *anchor).",
            )
            return None
        if key in taken:
            first = next(
                self._at(other)[0]
                for other, _ in mapping.value
                if isinstance(other, yaml.ScalarNode)
                and (other.value.translate(self.restore) if self.restore else other.value) == key
                and not (key == "<<" and other.tag == _PLAIN)
            )
            self._error(
                key_node,
                "yaml.duplicate-key",
                f"the key '{key}' appears twice in this mapping (first at line {first})",
                "Remove one of them; YAML would otherwise keep only the last value silently.",
            )
            return None
        return key

    def _check_tag(self, node: yaml.Node, expected: str) -> None:
        if node.tag != expected:
            self._error(
                node,
                "yaml.tag",
                f"the tag '{_short(node.tag)}' is not allowed",
                "Policy files use plain YAML: remove the '!' tag.",
            )

    def _scalar(self, node: yaml.Node) -> Scalar:
        tag: str = node.tag
        text: str = node.value.translate(self.restore) if self.restore else node.value
        if tag == _PLAIN:
            value = core_scalar(text)
            if isinstance(value, float) and not math.isfinite(value):
                self._error(
                    node,
                    "yaml.not-a-number",
                    f"'{text}' is not a usable number",
                    "Policies need finite numbers; write the value out, e.g. 99.9.",
                )
            return value
        if tag == _STR:
            return text
        if tag in _EXPLICIT:
            value = core_scalar(text)
            wanted = tag.rsplit(":", 1)[1]
            kinds: dict[str, type | tuple[type, ...]] = {
                "int": int,
                "float": (int, float),
                "bool": bool,
                "null": type(None),
            }
            if isinstance(value, kinds[wanted]) and not (wanted in ("int", "float") and isinstance(value, bool)):
                # (the isinstance only tells mypy what the check above made sure of)
                return float(value) if wanted == "float" and isinstance(value, (int, float)) else value
            self._error(
                node,
                "yaml.tag",
                f"'{text}' is not a valid !!{wanted}",
                f"Write {'an' if wanted == 'int' else 'a'} {wanted} value, or remove the !!{wanted} tag.",
            )
            return text
        self._error(
            node,
            "yaml.tag",
            f"the tag '{_short(tag)}' is not allowed",
            "Policy files hold plain data: remove the tag (and never load untrusted YAML with tags).",
        )
        return text

    def _mapping(self, node: yaml.MappingNode, path: KeyPath, depth: int) -> dict[str, Data]:
        self._check_tag(node, "tag:yaml.org,2002:map")
        result: dict[str, Data] = {}
        first_seen: dict[str, int] = {}
        for key_node, value_node in node.value:
            if not isinstance(key_node, yaml.ScalarNode):
                self._error(
                    key_node,
                    "yaml.complex-key",
                    "a mapping key must be a plain name",
                    "Keys are words such as 'name' or 'severity'; a list or mapping cannot be a key.",
                )
                continue
            key: str = key_node.value.translate(self.restore) if self.restore else key_node.value
            if key == "<<" and key_node.tag == _PLAIN:
                self._error(
                    key_node,
                    "yaml.merge-key",
                    "merge keys ('<<') are not part of YAML 1.2",
                    "Write the keys out, or alias the whole value (key: *anchor).",
                )
                continue
            line, col = self._at(key_node)
            if key in first_seen:
                self._error(
                    key_node,
                    "yaml.duplicate-key",
                    f"the key '{key}' appears twice in this mapping (first at line {first_seen[key]})",
                    "Remove one of them; YAML would otherwise keep only the last value silently.",
                )
                continue
            first_seen[key] = line
            child = path + (key,)
            self.positions.keys[child] = (line, col)
            result[key] = self.build(value_node, child, depth + 1)
        return result
