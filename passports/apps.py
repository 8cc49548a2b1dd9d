from django.apps import AppConfig


class PassportsConfig(AppConfig):
    name = "passports"

    def ready(self) -> None:
        from passports import signals  # noqa: F401 - connects the receivers
