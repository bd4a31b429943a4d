"""Shared fixtures: where the real samples live, hypothesis profiles."""

from __future__ import annotations

import os
from pathlib import Path

import pytest
from hypothesis import HealthCheck, settings

ROOT = Path(__file__).resolve().parent.parent
#: Real captures and data from public sources (read-only, never edited).
SAMPLES_REAL = ROOT.parent / "shared" / "samples-real"
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
    """Directory of the real public samples (``../shared/samples-real``)."""
    if not SAMPLES_REAL.is_dir():
        pytest.fail(f"real samples not found at {SAMPLES_REAL}: clone next to shared/")
    return SAMPLES_REAL


@pytest.fixture(scope="session")
def samples_dir() -> Path:
    """Directory of linkytool's bundled samples."""
    return SAMPLES
