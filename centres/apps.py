from django.apps import AppConfig


class CentresConfig(AppConfig):
    name = "centres"
    verbose_name = "Centres"

    def ready(self) -> None:
        from centres import (
            background,
            receivers,  # noqa: F401 - connects the audit receivers
        )
        from centres.exports import delegate_report_build
        from reporting.registry import action_kind_register, report_kind_register

        report_kind_register("delegates", delegate_report_build)
        report_kind_register(background.CURRENT_WORKBOOK_KIND, background.current_workbook_build)
        action_kind_register(background.WELCOME_ALL_KIND, background.welcome_emails_all_run)
        action_kind_register(background.APPROVE_ALL_KIND, background.registrations_approve_all_run)
