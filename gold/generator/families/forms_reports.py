"""Independent layout families (see families/__init__.py) for the reports and the notices' forms.

Written from the notices' 附件 forms (shared/seeds), the dossier (shared/design/DOMAIN.md) and the
shapes such documents take when a testing centre, an evaluation body or an applicant's office makes
them: covers with the issuing body printed bare at the foot, labels above their values, a test
conclusion only in a closing sentence, a satisfaction index only inside a sentence or a summary
table, dates in Chinese numerals, first-person commitment letters, member lists in one cell or one
name a row. Each function takes the arguments of its `documents.py` namesake and plants the same
discrepancy through them; `fields` hold what the page says, in the contract's normal forms.
"""

import random
from collections.abc import Callable
from typing import Any

from gold.generator import facts
from gold.generator.dates import fmt, shift
from gold.generator.documents import LEVELS, _prose, word_count
from gold.generator.facts import Company
from gold.generator.spec import Block, DocSpec, SealSpec

# ------------------------------------------------------------------ small helpers


def _cn(iso: str) -> str:
    """二〇二四年六月十二日"""
    return fmt(iso, "cn_numeral")


def _cn_month(iso: str) -> str:
    """二〇二四年六月 (cover dates give the month only)."""
    full = fmt(iso, "cn_numeral")
    return full[: full.index("月") + 1]


def _spaced_date(iso: str) -> str:
    """A date typed into the form's `年 月 日` blanks."""
    y, m, d = iso.split("-")
    return f"{y} 年 {int(m)} 月 {int(d)} 日"


def _phone(rng: random.Random, area: str = "0379") -> str:
    return f"{area}-{rng.randint(6, 8)}{rng.randint(1000000, 9999999)}"


def _mobile(rng: random.Random) -> str:
    return f"1{rng.choice('3589')}{rng.randint(0, 9)}{rng.randint(10000000, 99999999)}"


def _postcode(rng: random.Random) -> str:
    return f"{rng.randint(10, 85)}{rng.randint(0, 9)}{rng.randint(0, 9)}00"


def _tick_line(level: str, style: int) -> str:
    """The 申报类别 boxes as people fill them in."""
    if style == 0:
        return " ".join(f"{'√' if lv == level else '□'}{lv}" for lv in LEVELS)
    if style == 1:
        return "　".join(f"{lv}（{'√' if lv == level else '　'}）" for lv in LEVELS)
    return "　　".join(f"{'☑' if lv == level else '☐'} {lv}" for lv in LEVELS)


def _merge_rest(row: int, first: int, last: int) -> tuple[int, int, int, int]:
    return (row, first, row, last)


LAB_INFO = {
    "国家有色金属质量检验检测中心": ("国色", "北京市丰台区南四环西路188号总部基地十八区", "010"),
    "有色金属技术经济研究院检测中心": ("有研检", "北京市西城区西直门内北顺城街11号", "010"),
    "北京有色金属研究总院测试分析中心": ("京色测", "北京市海淀区北三环中路43号", "010"),
    "广东省有色金属分析检测中心": ("粤色检", "广州市天河区长兴路363号", "020"),
}


def _lab(rng: random.Random) -> tuple[str, str, str, str, str]:
    lab, cma_no = rng.choice(facts.LABS)
    abbr, address, area = LAB_INFO.get(lab, ("检", "北京市海淀区学院路30号", "010"))
    return lab, cma_no, abbr, address, _phone(rng, area)


def _test_items(product: str, rng: random.Random) -> list[tuple[str, str, str, str, float]]:
    """(item, unit, requirement, method standard, a passing value) for the product's family."""
    if "铜" in product:
        return [
            ("Cu+Ag", "%", "≥99.90", "GB/T 5121.1-2008", round(rng.uniform(99.92, 99.98), 2)),
            ("抗拉强度 Rm", "MPa", "≥275", "GB/T 228.1-2021", float(rng.randint(285, 320))),
            ("断后伸长率 A11.3", "%", "≥5", "GB/T 228.1-2021", float(rng.randint(8, 16))),
            ("维氏硬度", "HV", "80～110", "GB/T 4340.1-2009", float(rng.randint(88, 104))),
        ]
    return [
        ("抗拉强度 Rm", "MPa", "≥160", "GB/T 228.1-2021", float(rng.randint(172, 240))),
        ("规定非比例延伸强度 Rp0.2", "MPa", "≥110", "GB/T 228.1-2021", float(rng.randint(120, 190))),
        ("断后伸长率 A", "%", "≥8", "GB/T 228.1-2021", float(rng.randint(9, 15))),
        ("韦氏硬度", "HW", "≥8", "YS/T 420-2000", float(rng.randint(9, 14))),
    ]


def _value_text(value: float) -> str:
    return f"{value:g}"


def _failing_value(need: str, rng: random.Random) -> str:
    """A measured value clearly under a `≥N` requirement."""
    limit = float(need.lstrip("≥").split("～")[0])
    return str(int(limit * rng.uniform(0.84, 0.94)))


# ------------------------------------------------------------------ test reports


def test_report_closing_paragraph(
    rng: random.Random, c: Company, filename: str, issue: str, product: str, grades: list[str], standard: str, *,
    conclusion: str = "合格", cma: bool = True, delivery: str = "scan",
) -> DocSpec:
    """Cover with the lab bare at the foot and the date in Chinese numerals, a 注意事项 page, a
    4-column 首页 without a conclusion row; grades only in the results table; the verdict only in
    the closing sentence under it."""
    lab, cma_no, abbr, address, phone = _lab(rng)
    year = issue[:4]
    number = f"（{year}）{abbr}字第{rng.randint(1, 2999):04d}号"
    sample_label = rng.choice(["产品名称", "样品名称"])
    cover: list[Block] = []
    if cma:
        cover.append(Block("p", f"CMA {cma_no}"))
    cover += [
        Block("p", f"编号：{number}"),
        Block("p", ""),
        Block("title", "检 验 检 测 报 告"),
        Block("p", ""),
        Block("p", f"{sample_label}：{product}"),
        Block("p", f"委托单位：{c.name}"),
        Block("p", "检验类别：委托检验"),
        *[Block("p", "") for _ in range(8)],
        Block("p", lab),
        Block("p", _cn(issue)),
        Block("pagebreak"),
        Block("title", "注 意 事 项"),
        Block("p", "1. 报告无“检验检测专用章”或检验单位公章无效。"),
        Block("p", "2. 复制报告未重新加盖“检验检测专用章”或检验单位公章无效。"),
        Block("p", "3. 报告无主检、审核、批准人签字无效。"),
        Block("p", "4. 报告涂改无效。"),
        Block("p", "5. 对检验报告若有异议，应于收到报告之日起十五日内向检验单位提出，逾期不予受理。"),
        Block("p", "6. 委托检验仅对来样负责。"),
        Block("p", f"地址：{address}"),
        Block("p", f"电话：{phone}　　传真：{phone[:-1]}{rng.randint(0, 9)}"),
        Block("p", f"邮政编码：{rng.choice(['100088', '100070', '100035', '510650'])}"),
        Block("pagebreak"),
    ]
    receive = shift(issue, -rng.randint(12, 25))
    tested_from, tested_to = shift(receive, 2), shift(receive, rng.randint(5, 9))
    first = [
        Block("p", f"报告编号：{number}　　　　　　　　第 1 页 共 2 页"),
        Block("table", rows=[
            [sample_label, product, "检验类别", "委托检验"],
            ["委托单位", c.name, "样品数量", f"{len(grades) * 3}件"],
            ["委托单位地址", c.address, "", ""],
            ["生产单位", c.name, "样品状态", "完好，无变形"],
            ["收样日期", fmt(receive, "cjk"), "检验日期", f"{fmt(tested_from, 'cjk')}—{fmt(tested_to, 'cjk')}"],
            ["检验依据", standard, "", ""],
            ["检验项目", "化学成分、室温拉伸性能、硬度", "", ""],
            ["主要仪器", "电子万能试验机（WDW-100）、维氏硬度计、电感耦合等离子体发射光谱仪", "", ""],
            ["备　　注", "/", "", ""],
        ], merges=[_merge_rest(r, 1, 3) for r in (2, 5, 6, 7, 8)]),
        Block("p", "批准：　　　　　　审核：　　　　　　主检："),
        Block("p", f"签发日期：{fmt(issue, 'cjk')}　　　　（检验检测专用章）"),
        Block("pagebreak"),
    ]
    rows = [["牌号", "检验项目", "单位", "标准要求", "实测值", "单项判定"]]
    merges: list[tuple[int, int, int, int]] = []
    failed_item = ""
    for gi, grade in enumerate(grades):
        items = _test_items(product, rng)
        start = len(rows)
        for ii, (item, unit, need, _method, value) in enumerate(items):
            verdict = "合格"
            shown = _value_text(value)
            if conclusion != "合格" and gi == 0 and ii == 1:
                verdict, shown, failed_item = "不合格", _failing_value(need, rng), item.split(" ")[0]
            rows.append([grade if ii == 0 else "", item, unit, need, shown, verdict])
        merges.append((start, 0, len(rows) - 1, 0))
    if conclusion == "合格":
        closing = rng.choice([
            f"经检验，所检项目符合 {standard} 的要求，检验结论：合格。",
            f"经检验，该批产品所检项目均符合 {standard} 标准要求，判定该批产品合格。",
        ])
    else:
        closing = rng.choice([
            f"经检验，{grades[0]}牌号样品{failed_item}不符合 {standard} 的要求，检验结论：不合格。",
            f"经检验，该批产品{failed_item}项目不符合 {standard} 标准要求，判定该批产品不合格。",
        ])
    results = [
        Block("p", f"报告编号：{number}　　　　　　　　第 2 页 共 2 页"),
        Block("p", "检验结果"),
        Block("table", rows=rows, merges=merges),
        Block("p", closing),
        Block("p", "（以下空白）"),
    ]
    fields = {"company_name": c.name, "report_number": number, "product_name": product, "grades": list(grades),
              "test_standard": [standard], "conclusion": conclusion, "testing_agency": lab, "cma": cma,
              "issue_date": issue}
    return DocSpec(filename, "test_report", cover + first + results, fields, delivery=delivery,
                   seal=SealSpec(lab, "检验检测专用章", page=3), family="report-closing-paragraph")


def test_report_label_above(
    rng: random.Random, c: Company, filename: str, issue: str, product: str, grades: list[str], standard: str, *,
    conclusion: str = "合格", cma: bool = True, delivery: str = "scan",
) -> DocSpec:
    """Bilingual cover whose one-column table puts each label in a cell and its value in the cell
    below; the CMA mark with its number on the line beneath; a 2-column 首页 (牌号 written
    `牌号：T2、TU1`, the verdict as 判定该批产品…); a results table with grade sub-headers and a
    method column."""
    lab, cma_no, _abbr, address, phone = _lab(rng)
    shape = rng.randrange(2)
    serial = rng.randint(1, 9999)
    number = f"WT{issue[:4]}-{serial:05d}" if shape == 0 else f"BG-{issue[:4]}-JC-{serial:04d}"
    shown_number = f"No. {number}" if shape == 0 else f"报告编号 {number}"
    cover: list[Block] = []
    if cma:
        cover += [Block("p", "CMA"), Block("p", cma_no)]
    sep = rng.choice(["、", "，", "；"])
    cover += [
        Block("p", shown_number),
        Block("title", "检 测 报 告"),
        Block("p", "TEST REPORT"),
        Block("table", rows=[
            ["委托单位 Client"], [c.name],
            ["样品名称 Sample"], [product],
            ["检测类别 Test type"], ["委托检测"],
        ]),
        *[Block("p", "") for _ in range(6)],
        Block("p", lab),
        Block("p", f"地址：{address}"),
        Block("p", f"电话：{phone}"),
        Block("pagebreak"),
    ]
    if conclusion == "合格":
        verdict_text = f"该样品所检项目符合 {standard} 要求，判定该批产品合格。"
    else:
        verdict_text = f"该样品抗拉强度不符合 {standard} 要求，判定该批产品不合格。"
    summary = [
        Block("p", f"{shown_number}　　　　　　　　共 2 页 第 1 页"),
        Block("table", rows=[
            ["样品名称", product],
            ["型号规格", f"牌号：{sep.join(grades)}"],
            ["委托方", c.name],
            ["委托方地址", c.address],
            ["生产方", c.name],
            ["送样日期", fmt(shift(issue, -rng.randint(10, 30)), "cjk")],
            ["检测依据", standard],
            ["检测结论", verdict_text],
            ["备注", "本报告仅对来样负责。"],
        ]),
        Block("p", "编制：　　　　　　审核：　　　　　　批准："),
        Block("p", f"签发日期：{fmt(issue, rng.choice(['dot', 'cjk_pad', 'iso']))}"),
        Block("p", "（检测专用章）"),
        Block("pagebreak"),
    ]
    rows = [["序号", "检测项目", "单位", "技术要求", "检测结果", "单项结论", "检测方法"]]
    merges: list[tuple[int, int, int, int]] = []
    n = 0
    for gi, grade in enumerate(grades):
        rows.append([f"牌号：{grade}", "", "", "", "", "", ""])
        merges.append((len(rows) - 1, 0, len(rows) - 1, 6))
        for item, unit, need, method, value in _test_items(product, rng):
            n += 1
            bad = conclusion != "合格" and gi == 0 and item.startswith("抗拉")
            shown = _failing_value(need, rng) if bad else _value_text(value)
            rows.append([str(n), item, unit, need, shown, "不符合" if bad else "符合", method])
    results = [
        Block("p", f"{shown_number}　　　　　　　　共 2 页 第 2 页"),
        Block("table", rows=rows, merges=merges),
        Block("p", "*** 报告结束 ***"),
    ]
    fields = {"company_name": c.name, "report_number": number, "product_name": product, "grades": list(grades),
              "test_standard": [standard], "conclusion": conclusion, "testing_agency": lab, "cma": cma,
              "issue_date": issue}
    return DocSpec(filename, "test_report", cover + summary + results, fields, delivery=delivery,
                   seal=SealSpec(lab, "检验检测专用章", page=2), family="report-label-above-value")


# ------------------------------------------------------------------ satisfaction reports


def _survey_numbers(rng: random.Random) -> tuple[int, int]:
    sent = rng.randint(300, 600)
    return sent, sent - rng.randint(20, 80)


def satisfaction_cover_sentence(
    rng: random.Random, c: Company, filename: str, issue: str, product: str, score: float, delivery: str = "pdf"
) -> DocSpec:
    """A booklet: the cover names the applicant and product as a title and prints the evaluating
    body and the month bare; the index only in a sentence of the results section; the body and
    the full date in Chinese numerals at the foot."""
    agency = rng.choice(facts.EVAL_AGENCIES)
    number = f"ZXYW-{issue[:4]}-{rng.randint(1, 499):03d}"
    sent, valid = _survey_numbers(rng)
    year = issue[:4]
    dims = [("品牌形象", score + rng.uniform(0.5, 2.5)), ("预期质量", score + rng.uniform(-1.0, 1.5)),
            ("感知质量", score + rng.uniform(-0.5, 2.0)), ("感知价值", score - rng.uniform(1.0, 4.0)),
            ("顾客忠诚", score - rng.uniform(0.5, 3.0))]
    sentence = rng.choice([
        f"本次测评{c.name}{product}用户满意度指数为{score:.1f}分。",
        f"经测算，{product}用户满意度指数（CSI）为{score:.1f}分，处于“比较满意”水平。",
        f"综合各项指标，本次测评得出{product}的用户满意度为 {score:.1f} 分。",
    ])
    blocks = [
        Block("p", f"报告编号：{number}"),
        Block("p", ""),
        Block("title", c.name),
        Block("title", f"{product}用户满意度测评报告"),
        Block("p", ""),
        Block("p", ""),
        Block("p", ""),
        Block("p", agency),
        Block("p", _cn_month(issue)),
        Block("pagebreak"),
        Block("p", "一、测评概况"),
        Block("p", f"受{c.name}委托，{agency}于{year}年3月至{year}年5月对其{product}开展了第三方用户满意度测评。"
                   "测评依据 GB/T 19038-2009《顾客满意测评模型和方法指南》，采用中国顾客满意指数模型，"
                   f"以电话访问和现场访问相结合的方式进行。共发放问卷{sent}份，回收有效问卷{valid}份。"),
        Block("p", "二、测评结果"),
        Block("p", sentence + f"各分项指标中，{max(dims, key=lambda d: d[1])[0]}得分最高，"
                              f"{min(dims, key=lambda d: d[1])[0]}得分相对较低。"),
        Block("table", rows=[["测评维度", "得分（分）"], *[[name, f"{val:.1f}"] for name, val in dims]]),
        Block("p", f"用户满意率为{rng.randint(90, 98)}.{rng.randint(0, 9)}%，推荐率为{rng.randint(80, 95)}%。"),
        Block("p", "三、改进建议"),
        Block("p", "建议企业进一步加强交货期管理和售后技术服务响应速度，持续提升产品表面质量的一致性。"),
        Block("p", ""),
        Block("p", agency),
        Block("p", _cn(issue)),
        Block("p", "（测评报告专用章）"),
    ]
    fields = {"company_name": c.name, "report_number": number, "product_name": product,
              "satisfaction_score": score, "evaluation_agency": agency, "issue_date": issue}
    return DocSpec(filename, "satisfaction_report", blocks, fields, delivery=delivery, seal=SealSpec(agency),
                   family="satisfaction-sentence-cover")


def satisfaction_summary_table(
    rng: random.Random, c: Company, filename: str, issue: str, product: str, score: float, delivery: str = "pdf"
) -> DocSpec:
    """A short report: an information table (委托单位 / 测评产品 / 报告编号 …), the score only as
    the last row of the index table (`总体满意度 | 88.3`), the body unlabelled at the foot."""
    agency = rng.choice(facts.EVAL_AGENCIES)
    number = f"{rng.choice(['CSI', 'MYD'])}{issue[:4]}{rng.randint(1, 999):04d}"
    sent, valid = _survey_numbers(rng)
    product_label = rng.choice(["测评产品", "产品名称", "测评对象"])
    shown = f"{score:.1f}" if rng.random() < 0.7 else f"{score:.2f}"
    rows = [["一级指标", "权重", "得分"],
            ["品牌形象", "0.10", f"{score + rng.uniform(0.3, 2.0):.1f}"],
            ["预期质量", "0.10", f"{score + rng.uniform(-1.0, 1.0):.1f}"],
            ["感知质量", "0.35", f"{score + rng.uniform(-0.5, 1.5):.1f}"],
            ["感知价值", "0.20", f"{score - rng.uniform(1.0, 3.0):.1f}"],
            ["顾客抱怨", "0.10", f"{rng.randint(2, 6)}.{rng.randint(0, 9)}%"],
            ["顾客忠诚", "0.15", f"{score - rng.uniform(0.2, 2.0):.1f}"],
            ["总体满意度", "—", shown]]
    blocks = [
        Block("title", "用户满意度测评报告"),
        Block("p", f"（{issue[:4]}年度）"),
        Block("table", rows=[
            ["委托单位", c.name],
            [product_label, product],
            ["报告编号", number],
            ["调查方式", "电话访问、网络问卷"],
            ["调查时间", f"{issue[:4]}年3月—{issue[:4]}年5月"],
            ["有效样本", f"{valid}份（发放{sent}份）"],
        ]),
        Block("p", ""),
        Block("p", "测评结果汇总"),
        Block("table", rows=rows),
        Block("p", "注：总体满意度按百分制计算，各指标得分经加权汇总。"),
        Block("p", "说明：本报告结果仅对本次调查样本负责，未经测评机构书面同意不得部分复制。"),
        Block("p", ""),
        Block("p", agency),
        Block("p", fmt(issue, rng.choice(["cjk", "cn_numeral"]))),
        Block("p", "（测评专用章）"),
    ]
    fields = {"company_name": c.name, "report_number": number, "product_name": product,
              "satisfaction_score": score, "evaluation_agency": agency, "issue_date": issue}
    return DocSpec(filename, "satisfaction_report", blocks, fields, delivery=delivery, seal=SealSpec(agency),
                   family="satisfaction-summary-table")


# ------------------------------------------------------------------ 2024 申报书


def application_booklet(
    rng: random.Random, c: Company, filename: str, product: str, grades: list[str], level: str, signed: str, *,
    name_on_form: str | None = None, code_on_form: str | None = None, delivery: str = "docx",
    seal_name: str | None = None, layout: int = 0,
) -> DocSpec:
    """The 申报书 as a booklet: a cover with each label on its own line and the value on the next,
    a 填表说明 page, then the tables (products with the labels above their values) and a
    declaration `本单位（XX）自愿申报…` signed with the date in Chinese numerals."""
    name = name_on_form or c.name
    code = code_on_form or c.code
    sep = rng.choice(["、", "，", " "])
    tick_style = rng.randrange(3)
    blocks = [
        Block("p", "附件 2"),
        Block("title", "全国有色金属产品质量品牌培育活动"),
        Block("title", "申　报　书"),
        Block("p", ""),
        Block("p", "申报企业（盖章）"),
        Block("p", name),
        Block("p", rng.choice(["申报产品名称", "申报产品"])),
        Block("p", product),
        Block("p", "申报日期"),
        Block("p", _cn(signed)),
        Block("p", ""),
        Block("p", "中国有色金属工业协会制"),
        Block("pagebreak"),
        Block("title", "填 表 说 明"),
        Block("p", "一、本申报书由申报企业如实填写，一式两份，并附电子版。"),
        Block("p", "二、申报类别在相应选项后的括号或方框内打“√”，每份申报书只填报一个类别。"),
        Block("p", "三、证实性材料（三体系认证证书、检验报告、用户满意度测评报告等）的复印件附后，并加盖企业公章。"),
        Block("p", "四、本表所填内容须真实、准确，如有不实，取消申报资格。"),
        Block("pagebreak"),
        Block("p", "一、企业基本情况"),
        Block("table", rows=[
            ["企业名称", name, "", ""],
            ["统一社会信用代码", code, "", ""],
            ["法定代表人", c.legal_rep, "联 系 人", facts.make_person(rng)],
            ["通讯地址", c.address, "邮政编码", _postcode(rng)],
            ["手　　机", _mobile(rng), "企业性质", "√民营"],
        ], merges=[_merge_rest(0, 1, 3), _merge_rest(1, 1, 3)]),
        Block("p", ""),
        Block("p", "二、申报产品情况"),
        Block("table", rows=[
            ["产品名称", "年产量（吨）", "近三年销售收入（万元）"],
            [product, str(rng.randint(8, 60) * 1000), f"{rng.randint(20, 90) * 1000}"],
            ["产品牌号", "", ""],
            [sep.join(grades), "", ""],
            ["申报类别", "", ""],
            [_tick_line(level, tick_style), "", ""],
        ], merges=[_merge_rest(r, 0, 2) for r in (2, 3, 4, 5)]),
        Block("p", ""),
        Block("p", "三、企业声明"),
        Block("p", f"本单位（{name}）自愿申报全国有色金属产品质量品牌培育活动，所填报内容及提供的证实性材料"
                   "真实、有效，并接受现场核查。"),
        Block("p", ""),
        Block("p", "法定代表人（签字）："),
        Block("sign", "申报单位（盖章）："),
        Block("p", _cn(signed)),
    ]
    fields = {"company_name": name, "credit_code": code, "legal_representative": c.legal_rep,
              "product_name": product, "grades": list(grades), "applied_level": level, "signed_date": signed}
    seal = SealSpec(seal_name or name) if delivery in ("scan", "photo") else None
    return DocSpec(filename, "application_form", blocks, fields, delivery=delivery, seal=seal,
                   family="form-booklet-next-line-labels")


def application_grid(
    rng: random.Random, c: Company, filename: str, product: str, grades: list[str], level: str, signed: str, *,
    name_on_form: str | None = None, code_on_form: str | None = None, delivery: str = "docx",
    seal_name: str | None = None, layout: int = 0,
) -> DocSpec:
    """One page: a 6-column grid (单位名称 / 信用代码 / 法人代表 side by side), the level ticked
    `√卓越品牌 □优质品牌`, the opinion, seal line and `年 月 日` filled in inside the last cell.
    layout=1: the grades in their own row table, one grade a cell."""
    name = name_on_form or c.name
    code = code_on_form or c.code
    rows = [
        ["单位名称", name, "", "", "", ""],
        ["信用代码", code, "", "", "法人代表", c.legal_rep],
        ["注册地址", c.address, "", "", "邮编", _postcode(rng)],
        ["联系人", facts.make_person(rng), "电话", _phone(rng), "邮箱", f"zl{rng.randint(100, 999)}@163.com"],
        ["申报产品", "", "", "", "", ""],
        [rng.choice(["名称", "产品名称"]), product, "", "", "", ""],
    ]
    merges = [_merge_rest(0, 1, 5), _merge_rest(1, 1, 3), _merge_rest(2, 1, 3), _merge_rest(4, 0, 5),
              _merge_rest(5, 1, 5)]
    if layout == 1:
        cells = list(grades) + [""] * (5 - len(grades))
        rows.append(["牌号", *cells[:5]])
    else:
        rows.append(["牌号", rng.choice(["、", "，", "；"]).join(grades), "", "", "", ""])
        merges.append(_merge_rest(6, 1, 5))
    rows.append(["申报类别", _tick_line(level, rng.choice([0, 0, 2])), "", "", "", ""])
    merges.append(_merge_rest(7, 1, 5))
    rows.append(["企业意见", "本企业自愿申报，对所填内容及附件材料的真实性负责。\n\n"
                            f"申报单位（盖章）\n{_spaced_date(signed)}", "", "", "", ""])
    merges.append(_merge_rest(8, 1, 5))
    blocks = [
        Block("title", "全国有色金属产品质量品牌培育活动申报书"),
        Block("p", "申报产品基本信息表"),
        Block("table", rows=rows, merges=merges),
        Block("p", "注：申报类别请在对应□内打√。"),
    ]
    fields = {"company_name": name, "credit_code": code, "legal_representative": c.legal_rep,
              "product_name": product, "grades": list(grades), "applied_level": level, "signed_date": signed}
    seal = SealSpec(seal_name or name) if delivery in ("scan", "photo") else None
    return DocSpec(filename, "application_form", blocks, fields, delivery=delivery, seal=seal,
                   family="form-6col-grid-ticks")


# ------------------------------------------------------------------ 2021 推荐表


EXPERIENCES = ["以数字化质量管控提升铜板带材一致性的实践", "基于精益六西格玛的铝型材表面缺陷治理经验",
               "构建全流程质量追溯体系的探索与实践", "“工匠班组+QC小组”双轮驱动质量提升经验"]


def recommendation_sentence(
    rng: random.Random, c: Company, filename: str, recommender: str, signed: str, *, delivery: str = "scan",
    sealed: bool = True, seal_name: str | None = None,
) -> DocSpec:
    """A 4-column table whose 推荐单位意见 label has its own row and the opinion the row below;
    the recommender only inside that opinion (`XX厅推荐XX公司…`), the date in Chinese numerals."""
    experience = rng.choice(EXPERIENCES)
    opinion = rng.choice([
        f"{recommender}推荐{c.name}申报2021年全国质量标杆。经审核，该单位申报材料真实，典型经验具有示范推广价值，同意推荐。",
        f"经{recommender}审核，{c.name}符合全国质量标杆申报条件，申报材料真实有效，现予推荐。",
    ])
    blocks = [
        Block("title", "2021年全国质量标杆推荐表"),
        Block("p", f"申报编号：ZLBG2021-{rng.randint(100, 999)}"),
        Block("table", rows=[
            ["申报单位名称", c.name, "", ""],
            ["统一社会信用代码", c.code, "", ""],
            ["所属行业", rng.choice(["有色金属冶炼和压延加工业", "金属制品业"]), "单位性质", "民营企业"],
            ["典型经验名称", experience, "", ""],
            ["联系人", facts.make_person(rng), "手机", _mobile(rng)],
            ["推荐单位意见", "", "", ""],
            [f"{opinion}\n\n\n推荐单位（盖章）\n{_cn(signed)}", "", "", ""],
        ], merges=[_merge_rest(0, 1, 3), _merge_rest(1, 1, 3), _merge_rest(3, 1, 3), _merge_rest(5, 0, 3),
                   _merge_rest(6, 0, 3)]),
        Block("p", "注：本表一式两份，加盖推荐单位公章后扫描上传。"),
    ]
    fields = {"company_name": c.name, "credit_code": c.code, "recommender": recommender, "signed_date": signed}
    return DocSpec(filename, "recommendation_form", blocks, fields, delivery=delivery,
                   seal=SealSpec(seal_name or recommender) if sealed else None, family="recommend-opinion-sentence")


def recommendation_label_above(
    rng: random.Random, c: Company, filename: str, recommender: str, signed: str, *, delivery: str = "scan",
    sealed: bool = True, seal_name: str | None = None,
) -> DocSpec:
    """Labels in one table row and their values in the row below (申报单位全称 | 统一社会信用代码,
    推荐单位 | 联系人); the seal line and a `年 月 日` date filled in under the table."""
    blocks = [
        Block("p", "附件"),
        Block("title", "全国质量标杆推荐表"),
        Block("table", rows=[
            ["申报单位全称（与公章一致）", "统一社会信用代码"],
            [c.name, c.code],
            ["推荐单位", "推荐单位联系人及电话"],
            [recommender, f"{facts.make_person(rng)}　{_phone(rng, rng.choice(['010', '0931', '0371', '025']))}"],
            ["典型经验名称", ""],
            [rng.choice(EXPERIENCES), ""],
            ["推荐理由", ""],
            ["该单位质量管理基础扎实，近三年连续盈利，无质量、安全、环保不良记录，所申报经验成熟有效，同意推荐。", ""],
        ], merges=[_merge_rest(4, 0, 1), _merge_rest(5, 0, 1), _merge_rest(6, 0, 1), _merge_rest(7, 0, 1)]),
        Block("p", ""),
        Block("sign", "推荐单位（盖章）"),
        Block("p", _spaced_date(signed)),
    ]
    fields = {"company_name": c.name, "credit_code": c.code, "recommender": recommender, "signed_date": signed}
    return DocSpec(filename, "recommendation_form", blocks, fields, delivery=delivery,
                   seal=SealSpec(seal_name or recommender) if sealed else None, family="recommend-label-above-value")


# ------------------------------------------------------------------ 承诺书


def commitment_first_person(
    rng: random.Random, c: Company, filename: str, signed: str, *, delivery: str = "scan", sealed: bool = True,
    seal_name: str | None = None, centre: str = "",
) -> DocSpec:
    """A letter to 中国质量协会: `我单位XX郑重承诺：` with numbered clauses; the seal line left
    blank for the stamp, the date in Chinese numerals."""
    blocks = [
        Block("title", "承　诺　书"),
        Block("p", "中国质量协会："),
        Block("p", f"我单位{c.name}自愿参加2021年全国质量标杆遴选活动，现郑重承诺："),
        Block("p", "一、具有独立法人资格，近三年连续保持盈利；"),
        Block("p", "二、在诚信、质量、安全、环保等方面无违法行为和不良记录；"),
        Block("p", "三、所提交的全部申报材料真实、准确、完整，不涉及国家秘密和商业秘密；"),
        Block("p", "四、如获评质量标杆，积极参加中国质量协会组织的经验交流活动。"),
        Block("p", "如有违反，我单位愿承担由此产生的一切责任。"),
        Block("p", "特此承诺。"),
        Block("p", ""),
        Block("p", "法定代表人（签字）："),
        Block("sign", "承诺单位（盖章）："),
        Block("p", _cn(signed)),
    ]
    return DocSpec(filename, "commitment_letter", blocks, {"company_name": c.name, "signed_date": signed},
                   delivery=delivery, seal=SealSpec(seal_name or c.name, centre) if sealed else None,
                   family="commitment-first-person")


def commitment_table_foot(
    rng: random.Random, c: Company, filename: str, signed: str, *, delivery: str = "scan", sealed: bool = True,
    seal_name: str | None = None, centre: str = "",
) -> DocSpec:
    """`本单位（XX）自愿申报…` then a small signature table at the foot: 承诺单位 | name,
    法定代表人（签字）| blank, 日期 | the date."""
    date_text = fmt(signed, rng.choice(["cjk", "cjk_spaced", "dot"]))
    blocks = [
        Block("title", "全国质量标杆申报承诺书"),
        Block("p", f"本单位（{c.name}）自愿申报2021年全国质量标杆，并就以下事项郑重承诺："),
        Block("p", "1. 严格遵守《全国质量标杆遴选管理办法》的各项规定；"),
        Block("p", "2. 申报材料中的数据、事实均真实可靠，引用的资料均已注明出处；"),
        Block("p", "3. 近三年未发生重大质量、安全、环保责任事故，无违法违规记录；"),
        Block("p", "4. 如有弄虚作假，自愿接受撤销称号并公告的处理。"),
        Block("p", ""),
        Block("table", rows=[
            ["承诺单位（盖章）", c.name],
            ["法定代表人（签字）", ""],
            ["日　　期", date_text],
        ]),
    ]
    return DocSpec(filename, "commitment_letter", blocks, {"company_name": c.name, "signed_date": signed},
                   delivery=delivery, seal=SealSpec(seal_name or c.name, centre) if sealed else None,
                   family="commitment-sign-table")


# ------------------------------------------------------------------ summaries

_OWN_SENTENCES = [
    "公司始终坚持“质量第一、用户至上”的方针，把质量管理小组和班组建设作为夯实基础管理的重要抓手。",
    "年初，公司质量管理部下发年度活动计划，明确各分厂、车间的推进目标和责任人，并纳入月度绩效考核。",
    "各班组围绕产品一次合格率、表面质量缺陷、设备故障停机时间等关键指标开展攻关，形成了一批可复制的做法。",
    "通过开展标准化作业和岗位练兵，班组成员的操作技能明显提高，质量意识不断增强。",
    "公司组织内部成果发表会两次，共有二十余个小组参加发表，评出优秀成果六项并给予奖励。",
    "在推进过程中，我们坚持“小、实、活、新”的原则，鼓励一线员工从身边的小问题入手开展改进。",
    "针对轧制工序板形不良的问题，班组运用鱼骨图和排列图分析主要原因，制定对策后缺陷率由百分之一点八降至百分之零点六。",
    "公司建立了班组长培训制度，每季度组织一次集中培训，内容涵盖质量管理工具、现场管理和安全知识。",
    "同时，我们注重把活动成果转化为作业指导书和工艺标准，使改进效果得到巩固。",
    "活动开展以来，累计创造可计算经济效益数百万元，有效降低了质量损失成本。",
    "存在的问题主要是部分小组选题偏大、数据收集不够规范，个别班组活动记录不完整。",
    "下一步，公司将进一步完善激励机制，加强对新成立小组的辅导，推动活动向纵深发展。",
]


def _body_paragraphs(rng: random.Random, chars: int, headings: list[str]) -> list[Block]:
    """Own sentences under the headings, topped up from the notices' prose, about `chars` 字."""
    per = max(1, chars // len(headings))
    blocks: list[Block] = []
    total = 0
    for hi, heading in enumerate(headings):
        blocks.append(Block("p", heading))
        target = per if hi < len(headings) - 1 else chars - total
        text = ""
        while word_count(text) < target * 0.35:
            text += rng.choice(_OWN_SENTENCES)
        pool = [x.strip() + "。" for x in _prose(rng, max(0, target - word_count(text)) + 400).split("。")
                if 0 < len(x) < 160 and "[" not in x and "<" not in x and "|" not in x]
        pool = pool or list(_OWN_SENTENCES)
        while word_count(text) < target:  # whole sentences, none of the notices' long table runs
            text += rng.choice(pool)
        para = ""
        for sentence in text.split("。"):
            if not sentence:
                continue
            para += sentence + "。"
            if len(para) > 220:
                blocks.append(Block("p", para))
                para = ""
        if para:
            blocks.append(Block("p", para))
        total += word_count(text)
    return blocks


def summary_sections(rng: random.Random, c: Company, filename: str, title: str, chars: int,
                     delivery: str = "docx") -> DocSpec:
    """Title, the company in the opening sentence (`XX（以下简称“公司”）…`), numbered sections,
    the company and a date at the end."""
    opening = f"{c.name}（以下简称“公司”）位于{c.city}市，是一家以有色金属加工为主业的企业。"
    body = _body_paragraphs(rng, max(0, chars - word_count(opening)),
                            ["一、基本情况", "二、推进经验和做法", "三、存在问题及改进方向"])
    blocks = [Block("title", title), Block("p", opening), *body, Block("p", ""), Block("p", c.name)]
    return DocSpec(filename, "summary_report", blocks, {"company_name": c.name}, delivery=delivery,
                   family="summary-opening-sentence")


def summary_cover(rng: random.Random, c: Company, filename: str, title: str, chars: int,
                  delivery: str = "docx") -> DocSpec:
    """A cover page (title, `申报单位` on a line and the name on the next), then the text under
    （一）（二）… headings."""
    body = _body_paragraphs(rng, chars, ["（一）年度活动开展情况", "（二）主要做法和特色", "（三）取得的成效",
                                         "（四）下一步工作打算"])
    blocks = [
        Block("p", ""),
        Block("title", title),
        Block("p", ""),
        Block("p", "申报单位"),
        Block("p", c.name),
        Block("pagebreak"),
        *body,
    ]
    return DocSpec(filename, "summary_report", blocks, {"company_name": c.name}, delivery=delivery,
                   family="summary-cover-next-line")


# ------------------------------------------------------------------ 2026 附件5 班组申报表


def team_application_full_grid(
    rng: random.Random, c: Company, filename: str, team: str, members: int, recommender: str, *,
    delivery: str = "docx", code: str | None = None, seal_name: str | None = None,
) -> DocSpec:
    """The notice's form as printed: a 6-column grid with every row of 附件5 (班组人数 a cell
    among the 座机 / 班组长姓名 cells), the three notes under it; one page."""
    credit = code or c.code
    leader = facts.make_person(rng)
    rows = [
        ["企业名称（以公章为准）", c.name, "", "", "", ""],
        ["班组名称", team, "", "", "", ""],
        ["经验名称", rng.choice(["推行标准化作业提升一次合格率", "“三检制”筑牢产品质量防线", "精益改善降低质量损失"]),
         "", "", "", ""],
        ["统一社会信用代码", credit, "", "", "组织类型", "企业"],
        ["所属央企集团全称", "（非央企无需填写）", "", "", "组织规模", rng.choice(["大型", "中型"])],
        ["详细通讯地址", c.address, "", "", "邮编", _postcode(rng)],
        ["主管部门", "质量管理部", "直接联系人", facts.make_person(rng), "手机", _mobile(rng)],
        ["座机", _phone(rng), "班组长姓名", leader, "班组人数", str(members)],
        ["班组工作完成率（%）", "100", "质量考核合格率（%）", str(rng.randint(96, 100)), "产品/服务不合格率（%）",
         f"0.{rng.randint(10, 90)}"],
        ["年质量、安全、环保事故数", "0", "年顾客投诉数", str(rng.randint(0, 2)), "产品/服务一次合格率（%）",
         f"{rng.randint(97, 99)}.{rng.randint(0, 9)}"],
        ["年培训人数/时数", f"{members}/{members * rng.randint(8, 16)}", "成员参与改进活动率（%）", "100",
         "质量成本（万元/年）", f"{rng.randint(10, 90)}.{rng.randint(0, 9)}"],
    ]
    merges = [_merge_rest(0, 1, 5), _merge_rest(1, 1, 5), _merge_rest(2, 1, 5), _merge_rest(3, 1, 3),
              _merge_rest(4, 1, 3), _merge_rest(5, 1, 3)]
    blocks = [
        Block("p", "附件5"),
        Block("title", "2026 年度有色金属行业质量信得过班组建设经验申报表"),
        Block("p", f"推荐单位：{recommender}"),
        Block("table", rows=rows, merges=merges),
        Block("p", "注：1. 申报材料除提交班组活动经验申报表，还需提交班组建设水平材料、班组各项活动原始记录，电子版一份。"),
        Block("p", "2. 企业名称填写全称并以公章为准，不要挂上级部门。"),
        Block("p", "3. 班组名称应填写全称，并对“班”和“组”加以区分。"),
        Block("sign", "申报单位（盖章）："),
    ]
    fields = {"company_name": c.name, "credit_code": credit, "team_name": team, "member_count": members,
              "recommender": recommender}
    seal = SealSpec(seal_name or c.name) if delivery in ("scan", "photo") else None
    return DocSpec(filename, "application_form", blocks, fields, delivery=delivery, seal=seal,
                   family="team-form-6col-notice-grid")


def team_application_label_above(
    rng: random.Random, c: Company, filename: str, team: str, members: int, recommender: str, *,
    delivery: str = "docx", code: str | None = None, seal_name: str | None = None,
) -> DocSpec:
    """Retyped by the unit: labels in one row and values in the row below, the team size as
    `8人`, the members' names in one cell separated by 、; the recommender on a line under the
    title; one page."""
    credit = code or c.code
    names = [facts.make_person(rng) for _ in range(members)]
    blocks = [
        Block("title", "质量信得过班组建设经验申报表"),
        Block("p", "（2026 年度）"),
        Block("p", "推荐单位"),
        Block("p", recommender),
        Block("table", rows=[
            ["企业名称（以公章为准）", "", "组织类型"],
            [c.name, "", "企业"],
            ["统一社会信用代码", "", "组织规模"],
            [credit, "", rng.choice(["大型", "中型"])],
            ["班组名称", "班组长", "班组人数"],
            [team, names[0], f"{members}人"],
            ["班组成员", "", ""],
            ["、".join(names), "", ""],
            ["经验名称", "", ""],
            [rng.choice(["以“零缺陷”为目标的班组自主管理实践", "岗位标准化与质量互检机制建设"]), "", ""],
            ["主要指标", "", ""],
            [f"班组工作完成率100%，质量考核合格率{rng.randint(96, 100)}%，年质量、安全、环保事故0起。", "", ""],
        ], merges=[*[_merge_rest(r, 0, 1) for r in (0, 1, 2, 3)], *[_merge_rest(r, 0, 2) for r in range(6, 12)]]),
        Block("p", ""),
        Block("sign", "企业（盖章）"),
    ]
    fields = {"company_name": c.name, "credit_code": credit, "team_name": team, "member_count": members,
              "recommender": recommender}
    seal = SealSpec(seal_name or c.name) if delivery in ("scan", "photo") else None
    return DocSpec(filename, "application_form", blocks, fields, delivery=delivery, seal=seal,
                   family="team-form-label-above-value")


# ------------------------------------------------------------------ 2026 附件1 汇总表


def team_roster_full_form(rng: random.Random, c: Company, filename: str, team: str, members: int) -> DocSpec:
    """The whole 附件1: contact rows, the QC-group section (the team with its members' names in one
    cell, blank numbered rows after it), the 信得过班组 section with 班组人数 and the total, and one
    质量管理先进个人 row."""
    names = "、".join(facts.make_person(rng) for _ in range(members))
    full = f"{c.name}{team}"
    rows = [
        ["企业名称", c.name, "", ""],
        ["联系部门", "质量管理部", "联系人", facts.make_person(rng)],
        ["通信地址", c.address, "邮编", _postcode(rng)],
        ["电话/传真", _phone(rng), "电子邮箱", f"qc{rng.randint(10, 99)}@163.com"],
        ["推荐项目内容：", "", "", ""],
        ["序号", "质量管理小组全称（具体申报企业名称加上小组名称）", "小组成员名单（限 10 人）", ""],
        ["1", full, names, ""],
        ["2", "", "", ""],
        ["3", "", "", ""],
        ["序号", "质量信得过班组全称（具体申报企业名称加上班组名称）", "班组人数", ""],
        ["1", full, str(members), ""],
        ["2", "", "", ""],
        ["合计班组总人数", "", str(members), ""],
        ["序号", "质量管理先进个人", "企业名称", "部门/职务"],
        ["1", facts.make_person(rng), c.name, "质量管理部/副部长"],
    ]
    merges = [_merge_rest(0, 1, 3), _merge_rest(4, 0, 3)]
    merges += [_merge_rest(r, 2, 3) for r in (5, 6, 7, 8, 9, 10, 11, 12)]
    merges.append(_merge_rest(12, 0, 1))
    blocks = [
        Block("p", "附件 1"),
        Block("title", "2026 年度企业推荐项目汇总表"),
        Block("table", rows=rows, merges=merges),
    ]
    return DocSpec(filename, "statistics_form", blocks,
                   {"company_name": c.name, "team_name": team, "member_count": members},
                   family="roster-full-annex-form")


def team_roster_one_per_row(rng: random.Random, c: Company, filename: str, team: str, members: int) -> DocSpec:
    """填报单位 in a line above the table; the group's full name in a cell merged down over its
    members, one name a row with sex and post; a count line under the table."""
    posts = ["班长", "副班长", "操作工", "质检员", "工艺员", "设备员", "主操", "副操"]
    rows = [["序号", "小组/班组全称", "成员姓名", "性别", "岗位"]]
    for i in range(members):
        rows.append([str(i + 1), f"{c.name}{team}" if i == 0 else "", facts.make_person(rng),
                     rng.choice(["男", "男", "女"]), posts[0] if i == 0 else rng.choice(posts[2:])])
    blocks = [
        Block("title", "2026 年度企业推荐项目汇总表"),
        Block("p", f"填报单位：{c.name}"),
        Block("p", "一、质量管理小组（成员限 10 人）"),
        Block("table", rows=rows, merges=[(1, 1, members, 1)]),
        Block("p", f"小组成员合计：{members}人"),
        Block("p", f"联系人：{facts.make_person(rng)}　　电话：{_mobile(rng)}"),
    ]
    return DocSpec(filename, "statistics_form", blocks,
                   {"company_name": c.name, "team_name": team, "member_count": members},
                   family="roster-one-name-per-row")


# ------------------------------------------------------------------ 2023 中国质量奖申报表


def award_booklet(
    rng: random.Random, c: Company, filename: str, recommender: str, signed: str, *, delivery: str = "docx",
    name_on_form: str | None = None, code_on_form: str | None = None,
) -> DocSpec:
    """The 申报表 as the notice's annex prints it: a cover (label line, value on the next), a
    基本信息 table in 4 columns, the organisation's declaration `我组织（XX）郑重承诺` signed and
    dated in Chinese numerals on the last page."""
    name = name_on_form or c.name
    code = code_on_form or c.code
    blocks = [
        Block("p", "附件 1"),
        Block("title", "中国质量奖申报表"),
        Block("p", "（制造业、服务业、工程建设行业组织）"),
        Block("p", ""),
        Block("p", "申报组织名称"),
        Block("p", name),
        Block("p", "推荐单位"),
        Block("p", recommender),
        Block("p", "填报日期"),
        Block("p", _cn(signed)),
        Block("p", ""),
        Block("p", "国家市场监督管理总局制"),
        Block("pagebreak"),
        Block("p", "一、组织基本信息"),
        Block("table", rows=[
            ["组织名称", name, "", ""],
            ["统一社会信用代码", code, "", ""],
            ["法定代表人", c.legal_rep, "成立时间", fmt(c.founded, rng.choice(["cjk", "dot"]))],
            ["职工人数", str(rng.randint(300, 5000)), "组织性质", "□国有　√民营　□外资"],
            ["注册地址", c.address, "", ""],
            ["所属行业", "有色金属冶炼和压延加工业", "", ""],
            ["联系人", facts.make_person(rng), "联系电话", _mobile(rng)],
            ["近5年是否发生重大质量、安全、环保等事故", "□是　√否", "", ""],
            ["近3年营业收入（亿元）", f"{rng.randint(5, 60)}.{rng.randint(0, 9)}", "近3年利税（亿元）",
             f"{rng.randint(1, 9)}.{rng.randint(0, 9)}"],
        ], merges=[_merge_rest(r, 1, 3) for r in (0, 1, 4, 5, 7)]),
        Block("pagebreak"),
        Block("p", "二、申报组织承诺"),
        Block("p", f"我组织（{name}）郑重承诺：申报表所填内容及所附证实性材料真实、准确、完整；"
                   "近5年内无重大质量、安全、环保等事故，无相关违法、违规、违纪行为。如有不实，愿承担一切责任。"),
        Block("p", ""),
        Block("p", "法定代表人（签字）："),
        Block("sign", "申报组织（盖章）"),
        Block("p", _cn(signed)),
    ]
    fields = {"company_name": name, "credit_code": code, "legal_representative": c.legal_rep,
              "recommender": recommender, "signed_date": signed}
    return DocSpec(filename, "application_form", blocks, fields, delivery=delivery,
                   seal=SealSpec(name) if delivery in ("scan", "photo") else None, family="award-booklet-cover")


def award_single_grid(
    rng: random.Random, c: Company, filename: str, recommender: str, signed: str, *, delivery: str = "docx",
    name_on_form: str | None = None, code_on_form: str | None = None,
) -> DocSpec:
    """Everything in one 6-column table: 名称 / 代码 / 法人 side by side, 推荐单位 as a row, the
    declaration with seal line and a filled `年 月 日` in the last cell."""
    name = name_on_form or c.name
    code = code_on_form or c.code
    rows = [
        ["申报组织全称", name, "", "", "", ""],
        ["统一社会信用代码", code, "", "", "法定代表人", c.legal_rep],
        ["成立日期", fmt(c.founded, "cjk"), "注册资本（万元）", str(rng.randint(1, 90) * 1000), "员工总数",
         str(rng.randint(300, 5000))],
        ["通讯地址", c.address, "", "", "邮编", _postcode(rng)],
        ["推荐单位", recommender, "", "", "", ""],
        ["申报类别", "√制造业　□服务业　□工程建设", "", "", "", ""],
        ["组织简介", "本组织主要从事有色金属材料的研发、生产和销售，产品广泛应用于电子信息、新能源汽车等领域。"
                    "已通过质量、环境、职业健康安全管理体系认证。", "", "", "", ""],
        ["申报组织声明", "本组织承诺所填内容真实、准确，近5年无重大质量、安全、环保等事故。\n\n"
                        f"法定代表人（签字）：\n申报组织（盖章）\n{_spaced_date(signed)}", "", "", "", ""],
    ]
    merges = [_merge_rest(0, 1, 5), _merge_rest(1, 1, 3), _merge_rest(3, 1, 3), _merge_rest(4, 1, 5),
              _merge_rest(5, 1, 5), _merge_rest(6, 1, 5), _merge_rest(7, 1, 5)]
    blocks = [
        Block("title", "第五届中国质量奖申报表（组织）"),
        Block("table", rows=rows, merges=merges),
    ]
    fields = {"company_name": name, "credit_code": code, "legal_representative": c.legal_rep,
              "recommender": recommender, "signed_date": signed}
    return DocSpec(filename, "application_form", blocks, fields, delivery=delivery,
                   seal=SealSpec(name) if delivery in ("scan", "photo") else None, family="award-single-grid")


FAMILIES: dict[str, list[Callable[..., Any]]] = {
    "test_report": [test_report_closing_paragraph, test_report_label_above],
    "satisfaction_report": [satisfaction_cover_sentence, satisfaction_summary_table],
    "application_2024": [application_booklet, application_grid],
    "recommendation_2021": [recommendation_sentence, recommendation_label_above],
    "commitment_letter": [commitment_first_person, commitment_table_foot],
    "summary": [summary_sections, summary_cover],
    "team_application_2026": [team_application_full_grid, team_application_label_above],
    "team_roster_2026": [team_roster_full_form, team_roster_one_per_row],
    "award_application_2023": [award_booklet, award_single_grid],
}
