"""The synthetic Linky photo generator: determinism, ground truth, EXIF, every scene."""

from __future__ import annotations

import io
import json
import re
from dataclasses import replace
from datetime import datetime
from pathlib import Path

import numpy as np
import pytest
from PIL import Image, ImageOps

from linkytool.ocr.font5x7 import DIGITS_AND_BLANK
from ocrsynth import (
    LEVELS,
    SCENES,
    PhotoSpec,
    encode_photo,
    generate_large_photo,
    generate_photo,
    generate_set,
    load_truth,
)
from ocrsynth.__main__ import main
from ocrsynth.font5x7 import FONTS, bits_of, font_rows, glyph_bits, supported, variant_rom
from ocrsynth.levels import levels_table
from ocrsynth.screens import LINE_CHARS, OTHER_SCREENS, date_screen, other_screen

SMALL = (960, 720)
VALUE_PATTERNS = {
    "prm": r"\d{14}",
    "date": r"\d{4}-\d{2}-\d{2}(T\d{2}:\d{2})?",
    "injection_index": r"0|[1-9]\d*",
}


def _photo(spec: PhotoSpec, seed: int = 7) -> tuple[Image.Image, dict[str, object], bytes]:
    image, truth = generate_photo(spec, np.random.default_rng(seed))
    return image, truth.to_dict(), encode_photo(image, truth)


def test_same_seed_same_bytes_and_other_seed_differs() -> None:
    spec = PhotoSpec(scene="prm", level="hard", size=SMALL)
    _, truth_a, data_a = _photo(spec, 3)
    _, truth_b, data_b = _photo(spec, 3)
    _, truth_c, data_c = _photo(spec, 4)
    assert data_a == data_b
    assert truth_a == truth_b
    assert data_c != data_a
    assert truth_c["value"] != truth_a["value"]


@pytest.mark.parametrize("scene", SCENES)
@pytest.mark.parametrize("level", ["normal", "hard"])
def test_every_scene_renders_with_consistent_truth(scene: str, level: str) -> None:
    _, truth, data = _photo(PhotoSpec(scene=scene, level=level, size=SMALL), 11)
    assert Image.open(io.BytesIO(data)).size == (truth["width"], truth["height"])
    lines = truth["lines"]
    assert isinstance(lines, list) and len(lines) == 2
    assert all(len(line) <= LINE_CHARS for line in lines)
    kind = truth["kind"]
    value = truth["value"]
    if scene in VALUE_PATTERNS:
        assert kind == scene
        assert isinstance(value, str) and re.fullmatch(VALUE_PATTERNS[scene], value)
        assert truth["lcd_quad"] is not None
        assert truth["legible"] is True
    else:
        assert value is None
        assert kind == ("other" if scene == "other" else "not_linky")
    if scene == "screen_off":
        assert lines == [" " * LINE_CHARS] * 2
        assert truth["params"]["backlight"] is False  # type: ignore[index]


def test_displayed_text_matches_value() -> None:
    rng_seed = 20
    for scene in ("prm", "injection_index", "date"):
        for seed in range(rng_seed, rng_seed + 6):
            _, truth, _ = _photo(PhotoSpec(scene=scene, level="easy", size=SMALL), seed)
            shown = str(truth["lines"][1])  # type: ignore[index]
            value = str(truth["value"])
            if scene == "prm":
                assert shown.strip() == value
            elif scene == "injection_index":
                digits = re.match(r"\s*(\d+)\s?kWh\s*$", shown)
                assert digits and int(digits.group(1)) == int(value)
            else:
                when = datetime.fromisoformat(value)
                both = " ".join(truth["lines"])  # type: ignore[arg-type]
                assert when.strftime("%d/%m/") in both
                assert (when.strftime("%H:%M") in both) == ("T" in value)


def test_split_date_layout_shows_date_and_time_on_two_lines() -> None:
    when = datetime(2026, 11, 20, 14, 32)
    for seed in range(4):
        screen = date_screen(np.random.default_rng(seed), when, layout="split")
        assert screen.lines[0] in ("DATE  20/11/2026", "DATE    20/11/26")
        assert screen.lines[1] == "HEURE      14:32"
        assert screen.value == "2026-11-20T14:32"


def test_exif_skew_is_recorded_and_applied() -> None:
    when = datetime(2026, 11, 20, 14, 32)
    spec = PhotoSpec(
        scene="date",
        level="hard",
        size=SMALL,
        when=when,
        exif=True,
        overrides={"exif_skew_s": 3600},
    )
    _, truth, _ = _photo(spec)
    taken = datetime.strptime(str(truth["exif_datetime"]), "%Y:%m:%d %H:%M:%S")
    assert truth["params"]["exif_skew_s"] == 3600  # type: ignore[index]
    assert 3600 + 5 <= (taken - when).total_seconds() < 3600 + 100


def test_exif_orientation_and_datetime_round_trip() -> None:
    spec = PhotoSpec(
        scene="date",
        level="normal",
        size=(720, 960),
        orientation=6,
        when=datetime(2026, 11, 20, 14, 32),
        exif_time=datetime(2026, 11, 20, 14, 33, 10),
        time_shown=True,
        exif=True,
    )
    image, truth, data = _photo(spec)
    assert truth["value"] == "2026-11-20T14:32"
    loaded = Image.open(io.BytesIO(data))
    exif = loaded.getexif()
    assert exif[0x0112] == 6
    assert exif.get_ifd(0x8769)[0x9003] == "2026:11:20 14:33:10"
    assert exif.get_ifd(0x8769)[0x9011] == "+01:00"
    # Stored landscape, shown portrait once the orientation is applied.
    assert loaded.size == (960, 720)
    assert ImageOps.exif_transpose(loaded).size == (720, 960)
    del image


def test_lcd_quad_follows_the_stored_pixels() -> None:
    """The LCD quad (stored coordinates) encloses dark dots on a light panel."""
    for orientation in (1, 3, 6, 8):
        spec = PhotoSpec(scene="prm", level="easy", size=(960, 720), orientation=orientation)
        image, truth, _ = _photo(spec, 5)
        quad = np.array(truth["lcd_quad"])
        assert quad.shape == (4, 2)
        assert (quad >= 0).all() and (quad[:, 0] <= image.width).all()
        assert (quad[:, 1] <= image.height).all()
        left, top = quad.min(axis=0)
        right, bottom = quad.max(axis=0)
        inner = image.crop((int(left) + 4, int(top) + 4, int(right) - 4, int(bottom) - 4))
        outside = image.crop((int(left) - 30, int(top) - 30, int(left) - 5, int(bottom)))
        grey_inner = np.asarray(inner.convert("L"), dtype=float)
        grey_bezel = np.asarray(outside.convert("L"), dtype=float)
        # Panel mostly bright with dark dots; the bezel/cover left of it is not the panel.
        assert np.percentile(grey_inner, 90) > 120
        assert np.percentile(grey_inner, 2) < np.percentile(grey_inner, 90) - 50
        assert grey_bezel.size > 0


def test_png_and_truncated_encodings() -> None:
    image, truth = generate_photo(
        PhotoSpec(scene="injection_index", level="easy", size=SMALL), np.random.default_rng(1)
    )
    truth.format = "PNG"
    assert encode_photo(image, truth)[:8] == b"\x89PNG\r\n\x1a\n"
    truth.format = "JPEG"
    full = encode_photo(image, truth)
    truth.format = "JPEG-TRUNCATED"
    cut = encode_photo(image, truth)
    assert full.startswith(cut) and len(cut) < len(full)
    with pytest.raises(OSError):
        Image.open(io.BytesIO(cut)).load()


def test_generate_set_writes_photos_and_truth(tmp_path: Path) -> None:
    truths = generate_set(tmp_path, 4, "hard", 42)
    document = json.loads((tmp_path / "truth.json").read_text(encoding="utf-8"))
    assert document["count"] == 4 and document["level"] == "hard" and document["seed"] == 42
    assert [t.file for t in load_truth(tmp_path / "truth.json")] == [t.file for t in truths]
    for truth in truths:
        assert (tmp_path / truth.file).stat().st_size > 10_000
    # Photo i depends on (seed, level, i) only: a longer set starts with the same photos.
    again = generate_set(tmp_path / "again", 2, "hard", 42)
    assert (tmp_path / "again" / again[1].file).read_bytes() == (
        tmp_path / truths[1].file
    ).read_bytes()


def test_script_entry(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["--out", str(tmp_path), "--count", "2", "--level", "easy", "--seed", "1"]) == 0
    assert "easy: 2 photos" in capsys.readouterr().out
    assert len(list(tmp_path.glob("easy-*.jpg"))) == 2


def test_font_glyphs_are_5_wide_7_or_8_high_and_cover_every_screen() -> None:
    for font in FONTS:
        for char in FONTS[font]:
            assert glyph_bits(char, font).shape == (font_rows(font), 5)
            assert font_rows(font) in (7, 8)
        if set(FONTS[font]) == set(DIGITS_AND_BLANK):
            continue  # a set lending the reader only its digit designs (Spleen)
        rng = np.random.default_rng(0)
        texts = [line for _ in range(200) for line in other_screen(rng).lines]
        texts += [title for title, _ in OTHER_SCREENS]
        texts += ["NUMERO PRM", "INDEX INJECTION", "DATE COURANTE", "0123456789/: kWh kVA VA"]
        assert all(supported(text, font) for text in texts)
    # Glyphs are distinct within a set (a reader's templates must be separable).
    for font in FONTS:
        shapes = {tuple(glyph_bits(c, font).flatten()) for c in "0123456789"}
        assert len(shapes) == 10


def test_levels_are_ordered_by_difficulty() -> None:
    easy, normal, hard = LEVELS["easy"], LEVELS["normal"], LEVELS["hard"]
    assert easy.roll < normal.roll == 3.0 < hard.roll == 10.0
    assert easy.blur_dots[1] < normal.blur_dots[1] < hard.blur_dots[1]
    assert easy.jpeg_quality[0] > normal.jpeg_quality[0] > hard.jpeg_quality[0]


def test_docs_carry_the_current_levels_table() -> None:
    doc = Path(__file__).resolve().parents[2] / "docs" / "ocr-synth.md"
    assert levels_table() in doc.read_text(encoding="utf-8")


def test_large_photo_has_48_megapixels_and_scaled_truth() -> None:
    spec = PhotoSpec(scene="injection_index", level="normal", orientation=6)
    image, truth = generate_large_photo(spec, np.random.default_rng(2), size=(8000, 6000))
    assert image.size == (6000, 8000) == (truth.width, truth.height)
    assert truth.lcd_quad is not None
    quad = np.array(truth.lcd_quad)
    assert (quad[:, 0] <= 6000).all() and (quad[:, 1] <= 8000).all()
    assert Image.open(io.BytesIO(encode_photo(image, truth))).getexif()[0x0112] == 6


def test_variant_rom_keeps_every_glyph_nearest_its_own_character() -> None:
    """For the HD44780-like sets the generator draws variant ROMs of (the X11 and tailed
    sets have characters 2 dots apart by design: one flip can land half-way)."""
    for font in ("hd44780", "alt", "plain"):
        base = {c: glyph_bits(c, font) for c in FONTS[font] if c != " "}
        for seed in range(20):
            rom = variant_rom(font, np.random.default_rng(seed))
            changed = 0
            for char, bits in base.items():
                variant = bits_of(rom[char])
                own = int((variant != bits).sum())
                assert own <= 1
                changed += own
                # Glyphs identical in the base set (alt: O and 0) cannot be told apart anyway.
                others = [
                    int((variant != b).sum())
                    for c, b in base.items()
                    if c != char and (b != bits).any()
                ]
                assert all(own < d for d in others)
            assert changed > 0


def test_font_data_names_its_source_and_licence() -> None:
    """The X11 glyphs are data extracted from a public-domain font, with provenance."""
    folder = Path(__file__).resolve().parents[2] / "linkytool" / "ocr" / "fonts"
    for name in ("x11_5x7", "x11_5x8"):
        document = json.loads((folder / f"{name}.json").read_text(encoding="utf-8"))
        assert "xfonts-base" in document["source"]
        assert document["licence"].startswith("public domain")
        assert set(document["glyphs"]) == set(FONTS["hd44780"])
        assert document["rows"] == font_rows(name) == len(document["glyphs"]["0"])
    # the misc-fixed 5x7 zero: narrow, 4 dots wide (a design HD44780 templates never saw)
    assert FONTS["x11_5x7"]["0"] == ("..#..", ".#.#.", ".#.#.", ".#.#.", ".#.#.", "..#..", ".....")


def test_a_forced_font_and_the_wide_geometry_change_only_the_panel() -> None:
    """``font=`` and ``geometry="wide"`` keep the photo's other draws (same screen, same
    pose) and record what they drew; a 5x8 font gets 5x8 cells."""
    base = PhotoSpec(scene="prm", level="normal", size=SMALL)
    specs = (base, replace(base, font="x11_5x8"), replace(base, font="plain", geometry="wide"))
    truths = [generate_photo(spec, np.random.default_rng(11))[1] for spec in specs]
    plain, x11, wide = truths
    assert plain.lines == x11.lines == wide.lines
    assert plain.params["roll"] == x11.params["roll"] == wide.params["roll"]
    assert (x11.screen["font"], wide.screen["font"]) == ("x11_5x8", "plain")
    assert x11.params["cell_5x8"] is True and "cell_5x8" not in plain.params
    for name in ("char_gap", "line_gap", "wide_dot_fill", "dot_shape", "columns_20"):
        assert name in wide.params and name not in plain.params
    assert 0.4 <= wide.params["wide_dot_fill"] <= 0.9
    with pytest.raises(ValueError, match="unknown font"):
        _photo(replace(base, font="comic"), 11)
    with pytest.raises(ValueError, match="unknown geometry"):
        _photo(replace(base, geometry="narrow"), 11)


def test_the_camera_model_adds_to_a_photo_and_records_its_draws() -> None:
    base = PhotoSpec(scene="date", level="easy", size=SMALL)
    plain = generate_photo(base, np.random.default_rng(5))[1]
    shot = generate_photo(replace(base, camera=True), np.random.default_rng(5))[1]
    assert shot.lines == plain.lines and shot.params["roll"] == plain.params["roll"]
    assert shot.jpeg_quality == shot.params["camera_jpeg_quality"]
    assert shot.jpeg_quality is not None and 60 <= shot.jpeg_quality <= 92
    assert {"camera_defocus_dots", "camera_exposure", "camera_white_balance"} <= set(shot.params)
    assert not any(name.startswith("camera") for name in plain.params)


def test_variant_rom_photos_record_it() -> None:
    spec = PhotoSpec(scene="prm", level="hard", size=SMALL, overrides={"rom_variant": True})
    _, truth, _ = _photo(spec, 9)
    assert truth["screen"]["rom_variant"] is True  # type: ignore[index]
    assert truth["params"]["rom_changed"]  # type: ignore[index]


def test_stripped_exif_photos_are_upright_or_sideways_as_recorded() -> None:
    for upright in (True, False):
        spec = PhotoSpec(
            scene="prm",
            level="normal",
            size=(720, 960),
            orientation=6,
            exif=False,
            overrides={"stripped_upright": upright},
        )
        image, truth, data = _photo(spec)
        assert truth["exif_orientation"] is None
        assert 0x0112 not in Image.open(io.BytesIO(data)).getexif()
        assert image.size == ((720, 960) if upright else (960, 720))


@pytest.mark.parametrize("index", [47, 55, 167, 199, 255])
def test_lcd_stays_in_frame_even_with_strong_roll_on_a_small_photo(index: int) -> None:
    """Seeds that once pushed a corner of the LCD out of a 300 × 200 frame."""
    scene = SCENES[(index // 4) % len(SCENES)]
    spec = PhotoSpec(scene=scene, level="extreme", size=(300, 200), overrides={"lcd_cut": False})
    _, truth = generate_photo(spec, np.random.default_rng([123, index]))
    assert truth.lcd_quad is not None
    quad = np.array(truth.lcd_quad)
    assert (quad >= 0).all()
    assert (quad[:, 0] <= truth.width).all() and (quad[:, 1] <= truth.height).all()


def test_badly_framed_photos_cut_the_lcd_and_say_so() -> None:
    spec = PhotoSpec(scene="prm", level="extreme", size=SMALL, overrides={"lcd_cut": True})
    _, truth, _ = _photo(spec, 2)
    quad = np.array(truth["lcd_quad"])
    outside = (quad[:, 0] < 0).any() or (quad[:, 0] > truth["width"]).any()
    assert outside and truth["legible"] is False
