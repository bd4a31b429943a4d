"""HEIC/HEIF support for Pillow (iPhone photos), through the optional ``pillow-heif``.

:func:`register_heif` registers pillow-heif's opener once; without the package, HEIC
files stay unreadable and are reported as such (never a crash).
"""

from __future__ import annotations

import functools
import importlib


@functools.cache
def register_heif() -> bool:
    """Register the HEIF opener with Pillow; True when HEIC/HEIF can be decoded."""
    try:
        module = importlib.import_module("pillow_heif")
    except ImportError:
        return False
    module.register_heif_opener()
    return True
