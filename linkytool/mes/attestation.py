"""The auto-MES attestation PDF: pure layout (dossier + facts -> PDF bytes).

linkytool's own document, titled "Attestation d'auto-mise en service – installation de
production ≤ 36 kVA (injection du surplus)" (Enedis publishes no form; the procedure only
asks for "L'attestation d'auto-MES jointe, dûment complétée et signée"). It carries every
dossier section of docs/automes.md, the prerequisite outcome, the readings with their
provenance, the decoupling test, the three photo thumbnails with their SHA-256, and the
signature images. A machine-readable copy of the key facts (PRM, date, index, photo
hashes) is embedded as ``linkytool-attestation.json`` so ``mes verify`` never parses text.
"""

from __future__ import annotations

import io
import json
import threading
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from typing import Any, cast
from xml.sax.saxutils import escape

from PIL import Image as PILImage
from PIL import ImageOps
from reportlab import rl_config
from reportlab.lib import colors
from reportlab.lib.enums import TA_CENTER
from reportlab.lib.pagesizes import A4
from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.units import mm
from reportlab.lib.utils import ImageReader
from reportlab.pdfbase.pdfdoc import (
    PDFArray,
    PDFDictionary,
    PDFName,
    PDFStream,
    PDFString,
    PDFZCompress,
)
from reportlab.pdfgen.canvas import Canvas
from reportlab.platypus import (
    Flowable,
    Image,
    KeepTogether,
    LayoutError,
    Paragraph,
    SimpleDocTemplate,
    Spacer,
    Table,
    TableStyle,
)

from linkytool import __version__
from linkytool.mes.attested import (
    INVERTER_COLUMNS,
    SECTION_CASE,
    SECTION_COMMISSIONING,
    SECTION_DECLARATIONS,
    SECTION_DOCUMENTS,
    SECTION_INSTALLATION,
    SECTION_INSTALLER,
    SECTION_PRODUCER,
    SECTION_READINGS,
    SECTION_TEST,
    attested_facts,
    case_rows,
    commissioning_rows,
    declared_standard,
    decoupling_evidence_rows,
    decoupling_test_rows,
    documents_rows,
    fr_dt,
    installation_rows,
    installer_rows,
    inverter_rows,
    or_dash,
    place_and_date,
    producer_rows,
    provenance,
)
from linkytool.mes.decoupling import (
    DEFAULT_MAX_DECOUPLING_DELAY_S,
    evaluate_decoupling_test,
)
from linkytool.mes.embedded import EMBEDDED_FORMAT, EMBEDDED_NAME
from linkytool.mes.errors import MesError
from linkytool.mes.fonts import BOLD, FAMILY, ITALIC, register_fonts
from linkytool.mes.model import (
    SIGNATURE_LABELS,
    Dossier,
    ReadingField,
    ReadingSource,
    SignatureKind,
)
from linkytool.mes.photos import PhotoFacts, sha256_bytes
from linkytool.mes.readings import shown_value
from linkytool.mes.rules import STATUS_LABELS, RuleOutcome, RuleStatus
from linkytool.mes.schema import to_paris
from linkytool.mes.titles import SCREEN_TITLES
from linkytool.textfmt import THOUSANDS_SPACE, french_number

TITLE = (
    "Attestation d'auto-mise en service – installation de production ≤ 36 kVA "
    "(injection du surplus)"
)
DRAFT_STAMP = "BROUILLON – NON CONFORME"
BY_HAND_STAMP = "À IMPRIMER ET À SIGNER À LA MAIN"

STATUS_COLOURS = {
    RuleStatus.SATISFIED: colors.HexColor("#1b7a36"),
    RuleStatus.MISSING: colors.HexColor("#a86400"),
    RuleStatus.NOT_SATISFIED: colors.HexColor("#b00020"),
}
ACCENT = colors.HexColor("#1f4e79")
GRID = colors.HexColor("#b8c4d0")


@dataclass(frozen=True)
class AttestationInputs:
    """Everything the layout needs; gathered by :func:`linkytool.mes.service.attest`."""

    dossier: Dossier
    outcomes: Sequence[RuleOutcome]
    photos: Mapping[ReadingField, PhotoFacts]
    photo_bytes: Mapping[ReadingField, bytes]
    generated_at: datetime
    producer_signature: bytes | None = None
    installer_signature: bytes | None = None
    draft: bool = False
    max_delay_s: float = DEFAULT_MAX_DECOUPLING_DELAY_S
    #: How the final attestation is signed (None for a draft).
    signature: SignatureKind | None = None
    #: The photos were prepared keeping their location (the pack must do the same).
    keep_gps: bool = False
    #: SHA-256 of each photo file as the dossier holds it (before preparation): lets
    #: ``mes check`` see a photo replaced since without preparing it again.
    original_sha256: Mapping[ReadingField, str | None] = field(default_factory=dict)


class AttestationLayoutError(MesError):
    """The dossier's content does not fit the attestation's pages."""


def build_attestation_pdf(inputs: AttestationInputs) -> bytes:
    """Lay out the attestation and return the PDF bytes (with the embedded JSON summary).

    Laid out once: every page is held until the story ends, then its footer gets "Page
    n/N" (:class:`_NumberedCanvas`). The PDF's creation date is ``generated_at`` (the
    caller's clock), so the same inputs give the same bytes.
    """
    register_fonts()
    # Binary streams, not ASCII85 text (reportlab's default, from the days of 7-bit mail):
    # a quarter smaller, under the 4 MB attachment limit, and no pure-Python encoding of
    # every image byte. reportlab reads the setting as it writes each stream.
    rl_config.useA85 = 0
    thumbnails = {
        role: _remembered_thumbnail(data) for role, data in inputs.photo_bytes.items() if data
    }
    try:
        return _layout(inputs, thumbnails)
    except LayoutError as exc:
        raise AttestationLayoutError(
            "Le contenu du dossier ne tient pas dans la page de l'attestation (un champ "
            "beaucoup trop long ?).",
            hint="Raccourcissez les textes très longs du dossier puis recommencez.",
        ) from exc


def _pdf_date(moment: datetime) -> Callable[..., str]:
    """A reportlab date formatter that writes ``moment`` (with its UTC offset)."""
    local = to_paris(moment)
    offset = local.utcoffset() or timedelta(0)
    minutes = int(offset.total_seconds() // 60)
    sign = "+" if minutes >= 0 else "-"
    stamp = f"D:{local:%Y%m%d%H%M%S}{sign}{abs(minutes) // 60:02d}'{abs(minutes) % 60:02d}'"

    def formatter(*_: int) -> str:
        return stamp

    return formatter


def _layout(
    inputs: AttestationInputs,
    thumbnails: Mapping[ReadingField, Thumbnail | None],
) -> bytes:
    """The reportlab pass: the PDF bytes."""
    buffer = io.BytesIO()
    dossier = inputs.dossier
    document = SimpleDocTemplate(
        buffer,
        pagesize=A4,
        leftMargin=16 * mm,
        rightMargin=16 * mm,
        topMargin=18 * mm,
        bottomMargin=18 * mm,
        title=TITLE,
        author=dossier.producer.name or "linkytool",
        subject=f"PRM {dossier.case.prm}" if dossier.case.prm else "Auto-MES",
        creator=f"linkytool {__version__}",
        keywords=f"auto-MES, PRM {dossier.case.prm}",
        invariant=True,
    )

    def decorate(canvas: Canvas, doc: Any) -> None:
        canvas.setDateFormatter(_pdf_date(inputs.generated_at))
        _decorate_page(canvas, inputs)

    summary = json.dumps(
        attestation_summary(inputs), ensure_ascii=False, indent=2, sort_keys=True
    ).encode("utf-8")

    def canvas(*args: Any, **kwargs: Any) -> _NumberedCanvas:
        return _NumberedCanvas(*args, attachment=summary, **kwargs)

    document.build(
        _story(inputs, thumbnails),
        onFirstPage=decorate,
        onLaterPages=decorate,
        canvasmaker=canvas,
    )
    return buffer.getvalue()


# -- machine-readable summary ----------------------------------------------------------


def attestation_summary(inputs: AttestationInputs) -> dict[str, Any]:
    """Key facts of the attestation as JSON-ready data (embedded in the PDF)."""
    dossier = inputs.dossier
    index = dossier.readings.current(ReadingField.INJECTION_INDEX)
    commissioned = dossier.commissioning.at
    return {
        "format": EMBEDDED_FORMAT,
        "generator": f"linkytool {__version__}",
        "generated_at": to_paris(inputs.generated_at).isoformat(timespec="seconds"),
        "draft": inputs.draft,
        "signature": inputs.signature.value if inputs.signature else None,
        "keep_gps": inputs.keep_gps,
        "producer": dossier.producer.name,
        "prm": dossier.case.prm,
        "enedis_reference": dossier.case.enedis_reference,
        "commissioning_at": commissioned.isoformat(timespec="minutes") if commissioned else None,
        "injection_index_kwh": int(index.value) if index and index.value.isdigit() else None,
        "prerequisites": {outcome.id: outcome.status.value for outcome in inputs.outcomes},
        "attested": attested_facts(dossier),
        "photos": [
            {
                "role": role.value,
                "title": SCREEN_TITLES[role],
                "file": facts.path.name if facts.path else None,
                "sha256": facts.sha256,
                "original_sha256": inputs.original_sha256.get(role),
                "size_bytes": facts.size_bytes,
            }
            for role, facts in inputs.photos.items()
        ],
    }


#: What a PDF reader shows beside the attached JSON.
EMBEDDED_DESCRIPTION = "Données de l'attestation (PRM, date, index, empreintes des photos)"


def _attach_summary(canvas: Canvas, data: bytes) -> None:
    """Attach ``data`` to the document being written as ``linkytool-attestation.json``
    (``application/json``): the catalog's /Names /EmbeddedFiles tree, which ``mes verify``
    reads (:func:`linkytool.mes.signing.read_embedded_summary`). Written with the pages:
    it was an incremental update by pyHanko, whose import alone cost every ``mes
    attest`` about 0.12 s of CPU, and whose update stamped the clock and a random ID."""
    document = canvas._doc
    stream = PDFStream(
        PDFDictionary(
            # a name written as is: PDFName would leave the slash of application/json
            {"Type": PDFName("EmbeddedFile"), "Subtype": "/application#2Fjson"}
        ),
        data,
        filters=[PDFZCompress],
    )
    specification = PDFDictionary(
        {
            "Type": PDFName("Filespec"),
            "F": PDFString(EMBEDDED_NAME),
            "EF": PDFDictionary({"F": document.Reference(stream)}),
            "Desc": PDFString(EMBEDDED_DESCRIPTION),
        }
    )
    names = PDFArray([PDFString(EMBEDDED_NAME), document.Reference(specification)])
    document.Catalog.Names = PDFDictionary({"EmbeddedFiles": PDFDictionary({"Names": names})})


# -- page furniture --------------------------------------------------------------------


class _NumberedCanvas(Canvas):  # type: ignore[misc]  # reportlab is untyped
    """A canvas that holds every page until the document is complete, then writes "Page
    n/N" on each (:func:`_number_page`, drawn after the page's content, in the bottom
    right-hand margin that nothing else uses) and emits them. The attestation is laid out
    once: it was laid out twice, the first pass only counting the pages (issue 14)."""

    def __init__(self, *args: Any, attachment: bytes, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self._held: list[dict[str, Any]] = []
        self._attachment = attachment

    def showPage(self) -> None:  # noqa: N802 - reportlab's name
        self._held.append(dict(self.__dict__))  # the page's content and resources
        self._startPage()

    def save(self) -> None:
        if self._code:
            self.showPage()
        for page in self._held:
            self.__dict__.update(page)
            _number_page(self, len(self._held))
            super().showPage()
        _attach_summary(self, self._attachment)
        super().save()


def _number_page(canvas: Canvas, total: int) -> None:
    width, _ = A4
    canvas.saveState()
    canvas.setFont(FAMILY, 7.5)
    canvas.setFillColor(colors.HexColor("#555555"))
    canvas.drawRightString(width - 16 * mm, 10 * mm, f"Page {canvas.getPageNumber()}/{total}")
    canvas.restoreState()


def _decorate_page(canvas: Canvas, inputs: AttestationInputs) -> None:
    width, height = A4
    canvas.saveState()
    canvas.setFont(FAMILY, 7.5)
    canvas.setFillColor(colors.HexColor("#555555"))
    prm = inputs.dossier.case.prm or "PRM non renseigné"
    canvas.drawString(
        16 * mm,
        10 * mm,
        f"Auto-MES – PRM {prm} – document établi avec linkytool {__version__}, "
        "ce n'est pas un formulaire Enedis",
    )
    if inputs.draft:
        canvas.setFillColor(colors.Color(0.75, 0.05, 0.1, alpha=0.22))
        canvas.setFont(BOLD, 40)
        canvas.translate(width / 2, height / 2)
        canvas.rotate(50)
        canvas.drawCentredString(0, 0, DRAFT_STAMP)
        canvas.restoreState()
        canvas.saveState()
        canvas.setFillColor(colors.HexColor("#b00020"))
        canvas.setFont(BOLD, 9)
        canvas.drawCentredString(width / 2, height - 11 * mm, DRAFT_STAMP)
    elif inputs.signature is SignatureKind.BY_HAND:
        canvas.setFillColor(colors.HexColor("#a86400"))
        canvas.setFont(BOLD, 9)
        canvas.drawCentredString(width / 2, height - 11 * mm, BY_HAND_STAMP)
    canvas.restoreState()


# -- content ---------------------------------------------------------------------------


class _Styles:
    def __init__(self) -> None:
        self.body = ParagraphStyle("body", fontName=FAMILY, fontSize=9, leading=11.5)
        self.small = ParagraphStyle("small", parent=self.body, fontSize=7.5, leading=9.5)
        self.cell = ParagraphStyle("cell", parent=self.body, fontSize=8.5, leading=10.5)
        self.label = ParagraphStyle(
            "label", parent=self.cell, fontName=BOLD, textColor=colors.HexColor("#333333")
        )
        self.title = ParagraphStyle(
            "title",
            parent=self.body,
            fontName=BOLD,
            fontSize=14,
            leading=18,
            alignment=TA_CENTER,
            textColor=ACCENT,
        )
        self.subtitle = ParagraphStyle(
            "subtitle", parent=self.small, alignment=TA_CENTER, fontName=ITALIC
        )
        self.heading = ParagraphStyle(
            "heading",
            parent=self.body,
            fontName=BOLD,
            fontSize=10.5,
            leading=13,
            textColor=ACCENT,
            spaceBefore=7,
            spaceAfter=3,
            keepWithNext=1,  # a heading never ends a page without its section
        )


def _p(text: str, style: ParagraphStyle) -> Paragraph:
    # the thousands' narrow no-break space (textfmt) is not in Vera: a no-break space
    text = text.replace(THOUSANDS_SPACE, "\u00a0")
    return Paragraph(escape(text).replace("\n", "<br/>"), style)


def _fields_table(rows: Sequence[tuple[str, str]], styles: _Styles) -> Table:
    data = [[_p(label, styles.label), _p(value, styles.cell)] for label, value in rows]
    table = Table(data, colWidths=[55 * mm, 123 * mm])
    table.setStyle(
        TableStyle(
            [
                ("VALIGN", (0, 0), (-1, -1), "TOP"),
                ("LINEBELOW", (0, 0), (-1, -1), 0.3, GRID),
                ("TOPPADDING", (0, 0), (-1, -1), 1.5),
                ("BOTTOMPADDING", (0, 0), (-1, -1), 1.5),
            ]
        )
    )
    return table


def _grid_table(
    header: Sequence[str],
    rows: Sequence[Sequence[Flowable | str]],
    widths: Sequence[float],
    styles: _Styles,
) -> Table:
    data: list[list[Flowable | str]] = [[_p(title, styles.label) for title in header]]
    for row in rows:
        data.append([_p(cell, styles.cell) if isinstance(cell, str) else cell for cell in row])
    table = Table(data, colWidths=list(widths), repeatRows=1)
    table.setStyle(
        TableStyle(
            [
                ("VALIGN", (0, 0), (-1, -1), "TOP"),
                ("GRID", (0, 0), (-1, -1), 0.3, GRID),
                ("BACKGROUND", (0, 0), (-1, 0), colors.HexColor("#e8eef5")),
                ("TOPPADDING", (0, 0), (-1, -1), 1.5),
                ("BOTTOMPADDING", (0, 0), (-1, -1), 1.5),
            ]
        )
    )
    return table


def _story(
    inputs: AttestationInputs, thumbnails: Mapping[ReadingField, Thumbnail | None]
) -> list[Flowable]:
    styles = _Styles()
    dossier = inputs.dossier
    story: list[Flowable] = [
        _p(TITLE, styles.title),
        Spacer(0, 1.5 * mm),
        _p(
            "Établie d'après le « Mode opératoire d'auto Mise En Service » d'Enedis (applicable "
            "à partir du 16/04/2020). Document produit par linkytool, ce n'est pas un "
            "formulaire Enedis.",
            styles.subtitle,
        ),
    ]
    story += _section_case(dossier, styles)
    story += _section_parties(dossier, styles)
    story += _section_installation(dossier, styles)
    story += _section_documents(dossier, styles)
    story += _section_commissioning(dossier, styles)
    story += _section_readings(dossier, styles)
    story += _section_test(inputs, styles)
    story += _section_prerequisites(inputs, styles)
    story += _section_evidence(inputs, thumbnails, styles)
    story += _section_declarations(inputs, styles)
    return story


def _section_case(dossier: Dossier, styles: _Styles) -> list[Flowable]:
    return [_p(SECTION_CASE, styles.heading), _fields_table(case_rows(dossier), styles)]


def _section_parties(dossier: Dossier, styles: _Styles) -> list[Flowable]:
    return [
        _p(SECTION_PRODUCER, styles.heading),
        _fields_table(producer_rows(dossier), styles),
        _p(SECTION_INSTALLER, styles.heading),
        _fields_table(installer_rows(dossier), styles),
    ]


def _section_installation(dossier: Dossier, styles: _Styles) -> list[Flowable]:
    inverters = inverter_rows(dossier)
    flow: list[Flowable] = [
        _p(SECTION_INSTALLATION, styles.heading),
        _fields_table(installation_rows(dossier), styles),
    ]
    if inverters:
        flow += [
            Spacer(0, 2 * mm),
            _grid_table(
                list(INVERTER_COLUMNS),
                inverters,
                [30 * mm, 38 * mm, 40 * mm, 28 * mm, 12 * mm, 30 * mm],
                styles,
            ),
        ]
    return flow


def _section_documents(dossier: Dossier, styles: _Styles) -> list[Flowable]:
    return [_p(SECTION_DOCUMENTS, styles.heading), _fields_table(documents_rows(dossier), styles)]


def _section_commissioning(dossier: Dossier, styles: _Styles) -> list[Flowable]:
    return [
        _p(SECTION_COMMISSIONING, styles.heading),
        _fields_table(commissioning_rows(dossier), styles),
    ]


def _section_readings(dossier: Dossier, styles: _Styles) -> list[Flowable]:
    rows = []
    for which in ReadingField:
        history = dossier.readings.history(which)
        for position, reading in enumerate(history):
            current = " (retenu)" if position == len(history) - 1 else ""
            value = shown_value(which, reading.value)
            rows.append(
                [
                    SCREEN_TITLES[which] + current,
                    value,
                    provenance(reading),
                    fr_dt(reading.at, seconds=True),
                    or_dash(reading.file.rsplit("/", 1)[-1] if reading.file else ""),
                ]
            )
    if not rows:
        return [_p(SECTION_READINGS, styles.heading), _p("Aucun relevé.", styles.body)]
    return [
        _p(f"{SECTION_READINGS} (historique et provenance)", styles.heading),
        _grid_table(
            ["Valeur", "Relevé", "Source", "Moment", "Fichier"],
            rows,
            [38 * mm, 34 * mm, 40 * mm, 32 * mm, 34 * mm],
            styles,
        ),
    ]


def _section_test(inputs: AttestationInputs, styles: _Styles) -> list[Flowable]:
    test = inputs.dossier.decoupling_test
    result = evaluate_decoupling_test(test, max_delay_s=inputs.max_delay_s)
    if result.passed:
        verdict = (
            f"réussi (seuil de {french_number(result.threshold_s)} s réglé dans linkytool ; "
            "le mode opératoire ne fixe pas de délai)"
        )
    elif result.problems:
        verdict = "échec : " + " ; ".join(result.problems)
    else:
        verdict = "incomplet"
    rows = [*decoupling_test_rows(test), ("Résultat", verdict), *decoupling_evidence_rows(test)]
    return [_p(SECTION_TEST, styles.heading), _fields_table(rows, styles)]


def _section_prerequisites(inputs: AttestationInputs, styles: _Styles) -> list[Flowable]:
    rows: list[list[Flowable | str]] = []
    for outcome in inputs.outcomes:
        status_style = ParagraphStyle(
            f"status-{outcome.status.value}",
            parent=styles.label,
            textColor=STATUS_COLOURS[outcome.status],
        )
        rows.append(
            [outcome.title, _p(STATUS_LABELS[outcome.status], status_style), outcome.detail]
        )
    satisfied = sum(outcome.satisfied for outcome in inputs.outcomes)
    return [
        _p(
            f"9. Prérequis de l'auto-MES ({satisfied}/{len(inputs.outcomes)} remplis)",
            styles.heading,
        ),
        _grid_table(["Condition", "État", "Constat"], rows, [48 * mm, 30 * mm, 100 * mm], styles),
    ]


#: Largest side of an evidence thumbnail [px]: 54 mm wide prints at about 420 dpi.
THUMBNAIL_PX = 900


@dataclass(frozen=True)
class Thumbnail:
    """A photo reduced for the attestation: JPEG bytes and size [px]."""

    jpeg: bytes
    width: int
    height: int


def _thumbnail_size(width: int, height: int) -> tuple[int, int]:
    """The size of a ``width`` x ``height`` photo fitted in a :data:`THUMBNAIL_PX` square."""
    if width <= THUMBNAIL_PX and height <= THUMBNAIL_PX:
        return width, height
    if width >= height:
        return THUMBNAIL_PX, max(1, round(height * THUMBNAIL_PX / width))
    return max(1, round(width * THUMBNAIL_PX / height)), THUMBNAIL_PX


def _thumbnail(data: bytes) -> Thumbnail | None:
    """``data`` (any image Pillow reads) upright, at most :data:`THUMBNAIL_PX` a side.

    A JPEG is decoded at the smallest of 1/2, 1/4 or 1/8 scale still at least the
    thumbnail's size (``draft``: a 2048 x 1536 photo at 1024 x 768, a 12-megapixel one at
    1008 x 756), then resampled (Lanczos) to it; the small image is turned upright last.
    No full-size copy is made of a JPEG photo."""
    try:
        with PILImage.open(io.BytesIO(data)) as source:
            # in the file's own orientation: EXIF turns it upright below
            size = _thumbnail_size(*source.size)
            drafted = source.draft("RGB", size)
            image: PILImage.Image = source if source.mode == "RGB" else source.convert("RGB")
            if image.size != size:
                image = image.resize(
                    size,
                    PILImage.Resampling.LANCZOS,
                    box=drafted[1] if drafted is not None else None,
                    reducing_gap=2.0,
                )
            image = ImageOps.exif_transpose(image)
    except (OSError, ValueError, SyntaxError, PILImage.DecompressionBombError):
        return None
    buffer = io.BytesIO()
    image.save(buffer, format="JPEG", quality=85)
    return Thumbnail(buffer.getvalue(), image.width, image.height)


#: The last thumbnails made in this process, by SHA-256 of the photo: the UI attests the
#: same photos again (a draft, then the final one; again after an edit), and each took
#: ~28 ms of CPU to decode and reduce (issue 14). A handful, ~60-100 kB each.
_THUMBNAILS: dict[str, Thumbnail | None] = {}
_THUMBNAILS_KEPT = 6
_THUMBNAILS_LOCK = threading.Lock()


def _remembered_thumbnail(data: bytes) -> Thumbnail | None:
    """:func:`_thumbnail` of ``data``, made once per process for the same bytes."""
    key = sha256_bytes(data)
    with _THUMBNAILS_LOCK:
        if key in _THUMBNAILS:
            return _THUMBNAILS[key]
    thumbnail = _thumbnail(data)  # outside the lock: two threads may both make it
    with _THUMBNAILS_LOCK:
        _THUMBNAILS[key] = thumbnail
        while len(_THUMBNAILS) > _THUMBNAILS_KEPT:
            del _THUMBNAILS[next(iter(_THUMBNAILS))]  # the oldest made
    return thumbnail


def _picture(thumbnail: Thumbnail, box_mm: float) -> Image:
    """``thumbnail`` as a flowable fitting a ``box_mm`` square [mm]."""
    ratio = thumbnail.height / thumbnail.width
    width = box_mm * mm
    height = width * ratio
    if height > box_mm * mm:
        height = box_mm * mm
        width = height / ratio
    picture = Image(io.BytesIO(thumbnail.jpeg), width=width, height=height)
    picture._img = _JpegReader(thumbnail.jpeg)  # what Image.draw hands to drawImage
    return picture


class _JpegReader(ImageReader):  # type: ignore[misc]  # reportlab is untyped
    """A JPEG thumbnail for ``Canvas.drawImage``, named by its own bytes.

    drawImage names every image by an MD5 of ``getRGBData()``: the thumbnail decoded to
    raw pixels only for that (~7 ms each, three per attestation), although the PDF carries
    the JPEG as it is (DCTDecode, ``jpeg_fh``). The JPEG's bytes name it as uniquely.
    Anything but a JPEG reportlab passes through is left to ImageReader."""

    def __init__(self, jpeg: bytes) -> None:
        super().__init__(io.BytesIO(jpeg))
        self._jpeg = jpeg

    def getRGBData(self) -> bytes:  # noqa: N802 - reportlab's name
        passed_through = getattr(self, "_jpeg_fh", None) is not None  # reportlab's test
        if not passed_through or getattr(getattr(self, "_image", None), "format", "") != "JPEG":
            return cast(bytes, super().getRGBData())
        self._dataA = None  # no alpha channel: drawImage reads it next
        return self._jpeg


def _section_evidence(
    inputs: AttestationInputs,
    thumbnails: Mapping[ReadingField, Thumbnail | None],
    styles: _Styles,
) -> list[Flowable]:
    cells: list[list[Flowable | str]] = [[], [], []]
    for role in ReadingField:
        facts = inputs.photos.get(role)
        thumbnail = thumbnails.get(role)
        picture = _picture(thumbnail, 54) if thumbnail is not None else None
        cells[0].append(_p(SCREEN_TITLES[role], styles.label))
        cells[1].append(picture if picture is not None else _p("photo absente", styles.cell))
        digest = facts.sha256 if facts and facts.sha256 else "—"
        name = facts.path.name if facts and facts.path else "—"
        cells[2].append(_p(f"{name}\nSHA-256 : {digest[:32]}\n{digest[32:]}", styles.small))
    table = Table(cells, colWidths=[59 * mm] * 3)
    table.setStyle(
        TableStyle(
            [
                ("VALIGN", (0, 0), (-1, -1), "TOP"),
                ("ALIGN", (0, 1), (-1, 1), "CENTER"),
                ("BOX", (0, 0), (-1, -1), 0.3, GRID),
                ("INNERGRID", (0, 0), (-1, -1), 0.3, GRID),
            ]
        )
    )
    # the heading inside the group: keepWithNext cannot join a KeepTogether container
    flow: list[Flowable] = [
        KeepTogether(
            [_p("10. Photos des écrans du compteur (pièces jointes)", styles.heading), table]
        ),
    ]
    tic = inputs.dossier.readings.latest_from(ReadingField.PRM, ReadingSource.TIC)
    if tic is not None:
        meter = f", compteur {tic.meter_id}" if tic.meter_id else ""
        flow.append(_p(f"PRM lu par la TIC : {tic.value} ({fr_dt(tic.at)}{meter})", styles.small))
    return flow


def _signature_box(
    title: str, name: str, image: bytes | None, styles: _Styles, *, by_hand: bool = False
) -> Table:
    picture: Flowable = Spacer(0, 26 * mm)
    if by_hand:  # signed on paper: an image kept in the dossier is not drawn
        picture = _p("Signature manuscrite après impression", styles.small)
    elif image:
        try:
            with PILImage.open(io.BytesIO(image)) as source:
                width, height = source.size
            ratio = height / width
            box_w, box_h = 70 * mm, 26 * mm
            draw_w = box_w
            draw_h = draw_w * ratio
            if draw_h > box_h:
                draw_h = box_h
                draw_w = draw_h / ratio
            picture = Image(io.BytesIO(image), width=draw_w, height=draw_h, mask="auto")
        except (OSError, ValueError, SyntaxError, PILImage.DecompressionBombError):
            picture = _p("(image de signature illisible)", styles.small)
    table = Table(
        [[_p(title, styles.label)], [_p(name or "—", styles.cell)], [picture]],
        colWidths=[84 * mm],
        rowHeights=[None, None, 28 * mm],
    )
    table.setStyle(
        TableStyle(
            [
                ("BOX", (0, 0), (-1, -1), 0.6, ACCENT),
                ("ALIGN", (0, 2), (0, 2), "CENTER"),
                ("VALIGN", (0, 2), (0, 2), "MIDDLE"),
            ]
        )
    )
    return table


def _section_declarations(inputs: AttestationInputs, styles: _Styles) -> list[Flowable]:
    dossier = inputs.dossier
    producer = dossier.producer.name or "le producteur"
    installer = dossier.installer.person or "l'installateur"
    company = f" ({dossier.installer.company})" if dossier.installer.company else ""
    place, signed_on = place_and_date(dossier)
    declarations = [
        _p(SECTION_DECLARATIONS, styles.heading),
        _p(
            f"Je soussigné(e) {producer}, producteur, atteste que les conditions cumulatives "
            "du mode opératoire d'auto-mise en service d'Enedis sont remplies, que la mise en "
            "service a été réalisée par fermeture du disjoncteur du tableau électrique du local "
            "en présence de l'installateur, et que l'essai de bon fonctionnement de la "
            "protection de découplage a été réalisé (ouverture du disjoncteur Enedis et "
            "vérification du découplage).",
            styles.body,
        ),
        Spacer(0, 1.5 * mm),
        _p(
            f"Je soussigné(e) {installer}{company}, installateur, atteste que l'installation "
            "est achevée et raccordée au tableau électrique du local, et que la protection de "
            f"découplage est réglée conformément à {declared_standard(dossier)}.",
            styles.body,
        ),
        Spacer(0, 3 * mm),
        _p(f"Fait à {place}, le {signed_on}.", styles.body),
        Spacer(0, 2 * mm),
    ]
    by_hand = inputs.signature is SignatureKind.BY_HAND
    if inputs.signature is not None and not inputs.draft:
        declarations.insert(
            -1, _p(f"Attestation {SIGNATURE_LABELS[inputs.signature]}.", styles.label)
        )
    boxes = Table(
        [
            [
                _signature_box(
                    "Signature du producteur",
                    dossier.producer.name,
                    inputs.producer_signature,
                    styles,
                    by_hand=by_hand,
                ),
                _signature_box(
                    "Signature de l'installateur",
                    dossier.installer.person,
                    inputs.installer_signature,
                    styles,
                    by_hand=by_hand,
                ),
            ]
        ],
        colWidths=[89 * mm, 89 * mm],
    )
    return [KeepTogether([*declarations, boxes])]
