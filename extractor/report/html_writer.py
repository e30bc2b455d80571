"""The HTML report: one self-contained file a reviewer opens without the source files — the verdict,
the findings by severity with the evidence cut from the page (the value outlined), the documents,
and the fields of each document with their confidence. No script, no outside resource."""

from __future__ import annotations

from html import escape
from pathlib import Path

from extractor.report.evidence_crops import evidence_key
from models import (
    DOC_TYPE_LABELS,
    VERDICT_LABELS,
    DocumentReport,
    Evidence,
    FieldValue,
    Finding,
    Report,
    Severity,
    Verdict,
)

VERDICT_CSS = {Verdict.PASS: "pass", Verdict.FAIL: "fail", Verdict.NEEDS_REVIEW: "review"}
SEVERITIES = [(Severity.ERROR, "错误"), (Severity.WARNING, "警告"), (Severity.INFO, "提示")]
SOURCES = {"text_layer": "文字层", "ocr": "OCR", "mixed": "文字层+OCR", "docx": "Word", None: "—"}
FIELDS = {
    "company_name": "企业名称", "credit_code": "统一社会信用代码", "certificate_number": "证书编号", "standard": "标准",
    "issue_date": "发证/签发日期", "expiry_date": "有效期至", "certification_body": "认证机构", "scope": "认证范围",
    "report_number": "报告编号", "product_name": "产品名称", "grades": "牌号", "test_standard": "检验依据",
    "conclusion": "检验结论", "testing_agency": "检验检测机构", "cma": "CMA", "satisfaction_score": "满意度得分",
    "evaluation_agency": "测评机构", "applied_level": "申报类别", "team_name": "班组名称", "member_count": "成员人数",
    "signed_date": "落款日期", "legal_representative": "法定代表人", "recommender": "推荐单位",
}
SEAL_KINDS = {"official": "公章", "special_purpose": "专用章", "personal": "名章", "unknown": "未识别"}

STYLE = """
body{font-family:"Noto Sans CJK SC","Microsoft YaHei",sans-serif;margin:24px;color:#222;max-width:1100px}
h1{font-size:22px;margin:0 0 4px} h2{font-size:18px;border-bottom:2px solid #ddd;padding-bottom:4px;margin-top:28px}
.meta{color:#555;font-size:14px} .verdict{display:inline-block;padding:4px 14px;border-radius:4px;font-weight:bold}
.pass{background:#c6efce;color:#006100} .fail{background:#ffc7ce;color:#9c0006}
.review{background:#ffeb9c;color:#7a5b00}
.finding{border:1px solid #ddd;border-left:6px solid #999;border-radius:4px;padding:10px 14px;margin:12px 0}
.finding.error{border-left-color:#c00000} .finding.warning{border-left-color:#e0a000}
.finding.info{border-left-color:#5b9bd5}
.rule{font-family:monospace;color:#666;font-size:12px} .msg{font-size:15px;margin:4px 0 8px}
.kv{font-size:13px;color:#444} .kv b{color:#222}
figure{margin:8px 0} figure img{max-width:100%;border:1px solid #ccc} figcaption{font-size:12px;color:#555}
.quote{background:#f6f6f6;border-left:3px solid #bbb;padding:4px 8px;font-size:13px;margin:6px 0}
table{border-collapse:collapse;font-size:13px;width:100%;margin:8px 0}
th,td{border:1px solid #ddd;padding:4px 6px;text-align:left;vertical-align:top} th{background:#f3f3f3}
.low{color:#b00} .err{color:#b00} .seals img{max-height:160px}
"""


def _text(value: object) -> str:
    if value is None:
        return "—"
    if isinstance(value, bool):
        return "有" if value else "无"
    if isinstance(value, list):
        return "、".join(str(v) for v in value)
    return str(value)


def _evidence(ev: Evidence, crops: dict[str, str]) -> str:
    where = f"{ev.path}" + (f" 第 {ev.page} 页" if ev.page else "")
    uri = crops.get(evidence_key(ev.path, ev.page, ev.bbox))
    if uri:
        return (f'<figure><img class="evidence" src="{uri}" alt="{escape(ev.text)}">'
                f"<figcaption>{escape(where)}：{escape(ev.text)}</figcaption></figure>")
    return f'<div class="quote">{escape(where)}：{escape(ev.text or "（无文字）")}</div>'


def _finding(f: Finding, crops: dict[str, str]) -> str:
    parts = [f'<div class="finding {f.severity.value}">', f'<div class="rule">{escape(f.rule)}</div>',
             f'<div class="msg">{escape(f.message)}</div>']
    details = []
    if f.documents:
        details.append(f"<b>涉及文件</b>：{escape('；'.join(f.documents))}")
    if f.expected is not None:
        details.append(f"<b>应为</b>：{escape(_text(f.expected))}")
    if f.actual is not None:
        details.append(f"<b>实为</b>：{escape(_text(f.actual))}")
    if details:
        parts.append(f'<div class="kv">{" ｜ ".join(details)}</div>')
    parts.extend(_evidence(ev, crops) for ev in f.evidence)
    parts.append("</div>")
    return "".join(parts)


def _field_row(key: str, value: FieldValue) -> str:
    low = ' class="low"' if value.confidence < 0.5 else ""
    where = "；".join(f"{e.path}" + (f" 第{e.page}页" if e.page else "") + f"：{e.text}" for e in value.evidence[:2])
    return (f"<tr><td>{escape(FIELDS.get(key, key))}</td><td>{escape(_text(value.value))}</td>"
            f"<td{low}>{value.confidence:.2f}</td><td>{escape(where)}</td></tr>")


def _document(doc: DocumentReport, crops: dict[str, str]) -> str:
    parts = [f'<h3 id="{escape(doc.path)}">{escape(doc.path)}</h3>',
             f'<div class="meta">{escape(DOC_TYPE_LABELS[doc.doc_type])} ｜ '
             f"{escape(SOURCES.get(doc.text_source.value if doc.text_source else None, '—'))} ｜ "
             f"{doc.pages if doc.pages is not None else '—'} 页</div>"]
    if doc.errors:
        parts.append(f'<p class="err">无法读取：{escape("；".join(doc.errors))}</p>')
    if doc.internal_error:
        parts.append(f'<p class="err">未经检查（程序内部错误，非申报文件问题）：{escape(doc.internal_error)}</p>')
    if doc.fields:
        parts.append("<table><tr><th>字段</th><th>值</th><th>置信度</th><th>依据</th></tr>")
        parts.extend(_field_row(k, v) for k, v in doc.fields.items())
        parts.append("</table>")
    if doc.seals:
        parts.append('<div class="seals">')
        for seal in doc.seals:
            ev = Evidence(path=doc.path, page=seal.page, bbox=seal.bbox, text=seal.text or "")
            caption = (f"第 {seal.page} 页印章：{seal.text or '文字未识别'}"
                       f"（{SEAL_KINDS.get(seal.kind or '', '')}{'，' + seal.centre_text if seal.centre_text else ''}"
                       f"{'，位于：' + seal.anchor if seal.anchor else ''}）")
            uri = crops.get(evidence_key(ev.path, ev.page, ev.bbox))
            img = f'<img src="{uri}" alt="{escape(seal.text or "印章")}">' if uri else ""
            parts.append(f"<figure>{img}<figcaption>{escape(caption)}</figcaption></figure>")
        parts.append("</div>")
    return "".join(parts)


def render_html(report: Report, crops: dict[str, str]) -> str:
    label, css = VERDICT_LABELS[report.verdict], VERDICT_CSS[report.verdict]
    b = report.bundle
    head = (f"<h1>申报材料预审报告</h1><div class=\"meta\">申报包：{escape(b.source)} ｜ 通知：{escape(b.profile)}"
            f" ｜ 参考日期：{b.as_of.isoformat()}</div>"
            f"<p>申报单位：<b>{escape(b.applicant.company_name or '未能确定')}</b> ｜ 统一社会信用代码："
            f"<b>{escape(b.applicant.credit_code or '未能确定')}</b></p>"
            f'<p>结论：<span class="verdict {css}">{label}</span></p>')
    counts = {s: [f for f in report.findings if f.severity == s] for s, _ in SEVERITIES}
    summary = "，".join(f"{name} {len(counts[s])} 项" for s, name in SEVERITIES)
    body = [head, f"<h2>问题（{escape(summary)}）</h2>"]
    if not report.findings:
        body.append("<p>未发现问题。</p>")
    for severity, name in SEVERITIES:
        if counts[severity]:
            body.append(f"<h3>{name}</h3>")
            body.extend(_finding(f, crops) for f in counts[severity])
    body.append("<h2>文件清单</h2><table><tr><th>文件</th><th>类型</th><th>来源</th><th>页数</th><th>印章</th>"
                "<th>状态</th></tr>")
    for doc in report.documents:
        state = ("无法读取：" + "；".join(doc.errors) if doc.errors
                 else "未经检查：程序内部错误" if doc.internal_error else "已读取")
        body.append(f'<tr><td><a href="#{escape(doc.path)}">{escape(doc.path)}</a></td>'
                    f"<td>{escape(DOC_TYPE_LABELS[doc.doc_type])}</td>"
                    f"<td>{escape(SOURCES.get(doc.text_source.value if doc.text_source else None, '—'))}</td>"
                    f"<td>{doc.pages if doc.pages is not None else '—'}</td><td>{len(doc.seals)}</td>"
                    f"<td>{escape(state)}</td></tr>")
    body.append("</table><h2>各文件字段</h2>")
    body.extend(_document(d, crops) for d in report.documents)
    return ("<!DOCTYPE html><html lang=\"zh-CN\"><head><meta charset=\"utf-8\">"
            f"<title>预审报告 {escape(b.applicant.company_name or b.id)}</title><style>{STYLE}</style></head>"
            f"<body>{''.join(body)}</body></html>\n")


def write_html(report: Report, crops: dict[str, str], target: Path) -> None:
    target.parent.mkdir(parents=True, exist_ok=True)
    tmp = target.with_name(target.name + ".tmp")
    tmp.write_text(render_html(report, crops), encoding="utf-8")
    tmp.replace(target)
