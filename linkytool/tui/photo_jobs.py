"""Read the dossier's photos in the background, in parallel, as soon as they are known.

The OCR is numpy-heavy and holds the GIL for much of its work: run in threads of the UI
process, three photos make the screen stutter and take longer than one after the other.
Here each photo is read in a small pool of worker *processes* (``forkserver``: safe in a
process that runs threads; the fork server imports the OCR and checks tesseract once,
:mod:`linkytool.tui.photo_worker`, and each worker is forked from that copy), started
with the app when a dossier is open and a core is to spare (:func:`spare_core`), else as
soon as the first screen is drawn (:meth:`PhotoJobs.warm_up`), so the UI stays fluid and
the readings overlap on the machine's cores. Each worker also draws the LCD preview of
its photo (:mod:`linkytool.tui.lcd_dots`): the UI only shows it. The workers run at
the UI's own priority: on a busy machine a lower one left them far behind
``linkytool ocr`` on the same photo. A reader injected by tests
(``make_app(photo_reader=...)``) runs in threads instead (it need not be picklable).

Each photo content is read once: asking again for a slot with the same file (same path,
size and modification time) reuses the running or finished job, and a photo read in an
earlier session is shown from the :class:`~linkytool.tui.reading_cache.ReadingCache`
(same content, same reader) without starting a worker. No Textual here: the
``on_done`` callback (called in a background thread) hands results to the UI.
"""

from __future__ import annotations

import contextlib
import os
import sys
import threading
import traceback
from collections.abc import Callable
from concurrent.futures import Executor, Future, ThreadPoolExecutor
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

from linkytool.errors import LinkytoolError

if TYPE_CHECKING:
    from linkytool.tui.reading_cache import ReadingCache

#: The dossier fields photographed (= OCR screen kinds), in the order of the screen.
SLOT_FIELDS: tuple[str, ...] = ("prm", "date", "injection_index")
#: Worker processes: one per photo, at most one per core (more only share the cores).
MAX_WORKERS = 3
#: Module the fork server imports before forking the workers (the OCR, loaded once).
PRELOAD = "linkytool.tui.photo_worker"
#: Longest wait for the worker processes to stop when the app closes [s].
STOP_TIMEOUT_S = 3.0
#: How often a worker checks that its parent (the fork server) is still there [s].
PARENT_CHECK_S = 1.0
DoneCallback = Callable[[str, Path, Any, BaseException | None], None]


class PhotoReadError(LinkytoolError):
    """A photo could not be read in the worker (message and hint come from there)."""


@dataclass(frozen=True)
class PhotoJob:
    """One photo being read (or read) for one slot."""

    slot: str
    path: Path
    #: (size [bytes], modification time [ns]): a replaced file is read again.
    stamp: tuple[int, int]


def runnable_others(path: str = "/proc/loadavg") -> int:
    """Tasks running or ready to run on the machine right now, this process aside (the
    fourth field of Linux's ``/proc/loadavg``, "running/total"). Raises ``OSError``
    where there is no such file."""
    with open(path, encoding="ascii") as file:
        fields = file.read().split()
    try:
        return max(0, int(fields[3].split("/")[0]) - 1)
    except (IndexError, ValueError) as error:
        raise OSError(f"unexpected {path}") from error


def spare_core(
    runnable: Callable[[], int] = runnable_others,
    load: Callable[[], tuple[float, float, float]] = os.getloadavg,
) -> bool:
    """Whether the machine has a core to spare now: fewer other tasks ready to run than
    cores (:func:`runnable_others`); where that is unknown, the 1-min load average below
    the number of cores; unknown both: assumed so. The photo workers then start with the
    app, their fork server importing the OCR on that core while the UI draws its first
    screen; on a machine whose cores are all busy they would take that screen's CPU, so
    they start after it. The count of now, not the average: the 1-min average lags a
    minute behind (a compile or a benchmark that just ended kept it near 2 on a 2-core
    machine, and the workers started late on an idle one)."""
    cores = os.cpu_count() or 1
    try:
        return runnable() < cores
    except OSError:
        pass
    try:
        return load()[0] < cores
    except OSError:
        return True


def _stamp(path: Path) -> tuple[int, int]:
    stat = path.stat()
    return stat.st_size, stat.st_mtime_ns


def _init_worker() -> None:
    """Worker process set-up: silent (the terminal belongs to the UI), stopped by
    SIGTERM through ``finally`` blocks (the OCR's temporary files are removed), and
    stopping itself when its parent is gone (:func:`_leave_with_parent`)."""
    import signal

    signal.signal(signal.SIGTERM, _exit_cleanly)
    signal.signal(signal.SIGHUP, _exit_cleanly)
    signal.signal(signal.SIGINT, signal.SIG_IGN)  # the UI decides; it stops the workers
    devnull = os.open(os.devnull, os.O_RDWR)
    for fd in (0, 1, 2):
        os.dup2(devnull, fd)
    _leave_with_parent()
    import linkytool.ocr.reader  # noqa: F401  (loaded once per worker, before the first photo)


def _leave_with_parent(period_s: float = PARENT_CHECK_S) -> None:
    """Stop this worker (SIGTERM to itself: the clean exit above) once its parent is
    gone. A pool worker holds the write end of its own task queue, so it never reads an
    end of file there: one whose UI vanished without stopping the pool (killed mid
    start-up) would wait for a task for ever. Its parent is the fork server, which
    leaves when the UI does."""
    import signal
    import threading
    import time

    parent = os.getppid()

    def watch() -> None:
        while os.getppid() == parent:
            time.sleep(period_s)
        os.kill(os.getpid(), signal.SIGTERM)

    threading.Thread(target=watch, name="parent-watch", daemon=True).start()


def _exit_cleanly(signum: int, frame: Any) -> None:
    import signal

    # One stop is enough: when the terminal closes, SIGHUP reaches every worker and the
    # UI's pool.terminate() sends SIGTERM a moment later; that second signal must not
    # interrupt the clean-up the first one started (tesseract's temporary files).
    signal.signal(signal.SIGTERM, signal.SIG_IGN)
    signal.signal(signal.SIGHUP, signal.SIG_IGN)
    raise SystemExit(128 + signum)


def read_in_worker(path: Path) -> tuple[str, Any, Any]:
    """Read ``path`` in a worker process; errors come back as text (always picklable).

    Returns ``("ok", reading, picture)`` (the braille picture of its LCD, drawn here
    rather than on the UI's thread), ``("error", message, hint)`` for a photo the reader
    refuses, or ``("bug", message, traceback)`` for anything else.
    """
    from linkytool.ocr import read_photo
    from linkytool.tui.lcd_dots import draw

    try:
        reading = read_photo(path)
        picture = draw(reading)
        return "ok", reading, picture
    except LinkytoolError as error:
        return "error", error.message, error.hint
    except Exception as error:
        text = "".join(traceback.format_exception(error))
        return "bug", f"{type(error).__name__} : {error}", text


class PhotoJobs:
    """The background reading of the photo slots."""

    def __init__(
        self,
        reader: Callable[[Path], Any] | None,
        on_done: DoneCallback,
        *,
        cache: ReadingCache | None = None,
    ) -> None:
        """``reader``: injected by tests (run in threads), else the OCR in worker
        processes; ``cache``: readings kept between sessions (the workers' only)."""
        self.reader = reader
        self.on_done = on_done
        self.cache = cache if reader is None else None
        self._lock = threading.Lock()
        #: Notified whenever a reading finishes, a job is replaced or the jobs close.
        self._changed = threading.Condition(self._lock)
        self._jobs: dict[str, PhotoJob] = {}
        self._results: dict[str, tuple[PhotoJob, Any, BaseException | None]] = {}
        self._pool: Any = None  # multiprocessing Pool, or a thread pool for injected readers
        self._dispatcher = ThreadPoolExecutor(1, thread_name_prefix="photo-dispatch")
        #: Cache look-ups and writes: beside the dispatcher, which may be busy starting
        #: the workers (a cached photo shows without waiting for them).
        self._cache_thread = ThreadPoolExecutor(1, thread_name_prefix="photo-cache")
        self._closed = False

    # -- queries -------------------------------------------------------------------------

    def result(self, slot: str) -> tuple[Path, Any, BaseException | None] | None:
        """The latest finished reading of ``slot``: (path, reading or None, error)."""
        with self._lock:
            found = self._results.get(slot)
            if found is None or self._jobs.get(slot) != found[0]:
                return None
            job, reading, error = found
            return job.path, reading, error

    def pending(self, slot: str) -> Path | None:
        """The photo of ``slot`` being read, if any."""
        with self._lock:
            job = self._jobs.get(slot)
            if job is None or (slot in self._results and self._results[slot][0] == job):
                return None
            return job.path

    def busy(self) -> bool:
        """Whether a photo is being read (queued or in a worker)."""
        with self._lock:
            return any(
                slot not in self._results or self._results[slot][0] != job
                for slot, job in self._jobs.items()
            )

    # -- work ----------------------------------------------------------------------------

    def submit(self, slot: str, path: Path, *, again: bool = False) -> bool:
        """Read ``path`` for ``slot`` unless this very file is already read or being read.

        Returns whether a new reading started.
        """
        path = path.resolve()
        try:
            job = PhotoJob(slot, path, _stamp(path))
        except OSError as error:
            self.on_done(slot, path, None, error)
            return False
        with self._lock:
            if self._closed or (self._jobs.get(slot) == job and not again):
                return False
            self._jobs[slot] = job
            self._changed.notify_all()
        # Hashing the photo, starting the worker processes: never on the UI thread.
        if self.cache is not None:
            self._cache_thread.submit(self._look_up, job)
        else:
            self._dispatcher.submit(self._start, job)
        return True

    def read_and_wait(
        self, slot: str, path: Path, *, cancel: threading.Event, timeout: float
    ) -> Any:
        """Read ``path`` for ``slot`` (as :meth:`submit`: the UI gets it as usual) and
        wait for its reading, from a thread other than the UI's (the phone intake's).

        Raises the reading's error, or :class:`PhotoReadError` when the photo of the slot
        was replaced meanwhile, the jobs closed, ``cancel`` was set or ``timeout`` [s]
        passed.
        """
        import time

        path = path.resolve()
        job = PhotoJob(slot, path, _stamp(path))
        self.submit(slot, path)
        deadline = time.monotonic() + timeout
        with self._changed:
            while True:
                found = self._results.get(slot)
                if found is not None and found[0] == job:
                    _, reading, error = found
                    if error is not None:
                        raise error
                    return reading
                if self._closed or cancel.is_set():
                    raise PhotoReadError("Lecture interrompue : la réception est fermée.")
                if self._jobs.get(slot) != job:
                    raise PhotoReadError("Une autre photo a été choisie pour cet écran.")
                left = deadline - time.monotonic()
                if left <= 0:
                    raise PhotoReadError(
                        f"Lecture trop longue (plus de {timeout:.0f} s).",
                        hint="Reprenez la photo ou choisissez-la dans l'écran Photos.",
                    )
                self._changed.wait(min(left, 0.2))  # cancel is checked at least this often

    def warm_up(self) -> None:
        """Start the worker processes now, from the dispatcher thread (they live in other
        processes: the UI process only waits for them), so the first photo finds them
        ready."""
        with self._lock:
            if self._closed:
                return
        self._dispatcher.submit(self._ensure_pool)

    def _look_up(self, job: PhotoJob) -> None:
        """In the cache thread: finish ``job`` from the cache, else hand it to the pool
        with the key its reading is to be kept under."""
        assert self.cache is not None
        key: str | None = None
        hit = None
        try:
            key = self.cache.key(job.path)
            hit = self.cache.get(key, job.path)
        except Exception:  # an unreadable photo or cache: the reader says why, if it must
            hit = None
        if hit is None:
            with contextlib.suppress(RuntimeError):  # the jobs closed meanwhile
                self._dispatcher.submit(self._start, job, key)
            return
        self._deliver(job, *hit)

    def _keep(self, job: PhotoJob, key: str, reading: Any, picture: Any) -> None:
        """In the cache thread: keep a fresh reading, if its photo is still the one read
        (same size and modification time as when it was asked for)."""
        assert self.cache is not None
        try:
            unchanged = _stamp(job.path) == job.stamp
        except OSError:
            unchanged = False
        if unchanged:
            self.cache.put(key, reading, picture)

    def _start(self, job: PhotoJob, key: str | None = None) -> None:
        """In the dispatcher thread: hand ``job`` to the pool (started on first use);
        ``key``: where the cache keeps its reading."""
        try:
            pool = self._ensure_pool()
            if pool is None:
                return  # closed meanwhile
            if self.reader is not None:
                future: Future[Any] = pool.submit(self.reader, job.path)
                future.add_done_callback(lambda done: self._thread_done(job, done))
            else:
                pool.apply_async(
                    read_in_worker,
                    (job.path,),
                    callback=lambda outcome: self._process_done(job, outcome, key),
                    error_callback=lambda error: self._finish(job, None, error),
                )
        except Exception as error:
            self._finish(job, None, error)

    def _ensure_pool(self) -> Any:
        with self._lock:
            if self._closed:
                return None
            if self._pool is not None:
                return self._pool
        if self.reader is not None:
            pool: Any = ThreadPoolExecutor(_worker_count(), thread_name_prefix="photo")
        else:
            pool = _process_pool()
        with self._lock:
            if self._closed:
                _stop(pool)
                return None
            self._pool = pool
        return pool

    def _thread_done(self, job: PhotoJob, future: Future[Any]) -> None:
        if future.cancelled():
            return  # queued when the app closed: nobody waits for it
        error = future.exception()
        self._finish(job, None if error is not None else future.result(), error)

    def _process_done(
        self, job: PhotoJob, outcome: tuple[str, Any, Any], key: str | None = None
    ) -> None:
        kind, payload, extra = outcome
        if kind == "ok":
            self._deliver(job, payload, extra)
            if key is not None and self.cache is not None:
                with contextlib.suppress(RuntimeError):  # closed meanwhile
                    self._cache_thread.submit(self._keep, job, key, payload, extra)
        elif kind == "error":
            self._finish(job, None, PhotoReadError(str(payload), hint=extra))
        else:
            self._finish(job, None, RuntimeError(f"{payload}\n{extra}"))

    def _deliver(self, job: PhotoJob, reading: Any, picture: Any) -> None:
        """A reading with its braille picture (from a worker or the cache): the picture
        is remembered for the preview, then the reading is handed over."""
        if getattr(reading, "crop", None):
            from linkytool.tui.lcd_dots import remember

            remember(reading.crop, picture)
        self._finish(job, reading, None)

    def _finish(self, job: PhotoJob, reading: Any, error: BaseException | None) -> None:
        with self._lock:
            if self._closed or self._jobs.get(job.slot) != job:
                return  # replaced by another photo meanwhile: drop the stale result
            self._results[job.slot] = (job, reading, error)
            self._changed.notify_all()
        self.on_done(job.slot, job.path, reading, error)

    def close(self) -> None:
        """Stop the workers now (the app is closing: running readings are abandoned)."""
        with self._lock:
            self._closed = True
            pool, self._pool = self._pool, None
            self._changed.notify_all()
        self._dispatcher.shutdown(wait=False, cancel_futures=True)
        self._cache_thread.shutdown(wait=False, cancel_futures=True)
        # A pool the dispatcher was starting meanwhile stops itself (it sees _closed).
        if pool is not None:
            _stop(pool)


def _worker_count() -> int:
    """Photo workers: one per photo, at most one per core."""
    return max(1, min(MAX_WORKERS, os.cpu_count() or 1))


def _process_pool() -> Any:
    """A pool of OCR worker processes forked from a fork server that imported the OCR
    (returns once the workers are forked: about 0.4 s of the fork server's imports)."""
    import multiprocessing
    from multiprocessing import resource_tracker

    # The resource tracker inherits sys.stderr's descriptor: Textual replaces sys.stderr
    # by a capture without one, so start it with the real stderr.
    captured = sys.stderr
    sys.stderr = sys.__stderr__
    try:
        resource_tracker.ensure_running()
    finally:
        sys.stderr = captured
    workers = _worker_count()
    try:
        context = multiprocessing.get_context("forkserver")
        # The fork server imports the OCR once; the workers are forked ready.
        context.set_forkserver_preload([PRELOAD])
        return context.Pool(workers, initializer=_init_worker)
    except OSError:
        # The forkserver listens on a Unix socket under TMPDIR, whose path is limited to
        # 107 bytes ("AF_UNIX path too long" for a deep TMPDIR): spawned workers start
        # slower but need no socket.
        return multiprocessing.get_context("spawn").Pool(workers, initializer=_init_worker)


def _stop(pool: Any) -> None:
    """Stop a pool now: worker processes are terminated, threads abandoned. A pool whose
    workers already died (the terminal closed) can hang in ``terminate``: give up waiting
    after :data:`STOP_TIMEOUT_S`, the processes are gone or going anyway."""
    if isinstance(pool, Executor):
        pool.shutdown(wait=False, cancel_futures=True)
        return
    stopper = threading.Thread(target=pool.terminate, name="photo-stop", daemon=True)
    stopper.start()
    stopper.join(STOP_TIMEOUT_S)


__all__ = [
    "SLOT_FIELDS",
    "PhotoJob",
    "PhotoJobs",
    "PhotoReadError",
    "read_in_worker",
    "runnable_others",
    "spare_core",
]
