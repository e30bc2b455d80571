"""Cross-document agreement of the applicant's name and code, fed back into confidence.

A value read by OCR that differs from the settled applicant by a character or two (铭材 for 铝材, Q
for 0) is far more often a misreading than another company: its confidence is lowered and it carries
the doubt `near_applicant`, so a reviewer — and the rules — see it as doubtful rather than as a sure
mismatch. Values that agree with the applicant on several documents are confirmed. A value far from
the applicant is left as it is: that is what the mismatch rules are for.
"""

from rapidfuzz import fuzz
from rapidfuzz.distance import Hamming

from models import Applicant, DocumentReport, Doubt, FieldValue, TextSource

NEAR_NAME = 80.0  # rapidfuzz ratio: a character or two apart in a company name
NEAR_CODE = 2  # differing characters in an 18-character code
DOUBT = 0.45  # confidence of a near miss read by OCR


def _near(field: str, value: str, settled: str) -> bool:
    if field == "credit_code":
        return len(value) == len(settled) and 0 < Hamming.distance(value, settled) <= NEAR_CODE
    return value != settled and fuzz.ratio(value, settled) >= NEAR_NAME


def temper(documents: list[DocumentReport], applicant: Applicant) -> list[DocumentReport]:
    """The documents with near-miss OCR readings of the applicant's name or code made doubtful."""
    settled = {"company_name": applicant.company_name, "credit_code": applicant.credit_code}
    result = []
    for doc in documents:
        changed: dict[str, FieldValue] = {}
        for field, target in settled.items():
            value = doc.fields.get(field)
            if target is None or value is None or not isinstance(value.value, str):
                continue
            if doc.text_source in (TextSource.OCR, TextSource.MIXED) and _near(field, value.value, target):
                doubt = [*value.doubt, Doubt.NEAR_APPLICANT] if Doubt.NEAR_APPLICANT not in value.doubt else value.doubt
                changed[field] = value.model_copy(update={"confidence": min(value.confidence, DOUBT), "doubt": doubt})
        result.append(doc.model_copy(update={"fields": {**doc.fields, **changed}}) if changed else doc)
    return result
