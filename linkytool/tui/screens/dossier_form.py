"""Editable fields of the dossier, derived from the model's own field metadata.

The dossier dataclasses (``linkytool.mes.model``) carry a French label and an example per
field; this module walks them to list the fields the Prérequis screen shows, and applies
one edited value through ``linkytool.mes.schema`` (the same conversion and checks as
loading the file), so the UI never re-implements validation.
"""

from __future__ import annotations

import dataclasses
import itertools
import types
import typing
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date, datetime
from enum import StrEnum
from typing import Any

#: Sections edited elsewhere (their own screens) or not as simple fields.
SKIPPED = ("readings", "decoupling_test", "photos", "signatures", "schema", "attestation")


@dataclass(frozen=True)
class FieldSpec:
    """One editable leaf field of the dossier."""

    path: str  # dotted, e.g. "installation.decoupling.setting_name"
    label: str
    example: str | None
    kind: str  # "str", "int", "float", "date", "datetime", "bool", "enum"
    choices: tuple[str, ...] = ()
    section: str = ""


def _leaf_kind(tp: Any) -> tuple[str, tuple[str, ...]] | None:
    origin = typing.get_origin(tp)
    if origin in (typing.Union, types.UnionType):
        inner = [a for a in typing.get_args(tp) if a is not type(None)]
        return _leaf_kind(inner[0]) if len(inner) == 1 else None
    if isinstance(tp, type) and issubclass(tp, StrEnum):
        return "enum", tuple(member.value for member in tp)
    names = {
        bool: "bool",
        int: "int",
        float: "float",
        str: "str",
        date: "date",
        datetime: "datetime",
    }
    return (names[tp], ()) if tp in names else None


def field_specs(root: type[Any]) -> list[FieldSpec]:
    """The editable leaf fields of ``root`` (the ``Dossier`` class), in file order."""
    specs: list[FieldSpec] = []

    def walk(cls: type[Any], prefix: str, section: str) -> None:
        hints = typing.get_type_hints(cls)
        for field in dataclasses.fields(cls):
            path = f"{prefix}{field.name}"
            if path in SKIPPED:
                continue
            tp = hints[field.name]
            label = str(field.metadata.get("label", field.name))
            if dataclasses.is_dataclass(tp):
                walk(
                    typing.cast(type[Any], tp),
                    f"{path}.",
                    label if not prefix else f"{section} — {label}",
                )
                continue
            item = _list_item_class(tp)
            if item is not None:
                # The first item (the first inverter) is edited here; more in the file.
                walk(
                    item,
                    f"{path}[1].",
                    f"{section} — {label} (le 1er ; les suivants dans le fichier)",
                )
                continue
            leaf = _leaf_kind(tp)
            if leaf is None:
                continue
            kind, choices = leaf
            example = field.metadata.get("example")
            specs.append(FieldSpec(path, label, example, kind, choices, section))

    walk(root, "", "")
    return specs


def _list_item_class(tp: Any) -> type[Any] | None:
    """``list[SomeDataclass]`` -> ``SomeDataclass``; anything else -> None."""
    if typing.get_origin(tp) is list:
        (item,) = typing.get_args(tp)
        if dataclasses.is_dataclass(item):
            return typing.cast(type[Any], item)
    return None


def split_path(path: str) -> list[str | int]:
    """``"a.b[1].c"`` -> ``["a", "b", 0, "c"]`` (list positions are 1-based in paths,
    as in the dossier's validation messages)."""
    parts: list[str | int] = []
    for key in path.split("."):
        name, _, index = key.partition("[")
        parts.append(name)
        if index:
            parts.append(int(index.rstrip("]")) - 1)
    return parts


def get_value(data: Any, path: str) -> Any:
    """The value at ``path`` in plain data or in the dossier objects ("" when absent)."""
    node: Any = data
    for part in split_path(path):
        if isinstance(part, int):
            node = node[part] if isinstance(node, list) and part < len(node) else ""
        elif isinstance(node, Mapping):
            node = node.get(part, "")
        else:
            node = getattr(node, part, "")
    return node


def set_value(data: dict[str, Any], path: str, value: Any) -> None:
    """Set ``path`` in plain (TOML-like) data, creating sections and list items."""
    parts = split_path(path)
    node: Any = data
    for part, following in itertools.pairwise(parts):
        if isinstance(part, int):
            while len(node) <= part:
                node.append({})
            node = node[part]
        else:
            node = node.setdefault(part, [] if isinstance(following, int) else {})
    node[parts[-1]] = value


def raw_from_text(spec: FieldSpec, text: str) -> Any:
    """Typed text -> the raw value the dossier schema converts (as if read from TOML)."""
    text = text.strip()
    if spec.kind == "int" and text.lstrip("-").isdigit():
        return int(text)
    return text
