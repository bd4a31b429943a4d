"""The intake URL as a QR code drawn with half blocks: two modules per character cell, so
a version-4 code (37 × 37 with its quiet zone) takes 37 columns × 19 lines of an 80 × 24
terminal.

Lines use the light-on-dark convention of terminals: a light module is drawn, a dark one
is left blank (the terminal's background). Phone cameras also read the inverted code a
light-background terminal shows.
"""

from __future__ import annotations

import segno

#: Quiet zone [modules]: the standard's 4 when the code still fits, else 2.
QUIET_ZONES = (4, 2)
#: Error correction: M (15 %) reads through a glare on a laptop screen.
ERROR_LEVEL = "m"

_CELLS = {(True, True): "█", (True, False): "▀", (False, True): "▄", (False, False): " "}


def qr_matrix(text: str, border: int = QUIET_ZONES[0]) -> list[list[bool]]:
    """The code's modules with its quiet zone, True = dark."""
    code = segno.make_qr(text, error=ERROR_LEVEL, boost_error=False)
    return [[bool(module) for module in row] for row in code.matrix_iter(border=border)]


def qr_lines(text: str, *, max_lines: int = 21) -> list[str]:
    """The code as text lines (half blocks), at most ``max_lines`` high when possible."""
    for border in QUIET_ZONES:
        matrix = qr_matrix(text, border)
        if (len(matrix) + 1) // 2 <= max_lines or border == QUIET_ZONES[-1]:
            break
    if len(matrix) % 2:
        matrix.append([True] * len(matrix[0]))  # dark padding row (background)
    lines = []
    for top, bottom in zip(matrix[0::2], matrix[1::2], strict=True):
        lines.append("".join(_CELLS[(not a, not b)] for a, b in zip(top, bottom, strict=True)))
    return lines


__all__ = ["ERROR_LEVEL", "QUIET_ZONES", "qr_lines", "qr_matrix"]
