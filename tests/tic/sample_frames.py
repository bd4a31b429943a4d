"""Builders of the bundled captures in ``samples/tic/`` (the tests check the files match).

Regenerate with ``.venv/bin/python -m tests.tic.sample_frames`` from the repository root.
Demo constants (CONTRACTS.md): PRM 30002345678901, ADSC 041864123456, consumer mode
(STGE bit 8 = 0), standard mode, meter clock 20/11/2026 14:32 (winter time).
"""

from __future__ import annotations

from datetime import datetime, timedelta
from pathlib import Path

from linkytool.tic import TicMode, encode_frame
from linkytool.tic.horodate import PARIS, format_horodate

SAMPLES_TIC = Path(__file__).resolve().parents[2] / "samples" / "tic"
DEMO_PRM = "30002345678901"
DEMO_ADSC = "041864123456"
START = datetime(2026, 11, 20, 14, 32, 0, tzinfo=PARIS)


def demo_standard_groups(n: int) -> list[tuple[str, str | None, str]]:
    """Groups of the demo meter's n-th frame (one frame every 2 s, 520-560 VA drawn)."""
    now = START + timedelta(seconds=2 * n)
    power = 520 + 20 * (n % 3)
    east = 1_234_567 + n
    return [
        ("ADSC", None, DEMO_ADSC),
        ("VTIC", None, "02"),
        ("DATE", format_horodate(now), ""),
        ("NGTF", None, "     BASE       "),
        ("LTARF", None, "      BASE      "),
        ("EAST", None, f"{east:09d}"),
        ("EASF01", None, f"{east:09d}"),
        *[(f"EASF{k:02d}", None, "000000000") for k in range(2, 11)],
        ("EASD01", None, f"{east:09d}"),
        *[(f"EASD{k:02d}", None, "000000000") for k in range(2, 5)],
        ("IRMS1", None, f"{power // 230:03d}"),
        ("URMS1", None, "231"),
        ("PREF", None, "06"),
        ("PCOUP", None, "06"),
        ("SINSTS", None, f"{power:05d}"),
        ("SMAXSN", format_horodate(START.replace(hour=7, minute=12, second=4)), "03120"),
        ("SMAXSN-1", format_horodate(START.replace(day=19, hour=19, minute=2)), "04215"),
        ("CCASN", format_horodate(START.replace(minute=30)), "00534"),
        ("CCASN-1", format_horodate(START.replace(minute=0)), "00498"),
        ("UMOY1", format_horodate(START.replace(minute=30)), "231"),
        ("STGE", None, "003A0000"),
        ("MSG1", None, "PAS DE          MESSAGE         "),
        ("PRM", None, DEMO_PRM),
        ("RELAIS", None, "000"),
        ("NTARF", None, "01"),
        ("NJOURF", None, "00"),
        ("NJOURF+1", None, "00"),
        (
            "PJOURF+1",
            None,
            "00004001 NONUTILE NONUTILE NONUTILE NONUTILE NONUTILE NONUTILE NONUTILE "
            "NONUTILE NONUTILE NONUTILE",
        ),
    ]


def demo_standard() -> bytes:
    """Three clean frames of the demo meter, starting mid-frame like a real capture."""
    frames = [encode_frame(demo_standard_groups(n), TicMode.STANDARD) for n in range(4)]
    first = frames[0]
    return first[first.index(b"\nPREF") :] + b"".join(frames[1:])


def demo_historique() -> bytes:
    """Two clean historique frames (option Base, single-phase; PTEC's checksum is a space)."""
    frames = []
    for n in range(2):
        groups = [
            ("ADCO", "041864123456"),
            ("OPTARIF", "BASE"),
            ("ISOUSC", "30"),
            ("BASE", f"{1_234_567 + n:09d}"),
            ("PTEC", "TH.."),
            ("IINST", "002"),
            ("IMAX", "090"),
            ("PAPP", f"{520 + 20 * n:05d}"),
            ("HHPHC", "A"),
            ("MOTDETAT", "000000"),
        ]
        frames.append(encode_frame(groups, TicMode.HISTORIQUE))
    return b"".join(frames)


def damaged_standard() -> bytes:
    """Demo frames with the damage real adapters show (see shared/docs/tic.md)."""
    frames = [encode_frame(demo_standard_groups(n), TicMode.STANDARD) for n in range(6)]
    lf_flip = frames[1].replace(b"\nVTIC", b"\x0bVTIC", 1)  # LF arriving as 0x0B
    dropped = frames[2].replace(b"\nIRMS1", b"\nRMS1", 1)  # first byte after LF lost
    cut = frames[3][: frames[3].index(b"\nSTGE")] + b"\x04"  # frame cut by EOT
    high = frames[4].replace(b"SINSTS\t00", b"SINSTS\t\xb00", 1)  # a bit flipped to bit 7
    return frames[0] + lf_flip + b"\x00\x7f#garbage" + dropped + cut + high + frames[5]


SAMPLES = {
    "demo-standard-consumer.bin": demo_standard,
    "demo-historique-base.bin": demo_historique,
    "damaged-standard.bin": damaged_standard,
}


if __name__ == "__main__":
    SAMPLES_TIC.mkdir(parents=True, exist_ok=True)
    for name, build in SAMPLES.items():
        (SAMPLES_TIC / name).write_bytes(build())
        print(SAMPLES_TIC / name)
