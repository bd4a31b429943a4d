"""French diagnostics when a port cannot be opened (permission, missing, busy)."""

from __future__ import annotations

import errno
import grp
import os
import re
import socket
from collections.abc import Callable
from pathlib import Path

import pytest
from click.testing import CliRunner

from linkytool.cli import cli
from linkytool.errors import ExitCode
from linkytool.tic.ports import PortInfo
from linkytool.tic.serial_errors import (
    GroupMembership,
    NetworkPortError,
    NotASerialPortError,
    PortBusyError,
    PortNotFoundError,
    PortPermissionError,
    PortSettingsError,
    SerialPortError,
    classify_open_error,
    group_membership,
    io_failure_reason,
    permission_error,
)
from linkytool.tic.serialio import open_port

ADAPTER = PortInfo("/dev/ttyUSB0", "/dev/serial/by-id/usb-FTDI_TIC", "0403:6015", "TIC")


def membership(group: str, *, session: bool, listed: bool) -> GroupMembership:
    return GroupMembership(
        group=group, gid=20, in_session=session, in_group_file=listed, user="marie"
    )


@pytest.mark.parametrize("group", ["dialout", "uucp"])
def test_not_a_member_gets_the_usermod_command_for_the_devices_group(group: str) -> None:
    error = permission_error("/dev/ttyUSB0", membership(group, session=False, listed=False))
    text = str(error)
    assert f"groupe {group}" in text and "marie" in text and "n'en fait pas partie" in text
    assert f"sudo usermod -aG {group} $USER" in text
    assert "déconnectez-vous" in text
    assert "chmod" not in text
    assert error.exit_code == ExitCode.DEVICE


def test_member_since_this_login_is_told_to_log_out_and_in() -> None:
    text = str(permission_error("/dev/ttyUSB0", membership("dialout", session=False, listed=True)))
    assert "est bien membre du groupe dialout" in text
    assert "Déconnectez-vous puis reconnectez-vous" in text and "newgrp dialout" in text
    assert "usermod" not in text and "chmod" not in text


def test_member_in_session_is_pointed_at_other_causes() -> None:
    text = str(permission_error("/dev/ttyUSB0", membership("dialout", session=True, listed=True)))
    assert "est membre du groupe dialout" in text and "chmod" not in text


def test_root_owned_device_and_unknown_owner() -> None:
    root = GroupMembership("root", 0, in_session=False, in_group_file=False, user="marie")
    assert "groupe root" in str(permission_error("/dev/ttyUSB0", root))
    unknown = str(permission_error("/dev/ttyUSB0", None))
    assert "usermod -aG dialout" in unknown and "uucp" in unknown and "chmod" not in unknown


def test_group_membership_reads_the_devices_group(tmp_path: Path) -> None:
    dialout = grp.getgrnam("dialout")
    fake = os.stat_result((0o20660, 0, 0, 1, 0, dialout.gr_gid, 0, 0, 0, 0))
    found = group_membership(
        "/dev/ttyUSB0", stat=lambda _: fake, session_groups=lambda: [], user="nobody-here"
    )
    assert found is not None
    assert found.group == "dialout" and not found.in_session and not found.in_group_file
    in_session = group_membership(
        "/dev/ttyUSB0", stat=lambda _: fake, session_groups=lambda: [dialout.gr_gid]
    )
    assert in_session is not None and in_session.in_session
    assert group_membership(str(tmp_path / "absent")) is None


def test_classify_permission_denied_uses_the_membership() -> None:
    error = classify_open_error(
        "/dev/ttyUSB0",
        OSError(errno.EACCES, "Permission denied"),
        membership=lambda _: membership("uucp", session=False, listed=False),
    )
    assert isinstance(error, PortPermissionError)
    assert "sudo usermod -aG uucp $USER" in str(error)


def test_classify_missing_port_lists_present_ports() -> None:
    error = classify_open_error(
        "/dev/ttyUSB7",
        OSError(errno.ENOENT, "No such file or directory"),
        list_ports=lambda: [ADAPTER],
    )
    assert isinstance(error, PortNotFoundError)
    assert "/dev/ttyUSB7 n'existe pas" in str(error) and ADAPTER.path in str(error)


def test_classify_busy_and_other_errors() -> None:
    busy = classify_open_error("/dev/ttyUSB0", OSError(errno.EBUSY, "Device or resource busy"))
    assert isinstance(busy, PortBusyError) and "déjà utilisé" in str(busy)
    locked = classify_open_error("/dev/ttyUSB0", OSError("Could not exclusively lock port"))
    assert isinstance(locked, PortBusyError)
    other = classify_open_error("/dev/ttyUSB0", OSError(errno.EXDEV, "Invalid cross-device link"))
    assert type(other) is SerialPortError and "Impossible d'ouvrir le port" in str(other)


def test_open_port_missing_device_raises_device_error(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr("linkytool.tic.ports.list_ports", lambda: [ADAPTER])
    with pytest.raises(PortNotFoundError) as caught:
        open_port(str(tmp_path / "ttyUSB9"), 9600)
    assert ADAPTER.path in str(caught.value)


def test_open_port_permission_denied_is_diagnosed(monkeypatch: pytest.MonkeyPatch) -> None:
    import serial

    def refuse(url: str, **_: object) -> None:
        raise serial.SerialException(errno.EACCES, f"could not open port {url}: Permission denied")

    monkeypatch.setattr(serial, "serial_for_url", refuse)
    monkeypatch.setattr(
        "linkytool.tic.serial_errors.group_membership",
        lambda device: membership("dialout", session=False, listed=False),
    )
    with pytest.raises(PortPermissionError) as caught:
        open_port("/dev/ttyUSB0", 9600)
    assert "sudo usermod -aG dialout $USER" in str(caught.value)


def test_open_port_is_7e1() -> None:
    port = open_port("loop://", 1200)
    try:
        assert (port.bytesize, port.parity, port.stopbits, port.baudrate) == (7, "E", 1, 1200)
    finally:
        port.close()


def test_read_command_missing_port_exits_with_device_code(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr("linkytool.tic.ports.list_ports", lambda: [ADAPTER])
    result = CliRunner().invoke(cli, ["tic", "read", "--port", str(tmp_path / "nope")])
    assert result.exit_code == ExitCode.DEVICE
    assert "n'existe pas" in result.stderr and ADAPTER.path in result.stderr
    assert "Traceback" not in result.output


def test_read_command_without_adapter_says_so(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr("linkytool.tic.ports.list_ports", list)
    result = CliRunner().invoke(cli, ["tic", "read"])
    assert result.exit_code == ExitCode.DEVICE
    assert "Aucun adaptateur USB détecté" in result.stderr


def test_open_port_termios_refusal_is_a_device_error(monkeypatch: pytest.MonkeyPatch) -> None:
    """A pty whose master is gone makes pyserial raise termios.error (not an OSError)."""
    import termios

    import serial

    def refuse(url: str, **_: object) -> None:
        raise termios.error(22, "Invalid argument")

    monkeypatch.setattr(serial, "serial_for_url", refuse)
    with pytest.raises(SerialPortError) as caught:
        open_port("/dev/pts/99", 9600)
    assert caught.value.exit_code == ExitCode.DEVICE
    assert "Le port /dev/pts/99 refuse les réglages de la TIC" in str(caught.value)


#: pyserial's English, as it reached the user before (« Could not configure port: (25,
#: 'Inappropriate ioctl for device') »).
ENGLISH = re.compile(
    r"could not|errno|inappropriate|invalid|not known|refused|expected|service|"
    r"not supported|protocol|debug\|info",
    re.IGNORECASE,
)


def assert_french(error: SerialPortError) -> None:
    text = str(error)
    assert not ENGLISH.search(text), text
    assert error.hint and error.exit_code == ExitCode.DEVICE


def test_read_command_on_a_file_says_it_is_not_a_port_and_how_to_decode(tmp_path: Path) -> None:
    """``tic read --port site.tic`` printed « Could not configure port: (25,
    'Inappropriate ioctl for device') »."""
    capture = tmp_path / "mon site.tic"
    capture.write_bytes(b"\x02\nADSC 041864123456 ?\r\x03")
    result = CliRunner().invoke(cli, ["tic", "read", "--port", str(capture)])
    assert result.exit_code == ExitCode.DEVICE
    assert f"{capture} n'est pas un port série mais un fichier" in result.stderr
    assert f"linkytool tic decode '{capture}'" in result.stderr
    assert not ENGLISH.search(result.stderr) and "Traceback" not in result.output


@pytest.mark.parametrize(
    ("port", "kind", "words"),
    [
        ("{tmp}", NotASerialPortError, "est un dossier, pas un port série"),
        ("/dev/null", NotASerialPortError, "n'est pas un port série"),
        ("foo://bar", SerialPortError, "n'est pas une adresse de port valable"),
        ("socket://", SerialPortError, "n'est pas une adresse de port valable"),
        ("socket://127.0.0.1:99999", SerialPortError, "n'est pas une adresse de port valable"),
        ("loop://?bad=1", SerialPortError, "n'est pas une adresse de port valable"),
        ("socket://127.0.0.1:{closed}", NetworkPortError, "Connexion refusée par 127.0.0.1:"),
    ],
)
def test_every_way_pyserial_refuses_a_port_is_said_in_french(
    tmp_path: Path, port: str, kind: type[SerialPortError], words: str
) -> None:
    """Real pyserial refusals, each turned into a French message that says what to do."""
    import socket

    with socket.socket() as unused:  # a local port nobody listens on
        unused.bind(("127.0.0.1", 0))
        closed = unused.getsockname()[1]
    url = port.format(tmp=tmp_path, closed=closed)
    with pytest.raises(SerialPortError) as caught:
        open_port(url, 9600).close()
    assert isinstance(caught.value, kind) and words in str(caught.value)
    assert_french(caught.value)


@pytest.mark.parametrize(
    ("raised", "kind", "words"),
    [
        # as rfc2217:// and socket:// wrap a failed name lookup
        (lambda: socket_error(socket.gaierror(-2, "Name or service not known")),
         NetworkPortError, "Hôte introuvable"),
        (lambda: socket_error(TimeoutError(errno.ETIMEDOUT, "timed out")),
         NetworkPortError, "ne répond pas"),
        (lambda: serial_error("Could not configure port: (22, 'Invalid argument')"),
         PortSettingsError, "refuse les réglages de la TIC (9600 bauds"),
        (lambda: ValueError("Invalid baud rate: 12345"),
         PortSettingsError, "refuse les réglages de la TIC"),
        (lambda: serial_error("Remote does not accept parameter change (RFC2217): ['x']"),
         NetworkPortError, "refuse les réglages de la TIC"),
        (lambda: serial_error("Could not configure port: (5, 'Input/output error')"),
         SerialPortError, "ne répond pas (erreur d'entrée-sortie)"),
        (lambda: serial_error("Could not exclusively lock port /dev/ttyUSB0: [Errno 11] "
                              "Resource temporarily unavailable"),
         PortBusyError, "déjà utilisé par un autre programme."),
    ],
)  # fmt: skip
def test_wrapped_pyserial_errors_are_told_by_their_cause(
    raised: Callable[[], BaseException], kind: type[SerialPortError], words: str
) -> None:
    error = classify_open_error("rfc2217://passerelle:2217", raised(), baud=9600)
    assert isinstance(error, kind) and words in str(error), str(error)
    assert_french(error)


def serial_error(text: str) -> BaseException:
    import serial

    return serial.SerialException(text)


def socket_error(cause: BaseException) -> BaseException:
    """What pyserial's network handlers raise: their SerialException over ``cause``."""
    import serial

    try:
        try:
            raise cause
        except Exception as error:
            raise serial.SerialException(f"Could not open port x: {error}") from None
    except serial.SerialException as wrapped:
        wrapped.__context__ = cause
        return wrapped


@pytest.mark.parametrize(
    ("raised", "reason"),
    [
        (OSError(errno.EIO, "Input/output error"), "plus de données, périphérique absent"),
        (serial_error("device reports readiness to read but returned no data (device "
                      "disconnected or multiple access on port?)"),
         "plus de données, périphérique absent"),
        (serial_error("socket disconnected"), "connexion réseau fermée par la passerelle"),
        (serial_error("read failed: [Errno 9] Bad file descriptor"), "port fermé"),
        (TypeError("'NoneType' object cannot be interpreted as an integer"), "port fermé"),
        (serial_error("Write timeout"), "le port n'accepte plus d'octets"),
        (serial_error("read failed: [Errno 71] Protocol error"), "erreur système n° 71"),
    ],
)  # fmt: skip
def test_a_port_failing_while_read_is_said_in_french(raised: BaseException, reason: str) -> None:
    text = io_failure_reason(raised)
    assert text.startswith(reason) or reason in text, text
    assert not ENGLISH.search(text), text


def test_simulator_writing_to_a_dead_port_is_a_french_error() -> None:
    from linkytool.tic.sim_serve import PortSink

    sink = PortSink("loop://", 9600)
    sink._port.close()
    with pytest.raises(SerialPortError) as caught:
        sink.write(b"x", wait=True)
    assert "Écriture impossible sur le port loop:// : port fermé." in str(caught.value)
