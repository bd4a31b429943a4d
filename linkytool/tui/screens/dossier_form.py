"""Editable fields of the dossier, derived from the model's own field metadata.

The dossier dataclasses (``linkytool.mes.model``) carry a French label and an example per
field; this module walks them to list the fields the Prérequis screen shows, and applies
one edited value through ``linkytool.mes.schema`` (the same conversion and checks as
loading the file), so the UI never re-implements validation.
"""

from __future__ import annotations

import dataclasses
import types
import typing
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date, datetime
from enum import StrEnum
from typing import Any

#: Sections edited elsewhere (their own screens) or not as simple fields.
SKIPPED = ("readings", "decoupling_test", "photos", "signatures", "schema")


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
            leaf = _leaf_kind(tp)
            if leaf is None:  # lists (inverters): edited in the TOML file
                continue
            kind, choices = leaf
            example = field.metadata.get("example")
            specs.append(FieldSpec(path, label, example, kind, choices, section))

    walk(root, "", "")
    return specs


def get_value(data: Mapping[str, Any], path: str) -> Any:
    node: Any = data
    for key in path.split("."):
        node = node.get(key, "") if isinstance(node, Mapping) else ""
    return node


def set_value(data: dict[str, Any], path: str, value: Any) -> None:
    keys = path.split(".")
    node = data
    for key in keys[:-1]:
        node = node.setdefault(key, {})
    node[keys[-1]] = value


def display_value(value: Any) -> str:
    """A dossier value as the text shown in an input field."""
    if value is None:
        return ""
    if isinstance(value, datetime):
        return value.replace(tzinfo=None).isoformat(timespec="minutes")
    if isinstance(value, float) and value.is_integer():
        return str(int(value)) if abs(value) >= 1 else str(value)
    return str(value)


def raw_from_text(spec: FieldSpec, text: str) -> Any:
    """Typed text -> the raw value the dossier schema converts (as if read from TOML)."""
    text = text.strip()
    if spec.kind == "int" and text.lstrip("-").isdigit():
        return int(text)
    return text
