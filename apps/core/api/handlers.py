"""Django's error views (``handler400`` … ``handler500`` of the root URLconf), so that every
status of ``/api/`` has the API's one JSON shape (``apps.core.api.exceptions``), also where DRF
is not involved: a path no route matches, a body over the size limit, a server error.

A database that cannot be reached (``apps.core.db.database_unavailable``) is a 503 with
``Retry-After`` everywhere: JSON under ``/api/``, a short bilingual page elsewhere (no template
and no context processor, so it renders without the database). Other paths get Django's own views.
"""

from __future__ import annotations

import sys

from django.http import HttpResponse, JsonResponse
from django.views import defaults
from django.views.decorators.csrf import csrf_exempt

from apps.core.db import database_unavailable

from .exceptions import MESSAGES, error_body

RETRY_AFTER_SECONDS = 30

UNAVAILABLE_PAGE = """<!doctype html>
<html lang="ko"><head><meta charset="utf-8"><title>503 · vlrtracker</title></head>
<body><h1>잠시 후 다시 시도해 주세요 / Please try again shortly</h1>
<p>데이터베이스에 일시적으로 연결할 수 없습니다. 입력한 내용은 저장되지 않았을 수 있습니다.</p>
<p>The database is temporarily unavailable. What you sent may not have been saved.</p>
</body></html>
"""


def is_api(request) -> bool:
    return request.path_info.startswith("/api/")


def _json(status: int, code: str, **headers) -> JsonResponse:
    response = JsonResponse(
        error_body(MESSAGES[code], code), status=status, json_dumps_params={"ensure_ascii": False}
    )
    for name, value in headers.items():
        response[name] = value
    return response


@csrf_exempt  # it changes nothing, so a POST needs no CSRF token: a JSON 404, never an HTML 403
def api_not_found(request, *args, **kwargs):
    """Any ``/api/`` path no route matches (also an id that does not fit its pattern), any method."""
    return _json(404, "not_found")


def bad_request(request, exception=None):
    return _json(400, "bad_request") if is_api(request) else defaults.bad_request(request, exception)


def permission_denied(request, exception=None):
    return (
        _json(403, "permission_denied") if is_api(request) else defaults.permission_denied(request, exception)
    )


def page_not_found(request, exception=None):
    return _json(404, "not_found") if is_api(request) else defaults.page_not_found(request, exception)


def server_error(request):
    # Called by Django while it handles the exception (inside its ``except`` block).
    if database_unavailable(sys.exception()):
        if is_api(request):
            return _json(503, "service_unavailable", **{"Retry-After": str(RETRY_AFTER_SECONDS)})
        response = HttpResponse(UNAVAILABLE_PAGE, status=503)
        response["Retry-After"] = str(RETRY_AFTER_SECONDS)
        return response
    return _json(500, "server_error") if is_api(request) else defaults.server_error(request)
