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
