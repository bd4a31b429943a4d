"""Hostile PDFs for the attestation tests: a revision that rewrites the embedded data,
a second key, a flipped byte (the ways issue 16 forged an attestation)."""

from __future__ import annotations

import datetime as dt
import io
import json
from typing import Any

from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec
from cryptography.hazmat.primitives.serialization import pkcs12
from cryptography.x509.oid import NameOID


def make_p12(
    name: str,
    *,
    not_before: dt.datetime | None = None,
    not_after: dt.datetime | None = None,
    password: bytes = b"secret",
) -> bytes:
    """A self-signed PKCS#12 key for ``name`` (validity dates may be in the past)."""
    key = ec.generate_private_key(ec.SECP256R1())
    subject = x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, name)])
    now = dt.datetime.now(dt.UTC)
    certificate = (
        x509.CertificateBuilder()
        .subject_name(subject)
        .issuer_name(subject)
        .public_key(key.public_key())
        .serial_number(x509.random_serial_number())
        .not_valid_before(not_before or now - dt.timedelta(days=1))
        .not_valid_after(not_after or now + dt.timedelta(days=365))
        .sign(key, hashes.SHA256())
    )
    return pkcs12.serialize_key_and_certificates(
        b"key", key, certificate, None, serialization.BestAvailableEncryption(password)
    )


def rewrite_summary(pdf: bytes, **changes: Any) -> bytes:
    """An incremental update replacing the embedded linkytool JSON with ``changes`` applied."""
    from pyhanko.pdf_utils import generic
    from pyhanko.pdf_utils.incremental_writer import IncrementalPdfFileWriter

    writer = IncrementalPdfFileWriter(io.BytesIO(pdf))
    names = writer.root["/Names"]["/EmbeddedFiles"]["/Names"]
    spec_ref = names.raw_get(1)
    spec = spec_ref.get_object()
    summary = json.loads(spec["/EF"]["/F"].get_object().data.decode("utf-8"))
    summary.update(changes)
    stream = generic.StreamObject(stream_data=json.dumps(summary).encode("utf-8"))
    spec["/EF"]["/F"] = writer.add_object(stream)
    writer.update_container(spec)
    output = io.BytesIO()
    writer.write(output)
    return output.getvalue()


def flip_byte(pdf: bytes, marker: bytes = b"30002345678901") -> bytes:
    """``pdf`` with one digit changed inside the signed range."""
    data = bytearray(pdf)
    position = data.index(marker)
    data[position + 13] = ord("2") if data[position + 13] != ord("2") else ord("3")
    return bytes(data)
