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
import re
import shlex
import socket
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from urllib.parse import urlsplit

from linkytool.errors import ExitCode, describe_os_error
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


class NotASerialPortError(SerialPortError):
    """The path names something else than a serial port (a file, a directory)."""


class PortSettingsError(SerialPortError):
    """The port opens but refuses the TIC's settings (speed, 7E1)."""


class NetworkPortError(SerialPortError):
    """A network port (``socket://``, ``rfc2217://``) cannot be reached or used."""


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


def busy_error(device: str) -> PortBusyError:
    """French *port busy* message."""
    return PortBusyError(
        f"Le port {device} est déjà utilisé par un autre programme.",
        hint="Fermez l'autre lecture en cours (autre linkytool, moniteur série, "
        "ModemManager) puis réessayez.",
    )


def not_a_port_error(device: str) -> NotASerialPortError:
    """French message for a path that is not a serial port: a capture or recording file
    is to be decoded, not read live."""
    if os.path.isfile(device):
        return NotASerialPortError(
            f"{device} n'est pas un port série mais un fichier.",
            hint="Pour relire un enregistrement ou une capture TIC, décodez-le : "
            f"linkytool tic decode {shlex.quote(device)}",
            path=device,
        )
    if os.path.isdir(device):
        return NotASerialPortError(
            f"{device} est un dossier, pas un port série.",
            hint="Indiquez le port de l'adaptateur TIC (/dev/ttyUSB0 ou /dev/serial/by-id/...).",
            path=device,
            option="port",
        )
    return NotASerialPortError(
        f"{device} n'est pas un port série (aucun réglage de vitesse possible).",
        hint="Indiquez le port de l'adaptateur TIC (/dev/ttyUSB0 ou /dev/serial/by-id/...).",
        path=device,
        option="port",
    )


def _host(url: str) -> str:
    """``host:port`` of a network port URL (the URL itself when it has none)."""
    return urlsplit(url).netloc or url


def _settings_refused(device: str, baud: int | None) -> SerialPortError:
    speed = f"{baud} bauds, " if baud else ""
    return PortSettingsError(
        f"Le port {device} refuse les réglages de la TIC ({speed}7 bits, parité paire).",
        hint="Vérifiez que c'est bien l'adaptateur TIC ; débranchez-le puis rebranchez-le. "
        "Une vitesse imposée doit être celle du compteur (1200 bauds en historique, "
        "9600 en standard).",
        path=device,
        option="port",
    )


def _io_error(device: str, baud: int | None) -> SerialPortError:
    return SerialPortError(
        f"Le port {device} ne répond pas (erreur d'entrée-sortie).",
        hint="Débranchez l'adaptateur, attendez quelques secondes puis rebranchez-le.",
        path=device,
        option="port",
    )


def _unknown_host(url: str, baud: int | None) -> SerialPortError:
    return NetworkPortError(
        f"Hôte introuvable pour le port {url} : ce nom n'existe pas sur le réseau.",
        hint="Vérifiez le nom ou l'adresse IP de la passerelle série dans l'URL "
        "(rfc2217://hôte:port ou socket://hôte:port).",
    )


def _refused(url: str, baud: int | None) -> SerialPortError:
    return NetworkPortError(
        f"Connexion refusée par {_host(url)} : aucun serveur série n'écoute sur ce port.",
        hint="Vérifiez que la passerelle série (ser2net, ESP-Link...) est démarrée et le "
        "numéro de port dans l'URL.",
    )


def _unreachable(url: str, baud: int | None) -> SerialPortError:
    return NetworkPortError(
        f"{_host(url)} ne répond pas : la passerelle série est injoignable.",
        hint="Vérifiez qu'elle est allumée et sur le même réseau que cet ordinateur.",
    )


def _bad_url(url: str, baud: int | None) -> SerialPortError:
    return SerialPortError(
        f"« {url} » n'est pas une adresse de port valable.",
        hint="Donnez un chemin (/dev/ttyUSB0, /dev/serial/by-id/...) ou une URL "
        "rfc2217://hôte:port ou socket://hôte:port.",
        path=url,
        option="port",
    )


def _remote_refuses(url: str, baud: int | None) -> SerialPortError:
    return NetworkPortError(
        f"La passerelle {_host(url)} refuse les réglages de la TIC"
        + (f" ({baud} bauds, 7 bits, parité paire)." if baud else "."),
        hint="Vérifiez sa configuration (RFC 2217 activé) ou réglez-la elle-même sur la "
        "vitesse du compteur et utilisez socket://hôte:port.",
    )


_Builder = Callable[[str, "int | None"], SerialPortError]

#: What an ``errno`` met while opening a port means (the permission, missing-port and
#: busy cases, which need more facts, are handled before this table).
_OPEN_ERRNOS: dict[int, _Builder] = {
    errno.ENOTTY: lambda device, _: not_a_port_error(device),
    errno.EISDIR: lambda device, _: not_a_port_error(device),
    errno.ENOTDIR: lambda device, _: not_a_port_error(device),
    errno.EINVAL: _settings_refused,
    errno.EIO: _io_error,
    errno.ECONNREFUSED: _refused,
    errno.ETIMEDOUT: _unreachable,
    errno.EHOSTUNREACH: _unreachable,
    errno.ENETUNREACH: _unreachable,
    errno.EHOSTDOWN: _unreachable,
    socket.EAI_NONAME: _unknown_host,
    socket.EAI_AGAIN: _unknown_host,
    **({socket.EAI_NODATA: _unknown_host} if hasattr(socket, "EAI_NODATA") else {}),
}

#: pyserial's texts without an errno (ValueError, SerialException of a URL handler),
#: lower case, and what they mean.
_OPEN_TEXTS: tuple[tuple[str, _Builder], ...] = (
    ("protocol", _bad_url),  # invalid URL, protocol 'x' not known
    ("expected a string in the form", _bad_url),
    ("port not in range", _bad_url),
    ("unknown option", _bad_url),
    ("baud", _settings_refused),  # Invalid baud rate / Not a valid baudrate
    ("remote does not accept parameter change", _remote_refuses),
    ("remote rejected value", _remote_refuses),
    ("timeout while waiting for option", _remote_refuses),
    ("timed out", _unreachable),
)

#: What pyserial's URL handlers raise (then wrap) on a URL they cannot parse.
_URL_MISTAKES = (ValueError, TypeError, KeyError)

#: ``[Errno 25]`` or ``(25, '...')``: an errno pyserial quotes in its own message.
_QUOTED_ERRNO = re.compile(r"\[Errno (-?\d+)\]|\((-?\d+), '")


def _chain(error: BaseException) -> list[BaseException]:
    """``error`` and what it wraps (``__cause__``/``__context__``): pyserial re-raises a
    ``termios.error``, a ``socket.gaierror`` or its own ValueError as a SerialException
    whose text alone no longer tells what happened."""
    chain: list[BaseException] = []
    seen: BaseException | None = error
    while seen is not None and seen not in chain:
        chain.append(seen)
        seen = seen.__cause__ or seen.__context__
    return chain


def error_code(error: BaseException) -> int | None:
    """The errno behind what pyserial raised: its own, that of the error it wraps, or
    the one its text quotes (``Could not configure port: (25, '...')``)."""
    chain = _chain(error)
    for seen in chain:
        code = getattr(seen, "errno", None)
        if code is None and seen.args and isinstance(seen.args[0], int):
            code = seen.args[0]  # termios.error(25, "...")
        if isinstance(code, int):
            return code
    for seen in chain:
        match = _QUOTED_ERRNO.search(str(seen))
        if match:
            return int(match.group(1) or match.group(2))
    return None


def classify_open_error(
    device: str,
    error: BaseException,
    *,
    baud: int | None = None,
    list_ports: Callable[[], Sequence[PortInfo]] | None = None,
    membership: Callable[[str], GroupMembership | None] = group_membership,
) -> SerialPortError:
    """Turn what opening ``device`` raised into the matching :class:`SerialPortError`,
    in French with what to do: never pyserial's English text."""
    code = error_code(error)
    text = str(error).lower()
    if code in (errno.EACCES, errno.EPERM) or "permission denied" in text:
        return permission_error(device, membership(device))
    if code in (errno.ENOENT, errno.ENODEV, errno.ENXIO) or any(
        marker in text
        for marker in ("no such file", "no ports found")  # hwgrep://
    ):
        if list_ports is None:
            from linkytool.tic.ports import list_ports as list_ports_default

            list_ports = list_ports_default
        return not_found_error(device, list_ports())
    if code == errno.EBUSY or "exclusively lock" in text or "busy" in text:
        return busy_error(device)
    if code in _OPEN_ERRNOS:
        return _OPEN_ERRNOS[code](device, baud)
    chain = _chain(error)
    texts = " ".join(str(seen).lower() for seen in chain)
    for marker, build in _OPEN_TEXTS:
        if marker in texts:
            return build(device, baud)
    if "://" in device and any(isinstance(seen, _URL_MISTAKES) for seen in chain):
        return _bad_url(device, baud)  # e.g. socket:// without a port: a TypeError
    return SerialPortError(
        f"Impossible d'ouvrir le port {device} ({_system_detail(error, code)}).",
        hint="Vérifiez le branchement de l'adaptateur et le chemin du port.",
        path=device,
        option="port",
    )


def _system_reason(code: int) -> str:
    """The system's reason for ``code`` in French (its number when not translated)."""
    return describe_os_error(OSError(code, f"erreur système n° {code}"))


def _system_detail(error: BaseException, code: int | None) -> str:
    """The last resort: the system's reason in French when there is an errno, else the
    text of an error nobody foresaw (kept for the bug report)."""
    if code is not None and code > 0:
        return _system_reason(code)
    return f"erreur inattendue : {str(error).strip() or type(error).__name__}"


#: What a read that failed means (the reason shown when the adapter goes away):
#: pyserial's text (lower case) -> French.
_READ_FAILURES: tuple[tuple[str, str], ...] = (
    ("returned no data", "plus de données, périphérique absent"),
    ("input/output error", "plus de données, périphérique absent"),
    ("errno 5]", "plus de données, périphérique absent"),
    ("socket disconnected", "connexion réseau fermée par la passerelle"),
    ("connection failed", "connexion réseau perdue"),
    ("connection reset", "connexion réseau perdue"),
    ("broken pipe", "connexion réseau perdue"),
    ("bad file descriptor", "port fermé"),
    ("not open", "port fermé"),
    ("nonetype", "port fermé"),
    ("device reports error", "le périphérique signale une erreur"),
    ("write timeout", "le port n'accepte plus d'octets"),
)


def io_failure_reason(error: BaseException) -> str:
    """Why reading (or writing) a port that was open failed, in French."""
    text = str(error).lower() or type(error).__name__.lower()
    for marker, reason in _READ_FAILURES:
        if marker in text:
            return reason
    code = error_code(error)
    if code == errno.EIO:
        return "plus de données, périphérique absent"
    if code is not None and code > 0:
        return _system_reason(code)
    return f"erreur inattendue : {str(error).strip() or type(error).__name__}"
