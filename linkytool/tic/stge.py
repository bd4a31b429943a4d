"""STGE, the standard-mode 32-bit status register, decoded from a table of bit fields.

Bit layout from Enedis-NOI-CPT_54E §6.2.3.14 (summarised in ``shared/docs/tic.md``). Each
field has an English name for code, a French label and French value names for display.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from types import MappingProxyType

_TARIFF_INDEX = {n: f"index {n + 1}" for n in range(16)}
_TEMPO = {0: "pas d'annonce", 1: "bleu", 2: "blanc", 3: "rouge"}
_PEAK = {0: "aucun", 1: "PM1", 2: "PM2", 3: "PM3"}


@dataclass(frozen=True, slots=True)
class BitField:
    """One field of the register: bits ``first .. first + width - 1``."""

    name: str
    first: int
    width: int
    label: str
    values: Mapping[int, str]

    def extract(self, register: int) -> int:
        """The field's value in ``register``."""
        return (register >> self.first) & ((1 << self.width) - 1)


# fmt: off
#: The STGE fields, in bit order (bits 5 and 18 are unused).
STGE_FIELDS: tuple[BitField, ...] = (
    BitField("dry_contact", 0, 1, "Contact sec", {0: "fermé", 1: "ouvert"}),
    BitField("breaker", 1, 3, "Organe de coupure", {
        0: "fermé", 1: "ouvert sur surpuissance", 2: "ouvert sur surtension",
        3: "ouvert sur délestage", 4: "ouvert sur ordre CPL ou Euridis",
        5: "ouvert sur surchauffe (I > Imax)", 6: "ouvert sur surchauffe (I < Imax)"}),
    BitField("terminal_cover", 4, 1, "Cache-bornes distributeur", {0: "fermé", 1: "ouvert"}),
    BitField("overvoltage", 6, 1, "Surtension sur une phase", {0: "non", 1: "oui"}),
    BitField("reference_power_exceeded", 7, 1, "Dépassement de la puissance de référence",
             {0: "non", 1: "oui"}),
    BitField("producer", 8, 1, "Fonctionnement", {0: "consommateur", 1: "producteur"}),
    BitField("energy_negative", 9, 1, "Sens de l'énergie active", {0: "positive", 1: "négative"}),
    BitField("supplier_tariff", 10, 4, "Tarif en cours (fournisseur)", _TARIFF_INDEX),
    BitField("distributor_tariff", 14, 2, "Tarif en cours (distributeur)", _TARIFF_INDEX),
    BitField("degraded_clock", 16, 1, "Horloge", {0: "correcte", 1: "mode dégradé"}),
    BitField("standard_tic", 17, 1, "Mode TIC", {0: "historique", 1: "standard"}),
    BitField("euridis", 19, 2, "Sortie Euridis", {
        0: "désactivée", 1: "activée sans sécurité", 3: "activée avec sécurité"}),
    BitField("cpl_status", 21, 2, "Statut CPL", {
        0: "New/Unlock", 1: "New/Lock", 2: "Registered"}),
    BitField("cpl_synchronised", 23, 1, "Synchronisation CPL", {0: "non synchronisé",
                                                                 1: "synchronisé"}),
    BitField("tempo_today", 24, 2, "Couleur Tempo du jour", _TEMPO),
    BitField("tempo_tomorrow", 26, 2, "Couleur Tempo du lendemain", _TEMPO),
    BitField("mobile_peak_notice", 28, 2, "Préavis pointe mobile", _PEAK),
    BitField("mobile_peak_active", 30, 2, "Pointe mobile en cours", _PEAK),
)
# fmt: on

FIELDS_BY_NAME: Mapping[str, BitField] = MappingProxyType({f.name: f for f in STGE_FIELDS})


@dataclass(frozen=True, slots=True)
class StatusRegister:
    """A decoded STGE value; ``fields`` maps each field name to its integer value."""

    value: int
    fields: Mapping[str, int] = field(compare=False)

    @classmethod
    def from_int(cls, value: int) -> StatusRegister:
        """Decode the 32-bit ``value``."""
        return cls(value, MappingProxyType({f.name: f.extract(value) for f in STGE_FIELDS}))

    @classmethod
    def from_hex(cls, text: str) -> StatusRegister:
        """Decode the 8 hexadecimal digits sent by the meter (raises ValueError if not hex)."""
        if len(text) != 8:
            raise ValueError(f"STGE needs 8 hex digits, got {text!r}")
        return cls.from_int(int(text, 16))

    @property
    def hex(self) -> str:
        """The register as sent: 8 upper-case hex digits."""
        return f"{self.value:08X}"

    @property
    def producer(self) -> bool:
        """Bit 8: the meter operates as a producer (injection data is sent)."""
        return bool(self.fields["producer"])

    @property
    def supplier_tariff_index(self) -> int:
        """Current supplier tariff index, 1..16 (NTARF)."""
        return self.fields["supplier_tariff"] + 1

    @property
    def distributor_tariff_index(self) -> int:
        """Current distributor tariff index, 1..4."""
        return self.fields["distributor_tariff"] + 1

    @property
    def degraded_clock(self) -> bool:
        """Bit 16: the meter's clock runs in degraded mode."""
        return bool(self.fields["degraded_clock"])

    def describe(self) -> list[tuple[str, str]]:
        """(French label, French value) for every field, in bit order."""
        return [
            (f.label, f.values.get(self.fields[f.name], f"valeur {self.fields[f.name]}"))
            for f in STGE_FIELDS
        ]

    def summary(self) -> str:
        """One French line: operation, breaker, tariff, Tempo colours when announced."""
        parts = [
            FIELDS_BY_NAME["producer"].values[self.fields["producer"]],
            "organe de coupure " + _value_text("breaker", self.fields["breaker"]),
            f"tarif {self.supplier_tariff_index}",
        ]
        if self.fields["dry_contact"]:
            parts.append("contact sec ouvert")
        if self.degraded_clock:
            parts.append("horloge dégradée")
        if self.fields["tempo_today"]:
            parts.append("Tempo " + _value_text("tempo_today", self.fields["tempo_today"]))
        if self.fields["mobile_peak_active"]:
            parts.append(
                "pointe mobile "
                + _value_text("mobile_peak_active", self.fields["mobile_peak_active"])
            )
        return ", ".join(parts)

    def as_json(self) -> dict[str, object]:
        """JSON form: the hex text and every named field."""
        return {"hex": self.hex, **self.fields}


def _value_text(name: str, value: int) -> str:
    return FIELDS_BY_NAME[name].values.get(value, f"valeur {value}")
