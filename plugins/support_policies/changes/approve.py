"""Which changes the change log approves, and does this diff fail?

A change is *covered* by a change-log entry whose ``covers`` names it: by its change id, by
its path or a path above it (``tiers.premium`` covers ``tiers.premium.high.acknowledge``),
or, when the entry names both ids and paths, by one of each. A covering entry *approves*
the change when it takes effect at least the notice period (``notice_period`` in
``support-policies.yaml``) after it is announced.

Only an entry that is new in this diff, or changed (what it covers, when it takes effect),
approves anything: one the old policies already had announced an earlier change, and a broad
``covers`` such as ``tiers.premium`` must not approve every later weakening of the plan. An
entry is announced when it is published, which is no earlier than today
(``SOURCE_DATE_EPOCH`` when set): a writer cannot give customers notice in the past by
back-dating ``date``. To change a promise on a later day, merge the change with its
announcement, the promise's ``becomes: {effective: …}`` saying when it applies.

The level of a change is the one ``support-policies.yaml`` sets for its id (``changes:``),
else its kind's default; ``off`` leaves it out. A run fails on an unapproved change at level
``error`` (and, with ``--strict``, at level ``warning``).
"""

from __future__ import annotations

import calendar as months
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import date, timedelta

from ..findings import Level
from ..gate import ChangeSettings
from ..model import ChangelogEntry, Period, PolicySet
from .compare import Change
from .kinds import BY_ID

LEVELS = {"error": Level.ERROR, "warning": Level.WARNING, "info": Level.INFO}


@dataclass(frozen=True)
class Verdict:
    """A change with its level and what the change log says about it."""

    change: Change
    level: Level
    entry: ChangelogEntry | None = None
    """The entry that approves it."""
    problem: str = ""
    """Why the entries covering it do not approve it ("" when none covers it, or one approves it)."""
    needed: str = ""
    """The first day an entry announced today could take effect (YYYY-MM-DD)."""

    @property
    def approved(self) -> bool:
        return self.entry is not None

    def fails(self, strict: bool = False) -> bool:
        worst = Level.WARNING if strict else Level.ERROR
        return not self.approved and self.level >= worst


def covers(entry: ChangelogEntry, change: Change) -> bool:
    """Whether ``entry`` names ``change`` (see the module's documentation)."""
    ids = [item for item in entry.covers if item in BY_ID]
    paths = [item for item in entry.covers if item not in BY_ID]
    if not ids and not paths:
        return False
    by_id = not ids or change.id in ids
    by_path = not paths or any(change.path == p or change.path.startswith(p + ".") for p in paths)
    return by_id and by_path


def add_period(day: date, period: Period) -> date:
    """``day`` plus ``period``: days and weeks exactly, months and years on the calendar (31 Jan + 1mo = 28/29 Feb)."""
    if period.unit in ("d", "w"):
        return day + timedelta(days=period.amount * (7 if period.unit == "w" else 1))
    total = day.month - 1 + period.amount * (12 if period.unit == "y" else 1)
    year, month = day.year + total // 12, total % 12 + 1
    if year > 9999:
        return date.max
    return date(year, month, min(day.day, months.monthrange(year, month)[1]))


def _day(text: str) -> date | None:
    try:
        return date.fromisoformat(text)
    except ValueError:
        return None


def announced(entry: ChangelogEntry, today: date) -> date:
    """When ``entry``, new or changed in this diff, is announced to customers: when it is published."""
    return max(_day(entry.date) or today, today)


def judge(
    changes: Sequence[Change], old: PolicySet, new: PolicySet, settings: ChangeSettings, today: date
) -> list[Verdict]:
    """Every change at its level (``off`` ones left out), with the entry approving it or why none does."""
    verdicts: list[Verdict] = []
    notice = settings.notice_period
    needed = add_period(today, notice) if notice else today
    for change in changes:
        setting = settings.levels.get(change.id)
        if setting == "off":
            continue
        level = LEVELS[setting] if setting else BY_ID[change.id].level
        entry, problems = _approval(change, new.changelog, old, notice, today)
        verdicts.append(Verdict(change, level, entry, "; ".join(problems) if entry is None else "", needed.isoformat()))
    return verdicts


def _approval(
    change: Change, entries: Iterable[ChangelogEntry], old: PolicySet, notice: Period | None, today: date
) -> tuple[ChangelogEntry | None, list[str]]:
    problems: list[str] = []
    for entry in entries:
        if not covers(entry, change):
            continue
        effective = _day(entry.takes_effect)
        if effective is not None and change.effective:  # the promise's own date says when it really changes
            effective = min(effective, _day(change.effective) or effective)
        if effective is None:
            problems.append(f"the change log entry '{entry.id}' has no valid date")
            continue
        if entry in old.changelog:
            continue  # published before, unchanged: it announced an earlier change, and approves no new one
        start = announced(entry, today)
        if notice is None:
            if effective >= start or change.effect.value != "weakening":
                return entry, []
            problems.append(
                f"the change log entry '{entry.id}' takes effect on {effective}, before it is announced ({start})"
            )
            continue
        earliest = add_period(start, notice)
        if effective >= earliest or change.effect.value != "weakening":
            return entry, []
        given = (effective - start).days
        problems.append(
            f"the change log entry '{entry.id}' gives {max(given, 0)} days of notice (announced {start}, "
            f"takes effect {effective}); the notice period is {notice}, "
            f"so it may take effect on {earliest} at the earliest"
        )
    return None, problems


def failed(verdicts: Iterable[Verdict], strict: bool = False) -> bool:
    """Whether a diff with ``verdicts`` fails."""
    return any(v.fails(strict) for v in verdicts)
