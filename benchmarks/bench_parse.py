"""Parsing benchmark: prints numbers, asserts nothing. Whole processes, one run, ratios.

    python -m benchmarks.bench_parse [--pages 50] [--out DIR] [--runtimes onnxruntime,openvino]
                                     [--precision f32|bf16]

For each OCR runtime R (`PRECHECK_OCR_RUNTIME=R`; default: onnxruntime, and openvino when it is
installed), all in one run so that the ratios compare:

- scanned pages: precheck (empty cache) over bare RapidOCR on the same rendered page images, model
  loading included on both sides: over bare RapidOCR on its default onnxruntime engine, and over
  bare RapidOCR on R (EngineType.OPENVINO, default settings); bare OpenVINO over bare onnxruntime;
- re-check of the unchanged scanned bundle (warm cache) over the first check;
- peak memory (max RSS of the whole process tree) of precheck and of the bare engines;
- text-layer PDFs: precheck over bare pdfplumber word + table extraction (no page OCR'd; the OCR
  runtimes a run imports are asked in a second, untimed run that parses in-process);
- a text-layer PDF carrying a stamped picture (Word text and a pasted seal scan, through
  LibreOffice): precheck, which renders the page and reads the seal, over bare pdfplumber;
- seconds per page by text source.

`--precision` sets PRECHECK_OCR_PRECISION for precheck's runs (OpenVINO only; on a CPU without
AVX-512 BF16 / AMX OpenVINO computes in f32 whatever is asked). The bare engines keep defaults.
`--file-memory-mb` sets PRECHECK_FILE_MEMORY_MB for precheck's runs (default: precheck's own cap).
A run in which precheck stopped a file (memory cap, deadline) read fewer pages than asked: its
time is no measure, and its ratios are printed as `stopped …` instead.
"""

import argparse
import importlib.util
import json
import os
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
SEAL_PICTURE = SHARED / "testdata" / "real" / "getseal_zhongdao_crop.png"
RUNTIMES = ("onnxruntime", "openvino")
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


def timed(cmd: list[str], env: dict[str, str] | None = None) -> tuple[float, int, str]:
    """Wall seconds, peak resident memory in MB of the child's whole process tree (precheck parses in
    a worker process: the child alone would hide it), sampled every 20 ms, and its stdout."""
    from extractor.proctree import resident_mb

    started = time.perf_counter()
    with tempfile.TemporaryFile("w+") as out, tempfile.TemporaryFile("w+") as err:
        proc = subprocess.Popen(cmd, stdout=out, stderr=err, text=True, cwd=ROOT,
                                env={**os.environ, **(env or {})})
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


def runtime_env(runtime: str, precision: str, memory_mb: int | None) -> dict[str, str]:
    env = {"PRECHECK_OCR_RUNTIME": runtime, "PRECHECK_OCR_PRECISION": precision}
    if memory_mb:
        env["PRECHECK_FILE_MEMORY_MB"] = str(memory_mb)
    return env


def stopped(run: dict) -> str:
    """The files precheck stopped in a run (memory cap, deadline, crash): empty when none."""
    return ", ".join(f"{k}={v}" for k, v in sorted(run["counters"].items()) if k.startswith("files_stopped") and v)


def stamped_text_pdf(work: Path) -> Path:
    """A Word-made PDF with a pasted seal picture: a paragraph of text and a red ring (a real scanned
    seal, 4 cm across, over the 盖章 line), converted by LibreOffice. Its page has a trusted text
    layer and a picture large enough to hold a seal, so precheck renders it and reads the seal."""
    from docx import Document
    from docx.shared import Cm

    word = Document()
    word.add_paragraph("关于申报质量标杆的推荐函")
    for line in prose()[:12]:
        word.add_paragraph(line)
    word.add_paragraph("申报单位（盖章）：北京中导开源科技有限公司")
    word.add_picture(str(SEAL_PICTURE), width=Cm(4))
    word.add_paragraph("2024年8月31日")
    docx_path = work / "盖章推荐函.docx"
    word.save(str(docx_path))
    return libreoffice_convert(docx_path, "pdf", work / "lo-stamped")


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--pages", type=int, default=50)
    parser.add_argument("--out", type=Path, default=None)
    default_runtimes = ",".join(r for r in RUNTIMES if importlib.util.find_spec(r) is not None)
    parser.add_argument("--runtimes", default=default_runtimes,
                        help=f"comma-separated, of {', '.join(RUNTIMES)} (default: {default_runtimes})")
    parser.add_argument("--precision", choices=("f32", "bf16"), default="f32")
    parser.add_argument("--file-memory-mb", type=int, default=None)
    args = parser.parse_args()
    runtimes = [r.strip() for r in args.runtimes.split(",") if r.strip()]
    unknown = [r for r in runtimes if r not in RUNTIMES]
    if unknown or not runtimes:
        parser.error(f"unknown runtime(s) {unknown}: choose among {', '.join(RUNTIMES)}")
    work = Path(args.out or tempfile.mkdtemp(prefix="precheck-bench-"))
    work.mkdir(parents=True, exist_ok=True)
    py = sys.executable
    results: dict[str, object] = {}

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
    results["scanned_pages"] = args.pages

    # the bare engines first (onnxruntime always: the reference every ratio is taken over)
    bare: dict[str, tuple[float, int]] = {}
    for runtime in dict.fromkeys(["onnxruntime", *runtimes]):
        seconds, mb, lines = timed([py, "-m", "benchmarks.bare_engines", "ocr", "--runtime", runtime,
                                    *image_paths])
        bare[runtime] = (seconds, mb)
        results[f"bare_ocr_s[{runtime}]"] = round(seconds, 2)
        results[f"bare_ocr_peak_mb[{runtime}]"] = mb
        results[f"bare_ocr_lines[{runtime}]"] = int(lines.strip() or 0)
    if "openvino" in bare:
        results["bare_openvino_over_onnxruntime"] = round(bare["openvino"][0] / bare["onnxruntime"][0], 3)

    for runtime in runtimes:
        env = runtime_env(runtime, args.precision, args.file_memory_mb)
        cache = work / f"cache-{runtime}"
        shutil.rmtree(cache, ignore_errors=True)
        first_s, first_mb, out = timed([py, "-m", "benchmarks.run_check", str(pdf_path), str(cache)], env)
        first = json.loads(out)
        again_s, _, out_again = timed([py, "-m", "benchmarks.run_check", str(pdf_path), str(cache)], env)
        again = json.loads(out_again)
        halted = stopped(first)
        results.update({
            f"precheck_scanned_s[{runtime}]": round(first_s, 2),
            f"precheck_scanned_peak_mb[{runtime}]": first_mb,
            f"scanned_files_stopped[{runtime}]": halted or "none",
            f"scanned_ratio_over_bare_onnxruntime[{runtime}]":
                f"stopped ({halted})" if halted else round(first_s / bare["onnxruntime"][0], 3),
            f"scanned_ratio_over_bare_same_runtime[{runtime}]":
                f"stopped ({halted})" if halted else round(first_s / bare[runtime][0], 3),
            f"scanned_pages_ocr[{runtime}]": first["counters"].get("pages_ocr", 0),
            f"ocr_s_per_page[{runtime}]": round(first["seconds_by_source"].get("ocr", 0.0) / args.pages, 3),
            f"recheck_s[{runtime}]": round(again_s, 2),
            f"recheck_speedup[{runtime}]": f"stopped ({halted})" if halted else round(first_s / again_s, 1),
            f"recheck_pages_recognised[{runtime}]": again["counters"].get("pages_recognised", -1),
            f"recheck_files_stopped[{runtime}]": stopped(again) or "none",
        })

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
    stamped_dir = work / "stamped"
    stamped_dir.mkdir(exist_ok=True)
    stamped = stamped_dir / "盖章推荐函.pdf"
    shutil.copy(stamped_text_pdf(work), stamped)
    import pdfplumber

    text_pages = 0
    for p in text_pdfs:
        with pdfplumber.open(p) as pdf:
            text_pages += len(pdf.pages)
    with pdfplumber.open(stamped) as pdf:
        stamped_pages = len(pdf.pages)
        stamped_pictures = sum(len(page.images) for page in pdf.pages)
    bare_pdf_s, _, _ = timed([py, "-m", "benchmarks.bare_engines", "pdf", *text_pdfs])
    bare_stamped_s, _, _ = timed([py, "-m", "benchmarks.bare_engines", "pdf", str(stamped)])
    results.update(text_pages=text_pages, bare_pdfplumber_s=round(bare_pdf_s, 2),
                   stamped_pages=stamped_pages, stamped_pictures=stamped_pictures,
                   bare_pdfplumber_stamped_s=round(bare_stamped_s, 2))
    for runtime in runtimes:
        env = runtime_env(runtime, args.precision, args.file_memory_mb)
        text_cache = work / f"text-cache-{runtime}"
        shutil.rmtree(text_cache, ignore_errors=True)
        pre_pdf_s, pre_pdf_mb, out = timed([py, "-m", "benchmarks.run_check", str(text_dir), str(text_cache)],
                                           env)
        text_run = json.loads(out)
        stamped_cache = work / f"stamped-cache-{runtime}"
        shutil.rmtree(stamped_cache, ignore_errors=True)
        pre_st_s, pre_st_mb, out = timed([py, "-m", "benchmarks.run_check", str(stamped_dir),
                                          str(stamped_cache)], env)
        stamped_run = json.loads(out)
        # untimed, parsed in this process: which OCR runtimes each run imports (the worker's imports
        # are invisible to its caller)
        inline = {**env, "PRECHECK_ISOLATE_FILES": "false"}
        imports: dict[str, list[str]] = {}
        for label, folder in (("text", text_dir), ("stamped", stamped_dir)):
            scratch = work / f"imports-cache-{label}-{runtime}"
            shutil.rmtree(scratch, ignore_errors=True)
            _, _, out = timed([py, "-m", "benchmarks.run_check", str(folder), str(scratch)], inline)
            imports[label] = json.loads(out)["runtimes_imported"]
        results.update({
            f"precheck_text_s[{runtime}]": round(pre_pdf_s, 2),
            f"precheck_text_peak_mb[{runtime}]": pre_pdf_mb,
            f"text_ratio[{runtime}]": round(pre_pdf_s / bare_pdf_s, 3),
            f"text_layer_s_per_page[{runtime}]": round(
                text_run["seconds_by_source"].get("text_layer", 0.0)
                / max(1, text_run["pages_by_source"].get("text_layer", 1)),
                3,
            ),
            f"text_pages_ocr[{runtime}]": text_run["counters"].get("pages_ocr", 0),
            f"text_files_stopped[{runtime}]": stopped(text_run) or "none",
            f"text_seals[{runtime}]": len(text_run["seal_texts"]),
            f"text_runtimes_imported[{runtime}]": ",".join(imports["text"]) or "none",
            f"precheck_stamped_s[{runtime}]": round(pre_st_s, 2),
            f"precheck_stamped_peak_mb[{runtime}]": pre_st_mb,
            f"stamped_ratio[{runtime}]": round(pre_st_s / bare_stamped_s, 3),
            f"stamped_pages_ocr[{runtime}]": stamped_run["counters"].get("pages_ocr", 0),
            f"stamped_files_stopped[{runtime}]": stopped(stamped_run) or "none",
            f"stamped_seal_texts[{runtime}]": "|".join(str(t) for t in stamped_run["seal_texts"]) or "none",
            f"stamped_runtimes_imported[{runtime}]": ",".join(imports["stamped"]) or "none",
        })
    results["ocr_precision_asked"] = args.precision
    results["file_memory_mb"] = args.file_memory_mb or "precheck default"
    results["machine_cores"] = len(os.sched_getaffinity(0))
    for key, value in results.items():
        print(f"{key}\t{value}")
    (work / "bench.json").write_text(json.dumps(results, indent=2, ensure_ascii=False), encoding="utf-8")


if __name__ == "__main__":
    main()
