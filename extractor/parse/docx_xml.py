"""WordprocessingML read directly, for what python-docx skips: content controls (w:sdt), text
boxes (w:txbxContent), tick boxes (glyphs, w14:checkbox, FORMCHECKBOX), merged cells
(gridSpan, vMerge). Pure functions over lxml elements."""

from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import Any

from models import Cell, Table

W = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
W14 = "http://schemas.microsoft.com/office/word/2010/wordml"
MC = "http://schemas.openxmlformats.org/markup-compatibility/2006"
A = "http://schemas.openxmlformats.org/drawingml/2006/main"
R = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
V = "urn:schemas-microsoft-com:vml"

CHECKED = "☑"
UNCHECKED = "☐"
CROSSED = "☒"

# Symbol fonts: the character code a w:sym or a run in that font carries → the box it draws.
_SYMBOL_BOXES = {
    "wingdings": {0xFE: CHECKED, 0xFD: CROSSED, 0xA8: UNCHECKED, 0x6F: UNCHECKED, 0x78: CROSSED, 0xFC: "√"},
    "wingdings 2": {0x52: CHECKED, 0x53: CROSSED, 0x54: CROSSED, 0xA3: UNCHECKED, 0x2A: UNCHECKED, 0x50: "√"},
}


def q(ns: str, tag: str) -> str:
    return f"{{{ns}}}{tag}"


def _val(el: Any, ns: str = W) -> str | None:
    return None if el is None else el.get(q(ns, "val"))


def symbol_glyph(font: str | None, code: int) -> str | None:
    """The box glyph a symbol-font character draws; private-use F0xx codes count as their low byte."""
    if not font:
        return None
    table = _SYMBOL_BOXES.get(font.strip().lower())
    if table is None:
        return None
    if 0xF000 <= code <= 0xF0FF:
        code -= 0xF000
    return table.get(code)


def _run_font(r: Any) -> str | None:
    fonts = r.find(f"{q(W, 'rPr')}/{q(W, 'rFonts')}")
    if fonts is None:
        return None
    return fonts.get(q(W, "ascii")) or fonts.get(q(W, "hAnsi")) or fonts.get(q(W, "cs"))


def _truthy(value: str | None, default: bool = True) -> bool:
    if value is None:
        return default
    return value.lower() not in ("0", "false", "off")


def _sdt_checkbox(sdt: Any) -> bool | None:
    box = sdt.find(f"{q(W, 'sdtPr')}/{q(W14, 'checkbox')}")
    if box is None:
        return None
    return _truthy(_val(box.find(q(W14, "checked")), W14), default=False)


def _ff_checkbox(fld_char: Any) -> bool | None:
    box = fld_char.find(f"{q(W, 'ffData')}/{q(W, 'checkBox')}")
    if box is None:
        return None
    checked = box.find(q(W, "checked"))
    if checked is not None:
        return _truthy(_val(checked))
    return _truthy(_val(box.find(q(W, "default"))), default=False)


@dataclass
class ParagraphContent:
    text: str
    textboxes: list[Any] = field(default_factory=list)  # w:txbxContent elements met inside
    image_rids: list[str] = field(default_factory=list)


def read_paragraph(p: Any) -> ParagraphContent:
    """The text of a w:p as a reader sees it, tick boxes as ☑/☐, text boxes set aside."""
    out: list[str] = []
    content = ParagraphContent(text="")
    in_field_code = [False]

    def walk(el: Any, font: str | None) -> None:
        tag = el.tag
        if not isinstance(tag, str):
            return
        if tag == q(MC, "Fallback") or tag == q(W, "delText") or tag == q(W, "instrText"):
            return
        if tag == q(W, "txbxContent"):
            content.textboxes.append(el)
            return
        if tag == q(W, "sdt"):
            checked = _sdt_checkbox(el)
            if checked is not None:
                out.append(CHECKED if checked else UNCHECKED)
                return
        if tag == q(W, "fldChar"):
            kind = el.get(q(W, "fldCharType"))
            if kind == "begin":
                checked = _ff_checkbox(el)
                if checked is not None:
                    out.append(CHECKED if checked else UNCHECKED)
                in_field_code[0] = True
            elif kind in ("separate", "end"):
                in_field_code[0] = False
            return
        if tag == q(W, "r"):
            font = _run_font(el)
        elif tag == q(W, "t"):
            if not in_field_code[0]:
                text = el.text or ""
                if font and font.lower().startswith("wingdings"):
                    text = "".join(symbol_glyph(font, ord(c)) or c for c in text)
                out.append(text)
            return
        elif tag == q(W, "tab"):
            out.append("\t")
            return
        elif tag in (q(W, "br"), q(W, "cr")):
            out.append("\n")
            return
        elif tag == q(W, "sym"):
            code = el.get(q(W, "char")) or "0"
            try:
                glyph = symbol_glyph(el.get(q(W, "font")), int(code, 16))
            except ValueError:
                glyph = None
            out.append(glyph or "")
            return
        elif tag == q(A, "blip"):
            rid = el.get(q(R, "embed"))
            if rid:
                content.image_rids.append(rid)
        elif tag == q(V, "imagedata"):
            rid = el.get(q(R, "id"))
            if rid:
                content.image_rids.append(rid)
        for child in el:
            walk(child, font)

    for child in p:
        walk(child, None)
    content.text = "".join(out)
    return content


def _iter_children(parent: Any, *tags: str) -> Iterator[Any]:
    """Children with one of `tags`, in order, looking through w:sdt and w:customXml wrappers."""
    wanted = {q(W, tag) for tag in tags}
    for child in parent:
        if child.tag in wanted:
            yield child
        elif child.tag == q(W, "customXml"):
            yield from _iter_children(child, *tags)
        elif child.tag == q(W, "sdt"):
            inner = child.find(q(W, "sdtContent"))
            if inner is not None:
                yield from _iter_children(inner, *tags)


def iter_blocks(container: Any) -> Iterator[Any]:
    """w:p and w:tbl in reading order (a body, a cell, a header, a text box)."""
    return _iter_children(container, "p", "tbl")


@dataclass
class CellContent:
    text: str
    textboxes: list[Any]
    image_rids: list[str]


def read_cell(tc: Any) -> CellContent:
    texts: list[str] = []
    boxes: list[Any] = []
    rids: list[str] = []
    for block in iter_blocks(tc):
        if block.tag == q(W, "p"):
            para = read_paragraph(block)
            texts.append(para.text)
            boxes.extend(para.textboxes)
            rids.extend(para.image_rids)
        else:
            table, inner_boxes, inner_rids = read_table(block)
            texts.extend(table.row_lines())
            boxes.extend(inner_boxes)
            rids.extend(inner_rids)
    return CellContent(text="\n".join(t for t in texts).strip(), textboxes=boxes, image_rids=rids)


MAX_GRID_COLUMNS = 63  # Word's widest table; a gridSpan of 100 million is a hostile file, not a form


def _grid(value: str | None, default: int) -> int:
    """A grid count (gridSpan, gridBefore) held to Word's widest table; junk is the default."""
    try:
        return min(MAX_GRID_COLUMNS, int(value)) if value else default
    except ValueError:
        return default


def read_table(tbl: Any) -> tuple[Table, list[Any], list[str]]:
    """A w:tbl with gridSpan and vMerge resolved into spanning cells."""
    cells: list[Cell] = []
    owner: dict[tuple[int, int], Cell] = {}
    boxes: list[Any] = []
    rids: list[str] = []
    n_cols = len(tbl.findall(f"{q(W, 'tblGrid')}/{q(W, 'gridCol')}"))
    n_rows = 0
    for r, tr in enumerate(_iter_children(tbl, "tr")):
        n_rows = r + 1
        tr_pr = tr.find(q(W, "trPr"))
        col = _grid(_val(tr_pr.find(q(W, "gridBefore"))), 0) if tr_pr is not None else 0
        for tc in _iter_children(tr, "tc"):
            tc_pr = tc.find(q(W, "tcPr"))
            span = 1
            merge: str | None = None
            if tc_pr is not None:
                span = max(1, _grid(_val(tc_pr.find(q(W, "gridSpan"))), 1))
                vmerge = tc_pr.find(q(W, "vMerge"))
                if vmerge is not None:
                    merge = _val(vmerge) or "continue"
            above = owner.get((r - 1, col))
            if merge == "continue" and above is not None:
                above.rowspan = r - above.row + 1
                for c in range(col, col + span):
                    owner[(r, c)] = above
            else:
                content = read_cell(tc)
                boxes.extend(content.textboxes)
                rids.extend(content.image_rids)
                cell = Cell(row=r, col=col, colspan=span, text=content.text)
                cells.append(cell)
                for c in range(col, col + span):
                    owner[(r, c)] = cell
            col += span
        n_cols = max(n_cols, col)
    return Table(n_rows=n_rows, n_cols=n_cols, cells=cells), boxes, rids
