"""Command-line entry point: ``linkytool`` and ``python -m linkytool``.

A bare ``linkytool`` (or ``linkytool --demo``) opens the terminal UI; sub-commands are
headless. Sub-command groups are imported lazily so that start-up stays fast and a broken
optional dependency only affects the command that needs it. Errors deriving from
:class:`~linkytool.errors.LinkytoolError` are printed in French on stderr, without a
traceback, and mapped to their documented :class:`~linkytool.errors.ExitCode`.
"""

from __future__ import annotations

import contextlib
import errno
import importlib
import io
import os
import sys
from typing import IO, Any

import click

from linkytool import __version__
from linkytool.cli import french
from linkytool.cli.output import CurrentFolderGoneError, current_folder_gone
from linkytool.errors import (
    ExitCode,
    InputFileError,
    LinkytoolError,
    OutputError,
    describe_os_error,
    error_line,
)

french.install()

#: Sub-command name -> "module:attribute" of its click command or group.
SUBCOMMANDS: dict[str, str] = {
    "tic": "linkytool.cli.tic:tic",
    "ocr": "linkytool.cli.ocr:ocr",
    "mes": "linkytool.cli.mes:mes",
    "acc": "linkytool.cli.acc:acc",
    "tui": "linkytool.cli.ui:tui",
    "serve": "linkytool.cli.ui:serve",
}

#: Sub-command name -> first paragraph of its help, for the ``linkytool --help`` listing:
#: that listing would otherwise import every sub-command's module and its libraries
#: (numpy, PIL, reportlab...: ~0.4 s of CPU). ``tests/test_cli_lazy.py`` holds each line
#: to the command's own help.
SUMMARIES: dict[str, str] = {
    "tic": "Télé-information client (TIC) : lire, enregistrer, décoder, simuler.",
    "ocr": "Lire les écrans du Linky sur des photos : numéro PRM, date courante, index injection.",
    "mes": "Dossier d'auto-mise en service : prérequis, attestation, dossier d'envoi.",
    "acc": "Autoconsommation collective : prévisualiser la répartition d'Enedis.",
    "tui": "Ouvre l'interface de mise en service (terminal).",
    "serve": "Sert l'interface dans un navigateur (textual-serve).",
}


class LinkytoolClickError(click.ClickException):
    """Carries a :class:`LinkytoolError` through click with its exit code."""

    def __init__(self, error: LinkytoolError) -> None:
        super().__init__(str(error))
        self.exit_code = int(error.exit_code)  # type: ignore[misc]  # click declares a ClassVar
        self.line = error_line(error)

    def show(self, file: IO[Any] | None = None) -> None:
        click.echo(self.line, err=True, file=file)


class LazyGroup(click.Group):
    """A click group whose sub-commands are imported on first use."""

    def __init__(
        self,
        *args: Any,
        lazy: dict[str, str] | None = None,
        summaries: dict[str, str] | None = None,
        **kwargs: Any,
    ) -> None:
        super().__init__(*args, **kwargs)
        self._lazy = dict(lazy or {})
        self._summaries = dict(summaries or {})

    def list_commands(self, ctx: click.Context) -> list[str]:
        return sorted({*super().list_commands(ctx), *self._lazy})

    def get_command(self, ctx: click.Context, cmd_name: str) -> click.Command | None:
        if cmd_name in self._lazy:
            module_name, attribute = self._lazy[cmd_name].split(":")
            command = getattr(importlib.import_module(module_name), attribute)
            if not isinstance(command, click.Command):
                raise TypeError(f"{self._lazy[cmd_name]} is not a click command")
            _french_metavars(command)
            return command
        return super().get_command(ctx, cmd_name)

    def format_commands(self, ctx: click.Context, formatter: click.HelpFormatter) -> None:
        """click's own listing (``click.Group.format_commands``: same width limit, same
        shortening), with the summaries table standing in for a lazy command's help so
        that listing imports none of them."""
        commands: list[tuple[str, click.Command]] = []
        for name in self.list_commands(ctx):
            if name in self._lazy and name in self._summaries:
                # a stand-in carrying only the help: shortened as the real one would be
                command: click.Command | None = click.Command(name, help=self._summaries[name])
            else:
                command = self.get_command(ctx, name)
            if command is not None and not command.hidden:
                commands.append((name, command))
        if not commands:
            return
        limit = formatter.width - 6 - max(len(name) for name, _ in commands)
        rows = [(name, command.get_short_help_str(limit)) for name, command in commands]
        with formatter.section(french.gettext_fr("Commands")):
            formatter.write_dl(rows)

    def invoke(self, ctx: click.Context) -> Any:
        if current_folder_gone():
            # Every relative path, and libraries reading the current folder at import
            # (reportlab), would fail each its own way: one message, one exit code.
            raise LinkytoolClickError(CurrentFolderGoneError())
        try:
            return super().invoke(ctx)
        except LinkytoolError as error:
            raise LinkytoolClickError(error) from error
        except ValueError as error:
            if "embedded null byte" not in str(error):
                raise
            # a path given as a plain string reached the OS with a NUL byte in it
            raise LinkytoolClickError(
                InputFileError(
                    "Un chemin donné contient un octet nul : aucun fichier ne peut porter ce nom.",
                    hint="Retapez le chemin (un caractère invisible s'y est glissé).",
                )
            ) from error
        except FileNotFoundError as error:
            if not current_folder_gone():
                raise
            # a relative path (or Path.cwd()) met a current folder deleted while running
            raise LinkytoolClickError(CurrentFolderGoneError()) from error
        except BrokenPipeError:  # the reader of stdout went away (| head): stop quietly
            _discard_stdout()
            ctx.exit(int(ExitCode.OK))
        except OSError as error:
            if error.errno not in _OUTPUT_ERRNOS:
                raise
            # files are written through linkytool.fileio (OutputError): this is stdout
            _discard_stdout()
            raise LinkytoolClickError(
                OutputError(
                    f"Écriture impossible sur la sortie standard : {describe_os_error(error)}.",
                    hint="Libérez de la place ou redirigez la sortie vers un autre fichier.",
                )
            ) from error
        except KeyboardInterrupt:
            click.echo("Interrompu.", err=True)
            ctx.exit(int(ExitCode.INTERRUPTED))


def _french_metavars(command: click.Command) -> None:
    """Name a group's sub-command "COMMANDE" in usage lines, recursively."""
    if isinstance(command, click.Group):
        command.subcommand_metavar = (
            french.OPTIONAL_SUBCOMMAND_METAVAR
            if command.invoke_without_command
            else french.SUBCOMMAND_METAVAR
        )
        for sub in command.commands.values():
            _french_metavars(sub)


class DiagnosticStream(io.TextIOBase):
    """stderr that never fails the command: diagnostics that cannot be written (stderr
    on a full disk, a closed pipe) are dropped, so the exit code still tells the truth
    (``mes check 2>/dev/full`` exits 0 or 3, not 1)."""

    def __init__(self, stream: IO[str]) -> None:
        super().__init__()
        self._stream = stream

    @property
    def encoding(self) -> str:  # type: ignore[override]  # TextIOBase declares it read-only
        encoding: str = getattr(self._stream, "encoding", "utf-8")
        return encoding

    @property
    def errors(self) -> str | None:  # type: ignore[override]
        errors: str | None = getattr(self._stream, "errors", None)
        return errors

    def writable(self) -> bool:
        return True

    def isatty(self) -> bool:
        return self._stream.isatty()

    def fileno(self) -> int:
        return self._stream.fileno()

    def write(self, text: str) -> int:
        with contextlib.suppress(OSError, ValueError):
            self._stream.write(text)
        return len(text)

    def flush(self) -> None:
        with contextlib.suppress(OSError, ValueError):
            self._stream.flush()


#: Errors of a write that ran out of room: reported as exit 6, not a traceback.
_OUTPUT_ERRNOS = frozenset({errno.ENOSPC, errno.EDQUOT, errno.EFBIG})


def _discard_stdout() -> None:
    """Point stdout at /dev/null so the interpreter's final flush cannot fail again."""
    with contextlib.suppress(OSError, ValueError):
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, sys.stdout.fileno())


@click.group(
    cls=LazyGroup,
    lazy=SUBCOMMANDS,
    summaries=SUMMARIES,
    invoke_without_command=True,
    context_settings={"help_option_names": ["-h", "--help"]},
)
@click.option(
    "--demo",
    is_flag=True,
    help="Ouvre l'interface sur le simulateur de compteur et les exemples fournis "
    "(aucun matériel nécessaire).",
)
@click.version_option(__version__, prog_name="linkytool")
@click.pass_context
def cli(ctx: click.Context, demo: bool) -> None:
    """linkytool : outil de terrain pour compteurs Linky.

    Sans sous-commande, ouvre l'interface (TUI). Les sous-commandes fonctionnent sans
    interface : lecture TIC (tic), lecture des photos d'écran (ocr), dossier d'auto-mise
    en service (mes), répartition d'autoconsommation collective (acc).
    """
    if ctx.invoked_subcommand is None:
        tui_command = cli.get_command(ctx, "tui") if isinstance(cli, click.Group) else None
        if tui_command is None:  # pragma: no cover - the table above always has it
            raise click.UsageError("interface indisponible")
        ctx.invoke(tui_command, demo=demo)


_french_metavars(cli)  # here, not in main(): tests invoke ``cli`` itself


def main(argv: list[str] | None = None) -> None:
    """Console-script entry point."""
    if not isinstance(sys.stderr, DiagnosticStream):
        sys.stderr = DiagnosticStream(sys.stderr)
    cli.main(args=argv, prog_name="linkytool")


__all__ = ["SUBCOMMANDS", "SUMMARIES", "LazyGroup", "cli", "main"]
