"""Machine output: a versioned JSON document of every finding."""

from __future__ import annotations

from collections.abc import Sequence

from ..findings import Finding, Level
from ..loader import Sources
from .escape import json_text


def render_json(
    findings: list[Finding], sources: Sources, colour: bool = False, files: int = 0, checked: Sequence[str] = ()
) -> str:
    document = {
        "version": 1,
        "files": files,
        "summary": {str(level): sum(1 for f in findings if f.level is level) for level in Level},
        "findings": [f.to_dict() for f in findings],
    }
    return json_text(document) + "\n"
