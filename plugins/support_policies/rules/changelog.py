"""The change log says something ``support-policies diff`` and the Policy changes page can use."""

from __future__ import annotations

import difflib
from collections.abc import Iterator
from datetime import date

from ..changes.kinds import CHANGE_IDS, FAMILIES, PATH_ROOTS
from ..findings import Finding
from ..model import PolicySet
from .base import Rule


def _day(text: str) -> date | None:
    try:
        return date.fromisoformat(text)
    except ValueError:
        return None


class ChangelogValid(Rule):
    """Change-log entries have unique ids, real dates, take effect no earlier than they are
    announced, and cover something.

    The Policy changes page anchors each entry by its id, and ``support-policies diff``
    approves the weakenings an entry's ``covers`` names. An item of ``covers`` is a change
    id (``promise.slower``; ``support-policies diff`` prints the id of every change) or a
    dotted path that starts with a section (``tiers.premium.high``, ``channels.support``).
    A misspelled id would cover nothing while the writer believes the change announced, so
    it is refused.
    """

    id = "changelog.invalid"
    summary = "change-log entries have unique ids and real dates, and cover known changes"

    def check(self, policy: PolicySet) -> Iterator[Finding]:
        seen: set[str] = set()
        for entry in policy.changelog:
            if entry.id in seen:
                yield self.report(
                    entry.origin, f"the change-log id '{entry.id}' is used twice", "Give each entry its own id.", "id"
                )
            seen.add(entry.id)
            announced = _day(entry.date)
            for key in ("date", "effective"):
                value = getattr(entry, key)
                if value and _day(value) is None:
                    yield self.report(
                        entry.origin, f"'{value}' is not a date of the calendar", "Write a real day, YYYY-MM-DD.", key
                    )
            effective = _day(entry.effective) if entry.effective else None
            if announced is not None and effective is not None and effective < announced:
                yield self.report(
                    entry.origin,
                    f"the change takes effect on {entry.effective}, before it is announced on {entry.date}",
                    "A change cannot take effect before customers are told: move effective to the day "
                    "it is announced or later.",
                    "effective",
                )
            for position, item in enumerate(entry.covers):
                head = item.split(".", 1)[0]
                if item in CHANGE_IDS or (head in PATH_ROOTS and head not in FAMILIES):
                    continue
                close = difflib.get_close_matches(item, [*CHANGE_IDS, *PATH_ROOTS], n=1)
                hint = f"Did you mean '{close[0]}'? " if close else ""
                yield self.report(
                    entry.origin,
                    f"'{item}' is neither a change id nor a path of the policies, so it covers nothing",
                    hint + "A change id looks like promise.slower (support-policies diff prints them); "
                    "a path starts with a section: " + ", ".join(PATH_ROOTS) + ".",
                    "covers",
                    position,
                )
