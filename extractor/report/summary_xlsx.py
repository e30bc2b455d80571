"""`summary.xlsx`: one row per bundle of a batch, for the reviewer who works through an inbox."""

from pathlib import Path

from openpyxl import Workbook
from openpyxl.styles import Alignment, Font, PatternFill
from openpyxl.utils import get_column_letter

from extractor.judge.rules.evidence_documents import CERTIFICATES
from models import VERDICT_LABELS, BatchRow, DocType, Report, Severity

VERDICTS = {v.value: label for v, label in VERDICT_LABELS.items()}
STATUS = {"done": "已检查", "skipped": "已检查（沿用上次结果）", "failed": "检查失败"}
_FILLS = {
    "pass": PatternFill("solid", fgColor="C6EFCE"),
    "fail": PatternFill("solid", fgColor="FFC7CE"),
    "needs_review": PatternFill("solid", fgColor="FFEB9C"),
    "failed": PatternFill("solid", fgColor="D9D9D9"),
}
KEY_VALUES = [("applied_level", "申报类别", 10), ("satisfaction_score", "满意度得分", 9),
              ("earliest_expiry", "证书最早到期", 12), ("conclusion", "检验结论", 9), ("recommender", "推荐单位", 24)]
COLUMNS = [
    ("申报包", 42), ("申报单位", 32), ("统一社会信用代码", 22), ("结论", 12), ("错误", 6), ("警告", 6),
    ("提示", 6), ("问题", 40), *[(label, width) for _, label, width in KEY_VALUES], ("文件数", 7), ("无法读取", 8),
    ("页数", 6), ("来源邮件", 48), ("报告", 40), ("状态", 14), ("说明", 40), ("耗时（秒）", 9),
]


def key_values(report: Report) -> dict[str, str]:
    """The values a reviewer looks at first, from the documents that carry them."""
    found: dict[str, str] = {}

    def first(doc_types: tuple[DocType, ...], key: str) -> str | None:
        for doc in report.documents:
            value = doc.fields.get(key)
            if doc.doc_type in doc_types and value is not None and value.value is not None:
                return str(value.value)
        return None

    for key, doc_types in (("applied_level", (DocType.APPLICATION_FORM,)),
                           ("satisfaction_score", (DocType.SATISFACTION_REPORT,)),
                           ("conclusion", (DocType.TEST_REPORT,)),
                           ("recommender", (DocType.RECOMMENDATION_FORM, DocType.APPLICATION_FORM))):
        if (value := first(doc_types, key)) is not None:
            found[key] = value
    expiries = [str(d.fields["expiry_date"].value) for d in report.documents
                if d.doc_type in CERTIFICATES and "expiry_date" in d.fields]
    if expiries:
        found["earliest_expiry"] = min(expiries)
    return found


def finding_rules(report: Report) -> list[str]:
    return sorted({f.rule for f in report.findings if f.severity in (Severity.ERROR, Severity.WARNING)})


def summary_rows(rows: list[BatchRow]) -> list[list[object]]:
    table: list[list[object]] = []
    for row in rows:
        table.append([
            row.label, row.company_name, row.credit_code, VERDICTS.get(row.verdict or "", ""),
            row.counts.get("error", 0), row.counts.get("warning", 0), row.counts.get("info", 0),
            "、".join(row.rules), *[row.key_values.get(key, "") for key, _, _ in KEY_VALUES],
            row.documents, row.unreadable, row.pages,
            "；".join(str(m.get("subject", "")) for m in row.mails), row.report, STATUS[row.status],
            row.error, round(row.seconds, 1),
        ])
    return table


def write_summary(rows: list[BatchRow], target: Path) -> None:
    wb = Workbook()
    ws = wb.active
    assert ws is not None
    ws.title = "汇总"
    ws.append([name for name, _ in COLUMNS])
    for cell in ws[1]:
        cell.font = Font(bold=True)
        cell.alignment = Alignment(horizontal="center", vertical="center", wrap_text=True)
    for row, values in zip(rows, summary_rows(rows), strict=True):
        ws.append(values)
        for cell in ws[ws.max_row]:
            if isinstance(cell.value, str):
                cell.data_type = "s"  # text from mails and files is never a formula (=HYPERLINK(…))
        fill = _FILLS.get("failed" if row.status == "failed" else row.verdict or "")
        if fill is not None:
            ws.cell(row=ws.max_row, column=4).fill = fill
            status_column = [name for name, _ in COLUMNS].index("状态") + 1
            ws.cell(row=ws.max_row, column=status_column).fill = fill if row.status == "failed" else PatternFill()
    for index, (_name, width) in enumerate(COLUMNS, start=1):
        ws.column_dimensions[get_column_letter(index)].width = width
    ws.freeze_panes = "B2"
    ws.auto_filter.ref = f"A1:{get_column_letter(len(COLUMNS))}{ws.max_row}"
    target.parent.mkdir(parents=True, exist_ok=True)
    tmp = target.with_name(target.name + ".tmp")
    wb.save(tmp)
    tmp.replace(target)
