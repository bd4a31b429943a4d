"""A yes/no question before something of the user's is replaced (Échap/n: no, o: yes)."""

from __future__ import annotations

from typing import ClassVar

from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Horizontal, Vertical
from textual.screen import ModalScreen
from textual.widgets import Button, Static

from linkytool.tui.errors import SafetyNet


class ConfirmReplace(SafetyNet, ModalScreen[bool]):
    """Shows ``message`` and ``question``; dismissed with True only on « Remplacer »
    (the safe answer has the focus)."""

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("escape,n", "answer(False)", "Annuler"),
        Binding("o", "answer(True)", "Remplacer"),
    ]
    DEFAULT_CSS = """
    ConfirmReplace { align: center middle; }
    ConfirmReplace > Vertical {
        width: 90%; max-width: 90; height: auto;
        border: round $warning; background: $surface; padding: 0 1;
    }
    """

    def __init__(self, message: str, question: str, *, keep: str = "Annuler") -> None:
        super().__init__()
        self.message = message
        self.question = question
        self.keep = keep

    def compose(self) -> ComposeResult:
        with Vertical(id="confirm-replace"):
            yield Static(f"{self.message}\n\n{self.question}")
            with Horizontal(classes="row buttons"):
                yield Button("Remplacer (o)", id="confirm-yes", variant="warning", compact=True)
                yield Button(f"{self.keep} (n)", id="confirm-no", compact=True)

    def on_mount(self) -> None:
        self.query_one("#confirm-no", Button).focus()

    def on_button_pressed(self, event: Button.Pressed) -> None:
        event.stop()
        self.dismiss(event.button.id == "confirm-yes")

    def action_answer(self, answer: bool) -> None:
        self.dismiss(answer)
