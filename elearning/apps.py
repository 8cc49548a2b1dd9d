from django.apps import AppConfig


class ElearningConfig(AppConfig):
    name = "elearning"
    verbose_name = "Care record eLearning"

    def ready(self) -> None:
        # --- E3 site staff and E4 request queue (el-sites) -----------------------------------
        from centres.home_tasks import platform_task_register
        from centres.navigation import navigation_register
        from elearning import (
            receivers,
            signals,
            sites_registry,
        )
        from notifications.registry import summary_section_register

        navigation_register(*sites_registry.SITES_NAVIGATION)
        navigation_register(*sites_registry.QUEUE_PLATFORM_NAVIGATION, platform=True)
        platform_task_register(sites_registry.QUEUE_PLATFORM_TASK)
        summary_section_register("elearning_requests_waiting", sites_registry.requests_waiting, order=70)
        signals.required_modules_completed.connect(
            receivers.site_access_requests_on_completion, dispatch_uid="elearning_site_access_requests"
        )
        # --- end E3/E4 ------------------------------------------------------------------------
