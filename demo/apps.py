from django.apps import AppConfig


class DemoConfig(AppConfig):
    """Demo data for `make run` and manual testing; drives the real services."""

    name = "demo"
    verbose_name = "Demo"
