"""One policy set from many schema-valid documents.

:func:`merge` joins the files: list sections are concatenated, single sections appear
once. :func:`build` fills in each model dataclass from its data by reflection on the
field types (``Duration``, ``tuple[Step, ...]``, ``dict[str, Target]``, …), so a new
section or key needs only its dataclass in :mod:`support_policies.model`.
"""

from __future__ import annotations

import functools
import types
import typing
from dataclasses import fields

from .findings import Finding, Level
from .loader import Document
from .model import LIST_SECTIONS, SINGLE_SECTIONS, Duration, Origin, Period, PolicySet, Target, Within

_PARSERS = {Duration: Duration.parse, Period: Period.parse, Within: Within.parse}


@functools.cache
def _hints(cls) -> tuple[dict, tuple]:
    return typing.get_type_hints(cls), fields(cls)


def build(cls, data: dict, origin: Origin, **extra):
    """Build ``cls`` from schema-valid ``data``, recursing by the field types."""
    hints, cls_fields = _hints(cls)
    values = dict(extra)
    for f in cls_fields:
        if f.name == "origin":
            values["origin"] = origin
        elif f.name in data:
            values[f.name] = _convert(hints[f.name], data[f.name], origin.child(f.name), f.name)
    return cls(**values)


def _convert(hint, value, origin: Origin, name: str):
    if typing.get_origin(hint) in (typing.Union, types.UnionType):
        hint = next(arg for arg in typing.get_args(hint) if arg is not type(None))
    if hint in _PARSERS:
        return _PARSERS[hint](value)
    container = typing.get_origin(hint)
    if container is tuple:
        (item, _) = typing.get_args(hint)
        return tuple(_convert(item, v, origin.child(i), name) for i, v in enumerate(value))
    if container is dict:
        item = typing.get_args(hint)[1]
        if item is Target:
            return {k: build(Target, v, origin.child(k), severity=k) for k, v in value.items()}
        return {k: _convert(item, v, origin.child(k), name) for k, v in value.items()}
    if isinstance(hint, type) and hasattr(hint, "__dataclass_fields__"):
        return build(hint, value, origin)
    if hint is float and isinstance(value, int):
        return float(value)
    return value


def merge(documents: list[Document]) -> tuple[PolicySet, list[Finding]]:
    """One policy set from many files: lists are joined, single sections appear once."""
    findings: list[Finding] = []
    singles: dict[str, object] = {}
    lists: dict[str, list] = {name: [] for name in LIST_SECTIONS}
    first: dict[str, str] = {}
    types_ = typing.get_type_hints(PolicySet)
    for document in documents:
        data = document.data
        for section, value in data.items():
            origin = Origin(document.path, (section,), document.positions)
            if section in SINGLE_SECTIONS:
                if section in singles:
                    findings.append(
                        origin.finding(
                            "policy.duplicate-section",
                            Level.ERROR,
                            f"the '{section}' section is already defined in {first[section]}",
                            "Single sections are written once; merge the two or delete one.",
                            key=True,
                        )
                    )
                    continue
                cls = typing.get_args(types_[section])[0]
                singles[section] = build(cls, value, origin)
                first[section] = document.path
            else:
                item_type = typing.get_args(types_[section])[0]
                lists[section].extend(build(item_type, item, origin.child(i)) for i, item in enumerate(value))
    policy = PolicySet(
        **singles,
        **{name: tuple(_ordered(name, items)) for name, items in lists.items()},
        files=tuple(d.path for d in documents),
    )
    return policy, findings


def _ordered(section: str, items: list) -> list:
    if section == "severities":
        return sorted(items, key=lambda s: s.rank)
    if section == "tiers":
        return sorted(items, key=lambda t: t.level)
    return items
