"""Source lines for code frames, read once per file."""

from __future__ import annotations

from pathlib import Path


class Sources:
    """Lines of policy files, from loaded documents or read again from disk."""

    def __init__(self, texts: dict[str, str] | None = None):
        self._lines = {name: text.splitlines() for name, text in (texts or {}).items()}

    def line(self, file: str, number: int) -> str | None:
        if file not in self._lines:
            try:
                raw = Path(file).read_bytes()
            except OSError:
                raw = b""
            self._lines[file] = raw.decode("utf-8", "replace").lstrip("\ufeff").splitlines()
        lines = self._lines[file]
        return lines[number - 1] if 0 < number <= len(lines) else None
