"""Bundles: upload, list, read, report, pages, re-check, delete. Thin: the work is in jobs, checks,
pages and storage."""

from __future__ import annotations

import contextlib
import shutil
import tempfile
import unicodedata
import uuid
from datetime import date, timedelta
from pathlib import Path, PurePosixPath
from typing import Annotated, Any, BinaryIO

from fastapi import APIRouter, File, Form, Query, Request, UploadFile
from fastapi import Path as PathParam
from fastapi.responses import FileResponse, HTMLResponse, Response, StreamingResponse
from pydantic import BaseModel
from sqlalchemy import delete as sql_delete
from sqlalchemy import func, or_, select
from sqlalchemy.orm import Session
from starlette.background import BackgroundTask

from extractor.batch import batch_row
from extractor.ocr.cache import OcrCache
from extractor.report.summary_xlsx import write_summary
from service import cache_sync, jobs
from service.accounts import reviews
from service.api.deps import CurrentUser, DbSession, ServiceDep, VisibleBundle, may_see
from service.api.problems import Problem
from service.audit import record
from service.checks import report_of
from service.pages import crop_png, documents_of, render_page
from service.storage import Store, TooLarge, blob_key, bundle_prefixes, page_key, report_key, safe_name
from service.tables import Bundle, BundleFile, Campaign, Decision, Job, ReportVersion, Role, User, now

router = APIRouter(prefix="/api", tags=["bundles"])


class Accepted(BaseModel):
    bundle_id: str
    job_id: str
    status_url: str


def _as_of(text: str | None) -> str | None:
    if not text:
        return None
    try:
        return date.fromisoformat(text).isoformat()
    except ValueError:
        raise Problem(422, f"as_of 应为 YYYY-MM-DD：{text[:20]}") from None


def _campaign_for_upload(db: Session, user: User, name: str) -> Campaign:
    campaign = db.scalar(select(Campaign).where(Campaign.name == name))
    if campaign is None or (user.role != Role.ADMIN and campaign.id not in reviews(db, user)):
        raise Problem(404, f"没有这个活动，或您不是它的审核员：{name[:60]}")
    return campaign


def _rate_limit(db: Session, user: User, per_minute: int) -> None:
    recent = db.scalar(select(func.count()).select_from(Bundle)
                       .where(Bundle.uploader_id == user.id, Bundle.created > now() - timedelta(minutes=1)))
    if (recent or 0) >= per_minute:
        raise Problem(429, f"上传过于频繁：每分钟最多 {per_minute} 个申报材料包", {"Retry-After": "60"})


@router.post("/bundles", status_code=202, response_model=Accepted)
def upload(
    request: Request, service: ServiceDep, db: DbSession, user: CurrentUser,
    files: Annotated[list[UploadFile], File(description="一个或多个文件；或一个压缩包、一封邮件")],
    campaign: Annotated[str, Form()],
    as_of: Annotated[str | None, Form()] = None,
    name: Annotated[str | None, Form(max_length=300)] = None,
) -> Accepted:
    settings = service.settings
    if len(files) > settings.max_upload_files:
        raise Problem(413, f"一次最多上传 {settings.max_upload_files} 个文件")
    chosen = _campaign_for_upload(db, user, campaign)
    _rate_limit(db, user, settings.uploads_per_minute)
    checked_as_of = _as_of(as_of) or chosen.as_of
    budget = settings.max_request_mb * 1024 * 1024
    try:
        stored = _store(service, [(f.filename or "", f.file) for f in files], budget)
    except TooLarge:
        raise Problem(413, f"上传内容超过 {settings.max_request_mb} MB") from None
    label = name or (Path(stored[0].name).stem if len(stored) == 1 else f"{stored[0].name} 等 {len(stored)} 个文件")
    job = _new_bundle(service, db, user, chosen, label, stored, checked_as_of)
    db.commit()
    service.runner.submitted(job.id)
    return Accepted(bundle_id=job.bundle_id, job_id=job.id, status_url=f"/api/jobs/{job.id}")


def _store(service: ServiceDep, files: list[tuple[str, BinaryIO]], budget: int) -> list[BundleFile]:
    """The files in the blob store (TooLarge past `budget` bytes in all), as the bundle's file rows:
    names as given, made safe and unique."""
    taken: set[str] = set()
    stored: list[BundleFile] = []
    for name, stream in files:
        sha, size = service.blobs.put_blob(stream, budget - sum(f.size for f in stored))
        stored.append(BundleFile(position=len(stored), name=safe_name(name, taken), sha256=sha, size=size))
    return stored


def _new_bundle(service: ServiceDep, db: Session, user: User, campaign: Campaign, label: str,
                files: list[BundleFile], as_of: str | None, batch_id: str | None = None) -> Job:
    """The bundle (its originals already stored) and its queued job, with the audit entry; not committed."""
    bundle = Bundle(name=unicodedata.normalize("NFC", label)[:300], campaign_id=campaign.id, uploader_id=user.id,
                    batch_id=batch_id, files=files)
    db.add(bundle)
    db.flush()
    job = jobs.enqueue(db, bundle, campaign.profile, as_of, service.settings.job_max_attempts)
    names = "、".join(f.name for f in files)
    record(db, user, "upload", bundle.id, (f"批量 {batch_id}：{label}：{names}" if batch_id else names)[:2000])
    return job


def _latest_job(bundle_id: Any) -> Any:
    """The state of the bundle's newest job (a re-check's while it runs)."""
    return select(Job.state).where(Job.bundle_id == bundle_id).order_by(Job.created.desc()).limit(1)


def _item(bundle: Bundle, state: str | None) -> dict[str, Any]:
    return {"bundle_id": bundle.id, "name": bundle.name, "campaign": bundle.campaign.name,
            "profile": bundle.campaign.profile, "applicant": bundle.applicant, "credit_code": bundle.credit_code,
            "verdict": bundle.verdict, "state": state, "counts": bundle.counts or {},
            "uploader": bundle.uploader.name, "created": bundle.created.isoformat() + "Z",
            "review_state": bundle.review_state, "reviewer": bundle.reviewer,
            "files": len(bundle.files)}


# what the list sorts by (in the database: a page of a large list is read, not the whole list)
SORTABLE: dict[str, tuple[Any, ...]] = {
    "created": (Bundle.created,), "applicant": (Bundle.applicant,), "credit_code": (Bundle.credit_code,),
    "verdict": (Bundle.verdict,), "campaign": (Campaign.name,), "review_state": (Bundle.review_state,),
    "reviewer": (Bundle.reviewer,),
    "errors": tuple(Bundle.counts[s].as_integer() for s in ("error", "warning", "info")),
}


@router.get("/bundles")
def list_bundles(
    db: DbSession, user: CurrentUser,
    profile: str | None = None, verdict: str | None = None, state: str | None = None,
    uploader: str | None = None, campaign: str | None = None,
    review_state: Annotated[str | None, Query(description="passed | needs_fix | rejected | none（未审）")] = None,
    sort: Annotated[str, Query(pattern=rf"^-?({'|'.join(SORTABLE)})$",
                               description="排序字段，前加 - 为倒序")] = "-created",
    q: Annotated[str | None, Query(max_length=100, description="申报单位、统一社会信用代码或名称中的文字")] = None,
    page: Annotated[int, Query(ge=1)] = 1, per_page: Annotated[int, Query(ge=1, le=200)] = 50,
) -> dict[str, Any]:
    latest = _latest_job(Bundle.id).scalar_subquery()
    query = select(Bundle, latest.label("state")).join(Campaign, Bundle.campaign_id == Campaign.id)
    if user.role != Role.ADMIN:
        query = query.where(or_(Bundle.uploader_id == user.id, Bundle.campaign_id.in_(reviews(db, user))))
    if profile:
        query = query.where(Campaign.profile == profile)
    if campaign:
        query = query.where(Campaign.name == campaign)
    if verdict:
        query = query.where(Bundle.verdict == verdict)
    if state:
        query = query.where(latest == state)
    if uploader:
        query = query.where(Bundle.uploader_id.in_(select(User.id).where(User.name == uploader)))
    if review_state == "none":
        query = query.where(Bundle.review_state.is_(None))
    elif review_state:
        query = query.where(Bundle.review_state == review_state)
    if q:
        like = f"%{q}%"
        query = query.where(or_(Bundle.applicant.like(like), Bundle.credit_code.like(like), Bundle.name.like(like)))
    total = db.scalar(select(func.count()).select_from(query.subquery())) or 0
    columns = SORTABLE[sort.lstrip("-")]
    order = [c.desc() if sort.startswith("-") else c.asc() for c in columns]
    rows = db.execute(query.order_by(*order, Bundle.created.desc()).offset((page - 1) * per_page).limit(per_page)).all()
    return {"items": [_item(b, s) for b, s in rows], "total": total, "page": page, "per_page": per_page}


def _versions(db: Session, bundle: Bundle) -> list[ReportVersion]:
    return list(db.scalars(select(ReportVersion).where(ReportVersion.bundle_id == bundle.id)
                           .order_by(ReportVersion.version)))


def _version(db: Session, bundle: Bundle, version: int | None) -> ReportVersion:
    query = select(ReportVersion).where(ReportVersion.bundle_id == bundle.id)
    query = query.where(ReportVersion.version == version) if version else query.order_by(
        ReportVersion.version.desc()).limit(1)
    found = db.scalar(query)
    if found is None:
        raise Problem(404, "该申报材料包还没有检查报告（检查尚未完成或失败）")
    return found


@router.get("/bundles/{bundle_id}")
def bundle_detail(bundle: VisibleBundle, db: DbSession, user: CurrentUser) -> dict[str, Any]:
    state = db.scalar(_latest_job(bundle.id))
    record(db, user, "view", bundle.id)
    db.commit()
    bundle_jobs = db.scalars(select(Job).where(Job.bundle_id == bundle.id).order_by(Job.created))
    return {
        **_item(bundle, state),
        "files": [{"name": f.name, "sha256": f.sha256, "size": f.size} for f in bundle.files],
        "jobs": [{"job_id": j.id, "state": j.state, "profile": j.profile, "as_of": j.as_of, "attempts": j.attempts,
                  "error": j.error} for j in bundle_jobs],
        "reports": [{"version": v.version, "profile": v.profile, "as_of": v.as_of, "verdict": v.verdict,
                     "created": v.created.isoformat() + "Z", "job_id": v.job_id} for v in _versions(db, bundle)],
    }


@router.get("/bundles/{bundle_id}/report.json")
def report_json(bundle: VisibleBundle, db: DbSession, user: CurrentUser, version: int | None = None) -> Response:
    found = _version(db, bundle, version)
    record(db, user, "download", bundle.id, f"report.json v{found.version}")
    db.commit()
    return Response(found.report, media_type="application/json")


def _send(store: Store, key: str, media_type: str, headers: dict[str, str] | None = None) -> Response | None:
    """The stored object as the response: a folder store's file as it is, a bucket's object streamed
    through (never kept on this machine); None when there is no such object."""
    path = store.local_path(key)
    if path is not None:
        return FileResponse(path, media_type=media_type, headers=headers)
    opened = store.open(key)
    if opened is None:
        return None
    return StreamingResponse(opened.chunks, media_type=media_type,
                             headers={**(headers or {}), "Content-Length": str(opened.size)})


@router.get("/bundles/{bundle_id}/report.html", response_class=HTMLResponse)
def report_html(bundle: VisibleBundle, service: ServiceDep, db: DbSession, user: CurrentUser,
                version: int | None = None) -> Response:
    found = _version(db, bundle, version)
    response = _send(service.blobs, report_key(bundle.id, found.job_id), "text/html; charset=utf-8")
    if response is None:
        raise Problem(404, "HTML 报告不存在")
    record(db, user, "download", bundle.id, f"report.html v{found.version}")
    db.commit()
    return response


@router.get("/summary.xlsx")
def summary(service: ServiceDep, db: DbSession, user: CurrentUser,
            ids: Annotated[str, Query(description="逗号分隔的 bundle_id")]) -> FileResponse:
    rows = []
    for bundle_id in [i for i in ids.split(",") if i][:1000]:
        bundle = db.get(Bundle, bundle_id)
        if bundle is None or not may_see(db, user, bundle):
            raise Problem(404, f"没有这个申报材料包：{bundle_id[:40]}")
        try:
            found = _version(db, bundle, None)
        except Problem:
            continue
        rows.append(batch_row(bundle.name, report_of(found.report), f"/api/bundles/{bundle.id}/report.json",
                              "done", 0.0))
        record(db, user, "download", bundle.id, "summary.xlsx")
    db.commit()
    folder = Path(tempfile.mkdtemp(prefix="precheck-summary-"))
    target = folder / "summary.xlsx"
    write_summary(rows, target)
    return FileResponse(target, filename="summary.xlsx", background=BackgroundTask(shutil.rmtree, folder, True),
                        media_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet")


def _page_file(service: ServiceDep, db: Session, bundle: Bundle, doc: int, number: int,
               version: int | None) -> str:
    """The page's key in the store, rendered there first if need be."""
    found = _version(db, bundle, version)
    documents = documents_of(found.pages)
    if not 0 <= doc < len(documents):
        raise Problem(404, "没有这个文件")
    key = page_key(bundle.id, found.version, doc, number)
    files = [(f.name, f.sha256) for f in bundle.files]
    if not render_page(service.blobs, files, documents[doc], number, service.settings.pipeline(), key):
        raise Problem(404, "该文件没有这一页的页面图像（Word 正文没有页面）")
    return key


# a page of a report version never changes: the browser keeps it (private: it is an applicant's file)
CACHE_CONTROL = "private, max-age=3600"


def _cached(request: Request, store: Store, key: str) -> Response:
    """The stored image with its validator; 304 when the browser already holds this version of it."""
    size = store.size(key)
    if size is None:  # removed with its bundle meanwhile
        raise Problem(404, "页面图像不存在")
    name = PurePosixPath(key)
    tag = f'"{name.parent.name}-{name.stem}-{size}"'
    headers = {"Cache-Control": CACHE_CONTROL, "ETag": tag}
    if request.headers.get("if-none-match") == tag:
        return Response(status_code=304, headers=headers)
    response = _send(store, key, "image/png", headers)
    if response is None:
        raise Problem(404, "页面图像不存在")
    return response


@router.get("/bundles/{bundle_id}/documents/{doc}/pages/{number}.png")
def page_png(request: Request, bundle: VisibleBundle, service: ServiceDep, db: DbSession, doc: int,
             number: Annotated[int, PathParam(ge=1)], version: int | None = None) -> Response:
    return _cached(request, service.blobs, _page_file(service, db, bundle, doc, number, version))


@router.get("/bundles/{bundle_id}/documents/{doc}/pages/{number}/crop.png")
def crop(request: Request, bundle: VisibleBundle, service: ServiceDep, db: DbSession, doc: int,
         number: Annotated[int, PathParam(ge=1)],
         bbox: Annotated[str, Query(pattern=r"^[0-9.]+,[0-9.]+,[0-9.]+,[0-9.]+$")],
         version: int | None = None) -> Response:
    box = tuple(min(1.0, max(0.0, float(v))) for v in bbox.split(","))
    if box[2] <= box[0] or box[3] <= box[1]:
        raise Problem(422, "bbox 应为 x0,y0,x1,y1（0..1，x1>x0，y1>y0）")
    store = service.blobs
    page = PurePosixPath(_page_file(service, db, bundle, doc, number, version))
    target = str(page.with_name(f"{page.stem}-crop-{'_'.join(f'{v:.4f}' for v in box)}.png"))
    if not store.exists(target):  # cut once, kept beside its page (removed with the bundle)
        image = store.get_bytes(str(page))
        if image is None:
            raise Problem(404, "页面图像不存在")
        store.put_bytes(target, crop_png(image, (box[0], box[1], box[2], box[3])))
    return _cached(request, store, target)


class Recheck(BaseModel):
    profile: str | None = None
    as_of: str | None = None


@router.post("/bundles/{bundle_id}/recheck", status_code=202, response_model=Accepted)
def recheck(bundle: VisibleBundle, service: ServiceDep, db: DbSession, user: CurrentUser,
            body: Recheck | None = None) -> Accepted:
    from extractor.errors import ConfigError
    from extractor.judge.profiles import get_profile

    profile = (body.profile if body and body.profile else None) or bundle.campaign.profile
    try:
        get_profile(profile)
    except ConfigError as exc:
        raise Problem(422, str(exc)) from None
    as_of = _as_of(body.as_of if body else None) or bundle.campaign.as_of
    job = jobs.enqueue(db, bundle, profile, as_of, service.settings.job_max_attempts)
    record(db, user, "recheck", bundle.id, f"{profile} {as_of or ''}".strip())
    db.commit()
    service.runner.submitted(job.id)
    return Accepted(bundle_id=bundle.id, job_id=job.id, status_url=f"/api/jobs/{job.id}")


@router.delete("/bundles/{bundle_id}", status_code=204)
def delete(bundle: VisibleBundle, service: ServiceDep, db: DbSession, user: CurrentUser) -> Response:
    """The bundle's rows, its originals (unless another bundle holds the same content), its reports,
    rendered pages and OCR cache entries (管理办法 第十九条)."""
    if user.role != Role.ADMIN and bundle.uploader_id != user.id:
        raise Problem(403, "只有上传者或管理员可以删除申报材料包")
    shas = {f.sha256 for f in bundle.files}
    for version in _versions(db, bundle):  # archive members and mail attachments too
        shas |= {d.sha256 for d in report_of(version.report).documents if d.sha256}
    bundle_id = bundle.id
    db.delete(bundle)
    db.flush()
    db.execute(sql_delete(Decision).where(Decision.bundle_id == bundle_id))  # allowed once the bundle is gone
    record(db, user, "delete", bundle_id)
    db.commit()
    shared = set(db.scalars(select(BundleFile.sha256).where(BundleFile.sha256.in_(shas))))
    cache = OcrCache(service.settings.ocr_cache_dir)
    for sha in shas - shared:
        service.blobs.delete(blob_key(sha))
        cache.purge(sha)
        cache_sync.purge(service.blobs, sha)  # the bucket's copy of the OCR cache
    for prefix in bundle_prefixes(bundle_id):
        service.blobs.delete_prefix(prefix)
    return Response(status_code=204)


@router.post("/batches", status_code=202)
def upload_batch(
    service: ServiceDep, db: DbSession, user: CurrentUser,
    file: Annotated[UploadFile, File(description="一个 .mbox 邮箱导出，或一个装有多个申报材料包的 ZIP")],
    campaign: Annotated[str, Form()],
    as_of: Annotated[str | None, Form()] = None,
) -> dict[str, Any]:
    """One bundle per application (the batch grouping of `precheck batch`), each with its job."""
    from extractor.errors import InputError
    from extractor.workdir import private_dir
    from service.batches import split

    settings = service.settings
    chosen = _campaign_for_upload(db, user, campaign)
    _rate_limit(db, user, settings.uploads_per_minute)
    checked_as_of = _as_of(as_of) or chosen.as_of
    batch_id = uuid.uuid4().hex
    budget = settings.max_request_mb * 1024 * 1024
    accepted, refused, submitted = [], [], []
    with private_dir("batch") as work:
        upload_path = work / "upload"
        with upload_path.open("wb") as out:
            shutil.copyfileobj(file.file, out)
        try:
            parts = list(split(upload_path, work, settings.pipeline()))
        except InputError as exc:
            raise Problem(422, str(exc)) from None
        for part in parts:
            if part.refusal or not part.files:
                refused.append({"label": part.label, "reason": part.refusal or "没有可检查的文件"})
                continue
            with contextlib.ExitStack() as streams:
                stored = _store(service, [(n, streams.enter_context(o())) for n, o in part.files], budget)
            budget -= sum(f.size for f in stored)
            job = _new_bundle(service, db, user, chosen, part.label, stored, checked_as_of, batch_id)
            accepted.append({"bundle_id": job.bundle_id, "job_id": job.id, "label": part.label,
                             "status_url": f"/api/jobs/{job.id}"})
            submitted.append(job.id)
    db.commit()
    for job_id in submitted:
        service.runner.submitted(job_id)
    return {"batch_id": batch_id, "bundles": accepted, "refused": refused,
            "summary_url": f"/api/batches/{batch_id}/summary.xlsx"}


@router.get("/batches/{batch_id}/summary.xlsx")
def batch_summary(batch_id: str, service: ServiceDep, db: DbSession, user: CurrentUser) -> FileResponse:
    bundles = [b for b in db.scalars(select(Bundle).where(Bundle.batch_id == batch_id)) if may_see(db, user, b)]
    if not bundles:
        raise Problem(404, "没有这个批次")
    return summary(service, db, user, ",".join(b.id for b in bundles))


@router.get("/campaigns")
def my_campaigns(db: DbSession, user: CurrentUser) -> list[dict[str, Any]]:
    """The campaigns the user may upload to (all for an admin)."""
    query = select(Campaign).order_by(Campaign.name)
    if user.role != Role.ADMIN:
        query = query.where(Campaign.id.in_(reviews(db, user)))
    return [{"name": c.name, "profile": c.profile, "as_of": c.as_of} for c in db.scalars(query)]


@router.get("/me")
def me(user: CurrentUser) -> dict[str, Any]:
    return {"name": user.name, "role": user.role.value}
