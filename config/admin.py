from django.contrib import admin
from django.http import HttpRequest

from certification.admin_support import is_officer


class LabelAdminSite(admin.AdminSite):
    """The admin for certification officers (by their role) and for superusers."""

    site_header = "SE-label"
    site_title = "SE-label"

    def has_permission(self, request: HttpRequest) -> bool:
        return is_officer(request)
