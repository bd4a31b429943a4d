"""Property: whatever text people type, a saved dossier loads back identical."""

from __future__ import annotations

import copy
from datetime import datetime, timedelta

from hypothesis import given, settings
from hypothesis import strategies as st
from mes_helpers import DEMO, NOW, demo_dossier

from linkytool.mes import (
    ReadingField,
    ReadingSource,
    parse_dossier_text,
    record_reading,
    render_dossier,
)
from linkytool.mes.schema import PARIS

# printable text as typed in a form (TOML strings cannot hold raw control characters,
# but quotes, backslashes, accents, emoji and "#" must all survive)
typed = st.text(alphabet=st.characters(blacklist_categories=("Cs", "Cc")), max_size=40).map(
    str.strip
)

TEMPLATE = DEMO.read_text(encoding="utf-8")


@settings(max_examples=60)
@given(name=typed, address=typed, message=typed, note=typed, minutes=st.integers(0, 10_000))
def test_render_then_parse_is_identity(
    name: str, address: str, message: str, note: str, minutes: int
) -> None:
    dossier = copy.deepcopy(demo_dossier())
    dossier.producer.name = name
    dossier.case.site_address = address
    dossier.decoupling_test.message = message
    at = datetime(2026, 11, 1, tzinfo=PARIS) + timedelta(minutes=minutes)
    dossier = record_reading(
        dossier, ReadingField.INJECTION_INDEX, "7", ReadingSource.MANUAL, at=at, note=note
    )
    text = render_dossier(dossier, TEMPLATE)
    assert parse_dossier_text(text, now=NOW) == dossier
    assert "# Numéro PRM du point de livraison" in text
