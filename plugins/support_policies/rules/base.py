"""What a rule is: a stable id, a default level, a one-line summary and a check."""

from __future__ import annotations

import inspect
from collections.abc import Iterator
from datetime import UTC, datetime

from ..findings import Finding, Level
from ..model import Origin, PolicySet


class Rule:
    """A check over the whole policy set. Subclasses set the class attributes and ``check``.

    The class docstring is the rule's documentation (``support-policies rules``).
    """

    id: str = ""
    level: Level = Level.ERROR
    summary: str = ""

    def __init__(self, level: Level | None = None):
        if level is not None:
            self.level = level

    @classmethod
    def doc(cls) -> str:
        return inspect.cleandoc(cls.__doc__ or "")

    def check(self, policy: PolicySet) -> Iterator[Finding]:
        raise NotImplementedError

    def report(self, origin: Origin, message: str, hint: str = "", *parts: str | int, key: bool = False) -> Finding:
        """A finding of this rule at ``origin`` (or at ``parts`` below it)."""
        return origin.finding(self.id, self.level, message, hint, *parts, key=key)


WINDOW = (datetime(2026, 1, 1, tzinfo=UTC), datetime(2054, 1, 1, tzinfo=UTC))


def comparison_window() -> tuple[datetime, datetime]:
    """The span calendars are compared over: the 28 years 2026 to 2053, UTC, whatever the day.

    A verdict is a function of the policy files, so the span is fixed instead of "this year".
    Between 1901 and 2099 the pattern of weekdays and leap years repeats every 28 years, so
    in these 28 every date falls on every weekday, in common and in leap years: each fixed
    holiday meets each weekend, and the holidays package's and tzdata's rules are applied to
    every year. Listed holiday dates count when they fall inside. Moving the span changes
    verdicts, so it is a deliberate edit, anchored on the year the rules were written.
    """
    return WINDOW
