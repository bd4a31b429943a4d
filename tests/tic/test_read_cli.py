"""`tic read` rendering (LiveSession) and `tic simulate` to stdout."""

from __future__ import annotations

import json
from datetime import UTC, datetime

import pytest
from click.testing import CliRunner

from linkytool.cli import cli
from linkytool.tic import Frame, decode_bytes
from linkytool.tic.report import reading_notes
from linkytool.tic.serial_live import CLEAR, REFRESH_S, LiveSession
from linkytool.tic.serialio import (
    Disconnected,
    FrameReceived,
    ModeDetected,
    NoSignal,
    ReaderEvent,
)
from linkytool.tic.simulator import MeterSimulator

RECEIVED = datetime(2026, 11, 20, 13, 32, 30, tzinfo=UTC)


def frames(count: int, **options: object) -> list[Frame]:
    simulator = MeterSimulator(seed=1, start=datetime(2026, 11, 20, 14, 32), **options)  # type: ignore[arg-type]
    data = b"".join(simulator.next_frame() for _ in range(count))
    return [event for event in decode_bytes(data) if isinstance(event, Frame)]


def session(output_format: str, *, live: bool = False) -> tuple[LiveSession, list[str], list[str]]:
    out: list[str] = []
    err: list[str] = []
    return LiveSession(output_format, out.append, err.append, live_table=live, port="P"), out, err


def test_jsonl_is_one_object_per_frame_as_specified() -> None:
    live, out, err = session("jsonl")
    for frame in frames(2):
        live.handle(FrameReceived(frame, RECEIVED))
    objects = [json.loads(line) for line in out]
    assert len(objects) == 2
    first = objects[0]
    assert first["time"] == RECEIVED.isoformat() and first["mode"] == "standard"
    assert first["meter"] == "041864123456" and first["valid"] is True
    assert first["groups"]["EAST"]["unit"] == "Wh" and isinstance(
        first["groups"]["EAST"]["value"], int
    )
    assert first["groups"]["SMAXSN"]["horodate"]["raw"].startswith("H")
    assert first["errors"] == []
    reading = live.finish()
    assert reading.frames == 2 and any("PRM" in line for line in err)
    assert any("mode consommateur" in line for line in err)


def test_csv_has_one_header_then_one_row_per_group() -> None:
    live, out, _ = session("csv")
    for frame in frames(2):
        live.handle(FrameReceived(frame, RECEIVED))
    lines = "\n".join(out).splitlines()
    assert lines[0].startswith("frame,time,mode,meter,label")
    assert sum(line.startswith("frame,") for line in lines) == 1
    assert any(",PRM,30002345678901," in line for line in lines)


def test_table_final_summary_and_drift_from_the_host_clock() -> None:
    live, out, err = session("table")
    live.handle(ModeDetected(None, 9600, 0.2))
    for frame in frames(2):
        live.handle(FrameReceived(frame, RECEIVED))
    assert out == []  # not a terminal: one summary at the end
    live.finish()
    text = out[-1]
    assert "30002345678901" in text and "Statuts (STGE)" in text
    assert "écart" in text and "mode consommateur" in text
    assert "détecté" in err[0]


def test_live_table_refreshes_in_place(monkeypatch: pytest.MonkeyPatch) -> None:
    """The whole screen is redrawn (clear, header, last status, summary), at most once a
    second (was: only the first characters were checked)."""
    from linkytool.tic import serial_live

    now = [1000.0]
    monkeypatch.setattr(serial_live.time, "monotonic", lambda: now[0])
    live, out, _ = session("table", live=True)
    live.screen_size = lambda: (200, 60)
    live.handle(ModeDetected(None, 9600, 0.2))
    first, second, third = frames(3)
    live.handle(FrameReceived(first, RECEIVED))
    assert len(out) == 1
    header, status, blank, *rest = out[0].split("\n")
    assert header.startswith(CLEAR + "Lecture TIC en cours sur P (")
    assert header.endswith(") — Ctrl+C pour arrêter")
    assert status == live.status and "détecté" in status and blank == ""
    assert rest[0].split() == ["PRM", "30002345678901"]
    now[0] += 0.5
    live.handle(FrameReceived(second, RECEIVED))
    assert len(out) == 1  # within a second: not redrawn
    now[0] += 0.6
    live.handle(FrameReceived(third, RECEIVED))
    assert len(out) == 2 and "3 dont 3 valides" in out[1]


def live_screen_at(
    monkeypatch: pytest.MonkeyPatch, columns: int, lines: int, *status: ReaderEvent
) -> tuple[LiveSession, list[str]]:
    """A live session given ``status`` events then 3 frames in a terminal of ``columns``
    × ``lines`` (through the COLUMNS/LINES variables the default size reads); its
    screens, CLEAR removed."""
    monkeypatch.setenv("COLUMNS", str(columns))
    monkeypatch.setenv("LINES", str(lines))
    live, out, _ = session("table", live=True)
    for event in status or (ModeDetected(None, 9600, 0.2),):
        live.handle(event)
    for frame in frames(3):
        live._last_refresh = -REFRESH_S  # redraw at every frame
        live.handle(FrameReceived(frame, RECEIVED))
    return live, [screen.removeprefix(CLEAR) for screen in out]


def test_live_table_fits_an_80x24_terminal(monkeypatch: pytest.MonkeyPatch) -> None:
    """At 80×24 the live view drew a table about 140 columns wide: the terminal wrapped it
    mid-word (« Siemens Meter/ing ») and the PRM and mode rows scrolled off the top."""
    live, screens = live_screen_at(monkeypatch, 80, 24)
    screen = screens[-1].split("\n")
    assert max(len(line) for line in screen) <= 80
    assert len(screen) <= 23  # one more line would scroll the top away
    rows = {line[:40].strip(): line[40:] for line in screen if line[:1] != " "}
    assert rows["PRM"] == "30002345678901" and rows["Mode TIC"] == "standard"
    assert rows["Énergie soutirée (EAST)"].endswith(" Wh")
    assert rows["Puissance soutirée (SINSTS)"].endswith(" VA")
    # long values are shortened at a word, with « … »; the notes wrap at words
    meter = rows["Compteur (ADSC/ADCO)"]
    assert meter.endswith("…") and "Landis+Gyr / Siemens" in meter
    assert "Meter…" not in meter and "Metering…" not in meter
    assert not any(line.startswith("ing") for line in screen)
    note_start = next(i for i, line in enumerate(screen) if line.startswith("Le compteur"))
    assert " ".join(screen[note_start:]).startswith(" ".join(reading_notes(live.reading())))


def test_live_table_cut_at_the_bottom_when_the_terminal_is_short(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    unplugged = Disconnected("/dev/serial/by-id/usb-FTDI_FT230X_Basic_UART_DN0ABCDE", "EIO")
    _, screens = live_screen_at(monkeypatch, 60, 12, unplugged)
    screen = screens[-1].split("\n")
    assert len(screen) == 11 and max(len(line) for line in screen) <= 60
    assert screen[-1].startswith("… (agrandissez la fenêtre")
    assert any(line.startswith("PRM ") for line in screen)
    assert any(line.startswith("Énergie soutirée") for line in screen)


def test_live_table_shows_more_in_a_wider_terminal(monkeypatch: pytest.MonkeyPatch) -> None:
    _, screens = live_screen_at(monkeypatch, 160, 50)
    assert "Linky monophasé 60 A G3, arrivée puissance basse)" in screens[-1]
    assert "…" not in screens[-1]


def test_final_summary_in_a_terminal_wraps_at_words(monkeypatch: pytest.MonkeyPatch) -> None:
    live, _ = live_screen_at(monkeypatch, 80, 24)
    shown: list[str] = []
    live.echo = shown.append
    live.finish()
    lines = shown[-1].removeprefix(CLEAR).split("\n")
    assert max(len(line) for line in lines) <= 80
    text = " ".join(line.strip() for line in lines)
    assert "Siemens Metering, 2018, Linky monophasé 60 A G3, arrivée puissance basse)" in text
    assert "(taux d'erreur 0,0 %)" in text  # a number keeps its unit


def test_producer_summary_has_no_consumer_note() -> None:
    live, out, _ = session("table")
    for frame in frames(2, profile="producer"):
        live.handle(FrameReceived(frame, RECEIVED))
    live.finish()
    assert "Énergie injectée (EAIT)" in out[-1] and "mode consommateur" not in out[-1]


def test_no_signal_messages_are_throttled() -> None:
    live, _, err = session("table")
    for _ in range(5):
        live.handle(NoSignal((9600, 1200), 3.0, 0))
    assert len(err) == 1 and "aucun octet reçu" in err[0]


def test_simulate_to_stdout_writes_a_decodable_capture() -> None:
    result = CliRunner().invoke(
        cli,
        ["tic", "simulate", "--stdout", "--fast", "--frames", "4", "--seed", "2",
         "--profile", "producer", "--phases", "3"],
    )  # fmt: skip
    assert result.exit_code == 0, result.output
    events = decode_bytes(result.stdout_bytes)
    decoded = [event for event in events if isinstance(event, Frame)]
    assert len(decoded) == 4 and all(frame.valid for frame in decoded)
    assert "SINSTS3" in decoded[0].groups and "EAIT" in decoded[0].groups
    assert "4 trame(s) émise(s)" in result.stderr


def test_simulate_refuses_contradictory_or_bad_options() -> None:
    runner = CliRunner()
    both = runner.invoke(cli, ["tic", "simulate", "--stdout", "--port", "loop://"])
    assert both.exit_code == 2
    bad_prm = runner.invoke(cli, ["tic", "simulate", "--stdout", "--prm", "123"])
    assert bad_prm.exit_code == 2 and "14 chiffres" in bad_prm.output


@pytest.mark.parametrize(
    ("start", "date_group"),
    [
        ("20/11/2026 14:25", "H261120142500"),
        ("20/11/2026 14:25:30", "H261120142530"),
        ("20/11/2026", "H261120000000"),
        ("2026-11-20T14:25", "H261120142500"),  # ISO stays accepted
    ],
)
def test_simulate_start_takes_a_french_date(start: str, date_group: str) -> None:
    result = CliRunner().invoke(
        cli, ["tic", "simulate", "--stdout", "--fast", "--frames", "1", "--start", start]
    )
    assert result.exit_code == 0, result.output
    (frame,) = [event for event in decode_bytes(result.stdout_bytes) if isinstance(event, Frame)]
    assert frame.groups["DATE"].horodate is not None
    assert frame.groups["DATE"].horodate.raw == date_group


def test_simulate_start_help_and_error_speak_french_dates() -> None:
    runner = CliRunner()
    help_text = runner.invoke(cli, ["tic", "simulate", "--help"]).output
    assert "--start 'JJ/MM/AAAA HH:MM'" in help_text and "%Y" not in help_text
    bad = runner.invoke(cli, ["tic", "simulate", "--stdout", "--start", "31/02/2026 10:00"])
    assert bad.exit_code == 2
    assert "« 31/02/2026 10:00 » n'est pas une date" in bad.stderr
    assert "JJ/MM/AAAA HH:MM" in bad.stderr and "%Y" not in bad.stderr


def test_simulate_to_a_port_url() -> None:
    result = CliRunner().invoke(
        cli, ["tic", "simulate", "--port", "loop://", "--frames", "2", "--fast"]
    )
    assert result.exit_code == 0, result.output
    assert "loop:// à 9600 bauds (7E1)" in result.stderr
    assert "2 trame(s) émise(s)" in result.stderr and result.stdout == ""


def test_sent_at_removes_the_time_the_rest_of_the_frame_took() -> None:
    frame = frames(2)[1]
    event = FrameReceived(frame, RECEIVED, 9600)
    date_end = frame.raw.index(b"\r", frame.raw.index(b"\nDATE")) + 1
    expected = (len(frame.raw) - date_end) * 10 / 9600
    assert (RECEIVED - event.sent_at("DATE")).total_seconds() == pytest.approx(expected)
    assert 0.5 < expected < 1.0  # most of a standard frame follows DATE
    assert FrameReceived(frame, RECEIVED).sent_at("DATE") == RECEIVED  # speed unknown
    assert event.sent_at("NOPE") == RECEIVED


def test_clock_drift_of_a_punctual_meter_is_within_a_second() -> None:
    from linkytool.tic.serialio import TicReader
    from linkytool.tic.sim_serve import serve_pty

    server = serve_pty(MeterSimulator(seed=3, clock_drift_s=-30.0))
    try:
        live, _, _ = session("jsonl")
        reader = TicReader(server.path)
        for event in reader:
            live.handle(event)
            if live.frames >= 2:  # the first one caught mid-way, then a whole one
                reader.stop()
    finally:
        server.stop()
    meter_time = live.reading().meter_time
    assert meter_time is not None and live.date_received_at is not None
    drift = (meter_time - live.date_received_at).total_seconds()
    assert -31.5 <= drift <= -29.5  # DATE has a one-second resolution
