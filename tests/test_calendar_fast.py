"""The calendar's fast paths agree with the slow references kept here."""

from __future__ import annotations

import subprocess
import sys
import warnings
from datetime import UTC, date, datetime, timedelta
from zoneinfo import ZoneInfo

import holidays
import pytest

from support_policies import calendar


@pytest.mark.parametrize(
    ("country", "subdivision", "year"), [("US", None, 2024), ("US", "TX", 2031), ("DE", "BY", 2026)]
)
def test_country_year_equals_the_package(country: str, subdivision: str | None, year: int) -> None:
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        expected = dict(holidays.country_holidays(country, subdiv=subdivision, years=year))
    assert calendar._country_year(country, subdivision, year) == expected


def test_unknown_country_is_not_implemented() -> None:
    with pytest.raises(NotImplementedError):
        calendar._holiday_entity("XX")


def test_one_country_imports_only_its_module() -> None:
    code = (
        "import sys\n"
        "from support_policies import calendar\n"
        "calendar._country_year('US', 'TX', 2024)\n"
        "print(sorted(m for m in sys.modules if m.startswith('holidays.countries')))\n"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True).stdout
    assert out.strip() == "['holidays.countries.united_states']"


def test_the_package_still_imports_whole_afterwards() -> None:
    code = (
        "from support_policies import calendar\n"
        "calendar._country_year('US', None, 2024)\n"
        "import holidays.countries\n"
        "print(holidays.countries.Germany is not None, holidays.countries.UnitedStates is not None)\n"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True).stdout
    assert out.strip() == "True True"


ODD_ZONES = ["Australia/Lord_Howe", "Europe/Dublin", "America/Santiago", "Pacific/Apia", "Asia/Tehran"]


@pytest.mark.parametrize("name", ODD_ZONES)
@pytest.mark.parametrize("year", [2011, 2022, 2026])
def test_zone_midnights_are_where_each_local_day_begins(name: str, year: int) -> None:
    """Reference: a day begins at the first instant whose local date is that day or later."""
    zone = ZoneInfo(name)
    walls, offsets, midnights = calendar._zone_days(zone, year)
    first = date(year, 1, 1).toordinal()
    assert len(walls) == len(offsets) == len(midnights) == date(year + 1, 1, 1).toordinal() - first + 1
    epoch = datetime(1970, 1, 1, tzinfo=UTC)
    for index, midnight in enumerate(midnights):
        day = date.fromordinal(first + index)
        at = epoch + timedelta(microseconds=midnight)
        assert at.astimezone(zone).date() >= day, (name, day)
        assert (at - timedelta(microseconds=1)).astimezone(zone).date() < day, (name, day)
        assert calendar._zone_days(zone, year) is calendar._zone_days(zone, year)  # cached


def test_apia_skips_30_december_2011() -> None:
    _, _, midnights = calendar._zone_days(ZoneInfo("Pacific/Apia"), 2011)
    day = date(2011, 12, 30).toordinal() - date(2011, 1, 1).toordinal()
    assert midnights[day] == midnights[day + 1]


def _business(closed: tuple[date, ...] = (), country: str = "US") -> calendar.Calendar:
    weekdays = [[(8 * 3600, 17 * 3600)]] * 5 + [[], []]
    return calendar.Calendar("desk", "America/Chicago", weekly=weekdays, closed_dates=closed, country=country)


def test_years_of_one_shape_share_their_peak_and_others_do_not() -> None:
    """2026 and 2037 have the same weekdays, US holidays and daylight-saving days: one peak is
    worked out for both. A year of another shape never gets it, even under the same hash: here
    2026 closes a Monday (a long weekend) and 2027 a Wednesday, the same open time before each
    interval, but not the same longest wait."""
    cal = _business()
    y2026, y2037 = cal._year(2026), cal._year(2037)
    assert y2026.shape == y2037.shape and y2026.same_shape(y2037)
    spills, length = 100, 16 * 3_600_000_000
    assert cal._peak(y2026, 0, spills, length) == cal._peak(y2037, 0, spills, length)
    assert len(cal._peaks) == 1

    listed = _business((date(2026, 3, 2), date(2027, 3, 3)), country="")
    monday, wednesday = listed._year(2026), listed._year(2027)
    assert monday.before == wednesday.before and not monday.same_shape(wednesday)
    last = len(monday.ends) - 20
    alone = _business((date(2027, 3, 3),), country="")
    expected = alone._peak(alone._year(2027), 0, last, length)
    assert listed._peak(monday, 0, last, length) > expected
    object.__setattr__(wednesday, "shape", monday.shape)  # a hash collision, forced
    assert listed._peak(wednesday, 0, last, length) == expected


@pytest.mark.parametrize("duration", ["1h", "9h", "16h", "45h", "30m"])
def test_worst_waits_are_those_of_a_calendar_that_shares_no_peak(duration: str, monkeypatch) -> None:
    """The worst wait over the 28-year window with peaks shared by shape equals the one worked
    out year by year (each year its own shape)."""
    window = (datetime(2026, 1, 1, tzinfo=UTC), datetime(2054, 1, 1, tzinfo=UTC))
    shared = _business((date(2031, 3, 3),)).worst_wait(duration, *window)
    counter = iter(range(10**6))
    monkeypatch.setattr(calendar._Year, "shape", property(lambda year: next(counter)))
    assert _business((date(2031, 3, 3),)).worst_wait(duration, *window) == shared
