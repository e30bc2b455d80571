"""Is a PDF page's text layer worth trusting, or must the page be rendered and OCR'd?

Pure functions over the page's text and a few numbers pdfplumber gives.
"""

import re
from dataclasses import dataclass, field

CID = re.compile(r"\(cid:\d+\)")
# An ASCII run right before 年: a year that an OCR layer got wrong reads "ZOq5 年", "2O24年".
YEAR_TOKEN = re.compile(r"(?<![0-9A-Za-z])([0-9A-Za-z]{4})\s*年")
MAX_BAD_SHARE = 0.05
MIN_CHARS = 10
IMAGE_PAGE_COVERAGE = 0.8


@dataclass(frozen=True)
class PageSignals:
    text: str  # the page's characters, in content order, (cid:n) kept as pdfminer writes them
    image_coverage: float  # share of the page covered by images, 0..1
    vector_objects: int = 0  # curves and rects: text drawn as outlines shows up here


@dataclass
class Quality:
    issues: list[str] = field(default_factory=list)

    @property
    def trusted(self) -> bool:
        return not self.issues


def _is_private_use(ch: str) -> bool:
    cp = ord(ch)
    return 0xE000 <= cp <= 0xF8FF or 0xF0000 <= cp <= 0x10FFFF


def garbled_year_share(text: str) -> float:
    """Share of 'NNNN年' tokens that hold letters: years are digits, OCR garbage is not."""
    tokens = YEAR_TOKEN.findall(text)
    if not tokens:
        return 0.0
    bad = sum(1 for t in tokens if re.search(r"[A-Za-z]", t) and re.search(r"\d", t))
    return bad / len(tokens)


def assess(signals: PageSignals) -> Quality:
    """The reasons (stable identifiers) why this page's text layer must not be used."""
    quality = Quality()
    text = signals.text
    cid_count = len(CID.findall(text))
    plain = CID.sub("", text)
    visible = [c for c in plain if not c.isspace()]
    n = len(visible) + cid_count
    if n < MIN_CHARS:
        if signals.image_coverage > 0.05 or signals.vector_objects > 200:
            quality.issues.append("no_text_layer")
        return quality
    if cid_count / n > MAX_BAD_SHARE:
        quality.issues.append("cid_glyphs")
    if sum(c == "\ufffd" for c in visible) / n > MAX_BAD_SHARE:
        quality.issues.append("replacement_chars")
    if sum(_is_private_use(c) for c in visible) / n > MAX_BAD_SHARE:
        quality.issues.append("private_use_chars")
    if garbled_year_share(plain) >= 0.2:
        quality.issues.append("garbled_text")
    if signals.image_coverage >= IMAGE_PAGE_COVERAGE and n < 30:
        quality.issues.append("image_page")
    return quality


def image_coverage(images: list[tuple[float, float, float, float]], width: float, height: float) -> float:
    """Share of the page that images cover (overlaps counted once, on a coarse grid)."""
    if not images or width <= 0 or height <= 0:
        return 0.0
    steps = 50
    covered = 0
    for i in range(steps):
        y = (i + 0.5) * height / steps
        for j in range(steps):
            x = (j + 0.5) * width / steps
            if any(x0 <= x <= x1 and y0 <= y <= y1 for x0, y0, x1, y1 in images):
                covered += 1
    return covered / (steps * steps)
