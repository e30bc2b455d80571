"""The gold corpus: complete, valid against the contract, within its size, and able to fail."""

import json
from collections import Counter
from pathlib import Path

import jsonschema
import pytest

from extractor.evaluate.runner import GOLD_SUFFIX, discover
from tests.conftest import CONTRACTS, ROOT

GOLD = ROOT / "gold" / "bundles"
PROFILES = ("nonferrous-brand-2024", "caq-benchmark-2021", "nonferrous-qc-2026", "china-quality-award-2023")


@pytest.fixture(scope="module")
def gold_files() -> list[Path]:
    files = sorted(GOLD.glob(f"*{GOLD_SUFFIX}"))
    assert files, "gold corpus missing: python -m gold.generator"
    return files


def test_every_annotation_validates_against_the_gold_schema(gold_files: list[Path]) -> None:
    schema = json.loads((CONTRACTS / "gold.schema.json").read_text(encoding="utf-8"))
    for path in gold_files:
        jsonschema.validate(json.loads(path.read_text(encoding="utf-8")), schema)


def test_corpus_covers_every_profile_with_fifteen_bundles(gold_files: list[Path]) -> None:
    cases = discover(GOLD)
    assert len(cases) == len(gold_files) >= 60
    per_profile = Counter(c.gold.profile for c in cases)
    assert all(per_profile[p] >= 15 for p in PROFILES), per_profile
    assert all(c.bundle.exists() for c in cases)


def test_planted_discrepancies_and_clean_bundles_are_both_there() -> None:
    cases = discover(GOLD)
    findings = [f for c in cases for f in c.gold.findings]
    assert len(findings) >= 40
    assert sum(c.gold.verdict == "pass" for c in cases) >= 15
    assert {"fail", "pass", "needs_review"} <= {c.gold.verdict for c in cases}


def test_annotated_documents_exist_in_folder_bundles() -> None:
    for case in discover(GOLD):
        if case.bundle.is_dir():
            on_disk = {p.relative_to(case.bundle).as_posix() for p in case.bundle.rglob("*") if p.is_file()}
            assert {d.path for d in case.gold.documents} == on_disk, case.name


def test_corpus_stays_small_enough_to_commit() -> None:
    total = sum(p.stat().st_size for p in GOLD.rglob("*") if p.is_file())
    # 50 MB of base bundles, 22 MB of independent layout families (issue 12); a push may carry 512 MiB
    assert total < 100 * 1024 * 1024


def _attachment_name(part) -> str:  # type: ignore[no-untyped-def]
    from email.header import decode_header, make_header

    raw = part.get_filename() or ""
    return str(make_header(decode_header(raw))) if "=?" in raw else raw


def test_inbox_export_holds_every_expected_mail_and_attachment() -> None:
    import mailbox

    inbox = ROOT / "gold" / "inbox" / "质量标杆申报邮箱导出.mbox"
    expected = json.loads(inbox.with_name(inbox.name + ".expected.json").read_text(encoding="utf-8"))
    subjects, attachments = [], []
    for message in mailbox.mbox(str(inbox)):
        from email.header import decode_header, make_header

        subjects.append(str(make_header(decode_header(message["Subject"]))))
        attachments += [_attachment_name(p) for p in message.walk() if p.get_content_disposition() == "attachment"]
    apps = expected["applications"]
    assert len(apps) >= 5
    assert sorted(subjects) == sorted(s for app in apps for s in app["mails"])
    assert sorted(attachments) == sorted(a for app in apps for a in app["attachments"])
    assert any(len(app["mails"]) > 1 for app in apps)  # a follow-up 补充材料 mail
