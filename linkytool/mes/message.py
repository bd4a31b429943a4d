"""The French message to paste into Enedis-Connect ("Demander une information") (pure)."""

from __future__ import annotations

from collections.abc import Sequence

from linkytool.mes.decoupling import DEFAULT_MAX_DECOUPLING_DELAY_S, evaluate_decoupling_test
from linkytool.mes.model import Dossier, ReadingField
from linkytool.mes.schema import to_paris
from linkytool.textfmt import french_number


def enedis_message(
    dossier: Dossier,
    attachments: Sequence[tuple[str, str]],
    *,
    max_delay_s: float = DEFAULT_MAX_DECOUPLING_DELAY_S,
) -> str:
    """Message text announcing the auto-MES; ``attachments`` = (file name, description)."""
    case = dossier.case
    commissioned = dossier.commissioning.at
    when = to_paris(commissioned).strftime("%d/%m/%Y à %H:%M") if commissioned else "?"
    index = dossier.readings.current(ReadingField.INJECTION_INDEX)
    index_text = f"{index.value} kWh" if index is not None else "?"
    power = dossier.installation.power_kva
    power_text = f", {french_number(power)} kVA" if power is not None else ""
    reference = f" – affaire {case.enedis_reference}" if case.enedis_reference else ""
    lines = [
        f"Objet : auto-mise en service réalisée – PRM {case.prm}{reference}",
        "",
        "Bonjour,",
        "",
        "Conformément au mode opératoire d'auto-mise en service, je vous informe que "
        f"l'installation de production (injection du surplus{power_text}) a été mise en "
        "service. Voici les informations nécessaires pour finaliser le CAE :",
        "",
        f"- PRM : {case.prm}",
        f"- Date de mise en service : {when} (photo « Date courante »)",
        f"- Index d'injection à la mise en service : {index_text} (photo « Index Injection »)",
    ]
    if case.site_address:
        lines.append(f"- Adresse du site : {case.site_address}")
    installer = dossier.installer
    if installer.company:
        siret = f" (SIRET {installer.siret})" if installer.siret else ""
        lines.append(f"- Installateur : {installer.company}{siret}")
    result = evaluate_decoupling_test(dossier.decoupling_test, max_delay_s=max_delay_s)
    if result.passed:
        delay = (
            f" en {french_number(result.delay_s, '.1f')} s" if result.delay_s is not None else ""
        )
        lines.append(
            f"- Essai de découplage réalisé : découplage constaté{delay} "
            f"(message « {dossier.decoupling_test.message} »)"
        )
    lines += ["", "Pièces jointes :"]
    lines += [f"- {name} : {description}" for name, description in attachments]
    lines += ["", "Cordialement,", dossier.producer.name or ""]
    contact = " – ".join(part for part in (dossier.producer.phone, dossier.producer.email) if part)
    if contact:
        lines.append(contact)
    return "\n".join(lines).rstrip() + "\n"
