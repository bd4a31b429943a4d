"""The Photos screen's summary line: the three values at a glance, whatever is scrolled.

At 80×24 the three photo slots do not fit on the screen: the index slot is below the
fold until the PRM is confirmed. This line, docked above the slots, shows each value as
soon as it is read, and its state (read and sure, to confirm, confirmed, failed), so the
installer can compare the three with the meter without scrolling. Pure: the pane passes
each slot's state, this module only lays out the text.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from rich.text import Text

from linkytool.textfmt import french_value

#: Short name of each slot on the summary line, and the unit printed after its value.
SHORT_NAMES: dict[str, tuple[str, str]] = {
    "prm": ("PRM", ""),
    "date": ("Date", ""),
    "injection_index": ("Index", " kWh"),
}

#: Each state: (mark after the value, style). A value not yet confirmed and read sure has
#: no mark; the others say what the installer must do.
STATE_MARKS: dict[str, tuple[str, str]] = {
    "empty": ("—", "dim"),
    "reading": ("lecture…", "dim"),
    "failed": ("✘ échec", "bold red"),
    "wrong_screen": ("✘ autre écran", "bold red"),
    "no_value": ("✘ illisible", "bold red"),
    "to_confirm": ("?", "bold yellow"),
    "sure": ("", "bold"),
    "confirmed": ("✔", "green"),
}


@dataclass(frozen=True)
class SlotState:
    """What the summary needs of one slot: its id, whether a photo is set, the reading
    (an ``OcrReading``, or None while it is read), the value confirmed, a failure."""

    slot: str
    has_photo: bool
    reading: Any = None
    confirmed: str | None = None
    failed: bool = False


def slot_state(state: SlotState) -> tuple[str, str]:
    """The slot's state name (a key of :data:`STATE_MARKS`) and the value to show."""
    reading = state.reading
    if state.confirmed is not None:
        return "confirmed", state.confirmed
    if not state.has_photo:
        return "empty", ""
    if state.failed:
        return "failed", ""
    if reading is None:
        return "reading", ""
    if str(getattr(reading, "screen", "")) != state.slot:
        return "wrong_screen", ""
    if not reading.value:
        return "no_value", ""
    return ("sure" if reading.confident else "to_confirm"), str(reading.value)


def summary_text(states: list[SlotState]) -> Text:
    """One line: ``PRM 30002345678901 ✔ · Date 20/11/2026 14:32 ? · Index 12 kWh``."""
    text = Text(no_wrap=True, overflow="ellipsis")
    for index, state in enumerate(states):
        if index:
            text.append(" · ", style="dim")
        name, unit = SHORT_NAMES[state.slot]
        kind, value = slot_state(state)
        mark, style = STATE_MARKS[kind]
        text.append(f"{name} ", style="dim" if not value else "")
        if value:
            text.append(french_value(value) + unit, style=style)
            if mark:
                text.append(f" {mark}", style=style)
        else:
            text.append(mark, style=style)
    return text


__all__ = ["STATE_MARKS", "SlotState", "slot_state", "summary_text"]
