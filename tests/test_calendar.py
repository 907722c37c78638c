"""The business-calendar module against written-down vectors.

Every expected time below was worked out by hand and is written as local wall-clock time
with its zone abbreviation (so the UTC offset is pinned too), or as a UTC instant. Filing
instants carry explicit UTC offsets. Nothing is recomputed with the code under test.
"""

from __future__ import annotations

import itertools
from datetime import UTC, date, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest

from support_policies import calendar
from support_policies.calendar import (
    Calendar,
    CalendarError,
    CalendarRangeError,
    calendar_for,
    deadline,
    due,
    localize,
    worst_case,
)
from support_policies.model import (
    ALWAYS,
    Duration,
    Holiday,
    Holidays,
    MaintenanceWindow,
    OpenHours,
    Organization,
    PolicySet,
    Promise,
    Schedule,
    Within,
)

UTC = UTC
CHICAGO = "America/Chicago"
LONDON = "Europe/London"
WEEKDAYS = ("mon", "tue", "wed", "thu", "fri")
EVERY_DAY = ("mon", "tue", "wed", "thu", "fri", "sat", "sun")


def at(text: str) -> datetime:
    """An instant written in ISO 8601 with its offset."""
    value = datetime.fromisoformat(text)
    assert value.tzinfo is not None
    return value


def wall(instant: datetime, zone: str = CHICAGO) -> str:
    """An instant as local wall-clock time with the zone's abbreviation: "Mon 2026-03-09 11:00 CDT"."""
    return instant.astimezone(ZoneInfo(zone)).strftime("%a %Y-%m-%d %H:%M %Z")


def schedule(*hours, zone=CHICAGO, dates=(), country="", subdivision="", always_open=False, maintenance=(), id="s"):
    return Schedule(
        id=id,
        name=id.title(),
        timezone=zone,
        always_open=always_open,
        hours=tuple(OpenHours(tuple(days), opens, closes) for days, opens, closes in hours),
        holidays=Holidays(country=country, subdivision=subdivision, dates=tuple(Holiday(d, "closed") for d in dates)),
        maintenance=tuple(maintenance),
    )


STANDARD = schedule((WEEKDAYS, "08:00", "17:00"), id="standard")


@pytest.fixture
def standard() -> Calendar:
    return Calendar.for_schedule(STANDARD)


# --- business hours on Monday–Friday 08:00–17:00, America/Chicago -------------------------------


def test_friday_1600_plus_4_business_hours_is_monday_1100(standard):
    assert wall(standard.add(at("2026-01-09T16:00-06:00"), Duration(4, "h"))) == "Mon 2026-01-12 11:00 CST"
    assert wall(standard.add(at("2026-06-12T16:00-05:00"), "4h")) == "Mon 2026-06-15 11:00 CDT"


def test_a_ticket_filed_on_saturday_starts_monday_0800(standard):
    saturday = at("2026-01-10T10:00-06:00")
    assert not standard.is_open(saturday)
    assert wall(standard.next_open(saturday)) == "Mon 2026-01-12 08:00 CST"
    assert wall(standard.add(saturday, "2h")) == "Mon 2026-01-12 10:00 CST"
    assert wall(standard.add(saturday, "30m")) == "Mon 2026-01-12 08:30 CST"


def test_open_at_the_opening_closed_at_the_closing(standard):
    assert standard.is_open(at("2026-01-12T08:00-06:00"))
    assert standard.is_open(at("2026-01-12T16:59-06:00"))
    assert not standard.is_open(at("2026-01-12T17:00-06:00"))
    assert not standard.is_open(at("2026-01-12T07:59-06:00"))
    monday = at("2026-01-12T09:15-06:00")
    assert standard.next_open(monday) == monday


def test_open_time_used_up_at_the_closing_instant_is_due_then(standard):
    assert wall(standard.add(at("2026-01-09T16:00-06:00"), "1h")) == "Fri 2026-01-09 17:00 CST"
    assert wall(standard.add(at("2026-01-09T16:00-06:00"), "61m")) == "Mon 2026-01-12 08:01 CST"


def test_24_business_hours_is_two_days_and_six_hours_of_open_time(standard):
    assert wall(standard.add(at("2026-01-12T08:00-06:00"), "24h")) == "Wed 2026-01-14 14:00 CST"


def test_a_zero_duration_is_due_at_the_next_opening(standard):
    assert wall(standard.add(at("2026-01-10T10:00-06:00"), "0m")) == "Mon 2026-01-12 08:00 CST"
    assert wall(standard.add(at("2026-01-12T10:00-06:00"), "0d")) == "Mon 2026-01-12 10:00 CST"


def test_results_are_utc_instants(standard):
    result = standard.add(at("2026-01-09T16:00-06:00"), "4h")
    assert result == datetime(2026, 1, 12, 17, 0, tzinfo=UTC)
    assert result.tzinfo is UTC


# --- DST: 24x7 clock hours are added in UTC ---------------------------------------------------------


def test_24x7_spring_forward_chicago():
    clock = Calendar.always(CHICAGO)
    filed = at("2026-03-07T23:00-06:00")  # Saturday 23:00 CST
    assert wall(clock.add(filed, "4h")) == "Sun 2026-03-08 04:00 CDT"
    assert clock.add(filed, "4h") == datetime(2026, 3, 8, 9, 0, tzinfo=UTC)
    assert wall(clock.add(filed, "1d")) == "Mon 2026-03-09 00:00 CDT"  # 24 real hours, not the same wall time


def test_24x7_fall_back_chicago():
    clock = Calendar.always(CHICAGO)
    filed = at("2026-10-31T23:00-05:00")  # Saturday 23:00 CDT
    assert wall(clock.add(filed, "4h")) == "Sun 2026-11-01 02:00 CST"
    assert clock.add(filed, "2h") == datetime(2026, 11, 1, 6, 0, tzinfo=UTC)
    assert wall(clock.add(filed, "2h")) == "Sun 2026-11-01 01:00 CDT"  # the first 01:00
    assert wall(clock.add(filed, "3h")) == "Sun 2026-11-01 01:00 CST"  # the second 01:00


def test_24x7_spring_forward_and_fall_back_london():
    clock = Calendar.always(LONDON)
    assert wall(clock.add(at("2026-03-28T23:00+00:00"), "4h"), LONDON) == "Sun 2026-03-29 04:00 BST"
    assert wall(clock.add(at("2026-10-24T23:00+01:00"), "4h"), LONDON) == "Sun 2026-10-25 02:00 GMT"
    assert wall(clock.add(at("2026-10-24T23:00+01:00"), "1w"), LONDON) == "Sat 2026-10-31 22:00 GMT"


# --- DST: business time is real elapsed time within open intervals --------------------------------


def test_an_early_interval_on_the_spring_forward_day_lasts_3_hours():
    cal = Calendar.for_schedule(schedule((["sun"], "00:00", "04:00")))
    filed = at("2026-03-07T12:00-06:00")
    assert list(cal.open_intervals(filed, at("2026-03-09T00:00-05:00"))) == [
        (datetime(2026, 3, 8, 6, 0, tzinfo=UTC), datetime(2026, 3, 8, 9, 0, tzinfo=UTC))
    ]
    assert wall(cal.add(filed, "3h")) == "Sun 2026-03-08 04:00 CDT"
    assert wall(cal.add(filed, "4h")) == "Sun 2026-03-15 01:00 CDT"


def test_an_early_interval_on_the_fall_back_day_lasts_5_hours():
    cal = Calendar.for_schedule(schedule((["sun"], "00:00", "04:00")))
    filed = at("2026-10-31T12:00-05:00")
    assert list(cal.open_intervals(filed, at("2026-11-02T00:00-06:00"))) == [
        (datetime(2026, 11, 1, 5, 0, tzinfo=UTC), datetime(2026, 11, 1, 10, 0, tzinfo=UTC))
    ]
    assert wall(cal.add(filed, "270m")) == "Sun 2026-11-01 03:30 CST"
    assert wall(cal.add(filed, "5h")) == "Sun 2026-11-01 04:00 CST"


def test_an_overnight_interval_across_spring_forward_chicago():
    cal = Calendar.for_schedule(schedule((["sat"], "22:00", "06:00")))
    filed = at("2026-03-07T12:00-06:00")
    # Sat 22:00 CST (04:00Z) to Sun 06:00 CDT (11:00Z): 7 real hours
    assert wall(cal.add(filed, "7h")) == "Sun 2026-03-08 06:00 CDT"
    assert wall(cal.add(filed, "8h")) == "Sat 2026-03-14 23:00 CDT"


def test_an_overnight_interval_across_fall_back_chicago():
    cal = Calendar.for_schedule(schedule((["sat"], "22:00", "06:00")))
    filed = at("2026-10-31T12:00-05:00")
    # Sat 22:00 CDT (03:00Z) to Sun 06:00 CST (12:00Z): 9 real hours
    assert wall(cal.add(filed, "8h")) == "Sun 2026-11-01 05:00 CST"
    assert wall(cal.add(filed, "9h")) == "Sun 2026-11-01 06:00 CST"
    assert wall(cal.add(filed, "10h")) == "Sat 2026-11-07 23:00 CST"


def test_an_opening_in_the_spring_forward_gap_opens_at_the_change():
    cal = Calendar.for_schedule(schedule((["sun"], "02:30", "05:00")))
    filed = at("2026-03-07T12:00-06:00")
    assert wall(cal.next_open(filed)) == "Sun 2026-03-08 03:00 CDT"
    assert wall(cal.add(filed, "2h")) == "Sun 2026-03-08 05:00 CDT"
    london = Calendar.for_schedule(schedule((["sun"], "01:30", "05:00"), zone=LONDON))
    assert wall(london.next_open(at("2026-03-28T12:00+00:00")), LONDON) == "Sun 2026-03-29 02:00 BST"


def test_a_repeated_fall_back_time_means_its_first_occurrence():
    cal = Calendar.for_schedule(schedule((["sun"], "01:30", "03:00")))
    filed = at("2026-10-31T12:00-05:00")
    assert wall(cal.next_open(filed)) == "Sun 2026-11-01 01:30 CDT"
    assert wall(cal.add(filed, "150m")) == "Sun 2026-11-01 03:00 CST"  # 06:30Z to 09:00Z
    assert localize(datetime(2026, 11, 1, 1, 30), CHICAGO) == datetime(2026, 11, 1, 6, 30, tzinfo=UTC)
    assert localize(datetime(2026, 3, 8, 2, 30), CHICAGO) == datetime(2026, 3, 8, 8, 0, tzinfo=UTC)


def test_overnight_hours_across_london_spring_forward_and_fall_back():
    cal = Calendar.for_schedule(schedule((EVERY_DAY, "22:00", "06:00"), zone=LONDON))
    # Sat 28 Mar 22:00 GMT (22:00Z) to Sun 06:00 BST (05:00Z): 7 real hours
    assert wall(cal.add(at("2026-03-28T22:00+00:00"), "7h"), LONDON) == "Sun 2026-03-29 06:00 BST"
    assert wall(cal.add(at("2026-03-28T22:00+00:00"), "8h"), LONDON) == "Sun 2026-03-29 23:00 BST"
    # Sat 24 Oct 22:00 BST (21:00Z) to Sun 06:00 GMT (06:00Z): 9 real hours
    assert wall(cal.add(at("2026-10-24T22:00+01:00"), "8h"), LONDON) == "Sun 2026-10-25 05:00 GMT"
    assert wall(cal.add(at("2026-10-24T22:00+01:00"), "9h"), LONDON) == "Sun 2026-10-25 06:00 GMT"
    assert wall(cal.add(at("2026-10-24T22:00+01:00"), "10h"), LONDON) == "Sun 2026-10-25 23:00 GMT"


# --- overnight intervals, 24:00 and merging ----------------------------------------------------------


def test_overnight_interval_2200_to_0600_on_weekdays():
    cal = Calendar.for_schedule(schedule((WEEKDAYS, "22:00", "06:00"), zone=LONDON))
    assert cal.is_open(at("2026-01-10T05:59+00:00"))  # Saturday morning: Friday's night shift
    assert not cal.is_open(at("2026-01-10T06:00+00:00"))
    assert wall(cal.add(at("2026-01-05T23:00+00:00"), "2h"), LONDON) == "Tue 2026-01-06 01:00 GMT"
    assert wall(cal.add(at("2026-01-09T23:00+00:00"), "8h"), LONDON) == "Mon 2026-01-12 23:00 GMT"
    assert wall(cal.next_open(at("2026-01-11T12:00+00:00")), LONDON) == "Mon 2026-01-12 22:00 GMT"


def test_touching_and_overlapping_intervals_merge_and_2400_is_midnight():
    cal = Calendar.for_schedule(
        schedule(
            (["mon"], "08:00", "12:00"),
            (["mon"], "11:00", "17:00"),
            (["mon"], "17:00", "18:00"),
            (["tue"], "20:00", "24:00"),
            (["wed"], "00:00", "02:00"),
        )
    )
    intervals = list(cal.open_intervals(at("2026-01-12T00:00-06:00"), at("2026-01-15T00:00-06:00")))
    assert [(wall(a), wall(b)) for a, b in intervals] == [
        ("Mon 2026-01-12 08:00 CST", "Mon 2026-01-12 18:00 CST"),
        ("Tue 2026-01-13 20:00 CST", "Wed 2026-01-14 02:00 CST"),
    ]


def test_open_intervals_are_clipped_to_the_range(standard):
    intervals = list(standard.open_intervals(at("2026-01-12T09:00-06:00"), at("2026-01-13T10:00-06:00")))
    assert [(wall(a), wall(b)) for a, b in intervals] == [
        ("Mon 2026-01-12 09:00 CST", "Mon 2026-01-12 17:00 CST"),
        ("Tue 2026-01-13 08:00 CST", "Tue 2026-01-13 10:00 CST"),
    ]
    assert list(standard.open_intervals(at("2026-01-13T10:00-06:00"), at("2026-01-12T09:00-06:00"))) == []


def test_equal_opening_and_closing_is_empty_but_0000_to_2400_is_the_whole_day():
    cal = Calendar.for_schedule(schedule((["mon"], "08:00", "08:00"), (["tue"], "00:00", "24:00")))
    assert not cal.is_open(at("2026-01-12T08:00-06:00"))
    assert wall(cal.add(at("2026-01-12T08:00-06:00"), "24h")) == "Wed 2026-01-14 00:00 CST"


# --- holidays ----------------------------------------------------------------------------------------


def test_an_explicit_holiday_is_skipped():
    cal = Calendar.for_schedule(schedule((WEEKDAYS, "08:00", "17:00"), dates=["2026-12-24"]))
    assert cal.is_holiday(date(2026, 12, 24))
    assert not cal.is_open(at("2026-12-24T10:00-06:00"))
    assert wall(cal.add(at("2026-12-23T16:00-06:00"), "4h")) == "Fri 2026-12-25 11:00 CST"


def test_a_us_public_holiday_is_skipped_but_the_friday_after_thanksgiving_is_open():
    cal = Calendar.for_schedule(schedule((WEEKDAYS, "08:00", "17:00"), country="US"))
    assert cal.is_holiday(date(2026, 11, 26))
    assert not cal.is_holiday(date(2026, 11, 27))
    assert not cal.is_open(at("2026-11-26T10:00-06:00"))
    assert wall(cal.add(at("2026-11-25T16:00-06:00"), "4h")) == "Fri 2026-11-27 11:00 CST"
    assert wall(cal.add(at("2026-12-23T16:00-06:00"), "4h")) == "Thu 2026-12-24 11:00 CST"
    assert wall(cal.add(at("2026-12-24T16:00-06:00"), "4h")) == "Mon 2026-12-28 11:00 CST"


def test_a_subdivision_adds_its_own_holidays():
    texas = Calendar.for_schedule(schedule((WEEKDAYS, "08:00", "17:00"), country="US", subdivision="TX"))
    assert texas.is_holiday(date(2026, 11, 27))  # Friday After Thanksgiving, a Texas state holiday
    assert wall(texas.add(at("2026-11-25T16:00-06:00"), "4h")) == "Mon 2026-11-30 11:00 CST"


def test_the_sample_standard_hours_close_on_christmas_eve_and_christmas():
    cal = Calendar.for_schedule(
        schedule((WEEKDAYS, "08:00", "17:00"), country="US", dates=["2026-12-24", "2026-12-31"])
    )
    assert wall(cal.add(at("2026-12-23T16:00-06:00"), "4h")) == "Mon 2026-12-28 11:00 CST"


def test_a_holiday_closes_the_whole_local_day_even_inside_an_overnight_interval():
    cal = Calendar.for_schedule(schedule((WEEKDAYS, "22:00", "06:00"), zone=LONDON, dates=["2026-01-06"]))
    intervals = list(cal.open_intervals(at("2026-01-05T12:00+00:00"), at("2026-01-07T12:00+00:00")))
    assert [(wall(a, LONDON), wall(b, LONDON)) for a, b in intervals] == [
        ("Mon 2026-01-05 22:00 GMT", "Tue 2026-01-06 00:00 GMT"),
        ("Wed 2026-01-07 00:00 GMT", "Wed 2026-01-07 06:00 GMT"),
    ]


def test_maintenance_windows_do_not_close_the_calendar():
    nightly = MaintenanceWindow("nightly", ("tue", "thu"), "02:00", "04:00")
    cal = Calendar.for_schedule(schedule(always_open=True, zone="America/New_York", maintenance=[nightly]))
    assert cal.round_the_clock
    assert cal.maintenance == (nightly,)
    assert cal.is_open(at("2026-01-13T03:00-05:00"))
    business = Calendar.for_schedule(schedule((WEEKDAYS, "00:00", "24:00"), maintenance=[nightly]))
    assert business.is_open(at("2026-01-13T03:00-06:00"))


def test_an_always_open_schedule_with_holidays_closes_on_them():
    cal = Calendar.for_schedule(schedule(always_open=True, dates=["2026-12-25"]))
    assert not cal.round_the_clock
    assert not cal.is_open(at("2026-12-25T12:00-06:00"))
    assert wall(cal.add(at("2026-12-24T22:00-06:00"), "4h")) == "Sat 2026-12-26 02:00 CST"


# --- 24x7 and policies --------------------------------------------------------------------------------


def _policy(*schedules, zone=CHICAGO):
    return PolicySet(organization=Organization(name="Acme", timezone=zone) if zone else None, schedules=schedules)


def test_the_24x7_clock_uses_the_organization_zone():
    clock = calendar_for(_policy(), ALWAYS)
    assert clock.round_the_clock and clock.zone.key == CHICAGO and clock.name == "24x7"
    assert calendar_for(_policy(zone=None), ALWAYS).zone.key == "UTC"
    assert clock.is_open(at("2026-12-25T03:00-06:00"))
    promise = Promise(Within(Duration(4, "h")), ALWAYS)
    assert wall(due(_policy(), promise, at("2026-03-07T23:00-06:00"))) == "Sun 2026-03-08 04:00 CDT"


def test_a_schedule_id_is_a_clock_and_unknown_ids_are_errors():
    policy = _policy(STANDARD)
    assert calendar_for(policy, "standard").name == "Standard"
    assert calendar_for(policy, "standard") is calendar_for(policy, "standard")
    with pytest.raises(CalendarError, match="no schedule has the id 'nope'"):
        calendar_for(policy, "nope")


def test_a_range_is_due_at_its_upper_bound():
    policy = _policy(STANDARD)
    promise = Promise(Within(Duration(2, "h"), Duration(5, "m")), ALWAYS)
    filed = at("2026-01-10T10:00-06:00")
    assert wall(due(policy, promise, filed)) == "Sat 2026-01-10 12:00 CST"
    answer = deadline(policy, promise, filed)
    assert wall(answer.typically_from) == "Sat 2026-01-10 10:05 CST"
    assert wall(answer.due) == "Sat 2026-01-10 12:00 CST"
    business = Promise(Within(Duration(2, "h"), Duration(5, "m")), "standard")
    answer = deadline(policy, business, filed)
    assert wall(answer.starts_at) == "Mon 2026-01-12 08:00 CST"
    assert wall(answer.typically_from) == "Mon 2026-01-12 08:05 CST"
    assert wall(answer.due) == "Mon 2026-01-12 10:00 CST"


# --- business days and weeks ---------------------------------------------------------------------------


def test_one_business_day_filed_while_open_is_the_same_time_on_the_next_open_day(standard):
    assert wall(standard.add(at("2026-01-07T10:00-06:00"), "1d")) == "Thu 2026-01-08 10:00 CST"
    assert wall(standard.add(at("2026-01-09T16:30-06:00"), "1d")) == "Mon 2026-01-12 16:30 CST"
    assert wall(standard.add(at("2026-01-07T10:00-06:00"), "3d")) == "Mon 2026-01-12 10:00 CST"


def test_one_business_day_filed_while_closed_is_the_closing_of_the_first_open_day(standard):
    assert wall(standard.add(at("2026-01-10T10:00-06:00"), "1d")) == "Mon 2026-01-12 17:00 CST"
    assert wall(standard.add(at("2026-01-12T07:00-06:00"), "1d")) == "Mon 2026-01-12 17:00 CST"
    assert wall(standard.add(at("2026-01-09T18:00-06:00"), "2d")) == "Tue 2026-01-13 17:00 CST"


def test_business_days_stay_inside_the_due_days_open_span():
    cal = Calendar.for_schedule(schedule((["mon"], "08:00", "17:00"), (["tue"], "12:00", "15:00")))
    assert wall(cal.add(at("2026-01-12T09:00-06:00"), "1d")) == "Tue 2026-01-13 12:00 CST"
    assert wall(cal.add(at("2026-01-12T13:00-06:00"), "1d")) == "Tue 2026-01-13 13:00 CST"
    assert wall(cal.add(at("2026-01-12T16:30-06:00"), "1d")) == "Tue 2026-01-13 15:00 CST"


def test_business_days_skip_holidays_and_keep_the_wall_clock_across_dst():
    us = Calendar.for_schedule(schedule((WEEKDAYS, "08:00", "17:00"), country="US"))
    assert wall(us.add(at("2026-11-25T10:00-06:00"), "1d")) == "Fri 2026-11-27 10:00 CST"
    assert wall(us.add(at("2026-03-06T10:00-06:00"), "1d")) == "Mon 2026-03-09 10:00 CDT"


def test_a_week_is_seven_days_of_elapsed_time_from_the_next_opening(standard):
    assert wall(standard.add(at("2026-01-07T10:00-06:00"), "1w")) == "Wed 2026-01-14 10:00 CST"
    assert wall(standard.add(at("2026-01-10T10:00-06:00"), "1w")) == "Mon 2026-01-19 08:00 CST"
    assert wall(standard.add(at("2026-03-04T10:00-06:00"), "1w")) == "Wed 2026-03-11 11:00 CDT"


# --- worst case ---------------------------------------------------------------------------------------

JUNE = (at("2026-06-01T00:00+00:00"), at("2026-07-01T00:00+00:00"))


def test_worst_case_on_24x7_is_the_duration():
    promise = Promise(Within(Duration(4, "h"), Duration(5, "m")), ALWAYS)
    assert worst_case(_policy(), promise, *JUNE) == timedelta(hours=4)


def test_worst_case_of_2_business_hours_is_friday_1700_to_monday_1000():
    promise = Promise(Within(Duration(2, "h")), "standard")
    assert worst_case(_policy(STANDARD), promise, *JUNE) == timedelta(hours=65)


def test_worst_case_sees_the_extra_hour_of_fall_back_and_holidays():
    two_hours = Promise(Within(Duration(2, "h")), "standard")
    autumn = (at("2026-10-15T00:00+00:00"), at("2026-11-15T00:00+00:00"))
    # Fri 2026-10-30 17:00 CDT → Mon 2026-11-02 10:00 CST
    assert worst_case(_policy(STANDARD), two_hours, *autumn) == timedelta(hours=66)
    sample = schedule((WEEKDAYS, "08:00", "17:00"), country="US", dates=["2026-12-24", "2026-12-31"], id="standard")
    december = (at("2026-12-01T00:00+00:00"), at("2027-01-01T00:00+00:00"))
    # Wed 2026-12-23 17:00 → Mon 2026-12-28 10:00
    assert worst_case(_policy(sample), two_hours, *december) == timedelta(days=4, hours=17)


def test_worst_case_of_business_days(standard):
    # Friday 08:00 + 1d = Monday 08:00, and Friday 17:00 (closed) + 1d = Monday 17:00
    assert standard.worst_wait("1d", *JUNE) == timedelta(hours=72)
    assert standard.worst_wait("1w", *JUNE) == timedelta(days=7, hours=63)  # Fri 17:00 → Mon 08:00 + 7 days


def test_worst_case_of_an_empty_window_is_zero(standard):
    assert standard.worst_wait("2h", JUNE[1], JUNE[0]) == timedelta(0)


@pytest.mark.parametrize(
    "hours, zone, duration, window",
    [
        ([(WEEKDAYS, "08:00", "17:00")], CHICAGO, "2h", ("2026-10-28T00:00+00:00", "2026-11-04T00:00+00:00")),
        (
            [(WEEKDAYS, "22:00", "06:00"), (["sat"], "10:00", "12:00")],
            LONDON,
            "9h",
            ("2026-03-25T00:00+00:00", "2026-04-01T00:00+00:00"),
        ),
        (
            [(["mon", "wed", "fri"], "09:30", "13:00"), (["wed"], "20:00", "02:00")],
            CHICAGO,
            "1d",
            ("2026-03-03T00:00+00:00", "2026-03-12T00:00+00:00"),
        ),
        (
            [(["sun", "mon"], "00:00", "03:00"), (["sat"], "23:00", "24:00")],
            CHICAGO,
            "2d",
            ("2026-10-27T00:00+00:00", "2026-11-04T00:00+00:00"),
        ),
    ],
)
def test_worst_case_candidates_agree_with_checking_every_minute(hours, zone, duration, window):
    cal = Calendar.for_schedule(schedule(*hours, zone=zone))
    start, end = at(window[0]), at(window[1])
    brute, t = timedelta(0), start
    while t < end:
        brute = max(brute, cal.add(t, duration) - t)
        t += timedelta(minutes=1)
    assert cal.worst_wait(duration, start, end) == brute


def test_a_long_promise_is_counted_in_open_days_not_walked(standard):
    # 9,999 business hours are 1,111 full days of 9 hours: from Monday 08:00, the closing of
    # the 1,111th weekday, which is a Monday 222 weeks and a day later (no holidays).
    due = standard.add(at("2026-01-05T08:00-06:00"), "9999h")
    assert wall(due) == f"Mon {date(2026, 1, 5) + timedelta(weeks=222):%Y-%m-%d} 17:00 CDT"
    week = (at("2026-06-01T00:00+00:00"), at("2026-06-08T00:00+00:00"))
    brute, t = timedelta(0), week[0]
    while t < week[1]:
        brute = max(brute, standard.add(t, "9999h") - t)
        t += timedelta(minutes=1)
    assert standard.worst_wait("9999h", *week) == brute == timedelta(weeks=222, hours=72)


# --- errors -------------------------------------------------------------------------------------------


def test_a_schedule_without_open_hours_is_an_error():
    with pytest.raises(CalendarError, match="no open hours"):
        Calendar.for_schedule(schedule())
    with pytest.raises(CalendarError, match="no open hours"):
        Calendar.for_schedule(schedule((WEEKDAYS, "09:00", "09:00")))


def test_an_unknown_country_or_subdivision_is_an_error():
    with pytest.raises(CalendarError, match="does not know the country 'XX'"):
        Calendar.for_schedule(schedule((WEEKDAYS, "08:00", "17:00"), country="XX"))
    with pytest.raises(CalendarError, match="'ZZ' is not a subdivision of US"):
        Calendar.for_schedule(schedule((WEEKDAYS, "08:00", "17:00"), country="US", subdivision="ZZ"))
    assert issubclass(CalendarError, ValueError)


def test_a_calendar_whose_every_open_day_is_a_holiday_stops_after_five_years():
    mondays = [(date(2026, 1, 5) + timedelta(weeks=i)).isoformat() for i in range(52 * 7)]
    cal = Calendar.for_schedule(schedule((["mon"], "08:00", "17:00"), dates=mondays))
    filed = at("2026-01-01T00:00-06:00")
    with pytest.raises(CalendarError, match="five years"):
        cal.add(filed, "1h")
    with pytest.raises(CalendarError, match="five years"):
        cal.next_open(filed)
    with pytest.raises(CalendarError, match="five years"):
        cal.add(filed, "1d")


def test_an_absurd_duration_stops_after_five_years(standard):
    with pytest.raises(CalendarError, match="five years"):
        standard.add(at("2026-01-01T00:00-06:00"), Duration(100_000, "h"))


@pytest.mark.parametrize(
    "instant",
    [
        datetime.min.replace(tzinfo=UTC),
        datetime.max.replace(tzinfo=UTC),
        at("0001-01-01T00:00+05:00"),
        at("9999-12-31T23:59-05:00"),
        at("0001-01-01T23:59+00:00"),
        at("9998-12-31T00:00+00:00"),
    ],
)
def test_instants_outside_the_range_are_calendar_errors_not_overflows(standard, instant):
    for cal in (standard, Calendar.always(CHICAGO)):
        for call in (
            lambda cal=cal: cal.add(instant, "4h"),
            lambda cal=cal: cal.add(instant, "1d"),
            lambda cal=cal: cal.next_open(instant),
            lambda cal=cal: cal.is_open(instant),
            lambda cal=cal: list(cal.open_intervals(instant, instant)),
            lambda cal=cal: cal.worst_wait("4h", instant, instant),
        ):
            with pytest.raises(
                CalendarRangeError, match="outside the range the calendar can compute: 0001-01-02 to 9998-12-30 UTC"
            ):
                call()
    assert issubclass(CalendarRangeError, CalendarError)


def test_due_times_and_waits_past_the_range_are_calendar_errors(standard):
    late = at("9998-12-30T23:00+00:00")
    with pytest.raises(CalendarRangeError, match="the due time of 2h from 9998-12-30T23:00:00"):
        Calendar.always(CHICAGO).add(late, "2h")
    with pytest.raises(CalendarRangeError):
        standard.add(late, "2h")
    with pytest.raises(CalendarRangeError):
        Calendar.always().add(at("2026-01-01T00:00+00:00"), Duration(10**9, "w"))
    with pytest.raises(CalendarRangeError, match="a wait of 1000000000000w"):
        Calendar.always().worst_wait(Duration(10**12, "w"), *JUNE)
    with pytest.raises(CalendarRangeError):
        localize(datetime(1, 1, 1), "Asia/Tokyo")
    with pytest.raises(CalendarRangeError):
        localize(datetime(9999, 12, 31, 23, 59), CHICAGO)
    first = at("0001-01-02T00:00+00:00")
    # Mon 0001-01-01 18:09 in Chicago's local mean time (UTC-5:50:36): due Tue 10:00 LMT
    assert standard.add(first, "2h") == datetime(1, 1, 2, 15, 50, 36, tzinfo=UTC)
    assert wall(standard.add(at("9998-12-29T12:00-06:00"), "1h")) == "Tue 9998-12-29 13:00 CST"


def test_naive_datetimes_and_unknown_zones_are_errors(standard):
    with pytest.raises(CalendarError, match="no time zone"):
        standard.is_open(datetime(2026, 1, 12, 9, 0))
    with pytest.raises(CalendarError, match="did you mean Europe/London"):
        calendar.get_zone("Europe/Londn")
    with pytest.raises(CalendarError, match="not a known time zone"):
        Calendar.for_schedule(schedule((WEEKDAYS, "08:00", "17:00"), zone="Mars/Olympus"))


# --- weekly intervals as written ---------------------------------------------------------------


@pytest.mark.parametrize(
    ("days", "opens", "closes", "expected"),
    [
        pytest.param(("mon", "fri"), "08:00", "17:00", ((0, 4), 480, 1020), id="a day's hours"),
        pytest.param(("sun",), "22:00", "06:00", ((6,), 1320, 1800), id="overnight runs into Monday"),
        pytest.param(("sun",), "24:00", "02:00", ((0,), 0, 120), id="24:00 is the next day's midnight"),
        pytest.param(("tue",), "00:00", "24:00", ((1,), 0, 1440), id="a whole day"),
        pytest.param(("tue",), "09:00", "09:00", None, id="empty"),
    ],
)
def test_a_weekly_interval_reads_as_written(days, opens, closes, expected):
    interval = calendar.WeeklyInterval.of(days, opens, closes)
    assert (interval and (interval.weekdays, interval.start, interval.end)) == expected


def test_a_weekly_interval_occurs_as_the_clock_counts_it():
    """Sunday 22:00–06:00 in Chicago on the fall-back day (CST by then); a closed Monday cuts it at midnight."""
    interval = calendar.WeeklyInterval.of(("sun",), "22:00", "06:00")
    day = date(2026, 11, 1)
    assert interval.wall(day) == (datetime(2026, 11, 1, 22), datetime(2026, 11, 2, 6))
    assert interval.actual(day, CHICAGO, lambda d: False) == (
        datetime(2026, 11, 2, 4, tzinfo=UTC),
        datetime(2026, 11, 2, 12, tzinfo=UTC),
    )
    assert interval.actual(day, CHICAGO, lambda d: d == date(2026, 11, 2)) == (
        datetime(2026, 11, 2, 4, tzinfo=UTC),
        datetime(2026, 11, 2, 6, tzinfo=UTC),
    )
    assert interval.actual(day, CHICAGO, lambda d: True) is None


# --- issue 12: spans across zones, unions, regions, special hours, worked holidays ----------------

import functools  # noqa: E402
from bisect import bisect_left as _bisect_left  # noqa: E402
from itertools import accumulate as _accumulate  # noqa: E402

from support_policies.calendar import calendars  # noqa: E402
from support_policies.model import RegionSchedule, Span, SpanEnd, SpecialHours, TimeRange  # noqa: E402

SYDNEY, LOS_ANGELES, TOKYO = "Australia/Sydney", "America/Los_Angeles", "Asia/Tokyo"
GLOBAL_WEEK = Schedule(
    id="global",
    name="Global weekdays",
    timezone=LOS_ANGELES,
    spans=(Span(from_=SpanEnd("mon", "10:00", SYDNEY), until=SpanEnd("fri", "17:00", LOS_ANGELES)),),
)
AMERICAS = schedule((WEEKDAYS, "09:00", "17:00"), zone="America/New_York", country="US", id="americas")
EMEA = schedule((WEEKDAYS, "09:00", "17:00"), zone=LONDON, country="GB", id="emea")
APAC = schedule((WEEKDAYS, "09:00", "18:00"), zone=TOKYO, id="apac")
SUN = Schedule(id="sun", name="Follow the sun", timezone="UTC", combines=("americas", "emea", "apac"))
REGIONAL = Schedule(
    id="regional",
    name="Your regional office",
    timezone="UTC",
    by_region=(RegionSchedule("Americas", "americas"), RegionSchedule("EMEA", "emea")),
)
EXCHANGE = Schedule(
    id="exchange",
    name="Exchange hours",
    timezone="America/New_York",
    hours=(OpenHours(WEEKDAYS, "09:30", "12:00"), OpenHours(WEEKDAYS, "13:00", "16:00")),
    holidays=Holidays(country="US", except_=("Columbus Day", "2026-11-11")),
    special_hours=(
        SpecialHours(name="Christmas Eve", date="2026-12-24", hours=(TimeRange("09:30", "13:00"),)),
        SpecialHours(name="Boxing Day opening", yearly="12-26", hours=(TimeRange("10:00", "14:00"),)),
        SpecialHours(name="Thanksgiving opening", yearly="11-26", hours=(TimeRange("10:00", "14:00"),)),
        SpecialHours(name="Stocktaking", date="2026-11-26", hours=()),
    ),
)


def policy_of(*schedules: Schedule) -> PolicySet:
    return PolicySet(organization=Organization(name="Example", timezone="UTC"), schedules=schedules)


def test_a_span_between_zones_lasts_as_both_zones_keep_their_clocks():
    """Monday 10:00 Sydney to Friday 17:00 Los Angeles: 5 d 2 h (AEDT, PST), 5 d 1 h (AEDT, PDT), 5 d (AEST, PDT)."""
    cal = Calendar.for_schedule(GLOBAL_WEEK)
    weeks = list(cal.open_intervals(at("2026-01-04T00:00:00+00:00"), at("2026-05-10T00:00:00+00:00")))
    lengths = {(a.date().isoformat(), b - a) for a, b in weeks}
    assert ("2026-01-04", timedelta(days=5, hours=2)) in lengths
    assert ("2026-03-15", timedelta(days=5, hours=1)) in lengths
    assert ("2026-05-04", timedelta(days=5)) in lengths
    assert wall(weeks[0][0], SYDNEY) == "Mon 2026-01-05 10:00 AEDT"
    assert wall(weeks[0][1], LOS_ANGELES) == "Fri 2026-01-09 17:00 PST"
    # Friday 16:00 Pacific + 2 business hours: one hour that day, then the next Monday 10:00 Sydney + 1 h.
    due_at = cal.add(at("2026-05-08T16:00:00-07:00"), "2h")
    assert wall(due_at, SYDNEY) == "Mon 2026-05-11 11:00 AEST"


def test_a_union_is_open_when_any_office_is_and_keeps_each_offices_holidays():
    policy = policy_of(AMERICAS, EMEA, APAC, SUN)
    cal = calendar_for(policy, "sun")
    # Friday 17:30 London: London has closed, New York is open until 17:00 EDT (21:00 UTC).
    assert cal.is_open(at("2026-06-05T17:30:00+01:00"))
    assert not cal.is_open(at("2026-06-05T21:00:00+00:00"))
    # Saturday: every office is closed until Monday 09:00 Tokyo (Sunday 24:00 UTC).
    assert cal.next_open(at("2026-06-06T12:00:00+00:00")) == at("2026-06-08T00:00:00+00:00")
    # 25 December: every office is closed by its own holidays except Tokyo, which lists none.
    assert cal.is_open(at("2026-12-25T09:30:00+09:00"))
    assert not cal.is_open(at("2026-12-25T10:00:00-05:00"))
    # Friday 20:00 UTC + 2 business hours: one hour in New York, then Monday 09:00 Tokyo + 1 h.
    assert cal.add(at("2026-06-05T20:00:00+00:00"), "2h") == at("2026-06-08T01:00:00+00:00")


def test_a_union_that_combines_itself_or_a_regional_schedule_is_refused():
    loop = Schedule(id="loop", name="Loop", timezone="UTC", combines=("sun", "loop"))
    sun = Schedule(id="sun", name="Sun", timezone="UTC", combines=("americas", "loop"))
    with pytest.raises(CalendarError, match="combines itself"):
        calendar_for(policy_of(AMERICAS, loop, sun), "sun")
    with pytest.raises(CalendarError, match="depends on the customer's region"):
        calendar_for(policy_of(AMERICAS, EMEA, REGIONAL, Schedule("u", "U", "UTC", combines=("regional",))), "u")
    with pytest.raises(CalendarError, match="no schedule has that id"):
        calendar_for(policy_of(Schedule("u", "U", "UTC", combines=("nowhere",))), "u")


def test_a_regional_clock_is_the_regions_schedule():
    policy = policy_of(AMERICAS, EMEA, REGIONAL)
    assert calendar_for(policy, "regional", "emea").id == "emea"
    assert calendar_for(policy, "regional", "Americas").id == "americas"
    assert calendar_for(policy, "americas", "EMEA").id == "americas"  # other clocks ignore the region
    with pytest.raises(CalendarError, match=r"depends on the customer's region \(Americas, EMEA\)"):
        calendar_for(policy, "regional")
    with pytest.raises(CalendarError, match="no hours for the region 'APAC'; it knows Americas, EMEA"):
        calendar_for(policy, "regional", "APAC")
    assert {region: cal.id for region, cal in calendars(policy, "regional").items()} == {
        "Americas": "americas",
        "EMEA": "emea",
    }
    assert {region: cal.id for region, cal in calendars(policy, "americas").items()} == {None: "americas"}


def test_special_hours_replace_a_day_and_win_over_holidays():
    cal = Calendar.for_schedule(EXCHANGE)
    ny = "America/New_York"

    def day(text: str) -> list[str]:
        start = localize(datetime.fromisoformat(text), ny)
        return [
            f"{wall(a, ny)[-9:-4]}–{wall(b, ny)[-9:-4]}"
            for a, b in cal.open_intervals(start, start + timedelta(days=1))
        ]

    assert day("2026-12-23") == ["09:30–12:00", "13:00–16:00"]  # a lunch break
    assert day("2026-12-24") == ["09:30–13:00"]  # an early close, on a date
    assert day("2026-12-25") == []  # Christmas Day, a US public holiday
    assert day("2027-12-24") == []  # the early close was for 2026 only; the observed Christmas closes it
    assert day("2026-12-26") == ["10:00–14:00"]  # a yearly special opening, on a Saturday
    assert day("2026-11-26") == []  # the date's own entry wins over the yearly one (Thanksgiving)
    assert day("2027-11-26") == ["10:00–14:00"]  # a yearly opening on a workday (the day after Thanksgiving)
    assert day("2027-11-25") == []  # Thanksgiving 2027
    assert day("2026-10-12") == ["09:30–12:00", "13:00–16:00"]  # Columbus Day is worked (by name)
    assert day("2026-11-11") == ["09:30–12:00", "13:00–16:00"]  # Veterans Day 2026 is worked (by date)
    assert day("2027-11-11") == []  # …but not in 2027
    # 12:00 on Christmas Eve + 2 h: one hour until 13:00, then the Saturday opening 10:00 + 1 h.
    assert cal.add(at("2026-12-24T12:00:00-05:00"), "2h") == localize(datetime(2026, 12, 26, 11, 0), ny)
    # the closed dates: the country's less the worked ones and the dates with special hours (listed there)
    assert [d.isoformat() for d, _ in cal.holidays_in(2026)][-3:] == ["2026-07-04", "2026-09-07", "2026-12-25"]
    assert ("2026-10-12", "Columbus Day") not in [(d.isoformat(), n) for d, n in cal.holidays_in(2026)]
    assert [(d.isoformat(), name) for d, name, _ in cal.special_in(2026)] == [
        ("2026-11-26", "Stocktaking"),
        ("2026-12-24", "Christmas Eve"),
        ("2026-12-26", "Boxing Day opening"),
    ]


def test_special_hours_that_run_overnight_or_fall_on_no_date_are_refused():
    with pytest.raises(CalendarError, match="do not close after they open"):
        Calendar.for_schedule(
            Schedule(
                "s",
                "S",
                CHICAGO,
                hours=STANDARD.hours,
                special_hours=(SpecialHours("x", "2026-01-02", "", (TimeRange("22:00", "02:00"),)),),
            )
        )
    with pytest.raises(CalendarError, match="'02-30' is not a month and day"):
        Calendar.for_schedule(
            Schedule("s", "S", CHICAGO, hours=STANDARD.hours, special_hours=(SpecialHours("x", yearly="02-30"),))
        )


@functools.cache
def _public_holidays(country: str, year: int) -> frozenset[date]:
    import holidays as package

    return frozenset(package.country_holidays(country, years=year))


def _naive_open(minute: datetime) -> bool:
    """Independent of the module: each office's wall clock, weekday and holidays, read with zoneinfo."""
    for zone, country, (opens, closes) in (
        ("America/New_York", "US", (9, 17)),
        (LONDON, "GB", (9, 17)),
        (TOKYO, "", (9, 18)),
    ):
        local = minute.astimezone(ZoneInfo(zone))
        open_now = local.weekday() < 5 and opens <= local.hour < closes
        if open_now and (not country or local.date() not in _public_holidays(country, local.year)):
            return True
    return False


def _naive_span_open(minute: datetime) -> bool:
    """Open when the latest Monday 10:00 Sydney is later than the latest Friday 17:00 Los Angeles."""

    def latest(zone: str, weekday: int, hour: int) -> datetime:
        local = minute.astimezone(ZoneInfo(zone))
        for back in range(8):
            day = local.date() - timedelta(days=back)
            moment = datetime(day.year, day.month, day.day, hour, tzinfo=ZoneInfo(zone))
            if day.weekday() == weekday and moment <= minute:
                return moment
        raise AssertionError("a week has every weekday")

    return latest(SYDNEY, 0, 10) > latest(LOS_ANGELES, 4, 17)


@pytest.mark.parametrize(
    ("name", "naive"),
    [pytest.param("sun", _naive_open, id="follow the sun"), pytest.param("global", _naive_span_open, id="span")],
)
def test_unions_and_spans_agree_with_a_minute_by_minute_reading_and_their_worst_case_is_exact(name, naive):
    """Eight weeks across both zones' DST changes (March and April 2026), minute by minute: every due time
    of 1, 7 and 30 business hours and the worst wait equal those of the naive reading."""
    policy = policy_of(AMERICAS, EMEA, APAC, SUN, GLOBAL_WEEK)
    cal = calendar_for(policy, name)
    start = at("2026-03-02T00:00:00+00:00")
    minutes = [start + timedelta(minutes=i) for i in range(8 * 7 * 1440 + 14 * 1440)]
    flags = [naive(m) for m in minutes]
    assert [m for m, f in zip(minutes, flags, strict=True) if f != cal.is_open(m)][:3] == []
    before = list(_accumulate(flags, initial=0))  # open minutes before each minute
    window = 8 * 7 * 1440
    for hours in (1, 7, 30):
        worst = timedelta(0)
        for i in range(0, window, 7):
            # due: the minute after the one that uses up the n-th open minute counted from i
            j = _bisect_left(before, before[i] + hours * 60)
            worst = max(worst, minutes[j - 1] + timedelta(minutes=1) - minutes[i])
            if i % 301 == 0:
                assert cal.add(minutes[i], f"{hours}h") == minutes[j - 1] + timedelta(minutes=1)
        # every minute is a candidate; the step above samples, so the exact worst case is at least as long
        exact = cal.worst_wait(f"{hours}h", start, start + timedelta(minutes=window))
        brute = max(
            minutes[_bisect_left(before, before[i] + hours * 60) - 1] + timedelta(minutes=1) - minutes[i]
            for i in range(window)
        )
        assert worst <= exact == brute


@pytest.mark.parametrize(
    ("zone", "year"),
    [
        ("America/New_York", 2026),
        ("Australia/Lord_Howe", 2026),  # a half-hour change
        ("Pacific/Apia", 2011),  # a skipped day, and DST
        ("Africa/Casablanca", 2019),  # four changes, around Ramadan
        ("Europe/Moscow", 2014),  # a change of offset and abbreviation, no DST
        ("Asia/Tokyo", 2026),  # none
    ],
)
def test_zone_changes_are_every_change_of_offset_name_or_dst_found_hour_by_hour(zone, year):
    tz = ZoneInfo(zone)
    start, end = datetime(year, 1, 1, tzinfo=UTC), datetime(year + 1, 1, 1, tzinfo=UTC)

    def state(instant):
        local = instant.astimezone(tz)
        return local.utcoffset(), local.tzname(), local.dst()

    hours = [start + timedelta(hours=h) for h in range(int((end - start) / timedelta(hours=1)) + 1)]
    expected = [b for a, b in itertools.pairwise(hours) if state(a) != state(b)]
    found = list(calendar.zone_changes(zone, start, end))
    assert len(found) == len(expected)
    for change, hour in zip(found, expected, strict=True):
        assert hour - timedelta(hours=1) < change <= hour
        assert state(change - timedelta(microseconds=1)) != state(change)


@pytest.mark.parametrize(
    "zone", ["America/Santiago", "America/Havana", "Asia/Beirut", "America/Sao_Paulo", "Europe/Dublin", "Pacific/Apia"]
)
@pytest.mark.parametrize("year", [2011, 2016, 2026])
def test_a_midnights_offset_is_the_one_in_force_at_its_instant(zone, year):
    """Zones whose changes fall at midnight too: a midnight in a gap starts at the change."""
    tz = ZoneInfo(zone)
    midnights = calendar._zone_days(tz, year)[2]
    expected = [
        (datetime(1970, 1, 1, tzinfo=UTC) + timedelta(microseconds=us)).astimezone(tz).utcoffset()
        // timedelta(microseconds=1)
        for us in midnights
    ]
    assert calendar.midnight_offsets(tz, year) == expected
