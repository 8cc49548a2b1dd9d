from django.apps import AppConfig


class PassportsConfig(AppConfig):
    name = "passports"
    # What the "Platform staff" group may do in the Django admin here (centres.platform_staff).
    platform_staff_permissions = ["passports.view_framework", "passports.view_frameworkversion"]

    def ready(self) -> None:
        from centres.home_sections import home_section_register
        from centres.navigation import navigation_register
        from notifications.registry import notification_kind_register, summary_section_register
        from passports import (
            notifications,
            progress_report,
            records,
            signals,  # noqa: F401 - connects the receivers
        )
        from passports.access import passport_record_may_download
        from passports.home import passports_section
        from passports.navigation import PASSPORTS_NAVIGATION, PASSPORTS_PLATFORM_NAVIGATION
        from reporting.registry import permissions_suffice, report_kind_register

        home_section_register(
            "passports", template="passports/home/section.html", build=passports_section, order=20
        )
        navigation_register(*PASSPORTS_NAVIGATION)
        navigation_register(*PASSPORTS_PLATFORM_NAVIGATION, platform=True)
        for kind in notifications.PASSPORTS_NOTIFICATION_KINDS:
            notification_kind_register(kind)
        summary_section_register("confirmation_requests", notifications.confirmation_requests_waiting, order=20)
        summary_section_register("sign_off_requests", notifications.sign_off_requests_waiting, order=30)
        # P9 record PDF/Excel, P10 progress report
        report_kind_register(
            records.RECORD_PDF_KIND,
            records.passport_record_pdf_build,
            may_download=passport_record_may_download,
        )
        report_kind_register(
            records.RECORD_XLSX_KIND,
            records.passport_record_xlsx_build,
            may_download=passport_record_may_download,
        )
        report_kind_register(
            progress_report.PROGRESS_XLSX_KIND,
            progress_report.passport_progress_build,
            may_download=permissions_suffice,
        )
        from passports.certificates import certificate_kind_register_passport
        from passports.services.frameworks import framework_import_register

        framework_import_register()  # P1 framework spreadsheet upload, run by reporting.imports
        certificate_kind_register_passport()  # P9 certificates, checked at /verify/

    def seed_demo(self, stdout) -> None:
        """Called by `manage.py seed_demo` (centres): load the demo frameworks if absent, then
        the demo passports at LTHT (passports/demo.py)."""
        from passports.demo import demo_frameworks_load, demo_passports_load

        demo_frameworks_load(stdout=stdout)
        demo_passports_load(stdout=stdout)
