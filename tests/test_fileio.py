"""Atomic writes: the previous file survives any failure during the write."""

from __future__ import annotations

import os
import threading
from pathlib import Path

import pytest

from linkytool.errors import ExitCode, InputFileError, OutputError
from linkytool.fileio import (
    atomic_directory,
    atomic_write_bytes,
    atomic_write_text,
    locked,
    read_regular_file,
)


def test_writes_and_replaces(tmp_path: Path) -> None:
    target = tmp_path / "sub" / "dossier.toml"
    atomic_write_text(target, "a = 1\n")
    atomic_write_text(target, "a = 2\n")
    assert target.read_text() == "a = 2\n"
    assert [p.name for p in target.parent.iterdir()] == ["dossier.toml"]


def test_keeps_permissions(tmp_path: Path) -> None:
    target = tmp_path / "f"
    target.write_text("x")
    target.chmod(0o600)
    atomic_write_bytes(target, b"y")
    assert target.stat().st_mode & 0o777 == 0o600


def test_interrupted_replace_leaves_previous_file(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    target = tmp_path / "dossier.toml"
    target.write_text("old\n")

    def crash(src: str, dst: str) -> None:
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(os, "replace", crash)
    with pytest.raises(OutputError) as info:
        atomic_write_text(target, "new\n")
    assert info.value.exit_code == ExitCode.OUTPUT
    assert "intact" in str(info.value)
    assert target.read_text() == "old\n"
    assert [p.name for p in tmp_path.iterdir()] == ["dossier.toml"]


def test_unwritable_directory_is_a_clear_error(tmp_path: Path) -> None:
    blocker = tmp_path / "file"
    blocker.write_text("")
    with pytest.raises(OutputError, match="Impossible"):
        atomic_write_text(blocker / "x.toml", "a")


def test_new_file_follows_umask(tmp_path: Path) -> None:
    previous = os.umask(0o022)
    try:
        atomic_write_text(tmp_path / "new.csv", "a\n")
    finally:
        os.umask(previous)
    assert (tmp_path / "new.csv").stat().st_mode & 0o777 == 0o644


def test_a_symlink_is_written_through_to_its_target(tmp_path: Path) -> None:
    target = tmp_path / "vrai.toml"
    target.write_text("old")
    link = tmp_path / "lien.toml"
    link.symlink_to(target.name)
    atomic_write_text(link, "new")
    assert link.is_symlink() and target.read_text() == "new"


@pytest.mark.parametrize("kind", ["fifo", "directory"])
def test_an_output_that_is_not_a_regular_file_is_refused(tmp_path: Path, kind: str) -> None:
    target = tmp_path / "sortie"
    if kind == "fifo":
        os.mkfifo(target)
    else:
        target.mkdir()
    with pytest.raises(OutputError, match="pas un fichier ordinaire"):
        atomic_write_bytes(target, b"x")
    assert target.is_fifo() or target.is_dir()


def test_dev_full_is_refused_not_replaced() -> None:
    if not Path("/dev/full").exists():
        pytest.skip("no /dev/full here")
    with pytest.raises(OutputError):
        atomic_write_bytes("/dev/full", b"x")
    assert Path("/dev/full").is_char_device()


def test_a_directory_set_appears_at_once_and_replaces_the_previous(tmp_path: Path) -> None:
    out = tmp_path / "envoi"
    with atomic_directory(out) as staged:
        staged.write("a.txt", b"1")
        assert not out.exists()  # nothing visible before the swap
    with atomic_directory(out) as staged:
        staged.write("b.txt", b"2")
    assert sorted(p.name for p in out.iterdir()) == ["b.txt"]
    assert [p.name for p in tmp_path.iterdir()] == ["envoi"]


def test_a_failed_set_leaves_the_previous_one_and_nothing_partial(tmp_path: Path) -> None:
    out = tmp_path / "envoi"
    with atomic_directory(out) as staged:
        staged.write("a.txt", b"1")
    with pytest.raises(OutputError, match="intact"), atomic_directory(out) as staged:
        staged.write("b.txt", b"2")
        raise OSError(28, "No space left on device")
    assert sorted(p.name for p in out.iterdir()) == ["a.txt"]
    assert [p.name for p in tmp_path.iterdir()] == ["envoi"]


def test_staging_never_follows_a_planted_link(tmp_path: Path) -> None:
    victim = tmp_path / "victim"
    victim.mkdir()
    (tmp_path / ".envoi.partiel").symlink_to(victim)
    with atomic_directory(tmp_path / "envoi") as staged:
        staged.write("a.txt", b"1")
        assert staged.path.stat().st_mode & 0o777 == 0o700  # private while filled
    assert list(victim.iterdir()) == [] and (tmp_path / "envoi" / "a.txt").is_file()


def test_locked_read_modify_write_loses_no_update(tmp_path: Path) -> None:
    counter = tmp_path / "n.txt"
    counter.write_text("0")

    def bump() -> None:
        for _ in range(20):
            with locked(counter):
                value = int(counter.read_text())
                atomic_write_text(counter, str(value + 1))

    threads = [threading.Thread(target=bump) for _ in range(5)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert counter.read_text() == "100"


@pytest.mark.parametrize("special", ["/dev/zero", "fifo", "nul"])
def test_bounded_read_refuses_special_files(tmp_path: Path, special: str) -> None:
    path = special
    if special == "fifo":
        path = str(tmp_path / "tube")
        os.mkfifo(path)
    elif special == "nul":
        path = str(tmp_path / "a\x00b")
    with pytest.raises(InputFileError):
        read_regular_file(path, limit=1000, what="photo")


def test_bounded_read_refuses_a_file_over_the_limit(tmp_path: Path) -> None:
    path = tmp_path / "big"
    path.write_bytes(b"x" * 2000)
    with pytest.raises(InputFileError, match="trop volumineux"):
        read_regular_file(path, limit=1000, what="photo")
    assert read_regular_file(path, limit=2000) == b"x" * 2000
