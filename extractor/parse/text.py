"""Plain text files (notes, lists): read as UTF-8 or GB18030 so that nothing given is dropped."""

from extractor.errors import ParseError
from extractor.parse.base import ParseContext, location
from models import Line, Page, ParsedDocument, Source, TextSource

MAX_TEXT_BYTES = 5 * 1024 * 1024


def decode_text(data: bytes) -> str:
    for encoding in ("utf-8-sig", "gb18030"):
        try:
            return data.decode(encoding)
        except UnicodeDecodeError:
            continue
    raise ParseError("文本文件编码无法识别（既不是 UTF-8 也不是 GB18030）")


def parse_text(source: Source, media_type: str, ctx: ParseContext) -> ParsedDocument:
    path = location(source)
    if source.size > MAX_TEXT_BYTES:
        raise ParseError("文本文件过大")
    text = decode_text(path.read_bytes())
    lines = [Line(text=t.strip()) for t in text.splitlines() if t.strip()]
    page = Page(number=1, text_source=TextSource.DOCX, paged=False, lines=lines)
    return ParsedDocument(path=source.path, sha256=source.sha256, media_type=media_type, pages=[page])
