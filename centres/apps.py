from django.apps import AppConfig


class CentresConfig(AppConfig):
    name = "centres"
    verbose_name = "Centres"

    def ready(self) -> None:
        from centres import receivers  # noqa: F401 - connects the audit receivers
