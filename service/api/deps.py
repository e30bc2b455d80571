"""What routes depend on, as `Annotated` types: the service, a database session, the signed-in user
(API token or web session; CSRF checked for a session's unsafe requests), an admin, and a bundle the
user may see (404 otherwise, never 403: a bundle one may not see does not exist for one)."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from typing import Annotated

from fastapi import Depends, Request
from sqlalchemy import select
from sqlalchemy.orm import Session

from service.accounts import reviews, session_for, user_for_token
from service.api.problems import Problem
from service.db import Database
from service.runners import JobRunner
from service.security import same
from service.settings import ServiceSettings
from service.storage import Store
from service.tables import Bundle, Role, User

SESSION_COOKIE = "precheck_session"
SAFE = frozenset({"GET", "HEAD", "OPTIONS"})


@dataclass
class Service:
    settings: ServiceSettings
    db: Database
    blobs: Store  # originals, reports and pages: the data folder or the bucket (storage.open_store)
    key: str
    runner: JobRunner


def get_service(request: Request) -> Service:
    service: Service = request.app.state.service
    return service


ServiceDep = Annotated[Service, Depends(get_service)]


def get_db(service: ServiceDep) -> Iterator[Session]:
    with service.db.session() as session:
        yield session


DbSession = Annotated[Session, Depends(get_db)]


def current_user(request: Request, service: ServiceDep, db: DbSession) -> User:
    header = request.headers.get("authorization", "")
    if header.lower().startswith("bearer "):
        user = user_for_token(db, service.key, header[7:].strip())
        if user is None:
            raise Problem(401, "API 令牌无效或已撤销", {"WWW-Authenticate": "Bearer"})
        return user
    sid = request.cookies.get(SESSION_COOKIE)
    session = session_for(db, service.key, sid) if sid else None
    if session is None:
        raise Problem(401, "请先登录（或在 Authorization 头中提供 Bearer 令牌）", {"WWW-Authenticate": "Bearer"})
    if request.method not in SAFE:
        sent = request.headers.get("x-csrf-token", "")
        if not sent or not same(sent, session.csrf):
            raise Problem(403, "缺少或错误的 CSRF 令牌")
    return session.user


CurrentUser = Annotated[User, Depends(current_user)]


def current_user_id(request: Request, service: ServiceDep) -> int:
    """The signed-in user's id, from a session opened and closed here: for requests that wait (long
    polls, event streams), which must not hold a pooled connection while they wait."""
    with service.db.session() as db:
        return current_user(request, service, db).id


UserId = Annotated[int, Depends(current_user_id)]


def admin_user(user: CurrentUser) -> User:
    if user.role != Role.ADMIN:
        raise Problem(403, "仅管理员可以执行此操作")
    return user


AdminUser = Annotated[User, Depends(admin_user)]


def may_see(db: Session, user: User, bundle: Bundle) -> bool:
    """Its uploader, the reviewers of its campaign, and admins; nobody else (default deny)."""
    return user.role == Role.ADMIN or bundle.uploader_id == user.id or bundle.campaign_id in reviews(db, user)


def visible_bundle(bundle_id: str, user: CurrentUser, db: DbSession) -> Bundle:
    bundle = db.scalar(select(Bundle).where(Bundle.id == bundle_id))
    if bundle is None or not may_see(db, user, bundle):
        raise Problem(404, "没有这个申报材料包")
    return bundle


VisibleBundle = Annotated[Bundle, Depends(visible_bundle)]
