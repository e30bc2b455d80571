"""Evidence cut from the page images, for the HTML report: the region a finding rests on with the
value outlined, and each seal. Pages are rendered the way the OCR saw them (same resolution, quarter
turn and deskew), so the normalised boxes of the report land where the words are."""

from __future__ import annotations

import base64
import io
import zipfile
from collections.abc import Iterable
from pathlib import Path

import numpy as np

from extractor.settings import Settings
from models import BBox, Evidence, ParsedDocument, Report

CROP_WIDTH = 760  # pixels of a crop in the report
CONTEXT = 0.06  # share of the page added round the box, so the label beside a value shows too
HIGHLIGHT = (0, 90, 255)  # BGR: an orange-red outline


def evidence_key(path: str, page: int | None, bbox: BBox | None) -> str:
    return f"{path}|{page}|{','.join(f'{v:.4f}' for v in bbox) if bbox else ''}"


def _pdf_page(location: Path, index: int, dpi: int) -> np.ndarray | None:
    import pypdfium2 as pdfium

    doc = pdfium.PdfDocument(str(location))
    try:
        if index >= len(doc):
            return None
        rgb = np.asarray(doc[index].render(scale=dpi / 72).to_pil().convert("RGB"))
        return np.ascontiguousarray(rgb[:, :, ::-1])
    finally:
        doc.close()


def _docx_picture(location: Path, name: str) -> np.ndarray | None:
    from PIL import Image

    from extractor.parse.image import image_to_bgr

    with zipfile.ZipFile(location) as z, z.open(name) as fh:
        return image_to_bgr(Image.open(io.BytesIO(fh.read())))


def page_image(document: ParsedDocument, number: int, location: Path, settings: Settings) -> np.ndarray | None:
    """The page as the report's boxes see it; None for Word flow text (no geometry)."""
    from extractor.parse.image import iter_frames
    from extractor.vision import orientation as orient

    page = next((p for p in document.pages if p.number == number), None)
    if page is None or not page.paged:
        return None
    if page.image_ref:
        image = _docx_picture(location, page.image_ref)
    elif document.media_type == "application/pdf":
        image = _pdf_page(location, number - 1, settings.render_dpi)
    elif document.media_type.startswith("image/"):
        image = next((f for i, f in enumerate(iter_frames(str(location), settings)) if i == number - 1), None)
    else:
        return None
    if image is None:
        return None
    image = orient.rotate_quarter(image, page.rotation)
    return orient.deskew(image, page.skew) if page.skew else image


def crop(image: np.ndarray, bbox: BBox, outline: bool = True) -> np.ndarray:
    """The box with some page round it, the box outlined, scaled to the report's width."""
    import cv2

    h, w = image.shape[:2]
    x0, y0, x1, y1 = bbox
    cx0, cy0 = max(0.0, x0 - CONTEXT), max(0.0, y0 - CONTEXT / 2)
    cx1, cy1 = min(1.0, x1 + CONTEXT), min(1.0, y1 + CONTEXT / 2)
    px0, py0 = int(cx0 * w), int(cy0 * h)
    px1, py1 = max(px0 + 2, int(cx1 * w)), max(py0 + 2, int(cy1 * h))
    piece = image[py0:py1, px0:px1].copy()
    if outline:
        thickness = max(2, (px1 - px0) // 250)
        cv2.rectangle(piece, (int(x0 * w) - px0, int(y0 * h) - py0), (int(x1 * w) - px0, int(y1 * h) - py0),
                      HIGHLIGHT, thickness)
    scale = min(1.0, CROP_WIDTH / max(1, piece.shape[1]))
    if scale < 1.0:
        piece = cv2.resize(piece, (int(piece.shape[1] * scale), int(piece.shape[0] * scale)),
                           interpolation=cv2.INTER_AREA)
    return piece


def data_uri(image: np.ndarray) -> str:
    import cv2

    ok, buf = cv2.imencode(".jpg", image, [cv2.IMWRITE_JPEG_QUALITY, 80])
    if not ok:
        raise ValueError("crop could not be encoded")
    return "data:image/jpeg;base64," + base64.b64encode(buf.tobytes()).decode("ascii")


def _wanted(report: Report) -> Iterable[Evidence]:
    for finding in report.findings:
        yield from finding.evidence
    for doc in report.documents:
        for seal in doc.seals:
            yield Evidence(path=doc.path, page=seal.page, bbox=seal.bbox, text=seal.text or "")


def evidence_images(report: Report, documents: list[ParsedDocument], locations: dict[str, Path],
                    settings: Settings) -> dict[str, str]:
    """Crops (as data URIs) for every finding's evidence and every seal that has a page and a box.
    A page that cannot be rendered again gives no crop; the report then shows the words alone."""
    by_path = {d.path: d for d in documents}
    pages: dict[tuple[str, int], np.ndarray | None] = {}
    crops: dict[str, str] = {}
    for ev in _wanted(report):
        if ev.page is None or ev.bbox is None or ev.path not in by_path or ev.path not in locations:
            continue
        key = evidence_key(ev.path, ev.page, ev.bbox)
        if key in crops:
            continue
        if (ev.path, ev.page) not in pages:
            try:
                pages[(ev.path, ev.page)] = page_image(by_path[ev.path], ev.page, locations[ev.path], settings)
            except Exception:  # a crop is a convenience: the finding stands without it
                pages[(ev.path, ev.page)] = None
        image = pages[(ev.path, ev.page)]
        if image is not None:
            crops[key] = data_uri(crop(image, ev.bbox))
    return crops
