"""OCR results on disk, keyed by the page image's hash, so an unchanged page is never read twice."""

import hashlib
import json
import os
import tempfile
from pathlib import Path

import numpy as np

from extractor.ocr.types import OcrResult

# Bump when what is stored changes meaning (orientation logic, line building).
# 2: seals found, read and their ink removed before recognition; 3: seals without colour;
# 4: seals keep their ring's recogniser output (SealRead.ring); 5: lines recognised where the one
# detection that found orientation and skew put them
CACHE_VERSION = "5"
# Bump when seal finding or ring reading changes: cached pages keep their text lines, and only their
# seals are found and read again (on the upright page the cached rotation and skew give).
# 4: text band found below a gap under the border, red text lines are not seals, small seals enlarged,
#    square seals read two by two; 5: blue rings with a lettered band count unread
SEAL_VERSION = "5"


def image_key(image: np.ndarray, engine_name: str) -> str:
    h = hashlib.sha256()
    h.update(f"{CACHE_VERSION}|{engine_name}|{image.shape}|{image.dtype}|".encode())
    h.update(np.ascontiguousarray(image).data)
    return h.hexdigest()


class OcrCache:
    """A folder of JSON files. `aliases` map a render key (file hash, page, dpi) to an image key,
    so a re-check finds the result before even rendering the page."""

    def __init__(self, root: Path, enabled: bool = True) -> None:
        self.root = root
        self.enabled = enabled

    def _path(self, kind: str, key: str) -> Path:
        return self.root / kind / key[:2] / f"{key}.json"

    def _read(self, kind: str, key: str) -> str | None:
        if not self.enabled:
            return None
        try:
            return self._path(kind, key).read_text(encoding="utf-8")
        except (OSError, UnicodeDecodeError):
            return None

    def _write(self, kind: str, key: str, text: str) -> None:
        if not self.enabled:
            return
        path = self._path(kind, key)
        try:
            path.parent.mkdir(parents=True, exist_ok=True)
            fd, tmp = tempfile.mkstemp(dir=path.parent, suffix=".tmp")
            with os.fdopen(fd, "w", encoding="utf-8") as fh:
                fh.write(text)
            os.replace(tmp, path)
        except OSError:
            pass  # a cache that cannot be written only costs time

    def get(self, key: str) -> OcrResult | None:
        text = self._read("ocr", key)
        if text is None:
            return None
        try:
            return OcrResult.model_validate_json(text)
        except ValueError:
            return None

    def put(self, key: str, result: OcrResult) -> None:
        self._write("ocr", key, result.model_dump_json())

    def alias(self, render_key: str) -> str | None:
        text = self._read("alias", render_key)
        if text is None:
            return None
        try:
            value = json.loads(text)
        except ValueError:
            return None
        return value if isinstance(value, str) else None

    def set_alias(self, render_key: str, key: str) -> None:
        self._write("alias", render_key, json.dumps(key))

    # -- per file: what a file left in the cache, so it can be purged (管理办法 第十九条) -------------

    def _owner_path(self, owner: str) -> Path:
        return self.root / "owners" / owner[:2] / f"{owner}.txt"

    def remember(self, owner: str, kind: str, key: str) -> None:
        """Note that the entry `kind/key` holds text read from the file whose sha256 is `owner`."""
        if not self.enabled:
            return
        path = self._owner_path(owner)
        line = f"{kind}/{key}\n"
        try:
            if path.is_file() and line in path.read_text(encoding="ascii").splitlines(keepends=True):
                return
            path.parent.mkdir(parents=True, exist_ok=True)
            with path.open("a", encoding="ascii") as fh:
                fh.write(line)
        except OSError:
            pass

    def purge(self, owner: str) -> int:
        """Remove every entry the file left (its pages' text and seals), and its index; how many."""
        path = self._owner_path(owner)
        try:
            lines = path.read_text(encoding="ascii").split()
        except OSError:
            return 0
        removed = 0
        for line in lines:
            kind, _, key = line.partition("/")
            if kind in ("ocr", "alias") and key.isalnum():
                try:
                    self._path(kind, key).unlink()
                    removed += 1
                except FileNotFoundError:
                    pass
        path.unlink(missing_ok=True)
        return removed
