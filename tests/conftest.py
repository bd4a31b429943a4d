"""Shared fixtures: where the real samples live, hypothesis profiles."""

from __future__ import annotations

import os
from pathlib import Path

import pytest
from hypothesis import HealthCheck, settings

ROOT = Path(__file__).resolve().parent.parent
#: Real captures and data from public sources, copied from ``shared/samples-real`` with
#: their provenance (read-only, never edited): a bare clone runs the whole suite.
SAMPLES_REAL = ROOT / "tests" / "data" / "real"
#: The source documents the rules quote (copied from ``shared/reference``).
REFERENCE = ROOT / "tests" / "data" / "reference"
#: linkytool's own bundled samples.
SAMPLES = ROOT / "samples"

# Shared machines are noisy: no per-example deadline; CI runs the same number of examples.
settings.register_profile(
    "default", deadline=None, suppress_health_check=[HealthCheck.too_slow], max_examples=200
)
settings.register_profile(
    "ci", deadline=None, suppress_health_check=[HealthCheck.too_slow], max_examples=200
)
settings.load_profile("ci" if os.environ.get("CI") else "default")


@pytest.fixture(scope="session")
def samples_real() -> Path:
    """Directory of the real public samples (``tests/data/real``, provenance in its README)."""
    return SAMPLES_REAL


@pytest.fixture(scope="session")
def samples_dir() -> Path:
    """Directory of linkytool's bundled samples."""
    return SAMPLES
