"""Value comparison as the contract's metrics define it: NFKC, whitespace removed, dates ISO,
scores within 0.05, lists as sets."""

import re
import unicodedata
from datetime import date
from typing import Any

SCORE_TOLERANCE = 0.05
_ISO = re.compile(r"^(\d{4})-(\d{1,2})-(\d{1,2})$")


def _text(value: str) -> str:
    text = re.sub(r"\s+", "", unicodedata.normalize("NFKC", value))
    m = _ISO.match(text)
    if m:
        try:
            return date(int(m[1]), int(m[2]), int(m[3])).isoformat()
        except ValueError:
            return text
    return text


def canonical(value: Any) -> Any:
    """A hashable canonical form: str, float, bool, frozenset or None."""
    if value is None:
        return None
    if isinstance(value, bool):
        return value
    if isinstance(value, int | float):
        return float(value)
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, list | tuple | set | frozenset):
        return frozenset(canonical(v) for v in value)
    return _text(str(value))


def values_match(gold: Any, predicted: Any) -> bool:
    g, p = canonical(gold), canonical(predicted)
    if isinstance(g, float) and not isinstance(g, bool):
        if isinstance(p, str):
            try:
                p = float(p)
            except ValueError:
                return False
        return isinstance(p, float) and abs(g - p) <= SCORE_TOLERANCE + 1e-9
    return bool(g == p)
