"""A panel drawn a dot off the templates is told by the letters of both its lines, not
the title's alone (``valuecells._words_beside``): a date split over two lines shows
four title letters (``DATE``) and its ``HEURE`` on the value's line. On a panel so
judged, one dot may open or close a loop, so a digit's shape rules out only what no
reading with one dot switched admits (``dotmatrix.panel_drawn_off``)."""

from __future__ import annotations

from pathlib import Path

import pytest

from linkytool.ocr import valuecells
from linkytool.ocr.panel import PanelRead
from linkytool.ocr.screenkind import ScreenKind

from .conftest import held_out_verdict

#: Held-out seed 149901 (ocr48a), tailed held out, camera hard photo 17: ``DATE
#: 07/10/2026`` over ``HEURE 09:54``, a variant ROM whose 9 has its loop's lower left dot
#: dark. The cell is two sure dots from a 3 or a 9 of the other sets and nearest a 3;
#: its open loop ruled the 9 out, so ``03:54`` was read, sure.
PHOTO = (
    Path(__file__).resolve().parents[1] / "data" / "ocr-camera" / "tailed-hard-camera-17-149901.jpg"
)
MISREAD = "2026-10-07T03:54"


def test_a_variant_nine_read_three_under_heure_is_held() -> None:
    assert held_out_verdict(PHOTO, "tailed") == (ScreenKind.DATE, MISREAD, False)


def test_with_the_title_letters_alone_it_was_confidently_wrong(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    def title_only(read: PanelRead, value: list[int]) -> object:
        """The first line's cells alone, as the panel was judged before."""
        return read.grid.cells.reshape(-1, 35)[:16], list(read.lines[0])

    monkeypatch.setattr(valuecells, "_words_beside", title_only)
    assert held_out_verdict(PHOTO, "tailed") == (ScreenKind.DATE, MISREAD, True)
