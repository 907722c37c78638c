"""What a rule is: a stable id, a default level, a one-line summary and a check."""

from __future__ import annotations

import inspect
from datetime import datetime, timezone
from typing import Iterator

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

    def report(self, origin: Origin, message: str, hint: str = "", *parts, key: bool = False) -> Finding:
        """A finding of this rule at ``origin`` (or at ``parts`` below it)."""
        return origin.finding(self.id, self.level, message, hint, *parts, key=key)


def comparison_window() -> tuple[datetime, datetime]:
    """The year calendars are compared over: the current calendar year, in UTC."""
    start = datetime(datetime.now(timezone.utc).year, 1, 1, tzinfo=timezone.utc)
    return start, start.replace(year=start.year + 1)
