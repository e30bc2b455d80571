"""Scores of reports against gold annotations. Pure: (gold, report) pairs in, counts and misses out."""

from collections import defaultdict
from collections.abc import Callable
from dataclasses import dataclass, field

from rapidfuzz import fuzz

from extractor.evaluate.normalise import values_match
from models import DocumentReport, GoldBundle, Report, Severity
from models.gold import GoldDocument

SEAL_TEXT_MIN_SIMILARITY = 0.8


@dataclass
class Counts:
    tp: int = 0
    fp: int = 0
    fn: int = 0

    def add(self, other: "Counts") -> None:
        self.tp += other.tp
        self.fp += other.fp
        self.fn += other.fn

    @property
    def precision(self) -> float:
        return self.tp / (self.tp + self.fp) if self.tp + self.fp else 1.0

    @property
    def recall(self) -> float:
        return self.tp / (self.tp + self.fn) if self.tp + self.fn else 1.0

    @property
    def f1(self) -> float:
        p, r = self.precision, self.recall
        return 2 * p * r / (p + r) if p + r else 0.0


@dataclass
class Ratio:
    hits: int = 0
    total: int = 0

    def add(self, hit: bool) -> None:
        self.hits += int(hit)
        self.total += 1

    @property
    def value(self) -> float:
        return self.hits / self.total if self.total else 1.0


CONFIDENCE_BANDS: tuple[str, str, str] = ("<0.5", "0.5-0.9", ">=0.9")


@dataclass
class Score:
    """Everything measured over a set of bundles; `slices` hold the same per text source / profile."""

    doc_type: Ratio = field(default_factory=Ratio)
    fields: dict[str, Counts] = field(default_factory=lambda: defaultdict(Counts))
    findings: Counts = field(default_factory=Counts)
    rules: dict[str, Counts] = field(default_factory=lambda: defaultdict(Counts))  # findings per rule
    verdict: Ratio = field(default_factory=Ratio)
    seal_presence: Ratio = field(default_factory=Ratio)
    seal_text: Ratio = field(default_factory=Ratio)
    # reported fields by confidence band: hits = wrong values (a confidence that ranks has few at the top)
    calibration: dict[str, Ratio] = field(default_factory=lambda: {band: Ratio() for band in CONFIDENCE_BANDS})
    misses: list[str] = field(default_factory=list)

    @property
    def fields_overall(self) -> Counts:
        total = Counts()
        for counts in self.fields.values():
            total.add(counts)
        return total


def confidence_band(confidence: float) -> str:
    return CONFIDENCE_BANDS[0] if confidence < 0.5 else CONFIDENCE_BANDS[1] if confidence < 0.9 else CONFIDENCE_BANDS[2]


def _seal_similarity(gold: str, predicted: str | None) -> float:
    if not predicted:
        return 0.0
    return fuzz.ratio(gold.replace(" ", ""), predicted.replace(" ", "")) / 100.0


def score_documents(
    name: str,
    gold: GoldBundle,
    report: Report,
    score: Score,
    doc_filter: Callable[[DocumentReport], bool] | None = None,
    gold_filter: Callable[[GoldDocument], bool] | None = None,
) -> None:
    """Document types, fields and seals of one bundle into `score`. `doc_filter(report_doc)` and
    `gold_filter(gold_doc)` pick the documents of a slice (None: all)."""
    by_path = {d.path: d for d in report.documents}
    for gdoc in gold.documents:
        rdoc = by_path.get(gdoc.path)
        if doc_filter is not None and (rdoc is None or not doc_filter(rdoc)):
            continue
        if gold_filter is not None and not gold_filter(gdoc):
            continue
        where = f"{name}/{gdoc.path}"
        if rdoc is None:
            score.doc_type.add(False)
            score.misses.append(f"{where}: 报告中没有此文件")
            for key in gdoc.fields:
                score.fields[key].fn += 1
            continue
        ok = rdoc.doc_type == gdoc.doc_type
        score.doc_type.add(ok)
        if not ok:
            score.misses.append(f"{where}: doc_type 应为 {gdoc.doc_type}，实为 {rdoc.doc_type}")
        for key in sorted(set(gdoc.fields) | set(rdoc.fields)):
            expected = gdoc.fields.get(key)
            got = rdoc.fields[key].value if key in rdoc.fields else None
            counts = score.fields[key]
            if expected is None and got is None:
                continue
            if got is not None:  # every reported value, right or wrong, in its confidence band
                band = confidence_band(rdoc.fields[key].confidence)
                score.calibration[band].add(expected is None or not values_match(expected, got))
            if expected is None:
                counts.fp += 1
                score.misses.append(f"{where}: 多出字段 {key}={got!r}")
            elif got is None:
                counts.fn += 1
                score.misses.append(f"{where}: 缺字段 {key}（应为 {expected!r}）")
            elif values_match(expected, got):
                counts.tp += 1
            else:
                counts.fp += 1
                counts.fn += 1
                score.misses.append(f"{where}: 字段 {key} 应为 {expected!r}，实为 {got!r}")
        pages = max([rdoc.pages or 1] + [s.page for s in gdoc.seals])
        gold_pages = {s.page for s in gdoc.seals}
        found_pages = {s.page for s in rdoc.seals}
        for page in range(1, pages + 1):
            agree = (page in gold_pages) == (page in found_pages)
            score.seal_presence.add(agree)
            if not agree:
                kind = "漏检印章" if page in gold_pages else "误报印章"
                score.misses.append(f"{where}: 第 {page} 页{kind}")
        for gseal in gdoc.seals:
            if not gseal.text:
                continue
            best = max((_seal_similarity(gseal.text, s.text) for s in rdoc.seals if s.page == gseal.page), default=0.0)
            score.seal_text.add(best >= SEAL_TEXT_MIN_SIMILARITY)
            if best < SEAL_TEXT_MIN_SIMILARITY:
                score.misses.append(f"{where}: 第 {gseal.page} 页印章文字应为 {gseal.text}（相似度 {best:.2f}）")


def score_findings(name: str, gold: GoldBundle, report: Report, score: Score) -> None:
    """Error and warning findings; a match has the same rule and shares a document (or both none)."""
    predicted = [f for f in report.findings if f.severity in (Severity.ERROR, Severity.WARNING)]
    unmatched = list(range(len(predicted)))
    for gfind in gold.findings:
        hit = None
        for i in unmatched:
            pf = predicted[i]
            if pf.rule != gfind.rule:
                continue
            if (not gfind.documents and not pf.documents) or set(gfind.documents) & set(pf.documents):
                hit = i
                break
        if hit is None:
            score.findings.fn += 1
            score.rules[gfind.rule].fn += 1
            score.misses.append(f"{name}: 漏报 {gfind.rule} {gfind.documents}")
        else:
            unmatched.remove(hit)
            score.findings.tp += 1
            score.rules[gfind.rule].tp += 1
    for i in unmatched:
        score.findings.fp += 1
        score.rules[predicted[i].rule].fp += 1
        score.misses.append(f"{name}: 误报 {predicted[i].rule} {predicted[i].documents}")


def score_bundle(name: str, gold: GoldBundle, report: Report, score: Score) -> None:
    score_documents(name, gold, report, score)
    score_findings(name, gold, report, score)
    ok = report.verdict == gold.verdict
    score.verdict.add(ok)
    if not ok:
        score.misses.append(f"{name}: verdict 应为 {gold.verdict}，实为 {report.verdict}")


def summary(score: Score) -> dict[str, float]:
    """The flat metric table (what the baseline records)."""
    overall = score.fields_overall
    table = {
        "doc_type_accuracy": score.doc_type.value,
        "field_precision": overall.precision,
        "field_recall": overall.recall,
        "field_f1": overall.f1,
        "findings_precision": score.findings.precision,
        "findings_recall": score.findings.recall,
        "findings_f1": score.findings.f1,
        "verdict_accuracy": score.verdict.value,
        "seal_presence_accuracy": score.seal_presence.value,
        "seal_text_match": score.seal_text.value,
    }
    for key, counts in sorted(score.fields.items()):
        table[f"field_f1.{key}"] = counts.f1
    return {k: round(v, 4) for k, v in table.items()}
