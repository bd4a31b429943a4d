"""The help panel (F1): key bindings of the whole app and of the current screen."""

from __future__ import annotations

from collections.abc import Sequence
from typing import ClassVar

from rich.table import Table
from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import VerticalScroll
from textual.screen import ModalScreen
from textual.widgets import Static

from linkytool.tui.errors import SafetyNet

#: Readable names of keys, in French where it matters.
KEY_NAMES = {
    "escape": "Échap",
    "enter": "Entrée",
    "tab": "Tab",
    "shift+tab": "Maj+Tab",
    "space": "Espace",
    "delete": "Suppr",
}


def key_label(key: str) -> str:
    """``ctrl+q`` -> ``Ctrl+Q``, ``f1`` -> ``F1``; a plain letter stays as typed (``g``)."""
    if key in KEY_NAMES:
        return KEY_NAMES[key]
    if len(key) == 1:
        return key
    return "+".join(part.capitalize() if len(part) > 1 else part.upper() for part in key.split("+"))


def reflow(text: str) -> str:
    """Join the hard-wrapped lines of each paragraph so the panel wraps them to its width.

    Blank lines separate paragraphs; lines starting with ``-`` or ``•`` stay list items.
    """
    paragraphs: list[str] = []
    for block in text.strip().split("\n\n"):
        lines: list[str] = []
        for line in block.splitlines():
            stripped = line.strip()
            if lines and not stripped.startswith(("-", "•")):
                lines[-1] += " " + stripped
            else:
                lines.append(stripped)
        paragraphs.append("\n".join(lines))
    return "\n\n".join(paragraphs)


def bindings_table(title: str, bindings: Sequence[tuple[str, str]]) -> Table:
    table = Table(title=title, title_justify="left", show_header=False, box=None, expand=True)
    table.add_column("Touche", style="bold cyan", no_wrap=True, width=14)
    table.add_column("Action", ratio=1)
    for key, description in bindings:
        table.add_row(key, description)
    return table


class HelpScreen(SafetyNet, ModalScreen[None]):
    """Modal listing key bindings and explaining the current screen."""

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("escape", "close", "Fermer"),
        Binding("f1", "close", "Fermer"),
        Binding("q", "close", "Fermer", show=False),
    ]
    DEFAULT_CSS = """
    HelpScreen { align: center middle; }
    HelpScreen > VerticalScroll {
        width: 90%; max-width: 100; height: 90%;
        border: round $accent; background: $surface; padding: 0 1;
    }
    """

    def __init__(
        self,
        screen_title: str,
        screen_help: str,
        screen_bindings: Sequence[tuple[str, str]],
        global_bindings: Sequence[tuple[str, str]],
    ) -> None:
        super().__init__()
        self.screen_title = screen_title
        self.screen_help = screen_help
        self.screen_bindings = list(screen_bindings)
        self.global_bindings = list(global_bindings)

    def compose(self) -> ComposeResult:
        with VerticalScroll(id="help-body"):
            yield Static(Text(f"Aide — {self.screen_title}", style="bold"))
            yield Static(Text(reflow(self.screen_help) + "\n"))
            if self.screen_bindings:
                yield Static(bindings_table("Touches de cet écran", self.screen_bindings))
            if self.global_bindings:
                yield Static(bindings_table("Touches générales", self.global_bindings))
            yield Static(
                Text(
                    "\n↑ ↓ Pg.Préc Pg.Suiv font défiler cette aide. "
                    "Tab / Maj+Tab passent d'un champ ou bouton à l'autre ; Entrée valide "
                    "ou appuie sur le bouton (« … » ouvre le choix de fichier) ; Espace ou "
                    "Entrée ouvre une liste, ↑ ↓ y choisissent ; Pg.Préc Pg.Suiv font "
                    "défiler l'écran. Les champs saisis sont enregistrés automatiquement.\n"
                    "Échap ou F1 ferme cette aide.",
                    style="italic",
                )
            )

    def on_mount(self) -> None:
        self.query_one("#help-body").focus()  # arrows and Page up/down scroll the help

    def action_close(self) -> None:
        self.dismiss(None)
