"""Files that hold several documents (a PDF of the licence followed by three certificates).

Each page is classified on its own title; a page whose title confidently names another document type
starts a new part. The file is typed by its dominant part (most pages; the first on a tie), and every
part is reported with its pages, type and fields, so nothing it holds goes unread.
"""

from dataclasses import dataclass

from extractor.understand.classify import classify
from models import DocType, ParsedDocument

TITLE_CONFIDENCE = 0.9  # a part starts only at a clear title, not at a page of body text


@dataclass(frozen=True)
class Part:
    first: int  # page numbers, 1-based, inclusive
    last: int
    doc_type: DocType
    cue: str

    @property
    def pages(self) -> int:
        return self.last - self.first + 1


def sub_document(document: ParsedDocument, part: Part) -> ParsedDocument:
    pages = [p for p in document.pages if part.first <= p.number <= part.last]
    return document.model_copy(update={"pages": pages, "page_count": len(pages)})


def split_parts(document: ParsedDocument) -> list[Part]:
    """The parts of a multi-document file; [] when it is one document."""
    paged = [p for p in document.pages if p.paged]
    if len(paged) < 2 or len(paged) != len(document.pages):
        return []
    starts: list[tuple[int, DocType, str]] = []
    for page in paged:
        found = classify(document.model_copy(update={"pages": [page]}))
        titled = found.cue != "正文关键词" and found.confidence >= TITLE_CONFIDENCE and found.doc_type != DocType.OTHER
        if not starts:
            starts.append((page.number, found.doc_type if titled else DocType.OTHER, found.cue))
        elif titled and found.doc_type != starts[-1][1]:
            starts.append((page.number, found.doc_type, found.cue))
    if len(starts) < 2:
        return []
    last_page = paged[-1].number
    return [Part(first, (starts[i + 1][0] - 1) if i + 1 < len(starts) else last_page, doc_type, cue)
            for i, (first, doc_type, cue) in enumerate(starts)]


def dominant(parts: list[Part]) -> Part:
    return max(parts, key=lambda p: (p.pages, -p.first))
