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
from collections.abc import Callable, Mapping, Sequence
from dataclasses import Field, fields
from operator import attrgetter
from typing import TYPE_CHECKING, Any, TypeVar, cast

from .findings import Finding, Level
from .loader import Document
from .model import (
    LIST_SECTIONS,
    SINGLE_SECTIONS,
    Condition,
    Duration,
    Origin,
    Period,
    PolicySet,
    Promise,
    Target,
    Within,
)

if TYPE_CHECKING:
    from _typeshed import DataclassInstance

_D = TypeVar("_D", bound="DataclassInstance")

# Each parser takes the form the schema allows for its type (text; for Within, text or a mapping).
_PARSERS: dict[object, Callable[[Any], object]] = {Duration: Duration.parse, Period: Period.parse, Within: Within.parse}


@functools.cache
def _hints(cls: type[DataclassInstance]) -> tuple[dict[str, object], tuple[Field[object], ...]]:
    return typing.get_type_hints(cls), fields(cls)


def _mapping(value: object) -> Mapping[str, object]:
    """Schema-valid data for a dataclass or a ``dict`` field: the schema makes it a mapping."""
    return cast("Mapping[str, object]", value)


def _entries(value: object) -> Sequence[object]:
    """Schema-valid data for a ``tuple`` field: the schema makes it a list."""
    return cast("Sequence[object]", value)


def build(cls: type[_D], data: object, origin: Origin, **extra: object) -> _D:
    """Build ``cls`` from schema-valid ``data``, recursing by the field types."""
    hints, cls_fields = _hints(cls)
    mapping = _mapping(data)
    values = dict(extra)
    for f in cls_fields:
        if f.name == "origin":
            values["origin"] = origin
        elif (key := f.metadata.get("key", f.name)) in mapping:
            values[f.name] = _convert(hints[f.name], mapping[key], origin.child(key), key)
    return cls(**values)


def _convert(hint: object, value: object, origin: Origin, name: str) -> object:
    if typing.get_origin(hint) in (typing.Union, types.UnionType):
        hint = next(arg for arg in typing.get_args(hint) if arg is not type(None))
    if hint in _PARSERS:
        return _PARSERS[hint](value)
    container = typing.get_origin(hint)
    if container is tuple:
        (item, _) = typing.get_args(hint)
        return tuple(_convert(item, v, origin.child(i), name) for i, v in enumerate(_entries(value)))
    if container is dict:
        item = typing.get_args(hint)[1]
        if item is Target:
            return {k: build(Target, v, origin.child(k), severity=k) for k, v in _mapping(value).items()}
        return {k: _convert(item, v, origin.child(k), name) for k, v in _mapping(value).items()}
    if hint is Condition:
        return _condition(_mapping(value), origin)
    if isinstance(hint, type) and hasattr(hint, "__dataclass_fields__"):
        return build(hint, value, origin)
    if hint is float and isinstance(value, int):
        return float(value)
    return value


def _condition(data: Mapping[str, object], origin: Origin) -> Condition:
    """``otherwise`` is a promise, or ``{handled_as: severity}`` (the union the schema allows)."""
    otherwise = _mapping(data.get("otherwise", {}))
    if "handled_as" in otherwise:
        return Condition(str(data["requires"]), handled_as=str(otherwise["handled_as"]), origin=origin)
    promise = build(Promise, otherwise, origin.child("otherwise")) if otherwise else None
    return Condition(str(data["requires"]), otherwise=promise, origin=origin)


def merge(documents: list[Document]) -> tuple[PolicySet, list[Finding]]:
    """One policy set from many files: lists are joined, single sections appear once."""
    findings: list[Finding] = []
    singles: dict[str, object] = {}
    lists: dict[str, list[object]] = {name: [] for name in LIST_SECTIONS}
    first: dict[str, str] = {}
    types_ = typing.get_type_hints(PolicySet)
    for document in documents:
        for section, value in _mapping(document.data).items():
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
                lists[section].extend(build(item_type, item, origin.child(i)) for i, item in enumerate(_entries(value)))
    policy = _instance(
        PolicySet,
        {
            **singles,
            **{name: tuple(_ordered(name, items)) for name, items in lists.items()},
            "files": tuple(d.path for d in documents),
        },
    )
    return policy, findings


def _instance(cls: type[_D], values: Mapping[str, object]) -> _D:
    """``cls`` from fields built by reflection (their types are the fields' own)."""
    return cls(**values)


def _ordered(section: str, items: list[object]) -> list[object]:
    if section == "severities":
        return sorted(items, key=attrgetter("rank"))
    if section == "tiers":
        return sorted(items, key=attrgetter("level"))
    return items
