"""Run the real ``linkytool`` command under resource limits and measure what it cost.

One harness for every adversarial suite (tic, ocr, mes, acc): the child sets its own
limits (address space, CPU time), runs ``linkytool`` in-process through its entry point
and, at exit, reports its peak resident memory (``VmHWM`` of its own address space:
``ru_maxrss`` of a forked child would count the large test process it was forked from).

The address-space limit bounds what the command allocates, so the child is started with
the allocators' speculative reservations turned down (:data:`ALLOCATOR_ENV`): without
them, ``acc run`` on a 2-line CSV took 1.5-1.7 GB of address space for 65 MB resident
(pyarrow's mimalloc reserves a 1 GiB arena, glibc 64 MB per thread that allocates,
OpenBLAS a buffer and a thread), an amount that varies with the timing of the threads
and, once exhausted, ends the process with SIGABRT from C++ (``std::bad_alloc``,
``ValueOrDie``, "cannot allocate memory for thread-local data") instead of a
``MemoryError``. With them the same run takes 0.3 GB of address space and the same
resident memory, and the 3 GiB ceiling is 3 GiB for the command's data.
"""

from __future__ import annotations

import contextlib
import os
import subprocess
import sys
import time
from dataclasses import dataclass
from pathlib import Path

from .zygote import Zygote

#: Default address-space ceiling of the child [bytes]: a runaway allocation fails instead
#: of taking the machine down (Python and its imports take a few hundred MB of it).
ADDRESS_SPACE = 3 << 30
#: Default CPU seconds allowed to the child (the wall-time bound is looser: shared machine).
CPU_S = 90
#: Default wall-clock limit [s].
WALL_S = 120.0
#: Environment of every limited child (read when the libraries load, hence not settable
#: from the launcher): the allocators reserve address space as they need it, not ahead.
ALLOCATOR_ENV = {
    "MALLOC_ARENA_MAX": "1",  # glibc: one arena, not 64 MB reserved per thread
    "MIMALLOC_ARENA_RESERVE": "64MiB",  # pyarrow's mimalloc: not 1 GiB at a time
    "OPENBLAS_NUM_THREADS": "1",  # numpy's OpenBLAS: no thread nor per-thread buffer
}
#: Marker of the peak-memory line the launcher appends to stderr.
_PEAK = "LINKYTOOL_PEAK_KB="


def launcher(address_space: int, cpu_s: int) -> str:
    """Python source run by the child: limits, the command, its peak memory at exit."""
    return f"""
import atexit, resource, runpy, sys
resource.setrlimit(resource.RLIMIT_AS, ({address_space}, {address_space}))
resource.setrlimit(resource.RLIMIT_CPU, ({cpu_s}, {cpu_s}))
def peak():
    for line in open("/proc/self/status"):
        if line.startswith("VmHWM:"):
            sys.stderr.write("\\n{_PEAK}" + line.split()[1] + "\\n")
atexit.register(peak)
sys.argv = ["linkytool", *sys.argv[1:]]
runpy.run_module("linkytool", run_name="__main__")
"""


def command(*args: str | Path, address_space: int = ADDRESS_SPACE, cpu_s: int = CPU_S) -> list[str]:
    """The argv of a limited ``linkytool ARGS`` (for callers that need a ``Popen``: give
    it ``env=environment()``)."""
    return [sys.executable, "-c", launcher(address_space, cpu_s), *map(str, args)]


def environment(extra: dict[str, str] | None = None) -> dict[str, str]:
    """The environment of a limited child: this one, no warnings, :data:`ALLOCATOR_ENV`."""
    return {**os.environ, "PYTHONWARNINGS": "ignore", **ALLOCATOR_ENV, **(extra or {})}


def split_peak(stderr: str) -> tuple[str, float | None]:
    """(stderr without the launcher's line, peak resident memory [MB] or None)."""
    marker = stderr.rfind(_PEAK)
    if marker < 0:
        return stderr, None
    kilobytes = int(stderr[marker + len(_PEAK) :].split(maxsplit=1)[0])
    return stderr[:marker].removesuffix("\n"), kilobytes / 1024


@dataclass(frozen=True)
class Limited:
    """What one limited run did."""

    code: int
    stdout: str
    stderr: str
    seconds: float  # wall-clock time [s]
    peak_mb: float | None  # peak resident memory [MB]; None if the child died first


#: Modules a warm interpreter imports once for the runs of a command group (the first
#: argument), instead of each run importing them afresh (issue 14; :mod:`.zygote`): the
#: ones every ``mes`` command imports, and pyhanko's signing and validation (0.5 s); the
#: ones of ``acc run`` but pyarrow (its import starts a thread, which a fork would lose).
WARM = {
    "mes": (
        "linkytool.cli.mes",
        "linkytool.mes.service",
        "linkytool.mes.attestation",
        "linkytool.mes.signing",
        "linkytool.mes.pack",
        "pyhanko.sign.signers",
        "pyhanko.sign.validation",
    ),
    "acc": (
        "linkytool.cli.acc",
        "linkytool.acc.service",
        "linkytool.acc.outputs",
        "linkytool.acc.fastcsv",
        "numpy",
        "xlsxwriter",
    ),
}
_zygotes: dict[str, Zygote] = {}


def _zygote(group: str, env: dict[str, str]) -> Zygote | None:
    """The warm interpreter of ``group`` for a run in ``env``, if one can serve it."""
    if group not in WARM:
        return None
    if group not in _zygotes:
        _zygotes[group] = Zygote(WARM[group], environment(), _PEAK)
    zygote = _zygotes[group]
    return zygote if zygote.serves(env) else None


def run_limited(
    *args: str | Path,
    cwd: Path | None = None,
    stdin: int | None = subprocess.DEVNULL,
    stderr_path: str | None = None,
    env: dict[str, str] | None = None,
    address_space: int = ADDRESS_SPACE,
    cpu_s: int = CPU_S,
    timeout: float = WALL_S,
) -> Limited:
    """Run ``linkytool ARGS`` under the limits; ``stderr_path`` sends stderr to a file
    (e.g. ``/dev/full``) instead of capturing it."""
    started = time.monotonic()
    zygote = _zygote(str(args[0]), environment(env)) if args else None
    if zygote is not None and stdin in (subprocess.DEVNULL, None):
        with contextlib.ExitStack() as files:
            null = files.enter_context(open(os.devnull))
            code, out, err = zygote.run(
                [str(a) for a in args],
                cwd=cwd,
                stdin=null.fileno()
                if stdin == subprocess.DEVNULL
                else 0
                if stdin is None
                else stdin,
                stderr_file=files.enter_context(open(stderr_path, "w")).fileno()
                if stderr_path
                else None,
                env=environment(env),
                address_space=address_space,
                cpu_s=cpu_s,
                timeout=timeout,
            )
        stderr, peak = split_peak(err.decode("utf-8", "replace"))
        seconds = time.monotonic() - started
        return Limited(code, out.decode("utf-8", "replace"), stderr, seconds, peak)
    with open(stderr_path, "w") if stderr_path else open(os.devnull) as sink:
        result = subprocess.run(
            command(*args, address_space=address_space, cpu_s=cpu_s),
            cwd=cwd,
            stdin=stdin,
            stdout=subprocess.PIPE,
            stderr=sink if stderr_path else subprocess.PIPE,
            timeout=timeout,
            check=False,
            env=environment(env),
        )
    seconds = time.monotonic() - started
    raw = result.stderr.decode("utf-8", "replace") if result.stderr else ""
    stderr, peak = split_peak(raw)
    stdout = result.stdout.decode("utf-8", "replace")
    return Limited(result.returncode, stdout, stderr, seconds, peak)


def assert_clean(run: Limited, code: int, phrase: str | None = None) -> None:
    """Exit ``code``, ``phrase`` (if given) in the French diagnostics, no traceback."""
    assert run.code == code, (run.code, run.stderr)
    assert "Traceback" not in run.stderr + run.stdout, run.stderr
    if phrase is not None:
        assert phrase in run.stderr, run.stderr
