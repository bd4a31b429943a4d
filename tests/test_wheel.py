"""linkytool installed from its wheel, far from the checkout, does the demo's jobs.

The wheel is built from this checkout and installed with its dependencies in a fresh
virtual environment; every command then runs from an empty folder, so the bundled samples
must come from the installed package, not from a ``samples/`` folder next to it.

The installation is made once per test session, however the test workers share this
file's tests; pip installs without byte-compiling (Python compiles what is imported).

The dependencies (348 MB, 5800 files: pyarrow, numpy, pillow...) are installed by pip from
the wheel's own metadata into a folder kept in the user's cache, keyed by the wheel's
``Requires-Dist``, the Python version and ``requirements.lock``; the fresh environment
of each session sees that folder through a ``.pth`` file and gets the wheel itself
installed anew. A dependency missing from ``pyproject.toml`` is still missing there (the
folder holds what pip installed for the declared ones, nothing from the checkout's
``.venv``), and any change to the declared dependencies makes pip install them again
(issue 14: re-installing the same 348 MB each session cost 15 s of CPU and as many to
delete). ``LINKYTOOL_TEST_CACHE`` (tests/conftest.py) is the cache folder.
"""

from __future__ import annotations

import contextlib
import fcntl
import hashlib
import os
import shutil
import subprocess
import sys
import time
import uuid
import zipfile
from collections.abc import Iterator
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]

pytestmark = pytest.mark.slow


def _run(
    args: list[str | Path], cwd: Path, timeout: float = 600
) -> subprocess.CompletedProcess[str]:
    env = {k: v for k, v in os.environ.items() if k not in ("PYTHONPATH", "VIRTUAL_ENV")}
    return subprocess.run(
        [str(a) for a in args],
        cwd=cwd,
        env=env,
        capture_output=True,
        text=True,
        timeout=timeout,
        check=False,
    )


def _install(base: Path) -> Path:
    """Build the wheel into ``base`` and install it in a fresh venv; its ``bin`` folder."""
    # Built from a private copy: pip builds in the source tree (build/, *.egg-info), and
    # two test workers building from the checkout at once broke each other's wheel.
    source = base / "source"
    source.mkdir()
    for name in ("pyproject.toml", "README.md"):
        shutil.copy2(ROOT / name, source / name)
    # devtools/ is copied too, so that the wheel test sees pyproject keep it out.
    for folder in ("linkytool", "devtools"):
        shutil.copytree(
            ROOT / folder, source / folder, ignore=shutil.ignore_patterns("__pycache__")
        )
    dist = base / "dist"
    wheel: list[str | Path] = [
        sys.executable,
        "-m",
        "pip",
        "wheel",
        "-q",
        "--no-deps",
        "-w",
        dist,
        source,
    ]
    built = _run(wheel, base)
    assert built.returncode == 0, built.stderr
    wheels = list(dist.glob("linkytool-*.whl"))
    assert len(wheels) == 1, wheels
    venv = base / "venv"
    # No pip of its own (ensurepip takes seconds): this pip installs into it.
    made = _run([sys.executable, "-m", "venv", "--without-pip", venv], base)
    assert made.returncode == 0, made.stderr
    python = venv / "bin" / "python"
    found = _run([python, "-c", "import sysconfig; print(sysconfig.get_path('purelib'))"], base)
    assert found.returncode == 0, found.stderr
    site_packages = Path(found.stdout.strip())
    (site_packages / "linkytool_test_dependencies.pth").write_text(
        f"{_dependencies(wheels[0])}\n", encoding="utf-8"
    )
    install: list[str | Path] = [sys.executable, "-m", "pip", "--python", python, "install"]
    pip = _run([*install, "-q", "--no-compile", "--no-deps", wheels[0]], base)
    assert pip.returncode == 0, pip.stderr
    return venv / "bin"


def _dependencies(wheel: Path) -> Path:
    """A folder holding what pip installs for the wheel's declared dependencies (only).

    Kept in the cache under a key of everything that decides what pip installs: the
    wheel's ``Requires-Python`` and ``Requires-Dist`` lines, this Python, the lock file.
    """
    with zipfile.ZipFile(wheel) as archive:
        (metadata,) = [n for n in archive.namelist() if n.endswith(".dist-info/METADATA")]
        lines = archive.read(metadata).decode("utf-8").splitlines()
    declared = sorted(line for line in lines if line.startswith("Requires-"))
    key = hashlib.sha256(
        "\n".join([*declared, sys.version, sys.platform]).encode()
        + (ROOT / "requirements.lock").read_bytes()
    ).hexdigest()[:16]
    root = Path(os.environ["LINKYTOOL_TEST_CACHE"])  # set by tests/conftest.py
    root.mkdir(parents=True, exist_ok=True)
    folder = root / key
    with _locked(root / f"{key}.lock"):
        if not (folder / ".complete").is_file():
            shutil.rmtree(folder, ignore_errors=True)  # a build cut short: start again
            pip = [sys.executable, "-m", "pip", "install", "-q", "--no-compile", "--target"]
            done = _run([*pip, folder, wheel], root)
            assert done.returncode == 0, done.stderr
            # The wheel itself is installed anew in each session's environment.
            for own in [folder / "linkytool", *folder.glob("linkytool-*.dist-info")]:
                shutil.rmtree(own)
            shutil.rmtree(folder / "bin", ignore_errors=True)
            (folder / ".complete").write_text(key, encoding="utf-8")
        os.utime(folder / ".complete")  # in use: see the pruning below
    for other in root.iterdir():  # folders of dependencies no session used for 30 days
        stamp = other / ".complete"
        if other.is_dir() and stamp.is_file() and time.time() - stamp.stat().st_mtime > 30 * 86400:
            shutil.rmtree(other, ignore_errors=True)
    return folder


@contextlib.contextmanager
def _locked(path: Path) -> Iterator[None]:
    """Hold an exclusive lock on ``path`` (shared by the test workers of one session)."""
    with path.open("a") as handle:
        fcntl.flock(handle, fcntl.LOCK_EX)
        try:
            yield
        finally:
            fcntl.flock(handle, fcntl.LOCK_UN)


@pytest.fixture(scope="module")
def installed(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The ``bin`` folder of a fresh virtual environment holding the built wheel.

    Made once per session: the first test worker to need it builds it, the others wait
    for it (all workers' temporary folders share one parent).
    """
    shared = tmp_path_factory.getbasetemp()
    if os.environ.get("PYTEST_XDIST_WORKER"):
        shared = shared.parent
    base = shared / "wheel"
    with _locked(shared / "wheel.lock"):
        done = base / "installed"
        if not done.is_file():
            shutil.rmtree(base, ignore_errors=True)  # a failed attempt: start again
            base.mkdir()
            done.write_text(str(_install(base)), encoding="utf-8")
        return Path(done.read_text(encoding="utf-8"))


def test_the_wheel_ships_the_samples_and_not_the_test_generator(
    installed: Path, tmp_path: Path
) -> None:
    code = (
        "import linkytool, pathlib, importlib.util as u;"
        "root = pathlib.Path(linkytool.__file__).parent;"
        "print((root / 'samples' / 'dossier' / 'demo.toml').is_file());"
        "print(u.find_spec('ocrsynth') is None);"
        "print(not (root / 'ocr' / 'synth').exists())"
    )
    result = _run([installed / "python", "-c", code], tmp_path)
    assert result.returncode == 0, result.stderr
    assert result.stdout.split() == ["True", "True", "True"]


def test_the_demo_copy_from_the_installed_package_has_every_file_its_dossier_reads(
    installed: Path, tmp_path: Path
) -> None:
    """QA: the demo's Prérequis warned « le fichier lu (../tic/demo-standard-consumer.bin)
    est introuvable »: the demo copied the dossier and photos, not the TIC capture."""
    code = (
        "import pathlib, sys;"
        "from linkytool.tui.demo import copy_samples;"
        "from linkytool.mes import service;"
        "result = service.check(copy_samples(pathlib.Path(sys.argv[1])));"
        "print(result.satisfied, list(result.warnings))"
    )
    result = _run([installed / "python", "-c", code, str(tmp_path / "demo")], tmp_path)
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == "True []", result.stdout


def test_acc_demo_runs_from_the_installed_package(installed: Path, tmp_path: Path) -> None:
    result = _run([installed / "linkytool", "acc", "demo", "-o", "sortie"], tmp_path)
    assert result.returncode == 0, result.stderr
    written = {p.name for p in (tmp_path / "sortie").iterdir()}
    assert {"allocations.csv", "participants.csv", "report.json"} <= written
    assert "Traceback" not in result.stderr


def test_ocr_reads_a_bundled_photo_from_the_installed_package(
    installed: Path, tmp_path: Path
) -> None:
    if shutil.which("tesseract") is None:
        pytest.skip("tesseract-ocr is not installed (./dev setup installs it)")
    locate = _run(
        [
            installed / "python",
            "-c",
            "import linkytool, pathlib;"
            "print(pathlib.Path(linkytool.__file__).parent / 'samples/photos/demo-prm.jpg')",
        ],
        tmp_path,
    )
    photo = locate.stdout.strip()
    result = _run([installed / "linkytool", "ocr", photo, "--format", "json"], tmp_path)
    assert result.returncode == 0, result.stderr
    assert "30002345678901" in result.stdout


def _screen(session: str) -> str:
    shown = subprocess.run(
        ["tmux", "capture-pane", "-t", session, "-p"], capture_output=True, text=True, check=False
    )
    return shown.stdout


def test_the_demo_opens_and_quits_from_the_installed_package(
    installed: Path, tmp_path: Path
) -> None:
    if shutil.which("tmux") is None:
        pytest.skip("tmux is not installed (./dev setup installs it)")
    session = f"lt-wheel-{uuid.uuid4().hex[:8]}"
    status = tmp_path / "status"
    command = (
        f"cd {tmp_path} && env XDG_CONFIG_HOME={tmp_path / 'config'} "
        f"XDG_STATE_HOME={tmp_path / 'state'} TMPDIR={tmp_path} "
        f"{installed / 'linkytool'} --demo; echo $? > {status}"
    )
    subprocess.run(
        ["tmux", "new-session", "-d", "-s", session, "-x", "80", "-y", "24", command], check=True
    )
    try:
        deadline = time.monotonic() + 120
        while "Compteur" not in _screen(session):
            assert time.monotonic() < deadline, _screen(session)
            time.sleep(0.2)
        assert "démo" in _screen(session)
        subprocess.run(["tmux", "send-keys", "-t", session, "C-q"], check=True)
        deadline = time.monotonic() + 60
        while not status.exists() or not status.read_text().strip():
            assert time.monotonic() < deadline, _screen(session)
            time.sleep(0.2)
        assert status.read_text().strip() == "0"
    finally:
        subprocess.run(["tmux", "kill-session", "-t", session], check=False, capture_output=True)
