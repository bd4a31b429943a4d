"""`linkytool mes`: the self-commissioning (auto-MES) dossier from the command line.

Thin shell over :mod:`linkytool.mes`: every command loads the dossier, calls one core
function and prints its typed result (data on stdout, diagnostics on stderr). TIC and OCR
are imported only by the commands that need them.
"""

from __future__ import annotations

import os
import shutil
import textwrap
from collections.abc import Sequence
from datetime import datetime
from pathlib import Path
from typing import Any

import click

from linkytool.cli.output import (
    InputFile,
    OutputPath,
    emit_rows,
    format_option,
    warn,
)
from linkytool.errors import ExitCode, describe_os_error
from linkytool.fileio import atomic_write_bytes, atomic_write_text
from linkytool.mes.errors import DossierError, SigningError
from linkytool.mes.model import ReadingField, ReadingSource
from linkytool.mes.rules import STATUS_LABELS, CheckSettings, RuleOutcome, RuleStatus
from linkytool.textfmt import dumps_json

DOSSIER = OutputPath()
EXISTING_FILE = InputFile()


def _settings(max_delay: float, max_index: int) -> CheckSettings:
    return CheckSettings(max_decoupling_delay_s=max_delay, max_new_injection_kwh=max_index)


def settings_options(function: Any) -> Any:
    """The tunable thresholds shared by check, attest and pack."""
    function = click.option(
        "--max-delay",
        type=click.FloatRange(min=0.1),
        default=CheckSettings().max_decoupling_delay_s,
        show_default=True,
        help="Délai maximal de découplage accepté pour l'essai [s].",
    )(function)
    return click.option(
        "--max-index",
        type=click.IntRange(min=0),
        default=CheckSettings().max_new_injection_kwh,
        show_default=True,
        help="Index d'injection maximal plausible pour une installation neuve [kWh].",
    )(function)


def signing_options(function: Any) -> Any:
    """Signature images, PKCS#12 key and GPS options shared by attest and pack."""
    options = [
        click.option(
            "--signature",
            "producer_signature",
            type=EXISTING_FILE,
            help="Image (PNG) de la signature manuscrite du producteur.",
        ),
        click.option(
            "--installer-signature",
            type=EXISTING_FILE,
            help="Image (PNG) de la signature manuscrite de l'installateur.",
        ),
        click.option(
            "--sign-p12",
            type=EXISTING_FILE,
            help="Clé PKCS#12 (.p12) pour signer électroniquement le PDF (PAdES).",
        ),
        click.option(
            "--p12-password",
            envvar="LINKYTOOL_P12_PASSWORD",
            help="Mot de passe de la clé PKCS#12 (ou variable LINKYTOOL_P12_PASSWORD).",
        ),
        click.option(
            "--keep-gps",
            is_flag=True,
            help="Conserve la position GPS des photos (retirée par défaut).",
        ),
    ]
    for option in reversed(options):
        function = option(function)
    return function


@click.group()
def mes() -> None:
    """Dossier d'auto-mise en service : prérequis, attestation, dossier d'envoi.

    Flux habituel : mes new DOSSIER.toml, remplir le fichier (ou l'interface),
    mes check, mes attest, mes pack ; mes verify contrôle une attestation signée.
    """


@mes.command("new")
@click.argument("dossier", type=DOSSIER)
@click.option("--force", is_flag=True, help="Remplace un fichier existant.")
def new_command(dossier: Path, force: bool) -> None:
    """Crée un dossier vierge (TOML commenté en français) à remplir."""
    from linkytool.mes.store import new_dossier_text

    if dossier.exists() and not force:
        raise DossierError(
            f"{dossier} existe déjà : il n'a pas été modifié.",
            hint="Choisissez un autre nom ou ajoutez --force pour le remplacer.",
        )
    atomic_write_text(dossier, new_dossier_text())
    warn(f"Dossier créé : {dossier}. Remplissez-le puis lancez : linkytool mes check {dossier}")


CHECK_COLUMNS = [
    ("id", "Règle"),
    ("status_label", "État"),
    ("detail", "Constat"),
    ("action", "À faire"),
]


def _outcome_row(outcome: RuleOutcome) -> dict[str, Any]:
    return {
        "id": outcome.id,
        "title": outcome.title,
        "status": outcome.status.value,
        "status_label": STATUS_LABELS[outcome.status],
        "detail": outcome.detail,
        "action": outcome.action,
        "message": outcome.message,
        "citation": outcome.citation,
    }


STATUS_MARKS = {
    RuleStatus.SATISFIED: "[ok]",
    RuleStatus.MISSING: "[à compléter]",
    RuleStatus.NOT_SATISFIED: "[NON]",
}


def render_check(outcomes: Sequence[RuleOutcome], *, width: int = 100) -> str:
    """Readable list for a terminal: one line per satisfied rule, details for the others."""
    width = max(60, min(width, 120))
    lines = []
    for outcome in outcomes:
        mark = STATUS_MARKS[outcome.status]
        head = f"{mark:<14}{outcome.title} ({outcome.id})"
        if outcome.satisfied:
            lines.append(f"{head} : {outcome.detail}")
            continue
        lines.append(f"{head} – {STATUS_LABELS[outcome.status]}")
        for label, text in (("constat", outcome.detail), ("à faire", outcome.action)):
            lines += textwrap.wrap(
                text,
                width=width,
                initial_indent=f"{'':14}{label} : ",
                subsequent_indent=" " * 24,
            )
    return "\n".join(lines)


@mes.command("check")
@click.argument("dossier", type=EXISTING_FILE)
@format_option("table", "json", "jsonl", "csv")
@settings_options
@click.pass_context
def check_command(
    ctx: click.Context, dossier: Path, output_format: str, max_delay: float, max_index: int
) -> None:
    """Vérifie chaque prérequis de l'auto-MES (code de sortie 1 s'il en manque un).

    Une ligne par condition du mode opératoire d'Enedis : remplie, information
    manquante ou non remplie, avec le constat et ce qu'il faut faire. En JSON (ou CSV,
    JSON lines), chaque ligne cite aussi la phrase du mode opératoire dont elle découle.
    """
    from linkytool.mes.rules import check_prerequisites
    from linkytool.mes.store import load_dossier

    loaded = load_dossier(dossier)
    outcomes = check_prerequisites(
        loaded, base_dir=dossier.parent, settings=_settings(max_delay, max_index)
    )
    rows = [_outcome_row(outcome) for outcome in outcomes]
    if output_format == "json":
        click.echo(dumps_json(rows))
    elif output_format == "table":
        click.echo(render_check(outcomes, width=shutil.get_terminal_size((100, 24)).columns))
    else:
        emit_rows(rows, CHECK_COLUMNS, output_format)
    failing = [o for o in outcomes if o.status is not RuleStatus.SATISFIED]
    if failing:
        warn(f"{len(failing)} prérequis sur {len(outcomes)} ne sont pas remplis.")
        ctx.exit(int(ExitCode.NOT_SATISFIED))
    warn(f"Les {len(outcomes)} prérequis sont remplis : linkytool mes attest {dossier} -o ...")


def _read_key(path: Path | None) -> bytes | None:
    if path is None:
        return None
    try:
        return path.read_bytes()
    except OSError as exc:
        raise SigningError(f"Impossible de lire la clé {path} : {describe_os_error(exc)}.") from exc


def _password(value: str | None) -> bytes | None:
    return value.encode("utf-8") if value else None


@mes.command("attest")
@click.argument("dossier", type=EXISTING_FILE)
@click.option(
    "-o",
    "--output",
    type=OutputPath(),
    required=True,
    help="Fichier PDF à écrire.",
)
@signing_options
@click.option(
    "--draft",
    is_flag=True,
    help="Produit un brouillon même si des prérequis manquent (« BROUILLON – NON CONFORME »).",
)
@settings_options
def attest_command(
    *,
    dossier: Path,
    output: Path,
    producer_signature: Path | None,
    installer_signature: Path | None,
    sign_p12: Path | None,
    p12_password: str | None,
    keep_gps: bool,
    draft: bool,
    max_delay: float,
    max_index: int,
) -> None:
    """Produit l'attestation d'auto-mise en service (PDF A4), signée si une clé est donnée.

    Refuse tant qu'un prérequis n'est pas rempli, sauf avec --draft. Les empreintes
    SHA-256 imprimées sont celles des photos telles qu'envoyées par mes pack.
    """
    from linkytool.mes.service import attest, refuse_overwriting_dossier_files
    from linkytool.mes.store import load_dossier

    loaded = load_dossier(dossier)
    refuse_overwriting_dossier_files(loaded, dossier, output)
    result = attest(
        loaded,
        base_dir=dossier.parent,
        draft=draft,
        producer_signature=producer_signature,
        installer_signature=installer_signature,
        pkcs12=_read_key(sign_p12),
        pkcs12_password=_password(p12_password),
        keep_gps=keep_gps,
        settings=_settings(max_delay, max_index),
    )
    atomic_write_bytes(output, result.pdf)
    what = "Brouillon écrit" if result.draft else "Attestation écrite"
    signed = ", signée électroniquement" if result.signed else ""
    warn(f"{what} : {output} ({len(result.pdf) // 1024} Kio{signed}).")
    click.echo(str(output))


@mes.command("verify")
@click.argument("pdf", type=EXISTING_FILE)
@click.argument("more_photos", nargs=-1, type=EXISTING_FILE)
@click.option(
    "--photos",
    "photos",
    multiple=True,
    type=EXISTING_FILE,
    help="Photos à comparer aux empreintes de l'attestation (plusieurs possibles).",
)
@format_option("table", "json")
@click.pass_context
def verify_command(
    ctx: click.Context,
    pdf: Path,
    more_photos: Sequence[Path],
    photos: Sequence[Path],
    output_format: str,
) -> None:
    """Vérifie la signature d'une attestation et les empreintes des photos.

    L'intégrité (contenu inchangé depuis la signature) décide du code de sortie ; la
    confiance dans le certificat (auto-signé le plus souvent) est indiquée à part.
    """
    from linkytool.mes.service import verify_attestation

    result = verify_attestation(pdf, [*photos, *more_photos])
    report = result.signature
    rows: list[dict[str, Any]] = [
        {"controle": "signature présente", "resultat": _yes(report.signed), "detail": ""},
        {
            "controle": "intégrité",
            "resultat": _yes(report.intact and report.covers_whole_file),
            "detail": "; ".join(report.problems),
        },
        {
            "controle": "certificat reconnu",
            "resultat": _yes(report.trusted),
            "detail": (report.signer or "")
            + ("" if report.trusted else " (certificat non reconnu : vérifiez le signataire)"),
        },
    ]
    for photo in result.photos:
        rows.append(
            {
                "controle": f"photo {photo.path.name}",
                "resultat": _yes(photo.matches),
                "detail": f"écran {photo.role}" if photo.role else "empreinte absente du PDF",
            }
        )
    if output_format == "json":
        click.echo(
            dumps_json(
                {
                    "ok": result.ok,
                    "signed": report.signed,
                    "intact": report.intact,
                    "covers_whole_file": report.covers_whole_file,
                    "trusted": report.trusted,
                    "signer": report.signer,
                    "signing_time": report.signing_time,
                    "photos": [
                        {"path": p.path, "sha256": p.sha256, "role": p.role, "matches": p.matches}
                        for p in result.photos
                    ],
                    "problems": result.problems,
                    "summary": result.summary,
                }
            )
        )
    else:
        columns = [("controle", "Contrôle"), ("resultat", "Résultat"), ("detail", "Détail")]
        emit_rows(rows, columns, "table")
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
    help="Attestation déjà produite (et signée) à joindre au lieu d'en produire une.",
)
@signing_options
@settings_options
def pack_command(
    *,
    dossier: Path,
    output: Path,
    attestation: Path | None,
    producer_signature: Path | None,
    installer_signature: Path | None,
    sign_p12: Path | None,
    p12_password: str | None,
    keep_gps: bool,
    max_delay: float,
    max_index: int,
) -> None:
    """Prépare l'envoi Enedis-Connect : attestation, 3 photos, message.txt, manifeste.

    Chaque pièce fait 4 Mo au plus (photo réduite seulement si nécessaire), la position
    GPS est retirée des photos, et une photo du mauvais écran est refusée.
    """
    from linkytool.mes.pack import build_pack, default_screen_reader
    from linkytool.mes.schema import PARIS
    from linkytool.mes.service import attest, check_attestation_matches, load_submitted_photos
    from linkytool.mes.store import load_dossier

    loaded = load_dossier(dossier)
    settings = _settings(max_delay, max_index)
    if attestation is not None:
        pdf = attestation.read_bytes()
        photos = load_submitted_photos(loaded, dossier.parent, keep_gps=keep_gps, settings=settings)
        check_attestation_matches(pdf, photos)
    else:
        result = attest(
            loaded,
            base_dir=dossier.parent,
            producer_signature=producer_signature,
            installer_signature=installer_signature,
            pkcs12=_read_key(sign_p12),
            pkcs12_password=_password(p12_password),
            keep_gps=keep_gps,
            settings=settings,
        )
        pdf, photos = result.pdf, result.photos
    packed = build_pack(
        loaded,
        photos,
        pdf,
        output,
        screen_reader=default_screen_reader(),
        generated_at=datetime.now(PARIS).replace(microsecond=0),
        settings=settings,
    )
    for message in packed.warnings:
        warn(message)
    emit_rows(
        [
            {
                "name": item.name,
                "size": f"{item.size_bytes / 1_000_000:.2f} Mo",
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
    kind = "Archive" if packed.zipped else "Dossier"
    warn(f"{kind} d'envoi prêt : {packed.destination}. Collez message.txt dans Enedis-Connect.")


@mes.command("reading")
@click.argument("dossier", type=EXISTING_FILE)
@click.argument("field", type=click.Choice([f.value for f in ReadingField]))
@click.argument("value")
@click.option(
    "--source",
    type=click.Choice([s.value for s in ReadingSource]),
    default=ReadingSource.MANUAL.value,
    show_default=True,
    help="Origine de la valeur (saisie, photo, TIC).",
)
@click.option("--confidence", type=click.FloatRange(0, 1), help="Confiance OCR (photo).")
@click.option("--file", "file_", help="Fichier lu (photo ou capture), relatif au dossier.")
@click.option("--note", default="", help="Remarque conservée avec le relevé.")
@click.option(
    "--at", "at_text", help="Moment du relevé (14:33 aujourd'hui, ou ISO) ; maintenant par défaut."
)
def reading_command(
    *,
    dossier: Path,
    field: str,
    value: str,
    source: str,
    confidence: float | None,
    file_: str | None,
    note: str,
    at_text: str | None,
) -> None:
    """Ajoute un relevé (PRM, date, index d'injection) à l'historique du dossier.

    Les relevés précédents sont conservés ; le dernier fait foi.
    """
    from linkytool.mes.photos import resolve, sha256_file
    from linkytool.mes.readings import record_reading
    from linkytool.mes.store import load_dossier, save_dossier

    loaded = load_dossier(dossier)
    digest = None
    if file_:
        path = resolve(dossier.parent, file_)
        digest = sha256_file(path) if path.is_file() else None
    updated = record_reading(
        loaded,
        field,
        value,
        source,
        at=_parse_time(at_text),
        confidence=confidence,
        file=file_,
        sha256=digest,
        note=note,
    )
    save_dossier(updated, dossier)
    current = updated.readings.current(ReadingField(field))
    warn(f"Relevé enregistré dans {dossier} : {field} = {current.value if current else value}.")


def _parse_time(value: str | None) -> datetime | None:
    if value is None:
        return None
    from linkytool.mes.readings import ReadingValueError
    from linkytool.mes.schema import to_paris

    text = value.strip()
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
            hint="Formats acceptés : 14:41:12 (aujourd'hui) ou 2026-11-20T14:41:12.",
        ) from None


@mes.command("test")
@click.argument("dossier", type=EXISTING_FILE)
@click.option("--coupled-at", help="Heure du couplage de l'installation (14:35 ou ISO).")
@click.option("--injecting", type=float, help="Puissance injectée avant l'essai [W].")
@click.option("--opened-at", help="Heure d'ouverture du disjoncteur Enedis.")
@click.option("--decoupled-at", help="Heure du découplage constaté.")
@click.option("--delay", type=click.FloatRange(min=0), help="Délai chronométré [s].")
@click.option("--message", help="Message affiché par l'onduleur (ex. « Grid Loss »).")
@click.option("--seen/--not-seen", default=None, help="Découplage constaté ou non.")
@click.option("--photo", help="Photo du message de l'onduleur (relative au dossier).")
@click.option("--tic", "tic_evidence", help="Capture TIC prise pendant l'essai.")
@click.option(
    "--max-delay",
    type=click.FloatRange(min=0.1),
    default=CheckSettings().max_decoupling_delay_s,
    show_default=True,
    help="Délai maximal de découplage accepté [s].",
)
@click.pass_context
def test_command(
    ctx: click.Context,
    *,
    dossier: Path,
    coupled_at: str | None,
    injecting: float | None,
    opened_at: str | None,
    decoupled_at: str | None,
    delay: float | None,
    message: str | None,
    seen: bool | None,
    photo: str | None,
    tic_evidence: str | None,
    max_delay: float,
) -> None:
    """Consigne l'essai de découplage et dit s'il est réussi (code 1 sinon).

    Après couplage, ouvrez le disjoncteur Enedis et notez l'heure, puis l'heure et le
    message du découplage affiché par l'onduleur.
    """
    from linkytool.mes.decoupling import evaluate_decoupling_test, record_decoupling_test
    from linkytool.mes.store import load_dossier, save_dossier

    loaded = load_dossier(dossier)
    updated = record_decoupling_test(
        loaded,
        coupled_at=_parse_time(coupled_at),
        injecting_w=injecting,
        breaker_opened_at=_parse_time(opened_at),
        decoupled_at=_parse_time(decoupled_at),
        delay_s=delay,
        message=message,
        decoupling_seen=seen,
        photo=photo,
        tic_evidence=tic_evidence,
    )
    save_dossier(updated, dossier)
    result = evaluate_decoupling_test(updated.decoupling_test, max_delay_s=max_delay)
    delay_text = f"{result.delay_s:.1f} s" if result.delay_s is not None else "inconnu"
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
    if result.passed:
        warn(f"Essai réussi : découplage en {delay_text}.")
        return
    warn("Essai non validé : " + " ; ".join([*result.problems, *result.missing]))
    ctx.exit(int(ExitCode.NOT_SATISFIED))


@mes.command("import-tic")
@click.argument("dossier", type=EXISTING_FILE)
@click.argument("capture", type=EXISTING_FILE)
def import_tic_command(dossier: Path, capture: Path) -> None:
    """Ajoute au dossier le PRM et la date lus dans une capture TIC (fichier).

    La capture est un enregistrement linkytool, un fichier .bin brut ou un texte.
    """
    from linkytool.mes.photos import sha256_file
    from linkytool.mes.readings import readings_from_tic
    from linkytool.mes.store import load_dossier, save_dossier
    from linkytool.tic import read_capture, summarize

    loaded = load_dossier(dossier)
    summary = summarize(read_capture(capture))
    declared = os.path.relpath(capture.resolve(), dossier.parent.resolve())
    updated = readings_from_tic(loaded, summary, capture=declared, sha256=sha256_file(capture))
    if updated is loaded:
        raise DossierError(
            f"La capture {capture} ne contient ni PRM ni date.",
            hint="Le PRM n'est transmis qu'en TIC standard : vérifiez le mode du compteur.",
        )
    save_dossier(updated, dossier)
    warn(f"Relevés TIC ajoutés à {dossier} (PRM {summary.prm or '?'}).")


@mes.command("import-photos")
@click.argument("dossier", type=EXISTING_FILE)
def import_photos_command(dossier: Path) -> None:
    """Lit par OCR les trois photos du dossier et ajoute les relevés (avec leur confiance).

    Une photo du mauvais écran ou sans valeur lisible est signalée ; les autres
    relevés sont enregistrés quand même. Code 1 si une photo est à reprendre ou si une
    valeur lue doit être confirmée (confiance insuffisante).
    """
    from linkytool.errors import LinkytoolError
    from linkytool.mes.pack import default_screen_reader
    from linkytool.mes.photos import resolve, sha256_file
    from linkytool.mes.readings import reading_from_photo
    from linkytool.mes.store import load_dossier, save_dossier

    reader = default_screen_reader()
    if reader is None:
        raise DossierError(
            "La lecture des photos (OCR) n'est pas disponible dans cette installation.",
            hint="Saisissez les valeurs avec : linkytool mes reading DOSSIER CHAMP VALEUR",
        )
    loaded = load_dossier(dossier)
    updated = loaded
    problems: list[str] = []
    rows: list[dict[str, Any]] = []
    for which in ReadingField:
        declared = getattr(loaded.photos, which.value)
        if not declared:
            problems.append(f"photos.{which.value} non renseignée")
            continue
        path = resolve(dossier.parent, declared)
        try:
            photo = reader(path)
            updated = reading_from_photo(
                updated, which, photo, file=declared, sha256=sha256_file(path)
            )
        except LinkytoolError as exc:
            problems.append(f"{declared} : {exc.message}")
            continue
        except OSError as exc:
            problems.append(f"{declared} : {describe_os_error(exc)}")
            continue
        rows.append(
            {
                "field": which.value,
                "value": photo.value,
                "confidence": f"{photo.confidence:.0%}",
                "confident": "oui" if getattr(photo, "confident", True) else "À CONFIRMER",
            }
        )
        if not getattr(photo, "confident", True):
            problems.append(f"{which.value} = {photo.value} à confirmer (mes reading)")
    if updated is not loaded:
        save_dossier(updated, dossier)
    emit_rows(
        rows,
        [
            ("field", "Relevé"),
            ("value", "Valeur"),
            ("confidence", "Confiance"),
            ("confident", "Sûr"),
        ],
        "table",
    )
    if problems:
        warn("À reprendre : " + " ; ".join(problems))
        raise click.exceptions.Exit(int(ExitCode.NOT_SATISFIED))


from linkytool.cli import intake as _intake  # noqa: E402, F401  (registers `mes intake`)
