"""Journeys: tiles that show one picture each, and icons that exist."""

from __future__ import annotations

import importlib.util
from collections.abc import Iterator
from functools import cache
from pathlib import Path

from ..findings import Finding, Level
from ..model import PolicySet
from .base import Rule

ICON_SET = "material/"


@cache
def _material_icons() -> frozenset[str] | None:
    """The names of Material for MkDocs' bundled ``material/`` icons, or None when it is not installed.

    The theme is found, not imported: ``check`` loads no site machinery.
    """
    spec = importlib.util.find_spec("material")
    if spec is None or not spec.submodule_search_locations:
        return None
    folder = Path(next(iter(spec.submodule_search_locations))) / "templates" / ".icons" / "material"
    try:
        return frozenset(entry.stem for entry in folder.iterdir() if entry.suffix == ".svg")
    except OSError:
        return None


class TileIconAndLogo(Rule):
    """A tile shows an icon or a logo, not both.

    A tile's ``icon`` (``material/calculator``) and its ``logo`` (an image in the site)
    both sit in front of its name; with both the page would have to drop one.
    """

    id = "journeys.tile-icon-and-logo"
    summary = "a tile shows an icon or a logo, not both"

    def check(self, policy: PolicySet) -> Iterator[Finding]:
        for journey in policy.journeys:
            for tile in journey.tiles:
                if tile.icon and tile.logo:
                    yield self.report(
                        tile.origin,
                        f"the tile '{tile.name}' of '{journey.title}' has both an icon and a logo",
                        "Keep one: icon: for a Material icon, or logo: for an image in the site.",
                        "logo",
                        key=True,
                    )


class UnknownIcon(Rule):
    """A tile's icon is one of Material for MkDocs' icons.

    Icons decorate, so a tile whose icon does not exist still shows its name; but the
    writer meant a picture that no reader will see. Checked when Material for MkDocs is
    installed (its icon set is what the site draws from).
    """

    id = "journeys.unknown-icon"
    level = Level.WARNING
    summary = "tile icons exist in Material for MkDocs' icon set"

    def check(self, policy: PolicySet) -> Iterator[Finding]:
        known = None
        for journey in policy.journeys:
            for tile in journey.tiles:
                if not tile.icon:
                    continue
                known = known if known is not None else _material_icons()
                if known is None:
                    return
                if tile.icon.removeprefix(ICON_SET) not in known:
                    yield self.report(
                        tile.origin,
                        f"the icon '{tile.icon}' of the tile '{tile.name}' is not one of Material for MkDocs' icons",
                        "Pick a name from https://pictogrammers.com/library/mdi/ and write it as material/NAME.",
                        "icon",
                    )
