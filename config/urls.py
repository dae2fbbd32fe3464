from django.contrib import admin
from django.urls import include, path

from config import health

urlpatterns = [
    path("healthz/", health.healthz, name="healthz"),
    path("readyz/", health.readyz, name="readyz"),
    path("api/v1/", include("api.urls")),
    path("admin/", admin.site.urls),
]
