"""Attestation: refused with reasons while prerequisites fail, draft marked, PDF and pack."""

from __future__ import annotations

from pathlib import Path

from pypdf import PdfReader
from textual.widgets import Input

from linkytool.tui.app import make_app
from linkytool.tui.messages import AttestationBuilt, AttestationRefused, WorkFailed

from .conftest import MessageLog, frozen_clock, screen_text, wait_for


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
    demo_copy: Path, messages: MessageLog
) -> None:
    app = make_app(demo_copy, clock=frozen_clock)

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
