"""Attestation: signature images, optional PKCS#12 key, PDF and submission pack.

The pane collects paths, then a thread worker asks ``linkytool.mes`` to check the
prerequisites, build the attestation PDF (refused with the reasons while a prerequisite
fails, unless a marked draft is asked for) and the Enedis-Connect pack. It shows where
the files are and what the pack contains.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any, ClassVar

from rich.text import Text
from textual import work
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Horizontal
from textual.widgets import Button, Checkbox, Input, Label, Static

from linkytool.errors import LinkytoolError
from linkytool.tui.errors import describe_error, guarded
from linkytool.tui.messages import (
    AttestationBuilt,
    AttestationRefused,
    AttestationStatus,
    WorkFailed,
)
from linkytool.tui.screens.base import Pane
from linkytool.tui.widgets.inorder_input import InOrderInput
from linkytool.tui.widgets.picker import PathField

#: Input id, French label, extensions for the picker (None: directory).
PATH_FIELDS: tuple[tuple[str, str, tuple[str, ...] | None], ...] = (
    ("att-sig-producer", "Signature du producteur (image)", (".png", ".jpg", ".jpeg")),
    ("att-sig-installer", "Signature de l'installateur (image)", (".png", ".jpg", ".jpeg")),
    ("att-key", "Clé PKCS#12 (facultative)", (".p12", ".pfx")),
    ("att-outdir", "Dossier de sortie", None),
)

#: How the refusal of an attestation with no signature begins.
UNSIGNED = "attestation non signée"

#: Signature input id -> the dossier's ``[signatures]`` field that remembers it. The key
#: path has no dossier field: the draft file keeps it; its password is never stored.
SIGNATURE_FIELDS: dict[str, str] = {
    "att-sig-producer": "producer_image",
    "att-sig-installer": "installer_image",
}


class AttestationPane(Pane):
    """The Attestation tab."""

    TITLE = "Attestation"
    HELP = """
Produit l'attestation d'auto-mise en service (PDF A4 en français) et le dossier d'envoi
pour Enedis-Connect (attestation + trois photos ≤ 4 Mo, message.txt prêt à coller,
manifeste avec empreintes). Choisissez les images des signatures manuscrites (facultatif)
et, si vous en avez une, une clé PKCS#12 pour signer le PDF électroniquement (toute
modification ultérieure sera détectable).
« Générer » refuse tant qu'un prérequis n'est pas rempli et dit lesquels, et refuse une
attestation qui ne serait pas signée : donnez les deux images de signature, une clé, ou
cochez « à imprimer et signer à la main » (le PDF le dit alors sur chaque page).
« Brouillon » produit un PDF marqué « BROUILLON – NON CONFORME », jamais à envoyer.
"""
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("g", "generate(False)", "Générer"),
        Binding("b", "generate(True)", "Brouillon"),
    ]

    def __init__(self, **kwargs: Any) -> None:
        super().__init__(**kwargs)
        self.last: AttestationBuilt | None = None
        self.refused: tuple[str, ...] = ()

    def compose_content(self) -> ComposeResult:
        for wid, label, extensions in PATH_FIELDS:
            yield PathField(wid, label, extensions, self._start_dir)
        with Horizontal(classes="row"):
            yield Label("Mot de passe de la clé", classes="form-label")
            yield InOrderInput(id="att-password", password=True, compact=True)
        yield Checkbox(
            "Sans signature jointe : attestation à imprimer et signer à la main",
            id="att-by-hand",
            compact=True,
        )
        with Horizontal(classes="row buttons"):
            yield Button(
                "Générer l'attestation et le pack",
                id="att-generate",
                variant="primary",
                compact=True,
            )
            yield Button("Brouillon", id="att-draft", compact=True)
        yield Static("", id="att-stale")
        yield Static("", id="att-result")

    def on_built(self) -> None:
        for wid, _, _ in PATH_FIELDS:
            self.lt_app.restore_draft(self.query_one(f"#{wid}", Input))
        self.call_after_refresh(self._defaults)

    def _defaults(self) -> None:
        outdir = self.query_one("#att-outdir", Input)
        if not outdir.value and self.store.path is not None:
            outdir.value = str(self.store.base_dir / "envoi")
        dossier = self._dossier()
        if dossier is not None:
            for wid, attribute in SIGNATURE_FIELDS.items():
                widget = self.query_one(f"#{wid}", Input)
                declared = getattr(dossier.signatures, attribute, "")
                if not widget.value and declared:
                    widget.value = str(self.store.base_dir / declared)

    def on_input_changed(self, event: Input.Changed) -> None:
        # A picked (or fully typed) existing image is remembered in the dossier at once.
        wid = event.input.id or ""
        if wid in SIGNATURE_FIELDS and _is_existing_file(self._path(wid)):
            self.remember_signatures()

    def on_input_submitted(self, event: Input.Submitted) -> None:
        if event.input.id in SIGNATURE_FIELDS:
            self.remember_signatures()

    def on_input_blurred(self, event: Input.Blurred) -> None:
        if event.input.id in SIGNATURE_FIELDS:
            self.remember_signatures()

    def _dossier(self) -> Any:
        """The open dossier, loaded if no screen did yet; None if none or unreadable."""
        if self.store.path is None:
            return None
        if self.store.dossier is None:
            try:
                self.store.load()
            except LinkytoolError:
                return None  # the Prérequis screen shows why
        return self.store.dossier

    def remember_signatures(self) -> None:
        """Write the chosen signature images in the dossier's ``[signatures]`` (if changed).

        Paths inside the dossier's directory are kept relative, as the file keeps them.
        """
        dossier = self._dossier()
        if dossier is None:
            return  # no (readable) dossier: the draft file keeps the paths
        wanted: dict[str, str] = {}
        for wid, attribute in SIGNATURE_FIELDS.items():
            path = self._path(wid)
            value = "" if path is None else self.store.relative(path)
            if getattr(dossier.signatures, attribute, "") != value:
                wanted[attribute] = value
        if not wanted:
            return

        def change(current: Any) -> Any:
            for attribute, value in wanted.items():
                setattr(current.signatures, attribute, value)
            return current

        try:
            self.store.update(change)
        except Exception as error:
            from linkytool.tui.errors import notify_error

            notify_error(self, error)

    def dossier_changed(self, reason: str) -> None:
        self._defaults()

    def on_shown(self) -> None:
        self._defaults()
        if self.store.path is not None:
            self._check_recorded(self.store.path)

    @work(thread=True, exit_on_error=False, exclusive=True, group="attestation-status")
    def _check_recorded(self, dossier_path: Path) -> None:
        """In a worker: does the recorded attestation still say what the dossier says?
        (The dossier may have been edited on another screen, or outside, since.)"""
        from linkytool.mes.service import attestation_changes

        try:
            changes = attestation_changes(dossier_path)
        except Exception:
            changes = ()  # an unreadable dossier is reported by the screens that load it
        self.post_message(AttestationStatus(changes))

    def on_attestation_status(self, message: AttestationStatus) -> None:
        text = Text()
        if message.changes:
            text.append(
                "⚠ Le dossier a changé depuis l'attestation produite : elle ne peut plus être "
                "envoyée. Générez-la de nouveau (g).\n",
                style="bold yellow",
            )
            for change in message.changes:
                text.append(f"  • {change.text}\n", style="yellow")
        self.query_one("#att-stale", Static).update(text)

    @guarded
    def on_button_pressed(self, event: Button.Pressed) -> None:
        button = event.button.id or ""
        if button in ("att-generate", "att-draft"):
            event.stop()
            self.action_generate(button == "att-draft")

    def _start_dir(self) -> Path:
        return self.store.base_dir if self.store.path else self.session.workdir

    def _path(self, wid: str) -> Path | None:
        text = self.query_one(f"#{wid}", Input).value.strip()
        return Path(text).expanduser() if text else None

    def action_generate(self, draft: bool) -> None:
        try:
            self.store.require()
        except Exception as error:
            from linkytool.tui.errors import notify_error

            notify_error(self, error)
            return
        self.remember_signatures()
        outdir = self._path("att-outdir") or (self.store.base_dir / "envoi")
        self.query_one("#att-result", Static).update(Text("Production en cours…", style="yellow"))
        self._build(
            draft,
            outdir,
            producer_signature=self._path("att-sig-producer"),
            installer_signature=self._path("att-sig-installer"),
            key=self._path("att-key"),
            password=self.query_one("#att-password", Input).value,
            by_hand=self.query_one("#att-by-hand", Checkbox).value,
        )

    @work(thread=True, exit_on_error=False, exclusive=True, group="attestation")
    def _build(
        self,
        draft: bool,
        outdir: Path,
        *,
        producer_signature: Path | None,
        installer_signature: Path | None,
        key: Path | None,
        password: str,
        by_hand: bool = False,
    ) -> None:
        from linkytool.mes.errors import PrerequisitesError, UnsignedAttestationError

        try:
            from linkytool.tui.attestation_job import AttestationJob

            job = AttestationJob(
                self.store,
                outdir=outdir,
                producer_signature=producer_signature,
                installer_signature=installer_signature,
                key=key,
                password=password or None,
                by_hand=by_hand,
                now=self.session.clock(),
            )
            output = job.run(draft=draft)
        except PrerequisitesError as refused:
            self.post_message(
                AttestationRefused(
                    refused.reasons, why=refused.why, signing_date_only=refused.signing_date_only
                )
            )
            return
        except UnsignedAttestationError as unsigned:
            self.post_message(
                AttestationRefused(
                    (
                        f"{UNSIGNED} : manquent "
                        + ", ".join(unsigned.missing)
                        + " (ou cochez « à imprimer et signer à la main »)",
                    )
                )
            )
            return
        except Exception as error:
            message, hint = describe_error(error)
            self.post_message(WorkFailed("Attestation", message, hint))
            return
        from linkytool.mes.model import SIGNATURE_LABELS

        head = []
        if output.signature is not None:
            head.append(f"Attestation {SIGNATURE_LABELS[output.signature]}")
        head += [f"⚠ {warning}" for warning in output.warnings]
        self.post_message(
            AttestationBuilt(output.pdf, output.pack, (*head, *output.contents), draft)
        )

    def on_work_failed(self, message: WorkFailed) -> None:
        # Shown here too (it still bubbles up to the app's notification).
        if message.source == "Attestation":
            self.query_one("#att-result", Static).update(Text(message.message, style="bold red"))

    def on_attestation_refused(self, message: AttestationRefused) -> None:
        self.refused = message.reasons
        unsigned = all(reason.startswith(UNSIGNED) for reason in message.reasons)
        head = "il manque une signature" if unsigned else message.why
        text = Text(f"Attestation refusée : {head}.\n", style="bold red")
        for reason in message.reasons:
            text.append(f"  ✘ {reason}\n")
        if unsigned:
            advice = (
                "Choisissez les deux images de signature ou une clé, ou cochez « à imprimer "
                "et signer à la main »."
            )
        elif message.signing_date_only:
            advice = (
                "Corrigez la date de signature (signatures.signed_on) dans le fichier du "
                "dossier, ou produisez un brouillon (b)."
            )
        else:
            advice = "Complétez le dossier (onglet Prérequis, F4), ou produisez un brouillon (b)."
        text.append(advice, style="italic")
        self.query_one("#att-result", Static).update(text)

    def on_attestation_built(self, message: AttestationBuilt) -> None:
        self.last = message
        if not message.draft:
            self.query_one("#att-stale", Static).update("")
        text = Text()
        if message.draft:
            text.append(
                "Brouillon produit (marqué « BROUILLON – NON CONFORME ») :\n", style="bold yellow"
            )
        else:
            text.append("Attestation et dossier d'envoi produits :\n", style="bold green")
        text.append(f"  PDF : {message.pdf}\n")
        if message.pack is not None:
            text.append(f"  Dossier d'envoi : {message.pack}\n")
        for item in message.contents:
            text.append(f"    • {item}\n")
        if message.pack is not None:
            note = message.pack / "message.txt" if message.pack.is_dir() else None
            if note is not None and _is_existing_file(note):
                text.append("Message à coller dans Enedis-Connect (message.txt) :\n", style="bold")
                text.append(note.read_text(encoding="utf-8").strip() + "\n", style="italic")
        self.query_one("#att-result", Static).update(text)
        self.notify(str(message.pdf), title="Attestation produite")


def _is_existing_file(path: Path | None) -> bool:
    """True for a path naming an existing file; False for anything typed that cannot be one
    (too long, a NUL byte, a folder that cannot be read), never an exception."""
    if path is None:
        return False
    try:
        return path.is_file()
    except (OSError, ValueError):
        return False
