"""The one place that decides: confident, to confirm, or not a value (pure, table-driven).

The stages before this one (cells, title, grammar, variant voting) only emit a
:class:`~linkytool.ocr.candidate.Candidate`. :func:`decide` walks :data:`RULES` in
order; the first rule that holds decides (remarks come from the candidate's repairs).
Nothing else in the reader sets ``confident``; evidence from outside the photo speaks
afterwards (:mod:`linkytool.ocr.evidence`).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from enum import StrEnum

from linkytool.ocr.candidate import REPAIR_REMARKS, Candidate, Repair, remarks
from linkytool.ocr.settings import SETTINGS, Settings


class Verdict(StrEnum):
    """What the reader says of a value."""

    CONFIDENT = "confident"
    TO_CONFIRM = "to_confirm"
    NOT_A_VALUE = "not_a_value"


Predicate = Callable[[Candidate, Settings], bool]


@dataclass(frozen=True)
class Rule:
    """When ``holds``, the value gets ``verdict`` (remarks come from the repairs)."""

    name: str
    holds: Predicate
    verdict: Verdict


#: No rule trusts the template glyph sets agreeing (ocrY's ``corroborated``, stop 32,
#: withdrawn with its evidence at stop 33): the lead's safety seed 86532 found it
#: confidently wrong, plain hard photo 2, a PRM's 9 read 4 by every set alike
#: (``tests/ocr/test_corroborated.py``).

#: The decision, in order: the first rule that holds decides. Readable in one screen.
RULES: tuple[Rule, ...] = (
    Rule("no value", lambda c, s: c.value is None, Verdict.NOT_A_VALUE),
    Rule("variants disagree", lambda c, s: not c.variants_agree, Verdict.TO_CONFIRM),
    Rule("title uncertain", lambda c, s: not c.title_certain, Verdict.TO_CONFIRM),
    Rule("repaired", lambda c, s: bool(c.repairs), Verdict.TO_CONFIRM),
    Rule("thin margin", lambda c, s: c.margin < s.confident_margin, Verdict.TO_CONFIRM),
    Rule("clear", lambda c, s: True, Verdict.CONFIDENT),
)


def decide(candidate: Candidate, settings: Settings = SETTINGS) -> tuple[Verdict, str]:
    """(verdict, name of the deciding rule) of ``candidate``."""
    for rule in RULES:
        if rule.holds(candidate, settings):
            return rule.verdict, rule.name
    raise AssertionError("the last rule always holds")


def confidence(candidate: Candidate, settings: Settings = SETTINGS) -> float:
    """A 0..1 score for display: the margin scaled so the confident threshold maps to
    ``settings.confident_level``, lowered when variants disagree or the title is
    uncertain, and under that level whenever :func:`decide` does not say confident
    (:func:`shown_confidence`)."""
    level = candidate.margin / settings.confident_margin * settings.confident_level
    score = min(1.0, max(0.0, level))
    score *= (1.0 if candidate.variants_agree else settings.disagree_factor) * (
        1.0 if candidate.title_certain else settings.uncertain_title_factor
    )
    sure = decide(candidate, settings)[0] is Verdict.CONFIDENT
    return shown_confidence(score, sure, settings)


def shown_confidence(score: float, confident: bool, settings: Settings = SETTINGS) -> float:
    """The 0..1 ``score`` shown beside a value: kept when it is ``confident``, else at
    most ``settings.to_confirm_ceiling``, so a shown score reaches the confident level
    only for a value the reader (or the TIC) vouches for."""
    return score if confident else min(score, settings.to_confirm_ceiling)


__all__ = [
    "REPAIR_REMARKS",
    "RULES",
    "Candidate",
    "Repair",
    "Rule",
    "Verdict",
    "confidence",
    "decide",
    "remarks",
    "shown_confidence",
]
