"""Rows of cells, the one shape every source is read in for label → value pairing.

A Word table row is one row whose cells are the table's cells; a Word paragraph is a row of one cell.
On a page with geometry (text layer or OCR), lines whose vertical extents overlap are one row, read
left to right: a form's label and its value, printed side by side, become neighbouring cells.
"""

import itertools
from dataclasses import dataclass

from models import Line, ParsedDocument, TextSource, Word
from models.geometry import BBox

ROW_OVERLAP = 0.5  # share of the smaller line's height two lines must share to be one row


@dataclass(frozen=True)
class TextCell:
    text: str
    page: int | None  # None for Word (no pages)
    bbox: BBox | None
    confidence: float = 1.0
    ocr: bool = False  # read by OCR (look-alike characters possible), not from a text layer or Word
    words: tuple[Word, ...] = ()  # the line's words with their boxes (none for Word)

    def span_bbox(self, start: int, end: int) -> BBox | None:
        """The box of the words under `text[start:end]` (a value's own words, not the whole line);
        the cell's box when the words cannot be placed in the text."""
        if not self.words or self.bbox is None:
            return self.bbox
        boxes, cursor = [], 0
        for word in self.words:
            token = word.text.strip()
            if not token:
                continue
            at = self.text.find(token, cursor)
            if at < 0:
                return self.bbox
            cursor = at + len(token)
            if word.bbox is not None and at < end and cursor > start:
                boxes.append(word.bbox)
        if not boxes:
            return self.bbox
        return (min(b[0] for b in boxes), min(b[1] for b in boxes), max(b[2] for b in boxes),
                max(b[3] for b in boxes))


@dataclass(frozen=True)
class Row:
    cells: tuple[TextCell, ...]
    page: int | None

    @property
    def text(self) -> str:
        return "\t".join(c.text for c in self.cells)


def _overlap(a: tuple[float, float], b: tuple[float, float]) -> float:
    return max(0.0, min(a[1], b[1]) - max(a[0], b[0]))


CELL_GAP = 1.2  # a gap between words wider than this many line heights parts two cells of one line


def _word_spans(line: Line) -> list[tuple[int, int, Word]] | None:
    """Each word's character range in the line's text (None when the words do not spell the line)."""
    spans, cursor = [], 0
    text = line.text
    for word in line.words:
        token = word.text.strip()
        if not token:
            continue
        at = text.find(token, cursor)
        if at < 0:
            return None
        cursor = at + len(token)
        spans.append((at, cursor, word))
    return spans


def split_line(line: Line, aspect: float) -> list[Line]:
    """A line cut where its words stand far apart: a text layer or a scan prints two label：value
    pairs on one line (签发日期：… 有效期至：…) or a table's columns without rules. `aspect` is the
    page's width over its height (boxes are normalised to the page)."""
    if line.bbox is None or len(line.words) < 2:
        return [line]
    spans = _word_spans(line)
    if not spans or any(w.bbox is None for _, _, w in spans):
        return [line]
    height = max(line.bbox[3] - line.bbox[1], 1e-6)
    groups: list[list[tuple[int, int, Word]]] = [[spans[0]]]
    for prev, cur in itertools.pairwise(spans):
        gap = (cur[2].bbox[0] - prev[2].bbox[2]) * aspect  # type: ignore[index]
        if gap > CELL_GAP * height:
            groups.append([cur])
        else:
            groups[-1].append(cur)
    if len(groups) == 1:
        return [line]
    parts = []
    for group in groups:
        start, end = group[0][0], group[-1][1]
        boxes = [w.bbox for _, _, w in group if w.bbox is not None]
        bbox = (min(b[0] for b in boxes), min(b[1] for b in boxes), max(b[2] for b in boxes), max(b[3] for b in boxes))
        parts.append(Line(text=line.text[start:end], bbox=bbox, confidence=line.confidence,
                          words=[w for _, _, w in group], role=line.role))
    return parts


TALL_LINE = 2.5  # a line this many times the page's median line height runs across lines: a diagonal watermark


def _tall(lines: list[Line]) -> set[int]:
    """Lines much taller than the page's text lines (仅供××使用 printed diagonally across the page):
    they would chain every row they cross into one, so they are read as rows of their own."""
    heights = sorted(ln.bbox[3] - ln.bbox[1] for ln in lines if ln.bbox is not None)
    if len(heights) < 5:
        return set()
    median = heights[len(heights) // 2]
    return {id(ln) for ln in lines if ln.bbox is not None and ln.bbox[3] - ln.bbox[1] > TALL_LINE * median}


def _page_rows(lines: list[Line], page: int, ocr: bool) -> list[Row]:
    tall = _tall(lines)
    boxed = sorted((ln for ln in lines if ln.bbox is not None and ln.text.strip() and id(ln) not in tall),
                   key=lambda ln: ln.bbox[1])  # type: ignore[index]
    groups: list[list[Line]] = []
    spans: list[tuple[float, float]] = []
    for line in boxed:
        assert line.bbox is not None
        span = (line.bbox[1], line.bbox[3])
        height = max(span[1] - span[0], 1e-6)
        for group, gspan in zip(groups, spans, strict=True):
            gheight = min(max(gspan[1] - gspan[0], 1e-6), height)
            if _overlap(span, gspan) >= ROW_OVERLAP * gheight:
                group.append(line)
                break
        else:
            groups.append([line])
            spans.append(span)
    rows = []
    for group in groups:
        group.sort(key=lambda ln: ln.bbox[0])  # type: ignore[index]
        cells = tuple(TextCell(ln.text.strip(), page, ln.bbox, ln.confidence, ocr, tuple(ln.words)) for ln in group)
        rows.append(Row(cells, page))
    rows.sort(key=lambda r: min(c.bbox[1] for c in r.cells if c.bbox))
    unboxed = [Row((TextCell(ln.text.strip(), page, None, ln.confidence, ocr),), page)
               for ln in lines if ln.bbox is None and ln.text.strip()]
    across = [Row((TextCell(ln.text.strip(), page, ln.bbox, ln.confidence, ocr, tuple(ln.words)),), page)
              for ln in lines if id(ln) in tall and ln.text.strip()]
    return rows + unboxed + across


def _flow_rows(lines: list[Line]) -> list[Row]:
    rows = []
    for line in lines:
        if not line.text.strip():
            continue
        parts = [p.strip() for p in line.text.split("\t")] if line.role == "table_row" else [line.text.strip()]
        cells: list[TextCell] = []
        for part in parts:
            if part and (not cells or cells[-1].text != part):  # a merged cell repeated across the grid
                cells.append(TextCell(part, None, None, line.confidence))
        if cells:
            rows.append(Row(tuple(cells), None))
    return rows


def document_rows(document: ParsedDocument) -> list[Row]:
    """Every row of the document in reading order, headers and footers left out."""
    rows: list[Row] = []
    for page in document.pages:
        body = [ln for ln in page.lines if ln.role not in ("header", "footer")]
        if page.paged:
            aspect = page.width / page.height if page.width and page.height else 1.0
            cut = [part for line in body for part in split_line(line, aspect)]
            rows.extend(_page_rows(cut, page.number, page.text_source == TextSource.OCR))
        else:
            rows.extend(_flow_rows(body))
    return rows
