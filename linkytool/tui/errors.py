"""Turn any exception into a French notification: never a traceback on screen.

A :class:`~linkytool.errors.LinkytoolError` carries its own French message and hint. Any
other exception is a bug: the user sees a short French message, and the traceback goes to
the log file named in it so it can be reported.
"""

from __future__ import annotations

import functools
import inspect
import logging
import os
import tempfile
import traceback
from collections.abc import Awaitable, Callable
from pathlib import Path
from typing import Any, ParamSpec, Protocol, TypeVar

from textual.app import App
from textual.message import Message
from textual.message_pump import MessagePump

from linkytool.errors import LinkytoolError

P = ParamSpec("P")
R = TypeVar("R")

#: Where unexpected errors' tracebacks are appended (one file per user).
LOG_PATH = Path(tempfile.gettempdir()) / f"linkytool-tui-{os.getuid()}.log"

_log = logging.getLogger("linkytool.tui")


def describe_error(error: BaseException) -> tuple[str, str | None]:
    """Return the French ``(message, hint)`` to show for ``error``."""
    if isinstance(error, LinkytoolError):
        return error.message, error.hint
    if isinstance(error, FileNotFoundError):
        return f"Fichier introuvable : {error.filename}.", "Vérifiez le chemin saisi."
    if isinstance(error, PermissionError):
        return (
            f"Accès refusé : {error.filename}.",
            "Choisissez un fichier ou un dossier auquel vous avez accès.",
        )
    _log_traceback(error)
    return (
        f"Erreur inattendue ({type(error).__name__}) : {error}",
        f"Détails enregistrés dans {LOG_PATH} ; merci de les joindre à un signalement.",
    )


def _log_traceback(error: BaseException) -> None:
    text = "".join(traceback.format_exception(error))
    try:
        with LOG_PATH.open("a", encoding="utf-8") as handle:
            handle.write(text + "\n")
    except OSError:  # pragma: no cover - the log is best effort
        _log.exception("could not write the UI log")


class _Notifier(Protocol):
    def notify(
        self, message: str, *, title: str = ..., severity: Any = ..., timeout: float | None = ...
    ) -> None: ...


def notify_error(target: _Notifier, error: BaseException, *, title: str = "Erreur") -> None:
    """Show ``error`` as an error notification on ``target`` (an App or a Widget)."""
    message, hint = describe_error(error)
    text = f"{message}\n→ {hint}" if hint else message
    target.notify(text, title=title, severity="error", timeout=12)


def guarded(method: Callable[P, R]) -> Callable[P, R | None]:
    """Decorate a widget's (synchronous) handler so an exception becomes a notification.

    The first positional argument must be the widget (``self``).
    """

    @functools.wraps(method)
    def wrapper(*args: P.args, **kwargs: P.kwargs) -> R | None:
        try:
            return method(*args, **kwargs)
        except Exception as error:
            notify_error(args[0], error)  # type: ignore[arg-type]
            return None

    return wrapper


class SafetyNet(MessagePump):
    """Mixin for the app and every widget of linkytool: an exception in a handler becomes
    a French notification and the widget goes on processing its messages.

    Textual stops the whole app after an exception in any handler (its message loop
    breaks, then the app exits), which would stop the TIC reading and the recording mid
    visit for a typo. Put it first in the bases: ``class Pane(SafetyNet, VerticalScroll)``.
    """

    async def _dispatch_message(self, message: Message) -> None:
        try:
            await super()._dispatch_message(message)
        except Exception as error:
            self._report(error)

    def _report(self, error: Exception) -> None:
        report: Callable[[BaseException], None] | None = getattr(self.app, "report_error", None)
        if report is None:  # not inside linkytool's app (a widget tested alone)
            raise error
        report(error)

    def call_after_refresh(self, callback: Callable[..., Any], *args: Any, **kwargs: Any) -> bool:
        """Textual's ``call_after_refresh``, for a callback that may outlive its widget."""
        return super().call_after_refresh(self._while_attached(callback, *args, **kwargs))

    def call_later(self, callback: Callable[..., Any], *args: Any, **kwargs: Any) -> bool:
        """Textual's ``call_later``, for a callback that may outlive its widget."""
        return super().call_later(self._while_attached(callback, *args, **kwargs))

    def _torn_down(self) -> bool:
        """The app is quitting, or this widget left the screen."""
        if isinstance(self, App):
            return bool(self._exit)
        return not self.is_attached

    def _while_attached(
        self, callback: Callable[..., Any], *args: Any, **kwargs: Any
    ) -> Callable[[], Awaitable[None]]:
        """``callback`` deferred safely: skipped once the widget is torn down (Ctrl+Q during
        start-up used to run a pane's set-up on removed widgets and exit with code 1, and
        could start background work after the clean-up), and its exceptions notified like a
        handler's instead of stopping the app."""

        async def run() -> None:
            if self._torn_down():
                return
            try:
                result = callback(*args, **kwargs)
                if inspect.isawaitable(result):
                    await result
            except Exception as error:
                if not self._torn_down():
                    self._report(error)

        return run
