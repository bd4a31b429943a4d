"""Shared fixtures: where the real samples live, hypothesis profiles, slowest tests first."""

from __future__ import annotations

import gc
import os
import shutil
import sys
import tempfile
from collections.abc import Callable
from pathlib import Path
from typing import Any, TypeVar

import pytest
from hypothesis import HealthCheck, settings

ROOT = Path(__file__).resolve().parent.parent
T = TypeVar("T")


#: What the tests keep between sessions (compiled bytecode, the wheel test's installed
#: dependencies): ``LINKYTOOL_TEST_CACHE``, by default in the user's cache folder. Set here
#: for the test workers and the tests; an empty folder gives a first session's figures.
os.environ.setdefault(
    "LINKYTOOL_TEST_CACHE",
    str(Path(os.environ.get("XDG_CACHE_HOME") or Path.home() / ".cache") / "linkytool-tests"),
)


#: Where the tests' temporary files go: ``LINKYTOOL_TEST_TMPDIR`` if set (empty: the
#: system's ``TMPDIR``), else ``/dev/shm`` when it is a writable tmpfs with room enough.
SHARED_MEMORY = Path("/dev/shm")
#: Free space /dev/shm needs to hold a session's temporary files [bytes]: a session writes
#: about 650 MB, passed tests' folders removed as it goes; a container's default 64 MB
#: /dev/shm would fail tests with "no space left", so the system's TMPDIR is kept then.
SHARED_MEMORY_NEEDED = 2 * 1024**3


def free_bytes(folder: Path) -> int:
    """Space left for an unprivileged writer in ``folder`` [bytes] (0 when unknown)."""
    try:
        stats = os.statvfs(folder)
    except OSError:
        return 0
    return stats.f_bavail * stats.f_frsize


def is_tmpfs(folder: Path) -> bool:
    """True when ``folder`` is the mount point of a tmpfs (Linux's ``/proc/mounts``)."""
    try:
        mounts = Path("/proc/mounts").read_text(encoding="utf-8")
    except OSError:
        return False
    return any(line.split()[1:3] == [str(folder), "tmpfs"] for line in mounts.splitlines())


def temporary_files_in_memory() -> None:
    """The tests' temporary folders (``tmp_path``, the subprocesses' ``TMPDIR``) on tmpfs.

    Every dossier save, draft and output of linkytool is an atomic write with two
    ``fsync`` calls: 12 ms each on this machine's disk when quiet, 66 ms under load (the
    Prérequis fuzz test alone made 133 of them, 10 s of its wall time waiting on the disk),
    0.1 ms on tmpfs. The code under test is the same (it still calls ``fsync``); only the
    file system differs, as on a machine whose ``/tmp`` is tmpfs. Set before the test
    workers and subprocesses start: they inherit ``TMPDIR`` (issue 14).
    """
    chosen = os.environ.get("LINKYTOOL_TEST_TMPDIR")
    if chosen is None:
        usable = (
            is_tmpfs(SHARED_MEMORY)
            and os.access(SHARED_MEMORY, os.W_OK)
            and free_bytes(SHARED_MEMORY) >= SHARED_MEMORY_NEEDED
        )
        chosen = str(SHARED_MEMORY) if usable else ""
        os.environ["LINKYTOOL_TEST_TMPDIR"] = chosen  # the workers make the same choice
    if chosen:
        os.environ["TMPDIR"] = chosen
        tempfile.tempdir = None  # gettempdir() reads TMPDIR again


temporary_files_in_memory()


def keep_bytecode_out_of_the_tree() -> None:
    """Where ``PYTHONDONTWRITEBYTECODE`` is set, compile once into a cache folder instead.

    Without it every test worker rewrote the asserts of all 200-odd test modules again
    (6 s of CPU per worker, a third of it per process of the session), and every
    ``linkytool`` subprocess compiled the modules it imports (issue 14). The bytecode
    goes to the tests' cache (``PYTHONPYCACHEPREFIX``), never beside the sources, as that
    variable intends; set before the workers and subprocesses start, they inherit it.
    """
    if not (sys.dont_write_bytecode or os.environ.get("PYTHONDONTWRITEBYTECODE")):
        return
    if sys.pycache_prefix is None:
        sys.pycache_prefix = str(Path(os.environ["LINKYTOOL_TEST_CACHE"]) / "pycache")
    os.environ["PYTHONPYCACHEPREFIX"] = sys.pycache_prefix
    os.environ.pop("PYTHONDONTWRITEBYTECODE", None)
    sys.dont_write_bytecode = False
    # Modules compiled from earlier sessions' temporary folders (the wheel's venv) are
    # never read again.
    for stale in Path(sys.pycache_prefix + tempfile.gettempdir()).glob("pytest-of-*"):
        shutil.rmtree(stale, ignore_errors=True)


keep_bytecode_out_of_the_tree()

#: The folders whose modules the test workers import (and compile, when a fresh clone has
#: no bytecode yet): the tests, the package, the synthetic-photo generator.
COMPILED_FOLDERS = ("tests", "linkytool", "devtools")


def worker_order(files: list[Path], worker: str, count: int) -> list[Path]:
    """The order in which test worker ``worker`` (``gwN`` of ``count``) goes through the
    files to compile: the largest first, each worker starting at its own ``N / count`` of
    the list and going round, so that the workers meet as late as possible."""
    ordered = sorted(files, key=lambda path: (-path.stat().st_size, str(path)))
    start = int(worker.removeprefix("gw")) * len(ordered) // count
    return ordered[start:] + ordered[:start]


def is_collected(path: Path, tests: Path, args: list[str]) -> bool:
    """Whether the session asked for by ``args`` (pytest's paths, ``tests`` by default)
    imports ``path`` when collecting: outside ``tests`` (the package and the tools) or
    under one of the paths; a ``conftest.py`` also above one. Unknown arguments: all."""
    if not path.is_relative_to(tests):
        return True
    for arg in args or [str(tests)]:
        asked = Path(arg.split("::")[0]).resolve()
        if not asked.exists():
            return True
        if path == asked or path.is_relative_to(asked):
            return True
        if path.name == "conftest.py" and asked.is_relative_to(path.parent):
            return True
    return False


def rewritten_pyc_is_fresh(pyc: Path, source: bytes) -> bool:
    """Whether pytest's cached rewrite ``pyc`` is of ``source`` (its checked-hash header,
    as pytest's own ``_read_pyc`` checks it, without loading the code)."""
    import importlib.util

    try:
        with open(pyc, "rb") as file:
            header = file.read(16)
    except OSError:
        return False
    expected = importlib.util.MAGIC_NUMBER + b"\x03\x00\x00\x00"
    return header == expected + importlib.util.source_hash(source)[:8]


def compile_shared(
    config: pytest.Config,
    folders: tuple[str, ...] = COMPILED_FOLDERS,
    args: list[str] | None = None,
) -> None:
    """The test workers compile the modules a session imports between them, before they
    collect, where the bytecode is missing or stale (``args``: the paths asked for, by
    default the session's).

    In a fresh clone (a new path: ``bench/suite_time.py``'s clones, CI) every worker
    compiled every module it imported, and rewrote the asserts of all 150-odd test modules
    (pytest's rewriting walks each module's syntax tree in Python): 3.3 s of CPU per
    worker, the same work three times (issue 14). Each worker now goes through the files
    from its own starting point and compiles those no other worker is compiling (a lock on
    the source file, never waited for), writing the cache files pytest and Python would
    write themselves (pytest's rewritten modules keyed by the source's hash, Python's by its
    timestamp); then it collects, reading what the others wrote. A module not written yet
    when it is imported is compiled again, as before: correctness never depends on this.
    Modules already compiled (a second session) are only checked (their headers).
    """
    worker = os.environ.get("PYTEST_XDIST_WORKER")
    count = int(os.environ.get("PYTEST_XDIST_WORKER_COUNT", "0"))
    if worker is None or count < 2 or sys.dont_write_bytecode:
        return
    import compileall
    import fcntl

    try:  # pytest's own cache of rewritten test modules (private: skipped if it changes)
        from _pytest.assertion import rewrite

        state = config.stash[rewrite.assertstate_key]
    except (ImportError, AttributeError, KeyError):
        return
    tests = ROOT / "tests"
    files = [
        path
        for folder in folders
        for path in (ROOT / folder).rglob("*.py")
        if "__pycache__" not in path.parts
        and is_collected(path, tests, config.args if args is None else args)
    ]
    for path in worker_order(files, worker, count):
        rewritten = path.name == "conftest.py" or path.name.startswith("test_")
        with open(path, "rb") as file:
            try:
                fcntl.flock(file, fcntl.LOCK_EX | fcntl.LOCK_NB)
            except BlockingIOError:
                continue  # another worker is compiling it
            if not (rewritten and path.is_relative_to(tests)):
                compileall.compile_file(path, quiet=2)
                continue
            cache = rewrite.get_cache_dir(path)
            pyc = cache / (path.name[:-3] + rewrite.PYC_TAIL)
            if rewritten_pyc_is_fresh(pyc, file.read()) or not rewrite.try_makedirs(cache):
                continue
            try:
                source_hash, code = rewrite._rewrite_test(path, config)
                rewrite._write_pyc(state, code, source_hash, pyc)
            except SyntaxError:
                continue  # pytest's collection reports it, as it did without the sharing
            except (TypeError, AttributeError, ValueError):
                return  # pytest's private API changed: each worker compiles alone again


@pytest.hookimpl(tryfirst=True)
def pytest_collection(session: pytest.Session) -> None:
    compile_shared(session.config)


#: Real captures and data from public sources, copied from ``shared/samples-real`` with
#: their provenance (read-only, never edited): a bare clone runs the whole suite.
SAMPLES_REAL = ROOT / "tests" / "data" / "real"
#: The source documents the rules quote (copied from ``shared/reference``).
REFERENCE = ROOT / "tests" / "data" / "reference"
#: linkytool's own bundled samples.
SAMPLES = ROOT / "samples"

# Shared machines are noisy: no per-example deadline; CI runs the same number of examples.
settings.register_profile(
    "default", deadline=None, suppress_health_check=[HealthCheck.too_slow], max_examples=200
)
settings.register_profile(
    "ci", deadline=None, suppress_health_check=[HealthCheck.too_slow], max_examples=200
)
settings.load_profile("ci" if os.environ.get("CI") else "default")

#: Node ids of the slowest tests, slowest first (``#`` comments; no ``[...]``: every case).
SLOWEST = ROOT / "tests" / "slowest.txt"


def slowest_first_rank() -> dict[str, int]:
    """Node id (or test without its parameters) -> rank in ``tests/slowest.txt``."""
    lines = SLOWEST.read_text(encoding="utf-8").splitlines() if SLOWEST.is_file() else []
    ids = [line.strip() for line in lines if line.strip() and not line.startswith("#")]
    return {node_id: rank for rank, node_id in reversed(list(enumerate(ids)))}


#: Test workers per core for ``-n auto`` (``./dev test``): the suite waits part of its time
#: on timers, subprocesses, ptys and tmux (2 cores, one worker each: 272 s of wall for
#: 390 s of CPU, so a quarter of the time one core is idle), and a third worker fills
#: those waits. Measured with bench/suite_time.py, both sides interleaved (issue 14).
WORKERS_PER_CORE = 1.5


def pytest_xdist_auto_num_workers(config: pytest.Config) -> int | None:
    """``-n auto``: :data:`WORKERS_PER_CORE` workers per usable core
    (``PYTEST_XDIST_AUTO_NUM_WORKERS``, when set, decides instead, as without this hook)."""
    if os.environ.get("PYTEST_XDIST_AUTO_NUM_WORKERS"):
        return None
    cores = len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else os.cpu_count()
    return max(1, round((cores or 1) * WORKERS_PER_CORE))


@pytest.hookimpl(trylast=True)
def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    """Slowest tests first (the rest in collection order): xdist's work stealing hands
    out the long tests early and the workers finish together (issue 14)."""
    rank = slowest_first_rank()
    last = len(rank)

    def key(item: pytest.Item) -> int:
        return rank.get(item.nodeid, rank.get(item.nodeid.split("[")[0], last))

    items.sort(key=key)


#: Allocations (net of frees) between two young-generation garbage collections in the test
#: processes (Python's default: 700). The UI tests allocate millions of short-lived
#: objects (Textual's messages, strips, styles), and with the default threshold each
#: worker spent about a fifth of its CPU in the collector, mostly walking the same
#: long-lived objects (modules, collected tests) again and again (issue 14). The older
#: generations keep their defaults: a cycle is still collected, only in larger batches.
GC_YOUNG_THRESHOLD = 10_000


def pytest_collection_finish(session: pytest.Session) -> None:
    """Once the tests are collected: what exists now lives for the whole session (imported
    modules, test items, parametrised values), so it is moved out of the collector's reach
    (``gc.freeze``: never traversed again, never freed) and the young generation is
    collected in larger batches (:data:`GC_YOUNG_THRESHOLD`). Objects made by the tests
    are collected exactly as before, only less often. Only this test process changes:
    the processes the tests start (the ``linkytool`` command, its photo workers, the
    served UI) keep Python's defaults (issue 14)."""
    gc.collect()
    gc.freeze()
    _, older, oldest = gc.get_threshold()
    gc.set_threshold(GC_YOUNG_THRESHOLD, older, oldest)


@pytest.fixture(scope="session")
def session_folder(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A folder shared by every test worker of this session (and of this session only):
    for work done once per session rather than once per worker. Under xdist each worker's
    base temporary folder is ``<session's>/popen-gwN``."""
    base = tmp_path_factory.getbasetemp()
    return base.parent if os.environ.get("PYTEST_XDIST_WORKER") else base


class SessionStore:
    """Results computed once per test session for all its test workers, kept as pickles
    in ``folder`` (under :func:`session_folder`: made empty for each session, so the code
    that computed an entry cannot have changed since). The first worker that needs a
    result computes it; one that needs it meanwhile waits for it (one lock per key)
    rather than compute it twice. A computation that raises keeps nothing."""

    def __init__(self, folder: Path) -> None:
        self.folder = folder
        self.folder.mkdir(parents=True, exist_ok=True)

    def get(self, key: str, compute: Callable[[], T]) -> T:
        import fcntl
        import pickle

        entry = self.folder / f"{key}.pickle"
        with open(self.folder / f"{key}.lock", "w") as lock:
            fcntl.flock(lock, fcntl.LOCK_EX)
            if not entry.is_file():
                partial = entry.with_suffix(f".{os.getpid()}")
                partial.write_bytes(pickle.dumps(compute(), protocol=pickle.HIGHEST_PROTOCOL))
                partial.replace(entry)
            # Written by this session's own test workers, in this session's own folder.
            value: T = pickle.loads(entry.read_bytes())
        return value


@pytest.fixture(scope="session")
def session_store(session_folder: Path) -> Callable[[str], SessionStore]:
    """``session_store(name)``: the :class:`SessionStore` named ``name`` of this session."""
    return lambda name: SessionStore(session_folder / name)


class SessionReadings:
    """``linkytool.ocr.read_photo``, run once per photo content for the whole test session:
    for the tests whose point is what is done with a reading (a command's output, its exit
    code), not the reading itself. Each reading is real (``read_photo``'s, by whichever
    test worker needs it first), kept under the SHA-256 of the photo's bytes in the
    session's ``photo-readings`` store, the one ``tests/tui``'s ``CachedPhotoReader`` and
    ``tests/ocr``'s ``committed_reading`` keep theirs in, by the same key (issue 14). A
    photo the reader refuses raises each time (nothing is kept)."""

    def __init__(self, store: SessionStore) -> None:
        self._store = store

    def __call__(self, path: str | Path) -> Any:
        import dataclasses
        import hashlib

        from linkytool.ocr import read_photo

        digest = hashlib.sha256(Path(path).read_bytes()).hexdigest()
        reading = self._store.get(digest, lambda: read_photo(path))
        return dataclasses.replace(reading, path=Path(path))


@pytest.fixture(scope="session")
def session_readings(session_store: Callable[[str], SessionStore]) -> SessionReadings:
    """:class:`SessionReadings` of this session."""
    return SessionReadings(session_store("photo-readings"))


@pytest.fixture(scope="session")
def samples_real() -> Path:
    """Directory of the real public samples (``tests/data/real``, provenance in its README)."""
    return SAMPLES_REAL


@pytest.fixture(scope="session")
def samples_dir() -> Path:
    """Directory of linkytool's bundled samples."""
    return SAMPLES
