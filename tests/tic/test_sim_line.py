"""UART speed-mismatch emulation used by the pty simulator."""

from __future__ import annotations

from hypothesis import given
from hypothesis import strategies as st

from linkytool.tic.autodetect import GroupScore
from linkytool.tic.sim_line import UartLine, char_bits
from linkytool.tic.simulator import MeterSimulator


def test_char_bits_are_7e1() -> None:
    bits = char_bits(ord("A"))  # 0x41: two bits set -> even parity 0
    assert bits[0] == 0 and bits[-1] == 1 and len(bits) == 10
    assert bits[1:8] == [1, 0, 0, 0, 0, 0, 1] and bits[8] == 0
    assert char_bits(ord("C"))[8] == 1


@given(st.binary(max_size=300))
def test_same_speed_passes_bytes_masked_to_7_bits(data: bytes) -> None:
    assert UartLine(9600).transfer(data, 9600) == bytes(b & 0x7F for b in data)


@given(st.binary(max_size=200), st.integers(1, 50))
def test_chunking_does_not_change_what_is_received(data: bytes, size: int) -> None:
    whole = UartLine(1200).transfer(data, 9600)
    line = UartLine(1200)
    pieces = b"".join(line.transfer(data[i : i + size], 9600) for i in range(0, len(data), size))
    assert pieces == whole


def test_wrong_speed_yields_no_valid_group_either_way() -> None:
    standard = b"".join(MeterSimulator(seed=1).next_frame() for _ in range(5))
    historique = b"".join(MeterSimulator("historique", seed=1).next_frame() for _ in range(5))
    for data, tx, rx in ((standard, 9600, 1200), (historique, 1200, 9600)):
        received = UartLine(tx).transfer(data, rx)
        assert received and received != data
        score = GroupScore()
        score.feed(received)
        assert score.valid == 0 and not score.accepted()
