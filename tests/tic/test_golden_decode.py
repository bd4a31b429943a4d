"""``tic decode --format jsonl|csv`` prints exactly what it printed before the speed work.

The snapshots were taken with the exporter as it stood before the fast renderers
(``frame_to_dict`` + ``json.dumps``, ``frame_group_rows`` + ``csv``); the capture of
:mod:`tests.tic.golden_capture` covers every value kind, damaged and duplicate groups,
both modes; the bundled samples and the real captures (text dumps included) complete it.
"""

from __future__ import annotations

from pathlib import Path

import pytest
from click.testing import CliRunner
from syrupy.assertion import SnapshotAssertion

from linkytool.cli import cli

from .golden_capture import golden_capture

ROOT = Path(__file__).resolve().parents[2]
CAPTURES = sorted(
    [
        *(ROOT / "samples" / "tic").glob("*.bin"),
        *(ROOT / "tests/data/real/tic").glob("*.bin"),
        *(ROOT / "tests/data/real/tic").glob("*.txt"),
    ]
)


def _decode(path: Path, output_format: str) -> tuple[str, str, int]:
    result = CliRunner().invoke(cli, ["tic", "decode", str(path), "--format", output_format])
    return result.stdout, result.stderr, result.exit_code


@pytest.mark.parametrize("output_format", ["jsonl", "csv"])
def test_golden_capture_exports(
    output_format: str, tmp_path: Path, snapshot: SnapshotAssertion
) -> None:
    capture = tmp_path / "golden.bin"
    capture.write_bytes(golden_capture())
    stdout, stderr, code = _decode(capture, output_format)
    assert code == 0  # 1.8 % of the groups are damaged, under the default 5 %
    assert stdout == snapshot(name="stdout")
    assert stderr == snapshot(name="summary")


@pytest.mark.parametrize("output_format", ["jsonl", "csv"])
@pytest.mark.parametrize("path", CAPTURES, ids=lambda path: path.name)
def test_golden_sample_exports(path: Path, output_format: str, snapshot: SnapshotAssertion) -> None:
    stdout, _, code = _decode(path, output_format)
    assert code in (0, 1)
    assert stdout == snapshot
