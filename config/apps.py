from django.contrib.admin.apps import AdminConfig


class LabelAdminConfig(AdminConfig):
    """The admin with the project's own site; also where the project's system checks are registered."""

    default_site = "config.admin.LabelAdminSite"

    def ready(self) -> None:
        super().ready()
        from config import checks  # noqa: F401  (registers the checks)
