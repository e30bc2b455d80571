"""Who is applying: the name and credit code settled over the whole bundle.

The business licence is the strongest witness, then the application form, then the recommendation
form, then every other document that names its holder; agreeing documents add up. A certification
body, a laboratory or a recommending unit never stands for the applicant: only `company_name` and
`credit_code` fields are counted, and those name the holder on every document type. A document of
no contract type (`other`: an invoice, a financial report, a contract) names a company for the
reviewer but is no witness of who applies: an invoice names its seller.
"""

from models import Applicant, DocType, DocumentReport

WEIGHTS: dict[DocType, float] = {
    DocType.BUSINESS_LICENSE: 3.0,
    DocType.APPLICATION_FORM: 2.0,
    DocType.RECOMMENDATION_FORM: 1.5,
    DocType.STATISTICS_FORM: 1.5,
}


def witnesses(doc: DocumentReport) -> bool:
    """Whether the document's holder fields speak for the applicant."""
    return doc.doc_type != DocType.OTHER or any(p.doc_type != DocType.OTHER for p in doc.parts)


def _vote(documents: list[DocumentReport], field: str) -> str | None:
    tally: dict[str, float] = {}
    for doc in filter(witnesses, documents):
        value = doc.fields.get(field)
        if value is None or not isinstance(value.value, str) or not value.value:
            continue
        tally[value.value] = tally.get(value.value, 0.0) + WEIGHTS.get(doc.doc_type, 1.0) * value.confidence
    return max(tally.items(), key=lambda kv: kv[1])[0] if tally else None


def settle_applicant(documents: list[DocumentReport]) -> Applicant:
    return Applicant(company_name=_vote(documents, "company_name"), credit_code=_vote(documents, "credit_code"))
