"""Plain-text renderings of rows and values (JSON, aligned tables, CSV).

Pure functions shared by every front end and by core exporters: they never print and
never import click, so ``linkytool.tic`` and ``linkytool.acc`` can use them without
loading the command line.
"""

from __future__ import annotations

import csv
import io
import json
from collections.abc import Iterable, Mapping, Sequence
from datetime import date, datetime
from decimal import Decimal
from enum import Enum
from pathlib import Path
from typing import Any

#: (key in the row mapping, column header shown in tables)
Column = tuple[str, str]


def to_jsonable(value: Any) -> Any:
    """Convert dataclasses' usual field types (datetime, Path, Enum...) for JSON."""
    if isinstance(value, datetime | date):
        return value.isoformat()
    if isinstance(value, Path):
        return str(value)
    if isinstance(value, Enum):
        return value.value
    if isinstance(value, Decimal):
        return str(value)
    if isinstance(value, Mapping):
        return {str(k): to_jsonable(v) for k, v in value.items()}
    if isinstance(value, list | tuple | set | frozenset):
        return [to_jsonable(v) for v in value]
    if isinstance(value, bytes):
        return value.decode("latin-1")
    return value


def dumps_json(value: Any, *, indent: int | None = 2) -> str:
    """Serialise ``value`` as UTF-8 JSON (accents kept readable)."""
    return json.dumps(to_jsonable(value), ensure_ascii=False, indent=indent)


def render_table(rows: Sequence[Mapping[str, Any]], columns: Sequence[Column]) -> str:
    """Render ``rows`` as a plain aligned text table (no colours: safe in pipes)."""
    header = [title for _, title in columns]
    body = [
        ["" if row.get(key) is None else str(row.get(key)) for key, _ in columns] for row in rows
    ]
    widths = [max(len(cell) for cell in column) for column in zip(header, *body, strict=False)]
    lines = ["  ".join(cell.ljust(width) for cell, width in zip(header, widths, strict=True))]
    lines.append("  ".join("-" * width for width in widths))
    lines += [
        "  ".join(cell.ljust(width) for cell, width in zip(line, widths, strict=True))
        for line in body
    ]
    return "\n".join(line.rstrip() for line in lines)


def render_csv(rows: Iterable[Mapping[str, Any]], columns: Sequence[Column]) -> str:
    """Render ``rows`` as CSV with the column keys as header."""
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\n")
    writer.writerow([key for key, _ in columns])
    for row in rows:
        writer.writerow(
            ["" if row.get(key) is None else to_jsonable(row.get(key)) for key, _ in columns]
        )
    return buffer.getvalue()
