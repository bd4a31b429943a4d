"""Errors of the serial side of the TIC reader, with French diagnostics that say what to do.

Every class maps to :attr:`ExitCode.DEVICE`. The helpers here turn the ``OSError`` /
``SerialException`` pyserial raises into a precise message: *permission denied* names the
device's group (``dialout`` on Debian/Ubuntu, ``uucp`` on Arch), says whether the user is in
it (in ``/etc/group`` but not yet in this session is the classic trap) and gives the
``usermod`` command; *no such port* lists the ports that do exist. It never suggests
``chmod 666``: that opens the port to every user and is lost at the next plug-in anyway.
"""

from __future__ import annotations

import errno
import os
from collections.abc import Callable, Sequence
from dataclasses import dataclass

from linkytool.errors import ExitCode
from linkytool.tic.errors import TicError
from linkytool.tic.ports import PortInfo, describe_ports


class SerialPortError(TicError):
    """The serial adapter or port cannot be used."""

    exit_code = ExitCode.DEVICE


class PortNotFoundError(SerialPortError):
    """The port does not exist (adapter unplugged, wrong path)."""


class PortPermissionError(SerialPortError):
    """The user may not open the port (not in the device's group)."""


class PortBusyError(SerialPortError):
    """Another program holds the port."""


class PortChoiceError(SerialPortError):
    """No ``--port`` given and zero or several adapters to choose from."""


class NoTicSignalError(SerialPortError):
    """The port opens but no valid TIC arrives at any speed within the time limit."""


@dataclass(frozen=True)
class GroupMembership:
    """Whether the user may open a device through its group."""

    group: str
    """Name of the group owning the device (``dialout``, ``uucp``...)."""
    gid: int
    in_session: bool
    """The running process has the group (it can open the device now)."""
    in_group_file: bool
    """The user is listed in the group (``/etc/group``), maybe only since this login."""
    user: str


def current_user() -> str:
    """Login name of the running user (``$USER`` as a fallback)."""
    import pwd  # POSIX only: imported here so the reader still loads elsewhere

    try:
        return pwd.getpwuid(os.getuid()).pw_name
    except KeyError:  # pragma: no cover - user without a passwd entry (containers)
        return os.environ.get("USER", "utilisateur")


def group_membership(
    device: str,
    *,
    stat: Callable[[str], os.stat_result] = os.stat,
    session_groups: Callable[[], Sequence[int]] = os.getgroups,
    user: str | None = None,
) -> GroupMembership | None:
    """Who may open ``device``: its group and whether the user belongs to it.

    Returns None when the device cannot be inspected. The callables are injectable so the
    French diagnosis is testable without a real device.
    """
    import grp  # POSIX only
    import pwd

    try:
        info = stat(device)
    except OSError:
        return None
    user = user or current_user()
    try:
        group = grp.getgrgid(info.st_gid)
        name, members = group.gr_name, list(group.gr_mem)
    except KeyError:
        name, members = str(info.st_gid), []
    try:
        primary = pwd.getpwnam(user).pw_gid
    except KeyError:
        primary = -1
    return GroupMembership(
        group=name,
        gid=info.st_gid,
        in_session=info.st_gid in session_groups() or info.st_gid == os.getgid(),
        in_group_file=user in members or primary == info.st_gid,
        user=user,
    )


def permission_error(device: str, membership: GroupMembership | None) -> PortPermissionError:
    """French explanation of *permission denied* on ``device`` and the command to fix it."""
    if membership is None:
        return PortPermissionError(
            f"Accès refusé au port {device}.",
            hint="Ajoutez votre compte au groupe propriétaire du port (souvent dialout, "
            "uucp sur Arch) : sudo usermod -aG dialout $USER, puis déconnectez-vous et "
            "reconnectez-vous.",
        )
    group, user = membership.group, membership.user
    if membership.gid == 0:
        return PortPermissionError(
            f"Accès refusé au port {device} : il appartient au groupe root, réservé "
            "à l'administrateur.",
            hint="Ce n'est pas le réglage habituel d'un adaptateur USB (groupe dialout ou "
            "uucp). Vérifiez les règles udev de votre système, ou lancez la lecture en "
            "administrateur (sudo) à titre ponctuel.",
        )
    if membership.in_group_file and not membership.in_session:
        return PortPermissionError(
            f"Accès refusé au port {device} (groupe {group}). Votre compte {user} est "
            f"bien membre du groupe {group}, mais votre session a été ouverte avant "
            "cet ajout.",
            hint="Déconnectez-vous puis reconnectez-vous (ou redémarrez) pour que le "
            f"groupe {group} soit pris en compte ; en attendant : newgrp {group}.",
        )
    if membership.in_session:
        return PortPermissionError(
            f"Accès refusé au port {device} alors que votre compte {user} est membre du "
            f"groupe {group}.",
            hint="Un autre programme a peut-être verrouillé le port, ou les droits du "
            f"groupe {group} sur ce port sont retirés : vérifiez avec ls -l {device}.",
        )
    return PortPermissionError(
        f"Accès refusé au port {device} : il appartient au groupe {group} et votre compte "
        f"{user} n'en fait pas partie.",
        hint=f"Ajoutez-vous au groupe : sudo usermod -aG {group} $USER, puis "
        "déconnectez-vous et reconnectez-vous (la session doit être rouverte).",
    )


def not_found_error(device: str, ports: Sequence[PortInfo]) -> PortNotFoundError:
    """French *no such port* message listing the ports that do exist."""
    return PortNotFoundError(
        f"Le port {device} n'existe pas. Ports série présents :\n{describe_ports(ports)}",
        hint="Branchez l'adaptateur TIC et vérifiez le chemin du port.",
        path=device,
        option="port",
    )


def busy_error(device: str, detail: str) -> PortBusyError:
    """French *port busy* message."""
    return PortBusyError(
        f"Le port {device} est déjà utilisé par un autre programme ({detail}).",
        hint="Fermez l'autre lecture en cours (autre linkytool, moniteur série, "
        "ModemManager) puis réessayez.",
    )


def classify_open_error(
    device: str,
    error: BaseException,
    *,
    list_ports: Callable[[], Sequence[PortInfo]] | None = None,
    membership: Callable[[str], GroupMembership | None] = group_membership,
) -> SerialPortError:
    """Turn what opening ``device`` raised into the matching :class:`SerialPortError`."""
    code = getattr(error, "errno", None)
    text = str(error)
    if code in (errno.EACCES, errno.EPERM) or "Permission denied" in text:
        return permission_error(device, membership(device))
    if code in (errno.ENOENT, errno.ENODEV, errno.ENXIO) or "No such file" in text:
        if list_ports is None:
            from linkytool.tic.ports import list_ports as list_ports_default

            list_ports = list_ports_default
        return not_found_error(device, list_ports())
    if code == errno.EBUSY or "exclusively lock" in text or "busy" in text.lower():
        return busy_error(device, text)
    return SerialPortError(
        f"Impossible d'ouvrir le port {device} : {text}.",
        hint="Vérifiez le branchement de l'adaptateur et le chemin du port.",
        path=device,
        option="port",
    )
