"""Rows and labels: the two shapes field extraction reads every source through."""

from extractor.understand.applicant import settle_applicant
from extractor.understand.labels import match_label
from extractor.understand.layout import document_rows
from models import DocType, DocumentReport, FieldValue, Line, Page, ParsedDocument, TextSource

SHA = "0" * 64


def page_of(lines: list[tuple[str, tuple[float, float, float, float]]]) -> ParsedDocument:
    page = Page(number=1, text_source=TextSource.OCR,
                lines=[Line(text=t, bbox=b, confidence=0.95) for t, b in lines])
    return ParsedDocument(path="a.pdf", sha256=SHA, media_type="application/pdf", pages=[page], page_count=1,
                          text_source=TextSource.OCR)


def test_ocr_lines_side_by_side_become_one_row_read_left_to_right() -> None:
    doc = page_of([
        ("金昌东阳光铜业有限责任公司", (0.32, 0.090, 0.56, 0.108)),
        ("企业名称", (0.14, 0.091, 0.22, 0.107)),
        ("统一社会信用代码", (0.14, 0.106, 0.29, 0.124)),
        ("9162030057RHKG7F75", (0.32, 0.106, 0.54, 0.124)),
    ])
    rows = document_rows(doc)
    assert [[c.text for c in r.cells] for r in rows] == [
        ["企业名称", "金昌东阳光铜业有限责任公司"], ["统一社会信用代码", "9162030057RHKG7F75"]]


def test_word_table_rows_split_into_cells_and_merged_repeats_collapse() -> None:
    page = Page(number=1, text_source=TextSource.DOCX, paged=False, lines=[
        Line(text="全国有色金属产品质量品牌培育活动申报书"),
        Line(text="企业名称\t金昌锦江新材料（集团）有限公司\t金昌锦江新材料（集团）有限公司", role="table_row"),
    ])
    doc = ParsedDocument(path="a.docx", sha256=SHA, media_type="docx", pages=[page], text_source=TextSource.DOCX)
    rows = document_rows(doc)
    assert [[c.text for c in r.cells] for r in rows] == [
        ["全国有色金属产品质量品牌培育活动申报书"], ["企业名称", "金昌锦江新材料（集团）有限公司"]]
    assert rows[1].cells[1].page is None and rows[1].cells[1].bbox is None


def test_labels_are_matched_at_the_start_longest_first_and_by_document_type() -> None:
    code = match_label("统一社会信用代码：91350200", DocType.QMS_CERTIFICATE)
    assert code is not None and code.field == "credit_code" and code.end == len("统一社会信用代码")
    assert match_label("名 称 金昌锦江新材料（集团）有限公司", DocType.BUSINESS_LICENSE) is not None
    assert match_label("名称 金昌锦江", DocType.TEST_REPORT) is None  # 名称 alone means the company only on a licence
    assert match_label("产品名称", DocType.BUSINESS_LICENSE).field == "product_name"  # type: ignore[union-attr]
    expiry = match_label("有效期至:2028-09-30", DocType.LAB_ACCREDITATION)
    assert expiry is not None and expiry.field == "expiry_date"


def test_a_label_damaged_by_ocr_is_still_found_with_a_lower_score() -> None:
    damaged = match_label("统一社会信甲代码91410300HAJ2AAG35F", DocType.BUSINESS_LICENSE)
    assert damaged is not None and damaged.field == "credit_code" and 0.85 <= damaged.score < 1.0
    lost = match_label("统一社会信代码91410300HAJ2AAG35F", DocType.BUSINESS_LICENSE)  # one character lost
    assert lost is not None and lost.field == "credit_code" and lost.end == len("统一社会信代码")


def _doc(doc_type: DocType, name: str, code: str, confidence: float) -> DocumentReport:
    return DocumentReport(path=f"{doc_type.value}.pdf", sha256=SHA, media_type="application/pdf", doc_type=doc_type,
                          fields={"company_name": FieldValue(value=name, confidence=confidence),
                                  "credit_code": FieldValue(value=code, confidence=confidence)})


def test_the_licence_outweighs_a_form_and_agreeing_documents_add_up() -> None:
    applicant = settle_applicant([
        _doc(DocType.BUSINESS_LICENSE, "甲铜业有限公司", "91350200MA00000000", 0.9),
        _doc(DocType.APPLICATION_FORM, "甲铜业有限责任公司", "91350200MA00000001", 0.9),
        _doc(DocType.QMS_CERTIFICATE, "甲铜业有限责任公司", "91350200MA00000001", 0.5),
    ])
    assert applicant.company_name == "甲铜业有限公司"
    many = settle_applicant([
        _doc(DocType.BUSINESS_LICENSE, "甲铜业有限公司", "X", 0.3),
        *[_doc(DocType.QMS_CERTIFICATE, "乙铝业有限公司", "Y", 0.9) for _ in range(3)],
    ])
    assert many.company_name == "乙铝业有限公司"


def _scanned(doc_type: DocType, name: str, code: str) -> DocumentReport:
    report = _doc(doc_type, name, code, 0.95)
    return report.model_copy(update={"text_source": TextSource.OCR})


def test_an_ocr_near_miss_of_the_applicant_is_made_doubtful_and_another_company_is_not() -> None:
    from extractor.understand.agreement import temper
    from models import Applicant

    applicant = Applicant(company_name="铜陵锦江铝材股份有限公司", credit_code="91410300RJ3F0YPA0U")
    misread = _scanned(DocType.BUSINESS_LICENSE, "铜陵锦江铭材股份有限公司", "91410300RJ3FQYPA0U")
    other = _scanned(DocType.QMS_CERTIFICATE, "厦门紫金金属材料有限责任公司", "913502003WM85K7N0P")
    typed = _doc(DocType.APPLICATION_FORM, "铜陵锦江铭材股份有限公司", "91410300RJ3FQYPA0U", 0.95)  # Word: exact
    out = temper([misread, other, typed], applicant)
    assert out[0].fields["company_name"].confidence < 0.5 and out[0].fields["credit_code"].confidence < 0.5
    assert out[1].fields == other.fields
    assert out[2].fields == typed.fields
