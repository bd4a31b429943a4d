"""Typed values of TIC groups: meter address, relays, day profiles, and the typing table.

:func:`typed_value` turns a group's raw data into the value its label's
:class:`~linkytool.tic.labels.ValueKind` asks for. Text that does not parse stays a string
(the raw text) -- never a silently wrong number.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import date, datetime

from linkytool.tic.horodate import Horodate
from linkytool.tic.labels import LabelSpec, ValueKind
from linkytool.tic.stge import StatusRegister

#: Meter makers by ADSC/ADCO code (Euridis list of manufacturer identifiers).
MAKERS: dict[str, str] = {
    "01": "Crouzet / Monetel",
    "02": "Sagem / Sagemcom",
    "03": "Schlumberger / Actaris / Itron",
    "04": "Landis+Gyr / Siemens Metering",
    "05": "Sauter / Stepper Energie / Zellweger",
    "06": "Itron",
    "07": "MAEC",
    "08": "Matra-Chauvin Arnoux / Enerdis",
    "09": "Faure-Herman",
    "10": "Sevme / SIS",
    "11": "Magnol / Elster / Honeywell",
    "12": "Gaz Thermique",
    "14": "Ghielmetti / Dialog E.S. / Micronique",
    "15": "Mecelec",
    "16": "Legrand / Baco",
    "17": "Serd-Schlumberger",
    "18": "Schneider / Merlin Gerin / Gardy",
    "19": "General Electric / Power Control",
    "20": "Nuovo Pignone / Dresser",
    "21": "SCLE",
    "22": "EDF",
    "23": "GDF / GDF-Suez",
    "24": "Hager / General Electric",
    "25": "Delta Dore",
    "26": "Riz",
    "27": "Iskraemeco",
    "28": "GMT",
    "29": "Analog Devices",
    "30": "Michaud",
    "31": "Hexing Electrical",
    "32": "Siame",
    "33": "Larsen & Toubro",
    "34": "Elster / Honeywell",
    "35": "Electronic Afzar Azma",
    "36": "Advanced Electronic Company",
    "37": "AEM",
    "38": "Zhejiang Chint Instrument & Meter",
    "39": "ZIV",
    "70": "Landis+Gyr (export ou régie)",
    "71": "Stepper Energie (export ou régie)",
    "81": "Sagem / Sagemcom (outre-mer)",
    "82": "Landis+Gyr (outre-mer)",
    "83": "Elster / Honeywell (outre-mer)",
    "84": "Sagem / Sagemcom (outre-mer)",
    "85": "Itron (outre-mer)",
}

#: Meter types by ADSC/ADCO code: (French description, number of phases). 60-76 are
#: Linky generations; 67/68 the G1 pilot meters (SINST1, SMAXN labels); 28/30 pre-Linky
#: electronic "bleu" meters (historique only). Codes 28, 30, 60, 67, 68: from openHAB's
#: transcription of Enedis' appliance-type table (openhab/openhab-addons,
#: bundles/org.openhab.binding.linky/.../types/Compteur.java, 780c8f00), not checked
#: against the Enedis document itself.
METER_TYPES: dict[str, tuple[str, int]] = {
    "28": ("compteur bleu électronique monophasé multitarif, palier 2007 (avant Linky)", 1),
    "30": ("compteur bleu électronique triphasé, palier 2007 (avant Linky)", 3),
    "60": ("Linky monophasé 60 A G1, arrivée puissance basse", 1),
    "61": ("Linky monophasé 60 A G3, arrivée puissance haute", 1),
    "62": ("Linky monophasé 90 A G1, arrivée puissance basse", 1),
    "63": ("Linky triphasé 60 A G1, arrivée puissance basse", 3),
    "64": ("Linky monophasé 60 A G3, arrivée puissance basse", 1),
    "67": ("Linky monophasé 90 A pilote G1, arrivée puissance basse", 1),
    "68": ("Linky triphasé 60 A pilote G1, arrivée puissance basse", 3),
    "70": ("Linky monophasé 60 A G3, mise au point", 1),
    "71": ("Linky triphasé 60 A G3, mise au point", 3),
    "75": ("Linky monophasé 90 A G3, arrivée puissance basse", 1),
    "76": ("Linky triphasé 60 A G3, arrivée puissance basse", 3),
}


@dataclass(frozen=True, slots=True)
class MeterAddress:
    """ADSC/ADCO: maker (2 digits) + year (2) + meter type (2) + serial (6)."""

    raw: str
    maker_code: str
    maker: str | None
    #: Year of manufacture [calendar year].
    year: int
    type_code: str
    type_name: str | None
    #: 1 or 3 when the type table knows the meter type, else None.
    phases: int | None
    serial: str

    @classmethod
    def parse(cls, raw: str) -> MeterAddress | None:
        """Decode a 12-digit address; None when ``raw`` is not 12 digits."""
        if len(raw) != 12 or not raw.isdigit():
            return None
        maker_code, year, type_code, serial = raw[0:2], raw[2:4], raw[4:6], raw[6:]
        type_info = METER_TYPES.get(type_code)
        return cls(
            raw=raw,
            maker_code=maker_code,
            maker=MAKERS.get(maker_code),
            year=2000 + int(year),
            type_code=type_code,
            type_name=type_info[0] if type_info else None,
            phases=type_info[1] if type_info else None,
            serial=serial,
        )

    def __str__(self) -> str:
        return self.raw

    def year_in_future(self, today: date) -> bool:
        """True when the manufacturing year is after ``today``'s: the address was
        anonymised (``123456789012`` reads as 2034) or misread; never show it as fact."""
        return self.year > today.year

    def as_json(self) -> dict[str, object]:
        """JSON form."""
        return {
            "raw": self.raw,
            "maker_code": self.maker_code,
            "maker": self.maker,
            "year": self.year,
            "type_code": self.type_code,
            "type": self.type_name,
            "phases": self.phases,
            "serial": self.serial,
        }


@dataclass(frozen=True, slots=True)
class Relays:
    """RELAIS: decimal bitmask of 8 relays, relay n is 2^(n-1), closed = 1."""

    value: int

    @property
    def closed(self) -> tuple[int, ...]:
        """Numbers (1..8) of the closed relays."""
        return tuple(n for n in range(1, 9) if self.value & (1 << (n - 1)))

    def as_json(self) -> dict[str, object]:
        """JSON form."""
        return {"value": self.value, "closed": list(self.closed)}


@dataclass(frozen=True, slots=True)
class ProfileBlock:
    """One block ``HHMMSSSS`` of a day profile: start time and 16-bit action."""

    start: str  # "HH:MM"
    action: int

    @property
    def supplier_index(self) -> int:
        """Bits 0-3: supplier tariff index (0 = no change)."""
        return self.action & 0x0F

    @property
    def virtual_contacts(self) -> int:
        """Bits 4-10: virtual contacts 1..7 as a bitmask."""
        return (self.action >> 4) & 0x7F

    @property
    def dry_contact(self) -> int:
        """Bits 14-15: dry contact command."""
        return (self.action >> 14) & 0x03

    def as_json(self) -> dict[str, object]:
        """JSON form."""
        return {
            "start": self.start,
            "action": f"{self.action:04X}",
            "supplier_index": self.supplier_index,
            "virtual_contacts": self.virtual_contacts,
            "dry_contact": self.dry_contact,
        }


@dataclass(frozen=True, slots=True)
class DayProfile:
    """PJOURF+1 / PPOINTE: the used blocks of the 11 (``NONUTILE`` blocks are dropped)."""

    blocks: tuple[ProfileBlock, ...]

    @classmethod
    def parse(cls, raw: str) -> DayProfile | None:
        """Decode the space-separated blocks; None when one block is malformed."""
        blocks = []
        for token in raw.split():
            if token == "NONUTILE":
                continue
            if len(token) != 8 or not token[:4].isdigit():
                return None
            try:
                action = int(token[4:], 16)
            except ValueError:
                return None
            blocks.append(ProfileBlock(f"{token[0:2]}:{token[2:4]}", action))
        return cls(tuple(blocks))

    def as_json(self) -> list[dict[str, object]]:
        """JSON form."""
        return [block.as_json() for block in self.blocks]


def _int(raw: str) -> object:
    return int(raw) if raw.isdigit() else raw


def _hex(raw: str) -> object:
    try:
        return int(raw, 16)
    except ValueError:
        return raw


def _status(raw: str) -> object:
    try:
        return StatusRegister.from_hex(raw)
    except ValueError:
        return raw


def _relays(raw: str) -> object:
    return Relays(int(raw)) if raw.isdigit() else raw


def _or_raw(parsed: object, raw: str) -> object:
    return raw if parsed is None else parsed


#: ValueKind -> parser of the raw data text (the horodate is handled separately).
PARSERS: dict[ValueKind, Callable[[str], object]] = {
    ValueKind.INT: _int,
    ValueKind.TEXT: str.strip,
    ValueKind.STATUS: _status,
    ValueKind.ADDRESS: lambda raw: _or_raw(MeterAddress.parse(raw), raw),
    ValueKind.PRM: lambda raw: raw,
    ValueKind.RELAYS: _relays,
    ValueKind.DAY_PROFILE: lambda raw: _or_raw(DayProfile.parse(raw), raw),
    ValueKind.HEX: _hex,
}


def typed_value(raw: str, spec: LabelSpec | None, horodate: Horodate | None) -> object:
    """The typed value of a group: unknown labels keep their raw text."""
    if spec is None:
        return raw
    if spec.kind is ValueKind.DATE:
        return horodate.time if horodate is not None else None
    return PARSERS[spec.kind](raw)


def value_to_json(value: object) -> object:
    """JSON-ready form of a typed value (structured values expose ``as_json``)."""
    as_json = getattr(value, "as_json", None)
    if callable(as_json):
        return as_json()
    if isinstance(value, datetime):
        return value.isoformat()
    return value
