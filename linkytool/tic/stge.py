"""STGE, the standard-mode 32-bit status register, decoded from a table of bit fields.

Bit layout from Enedis-NOI-CPT_54E §6.2.3.14 (summarised in ``shared/docs/tic.md``). Each
field has an English name for code, a French label, French value names for display and
how the one-line summary states it. A value a field's table does not name (breaker 7,
supplier tariff 11..16, Euridis 2, CPL status 3) is impossible and said so, as are the
unused bits 5 and 18 set, bit 17 saying historique in a standard frame, and NTARF other
than the supplier tariff index (tic.md: « NTARF always equals bits 10-13 + 1 »).
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from types import MappingProxyType

#: Supplier tariff: bits 10-13 hold the index - 1, index 1..10 (11..16 do not exist).
_SUPPLIER_INDEX = {n: f"index {n + 1}" for n in range(10)}
#: Distributor tariff: bits 14-15 hold the index - 1, index 1..4.
_DISTRIBUTOR_INDEX = {n: f"index {n + 1}" for n in range(4)}
_TEMPO = {0: "pas d'annonce", 1: "bleu", 2: "blanc", 3: "rouge"}
_PEAK = {0: "aucun", 1: "PM1", 2: "PM2", 3: "PM3"}

#: Bits the register does not use: set, the value is impossible.
UNUSED_BITS: tuple[int, ...] = (5, 18)
#: Fields the one-line summary always states, first and in this order; the others follow
#: in bit order when they matter (see :attr:`BitField.summary`).
SUMMARY_ALWAYS: tuple[str, ...] = ("producer", "breaker", "supplier_tariff")


@dataclass(frozen=True, slots=True)
class BitField:
    """One field of the register: bits ``first .. first + width - 1``.

    ``summary`` is how the one-line summary states the field (``{name}``: the French
    value name, ``{index}``: value + 1), ``None`` for a field it leaves to the detail
    (CPL, Euridis: read, not anomalies); the summary states it when it differs from
    ``usual`` (0 for a flag: a set bit that matters), or always (:data:`SUMMARY_ALWAYS`).
    ``index`` fields hold an index - 1 (tariffs): JSON gives their 1-based index, the
    number NTARF and the meter's screen show, as ``<name>_index``, never the 0-based bits
    (``fields`` keeps the bits' value, for code)."""

    name: str
    first: int
    width: int
    label: str
    values: Mapping[int, str]
    summary: str | None = None
    usual: int = 0
    index: bool = False

    def extract(self, register: int) -> int:
        """The field's value in ``register``."""
        return (register >> self.first) & ((1 << self.width) - 1)

    def possible(self, value: int) -> bool:
        """True when the table names ``value`` (anything else cannot be sent)."""
        return value in self.values

    def value_name(self, value: int) -> str:
        """The French name of ``value``; an impossible one is said so."""
        name = self.values.get(value)
        if name is not None:
            return name
        if self.index:
            return f"index {value + 1} impossible (1 à {len(self.values)})"
        return f"valeur {value} impossible"

    def summary_item(self, value: int) -> str | None:
        """How the one-line summary states ``value``; None when it says nothing of it."""
        if not self.possible(value):
            label = self.label[0].lower() + self.label[1:]
            return f"{label} : {self.value_name(value)}"
        if self.summary is None or (value == self.usual and self.name not in SUMMARY_ALWAYS):
            return None
        return self.summary.format(name=self.value_name(value), index=value + 1)


# fmt: off
#: The STGE fields, in bit order (bits 5 and 18 are unused).
STGE_FIELDS: tuple[BitField, ...] = (
    BitField("dry_contact", 0, 1, "Contact sec", {0: "fermé", 1: "ouvert"},
             "contact sec ouvert"),
    BitField("breaker", 1, 3, "Organe de coupure", {
        0: "fermé", 1: "ouvert sur surpuissance", 2: "ouvert sur surtension",
        3: "ouvert sur délestage", 4: "ouvert sur ordre CPL ou Euridis",
        5: "ouvert sur surchauffe (I > Imax)", 6: "ouvert sur surchauffe (I < Imax)"},
        "organe de coupure {name}"),
    BitField("terminal_cover", 4, 1, "Cache-bornes distributeur", {0: "fermé", 1: "ouvert"},
             "cache-bornes distributeur ouvert"),
    BitField("overvoltage", 6, 1, "Surtension sur une phase", {0: "non", 1: "oui"},
             "surtension sur une phase"),
    BitField("reference_power_exceeded", 7, 1, "Dépassement de la puissance de référence",
             {0: "non", 1: "oui"}, "dépassement de la puissance de référence"),
    BitField("producer", 8, 1, "Fonctionnement", {0: "consommateur", 1: "producteur"},
             "{name}"),
    BitField("energy_negative", 9, 1, "Sens de l'énergie active", {0: "positive", 1: "négative"},
             "énergie active négative"),
    BitField("supplier_tariff", 10, 4, "Tarif en cours (fournisseur)", _SUPPLIER_INDEX,
             "tarif {index}", index=True),
    BitField("distributor_tariff", 14, 2, "Tarif en cours (distributeur)", _DISTRIBUTOR_INDEX,
             "index distributeur {index}", index=True),
    BitField("degraded_clock", 16, 1, "Horloge", {0: "correcte", 1: "mode dégradé"},
             "horloge dégradée"),
    BitField("standard_tic", 17, 1, "Mode TIC", {0: "historique", 1: "standard"},
             "mode TIC {name} impossible dans une trame standard", usual=1),
    BitField("euridis", 19, 2, "Sortie Euridis", {
        0: "désactivée", 1: "activée sans sécurité", 3: "activée avec sécurité"}),
    BitField("cpl_status", 21, 2, "Statut CPL", {
        0: "New/Unlock", 1: "New/Lock", 2: "Registered"}),
    BitField("cpl_synchronised", 23, 1, "Synchronisation CPL", {0: "non synchronisé",
                                                                 1: "synchronisé"}),
    BitField("tempo_today", 24, 2, "Couleur Tempo du jour", _TEMPO, "Tempo {name}"),
    BitField("tempo_tomorrow", 26, 2, "Couleur Tempo du lendemain", _TEMPO,
             "Tempo du lendemain {name}"),
    BitField("mobile_peak_notice", 28, 2, "Préavis pointe mobile", _PEAK,
             "préavis pointe mobile {name}"),
    BitField("mobile_peak_active", 30, 2, "Pointe mobile en cours", _PEAK,
             "pointe mobile {name}"),
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
        """Current supplier tariff index (NTARF): 1..10; 11..16 are impossible."""
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
        return [(f.label, f.value_name(self.fields[f.name])) for f in STGE_FIELDS]

    def summary(self, ntarf: int | None = None) -> str:
        """One French line: operation, breaker and supplier tariff, then every field that
        matters when it does (a set flag, a Tempo colour or mobile peak announced...), in
        bit order; an impossible value, an unused bit set and NTARF (``ntarf``, of the same
        frame) other than the supplier tariff index are said so."""
        return ", ".join(self.summary_items(ntarf))

    def summary_items(self, ntarf: int | None = None) -> list[str]:
        """The items of :meth:`summary` (none holds a comma)."""
        first = [FIELDS_BY_NAME[name] for name in SUMMARY_ALWAYS]
        rest = [f for f in STGE_FIELDS if f.name not in SUMMARY_ALWAYS]
        items = [f.summary_item(self.fields[f.name]) for f in (*first, *rest)]
        items += [f"bit {bit} (inutilisé) à 1 impossible" for bit in UNUSED_BITS
                  if self.value >> bit & 1]  # fmt: skip
        if ntarf is not None and ntarf != self.supplier_tariff_index:
            items.append(
                f"NTARF {ntarf} ≠ tarif STGE {self.supplier_tariff_index} (incohérent : "
                "NTARF = bits 10-13 + 1)"
            )
        return [item for item in items if item is not None]

    def as_json(self) -> dict[str, object]:
        """JSON form: the hex text and every field by name, in bit order; a tariff as its
        1-based index (``supplier_tariff_index`` 1..10 = NTARF, ``distributor_tariff_index``
        1..4), not its bits' 0-based value, so that no reader takes one for the other."""
        json: dict[str, object] = {"hex": self.hex}
        for f in STGE_FIELDS:
            value = self.fields[f.name]
            json.update({f"{f.name}_index": value + 1} if f.index else {f.name: value})
        return json
