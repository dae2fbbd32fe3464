from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class BackgroundConfig(AppConfig):
    """Work done after the request: the outbox of mail and the scheduler of periodic tasks."""

    name = "background"
    verbose_name = _("background work")
