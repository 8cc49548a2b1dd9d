from django.apps import AppConfig


class ElearningConfig(AppConfig):
    name = "elearning"
    verbose_name = "Care record eLearning"

    def ready(self) -> None:
        from elearning import signals  # noqa: F401 - the signal other parts of the app connect to
