from django.apps import AppConfig


class SupportConfig(AppConfig):
    name = "support"
    verbose_name = "Support"

    def ready(self) -> None:
        from centres.audit import audit_labels_register
        from centres.home_tasks import PlatformTask, platform_task_register
        from centres.navigation import navigation_register
        from notifications.registry import notification_kind_register, summary_section_register
        from support import notifications
        from support.audit_labels import SUPPORT_AUDIT_LABELS
        from support.selectors import support_ticket_counts_for_platform

        audit_labels_register(SUPPORT_AUDIT_LABELS)
        navigation_register(*notifications.SUPPORT_NAVIGATION)
        navigation_register(*notifications.SUPPORT_PLATFORM_NAVIGATION, platform=True)
        for kind in notifications.SUPPORT_NOTIFICATION_KINDS:
            notification_kind_register(kind)
        summary_section_register("support_answers", notifications.support_answers_waiting, order=50)
        platform_task_register(
            PlatformTask(
                "Answer support tickets",
                "platform:support_tickets",
                "from centres",
                count=lambda: support_ticket_counts_for_platform()["open"],
                count_label="waiting for an answer",
                order=10,
            )
        )
