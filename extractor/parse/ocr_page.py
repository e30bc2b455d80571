"""OCR results → the Page model: lines and words with boxes normalised to the page image."""

from extractor.ocr.types import OcrResult
from models import Line, Page, PageSeal, TextSource, Word
from models.geometry import normalise_box


def page_from_ocr(
    result: OcrResult, number: int, quality_issues: list[str] | None = None, image_ref: str | None = None
) -> Page:
    w, h = result.width, result.height
    lines = []
    for line in result.lines:
        xs = [p[0] for p in line.quad]
        ys = [p[1] for p in line.quad]
        words = [
            Word(text=word.text, bbox=normalise_box(*word.box, w, h), confidence=min(max(word.score, 0.0), 1.0))
            for word in line.words
        ]
        lines.append(
            Line(
                text=line.text,
                bbox=normalise_box(min(xs), min(ys), max(xs), max(ys), w, h),
                confidence=min(max(line.score, 0.0), 1.0),
                words=words,
            )
        )
    return Page(
        number=number,
        width=float(w),
        height=float(h),
        text_source=TextSource.OCR,
        lines=lines,
        rotation=result.rotation,
        skew=result.skew,
        quality_issues=list(quality_issues or []),
        image_ref=image_ref,
        seals=page_seals(result),
    )


def page_seals(result: OcrResult) -> list[PageSeal]:
    """The seals of an OCR result, their boxes normalised to its image."""
    w, h = result.width, result.height
    return [
        PageSeal(
            bbox=normalise_box(*seal.box, w, h),
            colour=seal.colour,
            shape=seal.shape,
            confidence=min(max(seal.confidence, 0.0), 1.0),
            cut=seal.cut,
            text=seal.text,
            text_confidence=min(max(seal.text_score, 0.0), 1.0),
            centre_text=seal.centre_text,
            code=seal.code,
            ring=seal.ring,
        )
        for seal in result.seals
    ]
