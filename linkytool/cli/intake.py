"""``linkytool mes intake DOSSIER``: photos of the meter's screens straight from the phone.

Shows a QR code and the URL of a one-visit page served by :mod:`linkytool.intake`, prints
each photo's fate on stderr as it comes, and the readings recorded on stdout at the end
(exit 0 when the three are sure, 1 when one is missing or to confirm, 130 on Ctrl+C).
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Any

import click

from linkytool.cli.mes import EXISTING_FILE, mes
from linkytool.cli.output import emit_rows, warn
from linkytool.errors import ExitCode
from linkytool.mes.model import ReadingField
from linkytool.mes.readings import shown_value
from linkytool.mes.titles import SCREEN_TITLES
from linkytool.screen_titles import SCREEN_TITLES_BY_NAME
from linkytool.textfmt import french_megabytes


def _describe(event: Any, labels: dict[str, str], fields: dict[str, ReadingField]) -> str:
    """One French line for an :class:`~linkytool.intake.IntakeEvent`."""
    from linkytool.intake import EventKind

    where = labels.get(event.slot or "", "Envoi")
    if event.kind is EventKind.RECEIVED:
        return f"{where} : photo reçue ({french_megabytes(event.size_bytes)}), lecture…"
    if event.kind is EventKind.STORED:
        return f"{where} : enregistrée sous {event.file.name}"
    if event.kind is EventKind.READ:
        outcome = event.outcome
        if outcome.recorded:
            state = "sûr" if outcome.confident else "à confirmer"
            field = fields.get(event.slot or "")
            value = shown_value(field, outcome.value) if field is not None else outcome.value
            return f"{where} : {state} : {value}"
        return f"{where} : à reprendre : {outcome.problem}"
    if event.kind is EventKind.REFUSED:
        return f"{where} : envoi refusé ({event.message})"
    if event.kind is EventKind.FAILED:
        return f"{where} : échec ({event.message})"
    return str(event.message)


#: Why the last photo of a slot was refused, short enough for the final table (stderr
#: told the whole sentence as it came).
REFUSAL_NOTES = {"screen": "dernière photo : autre écran", "other": "dernière photo refusée"}


@dataclass
class SlotTally:
    """What one slot's photos left in the dossier: the last reading recorded (a photo
    refused afterwards, of another screen say, leaves it in place) and, when the last
    photo was refused, why."""

    field: ReadingField
    recorded: Any = None  # the PhotoOutcome recorded last
    refused: str | None = None  # REFUSAL_NOTES key, when the last photo was not recorded

    def add(self, event: Any) -> None:
        from linkytool.intake import EventKind

        if event.kind is EventKind.READ and event.outcome.recorded:
            self.recorded, self.refused = event.outcome, None
        elif event.kind is EventKind.READ:
            screen = event.outcome.screen
            other_screen = screen in SCREEN_TITLES_BY_NAME and screen != self.field.value
            self.refused = "screen" if other_screen else "other"
        elif event.kind in (EventKind.REFUSED, EventKind.FAILED):
            self.refused = "other"

    @property
    def sure(self) -> bool:
        return self.recorded is not None and bool(self.recorded.confident)

    def row(self) -> dict[str, str]:
        """The slot's line of the final table: the value the dossier holds, its state."""
        note = REFUSAL_NOTES[self.refused] if self.refused else ""
        if self.recorded is None:
            status = "à reprendre" if self.refused else "pas de photo"
            return {"value": "", "status": status, "note": note}
        return {
            "value": shown_value(self.field, self.recorded.value or ""),
            "status": "sûr" if self.recorded.confident else "à confirmer",
            "note": note,
        }


@mes.command("intake")
@click.argument("dossier", type=EXISTING_FILE)
@click.option(
    "--bind",
    metavar="ADRESSE",
    help="Adresse d'écoute (par défaut : celle de l'interface de la route par défaut, "
    "le Wi-Fi du poste). 0.0.0.0 écoute sur toutes les interfaces.",
)
@click.option("--port", type=click.IntRange(0, 65535), default=0, help="Port (0 : au hasard).")
@click.option(
    "--timeout",
    "timeout_min",
    type=click.FloatRange(min=0.1),
    default=15.0,
    show_default=True,
    help="Ferme la réception après ce délai sans photo [min].",
)
def intake(dossier: Path, bind: str | None, port: int, timeout_min: float) -> None:
    """Reçoit les photos des trois écrans depuis le téléphone (code QR, même réseau).

    DOSSIER est le fichier du dossier de mise en service (.toml créé par mes new). Le
    téléphone ouvre une page (code QR ou adresse) avec un bouton par écran ; chaque photo
    est enregistrée dans le même répertoire que DOSSIER, lue aussitôt, et son relevé est
    ajouté au dossier ; la lecture est renvoyée au téléphone (« sûr » ou « à confirmer »).
    La réception s'arrête quand les trois lectures sont sûres, sur « Terminer » au
    téléphone, par Ctrl+C ou après le délai.
    """
    from linkytool.intake import SLOTS, IntakeServer, IntakeSettings, default_bind_address

    address = bind or default_bind_address()
    settings = IntakeSettings(idle_timeout_s=timeout_min * 60)
    server = IntakeServer(dossier, bind=address, port=port, settings=settings)
    labels = {slot.name: slot.label for slot in SLOTS}
    fields = {slot.name: slot.field for slot in SLOTS}
    tallies = {slot.name: SlotTally(slot.field) for slot in SLOTS}

    def show(event: Any) -> None:
        warn(_describe(event, labels, fields))
        if event.slot in tallies:
            tallies[event.slot].add(event)

    interrupted = False
    # From start() on, a Ctrl+C (even while the QR code is printed) stops the server
    # before the readings are shown: never a server thread left running at exit.
    try:
        server.start()
        warn("Photos du compteur : scannez ce code avec le téléphone (même réseau) :")
        click.echo("\n".join(server.qr_lines()), err=True)
        warn(server.url)
        while not server.wait_closed(0.2):
            while not server.events.empty():
                show(server.events.get())
    except KeyboardInterrupt:
        interrupted = True
        server.stop("Réception fermée au poste (Ctrl+C).")
    while not server.events.empty():
        show(server.events.get())
    rows = [{"field": SCREEN_TITLES[slot.field], **tallies[slot.name].row()} for slot in SLOTS]
    emit_rows(
        rows,
        [("field", "Relevé"), ("value", "Valeur"), ("status", "État"), ("note", "Remarque")],
        "table",
    )
    if interrupted:
        raise click.exceptions.Exit(int(ExitCode.INTERRUPTED))
    if not all(tally.sure for tally in tallies.values()):
        raise click.exceptions.Exit(int(ExitCode.NOT_SATISFIED))
