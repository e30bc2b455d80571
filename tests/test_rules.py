"""The rules of the contract on hand-made bundles: each edge a reviewer cares about."""

from datetime import date

import pytest

from extractor.judge.engine import RULES, judge, rules_of
from extractor.judge.profiles import PROFILES, get_profile
from extractor.judge.rules.facts import BundleFacts
from extractor.judge.verdict import verdict
from extractor.understand.applicant import settle_applicant
from models import Applicant, DocType, DocumentReport, Doubt, Evidence, FieldValue, Seal, Severity, TextSource

NAME = "洛阳博威有色金属有限责任公司"
CODE = "91350100M000100Y43"
SHA = "0" * 64


def fv(value: object, confidence: float = 0.95, path: str = "x", doubt: list[Doubt] | None = None) -> FieldValue:
    return FieldValue(value=value, confidence=confidence, evidence=[Evidence(path=path, text=str(value))],
                      doubt=doubt or [])


def doc(path: str, doc_type: DocType, source: TextSource = TextSource.TEXT_LAYER, seals: list[Seal] | None = None,
        **fields: object) -> DocumentReport:
    return DocumentReport(path=path, sha256=SHA, media_type="application/pdf", pages=1, text_source=source,
                          doc_type=doc_type, fields={k: v if isinstance(v, FieldValue) else fv(v, path=path)
                                                     for k, v in fields.items()},
                          seals=seals or [])


def seal(text: str, confidence: float = 0.99) -> Seal:
    return Seal(page=1, bbox=(0.2, 0.6, 0.4, 0.75), text=text, confidence=1.0, text_confidence=confidence)


def brand_bundle(**changes: DocumentReport | None) -> list[DocumentReport]:
    """A complete, clean 2024 brand bundle; `changes` replaces (or with None removes) documents."""
    docs = {
        "form": doc("申报书.docx", DocType.APPLICATION_FORM, TextSource.DOCX, company_name=NAME, credit_code=CODE,
                    applied_level="优质品牌", grades=["6061", "6063"], signed_date="2024-08-01"),
        "scan": doc("申报书（盖章扫描件）.pdf", DocType.APPLICATION_FORM, TextSource.OCR, [seal(NAME)],
                    company_name=NAME, credit_code=CODE, grades=["6061", "6063"]),
        "licence": doc("营业执照.pdf", DocType.BUSINESS_LICENSE, company_name=NAME, credit_code=CODE),
        "qms": doc("q.pdf", DocType.QMS_CERTIFICATE, company_name=NAME, standard="GB/T 19001-2016",
                   expiry_date="2026-01-01", certification_body="中国质量认证中心"),
        "ems": doc("e.pdf", DocType.EMS_CERTIFICATE, company_name=NAME, standard="GB/T 24001-2016",
                   expiry_date="2026-01-01"),
        "ohs": doc("o.pdf", DocType.OHSMS_CERTIFICATE, company_name=NAME, standard="GB/T 45001-2020",
                   expiry_date="2026-01-01"),
        "lab": doc("cnas.pdf", DocType.LAB_ACCREDITATION, company_name=NAME, expiry_date="2027-01-01"),
        "test": doc("t.pdf", DocType.TEST_REPORT, company_name=NAME, grades=["6061", "6063"], conclusion="合格",
                    cma=True, testing_agency="国家有色金属质量检验检测中心"),
        "patent": doc("p.pdf", DocType.PATENT_CERTIFICATE, company_name=NAME),
        "satisfaction": doc("s.pdf", DocType.SATISFACTION_REPORT, company_name=NAME, satisfaction_score=86.5),
    }
    for key, value in changes.items():
        if value is None:
            docs.pop(key)
        else:
            docs[key] = value
    return list(docs.values())


def run(docs: list[DocumentReport], profile: str = "nonferrous-brand-2024", as_of: date = date(2024, 8, 31),
        applicant: Applicant | None = None, text_chars: dict[str, int] | None = None,
        texts: dict[str, str] | None = None) -> list:  # type: ignore[type-arg]
    facts = BundleFacts(docs, applicant or Applicant(company_name=NAME, credit_code=CODE), as_of,
                        get_profile(profile), text_chars or {}, texts or {})
    return judge(facts)


def rules(findings: list) -> list[str]:  # type: ignore[type-arg]
    return [f.rule for f in findings if f.severity != Severity.INFO]


def test_a_clean_bundle_has_no_finding_and_passes() -> None:
    found = run(brand_bundle())
    assert found == []
    assert verdict(found, unreadable=False).value == "pass"


def test_expired_ohs_certificate_is_an_error_told_in_chinese_dates() -> None:
    ohs = doc("o.pdf", DocType.OHSMS_CERTIFICATE, company_name=NAME, standard="GB/T 45001-2020",
              expiry_date="2024-05-10")
    [finding] = run(brand_bundle(ohs=ohs))
    assert finding.rule == "certificate_expired" and finding.severity == Severity.ERROR
    assert "职业健康安全管理体系认证证书已于2024年5月10日过期，早于截止日2024年8月31日" in finding.message
    assert finding.documents == ["o.pdf"] and finding.evidence


def test_as_of_moves_the_validity_check() -> None:
    assert rules(run(brand_bundle(), as_of=date(2026, 6, 1))) == ["certificate_expired"]


def test_a_missing_required_certificate_is_an_error_naming_its_type_and_article() -> None:
    [finding] = run(brand_bundle(ems=None))
    assert finding.rule == "missing_document" and finding.documents == [] and finding.expected == "ems_certificate"
    assert "环境管理体系认证证书" in finding.message and "第五条（四）" in finding.message


def test_an_old_ohs_standard_is_a_standard_mismatch() -> None:
    ohs = doc("o.pdf", DocType.OHSMS_CERTIFICATE, company_name=NAME, standard="GB/T 28001-2011",
              expiry_date="2026-01-01")
    assert rules(run(brand_bundle(ohs=ohs))) == ["certificate_standard_mismatch"]


@pytest.mark.parametrize(("level", "score", "expected"), [
    ("优质品牌", 75.0, []), ("优质品牌", 74.5, ["satisfaction_below_threshold"]),
    ("卓越品牌", 80.5, ["satisfaction_below_threshold"]), ("卓越品牌", 85.0, []),
])
def test_the_satisfaction_threshold_follows_the_applied_level(level: str, score: float, expected: list[str]) -> None:
    form = doc("申报书.docx", DocType.APPLICATION_FORM, TextSource.DOCX, company_name=NAME, credit_code=CODE,
               applied_level=level, grades=["6061", "6063"])
    sat = doc("s.pdf", DocType.SATISFACTION_REPORT, company_name=NAME, satisfaction_score=score)
    assert rules(run(brand_bundle(form=form, satisfaction=sat))) == expected


def test_failed_test_and_missing_cma_are_errors() -> None:
    test = doc("t.pdf", DocType.TEST_REPORT, company_name=NAME, grades=["6061", "6063"], conclusion="不合格",
               cma=False)
    assert sorted(rules(run(brand_bundle(test=test)))) == ["test_report_failed", "test_report_not_cma"]


def test_grades_not_covered_are_judged_on_the_word_form_and_name_every_form_listing_them() -> None:
    test = doc("t.pdf", DocType.TEST_REPORT, company_name=NAME, grades=["6061"], conclusion="合格", cma=True)
    [finding] = run(brand_bundle(test=test))
    assert finding.rule == "test_report_grades_incomplete"
    assert finding.documents == ["申报书.docx", "申报书（盖章扫描件）.pdf"] and "6063" in finding.message
    misread = doc("申报书（盖章扫描件）.pdf", DocType.APPLICATION_FORM, TextSource.OCR, [seal(NAME)],
                  company_name=NAME, credit_code=CODE, grades=["6O61", "6063"])  # OCR slip on the scan only
    assert run(brand_bundle(scan=misread)) == []


def test_a_grade_the_report_prints_anywhere_is_covered_though_its_grades_field_missed_it() -> None:
    test = doc("t.pdf", DocType.TEST_REPORT, company_name=NAME, grades=["6061"], conclusion="合格", cma=True)
    results = "检验结果\n牌号 检验项目 实测值\n6061 抗拉强度 290\n6063 抗拉强度 291\n"
    assert run(brand_bundle(test=test), texts={"t.pdf": results}) == []
    elsewhere = "检验依据 GB/T 16063-2017\n"  # 6063 inside another number is not the grade
    assert [f.rule for f in run(brand_bundle(test=test), texts={"t.pdf": elsewhere})] == [
        "test_report_grades_incomplete"]


def test_benign_name_variants_are_not_mismatches() -> None:
    applicant = Applicant(company_name="金昌锦江铜业（集团）有限公司", credit_code=CODE)
    docs = [doc("a.pdf", DocType.QMS_CERTIFICATE, company_name="金昌锦江铜业(集团)有限公司"),
            doc("b.pdf", DocType.TEST_REPORT, company_name="金昌锦江铜业 （集团） 有限公司"),
            doc("c.pdf", DocType.BUSINESS_LICENSE, company_name="金昌锦江铜业（集团）有限责任公司", credit_code=CODE)]
    assert rules(run(docs, "generic", applicant=applicant)) == []


def test_legal_form_variant_with_another_code_is_a_mismatch() -> None:
    other = "91350100M000100Y43"[:-1] + "0"
    docs = [doc("c.pdf", DocType.BUSINESS_LICENSE, company_name="洛阳博威有色金属有限公司", credit_code=other)]
    found = rules(run(docs, "generic"))
    assert "company_name_mismatch" in found and "credit_code_mismatch" in found


def test_a_doubtful_ocr_reading_near_the_applicant_is_not_a_mismatch() -> None:
    near = [Doubt.NEAR_APPLICANT]  # what the agreement step marks a near miss with
    docs = [doc("q.pdf", DocType.QMS_CERTIFICATE, TextSource.OCR,
                company_name=fv("洛阳博威有色金屬有限责任公司", 0.45, doubt=near),
                credit_code=fv("91350100M000100Y48", 0.45, doubt=near), certificate_number="00124Q31234R0M",
                expiry_date="2026-01-01")]
    found = run(docs, "generic")
    assert "company_name_mismatch" not in rules(found) and "credit_code_mismatch" not in rules(found)
    [invalid] = found  # the misread code still fails its check: a warning, not an error
    assert invalid.rule == "credit_code_invalid" and invalid.severity == Severity.WARNING


def test_the_same_wrong_code_on_the_word_form_and_its_scan_is_one_finding_naming_both() -> None:
    bad = CODE[:-1] + "8"
    form = doc("申报书.docx", DocType.APPLICATION_FORM, TextSource.DOCX, company_name=NAME, credit_code=bad)
    scan = doc("申报书（盖章）.pdf", DocType.APPLICATION_FORM, TextSource.TEXT_LAYER, company_name=NAME,
               credit_code=bad)
    invalid = [f for f in run([form, scan], "generic") if f.rule == "credit_code_invalid"]
    assert len(invalid) == 1 and invalid[0].documents == ["申报书.docx", "申报书（盖章）.pdf"]


def test_a_certification_body_or_lab_is_never_taken_for_the_applicant() -> None:
    # the certificate names its body, the report its lab: neither may become, or clash with, the applicant
    docs = brand_bundle()
    applicant = settle_applicant(docs)
    assert (applicant.company_name, applicant.credit_code) == (NAME, CODE)
    assert run(docs, "generic", applicant=applicant) == []


def test_a_scan_without_a_seal_is_missing_its_seal_but_the_word_form_never_is() -> None:
    scan = doc("申报书（盖章扫描件）.pdf", DocType.APPLICATION_FORM, TextSource.OCR, company_name=NAME,
               credit_code=CODE, grades=["6061", "6063"])
    [finding] = run(brand_bundle(scan=scan))
    assert finding.rule == "seal_missing" and finding.documents == ["申报书（盖章扫描件）.pdf"]


def test_a_sure_seal_of_another_company_is_an_error_and_a_doubtful_reading_only_a_note() -> None:
    other = doc("申报书（盖章扫描件）.pdf", DocType.APPLICATION_FORM, TextSource.OCR,
                [seal("厦门锦江铝材股份有限公司")], company_name=NAME, credit_code=CODE, grades=["6061", "6063"])
    [error] = run(brand_bundle(scan=other))
    assert (error.rule, error.severity) == ("seal_name_mismatch", Severity.ERROR)
    assert error.evidence[0].page == 1 and error.evidence[0].bbox is not None
    worn = doc("申报书（盖章扫描件）.pdf", DocType.APPLICATION_FORM, TextSource.OCR,
               [seal("洛阳博厰有邑金厲有眼责任公", 0.7)], company_name=NAME, credit_code=CODE, grades=["6061", "6063"])
    [note] = run(brand_bundle(scan=worn))
    assert (note.rule, note.severity) == ("seal_name_mismatch", Severity.INFO)
    assert verdict([note], unreadable=False).value == "pass"


def test_the_recommender_seal_is_compared_with_the_recommender_not_the_applicant() -> None:
    rec = doc("推荐表.pdf", DocType.RECOMMENDATION_FORM, TextSource.OCR, [seal("湖北省经济和信息化厅")],
              company_name=NAME, recommender="湖北省经济和信息化厅", signed_date="2021-06-01")
    letter = doc("承诺书.pdf", DocType.COMMITMENT_LETTER, TextSource.OCR, [seal(NAME)], company_name=NAME,
                 signed_date="2021-06-02")
    summary = doc("申报材料.docx", DocType.SUMMARY_REPORT, TextSource.DOCX, company_name=NAME)
    assert run([rec, letter, summary], "caq-benchmark-2021", date(2021, 6, 25)) == []


@pytest.mark.parametrize(("unit", "listed"), [("湖北省经济和信息化厅", True), ("湖北省经济和信息化斤", True),
                                              ("洛阳市有色金属行业协会", False)])
def test_the_recommender_must_be_one_of_the_49_units(unit: str, listed: bool) -> None:
    rec = doc("推荐表.pdf", DocType.RECOMMENDATION_FORM, TextSource.TEXT_LAYER, company_name=NAME, recommender=unit)
    found = rules(run([rec], "caq-benchmark-2021", date(2021, 6, 25)))
    assert ("recommender_not_listed" in found) != listed
    assert len(PROFILES["caq-benchmark-2021"].recommenders) == 49


@pytest.mark.parametrize(("signed", "late"), [("2021-05-10", False), ("2021-06-25", False), ("2021-07-02", True),
                                              ("2021-05-09", True)])
def test_dates_outside_the_notice_window(signed: str, late: bool) -> None:
    letter = doc("承诺书.pdf", DocType.COMMITMENT_LETTER, TextSource.DOCX, company_name=NAME, signed_date=signed)
    assert ("date_out_of_window" in rules(run([letter], "caq-benchmark-2021", date(2021, 6, 25)))) == late


@pytest.mark.parametrize(("team", "valid"), [("熔铸一班", True), ("质检组", True), ("精整工段", True),
                                             ("理化检测室", True), ("熔铸班组", False), ("先锋队伍建设", False)])
def test_team_names_follow_the_2026_naming_rule(team: str, valid: bool) -> None:
    form = doc("附件5.docx", DocType.APPLICATION_FORM, TextSource.DOCX, company_name=NAME, team_name=team)
    assert ("team_name_invalid" in rules(run([form], "nonferrous-qc-2026", date(2026, 5, 31)))) != valid


def test_more_than_ten_members_exceeds_the_limit() -> None:
    form = doc("附件1.docx", DocType.STATISTICS_FORM, TextSource.DOCX, company_name=NAME, member_count=12)
    [finding] = [f for f in run([form], "nonferrous-qc-2026", date(2026, 5, 31)) if f.rule == "member_limit_exceeded"]
    assert finding.expected == 10 and finding.actual == 12


def test_a_summary_under_3000_characters_is_a_warning() -> None:
    summary = doc("附件7.docx", DocType.SUMMARY_REPORT, TextSource.DOCX, company_name=NAME)
    found = run([summary], "nonferrous-qc-2026", date(2026, 5, 31), text_chars={"附件7.docx": 2040})
    [short] = [f for f in found if f.rule == "text_too_short"]
    assert short.severity == Severity.WARNING and "3000" in short.message
    found = run([summary], "nonferrous-qc-2026", date(2026, 5, 31), text_chars={"附件7.docx": 3100})
    assert "text_too_short" not in rules(found)


def test_an_illegible_licence_is_unreadable_not_missing() -> None:
    blurred = doc("营业执照.pdf", DocType.BUSINESS_LICENSE, TextSource.OCR)
    found = run(brand_bundle(licence=blurred))
    assert rules(found) == ["field_unreadable"]


def test_every_rule_of_the_contract_has_a_check() -> None:
    contract = {"file_unreadable", "missing_document", "field_unreadable", "credit_code_invalid",
                "credit_code_mismatch", "company_name_mismatch", "certificate_expired",
                "certificate_standard_mismatch", "test_report_failed", "test_report_not_cma",
                "test_report_grades_incomplete", "satisfaction_below_threshold", "seal_missing", "seal_name_mismatch",
                "recommender_not_listed", "date_out_of_window", "team_name_invalid", "member_limit_exceeded",
                "text_too_short"}
    assert contract - {r.rule for r in RULES} == {"file_unreadable"}  # that one is judge/readability.py


def test_every_rule_a_profile_applies_cites_an_article_of_its_notice() -> None:
    for name, profile in PROFILES.items():
        listed = rules_of(profile)
        assert listed, name
        for rule, _, articles in listed:
            if name != "generic" and rule not in ("field_unreadable", "credit_code_invalid", "credit_code_mismatch",
                                                  "company_name_mismatch", "test_report_failed", "certificate_expired"):
                assert articles and all(articles), (name, rule)


def test_two_missing_documents_are_two_findings() -> None:
    found = run(brand_bundle(ems=None, patent=None))
    assert sorted(f.expected for f in found if f.rule == "missing_document") == ["ems_certificate",
                                                                                "patent_certificate"]


def test_a_quality_team_of_23_on_the_team_form_is_not_over_the_qc_group_member_limit() -> None:
    """附件1 limits a QC 小组's member list to 10; 班组人数 on 附件5 (a 质量信得过班组) has no limit."""
    team_form = doc("附件5.docx", DocType.APPLICATION_FORM, TextSource.DOCX, company_name=NAME, member_count=23)
    assert "member_limit_exceeded" not in rules(run([team_form], "nonferrous-qc-2026", date(2026, 5, 31)))


def caq_bundle(material: DocumentReport) -> list[DocumentReport]:
    return [
        doc("推荐表.pdf", DocType.RECOMMENDATION_FORM, TextSource.OCR, [seal("中国有色金属工业协会")],
            company_name=NAME, recommender="中国有色金属工业协会", signed_date="2021-06-01"),
        doc("承诺书.pdf", DocType.COMMITMENT_LETTER, TextSource.OCR, [seal(NAME)], company_name=NAME,
            signed_date="2021-06-01"),
        material,
    ]


@pytest.mark.parametrize("doc_type", [DocType.SUMMARY_REPORT, DocType.APPLICATION_FORM])
def test_a_word_file_of_application_material_satisfies_the_2021_word_version_whatever_it_reads_as(
    doc_type: DocType,
) -> None:
    material = doc("申报材料.docx", doc_type, TextSource.DOCX, company_name=NAME)
    assert "missing_document" not in rules(run(caq_bundle(material), "caq-benchmark-2021", date(2021, 6, 25)))


def test_the_2021_application_material_only_as_a_pdf_lacks_its_word_version() -> None:
    material = doc("申报材料.pdf", DocType.SUMMARY_REPORT, TextSource.TEXT_LAYER, company_name=NAME)
    [missing] = [f for f in run(caq_bundle(material), "caq-benchmark-2021", date(2021, 6, 25))
                 if f.rule == "missing_document"]
    assert "Word" in missing.message and "word版" in missing.message


def test_a_summary_too_short_in_its_word_file_and_its_stamped_pdf_is_one_finding_naming_both() -> None:
    word = doc("附件7 活动总结.docx", DocType.SUMMARY_REPORT, TextSource.DOCX, company_name=NAME)
    scan = doc("附件7 活动总结（盖章）.pdf", DocType.SUMMARY_REPORT, TextSource.OCR, company_name=NAME)
    other = doc("附件8 另一份总结.docx", DocType.SUMMARY_REPORT, TextSource.DOCX, company_name=NAME)
    found = run([word, scan, other], "nonferrous-qc-2026", date(2026, 5, 31),
                text_chars={word.path: 2040, scan.path: 1987, other.path: 1500})
    short = [f for f in found if f.rule == "text_too_short"]
    assert sorted(sorted(f.documents) for f in short) == [[word.path, scan.path], [other.path]]


def test_a_document_of_no_contract_type_naming_another_company_is_no_mismatch_nor_witness() -> None:
    # an invoice or a supplier's financial report names other companies: that is what it is, not a
    # discrepancy; and it never outvotes the licence on who applies
    docs = brand_bundle(supplier=doc("供应商财报.pdf", DocType.OTHER, company_name="比亚迪股份有限公司"))
    assert "company_name_mismatch" not in rules(run(docs))
    many = [doc(f"发票{i}.pdf", DocType.OTHER, company_name="比亚迪股份有限公司") for i in range(5)]
    licence = doc("营业执照.pdf", DocType.BUSINESS_LICENSE, company_name=NAME)
    assert settle_applicant([*many, licence]).company_name == NAME


def test_a_date_printed_as_three_spaced_numbers_is_read_under_a_date_label_only() -> None:
    from extractor.understand.parsers import parse_date_value
    from extractor.understand.values import find_dates

    assert parse_date_value("2019 05 08") == ("2019-05-08", 0.9)
    assert parse_date_value("2019 13 08") is None  # no thirteenth month
    assert find_dates("订单 2019 05 08 件") == []  # in running text three numbers are not a date
