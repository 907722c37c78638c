"""Source lines for code frames: only of files that were read as policies."""

from __future__ import annotations

from ..loader import lines


class Sources:
    """Lines of the policy files a run read, by the name findings use.

    A frame never reads a file again: a finding about any other file (a settings file
    that was not read, a link that was refused) simply has no frame, so a report can
    only quote what was read as policy.
    """

    def __init__(self, texts: dict[str, str] | None = None):
        self._lines = {name: lines(text) for name, text in (texts or {}).items()}

    def line(self, file: str, number: int) -> str | None:
        found = self._lines.get(file, ())
        return found[number - 1] if 0 < number <= len(found) else None
