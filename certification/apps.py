from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CertificationConfig(AppConfig):
    name = "certification"
    verbose_name = _("Certification")

    def ready(self) -> None:
        from certification import signals  # noqa: F401  (connects the receivers)
        from certification.services import applications, labels  # noqa: F401  (register their steps' services)
