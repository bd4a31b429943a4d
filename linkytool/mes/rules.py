"""Auto-MES prerequisites as data: one :class:`Rule` per condition of the procedure.

Each rule carries its id, the exact sentence of Enedis's "Mode opératoire d'auto Mise En
Service" (16/04/2020) it comes from, a French statement of the requirement, what to do
when it is not met, and a pure check over a :class:`RuleContext` (the dossier plus facts
gathered beforehand about its photos). :func:`evaluate_rules` is pure;
:func:`check_prerequisites` gathers the photo facts first (the only I/O).
"""

from __future__ import annotations

import os
import re
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from datetime import date, datetime
from decimal import Decimal
from enum import StrEnum
from pathlib import Path

from linkytool.mes.decoupling import (
    DEFAULT_COMMISSIONING_GAP_MIN,
    DEFAULT_MAX_DECOUPLING_DELAY_S,
    VFR2019_OVERFREQUENCY_HZ,
    SettingVerdict,
    accepted_standards,
    assess_setting_name,
    decoupling_standard,
    evaluate_decoupling_test,
    exact_duration,
    with_seconds,
)
from linkytool.mes.model import (
    SCREEN_KINDS,
    AgreementKind,
    ConnectionOption,
    ConsuelColour,
    DecouplingLocation,
    Dossier,
    MeterType,
    Reading,
    ReadingField,
    ReadingSource,
)
from linkytool.mes.photos import (
    MAX_ATTACHMENT_BYTES,
    PathNamer,
    PhotoFacts,
    hash_sources,
    inspect_photos,
)
from linkytool.mes.readings import ReadingValueError, normalise_value, shown_value
from linkytool.mes.schema import to_paris
from linkytool.mes.titles import SCREEN_TITLES
from linkytool.screen_titles import shows_screen
from linkytool.textfmt import (
    french_date,
    french_datetime,
    french_megabytes,
    french_number,
    french_percent,
)

#: Power limit of the procedure [kVA], compared exactly (:func:`kva`).
MAX_POWER_KVA = Decimal(36)


def kva(value: float) -> Decimal:
    """A power as typed in the dossier, exactly: the shortest decimal that reads back as
    ``value`` (TOML gives a float: 0.4 is stored as 0.400000000000000022...). Sums and
    comparisons of powers are made on these, so 87 × 0,4 + 4 × 0,3 is 36 kVA, not
    36,00000000000001 kVA above the limit."""
    return Decimal(repr(float(value)))


def kva_text(power: Decimal) -> str:
    """A power in French with every decimal it has (« 36,00001 », « 36 »): a refusal for a
    power above 36 kVA shows the excess, never « 36 kVA dépasse 36 kVA »."""
    return french_number(float(power), ".15g")


class RuleStatus(StrEnum):
    """Outcome of one prerequisite."""

    SATISFIED = "satisfied"
    MISSING = "missing"  # information still missing in the dossier
    NOT_SATISFIED = "not_satisfied"


#: French labels of the statuses (table output, PDF).
STATUS_LABELS: dict[RuleStatus, str] = {
    RuleStatus.SATISFIED: "rempli",
    RuleStatus.MISSING: "information manquante",
    RuleStatus.NOT_SATISFIED: "non rempli",
}


@dataclass(frozen=True)
class CheckSettings:
    """Tunable thresholds of the checks (defaults documented in docs/mes.md)."""

    #: Breaker opened -> decoupling seen [s] (DIN VDE 0126-1-1 islanding limit, unconfirmed).
    max_decoupling_delay_s: float = DEFAULT_MAX_DECOUPLING_DELAY_S
    #: Largest injection index expected of an installation just commissioned [kWh]: above
    #: it the index rule warns (to be checked), it does not refuse (not a procedure
    #: condition: a reused meter or a re-commissioning shows more).
    max_new_injection_kwh: int = 100
    #: OCR confidence below which a photo reading must be confirmed by hand (0..1).
    min_ocr_confidence: float = 0.8
    #: Largest gap between the time the « Date courante » photo shows and the dossier's
    #: commissioning time [min]: the photographed date becomes the commissioning date
    #: (mode opératoire), and the photo is taken just after closing the breaker. Also how
    #: much earlier than the commissioning the decoupling test's coupling may be noted.
    max_commissioning_gap_min: float = DEFAULT_COMMISSIONING_GAP_MIN
    #: Attachment limit of Enedis-Connect [bytes].
    max_attachment_bytes: int = MAX_ATTACHMENT_BYTES


@dataclass(frozen=True)
class RuleContext:
    """Everything a check may look at.

    ``sources`` maps each file named by a reading (``Reading.file``, as written in the
    dossier) to the SHA-256 of its current content, None when it is missing or
    unreadable: a reading whose source changed is stale and is not counted.
    """

    dossier: Dossier
    photos: Mapping[ReadingField, PhotoFacts]
    settings: CheckSettings = field(default_factory=CheckSettings)
    sources: Mapping[str, str | None] = field(default_factory=dict)
    #: How a message names a file of the dossier (:class:`PathNamer`: from the current
    #: folder, given the dossier's).
    names: PathNamer = field(default_factory=PathNamer)

    def stale_reason(self, which: ReadingField, reading: Reading) -> str | None:
        """Why ``reading`` no longer stands for its source (None when it still does)."""
        return reading_staleness(self.dossier, which, reading, self.sources, names=self.names)

    def fresh_from(self, which: ReadingField, source: ReadingSource) -> Reading | None:
        """The latest reading of ``which`` from ``source`` that is not stale."""
        for reading in reversed(self.dossier.readings.history(which)):
            if reading.source == source and self.stale_reason(which, reading) is None:
                return reading
        return None


#: Names the dossier's files as it writes them (its folder unknown: pure evaluations).
AS_WRITTEN = PathNamer()


def _same_file(first: str, second: str) -> bool:
    return os.path.normpath(first) == os.path.normpath(second)


def reading_staleness(
    dossier: Dossier,
    which: ReadingField,
    reading: Reading,
    sources: Mapping[str, str | None],
    *,
    names: PathNamer = AS_WRITTEN,
) -> str | None:
    """Why ``reading`` is stale, in French, or None (pure).

    A reading taken from a file (photo or TIC capture) is tied to it by its SHA-256: a
    file changed or gone since makes it stale. A value read from a photo (or corrected by
    hand from one) must also come from the photo the dossier now declares for its screen:
    pointing ``[photos]`` at another file makes it stale too, unless that file holds the
    very bytes that were read (the same photo named by another path: an absolute one,
    recorded before ``mes reading --file`` stored paths as the dossier does). A photo
    reading without a hash cannot be tied to anything and is stale.
    """
    from_photo = reading.source is ReadingSource.PHOTO or (
        reading.source is ReadingSource.MANUAL and bool(reading.file)
    )
    if from_photo and not (reading.file and reading.sha256):
        return "relevé sans empreinte de la photo lue : il ne peut pas lui être rattaché"
    if reading.file and reading.sha256:
        current = sources.get(reading.file, reading.sha256)
        if current is None:
            return f"le fichier lu ({names(reading.file)}) est introuvable ou illisible"
        if current != reading.sha256:
            return f"le fichier lu ({names(reading.file)}) a changé depuis sa lecture"
    if from_photo:
        declared = getattr(dossier.photos, which.value)
        same_bytes = bool(declared) and sources.get(declared) == reading.sha256
        if declared and not (_same_file(declared, reading.file) or same_bytes):
            return (
                f"la photo du dossier ({names(declared)}) n'est pas celle qui a été lue "
                f"({names(reading.file)})"
            )
    return None


#: The sources of what the Photos screen shows in a slot: read on its photo (kept or
#: corrected by hand) or typed without one.
PHOTO_SLOT_SOURCES = (ReadingSource.PHOTO, ReadingSource.MANUAL)


def confirmed_values(
    dossier: Dossier, sources: Mapping[str, str | None]
) -> dict[ReadingField, str]:
    """The values the installer vouched for, per field (pure): the latest photo or typed
    reading of each field, when it was confirmed against the screen or typed by hand and
    is not stale (:func:`reading_staleness`). A reopened Photos screen shows them
    confirmed, as the session that recorded them did; a photo replaced since voids its
    confirmation, and a value typed without a photo vouches for none the dossier
    declares since."""
    vouched: dict[ReadingField, str] = {}
    for which in ReadingField:
        declared = bool(getattr(dossier.photos, which.value))
        latest = next(
            (
                reading
                for reading in reversed(dossier.readings.history(which))
                if reading.source in PHOTO_SLOT_SOURCES
            ),
            None,
        )
        if (
            latest is not None
            and latest.value
            and (latest.confirmed or latest.source is ReadingSource.MANUAL)
            and (bool(latest.file) or not declared)
            and reading_staleness(dossier, which, latest, sources) is None
        ):
            vouched[which] = latest.value
    return vouched


def recorded_ocr(dossier: Dossier, role: ReadingField, sha256: str | None) -> Reading | None:
    """The OCR result recorded for the file whose content hashes to ``sha256`` (pure): the
    latest photo reading of ``role`` with that hash, else of another screen's list (a file
    declared for one screen may have been read, and recorded, as another)."""
    if not sha256:
        return None
    for which in (role, *(other for other in ReadingField if other is not role)):
        for reading in reversed(dossier.readings.history(which)):
            if (
                reading.source is ReadingSource.PHOTO
                and reading.screen
                and reading.sha256 == sha256
            ):
                return reading
    return None


def ocr_is_sure(reading: Reading, settings: CheckSettings) -> bool:
    """Whether an OCR reading's value is sure: confirmed by the installer, or read with a
    confidence of at least ``min_ocr_confidence``."""
    return reading.confirmed or (reading.confidence or 0.0) >= settings.min_ocr_confidence


def declared_value(dossier: Dossier, role: ReadingField) -> str | None:
    """What the dossier declares for ``role`` (the message and the attestation): the PRM
    of the case, the commissioning moment (meter time, to the minute), the index retained."""
    if role is ReadingField.PRM:
        return dossier.case.prm or None
    if role is ReadingField.DATE:
        at = dossier.commissioning.at
        return to_paris(at).strftime("%Y-%m-%dT%H:%M") if at is not None else None
    current = dossier.readings.current(role)
    return current.value if current is not None and current.value else None


def _canonical(role: ReadingField, value: str) -> str:
    try:
        return normalise_value(role, value)
    except ReadingValueError:
        return value.strip()


def photo_contradiction(
    dossier: Dossier,
    role: ReadingField,
    shown: str,
    *,
    photo_sha256: str | None,
    photo_name: str,
    settings: CheckSettings,
) -> str | None:
    """French, when the value ``shown`` that OCR read sure on the photo ``photo_name`` (of
    ``role``'s screen) is not the one the dossier declares (:func:`declared_value`); None
    otherwise (pure). The one rule for it: the ``prm``, ``date`` and ``index`` checks
    (hence ``mes check`` and ``mes attest``) and ``mes pack`` apply it.

    The photographed screen is what counts (« Date courante (qui sera retenue comme date
    de MES) », « Index Injection (la mesure des kWh injectés démarrera à cette valeur) »):
    a value typed without the photo does not outweigh it. Only a value typed on this very
    photo (``--file``, a reading tied to its hash) and retained replaces the OCR reading:
    a misread the installer corrected. A date shown without a time is compared by its
    day, and a time within the ``date`` rule's tolerance is the same moment
    (:func:`shows_commissioning`)."""
    declared = declared_value(dossier, role)
    if declared is None:
        return None
    current = dossier.readings.current(role)
    if (
        current is not None
        and photo_sha256
        and current.sha256 == photo_sha256
        and current.source is ReadingSource.MANUAL
    ):
        return None
    if role is ReadingField.DATE:
        assert dossier.commissioning.at is not None  # declared_value gave a moment
        if shows_commissioning(shown, dossier.commissioning.at, settings):
            return None
    elif _canonical(role, shown) == _canonical(role, declared):
        return None
    return (
        f"« {SCREEN_TITLES[role]} » ({photo_name}) affiche {shown_value(role, shown)} "
        f"(lecture OCR sûre), le dossier déclare {shown_value(role, declared)}"
    )


def source_files(dossier: Dossier) -> set[str]:
    """Every file named by a reading of ``dossier`` (as written in the dossier)."""
    return {
        reading.file
        for which in ReadingField
        for reading in dossier.readings.history(which)
        if reading.file
    }


@dataclass(frozen=True)
class Verdict:
    """What a check found: a status and a French detail about this dossier."""

    status: RuleStatus
    detail: str
    action: str | None = None  # overrides the rule's generic action when more precise
    warnings: tuple[str, ...] = ()  # French: worth a look, does not change the status


def ok(detail: str) -> Verdict:
    """A satisfied verdict."""
    return Verdict(RuleStatus.SATISFIED, detail)


def missing(detail: str, action: str | None = None) -> Verdict:
    """Information missing in the dossier."""
    return Verdict(RuleStatus.MISSING, detail, action)


def failed(detail: str, action: str | None = None) -> Verdict:
    """A condition that is not met."""
    return Verdict(RuleStatus.NOT_SATISFIED, detail, action)


@dataclass(frozen=True)
class Rule:
    """One prerequisite: id, the procedure's sentence, requirement, action, check."""

    id: str
    title: str  # short French name
    citation: str  # exact sentence of the procedure
    message: str  # French statement of the requirement
    action: str  # French: what to do when not met
    check: Callable[[RuleContext], Verdict]


@dataclass(frozen=True)
class RuleOutcome:
    """The result of one rule on one dossier (what ``mes check`` prints)."""

    id: str
    title: str
    status: RuleStatus
    citation: str
    message: str
    detail: str
    action: str  # "" when satisfied
    warnings: tuple[str, ...] = ()  # French: worth a look, does not change the status

    @property
    def satisfied(self) -> bool:
        """True when the rule is satisfied."""
        return self.status is RuleStatus.SATISFIED


# -- checks ------------------------------------------------------------------------------


def check_power(ctx: RuleContext) -> Verdict:
    """Connection power ≤ 36 kVA (and the inverters' sum does not exceed it), compared
    exactly on the powers as typed (:func:`kva`)."""
    installation = ctx.dossier.installation
    inverters_kva = sum(
        (kva(inv.power_kva) * inv.count for inv in installation.inverters if inv.power_kva),
        Decimal(0),
    )
    declared = kva(installation.power_kva) if installation.power_kva is not None else None
    if declared is None and not inverters_kva:
        return missing("puissance de raccordement non renseignée (installation.power_kva)")
    power = max(declared or Decimal(0), inverters_kva)
    if power > MAX_POWER_KVA:
        return failed(
            f"{kva_text(power)} kVA dépasse 36 kVA : l'auto-MES ne s'applique pas",
            "Attendez la mise en service par Enedis.",
        )
    if declared is not None and inverters_kva > declared:
        return failed(
            f"les onduleurs totalisent {kva_text(inverters_kva)} kVA, plus que les "
            f"{kva_text(declared)} kVA déclarés",
            "Corrigez installation.power_kva ou la puissance des onduleurs.",
        )
    return ok(f"{kva_text(power)} kVA ≤ 36 kVA")


def check_option(ctx: RuleContext) -> Verdict:
    """Connection requested with the surplus-injection option."""
    option = ctx.dossier.case.connection_option
    if option is None:
        return missing("option de raccordement non renseignée (case.connection_option)")
    if option is ConnectionOption.SURPLUS:
        return ok("option « Injection du surplus »")
    if option is ConnectionOption.TOTAL_SALE:
        return failed(
            "vente en totalité : le branchement est à construire ou modifier, "
            "l'auto-MES est exclue",
            "Attendez l'intervention d'Enedis pour la mise en service.",
        )
    return failed(
        "autoconsommation totale : ce n'est pas le cas de l'injection du surplus visé par "
        "la procédure",
        "Suivez le dispositif d'autoconsommation totale indiqué par Enedis.",
    )


def check_finished(ctx: RuleContext) -> Verdict:
    """Installation finished and connected to the site's panel (installer's declaration)."""
    installation = ctx.dossier.installation
    absent = []
    if not installation.finished:
        absent.append("installation achevée (installation.finished)")
    if not installation.connected_to_panel:
        absent.append("raccordée au tableau électrique (installation.connected_to_panel)")
    if absent:
        return failed("non déclaré : " + ", ".join(absent))
    return ok("déclarée achevée et raccordée au tableau du local")


def check_linky(ctx: RuleContext) -> Verdict:
    """A communicating Linky meter is in place."""
    meter = ctx.dossier.meter.type
    tic = ctx.fresh_from(ReadingField.PRM, ReadingSource.TIC)
    if meter is MeterType.OTHER:
        return failed(
            "compteur non Linky : il doit être remplacé, l'auto-MES est exclue",
            "Demandez le remplacement du compteur à Enedis.",
        )
    if meter is None:
        return missing("type de compteur non renseigné (meter.type)")
    serial = ctx.dossier.meter.serial
    for source, what in ((ReadingSource.TIC, "la capture TIC"), (ReadingSource.PHOTO, "la photo")):
        reading = ctx.fresh_from(ReadingField.PRM, source)
        if reading is not None and reading.meter_id and serial and reading.meter_id != serial:
            return failed(
                f"{what} vient du compteur {reading.meter_id}, pas de celui du dossier "
                f"({serial}, meter.serial)",
                "Vérifiez le numéro gravé au-dessus de l'écran et refaites le relevé sur ce "
                "compteur.",
            )
    evidence = ""
    if tic is not None:
        evidence = (
            f" ; PRM lu par la TIC (compteur {tic.meter_id})"
            if tic.meter_id
            else (" ; PRM lu par la TIC")
        )
    return ok(f"compteur Linky{evidence}")


def standard_findings(dossier: Dossier) -> tuple[list[str], list[str]]:
    """Problems and warnings (French) about the decoupling standard typed in the dossier
    (:data:`linkytool.mes.decoupling.DECOUPLING_STANDARDS`): one the auto-MES does not
    accept, or one accepted only for connection requests from a date, checked against
    ``documents.connection_request_date`` when known and left to the installer (a
    warning) when not."""
    decoupling = dossier.installation.decoupling
    if not decoupling.standard:
        return [], []
    typed = f"{decoupling.standard} {decoupling.version}".strip()
    row = decoupling_standard(decoupling.standard, decoupling.version)
    if row is None:
        older = assess_setting_name(typed)
        why = f" – {older.meaning}" if older.verdict is SettingVerdict.WARNED else ""
        return [
            f"norme « {typed} » non reconnue{why} ; DIN VDE 0126-1-1:2013-08 version VFR 2019 "
            f"attendue, formes acceptées : {accepted_standards()}"
        ], []
    if row.from_request is None:
        return [], []
    since = french_date(row.from_request)
    requested = dossier.documents.connection_request_date
    if requested is None:
        return [], [
            f"norme « {typed} » : admise pour les demandes de raccordement à partir du "
            f"{since} seulement (source secondaire, à vérifier par l'installateur) ; "
            "renseignez documents.connection_request_date pour que linkytool le vérifie"
        ]
    if requested < row.from_request:
        return [
            f"norme « {typed} » : admise pour les demandes de raccordement à partir du "
            f"{since}, la demande est du {french_date(requested)} : DIN VDE 0126-1-1:2013-08 "
            "version VFR 2019 attendue"
        ], []
    return [], []


#: French actions of the ``decoupling`` rule, by what failed.
SETTING_ACTION = (
    "Choisissez le réglage VFR 2019 dans l'onduleur (ou le relais) et reportez le seuil de "
    "51,5 Hz dans le dossier."
)
STANDARD_UNKNOWN_ACTION = (
    "Vérifiez la norme du réglage de l'onduleur (ou du relais) et écrivez-la dans "
    "installation.decoupling.standard et installation.decoupling.version sous l'une des "
    "formes acceptées."
)
STANDARD_TOO_RECENT_ACTION = (
    "Corrigez la norme (installation.decoupling.standard et installation.decoupling.version) "
    "ou, si elle est fausse, la date de la demande de raccordement "
    "(documents.connection_request_date)."
)


def check_decoupling(ctx: RuleContext) -> Verdict:
    """Decoupling protection to DIN VDE 0126-1-1:2013-08 VFR 2019 (51.5 Hz)."""
    decoupling = ctx.dossier.installation.decoupling
    holes = []
    if decoupling.location is None:
        holes.append("emplacement (installation.decoupling.location)")
    if not decoupling.standard:
        holes.append("norme (installation.decoupling.standard)")
    if not decoupling.setting_name:
        holes.append("nom du réglage (installation.decoupling.setting_name)")
    if decoupling.overfrequency_hz is None:
        holes.append("seuil de surfréquence (installation.decoupling.overfrequency_hz)")
    if decoupling.location is DecouplingLocation.EXTERNAL_RELAY and not decoupling.relay_model:
        holes.append("modèle du relais externe (installation.decoupling.relay_model)")
    problems, warnings = standard_findings(ctx.dossier)
    actions = []
    if problems:
        known = decoupling_standard(decoupling.standard, decoupling.version) is not None
        actions.append(STANDARD_TOO_RECENT_ACTION if known else STANDARD_UNKNOWN_ACTION)
    setting_problems = len(problems)
    if (
        decoupling.overfrequency_hz is not None
        and abs(decoupling.overfrequency_hz - VFR2019_OVERFREQUENCY_HZ) > 0.05
    ):
        problems.append(
            f"seuil de surfréquence {french_number(decoupling.overfrequency_hz, '.15g')} Hz "
            "au lieu de 51,5 Hz"
        )
    note = ""
    if decoupling.setting_name:
        assessment = assess_setting_name(decoupling.setting_name)
        if assessment.verdict is SettingVerdict.WARNED:
            problems.append(f"réglage « {decoupling.setting_name} » : {assessment.meaning}")
        elif assessment.verdict is SettingVerdict.UNKNOWN:
            note = f" ; réglage « {decoupling.setting_name} » : {assessment.meaning}"
    if len(problems) > setting_problems:
        actions.append(SETTING_ACTION)
    if problems:
        return failed(" ; ".join(problems), " ".join(actions))
    if holes:
        return missing("à renseigner : " + ", ".join(holes))
    where = (
        "intégré à l'onduleur"
        if decoupling.location is DecouplingLocation.INVERTER
        else ("relais externe")
    )
    return Verdict(
        RuleStatus.SATISFIED,
        f"{where}, réglage « {decoupling.setting_name} », 51,5 Hz{note}",
        None,
        tuple(warnings),
    )


def check_request(ctx: RuleContext) -> Verdict:
    """MES request submitted with CONSUEL certificate, ARPE when needed, CAE accepted."""
    documents = ctx.dossier.documents
    storage = ctx.dossier.installation.storage
    holes = []
    problems = []
    if not documents.mes_request_submitted:
        problems.append("demande de MES non soumise dans Enedis-Connect")
    if not documents.consuel_number:
        holes.append("numéro de l'attestation CONSUEL (documents.consuel_number)")
    if documents.consuel_visa_date is None:
        holes.append("date du visa CONSUEL (documents.consuel_visa_date)")
    if documents.consuel_colour is None:
        holes.append("couleur de l'attestation CONSUEL (documents.consuel_colour)")
    elif storage and documents.consuel_colour is ConsuelColour.BLUE:
        problems.append("installation avec stockage : l'attestation CONSUEL doit être violette")
    elif not storage and documents.consuel_colour is ConsuelColour.PURPLE:
        problems.append(
            "attestation CONSUEL violette (avec stockage) mais installation.storage = false"
        )
    if not documents.purchase_obligation and not documents.arpe:
        holes.append("référence de l'ARPE, indispensable hors OA (documents.arpe)")
    if not documents.cae_accepted:
        problems.append("contrat CAE non accepté")
    commissioned = ctx.dossier.commissioning.at
    if (
        documents.consuel_visa_date is not None
        and commissioned is not None
        and documents.consuel_visa_date > to_paris(commissioned).date()
    ):
        problems.append(
            f"visa CONSUEL du {french_date(documents.consuel_visa_date, missing='?')} "
            f"postérieur à la mise en service du "
            f"{french_date(to_paris(commissioned), missing='?')}"
        )
    if problems:
        return failed(
            " ; ".join(problems),
            "Complétez la demande de MES dans Enedis-Connect (attestation CONSUEL visée, ARPE "
            "hors OA, acceptation du CAE) puis mettez le dossier à jour.",
        )
    if holes:
        return missing("à renseigner : " + ", ".join(holes))
    arpe = "sous OA, ARPE non requis" if documents.purchase_obligation else f"ARPE {documents.arpe}"
    return ok(
        f"CONSUEL n° {documents.consuel_number} visé le "
        f"{french_date(documents.consuel_visa_date, missing='?')}, {arpe}, CAE accepté"
    )


def check_agreement(ctx: RuleContext) -> Verdict:
    """Enedis's agreement received, or an MES appointment proposed (even if cancelled)."""
    agreement = ctx.dossier.agreement
    if agreement.kind is None or agreement.date is None:
        return missing(
            "accord d'Enedis ou rendez-vous de MES non renseigné (agreement.kind, agreement.date)",
            "Attendez l'accord d'Enedis (ou la proposition de rendez-vous) avant la MES.",
        )
    commissioned = ctx.dossier.commissioning.at
    if (
        agreement.kind is AgreementKind.AGREEMENT
        and commissioned is not None
        and agreement.date > commissioned.date()
    ):
        return failed(
            f"accord du {french_date(agreement.date, missing='?')} postérieur à la mise en "
            f"service du {french_date(commissioned.date(), missing='?')}",
            "La MES ne peut être faite qu'après l'accord d'Enedis : vérifiez les dates.",
        )
    if agreement.kind is AgreementKind.AGREEMENT:
        return ok(f"accord d'Enedis reçu le {french_date(agreement.date, missing='?')}")
    cancelled = " (annulé)" if agreement.appointment_cancelled else ""
    return ok(
        f"rendez-vous de MES proposé pour le {french_date(agreement.date, missing='?')}{cancelled}"
    )


def _unsure(ctx: RuleContext, reading: Reading) -> bool:
    """A photo reading too uncertain to count until the installer confirms it."""
    return (
        reading.source is ReadingSource.PHOTO
        and reading.confidence is not None
        and reading.confidence < ctx.settings.min_ocr_confidence
        and not reading.confirmed
    )


def _current(
    ctx: RuleContext,
    which: ReadingField,
    sources: tuple[ReadingSource, ...] = tuple(ReadingSource),
) -> tuple[Reading | None, Verdict | None]:
    """The value that counts for ``which`` (the latest reading from one of ``sources``)
    or a verdict explaining why there is none."""
    reading = next(
        (r for r in reversed(ctx.dossier.readings.history(which)) if r.source in sources), None
    )
    title = SCREEN_TITLES[which]
    if reading is None or not reading.value:
        return None, missing(
            f"aucun relevé « {title} » (readings.{which.value})",
            "Lisez la valeur par la TIC, sur la photo (linkytool ocr) ou saisissez-la.",
        )
    stale = ctx.stale_reason(which, reading)
    shown = shown_value(which, reading.value)
    if stale is not None:
        return None, missing(
            f"relevé « {title} » ({shown}) périmé, non compté : {stale}",
            _reread_action(ctx, which, reading),
        )
    if _unsure(ctx, reading):
        assert reading.confidence is not None
        return None, missing(
            f"« {title} » lu sur la photo avec une confiance de "
            f"{french_percent(reading.confidence, 0)} ({shown})",
            "Confirmez ou corrigez la valeur en la saisissant (source manual).",
        )
    return reading, None


#: French: what to do when the photo shows another value than the dossier declares, per
#: screen (:func:`photo_conflict`).
PHOTO_CONFLICT_ACTIONS: dict[ReadingField, str] = {
    ReadingField.PRM: "Vérifiez le PRM de l'affaire (case.prm) et que la photo vient de ce "
    "compteur",
    ReadingField.DATE: "La date photographiée sera la date de MES : corrigez commissioning.at "
    "(l'heure de fermeture du disjoncteur) ou reprenez la photo au moment de la mise en service",
    ReadingField.INJECTION_INDEX: "La mesure de l'injection démarrera à l'index photographié : "
    "retenez-le (linkytool mes reading DOSSIER injection_index VALEUR --file PHOTO) ou reprenez "
    "la photo",
}


def photo_conflict(ctx: RuleContext, which: ReadingField, retained: Reading) -> Verdict | None:
    """A failed verdict when the sure OCR reading recorded for the photo the dossier
    declares for ``which`` shows another value than the dossier declares
    (:func:`photo_contradiction`, the pack's rule), unless ``retained`` is that very
    reading (the rule's own comparison then speaks); None otherwise."""
    facts = ctx.photos.get(which)
    if facts is None or not facts.declared or not facts.sha256:
        return None
    photo = recorded_ocr(ctx.dossier, which, facts.sha256)
    if (
        photo is None
        or photo is retained
        or photo.screen != SCREEN_KINDS[which]
        or not photo.value
        or not ocr_is_sure(photo, ctx.settings)
    ):
        return None
    text = photo_contradiction(
        ctx.dossier,
        which,
        photo.value,
        photo_sha256=facts.sha256,
        photo_name=ctx.names(facts.declared),
        settings=ctx.settings,
    )
    if text is None:
        return None
    typed = retained.source is ReadingSource.MANUAL
    return failed(
        f"{text} : une valeur saisie sans la photo ne remplace pas ce qu'elle montre"
        if typed
        else text,
        f"{PHOTO_CONFLICT_ACTIONS[which]} ; si la lecture OCR est fausse, saisissez la valeur "
        f"affichée sur cette photo (linkytool mes reading DOSSIER {which.value} VALEUR --file "
        f"{ctx.names(facts.declared)}).",
    )


def unread_photo(ctx: RuleContext, which: ReadingField, retained: Reading) -> Verdict | None:
    """A missing verdict when ``retained`` was not read on the photo the dossier declares
    for ``which`` (typed without it, or read by TIC) and no OCR reading of that photo is
    recorded; None otherwise.

    ``mes pack`` reads such a photo and refuses it when it shows another value
    (:func:`photo_contradiction`): ``mes check`` cannot tell without reading it, so it
    refuses too, saying how to settle it. One rule, evaluated by check, attest and pack
    (:func:`evaluate_rules`): the three give the same verdict on the same dossier."""
    facts = ctx.photos.get(which)
    if (
        retained.source is ReadingSource.PHOTO  # a photo's own reading (stale if another)
        or facts is None
        or not facts.declared
        or not facts.sha256
        or retained.sha256 == facts.sha256
        or recorded_ocr(ctx.dossier, which, facts.sha256) is not None
    ):
        return None
    how = "lu par la TIC" if retained.source is ReadingSource.TIC else "saisi sans sa photo"
    return missing(
        f"« {SCREEN_TITLES[which]} » {shown_value(which, retained.value)} {how} ; la photo "
        f"{ctx.names(facts.declared)} n'a jamais été lue : rien ne montre qu'elle affiche "
        "cette valeur (l'envoi la refuserait si elle en montrait une autre)",
        "Lisez la photo (linkytool mes import-photos DOSSIER), ou saisissez la valeur "
        "qu'elle affiche en la nommant (linkytool mes reading DOSSIER "
        f"{which.value} VALEUR --file {ctx.names(facts.declared)}).",
    )


def _reread_action(ctx: RuleContext, which: ReadingField, stale: Reading) -> str:
    """French: how to replace a stale reading. A value typed for a photo names it
    (``--file``), so that it counts against what that photo shows (:func:`photo_conflict`,
    ``mes pack``)."""
    if stale.source is ReadingSource.TIC:
        return (
            "Relisez la capture TIC actuelle (linkytool mes import-tic DOSSIER CAPTURE), ou "
            "saisissez la valeur affichée par le compteur."
        )
    declared = getattr(ctx.dossier.photos, which.value)
    photo = ctx.names(declared) if declared else "PHOTO"
    return (
        "Relisez la photo actuelle (linkytool mes import-photos DOSSIER), ou saisissez la "
        f"valeur qu'elle affiche en la nommant (linkytool mes reading DOSSIER {which.value} "
        f"VALEUR --file {photo})."
    )


def check_prm_consistent(ctx: RuleContext) -> Verdict:
    """PRM of the dossier = PRM photographed = PRM read by TIC."""
    dossier_prm = ctx.dossier.case.prm
    if not dossier_prm:
        return missing("PRM du dossier non renseigné (case.prm)")
    reading, problem = _current(ctx, ReadingField.PRM)
    if problem is not None:
        return problem
    assert reading is not None
    values = {"dossier": dossier_prm}
    typed = ctx.fresh_from(ReadingField.PRM, ReadingSource.MANUAL)
    for source in ReadingSource:
        latest = ctx.fresh_from(ReadingField.PRM, source)
        if latest is not None and typed is not None and _corrected_by(latest, typed):
            continue  # a misread of this photo, corrected by hand since (the pack's rule)
        if latest is not None and latest.value:
            values[_SOURCE_LABELS[source]] = latest.value
    if len(set(values.values())) > 1:
        listed = ", ".join(f"{where} {value}" for where, value in values.items())
        return failed(
            f"PRM différents : {listed}",
            "Vérifiez que la photo et la capture viennent bien de ce compteur, et le PRM de "
            "l'affaire Enedis-Connect.",
        )
    unread = unread_photo(ctx, ReadingField.PRM, reading)
    if unread is not None:
        return unread
    ignored = tuple(
        f"relevé {_SOURCE_LABELS[source]} du PRM ({latest.value}) non compté : {reason}"
        for source in ReadingSource
        if (latest := ctx.dossier.readings.latest_from(ReadingField.PRM, source)) is not None
        and (reason := ctx.stale_reason(ReadingField.PRM, latest)) is not None
    )
    return Verdict(
        RuleStatus.SATISFIED,
        f"PRM {dossier_prm} identique ({', '.join(values)})",
        None,
        ignored,
    )


def _reading_date(value: str) -> date | None:
    match = re.match(r"^(\d{4}-\d{2}-\d{2})", value)
    if match is None:
        return None
    try:
        return date.fromisoformat(match.group(1))
    except ValueError:
        return None


def _reading_moment(value: str) -> datetime | None:
    """The date and time of a « Date courante » reading that shows a time (naive, the
    meter's local time), else None."""
    try:
        moment = datetime.fromisoformat(value)
    except ValueError:
        return None
    return moment if "T" in value else None


def _gap_min(moment: datetime, local: datetime) -> float:
    """Minutes between a time the meter shows (naive, its local time) and ``local``."""
    return abs(moment - local.replace(tzinfo=None)).total_seconds() / 60


def shows_commissioning(value: str, commissioned: datetime, settings: CheckSettings) -> bool:
    """Whether a « Date courante » reading ``value`` shows the commissioning moment: its
    day, and when the screen shows a time, within ``max_commissioning_gap_min`` (the
    ``date`` rule's test, used by the pack on what the photo sent shows)."""
    local = to_paris(commissioned)
    if _reading_date(value) != local.date():
        return False
    moment = _reading_moment(value)
    return moment is None or _gap_min(moment, local) <= settings.max_commissioning_gap_min


def check_date_consistent(ctx: RuleContext) -> Verdict:
    """Photographed current date (and time, when the screen shows it) = commissioning."""
    commissioned = ctx.dossier.commissioning.at
    if commissioned is None:
        return missing("date et heure de mise en service non renseignées (commissioning.at)")
    # The photographed screen counts (it becomes the commissioning date): a TIC date read
    # on another day is no evidence against it. Without a photo reading, the TIC's.
    reading, problem = _current(ctx, ReadingField.DATE, PHOTO_SLOT_SOURCES)
    if reading is None and ctx.dossier.readings.latest_from(ReadingField.DATE, ReadingSource.TIC):
        reading, problem = _current(ctx, ReadingField.DATE)
    if problem is not None:
        return problem
    assert reading is not None
    conflict = photo_conflict(ctx, ReadingField.DATE, reading) or unread_photo(
        ctx, ReadingField.DATE, reading
    )
    if conflict is not None:
        return conflict
    shown = _reading_date(reading.value)
    if shown is None:
        return failed(
            f"date relevée illisible : « {reading.value} »",
            "Saisissez la date affichée au format JJ/MM/AAAA HH:MM.",
        )
    local = to_paris(commissioned)
    if shown != local.date():
        return failed(
            f"le compteur affiche le {french_date(shown, missing='?')}, la mise en service est "
            f"datée du {french_date(local.date(), missing='?')}",
            "La date photographiée sera la date de MES : corrigez commissioning.at ou reprenez "
            "la photo le jour de la mise en service.",
        )
    warnings = _tic_day_warnings(ctx, reading, local.date())
    moment = _reading_moment(reading.value)
    if moment is not None:
        gap = _gap_min(moment, local)
        if gap > ctx.settings.max_commissioning_gap_min:
            return failed(
                f"le compteur affiche {french_datetime(moment)}, la mise en service est datée "
                f"de {french_datetime(local, seconds=with_seconds(local))} (écart de "
                f"{exact_duration(gap * 60)})",
                "La date et l'heure photographiées seront celles de la MES : corrigez "
                "commissioning.at (l'heure de fermeture du disjoncteur) ou reprenez la photo.",
            )
        detail = (
            f"date courante {french_datetime(moment)} = mise en service du {french_datetime(local)}"
        )
    else:
        detail = f"date courante {french_date(shown, missing='?')} = date de mise en service"
    return Verdict(RuleStatus.SATISFIED, detail, None, warnings)


def _tic_day_warnings(ctx: RuleContext, retained: Reading, day: date) -> tuple[str, ...]:
    """French: a warning when the TIC capture that counts shows another day than the
    commissioning ``day`` while ``retained`` (the photographed date) is what the rule
    checked. Not a refusal: a capture from another visit is legitimate (its PRM still
    identifies the meter), but its readings then say nothing about the day of the MES,
    and a mixed-up capture or a meter clock off by days is worth a look."""
    if retained.source is ReadingSource.TIC:
        return ()
    tic = ctx.fresh_from(ReadingField.DATE, ReadingSource.TIC)
    shown = _reading_date(tic.value) if tic is not None else None
    if shown is None or shown == day:
        return ()
    return (
        f"la capture TIC montre le {french_date(shown, missing='?')}, pas le jour de la mise "
        f"en service ({french_date(day, missing='?')}) : normal si elle vient d'une autre "
        "visite ; sinon vérifiez la capture et l'horloge du compteur",
    )


def check_index_plausible(ctx: RuleContext) -> Verdict:
    """Injection index present, integer, never decreasing; a warning when larger than a
    new installation's (``max_new_injection_kwh``)."""
    reading, problem = _current(ctx, ReadingField.INJECTION_INDEX)
    if problem is not None:
        return problem
    assert reading is not None
    if not reading.value.isdigit():
        return failed(
            f"index d'injection « {reading.value} » : nombre entier de kWh attendu",
            "Saisissez l'index affiché, en kWh, sans décimales.",
        )
    value = int(reading.value)
    # Stale readings (their file changed) and unconfirmed uncertain ones are not counted;
    # the value retained must not be below an earlier counted one (a misread corrected
    # since is history, not a decrease: nor is the OCR reading of the very photo a value
    # typed with --file corrects, same file and content).
    earlier = [
        item
        for item in ctx.dossier.readings.history(ReadingField.INJECTION_INDEX)
        if item is not reading
        and not _corrected_by(item, reading)
        and item.at is not None
        and reading.at is not None
        and item.at <= reading.at
        and item.value.isdigit()
        and int(item.value) > value
        and ctx.stale_reason(ReadingField.INJECTION_INDEX, item) is None
        and not _unsure(ctx, item)
    ]
    if earlier:
        before = max(earlier, key=lambda item: int(item.value))
        assert before.at is not None and reading.at is not None
        return failed(
            f"l'index d'injection diminue : {before.value} kWh le "
            f"{french_datetime(before.at)}, {value} kWh (retenu) le "
            f"{french_datetime(reading.at)}",
            "Un index ne diminue jamais : vérifiez l'écran « Index Injection » et saisissez "
            "la valeur affichée en nommant sa photo (linkytool mes reading DOSSIER "
            "injection_index VALEUR --file PHOTO).",
        )
    conflict = photo_conflict(ctx, ReadingField.INJECTION_INDEX, reading) or unread_photo(
        ctx, ReadingField.INJECTION_INDEX, reading
    )
    if conflict is not None:
        return conflict
    detail = (
        f"index d'injection {value} kWh ({_SOURCE_LABELS[reading.source or ReadingSource.MANUAL]})"
    )
    limit = ctx.settings.max_new_injection_kwh
    warnings: tuple[str, ...] = ()
    if value > limit:
        # Not a condition of the procedure: a reused meter or a re-commissioning shows
        # more. Worth a look (a consumption index photographed instead?), not a refusal.
        warnings = (high_index_warning(value, limit),)
    return Verdict(RuleStatus.SATISFIED, detail, None, warnings)


def _corrected_by(item: Reading, correction: Reading) -> bool:
    """Whether ``correction`` is a value typed by hand on the very photo ``item`` was read
    from (same SHA-256): it replaces that reading, it does not follow it."""
    return (
        correction.source is ReadingSource.MANUAL
        and bool(correction.file and correction.sha256)
        and correction.sha256 == item.sha256
    )


def high_index_warning(value: int, limit: int) -> str:
    """French: an injection index above what a new installation shows, to be checked."""
    return (
        f"index d'injection de {value} kWh, plus de {limit} kWh pour une installation neuve : "
        "à vérifier (écran « Index Injection » et non un index de consommation ; un compteur "
        "réutilisé ou une remise en service peut afficher davantage)"
    )


def check_test(ctx: RuleContext) -> Verdict:
    """Decoupling test done and passed."""
    result = evaluate_decoupling_test(
        ctx.dossier.decoupling_test,
        max_delay_s=ctx.settings.max_decoupling_delay_s,
        commissioned_at=ctx.dossier.commissioning.at,
        clock_tolerance_min=ctx.settings.max_commissioning_gap_min,
    )
    if result.problems:
        return failed(
            " ; ".join(result.problems),
            "Refaites l'essai : ouvrez le disjoncteur Enedis installation couplée et vérifiez "
            "que l'onduleur affiche son message de découplage.",
        )
    if not result.complete:
        return missing("essai à consigner : " + ", ".join(result.missing))
    test = ctx.dossier.decoupling_test
    delay = f" en {french_number(result.delay_s, '.1f')} s" if result.delay_s is not None else ""
    return ok(f"découplage constaté{delay} (« {test.message} »)")


def check_photos(ctx: RuleContext) -> Verdict:
    """Three readable photos, each ≤ 4 MB or reducible by the pack."""
    holes = []
    problems = []
    notes = []
    for role, facts in ctx.photos.items():
        title = SCREEN_TITLES[role]
        if not facts.declared:
            holes.append(f"« {title} » (photos.{role.value})")
        elif not facts.usable:
            problems.append(f"« {title} » : {facts.error}")
        elif (shown := _recorded_screen(ctx, role, facts)) not in (None, SCREEN_KINDS[role]):
            problems.append(f"« {title} » ({ctx.names(facts.declared)}) {shows_screen(shown)}")
        elif (facts.size_bytes or 0) > ctx.settings.max_attachment_bytes:
            notes.append(f"« {title} » ({french_megabytes(facts.size_bytes or 0)}) sera réduite")
    if problems:
        return failed(
            " ; ".join(problems),
            "Reprenez la photo de l'écran en englobant les références gravées au-dessus.",
        )
    if holes:
        return missing("photos à fournir : " + ", ".join(holes))
    detail = "3 photos lisibles"
    if notes:
        detail += " ; " + ", ".join(notes) + " à l'envoi (4 Mo maximum)"
    warnings = missing_references(ctx)
    return Verdict(RuleStatus.SATISFIED, detail, None, warnings)


#: French warning when OCR found no engraved references above the PRM screen.
NO_REFERENCES = (
    "la photo « Numéro de PRM » ne montre pas les références gravées au-dessus de l'écran "
    "(la procédure demande de « bien englober » ces références) : reprenez-la si possible"
)


def missing_references(ctx: RuleContext) -> tuple[str, ...]:
    """A warning when the OCR reading of this very PRM photo found no engraved references."""
    facts = ctx.photos.get(ReadingField.PRM)
    if facts is None or facts.sha256 is None:
        return ()
    for reading in reversed(ctx.dossier.readings.history(ReadingField.PRM)):
        if reading.source is ReadingSource.PHOTO and reading.sha256 == facts.sha256:
            return () if reading.references.strip() else (NO_REFERENCES,)
    return ()


def _recorded_screen(ctx: RuleContext, role: ReadingField, facts: PhotoFacts) -> str | None:
    """Screen that OCR recognised on this very file (same SHA-256), if it was recorded,
    whichever screen's readings it was recorded with (:func:`recorded_ocr`)."""
    reading = recorded_ocr(ctx.dossier, role, facts.sha256)
    return reading.screen if reading is not None else None


_SOURCE_LABELS: dict[ReadingSource, str] = {
    ReadingSource.TIC: "TIC",
    ReadingSource.PHOTO: "photo",
    ReadingSource.MANUAL: "saisie",
}


# -- the table -------------------------------------------------------------------------

RULES: tuple[Rule, ...] = (
    Rule(
        "power",
        "Puissance ≤ 36 kVA",
        "Le raccordement de l'installation de production ≤ 36 kVA a été demandé avec l’option "
        '"Injection du surplus"',
        "La puissance de raccordement de l'installation ne dépasse pas 36 kVA.",
        "Renseignez la puissance de raccordement (somme des onduleurs) en kVA.",
        check_power,
    ),
    Rule(
        "option",
        "Option « Injection du surplus »",
        'il ne concerne donc pas les cas de vente en option "Totalité" (branchement à '
        "construire ou modifier)",
        "Le raccordement a été demandé avec l'option « Injection du surplus » ; la vente en "
        "totalité est exclue.",
        "Renseignez l'option de raccordement choisie dans la demande.",
        check_option,
    ),
    Rule(
        "finished",
        "Installation achevée et raccordée",
        "L'installation est achevée et raccordée au tableau électrique du local",
        "L'installateur déclare l'installation achevée et raccordée au tableau électrique du "
        "local.",
        "Terminez l'installation puis cochez installation.finished et "
        "installation.connected_to_panel.",
        check_finished,
    ),
    Rule(
        "linky",
        "Compteur Linky",
        "Le compteur en place est de type communicant (compteur Linky, qui peut d'office "
        "mesurer les flux d'injection)",
        "Le compteur en place est un Linky ; un compteur non Linky doit d'abord être remplacé.",
        'Renseignez meter.type ("linky").',
        check_linky,
    ),
    Rule(
        "decoupling",
        "Découplage VFR 2019 (51,5 Hz)",
        "Le dispositif de découplage, conforme à la prénorme DIN VDE 0126-1-1:2013-08 version "
        "VFR 2019 (découplage à 51,5 Hz), est intégré à l’onduleur ou à un relai externe",
        "La protection de découplage est conforme à DIN VDE 0126-1-1:2013-08 VFR 2019 "
        "(51,5 Hz), dans l'onduleur ou un relais externe.",
        "Relevez dans l'onduleur le nom du réglage et le seuil de surfréquence.",
        check_decoupling,
    ),
    Rule(
        "request",
        "Demande de MES complète",
        "La demande de MES a été soumise dans Enedis-Connect : fourniture de l'attestation de "
        "conformité visée par CONSUEL, éventuellement d'un ARPE, et acceptation du contrat CAE.",
        "La demande de MES est soumise dans Enedis-Connect avec l'attestation CONSUEL visée, "
        "un ARPE hors OA PV, et le contrat CAE accepté.",
        "Renseignez les pièces de la demande (section [documents]).",
        check_request,
    ),
    Rule(
        "agreement",
        "Accord d'Enedis",
        "dès réception de l'accord d'Enedis pour cette auto-MES ou si un rendez-vous de MES, "
        "qui formalise cet accord, a été proposé par Enedis",
        "Enedis a donné son accord pour l'auto-MES, ou a proposé un rendez-vous de MES (même "
        "annulé).",
        "Renseignez la date de l'accord ou du rendez-vous proposé (section [agreement]).",
        check_agreement,
    ),
    Rule(
        "prm",
        "PRM concordants",
        "Photo Numéro de PRM (pour éviter tout risque de confusion)",
        "Le PRM du dossier, celui photographié et celui lu par la TIC sont identiques.",
        "Relevez le PRM sur l'écran « NUMERO PRM » ou par la TIC.",
        check_prm_consistent,
    ),
    Rule(
        "date",
        "Date courante = date de MES",
        "Photo Date courante (qui sera retenue comme date de MES)",
        "La date affichée par le compteur est celle de la mise en service.",
        "Relevez la date affichée par le compteur le jour de la mise en service.",
        check_date_consistent,
    ),
    Rule(
        "index",
        "Index d'injection plausible",
        "Photo Index Injection (la mesure des kWh injectés démarrera à cette valeur)",
        "L'index d'injection est relevé et ne diminue pas ; au-delà de ce qu'affiche une "
        "installation neuve (100 kWh par défaut), il est à vérifier.",
        "Relevez l'index sur l'écran « INDEX INJECTION ».",
        check_index_plausible,
    ),
    Rule(
        "test",
        "Essai de découplage réussi",
        "Un essai de bon fonctionnement de la protection de découplage est à réaliser par vos "
        "soins lors de cette MES : après couplage de l’installation, ouverture du disjoncteur "
        "Enedis et vérification du découplage (message explicite sur l'écran de l'onduleur ou "
        "du système de contrôle).",
        "L'essai de découplage a été fait et l'onduleur s'est découplé dans le délai.",
        "Faites l'essai et consignez-le (section [decoupling_test]).",
        check_test,
    ),
    Rule(
        "photos",
        "Trois photos des écrans",
        "la photo de 3 écrans du compteur Linky, en veillant à bien englober les références "
        "gravées au-dessus de l'écran",
        "Les trois photos (Numéro de PRM, Date courante, Index Injection) sont fournies, "
        "lisibles, 4 Mo au plus chacune.",
        "Photographiez les trois écrans et renseignez leurs chemins (section [photos]).",
        check_photos,
    ),
)


def evaluate_rules(
    dossier: Dossier,
    photos: Mapping[ReadingField, PhotoFacts],
    settings: CheckSettings | None = None,
    rules: tuple[Rule, ...] = RULES,
    *,
    sources: Mapping[str, str | None] | None = None,
    names: PathNamer | None = None,
) -> list[RuleOutcome]:
    """Run every rule on ``dossier`` (pure: photo facts and source hashes are given).

    ``sources`` (file as named by a reading -> current SHA-256) defaults to the photo
    facts' hashes; a reading whose file is absent from it is checked for the photo rules
    only. ``names`` names the dossier's files in the messages (default: as the dossier
    writes them, its folder being unknown here).
    """
    known: dict[str, str | None] = {
        facts.declared: facts.sha256 for facts in photos.values() if facts.declared
    }
    known.update(sources or {})
    context = RuleContext(dossier, photos, settings or CheckSettings(), known, names or PathNamer())
    outcomes = []
    for rule in rules:
        verdict = rule.check(context)
        action = "" if verdict.status is RuleStatus.SATISFIED else (verdict.action or rule.action)
        outcomes.append(
            RuleOutcome(
                id=rule.id,
                title=rule.title,
                status=verdict.status,
                citation=rule.citation,
                message=rule.message,
                detail=verdict.detail,
                action=action,
                warnings=verdict.warnings,
            )
        )
    return outcomes


def check_prerequisites(
    dossier: Dossier, *, base_dir: str | Path, settings: CheckSettings | None = None
) -> list[RuleOutcome]:
    """Gather the photo facts and source hashes under ``base_dir``, then evaluate every
    rule."""
    base = Path(base_dir)
    return evaluate_rules(
        dossier,
        inspect_photos(dossier, base),
        settings,
        sources=hash_sources(source_files(dossier), base),
        names=PathNamer(base),
    )


def all_satisfied(outcomes: list[RuleOutcome]) -> bool:
    """True when every prerequisite is satisfied."""
    return all(outcome.satisfied for outcome in outcomes)


def signing_date_problems(dossier: Dossier, now: datetime) -> list[str]:
    """French reasons why the attestation's « Fait à …, le … » date cannot be signed: it
    attests a commissioning and a test, so it is not before them, nor after today (pure).

    Not a condition of the procedure, so not in :data:`RULES`: ``mes check``
    (``CheckResult.attestation_blockers``) and ``mes attest`` both report it from here."""
    signed_on = dossier.signatures.signed_on
    commissioned = dossier.commissioning.at
    if signed_on is None:
        return []
    if commissioned is not None and signed_on < to_paris(commissioned).date():
        return [
            f"date de signature (signatures.signed_on) : le {french_date(signed_on)}, avant la "
            f"mise en service du {french_date(to_paris(commissioned))} qu'elle atteste"
        ]
    test = dossier.decoupling_test
    steps = [
        to_paris(moment)
        for moment in (test.coupled_at, test.breaker_opened_at, test.decoupled_at)
        if moment is not None
    ]
    if steps and signed_on < max(steps).date():
        return [
            f"date de signature (signatures.signed_on) : le {french_date(signed_on)}, avant "
            f"l'essai de découplage du {french_date(max(steps))} qu'elle atteste"
        ]
    if signed_on > to_paris(now).date():
        return [
            f"date de signature (signatures.signed_on) : le {french_date(signed_on)}, dans l'avenir"
        ]
    return []
