"""The mutation fuzzer (benchmarks/fuzz.py): a short run finds nothing, and every input it ever saved in
tests/fuzz_crashes/ is now checked without an exception, listed in the report."""

from pathlib import Path

import pytest

from benchmarks.fuzz import (
    CRASH_DIR,
    HANG_SECONDS,
    Hang,
    build_docx,
    deadline,
    fuzz,
    fuzz_environment,
    is_listed,
    settings_for,
)
from extractor.pipeline import check

GOOD = "申报书.docx"


def reproducers() -> list[Path]:
    return sorted(p for p in CRASH_DIR.rglob("*") if p.is_file() and p.name != "README.md")


def test_a_short_fuzz_run_finds_no_crash() -> None:
    summary = fuzz(300, run_seed=20240520, workers=1)
    assert summary.inputs == 300
    assert len(summary.per_kind) == 11  # every seed kind was mutated
    problems = summary.of_kind("crash", "hang", "lost")
    assert not problems, "\n\n".join(f"[{f.kind}] {f.key}\n{f.trace}" for f in problems)


# The sentinel keeps this test from being collected zero times when the folder holds no reproducer yet.
@pytest.mark.parametrize(
    "reproducer",
    [pytest.param(None, id="crash-folder-exists")]
    + [pytest.param(p, id=p.relative_to(CRASH_DIR).as_posix()) for p in reproducers()],
)
def test_every_crash_the_fuzzer_ever_found_is_handled(reproducer: Path | None, tmp_path: Path) -> None:
    if reproducer is None:
        assert CRASH_DIR.is_dir(), f"{CRASH_DIR} is missing"
        return
    bundle = tmp_path / "bundle"
    bundle.mkdir()
    (bundle / GOOD).write_bytes(build_docx())
    name = f"输入{reproducer.suffix}"
    (bundle / name).write_bytes(reproducer.read_bytes())
    with fuzz_environment():
        try:
            with deadline(HANG_SECONDS):
                report = check(bundle, settings_for(tmp_path))
        except Hang:
            pytest.fail(f"{reproducer.name}: checking took more than {HANG_SECONDS} s")
    assert is_listed(report, name), [d.path for d in report.documents]
    good = [d for d in report.documents if d.path == GOOD]
    assert len(good) == 1 and not good[0].errors and not good[0].internal_error
    if reproducer.parent.name == "internal":  # it once made a parser fail inside: now it is the file's damage
        inside = [(d.path, d.internal_error) for d in report.documents if d.internal_error]
        assert not inside, inside
