"""The whole policy set as one JSON document, for integrators.

The document (format version 2, described by ``export.schema.json``) holds the merged
policy in the same shape as the YAML files — so it validates against
``policy.schema.json`` and loads back into an equal policy set — plus every response
target flattened to one row per plan, severity and promise, with minutes precomputed.

Version 2 added the ``restore`` promise and, on each covered row, ``best_effort``,
``staffed`` (the clock the plan is staffed on for the severity) and ``condition``.
"""

from __future__ import annotations

import dataclasses
import functools
import json
from datetime import date
from typing import Any

from .. import __version__, i18n
from ..model import Condition, Duration, Period, PolicySet, Promise, Target, Within
from ..wording import is_round_the_clock

FORMAT = "support-policies-export"
VERSION = 2
SCHEMA_FOLDER = "schema/1/"
"""Where the JSON Schemas are published below the section folder, so ``$schema`` lines can point at them.

The folder follows the policy file format, whose files stay valid (version 1): writers' ``$schema``
lines keep working when the export's own ``VERSION`` goes up."""
EXPORT_SCHEMA = "../" + SCHEMA_FOLDER + "export.schema.json"
"""Where the export schema is published, relative to ``DATA_PATH``, when the site's address is unknown."""
DATA_PATH = "data/policies.json"


Json = None | bool | int | float | str | list["Json"] | dict[str, "Json"]
"""A JSON value."""


def policy_document(policy: PolicySet) -> dict[str, Json]:
    """The merged policy set written as one policy file would be (defaults left out)."""
    document: dict[str, Json] = {}
    for f in dataclasses.fields(policy):
        value = getattr(policy, f.name)
        if f.name != "files" and value not in (None, ()):
            document[f.name] = _plain(value)
    return document


def _plain(value: object) -> Json:
    if value is None or isinstance(value, (str, bool, int, float)):
        return value
    if isinstance(value, tuple):
        return [_plain(item) for item in value]
    if isinstance(value, dict):
        return {key: _plain(item) for key, item in value.items()}
    if isinstance(value, (Duration, Period)):
        return str(value)
    if isinstance(value, Within):
        return str(value.max) if value.min is None else {"min": str(value.min), "max": str(value.max)}
    if isinstance(value, Condition):  # the YAML form: otherwise is a promise or {handled_as}
        otherwise: Json = {"handled_as": value.handled_as} if value.handled_as else _plain(value.otherwise)
        return {"requires": value.requires, "otherwise": otherwise}
    kind: Any = type(value)  # (a class is hashable, which typeshed's object does not say)
    return {
        key: _plain(item) for name, key, default in _written_fields(kind) if (item := getattr(value, name)) != default
    }


@functools.cache
def _written_fields(cls: type) -> tuple[tuple[str, str, object], ...]:
    """The fields of a model class a policy file writes: name, YAML key and default (a value
    equal to its default is left out)."""
    if not dataclasses.is_dataclass(cls):
        raise TypeError(f"no JSON form for {cls.__name__}")
    skip = {"origin", "severity"} if issubclass(cls, Target) else {"origin"}
    return tuple(
        (f.name, f.metadata.get("key", f.name), f.default) for f in dataclasses.fields(cls) if f.name not in skip
    )


def target_rows(policy: PolicySet) -> list[Json]:
    """One row per plan, severity and promise, in the order the plans and severities are written."""
    rows: list[Json] = []
    for tier in policy.tiers:
        for severity in policy.severities:
            target = tier.targets.get(severity.id)
            if target is None or not target.covered:
                rows.append({"tier": tier.id, "severity": severity.id, "covered": False})
                continue
            for kind, promise in target.promises():
                row: dict[str, Json] = {"tier": tier.id, "severity": severity.id, "covered": True, "promise": kind}
                row.update(_timing(policy, promise))
                row["staffed"] = tier.staffing(severity.id)
                condition = promise.condition
                if condition is not None:
                    otherwise: dict[str, Json] = (
                        {"handled_as": condition.handled_as}
                        if condition.handled_as or condition.otherwise is None
                        else _timing(policy, condition.otherwise)
                    )
                    row["condition"] = {"requires": condition.requires, "otherwise": otherwise}
                if target.escalation is not None:
                    row["escalation"] = target.escalation
                rows.append(row)
    return rows


def _timing(policy: PolicySet, promise: Promise) -> dict[str, Json]:
    """How fast, on which clock, and whether it is only an aim: the promise part of a row."""
    timing: dict[str, Json] = {"max": str(promise.within.max), "max_minutes": promise.within.max.minutes}
    if promise.within.min is not None:
        timing.update(min=str(promise.within.min), min_minutes=promise.within.min.minutes)
    timing.update(
        clock=promise.clock,
        business_hours=not is_round_the_clock(policy, promise.clock),
        best_effort=promise.best_effort,
    )
    return timing


def export_document(policy: PolicySet, today: date, schema: str | None = None) -> dict[str, Json]:
    """The versioned export: format header, the policy, and the flattened targets.

    ``schema`` is the published export schema's address (default: its path beside the export).
    """
    return {
        "$schema": schema or EXPORT_SCHEMA,
        "format": FORMAT,
        "version": VERSION,
        "generator": f"mkdocs-support-policies {__version__}",
        "generated": today.isoformat(),
        "language": i18n.active().tag,
        "policy": policy_document(policy),
        "targets": target_rows(policy),
    }


def export_json(policy: PolicySet, today: date, schema: str | None = None) -> str:
    return json.dumps(export_document(policy, today, schema), indent=2, ensure_ascii=False) + "\n"
