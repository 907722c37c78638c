"""The wall-clock meaning of business-hours promises on the plans page (issue 14, item 1)."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta
from pathlib import Path

from support_policies import calendar, wallclock
from support_policies.policyset import load_policies
from support_policies.render import Renderer

REPO = Path(__file__).resolve().parent.parent
BUILD = date(2026, 12, 2)


def sample():
    result = load_policies([REPO / "policies"])
    assert result.policy is not None
    return result.policy


def promise(policy, tier, severity, kind="acknowledge"):
    return getattr(policy.tier(tier).targets[severity], kind)


def test_the_issues_example_friday_afternoon_to_wednesday():
    policy = sample()
    value = wallclock.wall_clock(policy, promise(policy, "break-fix", "high"), BUILD)
    assert value is not None and value.example is not None
    assert wallclock.moment(value.example.filed, "America/Chicago") == "Friday, 4 December 2026 16:00"
    assert wallclock.moment(value.example.due, "America/Chicago") == "Wednesday, 9 December 2026 13:00"
    assert value.worst == timedelta(hours=165)  # the week of Christmas
    lines = wallclock.sentences(value)
    assert lines[0].startswith("For example: filed Friday, 4 December 2026 16:00, due by Wednesday, 9 December")
    assert "165 hours" in lines[1] and "in the year from 2 December 2026" in lines[1]


def test_round_the_clock_promises_get_nothing_extra():
    policy = sample()
    assert wallclock.wall_clock(policy, promise(policy, "premium", "critical"), BUILD) is None


def test_every_instance_is_the_engines_answer_and_the_worst_case_is_reached():
    policy = sample()
    start, end = wallclock.window(BUILD)
    for tier in policy.tiers:
        for target in tier.targets.values():
            for _, value in target.promises() if target.covered else []:
                found = wallclock.wall_clock(policy, value, BUILD)
                if found is None:
                    continue
                cal = calendar.calendar_for(policy, value.clock)
                assert found.worst == calendar.worst_case(policy, value, start, end)
                for instance in (found.example, found.worst_instance):
                    assert instance is not None
                    assert start <= instance.filed < end
                    assert instance.due == cal.add(instance.filed, value.within.max)
                assert found.worst_instance.due - found.worst_instance.filed == found.worst


def test_the_wording_follows_the_build_date():
    policy = sample()
    value = promise(policy, "break-fix", "high")
    a = wallclock.sentences(wallclock.wall_clock(policy, value, date(2026, 12, 2)))
    b = wallclock.sentences(wallclock.wall_clock(policy, value, date(2027, 3, 1)))
    assert a != b and "5 March 2027" in b[0]


def test_the_plans_page_states_it_statically(monkeypatch):
    monkeypatch.setenv("SOURCE_DATE_EPOCH", str(int(datetime(2026, 12, 2, tzinfo=UTC).timestamp())))
    policy = sample()
    html = str(Renderer(policy).fragment("tier-targets", tier="break-fix"))
    assert 'class="sp-wall-clock"' in html
    assert "For example: filed Friday, 4 December 2026 16:00, due by Wednesday, 9 December 2026 13:00" in html
    premium = str(Renderer(policy).fragment("tier-targets", tier="premium"))
    critical_row = premium.split("1: Critical", 1)[1].split("</tr>", 1)[0]
    assert "sp-wall-clock" not in critical_row  # 24x7: "2 hours" is two hours


def test_a_renderer_works_each_clock_out_once_a_day(monkeypatch):
    """Tiers and pages share their wall-clock sentences, per clock, duration and build date: a
    renderer kept for a long `mkdocs serve` (the Markdown extension's) follows the date."""
    policy = sample()
    renderer = Renderer(policy)
    value = promise(policy, "break-fix", "high")
    calls: list[date] = []
    real = wallclock.wall_clock
    monkeypatch.setattr(wallclock, "wall_clock", lambda p, pr, today: calls.append(today) or real(p, pr, today))
    monkeypatch.setenv("SOURCE_DATE_EPOCH", str(int(datetime(2026, 12, 2, tzinfo=UTC).timestamp())))
    first = renderer._wall_clock(value)
    assert renderer._wall_clock(value) is first and len(calls) == 1
    monkeypatch.setenv("SOURCE_DATE_EPOCH", str(int(datetime(2027, 3, 1, tzinfo=UTC).timestamp())))
    later = renderer._wall_clock(value)
    assert calls == [date(2026, 12, 2), date(2027, 3, 1)] and later != first and "5 March 2027" in later[0]
