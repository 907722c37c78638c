"""What a plan's clock rules change in a due time: a later start, and pauses.

A plan's ``clock_rules`` can say that the clock starts when support confirms the severity
(``starts: confirmed``) and that it pauses while support waits on the customer or a third
party (``pauses``). The ``deadline`` command honours both when told the moments
(``--confirmed-at``, ``--paused START/END``). The arithmetic is the calendar's own: this
module only walks :meth:`Calendar.open_intervals <support_policies.calendar.Calendar.open_intervals>`
with the paused spans taken out, so a due time without pauses is exactly ``Calendar.add``.

Pauses remove clock time, so they apply to durations that count clock time: minutes and
hours on any clock, and days and weeks on a round-the-clock one (24 and 168 hours). Days on
a business clock count open *days*, which a pause of some hours does not shorten or lengthen
in any way a contract states; :class:`PauseError` refuses them.
"""

from __future__ import annotations

import math
from collections.abc import Iterable, Sequence
from datetime import datetime, timedelta

from .calendar import Calendar, CalendarError
from .model import Duration


class PauseError(CalendarError):
    """Pauses that cannot apply to this promise (a business-day duration) or are malformed."""


def merged(pauses: Iterable[tuple[datetime, datetime]]) -> list[tuple[datetime, datetime]]:
    """Pauses sorted, overlapping ones joined; each must end after it starts."""
    spans = sorted(pauses)
    out: list[tuple[datetime, datetime]] = []
    for start, end in spans:
        if end <= start:
            raise PauseError(f"a pause must end after it starts: {start.isoformat()} / {end.isoformat()}")
        if out and start <= out[-1][1]:
            out[-1] = (out[-1][0], max(out[-1][1], end))
        else:
            out.append((start, end))
    return out


def add(
    cal: Calendar, start: datetime, duration: Duration, pauses: Sequence[tuple[datetime, datetime]] = ()
) -> datetime:
    """The due time of ``duration`` on ``cal`` from ``start``, with the clock stopped during ``pauses``."""
    spans = [(max(a, start), b) for a, b in merged(pauses) if b > start]
    if not spans:
        return cal.add(start, duration)
    if not cal.round_the_clock and duration.unit not in ("m", "h"):
        raise PauseError(
            f"{duration} on '{cal.id or cal.name}' counts open days, which pauses do not change; "
            "pauses apply to minutes and hours"
        )
    remaining = timedelta(minutes=duration.minutes)
    paused = sum((b - a for a, b in spans), timedelta())
    # Open time lost to pauses is at most their length, so the due time is no later than this.
    bound = cal.add(start, Duration(duration.minutes + math.ceil(paused.total_seconds() / 60), "m"))
    for opens, closes in cal.open_intervals(start, bound + timedelta(minutes=1)):
        for piece_start, piece_end in _minus(opens, closes, spans):
            length = piece_end - piece_start
            if length >= remaining:
                return piece_start + remaining
            remaining -= length
    raise CalendarError(f"{duration} on '{cal.id or cal.name}' does not fall due within the calendar's range")


def _minus(
    opens: datetime, closes: datetime, spans: Sequence[tuple[datetime, datetime]]
) -> list[tuple[datetime, datetime]]:
    """[opens, closes) without the paused spans."""
    pieces: list[tuple[datetime, datetime]] = []
    t = opens
    for a, b in spans:
        if b <= t or a >= closes:
            continue
        if a > t:
            pieces.append((t, a))
        t = max(t, b)
        if t >= closes:
            break
    if t < closes:
        pieces.append((t, closes))
    return pieces
