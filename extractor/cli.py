"""The `precheck` command."""

import argparse
import logging
import os
import signal
import sys
from datetime import date
from pathlib import Path

from extractor.errors import PrecheckError
from extractor.logs import configure as configure_logging


def _date(text: str) -> date:
    try:
        return date.fromisoformat(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"日期格式应为 YYYY-MM-DD：{text}") from None


def _cmd_check(args: argparse.Namespace) -> int:
    from extractor.pipeline import check_bundle
    from extractor.report.html_writer import write_html
    from extractor.report.json_writer import write_json
    from extractor.settings import Settings

    result = check_bundle(Path(args.path), Settings(), profile=args.profile, as_of=args.as_of,
                          evidence=bool(args.html))
    if args.html:
        write_html(result.report, result.crops, Path(args.html))
    write_json(result.report, Path(args.json) if args.json else None)
    return 0


def _cmd_batch(args: argparse.Namespace) -> int:
    import json

    from extractor.batch import Progress, discover, manifest, run_batch
    from extractor.report.summary_xlsx import write_summary
    from extractor.settings import Settings

    inbox, out = Path(args.inbox), Path(args.out)
    items = discover(inbox)
    if not items:
        print(f"precheck: {inbox} 中没有找到申报包", file=sys.stderr)
        return 2
    progress = Progress(total=len(items), total_bytes=sum(i.size for i in items) or 1)
    rows = run_batch(items, args.profile, args.as_of, out, Settings(), workers=args.workers,
                     progress=progress.update)
    write_summary(rows, out / "summary.xlsx")
    (out / "manifest.json").write_text(
        json.dumps(manifest(items, rows, inbox), ensure_ascii=False, indent=1) + "\n", encoding="utf-8")
    failed = sum(1 for r in rows if r.status == "failed")
    print(f"{len(rows)} 个申报包，{failed} 个检查失败；汇总：{out / 'summary.xlsx'}", file=sys.stderr)
    return 0


def _cmd_eval(args: argparse.Namespace) -> int:
    import json

    from extractor.errors import InputError
    from extractor.evaluate.runner import discover, evaluate
    from extractor.evaluate.table import load_baseline, metrics_json, regressions, render, save_baseline
    from extractor.settings import Settings

    gold_dir = Path(args.gold_dir)
    if not gold_dir.is_dir():
        raise InputError(f"gold 目录不存在：{gold_dir}")
    tags = set(args.tag or [])
    cases = discover(gold_dir, tags or None)
    if not cases:
        raise InputError(f"{gold_dir} 下没有标注的申报包（*.gold.json）")

    def progress(done: int, total: int, name: str) -> None:
        print(f"[{done + 1}/{total}] {name}", file=sys.stderr, flush=True)

    result = evaluate(cases, Settings(), progress=progress)
    print(render(result, show_misses=args.misses))
    data = metrics_json(result)
    if args.json:
        Path(args.json).write_text(json.dumps(data, ensure_ascii=False, indent=2) + "\n", encoding="utf-8")
    baseline_path = Path(args.baseline) if args.baseline else gold_dir / "baseline.json"
    key = "+".join(sorted(tags)) or "all"
    overall = data["overall"]
    assert isinstance(overall, dict)
    if args.update_baseline or args.reset_baseline:
        save_baseline(baseline_path, key, overall, reset=args.reset_baseline)
        print(f"baseline {baseline_path} [{key}] updated", file=sys.stderr)
        return 0
    worse = regressions(overall, load_baseline(baseline_path, key))
    for line in worse:
        print(f"低于基线：{line}", file=sys.stderr)
    return 1 if worse and args.check else 0


def _cmd_profiles(args: argparse.Namespace) -> int:
    from extractor.judge.engine import rules_of
    from extractor.judge.profiles import PROFILES

    for profile in PROFILES.values():
        deadline = profile.deadline.isoformat() if profile.deadline else "—"
        print(f"{profile.name}\t{deadline}\t{profile.notice}")
        print(f"\t截止日依据：{profile.deadline_source}")
        for rule, what, articles in rules_of(profile):
            print(f"\t{rule}\t{what}")
            for article in articles:
                print(f"\t\t依据：{article}")
    return 0


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="precheck", description="申报材料形式审查预检")
    parser.add_argument("-v", "--verbose", action="store_true", help="log progress (file names only)")
    sub = parser.add_subparsers(dest="command", required=True)

    p_check = sub.add_parser("check", help="check one bundle (a folder or one file)")
    p_check.add_argument("path")
    p_check.add_argument("--profile", default="generic")
    p_check.add_argument("--as-of", type=_date, default=None, dest="as_of")
    p_check.add_argument("--json", default=None, help="write report.json here (default: stdout)")
    p_check.add_argument("--html", default=None, help="write the HTML report (evidence shown) here")
    p_check.set_defaults(func=_cmd_check)

    p_batch = sub.add_parser("batch", help="check every bundle of an inbox (.mbox, folder of .eml, of archives)")
    p_batch.add_argument("inbox")
    p_batch.add_argument("--profile", default="generic")
    p_batch.add_argument("--as-of", type=_date, default=None, dest="as_of")
    p_batch.add_argument("--out", required=True, help="folder for <bundle id>/report.json and summary.xlsx")
    p_batch.add_argument("--workers", type=int, default=max(1, os.cpu_count() or 1),
                         help="bundles checked in parallel (default: one per core)")
    p_batch.set_defaults(func=_cmd_batch)

    p_eval = sub.add_parser("eval", help="measure the pipeline on an annotated gold corpus")
    p_eval.add_argument("gold_dir")
    p_eval.add_argument("--json", default=None, help="write the metrics as JSON here")
    p_eval.add_argument("--misses", action="store_true", help="list every wrong value, type and finding")
    p_eval.add_argument("--tag", action="append", help="only bundles with this tag (e.g. fast)")
    p_eval.add_argument("--baseline", default=None, help="baseline file (default GOLD_DIR/baseline.json)")
    p_eval.add_argument("--update-baseline", action="store_true", help="raise the baseline to these figures")
    p_eval.add_argument("--reset-baseline", action="store_true",
                        help="record these figures as they are, lower ones too (the corpus or a metric changed)")
    p_eval.add_argument("--check", action="store_true", help="exit 1 when a metric is a point below baseline")
    p_eval.set_defaults(func=_cmd_eval)

    p_profiles = sub.add_parser("profiles", help="list the profiles")
    p_profiles.set_defaults(func=_cmd_profiles)

    p_cache = sub.add_parser("cache", help="the OCR cache")
    cache_sub = p_cache.add_subparsers(dest="cache_command", required=True)
    p_purge = cache_sub.add_parser("purge", help="remove what a bundle's files left in the OCR cache")
    p_purge.add_argument("paths", nargs="+", help="bundles (folders, files, archives, mails)")
    p_purge.set_defaults(func=_cmd_cache_purge)
    return parser


def _cmd_cache_purge(args: argparse.Namespace) -> int:
    """Every cached page text and seal of the bundles' files removed (管理办法 第十九条: an applicant's
    text is kept no longer than needed). Files are found by content, so a renamed copy purges too."""
    from extractor.intake import open_bundle
    from extractor.ocr.cache import OcrCache
    from extractor.settings import Settings

    settings = Settings()
    cache = OcrCache(settings.cache_dir)
    files = removed = 0
    for path in args.paths:
        with open_bundle(Path(path), settings) as intake:
            for source in intake.sources:
                if source.error is None:
                    files += 1
                    removed += cache.purge(source.sha256)
    print(f"已从 OCR 缓存删除 {removed} 个条目（{files} 个文件）")
    return 0


def main(argv: list[str] | None = None, parser: argparse.ArgumentParser | None = None) -> int:
    """Runs a subcommand; `parser` lets the service add its own (service/cli.py)."""
    args = (parser or build_parser()).parse_args(argv)
    configure_logging(logging.INFO if args.verbose else logging.WARNING)
    previous = signal.signal(signal.SIGTERM, _terminated)
    try:
        code: int = args.func(args)
        return code
    except PrecheckError as exc:
        print(f"precheck: {exc}", file=sys.stderr)
        return exc.exit_code
    except KeyboardInterrupt:
        print("precheck: 已中断", file=sys.stderr)
        return 130
    except Terminated:
        print("precheck: 已终止（SIGTERM）", file=sys.stderr)
        return 143
    finally:
        signal.signal(signal.SIGTERM, previous)


class Terminated(BaseException):
    """SIGTERM, raised where the run is so that its temporary folders and workers are cleaned up."""


def _terminated(signum: int, frame: object) -> None:
    raise Terminated()


if __name__ == "__main__":
    sys.exit(main())
