"""Errors as application/problem+json (RFC 9457) with a Chinese `detail`; nothing escapes as a bare 500."""

from __future__ import annotations

import logging

from fastapi import FastAPI, HTTPException, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse
from starlette.exceptions import HTTPException as StarletteHTTPException

from service.storage import TooLarge

log = logging.getLogger("precheck.api")

TITLES = {400: "请求有误", 401: "未登录或令牌无效", 403: "无权操作", 404: "未找到", 405: "不支持的方法",
          409: "状态冲突", 413: "上传过大", 415: "不支持的类型", 422: "参数有误", 429: "请求过于频繁",
          500: "服务器内部错误"}


class Problem(HTTPException):
    def __init__(self, status: int, detail: str, headers: dict[str, str] | None = None) -> None:
        super().__init__(status, detail, headers)


def problem(status: int, detail: str, headers: dict[str, str] | None = None) -> JSONResponse:
    return JSONResponse({"type": "about:blank", "title": TITLES.get(status, "错误"), "status": status,
                         "detail": detail}, status_code=status, media_type="application/problem+json",
                        headers=headers)


def _field(loc: tuple[object, ...]) -> str:
    return ".".join(str(p) for p in loc if p not in ("body", "query", "path", "header"))


def install(app: FastAPI) -> None:
    @app.exception_handler(StarletteHTTPException)
    async def _http(request: Request, exc: StarletteHTTPException) -> JSONResponse:
        detail = exc.detail if isinstance(exc.detail, str) and not exc.detail.isascii() else TITLES.get(
            exc.status_code, "错误")
        return problem(exc.status_code, detail, getattr(exc, "headers", None))

    @app.exception_handler(RequestValidationError)
    async def _invalid(request: Request, exc: RequestValidationError) -> JSONResponse:
        fields = "、".join(sorted({_field(tuple(e.get("loc", ()))) or "请求" for e in exc.errors()}))
        return problem(422, f"参数有误：{fields}")

    @app.exception_handler(TooLarge)
    async def _too_large(request: Request, exc: TooLarge) -> JSONResponse:
        return problem(413, "上传内容超过大小上限")

    @app.exception_handler(Exception)
    async def _internal(request: Request, exc: Exception) -> JSONResponse:
        log.error("%s %s: %s", request.method, request.url.path, type(exc).__name__, exc_info=exc)
        return problem(500, "服务器内部错误，已记录日志")
