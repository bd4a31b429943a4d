"""Bundled captures in samples/tic/: rebuilt identically, decoded as intended; golden exports."""

from __future__ import annotations

from pathlib import Path

import pytest
from click.testing import CliRunner
from syrupy.assertion import SnapshotAssertion

from linkytool.cli import cli
from linkytool.tic import TicMode, read_capture, summarize

from .sample_frames import SAMPLES, SAMPLES_TIC


@pytest.mark.parametrize("name", sorted(SAMPLES))
def test_sample_file_matches_its_builder(name: str) -> None:
    assert (SAMPLES_TIC / name).read_bytes() == SAMPLES[name](), (
        "regenerate with: .venv/bin/python -m tests.tic.sample_frames"
    )


def test_demo_standard_is_the_contract_meter() -> None:
    frames = read_capture(SAMPLES_TIC / "demo-standard-consumer.bin")
    assert [frame.complete for frame in frames] == [False, True, True, True]
    reading = summarize(frames)
    assert reading.mode == "standard"
    assert reading.prm == "30002345678901" and reading.meter_id == "041864123456"
    assert reading.meter_address is not None
    assert (reading.meter_address.maker_code, reading.meter_address.year) == ("04", 2018)
    assert reading.meter_address.type_code == "64" and reading.meter_address.phases == 1
    assert reading.producer_mode is False and reading.production_data_missing
    assert reading.meter_time is not None
    assert reading.meter_time.strftime("%d/%m/%Y %H:%M") == "20/11/2026 14:32"
    assert reading.groups_bad == 0


def test_damaged_sample_loses_only_the_damaged_groups() -> None:
    frames = read_capture(SAMPLES_TIC / "damaged-standard.bin")
    assert [len(frame.bad_groups) for frame in frames] == [0, 1, 1, 0, 0, 0]
    assert [frame.complete for frame in frames] == [True, True, True, False, True, True]
    assert [bad.label for frame in frames for bad in frame.bad_groups] == ["VTIC", "RMS1"]
    assert frames[4].masked_bytes == 1 and frames[4].valid
    assert all(frame.mode is TicMode.STANDARD for frame in frames)


@pytest.mark.parametrize("output_format", ["jsonl", "csv", "table"])
def test_golden_exports(output_format: str, snapshot: SnapshotAssertion) -> None:
    result = CliRunner().invoke(
        cli,
        ["tic", "decode", str(SAMPLES_TIC / "damaged-standard.bin"), "--format", output_format],
    )
    assert result.exit_code == 0, result.stderr
    assert result.stdout == snapshot


def test_demo_historique_sample(samples_dir: Path) -> None:
    frames = read_capture(samples_dir / "tic" / "demo-historique-base.bin")
    assert len(frames) == 2 and all(frame.valid for frame in frames)
    assert frames[0].groups["PTEC"].raw == "TH.."
    assert summarize(frames).east_wh == 1_234_568
