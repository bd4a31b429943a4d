"""Prérequis: live checklist from linkytool.mes, field edits validated and saved atomically."""

from __future__ import annotations

import json
from datetime import date, datetime
from pathlib import Path

import pytest
from textual.widgets import Checkbox, DataTable, Input, Label, Select

from linkytool.mes import load_dossier
from linkytool.tui.app import make_app
from linkytool.tui.messages import ChecklistUpdated, DossierChanged

from .conftest import CachedPhotoReader, MessageLog, frozen_clock, screen_text, wait_for


async def test_demo_dossier_checklist_is_all_satisfied(
    demo_copy: Path, messages: MessageLog, photo_reader: CachedPhotoReader
) -> None:
    app = make_app(demo_copy, clock=frozen_clock, photo_reader=photo_reader)
    async with app.run_test(size=(80, 24), message_hook=messages) as pilot:
        await pilot.press("f4")
        await wait_for(pilot, lambda: bool(messages.of(ChecklistUpdated)), timeout=20)
        outcomes = messages.of(ChecklistUpdated)[-1].outcomes
        assert outcomes and all(o.satisfied for o in outcomes)
        table = app.query_one("#prereq-table", DataTable)
        await wait_for(  # drawn on the next frames: polled, not assumed
            pilot,
            lambda: (
                table.row_count == len(outcomes)
                and "le dossier permet l'attestation" in screen_text(app)
            ),
        )


async def test_new_dossier_lists_missing_information_with_citation(
    template_dossier: Path, messages: MessageLog
) -> None:
    app = make_app(template_dossier, clock=frozen_clock)
    async with app.run_test(size=(80, 24), message_hook=messages) as pilot:
        await pilot.press("f4")
        await wait_for(pilot, lambda: bool(messages.of(ChecklistUpdated)), timeout=20)
        outcomes = messages.of(ChecklistUpdated)[-1].outcomes
        assert any(not o.satisfied for o in outcomes)

        def detail() -> str:
            return str(app.query_one("#prereq-detail").render())

        await wait_for(pilot, lambda: "Procédure" in detail() and "À faire" in detail())


async def test_field_edit_is_validated_then_saved(
    template_dossier: Path, messages: MessageLog
) -> None:
    app = make_app(template_dossier, clock=frozen_clock)
    before = template_dossier.read_text(encoding="utf-8")
    async with app.run_test(size=(100, 40), message_hook=messages) as pilot:
        await pilot.press("f4")
        await pilot.pause()
        await wait_for(pilot, lambda: bool(app.query("#f-case--prm")), timeout=20)
        field = app.query_one("#f-case--prm", Input)
        field.focus()
        await pilot.press(*"3000234567890")  # 13 digits: refused, file untouched
        pane = app.panes["prerequis"]
        pane.flush_edits()
        await pilot.pause()
        error = app.query_one("#err-f-case--prm", Label)
        assert not error.has_class("hidden")
        assert "14 chiffres" in str(error.render())
        assert "case.prm" not in str(error.render())  # under its field: no schema path
        assert template_dossier.read_text(encoding="utf-8") == before
        app.flush_drafts()
        drafts_file = template_dossier.with_name(f".{template_dossier.name}.saisie.json")
        assert json.loads(drafts_file.read_text())["f-case--prm"] == "3000234567890"
        await pilot.press("1")
        pane.flush_edits()
        await pilot.pause()
        assert error.has_class("hidden")
        assert load_dossier(template_dossier).case.prm == "30002345678901"
        assert messages.of(DossierChanged)
        # the comments of the template survive the save
        assert before.splitlines()[0] in template_dossier.read_text(encoding="utf-8")
        # a checkbox, a choice and the first inverter (a list item) save too
        app.query_one("#f-installation--finished", Checkbox).value = True
        app.query_one("#f-case--connection_option", Select).value = "surplus"
        await pilot.pause()
        app.query_one("#f-installation--inverters-1--make", Input).value = "Enphase"
        await pilot.pause()
        pane.flush_edits()
        app.query_one("#f-installation--inverters-1--model", Input).value = "IQ8M"
        await pilot.pause()
        pane.flush_edits()
        await pilot.pause()
    dossier = load_dossier(template_dossier)
    assert dossier.installation.finished is True
    assert str(dossier.case.connection_option) == "surplus"
    assert [(i.make, i.model) for i in dossier.installation.inverters] == [("Enphase", "IQ8M")]


async def test_a_typo_typed_back_to_the_saved_value_clears_its_refusal(
    demo_copy: Path, photo_reader: CachedPhotoReader
) -> None:
    """A refused typo, then the field typed back to what the dossier holds (found on a
    site visit: the refusal stayed under the field, and the typo, kept as a draft, came
    back in the field at the next refresh of the form and in the next session)."""
    app = make_app(demo_copy, clock=frozen_clock, photo_reader=photo_reader)
    saved = load_dossier(demo_copy).case.prm
    async with app.run_test(size=(100, 40)) as pilot:
        await pilot.press("f4")
        await wait_for(pilot, lambda: bool(app.query("#f-case--prm")), timeout=20)
        field = app.query_one("#f-case--prm", Input)
        error = app.query_one("#err-f-case--prm", Label)
        pane = app.panes["prerequis"]
        field.focus()
        field.value = saved[:-1] + "O"
        await pilot.pause()
        pane.flush_edits()
        await pilot.pause()
        assert not error.has_class("hidden")
        field.value = saved  # typed back: nothing to save, nothing refused any more
        await pilot.pause()
        pane.flush_edits()
        await pilot.pause()
        assert error.has_class("hidden")
        app.query_one("#f-producer--name", Input).focus()  # the form refreshes on a save
        pane.dossier_changed("test")
        await pilot.pause()
        assert field.value == saved
        app.flush_drafts()
        drafts_file = demo_copy.with_name(f".{demo_copy.name}.saisie.json")
        assert "f-case--prm" not in json.loads(drafts_file.read_text(encoding="utf-8"))
    assert load_dossier(demo_copy).case.prm == saved


async def test_no_dossier_then_create_one(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("XDG_STATE_HOME", str(tmp_path / "state"))
    app = make_app(workdir=tmp_path, clock=frozen_clock)
    target = tmp_path / "nouveau.toml"
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.press("f4")
        await wait_for(pilot, lambda: "Aucun dossier ouvert" in screen_text(app))
        app.query_one("#prereq-path", Input).value = str(target)
        await pilot.click("#prereq-new-btn")
        await wait_for(pilot, lambda: app.store.dossier is not None, timeout=20)
    assert target.is_file()
    assert load_dossier(target).schema == 1


async def test_dossier_given_but_absent_is_offered_for_creation(tmp_path: Path) -> None:
    target = tmp_path / "neuf.toml"
    app = make_app(target, clock=frozen_clock)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.press("f4")
        await wait_for(pilot, lambda: "n'existe pas encore" in screen_text(app))
        assert app.query_one("#prereq-path", Input).value == str(target)
        await pilot.click("#prereq-new-btn")
        await wait_for(pilot, lambda: app.store.dossier is not None, timeout=20)
    assert target.is_file()


async def test_edits_made_elsewhere_meanwhile_are_kept(template_dossier: Path) -> None:
    app = make_app(template_dossier, clock=frozen_clock)
    async with app.run_test(size=(100, 40)) as pilot:
        await pilot.press("f4")
        await wait_for(pilot, lambda: bool(app.query("#f-case--prm")), timeout=20)
        # someone edits the file in a text editor while the UI is open
        text = template_dossier.read_text(encoding="utf-8")
        edited = text.replace('site_address = ""', 'site_address = "1 rue du Port, Brest"', 1)
        assert edited != text
        template_dossier.write_text(edited, encoding="utf-8")
        app.query_one("#f-case--prm", Input).value = "30002345678901"
        # saved by the form's own autosave: polled, whatever the load
        await wait_for(pilot, lambda: load_dossier(template_dossier).case.prm == "30002345678901")
    dossier = load_dossier(template_dossier)
    assert dossier.case.prm == "30002345678901"
    assert dossier.case.site_address == "1 rue du Port, Brest"


async def test_text_typed_while_the_form_is_still_being_built_is_kept(
    template_dossier: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The form is mounted section by section, then filled from the dossier: a value
    typed in a field shown before that was overwritten by the filling. (Since issue 14,
    stop 33, the form is shown when it is filled; the value put there before is kept.)"""
    from linkytool.tui.screens.prerequisites import PrerequisitesPane

    building = PrerequisitesPane._mount_next_section
    held: list[PrerequisitesPane] = []

    def hold_before_filling(self: PrerequisitesPane) -> None:
        if self._form_chunks == [] and not held:
            held.append(self)  # every section is mounted; the filling waits for the test
            return
        building(self)

    monkeypatch.setattr(PrerequisitesPane, "_mount_next_section", hold_before_filling)
    app = make_app(template_dossier, clock=frozen_clock)
    async with app.run_test(size=(100, 40)) as pilot:
        await pilot.press("f4")
        await wait_for(pilot, lambda: bool(held), timeout=20)
        pane = held[0]
        app.query_one("#f-case--prm", Input).value = "30002345678901"
        building(pane)  # the form is filled before the field's change is handled
        assert pane._form_built
        await pilot.pause()
        assert app.query_one("#f-case--prm", Input).value == "30002345678901"
        pane.flush_edits()
        await pilot.pause()
    assert load_dossier(template_dossier).case.prm == "30002345678901"


async def test_a_photo_replaced_on_disk_is_flagged_when_the_checklist_is_shown_again(
    demo_copy: Path, messages: MessageLog
) -> None:
    """Seen in tmux: F3, the date photo replaced by another file, F4 still said "le
    dossier permet l'attestation" until `v` was pressed (`mes check` said stale)."""
    app = make_app(demo_copy, clock=frozen_clock)

    def summary() -> str:
        # the line above the checklist, whether or not the pane has scrolled past it
        # (the focused table may push it off an 80×24 screen)
        return str(app.panes["prerequis"].query_one("#prereq-summary", Label).render())

    async with app.run_test(size=(80, 24), message_hook=messages) as pilot:
        await pilot.press("f4")
        await wait_for(pilot, lambda: "le dossier permet l'attestation" in summary(), 20)
        await pilot.press("f2")
        photos = demo_copy.parent.parent / "photos"
        # another file, never read (the index photo itself would be recognised by its
        # recorded OCR reading as another screen: the photos rule would fail too)
        date_photo = photos / "demo-date.jpg"
        date_photo.write_bytes(date_photo.read_bytes() + b"\0")
        await pilot.press("f4")
        await wait_for(pilot, lambda: "11 remplis, 1 incomplet," in summary(), 20)
        assert "le dossier permet l'attestation" not in summary()


async def test_a_refusal_wraps_under_its_field_at_80_columns(template_dossier: Path) -> None:
    """At 80x24 the refusal under the PRM field and its example are read whole, on two
    lines, not cut at the screen's edge (seen in tmux at stop 30)."""
    app = make_app(template_dossier, clock=frozen_clock)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.press("f4")
        await wait_for(pilot, lambda: bool(app.query("#f-case--prm")), timeout=20)
        field = app.query_one("#f-case--prm", Input)
        field.focus()
        await pilot.press(*"3000234567890")  # 13 digits: refused
        app.panes["prerequis"].flush_edits()
        await pilot.pause()
        error = app.query_one("#err-f-case--prm", Label)
        error.scroll_visible(animate=False)
        await pilot.pause()
        assert error.size.height >= 2, error.size
        assert error.region.right <= 80, error.region
        text = screen_text(app)
        assert " 30002345678901)" in text and 'prm = "' not in text, text  # as typed


async def test_a_load_error_wraps_at_80_columns(template_dossier: Path) -> None:
    """QA: at 80x24 the dossier's error lines were cut at the screen's edge: « …seting_name :
    clé inconnue ; vouliez-vous dire « s » (the suggestion lost)."""
    text = template_dossier.read_text(encoding="utf-8")
    template_dossier.write_text(text.replace("setting_name =", "seting_name =", 1))
    app = make_app(template_dossier, clock=frozen_clock)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.press("f4")

        def shown() -> str:
            return " ".join(screen_text(app).split())

        await wait_for(pilot, lambda: "seting_name" in shown())
        summary = app.query_one("#prereq-summary", Label)
        assert summary.region.right <= 80, summary.region
        assert "vouliez-vous dire « setting_name » ?" in shown(), screen_text(app)


async def test_dates_and_numbers_are_shown_and_typed_in_french(
    demo_copy: Path, photo_reader: CachedPhotoReader
) -> None:
    """The form shows JJ/MM/AAAA dates and decimal commas, takes them back as typed, and
    a refusal's example is in the same form (the form showed ``2026-10-28``, ``6.48`` and
    ``ex. 2026-11-20T14:32:00``)."""
    app = make_app(demo_copy, clock=frozen_clock, photo_reader=photo_reader)
    async with app.run_test(size=(100, 40)) as pilot:
        await pilot.press("f4")
        await wait_for(pilot, lambda: bool(app.query("#f-commissioning--place")), timeout=20)
        pane = app.panes["prerequis"]
        visa = app.query_one("#f-documents--consuel_visa_date", Input)
        power = app.query_one("#f-installation--power_kwc", Input)
        moment = app.query_one("#f-commissioning--at", Input)
        await wait_for(pilot, lambda: visa.value == "28/10/2026")
        assert power.value == "6,48"
        assert moment.value == "20/11/2026 14:32"
        assert moment.placeholder == "ex. 20/11/2026 14:32"
        assert app.query_one("#f-installation--power_kva", Input).placeholder == "ex. 6"
        visa.value = "02/10/2026"
        power.value = "6,5"
        await pilot.pause()
        pane.flush_edits()
        await pilot.pause()
        moment.value = "31/11/2026 14:32"  # no 31 November: refused, in French
        await pilot.pause()
        pane.flush_edits()
        await pilot.pause()
        refusal = str(app.query_one("#err-f-commissioning--at", Label).render())
        assert "JJ/MM/AAAA HH:MM" in refusal, refusal
        assert "(exemple : 20/11/2026 14:32)" in refusal, refusal
        assert "2026-" not in refusal, refusal
    dossier = load_dossier(demo_copy)
    assert dossier.documents.consuel_visa_date == date(2026, 10, 2)
    assert dossier.installation.power_kwc == 6.5
    assert dossier.commissioning.at is not None
    assert dossier.commissioning.at.replace(tzinfo=None) == datetime(2026, 11, 20, 14, 32)


@pytest.mark.parametrize("again", ["v", "f3 f4"])
async def test_a_dossier_fixed_on_disk_is_read_again(
    template_dossier: Path, messages: MessageLog, again: str
) -> None:
    """QA: after a load error, fixing the file in an editor then « Vérifier » (v) or
    showing the screen again left the error until a restart; the file is read again and
    the checklist and form appear."""
    valid = template_dossier.read_text(encoding="utf-8")
    template_dossier.write_text('schema = 1\n[case\nprm = "1"\n', encoding="utf-8")
    app = make_app(template_dossier, clock=frozen_clock)
    async with app.run_test(size=(80, 24), message_hook=messages) as pilot:
        await pilot.press("f4")

        def summary() -> str:  # the screen wraps the long path anywhere in the message
            return str(app.query_one("#prereq-summary", Label).content)

        await wait_for(pilot, lambda: "n'est pas un fichier TOML valide" in summary())
        template_dossier.write_text(valid, encoding="utf-8")
        await pilot.press(*again.split())
        await wait_for(pilot, lambda: bool(messages.of(ChecklistUpdated)))
        await wait_for(pilot, lambda: bool(app.query("#f-case--prm")))
        await wait_for(pilot, lambda: "rempli" in summary())
        assert app.store.dossier is not None and app.store.load_error is None


async def test_a_large_injection_index_is_shown_to_be_checked(
    demo_copy: Path, messages: MessageLog
) -> None:
    """Domain review: an index above 100 kWh is a warning to look at, not a refusal; the
    checklist shows it on the rule's row and in its detail."""
    from linkytool.mes import ReadingField, service

    # typed on the index photo (a correction of its reading): typed without it, the
    # photo's sure 12 kWh would count and the rule fail
    service.record_reading(
        demo_copy, ReadingField.INJECTION_INDEX, "4521", file="../photos/demo-index.jpg"
    )
    app = make_app(demo_copy, clock=frozen_clock)
    async with app.run_test(size=(100, 40), message_hook=messages) as pilot:
        await pilot.press("f4")
        await wait_for(pilot, lambda: bool(messages.of(ChecklistUpdated)), timeout=20)
        outcomes = messages.of(ChecklistUpdated)[-1].outcomes
        row = next(i for i, o in enumerate(outcomes) if o.id == "index")
        assert outcomes[row].satisfied and outcomes[row].warnings
        table = app.query_one("#prereq-table", DataTable)
        await wait_for(pilot, lambda: table.row_count == len(outcomes))
        assert str(table.get_cell_at((row, 0))) == "!"
        table.move_cursor(row=row)

        def detail() -> str:
            return str(app.query_one("#prereq-detail").render())

        await wait_for(
            pilot, lambda: "À vérifier : index d'injection de 4521 kWh, plus de 100" in detail()
        )
        assert "le dossier permet l'attestation" in screen_text(app)


async def test_a_signing_date_that_mes_attest_refuses_is_said_on_the_checklist(
    demo_copy: Path, messages: MessageLog
) -> None:
    """Domain review: every prerequisite satisfied, signatures.signed_on the day before
    the commissioning: the checklist said « le dossier permet l'attestation », which the
    attestation then refused."""
    from linkytool.mes import save_dossier

    dossier = load_dossier(demo_copy)
    dossier.signatures.signed_on = date(2026, 11, 19)
    save_dossier(dossier, demo_copy)
    app = make_app(demo_copy, clock=frozen_clock)

    def summary() -> str:
        return str(app.panes["prerequis"].query_one("#prereq-summary", Label).render())

    async with app.run_test(size=(120, 40), message_hook=messages) as pilot:
        await pilot.press("f4")
        await wait_for(pilot, lambda: "attestation impossible" in summary(), 20)
        assert "le 19/11/2026, avant la mise en service du 20/11/2026" in summary()
        assert "le dossier permet l'attestation" not in summary()
        assert all(o.satisfied for o in messages.of(ChecklistUpdated)[-1].outcomes)
