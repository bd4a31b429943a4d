"""A dropdown removed while it mounts (the app closing right after F4) is no crash."""

from __future__ import annotations

from textual.app import App, ComposeResult
from textual.containers import Vertical
from textual.widgets import Select

from linkytool.tui.widgets.select import SafeSelect


class Form(App[None]):
    def __init__(self, kind: type[Select[str]]) -> None:
        super().__init__()
        self.kind = kind

    def compose(self) -> ComposeResult:
        yield Vertical(id="form")

    async def on_mount(self) -> None:
        select = self.kind([("Oui", "oui")], id="choice")
        mounting = self.query_one("#form").mount(select)  # registered, not yet run
        select._pruning = True  # as Textual marks it when the app closes meanwhile
        await mounting


async def test_a_select_pruned_before_its_mount_handler_does_not_crash() -> None:
    app = Form(SafeSelect)
    async with app.run_test() as pilot:
        await pilot.pause()
    assert app._exception is None


async def test_the_stock_select_did_crash_there() -> None:
    """The mechanism SafeSelect guards against (fails if Textual fixes it: then drop it)."""
    app = Form(Select)
    try:
        async with app.run_test() as pilot:
            await pilot.pause()
    except Exception as error:
        assert type(error).__name__ == "NoMatches"
    else:
        raise AssertionError("the stock Select no longer crashes: SafeSelect can go")
