from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ComplaintsConfig(AppConfig):
    name = "complaints"
    verbose_name = _("Complaints and appeals")

    def ready(self) -> None:
        from complaints.services import appeals, handling  # noqa: F401  (register their steps' services)
