"""The language of generated words: gettext catalogs shipped in the package, Babel's locale
data for dates, weekdays, times, numbers and lists, and one active language while rendering.

Every word a page, download or export adds to the policy text goes through :func:`gettext`
or :func:`ngettext` (the templates call them as ``_`` and ``ngettext``); the renderer makes
its language active with :func:`use`. The msgids are the English text, so English needs no
catalog. A catalog is ``locale/<tag>/LC_MESSAGES/messages.po``, read with Babel when the
language is first used: adding a language is adding that file (see CONTRIBUTING).

The pseudo-language :data:`PSEUDO` marks every translated or formatted string with ⟦ ⟧, so a
test can find generated words that bypass the catalog.
"""

from __future__ import annotations

import functools
import gettext as _gettext
import io
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from contextvars import ContextVar
from dataclasses import dataclass
from datetime import date, datetime, time
from decimal import Decimal
from pathlib import Path
from typing import TYPE_CHECKING

if TYPE_CHECKING:  # Babel is imported when a language is first used: `check` never needs it
    from babel import Locale

CATALOGS = Path(__file__).parent / "locale"
"""Where the message catalogs live: ``<tag>/LC_MESSAGES/messages.po``."""
SOURCE = "en"
"""The language of the msgids, which needs no catalog."""
PSEUDO = "en-XA"
"""The pseudo-language of the tests: English with every generated string marked ⟦…⟧."""
FORMATS = {"en": "en_GB", PSEUDO: "en_GB"}
"""Babel locales for formatting where the language tag alone would pick another: English
text is written day-month-year with a 24-hour clock ("8 March 2027, 17:00"); a site can ask
for other conventions (``en_US``) with the plugin's ``locale`` option."""


class UnknownLanguage(ValueError):
    """A language without a catalog, or a locale Babel does not know; the message says which exist."""


@dataclass(frozen=True)
class Language:
    """One language of generated text: its tag, its translations and its formatting locale."""

    tag: str
    locale: Locale
    translations: _gettext.NullTranslations
    pseudo: bool = False

    def mark(self, text: str) -> str:
        return f"⟦{text}⟧" if self.pseudo else text


def available() -> tuple[str, ...]:
    """The languages generated words can be in: English and each shipped catalog."""
    shipped = sorted(p.parent.parent.name for p in CATALOGS.glob("*/LC_MESSAGES/messages.po"))
    return (SOURCE, *shipped)


def _tag(tag: str) -> str:
    """``de_DE`` and ``de-de`` → ``de-DE``: language tags as BCP 47 writes them."""
    parts = tag.replace("_", "-").split("-")
    return "-".join([parts[0].lower(), *(p.upper() if len(p) == 2 else p for p in parts[1:])])


@functools.cache
def language(tag: str, formats: str | None = None) -> Language:
    """The language ``tag`` (``de``, ``de-AT`` falls back to ``de``), formatting with Babel's
    locale ``formats`` when given (``en_US``), else the language's own."""
    tag = _tag(tag)
    shipped = available()
    base = tag if tag in shipped or tag == PSEUDO else tag.split("-")[0]
    if base not in shipped and tag != PSEUDO:
        raise UnknownLanguage(
            f"no catalog for the language '{tag}' (available: {', '.join(shipped)}); "
            f"add plugins/support_policies/locale/{base}/LC_MESSAGES/messages.po to translate into it"
        )
    from babel import Locale, UnknownLocaleError

    locale_name = formats or FORMATS.get(tag) or FORMATS.get(base) or tag.replace("-", "_")
    try:
        locale = Locale.parse(locale_name)
    except (UnknownLocaleError, ValueError):
        raise UnknownLanguage(f"Babel knows no locale '{locale_name}' to format dates and numbers with") from None
    if tag == PSEUDO:
        return Language(tag, locale, _Pseudo(), pseudo=True)
    translations = _catalog(base) if base != SOURCE else _gettext.NullTranslations()
    return Language(tag, locale, translations)


def _catalog(tag: str) -> _gettext.GNUTranslations:
    """A shipped ``.po`` catalog, compiled in memory (no ``.mo`` file to keep in step)."""
    from babel.messages.mofile import write_mo
    from babel.messages.pofile import read_po

    with (CATALOGS / tag / "LC_MESSAGES" / "messages.po").open("rb") as po:
        catalog = read_po(po, locale=tag)
    compiled = io.BytesIO()
    write_mo(compiled, catalog)
    compiled.seek(0)
    return _gettext.GNUTranslations(compiled)


class _Pseudo(_gettext.NullTranslations):
    def gettext(self, message: str) -> str:
        return f"⟦{message}⟧"

    def ngettext(self, msgid1: str, msgid2: str, n: int) -> str:
        return f"⟦{msgid1 if n == 1 else msgid2}⟧"


_ACTIVE: ContextVar[Language | None] = ContextVar("support_policies_language", default=None)


def active() -> Language:
    """The language being rendered (English when none was made active)."""
    return _ACTIVE.get() or language(SOURCE)


@contextmanager
def use(value: Language) -> Iterator[Language]:
    """Make ``value`` the active language for the block."""
    token = _ACTIVE.set(value)
    try:
        yield value
    finally:
        _ACTIVE.reset(token)


def translate(message: str) -> str:
    """``message`` in the active language, placeholders unfilled (English, the msgid, when none is)."""
    lang = _ACTIVE.get()
    return lang.translations.gettext(message) if lang else message


def translate_plural(singular: str, plural: str, n: int) -> str:
    """The plural form for ``n`` in the active language, placeholders unfilled."""
    lang = _ACTIVE.get()
    if lang is None:
        return singular if n == 1 else plural
    return lang.translations.ngettext(singular, plural, n)


def gettext(message: str, /, **values: object) -> str:
    """``message`` in the active language, its ``{placeholders}`` filled with ``values``."""
    text = translate(message)
    return text.format(**values) if values else text


def ngettext(singular: str, plural: str, n: int, /, **values: object) -> str:
    """The plural form for ``n`` in the active language; ``{n}`` is ``n`` as the locale writes it."""
    return translate_plural(singular, plural, n).format(n=number(n, mark=False), **values)


_ = gettext


def N_(message: str) -> str:  # noqa: N802 (gettext's name, which extraction looks for)
    """Marks a message for the catalog where it is defined; it is translated where it is used."""
    return message


def N_plural(singular: str, plural: str) -> tuple[str, str]:  # noqa: N802 (as N_)
    """Marks a message with a plural for the catalog; :func:`ngettext` picks the form where it is used."""
    return singular, plural


def number(value: int, *, mark: bool = True) -> str:
    """1200 → "1,200" (English), "1.200" (German)."""
    from babel.numbers import format_decimal

    lang = active()
    text = format_decimal(value, locale=lang.locale)
    return lang.mark(text) if mark else text


def percent(value: float) -> str:
    """99.9 → "99.9%" (English), "99,9 %" (German)."""
    from babel.numbers import format_percent

    lang = active()
    return lang.mark(format_percent(Decimal(str(value)) / 100, locale=lang.locale, decimal_quantization=False))


def long_date(value: date) -> str:
    """ "8 March 2027" (English), "8. März 2027" (German)."""
    from babel.dates import format_date

    lang = active()
    return lang.mark(format_date(value, "long", locale=lang.locale))


def day_month(month: int, day: int) -> str:
    """A yearly date without a year: "26 December" (English), "26. Dezember" (German)."""
    from babel.dates import format_date

    lang = active()
    return lang.mark(format_date(date(2000, month, day), _month_day_pattern(lang.locale), locale=lang.locale))


def _month_day_pattern(locale: Locale) -> str:
    """The locale's pattern for a day of a month ("d MMMM", "d. MMMM", "MMMM d")."""
    skeletons = locale.datetime_skeletons
    return str(skeletons["MMMMd"]) if "MMMMd" in skeletons else "d MMMM"


def clock_time(value: str | time) -> str:
    """ "8:00" or 08:00 → "08:00" (English, German), "8:00 AM" with ``locale: en_US``."""
    from babel.dates import format_time

    lang = active()
    if isinstance(value, str):
        hours, minutes = value.split(":")
        value = time(int(hours) % 24, int(minutes))
    return lang.mark(format_time(value, "short", locale=lang.locale))


def moment(value: datetime) -> str:
    """A local date and time: "Friday, 4 December 2026 16:00" (English), "Freitag, 4. Dezember 2026, 16:00"."""
    from babel.dates import format_date, format_time

    lang = active()
    text = gettext(
        "{date} {time}",
        date=format_date(value.date(), "full", locale=lang.locale),
        time=format_time(value.time(), "short", locale=lang.locale),
    )
    return lang.mark(text)


def zone(name: str) -> str:
    """An IANA time zone as readers know it, its city in their language: "America/Chicago" →
    "Chicago", "Europe/Vienna" → "Wien" (German); a zone without a city keeps its name ("UTC")."""
    from babel.dates import get_timezone_location

    lang = active()
    try:
        city = str(get_timezone_location(name, locale=lang.locale, return_city=True))
    except LookupError:
        city = name
    return lang.mark(city)


def weekday(index: int) -> str:
    """0 → "Monday" (English), "Montag" (German)."""
    lang = active()
    return lang.mark(str(lang.locale.days["format"]["wide"][index]))


def listing(items: Sequence[str], style: str = "standard") -> str:
    """["A", "B", "C"] → "A, B and C"; ``style="or"``: "A, B or C" — as the locale joins lists."""
    from babel.lists import format_list

    values = list(items)
    if len(values) <= 1:
        return "".join(values)
    lang = active()
    return lang.mark(format_list(values, style=style, locale=lang.locale))  # type: ignore[arg-type]
