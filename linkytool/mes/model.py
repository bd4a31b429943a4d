"""The auto-MES dossier model: one dataclass per TOML section, field names = TOML keys.

The tree mirrors the file exactly, so loading and saving are one generic walk over the
dataclasses (see :mod:`linkytool.mes.schema`). Each field's ``metadata`` carries what the
validator needs: a French label, an example of a right value, the check to apply
(``prm``, ``siret``, ``past``, ``positive``...) and whether the key may be absent.
Unknown values are empty strings in the file and ``None`` (or ``""``) here: a dossier is
filled in over several days, so "not yet known" is normal and reported by
``mes check`` as missing information, not as a broken file.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime
from enum import StrEnum
from typing import Any


def meta(
    label: str, example: str | None = None, *, check: str | None = None, optional: bool = False
) -> dict[str, Any]:
    """Validation metadata of a dossier field: French label, example, check, may be absent."""
    return {"label": label, "example": example, "check": check, "optional": optional}


class ConnectionOption(StrEnum):
    """Connection option chosen in the connection request."""

    SURPLUS = "surplus"
    TOTAL_SALE = "total_sale"
    TOTAL_SELF_CONSUMPTION = "total_self_consumption"


class MeterType(StrEnum):
    """Meter in place at the delivery point."""

    LINKY = "linky"
    OTHER = "other"


class DecouplingLocation(StrEnum):
    """Where the decoupling protection lives."""

    INVERTER = "inverter"
    EXTERNAL_RELAY = "external_relay"


class ConsuelColour(StrEnum):
    """CONSUEL attestation colour: blue without storage, purple with storage."""

    BLUE = "bleue"
    PURPLE = "violette"


class AgreementKind(StrEnum):
    """How Enedis allowed the self-commissioning."""

    AGREEMENT = "agreement"
    APPOINTMENT = "appointment"


class ReadingField(StrEnum):
    """The three values the procedure asks to photograph."""

    PRM = "prm"
    DATE = "date"
    INJECTION_INDEX = "injection_index"


class SignatureKind(StrEnum):
    """How a final attestation is signed."""

    #: A PAdES electronic signature (PKCS#12 key): any later change is detectable.
    PADES = "pades"
    #: The producer's and the installer's handwritten signature images.
    IMAGES = "images"
    #: Printed, then signed by hand: the PDF says so on its face.
    BY_HAND = "by_hand"


#: How each kind of signature is described on the attestation, in the pack and by verify.
SIGNATURE_LABELS: dict[SignatureKind, str] = {
    SignatureKind.PADES: "signée électroniquement (signature PAdES)",
    SignatureKind.IMAGES: "signée (signatures manuscrites numérisées)",
    SignatureKind.BY_HAND: "à imprimer et à signer à la main, non signée à ce stade",
}


class ReadingSource(StrEnum):
    """Where a reading comes from."""

    TIC = "tic"
    PHOTO = "photo"
    MANUAL = "manual"


#: OCR screen kind (``linkytool.ocr.ScreenKind`` value) showing each reading.
SCREEN_KINDS: dict[ReadingField, str] = {
    ReadingField.PRM: "prm",
    ReadingField.DATE: "date",
    ReadingField.INJECTION_INDEX: "injection_index",
}


@dataclass
class Case:
    """The Enedis-Connect case: reference, delivery point, option, site."""

    enedis_reference: str = field(
        default="", metadata=meta("Référence de l'affaire Enedis-Connect", '"DC24-123456"')
    )
    prm: str = field(default="", metadata=meta("Numéro PRM", '"30002345678901"', check="prm"))
    connection_option: ConnectionOption | None = field(
        default=None, metadata=meta("Option de raccordement", '"surplus"')
    )
    site_address: str = field(
        default="", metadata=meta("Adresse du site", '"12 rue des Lilas, 44000 Nantes"')
    )


@dataclass
class Producer:
    """The producer (the customer who signs the attestation)."""

    name: str = field(default="", metadata=meta("Nom du producteur", '"Camille Martin"'))
    address: str = field(
        default="", metadata=meta("Adresse du producteur", '"12 rue des Lilas, 44000 Nantes"')
    )
    phone: str = field(default="", metadata=meta("Téléphone du producteur", '"06 12 34 56 78"'))
    email: str = field(
        default="", metadata=meta("Courriel du producteur", '"camille@example.org"', check="email")
    )


@dataclass
class Installer:
    """The installer who commissions the installation with the producer."""

    company: str = field(
        default="", metadata=meta("Entreprise d'installation", '"Soleil Pose SARL"')
    )
    siret: str = field(
        default="", metadata=meta("SIRET de l'installateur", '"73282932000074"', check="siret")
    )
    person: str = field(
        default="", metadata=meta("Nom de l'installateur présent", '"Louis Bernard"')
    )
    qualification: str = field(
        default="", metadata=meta("Qualification", '"QualiPV 36"', optional=True)
    )


@dataclass
class Inverter:
    """One inverter (or micro-inverter model) of the installation."""

    make: str = field(default="", metadata=meta("Marque de l'onduleur", '"Enphase"'))
    model: str = field(default="", metadata=meta("Modèle de l'onduleur", '"IQ8M"'))
    serial: str = field(default="", metadata=meta("Numéro de série", '"122233445566"'))
    firmware: str = field(
        default="", metadata=meta("Version du micrologiciel", '"D8.2.4"', optional=True)
    )
    count: int = field(
        default=1,
        metadata=meta("Nombre d'appareils identiques", "1", check="positive", optional=True),
    )
    power_kva: float | None = field(
        default=None,
        metadata=meta("Puissance AC unitaire [kVA]", "0.33", check="positive", optional=True),
    )


@dataclass
class Decoupling:
    """The decoupling protection (integrated in the inverter or an external relay)."""

    location: DecouplingLocation | None = field(
        default=None, metadata=meta("Emplacement du découplage", '"inverter"')
    )
    standard: str = field(default="", metadata=meta("Norme du découplage", '"DIN VDE 0126-1-1"'))
    version: str = field(default="", metadata=meta("Version de la norme", '"2013-08"'))
    setting_name: str = field(
        default="", metadata=meta("Réglage (code réseau) de l'onduleur", '"VFR2019"')
    )
    overfrequency_hz: float | None = field(
        default=None,
        metadata=meta("Seuil de découplage en surfréquence [Hz]", "51.5", check="positive"),
    )
    relay_make: str = field(
        default="", metadata=meta("Marque du relais externe", '"Ziehl"', optional=True)
    )
    relay_model: str = field(
        default="", metadata=meta("Modèle du relais externe", '"UFR1001E"', optional=True)
    )


@dataclass
class Installation:
    """The production installation."""

    power_kva: float | None = field(
        default=None, metadata=meta("Puissance de raccordement [kVA]", "6.0", check="positive")
    )
    power_kwc: float | None = field(
        default=None, metadata=meta("Puissance crête [kWc]", "6.5", check="positive")
    )
    storage: bool = field(default=False, metadata=meta("Stockage par batterie", "false"))
    finished: bool = field(default=False, metadata=meta("Installation achevée", "true"))
    connected_to_panel: bool = field(
        default=False, metadata=meta("Raccordée au tableau électrique du local", "true")
    )
    inverters: list[Inverter] = field(
        default_factory=list,
        metadata=meta("Onduleurs", "[[installation.inverters]]", optional=True),
    )
    decoupling: Decoupling = field(
        default_factory=Decoupling, metadata=meta("Protection de découplage", None)
    )


@dataclass
class Meter:
    """The meter in place."""

    type: MeterType | None = field(default=None, metadata=meta("Type de compteur", '"linky"'))
    serial: str = field(
        default="",
        metadata=meta("Numéro gravé au-dessus de l'écran (ADS)", '"041864123456"', optional=True),
    )


@dataclass
class Documents:
    """Documents of the MES request in Enedis-Connect."""

    mes_request_submitted: bool = field(
        default=False, metadata=meta("Demande de MES soumise dans Enedis-Connect", "true")
    )
    consuel_number: str = field(
        default="", metadata=meta("Numéro de l'attestation CONSUEL", '"A123456789"')
    )
    consuel_colour: ConsuelColour | None = field(
        default=None, metadata=meta("Couleur de l'attestation CONSUEL", '"bleue"')
    )
    consuel_visa_date: date | None = field(
        default=None, metadata=meta("Date du visa CONSUEL", "2026-10-02", check="past")
    )
    purchase_obligation: bool = field(
        default=False, metadata=meta("Contrat d'obligation d'achat (OA)", "true")
    )
    arpe: str = field(
        default="", metadata=meta("Référence de l'ARPE (hors OA)", '"ARPE-2026-0042"')
    )
    cae_accepted: bool = field(default=False, metadata=meta("Contrat CAE accepté", "true"))
    connection_request_date: date | None = field(
        default=None,
        metadata=meta(
            "Date de la demande de raccordement", "2025-03-14", check="past", optional=True
        ),
    )


@dataclass
class Agreement:
    """Enedis's agreement to the auto-MES (or an MES appointment it proposed)."""

    kind: AgreementKind | None = field(
        default=None, metadata=meta("Nature de l'accord", '"agreement"')
    )
    date: date | None = field(
        default=None, metadata=meta("Date de l'accord ou du rendez-vous", "2026-11-05")
    )
    appointment_cancelled: bool = field(
        default=False, metadata=meta("Rendez-vous annulé", "false", optional=True)
    )


@dataclass
class Commissioning:
    """The commissioning itself (closing the panel's breaker)."""

    at: datetime | None = field(
        default=None,
        metadata=meta("Date et heure de mise en service", "2026-11-20T14:32:00", check="past"),
    )
    place: str = field(default="", metadata=meta("Lieu (« Fait à »)", '"Nantes"'))


@dataclass
class DecouplingTest:
    """The decoupling test record (times in local time, delay in seconds)."""

    coupled_at: datetime | None = field(
        default=None,
        metadata=meta("Couplage de l'installation", "2026-11-20T14:35:00", check="past"),
    )
    injecting_w: float | None = field(
        default=None,
        metadata=meta(
            "Puissance injectée avant le test [W]", "2400", check="positive", optional=True
        ),
    )
    breaker_opened_at: datetime | None = field(
        default=None,
        metadata=meta("Ouverture du disjoncteur Enedis", "2026-11-20T14:40:00", check="past"),
    )
    decoupled_at: datetime | None = field(
        default=None, metadata=meta("Découplage constaté", "2026-11-20T14:40:01", check="past")
    )
    delay_s: float | None = field(
        default=None,
        metadata=meta("Délai chronométré [s]", "0.8", check="non_negative", optional=True),
    )
    decoupling_seen: bool = field(
        default=False, metadata=meta("Découplage constaté sur l'onduleur", "true")
    )
    message: str = field(default="", metadata=meta("Message affiché par l'onduleur", '"Grid Loss"'))
    photo: str = field(
        default="",
        metadata=meta("Photo du message", '"photos/message-onduleur.jpg"', optional=True),
    )
    tic_evidence: str = field(
        default="",
        metadata=meta("Capture TIC pendant le test", '"captures/test.bin"', optional=True),
    )


@dataclass
class Photos:
    """The three meter-screen photos (paths relative to the dossier file)."""

    prm: str = field(default="", metadata=meta("Photo de l'écran NUMERO PRM", '"photos/prm.jpg"'))
    date: str = field(
        default="", metadata=meta("Photo de l'écran date courante", '"photos/date.jpg"')
    )
    injection_index: str = field(
        default="", metadata=meta("Photo de l'écran INDEX INJECTION", '"photos/index.jpg"')
    )


@dataclass
class Signatures:
    """Handwritten signature images (optional, the command line can give them too)."""

    producer_image: str = field(
        default="",
        metadata=meta(
            "Image de la signature du producteur", '"signature-producteur.png"', optional=True
        ),
    )
    installer_image: str = field(
        default="",
        metadata=meta(
            "Image de la signature de l'installateur", '"signature-installateur.png"', optional=True
        ),
    )
    signed_on: date | None = field(
        default=None, metadata=meta("Date de signature", "2026-11-20", check="past", optional=True)
    )


@dataclass
class Reading:
    """One reading of a meter value with its provenance; a list of them is the history."""

    value: str = field(default="", metadata=meta("Valeur relevée", '"30002345678901"'))
    source: ReadingSource | None = field(default=None, metadata=meta("Source", '"photo"'))
    at: datetime | None = field(
        default=None, metadata=meta("Moment du relevé", "2026-11-20T14:33:10", check="past")
    )
    confidence: float | None = field(
        default=None,
        metadata=meta(
            "Confiance de la lecture OCR (0 à 1)", "0.97", check="fraction", optional=True
        ),
    )
    file: str = field(
        default="",
        metadata=meta("Fichier lu (photo ou capture)", '"photos/prm.jpg"', optional=True),
    )
    sha256: str = field(
        default="",
        metadata=meta("Empreinte SHA-256 du fichier lu", None, check="sha256", optional=True),
    )
    screen: str = field(
        default="", metadata=meta("Écran reconnu sur la photo", '"prm"', optional=True)
    )
    meter_id: str = field(
        default="",
        metadata=meta(
            "Adresse du compteur lu (ADSC de la TIC, ou gravée)", '"041864123456"', optional=True
        ),
    )
    references: str = field(
        default="",
        metadata=meta(
            "Références gravées lues au-dessus de l'écran", '"ADS 041864123456"', optional=True
        ),
    )
    confirmed: bool = field(
        default=False,
        metadata=meta("Valeur confirmée par l'installateur", "true", optional=True),
    )
    note: str = field(
        default="", metadata=meta("Remarque", '"saisi par l\'installateur"', optional=True)
    )


@dataclass
class Readings:
    """Reading history per value; the last entry of each list is the current value."""

    prm: list[Reading] = field(
        default_factory=list, metadata=meta("Relevés du PRM", None, optional=True)
    )
    date: list[Reading] = field(
        default_factory=list, metadata=meta("Relevés de la date courante", None, optional=True)
    )
    injection_index: list[Reading] = field(
        default_factory=list,
        metadata=meta("Relevés de l'index d'injection [kWh]", None, optional=True),
    )

    def history(self, which: ReadingField) -> list[Reading]:
        """The readings of ``which``, oldest first."""
        result: list[Reading] = getattr(self, which.value)
        return result

    def current(self, which: ReadingField) -> Reading | None:
        """The latest reading of ``which`` (None when never read)."""
        history = self.history(which)
        return history[-1] if history else None

    def latest_from(self, which: ReadingField, source: ReadingSource) -> Reading | None:
        """The latest reading of ``which`` from ``source``."""
        for reading in reversed(self.history(which)):
            if reading.source == source:
                return reading
        return None


@dataclass
class Attestation:
    """The final attestation the user produced, recorded so that the pack sends exactly it."""

    file: str = field(
        default="",
        metadata=meta("Fichier de l'attestation produite", '"attestation.pdf"', optional=True),
    )
    sha256: str = field(
        default="",
        metadata=meta("Empreinte SHA-256 de l'attestation", None, check="sha256", optional=True),
    )
    signature: SignatureKind | None = field(
        default=None,
        metadata=meta("Signature de l'attestation", '"pades"', optional=True),
    )
    produced_at: datetime | None = field(
        default=None,
        metadata=meta("Moment de production", "2026-11-20T15:02:00", check="past", optional=True),
    )


SCHEMA_VERSION = 1


@dataclass
class Dossier:
    """A whole auto-MES dossier (one TOML file)."""

    schema: int = field(default=SCHEMA_VERSION, metadata=meta("Version du format", "1"))
    case: Case = field(default_factory=Case, metadata=meta("Affaire", None))
    producer: Producer = field(default_factory=Producer, metadata=meta("Producteur", None))
    installer: Installer = field(default_factory=Installer, metadata=meta("Installateur", None))
    installation: Installation = field(
        default_factory=Installation, metadata=meta("Installation", None)
    )
    meter: Meter = field(default_factory=Meter, metadata=meta("Compteur", None))
    documents: Documents = field(
        default_factory=Documents, metadata=meta("Pièces de la demande", None)
    )
    agreement: Agreement = field(default_factory=Agreement, metadata=meta("Accord d'Enedis", None))
    commissioning: Commissioning = field(
        default_factory=Commissioning, metadata=meta("Mise en service", None)
    )
    decoupling_test: DecouplingTest = field(
        default_factory=DecouplingTest, metadata=meta("Essai de découplage", None)
    )
    photos: Photos = field(default_factory=Photos, metadata=meta("Photos des écrans", None))
    signatures: Signatures = field(
        default_factory=Signatures, metadata=meta("Signatures", None, optional=True)
    )
    attestation: Attestation = field(
        default_factory=Attestation,
        metadata=meta("Attestation produite", None, optional=True),
    )
    readings: Readings = field(
        default_factory=Readings, metadata=meta("Relevés", None, optional=True)
    )
