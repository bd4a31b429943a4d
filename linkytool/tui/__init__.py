"""linkytool's terminal UI: a thin Textual shell over the TIC, OCR, dossier and ACC cores.

Everything here only displays, collects input and schedules work; the domain work lives in
``linkytool.tic``, ``linkytool.ocr``, ``linkytool.mes`` and ``linkytool.acc``. Build the
application with :func:`linkytool.tui.app.make_app` (used by ``linkytool tui`` and the
tests). This package and ``linkytool.cli.ui`` are the only places importing Textual.
"""

from __future__ import annotations

__all__: list[str] = []
