"""Spreadsheets (统计表) with openpyxl: every sheet a table, merged ranges as spanning cells."""

import datetime as dt
import re
import zipfile
import zlib
from collections.abc import Iterator
from typing import Any

from extractor.errors import ParseError
from extractor.parse.base import ParseContext, location
from extractor.parse.ooxml import DTD_REFUSAL, parts_with_dtd
from models import Cell, Line, Page, ParsedDocument, Source, Table, TextSource

MAX_CELLS = 200_000


def _text(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, dt.datetime):
        return value.date().isoformat() if value.time() == dt.time() else value.isoformat(sep=" ")
    if isinstance(value, dt.date):
        return value.isoformat()
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value).strip()


def sheet_table(ws: Any) -> Table:
    spans: dict[tuple[int, int], tuple[int, int]] = {}
    covered: set[tuple[int, int]] = set()
    for rng in ws.merged_cells.ranges:
        spans[(rng.min_row, rng.min_col)] = (rng.max_row - rng.min_row + 1, rng.max_col - rng.min_col + 1)
        for r in range(rng.min_row, rng.max_row + 1):
            for c in range(rng.min_col, rng.max_col + 1):
                if (r, c) != (rng.min_row, rng.min_col):
                    covered.add((r, c))
    n_rows, n_cols = ws.max_row or 0, ws.max_column or 0
    if n_rows * n_cols > MAX_CELLS:
        raise ParseError(f"工作表“{ws.title}”过大（{n_rows} 行 × {n_cols} 列）")
    cells = []
    for row in ws.iter_rows(min_row=1, max_row=n_rows, max_col=n_cols):
        for item in row:
            key = (item.row, item.column)
            if key in covered:
                continue
            text = _text(item.value)
            rowspan, colspan = spans.get(key, (1, 1))
            if text or key in spans:
                cells.append(Cell(row=item.row - 1, col=item.column - 1, rowspan=rowspan, colspan=colspan, text=text))
    return Table(n_rows=n_rows, n_cols=n_cols, cells=cells, title=ws.title)


_MERGE = re.compile(rb'<(?:\w+:)?mergeCell\s+ref="([A-Z]{1,3})(\d{1,7}):([A-Z]{1,3})(\d{1,7})"')
_SCAN_CHUNK = 1 << 20


def _column(letters: bytes) -> int:
    n = 0
    for ch in letters:
        n = n * 26 + (ch - 64)
    return n


def merged_areas(package: zipfile.ZipFile) -> Iterator[tuple[str, int]]:
    """(sheet part, cells) of every merged range, read from the sheets' XML before openpyxl loads them:
    openpyxl makes one object per covered cell, so A1:XFD1048576 alone would take minutes and gigabytes."""
    for info in package.infolist():
        if not info.filename.startswith("xl/worksheets/") or not info.filename.endswith(".xml"):
            continue
        tail = b""
        with package.open(info) as fh:
            while chunk := fh.read(_SCAN_CHUNK):
                block = tail + chunk
                for m in _MERGE.finditer(block):
                    rows = int(m.group(4)) - int(m.group(2)) + 1
                    cols = _column(m.group(3)) - _column(m.group(1)) + 1
                    yield info.filename, abs(rows) * abs(cols)
                tail = block[-200:]


def parse_xlsx(source: Source, media_type: str, ctx: ParseContext) -> ParsedDocument:
    import openpyxl

    try:
        with zipfile.ZipFile(str(location(source))) as package:
            if dtd := parts_with_dtd(package):
                raise ParseError(DTD_REFUSAL.format(part=dtd[0]))
            for part, cells in merged_areas(package):
                if cells > MAX_CELLS:
                    raise ParseError(f"工作表合并区域过大（{part.rsplit('/', 1)[-1]}：{cells} 个单元格），拒绝解析")
    except (zipfile.BadZipFile, KeyError, OSError, EOFError, zlib.error, NotImplementedError, RuntimeError) as exc:
        raise ParseError(f"Excel 文件已损坏，无法打开（{type(exc).__name__}）") from exc
    try:
        # a file object, not the path: openpyxl refuses a good workbook by its name (.xls, .zip)
        with open(location(source), "rb") as fh:
            wb = openpyxl.load_workbook(fh, data_only=True, read_only=False)
    except Exception as exc:  # openpyxl on a damaged workbook raises whatever its readers meet (fuzzed)
        raise ParseError(f"Excel 文件已损坏，无法打开（{type(exc).__name__}）") from exc
    pages = []
    try:
        for number, ws in enumerate(wb.worksheets, start=1):
            table = sheet_table(ws)
            lines = [Line(text=ws.title, role="caption")]
            lines.extend(Line(text=text, role="table_row") for text in table.row_lines())
            pages.append(Page(number=number, text_source=TextSource.DOCX, paged=False, lines=lines, tables=[table]))
    finally:
        wb.close()
    return ParsedDocument(
        path=source.path, sha256=source.sha256, media_type=media_type, pages=pages, page_count=None, text_source=None
    )
