"""Documents modelled on the real ones (shared/seeds, shared/design/DOMAIN.md), each with its
gold fields. Wording and layout vary with the random generator passed in."""

import random
import re
import unicodedata
from pathlib import Path

from gold.generator import facts
from gold.generator.dates import STYLES, add_years, fmt
from gold.generator.facts import Company
from gold.generator.spec import Block, DocSpec, SealSpec

SEEDS = Path(__file__).resolve().parents[3] / "shared" / "seeds"


def _prose(rng: random.Random, chars: int) -> str:
    """Real Chinese sentences (from the notices) up to about `chars` characters."""
    text = "".join(p.read_text(encoding="utf-8") for p in sorted(SEEDS.glob("0*.txt"))) if SEEDS.is_dir() else ""
    sentences = [s.strip() + "。" for s in text.replace("\n", "").split("。") if len(s.strip()) > 20]
    if not sentences:
        sentences = ["本单位持续推进质量管理小组活动，取得了显著的经济效益和社会效益。"]
    out: list[str] = []
    start = rng.randrange(len(sentences))
    while word_count("".join(out)) < chars:
        out.append(sentences[(start + len(out)) % len(sentences)])
    return "".join(out)


def word_count(text: str) -> int:
    """字数 as Word's 字数统计 gives it: every CJK ideograph and full-width mark, every run of
    Latin letters and digits; tabs, spaces and ASCII punctuation not counted. (The prose is cut
    from the notices, forms and all, so raw length overstates it.)"""
    count, in_word = 0, False
    for ch in text:
        if ch.isascii() and ch.isalnum():
            count += 0 if in_word else 1
            in_word = True
            continue
        in_word = False
        if unicodedata.east_asian_width(ch) in ("F", "W") or ch in "“”‘’—…":
            count += 1
    return count


def _paras(text: str, size: int = 300) -> list[Block]:
    return [Block("p", text[i : i + size]) for i in range(0, len(text), size)]


def _label(rng: random.Random, *options: str) -> str:
    return rng.choice(options)


def business_license(
    rng: random.Random, c: Company, filename: str, delivery: str = "scan", layout: int = 0
) -> DocSpec:
    style = rng.choice(STYLES[:3])
    if layout == 1:  # the 2016 style: code on top, fields in two columns
        blocks = [
            Block("p", f"统一社会信用代码：{c.code}"),
            Block("title", "营业执照"),
            Block("table", rows=[
                ["名称", c.name, "注册资本", f"{rng.randint(1, 90) * 1000}万元"],
                ["类型", "其他有限责任公司", "成立日期", fmt(c.founded, style)],
                ["法定代表人", c.legal_rep, "营业期限", f"{fmt(c.founded, style)}至长期"],
                ["经营范围", "有色金属压延加工；金属材料销售", "住所", c.address],
            ]),
            Block("sign", f"登记机关：{c.city}市市场监督管理局"),
            Block("p", fmt(c.founded, "cjk")),
        ]
        return DocSpec(
            filename, "business_license", blocks,
            {"company_name": c.name, "credit_code": c.code, "legal_representative": c.legal_rep},
            delivery=delivery, seal=SealSpec(f"{c.city}市市场监督管理局"),
        )
    blocks = [
        Block("title", "营 业 执 照" if rng.random() < 0.5 else "营业执照"),
        Block("p", "（副　本）"),
        Block("p", f"统一社会信用代码 {c.code}"),
        Block("p", f"名　　称  {c.name}"),
        Block("p", "类　　型  有限责任公司（自然人投资或控股）"),
        Block("p", f"法定代表人  {c.legal_rep}"),
        Block("p", f"注册资本  {rng.randint(1, 90) * 1000}万元整"),
        Block("p", f"成立日期  {fmt(c.founded, style)}"),
        Block("p", f"营业期限  {fmt(c.founded, style)}至长期"),
        Block("p", f"住　　所  {c.address}"),
        Block("p", "经营范围  有色金属压延加工；有色金属合金制造；金属材料销售。"),
        Block("sign", f"登记机关  {c.city}市市场监督管理局"),
    ]
    return DocSpec(
        filename, "business_license", blocks,
        {"company_name": c.name, "credit_code": c.code, "legal_representative": c.legal_rep},
        delivery=delivery, seal=SealSpec(f"{c.city}市市场监督管理局"),
    )


CERT_TITLES = {
    "qms": ("质量管理体系认证证书", "QUALITY MANAGEMENT SYSTEM CERTIFICATE", "质量管理体系", "Q"),
    "ems": ("环境管理体系认证证书", "ENVIRONMENTAL MANAGEMENT SYSTEM CERTIFICATE", "环境管理体系", "E"),
    "ohsms": ("职业健康安全管理体系认证证书", "OCCUPATIONAL HEALTH AND SAFETY MANAGEMENT SYSTEM CERTIFICATE",
              "职业健康安全管理体系", "S"),
}


def certificate(
    rng: random.Random, kind: str, c: Company, filename: str, issue: str, *, standard: str | None = None,
    holder: str | None = None, code: str | None = None, delivery: str = "scan", product: str = "铜及铜合金板带材",
) -> DocSpec:
    title, english, system, letter = CERT_TITLES[kind]
    body, approval, prefix = rng.choice(facts.CERT_BODIES)
    number = f"{prefix}{issue[2:4]}{letter}{rng.randint(10000, 99999)}R{rng.randint(0, 6)}{rng.choice('SML')}"
    expiry = add_years(issue, 3)
    std = standard or facts.STANDARDS[kind]
    style = rng.choice(STYLES)
    validity = rng.choice(
        [
            [Block("p", f"发证日期：{fmt(issue, style)}"), Block("p", f"有效期至：{fmt(expiry, style)}")],
            [Block("p", f"证书有效期：{fmt(issue, style)}至{fmt(expiry, style)}")],
            [Block("p", f"颁证日期：{fmt(issue, style)}"), Block("p", f"有效期：{fmt(expiry, style)}")],
        ]
    )
    name = holder or c.name
    blocks = [
        Block("title", title),
        Block("p", english),
        Block("p", f"证书编号：{number}"),
        Block("p", f"兹证明 {name}"),
        Block("p", f"统一社会信用代码：{code or c.code}"),
        Block("p", f"注册地址：{c.address}"),
        Block("p", f"建立的{system}符合标准：{std}"),
        Block("p", f"认证范围：{product}的设计、生产和服务"),
        *validity,
        Block("p", "本证书有效期内须接受年度监督审核，证书信息可在国家认证认可监督管理委员会官方网站查询。"),
        Block("sign", f"{body}　批准号：{approval}"),
    ]
    std_norm = re.split(r"/(?:ISO|OHSAS)", std)[0]  # the contract's standard: the Chinese one
    return DocSpec(
        filename, f"{kind}_certificate", blocks,
        {"company_name": name, "credit_code": code or c.code, "certificate_number": number, "standard": std_norm,
         "issue_date": issue, "expiry_date": expiry, "certification_body": body, "scope": f"{product}的设计、生产和服务"},
        delivery=delivery, seal=SealSpec(body),
    )


def lab_accreditation(rng: random.Random, c: Company, filename: str, issue: str, delivery: str = "pdf") -> DocSpec:
    number = f"CNAS L{rng.randint(1000, 19999)}"
    expiry = add_years(issue, 6)
    style = rng.choice(STYLES[:4])
    blocks = [
        Block("title", "中国合格评定国家认可委员会"),
        Block("p", "实验室认可证书"),
        Block("p", f"注册号：{number}"),
        Block("p", f"兹证明：{c.name}检测中心"),
        Block("p", f"（{c.name}）"),
        Block("p", "符合 ISO/IEC 17025:2017《检测和校准实验室能力的通用要求》（CNAS-CL01），具备承担本证书附件所列服务能力。"),
        Block("p", f"发证日期：{fmt(issue, style)}"),
        Block("p", f"有效期至：{fmt(expiry, style)}"),
    ]
    return DocSpec(
        filename, "lab_accreditation", blocks,
        {"company_name": c.name, "certificate_number": number, "issue_date": issue, "expiry_date": expiry},
        delivery=delivery,
    )


def test_report(
    rng: random.Random, c: Company, filename: str, issue: str, product: str, grades: list[str], standard: str, *,
    conclusion: str = "合格", cma: bool = True, delivery: str = "scan",
) -> DocSpec:
    lab, cma_no = rng.choice(facts.LABS)
    number = f"{rng.choice(['WT', 'YS', 'JC'])}{issue[:4]}-{rng.randint(1000, 99999):05d}"
    style = rng.choice(STYLES[:4])
    sep = rng.choice(["、", "，", "/", ", "])
    cover = [Block("title", "检验检测报告")]
    if cma:
        cover.append(Block("p", f"CMA　资质认定证书编号：{cma_no}"))
    cover += [
        Block("p", f"报告编号：{number}"),
        Block("p", f"样品名称：{product}"),
        Block("p", f"委托单位：{c.name}"),
        Block("p", "检验类别：委托检验"),
        Block("sign", lab),
        Block("pagebreak"),
    ]
    verdict_text = "所检项目符合标准要求，判定为合格。" if conclusion == "合格" else "所检项目中部分指标不符合标准要求，判定为不合格。"
    first = [
        Block("title", "检验检测报告首页"),
        Block("table", rows=[
            ["样品名称", product, "报告编号", number],
            ["规格型号/牌号", sep.join(grades), "", ""],
            ["委托单位", c.name, "", ""],
            ["生产单位", c.name, "", ""],
            ["检验依据", standard, "", ""],
            ["检验结论", verdict_text, "", ""],
            ["签发日期", fmt(issue, style), "", ""],
        ], merges=[(r, 1, r, 3) for r in range(1, 7)]),
        Block("p", "本报告未加盖检验检测专用章无效。"),
        Block("sign", f"{lab}（检验检测专用章）"),
        Block("pagebreak"),
    ]
    results = [Block("title", "检验结果")]
    rows = [["牌号", "检验项目", "标准要求", "实测结果", "单项判定"]]
    for i, grade in enumerate(grades):
        for item, need, got in (("抗拉强度Rm/MPa", "≥275", str(290 + i)), ("断后伸长率A/%", "≥5", "12"),
                                ("导电率%IACS", "≥98", "100.5")):
            verdict = "不合格" if conclusion != "合格" and i == 0 and item.startswith("抗拉") else "合格"
            rows.append([grade, item, need, got if verdict == "合格" else "251", verdict])
    results.append(Block("table", rows=rows))
    results.append(Block("p", "以下空白"))
    fields = {"company_name": c.name, "report_number": number, "product_name": product, "grades": grades,
              "test_standard": [standard], "conclusion": conclusion, "testing_agency": lab, "cma": cma,
              "issue_date": issue}
    return DocSpec(filename, "test_report", cover + first + results, fields, delivery=delivery,
                   seal=SealSpec(lab, "检验检测专用章", page=2))


def satisfaction_report(
    rng: random.Random, c: Company, filename: str, issue: str, product: str, score: float, delivery: str = "pdf"
) -> DocSpec:
    agency = rng.choice(facts.EVAL_AGENCIES)
    number = f"CS{issue[:4]}{rng.randint(100, 999)}"
    headline = rng.choice([
        f"用户满意度指数为{score:.1f}",
        f"综合满意度得分 {score:.1f} 分（百分制）",
        f"满意度得分：{score:.2f}分",
        f"顾客满意指数 CSI = {score:.1f}",
    ])
    blocks = [
        Block("title", "用户满意度测评报告"),
        Block("p", f"报告编号：{number}"),
        Block("p", f"被测评单位：{c.name}"),
        Block("p", f"测评产品：{product}"),
        Block("p", f"调查时间：{issue[:4]}年3月—{issue[:4]}年5月，有效样本 {rng.randint(150, 420)} 份"),
        Block("table", rows=[["维度", "得分"], ["品牌形象", f"{score + 1.3:.1f}"], ["感知质量", f"{score - 0.8:.1f}"],
                             ["感知价值", f"{score - 2.1:.1f}"], ["忠诚度", f"{score + 0.4:.1f}"]]),
        Block("p", f"测评结论：{headline}。用户满意率 9{rng.randint(0, 8)}%。"),
        Block("sign", f"测评机构：{agency}"),
        Block("p", f"报告日期：{fmt(issue, rng.choice(STYLES[:3]))}"),
    ]
    return DocSpec(filename, "satisfaction_report", blocks,
                   {"company_name": c.name, "report_number": number, "product_name": product,
                    "satisfaction_score": score, "evaluation_agency": agency, "issue_date": issue},
                   delivery=delivery, seal=SealSpec(agency))


def patent_certificate(rng: random.Random, c: Company, filename: str, issue: str, delivery: str = "scan") -> DocSpec:
    serial = f"{issue[:4]}1{rng.randint(1000000, 9999999)}"
    weights = [2, 3, 4, 5, 6, 7, 8, 9, 2, 3, 4, 5]
    check = "0123456789X"[sum(int(d) * w for d, w in zip(serial, weights, strict=True)) % 11]
    number = f"ZL{serial}.{check}"
    blocks = [
        Block("title", "发明专利证书"),
        Block("p", "发明名称：一种高强高导铜合金带材的制备方法"),
        Block("p", f"专利号：{number}"),
        Block("p", f"专利权人：{c.name}"),
        Block("p", f"授权公告日：{fmt(issue, 'cjk')}"),
        Block("sign", "国家知识产权局"),
    ]
    return DocSpec(filename, "patent_certificate", blocks,
                   {"company_name": c.name, "certificate_number": number, "issue_date": issue},
                   delivery=delivery, seal=SealSpec("国家知识产权局"))


LEVELS = ["卓越品牌", "优质品牌", "培育品牌"]


def _ticks(chosen: str, rng: random.Random) -> str:
    on, off = rng.choice([("☑", "☐"), ("■", "□"), ("√", "□")])
    return "　".join(f"{on if lv == chosen else off}{lv}" for lv in LEVELS)


def application_2024(
    rng: random.Random, c: Company, filename: str, product: str, grades: list[str], level: str, signed: str, *,
    name_on_form: str | None = None, code_on_form: str | None = None, delivery: str = "docx",
    seal_name: str | None = None, layout: int = 0,
) -> DocSpec:
    name = name_on_form or c.name
    code = code_on_form or c.code
    sep = rng.choice(["、", "，", "/"])
    label_name = _label(rng, "企业名称", "申报单位", "申报企业名称")
    fields = {"company_name": name, "credit_code": code, "legal_representative": c.legal_rep,
              "product_name": product, "grades": grades, "applied_level": level, "signed_date": signed}
    seal = SealSpec(seal_name or name) if delivery in ("scan", "photo") else None
    if layout == 1:  # one label：value per line, half-width colons, as some units retype the form
        blocks = [
            Block("title", "全国有色金属产品质量品牌培育活动申报书"),
            Block("p", f"{label_name}: {name}"),
            Block("p", f"统一社会信用代码: {code}"),
            Block("p", f"法定代表人: {c.legal_rep}"),
            Block("p", f"申报产品: {product}"),
            Block("p", f"产品牌号: {sep.join(grades)}"),
            Block("p", f"申报类别: {_ticks(level, rng)}"),
            Block("sign", "申报单位(盖章)"),
            Block("p", fmt(signed, rng.choice(STYLES))),
        ]
        return DocSpec(filename, "application_form", blocks, fields, delivery=delivery, seal=seal)
    blocks = [
        Block("title", "全国有色金属产品质量品牌培育活动申报书"),
        Block("p", f"申报单位（盖章）：{name}"),
        Block("p", f"申报产品：{product}"),
        Block("p", f"申报类别：{_ticks(level, rng)}"),
        Block("pagebreak"),
        Block("table", rows=[
            [label_name, name, "", ""],
            ["统一社会信用代码", code, "", ""],
            ["法定代表人", c.legal_rep, "联系电话", f"0379-6{rng.randint(1000000, 9999999)}"],
            ["产品名称", product, "", ""],
            ["产品牌号", sep.join(grades), "", ""],
            ["申报类别", _ticks(level, rng), "", ""],
        ], merges=[(0, 1, 0, 3), (1, 1, 1, 3), (3, 1, 3, 3), (4, 1, 4, 3), (5, 1, 5, 3)]),
        Block("p", "本单位承诺所填报内容及提供的证实性材料真实、有效。"),
        Block("sign", "申报单位（盖章）"),
        Block("p", f"{fmt(signed, rng.choice(STYLES))}"),
    ]
    return DocSpec(filename, "application_form", blocks,
                   {"company_name": name, "credit_code": code, "legal_representative": c.legal_rep,
                    "product_name": product, "grades": grades, "applied_level": level, "signed_date": signed},
                   delivery=delivery, seal=SealSpec(seal_name or name) if delivery in ("scan", "photo") else None)


def recommendation_2021(
    rng: random.Random, c: Company, filename: str, recommender: str, signed: str, *, delivery: str = "scan",
    sealed: bool = True, seal_name: str | None = None,
) -> DocSpec:
    blocks = [
        Block("title", "全国质量标杆推荐表"),
        Block("table", rows=[
            ["申报单位", c.name],
            ["统一社会信用代码", c.code],
            ["典型经验名称", "以数字化质量管控提升铜板带材一致性的实践"],
            ["推荐单位", recommender],
            ["推荐意见", "经审核，该单位申报材料真实，同意推荐。"],
        ]),
        Block("sign", "推荐单位（盖章）"),
        Block("p", fmt(signed, rng.choice(STYLES))),
    ]
    return DocSpec(filename, "recommendation_form", blocks,
                   {"company_name": c.name, "credit_code": c.code, "recommender": recommender, "signed_date": signed},
                   delivery=delivery, seal=SealSpec(seal_name or recommender) if sealed else None)


def commitment_letter(
    rng: random.Random, c: Company, filename: str, signed: str, *, delivery: str = "scan", sealed: bool = True,
    seal_name: str | None = None, centre: str = "",
) -> DocSpec:
    blocks = [
        Block("title", "承诺书"),
        Block("p", "本单位自愿参加全国质量标杆遴选活动，郑重承诺：所提交的申报材料真实、准确、完整，"
                   "近三年未发生重大质量、安全、环保事故，如有不实，愿承担相应责任。"),
        Block("sign", f"申报单位（盖章）：{c.name}"),
        Block("p", f"法定代表人（签字）：{c.legal_rep}"),
        Block("p", fmt(signed, rng.choice(STYLES))),
    ]
    return DocSpec(filename, "commitment_letter", blocks, {"company_name": c.name, "signed_date": signed},
                   delivery=delivery, seal=SealSpec(seal_name or c.name, centre) if sealed else None)


def summary(rng: random.Random, c: Company, filename: str, title: str, chars: int, delivery: str = "docx") -> DocSpec:
    blocks = [Block("title", title), Block("p", f"{c.name}"), *_paras(_prose(rng, chars))]
    return DocSpec(filename, "summary_report", blocks, {"company_name": c.name}, delivery=delivery)


def team_application_2026(
    rng: random.Random, c: Company, filename: str, team: str, members: int, recommender: str, *,
    delivery: str = "docx", code: str | None = None, seal_name: str | None = None,
) -> DocSpec:
    blocks = [
        Block("title", "2026 年度有色金属行业质量信得过班组建设经验申报表"),
        Block("p", f"推荐单位：{recommender}"),
        Block("table", rows=[
            ["企业名称（以公章为准）", c.name, "", ""],
            ["班组名称", team, "", ""],
            ["经验名称", "推行标准化作业提升一次合格率", "", ""],
            ["统一社会信用代码", code or c.code, "组织类型", "企业"],
            ["班组长姓名", facts.make_person(rng), "班组人数", str(members)],
            ["班组工作完成率（%）", "100", "质量考核合格率（%）", f"{rng.randint(95, 100)}"],
        ], merges=[(0, 1, 0, 3), (1, 1, 1, 3), (2, 1, 2, 3)]),
        Block("sign", "申报单位（盖章）"),
    ]
    return DocSpec(filename, "application_form", blocks,
                   {"company_name": c.name, "credit_code": code or c.code, "team_name": team, "member_count": members,
                    "recommender": recommender},
                   delivery=delivery, seal=SealSpec(seal_name or c.name) if delivery in ("scan", "photo") else None)


def team_roster_2026(rng: random.Random, c: Company, filename: str, team: str, members: int) -> DocSpec:
    names = "、".join(facts.make_person(rng) for _ in range(members))
    blocks = [
        Block("title", "2026 年度企业推荐项目汇总表"),
        Block("table", rows=[
            ["企业名称", c.name, "", ""],
            ["序号", "质量管理小组全称（具体申报企业名称加上小组名称）", "小组成员名单（限 10 人）", ""],
            ["1", f"{c.name}{team}", names, ""],
        ], merges=[(0, 1, 0, 3), (1, 2, 1, 3), (2, 2, 2, 3)]),
    ]
    return DocSpec(filename, "statistics_form", blocks,
                   {"company_name": c.name, "team_name": team, "member_count": members})


def award_application_2023(
    rng: random.Random, c: Company, filename: str, recommender: str, signed: str, *, delivery: str = "docx",
    name_on_form: str | None = None, code_on_form: str | None = None,
) -> DocSpec:
    name = name_on_form or c.name
    blocks = [
        Block("title", "中国质量奖（制造业、服务业、工程建设行业组织）申报表"),
        Block("table", rows=[
            ["组织名称", name, "", ""],
            ["统一社会信用代码", code_on_form or c.code, "", ""],
            ["法定代表人", c.legal_rep, "成立时间", fmt(c.founded, "cjk")],
            ["推荐单位", recommender, "", ""],
            ["近5年重大质量、安全、环保事故", "无", "", ""],
        ], merges=[(0, 1, 0, 3), (1, 1, 1, 3), (3, 1, 3, 3), (4, 1, 4, 3)]),
        Block("p", "申报组织承诺：所填内容真实、准确。"),
        Block("sign", "申报组织（盖章）"),
        Block("p", fmt(signed, rng.choice(STYLES))),
    ]
    return DocSpec(filename, "application_form", blocks,
                   {"company_name": name, "credit_code": code_on_form or c.code, "legal_representative": c.legal_rep,
                    "recommender": recommender, "signed_date": signed},
                   delivery=delivery, seal=SealSpec(name) if delivery in ("scan", "photo") else None)
