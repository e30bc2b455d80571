"""The metric tables `precheck eval` prints, and the baseline it is held to."""

import json
from pathlib import Path

from extractor.evaluate.metrics import Score, summary
from extractor.evaluate.runner import EvalResult

HEADLINE = [
    "doc_type_accuracy",
    "field_precision",
    "field_recall",
    "field_f1",
    "findings_precision",
    "findings_recall",
    "findings_f1",
    "verdict_accuracy",
    "seal_presence_accuracy",
    "seal_text_match",
]
DOC_LEVEL = ["doc_type_accuracy", "field_precision", "field_recall", "field_f1", "seal_presence_accuracy"]
TOLERANCE = 0.01  # one point


def _grid(title: str, columns: dict[str, dict[str, float]], rows: list[str]) -> list[str]:
    names = list(columns)
    width = max([len(r) for r in rows] + [len(title)])
    lines = [title.ljust(width) + "".join(f"{n[:22]:>24}" for n in names)]
    for row in rows:
        cells = "".join(f"{columns[n].get(row, float('nan')):>24.4f}" for n in names)
        lines.append(row.ljust(width) + cells)
    return lines


def metrics_json(result: EvalResult) -> dict[str, object]:
    return {
        "bundles": result.bundles,
        "failures": result.failures,
        "overall": summary(result.overall),
        "by_profile": {k: summary(v) for k, v in sorted(result.by_profile.items())},
        "by_text_source": {k: summary(v) for k, v in sorted(result.by_source.items())},
        "by_corpus": {k: summary(v) for k, v in sorted(result.by_corpus.items())},
        "by_family": {k: summary(v) for k, v in sorted(result.by_family.items())},
        "seconds_per_page": result.seconds_per_page(),
        "field_error_rate_by_confidence": calibration(result.overall),
    }


def _family_rows(families: dict[str, dict[str, float]]) -> list[str]:
    """One line per layout family (there are many: a grid would be too wide)."""
    cols = ["doc_type_accuracy", "field_f1", "seal_presence_accuracy", "seal_text_match"]
    width = max(len(k) for k in families) + 2
    lines = ["by layout family".ljust(width) + "".join(f"{c[:18]:>20}" for c in cols)]
    for name, table in families.items():
        lines.append(name.ljust(width) + "".join(f"{table.get(c, float('nan')):>20.4f}" for c in cols))
    return lines


def calibration(score: Score) -> dict[str, dict[str, float]]:
    """Share of reported field values that are wrong, per confidence band."""
    return {band: {"fields": r.total, "wrong": r.hits, "error_rate": round(r.hits / r.total, 4) if r.total else 0.0}
            for band, r in score.calibration.items()}


def render(result: EvalResult, show_misses: bool = False) -> str:
    overall = summary(result.overall)
    profiles = {k: summary(v) for k, v in sorted(result.by_profile.items())}
    sources = {k: summary(v) for k, v in sorted(result.by_source.items())}
    out = [f"bundles: {result.bundles}" + (f"   failed: {len(result.failures)}" if result.failures else ""), ""]
    out += _grid("metric", {"overall": overall, **profiles}, HEADLINE)
    out += [""]
    out += _grid("by text source", sources, DOC_LEVEL)
    if len(result.by_corpus) > 1:
        corpora = {k: summary(v) for k, v in sorted(result.by_corpus.items())}
        out += ["", *_grid("by corpus", corpora, HEADLINE)]
    if len(result.by_family) > 1:
        families = {k: summary(v) for k, v in sorted(result.by_family.items())}
        out += ["", *_family_rows(families)]
    field_rows = sorted(k for k in overall if k.startswith("field_f1."))
    if field_rows:
        out += ["", *_grid("field F1 by key", {"overall": overall, **sources}, field_rows)]
    if result.overall.rules:  # on reviewers' exports: where they disagreed with precheck, rule by rule
        out += ["", "findings by rule (agreed / raised but not in gold / in gold but not raised):"]
        out += [f"  {rule}: {c.tp} / {c.fp} / {c.fn}" for rule, c in sorted(result.overall.rules.items())]
    bands = calibration(result.overall)
    out += ["", "field error rate by confidence: " + ", ".join(
        f"{band}: {b['wrong']:.0f}/{b['fields']:.0f} ({b['error_rate']:.1%})" for band, b in bands.items())]
    out += ["", "seconds per page: " + ", ".join(f"{k} {v}" for k, v in result.seconds_per_page().items())]
    out += [f"failed: {f}" for f in result.failures]
    if show_misses:
        out += ["", f"misses ({len(result.overall.misses)}):", *("  " + m for m in result.overall.misses)]
    return "\n".join(out)


def load_baseline(path: Path, key: str) -> dict[str, float]:
    if not path.is_file():
        return {}
    data = json.loads(path.read_text(encoding="utf-8"))
    section = data.get(key, {})
    return {k: float(v) for k, v in section.items()}


def save_baseline(path: Path, key: str, metrics: dict[str, float], reset: bool = False) -> None:
    """Record `metrics` under `key`, never lowering a value already recorded — unless `reset`: for a
    change of the corpus or of what a metric counts, which the commit must explain."""
    data = json.loads(path.read_text(encoding="utf-8")) if path.is_file() else {}
    section = {} if reset else data.get(key, {})
    for name, value in metrics.items():
        section[name] = max(value, float(section.get(name, 0.0)))
    data[key] = dict(sorted(section.items()))
    path.write_text(json.dumps(data, ensure_ascii=False, indent=2) + "\n", encoding="utf-8")


def regressions(current: dict[str, float], baseline: dict[str, float], tolerance: float = TOLERANCE) -> list[str]:
    """Metrics more than `tolerance` below the baseline (a metric that vanished counts as 0)."""
    return [
        f"{name}: {current.get(name, 0.0):.4f} < 基线 {value:.4f}"
        for name, value in sorted(baseline.items())
        if current.get(name, 0.0) < value - tolerance
    ]
