"""统一社会信用代码 (GB 32100-2015): alphabet, check character, and the embedded GB 11714
organisation-code check. Pure functions; OCR repair builds on them."""

import re
import unicodedata
from enum import StrEnum

ALPHABET = "0123456789ABCDEFGHJKLMNPQRTUWXY"  # no I, O, S, V, Z
VALUES = {ch: i for i, ch in enumerate(ALPHABET)}
WEIGHTS = [pow(3, i, 31) for i in range(17)]  # 1, 3, 9, 27, 19, 26, 16, …
ORG_WEIGHTS = (3, 7, 9, 10, 5, 8, 4, 2)

# Officially issued early pilot-region codes that fail the GB 32100 check (shared/testdata/uscc/SOURCES).
KNOWN_NONCONFORMING = frozenset(
    {
        "91350211M0000XUF46",
        "91350100M0001TGQXM",
        "91350203M0001FUE2P",
        "91350211M00013FA1N",
        "91350203M0001QKT19",
        "91350203M0001QAY9B",
    }
)


class CodeStatus(StrEnum):
    VALID = "valid"
    KNOWN_EXCEPTION = "known_exception"  # fails the check but is a known officially issued code
    BAD_CHECKSUM = "bad_checksum"
    BAD_CHARSET = "bad_charset"
    BAD_LENGTH = "bad_length"


def normalise(text: str) -> str:
    """NFKC, upper case, without spaces and hyphens."""
    return re.sub(r"[\s\-—–]", "", unicodedata.normalize("NFKC", text)).upper()


def check_char(body: str) -> str:
    """The 18th character for the first 17 (which must be in the alphabet)."""
    if len(body) != 17 or any(ch not in VALUES for ch in body):
        raise ValueError(f"not 17 code characters: {body!r}")
    total = sum(VALUES[ch] * w for ch, w in zip(body, WEIGHTS, strict=True))
    return ALPHABET[(31 - total % 31) % 31]


def org_code_check_char(body8: str) -> str | None:
    """GB 11714 check character of an 8-character organisation-code body (A=10 … Z=35)."""
    if len(body8) != 8 or not body8.isalnum():
        return None
    total = sum(int(ch, 36) * w for ch, w in zip(body8, ORG_WEIGHTS, strict=True))
    c9 = 11 - total % 11
    return "X" if c9 == 10 else "0" if c9 == 11 else str(c9)


def status(code: str) -> CodeStatus:
    code = normalise(code)
    if len(code) != 18:
        return CodeStatus.BAD_LENGTH
    if any(ch not in VALUES for ch in code):
        return CodeStatus.BAD_CHARSET
    if check_char(code[:17]) == code[17]:
        return CodeStatus.VALID
    if code in KNOWN_NONCONFORMING:
        return CodeStatus.KNOWN_EXCEPTION
    return CodeStatus.BAD_CHECKSUM


def is_valid(code: str) -> bool:
    return status(code) == CodeStatus.VALID
