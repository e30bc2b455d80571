"""PDF text layer, tables, and the quality gate on the real files in shared/testdata/pdf."""

import csv
from pathlib import Path

import pytest

from extractor.intake.folder import collect_sources
from extractor.parse import ParseContext, parse_source
from models import ParsedDocument, TextSource


def parse(path: Path, ctx: ParseContext) -> ParsedDocument:
    [source] = collect_sources(path)
    return parse_source(source, ctx)


def expected_rows(testdata: Path, name: str) -> list[list[str]]:
    with (testdata / "pdf" / name).open(encoding="utf-8") as fh:
        return [row for row in csv.reader(fh, delimiter="\t") if row and not row[0].startswith("#")]


def test_fake_bold_doubled_glyphs_are_removed(testdata: Path, ctx: ParseContext) -> None:
    rows = expected_rows(testdata, "expected-pdfplumber.tsv")
    [deduped] = [r[2] for r in rows if r[0] == "issue-71-duplicate-chars.pdf" and "dedupe_chars()" in r[1]]
    doc = parse(testdata / "pdf" / "issue-71-duplicate-chars.pdf", ctx)
    page1 = doc.pages[0]
    assert page1.text_source == TextSource.TEXT_LAYER
    assert page1.lines[-1].text == deduped
    assert "doubled_glyphs_removed" in page1.quality_issues
    assert "微微软软" not in doc.text


def test_doubled_glyph_pages_stay_on_the_text_layer(testdata: Path, ctx: ParseContext) -> None:
    doc = parse(testdata / "pdf" / "issue-71-duplicate-chars.pdf", ctx)
    assert doc.text_source == TextSource.TEXT_LAYER
    assert ctx.counters.get("pages_ocr", 0) == 0
    assert "2019年05月" in doc.pages[1].text


def test_table_order_and_row_counts_match_pdfplumber(testdata: Path, ctx: ParseContext) -> None:
    doc = parse(testdata / "pdf" / "issue-336-example.pdf", ctx)
    assert [t.n_rows for t in doc.pages[0].tables] == [8, 11, 2]
    for table in doc.pages[0].tables:
        assert table.bbox is not None
        assert all(c.bbox is not None for c in table.cells)


def test_broken_cmap_cjk_line_reads_as_pdfminer_expects(testdata: Path, ctx: ParseContext) -> None:
    rows = expected_rows(testdata, "expected-pdfminer.tsv")
    [expected] = [r[1] for r in rows if r[0] == "issue_566_test_2.pdf"]
    doc = parse(testdata / "pdf" / "issue_566_test_2.pdf", ctx)
    assert doc.text.strip() == expected
    assert doc.text_source == TextSource.TEXT_LAYER


@pytest.mark.parametrize("name", ["issue-461-example.pdf", "issue-842-example.pdf"])
def test_gbk_font_names_do_not_break_parsing(testdata: Path, ctx: ParseContext, name: str) -> None:
    doc = parse(testdata / "pdf" / name, ctx)
    assert not doc.errors
    assert doc.text_source == TextSource.TEXT_LAYER
    assert len(doc.text) > 50


def test_lab_report_table_headers_are_read(testdata: Path, ctx: ParseContext) -> None:
    doc = parse(testdata / "pdf" / "issue-461-example.pdf", ctx)
    text = doc.text.replace(" ", "")
    for label in ("项目", "检验方法", "结果", "单位", "参考范围", "以下空白"):
        assert label in text


def test_words_and_lines_carry_normalised_boxes(testdata: Path, ctx: ParseContext) -> None:
    doc = parse(testdata / "pdf" / "issue_566_test_2.pdf", ctx)
    line = doc.pages[0].lines[0]
    assert line.bbox is not None and line.words
    x0, y0, x1, y1 = line.bbox
    assert 0 <= x0 < x1 <= 1 and 0 <= y0 < y1 <= 1
    assert "".join(w.text for w in line.words).replace(" ", "") == line.text.replace(" ", "")


def test_image_only_pdf_is_recognised_as_needing_ocr(testdata: Path, ctx: ParseContext) -> None:
    doc = parse(testdata / "pdf" / "small_ocr.pdf", ctx)
    assert doc.text_source == TextSource.OCR
    assert doc.page_count == 8
    assert all("no_text_layer" in p.quality_issues for p in doc.pages)
    assert sum(len(p.lines) for p in doc.pages) > 100
    # the OCR'd text is Chinese prose, not noise
    assert sum("\u4e00" <= ch <= "\u9fff" for ch in doc.text) > 1000


def test_encrypted_pdf_is_reported_not_raised(session_dir: Path, license_docx: Path, ctx: ParseContext) -> None:
    from tests.builders import libreoffice_convert

    target = 'pdf:writer_pdf_Export:{"EncryptFile":{"type":"boolean","value":"true"},' \
        '"DocumentOpenPassword":{"type":"string","value":"secret"}}'
    out_dir = session_dir / "encrypted"
    pdf = libreoffice_convert(license_docx, target, out_dir)
    doc = parse(pdf, ctx)
    assert doc.errors == ["PDF 文件已加密，需要密码才能打开"]
    assert doc.pages == []


def test_text_pdf_from_word_keeps_its_text_layer(license_pdf: Path, ctx: ParseContext) -> None:
    doc = parse(license_pdf, ctx)
    assert doc.text_source == TextSource.TEXT_LAYER
    assert "91350100M000100Y43" in doc.text
    assert "营业执照" in doc.text
    assert ctx.reader.pages_recognised == 0


def test_oversized_pages_are_rendered_within_the_pixel_limit() -> None:
    from extractor.parse.pdf import render_scale

    a4 = render_scale(595, 842, 200, 120_000_000)
    assert a4 == 200 / 72
    poster = render_scale(14400, 14400, 200, 120_000_000)  # a 200-inch square page
    assert 14400 * 14400 * poster * poster <= 120_000_000 * 1.0001
