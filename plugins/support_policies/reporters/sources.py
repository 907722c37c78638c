"""Source lines for code frames: :class:`support_policies.loader.Sources`, under its old name."""

from __future__ import annotations

from ..loader import Sources

__all__ = ["Sources"]
