"""The machine-readable summary embedded in an attestation PDF: its file name and format.

Kept apart from the layout (:mod:`linkytool.mes.attestation`, which loads reportlab) so
that reading a summary back (verify, pack) does not load the PDF layout library.
"""

from __future__ import annotations

#: Name of the embedded machine-readable summary.
EMBEDDED_NAME = "linkytool-attestation.json"
#: Its ``format`` field: a summary of another format is not read.
EMBEDDED_FORMAT = "linkytool-attestation/1"

__all__ = ["EMBEDDED_FORMAT", "EMBEDDED_NAME"]
