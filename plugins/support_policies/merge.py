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
from dataclasses import fields
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


Convert = Callable[[object, Origin], object]
"""Turns schema-valid data, read at ``origin``, into a model value of one type."""


@functools.cache
def _plan(cls: type[DataclassInstance]) -> tuple[tuple[str, str, Convert], ...]:
    """Each field of ``cls`` but ``origin``: its name, its YAML key and how to convert its data."""
    hints = typing.get_type_hints(cls)
    return tuple(
        (f.name, f.metadata.get("key", f.name), _converter(hints[f.name])) for f in fields(cls) if f.name != "origin"
    )


def _mapping(value: object) -> Mapping[str, object]:
    """Schema-valid data for a dataclass or a ``dict`` field: the schema makes it a mapping."""
    return cast("Mapping[str, object]", value)


def _entries(value: object) -> Sequence[object]:
    """Schema-valid data for a ``tuple`` field: the schema makes it a list."""
    return cast("Sequence[object]", value)


def build(cls: type[_D], data: object, origin: Origin, **extra: object) -> _D:
    """Build ``cls`` from schema-valid ``data``, recursing by the field types."""
    mapping = _mapping(data)
    values = dict(extra, origin=origin)
    for name, key, convert in _plan(cls):
        if key in mapping:
            values[name] = convert(mapping[key], origin.child(key))
    return cls(**values)


@functools.cache
def _converter(hint: object) -> Convert:
    """How to convert data into a value of type ``hint``, worked out once per type."""
    if typing.get_origin(hint) in (typing.Union, types.UnionType):
        hint = next(arg for arg in typing.get_args(hint) if arg is not type(None))
    if hint in _PARSERS:
        parse = _PARSERS[hint]
        return lambda value, origin: parse(value)
    container = typing.get_origin(hint)
    if container is tuple:
        item = _converter(typing.get_args(hint)[0])
        return lambda value, origin: tuple(item(v, origin.child(i)) for i, v in enumerate(_entries(value)))
    if container is dict:
        if typing.get_args(hint)[1] is Target:
            return lambda value, origin: {
                k: build(Target, v, origin.child(k), severity=k) for k, v in _mapping(value).items()
            }
        entry = _converter(typing.get_args(hint)[1])
        return lambda value, origin: {k: entry(v, origin.child(k)) for k, v in _mapping(value).items()}
    if hint is Condition:
        return lambda value, origin: _condition(_mapping(value), origin)
    if isinstance(hint, type) and hasattr(hint, "__dataclass_fields__"):
        cls: type[DataclassInstance] = hint
        return lambda value, origin: build(cls, value, origin)
    if hint is float:
        return lambda value, origin: float(value) if isinstance(value, int) else value
    return lambda value, origin: value


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
