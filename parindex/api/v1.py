"""The API, version 1: one django-ninja instance, its schema and its error answers.

Mounted under /api/ (config/urls.py): the schema at /api/schema/, the endpoints under /api/v1/.
Every endpoint needs a token (`auth.TokenAuth`); the schema is public, like a manual.
"""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest, HttpResponse
from ninja import NinjaAPI
from ninja.errors import AuthenticationError, HttpError, ValidationError

from parindex.api import read, write
from parindex.api.auth import RateLimited, TokenAuth

DESCRIPTION = """\
API của hệ thống Chỉ số CCHC (parindex) cho các hệ thống khác của tỉnh: hệ thống quản lý văn
bản, nền tảng chia sẻ dữ liệu (LGSP), trung tâm điều hành (IOC). Xác thực bằng khóa API do Văn
phòng CCHC cấp, gửi trong tiêu đề `Authorization: Bearer pix_…`; mỗi khóa có phạm vi (scope)
và hạn dùng. Hướng dẫn: docs/api.md.

The parindex API for the province's other systems: the document-management system, the data
sharing platform (LGSP), the operations centre (IOC). Authenticate with an API token issued by
the PAR office, sent as `Authorization: Bearer pix_…`; each token has scopes and an expiry.
Errors answer `{"detail": …}`: 401 no or bad token, 403 scope missing, 404 not found (or not
published), 422 refused (every problem listed), 429 too many calls (see Retry-After).
"""

api = NinjaAPI(
    title="parindex API",
    version="1",
    description=DESCRIPTION,
    openapi_url="/schema/",
    docs_url=None,  # no CDN (docs/decisions/0008); the schema and docs/api.md are the manual
    urls_namespace="api_v1",
    auth=TokenAuth(),
)
api.add_router("/v1/", read.router)
api.add_router("/v1/", write.router)


@api.exception_handler(RateLimited)
def rate_limited(request: HttpRequest, exc: RateLimited) -> HttpResponse:
    response = api.create_response(
        request,
        {"detail": "Quá nhiều yêu cầu, thử lại sau / too many calls, try again later"},
        status=429,
    )
    response["Retry-After"] = str(exc.seconds)
    return response


@api.exception_handler(AuthenticationError)
def unauthorised(request: HttpRequest, exc: Any) -> HttpResponse:
    response = api.create_response(
        request,
        {
            "detail": "Khóa API thiếu, sai, hết hạn hoặc đã thu hồi / missing, wrong, expired "
            "or revoked token"
        },
        status=401,
    )
    response["WWW-Authenticate"] = "Bearer"
    return response


@api.exception_handler(ValidationError)
def invalid(request: HttpRequest, exc: ValidationError) -> HttpResponse:
    return api.create_response(request, {"detail": exc.errors}, status=422)


@api.exception_handler(HttpError)
def refused(request: HttpRequest, exc: HttpError) -> HttpResponse:
    body: dict[str, Any] = {"detail": exc.message}
    if code := getattr(exc, "code", ""):
        body["code"] = code  # a service's refusal: stable, whatever the language
    return api.create_response(request, body, status=exc.status_code)
