"""Runs every rule of the contract over a bundle's facts; lists the rules a profile applies."""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass

from extractor.judge.profiles import Profile
from extractor.judge.rules import completeness, evidence_documents, form_rules, identity, seal_rules
from extractor.judge.rules.facts import BundleFacts, merge_same
from models import Finding, ParsedDocument, Severity

Rule = Callable[[BundleFacts], list[Finding]]


@dataclass(frozen=True)
class RuleEntry:
    rule: str
    check: Rule
    what: str  # one line for `precheck profiles`


RULES: tuple[RuleEntry, ...] = (
    RuleEntry("missing_document", completeness.missing_document, "通知要求的材料齐全"),
    RuleEntry("field_unreadable", completeness.field_unreadable, "扫描件的关键信息可以识别"),
    RuleEntry("credit_code_invalid", identity.credit_code_invalid, "统一社会信用代码通过 GB 32100-2015 校验"),
    RuleEntry("credit_code_mismatch", identity.credit_code_mismatch, "各材料的统一社会信用代码与申报单位一致"),
    RuleEntry("company_name_mismatch", identity.company_name_mismatch, "各材料所载单位名称与申报单位一致"),
    RuleEntry("certificate_expired", evidence_documents.certificate_expired, "证书在参考日期仍有效"),
    RuleEntry("certificate_standard_mismatch", evidence_documents.certificate_standard_mismatch,
              "体系认证证书依据通知要求的标准"),
    RuleEntry("test_report_failed", evidence_documents.test_report_failed, "检验结论为合格"),
    RuleEntry("test_report_not_cma", evidence_documents.test_report_not_cma, "检验检测报告具备 CMA 资质"),
    RuleEntry("test_report_grades_incomplete", evidence_documents.test_report_grades_incomplete,
              "检验报告涵盖申报的全部牌号"),
    RuleEntry("satisfaction_below_threshold", evidence_documents.satisfaction_below_threshold,
              "满意度得分达到申报类别的要求"),
    RuleEntry("seal_missing", seal_rules.seal_missing, "应盖章的材料加盖了印章"),
    RuleEntry("seal_name_mismatch", seal_rules.seal_name_mismatch, "印章文字为应盖章单位的名称"),
    RuleEntry("recommender_not_listed", form_rules.recommender_not_listed, "推荐单位在通知所列名录之中"),
    RuleEntry("date_out_of_window", form_rules.date_out_of_window, "落款日期在申报时间之内"),
    RuleEntry("team_name_invalid", form_rules.team_name_invalid, "班组名称符合命名要求"),
    RuleEntry("member_limit_exceeded", form_rules.member_limit_exceeded, "成员人数不超过限额"),
    RuleEntry("text_too_short", form_rules.text_too_short, "总结材料达到要求的字数"),
)
ORDER = {Severity.ERROR: 0, Severity.WARNING: 1, Severity.INFO: 2}


def judge(facts: BundleFacts) -> list[Finding]:
    """Every finding of every rule, errors first, in the order of the contract's rule table."""
    found = [f for entry in RULES for f in merge_same(entry.check(facts))]
    return sorted(found, key=lambda f: ORDER[f.severity])


# Chinese characters and full-width punctuation count one each, a run of Latin letters or digits one.
_COUNTED = re.compile(r"[\u4e00-\u9fff\u3001-\u303f\uff01-\uff65\u2014\u2018\u2019\u201c\u201d\u2026]|[A-Za-z0-9]+")


def text_chars(document: ParsedDocument) -> int:
    """字数 as Word and WPS count it (字数统计): each Chinese character and full-width punctuation
    mark, each run of Latin letters or digits; headers and footers not counted."""
    return sum(
        len(_COUNTED.findall(line.text))
        for page in document.pages
        for line in page.lines
        if line.role not in ("header", "footer")
    ) + sum(len(_COUNTED.findall(cell.text)) for table in document.tables for cell in table.cells)


def rules_of(profile: Profile) -> list[tuple[str, str, list[str]]]:
    """(rule, what it checks, the articles it rests on in this profile), for `precheck profiles`."""
    cites: dict[str, list[str]] = {
        "missing_document": [f"{r.label}：{r.article}" for r in profile.required],
        "seal_missing": [s.article for s in profile.sealed],
        "seal_name_mismatch": [s.article for s in profile.sealed],
        "certificate_standard_mismatch": [f"{s.standard}：{s.article}" for s in profile.standards],
        "certificate_expired": [profile.certificates_valid_article or "参考日期（--as-of）"],
        "satisfaction_below_threshold": [f"{f.level} ≥ {f.minimum:g}：{f.article}" for f in profile.score_floors],
        "test_report_not_cma": [profile.cma_article],
        "test_report_grades_incomplete": [profile.grades_article],
        "test_report_failed": [profile.conclusion_article or "检验结论"],
        "recommender_not_listed": [profile.recommenders_article] if profile.recommenders else [],
        "date_out_of_window": [profile.window.article] if profile.window else [],
        "team_name_invalid": [profile.team_name_article],
        "member_limit_exceeded": [profile.member_limit.article] if profile.member_limit else [],
        "text_too_short": [f"{c.value} 字：{c.article}" for _, c in profile.min_lengths],
    }
    always = {"field_unreadable", "credit_code_invalid", "credit_code_mismatch", "company_name_mismatch",
              "test_report_failed", "certificate_expired"}
    listed = []
    for entry in RULES:
        articles = [a for a in cites.get(entry.rule, []) if a]
        if articles or entry.rule in always:
            listed.append((entry.rule, entry.what, articles))
    return listed
