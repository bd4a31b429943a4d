"""Which address the intake listens on by default: the IPv4 address of the interface that
carries the default route (the laptop's address on the site's Wi-Fi or the phone's
hotspot), read from the kernel without sending any packet. Never 0.0.0.0 by default."""

from __future__ import annotations

import fcntl
import socket
import struct
from pathlib import Path

from linkytool.errors import LinkytoolError

_SIOCGIFADDR = 0x8915


class NoNetworkError(LinkytoolError):
    """No default route (no network) and no address given: nothing a phone can reach."""


def default_route_interface(route_table: str | None = None) -> str | None:
    """The interface of the IPv4 default route in ``/proc/net/route`` (lowest metric)."""
    try:
        text = route_table if route_table is not None else Path("/proc/net/route").read_text()
    except OSError:
        return None
    best: tuple[int, str] | None = None
    for line in text.splitlines()[1:]:
        fields = line.split()
        if len(fields) < 8 or fields[1] != "00000000" or fields[7] != "00000000":
            continue
        if not int(fields[3], 16) & 0x1:  # RTF_UP
            continue
        metric = int(fields[6]) if fields[6].isdigit() else 0
        if best is None or metric < best[0]:
            best = (metric, fields[0])
    return best[1] if best else None


def interface_address(interface: str) -> str | None:
    """The IPv4 address of ``interface`` (Linux ioctl), None when it has none."""
    with socket.socket(socket.AF_INET, socket.SOCK_DGRAM) as probe:
        try:
            packed = fcntl.ioctl(
                probe.fileno(), _SIOCGIFADDR, struct.pack("256s", interface.encode()[:15])
            )
        except OSError:
            return None
    return socket.inet_ntoa(packed[20:24])


def default_bind_address() -> str:
    """The address of the default route's interface; raises :class:`NoNetworkError`."""
    interface = default_route_interface()
    address = interface_address(interface) if interface else None
    if address is None:
        raise NoNetworkError(
            "Aucun réseau actif : le téléphone ne pourra pas joindre ce poste.",
            hint="Connectez le poste au Wi-Fi (ou au partage de connexion du téléphone), "
            "ou indiquez l'adresse d'écoute.",
        )
    return address


__all__ = ["NoNetworkError", "default_bind_address", "default_route_interface"]
