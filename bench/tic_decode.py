"""Benchmark: ``linkytool tic decode`` end to end vs pyteleinfo's bare decode, one run.

On a synthetic standard-mode capture (default 30,000 frames, 26 MB) it times, in rounds
that interleave them so that all see the same load on this shared machine:

- the command a user runs, ``linkytool tic decode CAPTURE --format jsonl|csv|table``, in a
  subprocess (process start, imports, reading, summary and output to /dev/null included);
- linkytool's decoder in-process (feed + events, values lazy);
- PyPI ``pyteleinfo`` 0.4.0 (import name ``teleinfo``) decoding the same frames, timed
  inside its own interpreter around its decode loop only (its "bare decode").

It prints MB/s (medians), each linkytool figure's ratio to pyteleinfo (median of the
per-round ratios), the load average before and after, and the share of the real
captures' frames each decoder reads.

The capture is generated with linkytool's encoder: realistic single-phase standard frames
whose data hold no space (pyteleinfo rejects any standard frame with a space in a data
field, i.e. every real one). The peer lives in its own throwaway virtual environment,
``bench/.venv-peer`` (created on first run, gitignored), and runs in a subprocess: it is
never installed into the project's environment (PyPI ``teleinfo`` uses the same import name).

    .venv/bin/python bench/tic_decode.py [--frames 30000] [--runs 5] [--no-peer]
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import subprocess
import sys
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent
sys.path.insert(0, str(ROOT))

from linkytool.tic import (  # noqa: E402
    Frame,
    TicDecoder,
    TicMode,
    encode_group,
    read_capture,
)
from linkytool.tic.horodate import format_horodate  # noqa: E402

PEER_VENV = HERE / ".venv-peer"
PEER_PACKAGE = "pyteleinfo==0.4.0"
OUT = HERE / "out"
REAL = ROOT / "tests" / "data" / "real" / "tic"

#: Child script run by the peer's interpreter: decode every frame once, print the time.
PEER_SCRIPT = r"""
import json, sys, time
import teleinfo
data = open(sys.argv[1], "rb").read()
frames = [chunk + b"\x03" for chunk in data.split(b"\x03") if chunk.strip(b"\x02")]
start = time.perf_counter()
ok = 0
for frame in frames:
    try:
        teleinfo.decode(frame)
        ok += 1
    except Exception:
        pass
print(json.dumps({"time": time.perf_counter() - start, "ok": ok, "frames": len(frames)}))
"""


def synthetic_capture(count: int) -> bytes:
    """``count`` standard frames (single-phase consumer meter, one every 1.5 s, no space)."""
    mode = TicMode.STANDARD
    static_head = b"".join(
        encode_group(label, data, mode)
        for label, data in [("ADSC", "041864123456"), ("VTIC", "02")]
    )
    static_tail = b"".join(
        encode_group(label, data, mode, horodate=horodate)
        for label, horodate, data in [
            ("NGTF", None, "HC-ET-WEEK-END--"),
            ("LTARF", None, "HEURE-CREUSE----"),
            *[(f"EASF{n:02d}", None, "000000000") for n in range(3, 11)],
            ("EASD03", None, "000000000"),
            ("EASD04", None, "000000000"),
            ("PREF", None, "09"),
            ("PCOUP", None, "09"),
            ("SMAXSN", "H261120032158", "05706"),
            ("SMAXSN-1", "H261119171658", "05661"),
            ("CCASN", "H261120120000", "00521"),
            ("CCASN-1", "H261120110000", "00415"),
            ("UMOY1", "H261120125000", "232"),
            ("STGE", None, "003A8000"),
            ("MSG1", None, "PAS-DE----------MESSAGE---------"),
            ("PRM", None, "30002345678901"),
            ("RELAIS", None, "001"),
            ("NTARF", None, "01"),
            ("NJOURF", None, "00"),
            ("NJOURF+1", None, "00"),
            (
                "PJOURF+1",
                None,
                "00008002-0256C001-07568002-1156C001-14568002-NONUTILE"
                "-NONUTILE-NONUTILE-NONUTILE-NONUTILE-NONUTILE",
            ),
        ]
    )
    from datetime import datetime, timedelta

    from linkytool.tic.horodate import PARIS

    start = datetime(2026, 11, 20, 0, 0, tzinfo=PARIS)
    east_exact = 17_026_175.0
    parts = []
    for n in range(count):
        power = 300 + (n * 37) % 4000
        east_exact += power * 1.5 / 3600  # 1.5 s at `power` [W] -> [Wh]
        east = int(east_exact)
        moment = start + timedelta(seconds=1.5 * n)
        dynamic = b"".join(
            (
                encode_group("DATE", "", mode, horodate=format_horodate(moment)),
                encode_group("EAST", f"{east:09d}", mode),
                encode_group("EASF01", f"{east // 3:09d}", mode),
                encode_group("EASF02", f"{east - east // 3:09d}", mode),
                encode_group("EASD01", f"{east // 3:09d}", mode),
                encode_group("EASD02", f"{east - east // 3:09d}", mode),
                encode_group("IRMS1", f"{power // 230:03d}", mode),
                encode_group("URMS1", f"{228 + n % 7:03d}", mode),
                encode_group("SINSTS", f"{power:05d}", mode),
            )
        )
        parts.append(b"\x02" + static_head + dynamic + static_tail + b"\x03")
    return b"".join(parts)


def changing_groups(data: bytes, frames: int = 10_000) -> float:
    """Mean number of groups per frame whose bytes differ from the previous frame's."""
    previous: dict[bytes, bytes] = {}
    changed = 0
    chunks = data.split(b"\x03", frames)[:frames]
    for chunk in chunks:
        for line in chunk[2:-1].split(b"\r\n"):
            label = line.split(b"\t", 1)[0]
            changed += previous.get(label) != line
            previous[label] = line
    return changed / len(chunks)


def ensure_peer() -> Path | None:
    """Interpreter of the peer's venv, created with pyteleinfo on first use (None if it fails)."""
    python = PEER_VENV / "bin" / "python"
    if not python.exists():
        print(f"creating {PEER_VENV} with {PEER_PACKAGE} ...", file=sys.stderr)
        try:
            subprocess.run([sys.executable, "-m", "venv", str(PEER_VENV)], check=True)
            subprocess.run(
                [
                    str(python),
                    "-m",
                    "pip",
                    "install",
                    "-q",
                    "--ignore-requires-python",
                    PEER_PACKAGE,
                ],
                check=True,
            )
        except (subprocess.CalledProcessError, OSError) as exc:
            print(f"peer unavailable: {exc}", file=sys.stderr)
            return None
    return python


def decode_ours(data: bytes) -> tuple[int, int]:
    """Frames and valid groups decoded from ``data`` fed in 1 MB chunks (like a file)."""
    decoder = TicDecoder()
    frames = groups = 0
    for start in range(0, len(data), 1 << 20):
        decoder.feed(data[start : start + (1 << 20)])
        for event in decoder:
            if isinstance(event, Frame):
                frames += 1
                groups += len(event.groups)
    decoder.close()
    return frames, groups


def real_frames() -> list[bytes]:
    """Wire bytes of every frame of the real captures (text dumps rebuilt as wire frames)."""
    frames = []
    for path in sorted(REAL.iterdir()):
        if path.name == "README.md":
            continue
        if path.suffix == ".bin":
            frames += [chunk + b"\x03" for chunk in path.read_bytes().split(b"\x03") if chunk]
        else:
            for frame in read_capture(path):
                frames.append(b"\x02" + frame.raw + b"\x03")
    return frames


def median_time(function: object, data: bytes, runs: int) -> float:
    times = []
    for _ in range(runs):
        start = time.perf_counter()
        function(data)  # type: ignore[operator]
        times.append(time.perf_counter() - start)
    return statistics.median(times)


FORMATS = ("jsonl", "csv", "table")


def time_command(capture: Path, output_format: str) -> float:
    """Wall time of ``linkytool tic decode CAPTURE --format F`` (stdout to /dev/null) [s]."""
    started = time.perf_counter()
    subprocess.run(
        [sys.executable, "-m", "linkytool", "tic", "decode", str(capture), "--format",
         output_format],
        stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, check=True, cwd=ROOT,
    )  # fmt: skip
    return time.perf_counter() - started


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--frames", type=int, default=30_000)
    parser.add_argument("--runs", type=int, default=5, help="interleaved rounds")
    parser.add_argument("--no-peer", action="store_true")
    args = parser.parse_args()
    load_before = os.getloadavg()

    OUT.mkdir(exist_ok=True)
    capture = OUT / f"standard-v2-{args.frames}.bin"
    if not capture.exists():
        capture.write_bytes(synthetic_capture(args.frames))
    data = capture.read_bytes()
    megabytes = len(data) / 1e6
    frames, groups = decode_ours(data)
    assert frames == args.frames, frames
    print(
        f"capture: {args.frames} standard frames, {megabytes:.1f} MB, "
        f"{groups / frames:.0f} groups/frame, {changing_groups(data):.1f} of them changing "
        f"from one frame to the next ({capture})"
    )
    python = None if args.no_peer else ensure_peer()
    times: dict[str, list[float]] = {name: [] for name in (*FORMATS, "in-process", "peer")}
    ratios: dict[str, list[float]] = {name: [] for name in (*FORMATS, "in-process")}
    peer: dict[str, object] = {}
    for _ in range(args.runs):
        round_times: dict[str, float] = {}
        if python is not None:
            peer = run_peer(python, capture)
            round_times["peer"] = float(peer["time"])  # type: ignore[arg-type]
        for output_format in FORMATS:
            round_times[output_format] = time_command(capture, output_format)
        round_times["in-process"] = median_time(decode_ours, data, 1)
        for name, value in round_times.items():
            times[name].append(value)
            if "peer" in round_times and name != "peer":
                ratios[name].append(round_times["peer"] / value)
    load_after = os.getloadavg()
    print(f"load average before: {' '.join(f'{x:.2f}' for x in load_before)}")
    print(f"{'what':<44} {'MB/s':>7} {'median s':>9} {'x pyteleinfo':>13}")
    labels = {
        "jsonl": "linkytool tic decode --format jsonl (e2e)",
        "csv": "linkytool tic decode --format csv (e2e)",
        "table": "linkytool tic decode --format table (e2e)",
        "in-process": "linkytool decoder in-process",
        "peer": f"pyteleinfo bare decode ({peer.get('ok', '?')}/{peer.get('frames', '?')} ok)",
    }
    for name, label in labels.items():
        if not times[name]:
            continue
        median = statistics.median(times[name])
        ratio = f"{statistics.median(ratios[name]):.1f}x" if ratios.get(name) else ""
        print(f"{label:<44} {megabytes / median:7.1f} {median:9.2f} {ratio:>13}")
    print(f"load average after: {' '.join(f'{x:.2f}' for x in load_after)}")
    print(f"(medians of {args.runs} interleaved rounds; ratios: median of per-round ratios)")

    real = real_frames()
    real_path = OUT / "real-frames.bin"
    real_path.write_bytes(b"".join(real))
    ours_read = 0
    ours_groups = ours_bad = 0
    for frame_bytes in real:
        decoder = TicDecoder()
        decoder.feed(frame_bytes)
        decoder.close()
        for frame in decoder.frames():
            ours_groups += len(frame.groups)
            ours_bad += len(frame.bad_groups)
            ours_read += bool(frame.groups)
    print(
        f"real frames read: linkytool {ours_read}/{len(real)} "
        f"({ours_groups} groups kept, {ours_bad} rejected by checksum/syntax)"
    )
    if python is not None:
        shared = run_peer(python, real_path)
        print(f"real frames read: pyteleinfo {shared['ok']}/{shared['frames']}")


def run_peer(python: Path, capture: Path) -> dict[str, object]:
    """One timed pass of the peer over ``capture`` (in its own interpreter and venv)."""
    result = subprocess.run(
        [str(python), "-c", PEER_SCRIPT, str(capture)],
        capture_output=True,
        text=True,
        check=True,
        env={**os.environ, "PYTHONPATH": ""},
    )
    answer = json.loads(result.stdout)
    assert isinstance(answer, dict)
    return answer


if __name__ == "__main__":
    main()
