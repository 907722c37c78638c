"""The one gate every front door shares: which settings apply, and does this run fail?

The CLI, the MkDocs plugin, the Markdown extension and the pytest plugin each call
:func:`check` and :func:`fails`; none of them decides on its own, so a policy set that
passes ``support-policies check`` builds, and one that fails it fails every door with the
same findings.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path

from .findings import Finding, Level
from .model import Period
from .policyset import Result, load_policies, read_settings

SETTINGS_FILE = "support-policies.yaml"
"""The settings file used when it exists next to the project (mkdocs.yml, pytest's rootdir, …)."""


class SettingsError(Exception):
    """A settings file that was named does not exist; the message says which."""


def settings_file(named: str | Path | None, root: Path) -> Path | None:
    """The settings file to use: ``named`` (relative to ``root``), which must exist, or else
    ``root/support-policies.yaml`` when it exists, or none."""
    if named:
        path = root / named
        if not path.is_file():
            raise SettingsError(f"no such file: {named}")
        return path
    default = root / SETTINGS_FILE
    return default if default.is_file() else None


def check(
    paths: Iterable[str | Path],
    named_settings: str | Path | None = None,
    root: Path | None = None,
    language: str | None = None,
) -> Result:
    """Load and check ``paths`` with the settings that apply (SettingsError when a named one is
    missing), the policy text read in ``language`` (default: the policies' first)."""
    return load_policies(list(paths), settings_file(named_settings, root or Path.cwd()), language)


def fails(findings: Iterable[Finding], strict: bool = False) -> bool:
    """Whether a run with ``findings`` fails: on any error, and on any warning when ``strict``."""
    worst = Level.WARNING if strict else Level.ERROR
    return any(f.level >= worst for f in findings)


@dataclass(frozen=True)
class ChangeSettings:
    """What ``support-policies diff`` reads from the settings file: the notice period and change levels."""

    notice_period: Period | None = None
    """How long before a weakening takes effect customers must be told (None: no minimum)."""
    levels: dict[str, str] = field(default_factory=dict)
    """A level (error, warning, info or off) per change id."""


def change_settings(path: Path | None) -> ChangeSettings:
    """The diff settings of the settings file at ``path`` (the defaults when it is absent or invalid:
    ``load_policies`` reports an invalid one)."""
    settings, _ = read_settings(path)
    notice = settings.get("notice_period")
    return ChangeSettings(Period.parse(notice) if notice else None, dict(settings.get("changes", {})))
