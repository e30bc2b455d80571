"""Fields of real generated documents (Word and text-layer PDFs from gold/, no OCR so it stays fast):
every annotated value found, with evidence that points at the words, and confidences that rank."""

import json
from pathlib import Path

import pytest

from extractor.evaluate.normalise import values_match
from extractor.ocr.reader import PageReader
from extractor.parse import ParseContext, parse_source
from extractor.settings import Settings
from extractor.understand.classify import classify
from extractor.understand.fields import extract_fields
from models import DocType, Line, Page, ParsedDocument, Source, TextSource

GOLD = Path(__file__).resolve().parents[1] / "gold" / "bundles"
SHA = "0" * 64


def gold_documents(bundle: str) -> dict[str, dict[str, object]]:
    data = json.loads((GOLD / f"{bundle}.gold.json").read_text(encoding="utf-8"))
    return {d["path"]: d for d in data["documents"]}


def parsed(path: Path, rel: str) -> ParsedDocument:
    from extractor.intake.folder import file_sha256

    settings = Settings(ocr_cache=False)
    source = Source(path=rel, location=str(path), size=path.stat().st_size, sha256=file_sha256(path))
    return parse_source(source, ParseContext(settings=settings, reader=PageReader(settings)))


CASES = [
    ("brand-2024-00-clean", "申报书.docx"),
    ("brand-2024-00-clean", "营业执照.pdf"),
    ("brand-2024-00-clean", "环境管理体系认证证书.pdf"),
    ("brand-2024-17-clean_layout2", "申报书.docx"),
    ("cqa-2023-00-clean", "中国质量奖申报表.docx"),
    ("cqa-2023-00-clean", "质量管理体系认证证书.pdf"),
    ("qc-2026-00-clean", "附件5 质量信得过班组建设经验申报表.docx"),
    ("qc-2026-00-clean", "附件1 2026年度企业推荐项目汇总表.docx"),
]


@pytest.mark.parametrize(("bundle", "name"), CASES, ids=[f"{b}/{n}" for b, n in CASES])
def test_annotated_fields_of_word_and_text_layer_documents_are_found(bundle: str, name: str) -> None:
    truth = gold_documents(bundle)[name]
    doc = parsed(GOLD / bundle / name, name)
    doc_type = classify(doc).doc_type
    assert doc_type.value == truth["doc_type"]
    fields = extract_fields(doc, doc_type)
    expected = truth["fields"]
    assert isinstance(expected, dict)
    wrong = {k: (v, fields[k].value if k in fields else None) for k, v in expected.items()
             if k not in fields or not values_match(v, fields[k].value)}
    assert wrong == {}
    for field in fields.values():
        assert field.evidence and field.evidence[0].path == name and field.evidence[0].text


def test_evidence_on_a_page_carries_the_page_and_the_box_of_the_words() -> None:
    doc = parsed(GOLD / "brand-2024-00-clean" / "营业执照.pdf", "营业执照.pdf")
    code = extract_fields(doc, DocType.BUSINESS_LICENSE)["credit_code"]
    evidence = code.evidence[0]
    assert evidence.page == 1 and evidence.bbox is not None
    assert "统一社会信用代码" in evidence.text
    assert code.confidence >= 0.9


def ocr_page(lines: list[tuple[str, tuple[float, float, float, float], float]]) -> ParsedDocument:
    page = Page(number=1, text_source=TextSource.OCR, lines=[Line(text=t, bbox=b, confidence=c) for t, b, c in lines])
    return ParsedDocument(path="scan.pdf", sha256=SHA, media_type="application/pdf", pages=[page], page_count=1,
                          text_source=TextSource.OCR)


def test_value_wrapped_onto_the_next_row_is_joined() -> None:
    doc = ocr_page([
        ("营业执照", (0.14, 0.14, 0.24, 0.16), 0.99),
        ("名称", (0.14, 0.163, 0.19, 0.184), 0.99),
        ("金昌东阳光铜业有", (0.319, 0.164, 0.466, 0.181), 0.98),
        ("注册资本", (0.494, 0.162, 0.573, 0.181), 0.99),
        ("限责任公司", (0.318, 0.179, 0.413, 0.198), 0.98),
    ])
    assert extract_fields(doc, DocType.BUSINESS_LICENSE)["company_name"].value == "金昌东阳光铜业有限责任公司"


def test_a_credit_code_wrapped_in_a_narrow_cell_is_joined_and_its_look_alikes_repaired() -> None:
    doc = ocr_page([  # 附件5 of the 2026 notice: the code cell sits between its label and 组织类型
        ("统一社会信用代码", (0.14, 0.242, 0.29, 0.256), 0.99),
        ("91410300LHH2EO", (0.32, 0.242, 0.47, 0.256), 0.97),  # O read for 0
        ("组织类型", (0.50, 0.242, 0.58, 0.256), 0.99),
        ("企业", (0.67, 0.240, 0.71, 0.256), 0.99),
        ("ALXA", (0.32, 0.259, 0.37, 0.273), 0.97),
        ("班组长姓名", (0.14, 0.276, 0.24, 0.290), 0.99),
    ])
    code = extract_fields(doc, DocType.APPLICATION_FORM)["credit_code"]
    assert code.value == "91410300LHH2E0ALXA"
    assert code.evidence[0].bbox is not None and code.evidence[0].bbox[3] >= 0.27  # both lines are the evidence


def test_disagreeing_readings_lower_the_confidence() -> None:
    agree = ocr_page([
        ("统一社会信用代码", (0.14, 0.10, 0.29, 0.12), 0.98), ("91620300EP5J8Y0F9H", (0.32, 0.10, 0.54, 0.12), 0.98),
        ("统一社会信用代码：91620300EP5J8Y0F9H", (0.14, 0.30, 0.54, 0.32), 0.98),
    ])
    disagree = ocr_page([
        ("统一社会信用代码", (0.14, 0.10, 0.29, 0.12), 0.98), ("91620300EP5J8Y0F9H", (0.32, 0.10, 0.54, 0.12), 0.98),
        ("统一社会信用代码：913502003WM85K7N0P", (0.14, 0.30, 0.54, 0.32), 0.98),
    ])
    high = extract_fields(agree, DocType.QMS_CERTIFICATE)["credit_code"].confidence
    low = extract_fields(disagree, DocType.QMS_CERTIFICATE)["credit_code"].confidence
    assert high > 0.9 > low


def test_applied_level_from_tick_boxes_and_from_the_one_box_ocr_lost() -> None:
    ticked = ocr_page([("申报类别：☑卓越品牌 □优质品牌 □培育品牌", (0.14, 0.2, 0.5, 0.22), 0.97)])
    lost = ocr_page([("申报类别", (0.14, 0.17, 0.22, 0.19), 0.97), ("卓越品牌", (0.31, 0.17, 0.41, 0.19), 0.97),
                     ("□优质品牌", (0.42, 0.17, 0.51, 0.19), 0.97), ("□培育品牌", (0.52, 0.17, 0.62, 0.19), 0.97)])
    first = extract_fields(ticked, DocType.APPLICATION_FORM)["applied_level"]
    second = extract_fields(lost, DocType.APPLICATION_FORM)["applied_level"]
    assert first.value == second.value == "卓越品牌"
    assert first.confidence > second.confidence


def test_certification_body_and_lab_owner_are_never_the_applicant() -> None:
    cert = ocr_page([
        ("质量管理体系认证证书", (0.14, 0.12, 0.37, 0.14), 0.99),
        ("兹证明 洛阳恒通合金材料股份有限公司", (0.14, 0.20, 0.46, 0.22), 0.99),
        ("中质协质量保证中心 批准号：CNCA-R-2002-006", (0.14, 0.47, 0.57, 0.49), 0.99),
    ])
    fields = extract_fields(cert, DocType.QMS_CERTIFICATE)
    assert fields["company_name"].value == "洛阳恒通合金材料股份有限公司"
    assert fields["certification_body"].value == "中质协质量保证中心"
    lab = ocr_page([
        ("实验室认可证书", (0.14, 0.14, 0.27, 0.16), 0.99),
        ("兹证明：金昌锦江新材料（集团）有限公司检测中心", (0.14, 0.20, 0.56, 0.22), 0.99),
        ("(金昌锦江新材料(集团)有限公司)", (0.15, 0.23, 0.44, 0.25), 0.99),
    ])
    assert extract_fields(lab, DocType.LAB_ACCREDITATION)["company_name"].value == "金昌锦江新材料（集团）有限公司"


def test_a_code_printed_invalid_stays_as_printed_and_an_ocr_look_alike_is_repaired() -> None:
    printed = ParsedDocument(path="a.docx", sha256=SHA, media_type="docx", text_source=TextSource.DOCX, pages=[
        Page(number=1, text_source=TextSource.DOCX, paged=False,
             lines=[Line(text="统一社会信用代码\t91360600GW8T0XEL3Q", role="table_row")])])
    assert extract_fields(printed, DocType.APPLICATION_FORM)["credit_code"].value == "91360600GW8T0XEL3Q"
    scanned = ocr_page([("统一社会信用代码：9162O300EP5J8Y0F9H", (0.14, 0.10, 0.54, 0.12), 0.9)])  # O for 0
    code = extract_fields(scanned, DocType.BUSINESS_LICENSE)["credit_code"]
    assert code.value == "91620300EP5J8Y0F9H" and code.confidence < 0.9


@pytest.mark.parametrize(("confidence", "expected"), [(0.999, "91410300RJ3F0YPA0U"), (0.9, "91410300RJ3FQYPA0U")])
def test_a_one_character_repair_only_where_the_recogniser_was_unsure(confidence: float, expected: str) -> None:
    # printed invalid (0 where the licence has Q): read surely, it stays as printed for the rules
    scanned = ocr_page([("统一社会信用代码：91410300RJ3F0YPA0U", (0.14, 0.10, 0.54, 0.12), confidence)])
    assert extract_fields(scanned, DocType.RECOMMENDATION_FORM)["credit_code"].value == expected


def test_a_pdf_holding_several_documents_is_split_into_parts_with_their_own_fields(tmp_path: Path) -> None:
    import pypdfium2 as pdfium

    from extractor.pipeline import document_report

    merged = pdfium.PdfDocument.new()
    for name in ("营业执照.pdf", "环境管理体系认证证书.pdf", "质量管理体系认证证书.pdf"):
        with pdfium.PdfDocument(str(GOLD / "brand-2024-00-clean" / name)) as part:
            merged.import_pages(part)
    target = tmp_path / "证照合集.pdf"
    merged.save(str(target))
    report = document_report(parsed(target, target.name))
    assert [(p.pages, p.doc_type) for p in report.parts] == [
        ((1, 1), DocType.BUSINESS_LICENSE), ((2, 2), DocType.EMS_CERTIFICATE), ((3, 3), DocType.QMS_CERTIFICATE)]
    assert report.doc_type == DocType.BUSINESS_LICENSE  # a tie goes to the first part
    truth = gold_documents("brand-2024-00-clean")
    names = ("营业执照.pdf", "环境管理体系认证证书.pdf", "质量管理体系认证证书.pdf")
    for part, name in zip(report.parts, names, strict=True):
        expected = truth[name]["fields"]
        assert isinstance(expected, dict)
        assert {k: part.fields[k].value for k in expected if k in part.fields} == expected
        assert all(e.page == part.pages[0] for f in part.fields.values() for e in f.evidence)


def test_a_multi_page_report_is_one_document() -> None:
    doc = parsed(GOLD / "brand-2024-00-clean" / "检验检测报告.pdf", "检验检测报告.pdf")
    from extractor.understand.parts import split_parts

    assert split_parts(doc) == []


def test_licence_name_whose_first_label_character_ocr_lost_is_still_the_company() -> None:
    doc = ocr_page([("营业执照", (0.14, 0.12, 0.26, 0.14), 0.99),
                    ("称包头中铝铜业有限公司", (0.196, 0.206, 0.411, 0.224), 0.97)])
    assert extract_fields(doc, DocType.BUSINESS_LICENSE)["company_name"].value == "包头中铝铜业有限公司"


def test_a_satisfaction_score_with_digits_lost_under_a_seal_is_reported_unsure() -> None:
    lost = ocr_page([("测评结", (0.14, 0.355, 0.20, 0.373), 0.9), ("满意度得分", (0.23, 0.353, 0.33, 0.373), 0.95),
                     ("10分。用户满意率95%。", (0.37, 0.353, 0.58, 0.371), 0.95)])
    whole = ocr_page([("测评结论：满意度得分92.10分。用户满意率95%。", (0.14, 0.353, 0.58, 0.371), 0.95)])
    unsure = extract_fields(lost, DocType.SATISFACTION_REPORT)["satisfaction_score"]
    sure = extract_fields(whole, DocType.SATISFACTION_REPORT)["satisfaction_score"]
    assert sure.value == 92.1 and sure.confidence >= 0.8
    assert unsure.confidence < 0.5
