"""What a synthetic Linky screen displays: its two 16-character lines and the ground truth.

Each factory draws one variant of a real Linky screen (label, value layout, padding,
alignment) from a random generator and returns a :class:`Screen` holding the text the LCD
shows and the value a perfect reader must return, normalised as
``linkytool.ocr.result.PhotoReading.value`` (PRM: 14 digits; date: ISO ``YYYY-MM-DD`` or
``YYYY-MM-DDTHH:MM``; injection index: integer [kWh] without padding).

Labels follow docs (shared/docs/automes.md, "Linky screens and value formats"): ``NUMERO
PRM`` and ``INDEX INJECTION`` are confirmed; the date screen's label and format are not,
so the generator draws among the plausible variants and records which one it drew.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

import numpy as np

#: LCD geometry [characters].
LINE_CHARS = 16
LINES = 2

#: Ground-truth kinds; the first five are the values of ``linkytool.ocr.result.ScreenKind``.
KIND_PRM = "prm"
KIND_DATE = "date"
KIND_INJECTION = "injection_index"
KIND_OTHER = "other"
KIND_NOT_LINKY = "not_linky"
SCREEN_KINDS = (KIND_PRM, KIND_DATE, KIND_INJECTION, KIND_OTHER, KIND_NOT_LINKY)

#: Date-screen label variants (unconfirmed on real meters) and their draw weights.
DATE_LABELS = (("DATE COURANTE", 0.45), ("DATE", 0.35), ("DATE ET HEURE", 0.2))
#: Date formats: (name, strftime pattern).
DATE_FORMATS = (("JJ/MM/AAAA", "%d/%m/%Y"), ("JJ/MM/AA", "%d/%m/%y"))
#: Injection-index layouts: (name, digits of zero padding or 0, unit separator).
INDEX_PADDINGS = (("pad6", 6), ("pad9", 9), ("none", 0))

#: Other Linky screens: (title, value template); ``{kwh}``, ``{va}``, ``{kva}`` filled in.
OTHER_SCREENS: tuple[tuple[str, str], ...] = (
    ("BASE", "{kwh:06d} kWh"),
    ("HEURE CREUSE", "{kwh:06d} kWh"),
    ("HEURE PLEINE", "{kwh:06d} kWh"),
    ("HC BLEU", "{kwh:06d} kWh"),
    ("HP ROUGE", "{kwh:06d} kWh"),
    ("INDEX NON CONSO", "{kwh:06d} kWh"),
    ("PUISSANCE APP", "{va:05d} VA"),
    ("PUISSANCE MAX", "{va:05d} VA"),
    ("BASE", "{kva:02d} kVA"),
    ("HC/HP", "{kva:02d} kVA"),
    ("TEMPO", "{kva:02d} kVA"),
    ("TIC STANDARD", ""),
    ("TIC HISTORIQUE", ""),
    ("CONTACT SEC", "OUVERT"),
    ("CONTACT SEC", "FERME"),
    ("NUMERO SERIE", "{serial}"),
    ("PRODUCTEUR", ""),
    ("CONSOMMATEUR", ""),
)


@dataclass(frozen=True)
class Screen:
    """What the LCD shows and what a perfect reader must answer.

    ``lines``: the two lines exactly as displayed (≤ 16 characters each, spaces included);
    ``kind``: one of :data:`SCREEN_KINDS`; ``value``: normalised expected value or None;
    ``off``: the LCD is blank (meter asleep); ``details``: the variant drawn (label,
    date format, padding, alignment...), recorded in the ground truth.
    """

    kind: str
    lines: tuple[str, str]
    value: str | None
    off: bool = False
    details: dict[str, Any] = field(default_factory=dict)

    def __post_init__(self) -> None:
        for line in self.lines:
            if len(line) > LINE_CHARS:
                raise ValueError(f"LCD line longer than {LINE_CHARS} characters: {line!r}")


def derived_rng(rng: np.random.Generator, tag: int) -> np.random.Generator:
    """An independent generator derived from ``rng``'s seed and ``tag``.

    Drawing from it leaves ``rng``'s stream and spawn counter untouched, so a feature
    added later does not change the photos a seed made before.
    """
    seed_seq = rng.bit_generator.seed_seq
    if not isinstance(seed_seq, np.random.SeedSequence):
        return np.random.default_rng(int(rng.bit_generator.random_raw()) + tag)
    derived = np.random.SeedSequence(
        seed_seq.entropy, spawn_key=(*seed_seq.spawn_key, 10_000 + tag)
    )
    return np.random.default_rng(derived)


#: Tags of :func:`derived_rng` (one per feature added after the first release).
TAG_DATE_LAYOUT = 1
TAG_EXIF_SKEW = 2
TAG_ROM = 3
TAG_TRANSITION = 4
TAG_STRIPPED = 5
TAG_CUT = 6


def _choice(rng: np.random.Generator, options: tuple[Any, ...], weights: Any = None) -> Any:
    index = int(rng.choice(len(options), p=weights))
    return options[index]


def _align(text: str, rng: np.random.Generator, *, mode: str | None = None) -> tuple[str, str]:
    """Place ``text`` on a 16-character line: left, centred or right; returns (line, mode)."""
    if mode is None:
        mode = str(_choice(rng, ("left", "center", "right"), [0.4, 0.35, 0.25]))
    if mode == "left":
        return text.ljust(LINE_CHARS), mode
    if mode == "right":
        return text.rjust(LINE_CHARS), mode
    return text.center(LINE_CHARS), mode


def _two_lines(rng: np.random.Generator, title: str, text: str) -> tuple[str, str, list[str]]:
    """Title (left or centred) over the value text (left, centred or right)."""
    title_line, title_align = _align(title, rng, mode=str(_choice(rng, ("left", "center"))))
    value_line, value_align = _align(text, rng)
    return title_line, value_line, [title_align, value_align]


def random_prm(rng: np.random.Generator) -> str:
    """A plausible 14-digit PRM (real PRMs have no public check digit)."""
    head = str(_choice(rng, ("0", "1", "2", "3"), [0.2, 0.2, 0.3, 0.3]))
    return head + "".join(str(int(d)) for d in rng.integers(0, 10, size=13))


def random_ads(rng: np.random.Generator) -> str:
    """A plausible 12-digit ADS: maker 2 + year 2 + type 2 + serial 6 (see docs/tic.md)."""
    maker = str(_choice(rng, ("01", "02", "03", "04", "05", "06", "07", "08", "09")))
    year = f"{int(rng.integers(15, 26)):02d}"
    # About 1 meter in 8 three-phase (63), the rest single-phase (docs/tic.md types).
    kind = str(_choice(rng, ("61", "62", "64", "64", "70", "75", "63", "64")))
    serial = f"{int(rng.integers(0, 1_000_000)):06d}"
    return maker + year + kind + serial


def prm_screen(rng: np.random.Generator, prm: str | None = None) -> Screen:
    """The ``NUMERO PRM`` screen: title then the 14 digits."""
    prm = prm if prm is not None else random_prm(rng)
    if len(prm) != 14 or not prm.isdigit():
        raise ValueError(f"a PRM has 14 digits, got {prm!r}")
    label = str(_choice(rng, ("NUMERO PRM", "PRM"), [0.85, 0.15]))
    title, value_line, align = _two_lines(rng, label, prm)
    return Screen(KIND_PRM, (title, value_line), prm, details={"label": label, "align": align})


def date_screen(
    rng: np.random.Generator,
    when: datetime | None = None,
    *,
    label: str | None = None,
    date_format: str | None = None,
    time_shown: bool | None = None,
    layout: str | None = None,
) -> Screen:
    """The current-date screen (label and format drawn among the plausible variants).

    ``layout``: ``two_lines`` (label, then date [time]) or ``split`` (``DATE`` and the
    date on line 1, ``HEURE`` and the time on line 2); drawn when None (15 % split when
    the label is drawn too).
    """
    if layout is None:
        split = label is None and derived_rng(rng, TAG_DATE_LAYOUT).random() < 0.15
        layout = "split" if split else "two_lines"
    if when is None:
        when = random_datetime(rng)
    if label is None:
        names, weights = zip(*DATE_LABELS, strict=True)
        label = str(_choice(rng, names, list(weights)))
    formats = dict(DATE_FORMATS)
    if date_format is None:
        date_format = str(_choice(rng, tuple(formats), [0.6, 0.4]))
    if time_shown is None:
        time_shown = bool(rng.random() < 0.6)
    date_text = when.strftime(formats[date_format])
    if time_shown:
        text = date_text + " " * (LINE_CHARS - len(date_text) - 5) + when.strftime("%H:%M")
        if date_format == "JJ/MM/AA" and rng.random() < 0.5:
            text = f"{date_text} {when:%H:%M}"
        value = when.strftime("%Y-%m-%dT%H:%M")
    else:
        text = date_text
        value = when.strftime("%Y-%m-%d")
    title, value_line, align = _two_lines(rng, label, text)
    if layout == "split":
        label = "DATE"
        title = "DATE" + date_text.rjust(LINE_CHARS - 4)
        value_line = "HEURE" + when.strftime("%H:%M").rjust(LINE_CHARS - 5)
        value = when.strftime("%Y-%m-%dT%H:%M")
        time_shown = True
        align = ["justified", "justified"]
    return Screen(
        KIND_DATE,
        (title, value_line),
        value,
        details={
            "label": label,
            "date_format": date_format,
            "time_shown": time_shown,
            "layout": layout,
            "align": align,
        },
    )


def random_injection_kwh(rng: np.random.Generator) -> int:
    """An injection index [kWh]: mostly small (fresh installation), sometimes large."""
    draw = rng.random()
    if draw < 0.25:
        return int(rng.integers(0, 10))
    if draw < 0.6:
        return int(rng.integers(10, 1000))
    return int(10 ** rng.uniform(3, 6))


def injection_screen(
    rng: np.random.Generator, kwh: int | None = None, *, padding: str | None = None
) -> Screen:
    """The ``INDEX INJECTION`` screen: title then the injected energy [kWh] as an integer."""
    kwh = kwh if kwh is not None else random_injection_kwh(rng)
    if kwh < 0:
        raise ValueError("an injection index is not negative")
    paddings = dict(INDEX_PADDINGS)
    if padding is None:
        padding = str(_choice(rng, tuple(paddings), [0.6, 0.15, 0.25]))
    digits = f"{kwh:0{paddings[padding]}d}" if paddings[padding] else str(kwh)
    unit_gap = " " if rng.random() < 0.85 else ""
    text = f"{digits}{unit_gap}kWh"
    title, value_line, align = _two_lines(rng, "INDEX INJECTION", text)
    return Screen(
        KIND_INJECTION,
        (title, value_line),
        str(kwh),
        details={
            "label": "INDEX INJECTION",
            "padding": padding,
            "unit_gap": unit_gap == " ",
            "align": align,
        },
    )


def other_screen(rng: np.random.Generator) -> Screen:
    """A Linky screen that is none of the three Enedis asks for (truth kind ``other``)."""
    title, template = OTHER_SCREENS[int(rng.integers(0, len(OTHER_SCREENS)))]
    shown = template.format(
        kwh=int(10 ** rng.uniform(1, 5.5)),
        va=int(rng.integers(0, 12000)),
        kva=int(_choice(rng, (3, 6, 9, 12, 15, 18, 24, 30, 36))),
        serial=random_ads(rng),
    )
    title_line, value_line, align = _two_lines(rng, title, shown)
    return Screen(
        KIND_OTHER,
        (title_line, value_line),
        None,
        details={"label": title, "shown": shown, "align": align},
    )


def blank_screen() -> Screen:
    """The LCD asleep (off at rest until "+" is pressed): nothing to read.

    Truth kind ``not_linky``, as ``linkytool.ocr.result.ScreenKind.NOT_LINKY`` documents
    ("no Linky LCD found, or the screen is off / unreadable").
    """
    return Screen(KIND_NOT_LINKY, (" " * LINE_CHARS, " " * LINE_CHARS), None, off=True)


def random_datetime(rng: np.random.Generator) -> datetime:
    """A date and time between 2025-01-01 and 2027-12-31, minute resolution, daytime."""
    day = int(rng.integers(0, 3 * 365))
    base = datetime(2025, 1, 1).toordinal() + day
    date = datetime.fromordinal(base)
    return date.replace(hour=int(rng.integers(7, 20)), minute=int(rng.integers(0, 60)))
