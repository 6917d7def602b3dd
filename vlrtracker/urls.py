from django.contrib import admin
from django.urls import include, path

admin.site.site_header = "vlrtracker 관리 / administration"
admin.site.site_title = "vlrtracker"

urlpatterns = [
    path("admin/", admin.site.urls),
    path("i18n/", include("django.conf.urls.i18n")),
    path("", include("vlrtracker.api_urls")),
    path("", include("vlrtracker.ui_urls")),
]

# Error views: the API's JSON error shape under /api/ (also 503 + Retry-After while the database
# is unavailable, a bilingual page elsewhere), Django's own views for every other path.
handler400 = "apps.core.api.handlers.bad_request"
handler403 = "apps.core.api.handlers.permission_denied"
handler404 = "apps.core.api.handlers.page_not_found"
handler500 = "apps.core.api.handlers.server_error"
