"""`linkytool mes` end to end through click: exit codes, outputs, files written."""

from __future__ import annotations

import json
import zipfile
from pathlib import Path

import pytest
from click.testing import CliRunner
from mes_helpers import DEMO, trust_screens

from linkytool.cli import cli
from linkytool.mes import Dossier, ReadingField, load_dossier, save_dossier


def run(*args: str, env: dict[str, str] | None = None) -> tuple[int, str, str]:
    result = CliRunner().invoke(cli, ["mes", *args], env=env)
    return result.exit_code, result.stdout, result.stderr


def test_new_writes_the_template_and_never_overwrites(tmp_path: Path) -> None:
    path = tmp_path / "d.toml"
    code, _, err = run("new", str(path))
    assert code == 0 and path.is_file() and "mes check" in err
    path.write_text(path.read_text() + "# à moi\n")
    code, _, err = run("new", str(path))
    assert code == 3 and "existe déjà" in err
    assert path.read_text().endswith("# à moi\n")
    code, _, _ = run("new", str(path), "--force")
    assert code == 0 and not path.read_text().endswith("# à moi\n")


def test_check_on_a_new_dossier_lists_missing_information(tmp_path: Path) -> None:
    path = tmp_path / "d.toml"
    run("new", str(path))
    code, out, err = run("check", str(path))
    assert code == 1
    assert "information manquante" in out and "power" in out
    assert "ne sont pas remplis" in err


def test_check_complete_dossier_json(complete: tuple[Dossier, Path]) -> None:
    _, path = complete
    code, out, _ = run("check", str(path), "--format", "json")
    assert code == 0
    rows = json.loads(out)
    assert {row["status"] for row in rows} == {"satisfied"}
    assert all(row["citation"] for row in rows)


def test_check_threshold_options(complete: tuple[Dossier, Path]) -> None:
    _, path = complete
    code, out, _ = run("check", str(path), "--max-delay", "0.5", "--format", "json")
    assert code == 1
    test_row = next(row for row in json.loads(out) if row["id"] == "test")
    assert test_row["status"] == "not_satisfied"
    # above --max-index the index is to be checked, not refused (domain review)
    code, out, err = run("check", str(path), "--max-index", "5")
    assert code == 0 and "[ok]" in out
    assert "Attention : index d'injection de 12 kWh, plus de 5 kWh" in err
    assert "attention : index d'injection de 12 kWh" in out  # under its rule


def test_attest_says_what_mes_check_says_to_look_at(
    complete: tuple[Dossier, Path], tmp_path: Path
) -> None:
    """A rule's warning (an index above --max-index: to be checked, not refused) is said
    when attesting too, not only by mes check (domain review, stop 33)."""
    _, path = complete
    out = tmp_path / "a.pdf"
    code, _, err = run("attest", str(path), "-o", str(out), "--max-index", "5", *_signatures(path))
    assert code == 0, err
    assert "À vérifier (Index d'injection plausible) : index d'injection de 12 kWh" in err


def test_invalid_dossier_exit_code_3(tmp_path: Path) -> None:
    path = tmp_path / "d.toml"
    path.write_text(DEMO.read_text().replace('prm = "30002345678901"', 'prm = "300"', 1))
    code, out, err = run("check", str(path))
    assert code == 3 and out == ""
    assert "case.prm : un PRM compte 14 chiffres" in err
    assert "Traceback" not in err


def test_attest_refuses_then_drafts(complete: tuple[Dossier, Path], tmp_path: Path) -> None:
    dossier, path = complete
    dossier.installation.finished = False
    save_dossier(dossier, path)
    out = tmp_path / "a.pdf"
    code, _, err = run("attest", str(path), "-o", str(out))
    assert code == 1 and not out.exists()
    assert "Installation achevée" in err and "--draft" in err
    code, _, err = run("attest", str(path), "-o", str(out), "--draft")
    assert code == 0 and out.read_bytes().startswith(b"%PDF")
    assert "Brouillon" in err


def test_attest_signed_with_env_password(
    complete: tuple[Dossier, Path], p12_key: tuple[bytes, bytes], tmp_path: Path
) -> None:
    _, path = complete
    key, password = p12_key
    p12 = tmp_path / "cle.p12"
    p12.write_bytes(key)
    out = tmp_path / "a.pdf"
    code, stdout, err = run(
        "attest",
        str(path),
        "-o",
        str(out),
        "--sign-p12",
        str(p12),
        "--signature",
        str(path.parent / "signature-producteur.png"),
        env={"LINKYTOOL_P12_PASSWORD": password.decode()},
    )
    assert code == 0, err
    assert stdout.strip() == str(out) and "signée" in err
    code, _, err = run("verify", str(out))
    assert code == 0, err
    code, _, err = run(
        "attest", str(path), "-o", str(out), "--sign-p12", str(p12), "--p12-password", "faux"
    )
    assert code == 3 and "mot de passe" in err


def _trust_recorded_screens(dossier: Dossier, path: Path) -> None:
    """Record OCR results (with file hashes) so that pack does not need tesseract."""
    trust_screens(path)


def _signatures(path: Path) -> list[str]:
    return [
        "--signature",
        str(path.parent / "signature-producteur.png"),
        "--installer-signature",
        str(path.parent / "signature-installateur.png"),
    ]


def test_pack_zip_end_to_end(complete: tuple[Dossier, Path], tmp_path: Path) -> None:
    dossier, path = complete
    _trust_recorded_screens(dossier, path)
    out = tmp_path / "envoi.zip"
    code, _, err = run("pack", str(path), "-o", str(out))
    assert code == 1 and "mes attest" in err and not out.exists()  # nothing produced yet
    pdf = tmp_path / "attestation.pdf"
    assert run("attest", str(path), "-o", str(pdf), *_signatures(path))[0] == 0
    code, stdout, err = run("pack", str(path), "-o", str(out))
    assert code == 0, err
    assert "photo-2-date-courante.jpg" in stdout and "message.txt" in err
    with zipfile.ZipFile(out) as archive:
        assert len(archive.namelist()) == 7
        assert archive.read("attestation-auto-mes.pdf") == pdf.read_bytes()


def test_pack_with_an_existing_attestation(complete: tuple[Dossier, Path], tmp_path: Path) -> None:
    dossier, path = complete
    _trust_recorded_screens(dossier, path)
    pdf = tmp_path / "a.pdf"
    assert run("attest", str(path), "-o", str(pdf), *_signatures(path))[0] == 0
    code, _, err = run("pack", str(path), "-o", str(tmp_path / "envoi"), "--attestation", str(pdf))
    assert code == 0, err
    assert (tmp_path / "envoi" / "attestation-auto-mes.pdf").read_bytes() == pdf.read_bytes()
    # a photo changed after the attestation: its reading is stale, the pack refused
    (path.parent / "photos" / "prm.jpg").write_bytes(
        (path.parent / "photos" / "date.jpg").read_bytes()
    )
    code, _, err = run("pack", str(path), "-o", str(tmp_path / "x"), "--attestation", str(pdf))
    assert code == 1 and "a changé depuis sa lecture" in err
    assert not (tmp_path / "x").exists()


def test_reading_command_appends_history(complete: tuple[Dossier, Path]) -> None:
    _, path = complete
    code, _, err = run(
        "reading",
        str(path),
        "injection_index",
        "000013",
        "--note",
        "contrôle",
        "--at",
        "2026-11-20T16:05",
    )
    assert code == 0, err
    history = load_dossier(path).readings.history(ReadingField.INJECTION_INDEX)
    assert [r.value for r in history][-2:] == ["12", "13"]
    assert history[-1].at is not None and history[-1].at.hour == 16
    code, _, err = run("reading", str(path), "prm", "1234")
    assert code == 3 and "14 chiffres" in err


@pytest.mark.parametrize("spelling", ["absolute", "relative"])
def test_reading_of_the_dossier_photo_by_any_path_is_not_stale(
    complete: tuple[Dossier, Path], spelling: str
) -> None:
    """QA: the dossier's own photo given by an absolute path (…/dossier/../photos/x.jpg)
    made the reading stale: « la photo du dossier (…) n'est pas celle qui a été lue »."""
    dossier, path = complete
    declared = dossier.photos.injection_index
    photo = path.parent / "sub" / ".." / declared
    given = str(photo) if spelling == "absolute" else f"./sub/../{declared}"
    (path.parent / "sub").mkdir()
    code, _, err = run("reading", str(path), "injection_index", "13", "--file", given)
    assert code == 0, err
    assert load_dossier(path).readings.current(ReadingField.INJECTION_INDEX).file == declared
    code, out, err = run("check", str(path))
    assert code == 0, out + err
    assert "13 kWh" in out and "périmé" not in err


def test_a_read_only_dossier_is_not_rewritten(complete: tuple[Dossier, Path]) -> None:
    """QA: `chmod 444 demo.toml` then mes reading: exit 0 and the file replaced (the atomic
    rename keeps the mode). The mode bits decide, so that the test holds as root too."""
    _, path = complete
    path.chmod(0o444)
    before = path.read_bytes()
    code, _, err = run("reading", str(path), "injection_index", "13")
    assert code == 6, err
    assert "est en lecture seule : le dossier n'a pas été modifié" in err
    assert "chmod u+w" in err
    assert path.read_bytes() == before
    path.chmod(0o644)
    code, _, err = run("reading", str(path), "injection_index", "13")
    assert code == 0, err


def test_test_command_records_and_judges(complete: tuple[Dossier, Path]) -> None:
    _, path = complete
    code, out, err = run(
        "test",
        str(path),
        "--opened-at",
        "2026-11-20T14:41:12",
        "--decoupled-at",
        "2026-11-20T14:41:20",
        "--message",
        "Grid Loss",
        "--seen",
        "--force",
    )
    assert code == 1 and "incohérent" in err  # stopwatch 0.8 s vs times 8 s apart
    code, out, err = run("test", str(path), "--delay", "8", "--force")
    assert code == 1 and json.loads(out)["passed"] is False and "8,0 s" in err
    code, out, err = run(
        "test", str(path), "--decoupled-at", "2026-11-20T14:41:13", "--delay", "1.1", "--force"
    )
    assert code == 0, err
    assert json.loads(out)["delay_s"] == 1.1
    assert load_dossier(path).decoupling_test.message == "Grid Loss"


def test_import_tic_from_a_real_capture(complete: tuple[Dossier, Path], samples_real: Path) -> None:
    _, path = complete
    capture = samples_real / "tic" / "goteleinfo-standard-mono.bin"
    # that meter is not the dossier's: refused, nothing added (QA: « ajoutés », exit 0)
    before = path.read_bytes()
    code, _, err = run("import-tic", str(path), str(capture))
    assert code == 3 and "vient du compteur du PRM 01234567890123" in err, err
    assert "30002345678901" in err and path.read_bytes() == before
    # the dossier of that meter: its PRM, date and index are recorded, and said
    dossier = load_dossier(path)
    dossier.case.prm = "01234567890123"
    save_dossier(dossier, path)
    code, _, err = run("import-tic", str(path), str(capture))
    assert code == 0, err
    assert "Relevés TIC ajoutés" in err and "Numéro de PRM" in err
    tic = load_dossier(path).readings.latest_from(ReadingField.PRM, "tic")  # type: ignore[arg-type]
    assert tic is not None and tic.value == "01234567890123" and tic.sha256


def test_a_file_that_is_no_tic_capture_is_said_so(
    complete: tuple[Dossier, Path], tmp_path: Path
) -> None:
    """QA: a JPEG given to import-tic was told « Le PRM n'est transmis qu'en TIC standard »."""
    _, path = complete
    photo = path.parent / "photos" / "prm.jpg"
    code, _, err = run("import-tic", str(path), str(photo))
    assert code == 3 and "n'est pas une capture TIC" in err, err
    assert "TIC standard" not in err


def test_import_tic_historique_has_no_prm(
    complete: tuple[Dossier, Path], samples_real: Path
) -> None:
    _, path = complete
    capture = samples_real / "tic" / "teleinfo-test-historique-hc.txt"
    if not capture.is_file():
        pytest.skip("real capture not available")
    code, _, err = run("import-tic", str(path), str(capture))
    assert code == 3 and "TIC standard" in err


def test_the_key_password_is_asked_for_not_only_an_option(
    complete: tuple[Dossier, Path],
    p12_key: tuple[bytes, bytes],
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    import linkytool.cli.mes as mes_cli

    _, path = complete
    key, password = p12_key
    p12 = tmp_path / "cle.p12"
    p12.write_bytes(key)
    out = tmp_path / "a.pdf"
    monkeypatch.setattr(mes_cli, "_interactive", lambda: True)
    result = CliRunner().invoke(
        cli,
        ["mes", "attest", str(path), "-o", str(out), "--sign-p12", str(p12)],
        input=password.decode() + "\n",
    )
    assert result.exit_code == 0, result.stderr
    assert "Mot de passe de la clé cle.p12" in result.stderr
    assert password.decode() not in result.stdout + result.stderr  # typed, never echoed
    assert load_dossier(path).attestation.signature == "pades"


def test_a_key_password_not_given_without_a_terminal_is_said_missing(
    complete: tuple[Dossier, Path],
    tmp_path: Path,
    p12_key: tuple[bytes, bytes],
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """QA: `mes attest --sign-p12 K` with stdin /dev/null said « mot de passe incorrect »."""
    import linkytool.cli.mes as mes_cli

    _, path = complete
    p12 = tmp_path / "cle.p12"
    p12.write_bytes(p12_key[0])
    monkeypatch.setattr(mes_cli, "_interactive", lambda: False)
    monkeypatch.delenv("LINKYTOOL_P12_PASSWORD", raising=False)
    out = tmp_path / "a.pdf"
    code, _, err = run("attest", str(path), "-o", str(out), "--sign-p12", str(p12))
    assert code == 3 and "demande un mot de passe, et aucun n'a été donné" in err, err
    assert "incorrect" not in err and "LINKYTOOL_P12_PASSWORD" in err
    assert not out.exists()


@pytest.mark.parametrize("option", ["--photo", "--tic"])
def test_test_evidence_that_does_not_exist_is_refused(
    complete: tuple[Dossier, Path], option: str
) -> None:
    """QA: `mes test --photo nope.jpg --tic nope.tic --force` exited 0 and recorded both."""
    _, path = complete
    before = path.read_bytes()
    code, _, err = run("test", str(path), option, "nope.bin", "--force")
    assert code == 3 and "Fichier introuvable" in err and "relatif au dossier" in err, err
    assert path.read_bytes() == before
    (path.parent / "nope.bin").write_bytes(b"x")
    code, _, err = run("test", str(path), option, "nope.bin", "--force")
    assert code != 3, err


def test_a_finished_test_is_replaced_after_a_yes_on_the_terminal(
    complete: tuple[Dossier, Path], monkeypatch: pytest.MonkeyPatch
) -> None:
    import linkytool.cli.mes as mes_cli

    _, path = complete
    monkeypatch.setattr(mes_cli, "_interactive", lambda: True)
    before = path.read_bytes()
    no = CliRunner().invoke(cli, ["mes", "test", str(path), "--message", "Grid Loss"], input="n\n")
    assert no.exit_code == 1 and path.read_bytes() == before
    assert "Remplacer l'essai consigné ?" in no.stderr
    # not « Rien n'a été modifié » before the question (QA): said after a no
    assert "Rien n'a été modifié" not in no.stderr and "inchangé" in no.stderr
    yes = CliRunner().invoke(cli, ["mes", "test", str(path), "--message", "Grid Loss"], input="o\n")
    assert yes.exit_code == 0, yes.stderr
    assert load_dossier(path).decoupling_test.message == "Grid Loss"


def test_check_csv_cites_the_procedure_as_its_help_says(complete: tuple[Dossier, Path]) -> None:
    """QA: the help promised the procedure's sentence in CSV; the CSV had 4 columns."""
    _, path = complete
    _, out, _ = run("check", str(path), "--format", "csv")
    header, first = out.splitlines()[:2]
    assert header.split(",") == [
        "kind",  # prerequisite, attestation or attestation_change (QA stop 35)
        "id",
        "title",
        "status_label",
        "detail",
        "action",
        "citation",
        "warnings",
        "field",  # what changed since the attestation (attestation_change rows)
        "attested",
        "current",
    ]
    assert "Injection du surplus" in first


@pytest.mark.parametrize("output_format", ["json", "jsonl", "csv"])
def test_check_data_says_the_signing_date_is_to_correct(
    complete: tuple[Dossier, Path], output_format: str
) -> None:
    """QA: with a signing date mes attest refuses, --format json and csv gave 12 rows
    « satisfied » and exit 1, the reason only on stderr."""
    import csv
    import io
    from datetime import date

    dossier, path = complete
    dossier.signatures.signed_on = date(2026, 11, 19)
    save_dossier(dossier, path)
    code, out, _ = run("check", str(path), "--format", output_format)
    assert code == 1
    if output_format == "json":
        rows = json.loads(out)
    elif output_format == "jsonl":
        rows = [json.loads(line) for line in out.splitlines()]
    else:
        rows = list(csv.DictReader(io.StringIO(out)))
    last = rows[-1]
    assert last["id"] == "signed_on" and len(rows) == 13
    assert "avant la mise en service du 20/11/2026" in last["detail"]
    assert "Corrigez signatures.signed_on" in last["action"]
    if output_format != "csv":
        assert last["kind"] == "attestation" and last["status"] == "not_satisfied"
        assert {row["kind"] for row in rows[:-1]} == {"prerequisite"}


def test_check_csv_gives_the_warnings(complete: tuple[Dossier, Path]) -> None:
    """QA: the warnings (an index to check...) were in JSON and the table, not in CSV."""
    import csv
    import io

    _, path = complete
    _, out, _ = run("check", str(path), "--max-index", "5", "--format", "csv")
    index = next(row for row in csv.DictReader(io.StringIO(out)) if row["id"] == "index")
    assert "12 kWh" in index["warnings"], index


def test_a_moment_that_names_no_time_is_a_bad_command_line(
    complete: tuple[Dossier, Path],
) -> None:
    """QA: `mes test --coupled-at "31/02/2026 10:00"` exited 3 (bad input file) while
    `--delay abc` exits 2: a bad option value is a bad command line."""
    _, path = complete
    before = path.read_bytes()
    for option in ("--coupled-at", "--opened-at", "--decoupled-at"):
        code, _, err = run("test", str(path), option, "31/02/2026 10:00")
        assert code == 2, (option, err)
        assert "Heure « 31/02/2026 10:00 » invalide" in err and "Formats acceptés" in err
    code, _, err = run("reading", str(path), "injection_index", "13", "--at", "25:99")
    assert code == 2, err
    assert path.read_bytes() == before


def test_reading_help_names_the_file_option_a_file() -> None:
    _, out, _ = run("reading", "--help")
    assert "--file FICHIER" in out and "--file TEXTE" not in out
    assert "--at MOMENT" in out


def test_attest_over_a_dossier_photo_suggests_a_pdf(
    complete: tuple[Dossier, Path],
) -> None:
    """QA: `mes attest -o <photo>` suggested « un nouveau dossier « envoi » » for a PDF,
    and named the photo dossier/../photos/x.jpg."""
    dossier, path = complete
    photo = path.parent / dossier.photos.prm
    before = photo.read_bytes()
    code, _, err = run("attest", str(path), "-o", str(photo))
    assert code == 6, err
    assert "attestation.pdf" in err and "« envoi »" not in err
    assert "/../" not in err
    assert photo.read_bytes() == before


def test_the_paths_printed_are_normalised(
    complete: tuple[Dossier, Path], monkeypatch: pytest.MonkeyPatch
) -> None:
    """QA: paths were printed as built (`/tmp/p/dossier/../att.pdf`), not as the user
    would type them from the current folder."""
    _, path = complete
    monkeypatch.chdir(path.parent)
    code, out, err = run("attest", path.name, "-o", "sous/../attestation.pdf")
    assert code == 0, err
    assert out.strip() == "attestation.pdf"
    assert "Attestation écrite : attestation.pdf (" in err
