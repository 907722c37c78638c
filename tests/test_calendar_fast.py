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
