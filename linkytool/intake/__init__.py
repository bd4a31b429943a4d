"""Photo intake from the installer's phone: a one-visit upload page behind a QR code.

Public API: :class:`IntakeServer` (start, url, qr_lines, events / on_event, wait_closed,
stop), :class:`IntakeEvent`, :class:`EventKind`, :class:`IntakeSettings`,
:func:`default_bind_address`. Details in docs/intake.md. The shared HTTP guards (token,
Host, Origin) used by ``linkytool serve`` too are in :mod:`linkytool.intake.security`.
"""

from __future__ import annotations

from linkytool.intake.network import NoNetworkError, default_bind_address
from linkytool.intake.recording import PhotoOutcome, record_photo
from linkytool.intake.server import (
    EventKind,
    IntakeError,
    IntakeEvent,
    IntakeServer,
    IntakeSettings,
)
from linkytool.intake.slots import SLOTS, Slot

__all__ = [
    "SLOTS",
    "EventKind",
    "IntakeError",
    "IntakeEvent",
    "IntakeServer",
    "IntakeSettings",
    "NoNetworkError",
    "PhotoOutcome",
    "Slot",
    "default_bind_address",
    "record_photo",
]
