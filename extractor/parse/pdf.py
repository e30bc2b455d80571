"""PDF: the text layer through pdfplumber, page by page; pages whose layer fails the quality gate
are rendered (pypdfium2) and OCR'd."""

import contextlib
from typing import Any

import numpy as np

from extractor.errors import EncryptedFile, ParseError
from extractor.ocr.reader import render_key
from extractor.parse.base import ParseContext, location
from extractor.parse.ocr_page import page_from_ocr, page_seals
from extractor.parse.sniff import PDF
from extractor.parse.text_quality import PageSignals, assess, image_coverage
from models import Cell, Line, Page, ParsedDocument, Source, Table, TextSource, Word
from models.geometry import normalise_box

SEAL_PICTURE_MIN_PT = 36.0  # half an inch: a seal is 38–42 mm across, icons and logos are smaller


def _is_password_error(exc: BaseException) -> bool:
    seen: BaseException | None = exc
    while seen is not None:
        name = type(seen).__name__
        if "Password" in name or "Encrypt" in name or "password" in str(seen).lower():
            return True
        seen = seen.__cause__ or seen.__context__
        if seen is exc:
            break
    return False


def _open(path: str) -> Any:
    import pdfplumber

    try:
        return pdfplumber.open(path)
    except Exception as exc:
        if _is_password_error(exc):
            raise EncryptedFile("PDF 文件已加密，需要密码才能打开") from exc
        raise ParseError(f"PDF 文件已损坏，无法打开（{type(exc).__name__}）") from exc


def _text_page(page: Any, number: int, doubled: int) -> Page:
    width, height = float(page.width), float(page.height)

    def box(obj: dict[str, Any]) -> tuple[float, float, float, float]:
        return normalise_box(obj["x0"], obj["top"], obj["x1"], obj["bottom"], width, height)

    words = page.extract_words(keep_blank_chars=False, use_text_flow=False)
    raw_lines = page.extract_text_lines(layout=False, strip=True, return_chars=False)
    lines: list[Line] = []
    for raw in raw_lines:
        top, bottom, x0, x1 = raw["top"], raw["bottom"], raw["x0"], raw["x1"]
        members = [
            Word(text=w["text"], bbox=box(w))
            for w in words
            if top - 1 <= (w["top"] + w["bottom"]) / 2 <= bottom + 1 and w["x0"] >= x0 - 1 and w["x1"] <= x1 + 1
        ]
        lines.append(Line(text=raw["text"], bbox=box(raw), words=members))
    tables = [_table(t, width, height) for t in page.find_tables()]
    issues = ["doubled_glyphs_removed"] if doubled else []
    return Page(
        number=number,
        width=width,
        height=height,
        text_source=TextSource.TEXT_LAYER,
        lines=lines,
        tables=[t for t in tables if t is not None],
        quality_issues=issues,
    )


def _table(found: Any, width: float, height: float) -> Table | None:
    """A pdfplumber table → Table with spans from the cell edges (merged cells cover several slots)."""
    texts = found.extract()
    cells_raw = []
    for r, row in enumerate(found.rows):
        for c, bbox in enumerate(row.cells):
            if bbox is None:
                continue
            text = texts[r][c] if r < len(texts) and c < len(texts[r]) else None
            cells_raw.append((bbox, text or ""))
    if not cells_raw:
        return None
    xs = sorted({round(v, 1) for (x0, _, x1, _), _ in cells_raw for v in (x0, x1)})
    ys = sorted({round(v, 1) for (_, y0, _, y1), _ in cells_raw for v in (y0, y1)})

    def index(values: list[float], v: float) -> int:
        return min(range(len(values)), key=lambda i: abs(values[i] - v))

    cells = []
    for (x0, y0, x1, y1), text in cells_raw:
        c0, c1 = index(xs, x0), index(xs, x1)
        r0, r1 = index(ys, y0), index(ys, y1)
        cells.append(
            Cell(
                row=r0,
                col=c0,
                rowspan=max(1, r1 - r0),
                colspan=max(1, c1 - c0),
                text=text.strip(),
                bbox=normalise_box(x0, y0, x1, y1, width, height),
            )
        )
    return Table(
        n_rows=len(found.rows),
        n_cols=max(1, len(xs) - 1),
        cells=cells,
        bbox=normalise_box(found.bbox[0], found.bbox[1], found.bbox[2], found.bbox[3], width, height),
    )


def render_scale(width_pt: float, height_pt: float, dpi: int, max_pixels: int) -> float:
    """Points → pixels at `dpi`, lowered so that an oversized page never exceeds `max_pixels`."""
    scale = dpi / 72
    area = max(width_pt * height_pt, 1.0)
    if area * scale * scale > max_pixels:
        scale = (max_pixels / area) ** 0.5
    return scale


class _Renderer:
    """Renders pages to BGR arrays with pypdfium2, opening the file only if a page needs it."""

    def __init__(self, path: str, dpi: int, max_pixels: int) -> None:
        self.path = path
        self.dpi = dpi
        self.max_pixels = max_pixels
        self._doc: Any = None

    def _document(self) -> Any:
        import pypdfium2 as pdfium

        if self._doc is None:
            self._doc = pdfium.PdfDocument(self.path)
        return self._doc

    def page_count(self) -> int | None:
        """The page count PDFium reads (it rebuilds a broken cross-reference table its own way): more
        pages there than pdfminer found means pages were lost. None when PDFium cannot open it."""
        try:
            return len(self._document())
        except Exception:
            return None

    def __call__(self, index: int) -> np.ndarray:
        page = self._document()[index]
        width, height = page.get_size()
        scale = render_scale(width, height, self.dpi, self.max_pixels)
        bitmap = page.render(scale=scale, grayscale=False)
        rgb = np.asarray(bitmap.to_pil().convert("RGB"))
        return np.ascontiguousarray(rgb[:, :, ::-1])

    def close(self) -> None:
        if self._doc is not None:
            self._doc.close()


def parse_pdf(source: Source, media_type: str, ctx: ParseContext) -> ParsedDocument:
    path = str(location(source))
    pdf = _open(path)
    renderer = _Renderer(path, ctx.settings.render_dpi, ctx.settings.max_image_pixels)
    pages: list[Page] = []
    try:
        if len(pdf.pages) > ctx.settings.max_pages:
            raise ParseError(f"PDF 页数过多（{len(pdf.pages)} 页，上限 {ctx.settings.max_pages} 页）")
        for index, raw_page in enumerate(pdf.pages):
            pages.append(_parse_page(raw_page, index, source, renderer, ctx))
            raw_page.close()
        declared = renderer.page_count() if pages else None
    except ParseError:
        raise
    except Exception as exc:
        raise ParseError(f"PDF 第 {len(pages) + 1} 页无法解析（{type(exc).__name__}: {exc}）") from exc
    finally:
        with contextlib.suppress(Exception):  # pdfplumber's close walks the page tree again: it fails as parsing did
            pdf.close()
        renderer.close()
    if not pages:
        raise ParseError("PDF 中找不到任何页面（交叉引用表或页面目录已损坏），无法读取")
    errors = []
    if declared is not None and declared > len(pages):
        errors.append(f"PDF 已损坏：文件含 {declared} 页，只读出 {len(pages)} 页，其余页面丢失")
    kinds = {p.text_source for p in pages}
    if kinds == {TextSource.OCR}:
        text_source = TextSource.OCR
    elif TextSource.OCR in kinds:
        text_source = TextSource.MIXED
    else:
        text_source = TextSource.TEXT_LAYER
    return ParsedDocument(
        path=source.path,
        sha256=source.sha256,
        media_type=PDF,
        pages=pages,
        page_count=len(pages),
        text_source=text_source,
        errors=errors,
    )


def _parse_page(raw_page: Any, index: int, source: Source, renderer: _Renderer, ctx: ParseContext) -> Page:
    deduped = raw_page.dedupe_chars()
    doubled = len(raw_page.chars) - len(deduped.chars)
    width, height = float(raw_page.width), float(raw_page.height)
    images = [(im["x0"], im["top"], im["x1"], im["bottom"]) for im in raw_page.images]
    signals = PageSignals(
        text="".join(ch["text"] for ch in deduped.chars),
        image_coverage=image_coverage(images, width, height),
        vector_objects=len(raw_page.curves) + len(raw_page.rects),
    )
    quality = assess(signals)
    key = render_key(source.sha256, index, renderer.dpi, renderer.max_pixels)
    if quality.trusted:
        ctx.count("pages_text_layer")
        page = _text_page(deduped, index + 1, doubled)
        if any(min(x1 - x0, y1 - y0) >= SEAL_PICTURE_MIN_PT for x0, y0, x1, y1 in images):
            # a stamped seal is a picture on a text page (an e-seal, a pasted scan of one): the page
            # is rendered for it only when a picture is large enough to hold one
            page.seals = page_seals(ctx.reader.read_seals(lambda: renderer(index), key, owner=source.sha256))
        return page
    result = ctx.reader.read(lambda: renderer(index), stable_key=key, owner=source.sha256)
    ctx.count("pages_ocr")
    return page_from_ocr(result, index + 1, quality_issues=quality.issues)
