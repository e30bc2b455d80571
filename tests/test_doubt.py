"""Doubtful values carry their reason, and the rules read the reason, not a confidence threshold."""

from extractor.understand.agreement import temper
from extractor.understand.fields import Candidate, choose
from extractor.understand.layout import TextCell
from models import Applicant, DocType, DocumentReport, Doubt, Evidence, FieldValue, TextSource

OCR_CELL = TextCell("统一社会信用代码 91350100M000100Y43", 1, (0.1, 0.1, 0.6, 0.12), 0.97, True)


def test_a_value_a_second_reading_contradicts_is_in_doubt_and_a_lone_sure_one_is_not() -> None:
    sure = choose([Candidate("credit_code", "91350100M000100Y43", 0.9, OCR_CELL, OCR_CELL.text)], "a.pdf")
    assert sure["credit_code"].doubt == []
    torn = choose([Candidate("credit_code", "91350100M000100Y43", 0.8, OCR_CELL, OCR_CELL.text),
                   Candidate("credit_code", "91350100M000100Y48", 0.7, OCR_CELL, OCR_CELL.text)], "a.pdf")
    assert Doubt.OCR_DISAGREES in torn["credit_code"].doubt


def test_unsure_glyphs_a_loose_label_an_inference_and_a_wrong_shape_each_say_so() -> None:
    blurred = TextCell("名称 洛阳博威有色金属有限责任公司", 1, (0.1, 0.2, 0.6, 0.22), 0.6, True)
    [value] = choose([Candidate("company_name", "洛阳博威有色金属有限责任公司", 0.5, blurred, blurred.text,
                                how="fuzzy_label")], "a.pdf").values()
    assert {Doubt.OCR_UNSURE, Doubt.WEAK_LABEL} <= set(value.doubt)
    [agency] = choose([Candidate("testing_agency", "国家有色金属质量检验检测中心", 0.6, OCR_CELL, "x", how="meaning")],
                      "a.pdf").values()
    assert agency.doubt == [Doubt.INFERRED]
    [cut] = choose([Candidate("credit_code", "91350100M000100", 0.3, OCR_CELL, "x", validity=0.3)], "a.pdf").values()
    assert Doubt.IMPLAUSIBLE in cut.doubt


def test_an_ocr_reading_a_character_from_the_applicant_is_marked_near_applicant() -> None:
    value = FieldValue(value="洛阳博威有色金屬有限责任公司", confidence=0.9, evidence=[Evidence(path="q.pdf")])
    doc = DocumentReport(path="q.pdf", sha256="0" * 64, media_type="application/pdf", pages=1,
                         text_source=TextSource.OCR, doc_type=DocType.QMS_CERTIFICATE, fields={"company_name": value})
    [tempered] = temper([doc], Applicant(company_name="洛阳博威有色金属有限责任公司", credit_code=None))
    assert tempered.fields["company_name"].doubt == [Doubt.NEAR_APPLICANT]
