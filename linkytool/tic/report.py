"""French, human-readable view of a :class:`MeterReading` (tables of ``tic decode``/``read``).

Pure text building; the CLI and the UI print it.
"""

from __future__ import annotations

from datetime import date, datetime

from linkytool.textfmt import french_count, french_duration, french_percent, french_quantity
from linkytool.tic.labels import PTEC_PERIODS
from linkytool.tic.summary import MeterReading

#: Shown when the meter runs in consumer mode and sends no production data.
CONSUMER_MODE_NOTE = (
    "Le compteur fonctionne en mode consommateur (STGE) : il n'envoie pas les données de "
    "production (EAIT, SINSTI). Pendant l'auto-mise en service, il reste dans ce mode "
    "jusqu'à ce qu'Enedis le bascule à distance : relevez l'index d'injection sur une photo "
    "de l'écran du compteur."
)
HISTORIQUE_NOTE = (
    "Le compteur est en mode TIC historique : ce mode ne transmet aucune donnée "
    "d'injection. Relevez l'index d'injection sur une photo de l'écran du compteur."
)


def quantity(value: int | None, unit: str, *, missing: str = "absent") -> str:
    """An index [Wh] or a power [VA] as both human-readable views of the TIC show it
    (``8 254 321 Wh``), ``missing`` when the meter did not send it."""
    return missing if value is None else french_quantity(value, unit)


def _tariff(tariff: str | None) -> str:
    """The current tariff period: LTARF's text as sent, PTEC's code with its meaning
    (``TH.. (toutes les heures)``)."""
    if not tariff:
        return "absent"
    meaning = PTEC_PERIODS.get(tariff)
    return f"{tariff} ({meaning})" if meaning else tariff


def _drift(meter_time: datetime | None, host_time: datetime | None) -> str | None:
    if meter_time is None or host_time is None:
        return None
    seconds = round((meter_time - host_time).total_seconds())
    sign = "+" if seconds >= 0 else "-"
    # a few seconds as seconds; a wrong clock as people say it (« -14 j 11 h », not
    # « -1249751 s »)
    size = f"{abs(seconds)} s" if abs(seconds) < 120 else french_duration(abs(seconds) / 60)
    return f"{sign}{size} par rapport à l'horloge de cet ordinateur"


def describe_reading(
    reading: MeterReading, host_time: datetime | None = None, today: date | None = None
) -> list[tuple[str, str]]:
    """(French label, French value) rows summarising ``reading``. ``today`` (the host's
    date) lets a manufacturing year in the future be flagged instead of shown as fact."""
    address = reading.meter_address
    meter = reading.meter_id or "absent"
    if address is not None:
        year = str(address.year)
        if today is not None and address.year_in_future(today):
            year = f"année {address.year} impossible (future) : adresse anonymisée ou erronée ?"
        details = [address.maker or f"fabricant {address.maker_code}", year]
        details.append(address.type_name or f"type {address.type_code} inconnu")
        meter = f"{meter} ({', '.join(details)})"
    clock = "absente"
    if reading.meter_time is not None:
        clock = reading.meter_time.strftime("%d/%m/%Y %H:%M:%S")
        if reading.degraded_clock:
            clock += " (horloge en mode dégradé)"
        drift = _drift(reading.meter_time, host_time)
        if drift:
            clock += f", écart {drift}"
    # The essential rows first (PRM, mode, indexes, powers): a live view cut to a small
    # terminal's height keeps them.
    rows = [
        ("PRM", reading.prm or "absent"),
        ("Mode TIC", reading.mode or "inconnu"),
        _drawn(reading),
        ("Énergie injectée (EAIT)", quantity(reading.eait_wh, "Wh")),
        (
            f"Puissance soutirée ({reading.power_label or 'SINSTS'})",
            quantity(reading.sinsts_va, "VA"),
        ),
        ("Puissance injectée (SINSTI)", quantity(reading.sinsti_va, "VA")),
        ("Tarif en cours", _tariff(reading.tariff)),
        ("Date du compteur", clock),
        ("Compteur (ADSC/ADCO)", meter),
        *_maxima(reading),
        (
            "Statuts (STGE)",
            f"{reading.stge.hex} : {reading.stge.summary(reading.ntarf)}"
            if reading.stge
            else "absent",
        ),
        (
            "Trames",
            f"{reading.frames} dont {french_count(reading.frames_valid, 'valide', 'valides')}",
        ),
        (
            "Groupes",
            f"{french_count(reading.groups_ok, 'valide', 'valides')}, "
            f"{french_count(reading.groups_bad, 'rejeté', 'rejetés')} "
            f"(taux d'erreur {french_percent(reading.checksum_error_rate)})",
        ),
    ]
    return rows


def drawn_short_label(reading: MeterReading) -> str:
    """The energy drawn's name where a screen has one short line for it: EAST in
    standard mode, the index historique sends, or « Total soutiré » when it is a sum."""
    labels = reading.drawn_labels
    if len(labels) > 1:
        return "Total soutiré"
    if labels:
        return f"{labels[0]} (soutiré)"
    return "Index (soutiré)" if reading.mode == "historique" else "EAST (soutiré)"


def _drawn(reading: MeterReading) -> tuple[str, str]:
    """The energy drawn, labelled by what it is: EAST in standard mode; in historique
    (which has no EAST) the index the option sends, or the total of its indexes, named."""
    labels = reading.drawn_labels
    value = quantity(reading.east_wh, "Wh")
    if len(labels) > 1:
        return ("Énergie soutirée (total des index)", f"{value} = {' + '.join(labels)}")
    if labels:
        return (f"Énergie soutirée ({labels[0]})", value)
    source = "index" if reading.mode == "historique" else "EAST"  # nothing read: its name
    return (f"Énergie soutirée ({source})", value)


def _maxima(reading: MeterReading) -> list[tuple[str, str]]:
    """Rows of today's and yesterday's maximum power drawn, when the meter sends them."""
    g1 = reading.power_label == "SINST1"
    rows = []
    if reading.smaxsn_va is not None:
        rows.append(
            (f"Puissance max. du jour ({'SMAXN' if g1 else 'SMAXSN'})",
             quantity(reading.smaxsn_va, "VA"))
        )  # fmt: skip
    if reading.smaxsn_prev_va is not None:
        rows.append(
            (f"Puissance max. de la veille ({'SMAXN-1' if g1 else 'SMAXSN-1'})",
             quantity(reading.smaxsn_prev_va, "VA"))
        )  # fmt: skip
    return rows


def reading_notes(reading: MeterReading) -> list[str]:
    """French notes the user must read (production data unavailable...)."""
    notes = []
    if reading.production_data_missing:
        notes.append(CONSUMER_MODE_NOTE)
    if reading.mode == "historique":
        notes.append(HISTORIQUE_NOTE)
    return notes
