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
import os
import sys
from typing import IO, Any

import click

from linkytool import __version__
from linkytool.errors import ExitCode, LinkytoolError, OutputError, describe_os_error

#: Sub-command name -> "module:attribute" of its click command or group.
SUBCOMMANDS: dict[str, str] = {
    "tic": "linkytool.cli.tic:tic",
    "ocr": "linkytool.cli.ocr:ocr",
    "mes": "linkytool.cli.mes:mes",
    "acc": "linkytool.cli.acc:acc",
    "tui": "linkytool.cli.ui:tui",
    "serve": "linkytool.cli.ui:serve",
}


class LinkytoolClickError(click.ClickException):
    """Carries a :class:`LinkytoolError` through click with its exit code."""

    def __init__(self, error: LinkytoolError) -> None:
        super().__init__(str(error))
        self.exit_code = int(error.exit_code)  # type: ignore[misc]  # click declares a ClassVar

    def show(self, file: IO[Any] | None = None) -> None:
        click.echo(f"Erreur : {self.format_message()}", err=True, file=file)


class LazyGroup(click.Group):
    """A click group whose sub-commands are imported on first use."""

    def __init__(self, *args: Any, lazy: dict[str, str] | None = None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self._lazy = dict(lazy or {})

    def list_commands(self, ctx: click.Context) -> list[str]:
        return sorted({*super().list_commands(ctx), *self._lazy})

    def get_command(self, ctx: click.Context, cmd_name: str) -> click.Command | None:
        if cmd_name in self._lazy:
            module_name, attribute = self._lazy[cmd_name].split(":")
            command = getattr(importlib.import_module(module_name), attribute)
            if not isinstance(command, click.Command):
                raise TypeError(f"{self._lazy[cmd_name]} is not a click command")
            return command
        return super().get_command(ctx, cmd_name)

    def invoke(self, ctx: click.Context) -> Any:
        try:
            return super().invoke(ctx)
        except LinkytoolError as error:
            raise LinkytoolClickError(error) from error
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


def main(argv: list[str] | None = None) -> None:
    """Console-script entry point."""
    cli.main(args=argv, prog_name="linkytool")


__all__ = ["SUBCOMMANDS", "LazyGroup", "cli", "main"]
