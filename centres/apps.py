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
            mass_actions,
            receivers,  # noqa: F401 - connects the audit receivers
            summary,
        )
        from centres.audit import audit_record
        from centres.bulk.kind import delegates_import_register
        from centres.exports import delegate_report_build, delegate_report_may_download
        from centres.home_tasks import CENTRES_PLATFORM_TASKS, platform_task_register
        from centres.navigation import CENTRES_NAVIGATION, CENTRES_PLATFORM_NAVIGATION, navigation_register
        from centres.notification_rules import CENTRES_NOTIFICATION_KINDS, kinds_allowed, subscriptions_eligible
        from centres.platform_staff import platform_staff_group_after_migrate
        from notifications.registry import (
            notification_audience_register,
            notification_audit_register,
            notification_kind_register,
            notification_kinds_allowed_register,
            summary_section_register,
        )
        from reporting.audit import audit_recorder_set
        from reporting.registry import action_kind_register, permissions_suffice, report_kind_register

        navigation_register(*CENTRES_NAVIGATION)
        navigation_register(*CENTRES_PLATFORM_NAVIGATION, platform=True)
        platform_task_register(*CENTRES_PLATFORM_TASKS)
        for kind in CENTRES_NOTIFICATION_KINDS:
            notification_kind_register(kind)
        notification_audience_register(subscriptions_eligible)
        notification_kinds_allowed_register(kinds_allowed)
        notification_audit_register(audit_record)
        from centres.home_sections import home_section_register, todo_section

        home_section_register("todo", template="centres/home/todo.html", build=todo_section, order=10)
        summary_section_register("registrations", summary.registrations_awaiting_approval, order=10)
        summary_section_register("bulk_previews", summary.bulk_previews_not_confirmed, order=40)

        audit_recorder_set(audit_record)  # report downloads are audited in the centre's trail
        from centres.audit import audit_labels_register
        from centres.presenters import AUDIT_ACTION_LABELS

        audit_labels_register(AUDIT_ACTION_LABELS)

        # Both delegate workbooks need what the list export needs (PRN columns: VIEW_PRN too).
        report_kind_register("delegates", delegate_report_build, may_download=delegate_report_may_download)
        report_kind_register(
            background.CURRENT_WORKBOOK_KIND,
            background.current_workbook_build,
            may_download=delegate_report_may_download,
        )
        action_kind_register(
            mass_actions.WELCOME_ALL_KIND, mass_actions.welcome_emails_batch_run, may_download=permissions_suffice
        )
        action_kind_register(
            mass_actions.APPROVE_ALL_KIND,
            mass_actions.registrations_approve_batch_run,
            may_download=permissions_suffice,
        )
        delegates_import_register()  # the bulk upload, run by reporting.imports
        from centres.bulk.uploads import bulk_upload_workflow_register

        bulk_upload_workflow_register()  # its page workflow: reporting.upload_workflow (swept by beat)
        post_migrate.connect(platform_staff_group_after_migrate, dispatch_uid="centres_platform_staff_group")
        # The roles that run a centre (ADR 0048: what each role is for, where it is in use).
        from centres.role_areas import role_area_register
        from centres.roles import Role

        role_area_register(Role.ADMINISTRATOR, Role.CENTRE_MANAGER, name="running the centre")
