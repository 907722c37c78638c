"""Issue 12, slice C: channels, escalation, journeys and status as real contracts write them.

Each concept is written as a policy set in the test, then followed to the exact sentence a
reader sees (a channel card, the plans page's escalation, a journey, the status page), the
JSON export, and the rule findings of a passing and a failing variant.

Concepts: a channel without a published address (a portal inside the product, an account
manager) with its ``reach`` text (8); escalation as alternatives or as ordered steps (8);
journeys with tiles, a help hub and common questions (9); and item 10's fixes: maintenance
windows named for readers (never their id), a status page that invents no sentence, and a
channel response beside a plan's first response that must say which applies.
"""

from __future__ import annotations

import json
import re
import textwrap
from datetime import date
from html import unescape
from pathlib import Path

import pytest
from sites import mkdocs_build, soup

from support_policies.exports.data import export_json
from support_policies.policyset import load_policies
from support_policies.render import Renderer

TODAY = date(2026, 5, 4)

BASE = """\
organization:
  name: Example Co
  timezone: UTC
severities:
  - {id: urgent, rank: 1, name: Urgent, definition: Work has stopped.}
  - {id: minor, rank: 2, name: Minor, definition: A nuisance.}
schedules:
  - id: office
    name: Office hours
    timezone: America/Chicago
    hours:
      - {days: [mon, tue, wed, thu, fri], opens: "08:00", closes: "16:00"}
tiers:
  - id: plan
    name: Standard
    level: 1
    obtained: included
    hours: office
    targets:
      urgent:
        acknowledge: {within: 24h, clock: office}
      minor:
        covered: false
"""


def write(tmp_path: Path, extra: str, base: str = BASE) -> Path:
    folder = tmp_path / "policies"
    folder.mkdir(parents=True, exist_ok=True)
    (folder / "policy.yaml").write_text(base + textwrap.dedent(extra), "utf-8")
    return folder


def loaded(folder: Path):
    result = load_policies([folder])
    return result.policy, [(f.rule, f.line, f.column, f.message) for f in result.findings]


def text_of(html: str) -> str:
    """Rendered HTML as the reader sees its text: tags become spaces, entities decode."""
    return re.sub(r"\s+", " ", unescape(re.sub(r"<br>", " / ", re.sub(r"<(?!br>)[^>]+>", " ", html)))).strip()


def card(policy, channel: str) -> str:
    return text_of(str(Renderer(policy).fragment("channel", channel=channel)))


def page(policy, name: str) -> str:
    found = next(p for p in Renderer(policy).pages([name]) if p.path.startswith(name))
    return found.markdown


def exported(policy, section: str) -> list[dict]:
    return json.loads(export_json(policy, TODAY))["policy"][section]


def rules(findings) -> list[str]:
    return [rule for rule, *_ in findings]


# --- 8: a channel without a published address -------------------------------------------------

PORTAL = """\
channels:
  - id: console-help
    kind: portal
    name: Help in the console
    reach: Open **Help → Contact support** in the Example console.
    hours: office
  - id: account-manager
    kind: account-manager
    name: Your account manager
    reach: Your account manager's name and number are in your order confirmation.
"""


def test_a_portal_and_an_account_manager_need_no_address_and_show_how_to_reach_them(tmp_path):
    policy, findings = loaded(write(tmp_path, PORTAL))
    assert findings == []
    assert card(policy, "console-help") == (
        "Help in the console How to reach Open Help → Contact support in the Example console. Hours Office hours"
    )
    assert "<strong>Help → Contact support</strong>" in str(
        Renderer(policy).fragment("channel", channel="console-help")
    )
    assert card(policy, "account-manager") == (
        "Your account manager How to reach Your account manager's name and number are in your order confirmation."
    )
    assert [(c["kind"], c["reach"]) for c in exported(policy, "channels")] == [
        ("portal", "Open **Help → Contact support** in the Example console."),
        ("account-manager", "Your account manager's name and number are in your order confirmation."),
    ]


def test_a_channel_without_address_nor_reach_is_refused_and_never_as_a_malformed_address(tmp_path):
    folder = write(tmp_path, PORTAL.replace("    reach: Open **Help → Contact support** in the Example console.\n", ""))
    _, findings = loaded(folder)
    assert findings == [
        (
            "channels.no-way-to-reach",
            25,
            5,
            "the portal channel 'console-help' has neither an address nor reach: the page cannot say how to reach it",
        )
    ]


def test_a_channel_not_open_yet_needs_no_way_to_reach_it(tmp_path):
    extra = PORTAL.replace(
        "    reach: Open **Help → Contact support** in the Example console.\n", "    available: false\n"
    )
    policy, findings = loaded(write(tmp_path, extra))
    assert findings == []
    assert card(policy, "console-help") == "Help in the console Not open yet Hours Office hours"


def test_a_security_report_through_a_portal_says_how_to_reach_it(tmp_path):
    extra = PORTAL + "security:\n  channel: console-help\n  text: Tell us privately.\n"
    policy, findings = loaded(write(tmp_path, extra))
    assert findings == []
    assert (
        "**Report to:** Help in the console\n\n"
        "<p>Open <strong>Help → Contact support</strong> in the Example console.</p>" in page(policy, "security")
    )


@pytest.mark.parametrize(
    "address, shown, problem",
    [
        ("jo@example.com", '<a class="sp-address" href="mailto:jo@example.com">jo@<wbr>example<wbr>.com</a>', None),
        ("+15551234567", '<a href="tel:+15551234567">+15551234567</a>', None),
        ("call Jo", None, "it is neither an email address nor a phone number in E.164 form"),
        ("jo@example.com?cc=x@example.com", None, "it contains characters that would change the mailto: link"),
    ],
)
def test_an_account_manager_address_is_an_email_or_a_phone_number(tmp_path, address, shown, problem):
    extra = PORTAL.replace("    kind: account-manager\n", f'    kind: account-manager\n    address: "{address}"\n')
    policy, findings = loaded(write(tmp_path, extra))
    if problem is None:
        assert findings == []
        assert shown in str(Renderer(policy).fragment("channel", channel="account-manager"))
    else:
        assert [(rule, message) for rule, _, _, message in findings] == [
            ("address.malformed", f"'{address}' is not a valid account-manager address: {problem}")
        ]


def test_a_portal_address_is_a_web_address(tmp_path):
    extra = PORTAL.replace("    kind: portal\n", "    kind: portal\n    address: https://console.example.com/help\n")
    policy, findings = loaded(write(tmp_path, extra))
    assert findings == []
    assert card(policy, "console-help").startswith(
        "Help in the console Portal https://console.example.com/help How to reach Open Help"
    )
    _, findings = loaded(write(tmp_path, extra.replace("https://console.example.com/help", "console.example.com")))
    assert rules(findings) == ["address.malformed"]


# --- 8: escalation as alternatives or as steps --------------------------------------------------

ESCALATION = """\
channels:
  - {id: escalations, kind: email, name: Escalation list, address: escalations@example.com}
  - id: account-manager
    kind: account-manager
    name: Your account manager
    reach: Through your order confirmation.
"""


def escalation_section(policy) -> str:
    markdown = page(policy, "plans")
    return markdown[markdown.index("## Escalation") :]


ESCALATIONS = '<a class="sp-address" href="mailto:escalations@example.com">escalations@<wbr>example<wbr>.com</a>'


@pytest.mark.parametrize(
    "mode, words",
    [
        (
            "mode: alternatives\n      ",
            f"Escalate through any of:\n\n- Escalation list — {ESCALATIONS}\n- Your account manager\n",
        ),
        (
            "mode: steps\n      ",
            f"Escalate through, in this order:\n\n1. Escalation list — {ESCALATIONS}\n1. Your account manager\n",
        ),
        ("", f"Escalate through, in this order:\n\n1. Escalation list — {ESCALATIONS}\n"),
    ],
    ids=["alternatives", "steps", "steps-by-default"],
)
def test_the_plans_page_says_whether_escalation_contacts_are_alternatives_or_steps(tmp_path, mode, words):
    base = BASE.replace(
        "    hours: office\n    targets:",
        "    hours: office\n    escalation:\n      when: No reply in time.\n"
        f"      {mode}contacts: [escalations, account-manager]\n    targets:",
    )
    policy, findings = loaded(write(tmp_path, ESCALATION, base))
    assert findings == []
    assert words in escalation_section(policy)
    exported_mode = exported(policy, "tiers")[0]["escalation"].get("mode")
    assert exported_mode == ("alternatives" if "alternatives" in mode else None)  # steps is the default, left out


def test_an_unknown_escalation_mode_is_refused(tmp_path):
    base = BASE.replace(
        "    hours: office\n    targets:",
        "    hours: office\n    escalation:\n      when: No reply in time.\n      mode: either\n"
        "      contacts: [escalations]\n    targets:",
    )
    _, findings = loaded(write(tmp_path, ESCALATION, base))
    assert [(rule, line, column) for rule, line, column, _ in findings] == [("schema.enum", 21, 13)]


def test_severities_not_eligible_for_escalation_are_worded_as_a_list(tmp_path):
    base = BASE.replace(
        "    hours: office\n    targets:",
        "    hours: office\n    escalation: {when: No reply in time., contacts: [escalations]}\n    targets:",
    ).replace(
        "        acknowledge: {within: 24h, clock: office}\n      minor:\n        covered: false\n",
        "        acknowledge: {within: 24h, clock: office}\n        escalation: true\n      minor:\n"
        "        acknowledge: {within: 24h, clock: office}\n        escalation: false\n",
    )
    base = (
        base.replace(
            "  - {id: minor, rank: 2, name: Minor, definition: A nuisance.}\n",
            "  - {id: minor, rank: 2, name: Minor, definition: A nuisance.}\n"
            "  - {id: cosmetic, rank: 3, name: Cosmetic, definition: Looks wrong.}\n",
        )
        + "      cosmetic:\n        acknowledge: {within: 24h, clock: office}\n        escalation: false\n"
    )
    policy, findings = loaded(write(tmp_path, ESCALATION, base))
    assert findings == []
    assert "    Minor and Cosmetic incidents cannot be escalated on Standard.\n" in escalation_section(policy)


# --- 9: journeys with tiles, a help hub and common questions ------------------------------------

JOURNEY = """\
journeys:
  - id: connect
    title: Connecting payroll software
    steps: [{title: The customer opens the link}]
    tiles:
      - {name: Payroll Pro, url: "https://help.example.com/payroll-pro", icon: material/calculator}
      - {name: Wagewise, url: "https://help.example.com/wagewise", logo: assets/wagewise.svg, note: Takes longer.}
    help_hub: {name: Connection help centre, url: "https://help.example.com/connect"}
    faq:
      - question: How long does the first sync take?
        answer: Usually under an hour; a **large** ledger takes longer.
"""


def test_a_journey_shows_its_tiles_help_hub_and_common_questions(tmp_path):
    policy, findings = loaded(write(tmp_path, JOURNEY))
    assert findings == []
    html = str(Renderer(policy).fragment("journey", journey="connect"))
    tiles = re.findall(r'<li class="sp-tile">.*?</li>', html, re.S)
    assert [text_of(tile) for tile in tiles] == ["Payroll Pro", "Wagewise / Takes longer."]
    assert tiles[0].startswith(
        '<li class="sp-tile"><a href="https://help.example.com/payroll-pro"><span class="twemoji'
    )
    assert (
        '<img class="sp-tile-logo" src="assets/wagewise.svg" alt="" width="48" height="48"> <strong>Wagewise'
        in tiles[1]
    )
    assert (
        '<p class="sp-help-hub">Help hub: <a href="https://help.example.com/connect">Connection help centre</a></p>'
        in html
    )
    faq = html[html.index('<h3 id="connect-faq">') :]
    assert text_of(faq) == (
        "Common questions How long does the first sync take? Usually under an hour; a large ledger takes longer."
    )
    assert '<details class="question sp-faq" id="connect-faq-1">' in faq and "<strong>large</strong>" in faq
    journey = exported(policy, "journeys")[0]
    assert journey["tiles"][1] == {
        "name": "Wagewise",
        "url": "https://help.example.com/wagewise",
        "logo": "assets/wagewise.svg",
        "note": "Takes longer.",
    }
    assert journey["help_hub"] == {"name": "Connection help centre", "url": "https://help.example.com/connect"}
    assert journey["faq"] == [
        {
            "question": "How long does the first sync take?",
            "answer": "Usually under an hour; a **large** ledger takes longer.",
        }
    ]


@pytest.mark.parametrize(
    "tile, rule, where",
    [
        (
            '{name: A, url: "https://a.example/", icon: material/calculator, logo: a.svg}',
            "journeys.tile-icon-and-logo",
            (29, 73),
        ),
        ('{name: A, url: "https://a.example/", icon: material/no-such-icon}', "journeys.unknown-icon", (29, 52)),
        ('{name: A, url: "https://a.example/", logo: ../a.svg}', "schema.format", (29, 52)),
        ('{name: A, url: "https://a.example/", logo: "https://cdn.example/a.svg"}', "schema.format", (29, 52)),
        ('{name: A, url: "https://a.example/", icon: fontawesome/brands/github}', "schema.format", (29, 52)),
    ],
    ids=["icon-and-logo", "unknown-icon", "logo-outside-the-docs", "logo-on-another-host", "not-a-material-icon"],
)
def test_a_tile_with_a_picture_it_cannot_show_is_refused(tmp_path, tile, rule, where):
    extra = JOURNEY.replace(
        '      - {name: Payroll Pro, url: "https://help.example.com/payroll-pro", icon: material/calculator}\n',
        f"      - {tile}\n",
    )
    _, findings = loaded(write(tmp_path, extra))
    assert [(r, line, column) for r, line, column, _ in findings] == [(rule, *where)]


def _journey_site(tmp_path: Path, logo: str) -> Path:
    project = tmp_path / "site-project"
    write(project, JOURNEY.replace("assets/wagewise.svg", logo))
    (project / "docs/assets").mkdir(parents=True)
    (project / "docs/assets/wagewise.svg").write_text('<svg xmlns="http://www.w3.org/2000/svg"/>', "utf-8")
    (project / "docs/index.md").write_text("# Payroll\n\n[[support-policies journey journey=connect]]\n", "utf-8")
    (project / "mkdocs.yml").write_text(
        "site_name: Example\ntheme: {name: material, font: false}\nplugins: [search, support-policies]\n"
        "markdown_extensions: [support_policies.markdown]\n",
        "utf-8",
    )
    return project


def test_a_logo_is_linked_from_every_page_that_shows_its_tile(tmp_path):
    project = _journey_site(tmp_path, "assets/wagewise.svg")
    built = mkdocs_build(project)
    assert built.returncode == 0, built.stderr
    home = soup(project / "site/index.html").select_one("img.sp-tile-logo")
    journey = soup(project / "site/support/journeys/connect/index.html").select_one("img.sp-tile-logo")
    assert (home["src"], journey["src"]) == ("assets/wagewise.svg", "../../../assets/wagewise.svg")


def test_a_logo_that_is_not_a_file_of_the_site_fails_a_strict_build(tmp_path):
    built = mkdocs_build(_journey_site(tmp_path, "assets/missing.svg"))
    assert built.returncode != 0
    assert "shows the logo 'assets/missing.svg', which is not a file of the site" in built.stderr


# --- 10: maintenance windows by name, and a status page that says only what the data says ------

STATUS = """\
  - id: platform
    name: Platform operations
    timezone: America/New_York
    always_open: true
    maintenance:
      - {id: nightly-db, name: Database upgrade, days: [tue], starts: "02:00", ends: "04:00"}
      - {id: edge-01, name: Edge rollout, days: [thu], starts: "03:00", ends: "03:30", downtime: false}
status:
  page: {available: false}
  maintenance: {schedule: platform, notice: 72h}
"""


def status_with(windows: str) -> str:
    return (
        BASE.replace("tiers:\n", windows.split("status:\n")[0] + "tiers:\n")
        + "status:\n"
        + windows.split("status:\n")[1]
    )


def test_the_status_page_heads_each_window_with_its_name_never_its_id(tmp_path):
    policy, findings = loaded(write(tmp_path, "", status_with(STATUS)))
    assert findings == []
    markdown = page(policy, "status")
    assert (
        "| Window | When | Downtime possible |\n|---|---|---|\n"
        "| Database upgrade | Tuesday, 02:00–04:00 \\(New York\\) | Yes |\n"
        "| Edge rollout | Thursday, 03:00–03:30 \\(New York\\) | No |\n"
    ) in markdown
    assert "nightly" not in markdown and "edge-01" not in markdown
    assert [w["name"] for w in exported(policy, "schedules")[1]["maintenance"]] == ["Database upgrade", "Edge rollout"]


def test_windows_without_names_are_listed_by_their_times(tmp_path):
    unnamed = STATUS.replace("name: Database upgrade, ", "").replace("name: Edge rollout, ", "")
    policy, findings = loaded(write(tmp_path, "", status_with(unnamed)))
    assert findings == []
    markdown = page(policy, "status")
    assert "| When | Downtime possible |\n|---|---|\n| Tuesday, 02:00–04:00 \\(New York\\) | Yes |\n" in markdown
    assert "nightly" not in markdown and "edge-01" not in markdown


def test_a_window_without_a_name_beside_named_ones_is_refused(tmp_path):
    _, findings = loaded(write(tmp_path, "", status_with(STATUS.replace("name: Edge rollout, ", ""))))
    assert findings == [
        (
            "status.window-unnamed",
            19,
            10,
            "the maintenance window 'edge-01' of 'Platform operations' has no name, but 'Database upgrade' does: "
            "the status page heads every window with its name",
        )
    ]


@pytest.mark.parametrize(
    "status_page, words",
    [
        ("{available: false}", '!!! info "Status page: not live yet"\n    There is no public status page yet.\n'),
        ("{available: false, note: Coming in June}", '!!! info "Status page: Coming in June"\n'),
        (
            '{available: true, url: "https://status.example.com"}',
            "Live status is published at <https://status.example.com>.\n",
        ),
    ],
)
def test_the_status_page_invents_no_sentence(tmp_path, status_page, words):
    policy, findings = loaded(write(tmp_path, "", status_with(STATUS.replace("{available: false}", status_page))))
    assert findings == []
    markdown = page(policy, "status")
    assert words in markdown
    assert "email" not in markdown and "on its way" not in markdown and "Real-time" not in markdown


def test_the_help_page_makes_no_claim_the_policies_do_not(tmp_path):
    policy = loaded(write(tmp_path, PORTAL))[0]
    markdown = Renderer(policy).page("get-help.md", title="Help", page_link=lambda page_id: f"{page_id}.md")
    assert "- Check [what a ticket must contain](tickets.md).\n" in markdown
    assert "- Look for your error among the [known problems](known-problems.md), each with its fix.\n" in markdown
    assert "answered faster" not in markdown and "quick fix" not in markdown


# --- 10: a channel's response beside a plan's first response ----------------------------------

CHANNEL = """\
channels:
  - id: support
    kind: email
    name: Technical support
    address: support@example.com
    response: {within: 1d, clock: office}
"""


def test_a_channel_response_beside_a_different_plan_promise_is_refused_until_it_says_which_applies(tmp_path):
    _, findings = loaded(write(tmp_path, CHANNEL))
    assert findings == [
        (
            "channels.response-ambiguous",
            29,
            24,
            "'Technical support' promises a response within 1 business day (Office hours), and 'Standard' promises "
            "Urgent incidents a first response within 24 business hours (Office hours): the page cannot say which "
            "applies to a ticket sent here",
        )
    ]


@pytest.mark.parametrize(
    "applies, words",
    [
        (
            "outside-plan-targets",
            "Response Within 1 business day (Office hours) / Where your plan sets a first-response target for the "
            "ticket, the plan's target applies instead.",
        ),
        ("every-ticket", "Response Within 1 business day (Office hours) / This applies to every ticket sent here."),
    ],
)
def test_a_channel_that_says_which_response_applies_passes_and_its_card_says_it(tmp_path, applies, words):
    policy, findings = loaded(write(tmp_path, CHANNEL + f"    response_applies: {applies}\n"))
    assert findings == []
    assert card(policy, "support").endswith(words)
    assert exported(policy, "channels")[0]["response_applies"] == applies


def test_the_same_promise_on_channel_and_plan_needs_no_word(tmp_path):
    policy, findings = loaded(write(tmp_path, CHANNEL.replace("within: 1d", "within: 24h")))
    assert findings == []
    assert card(policy, "support").endswith("Response Within 24 business hours (Office hours)")


def test_where_the_plan_target_wins_a_slower_channel_response_breaks_no_plan(tmp_path):
    slower = CHANNEL.replace("within: 1d", "within: 5d")
    _, findings = loaded(write(tmp_path, slower + "    response_applies: outside-plan-targets\n"))
    assert findings == []
    _, findings = loaded(write(tmp_path, slower + "    response_applies: every-ticket\n"))
    assert rules(findings) == ["channels.slower-than-tier"]


def test_saying_which_response_applies_without_a_response_is_refused(tmp_path):
    without = CHANNEL.replace("    response: {within: 1d, clock: office}\n", "    response_applies: every-ticket\n")
    _, findings = loaded(write(tmp_path, without))
    assert findings == [
        (
            "channels.response-ambiguous",
            29,
            23,
            "'Technical support' says which response applies, but promises no response of its own",
        )
    ]
