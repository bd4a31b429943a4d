"""Collective self-consumption (ACC): preview of Enedis's allocation per measurement step.

The core (grid, kernels, engine) is pure numpy and file-free; readers and writers are thin
adapters. Public entry points:

- :func:`run_operation` runs an :class:`Operation` chunk by chunk with a progress callback
  and returns an :class:`AccResult`;
- :func:`load_operation` builds an :class:`Operation` from the CSV files of the contract;
- :func:`write_outputs` writes every output file of the contract into a directory;
- :func:`build_demo_operation` generates the bundled demo operation.

They are imported on first use (PEP 562): importing a light submodule such as
:mod:`linkytool.acc.labels` or :mod:`linkytool.acc.errors` does not load numpy, so the
UI's ACC pane opens at once.
"""

from __future__ import annotations

import importlib
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from linkytool.acc.demo import build_demo_operation, write_demo_inputs
    from linkytool.acc.engine import AccResult, run_operation
    from linkytool.acc.errors import AccError, AccInputError, CoefficientError, GapError
    from linkytool.acc.loader import LoadOptions, load_operation
    from linkytool.acc.model import GapPolicy, KeyKind, Operation, StaticExcess
    from linkytool.acc.outputs import write_outputs

#: Public name -> the submodule that defines it.
_EXPORTS: dict[str, str] = {
    "AccError": "errors",
    "AccInputError": "errors",
    "AccResult": "engine",
    "CoefficientError": "errors",
    "GapError": "errors",
    "GapPolicy": "model",
    "KeyKind": "model",
    "LoadOptions": "loader",
    "Operation": "model",
    "StaticExcess": "model",
    "build_demo_operation": "demo",
    "load_operation": "loader",
    "run_operation": "engine",
    "write_demo_inputs": "demo",
    "write_outputs": "outputs",
}


def __getattr__(name: str) -> Any:
    module = _EXPORTS.get(name)
    if module is None:
        raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
    value = getattr(importlib.import_module(f"{__name__}.{module}"), name)
    globals()[name] = value
    return value


__all__ = [
    "AccError",
    "AccInputError",
    "AccResult",
    "CoefficientError",
    "GapError",
    "GapPolicy",
    "KeyKind",
    "LoadOptions",
    "Operation",
    "StaticExcess",
    "build_demo_operation",
    "load_operation",
    "run_operation",
    "write_demo_inputs",
    "write_outputs",
]
