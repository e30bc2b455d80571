"""Field labels as the forms, certificates and reports of the four notices print them.

A label is recognised at the start of a cell (after whitespace is removed): exactly, or — for OCR,
where a character may be lost or misread — by rapidfuzz on the cell's first characters. The longest
matching label wins (统一社会信用代码 before 代码; 申报企业名称 before 名称).
"""

import re
import unicodedata
from dataclasses import dataclass

from rapidfuzz import fuzz

from models import DocType

ANY: frozenset[DocType] = frozenset(DocType)
CERTIFICATES = frozenset({DocType.QMS_CERTIFICATE, DocType.EMS_CERTIFICATE, DocType.OHSMS_CERTIFICATE})
FORMS = frozenset({DocType.APPLICATION_FORM, DocType.RECOMMENDATION_FORM, DocType.STATISTICS_FORM,
                   DocType.COMMITMENT_LETTER})
REPORTS = frozenset({DocType.TEST_REPORT, DocType.SATISFACTION_REPORT})
TEST = frozenset({DocType.TEST_REPORT})

# field → [(label, document types it applies to)], labels in compact form (NFKC, no whitespace)
LABELS: dict[str, list[tuple[str, frozenset[DocType]]]] = {
    "company_name": [
        ("企业名称", ANY), ("申报企业名称", ANY), ("申报单位名称", ANY), ("申报单位", FORMS | {DocType.SUMMARY_REPORT}),
        ("单位名称", ANY), ("组织名称", ANY), ("申报组织名称", ANY), ("承诺单位", ANY),
        ("名称", frozenset({DocType.BUSINESS_LICENSE})), ("持证单位", CERTIFICATES),
        ("称", frozenset({DocType.BUSINESS_LICENSE})),  # 名 lost by OCR from the spaced-out 名 称
        ("委托单位", TEST), ("被测评单位", frozenset({DocType.SATISFACTION_REPORT})),
        ("受测评单位", frozenset({DocType.SATISFACTION_REPORT})), ("专利权人", frozenset({DocType.PATENT_CERTIFICATE})),
    ],
    "credit_code": [("统一社会信用代码", ANY), ("社会信用代码", ANY), ("信用代码", ANY)],
    "legal_representative": [("法定代表人", ANY), ("法人代表", ANY)],
    "certificate_number": [
        ("证书编号", CERTIFICATES | {DocType.LAB_ACCREDITATION}), ("证书号", CERTIFICATES),
        ("注册号", CERTIFICATES | {DocType.LAB_ACCREDITATION}), ("专利号", frozenset({DocType.PATENT_CERTIFICATE})),
    ],
    "standard": [("认证依据", CERTIFICATES), ("审核依据", CERTIFICATES)],
    "issue_date": [
        ("发证日期", ANY), ("颁证日期", ANY), ("签发日期", ANY), ("批准日期", ANY), ("报告日期", REPORTS),
        ("授权公告日", frozenset({DocType.PATENT_CERTIFICATE})), ("初次发证日期", CERTIFICATES),
    ],
    "expiry_date": [("有效期至", CERTIFICATES | {DocType.LAB_ACCREDITATION}),
                    ("证书有效期至", CERTIFICATES | {DocType.LAB_ACCREDITATION})],
    "validity": [("证书有效期", CERTIFICATES | {DocType.LAB_ACCREDITATION}),
                 ("有效期", CERTIFICATES | {DocType.LAB_ACCREDITATION}),
                 ("有效期限", CERTIFICATES | {DocType.LAB_ACCREDITATION})],
    "certification_body": [("认证机构", CERTIFICATES), ("发证机构", CERTIFICATES)],
    "scope": [("认证范围", CERTIFICATES), ("覆盖范围", CERTIFICATES), ("认证覆盖范围", CERTIFICATES)],
    "report_number": [("报告编号", REPORTS), ("报告号", REPORTS)],
    "product_name": [
        ("样品名称", TEST), ("产品名称", ANY), ("申报产品", ANY),
        ("测评产品", frozenset({DocType.SATISFACTION_REPORT})),
    ],
    "grades": [("规格型号/牌号", ANY), ("产品牌号", ANY), ("牌号", ANY), ("规格型号", ANY), ("申报牌号", ANY)],
    "test_standard": [("检验依据", TEST), ("检测依据", TEST)],
    "conclusion": [("检验结论", TEST), ("检测结论", TEST)],
    "testing_agency": [("检验检测机构", TEST), ("检验单位", TEST), ("检测单位", TEST), ("检验机构", TEST)],
    "satisfaction_score": [("满意度得分", REPORTS), ("满意度指数", REPORTS), ("综合满意度", REPORTS)],
    "evaluation_agency": [("测评机构", REPORTS), ("评价机构", REPORTS), ("调查机构", REPORTS)],
    "applied_level": [("申报类别", ANY), ("申报级别", ANY)],
    "team_name": [("班组名称", ANY), ("小组名称", ANY)],
    "member_count": [("班组人数", ANY), ("小组人数", ANY), ("成员人数", ANY)],
    "recommender": [("推荐单位", ANY)],
}

FUZZY_LABEL_MIN = 85.0
MIN_FUZZY_LEN = 4  # two-character labels are matched exactly only


@dataclass(frozen=True)
class LabelMatch:
    field: str
    label: str
    end: int  # index in the compact text where the value starts
    score: float  # 1.0 exact, less when matched fuzzily


def compact(text: str) -> str:
    return re.sub(r"\s+", "", unicodedata.normalize("NFKC", text))


def match_label(text: str, doc_type: DocType) -> LabelMatch | None:
    """The label a cell begins with, if any (text is compacted first)."""
    head = compact(text)
    best: LabelMatch | None = None
    for field, labels in LABELS.items():
        for label, types in labels:
            if doc_type not in types:
                continue
            if head.startswith(label):
                match = LabelMatch(field, label, len(label), 1.0)
            elif len(label) >= MIN_FUZZY_LEN and len(head) >= len(label) - 1:
                # a character lost (k=-1), misread (0) or added (+1) by OCR
                score, end = max((fuzz.ratio(label, head[: len(label) + k]), len(label) + k) for k in (-1, 0, 1))
                if score < FUZZY_LABEL_MIN:
                    continue
                match = LabelMatch(field, label, end, round(score / 100.0, 3))
            else:
                continue
            if best is None or (match.score, len(match.label)) > (best.score, len(best.label)):
                best = match
    return best
