"""Reporters turn findings into text for people and machines."""

from __future__ import annotations

from .as_json import render_json
from .as_text import render_text

REPORTERS = {"text": render_text, "json": render_json}
