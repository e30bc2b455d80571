"""Sign-in for the pages (a form posting username and password to /login sets a session cookie; the
CSRF token comes back for the pages to send) and sign-out. A browser's form (it asks for HTML) is
answered with a redirect: to `next` (a path of this site) once signed in, back to the form if not."""

from __future__ import annotations

from typing import Annotated, Any
from urllib.parse import urlencode

from fastapi import APIRouter, Form, Request, Response
from fastapi.responses import RedirectResponse

from service.accounts import sign_in, sign_out
from service.api.deps import SESSION_COOKIE, DbSession, ServiceDep
from service.api.problems import Problem
from service.audit import record

router = APIRouter(tags=["auth"])


def wants_html(request: Request) -> bool:
    return "text/html" in request.headers.get("accept", "")


def local_path(target: str | None, default: str = "/bundles") -> str:
    """`next` only ever leads within this site (no open redirect)."""
    if not target or not target.startswith("/") or target.startswith("//") or "\\" in target:
        return default
    return target


@router.post("/login", response_model=None)
def login(request: Request, response: Response, service: ServiceDep, db: DbSession,
          username: Annotated[str, Form(max_length=80)], password: Annotated[str, Form(max_length=200)],
          next: Annotated[str | None, Form(max_length=2000)] = None) -> dict[str, Any] | Response:
    opened = sign_in(db, service.key, username, password, service.settings.session_hours)
    if opened is None:
        db.rollback()
        if wants_html(request):
            query = urlencode({"error": "1", "next": local_path(next)})
            return RedirectResponse(f"/login?{query}", status_code=303)
        raise Problem(401, "用户名或密码错误")
    sid, csrf = opened
    record(db, None, "login", None, username)
    db.commit()
    html = wants_html(request)
    answer = RedirectResponse(local_path(next), status_code=303) if html else response
    answer.set_cookie(SESSION_COOKIE, sid, max_age=service.settings.session_hours * 3600, httponly=True,
                      samesite="lax", secure=service.settings.secure_cookies)
    return answer if html else {"user": username, "csrf_token": csrf}


def _sign_out(request: Request, service: ServiceDep, db: DbSession, response: Response) -> Response:
    sid = request.cookies.get(SESSION_COOKIE)
    if sid:
        sign_out(db, service.key, sid)
        db.commit()
    response.delete_cookie(SESSION_COOKIE)
    return response


@router.post("/logout", status_code=204)
def logout(request: Request, service: ServiceDep, db: DbSession) -> Response:
    return _sign_out(request, service, db, Response(status_code=204))


@router.get("/logout", include_in_schema=False)
def logout_link(request: Request, service: ServiceDep, db: DbSession) -> Response:
    """The pages' 退出 link: signs out and goes back to the sign-in form."""
    return _sign_out(request, service, db, RedirectResponse("/login", status_code=303))
