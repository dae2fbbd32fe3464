from django.apps import AppConfig
from django.db.models.signals import post_migrate
from django.utils.translation import gettext_lazy as _


class CertificationConfig(AppConfig):
    name = "certification"
    verbose_name = _("Certification")

    def ready(self) -> None:
        from certification import signals  # noqa: F401  (connects the receivers)
        from certification.history_guard import guard_after_migrate
        from certification.services import applications, labels  # noqa: F401  (register their steps' services)

        post_migrate.connect(guard_after_migrate, sender=self, dispatch_uid="certification-history-guard")
