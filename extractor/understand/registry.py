"""The contract's fields, one entry each: key, value type, labels, parser, the document types that
carry it, and how it is found besides its labels (a value that wraps, the sentence cues a value
follows, the role an organisation plays). Everything that reads fields reads this table.

Labels are in compact form (NFKC, no whitespace) and apply to the document types given (default:
every type). `OTHER_LABELS` are labels a document prints for things the contract does not ask for
(类型, 住所, 初次发证日期 …): they are recognised so that a label is never taken for a value.
"""

import functools
import re
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any, Literal

from extractor.understand import parsers as p
from models import DocType

ANY: frozenset[DocType] = frozenset(DocType)
CERTIFICATES = frozenset({DocType.QMS_CERTIFICATE, DocType.EMS_CERTIFICATE, DocType.OHSMS_CERTIFICATE})
CERTS_AND_LAB = CERTIFICATES | {DocType.LAB_ACCREDITATION}
FORMS = frozenset({DocType.APPLICATION_FORM, DocType.RECOMMENDATION_FORM, DocType.STATISTICS_FORM,
                   DocType.COMMITMENT_LETTER})
REPORTS = frozenset({DocType.TEST_REPORT, DocType.SATISFACTION_REPORT})
TEST = frozenset({DocType.TEST_REPORT})
SATISFACTION = frozenset({DocType.SATISFACTION_REPORT})
LICENCE = frozenset({DocType.BUSINESS_LICENSE})
PATENT = frozenset({DocType.PATENT_CERTIFICATE})

ValueKind = Literal["organisation", "company", "credit_code", "person", "date", "identifier", "standard",
                    "standards", "text", "grades", "conclusion", "score", "level", "count", "flag"]
Role = Literal["holder", "issuer", "recommender", "none"]
Parsed = tuple[Any, float] | None
Parser = Callable[[str, bool, float], Parsed]  # text, read by OCR, recogniser confidence


@dataclass(frozen=True)
class Label:
    text: str
    doc_types: frozenset[DocType] = ANY


@dataclass(frozen=True)
class FieldSpec:
    key: str
    kind: ValueKind
    parse: Parser
    documents: frozenset[DocType]  # the document types the contract reads it on
    labels: tuple[Label, ...] = ()
    wraps: bool = False  # a long value may wrap onto the next line of its column
    # sentence cues: the value follows the cue in the same sentence (满意度指数为 88.3 分)
    cues: tuple[re.Pattern[str], ...] = ()
    role: Role = "none"  # for organisations: whose name it is
    # a list a document may print in parts (down a results table's column, one 牌号 block at a time):
    # every part is read, and the parts are one value
    in_parts: bool = False


def _plain(parse: Callable[[str], Parsed]) -> Parser:
    return lambda text, ocr, confidence: parse(text)


def _labels(*items: str | tuple[str, frozenset[DocType]]) -> tuple[Label, ...]:
    return tuple(Label(i) if isinstance(i, str) else Label(*i) for i in items)


_FORM_TYPES = frozenset({DocType.APPLICATION_FORM})
UNTYPED = frozenset({DocType.OTHER})  # documents of no contract type

FIELDS: tuple[FieldSpec, ...] = (
    FieldSpec(
        # every type, `other` included (whose 财务报告 or 发票 it is helps the reviewer); a document of no
        # contract type is not a witness of who applies (extractor/understand/applicant.py)
        "company_name", "company", _plain(p.parse_company), ANY,
        _labels("企业名称", "申报企业名称", "申报单位名称", ("申报单位", FORMS | {DocType.SUMMARY_REPORT}),
                "单位名称", "组织名称", "申报组织名称", "承诺单位", ("名称", LICENCE), ("持证单位", CERTIFICATES),
                ("称", LICENCE),  # 名 lost by OCR from the spaced-out 名 称
                ("委托单位", TEST), ("被测评单位", SATISFACTION), ("受测评单位", SATISFACTION),
                ("专利权人", PATENT), ("获证组织", CERTIFICATES), ("认证组织", CERTIFICATES),
                ("组织名称", CERTIFICATES), ("申请人", CERTS_AND_LAB), ("被评价单位", SATISFACTION),
                ("调查单位", SATISFACTION), ("填报单位", FORMS), ("法人单位", CERTS_AND_LAB),
                "申报单位全称", "企业全称", "单位全称", "组织全称", "企业名称全称",
                ("法人单位名称", CERTS_AND_LAB), ("所属法人单位", CERTS_AND_LAB)),
        wraps=True, role="holder",
        cues=(re.compile(r"(?:本|我)(?:单位|公司|企业|组织)[（(](?P<v>[^（）()]{2,40}(?:[（(][^（）()]{1,6}[）)][^（）()]{0,30})?)[）)]"),
              re.compile(r"(?:兹证明|特此证明|经[^，,。]{0,6}?审核|经[^，,。]{0,6}?评审|兹确认)[^，,：:。]{0,4}?[:：，,]?(?P<v>[^，,。；;]{4,40}?(?:有限责任公司|股份有限公司|有限公司|（集团）公司|集团公司|公司|厂))"),
              re.compile(r"我(?:单位|公司|组织)(?P<v>[^，,。；;]{4,40}?(?:有限责任公司|股份有限公司|有限公司|公司|厂))(?:郑重|特此|自愿|承诺)")),
    ),
    FieldSpec(
        "credit_code", "credit_code", p.parse_code,
        frozenset({DocType.APPLICATION_FORM, DocType.BUSINESS_LICENSE, DocType.RECOMMENDATION_FORM}) | CERTIFICATES,
        _labels("统一社会信用代码", "社会信用代码", "信用代码"), wraps=True, role="holder",
    ),
    FieldSpec(
        "legal_representative", "person", _plain(p.parse_person),
        frozenset({DocType.APPLICATION_FORM, DocType.BUSINESS_LICENSE}),
        _labels("法定代表人", "法人代表", ("经营者", LICENCE), ("负责人", LICENCE), ("执行事务合伙人", LICENCE)),
    ),
    FieldSpec(
        "certificate_number", "identifier", _plain(p.parse_cert_number), CERTS_AND_LAB | PATENT,
        _labels(("证书编号", CERTS_AND_LAB), ("证书号", CERTS_AND_LAB), ("注册号", CERTS_AND_LAB),
                ("认可证书编号", CERTS_AND_LAB), ("证书注册号", CERTS_AND_LAB), ("专利号", PATENT)),
    ),
    FieldSpec(
        "standard", "standard", _plain(p.parse_standard), CERTIFICATES,
        _labels(("认证依据", CERTIFICATES), ("审核依据", CERTIFICATES), ("认证标准", CERTIFICATES),
                ("依据标准", CERTIFICATES), ("符合标准", CERTIFICATES)),
        cues=(re.compile(r"(?:符合|依据|按照)(?P<v>.{0,12}?(?:GB|ISO).{4,40})"),),
    ),
    FieldSpec(
        "issue_date", "date", _plain(p.parse_date_value),
        CERTS_AND_LAB | PATENT | REPORTS | UNTYPED,
        _labels(("开票日期", UNTYPED), "发证日期", "颁证日期", "签发日期", "批准日期", ("本次发证日期", CERTS_AND_LAB),
                ("换证日期", CERTS_AND_LAB), ("颁发日期", CERTS_AND_LAB), ("报告日期", REPORTS),
                ("出具日期", REPORTS), ("编制日期", REPORTS), ("测评日期", SATISFACTION),
                ("授权公告日", PATENT)),
    ),
    FieldSpec(
        "expiry_date", "date", _plain(p.parse_date_value), CERTS_AND_LAB,
        _labels(("有效期至", CERTS_AND_LAB), ("证书有效期至", CERTS_AND_LAB), ("有效期截止", CERTS_AND_LAB),
                ("有效截止日期", CERTS_AND_LAB), ("到期日期", CERTS_AND_LAB)),
    ),
    FieldSpec(
        "certification_body", "organisation", _plain(p.parse_org), CERTIFICATES,
        _labels(("认证机构", CERTIFICATES), ("发证机构", CERTIFICATES), ("颁证机构", CERTIFICATES)),
        wraps=True, role="issuer",
    ),
    FieldSpec(
        "scope", "text", _plain(p.parse_text), CERTIFICATES,
        _labels(("认证范围", CERTIFICATES), ("覆盖范围", CERTIFICATES), ("认证覆盖范围", CERTIFICATES),
                ("认证覆盖的范围", CERTIFICATES), ("注册范围", CERTIFICATES), ("业务范围", CERTIFICATES),
                ("认证覆盖的业务范围", CERTIFICATES), ("认证的业务范围", CERTIFICATES), ("适用范围", CERTIFICATES),
                ("体系适用范围", CERTIFICATES), ("认证适用范围", CERTIFICATES)),
        wraps=True,
    ),
    FieldSpec(
        "report_number", "identifier", _plain(p.parse_cert_number), REPORTS,
        _labels(("报告编号", REPORTS), ("报告号", REPORTS), ("检验编号", TEST), ("检测编号", TEST)),
    ),
    FieldSpec(
        "product_name", "text", _plain(p.parse_text),
        frozenset({DocType.APPLICATION_FORM, DocType.TEST_REPORT, DocType.SATISFACTION_REPORT}),
        _labels(("样品名称", TEST), ("产品名称", ANY), ("申报产品", ANY), ("申报产品名称", ANY),
                ("测评产品", SATISFACTION), ("被测评产品", SATISFACTION), ("测评对象", SATISFACTION),
                ("调查产品", SATISFACTION)),
        wraps=True,
        # a satisfaction report's title or opening sentence names the product (XX用户满意度测评报告; 对其XX开展)
        cues=(re.compile(r"^(?P<v>[^，,。：:\s]{2,24}?)(?:产品)?(?:用户|顾客)满意度?(?:测评|调查|评价)(?:报告)?$"),
              re.compile(r"对其(?P<v>[^，,。；;]{2,24}?)(?:产品)?(?:开展|进行)(?:了)?(?:第三方)?(?:用户|顾客)?满意")),
    ),
    FieldSpec(
        "grades", "grades", _plain(p.parse_grades_value), frozenset({DocType.APPLICATION_FORM, DocType.TEST_REPORT}),
        _labels("规格型号/牌号", "产品牌号", "牌号", "规格型号", "申报牌号", "型号规格", "牌号规格"),
        in_parts=True,
    ),
    FieldSpec(
        "test_standard", "standards", _plain(p.parse_test_standards), TEST,
        _labels(("检验依据", TEST), ("检测依据", TEST), ("判定依据", TEST), ("检验检测依据", TEST)),
    ),
    FieldSpec(
        "conclusion", "conclusion", _plain(p.parse_conclusion_value), TEST,
        _labels(("检验结论", TEST), ("检测结论", TEST), ("检验检测结论", TEST), ("结论", TEST)),
        cues=(re.compile(r"(?:检验结论|检测结论|判定|结论)[为是:：]?(?P<v>.{0,30})"),),
    ),
    FieldSpec(
        "testing_agency", "organisation", _plain(p.parse_org), TEST,
        _labels(("检验检测机构", TEST), ("检验单位", TEST), ("检测单位", TEST), ("检验机构", TEST),
                ("检测机构", TEST), ("承检单位", TEST)),
        wraps=True, role="issuer",
    ),
    FieldSpec(
        "cma", "flag", _plain(lambda text: None), TEST,
    ),
    FieldSpec(
        "satisfaction_score", "score", _plain(p.parse_score_value), SATISFACTION,
        _labels(("满意度得分", REPORTS), ("满意度指数", REPORTS), ("综合满意度", REPORTS), ("总体满意度", REPORTS),
                ("顾客满意度指数", REPORTS), ("用户满意度指数", REPORTS)),
        cues=(re.compile(r"满意(?:度|指数)[^。；;]{0,24}?(?:为|达到|是|得分|[:：=])\s*(?P<v>\d{2,3}(?:\.\d{1,2})?)"),),
    ),
    FieldSpec(
        "evaluation_agency", "organisation", _plain(p.parse_org), SATISFACTION,
        _labels(("测评机构", REPORTS), ("评价机构", REPORTS), ("调查机构", REPORTS), ("测评单位", REPORTS),
                ("实施机构", REPORTS)),
        wraps=True, role="issuer",
    ),
    FieldSpec(
        "applied_level", "level", _plain(p.parse_level), _FORM_TYPES,
        _labels("申报类别", "申报级别", "申报层级", "申报等级"),
    ),
    FieldSpec(
        "team_name", "text", _plain(p.parse_text), frozenset({DocType.APPLICATION_FORM, DocType.STATISTICS_FORM}),
        _labels("班组名称", "小组名称"),
    ),
    FieldSpec(
        "member_count", "count", _plain(p.parse_count), frozenset({DocType.APPLICATION_FORM, DocType.STATISTICS_FORM}),
        _labels("班组人数", "小组人数", "成员人数"),
    ),
    FieldSpec(
        "recommender", "organisation", _plain(p.parse_org),
        frozenset({DocType.APPLICATION_FORM, DocType.RECOMMENDATION_FORM, DocType.STATISTICS_FORM}),
        _labels("推荐单位", "推荐单位名称", "推荐机构"), wraps=True, role="recommender",
        # 经青海省工业和信息化厅审核，…现予推荐 / 江苏省工业和信息化厅推荐XX公司
        cues=(re.compile(r"经(?P<v>[^，,。；;：:]{4,30}?(?:厅|局|委员会|协会|联合会|促进会|联盟|商会))(?:审核|审查|评审|研究)"),
              re.compile(r"(?:^|[，,。；;：:])(?P<v>[^，,。；;：:]{4,30}?(?:厅|局|委员会|协会|联合会|促进会|联盟|商会))(?:同意)?推荐")),
    ),
    FieldSpec(
        "signed_date", "date", _plain(p.parse_date_value),
        frozenset({DocType.APPLICATION_FORM, DocType.RECOMMENDATION_FORM, DocType.COMMITMENT_LETTER}),
        _labels("填表日期", "申报日期", "签署日期", "承诺日期", ("日期", FORMS)),
        # the date written after the seal or signature line in the same cell (申报单位（盖章） 2024 年 8 月 3 日)
        cues=(re.compile(r"(?:盖章|签章|签字|公章)\s*[)）]?\s*[:：]?\s*(?P<v>[0-9〇○零一二三四五六七八九]{4}\s*年"
                         r"\s*[0-9一二三四五六七八九十]{1,3}\s*月\s*[0-9一二三四五六七八九十]{1,3}\s*日)"),),
    ),
)

BY_KEY: dict[str, FieldSpec] = {f.key: f for f in FIELDS}

# A label that gives both dates at once (证书有效期：2021年5月11日至2024年5月10日).
VALIDITY_LABELS: tuple[Label, ...] = _labels(("证书有效期", CERTS_AND_LAB), ("有效期", CERTS_AND_LAB),
                                             ("有效期限", CERTS_AND_LAB), ("证书有效期限", CERTS_AND_LAB))

# What documents label that the contract does not read: recognised so that they are never values.
OTHER_LABELS: tuple[Label, ...] = _labels(
    "类型", "主体类型", "住所", "经营场所", "注册资本", "成立日期", "营业期限", "经营范围", "登记机关", "联系电话",
    "电话", "传真", "邮编", "邮政编码", "地址", "注册地址", "生产地址", "经营地址", "联系人", "电子邮箱", "手机",
    "初次发证日期", "首次发证日期", "初次获证日期", "初次认证日期", "首次认证日期",
    "初次认可日期", "首次认可日期", "样品编号", "样品数量", "检验类别", "检测类别", "抽样地点",
    "生产单位", "生产日期", "到样日期", "检验日期", "检测日期", "收样日期", "网址", "组织类型", "班组长姓名",
    "经验名称", "典型经验名称", "推荐意见", "推荐单位意见", "推荐理由",
    "主管部门意见", "发明名称", "发明人", "专利申请日", "授权公告号", "开户银行", "职务",
    "序号", "备注", "签字", "盖章", "有效样本", "调查时间", "样本量", "批准人", "审核人", "主检", "编制",
    "签发", "商标", "规格", "等级", "班组长", "组织规模", "企业规模", "企业性质", "所属行业", "成员姓名", "姓名",
    "性别",
    "岗位", "职务", "部门", "学历", "年龄", "职称", "部门/职务", "联系部门", "主管部门", "直接联系人", "座机", "邮箱",
    "通讯地址", "通信地址", "详细通讯地址", "注册地址", "年产量", "销售收入", "营业收入", "利润", "员工人数",
    # the column headers of a test report's results table
    "检验项目", "检测项目", "计量单位", "标准要求", "技术要求", "标准值", "实测值", "实测结果", "检测结果", "检验结果",
    "单项判定", "单项结论", "判定", "检测方法", "试验方法", "权重", "测评维度", "一级指标",
)


def fields_for(doc_type: DocType) -> tuple[str, ...]:
    """The keys the contract reads on a document of this type, in the table's order."""
    return tuple(f.key for f in FIELDS if doc_type in f.documents)


@functools.cache
def labels_for(doc_type: DocType) -> tuple[tuple[str, str], ...]:
    """(field key, label) pairs that apply on this document type, `validity` and `other` included."""
    pairs = [(f.key, lab.text) for f in FIELDS for lab in f.labels if doc_type in lab.doc_types]
    pairs += [("validity", lab.text) for lab in VALIDITY_LABELS if doc_type in lab.doc_types]
    pairs += [("other", lab.text) for lab in OTHER_LABELS if doc_type in lab.doc_types]
    return tuple(pairs)


@functools.cache
def all_label_texts() -> frozenset[str]:
    return frozenset(lab for t in DocType for _, lab in labels_for(t))


def is_label(text: str) -> bool:
    """Whether a text is nothing but a label (产品名称：, 名　称): a label is never a value."""
    flat = re.sub(r"[\s:：()（）*＊]+", "", text)
    return flat in all_label_texts()
