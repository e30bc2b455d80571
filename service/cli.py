"""The `precheck` command with the service's subcommands (serve, users, campaigns) added to the
extractor's (check, batch, eval, profiles, cache)."""

from __future__ import annotations

import argparse
import sys
from datetime import date
from typing import TYPE_CHECKING

from extractor import cli as extractor_cli

if TYPE_CHECKING:
    from service.db import Database
    from service.settings import ServiceSettings


def _date(text: str) -> date:
    try:
        return date.fromisoformat(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"日期格式应为 YYYY-MM-DD：{text}") from None


def _open(**overrides: int) -> tuple[ServiceSettings, Database]:
    """The settings (from the environment) and the database, migrated to the newest schema."""
    from service.db import Database, migrate
    from service.settings import ServiceSettings

    settings = ServiceSettings(**overrides)  # type: ignore[arg-type]
    settings.data_dir.mkdir(parents=True, exist_ok=True)
    database = Database(settings.db_url)
    migrate(database.engine)
    return settings, database


def _cmd_serve(args: argparse.Namespace) -> int:
    import uvicorn

    from service.accounts import ensure_admin
    from service.app import create_app

    settings, database = _open(**({"workers": args.workers} if args.workers is not None else {}))
    with database.session() as db:
        first = ensure_admin(db, settings.signing_key())
        db.commit()
    if first is not None:
        print(f"首次启动：已创建管理员账户 {first[0]}，一次性密码：{first[1]}（请登录后修改；此密码不会再显示）",
              flush=True)
    app = create_app(settings)
    where = (f"检查由 precheck worker 进程执行（消息代理 {_redacted(settings.broker_url)}）"
             if settings.queue == "celery" else f"检查进程 {settings.workers} 个")
    print(f"precheck serve：http://{args.host}:{args.port}/docs（数据目录 {settings.data_dir}，{where}）", flush=True)
    # a client following a job's events must not hold the server up when it is told to stop
    uvicorn.run(app, host=args.host, port=args.port, log_level="warning", timeout_graceful_shutdown=5)
    return 0


def _redacted(url: str | None) -> str:
    """A URL as it may be printed: without its password."""
    from sqlalchemy.engine import make_url

    if not url:
        return "-"
    try:
        return make_url(url).render_as_string(hide_password=True)
    except Exception:
        return url.split("@")[-1]


def _cmd_worker(args: argparse.Namespace) -> int:
    """Checks on this machine for a service whose database and storage it shares: `--concurrency`
    processes (each one check at a time, with its own OCR engine, the cores shared between them),
    restarted when one dies, stopped with this command. With PRECHECK_QUEUE=celery they are Celery
    workers on the broker; else they poll the job table."""
    import signal
    import threading

    from service.runners.local import LocalRunner

    settings, _ = _open()
    module = "service.runners.celery_queue" if settings.queue == "celery" else "service.worker"
    print(f"precheck worker：数据库 {_redacted(settings.db_url)}，队列 {settings.queue}"
          f"{'（' + _redacted(settings.broker_url) + '）' if settings.queue == 'celery' else ''}，"
          f"检查进程 {args.concurrency} 个", flush=True)
    stop = threading.Event()
    for signum in (signal.SIGTERM, signal.SIGINT):
        signal.signal(signum, lambda *_: stop.set())
    runner = LocalRunner(settings, count=args.concurrency, module=module)
    runner.start()
    try:
        stop.wait()
    finally:
        runner.stop()
    return 0


def _cmd_users_add(args: argparse.Namespace) -> int:
    from service.accounts import add_user
    from service.tables import Role

    settings, database = _open()
    with database.session() as db:
        user, token = add_user(db, settings.signing_key(), args.name, Role(args.role), args.campaign or [],
                               args.password)
        db.commit()
    print(f"已创建用户 {user.name}（{user.role.value}）；API 令牌：", file=sys.stderr)
    print(token)
    return 0


def _cmd_campaigns_add(args: argparse.Namespace) -> int:
    from service.accounts import add_campaign

    _, database = _open()
    with database.session() as db:
        campaign = add_campaign(db, args.name, args.profile, args.as_of)
        db.commit()
    as_of = f"，as_of {campaign.as_of}" if campaign.as_of else ""
    print(f"已创建活动 {campaign.name}（profile {campaign.profile}{as_of}）")
    return 0


def _cmd_export_gold(args: argparse.Namespace) -> int:
    from pathlib import Path

    from service.export_gold import export
    from service.storage import open_store

    settings, database = _open()
    with database.session() as db:
        done = export(db, open_store(settings), Path(args.out), args.campaign)
    print(f"已导出 {done.bundles} 个已审定的申报材料包（{done.files} 个文件）到 {args.out}；"
          f"用 precheck eval {args.out} 衡量 precheck 与审核员的分歧")
    return 0


def build_parser() -> argparse.ArgumentParser:
    parser = extractor_cli.build_parser()
    sub = next(a for a in parser._actions if isinstance(a, argparse._SubParsersAction))
    p_serve = sub.add_parser("serve", help="the reviewers' web service (API at /docs)")
    p_serve.add_argument("--host", default="127.0.0.1")
    p_serve.add_argument("--port", type=int, default=8000)
    p_serve.add_argument("--workers", type=int, default=None, help="check processes to start (default 1; 0: API only)")
    p_serve.set_defaults(func=_cmd_serve)

    p_worker = sub.add_parser("worker", help="run checks for a service on this machine (shared database and storage)")
    p_worker.add_argument("--concurrency", type=int, default=1, choices=range(1, 65), metavar="N",
                          help="checks at once (one process each; default 1)")
    p_worker.set_defaults(func=_cmd_worker)

    p_users = sub.add_parser("users", help="service accounts")
    users_sub = p_users.add_subparsers(dest="users_command", required=True)
    p_add = users_sub.add_parser("add", help="create a user; prints a new API token as the last line")
    p_add.add_argument("name")
    p_add.add_argument("--role", choices=["admin", "reviewer"], required=True)
    p_add.add_argument("--campaign", action="append", help="a campaign the user reviews (repeatable)")
    p_add.add_argument("--password", default=None, help="for signing in to the pages (none: API token only)")
    p_add.set_defaults(func=_cmd_users_add)

    p_campaigns = sub.add_parser("campaigns", help="campaigns: a profile plus its reviewers")
    campaigns_sub = p_campaigns.add_subparsers(dest="campaigns_command", required=True)
    p_cadd = campaigns_sub.add_parser("add", help="create a campaign")
    p_cadd.add_argument("name")
    p_cadd.add_argument("--profile", required=True)
    p_cadd.add_argument("--as-of", type=_date, default=None, dest="as_of")
    p_cadd.set_defaults(func=_cmd_campaigns_add)

    p_export = sub.add_parser("export-gold", help="reviewers' decided bundles as gold annotations for eval")
    p_export.add_argument("--campaign", default=None)
    p_export.add_argument("--out", required=True)
    p_export.set_defaults(func=_cmd_export_gold)
    return parser


def main(argv: list[str] | None = None) -> int:
    from service.accounts import AccountError

    try:
        return extractor_cli.main(argv, build_parser())
    except AccountError as exc:
        print(f"precheck: {exc}", file=sys.stderr)
        return 2


if __name__ == "__main__":
    sys.exit(main())
