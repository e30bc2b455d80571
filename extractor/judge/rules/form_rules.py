"""What the forms themselves must satisfy: the recommending unit on the notice's list, dates inside
the notice's window, the team naming rule and member limit of the 2026 QC notice, and summaries of
the length the notice asks for."""

from __future__ import annotations

import re

from rapidfuzz import fuzz
from rapidfuzz.distance import Levenshtein

from extractor.judge.rules.facts import BundleFacts, cn_date, evidence_of, field_of, finding
from extractor.understand.values import normalise_company
from models import DocType, Finding

LISTED = 92.0  # rapidfuzz ratio to a listed unit: equal but for an OCR slip
TEAM_FORM = re.compile(r"(班|组|工段|室|车间|站|队|科|部|线|所|中心)$")


def _same_unit(name: str, unit: str) -> bool:
    """Equal but for an OCR slip: one character on a name of eight or more (DOMAIN §7)."""
    return fuzz.ratio(name, unit) >= LISTED or (len(unit) >= 8 and Levenshtein.distance(name, unit) <= 1)


def recommender_not_listed(facts: BundleFacts) -> list[Finding]:
    allowed = [normalise_company(u) for u in facts.profile.recommenders]
    if not allowed:
        return []
    found = []
    for doc in facts.of_type(DocType.RECOMMENDATION_FORM):
        value = field_of(doc, "recommender", str)
        if value is None:
            continue
        name = normalise_company(value.value)
        if any(_same_unit(name, unit) for unit in allowed):
            continue
        found.append(finding(
            "recommender_not_listed",
            f"推荐单位“{value.value}”不在通知所列的 {len(allowed)} 家推荐单位之中"
            f"（{facts.profile.recommenders_article}）",
            [doc.path], "recommender", "附件2 推荐单位名录中的单位", value.value, evidence_of(value),
        ))
    return found


def date_out_of_window(facts: BundleFacts) -> list[Finding]:
    window = facts.profile.window
    if window is None:
        return []
    found = []
    for doc in facts.documents:
        value = field_of(doc, "signed_date", str)
        if value is None:
            continue
        day = value.value
        late = day > window.end.isoformat()
        early = window.start is not None and day < window.start.isoformat()
        if not (late or early):
            continue
        span = (f"{cn_date(window.start.isoformat())}至{cn_date(window.end.isoformat())}" if window.start
                else f"{cn_date(window.end.isoformat())}前")
        found.append(finding(
            "date_out_of_window",
            f"落款日期{cn_date(day)}不在申报时间{span}之内（{window.article}）",
            [doc.path], "signed_date", span, day, evidence_of(value),
        ))
    return found


def team_name_invalid(facts: BundleFacts) -> list[Finding]:
    basis = facts.profile.team_name_article
    if not basis:
        return []
    found = []
    for doc in facts.documents:
        value = field_of(doc, "team_name", str)
        if value is None:
            continue
        name = value.value.strip()
        if not name.endswith("班组") and TEAM_FORM.search(name):
            continue
        found.append(finding(
            "team_name_invalid",
            f"班组名称“{name}”不符合命名要求（{basis}）",
            [doc.path], "team_name", "以“班”“组”“工段”“室”等结尾，不以“班组”为名", name, evidence_of(value),
        ))
    return found


def member_limit_exceeded(facts: BundleFacts) -> list[Finding]:
    limit = facts.profile.member_limit
    if limit is None:
        return []
    found = []
    for doc in facts.of_type(*limit.doc_types):
        value = field_of(doc, "member_count", int)
        if value is None or value.value <= limit.value:
            continue
        found.append(finding(
            "member_limit_exceeded",
            f"列出 {value.value} 名成员，超过限额 {limit.value} 人（{limit.article}）",
            [doc.path], "member_count", limit.value, value.value, evidence_of(value),
        ))
    return found


def text_too_short(facts: BundleFacts) -> list[Finding]:
    found = []
    for doc_type, minimum in facts.profile.min_lengths:
        for doc in facts.of_type(doc_type):
            chars = facts.text_chars.get(doc.path)
            if chars is None or chars >= minimum.value:
                continue
            found.append(finding(
                "text_too_short",
                f"“{doc.path}”约 {chars} 字，少于要求的 {minimum.value} 字（{minimum.article}）",
                [doc.path], None, minimum.value, chars,
            ))
    return found
