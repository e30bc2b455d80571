"""The bundles of the corpus: per profile, clean ones with benign variants and ones with one
planted discrepancy each, with the findings a reviewer would expect."""

import random
from collections.abc import Callable
from typing import Any

from gold.generator import documents, facts
from gold.generator.dates import shift
from gold.generator.facts import Company
from gold.generator.spec import BundleSpec, DocSpec, ScanOptions

CORRUPT_PDF = b"%PDF-1.4\n1 0 obj << /Type /Catalog >> endobj\n% truncated in transit\n"


def scan_options(rng: random.Random, hard: bool = False) -> ScanOptions:
    return ScanOptions(
        dpi=rng.choice([150, 150, 200] if not hard else [120, 150]),
        rotate=rng.choice([0, 0, 0, 0, 90, 180, 270]) if hard or rng.random() < 0.25 else 0,
        tilt=round(rng.uniform(-2.5, 2.5), 2),
        blur=rng.choice([0, 0, 0.6, 1.0]),
        noise=rng.choice([0, 0, 0, 4]) if not hard else 8,
        jpeg_quality=rng.choice([45, 55, 65]),
    )


def _delivery(rng: random.Random) -> str:
    return rng.choices(["scan", "pdf", "png", "photo"], weights=[40, 45, 10, 5])[0]


def _with_scan(doc: DocSpec, rng: random.Random) -> DocSpec:
    if doc.delivery in ("scan", "photo", "png"):
        doc.scan = scan_options(rng)
    if doc.delivery == "png":
        doc.filename = doc.filename.rsplit(".", 1)[0] + ".png"
    elif doc.delivery == "photo":
        doc.filename = doc.filename.rsplit(".", 1)[0] + ".jpg"
    return doc


def _high_resolution(docs: list[DocSpec]) -> None:
    """Scans made at 300 dpi on a good scanner: clean, straight, little compression."""
    for doc in docs:
        if doc.delivery in ("scan", "png", "photo"):
            doc.scan = ScanOptions(dpi=300, rotate=0, tilt=0.4, blur=0, noise=0, jpeg_quality=50)


def _other_company(rng: random.Random, c: Company) -> Company:
    other = facts.make_company(rng)
    return other if other.name != c.name else facts.make_company(rng)


# ------------------------------------------------------------------ nonferrous-brand-2024
BRAND_VARIANTS = [
    "clean", "clean_brackets", "certificate_expired", "certificate_standard_mismatch", "test_report_failed",
    "test_report_not_cma", "test_report_grades_incomplete", "satisfaction_below_threshold", "missing_document",
    "credit_code_mismatch", "company_name_mismatch", "credit_code_invalid", "seal_missing", "seal_name_mismatch",
    "clean_threshold", "file_unreadable", "clean_cultivated", "clean_layout2", "clean_hires",
]


def brand_2024(index: int, variant: str, d: Any = documents) -> BundleSpec:
    rng = random.Random(f"brand-{index}")
    c = facts.make_company(rng)
    if variant == "clean_brackets":
        c = Company(c.city + "华鑫（集团）铜业有限公司", c.code, c.legal_rep, c.city, c.address, c.founded)
    product, all_grades, standard = rng.choice(facts.PRODUCTS)
    grades = rng.sample(all_grades, k=min(3, len(all_grades)))
    # 80.5 is under the floor of 卓越品牌 only (85; the others need 75): the planted shortfall applies for it
    level = {"clean_threshold": "优质品牌", "clean_cultivated": "培育品牌",
             "satisfaction_below_threshold": "卓越品牌"}.get(variant, rng.choice(d.LEVELS[:2]))
    score = {"satisfaction_below_threshold": 80.5, "clean_threshold": 75.0}.get(
        variant, round(rng.uniform(86, 93), 1)
    )
    as_of = "2024-08-31"
    signed = shift(as_of, -rng.randint(10, 60))
    findings: list[tuple[str, list[str]]] = []
    docs: list[DocSpec] = []

    form_code = facts.corrupt_code(c.code) if variant == "credit_code_invalid" else None
    layout = 1 if variant == "clean_layout2" else 0
    docs.append(d.application_2024(rng, c, "申报书.docx", product, grades, level, signed, code_on_form=form_code,
                                   layout=layout))
    seal_name = _other_company(rng, c).name if variant == "seal_name_mismatch" else None
    scan_form = d.application_2024(rng, c, "申报书（盖章扫描件）.pdf", product, grades, level, signed,
                                   delivery="scan", seal_name=seal_name)
    scan_form.scan = scan_options(rng)
    if variant == "seal_missing":
        scan_form.seal = None
        findings.append(("seal_missing", [scan_form.filename]))
    if variant == "seal_name_mismatch":
        findings.append(("seal_name_mismatch", [scan_form.filename]))
    docs.append(scan_form)
    if variant == "credit_code_invalid":
        findings += [("credit_code_invalid", ["申报书.docx"]), ("credit_code_mismatch", ["申报书.docx"])]

    docs.append(_with_scan(d.business_license(rng, c, "营业执照.pdf", delivery=_delivery(rng), layout=layout), rng))
    for kind, fname in (("qms", "质量管理体系认证证书.pdf"), ("ems", "环境管理体系认证证书.pdf"),
                        ("ohsms", "职业健康安全管理体系认证证书.pdf")):
        if variant == "missing_document" and kind == "ems":
            findings.append(("missing_document", []))
            continue
        issue = shift(as_of, -rng.randint(200, 900))
        kwargs: dict[str, object] = {}
        if kind == "ohsms" and variant == "certificate_expired":
            issue = "2021-05-11"  # expires 2024-05-10
            findings.append(("certificate_expired", [fname]))
        if kind == "ohsms" and variant == "certificate_standard_mismatch":
            kwargs["standard"] = facts.OLD_OHS
            findings.append(("certificate_standard_mismatch", [fname]))
        if kind == "qms" and variant == "credit_code_mismatch":
            kwargs["code"] = facts.make_code(rng, "410300")
            findings.append(("credit_code_mismatch", [fname]))
        cert = d.certificate(rng, kind, c, fname, issue, delivery=_delivery(rng), product=product, **kwargs)  # type: ignore[arg-type]
        docs.append(_with_scan(cert, rng))
    docs.append(_with_scan(d.lab_accreditation(rng, c, "CNAS实验室认可证书.pdf", shift(as_of, -700),
                                               delivery=rng.choice(["pdf", "scan"])), rng))
    report_grades = grades[:-1] if variant == "test_report_grades_incomplete" else grades
    owner = _other_company(rng, c) if variant == "company_name_mismatch" else c
    report = d.test_report(rng, owner, "检验检测报告.pdf", shift(as_of, -rng.randint(30, 200)), product,
                           report_grades, standard, conclusion="不合格" if variant == "test_report_failed" else "合格",
                           cma=variant != "test_report_not_cma", delivery=rng.choice(["scan", "pdf"]))
    docs.append(_with_scan(report, rng))
    if variant == "test_report_failed":
        findings.append(("test_report_failed", [report.filename]))
    if variant == "test_report_not_cma":
        findings.append(("test_report_not_cma", [report.filename]))
    if variant == "test_report_grades_incomplete":
        findings.append(("test_report_grades_incomplete", ["申报书.docx", scan_form.filename]))
    if variant == "company_name_mismatch":
        findings.append(("company_name_mismatch", [report.filename]))
    sat = d.satisfaction_report(rng, c, "用户满意度测评报告.pdf", shift(as_of, -rng.randint(20, 120)), product, score,
                                delivery=rng.choice(["pdf", "scan"]))
    docs.append(_with_scan(sat, rng))
    if variant == "satisfaction_below_threshold":
        level_docs = [sat.filename]
        findings.append(("satisfaction_below_threshold", level_docs))
    docs.append(_with_scan(d.patent_certificate(rng, c, "专利证书.pdf", shift(as_of, -800), delivery=_delivery(rng)),
                           rng))
    if variant == "clean_hires":
        _high_resolution(docs)
    extra = {}
    if variant == "file_unreadable":
        extra["补充材料.pdf"] = CORRUPT_PDF
        findings.append(("file_unreadable", ["补充材料.pdf"]))
    return BundleSpec(f"brand-2024-{index:02d}-{variant}", "nonferrous-brand-2024", as_of, docs, findings,
                      delivery="zip" if index % 5 == 4 else "folder", tags=[variant], extra_files=extra)


# ------------------------------------------------------------------ caq-benchmark-2021
CAQ_VARIANTS = [
    "clean", "clean_zip", "clean_7z", "clean_eml", "clean_spaces", "recommender_not_listed", "date_out_of_window",
    "seal_missing", "seal_name_mismatch", "credit_code_mismatch", "company_name_mismatch", "missing_document",
    "credit_code_invalid", "clean_gb2312_mail", "clean_folder", "clean_rar4", "clean_rar5", "clean_msg",
    "clean_nested", "clean_forwarded",
]


def caq_2021(index: int, variant: str, d: Any = documents) -> BundleSpec:
    rng = random.Random(f"caq-{index}")
    c = facts.make_company(rng)
    as_of = "2021-06-25"
    recommender = (rng.choice(facts.NOT_LISTED_RECOMMENDERS) if variant == "recommender_not_listed"
                   else rng.choice(facts.RECOMMENDERS_2021))
    findings: list[tuple[str, list[str]]] = []
    docs: list[DocSpec] = []
    rec_code = c.code
    rec_company = c
    if variant == "credit_code_mismatch":
        rec_company = Company(c.name, facts.make_code(rng, "350200"), c.legal_rep, c.city, c.address, c.founded)
    if variant == "credit_code_invalid":
        rec_company = Company(c.name, facts.corrupt_code(c.code), c.legal_rep, c.city, c.address, c.founded)
    del rec_code
    if variant == "clean_spaces":  # a name broken by spaces on the form: the same company
        rec_company = Company(c.name[:4] + " " + c.name[4:], c.code, c.legal_rep, c.city, c.address, c.founded)
    rec = d.recommendation_2021(rng, rec_company, "推荐表（盖章扫描件）.pdf", recommender,
                                shift(as_of, -rng.randint(5, 30)), sealed=variant != "seal_missing")
    rec.scan = scan_options(rng)
    if variant == "clean_spaces":
        rec.fields["company_name"] = c.name  # values are compared with whitespace removed
    docs.append(rec)
    if variant == "recommender_not_listed":
        findings.append(("recommender_not_listed", [rec.filename]))
    if variant == "seal_missing":
        findings.append(("seal_missing", [rec.filename]))
    if variant == "credit_code_mismatch":
        findings.append(("credit_code_mismatch", [rec.filename]))
    if variant == "credit_code_invalid":
        findings += [("credit_code_invalid", [rec.filename]), ("credit_code_mismatch", [rec.filename])]
    if variant != "missing_document":
        signed = "2021-07-02" if variant == "date_out_of_window" else shift(as_of, -rng.randint(5, 40))
        letter_company = _other_company(rng, c) if variant == "company_name_mismatch" else c
        seal_name = _other_company(rng, c).name if variant == "seal_name_mismatch" else None
        letter = d.commitment_letter(rng, letter_company, "承诺书（盖章扫描件）.pdf", signed, seal_name=seal_name)
        letter.scan = scan_options(rng)
        docs.append(letter)
        if variant == "date_out_of_window":
            findings.append(("date_out_of_window", [letter.filename]))
        if variant == "seal_name_mismatch":
            findings.append(("seal_name_mismatch", [letter.filename]))
        if variant == "company_name_mismatch":
            findings.append(("company_name_mismatch", [letter.filename]))
    else:
        findings.append(("missing_document", []))
    docs.append(d.summary(rng, c, "申报材料.docx", "全国质量标杆典型经验申报材料", rng.randint(1500, 3000)))
    licence = d.business_license(rng, c, "营业执照.pdf", delivery=rng.choice(["pdf", "scan", "png"]))
    docs.append(_with_scan(licence, rng))
    delivery = {"clean_zip": "zip", "clean_7z": "7z", "clean_eml": "eml", "clean_gb2312_mail": "eml",
                "clean_folder": "folder", "clean_rar4": "rar4", "clean_rar5": "rar5", "clean_msg": "msg",
                "clean_nested": "nested", "clean_forwarded": "forwarded"}.get(variant, rng.choice(["zip", "zip", "7z", "eml", "folder"]))
    name = f"GB2021-{index + 1:03d}{c.name}"
    return BundleSpec(name, "caq-benchmark-2021", as_of, docs, findings, delivery=delivery,
                      tags=[variant, "mail-gb2312" if variant == "clean_gb2312_mail" else "mail-utf8"])


# ------------------------------------------------------------------ nonferrous-qc-2026
# the CI subset: few scanned pages, several rules
FAST_QC = {"clean", "team_name_invalid", "member_limit_exceeded", "text_too_short", "clean_section"}
QC_VARIANTS = [
    "clean", "clean_brackets", "clean_zip", "clean_photo", "team_name_invalid", "member_limit_exceeded",
    "text_too_short", "seal_name_mismatch", "seal_missing", "credit_code_invalid", "company_name_mismatch",
    "missing_document", "clean_section", "clean_room", "clean_many", "field_unreadable",
]


def qc_2026(index: int, variant: str, d: Any = documents) -> BundleSpec:
    rng = random.Random(f"qc-{index}")
    c = facts.make_company(rng)
    as_of = "2026-05-31"
    team = {"team_name_invalid": "精整班组", "clean_section": "熔铸二工段", "clean_room": "理化检测室"}.get(
        variant, rng.choice(["精整一班", "轧制乙班", "质检组", "挤压三班"]))
    members = 11 if variant == "member_limit_exceeded" else rng.randint(5, 10)
    recommender = "中国有色金属工业协会"
    findings: list[tuple[str, list[str]]] = []
    docs: list[DocSpec] = []
    roster_company = _other_company(rng, c) if variant == "company_name_mismatch" else c
    docs.append(d.team_roster_2026(rng, roster_company, "附件1 2026年度企业推荐项目汇总表.docx", team, members))
    if variant == "member_limit_exceeded":
        findings.append(("member_limit_exceeded", [docs[-1].filename]))
    if variant == "company_name_mismatch":
        findings.append(("company_name_mismatch", [docs[-1].filename]))
    code = facts.corrupt_code(c.code) if variant == "credit_code_invalid" else None
    form = d.team_application_2026(rng, c, "附件5 质量信得过班组建设经验申报表.docx", team, members, recommender, code=code)
    docs.append(form)
    seal_name = c.city + "某某有色金属集团有限公司" if variant == "seal_name_mismatch" else None
    scan = d.team_application_2026(rng, c, "附件5 质量信得过班组建设经验申报表（盖章）.pdf", team, members,
                                   recommender, delivery="photo" if variant == "clean_photo" else "scan",
                                   code=code, seal_name=seal_name)
    scan = _with_scan(scan, rng)
    if variant == "seal_missing":
        scan.seal = None
        findings.append(("seal_missing", [scan.filename]))
    if variant == "seal_name_mismatch":
        findings.append(("seal_name_mismatch", [scan.filename]))
    docs.append(scan)
    if variant == "team_name_invalid":
        findings.append(("team_name_invalid", [form.filename, scan.filename]))
    if variant == "credit_code_invalid":
        findings.append(("credit_code_invalid", [form.filename, scan.filename]))
    if variant != "missing_document":
        chars = 2000 if variant == "text_too_short" else rng.randint(3200, 4200)
        docs.append(d.summary(rng, c, "附件7 2026年度质量信得过班组活动总结.docx", "2026 年度有色金属行业质量信得过班组活动总结",
                              chars))
        if variant == "text_too_short":
            findings.append(("text_too_short", [docs[-1].filename]))
    else:
        findings.append(("missing_document", []))
    if variant == "clean_many":
        docs.append(_with_scan(d.business_license(rng, c, "营业执照.pdf", delivery="png"), rng))
    if variant == "field_unreadable":  # a licence photographed out of focus: the code cannot be read
        licence = d.business_license(rng, c, "营业执照.pdf", delivery="scan", layout=1)
        licence.scan = ScanOptions(dpi=100, blur=3.0, noise=12, jpeg_quality=35)
        docs.append(licence)
        findings.append(("field_unreadable", [licence.filename]))
    if variant in ("clean_section", "clean_many"):  # legacy Word, as some units still send
        form.delivery, form.filename = "doc", form.filename.replace(".docx", ".doc")
    tags = [variant, *(["fast"] if variant in FAST_QC else [])]
    return BundleSpec(f"qc-2026-{index:02d}-{variant}", "nonferrous-qc-2026", as_of, docs, findings,
                      delivery="zip" if variant == "clean_zip" else "folder", tags=tags)


# ------------------------------------------------------------------ china-quality-award-2023
CQA_VARIANTS = [
    "clean", "clean_2", "clean_zip", "clean_scan_only", "clean_rotated", "missing_document", "company_name_mismatch",
    "credit_code_invalid", "certificate_expired", "date_out_of_window", "seal_missing", "seal_name_mismatch",
    "file_unreadable", "clean_bilingual", "clean_late_issue", "clean_hires",
]


def cqa_2023(index: int, variant: str, d: Any = documents) -> BundleSpec:
    rng = random.Random(f"cqa-{index}")
    c = facts.make_company(rng)
    as_of = "2023-05-25"
    recommender = "甘肃省市场监督管理局"
    findings: list[tuple[str, list[str]]] = []
    docs: list[DocSpec] = []
    signed = "2023-06-10" if variant == "date_out_of_window" else shift(as_of, -rng.randint(3, 25))
    code = facts.corrupt_code(c.code) if variant == "credit_code_invalid" else None
    if variant != "clean_scan_only":
        docs.append(d.award_application_2023(rng, c, "中国质量奖申报表.docx", recommender, signed, code_on_form=code))
    scan = d.award_application_2023(rng, c, "中国质量奖申报表（盖章）.pdf", recommender, signed, delivery="scan",
                                    code_on_form=code)
    scan.scan = scan_options(rng, hard=variant == "clean_rotated")
    if variant == "clean_rotated":
        scan.scan.rotate = 90
    if variant == "seal_missing":
        scan.seal = None
        findings.append(("seal_missing", [scan.filename]))
    if variant == "seal_name_mismatch" and scan.seal is not None:
        scan.seal.name = _other_company(rng, c).name
        findings.append(("seal_name_mismatch", [scan.filename]))
    docs.append(scan)
    form_files = [x.filename for x in docs if x.doc_type == "application_form"]
    if variant == "date_out_of_window":
        findings.append(("date_out_of_window", form_files))
    if variant == "credit_code_invalid":
        findings += [("credit_code_invalid", form_files), ("credit_code_mismatch", form_files)]
    if variant == "missing_document":
        findings.append(("missing_document", []))
    else:
        holder = c
        if variant == "company_name_mismatch":
            holder = Company(c.name.replace("有限公司", "有限责任公司") if "有限责任" not in c.name
                             else c.name.replace("有限责任公司", "有限公司"),
                             facts.make_code(rng, "620100"), c.legal_rep, c.city, c.address, c.founded)
            findings += [("company_name_mismatch", ["营业执照.pdf"]), ("credit_code_mismatch", ["营业执照.pdf"])]
        docs.append(_with_scan(d.business_license(rng, holder, "营业执照.pdf", delivery=_delivery(rng)), rng))
    issue = "2020-03-01" if variant == "certificate_expired" else shift(as_of, -rng.randint(100, 800))
    qms = d.certificate(rng, "qms", c, "质量管理体系认证证书.pdf", issue, delivery=_delivery(rng))
    docs.append(_with_scan(qms, rng))
    if variant == "certificate_expired":
        findings.append(("certificate_expired", [qms.filename]))
    if variant == "clean_hires":
        _high_resolution(docs)
    extra = {}
    if variant == "file_unreadable":
        extra["证实性材料.docx"] = b"PK\x03\x04" + bytes(300)
        findings.append(("file_unreadable", ["证实性材料.docx"]))
    tags = [variant, *(["fast"] if variant in ("clean", "file_unreadable") else [])]
    return BundleSpec(f"cqa-2023-{index:02d}-{variant}", "china-quality-award-2023", as_of, docs, findings,
                      delivery="zip" if variant == "clean_zip" else "folder", tags=tags, extra_files=extra)


PLANS: list[tuple[list[str], Callable[..., BundleSpec]]] = [
    (BRAND_VARIANTS, brand_2024),
    (CAQ_VARIANTS, caq_2021),
    (QC_VARIANTS, qc_2026),
    (CQA_VARIANTS, cqa_2023),
]


def all_bundles() -> list[BundleSpec]:
    base = [make(i, variant) for variants, make in PLANS for i, variant in enumerate(variants)]
    return base + family_bundles()


# ------------------------------------------------------------------ independent layout families
# Bundles of the same four notices whose documents are written in the layouts of families/ (other
# wording, label placement, number shapes, deliveries): measured by family in `precheck eval`.
FAMILY_VARIANTS: dict[str, list[str]] = {
    "brand_2024": ["clean", "certificate_expired", "test_report_failed", "satisfaction_below_threshold",
                   "seal_name_mismatch", "credit_code_mismatch"],
    "caq_2021": ["clean", "recommender_not_listed", "seal_missing", "company_name_mismatch"],
    "qc_2026": ["clean", "member_limit_exceeded", "team_name_invalid", "text_too_short"],
    "cqa_2023": ["clean", "certificate_expired", "credit_code_invalid"],
}
FAMILY_SETS = 3  # family index k takes the k-th independent layout of every document (cycling)
FAMILY_FAST = {(0, "cqa_2023", "clean"), (2, "qc_2026", "clean")}  # in CI's subset: layouts not tuned on


def family_bundles() -> list[BundleSpec]:
    from gold.generator.families import document_set

    makers = {"brand_2024": brand_2024, "caq_2021": caq_2021, "qc_2026": qc_2026, "cqa_2023": cqa_2023}
    out: list[BundleSpec] = []
    for k in range(FAMILY_SETS):
        docs = document_set(k)
        for plan, variants in FAMILY_VARIANTS.items():
            for j, variant in enumerate(variants if k < 2 else variants[:1]):
                bundle = makers[plan](100 + 10 * k + j, variant, docs)
                if not bundle.name.startswith("GB"):  # a 2021 bundle keeps its 申报编号+申报单位全称
                    bundle.name = f"fam{k}-{bundle.name}"
                families = sorted({doc.family for doc in bundle.documents})
                fast = (k, plan, variant) in FAMILY_FAST
                bundle.tags = [*(t for t in bundle.tags if t != "fast"), "family", f"family-set-{k}",
                               *(["fast"] if fast else [])]
                bundle.notes = "documents in independent layouts: " + ", ".join(families)
                out.append(bundle)
    return out
