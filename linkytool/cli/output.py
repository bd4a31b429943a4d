"""Output options shared by every headless command (in the spirit of sqlite-utils).

stdout carries data only (tables, JSON, JSON lines, CSV); diagnostics go to stderr through
:func:`warn`. Commands declare their formats with :func:`format_option` and print rows
with :func:`emit_rows`, so every command renders tables and JSON the same way.
"""

from __future__ import annotations

import os
import sys
import time
from collections.abc import Callable, Iterator, Mapping, Sequence
from contextlib import contextmanager
from pathlib import Path
from typing import Any, TypeVar

import click

from linkytool.errors import InputFileError, OutputError
from linkytool.textfmt import Column, dumps_json, render_csv, render_table

F = TypeVar("F", bound=Callable[..., Any])


def format_option(
    *formats: str, default: str = "table", help_text: str = "Format de sortie sur stdout."
) -> Callable[[F], F]:
    """The ``--format`` option restricted to ``formats`` (table, json, jsonl, csv)."""
    return click.option(
        "--format",
        "output_format",
        type=click.Choice(list(formats)),
        default=default,
        show_default=True,
        help=help_text,
    )


def emit_rows(
    rows: Sequence[Mapping[str, Any]], columns: Sequence[Column], output_format: str
) -> None:
    """Print ``rows`` on stdout in ``output_format`` (table, json, jsonl or csv)."""
    if output_format == "json":
        click.echo(dumps_json(list(rows)))
    elif output_format == "jsonl":
        for row in rows:
            click.echo(dumps_json(row, indent=None))
    elif output_format == "csv":
        click.echo(render_csv(rows, columns), nl=False)
    else:
        click.echo(render_table(rows, columns))


def warn(message: str) -> None:
    """Print a French diagnostic on stderr (never on stdout, which carries data)."""
    click.echo(message, err=True)


def is_interactive_stderr() -> bool:
    """True when stderr is a terminal (progress bars are shown only then)."""
    return sys.stderr.isatty()


class ProgressLine:
    """Progress of long work on one stderr line, redrawn at most twice a second and erased
    by :meth:`clear`: ``Label : 42 % (détail) – reste 12 s``. Called as
    ``progress(done, total)``; ``total`` None (a pipe) shows the detail only."""

    def __init__(self, label: str, detail: Callable[[int, int | None], str] | None = None) -> None:
        self.label = label
        self.detail = detail
        self._started = time.monotonic()
        self._last = 0.0
        self._shown = False

    def __call__(self, done: int, total: int | None) -> None:
        now = time.monotonic()
        if now - self._last < 0.5 and not (total and done >= total):
            return
        self._last = now
        parts = []
        if total:
            parts.append(f"{min(done / total, 1.0):.0%}".replace("%", " %"))
        if self.detail is not None:
            parts.append(f"({self.detail(done, total)})")
        if total and 0 < done < total:
            left = (now - self._started) * (total - done) / done
            parts.append(f"– reste {left:.0f} s")
        click.echo(f"\r\033[K{self.label} : {' '.join(parts)}", err=True, nl=False)
        self._shown = True

    def clear(self) -> None:
        """Erase the progress line (before other diagnostics are printed)."""
        if self._shown:
            click.echo("\r\033[K", err=True, nl=False)
            self._shown = False


@contextmanager
def progress_line(
    label: str, *, enabled: bool = True, detail: Callable[[int, int | None], str] | None = None
) -> Iterator[ProgressLine | None]:
    """A :class:`ProgressLine` erased on exit, or None when disabled or when stderr is not a
    terminal (no progress in logs or pipes)."""
    if not enabled or not is_interactive_stderr():
        yield None
        return
    line = ProgressLine(label, detail)
    try:
        yield line
    finally:
        line.clear()


def _printable(name: str) -> str:
    """A path as the user can read it in a message (a NUL byte shown as ``\\0``)."""
    return name.replace("\x00", "\\0")


class CurrentFolderGoneError(InputFileError):
    """The current folder was deleted (or unmounted) while the shell was still in it:
    relative paths mean nothing any more."""

    def __init__(self) -> None:
        super().__init__(
            "Le dossier courant n'existe plus (supprimé ou démonté depuis que le terminal "
            "y est entré).",
            hint="Placez-vous dans un dossier existant (cd) puis relancez la commande.",
        )


def current_folder() -> Path:
    """The current folder; :class:`CurrentFolderGoneError` (exit 3) when it was deleted."""
    try:
        return Path.cwd()
    except FileNotFoundError as exc:
        raise CurrentFolderGoneError() from exc


def current_folder_gone() -> bool:
    """True when the current folder no longer exists (deleted from another shell)."""
    try:
        os.getcwd()
    except FileNotFoundError:
        return True
    return False


def shown_path(path: str | os.PathLike[str]) -> str:
    """``path`` as a message or stdout shows it: normalised as the user would type it from
    the current folder (``dossier/../att.pdf`` -> ``att.pdf``, a path built from the
    dossier's folder and a name it stores, ``/tmp/p/dossier/../att.pdf`` ->
    ``/tmp/p/att.pdf``); relative stays relative, absolute absolute."""
    return os.path.normpath(os.fspath(path))


def check_input_file(path: Path) -> None:
    """Raise :class:`InputFileError` (exit 3, French) unless ``path`` is a readable file."""
    if "\x00" in str(path):
        raise InputFileError(
            f"{_printable(str(path))} : un nom de fichier ne peut pas contenir d'octet nul.",
            hint="Retapez le chemin (un caractère invisible s'y est glissé).",
        )
    if not path.exists():
        raise InputFileError(
            f"{path} : fichier introuvable.",
            hint="Vérifiez le chemin et le nom du fichier (répertoire courant : "
            f"{current_folder()}).",
        )
    if path.is_dir():
        raise InputFileError(
            f"{path} est un dossier, pas un fichier.",
            hint="Donnez le chemin d'un fichier de ce dossier.",
        )
    if not os.access(path, os.R_OK):
        raise InputFileError(
            f"{path} : lecture refusée (permissions).",
            hint="Vérifiez les droits du fichier (ls -l) ou copiez-le à un endroit lisible.",
        )


class InputFile(click.Path):
    """A file the command reads. Missing, a directory or unreadable is bad input (exit 3,
    French message), not a command-line error (click's exit 2, English)."""

    def __init__(self, *, allow_dash: bool = False) -> None:
        super().__init__(dir_okay=False, allow_dash=allow_dash, path_type=Path)

    def convert(self, value: Any, param: click.Parameter | None, ctx: click.Context | None) -> Any:
        if not (self.allow_dash and value in ("-", b"-")):
            check_input_file(Path(os.fsdecode(value)))
        return super().convert(value, param, ctx)


class OutputPath(click.Path):
    """A file (``directory=False``) or directory the command writes. One of the other
    kind already at that place is an output error (exit 6, French message)."""

    def __init__(self, *, directory: bool = False, either: bool = False) -> None:
        super().__init__(
            file_okay=either or not directory, dir_okay=either or directory, path_type=Path
        )
        self.directory = directory
        self.either = either

    def convert(self, value: Any, param: click.Parameter | None, ctx: click.Context | None) -> Any:
        path = Path(os.fsdecode(value))
        if "\x00" in str(path):
            raise OutputError(
                f"{_printable(str(path))} : un nom de fichier ne peut pas contenir d'octet nul.",
                hint="Retapez le chemin (un caractère invisible s'y est glissé).",
            )
        if not self.either:
            if self.directory and path.exists() and not path.is_dir():
                raise OutputError(
                    f"{path} est un fichier : il faut un dossier pour les résultats.",
                    hint="Donnez le nom d'un dossier (il sera créé s'il n'existe pas).",
                )
            if not self.directory and path.is_dir():
                raise OutputError(
                    f"{path} est un dossier : il faut un nom de fichier.",
                    hint="Ajoutez le nom du fichier à créer dans ce dossier.",
                )
        return super().convert(value, param, ctx)
