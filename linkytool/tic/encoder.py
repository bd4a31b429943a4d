"""Encode TIC groups and frames: the inverse of the decoder.

Used by the simulator, the property tests and the benchmark. The checksum follows the
mode's rule unless a method is given (historique meters that use method 2 exist).
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping

from linkytool.tic.checksum import ChecksumMethod, checksum_of
from linkytool.tic.labels import SEPARATOR, TicMode
from linkytool.tic.model import Group

STX, ETX = b"\x02", b"\x03"

#: What encode_frame accepts per group: a Group, (label, data) or (label, horodate, data).
GroupSpec = Group | tuple[str, str] | tuple[str, str | None, str]


def _check_text(text: str, what: str, *, allow_space: bool) -> None:
    """The protocol carries printable ASCII only (0x20..0x7E), separators excluded."""
    if any(not " " <= char <= "~" for char in text):
        raise ValueError(f"{what} must be printable ASCII: {text!r}")
    if not allow_space and " " in text:
        raise ValueError(f"{what} must not hold a space: {text!r}")


def encode_group(
    label: str,
    data: str,
    mode: TicMode,
    *,
    horodate: str | None = None,
    method: ChecksumMethod | None = None,
) -> bytes:
    """``LF label SEP [horodate SEP] data SEP checksum CR`` as bytes.

    Raises ValueError for text the protocol cannot carry (control characters, a space in
    a label, a horodate in historique mode).
    """
    _check_text(label, "label", allow_space=False)
    if not label:
        raise ValueError("empty label")
    _check_text(data, "data", allow_space=True)
    separator = chr(SEPARATOR[mode])
    if horodate is not None:
        if mode is TicMode.HISTORIQUE:
            raise ValueError("historique groups carry no horodate")
        _check_text(horodate, "horodate", allow_space=True)
        payload = f"{label}{separator}{horodate}{separator}{data}{separator}"
    else:
        payload = f"{label}{separator}{data}{separator}"
    encoded = payload.encode("ascii")
    if method is None:
        method = ChecksumMethod.METHOD_2 if mode is TicMode.STANDARD else ChecksumMethod.METHOD_1
    summed = encoded if method is ChecksumMethod.METHOD_2 else encoded[:-1]
    return b"\n" + encoded + bytes((checksum_of(summed),)) + b"\r"


def _as_tuple(item: GroupSpec) -> tuple[str, str | None, str, ChecksumMethod | None]:
    if isinstance(item, Group):
        horodate = item.horodate.raw if item.horodate is not None else None
        return item.label, horodate, item.raw, item.checksum_method
    if len(item) == 2:
        return item[0], None, item[1], None
    label, horodate, data = item
    return label, horodate, data, None


def encode_frame(groups: Iterable[GroupSpec] | Mapping[str, Group | str], mode: TicMode) -> bytes:
    """``STX group... ETX``; ``groups`` in sending order (a mapping label -> data/Group,
    or an iterable of Group / (label, data) / (label, horodate, data))."""
    items: Iterable[GroupSpec]
    if isinstance(groups, Mapping):
        items = [
            value if isinstance(value, Group) else (label, value) for label, value in groups.items()
        ]
    else:
        items = groups
    parts = [STX]
    for item in items:
        label, horodate, data, method = _as_tuple(item)
        parts.append(encode_group(label, data, mode, horodate=horodate, method=method))
    parts.append(ETX)
    return b"".join(parts)
