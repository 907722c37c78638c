"""Reporters turn findings into text for people and machines.

Every reporter is called as ``render(findings, sources, colour=False, files=0, checked=())``:
``files`` is how many files were checked and ``checked`` their names. :func:`reporter`
imports a reporter's module when it is first asked for, so a check that prints text does
not import the XML and SARIF machinery.
"""

from __future__ import annotations

from importlib import import_module
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from collections.abc import Callable

_REPORTERS = {
    "text": ("as_text", "render_text"),
    "json": ("as_json", "render_json"),
    "github": ("as_github", "render_github"),
    "sarif": ("as_sarif", "render_sarif"),
    "junit": ("as_junit", "render_junit"),
}

FORMATS = tuple(_REPORTERS)
"""The report formats, one per reporter."""


def reporter(name: str) -> Callable[..., str]:
    """The reporter of format ``name`` (one of :data:`FORMATS`)."""
    module, function = _REPORTERS[name]
    render: Callable[..., str] = getattr(import_module(f".{module}", __name__), function)
    return render


__all__ = ["FORMATS", "reporter"]
