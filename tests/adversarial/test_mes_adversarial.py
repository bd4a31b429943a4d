"""Adversarial suite for ``linkytool mes`` (issue 16): hostile files, special files, huge
and deep inputs, concurrent writers, forged PDFs, expired keys.

Every case runs the real command in a subprocess under ``resource`` limits (address
space, CPU time) with a wall-clock timeout, and asserts the exit code, that no traceback
reached the user, and that nothing the user had was lost.
"""

from __future__ import annotations

import datetime as dt
import os
import shutil
import subprocess
import sys
import zlib
from collections.abc import Iterator
from pathlib import Path

import pytest

from .harness import WALL_S, Limited, command, environment, run_limited

ROOT = Path(__file__).resolve().parents[2]


def mes(
    *args: str | Path, stderr_path: str | None = None, env: dict[str, str] | None = None
) -> Limited:
    """Run ``linkytool mes ARGS`` in a subprocess under the harness's limits."""
    ran = run_limited("mes", *args, stderr_path=stderr_path, env=env)
    assert "Traceback" not in ran.stderr, ran.stderr
    return ran


def _copy_demo(folder: Path) -> Path:
    """A copy of the bundled demo (dossier, photos, TIC captures) in ``folder``."""
    for part in ("dossier", "photos", "tic"):
        shutil.copytree(
            ROOT / "samples" / part,
            folder / "samples" / part,
            ignore=shutil.ignore_patterns("t[0-9]*"),
        )
    return folder / "samples" / "dossier" / "demo.toml"


@pytest.fixture
def demo(tmp_path: Path) -> Path:
    """A copy of the bundled demo (dossier, photos, TIC captures)."""
    return _copy_demo(tmp_path)


def _replace(path: Path, old: str, new: str) -> None:
    text = path.read_text(encoding="utf-8")
    assert old in text, old
    path.write_text(text.replace(old, new, 1), encoding="utf-8")


def _p12(tmp_path: Path, name: str = "Louis Bernard", **validity: dt.datetime) -> Path:
    sys.path.insert(0, str(ROOT / "tests" / "mes"))
    try:
        from forge import make_p12
    finally:
        sys.path.pop(0)
    path = tmp_path / f"{name.split(maxsplit=1)[0].lower()}.p12"
    path.write_bytes(make_p12(name, **validity))
    return path


# -- hostile bytes and special files as inputs -------------------------------------------


def _bomb_png(path: Path, width: int = 20_000, height: int = 10_000) -> None:
    """A tiny PNG declaring 200 Mpx (1-bit, every row zero): a decompression bomb."""
    import struct

    def chunk(kind: bytes, data: bytes) -> bytes:
        return (
            struct.pack(">I", len(data))
            + kind
            + data
            + struct.pack(">I", zlib.crc32(kind + data) & 0xFFFFFFFF)
        )

    row = b"\x00" + b"\x00" * ((width + 7) // 8)
    raw = zlib.compress(row * height, 9)
    header = struct.pack(">IIBBBBB", width, height, 1, 0, 0, 0, 0)
    path.write_bytes(
        b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", header) + chunk(b"IDAT", raw) + chunk(b"IEND", b"")
    )


@pytest.mark.parametrize("command", ["check", "attest", "pack"])
def test_decompression_bomb_photo_is_refused_cleanly(
    demo: Path, tmp_path: Path, command: str
) -> None:
    if command == "pack":
        assert mes("attest", demo, "-o", tmp_path / "a.pdf").code == 0
    _bomb_png(demo.parent / "bomb.png")
    _replace(demo, 'prm = "../photos/demo-prm.jpg"', 'prm = "bomb.png"')
    output = ["-o", str(tmp_path / ("out.pdf" if command == "attest" else "out.zip"))]
    ran = mes(command, demo, *(output if command != "check" else []))
    assert ran.code == 1
    assert "trop grande" in ran.stdout + ran.stderr or "bomb.png" in ran.stdout + ran.stderr


@pytest.mark.parametrize("special", ["/dev/zero", "fifo"])
def test_special_file_as_a_photo_is_refused_without_reading_it(
    demo: Path, tmp_path: Path, special: str
) -> None:
    target = special
    if special == "fifo":
        target = str(tmp_path / "photo.jpg")
        os.mkfifo(target)
    _replace(demo, 'date = "../photos/demo-date.jpg"', f'date = "{target}"')
    ran = mes("check", demo, "--format", "json")
    assert ran.code == 1 and "fichier spécial" in ran.stdout


def test_nul_byte_in_a_photo_path_is_bad_input(demo: Path) -> None:
    _replace(demo, 'prm = "../photos/demo-prm.jpg"', 'prm = "../photos/demo\\u0000prm.jpg"')
    ran = mes("check", demo)
    assert ran.code == 3 and "caractère nul" in ran.stderr


def test_toml_nested_5000_levels_is_bad_input(tmp_path: Path) -> None:
    path = tmp_path / "deep.toml"
    path.write_text("a = " + "[" * 5000 + "]" * 5000 + "\n")
    ran = mes("check", path)
    assert ran.code == 3 and "imbriquée" in ran.stderr


@pytest.mark.parametrize(
    ("old", "new", "fragment"),
    [
        ("schema = 1", "schema = 2", "format 2 plus récent"),
        ('prm = "30002345678901"', 'prm = "３０００２３４５６７８９０１"', "14 chiffres"),
        ("power_kva = 6.0", 'power_kva = "１_０００"', "nombre attendu"),
        ("power_kva = 6.0", 'power_kva = "1_000"', "nombre attendu"),
        ('name = "Camille Martin"', 'name = "' + "X" * 20_000 + '"', "texte trop long"),
        (
            'site_address = "12 rue des Lilas, 44000 Nantes"',
            'site_address = "' + "A" * 5_000 + '"',
            "texte trop long",
        ),
    ],
    ids=["schema-2", "fullwidth-prm", "fullwidth-power", "underscore-power", "name", "address"],
)
def test_corrupt_numbers_and_huge_texts_are_refused(
    demo: Path, tmp_path: Path, old: str, new: str, fragment: str
) -> None:
    _replace(demo, old, new)
    for args in (("check", demo), ("attest", demo, "-o", tmp_path / "a.pdf", "--draft")):
        ran = mes(*args)
        assert ran.code == 3 and fragment in ran.stderr, ran.stderr
    assert not (tmp_path / "a.pdf").exists()


def test_decoupling_message_of_5000_characters_is_refused_and_the_dossier_kept(
    demo: Path,
) -> None:
    before = demo.read_bytes()
    ran = mes("test", demo, "--message", "M" * 5000, "--force")
    assert ran.code == 3 and "texte trop long" in ran.stderr
    assert demo.read_bytes() == before


# -- special files as outputs ------------------------------------------------------------


@pytest.mark.parametrize("special", ["/dev/full", "fifo"])
def test_special_file_as_an_output_is_refused_not_replaced(
    demo: Path, tmp_path: Path, special: str
) -> None:
    target = Path(special)
    if special == "fifo":
        target = tmp_path / "sortie.pdf"
        os.mkfifo(target)
    ran = mes("attest", demo, "-o", target, "--draft")
    assert ran.code == 6 and "pas un fichier ordinaire" in ran.stderr
    assert target.is_char_device() or target.is_fifo()


# -- forged PDFs -------------------------------------------------------------------------


@pytest.fixture(scope="module")
def signed(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A signed attestation of the demo, made once for the tests that only read it (issue
    14: one ``mes attest --sign-p12`` subprocess instead of one per test)."""
    folder = tmp_path_factory.mktemp("signed")
    pdf = folder / "attestation.pdf"
    ran = mes(
        "attest", _copy_demo(folder), "-o", pdf, "--sign-p12", _p12(folder),
        env={"LINKYTOOL_P12_PASSWORD": "secret"},
    )  # fmt: skip
    assert ran.code == 0, ran.stderr
    _assert_no_stray_files(folder)
    return pdf


def test_verify_self_signed_prints_no_traceback_and_names_the_signer_in_french(
    signed: Path,
) -> None:
    ran = mes("verify", signed)
    assert ran.code == 0, ran.stderr
    assert "Nom : Louis Bernard" in ran.stdout and "Common Name" not in ran.stdout


def test_a_second_signature_over_a_forged_revision_fails(signed: Path, tmp_path: Path) -> None:
    """Issue 16 item 2: sign with A, change the embedded data, sign again with B."""
    sys.path.insert(0, str(ROOT / "tests" / "mes"))
    try:
        from forge import make_p12, rewrite_summary
    finally:
        sys.path.pop(0)
    from linkytool.mes.signing import sign_pdf

    forged = rewrite_summary(signed.read_bytes(), prm="99999999999999", injection_index_kwh=5)
    twice = sign_pdf(forged, make_p12("Mallory"), b"secret")
    path = tmp_path / "forged.pdf"
    path.write_bytes(twice)
    ran = mes("verify", path, "--format", "json")
    assert ran.code == 1
    assert "SignatureAutoMES" in ran.stderr and "modifié le contenu" in ran.stderr
    assert "99999999999999" not in ran.stdout  # forged data is not shown as if it verified


def test_corrupt_signature_contents_is_a_clean_failure(signed: Path, tmp_path: Path) -> None:
    data = bytearray(signed.read_bytes())
    start = data.index(b"/Contents <") + len(b"/Contents <")
    data[start : start + 400] = b"0" * 400
    path = tmp_path / "corrupt.pdf"
    path.write_bytes(bytes(data))
    ran = mes("verify", path)
    assert ran.code in (1, 3)


def test_not_a_pdf_is_bad_input(tmp_path: Path) -> None:
    path = tmp_path / "x.pdf"
    path.write_bytes(b"%PDF-1.7\n" + os.urandom(2000))
    assert mes("verify", path).code == 3


def test_an_expired_certificate_signs_and_verifies_with_a_warning(
    demo: Path, tmp_path: Path
) -> None:
    key = _p12(
        tmp_path,
        "Ancien Certificat",
        not_before=dt.datetime(2018, 1, 1, tzinfo=dt.UTC),
        not_after=dt.datetime(2020, 1, 1, tzinfo=dt.UTC),
    )
    pdf = tmp_path / "a.pdf"
    ran = mes(
        "attest", demo, "-o", pdf, "--sign-p12", key, env={"LINKYTOOL_P12_PASSWORD": "secret"}
    )
    assert ran.code == 0 and "expiré depuis le 01/01/2020" in ran.stderr
    ran = mes("verify", pdf)
    assert ran.code == 0 and "expiré depuis le 01/01/2020" in ran.stderr


# -- concurrent writers, links, staging --------------------------------------------------


def test_ten_concurrent_readings_are_all_kept(demo: Path) -> None:
    """Issue 16 item 6: ten ``mes reading`` at once leave ten readings."""
    processes = [
        subprocess.Popen(
            command("mes", "reading", demo, "injection_index", str(12 + i), "--note", f"n{i}"),
            stdout=subprocess.DEVNULL,
            stderr=subprocess.PIPE,
            env=environment(),
        )
        for i in range(10)
    ]
    for process in processes:
        _, err = process.communicate(timeout=WALL_S)
        assert process.returncode == 0, err.decode()
    from linkytool.mes import ReadingField, load_dossier

    notes = {r.note for r in load_dossier(demo).readings.history(ReadingField.INJECTION_INDEX)}
    assert {f"n{i}" for i in range(10)} <= notes


def test_a_dossier_behind_a_symlink_is_updated_through_it(demo: Path, tmp_path: Path) -> None:
    link = demo.parent / "lien.toml"
    link.symlink_to(demo.name)
    ran = mes("reading", link, "injection_index", "13")
    assert ran.code == 0, ran.stderr
    assert link.is_symlink() and "13" in demo.read_text(encoding="utf-8")


def test_a_precreated_staging_symlink_is_never_followed(demo: Path, tmp_path: Path) -> None:
    """Issue 16 item 4: ``.envoi.partiel`` planted as a link to another folder."""
    attestation = tmp_path / "a.pdf"
    assert mes("attest", demo, "-o", attestation).code == 0
    victim = tmp_path / "ailleurs"
    victim.mkdir()
    (victim / "precieux.txt").write_text("à garder")
    shared = tmp_path / "partage"
    shared.mkdir()
    (shared / ".envoi.partiel").symlink_to(victim)
    ran = mes("pack", demo, "-o", shared / "envoi")
    assert ran.code == 0, ran.stderr
    assert (shared / "envoi").is_dir() and not (shared / "envoi").is_symlink()
    assert sorted(p.name for p in victim.iterdir()) == ["precieux.txt"]
    assert (shared / ".envoi.partiel").is_symlink()  # left alone
    assert not [p for p in shared.iterdir() if p.name.startswith(".envoi.") and p.is_dir()
                and not p.is_symlink()]  # fmt: skip


def test_unwritable_stderr_keeps_the_exit_code(demo: Path) -> None:
    """Issue 16 item 12: diagnostics that cannot be written never change the answer."""
    ran = mes("check", demo, stderr_path="/dev/full")
    assert ran.code == 0


def _assert_no_stray_files(folder: Path) -> None:
    left = [p for p in folder.rglob("*.partiel") if not p.is_symlink()]
    left += list(folder.rglob("*.tmp"))
    assert not left, left


@pytest.fixture(autouse=True)
def _no_stray_files(tmp_path: Path) -> Iterator[None]:
    yield
    _assert_no_stray_files(tmp_path)
