"""The panel search: from a photo to the rectified LCD panel whose cells read best.

Each candidate quad from :mod:`locate` is refined, rectified both ways up and read on the
standard 16 × 2 layout (:mod:`lcdgrid`, :mod:`dotmatrix`); the first read clean enough
wins. When none is, the few best are also read on the dot lattice measured on the panel
itself (other margins, gaps and line layouts). Reads are ranked by :attr:`PanelRead.rank`.
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from dataclasses import dataclass, field, replace
from functools import cached_property

import numpy as np
import numpy.typing as npt
from PIL import Image

from linkytool.ocr.dotmatrix import CellRead, FontSet, WordMatch, classify, spot_words
from linkytool.ocr.imaging import to_grey
from linkytool.ocr.lcdgrid import (
    GridSample,
    Lattice,
    line_beside_rows,
    measure_lattices,
    mirrored,
    resample_at,
    sample_grid,
    sample_measured,
    scale_at_bound,
    scaled_lattice,
    shifted_lattices,
    turned_lattice,
)
from linkytool.ocr.locate import LOCATE_SIZE, candidate_batches, parallel_variants
from linkytool.ocr.rectify import (
    BORDER,
    PX_PER_DOT,
    Warper,
    quad_pitches,
    rectify,
    refine_quad,
)
from linkytool.ocr.result import ScreenKind
from linkytool.ocr.settings import SETTINGS
from linkytool.ocr.structure import pooled_dots, unsure_share
from linkytool.ocr.titles import SPOT_EQUIVALENTS, SPOT_OTHER_WORDS, SPOT_WORDS, classify_title

#: The screens whose value the reader returns.
VALUE_KINDS = (ScreenKind.PRM, ScreenKind.DATE, ScreenKind.INJECTION_INDEX)


@dataclass(frozen=True)
class Variant:
    """One preprocessing variant: grey channel and dot sampling window [px]."""

    name: str
    channel: str
    window: int


VARIANTS: tuple[Variant, ...] = (
    Variant("luminance", "L", 3),
    Variant("wide", "L", 5),
    Variant("green", "G", 3),
)


@dataclass(frozen=True)
class PanelRead:
    """The cells of one rectified panel read under one variant."""

    variant: Variant
    grid: GridSample
    lines: tuple[list[CellRead], list[CellRead]]
    #: Glyph sets the cells were classified with (None: every template set).
    font: FontSet | None = None
    #: The dots (2, 16, 35) the digits' shapes are read from: the cells pooled with the
    #: other variants sampled at the same place (:func:`pooled_shapes`); None: the cells.
    pooled: npt.NDArray[np.float64] | None = field(default=None, repr=False, compare=False)
    #: The sharpest sampling at the same place (:func:`pooled_shapes`) leaves few dots
    #: half-lit (``Settings.sharp_unsure_share``): no blur closed a digit's loop, so an
    #: 8's two holes are evidence (:func:`linkytool.ocr.dotmatrix.blur_closable`).
    #: False (blurred, or not judged) keeps every runner-up of a cell read as an 8.
    sharp: bool = field(default=False, compare=False)

    @property
    def shape_dots(self) -> npt.NDArray[np.float64]:
        """The dots (2, 16, 35) the digits' shapes are read from (see ``pooled``)."""
        return self.grid.cells if self.pooled is None else self.pooled

    @property
    def text(self) -> tuple[str, str]:
        """Both lines as read (all characters allowed)."""
        return ("".join(c.char for c in self.lines[0]), "".join(c.char for c in self.lines[1]))

    @property
    def mean_distance(self) -> float:
        """Mean distance of the cells to their best template [dots]."""
        cells = self.lines[0] + self.lines[1]
        return float(np.mean([c.distance for c in cells]))

    @property
    def trimmed_distance(self) -> float:
        """Mean distance of the best-fitting :data:`SETTINGS.accept_share` of the cells [dots]."""
        distances = sorted(c.distance for c in self.lines[0] + self.lines[1])
        kept = distances[: max(1, round(SETTINGS.accept_share * len(distances)))]
        return float(np.mean(kept))

    @property
    def acceptance(self) -> float:
        """Like :attr:`badness` on the best-fitting cells only (lower is better) [dots]."""
        penalty = SETTINGS.grid_penalty * max(0.0, SETTINGS.min_alignment - self.grid.alignment)
        return self.trimmed_distance + penalty

    @cached_property
    def alnum_cells(self) -> int:
        """Cells read as a letter or a digit."""
        return sum(c.isalnum() for line in self.text for c in line)

    @cached_property
    def title_spotted(self) -> bool:
        """Some Linky screen title word fits line 1 (see :func:`spot_title`), or line 1
        reads as a value screen's keyword glued to noise ("NUMER0TPRM": a whole-word
        spotting needs blank cells around the word)."""
        if classify_title(self.text[0]) in VALUE_KINDS:
            return True
        return any(spot.cost <= SETTINGS.spot_max_cost for spot in self.title_spots.values())

    @cached_property
    def names_value_screen(self) -> bool:
        """Line 1 names a value screen: its text's keywords, or a value screen's title
        word spotted (:data:`SETTINGS.spot_max_cost`) that no other screen's word on the
        same cells fits better (within :data:`SETTINGS.other_word_slack`)."""
        if classify_title(self.text[0]) in VALUE_KINDS:
            return True
        spots = self.title_spots
        best = min((spots[word] for word, _ in SPOT_WORDS), key=lambda spot: spot.cost)
        if best.cost > SETTINGS.spot_max_cost:
            return False
        end = best.start + len(best.word)
        other = min(
            (
                spots[word].cost
                for word in SPOT_OTHER_WORDS
                if spots[word].start < end and best.start < spots[word].start + len(word)
            ),
            default=np.inf,
        )
        return bool(other + SETTINGS.other_word_slack >= best.cost)

    @cached_property
    def title_spots(self) -> dict[str, WordMatch]:
        """Where each title word (value screens' and others') fits line 1 best."""
        words = [word for word, _ in SPOT_WORDS] + list(SPOT_OTHER_WORDS)
        spots = spot_words(self.grid.cells[0], words, SPOT_EQUIVALENTS, self.font)
        return {spot.word: spot for spot in spots}

    @cached_property
    def untitled(self) -> bool:
        """The first line shows no ink (:attr:`GridSample.untitled`: a screen off whose
        second line was sampled on something else) and no title word is drawn on it
        faintly: a word spotted there (``Settings.spot_max_cost``) each of whose cells
        holds more ink than every other cell of the line (``Settings.written_title``).
        A dim panel under a glare leaves its title under the blank level while its
        value's ink crosses it (ocr53b: wide hard tuning seed 155501, photo 16, ``PRM``
        at 0.03-0.06, the line's other cells at 0.016-0.026)."""
        ink = self.grid.ink
        if not self.grid.untitled or ink is None or not SETTINGS.written_title:
            return self.grid.untitled
        for spot in self.title_spots.values():
            end = spot.start + len(spot.word)
            others = np.concatenate([ink[0][: spot.start], ink[0][end:]])
            if (
                spot.cost <= SETTINGS.spot_max_cost
                and len(others)
                and float(ink[0][spot.start : end].min()) > float(others.max())
            ):
                return False
        return True

    @cached_property
    def rank(self) -> float:
        """Sort key among panel reads (lower is better) [dots]: :attr:`badness`, more so
        without a dot grid, characters or a title word (see :data:`SETTINGS.rank_grid_penalty`)."""
        return (
            self.badness
            + SETTINGS.rank_grid_penalty * max(0.0, SETTINGS.min_alignment - self.grid.alignment)
            + (SETTINGS.empty_penalty if self.alnum_cells < SETTINGS.min_alnum_cells else 0.0)
            + (0.0 if self.title_spotted else SETTINGS.no_title_penalty)
        )

    @property
    def badness(self) -> float:
        """How poorly this looks like a character LCD (lower is better) [dots].

        The cells' mean template distance, plus a penalty when the dot grid barely shows
        (a blank or non-LCD area matches the space glyph well but has no dot grid).
        """
        return self.mean_distance + SETTINGS.grid_penalty * max(
            0.0, SETTINGS.min_alignment - self.grid.alignment
        )


def _channel(panel: Image.Image, channel: str) -> Image.Image:
    if channel == "L":
        return panel.convert("L")
    return panel.getchannel(channel)


def read_panel(
    panel: Image.Image,
    variant: Variant,
    font: FontSet | None = None,
    *,
    like: GridSample | None = None,
) -> PanelRead:
    """Sample and classify a rectified panel under ``variant`` (glyph set ``font``).

    The dots are sampled on the standard layout. ``like``: sample where that grid
    (another channel of the same panel) was sampled, standard layout or measured lattice;
    a layout this channel fits elsewhere is kept only when it reads better there (lower
    rank): an X11 5x8 panel's green channel fitted line 2 half a pitch off, every digit
    3-6 dots off its templates (tuning seed 135003, normal photo 47).
    """
    lattice = like.lattice if like is not None else None
    at = like if like is not None and like.placed else None
    grid = sample_grid(
        _channel(panel, variant.channel),
        like.px_per_dot if like is not None else PX_PER_DOT,
        window=variant.window,
        lattice=lattice,
        at=at,
        subpixel=like is not None and like.subpixel,
    )
    read = classify_grid(grid, variant, font)
    if like is None or lattice is not None or at is not None or _same_place(grid, like):
        return read
    there = classify_grid(resample_at(grid, like, window=variant.window), variant, font)
    return there if there.rank < read.rank else read


def read_turned(
    panel: Image.Image, other: PanelRead, *, mine: PanelRead | None = None
) -> PanelRead | None:
    """``panel`` read on the grid ``other`` (the same quad turned 180°) was sampled on,
    mirrored (:func:`linkytool.ocr.lcdgrid.mirrored`); None when ``other`` was read on a
    measured lattice, or when ``mine`` (``panel`` read on the standard layout) was read
    at that very place already (the same dot centres: the same read).

    ``mine``'s darkness map is reused when it was read under ``other``'s variant (the
    same grey image: the same samples, computed once).
    """
    if other.grid.lattice is not None:
        return None
    at = mirrored(other.grid)
    if mine is not None and mine.grid.lattice is None:
        if _same_place(at, mine.grid):
            return None
        if mine.variant == other.variant:
            grid = resample_at(mine.grid, at, window=other.variant.window)
            return classify_grid(grid, other.variant, other.font)
    grid = sample_grid(_channel(panel, other.variant.channel), window=other.variant.window, at=at)
    return classify_grid(grid, other.variant, other.font)


def _same_place(first: GridSample, second: GridSample) -> bool:
    """Whether two samplings of one panel put their dot centres at the same place
    (within ``Settings.same_place_px``: the two luminance windows share one grid, the
    green channel aligns its own)."""
    return all(
        a.shape == b.shape and bool(np.abs(a - b).max() <= SETTINGS.same_place_px)
        for a, b in zip(first.centres, second.centres, strict=True)
    )


def pooled_shapes(reads: Sequence[PanelRead]) -> list[PanelRead]:
    """The reads of one panel, each with the dots its digits' shapes are read from: its
    cells pooled with those of every read sampled at the same place
    (:func:`linkytool.ocr.structure.pooled_dots`: a dot one window samples surely is
    sure, unless another sampling contradicts it), and whether the sharpest of those
    samplings leaves few dots half-lit (:attr:`PanelRead.sharp`: a wider window's own
    smoothing is no blur of the photo)."""
    out = []
    for read in reads:
        alike = [other.grid.cells for other in reads if _same_place(read.grid, other.grid)]
        sharp = min(unsure_share(cells) for cells in alike) <= SETTINGS.sharp_unsure_share
        out.append(replace(read, pooled=pooled_dots(np.stack(alike)), sharp=sharp))
    return out


def read_on_lattice(read: PanelRead) -> PanelRead:
    """``read`` again on the lattice measured on the panel itself (other margins, gaps,
    line spacing, 20 columns): the better of the two (lower rank)."""
    return _better_of(read, _measured_read(read))


def _measured_read(read: PanelRead, lattice: Lattice | None = None) -> PanelRead | None:
    """``read``'s panel read on its measured lattice (``lattice`` when given: measured on
    the same panel turned 180°, :func:`linkytool.ocr.lcdgrid.turned_lattice`); None on a
    blank panel (screen off: no lattice to measure).

    Measured, every line layout fitting nearly as well as the best is read too
    (:func:`linkytool.ocr.lcdgrid.measure_lattices`): one replaces the best fit only when
    its first line names a value screen and it ranks better (ocr41a, ocr42b: on a blurred
    panel a 5 × 7 line and a 5 × 8 one a row off fit alike; the cells tell them apart).
    """
    if read.grid.blank:
        return None
    lattices = [lattice] if lattice is not None else list(measure_lattices(read.grid.darkness))
    best: PanelRead | None = None
    for i, each in enumerate(lattices):
        grid = sample_measured(read.grid, window=read.variant.window, lattice=each)
        again = classify_grid(grid, read.variant, read.font)
        if best is None or (again.names_value_screen and again.rank < best.rank):
            best = again
        if i == 0 and lattice is None and SETTINGS.lattice_column_shift:
            lattices += shifted_lattices(each, grid.cells)  # the column a cell starts at
    doubt = SETTINGS.lattice_other_gap_doubt > 0
    if doubt and lattice is None and (best is None or not best.names_value_screen):
        # the other cell gap, where in doubt, only when no lattice named a value screen
        # (ocr51a: its y fit and read cost +4 % on default normal photos read always)
        for each in measure_lattices(read.grid.darkness, others=True):
            grid = sample_measured(read.grid, window=read.variant.window, lattice=each)
            again = classify_grid(grid, read.variant, read.font)
            if best is None or (again.names_value_screen and again.rank < best.rank):
                best = again
    return best


def _better_of(read: PanelRead, measured: PanelRead | None) -> PanelRead:
    """``measured`` when it ranks better than ``read`` and spots a title word."""
    # a lattice fitted to noise (a screen off, a wall) reads it as letters more closely
    # than the standard grid does: without a title word it names no Linky screen
    if measured is not None and measured.rank < read.rank and measured.title_spotted:
        return measured
    return read


def classify_grid(grid: GridSample, variant: Variant, font: FontSet | None = None) -> PanelRead:
    """Classify already sampled cells with the glyphs of ``font`` (all sets when None)."""
    line0 = classify(grid.cells[0], font=font)
    line1 = classify(grid.cells[1], font=font)
    return PanelRead(variant, grid, (line0, line1), font)


@dataclass(frozen=True)
class PanelChoice:
    """The best panel found: rectified image and its first-variant read."""

    panel: Image.Image
    first: PanelRead
    #: Corners TL, TR, BR, BL of the panel in the photo [px] (upright panel).
    quad: npt.NDArray[np.float64] | None = None
    #: The panel shows nothing (screen off): no characters to read.
    blank: bool = False
    #: The search stopped at its budget (``Settings.max_panel_quads``): a better panel
    #: may have been left untried, nothing read on this one is confident.
    cut: bool = False


def find_panel(image: Image.Image) -> PanelChoice | None:
    """Locate, rectify (both ways up) and pick the panel whose cells read best.

    Every candidate is read on the standard layout first (cheap); only when none reads
    cleanly are the few best measured on their own lattice (see :func:`_on_lattice`),
    before the bezel's last-resort guesses and at the end.
    """
    small = image.convert("L")
    factor = max(small.size) // LOCATE_SIZE
    if factor >= 2:
        small = small.reduce(factor)
    small.thumbnail((LOCATE_SIZE, LOCATE_SIZE), Image.Resampling.BILINEAR)
    scale = small.width / image.width
    tried: list[PanelChoice] = []
    # index j in ``tried`` -> read on its lattice (-1 - j: on its turned partner's)
    on_lattice: dict[int, PanelChoice] = {}
    best: PanelChoice | None = None
    warp = Warper(image)
    budget = SETTINGS.max_panel_quads
    quads_read = 0
    cut = False  # the budget ran out before the search did
    for batch in candidate_batches(to_grey(small)):
        if cut:
            break
        if batch and batch[0].from_bezel and tried:
            best = _on_lattice(tried, on_lattice)
            if _reads_well(best.first):
                break  # bezel guesses are a last resort: a panel already reads
        for candidate in batch[: SETTINGS.max_candidates]:
            if cut:
                break
            coarse: npt.NDArray[np.float64] = candidate.quad / scale
            for quad in _quads_to_try(warp, coarse, candidate.from_bezel):
                if budget and quads_read >= budget:
                    cut = True
                    break
                quads_read += 1
                turns: list[PanelChoice] = []
                for turn in (0, 2):
                    turned = np.roll(quad, -turn, axis=0)
                    panel = warp(turned)
                    read = read_panel(panel, VARIANTS[0])
                    turns.append(PanelChoice(panel, read, turned))
                    if _reads_cleanly(read):
                        break
                if len(turns) == 2 and SETTINGS.read_turned:
                    # each way up also read at the dots the other way up was read at; as
                    # a measured lattice, a borrowed grid counts only when it reads a
                    # title word (noise read closer to letters names no Linky screen)
                    for mine, other in (turns, turns[::-1]):
                        again = read_turned(mine.panel, other.first, mine=mine.first)
                        if again is not None and again.title_spotted:
                            turns.append(PanelChoice(mine.panel, again, mine.quad))
                tried.extend(turns)
                for choice in turns:
                    if best is None or choice.first.rank < best.first.rank:
                        best = choice
                if best is not None and _reads_cleanly(best.first):
                    return _at_photo_resolution(_layout_checked(best), warp)
    if best is None:
        return None
    best = _on_lattice(tried, on_lattice)
    if best.first.acceptance > SETTINGS.max_mean_distance:
        if any(choice.first.grid.blank for choice in tried):
            return PanelChoice(best.panel, best.first, best.quad, blank=True, cut=cut)
        return None
    best = _at_photo_resolution(best, warp)
    return replace(best, cut=cut) if cut else best


def rewarp_px_per_dot(lattice: Lattice, quad: npt.NDArray[np.float64]) -> int:
    """Pixels a standard pitch to rectify ``quad`` again at so that ``lattice`` (measured
    on its rectification at :data:`PX_PER_DOT`) measures about :data:`PX_PER_DOT` px a
    pitch, the pitch the sampling windows (3 and 5 px) and the layout were designed for;
    capped at the photo's own resolution (the quad's mean side lengths over the
    rectified panel's: a pitch is never drawn larger than the photo shows it, nothing is
    invented). :data:`PX_PER_DOT` when no larger value is both wanted and allowed.

    A wide panel (two blank columns between cells, 20 columns, wide margins) holds more
    pitches than the standard 101 × 22, so its lattice comes out at 4-6 px a pitch while
    the photo often shows its dots larger (lead, stop 42: 12 of 21 lattice panels of wide
    seed 87411 rectified at a median 0.77 of the photo's pitch, down to 0.52).
    """
    wanted = round(PX_PER_DOT * PX_PER_DOT / min(lattice.pitch))
    allowed = int(min(quad_pitches(quad)))
    return max(PX_PER_DOT, min(wanted, allowed))


def _at_photo_resolution(choice: PanelChoice, warp: Warper) -> PanelChoice:
    """``choice`` read on a measured lattice: its quad rectified again at
    :func:`rewarp_px_per_dot` and read on the same lattice scaled
    (:func:`~linkytool.ocr.lcdgrid.scaled_lattice`), so every window and sample is as
    designed for a 6 px pitch (ocr43a). The panel found, its lattice and its layout are
    unchanged: only the resolution its dots are sampled at.
    """
    read = choice.first
    lattice = read.grid.lattice
    if not SETTINGS.rewarp_lattice or lattice is None or choice.quad is None:
        return choice
    px_per_dot = rewarp_px_per_dot(lattice, choice.quad)
    if px_per_dot <= read.grid.px_per_dot:
        return choice
    panel = rectify(warp.image, choice.quad, px_per_dot)
    scaled = scaled_lattice(lattice, px_per_dot / read.grid.px_per_dot)
    grid = sample_grid(
        _channel(panel, read.variant.channel),
        px_per_dot,
        window=read.variant.window,
        lattice=scaled,
    )
    return replace(choice, panel=panel, first=classify_grid(grid, read.variant, read.font))


def _layout_checked(choice: PanelChoice) -> PanelChoice:
    """``choice`` (a clean read, which stops the search) or, when the standard layout
    does not fit the panel, its read on the panel's measured lattice if that ranks
    better (ocr40b; :func:`read_on_lattice`).

    A clean read stopped the search before any lattice was measured: a title read on
    line 1 made the panel clean while line 2, a row off, read ``- Lh.`` for ``0 kWh``
    (a line's ink beside the rows sampled: :func:`~linkytool.ocr.lcdgrid.line_beside_rows`),
    or a time's 5 read 3 on cells sampled at a scale the search stopped at
    (:func:`~linkytool.ocr.lcdgrid.scale_at_bound`).
    """
    read = choice.first
    if read.grid.lattice is not None:
        return choice
    inked = tuple(i for i, line in enumerate(read.text) if line.strip())
    if not scale_at_bound(read.grid) and not line_beside_rows(read.grid, inked):
        return choice
    measured = read_on_lattice(read)
    return choice if measured is read else replace(choice, first=measured)


def _on_lattice(tried: list[PanelChoice], on_lattice: dict[int, PanelChoice]) -> PanelChoice:
    """The best panel read among ``tried`` (standard layout) and their reads on their own
    measured lattice, for the ``SETTINGS.lattice_candidates`` best of ``tried`` (by
    standard rank; ``on_lattice`` keeps those measured so far, by index in ``tried``),
    and each one's quad the other way up on that lattice turned (under ``-1 - index``),
    unless that way up is measured itself: a read only added, none replaced.

    Measuring costs ~40 ms a panel: only the candidates most likely to be the panel are
    measured, not every quad, refinement and turn (a hard photo tries dozens).
    """
    ranked = sorted(range(len(tried)), key=lambda i: tried[i].first.rank)
    best = ranked[: SETTINGS.lattice_candidates]
    for i in best:
        if i in on_lattice:
            continue
        choice = tried[i]
        measured = _measured_read(choice.first)
        on_lattice[i] = PanelChoice(choice.panel, _better_of(choice.first, measured), choice.quad)
        if measured is None or measured.grid.lattice is None:
            continue
        # the same quad the other way up, when it is not among the best measured itself,
        # is read on this lattice turned (issue 13, ocr40a): on a wide panel the standard
        # layout fits neither way, so the way up that reads noise closer to glyphs can
        # rank among the measured while the other does not (wide seed 143801, hard photo
        # 7: measured upside down only, "no title"; the right way up reads "INDEX
        # INJECTI0N" on that lattice). Kept under the index -1 - j: the partner is still
        # measured itself if it ranks among the best later.
        j = _turned_partner(tried, i, {*best, *on_lattice})
        if j is not None and -1 - j not in on_lattice:
            other = tried[j]
            lattice = turned_lattice(measured.grid.lattice, other.panel.size)
            again = _measured_read(other.first, lattice)
            on_lattice[-1 - j] = PanelChoice(
                other.panel, _better_of(other.first, again), other.quad
            )
    chosen = min((*tried, *on_lattice.values()), key=lambda choice: choice.first.rank)
    return _turn_checked(tried, on_lattice, chosen) if SETTINGS.turn_measured_lattices else chosen


def _turn_checked(
    tried: list[PanelChoice], on_lattice: dict[int, PanelChoice], chosen: PanelChoice
) -> PanelChoice:
    """``chosen`` (a read on a measured lattice), or its quad the other way up read on
    that lattice turned when that ranks better: the way up is judged on the same dots.

    The lattice measure is not symmetric under a turn, and the other way up, measured
    itself, may have fit a worse lattice, so :func:`_on_lattice` never read it on this
    one (ocr49b: wide tuning seed 150501, X11 5x7 held out, photo 3: measured upright
    at one blank column between cells and 5.0 px a pitch, the cells read as noise;
    upside down at two columns and 4.27 px, the right lattice, and the turned X11
    letters read as letters, ``NOI13Z(NI XZONI``, a PRM title spotted: no value). A
    quad the other way up already read on this lattice turned (``on_lattice``) is not
    read again, nor is one whose line 1 reads as a value screen's title (turned letters
    spell no ``INDEX``, ``DATE`` or ``PRM``: that way up is right).
    """
    lattice = chosen.first.grid.lattice
    if (
        lattice is None
        or chosen.quad is None
        or classify_title(chosen.first.text[0]) in VALUE_KINDS
    ):
        return chosen
    turned = np.roll(chosen.quad, 2, axis=0)
    for j, other in enumerate(tried):
        if (
            other.quad is not None
            and not other.first.grid.placed
            and other.first.grid.lattice is None
            and np.array_equal(other.quad, turned)
        ):
            if -1 - j in on_lattice:  # read on the chosen's lattice turned already
                return chosen
            again = _measured_read(other.first, turned_lattice(lattice, other.panel.size))
            if again is not None and again.title_spotted and again.rank < chosen.first.rank:
                return PanelChoice(other.panel, again, other.quad)
            return chosen
    return chosen


def _turned_partner(tried: list[PanelChoice], i: int, measured: set[int]) -> int | None:
    """Index in ``tried`` of the first read of ``tried[i]``'s quad turned 180° on the
    standard layout (not a borrowed grid) and not in ``measured``; None when none is."""
    quad = tried[i].quad
    if quad is None:
        return None
    turned = np.roll(quad, 2, axis=0)
    for j, other in enumerate(tried):
        if (
            j not in measured
            and other.quad is not None
            and other.panel is not tried[i].panel
            and not other.first.grid.placed
            and other.first.grid.lattice is None
            and np.array_equal(other.quad, turned)
        ):
            return j
    return None


def _reads_cleanly(read: PanelRead) -> bool:
    """A read good enough to stop looking for a better panel."""
    return read.badness <= SETTINGS.good_mean_distance and _reads_well(read)


def _reads_well(read: PanelRead) -> bool:
    """Characters on a visible dot grid: no need for the bezel's last-resort guesses.

    (Stripes such as a barcode fit some glyphs too, but show no dot grid.)
    """
    return (
        read.acceptance <= SETTINGS.max_mean_distance
        and read.grid.alignment >= SETTINGS.min_alignment
        and not read.grid.blank
        and read.alnum_cells >= SETTINGS.min_alnum_cells
        and read.title_spotted
    )


def _quads_to_try(
    warp: Warper, coarse: npt.NDArray[np.float64], from_bezel: bool
) -> Iterator[npt.NDArray[np.float64]]:
    """Refinements of the coarse quad, then of its squared-up variants (lazy).

    A variant only exists when two opposite edges disagree in direction (a shadow or a
    finger cut a corner off the bright component, see :func:`parallel_variants`).
    """
    yield from _refinements(warp, coarse, from_bezel)
    for variant in parallel_variants(coarse):
        yield from _refinements(warp, variant, from_bezel)


#: Refinement plans (search borders [dot pitches], applied in turn), in the order tried
#: for a quad from the panel's own component and for a bezel-derived guess. A narrow
#: search first (edges within ~2 pitches), then wider ones: a glare spot or a shadow can
#: cut a large piece off the bright component, whose quad is then far from the edges.
REFINE_PLANS = ((BORDER, BORDER), (6, BORDER, BORDER), (10, BORDER, BORDER))
BEZEL_REFINE_PLANS = ((6, BORDER, BORDER), (BORDER, BORDER), (10, BORDER, BORDER))


def _refinements(
    warp: Warper, quad: npt.NDArray[np.float64], from_bezel: bool
) -> Iterator[npt.NDArray[np.float64]]:
    """Sharpened versions of a coarse quad, most likely first (lazy, no repeats).

    The caller reads each and keeps whichever reads best; it stops early on a clean read.
    """
    found: list[npt.NDArray[np.float64]] = []
    plans = BEZEL_REFINE_PLANS if from_bezel else REFINE_PLANS
    # then the same plans with each edge's profiles averaged along it (the caller only
    # gets there when nothing read cleanly: a dim panel's edges, lost in noise)
    for smooth in (0, SETTINGS.edge_smooth_px) if SETTINGS.edge_smooth_px else (0,):
        for borders in plans:
            current = quad
            for border in borders:
                refined = refine_quad(warp, current, border=border, smooth=smooth)
                if refined is None:
                    break
                current = refined
            if all(np.abs(current - other).max() > 0.5 for other in found):
                found.append(current)
                yield current


__all__ = [
    "VALUE_KINDS",
    "VARIANTS",
    "PanelChoice",
    "PanelRead",
    "Variant",
    "classify_grid",
    "find_panel",
    "pooled_shapes",
    "read_on_lattice",
    "read_panel",
]
