"""Linky TIC (télé-information client): sans-I/O decoder, encoder, captures, summary.

Importing this package loads no serial library: the serial reader lives in
``linkytool.tic.serialio`` (pyserial) and is imported only by whoever needs a port.
"""

from __future__ import annotations

from linkytool.tic.capture import iter_capture, read_capture
from linkytool.tic.checksum import (
    ChecksumMethod,
    checksum_method1,
    checksum_method2,
    checksum_of,
)
from linkytool.tic.decoder import DecoderStats, TicDecoder, decode_bytes
from linkytool.tic.encoder import encode_frame, encode_group
from linkytool.tic.errors import CaptureError, TicError
from linkytool.tic.export import frame_to_dict, frame_to_json, group_to_json
from linkytool.tic.horodate import Horodate, format_horodate, parse_horodate
from linkytool.tic.labels import LABELS, LabelSpec, TicMode, ValueKind, spec_for
from linkytool.tic.model import BadGroup, DecodeError, ErrorKind, Event, Frame, Group
from linkytool.tic.stge import STGE_FIELDS, StatusRegister
from linkytool.tic.summary import MeterReading, ReadingBuilder, summarize
from linkytool.tic.values import DayProfile, MeterAddress, Relays

__all__ = [
    "LABELS",
    "STGE_FIELDS",
    "BadGroup",
    "CaptureError",
    "ChecksumMethod",
    "DayProfile",
    "DecodeError",
    "DecoderStats",
    "ErrorKind",
    "Event",
    "Frame",
    "Group",
    "Horodate",
    "LabelSpec",
    "MeterAddress",
    "MeterReading",
    "ReadingBuilder",
    "Relays",
    "StatusRegister",
    "TicDecoder",
    "TicError",
    "TicMode",
    "ValueKind",
    "checksum_method1",
    "checksum_method2",
    "checksum_of",
    "decode_bytes",
    "encode_frame",
    "encode_group",
    "format_horodate",
    "frame_to_dict",
    "frame_to_json",
    "group_to_json",
    "iter_capture",
    "parse_horodate",
    "read_capture",
    "spec_for",
    "summarize",
]
