"""The braille preview of the three demo photos, as an 80×24 terminal shows it.

    .venv/bin/python bench/tui_braille_capture.py [--out bench/out/braille-preview-80x24.txt]

Runs ``linkytool --demo`` in tmux at 80×24, opens Photos (F3) and, for each photo in
the order of the screen, waits until its value and its LCD preview (one LCD dot per
braille dot) are drawn, writes ``tmux capture-pane -p`` of the screen, then confirms the
value with Entrée (the focus, and the scroll, move to the next photo). Each capture is
taken once the photo's six preview rows are all on the screen and no notification covers
them; below it, the preview decoded back to dots (``#``), whatever the font the capture
is read with. Issue 17 asks for this capture: the digits of each photo must be readable
in it by eye.
"""

from __future__ import annotations

import argparse
import sys
import tempfile
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from tmux_term import DEMO_CONFIRMED, DEMO_PHOTOS, DEMO_VALUES, KeepServer, Tmux

ROOT = Path(__file__).resolve().parent.parent
BINARY = ROOT / ".venv" / "bin" / "linkytool"
VALUES, CONFIRMED, PHOTOS = DEMO_VALUES, DEMO_CONFIRMED, DEMO_PHOTOS
#: Rows of the preview [cells], and lines from the value line to the preview's first.
PREVIEW_ROWS = 6
PREVIEW_OFFSET = 2
#: Left border of a notification (toast): it must not cover the preview captured.
TOAST_BORDER = "\u258c"
#: Braille dot bits: [column][row] of a 2 × 4 cell -> bit of U+2800.
BRAILLE_BITS = ((0x01, 0x02, 0x04, 0x40), (0x08, 0x10, 0x20, 0x80))


def braille(line: str) -> str:
    """The braille characters of ``line``, in order."""
    return "".join(char for char in line if "\u2800" <= char <= "\u28ff")


def preview_rows(screen: str, value: str) -> list[str] | None:
    """The preview rows under the line showing ``value``, when all six are on the
    screen, some dot is lit and no notification covers them."""
    lines = screen.splitlines()
    found = next((i for i, line in enumerate(lines) if value in line), None)
    if found is None:
        return None
    rows = lines[found + PREVIEW_OFFSET : found + PREVIEW_OFFSET + PREVIEW_ROWS]
    if len(rows) < PREVIEW_ROWS or any(not braille(row) or TOAST_BORDER in row for row in rows):
        return None
    if not any(braille(row).strip("\u2800") for row in rows):
        return None
    return rows


def decoded(rows: list[str]) -> str:
    """The preview's dots as ``#`` and ``.``, one character per LCD dot."""
    out = []
    for row in rows:
        cells = [ord(char) - 0x2800 for char in braille(row)]
        for dy in range(4):
            dots = (bool(code & BRAILLE_BITS[dx][dy]) for code in cells for dx in (0, 1))
            out.append("".join("#" if lit else "." for lit in dots).rstrip("."))
    return "\n".join(out)


def capture() -> list[tuple[str, str, list[str]]]:
    """(photo, screen, preview rows) for each demo photo."""
    screens: list[tuple[str, str, list[str]]] = []
    with tempfile.TemporaryDirectory() as scratch:
        env = {"XDG_STATE_HOME": f"{scratch}/state", "XDG_CONFIG_HOME": f"{scratch}/config"}
        env["TERM"] = "xterm-256color"
        term = Tmux([str(BINARY), "--demo"], env=env, cwd=Path(scratch), poll_s=0.05)
        term.start()
        try:
            term.wait(lambda text: "Photos F3" in text)
            term.keys("F3")
            for photo, value, done in zip(PHOTOS, VALUES, CONFIRMED, strict=True):
                _, screen = term.wait(
                    lambda text, value=value: preview_rows(text, value) is not None, timeout=60
                )
                screens.append((photo, screen, preview_rows(screen, value) or []))
                term.keys("Enter")
                term.wait(lambda text, done=done: done in text)
            term.quit_app()
        finally:
            term.close()
    return screens


def main() -> None:
    parser = argparse.ArgumentParser(description=(__doc__ or "").splitlines()[0])
    parser.add_argument("--out", type=Path, default=ROOT / "bench/out/braille-preview-80x24.txt")
    options = parser.parse_args()
    with KeepServer():
        screens = capture()
    text = ""
    for photo, screen, rows in screens:
        text += f"== {photo}: linkytool --demo, F3, tmux 80x24 (capture-pane -p) ==\n"
        text += f"{screen.rstrip()}\n-- its preview decoded, one character per LCD dot --\n"
        text += f"{decoded(rows)}\n\n"
    options.out.parent.mkdir(parents=True, exist_ok=True)
    options.out.write_text(text, encoding="utf-8")
    print(text, end="")
    print(f"written: {options.out}")


if __name__ == "__main__":
    main()
