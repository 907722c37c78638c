"""Two policy sets → the changes between them, each classified and worded for a customer.

Things are matched by id. Something that disappeared under one id and appeared under
another with the same content (after the ids it refers to are translated the same way)
is a rename, reported as neutral, never as a removal plus an addition. Matched things are
compared field by field, in what they mean to a customer:

* promises as worst-case wall-clock waits over the calendars, over the fixed comparison
  window the rules use (:func:`..rules.base.comparison_window`), each computed once per
  clock and duration (:class:`..rules.ordering.WorstCase`);
* hours as open time: the old calendar is open at an instant the new one is not (fewer
  hours), or the other way round (more hours); a schedule's own change is reported on the
  schedule, and on every promise whose worst case it moves;
* periods as their average length in days, uptime as a percentage, ticket fields as
  required, required in some cases, or optional.

Every change carries a dotted ``path`` (``tiers.premium.high.acknowledge``) that change-log
entries name in ``covers``, and where it is in the new files (or, for what is gone, the
nearest thing that is still there) and in the old ones.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, replace
from datetime import date, timedelta
from typing import TypeVar

from .. import calendar, wording
from ..model import (
    ALWAYS,
    PROMISE_KINDS,
    Channel,
    Holidays,
    Log,
    MaintenanceWindow,
    Origin,
    Period,
    PolicySet,
    Promise,
    Schedule,
    ScopeItem,
    Severity,
    Target,
    TicketTemplate,
    Tier,
    minutes_of_day,
)
from ..rules.base import comparison_window
from ..rules.ordering import BEYOND_HORIZON, WorstCase
from .kinds import BY_ID, ChangeKind, Effect

KIND_WORDS = {
    "acknowledge": "first response",
    "update": "updates",
    "restore": "workaround",
    "resolve": "resolution",
}
"""A promise kind as a customer names it, in a subject: "Premium, High, first response"."""

_OBTAINED = {"included": 0, "paid": 1, "contract": 2}
"""How hard a plan is to get: coming with the product, bought, or a separate agreement."""

_PERIOD_DAYS = {"d": 1.0, "w": 7.0, "mo": 30.436875, "y": 365.2425}


@dataclass(frozen=True)
class Location:
    """A place in a policy file (``line`` 0: the whole file)."""

    file: str
    line: int = 0
    column: int = 0

    def __str__(self) -> str:
        return f"{self.file}:{self.line}:{self.column}" if self.line else self.file


@dataclass(frozen=True)
class Change:
    """One difference between the old and the new policies."""

    id: str
    message: str
    """A sentence a customer understands: "Premium, High, first response: at most 4 hours → at most 66 hours"."""
    path: str
    """What changed, dotted: ``tiers.premium.high.acknowledge``, ``channels.technical-support``."""
    group: str = ""
    """The heading a report groups it under: the plan's name, or the section's."""
    subgroup: str = ""
    """Within a plan, the severity's name."""
    before: str = ""
    after: str = ""
    where: Location | None = None
    """In the new files: the changed value, or the nearest thing that is still there."""
    was: Location | None = None
    """In the old files."""
    effective: str = ""
    """The day the change takes effect, when the policies announce it (``becomes``); "" = when published."""

    @property
    def kind(self) -> ChangeKind:
        return BY_ID[self.id]

    @property
    def effect(self) -> Effect:
        return BY_ID[self.id].effect


def _at(origin: Origin | None, *parts: str | int) -> Location | None:
    if origin is None or not origin.file:
        return None
    line, column = origin.position(*parts)
    return Location(origin.file, line, column)


def hours(delta: timedelta) -> str:
    """A worst-case wait in words: "4 hours", "66 hours", "1 hour 30 minutes"."""
    return "more than five years" if delta == BEYOND_HORIZON else wording.wait(delta)


def _period_days(value: Period) -> float:
    return value.amount * _PERIOD_DAYS[value.unit]


_T = TypeVar("_T")


def _match(
    old: Sequence[_T], new: Sequence[_T], key: Callable[[_T], str], same: Callable[[_T, _T], bool]
) -> tuple[list[tuple[_T, _T]], list[tuple[_T, _T]], list[_T], list[_T]]:
    """(pairs with the same key or, failing that, the same name; pairs with the same content under
    another key (renames); removed; added)."""
    new_keys = {key(item): item for item in new}
    old_keys = {key(item) for item in old}
    kept = [(item, new_keys[key(item)]) for item in old if key(item) in new_keys]
    gone = [item for item in old if key(item) not in new_keys]
    fresh = [item for item in new if key(item) not in old_keys]
    renamed: list[tuple[_T, _T]] = []
    for item in list(gone):
        twin = next((candidate for candidate in fresh if same(item, candidate)), None)
        if twin is not None:
            renamed.append((item, twin))
            gone.remove(item)
            fresh.remove(twin)
    for item in list(gone):  # a new id under the same name, with other changes too: the same thing, moved
        name = getattr(item, "name", "")
        twin = next((candidate for candidate in fresh if name and getattr(candidate, "name", "") == name), None)
        if twin is not None:
            kept.append((item, twin))
            gone.remove(item)
            fresh.remove(twin)
    return kept, renamed, gone, fresh


class _Side:
    """One policy set, with its worst cases and calendars computed once."""

    def __init__(self, policy: PolicySet):
        self.policy = policy
        self.worst = WorstCase(policy)
        self._calendars: dict[str, dict[str | None, calendar.Calendar] | None] = {}

    def calendars(self, clock: str) -> dict[str | None, calendar.Calendar] | None:
        if clock not in self._calendars:
            try:
                self._calendars[clock] = calendar.calendars(self.policy, clock)
            except calendar.CalendarError:
                self._calendars[clock] = None
        return self._calendars[clock]

    def clock_words(self, clock: str) -> str:
        if clock == ALWAYS or wording.is_round_the_clock(self.policy, clock):
            return "around the clock"
        schedule = self.policy.schedule(clock)
        return schedule.name if schedule else clock


class _Comparison:
    """The state of one comparison: both sides, the renames found so far, and the changes."""

    def __init__(self, old: PolicySet, new: PolicySet):
        self.old, self.new = _Side(old), _Side(new)
        self.changes: list[Change] = []
        self.severities: dict[str, str] = {}
        self.schedules: dict[str, str] = {}
        self.templates: dict[str, str] = {}
        self.tiers: dict[str, str] = {}
        self.channels: dict[str, str] = {}
        self._open_less: dict[tuple[str, str, bool], bool] = {}

    def add(self, id_: str, message: str, path: str, **fields: object) -> None:
        self.changes.append(Change(id_, message, path, **fields))  # type: ignore[arg-type]

    def moved(self, id_: str, a: object, b: object, group: str, path: str) -> None:
        """A thing matched by name whose id changed (along with other changes, reported on their own)."""
        old_id, new_id, name = getattr(a, "id", ""), getattr(b, "id", ""), getattr(b, "name", "")
        if old_id != new_id:
            where = _at(getattr(b, "origin", None), "id")
            self.add(id_, f"{name}: the id changed from {old_id} to {new_id}", path, group=group, where=where)

    # --- clocks ----------------------------------------------------------------------------

    def clock(self, old_clock: str) -> str:
        return self.schedules.get(old_clock, old_clock)

    def open_less(self, old_clock: str, new_clock: str, reverse: bool = False) -> bool:
        """Whether the old clock is open at some instant the new one is not (``reverse``: the other way)."""
        key = (old_clock, new_clock, reverse)
        if key not in self._open_less:
            old, new = self.old.calendars(old_clock), self.new.calendars(new_clock)
            less = False
            if old is not None and new is not None:
                for region in set(old) & set(new) or ({None} if len(old) == len(new) == 1 else set()):
                    a = old[region] if region in old else next(iter(old.values()))
                    b = new[region] if region in new else next(iter(new.values()))
                    first, second = (a, b) if reverse else (b, a)  # first.uncovered(second): second open, first not
                    try:
                        if first.uncovered(second, *comparison_window()) is not None:
                            less = True
                            break
                    except calendar.CalendarError:
                        continue
            self._open_less[key] = less
        return self._open_less[key]

    # --- promises --------------------------------------------------------------------------

    def promise(
        self,
        old: Promise,
        new: Promise,
        kind: str,
        subject: str,
        path: str,
        group: str,
        subgroup: str,
        otherwise: bool = False,
    ) -> None:
        where, was = _at(new.origin), _at(old.origin)
        before, after = wording.promise(self.old.policy, old, kind), wording.promise(self.new.policy, new, kind)
        common = {"group": group, "subgroup": subgroup, "before": before, "after": after, "where": where, "was": was}
        old_wait, new_wait = self.old.worst(old), self.new.worst(new)
        if old_wait is not None and new_wait is not None and old_wait != new_wait:
            slower = new_wait > old_wait
            if otherwise:
                id_ = "promise.otherwise-slower" if slower else "promise.otherwise-faster"
                lead = f"{subject}, when the condition is not met"
            else:
                id_ = "promise.slower" if slower else "promise.faster"
                lead = subject
            common["where"] = _at(new.origin, "within")
            self.add(
                id_,
                f"{lead}: at most {hours(old_wait)} → at most {hours(new_wait)} ({before} → {after})",
                path,
                **common,
            )
        elif old_wait == new_wait and self.clock(old.clock) != new.clock and not otherwise:
            common["where"] = _at(new.origin, "clock")
            if self.open_less(old.clock, new.clock):
                self.add(
                    "promise.clock-changed",
                    f"{subject}: the clock now runs only in {self.new.clock_words(new.clock)}, "
                    f"not in all of {self.old.clock_words(old.clock)} ({before} → {after})",
                    path,
                    **common,
                )
            elif self.open_less(old.clock, new.clock, reverse=True):
                self.add(
                    "promise.clock-widened",
                    f"{subject}: the clock now runs in {self.new.clock_words(new.clock)} "
                    f"instead of {self.old.clock_words(old.clock)} ({before} → {after})",
                    path,
                    **common,
                )
        if otherwise:
            return
        if old.within.min is not None and new.within.min is not None and old.within.min != new.within.min:
            slower = new.within.min.minutes > old.within.min.minutes
            common["where"] = _at(new.origin, "within", "min")
            self.add(
                "promise.typical-slower" if slower else "promise.typical-faster",
                f"{subject}: typically {wording.duration(old.within.min)} → "
                f"typically {wording.duration(new.within.min)}",
                path,
                **common,
            )
        if old.best_effort != new.best_effort:
            common["where"] = _at(new.origin, "best_effort") if new.best_effort else where
            if new.best_effort:
                self.add(
                    "promise.best-effort",
                    f"{subject}: a guarantee became best effort, an aim ({after})",
                    path,
                    **common,
                )
            else:
                self.add(
                    "promise.guaranteed", f"{subject}: now a guarantee, no longer only an aim ({after})", path, **common
                )
        self.condition(old, new, kind, subject, path, group, subgroup)

    def condition(
        self, old: Promise, new: Promise, kind: str, subject: str, path: str, group: str, subgroup: str
    ) -> None:
        a, b = old.condition, new.condition
        common = {"group": group, "subgroup": subgroup, "where": _at(new.origin, "condition"), "was": _at(old.origin)}
        if a is None and b is None:
            return
        if a is None and b is not None:
            self.add(
                "promise.condition-added",
                f"{subject}: now only if {b.requires.strip()}",
                path,
                after=b.requires,
                **common,
            )
            return
        if b is None and a is not None:
            self.add(
                "promise.condition-removed",
                f"{subject}: no longer depends on a condition (was: only if {a.requires.strip()})",
                path,
                before=a.requires,
                **common,
            )
            return
        assert a is not None and b is not None
        if " ".join(a.requires.split()) != " ".join(b.requires.split()) or a.handled_as != b.handled_as:
            self.add(
                "promise.condition-changed",
                f"{subject}: the condition changed: only if {a.requires.strip()} → only if {b.requires.strip()}",
                path,
                before=a.requires,
                after=b.requires,
                **common,
            )
        if a.otherwise is not None and b.otherwise is not None:
            self.promise(a.otherwise, b.otherwise, kind, subject, path, group, subgroup, otherwise=True)

    # --- the sections ----------------------------------------------------------------------

    def run(self) -> list[Change]:
        self.compare_severities()
        self.compare_schedules()
        self.compare_templates()
        self.compare_tiers()
        self.compare_channels()
        self.compare_scope()
        self.compare_retention()
        self.compare_status()
        return self.changes

    def compare_severities(self) -> None:
        old, new = self.old.policy.severities, self.new.policy.severities

        def same(a: Severity, b: Severity) -> bool:
            return replace(a, id=b.id, name=b.name) == b

        kept, renamed, gone, fresh = _match(old, new, lambda s: s.id, same)
        group = "Severity levels"
        for a, b in kept + renamed:
            self.severities[a.id] = b.id
        for a, b in renamed:
            self.add(
                "severity.renamed",
                f"Severity {a.name} ({a.id}) is now {b.name} ({b.id}), with the same definition",
                f"severities.{b.id}",
                group=group,
                where=_at(b.origin, "id"),
                was=_at(a.origin),
            )
        for a, b in kept:
            self.moved("severity.renamed", a, b, group, f"severities.{b.id}")
            if a.name != b.name and " ".join(a.definition.split()) == " ".join(b.definition.split()):
                self.add(
                    "severity.renamed",
                    f"Severity {a.name} is now called {b.name}",
                    f"severities.{b.id}",
                    group=group,
                    where=_at(b.origin, "name"),
                    was=_at(a.origin),
                )
            if " ".join(a.definition.split()) != " ".join(b.definition.split()):
                self.add(
                    "severity.redefined",
                    f"Severity {b.name}: the definition changed; check that the same incidents still qualify",
                    f"severities.{b.id}",
                    group=group,
                    before=a.definition,
                    after=b.definition,
                    where=_at(b.origin, "definition"),
                    was=_at(a.origin, "definition"),
                )
        for a in gone:
            self.add(
                "severity.removed",
                f"Severity {a.name} no longer exists: no plan answers {a.name} incidents as such",
                f"severities.{a.id}",
                group=group,
                was=_at(a.origin),
                where=_nearest(self.new.policy.severities),
            )
        for b in fresh:
            self.add(
                "severity.added",
                f"New severity level: {b.name}",
                f"severities.{b.id}",
                group=group,
                where=_at(b.origin),
            )
        old_order = [self.severities[s.id] for s in sorted(old, key=lambda s: s.rank) if s.id in self.severities]
        new_order = [s.id for s in sorted(new, key=lambda s: s.rank) if s.id in set(self.severities.values())]
        if old_order != new_order:
            names = {s.id: s.name for s in new}
            self.add(
                "severity.reordered",
                "Severities are ranked in another order: "
                f"{', '.join(names.get(i, i) for i in old_order)} → {', '.join(names.get(i, i) for i in new_order)}",
                "severities",
                group=group,
                where=_nearest(new),
            )

    def compare_schedules(self) -> None:
        old, new = self.old.policy.schedules, self.new.policy.schedules

        def same(a: Schedule, b: Schedule) -> bool:
            return replace(a, id=b.id, name=b.name) == b

        kept, renamed, gone, fresh = _match(old, new, lambda s: s.id, same)
        group = "Hours and holidays"
        for a, b in kept + renamed:
            self.schedules[a.id] = b.id
        for a, b in renamed:
            self.add(
                "schedule.renamed",
                f"Schedule {a.name} ({a.id}) is now {b.name} ({b.id}), with the same hours",
                f"schedules.{b.id}",
                group=group,
                where=_at(b.origin, "id"),
                was=_at(a.origin),
            )
        for a, b in kept:
            self.moved("schedule.renamed", a, b, group, f"schedules.{b.id}")
            if a.name != b.name and replace(a, name=b.name) == b:
                self.add(
                    "schedule.renamed",
                    f"Schedule {a.name} is now called {b.name}",
                    f"schedules.{b.id}",
                    group=group,
                    where=_at(b.origin, "name"),
                    was=_at(a.origin),
                )
            self.schedule(a, b, group)
        for a in gone:
            self.add(
                "schedule.removed",
                f"Schedule {a.name} no longer exists",
                f"schedules.{a.id}",
                group=group,
                was=_at(a.origin),
                where=_nearest(new),
            )
        for b in fresh:  # a new schedule's windows are new with it: no promise had them before
            self.add("schedule.added", f"New schedule: {b.name}", f"schedules.{b.id}", group=group, where=_at(b.origin))

    def schedule(self, a: Schedule, b: Schedule, group: str) -> None:
        path = f"schedules.{b.id}"
        if a.timezone != b.timezone:
            self.add(
                "schedule.zone-changed",
                f"{b.name}: the hours are now kept in {b.timezone} time instead of {a.timezone}",
                path,
                group=group,
                before=a.timezone,
                after=b.timezone,
                where=_at(b.origin, "timezone"),
                was=_at(a.origin, "timezone"),
            )
        else:
            self.holidays(a, b, group)
            self.weekly(a, b, group)
        old_windows = {w.id: w for w in a.maintenance}
        new_windows = {w.id: w for w in b.maintenance}
        for id_, window in new_windows.items():
            self.window(old_windows.get(id_), window, a, b)
        for id_, window in old_windows.items():
            if id_ not in new_windows:
                self.window(window, None, a, b)

    def holidays(self, a: Schedule, b: Schedule, group: str) -> None:
        path, old, new = f"schedules.{b.id}.holidays", a.holidays, b.holidays
        where = _at(b.origin, "holidays")
        common = {"group": group, "where": where, "was": _at(a.origin, "holidays")}
        old_dates = {h.date: h for h in old.dates}
        new_dates = {h.date: h for h in new.dates}
        for day, holiday in new_dates.items():
            if day not in old_dates:
                common["where"] = _at(holiday.origin) or where
                self.add("holiday.added", f"{b.name}: closed on {day} ({holiday.name.strip()})", path, **common)
        for day, holiday in old_dates.items():
            if day not in new_dates:
                common["where"] = where
                self.add("holiday.removed", f"{b.name}: open again on {day} ({holiday.name.strip()})", path, **common)
        common["where"] = _at(b.origin, "holidays", "country")
        region = {(old.country, old.subdivision), (new.country, new.subdivision)}
        if len(region) == 2:
            if new.country:
                words = f"{new.country}{'-' + new.subdivision if new.subdivision else ''}"
                was = f"{old.country}{'-' + old.subdivision if old.subdivision else ''}" if old.country else ""
                tail = f" instead of {was} public holidays" if was else ""
                self.add("holiday.added", f"{b.name}: closed on {words} public holidays{tail}", path, **common)
            else:
                self.add("holiday.removed", f"{b.name}: open again on {old.country} public holidays", path, **common)
        elif new.country:
            common["where"] = _at(b.origin, "holidays", "except")
            for name in sorted(set(old.except_) - set(new.except_)):
                self.add("holiday.added", f"{b.name}: closed on {name} again (no longer worked)", path, **common)
            for name in sorted(set(new.except_) - set(old.except_)):
                self.add("holiday.removed", f"{b.name}: open on {name} (now a worked holiday)", path, **common)

    def weekly(self, a: Schedule, b: Schedule, group: str) -> None:
        """Open time other than holidays: weekly hours, spans, special hours, unions, regions."""
        path = f"schedules.{b.id}"
        common = {"group": group, "where": _at(b.origin), "was": _at(a.origin)}
        if a.combines or b.combines or a.by_region or b.by_region:
            old_members = {self.clock(m) for m in a.combines} | {
                f"{r.region}:{self.clock(r.schedule)}" for r in a.by_region
            }
            new_members = set(b.combines) | {f"{r.region}:{r.schedule}" for r in b.by_region}
            if old_members - new_members:
                self.add(
                    "hours.reduced",
                    f"{b.name}: no longer open when {', '.join(sorted(old_members - new_members))} is",
                    path,
                    **common,
                )
            if new_members - old_members:
                self.add(
                    "hours.extended",
                    f"{b.name}: now also open when {', '.join(sorted(new_members - old_members))} is",
                    path,
                    **common,
                )
            return
        bare_a = replace(a, id=b.id, name=b.name, holidays=Holidays(), maintenance=())
        bare_b = replace(b, holidays=Holidays(), maintenance=())
        if bare_a == bare_b:
            return
        try:
            old_cal, new_cal = calendar.Calendar.for_schedule(bare_a), calendar.Calendar.for_schedule(bare_b)
            window = comparison_window()
            reduced = new_cal.uncovered(old_cal, *window) is not None  # open before, closed now
            extended = old_cal.uncovered(new_cal, *window) is not None
        except calendar.CalendarError:
            return
        before = "; ".join(wording.opening_hours(a, self.old.policy))
        after = "; ".join(wording.opening_hours(b, self.new.policy))
        common.update(before=before, after=after)
        for key in ("hours", "spans", "special_hours", "always_open"):
            if getattr(a, key) != getattr(b, key):
                common["where"] = _at(b.origin, key)
                break
        if reduced:
            self.add("hours.reduced", f"{b.name}: open for fewer hours: {before} → {after}", path, **common)
        if extended:
            self.add("hours.extended", f"{b.name}: open for more hours: {before} → {after}", path, **common)

    def window(
        self, a: MaintenanceWindow | None, b: MaintenanceWindow | None, sa: Schedule | None, sb: Schedule | None
    ) -> None:
        old_down = _downtime(a)
        new_down = _downtime(b)
        if old_down == new_down:
            return
        owner = sb or sa
        assert owner is not None
        window = b or a
        assert window is not None
        name = window.name or window.id
        path = f"schedules.{owner.id}.maintenance.{window.id}"
        where = _at(b.origin) if b is not None else _at(sb.origin, "maintenance") if sb is not None else None
        before = wording.window(sa, a) if a is not None and sa is not None else "none"
        after = wording.window(sb, b) if b is not None and sb is not None else "none"
        common = {"group": "Status and maintenance", "before": before, "after": after, "where": where}
        common["was"] = _at(a.origin) if a is not None else None
        if new_down > old_down:
            message = (
                f"New maintenance window with downtime, {name}: {after}"
                if old_down == 0
                else f"Maintenance window {name}: longer downtime, {before} → {after}"
            )
            self.add("maintenance.added", message, path, **common)
        else:
            message = (
                f"Maintenance window {name} no longer has downtime (was: {before})"
                if new_down == 0
                else f"Maintenance window {name}: shorter downtime, {before} → {after}"
            )
            self.add("maintenance.removed", message, path, **common)

    def compare_templates(self) -> None:
        old, new = self.old.policy.ticket_templates, self.new.policy.ticket_templates

        def same(a: TicketTemplate, b: TicketTemplate) -> bool:
            return replace(a, id=b.id, name=b.name) == b

        kept, renamed, _, _ = _match(old, new, lambda t: t.id, same)
        for a, b in kept + renamed:
            self.templates[a.id] = b.id
        group = "Filing a ticket"
        for a, b in renamed:
            self.add(
                "ticket.template-renamed",
                f"Ticket template {a.name} ({a.id}) is now {b.name} ({b.id}), with the same fields",
                f"ticket_templates.{b.id}",
                group=group,
                where=_at(b.origin, "id"),
                was=_at(a.origin),
            )
        for a, b in kept:
            self.moved("ticket.template-renamed", a, b, group, f"ticket_templates.{b.id}")
            old_fields = {f.id: f for f in a.fields}
            new_fields = {f.id: f for f in b.fields}
            for id_, field in new_fields.items():
                path = f"ticket_templates.{b.id}.{id_}"
                label = f"{b.name}, {field.label.strip()}"
                before_field = old_fields.get(id_)
                now = _required(field.required, field.required_when)
                was = _required(before_field.required, before_field.required_when) if before_field else "absent"
                common = {"group": group, "where": _at(field.origin, "required"), "before": was, "after": now}
                common["was"] = _at(before_field.origin) if before_field else None
                if before_field is None:
                    if now == "optional":
                        self.add("ticket.field-added", f"{label}: a new optional field", path, **common)
                    else:
                        self.add("ticket.field-required", f"{label}: a new field, {now}", path, **common)
                elif _strictness(was) < _strictness(now) or (was != now and _strictness(was) == _strictness(now) == 1):
                    self.add("ticket.field-required", f"{label}: {was} → {now}", path, **common)
                elif _strictness(was) > _strictness(now):
                    self.add("ticket.field-optional", f"{label}: {was} → {now}", path, **common)
            for id_, field in old_fields.items():
                if id_ not in new_fields:
                    self.add(
                        "ticket.field-removed",
                        f"{b.name}, {field.label.strip()}: no longer asked for",
                        f"ticket_templates.{b.id}.{id_}",
                        group=group,
                        where=_at(b.origin, "fields"),
                        was=_at(field.origin),
                    )

    def compare_tiers(self) -> None:
        old, new = self.old.policy.tiers, self.new.policy.tiers

        def same(a: Tier, b: Tier) -> bool:
            translated = self.translate_tier(a)
            return replace(translated, id=b.id, name=b.name, escalation=b.escalation) == b

        kept, renamed, gone, fresh = _match(old, new, lambda t: t.id, same)
        for a, b in kept + renamed:
            self.tiers[a.id] = b.id
        for a, b in renamed:
            self.add(
                "tier.renamed",
                f"Plan {a.name} ({a.id}) is now {b.name} ({b.id}), with the same promises",
                f"tiers.{b.id}",
                group=b.name,
                where=_at(b.origin, "id"),
                was=_at(a.origin),
            )
        for a in gone:
            self.add(
                "tier.removed",
                f"Plan {a.name} no longer exists",
                f"tiers.{a.id}",
                group=a.name,
                was=_at(a.origin),
                where=_nearest(new),
            )
        for b in fresh:
            self.add("tier.added", f"New plan: {b.name}", f"tiers.{b.id}", group=b.name, where=_at(b.origin))
        for a, b in kept:
            self.moved("tier.renamed", a, b, b.name, f"tiers.{b.id}")
            if a.name != b.name:
                self.add(
                    "tier.renamed",
                    f"Plan {a.name} is now called {b.name}",
                    f"tiers.{b.id}",
                    group=b.name,
                    where=_at(b.origin, "name"),
                    was=_at(a.origin, "name"),
                )
            self.tier(a, b)

    def translate_tier(self, tier: Tier) -> Tier:
        """An old tier written with the new ids of the severities and schedules it refers to."""

        def promise(value: Promise | None) -> Promise | None:
            if value is None:
                return None
            condition = value.condition
            if condition is not None:
                condition = replace(
                    condition,
                    otherwise=promise(condition.otherwise),
                    handled_as=self.severities.get(condition.handled_as, condition.handled_as),
                )
            return replace(value, clock=self.clock(value.clock), condition=condition)

        def target(value: Target) -> Target:
            severity = self.severities.get(value.severity, value.severity)
            return replace(
                value,
                severity=severity,
                hours=self.clock(value.hours) if value.hours else "",
                acknowledge=promise(value.acknowledge),
                update=promise(value.update),
                restore=promise(value.restore),
                resolve=promise(value.resolve),
            )

        targets = {self.severities.get(key, key): target(value) for key, value in tier.targets.items()}
        return replace(tier, hours=self.clock(tier.hours), targets=targets)

    def tier(self, a: Tier, b: Tier) -> None:
        group, base = b.name, f"tiers.{b.id}"
        if a.obtained != b.obtained:
            harder = _OBTAINED.get(b.obtained, 3) >= _OBTAINED.get(a.obtained, 3)
            self.add(
                "tier.obtained-changed" if harder else "tier.obtained-eased",
                f"{b.name}: obtained {_obtained(a.obtained)} → {_obtained(b.obtained)}",
                base,
                group=group,
                before=a.obtained,
                after=b.obtained,
                where=_at(b.origin, "obtained"),
                was=_at(a.origin, "obtained"),
            )
        old_contacts = [self.channels.get(c, c) for c in (a.escalation.contacts if a.escalation else ())]
        new_contacts = list(b.escalation.contacts if b.escalation else ())
        for contact in old_contacts:
            if contact not in new_contacts:
                channel = self.new.policy.channel(contact) or self.old.policy.channel(contact)
                name = channel.name if channel else contact
                self.add(
                    "escalation.contact-removed",
                    f"{b.name}: you can no longer escalate to {name}",
                    f"{base}.escalation",
                    group=group,
                    where=_at(b.origin, "escalation") or _at(b.origin),
                    was=_at(a.origin, "escalation"),
                )
        names = {s.id: s.name for s in self.new.policy.severities} | {
            self.severities.get(s.id, s.id): s.name for s in self.old.policy.severities if s.id not in self.severities
        }
        old_targets = {self.severities[k]: v for k, v in a.targets.items() if k in self.severities}
        for severity in dict.fromkeys([*old_targets, *b.targets]):
            old_target, new_target = old_targets.get(severity), b.targets.get(severity)
            self.target(a, b, severity, names.get(severity, severity), old_target, new_target)

    def target(self, a: Tier, b: Tier, severity: str, name: str, old: Target | None, new: Target | None) -> None:
        group, path = b.name, f"tiers.{b.id}.{severity}"
        old_covered = old is not None and old.covered
        new_covered = new is not None and new.covered
        where = _at(new.origin) if new is not None else _at(b.origin, "targets")
        was = _at(old.origin) if old is not None else None
        if old_covered and not new_covered:
            self.add(
                "severity.uncovered",
                f"{b.name} no longer covers {name} incidents",
                path,
                group=group,
                subgroup=name,
                where=_at(new.origin, "covered") if new is not None else where,
                was=was,
            )
            return
        if new_covered and not old_covered:
            self.add(
                "severity.covered",
                f"{b.name} now covers {name} incidents",
                path,
                group=group,
                subgroup=name,
                where=where,
                was=was,
            )
            return
        if old is None or new is None or not new_covered:
            return
        for kind in PROMISE_KINDS:
            before, after = getattr(old, kind), getattr(new, kind)
            subject = f"{b.name}, {name}, {KIND_WORDS[kind]}"
            kind_path = f"{path}.{kind}"
            if before is not None and after is None:
                self.add(
                    "promise.removed",
                    f"{subject}: no longer promised (was {wording.promise(self.old.policy, before, kind)})",
                    kind_path,
                    group=group,
                    subgroup=name,
                    before=wording.promise(self.old.policy, before, kind),
                    where=where,
                    was=_at(before.origin),
                )
            elif before is None and after is not None:
                self.add(
                    "promise.added",
                    f"{subject}: newly promised, {wording.promise(self.new.policy, after, kind)}",
                    kind_path,
                    group=group,
                    subgroup=name,
                    after=wording.promise(self.new.policy, after, kind),
                    where=_at(after.origin),
                )
            elif before is not None and after is not None:
                self.promise(before, after, kind, subject, kind_path, group, name)
        if old.escalation is True and new.escalation is not True:
            self.add(
                "escalation.removed",
                f"{b.name}, {name}: can no longer be escalated",
                path,
                group=group,
                subgroup=name,
                where=_at(new.origin, "escalation"),
                was=was,
            )
        elif new.escalation is True and old.escalation is not True:
            self.add(
                "escalation.added",
                f"{b.name}, {name}: can now be escalated",
                path,
                group=group,
                subgroup=name,
                where=_at(new.origin, "escalation"),
                was=was,
            )
        old_staff, new_staff = self.clock(a.staffing(severity_of(a, old))), b.staffing(severity)
        if old_staff != new_staff:
            old_clock = a.staffing(severity_of(a, old))
            common = {"group": group, "subgroup": name, "where": _at(new.origin, "hours") or where, "was": was}
            before_words, after_words = self.old.clock_words(old_clock), self.new.clock_words(new_staff)
            common.update(before=before_words, after=after_words)
            if self.open_less(old_clock, new_staff):
                self.add(
                    "hours.reduced",
                    f"{b.name}, {name}: staffed {before_words} → {after_words}",
                    f"{path}.hours",
                    **common,
                )
            if self.open_less(old_clock, new_staff, reverse=True):
                self.add(
                    "hours.extended",
                    f"{b.name}, {name}: staffed {before_words} → {after_words}",
                    f"{path}.hours",
                    **common,
                )

    def compare_channels(self) -> None:
        old, new = self.old.policy.channels, self.new.policy.channels

        def same(a: Channel, b: Channel) -> bool:
            return replace(self.translate_channel(a), id=b.id, name=b.name) == b

        kept, renamed, gone, fresh = _match(old, new, lambda c: c.id, same)
        for a, b in kept + renamed:
            self.channels[a.id] = b.id
        group = "Contact channels"
        for a, b in renamed:
            self.add(
                "channel.renamed",
                f"Channel {a.name} ({a.id}) is now {b.name} ({b.id}), with the same address and promises",
                f"channels.{b.id}",
                group=group,
                where=_at(b.origin, "id"),
                was=_at(a.origin),
            )
        for a in gone:
            if a.available:
                self.add(
                    "channel.removed",
                    f"{a.name} is no longer a way to reach support",
                    f"channels.{a.id}",
                    group=group,
                    was=_at(a.origin),
                    where=_nearest(new),
                )
        for b in fresh:
            if b.available:
                self.add(
                    "channel.added",
                    f"New way to reach support: {b.name}",
                    f"channels.{b.id}",
                    group=group,
                    where=_at(b.origin),
                )
        for a, b in kept:
            self.moved("channel.renamed", a, b, group, f"channels.{b.id}")
            self.channel(self.translate_channel(a), a, b, group)

    def translate_channel(self, channel: Channel) -> Channel:
        response = channel.response
        if response is not None:
            response = replace(response, clock=self.clock(response.clock))
        return replace(
            channel,
            hours=self.clock(channel.hours) if channel.hours else "",
            response=response,
            template=self.templates.get(channel.template, channel.template),
            tiers=tuple(self.tiers.get(t, t) for t in channel.tiers),
            severities=tuple(self.severities.get(s, s) for s in channel.severities),
        )

    def channel(self, a: Channel, raw: Channel, b: Channel, group: str) -> None:
        path = f"channels.{b.id}"
        common = {"group": group, "where": _at(b.origin), "was": _at(raw.origin)}
        if a.name != b.name:
            common["where"] = _at(b.origin, "name")
            self.add("channel.renamed", f"Channel {a.name} is now called {b.name}", path, **common)
        if a.available and not b.available:
            common["where"] = _at(b.origin, "available")
            self.add("channel.removed", f"{b.name} is no longer available", path, **common)
            return
        if b.available and not a.available:
            common["where"] = _at(b.origin, "available")
            self.add("channel.added", f"{b.name} is available again", path, **common)
        if a.address != b.address and a.address and b.address:
            common["where"] = _at(b.origin, "address")
            self.add(
                "channel.address-changed",
                f"{b.name}: write to {b.address} instead of {a.address}",
                path,
                before=a.address,
                after=b.address,
                **common,
            )
        if a.response is not None and b.response is not None:
            old_wait, new_wait = self.old.worst(raw.response) if raw.response else None, self.new.worst(b.response)
            if old_wait is not None and new_wait is not None and old_wait != new_wait:
                before = wording.promise(self.old.policy, raw.response, "acknowledge") if raw.response else ""
                after = wording.promise(self.new.policy, b.response, "acknowledge")
                self.add(
                    "channel.slower" if new_wait > old_wait else "channel.faster",
                    f"{b.name}, first response: at most {hours(old_wait)} → "
                    f"at most {hours(new_wait)} ({before} → {after})",
                    path,
                    group=group,
                    before=before,
                    after=after,
                    where=_at(b.origin, "response", "within"),
                    was=_at(raw.origin, "response"),
                )
        elif a.response is not None and raw.response is not None:
            self.add(
                "channel.response-removed",
                f"{b.name}: no longer promises a first response "
                f"(was {wording.promise(self.old.policy, raw.response, 'acknowledge')})",
                path,
                **common,
            )
        elif b.response is not None:
            common["where"] = _at(b.origin, "response")
            self.add(
                "channel.response-added",
                f"{b.name}: now promises a first response "
                f"{wording.promise(self.new.policy, b.response, 'acknowledge')}",
                path,
                **common,
            )
        if a.hours and b.hours and a.hours != b.hours:
            common["where"] = _at(b.origin, "hours")
            words = f"{self.old.clock_words(raw.hours)} → {self.new.clock_words(b.hours)}"
            if self.open_less(raw.hours, b.hours):
                self.add("channel.hours-reduced", f"{b.name}: open {words}", path, **common)
            if self.open_less(raw.hours, b.hours, reverse=True):
                self.add("channel.hours-extended", f"{b.name}: open {words}", path, **common)
        for key, what, names in (
            ("tiers", "plans", {t.id: t.name for t in (*self.old.policy.tiers, *self.new.policy.tiers)}),
            (
                "severities",
                "severities",
                {s.id: s.name for s in (*self.old.policy.severities, *self.new.policy.severities)},
            ),
        ):
            old_set, new_set = set(getattr(a, key)), set(getattr(b, key))
            if old_set == new_set:
                continue
            common["where"] = _at(b.origin, key)
            if new_set and (not old_set or old_set - new_set):
                lost = sorted(old_set - new_set) if old_set else []
                only = ", ".join(names.get(i, i) for i in sorted(new_set))
                detail = f"no longer for {', '.join(names.get(i, i) for i in lost)}" if lost else f"now only for {only}"
                self.add("channel.narrowed", f"{b.name}: {detail}", f"{path}.{key}", **common)
            if not new_set or new_set - old_set:
                gained = ", ".join(names.get(i, i) for i in sorted(new_set - old_set)) if new_set else f"all {what}"
                if old_set:
                    self.add("channel.widened", f"{b.name}: now also for {gained}", f"{path}.{key}", **common)

    def compare_scope(self) -> None:
        old, new = self.old.policy.scope, self.new.policy.scope
        group = "What support covers"
        for key, gone_id, new_id in (
            ("will", "scope.will-removed", "scope.will-added"),
            ("will_not", "scope.will-not-removed", "scope.will-not-added"),
        ):
            before: tuple[ScopeItem, ...] = getattr(old, key) if old else ()
            after: tuple[ScopeItem, ...] = getattr(new, key) if new else ()
            label = "Support will" if key == "will" else "Support will not"
            before_keys = {_scope_key(item): item for item in before}
            after_keys = {_scope_key(item): item for item in after}
            for item_key, item in before_keys.items():
                if item_key not in after_keys:
                    self.add(
                        gone_id,
                        f"{label} any longer: {item.text.strip()}"
                        if key == "will"
                        else f"No longer refused: {item.text.strip()}",
                        f"scope.{key}.{item.id}" if item.id else f"scope.{key}",
                        group=group,
                        before=item.text,
                        where=_at(new.origin, key) if new else None,
                        was=_at(item.origin),
                    )
            for item_key, item in after_keys.items():
                if item_key not in before_keys and (old is not None or key == "will"):  # a first scope refuses nothing
                    self.add(
                        new_id,
                        f"{label}: {item.text.strip()}",
                        f"scope.{key}.{item.id}" if item.id else f"scope.{key}",
                        group=group,
                        after=item.text,
                        where=_at(item.origin),
                    )

    def compare_retention(self) -> None:
        old, new = self.old.policy.retention, self.new.policy.retention
        group = "Data retention"
        old_logs: tuple[Log, ...] = old.logs if old else ()
        new_logs: tuple[Log, ...] = new.logs if new else ()

        def same(a: Log, b: Log) -> bool:
            return replace(a, id=b.id, name=b.name) == b

        kept, renamed, gone, fresh = _match(old_logs, new_logs, lambda log: log.id, same)
        for a, b in renamed:
            self.add(
                "retention.log-renamed",
                f"{a.name} ({a.id}) are now called {b.name} ({b.id}), kept as long",
                f"retention.{b.id}",
                group=group,
                where=_at(b.origin, "id"),
                was=_at(a.origin),
            )
        for a, b in kept:
            self.moved("retention.log-renamed", a, b, group, f"retention.{b.id}")
            if _period_days(a.kept) != _period_days(b.kept):
                shorter = _period_days(b.kept) < _period_days(a.kept)
                self.add(
                    "retention.shortened" if shorter else "retention.lengthened",
                    f"{b.name}: kept for {wording.period(a.kept)} → {wording.period(b.kept)}",
                    f"retention.{b.id}",
                    group=group,
                    before=str(a.kept),
                    after=str(b.kept),
                    where=_at(b.origin, "kept"),
                    was=_at(a.origin, "kept"),
                )
        for a in gone:
            self.add(
                "retention.log-removed",
                f"{a.name} are no longer kept",
                f"retention.{a.id}",
                group=group,
                was=_at(a.origin),
                where=_at(new.origin, "logs") if new else None,
            )
        for b in fresh:
            self.add(
                "retention.log-added",
                f"{b.name} are now kept for {wording.period(b.kept)}",
                f"retention.{b.id}",
                group=group,
                where=_at(b.origin),
            )
        before = old.report_within if old else None
        after = new.report_within if new else None
        if before is not None and after is not None and _period_days(before) != _period_days(after):
            sooner = _period_days(after) < _period_days(before)
            self.add(
                "retention.report-sooner" if sooner else "retention.report-later",
                f"Report problems within {wording.period(before)} → within {wording.period(after)}",
                "retention.report_within",
                group=group,
                where=_at(new.origin, "report_within") if new else None,
                was=_at(old.origin, "report_within") if old else None,
            )

    def compare_status(self) -> None:
        old, new = self.old.policy.status, self.new.policy.status
        group = "Status and maintenance"
        a = old.uptime if old else None
        b = new.uptime if new else None
        where = _at(new.origin) if new else None
        if a is not None and b is None:
            self.add(
                "uptime.removed",
                f"No uptime target any more (was {a.target:g}% a {a.period})",
                "status.uptime",
                group=group,
                where=where,
                was=_at(a.origin),
            )
        elif b is not None and a is None:
            self.add(
                "uptime.added",
                f"New uptime target: {b.target:g}% a {b.period}",
                "status.uptime",
                group=group,
                where=_at(b.origin),
            )
        elif a is not None and b is not None:
            if a.target != b.target:
                self.add(
                    "uptime.lowered" if b.target < a.target else "uptime.raised",
                    f"Uptime target: {a.target:g}% → {b.target:g}% a {b.period}",
                    "status.uptime",
                    group=group,
                    before=f"{a.target:g}%",
                    after=f"{b.target:g}%",
                    where=_at(b.origin, "target"),
                    was=_at(a.origin, "target"),
                )
            if a.excludes_maintenance != b.excludes_maintenance:
                self.add(
                    "uptime.excludes-maintenance" if b.excludes_maintenance else "uptime.includes-maintenance",
                    "Planned maintenance no longer counts against the uptime target"
                    if b.excludes_maintenance
                    else "Planned maintenance now counts against the uptime target",
                    "status.uptime",
                    group=group,
                    where=_at(b.origin, "excludes_maintenance"),
                    was=_at(a.origin, "excludes_maintenance"),
                )
        old_notice = old.maintenance.notice if old and old.maintenance else None
        new_notice = new.maintenance.notice if new and new.maintenance else None
        if old_notice is not None and (new_notice is None or new_notice.minutes != old_notice.minutes):
            shorter = new_notice is None or new_notice.minutes < old_notice.minutes
            after = wording.duration(new_notice) if new_notice else "no stated notice"
            self.add(
                "maintenance.notice-shortened" if shorter else "maintenance.notice-lengthened",
                f"Planned maintenance is announced {wording.duration(old_notice)} ahead → {after}",
                "status.maintenance",
                group=group,
                where=_at(new.maintenance.origin, "notice") if new and new.maintenance else where,
                was=_at(old.maintenance.origin, "notice") if old and old.maintenance else None,
            )
        elif old_notice is None and new_notice is not None:
            self.add(
                "maintenance.notice-lengthened",
                f"Planned maintenance is now announced {wording.duration(new_notice)} ahead",
                "status.maintenance",
                group=group,
                where=_at(new.maintenance.origin, "notice") if new and new.maintenance else where,
            )


def severity_of(tier: Tier, target: Target | None) -> str:
    return target.severity if target is not None else ""


def _nearest(items: Iterable[object]) -> Location | None:
    """Where a list that lost an item is in the new files: its first remaining item."""
    for item in items:
        origin = getattr(item, "origin", None)
        if isinstance(origin, Origin) and origin.file:
            return _at(Origin(origin.file, origin.path[:-1], origin.positions))
    return None


def _scope_key(item: ScopeItem) -> str:
    return f"id:{item.id}" if item.id else "text:" + " ".join(item.text.split())


def _obtained(value: str) -> str:
    return {"included": "included with the product", "paid": "as a paid plan", "contract": "by separate agreement"}.get(
        value, value
    )


def _required(required: bool, when: str) -> str:
    if required:
        return "required"
    if when:
        return f"required when {' '.join(when.split())}"
    return "optional"


def _strictness(value: str) -> int:
    return {"absent": 0, "optional": 0, "required": 2}.get(value, 1)


def _downtime(window: MaintenanceWindow | None) -> int:
    """Minutes of downtime a week."""
    if window is None or not window.downtime:
        return 0
    try:
        start, end = minutes_of_day(window.starts), minutes_of_day(window.ends)
    except ValueError:
        return 0
    length = end - start if end > start else end + 1440 - start
    return length * len(window.days)


ORDER = {Effect.WEAKENING: 0, Effect.STRENGTHENING: 1, Effect.NEUTRAL: 2}


def compare(old: PolicySet, new: PolicySet, today: date | None = None) -> list[Change]:
    """Every change from ``old`` to ``new``, weakenings first, then in the order of the files.

    Both are compared as they stand ``today`` (default: the build date) and, when a promise
    announces a change (``becomes``), as they will be once every announced change is in force;
    a change only the second comparison finds says from when: "From 1 March 2027: …".
    """
    from ..calendar import now
    from ..effective import FOREVER, has_upcoming, in_force, upcoming_on

    today = today or now().date()
    old_now, new_now = in_force(old, today), in_force(new, today)
    changes = _Comparison(old_now, new_now).run()
    if has_upcoming(old_now) or has_upcoming(new_now):
        dates = {**upcoming_on(old_now), **upcoming_on(new_now)}
        seen = {(c.id, c.path, c.message) for c in changes}
        for change in _Comparison(in_force(old_now, FOREVER), in_force(new_now, FOREVER)).run():
            if (change.id, change.path, change.message) in seen:
                continue
            day = dates.get(change.path)
            message = f"From {wording.date_or_name(day)}: {change.message}" if day else change.message
            changes.append(replace(change, message=message, effective=day or ""))
    return sorted(changes, key=lambda c: ORDER[c.effect])
