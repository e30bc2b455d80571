"""Layout families written independently of the base templates in `documents.py`.

Each family module defines `FAMILIES: dict[str, list[Callable[..., DocSpec]]]`, keyed by the name of
the `documents.py` function it stands in for (`business_license`, `certificate`, `test_report` …).
Every callable takes exactly the arguments of that function (keywords included, so the bundles'
planted discrepancies — an expired date, an old standard, another holder, a failed conclusion — are
written the same way) and returns a DocSpec whose `fields` are what the document really says (in
the contract's normal forms, as in `documents.py`) and whose `family` names its layout.

These layouts were written from `shared/design/DOMAIN.md`, the notices and the shapes real
documents take, without looking at the extraction: the eval's score on them, taken before the
extraction was changed for them, is precheck's first-sight score on layouts it has never seen.
"""

from collections.abc import Callable
from types import SimpleNamespace
from typing import Any

from gold.generator import documents as base

FUNCTIONS = ("business_license", "certificate", "lab_accreditation", "test_report", "satisfaction_report",
             "patent_certificate", "application_2024", "recommendation_2021", "commitment_letter", "summary",
             "team_application_2026", "team_roster_2026", "award_application_2023")


def _registry() -> dict[str, list[Callable[..., Any]]]:
    merged: dict[str, list[Callable[..., Any]]] = {}
    from gold.generator.families import forms_reports, licences_certs

    for module in (licences_certs, forms_reports):
        for name, funcs in getattr(module, "FAMILIES", {}).items():
            merged.setdefault(name, []).extend(funcs)
    return merged


def document_set(index: int) -> SimpleNamespace:
    """The document functions of family `index`: for each document, its index-th independent layout
    (cycling), or the base template where none was written."""
    registry = _registry()
    chosen: dict[str, Any] = {}
    for name in FUNCTIONS:
        funcs = registry.get(name)
        chosen[name] = funcs[index % len(funcs)] if funcs else getattr(base, name)
    return SimpleNamespace(**chosen, LEVELS=base.LEVELS)
