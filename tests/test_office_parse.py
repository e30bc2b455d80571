"""Legacy Word (.doc), RTF and spreadsheets."""

from pathlib import Path

import openpyxl
import pytest

from extractor.intake.folder import collect_sources
from extractor.parse import ParseContext, parse_source
from extractor.parse.sniff import DOC, RTF, WPS, XLSX
from extractor.understand.table_pairs import label_value_pairs
from models import ParsedDocument, TextSource
from tests import builders as b


def parse(path: Path, ctx: ParseContext) -> ParsedDocument:
    [source] = collect_sources(path)
    return parse_source(source, ctx)


@pytest.fixture(scope="module")
def legacy_doc(form_docx: Path, session_dir: Path) -> Path:
    return b.libreoffice_convert(form_docx, "doc", session_dir / "doc")


def test_doc_is_converted_with_libreoffice_and_read_like_docx(legacy_doc: Path, ctx: ParseContext) -> None:
    doc = parse(legacy_doc, ctx)
    assert not doc.errors
    assert doc.media_type == DOC and doc.text_source == TextSource.DOCX
    assert "全国有色金属产品质量品牌培育活动申报书" in doc.text
    pairs = label_value_pairs(doc.pages[0].tables[0])
    assert pairs["企业名称"] == "洛阳某某铜业有限公司"
    assert ctx.counters["files_converted"] == 1


def test_wps_writer_file_is_converted_like_doc(legacy_doc: Path, tmp_path: Path, ctx: ParseContext) -> None:
    # Kingsoft WPS writes .wps files in the Word 97 binary format, often with that extension only
    wps = tmp_path / "申报书.wps"
    wps.write_bytes(legacy_doc.read_bytes())
    doc = parse(wps, ctx)
    assert doc.media_type == WPS and not doc.errors
    assert "全国有色金属产品质量品牌培育活动申报书" in doc.text


def test_rtf_is_converted(license_docx: Path, session_dir: Path, ctx: ParseContext) -> None:
    rtf = b.libreoffice_convert(license_docx, "rtf", session_dir / "rtf")
    doc = parse(rtf, ctx)
    assert doc.media_type == RTF and not doc.errors
    assert "91350100M000100Y43" in doc.text


def test_missing_libreoffice_gives_a_clear_error(legacy_doc: Path, tmp_path: Path) -> None:
    from extractor.ocr.reader import PageReader
    from extractor.settings import Settings

    settings = Settings(cache_dir=tmp_path, libreoffice="/nonexistent/soffice")
    doc = parse(legacy_doc, ParseContext(settings=settings, reader=PageReader(settings)))
    assert len(doc.errors) == 1
    assert "需要 LibreOffice" in doc.errors[0] and "apt-get install" in doc.errors[0]


def test_spreadsheet_sheets_become_tables_with_merged_cells(tmp_path: Path, ctx: ParseContext) -> None:
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.title = "统计表"
    ws["A1"] = "企业名称"
    ws["B1"] = "洛阳某某铜业有限公司"
    ws.merge_cells("B1:D1")
    ws["A2"] = "年份"
    ws["B2"] = 2023
    ws["C2"] = "营业收入（万元）"
    ws["D2"] = 12345.5
    wb.create_sheet("附表")["A1"] = "说明"
    path = tmp_path / "统计表.xlsx"
    wb.save(path)
    doc = parse(path, ctx)
    assert doc.media_type == XLSX and doc.page_count is None
    assert [p.tables[0].title for p in doc.pages] == ["统计表", "附表"]
    table = doc.pages[0].tables[0]
    name = next(c for c in table.cells if c.text == "洛阳某某铜业有限公司")
    assert name.colspan == 3
    assert label_value_pairs(table) == {
        "企业名称": "洛阳某某铜业有限公司",
        "年份": "2023",
        "营业收入（万元）": "12345.5",
    }
