"""Thin adapter over tesseract: screen titles and references only.

The dot-matrix values are read by :mod:`linkytool.ocr.dotmatrix`; tesseract reads the
title line (a vote on the screen kind) and the references printed above the screen.

Tesseract loads its French model (0.1-0.3 s) before it reads an image, so a
:class:`BlockReader` starts loading it as soon as a photo is opened and hands it the
image once the panel is found: the model loads while the photo is decoded and located.
Two ways, the same engine and parameters:

* in this process, through the system's libtesseract (:mod:`linkytool.ocr.tessapi`),
  when it loads: a loaded engine is kept for the next photo of the process, so only the
  first photo pays for the model (the UI's photo workers get one ready from their fork
  server, :func:`warm`);
* else the ``tesseract`` command, one process per photo, fed through a pipe (no temporary
  file to clean up when the process is stopped). ``LINKYTOOL_TESSERACT=command`` forces
  this way.

OpenMP is held to one thread either way: on a busy 2-core machine its worker threads spin
against the reader's own work and double tesseract's wall time.
"""

from __future__ import annotations

import atexit
import functools
import io
import logging
import os
import subprocess
import threading
from types import TracebackType

from PIL import Image

from linkytool.ocr import tessapi
from linkytool.ocr.errors import INSTALL_TESSERACT, OcrEngineMissing

LOG = logging.getLogger(__name__)

#: The tesseract command (found on PATH).
TESSERACT = "tesseract"
#: Environment variable choosing the way: ``command`` runs the tesseract command even
#: where the library loads (to compare both, or to work around a broken library).
BACKEND_ENV = "LINKYTOOL_TESSERACT"
#: Language of the titles and references.
LANGUAGE = "fra"
#: Characters of a Linky title and of the references printed above the screen.
WHITELIST = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789/:.-,"
#: psm 6 = a uniform block of text: the reader hands tesseract one sheet holding the
#: screen's title line on top and the references area below (one process per photo).
#: The whitelist ends with a space: without it tesseract glues the words.
BLOCK_WHITELIST = f"{WHITELIST} "
BLOCK_ARGS = ("-l", LANGUAGE, "--psm", "6", "-c", f"tessedit_char_whitelist={BLOCK_WHITELIST}")
#: Longest wait for tesseract's text once it has the image [s]; then nothing is legible.
TIMEOUT_S = 10.0
#: OpenMP threads of the tesseract process (unless the user's environment says).
OMP_THREADS = "1"

_MISSING = OcrEngineMissing(
    "Le moteur de reconnaissance de texte tesseract est introuvable.",
    hint=f"Installez-le : {INSTALL_TESSERACT}",
)


def _missing() -> OcrEngineMissing:
    return OcrEngineMissing(_MISSING.message, hint=_MISSING.hint)


def _no_french() -> OcrEngineMissing:
    return OcrEngineMissing(
        "Les données françaises de tesseract (fra) ne sont pas installées.",
        hint=f"Installez-les : {INSTALL_TESSERACT}",
    )


def _environment() -> dict[str, str]:
    env = dict(os.environ)
    env.setdefault("OMP_THREAD_LIMIT", OMP_THREADS)
    return env


@functools.lru_cache(maxsize=1)
def ensure_engine() -> tuple[str, ...]:
    """Check tesseract and its French data are installed; return its languages.

    One ``tesseract --list-langs`` per process. Raises :class:`OcrEngineMissing` (exit
    code 5) with the install command otherwise.
    """
    try:
        listed = subprocess.run(
            [TESSERACT, "--list-langs"],
            capture_output=True,
            text=True,
            check=False,
            timeout=TIMEOUT_S,
            env=_environment(),
        )
    except (OSError, subprocess.TimeoutExpired) as exc:
        raise _missing() from exc
    # "List of available languages in "...tessdata/" (3):" then one name a line
    languages = tuple(
        line.strip()
        for line in listed.stdout.splitlines()
        if line.strip() and not line.startswith("List of")
    )
    if "fra" not in languages:
        raise _no_french()
    return languages


#: The library's engines kept for the next photo of this process (freed at exit).
_POOL = tessapi.EnginePool()
atexit.register(_POOL.close)


def _library() -> tessapi.Binding | None:
    """The in-process library, unless the environment asks for the command."""
    if os.environ.get(BACKEND_ENV, "").strip().lower() == "command":
        return None
    return tessapi.load()


class _CommandRead:
    """One tesseract process reading one image through a pipe, started at once."""

    def __init__(self) -> None:
        try:
            self._process: subprocess.Popen[bytes] = subprocess.Popen(
                [TESSERACT, "stdin", "stdout", *BLOCK_ARGS],
                stdin=subprocess.PIPE,
                stdout=subprocess.PIPE,
                stderr=subprocess.PIPE,
                env=_environment(),
            )
        except OSError as exc:
            ensure_engine.cache_clear()
            raise _missing() from exc
        self._done = False

    def read(self, image: Image.Image) -> str:
        if image.mode not in ("L", "RGB"):
            image = image.convert("L")
        data = io.BytesIO()
        image.save(data, format="PPM")  # uncompressed, lossless (P5 grey, P6 colour)
        try:
            out, err = self._process.communicate(data.getvalue(), timeout=TIMEOUT_S)
        except subprocess.TimeoutExpired:  # nothing legible
            self.close()
            return ""
        self._done = True
        if self._process.returncode != 0:
            message = err.decode("utf-8", "replace")
            if "Failed loading language" in message:
                ensure_engine.cache_clear()
                raise _no_french()
            LOG.debug("tesseract failed (%s): %s", self._process.returncode, message)
            return ""
        return out.decode("utf-8", "replace")

    def close(self) -> None:
        if not self._done:
            self._process.kill()  # nothing when it has ended
            self._process.communicate()
            self._done = True


def _new_engine(binding: tessapi.Binding) -> tessapi.Engine:
    """An engine of the library with the command's language and whitelist (~0.12 s)."""
    return tessapi.Engine(binding, LANGUAGE, BLOCK_WHITELIST)


class _LibraryRead:
    """An engine of the library: an idle one of the pool, or one loading in a thread."""

    def __init__(self, binding: tessapi.Binding) -> None:
        self._lock = threading.Lock()
        self._ready = threading.Event()
        self._closed = False
        self._missing = False
        self._engine = _POOL.take()
        if self._engine is not None:
            self._ready.set()
        else:
            # Not a daemon: the interpreter waits for it before it exits, so the library
            # is never unloaded under a thread still loading its model.
            threading.Thread(target=self._load, args=(binding,), name="tesseract-load").start()

    def _load(self, binding: tessapi.Binding) -> None:
        engine: tessapi.Engine | None = None
        try:
            engine = _new_engine(binding)
        except tessapi.LanguageMissing:
            self._missing = True
        except Exception:  # a broken library: nothing legible, never a reader left waiting
            LOG.debug("libtesseract failed to load its model", exc_info=True)
        finally:
            with self._lock:
                self._engine = engine
                self._ready.set()
                closed = self._closed
        if closed and engine is not None:
            _POOL.give(engine)  # closed while loading: kept for the next photo

    def read(self, image: Image.Image) -> str:
        self._ready.wait()
        if self._missing:
            ensure_engine.cache_clear()
            raise _no_french()
        if self._engine is None:
            return ""  # the library failed (logged): the reading goes without tesseract
        return self._engine.read(image)

    def close(self) -> None:
        with self._lock:
            if self._closed:
                return
            self._closed = True
            engine = self._engine if self._ready.is_set() else None
        if engine is not None:
            _POOL.give(engine)


class BlockReader:
    """Tesseract reading one block image (dark text on white), its model loading early.

    ``-l fra --psm 6`` with the title/references whitelist. Create it before the image
    exists (the model loads meanwhile, unless this process has one ready), :meth:`read`
    once, and close it (a ``with`` block): the library's engine goes back to the pool, a
    process never given its image is stopped.
    """

    def __init__(self) -> None:
        binding = _library()
        self._way: _CommandRead | _LibraryRead = (
            _LibraryRead(binding) if binding is not None else _CommandRead()
        )

    def read(self, image: Image.Image) -> str:
        """Text of ``image``; "" when tesseract finds nothing, times out or fails."""
        return self._way.read(image)

    def close(self) -> None:
        """Hand the engine back, or stop the process if it still runs."""
        self._way.close()

    def __enter__(self) -> BlockReader:
        return self

    def __exit__(
        self,
        kind: type[BaseException] | None,
        error: BaseException | None,
        trace: TracebackType | None,
    ) -> None:
        self.close()


def warm() -> None:
    """Load one engine of the library now, for the next photo (a fork server calls it:
    the processes it forks each start with a ready engine). Nothing when the command is
    used or the language is missing (the reading then says so)."""
    binding = _library()
    if binding is None:
        return
    try:
        _POOL.give(_new_engine(binding))
    except tessapi.LanguageMissing:
        return


def read_block(image: Image.Image) -> str:
    """Text of a block image (dark text on white), ``-l fra --psm 6``, whitelist; "" if
    none (one tesseract process, started now)."""
    ensure_engine()
    with BlockReader() as reader:
        return reader.read(image)


__all__ = ["BLOCK_ARGS", "WHITELIST", "BlockReader", "ensure_engine", "read_block", "warm"]
