"""GB 32100-2015 check on the 412 vectors of shared/testdata/uscc and the DOMAIN.md examples."""

import csv
from pathlib import Path

import pytest

from extractor.understand.credit_code import CodeStatus, check_char, org_code_check_char, status

EXPECTED = {
    "checksum_ok": {CodeStatus.VALID},
    "checksum_bad": {CodeStatus.BAD_CHECKSUM, CodeStatus.KNOWN_EXCEPTION},
    "bad_charset": {CodeStatus.BAD_CHARSET},
    "bad_length": {CodeStatus.BAD_LENGTH},
}


def test_every_vector_is_classified_as_recomputed(testdata: Path) -> None:
    with (testdata / "uscc" / "uscc_vectors.csv").open(encoding="utf-8") as fh:
        rows = list(csv.DictReader(fh))
    assert len(rows) == 412
    wrong = [
        (r["code"], r["recomputed"], status(r["code"]))
        for r in rows
        if status(r["code"]) not in EXPECTED[r["recomputed"]]
    ]
    assert wrong == []


def test_officially_issued_pilot_codes_are_known_exceptions() -> None:
    for code in ("91350211M0000XUF46", "91350100M0001TGQXM", "91350203M0001FUE2P", "91350211M00013FA1N"):
        assert status(code) == CodeStatus.KNOWN_EXCEPTION


def test_worked_example_of_domain_notes() -> None:
    assert check_char("91350100M000100Y4") == "3"
    assert org_code_check_char("M000100Y") == "4"
    assert status("９１３５０１００Ｍ０００１００Ｙ４３") == CodeStatus.VALID  # full width
    assert status("91350100M000100Y48") == CodeStatus.BAD_CHECKSUM


def test_check_char_refuses_letters_outside_the_alphabet() -> None:
    with pytest.raises(ValueError):
        check_char("9135010OM000100Y4")
