"""DocSpecs → files: Word through python-docx, PDF through LibreOffice (one batch), scans and
photos rendered from those PDFs with seals, tilt, rotation, blur, noise and JPEG."""

import datetime as dt
import random
import shutil
import subprocess
from pathlib import Path

import numpy as np
from docx import Document
from docx.enum.text import WD_BREAK
from PIL import Image, ImageFilter

from gold.generator.seal import draw_seal, stamp
from gold.generator.spec import IMAGE_CELL, Block, DocSpec, Finish, PageSetup

FIXED_TIME = dt.datetime(2024, 1, 1, 8, 0, 0)


def fixed_zip_times(path: Path) -> None:
    """Rewrite a zip package (docx) with every member dated FIXED_TIME, so output is byte-stable."""
    import zipfile

    with zipfile.ZipFile(path) as src:
        members = [(info, src.read(info)) for info in src.infolist()]
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as dst:
        for info, data in members:
            fixed = zipfile.ZipInfo(info.filename, date_time=FIXED_TIME.timetuple()[:6])
            fixed.compress_type = zipfile.ZIP_DEFLATED
            dst.writestr(fixed, data)


def stable_pdf(data: bytes) -> bytes:
    """LibreOffice stamps each PDF with the time and a random /ID: overwrite both in place (same
    lengths, so the cross-reference offsets stay right)."""
    import re

    data = re.sub(rb"D:\d{14}", b"D:20240101080000", data)
    data = re.sub(rb"/DocChecksum /[0-9A-F]{32}", b"/DocChecksum /" + b"0" * 32, data)
    return re.sub(rb"<[0-9A-Fa-f]{32}>", b"<" + b"0" * 32 + b">", data)


FONTS = {"sans": "Noto Sans CJK SC", "serif": "Noto Serif CJK SC", "mono": "Noto Sans Mono CJK SC"}
ALIGN = {"left": 0, "center": 1, "right": 2, "justify": 3}


def _style_paragraph(para, block: Block, align: str = "") -> None:  # type: ignore[no-untyped-def]
    """Apply a block's type and placement options to a paragraph and its runs."""
    from docx.oxml.ns import qn
    from docx.shared import Cm, Pt, RGBColor

    fmt = para.paragraph_format
    if align or block.align:
        para.alignment = ALIGN[align or block.align]
    if block.indent:
        fmt.left_indent = Cm(block.indent)
    if block.before >= 0:
        fmt.space_before = Pt(block.before)
    if block.after >= 0:
        fmt.space_after = Pt(block.after)
    if block.size and not para.runs:  # an empty paragraph: its height is its mark's size
        from docx.oxml import OxmlElement

        mark, sz = OxmlElement("w:rPr"), OxmlElement("w:sz")
        sz.set(qn("w:val"), str(round(block.size * 2)))
        mark.append(sz)
        para._p.get_or_add_pPr().append(mark)
    for run in para.runs:
        if block.size:
            run.font.size = Pt(block.size)
        if block.bold:
            run.font.bold = True
        if block.colour:
            run.font.color.rgb = RGBColor.from_string(block.colour)
        if block.font:
            family = FONTS.get(block.font, block.font)
            run.font.name = family
            run._element.get_or_add_rPr().get_or_add_rFonts().set(qn("w:eastAsia"), family)


def _page_setup(doc, page: PageSetup) -> None:  # type: ignore[no-untyped-def]
    from docx.enum.section import WD_ORIENT
    from docx.oxml import OxmlElement
    from docx.oxml.ns import qn
    from docx.shared import Cm

    section = doc.sections[0]
    section.orientation = WD_ORIENT.LANDSCAPE if page.width > page.height else WD_ORIENT.PORTRAIT
    section.page_width, section.page_height = Cm(page.width), Cm(page.height)
    top, right, bottom, left = page.margins
    section.top_margin, section.right_margin = Cm(top), Cm(right)
    section.bottom_margin, section.left_margin = Cm(bottom), Cm(left)
    if page.border:
        borders = OxmlElement("w:pgBorders")
        borders.set(qn("w:offsetFrom"), "page")
        for side in ("top", "left", "bottom", "right"):
            edge = OxmlElement(f"w:{side}")
            edge.set(qn("w:val"), page.border)
            edge.set(qn("w:sz"), str(page.border_size))
            edge.set(qn("w:space"), "24")
            edge.set(qn("w:color"), page.border_colour)
            borders.append(edge)
        section._sectPr.find(qn("w:pgMar")).addnext(borders)


def _grid(doc, block: Block) -> None:  # type: ignore[no-untyped-def]
    """A table without borders (label/value columns laid out as on a licence), or with the grid
    when the block is a styled table."""
    import io

    from docx.shared import Cm

    n_cols = max(len(r) for r in block.rows)
    table = doc.add_table(rows=len(block.rows), cols=n_cols)
    if block.kind == "table":
        table.style = "Table Grid"
    if block.widths:
        table.autofit = False
        for c, width in enumerate(block.widths[:n_cols]):
            table.columns[c].width = Cm(width)
            for cell in table.columns[c].cells:
                cell.width = Cm(width)
    for r0, c0, r1, c1 in block.merges:
        table.cell(r0, c0).merge(table.cell(r1, c1))
    done: list = []  # the cells written (a merged cell is met once per grid column it spans)
    for r, row in enumerate(block.rows):
        for c, text in enumerate(row):
            cell = table.cell(r, c)
            if not text or any(cell._tc is tc for tc in done):
                continue
            done.append(cell._tc)
            style = block.cells.get((r, c), block)
            align = style.align or (block.aligns[c] if c < len(block.aligns) else "")
            if text == IMAGE_CELL:
                para = cell.paragraphs[0]
                width = style.image_width or block.image_width or 2.5
                para.add_run().add_picture(io.BytesIO(style.image or block.image), width=Cm(width))
                _style_paragraph(para, style, align)
                continue
            cell.text = text
            for para in cell.paragraphs:
                _style_paragraph(para, style, align)


def write_docx(spec: DocSpec, path: Path) -> None:
    doc = Document()
    doc.core_properties.created = FIXED_TIME
    doc.core_properties.modified = FIXED_TIME
    doc.core_properties.author = "precheck gold"
    if spec.page is not None:
        _page_setup(doc, spec.page)
    for block in spec.blocks:
        if block.kind == "title":
            heading = doc.add_heading(block.text, level=1)
            if block.styled:
                _style_paragraph(heading, block)
        elif block.kind in ("p", "sign"):
            para = doc.add_paragraph(block.text)
            if block.styled:
                _style_paragraph(para, block)
        elif block.kind == "grid" or (block.kind == "table" and (block.widths or block.styled)):
            _grid(doc, block)
        elif block.kind == "image":
            import io

            from docx.shared import Cm

            para = doc.add_paragraph()
            para.add_run().add_picture(io.BytesIO(block.image), width=Cm(block.image_width or 2.5))
            _style_paragraph(para, block)
        elif block.kind == "pagebreak":
            doc.add_paragraph().add_run().add_break(WD_BREAK.PAGE)
        elif block.kind == "table":
            n_cols = max(len(r) for r in block.rows)
            table = doc.add_table(rows=len(block.rows), cols=n_cols)
            table.style = "Table Grid"
            for r, row in enumerate(block.rows):
                for c, text in enumerate(row):
                    if text:
                        table.cell(r, c).text = text
            for r0, c0, r1, c1 in block.merges:
                keep = table.cell(r0, c0).text
                merged = table.cell(r0, c0).merge(table.cell(r1, c1))
                merged.text = keep
    doc.save(path)
    fixed_zip_times(path)


def convert_all(paths: list[Path], target: str, out_dir: Path) -> None:
    """One LibreOffice run for many files (starting it is the slow part)."""
    if not paths:
        return
    exe = shutil.which("soffice") or shutil.which("libreoffice")
    if exe is None:
        raise RuntimeError("LibreOffice is needed to generate the corpus: run .ci/install.sh")
    out_dir.mkdir(parents=True, exist_ok=True)
    profile = out_dir / "lo-profile"
    for i in range(0, len(paths), 40):
        subprocess.run([exe, f"-env:UserInstallation={profile.as_uri()}", "--headless", "--convert-to", target,
                        "--outdir", str(out_dir), *map(str, paths[i : i + 40])],
                       check=True, capture_output=True, timeout=1200)


def render_pages(pdf: Path, dpi: int) -> list[Image.Image]:
    import pypdfium2 as pdfium

    doc = pdfium.PdfDocument(str(pdf))
    pages = [doc[i].render(scale=dpi / 72).to_pil().convert("RGB") for i in range(len(doc))]
    doc.close()
    return pages


def _seal_anchor(pdf: Path, page_index: int, size: tuple[int, int], anchor: str = "",
                 offset: tuple[float, float] = (0.0, 0.0)) -> tuple[int, int]:
    """Where the 盖章 line is on the page (the seal goes over it), else the lower right. With an
    anchor: centred on that text (moved by `offset` points), when the page has it."""
    import pdfplumber

    with pdfplumber.open(str(pdf)) as doc:
        page = doc.pages[page_index]
        if anchor:
            hits = page.search(anchor, regex=False)
            if hits:
                h = hits[-1]
                sx, sy = size[0] / float(page.width), size[1] / float(page.height)
                return (int(((h["x0"] + h["x1"]) / 2 + offset[0]) * sx),
                        int(((h["top"] + h["bottom"]) / 2 + offset[1]) * sy))
        for word in ("盖章", "专用章", "登记机关", "测评机构", "国家知识产权局", "批准号"):
            hits = page.search(word)
            if hits:
                h = hits[-1]
                sx, sy = size[0] / float(page.width), size[1] / float(page.height)
                return int(min(h["x1"] * sx + 40 * sx, size[0] * 0.75)), int(h["top"] * sy)
    return int(size[0] * 0.68), int(size[1] * 0.72)


def scanned(spec: DocSpec, pdf: Path, rng: random.Random) -> tuple[list[Image.Image], int | None]:
    """The pages of a scan, and the 1-based page that carries the seal (None: no seal)."""
    opts = spec.scan
    pages = render_pages(pdf, opts.dpi)
    seal_page = None
    if spec.seal is not None:
        index = spec.seal.page - 1 if spec.seal.page > 0 else len(pages) - 1
        index = min(index, len(pages) - 1)
        page = pages[index]
        diameter = int(opts.dpi * 1.6)
        seal = draw_seal(spec.seal.name, spec.seal.centre, diameter, spec.seal.colour, rng)
        seal = seal.rotate(rng.uniform(-25, 25), resample=Image.BICUBIC)
        pages[index] = stamp(page, seal, _seal_anchor(pdf, index, page.size, spec.seal.anchor, spec.seal.offset))
        seal_page = index + 1
    finish = spec.finish
    if finish is not None and finish.watermark:
        pages = [_watermark(p, finish, rng) for p in pages]
    out = []
    for page in pages:
        if finish is not None and finish.turn:
            page = page.rotate(finish.turn, expand=True)
        if opts.tilt:
            page = page.rotate(opts.tilt, resample=Image.BICUBIC, fillcolor="white")
        if opts.blur:
            page = page.filter(ImageFilter.GaussianBlur(opts.blur))
        if opts.noise:
            arr = np.asarray(page).astype(np.int16)
            noise = np.random.default_rng(rng.randrange(1 << 30)).normal(0, opts.noise, arr.shape)
            page = Image.fromarray(np.clip(arr + noise, 0, 255).astype(np.uint8))
        if finish is not None and finish.glare:
            page = _glare(page, rng)
        if opts.rotate:
            page = page.rotate(opts.rotate, expand=True)
        out.append(page)
    # pages without a seal as a grey scan (scanners' auto-colour mode), which also keeps files small
    out = [p if seal_page == i + 1 else p.convert("L") for i, p in enumerate(out)]
    return out, seal_page


def _watermark(page: Image.Image, finish: Finish, rng: random.Random) -> Image.Image:
    """The applicant's 仅供××使用 watermark: grey text in rows across the page, at an angle."""
    from PIL import ImageDraw

    from gold.generator.seal import _font

    w, h = page.size
    size = max(16, w // 22)
    font = _font(size)
    side = int((w * w + h * h) ** 0.5)
    layer = Image.new("L", (side, side), 0)
    draw = ImageDraw.Draw(layer)
    step_x = int(draw.textlength(finish.watermark, font=font) + size * 3)
    step_y = size * 5
    shift = rng.randrange(step_x)
    for row, y in enumerate(range(0, side, step_y)):
        for x in range(-step_x + (shift + row * step_x // 2) % step_x, side, step_x):
            draw.text((x, y), finish.watermark, font=font, fill=int(255 * finish.watermark_opacity))
    layer = layer.rotate(rng.choice([28, 32, 35, 45]), resample=Image.Resampling.BICUBIC)
    left, top = (side - w) // 2, (side - h) // 2
    alpha = layer.crop((left, top, left + w, top + h))
    ink = Image.new("RGB", (w, h), finish.watermark_colour)
    return Image.composite(ink, page.convert("RGB"), alpha)


def _glare(page: Image.Image, rng: random.Random) -> Image.Image:
    """Light from one side of a desk: a washed-out patch (the lamp's reflection) and a darker side."""
    arr = np.asarray(page.convert("RGB")).astype(np.float32)
    h, w = arr.shape[:2]
    ys, xs = np.mgrid[0:h, 0:w].astype(np.float32)
    cx, cy = rng.uniform(0.2, 0.8) * w, rng.uniform(0.15, 0.6) * h
    radius = rng.uniform(0.15, 0.3) * min(w, h)
    spot = np.exp(-((xs - cx) ** 2 + (ys - cy) ** 2) / (2 * radius**2))[..., None]
    arr = arr + (255 - arr) * spot * rng.uniform(0.55, 0.8)
    angle = rng.uniform(0, 2 * np.pi)
    ramp = (xs * np.cos(angle) + ys * np.sin(angle)) / (abs(np.cos(angle)) * w + abs(np.sin(angle)) * h)
    ramp = (ramp - ramp.min()) / max(float(ramp.max() - ramp.min()), 1e-6)
    arr = arr * (1.0 - 0.28 * ramp[..., None])
    return Image.fromarray(np.clip(arr, 0, 255).astype(np.uint8))


def save_scan_pdf(pages: list[Image.Image], path: Path, dpi: int, quality: int) -> None:
    first, *rest = pages
    first.save(path, "PDF", resolution=dpi, save_all=True, append_images=rest, quality=quality,
               creationDate=FIXED_TIME.timetuple(), modDate=FIXED_TIME.timetuple())


def photo(page: Image.Image, rng: random.Random) -> Image.Image:
    """A phone photo of a page: perspective, a darker corner, a desk around it."""
    import cv2

    arr = np.asarray(page.convert("RGB"))
    h, w = arr.shape[:2]
    d = int(min(w, h) * 0.06)
    src = np.float32([[0, 0], [w, 0], [w, h], [0, h]])
    dst = np.float32([[d + rng.randint(0, d), d], [w - d, rng.randint(0, d)],
                      [w - rng.randint(0, d), h - d], [rng.randint(0, d), h - rng.randint(0, d)]])
    matrix = cv2.getPerspectiveTransform(src, dst)
    warped = cv2.warpPerspective(arr, matrix, (w, h), borderValue=(120, 110, 100))
    shade = np.linspace(1.0, 0.8, w)[None, :, None]
    return Image.fromarray(np.clip(warped * shade, 0, 255).astype(np.uint8))
