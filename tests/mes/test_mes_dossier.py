"""Dossier files: template, validation messages, comment-keeping saves, atomic writes."""

from __future__ import annotations

import os
from datetime import date, datetime
from pathlib import Path

import pytest
from click.testing import CliRunner
from hypothesis import assume, given
from hypothesis import strategies as st
from mes_helpers import DEMO, NOW, demo_dossier

from linkytool.cli import cli
from linkytool.mes import (
    DossierError,
    ReadingField,
    ReadingSource,
    load_dossier,
    new_dossier_text,
    parse_dossier_text,
    record_reading,
    render_dossier,
    save_dossier,
)
from linkytool.mes.errors import ValidationIssue
from linkytool.mes.identifiers import is_valid_prm, is_valid_siret, luhn_sum
from linkytool.mes.readings import ReadingValueError, normalise_value
from linkytool.mes.schema import PARIS

BAD = Path(__file__).parent / "bad"


def issues_of(text: str) -> list[str]:
    with pytest.raises(DossierError) as caught:
        parse_dossier_text(text, now=NOW)
    return [str(issue) for issue in caught.value.issues]


def demo_text() -> str:
    return DEMO.read_text(encoding="utf-8")


def test_template_is_a_valid_empty_dossier_with_french_comments() -> None:
    text = new_dossier_text()
    dossier = parse_dossier_text(text, now=NOW)
    assert dossier.case.prm == ""
    assert dossier.case.connection_option is None
    assert "# Numéro PRM du point de livraison : 14 chiffres" in text


def test_demo_loads() -> None:
    dossier = load_dossier(DEMO, now=NOW)
    assert dossier.case.prm == "30002345678901"
    assert dossier.commissioning.at == datetime(2026, 11, 20, 14, 32, tzinfo=PARIS)
    current = dossier.readings.current(ReadingField.INJECTION_INDEX)
    assert current is not None and current.value == "12"


@pytest.mark.parametrize(
    ("old", "new", "expected"),
    [
        ('prm = "30002345678901"', 'prm = "3000234567890"', "pas 13 (« 3000234567890 »)"),
        ('prm = "30002345678901"', "prm = 30002345678901", "entre guillemets"),
        ('siret = "73282932000074"', 'siret = "73282932000075"', "clé de contrôle (Luhn)"),
        ("power_kva = 6.0", 'power_kva = "six"', "nombre attendu"),
        ("finished = true", 'finished = "oui"', "true ou false attendu"),
        ("at = 2026-11-20T14:32:00", "at = 2027-01-05T10:00:00", "est dans le futur"),
        ("consuel_visa_date = 2026-10-28", "consuel_visa_date = 2026-12-01", "dans le futur"),
        ("at = 2026-11-20T14:32:00", "at = 2026-11-20", "l'heure manque"),
        ('connection_option = "surplus"', 'connection_option = "totalite"', "valeurs possibles"),
        ("power_kva = 6.0", "power_kwa = 6.0", "vouliez-vous dire « power_kva »"),
        ("delay_s = 0.8", "delay_s = -0.5", "ne peut pas être négatif (-0,5)"),  # French
        ('email = "camille.martin@example.org"', 'email = "camille"', "courriel invalide"),
        ("consuel_visa_date = 2026-10-28", 'consuel_visa_date = "31/02/2026"', "JJ/MM/AAAA"),
        ("at = 2026-11-20T14:32:00", 'at = "20/11/2026 25:00"', "JJ/MM/AAAA HH:MM attendues"),
        ("at = 2026-11-20T14:32:00", 'at = "20/11/2026"', "l'heure manque (JJ/MM/AAAA"),
    ],
)
def test_validation_names_the_field_the_problem_and_an_example(
    old: str, new: str, expected: str
) -> None:
    text = demo_text()
    assert old in text
    issues = issues_of(text.replace(old, new, 1))
    assert any(expected in issue for issue in issues), issues
    assert all(" : " in issue for issue in issues)


def test_dates_and_decimal_commas_typed_in_french_are_read() -> None:
    """What the UI's form passes on as typed (``28/10/2026``, ``6,5``) reads like the
    TOML file's own dates and numbers."""
    text = demo_text()
    for old, new in [
        ("consuel_visa_date = 2026-10-28", 'consuel_visa_date = "02/10/2026"'),
        ("at = 2026-11-20T14:32:00", 'at = "20/11/2026 14:33:05"'),
        ("power_kva = 6.0", 'power_kva = "6,5"'),
    ]:
        assert old in text
        text = text.replace(old, new, 1)
    dossier = parse_dossier_text(text, now=NOW)
    assert dossier.documents.consuel_visa_date == date(2026, 10, 2)
    assert dossier.commissioning.at == datetime(2026, 11, 20, 14, 33, 5, tzinfo=PARIS)
    assert dossier.installation.power_kva == 6.5


def test_an_issue_reads_as_a_file_line_or_under_a_form_field() -> None:
    """The CLI names the path and a TOML line; a form shows the problem and the example
    as the installer types it (JJ/MM/AAAA, decimal comma, no quotes)."""
    prm = ValidationIssue("case.prm", "un PRM compte 14 chiffres", '"30002345678901"')
    assert str(prm) == 'case.prm : un PRM compte 14 chiffres (exemple : prm = "30002345678901")'
    assert prm.explanation == "un PRM compte 14 chiffres (exemple : 30002345678901)"
    moment = ValidationIssue("commissioning.at", "l'heure manque", "2026-11-20T14:32:00")
    assert moment.explanation == "l'heure manque (exemple : 20/11/2026 14:32)"
    power = ValidationIssue("installation.inverters[1].power_kva", "trop grand", "0.33")
    assert str(power).endswith("(exemple : power_kva = 0.33)")
    assert power.explanation == "trop grand (exemple : 0,33)"
    assert ValidationIssue("producer", "section manquante").explanation == "section manquante"


def test_missing_field_and_section() -> None:
    text = demo_text().replace('site_address = "12 rue des Lilas, 44000 Nantes"\n', "")
    issues = issues_of(text)
    assert any(i.startswith("case.site_address : champ manquant") for i in issues), issues
    assert any("exemple : site_address =" in i for i in issues)
    start = text.index("[producer]")
    end = text.index("[installer]")
    issues = issues_of(text[:start] + text[end:])
    assert any(i.startswith("producer : ") for i in issues), issues


def test_every_issue_is_reported_at_once() -> None:
    text = demo_text().replace('prm = "30002345678901"', 'prm = "123"', 1)
    text = text.replace('siret = "73282932000074"', 'siret = "12345678901234"')
    assert len(issues_of(text)) == 2


def test_not_toml_gives_a_line_number(tmp_path: Path) -> None:
    path = tmp_path / "x.toml"
    path.write_text('[case]\nprm = "3000\n', encoding="utf-8")
    with pytest.raises(DossierError, match="n'est pas un fichier TOML valide") as caught:
        load_dossier(path, now=NOW)
    assert "ligne 2" in str(caught.value)
    assert "guillemet fermant manquant" in str(caught.value)


@pytest.mark.parametrize(
    ("typed", "fixes"),
    [
        ("power_kva = 36,01", ("power_kva = 36.01", 'power_kva = "36,01"')),
        (
            "consuel_visa_date = 28/10/2026  # visa",
            ("consuel_visa_date = 2026-10-28", 'consuel_visa_date = "28/10/2026"'),
        ),
    ],
)
def test_a_value_typed_the_french_way_gets_its_toml_spelling(
    tmp_path: Path, typed: str, fixes: tuple[str, ...]
) -> None:
    """QA: a decimal comma or a JJ/MM/AAAA date got only « retour à la ligne attendu »."""
    key = typed.split(" ", 1)[0]
    lines = demo_text().splitlines()
    number = next(n for n, line in enumerate(lines, 1) if line.startswith(f"{key} = "))
    lines[number - 1] = typed
    path = tmp_path / "x.toml"
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    with pytest.raises(DossierError) as caught:
        load_dossier(path, now=NOW)
    message = str(caught.value)
    assert f"(ligne {number}, colonne " in message
    assert all(fix in message for fix in fixes), message


def test_missing_file_says_how_to_create_it(tmp_path: Path) -> None:
    with pytest.raises(DossierError) as caught:
        load_dossier(tmp_path / "absent.toml")
    assert caught.value.missing and caught.value.file == str(tmp_path / "absent.toml")
    assert "--" not in str(caught.value) and "linkytool" not in str(caught.value)
    result = CliRunner().invoke(cli, ["mes", "check", str(tmp_path / "absent.toml")])
    assert result.exit_code == 3  # the command line words its own hint (an InputFile check)


@pytest.mark.parametrize("name", sorted(p.name for p in BAD.glob("*.toml")))
def test_bad_dossier_files(name: str) -> None:
    path = BAD / name
    expected = path.read_text(encoding="utf-8").splitlines()[0].removeprefix("# expect: ")
    with pytest.raises(DossierError) as caught:
        load_dossier(path, now=NOW)
    assert expected in str(caught.value)


def test_save_keeps_comments_and_round_trips(tmp_path: Path) -> None:
    path = tmp_path / "d.toml"
    text = demo_text().replace("[producer]\n", "[producer]\n# Note perso : rappeler lundi\n")
    path.write_text(text, encoding="utf-8")
    dossier = load_dossier(path, now=NOW)
    dossier.producer.phone = "07 00 00 00 00"
    save_dossier(dossier, path)
    saved = path.read_text(encoding="utf-8")
    assert "# Note perso : rappeler lundi" in saved
    assert "# Numéro PRM du point de livraison" in saved
    assert 'phone = "07 00 00 00 00"' in saved
    assert load_dossier(path, now=NOW) == dossier


def test_saving_an_unchanged_dossier_changes_nothing(tmp_path: Path) -> None:
    assert render_dossier(demo_dossier(), demo_text()) == demo_text()


def test_saving_over_a_broken_file_keeps_a_copy_of_it(tmp_path: Path) -> None:
    path = tmp_path / "d.toml"
    path.write_text(demo_text(), encoding="utf-8")
    dossier = load_dossier(path, now=NOW)
    path.write_text(demo_text() + "\n[oops\n", encoding="utf-8")  # edited meanwhile
    save_dossier(dossier, path)
    assert load_dossier(path, now=NOW) == dossier
    assert (tmp_path / "d.invalide.toml").read_text(encoding="utf-8").endswith("[oops\n")


def test_record_reading_keeps_history(tmp_path: Path) -> None:
    path = tmp_path / "d.toml"
    path.write_text(demo_text(), encoding="utf-8")
    dossier = load_dossier(path, now=NOW)
    before = len(dossier.readings.history(ReadingField.INJECTION_INDEX))
    at = datetime(2026, 11, 20, 16, 0, tzinfo=PARIS)
    updated = record_reading(
        dossier, "injection_index", "0013 kWh", "manual", at=at, note="contrôle"
    )
    assert len(dossier.readings.history(ReadingField.INJECTION_INDEX)) == before  # untouched
    save_dossier(updated, path)
    again = load_dossier(path, now=NOW)
    history = again.readings.history(ReadingField.INJECTION_INDEX)
    assert len(history) == before + 1
    assert history[-1].value == "13" and history[-1].source is ReadingSource.MANUAL
    assert history[0].value == "12"


@pytest.mark.parametrize(
    ("which", "raw", "normalised"),
    [
        (ReadingField.PRM, "30002 34567 8901", "30002345678901"),
        (ReadingField.DATE, "20/11/2026 14:32", "2026-11-20T14:32"),
        (ReadingField.DATE, "20/11/26", "2026-11-20"),
        (ReadingField.DATE, "2026-11-20", "2026-11-20"),
        (ReadingField.INJECTION_INDEX, "000012", "12"),
    ],
)
def test_reading_values_are_normalised(which: ReadingField, raw: str, normalised: str) -> None:
    assert normalise_value(which, raw) == normalised


@pytest.mark.parametrize(
    ("which", "raw"),
    [
        (ReadingField.PRM, "3000234567890"),
        (ReadingField.DATE, "32/13/2026"),
        (ReadingField.INJECTION_INDEX, "12,5"),
    ],
)
def test_bad_reading_values_are_refused(which: ReadingField, raw: str) -> None:
    with pytest.raises(ReadingValueError):
        normalise_value(which, raw)


def test_interrupted_save_leaves_the_previous_dossier_intact(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    path = tmp_path / "d.toml"
    path.write_text(demo_text(), encoding="utf-8")
    dossier = load_dossier(path, now=NOW)
    dossier.producer.name = "Quelqu'un d'autre"

    def crash(*_args: object) -> None:
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(os, "replace", crash)
    with pytest.raises(Exception, match="précédent est intact"):
        save_dossier(dossier, path)
    monkeypatch.undo()
    assert path.read_text(encoding="utf-8") == demo_text()
    assert [p.name for p in tmp_path.iterdir()] == ["d.toml"]  # no temporary file left


def test_killed_writer_leaves_the_previous_dossier_intact(tmp_path: Path) -> None:
    """A process killed while writing (before the rename) never damages the dossier."""
    import signal
    import subprocess
    import sys

    path = tmp_path / "d.toml"
    path.write_text(demo_text(), encoding="utf-8")
    code = (
        "import os, signal, sys\n"
        "from linkytool.mes import load_dossier, save_dossier\n"
        "real = os.fsync\n"
        "def die(fd):\n"
        "    os.kill(os.getpid(), signal.SIGKILL)\n"
        "os.fsync = die\n"
        f"d = load_dossier({str(path)!r})\n"
        "d.producer.name = 'X'\n"
        f"save_dossier(d, {str(path)!r})\n"
    )
    result = subprocess.run([sys.executable, "-c", code], check=False, capture_output=True)
    assert result.returncode == -signal.SIGKILL
    assert path.read_text(encoding="utf-8") == demo_text()


def test_identifiers() -> None:
    assert is_valid_prm("30002345678901")
    assert not is_valid_prm("3000234567890")
    assert is_valid_siret("73282932000074")
    assert not is_valid_siret("73282932000075")
    assert is_valid_siret("35600000000048")  # La Poste head office: Luhn holds
    la_poste = next(
        f"356000000{n:05d}"
        for n in range(100000)
        if sum(map(int, f"356000000{n:05d}")) % 5 == 0 and luhn_sum(f"356000000{n:05d}") % 10
    )
    assert is_valid_siret(la_poste)  # other establishments: digit sum multiple of 5
    assert not is_valid_siret("35600000000049")


@given(st.text(alphabet="0123456789", min_size=13, max_size=13), st.integers(0, 12))
def test_siret_luhn_key_catches_any_single_digit_error(body: str, position: int) -> None:
    key = next(d for d in "0123456789" if luhn_sum(body + d) % 10 == 0)
    siret = body + key
    assume(not siret.startswith("356000000"))  # La Poste's own rule
    assert is_valid_siret(siret)
    wrong = siret[:position] + str((int(siret[position]) + 1) % 10) + siret[position + 1 :]
    assert not is_valid_siret(wrong)


def test_engraved_meter_id_from_ocr_references() -> None:
    from linkytool.mes.readings import engraved_meter_id

    assert engraved_meter_id("ADS 0418 6412 3456 Linky G1") == "041864123456"
    assert engraved_meter_id("LINKY") is None
    assert engraved_meter_id(None) is None
