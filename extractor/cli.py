"""The `precheck` command."""

import argparse
import logging
import sys
from datetime import date
from pathlib import Path

from extractor.errors import PrecheckError


def _date(text: str) -> date:
    try:
        return date.fromisoformat(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"日期格式应为 YYYY-MM-DD：{text}") from None


def _cmd_check(args: argparse.Namespace) -> int:
    from extractor.pipeline import check
    from extractor.report.json_writer import write_json
    from extractor.settings import Settings

    report = check(Path(args.path), Settings(), profile=args.profile, as_of=args.as_of)
    write_json(report, Path(args.json) if args.json else None)
    return 0


def _cmd_profiles(args: argparse.Namespace) -> int:
    from extractor.judge.profiles import PROFILES

    for profile in PROFILES.values():
        deadline = profile.deadline.isoformat() if profile.deadline else "—"
        print(f"{profile.name}\t{deadline}\t{profile.notice}")
        print(f"\t截止日依据：{profile.deadline_source}")
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
    p_check.set_defaults(func=_cmd_check)

    p_profiles = sub.add_parser("profiles", help="list the profiles")
    p_profiles.set_defaults(func=_cmd_profiles)
    return parser


def main(argv: list[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    logging.basicConfig(
        level=logging.INFO if args.verbose else logging.WARNING, format="%(levelname)s %(name)s: %(message)s"
    )
    try:
        code: int = args.func(args)
        return code
    except PrecheckError as exc:
        print(f"precheck: {exc}", file=sys.stderr)
        return exc.exit_code
    except KeyboardInterrupt:
        print("precheck: 已中断", file=sys.stderr)
        return 130


if __name__ == "__main__":
    sys.exit(main())
