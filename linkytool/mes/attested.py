"""What the attestation prints of a dossier, as text: the rows of its sections.

Shared by the PDF layout (:mod:`linkytool.mes.attestation`) and the check that a dossier
still says what its attestation says (:mod:`linkytool.mes.attestation_check`), which must
not load reportlab (the UI loads the dossier service at start-up).
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from linkytool.mes.decoupling import (
    SettingVerdict,
    assess_setting_name,
    decoupling_standard,
    evaluate_decoupling_test,
)
from linkytool.mes.model import (
    AgreementKind,
    ConnectionOption,
    DecouplingLocation,
    DecouplingTest,
    Dossier,
    Reading,
    ReadingField,
    ReadingSource,
)
from linkytool.mes.readings import shown_value
from linkytool.mes.schema import to_paris
from linkytool.mes.titles import SCREEN_TITLES
from linkytool.textfmt import french_datetime, french_number, french_percent

OPTION_LABELS = {
    ConnectionOption.SURPLUS: "Injection du surplus",
    ConnectionOption.TOTAL_SALE: "Vente en totalité",
    ConnectionOption.TOTAL_SELF_CONSUMPTION: "Autoconsommation totale",
}


SOURCE_LABELS = {
    ReadingSource.TIC: "TIC (bornes du compteur)",
    ReadingSource.PHOTO: "photo + OCR",
    ReadingSource.MANUAL: "saisie manuelle",
}


SETTING_VERDICT_LABELS = {
    # VFR 2019 or the NF EN 50549-1 French setting: the standard is the row above's
    SettingVerdict.ACCEPTED: "réglage reconnu (découplage à 51,5 Hz)",
    SettingVerdict.WARNED: "ancien réglage, pas VFR 2019",
    SettingVerdict.UNKNOWN: "réglage non répertorié par linkytool",
}


#: Section headings, shared by the layout and :func:`attested_facts`.
SECTION_CASE = "1. Dossier"
SECTION_PRODUCER = "2. Producteur"
SECTION_INSTALLER = "3. Installateur"
SECTION_INSTALLATION = "4. Installation"
SECTION_DOCUMENTS = "5. Pièces de la demande de MES"
SECTION_COMMISSIONING = "6. Mise en service"
SECTION_READINGS = "7. Relevés du compteur"
SECTION_TEST = "8. Essai de la protection de découplage"
SECTION_DECLARATIONS = "11. Déclarations"


def or_dash(value: object) -> str:
    if value is None or value == "":
        return "—"
    return str(value)


def fr_dt(value: datetime | None, seconds: bool = False) -> str:
    if value is None:
        return "—"
    return french_datetime(to_paris(value), seconds=seconds, joiner=" " if seconds else " à ")


def yes_no(value: bool) -> str:
    return "oui" if value else "non"


def case_rows(dossier: Dossier) -> list[tuple[str, str]]:
    case = dossier.case
    agreement = dossier.agreement
    if agreement.kind is AgreementKind.AGREEMENT:
        agreed = f"accord d'Enedis pour l'auto-MES reçu le {date_text(agreement.date)}"
    elif agreement.kind is AgreementKind.APPOINTMENT:
        cancelled = ", annulé" if agreement.appointment_cancelled else ""
        agreed = (
            f"rendez-vous de MES proposé par Enedis pour le {date_text(agreement.date)}{cancelled}"
        )
    else:
        agreed = "—"
    option = OPTION_LABELS.get(case.connection_option) if case.connection_option else None
    return [
        ("Référence Enedis-Connect", or_dash(case.enedis_reference)),
        ("PRM (point de livraison)", or_dash(case.prm)),
        ("Adresse du site", or_dash(case.site_address)),
        ("Option de raccordement", or_dash(option)),
        ("Accord d'Enedis", agreed),
    ]


def date_text(value: Any) -> str:
    return value.strftime("%d/%m/%Y") if value is not None else "—"


def producer_rows(dossier: Dossier) -> list[tuple[str, str]]:
    producer = dossier.producer
    contact = " – ".join(part for part in (producer.phone, producer.email) if part)
    return [
        ("Nom", or_dash(producer.name)),
        ("Adresse", or_dash(producer.address)),
        ("Téléphone / courriel", or_dash(contact)),
    ]


def installer_rows(dossier: Dossier) -> list[tuple[str, str]]:
    installer = dossier.installer
    return [
        ("Entreprise", or_dash(installer.company)),
        ("SIRET", or_dash(installer.siret)),
        ("Intervenant", or_dash(installer.person)),
        ("Qualification", or_dash(installer.qualification)),
    ]


def installation_rows(dossier: Dossier) -> list[tuple[str, str]]:
    installation = dossier.installation
    decoupling = installation.decoupling
    where = (
        {
            DecouplingLocation.INVERTER: "intégré à l'onduleur",
            DecouplingLocation.EXTERNAL_RELAY: "relais externe",
        }.get(decoupling.location)
        if decoupling.location
        else None
    )
    relay = " ".join(part for part in (decoupling.relay_make, decoupling.relay_model) if part)
    setting = decoupling.setting_name
    if setting:
        setting += f" – {SETTING_VERDICT_LABELS[assess_setting_name(setting).verdict]}"
    return [
        ("Puissance de raccordement", with_unit(installation.power_kva, "kVA")),
        ("Puissance crête", with_unit(installation.power_kwc, "kWc")),
        ("Stockage par batterie", yes_no(installation.storage)),
        ("Découplage", or_dash(where) + (f" – {relay}" if relay else "")),
        ("Norme et version", or_dash(f"{decoupling.standard} {decoupling.version}".strip())),
        ("Réglage de l'onduleur", or_dash(setting)),
        ("Seuil de surfréquence", with_unit(decoupling.overfrequency_hz, "Hz")),
    ]


#: Columns of the inverters' table.
INVERTER_COLUMNS = ("Marque", "Modèle", "N° de série", "Micrologiciel", "Nb", "Puissance")


def inverter_rows(dossier: Dossier) -> list[list[str]]:
    return [
        [
            inv.make,
            inv.model,
            inv.serial,
            or_dash(inv.firmware),
            str(inv.count),
            with_unit(inv.power_kva, "kVA"),
        ]
        for inv in dossier.installation.inverters
    ]


def with_unit(value: float | None, unit: str) -> str:
    if value is None:
        return "—"
    return f"{french_number(value)} {unit}"


def documents_rows(dossier: Dossier) -> list[tuple[str, str]]:
    documents = dossier.documents
    colour = documents.consuel_colour.value if documents.consuel_colour else "—"
    arpe = (
        "non requis (obligation d'achat)"
        if documents.purchase_obligation and not documents.arpe
        else or_dash(documents.arpe)
    )
    return [
        (
            "Demande de raccordement",
            f"du {date_text(documents.connection_request_date)}"
            if documents.connection_request_date
            else "date non renseignée",
        ),
        ("Demande de MES soumise", yes_no(documents.mes_request_submitted)),
        (
            "Attestation CONSUEL",
            f"n° {or_dash(documents.consuel_number)}, {colour}, visée le "
            f"{date_text(documents.consuel_visa_date)}",
        ),
        ("Obligation d'achat (OA)", yes_no(documents.purchase_obligation)),
        ("ARPE", arpe),
        ("Contrat CAE accepté", yes_no(documents.cae_accepted)),
    ]


def commissioning_rows(dossier: Dossier) -> list[tuple[str, str]]:
    index = dossier.readings.current(ReadingField.INJECTION_INDEX)
    index_text = "—"
    if index is not None:
        index_text = f"{index.value} kWh ({provenance(index)})"
    return [
        ("Date et heure (« Date courante »)", fr_dt(dossier.commissioning.at)),
        ("Index d'injection à la MES", index_text),
    ]


def provenance(reading: Reading) -> str:
    label = SOURCE_LABELS.get(reading.source, "?") if reading.source else "?"
    if reading.source is ReadingSource.PHOTO and reading.confidence is not None:
        label += f", confiance {french_percent(reading.confidence, 0)}"
    return label


def decoupling_test_rows(test: DecouplingTest) -> list[tuple[str, str]]:
    """What the test section prints of the test itself (the verdict, which also depends on
    the delay threshold, is the layout's)."""
    delay_s = evaluate_decoupling_test(test).delay_s
    delay = "—" if delay_s is None else f"{french_number(delay_s, '.1f')} s"
    return [
        ("Couplage de l'installation", fr_dt(test.coupled_at, seconds=True)),
        ("Puissance injectée avant l'essai", with_unit(test.injecting_w, "W")),
        ("Ouverture du disjoncteur Enedis", fr_dt(test.breaker_opened_at, seconds=True)),
        ("Découplage constaté", fr_dt(test.decoupled_at, seconds=True)),
        ("Délai", delay),
        ("Message de l'onduleur", or_dash(test.message)),
    ]


def decoupling_evidence_rows(test: DecouplingTest) -> list[tuple[str, str]]:
    rows = []
    if test.tic_evidence:
        rows.append(("Capture TIC", test.tic_evidence.rsplit("/", 1)[-1]))
    if test.photo:
        rows.append(("Photo du message", test.photo.rsplit("/", 1)[-1]))
    return rows


def place_and_date(dossier: Dossier) -> tuple[str, str]:
    """Where and when the attestation says it is signed (« Fait à …, le … »)."""
    signed_on = dossier.signatures.signed_on or (
        dossier.commissioning.at.date() if dossier.commissioning.at else None
    )
    return dossier.commissioning.place or "—", date_text(signed_on)


#: The field of the installer's declaration naming the standard the protection is set to.
DECLARED_STANDARD = "Protection de découplage réglée conformément à"


def declared_standard(dossier: Dossier) -> str:
    """The standard the installer declares the decoupling protection set to (French, for
    « … réglée conformément à {…}. »): the dossier's, as the accepted-standards table
    words it (:data:`linkytool.mes.decoupling.DECOUPLING_STANDARDS`)."""
    decoupling = dossier.installation.decoupling
    row = decoupling_standard(decoupling.standard, decoupling.version)
    if row is not None:
        return row.declared
    typed = f"{decoupling.standard} {decoupling.version}".strip()
    return f"la norme « {typed} » déclarée au dossier" if typed else "une norme non renseignée"


def attested_facts(dossier: Dossier) -> dict[str, str]:
    """What the attestation prints of ``dossier``, as « section – field » -> text.

    Embedded in the PDF (``attested``) so that a dossier changed after its attestation was
    produced shows: the pack and the signature compare it with the dossier as it is now.
    The readings are the retained ones (value and provenance); the prerequisites' verdicts
    and the photos are checked otherwise (rules run again, photo hashes)."""
    sections: tuple[tuple[str, list[tuple[str, str]]], ...] = (
        (SECTION_CASE, case_rows(dossier)),
        (SECTION_PRODUCER, producer_rows(dossier)),
        (SECTION_INSTALLER, installer_rows(dossier)),
        (SECTION_INSTALLATION, installation_rows(dossier)),
        (SECTION_DOCUMENTS, documents_rows(dossier)),
        (SECTION_COMMISSIONING, commissioning_rows(dossier)),
        (SECTION_TEST, decoupling_test_rows(dossier.decoupling_test)),
    )
    facts = {f"{section} – {label}": value for section, rows in sections for label, value in rows}
    for number, row in enumerate(inverter_rows(dossier), start=1):
        facts[f"{SECTION_INSTALLATION} – onduleur {number}"] = " ; ".join(
            f"{column} {value}" for column, value in zip(INVERTER_COLUMNS, row, strict=True)
        )
    for which in (ReadingField.PRM, ReadingField.DATE):  # the index is section 6's
        reading = dossier.readings.current(which)
        if reading is not None:
            facts[f"{SECTION_READINGS} – {SCREEN_TITLES[which]}"] = (
                f"{shown_value(which, reading.value)} ({provenance(reading)})"
            )
    place, signed_on = place_and_date(dossier)
    facts[f"{SECTION_DECLARATIONS} – {DECLARED_STANDARD}"] = declared_standard(dossier)
    facts[f"{SECTION_DECLARATIONS} – Fait à"] = place
    facts[f"{SECTION_DECLARATIONS} – le"] = signed_on
    return facts
