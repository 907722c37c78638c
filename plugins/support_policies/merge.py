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

from . import texts
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
def _plan(cls: type[DataclassInstance]) -> tuple[tuple[str, str, Convert, bool], ...]:
    """Each field of ``cls`` but ``origin``: its name, its YAML key, how to convert its data and
    whether that conversion needs the origin of the data (a scalar's does not)."""
    hints = typing.get_type_hints(cls)
    plan = []
    for f in fields(cls):
        if f.name != "origin":
            plan.append((f.name, f.metadata.get("key", f.name), *_converter(hints[f.name])))
    return tuple(plan)


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
    for name, key, convert, placed in _plan(cls):
        if key in mapping:
            values[name] = convert(mapping[key], origin.child(key) if placed else origin)
    return cls(**values)


@functools.cache
def _converter(hint: object) -> tuple[Convert, bool]:
    """How to convert data into a value of type ``hint``, worked out once per type, and whether
    that conversion uses the origin it is given (those of scalars, and of lists and mappings of
    scalars, do not: no origin need be made for them)."""
    if typing.get_origin(hint) in (typing.Union, types.UnionType):
        hint = next(arg for arg in typing.get_args(hint) if arg is not type(None))
    if hint in _PARSERS:
        parse = _PARSERS[hint]
        return (lambda value, origin: parse(value)), False
    container = typing.get_origin(hint)
    if container is tuple:
        item, placed = _converter(typing.get_args(hint)[0])
        if not placed:
            return (lambda value, origin: tuple(item(v, origin) for v in _entries(value))), False
        return (lambda value, origin: tuple(item(v, origin.child(i)) for i, v in enumerate(_entries(value)))), True
    if container is dict:
        if typing.get_args(hint)[1] is Target:
            return (
                lambda value, origin: {
                    k: build(Target, v, origin.child(k), severity=k) for k, v in _mapping(value).items()
                }
            ), True
        entry, placed = _converter(typing.get_args(hint)[1])
        if not placed:
            return (lambda value, origin: {k: entry(v, origin) for k, v in _mapping(value).items()}), False
        return (lambda value, origin: {k: entry(v, origin.child(k)) for k, v in _mapping(value).items()}), True
    if hint is Condition:
        return (lambda value, origin: _condition(_mapping(value), origin)), True
    if isinstance(hint, type) and hasattr(hint, "__dataclass_fields__"):
        cls: type[DataclassInstance] = hint
        return (lambda value, origin: build(cls, value, origin)), True
    if hint is float:
        return (lambda value, origin: float(value) if isinstance(value, int) else value), False
    if hint is str:
        return texts.note, False  # a text, or a mapping of texts per language (see texts.localize)
    return (lambda value, origin: value), False


def _condition(data: Mapping[str, object], origin: Origin) -> Condition:
    """``otherwise`` is a promise, or ``{handled_as: severity}`` (the union the schema allows)."""
    otherwise = _mapping(data.get("otherwise", {}))
    if "handled_as" in otherwise:
        return Condition(cast(str, data["requires"]), handled_as=str(otherwise["handled_as"]), origin=origin)
    promise = build(Promise, otherwise, origin.child("otherwise")) if otherwise else None
    return Condition(cast(str, data["requires"]), otherwise=promise, origin=origin)  # text, or text per language


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
