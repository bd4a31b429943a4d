"""Run ``linkytool ocr`` in a subprocess under memory and time limits (adversarial tests)."""

from __future__ import annotations

import os
import resource
import struct
import subprocess
import sys
import time
import zlib
from dataclasses import dataclass
from pathlib import Path

from .harness import ALLOCATOR_ENV

#: Address-space limit of the child [bytes]: a normal photo is read in ~260 MB of it
#: (90 MB resident; 490 MB without :data:`harness.ALLOCATOR_ENV`'s reservations).
MEMORY_LIMIT = 900 * 2**20
#: Wall-clock limit of the child [s] (the machine is shared: generous, but finite).
TIME_LIMIT = 60.0


@dataclass(frozen=True)
class Run:
    """Outcome of one limited run."""

    code: int
    stdout: str
    stderr: str
    seconds: float


def _limits() -> None:
    resource.setrlimit(resource.RLIMIT_AS, (MEMORY_LIMIT, MEMORY_LIMIT))


def run_ocr(*args: str) -> Run:
    """``python -m linkytool ocr ARGS`` under :data:`MEMORY_LIMIT` and :data:`TIME_LIMIT`."""
    started = time.monotonic()
    result = subprocess.run(
        [sys.executable, "-m", "linkytool", "ocr", *args],
        capture_output=True,
        text=True,
        timeout=TIME_LIMIT,
        preexec_fn=_limits,
        check=False,
        stdin=subprocess.DEVNULL,
        env={**os.environ, **ALLOCATOR_ENV},
    )
    return Run(result.returncode, result.stdout, result.stderr, time.monotonic() - started)


def _chunk(kind: bytes, data: bytes) -> bytes:
    return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data))


def huge_png(path: Path, width: int, height: int) -> Path:
    """A valid 1-bit black PNG of ``width`` × ``height`` px: tiny on disk, huge decoded."""
    row = b"\x00" * (1 + (width + 7) // 8)
    packer = zlib.compressobj(9)
    parts = [packer.compress(row * 1000) for _ in range(height // 1000)]
    parts.append(packer.compress(row * (height % 1000)))
    parts.append(packer.flush())
    header = struct.pack(">IIBBBBB", width, height, 1, 0, 0, 0, 0)
    path.write_bytes(
        b"\x89PNG\r\n\x1a\n"
        + _chunk(b"IHDR", header)
        + _chunk(b"IDAT", b"".join(parts))
        + _chunk(b"IEND", b"")
    )
    return path


def assert_clean(run: Run, code: int, phrase: str) -> None:
    """Exit ``code``, ``phrase`` in the French diagnostics, no traceback anywhere."""
    assert run.code == code, (run.code, run.stderr)
    assert "Traceback" not in run.stderr + run.stdout
    assert phrase in run.stderr, run.stderr
