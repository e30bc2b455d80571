"""The one small interface every format parser implements, and what it is given."""

from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

from extractor.ocr.reader import PageReader
from extractor.settings import Settings
from models import ParsedDocument, Source


@dataclass
class ParseContext:
    settings: Settings
    reader: PageReader
    # Pages that ran OCR, text-layer pages, Word files: for the benchmark and eval timing.
    counters: dict[str, int] = field(default_factory=dict)

    def count(self, key: str, n: int = 1) -> None:
        self.counters[key] = self.counters.get(key, 0) + n


# A parser reads one Source whose media type it was chosen for, and returns the parsed document.
# It raises extractor.errors.ParseError (or a subclass) for a file it cannot read.
Parser = Callable[[Source, str, ParseContext], ParsedDocument]


def location(source: Source) -> Path:
    return Path(source.location)
