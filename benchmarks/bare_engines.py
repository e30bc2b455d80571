"""The bare engines precheck is compared with, each in a process of its own.

    python -m benchmarks.bare_engines ocr IMAGE...    RapidOCR (default settings, packaged models)
    python -m benchmarks.bare_engines pdf PDF...      pdfplumber words + tables on every page
"""

import sys


def bare_ocr(paths: list[str]) -> None:
    from rapidocr import RapidOCR

    from extractor.ocr.rapid import packaged_model_paths

    models = packaged_model_paths()
    engine = RapidOCR(
        params={
            "Global.log_level": "error",
            "Det.model_path": str(models["det"]),
            "Rec.model_path": str(models["rec"]),
            "Cls.model_path": str(models["cls"]),
        }
    )
    lines = 0
    for path in paths:
        out = engine(path)
        lines += len(out.txts or ())
    print(lines)


def bare_pdf(paths: list[str]) -> None:
    import pdfplumber

    words = 0
    for path in paths:
        with pdfplumber.open(path) as pdf:
            for page in pdf.pages:
                words += len(page.extract_words())
                for table in page.find_tables():
                    table.extract()
    print(words)


if __name__ == "__main__":
    kind, *args = sys.argv[1:]
    {"ocr": bare_ocr, "pdf": bare_pdf}[kind](args)
