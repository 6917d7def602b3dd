"""The one error shape of the API.

Every error answer of ``/api/`` (4xx and 5xx, also outside DRF: ``apps.core.api.handlers``) is::

    {"detail": "사람이 읽는 문장 / a sentence for people",
     "code": "machine_readable_code",
     "errors": {"field": ["message", ...], "non_field_errors": [...]}}

``errors`` is always present (empty when the error is not about fields); nested serializer
fields are flattened with dots (``alignments.0.target``). Messages are bilingual ("국문 /
English") where we write them; DRF's own field messages follow the request language
(``Accept-Language: ko`` or ``en``).

Wire it with ``REST_FRAMEWORK["EXCEPTION_HANDLER"] = "apps.core.api.exceptions.exception_handler"``.
"""

from __future__ import annotations

import re
from functools import lru_cache
from typing import Any

from django.apps import apps
from django.core.exceptions import NON_FIELD_ERRORS, PermissionDenied
from django.core.exceptions import ValidationError as DjangoValidationError
from django.db import DataError, IntegrityError
from django.http import Http404
from rest_framework import exceptions, status
from rest_framework.response import Response
from rest_framework.settings import api_settings
from rest_framework.views import set_rollback

from apps.core.exceptions import ApplicationError

NON_FIELD = api_settings.NON_FIELD_ERRORS_KEY  # "non_field_errors"

# Our bilingual sentence for each DRF error code; "{...}" parts are filled from the exception.
MESSAGES = {
    "invalid": "입력값이 올바르지 않습니다 / the request contains invalid data",
    "not_authenticated": "로그인이 필요합니다 / authentication credentials were not provided",
    "authentication_failed": "인증에 실패했습니다 / incorrect credentials or token",
    "permission_denied": "권한이 없습니다 / you do not have permission to perform this action",
    "not_found": "찾을 수 없습니다 / not found",
    "method_not_allowed": "허용되지 않는 메서드입니다: {method} / method {method} is not allowed here",
    "not_acceptable": "지원하지 않는 응답 형식입니다 / the requested response format is not available",
    "unsupported_media_type": "지원하지 않는 본문 형식입니다 / unsupported media type in the request body",
    "parse_error": "요청 본문을 해석할 수 없습니다 / the request body is malformed",
    "throttled": "요청이 너무 많습니다. {wait}초 뒤 다시 시도하세요 / too many requests; try again in {wait} s",
    "conflict": "다른 데이터와 충돌합니다 / the request conflicts with existing data",
    "out_of_range": "값이 허용 범위를 벗어났습니다 / a value is out of the allowed range",
    "bad_request": "잘못된 요청입니다 / bad request",
    "service_unavailable": (
        "데이터베이스에 일시적으로 연결할 수 없습니다. 잠시 후 다시 시도하세요 / "
        "the database is temporarily unavailable; try again shortly"
    ),
    "server_error": "서버 오류가 발생했습니다 / internal server error",
}
# Codes whose DRF text we always replace (it names internals or is English-only boilerplate).
ALWAYS_OURS = {"not_found", "method_not_allowed", "throttled", "not_acceptable", "unsupported_media_type"}


def error_body(detail: str, code: str, errors: dict[str, list[str]] | None = None) -> dict[str, Any]:
    return {"detail": str(detail), "code": code, "errors": errors or {}}


def flatten_errors(detail: Any, prefix: str = "") -> dict[str, list[str]]:
    """DRF's nested ``ValidationError.detail`` as ``{"a.0.b": ["msg"]}``."""
    out: dict[str, list[str]] = {}
    if isinstance(detail, dict):
        for key, value in detail.items():
            name = NON_FIELD if key == NON_FIELD_ERRORS else str(key)
            out.update(flatten_errors(value, f"{prefix}.{name}" if prefix else name))
    elif isinstance(detail, list):
        if all(not isinstance(item, (dict, list)) for item in detail):
            if detail:
                out.setdefault(prefix or NON_FIELD, []).extend(str(item) for item in detail)
        else:
            for index, item in enumerate(detail):
                if item:
                    out.update(flatten_errors(item, f"{prefix}.{index}" if prefix else str(index)))
    elif detail is not None and str(detail):
        out.setdefault(prefix or NON_FIELD, []).append(str(detail))
    return out


def django_validation_errors(exc: DjangoValidationError) -> dict[str, list[str]]:
    if hasattr(exc, "error_dict"):
        return {
            NON_FIELD if key == NON_FIELD_ERRORS else key: list(msgs)
            for key, msgs in exc.message_dict.items()
        }
    return {NON_FIELD: list(exc.messages)}


@lru_cache(maxsize=1)
def _constraint_messages() -> dict[str, str]:
    """Constraint name → its bilingual ``violation_error_message`` from every model's Meta."""
    found = {}
    for model in apps.get_models():
        for constraint in model._meta.constraints:
            message = getattr(constraint, "violation_error_message", None)
            if message:
                found[constraint.name] = str(message)
    return found


def _integrity_response(exc: IntegrityError) -> Response:
    """Unique violations are conflicts (409); check/not-null/foreign-key ones are bad input (400).

    The database normally never sees such rows (serializers run ``full_clean``); this is the
    net for races, e.g. two clients creating the same indicator code at once.
    """
    cause = exc.__cause__
    text = str(exc)
    constraint = getattr(getattr(cause, "diag", None), "constraint_name", None)  # psycopg
    if constraint is None:
        match = re.search(r"CHECK constraint failed: (\w+)", text)  # SQLite names check constraints
        constraint = match.group(1) if match else None
    unique = (
        "UNIQUE constraint" in text or "duplicate key" in text or type(cause).__name__ == "UniqueViolation"
    )
    message = _constraint_messages().get(constraint or "", "")
    if unique:
        return Response(
            error_body(message or MESSAGES["conflict"], "conflict"), status=status.HTTP_409_CONFLICT
        )
    return Response(
        error_body(message or MESSAGES["invalid"], "integrity_error"), status=status.HTTP_400_BAD_REQUEST
    )


def _application_errors(exc: ApplicationError) -> dict[str, list[str]]:
    """``extra["errors"]`` of a service error: a dict (field → messages) or a list of lines
    (e.g. an import's "row 3, column value: not a number"), which go under non_field_errors."""
    errors = exc.extra.get("errors")
    if isinstance(errors, dict):
        return {
            str(k): [str(m) for m in (v if isinstance(v, (list, tuple)) else [v])] for k, v in errors.items()
        }
    if isinstance(errors, (list, tuple)) and errors:
        return {NON_FIELD: [str(line) for line in errors]}
    return {}


def exception_handler(exc: Exception, context: dict) -> Response | None:
    """DRF ``EXCEPTION_HANDLER``: every known error as ``{"detail", "code", "errors"}``."""
    if isinstance(exc, Http404):
        exc = exceptions.NotFound()
    elif isinstance(exc, PermissionDenied):
        exc = exceptions.PermissionDenied(*(exc.args))
    elif isinstance(exc, DjangoValidationError):
        exc = exceptions.ValidationError(django_validation_errors(exc))

    if isinstance(exc, ApplicationError):
        set_rollback()
        return Response(error_body(exc.message, exc.code, _application_errors(exc)), status=exc.status_code)

    if isinstance(exc, IntegrityError):
        set_rollback()
        return _integrity_response(exc)

    if isinstance(exc, (DataError, OverflowError)):
        # e.g. an id beyond 64 bits in a filter: bad input, not a server fault.
        set_rollback()
        return Response(
            error_body(MESSAGES["out_of_range"], "out_of_range"), status=status.HTTP_400_BAD_REQUEST
        )

    if not isinstance(exc, exceptions.APIException):
        return None  # a real bug: let Django log it and answer 500

    headers = {}
    if getattr(exc, "auth_header", None):
        headers["WWW-Authenticate"] = exc.auth_header
    if getattr(exc, "wait", None):
        headers["Retry-After"] = str(int(exc.wait))
    set_rollback()

    if isinstance(exc, exceptions.ValidationError):
        body = error_body(MESSAGES["invalid"], "invalid", flatten_errors(exc.detail))
        return Response(body, status=exc.status_code, headers=headers)

    code = getattr(exc.detail, "code", None) or exc.default_code
    detail = str(exc.detail)
    if code in MESSAGES and (code in ALWAYS_OURS or detail == str(exc.default_detail)):
        request = context.get("request")
        detail = MESSAGES[code].format(
            method=getattr(request, "method", ""), wait=int(getattr(exc, "wait", 0) or 0)
        )
    return Response(error_body(detail, code), status=exc.status_code, headers=headers)
