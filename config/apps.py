from django.contrib.admin.apps import AdminConfig


class LabelAdminConfig(AdminConfig):
    default_site = "config.admin.LabelAdminSite"
