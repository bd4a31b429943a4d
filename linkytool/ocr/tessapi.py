"""In-process tesseract through its C API (``ctypes`` over the system's libtesseract).

Why: the ``tesseract`` command loads its French model for every photo, about 0.12 s of
the 0.17 s of CPU it spends on a photo's sheet. Through the library a process loads the
model once and keeps each initialised engine in a small pool (:class:`EnginePool`): the
next photo read in that process (the UI's photo workers, ``mes import-photos``, the
benchmarks) starts with a ready engine. It is the same library with the same parameters
as the command (``-l fra --psm 6``, the whitelist, 70 dpi as the command assumes for an
image without resolution), so the text is the same; ``tests/ocr/test_engine.py``
compares both on the sample photos.

Only the handful of C functions used here are bound. ``ctypes`` releases the GIL during
each call: an engine loading or reading in a thread runs beside the dot-matrix reader.
No image, no file: the grey pixels are handed over in memory. When the library cannot be
loaded (another system, an unknown version), :func:`load` returns None and the caller
runs the command instead.
"""

from __future__ import annotations

import ctypes
import ctypes.util
import functools
import os
import threading
from dataclasses import dataclass

from PIL import Image

#: Shared library names tried in order: Debian/Ubuntu's tesseract 5 and 4, then the
#: linker's own search (macOS, other layouts).
LIBRARY_NAMES = ("libtesseract.so.5", "libtesseract.so.4")
#: Page segmentation mode 6, a single uniform block of text (the command's ``--psm 6``).
PSM_SINGLE_BLOCK = 6
#: Resolution given with each image [dpi]: the command reads our PPM without one and
#: uses 70; the same here keeps the same thresholds (and no warning on stderr).
SOURCE_DPI = 70
#: Where tesseract's own messages go (the UI owns the terminal; failures are reported
#: through return codes, in French, by :mod:`linkytool.ocr.engine`).
QUIET = os.devnull


class LanguageMissing(Exception):  # noqa: N818  (mapped to OcrEngineMissing by engine.py)
    """The library could not load the requested language's model."""


@dataclass(frozen=True)
class Binding:
    """The C functions of libtesseract used here, with their signatures set."""

    lib: ctypes.CDLL

    @classmethod
    def of(cls, lib: ctypes.CDLL) -> Binding:
        """Declare the signatures; ``AttributeError`` when ``lib`` lacks the C API."""
        handle, text, char_p, num = ctypes.c_void_p, ctypes.c_void_p, ctypes.c_char_p, ctypes.c_int
        signatures: dict[str, tuple[list[type], type | None]] = {
            "TessBaseAPICreate": ([], handle),
            "TessBaseAPIInit3": ([handle, char_p, char_p], num),
            "TessBaseAPISetVariable": ([handle, char_p, char_p], num),
            "TessBaseAPISetPageSegMode": ([handle, num], None),
            "TessBaseAPISetImage": ([handle, char_p, num, num, num, num], None),
            "TessBaseAPISetSourceResolution": ([handle, num], None),
            "TessBaseAPIGetUTF8Text": ([handle], text),
            "TessBaseAPIClear": ([handle], None),
            "TessBaseAPIEnd": ([handle], None),
            "TessBaseAPIDelete": ([handle], None),
            "TessDeleteText": ([text], None),
        }
        for name, (arguments, result) in signatures.items():
            function = getattr(lib, name)
            function.argtypes = arguments
            function.restype = result
        return cls(lib)


@functools.lru_cache(maxsize=1)
def load() -> Binding | None:
    """The system's libtesseract, or None when none can be loaded.

    OpenMP is held to one thread first (unless the user's environment says otherwise),
    as for the command: libgomp reads it when the library loads.
    """
    os.environ.setdefault("OMP_THREAD_LIMIT", "1")
    found = ctypes.util.find_library("tesseract")
    for name in (*LIBRARY_NAMES, *((found,) if found else ())):
        try:
            return Binding.of(ctypes.CDLL(name))
        except (OSError, AttributeError):
            continue
    return None


class Engine:
    """One initialised tesseract engine: its language, psm 6 and a whitelist.

    Used by one thread at a time (the pool hands it out); :meth:`close` frees it.
    """

    def __init__(self, binding: Binding, language: str, whitelist: str) -> None:
        self._lib = binding.lib
        self._handle = self._lib.TessBaseAPICreate()
        self._lib.TessBaseAPISetVariable(self._handle, b"debug_file", QUIET.encode())
        if self._lib.TessBaseAPIInit3(self._handle, None, language.encode()) != 0:
            self.close()
            raise LanguageMissing(language)
        self._lib.TessBaseAPISetVariable(
            self._handle, b"tessedit_char_whitelist", whitelist.encode()
        )
        self._lib.TessBaseAPISetPageSegMode(self._handle, PSM_SINGLE_BLOCK)

    def read(self, image: Image.Image) -> str:
        """Text of ``image`` (grey or colour; read as grey, as the command reads a PPM)."""
        grey = image if image.mode == "L" else image.convert("L")
        lib, handle = self._lib, self._handle
        lib.TessBaseAPISetImage(handle, grey.tobytes(), grey.width, grey.height, 1, grey.width)
        lib.TessBaseAPISetSourceResolution(handle, SOURCE_DPI)
        pointer = lib.TessBaseAPIGetUTF8Text(handle)
        try:
            text = ctypes.string_at(pointer).decode("utf-8", "replace") if pointer else ""
        finally:
            if pointer:
                lib.TessDeleteText(pointer)
            lib.TessBaseAPIClear(handle)
        return text

    def close(self) -> None:
        """Free the engine (its model and memory)."""
        if self._handle:
            self._lib.TessBaseAPIEnd(self._handle)
            self._lib.TessBaseAPIDelete(self._handle)
            self._handle = None


class EnginePool:
    """Initialised engines of one language and whitelist, kept for the next reading.

    :meth:`take` gives an idle engine or None; a caller that got None creates one
    (:class:`Engine`, ~0.12 s: in a thread, while the photo is located) and hands it
    back with :meth:`give` once its reading is done. Several threads reading at once each
    get their own engine.
    """

    def __init__(self) -> None:
        self._idle: list[Engine] = []
        self._lock = threading.Lock()

    def take(self) -> Engine | None:
        with self._lock:
            return self._idle.pop() if self._idle else None

    def give(self, engine: Engine) -> None:
        with self._lock:
            self._idle.append(engine)

    def close(self) -> None:
        """Free every idle engine (at exit: tesseract then reports no leaked model)."""
        with self._lock:
            idle, self._idle = self._idle, []
        for engine in idle:
            engine.close()


__all__ = ["Binding", "Engine", "EnginePool", "LanguageMissing", "load"]
