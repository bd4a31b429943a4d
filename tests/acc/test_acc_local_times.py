"""Curve files with Europe/Paris local times without offset (Enedis-style four
quarter-hours per line, Data Connect): a time the clocks skip is refused with the file,
the line and what to write; a time of the repeated fall-back hour is read from the file's
order only when the order settles it (acc.md, "Time and DST")."""

from __future__ import annotations

import json
from datetime import date, datetime
from pathlib import Path

import pytest
from acc_helpers import PARIS, long_csv, write

from linkytool.acc import AccInputError, load_operation
from linkytool.acc.curves import read_curve_file

C1, C2, P1 = "30000000000001", "30000000000002", "20000000000001"


def _quarter_hours(rows: list[tuple[str, str]]) -> str:
    """``prm,horodate,w1..w4`` lines, values 1,2,3,4."""
    return "prm,horodate,w1,w2,w3,w4\n" + "".join(f"{p},{t},1,2,3,4\n" for p, t in rows)


def _data_connect(dates: list[str], start: str) -> str:
    readings = [{"value": "100", "date": d, "interval_length": "PT30M"} for d in dates]
    return json.dumps(
        {
            "meter_reading": {
                "usage_point_id": C1,
                "start": start,
                "reading_type": {"unit": "W"},
                "interval_reading": readings,
            }
        }
    )


def _refused(path: Path) -> AccInputError:
    with pytest.raises(AccInputError) as caught:
        read_curve_file(path)
    return caught.value


@pytest.mark.parametrize("clock", ["02:00", "02:45"])
def test_a_quarter_hour_line_at_a_time_the_clocks_skip_is_refused(
    tmp_path: Path, clock: str
) -> None:
    """2026-03-29T02:00 was read as 03:00+02:00 without a word (zoneinfo's fold=0)."""
    rows = [(C1, "2026-03-29T00:00"), (C1, "2026-03-29T01:00"), (C1, f"2026-03-29T{clock}")]
    error = _refused(write(tmp_path / "c.csv", _quarter_hours(rows)))
    assert error.path == str(tmp_path / "c.csv")
    assert error.line == 4
    assert f"« 2026-03-29T{clock} » n'existe pas : le 29/03/2026, les horloges passent de " in (
        error.message
    )
    assert error.hint is not None
    assert "2026-03-29T03:00:00+02:00" in error.hint and "2026-03-29T01:00:00Z" in error.hint


def test_a_data_connect_date_the_clocks_skip_is_refused_with_its_reading(
    tmp_path: Path,
) -> None:
    dates = [f"2026-03-29 {t}:00" for t in ("00:00", "00:30", "01:00", "01:30", "02:00")]
    error = _refused(write(tmp_path / "c.json", _data_connect(dates, "2026-03-29")))
    assert error.line == 5  # reading number 5
    assert "date « 2026-03-29 02:00:00 » n'existe pas" in error.message
    assert error.hint is not None and "+02:00" in error.hint


def test_the_file_order_settles_the_repeated_hour_per_prm(tmp_path: Path) -> None:
    """Two PRMs interleaved, each with its two 02:00 lines: first summer, second winter."""
    rows = []
    for clock in ("00:00", "01:00", "02:00", "02:00", "03:00"):
        rows += [(C1, f"2026-10-25T{clock}"), (C2, f"2026-10-25T{clock}")]
    cons = write(tmp_path / "c.csv", _quarter_hours(rows))
    start = datetime(2026, 10, 25, tzinfo=PARIS)
    prod = write(tmp_path / "p.csv", long_csv({P1: [10.0] * 20}, start))
    op = load_operation([cons], [prod])
    assert op.grid.n_steps == 20  # 00:00 to 04:00 local, five hours that night
    assert op.consumption.chunk(0, 20)[:, 0].tolist() == [1, 2, 3, 4] * 5
    notes = " ".join(op.input_report["notes"])
    assert "2 lignes dans l'heure répétée" in notes


def test_a_repeated_hour_shown_once_is_ambiguous(tmp_path: Path) -> None:
    """One 02:00 line on the fall-back day: summer or winter? It was taken as summer."""
    rows = [(C1, f"2026-10-25T{clock}") for clock in ("00:00", "01:00", "02:00", "03:00")]
    error = _refused(write(tmp_path / "c.csv", _quarter_hours(rows)))
    assert error.line == 4
    assert "ambigu" in error.message and C1 in error.message
    assert "existe deux fois" in error.message
    assert error.hint is not None
    assert "2026-10-25T02:00:00+02:00" in error.hint and "2026-10-25T02:00:00+01:00" in error.hint


def test_lines_out_of_order_cannot_settle_the_repeated_hour(tmp_path: Path) -> None:
    """Newest first: the first 02:00 line is the winter one, the order cannot say it."""
    rows = [(C1, f"2026-10-25T{clock}") for clock in ("04:00", "03:00", "02:00", "02:00")]
    error = _refused(write(tmp_path / "c.csv", _quarter_hours(rows)))
    assert error.line == 4  # 02:00 (summer, read first) after 03:00 (winter)
    assert "ordre chronologique" in error.message and "ligne 3 puis ligne 4" in error.message
    assert error.hint is not None and "Triez" in error.hint


def test_a_third_line_in_the_repeated_hour_is_refused(tmp_path: Path) -> None:
    rows = [(C1, f"2026-10-25T{clock}") for clock in ("01:00", "02:00", "02:00", "02:00")]
    error = _refused(write(tmp_path / "c.csv", _quarter_hours(rows)))
    assert error.line == 5
    assert "déjà deux lignes (lignes 3 et 4)" in error.message


def test_a_data_connect_repeated_date_shown_once_is_ambiguous(tmp_path: Path) -> None:
    dates = [f"2026-10-25 {t}:00" for t in ("01:00", "01:30", "02:00", "02:30", "02:30")]
    error = _refused(write(tmp_path / "c.json", _data_connect(dates, "2026-10-25")))
    assert error.line == 3  # 02:00 once; 02:30 twice is settled
    assert "date « 2026-10-25 02:00:00 » ambiguë" in error.message


def test_a_local_time_read_elsewhere_does_not_open_the_long_format(tmp_path: Path) -> None:
    """The long format needs offsets (acc-files.md), but a local time parsed first in a
    quarter-hour file was remembered and then accepted in a long file."""
    quarter = write(tmp_path / "q.csv", _quarter_hours([(C1, "2026-06-01T00:00")]))
    read_curve_file(quarter)
    long_file = write(tmp_path / "l.csv", f"prm,timestamp,w\n{C1},2026-06-01T00:00,5\n")
    error = _refused(long_file)
    assert error.line == 2
    assert "sans décalage horaire" in error.message


def test_an_ordinary_local_day_still_reads(tmp_path: Path) -> None:
    rows = [(C1, f"2026-06-01T{hour:02d}:00") for hour in range(24)]
    curve = read_curve_file(write(tmp_path / "c.csv", _quarter_hours(rows)))
    starts = curve.series[C1].starts
    midnight = int(datetime(2026, 6, 1, tzinfo=PARIS).timestamp())
    assert starts[0] == midnight and starts[-1] == midnight + 24 * 3600 - 900
    assert not curve.notes
    assert date(2026, 6, 1) == datetime.fromtimestamp(int(starts[0]), PARIS).date()
