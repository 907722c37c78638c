"""Generate a large, valid policy set modelled on the Tallyweave sample.

``generate.py OUT --files 1000 --tiers 50 --severities 5`` writes OUT/ with the core
files (organization, scope, retention, severities, schedules, channels, tickets,
providers, and tiers-NN.yaml with ten tiers each) and spreads the rest over journeys/,
glossary/, known-problems/ and channels/ folders, a few items per file. The set is deterministic for a seed, and is
verified with the real ``support-policies check --strict`` before returning.

The tiers keep the consistency rules happy by construction:

* tiers fall into three bands by level: standard hours (Mon–Fri 08–17, US holidays),
  extended hours (Mon–Fri 07–19, Sat 09–13, a superset) and around the clock; each tier
  promises on its own band's clock, so higher tiers run on clocks that are open at
  least whenever lower tiers' are;
* durations come from one ladder, indexed so that they never grow with the tier level
  and never shrink with the severity rank: with the clocks above, a higher tier is never
  slower and a more severe incident never waits longer;
* how many severities a tier covers, and escalates, never shrinks with its level;
* channels with a response target promise the fastest acknowledgement of the tiers
  they serve, on the same clock, and say that a plan's own target wins.
"""

from __future__ import annotations

import contextlib
import os
import random
import sys
import tempfile
from pathlib import Path

import yaml

sys.path.insert(0, str(Path(__file__).resolve().parent))
from _timing import BIN, run

SCHEMA = Path(__file__).resolve().parent.parent / "plugins/support_policies/schemas/policy.schema.json"
"""The schema the generated files name in their modeline, as the sample's do."""
LADDER = ("15m", "30m", "1h", "2h", "4h", "8h", "12h", "24h", "48h", "72h", "96h", "120h")
SEVERITY_NAMES = ("critical", "high", "medium", "low", "cosmetic")
BANDS = (  # (tier hours, promise clock, how the tier is obtained)
    ("standard-hours", "standard-hours", "paid"),
    ("extended-hours", "extended-hours", "paid"),
    ("around-the-clock", "24x7", "contract"),
)
TIERS_PER_FILE = 10
WORDS = (
    "sync",
    "ledger",
    "invoice",
    "journal",
    "payment",
    "webhook",
    "cursor",
    "batch",
    "tenant",
    "export",
    "mapping",
    "account",
    "report",
    "token",
    "connector",
    "dataset",
    "schedule",
    "record",
    "audit",
    "push",
)
HTTP = (400, 401, 403, 404, 409, 422, 429, 500, 502, 503)


class _Dumper(yaml.SafeDumper):
    """Block style with indented lists and no anchors."""

    def ignore_aliases(self, data):
        return True

    def increase_indent(self, flow=False, indentless=False):
        return super().increase_indent(flow, False)


def _write(out: Path, name: str, data: dict) -> Path:
    path = out / name
    path.parent.mkdir(parents=True, exist_ok=True)
    text = yaml.dump(data, Dumper=_Dumper, sort_keys=False, allow_unicode=True, width=100)
    header = f"# yaml-language-server: $schema={os.path.relpath(SCHEMA, path.parent)}\n"
    path.write_text(header + text, "utf-8")
    return path


def _sentence(rng: random.Random, words: int = 12) -> str:
    text = " ".join(rng.choice(WORDS) for _ in range(words))
    return text[0].upper() + text[1:] + "."


def _paragraph(rng: random.Random, sentences: int = 3) -> str:
    return " ".join(_sentence(rng, rng.randint(8, 16)) for _ in range(sentences))


# --- tiers --------------------------------------------------------------------------------------


def _band(level: int, tiers: int) -> int:
    return min(2, (level - 1) * 3 // tiers)


def _ack_index(level: int, rank: int, tiers: int) -> int:
    """Ladder index of a tier's acknowledgement: falls with the level, rises with the rank."""
    speed = (tiers - level) * 5 // max(tiers - 1, 1)
    return min(len(LADDER) - 1, rank - 1 + speed)


def _covered(level: int, tiers: int, severities: int) -> int:
    """How many of the most severe severities a tier covers; never shrinks with the level."""
    return max(1, -(-severities * level // tiers))


def _escalated(level: int, tiers: int, severities: int) -> int:
    covered = _covered(level, tiers, severities)
    return covered if _band(level, tiers) == 2 else covered - 1


def _tier(level: int, tiers: int, severity_ids: list[str], rng: random.Random) -> dict:
    band = _band(level, tiers)
    hours, clock, obtained = BANDS[band]
    targets = {}
    for rank, severity in enumerate(severity_ids, 1):
        if rank > _covered(level, tiers, len(severity_ids)):
            targets[severity] = {"covered": False, "note": "Upgrade to a higher plan for help with these issues."}
            continue
        index = _ack_index(level, rank, tiers)
        within = {"min": "5m", "max": LADDER[index]} if clock == "24x7" else LADDER[index]
        target = {"acknowledge": {"within": within, "clock": clock}}
        if band >= 1:
            target["update"] = {"within": LADDER[min(index + 2, len(LADDER) - 1)], "clock": clock}
        if band == 2:
            target["resolve"] = {"within": LADDER[min(index + 4, len(LADDER) - 1)], "clock": clock}
        target["escalation"] = rank <= _escalated(level, tiers, len(severity_ids))
        targets[severity] = target
    return {
        "id": f"tier-{level}",
        "name": f"Plan {level}",
        "level": level,
        "obtained": "included" if level == 1 else obtained,
        "summary": _sentence(rng, 8),
        "description": _paragraph(rng),
        "hours": hours,
        "escalation": {
            "when": "Your ticket has not been acknowledged within the target below.",
            "contacts": ["escalations", "account-executive"],
        },
        "targets": targets,
    }


# --- the core files -----------------------------------------------------------------------------


def _severities(count: int, rng: random.Random) -> list[dict]:
    return [
        {
            "id": SEVERITY_NAMES[i] if i < len(SEVERITY_NAMES) else f"severity-{i + 1}",
            "rank": i + 1,
            "name": (SEVERITY_NAMES[i] if i < len(SEVERITY_NAMES) else f"severity {i + 1}").capitalize(),
            "definition": _paragraph(rng, 2),
            "examples": [_sentence(rng, 7), _sentence(rng, 6)],
        }
        for i in range(count)
    ]


SCHEDULES = [
    {
        "id": "standard-hours",
        "name": "Standard hours",
        "timezone": "America/Chicago",
        "hours": [{"days": ["mon", "tue", "wed", "thu", "fri"], "opens": "08:00", "closes": "17:00"}],
        "holidays": {
            "country": "US",
            "dates": [
                {"date": "2026-12-24", "name": "Christmas Eve"},
                {"date": "2026-12-31", "name": "New Year's Eve"},
            ],
        },
    },
    {
        "id": "extended-hours",
        "name": "Extended hours",
        "timezone": "America/Chicago",
        "hours": [
            {"days": ["mon", "tue", "wed", "thu", "fri"], "opens": "07:00", "closes": "19:00"},
            {"days": ["sat"], "opens": "09:00", "closes": "13:00"},
        ],
    },
    {"id": "around-the-clock", "name": "Around the clock", "timezone": "America/Chicago", "always_open": True},
    {
        "id": "platform-operations",
        "name": "Platform operations",
        "timezone": "America/New_York",
        "always_open": True,
        "maintenance": [
            {
                "id": "nightly",
                "days": ["tue", "thu"],
                "starts": "02:00",
                "ends": "04:00",
                "downtime": True,
                "note": "Requests may fail for a few minutes while we roll out changes.",
            }
        ],
    },
]


def _core_channels(tiers: int) -> list[dict]:
    """Named channels; each band's desk promises the band's fastest acknowledgement, on its clock."""
    channels = []
    for band, (hours, clock, _) in enumerate(BANDS):
        served = [level for level in range(1, tiers + 1) if _band(level, tiers) == band]
        if not served:
            continue
        fastest = LADDER[_ack_index(max(served), 1, tiers)]
        channels.append(
            {
                "id": f"desk-{hours}",
                "kind": "email",
                "name": f"Support desk ({hours.replace('-', ' ')})",
                "address": f"{hours}@tallyweave.example",
                "purpose": "Every ticket from the plans this desk serves.",
                "hours": hours,
                "template": "technical-ticket",
                "tiers": [f"tier-{level}" for level in served],
                "response": {"within": {"min": "5m", "max": fastest} if clock == "24x7" else fastest, "clock": clock},
                "response_applies": "outside-plan-targets",
            }
        )
    channels[-1]["subject"] = {"prefix": "[URGENT]", "text": "[URGENT] {what is down}"}
    simple = [
        ("escalations", "email", "Escalations"),
        ("sales", "email", "Sales team"),
        ("finance", "email", "Finance team"),
        ("feature-requests", "email", "Feature requests"),
        ("security-reports", "email", "Security reports"),
    ]
    for id_, kind, name in simple:
        channels.append(
            {
                "id": id_,
                "kind": kind,
                "name": name,
                "address": f"{id_}@tallyweave.example",
                "purpose": f"{name} of Tallyweave.",
                "hours": "standard-hours",
            }
        )
    channels += [
        {
            "id": "account-executive",
            "kind": "person",
            "name": "Your account executive",
            "purpose": "Commercial questions, escalations and anything about your agreement.",
        },
        {
            "id": "feedback",
            "kind": "web-form",
            "name": "Feedback",
            "address": "https://tallyweave.example/feedback",
            "purpose": "Tell us what works and what does not.",
        },
        {
            "id": "status-page",
            "kind": "status-page",
            "name": "Status page",
            "available": False,
            "purpose": "Live system status and incident updates.",
        },
    ]
    return channels


TICKETS = [
    {
        "id": "technical-ticket",
        "name": "Technical ticket",
        "intro": "A complete ticket saves a round of questions.",
        "fields": [
            {"id": "tenant", "label": "Your tenant or company name", "kind": "text", "required": True},
            {
                "id": "url",
                "label": "API call or Portal page",
                "kind": "url",
                "applies_when": "the problem concerns a particular call or page",
                "placeholder": "https://api.tallyweave.example/companies/{id}/invoices",
            },
            {
                "id": "occurred-at",
                "label": "When it happened",
                "kind": "timestamp",
                "required": True,
                "placeholder": "2026-11-23T14:05:00-06:00",
            },
            {
                "id": "errors",
                "label": "Error messages",
                "kind": "multiline",
                "sensitive": "Remove API keys and access tokens before pasting.",
            },
            {
                "id": "payload",
                "label": "Pushed payload",
                "kind": "payload",
                "required_when": "the problem concerns pushing data",
            },
            {"id": "area", "label": "Area", "kind": "choice", "options": ["API", "Portal", "Link"]},
        ],
        "tip": "Include the exact timestamp and the request id.",
    },
    {
        "id": "emergency-ticket",
        "name": "Emergency report",
        "intro": "Keep it short.",
        "fields": [
            {"id": "nature", "label": "What is broken", "kind": "text", "required": True},
            {"id": "started-at", "label": "When it started", "kind": "timestamp", "required": True},
        ],
    },
]


def _core(out: Path, tiers: int, severities: int, rng: random.Random) -> list[Path]:
    severity_list = _severities(severities, rng)
    severity_ids = [s["id"] for s in severity_list]
    tier_list = [_tier(level, tiers, severity_ids, rng) for level in range(1, tiers + 1)]
    return [
        _write(
            out,
            "organization.yaml",
            {
                "organization": {
                    "name": "Tallyweave",
                    "product": "Tallyweave Ledger API",
                    "site_url": "https://support.tallyweave.example",
                    "timezone": "America/Chicago",
                    "intro": _paragraph(rng),
                },
                "status": {
                    "uptime": {"target": 99.9, "period": "month", "excludes_maintenance": True},
                    "page": {"available": False, "note": "Coming soon"},
                    "maintenance": {"schedule": "platform-operations", "notice": "72h", "note": _sentence(rng)},
                    "monitoring": _sentence(rng),
                },
                "security": {
                    "channel": "security-reports",
                    "text": _paragraph(rng, 2),
                    "do_not": ["Disclose the issue publicly before we have had a chance to fix it."],
                },
            },
        ),
        _write(
            out,
            "scope.yaml",
            {
                "scope": {
                    "intro": _sentence(rng),
                    "will": [{"id": f"will-{i}", "text": _sentence(rng)} for i in range(4)],
                    "will_not": [
                        {
                            "id": "demos",
                            "text": "Give product demos.",
                            "instead": {"text": "Our sales team runs demos.", "channels": ["sales"]},
                        },
                        {
                            "id": "billing",
                            "text": "Answer billing questions.",
                            "instead": {"text": "Ask finance.", "channels": ["finance", "account-executive"]},
                        },
                    ],
                    "otherwise": {"text": _sentence(rng)},
                }
            },
        ),
        _write(
            out,
            "retention.yaml",
            {
                "retention": {
                    "intro": _sentence(rng),
                    "logs": [
                        {"id": "sync-logs", "name": "Sync logs", "covers": "Pulls and pushes", "kept": "3mo"},
                        {"id": "api-logs", "name": "API logs", "covers": "Every API call", "kept": "15d"},
                    ],
                    "report_within": "14d",
                    "advice": "Raise issues within two weeks.",
                }
            },
        ),
        _write(out, "severities.yaml", {"severities": severity_list}),
        _write(out, "schedules.yaml", {"schedules": SCHEDULES}),
        *(
            _write(out, f"tiers-{i // TIERS_PER_FILE + 1:02d}.yaml", {"tiers": tier_list[i : i + TIERS_PER_FILE]})
            for i in range(0, tiers, TIERS_PER_FILE)
        ),
        _write(out, "channels.yaml", {"channels": _core_channels(tiers)}),
        _write(out, "tickets.yaml", {"ticket_templates": TICKETS}),
        _write(
            out,
            "providers.yaml",
            {
                "providers": [
                    {
                        "id": f"provider-{i}",
                        "name": f"Provider {i}",
                        "area": _sentence(rng, 4),
                        "who": "The app owner",
                        "why": _paragraph(rng, 2),
                        "contact": f"https://provider-{i}.example/support",
                    }
                    for i in range(3)
                ]
            },
        ),
    ]


# --- the bulk: journeys, glossary terms, known problems, channels ---------------------------------


def _terms(group: int) -> list[str]:
    return [
        f"{WORDS[(group + k) % len(WORDS)].capitalize()} {WORDS[(group * 7 + k) % len(WORDS)]} {group}-{k}"
        for k in range(5)
    ]


def _glossary(group: int, rng: random.Random) -> dict:
    return {
        "glossary": [
            {"term": term, "definition": _paragraph(rng, 2), **({"aliases": [term.lower()]} if k % 2 else {})}
            for k, term in enumerate(_terms(group))
        ]
    }


def _journeys(group: int, has_glossary: bool, rng: random.Random) -> dict:
    terms = _terms(group) if has_glossary else []
    journeys = []
    for j, used in enumerate((terms[:3], terms[3:])):
        journeys.append(
            {
                "id": f"journey-{group}-{j}",
                "title": f"Journey {group}.{j}: {_sentence(rng, 4)[:-1]}",
                "summary": f"{_sentence(rng)} It relies on {', '.join(used) or 'nothing special'}.",
                "steps": [{"title": _sentence(rng, 6), "text": _sentence(rng)} for _ in range(rng.randint(3, 5))],
                "guides": [
                    {"name": f"Guide {group}.{j}", "url": f"https://help.tallyweave.example/guides/{group}-{j}"}
                ],
                "checklist": [_sentence(rng, 7) for _ in range(3)],
                **({"terms": used} if used else {}),
            }
        )
    return {"journeys": journeys}


def _problems(group: int, rng: random.Random) -> dict:
    problems = []
    for k in range(4):
        status = HTTP[(group + k) % len(HTTP)]
        problem = {
            "id": f"problem-{group}-{k}",
            "title": _sentence(rng, 4)[:-1],
            "symptom": f"{status} {_sentence(rng, 4)}",
            "http_status": status,
            "causes": [_sentence(rng), _sentence(rng)],
            "fixes": [_sentence(rng), _paragraph(rng, 2)],
        }
        if k % 2 == 0:
            problem["example"] = {
                "language": "http",
                "code": f"GET /companies/{group}/records HTTP/1.1\nHost: api.tallyweave.example\n",
            }
            problem["contact"] = "desk-standard-hours"
        problems.append(problem)
    return {"known_problems": problems}


def _channels(group: int, tiers: int, rng: random.Random) -> dict:
    kinds = (
        ("email", lambda i: f"desk-{i}@tallyweave.example"),
        ("web-form", lambda i: f"https://tallyweave.example/forms/{i}"),
        ("phone", lambda i: f"+1555{i:07d}"),
        ("chat", lambda i: f"https://chat.tallyweave.example/{i}"),
        ("person", None),
    )
    channels = []
    for k in range(3):
        number = group * 3 + k
        kind, address = kinds[number % len(kinds)]
        channel = {
            "id": f"regional-desk-{number}",
            "kind": kind,
            "name": f"Regional desk {number}",
            "purpose": _paragraph(rng, 2),
        }
        if address:
            channel["address"] = address(number)
        if k != 2:
            channel["hours"] = "standard-hours"
        if kind == "email":
            channel["subject"] = {"text": f"Region {number}: {{your question}}"}
            channel["template"] = "technical-ticket"
        channel["tiers"] = [f"tier-{level}" for level in range(1, tiers + 1) if level % 3 == k]
        channels.append(channel)
    return {"channels": channels}


def generate(
    out: Path, files: int = 1000, tiers: int = 50, severities: int = 5, *, seed: int = 1, check: bool = True
) -> list[Path]:
    """Write a valid policy set of ``files`` files into the new or empty folder ``out``.

    Returns the files written. With ``check`` (the default) the set is verified with
    ``support-policies check --strict`` and SystemExit is raised if it is not clean.
    """
    if not 1 <= tiers <= 100 or not 1 <= severities <= 20:
        raise ValueError("the schema allows 1–100 tiers and 1–20 severities")
    core = 8 + -(-tiers // TIERS_PER_FILE)
    if files < core + 2:
        raise ValueError(f"a set with {tiers} tiers needs at least {core + 2} files")
    out = Path(out)
    if out.exists() and any(out.iterdir()):
        raise ValueError(f"{out} is not empty")
    out.mkdir(parents=True, exist_ok=True)
    rng = random.Random(seed)
    written = _core(out, tiers, severities, rng)
    bulk = files - len(written)
    glossaries = (bulk + 2) // 4  # content files take turns: journeys, glossary, known problems, channels
    for i in range(bulk):
        group, kind = divmod(i, 4)
        if kind == 0:
            written.append(
                _write(out, f"journeys/journeys-{group:04d}.yaml", _journeys(group, group < glossaries, rng))
            )
        elif kind == 1:
            written.append(_write(out, f"glossary/terms-{group:04d}.yaml", _glossary(group, rng)))
        elif kind == 2:
            written.append(_write(out, f"known-problems/problems-{group:04d}.yaml", _problems(group, rng)))
        else:
            written.append(_write(out, f"channels/channels-{group:04d}.yaml", _channels(group, tiers, rng)))
    if check:
        run([BIN / "support-policies", "check", "--strict", out.resolve()], cwd=out)
    return sorted(written)


@contextlib.contextmanager
def generated(files: int, tiers: int, severities: int):
    """A generated (and verified) set in a temporary folder: yields (folder, files)."""
    with tempfile.TemporaryDirectory(prefix="support-policies-bench-") as tmp:
        out = Path(tmp) / "policies"
        yield out, generate(out, files, tiers, severities)


def main() -> int:
    import argparse

    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    p.add_argument("out", type=Path, help="new or empty folder to write the policy set into")
    p.add_argument("--files", type=int, default=1000, help="number of policy files (default: 1000)")
    p.add_argument("--tiers", type=int, default=50, help="number of tiers, 1–100 (default: 50)")
    p.add_argument("--severities", type=int, default=5, help="number of severities, 1–20 (default: 5)")
    p.add_argument("--seed", type=int, default=1, help="random seed for the texts (default: 1)")
    args = p.parse_args()
    try:
        paths = generate(args.out, args.files, args.tiers, args.severities, seed=args.seed)
    except ValueError as exc:
        p.error(str(exc))
    size = sum(path.stat().st_size for path in paths)
    print(f"wrote {len(paths)} files ({size / 1e6:.1f} MB) to {args.out}; support-policies check --strict: clean")
    return 0


if __name__ == "__main__":
    sys.exit(main())
