"""The calendar's fast paths agree with the slow references kept here."""

from __future__ import annotations

import subprocess
import sys
import warnings

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
