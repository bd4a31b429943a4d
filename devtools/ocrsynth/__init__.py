"""Synthetic Linky screen photos with ground truth, for the OCR tests and benchmark.

Public API: :func:`generate_photo` (one photo from a :class:`PhotoSpec`),
:func:`generate_large_photo` (a 48 MP photo, fast), :func:`encode_photo` (file
bytes), :func:`generate_set` (a directory of photos plus
``truth.json``), :func:`load_truth`, and the difficulty :data:`LEVELS`. Script entry:
``python -m ocrsynth --out DIR --count N --level normal --seed S``.
"""

from __future__ import annotations

from ocrsynth import geometry
from ocrsynth.generate import (
    DEFAULT_MIX,
    SCENES,
    PhotoSpec,
    PhotoTruth,
    encode_photo,
    generate_large_photo,
    generate_photo,
    generate_set,
    load_truth,
    photo_rng,
    write_truth,
)
from ocrsynth.levels import LEVELS, Level

__all__ = [
    "DEFAULT_MIX",
    "LEVELS",
    "SCENES",
    "Level",
    "PhotoSpec",
    "PhotoTruth",
    "encode_photo",
    "generate_large_photo",
    "generate_photo",
    "generate_set",
    "geometry",
    "load_truth",
    "photo_rng",
    "write_truth",
]
