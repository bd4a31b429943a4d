"""Attestation: refused with reasons while prerequisites fail, draft marked, PDF and pack."""

from __future__ import annotations

from pathlib import Path

from pypdf import PdfReader
from textual.widgets import Input, Label

from linkytool.tui.app import make_app
from linkytool.tui.messages import (
    AttestationBuilt,
    AttestationRefused,
    ChecklistUpdated,
    WorkFailed,
)

from .conftest import (
    FROZEN_NOW,
    CachedPhotoReader,
    MessageLog,
    frozen_clock,
    screen_text,
    wait_for,
)


def _pdf_text(path: Path) -> str:
    return "\n".join(page.extract_text() or "" for page in PdfReader(path).pages)


async def test_incomplete_dossier_is_refused_then_drafted(
    template_dossier: Path, messages: MessageLog
) -> None:
    app = make_app(template_dossier, clock=frozen_clock)
    async with app.run_test(size=(80, 24), message_hook=messages) as pilot:
        await pilot.press("f6")
        await pilot.pause()
        outdir = app.query_one("#att-outdir", Input).value
        assert outdir == str(template_dossier.parent / "envoi")
        app.panes["attestation"].action_generate(False)
        await wait_for(pilot, lambda: bool(messages.of(AttestationRefused)), timeout=30)
        reasons = messages.of(AttestationRefused)[-1].reasons
        assert reasons
        assert "Attestation refusée" in screen_text(app)
        app.panes["attestation"].action_generate(True)
        await wait_for(pilot, lambda: bool(messages.of(AttestationBuilt)), timeout=60)
        built = messages.of(AttestationBuilt)[-1]
        assert built.draft and built.pack is None
    assert "BROUILLON" in _pdf_text(built.pdf)


async def test_demo_dossier_gives_attestation_and_pack(
    demo_copy: Path, messages: MessageLog, photo_reader: CachedPhotoReader
) -> None:
    app = make_app(demo_copy, clock=frozen_clock, photo_reader=photo_reader)

    def failures() -> list[WorkFailed]:
        return [m for m in messages.of(WorkFailed) if m.source == "Attestation"]

    async with app.run_test(size=(80, 24), message_hook=messages) as pilot:
        await pilot.press("f6")
        await pilot.pause()
        app.panes["attestation"].action_generate(False)
        await wait_for(
            pilot,
            lambda: bool(messages.of(AttestationBuilt) or failures()),
            timeout=90,
        )
        assert not failures(), failures()[-1].message
        built = messages.of(AttestationBuilt)[-1]
        assert not built.draft
        assert built.pack is not None
        text = screen_text(app)
        assert "Attestation et dossier d'envoi produits" in text
    assert built.pdf.is_file()
    assert "30002345678901" in _pdf_text(built.pdf)
    names = {p.name for p in built.pack.iterdir()}
    assert "message.txt" in names
    assert any(name.endswith(".pdf") for name in names)
    assert sum(name.endswith(".jpg") for name in names) == 3


async def test_signature_and_key_paths_are_remembered_not_the_password(
    template_dossier: Path, tmp_path: Path
) -> None:
    from PIL import Image

    from linkytool.mes.store import load_dossier

    images = {}
    for name in ("producteur", "installateur"):
        images[name] = template_dossier.parent / f"signature-{name}.png"
        Image.new("L", (60, 20), 255).save(images[name])
    key = tmp_path / "cles" / "signature.p12"
    key.parent.mkdir()
    key.write_bytes(b"not read before generating")
    secret = "mot-de-passe-secret"

    app = make_app(template_dossier, clock=frozen_clock)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.press("f6")
        await pilot.pause()
        app.query_one("#att-sig-producer", Input).value = str(images["producteur"])
        app.query_one("#att-sig-installer", Input).value = str(images["installateur"])
        app.query_one("#att-key", Input).value = str(key)
        app.query_one("#att-password", Input).value = secret
        await pilot.pause()
    signatures = load_dossier(template_dossier).signatures
    assert signatures.producer_image == "signature-producteur.png"
    assert signatures.installer_image == "signature-installateur.png"
    stored = [p for p in template_dossier.parent.rglob("*") if p.is_file()]
    assert not any(secret.encode() in p.read_bytes() for p in stored)

    app = make_app(template_dossier, clock=frozen_clock)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.press("f6")
        await pilot.pause()
        await pilot.pause()
        assert app.query_one("#att-sig-producer", Input).value == str(images["producteur"])
        assert app.query_one("#att-sig-installer", Input).value == str(images["installateur"])
        assert app.query_one("#att-key", Input).value == str(key)
        assert app.query_one("#att-password", Input).value == ""


async def test_signatures_come_back_from_the_dossier_without_a_draft(
    template_dossier: Path,
) -> None:
    """Another machine (no draft file) still finds the images the dossier names."""
    from PIL import Image

    from linkytool.mes.store import load_dossier

    image = template_dossier.parent / "sig.png"
    Image.new("L", (60, 20), 255).save(image)
    app = make_app(template_dossier, clock=frozen_clock)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.press("f6")
        await pilot.pause()
        field = app.query_one("#att-sig-producer", Input)
        field.value = str(image)
        await pilot.pause()
        field.focus()
        field.value = ""
        await pilot.press("enter")  # cleared on purpose: forgotten in the dossier too
        await pilot.pause()
        assert load_dossier(template_dossier).signatures.producer_image == ""
        field.value = str(image)
        await pilot.pause()
    for draft in template_dossier.parent.glob(".*.saisie.json"):
        draft.unlink()
    app = make_app(template_dossier, clock=frozen_clock)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.press("f6")
        await pilot.pause()
        await pilot.pause()
        assert app.query_one("#att-sig-producer", Input).value == str(image)
        assert app.query_one("#att-sig-installer", Input).value == ""


async def test_an_unsigned_final_attestation_is_refused_then_made_to_sign_by_hand(
    demo_copy: Path, messages: MessageLog, photo_reader: CachedPhotoReader
) -> None:
    """Issue 12 failure 1 in the UI: `g` with empty signature fields made a final PDF with
    blank boxes and packed it. It is refused; "à imprimer et signer à la main" says so."""
    from textual.widgets import Checkbox

    from linkytool.mes.store import load_dossier, save_dossier

    dossier = load_dossier(demo_copy)
    dossier.signatures.producer_image = ""
    dossier.signatures.installer_image = ""
    save_dossier(dossier, demo_copy)
    app = make_app(demo_copy, clock=frozen_clock, port_lister=list, photo_reader=photo_reader)
    async with app.run_test(size=(80, 24), message_hook=messages) as pilot:
        await pilot.press("f6")
        await pilot.pause()
        app.panes["attestation"].action_generate(False)
        await wait_for(pilot, lambda: bool(messages.of(AttestationRefused)), timeout=60)
        assert "non signée" in messages.of(AttestationRefused)[-1].reasons[0]
        assert not messages.of(AttestationBuilt)
        app.query_one("#att-by-hand", Checkbox).value = True
        app.panes["attestation"].action_generate(False)
        await wait_for(pilot, lambda: bool(messages.of(AttestationBuilt)), timeout=90)
        built = messages.of(AttestationBuilt)[-1]
        assert "à imprimer et à signer à la main" in built.contents[0]
    text = _pdf_text(built.pdf)
    assert "À IMPRIMER ET À SIGNER À LA MAIN" in text
    assert built.pack is not None
    message = (built.pack / "message.txt").read_text(encoding="utf-8")
    assert "à signer à la main" in message and "signée (" not in message
    recorded = load_dossier(demo_copy).attestation
    assert recorded.signature == "by_hand" and recorded.file.endswith(built.pdf.name)


async def test_an_attestation_the_dossier_no_longer_matches_is_shown_stale(
    demo_copy: Path, messages: MessageLog
) -> None:
    """F6 kept saying « Attestation et dossier d'envoi produits » after the index was
    corrected on F3 (QA, stop 32): the screen now says the recorded attestation is stale
    and what changed, each time it is shown."""
    from datetime import datetime

    from linkytool.mes import service
    from linkytool.mes.store import load_dossier, save_dossier
    from linkytool.tui.messages import AttestationStatus

    service.attest(
        demo_copy,
        demo_copy.parent / "attestation.pdf",
        service.AttestationRequest(now=datetime(2026, 11, 20, 15, 0, tzinfo=FROZEN_NOW.tzinfo)),
    )
    app = make_app(demo_copy, clock=frozen_clock)
    async with app.run_test(size=(80, 24), message_hook=messages) as pilot:
        await pilot.press("f6")
        await wait_for(pilot, lambda: bool(messages.of(AttestationStatus)), timeout=30)
        assert messages.of(AttestationStatus)[-1].changes == ()
        assert "Le dossier a changé" not in screen_text(app)
        dossier = load_dossier(demo_copy)
        dossier.installer.company = "Autre Installateur SAS"
        save_dossier(dossier, demo_copy)
        await pilot.press("f4")
        # the checklist says it too, from its own CheckResult (QA stop 35)
        await wait_for(
            pilot,
            lambda: any(m.changes for m in messages.of(ChecklistUpdated)),
            timeout=30,
        )
        checked = next(m.changes for m in messages.of(ChecklistUpdated) if m.changes)
        summary = app.panes["prerequis"].query_one("#prereq-summary", Label)
        await wait_for(pilot, lambda: "attestation produite à refaire" in str(summary.render()))
        assert "(1 changement depuis, voir Attestation)" in str(summary.render())
        await pilot.press("f6")
        await wait_for(
            pilot,
            lambda: len(messages.of(AttestationStatus)) >= 2,
            timeout=30,
        )
        changes = messages.of(AttestationStatus)[-1].changes
        assert changes == checked  # the same typed result, one function
        assert len(changes) == 1 and "Autre Installateur SAS" in changes[0].text, changes
        assert changes[0].current == "Autre Installateur SAS"
        await pilot.pause()
        assert "Le dossier a changé depuis l'attestation" in screen_text(app)


async def test_a_refusal_says_what_to_do_for_its_own_reasons(template_dossier: Path) -> None:
    """QA: every refusal said « donnez les signatures », even with both given."""
    app = make_app(template_dossier, clock=frozen_clock)
    async with app.run_test(size=(100, 30)) as pilot:
        await pilot.press("f6")
        await pilot.pause()
        pane = app.panes["attestation"]
        pane.post_message(AttestationRefused(("Essai de découplage : essai à consigner",)))
        await wait_for(pilot, lambda: "ne sont pas remplis" in screen_text(app))
        assert "signature" not in screen_text(app).split("Attestation refusée")[1]
        pane.post_message(AttestationRefused(("attestation non signée : manquent la clé",)))
        await wait_for(pilot, lambda: "il manque une signature" in screen_text(app))
        assert "Complétez le dossier" not in screen_text(app)


async def test_a_refusal_for_the_signing_date_alone_says_so(
    demo_copy: Path, messages: MessageLog, photo_reader: CachedPhotoReader
) -> None:
    """QA (stop 34): signed the day before the commissioning, every prerequisite met, the
    screen said « des prérequis ne sont pas remplis » (the CLI said the right thing)."""
    text = demo_copy.read_text(encoding="utf-8")
    assert "signed_on = 2026-11-20" in text
    demo_copy.write_text(text.replace("signed_on = 2026-11-20", "signed_on = 2026-11-19"))
    app = make_app(demo_copy, clock=frozen_clock, photo_reader=photo_reader)
    async with app.run_test(size=(100, 30), message_hook=messages) as pilot:
        await pilot.press("f6")
        await pilot.pause()
        app.panes["attestation"].action_generate(False)
        await wait_for(pilot, lambda: bool(messages.of(AttestationRefused)), timeout=60)
        refused = messages.of(AttestationRefused)[-1]
        assert refused.signing_date_only
        await pilot.pause()
        shown = " ".join(screen_text(app).split())
        assert "les prérequis sont remplis, mais la date de signature est à corriger" in shown
        assert "signatures.signed_on" in shown
        assert "Complétez le dossier" not in shown
