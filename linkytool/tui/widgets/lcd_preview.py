"""The meter's LCD as the installer can read it in a terminal: one LCD dot per braille dot.

The picture itself (dots sampled from the reader's crop, braille text) is drawn by
:mod:`linkytool.tui.lcd_dots`, normally in the photo worker beside the reading; this
widget only styles it, the characters the reader was unsure of highlighted. It imports
neither numpy nor the OCR: the Photos screen opens without loading them.
"""

from __future__ import annotations

from typing import Any

from rich.style import Style
from rich.text import Text
from textual.widgets import Static

from linkytool.tui.errors import SafetyNet
from linkytool.tui.lcd_dots import BraillePicture, picture_of

DOT_STYLE = Style(color="#c8e6a0", bgcolor="#1e2a1a")
UNSURE_STYLE = Style(color="black", bgcolor="yellow", bold=True)


def braille_text(picture: BraillePicture) -> Text:
    """``picture`` as styled text, its unsure cells highlighted."""
    text = Text(no_wrap=True)
    for row, line in enumerate(picture.rows):
        if row:
            text.append("\n")
        start = 0
        for col in sorted(c for r, c in picture.unsure if r == row):
            text.append(line[start:col], DOT_STYLE)
            text.append(line[col], UNSURE_STYLE)
            start = col + 1
        text.append(line[start:], DOT_STYLE)
    return text


class LcdPreview(SafetyNet, Static):
    """The braille picture of the LCD read, or a short French line when there is none."""

    DEFAULT_CSS = "LcdPreview { width: auto; height: auto; }"

    def show_reading(self, reading: Any) -> None:
        """Draw ``reading``'s panel (``None`` clears the preview)."""
        if reading is None:
            self.update("")
            return
        picture = picture_of(reading)
        if picture is None:
            self.update(Text("(aucun écran LCD trouvé sur la photo)", style="dim"))
        else:
            self.update(braille_text(picture))


__all__ = ["DOT_STYLE", "UNSURE_STYLE", "LcdPreview", "braille_text"]
