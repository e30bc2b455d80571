"""Profiles, one per notice in shared/seeds, plus `generic`. Data only: which documents a notice
asks for, which must carry a seal and whose, thresholds, windows, lists and limits. Every item
quotes the article of the notice it comes from, and the findings quote it back to the reviewer.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date

from extractor.judge.recommenders import CAQ_2021_RECOMMENDERS
from models import DocType

ALL_LEVELS: frozenset[str] = frozenset()  # a requirement for every applied level


@dataclass(frozen=True)
class Required:
    doc_type: DocType
    label: str  # what a reviewer calls it
    article: str
    levels: frozenset[str] = ALL_LEVELS  # only for these applied levels (empty: all)
    # other document types that satisfy the requirement as well (a Word file of application
    # material reads as a 典型经验 write-up or as an application form: either is 申报材料)
    also: tuple[DocType, ...] = ()
    word: bool = False  # the notice asks for the Word version of it

    @property
    def doc_types(self) -> tuple[DocType, ...]:
        return (self.doc_type, *self.also)


@dataclass(frozen=True)
class SealDuty:
    doc_type: DocType
    owner: str  # applicant | recommender: whose name the seal must carry
    article: str


@dataclass(frozen=True)
class ScoreFloor:
    level: str  # 培育品牌 / 优质品牌 / 卓越品牌; "" for every level
    minimum: float
    article: str


@dataclass(frozen=True)
class StandardDuty:
    doc_type: DocType
    standard: str  # GB/T 19001-2016 …
    article: str


@dataclass(frozen=True)
class Window:
    start: date | None
    end: date
    article: str


@dataclass(frozen=True)
class Cited:
    value: int
    article: str


@dataclass(frozen=True)
class MemberLimit:
    value: int
    article: str
    doc_types: tuple[DocType, ...]  # the forms that list the members the limit is about


@dataclass(frozen=True)
class Profile:
    name: str
    notice: str
    deadline: date | None
    deadline_source: str
    required: tuple[Required, ...] = ()
    sealed: tuple[SealDuty, ...] = ()
    score_floors: tuple[ScoreFloor, ...] = ()
    standards: tuple[StandardDuty, ...] = ()
    window: Window | None = None
    recommenders: tuple[str, ...] = ()
    recommenders_article: str = ""
    cma_article: str = ""  # test reports must carry the CMA qualification
    grades_article: str = ""  # test reports must cover every grade applied for
    conclusion_article: str = ""  # test reports must conclude 合格
    certificates_valid_article: str = ""  # certificates valid at the deadline
    team_name_article: str = ""  # 班组名称 naming rule
    member_limit: MemberLimit | None = None
    min_lengths: tuple[tuple[DocType, Cited], ...] = ()
    extra: dict[str, str] = field(default_factory=dict)


BRAND_2024_ARTICLE = "《全国有色金属产品质量品牌培育活动管理办法》"
_B = BRAND_2024_ARTICLE
_SYSTEMS_B = f"{_B}第五条（四）：已通过GB/T 19001、GB/T 24001、GB/T 45001三体系认证，并在有效期内"
_CAQ = "中国质协字〔2021〕35号"
_QC = "中色协科字〔2026〕24号"
_QC_DUE = f"{_QC}：附件 1~附件 8 于 2026 年 5 月 31 日前提交 WORD 版及加盖公章的 PDF 扫描版各一份"
_CQA = "市监质函〔2023〕105号"
_CQA_FORMS = f"{_CQA}三（一）：电子版材料包括 word 版和 PDF 版申报表各一份、证实性材料一份"

PROFILES: dict[str, Profile] = {
    p.name: p
    for p in (
        Profile(
            name="nonferrous-brand-2024",
            notice="中色协科字〔2024〕77号 全国有色金属产品质量品牌培育活动",
            deadline=date(2024, 8, 31),
            deadline_source="通知二、申报时间：申请企业于 2024 年 8 月 31 日前将申报书及相关证实性材料报送",
            required=(
                Required(DocType.APPLICATION_FORM, "申报书",
                         "通知一：填写《全国有色金属产品质量品牌培育活动申报书》（附件 2）"),
                Required(DocType.BUSINESS_LICENSE, "营业执照",
                         f"{_B}第五条（一）：企业具有符合国家法律法规规定的有效相关资质"),
                Required(DocType.QMS_CERTIFICATE, "质量管理体系认证证书", _SYSTEMS_B),
                Required(DocType.EMS_CERTIFICATE, "环境管理体系认证证书", _SYSTEMS_B),
                Required(DocType.OHSMS_CERTIFICATE, "职业健康安全管理体系认证证书", _SYSTEMS_B),
                Required(DocType.LAB_ACCREDITATION, "CNAS 实验室认可证书",
                         f"{_B}第六条（四）：申报企业应具有通过 CNAS 认可的实验室"),
                Required(DocType.TEST_REPORT, "检验检测报告",
                         f"{_B}第六条（五）：由通过 CMA 认证的第三方检验检测机构出具的产品检验合格报告"),
                Required(DocType.PATENT_CERTIFICATE, "专利证书", f"{_B}第六条（六）：拥有专利等自主知识产权"),
                Required(DocType.SATISFACTION_REPORT, "用户满意度测评报告",
                         f"{_B}第六条（七）：通过中国质量协会授权机构出具的用户满意度测评报告"),
            ),
            sealed=(SealDuty(DocType.APPLICATION_FORM, "applicant",
                             "通知二：申报书分别以纸质版及电子版形式报送；申报书落款为“申报单位（盖章）”"
                             "（附件 2 表样，通知正文未收录）"),),
            score_floors=(
                ScoreFloor("培育品牌", 75.0, f"{_B}第六条（七）：用户满意度测评报告分数达到75分以上"),
                ScoreFloor("优质品牌", 75.0, f"{_B}第六条（七）：用户满意度测评报告分数达到75分以上"),
                ScoreFloor("卓越品牌", 85.0, f"{_B}第七条（六）：用户满意度测评须达到85分"),
            ),
            standards=(
                StandardDuty(DocType.QMS_CERTIFICATE, "GB/T 19001-2016", _SYSTEMS_B),
                StandardDuty(DocType.EMS_CERTIFICATE, "GB/T 24001-2016", _SYSTEMS_B),
                StandardDuty(DocType.OHSMS_CERTIFICATE, "GB/T 45001-2020", _SYSTEMS_B),
            ),
            window=Window(None, date(2024, 8, 31), "通知二：于 2024 年 8 月 31 日前报送"),
            cma_article=f"{_B}第六条（五）：由通过CMA认证的第三方检验检测机构出具",
            grades_article=f"{_B}第六条（五）：检验合格报告上应涵盖所申报产品所有牌号",
            conclusion_article=f"{_B}第六条（五）：产品检验合格报告",
            certificates_valid_article=_SYSTEMS_B,
        ),
        Profile(
            name="caq-benchmark-2021",
            notice="中国质协字〔2021〕35号 全国质量标杆遴选",
            deadline=date(2021, 6, 25),
            deadline_source="通知一、1. 申报时间：2021年5月10日至6月25日",
            required=(
                Required(DocType.RECOMMENDATION_FORM, "推荐表（盖章扫描件）",
                         f"{_CAQ}通知一、3：加盖公章的推荐表及承诺书扫描件"),
                Required(DocType.COMMITMENT_LETTER, "承诺书（盖章扫描件）",
                         f"{_CAQ}通知一、3：加盖公章的推荐表及承诺书扫描件"),
                Required(DocType.SUMMARY_REPORT, "申报材料（典型经验）的 Word 版",
                         f"{_CAQ}通知一、3：申报材料及其他证明材料的word版",
                         also=(DocType.APPLICATION_FORM,), word=True),
            ),
            sealed=(
                SealDuty(DocType.RECOMMENDATION_FORM, "recommender", f"{_CAQ}通知一、3：加盖公章的推荐表"),
                SealDuty(DocType.COMMITMENT_LETTER, "applicant", f"{_CAQ}通知一、3：加盖公章的承诺书扫描件"),
            ),
            window=Window(date(2021, 5, 10), date(2021, 6, 25), "通知一、1. 申报时间：2021年5月10日至6月25日"),
            recommenders=CAQ_2021_RECOMMENDERS,
            recommenders_article=f"{_CAQ}通知一、4：申报单位需有推荐单位（名单见附件2）推荐",
        ),
        Profile(
            name="nonferrous-qc-2026",
            notice="中色协科字〔2026〕24号 QC 小组 / 质量信得过班组活动",
            deadline=date(2026, 5, 31),
            deadline_source=_QC_DUE,
            required=(
                Required(DocType.STATISTICS_FORM, "附件1 企业推荐项目汇总表", _QC_DUE),
                Required(DocType.APPLICATION_FORM, "附件5 质量信得过班组建设经验申报表", _QC_DUE),
                Required(DocType.SUMMARY_REPORT, "附件7 活动总结", _QC_DUE),
            ),
            sealed=(SealDuty(DocType.APPLICATION_FORM, "applicant", _QC_DUE + "（企业名称以公章为准）"),),
            window=Window(None, date(2026, 5, 31), _QC_DUE),
            team_name_article=(f"{_QC}附件5 填表说明3：班组名称不能以“**班组”为名，需以“**班”“**组”“**工段”"
                               "或“**室”等为名"),
            # 附件1 limits the QC 小组's member list; a 质量信得过班组 (附件5 班组人数) has no such limit
            member_limit=MemberLimit(10, f"{_QC}附件1：小组成员名单（限 10 人）", (DocType.STATISTICS_FORM,)),
            min_lengths=(
                (DocType.SUMMARY_REPORT, Cited(3000, f"{_QC}附件7：字数 3000 字以上")),
            ),
        ),
        Profile(
            name="china-quality-award-2023",
            notice="甘质强组办〔2023〕5号 转发 市监质函〔2023〕105号 第五届中国质量奖",
            deadline=date(2023, 5, 25),
            deadline_source=(
                "通知：申报材料及审核推荐意见务于 2023 年 5 月 25 日前报送至质量强省建设协调推进领导小组办公室"
            ),
            required=(
                Required(DocType.APPLICATION_FORM, "中国质量奖申报表", _CQA_FORMS),
                Required(DocType.BUSINESS_LICENSE, "营业执照（证实性材料）", _CQA_FORMS),
            ),
            sealed=(SealDuty(DocType.APPLICATION_FORM, "applicant",
                             _CQA_FORMS + "；申报表落款由申报组织盖章（附件 1 表样，通知正文未收录）"),),
            window=Window(None, date(2023, 5, 25),
                          "甘质强组办〔2023〕5号：务于 2023 年 5 月 25 日前报送，逾期不再受理"),
        ),
        Profile(
            name="generic",
            notice="通用（不针对具体通知：可读性、代码校验、跨文件一致性）",
            deadline=None,
            deadline_source="无：参考日期为当天",
        ),
    )
}


def get_profile(name: str) -> Profile:
    from extractor.errors import ConfigError

    try:
        return PROFILES[name]
    except KeyError:
        known = "、".join(PROFILES)
        raise ConfigError(f"未知的 profile：{name}（可用：{known}）") from None


def default_as_of(profile: Profile, today: date) -> date:
    """`--as-of` defaults to the profile's deadline, and for `generic` to today."""
    return profile.deadline or today
