"""Inline SVG icons from Material for MkDocs' bundled icon set, when it is installed.

Icons decorate; they never carry meaning, so a site without the Material theme simply
renders none.
"""

from __future__ import annotations

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
}


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
