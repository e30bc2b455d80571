"""OCR repair and location of credit codes, on the valid vectors of shared/testdata/uscc damaged by look-alikes."""

import csv
from pathlib import Path

import pytest

from extractor.understand.credit_code import KNOWN_NONCONFORMING, RepairResult, find_codes, repair

DAMAGE = {"0": "O", "1": "I", "2": "Z", "5": "S", "8": "B"}


@pytest.fixture(scope="module")
def valid_codes(testdata: Path) -> list[str]:
    with (testdata / "uscc" / "uscc_vectors.csv").open(encoding="utf-8") as fh:
        codes = [row["code"] for row in csv.DictReader(fh) if row["recomputed"] == "checksum_ok"]
    assert len(codes) == 401
    return codes


def damaged(code: str, position: int) -> str:
    return code[:position] + DAMAGE[code[position]] + code[position + 1:]


# -- unchanged -----------------------------------------------------------------------------------


def test_every_valid_vector_comes_back_unchanged(valid_codes: list[str]) -> None:
    for code in valid_codes:
        assert repair(code) == RepairResult(code, False, (code,))


@pytest.mark.parametrize("code", sorted(KNOWN_NONCONFORMING))
def test_known_nonconforming_code_is_accepted_as_read(code: str) -> None:
    assert repair(code) == RepairResult(code, False, (code,))


@pytest.mark.parametrize(
    "text",
    ["９１３５０１００Ｍ０００１００Ｙ４３", "9135 0100 M000 100Y 43", "91350100-M000100Y4-3", "91350100m000100y43"],
)
def test_layout_noise_is_not_a_repair(text: str) -> None:
    assert repair(text) == RepairResult("91350100M000100Y43", False, ("91350100M000100Y43",))


# -- repaired ------------------------------------------------------------------------------------


def test_every_letter_that_never_occurs_is_repaired_exactly(valid_codes: list[str]) -> None:
    """0→O, 1→I, 2→Z, 5→S at any one position: the letter has a single digit it can stand for."""
    wrong = []
    for code in valid_codes:
        for i, ch in enumerate(code):
            if ch in "0125":
                result = repair(damaged(code, i))
                if result != RepairResult(code, True, (code,)):
                    wrong.append((code, i, result))
    assert wrong == []


def test_8_read_as_b_is_repaired_exactly_or_left_ambiguous(valid_codes: list[str]) -> None:
    """B is a valid letter: the check must find the 8, and never settles on a wrong code."""
    repaired = ambiguous = 0
    for code in valid_codes:
        for i, ch in enumerate(code):
            if ch == "8":
                result = repair(damaged(code, i))
                assert result.code in (code, None), (code, i, result)
                assert code in result.candidates
                repaired += result.code == code
                ambiguous += result.code is None
    assert repaired > 0.95 * (repaired + ambiguous)


@pytest.mark.parametrize(
    ("read", "expected"),
    [
        ("9135O1OOM000100Y43", "91350100M000100Y43"),  # DOMAIN §1.10: the pre-pass alone
        ("913501OOMOOO1OOY43", "91350100M000100Y43"),  # more O than the swap bound: deterministic
        ("91350100M000100V43", "91350100M000100Y43"),  # V: U or Y, only Y passes
        ("9142000075701313TP", "91420000757013137P"),  # 7 read as T
        ("91350l00M000100Y43", "91350100M000100Y43"),  # lower-case l
        ("9l350100M000100Y43", "91350100M000100Y43"),
        ("913S0100M000100Y43", "91350100M000100Y43"),  # a letter in the region code
        ("91350100MOOO1OOY43", "91350100M000100Y43"),  # O in the organisation code
    ],
)
def test_single_look_alike_errors_are_repaired(read: str, expected: str) -> None:
    result = repair(read)
    assert result == RepairResult(expected, True, (expected,))


def test_two_letters_that_never_occur_are_both_repaired() -> None:
    result = repair("91310115MAIK3BTPZB")  # 1→I and 2→Z, both letters that never occur
    assert result == RepairResult("91310115MA1K3BTP2B", True, ("91310115MA1K3BTP2B",))


# -- not repaired --------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("read", "truth"),
    [
        ("916201057B9620900B", "91620105789620900B"),  # 8→B; 8→B+6→G elsewhere passes too
        ("91620105789G20900B", "91620105789620900B"),
        ("91310120350970859B", "913101203509708598"),  # the check character itself
        ("92340603MA2P8QGB6M", "92340603MA2PBQGB6M"),  # B read as 8
    ],
)
def test_a_damage_that_two_candidates_pass_is_not_repaired(read: str, truth: str) -> None:
    result = repair(read)
    assert result.code is None and not result.repaired
    assert truth in result.candidates and len(result.candidates) >= 2


def test_a_true_code_failing_the_inner_check_is_offered_not_chosen() -> None:
    result = repair("911101005JLR20JRG0")  # 911101005JLR20JR60 fails GB 11714, so swaps cannot confirm it
    assert result.code is None and result.candidates == ("911101005JLR20JR60",)


@pytest.mark.parametrize(
    "read",
    [
        "91350100M000100Y4",  # 17 characters
        "91350100M000100Y433",
        "",
        "O1350100M000100Y43",  # 0 cannot open a code
        "91350M00M000100Y43",  # M in the region code has no digit look-alike
        "91350100M000100Y44",  # a wrong check character that no look-alike explains
        "S1350100M000100Y43",  # S→5 gives 51…, which fails the check
        "91350100M000100Y4Z",  # Z→2 gives …Y42, which fails; swaps find two codes, neither the truth
    ],
)
def test_unrepairable_reads(read: str) -> None:
    result = repair(read)
    assert result.code is None and not result.repaired


def test_a_wrong_character_outside_the_look_alikes_is_not_guessed() -> None:
    # 3 read as 8: the look-alike search finds 91350100M00010QY4B by two swaps, which the inner check refuses
    assert repair("91350100M000100Y48").code is None


# -- find_codes ----------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("统一社会信用代码：91350200MA2YJ1XR9G", [(9, 27, "91350200MA2YJ1XR9G")]),
        ("统一社会信用代码91350200MA2YJ1XR9G法定代表人：张三", [(8, 26, "91350200MA2YJ1XR9G")]),
        ("91350200MA2YJ1XR9G", [(0, 18, "91350200MA2YJ1XR9G")]),
        ("代码 913502 00MA2YJ1XR9G", [(3, 22, "91350200MA2YJ1XR9G")]),  # one OCR split
        ("９１３５０２００ＭＡ２ＹＪ１ＸＲ９Ｇ", [(0, 18, "91350200MA2YJ1XR9G")]),
        ("9135O2OOMA2YJlXR9G", [(0, 18, "9135O2OOMA2YJLXR9G")]),  # not repaired here
        ("代码：91350200MA2YJ1XR9G；推荐单位代码：51350200MJD1234567", [(3, 21, "91350200MA2YJ1XR9G"),
                                                                (29, 47, "51350200MJD1234567")]),
    ],
)
def test_find_codes_locates_credit_code_tokens(text: str, expected: list[tuple[int, int, str]]) -> None:
    assert find_codes(text) == expected


@pytest.mark.parametrize(
    "text",
    [
        "91350200MA2YJ1XR9GX",  # 19 characters
        "1234567890123456789012",
        "ABCDEFGHJKLMNPQRTU",  # no digits: a word, not a code
        "9135 0200 MA2YJ1XR9G",  # two splits
        "",
    ],
)
def test_find_codes_ignores_other_tokens(text: str) -> None:
    assert find_codes(text) == []


def test_find_codes_then_repair_gives_the_code() -> None:
    text = "统一社会信用代码：9135O1OO M000100Y43"
    [(start, end, token)] = find_codes(text)
    assert text[start:end] == "9135O1OO M000100Y43"
    assert repair(token).code == "91350100M000100Y43"
