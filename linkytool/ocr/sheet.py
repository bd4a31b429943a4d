"""The tesseract sheet: the title line on top of the engraved references, one call a photo.

The title line of the rectified panel, cleaned for tesseract, and the area photographed
above the screen (the meter's references: ADS number...), rectified, are pasted on one
white sheet; :func:`split_sheet` takes tesseract's text back apart.
"""

from __future__ import annotations

import re

import numpy as np
import numpy.typing as npt
from PIL import Image, ImageFilter, ImageOps

from linkytool.ocr.lcdgrid import GridSample
from linkytool.ocr.panel import PanelChoice
from linkytool.ocr.rectify import homography
from linkytool.ocr.settings import SETTINGS


def title_crop(panel: Image.Image, grid: GridSample) -> Image.Image:
    """Line 1 of the rectified panel, cleaned up for tesseract (dark text on white).

    Cut at the aligned dot grid (no bezel), dots merged into strokes by a blur, Otsu-like
    threshold by autocontrast, and a white margin around (tesseract wants one).
    """
    xs, ys = grid.centres
    pad = grid.px_per_dot
    box = (
        max(0, round(xs.min() - pad)),
        max(0, round(ys[0] - pad)),
        min(panel.width, round(xs.max() + pad)),
        min(panel.height, round(ys[6] + pad)),
    )
    crop = ImageOps.autocontrast(panel.convert("L").crop(box), cutoff=2)
    crop = crop.filter(ImageFilter.GaussianBlur(pad * SETTINGS.title_blur))
    crop = ImageOps.autocontrast(crop, cutoff=1)
    crop = crop.point(lambda v: 255 if v > SETTINGS.title_threshold else 0)
    return ImageOps.expand(crop, border=2 * pad, fill=255)


def references_crop(image: Image.Image, quad: npt.NDArray[np.float64]) -> Image.Image:
    """The area above the panel, rectified (engraved references), grey, autocontrast."""
    unit = np.array([[0, 0], [1, 0], [1, 1], [0, 1]], dtype=np.float64)
    to_photo = homography(unit, quad)
    left, top, right, bottom = SETTINGS.references_box
    box = np.array([[left, top], [right, top], [right, bottom], [left, bottom]])
    corners = np.column_stack([box, np.ones(4)]) @ to_photo.T
    corners = corners[:, :2] / corners[:, 2:3]
    width, height = SETTINGS.references_size
    target = np.array([[0, 0], [width, 0], [width, height], [0, height]], dtype=np.float64)
    back = homography(target, corners)
    coefficients = tuple(float(v) for v in (back / back[2, 2]).flatten()[:8])
    area = image.transform(
        (width, height), Image.Transform.PERSPECTIVE, coefficients, Image.Resampling.BILINEAR
    )
    return ImageOps.autocontrast(area.convert("L"), cutoff=1)


def tesseract_sheet(image: Image.Image, choice: PanelChoice) -> Image.Image:
    """The title line on top of the references area, on one white sheet."""
    title = title_crop(choice.panel, choice.first.grid)
    if choice.quad is None:
        return title
    references = references_crop(image, choice.quad)
    gap = SETTINGS.sheet_gap
    size = (max(title.width, references.width), title.height + gap + references.height)
    sheet = Image.new("L", size, 255)
    sheet.paste(title, (0, 0))
    sheet.paste(references, (0, title.height + gap))
    return sheet


def split_sheet(text: str | None) -> tuple[str | None, str | None]:
    """(title line, legible references) of the tesseract text of the sheet."""
    if text is None:
        return None, None
    lines = [line for line in text.splitlines() if line.strip()]
    if not lines:
        return "", None
    return lines[0], parse_references("\n".join(lines[1:]))


def parse_references(text: str) -> str | None:
    """The legible lines of the engraved references (joined by " / "), or None.

    Lines of tesseract noise (few letters or digits, mostly symbols) are dropped.
    """
    kept = []
    for raw in text.splitlines():
        line = re.sub(r"\s+", " ", raw).strip()
        alnum = sum(c.isalnum() for c in line)
        share = SETTINGS.min_reference_share * len(line.replace(" ", ""))
        if alnum >= SETTINGS.min_reference_chars and alnum >= share:
            kept.append(line)
    return " / ".join(kept) if kept else None


__all__ = ["parse_references", "references_crop", "split_sheet", "tesseract_sheet", "title_crop"]
