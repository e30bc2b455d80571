"""What a parser makes of one file: pages, lines, words and tables, each with its box."""

from enum import StrEnum

from pydantic import BaseModel, Field

from models.geometry import BBox
from models.ring import RingProbs


class TextSource(StrEnum):
    TEXT_LAYER = "text_layer"
    OCR = "ocr"
    MIXED = "mixed"
    DOCX = "docx"


class Word(BaseModel):
    text: str
    bbox: BBox | None = None
    confidence: float = Field(default=1.0, ge=0.0, le=1.0)


class Line(BaseModel):
    """A line of text in reading order. Word documents have no geometry: bbox is None."""

    text: str
    bbox: BBox | None = None
    confidence: float = Field(default=1.0, ge=0.0, le=1.0)
    words: list[Word] = Field(default_factory=list)
    role: str = "body"  # body | header | footer | textbox | caption


class Cell(BaseModel):
    row: int = Field(ge=0)
    col: int = Field(ge=0)
    rowspan: int = Field(default=1, ge=1)
    colspan: int = Field(default=1, ge=1)
    text: str = ""
    bbox: BBox | None = None


class Table(BaseModel):
    """A table with merged cells resolved: each Cell sits at its top-left grid slot with its spans."""

    n_rows: int = Field(ge=0)
    n_cols: int = Field(ge=0)
    cells: list[Cell] = Field(default_factory=list)
    bbox: BBox | None = None
    title: str | None = None  # sheet name for spreadsheets

    def grid(self) -> list[list[Cell | None]]:
        """The table as rows x columns, every slot of a merged cell pointing at that cell."""
        rows: list[list[Cell | None]] = [[None] * self.n_cols for _ in range(self.n_rows)]
        for cell in self.cells:
            for r in range(cell.row, min(cell.row + cell.rowspan, self.n_rows)):
                for c in range(cell.col, min(cell.col + cell.colspan, self.n_cols)):
                    rows[r][c] = cell
        return rows

    def row_texts(self) -> list[list[str]]:
        return [[c.text if c else "" for c in row] for row in self.grid()]

    def reading_rows(self) -> list[list[Cell]]:
        """Each row's cells left to right, a merged cell once per row (for reading, not layout)."""
        rows: list[list[Cell]] = []
        for grid_row in self.grid():
            seen: set[int] = set()
            row: list[Cell] = []
            for cell in grid_row:
                if cell is not None and id(cell) not in seen:
                    seen.add(id(cell))
                    row.append(cell)
            rows.append(row)
        return rows

    def row_lines(self) -> list[str]:
        """One tab-joined line of text per non-empty row, in reading order."""
        lines = []
        for row in self.reading_rows():
            text = "\t".join(c.text.replace("\n", " ") for c in row if c.text)
            if text.strip():
                lines.append(text)
        return lines


class PageSeal(BaseModel):
    """A seal found on a page image: where it is (normalised to the page), what it looks like and
    what its ring says. Text beneath it was recognised with the seal's ink removed."""

    bbox: BBox
    colour: str = "red"  # red | blue
    shape: str = "round"  # round | oval | square
    confidence: float = Field(default=1.0, ge=0.0, le=1.0)  # that this is a seal
    cut: bool = False  # part of it lies outside the page
    text: str | None = None  # the organisation's name round the upper arc
    text_confidence: float = Field(default=0.0, ge=0.0, le=1.0)
    centre_text: str | None = None  # the line across the centre: 检验检测专用章, 合同专用章 …
    code: str | None = None  # the number on the lower arc (印章编码)
    ring: RingProbs | None = Field(default=None, exclude=True)  # recogniser output along the name arcs


class Page(BaseModel):
    """One page. `number` is 1-based. Word flow text is one page with `paged=False` (no geometry)."""

    number: int = Field(ge=1)
    width: float = Field(default=0.0, ge=0.0)
    height: float = Field(default=0.0, ge=0.0)
    text_source: TextSource
    paged: bool = True
    lines: list[Line] = Field(default_factory=list)
    tables: list[Table] = Field(default_factory=list)
    rotation: int = 0  # degrees clockwise applied before OCR
    skew: float = 0.0  # degrees corrected before OCR
    quality_issues: list[str] = Field(default_factory=list)  # why a text layer was not trusted
    image_ref: str | None = None  # e.g. word/media/image1.png for images inside a Word file
    seals: list[PageSeal] = Field(default_factory=list)

    @property
    def text(self) -> str:
        return "\n".join(line.text for line in self.lines)


class ParsedDocument(BaseModel):
    path: str
    sha256: str
    media_type: str
    pages: list[Page] = Field(default_factory=list)
    page_count: int | None = None  # None for Word, as the report contract says
    text_source: TextSource | None = None
    errors: list[str] = Field(default_factory=list)
    # a fault of precheck's own (a parser bug), not of the file: logged with its traceback
    internal_error: str | None = None

    @property
    def text(self) -> str:
        return "\n".join(p.text for p in self.pages)

    @property
    def tables(self) -> list[Table]:
        return [t for p in self.pages for t in p.tables]
