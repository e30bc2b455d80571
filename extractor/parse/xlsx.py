"""Spreadsheets (统计表) with openpyxl: every sheet a table, merged ranges as spanning cells."""

import datetime as dt
import zipfile
from typing import Any

from extractor.errors import ParseError
from extractor.parse.base import ParseContext, location
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


def parse_xlsx(source: Source, media_type: str, ctx: ParseContext) -> ParsedDocument:
    import openpyxl

    try:
        wb = openpyxl.load_workbook(str(location(source)), data_only=True, read_only=False)
    except (zipfile.BadZipFile, KeyError, ValueError, OSError) as exc:
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
