from django.apps import AppConfig


class PassportsConfig(AppConfig):
    name = "passports"

    def ready(self) -> None:
        from passports.records import report_kinds_register

        report_kinds_register()  # P9 record PDF/Excel, P10 progress report
