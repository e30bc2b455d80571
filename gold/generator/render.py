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
from gold.generator.spec import DocSpec

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


def write_docx(spec: DocSpec, path: Path) -> None:
    doc = Document()
    doc.core_properties.created = FIXED_TIME
    doc.core_properties.modified = FIXED_TIME
    doc.core_properties.author = "precheck gold"
    for block in spec.blocks:
        if block.kind == "title":
            doc.add_heading(block.text, level=1)
        elif block.kind in ("p", "sign"):
            doc.add_paragraph(block.text)
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


def _seal_anchor(pdf: Path, page_index: int, size: tuple[int, int]) -> tuple[int, int]:
    """Where the 盖章 line is on the page (the seal goes over it), else the lower right."""
    import pdfplumber

    with pdfplumber.open(str(pdf)) as doc:
        page = doc.pages[page_index]
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
        pages[index] = stamp(page, seal, _seal_anchor(pdf, index, page.size))
        seal_page = index + 1
    out = []
    for page in pages:
        if opts.tilt:
            page = page.rotate(opts.tilt, resample=Image.BICUBIC, fillcolor="white")
        if opts.blur:
            page = page.filter(ImageFilter.GaussianBlur(opts.blur))
        if opts.noise:
            arr = np.asarray(page).astype(np.int16)
            noise = np.random.default_rng(rng.randrange(1 << 30)).normal(0, opts.noise, arr.shape)
            page = Image.fromarray(np.clip(arr + noise, 0, 255).astype(np.uint8))
        if opts.rotate:
            page = page.rotate(opts.rotate, expand=True)
        out.append(page)
    # pages without a seal as a grey scan (scanners' auto-colour mode), which also keeps files small
    out = [p if seal_page == i + 1 else p.convert("L") for i, p in enumerate(out)]
    return out, seal_page


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
