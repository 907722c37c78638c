"""Words for durations, clocks and opening hours, derived from the data, never typed twice.

Every word goes through :mod:`support_policies.i18n`: in the language being rendered, with
its dates, weekdays, times, numbers and lists."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date, timedelta

from . import i18n
from .i18n import N_, N_plural, _, ngettext
from .model import (
    ALWAYS,
    WEEKDAYS,
    ClockRules,
    Duration,
    MaintenanceWindow,
    Period,
    PolicySet,
    Promise,
    Schedule,
    Severity,
    SpanEnd,
    Tier,
    Within,
    home_zone,
    minutes_of_day,
)

_UNITS = {
    "m": N_plural("{n} minute", "{n} minutes"),
    "h": N_plural("{n} hour", "{n} hours"),
    "d": N_plural("{n} day", "{n} days"),
    "w": N_plural("{n} week", "{n} weeks"),
}
_BUSINESS_UNITS = {
    "h": N_plural("{n} business hour", "{n} business hours"),
    "d": N_plural("{n} business day", "{n} business days"),
    "w": N_plural("{n} business week", "{n} business weeks"),
}
_PERIOD_UNITS = {
    "d": N_plural("{n} day", "{n} days"),
    "w": N_plural("{n} week", "{n} weeks"),
    "mo": N_plural("{n} month", "{n} months"),
    "y": N_plural("{n} year", "{n} years"),
}
_PROMISE_NAMES = {
    "acknowledge": N_("Acknowledgement"),
    "update": N_("Updates"),
    "restore": N_("Workaround"),
    "resolve": N_("Resolution"),
}
_PAUSE_WORDS = {
    "waiting-on-customer": N_("while support waits for information or a reply from you"),
    "waiting-on-third-party": N_("while support waits on a third party"),
}


_NO_TARGET = {
    "acknowledge": N_("No acknowledgement target"),
    "update": N_("No updates target"),
    "restore": N_("No workaround target"),
    "resolve": N_("No resolution target"),
}
_ADDRESS_LABELS = {
    "email": N_("Email"),
    "web-form": N_("Form"),
    "phone": N_("Phone"),
    "chat": N_("Chat"),
    "status-page": N_("Page"),
    "person": N_("Contact"),
    "portal": N_("Portal"),
    "account-manager": N_("Contact"),
}
_OBTAINED = {
    "included": N_("included with every license"),
    "paid": N_("a paid upgrade"),
    "contract": N_("a separate support agreement"),
}
_UPTIME = {
    ("month", False): N_("We aim for **{target} uptime** each month."),
    ("month", True): N_("We aim for **{target} uptime** each month, not counting planned maintenance."),
    ("quarter", False): N_("We aim for **{target} uptime** each quarter."),
    ("quarter", True): N_("We aim for **{target} uptime** each quarter, not counting planned maintenance."),
    ("year", False): N_("We aim for **{target} uptime** each year."),
    ("year", True): N_("We aim for **{target} uptime** each year, not counting planned maintenance."),
}


def no_target(kind: str) -> str:
    """What a matrix cell says when a covered severity has no promise of this kind."""
    return _(_NO_TARGET[kind])


def address_label(kind: str) -> str:
    """The label of a channel's address: "Email", "Phone", "Form", …"""
    return _(_ADDRESS_LABELS[kind])


def obtained(value: str) -> str:
    """How a plan is obtained: "included with every license", "a paid upgrade", …"""
    return _(_OBTAINED[value])


def uptime(period: str, target: float, excludes_maintenance: bool) -> str:
    """ "We aim for **99.9% uptime** each month, not counting planned maintenance." (Markdown)."""
    return _(_UPTIME[(period, bool(excludes_maintenance))], target=i18n.percent(target))


def promise_name(kind: str) -> str:
    """ "acknowledge" → "Acknowledgement", the heading of a kind of promise."""
    return _(_PROMISE_NAMES[kind])


def best_effort() -> str:
    return _("best effort, an aim rather than a guarantee")


def is_round_the_clock(policy: PolicySet, clock: str, _within: tuple[str, ...] = ()) -> bool:
    """Whether every hour counts on ``clock``: 24x7, an always-open schedule without holidays or
    special hours, a union with such a member, or a regional schedule that is so in every region."""
    if clock == ALWAYS:
        return True
    schedule = policy.schedule(clock)
    if schedule is None or clock in _within:
        return False
    inner = (*_within, clock)
    if schedule.combines:
        return any(is_round_the_clock(policy, member, inner) for member in schedule.combines)
    if schedule.by_region:
        return all(is_round_the_clock(policy, entry.schedule, inner) for entry in schedule.by_region)
    holidays = schedule.holidays
    return schedule.always_open and not holidays.dates and not holidays.country and not schedule.special_hours


def duration(value: Duration, business: bool = False) -> str:
    """``4h`` → "4 hours"; on a business clock "4 business hours", "1 business day"."""
    one, many = _BUSINESS_UNITS[value.unit] if business and value.unit in _BUSINESS_UNITS else _UNITS[value.unit]
    return ngettext(one, many, value.amount)


def period(value: Period) -> str:
    """``3mo`` → "3 months"."""
    one, many = _PERIOD_UNITS[value.unit]
    return ngettext(one, many, value.amount)


def within(value: Within, business: bool = False, repeating: bool = False) -> str:
    """ "within 2 hours", "within 1 business day" or "minutes, at most 2 hours".

    ``repeating`` words an interval (updates): "at least every 4 hours".
    """
    most = duration(value.max, business)
    if repeating:
        if value.min is None:
            return _("at least every {most}", most=most)
        if value.min.minutes < 60:
            return _("every few minutes, at least every {most}", most=most)
        return _("typically every {typical}, at least every {most}", typical=duration(value.min, business), most=most)
    if value.min is None:
        return _("within {most}", most=most)
    if value.min.minutes < 60:
        return _("minutes, at most {most}", most=most)
    return _("typically {typical}, at most {most}", typical=duration(value.min, business), most=most)


def promise(policy: PolicySet, value: Promise, kind: str = "") -> str:
    """A promise worded with its clock: "within 8 business hours (Standard hours)".

    Updates (``kind="update"``) repeat: "at least every 4 hours, around the clock". A
    best-effort promise says so: "…, best effort, an aim rather than a guarantee". The
    condition is not part of these words: see :func:`otherwise`.
    """
    repeating = kind == "update"
    if is_round_the_clock(policy, value.clock):
        words = _("{within}, around the clock", within=within(value.within, repeating=repeating))
    else:
        schedule = policy.schedule(value.clock)
        name = schedule.name if schedule else value.clock
        words = _("{within} ({clock})", within=within(value.within, business=True, repeating=repeating), clock=name)
    words = _("{promise}; {best_effort}", promise=words, best_effort=best_effort()) if value.best_effort else words
    upcoming = value.becomes
    if upcoming is not None:  # announced: "…; from 1 March 2027: within 8 hours, around the clock"
        later = Promise(upcoming.within, upcoming.clock, best_effort=upcoming.best_effort)
        words = _(
            "{promise}; from {date}: {later}",
            promise=words,
            date=date_or_name(upcoming.effective),
            later=promise(policy, later, kind),
        )
    return words


def otherwise(policy: PolicySet, tier: Tier, kind: str, value: Promise) -> str:
    """What applies when ``value``'s condition is not met, in words ("" without a condition).

    "otherwise within 8 business hours (Standard hours)", or "otherwise it is handled as a
    High incident: within 4 business hours (Standard hours)".
    """
    condition = value.condition
    if condition is None:
        return ""
    if condition.otherwise is not None:
        return _("otherwise {promise}", promise=promise(policy, condition.otherwise, kind))
    severity = policy.severity(condition.handled_as)
    name = severity.name if severity else condition.handled_as
    target = tier.targets.get(condition.handled_as)
    instead = getattr(target, kind) if target is not None and target.covered else None
    if instead is None:
        return _("otherwise it is handled as a {severity} incident", severity=name)
    return _(
        "otherwise it is handled as a {severity} incident: {promise}",
        severity=name,
        promise=promise(policy, instead, kind),
    )


def listing(items: Iterable[str], conjunction: str = "and") -> str:
    """["Low", "Cosmetic"] → "Low and Cosmetic"; three or more: "A, B and C" (``conjunction="or"``:
    "A, B or C"), as the language joins lists."""
    return i18n.listing(list(items), "or" if conjunction == "or" else "standard")


def wait(delta: timedelta) -> str:
    """A wait in words, to the minute: "117 hours", "1 hour 30 minutes", "1,200 hours"."""
    minutes = int(delta.total_seconds() // 60)
    whole, rest = divmod(minutes, 60)
    hours = ngettext("{n} hour", "{n} hours", whole)
    if not rest:
        return hours if whole else ngettext("{n} minute", "{n} minutes", 0)
    if not whole:
        return ngettext("{n} minute", "{n} minutes", rest)
    return _("{hours} {minutes}", hours=hours, minutes=ngettext("{n} minute", "{n} minutes", rest))


def staffing(policy: PolicySet, tier: Tier) -> list[tuple[str, list[Severity]]]:
    """The clocks a tier is staffed on, each with the covered severities it applies to, in order.

    One entry (with every covered severity) when every severity has the tier's hours.
    """
    groups: dict[str, list[Severity]] = {}
    for severity in policy.severities:
        target = tier.targets.get(severity.id)
        if target is not None and target.covered:
            groups.setdefault(tier.staffing(severity.id), []).append(severity)
    return list(groups.items()) or [(tier.hours, [])]


def clock_rule_lines(rules: ClockRules) -> list[str]:
    """The clock rules as sentences (the re-classification text, Markdown, is not among them)."""
    lines = [
        _("The clock starts when support confirms the incident's severity.")
        if rules.starts == "confirmed"
        else _("The clock starts when the ticket is created.")
    ]
    if rules.pauses:
        lines.append(_("The clock pauses {when}.", when=listing([_(_PAUSE_WORDS[p]) for p in rules.pauses])))
    if rules.response == "person":
        lines.append(_("A response is a reply from a support engineer; automatic acknowledgements do not count."))
    elif rules.response == "acknowledgement":
        lines.append(_("An automatic acknowledgement of your ticket counts as the first response."))
    return lines


def clock_description(policy: PolicySet, clock: str) -> str:
    """Which clock this is, in words: "Standard hours: only open hours count; Monday to Friday, …"."""
    schedule = policy.schedule(clock) if clock != ALWAYS else None
    if is_round_the_clock(policy, clock):
        name, zone = (schedule.name, schedule.timezone) if schedule else ("24x7", home_zone(policy))
        return _("{clock}: every hour counts ({zone})", clock=name, zone=i18n.zone(zone))
    if schedule is None:
        return clock
    closed = closed_on(schedule)
    special = special_days(schedule)
    words = _(
        "{clock}: only open hours count; {hours}", clock=schedule.name, hours="; ".join(opening_hours(schedule, policy))
    )
    if closed:
        words = _("{description}; closed on {days}", description=words, days=listing(closed))
    if special:
        words = _("{description}; special hours: {days}", description=words, days="; ".join(special))
    return words


def closed_on(schedule: Schedule) -> list[str]:
    """What closes a schedule, in short: "US public holidays except Columbus Day", "3 listed dates"."""
    holidays = schedule.holidays
    closed = []
    if holidays.country:
        worked = [date_or_name(entry) for entry in holidays.except_]
        region = f"{holidays.country}{'-' + holidays.subdivision if holidays.subdivision else ''}"
        if worked:
            closed.append(_("{region} public holidays except {days}", region=region, days=listing(worked)))
        else:
            closed.append(_("{region} public holidays", region=region))
    listed = len({holiday.date for holiday in holidays.dates})
    if listed:
        closed.append(ngettext("{n} listed date", "{n} listed dates", listed))
    return closed


def clock_name(policy: PolicySet, clock: str) -> str:
    if clock == ALWAYS:
        return _("24 hours a day, 7 days a week")
    schedule = policy.schedule(clock)
    return schedule.name if schedule else clock


def days(values: Iterable[str]) -> str:
    """[mon, tue, wed, thu, fri] → "Monday to Friday"; [sun, mon, tue, wed, thu] → "Sunday to Thursday"
    (a run may wrap past Sunday); gaps are listed."""
    indexes = sorted(WEEKDAYS.index(d) for d in values)
    if len(indexes) == 7:
        return _("Every day")
    if len(indexes) > 2:
        for first in indexes:  # a run of consecutive days, starting after the week's gap
            run = [(first + k) % 7 for k in range(len(indexes))]
            if sorted(run) == indexes and (first - 1) % 7 not in indexes:
                return _("{first} to {last}", first=i18n.weekday(run[0]), last=i18n.weekday(run[-1]))
    return listing([i18n.weekday(i) for i in indexes])


def day_name(day: str) -> str:
    """ "mon" → "Monday"."""
    return i18n.weekday(WEEKDAYS.index(day))


def hhmm(text: str) -> str:
    """ "8:00" → "08:00", as the language writes a time of day."""
    return i18n.clock_time(text)


def time_range(opens: str, closes: str) -> str:
    """ "08:00–17:00"."""
    return _("{opens}–{closes}", opens=hhmm(opens), closes=hhmm(closes))


def opening_hours(schedule: Schedule, policy: PolicySet | None = None) -> list[str]:
    """One line per interval, each with its zone: "Monday to Friday, 08:00–17:00 (America/Chicago)".

    An overnight interval says so: "Sunday to Thursday, 22:00–06:00 the next day". A span
    names both of its zones: "From Monday 10:00 (Australia/Sydney) until Friday 17:00
    (America/Los_Angeles)". A union lists its members and a regional schedule its regions,
    each with its own hours (with ``policy`` to look them up).
    """
    if schedule.always_open:
        return [_("24 hours a day, 7 days a week ({zone})", zone=i18n.zone(schedule.timezone))]
    if schedule.spans:
        return [
            _(
                "From {start} until {end}",
                start=_moment(span.from_, schedule.timezone),
                end=_moment(span.until, schedule.timezone),
            )
            for span in schedule.spans
        ]
    if schedule.combines:
        members = [policy.schedule(member) if policy else None for member in schedule.combines]
        names = [
            member.name if member else member_id for member, member_id in zip(members, schedule.combines, strict=True)
        ]
        lines = [_("Open whenever any of {schedules} is open", schedules=listing(names, "or"))]
        for member in members:
            if member is not None:
                lines.append(
                    _("{schedule}: {hours}", schedule=member.name, hours="; ".join(opening_hours(member, policy)))
                )
        return lines
    if schedule.by_region:
        lines = []
        for entry in schedule.by_region:
            member = policy.schedule(entry.schedule) if policy else None
            if member is None:
                lines.append(_("Customers in {region}: {schedule}", region=entry.region, schedule=entry.schedule))
            else:
                lines.append(
                    _(
                        "Customers in {region}: {schedule}, {hours}",
                        region=entry.region,
                        schedule=member.name,
                        hours="; ".join(opening_hours(member, policy)),
                    )
                )
        return lines
    return [interval(h.days, h.opens, h.closes, schedule.timezone) for h in schedule.hours]


def interval(weekdays: Iterable[str], opens: str, closes: str, zone: str) -> str:
    """ "Monday to Friday, 08:00–17:00 (America/Chicago)"; past midnight "…, 22:00–06:00 the next day (…)"."""
    start, end = minutes_of_day(opens), minutes_of_day(closes)
    if end < start and end != 0:
        return _(
            "{days}, {opens}–{closes} the next day ({zone})",
            days=days(weekdays),
            opens=hhmm(opens),
            closes=hhmm(closes),
            zone=i18n.zone(zone),
        )
    return _(
        "{days}, {opens}–{closes} ({zone})",
        days=days(weekdays),
        opens=hhmm(opens),
        closes=hhmm(closes),
        zone=i18n.zone(zone),
    )


def _moment(end: SpanEnd, zone: str) -> str:
    return _("{day} {time} ({zone})", day=day_name(end.day), time=hhmm(end.at), zone=i18n.zone(end.timezone or zone))


def date_or_name(text: str) -> str:
    """A worked holiday as written: a name stays, a date is written out: "11 November 2026"."""
    try:
        day = date.fromisoformat(text)
    except ValueError:
        return text
    return i18n.long_date(day)


def worked(schedule: Schedule) -> str:
    """ " except Columbus Day and 11 November 2026, which are worked" ("" when no holiday is worked)."""
    names = [date_or_name(entry) for entry in schedule.holidays.except_]
    if not names:
        return ""
    return ngettext(
        " except {days}, which is worked", " except {days}, which are worked", len(names), days=listing(names)
    )


def special_days(schedule: Schedule) -> list[str]:
    """One line per special day, with its date and hours: "24 December 2026 (Christmas Eve): 09:30–13:00",
    "Every year on 26 December (Boxing Day opening): 10:00–14:00", "… : closed all day"."""
    lines = []
    for entry in schedule.special_hours:
        if entry.date:
            when = date_or_name(entry.date)
        else:
            month, day = (int(part) for part in entry.yearly.split("-"))
            when = _("Every year on {date}", date=i18n.day_month(month, day))
        if entry.hours:
            hours = ", ".join(time_range(r.opens, r.closes) for r in entry.hours)
            lines.append(
                _(
                    "{date} ({name}): {hours} ({zone})",
                    date=when,
                    name=entry.name,
                    hours=hours,
                    zone=i18n.zone(schedule.timezone),
                )
            )
        else:
            lines.append(_("{date} ({name}): closed all day", date=when, name=entry.name))
    return lines


def support_schedules(policy: PolicySet) -> list[Schedule]:
    """The schedules that are support hours: all but those only ``status.maintenance`` names.

    A schedule no tier, target, promise or channel uses as its hours or clock (directly, or
    as a member or region of one that is) but that holds the planned maintenance windows is
    not support hours, and is not listed among them as if support were staffed around it.
    """
    used = set(policy.clocks_in_use)
    pending = list(used)
    while pending:
        schedule = policy.schedule(pending.pop())
        for member in (*schedule.combines, *(e.schedule for e in schedule.by_region)) if schedule else ():
            if member not in used:
                used.add(member)
                pending.append(member)
    maintenance = policy.status.maintenance.schedule if policy.status and policy.status.maintenance else None
    return [s for s in policy.schedules if s.id in used or s.id != maintenance]


def window(schedule: Schedule, w: MaintenanceWindow) -> str:
    return interval(w.days, w.starts, w.ends, schedule.timezone)
