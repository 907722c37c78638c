"""Promises about availability and logs that the numbers can keep."""

from __future__ import annotations

from collections.abc import Iterator

from ..findings import Finding
from ..model import PolicySet, minutes_of_day
from ..wording import period
from .base import Rule

PERIOD_DAYS = {"month": 30, "quarter": 91, "year": 365}


def _window_minutes(starts: str, ends: str) -> int:
    return (minutes_of_day(ends) - minutes_of_day(starts)) % 1440 or 1440


class MaintenanceBudget(Rule):
    """Planned downtime fits inside the uptime target's error budget.

    99.9 % a month allows about 43 minutes of downtime. Maintenance windows that may
    take the service down use that budget, unless the uptime target says
    ``excludes_maintenance: true``.
    """

    id = "uptime.maintenance-budget"
    summary = "maintenance windows fit the uptime budget"

    def check(self, policy: PolicySet) -> Iterator[Finding]:
        status = policy.status
        if not (status and status.uptime and status.maintenance) or status.uptime.excludes_maintenance:
            return
        schedule = policy.schedule(status.maintenance.schedule)
        if schedule is None:
            return
        weekly = sum(_window_minutes(w.starts, w.ends) * len(w.days) for w in schedule.maintenance if w.downtime)
        days = PERIOD_DAYS[status.uptime.period]
        planned = weekly * days / 7
        budget = (100 - status.uptime.target) / 100 * days * 1440
        if planned > budget:
            yield self.report(
                status.uptime.origin,
                f"maintenance windows allow up to {planned / 60:.1f} hours of downtime a {status.uptime.period}, "
                f"but {status.uptime.target:g}% uptime leaves only {budget / 60:.1f} hours",
                "Set excludes_maintenance: true if planned maintenance does not count, or shorten the windows.",
                "target",
            )


class RetentionAdvice(Rule):
    """Advice to report within N days never exceeds the shortest log retention.

    If API logs are kept 15 days, "report within 30 days" sends customers past the
    point where support can still investigate.
    """

    id = "retention.advice-exceeds-logs"
    summary = "report-within advice fits the shortest log retention"

    def check(self, policy: PolicySet) -> Iterator[Finding]:
        retention = policy.retention
        if not retention or not retention.report_within:
            return
        shortest = min(retention.logs, key=lambda log: log.kept.min_days)
        if retention.report_within.min_days > shortest.kept.min_days:
            yield self.report(
                retention.origin,
                f"customers are told to report within {period(retention.report_within)}, but "
                f"{shortest.name} are kept only {period(shortest.kept)}",
                f"Advise reporting within {period(shortest.kept)} or less.",
                "report_within",
            )


class WindowNames(Rule):
    """Maintenance windows the status page heads by name all have a name.

    The status page lists the windows of the schedule ``status.maintenance`` names. When
    any of them has a ``name``, the table heads each row with it, so every window needs
    one: a reader never sees a window's id. Windows without names are listed by their
    days and times alone.
    """

    id = "status.window-unnamed"
    summary = "maintenance windows on the status page are all named or all unnamed"

    def check(self, policy: PolicySet) -> Iterator[Finding]:
        status = policy.status
        if not (status and status.maintenance):
            return
        schedule = policy.schedule(status.maintenance.schedule)
        if schedule is None or not any(w.name for w in schedule.maintenance):
            return
        named = next(w for w in schedule.maintenance if w.name)
        for window in schedule.maintenance:
            if not window.name:
                yield self.report(
                    window.origin,
                    f"the maintenance window '{window.id}' of '{schedule.name}' has no name, but '{named.name}' does: "
                    "the status page heads every window with its name",
                    "Add name: with what readers should call the window, e.g. Weekly database upgrade.",
                    "id",
                    key=True,
                )
