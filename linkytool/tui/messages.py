"""Typed messages posted by the UI's workers and panes.

Workers run in threads and never touch widgets: they post one of these messages, which the
owning pane handles on the UI thread. The messages bubble to the application, so tests can
observe them with ``run_test(message_hook=...)`` and the app can share state between panes
(the latest TIC reading feeds the photo cross-checks and the decoupling test).
"""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path
from typing import Any

from textual.message import Message


class TicStatus(Message):
    """The serial reader changed state.

    ``state`` is one of ``connecting``, ``connected``, ``mode``, ``unplugged``,
    ``replugged``, ``recording``, ``stopped``; ``text`` is the French line shown to the user.
    """

    def __init__(self, state: str, text: str) -> None:
        super().__init__()
        self.state = state
        self.text = text


class TicReadingUpdated(Message):
    """A new summary of the recent frames (``reading`` is a ``linkytool.tic.MeterReading``)."""

    def __init__(self, reading: Any, host_time: float) -> None:
        super().__init__()
        self.reading = reading
        #: Host clock when the last frame arrived [s since the epoch].
        self.host_time = host_time


class WorkFailed(Message):
    """A background job failed; ``message``/``hint`` are French text for a notification."""

    def __init__(self, source: str, message: str, hint: str | None = None) -> None:
        super().__init__()
        self.source = source
        self.message = message
        self.hint = hint


class PhotoRead(Message):
    """The OCR of one photo slot finished (``reading`` is a ``linkytool.ocr.PhotoReading``
    of the photo ``path``)."""

    def __init__(self, slot: str, reading: Any, path: Path | None = None) -> None:
        super().__init__()
        self.slot = slot
        self.reading = reading
        self.path = path if path is not None else getattr(reading, "path", None)


class ReadingConfirmed(Message):
    """The user confirmed (or corrected) a value; it was recorded in the dossier."""

    def __init__(self, field: str, value: str, source: str) -> None:
        super().__init__()
        self.field = field
        self.value = value
        self.source = source


class DossierChanged(Message):
    """The dossier was modified and saved (``reason`` is a short French phrase)."""

    def __init__(self, reason: str) -> None:
        super().__init__()
        self.reason = reason


class ChecklistUpdated(Message):
    """Prerequisites were re-evaluated (``outcomes`` are ``linkytool.mes`` rule outcomes;
    ``blockers``, French, what else keeps the attestation from being made: its date;
    ``changes``, the ``CheckResult``'s ``AttestationChange`` since the recorded
    attestation)."""

    def __init__(
        self, outcomes: Sequence[Any], blockers: Sequence[str] = (), changes: Sequence[Any] = ()
    ) -> None:
        super().__init__()
        self.outcomes = tuple(outcomes)
        self.blockers = tuple(blockers)
        self.changes = tuple(changes)


class DecouplingRecorded(Message):
    """A decoupling test was recorded in the dossier."""

    def __init__(self, delay_s: float, passed: bool | None) -> None:
        super().__init__()
        self.delay_s = delay_s
        self.passed = passed


class AttestationRefused(Message):
    """The attestation was refused; ``reasons`` are French lines (failed prerequisites),
    ``why`` the refusal's own headline (as ``PrerequisitesError.why``; unused for a
    missing signature); ``signing_date_only`` when every prerequisite holds but the signing date."""

    def __init__(
        self,
        reasons: Sequence[str],
        *,
        why: str = "des prérequis de l'auto-MES ne sont pas remplis",
        signing_date_only: bool = False,
    ) -> None:
        super().__init__()
        self.reasons = tuple(reasons)
        self.why = why
        self.signing_date_only = signing_date_only


class AttestationBuilt(Message):
    """The attestation PDF and the submission pack were written."""

    def __init__(self, pdf: Path, pack: Path | None, contents: Sequence[str], draft: bool) -> None:
        super().__init__()
        self.pdf = pdf
        self.pack = pack
        self.contents = tuple(contents)
        self.draft = draft


class AttestationStatus(Message):
    """What changed in the dossier since its recorded attestation (``linkytool.mes``
    ``AttestationChange``, French ``text``; empty: none recorded, or it still says what
    the dossier says)."""

    def __init__(self, changes: Sequence[Any]) -> None:
        super().__init__()
        self.changes = tuple(changes)


class AccProgress(Message):
    """ACC allocation progress: ``done`` of ``total`` steps."""

    def __init__(self, done: int, total: int) -> None:
        super().__init__()
        self.done = done
        self.total = total


class AccFinished(Message):
    """The ACC run finished (``result`` from ``linkytool.acc``; ``outdir`` where written;
    ``options`` the options applied, as in report.json)."""

    def __init__(
        self, result: Any, outdir: Path | None, options: dict[str, Any] | None = None
    ) -> None:
        super().__init__()
        self.result = result
        self.outdir = outdir
        self.options = options or {}


class PortsListed(Message):
    """The serial ports were listed: ``options`` are (French label, port path) pairs."""

    def __init__(self, options: Sequence[tuple[str, str]]) -> None:
        super().__init__()
        self.options = list(options)


class PhotoFailed(Message):
    """A photo of ``slot`` could not be read (``message`` says why, ``hint`` what to do)."""

    def __init__(
        self, slot: str, message: str, path: Path | None = None, hint: str | None = None
    ) -> None:
        super().__init__()
        self.slot = slot
        self.message = message
        self.path = path
        self.hint = hint


class IntakeUpdated(Message):
    """Something happened to the phone intake (``event`` is a
    ``linkytool.intake.IntakeEvent``: a photo received, stored, read, refused; closed),
    on ``server`` (the screen ignores a server it no longer shows)."""

    def __init__(self, event: Any, server: Any = None) -> None:
        super().__init__()
        self.event = event
        self.server = server


class AccDemoReady(Message):
    """The demo operation's input files were written: ``files`` fill the ACC fields."""

    def __init__(self, files: dict[str, Any]) -> None:
        super().__init__()
        self.files = files
