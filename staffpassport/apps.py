from django.apps import AppConfig


class StaffpassportConfig(AppConfig):
    name = "staffpassport"
