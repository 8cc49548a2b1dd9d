"""The platform's lowest layer: pieces every app uses and that know no feature app."""

from django.apps import AppConfig


class CoreConfig(AppConfig):
    name = "core"
    verbose_name = "Platform core"

    def ready(self):
        from core import session_refresh  # noqa: F401 - connects its login receiver
