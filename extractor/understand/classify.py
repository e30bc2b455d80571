"""A first document classifier: the title (matched fuzzily, so OCR damage and a seal over a
character do not lose it), then keywords in the body."""

import re
import unicodedata
from dataclasses import dataclass

from rapidfuzz import fuzz

from models import DocType, Line, ParsedDocument

# Titles in order of specificity: a certificate title is checked before the bare word 报告.
TITLES: list[tuple[DocType, tuple[str, ...]]] = [
    (DocType.BUSINESS_LICENSE, ("营业执照",)),
    (DocType.OHSMS_CERTIFICATE, ("职业健康安全管理体系认证证书", "OCCUPATIONALHEALTHANDSAFETYMANAGEMENTSYSTEM")),
    (DocType.EMS_CERTIFICATE, ("环境管理体系认证证书", "ENVIRONMENTALMANAGEMENTSYSTEMCERTIFICATE")),
    (DocType.QMS_CERTIFICATE, ("质量管理体系认证证书", "QUALITYMANAGEMENTSYSTEMCERTIFICATE")),
    (DocType.LAB_ACCREDITATION, ("实验室认可证书", "认可证书")),
    (DocType.PATENT_CERTIFICATE, ("发明专利证书", "实用新型专利证书", "外观设计专利证书", "专利证书")),
    (DocType.SATISFACTION_REPORT, ("满意度测评报告", "满意度调查报告", "满意度评价报告", "满意度测评")),
    (DocType.TEST_REPORT, ("检验检测报告", "检验报告", "检测报告", "测试报告")),
    (DocType.RECOMMENDATION_FORM, ("推荐表", "推荐意见表")),
    (DocType.COMMITMENT_LETTER, ("承诺书", "诚信承诺")),
    (DocType.STATISTICS_FORM, ("统计表", "汇总表")),
    (DocType.APPLICATION_FORM, ("申报书", "申报表", "申请表", "报名表")),
    (DocType.SUMMARY_REPORT, ("典型经验", "经验材料", "经验交流材料", "先进事迹", "事迹材料", "工作总结", "活动总结",
                              "成果报告")),
]

# Body signals when no title is found: (type, its cue words, how many different ones it takes). A
# document is typed by its body only when several of its type's cues are there: a quarterly report
# naming its 法定代表人, or a contract with a 统一社会信用代码, is no business licence.
BODY_SIGNALS: list[tuple[DocType, tuple[str, ...], int]] = [
    (DocType.BUSINESS_LICENSE, ("统一社会信用代码", "法定代表人", "营业期限", "经营范围", "登记机关", "注册资本",
                                "成立日期", "住所", "类型"), 4),
    (DocType.QMS_CERTIFICATE, (r"GB/?T19001|ISO9001", "认证", "证书", "管理体系"), 3),
    (DocType.EMS_CERTIFICATE, (r"GB/?T24001|ISO14001", "认证", "证书", "管理体系"), 3),
    (DocType.OHSMS_CERTIFICATE, (r"GB/?T45001|ISO45001|GB/?T28001|OHSAS18001", "认证", "证书", "管理体系"), 3),
    (DocType.LAB_ACCREDITATION, (r"CNASL\d{4,5}", "中国合格评定国家认可委员会", "认可", "实验室"), 3),
    (DocType.TEST_REPORT, ("检验结论|检测结论", "样品名称", "检验依据|检测依据", "委托单位", "检验项目|检测项目"), 3),
    (DocType.SATISFACTION_REPORT, ("满意度指数|满意度得分|满意指数", "测评机构|测评", "有效样本|样本", "满意度"), 3),
    (DocType.PATENT_CERTIFICATE, ("专利号", "专利权人", "授权公告日", "发明人|设计人"), 3),
]
_BODY_CUES = [(doc_type, [re.compile(c) for c in cues], need) for doc_type, cues, need in BODY_SIGNALS]

TITLE_ZONE_LINES = 12
TITLE_ZONE_TOP = 0.4  # share of the page height where a title may sit
FUZZY_MIN = 80.0


@dataclass(frozen=True)
class Classification:
    doc_type: DocType
    confidence: float
    cue: str  # the words the decision rests on


def compact(text: str) -> str:
    """NFKC, upper-case, no whitespace: the form titles and keywords are compared in."""
    return re.sub(r"\s+", "", unicodedata.normalize("NFKC", text)).upper()


def title_zone(document: ParsedDocument) -> list[Line]:
    if not document.pages:
        return []
    first = document.pages[0]
    body = [ln for ln in first.lines if ln.role not in ("header", "footer") and ln.text.strip()]
    if first.paged:
        body = [ln for ln in body if ln.bbox is None or ln.bbox[1] <= TITLE_ZONE_TOP] or body
    return body[:TITLE_ZONE_LINES]


def _title_match(line_text: str, title: str) -> float:
    if title in line_text:
        return 100.0
    if len(line_text) < max(2, 0.7 * len(title)) or len(title) < 3:
        return 0.0  # a short line inside a long title (认证证书 in 职业健康安全管理体系认证证书) is not that title
    return float(fuzz.partial_ratio(title, line_text))


def classify(document: ParsedDocument) -> Classification:
    if not document.pages:
        return Classification(DocType.OTHER, 0.0, "")
    best: tuple[float, int, DocType, str] | None = None
    for position, line in enumerate(title_zone(document)):
        text = compact(line.text)
        for rank, (doc_type, titles) in enumerate(TITLES):
            for title in titles:
                score = _title_match(text, title)
                if score < FUZZY_MIN:
                    continue
                # earlier lines and more specific types win ties
                key = (score - position * 0.5, -rank, doc_type, line.text)
                if best is None or key[:2] > best[:2]:
                    best = key
    if best is not None:
        score, _, doc_type, cue = best
        return Classification(doc_type, round(min(1.0, max(0.5, score / 100.0)), 3), cue.strip())
    text = compact(document.text)
    scores: dict[DocType, float] = {}
    for doc_type, cues, need in _BODY_CUES:
        present = sum(1 for cue in cues if cue.search(text))
        if present >= need:
            scores[doc_type] = present / len(cues)
    if scores:
        doc_type, score = max(scores.items(), key=lambda kv: kv[1])
        return Classification(doc_type, round(min(0.6, 0.2 + score / 2.5), 3), "正文关键词")
    return by_file_name(document.path) or Classification(DocType.OTHER, 0.3, "")


def by_file_name(path: str) -> Classification | None:
    """The type the file's own name gives (申报者 name their files 营业执照.pdf, 检验报告.jpg), for a
    document whose content says nothing legible: a scan too blurred to read is still the licence it
    was sent as, so a reviewer is told it cannot be read rather than that it is missing."""
    name = compact(path.rsplit("!/", 1)[-1].rsplit("/", 1)[-1])
    for doc_type, titles in TITLES:
        for title in titles:
            if title in name:
                return Classification(doc_type, 0.3, f"文件名：{path.rsplit('/', 1)[-1]}")
    return None
