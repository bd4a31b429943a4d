"""A plausible Linky meter producing TIC frames, in both modes, for demos and tests.

:class:`MeterSimulator` keeps a small physical model of a home, advanced by the exact time
each frame takes on the wire (10 bits per 7E1 character: 960 B/s at 9600 baud, 120 B/s at
1200 baud), so the simulated clock is deterministic and the same whether the frames are
paced in real time or produced as fast as possible:

* consumption: a base load, a fridge cycling, morning/evening habits and random appliances
  (kettle, oven, washing machine...) [W];
* production (``producer`` profile): a PV bell curve between sunrise and sunset with
  passing clouds [W]; the meter injects the surplus (SINSTI, EAIT) and draws the rest;
* indexes integrate the powers (EAST, EASF/EASD by tariff period, EAIT), daily maxima with
  their horodate, half-hour load-curve points, ten-minute mean voltages, DATE advancing
  with an optional drift of the meter's clock;
* STGE bits consistent with the profile (bit 8 producer, bit 9 energy direction, tariff
  indexes, standard mode, CPL status as seen on real meters).

Frames are encoded by TIC-core's encoder (``linkytool.tic.encode_group``); optional damage
(wrong checksums at a rate, garbage between frames) exercises a reader's error handling.
Pure: no I/O, no wall clock after construction (see ``sim_serve`` for ptys and ports).
"""

from __future__ import annotations

import math
import random
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from enum import StrEnum
from typing import TYPE_CHECKING, Any

from linkytool.tic.encoder import encode_group
from linkytool.tic.horodate import PARIS, format_horodate
from linkytool.tic.labels import BAUD, TicMode

if TYPE_CHECKING:
    from linkytool.tic.sim_serve import SimulatorServer

#: Demo meter (see CONTRACTS): PRM and secondary address of the bundled demo.
DEMO_PRM = "30002345678901"
DEMO_ADSC = "041864123456"
#: Demo three-phase meter address (same maker/year/serial, type 63 = three-phase).
DEMO_ADSC_THREE_PHASE = "041863123456"
#: Injection index of the demo producer at start [Wh] (the demo photo shows 12 kWh).
DEMO_EAIT_WH = 12_000

STX, ETX = b"\x02", b"\x03"
#: Bits per character on the wire (start + 7 data + parity + stop).
BITS_PER_CHAR = 10


class Profile(StrEnum):
    """What the simulated installation does."""

    CONSUMER = "consumer"
    PRODUCER = "producer"


class Tariff(StrEnum):
    """Supplier tariff option of the simulated contract."""

    BASE = "base"
    HCHP = "hchp"
    TEMPO = "tempo"


@dataclass(frozen=True)
class TariffPlan:
    """How a tariff option shows in the frames; index i = supplier index i + 1 (NTARF)."""

    ngtf: str
    """Supplier calendar name (standard NGTF, 16 characters)."""
    ltarf: tuple[str, ...]
    """Current period label per supplier index (standard LTARF)."""
    optarif: str
    """Historique OPTARIF (4 characters)."""
    indexes: tuple[str, ...]
    """Historique index label per supplier index."""
    ptec: tuple[str, ...]
    """Historique current period (PTEC) per supplier index."""
    day_profile: tuple[str, ...]
    """PJOURF+1 blocks (HHMM + action), NONUTILE-padded to 11."""
    shares: tuple[float, ...]
    """Typical share of the energy drawn per supplier index (to seed the indexes)."""


#: The tariff options as data (labels as real meters send them).
TARIFF_PLANS: dict[Tariff, TariffPlan] = {
    Tariff.BASE: TariffPlan(
        "BASE".center(16),
        ("BASE".center(16),),
        "BASE",
        ("BASE",),
        ("TH..",),
        ("00004001",),
        (1.0,),
    ),
    Tariff.HCHP: TariffPlan(
        " HEURES CREUSES ",
        ("HEURE CREUSE".center(16), "HEURE PLEINE".center(16)),
        "HC..",
        ("HCHC", "HCHP"),
        ("HC..", "HP.."),
        ("00004001", "06004002", "22004001"),
        (0.4, 0.6),
    ),
    Tariff.TEMPO: TariffPlan(
        "TEMPO".center(16),
        tuple(f"{period}  {colour}".center(16) for colour in ("BLEU", "BLANC", "ROUGE")
              for period in ("HC", "HP")),
        "BBR(",
        ("BBRHCJB", "BBRHPJB", "BBRHCJW", "BBRHPJW", "BBRHCJR", "BBRHPJR"),
        ("HCJB", "HPJB", "HCJW", "HPJW", "HCJR", "HPJR"),
        ("00004001", "06004002", "22004001"),
        (0.35, 0.45, 0.06, 0.08, 0.02, 0.04),
    ),
}  # fmt: skip

#: Historique DEMAIN per Tempo colour (blue, white, red).
TEMPO_DEMAIN = ("BLEU", "BLAN", "ROUG")


#: Typical share of the energy drawn per distributor index (HPH, HCH, HPB, HCB).
DISTRIBUTOR_SHARES = (0.35, 0.2, 0.3, 0.15)


def split_energy(total_wh: int, shares: tuple[float, ...], slots: int) -> list[int]:
    """Split ``total_wh`` into ``slots`` whole-Wh indexes by ``shares`` (sum exact) [Wh]."""
    parts = [int(total_wh * share) for share in shares]
    parts[0] += total_wh - sum(parts)
    return parts + [0] * (slots - len(parts))


def day_profile_text(blocks: tuple[str, ...]) -> str:
    """PJOURF+1 data: 11 blocks of 8 characters, unused ones ``NONUTILE`` (98 chars)."""
    return " ".join([*blocks, *["NONUTILE"] * (11 - len(blocks))])


def tempo_colour(day: date) -> int:
    """Tempo colour of ``day`` (0 blue, 1 white, 2 red): a fixed pseudo-calendar with red
    days only on winter weekdays and white days mostly in winter, never on Sundays."""
    if day.weekday() == 6:
        return 0
    winter = day.month in (11, 12, 1, 2, 3)
    draw = (day.toordinal() * 7919) % 100
    if winter and day.weekday() < 5 and draw < 15:
        return 2
    if draw >= (70 if winter else 94):
        return 1
    return 0


@dataclass(frozen=True)
class Appliance:
    """A random load: its power [W], duration [s] and mean starts per hour."""

    name: str
    power_w: float
    duration_s: float
    starts_per_hour: float


#: Random loads of a typical home (data, not code).
APPLIANCES: tuple[Appliance, ...] = (
    Appliance("bouilloire", 2000, 150, 0.4),
    Appliance("four", 2400, 1800, 0.08),
    Appliance("lave-linge", 700, 3600, 0.06),
    Appliance("plaque", 1500, 900, 0.12),
    Appliance("aspirateur", 900, 600, 0.05),
    Appliance("télévision", 120, 5400, 0.15),
)

#: Mean household load by hour of day [W] on top of the base load (habits).
HOURLY_HABITS_W: tuple[float, ...] = (
    0, 0, 0, 0, 0, 0, 150, 350, 300, 100, 80, 120,
    300, 200, 80, 60, 80, 150, 350, 500, 450, 300, 150, 50,
)  # fmt: skip

#: STGE bits shared by every simulated meter: standard TIC (bit 17), Euridis on with
#: security (bits 19-20 = 3), CPL status 1 (bits 21-22), as on the real meters seen.
STGE_BASE = (1 << 17) | (3 << 19) | (1 << 21)
STGE_PRODUCER = 1 << 8
STGE_NEGATIVE = 1 << 9
STGE_SUPPLIER_INDEX_SHIFT = 10
STGE_DISTRIBUTOR_INDEX_SHIFT = 14
STGE_TEMPO_TODAY_SHIFT = 24
STGE_TEMPO_TOMORROW_SHIFT = 26

#: Group as the encoder needs it: (label, horodate text or None, data text).
GroupSpec = tuple[str, str | None, str]


@dataclass
class _Maximum:
    """A daily maximum and when it was reached."""

    value: int
    time: datetime


class MeterSimulator:
    """A simulated Linky meter: call :meth:`next_frame` for the next frame's bytes."""

    def __init__(
        self,
        mode: TicMode | str = TicMode.STANDARD,
        profile: Profile | str = Profile.CONSUMER,
        phases: int = 1,
        *,
        prm: str = DEMO_PRM,
        adsc: str | None = None,
        tariff: Tariff | str = Tariff.BASE,
        start: datetime | None = None,
        clock_drift_s: float = 0.0,
        error_rate: float = 0.0,
        garbage_rate: float = 0.0,
        pv_peak_w: float = 3000.0,
        subscribed_kva: int = 6,
        east_wh: int = 8_254_321,
        eait_wh: int = DEMO_EAIT_WH,
        seed: int | None = None,
    ) -> None:
        if phases not in (1, 3):
            raise ValueError("phases must be 1 or 3")
        if not 0.0 <= error_rate <= 1.0 or not 0.0 <= garbage_rate <= 1.0:
            raise ValueError("error_rate and garbage_rate are shares between 0 and 1")
        self.mode = TicMode(mode)
        self.profile = Profile(profile)
        self.phases = phases
        self.prm = prm
        self.adsc = adsc or (DEMO_ADSC if phases == 1 else DEMO_ADSC_THREE_PHASE)
        self.tariff = Tariff(tariff)
        self.clock_drift = timedelta(seconds=clock_drift_s)
        self.error_rate = error_rate
        self.garbage_rate = garbage_rate
        self.pv_peak_w = pv_peak_w
        self.subscribed_kva = subscribed_kva
        self.rng = random.Random(seed)
        self.now = (start or datetime.now(PARIS)).astimezone(PARIS)
        #: Frames produced so far.
        self.frames = 0
        #: Groups sent with a deliberately wrong checksum so far.
        self.corrupted_groups = 0
        # energy registers [Wh] kept as floats, sent truncated like the meter does
        # Whole-Wh registers, as the meter keeps them; the fractions wait in the carries
        # so that EAST is always exactly the sum of the EASF (and of the EASD) indexes.
        self._east = east_wh
        self._eait = eait_wh
        self._easf = split_energy(east_wh, TARIFF_PLANS[self.tariff].shares, 10)
        self._easd = split_energy(east_wh, DISTRIBUTOR_SHARES, 4)
        self._import_carry = 0.0
        self._export_carry = 0.0
        self._erq = [0.0, 312.0, 1204.0, 0.0]
        self._running: list[tuple[Appliance, float]] = []  # (appliance, seconds left)
        self._cloud = 1.0
        self._voltage = [231.0, 232.0, 230.0][:phases]
        self._load_w = 250.0
        self._pv_w = 0.0
        self._split = [1.0] if phases == 1 else [0.45, 0.3, 0.25]
        yesterday = self.now - timedelta(days=1)
        self._smaxsn = [_Maximum(0, self.now) for _ in range(phases + (phases == 3))]
        self._smaxsn_prev = [
            _Maximum(int(4200 * share), yesterday.replace(hour=19, minute=42, second=7))
            for share in ([1.0] if phases == 1 else [1.0, *self._split])
        ]
        self._smaxin = _Maximum(0, self.now)
        self._smaxin_prev = _Maximum(2310, yesterday.replace(hour=13, minute=18, second=44))
        self._halfhour_start = self._floor(self.now, 1800)
        self._halfhour_import_wh = 0.0
        self._halfhour_export_wh = 0.0
        self._ccasn = (_Maximum(310, self._halfhour_start), _Maximum(290, self._halfhour_start))
        self._ccain = (_Maximum(0, self._halfhour_start), _Maximum(0, self._halfhour_start))
        self._umoy_start = self._floor(self.now, 600)
        self._umoy_sum = [0.0] * phases
        self._umoy_time = 0.0
        self._umoy = [(230, self._umoy_start) for _ in range(phases)]
        self._step(0.0)

    # ----------------------------------------------------------------- public API
    @property
    def baud(self) -> int:
        """Line speed of the simulated mode [baud]."""
        return BAUD[self.mode]

    @property
    def byte_rate(self) -> float:
        """Bytes per second on the wire at :attr:`baud` (7E1: 10 bits a character) [B/s]."""
        return self.baud / BITS_PER_CHAR

    @property
    def import_va(self) -> int:
        """Apparent power drawn from the grid now [VA]."""
        return max(0, round(self._load_w - self._pv_w))

    @property
    def export_va(self) -> int:
        """Apparent power injected into the grid now [VA]."""
        return max(0, round(self._pv_w - self._load_w))

    @property
    def meter_time(self) -> datetime:
        """The meter's clock (simulated time plus its drift)."""
        return self.now + self.clock_drift

    def next_frame(self) -> bytes:
        """Bytes of the next frame (STX...ETX, maybe garbage before), then advance time."""
        parts = [STX]
        for label, horodate, data in self.groups():
            encoded = encode_group(label, data, self.mode, horodate=horodate)
            if self.error_rate and self.rng.random() < self.error_rate:
                encoded = self._corrupt(encoded)
                self.corrupted_groups += 1
            parts.append(encoded)
        parts.append(ETX)
        if self.garbage_rate and self.rng.random() < self.garbage_rate:
            parts.insert(0, self._garbage())
        frame = b"".join(parts)
        self.frames += 1
        self._step(len(frame) / self.byte_rate)
        return frame

    def stream(self) -> Iterator[bytes]:
        """Endless frames (see :meth:`next_frame`)."""
        while True:
            yield self.next_frame()

    def groups(self) -> list[GroupSpec]:
        """The groups of the frame the meter would send now."""
        if self.mode is TicMode.HISTORIQUE:
            return self._historique_groups()
        return self._standard_groups()

    # ----------------------------------------------------------------- frame contents
    def _standard_groups(self) -> list[GroupSpec]:
        producer = self.profile is Profile.PRODUCER
        hc = self._is_off_peak()
        plan = TARIFF_PLANS[self.tariff]
        supplier = self._supplier_index()
        three = self.phases == 3
        groups: list[GroupSpec] = [
            ("ADSC", None, self.adsc),
            ("VTIC", None, "02"),
            ("DATE", self._horo(self.meter_time), ""),
            ("NGTF", None, plan.ngtf),
            ("LTARF", None, plan.ltarf[supplier]),
            ("EAST", None, f"{self._east:09d}"),
            *[(f"EASF{n + 1:02d}", None, f"{v:09d}") for n, v in enumerate(self._easf)],
            *[(f"EASD{n + 1:02d}", None, f"{v:09d}") for n, v in enumerate(self._easd)],
        ]
        if producer:
            groups.append(("EAIT", None, f"{self._eait:09d}"))
            groups += [(f"ERQ{n + 1}", None, f"{int(v):09d}") for n, v in enumerate(self._erq)]
        currents = [self._current(phase) for phase in range(self.phases)]
        groups += [(f"IRMS{n + 1}", None, f"{i:03d}") for n, i in enumerate(currents)]
        groups += [(f"URMS{n + 1}", None, f"{round(u):03d}") for n, u in enumerate(self._voltage)]
        groups += [
            ("PREF", None, f"{self.subscribed_kva:02d}"),
            ("PCOUP", None, f"{self.subscribed_kva:02d}"),
            ("SINSTS", None, f"{self.import_va:05d}"),
        ]
        if three:
            groups += [
                (f"SINSTS{n + 1}", None, f"{round(self.import_va * s):05d}")
                for n, s in enumerate(self._split)
            ]
        names = ["SMAXSN"] + ([f"SMAXSN{n}" for n in (1, 2, 3)] if three else [])
        groups += [
            (n, self._horo(m.time), f"{m.value:05d}")
            for n, m in zip(names, self._smaxsn, strict=True)
        ]
        names_prev = ["SMAXSN-1"] + ([f"SMAXSN{n}-1" for n in (1, 2, 3)] if three else [])
        groups += [
            (n, self._horo(m.time), f"{m.value:05d}")
            for n, m in zip(names_prev, self._smaxsn_prev, strict=True)
        ]
        if producer:
            groups += [
                ("SINSTI", None, f"{self.export_va:05d}"),
                ("SMAXIN", self._horo(self._smaxin.time), f"{self._smaxin.value:05d}"),
                ("SMAXIN-1", self._horo(self._smaxin_prev.time), f"{self._smaxin_prev.value:05d}"),
            ]
        groups += [
            ("CCASN", self._horo(self._ccasn[0].time), f"{self._ccasn[0].value:05d}"),
            ("CCASN-1", self._horo(self._ccasn[1].time), f"{self._ccasn[1].value:05d}"),
        ]
        if producer:
            groups += [
                ("CCAIN", self._horo(self._ccain[0].time), f"{self._ccain[0].value:05d}"),
                ("CCAIN-1", self._horo(self._ccain[1].time), f"{self._ccain[1].value:05d}"),
            ]
        groups += [
            (f"UMOY{n + 1}", self._horo(time), f"{value:03d}")
            for n, (value, time) in enumerate(self._umoy)
        ]
        groups += [
            ("STGE", None, f"{self._stge(supplier, self._distributor_index(hc)):08X}"),
            ("MSG1", None, "PAS DE          MESSAGE         "),
            ("PRM", None, self.prm),
            ("RELAIS", None, "000"),
            ("NTARF", None, f"{supplier + 1:02d}"),
            ("NJOURF", None, "00"),
            ("NJOURF+1", None, "00"),
            ("PJOURF+1", None, day_profile_text(plan.day_profile)),
        ]
        return groups

    def _historique_groups(self) -> list[GroupSpec]:
        plan = TARIFF_PLANS[self.tariff]
        supplier = self._supplier_index()
        three = self.phases == 3
        isousc = self.subscribed_kva * 5 if not three else self.subscribed_kva * 5 // 3
        groups: list[GroupSpec] = [
            ("ADCO", None, self.adsc),
            ("OPTARIF", None, plan.optarif),
            ("ISOUSC", None, f"{isousc:02d}"),
        ]
        groups += [
            (label, None, f"{self._easf[index]:09d}") for index, label in enumerate(plan.indexes)
        ]
        groups.append(("PTEC", None, plan.ptec[supplier]))
        if self.tariff is Tariff.TEMPO:
            groups.append(("DEMAIN", None, TEMPO_DEMAIN[self._tempo_colours()[1]]))
        currents = [self._current(phase) for phase in range(self.phases)]
        if three:
            groups += [(f"IINST{n + 1}", None, f"{i:03d}") for n, i in enumerate(currents)]
            groups += [(f"IMAX{n + 1}", None, "060") for n in range(3)]
            groups += [
                ("PMAX", None, f"{self._smaxsn_prev[0].value:05d}"),
                ("PAPP", None, f"{self.import_va:05d}"),
                ("HHPHC", None, "A"),
                ("MOTDETAT", None, "000000"),
                ("PPOT", None, "00"),
            ]
        else:
            groups += [
                ("IINST", None, f"{currents[0]:03d}"),
                ("IMAX", None, "090"),
                ("PAPP", None, f"{self.import_va:05d}"),
                ("HHPHC", None, "A"),
                ("MOTDETAT", None, "000000"),
            ]
        return groups

    # ----------------------------------------------------------------- model
    def _step(self, seconds: float) -> None:
        """Advance the model by ``seconds`` of simulated time."""
        previous = self.now
        self.now = previous + timedelta(seconds=seconds)
        if self.now.date() != previous.date():
            self._new_day()
        self._load_w = self._household_load(seconds)
        self._pv_w = self._pv_power(seconds) if self.profile is Profile.PRODUCER else 0.0
        for phase in range(self.phases):
            target = 233.0 + (3.0 * self._pv_w / max(self.pv_peak_w, 1.0)) - 0.002 * self._load_w
            drift = self.rng.gauss(0.0, 0.15)
            self._voltage[phase] += 0.05 * (target - self._voltage[phase]) + drift
        hours = seconds / 3600.0
        imported, exported = self.import_va * hours, self.export_va * hours
        hc = self._is_off_peak()
        self._import_carry += imported
        whole = int(self._import_carry)
        if whole:
            self._import_carry -= whole
            self._east += whole
            self._easf[self._supplier_index()] += whole
            self._easd[self._distributor_index(hc)] += whole
        if self.profile is Profile.PRODUCER:
            self._export_carry += exported
            whole = int(self._export_carry)
            self._export_carry -= whole
            self._eait += whole
            self._erq[1 if exported else 2] += 0.05 * (imported + exported)
        self._track_maxima()
        self._track_load_curve(imported, exported)
        self._track_voltage(seconds)

    def _household_load(self, seconds: float) -> float:
        """Base load, fridge, habits and random appliances [W]."""
        hour = self.now.hour + self.now.minute / 60.0
        fridge = 110.0 if (self.now.minute % 45) < 15 else 0.0
        habit = HOURLY_HABITS_W[int(hour) % 24]
        still_running = []
        for appliance, left in self._running:
            if left > seconds:
                still_running.append((appliance, left - seconds))
        self._running = still_running
        for appliance in APPLIANCES:
            awake = 0.2 if 0 <= hour < 6 else 1.0
            if self.rng.random() < appliance.starts_per_hour * awake * seconds / 3600.0:
                self._running.append((appliance, appliance.duration_s))
        noise = self.rng.gauss(0.0, 12.0)
        running = sum(appliance.power_w for appliance, _ in self._running)
        return max(60.0, 190.0 + fridge + habit + running + noise)

    def _pv_power(self, seconds: float) -> float:
        """PV production: a bell between sunrise and sunset, dimmed by clouds [W]."""
        day_of_year = self.now.timetuple().tm_yday
        day_length = 12.0 + 4.0 * math.sin(2.0 * math.pi * (day_of_year - 80) / 365.0)
        offset = self.now.utcoffset()
        noon = 12.2 + (offset.total_seconds() / 3600.0 if offset else 1.0)
        hour = self.now.hour + self.now.minute / 60.0 + self.now.second / 3600.0
        position = (hour - (noon - day_length / 2.0)) / day_length
        if not 0.0 < position < 1.0:
            return 0.0
        season = 0.55 + 0.45 * math.sin(2.0 * math.pi * (day_of_year - 80) / 365.0) ** 2
        season = season if day_length >= 12.0 else 0.55
        self._cloud += 0.02 * (0.9 - self._cloud) * min(seconds, 30.0) + self.rng.gauss(0.0, 0.01)
        self._cloud = min(1.0, max(0.25, self._cloud))
        bell = float(math.sin(math.pi * position) ** 1.6)
        return self.pv_peak_w * bell * season * self._cloud

    def _current(self, phase: int) -> int:
        """RMS current on ``phase`` [A] (magnitude, whichever the direction)."""
        power = max(self.import_va, self.export_va) * self._split[phase]
        return round(power / max(self._voltage[phase], 1.0))

    def _track_maxima(self) -> None:
        values = [self.import_va] + (
            [round(self.import_va * s) for s in self._split] if self.phases == 3 else []
        )
        for maximum, value in zip(self._smaxsn, values, strict=True):
            if value > maximum.value:
                maximum.value, maximum.time = value, self.meter_time
        if self.export_va > self._smaxin.value:
            self._smaxin = _Maximum(self.export_va, self.meter_time)

    def _track_load_curve(self, imported_wh: float, exported_wh: float) -> None:
        self._halfhour_import_wh += imported_wh
        self._halfhour_export_wh += exported_wh
        start = self._floor(self.now, 1800)
        if start != self._halfhour_start:
            average_in = round(self._halfhour_import_wh * 2)  # Wh over 0.5 h -> W
            average_out = round(self._halfhour_export_wh * 2)
            stamp = start + self.clock_drift
            self._ccasn = (_Maximum(average_in, stamp), self._ccasn[0])
            self._ccain = (_Maximum(average_out, stamp), self._ccain[0])
            self._halfhour_start = start
            self._halfhour_import_wh = self._halfhour_export_wh = 0.0

    def _track_voltage(self, seconds: float) -> None:
        for phase, voltage in enumerate(self._voltage):
            self._umoy_sum[phase] += voltage * seconds
        self._umoy_time += seconds
        start = self._floor(self.now, 600)
        if start != self._umoy_start and self._umoy_time > 0:
            self._umoy = [
                (round(total / self._umoy_time), start + self.clock_drift)
                for total in self._umoy_sum
            ]
            self._umoy_start = start
            self._umoy_sum = [0.0] * self.phases
            self._umoy_time = 0.0

    def _new_day(self) -> None:
        self._smaxsn_prev = [_Maximum(m.value, m.time) for m in self._smaxsn]
        self._smaxsn = [_Maximum(0, self.meter_time) for _ in self._smaxsn]
        self._smaxin_prev = self._smaxin
        self._smaxin = _Maximum(0, self.meter_time)

    # ----------------------------------------------------------------- helpers
    def _is_off_peak(self) -> bool:
        """Off-peak hours (22:00-06:00) of the HC/HP option."""
        return self.now.hour >= 22 or self.now.hour < 6

    def _distributor_index(self, off_peak: bool) -> int:
        """EASD index (0-based): HPH, HCH (winter, Nov-Mar), HPB, HCB (summer)."""
        winter = self.now.month in (11, 12, 1, 2, 3)
        return (0 if winter else 2) + (1 if off_peak else 0)

    def _supplier_index(self) -> int:
        """Current supplier tariff index, 0-based (NTARF - 1, EASF/historique index)."""
        off_peak = self._is_off_peak()
        if self.tariff is Tariff.BASE:
            return 0
        period = 0 if off_peak else 1
        if self.tariff is Tariff.HCHP:
            return period
        return 2 * self._tempo_colours()[0] + period

    def _tempo_colours(self) -> tuple[int, int]:
        """Tempo colour of the current and next Tempo day (days run 06:00 to 06:00)."""
        day = (self.now - timedelta(hours=6)).date()
        return tempo_colour(day), tempo_colour(day + timedelta(days=1))

    def _stge(self, supplier_index: int, distributor_index: int) -> int:
        value = STGE_BASE
        value |= supplier_index << STGE_SUPPLIER_INDEX_SHIFT
        value |= (distributor_index % 4) << STGE_DISTRIBUTOR_INDEX_SHIFT
        if self.tariff is Tariff.TEMPO:
            today, tomorrow = self._tempo_colours()
            value |= (today + 1) << STGE_TEMPO_TODAY_SHIFT
            value |= (tomorrow + 1) << STGE_TEMPO_TOMORROW_SHIFT
        if self.profile is Profile.PRODUCER:
            value |= STGE_PRODUCER
            if self.export_va > 0:
                value |= STGE_NEGATIVE
        return value

    @staticmethod
    def _horo(time: datetime) -> str:
        return format_horodate(time)

    @staticmethod
    def _floor(time: datetime, step_s: int) -> datetime:
        seconds = (time.minute * 60 + time.second) % step_s
        return time.replace(microsecond=0) - timedelta(seconds=seconds)

    def _corrupt(self, encoded: bytes) -> bytes:
        """Flip one low bit of a label/data character: the checksum no longer matches."""
        body = bytearray(encoded)
        # positions between LF and the separator before the checksum
        candidates = [i for i in range(1, len(body) - 3) if 0x21 <= body[i] <= 0x7E]
        if not candidates:
            return encoded
        index = self.rng.choice(candidates)
        for bit in self.rng.sample(range(5), 5):  # bit 5 would match the other method
            flipped = body[index] ^ (1 << bit)
            if 0x21 <= flipped <= 0x7E:
                body[index] = flipped
                return bytes(body)
        return encoded

    def _garbage(self) -> bytes:
        """A few random bytes between frames (no STX/ETX/EOT/LF: they would frame)."""
        allowed = [b for b in range(0x80) if b not in (0x02, 0x03, 0x04, 0x0A, 0x0D)]
        return bytes(self.rng.choice(allowed) for _ in range(self.rng.randint(1, 24)))


def serve_pty(*args: Any, **kwargs: Any) -> SimulatorServer:
    """Start a simulated meter on a pty: see :func:`linkytool.tic.sim_serve.serve_pty`."""
    from linkytool.tic.sim_serve import serve_pty as serve

    return serve(*args, **kwargs)
