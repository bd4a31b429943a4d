"""Recording random draws: every parameter a photo was made with ends up in its truth.

:class:`Draws` wraps the photo's generator; each named draw goes through
:meth:`Draws.put`, which applies the spec's overrides and records the value in
``params`` (serialised in ``truth.json``).
"""

from __future__ import annotations

from typing import Any

import numpy as np


class Draws:
    """Records every random draw under a name so the truth lists them all."""

    def __init__(self, rng: np.random.Generator, overrides: dict[str, Any]) -> None:
        self.rng = rng
        self.overrides = overrides
        self.params: dict[str, Any] = {}

    def uniform(self, name: str, bounds: tuple[float, float], *, signed: bool = False) -> float:
        low, high = bounds
        value = float(self.rng.uniform(low, high)) if high > low else float(low)
        if signed and self.rng.random() < 0.5:
            value = -value
        return float(self.put(name, round(value, 4)))

    def chance(self, name: str, probability: float) -> bool:
        return bool(self.put(name, bool(self.rng.random() < probability)))

    def child(self) -> Draws:
        """A recorder on a spawned generator: new draws leave this stream unchanged (so
        photos made before a feature was added stay the same)."""
        child = Draws(self.rng.spawn(1)[0], self.overrides)
        child.params = self.params
        return child

    def put(self, name: str, value: Any) -> Any:
        value = self.overrides.get(name, value)
        self.params[name] = value
        return value
