"""Shared helpers of the photo-reader tests: seeded synthetic photos written to tmp."""

from __future__ import annotations

import dataclasses
import functools
import hashlib
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import numpy as np
import pytest
from PIL import Image

from linkytool.ocr import PhotoReading, panel, read_photo, structure
from linkytool.ocr.rectify import BORDER, PANEL_H, PANEL_W, PX_PER_DOT, rectified_size
from linkytool.ocr.result import ScreenKind
from linkytool.ocr.settings import SETTINGS
from ocrsynth import PhotoSpec, encode_photo, generate_photo, photo_rng
from ocrsynth.generate import draw_scene
from ocrsynth.render import LcdGeometry, LcdStyle, render_lcd
from ocrsynth.screens import Screen
from ocrsynth.truth import PhotoTruth

SAMPLES_PHOTOS = Path(__file__).resolve().parents[2] / "samples" / "photos"


@pytest.fixture
def synth_photo(tmp_path: Path):  # type: ignore[no-untyped-def]
    """Factory: write one seeded synthetic photo and return (path, truth dict)."""

    def make(
        spec: PhotoSpec, seed: int = 1, name: str = "photo.jpg"
    ) -> tuple[Path, dict[str, object]]:
        image, truth = generate_photo(spec, np.random.default_rng(seed))
        path = tmp_path / name
        path.write_bytes(encode_photo(image, truth))
        return path, truth.to_dict()

    return make


class CommittedReadings:
    """``read_photo`` of the committed sample photos (by name), each read once per test
    session for all the test workers (issue 14: the 24 photos, 8 s of CPU, were read one
    after another by one test, and the demo photos again by each worker that ran another
    test here; t17 and t19 again by ``test_lcdgrid.py``). Each reading is real:
    ``read_photo``'s, by whichever worker needs it first, kept under the SHA-256 of the
    photo's bytes (``SessionStore``), in the store the UI tests' ``CachedPhotoReader``
    keeps its readings in, by the same key: a demo photo read by either is read once per
    session for both (the reader reads no clock).

    The one read of a photo also counts its calls of ``panel._measured_read`` (each
    candidate panel read on its measured lattice, or its turned partner on that lattice
    turned; a counter that passes every call through, the reading unchanged; before
    ocr42b ``panel.sample_measured``, called once a panel then and once a line layout
    read since): ``test_lcdgrid.py`` bounds t17's without a read of its own.
    """

    def __init__(self, store: Callable[[str], Any]) -> None:
        self._readings = store("photo-readings")
        self._lattice_calls = store("lattice-calls")

    @functools.cache  # noqa: B019 (one instance per session)
    def __call__(self, name: str) -> PhotoReading:
        path = SAMPLES_PHOTOS / name
        key = hashlib.sha256(path.read_bytes()).hexdigest()
        reading = self._readings.get(key, lambda: self._counted_read(path, key))
        assert isinstance(reading, PhotoReading)
        return reading

    def _counted_read(self, path: Path, key: str) -> PhotoReading:
        reading, calls = read_counting_lattices(path)
        self._lattice_calls.get(key, lambda: calls)
        return reading

    def lattice_calls(self, name: str) -> int:
        """Calls of ``panel._measured_read`` by the session's read of photo ``name``
        (the photo read again, counting, if another reader read it first)."""
        self(name)
        path = SAMPLES_PHOTOS / name
        key = hashlib.sha256(path.read_bytes()).hexdigest()
        calls = self._lattice_calls.get(key, lambda: read_counting_lattices(path)[1])
        assert isinstance(calls, int)
        return calls


def read_counting_lattices(path: Path) -> tuple[PhotoReading, int]:
    """``read_photo(path)`` and its number of calls of ``panel._measured_read``."""
    calls = 0
    real = panel._measured_read

    def counting(*args: Any, **kwargs: Any) -> Any:
        nonlocal calls
        calls += 1
        return real(*args, **kwargs)

    panel._measured_read = counting  # type: ignore[assignment]
    try:
        reading = read_photo(path)
    finally:
        panel._measured_read = real  # type: ignore[assignment]
    return reading, calls


@pytest.fixture(scope="session")
def committed_reading(session_store: Callable[[str], Any]) -> CommittedReadings:
    """:class:`CommittedReadings` of this session."""
    return CommittedReadings(session_store)


def make_photo(
    font: str | None, level: str, index: int, seed: int, geometry: str = "default"
) -> tuple[bytes, str]:
    """Photo ``index`` of ``bench/ocr_accuracy.py``'s set (``seed``, ``--geometry``) for
    ``font`` at ``level`` (None: the level's own mix of glyph sets), as the generator
    writes it (JPEG bytes), and its true value."""
    data, truth = make_scene(font, level, index, seed, geometry)
    assert isinstance(truth.value, str)
    return data, truth.value


def make_scene(
    font: str | None, level: str, index: int, seed: int, geometry: str = "default"
) -> tuple[bytes, PhotoTruth]:
    """Photo ``index`` of ``bench/ocr_accuracy.py``'s set as :func:`make_photo` draws it,
    with the generator's whole truth (its scene, for photos that hold no value)."""
    rng = photo_rng(seed, level, index)
    spec = PhotoSpec(scene=draw_scene(rng), level=level, font=font, geometry=geometry)
    image, truth = generate_photo(spec, rng)
    return encode_photo(image, truth), truth


def wide_photo(
    tmp_path: Path, level: str, index: int, seed: int, font: str | None = None
) -> tuple[Path, str]:
    """Photo ``index`` of ``bench/ocr_accuracy.py --geometry wide --seed SEED --level
    LEVEL`` drawn in ``font`` (``--font``; None: the level's own mix), written into
    ``tmp_path``, and its true value."""
    data, value = make_photo(font, level, index, seed, "wide")
    path = tmp_path / f"wide-{level}-{seed}-{index}-{font}.jpg"
    path.write_bytes(data)
    return path, value


def clean_panel(
    geometry: LcdGeometry, screen: Screen, *, font: str, dot_fill: float
) -> Image.Image:
    """``screen`` drawn on a clean, backlit panel of ``geometry`` at 9 px a pitch."""
    style = LcdStyle(
        background=(176, 212, 118),
        ink=(28, 40, 24),
        ghost=0.02,
        dot_fill=dot_fill,
        contrast=0.9,
        font=font,
        backlight=True,
        geometry=geometry,
    )
    return render_lcd(screen, style, 9)


def drawn_panel(
    geometry: LcdGeometry, screen: Screen, *, font: str, dot_fill: float
) -> Image.Image:
    """:func:`clean_panel` placed as :func:`rectify` places a panel (the standard panel's
    size, the bezel's border around): a panel of another layout as the reader's later
    stages see it."""
    panel = clean_panel(geometry, screen, font=font, dot_fill=dot_fill)
    image = Image.new("RGB", rectified_size(), (30, 30, 30))
    inner = panel.resize((PANEL_W * PX_PER_DOT, PANEL_H * PX_PER_DOT), Image.Resampling.BOX)
    image.paste(inner, (BORDER * PX_PER_DOT, BORDER * PX_PER_DOT))
    return image


def bench_photo(
    tmp_path: Path, font: str | None, level: str, index: int, seed: int = 41
) -> tuple[Path, str]:
    """:func:`make_photo`'s photo and true value (a pinned benchmark case): the committed
    file of ``tests/data/ocr-pinned`` (``pinned_photos.py``), read in place. One not
    pinned yet is generated into ``tmp_path``, with a warning that says how to pin it
    (issue 14)."""
    import warnings

    from .pinned_photos import MIX, pin_name, pinned

    pin = pinned(font, level, index, seed)
    if pin is not None:
        return pin
    warnings.warn(
        f"photo {pin_name(font, level, index, seed)} generated (0.3 s of CPU per session): "
        f"pin it with `tests/ocr/pinned_photos.py --add {font or MIX} {level} {index} {seed}`",
        stacklevel=2,
    )
    data, value = make_photo(font, level, index, seed)
    path = tmp_path / pin_name(font, level, index, seed)
    path.write_bytes(data)
    return path, value


def read_held_out(photo: Path, held_out: str) -> PhotoReading:
    """``read_photo(photo)`` by a reader built without the glyph set ``held_out`` (the
    benchmark's leave-one-font-out: the photo is drawn in that set)."""
    from linkytool.ocr.dotmatrix import template_fonts, use_template_fonts

    with use_template_fonts(tuple(name for name in template_fonts() if name != held_out)):
        return read_photo(photo)


def held_out_verdict(photo: Path, held_out: str) -> tuple[ScreenKind, str | None, bool]:
    """:func:`read_held_out`'s screen, value and confidence: what a pinned case asserts."""
    reading = read_held_out(photo, held_out)
    return reading.screen, reading.value, reading.confident


def drawn_cell(rows: tuple[str, ...]) -> np.ndarray:
    """A cell's sampled dots drawn as text: ``#`` on (1.0), ``?`` uncertain (0.5), else
    off (0.0), one string a row."""
    return np.array([[1.0 if c == "#" else 0.5 if c == "?" else 0.0 for c in r] for r in rows])


def spines_ruled_out(cell: np.ndarray, drawn_off: bool = False) -> str:
    """The digits ``structure.broken_spines`` rules out for one cell, as a string."""
    from linkytool.ocr.dotmatrix import DIGITS

    out = structure.broken_spines(cell.reshape(1, -1), drawn_off)[0]
    return "".join(DIGITS[i] for i in np.flatnonzero(out))


def switch_off_shapes(monkeypatch: pytest.MonkeyPatch) -> None:
    """The structural evidence (``linkytool.ocr.structure``) switched off: no digit is
    ruled out by a cell's shape, so a test sees another rule alone."""
    from linkytool.ocr import dotmatrix

    monkeypatch.setattr(
        dotmatrix,
        "shape_ruled_out",
        lambda cells, *_: np.zeros((len(cells), 10), dtype=np.bool_),
    )


def open_sides_off(monkeypatch: pytest.MonkeyPatch) -> None:
    """Stop 38's open left sides switched off: 2, 3 and 7 admit a left wall again (their
    ``structure.DIGIT_SHAPES`` rows as before), the shapes read by the module's own
    functions without their caches (which hold the table's answers)."""
    for digit in "237":
        row = structure.DIGIT_SHAPES[digit]
        free = (row.flags[0], frozenset({True, False}), *row.flags[2:])
        monkeypatch.setitem(structure.DIGIT_SHAPES, digit, dataclasses.replace(row, flags=free))
    monkeypatch.setattr(structure, "_digits_of", structure._digits_of.__wrapped__)
    monkeypatch.setattr(structure, "_admitted", structure._admitted.__wrapped__)


def twins_shape_off(monkeypatch: pytest.MonkeyPatch) -> None:
    """ocrW's twins switched off (``dotmatrix._twins_shape``): a cell no longer rules out
    what the cells of its own glyph rule out, so a test sees another rule alone."""
    from linkytool.ocr import dotmatrix

    monkeypatch.setattr(dotmatrix, "_twins_shape", lambda cells, costs, shape: shape)


def sure_dot_rule_off(monkeypatch: pytest.MonkeyPatch) -> None:
    """ocrU's sure-dot rule switched off (``dotmatrix.as_near_by_sure_dots``): a shape
    rules out a runner-up however many sure dots the cell contradicts it on."""
    from linkytool.ocr import dotmatrix

    monkeypatch.setattr(
        dotmatrix, "as_near_by_sure_dots", lambda cells, costs: np.zeros(costs.shape, dtype=bool)
    )


def template_glyph(char: str) -> np.ndarray:
    """The reader's own template of ``char`` (its 35 dots, 0 or 1; the first glyph set
    that draws it)."""
    from linkytool.ocr.dotmatrix import templates

    table = templates()
    return np.asarray(table.vectors[list(table.chars).index(char)], dtype=np.float64)


def shape_agreement_off(monkeypatch: pytest.MonkeyPatch) -> None:
    """Stop 40's rule switched off (``dotmatrix.shape_disagrees``): a value is judged by
    its margins even where a cell's shape rules out the digit its templates read."""
    from linkytool.ocr import dotmatrix

    monkeypatch.setattr(dotmatrix, "shape_disagrees", lambda *args, **kwargs: False)


@pytest.fixture
def no_shapes(monkeypatch: pytest.MonkeyPatch) -> None:
    """:func:`switch_off_shapes` for a whole test."""
    switch_off_shapes(monkeypatch)


def lattice_rules_off(monkeypatch: pytest.MonkeyPatch) -> None:
    """ocr42b's lattice rules switched off (``Settings.lattice_weigh_blanks``, the other
    line layouts of ``Settings.lattice_layout_tie``): the lattice is measured as before
    that round, so a pin of an earlier round's value rule reads its photo on the lattice
    that rule was set on (the new fit samples some of those hard photos on another line
    layout, where they read right without the rule: the rule still bites on the old
    lattice, which a panel of another photo may still get)."""
    from linkytool.ocr import lcdgrid

    monkeypatch.setattr(
        lcdgrid,
        "SETTINGS",
        dataclasses.replace(lcdgrid.SETTINGS, lattice_weigh_blanks=False, lattice_layout_tie=0.0),
    )


@pytest.fixture
def nine_pitch_background(monkeypatch: pytest.MonkeyPatch) -> None:
    """The panel's background over 9 pitches, as the reader had it before stop 44
    (``Settings.background_window`` 9 -> 5, then bounded within a pitch at stop 45):
    a pin of an earlier round then reads its photo on the darkness map its rule was set
    on. With 5 pitches some of those photos no longer show their rule (read right and
    confident, the doubt gone) and some lose their confident or exact reading
    (docs/ocr.md, "A background that follows a phone's highlight": the 33 pins, each
    named there)."""
    nine_pitch_background_set(monkeypatch)


def nine_pitch_background_set(monkeypatch: pytest.MonkeyPatch) -> None:
    """:func:`nine_pitch_background`'s change, for a test that undoes its fixtures'."""
    square_background_set(monkeypatch, 9)


def square_background_set(monkeypatch: pytest.MonkeyPatch, window: int) -> None:
    """The background the brightest level of a ``window``-pitch square, without the
    bound within a pitch (``Settings.background_reach`` 0)."""
    from linkytool.ocr import lcdgrid

    monkeypatch.setattr(
        lcdgrid,
        "SETTINGS",
        dataclasses.replace(lcdgrid.SETTINGS, background_window=window, background_reach=0.0),
    )


def panel_rules_off(monkeypatch: pytest.MonkeyPatch) -> None:
    """ocrG's two panel rules switched off (``Settings.read_turned``, the edge-averaged
    refinements of ``Settings.edge_smooth_px``): a pin of an earlier round's value rule
    then reads its photo on the panel that rule was set on (the new rules pick another
    quad or grid for some of those hard photos, read right or wrong without the rule)."""
    monkeypatch.setattr(
        panel, "SETTINGS", dataclasses.replace(SETTINGS, read_turned=False, edge_smooth_px=0)
    )


@contextmanager
def shape_feature_free(digit: str, feature: str) -> Iterator[None]:
    """``digit``'s row of ``structure.DIGIT_SHAPES`` with ``feature`` left free (either
    value) inside the block, the shape caches cleared on entry and exit."""
    row = structure.DIGIT_SHAPES[digit]
    flags = list(row.flags)
    flags[structure.FLAGS.index(feature)] = frozenset({True, False})
    structure.DIGIT_SHAPES[digit] = structure.Allowed(row.holes, tuple(flags))
    structure._digits_of.cache_clear()
    structure._admitted.cache_clear()
    try:
        yield
    finally:
        structure.DIGIT_SHAPES[digit] = row
        structure._digits_of.cache_clear()
        structure._admitted.cache_clear()
