"""French diagnostics when a port cannot be opened (permission, missing, busy)."""

from __future__ import annotations

import errno
import grp
import os
from pathlib import Path

import pytest
from click.testing import CliRunner

from linkytool.cli import cli
from linkytool.errors import ExitCode
from linkytool.tic.ports import PortInfo
from linkytool.tic.serial_errors import (
    GroupMembership,
    PortBusyError,
    PortNotFoundError,
    PortPermissionError,
    SerialPortError,
    classify_open_error,
    group_membership,
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
    other = classify_open_error("socket://x:1", OSError("Connection refused"))
    assert type(other) is SerialPortError and "Connection refused" in str(other)


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
    assert "Impossible d'ouvrir le port /dev/pts/99" in str(caught.value)
