"""The reference for bench/tui_startup.py: a bare Textual app showing one word.

Whatever linkytool's UI costs beyond this is ours; this part is Python + Textual.
"""

from textual.app import App, ComposeResult
from textual.widgets import Static


class Bare(App[None]):
    def compose(self) -> ComposeResult:
        yield Static("Bonjour")


if __name__ == "__main__":
    Bare().run()
