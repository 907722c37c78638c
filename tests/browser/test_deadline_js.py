"""The browser's ``supportPolicies.deadline`` agrees with the Python engine (issue 14, item 4).

Each policy set (the sample, two contract examples with special hours, unions, spans and
regions, and dedicated calendars written here: DST gaps and folds in both hemispheres,
overnight hours, half- and quarter-hour zones, holidays by date and by country, an always-open
schedule with holidays, hours closing at 24:00) is published as the site publishes it
(``assets/support-policies.js`` beside ``data/calendars.json``) and served on 127.0.0.1.
Random filings, many of them on or next to an opening, a closing or a change of UTC offset,
go through the browser function and through :func:`support_policies.calendar.deadline`; every
due instant must be the same to the millisecond (filings are whole seconds).

The script walks the UTC instants the engine published and never converts a time zone itself,
so the browser's own time-zone database (which may differ from ``tzdata``) cannot make them
disagree: no zone or year needs pinning.
"""

from __future__ import annotations

import json
import random
import shutil
from datetime import UTC, date, datetime, timedelta
from importlib import resources
from pathlib import Path

import pytest

from support_policies import calendar
from support_policies.exports.calendars import AFTER, BEFORE, CALENDARS_PATH, calendars_json
from support_policies.exports.site import SCRIPT
from support_policies.policyset import load_policies

from .helpers import REPO, serving

pytestmark = pytest.mark.browser

BUILD = date(2026, 3, 1)
"""The window (2026-02-22 to 2027-04-05) holds both 2026 changes of the northern zones, the
April and October 2026 changes of the southern ones and the March 2027 ones."""
CASES = 3200
"""Random cases per policy set; four sets make more than 12,000."""

DEDICATED = {
    "organization.yaml": """
organization: {name: Clockwork, product: Clocks, timezone: Pacific/Chatham}
""",
    "severities.yaml": """
severities:
"""
    + "".join(f"  - {{id: s{i}, rank: {i}, name: S{i}, definition: Severity {i}.}}\n" for i in range(1, 8)),
    "schedules.yaml": """
schedules:
  - id: overnight
    name: London nights
    timezone: Europe/London
    hours:
      - {days: [mon, tue, wed, thu, fri], opens: "22:00", closes: "06:00"}
      - {days: [sat], opens: "00:30", closes: "01:30"}
    holidays:
      dates: [{date: "2026-12-25", name: Christmas}, {date: "2026-03-30", name: A Monday}]
  - id: gap
    name: Chicago small hours
    timezone: America/Chicago
    hours:
      - {days: [sun, mon, tue, wed, thu, fri, sat], opens: "01:30", closes: "03:30"}
      - {days: [sun], opens: "09:00", closes: "24:00"}
  - id: chatham
    name: Chatham office
    timezone: Pacific/Chatham
    hours:
      - {days: [mon, tue, wed, thu, fri, sat], opens: "02:45", closes: "16:45"}
    holidays: {country: NZ}
  - id: sydney
    name: Sydney office
    timezone: Australia/Sydney
    hours:
      - {days: [mon, tue, wed, thu, fri], opens: "09:00", closes: "17:30"}
    special_hours:
      - {yearly: "12-24", name: Christmas Eve, hours: [{opens: "09:00", closes: "12:00"}]}
      - {date: "2026-04-05", name: Easter Sunday desk, hours: [{opens: "01:00", closes: "04:00"}]}
      - {date: "2026-10-06", name: Closed Tuesday, hours: []}
    holidays: {country: AU, subdivision: NSW}
  - id: kolkata
    name: Kolkata office
    timezone: Asia/Kolkata
    hours:
      - {days: [mon, tue, wed, thu, fri], opens: "09:30", closes: "18:00"}
  - id: saopaulo
    name: Sao Paulo always
    timezone: America/Sao_Paulo
    always_open: true
    holidays:
      dates: [{date: "2026-12-25", name: Natal}, {date: "2027-01-01", name: Ano novo}]
  - id: both
    name: London nights or Kolkata days
    timezone: UTC
    combines: [overnight, kolkata]
  - id: week
    name: Sydney Monday to Los Angeles Friday
    timezone: Australia/Sydney
    spans:
      - from: {day: mon, at: "10:00", timezone: Australia/Sydney}
        until: {day: fri, at: "17:00", timezone: America/Los_Angeles}
""",
}
DURATIONS = ["30m", "4h", "13h", "1d", "2d", "1w", "45h"]


def dedicated(folder: Path) -> Path:
    clocks = ["overnight", "gap", "chatham", "sydney", "kolkata", "saopaulo", "both", "week", "24x7"]
    tiers = "tiers:\n"
    for level, clock in enumerate(clocks, start=1):
        tiers += f"  - id: t-{clock}\n    name: T {clock}\n    level: {level}\n    obtained: included\n"
        tiers += f"    hours: {clock}\n    targets:\n"
        for i, within in enumerate(DURATIONS, start=1):
            tiers += f"      s{i}:\n        acknowledge: {{within: {within}, clock: {clock}}}\n"
    files = {**DEDICATED, "tiers.yaml": tiers}
    for name, text in files.items():
        (folder / name).write_text(text.lstrip(), encoding="utf-8")
    return folder


def published(policy, folder: Path) -> None:
    (folder / "assets").mkdir(parents=True)
    (folder / "data").mkdir()
    with resources.as_file(resources.files("support_policies").joinpath(SCRIPT)) as script:
        shutil.copy(script, folder / SCRIPT)
    (folder / CALENDARS_PATH).write_text(calendars_json(policy, BUILD), encoding="utf-8")
    (folder / "index.html").write_text(
        '<!doctype html><html lang="en"><title>t</title><script src="assets/support-policies.js"></script></html>',
        encoding="utf-8",
    )


def promises(policy):
    for tier in policy.tiers:
        for severity_id, target in tier.targets.items():
            for kind, promise in target.promises() if target.covered else []:
                yield tier.id, severity_id, kind, promise


def edges(policy, promise, start: datetime, end: datetime) -> list[datetime]:
    """Openings, closings and offset changes of the clocks ``promise`` can run on."""
    found: list[datetime] = []
    for cal in calendar.calendars(policy, promise.clock).values():
        if not cal.round_the_clock:
            for a, b in cal.open_intervals(start, end):
                found += [a, b]
        found += changes(cal.zone, start, end)
    return found


def changes(zone, start: datetime, end: datetime) -> list[datetime]:
    """Each change of offset, and the same wall-clock times a day or more before it: a
    business-day promise filed then falls due in the gap or the repeated hour."""
    return [
        change - timedelta(days=k, minutes=m)
        for change in calendar.zone_changes(zone, start, end)
        for k in range(4)
        for m in (-59, -30, 0, 30)
    ]


def cases(policy, rng: random.Random, n: int):
    start = datetime(BUILD.year, BUILD.month, BUILD.day, tzinfo=UTC) - BEFORE
    end = start + BEFORE + AFTER
    every = list(promises(policy))
    near = {p[3].clock: edges(policy, p[3], start, end) for p in every}
    out = []

    def case(tier, severity, kind, promise, region, filed):
        try:
            expected: str | None = calendar.deadline(policy, promise, filed, region).due.isoformat()
        except calendar.CalendarError:
            expected = None  # the browser must refuse too
        out.append(
            {
                "tier": tier,
                "severity": severity,
                "promise": kind,
                "region": region,
                "filedAt": filed.isoformat(),
                "expected": expected,
            }
        )

    for tier, severity, kind, promise in every:  # every promise at every change of its zones
        for region, cal in calendar.calendars(policy, promise.clock).items():
            for filed in changes(cal.zone, start, end):
                if start <= filed < end:
                    case(tier, severity, kind, promise, region, filed)
    while len(out) < n:
        tier, severity, kind, promise = rng.choice(every)
        regions = calendar.regions(policy, promise.clock)
        region = rng.choice(regions) if regions else None
        if near[promise.clock] and rng.random() < 0.6:
            filed = rng.choice(near[promise.clock]) + timedelta(seconds=rng.choice([0, 0, -1, 1, -60, 60, -3600, 1800]))
            filed = min(max(filed, start), end - timedelta(seconds=1))
        else:
            filed = start + timedelta(seconds=rng.randrange(int((end - start).total_seconds())))
        case(tier, severity, kind, promise, region, filed.replace(microsecond=0))
    return out


AGREE = """async (cases) => {
  const sp = window.supportPolicies;
  await sp.ready;
  const wrong = [];
  let refused = 0;
  for (const c of cases) {
    let got;
    try { got = sp.deadline(c); } catch (e) { got = "error: " + e.message; }
    if (c.expected === null) {
      if (!(typeof got === "string" && got.startsWith("error"))) wrong.push({c, got});
      else refused++;
    } else if (got === null || got.startsWith("error") || Date.parse(got) !== Date.parse(c.expected)) {
      wrong.push({c, got});
    }
  }
  return {wrong: wrong.slice(0, 10), count: wrong.length, refused};
}"""


def sets(tmp: Path):
    yield "sample", REPO / "policies"
    yield "exchange-hours", REPO / "examples/contracts/exchange-hours/policies"
    yield "follow-the-sun", REPO / "examples/contracts/follow-the-sun/policies"
    folder = tmp / "dedicated"
    folder.mkdir()
    yield "dedicated", dedicated(folder)


@pytest.mark.parametrize("name", ["sample", "exchange-hours", "follow-the-sun", "dedicated"])
def test_the_browser_deadline_agrees_with_the_engine(name, tmp_path, browser_context):
    source = dict(sets(tmp_path))[name]
    result = load_policies([source])
    policy = result.policy
    assert policy is not None, result.findings
    site = tmp_path / "site"
    published(policy, site)
    rng = random.Random(f"deadline-js-{name}")
    batch = cases(policy, rng, CASES)
    assert len(batch) >= CASES
    page = browser_context.new_page()
    try:
        with serving(site) as url:
            page.goto(url + "index.html")
            outcome = page.evaluate(AGREE, batch)
    finally:
        page.close()
    assert outcome["count"] == 0, json.dumps(outcome["wrong"], indent=1)
    print(f"{name}: {len(batch)} cases, {outcome['refused']} refused by both")
    assert outcome["refused"] < len(batch) // 20  # nearly every case is an answer, not a refusal


def test_the_browser_says_null_when_a_plan_does_not_cover_a_severity(tmp_path, browser_context):
    policy = load_policies([REPO / "policies"]).policy
    assert policy is not None
    site = tmp_path / "site"
    published(policy, site)
    page = browser_context.new_page()
    try:
        with serving(site) as url:
            page.goto(url + "index.html")
            got = page.evaluate(
                """async () => {
                  const sp = window.supportPolicies; await sp.ready;
                  let outside;
                  try { sp.deadline({tier: "premium", severity: "high", filedAt: "2031-01-01T00:00:00Z"}); }
                  catch (e) { outside = e.name; }
                  return {
                    none: sp.deadline({tier: "break-fix", severity: "low", filedAt: "2026-03-02T15:00:00Z"}),
                    some: sp.deadline({tier: "break-fix", severity: "high", filedAt: "2026-03-06T22:00:00Z"}),
                    open: sp.isOpen("standard-hours", "2026-03-02T15:00:00Z"),
                    closed: sp.isOpen("standard-hours", "2026-03-07T15:00:00Z"),
                    opens: sp.nextOpening("standard-hours", "2026-03-07T15:00:00Z"),
                    closes: sp.nextClosing("standard-hours", "2026-03-02T15:00:00Z"),
                    outside,
                  };
                }"""
            )
    finally:
        page.close()
    assert got["none"] is None
    high = policy.tier("break-fix").targets["high"].acknowledge
    filed = datetime(2026, 3, 6, 22, tzinfo=UTC)  # Friday 16:00 in Chicago
    assert got["some"] == calendar.due(policy, high, filed).isoformat().replace("+00:00", ".000Z")
    assert got["open"] is True and got["closed"] is False
    assert got["opens"] == "2026-03-09T13:00:00.000Z"  # Monday 08:00 CDT, the day after the change
    assert got["closes"] == "2026-03-02T23:00:00.000Z"
    assert got["outside"] == "RangeError"
