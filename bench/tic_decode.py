"""Benchmark: ``linkytool tic decode`` end to end vs pyteleinfo's bare decode, one run.

On synthetic captures (default: 30,000 standard frames, 26 MB) it times, in rounds that
interleave them so that all see the same load on this shared machine:

- the command a user runs, ``linkytool tic decode CAPTURE --format jsonl|csv|table``, in a
  subprocess (process start, imports, reading, summary and output to /dev/null included);
- linkytool's decoder in-process (feed + events, values lazy);
- PyPI ``pyteleinfo`` 0.4.0 (import name ``teleinfo``) decoding the same frames, timed
  inside its own interpreter around its decode loop only (its "bare decode").

It prints MB/s (medians), each linkytool figure's ratio to pyteleinfo (median of the
per-round ratios), the load average before and after, and the share of the real
captures' frames each decoder reads.

Captures (``--capture``, repeatable), all generated with linkytool's encoder, data without
spaces (pyteleinfo rejects any standard frame with a space in a data field, i.e. every
real one):

- ``standard`` (default; the speed work was tuned on it): single-phase consumer meter,
  one frame every 1.5 s, 38 groups, 5.7 changing from one frame to the next;
- ``producer3`` (held out at first, tuned on since): three-phase producer meter, seeded
  random walk of powers, currents and voltages, 63 groups, about 11 changing per frame;
- ``historique`` (held out at first, tuned on since): historique HC meter, 11 groups,
  about 2 changing per frame;
- ``tempo3`` (held out: never profiled nor tuned on): historique three-phase Tempo
  meter, 22 groups, about 4 changing per frame.

Before timing, linkytool's bytecode is compiled (``compileall``), as ``pip install`` does:
an environment with ``PYTHONDONTWRITEBYTECODE`` (this one) would otherwise recompile every
module at each start. The peer lives in its own throwaway virtual environment,
``bench/.venv-peer`` (created on first run, gitignored), and runs in a subprocess: it is
never installed into the project's environment (PyPI ``teleinfo`` uses the same import name).

    .venv/bin/python bench/tic_decode.py [--capture standard] [--frames N] [--runs 5]
        [--no-peer]
"""

from __future__ import annotations

import argparse
import json
import os
import resource
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
start, cpu = time.perf_counter(), time.process_time()
ok = 0
for frame in frames:
    try:
        teleinfo.decode(frame)
        ok += 1
    except Exception:
        pass
print(json.dumps({"time": time.perf_counter() - start, "cpu": time.process_time() - cpu,
                  "ok": ok, "frames": len(frames)}))
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


def producer3_capture(count: int, seed: int = 20_261_121) -> bytes:
    """``count`` standard frames of a three-phase producer meter (tuned on since issue 14):
    seeded random walks of the consumption, the production and each phase's voltage."""
    import random
    from datetime import datetime, timedelta

    from linkytool.tic.horodate import PARIS

    rng = random.Random(seed)
    mode = TicMode.STANDARD
    start = datetime(2027, 5, 14, 9, 30, tzinfo=PARIS)
    drawn, injected = 48_212_007.0, 9_318_455.0
    reactive = [1_200_554.0, 23_118.0, 4_901.0, 870_332.0]
    load, sun = 2_400.0, 3_000.0
    volts = [231.0, 229.0, 233.0]
    maxima = [0, 0, 0, 0]

    def group(label: str, data: str, horodate: str | None = None) -> bytes:
        return encode_group(label, data, mode, horodate=horodate)

    parts = []
    for n in range(count):
        moment = start + timedelta(seconds=2 * n)
        stamp = format_horodate(moment)
        load = min(11_000.0, max(150.0, load + rng.gauss(0, 120)))
        sun = min(9_000.0, max(0.0, sun + rng.gauss(0, 60)))
        net = load - sun
        drawn += max(net, 0) * 2 / 3600
        injected += max(-net, 0) * 2 / 3600
        for q in range(4):
            reactive[q] += rng.random() * (3 if q in (0, 3) else 0.2)
        volts = [min(253.0, max(207.0, v + rng.gauss(0, 0.6))) for v in volts]
        shares = [0.5 + rng.random() * 0.1, 0.25 + rng.random() * 0.1]
        shares.append(1 - sum(shares))
        phase_va = [int(max(net, 0) * share) for share in shares]
        maxima = [max(m, int(v)) for m, v in zip(maxima, [max(net, 0), *phase_va], strict=True)]
        amps = [int(va / v) for va, v in zip(phase_va, volts, strict=True)]
        east = int(drawn)
        hc = moment.hour < 6 or moment.hour >= 22
        frame = [
            group("ADSC", "022176543210"),
            group("VTIC", "02"),
            group("DATE", "", stamp),
            group("NGTF", "HC-ET-WEEK-END--"),
            group("LTARF", "HEURE-CREUSE----" if hc else "HEURE-PLEINE----"),
            group("EAST", f"{east:09d}"),
            group("EASF01", f"{east * 2 // 5:09d}"),
            group("EASF02", f"{east - east * 2 // 5:09d}"),
            *[group(f"EASF{i:02d}", "000000000") for i in range(3, 11)],
            group("EASD01", f"{east // 4:09d}"),
            group("EASD02", f"{east // 4:09d}"),
            group("EASD03", f"{east // 4:09d}"),
            group("EASD04", f"{east - 3 * (east // 4):09d}"),
            group("EAIT", f"{int(injected):09d}"),
            *[group(f"ERQ{q + 1}", f"{int(reactive[q]):09d}") for q in range(4)],
            *[group(f"IRMS{i + 1}", f"{amps[i]:03d}") for i in range(3)],
            *[group(f"URMS{i + 1}", f"{int(volts[i]):03d}") for i in range(3)],
            group("PREF", "36"),
            group("PCOUP", "36"),
            group("SINSTS", f"{int(max(net, 0)):05d}"),
            *[group(f"SINSTS{i + 1}", f"{phase_va[i]:05d}") for i in range(3)],
            group("SMAXSN", f"{maxima[0]:05d}", "E270514081500"),
            *[group(f"SMAXSN{i + 1}", f"{maxima[i + 1]:05d}", "E270514081500") for i in range(3)],
            group("SMAXSN-1", "09874", "E270513191200"),
            *[group(f"SMAXSN{i + 1}-1", "03291", "E270513191200") for i in range(3)],
            group("SINSTI", f"{int(max(-net, 0)):05d}"),
            group("SMAXIN", "06120", "E270514123000"),
            group("SMAXIN-1", "06388", "E270513131000"),
            group("CCASN", f"{int(load) // 2:05d}", stamp[:10] + "000"),
            group("CCASN-1", "01870", "E270514090000"),
            group("CCAIN", f"{int(sun) // 2:05d}", stamp[:10] + "000"),
            group("CCAIN-1", "02212", "E270514090000"),
            *[group(f"UMOY{i + 1}", f"{int(volts[i]):03d}", stamp[:10] + "000") for i in range(3)],
            group("STGE", "013AC501"),
            group("MSG1", "PAS-DE----------MESSAGE---------"),
            group("PRM", "30001987654321"),
            group("RELAIS", "001"),
            group("NTARF", "01" if hc else "02"),
            group("NJOURF", "00"),
            group("NJOURF+1", "00"),
            group(
                "PJOURF+1",
                "00004001-06004002-22004001-NONUTILE-NONUTILE-NONUTILE-NONUTILE"
                "-NONUTILE-NONUTILE-NONUTILE-NONUTILE",
            ),
        ]
        parts.append(b"\x02" + b"".join(frame) + b"\x03")
    return b"".join(parts)


def historique_capture(count: int, seed: int = 19_990_101) -> bytes:
    """``count`` historique frames of a single-phase HC meter (tuned on since issue 14)."""
    import random

    rng = random.Random(seed)
    mode = TicMode.HISTORIQUE
    hchc, hchp, amps = 3_918_207.0, 7_202_118.0, 6.0
    parts = []
    for n in range(count):
        amps = min(44.0, max(1.0, amps + rng.gauss(0, 0.7)))
        power = int(amps * 230)
        hour = (n * 1.2 / 3600) % 24
        hc = hour < 6 or hour >= 22
        if hc:
            hchc += power * 1.2 / 3600
        else:
            hchp += power * 1.2 / 3600
        groups = [
            ("ADCO", "031762814470"),
            ("OPTARIF", "HC.."),
            ("ISOUSC", "45"),
            ("HCHC", f"{int(hchc):09d}"),
            ("HCHP", f"{int(hchp):09d}"),
            ("PTEC", "HC.." if hc else "HP.."),
            ("IINST", f"{int(amps):03d}"),
            ("IMAX", "090"),
            ("PAPP", f"{power // 10 * 10:05d}"),
            ("HHPHC", "A"),
            ("MOTDETAT", "000000"),
        ]
        body = b"".join(encode_group(label, data, mode) for label, data in groups)
        parts.append(b"\x02" + body + b"\x03")
    return b"".join(parts)


def tempo3_capture(count: int, seed: int = 20_240_229) -> bytes:
    """``count`` historique frames of a three-phase Tempo meter (held out: never profiled
    nor tuned on): six indexes, one per day colour and period, phase currents, the
    colour of tomorrow, the potentials; a frame every 1.5 s."""
    import random

    rng = random.Random(seed)
    mode = TicMode.HISTORIQUE
    indexes = {
        "BBRHCJB": 12_004_118.0,
        "BBRHPJB": 20_771_940.0,
        "BBRHCJW": 2_101_336.0,
        "BBRHPJW": 3_880_217.0,
        "BBRHCJR": 640_093.0,
        "BBRHPJR": 1_015_774.0,
    }
    amps = [4.0, 7.0, 2.0]
    peak = [0, 0, 0]
    parts = []
    for n in range(count):
        amps = [min(60.0, max(0.0, a + rng.gauss(0, 0.5))) for a in amps]
        peak = [max(p, int(a)) for p, a in zip(peak, amps, strict=True)]
        power = int(sum(amps) * 230)
        day = int(n * 1.5 // 86_400) % 7
        colour = "JB" if day < 5 else ("JW" if day == 5 else "JR")
        hour = (n * 1.5 / 3600) % 24
        period = "HC" if hour < 6 or hour >= 22 else "HP"
        indexes[f"BBR{period}{colour}"] += power * 1.5 / 3600
        groups = [
            ("ADCO", "041776210355"),
            ("OPTARIF", "BBR("),
            ("ISOUSC", "30"),
            *[(label, f"{int(value):09d}") for label, value in indexes.items()],
            ("PTEC", f"{period}{colour}"),
            ("DEMAIN", "BLEU" if day < 4 else ("BLAN" if day == 4 else "ROUG")),
            *[(f"IINST{i + 1}", f"{int(amps[i]):03d}") for i in range(3)],
            *[(f"IMAX{i + 1}", f"{max(peak[i], 60):03d}") for i in range(3)],
            ("PMAX", f"{max(power, 9_000):05d}"),
            ("PAPP", f"{power // 10 * 10:05d}"),
            ("HHPHC", "Y"),
            ("MOTDETAT", "000000"),
            ("PPOT", "00"),
        ]
        body = b"".join(encode_group(label, data, mode) for label, data in groups)
        parts.append(b"\x02" + body + b"\x03")
    return b"".join(parts)


#: name -> (generator of ``count`` frames, default frame count, tuned on?). The speed
#: work was tuned on standard, then on producer3 and historique; tempo3 is held out.
CAPTURES = {
    "standard": (synthetic_capture, 30_000, True),
    "producer3": (producer3_capture, 16_000, True),
    "historique": (historique_capture, 150_000, True),
    "tempo3": (tempo3_capture, 70_000, False),
}


def changing_groups(data: bytes, frames: int = 10_000) -> float:
    """Mean number of groups per frame whose bytes differ from the previous frame's."""
    previous: dict[bytes, bytes] = {}
    changed = 0
    chunks = data.split(b"\x03", frames)[:frames]
    for chunk in chunks:
        for line in chunk[2:-1].split(b"\r\n"):
            label = line.replace(b" ", b"\t").split(b"\t", 1)[0]
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


def time_command(capture: Path, output_format: str) -> tuple[float, float]:
    """Wall and CPU time (user + system, of the whole process) of ``linkytool tic decode
    CAPTURE --format F`` (stdout to /dev/null) [s]."""
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    started = time.perf_counter()
    subprocess.run(
        [sys.executable, "-m", "linkytool", "tic", "decode", str(capture), "--format",
         output_format],
        stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, check=True, cwd=ROOT,
    )  # fmt: skip
    wall = time.perf_counter() - started
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    return wall, after.ru_utime + after.ru_stime - before.ru_utime - before.ru_stime


def compile_bytecode() -> None:
    """Compile linkytool's modules, as ``pip install`` does (see the module docstring)."""
    subprocess.run(
        [sys.executable, "-m", "compileall", "-q", str(ROOT / "linkytool")],
        check=True,
        env={key: value for key, value in os.environ.items() if key != "PYTHONDONTWRITEBYTECODE"},
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--capture", action="append", choices=sorted(CAPTURES))
    parser.add_argument("--frames", type=int, help="frames per capture (default: its own)")
    parser.add_argument("--runs", type=int, default=5, help="interleaved rounds")
    parser.add_argument("--no-peer", action="store_true")
    args = parser.parse_args()
    compile_bytecode()
    python = None if args.no_peer else ensure_peer()
    for name in args.capture or ["standard"]:
        bench_capture(name, args.frames, args.runs, python)
    real_frames_read(python)


def bench_capture(name: str, frames: int | None, runs: int, python: Path | None) -> None:
    """Time every figure on capture ``name`` in ``runs`` interleaved rounds and print them."""
    generate, default_frames, tuned = CAPTURES[name]
    count = frames or default_frames
    OUT.mkdir(exist_ok=True)
    capture = OUT / f"{name}-v2-{count}.bin"
    if not capture.exists():
        capture.write_bytes(generate(count))
    data = capture.read_bytes()
    megabytes = len(data) / 1e6
    decoded, groups = decode_ours(data)
    assert decoded == count, decoded
    print(
        f"\ncapture {name} ({'tuned on' if tuned else 'held out: never tuned on'}): {count} "
        f"frames, {megabytes:.1f} MB, {groups / count:.0f} groups/frame, "
        f"{changing_groups(data):.1f} of them changing from one frame to the next ({capture})"
    )
    load_before = os.getloadavg()
    times: dict[str, list[float]] = {key: [] for key in (*FORMATS, "in-process", "peer")}
    ratios: dict[str, list[float]] = {key: [] for key in (*FORMATS, "in-process")}
    #: CPU time [s] and its per-round ratios: the load of this shared machine moves wall
    #: times by 2x, CPU times much less.
    cpus: dict[str, list[float]] = {key: [] for key in (*FORMATS, "peer")}
    cpu_ratios: dict[str, list[float]] = {key: [] for key in FORMATS}
    peer: dict[str, object] = {}
    for _ in range(runs):
        round_times: dict[str, float] = {}
        round_cpus: dict[str, float] = {}
        if python is not None:
            peer = run_peer(python, capture)
            round_times["peer"] = float(peer["time"])  # type: ignore[arg-type]
            round_cpus["peer"] = float(peer["cpu"])  # type: ignore[arg-type]
        for output_format in FORMATS:
            round_times[output_format], round_cpus[output_format] = time_command(
                capture, output_format
            )
        round_times["in-process"] = median_time(decode_ours, data, 1)
        for key, value in round_times.items():
            times[key].append(value)
            if "peer" in round_times and key != "peer":
                ratios[key].append(round_times["peer"] / value)
        for key, value in round_cpus.items():
            cpus[key].append(value)
            if "peer" in round_cpus and key != "peer":
                cpu_ratios[key].append(round_cpus["peer"] / value)
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
    for key, label in labels.items():
        if not times[key]:
            continue
        median = statistics.median(times[key])
        ratio = f"{statistics.median(ratios[key]):.1f}x" if ratios.get(key) else ""
        print(f"{label:<44} {megabytes / median:7.1f} {median:9.2f} {ratio:>13}")
        if ratios.get(key):
            print(f"{'':<44} per round: {' '.join(f'{r:.1f}' for r in ratios[key])}")
        if cpus.get(key):
            cpu = statistics.median(cpus[key])
            cpu_ratio = statistics.median(cpu_ratios[key]) if cpu_ratios.get(key) else None
            versus = f", {cpu_ratio:.1f}x pyteleinfo's CPU" if cpu_ratio else ""
            print(f"{'':<44} CPU {cpu:.2f} s ({megabytes / cpu:.1f} MB/s{versus})")
    print(f"load average after: {' '.join(f'{x:.2f}' for x in load_after)}")
    print(
        f"(medians of {runs} interleaved rounds; ratios: median of per-round ratios; "
        "linkytool's CPU: the whole process, start included; pyteleinfo's: its decode loop)"
    )


def real_frames_read(python: Path | None) -> None:
    """How many frames of the real captures each decoder reads."""
    real = real_frames()
    OUT.mkdir(exist_ok=True)
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
        f"\nreal frames read: linkytool {ours_read}/{len(real)} "
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
