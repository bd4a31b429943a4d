"""The intake's QR code (fits 80×24, loses no module) and `linkytool mes intake` from
start to finish as a subprocess."""

from __future__ import annotations

import asyncio
import re
import subprocess
import sys
from pathlib import Path

import aiohttp
import pytest

from linkytool.intake.network import default_route_interface
from linkytool.intake.qr import qr_lines, qr_matrix

#: The longest URL the intake shows: IPv4 with 15 characters, a 5-digit port, the token.
LONGEST_URL = "http://192.168.100.200:65535/" + "x" * 22 + "/"


def _decode_half_blocks(lines: list[str]) -> list[list[bool]]:
    """The module matrix (True = dark) drawn by :func:`qr_lines`."""
    top = {"█": True, "▀": True, "▄": False, " ": False}
    bottom = {"█": True, "▀": False, "▄": True, " ": False}
    matrix = []
    for line in lines:
        matrix.append([not top[c] for c in line])  # drawn = light module
        matrix.append([not bottom[c] for c in line])
    return matrix


def test_the_qr_code_fits_80x24_with_the_url_and_loses_no_module() -> None:
    lines = qr_lines(LONGEST_URL)
    assert len(lines) + 2 <= 24  # + the URL and the title line
    assert max(len(line) for line in lines) <= 80
    expected = qr_matrix(LONGEST_URL, border=4)
    assert _decode_half_blocks(lines)[: len(expected)] == expected


def test_the_default_route_interface_is_read_from_the_kernel_table() -> None:
    table = (
        "Iface\tDestination\tGateway\tFlags\tRefCnt\tUse\tMetric\tMask\n"
        "wlan0\t0002A8C0\t00000000\t0001\t0\t0\t600\t00FFFFFF\n"
        "eth1\t00000000\t0102A8C0\t0003\t0\t0\t700\t00000000\n"
        "wlan0\t00000000\t0101A8C0\t0003\t0\t0\t600\t00000000\n"
        "usb0\t00000000\t0101A8C0\t0002\t0\t0\t100\t00000000\n"  # down (no RTF_UP)
    )
    assert default_route_interface(table) == "wlan0"
    assert default_route_interface("Iface\tDestination\n") is None


@pytest.mark.slow
def test_mes_intake_from_start_to_finish(dossier: Path, samples_dir: Path) -> None:
    process = subprocess.Popen(
        [sys.executable, "-m", "linkytool", "mes", "intake", str(dossier), "--bind", "127.0.0.1"],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    assert process.stderr is not None
    shown = []
    for line in process.stderr:
        shown.append(line)
        if line.startswith("http://"):
            break
    url = shown[-1].strip()
    assert re.fullmatch(r"http://127\.0\.0\.1:\d+/[\w-]{22}/", url), shown
    assert any("█" in line for line in shown)

    async def upload() -> None:
        async with aiohttp.ClientSession() as client:
            for slot, name in (("prm", "prm"), ("date", "date"), ("index", "index")):
                form = aiohttp.FormData()
                photo = (samples_dir / "photos" / f"demo-{name}.jpg").read_bytes()
                form.add_field("photo", photo, filename="IMG.jpg")
                async with client.post(url + f"photo/{slot}", data=form) as response:
                    assert response.status == 200

    asyncio.run(upload())
    out, err = process.communicate(timeout=30)
    assert process.returncode == 0, err
    assert "30002345678901" in out and "sûr" in out
    assert "Numéro de PRM : sûr : 30002345678901" in err
    assert "Les trois photos sont lues" in err
    assert "Task was destroyed" not in err and "Traceback" not in err


@pytest.mark.slow
def test_the_final_table_shows_what_the_dossier_recorded(dossier: Path, samples_dir: Path) -> None:
    """QA: a sure index (12 kWh, recorded), then the PRM's photo sent for the index: the
    table showed « Index Injection  30 002 345 678 901 kWh  à reprendre » and exit 1 while
    the dossier held 12 kWh and mes check was [ok]."""
    from linkytool.mes import ReadingField, load_dossier

    process = subprocess.Popen(
        [sys.executable, "-m", "linkytool", "mes", "intake", str(dossier), "--bind", "127.0.0.1"],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    assert process.stderr is not None
    url = next(line for line in process.stderr if line.startswith("http://")).strip()

    async def index_then_prm_on_the_index_then_close() -> None:
        async with aiohttp.ClientSession() as client:
            for name in ("index", "prm"):
                form = aiohttp.FormData()
                photo = (samples_dir / "photos" / f"demo-{name}.jpg").read_bytes()
                form.add_field("photo", photo, filename="IMG.jpg")
                async with client.post(url + "photo/index", data=form) as response:
                    assert response.status == 200
                    answer = await response.json()
                    assert answer["label"] == ("sûr" if name == "index" else "à reprendre")
            async with client.post(url + "close") as response:
                assert response.status == 200

    asyncio.run(index_then_prm_on_the_index_then_close())
    out, err = process.communicate(timeout=30)
    assert "Traceback" not in err
    recorded = load_dossier(dossier).readings.current(ReadingField.INJECTION_INDEX)
    assert recorded is not None and recorded.value == "12"
    index_line = next(line for line in out.splitlines() if "Index" in line)
    assert "12 kWh" in index_line and "sûr" in index_line, out
    assert "30 002" not in out.replace("\u202f", " ").replace("\u00a0", " ")
    assert "dernière photo : autre écran" in index_line, out


@pytest.mark.slow
def test_ctrl_c_after_a_photo_ends_cleanly(dossier: Path, samples_dir: Path) -> None:
    """QA: asyncio's « Task was destroyed but it is pending! » on stderr after Ctrl+C."""
    import signal

    process = subprocess.Popen(
        [sys.executable, "-m", "linkytool", "mes", "intake", str(dossier), "--bind", "127.0.0.1"],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    assert process.stderr is not None
    url = next(line for line in process.stderr if line.startswith("http://")).strip()

    async def one_photo_then_ctrl_c() -> None:
        async with aiohttp.ClientSession() as client:  # the phone's connection stays open
            async with client.get(url) as page:
                assert page.status == 200
            form = aiohttp.FormData()
            photo = (samples_dir / "photos" / "demo-prm.jpg").read_bytes()
            form.add_field("photo", photo, filename="IMG.jpg")
            async with client.post(url + "photo/prm", data=form) as response:
                assert response.status == 200
            process.send_signal(signal.SIGINT)
            await asyncio.get_running_loop().run_in_executor(None, process.wait, 30)

    asyncio.run(one_photo_then_ctrl_c())
    out, err = process.communicate(timeout=30)
    assert process.returncode == 130, err
    assert "Réception fermée au poste (Ctrl+C)." in err
    assert "30002345678901" in out and "pas de photo" in out
    assert "Task was destroyed" not in err and "Traceback" not in err and "Interrompu" not in err


def test_the_readings_are_shown_as_people_read_them() -> None:
    """QA: `mes intake` printed « Date courante : sûr : 2026-11-20T14:32 »."""
    from types import SimpleNamespace

    from linkytool.cli.intake import _describe
    from linkytool.intake import SLOTS, EventKind

    labels = {slot.name: slot.label for slot in SLOTS}
    fields = {slot.name: slot.field for slot in SLOTS}
    shown = {}
    for slot, value in zip(SLOTS, ("30002345678901", "2026-11-20T14:32", "12"), strict=True):
        outcome = SimpleNamespace(recorded=True, confident=True, value=value)
        event = SimpleNamespace(kind=EventKind.READ, slot=slot.name, outcome=outcome)
        shown[slot.field.value] = _describe(event, labels, fields)
    assert shown["prm"].endswith(": sûr : 30002345678901")
    assert shown["date"].endswith(": sûr : 20/11/2026 14:32")
    assert shown["injection_index"].endswith(": sûr : 12 kWh")


def test_ctrl_c_while_the_qr_code_is_shown_stops_the_server_and_shows_the_readings(
    dossier: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """QA: a Ctrl+C in the first moments (while the QR code was printed) escaped the
    command: « Interrompu. », no table, and the server thread still running at exit (its
    asyncio tasks then reported « Task was destroyed but it is pending! »)."""
    import threading

    from click.testing import CliRunner

    from linkytool.cli import cli
    from linkytool.intake import IntakeServer

    def interrupted(self: IntakeServer, max_lines: int = 21) -> list[str]:
        raise KeyboardInterrupt

    monkeypatch.setattr(IntakeServer, "qr_lines", interrupted)
    result = CliRunner().invoke(cli, ["mes", "intake", str(dossier), "--bind", "127.0.0.1"])
    assert result.exit_code == 130, result.output
    assert "Réception fermée au poste (Ctrl+C)." in result.stderr
    assert "Interrompu." not in result.stderr
    assert "Numéro de PRM" in result.stdout and "pas de photo" in result.stdout
    assert not [t for t in threading.enumerate() if t.name == "linkytool-intake"]


def test_the_help_says_plainly_what_dossier_is() -> None:
    """QA: « enregistrée dans le dossier de DOSSIER » (a folder of a dossier?)."""
    from click.testing import CliRunner

    from linkytool.cli import cli

    shown = " ".join(CliRunner().invoke(cli, ["mes", "intake", "--help"]).output.split())
    assert "DOSSIER est le fichier du dossier de mise en service (.toml" in shown
    assert "dans le même répertoire que DOSSIER" in shown
    assert "dossier de DOSSIER" not in shown


def test_a_port_taken_is_a_port_that_cannot_be_used(dossier: Path) -> None:
    """QA (with `serve`): a port taken exited 3, « an input file » in README's table; it
    is a port that cannot be used: 4."""
    import socket

    from click.testing import CliRunner

    from linkytool.cli import cli

    with socket.create_server(("127.0.0.1", 0)) as taken:
        port = str(taken.getsockname()[1])
        result = CliRunner().invoke(
            cli, ["mes", "intake", str(dossier), "--bind", "127.0.0.1", "--port", port]
        )
    assert result.exit_code == 4, result.output
    assert "ce port est déjà utilisé" in result.stderr and "Traceback" not in result.output
