"""Helpers of the ACC tests: build small operations from arrays and CSV text."""

from __future__ import annotations

import re
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from datetime import datetime
from pathlib import Path
from zoneinfo import ZoneInfo

import numpy as np

from linkytool.acc.errors import AccError
from linkytool.acc.model import (
    ArrayCoefficients,
    ArrayCurves,
    KeyKind,
    Operation,
    StaticExcess,
    StaticSet,
)
from linkytool.acc.timegrid import TimeGrid, to_epoch

PARIS = ZoneInfo("Europe/Paris")
START = to_epoch(datetime(2026, 6, 1, tzinfo=PARIS))


def consumers(n: int) -> tuple[str, ...]:
    return tuple(f"3000000000{i:04d}" for i in range(1, n + 1))


def producers(n: int) -> tuple[str, ...]:
    return tuple(f"2000000000{i:04d}" for i in range(1, n + 1))


def make_operation(
    consumption: Sequence[Sequence[float]],
    injection: Sequence[Sequence[float]],
    key: KeyKind = KeyKind.DEFAULT,
    *,
    static: Sequence[float] | None = None,
    shares: object = None,
    covered: Sequence[bool] | None = None,
    excess: StaticExcess = StaticExcess.SURPLUS,
    windows: Sequence[tuple[int, int]] | None = None,
) -> Operation:
    """Operation over 15-min steps from June 2026; coefficients as fractions."""
    c = np.asarray(consumption, dtype=float)
    p = np.asarray(injection, dtype=float)
    grid = TimeGrid(START, 900, c.shape[0])
    coefficients = None
    if shares is not None:
        values = np.asarray(shares, dtype=float)
        cov = np.ones(c.shape[0], dtype=bool) if covered is None else np.asarray(covered)
        coefficients = ArrayCoefficients(values, cov)
    return Operation(
        grid=grid,
        consumers=consumers(c.shape[1]),
        producers=producers(p.shape[1]),
        consumption=ArrayCurves(c),
        production=ArrayCurves(p),
        key=key,
        static_sets=(StaticSet(0, np.asarray(static, dtype=float)),) if static is not None else (),
        coefficients=coefficients,
        static_excess=excess,
        consumer_windows=None if windows is None else np.asarray(windows, dtype=np.int64),
    )


def random_operation(
    n_t: int, n_c: int, n_p: int, key: KeyKind, seed: int, *, consuming: float = 0.8
) -> Operation:
    """A random operation of ``n_t`` steps, ``n_c`` consumers (each consuming at a step
    with probability ``consuming``) and ``n_p`` producers, under ``key`` with random
    coefficients summing to at most 100 % (the property tests' operation)."""
    rng = np.random.default_rng(seed)
    c = np.round(rng.uniform(0, 3000, (n_t, n_c)) * (rng.random((n_t, n_c)) < consuming), 1)
    p = np.round(rng.uniform(0, 6000, (n_t, n_p)), 1)
    shares: object = None
    static = None
    if key is KeyKind.STATIC:
        static = rng.dirichlet(np.ones(n_c + 1))[:n_c]
    elif key is KeyKind.DYNAMIC:
        shares = rng.dirichlet(np.ones(n_c + 1), size=n_t)[:, :n_c]
    elif key is KeyKind.FULL:
        shares = rng.dirichlet(np.ones(n_c + 1), size=(n_t, n_p))[:, :, :n_c]
    return make_operation(c, p, key, static=static, shares=shares)


def write(path: Path, text: str) -> Path:
    path.write_text(text, encoding="utf-8")
    return path


def long_csv(series: dict[str, list[float]], start: datetime, step_min: int = 15) -> str:
    """A long-format CSV from values per PRM, consecutive steps from ``start``."""
    epoch = to_epoch(start)
    lines = ["prm,timestamp,w"]
    for prm, values in series.items():
        for k, value in enumerate(values):
            moment = datetime.fromtimestamp(epoch + k * step_min * 60, PARIS)
            lines.append(f"{prm},{moment.isoformat()},{value:g}")
    return "\n".join(lines) + "\n"


@contextmanager
def raises_cli(kind: type[AccError], pattern: str) -> Iterator[None]:
    """Expect ``kind`` whose hint, worded by the CLI, matches ``pattern``; the core's own
    wording names no command-line flag."""
    import pytest

    from linkytool.cli.acc import cli_word

    with pytest.raises(kind) as caught:
        yield
    error = caught.value
    rendered = f"{error.message}\n→ {error.render_hint(cli_word)}"
    assert re.search(pattern, rendered, re.DOTALL), rendered
    assert not re.search(r"--[a-z]", error.hint or ""), error.hint
