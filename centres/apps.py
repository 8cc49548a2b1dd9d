from django.apps import AppConfig


class CentresConfig(AppConfig):
    name = "centres"
    verbose_name = "Centres"
    # What the "Platform staff" group may do in the Django admin here (centres.platform_staff).
    platform_staff_permissions = [
        "centres.view_centre",
        "centres.add_centre",
        "centres.change_centre",
        "centres.view_jobgroup",
        "centres.view_membership",
        "centres.change_membership",
        "centres.view_roleassignment",
        "centres.view_auditevent",
    ]

    def ready(self) -> None:
        from django.db.models.signals import post_migrate

        from centres import (
            background,
            receivers,  # noqa: F401 - connects the audit receivers
        )
        from centres.bulk.kind import delegates_import_register
        from centres.exports import delegate_report_build, delegate_report_may_download
        from centres.platform_staff import platform_staff_group_after_migrate
        from reporting.registry import action_kind_register, permissions_suffice, report_kind_register

        # Both delegate workbooks need what the list export needs (PRN columns: VIEW_PRN too).
        report_kind_register("delegates", delegate_report_build, may_download=delegate_report_may_download)
        report_kind_register(
            background.CURRENT_WORKBOOK_KIND,
            background.current_workbook_build,
            may_download=delegate_report_may_download,
        )
        action_kind_register(
            background.WELCOME_ALL_KIND, background.welcome_emails_all_run, may_download=permissions_suffice
        )
        action_kind_register(
            background.APPROVE_ALL_KIND, background.registrations_approve_all_run, may_download=permissions_suffice
        )
        delegates_import_register()  # the bulk upload, run by reporting.imports
        post_migrate.connect(platform_staff_group_after_migrate, dispatch_uid="centres_platform_staff_group")
