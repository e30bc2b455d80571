"""What the generator writes, before it is rendered: documents as blocks, with their gold truth."""

from dataclasses import dataclass, field
from typing import Any


@dataclass
class Block:
    kind: str  # title | p | table | pagebreak | sign
    text: str = ""
    rows: list[list[str]] = field(default_factory=list)
    merges: list[tuple[int, int, int, int]] = field(default_factory=list)  # r0, c0, r1, c1


@dataclass
class SealSpec:
    name: str  # the ring text
    centre: str = ""  # 检验检测专用章, 合同专用章 …
    page: int = -1  # page it is stamped on (-1: the last page)
    colour: tuple[int, int, int] = (215, 30, 35)


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
