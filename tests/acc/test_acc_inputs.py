"""Readers and loader: formats, daylight-saving days, steps, and bad input files."""

from __future__ import annotations

from datetime import date, datetime, timedelta
from pathlib import Path

import numpy as np
import pytest
from acc_helpers import PARIS, long_csv, raises_cli, write

from linkytool.acc import (
    AccInputError,
    CoefficientError,
    GapError,
    GapPolicy,
    KeyKind,
    LoadOptions,
    load_operation,
    run_operation,
)

C1, C2, P1 = "30000000000001", "30000000000002", "20000000000001"


def day(d: date) -> datetime:
    return datetime(d.year, d.month, d.day, tzinfo=PARIS)


def quarter_hours_of(d: date) -> int:
    return int((day(d + timedelta(days=1)).timestamp() - day(d).timestamp()) // 900)


def one_day(tmp_path: Path, d: date, step_min: int = 15) -> tuple[Path, Path]:
    n = quarter_hours_of(d) * 15 // step_min
    cons = write(tmp_path / "c.csv", long_csv({C1: [100.0] * n, C2: [300.0] * n}, day(d), step_min))
    prod = write(tmp_path / "p.csv", long_csv({P1: [200.0] * n}, day(d), step_min))
    return cons, prod


@pytest.mark.parametrize(
    ("d", "step_min", "steps"),
    [
        (date(2026, 3, 29), 15, 92),
        (date(2026, 10, 25), 15, 100),
        (date(2023, 3, 26), 30, 46),  # before October 2024: Enedis computed at 30 minutes
        (date(2023, 10, 29), 30, 50),
    ],
)
def test_daylight_saving_days(tmp_path: Path, d: date, step_min: int, steps: int) -> None:
    cons, prod = one_day(tmp_path, d, step_min)
    op = load_operation([cons], [prod])
    assert op.grid.step_s == step_min * 60
    assert op.grid.n_steps == steps
    assert op.grid.steps_per_local_day() == {d: steps}
    result = run_operation(op)
    hours = steps * step_min / 60  # 23 or 25
    assert result.consumption_wh.sum() == pytest.approx(400 * hours)
    assert result.self_consumed_wh.tolist() == pytest.approx([50 * hours, 150 * hours])


def test_fall_back_day_repeated_hour_is_two_distinct_steps(tmp_path: Path) -> None:
    text = (
        "prm,timestamp,w\n"
        f"{C1},2026-10-25T02:00:00+02:00,100\n"
        f"{C1},2026-10-25T02:15:00+02:00,100\n"
        f"{C1},2026-10-25T02:30:00+02:00,100\n"
        f"{C1},2026-10-25T02:45:00+02:00,100\n"
        f"{C1},2026-10-25T02:00:00+01:00,500\n"
    )
    cons = write(tmp_path / "c.csv", text)
    prod = write(tmp_path / "p.csv", text.replace(C1, P1))
    op = load_operation([cons], [prod])
    assert op.grid.n_steps == 5
    assert op.consumption.chunk(0, 5)[:, 0].tolist() == [100, 100, 100, 100, 500]


def test_semicolon_and_decimal_comma(tmp_path: Path) -> None:
    cons = write(
        tmp_path / "c.csv",
        f"prm;timestamp;w\n{C1};2026-06-01T00:00:00+02:00;100,5\n"
        f"{C1};2026-06-01T00:15:00+02:00;99,5\n",
    )
    prod = write(
        tmp_path / "p.csv",
        f"prm,timestamp,w\n{P1},2026-06-01T00:00:00+02:00,50\n{P1},2026-06-01T00:15:00+02:00,50\n",
    )
    op = load_operation([cons], [prod])
    assert op.consumption.chunk(0, 2)[:, 0].tolist() == [100.5, 99.5]


def test_wide_and_quarter_hour_formats_read_the_same(tmp_path: Path) -> None:
    wide = write(
        tmp_path / "wide.csv",
        "timestamp,30000000000001,30000000000002\n"
        + "".join(f"2026-06-01T00:{m:02d}:00+02:00,{100 + m},{200 + m}\n" for m in (0, 15, 30, 45)),
    )
    quarter = write(
        tmp_path / "qh.csv",
        "prm,timestamp,w1,w2,w3,w4\n"
        f"{C1},2026-06-01T00:00:00+02:00,100,115,130,145\n"
        f"{C2},2026-06-01T00:00,200,215,230,245\n",
    )
    prod = write(
        tmp_path / "p.csv", long_csv({P1: [150.0] * 4}, datetime(2026, 6, 1, tzinfo=PARIS))
    )
    a = load_operation([wide], [prod])
    b = load_operation([quarter], [prod])
    np.testing.assert_array_equal(a.consumption.chunk(0, 4), b.consumption.chunk(0, 4))
    assert b.input_report["files"][0]["format"] == "quarter-hour"


PORTAL = (
    "Identifiant PRM;Type de donnees;Date de debut;Date de fin;Grandeur physique;"
    "Grandeur metier;Etape metier;Unite\n"
    "{prm};Courbe de charge;2026-06-01;2026-06-01;Energie active;{kind};Comptage Brut;W;\n"
    "Horodate;Valeur\n"
)


def portal(prm: str, kind: str, rows: list[tuple[str, str]]) -> str:
    return PORTAL.format(prm=prm, kind=kind) + "".join(f"{t};{v}\n" for t, v in rows)


def test_portal_export_end_of_step_is_moved_to_start(tmp_path: Path) -> None:
    rows = [(f"2026-06-01T00:{m:02d}:00+02:00", "100") for m in (30,)] + [
        ("2026-06-01T01:00:00+02:00", "300")
    ]
    cons = write(tmp_path / "c.csv", portal(C1, "Consommation", rows))
    prod = write(tmp_path / "p.csv", portal(P1, "Production", rows))
    op = load_operation([cons], [prod], options=LoadOptions(step_minutes=30))
    assert op.grid.start == int(datetime(2026, 6, 1, tzinfo=PARIS).timestamp())
    assert op.consumption.chunk(0, 2)[:, 0].tolist() == [100, 300]
    assert "fin du pas" in op.input_report["notes"][0]


def test_portal_ambiguous_start_needs_timestamps_option(tmp_path: Path) -> None:
    rows = [("2026-06-01T05:00:00+02:00", "100"), ("2026-06-01T05:30:00+02:00", "100")]
    cons = write(tmp_path / "c.csv", portal(C1, "Consommation", rows))
    prod = write(tmp_path / "p.csv", portal(P1, "Production", rows))
    with raises_cli(AccInputError, "--timestamps start ou --timestamps end"):
        load_operation([cons], [prod])
    op = load_operation([cons], [prod], options=LoadOptions(timestamps="start", step_minutes=30))
    assert op.grid.n_steps == 2


def test_portal_index_export_and_wrong_role_are_refused(tmp_path: Path) -> None:
    index = write(
        tmp_path / "i.csv",
        PORTAL.format(prm=C1, kind="Consommation").replace(
            "Horodate;Valeur", "Horodate;Type de releve;EAS F1"
        )
        + "2026-06-01T00:00:00+02:00;Arrêté;1234\n",
    )
    prod = write(tmp_path / "p.csv", long_csv({P1: [1.0]}, datetime(2026, 6, 1, tzinfo=PARIS)))
    with pytest.raises(AccInputError, match="index"):
        load_operation([index], [prod])
    rows = [("2026-06-01T00:30:00+02:00", "1")]
    producer_as_consumer = write(tmp_path / "x.csv", portal(P1, "Production", rows))
    with raises_cli(AccInputError, "Donnez-le avec le fichier --producers"):
        load_operation([producer_as_consumer], [prod])


def test_five_minute_curves_are_aggregated_exactly(tmp_path: Path) -> None:
    start = datetime(2026, 6, 1, tzinfo=PARIS)
    cons = write(tmp_path / "c.csv", long_csv({C1: [100, 200, 300, 600, 600, 600]}, start, 5))
    prod = write(tmp_path / "p.csv", long_csv({P1: [50, 50]}, start, 15))
    op = load_operation([cons], [prod])
    assert op.consumption.chunk(0, 2)[:, 0].tolist() == [200, 600]
    assert op.input_report["resampled"][0]["from_minutes"] == 5


def test_step_rule_30_minutes_before_october_2024(tmp_path: Path) -> None:
    start = datetime(2024, 6, 1, tzinfo=PARIS)
    cons = write(tmp_path / "c.csv", long_csv({C1: [100, 300]}, start, 15))
    prod = write(tmp_path / "p.csv", long_csv({P1: [80]}, start, 30))
    op = load_operation([cons], [prod])
    assert op.grid.step_s == 1800
    assert op.consumption.chunk(0, 1)[:, 0].tolist() == [200]


def test_thirty_minute_curve_after_october_2024_is_refused(tmp_path: Path) -> None:
    start = datetime(2026, 6, 1, tzinfo=PARIS)
    cons = write(tmp_path / "c.csv", long_csv({C1: [100, 300]}, start, 30))
    prod = write(tmp_path / "p.csv", long_csv({P1: [80] * 4}, start, 15))
    with pytest.raises(
        AccInputError, match="pas de 30 min, incompatible avec le pas de calcul de 15 min"
    ):
        load_operation([cons], [prod])


# ---- bad input files: every message says file, line and what to do ----------------------


def _files(tmp_path: Path, consumer_text: str) -> tuple[Path, Path]:
    start = datetime(2026, 6, 1, tzinfo=PARIS)
    cons = write(tmp_path / "c.csv", consumer_text)
    prod = write(tmp_path / "p.csv", long_csv({P1: [100.0] * 4}, start))
    return cons, prod


HEADER = "prm,timestamp,w\n"


def _rows(values: list[str], prm: str = C1) -> str:
    return "".join(f"{prm},2026-06-01T00:{15 * k:02d}:00+02:00,{v}\n" for k, v in enumerate(values))


def test_missing_step_error_names_file_line_and_policies(tmp_path: Path) -> None:
    text = HEADER + _rows(["1", "2", "3", "4"]).replace(f"{C1},2026-06-01T00:30:00+02:00,3\n", "")
    cons, prod = _files(tmp_path, text)
    with raises_cli(GapError, "--gaps zero"):
        load_operation([cons], [prod])
    with pytest.raises(GapError) as caught:
        load_operation([cons], [prod])
    message = str(caught.value)
    assert "c.csv" in message
    assert "1 pas manquant pour" in message
    assert "01/06/2026 00:30" in message
    assert "après la ligne 3" in message
    assert caught.value.prm == C1
    op = load_operation([cons], [prod], options=LoadOptions(gaps=GapPolicy.ZERO))
    assert op.consumption.chunk(0, 4)[:, 0].tolist() == [1, 2, 0, 4]
    assert op.input_report["gaps"][0]["missing_steps"] == 1
    op = load_operation(
        [cons], [prod], options=LoadOptions(gaps=GapPolicy.DEFAULT_KEY, key=KeyKind.DEFAULT)
    )
    assert op.forced_default is not None and op.forced_default.tolist() == [
        False,
        False,
        True,
        False,
    ]
    result = run_operation(op)
    assert result.gap_default_steps.tolist() == [2]


def test_mismatched_periods(tmp_path: Path) -> None:
    cons, prod = _files(tmp_path, HEADER + _rows(["1", "2"]))
    with pytest.raises(GapError, match=r"couvre du .* mais l'opération va du"):
        load_operation([cons], [prod])


def test_conflicting_duplicate_names_both_lines(tmp_path: Path) -> None:
    text = HEADER + _rows(["1", "2", "3", "4"]) + f"{C1},2026-06-01T00:15:00+02:00,9\n"
    cons, prod = _files(tmp_path, text)
    with pytest.raises(AccInputError) as caught:
        load_operation([cons], [prod])
    message = str(caught.value)
    assert "ligne 6" in message and "ligne 3" in message and "deux fois" in message


def test_identical_duplicate_is_dropped_and_reported(tmp_path: Path) -> None:
    text = HEADER + _rows(["1", "2", "3", "4"]) + f"{C1},2026-06-01T00:15:00+02:00,2\n"
    cons, prod = _files(tmp_path, text)
    op = load_operation([cons], [prod])
    assert op.input_report["duplicates_dropped"][0]["count"] == 1


@pytest.mark.parametrize(
    ("bad", "expected"),
    [
        ("-5", "ligne 3 : puissance négative"),
        ("abc", "ligne 3 : La puissance « abc » n'est pas un nombre"),
    ],
)
def test_bad_values(tmp_path: Path, bad: str, expected: str) -> None:
    cons, prod = _files(tmp_path, HEADER + _rows(["1", bad, "3", "4"]))
    with pytest.raises(AccInputError, match=expected):
        load_operation([cons], [prod])


def test_bad_prm_and_timestamp(tmp_path: Path) -> None:
    cons, prod = _files(tmp_path, HEADER + "3000000000001,2026-06-01T00:00:00+02:00,1\n")
    with pytest.raises(AccInputError, match="zéros en tête"):
        load_operation([cons], [prod])
    cons, prod = _files(tmp_path, HEADER + f"{C1},2026-06-01T00:00:00,1\n")
    with pytest.raises(AccInputError, match=r"ligne 2 : horodatage .* sans décalage"):
        load_operation([cons], [prod])
    cons, prod = _files(tmp_path, HEADER + f"{C1},2026-06-01T00:07:00+02:00,1\n")
    with pytest.raises(AccInputError, match="hors de la grille"):
        load_operation([cons], [prod])


def test_unknown_format_lists_accepted_ones(tmp_path: Path) -> None:
    cons, prod = _files(tmp_path, "a,b\n1,2\n")
    with pytest.raises(AccInputError, match="format de courbe non reconnu"):
        load_operation([cons], [prod])


def test_empty_and_header_only_files(tmp_path: Path) -> None:
    cons, prod = _files(tmp_path, "")
    with pytest.raises(AccInputError, match=r"c\.csv : le fichier est vide"):
        load_operation([cons], [prod])
    cons, prod = _files(tmp_path, HEADER)
    with pytest.raises(AccInputError, match=r"c\.csv : aucune valeur de consommateur\."):
        load_operation([cons], [prod])


def test_missing_file(tmp_path: Path) -> None:
    with pytest.raises(AccInputError, match="fichier introuvable"):
        load_operation([tmp_path / "nope.csv"], [tmp_path / "p.csv"])


def _good(tmp_path: Path) -> tuple[Path, Path]:
    return _files(tmp_path, HEADER + _rows(["100", "100", "100", "100"]))


def test_coefficient_errors(tmp_path: Path) -> None:
    cons, prod = _good(tmp_path)
    options = LoadOptions(key=KeyKind.STATIC)
    with pytest.raises(CoefficientError, match="demande un fichier de coefficients"):
        load_operation([cons], [prod], options=options)
    bad = write(tmp_path / "k.csv", f"prm,coefficient\n{C2},50\n")
    with pytest.raises(CoefficientError, match=r"k.csv, ligne 2 : le PRM 30000000000002 n'est pas"):
        load_operation([cons], [prod], coefficients=bad, options=options)
    bad = write(tmp_path / "k.csv", f"prm,coefficient\n{C1},150\n")
    with pytest.raises(AccInputError, match="ligne 2 : coefficient 150 % hors de 0–100"):
        load_operation([cons], [prod], coefficients=bad, options=options)
    bad = write(
        tmp_path / "k.csv", f"timestamp,prm,coefficient\n2026-06-01T00:00:00+02:00,{C1},50\n"
    )
    wording = r"coefficients de clé dynamique simple .*, pas de clé statique\..*--key dynamic"
    with raises_cli(AccInputError, wording):
        load_operation([cons], [prod], coefficients=bad, options=options)
    bad = write(tmp_path / "k.csv", f"prm;coef\n{C1};50\n")
    with pytest.raises(AccInputError, match="colonnes manquantes : coefficient"):
        load_operation([cons], [prod], coefficients=bad, options=options)
    dyn = write(
        tmp_path / "d.csv",
        f"timestamp,prm,coefficient\n2026-06-01T00:00:00+02:00,{C1},50\n"
        f"2026-06-01T00:00:00+02:00,{C1},40\n",
    )
    with pytest.raises(CoefficientError, match="ligne 3 : coefficient en double"):
        load_operation([cons], [prod], coefficients=dyn, options=LoadOptions(key=KeyKind.DYNAMIC))


@pytest.mark.parametrize(
    ("key", "text", "line", "wording"),
    [
        (KeyKind.STATIC, f"prm,coefficient\n{C1},60\n{C2},50\n", None, "totalisent 110,0000 %"),
        (KeyKind.STATIC, f"prm,coefficient\n{C1},60\n{C1},20\n", 3, "déjà donné ligne 2"),
        (KeyKind.STATIC, f"prm,coefficient\n{P1},60\n", 2, "n'est pas un consommateur"),
        (
            KeyKind.DYNAMIC,
            f"timestamp,prm,coefficient\n2026-06-01T00:00:00+02:00,{C1},60\n"
            f"2026-06-01T00:00:00+02:00,{C2},50\n",
            None,
            "plus de 100 % sur 1 pas : 01/06/2026 00:00",
        ),
        (
            KeyKind.FULL,
            f"timestamp,producer,consumer,coefficient\n2026-06-01T00:00:00+02:00,{C1},{C1},60\n",
            2,
            "n'est pas un producteur",
        ),
    ],
)
def test_every_coefficient_error_names_the_file_and_line(
    tmp_path: Path, key: KeyKind, text: str, line: int | None, wording: str
) -> None:
    """QA: « Les coefficients statiques totalisent 110,0000 %, plus de 100 %. » named no
    file; every error about a file of the user's names it (and the line), as the curve
    errors do."""
    cons, prod = one_day(tmp_path, date(2026, 6, 1))
    coefficients = write(tmp_path / "coefficients-juin.csv", text)
    with pytest.raises(CoefficientError) as caught:
        run_operation(
            load_operation([cons], [prod], coefficients=coefficients, options=LoadOptions(key=key))
        )
    where = f"{coefficients}, ligne {line} : " if line else f"{coefficients} : "
    assert caught.value.message.startswith(where), caught.value.message
    assert wording in caught.value.message
    assert (caught.value.path, caught.value.line) == (str(coefficients), line)


def test_dynamic_coefficients_partial_coverage(tmp_path: Path) -> None:
    cons, prod = _good(tmp_path)
    dyn = write(
        tmp_path / "d.csv",
        f"timestamp,prm,coefficient\n2026-06-01T00:00:00+02:00,{C1},50\n"
        f"2026-06-01T00:30:00+02:00,{C1},25\n",
    )
    op = load_operation([cons], [prod], coefficients=dyn, options=LoadOptions(key=KeyKind.DYNAMIC))
    result = run_operation(op)
    assert result.consumer_curves["self_consumed"][:, 0].tolist() == [50, 100, 25, 100]
    assert result.default_key_steps.tolist() == [1, 3]


def test_static_sets_with_validity_dates(tmp_path: Path) -> None:
    start = datetime(2026, 6, 1, tzinfo=PARIS)
    n = 96 * 2
    cons = write(tmp_path / "c.csv", long_csv({C1: [100.0] * n}, start))
    prod = write(tmp_path / "p.csv", long_csv({P1: [100.0] * n}, start))
    k = write(tmp_path / "k.csv", f"prm,coefficient,from\n{C1},50,\n{C1},20,2026-06-02\n")
    op = load_operation([cons], [prod], coefficients=k, options=LoadOptions(key=KeyKind.STATIC))
    result = run_operation(op)
    a = result.consumer_curves["self_consumed"][:, 0]
    assert set(a[:96].tolist()) == {50.0} and set(a[96:].tolist()) == {20.0}


def test_perimeter_entry_and_exit_mid_month(tmp_path: Path) -> None:
    start = datetime(2026, 6, 1, tzinfo=PARIS)
    n = 96 * 30
    # C1 leaves on 16 June (its curve stops there); C2 joins on 10 June (curve all month)
    cons = write(
        tmp_path / "c.csv",
        long_csv({C1: [400.0] * (96 * 15)}, start) + long_csv({C2: [400.0] * n}, start)[16:],
    )
    prod = write(tmp_path / "p.csv", long_csv({P1: [600.0] * n}, start))
    perimeter = write(
        tmp_path / "perim.csv",
        f"prm,role,entry,exit\n{C1},consumer,,2026-06-16\n{C2},consumer,2026-06-10,\n{P1},producer,,\n",
    )
    k = write(tmp_path / "k.csv", f"prm,coefficient\n{C1},50\n{C2},50\n")
    op = load_operation(
        [cons], [prod], coefficients=k, perimeter=perimeter, options=LoadOptions(key=KeyKind.STATIC)
    )
    result = run_operation(op)
    a = result.consumer_curves["self_consumed"]
    assert a[: 96 * 9, 1].max() == 0  # C2 not in the perimeter before the 10th
    assert a[96 * 9 : 96 * 15].tolist() == [[300, 300]] * (96 * 6)
    assert a[96 * 15 :, 0].max() == 0  # C1 out from the 16th: its half goes to the surplus
    assert result.consumption_wh[1] == pytest.approx(400 * 96 * 21 / 4)
    assert result.surplus_wh[0] == pytest.approx(300 * (96 * 9 + 96 * 15) / 4)
    assert op.input_report["outside_perimeter"][0]["prm"] == C2
    # without the perimeter file, C1's short curve is a period mismatch
    with raises_cli(GapError, "--perimeter"):
        load_operation([cons], [prod], coefficients=k, options=LoadOptions(key=KeyKind.STATIC))


def test_perimeter_errors(tmp_path: Path) -> None:
    cons, prod = _good(tmp_path)
    perimeter = write(tmp_path / "perim.csv", f"prm,role\n{C1},consumer\n")
    with pytest.raises(AccInputError, match="ne figure pas dans le périmètre"):
        load_operation([cons], [prod], perimeter=perimeter)
    perimeter = write(
        tmp_path / "perim.csv", f"prm,role\n{C1},consumer\n{P1},producer\n{C2},consumer\n"
    )
    with pytest.raises(AccInputError, match=r"perim.csv, ligne 4 : le consommateur 30000000000002"):
        load_operation([cons], [prod], perimeter=perimeter)
    perimeter = write(tmp_path / "perim.csv", f"prm,role\n{C1},client\n")
    with pytest.raises(AccInputError, match="ligne 2 : rôle « client » inconnu"):
        load_operation([cons], [prod], perimeter=perimeter)


def test_calendar_classes_and_gaps_in_calendar(tmp_path: Path) -> None:
    start = datetime(2026, 6, 1, tzinfo=PARIS)
    n = 96
    cons = write(tmp_path / "c.csv", long_csv({C1: [100.0] * n}, start))
    prod = write(tmp_path / "p.csv", long_csv({P1: [0.0] * n}, start))
    cal = write(
        tmp_path / "cal.csv", "class,days,start,end\nHC,all,22:00,06:00\nHP,all,06:00,22:00\n"
    )
    op = load_operation([cons], [prod], calendar=cal)
    result = run_operation(op)
    assert op.tou_classes == ("HC", "HP")
    assert result.consumer_monthly_wh[0, :, 0, 0].tolist() == pytest.approx([800, 1600])
    cal = write(tmp_path / "cal.csv", "class,days,start,end\nHP,mon-fri,06:00,22:00\n")
    with pytest.raises(AccInputError, match="aucune ligne du calendrier ne couvre"):
        load_operation([cons], [prod], calendar=cal)


def test_quarter_hour_lines_in_local_time_on_the_fall_back_day(tmp_path: Path) -> None:
    lines = ["prm,horodate,w00,w15,w30,w45"]
    for hour in range(24):
        lines.append(f"{C1},2026-10-25T{hour:02d}:00,1,2,3,4")
        if hour == 2:
            lines.append(f"{C1},2026-10-25T02:00,5,6,7,8")  # the repeated (winter) hour
    cons = write(tmp_path / "c.csv", "\n".join(lines) + "\n")
    prod = write(tmp_path / "p.csv", long_csv({P1: [10.0] * 100}, day(date(2026, 10, 25))))
    op = load_operation([cons], [prod])
    assert op.grid.n_steps == 100
    values = op.consumption.chunk(0, 100)[:, 0]
    assert values[8:16].tolist() == [1, 2, 3, 4, 5, 6, 7, 8]
    assert values[-4:].tolist() == [1, 2, 3, 4]


def data_connect(
    prm: str, start: str, readings: list[tuple[str, str]], length: str = "PT30M"
) -> str:
    import json

    return json.dumps(
        {
            "meter_reading": {
                "usage_point_id": prm,
                "start": start,
                "end": "2026-10-26",
                "reading_type": {"unit": "W", "measurement_kind": "power"},
                "interval_reading": [
                    {"value": v, "date": d, "interval_length": length} for d, v in readings
                ],
            }
        }
    )


def test_data_connect_json_end_of_step_and_repeated_hour(tmp_path: Path) -> None:
    # end-of-step dates over the fall-back night, local times without offset
    local = ["00:30", "01:00", "01:30", "02:00", "02:30", "02:00", "02:30", "03:00"]
    readings = [(f"2026-10-25 {t}:00", str(100 * (k + 1))) for k, t in enumerate(local)]
    cons = write(tmp_path / "c.json", data_connect(C1, "2026-10-25", readings))
    prod = write(tmp_path / "p.json", data_connect(P1, "2026-10-25", readings))
    op = load_operation([cons], [prod], options=LoadOptions(step_minutes=30))
    assert op.grid.start == int(day(date(2026, 10, 25)).timestamp())
    assert op.grid.n_steps == 8  # 00:00 -> 03:00 local spans four hours that night
    assert op.consumption.chunk(0, 8)[:, 0].tolist() == [100 * (k + 1) for k in range(8)]
    notes = " ".join(op.input_report["notes"])
    assert "« date » lu comme la fin du pas" in notes
    assert "2 relevés dans l'heure répétée" in notes
    assert op.input_report["files"][0]["format"] == "data-connect"


def test_data_connect_errors(tmp_path: Path) -> None:
    prod = write(tmp_path / "p.csv", long_csv({P1: [1.0]}, day(date(2026, 6, 1))))
    bad = write(tmp_path / "c.json", "{not json")
    with pytest.raises(AccInputError, match="JSON illisible"):
        load_operation([bad], [prod])
    bad = write(tmp_path / "c.json", '{"meter_reading": {}}')
    with pytest.raises(AccInputError, match="pas une courbe Data Connect"):
        load_operation([bad], [prod])
    readings = [("2026-06-01 05:00:00", "1")]
    bad = write(tmp_path / "c.json", data_connect(C1, "2026-06-01", readings))
    with raises_cli(AccInputError, "--timestamps start ou --timestamps end"):
        load_operation([bad], [prod])
    bad = write(
        tmp_path / "c.json", data_connect(C1, "2026-06-01", [("2026-06-01 00:30:00", "-4")])
    )
    with pytest.raises(AccInputError, match=r"ligne 1 : puissance -4 W invalide"):
        load_operation([bad], [prod])


def test_loading_reports_progress_in_bytes(tmp_path: Path) -> None:
    start = day(date(2026, 6, 1))
    n = 96 * 150  # 14,400 steps x 2 consumers: more than one report per file
    cons = write(tmp_path / "c.csv", long_csv({C1: [1.0] * n, C2: [2.0] * n}, start))
    prod = write(tmp_path / "p.csv", long_csv({P1: [3.0] * n}, start))
    calls: list[tuple[int, int]] = []
    load_operation([cons], [prod], progress=lambda done, total: calls.append((done, total)))
    total = cons.stat().st_size + prod.stat().st_size
    assert len(calls) > 2
    assert all(t == total for _, t in calls)
    done = [d for d, _ in calls]
    assert done == sorted(done) and done[-1] == total
