"""The decision table (linkytool.ocr.policy): one rule decides, evidence outside the photo."""

from __future__ import annotations

from dataclasses import replace
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

from linkytool.ocr.crosscheck import CheckStatus, CrossCheck
from linkytool.ocr.evidence import with_evidence
from linkytool.ocr.policy import Candidate, Repair, Verdict, confidence, decide
from linkytool.ocr.result import PhotoReading, ScreenKind
from linkytool.ocr.settings import SETTINGS

PATH = Path("prm.jpg")
CLEAR = Candidate(ScreenKind.PRM, "30002345678901", margins=(3.0,) * 14)


def _reading(confident: bool) -> PhotoReading:
    return PhotoReading(PATH, ScreenKind.PRM, "30002345678901", 0.6, confident)


@pytest.mark.parametrize(
    ("candidate", "verdict", "rule"),
    [
        (CLEAR, Verdict.CONFIDENT, "clear"),
        (Candidate(ScreenKind.PRM, None), Verdict.NOT_A_VALUE, "no value"),
        (Candidate(ScreenKind.PRM, "1", margins=(1.4,)), Verdict.TO_CONFIRM, "thin margin"),
        (
            Candidate(ScreenKind.PRM, "1", margins=(3.0,), repairs=frozenset({Repair.FAINT})),
            Verdict.TO_CONFIRM,
            "repaired",
        ),
        (
            Candidate(ScreenKind.PRM, "1", margins=(3.0,), variants_agree=False),
            Verdict.TO_CONFIRM,
            "variants disagree",
        ),
        (
            Candidate(ScreenKind.PRM, "1", margins=(3.0,), title_certain=False),
            Verdict.TO_CONFIRM,
            "title uncertain",
        ),
    ],
)
def test_first_rule_that_holds_decides(candidate: Candidate, verdict: Verdict, rule: str) -> None:
    assert decide(candidate) == (verdict, rule)


def test_tic_disagreement_withdraws_confidence() -> None:
    check = CrossCheck("prm_tic", CheckStatus.MISMATCH, "…", PATH)
    reading = with_evidence(replace(_reading(True), confidence=0.95), [check])
    assert not reading.confident
    assert "ne concorde pas" in reading.warnings[0]
    # and the score shown beside it falls under the confident level with it
    assert reading.confidence <= SETTINGS.to_confirm_ceiling < SETTINGS.confident_level


@given(
    margins=st.lists(st.floats(0.0, 20.0), max_size=3).map(tuple),
    repairs=st.sets(st.sampled_from(list(Repair)), max_size=2).map(frozenset),
    variants_agree=st.booleans(),
    title_certain=st.booleans(),
)
def test_a_shown_score_reaches_the_confident_level_only_when_confident(
    margins: tuple[float, ...],
    repairs: frozenset[Repair],
    variants_agree: bool,
    title_certain: bool,
) -> None:
    # "à confirmer, 100 %" read as a contradiction: a repaired value kept its margin's score
    candidate = Candidate(
        ScreenKind.PRM, "12345678901234", margins=margins, repairs=repairs,
        variants_agree=variants_agree, title_certain=title_certain,
    )  # fmt: skip
    sure = decide(candidate)[0] is Verdict.CONFIDENT
    assert (confidence(candidate) >= SETTINGS.confident_level) == sure


def test_exif_disagreement_withdraws_confidence_of_that_photo_only() -> None:
    check = CrossCheck("date_exif", CheckStatus.MISMATCH, "…", Path("other.jpg"))
    assert with_evidence(_reading(True), [check]).confident


def test_tic_prm_equal_to_the_reading_is_proof() -> None:
    check = CrossCheck("prm_tic", CheckStatus.OK, "…", PATH)
    assert with_evidence(_reading(False), [check]).confident


def test_index_within_a_kwh_of_eait_is_not_proof_of_every_digit() -> None:
    reading = PhotoReading(PATH, ScreenKind.INJECTION_INDEX, "12", 0.6, False)
    check = CrossCheck("index_tic", CheckStatus.OK, "…", PATH)
    assert not with_evidence(reading, [check]).confident


def test_the_reader_decides_through_the_policy_table(
    synth_photo, monkeypatch: pytest.MonkeyPatch, session_readings
) -> None:  # type: ignore[no-untyped-def]
    """The policy is the one place that decides: a table with a stricter first rule makes
    a clear photo "to confirm", with no other change to the reader. The photo is
    ``test_reader.py``'s first: its reading by the reader as it is, the session's
    (``SessionReadings``, issue 14)."""
    from linkytool.ocr import policy, read_photo
    from ocrsynth import PhotoSpec

    path, truth = synth_photo(PhotoSpec(scene="prm", level="easy", size=(1600, 1200)), 3)
    assert session_readings(path).confident
    never = policy.Rule("never sure", lambda c, s: True, Verdict.TO_CONFIRM)
    monkeypatch.setattr(policy, "RULES", (never, *policy.RULES))
    reading = read_photo(path)
    assert reading.value == truth["value"]
    assert not reading.confident


def test_the_vote_hands_the_policy_one_typed_candidate() -> None:
    """Each variant's value is typed (cells, margin, repairs, rule); the vote elects the
    value most variants read, a tie going to the best-fitting digits, and keeps every
    variant's margin and repair for the policy."""
    from linkytool.ocr.voting import VariantValue, vote

    cells = ((1, 2), (1, 3))
    first = VariantValue("42", cells, 2.0, frozenset({Repair.FAINT}), cost=1.0, rule="index")
    second = VariantValue("47", cells, 1.0, cost=0.5, rule="index alone")
    unread = VariantValue(None, cells, None, frozenset({Repair.UNFAMILIAR_DIGITS}))
    candidate = vote(ScreenKind.INJECTION_INDEX, [first, second, unread], title_certain=True)
    assert candidate is not None
    assert (candidate.value, candidate.rule, candidate.cells) == ("47", "index alone", cells)
    assert candidate.margins == (2.0, 1.0) and not candidate.variants_agree
    assert candidate.repairs == {Repair.FAINT, Repair.UNFAMILIAR_DIGITS}
    assert decide(candidate) == (Verdict.TO_CONFIRM, "variants disagree")
    assert vote(ScreenKind.INJECTION_INDEX, [unread], title_certain=True) is None
