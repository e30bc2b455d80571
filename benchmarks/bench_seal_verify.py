"""Seal verification benchmark: "does this ring say X?" by CTC against string similarity. Prints
numbers, asserts nothing.

    python -m benchmarks.bench_seal_verify [--tag fast] [--limit N] [--save FILE] [--load FILE]

Seals come from the gold corpus (gold/bundles: each document the gold lists seals for, its seal
pages rendered as parsing renders them, turned upright as the OCR reader does, the seals found and
read, body text not recognised) and from the real files of /work/shared/testdata/real
(expected.json lists their ring text). A detected seal is paired with the gold seal of its page it
matches best (greedily, one to one).

For each seal: the recogniser's best reading of the ring, its similarity to the true name
(extractor/understand/seals.py `seal_name_similarity`), the CTC match score of the true name on the
kept ring strip (extractor/ocr/ctc.py `ring_match`), and of two wrong names: another company of
similar length from gold/generator/facts.py (`wrong`) and the true name with two characters of its
middle replaced (`near`, a look-alike name). Below the table: the separation (lowest true score,
highest wrong score), the seals each threshold would confirm or let through, and the size of the
kept strips. `--save` writes the strips read so that `--load` re-scores them without OCR.
"""

from __future__ import annotations

import argparse
import json
import random
import sys
import time
from collections.abc import Iterator
from pathlib import Path

import numpy as np

from extractor.evaluate.runner import discover
from extractor.intake.bundle import open_bundle
from extractor.ocr.ctc import SKIP, ring_match
from extractor.ocr.reader import find_layout, load_engine, set_upright
from extractor.ocr.seal_reader import read_seals
from extractor.ocr.types import OcrEngine, SealRead
from extractor.parse.image import iter_frames
from extractor.parse.pdf import _Renderer
from extractor.settings import Settings
from extractor.understand.seals import seal_name_similarity
from extractor.vision.seal_detect import find_seals
from extractor.vision.seal_ink import remove_seal_ink
from gold.generator import facts
from models.ring import RingProbs

ROOT = Path(__file__).resolve().parent.parent
REAL = Path("/work/shared/testdata/real")
THRESHOLDS = (0.1, 0.2, 0.3, 0.4, 0.5, 0.6)


def upright_seals(engine: OcrEngine, image: np.ndarray) -> list[SealRead]:
    """The page's seals read as PageReader.recognise reads them, without the body text."""
    first = find_seals(image)
    if not first:
        return []
    layout = find_layout(engine, remove_seal_ink(image, first), Settings().ocr_detect_side)
    upright = set_upright(image, layout.rotation, layout.skew)
    shapes = first if upright is image else find_seals(upright)
    return read_seals(engine, upright, shapes)


def page_images(path: Path, settings: Settings, pages: set[int] | None) -> Iterator[tuple[int, np.ndarray]]:
    if path.suffix.lower() == ".pdf":
        import pypdfium2 as pdfium

        count = len(pdfium.PdfDocument(str(path)))
        renderer = _Renderer(str(path), settings.render_dpi, settings.max_image_pixels)
        try:
            for index in range(count):
                if pages is None or index + 1 in pages:
                    yield index + 1, renderer(index)
        finally:
            renderer.close()
    else:
        for index, frame in enumerate(iter_frames(str(path), settings)):
            if pages is None or index + 1 in pages:
                yield index + 1, frame


def pair(found: list[SealRead], names: list[str]) -> list[tuple[str, SealRead]]:
    """Each true name with the detected seal that matches it best (one to one)."""
    scored = sorted(
        ((max(seal_name_similarity(s.text or "", n), ring_match(s.ring, n)), i, j)
         for i, s in enumerate(found) for j, n in enumerate(names)),
        reverse=True,
    )
    used_s: set[int] = set()
    used_n: set[int] = set()
    out = []
    for _, i, j in scored:
        if i in used_s or j in used_n:
            continue
        used_s.add(i)
        used_n.add(j)
        out.append((names[j], found[i]))
    return out


def gold_seals(settings: Settings, engine: OcrEngine, tags: set[str] | None, limit: int) -> list[dict]:
    rows: list[dict] = []
    for case in discover(ROOT / "gold" / "bundles", tags):
        wanted = {d.path: d for d in case.gold.documents if d.seals}
        if not wanted:
            continue
        with open_bundle(case.bundle, settings) as intake:
            for source in intake.sources:
                doc = wanted.get(source.path) or next(
                    (d for p, d in wanted.items() if source.path.endswith("/" + p) or source.path.endswith("!" + p)),
                    None)
                if doc is None or Path(source.location).suffix.lower() not in (".pdf", ".png", ".jpg", ".jpeg",
                                                                                ".tif", ".tiff"):
                    continue
                by_page: dict[int, list[str]] = {}
                for s in doc.seals:
                    if s.text:
                        by_page.setdefault(s.page or 1, []).append(s.text)
                for number, image in page_images(Path(source.location), settings, set(by_page)):
                    for name, seal in pair(upright_seals(engine, image), by_page.get(number, [])):
                        rows.append(row(f"{case.name[:14]}…/{source.path.split('/')[-1][:14]} p{number}", name, seal))
                if limit and len(rows) >= limit:
                    return rows
    return rows


def real_seals(settings: Settings, engine: OcrEngine) -> list[dict]:
    rows: list[dict] = []
    for entry in json.loads((REAL / "expected.json").read_text(encoding="utf-8")):
        seals = entry["expected"].get("seals") or []
        if not seals:
            continue
        by_page: dict[int, list[str]] = {}
        for s in seals:
            by_page.setdefault(s.get("page") or 1, []).append(s["text"])
        for number, image in page_images(REAL / entry["file"], settings, set(by_page)):
            for name, seal in pair(upright_seals(engine, image), by_page[number]):
                rows.append(row(f"real/{entry['file'][:24]} p{number}", name, seal))
    return rows


def row(where: str, name: str, seal: SealRead) -> dict:
    return {"where": where, "true": name, "reading": seal.text or "", "text_score": seal.text_score,
            "ring": seal.ring.model_dump() if seal.ring else None}


_POOL = [facts.make_company(random.Random(i)).name for i in range(200)]


def wrong_name(name: str) -> str:
    """Another company of about the same length (the first such of a fixed pool)."""
    others = [n for n in _POOL if seal_name_similarity(n, name) < 0.6]
    return min(others, key=lambda n: (abs(len(n) - len(name)), _POOL.index(n)))


def near_name(name: str) -> str:
    """The name with two characters of its middle replaced by others (a look-alike company)."""
    swap = "华鑫金瑞宏达恒通永兴众诚"
    mid = max(1, len(name) // 2 - 1)
    chars = list(name)
    for k, i in enumerate((mid, mid + 1)):
        if i < len(chars):
            chars[i] = next(c for c in swap[k * 3:] if c != chars[i])
    return "".join(chars)


def score(rows: list[dict], skip: float) -> None:
    true_s, wrong_s, near_s, sim_t, sim_w, sizes = [], [], [], [], [], []
    started = time.perf_counter()
    print(f"{'seal':<42} {'best reading':<22} {'true name':<22} sim  ctc   | {'wrong name':<16} sim  ctc   | near")
    for r in rows:
        ring = RingProbs.model_validate(r["ring"]) if r["ring"] else None
        name, wrong, near = r["true"], wrong_name(r["true"]), near_name(r["true"])
        st, sw = seal_name_similarity(r["reading"], name), seal_name_similarity(r["reading"], wrong)
        ct, cw, cn = (ring_match(ring, n, skip=skip) for n in (name, wrong, near))
        true_s.append(ct)
        wrong_s.append(cw)
        near_s.append(cn)
        sim_t.append(st)
        sim_w.append(sw)
        sizes.append(len(ring.model_dump_json()) if ring else 0)
        print(f"{r['where']:<42} {r['reading'][:20]:<22} {name[:20]:<22} {st:.2f} {ct:.3f} | "
              f"{wrong[:14]:<16} {sw:.2f} {cw:.3f} | {cn:.3f}")
    seconds = time.perf_counter() - started
    if not rows:
        print("no seals")
        return
    print(f"\n{len(rows)} seals, skip={skip}; scoring {seconds / (3 * len(rows)) * 1000:.1f} ms per name")
    print(f"CTC: true names min {min(true_s):.3f} median {np.median(true_s):.3f}; "
          f"wrong names max {max(wrong_s):.3f}; near names max {max(near_s):.3f}")
    print(f"similarity: true names min {min(sim_t):.2f}; wrong names max {max(sim_w):.2f}")
    print("threshold  true confirmed  wrong confirmed  near confirmed")
    for th in THRESHOLDS:
        print(f"  {th:.1f}      {sum(s >= th for s in true_s):>3}/{len(rows)}          "
              f"{sum(s >= th for s in wrong_s):>3}          {sum(s >= th for s in near_s):>3}")
    print(f"similarity ≥ 0.8: true {sum(s >= 0.8 for s in sim_t)}/{len(rows)}, wrong {sum(s >= 0.8 for s in sim_w)}")
    print(f"kept strip (JSON): median {int(np.median(sizes))} B, max {max(sizes)} B, total {sum(sizes) // 1024} KiB")


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--tag", action="append", help="gold bundles with this tag only (e.g. fast)")
    ap.add_argument("--limit", type=int, default=0, help="stop after about this many gold seals")
    ap.add_argument("--no-real", action="store_true", help="leave out the real files")
    ap.add_argument("--skip", type=float, default=SKIP, help="probability of a lost character")
    ap.add_argument("--save", type=Path, help="write the strips read here")
    ap.add_argument("--load", type=Path, help="score strips saved earlier (no OCR)")
    args = ap.parse_args(argv)
    if args.load:
        rows = json.loads(args.load.read_text(encoding="utf-8"))
    else:
        settings = Settings()
        engine = load_engine(settings)
        rows = [] if args.no_real else real_seals(settings, engine)
        rows += gold_seals(settings, engine, set(args.tag) if args.tag else None, args.limit)
        if args.save:
            args.save.write_text(json.dumps(rows, ensure_ascii=False), encoding="utf-8")
    score(rows, args.skip)
    return 0


if __name__ == "__main__":
    sys.exit(main())
