"""What a finding may not send to a log, a terminal or a file reader, and how it shows instead.

Findings quote policy text and file names, which anyone can write. Printed raw, a line
break would start a line of its own (``::error file=…::`` forges a CI annotation), an
escape sequence would drive the terminal, and a bidi override would make the text read
differently from what it is. Every reporter passes its strings through one of the two
functions here, once, as the last step before output:

* :func:`printable` for text people read (text, GitHub annotations and summary, JUnit):
  C0 controls, DEL and line breaks become their Unicode control pictures (``␊``, ``␛``),
  and C1 controls, U+2028/U+2029, bidi controls, lone surrogates and the noncharacters
  U+FFFE/U+FFFF (which XML cannot hold) become ``<U+XXXX>``;
* :func:`json_text` for JSON documents (json, SARIF): the same characters become
  ``\\uXXXX`` escapes, so the data stays exact for machines and inert for logs.
"""

from __future__ import annotations

import json
import re

_BIDI = [0x061C, 0x200E, 0x200F, *range(0x202A, 0x202F), *range(0x2066, 0x206A)]
_OTHERS = [*range(0x80, 0xA0), 0x2028, 0x2029, *_BIDI]
UNSAFE = re.compile("[\x00-\x1f\x7f" + "".join(map(chr, _OTHERS)) + "\ud800-\udfff\ufffe\uffff]")
"""Every code point a reporter never writes as itself."""

_IN_JSON = re.compile("[\x7f" + "".join(map(chr, _OTHERS)) + "\ud800-\udfff\ufffe\uffff]")
"""The unsafe characters ``json.dumps`` leaves as they are (it escapes C0 controls itself)."""
_PICTURES = {code: 0x2400 + code for code in range(0x20)} | {0x7F: 0x2421}


def _shown(match: re.Match[str]) -> str:
    code = ord(match[0])
    return chr(_PICTURES[code]) if code in _PICTURES else f"<U+{code:04X}>"


def printable(text: str) -> str:
    """``text`` with every unsafe character shown as a visible stand-in."""
    return UNSAFE.sub(_shown, str(text))


def json_text(document: object, indent: int | None = 2) -> str:
    """``document`` as JSON, with unsafe characters written as ``\\uXXXX`` escapes."""
    return _IN_JSON.sub(lambda m: f"\\u{ord(m[0]):04x}", json.dumps(document, indent=indent, ensure_ascii=False))
