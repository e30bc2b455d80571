"""Reading by meaning, on small hand-made pages in the shapes real documents take (issue 12): values
on the next line, inside sentences, in column-header tables, without labels; labels that are never
values; number shapes beyond the generator's."""

import pytest

from extractor.understand.fields import extract_fields
from extractor.understand.parsers import parse_cert_number
from extractor.understand.typed import find_typed
from models import DocType, Doubt, Line, Page, PageSeal, ParsedDocument, TextSource, Word

SHA = "0" * 64
KNOWN = "金昌锦江铜业（集团）有限公司"


def flow(*rows: str) -> ParsedDocument:
    """A Word document: each row a paragraph, or table cells joined by tabs."""
    lines = [Line(text=r, role="table_row" if "\t" in r else "body") for r in rows]
    page = Page(number=1, text_source=TextSource.DOCX, paged=False, lines=lines)
    return ParsedDocument(path="a.docx", sha256=SHA, media_type="application/vnd.openxmlformats", pages=[page],
                          text_source=TextSource.DOCX)


def page_of(lines: list[Line], seals: list[PageSeal] | None = None, source: TextSource = TextSource.TEXT_LAYER
            ) -> ParsedDocument:
    page = Page(number=1, width=595, height=842, text_source=source, lines=lines, seals=seals or [])
    return ParsedDocument(path="a.pdf", sha256=SHA, media_type="application/pdf", pages=[page], page_count=1,
                          text_source=source)


def line(text: str, y: float, x: float = 0.1) -> Line:
    return Line(text=text, bbox=(x, y, x + 0.018 * len(text), y + 0.018))


def values(doc: ParsedDocument, doc_type: DocType) -> dict[str, object]:
    return {k: v.value for k, v in extract_fields(doc, doc_type).items()}


def test_a_standard_on_the_line_after_its_label_is_read() -> None:
    doc = flow("质量管理体系认证证书", "兹证明", KNOWN, "质量管理体系符合标准：", "GB/T19001-2016 idt ISO9001:2015")
    found = values(doc, DocType.QMS_CERTIFICATE)
    assert found["standard"] == "GB/T 19001-2016" and found["company_name"] == KNOWN


def test_values_inside_sentences_are_read() -> None:
    sat = flow("用户满意度测评报告", "本次测评电解镍用户满意度指数为88.3分。")
    assert values(sat, DocType.SATISFACTION_REPORT)["satisfaction_score"] == 88.3
    test = flow("检验检测报告", "经检验，所检项目符合 GB/T 3952-2016 的要求，检验结论：不合格。")
    assert values(test, DocType.TEST_REPORT)["conclusion"] == "不合格"
    form = flow("申报书", f"本单位（{KNOWN}）自愿申报全国有色金属产品质量品牌培育活动。")
    assert values(form, DocType.APPLICATION_FORM)["company_name"] == KNOWN
    letter = flow("承诺书", f"我单位{KNOWN}郑重承诺：所提交的申报材料真实、准确。")
    assert values(letter, DocType.COMMITMENT_LETTER)["company_name"] == KNOWN


def test_a_row_of_column_headers_gives_each_label_the_value_below_it() -> None:
    doc = flow("申报书", "产品名称\t年产量（吨）\t近三年销售收入（万元）", "铝及铝合金挤压棒材\t11000\t38000")
    assert values(doc, DocType.APPLICATION_FORM)["product_name"] == "铝及铝合金挤压棒材"


def test_a_label_is_never_a_value() -> None:
    doc = flow("全国有色金属产品质量品牌培育活动申报书", "申报产品基本信息表", "申报产品", "名称\t铜及铜合金拉制管")
    assert values(doc, DocType.APPLICATION_FORM)["product_name"] == "铜及铜合金拉制管"
    licence = page_of([line("营业执照", 0.1), line("名称", 0.2), line(KNOWN, 0.2, 0.3),
                       line("类型", 0.23), line("有限责任公司（自然人投资或控股）", 0.23, 0.3)], source=TextSource.OCR)
    assert values(licence, DocType.BUSINESS_LICENSE)["company_name"] == KNOWN


def test_this_certificates_issue_date_not_the_first_one() -> None:
    doc = flow("质量管理体系认证证书", "初次发证日期：2015年3月2日", "本次发证日期：2024年3月1日",
               "有效期至：2027年2月28日")
    found = values(doc, DocType.QMS_CERTIFICATE)
    assert found["issue_date"] == "2024-03-01" and found["expiry_date"] == "2027-02-28"


def test_two_label_value_pairs_on_one_text_layer_line_are_two_cells() -> None:
    words = [Word(text="签发日期：2022年10月1日", bbox=(0.10, 0.5, 0.33, 0.52)),
             Word(text="有效期至：2028年9月30日", bbox=(0.55, 0.5, 0.78, 0.52))]
    both = Line(text="签发日期：2022年10月1日 有效期至：2028年9月30日", bbox=(0.10, 0.5, 0.78, 0.52), words=words)
    found = values(page_of([line("实验室认可证书", 0.1), both]), DocType.LAB_ACCREDITATION)
    assert found["issue_date"] == "2022-10-01" and found["expiry_date"] == "2028-09-30"


@pytest.mark.parametrize(("printed", "number"), [
    ("证书编号：QAIC/CN/103097-B", "QAIC/CN/103097-B"), ("注册号：244-24-QQ-01663-R0-M", "244-24-QQ-01663-R0-M"),
    ("No. 00123Q31234R2M", "00123Q31234R2M"), ("证书编号/Certificate No.: U006624Q0123R1M", "U006624Q0123R1M"),
    ("注册号：CNAS L8115", "CNAS L8115"), ("报告编号：（2024）国色检字第0123号", "（2024）国色检字第0123号"),
])
def test_number_shapes_beyond_the_generators(printed: str, number: str) -> None:
    assert parse_cert_number(printed) == (number, 1.0)


def test_the_issuing_body_is_the_organisation_at_the_foot_that_the_seal_names() -> None:
    lines = [line("质量管理体系认证证书", 0.1), line("兹证明", 0.2), line(KNOWN, 0.23),
             line("经审核，其质量管理体系符合 GB/T 19001-2016 标准。", 0.3),
             line("北方联合质量认证中心有限公司", 0.82), line("天津市河西区友谊路35号", 0.85)]
    seal = PageSeal(bbox=(0.1, 0.75, 0.3, 0.9), text="北方联合质量认证中心有限公司", text_confidence=0.97)
    found = extract_fields(page_of(lines, [seal]), DocType.QMS_CERTIFICATE)
    body = found["certification_body"]
    assert body.value == "北方联合质量认证中心有限公司" and Doubt.INFERRED in body.doubt
    assert found["company_name"].value == KNOWN  # the holder is never the issuer, nor the other way round


def test_members_listed_in_one_cell_or_one_a_row_are_counted() -> None:
    listed = flow("2026 年度企业推荐项目汇总表", "序号\t质量管理小组全称\t小组成员名单（限 10 人）",
                  f"1\t{KNOWN}精整一班\t王伟、李娜、张敏、刘强")
    found = values(listed, DocType.STATISTICS_FORM)
    assert found["member_count"] == 4 and found["team_name"] == "精整一班"
    per_row = flow("汇总表", "序号\t小组全称\t成员姓名", *(f"{i}\t{KNOWN}质检组\t成员{i}" for i in range(1, 7)))
    assert values(per_row, DocType.STATISTICS_FORM)["member_count"] == 6


def test_organisations_are_found_by_their_endings_with_their_own_offsets() -> None:
    text = "受金昌锦江铜业（集团）有限公司委托，中国质量协会用户委员会于2024年3月开展测评。"
    orgs = [(t.value, text[t.start:t.end]) for t in find_typed(text) if t.kind == "organisation"]
    assert orgs == [(KNOWN, KNOWN), ("中国质量协会用户委员会", "中国质量协会用户委员会")]
