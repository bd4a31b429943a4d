"""`linkytool tic decode`: formats, stdin, exit codes."""

from __future__ import annotations

import csv
import io
import json
import subprocess
import sys
from pathlib import Path

import pytest
from click.testing import CliRunner

from linkytool.cli import cli
from linkytool.tic import TicMode, encode_frame

from .helpers import standard_frame


def run(*args: str, stdin: bytes | None = None) -> tuple[int, str, str]:
    result = CliRunner().invoke(cli, ["tic", "decode", *args], input=stdin)
    return result.exit_code, result.stdout, result.stderr


def test_jsonl_one_object_per_frame(samples_real: Path) -> None:
    code, out, err = run(
        str(samples_real / "tic" / "pyteleinfo-historique-tempo.bin"), "--format", "jsonl"
    )
    assert code == 0, err
    objects = [json.loads(line) for line in out.splitlines()]
    assert len(objects) == 4
    first = objects[0]
    assert set(first) >= {"time", "mode", "meter", "valid", "groups", "errors"}
    assert first["mode"] == "historique" and first["meter"] == "021861348497"
    assert first["valid"] is True and first["errors"] == []
    assert first["groups"]["PAPP"] == {"raw": "02830", "value": 2830, "unit": "VA"}
    assert "Mode TIC : historique" in err  # summary on stderr, data on stdout


def test_jsonl_standard_horodate_and_structured_values(samples_real: Path) -> None:
    code, out, _ = run(
        str(samples_real / "tic" / "goteleinfo-standard-mono.bin"), "--format", "jsonl"
    )
    assert code == 0
    (frame,) = [json.loads(line) for line in out.splitlines()]
    smaxsn = frame["groups"]["SMAXSN"]
    assert smaxsn["horodate"] == {
        "raw": "H191203032158",
        "time": "2019-12-03T03:21:58+01:00",
        "degraded": False,
    }
    assert frame["groups"]["STGE"]["value"]["hex"] == "003A8000"
    assert frame["groups"]["STGE"]["value"]["producer"] == 0


def test_csv_one_row_per_group_header_once(samples_real: Path) -> None:
    code, out, _ = run(
        str(samples_real / "tic" / "logisdom-standard-producer-mono.txt"), "--format", "csv"
    )
    assert code == 0  # 6 bad of 180 = 3.3 % < 5 %
    rows = list(csv.DictReader(io.StringIO(out)))
    assert len(rows) == 180
    assert sum(row["status"] == "ok" for row in rows) == 174
    assert {row["label"] for row in rows if row["status"] != "ok"} == {"EP*PREF", "ok", "PJOURF+1"}


def test_table_mentions_consumer_mode(samples_real: Path) -> None:
    code, out, _ = run(str(samples_real / "tic" / "goteleinfo-standard-mono.bin"))
    assert code == 0
    assert "mode consommateur" in out and "photo" in out
    assert "01234567890123" in out


def test_stdin_dash() -> None:
    code, out, _ = run("-", "--format", "jsonl", stdin=standard_frame() * 3)
    assert code == 0 and len(out.splitlines()) == 3


def test_checksum_error_rate_exit_code_1() -> None:
    bad = standard_frame().replace(b"EAST\t001234567", b"EAST\t001234568")
    code, _, err = run("-", "--format", "jsonl", "--max-error-rate", "0.01", stdin=bad)
    assert code == 1
    assert "rejeté" in err
    code, _, _ = run("-", "--format", "jsonl", "--max-error-rate", "0.5", stdin=bad)
    assert code == 0


def test_missing_file_exit_3(tmp_path: Path) -> None:
    code, out, err = run(str(tmp_path / "absent.bin"))
    assert code == 3 and out == ""
    assert "introuvable" in err and "Traceback" not in err


def test_file_without_tic_exit_3(tmp_path: Path) -> None:
    path = tmp_path / "empty.bin"
    path.write_bytes(b"")
    code, _, err = run(str(path))
    assert code == 3 and "Aucune trame" in err
    path.write_bytes(bytes(range(256)) * 4)
    code, _, _ = run(str(path))
    assert code in {1, 3}  # binary noise: no frame or only rejected groups


def test_recording_file(tmp_path: Path) -> None:
    header = (
        b'#LINKYTOOL-TIC-RECORDING 1 {"mode": "historique", "baud": 1200, '
        b'"start": "2026-11-20T14:32:00+01:00"}\n'
    )
    path = tmp_path / "rec.tic"
    frame = encode_frame([("ADCO", "021528603314"), ("PAPP", "00180")], TicMode.HISTORIQUE)
    path.write_bytes(header + frame * 2)
    code, out, _ = run(str(path), "--format", "jsonl")
    assert code == 0 and len(out.splitlines()) == 2


@pytest.mark.skipif(not Path("/dev/full").exists(), reason="needs /dev/full")
def test_full_disk_is_a_french_error_exit_6(samples_dir: Path) -> None:
    with open("/dev/full", "w") as full:
        result = subprocess.run(
            [sys.executable, "-m", "linkytool", "tic", "decode", "--format", "jsonl",
             str(samples_dir / "tic" / "damaged-standard.bin")],
            stdout=full, stderr=subprocess.PIPE, text=True, check=False,
        )  # fmt: skip
    assert result.returncode == 6
    assert "Écriture impossible" in result.stderr and "Traceback" not in result.stderr


def test_closed_pipe_stops_quietly(tmp_path: Path) -> None:
    big = tmp_path / "big.bin"
    big.write_bytes(standard_frame() * 3000)  # far more than a pipe buffer of JSON lines
    process = subprocess.Popen(
        [sys.executable, "-m", "linkytool", "tic", "decode", "--format", "jsonl", str(big)],
        stdout=subprocess.PIPE, stderr=subprocess.PIPE,
    )  # fmt: skip
    assert process.stdout is not None and process.stderr is not None
    process.stdout.read(10)
    process.stdout.close()
    error = process.stderr.read().decode()
    assert process.wait(timeout=60) == 0
    assert "Traceback" not in error


def test_table_lists_head_anomalies_and_last_frame() -> None:
    bad = standard_frame().replace(b"EAST\t001234567", b"EAST\t001234568")
    stream = standard_frame() * 60 + bad + standard_frame() * 20
    code, out, _ = run("-", stdin=stream)
    assert code == 0
    listed = [line.split()[0] for line in out.splitlines() if line[:1].isdigit()]
    assert listed == [str(n) for n in range(1, 51)] + ["61", "81"]
    assert "29 trame(s) valide(s) non affichée(s)" in out
    code, out, _ = run("-", "--all", stdin=stream)
    assert len([line for line in out.splitlines() if line[:1].isdigit()]) == 81


def test_decode_and_read_show_an_index_the_same_french_way() -> None:
    """The frame table of ``tic decode`` showed ``Index [Wh] 1234567`` while ``tic read``
    showed ``1 234 567 Wh``: both now group digits and give the unit, from one function."""
    from datetime import UTC, datetime

    from linkytool.tic import Frame, decode_bytes
    from linkytool.tic.serial_live import LiveSession
    from linkytool.tic.serialio import FrameReceived

    code, out, _ = run("-", stdin=standard_frame() * 2)
    assert code == 0
    header, _, first = out.splitlines()[:3]
    assert "Index [Wh]" not in header and "1234567" not in out
    assert "1\u202f234\u202f567 Wh" in first and "519 VA" in first
    shown: list[str] = []
    live = LiveSession("table", shown.append, lambda _: None, port="P")
    for event in decode_bytes(standard_frame() * 2):
        if isinstance(event, Frame):
            live.handle(FrameReceived(event, datetime(2026, 11, 20, tzinfo=UTC)))
    live.finish()
    (read_row,) = [line for line in shown[-1].splitlines() if "(EAST)" in line]
    (decode_row,) = [line for line in out.splitlines() if "(EAST)" in line]
    assert read_row.split(")", 1)[1].strip() == "1\u202f234\u202f567 Wh"
    assert decode_row == read_row


@pytest.mark.parametrize(
    ("name", "row"),
    [
        (
            "pyteleinfo-historique-tempo.bin",
            "Énergie soutirée (total des index) 47 371 473 Wh = BBRHCJB + BBRHPJB + BBRHCJW"
            " + BBRHPJW + BBRHCJR + BBRHPJR",
        ),
        (
            "teleinfo-test-historique-hc.txt",
            "Énergie soutirée (total des index) 2 465 612 Wh = HCHC + HCHP",
        ),
        ("nextdom-issue24-historique-tri-base.txt", "Énergie soutirée (BASE) 73 260 524 Wh"),
        ("goteleinfo-standard-mono.bin", "Énergie soutirée (EAST) 17 026 175 Wh"),
    ],
)
def test_the_energy_drawn_is_labelled_by_what_it_is(
    samples_real: Path, name: str, row: str
) -> None:
    """Historique mode has no EAST: the summary said « Énergie soutirée (EAST) » for the
    sum of the six Tempo indexes; it names the index, or the indexes it adds."""
    code, out, err = run(str(samples_real / "tic" / name))
    assert code == 0, err
    # spaces of any kind (column padding, digit grouping) as one
    lines = [" ".join(line.split()) for line in out.splitlines()]
    assert [line for line in lines if line.startswith("Énergie soutirée")] == [row]
    if "historique" in name:
        assert "EAST" not in out


def test_jsonl_gives_the_stge_tariffs_as_indexes_like_ntarf(samples_real: Path) -> None:
    """The jsonl gave STGE's tariffs as the bits' 0-based value (« supplier_tariff »: 0)
    beside NTARF's 1-based index (1), nothing saying so: now the index, named so."""
    code, out, _ = run(
        str(samples_real / "tic" / "goteleinfo-standard-mono.bin"), "--format", "jsonl"
    )
    assert code == 0
    (frame,) = [json.loads(line) for line in out.splitlines()]
    stge = frame["groups"]["STGE"]["value"]
    assert stge["supplier_tariff_index"] == frame["groups"]["NTARF"]["value"] == 1
    assert stge["distributor_tariff_index"] == 3  # 003A8000: bits 14-15 = 2
    assert "supplier_tariff" not in stge and "distributor_tariff" not in stge
