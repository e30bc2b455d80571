"""Typed candidates: the regex anchors precheck uses against spaCy's Matcher on the same anchors.
Prints numbers, asserts nothing.

    python -m benchmarks.bench_typed [--repeat 3]

Texts: every paragraph and table cell of the Word files in gold/bundles (folders), and the lines of
the notices in shared/seeds. For each backend: whether it finds the same (kind, value, span) on
every text, the time per text, and (spaCy) the cost of importing it and making the pipeline in a
fresh process. spaCy must be installed for its column (`pip install spacy`; it is not a runtime
dependency of precheck).
"""

import argparse
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from extractor.understand.typed import find_typed, regex_anchors, spacy_anchors  # noqa: E402


def corpus() -> list[str]:
    from docx import Document

    texts: list[str] = []
    for path in sorted((ROOT / "gold" / "bundles").glob("*/*.docx")):
        try:
            doc = Document(str(path))
        except Exception:  # the corpus' deliberately broken files
            continue
        texts += [p.text for p in doc.paragraphs if p.text.strip()]
        texts += [c.text for t in doc.tables for row in t.rows for c in row.cells if c.text.strip()]
    seeds = ROOT.parent / "shared" / "seeds"
    for path in sorted(seeds.glob("0*.txt")):
        texts += [line for line in path.read_text(encoding="utf-8").splitlines() if line.strip()]
    return texts


def timed(texts: list[str], anchors, repeat: int) -> tuple[float, list]:  # type: ignore[no-untyped-def]
    results = [find_typed(t, anchors) for t in texts]  # warm-up (and the pipeline made once)
    started = time.perf_counter()
    for _ in range(repeat):
        for t in texts:
            find_typed(t, anchors)
    return (time.perf_counter() - started) / (repeat * len(texts)), results


def spacy_import_seconds() -> float:
    code = "import time; t=time.perf_counter(); import spacy; spacy.blank('zh'); print(time.perf_counter()-t)"
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    return float(done.stdout.strip())


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--repeat", type=int, default=3)
    args = parser.parse_args()
    texts = corpus()
    print(f"texts: {len(texts)} ({sum(map(len, texts))} characters)")
    regex_s, regex_found = timed(texts, regex_anchors, args.repeat)
    print(f"regex anchors: {regex_s * 1e6:.1f} µs per text, {sum(map(len, regex_found))} candidates")
    try:
        spacy_s, spacy_found = timed(texts, spacy_anchors, args.repeat)
    except ImportError:
        print("spaCy not installed: no comparison")
        return
    same = sum(a == b for a, b in zip(regex_found, spacy_found, strict=True))
    print(f"spaCy Matcher: {spacy_s * 1e6:.1f} µs per text, {sum(map(len, spacy_found))} candidates")
    print(f"same candidates on {same}/{len(texts)} texts; spaCy / regex time: {spacy_s / regex_s:.1f}x")
    print(f"spaCy import + blank('zh') in a fresh process: {spacy_import_seconds():.2f} s")
    for a, b, text in zip(regex_found, spacy_found, texts, strict=True):
        if a != b:
            print("  differs:", text[:60], [(t.kind, t.value) for t in a], [(t.kind, t.value) for t in b])
            break


if __name__ == "__main__":
    main()
