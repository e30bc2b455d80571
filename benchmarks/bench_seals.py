"""Seals benchmark: prints numbers, asserts nothing. Paired pages, one factor varied at a time.

    python -m benchmarks.bench_seals [--docs 8] [--out FILE.json] [--work DIR]

Documents that carry a seal are generated with the gold generator (gold/generator/documents.py:
application form, licence, test report, commitment letter, certificates, recommendation form,
satisfaction report, patent certificate) and made into text-layer PDFs by LibreOffice (one batch).
For every document and condition its pages are rendered twice, identical in everything but the seal
(the seal is drawn and stamped as gold/generator/render.py `scanned` does: `draw_seal`, `stamp` with
multiply blending, over the line `_seal_anchor` finds), and saved as a file at the scan's own
resolution: a PNG for one page, a multi-page TIFF otherwise (a scanned PDF would be re-rendered at
PRECHECK_RENDER_DPI, which would blur the dpi condition). Both go through `parse_source` +
`document_report` with one fresh, empty OCR cache for the run (a page image that is byte-identical
in two files, such as the pages without the seal, is recognised once: the same image gives the
same reading).

Conditions, each varying one factor from the default (200 dpi, no tilt, seal over the 盖章/anchor
line, full ink): dpi 150 / 300, tilt 3°, seal on blank paper (no text beneath), faded ink (alpha
×0.5, colour (235, 120, 120)).

Per condition: field recall (true positives / gold fields, values compared as `precheck eval`
does) with and without the seal and their difference in points (the target: under one point), seals
found where stamped, seals reported on bare documents, and seal texts matching the SealSpec name
(rapidfuzz ratio without spaces ≥ 0.8, as extractor/evaluate/metrics.py). What the seal cost is
listed below the table: fields lost or changed under the seal, seals missed, texts misread.
"""

import argparse
import importlib
import json
import random
import shutil
import sys
import tempfile
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import numpy as np
from PIL import Image

from extractor.evaluate.metrics import SEAL_TEXT_MIN_SIMILARITY
from extractor.evaluate.normalise import values_match
from extractor.intake.folder import collect_sources
from extractor.ocr.reader import PageReader
from extractor.parse import ParseContext, parse_source
from extractor.pipeline import document_report
from extractor.settings import Settings
from gold.generator import documents as d
from gold.generator import facts
from gold.generator.dates import shift
from gold.generator.spec import DocSpec
from models import DocumentReport

# The generator's rendering and seal drawing (and the test helpers they use) are outside the typed
# packages (pyproject: mypy packages = models, extractor, service): imported by name, so that mypy
# checks this script and not them.
render: Any = importlib.import_module("gold.generator.render")
seal_art: Any = importlib.import_module("gold.generator.seal")

# One of each document type that carries a seal, in an order that spreads a small --docs over them.
KINDS = ("application_form", "business_license", "test_report", "commitment_letter", "certificate",
         "recommendation_form", "satisfaction_report", "patent_certificate")
FADED_COLOUR = (235, 120, 120)
FADED_ALPHA = 0.5
FOUND_TOLERANCE = 0.05  # share of the page a found seal's box may lie off the stamped centre (tilt moves it)


@dataclass(frozen=True)
class Condition:
    key: str
    label: str
    dpi: int = 200
    tilt: float = 0.0
    place: str = "anchor"  # anchor: over the 盖章 line | blank: on paper with no text beneath
    faded: bool = False


CONDITIONS = (
    Condition("default", "default: 200 dpi, tilt 0, over anchor line, full ink"),
    Condition("dpi150", "dpi 150", dpi=150),
    Condition("dpi300", "dpi 300", dpi=300),
    Condition("tilt3", "tilt 3°", tilt=3.0),
    Condition("blank", "seal on blank paper (no text beneath)", place="blank"),
    Condition("faded", "faded ink (alpha x0.5, pale red)", faded=True),
)


@dataclass
class Row:
    """One condition's counts over the documents."""

    condition: Condition
    docs: int = 0
    gold_fields: int = 0
    tp_sealed: int = 0
    tp_bare: int = 0
    seal_pages: int = 0
    seals_found: int = 0
    bare_docs: int = 0
    bare_with_seal: int = 0
    seal_text_ok: int = 0
    extra_seals_sealed: int = 0  # seals reported elsewhere than where the seal was stamped
    seconds: float = 0.0
    unmeasured: list[str] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)
    documents: list[dict[str, Any]] = field(default_factory=list)


def make_spec(index: int) -> DocSpec:
    """The index-th document: KINDS in turn, each round with another company and layout."""
    kind = KINDS[index % len(KINDS)]
    turn = index // len(KINDS)
    rng = random.Random(f"bench-seals/{index}/{kind}")
    c = facts.make_company(rng)
    product, all_grades, standard = rng.choice(facts.PRODUCTS)
    grades = rng.sample(all_grades, k=min(3, len(all_grades)))
    when = shift("2024-08-31", -rng.randint(10, 400))
    name = f"{index + 1:02d}"
    if kind == "application_form":
        if turn % 3 == 1:
            return d.award_application_2023(rng, c, f"{name}申报表.pdf", rng.choice(facts.RECOMMENDERS_2021), when,
                                            delivery="scan")
        return d.application_2024(rng, c, f"{name}申报书.pdf", product, grades, rng.choice(d.LEVELS), when,
                                  delivery="scan", layout=1 if turn % 3 == 2 else 0)
    if kind == "business_license":
        return d.business_license(rng, c, f"{name}营业执照.pdf", layout=turn % 2)
    if kind == "test_report":
        return d.test_report(rng, c, f"{name}检验检测报告.pdf", when, product, grades, standard)
    if kind == "commitment_letter":
        return d.commitment_letter(rng, c, f"{name}承诺书.pdf", when)
    if kind == "certificate":
        cert = ("qms", "ems", "ohsms")[turn % 3]
        return d.certificate(rng, cert, c, f"{name}{d.CERT_TITLES[cert][0]}.pdf", when, product=product)
    if kind == "recommendation_form":
        return d.recommendation_2021(rng, c, f"{name}推荐表.pdf", rng.choice(facts.RECOMMENDERS_2021), when)
    if kind == "satisfaction_report":
        return d.satisfaction_report(rng, c, f"{name}用户满意度测评报告.pdf", when, product,
                                     round(rng.uniform(86, 93), 1))
    return d.patent_certificate(rng, c, f"{name}专利证书.pdf", when)


def text_pdfs(specs: list[DocSpec], work: Path) -> list[Path]:
    """The text-layer PDF of every spec (Word through LibreOffice, one batch, as the generator does)."""
    staging = work / "docx"
    staging.mkdir(parents=True, exist_ok=True)
    paths = []
    for spec in specs:
        path = staging / f"{Path(spec.filename).stem}.docx"
        render.write_docx(spec, path)
        paths.append(path)
    render.convert_all(paths, "pdf", work / "pdf")
    return [work / "pdf" / f"{p.stem}.pdf" for p in paths]


def blank_spot(page: Image.Image, side: int, near: tuple[int, int]) -> tuple[int, int] | None:
    """The centre of a square of `side` (plus a tenth round it) with no ink at all, inside the page
    and off its edges, nearest to `near`; None when the page has no such place."""
    ink = (np.asarray(page.convert("L")) < 235).astype(np.int64)
    h, w = ink.shape
    box = side + 2 * (side // 10)
    edge = int(0.03 * min(w, h))
    integral = np.pad(ink.cumsum(0).cumsum(1), ((1, 0), (1, 0)))
    step = max(4, side // 16)
    ys = np.arange(edge, h - edge - box + 1, step)
    xs = np.arange(edge, w - edge - box + 1, step)
    if not len(ys) or not len(xs):
        return None
    y0, x0 = ys[:, None], xs[None, :]
    sums = integral[y0 + box, x0 + box] - integral[y0, x0 + box] - integral[y0 + box, x0] + integral[y0, x0]
    free = np.argwhere(sums == 0)
    if not len(free):
        return None
    centres = np.stack([xs[free[:, 1]] + box // 2, ys[free[:, 0]] + box // 2], axis=1)
    best = centres[np.argmin(((centres - np.array(near)) ** 2).sum(axis=1))]
    return int(best[0]), int(best[1])


def render_pair(spec: DocSpec, pdf: Path, cond: Condition, seed: str) -> tuple[list[Image.Image], list[Image.Image],
                                                                             int, tuple[float, float] | None]:
    """The pages with the seal and without it (identical otherwise), the 0-based seal page and the
    stamped centre as a share of the page (None: no blank place for the seal on that page)."""
    assert spec.seal is not None
    pages = render.render_pages(pdf, cond.dpi)
    index = spec.seal.page - 1 if spec.seal.page > 0 else len(pages) - 1
    index = min(index, len(pages) - 1)
    page = pages[index]
    seal_rng = random.Random(seed)  # the same seal (turn, face, specks) in every condition at one dpi
    turn = seal_rng.uniform(-25, 25)
    colour = FADED_COLOUR if cond.faded else spec.seal.colour
    diameter = int(cond.dpi * 1.6)
    seal = seal_art.draw_seal(spec.seal.name, spec.seal.centre, diameter, colour, seal_rng)
    seal = seal.rotate(turn, resample=Image.Resampling.BICUBIC)
    if cond.faded:
        seal.putalpha(seal.getchannel("A").point(lambda a: int(a * FADED_ALPHA)))
    anchor = render._seal_anchor(pdf, index, page.size)
    at = anchor if cond.place == "anchor" else blank_spot(page, diameter, anchor)
    sealed = list(pages)
    centre = None
    if at is not None:
        sealed[index] = seal_art.stamp(page, seal, at)
        centre = (at[0] / page.width, at[1] / page.height)

    def finish(images: list[Image.Image]) -> list[Image.Image]:
        out = []
        for i, img in enumerate(images):
            img = img.convert("RGB")
            if cond.tilt:
                img = img.rotate(cond.tilt, resample=Image.Resampling.BICUBIC, fillcolor="white")
            # as `scanned`: pages without the seal in grey; the seal page in colour in both versions
            out.append(img if i == index else img.convert("L"))
        return out

    return finish(sealed), finish(pages), index, centre


def save(pages: list[Image.Image], folder: Path, stem: str, dpi: int) -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    if len(pages) == 1:
        path = folder / f"{stem}.png"
        pages[0].save(path, dpi=(dpi, dpi))
    else:
        path = folder / f"{stem}.tif"
        pages[0].save(path, save_all=True, append_images=pages[1:], compression="tiff_deflate", dpi=(dpi, dpi))
    return path


def read(path: Path, ctx: ParseContext) -> tuple[DocumentReport, list[str]]:
    [source] = collect_sources(path)
    doc = parse_source(source, ctx)
    return document_report(doc), list(doc.errors)


def seal_similarity(gold: str, predicted: str | None) -> float:
    """As `precheck eval` scores seal text (extractor/evaluate/metrics.py)."""
    from rapidfuzz import fuzz

    if not predicted:
        return 0.0
    return fuzz.ratio(gold.replace(" ", ""), predicted.replace(" ", "")) / 100.0


def got(report: DocumentReport, key: str) -> Any:
    return report.fields[key].value if key in report.fields else None


def measure(spec: DocSpec, pdf: Path, cond: Condition, work: Path, ctx: ParseContext, row: Row) -> None:
    assert spec.seal is not None
    stem = Path(spec.filename).stem
    sealed_pages, bare_pages, index, centre = render_pair(spec, pdf, cond, f"bench-seals/{spec.filename}")
    if centre is None:
        row.unmeasured.append(f"{stem}: no blank place for a seal of {cond.dpi * 1.6 / 2.54:.1f} cm on page "
                              f"{index + 1}")
        return
    sealed_report, sealed_errors = read(save(sealed_pages, work / cond.key / "sealed", stem, cond.dpi), ctx)
    bare_report, bare_errors = read(save(bare_pages, work / cond.key / "bare", stem, cond.dpi), ctx)
    if sealed_errors or bare_errors:
        row.notes.append(f"{stem}: unreadable (sealed {sealed_errors}, bare {bare_errors})")
    seal_page = index + 1
    hits_sealed = {k: got(sealed_report, k) is not None and values_match(v, got(sealed_report, k))
                   for k, v in spec.fields.items()}
    hits_bare = {k: got(bare_report, k) is not None and values_match(v, got(bare_report, k))
                 for k, v in spec.fields.items()}
    on_page = [s for s in sealed_report.seals if s.page == seal_page]

    def where_stamped(bbox: tuple[float, float, float, float]) -> bool:
        assert centre is not None
        x0, y0, x1, y1 = bbox
        t = FOUND_TOLERANCE
        return x0 - t <= centre[0] <= x1 + t and y0 - t <= centre[1] <= y1 + t

    found = [s for s in on_page if where_stamped(s.bbox)]
    extra = len(sealed_report.seals) - min(1, len(found))
    best = max((seal_similarity(spec.seal.name, s.text) for s in on_page), default=0.0)
    row.docs += 1
    row.gold_fields += len(spec.fields)
    row.tp_sealed += sum(hits_sealed.values())
    row.tp_bare += sum(hits_bare.values())
    row.seal_pages += 1
    row.seals_found += bool(found)
    row.bare_docs += 1
    row.bare_with_seal += bool(bare_report.seals)
    row.seal_text_ok += best >= SEAL_TEXT_MIN_SIMILARITY
    row.extra_seals_sealed += extra
    lost = sorted(k for k in spec.fields if hits_bare[k] and not hits_sealed[k])
    gained = sorted(k for k in spec.fields if hits_sealed[k] and not hits_bare[k])
    for k in lost:
        row.notes.append(f"{stem}: field {k} lost under the seal: gold {spec.fields[k]!r}, "
                         f"sealed {got(sealed_report, k)!r}, bare {got(bare_report, k)!r}")
    for k in gained:
        row.notes.append(f"{stem}: field {k} right only with the seal: gold {spec.fields[k]!r}, "
                         f"sealed {got(sealed_report, k)!r}, bare {got(bare_report, k)!r}")
    if not found:
        seen = ", ".join(f"p{s.page} {tuple(round(v, 2) for v in s.bbox)}" for s in sealed_report.seals) or "none"
        row.notes.append(f"{stem}: seal missed on page {seal_page} (stamped at {centre[0]:.2f},{centre[1]:.2f}; "
                         f"seals reported: {seen})")
    elif best < SEAL_TEXT_MIN_SIMILARITY:
        texts = " / ".join(repr(s.text) for s in on_page)
        row.notes.append(f"{stem}: seal text {texts} for {spec.seal.name!r} (similarity {best:.2f})")
    if extra:
        row.notes.append(f"{stem}: {extra} seal(s) reported besides the stamped one on the sealed document")
    for version, report in (("sealed", sealed_report), ("bare", bare_report)):
        if report.doc_type != spec.doc_type:
            row.notes.append(f"{stem}: typed {report.doc_type} ({version}), not {spec.doc_type}")
    for s in bare_report.seals:
        row.notes.append(f"{stem}: false seal on the bare document, page {s.page} {s.bbox} text {s.text!r}")
    row.documents.append({
        "file": spec.filename, "doc_type": spec.doc_type, "seal_name": spec.seal.name, "seal_page": seal_page,
        "pages": len(sealed_pages), "stamped_at": [round(centre[0], 3), round(centre[1], 3)],
        "doc_type_sealed": str(sealed_report.doc_type), "doc_type_bare": str(bare_report.doc_type),
        "fields": {k: {"gold": v, "sealed": got(sealed_report, k), "bare": got(bare_report, k),
                       "sealed_ok": hits_sealed[k], "bare_ok": hits_bare[k]} for k, v in spec.fields.items()},
        "seal_found": bool(found), "seal_text_similarity": round(best, 3),
        "seals_sealed": [{"page": s.page, "bbox": [round(v, 3) for v in s.bbox], "text": s.text,
                          "confidence": s.confidence, "kind": s.kind, "anchor": s.anchor}
                         for s in sealed_report.seals],
        "seals_bare": [{"page": s.page, "bbox": [round(v, 3) for v in s.bbox], "text": s.text}
                       for s in bare_report.seals],
        "errors": sealed_errors + bare_errors,
    })


def pct(hits: int, total: int) -> str:
    return f"{100 * hits / total:.0f}" if total else "-"


def points(row_tp_sealed: int, row_tp_bare: int, total: int) -> float | None:
    return 100 * (row_tp_sealed - row_tp_bare) / total if total else None


def render_table(rows: list[Row]) -> list[str]:
    header = ["condition", "docs", "recall sealed %", "recall bare %", "difference (points)",
              "seal found", "false seals (bare)", "seal text >=0.8"]
    body = []
    for r in rows:
        diff = points(r.tp_sealed, r.tp_bare, r.gold_fields)
        body.append([
            r.condition.label, str(r.docs),
            f"{pct(r.tp_sealed, r.gold_fields)} ({r.tp_sealed}/{r.gold_fields})",
            f"{pct(r.tp_bare, r.gold_fields)} ({r.tp_bare}/{r.gold_fields})",
            "-" if diff is None else f"{diff:+.1f}",
            f"{r.seals_found}/{r.seal_pages}", f"{r.bare_with_seal}/{r.bare_docs}",
            f"{r.seal_text_ok}/{r.seal_pages}",
        ])
    widths = [max(len(line[i]) for line in [header, *body]) for i in range(len(header))]
    fmt = "  ".join(f"{{:{'<' if i == 0 else '>'}{w}}}" for i, w in enumerate(widths))
    return [fmt.format(*header), fmt.format(*["-" * w for w in widths]), *(fmt.format(*line) for line in body)]


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--docs", type=int, default=8, help="documents (document types in turn)")
    parser.add_argument("--out", type=Path, default=None, help="write the figures as JSON here")
    parser.add_argument("--work", type=Path, default=None, help="keep the generated files here (default: removed)")
    args = parser.parse_args()
    started = time.perf_counter()
    work = Path(args.work or tempfile.mkdtemp(prefix="precheck-bench-seals-"))
    work.mkdir(parents=True, exist_ok=True)
    cache = Path(tempfile.mkdtemp(prefix="precheck-bench-seals-cache-"))
    try:
        specs = [make_spec(i) for i in range(args.docs)]
        pdfs = text_pdfs(specs, work)
        missing = [p.name for p in pdfs if not p.is_file()]
        if missing:
            sys.exit(f"LibreOffice did not write {missing}: nothing can be measured")
        settings = Settings(cache_dir=cache)
        ctx = ParseContext(settings=settings, reader=PageReader(settings))
        rows = []
        for cond in CONDITIONS:
            row = Row(cond)
            t = time.perf_counter()
            for spec, pdf in zip(specs, pdfs, strict=True):
                print(f"[{time.perf_counter() - started:5.0f} s] {cond.key}: {spec.filename}", file=sys.stderr)
                measure(spec, pdf, cond, work, ctx, row)
            row.seconds = time.perf_counter() - t
            rows.append(row)
    finally:
        shutil.rmtree(cache, ignore_errors=True)
        if args.work is None:
            shutil.rmtree(work, ignore_errors=True)
    seconds = time.perf_counter() - started

    print(f"documents\t{len(specs)}: " + ", ".join(f"{s.filename} ({s.doc_type})" for s in specs))
    for line in render_table(rows):
        print(line)
    gold = sum(r.gold_fields for r in rows)
    tp_sealed, tp_bare = sum(r.tp_sealed for r in rows), sum(r.tp_bare for r in rows)
    overall = points(tp_sealed, tp_bare, gold)
    print(f"overall recall with seal {pct(tp_sealed, gold)} %, without {pct(tp_bare, gold)} %, difference "
          + ("-" if overall is None else f"{overall:+.1f} points") + f" ({tp_sealed} vs {tp_bare} of {gold} fields)")
    print(f"seals found\t{sum(r.seals_found for r in rows)}/{sum(r.seal_pages for r in rows)}"
          f"\tfalse seals on bare documents\t{sum(r.bare_with_seal for r in rows)}/{sum(r.bare_docs for r in rows)}"
          f"\tseal text >=0.8\t{sum(r.seal_text_ok for r in rows)}/{sum(r.seal_pages for r in rows)}")
    print(f"OCR pages recognised\t{ctx.reader.pages_recognised}\ttotal seconds\t{seconds:.0f}")
    for r in rows:
        for line in r.unmeasured:
            print(f"not measured [{r.condition.key}] {line}")
        for line in r.notes:
            print(f"[{r.condition.key}] {line}")

    if args.out:
        result = {
            "documents": [{"file": s.filename, "doc_type": s.doc_type, "fields": len(s.fields)} for s in specs],
            "conditions": [{
                "key": r.condition.key, "label": r.condition.label, "dpi": r.condition.dpi, "tilt": r.condition.tilt,
                "place": r.condition.place, "faded": r.condition.faded, "docs": r.docs, "gold_fields": r.gold_fields,
                "tp_sealed": r.tp_sealed, "tp_bare": r.tp_bare,
                "recall_sealed": round(r.tp_sealed / r.gold_fields, 4) if r.gold_fields else None,
                "recall_bare": round(r.tp_bare / r.gold_fields, 4) if r.gold_fields else None,
                "difference_points": None if (p := points(r.tp_sealed, r.tp_bare, r.gold_fields)) is None
                else round(p, 2),
                "seals_found": r.seals_found, "seal_pages": r.seal_pages,
                "false_seals_bare": r.bare_with_seal, "bare_docs": r.bare_docs, "seal_text_ok": r.seal_text_ok,
                "extra_seals_sealed": r.extra_seals_sealed, "seconds": round(r.seconds, 1),
                "not_measured": r.unmeasured, "notes": r.notes, "per_document": r.documents,
            } for r in rows],
            "overall": {"gold_fields": gold, "tp_sealed": tp_sealed, "tp_bare": tp_bare,
                        "difference_points": None if overall is None else round(overall, 2)},
            "ocr_pages_recognised": ctx.reader.pages_recognised,
            "seconds": round(seconds, 1),
        }
        args.out.write_text(json.dumps(result, ensure_ascii=False, indent=1, default=str) + "\n", encoding="utf-8")


if __name__ == "__main__":
    main()
