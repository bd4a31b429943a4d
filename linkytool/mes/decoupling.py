"""Decoupling protection: setting-name normalisation table and the decoupling test record.

Both are pure. The setting table is data (docs/automes.md, "Decoupling test protocol"):
inverter grid-code names accepted as VFR 2019 (51.5 Hz), names of older French settings
that must be warned about, and the EN 50549-1 French setting accepted for connection
requests from 2025. The test evaluation compares the measured delay with a configurable
threshold (5 s by default: DIN VDE 0126-1-1 islanding limit, a number the procedure
itself does not give).
"""

from __future__ import annotations

import copy
import re
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from enum import StrEnum
from typing import Any

from linkytool.mes.model import DecouplingTest, Dossier
from linkytool.mes.schema import to_paris
from linkytool.textfmt import french_date, french_datetime, french_duration, french_number

#: Over-frequency decoupling threshold required by VFR 2019 [Hz].
VFR2019_OVERFREQUENCY_HZ = 51.5
#: Default maximum delay between opening the Enedis breaker and decoupling [s].
DEFAULT_MAX_DECOUPLING_DELAY_S = 5.0
#: Largest gap tolerated between the stopwatch delay and the noted times [s] (times are
#: noted to the second, by a person watching two things at once).
TIMES_TOLERANCE_S = 2.0
#: Largest gap between the test and the commissioning: the procedure asks for the test
#: "lors de cette MES", so a test a day or more away belongs to another visit.
MAX_TEST_DISTANCE = timedelta(hours=12)
#: Clock tolerance between two times typed by people [min]: the photographed « Date
#: courante » and the commissioning time (``CheckSettings.max_commissioning_gap_min``),
#: and how much earlier than the commissioning the coupling may be noted.
DEFAULT_COMMISSIONING_GAP_MIN = 15.0


class SettingVerdict(StrEnum):
    """What a setting name says about VFR 2019 compliance."""

    ACCEPTED = "accepted"
    WARNED = "warned"
    UNKNOWN = "unknown"


@dataclass(frozen=True)
class SettingPattern:
    """One row of the setting-name table."""

    pattern: str  # regular expression, matched case-insensitively anywhere in the name
    verdict: SettingVerdict
    meaning: str  # French explanation shown to the user
    overfrequency_hz: float | None  # threshold the setting implies, when known


#: Inverter setting names, most specific first. Sources: automes.md (makers' manuals).
SETTING_PATTERNS: tuple[SettingPattern, ...] = (
    SettingPattern(
        r"VFR\s?-?_?2019",
        SettingVerdict.ACCEPTED,
        "réglage VFR 2019 (découplage à 51,5 Hz) : Enphase « EN 50549-1:2019 VFR2019 France », "
        "Fox ESS « VFR2019_FR », Solplanet « VDE0126/VFR2019 IS (50Hz) », Hoymiles « VFR2019 »",
        51.5,
    ),
    SettingPattern(
        r"(NF[_\s-]?EN[_\s-]?50549)|(EN[_\s-]?50549(-1)?[_\s:-]*(2019)?[_\s-]*FR)",
        SettingVerdict.ACCEPTED,
        "réglage NF EN 50549-1 français (remplace DIN VDE 0126-1-1 pour les demandes de "
        "raccordement à partir de 2025)",
        51.5,
    ),
    SettingPattern(
        r"VFR\s?-?_?2013",
        SettingVerdict.WARNED,
        "ancien réglage VFR 2013 (découplage à 50,4 Hz et non 51,5 Hz)",
        50.4,
    ),
    SettingPattern(
        r"VFR\s?-?_?2014",
        SettingVerdict.WARNED,
        "ancien réglage VFR 2014 (découplage à 50,6 Hz et non 51,5 Hz ; code SMA 7527)",
        50.6,
    ),
    SettingPattern(
        r"UTE\s?C\s?15-?712",
        SettingVerdict.WARNED,
        "réglage UTE C 15-712-1 (Huawei) : le seuil de surfréquence n'est pas garanti à 51,5 Hz, "
        "relevez la valeur réglée dans l'onduleur",
        None,
    ),
    SettingPattern(
        r"VDE\s?-?0126(-1-1)?",
        SettingVerdict.WARNED,
        "réglage VDE 0126-1-1 d'origine (découplage à 50,2 Hz), pas la version VFR 2019",
        50.2,
    ),
)


@dataclass(frozen=True)
class DecouplingStandard:
    """One decoupling standard the auto-MES accepts: its accepted spellings (a standard
    and a version, compared by :func:`spelling_key`), and what the installer declares."""

    names: tuple[str, ...]  # the standard as it may be typed (the first is shown)
    versions: tuple[str, ...]  # its version as it may be typed ("" for none)
    declared: str  # French: what the attestation's declaration says is set
    #: First connection-request date it is accepted for (None: any date).
    from_request: date | None = None

    def accepts(self, key: str) -> bool:
        """Whether ``key`` (:func:`spelling_key` of « standard version ») names this row."""
        return any(
            spelling_key(f"{name} {version}") == key
            for name in self.names
            for version in self.versions
        )

    def spellings(self) -> str:
        """French: the accepted spelling, for a refusal (« « DIN VDE 0126-1-1 » version
        « 2013-08 » ou « 2013-08 VFR 2019 » »)."""
        versions = " ou ".join(f"« {version} »" for version in self.versions if version)
        if "" in self.versions:
            versions = f"{versions} ou sans version" if versions else "sans version"
        return f"« {self.names[0]} » version {versions}"


def spelling_key(text: str) -> str:
    """``text`` without case, spaces nor punctuation: « DIN VDE 0126-1-1:2013-08 » and
    « din vde 0126-1-1 2013 08 » are one spelling."""
    return re.sub(r"[^0-9A-Z]", "", text.upper())


#: Accepted standards, with the exact spellings accepted (tolerant to case, spaces and
#: punctuation only). The procedure (16/04/2020) names only « la prénorme DIN VDE
#: 0126-1-1:2013-08 version VFR 2019 (découplage à 51,5 Hz) »; NF EN 50549-1 with the
#: French settings replaces it for connection requests from 2025 (automes.md, a
#: secondary source: the installer checks it). Anything else (VFR 2013 or 2014, the
#: original 0126-1-1, EN 50549-2...) is refused.
DECOUPLING_STANDARDS: tuple[DecouplingStandard, ...] = (
    DecouplingStandard(
        ("DIN VDE 0126-1-1", "DIN V VDE V 0126-1-1", "VDE 0126-1-1"),
        ("2013-08", "2013-08 VFR 2019", "2013-08 version VFR 2019", "VFR 2019"),
        "la prénorme DIN VDE 0126-1-1:2013-08 version VFR 2019 (découplage à 51,5 Hz)",
    ),
    DecouplingStandard(
        ("NF EN 50549-1", "EN 50549-1"),
        ("", "2019"),
        "la norme NF EN 50549-1 avec les réglages français (découplage à 51,5 Hz), admise à "
        "la place de la DIN VDE 0126-1-1:2013-08 version VFR 2019 pour les demandes de "
        "raccordement à partir de 2025",
        date(2025, 1, 1),
    ),
)


def decoupling_standard(standard: str, version: str) -> DecouplingStandard | None:
    """The accepted standard the typed ``standard`` and ``version`` name, if any: one of
    its spellings exactly (:data:`DECOUPLING_STANDARDS`)."""
    key = spelling_key(f"{standard} {version}")
    return next((row for row in DECOUPLING_STANDARDS if row.accepts(key)), None)


def accepted_standards() -> str:
    """French: the standards and spellings accepted, for a refusal."""
    return " ; ".join(
        row.spellings()
        + (
            f" (demandes de raccordement à partir du {french_date(row.from_request)})"
            if row.from_request
            else ""
        )
        for row in DECOUPLING_STANDARDS
    )


@dataclass(frozen=True)
class SettingAssessment:
    """The verdict on one inverter setting name."""

    name: str
    verdict: SettingVerdict
    meaning: str
    overfrequency_hz: float | None


def assess_setting_name(name: str) -> SettingAssessment:
    """Classify an inverter grid-code setting name against the table (first match wins)."""
    for row in SETTING_PATTERNS:
        if re.search(row.pattern, name, flags=re.IGNORECASE):
            return SettingAssessment(name, row.verdict, row.meaning, row.overfrequency_hz)
    return SettingAssessment(
        name,
        SettingVerdict.UNKNOWN,
        "réglage inconnu de linkytool : vérifiez dans la notice de l'onduleur qu'il "
        "correspond à VFR 2019 (découplage à 51,5 Hz)",
        None,
    )


@dataclass(frozen=True)
class DecouplingTestResult:
    """Outcome of the decoupling test record."""

    complete: bool  # every field needed to judge is filled in
    passed: bool
    delay_s: float | None  # breaker opened -> decoupling seen [s]
    threshold_s: float
    problems: tuple[str, ...]  # French, empty when passed
    missing: tuple[str, ...]  # French names of the missing fields


def decoupling_delay_s(test: DecouplingTest) -> float | None:
    """Measured delay [s]: the stopwatch value when given, else decoupled - breaker opened."""
    if test.delay_s is not None:
        return test.delay_s
    if test.breaker_opened_at is not None and test.decoupled_at is not None:
        return (test.decoupled_at - test.breaker_opened_at).total_seconds()
    return None


def evaluate_decoupling_test(
    test: DecouplingTest,
    *,
    max_delay_s: float = DEFAULT_MAX_DECOUPLING_DELAY_S,
    commissioned_at: datetime | None = None,
    clock_tolerance_min: float = DEFAULT_COMMISSIONING_GAP_MIN,
) -> DecouplingTestResult:
    """Judge a decoupling test record: done, decoupling seen with a message, in time, and
    (when ``commissioned_at`` is given) during this commissioning: after it (the
    procedure's test is « lors de cette MES : après couplage de l'installation », the MES
    being the closing of the breaker), ``clock_tolerance_min`` earlier at most, and not
    :data:`MAX_TEST_DISTANCE` later."""
    missing: list[str] = []
    if test.coupled_at is None:
        missing.append("heure de couplage (decoupling_test.coupled_at)")
    if test.breaker_opened_at is None:
        missing.append(
            "heure d'ouverture du disjoncteur Enedis (decoupling_test.breaker_opened_at)"
        )
    if test.decoupled_at is None and test.delay_s is None:
        missing.append("heure du découplage ou délai chronométré (decoupling_test.decoupled_at)")
    if not test.message:
        missing.append("message affiché par l'onduleur (decoupling_test.message)")
    delay = decoupling_delay_s(test)
    problems: list[str] = []
    if (
        test.coupled_at is not None
        and test.breaker_opened_at is not None
        and test.breaker_opened_at < test.coupled_at
    ):
        problems.append("le disjoncteur a été ouvert avant le couplage de l'installation")
    if (
        test.delay_s is not None
        and test.breaker_opened_at is not None
        and test.decoupled_at is not None
    ):
        from_times = (test.decoupled_at - test.breaker_opened_at).total_seconds()
        if abs(from_times - test.delay_s) > TIMES_TOLERANCE_S:
            problems.append(
                f"délai chronométré ({french_number(test.delay_s)} s) incohérent avec les "
                f"heures notées ({french_number(from_times)} s) : corrigez l'un ou l'autre"
            )
    if delay is not None and delay < 0:
        problems.append(
            f"le découplage ({french_number(delay, '.1f')} s) précède l'ouverture du disjoncteur"
        )
    elif delay is not None and delay > max_delay_s:
        shown = french_number(delay, ".1f")
        limit = french_number(max_delay_s)
        problems.append(
            f"découplage en {shown} s, au-delà du seuil de {limit} s réglé dans linkytool"
        )
    early = coupled_before_commissioning(test, commissioned_at, clock_tolerance_min)
    if early is not None:
        problems.append(early)
    distance = decoupling_test_distance(test, commissioned_at)
    if early is None and distance is not None and distance > MAX_TEST_DISTANCE:
        moment = test.breaker_opened_at or test.coupled_at
        assert moment is not None and commissioned_at is not None
        problems.append(
            f"essai du {_when(moment)}, mise en service du {_when(commissioned_at)} : "
            "l'essai doit être fait lors de cette mise en service"
        )
    if not test.decoupling_seen and not missing:
        problems.append("le découplage n'a pas été constaté sur l'écran de l'onduleur")
    complete = not missing
    return DecouplingTestResult(
        complete=complete,
        passed=complete and not problems and test.decoupling_seen,
        delay_s=delay,
        threshold_s=max_delay_s,
        problems=tuple(problems),
        missing=tuple(missing),
    )


def _when(moment: datetime, *, seconds: bool = False) -> str:
    """« 20/11/2026 à 14:32 » (« 14:32:05 » with ``seconds``), Paris time."""
    return french_datetime(to_paris(moment), seconds=seconds, joiner=" à ")


def exact_duration(seconds: float) -> str:
    """A gap between two noted times, to the second when it is not whole minutes
    (« 15 min 01 s », « 16 min », « 40 s »): a refusal beyond a tolerance in minutes
    must show the excess, never « 15 min » against a 15 min tolerance."""
    minutes, rest = divmod(round(abs(seconds)), 60)
    if rest == 0:
        return french_duration(minutes)
    if minutes == 0:
        return f"{rest} s"
    return f"{french_duration(minutes)} {rest:02d} s"


def with_seconds(*moments: datetime) -> bool:
    """Whether times are to be shown to the second: one of them has seconds."""
    return any(moment.second for moment in moments)


def coupled_before_commissioning(
    test: DecouplingTest,
    commissioned_at: datetime | None,
    tolerance_min: float = DEFAULT_COMMISSIONING_GAP_MIN,
) -> str | None:
    """Why the test was not done after the commissioning (French), or None.

    The commissioning is the closing of the breaker; the test comes after it (coupling,
    then opening the Enedis breaker). A coupling (else a breaker opening) noted more than
    ``tolerance_min`` before the commissioning time belongs to an earlier trial, not to
    this MES: both times are typed by people, hence the tolerance."""
    moment = test.coupled_at or test.breaker_opened_at
    if moment is None or commissioned_at is None:
        return None
    ahead = (commissioned_at - moment).total_seconds() / 60
    if ahead <= tolerance_min:
        return None
    what = "couplage de l'installation" if test.coupled_at else "ouverture du disjoncteur"
    precise = with_seconds(moment, commissioned_at)
    return (
        f"{what} le {_when(moment, seconds=precise)}, {exact_duration(ahead * 60)} avant la "
        f"mise en service du {_when(commissioned_at, seconds=precise)} : l'essai se fait "
        "lors de cette mise en service, après la fermeture du disjoncteur et le couplage ; "
        "refaites-le après la mise en service, ou corrigez l'heure notée "
        "(decoupling_test.coupled_at ou commissioning.at)"
    )


def decoupling_test_distance(
    test: DecouplingTest, commissioned_at: datetime | None
) -> timedelta | None:
    """How far the test (breaker opening, else coupling) is from the commissioning."""
    moment = test.breaker_opened_at or test.coupled_at
    if moment is None or commissioned_at is None:
        return None
    return abs(moment - commissioned_at)


def decoupling_test_started(test: DecouplingTest) -> bool:
    """True when any step of a test is already recorded."""
    return any(
        value not in (None, "", False)
        for value in (
            test.coupled_at,
            test.breaker_opened_at,
            test.decoupled_at,
            test.delay_s,
            test.decoupling_seen,
            test.message,
        )
    )


def record_test(
    test: DecouplingTest,
    *,
    coupled_at: datetime | None = None,
    breaker_opened_at: datetime | None = None,
    decoupled_at: datetime | None = None,
    delay_s: float | None = None,
    decoupling_seen: bool | None = None,
    message: str | None = None,
    photo: str | None = None,
    tic_evidence: str | None = None,
    injecting_w: float | None = None,
) -> DecouplingTest:
    """A copy of ``test`` with the given fields set (``None`` keeps the current value)."""
    return DecouplingTest(
        coupled_at=coupled_at if coupled_at is not None else test.coupled_at,
        injecting_w=injecting_w if injecting_w is not None else test.injecting_w,
        breaker_opened_at=(
            breaker_opened_at if breaker_opened_at is not None else test.breaker_opened_at
        ),
        decoupled_at=decoupled_at if decoupled_at is not None else test.decoupled_at,
        delay_s=delay_s if delay_s is not None else test.delay_s,
        decoupling_seen=decoupling_seen if decoupling_seen is not None else test.decoupling_seen,
        message=message if message is not None else test.message,
        photo=photo if photo is not None else test.photo,
        tic_evidence=tic_evidence if tic_evidence is not None else test.tic_evidence,
    )


def record_decoupling_test(dossier: Dossier, **changes: Any) -> Dossier:
    """A copy of ``dossier`` whose decoupling test has ``changes`` applied (see record_test)."""
    updated = copy.deepcopy(dossier)
    updated.decoupling_test = record_test(dossier.decoupling_test, **changes)
    return updated
