"""Identifier checks: PRM (14 digits) and SIRET (Luhn key, La Poste exception).

Sources (see docs/automes.md, "Identifier validation"): the PRM has no public check digit,
so only its shape is checked here and its consistency across readings elsewhere; a SIRET
is 14 digits whose Luhn sum is a multiple of 10, except La Poste's establishments (SIREN
356000000) whose digit sum is a multiple of 5.
"""

from __future__ import annotations

import re

#: ASCII digits only: "\\d" would accept fullwidth or Arabic-Indic digits.
PRM_PATTERN = re.compile(r"^[0-9]{14}$")
SIRET_PATTERN = re.compile(r"^[0-9]{14}$")
LA_POSTE_SIREN = "356000000"


def normalise_digits(text: str) -> str:
    """Remove the spaces, dots and dashes people type inside long numbers."""
    return re.sub(r"[\s.\-]", "", text)


def is_valid_prm(text: str) -> bool:
    """True when ``text`` is a 14-digit PRM (no check digit exists)."""
    return bool(PRM_PATTERN.match(text))


def luhn_sum(digits: str) -> int:
    """Luhn sum of ``digits`` (every second digit from the right doubled, 9 subtracted)."""
    total = 0
    for position, char in enumerate(reversed(digits)):
        value = int(char)
        if position % 2 == 1:
            value *= 2
            if value > 9:
                value -= 9
        total += value
    return total


def is_valid_siret(text: str) -> bool:
    """True when ``text`` is a 14-digit SIRET with a correct Luhn key (or La Poste rule)."""
    if not SIRET_PATTERN.match(text):
        return False
    if luhn_sum(text) % 10 == 0:
        return True
    # La Poste's establishments share one SIREN and follow a digit-sum rule instead (the
    # head office 356 000 000 00048 still satisfies Luhn).
    return text.startswith(LA_POSTE_SIREN) and sum(int(char) for char in text) % 5 == 0
