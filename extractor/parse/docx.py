"""Word (.docx) through python-docx: paragraphs and tables in reading order, headers and footers,
content controls, text boxes, tick boxes; images pasted into the document OCR'd as pages."""

import io
import zipfile
import zlib
from typing import Any

from extractor.errors import ParseError
from extractor.parse import docx_xml as dx
from extractor.parse.base import ParseContext, location
from extractor.parse.ocr_page import page_from_ocr
from extractor.parse.ooxml import DTD_REFUSAL, parts_with_dtd
from extractor.parse.sniff import DOCX
from models import Line, Page, ParsedDocument, Source, Table, TextSource

_HEADER = "/header"
_FOOTER = "/footer"


def _lines(text: str, role: str) -> list[Line]:
    return [Line(text=part.strip(), role=role) for part in text.split("\n") if part.strip()]


class _Collector:
    def __init__(self) -> None:
        self.lines: list[Line] = []
        self.tables: list[Table] = []
        self.image_rids: list[str] = []

    def blocks(self, container: Any, role: str) -> None:
        for block in dx.iter_blocks(container):
            if block.tag == dx.q(dx.W, "p"):
                para = dx.read_paragraph(block)
                self.lines.extend(_lines(para.text, role))
                self.textboxes(para.textboxes)
                self.image_rids.extend(para.image_rids)
            else:
                table, boxes, rids = dx.read_table(block)
                self.tables.append(table)
                row_role = "table_row" if role == "body" else role
                self.lines.extend(Line(text=text, role=row_role) for text in table.row_lines())
                self.textboxes(boxes)
                self.image_rids.extend(rids)

    def textboxes(self, boxes: list[Any]) -> None:
        for box in boxes:
            self.blocks(box, "textbox")


def _open(path: str) -> Any:
    import docx
    from docx.opc.exceptions import PackageNotFoundError

    try:
        with zipfile.ZipFile(path) as package:
            if "word/document.xml" not in package.namelist():
                raise ParseError("Word 文件缺少正文部分（word/document.xml），文件已损坏")
            if dtd := parts_with_dtd(package):
                raise ParseError(DTD_REFUSAL.format(part=dtd[0]))
    except (zipfile.BadZipFile, OSError, EOFError, zlib.error) as exc:
        raise ParseError(f"Word 文件已损坏，无法打开（{type(exc).__name__}）") from exc
    try:
        return docx.Document(path)
    except (PackageNotFoundError, zipfile.BadZipFile, KeyError, ValueError) as exc:
        raise ParseError(f"Word 文件已损坏，无法打开（{type(exc).__name__}）") from exc
    except Exception as exc:  # lxml syntax errors and the like in a damaged package
        raise ParseError(f"Word 文件内容无法解析（{type(exc).__name__}）") from exc


def parse_docx(source: Source, media_type: str, ctx: ParseContext) -> ParsedDocument:
    document = _open(str(location(source)))
    header = _Collector()
    footer = _Collector()
    if getattr(document.element, "body", None) is None:  # the main part's root is not a w:document
        raise ParseError("Word 文件正文结构异常（正文部分不是 Word 文档），无法解析")
    for rel in document.part.rels.values():
        if rel.is_external:
            continue
        reltype = rel.reltype or ""  # a relationship without a type (damaged) is neither
        if reltype.endswith(_HEADER):
            header.blocks(rel.target_part.element, "header")
        elif reltype.endswith(_FOOTER):
            footer.blocks(rel.target_part.element, "footer")
    body = _Collector()
    body.blocks(document.element.body, "body")

    flow = Page(
        number=1,
        text_source=TextSource.DOCX,
        paged=False,
        lines=header.lines + body.lines + footer.lines,
        tables=body.tables + header.tables + footer.tables,
    )
    pages = [flow, *_image_pages(document, body.image_rids, flow, ctx, source.sha256)]
    return ParsedDocument(
        path=source.path,
        sha256=source.sha256,
        media_type=media_type or DOCX,
        pages=pages,
        page_count=None,
        text_source=TextSource.DOCX,
    )


def _image_pages(document: Any, rids: list[str], flow: Page, ctx: ParseContext, owner: str) -> list[Page]:
    """OCR each distinct picture in the body big enough to hold text (stamped scans pasted in)."""
    from PIL import Image

    from extractor.parse.image import PIL_DAMAGE, image_to_bgr

    pages: list[Page] = []
    seen: set[str] = set()
    for rid in rids:
        rel = document.part.rels.get(rid)
        if rel is None or rel.is_external:
            continue
        part = rel.target_part
        name = str(part.partname).lstrip("/")
        if name in seen:
            continue
        seen.add(name)
        try:
            with Image.open(io.BytesIO(part.blob)) as img:
                w, h = img.size
                if w * h > ctx.settings.max_image_pixels:
                    flow.quality_issues.append(f"embedded_image_too_large:{name}")
                    continue
                if max(w, h) < ctx.settings.min_embedded_image_px:
                    continue
                bgr = image_to_bgr(img)
        except (*PIL_DAMAGE, Image.DecompressionBombError):  # UnidentifiedImageError is an OSError
            flow.quality_issues.append(f"embedded_image_unreadable:{name}")
            continue
        result = ctx.reader.read(lambda bgr=bgr: bgr, owner=owner)  # type: ignore[misc]
        ctx.count("pages_ocr")
        pages.append(page_from_ocr(result, len(pages) + 2, image_ref=name))
    return pages
