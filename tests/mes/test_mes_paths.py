"""How messages name the dossier's files: a path the user can act on from where they are
(QA stop 35: « ../../s/tic/capture.txt », relative to the dossier, meant nothing to a
user in another folder). One helper, ``linkytool.fileio.user_path``, for every message;
these tests build their expectations with it too."""

from __future__ import annotations

import os
import re
from pathlib import Path

import pytest
from click.testing import CliRunner
from mes_helpers import trust_screens

from linkytool.cli import cli
from linkytool.fileio import user_path
from linkytool.mes import Dossier, ReadingField, load_dossier, save_dossier, service
from linkytool.mes.photos import PathNamer


def run(*args: str) -> tuple[int, str, str]:
    result = CliRunner().invoke(cli, ["mes", *args])
    return result.exit_code, result.stdout, result.stderr


def test_a_path_inside_the_current_folder_is_relative_else_absolute(tmp_path: Path) -> None:
    chantier = tmp_path / "chantier"
    assert user_path("../s/tic/capture.txt", base=chantier, cwd=tmp_path) == "s/tic/capture.txt"
    # from the dossier's own folder it would climb out: absolute
    assert user_path("../s/tic/capture.txt", base=chantier, cwd=chantier) == str(
        tmp_path / "s" / "tic" / "capture.txt"
    )
    assert user_path("photos/p.jpg", base=chantier, cwd=chantier) == "photos/p.jpg"
    assert user_path(str(chantier / "x" / ".." / "p.jpg"), cwd="/") == str(chantier / "p.jpg")
    # never longer than the absolute path
    assert user_path("/a", cwd="/") == "/a"
    assert user_path("a\x00b", cwd=tmp_path) == "a\x00b"  # a NUL byte: named, not looked up


def test_a_symbolic_link_before_dotdot_names_the_real_file(tmp_path: Path) -> None:
    """« link/../photos » is not « photos » when link is a symbolic link: the message
    names the file the dossier really reads."""
    (tmp_path / "real" / "dossier").mkdir(parents=True)
    (tmp_path / "real" / "photos").mkdir()
    (tmp_path / "real" / "photos" / "p.jpg").write_bytes(b"x")
    (tmp_path / "link").symlink_to(tmp_path / "real" / "dossier")
    shown = user_path("../photos/p.jpg", base=tmp_path / "link", cwd=tmp_path)
    assert shown == "real/photos/p.jpg"
    assert (tmp_path / shown).is_file()


def test_the_namer_of_a_dossier_held_in_memory_keeps_what_it_writes() -> None:
    assert PathNamer()("../photos/demo-index.jpg") == "../photos/demo-index.jpg"


def _moved_into(path: Path, folder: str) -> Path:
    """The dossier at ``path`` moved into the subfolder ``folder``: every file it names
    then starts with « ../ » (the case QA saw)."""
    dossier: Dossier = load_dossier(path)
    for role in ReadingField:
        setattr(dossier.photos, role.value, "../" + getattr(dossier.photos, role.value))
    dossier.signatures.producer_image = "../" + dossier.signatures.producer_image
    dossier.signatures.installer_image = "../" + dossier.signatures.installer_image
    for which in ReadingField:
        for reading in dossier.readings.history(which):
            if reading.file:
                reading.file = "../" + reading.file
    moved = path.parent / folder / path.name
    moved.parent.mkdir()
    moved.write_bytes(path.read_bytes())
    save_dossier(dossier, moved)
    path.unlink()
    return moved


@pytest.mark.parametrize("where", ["above", "dossier", "elsewhere"])
def test_check_names_a_photo_the_user_can_give_back_from_where_they_are(
    complete: tuple[Dossier, Path],
    make_photo: object,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    where: str,
) -> None:
    """From the folder above the dossier, from the dossier's own folder and from another
    one, `mes check` names the photo as that folder sees it (never « ../photos/… » from
    elsewhere), and the `--file` it advises works typed as printed."""
    _, path = complete
    trust_screens(path)
    dossier_path = _moved_into(path, "chantier")
    retaken = make_photo("index-bis.jpg", ReadingField.INJECTION_INDEX, quality=80)  # type: ignore[operator]
    dossier = load_dossier(dossier_path)
    dossier.photos.injection_index = "../photos/index-bis.jpg"
    save_dossier(dossier, dossier_path)
    service.record_reading(dossier_path, ReadingField.INJECTION_INDEX, "12")
    cwd = {"above": tmp_path, "dossier": dossier_path.parent, "elsewhere": Path("/")}[where]
    monkeypatch.chdir(cwd)
    shown = user_path(retaken)
    assert (
        shown
        == {
            "above": "photos/index-bis.jpg",
            "dossier": str(retaken),
            "elsewhere": str(retaken),
        }[where]
    )
    code, out, _ = run("check", str(dossier_path))
    assert code == 1
    flat = " ".join(out.split())
    assert f"la photo {shown} n'a jamais été lue" in flat, flat
    assert "../photos" not in flat
    advised = re.search(r"--file (\S+)\)", flat)
    assert advised is not None and advised.group(1) == shown
    code, _, err = run(
        "reading", str(dossier_path), "injection_index", "12", "--file", advised.group(1)
    )
    assert code == 0, err
    assert load_dossier(dossier_path).readings.current(ReadingField.INJECTION_INDEX).file == (
        "../photos/index-bis.jpg"
    )
    code, out, err = run("check", str(dossier_path))
    assert code == 0, out + err


def test_a_file_named_as_the_dossier_writes_it_is_still_accepted(
    complete: tuple[Dossier, Path], monkeypatch: pytest.MonkeyPatch
) -> None:
    """`--file` relative to the dossier (what earlier messages and the docs said) still
    works from another folder; a missing one is named as the user can look for it."""
    _, path = complete
    monkeypatch.chdir("/")
    code, _, err = run("reading", str(path), "injection_index", "12", "--file", "photos/index.jpg")
    assert code == 0, err
    code, _, err = run("reading", str(path), "injection_index", "12", "--file", "nope.jpg")
    assert code == 3
    assert f"soit {path.parent / 'nope.jpg'})" in err
    assert os.path.isabs(str(path))


def test_import_photos_names_a_photo_to_retake_from_where_the_user_is(
    complete: tuple[Dossier, Path], tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """`mes import-photos` said « À reprendre : ../photos/… » (as the dossier writes it)."""
    from linkytool.mes.errors import DossierPhotoError

    def unreadable(path: Path) -> object:
        raise DossierPhotoError("Aucune valeur lisible.")

    monkeypatch.setattr(service, "default_screen_reader", lambda: unreadable)
    _, path = complete
    dossier_path = _moved_into(path, "chantier")
    monkeypatch.chdir(tmp_path)
    code, _, err = run("import-photos", str(dossier_path))
    assert code == 1
    assert "À reprendre : photos/prm.jpg : Aucune valeur lisible." in err, err
    assert "../photos" not in err
