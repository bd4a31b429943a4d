"""Serial adapters present on this machine, with their stable ``/dev/serial/by-id`` paths.

``linkytool tic ports`` and ``tic read`` (without ``--port``) use :func:`list_ports`. The
raw enumeration comes from pyserial's ``list_ports``; this module resolves the udev
``by-id`` symlinks back to their device (a by-id path survives unplugging and replugging,
``/dev/ttyUSB0`` may become ``/dev/ttyUSB1``), recognises the USB bridge chips TIC adapters
are built on, and sorts the list so USB adapters come first. pyserial is imported inside
the functions only: ``import linkytool.tic`` must not load it.
"""

from __future__ import annotations

import os
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

#: Directory where udev publishes stable symlinks named after the adapter's USB identity.
BY_ID_DIR = Path("/dev/serial/by-id")

#: USB-serial bridge chips found in TIC adapters (µTeleinfo, Cartelectronic, LiXee,
#: PiTInfo-USB, home-made boards): "VID:PID" -> chip name shown when the adapter does not
#: describe itself.
KNOWN_BRIDGES: Mapping[str, str] = {
    "0403:6001": "FTDI FT232R",
    "0403:6015": "FTDI FT230X/FT231X",
    "0403:6010": "FTDI FT2232",
    "10c4:ea60": "Silicon Labs CP210x",
    "1a86:7523": "WCH CH340",
    "1a86:55d4": "WCH CH9102",
    "067b:2303": "Prolific PL2303",
}


@dataclass(frozen=True)
class PortInfo:
    """One serial port: what to pass to ``--port`` and how to recognise the adapter."""

    device: str
    """Kernel device path, e.g. ``/dev/ttyUSB0`` (may change between plug-ins)."""
    by_id: str | None
    """Stable udev path under ``/dev/serial/by-id`` when there is one."""
    vid_pid: str | None
    """USB ``VID:PID`` in lower-case hex (``0403:6015``), None for non-USB ports."""
    description: str
    manufacturer: str | None = None
    serial_number: str | None = None

    @property
    def usb(self) -> bool:
        """True for USB adapters: the only ports chosen automatically by ``tic read``."""
        return self.vid_pid is not None

    @property
    def known_bridge(self) -> str | None:
        """Name of the bridge chip when it is one TIC adapters commonly use."""
        return KNOWN_BRIDGES.get(self.vid_pid or "")

    @property
    def path(self) -> str:
        """The path to open: the stable by-id one when it exists."""
        return self.by_id or self.device

    def as_row(self) -> dict[str, Any]:
        """Row for ``tic ports`` (table, JSON)."""
        return {
            "path": self.path,
            "device": self.device,
            "vid_pid": self.vid_pid,
            "description": self.description,
            "manufacturer": self.manufacturer,
            "serial_number": self.serial_number,
            "usb": self.usb,
        }


def by_id_links(directory: Path = BY_ID_DIR) -> dict[str, str]:
    """Map each real device path to its ``by-id`` symlink (first in name order)."""
    links: dict[str, str] = {}
    try:
        entries = sorted(directory.iterdir())
    except OSError:
        return links
    for entry in entries:
        try:
            target = os.path.realpath(entry)
        except OSError:  # pragma: no cover - realpath rarely fails
            continue
        links.setdefault(target, str(entry))
    return links


def port_info_from_pyserial(raw: Any, links: Mapping[str, str]) -> PortInfo:
    """Build a :class:`PortInfo` from one pyserial ``ListPortInfo``."""
    device = str(raw.device)
    vid_pid = (
        f"{raw.vid:04x}:{raw.pid:04x}" if raw.vid is not None and raw.pid is not None else None
    )
    description = str(raw.description) if raw.description and raw.description != "n/a" else ""
    if not description or description == os.path.basename(device):
        description = KNOWN_BRIDGES.get(vid_pid or "", "") or "port série"
    return PortInfo(
        device=device,
        by_id=links.get(os.path.realpath(device)),
        vid_pid=vid_pid,
        description=description,
        manufacturer=raw.manufacturer or None,
        serial_number=raw.serial_number or None,
    )


def sort_ports(ports: Iterable[PortInfo]) -> list[PortInfo]:
    """USB adapters first, then by stable path (natural order: ttyUSB2 before ttyUSB10)."""

    def natural(text: str) -> tuple[Any, ...]:
        digits = text.rstrip("0123456789")
        suffix = text[len(digits) :]
        return (digits, int(suffix) if suffix else -1)

    return sorted(ports, key=lambda port: (not port.usb, natural(port.path)))


def list_ports() -> list[PortInfo]:
    """Every serial port pyserial sees, USB adapters first (see :func:`sort_ports`)."""
    from serial.tools import list_ports as pyserial_list_ports

    links = by_id_links()
    return sort_ports(port_info_from_pyserial(raw, links) for raw in pyserial_list_ports.comports())


def usb_adapters(ports: Iterable[PortInfo]) -> list[PortInfo]:
    """The ports ``tic read`` may pick without being told: USB adapters only."""
    return [port for port in ports if port.usb]


def describe_ports(ports: Iterable[PortInfo]) -> str:
    """French multi-line list of ports for error messages (``  - path (description)``)."""
    lines = []
    for port in ports:
        extra = f", {port.vid_pid}" if port.vid_pid else ""
        device = f" → {port.device}" if port.by_id else ""
        lines.append(f"  - {port.path}{device} ({port.description}{extra})")
    return "\n".join(lines) if lines else "  (aucun port série détecté)"
