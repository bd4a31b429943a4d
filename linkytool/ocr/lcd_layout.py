"""The layout of the Linky's 2 × 16 character dot-matrix LCD, as data [dots].

A character is 5 × 7 dots on a 6-dot pitch, the two lines are 9 dots apart, and the panel
has a 3-dot margin: 101 × 22 dots in all (the HD44780-style layout; the real panel's
margins have not been measured on a photo). The reader rectifies photos onto this grid
and the UI's braille preview draws it; both read these numbers from here.
"""

from __future__ import annotations

from linkytool.ocr.font5x7 import COLS, ROWS

#: Characters per line and lines.
CHARS = 16
LINES = 2
#: Character cell [dots] (the 5 × 7 glyphs of :mod:`linkytool.ocr.font5x7`).
CHAR_W = COLS
CHAR_H = ROWS
#: Distance between the starts of neighbouring characters and lines [dots].
CHAR_PITCH = 6
LINE_PITCH = 9
#: Blank border around the characters [dots].
MARGIN_X = 3
MARGIN_Y = 3
#: Whole panel [dots]: 3 + 15 × 6 + 5 + 3 = 101 wide, 3 + 9 + 7 + 3 = 22 high.
PANEL_W = MARGIN_X + (CHARS - 1) * CHAR_PITCH + CHAR_W + MARGIN_X
PANEL_H = MARGIN_Y + (LINES - 1) * LINE_PITCH + CHAR_H + MARGIN_Y

__all__ = [
    "CHARS",
    "CHAR_H",
    "CHAR_PITCH",
    "CHAR_W",
    "LINES",
    "LINE_PITCH",
    "MARGIN_X",
    "MARGIN_Y",
    "PANEL_H",
    "PANEL_W",
]
