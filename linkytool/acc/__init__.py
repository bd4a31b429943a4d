"""Collective self-consumption (ACC): preview of Enedis's allocation per measurement step.

The core (grid, kernels, engine) is pure numpy and file-free; readers and writers are thin
adapters. Public entry points:

- :func:`run_operation` runs an :class:`Operation` chunk by chunk with a progress callback
  and returns an :class:`AccResult`;
- :func:`load_operation` builds an :class:`Operation` from the CSV files of the contract;
- :func:`write_outputs` writes every output file of the contract into a directory;
- :func:`build_demo_operation` generates the bundled demo operation.
"""

from __future__ import annotations

from linkytool.acc.demo import build_demo_operation, write_demo_inputs
from linkytool.acc.engine import AccResult, run_operation
from linkytool.acc.errors import AccError, AccInputError, CoefficientError, GapError
from linkytool.acc.loader import LoadOptions, load_operation
from linkytool.acc.model import GapPolicy, KeyKind, Operation, StaticExcess
from linkytool.acc.outputs import write_outputs

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
