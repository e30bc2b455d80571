"""What the generator writes, before it is rendered: documents as blocks, with their gold truth."""

from dataclasses import dataclass, field
from typing import Any

IMAGE_CELL = "[image]"  # a grid cell holding the block's image instead of text


@dataclass
class Block:
    kind: str  # title | p | table | pagebreak | sign | grid (a table without borders) | image
    text: str = ""
    rows: list[list[str]] = field(default_factory=list)
    merges: list[tuple[int, int, int, int]] = field(default_factory=list)  # r0, c0, r1, c1
    # Type and placement, for the independent families (families/). At their defaults a block is
    # written exactly as the base templates write it.
    align: str = ""  # left | center | right | justify
    size: float = 0.0  # font size, pt
    bold: bool = False
    font: str = ""  # sans | serif | mono, or a font family name
    colour: str = ""  # RRGGBB
    indent: float = 0.0  # left indent, cm
    before: float = -1.0  # space before the paragraph, pt (-1: the style's)
    after: float = -1.0  # space after the paragraph, pt (-1: the style's)
    widths: list[float] = field(default_factory=list)  # grid/table column widths, cm
    aligns: list[str] = field(default_factory=list)  # grid: alignment per column
    image: bytes = b""  # PNG for image blocks and for a grid cell whose text is IMAGE_CELL
    image_width: float = 0.0  # cm
    cells: dict[tuple[int, int], "Block"] = field(default_factory=dict)  # grid: a cell's own options (and image)

    @property
    def styled(self) -> bool:
        return bool(self.align or self.size or self.bold or self.font or self.colour or self.indent
                    or self.before >= 0 or self.after >= 0)


@dataclass
class SealSpec:
    name: str  # the ring text
    centre: str = ""  # 检验检测专用章, 合同专用章 …
    page: int = -1  # page it is stamped on (-1: the last page)
    colour: tuple[int, int, int] = (215, 30, 35)
    anchor: str = ""  # text the seal is centred on, if found on its page (else the usual 盖章 search)
    offset: tuple[float, float] = (0.0, 0.0)  # from that text's centre, pt (x right, y down)


@dataclass
class PageSetup:
    """The Word section: paper, margins, a printed frame (certificates' borders)."""

    width: float = 21.0  # cm; wider than high is landscape
    height: float = 29.7
    margins: tuple[float, float, float, float] = (2.0, 2.0, 2.0, 2.0)  # top, right, bottom, left, cm
    border: str = ""  # a w:pgBorders style: single | double | thickThinSmallGap …; "" none
    border_size: int = 12  # eighths of a point
    border_colour: str = "auto"


@dataclass
class Finish:
    """What happens to the pages after printing and before (or while) they are scanned or photographed."""

    watermark: str = ""  # text laid across the page diagonally, repeated (仅供××申报使用)
    watermark_colour: tuple[int, int, int] = (150, 150, 150)
    watermark_opacity: float = 0.35
    glare: bool = False  # uneven light: a bright patch and a darker side (phone photos)
    turn: int = 0  # an extra quarter turn of the page (90/180/270), on top of the scan's own


@dataclass
class ScanOptions:
    dpi: int = 200
    rotate: int = 0  # 0/90/180/270, the way the page lies in the scan
    tilt: float = 0.0
    blur: float = 0.0
    noise: float = 0.0
    jpeg_quality: int = 75


@dataclass
class DocSpec:
    filename: str
    doc_type: str
    blocks: list[Block]
    fields: dict[str, Any]
    delivery: str = "docx"  # docx | doc | pdf | scan | photo | png
    seal: SealSpec | None = None
    scan: ScanOptions = field(default_factory=ScanOptions)
    gold_seal_text: bool = True  # whether the seal text is annotated (False: illegible on purpose)
    family: str = "base"  # the layout family it was written in (gold/generator/families/)
    page: PageSetup | None = None  # None: python-docx's default section
    finish: Finish | None = None  # None: pages scanned as printed


@dataclass
class BundleSpec:
    name: str
    profile: str
    as_of: str
    documents: list[DocSpec]
    findings: list[tuple[str, list[str]]]
    delivery: str = "folder"  # folder | zip | 7z | eml
    tags: list[str] = field(default_factory=list)
    notes: str = ""
    extra_files: dict[str, bytes] = field(default_factory=dict)  # raw files (corrupt, encrypted …)

    @property
    def verdict(self) -> str:
        from gold.generator.rules import SEVERITY

        severities = {SEVERITY[rule] for rule, _ in self.findings}
        if "error" in severities:
            return "fail"
        return "needs_review" if "warning" in severities else "pass"
