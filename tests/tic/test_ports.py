"""Port listing: by-id resolution, sorting, choosing the adapter, `tic ports`."""

from __future__ import annotations

import json
from pathlib import Path
from types import SimpleNamespace

import pytest
from click.testing import CliRunner

from linkytool.cli import cli
from linkytool.errors import ExitCode
from linkytool.tic.ports import (
    PortInfo,
    by_id_links,
    describe_ports,
    port_info_from_pyserial,
    sort_ports,
    usb_adapters,
)
from linkytool.tic.serial_errors import PortChoiceError
from linkytool.tic.serialio import choose_port

FTDI = PortInfo(
    device="/dev/ttyUSB1",
    by_id="/dev/serial/by-id/usb-FTDI_TIC-if00-port0",
    vid_pid="0403:6015",
    description="µTeleinfo",
)
CP210X = PortInfo(device="/dev/ttyUSB10", by_id=None, vid_pid="10c4:ea60", description="CP2102")
BUILTIN = PortInfo(device="/dev/ttyS0", by_id=None, vid_pid=None, description="port série")


def raw_port(**fields: object) -> SimpleNamespace:
    base: dict[str, object] = {
        "device": "/dev/ttyUSB0",
        "vid": None,
        "pid": None,
        "description": "n/a",
        "manufacturer": None,
        "serial_number": None,
    }
    base.update(fields)
    return SimpleNamespace(**base)


def test_by_id_links_resolve_symlinks_to_devices(tmp_path: Path) -> None:
    device = tmp_path / "ttyUSB0"
    device.write_text("")
    (tmp_path / "by-id").mkdir()
    (tmp_path / "by-id" / "usb-FTDI_TIC-if00").symlink_to(device)
    assert by_id_links(tmp_path / "by-id") == {
        str(device): str(tmp_path / "by-id" / "usb-FTDI_TIC-if00")
    }
    assert by_id_links(tmp_path / "missing") == {}


def test_port_info_from_pyserial_uses_by_id_and_vid_pid(tmp_path: Path) -> None:
    raw = raw_port(device=str(tmp_path / "ttyUSB0"), vid=0x0403, pid=0x6015, description="FT230X")
    info = port_info_from_pyserial(raw, {str(tmp_path / "ttyUSB0"): "/dev/serial/by-id/x"})
    assert info.vid_pid == "0403:6015"
    assert info.path == "/dev/serial/by-id/x"
    assert info.usb and info.known_bridge == "FTDI FT230X/FT231X"


def test_port_info_names_the_bridge_when_the_adapter_does_not_describe_itself() -> None:
    info = port_info_from_pyserial(raw_port(vid=0x1A86, pid=0x7523, description="ttyUSB0"), {})
    assert info.description == "WCH CH340"
    assert port_info_from_pyserial(raw_port(device="/dev/ttyS0"), {}).description == "port série"


def test_sort_puts_usb_first_in_natural_order() -> None:
    second = PortInfo("/dev/ttyUSB2", None, "0403:6001", "FT232R")
    assert sort_ports([BUILTIN, CP210X, second]) == [second, CP210X, BUILTIN]
    assert usb_adapters([BUILTIN, CP210X]) == [CP210X]


def test_describe_ports_lists_paths_and_identities() -> None:
    text = describe_ports([FTDI, BUILTIN])
    assert "/dev/serial/by-id/usb-FTDI_TIC-if00-port0 → /dev/ttyUSB1" in text
    assert "0403:6015" in text and "/dev/ttyS0" in text
    assert "aucun port" in describe_ports([])


def test_choose_port_takes_the_only_usb_adapter() -> None:
    said: list[str] = []
    assert choose_port(said.append, list_ports=lambda: [FTDI, BUILTIN]) == FTDI.by_id
    assert "Adaptateur détecté" in said[0]


def test_choose_port_without_adapter_lists_present_ports() -> None:
    with pytest.raises(PortChoiceError) as caught:
        choose_port(print, list_ports=lambda: [BUILTIN])
    assert caught.value.exit_code == ExitCode.DEVICE
    assert "Aucun adaptateur USB" in str(caught.value) and "/dev/ttyS0" in str(caught.value)


def test_choose_port_with_several_adapters_asks_which() -> None:
    with pytest.raises(PortChoiceError) as caught:
        choose_port(print, list_ports=lambda: [FTDI, CP210X])
    message = str(caught.value)
    assert "2 adaptateurs" in message and FTDI.path in message
    # the core names the setting, not a command-line flag: the CLI words "--port"
    assert caught.value.option == "port" and "--port" not in message


def test_tic_read_without_port_among_two_adapters_names_the_flag(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setattr("linkytool.tic.ports.list_ports", lambda: [FTDI, CP210X])
    result = CliRunner().invoke(cli, ["tic", "read"])
    assert result.exit_code == ExitCode.DEVICE
    assert "2 adaptateurs" in result.stderr and "--port" in result.stderr


def test_tic_ports_json(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr("linkytool.tic.ports.list_ports", lambda: [FTDI, BUILTIN])
    result = CliRunner().invoke(cli, ["tic", "ports", "--format", "json"])
    assert result.exit_code == 0, result.output
    rows = json.loads(result.stdout)
    assert [row["path"] for row in rows] == [FTDI.by_id, "/dev/ttyS0"]
    assert rows[0]["vid_pid"] == "0403:6015" and rows[0]["device"] == "/dev/ttyUSB1"


def test_tic_ports_table_and_empty(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr("linkytool.tic.ports.list_ports", lambda: [FTDI])
    result = CliRunner().invoke(cli, ["tic", "ports"])
    assert result.exit_code == 0 and "VID:PID" in result.stdout and FTDI.path in result.stdout
    monkeypatch.setattr("linkytool.tic.ports.list_ports", list)
    result = CliRunner().invoke(cli, ["tic", "ports"])
    assert result.exit_code == 0 and result.stdout == ""
    assert "Aucun port série" in result.stderr


def test_enumeration_goes_from_pyserial_to_sorted_ports_with_by_id_paths(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """list_ports end to end on a fake machine: pyserial's comports (one built-in port,
    one FTDI adapter) and a udev by-id directory (was: 'does not crash', which passed on
    any machine without ports)."""
    import serial.tools.list_ports

    from linkytool.tic import ports

    adapter = tmp_path / "ttyUSB3"
    adapter.touch()
    by_id = tmp_path / "by-id"
    by_id.mkdir()
    (by_id / "usb-FTDI_TIC-if00-port0").symlink_to(adapter)
    found = [
        raw_port(device="/dev/ttyS0"),
        raw_port(device=str(adapter), vid=0x0403, pid=0x6015, description="ttyUSB3"),
    ]
    monkeypatch.setattr(serial.tools.list_ports, "comports", lambda: found)
    monkeypatch.setattr(ports, "by_id_links", lambda: by_id_links(by_id))
    listed = ports.list_ports()
    assert [port.device for port in listed] == [str(adapter), "/dev/ttyS0"]
    assert listed[0].path == str(by_id / "usb-FTDI_TIC-if00-port0")
    assert listed[0].usb and listed[0].description == "FTDI FT230X/FT231X"
    assert not listed[1].usb and listed[1].by_id is None
