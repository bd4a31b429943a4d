"""The UI does no work it throws away (issue 14): no widget restyled before it is mounted
or restyled twice for one class, the Prérequis form laid out once it is complete, and a
refusal shown under a field laid out once, not again for the sizes that layout set.

Counted by wrapping Textual's ``Stylesheet.apply`` and ``Screen._refresh_layout``; what
the screens show is checked by the snapshots (test_snapshots.py)."""

from __future__ import annotations

from collections import Counter
from pathlib import Path
from typing import Any

import pytest
from textual.css.stylesheet import Stylesheet
from textual.screen import Screen
from textual.scrollbar import ScrollBar, ScrollBarCorner
from textual.widget import Widget
from textual.widgets import DataTable, Input
from textual.widgets._footer import FooterKey

from linkytool.tui.app import make_app
from linkytool.tui.screens import prerequisites

from .conftest import CachedPhotoReader, compteur_ready, frozen_clock, screen_text, wait_for


def count_applies(monkeypatch: pytest.MonkeyPatch) -> tuple[list[str], Counter[int]]:
    """From now on: the widgets styled while not mounted, and how often each node was."""
    unmounted: list[str] = []
    applied: Counter[int] = Counter()
    apply = Stylesheet.apply

    def counted(self: Stylesheet, node: Any, *args: Any, **kwargs: Any) -> None:
        if isinstance(node, Widget) and not node.app.is_mounted(node):
            unmounted.append(type(node).__name__)
        applied[id(node)] += 1
        apply(self, node, *args, **kwargs)

    monkeypatch.setattr(Stylesheet, "apply", counted)
    return unmounted, applied


async def test_no_widget_is_styled_before_it_is_mounted(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Textual's widgets set classes in their constructors (``compact``...): mounting
    styles them, a restyle before it was thrown away."""
    app = make_app(None, workdir=tmp_path, clock=frozen_clock, port_lister=list)
    async with app.run_test(size=(80, 24)) as pilot:
        unmounted, _ = count_applies(monkeypatch)
        await compteur_ready(app, pilot)
        await pilot.press("f7")  # a screen built now: its widgets made, then mounted
        await pilot.pause()
        assert app.panes["acc"].is_mounted
        assert unmounted == [], unmounted


async def test_a_footer_key_is_styled_once(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    app = make_app(None, workdir=tmp_path, clock=frozen_clock, port_lister=list)
    async with app.run_test(size=(80, 24)) as pilot:
        await compteur_ready(app, pilot)
        await settled(pilot, [])  # the start's late footer recompose is not counted
        _, applied = count_applies(monkeypatch)
        await pilot.press("f4")  # the footer's keys change: it is rebuilt
        await settled(pilot, [])
        await pilot.press("f2")
        await pilot.pause()
        keys = [applied[id(key)] for key in app.query(FooterKey)]
        assert keys and max(keys) == 1, keys


async def test_the_form_is_filled_without_restyling_its_fields(
    tmp_path: Path, photo_reader: CachedPhotoReader, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A field mounted is styled; the dossier's value shown in it changes no style."""
    from .screens import copy_demo

    app = make_app(copy_demo(tmp_path), clock=frozen_clock, photo_reader=photo_reader)
    async with app.run_test(size=(120, 40)) as pilot:
        await compteur_ready(app, pilot)
        _, applied = count_applies(monkeypatch)
        await pilot.press("f4")
        pane = app.panes["prerequis"]
        await wait_for(pilot, lambda: bool(pane.outcomes) and pane._form_built, timeout=60)
        await pilot.pause()
        fields = [f for f in pane.query(prerequisites.FormInput) if f.value]
        assert len(fields) > 20, len(fields)  # the demo dossier fills most of them
        assert app.focused not in fields
        assert max(applied[id(field)] for field in fields) == 1


async def test_the_form_is_laid_out_once_complete(
    tmp_path: Path, photo_reader: CachedPhotoReader, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Mounted section by section into a form already shown, each section laid out the
    whole growing screen (18 layouts per F4)."""
    from .screens import copy_demo

    layouts: list[tuple[bool, bool]] = []  # (form shown, form still being built)
    refresh_layout = Screen._refresh_layout
    app = make_app(copy_demo(tmp_path), clock=frozen_clock, photo_reader=photo_reader)

    def counted(screen: Screen[Any], *args: Any, **kwargs: Any) -> None:
        pane = app.panes.get("prerequis")
        if pane is not None and pane.is_mounted:
            form = pane.query_one("#prereq-form")
            layouts.append((form.display, pane._form_chunks is not None))
        refresh_layout(screen, *args, **kwargs)

    monkeypatch.setattr(Screen, "_refresh_layout", counted)
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.press("f4")
        pane = app.panes["prerequis"]
        await wait_for(pilot, lambda: bool(pane.outcomes) and pane._form_built, timeout=60)
        assert (False, True) in layouts  # laid out while built: the checklist alone
        assert (True, True) not in layouts, "a section laid out the form while it was built"
        assert app.query_one("#prereq-form").display


async def test_the_form_shown_is_not_laid_out_again_for_its_sizes(
    tmp_path: Path, photo_reader: CachedPhotoReader, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The layout that shows the form gives its widgets their first size: the selects
    (and the parts they compose), the checkboxes and the labels above the checklist asked
    for a layout of the whole screen each, for a scrollable size nothing scrolls by
    (three more layouts of the form per F4), and the screen, taller than the terminal
    now, asked for one to show its scrollbar. Only the checklist table and the
    scrollbars themselves may ask."""
    from .screens import copy_demo

    asked: list[Widget] = []
    size_updated = Widget._size_updated

    def watched(widget: Widget, *args: Any, **kwargs: Any) -> bool:
        before = widget._layout_required
        changed = size_updated(widget, *args, **kwargs)
        if changed and widget._layout_required and not before:
            asked.append(widget)
        return changed

    monkeypatch.setattr(Widget, "_size_updated", watched)
    app = make_app(copy_demo(tmp_path), clock=frozen_clock, photo_reader=photo_reader)
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.press("f4")
        pane = app.panes["prerequis"]
        await wait_for(pilot, lambda: bool(pane.outcomes) and pane._form_built, timeout=60)
        await pilot.pause()
        await pilot.pause()
        asking = {
            f"{type(widget).__name__}#{widget.id}"
            for widget in asked
            if pane in widget.ancestors_with_self
            and not isinstance(widget, (DataTable, ScrollBar, ScrollBarCorner))
        }
        assert not asking, sorted(asking)
        assert app.query_one("#prereq-form").display


async def test_the_form_has_no_widget_it_can_draw_itself(
    tmp_path: Path, photo_reader: CachedPhotoReader
) -> None:
    """A field's one-line label is drawn by its row, in the row's first 36 columns, and a
    checkbox (which draws its own label) is a row of the form: a widget for each was 42
    of the screen's 275, each mounted, styled and placed by every layout. A label that
    wraps keeps its widget (see ``LabelledRow``)."""
    from .screens import copy_demo

    app = make_app(copy_demo(tmp_path), clock=frozen_clock, photo_reader=photo_reader)
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.press("f4")
        pane = app.panes["prerequis"]
        await wait_for(pilot, lambda: bool(pane.outcomes) and pane._form_built, timeout=60)
        await pilot.pause()
        field = app.query_one("#f-case--prm", Input)
        row = field.parent
        assert isinstance(row, Widget) and list(row.children) == [field]
        line = screen_text(app).splitlines()[row.region.y]
        assert line[row.region.x : field.region.x] == "Numéro PRM".ljust(36), line
        assert line[field.region.x :].startswith("30002345678901"), line
        form = app.query_one("#prereq-form")
        assert app.query_one("#f-installation--finished").parent is form
        wrapped = app.query_one("#f-case--enedis_reference", Input).parent
        assert isinstance(wrapped, Widget) and len(wrapped.children) == 2  # its label widget


async def settled(pilot: Any, layouts: list[Screen[Any]]) -> None:
    """Let the screen run until it has no layout left to make: three pauses in a row
    with none made and none asked for. The focus change recomposes the footer, whose
    keys, mounted later, ask for a layout of their own; on a busy machine it came after
    a single pause (CI run of 737e910 counted it with the refusal's)."""
    quiet = 0
    for _ in range(400):
        made = len(layouts)
        await pilot.pause(0.01)
        screen = pilot.app.screen
        idle = len(layouts) == made and not (screen._layout_required or screen._dirty_widgets)
        quiet = quiet + 1 if idle else 0
        if quiet == 3:
            return
    raise AssertionError("the screen kept laying itself out")


async def test_a_refusal_under_a_field_is_laid_out_once(
    tmp_path: Path, photo_reader: CachedPhotoReader, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The refusal's lines change the form's size: one layout, not a second one for the
    scrollable sizes the first set (the form and the screen do not scroll by themselves:
    the screen's scrollbar is already shown)."""
    from .screens import copy_demo

    monkeypatch.setattr(prerequisites, "SAVE_DELAY_S", 3600.0)  # saved by flush_edits only
    layouts: list[Screen[Any]] = []
    refresh_layout = Screen._refresh_layout

    def counted(screen: Screen[Any], *args: Any, **kwargs: Any) -> None:
        layouts.append(screen)
        refresh_layout(screen, *args, **kwargs)

    monkeypatch.setattr(Screen, "_refresh_layout", counted)
    app = make_app(copy_demo(tmp_path), clock=frozen_clock, photo_reader=photo_reader)
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.press("f4")
        pane = app.panes["prerequis"]
        await wait_for(pilot, lambda: bool(pane.outcomes) and pane._form_built, timeout=60)
        field = app.query_one("#f-case--prm", Input)
        field.focus()
        await settled(pilot, layouts)
        assert pane.show_vertical_scrollbar
        layouts.clear()
        field.value = "3000234567890"  # 13 digits: a refusal of two lines under the field
        await pilot.pause()
        pane.flush_edits()
        error = app.query_one("#err-f-case--prm")
        await wait_for(pilot, lambda: not error.has_class("hidden") and error.size.height > 0)
        await pilot.pause()
        await pilot.pause()
        assert len(layouts) == 1, layouts
