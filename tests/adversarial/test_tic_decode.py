"""Adversarial ``tic decode``: hostile bytes, special files, huge inputs.

Each case runs the real command in a subprocess under ``resource`` limits (address space
and CPU time) and asserts the exit code, no traceback, a bounded wall time, and a peak
memory (``VmHWM`` of the child) within a budget that does not grow with the input.
"""

from __future__ import annotations

import os
import subprocess
import threading
import time
from collections.abc import Callable
from pathlib import Path

import pytest

from linkytool.tic import TicMode, encode_group

from .harness import command, environment, split_peak

#: Address-space ceiling of the child [bytes]: a runaway allocation fails instead of
#: taking the machine down (Python and its imports take ~100 MB of address space).
ADDRESS_SPACE = 1 << 30
#: Peak resident memory allowed [MB]: a normal decode takes ~25-35 MB here, whatever its
#: length; 1 MB of STX once took 247 MB.
PEAK_MB = 80
#: CPU seconds allowed to the child (the wall-time bound is looser: the machine is shared).
CPU_S = 60


def _split(error: str) -> tuple[str, float]:
    """(stderr without the launcher's line, the peak it reported [MB]: VmHWM of the
    child's own address space, as ru_maxrss would count the test process it was forked
    from)."""
    text, peak = split_peak(error)
    assert peak is not None, error
    return text, peak


def _proc_number(pid: int, file: str, key: str) -> int:
    """The number after ``key`` in ``/proc/PID/FILE`` (0 when the process is gone)."""
    try:
        text = Path(f"/proc/{pid}/{file}").read_text()
    except OSError:
        return 0
    for line in text.splitlines():
        if line.startswith(key):
            return int(line.split()[1])
    return 0


def _hwm_mb(pid: int) -> float:
    """Peak resident memory of a running process [MB] (0 when it is gone)."""
    return _proc_number(pid, "status", "VmHWM:") / 1024


def _command(*args: str) -> list[str]:
    return command(*args, address_space=ADDRESS_SPACE, cpu_s=CPU_S)


def run_decode(source: str, *args: str, stdin: int | None = None) -> tuple[int, str, float, float]:
    """(exit code, stderr, wall seconds, peak RSS of the child [MB])."""
    code, error, elapsed, _, peak = run_decode_costs(source, *args, stdin=stdin)
    return code, error, elapsed, peak


def run_decode_costs(
    source: str, *args: str, stdin: int | None = None
) -> tuple[int, str, float, float, float]:
    """(exit code, stderr, wall seconds, CPU seconds of the child (user + system), peak
    RSS of the child [MB]). The CPU time is what the input cost the decoder: unlike the
    wall time it does not grow with the load of a shared machine."""
    started = time.monotonic()
    process = subprocess.Popen(
        _command("tic", "decode", source, *args),
        stdin=stdin, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, env=environment(),
    )  # fmt: skip
    assert process.stderr is not None
    error = process.stderr.read().decode("utf-8", "replace")
    _, status, usage = os.wait4(process.pid, 0)
    process.returncode = os.waitstatus_to_exitcode(status)
    elapsed = time.monotonic() - started
    error, peak = _split(error)
    return process.returncode, error, elapsed, usage.ru_utime + usage.ru_stime, peak


def _stx(size: int) -> bytes:
    return b"\x02" * size


def _crlf(size: int) -> bytes:
    return b"\x02" + b"\n\r" * (size // 2) + b"\x03"


def _random(size: int) -> bytes:
    return os.urandom(size)


def _long_groups(size: int) -> bytes:
    return (b"\x02\n" + b"A" * 200_000 + b"\r\x03") * (size // 200_004 + 1)


def _parity_noise(size: int) -> bytes:
    return bytes(range(0x80, 0x100)) * (size // 128)


def _text_blank_lines(size: int) -> bytes:
    return b"ADSC 041864123456 @\n" + b"\n" * size


def _text_one_line(size: int) -> bytes:
    return b"EAST " + b"9" * size


def _text_short_lines(size: int) -> bytes:
    return b"A\n" * (size // 2)


HOSTILE: dict[str, Callable[[int], bytes]] = {
    "stx-flood": _stx,
    "empty-groups": _crlf,
    "random": _random,
    "overlong-groups": _long_groups,
    "bit7-noise": _parity_noise,
    "text-blank-lines": _text_blank_lines,
    "text-one-huge-line": _text_one_line,
    "text-short-lines": _text_short_lines,
}


def _normal(size: int) -> bytes:
    frame = b"\x02" + b"".join(
        encode_group(label, data, TicMode.STANDARD)
        for label, data in [("ADSC", "041864123456"), ("EAST", "001234567"), ("PRM", "1" * 14)]
    ) + b"\x03"  # fmt: skip
    return frame * (size // len(frame))


#: Size of the hostile and normal captures compared [bytes].
SIZE = 2_000_000


@pytest.fixture(scope="module")
def normal_cost(tmp_path_factory: pytest.TempPathFactory) -> float:
    """CPU seconds of decoding a real capture of :data:`SIZE` bytes: the same input and
    command for every hostile case, so measured once (issue 14: it was measured again
    beside each of the eight, 0.4 s of CPU each time)."""
    normal = tmp_path_factory.mktemp("normal") / "normal"
    normal.write_bytes(_normal(SIZE))
    code, error, _, cost, _ = run_decode_costs(str(normal), "--format", "jsonl")
    assert code == 0, error
    return cost


@pytest.mark.slow
@pytest.mark.parametrize("name", sorted(HOSTILE))
def test_hostile_bytes_cost_what_normal_bytes_cost(
    name: str, tmp_path: Path, normal_cost: float
) -> None:
    hostile = tmp_path / "hostile"
    hostile.write_bytes(HOSTILE[name](SIZE))
    code, error, _, cost, peak = run_decode_costs(str(hostile), "--format", "jsonl")
    assert code in (0, 1, 3), error
    assert "Traceback" not in error
    assert peak < PEAK_MB, f"{name}: {peak:.0f} MB"
    # linear and comparable to a real capture of the same size, in CPU seconds (the wall
    # time of either run grows with the load of a shared machine: 10.4 s vs 1.0 s once,
    # at a load average of 12); the same generous factor, far below the 25x an STX flood
    # used to cost
    assert cost < 5 * normal_cost + 5, f"{name}: {cost:.1f} s vs {normal_cost:.1f} s of CPU"


@pytest.mark.slow
def test_memory_stays_flat_in_capture_length(tmp_path: Path) -> None:
    small, large = tmp_path / "small", tmp_path / "large"
    small.write_bytes(_normal(500_000))
    large.write_bytes(_normal(20_000_000))
    peaks = []
    for path in (small, large):
        code, error, _, peak = run_decode(str(path), "--format", "jsonl")
        assert code == 0, error
        peaks.append(peak)
    assert peaks[1] < peaks[0] + 15, peaks


#: Bytes of /dev/zero the decode must have read while its memory is watched: three times
#: the memory allowed, so a decode that kept even a third of what it read would fail.
ZERO_BYTES = 3 * PEAK_MB * 1_000_000


@pytest.mark.slow
def test_dev_zero_is_read_in_bounded_memory_until_stopped() -> None:
    """/dev/zero never ends: the decode reads it as garbage in constant memory; stopped by
    us once it has read three times its memory budget (by bytes read, not by time: a
    loaded machine reads less in the same seconds), never by running out of memory."""
    process = subprocess.Popen(
        _command("tic", "decode", "/dev/zero"),
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
        env=environment(),
    )
    deadline = time.monotonic() + CPU_S  # a hang guard only
    peak = 0.0
    read = 0
    while process.poll() is None and time.monotonic() < deadline and read < ZERO_BYTES:
        time.sleep(0.1)
        peak = max(peak, _hwm_mb(process.pid))
        read = max(read, _proc_number(process.pid, "io", "rchar:"))
    process.kill()
    assert process.stderr is not None
    error = process.stderr.read().decode()
    process.wait()
    assert read >= ZERO_BYTES, f"only {read} bytes read: {error}"
    assert 0 < peak < PEAK_MB
    assert "MemoryError" not in error and "Traceback" not in error


def test_a_fifo_is_decoded_as_it_streams(tmp_path: Path) -> None:
    fifo = tmp_path / "tic.fifo"
    os.mkfifo(fifo)
    frame = _normal(1000)

    def writer() -> None:
        with fifo.open("wb") as out:
            out.write(frame)

    thread = threading.Thread(target=writer)
    thread.start()
    code, error, elapsed, _ = run_decode(str(fifo), "--format", "jsonl")
    thread.join(timeout=10)
    assert code == 0 and "Traceback" not in error and elapsed < 60


@pytest.mark.parametrize(
    ("path", "expected"),
    [("/dev/null", 3), ("/nonexistent/capture.bin", 3), ("/", 3)],
)
def test_special_and_missing_paths_are_bad_input(path: str, expected: int) -> None:
    code, error, _, _ = run_decode(path)
    assert code == expected and "Traceback" not in error and error.strip()


def test_unreadable_capture_is_bad_input(tmp_path: Path) -> None:
    if os.geteuid() == 0:
        pytest.skip("root reads any file")
    capture = tmp_path / "secret.bin"
    capture.write_bytes(_normal(1000))
    capture.chmod(0)
    code, error, _, _ = run_decode(str(capture))
    assert code == 3 and "refusée" in error
