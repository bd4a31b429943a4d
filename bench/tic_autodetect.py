"""Speed autodetection time of `tic read --mode auto`, against the simulator on a pty.

The simulator honours the speed the reader sets on the pty (it emulates what a UART
decodes at a wrong speed), so the reader really tries 9600 baud first and falls back to
1200 for a historique meter. Prints, per mode, the median / min / max over N runs of:
detection time (port open -> speed accepted) and time to the first complete frame.

    .venv/bin/python bench/tic_autodetect.py [runs]
"""

from __future__ import annotations

import statistics
import sys
import time

from linkytool.tic import TicMode
from linkytool.tic.serialio import FrameReceived, ModeDetected, TicReader
from linkytool.tic.sim_serve import serve_pty
from linkytool.tic.simulator import MeterSimulator


def one_run(mode: TicMode, seed: int) -> tuple[float, float]:
    """(detection time, time to the first complete frame) [s] for one plug-in."""
    server = serve_pty(MeterSimulator(mode, seed=seed))
    time.sleep(0.05 * (seed % 7))  # plug in at various points of the frame
    try:
        started = time.monotonic()
        reader = TicReader(server.path)
        detected = first_frame = float("nan")
        for event in reader:
            if isinstance(event, ModeDetected):
                detected = event.elapsed_s
                assert event.mode is mode, event
            elif isinstance(event, FrameReceived) and event.frame.complete:
                first_frame = time.monotonic() - started
                reader.stop()
            if time.monotonic() - started > 20:
                reader.stop()
        return detected, first_frame
    finally:
        server.stop()


def main() -> None:
    runs = int(sys.argv[1]) if len(sys.argv) > 1 else 7
    print(f"tic read --mode auto on a simulated meter (pty), {runs} runs per mode")
    for mode in (TicMode.STANDARD, TicMode.HISTORIQUE):
        results = [one_run(mode, seed) for seed in range(runs)]
        for name, values in (
            ("speed detected", [r[0] for r in results]),
            ("first complete frame", [r[1] for r in results]),
        ):
            print(
                f"  {mode.value:10s} {name:21s} median {statistics.median(values):.2f} s"
                f"  (min {min(values):.2f}, max {max(values):.2f})"
            )


if __name__ == "__main__":
    main()
