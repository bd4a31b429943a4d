"""Regenerate the demo dossier (demo.toml) and the demo signature images.

Run from the repository root: ``.venv/bin/python tools/make_demo_dossier.py``. The
dossier is built through linkytool's own API (template with French comments, readings
with provenance) and is coherent with the demo constants of the project (PRM
30002345678901, commissioning 2026-11-20 14:32, injection index 12 kWh, photos
``../photos/demo-*.jpg``). Photo readings carry the photos' hashes: run this script
again whenever the demo photos are regenerated.
"""

from __future__ import annotations

import math
import random
from datetime import date, datetime
from pathlib import Path

from PIL import Image, ImageDraw

from linkytool.mes import (
    AgreementKind,
    ConnectionOption,
    ConsuelColour,
    DecouplingLocation,
    Dossier,
    Inverter,
    MeterType,
    ReadingField,
    ReadingSource,
    new_dossier_text,
    parse_dossier_text,
    record_decoupling_test,
    record_reading,
    save_dossier,
)
from linkytool.mes.pack import default_screen_reader
from linkytool.mes.photos import sha256_file
from linkytool.mes.readings import reading_from_photo, readings_from_tic
from linkytool.mes.schema import PARIS

HERE = Path(__file__).resolve().parents[1] / "linkytool" / "samples" / "dossier"


def signature_png(path: Path, seed: int) -> None:
    """Draw a plausible handwritten flourish (transparent PNG)."""
    rng = random.Random(seed)
    width, height = 600, 200
    image = Image.new("RGBA", (width, height), (255, 255, 255, 0))
    draw = ImageDraw.Draw(image)
    points = []
    phase = rng.uniform(0, math.pi)
    for step in range(400):
        t = step / 399
        x = 40 + t * 500
        y = 100 + 45 * math.sin(t * 13 + phase) * math.exp(-t * 1.2) + 18 * math.sin(t * 41)
        points.append((x, y))
    draw.line(points, fill=(20, 30, 110, 255), width=5, joint="curve")
    draw.line([(60, 160), (520, 150)], fill=(20, 30, 110, 255), width=3)
    image.save(path, optimize=True)


def _tic_readings(dossier: Dossier) -> Dossier:
    """PRM and meter date from the demo TIC capture (consumer mode: no injection index)."""
    capture = HERE.parent / "tic" / "demo-standard-consumer.bin"
    if capture.exists():
        from linkytool.tic import read_capture, summarize

        return readings_from_tic(
            dossier,
            summarize(read_capture(capture)),
            capture="../tic/demo-standard-consumer.bin",
            sha256=sha256_file(capture),
        )
    return record_reading(
        dossier,
        ReadingField.PRM,
        "30002345678901",
        ReadingSource.TIC,
        at=datetime(2026, 11, 20, 14, 25, 3, tzinfo=PARIS),
        note="TIC standard, 9600 bauds, compteur en mode consommateur",
    )


def _photo_readings(dossier: Dossier) -> Dossier:
    """What OCR reads on the demo photos (fixed values when OCR or photos are missing)."""
    fallback = {
        ReadingField.PRM: ("30002345678901", datetime(2026, 11, 20, 14, 31, 42)),
        ReadingField.DATE: ("2026-11-20T14:32", datetime(2026, 11, 20, 14, 33, 10)),
        ReadingField.INJECTION_INDEX: ("12", datetime(2026, 11, 20, 14, 34, 5)),
    }
    reader = default_screen_reader()
    for which, (value, at) in fallback.items():
        declared = getattr(dossier.photos, which.value)
        path = HERE / declared
        if reader is not None and path.exists():
            # Tied to the photo by its hash, like every real reading: regenerating the demo
            # photos makes these readings stale until this script is run again.
            dossier = reading_from_photo(
                dossier, which, reader(path), file=declared, sha256=sha256_file(path)
            )
            continue
        dossier = record_reading(
            dossier,
            which,
            value,
            ReadingSource.MANUAL,
            at=at.replace(tzinfo=PARIS),
            note=f"lu sur la photo {declared} (OCR indisponible)",
        )
    return dossier


def main() -> None:
    signature_png(HERE / "signature-producteur.png", 1)
    signature_png(HERE / "signature-installateur.png", 2)
    dossier = parse_dossier_text(new_dossier_text())
    dossier.case.enedis_reference = "DC26-004512"
    dossier.case.prm = "30002345678901"
    dossier.case.connection_option = ConnectionOption.SURPLUS
    dossier.case.site_address = "12 rue des Lilas, 44000 Nantes"
    dossier.producer.name = "Camille Martin"
    dossier.producer.address = "12 rue des Lilas, 44000 Nantes"
    dossier.producer.phone = "06 12 34 56 78"
    dossier.producer.email = "camille.martin@example.org"
    dossier.installer.company = "Soleil Pose SARL"
    dossier.installer.siret = "73282932000074"
    dossier.installer.person = "Louis Bernard"
    dossier.installer.qualification = "QualiPV 36"
    installation = dossier.installation
    installation.power_kva = 6.0
    installation.power_kwc = 6.48
    installation.finished = True
    installation.connected_to_panel = True
    installation.inverters = [
        Inverter(
            make="Solplanet",
            model="ASW6000-S",
            serial="SP6K2611200457",
            firmware="V610-03043-06",
            count=1,
            power_kva=6.0,
        )
    ]
    decoupling = installation.decoupling
    decoupling.location = DecouplingLocation.INVERTER
    decoupling.standard = "DIN VDE 0126-1-1"
    decoupling.version = "2013-08"
    decoupling.setting_name = "VDE0126/VFR2019 IS (50Hz)"
    decoupling.overfrequency_hz = 51.5
    dossier.meter.type = MeterType.LINKY
    dossier.meter.serial = "041864123456"
    documents = dossier.documents
    documents.mes_request_submitted = True
    documents.consuel_number = "A26-1234567"
    documents.consuel_colour = ConsuelColour.BLUE
    documents.consuel_visa_date = date(2026, 10, 28)
    documents.purchase_obligation = True
    documents.cae_accepted = True
    dossier.agreement.kind = AgreementKind.AGREEMENT
    dossier.agreement.date = date(2026, 11, 12)
    dossier.commissioning.at = datetime(2026, 11, 20, 14, 32, tzinfo=PARIS)
    dossier.commissioning.place = "Nantes"
    dossier.photos.prm = "../photos/demo-prm.jpg"
    dossier.photos.date = "../photos/demo-date.jpg"
    dossier.photos.injection_index = "../photos/demo-index.jpg"
    dossier.signatures.producer_image = "signature-producteur.png"
    dossier.signatures.installer_image = "signature-installateur.png"
    dossier.signatures.signed_on = date(2026, 11, 20)
    dossier = _tic_readings(dossier)
    dossier = _photo_readings(dossier)
    dossier = record_decoupling_test(
        dossier,
        coupled_at=datetime(2026, 11, 20, 14, 35, 0, tzinfo=PARIS),
        injecting_w=3800.0,
        breaker_opened_at=datetime(2026, 11, 20, 14, 41, 12, tzinfo=PARIS),
        decoupled_at=datetime(2026, 11, 20, 14, 41, 13, tzinfo=PARIS),
        delay_s=0.8,
        decoupling_seen=True,
        message="Utility Loss",
    )
    target = HERE / "demo.toml"
    target.unlink(missing_ok=True)
    save_dossier(dossier, target)


if __name__ == "__main__":
    main()
