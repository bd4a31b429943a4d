"""Thin adapter over the tesseract command: screen titles and references only.

The dot-matrix values are read by :mod:`linkytool.ocr.dotmatrix`; tesseract reads the
title line (a vote on the screen kind) and the references printed above the screen.

Tesseract loads its French model (0.1-0.3 s) before it reads its image from stdin, so a
:class:`BlockReader` starts the process as soon as a photo is opened and hands it the
image once the panel is found: the model loads while the photo is decoded and located.
The image goes through a pipe (no temporary file to clean up when the process is
stopped), and OpenMP is held to one thread: on a busy 2-core machine its worker threads
spin against the reader's own work and double tesseract's wall time.
"""

from __future__ import annotations

import functools
import io
import logging
import os
import subprocess
from types import TracebackType

from PIL import Image

from linkytool.ocr.errors import INSTALL_TESSERACT, OcrEngineMissing

LOG = logging.getLogger(__name__)

#: The tesseract command (found on PATH).
TESSERACT = "tesseract"
#: Characters of a Linky title and of the references printed above the screen.
WHITELIST = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789/:.-,"
#: psm 6 = a uniform block of text: the reader hands tesseract one sheet holding the
#: screen's title line on top and the references area below (one process per photo).
#: The whitelist ends with a space: without it tesseract glues the words.
BLOCK_ARGS = ("-l", "fra", "--psm", "6", "-c", f"tessedit_char_whitelist={WHITELIST} ")
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


class BlockReader:
    """One tesseract process reading one block image (dark text on white), started early.

    ``-l fra --psm 6`` with the title/references whitelist. Create it before the image
    exists (the process loads its model meanwhile), :meth:`read` once, and close it (a
    ``with`` block): a process never given its image is stopped.
    """

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
        """Text of ``image``; "" when tesseract finds nothing, times out or fails."""
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
        """Stop the process if it still runs (never given its image, or timed out)."""
        if not self._done:
            self._process.kill()  # nothing when it has ended
            self._process.communicate()
            self._done = True

    def __enter__(self) -> BlockReader:
        return self

    def __exit__(
        self,
        kind: type[BaseException] | None,
        error: BaseException | None,
        trace: TracebackType | None,
    ) -> None:
        self.close()


def read_block(image: Image.Image) -> str:
    """Text of a block image (dark text on white), ``-l fra --psm 6``, whitelist; "" if
    none (one tesseract process, started now)."""
    ensure_engine()
    with BlockReader() as reader:
        return reader.read(image)


__all__ = ["BLOCK_ARGS", "WHITELIST", "BlockReader", "ensure_engine", "read_block"]
