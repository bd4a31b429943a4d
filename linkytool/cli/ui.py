"""`linkytool tui` (the terminal UI) and `linkytool serve` (the same UI in a browser).

Textual is imported only here and in ``linkytool.tui``: the headless commands stay fast
and usable without it.
"""

from __future__ import annotations

import sys
from pathlib import Path

import click


def _in_an_existing_folder(dossier: Path | None) -> Path | None:
    """A dossier that does not exist yet is offered for creation, in a folder that does:
    a mistyped folder is refused before anything is written (the UI's draft file made
    ``/nonexistent/`` at the root for ``linkytool tui /nonexistent/dir``)."""
    if dossier is None or dossier.exists():
        return dossier
    folder = dossier.absolute().parent
    if not folder.is_dir():
        raise click.BadParameter(
            f"le dossier {folder} n'existe pas : vérifiez le chemin (le fichier .toml peut "
            "ne pas exister encore, son dossier si).",
            param_hint="DOSSIER",
        )
    return dossier


@click.command()
@click.argument(
    "dossier",
    required=False,
    type=click.Path(dir_okay=False, path_type=Path),
    callback=lambda ctx, param, value: _in_an_existing_folder(value),
)
@click.option(
    "--demo",
    is_flag=True,
    help="Simulateur de compteur, photos et dossier d'exemple (copiés dans un dossier "
    "temporaire : les fichiers fournis ne sont jamais modifiés).",
)
@click.option(
    "--port",
    "port",
    metavar="PORT",
    help="Adaptateur TIC ou URL pyserial à lire dès l'ouverture "
    "(ex. /dev/serial/by-id/…, rfc2217://hôte:port).",
)
@click.option(
    "--workdir",
    type=click.Path(file_okay=False, path_type=Path),
    help="Dossier de travail de la démo (par défaut : un dossier temporaire).",
)
@click.option(
    "--intake-bind",
    metavar="ADRESSE",
    help="Adresse d'écoute des photos envoyées du téléphone (écran Photos) ; par défaut "
    "celle de l'interface de la route par défaut (le Wi-Fi du poste).",
)
@click.option(
    "--intake-port",
    metavar="PORT",
    type=click.IntRange(0, 65535),
    default=0,
    help="Port de la réception des photos du téléphone (0 : au hasard ; un port fixe "
    "pour un pare-feu).",
)
def tui(
    dossier: Path | None,
    demo: bool,
    port: str | None,
    workdir: Path | None,
    *,
    intake_bind: str | None = None,
    intake_port: int = 0,
) -> None:
    """Ouvre l'interface de mise en service (terminal).

    DOSSIER : le dossier d'auto-mise en service (.toml) à ouvrir ; sans lui, ouvrez-en
    ou créez-en un depuis l'onglet Prérequis. F1 affiche l'aide et les touches.
    """
    from linkytool.tui.launch import open_ui

    code = open_ui(
        dossier,
        demo=demo,
        port=port,
        workdir=workdir,
        intake_bind=intake_bind,
        intake_port=intake_port,
    )
    if code:
        sys.exit(code)


@click.command()
@click.argument(
    "dossier",
    required=False,
    type=click.Path(dir_okay=False, path_type=Path),
    callback=lambda ctx, param, value: _in_an_existing_folder(value),
)
@click.option("--demo", is_flag=True, help="Sert la démonstration (simulateur et exemples).")
@click.option(
    "--host",
    default="localhost",
    help="Adresse d'écoute. Gardez localhost sauf derrière un accès sécurisé : "
    "l'interface donne accès aux fichiers du poste.",
)
@click.option("--port", default=8000, show_default=True, type=int, help="Port TCP d'écoute.")
def serve(dossier: Path | None, demo: bool, host: str, port: int) -> None:
    """Sert l'interface dans un navigateur (textual-serve).

    Chaque onglet de navigateur lance sa propre session de l'interface. L'adresse à
    ouvrir contient un jeton secret, affiché une seule fois : sans lui, rien n'est servi.
    Par défaut, seul ce poste y a accès (localhost).
    """
    from linkytool.cli.serve_app import GuardedServer
    from linkytool.intake.security import is_loopback, new_token

    command = [sys.executable, "-m", "linkytool", "tui"]
    if demo:
        command.append("--demo")
    if dossier is not None:
        command.append(str(dossier.resolve()))
    server = GuardedServer(command, host=host, port=port, token=new_token())
    server.check_address()  # a taken port is said before an address is printed
    if not is_loopback(host):
        click.echo(
            f"Attention : l'interface est joignable depuis le réseau ({host}) ; "
            "ne partagez l'adresse ci-dessous qu'avec des personnes de confiance.",
            err=True,
        )
    click.echo(f"Interface disponible sur {server.url} (Ctrl+C pour arrêter).", err=True)
    server.serve()
