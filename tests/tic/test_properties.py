"""Property tests: decode(encode(x)) == x; arbitrary bytes never crash nor yield a bad
group as valid; chunking never changes the events."""

from __future__ import annotations

from hypothesis import given
from hypothesis import strategies as st

from linkytool.tic import (
    ChecksumMethod,
    Frame,
    TicDecoder,
    TicMode,
    encode_frame,
    encode_group,
)
from linkytool.tic.decoder import mask_7bit

from .helpers import decode_whole, frames_of, historique_frame, standard_frame

PRINTABLE = st.characters(min_codepoint=0x20, max_codepoint=0x7E)
LABEL = st.text(st.characters(min_codepoint=0x21, max_codepoint=0x7E), min_size=1, max_size=10)
DATA = st.text(PRINTABLE, max_size=40)
HORODATE = st.text(PRINTABLE, min_size=13, max_size=13)


@st.composite
def standard_groups(draw: st.DrawFn) -> list[tuple[str, str | None, str]]:
    labels = draw(st.lists(LABEL, min_size=1, max_size=12, unique=True))
    return [(label, draw(st.none() | HORODATE), draw(DATA)) for label in labels]


@st.composite
def historique_groups(draw: st.DrawFn) -> list[tuple[str, str, ChecksumMethod]]:
    labels = draw(st.lists(LABEL, min_size=1, max_size=12, unique=True))
    return [(label, draw(DATA), draw(st.sampled_from(ChecksumMethod))) for label in labels]


@given(standard_groups())
def test_standard_roundtrip(groups: list[tuple[str, str | None, str]]) -> None:
    (frame,) = frames_of(decode_whole(encode_frame(groups, TicMode.STANDARD)))
    assert frame.valid and frame.mode is TicMode.STANDARD
    decoded = [
        (g.label, g.horodate.raw if g.horodate else None, g.raw) for g in frame.groups.values()
    ]
    assert decoded == groups


@given(historique_groups())
def test_historique_roundtrip(groups: list[tuple[str, str, ChecksumMethod]]) -> None:
    data = (
        b"\x02"
        + b"".join(
            encode_group(label, value, TicMode.HISTORIQUE, method=method)
            for label, value, method in groups
        )
        + b"\x03"
    )
    decoder = TicDecoder(TicMode.HISTORIQUE)
    decoder.feed(data)
    (frame,) = decoder.frames()
    assert frame.valid
    assert [(g.label, g.raw, g.checksum_method) for g in frame.groups.values()] == groups


@given(standard_groups())
def test_frames_rebuilt_from_groups_encode_identically(
    groups: list[tuple[str, str | None, str]],
) -> None:
    data = encode_frame(groups, TicMode.STANDARD)
    (frame,) = frames_of(decode_whole(data))
    assert encode_frame(list(frame.groups.values()), frame.mode) == data


def _assert_groups_genuine(data: bytes, frames: list[Frame]) -> None:
    """Every valid group re-encodes to bytes present in the (7-bit) input: its checksum held."""
    masked, _ = mask_7bit(data)
    for frame in frames:
        for group in frame.groups.values():
            encoded = encode_group(
                group.label,
                group.raw,
                frame.mode,
                horodate=group.horodate.raw if group.horodate else None,
                method=group.checksum_method,
            )
            assert encoded[1:-1] in masked


TIC_ALPHABET = st.sampled_from(list(b"\x02\x03\x04\n\r\t AB0129:+-\x0b\x82\x8d\xff"))


@given(st.binary(max_size=400) | st.lists(TIC_ALPHABET, max_size=400).map(bytes))
def test_arbitrary_bytes_never_crash_nor_fake_a_group(data: bytes) -> None:
    events = decode_whole(data)
    _assert_groups_genuine(data, frames_of(events))


@given(
    st.lists(
        st.sampled_from([standard_frame(), historique_frame()]) | st.binary(max_size=30),
        max_size=6,
    ),
    st.data(),
)
def test_damaged_streams_chunk_invariant(parts: list[bytes], draw: st.DataObject) -> None:
    data = bytearray(b"".join(parts))
    for _ in range(draw.draw(st.integers(0, 5))):
        if data:
            position = draw.draw(st.integers(0, len(data) - 1))
            data[position] = draw.draw(st.integers(0, 255))
    data = bytes(data)
    whole = decode_whole(data)
    _assert_groups_genuine(data, frames_of(whole))
    cuts = sorted(draw.draw(st.lists(st.integers(0, len(data)), max_size=20)))
    decoder = TicDecoder()
    events = []
    previous = 0
    for cut in [*cuts, len(data)]:
        decoder.feed(data[previous:cut])
        events.extend(decoder)
        previous = cut
    decoder.close()
    events.extend(decoder)
    assert events == whole


@given(
    st.lists(
        st.sampled_from([standard_frame(), historique_frame()]) | st.binary(max_size=30),
        max_size=6,
    )
)
def test_memo_never_changes_the_events(parts: list[bytes]) -> None:
    """The memo of verified groups only saves work: a cold decoder, one whose memo is
    emptied at every frame, and a warm one give the same events."""
    from linkytool.tic import frame_parser

    data = b"".join(parts)
    warm = decode_whole(data)
    saved = frame_parser.VERIFIED_LIMIT
    frame_parser.VERIFIED_LIMIT = -1
    try:
        cold = decode_whole(data)
    finally:
        frame_parser.VERIFIED_LIMIT = saved
    assert cold == warm
    assert [f.groups.items() for f in frames_of(cold)] == [
        f.groups.items() for f in frames_of(warm)
    ]


STX_HEAVY = st.lists(
    st.sampled_from([b"\x02", b"\x02" * 40, b"\x82", b"\x03", b"\x04", b"\n\r", b"x"])
    | st.sampled_from([standard_frame(), historique_frame()]),
    max_size=30,
).map(b"".join)


@given(STX_HEAVY, st.lists(st.integers(1, 97), min_size=1, max_size=10))
def test_stx_runs_and_garbage_coalescing_are_chunk_invariant(data: bytes, sizes: list[int]) -> None:
    """STX runs are taken as one garbage run and garbage is reported in coalesced events:
    any chunking still gives exactly the events of the whole stream, and every garbage
    byte is reported once."""
    from linkytool.tic import DecodeError

    whole = decode_whole(data)
    decoder = TicDecoder()
    events = []
    position = 0
    for size in sizes * (len(data) // max(1, sum(sizes)) + 1):
        decoder.feed(data[position : position + size])
        events.extend(decoder)
        position += size
        if position >= len(data):
            break
    decoder.close()
    events.extend(decoder)
    assert events == whole
    garbage = sum(len(event.data) for event in whole if isinstance(event, DecodeError))
    assert garbage == decoder.stats.garbage_bytes


def test_a_byte_changed_by_64_into_a_separator_does_not_make_a_label() -> None:
    """'I' (0x49) read as HT (0x09), or '`' (0x60) as SP (0x20), keeps the 6-bit checksum:
    the group must still be refused, not decoded with a control character or a space in
    its label (found by test_damaged_streams_chunk_invariant)."""
    historique = historique_frame().replace(b"\nIMAX ", b"\n\tMAX ")
    groups = [("PRM", None, "30002345678901"), ("P`M", None, "30002345678901")]
    standard = encode_frame(groups, TicMode.STANDARD).replace(b"P`M", b"P M")
    for data in (historique, standard):
        (frame,) = frames_of(decode_whole(data))
        labels = list(frame.groups)
        assert labels and all(label.isalnum() for label in labels), labels
        assert "\tMAX" not in labels and "P M" not in labels
