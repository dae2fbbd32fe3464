from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class WatchConfig(AppConfig):
    name = "watch"
    verbose_name = _("Status watch")

    def ready(self) -> None:
        from watch import signals  # noqa: F401  (connects the receiver)
