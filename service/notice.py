"""The 补正通知: the letter to the applicant listing what to correct — each item with the document it
is about and the notice's article it rests on — as reviewers write it by hand today (Word)."""

from __future__ import annotations

import io
from datetime import date

from docx import Document
from docx.enum.text import WD_ALIGN_PARAGRAPH
from docx.oxml.ns import qn
from docx.shared import Pt

from extractor.judge.engine import rules_of
from extractor.judge.profiles import get_profile
from models import Finding
from service.review import Reviewed, to_fix

FONT = "宋体"


def _article(finding: Finding, articles: dict[str, list[str]]) -> str:
    """The article the finding rests on: as its message cites it, else the profile's for its rule."""
    cited = [a for a in articles.get(finding.rule, []) if a.split("：")[-1] in finding.message]
    chosen = cited or articles.get(finding.rule, [])
    return "；".join(chosen[:2]) if chosen else "形式审查要求"


def _font(document: Document) -> None:  # type: ignore[valid-type]
    style = document.styles["Normal"]  # type: ignore[attr-defined]
    style.font.name = FONT
    style.font.size = Pt(12)
    style.element.rPr.rFonts.set(qn("w:eastAsia"), FONT)


def notice_docx(review: Reviewed, bundle_name: str, campaign: str, reviewer: str, today: date) -> bytes:
    report = review.report
    profile = get_profile(report.bundle.profile)
    articles = {rule: list(cited) for rule, _, cited in rules_of(profile)}
    applicant = report.bundle.applicant.company_name or bundle_name
    document = Document()
    _font(document)
    title = document.add_heading("申报材料补正通知", level=1)
    title.alignment = WD_ALIGN_PARAGRAPH.CENTER
    document.add_paragraph(f"{applicant}：")
    items = to_fix(review)
    document.add_paragraph(
        f"贵单位报送的“{campaign}”申报材料（{bundle_name}）经形式审查，存在以下 {len(items)} 项需要补正的问题。"
        "请按下列要求补正后重新提交。")
    table = document.add_table(rows=1, cols=4)
    table.style = "Table Grid"
    for cell, text in zip(table.rows[0].cells, ("序号", "需补正的问题", "涉及材料", "依据"), strict=True):
        cell.text = text
    for n, finding in enumerate(items, 1):
        row = table.add_row().cells
        row[0].text = str(n)
        row[1].text = finding.message
        row[2].text = "、".join(finding.documents) or "（缺少的材料）"
        row[3].text = _article(finding, articles)
    if not items:
        document.add_paragraph("（经审查无需补正的问题。）")
    document.add_paragraph("")
    document.add_paragraph(f"审查人：{reviewer}")
    signed = document.add_paragraph(f"{today.year} 年 {today.month} 月 {today.day} 日")
    signed.alignment = WD_ALIGN_PARAGRAPH.RIGHT
    out = io.BytesIO()
    document.save(out)
    return out.getvalue()
