"""Page images and evidence crops rendered from the stored originals on demand, the way the OCR saw
the page (its quarter turn and deskew, so the report's boxes land on the words), and cached."""

from __future__ import annotations

import json
from pathlib import Path

from extractor.intake import open_bundle
from extractor.report.evidence_crops import crop, page_image
from extractor.settings import Settings
from extractor.workdir import private_dir
from models import BBox, ParsedDocument
from service.storage import BlobStore, materialise, write_atomic


def documents_of(pages_json: str) -> list[ParsedDocument]:
    return [ParsedDocument.model_validate(d) for d in json.loads(pages_json)]


def render_page(blobs: BlobStore, files: list[tuple[str, str]], document: ParsedDocument, number: int,
                settings: Settings, target: Path) -> bool:
    """Writes the page as PNG to `target`; False when the document has no such page image (Word text)."""
    import cv2

    if target.exists():
        return True
    with private_dir("pages") as folder:
        paths = materialise(blobs, files, folder)
        with open_bundle(paths[0] if len(paths) == 1 else folder, settings) as intake:
            source = next((s for s in intake.sources if s.path == document.path), None)
            image = page_image(document, number, Path(source.location), settings) if source else None
    if image is None:
        return False
    ok, png = cv2.imencode(".png", image)
    if not ok:
        return False
    write_atomic(target, png.tobytes())
    return True


def crop_png(page_png: Path, bbox: BBox) -> bytes:
    import cv2
    import numpy as np

    image = cv2.imdecode(np.frombuffer(page_png.read_bytes(), np.uint8), cv2.IMREAD_COLOR)
    if image is None:
        return b""
    ok, png = cv2.imencode(".png", crop(image, bbox))
    return png.tobytes() if ok else b""
