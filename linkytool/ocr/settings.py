"""Every tuning constant of the photo reader, in one frozen object that says where it came from.

A constant here was set by looking at benchmark runs (``bench/ocr_accuracy.py``); the
``tuned_on`` field names those runs, so a figure measured on them is not a held-out
result. Geometry that belongs to the screen itself (2 lines × 16 cells of 5×7 dots) is
measured or searched for, not set here.
"""

from __future__ import annotations

from dataclasses import dataclass, field


@dataclass(frozen=True)
class Settings:
    """Tuning constants (units in brackets). ``tuned_on`` names the runs that set them."""

    #: The benchmark runs these values were chosen on (never report figures on them).
    tuned_on: str = (
        "synthetic seeds 2026, 7, 99, 11, 301-304, 6163 (bench/ocr_accuracy.py, default "
        "geometry, HD44780 A00/A02 glyphs; rounds up to ed84bec; faint_digit_share after "
        "seed 9191); digit_fit_excess: leave-one-font-out seed 41 (normal+hard, default "
        "geometry, all six glyph sets, 12 photos per font and level); shift_cost, "
        "row_shift_cost, unfamiliar_margin_slack, unfamiliar_excess_cap and the font "
        "detection's FONT_CELL_SLACK: leave-one-font-out seeds 41 (10 photos per font and "
        "level, and 10 with the camera model) and 501 (15), normal+hard, default geometry; "
        "stretch_cost, alias_cost, the unlike_* rule, FONT_CELL_SLACK 2 -> 1 and the "
        "Spleen set: leave-one-font-out seed 4242 (30 "
        "photos per font and level, normal+hard, default geometry; the cells of those "
        "photos read offline); the one-panel-one-ROM vouching (dotmatrix.vouched_digits: "
        "unlike_distance reused, its singleton variant rejected): leave-one-font-out "
        "seeds 31337 and 27182 (25 photos per font and level, normal+hard, cells read "
        "offline); the panel ruling digits out of a margin (dotmatrix.panel_margins, "
        "design_noise_factor, design_gap_floor): leave-one-font-out seeds 4242 and 9191 "
        "(20 photos per font and level, normal+hard, cells replayed offline); the "
        "structural evidence (shape_uncertain_band, shape_max_uncertain): "
        "leave-one-font-out seeds 4242 and 9191 (10 and 8 photos per font and level, "
        "normal+hard) and seed 4242's known fonts (20 per level), "
        "panels replayed offline; the digit read by its shape (dotmatrix.shape_read, "
        "number_digits: no constant of its own, unfamiliar_excess_cap, "
        "digit_fit_excess, unlike_cost and the shape band reused): leave-one-font-out "
        "seeds 83917 and 61483 (50 photos per font and level, normal+hard), their known "
        "fonts (40 per level) and seed 61483 wide+camera (8); a letter explaining one "
        "cell, not its design (dotmatrix.number_digits: no constant of its own, "
        "design_gap reused): leave-one-font-out seed 7719 (30 photos per font and "
        "level, normal+hard); "
        "the panel vouching with "
        "its own margins (no new constant): leave-one-font-out seed 5318 (50 hard "
        "photos per font, panels replayed offline); a witness the policy trusts "
        "alone ruling its digit out of a margin (dotmatrix.trusted_alone: no constant "
        "of its own, digit_fit_excess, unfamiliar_margin_slack and "
        "unfamiliar_excess_cap reused) and a cell read as its twin's shape "
        "(dotmatrix._twin_shapes, design_gap reused): leave-one-font-out seeds 52711 "
        "and 38211 (50 normal photos per font); a time read whatever its cells read "
        "(grammar.number_token, no constant): leave-one-font-out seed 45127 (50 normal "
        "photos per font); a shape on a panel drawn a dot off the templates "
        "(shape_off_letters, structure.admitted's drawn_off): leave-one-font-out seed "
        "38411 (50 photos per font and level, normal+hard); a digit's shape read from "
        "its dots pooled over the variants sampled at the same place "
        "(structure.pooled_dots, panel.pooled_shapes: shape_uncertain_band reused), the "
        "panel vouching at its own design_gap and a colon moved a dot "
        "(dotmatrix.MOVABLE_MARKS), no constant of their own: leave-one-font-out seeds "
        "11311 (x11_5x8 and tailed, 50 normal photos) and 12421 (100 normal photos per "
        "font; 40 per font and level, normal+hard); doubted digits corroborated by "
        "each glyph set alone (ocrY's corroborate_margin, withdrawn at stop 33 with its "
        "rule): leave-one-font-out seed 100101 (50 photos per "
        "font and level, normal+hard, cells replayed offline; 12 with the camera model) "
        "and 100202 (50 hard photos per font); a colon at a token's edge read as a cell "
        "and a title naming another screen only by INDEX, no constant of their own: "
        "leave-one-font-out seed 105012 (x11_5x7 and x11_5x8, 100 hard photos each); "
        "the edge-averaged refinements (edge_smooth_px) and a quad's turns read at each "
        "other's grid (read_turned): leave-one-font-out seeds 115001 and 115002 (40 hard "
        "photos per font); faint_digit_share judged beside the next digits too "
        "(valuecells.faint_digit, PRM and date only, no new constant): leave-one-font-out "
        "seeds 130001 and 130002 (20 hard photos per font); blank_ink_share (a date's faint "
        "noise blanked): leave-one-font-out seed 130003 (40 hard photos per font; 130001, "
        "130002 and 130004 measured); digits inside a title word no number left out, a "
        "number glued to its unit, tesseract as the title's text witness and the green "
        "channel's own layout kept only when it reads better (ocrO, no constant of their "
        "own): leave-one-font-out seeds 135001-135003 (50 normal photos per font) and "
        "135001 (20 hard photos per font); a shape ruling out no runner-up the cell's "
        "sure dots fit as well as its nearest (dotmatrix.as_near_by_sure_dots, ocrU: "
        "shape_uncertain_band reused, no constant of its own): found on held-out seed "
        "138417, its cost read on leave-one-font-out seeds 138001 (camera, 50 photos per "
        "font and level) and 138002 (50 hard photos per font); an outer column too short "
        "to be a spine (structure.broken_spines, ocr37h: shape_uncertain_band reused) and "
        "tesseract naming another screen by INDEX alone (screenkind._text_names_it_alone, "
        "no constant): leave-one-font-out seeds 139501-139503 (40 hard photos per font, "
        "x11_5x8, tailed, x11_5x7 and alt), checked on 139504 (20 normal and 20 camera "
        "photos per font and level); one variant's cell text naming the spotted screen "
        "as a text witness (screenkind._one_text_names_it, ocr38a: no constant of its "
        "own): leave-one-font-out seeds 141011, 141022 and 141033 (40 hard photos per "
        "font, x11_5x8 and tailed), checked on 141044 (30 normal and hard, 20 camera "
        "photos per font and level); a twin lending what its own shape and sure dots "
        "rule out, judged before lending (dotmatrix._shape_excluded, ocr39a: no constant "
        "of its own): leave-one-font-out seeds 142401-142403 (40 hard photos per font, "
        "x11_5x8 and tailed), checked on 142404 (30 normal and hard photos per font) and "
        "142405 (20 camera photos per font and level); the drawn-off doubt judged per "
        "cell, none for a digit no sure dot shows drawn otherwise than a template "
        "(dotmatrix.drawn_as_templates, ocr42a: shape_uncertain_band reused, no constant "
        "of its own): leave-one-font-out seeds 146601-146602 (50 hard photos per font, "
        "x11_5x7, x11_5x8, tailed and hd44780); the unfamiliar-digits doubt answered by "
        "a cell's sure dots (dotmatrix.sure_dots_decide, ocr47b: shape_uncertain_band, "
        "unfamiliar_margin_slack and unfamiliar_excess_cap reused, no constant of its "
        "own): leave-one-font-out seeds 149860-149861 (50 camera normal photos per font, "
        "x11_5x7 and x11_5x8) and 149862-149863 (15 hard photos per font, camera and "
        "default); faint ink after a date (trailing_ink_share, lead stop 48): the cells "
        "after 120 dates of leave-one-font-out seeds 85831 (camera normal) and 85742 "
        "(hard), with report seed 85931's camera hard photo 39 (X11 5x8) as its case; "
        "the way up judged on one lattice (turn_measured_lattices) and a lattice moved "
        "a column towards the ink its cells leave out (lattice_column_shift, "
        "shift_column_share, ocr49b): leave-one-font-out seed 150501 (wide normal, 40 "
        "photos per font); the lattice's x pitch from the cell period "
        "(lattice_period_peak, lattice_period_tolerance, lead stop 49): leave-one-font-out "
        "seeds 88121 (wide camera normal, 30 photos per font), 88131 (wide normal+hard, "
        "20) and 86041 (hard, 20); the other cell gap read where in doubt "
        "(lattice_other_gap_doubt, ocr51a): leave-one-font-out seed 153000 (wide hard, "
        "30 photos per font) and default-geometry CPU photos of seed 153020; the "
        "margin among the sets matched to the panel (rom_margin, ocr52a: no constant "
        "of its own, the font detection's FONT_MARGIN and the panel's vouching reused): "
        "the pinned photo x11_5x7-hard-16-86532 and leave-one-font-out seeds 154000 "
        "(hard, 20 photos per font) and 154001 (camera normal, 20); two designs told "
        "by a change split by shared ink (unlike_split_change, lead stop 52: no constant "
        "of its own): report seed 88231's wide hard photo 6 (pinned), its cost on the "
        "cells of stop 51's report seeds 86081, 86082 and 88221; a faint title is a "
        "written first line (written_title, ocr53b: no constant): leave-one-font-out seed "
        "155501 (wide hard, 20 photos per font) and 48 screens off drawn on seed 155550 "
        "(default and wide, normal and hard)"
    )

    # --- the panel's darkness (linkytool.ocr.lcdgrid.darkness_map) ---
    #: Side [standard dot pitches] of the square whose brightest level is a pixel's
    #: background. A phone's specular highlight on the window is an ellipse about 5
    #: pitches high (``ocrsynth.camera``: 1/e² half-height 0.05 of the panel's width):
    #: over 9 pitches, the highlight's core became the background of dots beyond its
    #: edge, whose unlit dots then read dark and contradicted the digit's shape. 5
    #: pitches still reach the blank column beside every cell (a cell is 5 dots wide,
    #: one blank column at least). 9 (the first reader's, never measured) -> 5: lead,
    #: stop 44, tuning seed 85431 (camera model, normal: 12 of 14 exact fields held by
    #: the unfamiliar-digits doubt or the title under a highlight read confidently at 5,
    #: 7 at 7; default and camera sets checked before and after, see docs/ocr.md).
    background_window: int = 5
    #: Nor brighter than the brightest level within this reach [standard dot pitches],
    #: averaged over a pitch (0: no such bound). A lit dot's nearest unlit place (the
    #: next dot of its row or column, or the blank between) lies within a pitch, so one
    #: pitch is the least reach that sees the background beside every dot; where a
    #: phone's highlight fades, the square's brightest level is still the highlight's
    #: core and the blank panel beyond reads dark (0.14 over 5 pitches against 0.08).
    #: The square stays the background elsewhere: alone, the reach's brightest level
    #: sits on the noise's peaks and gave hard photos' blank cells dots of their own
    #: (tuning seed 85626). 1.0 at full resolution: lead, stop 45, tuning seeds 85620
    #: (camera model, normal: 15 of 32 exact fields held read confidently, none lost)
    #: and 85626 (default geometry); inside the panel only, so that a darker bezel does
    #: not read as a line of dots (t19, a screen that is off); see docs/ocr.md, "A
    #: background within a pitch".
    background_reach: float = 1.0
    #: A value held to confirm on a panel whose unlit dots read darker by more than this
    #: for each lit neighbour [normalised level] is read again with that spread undone
    #: (:mod:`linkytool.ocr.deblur`), and is confident when that reading gives the same
    #: value and the policy finds it clear. Sharp camera photos measure -0.01-0.03, those
    #: defocused by 0.38-0.45 pitch 0.06-0.08 (lead, stop 46, tuning seed 85720, camera
    #: model, normal; the default geometry's hard photos reach 0.06, seed 85626); see
    #: docs/ocr.md, "A defocused panel read again".
    deblur_spread: float = 0.05

    # --- the decision (linkytool.ocr.policy) ---
    #: A value is confident only if every digit's margin reaches this in every variant
    #: [dots] (935 digits of 150 hard photos: no wrong digit at any margin; 6 right
    #: digits under 1.5).
    confident_margin: float = 1.5
    #: Displayed confidence at exactly ``confident_margin``.
    confident_level: float = 0.8

    # --- cells (linkytool.ocr.dotmatrix) ---
    #: A cell reads as its best digit when that digit is at most this much worse than the
    #: best character overall [dots] (a blurred 0 looks like C, O or D).
    digit_bias: float = 2.5
    #: A value is not confident when a digit cell's nearest digit fits this much worse
    #: [dots] than the title letters' median (an unknown digit design; leave-one-font-out
    #: seed 41: confident-right reads of known fonts <= 1.33, confident-wrong reads of
    #: held-out fonts 2.98-5.73).
    digit_fit_excess: float = 2.0
    #: A digit cell whose ink contrast is below this share of the value's median (and, in a
    #: PRM or a date, of the brighter digit beside it: ocrP, tuning seed 130001) is faint.
    faint_digit_share: float = 0.5
    #: A date's cells outside the date whose ink contrast is below this share of the
    #: date's median are blanks (valuecells.parse_read; ocrP: tuning seeds 130001-130003).
    blank_ink_share: float = 0.3
    #: The cell right after a date read with a two-digit year and no time holding at
    #: least this share of the date's median ink contrast may be the rest of a
    #: four-digit year washed out by a glare (``valuecells.ink_after``: to confirm).
    #: Lead, stop 48, on report seed 85931 (camera, X11 5x8 held out, hard photo 39:
    #: ``15/04/2027`` under a glare read ``15/04/20``, 2020, sure; the next cell 0.34 of
    #: the date's ink): set between the cells after 120 dates of tuning sets 85831
    #: (camera normal) and 85742 (hard), 0.012-0.064 after every blank, and 0.22-0.36
    #: after one photo's date with a previous screen's residue (held anyway).
    trailing_ink_share: float = 0.15
    #: Glyph sets the classifier is built from (None: every set of ``font5x7``): both
    #: HD44780-style ROMs, the X11 5x7 and 5x8 fonts and Spleen 5x8 (BSD-2-Clause; a
    #: narrow design whose round 3 and open 4 no other set draws). The invented ``plain`` and
    #: ``tailed`` designs stay unknown designs for the benchmark: with them the tailed
    #: 6 and 9 (2 dots from an 8) cost known-font photos their margin (seed 777 hard:
    #: 000869 lost its confidence). ``bench/ocr_accuracy.py --font all`` leaves each
    #: set out of this list in turn.
    fonts: tuple[str, ...] | None = ("hd44780", "alt", "x11_5x7", "x11_5x8", "spleen_5x8")

    # --- the title (keyword spotting on the cells) ---
    #: A title word spotted at this mean cost [dots per letter] or less names the screen
    #: (measured: right words cost 0.3-4, the other kinds' words 6 or more).
    spot_max_cost: float = 5.0
    #: Certain at this cost or less (or tesseract agrees), this far below the next kind.
    spot_sure_cost: float = 4.0
    spot_sure_gap: float = 4.0
    #: ... or at this cost when every variant's cell text names the same screen.
    spot_text_sure_cost: float = 6.5
    #: ... with this gap [dots/letter] for screens whose grammar no other screen's
    #: value passes (PRM, date), and for the injection index when tesseract names no
    #: other screen (only INJECTION names it; ocrF, tuning seed 110011 X11 5x8 hard:
    #: gaps 2.7-4.0 on index titles every variant's text named, all read right; the
    #: same gap when one variant's text names it at ``spot_sure_cost``, none another:
    #: ocr38a, no constant of its own).
    spot_text_sure_gap: float = 2.5
    #: A value word loses to another screen's word fitting this much better.
    other_word_slack: float = 1.5
    #: A first line whose raw ink stays under the blank level (``GridSample.untitled``)
    #: is still written when a title word fits its cells (``spot_max_cost``) and each
    #: of the word's cells holds more ink than every other cell of the line: a faint
    #: title (a dim panel under a glare or a shade), not a screen off whose second line
    #: was sampled on something else (``PanelRead.untitled``; ocr53b, wide hard tuning
    #: seed 155501: photo 16's ``PRM`` at 0.032-0.057 beside the line's other cells at
    #: 0.016-0.026 in four fonts, X11 5x8 photo 19's at 0.067-0.079 beside 0.015-0.028;
    #: no constant: noise fitting a 3-letter word puts its cells on the line's 3
    #: inkiest about once in C(16, 3) = 560; none of 48 screens off drawn on seed
    #: 155550 is untitled; the pinned screen off, 84205 photo 36, stays unread).
    #: False: every untitled grid unread, as before.
    written_title: bool = True

    # --- panel choice ---
    #: Mean distance [dots per cell] above which a panel is not a dot-matrix LCD.
    max_mean_distance: float = 7.0
    #: Mean distance of a clean read: no further panel candidates are tried.
    good_mean_distance: float = 1.5
    #: Share of the cells (best fitting first) that decides whether a panel is an LCD.
    accept_share: float = 0.75
    #: Dot-grid alignment (dot centres minus gaps, normalised darkness) under which a
    #: panel is penalised: text panels measure 0.08-0.2, blank or non-LCD areas < 0.03.
    min_alignment: float = 0.06
    grid_penalty: float = 20.0
    rank_grid_penalty: float = 30.0
    empty_penalty: float = 3.0
    min_alnum_cells: int = 5
    no_title_penalty: float = 2.0
    #: Mean distance [dots per cell] of the best-fitting cells above which a panel with
    #: no title word shows no 5×7 dot grid (plain-font text: 4.8-5.9; Linky panels read
    #: under 2 when clean): tesseract then reads it, as a guess to confirm. Set on two
    #: hand-made plain-font panels (tests/ocr/test_nogrid.py), not on the benchmark.
    no_grid_distance: float = 4.0
    #: Panel candidates tried per photo.
    max_candidates: int = 3

    # --- appended fields (keep the order above) ---
    #: Extra distance [dots] of a template glyph moved by one dot in its cell (another
    #: set's placement: X11 glyphs sit one column left, a 5×8 design one row lower).
    shift_cost: float = 1.0
    #: Extra distance [dots] of one glyph row matched one column off (a stroke another
    #: set draws a dot left or right; see ``dotmatrix.row_distances``).
    row_shift_cost: float = 1.0
    #: A digit fitting ``digit_fit_excess`` worse than the title letters is still read
    #: confidently when its margin exceeds that misfit by this much [dots] and the
    #: misfit stays under ``unfamiliar_excess_cap`` [dots] (leave-one-font-out seeds 41
    #: and 501: every wrong nearest digit of an unknown design had a margin at most
    #: its misfit - 0.5, the alternative set's open 4 a misfit of 4.3-5.1).
    unfamiliar_margin_slack: float = 1.0
    unfamiliar_excess_cap: float = 4.5

    #: Free-form notes on values changed since ``tuned_on`` (empty: none).
    notes: tuple[str, ...] = field(default_factory=tuple)

    # --- the panel's edges (linkytool.ocr.rectify.refine_quad) ---
    #: Profiles across a panel edge averaged with this many neighbours on either side
    #: [rectified px, 6 a dot pitch] before the bezel/panel step is found in each: on a
    #: dim panel (backlight off, low ink contrast, a shadow) the step is about the
    #: noise's size, and a per-profile step landed on noise tilted the fitted edge by
    #: ~2 pitches at one corner. Tried after the plain refinements, only when no quad
    #: read cleanly (``panel._refinements``). Set on ocrG's tuning seed 115001
    #: (``bench/ocr_accuracy.py --font all --level hard --count 40``; hard photo 13 fixed
    #: for 4 fonts at 4, not at 2; used in place of the plain refinements it fixed 5
    #: photos and lost 5 others; 0: no such refinements, as before).
    edge_smooth_px: int = 4

    #: A quad read both ways up (neither clean) is also read each way up at the dots the
    #: other way was read at (``panel.read_turned``): on a dim panel whose dot lattice
    #: barely shows, the standard layout's search landed half a pitch off on the right
    #: way up only, and the noise read the other way up ranked better (X11 5x8 hard
    #: photos 5 of ocrG's tuning seed 115001, 12 and 34 of 115002). False: as before.
    read_turned: bool = True
    #: The panel read on a measured lattice that wins (``panel._turn_checked``) must also
    #: rank better than its quad the other way up read on that lattice turned: the
    #: measure is not symmetric under a turn, and an X11 panel's upside-down glyphs (N,
    #: O, I, X, Z turn into themselves, E into 3) read as letters nearly as closely as
    #: the right way up, so the way up measured on the better lattice won with its
    #: turned text (ocr49b: tuning seed 150501, wide normal, X11 5x7 held out photo 3:
    #: INDEX INJECTION read upside down, no value). Reading every measured quad on the
    #: other way's lattice too (the first form) changed 4 right readings' lattice, one
    #: alt index lost its confidence. False: as before.
    turn_measured_lattices: bool = True

    #: Quads the panel search reads at most on one photo (each refined, read both ways
    #: up and, when neither reads cleanly, at each other's grid): past it the search
    #: stops and the best panel read so far is used, never confidently
    #: (``Repair.SEARCH_CUT``: to confirm, retake the photo). 0: unbounded. Set on ocrS's
    #: tuning seeds 125001 (8 hard + 4 hard camera photos a font) and 125002 (15 hard,
    #: 8 hard camera, 5 normal a font) and the samples, 266 photos: the quad finally
    #: chosen was never past the 32nd, 25 photos read more than 40 (up to 81; ~30 ms
    #: each), 1 of them confident (at 52 quads): slowest in-process 2.26 -> 1.40 s with
    #: a budget of 40. On the lead's report seed 87119 (held out, 300 hard photos) 40
    #: cut 21 photos (43 to 60 quads), 13 of them read right and sure without the cut:
    #: hard confident-right 74.8 -> 72.3 % of all fields, the same values. So the budget
    #: is a guard against a runaway search (~30 ms a quad), above every count measured
    #: (81 tuning, 60 held out), not a speed knob.
    max_panel_quads: int = 96

    # --- the panel's own lattice (linkytool.ocr.lcdgrid.measure_lattice) ---
    #: Window of the moving average taken off the column profile before the lattice fit
    #: [rectified px]: longer than a dot pitch, shorter than the shade a bezel casts over
    #: the panel's edge. Set on the wide-geometry tuning seed 5001 (``bench/ocr_accuracy.py
    #: --geometry wide --level normal,hard --count 30 --seed 5001``), with the rule that a
    #: panel not read cleanly on the standard layout is also read on its measured lattice.
    lattice_detrend: int = 11
    #: Panel candidates (best standard-layout reads of a photo) also read on their
    #: measured lattice when none read cleanly. Set on the wide-geometry tuning seed 5001
    #: and the tuning samples' slowest photos (t17, t20: 86 lattices measured a photo).
    lattice_candidates: int = 8
    #: Line layouts read besides the best-fitting one on a measured lattice
    #: (``lcdgrid.measure_lattices``): those whose y fit scores within this share of the
    #: best's [share of the best score]. Another layout replaces the best fit only when
    #: its first line names a value screen and it ranks better (``panel._measured_read``).
    #: Set by ocr41a (stop 41) on the wide tuning seeds 145205 and 145206; kept by ocr42b
    #: (tuning seeds 147305 and 147306, wide).
    lattice_layout_tie: float = 0.2
    #: A measured lattice whose cells are parted by two blank columns or more is also
    #: read one dot column over when its inked cells leave their first column, or their
    #: last two, unlit (``lcdgrid.shifted_lattices``; unlit: a column's mean ink under
    #: ``shift_column_share`` of the inkiest column's), under the same
    #: rule as another line layout (replaces the best fit only when its first line names
    #: a value screen and it ranks better): a narrow glyph leaves three blank columns
    #: between glyphs and the fit cannot tell which the cell starts at (ocr49b: tuning
    #: seed 150501, wide normal, X11 5x8 held out photo 35, ``kWh`` read ``,Q6``).
    #: False: as before.
    lattice_column_shift: bool = True
    #: See ``lattice_column_shift`` [share of the inkiest column's mean ink]. Set on
    #: tuning seed 150501's photo 35 (first column 0.01-0.03 of 1 in every cell of ``kWh``).
    shift_column_share: float = 0.15
    #: The lattice's y fit weighs the blank rows (between and above the lines, a 5 × 8
    #: cell's underline) as much as the positions between dots (``lcdgrid._fit_layouts``;
    #: False: one mean over both, as before ocr42b). On the generator's true quads, wide
    #: hard tuning seed 147305 (HD44780 and alt sets, 82 value panels), rows on the ink
    #: 46 (before) -> 59 (best fit) -> 64 (with the tie's layouts read).
    lattice_weigh_blanks: bool = True
    #: The lattice's x fit keeps a cell pitch the column profile repeats at
    #: (``lcdgrid._cell_period``, ``lcdgrid._periodic_fit``) when the profile's
    #: autocorrelation peaks at least this high [share of its energy] among the cell
    #: pitches allowed, within ``lattice_period_tolerance`` [share of that period].
    #: Set by the lead (stop 49) on wide camera sweep 88121 (before tree, X11 photos).
    lattice_period_peak: float = 0.2
    lattice_period_tolerance: float = 0.05
    #: The lattice's x fit also reads the other cell gap at a fit's cell pitch when that
    #: gap's x fit scores within this share of the fit's (``lcdgrid._other_gap_in_doubt``;
    #: 0: never): the X11 designs' 4-dot glyphs with two blank columns repeat like 5-dot
    #: cells with one at 7/6 of the pitch (ocr50b read it always: +14-16 % CPU). ocr51a,
    #: tuning seed 153000 (wide hard): its one confident gain kept (X11 5x7 photo 22,
    #: 0.1 loses it), the other gap read on 351 of 1550 x fits instead of 1374; default
    #: hard HD44780 photos of seed 153020: 0.1 / 0.15 / 0.2 read it on 17 / 25 / 34 % of
    #: x fits, +2.2 / +3.3 / +4.3 % CPU. The panel search asks for these lattices only
    #: when no lattice measured named a value screen (``panel._measured_read``): +1.9 %
    #: on those default hard photos, +2.4-3.5 % on default normal ones (+3.6-4.3 % read
    #: always).
    lattice_other_gap_doubt: float = 0.15
    #: A value read among every glyph set because one cell fits a set the panel's ROM
    #: detection left out far better (``dotmatrix.detect_fonts``) keeps the margin it
    #: has among the sets matched to the panel (``dotmatrix.rom_fonts``) when that is
    #: smaller (``valuecells._rom_margin``, ocr52a: the lead's safety seed 86532, X11
    #: 5x7 hard photo 16, read confidently wrong as shipped). False: the margin among
    #: every set alone (main's reading before stop 52).
    rom_margin: bool = True
    #: A panel read on a measured lattice is rectified again at the resolution that puts
    #: its lattice at about ``rectify.PX_PER_DOT`` px a pitch (capped at the photo's
    #: own) and read there (``panel._at_photo_resolution``; False: read at the standard
    #: 6 px a standard pitch, as before ocr43a). Set by ocr43a (stop 43) on the tuning
    #: seeds 148001 (wide normal) and 148002 (wide hard).
    rewarp_lattice: bool = True
    #: A panel whose lit dots measure under this width [share of the pitch]
    #: (``lcdgrid.dot_width``: the mean profile across the dots lit alone in their row,
    #: over its peak) has every dot sampled at its centre interpolated between pixels
    #: (Catmull-Rom, ``lcdgrid._sample``), every variant; every other panel at the nearest
    #: pixel as before (0: never). Measured by ocr46a (stop 46) on the panel ``find_panel``
    #: chose: default geometry (dots drawn at 78-92 % of the pitch) 0.657 and more on
    #: normal tuning seed 149713 (78 photos), 0.672 on hard seed 149715 (59), 0.626 on
    #: camera seed 149716 (58); HD44780 wide normal tuning seed 149712: 0.50-0.60 for 8 of
    #: the 13 panels drawn at 0.43-0.63 of the pitch, 0.74 at 0.82-0.87. ocr45a's
    #: sampling for every panel (reverted) lost on default hard photos and 21 pins.
    small_dot_width: float = 0.6
    #: Fewest dots lit alone in their row ``lcdgrid.dot_width`` measures a width on.
    small_dot_count: int = 5

    #: Extra distance [dots] of a narrow (4×6) digit design stretched onto the 5×7
    #: matrix (``dotmatrix.stretched``): a design of the other size, not a glyph the
    #: templates hold.
    stretch_cost: float = 0.5
    #: Extra distance [dots] of a digit drawn as a letter of its set (``dotmatrix.
    #: DIGIT_AS_LETTER``: a 0 drawn as the set's O).
    alias_cost: float = 1.0
    #: Digits of an unfamiliar design (``digit_fit_excess``): two cells read as one
    #: digit that lie more than ``unlike_distance`` [dots] apart, one fitting it
    #: ``unlike_excess`` [dots] worse (and its next digit within ``unlike_margin``),
    #: are two digits; that one's digit costs ``unlike_cost`` [dots] more
    #: (``dotmatrix.unlike_cells``). The same distance draws the line between one
    #: design and two when the panel vouches for its digits (``dotmatrix.
    #: vouched_digits``: cells of one digit within it, of two digits beyond).
    unlike_distance: float = 6.0
    unlike_excess: float = 3.0
    unlike_cost: float = 20.0
    unlike_margin: float = 1.0
    #: Two digit cells read as one digit whose ink moved by this many dots, a dot
    #: clearly lit (at least ``crisp_lit``) in one clearly dark (at most
    #: ``crisp_dark``) in the other and as many the other way round, at their best
    #: alignment within a dot, are two designs (``dotmatrix.ink_moved``,
    #: ``drawn_two_ways``). Set by the lead at stop 47 on stop 46's sets (sweeps 87911
    #: and 85742, report seeds 85731 default and camera normal, 87901), every font held
    #: out: the one confident-wrong reading (87911 photo 46, X11 held out,
    #: a 3 read as the 5 beside it) moved 1 dot each way at 0.8 / 0.2; no confident-
    #: right reading of the 1072 moved any (none at 0.75 / 0.25; 7 of 557 at 0.65 /
    #: 0.35). Counting dots one way as well (a lit dot dark in its twin) held 5 of 786:
    #: a shade over the bottom of one cell. Reused by ocr48b (stop 48, no constant of its
    #: own): two cells whose ink moved are two designs for ``dotmatrix.vouched_digits``
    #: too (``dotmatrix.one_design_pairs``), whatever their distance (HD44780's slashed 0
    #: 5.8 dots from its 8 on a wide panel, tuning seed 88001).
    unlike_moved_dots: int = 1
    crisp_lit: float = 0.8
    crisp_dark: float = 0.2
    #: Two digit cells read as one digit whose crisply changed dots include two on one
    #: row or column with a dot crisply lit in both between them are two designs, even
    #: when the change is all one way (``dotmatrix.split_change``, ``drawn_two_ways``;
    #: no constant: ``crisp_lit`` / ``crisp_dark``). Set by the lead at stop 52 for the
    #: confident-wrong of its report seed 88231, wide hard photo 6 (X11 5x8 held out);
    #: on stop 51's report sets (86081 default, 86082 camera, 88221 wide; normal and
    #: hard, every font held out, 606 fields) it holds none of the 418 confident-right
    #: fields (4 to confirm already). A shade over one cell (stop 47's count of one dot
    #: one way: 5 of 786) changes a contiguous area: not split.
    #: False: ``ink_moved`` and the distance alone, as before stop 52.
    unlike_split_change: bool = True

    #: Two digit cells of one panel lie this many times further apart than the panel's
    #: two farthest cells of one digit (its own noise) are two designs (``dotmatrix.
    #: design_gap``, at most ``unlike_distance``): the panel then rules a digit out of
    #: a cell's margin (``dotmatrix.panel_margins``). Set on the leave-one-font-out
    #: tuning seeds 4242 and 9191 (``--font all --level normal,hard --count 20``, cells
    #: replayed offline; factors 1, 1.5, 2 and 3 all 0 confident-wrong there, 2 kept
    #: for headroom).
    design_noise_factor: float = 2.0
    #: ... and never closer than this [dots]: two designs differ by a whole dot at
    #: least (two sharp cells of one digit may lie 0.1 dot apart: no noise measured).
    design_gap_floor: float = 1.0

    #: Structural evidence (``linkytool.ocr.structure``): a sampled dot this close to
    #: 0.5 may be on or off, and a digit's shape rules it out of a cell's margin only
    #: when no reading of such dots gives it; a cell with more of them than
    #: ``shape_max_uncertain`` rules nothing out. Set on the leave-one-font-out tuning
    #: seeds 4242 and 9191 (``--font all --level normal,hard --count 20``, 10 and 8
    #: photos per font and level) and seed 4242's known fonts (20 per level), panels
    #: replayed offline: at 0.25 a blurred known-font 8 and 9 lost their own digit (6
    #: cells of 756, read right), at 0.35 none did.
    shape_uncertain_band: float = 0.35
    #: Two preprocessing variants whose dot centres lie this close [rectified px, 1/6 of
    #: a dot pitch] sample the same dots, and their cells are pooled for the digits'
    #: shapes (panel.pooled_shapes; ocrN, tuning seeds 11311 and 12421).
    same_place_px: float = 1.0
    shape_max_uncertain: int = 6
    #: A panel whose sharpest sampling leaves at most this share of its inked cells'
    #: dots within ``shape_uncertain_band`` of 0.5 (``structure.unsure_share``) is
    #: sharp: no blur closed a loop, and a cell read as an 8 keeps its two holes as
    #: evidence (``dotmatrix.blur_closable``, ``panel.PanelRead.sharp``). Set on ocrW's
    #: tuning seeds (139001-139004 normal, 139005 hard): see docs/ocr.md, "Normal
    #: photos, fourth pass".
    sharp_unsure_share: float = 0.03

    #: A panel at least this many distinct letters of whose words (both lines, the
    #: value's cells left out: stop 48) contradict every template of their character
    #: on a surely sampled dot (``dotmatrix.letters_off_template``: a ROM drawn a dot
    #: otherwise than the templates, a dead dot, dust; not blur) may draw its digits a
    #: dot otherwise too, and one dot opens
    #: or closes a loop: its digits' shapes rule out only the digits no reading with
    #: one dot switched admits (``dotmatrix.panel_drawn_off``). Set on
    #: leave-one-font-out seed 38411 (tailed hard photo 38: a variant-ROM 9 with two
    #: holes, 10729 read 10728 confidently; its 11 tailed hard variant-ROM panels show
    #: 2-6 such letters, the 31 others 0-1 but two damaged ones 3-4).
    shape_off_letters: int = 2

    # --- the displayed confidence (linkytool.ocr.policy.confidence; display only, the
    # rule table sets ``confident``) ---
    #: Multiplied into the score when the variants disagree, when the title is uncertain.
    disagree_factor: float = 0.5
    uncertain_title_factor: float = 0.7
    #: The most a value to confirm shows, just under ``confident_level``: a repaired or
    #: contradicted value kept its margin's score, "à confirmer, 100 %" (stop 37, seen
    #: by ocr37n), which reads as a contradiction.
    to_confirm_ceiling: float = 0.79

    #: A panel with no title word spotted is another screen (not "not a Linky") when
    #: this many title cells read as letters with a clear margin (linkytool.ocr.
    #: screenkind; set by hand with the title spotting, not on the benchmark).
    legible_title_letters: int = 3

    # --- the tesseract sheet (linkytool.ocr.sheet; set by hand on the committed samples
    # when the references were first read, db78e18, not on the benchmark) ---
    #: Title line cleaned for tesseract: blur [dot pitches] merging dots into strokes,
    #: then black below this grey level (0-255).
    title_blur: float = 0.45
    title_threshold: int = 140
    #: The area photographed above the screen (the meter's engraved references, ADS
    #: number...), in panel widths/heights from the panel's top-left corner: left, top,
    #: right, bottom; rectified to ``references_size`` [px] for tesseract.
    references_box: tuple[float, float, float, float] = (-0.15, -2.9, 1.15, -0.55)
    references_size: tuple[int, int] = (700, 330)
    #: White gap between the title and the references on the sheet [px].
    sheet_gap: int = 40
    #: A references line is kept with at least this many letters and digits, making at
    #: least this share of its non-blank characters (tesseract noise is mostly symbols).
    min_reference_chars: int = 6
    min_reference_share: float = 0.6

    # --- the grammar's plausibility bounds (linkytool.ocr.grammar, dates, indexes) ---
    #: Plausible years on a Linky clock: deployment started in 2015; a clock far in the
    #: future is a misread.
    min_year: int = 2015
    max_year: int = 2099
    #: Largest plausible injection index [kWh] (a 36 kVA plant over 40 years is < 10^7).
    max_index_kwh: int = 9_999_999
    #: Zero-padded widths of the injection index seen so far (the real meter's padding
    #: is unconfirmed). Another padded width is accepted but not trusted: a stray cell
    #: read as a digit next to the number would produce one.
    index_pad_widths: tuple[int, ...] = (6, 9)
    #: Digits a run of 14 cells must hold to be taken for the PRM (its fixed layout), and
    #: digits read among a date's four year cells for the date's last-resort layout
    #: (109b442: seed 2026 hard, the fixed-layout guesses).
    prm_layout_min_digits: int = 10
    date_cells_min_year_digits: int = 2

    # --- advice to the user (linkytool.ocr.framing) ---
    #: Below this dot pitch in the photo [photo px] a reading to confirm tells the user
    #: to step closer or zoom. Measured, not tuned: ocr43b's census (tuning seed 148701,
    #: hard, five fonts held out): 41 % of the exact fields confident under 4 px, 81.5 %
    #: from 4 px on; its held-out seed 149301: 33 % and 73 %; the lead's seed 85451
    #: (hard, 120 photos, no font held out) for the pitch measure itself.
    small_screen_pitch: float = 4.0


#: The settings the reader uses.
SETTINGS = Settings()

__all__ = ["SETTINGS", "Settings"]
