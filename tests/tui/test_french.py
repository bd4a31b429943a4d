"""Everything an installer sees is in French: every screen's text at 80×24 and 120×40 is
scanned for English words, numbers with a decimal point and ISO dates.

The English list holds the words a French UI built on an English toolkit lets through
(Textual's own notices, stored enum values, library errors). Acronyms and units that are
the same in French are allowed.
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from .conftest import CachedPhotoReader, compteur_ready, screen_text
from .screens import SCREENS, SIZES, Captures, build, show

#: Words that betray English text (Textual, enum values, library messages).
ENGLISH = {
    "the",
    "and",
    "or",
    "of",
    "to",
    "is",
    "not",
    "no",
    "yes",
    "press",
    "quit",
    "dismiss",
    "menu",
    "select",
    "error",
    "invalid",
    "argument",
    "file",
    "found",
    "none",
    "true",
    "false",
    "inverter",
    "agreement",
    "appointment",
    "total_sale",
    "external_relay",
    "total_self_consumption",
    "redistribute",
    "zero",
    "default",
    "key",
    "other",
    "linky_",
    "loading",
    "search",
    "cancel",
    "open",
    "save",
    "close",
    "app",
    "truncated",
    "image",
    "warning",
    "unknown",
    "missing",
    "satisfied",
    "not_satisfied",
    "command",
    "palette",
    "copy",
    "paste",
    "you",
    "want",
    "manual",
    "photo_",
    "tic_",
    "consumer",
    "producer",
}
#: Same in both languages (acronyms, units, names) or French words that look English.
ALLOWED = {"image"}  # « (image) » is French too
DECIMAL_POINT = re.compile(r"(?<![\w.:/])\d+\.\d+(?![\w.:/-])")
ISO_DATE = re.compile(r"\b\d{4}-\d{2}-\d{2}(?:T\d{2}:\d{2})?\b")
#: Screens that are not the tui helper's and still show English (issue 12, French
#: everywhere): the lead flips these when their owners' branches are merged.
KNOWN: dict[str, str] = {}


def english_words(text: str) -> list[str]:
    """The English words of ``text``; a fragment cut by a box edge (a modal drawn over
    the screen) is not a word, nor is data quoted « like this »."""
    text = re.sub(r"«[^»]*»", " ", text)
    text = re.sub(r"[\u2500-\u257f]", "#", text)
    words = re.findall(r"(?<![#\w])[A-Za-z_]{2,}(?![#\w])", text)
    return sorted({w for w in words if w.lower() in ENGLISH and w.lower() not in ALLOWED})


@pytest.mark.parametrize("size", SIZES, ids=lambda s: f"{s[0]}x{s[1]}")
@pytest.mark.parametrize("name", list(SCREENS))
async def test_every_screen_is_in_french(
    name: str, size: tuple[int, int], screen_captures: Captures, photo_reader: CachedPhotoReader
) -> None:
    """The screens of the SVG snapshots, drawn once for both (``screens.Captures``)."""
    text = (await screen_captures.get(name, size, photo_reader)).text
    # paths are data, not UI words
    text = re.sub(r"\S*/\S*", " ", text)
    assert english_words(text) == [], text
    assert DECIMAL_POINT.findall(text) == [], text
    assert ISO_DATE.findall(text) == [], text


def test_the_scan_finds_english_and_points() -> None:
    """The scan itself catches what it is for (a test that cannot fail is worse than none)."""
    assert english_words("Press ctrl+q to quit the app") == ["Press", "app", "quit", "the", "to"]
    assert english_words("Option : surplus — Intégrée à l'onduleur") == []
    assert english_words("Décentralisation : inverter") == ["inverter"]
    assert english_words("│ Aide — Compteur   │to  réglage « VFR2019 IS »") == []
    assert DECIMAL_POINT.findall("délai 0.8 s, 0,0 %") == ["0.8"]
    assert ISO_DATE.findall("le 2026-11-20T14:32") == ["2026-11-20T14:32"]


async def test_textual_quit_notice_is_french(tmp_path: Path) -> None:
    from linkytool.tui.app import make_app

    app = make_app(workdir=tmp_path, port_lister=list)
    async with app.run_test(size=(80, 24), notifications=True) as pilot:
        await pilot.press("ctrl+c")
        await pilot.pause()
        notes = [n.message + n.title for n in app._notifications]
        assert notes and "Ctrl+Q" in notes[-1]
        assert english_words(" ".join(notes)) == []


async def test_open_list_footer_is_french(tmp_path: Path) -> None:
    from textual.widgets import Select

    from linkytool.tui.app import make_app

    app = make_app(workdir=tmp_path, port_lister=list)
    async with app.run_test(size=(80, 24)) as pilot:
        await compteur_ready(app, pilot)
        app.query_one("#meter-mode", Select).focus()
        await pilot.press("enter")  # opens the list: its footer names Échap
        await pilot.pause()
        text = screen_text(app)
        assert "Fermer la liste" in text
        assert "Dismiss" not in text


async def test_dossier_dropdowns_show_french_and_store_the_same_values(
    tmp_path: Path, photo_reader: CachedPhotoReader
) -> None:
    from textual.widgets import Select

    from linkytool.mes import load_dossier
    from linkytool.tui.labels import ENUM_LABELS

    app = build("prerequis", tmp_path, photo_reader)
    async with app.run_test(size=(120, 40)) as pilot:
        await show("prerequis", app, pilot)
        selects = [s for s in app.query(Select) if (s.id or "").startswith("f-")]
        assert len(selects) >= 4
        for select in selects:
            for label, value in select._options:
                if value is Select.BLANK or not isinstance(value, str):
                    continue
                assert str(label) == ENUM_LABELS[value], (select.id, label, value)
                assert english_words(str(label)) == []
        location = app.query_one("#f-installation--decoupling--location", Select)
        assert location.value == "inverter"  # the stored value, shown in French
    assert load_dossier(app.store.path).installation.decoupling.location == "inverter"


async def test_every_form_field_shows_french_dates_and_numbers(
    tmp_path: Path, photo_reader: CachedPhotoReader
) -> None:
    """The screen captures above show the top of each screen; the Prérequis form's fields
    further down showed ``2026-10-28``, ``6.48`` and ``ex. 2026-11-20T14:32:00``. Every
    text field of the demo dossier's form, its value and its example, is scanned here."""
    from textual.widgets import Input

    app = build("prerequis", tmp_path, photo_reader)
    async with app.run_test(size=(120, 40)) as pilot:
        await show("prerequis", app, pilot)
        fields = [f for f in app.query(Input) if (f.id or "").startswith("f-")]
        assert len(fields) >= 25
        texts = {f.id: f"{f.value} | {f.placeholder}" for f in fields}
    assert any("/2026" in text for text in texts.values())  # the dates are there
    for field_id, text in texts.items():
        if "firmware" in field_id or "version" in field_id:  # « D8.2.4 », « 2013-08 »: names
            continue
        assert DECIMAL_POINT.findall(text) == [], (field_id, text)
        assert ISO_DATE.findall(text) == [], (field_id, text)
