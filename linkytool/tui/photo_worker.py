"""Imported by the photo workers' fork server before it forks them (its *preload*).

The fork server imports the OCR (numpy, Pillow, the reader: about 0.4 s of CPU), checks
tesseract and loads its French model in this process (about 0.12 s,
:func:`linkytool.ocr.engine.warm`) once; each worker it forks starts from that copy, ready
to read. Without it every worker imported and checked all this again, in parallel, on the
cores the UI and the other workers need. Nothing here may fail: the fork server only
tolerates an ``ImportError`` from a preload, and a worker that finds the OCR missing or
broken reports it in French with the photo it was given.
"""

from __future__ import annotations

import contextlib
import os


def preload() -> None:
    """Silence this process (the terminal belongs to the UI: a library's warning would
    draw over its screen) and load the OCR; any failure is left to the workers."""
    with contextlib.suppress(OSError):
        devnull = os.open(os.devnull, os.O_RDWR)
        for fd in (0, 1, 2):
            os.dup2(devnull, fd)
    with contextlib.suppress(Exception):
        import linkytool.ocr.reader  # noqa: F401  (the package itself loads nothing)
        from linkytool.ocr.engine import ensure_engine, warm

        ensure_engine()  # cached: the forked workers inherit the answer
        warm()  # one tesseract engine loaded: each forked worker starts with its copy


preload()
