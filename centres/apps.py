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
        from centres import receivers  # noqa: F401 - connects the audit receivers
        from centres.exports import delegate_report_build, delegate_report_may_download
        from reporting.registry import report_kind_register

        report_kind_register("delegates", delegate_report_build, may_download=delegate_report_may_download)
