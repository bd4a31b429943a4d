"""Lines of the coefficient, perimeter and calendar files (QA of main): a line with more
fields than its header is refused, never read in part (« 40,5 » in a comma file was read
as 40 %); dates are named in whole sentences; an exit on the entry day and a local time
the clocks skip are refused with what to type."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest
from acc_helpers import write
from test_acc_inputs import C1, C2, P1, one_day

from linkytool.acc import AccInputError, KeyKind, LoadOptions, load_operation

JUNE = date(2026, 6, 1)


@pytest.mark.parametrize(
    ("key", "text"),
    [
        (KeyKind.STATIC, f"prm,coefficient\n{C1},50\n{C2},40,5\n"),
        (KeyKind.STATIC, f"prm,coefficient,from\n{C1},50,\n{C2},40,5,\n"),
        (KeyKind.DYNAMIC, f"timestamp,prm,coefficient\n2026-06-01T00:00:00+02:00,{C2},60,5\n"),
        (
            KeyKind.FULL,
            f"timestamp,producer,consumer,coefficient\n2026-06-01T00:00:00+02:00,{P1},{C1},10\n"
            f"2026-06-01T00:00:00+02:00,{P1},{C2},60,5\n",
        ),
    ],
)
def test_a_decimal_comma_in_a_comma_coefficient_file_is_refused(
    tmp_path: Path, key: KeyKind, text: str
) -> None:
    cons, prod = one_day(tmp_path, JUNE)
    coefficients = write(tmp_path / "k.csv", text)
    width = text.splitlines()[0].count(",") + 1
    with pytest.raises(AccInputError) as caught:
        load_operation([cons], [prod], coefficients=coefficients, options=LoadOptions(key=key))
    last = len(text.splitlines())
    assert caught.value.message == (
        f"{coefficients}, ligne {last} : {width + 1} champs au lieu de {width}."
    )
    assert caught.value.hint is not None and "Une virgule décimale ?" in caught.value.hint


def test_extra_fields_in_perimeter_and_calendar_are_refused(tmp_path: Path) -> None:
    cons, prod = one_day(tmp_path, JUNE)
    perimeter = write(
        tmp_path / "perim.csv",
        f"prm,role,entry,exit\n{C1},consumer,,\n{C2},consumer,,,x\n{P1},producer,,\n",
    )
    with pytest.raises(AccInputError, match=r"perim.csv, ligne 3 : 5 champs au lieu de 4\."):
        load_operation([cons], [prod], perimeter=perimeter)
    calendar = write(tmp_path / "cal.csv", "class,days,start,end\nHP,all,00:00,24:00,x\n")
    with pytest.raises(AccInputError, match=r"cal.csv, ligne 2 : 5 champs au lieu de 4\."):
        load_operation([cons], [prod], calendar=calendar)


def test_optional_columns_left_off_a_line_are_empty(tmp_path: Path) -> None:
    """A hand-written perimeter line without its trailing empty exit reads as open (it
    raised IndexError before)."""
    cons, prod = one_day(tmp_path, JUNE)
    perimeter = write(
        tmp_path / "perim.csv",
        f"prm,role,entry,exit\n{C1},consumer\n{C2},consumer,2026-06-01\n{P1},producer,,\n",
    )
    op = load_operation([cons], [prod], perimeter=perimeter)
    assert op.consumers == (C1, C2)


def _perimeter_error(tmp_path: Path, entry: str, exit_: str) -> AccInputError:
    cons, prod = one_day(tmp_path, JUNE)
    perimeter = write(
        tmp_path / "perim.csv",
        f"prm,role,entry,exit\n{C1},consumer,{entry},{exit_}\n{C2},consumer,,\n{P1},producer,,\n",
    )
    with pytest.raises(AccInputError) as caught:
        load_operation([cons], [prod], perimeter=perimeter)
    return caught.value


def test_an_exit_on_the_entry_day_is_named_as_such(tmp_path: Path) -> None:
    """« la sortie précède l'entrée » for entry = exit was wrong: it is a participation of
    no step (exit is the first day out), refused with how to write one day."""
    error = _perimeter_error(tmp_path, "2026-06-01", "01/06/2026")
    assert "la sortie est le jour même de l'entrée (entrée 01/06/2026 00:00" in error.message
    assert "précède" not in error.message
    assert error.hint is not None and "le lendemain de l'entrée" in error.hint
    error = _perimeter_error(tmp_path, "2026-06-02", "2026-06-01")
    assert error.message.endswith(
        "la sortie précède l'entrée (entrée 02/06/2026 00:00, sortie 01/06/2026 00:00)."
    )


def test_an_unreadable_date_is_a_sentence(tmp_path: Path) -> None:
    error = _perimeter_error(tmp_path, "2026-13-01", "")
    assert error.message.endswith(
        "ligne 2 : la date d'entrée (colonne entry) « 2026-13-01 » est illisible."
    )
    cons, prod = one_day(tmp_path, JUNE)
    k = write(tmp_path / "k.csv", f"prm,coefficient,from\n{C1},50,demain\n")
    with pytest.raises(AccInputError) as caught:
        load_operation([cons], [prod], coefficients=k, options=LoadOptions(key=KeyKind.STATIC))
    assert caught.value.message.endswith(
        "la date de début de validité (colonne from) « demain » est illisible."
    )


@pytest.mark.parametrize("written", ["29/03/2026 02:30", "2026-03-29T02:30:00", "2026-03-29 02:30"])
def test_a_local_time_the_clocks_skip_says_so_and_what_to_type(
    tmp_path: Path, written: str
) -> None:
    error = _perimeter_error(tmp_path, "", written)
    assert error.message.endswith(
        f"la date de sortie (colonne exit) « {written} » n'existe pas : le 29/03/2026, les "
        "horloges passent de 02:00 à 03:00 (heure d'été), 02:30 n'a pas lieu."
    )
    assert error.hint is not None
    assert "Écrivez 29/03/2026 03:00" in error.hint
    assert "2026-03-29T03:00:00+02:00" in error.hint


def test_a_local_time_shown_twice_asks_for_the_offset(tmp_path: Path) -> None:
    error = _perimeter_error(tmp_path, "", "25/10/2026 02:30")
    assert "existe deux fois" in error.message
    assert error.hint is not None
    assert "2026-10-25T02:30:00+02:00" in error.hint and "2026-10-25T02:30:00+01:00" in error.hint


def test_local_times_and_instants_are_read(tmp_path: Path) -> None:
    """A wall time that exists is Paris time; an instant keeps its offset."""
    cons, prod = one_day(tmp_path, JUNE)
    for exit_ in ("01/06/2026 12:00", "2026-06-01T12:00:00", "2026-06-01T12:00:00+02:00"):
        perimeter = write(
            tmp_path / "perim.csv",
            f"prm,role,entry,exit\n{C1},consumer,,{exit_}\n{C2},consumer,,\n{P1},producer,,\n",
        )
        op = load_operation([cons], [prod], perimeter=perimeter)
        assert op.input_report["outside_perimeter"][0]["prm"] == C1, exit_
