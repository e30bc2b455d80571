"""The compact form texts are compared in: NFKC, no whitespace."""

import re
import unicodedata


def compact(text: str) -> str:
    return re.sub(r"\s+", "", unicodedata.normalize("NFKC", text))
