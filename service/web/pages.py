"""The reviewers' pages, rendered on the server (Jinja2) from what the API's own functions return, with
a little plain JavaScript (static/app.js) for what happens on the page: uploads and their progress,
decisions, the page viewer. A page asked for without a session goes to the sign-in form and back."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from typing import Annotated, Any
from urllib.parse import urlencode

from fastapi import APIRouter, Depends, Request
from fastapi.responses import RedirectResponse, Response
from fastapi.templating import Jinja2Templates
from sqlalchemy import select

from extractor.judge.engine import rules_of
from extractor.judge.profiles import PROFILES
from extractor.report.html_writer import FIELDS, SEAL_KINDS, SOURCES
from models import DOC_TYPE_LABELS, VERDICT_LABELS, DocType, Verdict
from service.accounts import session_for
from service.api.admin import campaigns as admin_campaigns
from service.api.admin import users as admin_users
from service.api.auth import local_path
from service.api.bundles import list_bundles, my_campaigns
from service.api.deps import SESSION_COOKIE, DbSession, ServiceDep, may_see
from service.api.problems import Problem
from service.api.reviews import view
from service.audit import record
from service.review import BUNDLE_STATES
from service.tables import Bundle, Job, Role, User, now

router = APIRouter(include_in_schema=False)
TEMPLATES = Jinja2Templates(directory=Path(__file__).parent / "templates")

PER_PAGE = 50
SEVERITIES = (("error", "错误"), ("warning", "警告"), ("info", "提示"))
JOB_STATES = {"queued": "排队中", "running": "检查中", "done": "已完成", "failed": "失败"}
STAGES = {"parse": "读取文件", "understand": "识别字段", "judge": "判定", "evidence": "截取证据", "done": "完成"}
REVIEW_FILTERS = {**BUNDLE_STATES, "none": "未审"}
SORTS = {"applicant": "申报单位", "credit_code": "信用代码", "campaign": "活动", "verdict": "结论",
         "errors": "问题（错/警/提）", "review_state": "审核状态", "reviewer": "审核人", "created": "上传时间"}


def _verdict_label(value: str | None) -> str:
    return VERDICT_LABELS[Verdict(value)] if value is not None and value in Verdict._value2member_map_ else "—"


def _doc_type_label(value: str) -> str:
    return DOC_TYPE_LABELS[DocType(value)] if value in DocType._value2member_map_ else value


def _show(value: Any) -> str:
    if value is None or value == "":
        return "—"
    if isinstance(value, bool):
        return "有" if value else "无"
    if isinstance(value, list):
        return "、".join(_show(v) for v in value)
    return str(value)


def _age(created: str) -> str:
    """How long ago, as a reviewer says it (the API's times are UTC with a trailing Z)."""
    try:
        then = datetime.fromisoformat(created.rstrip("Z"))
    except ValueError:
        return created
    seconds = max(0, int((now() - then).total_seconds()))
    for size, unit in ((86400, "天"), (3600, "小时"), (60, "分钟")):
        if seconds >= size:
            return f"{seconds // size} {unit}前"
    return "刚刚"


TEMPLATES.env.filters.update(verdict_label=_verdict_label, doc_type_label=_doc_type_label, show=_show, age=_age)
TEMPLATES.env.globals.update(REVIEW_STATES=BUNDLE_STATES, JOB_STATES=JOB_STATES, FIELD_LABELS=FIELDS,
                             SOURCES=SOURCES, SEAL_KINDS=SEAL_KINDS)


@dataclass(frozen=True)
class Viewer:
    user: User
    csrf: str


def page_viewer(request: Request, service: ServiceDep, db: DbSession) -> Viewer | None:
    sid = request.cookies.get(SESSION_COOKIE)
    session = session_for(db, service.key, sid) if sid else None
    return None if session is None else Viewer(session.user, session.csrf)


PageViewer = Annotated[Viewer | None, Depends(page_viewer)]


def to_login(request: Request) -> RedirectResponse:
    here = request.url.path + (f"?{request.url.query}" if request.url.query else "")
    return RedirectResponse(f"/login?{urlencode({'next': here})}", status_code=303)


def render(request: Request, name: str, viewer: Viewer | None, status: int = 200, **context: Any) -> Response:
    response = TEMPLATES.TemplateResponse(request, name, {
        "me": viewer.user if viewer else None, "csrf": viewer.csrf if viewer else "",
        "is_admin": bool(viewer and viewer.user.role == Role.ADMIN), "path": request.url.path, **context,
    }, status_code=status)
    response.headers["Cache-Control"] = "no-store"  # the page carries the session's CSRF token
    return response


def not_found(request: Request, viewer: Viewer) -> Response:
    return render(request, "not_found.html", viewer, status=404, title="未找到")


@router.get("/")
def home() -> RedirectResponse:
    return RedirectResponse("/bundles", status_code=303)


@router.get("/login")
def login_page(request: Request, viewer: PageViewer, next: str | None = None, error: str | None = None) -> Response:
    if viewer is not None:
        return RedirectResponse(local_path(next), status_code=303)
    return render(request, "login.html", None, title="登录", next=local_path(next), error=bool(error))


@router.get("/upload")
def upload_page(request: Request, viewer: PageViewer, db: DbSession) -> Response:
    if viewer is None:
        return to_login(request)
    return render(request, "upload.html", viewer, title="上传申报材料", campaigns=my_campaigns(db, viewer.user))


@router.get("/bundles")
def bundles_page(request: Request, viewer: PageViewer, db: DbSession, campaign: str = "", verdict: str = "",
                 review: str = "", q: str = "", sort: str = "created", order: str = "desc", page: int = 1) -> Response:
    if viewer is None:
        return to_login(request)
    sort = sort if sort in SORTS else "created"
    order = "asc" if order == "asc" else "desc"
    def fetch(at: int) -> dict[str, Any]:  # one page of the list, filtered and sorted by the database
        return list_bundles(db, viewer.user, campaign=campaign or None, verdict=verdict or None,
                            review_state=review if review in REVIEW_FILTERS else None,
                            sort=("" if order == "asc" else "-") + sort, q=q[:100] or None, page=at,
                            per_page=PER_PAGE)

    listed = fetch(max(1, page))
    pages = max(1, -(-listed["total"] // PER_PAGE))
    if page > pages:  # past the end (the list shrank): its last page
        listed = fetch(pages)
    page = min(max(1, page), pages)
    filters = {"campaign": campaign, "verdict": verdict, "review": review, "q": q}

    def link(**changes: Any) -> str:
        query = {**filters, "sort": sort, "order": order, "page": page, **changes}
        return "/bundles?" + urlencode({k: v for k, v in query.items() if v not in ("", None)})

    return render(request, "bundles.html", viewer, title="申报材料", items=listed["items"],
                  total=listed["total"], page=page, pages=pages, filters=filters, sort=sort, order=order, sorts=SORTS,
                  link=link, campaigns=my_campaigns(db, viewer.user), verdicts=VERDICT_LABELS,
                  review_filters=REVIEW_FILTERS)


def _box(bbox: list[float] | None) -> str | None:
    if not bbox or len(bbox) != 4 or bbox[2] <= bbox[0] or bbox[3] <= bbox[1]:
        return None
    return ",".join(f"{min(1.0, max(0.0, v)):.5f}" for v in bbox)


def _evidence(bundle_id: str, version: int, items: list[dict[str, Any]]) -> dict[str, list[dict[str, Any]]]:
    """A finding's evidence for the page: crops (a page and a box), pages without a box, and quotes
    (Word text, no page) — each once."""
    crops, pages, quotes, seen = [], [], [], set()
    for e in items:
        box = _box(e.get("bbox"))
        mark = (e.get("doc_index"), e.get("page"), box, "" if e.get("page") else e.get("text"))
        if mark in seen:
            continue
        seen.add(mark)
        if e.get("doc_index") is not None and e.get("page") and box:
            url = (f"/api/bundles/{bundle_id}/documents/{e['doc_index']}/pages/{e['page']}/crop.png?"
                   f"{urlencode({'bbox': box, 'version': version})}")
            crops.append({**e, "crop_url": url})
        elif e.get("doc_index") is not None and e.get("page"):
            pages.append(e)
        elif e.get("text"):
            quotes.append(e)
    return {"crops": crops, "pages": pages, "quotes": quotes}


def _rule_labels(profile: str) -> dict[str, str]:
    known = PROFILES.get(profile)
    labels = {"file_unreadable": "文件可以读取"}
    if known is not None:
        labels |= {rule: what for rule, what, _ in rules_of(known)}
    return labels


def _pending(request: Request, viewer: Viewer, db: DbSession, bundle: Bundle) -> Response:
    job = db.scalar(select(Job).where(Job.bundle_id == bundle.id).order_by(Job.created.desc()).limit(1))
    return render(request, "pending.html", viewer, title=bundle.name, bundle=bundle, job=job, stages=STAGES)


@router.get("/bundles/{bundle_id}")
def bundle_page(bundle_id: str, request: Request, viewer: PageViewer, db: DbSession) -> Response:
    if viewer is None:
        return to_login(request)
    bundle = db.get(Bundle, bundle_id[:64])
    if bundle is None or not may_see(db, viewer.user, bundle):
        return not_found(request, viewer)
    try:
        review = view(db, bundle, viewer.user)
    except Problem:
        return _pending(request, viewer, db, bundle)
    record(db, viewer.user, "view", bundle.id, "review")
    db.commit()
    version = review["report_version"]
    groups = []
    for severity, label in SEVERITIES:
        found = [{**f, **_evidence(bundle.id, version, f["evidence"])} for f in review["findings"]
                 if f["severity"] == severity]
        if found:
            groups.append((severity, label, found))
    return render(request, "bundle.html", viewer, title=review["applicant"].get("company_name") or bundle.name,
                  review=review, groups=groups, rules=_rule_labels(review["profile"]),
                  page_url=f"/api/bundles/{bundle.id}/documents/{{doc}}/pages/{{page}}.png?version={version}")


@router.get("/admin")
def admin_page(request: Request, viewer: PageViewer, db: DbSession) -> Response:
    if viewer is None:
        return to_login(request)
    if viewer.user.role != Role.ADMIN:
        return render(request, "not_found.html", viewer, status=403, title="无权访问", forbidden=True)
    return render(request, "admin.html", viewer, title="管理", users=admin_users(db, viewer.user),
                  campaigns=admin_campaigns(db, viewer.user), profiles=sorted(PROFILES))
