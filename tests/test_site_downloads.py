"""What the built site offers for download, and the compose links, read back from real builds."""

from __future__ import annotations

import json
import subprocess
import sys
import textwrap
from pathlib import Path
from urllib.parse import unquote, urljoin, urlsplit

import icalendar
import pytest
import yaml
from sites import REPO, copy_sample, mkdocs_build, soup

from support_policies.exports.data import DATA_PATH
from support_policies.exports.mailto import MAX_LENGTH
from support_policies.exports.tickets import TICKET_FORMATS
from support_policies.policyset import load_policies
from support_policies.validate import SCHEMA_FILES, load_schema
from support_policies.wording import support_schedules


@pytest.fixture(scope="module")
def policy():
    return load_policies([REPO / "policies"]).policy


def _target(site: Path, page: str, href: str) -> Path:
    """The file a relative link on ``page`` (a path below the site) points at."""
    return site / urlsplit(urljoin("http://x/" + page, href)).path.lstrip("/")


def _decode(link: str) -> tuple[str, dict[str, str]]:
    """A mailto: link as (address, {header: value}), decoded the RFC 6068 way (+ stays +)."""
    parts = urlsplit(link)
    assert parts.scheme == "mailto"
    headers = {key: unquote(value) for key, value in (pair.split("=", 1) for pair in parts.query.split("&") if pair)}
    return unquote(parts.path), headers


def test_every_ticket_template_has_a_download_button_per_format(sample_site, policy):
    page = "support/tickets/index.html"
    article = soup(sample_site / page).select_one("article")
    buttons = {a["download"]: a for a in article.select("a.md-button[download]")}
    for template in policy.ticket_templates:
        section = article.find(id=f"ticket-{template.id}")
        assert section is not None
        for fmt in TICKET_FORMATS:
            button = next(
                a
                for a in article.select(f'a.md-button[download="{fmt.filename(template.id)}"]')
                if fmt.path(template.id) in a["href"]
            )
            assert button.get_text(strip=True) == fmt.label
            target = _target(sample_site, page, button["href"])
            assert target.read_text("utf-8") == fmt.render(template, policy)
            for field in template.fields:
                assert field.label in target.read_text("utf-8") or fmt.id == "json-schema", (fmt.id, field.id)
    assert buttons


def test_downloaded_files_carry_required_fields_conditions_and_warnings(sample_site, policy):
    template = policy.template("technical-ticket")
    folder = sample_site / "support"
    form = yaml.safe_load((folder / TICKET_FORMATS[2].path(template.id)).read_text("utf-8"))
    required = {item["id"] for item in form["body"] if item.get("validations", {}).get("required")}
    assert required == {f.id for f in template.fields if f.required}
    schema = json.loads((folder / TICKET_FORMATS[4].path(template.id)).read_text("utf-8"))
    assert set(schema["required"]) == {f.id for f in template.fields if f.required}
    for fmt in TICKET_FORMATS:
        text = (folder / fmt.path(template.id)).read_text("utf-8")
        for field in template.fields:
            if field.sensitive:
                assert field.sensitive in text, (fmt.id, field.id)
            if field.required_when:
                assert field.required_when in text, (fmt.id, field.id)


def test_email_channels_compose_with_subject_and_body_from_their_template(sample_site, policy):
    article = soup(sample_site / "support/tickets/index.html").select_one("article")
    links = [a["href"] for a in article.select('a[href^="mailto:"].md-button')]
    composed = {}
    for link in links:
        address, headers = _decode(link)
        composed[address] = headers
        assert len(link) <= MAX_LENGTH
    for channel in policy.channels:
        if channel.kind != "email" or not channel.template:
            continue
        headers = composed[channel.address]
        template = policy.template(channel.template)
        body = headers["body"]
        assert "\r\n" in body and "\n" not in body.replace("\r\n", "")
        for field in template.fields:
            assert field.label in body
        if channel.subject and channel.subject.text:
            assert headers["subject"] == channel.subject.text
    assert composed["emergencies@tallyweave.example"]["subject"].startswith("[URGENT]")


def test_channel_cards_offer_the_same_compose_link(sample_site):
    cards = soup(sample_site / "support/index.html").select("#channel-emergency a.md-button")
    assert cards and _decode(cards[0]["href"])[1]["subject"].startswith("[URGENT]")


def test_a_template_too_long_for_a_link_offers_the_download_instead(tmp_path):
    project = copy_sample(tmp_path)
    fields = "".join(
        textwrap.dedent(f"""\
          - id: detail-{n}
            label: Detail number {n} of a long questionnaire
            kind: multiline
            help: Describe every aspect of detail {n} that could matter to the engineer who reads it.
    """)
        for n in range(40)
    )
    tickets = project / "policies" / "tickets.yaml"
    tickets.write_text(
        tickets.read_text("utf-8").replace("    fields:\n", "    fields:\n" + textwrap.indent(fields, "      "), 1),
        "utf-8",
    )
    done = mkdocs_build(project)
    assert done.returncode == 0, done.stderr
    article = soup(project / "site/support/tickets/index.html").select_one("article")
    assert "too long to fill in through an email link" in article.get_text(" ")
    links = [a for a in article.select('a[href^="mailto:support@"]') if "?" in a["href"]]
    assert links
    for link in links:
        _, headers = _decode(link["href"])
        assert "body" not in headers and headers["subject"]
        assert len(link["href"]) <= MAX_LENGTH
    email = article.select_one('a[download="technical-ticket.txt"]')
    assert "Detail number 39" in _target(project / "site", "support/tickets/index.html", email["href"]).read_text(
        "utf-8"
    )


def test_the_data_page_links_the_export_calendars_and_schemas(sample_site, policy):
    page = "support/data/index.html"
    article = soup(sample_site / page).select_one("article")
    hrefs = {a["href"] for a in article.select("a[href]") if not a["href"].startswith(("#", "mailto:"))}
    targets = {_target(sample_site, page, href) for href in hrefs}
    assert all(t.is_file() for t in targets), sorted(str(t) for t in targets if not t.is_file())
    data = json.loads((sample_site / "support" / DATA_PATH).read_text("utf-8"))
    assert data["version"] == 2 and [s["id"] for s in data["policy"]["severities"]] == [s.id for s in policy.severities]
    for name in ("policy.schema.json", "settings.schema.json", "export.schema.json"):
        published = json.loads((sample_site / "support/schema/1" / name).read_text("utf-8"))
        assert published.pop("$id") == f"https://support.tallyweave.example/support/schema/1/{name}"
        assert published == load_schema(name)
    for schedule in policy.schedules:
        calendar = icalendar.Calendar.from_ical(
            (sample_site / f"support/data/calendars/{schedule.id}.ics").read_bytes()
        )
        assert schedule.name in str(calendar.get("X-WR-CALNAME"))
    assert "https://support.tallyweave.example/support/schema/1/policy.schema.json" in article.get_text()


def _check_jsonschema(folder: Path, cwd: Path) -> subprocess.CompletedProcess:
    """What an integrator runs on a published site: the export against the export schema, no flags."""
    command = [
        str(Path(sys.executable).with_name("check-jsonschema")),
        "--schemafile",
        str(folder / "schema/1/export.schema.json"),
        str(folder / DATA_PATH),
    ]
    return subprocess.run(command, cwd=cwd, capture_output=True, text=True, timeout=120)


def test_the_published_export_validates_where_it_is_published(tmp_path):
    """The published schemas' $ids are their published addresses: check-jsonschema follows the
    export schema's $ref to the policy schema on the site (served here on 127.0.0.1)."""
    import functools
    import http.server
    import threading

    project = copy_sample(tmp_path)
    server = http.server.ThreadingHTTPServer(
        ("127.0.0.1", 0), functools.partial(http.server.SimpleHTTPRequestHandler, directory=str(project / "site"))
    )
    threading.Thread(target=server.serve_forever, daemon=True).start()
    try:
        site_url = f"http://127.0.0.1:{server.server_address[1]}/"
        config = project / "mkdocs.yml"
        config.write_text(config.read_text().replace("https://support.tallyweave.example/", site_url))
        assert mkdocs_build(project).returncode == 0
        folder = project / "site/support"
        exported = json.loads((folder / "schema/1/export.schema.json").read_text("utf-8"))
        assert exported["$id"] == f"{site_url}support/schema/1/export.schema.json"
        assert json.loads((folder / DATA_PATH).read_text("utf-8"))["$schema"] == exported["$id"]
        done = _check_jsonschema(folder, tmp_path)
        assert done.returncode == 0, done.stdout + done.stderr
        assert "ok -- validation done" in done.stdout
    finally:
        server.shutdown()


def test_an_export_without_a_site_address_validates_beside_its_files(tmp_path, run_cli):
    """Without --base-url the schemas have no $id, so the reference resolves beside the file."""
    code, out, err = run_cli("export", REPO / "policies", "--out", tmp_path / "out", "--pages", "all", cwd=tmp_path)
    assert code == 0, out + err
    assert "$id" not in json.loads((tmp_path / "out/schema/1/export.schema.json").read_text("utf-8"))
    done = _check_jsonschema(tmp_path / "out", tmp_path)
    assert done.returncode == 0, done.stdout + done.stderr


def test_the_help_page_links_each_schedule_calendar(sample_site, policy):
    page = "support/index.html"
    links = soup(sample_site / page).select('article a[href$=".ics"]')
    # every schedule of support hours; platform-operations only holds the maintenance windows
    assert [a["download"] for a in links] == [f"{s.id}.ics" for s in support_schedules(policy)]
    assert "platform-operations.ics" not in [a["download"] for a in links]
    assert all(_target(sample_site, page, a["href"]).is_file() for a in links)


def test_a_docs_file_in_the_way_of_a_download_fails_the_build(tmp_path):
    project = copy_sample(tmp_path)
    clash = project / "docs/support/downloads/github/technical-ticket.yml"
    clash.parent.mkdir(parents=True)
    clash.write_text("name: mine\n", "utf-8")
    done = mkdocs_build(project)
    assert done.returncode != 0
    assert "docs/support/downloads/github/technical-ticket.yml already exists" in done.stderr
    assert "Traceback" not in done.stderr


def test_the_plugin_ships_and_links_its_stylesheet(sample_site):
    shipped = (REPO / "plugins/support_policies/assets/support-policies.css").read_bytes()
    assert (sample_site / "support/assets/support-policies.css").read_bytes() == shipped
    for page in ("index.html", "support/plans/index.html", "support/journeys/connect-accounting/index.html"):
        links = soup(sample_site / page).select('link[rel="stylesheet"]')
        assert sample_site / "support/assets/support-policies.css" in {
            _target(sample_site, page, link["href"]) for link in links
        }, page


def test_the_clocks_in_use_are_worked_out_once(policy):
    """Every page listing the support hours asks; the walk over tiers and channels is done once."""
    named = {tier.hours for tier in policy.tiers} | {channel.hours for channel in policy.channels if channel.hours}
    assert named <= policy.clocks_in_use
    assert "platform-operations" not in policy.clocks_in_use  # only the maintenance windows name it
    assert policy.clocks_in_use is policy.clocks_in_use


@pytest.mark.parametrize("name", SCHEMA_FILES)
@pytest.mark.parametrize("base_url", ["", "https://support.example.com/help/", 'https://x.example/"quoted"/ü/'])
def test_a_published_schema_is_the_shipped_one_with_its_address(name, base_url):
    """The site publishes a shipped schema's own text; with a known address, ``$id`` follows
    ``$schema``. The shipped files are written so (``{``, then ``$schema`` on its own line, no ``$id``)."""
    from support_policies.exports.site import published_schema
    from support_policies.validate import load_schema, schema_text

    shipped = schema_text(name)
    assert shipped.split("\n", 2)[:2] == ["{", '  "$schema": "https://json-schema.org/draft/2020-12/schema",']
    assert "$id" not in load_schema(name)
    published = json.loads(published_schema(name, base_url))
    expected = dict(load_schema(name))
    if base_url:
        expected = {"$schema": expected.pop("$schema"), "$id": f"{base_url}schema/1/{name}", **expected}
    assert published == expected
    assert list(published) == list(expected)
