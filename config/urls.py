from django.contrib import admin
from django.urls import include, path

from api.urls import schema_urlpatterns
from config import health

urlpatterns = [
    path("healthz/", health.healthz, name="healthz"),
    path("readyz/", health.readyz, name="readyz"),
    path("api/v1/", include("api.urls")),
    *schema_urlpatterns,
    path("admin/", admin.site.urls),
    path("i18n/", include("django.conf.urls.i18n")),
    path("", include("web.urls")),
]

handler400 = "config.errors.bad_request"
handler404 = "config.errors.not_found"
handler500 = "config.errors.server_error"
