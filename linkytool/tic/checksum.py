"""TIC group checksums (Enedis-NOI-CPT_54E §6.2.2 and §5.3.6).

checksum = (S & 0x3F) + 0x20, a printable character from 0x20 to 0x5F.

- method 1 (historique): S runs from the first byte of the label through the last byte of
  the data, the separator before the checksum excluded;
- method 2 (standard, and some historique meters/dongles): S runs through the separator
  just before the checksum, included.

Both sums differ by the separator's value, so one ``sum()`` over the group gives both.
"""

from __future__ import annotations

from enum import StrEnum


class ChecksumMethod(StrEnum):
    """Which checksum rule a group satisfied."""

    #: Historique rule: the separator before the checksum is excluded from the sum.
    METHOD_1 = "method1"
    #: Standard rule: the separator before the checksum is included in the sum.
    METHOD_2 = "method2"


def checksum_of(payload: bytes) -> int:
    """Checksum character (as an int) of ``payload``: ``(sum & 0x3F) + 0x20``."""
    return (sum(payload) & 0x3F) + 0x20


def checksum_method1(label_to_data: bytes) -> int:
    """Historique checksum of ``label SP data`` (the SP before the checksum excluded)."""
    return checksum_of(label_to_data)


def checksum_method2(label_to_separator: bytes) -> int:
    """Standard checksum of ``label SEP [horodate SEP] data SEP`` (last SEP included)."""
    return checksum_of(label_to_separator)


def method_from_sum(
    payload_sum: int, check: int, separator: int, *, allow_method1: bool
) -> ChecksumMethod | None:
    """Which method makes ``check`` the checksum of a group whose bytes from the label
    through the separator before the checksum sum to ``payload_sum``."""
    if (payload_sum & 0x3F) + 0x20 == check:
        return ChecksumMethod.METHOD_2
    if allow_method1 and ((payload_sum - separator) & 0x3F) + 0x20 == check:
        return ChecksumMethod.METHOD_1
    return None


def matching_method(line: bytes, separator: int, *, allow_method1: bool) -> ChecksumMethod | None:
    """Which method validates ``line`` (a group without LF/CR, checksum last), if any.

    ``line[-2]`` must be the separator; ``allow_method1`` is True in historique mode only.
    """
    if len(line) < 3 or line[-2] != separator:
        return None
    check = line[-1]
    return method_from_sum(sum(line) - check, check, separator, allow_method1=allow_method1)
