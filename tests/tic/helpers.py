"""Builders shared by the TIC core tests."""

from __future__ import annotations

from linkytool.tic import DecodeError, Event, Frame, TicDecoder, TicMode, encode_frame

STANDARD_GROUPS: list[tuple[str, str | None, str]] = [
    ("ADSC", None, "041864123456"),
    ("VTIC", None, "02"),
    ("DATE", "E261120143200", ""),
    ("NGTF", None, "      BASE      "),
    ("LTARF", None, "      BASE      "),
    ("EAST", None, "001234567"),
    ("EASD01", None, "000000000"),
    ("IRMS1", None, "002"),
    ("URMS1", None, "232"),
    ("PREF", None, "06"),
    ("SINSTS", None, "00519"),
    ("SMAXSN", "E261120120000", "05706"),
    ("STGE", None, "003A0001"),
    ("MSG1", None, "PAS DE          MESSAGE         "),
    ("PRM", None, "30002345678901"),
    ("RELAIS", None, "000"),
    ("NTARF", None, "01"),
]

HISTORIQUE_GROUPS: list[tuple[str, str]] = [
    ("ADCO", "021528603314"),
    ("OPTARIF", "HC.."),
    ("ISOUSC", "15"),
    ("HCHC", "000723392"),
    ("HCHP", "001742238"),
    ("PTEC", "HP.."),
    ("IINST", "001"),
    ("IMAX", "002"),
    ("PAPP", "00180"),
    ("HHPHC", "A"),
    ("MOTDETAT", "000000"),
]


def standard_frame() -> bytes:
    """A clean standard frame (EASD01's checksum is a space)."""
    return encode_frame(STANDARD_GROUPS, TicMode.STANDARD)


def historique_frame() -> bytes:
    """A clean historique frame (HCHC and PTEC checksums are spaces)."""
    return encode_frame(HISTORIQUE_GROUPS, TicMode.HISTORIQUE)


def decode_whole(data: bytes) -> list[Event]:
    decoder = TicDecoder()
    decoder.feed(data)
    decoder.close()
    return list(decoder)


def decode_bytewise(data: bytes) -> list[Event]:
    decoder = TicDecoder()
    events: list[Event] = []
    for byte in data:
        decoder.feed(bytes((byte,)))
        events.extend(decoder)
    decoder.close()
    events.extend(decoder)
    return events


def frames_of(events: list[Event]) -> list[Frame]:
    return [event for event in events if isinstance(event, Frame)]


def errors_of(events: list[Event]) -> list[DecodeError]:
    return [event for event in events if isinstance(event, DecodeError)]


def with_parity_bit(data: bytes) -> bytes:
    """What an adapter opened 8N1 shows of 7E1 bytes: the even-parity bit as bit 7."""
    return bytes(b | 0x80 if bin(b).count("1") % 2 else b for b in data)
