"""REST API routes: ``/api/v1/`` resources, ``/api/schema/`` (OpenAPI 3) and ``/api/docs/``.

URL names are ``api:<model>-list`` / ``api:<model>-detail`` (house style).
"""

from csp.decorators import csp_replace
from django.urls import include, path, re_path
from drf_spectacular.views import (
    SpectacularAPIView,
    SpectacularRedocView,
    SpectacularSwaggerView,
)

from apps.core.api.handlers import api_not_found
from apps.core.api.jobs import JobView
from apps.core.api.views import MeView, TokenView

v1 = [
    path("", include("apps.sdg.api.urls")),
    path("", include("apps.municipalities.api.urls")),
    path("", include("apps.frameworks.api.urls")),
    path("", include("apps.indicators.api.urls")),
    path("", include("apps.initiatives.api.urls")),
    path("", include("apps.evidence.api.urls")),
    path("", include("apps.vlr.api.urls")),
    path("", include("apps.datacalls.api.urls")),
    path("jobs/<int:pk>/", JobView.as_view(), name="job-detail"),
    path("me/", MeView.as_view(), name="me"),
    path("auth/token/", TokenView.as_view(), name="token"),
]

# Swagger UI and Redoc ship inline <script>/<style> and Redoc runs a blob: worker; these two pages
# show only the schema (no user data), so they alone get a policy that allows that.
DOCS_CSP = csp_replace(
    {
        "script-src": ["'self'", "'unsafe-inline'"],
        "style-src": ["'self'", "'unsafe-inline'"],
        "style-src-elem": ["'self'", "'unsafe-inline'"],
        "worker-src": ["'self'", "blob:"],
    }
)

urlpatterns = [
    path("api/v1/", include((v1, "api"))),
    path("api/schema/", SpectacularAPIView.as_view(), name="api-schema"),
    path("api/docs/", DOCS_CSP(SpectacularSwaggerView.as_view(url_name="api-schema")), name="api-docs"),
    path("api/redoc/", DOCS_CSP(SpectacularRedocView.as_view(url_name="api-schema")), name="api-redoc"),
    # Last: any other /api/ path (e.g. an id that does not match its pattern) is a JSON 404, for
    # every method (no CSRF check: the view changes nothing).
    re_path(r"^api/", api_not_found),
]
