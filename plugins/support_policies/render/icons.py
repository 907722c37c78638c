"""Inline SVG icons from Material for MkDocs' bundled icon set, when it is installed.

Icons decorate; they never carry meaning, so a site without the Material theme simply
renders none.
"""

from __future__ import annotations

import re
from functools import cache
from importlib import resources

from markupsafe import Markup

CHANNEL_ICONS = {
    "email": "email-outline",
    "web-form": "form-select",
    "phone": "phone",
    "chat": "chat-outline",
    "status-page": "list-status",
    "person": "account-tie",
    "portal": "monitor-dashboard",
    "account-manager": "account-star",
}


ICON_SET = "material/"
"""The prefix of the icon names writers give (``material/calculator``), as Material for MkDocs writes them."""
_ICON_NAME = re.compile(r"material/[a-z0-9]+(-[a-z0-9]+)*")
"""The names the policy schema allows: nothing that could leave the icon folder."""


@cache
def icon(name: str) -> Markup:
    """``<span class="twemoji">`` wrapping Material's ``name`` icon, or nothing."""
    try:
        svg = (resources.files("material") / "templates" / ".icons" / "material" / f"{name}.svg").read_text("utf-8")
    except (ModuleNotFoundError, FileNotFoundError, OSError):
        return Markup("")
    svg = svg.replace("<svg ", '<svg aria-hidden="true" focusable="false" ', 1)
    return Markup(f'<span class="twemoji sp-icon">{svg}</span>')


def channel_icon(kind: str) -> Markup:
    return icon(CHANNEL_ICONS.get(kind, "help-circle-outline"))


def named_icon(name: str) -> Markup:
    """A writer's icon, ``material/calculator``, or nothing (unknown, or not a Material icon)."""
    if not _ICON_NAME.fullmatch(name):
        return Markup("")
    return icon(name.removeprefix(ICON_SET))
