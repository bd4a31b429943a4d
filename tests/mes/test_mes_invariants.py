"""The site-visit invariants of issue 12, each through the service layer and the CLI.

Named after what the installer saw: a wrong or unsigned dossier never leaves silently.
"""

from __future__ import annotations

import json
import zipfile
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path

import pytest
from click.testing import CliRunner
from forge import flip_byte, make_p12, rewrite_summary
from mes_helpers import NOW, SCREENS, copy_complete, screen_image, trust_screens
from pypdf import PdfReader

from linkytool.cli import cli
from linkytool.errors import OutputError
from linkytool.fileio import user_path
from linkytool.mes import Dossier, ReadingField, load_dossier, save_dossier, service
from linkytool.mes.errors import (
    AttestationError,
    DossierFileOutputError,
    DossierPhotoError,
    PrerequisitesError,
    TestOverwriteError,
    UnsignedAttestationError,
)
from linkytool.mes.model import ReadingSource, SignatureKind
from linkytool.mes.photos import sha256_file
from linkytool.mes.rules import NO_REFERENCES
from linkytool.mes.schema import PARIS
from linkytool.mes.signing import verify_signature

GENERATED = datetime(2026, 11, 20, 15, 0, tzinfo=PARIS)


def run(*args: str, env: dict[str, str] | None = None) -> tuple[int, str, str]:
    result = CliRunner().invoke(cli, ["mes", *args], env=env)
    return result.exit_code, result.stdout, result.stderr


@pytest.fixture(scope="session")
def trusted_dossier(
    complete_template: tuple[Dossier, Path], tmp_path_factory: pytest.TempPathFactory
) -> bytes:
    """The bytes of :func:`complete`'s dossier file once :func:`trust_screens` recorded its
    screens, computed once per test process (its photos are the same bytes in every test:
    so are the hashes it records; issue 14)."""
    _, path = copy_complete(complete_template, tmp_path_factory.mktemp("ready"))
    trust_screens(path)
    return path.read_bytes()


@pytest.fixture
def ready(complete: tuple[Dossier, Path], trusted_dossier: bytes) -> Path:
    """A complete dossier whose photos carry recorded screens (no OCR needed)."""
    _, path = complete
    path.write_bytes(trusted_dossier)
    return path


#: ``service.attest``'s output in the tests below that attest ``ready`` first.
PRODUCED = "attestation.pdf"


def attest_in_folder(
    complete_template: tuple[Dossier, Path],
    trusted_dossier: bytes,
    folder: Path,
    request: service.AttestationRequest,
) -> tuple[bytes, bytes]:
    """``service.attest`` of a ``ready`` dossier copied into ``folder`` to ``PRODUCED``:
    (the PDF's bytes, the dossier file's bytes once it recorded the attestation)."""
    _, path = copy_complete(complete_template, folder)
    path.write_bytes(trusted_dossier)
    service.attest(path, folder / PRODUCED, request)
    return (folder / PRODUCED).read_bytes(), path.read_bytes()


@pytest.fixture(scope="module")
def attested_files(
    complete_template: tuple[Dossier, Path],
    trusted_dossier: bytes,
    tmp_path_factory: pytest.TempPathFactory,
) -> tuple[bytes, bytes]:
    """:func:`attest_in_folder` unsigned, once per module (issue 14)."""
    request = service.AttestationRequest(now=GENERATED)
    folder = tmp_path_factory.mktemp("attested")
    return attest_in_folder(complete_template, trusted_dossier, folder, request)


@pytest.fixture
def attested(ready: Path, attested_files: tuple[bytes, bytes]) -> Path:
    """``ready`` as ``service.attest(ready, PRODUCED beside it, now=GENERATED)`` leaves it:
    the attestation written and recorded in the dossier (the same bytes as that call
    writes on the same files, laid out once per module: it was by each of four tests,
    0.25 s of CPU each; issue 14). Returns the attestation's path."""
    pdf, dossier = attested_files
    ready.write_bytes(dossier)
    produced = ready.parent / PRODUCED
    produced.write_bytes(pdf)
    return produced


def signatures(path: Path) -> list[str]:
    return [
        "--signature",
        str(path.parent / "signature-producteur.png"),
        "--installer-signature",
        str(path.parent / "signature-installateur.png"),
    ]


def forget_signature_images(path: Path) -> None:
    dossier = load_dossier(path, now=NOW)
    dossier.signatures.producer_image = ""
    dossier.signatures.installer_image = ""
    save_dossier(dossier, path)


def pdf_text(path: Path) -> str:
    return " ".join(" ".join(page.extract_text() or "" for page in PdfReader(path).pages).split())


# -- failure 1: an unsigned attestation in the pack --------------------------------------


def test_pack_sends_the_signed_attestation_produced_not_a_new_unsigned_one(
    ready: Path, tmp_path: Path
) -> None:
    """Failure 1: attest with signatures and a key, then pack as the README shows."""
    forget_signature_images(ready)
    key = tmp_path / "cle.p12"
    key.write_bytes(make_p12("Louis Bernard"))
    pdf = tmp_path / "attestation.pdf"
    code, _, err = run(
        "attest", str(ready), "-o", str(pdf), *signatures(ready), "--sign-p12", str(key),
        env={"LINKYTOOL_P12_PASSWORD": "secret"},
    )  # fmt: skip
    assert code == 0, err
    recorded = load_dossier(ready)
    # signature images given on the command line are kept in the dossier
    assert recorded.signatures.producer_image == "signature-producteur.png"
    assert recorded.attestation.sha256 == sha256_file(pdf)
    assert recorded.attestation.signature is SignatureKind.PADES
    out = tmp_path / "envoi-enedis.zip"
    code, _, err = run("pack", str(ready), "-o", str(out))
    assert code == 0, err
    with zipfile.ZipFile(out) as archive:
        packed = archive.read("attestation-auto-mes.pdf")
        message = archive.read("message.txt").decode("utf-8")
    assert packed == pdf.read_bytes()  # exactly the one produced, not rebuilt
    assert "signée électroniquement" in message
    (tmp_path / "packed.pdf").write_bytes(packed)
    code, _, err = run("verify", str(tmp_path / "packed.pdf"))
    assert code == 0, err


def test_a_final_attestation_without_any_signature_is_refused(ready: Path, tmp_path: Path) -> None:
    forget_signature_images(ready)
    pdf = tmp_path / "a.pdf"
    with pytest.raises(UnsignedAttestationError) as caught:
        service.attest(ready, pdf, service.AttestationRequest(now=GENERATED))
    assert not pdf.exists() and "clé de signature électronique" in caught.value.missing
    code, _, err = run("attest", str(ready), "-o", str(pdf))
    assert code == 1 and "--sign-by-hand" in err and not pdf.exists()


def test_to_be_signed_by_hand_says_so_and_is_never_called_signed(
    ready: Path, tmp_path: Path
) -> None:
    forget_signature_images(ready)
    pdf = tmp_path / "a.pdf"
    result = service.attest(ready, pdf, service.AttestationRequest(by_hand=True, now=GENERATED))
    assert result.signature is SignatureKind.BY_HAND and not result.signed
    text = pdf_text(pdf)
    assert "À IMPRIMER ET À SIGNER À LA MAIN" in text
    assert "Signature manuscrite après impression" in text
    out = tmp_path / "envoi"
    code, _, err = run("pack", str(ready), "-o", str(out))
    assert code == 0, err
    message = (out / "message.txt").read_text(encoding="utf-8")
    manifest = json.loads((out / "manifest.json").read_text(encoding="utf-8"))
    assert "signée (" not in message and "signée électroniquement" not in message
    assert "à signer à la main" in message
    # Enedis gets the signed scan: the message does not tell it « non signée » (QA)
    assert "non signée" not in message and "jointe imprimée, signée et numérisée" in message
    assert "à signer à la main" in manifest["files"][0]["description"]
    assert "imprimer" in err  # the pack says what to do with it


def test_a_draft_is_never_recorded_nor_packed(ready: Path, tmp_path: Path) -> None:
    pdf = tmp_path / "brouillon.pdf"
    code, _, _ = run("attest", str(ready), "-o", str(pdf), "--draft")
    assert code == 0
    assert load_dossier(ready).attestation.file == ""
    code, _, err = run("pack", str(ready), "-o", str(tmp_path / "e.zip"))
    assert code == 1 and "Aucune attestation finale" in err


# -- failure 2 and 8: a replaced photo keeps its old reading -----------------------------


def test_replaced_photo_makes_its_reading_stale(ready: Path, tmp_path: Path) -> None:
    """Failure 2: the date photo replaced by another screen's: check no longer counts
    the old reading, attest refuses (before: 12/12 and a final PDF)."""
    other = screen_image("CONSOMMATEUR", "")
    other.save(ready.parent / "photos" / "date.jpg", format="JPEG")
    result = service.check(ready)
    date = next(o for o in result.outcomes if o.id == "date")
    assert not date.satisfied and "a changé depuis sa lecture" in date.detail
    # the stale value is shown as the user reads it, not in ISO form
    assert "(20/11/2026 14:32)" in date.detail and "2026-11-20T" not in date.detail
    code, _, _ = run("check", str(ready), "--format", "json")
    assert code == 1
    code, _, err = run("attest", str(ready), "-o", str(tmp_path / "a.pdf"))
    assert code == 1 and "périmé" in err and not (tmp_path / "a.pdf").exists()
    # an index the same way, in kWh (it read « (12) »)
    other.save(ready.parent / "photos" / "index.jpg", format="JPEG")
    index = next(o for o in service.check(ready).outcomes if o.id == "index")
    assert "(12 kWh) périmé" in index.detail, index.detail


@pytest.mark.parametrize("replacement", ["not-a-linky.jpg", "truncated.jpg"])
def test_photos_pointing_at_another_file_makes_the_reading_stale(
    ready: Path, tmp_path: Path, replacement: str
) -> None:
    """Failure 8: [photos] prm pointed at another file (before: 12/12 and a signed PDF)."""
    target = ready.parent / "photos" / replacement
    if replacement.startswith("truncated"):
        target.write_bytes((ready.parent / "photos" / "prm.jpg").read_bytes()[:5000])
    else:
        screen_image("BONJOUR", "").save(target, format="JPEG")
    dossier = load_dossier(ready)
    dossier.photos.prm = f"photos/{replacement}"
    save_dossier(dossier, ready)
    prm = next(o for o in service.check(ready).outcomes if o.id == "prm")
    assert not prm.satisfied
    assert "n'est pas celle qui a été lue" in prm.detail
    code, _, _ = run("attest", str(ready), "-o", str(tmp_path / "a.pdf"), *signatures(ready))
    assert code == 1 and not (tmp_path / "a.pdf").exists()


def test_a_changed_tic_capture_makes_its_readings_stale(ready: Path) -> None:
    capture = ready.parent / "site.tic"
    capture.write_bytes(b"capture")
    from linkytool.mes import record_reading

    dossier = load_dossier(ready)

    dossier = record_reading(
        dossier, ReadingField.PRM, "30002345678901", "tic", file="site.tic",
        sha256=sha256_file(capture), at=GENERATED,
    )  # fmt: skip
    save_dossier(dossier, ready)
    assert next(o for o in service.check(ready).outcomes if o.id == "prm").satisfied
    capture.write_bytes(b"another capture")
    prm = next(o for o in service.check(ready).outcomes if o.id == "prm")
    assert not prm.satisfied and "site.tic" in prm.detail


# -- failure 7: pack --attestation only compared photo hashes ----------------------------


@pytest.fixture(scope="module")
def signed_files(
    complete_template: tuple[Dossier, Path],
    trusted_dossier: bytes,
    tmp_path_factory: pytest.TempPathFactory,
) -> tuple[bytes, bytes]:
    """:func:`attest_in_folder` signed with a throwaway key, once per module (issue 14)."""
    key = make_p12("Louis Bernard")
    request = service.AttestationRequest(key=service.SigningKey(key, b"secret"), now=GENERATED)
    folder = tmp_path_factory.mktemp("signed")
    return attest_in_folder(complete_template, trusted_dossier, folder, request)


@pytest.fixture
def signed_pdf(ready: Path, signed_files: tuple[bytes, bytes]) -> Path:
    """``ready`` attested and signed electronically (:func:`signed_files`'s bytes)."""
    pdf, dossier = signed_files
    ready.write_bytes(dossier)
    produced = ready.parent / PRODUCED
    produced.write_bytes(pdf)
    return produced


def _refused(ready: Path, given: Path, tmp_path: Path, fragment: str) -> None:
    out = tmp_path / f"envoi-{given.stem}"
    with pytest.raises(AttestationError) as caught:
        service.pack(ready, out, service.PackRequest(attestation=given))
    assert any(fragment in problem for problem in caught.value.problems), caught.value.problems
    assert not out.exists()
    code, _, err = run("pack", str(ready), "-o", str(out), "--attestation", str(given))
    assert code == 1 and "d'envoi prêt" not in err and "Traceback" not in err
    assert not out.exists()


def test_pack_refuses_a_signed_attestation_with_a_flipped_byte(
    ready: Path, signed_pdf: Path, tmp_path: Path
) -> None:
    forged = tmp_path / "flipped.pdf"
    forged.write_bytes(flip_byte(signed_pdf.read_bytes()))
    _refused(ready, forged, tmp_path, "modifié")


def test_pack_refuses_an_attestation_whose_data_changed_after_signing(
    ready: Path, signed_pdf: Path, tmp_path: Path
) -> None:
    forged = tmp_path / "rewritten.pdf"
    forged.write_bytes(rewrite_summary(signed_pdf.read_bytes(), injection_index_kwh=5))
    _refused(ready, forged, tmp_path, "après la signature")


def test_pack_refuses_an_unsigned_copy_that_is_not_the_one_produced(
    ready: Path, attested: Path, tmp_path: Path
) -> None:
    other = tmp_path / "other.pdf"
    built = service.build_attestation(
        load_dossier(ready),
        ready.parent,
        service.AttestationRequest(now=datetime(2026, 11, 21, 9, 0, tzinfo=PARIS)),
    )
    other.write_bytes(built.pdf)
    _refused(ready, other, tmp_path, "empreinte différente")


def test_pack_refuses_a_draft_from_another_producer(ready: Path, tmp_path: Path) -> None:
    dossier = load_dossier(ready)
    dossier.producer.name = "Quelqu'un d'autre"
    draft = tmp_path / "draft.pdf"
    draft.write_bytes(
        service.build_attestation(
            dossier, ready.parent, service.AttestationRequest(draft=True, now=GENERATED)
        ).pdf
    )
    _refused(ready, draft, tmp_path, "brouillon")
    _refused(ready, draft, tmp_path, "Quelqu'un d'autre")


def test_pack_refuses_the_recorded_attestation_once_edited(
    ready: Path, attested: Path, tmp_path: Path
) -> None:
    produced = attested
    produced.write_bytes(produced.read_bytes() + b"\n% retouche\n")
    with pytest.raises(AttestationError, match="ne peut pas être envoyée"):
        service.pack(ready, tmp_path / "envoi")


# -- a dossier changed after its attestation (QA, stop 32) --------------------------------


def _edit_after_attesting(ready: Path) -> None:
    """What an installer did after attesting: the index typed again, another company."""
    service.record_reading(ready, ReadingField.INJECTION_INDEX, "13", file="photos/index.jpg")
    dossier = load_dossier(ready)
    dossier.installer.company = "Autre Installateur SAS"
    save_dossier(dossier, ready)


def test_a_dossier_changed_after_its_attestation_cannot_send_or_sign_it(
    ready: Path, attested: Path, tmp_path: Path
) -> None:
    """The pack sent a PDF that said 12 kWh and « Soleil Pose SARL » with a message saying
    13 kWh and another company; `mes sign` signed it. Every field the attestation prints
    is now compared with the dossier."""
    produced = attested
    assert service.check(ready).attestation_changes == ()
    _edit_after_attesting(ready)
    out = tmp_path / "envoi"
    with pytest.raises(AttestationError) as caught:
        service.pack(ready, out)
    problems = caught.value.problems
    assert any(
        "Entreprise" in p and "« Autre Installateur SAS » dans le dossier" in p for p in problems
    ), problems
    assert any("Index d'injection à la MES : « 12 kWh" in p for p in problems), problems
    assert not out.exists()
    changes = service.check(ready).attestation_changes
    assert len(changes) == 2 and "13 kWh (saisie manuelle)" in changes[1].text, changes
    _, out, err = run("check", str(ready))
    assert "ne correspond plus au dossier (2 changements)" in err
    assert "Autre Installateur SAS" in out
    key = tmp_path / "cle.p12"
    key.write_bytes(make_p12("Louis Bernard"))
    before = produced.read_bytes()
    with pytest.raises(AttestationError, match="ne peut pas être signée"):
        service.sign(ready, service.SigningKey(key.read_bytes(), b"secret"))
    assert produced.read_bytes() == before


def test_check_lists_what_changed_since_the_attestation_in_every_format(
    ready: Path, attested: Path, make_photo: Callable[..., Path]
) -> None:
    """QA stop 35: what changed since the attestation was only said on stderr, so the
    table, JSON and CSV (what a script or the office reads) said nothing, and a photo
    replaced after signing was not said at all (the pack refused it). The typed result
    carries each change; every format renders it."""
    import csv
    import io

    from linkytool.mes.attestation_check import ChangeKind

    _edit_after_attesting(ready)
    make_photo("date.jpg", ReadingField.DATE, quality=70)  # retaken after signing...
    service.record_reading(  # ...and its value typed on it: every prerequisite holds
        ready, ReadingField.DATE, "20/11/2026 14:32", file="photos/date.jpg"
    )
    result = service.check(ready)
    assert result.satisfied
    kinds = [(c.kind, c.field) for c in result.attestation_changes]
    assert kinds == [
        (ChangeKind.FIELD, "3. Installateur – Entreprise"),
        (ChangeKind.FIELD, "6. Mise en service – Index d'injection à la MES"),
        (ChangeKind.FIELD, "7. Relevés du compteur – Date courante"),
        (ChangeKind.PHOTO, "date"),
    ], kinds
    company = result.attestation_changes[0]
    assert (company.attested, company.current) == ("Soleil Pose SARL", "Autre Installateur SAS")
    photo = result.attestation_changes[3]
    assert photo.current == sha256_file(ready.parent / "photos" / "date.jpg")
    assert "« Date courante »" in photo.text and "n'est pas celle de l'attestation" in photo.text
    _, table, _ = run("check", str(ready))
    assert "[à refaire]   Attestation produite – ne correspond plus au dossier" in table
    assert table.count("changé : ") == 4
    assert f"Refaites l'attestation (linkytool mes attest {ready}" in " ".join(table.split())
    _, out, _ = run("check", str(ready), "--format", "json")
    rows = [row for row in json.loads(out) if row["kind"] == "attestation_change"]
    assert [(r["id"], r["field"]) for r in rows] == [(kind.value, field) for kind, field in kinds]
    assert rows[0]["current"] == "Autre Installateur SAS"
    assert [r["detail"] for r in rows] == [c.text for c in result.attestation_changes]
    _, out, _ = run("check", str(ready), "--format", "csv")
    changed = [r for r in csv.DictReader(io.StringIO(out)) if r["kind"] == "attestation_change"]
    assert len(changed) == 4
    first = changed[0]
    assert (first["id"], first["field"], first["current"]) == (
        "field",
        "3. Installateur – Entreprise",
        "Autre Installateur SAS",
    )
    # the pack refuses the attestation for the very same reasons
    with pytest.raises(AttestationError) as caught:
        service.pack(ready, ready.parent / "envoi")
    assert photo.text in caught.value.problems and company.text in caught.value.problems


@pytest.mark.parametrize("recorded_originals", [True, False])
def test_a_photo_replaced_after_attesting_is_listed_without_preparing_it_again(
    ready: Path,
    attested: Path,
    make_photo: Callable[..., Path],
    monkeypatch: pytest.MonkeyPatch,
    recorded_originals: bool,
) -> None:
    """The attestation records each photo file's hash as found (``original_sha256``):
    check compares those, no photo prepared again (a 12 MB photo was re-encoded on every
    check, 1,9 s of CPU). An attestation produced before it recorded them is compared as
    the pack does, on the photos prepared as sent."""
    from linkytool.mes import submission

    pdf = attested.read_bytes()
    if not recorded_originals:
        from linkytool.mes.signing import read_embedded_summary

        summary = read_embedded_summary(pdf)
        assert summary is not None
        photos = [
            {k: v for k, v in item.items() if k != "original_sha256"} for item in summary["photos"]
        ]
        attested.write_bytes(rewrite_summary(pdf, photos=photos))
    assert service.check(ready).attestation_changes == ()
    make_photo("prm.jpg", ReadingField.PRM, quality=70)
    prepared: list[bool] = []
    load = submission.load_submitted_photos

    def counted(*args: object, **kwargs: object) -> object:
        prepared.append(True)
        return load(*args, **kwargs)  # type: ignore[arg-type]

    monkeypatch.setattr(service, "load_submitted_photos", counted)
    (change,) = service.check(ready).attestation_changes
    assert change.field == "prm" and "« Numéro de PRM »" in change.text
    assert prepared == ([] if recorded_originals else [True])


def test_an_attestation_still_matching_lists_no_change_in_any_format(
    ready: Path, attested: Path
) -> None:
    """No change: no change row, no « à refaire » (the JSON stays the 12 rules)."""
    assert service.check(ready).attestation_changes == ()
    code, table, err = run("check", str(ready))
    assert code == 0 and "à refaire" not in table and "ne correspond plus" not in err
    _, out, _ = run("check", str(ready), "--format", "json")
    assert {row["kind"] for row in json.loads(out)} == {"prerequisite"}


def test_an_attestation_to_sign_by_hand_is_not_signed_electronically(
    ready: Path, tmp_path: Path
) -> None:
    """`mes sign` on a `--sign-by-hand` attestation made a PDF saying « À IMPRIMER ET À
    SIGNER À LA MAIN … non signée » on every page, sent as « signée électroniquement »."""
    forget_signature_images(ready)
    produced = tmp_path / "a-la-main.pdf"
    service.attest(ready, produced, service.AttestationRequest(by_hand=True, now=GENERATED))
    before = produced.read_bytes()
    with pytest.raises(AttestationError, match="signer à la main") as caught:
        service.sign(ready, service.SigningKey(make_p12("Louis Bernard"), b"secret"))
    assert "--sign-p12" in str(caught.value)
    assert produced.read_bytes() == before
    assert load_dossier(ready).attestation.signature is SignatureKind.BY_HAND


@pytest.mark.parametrize(
    ("signed_on", "fragment"),
    [("2026-11-01", "avant la mise en service du 20/11/2026"), ("2026-11-22", "dans l'avenir")],
)
def test_an_attestation_is_not_signed_before_the_commissioning_it_attests(
    ready: Path, tmp_path: Path, signed_on: str, fragment: str
) -> None:
    """QA: « Fait à Nantes, le 01/11/2026 », 19 days before the test it attests."""
    dossier = load_dossier(ready)
    dossier.signatures.signed_on = datetime.fromisoformat(signed_on).date()
    save_dossier(dossier, ready)
    now = datetime(2026, 11, 21, 9, 0, tzinfo=PARIS)
    with pytest.raises(PrerequisitesError) as caught:
        service.attest(ready, tmp_path / "a.pdf", service.AttestationRequest(now=now))
    assert any(fragment in reason for reason in caught.value.reasons), caught.value.reasons
    assert not (tmp_path / "a.pdf").exists()
    # mes check says so from the same code, before mes attest refuses (domain review:
    # « Les 12 prérequis sont remplis : linkytool mes attest … », then a refusal)
    checked = service.check(ready, now=now)
    assert checked.satisfied and not checked.attestable
    assert [b for b in checked.attestation_blockers if fragment in b], checked
    assert checked.attestation_blockers == tuple(
        r for r in caught.value.reasons if r.startswith("date de signature")
    )


def test_mes_check_refuses_a_signing_date_before_the_commissioning(ready: Path) -> None:
    dossier = load_dossier(ready)
    dossier.signatures.signed_on = datetime(2026, 11, 19).date()
    save_dossier(dossier, ready)
    code, out, err = run("check", str(ready))
    assert code == 1 and "[NON]" not in out
    assert "le 19/11/2026, avant la mise en service du 20/11/2026" in err
    assert "Corrigez signatures.signed_on" in err
    assert "prérequis sont remplis : linkytool mes attest" not in err


def test_mes_attest_refused_for_its_signing_date_alone_says_so(ready: Path, tmp_path: Path) -> None:
    """QA: refused only for the signing date, mes attest said « des prérequis de l'auto-MES
    ne sont pas remplis » while mes check said they all are."""
    dossier = load_dossier(ready)
    dossier.signatures.signed_on = datetime(2026, 11, 19).date()
    save_dossier(dossier, ready)
    code, _, err = run("attest", str(ready), "-o", str(tmp_path / "a.pdf"))
    assert code == 1
    assert "les prérequis sont remplis, mais la date de signature est à corriger" in err
    assert "ne sont pas remplis" not in err
    assert "le 19/11/2026, avant la mise en service du 20/11/2026" in err
    assert "signatures.signed_on" in err.split("→", 1)[1]


def test_an_attestation_that_does_not_say_what_it_attests_is_not_sent(
    ready: Path, signed_pdf: Path, tmp_path: Path
) -> None:
    """An attestation without the embedded list of what it prints (an earlier linkytool's)
    cannot be shown to match the dossier."""
    forged = tmp_path / "ancienne.pdf"
    forged.write_bytes(rewrite_summary(signed_pdf.read_bytes(), attested=None))
    _refused(ready, forged, tmp_path, "ne dit pas ce qu'elle atteste")


#: What each demo screen shows, by screen.
SCREEN_VALUES = {"prm": "30002345678901", "date": "2026-11-20T14:32", "injection_index": "12"}


def _read_as(values: dict[str, str]) -> service.ScreenReader:
    """A screen reader that reads each photo (named after its screen: prm, date, index…)
    sure, with ``values`` by screen."""
    from types import SimpleNamespace

    screens = {"prm": "prm", "date": "date", "index": "injection_index"}

    def read(path: Path) -> object:
        screen = screens[path.stem.split("-")[0]]
        return SimpleNamespace(screen=screen, value=values[screen], confident=True)

    return read


def _never_read(path: Path) -> object:
    raise AssertionError(f"the pack read {path}: check could not have said the same")


def _check_and_pack_refuse(dossier: Path, out: Path, rule: str, fragment: str) -> None:
    """``mes check`` and ``mes pack`` give the same verdict on ``dossier``: ``rule`` not
    satisfied, its detail holding ``fragment``, the pack refusing with that very detail
    (before reading any photo) and writing nothing."""
    (failing,) = [o for o in service.check(dossier).failing if o.id == rule]
    assert fragment in failing.detail, failing.detail
    with pytest.raises(PrerequisitesError) as caught:
        service.pack(dossier, out, service.PackRequest(screen_reader=_never_read))
    assert f"{failing.title} : {failing.detail}" in caught.value.reasons
    assert not out.exists()


@pytest.mark.usefixtures("attested")
def test_a_photo_showing_another_index_than_the_one_declared_is_not_sent(
    ready: Path, tmp_path: Path, make_photo: Callable[..., Path]
) -> None:
    """QA: the index photo retaken (it shows 9 kWh), 12 typed without it; the pack sent
    the 9 kWh photo under a message saying « 12 kWh (photo) ». Then (QA stop 35) check
    passed with a warning while the pack read the photo and refused it: check and pack
    now give one verdict, from one rule (``rules.unread_photo``, then
    ``rules.photo_contradiction`` once the photo is read)."""
    retaken = user_path(make_photo("index-bis.jpg", ReadingField.INJECTION_INDEX, quality=80))
    dossier = load_dossier(ready)
    dossier.photos.injection_index = "photos/index-bis.jpg"
    save_dossier(dossier, ready)
    service.record_reading(ready, ReadingField.INJECTION_INDEX, "12")
    out = tmp_path / "envoi"
    _check_and_pack_refuse(
        ready, out, "index", f"12 kWh saisi sans sa photo ; la photo {retaken} n'a jamais été lue"
    )
    with pytest.raises(PrerequisitesError, match="jamais été lue"):
        service.attest(ready, tmp_path / "a.pdf", service.AttestationRequest(now=GENERATED))
    reads = {"prm": "30002345678901", "date": "2026-11-20T14:32", "injection_index": "9"}
    service.import_photos(ready, reader=_read_as(reads))
    service.record_reading(ready, ReadingField.INJECTION_INDEX, "12")
    _check_and_pack_refuse(
        ready, out, "index", "affiche 9 kWh (lecture OCR sûre), le dossier déclare 12 kWh"
    )
    # the photo read 12 sure: attested and sent
    reads["injection_index"] = "12"
    service.import_photos(ready, reader=_read_as(reads))
    assert service.check(ready).satisfied
    service.attest(ready, tmp_path / "a.pdf", service.AttestationRequest(now=GENERATED))
    service.pack(ready, out, service.PackRequest(screen_reader=_never_read))
    assert out.is_dir()


@pytest.mark.usefixtures("attested")
@pytest.mark.parametrize(
    ("shown", "sent"), [("2026-11-20T08:05", False), ("2026-11-20T14:40", True)]
)
def test_a_date_photo_is_sent_only_when_it_shows_the_commissioning(
    ready: Path, tmp_path: Path, make_photo: Callable[..., Path], shown: str, sent: bool
) -> None:
    """Check, attest and pack apply the ``date`` rule's own test (rules.shows_commissioning,
    15 min) to what the date photo shows: 08:05 is not 14:32, 14:40 is. A date typed
    without the retaken photo waits for its reading, in check and pack alike."""
    retaken = user_path(make_photo("date-bis.jpg", ReadingField.DATE, quality=80))
    dossier = load_dossier(ready)
    dossier.photos.date = "photos/date-bis.jpg"
    save_dossier(dossier, ready)
    service.record_reading(ready, ReadingField.DATE, "2026-11-20T14:32")
    out = tmp_path / "envoi"
    _check_and_pack_refuse(ready, out, "date", f"sans sa photo ; la photo {retaken} n'a")
    service.import_photos(ready, reader=_read_as({**SCREEN_VALUES, "date": shown}))
    if sent:
        service.attest(ready, tmp_path / "a.pdf", service.AttestationRequest(now=GENERATED))
        service.pack(ready, out, service.PackRequest(screen_reader=_never_read))
        assert out.is_dir()
        return
    _check_and_pack_refuse(ready, out, "date", "affiche 20/11/2026 08:05")


# -- failure 9: pack overwrote the dossier's own photo -----------------------------------


def test_pack_never_overwrites_a_photo_of_the_dossier(ready: Path, tmp_path: Path) -> None:
    """Failure 9: [photos] prm = "envoi/photo-1-numero-prm.jpg", mes pack -o envoi."""
    inside = ready.parent / "envoi"
    inside.mkdir()
    original = (ready.parent / "photos" / "prm.jpg").read_bytes()
    (inside / "photo-1-numero-prm.jpg").write_bytes(original)
    dossier = load_dossier(ready)
    dossier.photos.prm = "envoi/photo-1-numero-prm.jpg"
    save_dossier(dossier, ready)
    trust_screens(ready)
    service.attest(ready, tmp_path / "a.pdf", service.AttestationRequest(now=GENERATED))
    with pytest.raises(DossierFileOutputError):
        service.pack(ready, inside)
    code, _, err = run("pack", str(ready), "-o", str(inside))
    assert code == 6 and "fichier du dossier" in err
    assert (inside / "photo-1-numero-prm.jpg").read_bytes() == original


def test_attest_never_overwrites_a_file_of_the_dossier(ready: Path) -> None:
    photo = ready.parent / "photos" / "prm.jpg"
    before = photo.read_bytes()
    code, _, _ = run("attest", str(ready), "-o", str(photo))
    assert code == 6 and photo.read_bytes() == before


# -- the decoupling test belongs to this commissioning -----------------------------------


def test_a_test_days_away_from_the_commissioning_is_flagged(ready: Path) -> None:
    code, _, err = run(
        "test", str(ready), "--coupled-at", "2026-11-17T09:00", "--opened-at",
        "2026-11-17T09:05:00", "--decoupled-at", "2026-11-17T09:05:01", "--delay", "0.9",
        "--message", "Grid Loss", "--seen", "--force",
    )  # fmt: skip
    assert code == 1 and "lors de cette mise en service" in err
    test = next(o for o in service.check(ready).outcomes if o.id == "test")
    assert not test.satisfied and "17/11/2026" in test.detail


def test_overwriting_a_finished_test_asks_first(ready: Path) -> None:
    before = ready.read_bytes()
    changes = service.DecouplingTestChanges(message="Grid Loss")
    with pytest.raises(TestOverwriteError) as caught:
        service.record_decoupling_test(ready, changes)
    assert "message de l'onduleur" in caught.value.fields
    assert ready.read_bytes() == before
    code, _, err = run("test", str(ready), "--message", "Grid Loss")  # no terminal: no prompt
    assert code == 1 and "--force" in err and ready.read_bytes() == before
    record = service.record_decoupling_test(ready, changes, overwrite=True)
    assert record.replaced and load_dossier(ready).decoupling_test.message == "Grid Loss"
    # filling a field still empty is not a replacement
    service.record_decoupling_test(ready, service.DecouplingTestChanges(photo="photos/prm.jpg"))


# -- engraved references -----------------------------------------------------------------


@dataclass(frozen=True)
class FakeReading:
    screen: str
    value: str | None
    confidence: float = 0.99
    confident: bool = True
    references: str | None = None
    exif_time: datetime | None = None


def test_a_prm_photo_without_engraved_references_gets_a_warning(ready: Path) -> None:
    photo = ready.parent / "photos" / "prm.jpg"
    result = service.record_photo(ready, "prm", photo, FakeReading("prm", "30002345678901"))
    assert NO_REFERENCES in result.warnings
    assert NO_REFERENCES in service.check(ready).warnings
    with_refs = FakeReading("prm", "30002345678901", references="ADS 041864123456")
    result = service.record_photo(ready, "prm", photo, with_refs)
    assert result.warnings == () and result.meter_id == "041864123456"
    assert NO_REFERENCES not in service.check(ready).warnings


def test_one_route_from_a_photo_refuses_another_screen(ready: Path) -> None:
    before = ready.read_bytes()
    photo = ready.parent / "photos" / "date.jpg"
    with pytest.raises(DossierPhotoError) as caught:
        service.record_photo(ready, "date", photo, FakeReading("other", None))
    assert caught.value.role == "date" and caught.value.screen == "other"
    assert ready.read_bytes() == before


def test_a_corrected_value_stays_tied_to_its_photo(ready: Path) -> None:
    photo = ready.parent / "photos" / "index.jpg"
    result = service.record_photo(
        ready, "injection_index", photo, FakeReading("injection_index", "18"), value="13"
    )
    assert result.source is ReadingSource.MANUAL and result.value == "13"
    reading = load_dossier(ready).readings.current(ReadingField.INJECTION_INDEX)
    assert reading is not None and reading.sha256 == sha256_file(photo)
    photo.write_bytes(photo.read_bytes() + b"\0")
    index = next(o for o in service.check(ready).outcomes if o.id == "index")
    assert not index.satisfied and "a changé" in index.detail


def test_a_confirmed_unsure_value_counts(ready: Path) -> None:
    photo = ready.parent / "photos" / "index.jpg"
    unsure = FakeReading("injection_index", "12", confidence=0.5, confident=False)
    assert service.record_photo(ready, "injection_index", photo, unsure).to_confirm
    index = next(o for o in service.check(ready).outcomes if o.id == "index")
    assert not index.satisfied and "confiance" in index.detail
    service.record_photo(ready, "injection_index", photo, unsure, confirmed=True)
    assert next(o for o in service.check(ready).outcomes if o.id == "index").satisfied


def test_screens_used_in_tests_are_the_three_asked() -> None:
    assert set(SCREENS) == set(ReadingField)


def test_an_attestation_signed_afterwards_is_packed_as_signed_electronically(
    ready: Path, attested: Path, tmp_path: Path
) -> None:
    pdf = attested
    key = service.SigningKey(make_p12("Louis Bernard"), b"secret")
    signed = service.sign(ready, key)
    assert signed.path == pdf and "Louis Bernard" in (signed.signer or "")
    # named from the key, as verifying the signed file names it
    assert signed.signer == verify_signature(pdf.read_bytes()).signer == "Nom : Louis Bernard"
    assert load_dossier(ready).attestation.signature is SignatureKind.PADES
    outcome = service.pack(ready, tmp_path / "envoi")
    assert outcome.pack.signature is SignatureKind.PADES
    message = (tmp_path / "envoi" / "message.txt").read_text(encoding="utf-8")
    assert "signée électroniquement" in message


def test_a_photo_dated_in_the_future_says_the_phone_clock_is_wrong(ready: Path) -> None:
    """QA: the refusal blamed the dossier (« deviendrait invalide … readings…at ») with a
    TOML example."""
    from types import SimpleNamespace

    reading = SimpleNamespace(
        screen="injection_index",
        value="12",
        confident=True,
        confidence=1.0,
        exif_time=datetime(2099, 2, 9, 17, 54, tzinfo=PARIS),
        references=None,
    )
    before = ready.read_bytes()
    with pytest.raises(DossierPhotoError) as caught:
        service.record_photo(ready, "injection_index", ready.parent / "photos/index.jpg", reading)
    assert "datée par l'appareil du 09/02/2099 17:54, dans l'avenir" in caught.value.message
    assert "horloge du téléphone" in caught.value.message and "readings" not in caught.value.message
    assert ready.read_bytes() == before


def _cannot_write(*_: object, **__: object) -> None:
    raise OutputError("Impossible d'écrire dans le dossier /lecture-seule : lecture seule.")


def test_a_dossier_that_cannot_be_written_is_said_once_not_photo_by_photo(
    ready: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """QA (read-only folder): import-photos said « À reprendre » for each photo, as if
    they had to be retaken; the dossier cannot be written, which is one error (exit 6)."""
    monkeypatch.setattr(service, "update_dossier", _cannot_write)
    with pytest.raises(OutputError, match="Impossible d'écrire"):
        service.import_photos(ready, reader=_read_as(dict(SCREEN_VALUES)))


def test_an_attestation_written_but_not_recorded_says_so(
    ready: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """QA (read-only folder): `mes attest -o` wrote the PDF then said only « Impossible
    d'écrire dans le dossier »; `mes pack` then said « Aucune attestation finale »."""
    monkeypatch.setattr(service, "save_dossier", _cannot_write)
    out = tmp_path / "a.pdf"
    with pytest.raises(OutputError) as caught:
        service.attest(ready, out, service.AttestationRequest(now=GENERATED))
    assert f"L'attestation est écrite ({out})" in caught.value.message
    assert "mes pack" in (caught.value.hint or "") and out.is_file()
