"""Profiles, one per notice in shared/seeds. Data only; the rules that use them come with them.

Each deadline cites the sentence of the notice it comes from.
"""

from dataclasses import dataclass
from datetime import date


@dataclass(frozen=True)
class Profile:
    name: str
    notice: str
    deadline: date | None
    deadline_source: str


PROFILES: dict[str, Profile] = {
    p.name: p
    for p in (
        Profile(
            name="nonferrous-brand-2024",
            notice="中色协科字〔2024〕77号 全国有色金属产品质量品牌培育活动",
            deadline=date(2024, 8, 31),
            deadline_source="通知二、申报时间：申请企业于 2024 年 8 月 31 日前将申报书及相关证实性材料报送",
        ),
        Profile(
            name="caq-benchmark-2021",
            notice="中国质协字〔2021〕35号 全国质量标杆遴选",
            deadline=date(2021, 6, 25),
            deadline_source="通知一、1. 申报时间：2021年5月10日至6月25日",
        ),
        Profile(
            name="nonferrous-qc-2026",
            notice="中色协科字〔2026〕24号 QC 小组 / 质量信得过班组活动",
            deadline=date(2026, 5, 31),
            deadline_source=(
                "通知：附件 1~附件 8 于 2026 年 5 月 31 日前提交 WORD 版及加盖公章的 PDF 扫描版各一份"
            ),
        ),
        Profile(
            name="china-quality-award-2023",
            notice="甘质强组办〔2023〕5号 转发 市监质函〔2023〕105号 第五届中国质量奖",
            deadline=date(2023, 5, 25),
            deadline_source=(
                "通知：申报材料及审核推荐意见务于 2023 年 5 月 25 日前报送至质量强省建设协调推进领导小组办公室"
            ),
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
