"""Page images and evidence crops rendered from the stored originals on demand, the way the OCR saw
the page (its quarter turn and deskew, so the report's boxes land on the words), and kept in the store
(`pages/<bundle>/<version>/…`): rendered once for every machine of the service, removed with the bundle."""

from __future__ import annotations

import json
from pathlib import Path

from extractor.intake import open_bundle
from extractor.report.evidence_crops import crop, page_image
from extractor.settings import Settings
from extractor.workdir import private_dir
from models import BBox, ParsedDocument
from service.storage import Store, materialise


def documents_of(pages_json: str) -> list[ParsedDocument]:
    return [ParsedDocument.model_validate(d) for d in json.loads(pages_json)]


def render_page(store: Store, files: list[tuple[str, str]], document: ParsedDocument, number: int,
                settings: Settings, key: str) -> bool:
    """Puts the page as PNG in the store under `key` (unless it is there); False when the document
    has no such page image (Word text)."""
    if store.exists(key):
        return True
    png = page_png(store, files, document, number, settings)
    if png is None:
        return False
    store.put_bytes(key, png)
    return True


def page_png(store: Store, files: list[tuple[str, str]], document: ParsedDocument, number: int,
             settings: Settings) -> bytes | None:
    """The page rendered from the originals (copied into a private folder, removed afterwards)."""
    import cv2

    with private_dir("pages") as folder:
        paths = materialise(store, files, folder)
        with open_bundle(paths[0] if len(paths) == 1 else folder, settings) as intake:
            source = next((s for s in intake.sources if s.path == document.path), None)
            image = page_image(document, number, Path(source.location), settings) if source else None
    if image is None:
        return None
    ok, png = cv2.imencode(".png", image)
    return png.tobytes() if ok else None


def crop_png(page: bytes, bbox: BBox) -> bytes:
    import cv2
    import numpy as np

    image = cv2.imdecode(np.frombuffer(page, np.uint8), cv2.IMREAD_COLOR)
    if image is None:
        return b""
    ok, png = cv2.imencode(".png", crop(image, bbox))
    return png.tobytes() if ok else b""
