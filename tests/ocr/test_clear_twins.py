"""A twin vouches for a design only when it is clearly nearer than any other digit's
cell (``dotmatrix.clear_twins``, ocr37n).

Found on ocr37n's tuning seed 140204 (``devtools/ocr_rules.py ... --font all --level
hard --camera --count 30``), tailed held out, camera hard photo 10: the PRM
``35460450294420`` under a shade over its first two cells (their middle rows dark). The
3 and the 5 both read 3, 5.7 dots apart, within the panel's design gap (6.0), so the
panel vouched for a "3" drawn twice alike and the PRM came back ``33460450294420``,
confidently (camera photos are not pinned: the generator's camera model has no pin).
The cells below are that photo's 14 digit cells in its 3 px sampling (each dot two
digits, in hundredths, 99 for fully on) and their dots pooled over the three samplings
(the shapes).
"""

from __future__ import annotations

import numpy as np
import pytest

from linkytool.ocr import dotmatrix
from linkytool.ocr.dotmatrix import DIGITS, char_distances, template_fonts, use_template_fonts

#: ``35460450294420``'s cells; the first two (a 3 and a 5) are under the shade.
CELLS = (
    "3099998327862500018000000000270000361200000000004295150004461794999210",
    "8399999999480000010504000000000006344100000000007639020021941697969942",
    "0000259912000094990500400098003500008200436083999400091599170005089900",
    "1599999808990006079999000200009999979900880500009996080021940180999900",
    "0399999908990900189999020293998000880099998502008293000017770099999900",
    "0002119913000099991000992295009913009909839299998200000095000004009900",
    "9999989999990600000099040000008399978710000002129995080011980599999908",
    "0099999925991600138299000099999900820098996603009399001900790099999200",
    "0092999913992013019911001800990000999905007207000098141502009990929294",
    "0799999900991308149991000002990090999999170000049984000400770097929600",
    "0006028903000077990004872599089502009901969299998500000099050000109920",
    "0000029100030087990013790093059511119706999499997513001299000000049900",
    "1899999906900000089411001301921000979900079900000599170005009199999163",
    "0099999900991800009699000096979900850899999916028973100000450291799800",
)
SHAPES = (
    "5099999950995000009900000000500000500000000000005099500000500099999900",
    "9999999999500000000000000000000000505000000000005050000050995099999950",
    "0000509900000099990000500099005000005000505050999900000099500000009900",
    "0099999900990000009999000000009999999900990000009999000050990050999900",
    "0099999900990000509999000099995000990099999900009999000000500099999900",
    "0000009900000099990000995099009900009900999999999900000099000000009900",
    "9999999999990000000099000000005099999900000000009999000000990099999900",
    "0099999950990000009999000099999900500099995000009999000000500099999900",
    "0099999900995000009900000000990000999900005000000099000000009999999999",
    "0099999900990000009999000000990099999999000000009950000000500099999900",
    "0000009900000050990000995099009900009900999999999900000099000000009950",
    "0000009900000099990000500099009900009900999999995000000099000000009900",
    "5099999900990000009900000000990000999900009900000099500000009999999950",
    "0099999900995000009999000099999900990099999900009950000000500099509900",
)
#: The title letters' median fit on that sampling [dots] (``dotmatrix.letters_fit``).
LETTERS = 1.93


def _dots(rows: tuple[str, ...]) -> np.ndarray:
    return np.array([[int(r[i : i + 2]) for i in range(0, 70, 2)] for r in rows]) / 99


def _vouched() -> tuple[str, np.ndarray]:
    cells, shapes = _dots(CELLS), _dots(SHAPES)
    with use_template_fonts(tuple(name for name in template_fonts() if name != "tailed")):
        chars, distances = char_distances(cells, None, designs=True)
        costs = distances[:, [chars.index(digit) for digit in DIGITS]]
        vouched = dotmatrix.vouched_digits(cells, costs, LETTERS, shapes=shapes)
    return "".join(DIGITS[i] for i in np.argmin(costs, axis=1)), vouched


def test_two_shaded_cells_of_two_digits_are_no_twins(monkeypatch: pytest.MonkeyPatch) -> None:
    read, vouched = _vouched()
    assert read == "33460450294420"  # the shaded 5 is nearest a 3, like its neighbour
    assert not vouched[:2].any()  # nearer the panel's 5 than 1.5 dots past its "twin"
    assert vouched[[4, 7, 13]].all()  # the 0s, drawn three times alike, keep their twins
    monkeypatch.setattr(dotmatrix, "clear_twins", lambda between, same: same.sum(axis=1) > 1)
    _, without = _vouched()
    assert without[:2].all()  # the rule off: the "3" drawn twice alike is vouched for


def test_a_twin_must_be_nearer_than_every_other_digit_by_the_margin() -> None:
    between = np.array([[0.0, 5.7, 6.5], [5.7, 0.0, 9.0], [6.5, 9.0, 0.0]])
    same = np.array([[True, True, False], [True, True, False], [False, False, True]])
    # cell 0: twin 5.7, the other digit's cell 6.5 (0.8 further: no clear twin); cell 1:
    # twin 5.7, other 9.0 (3.3 further); cell 2: drawn once, no twin at all
    assert dotmatrix.clear_twins(between, same).tolist() == [False, True, False]
