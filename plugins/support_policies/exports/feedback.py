"""The "Was this page useful?" rating: its five answers, and where a reader's answer goes.

A form endpoint receives the answer from the page's script (or, without script, from the
form itself); an issue link or an email address gets one link per answer, filled in at
build time, which the reader opens and sends. Nothing is sent unless the writer set one of
them and the reader picked an answer.
"""

from __future__ import annotations

from dataclasses import dataclass
from urllib.parse import quote

from ..i18n import N_, _
from ..model import Feedback
from .mailto import mailto


@dataclass(frozen=True)
class Rating:
    value: int
    """5 (very useful) to 1 (not useful at all), what a form endpoint receives."""
    emoji: str
    label: str
    """In English, the msgid: the template and the links translate it."""


RATINGS = (
    Rating(5, "👏", N_("Very useful")),
    Rating(4, "👍", N_("Useful")),
    Rating(3, "🤔", N_("Not sure")),
    Rating(2, "👎", N_("Not useful")),
    Rating(1, "😭", N_("Not useful at all")),
)
"""The five answers of the rating, the most useful first (as the seed's widget shows them)."""


def subject(page: str, rating: Rating) -> str:
    return _("Feedback on “{page}”: {rating}", page=page, rating=_(rating.label))


def body(page: str, rating: Rating) -> str:
    return _(
        "Page: {page}\nRating: {rating} ({value} of 5)\n\nWhat would have made this page more useful?\n",
        page=page,
        rating=_(rating.label),
        value=rating.value,
    )


def answer_link(feedback: Feedback, page: str, rating: Rating) -> str:
    """The link that sends ``rating`` of ``page`` by issue or email ("" for a form endpoint)."""
    if feedback.issue:
        fill = {"{title}": subject(page, rating), "{body}": body(page, rating)}
        link = feedback.issue
        for placeholder, text in fill.items():
            link = link.replace(placeholder, quote(text, safe=""))
        return link
    if feedback.email:
        return mailto(feedback.email, subject(page, rating), body(page, rating))
    return ""
