"""The open time of every clock, as the browser's deadline calculator reads it.

``data/calendars.json`` holds, for a window around the build date, what
:mod:`support_policies.calendar` computes: each clock's open intervals as exact UTC instants
(milliseconds since 1970), and each local day's midnight, UTC offset, first opening and
last closing (and the instant its offset changes, if it does), for promises counted in
open days. It also holds every covered promise of every plan and every sentence the script
writes, in the page's language, so the script (``assets/support-policies.js``) needs no
other file. The script walks these numbers: it never converts time zones itself, so its
answers are the engine's whatever time-zone database the reader's browser has; it only
formats instants for display with the browser's own zone data, in the page's locale.

The window: filings from 7 days before the build date until 400 days after it (so a site
built today answers for tickets filed over the next year and a month), with open time
published far enough beyond for every promise filed in it to fall due. A filing outside it,
or a promise that would fall due beyond the data, is refused, never guessed. The window ends
earlier, a day before the first announced change (``becomes``) takes effect, because the
promises published here are those in force on the build date.
"""

from __future__ import annotations

import json
from datetime import UTC, date, datetime, timedelta

from .. import calendar, i18n, wallclock, wording
from ..effective import effective_day, in_force, upcoming_on
from ..i18n import _
from ..model import ALWAYS, PolicySet, clock_rules, home_zone
from .data import Json

CALENDARS_PATH = "data/calendars.json"
FORMAT = "support-policies-calendars"
VERSION = 1
BEFORE = timedelta(days=7)
AFTER = timedelta(days=400)
"""Filings covered: [build date − BEFORE, build date + AFTER)."""
_MARGIN = timedelta(days=60)
"""The least open time published past the last filing; more when a promise needs it."""

_EPOCH = datetime(1970, 1, 1, tzinfo=UTC)


def _ms(instant: datetime) -> int:
    return (instant - _EPOCH) // timedelta(milliseconds=1)


def _clocks(policy: PolicySet) -> dict[str, calendar.Calendar]:
    """Every clock a promise can run on, by id; a by_region schedule is its members' ids."""
    found: dict[str, calendar.Calendar] = {ALWAYS: calendar.calendar_for(policy, ALWAYS)}
    for schedule in policy.schedules:
        if schedule.by_region:
            continue
        try:
            found[schedule.id] = calendar.calendar_for(policy, schedule.id)
        except calendar.CalendarError:
            continue  # check reports it; the browser declines promises on this clock
    return found


def _calendar(cal: calendar.Calendar, start: datetime, end: datetime) -> dict[str, Json]:
    document: dict[str, Json] = {
        "name": cal.name,
        "zone": cal.zone.key,
        "round_the_clock": cal.round_the_clock,
    }
    if cal.round_the_clock:
        return document
    document["open"] = [[_ms(a), _ms(b)] for a, b in cal.open_intervals(start, end)]
    days: list[Json] = []
    first = start.astimezone(cal.zone).year
    last = end.astimezone(cal.zone).year
    for number in range(first, last + 1):
        year = cal._year(number)  # the engine's own local days, so the browser reads the same ones
        offsets = calendar.midnight_offsets(cal.zone, number)
        for day in range(len(year.opens)):
            midnight = year.midnights[day]
            if midnight // 1000 < _ms(start) - 86_400_000 or midnight // 1000 > _ms(end):
                continue
            shift = year.shifts.get(day)
            opening, closing = year.opens[day], year.closes[day]
            days.append(
                [
                    date.fromordinal(year.ordinal + day).isoformat(),
                    midnight // 1000,
                    offsets[day] // 1000,
                    None if opening is None else opening // 1000,
                    None if closing is None else closing // 1000,
                    None if shift is None else [shift[0] // 1000, shift[1] // 1000, shift[2] // 1000],
                ]
            )
    document["days"] = days
    return document


def script_messages() -> dict[str, Json]:
    """Every sentence the script writes, in the active language; ``{name}`` marks a value."""
    messages: dict[str, Json] = {
        "open_around_the_clock": _("Open now, around the clock"),
        "open_closes": _("Open now; closes {time}"),
        "closed": _("Closed now"),
        "closed_opens": _("Closed now; opens {time}"),
        "hours_unknown": _("Open or closed: the published hours do not reach today; see the hours above"),
        "your_time_and_theirs": _("{mine} your time ({theirs})"),
        "form": _("When will I hear back?"),
        "all_plans": _("All plans, side by side"),
        "plan": _("Plan"),
        "severity": _("Severity"),
        "filed_at": _("Filed at (your time, {zone})"),
        "region": _("Your region"),
        "row": _("{plan}, {promise}:"),
        "not_computed": _("not computed here ({reason}); see the plan's table above."),
        "due_by": _("due by {time} your time"),
        "every_hour_counts": _("every hour counts"),
        "open_hours_count": _("only the open hours of {schedule} count ({zone})"),
        "region_hours": _("the hours of your region, {region}"),
        "best_effort": wording.best_effort(),
        "conditional": _("only if the plan's condition is met (see the table)"),
        "confirmed": _("counted from when support confirms the severity, so this is the earliest it can fall due"),
        "pauses": _("the clock pauses as the plan's clock rules say, which moves this later"),
        "enter_filing": _("Enter when the ticket is filed."),
        "not_covered": _("{plan}: does not cover this severity."),
        "note": _(
            "Times are the latest each promise falls due, computed from the published hours "
            "(tickets filed {first} to {last})."
        ),
    }
    reasons = {  # why the script cannot answer (the codes of its refused() errors)
        "no-calendar": _("the published hours do not cover this clock"),
        "beyond-data": _("it would fall due after the end of the published hours"),
        "needs-region": _("it depends on your region"),
        "unknown-plan": _("the plan is not published"),
        "outside-filings": _("only tickets filed from {first} to {last} are covered"),
        "other": _("the published data cannot answer this"),
    }
    messages.update({f"reason.{code}": text for code, text in reasons.items()})
    for kind in ("acknowledge", "update", "restore", "resolve"):
        messages[f"promise.{kind}"] = wording.promise_name(kind)
    return messages


def calendars_json(policy: PolicySet, today: date) -> str:
    """The document, as UTF-8 JSON text."""
    built = datetime(today.year, today.month, today.day, tzinfo=UTC)
    changes = [effective_day(day) for day in upcoming_on(policy).values()]
    first_change = min((day for day in changes if day > today), default=None)
    until = built + AFTER
    if first_change is not None:  # a day early: the provider's day may start before UTC's
        until = min(until, datetime(first_change.year, first_change.month, first_change.day, tzinfo=UTC) - timedelta(1))
    filings = (built - BEFORE, max(until, built))
    policy = in_force(policy, today)
    promises: dict[str, Json] = {}
    longest = _MARGIN
    for tier in policy.tiers:
        rules = clock_rules(policy, tier)
        plan: dict[str, Json] = {}
        for severity in policy.severities:
            target = tier.targets.get(severity.id)
            if target is None or not target.covered:
                continue
            kinds: dict[str, Json] = {}
            for kind, promise in target.promises():
                regions = calendar.regions(policy, promise.clock)
                if not regions and wallclock.business(policy, promise):
                    try:
                        worst = calendar.worst_case(policy, promise, *filings)
                        longest = max(longest, worst + timedelta(days=1))
                    except calendar.CalendarError:
                        continue
                schedule = policy.schedule(promise.clock) if promise.clock != ALWAYS else None
                kinds[kind] = {
                    "clock": promise.clock,
                    "max": str(promise.within.max),
                    "min": str(promise.within.min) if promise.within.min else None,
                    "best_effort": promise.best_effort,
                    "conditional": promise.condition is not None,
                    "regions": {entry.region: entry.schedule for entry in schedule.by_region} if schedule else {},
                }
            plan[severity.id] = kinds
        promises[tier.id] = {
            "name": tier.name,
            "starts": rules.starts if rules else "created",
            "pauses": bool(rules and rules.pauses),
            "severities": plan,
        }
    data_end = filings[1] + longest
    document: dict[str, Json] = {
        "format": FORMAT,
        "version": VERSION,
        "built": today.isoformat(),
        "language": i18n.active().tag,
        "locale": i18n.active().locale.language
        + (f"-{i18n.active().locale.territory}" if i18n.active().locale.territory else ""),
        "messages": script_messages(),
        "provider_zone": home_zone(policy),
        "filings": {
            "from": _ms(filings[0]),
            "until": _ms(filings[1]),
            "from_iso": filings[0].isoformat().replace("+00:00", "Z"),
            "until_iso": filings[1].isoformat().replace("+00:00", "Z"),
        },
        "data_until": _ms(data_end),
        "severities": [{"id": s.id, "name": s.name, "rank": s.rank} for s in policy.severities],
        "plans": promises,
        "calendars": {
            clock: _calendar(cal, filings[0] - timedelta(days=1), data_end) for clock, cal in _clocks(policy).items()
        },
    }
    return json.dumps(document, ensure_ascii=False, separators=(",", ":")) + "\n"
