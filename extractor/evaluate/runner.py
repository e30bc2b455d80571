"""Runs `check` on every annotated bundle under a gold folder and scores the reports."""

import json
import os
from collections import defaultdict
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

from extractor.evaluate.metrics import Score, score_bundle, score_documents
from extractor.pipeline import RunStats, check
from extractor.settings import Settings
from models import DocumentReport, GoldBundle, GoldDocument, Report

GOLD_SUFFIX = ".gold.json"


@dataclass
class GoldCase:
    name: str
    bundle: Path
    gold: GoldBundle


@dataclass
class EvalResult:
    overall: Score = field(default_factory=Score)
    by_source: dict[str, Score] = field(default_factory=lambda: defaultdict(Score))
    by_profile: dict[str, Score] = field(default_factory=lambda: defaultdict(Score))
    # documents by the layout family they were written in (fields, types, seals)
    by_family: dict[str, Score] = field(default_factory=lambda: defaultdict(Score))
    # whole bundles by corpus: written in the base templates, or in independent layout families
    by_corpus: dict[str, Score] = field(default_factory=lambda: defaultdict(Score))
    seconds_by_source: dict[str, float] = field(default_factory=lambda: defaultdict(float))
    pages_by_source: dict[str, int] = field(default_factory=lambda: defaultdict(int))
    bundles: int = 0
    failures: list[str] = field(default_factory=list)  # bundles for which no report could be made

    def seconds_per_page(self) -> dict[str, float]:
        return {
            src: round(self.seconds_by_source[src] / self.pages_by_source[src], 3)
            for src in sorted(self.pages_by_source)
            if self.pages_by_source[src]
        }


def _bundle_at(base: Path, bundle_path: str) -> Path:
    """`bundle_path` relative to the annotation; when that is not there, a path into `shared/` follows
    PRECHECK_SHARED (the checkout need not sit beside `shared/`, as the tests allow too)."""
    beside = (base / bundle_path).resolve()
    shared = os.environ.get("PRECHECK_SHARED")
    parts = Path(bundle_path).parts
    if not beside.exists() and shared and "shared" in parts:
        return Path(shared).joinpath(*parts[parts.index("shared") + 1:]).resolve()
    return beside


def discover(gold_dir: Path, tags: set[str] | None = None) -> list[GoldCase]:
    """Every `NAME.gold.json` under `gold_dir`, with its bundle `NAME` beside it (or at `bundle_path`)."""
    cases = []
    for gold_path in sorted(gold_dir.rglob(f"*{GOLD_SUFFIX}")):
        bundle = gold_path.with_name(gold_path.name[: -len(GOLD_SUFFIX)])
        gold = GoldBundle.model_validate(json.loads(gold_path.read_text(encoding="utf-8")))
        if tags and not tags & set(gold.tags):
            continue
        name = bundle.relative_to(gold_dir).as_posix()
        if gold.bundle_path:
            bundle = _bundle_at(gold_path.parent, gold.bundle_path)
        cases.append(GoldCase(name=name, bundle=bundle, gold=gold))
    return cases


def corpus_of(gold: GoldBundle) -> str:
    """`family` for bundles written in independent layouts, `real` for real files, else `base`."""
    if "family" in gold.tags:
        return "family"
    return "real" if "real" in gold.tags else "base"


def _family_filter(family: str) -> Callable[[GoldDocument], bool]:
    return lambda gdoc: (gdoc.family or "base") == family


def _source_filter(source: str) -> Callable[[DocumentReport], bool]:
    return lambda doc: (doc.text_source or "none") == source


def add_case(result: EvalResult, case: GoldCase, report: Report, stats: RunStats) -> None:
    result.bundles += 1
    score_bundle(case.name, case.gold, report, result.overall)
    score_bundle(case.name, case.gold, report, result.by_profile[case.gold.profile])
    score_bundle(case.name, case.gold, report, result.by_corpus[corpus_of(case.gold)])
    for family in {d.family or "base" for d in case.gold.documents}:
        score_documents(case.name, case.gold, report, result.by_family[family], gold_filter=_family_filter(family))
    for source in {(d.text_source or "none") for d in report.documents}:
        score_documents(case.name, case.gold, report, result.by_source[str(source)], _source_filter(str(source)))
    for source, seconds in stats.seconds_by_source.items():
        result.seconds_by_source[source] += seconds
        result.pages_by_source[source] += stats.pages_by_source.get(source, 0)


def evaluate(
    cases: list[GoldCase],
    settings: Settings,
    progress: Callable[[int, int, str], None] | None = None,
) -> EvalResult:
    from extractor.errors import PrecheckError

    result = EvalResult()
    for index, case in enumerate(cases):
        if progress is not None:
            progress(index, len(cases), case.name)
        stats = RunStats()
        if not case.bundle.exists():
            result.failures.append(f"{case.name}: 申报包不存在")
            continue
        try:
            report = check(case.bundle, settings, profile=case.gold.profile, as_of=case.gold.as_of, stats=stats)
        except PrecheckError as exc:
            result.failures.append(f"{case.name}: {exc}")
            continue
        add_case(result, case, report, stats)
    return result
