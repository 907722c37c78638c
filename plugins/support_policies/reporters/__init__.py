"""Reporters turn findings into text for people and machines.

Every reporter is called as ``render(findings, sources, colour=False, files=0, checked=())``:
``files`` is how many files were checked and ``checked`` their names.
"""

from __future__ import annotations

from .as_github import render_github, step_summary
from .as_json import render_json
from .as_junit import render_junit
from .as_sarif import render_sarif
from .as_text import render_text

REPORTERS = {
    "text": render_text,
    "json": render_json,
    "github": render_github,
    "sarif": render_sarif,
    "junit": render_junit,
}

__all__ = ["REPORTERS", "step_summary"]
