"""Seal verification: does the ring say the applicant's name? The CTC probability of the name on the
recogniser's per-frame output of the ring, not the similarity of its best reading."""

from __future__ import annotations

import itertools
import math
from datetime import date
from pathlib import Path

import numpy as np
import pytest

from extractor.judge.engine import judge
from extractor.judge.profiles import get_profile
from extractor.judge.rules.facts import BundleFacts
from extractor.judge.rules.seal_rules import MATCHED, match_seals
from extractor.ocr.ctc import compact, ctc_log_prob, dictionary_columns, ring_match, text_emissions, text_match
from extractor.ocr.types import OcrResult, SealRead
from extractor.settings import Settings
from models import Applicant, DocType, DocumentReport, Evidence, FieldValue, Seal, Severity, TextSource
from models.ring import RingProbs

ROOT = Path(__file__).resolve().parent.parent
ZHONGDAO = "北京中导开源科技有限公司"
OTHER = "昆明南山铜业有限责任公司"  # another company of the same length (gold/generator/facts.py)
LOOKALIKE = "北京中岛开源科技有限公司"


# -- the forward algorithm ------------------------------------------------------------------------


def _collapse(path: tuple[int, ...]) -> tuple[int, ...]:
    merged = [c for i, c in enumerate(path) if i == 0 or c != path[i - 1]]
    return tuple(c for c in merged if c != 0)


def _brute(probs: np.ndarray, labels: tuple[int, ...]) -> float:
    """P(labels) as the sum over every path of classes whose collapse is the labels."""
    frames, classes = probs.shape
    total = 0.0
    for path in itertools.product(range(classes), repeat=frames):
        if _collapse(path) == labels:
            total += math.prod(probs[t, c] for t, c in enumerate(path))
    return total


def _random_probs(frames: int, classes: int, seed: int) -> np.ndarray:
    x = np.random.default_rng(seed).random((frames, classes)) ** 3
    return x / x.sum(axis=1, keepdims=True)


DICT = ["blank", "a", "b", "c"]
COLUMNS = dictionary_columns(DICT)


@pytest.mark.parametrize("text", ["a", "ab", "aa", "abc", "aba"])
def test_ctc_forward_equals_the_brute_force_sum_over_alignments(text: str) -> None:
    probs = _random_probs(5, 4, seed=len(text))
    labels = tuple(DICT.index(c) for c in text)
    emit = text_emissions(probs, COLUMNS, text)
    assert math.exp(ctc_log_prob(emit, text)) == pytest.approx(_brute(probs, labels), rel=1e-9)


@pytest.mark.parametrize("text", ["a", "ab", "aa"])
def test_flanks_sum_every_placement_of_the_text_with_the_best_path_outside(text: str) -> None:
    probs = _random_probs(5, 4, seed=7)
    free = np.log(probs.max(axis=1))
    labels = tuple(DICT.index(c) for c in text)
    total = 0.0
    frames = probs.shape[0]
    for s in range(frames):
        for e in range(s, frames):
            outside = math.exp(free[:s].sum() + free[e + 1:].sum())
            inner = 0.0
            for path in itertools.product(range(4), repeat=e - s + 1):
                if path[0] == labels[0] and path[-1] == labels[-1] and _collapse(path) == labels:
                    inner += math.prod(probs[s + t, c] for t, c in enumerate(path))
            total += outside * inner
    emit = text_emissions(probs, COLUMNS, text)
    assert math.exp(ctc_log_prob(emit, text, free=free)) == pytest.approx(total, rel=1e-9)


def test_a_lost_character_costs_the_skip_probability() -> None:
    """With skip δ, P = Σ over the characters kept (in order) of δ^(lost) · P(the kept ones)."""
    probs = _random_probs(4, 4, seed=3)
    text, skip = "abc", 0.05
    total = 0.0
    for keep in itertools.product((0, 1), repeat=len(text)):
        kept = tuple(DICT.index(c) for c, k in zip(text, keep, strict=True) if k)
        total += skip ** (len(text) - sum(keep)) * _brute(probs, kept)
    emit = text_emissions(probs, COLUMNS, text)
    assert math.exp(ctc_log_prob(emit, text, skip=skip)) == pytest.approx(total, rel=1e-9)


# -- scores on hand-made output -------------------------------------------------------------------

NAMES = sorted(set(ZHONGDAO + OTHER + LOOKALIKE + "日醇導開铜业原"))
BIG = ["blank", *NAMES, *[chr(0x4E00 + i) for i in range(300)]]


def _frames(reading: list[dict[str, float]]) -> np.ndarray:
    """Two frames per character (its probabilities, the rest spread), a blank frame between."""
    rows = []
    for chars in reading:
        for _ in range(2):
            row = np.full(len(BIG), 1e-7)
            for ch, p in chars.items():
                row[BIG.index(ch)] = p
            row[0] = max(0.0, 1.0 - row.sum() + row[0])
            rows.append(row / row.sum())
        blank = np.full(len(BIG), 1e-7)
        blank[0] = 1.0
        rows.append(blank / blank.sum())
    return np.array(rows)


def _garbled_zhongdao() -> np.ndarray:
    """北京中导开源… read as 北京中日开醇…: 导 and 源 second to other characters, still likely."""
    reading = [{c: 0.95} for c in ZHONGDAO]
    reading[3] = {"日": 0.5, "导": 0.3, "岛": 1e-4}
    reading[5] = {"醇": 0.45, "源": 0.35}
    return _frames(reading)


def test_a_garbled_best_reading_still_confirms_the_true_name_and_a_wrong_name_scores_low() -> None:
    probs = _garbled_zhongdao()
    columns = dictionary_columns(BIG)
    assert text_match(probs, BIG, columns, ZHONGDAO) >= MATCHED
    assert text_match(probs, BIG, columns, OTHER) < 0.1
    assert text_match(probs, BIG, columns, "北京中岛开源铜业有限公司") < MATCHED  # two characters another's


def test_the_compact_form_scores_as_the_full_output_and_survives_the_ocr_cache() -> None:
    probs = _garbled_zhongdao()
    ring = compact(probs, BIG)
    columns = dictionary_columns(BIG)
    for name in (ZHONGDAO, OTHER, LOOKALIKE):
        assert ring_match(ring, name) == pytest.approx(text_match(probs, BIG, columns, name), abs=0.02)
    result = OcrResult(width=10, height=10, lines=[], seals=[
        SealRead(box=(0, 0, 5, 5), colour="red", shape="round", confidence=1.0, text="北京中日开醇", ring=ring)])
    again = OcrResult.model_validate_json(result.model_dump_json())
    assert again.seals[0].ring == ring
    assert ring_match(again.seals[0].ring, ZHONGDAO) == ring_match(ring, ZHONGDAO)


def test_a_traditional_name_or_ring_counts_as_its_simplified_form() -> None:
    traditional = compact(_frames([{c: 0.95} for c in "北京中導開源科技有限公司"]), BIG)
    assert ring_match(traditional, ZHONGDAO) == 1.0
    simplified = compact(_frames([{c: 0.95} for c in ZHONGDAO]), BIG)
    assert ring_match(simplified, "北京中導開源科技有限公司") == 1.0


# -- the rule ------------------------------------------------------------------------------------

NAME = "北京中导开源科技有限公司"
CODE = "91350100M000100Y43"


def _report_seal(text: str, ring: RingProbs | None, confidence: float = 0.99) -> Seal:
    return Seal(page=1, bbox=(0.2, 0.6, 0.4, 0.75), text=text, confidence=1.0, text_confidence=confidence, ring=ring)


def _facts(seal: Seal) -> BundleFacts:
    fv = FieldValue(value=NAME, confidence=0.95, evidence=[Evidence(path="x", text=NAME)])
    scan = DocumentReport(path="申报书（盖章扫描件）.pdf", sha256="0" * 64, media_type="application/pdf", pages=1,
                          text_source=TextSource.OCR, doc_type=DocType.APPLICATION_FORM,
                          fields={"company_name": fv}, seals=[seal])
    return BundleFacts([scan], Applicant(company_name=NAME, credit_code=CODE), date(2024, 8, 31),
                       get_profile("nonferrous-brand-2024"), {})


def _seal_findings(facts: BundleFacts) -> list:  # type: ignore[type-arg]
    return [f for f in judge(facts) if f.rule == "seal_name_mismatch"]


def test_a_seal_confirmed_by_ctc_is_no_mismatch_though_its_reading_is_garbled() -> None:
    ring = compact(_garbled_zhongdao(), BIG)
    facts = _facts(_report_seal("北京中日开醇科技有限公司", ring, confidence=0.99))
    assert _seal_findings(facts) == []
    match_seals(facts)
    [seal] = facts.documents[0].seals
    assert seal.match_confidence is not None and seal.match_confidence >= MATCHED
    dumped = facts.documents[0].model_dump(mode="json")["seals"][0]
    assert dumped["match_confidence"] == seal.match_confidence and "ring" not in dumped


def test_a_sure_ring_that_says_another_name_is_a_mismatch_even_when_its_reading_looks_alike() -> None:
    other = LOOKALIKE.replace("源", "原")  # two characters another company's (one alone is a misread glyph)
    ring = compact(_frames([{c: 0.999} for c in other]), BIG)  # as peaked as real output
    [found] = _seal_findings(_facts(_report_seal(other, ring, confidence=0.99)))
    assert found.severity == Severity.ERROR  # similarity alone (0.83) would have let it through


def test_a_sure_ring_one_character_from_the_expected_name_is_a_misread_glyph_noted_not_an_error() -> None:
    slip = NAME.replace("源", "醇")  # 宁波永兴锅材 for 宁波永兴铜材 in a family bundle: one glyph misread
    ring = compact(_frames([{c: 0.999} for c in slip]), BIG)
    [found] = _seal_findings(_facts(_report_seal(slip, ring, confidence=0.99)))
    assert found.severity == Severity.INFO and "人工核对" in found.message


def test_a_fairly_sure_ring_that_clearly_says_another_company_is_an_error() -> None:
    ring = compact(_frames([{c: 0.93} for c in OTHER]), BIG)  # read at 0.93: short of SURE_READING
    [found] = _seal_findings(_facts(_report_seal(OTHER, ring, confidence=0.93)))
    assert found.severity == Severity.ERROR  # both the CTC match and the reading deny the applicant


# -- the real recogniser ---------------------------------------------------------------------------


@pytest.fixture(scope="module")
def engine():  # type: ignore[no-untyped-def]
    from extractor.ocr.rapid import RapidOcrEngine

    return RapidOcrEngine(Settings())


def _read(engine, image: np.ndarray) -> SealRead:  # type: ignore[no-untyped-def]
    from extractor.ocr.seal_reader import read_seal
    from extractor.vision.seal_detect import find_seals

    [shape] = find_seals(image)
    return read_seal(engine, image, shape)


def test_a_real_ring_confirms_its_name_and_not_another(engine, testdata: Path) -> None:  # type: ignore[no-untyped-def]
    import cv2

    image = cv2.imread(str(testdata / "real" / "getseal_zhongdao_crop.png"))
    seal = _read(engine, image)
    assert seal.ring is not None and len(seal.ring.model_dump_json()) < 4000
    assert ring_match(seal.ring, ZHONGDAO) >= MATCHED
    assert ring_match(seal.ring, OTHER) < 0.1
    assert ring_match(seal.ring, LOOKALIKE) < MATCHED
    covered = image.copy()
    covered[40:90, 190:240] = 255  # 技 under a white patch: the best reading loses it
    worn = _read(engine, covered)
    assert worn.text != ZHONGDAO
    assert ring_match(worn.ring, ZHONGDAO) >= MATCHED
    assert ring_match(worn.ring, OTHER) < 0.1


def test_a_gold_scan_seal_read_garbled_still_confirms_its_company(engine) -> None:  # type: ignore[no-untyped-def]
    from benchmarks.bench_seal_verify import page_images, upright_seals

    scan = ROOT / "gold/bundles/qc-2026-06-text_too_short/附件5 质量信得过班组建设经验申报表（盖章）.pdf"
    if not scan.exists():
        pytest.skip("gold corpus not generated")
    [(_, image)] = list(page_images(scan, Settings(), {1}))
    [seal] = upright_seals(engine, image)
    true_name = "鹰潭金瑞有色金属股份有限公司"
    assert seal.ring is not None
    assert ring_match(seal.ring, true_name) >= MATCHED
    assert ring_match(seal.ring, "株洲众诚铝业（集团）有限公司") < 0.1
