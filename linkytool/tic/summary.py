"""What a technician wants from a run of frames: :class:`MeterReading`.

:func:`summarize` keeps, for each quantity, the last value read from a valid group (a
group whose checksum failed never contributes) and counts groups and frames.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime

from linkytool.tic.labels import TicMode
from linkytool.tic.model import Frame, FrameRun, GroupMap, GroupParts, Stretch
from linkytool.tic.stge import StatusRegister
from linkytool.tic.values import MeterAddress


@dataclass(frozen=True)
class MeterReading:
    """Latest known state of a meter over a run of frames."""

    mode: str | None
    #: 14-digit PRM (standard mode only).
    prm: str | None
    #: ADSC (standard) or ADCO (historique), 12 digits.
    meter_id: str | None
    #: Meter clock from DATE, tz-aware Europe/Paris.
    meter_time: datetime | None
    #: LTARF (standard) or PTEC (historique).
    tariff: str | None
    #: Total active energy drawn [Wh]: EAST, or the sum of the historique indexes.
    east_wh: int | None
    #: Total active energy injected [Wh] (producer mode only).
    eait_wh: int | None
    #: Apparent power drawn [VA] (SINSTS, or PAPP in historique).
    sinsts_va: int | None
    #: Apparent power injected [VA] (producer mode only).
    sinsti_va: int | None
    #: STGE bit 8 (None in historique: the mode carries no status register).
    producer_mode: bool | None
    stge: StatusRegister | None
    frames: int
    groups_ok: int
    groups_bad: int
    #: groups_bad / (groups_ok + groups_bad), 0.0 without groups.
    checksum_error_rate: float
    frames_valid: int = 0
    meter_address: MeterAddress | None = None
    #: Meter clock in degraded mode (STGE bit 16 or lower-case horodate season).
    degraded_clock: bool | None = None
    #: Today's / yesterday's maximum apparent power drawn [VA] (SMAXSN / SMAXSN-1, or
    #: SMAXN / SMAXN-1 on G1 pilot meters).
    smaxsn_va: int | None = None
    smaxsn_prev_va: int | None = None
    #: Label of the drawn power: SINSTS, SINST1 (G1 pilot) or PAPP (historique).
    power_label: str | None = None
    #: Labels ``east_wh`` comes from: ``("EAST",)``, or the historique indexes it adds
    #: (``("BBRHCJB", ..., "BBRHPJR")``); ``()`` when it is None.
    drawn_labels: tuple[str, ...] = ()
    #: NTARF (supplier tariff index) of the frame ``stge`` comes from, to check against
    #: STGE bits 10-13 + 1; None when no frame held both valid.
    ntarf: int | None = None

    @property
    def production_data_missing(self) -> bool:
        """Consumer-mode meter: EAIT/SINSTI are absent, not zero (ask for a photo)."""
        return self.producer_mode is False and self.eait_wh is None


def _last_frame_parts(stretch: Stretch, labels: tuple[str, ...]) -> list[GroupParts] | None:
    """The parts of ``labels`` in the last frame of ``stretch`` (None unless its frames
    hold every one of them): a column that changes holds its last change, another the
    first frame's group."""
    positions = {label: at for at, (label, _) in enumerate(stretch.entries[: stretch.size])}
    if any(label not in positions for label in labels):
        return None
    found = []
    for label in labels:
        at = positions[label]
        column = stretch.columns.get(at)
        found.append(stretch.entries[column[-1] if column else at][1])
    return found


class ReadingBuilder:
    """Streaming form of :func:`summarize`: ``add()`` frames as they come, ``result()`` at
    any time. Keeps no frame, so a month of capture summarises in constant memory.

    ``add`` only remembers, per mode, the last valid parts of each label (one dict update
    per frame, no typed value built); ``result`` types them once. A quantity made of
    several groups (historique indexes) therefore adds the latest valid value of each,
    even when one of them was rejected in the last frame."""

    def __init__(self) -> None:
        #: Mode -> label -> latest valid parts; the last mode seen is last.
        self._latest: dict[TicMode, dict[str, GroupParts]] = {}
        self._last_mode: TicMode | None = None
        #: STGE's and NTARF's parts of the last frame holding both valid: NTARF is checked
        #: against the STGE of its own frame, never one of another frame.
        self._stge_ntarf: tuple[GroupParts, GroupParts] | None = None
        self.frames = self.frames_valid = self.groups_ok = self.groups_bad = 0

    def add(self, frame: Frame) -> None:
        """Take the valid values of ``frame`` (received after the previous ones)."""
        self.frames += 1
        groups = frame.groups
        bad = frame.bad_groups
        count = len(groups)
        self.groups_ok += count
        if bad:
            self.groups_bad += len(bad) + frame.bad_dropped
        elif count and frame.complete:
            self.frames_valid += 1
        if not count:
            return
        mode = frame.mode
        if mode is not self._last_mode:
            self._last_mode = mode
            self._latest[mode] = self._latest.pop(mode, {})  # moves the mode last
        latest = self._latest[mode]
        if isinstance(groups, GroupMap):
            parts = groups.all_parts()
        else:
            parts = {
                label: (
                    group.horodate.raw if group.horodate is not None else None,
                    group.raw,
                    group.checksum_method,
                )
                for label, group in groups.items()
            }
        latest.update(parts)
        stge = parts.get("STGE")
        if stge is not None:
            ntarf = parts.get("NTARF")
            if ntarf is not None:
                self._stge_ntarf = (stge, ntarf)

    def add_run(self, run: FrameRun) -> None:
        """Take the frames of ``run`` (all complete and valid): what :meth:`add` of each
        of them would do (a stretch's changes, column after column, leave each label's
        latest value)."""
        self.frames += run.count
        self.frames_valid += run.count
        self.groups_ok += run.groups
        mode = run.mode
        if mode is not self._last_mode:
            self._last_mode = mode
            self._latest[mode] = self._latest.pop(mode, {})
        latest = self._latest[mode]
        for stretch in run.stretches:
            latest.update(stretch.entries)
        for stretch in reversed(run.stretches):  # the run's last frame holding both
            pair = _last_frame_parts(stretch, ("STGE", "NTARF"))
            if pair is not None:
                self._stge_ntarf = (pair[0], pair[1])
                break

    def _state(self) -> dict[str, object]:
        """The latest value of each quantity, older modes first."""
        state: dict[str, object] = {}
        for mode, latest in self._latest.items():
            frame = Frame(mode, GroupMap(dict(latest), mode))
            state["mode"] = mode.value
            date = frame.groups.get("DATE")
            if date is not None and date.horodate is not None:
                state["degraded_clock"] = date.horodate.degraded
            candidates: dict[str, object] = {
                "prm": frame.prm,
                "meter_id": frame.meter_id,
                "meter_address": frame.address,
                "meter_time": frame.meter_time,
                "tariff": frame.tariff,
                "east_wh": frame.drawn_wh,
                "drawn_labels": frame.drawn_labels or None,
                "eait_wh": frame.eait_wh,
                "sinsts_va": frame.sinsts_va,
                "power_label": frame.power_label,
                "smaxsn_va": frame.smaxsn_va,
                "smaxsn_prev_va": frame.smaxsn_prev_va,
                "sinsti_va": frame.sinsti_va,
                "stge": frame.stge,
            }
            for key, value in candidates.items():
                if value is not None:
                    state[key] = value
        return state

    def _ntarf(self, stge: StatusRegister | None) -> int | None:
        """NTARF of the last frame whose STGE is ``stge`` (the one reported), else None."""
        if stge is None or self._stge_ntarf is None:
            return None
        (_, stge_raw, _), (_, ntarf_raw, _) = self._stge_ntarf
        if stge_raw.upper() != stge.hex or not ntarf_raw.isdigit():
            return None
        return int(ntarf_raw)

    def result(self) -> MeterReading:
        """The reading so far."""
        state = self._state()
        stge = state.get("stge")
        assert stge is None or isinstance(stge, StatusRegister)
        degraded = state.get("degraded_clock")
        if stge is not None:
            degraded = bool(degraded) or stge.degraded_clock
        total = self.groups_ok + self.groups_bad
        return MeterReading(
            mode=state.get("mode"),  # type: ignore[arg-type]
            prm=state.get("prm"),  # type: ignore[arg-type]
            meter_id=state.get("meter_id"),  # type: ignore[arg-type]
            meter_time=state.get("meter_time"),  # type: ignore[arg-type]
            tariff=state.get("tariff"),  # type: ignore[arg-type]
            east_wh=state.get("east_wh"),  # type: ignore[arg-type]
            eait_wh=state.get("eait_wh"),  # type: ignore[arg-type]
            sinsts_va=state.get("sinsts_va"),  # type: ignore[arg-type]
            sinsti_va=state.get("sinsti_va"),  # type: ignore[arg-type]
            producer_mode=stge.producer if stge is not None else None,
            stge=stge,
            frames=self.frames,
            groups_ok=self.groups_ok,
            groups_bad=self.groups_bad,
            checksum_error_rate=self.groups_bad / total if total else 0.0,
            frames_valid=self.frames_valid,
            meter_address=state.get("meter_address"),  # type: ignore[arg-type]
            degraded_clock=degraded,  # type: ignore[arg-type]
            smaxsn_va=state.get("smaxsn_va"),  # type: ignore[arg-type]
            smaxsn_prev_va=state.get("smaxsn_prev_va"),  # type: ignore[arg-type]
            power_label=state.get("power_label"),  # type: ignore[arg-type]
            drawn_labels=state.get("drawn_labels") or (),  # type: ignore[arg-type]
            ntarf=self._ntarf(stge),
        )


def summarize(frames: Iterable[Frame]) -> MeterReading:
    """Summarise ``frames`` (in reception order): last valid value of each quantity."""
    builder = ReadingBuilder()
    for frame in frames:
        builder.add(frame)
    return builder.result()
