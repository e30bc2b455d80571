"""Parsing benchmark: prints numbers, asserts nothing. Whole processes, one run, ratios.

    python -m benchmarks.bench_parse [--pages 50] [--out DIR]

- scanned pages: precheck (empty cache) over bare RapidOCR on the same rendered page images,
  model loading included on both sides;
- text-layer PDFs: precheck over bare pdfplumber word + table extraction;
- re-check of the unchanged scanned bundle (warm cache) over the first check;
- peak memory (max RSS) of precheck on the scanned bundle;
- seconds per page by text source.
"""

import argparse
import json
import random
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from PIL import Image, ImageDraw, ImageFilter

ROOT = Path(__file__).resolve().parents[1]
SHARED = ROOT.parent / "shared"
sys.path.insert(0, str(ROOT))

from tests.builders import cjk_font, libreoffice_convert  # noqa: E402


def prose() -> list[str]:
    """Real Chinese text to draw: the notices in shared/seeds, cut into 32-character lines."""
    text = "".join(p.read_text(encoding="utf-8") for p in sorted((SHARED / "seeds").glob("0*.txt")))
    text = "".join(ch for ch in text if not ch.isspace())
    return [text[i : i + 32] for i in range(0, len(text), 32)]


def scanned_pages(n: int, dpi: int = 200) -> list[Image.Image]:
    rng = random.Random(7)
    lines = prose()
    font = cjk_font(int(dpi / 200 * 38))
    pages = []
    for index in range(n):
        img = Image.new("RGB", (int(8.27 * dpi), int(11.69 * dpi)), "white")
        draw = ImageDraw.Draw(img)
        y = int(0.8 * dpi)
        start = (index * 28) % max(1, len(lines) - 28)
        draw.text((int(0.8 * dpi), y - int(0.4 * dpi)), f"第 {index + 1} 页", fill="black", font=font)
        for line in lines[start : start + 28]:
            draw.text((int(0.8 * dpi), y), line, fill=(20, 20, 20), font=font)
            y += int(font.size * 1.9)
        cx, cy, r = int(5.5 * dpi), int(9.5 * dpi), int(0.8 * dpi)
        draw.ellipse((cx - r, cy - r, cx + r, cy + r), outline=(210, 40, 40), width=int(dpi / 40))
        img = img.rotate(rng.uniform(-1.0, 1.0), fillcolor="white").filter(ImageFilter.GaussianBlur(0.6))
        pages.append(img)
    return pages


def timed(cmd: list[str]) -> tuple[float, int, str]:
    """Wall seconds, peak resident memory in MB of the child's whole process tree (precheck parses in
    a worker process: the child alone would hide it), sampled every 20 ms, and its stdout."""
    from extractor.proctree import resident_mb

    started = time.perf_counter()
    with tempfile.TemporaryFile("w+") as out, tempfile.TemporaryFile("w+") as err:
        proc = subprocess.Popen(cmd, stdout=out, stderr=err, text=True, cwd=ROOT)
        peak = 0.0
        while proc.poll() is None:
            peak = max(peak, resident_mb(proc.pid))
            time.sleep(0.02)
        seconds = time.perf_counter() - started
        out.seek(0)
        err.seek(0)
        if proc.returncode != 0:
            raise RuntimeError(err.read()[-2000:])
        return seconds, round(peak), out.read()


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--pages", type=int, default=50)
    parser.add_argument("--out", type=Path, default=None)
    args = parser.parse_args()
    work = Path(args.out or tempfile.mkdtemp(prefix="precheck-bench-"))
    work.mkdir(parents=True, exist_ok=True)
    py = sys.executable
    results: dict[str, float | int] = {}

    # --- scanned pages -------------------------------------------------------------
    pages = scanned_pages(args.pages)
    scan_dir = work / "scanned"
    scan_dir.mkdir(exist_ok=True)
    pdf_path = scan_dir / "扫描件.pdf"
    pages[0].save(pdf_path, "PDF", resolution=200, save_all=True, append_images=pages[1:])
    rendered = work / "rendered"
    rendered.mkdir(exist_ok=True)
    import numpy as np
    import pypdfium2 as pdfium

    doc = pdfium.PdfDocument(str(pdf_path))
    image_paths = []
    for i in range(len(doc)):
        rgb = np.asarray(doc[i].render(scale=200 / 72).to_pil().convert("RGB"))
        path = rendered / f"page-{i + 1:03d}.png"
        Image.fromarray(rgb).save(path)
        image_paths.append(str(path))
    doc.close()

    bare_s, bare_mb, _ = timed([py, "-m", "benchmarks.bare_engines", "ocr", *image_paths])
    cache = work / "cache"
    shutil.rmtree(cache, ignore_errors=True)
    first_s, first_mb, out = timed([py, "-m", "benchmarks.run_check", str(pdf_path), str(cache)])
    first = json.loads(out)
    again_s, _, out_again = timed([py, "-m", "benchmarks.run_check", str(pdf_path), str(cache)])
    again = json.loads(out_again)
    results.update(
        scanned_pages=args.pages,
        bare_ocr_s=round(bare_s, 2),
        bare_ocr_peak_mb=bare_mb,
        precheck_scanned_s=round(first_s, 2),
        precheck_scanned_peak_mb=first_mb,
        scanned_ratio=round(first_s / bare_s, 3),
        ocr_s_per_page=round(first["seconds_by_source"].get("ocr", 0.0) / args.pages, 3),
        recheck_s=round(again_s, 2),
        recheck_speedup=round(first_s / again_s, 1),
        recheck_pages_recognised=again["counters"].get("pages_recognised", -1),
    )

    # --- text-layer PDFs -----------------------------------------------------------
    text_dir = work / "text"
    text_dir.mkdir(exist_ok=True)
    for name in ("issue-336-example.pdf", "issue-461-example.pdf", "issue-842-example.pdf",
                 "issue-71-duplicate-chars.pdf", "issue_566_test_2.pdf"):
        shutil.copy(SHARED / "testdata" / "pdf" / name, text_dir / name)
    from docx import Document

    word = Document()
    for line in prose()[:900]:
        word.add_paragraph(line)
    table = word.add_table(rows=30, cols=4)
    for r in range(30):
        for c in range(4):
            table.cell(r, c).text = f"项目{r}-{c}"
    word_path = work / "通知汇编.docx"
    word.save(word_path)
    long_pdf = libreoffice_convert(word_path, "pdf", work / "lo")
    shutil.copy(long_pdf, text_dir / long_pdf.name)
    text_pdfs = sorted(str(p) for p in text_dir.glob("*.pdf"))
    import pdfplumber

    text_pages = 0
    for p in text_pdfs:
        with pdfplumber.open(p) as pdf:
            text_pages += len(pdf.pages)
    bare_pdf_s, _, _ = timed([py, "-m", "benchmarks.bare_engines", "pdf", *text_pdfs])
    text_cache = work / "text-cache"
    shutil.rmtree(text_cache, ignore_errors=True)
    pre_pdf_s, pre_pdf_mb, out = timed([py, "-m", "benchmarks.run_check", str(text_dir), str(text_cache)])
    text_run = json.loads(out)
    results.update(
        text_pages=text_pages,
        bare_pdfplumber_s=round(bare_pdf_s, 2),
        precheck_text_s=round(pre_pdf_s, 2),
        precheck_text_peak_mb=pre_pdf_mb,
        text_ratio=round(pre_pdf_s / bare_pdf_s, 3),
        text_layer_s_per_page=round(
            text_run["seconds_by_source"].get("text_layer", 0.0)
            / max(1, text_run["pages_by_source"].get("text_layer", 1)),
            3,
        ),
        text_pages_ocr=text_run["counters"].get("pages_ocr", 0),
    )
    results["machine_cores"] = len(__import__("os").sched_getaffinity(0))
    for key, value in results.items():
        print(f"{key}\t{value}")
    (work / "bench.json").write_text(json.dumps(results, indent=2), encoding="utf-8")


if __name__ == "__main__":
    main()
