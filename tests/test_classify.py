"""The first classifier: titles (exact and OCR-damaged), body keywords, and the fallback."""

from pathlib import Path

import pytest

from extractor.understand.classify import classify
from models import DocType, Line, Page, ParsedDocument, TextSource


def doc(*lines: str, paged: bool = True) -> ParsedDocument:
    page = Page(
        number=1,
        text_source=TextSource.OCR if paged else TextSource.DOCX,
        paged=paged,
        lines=[
            Line(text=t, bbox=(0.1, 0.05 + i * 0.04, 0.9, 0.08 + i * 0.04) if paged else None)
            for i, t in enumerate(lines)
        ],
    )
    return ParsedDocument(path="x", sha256="0" * 64, media_type="application/pdf", pages=[page])


@pytest.mark.parametrize(
    ("title", "expected"),
    [
        ("营业执照", DocType.BUSINESS_LICENSE),
        ("质量管理体系认证证书", DocType.QMS_CERTIFICATE),
        ("环境管理体系认证证书", DocType.EMS_CERTIFICATE),
        ("职业健康安全管理体系认证证书", DocType.OHSMS_CERTIFICATE),
        ("中国合格评定国家认可委员会 实验室认可证书", DocType.LAB_ACCREDITATION),
        ("检验检测报告", DocType.TEST_REPORT),
        ("用户满意度测评报告", DocType.SATISFACTION_REPORT),
        ("发明专利证书", DocType.PATENT_CERTIFICATE),
        ("全国质量标杆推荐表", DocType.RECOMMENDATION_FORM),
        ("承诺书", DocType.COMMITMENT_LETTER),
        ("全国有色金属产品质量品牌培育活动申报书", DocType.APPLICATION_FORM),
        ("第五届中国质量奖申报表", DocType.APPLICATION_FORM),
        ("QC小组活动成果报告", DocType.SUMMARY_REPORT),
        ("企业基本情况统计表", DocType.STATISTICS_FORM),
    ],
)
def test_titles_decide_the_type(title: str, expected: DocType) -> None:
    assert classify(doc(title, "正文")).doc_type == expected


def test_title_damaged_by_ocr_is_still_matched() -> None:
    # a seal over 理 and a misread 证 (征)
    result = classify(doc("质量管体系认征证书", "证书编号：00123Q45678R1M"))
    assert result.doc_type == DocType.QMS_CERTIFICATE
    assert result.confidence < 1.0


def test_spaced_title_is_matched() -> None:
    assert classify(doc("营 业 执 照", "(副 本)")).doc_type == DocType.BUSINESS_LICENSE


def test_certificate_title_wins_over_a_form_mentioned_later() -> None:
    lines = ["质量管理体系认证证书", "兹证明", "申报书中所列产品"]
    assert classify(doc(*lines)).doc_type == DocType.QMS_CERTIFICATE


def test_body_keywords_decide_when_there_is_no_title() -> None:
    result = classify(doc("第 2 页 共 5 页", "样品名称：铜板带", "检验依据：GB/T 5231-2022", "检验结论：合格"))
    assert result.doc_type == DocType.TEST_REPORT
    assert result.confidence <= 0.6


def test_unrelated_text_is_other() -> None:
    assert classify(doc("会议纪要", "今天天气很好")).doc_type == DocType.OTHER


def test_document_without_pages_is_other() -> None:
    empty = ParsedDocument(path="x", sha256="0" * 64, media_type="application/pdf")
    assert classify(empty).doc_type == DocType.OTHER


def test_a_real_quarterly_report_or_contract_naming_a_legal_representative_is_no_business_licence(
    testdata: Path,
) -> None:
    """Real files written by others (shared/testdata/real): one licence cue in the body is not a licence."""
    from extractor.pipeline import check
    from extractor.settings import Settings

    for name in ("byd_2025q1_report_digital.pdf", "rapiddoc_test_contract_table.docx"):
        path = testdata / "real" / name
        if not path.exists():
            pytest.skip("shared/testdata/real not present")
        report = check(path, Settings())
        assert report.documents[0].doc_type != "business_license", name
        assert not [f for f in report.findings if f.severity == "error"], name
