"""The value normalisers of extractor.understand.values, with clean and OCR-damaged inputs."""

import pytest

from extractor.understand.values import (
    CompanyMatch,
    Found,
    Validity,
    cn_number,
    count_names,
    find_dates,
    find_standards,
    fold,
    normalise_company,
    normalise_standard,
    parse_conclusion,
    parse_date,
    parse_grades,
    parse_member_count,
    parse_score,
    parse_validity,
    same_company,
)

# -- folding -------------------------------------------------------------------------------------


@pytest.mark.parametrize("text", ["２０２４年８月３１日", "GB／T 19001—2016", "㈱ＡＢＣ", "満"])
def test_fold_keeps_the_length_so_spans_index_the_input(text: str) -> None:
    assert len(fold(text)) == len(text)


def test_fold_maps_full_width_and_dashes_to_ascii() -> None:
    assert fold("２０２４－０８／ＧＢ—") == "2024-08/GB-"


# -- Chinese numerals ----------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("二〇二四", 2024),
        ("二零二四", 2024),
        ("三十一", 31),
        ("十二", 12),
        ("十", 10),
        ("二十", 20),
        ("一百零五", 105),
        ("两千零二十四", 2024),
        ("一百五", 150),
        ("一千零一十", 1010),
        ("２０２４", 2024),
        ("31", 31),
        (" 十一 ", 11),
    ],
)
def test_cn_number_reads_digit_runs_and_positional_numerals(text: str, expected: int) -> None:
    assert cn_number(text) == expected


@pytest.mark.parametrize("text", ["", "百", "三四十", "一百十", "十十", "二〇二四年", "abc", "3十"])
def test_cn_number_refuses_what_is_not_a_number(text: str) -> None:
    assert cn_number(text) is None


# -- dates ---------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "text",
    [
        "2024年8月31日",
        "2024年08月31日",
        "2024 年 8 月 31 日",
        "2024.08.31",
        "2024.8.31",
        "2024-8-31",
        "2024/8/31",
        "2024-08-31",
        "2024—08—31",
        "二〇二四年八月三十一日",
        "二零二四年八月三十一日",
        "２０２４年８月３１日",
        "２０２４．０８．３１",
        "20240831",
        "2024年8月31曰",
        "2024年8月31",
    ],
)
def test_parse_date_reads_the_written_forms(text: str) -> None:
    found = parse_date(text)
    assert found == Found("2024-08-31", 0, len(text))


@pytest.mark.parametrize(
    "text",
    ["2O24年8月31日", "2024年O8月3l日", "2024.O8.3I", "2024-08-3|", "2〇24年8月31日", "2O24-08-31"],
)
def test_parse_date_reads_ocr_look_alikes_inside_a_date(text: str) -> None:
    found = parse_date(text)
    assert found is not None and found.value == "2024-08-31"


@pytest.mark.parametrize(
    "text",
    [
        "2024年8月",  # year and month only
        "2024-02-30",
        "2023年2月29日",
        "2024年13月1日",
        "120240831",  # part of a longer digit run
        "202408311",
        "报告编号 YS20240831",
        "20240831-001",
        "18880101",  # a bare 8-digit run outside 1990–2099
        "GB/T 19001-2016",
        "YS/T 455.1-2014",
        "OOOO-OO-OO",  # no real digit: not a date
        "",
    ],
)
def test_parse_date_refuses_what_is_not_a_full_valid_date(text: str) -> None:
    assert parse_date(text) is None


def test_parse_date_span_points_at_the_date_inside_a_label_line() -> None:
    text = "签发日期：2024年8月31日（盖章）"
    found = parse_date(text)
    assert found is not None and text[found.start:found.end] == "2024年8月31日"


def test_find_dates_returns_every_date_in_reading_order() -> None:
    text = "发证日期：2023年10月30日 有效期至：2026.10.29"
    assert [f.value for f in find_dates(text)] == ["2023-10-30", "2026-10-29"]


def test_find_dates_keeps_a_dash_range_as_two_dates() -> None:
    assert [f.value for f in find_dates("2021-03-01-2024-02-28")] == ["2021-03-01", "2024-02-28"]


# -- validity ------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "text",
    [
        "2021年3月1日至2024年2月28日",
        "2021.03.01-2024.02.28",
        "2021-03-01～2024-02-28",
        "2021-03-01~2024-02-28",
        "自2021年3月1日起至2024年2月28日止",
        "2021年3月1日到2024年2月28日",
        "2021.03.01一2024.02.28",  # OCR reads the dash as 一
        "2021年3月1日 2024年2月28日",  # OCR lost 至
    ],
)
def test_parse_validity_reads_a_range(text: str) -> None:
    found = parse_validity(text)
    assert found is not None and found.value == Validity("2021-03-01", "2024-02-28", False)


def test_parse_validity_takes_the_joined_pair_after_an_issue_date() -> None:
    found = parse_validity("发证日期：2023年10月30日 有效期：2023年10月30日至2026年10月29日")
    assert found is not None and found.value == Validity("2023-10-30", "2026-10-29", False)


@pytest.mark.parametrize("text", ["2015年6月12日至长期", "2015年6月12日 长期有效", "2015-06-12 至 长期"])
def test_parse_validity_reads_an_open_end(text: str) -> None:
    found = parse_validity(text)
    assert found is not None and found.value == Validity("2015-06-12", None, True)
    assert found.end == len(text)


@pytest.mark.parametrize("text", ["有效期至2026年10月29日", "2026年10月29日", "有效期：2026.10.29"])
def test_parse_validity_reads_a_lone_date_as_the_end(text: str) -> None:
    found = parse_validity(text)
    assert found is not None and found.value == Validity(None, "2026-10-29", False)


def test_parse_validity_reads_a_lone_start() -> None:
    found = parse_validity("自2021年3月1日起")
    assert found is not None and found.value == Validity("2021-03-01", None, False)


def test_parse_validity_reads_long_term_without_dates() -> None:
    found = parse_validity("长期")
    assert found is not None and found.value == Validity(None, None, True)


def test_parse_validity_without_a_date_is_none() -> None:
    assert parse_validity("本证书有效期内须接受年度监督审核") is None


# -- scores --------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("86.5分", 86.5),
        ("满意度指数为86.5", 86.5),
        ("用户满意度得分：86.50", 86.5),
        ("综合满意度 86.5%", 86.5),
        ("86.5（百分制）", 86.5),
        ("满意度指数 86.5 分", 86.5),
        ("综合满意度得分 92.0 分（百分制）", 92.0),
        ("CSI = 86.5", 86.5),
        ("满意度指数 88", 88.0),
        ("８６．５分", 86.5),
        ("86.5", 86.5),
        ("满意度得分：100分", 100.0),
    ],
)
def test_parse_score_reads_the_headline_figure(text: str, expected: float) -> None:
    found = parse_score(text)
    assert found is not None and found.value == pytest.approx(expected)


@pytest.mark.parametrize(
    "text",
    [
        "2024年用户满意度调查，样本量80，满意度指数为86.5。用户满意率 95%",
        "满意度测评：品牌形象 85.2 分；用户满意度指数 86.5",
        "报告编号：YS2024-26084 满意度指数 86.5",
        "依据T/CAQ 10306-2022，满意度指数：86.5",
        "满意度指数86.5，2024年8月",
        "测评时间 2024年8月31日，满意度得分 86.5 分",
    ],
)
def test_parse_score_skips_years_dates_samples_and_report_numbers(text: str) -> None:
    found = parse_score(text)
    assert found is not None and found.value == pytest.approx(86.5)


@pytest.mark.parametrize(
    "text",
    [
        "样本量 1200",
        "样本量 80",
        "有效样本 312 份",
        "用户满意率 92%",
        "满意度指数 865",  # a lost decimal point is over 100
        "2024年8月",
        "报告编号：YS2024-26084",
        "品牌形象 85",  # no score keyword, no 分: not the headline
        "",
    ],
)
def test_parse_score_refuses_what_is_not_a_score(text: str) -> None:
    assert parse_score(text) is None


def test_parse_score_span_points_at_the_number() -> None:
    text = "满意度指数为86.5"
    found = parse_score(text)
    assert found is not None and text[found.start:found.end] == "86.5"


# -- grades --------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("5052、5A06、3003", ["5052", "5A06", "3003"]),
        ("T2，T3，TU1", ["T2", "T3", "TU1"]),
        ("6061/6063/6082", ["6061", "6063", "6082"]),
        ("H62; H65", ["H62", "H65"]),
        ("5052 5A06 3003", ["5052", "5A06", "3003"]),
        ("1060, 3003, 5052", ["1060", "3003", "5052"]),
        ("Al99.70、C1100、HPb59-1", ["Al99.70", "C1100", "HPb59-1"]),
        ("QSn6.5-0.1、TU1、H62", ["QSn6.5-0.1", "TU1", "H62"]),
        ("BZn18-26，H68，TP2", ["BZn18-26", "H68", "TP2"]),
        ("C19400 2A12", ["C19400", "2A12"]),
        ("5052、5052、5A06", ["5052", "5A06"]),
        ("t2、tu1、5a06", ["T2", "TU1", "5A06"]),
        ("qsn6.5-0.1, hpb59-1, bzn18-26", ["QSn6.5-0.1", "HPb59-1", "BZn18-26"]),
        ("HPb59—1", ["HPb59-1"]),
        ("５０５２、５Ａ０６", ["5052", "5A06"]),
        ("6063-T5", ["6063-T5"]),
        ("1060-O", ["1060-O"]),
    ],
)
def test_parse_grades_splits_cleans_and_dedupes(text: str, expected: list[str]) -> None:
    found = parse_grades(text)
    assert found is not None and found.value == expected


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("SA06、3003", ["5A06", "3003"]),
        ("6O63、6061", ["6063", "6061"]),
        ("H6Z、H65", ["H62", "H65"]),
        ("TUl、T2", ["TU1", "T2"]),
        ("5AO6", ["5A06"]),
    ],
)
def test_parse_grades_repairs_ocr_look_alikes(text: str, expected: list[str]) -> None:
    found = parse_grades(text)
    assert found is not None and found.value == expected


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("5052（GB/T 3880.1-2023）", ["5052"]),
        ("T2 0.5mm", ["T2"]),
        ("2024年 T2", ["T2"]),
    ],
)
def test_parse_grades_ignores_standards_sizes_and_years(text: str, expected: list[str]) -> None:
    found = parse_grades(text)
    assert found is not None and found.value == expected


@pytest.mark.parametrize("text", ["", "、，/ ", "详见附件", "3"])
def test_parse_grades_without_a_grade_is_none(text: str) -> None:
    assert parse_grades(text) is None


def test_parse_grades_span_runs_from_first_to_last_grade() -> None:
    text = "牌号：5052、5A06。"
    found = parse_grades(text)
    assert found is not None and text[found.start:found.end] == "5052、5A06"


# -- standards -----------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("GB/T19001-2016 idt ISO9001:2015", "GB/T 19001-2016"),
        ("GB/T19001-2016(idt ISO 9001:2015)", "GB/T 19001-2016"),
        ("GB/T 19001—2016", "GB/T 19001-2016"),
        ("GB／T 24001-2016", "GB/T 24001-2016"),
        ("GB/T 28001-2011/OHSAS 18001:2007", "GB/T 28001-2011"),
        ("GB/T28001-2011/OHSAS18001:2007", "GB/T 28001-2011"),
        ("GB/T 45001-2020/ISO 45001:2018", "GB/T 45001-2020"),
        ("GB/T 45001-2020 / ISO 45001:2018", "GB/T 45001-2020"),
        ("GB 5009.3-2016", "GB 5009.3-2016"),
        ("YS/T 455.1-2014", "YS/T 455.1-2014"),
        ("GB/T 3880.1-2023", "GB/T 3880.1-2023"),
        ("ISO 9001:2015", "ISO 9001:2015"),
        ("ISO9001：2015", "ISO 9001:2015"),
        ("gb/t 19001-2016", "GB/T 19001-2016"),
        ("GB / T 19001 - 2016", "GB/T 19001-2016"),
        ("T/CAQ 10306-2022", "T/CAQ 10306-2022"),
        ("所建立的质量管理体系符合标准 GB/T 19001-2016 idt ISO 9001:2015", "GB/T 19001-2016"),
        ("GB/T 5231", "GB/T 5231"),
    ],
)
def test_normalise_standard(text: str, expected: str) -> None:
    assert normalise_standard(text) == expected


@pytest.mark.parametrize("text", ["GB/T 19001-2016", "GB/T 28001-2011", "ISO 9001:2015"])
def test_normalise_standard_is_idempotent(text: str) -> None:
    assert normalise_standard(normalise_standard(text) or "") == text


@pytest.mark.parametrize("text", ["", "质量管理体系", "20240831"])
def test_normalise_standard_without_a_standard_is_none(text: str) -> None:
    assert normalise_standard(text) is None


def test_find_standards_lists_every_standard_with_spans() -> None:
    text = "检验依据：GB/T 5231-2012、GB/T 3880.1-2012"
    found = find_standards(text)
    assert [f.value for f in found] == ["GB/T 5231-2012", "GB/T 3880.1-2012"]
    assert [text[f.start:f.end] for f in found] == ["GB/T 5231-2012", "GB/T 3880.1-2012"]


def test_find_standards_does_not_list_the_iso_equivalent_separately() -> None:
    assert [f.value for f in find_standards("GB/T 45001-2020/ISO 45001:2018")] == ["GB/T 45001-2020"]


# -- companies -----------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("厦门金瑞铜材(集团)有限公司", "厦门金瑞铜材（集团）有限公司"),
        ("厦门金瑞铜材（集团）有限公司", "厦门金瑞铜材（集团）有限公司"),
        (" 洛阳博威 有色金属 有限责任公司 ", "洛阳博威有色金属有限责任公司"),
        ("洛阳博威有色金属有限责任公司。", "洛阳博威有色金属有限责任公司"),
        ("：洛阳博威有色金属有限责任公司；", "洛阳博威有色金属有限责任公司"),
        ("ＡＢＣ铜业有限公司", "ABC铜业有限公司"),
    ],
)
def test_normalise_company(text: str, expected: str) -> None:
    assert normalise_company(text) == expected


@pytest.mark.parametrize(
    ("a", "b", "expected"),
    [
        ("厦门金瑞铜材(集团)有限公司", "厦门金瑞铜材（集团）有限公司", CompanyMatch.EXACT),
        ("金昌明泰铜材 有限公司", "金昌明泰铜材有限公司", CompanyMatch.EXACT),
        ("金昌明泰铜材有限责任公司", "金昌明泰铜材有限公司", CompanyMatch.LEGAL_FORM),
        ("金昌明泰铜材有限公司", "金昌明泰铜材有限责任公司", CompanyMatch.LEGAL_FORM),
        ("金昌明泰铜材股份有限公司", "金昌明泰铜材有限公司", CompanyMatch.DIFFERENT),
        ("金昌明泰铜材有限公司", "金昌明泰铜材有限公司洛阳分公司", CompanyMatch.DIFFERENT),
        ("金昌明泰铜材有限公司", "金昌明泰铜业有限公司", CompanyMatch.DIFFERENT),
        ("", "", CompanyMatch.DIFFERENT),
    ],
)
def test_same_company(a: str, b: str, expected: CompanyMatch) -> None:
    assert same_company(a, b) is expected


def test_company_match_refuses_truth_testing() -> None:
    with pytest.raises(TypeError):
        bool(same_company("甲有限公司", "甲有限公司"))


# -- member counts -------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("小组成员：5人", 5),
        ("共 9 人", 9),
        ("成员人数 11", 11),
        ("成员人数：11人", 11),
        ("十一人", 11),
        ("共十人", 10),
        ("小组人数为8", 8),
        ("共６人", 6),
        ("小组成员名单（限 10 人）：张三、李四，共 2 人", 2),
    ],
)
def test_parse_member_count(text: str, expected: int) -> None:
    found = parse_member_count(text)
    assert found is not None and found.value == expected


@pytest.mark.parametrize("text", ["小组成员名单（限 10 人）", "人数1200", "0人", "张三、李四", "人民"])
def test_parse_member_count_refuses_limits_and_non_counts(text: str) -> None:
    assert parse_member_count(text) is None


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("张三、李四、王五", 3),
        ("张三，李四,王五；赵六", 4),
        ("张三（组长）、李四、王五等", 3),
        ("张  三、李四", 2),
        ("张三 李四 王五", 3),
        ("张三", 1),
        ("", 0),
        ("、、", 0),
    ],
)
def test_count_names(text: str, expected: int) -> None:
    assert count_names(text) == expected


# -- conclusions ---------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("检验结论：所检项目符合GB/T 5231-2012要求，判定为合格", "合格"),
        ("判定：合格", "合格"),
        ("该批产品所检项目合格", "合格"),
        ("所检项目符合标准要求", "合格"),
        ("经检验，样品满足 GB/T 3880.1-2023 要求", "合格"),
        ("判定为不合格", "不合格"),
        ("所检项目中抗拉强度不符合GB/T 5231-2012要求", "不合格"),
        ("所检项目符合要求，但导电率不合格", "不合格"),
        ("判定为不 合 格", "不合格"),
        ("判定为不台格", "不合格"),  # OCR: 台 for 合
        ("未发现不合格项", "合格"),
        ("无不符合项，判定为合格", "合格"),
    ],
)
def test_parse_conclusion(text: str, expected: str) -> None:
    found = parse_conclusion(text)
    assert found is not None and found.value == expected


@pytest.mark.parametrize("text", ["仅提供检测数据，不作判定", "产品合格率 98%", "见附页", "", "合格证编号 123"])
def test_parse_conclusion_without_a_verdict_is_none(text: str) -> None:
    assert parse_conclusion(text) is None


def test_parse_conclusion_span_points_at_the_negative() -> None:
    text = "检验结论：判定为不合格"
    found = parse_conclusion(text)
    assert found is not None and text[found.start:found.end] == "不合格"
