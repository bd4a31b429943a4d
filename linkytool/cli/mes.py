"""`linkytool mes`: the self-commissioning (auto-MES) dossier from the command line.

Thin shell over :mod:`linkytool.mes.service`: every command parses its arguments, calls
one service function and renders its typed result (data on stdout, diagnostics on
stderr). Core errors carry fields; the hints naming this command line's options are
worded here (:func:`cli_hints`), never in the core.
"""

from __future__ import annotations

import functools
import os
import shutil
import sys
import textwrap
from collections.abc import Callable, Sequence
from datetime import datetime
from pathlib import Path
from typing import Any, TypeVar

import click

from linkytool.cli.output import (
    InputFile,
    OutputPath,
    emit_rows,
    format_option,
    shown_path,
    warn,
)
from linkytool.errors import ExitCode, LinkytoolError
from linkytool.fileio import read_regular_file, user_path
from linkytool.mes import service
from linkytool.mes.attestation_check import AttestationChange, ChangeKind
from linkytool.mes.errors import (
    AttestationError,
    DossierError,
    DossierExistsError,
    DossierFileOutputError,
    OcrUnavailableError,
    PrerequisitesError,
    SigningError,
    TestOverwriteError,
    UnsignedAttestationError,
)
from linkytool.mes.model import SIGNATURE_LABELS, ReadingField, ReadingSource, SignatureKind
from linkytool.mes.readings import shown_value
from linkytool.mes.rules import STATUS_LABELS, CheckSettings, RuleOutcome, RuleStatus
from linkytool.mes.titles import SCREEN_TITLES
from linkytool.textfmt import (
    dumps_json,
    french_count,
    french_megabytes,
    french_number,
    french_percent,
    parse_french_date,
)

DOSSIER = OutputPath()
EXISTING_FILE = InputFile()


F = TypeVar("F", bound=Callable[..., Any])


#: What to do about a signing date mes attest would refuse (mes check and mes attest).
SIGNED_ON_HINT = (
    "Corrigez signatures.signed_on : le jour de la signature, ni avant la mise en service ni "
    "dans l'avenir (vide, l'attestation est datée de la mise en service)"
)


#: What ``-o`` of each command writing beside the dossier could be instead of one of the
#: dossier's files (its photos, its attestation...).
OTHER_OUTPUT_EXAMPLES = {
    "attest_command": "un nouveau fichier attestation.pdf",
    "sign_command": "un nouveau fichier attestation-signee.pdf",
    "pack_command": "un nouveau dossier « envoi »",
}


def _hint_for(error: LinkytoolError, dossier: str, command: str = "") -> str | None:
    """The command-line wording of what to do after ``error`` in ``command`` (the name of
    its function; None: keep the core's)."""
    if isinstance(error, DossierError) and error.missing:
        return f"Créez-le avec : linkytool mes new {error.file or dossier}"
    if isinstance(error, PrerequisitesError) and error.signing_date_only:
        return f"{SIGNED_ON_HINT} ; --draft produit un brouillon (mes attest)."
    if isinstance(error, PrerequisitesError):
        return (
            f"linkytool mes check {dossier} détaille chaque point ; --draft produit un "
            "brouillon (mes attest)."
        )
    if isinstance(error, UnsignedAttestationError):
        return (
            "Ajoutez --signature PNG et --installer-signature PNG, ou --sign-p12 CLE.p12, ou "
            "--sign-by-hand pour une attestation à imprimer et signer à la main."
        )
    if isinstance(error, AttestationError):
        if error.file is None:
            return (
                f"Produisez-la d'abord : linkytool mes attest {dossier} -o attestation.pdf "
                "(avec les signatures), puis relancez mes pack."
            )
        return (
            f"Refaites l'attestation (linkytool mes attest {dossier} -o ...) à partir du "
            "dossier actuel, ou donnez la bonne avec --attestation."
        )
    if isinstance(error, DossierExistsError):
        return "Choisissez un autre nom ou ajoutez --force pour le remplacer."
    if isinstance(error, TestOverwriteError):
        return "Confirmez à la question posée, ou ajoutez --force pour remplacer l'essai consigné."
    if isinstance(error, SigningError) and error.bad_password:
        return (
            "Vérifiez le fichier .p12 et son mot de passe (demandé au clavier, ou "
            "--p12-password, ou la variable LINKYTOOL_P12_PASSWORD)."
        )
    if isinstance(error, OcrUnavailableError):
        return f"Saisissez les valeurs avec : linkytool mes reading {dossier} CHAMP VALEUR"
    if isinstance(error, DossierFileOutputError):
        example = OTHER_OUTPUT_EXAMPLES.get(command)
        return "Donnez une autre sortie avec -o" + (
            f" (par exemple {example})." if example else "."
        )
    return None


def cli_hints(function: F) -> F:
    """Word the hint of a core error for this command line (the core names no option)."""

    @functools.wraps(function)
    def wrapper(*args: Any, **kwargs: Any) -> Any:
        try:
            return function(*args, **kwargs)
        except LinkytoolError as error:
            dossier = str(kwargs.get("dossier") or "DOSSIER")
            hint = _hint_for(error, dossier, function.__name__)
            if hint is not None:
                error.hint = hint
            raise

    return wrapper  # type: ignore[return-value]


def _settings(max_delay: float, max_index: int) -> CheckSettings:
    return CheckSettings(max_decoupling_delay_s=max_delay, max_new_injection_kwh=max_index)


def settings_options(function: Any) -> Any:
    """The tunable thresholds shared by check, attest and pack."""
    function = click.option(
        "--max-delay",
        type=click.FloatRange(min=0.1),
        default=CheckSettings().max_decoupling_delay_s,
        show_default=True,
        help="Délai maximal de découplage accepté pour l'essai [s] (réglage de linkytool).",
    )(function)
    return click.option(
        "--max-index",
        type=click.IntRange(min=0),
        default=CheckSettings().max_new_injection_kwh,
        show_default=True,
        help=(
            "Index d'injection attendu au plus d'une installation neuve [kWh] : "
            "au-delà, mes check demande de le vérifier (sans refuser)."
        ),
    )(function)


def key_options(function: Any) -> Any:
    """The PKCS#12 key and its password (prompted for when not given)."""
    function = click.option(
        "--p12-password",
        envvar="LINKYTOOL_P12_PASSWORD",
        help="Mot de passe de la clé (sinon variable LINKYTOOL_P12_PASSWORD, ou demandé au "
        "clavier).",
    )(function)
    return click.option(
        "--sign-p12",
        type=EXISTING_FILE,
        help="Clé PKCS#12 (.p12) pour signer électroniquement le PDF (PAdES).",
    )(function)


def _interactive() -> bool:
    """True when a person can answer on the terminal (prompts are asked only then)."""
    return sys.stdin.isatty()


def _key(path: Path | None, password: str | None) -> service.SigningKey | None:
    """The signing key; its password is asked on the terminal when not given."""
    if path is None:
        return None
    data = read_regular_file(path, limit=1_000_000, what="clé PKCS#12")
    if password is None and _interactive():
        password = click.prompt(
            f"Mot de passe de la clé {path.name} (vide s'il n'y en a pas)",
            hide_input=True,
            default="",
            show_default=False,
            err=True,
        )
    elif password is None:
        # No terminal to ask on: a key that needs a password says so, not « incorrect ».
        from linkytool.mes.signing import load_signer

        try:
            load_signer(data, None)
        except SigningError as exc:
            raise SigningError(
                f"La clé {path} demande un mot de passe, et aucun n'a été donné (pas de "
                "terminal pour le demander).",
                hint="Donnez-le avec la variable LINKYTOOL_P12_PASSWORD (ou --p12-password), "
                "ou lancez la commande dans un terminal.",
            ) from exc
    return service.SigningKey(data, password.encode("utf-8") if password else None)


@click.group()
def mes() -> None:
    """Dossier d'auto-mise en service : prérequis, attestation, dossier d'envoi.

    Flux habituel : mes new DOSSIER.toml, remplir le fichier (ou l'interface),
    mes import-tic, mes import-photos, mes test, mes check, mes attest, mes pack ;
    mes verify contrôle une attestation signée.
    """


@mes.command("new")
@click.argument("dossier", type=DOSSIER)
@click.option("--force", is_flag=True, help="Remplace un fichier existant.")
@cli_hints
def new_command(dossier: Path, force: bool) -> None:
    """Crée un dossier vierge (TOML commenté en français) à remplir."""
    result = service.new_dossier(dossier, force=force)
    replaced = " (fichier précédent remplacé)" if result.replaced else ""
    warn(
        f"Dossier créé : {result.path}{replaced}. Remplissez-le puis lancez : "
        f"linkytool mes check {result.path}"
    )


CHECK_COLUMNS = [
    ("kind", "Nature"),
    ("id", "Règle"),
    ("title", "Prérequis"),
    ("status_label", "État"),
    ("detail", "Constat"),
    ("action", "À faire"),
    ("citation", "Procédure"),
    ("warnings", "Avertissements"),
    ("field", "Champ"),
    ("attested", "Sur l'attestation"),
    ("current", "Dans le dossier"),
]


def _outcome_row(outcome: RuleOutcome) -> dict[str, Any]:
    return {
        "kind": "prerequisite",
        "id": outcome.id,
        "title": outcome.title,
        "status": outcome.status.value,
        "status_label": STATUS_LABELS[outcome.status],
        "detail": outcome.detail,
        "action": outcome.action,
        "message": outcome.message,
        "citation": outcome.citation,
        "warnings": list(outcome.warnings),
    }


def _signing_date_row(problem: str) -> dict[str, Any]:
    """The data row of a signing date mes attest would refuse (not a prerequisite of the
    procedure: ``kind`` says so, and it cites none)."""
    return {
        "kind": "attestation",
        "id": "signed_on",
        "title": "Date de signature de l'attestation",
        "status": RuleStatus.NOT_SATISFIED.value,
        "status_label": "à corriger",
        "detail": problem,
        "action": f"{SIGNED_ON_HINT}.",
        "message": "mes attest refuse une date de signature avant la mise en service ou "
        "dans l'avenir.",
        "citation": "",
        "warnings": [],
    }


#: The French title of a change row by kind (a field's row is titled by the field).
CHANGE_TITLES = {
    ChangeKind.PHOTO: "Photo de l'attestation",
    ChangeKind.ATTESTATION: "Attestation produite",
}


def _change_action(dossier: Path) -> str:
    return f"Refaites l'attestation (linkytool mes attest {dossier} -o ...) avant l'envoi."


def _change_row(change: AttestationChange, dossier: Path) -> dict[str, Any]:
    """The data row of one change since the recorded attestation (``kind``
    ``attestation_change``, ``id`` the stable :class:`ChangeKind`; ``field``, ``attested``
    and ``current`` say what changed)."""
    return {
        "kind": "attestation_change",
        "id": change.kind.value,
        "title": CHANGE_TITLES.get(change.kind, change.field),
        "status": RuleStatus.NOT_SATISFIED.value,
        "status_label": "à refaire",
        "detail": change.text,
        "action": _change_action(dossier),
        "message": "mes pack refuse une attestation qui ne dit plus ce que dit le dossier.",
        "citation": "",
        "warnings": [],
        "field": change.field,
        "attested": change.attested,
        "current": change.current,
    }


def _csv_row(row: dict[str, Any]) -> dict[str, Any]:
    """``row`` for a CSV cell per column: its warnings in one cell, « ; » between them."""
    return {**row, "warnings": " ; ".join(row["warnings"])}


STATUS_MARKS = {
    RuleStatus.SATISFIED: "[ok]",
    RuleStatus.MISSING: "[à compléter]",
    RuleStatus.NOT_SATISFIED: "[NON]",
}


def render_check(
    outcomes: Sequence[RuleOutcome],
    *,
    width: int = 100,
    changes: Sequence[AttestationChange] = (),
    dossier: Path | None = None,
) -> str:
    """Readable list for a terminal: one line per satisfied rule, details for the others,
    then what changed since the recorded attestation (``changes``)."""
    width = max(60, min(width, 120))
    lines = []

    def wrap(label: str, text: str) -> None:
        lines.extend(
            textwrap.wrap(
                text,
                width=width,
                initial_indent=f"{'':14}{label} : ",
                subsequent_indent=" " * 24,
                break_on_hyphens=False,  # a path or a command stays whole on its line
                break_long_words=False,
            )
        )

    for outcome in outcomes:
        mark = STATUS_MARKS[outcome.status]
        head = f"{mark:<14}{outcome.title} ({outcome.id})"
        if outcome.satisfied:
            lines.append(f"{head} : {outcome.detail}")
        else:
            lines.append(f"{head} – {STATUS_LABELS[outcome.status]}")
        notes = [("attention", warning) for warning in outcome.warnings]
        if not outcome.satisfied:
            notes = [("constat", outcome.detail), ("à faire", outcome.action), *notes]
        for label, text in notes:
            wrap(label, text)
    if changes:
        lines.append(f"{'[à refaire]':<14}Attestation produite – ne correspond plus au dossier")
        for change in changes:
            wrap("changé", change.text)
        wrap("à faire", _change_action(dossier or Path("DOSSIER")))
    return "\n".join(lines)


@mes.command("check")
@click.argument("dossier", type=EXISTING_FILE)
@format_option("table", "json", "jsonl", "csv")
@settings_options
@click.pass_context
@cli_hints
def check_command(
    ctx: click.Context, dossier: Path, output_format: str, max_delay: float, max_index: int
) -> None:
    """Vérifie chaque prérequis de l'auto-MES (code de sortie 1 s'il en manque un).

    Dit aussi ce qui empêcherait mes attest de faire l'attestation (une date de
    signature avant la mise en service ou dans l'avenir : code de sortie 1).

    Une ligne par condition du mode opératoire d'Enedis : remplie, information
    manquante ou non remplie, avec le constat et ce qu'il faut faire. Un relevé dont la
    photo ou la capture a changé depuis sa lecture est signalé, pas compté. En JSON (ou
    CSV, JSON lines), chaque ligne cite aussi la phrase du mode opératoire et donne ses
    avertissements ; une date de signature à corriger y fait une ligne de plus (kind
    « attestation », id signed_on).

    Si l'attestation produite ne correspond plus au dossier (un champ qu'elle imprime
    modifié, une photo remplacée), chaque changement est listé : sous le tableau, ou en
    ligne de kind « attestation_change » (id field, photo ou attestation ; field, attested
    et current disent quoi).
    """
    result = service.check(dossier, settings=_settings(max_delay, max_index))
    rows = [_outcome_row(outcome) for outcome in result.outcomes]
    rows += [_signing_date_row(problem) for problem in result.attestation_blockers]
    rows += [_change_row(change, dossier) for change in result.attestation_changes]
    if output_format == "json":
        click.echo(dumps_json(rows))
    elif output_format == "table":
        width = shutil.get_terminal_size((100, 24)).columns
        click.echo(
            render_check(
                result.outcomes,
                width=width,
                changes=result.attestation_changes,
                dossier=dossier,
            )
        )
    elif output_format == "csv":
        emit_rows([_csv_row(row) for row in rows], CHECK_COLUMNS, output_format)
    else:
        emit_rows(rows, CHECK_COLUMNS, output_format)
    for warning in result.warnings:
        warn(f"Attention : {warning}.")
    if result.attestation_changes:
        changed = french_count(len(result.attestation_changes), "changement", "changements")
        warn(
            f"Attention : l'attestation produite ne correspond plus au dossier ({changed}) ; "
            f"refaites-la (linkytool mes attest {dossier} -o ...) avant l'envoi."
        )
    total = len(result.outcomes)
    if result.attestation_blockers:
        warn("L'attestation ne pourra pas être faite ainsi (mes attest la refuserait) :")
        for blocker in result.attestation_blockers:
            warn(f"  - {blocker}")
        warn(f"  {SIGNED_ON_HINT}.")
    if result.failing:
        count = len(result.failing)
        verb = "n'est pas rempli" if count == 1 else "ne sont pas remplis"
        warn(f"{count} prérequis sur {total} {verb}.")
        ctx.exit(int(ExitCode.NOT_SATISFIED))
    if result.attestation_blockers:
        warn(f"Les {total} prérequis sont remplis, mais la date de signature est à corriger.")
        ctx.exit(int(ExitCode.NOT_SATISFIED))
    warn(f"Les {total} prérequis sont remplis : linkytool mes attest {dossier} -o ...")


SIGNATURE_WORDS = {
    SignatureKind.PADES: "signée électroniquement (PAdES)",
    SignatureKind.IMAGES: "signée (images des signatures)",
    SignatureKind.BY_HAND: "À IMPRIMER ET SIGNER À LA MAIN (non signée)",
}


@mes.command("attest")
@click.argument("dossier", type=EXISTING_FILE)
@click.option("-o", "--output", type=OutputPath(), required=True, help="Fichier PDF à écrire.")
@click.option(
    "--signature",
    "producer_signature",
    type=EXISTING_FILE,
    help="Image (PNG, JPEG) de la signature manuscrite du producteur (gardée dans le dossier).",
)
@click.option(
    "--installer-signature",
    type=EXISTING_FILE,
    help="Image (PNG, JPEG) de la signature de l'installateur (gardée dans le dossier).",
)
@key_options
@click.option(
    "--sign-by-hand",
    is_flag=True,
    help="Attestation finale à imprimer et signer à la main (elle le dit sur chaque page), "
    "quand il n'y a ni images de signature ni clé.",
)
@click.option(
    "--keep-gps", is_flag=True, help="Conserve la position des photos (retirée par défaut)."
)
@click.option(
    "--draft",
    is_flag=True,
    help="Produit un brouillon même si des prérequis manquent (« BROUILLON – NON CONFORME »).",
)
@settings_options
@cli_hints
def attest_command(
    *,
    dossier: Path,
    output: Path,
    producer_signature: Path | None,
    installer_signature: Path | None,
    sign_p12: Path | None,
    p12_password: str | None,
    sign_by_hand: bool,
    keep_gps: bool,
    draft: bool,
    max_delay: float,
    max_index: int,
) -> None:
    """Produit l'attestation d'auto-mise en service (PDF A4) et l'enregistre dans le dossier.

    Refuse tant qu'un prérequis n'est pas rempli (sauf --draft), et refuse une
    attestation finale qui ne serait pas signée : images des deux signatures, clé
    PKCS#12, ou --sign-by-hand. mes pack joindra exactement ce fichier.
    """
    result = service.attest(
        dossier,
        output,
        service.AttestationRequest(
            draft=draft,
            producer_signature=producer_signature,
            installer_signature=installer_signature,
            key=_key(sign_p12, p12_password),
            by_hand=sign_by_hand,
            keep_gps=keep_gps,
            settings=_settings(max_delay, max_index),
        ),
    )
    for message in result.warnings:
        warn(f"Attention : {message}.")
    for outcome in result.outcomes:  # what mes check says to look at, said here too
        for warning in outcome.warnings:
            warn(f"À vérifier ({outcome.title}) : {warning}.")
    if result.draft:
        warn(
            f"Brouillon écrit : {shown_path(output)} ({french_megabytes(result.size_bytes, 2)}), "
            "jamais à envoyer."
        )
    else:
        assert result.signature is not None
        warn(
            f"Attestation écrite : {shown_path(output)} ({french_megabytes(result.size_bytes, 2)}, "
            f"{SIGNATURE_WORDS[result.signature]}), enregistrée dans {dossier}."
        )
    click.echo(shown_path(output))


@mes.command("sign")
@click.argument("dossier", type=EXISTING_FILE)
@key_options
@click.option(
    "--attestation",
    type=EXISTING_FILE,
    help="Attestation à signer (par défaut celle enregistrée dans le dossier).",
)
@click.option(
    "-o", "--output", type=OutputPath(), help="PDF signé à écrire (par défaut : en place)."
)
@cli_hints
def sign_command(
    *,
    dossier: Path,
    sign_p12: Path | None,
    p12_password: str | None,
    attestation: Path | None,
    output: Path | None,
) -> None:
    """Signe électroniquement (PAdES) l'attestation produite pour ce dossier."""
    key = _key(sign_p12, p12_password)
    if key is None:
        raise click.UsageError("--sign-p12 est obligatoire pour signer.")
    result = service.sign(dossier, key, attestation=attestation, output=output)
    for message in result.warnings:
        warn(f"Attention : {message}.")
    signed = shown_path(result.path)
    warn(f"Attestation signée : {signed} (signataire : {result.signer or 'inconnu'}).")
    click.echo(signed)


@mes.command("verify")
@click.argument("pdf", type=EXISTING_FILE)
@click.argument("more_photos", nargs=-1, type=EXISTING_FILE, metavar="[PHOTOS]...")
@click.option(
    "--photos",
    "photos",
    multiple=True,
    type=EXISTING_FILE,
    help="Photos à comparer aux empreintes de l'attestation (plusieurs possibles).",
)
@format_option("table", "json")
@click.pass_context
@cli_hints
def verify_command(
    ctx: click.Context,
    pdf: Path,
    more_photos: Sequence[Path],
    photos: Sequence[Path],
    output_format: str,
) -> None:
    """Vérifie chaque signature d'une attestation, ce qu'elle couvre, et les photos.

    L'intégrité (contenu inchangé depuis chaque signature, aucune modification ajoutée
    ensuite) décide du code de sortie ; la confiance dans le certificat (auto-signé le
    plus souvent) est indiquée à part.
    """
    result = service.verify(pdf, [*photos, *more_photos])
    report = result.signature
    no_certificate = result.signed_without_certificate
    rows: list[dict[str, Any]] = [
        {
            "controle": "signature électronique",
            "resultat": _yes(report.signed),
            "detail": SIGNATURE_LABELS[result.signature_kind]
            if no_certificate and result.signature_kind
            else "",
        },
        {
            "controle": "intégrité",
            "resultat": "non vérifiable" if no_certificate else _yes(report.ok),
            "detail": "aucune signature électronique ne la protège"
            if no_certificate
            else "; ".join(report.problems),
        },
    ]
    for check in report.signatures:
        rows.append(
            {
                "controle": f"certificat ({check.field})",
                "resultat": "reconnu" if check.trusted else "non reconnu",
                "detail": (check.signer or "")
                + ("" if check.trusted else " (auto-signé ou inconnu : vérifiez le signataire)"),
            }
        )
    for photo in result.photos:
        rows.append(
            {
                "controle": f"photo {photo.path.name}",
                "resultat": _yes(photo.matches),
                "detail": f"écran « {photo.title} »" if photo.title else "empreinte absente du PDF",
            }
        )
    if output_format == "json":
        click.echo(
            dumps_json(
                {
                    "ok": result.ok,
                    "signed": report.signed,
                    "signature_kind": result.signature_kind,
                    "draft": result.draft,
                    "intact": report.intact,
                    "covers_whole_file": report.covers_whole_file,
                    "trusted": report.trusted,
                    "signer": report.signer,
                    "signing_time": report.signing_time,
                    "signatures": [
                        {
                            "field": check.field,
                            "signer": check.signer,
                            "signing_time": check.signing_time,
                            "intact": check.intact,
                            "trusted": check.trusted,
                            "problems": list(check.problems),
                        }
                        for check in report.signatures
                    ],
                    "photos": [
                        {"path": p.path, "sha256": p.sha256, "role": p.role, "matches": p.matches}
                        for p in result.photos
                    ],
                    "problems": result.problems,
                    "warnings": list(result.warnings),
                    "summary": result.summary if result.ok else None,
                }
            )
        )
    else:
        columns = [("controle", "Contrôle"), ("resultat", "Résultat"), ("detail", "Détail")]
        emit_rows(rows, columns, "table")
    for message in result.warnings:
        warn(f"Attention : {message}.")
    if not result.ok:
        warn("Vérification en échec : " + " ; ".join(result.problems))
        ctx.exit(int(ExitCode.NOT_SATISFIED))


def _yes(value: bool) -> str:
    return "oui" if value else "NON"


@mes.command("pack")
@click.argument("dossier", type=EXISTING_FILE)
@click.option(
    "-o",
    "--output",
    type=click.Path(path_type=Path),
    required=True,
    help="Dossier de sortie, ou archive si le nom finit par .zip.",
)
@click.option(
    "--attestation",
    type=EXISTING_FILE,
    help="Attestation à joindre au lieu de celle enregistrée dans le dossier (elle doit "
    "correspondre au dossier).",
)
@settings_options
@cli_hints
def pack_command(
    *,
    dossier: Path,
    output: Path,
    attestation: Path | None,
    max_delay: float,
    max_index: int,
) -> None:
    """Prépare l'envoi Enedis-Connect : attestation, 3 photos, message.txt, manifeste.

    Joint exactement l'attestation produite par mes attest (refusée si elle ne
    correspond plus au dossier). Chaque pièce fait 4 Mo au plus (photo réduite seulement
    si nécessaire, HEIC converti en JPEG), la position est retirée des photos, une photo
    du mauvais écran est refusée. L'ensemble apparaît d'un coup, ou pas du tout.
    """
    outcome = service.pack(
        dossier,
        output,
        service.PackRequest(attestation=attestation, settings=_settings(max_delay, max_index)),
    )
    packed = outcome.pack
    for message in packed.warnings:
        warn(message)
    emit_rows(
        [
            {
                "name": item.name,
                "size": french_megabytes(item.size_bytes, 2),
                "sha256": item.sha256,
                "changes": "; ".join(item.changes),
            }
            for item in packed.files
        ],
        [
            ("name", "Fichier"),
            ("size", "Taille"),
            ("sha256", "SHA-256"),
            ("changes", "Modifications"),
        ],
        "table",
    )
    kind, ready = ("Archive", "prête") if packed.zipped else ("Dossier", "prêt")
    replaced = " (l'envoi précédent a été remplacé en entier)" if packed.replaced else ""
    warn(
        f"{kind} d'envoi {ready}{replaced} : {shown_path(packed.destination)} (attestation "
        f"{SIGNATURE_WORDS[packed.signature] if packed.signature else 'non signée'}). "
        "Collez message.txt dans Enedis-Connect."
    )


def _parse_time(value: str | None) -> datetime | None:
    if value is None:
        return None
    from linkytool.mes.readings import ReadingValueError
    from linkytool.mes.schema import to_paris

    text = value.strip()
    typed = parse_french_date(text)
    if isinstance(typed, datetime):
        return to_paris(typed)
    try:
        if len(text) <= 8 and ":" in text:  # HH:MM[:SS] today
            now = datetime.now()
            parsed = datetime.strptime(text, "%H:%M:%S" if text.count(":") == 2 else "%H:%M")
            return to_paris(
                now.replace(
                    hour=parsed.hour, minute=parsed.minute, second=parsed.second, microsecond=0
                )
            )
        return to_paris(datetime.fromisoformat(text))
    except ValueError:
        raise ReadingValueError(
            f"Heure « {value} » invalide.",
            hint="Formats acceptés : 14:41:12 (aujourd'hui), « 20/11/2026 14:41:12 » "
            "ou 2026-11-20T14:41:12.",
        ) from None


class MomentType(click.ParamType[datetime]):
    """A moment given on the command line (:func:`_parse_time`): one that names no real
    time is a bad command line (exit 2), as a bad number is, not a bad input file."""

    name = "moment"

    def convert(self, value: Any, param: click.Parameter | None, ctx: click.Context | None) -> Any:
        if isinstance(value, datetime):
            return value
        from linkytool.mes.readings import ReadingValueError

        try:
            return _parse_time(str(value))
        except ReadingValueError as error:
            self.fail(f"{error.message} {error.hint}", param, ctx)


MOMENT = MomentType()


def _read_file(given: str | None) -> str | None:
    """``--file`` as the shell gives it: a file relative to the current folder (how every
    message names one: :func:`linkytool.fileio.user_path`) is given to the service as
    an absolute path; any other relative name is the service's, relative to the dossier
    (how the dossier writes its files, and earlier messages named them)."""
    if given and not os.path.isabs(given) and os.path.lexists(given):
        return os.path.abspath(given)
    return given


@mes.command("reading")
@click.argument("dossier", type=EXISTING_FILE)
@click.argument("field", type=click.Choice([f.value for f in ReadingField]))
@click.argument("value", metavar="VALEUR")
@click.option(
    "--source",
    type=click.Choice([s.value for s in ReadingSource]),
    default=ReadingSource.MANUAL.value,
    show_default=True,
    help="Origine de la valeur (saisie, photo, TIC).",
)
@click.option("--confidence", type=click.FloatRange(0, 1), help="Confiance OCR (photo).")
@click.option(
    "--file",
    "file_",
    metavar="FICHIER",
    help="Fichier lu (photo ou capture) : chemin depuis le répertoire courant (comme les "
    "messages de linkytool le nomment) ou absolu ; à défaut, relatif au dossier (.toml).",
)
@click.option("--note", default="", help="Remarque conservée avec le relevé.")
@click.option(
    "--at",
    "at_text",
    type=MOMENT,
    help="Moment du relevé (14:33 aujourd'hui, ou « 20/11/2026 14:33 ») ; maintenant par défaut.",
)
@cli_hints
def reading_command(
    *,
    dossier: Path,
    field: str,
    value: str,
    source: str,
    confidence: float | None,
    file_: str | None,
    note: str,
    at_text: datetime | None,
) -> None:
    """Ajoute un relevé (PRM, date, index d'injection) à l'historique du dossier.

    Les relevés précédents sont conservés ; le dernier fait foi. Avec --file, le relevé
    est rattaché au fichier par son empreinte : s'il change, le relevé est périmé.
    """
    result = service.record_reading(
        dossier,
        field,
        value,
        source=source,
        at=at_text,
        confidence=confidence,
        file=_read_file(file_),
        note=note,
    )
    warn(f"Relevé enregistré dans {dossier} : {field} = {result.reading.value}.")


@mes.command("test")
@click.argument("dossier", type=EXISTING_FILE)
@click.option(
    "--coupled-at",
    type=MOMENT,
    help="Heure du couplage de l'installation (14:35 aujourd'hui, ou « 20/11/2026 14:35 »).",
)
@click.option("--injecting", type=float, help="Puissance injectée avant l'essai [W].")
@click.option("--opened-at", type=MOMENT, help="Heure d'ouverture du disjoncteur Enedis.")
@click.option("--decoupled-at", type=MOMENT, help="Heure du découplage constaté.")
@click.option("--delay", type=click.FloatRange(min=0), help="Délai chronométré [s].")
@click.option("--message", help="Message affiché par l'onduleur (ex. « Grid Loss »).")
@click.option("--seen/--not-seen", default=None, help="Découplage constaté ou non.")
@click.option("--photo", help="Photo du message de l'onduleur (relative au dossier).")
@click.option(
    "--tic", "tic_evidence", help="Capture TIC prise pendant l'essai (relative au dossier)."
)
@click.option("--force", is_flag=True, help="Remplace sans demander un essai déjà consigné.")
@click.option(
    "--max-delay",
    type=click.FloatRange(min=0.1),
    default=CheckSettings().max_decoupling_delay_s,
    show_default=True,
    help="Délai maximal de découplage accepté [s] (réglage de linkytool).",
)
@click.pass_context
@cli_hints
def test_command(
    ctx: click.Context,
    *,
    dossier: Path,
    coupled_at: datetime | None,
    injecting: float | None,
    opened_at: datetime | None,
    decoupled_at: datetime | None,
    delay: float | None,
    message: str | None,
    seen: bool | None,
    photo: str | None,
    tic_evidence: str | None,
    force: bool,
    max_delay: float,
) -> None:
    """Consigne l'essai de découplage et dit s'il est réussi (code 1 sinon).

    Après couplage, ouvrez le disjoncteur Enedis et notez l'heure, puis l'heure et le
    message du découplage affiché par l'onduleur. Un essai déjà terminé n'est remplacé
    qu'après confirmation (ou avec --force).
    """
    changes = service.DecouplingTestChanges(
        coupled_at=coupled_at,
        injecting_w=injecting,
        breaker_opened_at=opened_at,
        decoupled_at=decoupled_at,
        delay_s=delay,
        message=message,
        decoupling_seen=seen,
        photo=photo,
        tic_evidence=tic_evidence,
    )
    settings = CheckSettings(max_decoupling_delay_s=max_delay)
    try:
        record = service.record_decoupling_test(
            dossier, changes, overwrite=force, settings=settings
        )
    except TestOverwriteError as asked:
        if not _interactive():
            raise
        warn(asked.question)
        answer = click.prompt(
            "Remplacer l'essai consigné ? [o/N]", default="n", show_default=False, err=True
        )
        if answer.strip().lower() not in ("o", "oui", "y", "yes"):
            warn("Essai consigné inchangé.")
            ctx.exit(int(ExitCode.NOT_SATISFIED))
        record = service.record_decoupling_test(dossier, changes, overwrite=True, settings=settings)
    result = record.result
    delay_text = (
        f"{french_number(result.delay_s, '.1f')} s" if result.delay_s is not None else "inconnu"
    )
    click.echo(
        dumps_json(
            {
                "passed": result.passed,
                "complete": result.complete,
                "delay_s": result.delay_s,
                "threshold_s": result.threshold_s,
                "problems": list(result.problems),
                "missing": list(result.missing),
            }
        )
    )
    if record.replaced:
        warn("L'essai précédemment consigné a été remplacé.")
    if result.passed:
        warn(f"Essai réussi : découplage en {delay_text}.")
        return
    warn("Essai non validé : " + " ; ".join([*result.problems, *result.missing]))
    ctx.exit(int(ExitCode.NOT_SATISFIED))


@mes.command("import-tic")
@click.argument("dossier", type=EXISTING_FILE)
@click.argument("capture", type=EXISTING_FILE)
@cli_hints
def import_tic_command(dossier: Path, capture: Path) -> None:
    """Ajoute au dossier le PRM, la date et l'index d'injection lus dans une capture TIC.

    La capture est un enregistrement linkytool, un fichier .bin brut ou un texte.
    L'index d'injection n'est transmis qu'en mode producteur. Les relevés sont rattachés
    à la capture par son empreinte ; une capture d'un autre PRM que celui du dossier est
    refusée.
    """
    result = service.import_tic(dossier, capture)
    added = ", ".join(SCREEN_TITLES[which] for which in result.recorded)
    warn(f"Relevés TIC ajoutés à {dossier} : {added} (PRM {result.prm or '?'}).")


@mes.command("import-photos")
@click.argument("dossier", type=EXISTING_FILE)
@cli_hints
def import_photos_command(dossier: Path) -> None:
    """Lit par OCR les trois photos du dossier et ajoute les relevés (avec leur confiance).

    Une photo du mauvais écran ou sans valeur lisible est signalée ; les autres
    relevés sont enregistrés quand même. Code 1 si une photo est à reprendre ou si une
    valeur lue doit être confirmée (confiance insuffisante).
    """
    result = service.import_photos(dossier)
    emit_rows(
        [
            {
                "field": SCREEN_TITLES[item.role],
                "value": shown_value(item.role, item.value),
                "confidence": (
                    french_percent(item.confidence, 0) if item.confidence is not None else ""
                ),
                "confident": "À CONFIRMER" if item.to_confirm else "oui",
            }
            for item in result.recorded
        ],
        [
            ("field", "Relevé"),
            ("value", "Valeur"),
            ("confidence", "Confiance"),
            ("confident", "Sûr"),
        ],
        "table",
    )
    notes = [
        f"{user_path(p.file, base=dossier.parent) if p.file else 'photos.' + p.role.value} : "
        f"{p.message}"
        for p in result.problems
    ]
    notes += [
        f"« {SCREEN_TITLES[item.role]} » = {shown_value(item.role, item.value)} à confirmer "
        f"(linkytool mes reading {dossier} {item.role.value} VALEUR)"
        for item in result.recorded
        if item.to_confirm
    ]
    for item in result.recorded:
        for message in item.warnings:
            if "à confirmer" not in message:
                warn(f"Attention : {message}.")
    if notes:
        warn("À reprendre : " + " ; ".join(notes))
        raise click.exceptions.Exit(int(ExitCode.NOT_SATISFIED))


from linkytool.cli import intake as _intake  # noqa: E402, F401  (registers `mes intake`)
