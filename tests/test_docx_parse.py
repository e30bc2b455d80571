"""Word files: reading order, merged cells, content controls, text boxes, tick boxes, headers,
footers and pasted-in scans; the real MinerU form in shared/testdata/docx."""

from pathlib import Path

from extractor.intake.folder import collect_sources
from extractor.parse import ParseContext, parse_source
from extractor.understand.table_pairs import label_value_pairs
from models import ParsedDocument, TextSource


def parse(path: Path, ctx: ParseContext) -> ParsedDocument:
    [source] = collect_sources(path)
    return parse_source(source, ctx)


def test_real_form_table_8_pairs_labels_with_values_through_merged_cells(
    testdata: Path, ctx: ParseContext
) -> None:
    doc = parse(testdata / "docx" / "demo1-docx.docx", ctx)
    assert doc.text_source == TextSource.DOCX and doc.page_count is None
    tables = doc.pages[0].tables
    # the 39-row settlement form "主申请人-基本情况"
    [table] = [t for t in tables if t.n_rows == 39]
    assert any(c.colspan > 1 for c in table.cells) and any(c.rowspan > 1 for c in table.cells)
    pairs = label_value_pairs(table)
    assert pairs["姓名"] == "MinerU"
    # the other labels of the form are there, with their (empty) values, not swallowed by spans
    assert "曾用名" in pairs and pairs["曾用名"] == ""
    assert "MinerU" not in pairs


def test_merged_cells_are_resolved_into_spans(form_docx: Path, ctx: ParseContext) -> None:
    doc = parse(form_docx, ctx)
    table = doc.pages[0].tables[0]
    name = next(c for c in table.cells if c.text == "洛阳某某铜业有限公司")
    assert (name.row, name.col, name.colspan) == (0, 1, 3)
    assert table.grid()[0][3] is name
    pairs = label_value_pairs(table)
    assert pairs["企业名称"] == "洛阳某某铜业有限公司"
    assert pairs["统一社会信用代码"] == "91350100M000100Y43"
    assert pairs["联系人"] == "张三"


def test_content_controls_and_text_boxes_are_read_once(form_docx: Path, ctx: ParseContext) -> None:
    doc = parse(form_docx, ctx)
    text = doc.pages[0].text
    assert "申报单位：洛阳某某铜业有限公司" in text
    assert "产品名称：铜板带" in text
    assert text.count("法定代表人：李四") == 1
    box = next(ln for ln in doc.pages[0].lines if ln.text == "法定代表人：李四")
    assert box.role == "textbox"


def test_tick_boxes_are_read_as_checked_or_not(form_docx: Path, ctx: ParseContext) -> None:
    lines = [ln.text for ln in parse(form_docx, ctx).pages[0].lines]
    assert "☐卓越品牌" in lines  # w14:checkbox, unchecked
    assert "☑优质品牌" in lines  # w14:checkbox, checked (Word draws ☒)
    assert "☐培育品牌" in lines  # FORMCHECKBOX default off
    assert "☑会员企业" in lines  # FORMCHECKBOX default on
    assert "☑已加盖公章" in lines  # Wingdings F0FE
    assert "☐附专利证书" in lines  # Wingdings F0A8


def test_headers_and_footers_are_kept_with_their_role(form_docx: Path, ctx: ParseContext) -> None:
    lines = parse(form_docx, ctx).pages[0].lines
    assert lines[0].role == "header" and lines[0].text == "全国有色金属产品质量品牌培育活动"
    assert lines[-1].role == "footer" and lines[-1].text == "第 1 页"


def test_reading_order_follows_the_document(form_docx: Path, ctx: ParseContext) -> None:
    texts = [ln.text for ln in parse(form_docx, ctx).pages[0].lines]
    order = [
        "全国有色金属产品质量品牌培育活动申报书",
        "申报单位：洛阳某某铜业有限公司",
        "企业名称\t洛阳某某铜业有限公司",
    ]
    positions = [texts.index(t) for t in order]
    assert positions == sorted(positions)


def test_scan_pasted_into_word_is_ocrd_as_its_own_page(form_docx: Path, ctx: ParseContext) -> None:
    doc = parse(form_docx, ctx)
    assert len(doc.pages) == 2
    image_page = doc.pages[1]
    assert image_page.text_source == TextSource.OCR and image_page.paged
    assert image_page.image_ref and image_page.image_ref.startswith("word/media/")
    assert "本单位承诺所提交材料真实有效" in image_page.text.replace(" ", "")
    assert doc.text_source == TextSource.DOCX


def test_corrupt_word_file_is_listed_with_its_error(tmp_path: Path, ctx: ParseContext) -> None:
    bad = tmp_path / "申报书.docx"
    bad.write_bytes(b"PK\x03\x04" + b"\x00" * 200)
    doc = parse(bad, ctx)
    assert doc.errors and doc.pages == []


def test_a_hostile_grid_span_is_held_to_word_s_widest_table() -> None:
    """gridSpan="100000000" would make a hundred million grid slots; Word's widest table has 63."""
    from lxml import etree

    from extractor.parse.docx_xml import MAX_GRID_COLUMNS, read_table

    w = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
    tbl = etree.fromstring(
        f'<w:tbl xmlns:w="{w}"><w:tr><w:tc><w:tcPr><w:gridSpan w:val="100000000"/></w:tcPr>'
        '<w:p><w:r><w:t>申报单位</w:t></w:r></w:p></w:tc><w:tc><w:tcPr><w:gridSpan w:val="x"/></w:tcPr>'
        "<w:p><w:r><w:t>洛阳博威</w:t></w:r></w:p></w:tc></w:tr></w:tbl>")
    table, _, _ = read_table(tbl)
    assert [(c.col, c.colspan, c.text) for c in table.cells] == [(0, MAX_GRID_COLUMNS, "申报单位"), (63, 1, "洛阳博威")]
