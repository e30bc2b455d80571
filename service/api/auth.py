"""Sign-in for the pages (a form posting username and password to /login sets a session cookie; the
CSRF token comes back for the pages to send) and sign-out."""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Form, Request, Response

from service.accounts import sign_in, sign_out
from service.api.deps import SESSION_COOKIE, DbSession, ServiceDep
from service.api.problems import Problem
from service.audit import record

router = APIRouter(tags=["auth"])


@router.post("/login")
def login(response: Response, service: ServiceDep, db: DbSession,
          username: Annotated[str, Form(max_length=80)], password: Annotated[str, Form(max_length=200)]
          ) -> dict[str, Any]:
    opened = sign_in(db, service.key, username, password, service.settings.session_hours)
    if opened is None:
        db.rollback()
        raise Problem(401, "用户名或密码错误")
    sid, csrf = opened
    record(db, None, "login", None, username)
    db.commit()
    response.set_cookie(SESSION_COOKIE, sid, max_age=service.settings.session_hours * 3600, httponly=True,
                        samesite="lax", secure=service.settings.secure_cookies)
    return {"user": username, "csrf_token": csrf}


@router.post("/logout", status_code=204)
def logout(request: Request, service: ServiceDep, db: DbSession) -> Response:
    sid = request.cookies.get(SESSION_COOKIE)
    if sid:
        sign_out(db, service.key, sid)
        db.commit()
    response = Response(status_code=204)
    response.delete_cookie(SESSION_COOKIE)
    return response
