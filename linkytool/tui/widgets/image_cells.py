"""Show a small image in the terminal with half-block characters (two pixels per cell).

Used to display the screen crop the OCR read, so the user can compare it with the value
proposed before confirming. Pillow is imported only when an image is shown.
"""

from __future__ import annotations

import io
from typing import Any

from rich.style import Style
from rich.text import Text
from textual.widgets import Static

UPPER_HALF = "▀"


def image_to_text(image: Any, width: int, max_rows: int = 8) -> Text:
    """Render ``image`` (a PIL image or PNG/JPEG bytes) as ``width`` cells wide."""
    from PIL import Image

    if isinstance(image, bytes | bytearray):
        image = Image.open(io.BytesIO(image))
    picture = image.convert("RGB")
    ratio = picture.height / max(1, picture.width)
    # Terminal cells are about twice as high as wide; each cell shows two pixel rows.
    rows_needed = width * ratio / 2
    if rows_needed > max_rows:  # tall image: limit the height, narrow the width
        rows = max_rows
        cols = max(1, min(width, round(rows * 2 / ratio)))
    else:
        rows, cols = max(1, round(rows_needed)), width
    small = picture.resize((cols, rows * 2))
    pixels = small.load()
    assert pixels is not None
    text = Text()
    for row in range(rows):
        for col in range(cols):
            top = pixels[col, row * 2]
            bottom = pixels[col, row * 2 + 1]
            assert isinstance(top, tuple) and isinstance(bottom, tuple)
            text.append(
                UPPER_HALF,
                Style(color=f"rgb({top[0]},{top[1]},{top[2]})", bgcolor=_rgb(bottom)),
            )
        if row < rows - 1:
            text.append("\n")
    return text


def _rgb(pixel: tuple[int, ...]) -> str:
    return f"rgb({pixel[0]},{pixel[1]},{pixel[2]})"


class ImageCells(Static):
    """A Static showing an image as coloured half blocks."""

    DEFAULT_CSS = "ImageCells { height: auto; width: auto; }"

    def show_image(self, image: Any, width: int = 36) -> None:
        """Display ``image`` (PIL image or encoded bytes); ``None`` clears the preview."""
        if image is None:
            self.update("")
            return
        try:
            self.update(image_to_text(image, width))
        except Exception:  # an unreadable crop must not break the screen
            self.update("(aperçu indisponible)")
