from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class AuditsConfig(AppConfig):
    name = "audits"
    verbose_name = _("Audits")

    def ready(self) -> None:
        from audits.services import audits, decisions  # noqa: F401  (register their steps' services)
